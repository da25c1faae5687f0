"""Raw message bytes -> :class:`~streamproc.models.Article`, or a :class:`ParseError` with a code.

Entry point: :func:`parse_raw`. Formats are detected automatically (JSON item, HTML page,
scraped-page text, dateline text, plain text); a ``content-type`` Kafka header forces one.

Publication date precedence (first found wins), and ``published_at_source``:

1. ``explicit``: a date field of a JSON item.
2. ``html_meta``: article:published_time, JSON-LD datePublished, date metas, ``<time datetime>``.
3. ``dateline``: a ``date YYYY-MM-DD`` header, or a date after a ``By X |`` byline.
4. ``inferred``: the LATEST date among dated image captions ("on September 4, 2025") and dated
   URL paths of the article and its images (``/2025/09/05/``), ignoring dates after the time
   of receipt. A publication cannot precede the event it reports nor the images it embeds,
   so the latest evidence is the closest lower bound of the publication date: sample 000
   (caption 2025-09-04, image path 2025-09-05) is dated 2025-09-05.
5. ``ingestion``: ``raw.received_at``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streamproc.config import ParseSettings
from streamproc.errors import ErrorCode, ParseError
from streamproc.models import Article, PublishedAtSource, RawMessage
from streamproc.parse.dates import date_in_path, dates_in_text
from streamproc.parse.decode import decode_payload
from streamproc.parse.extracted import Extracted
from streamproc.parse.fingerprint import content_fingerprint, normalise_for_fingerprint
from streamproc.parse.htmlpage import extract_html, looks_like_html
from streamproc.parse.ids import article_id, canonical_url
from streamproc.parse.jsonitem import load_object, parse_json_item
from streamproc.parse.language import detect_language, normalise_declared, warm_up
from streamproc.parse.text import has_text, join_paragraphs, word_count
from streamproc.parse.textformats import parse_text

__all__ = [
    "ParseError",
    "article_id",
    "canonical_url",
    "content_fingerprint",
    "detect_format",
    "normalise_for_fingerprint",
    "parse_raw",
    "warm_up",
]

_JSON_TYPES = frozenset({"application/json", "text/json", "application/ld+json"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
_AUTO_TYPES = frozenset({"", "application/octet-stream", "*/*"})
# Inferred dates may run this far ahead of receipt (time zones) before they count as wrong.
_FUTURE_TOLERANCE = timedelta(days=1)


def _header(raw: RawMessage, name: str) -> str | None:
    for key, value in raw.headers.items():
        if isinstance(key, str) and key.lower() == name:
            if isinstance(value, bytes):
                return value.decode("utf-8", "replace")
            return value if isinstance(value, str) else None
    return None


def detect_format(text: str, content_type: str | None) -> str:
    """``json``, ``html`` or ``text`` (the text readers tell scraped page, dateline and plain apart).

    A known content-type forces the format; an unknown one is UNSUPPORTED_FORMAT; none (or
    application/octet-stream) means auto-detection from the first characters.
    """
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type in _JSON_TYPES or media_type.endswith("+json"):
        return "json"
    if media_type in _HTML_TYPES:
        return "html"
    if media_type in _TEXT_TYPES:
        return "text"
    if media_type not in _AUTO_TYPES:
        raise ParseError(ErrorCode.UNSUPPORTED_FORMAT, f"content-type {media_type!r} is not a news format")
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return "json"
    if looks_like_html(stripped):
        return "html"
    return "text"


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _inferred_date(extracted: Extracted, received_at: datetime) -> datetime | None:
    candidates: list[datetime] = []
    for image in extracted.images:
        if image.caption:
            candidates.extend(dates_in_text(image.caption))
        if image.url:
            candidates.extend(filter(None, [date_in_path(image.url)]))
    if extracted.url:
        candidates.extend(filter(None, [date_in_path(extracted.url)]))
    latest_allowed = received_at + _FUTURE_TOLERANCE
    plausible = [moment for moment in candidates if moment <= latest_allowed]
    return max(plausible) if plausible else None


def _publication(extracted: Extracted, received_at: datetime) -> tuple[datetime, PublishedAtSource]:
    if extracted.published_at is not None and extracted.published_at_source is not None:
        return extracted.published_at, extracted.published_at_source
    inferred = _inferred_date(extracted, received_at)
    if inferred is not None:
        return inferred, PublishedAtSource.INFERRED
    return received_at, PublishedAtSource.INGESTION


def _read(text: str, content_type: str | None) -> Extracted:
    fmt = detect_format(text, content_type)
    if fmt == "json":
        return parse_json_item(load_object(text))
    if fmt == "html":
        return extract_html(text)
    return parse_text(text)


def _parse(raw: RawMessage, settings: ParseSettings) -> Article:
    content_type = _header(raw, "content-type")
    decoded = decode_payload(raw.payload, settings, content_type)
    extracted = _read(decoded.text, content_type)

    # Every reader already returns cleaned paragraphs (clean_inline); only drop empties here.
    paragraphs = [paragraph for paragraph in extracted.paragraphs if paragraph]
    body = join_paragraphs(paragraphs)
    if not has_text(body):
        raise ParseError(ErrorCode.NO_BODY, f"no body text found ({extracted.format})")
    fingerprint = content_fingerprint(body)
    received_at = _as_utc(raw.received_at)
    published_at, published_at_source = _publication(extracted, received_at)
    offset = published_at.utcoffset()
    url = extracted.url
    language = detect_language(body) or normalise_declared(extracted.language)
    return Article(
        id=article_id(extracted.given_id, url, fingerprint),
        title=extracted.title,
        subtitle=extracted.subtitle,
        section=extracted.section,
        authors=extracted.authors,
        source=extracted.source,
        url=url,
        published_at=published_at.astimezone(UTC),  # the record's, for ordering
        published_at_source=published_at_source,
        published_at_offset_s=int(offset.total_seconds()) if offset else None,
        language=language,
        body=body,
        paragraphs=paragraphs,
        word_count=word_count(body),
        images=extracted.images,
        fingerprint=fingerprint,
        format=extracted.format,
        encoding_repaired=decoded.repaired,
        published_at_unparsed=extracted.published_at_unparsed,
    )


def parse_raw(raw: RawMessage, settings: ParseSettings) -> Article:
    """Parse one raw message. Raises :class:`ParseError` (with an ``ErrorCode``) and nothing else.

    Any unexpected exception is a bug; it is turned into ``ErrorCode.INTERNAL`` so the
    message still reaches the dead-letter topic instead of crashing the worker.
    """
    try:
        return _parse(raw, settings)
    except ParseError:
        raise
    except Exception as exc:  # the no-crash contract; tests assert INTERNAL never happens
        raise ParseError(ErrorCode.INTERNAL, f"unexpected {type(exc).__name__} while parsing") from exc
