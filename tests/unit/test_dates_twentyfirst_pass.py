"""Twenty-first dates pass: the twentieth review's leftovers and classes from TimeBank+AQUAINT's
value errors. Sentences written here, none from a corpus; each test fails on main (e1920bf)."""

from __future__ import annotations

from datetime import datetime

import pytest

from streamproc.enrich.dates import extract_dates


def values(text: str, reference: str, language: str = "en") -> list[tuple[str, str | None]]:
    return [
        (m.text, m.value)
        for m in extract_dates(text, "body", datetime.fromisoformat(reference), language=language)
    ]


# A fractional count of units back or ahead is a date, as "hace dos semanas y media" is: counted in
# the next unit down, dated at the unit's granularity (was a duration, P2.5W, or with "2 1/2 weeks
# ago" the "2 weeks ago" after the slash; hours were "two and a half hours" PT2H30M).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The plant closed two and a half weeks ago.", ("two and a half weeks ago", "2026-W22")),
        ("The plant closed 2 1/2 weeks ago.", ("2 1/2 weeks ago", "2026-W22")),
        ("The plant closed two and a half years ago.", ("two and a half years ago", "2023-12")),
        ("The plant closed 1.5 years ago.", ("1.5 years ago", "2024-12")),
        ("The plant closed three and a half months ago.", ("three and a half months ago", "2026-02")),
        ("He left a week and a half ago.", ("a week and a half ago", "2026-W23")),
        ("It opened two and a half hours ago.", ("two and a half hours ago", "2026-06-15T09:30")),
        ("It reopens two and a half years from now.", ("two and a half years from now", "2028-12")),
    ],
)
def test_a_fractional_count_back_is_a_date(text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2026-06-15T12:00:00") == [expected]


# Controls, unchanged from main.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # counted from an event, not from the reference: still a length of time
        ("The plant reopened two and a half years later.", ("two and a half years", "P2.5Y")),
        ("The plant closed two weeks ago.", ("two weeks ago", "2026-W23")),
    ],
)
def test_fractional_shift_controls(text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2026-06-15T12:00:00") == [expected]


# A half or quarter of the fiscal year is the reporting year's (FY2026-H1), as "the first quarter
# of fiscal 2027" is FY2027-Q1; it was the calendar half with "fiscal" left out.
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "es",
            "Las ventas subieron en la primera mitad del año fiscal.",
            ("la primera mitad del año fiscal", "FY2026-H1"),
        ),
        (
            "es",
            "Las ventas subieron en el primer trimestre del ejercicio 2025.",
            ("el primer trimestre del ejercicio 2025", "FY2025-Q1"),
        ),
        (
            "pt",
            "As vendas subiram na primeira metade do ano fiscal.",
            ("primeira metade do ano fiscal", "FY2026-H1"),
        ),
        (
            "fr",
            "Les ventes ont progressé au premier semestre de l'exercice.",
            ("premier semestre de l'exercice", "FY2026-H1"),
        ),
        (
            "it",
            "Le vendite sono salite nel primo trimestre dell'esercizio.",
            ("primo trimestre dell'esercizio", "FY2026-Q1"),
        ),
        (
            "de",
            "Der Umsatz stieg im ersten Halbjahr des Geschäftsjahres.",
            ("ersten Halbjahr des Geschäftsjahres", "FY2026-H1"),
        ),
    ],
)
def test_a_half_of_the_fiscal_year(language: str, text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2026-06-15T12:00:00", language) == [expected]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "Las ventas subieron en la primera mitad del año.", ("la primera mitad del año", "2026-H1")),
        ("de", "Der Umsatz stieg im ersten Quartal.", ("ersten Quartal", "2026-Q1")),
    ],
)
def test_calendar_halves_stay(language: str, text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2026-06-15T12:00:00", language) == [expected]


# "y media" after an hour that has its minutes is not a half past: "8.30 y media" kept the half in
# its span; now the clock ends at its minutes and the half is left to what follows.
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "La cita es a las 8.30 y media.", [("8.30", "2026-06-15T08:30")]),
        (
            "es",
            "Llegó a las 8:30 y media hora después cerró.",
            [("8:30", "2026-06-15T08:30"), ("media hora", "PT30M")],
        ),
        ("fr", "Rendez-vous à 18h30 et demie.", [("18h30", "2026-06-15T18:30")]),
        # controls (unchanged from main): a bare hour still takes its half or quarter
        ("es", "La cita es a las 8 y media.", [("8 y media", "2026-06-15T08:30")]),
        ("fr", "Rendez-vous à 20 heures et quart.", [("20 heures et quart", "2026-06-15T20:15")]),
    ],
)
def test_a_half_after_minutes_is_not_half_past(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, "2026-06-15T12:00:00", language) == expected


# A midnight with no day of its own is the next one, the start of the day after the reference
# (T00:00), or in a past clause or after "since" the one that began the reference day; it was the
# reference day's T24:00 whatever the tense. "esta medianoche" was untagged.
@pytest.mark.parametrize(
    ("language", "reference", "text", "expected"),
    [
        (
            "en",
            "2027-04-15T12:00:00",
            "Post offices will stay open until midnight.",
            ("midnight", "2027-04-16T00:00"),
        ),
        (
            "en",
            "2026-12-31T12:00:00",
            "The fireworks go ahead tonight, officials said this afternoon. The display starts at midnight.",
            ("midnight", "2027-01-01T00:00"),
        ),
        (
            "es",
            "2027-01-01T12:00:00",
            "Las campanadas sonaron a medianoche sin incidentes.",
            ("medianoche", "2027-01-01T00:00"),
        ),
        (
            "de",
            "2027-01-04T12:00:00",
            "Die Polizei meldete seit Mitternacht 140 Unfälle.",
            ("Mitternacht", "2027-01-04T00:00"),
        ),
        (
            "es",
            "2026-12-21T12:00:00",
            "La venta seguirá abierta hasta esta medianoche.",
            ("medianoche", "2026-12-21T24:00"),
        ),
    ],
)
def test_a_bare_midnight_is_the_next_one(
    language: str, reference: str, text: str, expected: tuple[str, str]
) -> None:
    assert expected in values(text, reference, language)


# Controls, unchanged from main: a day named with midnight, or "ce soir", keeps T24:00 of that day.
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Polls close at midnight Friday.", ("midnight Friday", "2027-07-02T24:00")),
        ("en", "The ceasefire took effect at midnight on Wednesday.", ("midnight", "2027-06-30T24:00")),
        ("fr", "La campagne s'achève ce soir à minuit.", ("minuit", "2027-06-30T24:00")),
    ],
)
def test_midnight_with_its_day_controls(language: str, text: str, expected: tuple[str, str]) -> None:
    assert expected in values(text, "2027-06-30T12:00:00", language)


# A quarter that ended before the last one over, in a future clause, is next year's, as the other
# languages' rule has it ("will arrive in the first quarter" said in September was this year's Q1).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A cheaper model is due in the first quarter.", ("the first quarter", "2027-Q1")),
        ("A cheaper model will arrive in the first quarter.", ("the first quarter", "2027-Q1")),
    ],
)
def test_a_quarter_over_in_a_future_clause_is_next_years(text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2026-09-01T12:00:00") == [expected]


# Controls, unchanged from main: the figures of a quarter over, a past clause, the quarter just over.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The company will report on the first quarter's losses.", ("the first quarter", "2026-Q1")),
        ("The company will restate first-quarter results.", ("first-quarter", "2026-Q1")),
        ("Sales rose in the first quarter.", ("the first quarter", "2026-Q1")),
        ("The payment is due in the second quarter.", ("the second quarter", "2026-Q2")),
    ],
)
def test_quarter_controls(text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2026-09-01T12:00:00") == [expected]


# A date after "since" bounds a comparison: the date its sentence named before stays the anchor of
# "the year before" (was the year before 2007).
def test_a_since_bound_is_no_anchor() -> None:
    text = "There were 412 road deaths in 2026, the highest toll since 2007 and 9% more than the year before."
    assert ("the year before", "2025") in values(text, "2027-02-04T12:00:00")
    # control: in a sentence of its own, the "since" date still anchors
    assert ("A year later", "2020") in values(
        "Prices have doubled since 2019. A year later the plant closed.", "2027-02-04T12:00:00"
    )


# A present progressive of a scheduled event looks ahead as its simple present does ("arrives on
# Wednesday"); it was the closest Wednesday, the one before a Saturday.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The storm is arriving on Wednesday.", ("Wednesday", "2026-07-22")),
        ("The two leaders are meeting on Wednesday.", ("Wednesday", "2026-07-22")),
    ],
)
def test_a_progressive_plan_looks_ahead(text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2026-07-18T12:00:00") == [expected]


def test_progressive_controls() -> None:
    # unchanged from main: a progressive of another verb, and a past progressive
    assert values("Police are investigating an attack on Wednesday.", "2026-07-18T12:00:00") == [
        ("Wednesday", "2026-07-15")
    ]
    assert values("The two leaders were meeting on Wednesday.", "2026-07-18T12:00:00") == [
        ("Wednesday", "2026-07-15")
    ]
