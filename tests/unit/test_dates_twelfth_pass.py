"""Date classes the twelfth (TBAQ error-pool) pass fixed. Sentences written here, none from a
corpus; each test fails on the code before the pass."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.enrich.dates import extract_dates

OCTOBER = datetime(2025, 10, 28, 12, tzinfo=UTC)  # a Tuesday


def values(text: str, reference: datetime = OCTOBER) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference, language="en")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an -ed word after an article or a possessive is an adjective, not a past tense: the
        # modal sets the tense (before: "unspecified" / "revised" read as past, January 2025)
        ("The bonus would be paid on a still unspecified date in January.", [("January", "2026-01")]),
        ("The board said its revised plan would take effect in February.", [("February", "2026-02")]),
        ("The firm will pay an undisclosed sum in January.", [("January", "2026-01")]),
    ],
)
def test_an_ed_adjective_after_a_determiner_is_no_past_cue(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text) == expected


def test_an_ed_verb_keeps_its_past() -> None:
    assert values("The company posted the loss in January.") == [("January", "2025-01")]
    assert values("Prices climbed in January, the agency reported.") == [("January", "2025-01")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a plural part of the day makes the weekday a set, as a plural weekday does (before: the
        # plural was dropped and "Tuesday nights" read as this Tuesday night)
        ("Rallies are held on Tuesday nights.", [("Tuesday nights", "XXXX-WXX-2TNI")]),
        ("The market opens on Saturday mornings.", [("Saturday mornings", "XXXX-WXX-6TMO")]),
        # a weekday joined to it shares the plural part of the day
        (
            "Rallies are held on Monday and Tuesday nights.",
            [("Monday", "XXXX-WXX-1TNI"), ("Tuesday nights", "XXXX-WXX-2TNI")],
        ),
    ],
)
def test_a_weekday_with_a_plural_part_of_the_day_is_a_set(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


def test_a_singular_part_of_the_day_stays_one_day() -> None:
    assert values("He met them on Monday and Tuesday night.") == [
        ("Monday", "2025-10-27"),
        ("Tuesday night", "2025-10-28TNI"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "the week of <date>" is the ISO week the date falls in (before: only the date was tagged)
        ("A hearing is due the week of November 10, he said.", [("the week of November 10", "2025-W46")]),
        ("Talks were held the week of Jan. 6, 2025.", [("the week of Jan. 6, 2025", "2025-W02")]),
    ],
)
def test_the_week_of_a_date_is_that_iso_week(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an hour with its part of the day is a clock time (before: only "the morning" was tagged)
        ("Guards saw him at 4 in the morning.", [("4 in the morning", "2025-10-28T04:00")]),
        ("The blast came at 10 at night.", [("10 at night", "2025-10-28T22:00")]),
        ("They left at five in the afternoon.", [("five in the afternoon", "2025-10-28T17:00")]),
        ("Police killed 4 in the morning raid.", []),
    ],
)
def test_an_hour_in_the_morning_is_a_clock_time(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


def test_a_part_of_the_day_before_yesterday_is_that_part_of_yesterday() -> None:
    # before: "mid-afternoon yesterday" was tagged as the day alone
    assert values("Police arrived at mid-afternoon yesterday.") == [
        ("mid-afternoon yesterday", "2025-10-27TAF")
    ]
    assert values("Shares fell in late morning today.") == [("late morning today", "2025-10-28TMO")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one day off the date named (before: the date named alone)
        ("He died the day before last Tuesday.", [("the day before last Tuesday", "2025-10-20")]),
        ("The sale starts the day after Christmas.", [("the day after Christmas", "2025-12-26")]),
        ("He left on the day after Oct. 10, 2025.", [("the day after Oct. 10, 2025", "2025-10-11")]),
        ("They met the day before the vote.", []),
    ],
)
def test_the_day_before_or_after_a_date(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


def test_the_past_before_a_count_is_no_past_ref() -> None:
    # before: "the past" of "the past three summers" was PAST_REF
    assert values("Sales fell over the past three summers.") == []
    assert values("In the past, prices rose.") == [("In the past", "PAST_REF")]


def test_a_past_form_after_an_article_is_a_noun() -> None:
    # "a cut" is a noun: "will" sets the tense (before: "cut" read as a past verb, last Thursday)
    assert values("Traders will watch for a cut on Thursday.") == [("Thursday", "2025-10-30")]


def test_next_to_is_a_place_not_a_future() -> None:
    # before: "next" of "next to" looked ahead, to next Friday
    text = "Thousands were hurt since a bomb ripped through a bank next to the embassy Friday morning."
    assert values(text) == [("Friday morning", "2025-10-24TMO")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "one day" between a modal or a subject and its verb is "some day" (before: P1D)
        ("Islam will one day be the second largest religion.", [("one day", "FUTURE_REF")]),
        ("She hopes she one day follows them into space.", [("one day", "FUTURE_REF")]),
        ("The strike lasted one day.", [("one day", "P1D")]),
        ("It will take one day to finish.", [("one day", "P1D")]),
    ],
)
def test_one_day_as_some_day(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # in results news "the <year> period" is the reported quarter of that year (before: the year)
        (
            "Net income rose 20% in the third quarter. In the 2024 period, interest costs were lower.",
            [("the third quarter", "2025-Q3"), ("the 2024 period", "2024-Q3")],
        ),
        # over several quarters no value names the span: the year, as for "a year earlier"
        (
            "For the nine months, net was 306 million against a loss in the 2024 period.",
            [("nine months", "P9M"), ("2024", "2024")],
        ),
        ("Troops fought hard. In the 2024 period, few died.", [("2024", "2024")]),
    ],
)
def test_the_year_period_in_results_news(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


MARCH = datetime(2025, 3, 14, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "set" before its date is a past participle, like "hit" and "cut" (before: no cue, and a
        # month five months ahead was taken as this year's)
        ("The record set in August still stands.", [("August", "2024-08")]),
        ("The index is 70 points below its record high set on Aug. 6.", [("Aug. 6", "2024-08-06")]),
        # "set to", "set for", "will set" still look ahead
        ("The meeting is set for August.", [("August", "2025-08")]),
        ("They will set the date in August.", [("August", "2025-08")]),
    ],
)
def test_set_before_a_date_is_a_past_participle(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, MARCH) == expected
