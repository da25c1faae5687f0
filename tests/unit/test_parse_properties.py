"""Property tests: the parser never raises anything but ParseError (and never INTERNAL, which
would be a bug caught by the safety net), and fingerprints survive re-serialisation."""

from __future__ import annotations

import string
from datetime import UTC, datetime
from typing import Any

import orjson
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from streamproc.config import ParseSettings
from streamproc.errors import ErrorCode, ParseError
from streamproc.models import Article, RawMessage
from streamproc.parse import parse_raw
from streamproc.parse.fingerprint import content_fingerprint
from streamproc.parse.text import clean_inline

RECEIVED_AT = datetime(2025, 9, 20, 8, 0, tzinfo=UTC)
PROFILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(payload: bytes, headers: dict[str, bytes] | None = None, **options: Any) -> Article | ErrorCode:
    raw = RawMessage(payload=payload, received_at=RECEIVED_AT, headers=headers or {})
    try:
        article = parse_raw(raw, ParseSettings(**options))
    except ParseError as error:
        assert error.code is not ErrorCode.INTERNAL, error.__cause__
        return error.code
    # Every article honours the output contract.
    assert article.body and article.body == "\n\n".join(article.paragraphs)
    assert all(paragraph and paragraph == clean_inline(paragraph) for paragraph in article.paragraphs)
    assert article.published_at is not None and article.published_at.utcoffset() is not None
    assert article.id.startswith("a-") and len(article.id) == 34
    assert article.fingerprint == content_fingerprint(article.body)
    return article


@PROFILE
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(payload: bytes) -> None:
    outcome(payload)


@PROFILE
@given(st.binary(max_size=500), st.booleans())
def test_arbitrary_bytes_without_repair(payload: bytes, repair: bool) -> None:
    outcome(payload, repair_encoding=repair)


@PROFILE
@given(st.text(max_size=2000))
def test_arbitrary_text(text: str) -> None:
    outcome(text.encode("utf-8", "surrogatepass"))


@PROFILE
@given(st.text(alphabet=st.sampled_from("a0 \t\n\x85\xa0\u2028\u200b\u00ad\ufeff\x07"), max_size=40))
def test_clean_inline_is_idempotent_around_invisible_characters(text: str) -> None:
    # An invisible character between two whitespace runs once left a trailing or double space.
    cleaned = clean_inline(text)
    assert cleaned == clean_inline(cleaned)
    assert cleaned == cleaned.strip() and "  " not in cleaned


def test_soft_hyphen_after_a_line_break_leaves_no_trailing_space() -> None:
    assert clean_inline("0\x85\xad") == "0"


_CONTENT_TYPES = st.sampled_from(
    [
        b"application/json",
        b"text/html",
        b"text/plain",
        b"text/html; charset=latin-1",
        b"image/png",
        b"",
        b"\xff\xfe",
    ]
)


@PROFILE
@given(st.text(max_size=500), _CONTENT_TYPES)
def test_arbitrary_text_with_content_type(text: str, content_type: bytes) -> None:
    outcome(text.encode("utf-8", "surrogatepass"), headers={"content-type": content_type})


_json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50)
_json_values = st.recursive(
    _json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
_FIELD_NAMES = st.sampled_from(
    [
        "title",
        "headline",
        "body",
        "text",
        "content",
        "html",
        "url",
        "link",
        "published_at",
        "date",
        "pubDate",
        "source",
        "publisher",
        "authors",
        "author",
        "byline",
        "language",
        "lang",
        "id",
        "subtitle",
        "section",
        "category",
        "images",
        "image",
        "format",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_FIELD_NAMES, _json_values, max_size=8))
def test_jsonish_objects(item: dict[str, Any]) -> None:
    try:
        payload = orjson.dumps(item)
    except (TypeError, orjson.JSONEncodeError):
        return  # integers beyond 64 bits: not JSON orjson can write
    outcome(payload)


_HTML_PIECES = st.sampled_from(
    [
        "<html>",
        "<head>",
        "<title>",
        "</title>",
        "<meta property='og:title' content='x'>",
        "<body>",
        "<article>",
        "<p>",
        "</p>",
        "<div class='share'>",
        "</div>",
        "<script>",
        "</script>",
        "<figure><img src='/2025/01/02/a.jpg'>",
        "<figcaption>",
        "on May 3, 2024 [AFP]",
        "</figure>",
        "<time datetime='2025-13-45'>",
        "<br>",
        "text words here",
        "<script type='application/ld+json'>",
        '{"@type": "NewsArticle", "author": 5, "datePublished": [1]}',
        "<h1>",
        "&amp;",
        "&#xD800;",
        "<!--",
        "-->",
        "<nav>",
        "</nav>",
        "\n",
        " ",
        "By AFP |",
        "![c [d]](u)",
        "date 2025-01-01 ",
    ]
)


@PROFILE
@given(st.lists(_HTML_PIECES, max_size=40))
def test_htmlish_documents(pieces: list[str]) -> None:
    outcome("".join(pieces).encode())


# --- fingerprint stability ------------------------------------------------------------------

_WORD = st.text(alphabet=string.ascii_letters + string.digits + "éüßçÅ'’“”\"-—–.,!?", min_size=1, max_size=12)
_PARAGRAPH = st.lists(_WORD, min_size=1, max_size=15).map(" ".join)
_SPACE = st.sampled_from([" ", "  ", "\t", "\u00a0", " \u2009 "])


@PROFILE
@given(st.lists(_PARAGRAPH, min_size=1, max_size=6), st.none() | _PARAGRAPH)
def test_fingerprint_stable_when_reserialised_as_json(paragraphs: list[str], title: str | None) -> None:
    text = ((title + "\n\n") if title else "") + "\n\n".join(paragraphs)
    first = outcome(text.encode())
    assume(isinstance(first, Article))  # e.g. punctuation-only bodies are NO_BODY
    assert isinstance(first, Article)
    reserialised = orjson.dumps({"title": first.title, "body": first.body})
    second = outcome(reserialised)
    assert isinstance(second, Article)
    assert second.fingerprint == first.fingerprint
    assert second.body == first.body


@PROFILE
@given(st.lists(_WORD, min_size=1, max_size=30), st.data())
def test_fingerprint_insensitive_to_whitespace_case_and_quotes(words: list[str], data: st.DataObject) -> None:
    text = " ".join(words)
    spaced = data.draw(_SPACE) + "".join(word + data.draw(_SPACE) for word in words)
    restyled = spaced.upper().replace("'", "’").replace('"', "“").replace("—", "--").replace("–", "-")
    assert content_fingerprint(restyled) == content_fingerprint(text)
    assert content_fingerprint(text.lower()) == content_fingerprint(text)


@PROFILE
@given(st.text(max_size=200))
def test_fingerprint_never_raises_and_is_hex(text: str) -> None:
    digest = content_fingerprint(text)
    assert len(digest) == 32 and int(digest, 16) >= 0
