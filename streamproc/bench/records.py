"""Bare records for benchmarks and tests: an `Article` or `EnrichedArticle` built from text alone,
with every field a parser or the enrichment would fill set to a neutral value."""

from __future__ import annotations

from datetime import datetime

from streamproc.models import Article, Dedup, EnrichedArticle, Entity, PublishedAtSource
from streamproc.parse.fingerprint import content_fingerprint


def text_article(
    article_id: str,
    *,
    title: str | None,
    subtitle: str | None,
    paragraphs: list[str],
    published_at: datetime | None,
    fmt: str = "text",
) -> Article:
    """An English article as the parser gives it for these paragraphs; its id is its fingerprint."""
    body = "\n\n".join(paragraphs)
    return Article(
        id=article_id,
        title=title,
        subtitle=subtitle,
        section=None,
        authors=[],
        source=None,
        url=None,
        published_at=published_at,
        published_at_source=PublishedAtSource.DATELINE if published_at else PublishedAtSource.INGESTION,
        language="en",
        body=body,
        paragraphs=paragraphs,
        word_count=len(body.split()),
        images=[],
        fingerprint=article_id,
        format=fmt,
    )


def bare_enriched(
    article_id: str,
    body: str,
    entities: list[Entity],
    published: datetime,
    *,
    source: str | None = None,
    ingested_at: datetime | None = None,
) -> EnrichedArticle:
    """An enriched English article with these entities, no dates and no dedup verdict yet."""
    return EnrichedArticle(
        id=article_id,
        source=source,
        url=None,
        title=None,
        subtitle=None,
        section=None,
        authors=[],
        published_at=published,
        published_at_source=PublishedAtSource.EXPLICIT,
        language="en",
        body=body,
        word_count=len(body.split()),
        images=[],
        entities=entities,
        dates=[],
        fingerprint=content_fingerprint(body),
        dedup=Dedup(),
        story_id=None,
        ingested_at=ingested_at or published,
        processed_at=None,
        source_offset=None,
        format="text",
        encoding_repaired=False,
    )
