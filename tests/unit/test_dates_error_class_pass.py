"""Date classes the TBAQ error-class pass fixed: counts with a half ("5 1/2 hours", "an hour and a
half"), "a year earlier" after results over several quarters, counted business days, "the near
future". Sentences written here, none from a corpus; each test fails on the code before the pass."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.enrich.dates import extract_dates

OCTOBER = datetime(2025, 10, 28, 12, tzinfo=UTC)  # a Tuesday in results season


def values(text: str, reference: datetime = OCTOBER) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference, language="en")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The crew spent 3 1/2 hours on the ridge.", [("3 1/2 hours", "PT3H30M")]),
        ("Talks dragged on for 1 1/2 years.", [("1 1/2 years", "P1.5Y")]),
        ("The queue moved after about 2½ hours.", [("about 2½ hours", "PT2H30M")]),
        ("The hearing lasted an hour and a half.", [("an hour and a half", "PT1H30M")]),
        ("A minute and a half later the lights went out.", [("A minute and a half", "PT1M30S")]),
        ("The closure lasted a week and a half.", [("a week and a half", "P1.5W")]),
    ],
)
def test_a_count_with_a_half_keeps_the_half(text: str, expected: list[tuple[str, str]]) -> None:
    # before: "3 1/2 hours" read as "2 hours" (the count after the slash), "an hour and a half" as PT1H;
    # hours and minutes write their half in the next unit down since the twentieth pass (PT3H30M)
    assert values(text) == expected


def test_a_fraction_alone_and_a_plural_before_a_half_are_not_counts() -> None:
    assert values("Mix 1/2 cup of flour.") == []
    assert values("It took three days and a half-hearted apology.") == [("three days", "P3D")]


def test_a_year_earlier_after_several_quarters_is_the_year_before() -> None:
    text = (
        "Third-quarter profit rose 4% from a year earlier. For the nine months, the brewer earned "
        "$80 million, up from $61 million a year earlier."
    )
    assert values(text) == [
        ("Third-quarter", "2025-Q3"),
        ("a year earlier", "2024-Q3"),
        ("nine months", "P9M"),
        ("a year earlier", "2024"),
    ]
    # the same comparison over one quarter keeps the quarter
    assert values("Third-quarter sales fell. Quarterly revenue slipped from a year earlier.")[-1] == (
        "a year earlier",
        "2024-Q3",
    )


def test_a_year_earlier_adjective_after_several_quarters_is_the_year_before() -> None:
    text = "For the first nine months, the insurer lost $4 million, against year-earlier profit of $9 million"
    assert values(text) == [("the first nine months", "P9M"), ("year-earlier", "2024")]
    assert values("The third-quarter loss compares with year-earlier profit of $2 million.")[-1] == (
        "year-earlier",
        "2024-Q3",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Refunds arrive within ten business days.", [("ten business days", "P10D")]),
        ("Shares drifted for six trading days.", [("six trading days", "P6D")]),
        ("The order takes three working days.", [("three working days", "P3D")]),
    ],
)
def test_counted_business_days_are_days(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


def test_the_near_and_distant_future() -> None:
    assert values("The firm may list its unit in the near future.") == [("the near future", "FUTURE_REF")]
    assert values("Colonies on Mars belong to the distant future.") == [("the distant future", "FUTURE_REF")]
    assert values("He sees no change for the foreseeable future.") == []  # TimeBank leaves it untagged
