"""Date classes the fifteenth pass (issue 15, misses of written batch 47) fixed.
Sentences written here, none from a corpus; each test fails on the code before the pass."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.enrich.dates import extract_dates

MARCH = datetime(2026, 3, 18, 12, tzinfo=UTC)  # a Wednesday


def values(text: str, reference: datetime = MARCH) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference, language="en")]


CASES = [
    # "every" + half an hour, a weekday, a weekday's part of the day: sets (before: none or a day)
    ("Shuttles leave every half hour.", [("every half hour", "PT30M")]),
    ("Shuttles leave every half-hour from the pier.", [("every half-hour", "PT30M")]),
    ("Crews inspect the track every weekday.", [("every weekday", "XXXX-WXX-WD")]),
    ("She swims every Sunday morning.", [("every Sunday morning", "XXXX-WXX-7TMO")]),
    ("The club meets every Friday night.", [("every Friday night", "XXXX-WXX-5TNI")]),
    # a birthday or anniversary in the present tense lies ahead, as "the sale starts Friday"
    ("Her grandmother turns 100 on Monday.", [("Monday", "2026-03-23")]),
    ("The town celebrates its charter on Friday.", [("Friday", "2026-03-20")]),
    # "for / during the first week, fortnight, month": a length of time (before: none)
    ("Entry is free for the first fortnight.", [("the first fortnight", "P2W")]),
    ("Inspectors will call daily during the first month.", [("daily", "P1D"), ("the first month", "P1M")]),
    ("In the first week of June it rained.", [("June", "2025-06")]),
    # a clock time in the future tense takes no day before the reference (before: the past Saturday
    # of a relative clause, a historic day of the previous sentence)
    (
        "The comet, which was brightest on Saturday, will rise at 9:42 p.m. and set at dawn.",
        [("Saturday", "2026-03-14"), ("9:42 p.m.", "2026-03-18T21:42")],
    ),
    (
        "The park opened on May 27, 1937. It will close to cars from 4 a.m. to 11 a.m.",
        [("May 27, 1937", "1937-05-27"), ("4 a.m.", "2026-03-18T04:00"), ("11 a.m.", "2026-03-18T11:00")],
    ),
    # "that day", "that morning" before a modal: the day the text last named (before: none)
    (
        "The parade starts on April 2. Ferries will leave at noon that day.",
        [("April 2", "2026-04-02"), ("noon", "2026-04-02T12:00"), ("that day", "2026-04-02")],
    ),
    (
        "The clocks go forward on Sunday, and the buses that morning will run late.",
        [("Sunday", "2026-03-22"), ("that morning", "2026-03-22TMO")],
    ),
    ("He said that day care would close.", []),
    # a superlative ranks within the publication year; "the new year" ahead of a year's second half
    ("Tuesday was the hottest day of the year.", [("Tuesday", "2026-03-17"), ("the year", "2026")]),
    ("It is one of the most reliable displays of the year.", [("the year", "2026")]),
    ("The interest of the year was low.", []),
    ("Talks will resume in the new year.", [("the new year", "2026")]),
    # "Last year's" opening a sentence frames its yearless dates, as "Last year" does; a clock
    # time's colon does not end the frame (before: the nearest December)
    (
        "Last year's winner crossed the line at 2:47am on December 28.",
        [("Last year", "2025"), ("2:47am", "2025-12-28T02:47"), ("December 28", "2025-12-28")],
    ),
    # a range's start without a year takes the year written at its end (before: nearest the reference)
    (
        "The hearings ran from September 9 to October 2, 2024.",
        [("September 9", "2024-09-09"), ("October 2, 2024", "2024-10-02")],
    ),
    (
        "The fair ran from December 28 to January 3, 2025.",
        [("December 28", "2024-12-28"), ("January 3, 2025", "2025-01-03")],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_fifteenth_pass_classes(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


def test_the_new_year_in_autumn_is_the_next_one() -> None:
    october = datetime(2027, 10, 21, 12, tzinfo=UTC)
    assert values("The union will ballot again in the new year.", october) == [("the new year", "2028")]


def test_a_range_with_its_own_start_year_is_left_alone() -> None:
    assert values("Talks ran from May 2, 2023 to May 9, 2024.") == [
        ("May 2, 2023", "2023-05-02"),
        ("May 9, 2024", "2024-05-09"),
    ]


FOREIGN = [
    # an approximator before "de" + years is a length of time, not an age (before: none)
    ("pt", "A vacina protege por cerca de um ano.", [("um ano", "P1Y")]),
    ("pt", "A obra durou mais de dois anos.", [("dois anos", "P2Y")]),
    ("es", "La obra duró cerca de un año.", [("un año", "P1Y")]),
    ("pt", "Um homem de 45 anos morreu.", []),
    # a rate per hour is a set, a speed is not (before: none for both)
    ("pt", "O aeroporto terá 45 movimentos por hora.", [("por hora", "PT1H")]),
    ("es", "El tren circula a 300 kilómetros por hora.", []),
    ("de", "Die Betreiber informieren stündlich über die Lage.", [("stündlich", "PT1H")]),
    # "aos sábados": the habit, as "todos os sábados" (before: none)
    ("pt", "Os postos abrirão também aos sábados.", [("sábados", "XXXX-WXX-6")]),
    # a part of the day after an every word: that part of every day (before: none)
    ("es", "Las temperaturas bajarán de cero cada noche.", [("cada noche", "XXXX-XX-XXTNI")]),
    ("fr", "Le marché ouvre chaque soir.", [("chaque soir", "XXXX-XX-XXTEV")]),
    ("de", "Er joggt jeden Morgen.", [("jeden Morgen", "XXXX-XX-XXTMO")]),
]


@pytest.mark.parametrize(("language", "text", "expected"), FOREIGN)
def test_fifteenth_pass_foreign_classes(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    found = [(m.text, m.value) for m in extract_dates(text, "body", MARCH, language=language)]
    assert found == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("pt", "Portugal regressa ao horário de inverno no domingo."),
        ("es", "La hora de verano vuelve pronto."),
        ("fr", "La France passe à l'heure d'hiver bientôt."),
    ],
)
def test_summer_or_winter_time_is_no_season(language: str, text: str) -> None:
    found = [m.value or "" for m in extract_dates(text, "body", MARCH, language=language)]
    assert not [v for v in found if v[-3:] in ("-SU", "-WI")]
