"""English date classes batches 26-28 exposed: a time zone after "p.m." inside a sentence, a clock
time joined to "tonight", a reporting clause after the date, "the last <noun>"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.enrich.dates import extract_dates

SATURDAY = datetime(2026, 10, 31, 10, 30, tzinfo=UTC)


def values(text: str, reference: datetime = SATURDAY) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Fed announces its next rate decision at 2 p.m. ET on Wednesday.",
            [("2 p.m. ET", "2026-11-04T14:00"), ("Wednesday", "2026-11-04")],
        ),
        (
            "The chamber sits until 6 p.m. PT Friday before a recess.",
            [("6 p.m. PT Friday", "2026-11-06T18:00")],
        ),
        (
            "Analysts spoke at 5 p.m. Eastern Time on Thursday.",
            [("5 p.m.", "2026-10-29T17:00"), ("Thursday", "2026-10-29")],
        ),
    ],
)
def test_a_time_zone_after_pm_does_not_end_the_sentence(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


NEW_YEARS_EVE = datetime(2026, 12, 31, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Police will close roads from 6 p.m. tonight ahead of the fireworks.",
            [("6 p.m. tonight", "2026-12-31T18:00")],
        ),
        ("He landed at 9 a.m. this morning.", [("9 a.m. this morning", "2026-12-31T09:00")]),
        ("It starts at 8 p.m. Friday night.", [("8 p.m. Friday night", "2027-01-01T20:00")]),
    ],
)
def test_a_clock_time_before_a_part_of_a_day_is_one_time(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, NEW_YEARS_EVE) == expected


def test_a_reporting_clause_after_the_date_does_not_set_its_tense() -> None:
    text = "The Treasury will auction notes on Tuesday and bonds on Thursday, the department said on Friday."
    assert values(text) == [("Tuesday", "2026-11-03"), ("Thursday", "2026-11-05"), ("Friday", "2026-10-30")]
    # a sentence opening with the date keeps the verb after the comma
    assert values("On Wednesday, officials said the plant was closed.") == [("Wednesday", "2026-10-28")]


def test_last_after_a_determiner_is_an_adjective_not_a_past_cue() -> None:
    text = "Extra trains will run, with the last services leaving at 4:30 a.m. on Friday."
    assert values(text, NEW_YEARS_EVE) == [("4:30 a.m.", "2027-01-01T04:30"), ("Friday", "2027-01-01")]
    assert values("The vote was last held on Friday.", NEW_YEARS_EVE) == [("Friday", "2026-12-25")]


def test_the_year_of_an_event_opening_a_sentence_frames_its_months() -> None:
    june = datetime(2026, 6, 28, 11, tzinfo=UTC)
    text = (
        "The 2023 season was the worst on record, when 2.8 million hectares burned between May and October."
    )
    assert values(text, june) == [("2023", "2023"), ("May", "2023-05"), ("October", "2023-10")]
    # not a budget or a plan named by its year
    assert values("The 2027 budget takes effect in April.", june) == [("2027", "2027"), ("April", "2027-04")]


def test_the_new_date_of_something_put_off_lies_ahead() -> None:
    february = datetime(2027, 2, 26, 13, tzinfo=UTC)
    text = "The agency said the first launch had been pushed back to the third quarter."
    assert values(text, february) == [("the third quarter", "2027-Q3")]
    assert values("The hearing was postponed until Monday.", february) == [("Monday", "2027-03-01")]


def test_a_clock_time_since_takes_no_later_day() -> None:
    saturday = datetime(2027, 1, 2, 7, 45, tzinfo=UTC)
    text = "More snow is forecast for Sunday afternoon. Plows have been running since 4 a.m. GMT."
    assert values(text, saturday) == [
        ("Sunday afternoon", "2027-01-03TAF"),
        ("4 a.m. GMT", "2027-01-02T04:00Z"),
    ]


def test_a_plan_told_in_the_past_perfect_is_behind_the_story() -> None:
    monday = datetime(2026, 11, 2, 12, tzinfo=UTC)
    text = "The tender offer, since extended, had been due to expire Friday evening."
    assert values(text, monday) == [("Friday evening", "2026-10-30TEV")]
    assert values("The vote had been scheduled for Friday.", monday) == [("Friday", "2026-10-30")]
    # the plan in the present still looks ahead, and so does a new date for something put off
    ahead = [("Friday evening", "2026-11-06TEV")]
    assert values("The offer is due to expire Friday evening.", monday) == ahead
    assert values("The vote had been pushed back to Friday.", monday) == [("Friday", "2026-11-06")]


def test_the_previous_or_following_weekday_counts_from_the_day_last_named() -> None:
    monday = datetime(2026, 11, 2, 12, tzinfo=UTC)
    text = "Shares fell on Friday, down 4.5% from the previous Friday."
    assert values(text, monday) == [("Friday", "2026-10-30"), ("previous Friday", "2026-10-23")]
    text = "The ship docked on Oct. 7. The following Monday it sailed."
    assert values(text, monday) == [("Oct. 7", "2026-10-07"), ("following Monday", "2026-10-12")]
    # with no day named before it, the publication day is the anchor
    assert values("The previous Friday, shares fell.", monday) == [("previous Friday", "2026-10-30")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two years ago the firm nearly collapsed.", [("Two years ago", "2024")]),
        ("Nine days ago he resigned.", [("Nine days ago", "2026-10-22")]),
        ("He quit three weeks ago the day he was paid.", [("three weeks ago", "2026-W41")]),
        # "before" with a noun phrase dates from an event, and "than" compares: durations
        ("He left a year before the war.", [("a year", "P1Y")]),
        ("It arrived two days earlier than planned.", [("two days", "P2D")]),
    ],
)
def test_ago_ends_its_expression_whatever_follows(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


def test_a_verb_whose_past_is_its_base_form_is_no_past_after_to_or_a_modal() -> None:
    assert values("The storm is expected to hit the coast on Tuesday night.") == [
        ("Tuesday night", "2026-11-03TNI")
    ]
    assert values("The bank will cut rates on Thursday.") == [("Thursday", "2026-11-05")]
    assert values("The storm hit the coast on Thursday.") == [("Thursday", "2026-10-29")]


def test_decades_later_count_from_the_year_last_named() -> None:
    text = "The embargo was imposed in 1990 and lifted a decade later."
    assert values(text) == [("1990", "1990"), ("a decade later", "2000")]
    text = "The mine opened in 1901; a century later it closed."
    assert values(text) == [("1901", "1901"), ("a century later", "2001")]


def test_earlier_or_later_in_the_week_or_month_is_the_publication_s() -> None:
    assert values("The envoy will travel to Paris later in the week.") == [("later in the week", "2026-W44")]
    assert values("The minister resigned earlier in the month.") == [("earlier in the month", "2026-10")]


def test_a_holiday_s_week_is_the_week_it_falls_in() -> None:
    spring = datetime(2026, 3, 30, 12, tzinfo=UTC)  # Easter 2026 is Sunday April 5
    assert values("Pilgrims arrived as Holy Saturday neared and Easter week began.", spring)[-1] == (
        "Easter week",
        "2026-W14",
    )
    assert values("Airports expect crowds in Thanksgiving week.") == [("Thanksgiving week", "2026-W48")]
    assert values("The Easter recess ends.", spring) == []  # still a period, untagged
