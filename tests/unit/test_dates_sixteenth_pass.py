"""Date classes the sixteenth pass (TBAQ even half's error classes) fixed, and the error-class
census it read them with. Sentences written here, none from a corpus; each behaviour test fails on
the code before the pass."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.enrich.dates import extract_dates
from streamproc.enrich.dates.evaluation import class_census, error_class

OCTOBER = datetime(2025, 10, 28, 12, tzinfo=UTC)  # a Tuesday; the third quarter was last reported


def values(text: str, reference: datetime = OCTOBER) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference, language="en")]


@pytest.mark.parametrize(
    "text",
    [
        "Acme posted higher third-quarter net. In the 2025 period also, costs were lower than a year ago.",
        "Acme posted higher third-quarter net. Freight in the latest period was cheaper than a year ago.",
    ],
)
def test_a_year_ago_after_a_quarter_named_in_its_own_sentence(text: str) -> None:
    # The sentence names no results word, but the quarter it names makes it a comparison of
    # results: the same quarter a year before (before: the year, "2024").
    assert values(text)[-1] == ("a year ago", "2024-Q3")


def test_a_year_ago_without_a_quarter_in_its_sentence_stays_the_year() -> None:
    text = "Acme posted higher third-quarter net. The weather was warmer than a year ago."
    assert values(text)[-1] == ("a year ago", "2024")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("a.tml: missed 'now' (DATE PRESENT_REF)", ("missed", "vague reference")),
        ("a.tml: spurious 'four days' -> DURATION P4D", ("spurious", "duration")),
        (
            "a.tml: 'last week' want 1989-WXX got 1989-W43 ('last week')",
            ("wrong value", "last/this/next week"),
        ),
        (
            "a.tml: 'Friday' want 1998-10-23 got 1998-10-23TNI ('Friday night')",
            ("wrong value", "weekday (with a part of the day)"),
        ),
        (
            "a.tml: 'the quarter' want 1989-QX got 1989-Q3 ('the quarter')",
            ("wrong value", "quarter, period, fiscal year"),
        ),
        (
            "a.tml: 'a year ago' want 1988 got 1988-Q3 ('a year ago')",
            ("wrong value", "quarter, period, fiscal year"),
        ),
        ("a.tml: spurious 'daily' -> SET P1D", ("spurious", "set")),
        (
            "d [2005-04-27]: missed 'exactly on time' (TIME 2005-04-27T08:30Z)",
            ("missed", "clock time, part of the day"),
        ),
        ("a.tml: gold not found in body", ("other", "other")),
    ],
)
def test_error_class_reads_the_kind_and_the_expression(error: str, expected: tuple[str, str]) -> None:
    assert error_class(error) == expected


def test_class_census_counts_by_class_and_kind() -> None:
    census = class_census(["x: missed 'now' (DATE PRESENT_REF)", "y: spurious 'now' -> DATE PRESENT_REF"] * 2)
    assert census == {("vague reference", "missed"): 2, ("vague reference", "spurious"): 2}
