"""Publication-date parsing and the evidence used to infer one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.parse.dates import date_in_path, dates_in_text, from_epoch, parse_datetime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-09-04", datetime(2025, 9, 4, tzinfo=UTC)),
        ("2025-09-04T10:30:00Z", datetime(2025, 9, 4, 10, 30, tzinfo=UTC)),
        ("2025-09-04T10:30:00.123+02:00", datetime(2025, 9, 4, 8, 30, 0, 123000, tzinfo=UTC)),
        ("2025-09-04 10:30", datetime(2025, 9, 4, 10, 30, tzinfo=UTC)),
        ("20250904T103000Z", datetime(2025, 9, 4, 10, 30, tzinfo=UTC)),
        ("Thu, 04 Sep 2025 10:30:00 +0200", datetime(2025, 9, 4, 8, 30, tzinfo=UTC)),
        ("Thu, 04 Sep 2025 10:30:00 GMT", datetime(2025, 9, 4, 10, 30, tzinfo=UTC)),
        ("1757030400", datetime(2025, 9, 5, tzinfo=UTC)),
        ("1757030400000", datetime(2025, 9, 5, tzinfo=UTC)),
        ("September 4, 2025", datetime(2025, 9, 4, tzinfo=UTC)),
        ("4 Sept. 2025", datetime(2025, 9, 4, tzinfo=UTC)),
        ("2025/9/4", datetime(2025, 9, 4, tzinfo=UTC)),
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2025-13-45", "0001-01-01", "9999-12-31T23:59:59-05:00", "x" * 500]
)
def test_parse_datetime_rejects(text: str) -> None:
    assert parse_datetime(text) is None


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf"), 1e30])
def test_from_epoch_rejects_nonsense(value: float) -> None:
    assert from_epoch(value) is None


def test_dates_in_caption() -> None:
    caption = "Rubio (L) shakes hands with Noboa in Quito on September 4, 2025, after talks."
    assert dates_in_text(caption) == [datetime(2025, 9, 4, tzinfo=UTC)]
    assert dates_in_text("A photo taken on 31 February 2025") == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/gc4/images/2025/09/05/51850-rubio-600_384.webp", datetime(2025, 9, 5, tzinfo=UTC)),
        ("https://x.com/news/2025-09-05/story", datetime(2025, 9, 5, tzinfo=UTC)),
        ("https://x.com/20250905/story", datetime(2025, 9, 5, tzinfo=UTC)),
        ("https://x.com/2025/09/story", None),
        ("https://x.com/a?d=2025/09/05", None),
        ("https://x.com/id/1234567890", None),
    ],
)
def test_date_in_path(url: str, expected: datetime | None) -> None:
    assert date_in_path(url) == expected
