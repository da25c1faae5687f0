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


def test_a_range_with_its_own_start_year_is_left_alone() -> None:
    assert values("Talks ran from May 2, 2023 to May 9, 2024.") == [
        ("May 2, 2023", "2023-05-02"),
        ("May 9, 2024", "2024-05-09"),
    ]
