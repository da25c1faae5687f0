"""JSON news items with the common field aliases.

Keys match case-insensitively; for each field the first alias present with a non-empty
value wins. A ``format`` field (html, text, scraped_page, dateline) says how to read the
body; unknown values are ignored (``format`` is also used for "video", "longform", ...).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import orjson

from streamproc.errors import ErrorCode, ParseError
from streamproc.models import Image, PublishedAtSource
from streamproc.parse.dates import from_epoch, parse_datetime_local
from streamproc.parse.extracted import Extracted
from streamproc.parse.htmlpage import extract_html, looks_like_html, split_authors, split_leading_byline
from streamproc.parse.text import clean_inline, clean_optional, split_paragraphs
from streamproc.parse.textformats import parse_dateline, parse_scraped_page

ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "heading"),
    "body": (
        "body",
        "text",
        "content",
        "html",
        "articlebody",
        "article_body",
        "body_html",
        "content_html",
        "full_text",
        "fulltext",
        "article",
        "story",
    ),
    "url": ("url", "link", "canonical_url", "permalink"),
    "published_at": (
        "published_at",
        "published",
        "date",
        "pubdate",
        "datepublished",
        "publication_date",
        "published_time",
        "pub_date",
        "publishedat",
        "published_date",
        "created_at",
        "timestamp",
    ),
    "source": ("source", "publisher", "site_name"),
    "authors": ("authors", "author", "byline", "creator"),
    "language": ("language", "lang"),
    "id": ("id", "guid", "article_id", "uuid"),
    "subtitle": ("subtitle", "description", "standfirst", "summary", "dek"),
    "section": ("section", "category"),
    "images": ("images", "image"),
}
_HTML_BODY_KEYS = frozenset({"html", "body_html", "content_html"})
_FORMATS = {
    "html": "html",
    "text/html": "html",
    "text": "text",
    "plain": "text",
    "text/plain": "text",
    "scraped_page": "scraped_page",
    "scraped": "scraped_page",
    "markdown": "scraped_page",
    "dateline": "dateline",
}
MAX_LIST_ITEMS = 100
MAX_KEYS_SHOWN = 20
MAX_UNPARSED_CHARS = 200  # an unreadable date string is kept in the record up to this length

log = logging.getLogger(__name__)


def load_object(text: str) -> dict[str, Any]:
    """Decode JSON text to an object; MALFORMED_JSON / NOT_AN_OBJECT otherwise.

    orjson parses iteratively and rejects nesting deeper than 1024, so hostile input such
    as 100k ``[`` ends as a JSONDecodeError, never a RecursionError.
    """
    try:
        data = orjson.loads(text.encode("utf-8", "surrogatepass"))
    except orjson.JSONDecodeError as exc:
        raise ParseError(ErrorCode.MALFORMED_JSON, f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ParseError(ErrorCode.NOT_AN_OBJECT, f"JSON top level is {type(data).__name__}, not an object")
    return data


def _invalid(field: str, key: str, value: Any, expected: str) -> ParseError:
    return ParseError(
        ErrorCode.INVALID_FIELD, f"field {key!r} ({field}) must be {expected}, got {type(value).__name__}"
    )


class _Item:
    """Alias lookup over one JSON object."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._by_lower: dict[str, tuple[str, Any]] = {}
        for key, value in data.items():
            self._by_lower.setdefault(key.lower(), (key, value))

    def keys(self) -> list[str]:
        return [key for key, _ in self._by_lower.values()]

    def get(self, field: str) -> tuple[str, Any] | None:
        return next(self.candidates(field), None)

    def candidates(self, field: str) -> Iterator[tuple[str, Any]]:
        """Every non-empty (key, value) under an alias of ``field``, in alias order."""
        for alias in ALIASES.get(field, (field,)):
            found = self._by_lower.get(alias)
            if found is None:
                continue
            value = found[1]
            if value is None or (isinstance(value, (str, list, dict)) and not value):
                continue
            yield found

    def string(self, field: str) -> str | None:
        found = self.get(field)
        if found is None:
            return None
        key, value = found
        if not isinstance(value, str):
            raise _invalid(field, key, value, "a string")
        return clean_optional(value)


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_optional(value)
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return clean_optional(value["name"])
    return None


def _authors(item: _Item) -> list[str]:
    found = item.get("authors")
    if found is None:
        return []
    key, value = found
    if isinstance(value, str):
        return split_authors(value)
    values = value if isinstance(value, list) else [value]
    authors: list[str] = []
    for entry in values[:MAX_LIST_ITEMS]:
        name = _name(entry)
        if name is None and not (isinstance(entry, dict) and not entry):
            raise _invalid("authors", key, entry, "a name string or {name: ...}")
        if name:
            authors.append(name)
    return list(dict.fromkeys(authors))


def _source(item: _Item) -> str | None:
    found = item.get("source")
    if found is None:
        return None
    key, value = found
    if isinstance(value, (str, dict)):
        return _name(value)
    raise _invalid("source", key, value, "a string or {name: ...}")


def _section(item: _Item) -> str | None:
    found = item.get("section")
    if found is None:
        return None
    key, value = found
    if isinstance(value, list) and value:
        value = value[0]  # a list of categories: the first is the primary section
    if not isinstance(value, str):
        raise _invalid("section", key, value, "a string or a list of strings")
    return clean_optional(value)


def _given_id(item: _Item) -> str | None:
    found = item.get("id")
    if found is None:
        return None
    key, value = found
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _invalid("id", key, value, "a string or an integer")
    return str(value).strip() or None


def _published_at(item: _Item, result: Extracted) -> None:
    unparsed: tuple[str, Any] | None = None
    for key, value in item.candidates("published_at"):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise _invalid("published_at", key, value, "a date string or epoch number")
        parsed = parse_datetime_local(value) if isinstance(value, str) else from_epoch(value)
        if parsed is not None:  # feeds often carry a display date beside a machine-readable one
            result.published_at, result.published_at_source = parsed, PublishedAtSource.EXPLICIT
            return
        unparsed = unparsed or (key, value)
    if unparsed is None:
        return
    key, value = unparsed
    # An unreadable date is not worth losing the article: it stays visible in the record
    # (published_at_unparsed) and the date falls back to the next source.
    result.published_at_unparsed = str(value)[:MAX_UNPARSED_CHARS]
    log.info(
        "explicit date %r in field %r does not parse; falling back to the next date source",
        result.published_at_unparsed,
        key,
        extra={"field": key},
    )


def _image(entry: Any, key: str) -> Image | None:
    if isinstance(entry, str):
        return Image(url=clean_optional(entry))
    if isinstance(entry, dict):
        url = entry.get("url") or entry.get("src") or entry.get("href")
        caption = entry.get("caption") or entry.get("alt") or entry.get("title")
        credit = entry.get("credit") or entry.get("copyright")
        if isinstance(credit, dict):
            credit = credit.get("name")
        parts = (url, caption, credit)
        if all(part is None or isinstance(part, str) for part in parts):
            if url is None and caption is None:
                return None
            return Image(
                url=clean_optional(url), caption=clean_optional(caption), credit=clean_optional(credit)
            )
    raise _invalid("images", key, entry, "a URL string or {url, caption, credit}")


def _images(item: _Item) -> list[Image]:
    found = item.get("images")
    if found is None:
        return []
    key, value = found
    values = value if isinstance(value, list) else [value]
    return [image for entry in values[:MAX_LIST_ITEMS] if (image := _image(entry, key)) is not None]


def _no_body(item: _Item) -> ParseError:
    keys = item.keys()
    shown = ", ".join(keys[:MAX_KEYS_SHOWN]) + (
        f", ... ({len(keys)} keys)" if len(keys) > MAX_KEYS_SHOWN else ""
    )
    return ParseError(
        ErrorCode.NO_BODY,
        f"no body text found (json): keys seen: {shown or 'none'}; "
        f"the body is read from one of: {', '.join(ALIASES['body'])}",
    )


def _body(item: _Item, body_format: str | None, result: Extracted) -> None:
    found = item.get("body")
    if found is None:
        raise _no_body(item)
    key, value = found
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        value = "\n\n".join(value)  # a list of paragraphs
    if not isinstance(value, str):
        raise _invalid("body", key, value, "a string or a list of strings")
    if body_format is None:
        is_html = key.lower() in _HTML_BODY_KEYS or looks_like_html(value)
        body_format = "html" if is_html else "text"
    inner: Extracted | None = None
    if body_format == "html":
        inner = extract_html(value)
    elif body_format == "scraped_page":
        inner = parse_scraped_page(value)
    elif body_format == "dateline":
        inner = parse_dateline(value)
    if inner is None:
        # A byline paragraph at the start of the text is not body text, as in HTML and plain text.
        authors, result.paragraphs = split_leading_byline(split_paragraphs(value))
        result.authors = result.authors or authors
        return
    result.paragraphs = inner.paragraphs
    # The JSON fields win; what the body itself says fills the gaps.
    result.title = result.title or inner.title
    result.subtitle = result.subtitle or inner.subtitle
    result.section = result.section or inner.section
    result.authors = result.authors or inner.authors
    result.images = result.images or inner.images
    result.url = result.url or inner.url
    result.language = result.language or inner.language
    if result.published_at is None and inner.published_at is not None:
        result.published_at, result.published_at_source = inner.published_at, inner.published_at_source


def parse_json_item(data: dict[str, Any]) -> Extracted:
    item = _Item(data)
    result = Extracted(format="json")
    format_found = item.get("format")
    body_format: str | None = None
    if format_found is not None and isinstance(format_found[1], str):
        body_format = _FORMATS.get(clean_inline(format_found[1]).lower())
    result.title = item.string("title")
    result.subtitle = item.string("subtitle")
    result.section = _section(item)
    result.url = item.string("url")
    result.source = _source(item)
    result.authors = _authors(item)
    result.language = item.string("language")
    result.given_id = _given_id(item)
    result.images = _images(item)
    _published_at(item, result)
    _body(item, body_format, result)
    return result
