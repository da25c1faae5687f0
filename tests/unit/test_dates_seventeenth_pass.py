"""Date classes the seventeenth pass (batch 44-46's misses, now a development set) fixed. Sentences
written here, none from a corpus; each test fails on the code before the pass."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.enrich.dates import extract_dates

FEBRUARY = datetime(2027, 2, 11, 12, tzinfo=UTC)


def values(text: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", FEBRUARY, language="en")]


def test_quarter_of_a_fiscal_year_is_one_expression() -> None:
    # Before: "the first quarter" as a calendar quarter (2027-Q1) and "2028" apart.
    text = "Analysts said the first quarter of fiscal 2028 would be the real test."
    assert values(text) == [("the first quarter of fiscal 2028", "FY2028-Q1")]


@pytest.mark.parametrize(
    "text",
    [
        "Business groups, which had asked for a delay until the fall, can file objections.",
        "A second phase of work was planned for the fall and would be finished later.",
    ],
)
def test_the_fall_after_a_time_preposition_is_the_season(text: str) -> None:
    # Before: "the fall" was never the season without a year.
    assert values(text) == [("the fall", "2027-FA")]


@pytest.mark.parametrize(
    "text",
    [
        "Investors worried about the fall in prices.",
        "Shares recovered since the fall of the government.",
        "He was hurt by the fall.",
    ],
)
def test_the_fall_as_a_drop_is_no_date(text: str) -> None:
    assert values(text) == []
