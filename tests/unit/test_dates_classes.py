"""Classes of errors found on annotated news (TimeBank+AQUAINT, MEANTIME), in sentences written here.

Each test covers one class with fresh wording; none of these sentences comes from a corpus.
Reference: Thursday 2025-09-04 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime

from streamproc.enrich.dates import extract_dates

REF = datetime(2025, 9, 4, 12, 0, tzinfo=UTC)


def values(text: str, reference: datetime = REF) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference)]


def test_a_month_before_a_comma_and_a_capitalised_word_is_still_a_month() -> None:
    assert values("In late June, Parliament approved the budget.") == [("late June", "2025-06")]
    assert values("Last April, Mr. Ortiz resigned.") == [("Last April", "2025-04")]
    assert values("In March, Quito banned the rallies.") == [("March", "2025-03")]
    assert values("June Carter sang.") == []  # a name still is not a month
