"""Relative dates anchor to the article's local day when the source gives a UTC offset.

``published_at`` is stored in UTC (ordering), but "tonight" in an article published at
2025-03-04T23:30:00-05:00 is the evening of March 4, not of March 5 (its UTC day).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import orjson
from hypothesis import given
from hypothesis import strategies as st

from streamproc.config import EnrichSettings, ParseSettings
from streamproc.enrich.dates import extract_dates
from streamproc.enrich.nlp import load_pipeline
from streamproc.enrich.pipeline import EnrichedParts, enrich_articles
from streamproc.models import Article, RawMessage
from streamproc.parse import parse_raw
from streamproc.parse.dates import parse_datetime, parse_datetime_local

RECEIVED = datetime(2025, 3, 6, tzinfo=UTC)


def parsed(item: dict[str, object]) -> Article:
    return parse_raw(RawMessage(orjson.dumps(item), RECEIVED), ParseSettings())


def test_the_local_time_keeps_its_offset_and_the_utc_one_is_unchanged() -> None:
    local = parse_datetime_local("2025-03-04T23:30:00-05:00")
    assert local is not None and local.date().isoformat() == "2025-03-04"
    assert local.utcoffset() == timedelta(hours=-5)
    assert parse_datetime("2025-03-04T23:30:00-05:00") == datetime(2025, 3, 5, 4, 30, tzinfo=UTC)
    rfc = parse_datetime_local("Tue, 04 Mar 2025 23:30:00 -0500")
    assert rfc is not None and rfc.date().isoformat() == "2025-03-04"
    assert parse_datetime_local("2025-03-04T23:30:00") == datetime(2025, 3, 4, 23, 30, tzinfo=UTC)


def test_the_record_keeps_utc_and_the_article_its_local_day() -> None:
    article = parsed(
        {"title": "Vote", "body": "The council votes tonight.", "published_at": "2025-03-04T23:30:00-05:00"}
    )
    assert article.published_at == datetime(2025, 3, 5, 4, 30, tzinfo=UTC)
    assert article.published_at is not None and article.published_at.tzinfo is UTC
    local = article.published_local()
    assert local is not None and local.date().isoformat() == "2025-03-04"
    # UTC given, or no offset at all: nothing to keep.
    assert (
        parsed({"body": "Text here.", "published_at": "2025-03-04T23:30:00Z"}).published_at_offset_s is None
    )


def test_tonight_and_today_in_an_evening_article_are_its_local_day() -> None:
    article = parsed(
        {
            "title": "Council to vote tonight",
            "body": "The city council votes on the budget tonight. The mayor said today that she backs it.",
            "published_at": "2025-03-04T23:30:00-05:00",
        }
    )
    (result,) = enrich_articles(
        load_pipeline(EnrichSettings().model), [article], batch_size=4, max_chars=10_000
    )
    assert isinstance(result, EnrichedParts)
    values = {d.text.lower(): d.value for d in result.dates}
    assert values["tonight"].startswith("2025-03-04"), values
    assert values["today"] == "2025-03-04", values


@given(
    local=st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2040, 12, 30)),
    quarter_hours=st.integers(min_value=-14 * 4, max_value=14 * 4),
)
def test_today_is_the_local_day_whatever_the_offset(local: datetime, quarter_hours: int) -> None:
    zone = timezone(timedelta(minutes=15 * quarter_hours))
    stamp = local.replace(microsecond=0, tzinfo=zone).isoformat()
    article = parsed({"body": "The minister resigned today.", "published_at": stamp})
    assert article.published_at is not None and article.published_at.tzinfo is UTC
    reference = article.published_local()
    assert reference is not None
    (today,) = extract_dates("The minister resigned today.", "body", reference)
    assert today.value == local.date().isoformat(), stamp
