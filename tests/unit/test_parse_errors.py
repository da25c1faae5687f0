"""Every bad-input cause gets its own ErrorCode, and nothing but ParseError leaves the parser."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from streamproc.config import ParseSettings
from streamproc.errors import ErrorCode, ParseError
from streamproc.models import RawMessage
from streamproc.parse import parse_raw

RECEIVED_AT = datetime(2025, 9, 20, 8, 0, tzinfo=UTC)


def error_of(
    payload: bytes, settings: ParseSettings | None = None, headers: dict[str, bytes] | None = None
) -> ErrorCode:
    raw = RawMessage(payload=payload, received_at=RECEIVED_AT, headers=headers or {})
    with pytest.raises(ParseError) as caught:
        parse_raw(raw, settings or ParseSettings())
    assert caught.value.message
    return caught.value.code


@pytest.mark.parametrize("payload", [b"", b"   ", b"\n\t\r\n ", "\u00a0\u3000\n".encode()])
def test_empty(payload: bytes) -> None:
    assert error_of(payload) is ErrorCode.EMPTY


def test_oversize_is_checked_on_length_before_anything_else() -> None:
    settings = ParseSettings(max_bytes=10)
    # Would be EMPTY, BINARY or MALFORMED_JSON if anything ran before the size check.
    assert error_of(b" " * 11, settings) is ErrorCode.OVERSIZE
    assert error_of(b"\x00" * 11, settings) is ErrorCode.OVERSIZE
    assert error_of(b"{" * 11, settings) is ErrorCode.OVERSIZE
    assert error_of(b"x" * 10 + b"y", settings) is ErrorCode.OVERSIZE


def test_limit_itself_is_allowed() -> None:
    raw = RawMessage(payload=b"Ten bytes.", received_at=RECEIVED_AT)
    assert parse_raw(raw, ParseSettings(max_bytes=10)).body == "Ten bytes."


@pytest.mark.parametrize(
    "payload",
    [
        b"Some text\x00with a NUL byte in the middle of it.",
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n" + bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 20,
        b"\x01\x02\x03\x04 not really text \x05\x06\x07\x08\x0e\x0f",
    ],
)
def test_binary(payload: bytes) -> None:
    assert error_of(payload) is ErrorCode.BINARY


def test_mostly_undecodable_bytes_are_binary() -> None:
    assert error_of(bytes(range(0x80, 0x100)) * 8 + b"abc") is ErrorCode.BINARY


def test_invalid_encoding_rejected_when_repair_disabled() -> None:
    payload = "Grève générale à Marseille aujourd'hui.".encode("latin-1")
    assert error_of(payload, ParseSettings(repair_encoding=False)) is ErrorCode.INVALID_ENCODING


def test_invalid_encoding_repaired_and_flagged_by_default() -> None:
    payload = "Grève générale à Marseille aujourd'hui.".encode("latin-1")
    article = parse_raw(RawMessage(payload=payload, received_at=RECEIVED_AT), ParseSettings())
    assert article.encoding_repaired
    assert article.body == "Gr\ufffdve g\ufffdn\ufffdrale \ufffd Marseille aujourd'hui."


@pytest.mark.parametrize(
    "payload", [b"{", b'{"title": "x",}', b"[1, 2", b'{"a": NaN}', b"{'single': 'quotes'}", b"[" * 100_000]
)
def test_malformed_json(payload: bytes) -> None:
    assert error_of(payload) is ErrorCode.MALFORMED_JSON


def test_deeply_nested_object_is_malformed_not_a_crash() -> None:
    assert error_of(b'{"a":' * 100_000 + b"1" + b"}" * 100_000) is ErrorCode.MALFORMED_JSON


def test_declared_json_that_does_not_parse() -> None:
    assert error_of(b"plain words", headers={"content-type": b"application/json"}) is ErrorCode.MALFORMED_JSON


@pytest.mark.parametrize("payload", [b"[]", b'[{"title": "x", "body": "y"}]', b'"a string"', b"42", b"null"])
def test_not_an_object(payload: bytes) -> None:
    headers = {"content-type": b"application/json"}
    assert error_of(payload, headers=headers) is ErrorCode.NOT_AN_OBJECT


@pytest.mark.parametrize(
    "item",
    [
        {"title": "No body"},
        {"title": "Blank body", "body": "   \n\n  "},
        {"title": "Punctuation only", "body": "... -- !!"},
        {"title": "Empty html", "html": "<div><script>x()</script></div>"},
        {"title": "Null body", "body": None},
    ],
)
def test_no_body_json(item: dict[str, object]) -> None:
    assert error_of(orjson.dumps(item)) is ErrorCode.NO_BODY


def test_no_body_html() -> None:
    page = (
        b"<html><head><title>Only a title</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    assert error_of(page) is ErrorCode.NO_BODY


def test_no_body_scraped_page_with_header_only() -> None:
    assert error_of(b"World\nA headline here\n![caption [credit]](/x.jpg)\nBy AFP |") is ErrorCode.NO_BODY


@pytest.mark.parametrize(
    "item",
    [
        {"title": ["a", "list"], "body": "Text."},
        {"title": 5, "body": "Text."},
        {"body": {"nested": "object"}},
        {"body": ["ok", 3]},
        {"body": "Text.", "authors": 7},
        {"body": "Text.", "authors": ["ok", ["nested"]]},
        {"body": "Text.", "published_at": True},
        {"body": "Text.", "published_at": {"date": "2025-01-01"}},
        {"body": "Text.", "id": 1.5},
        {"body": "Text.", "id": False},
        {"body": "Text.", "url": 42},
        {"body": "Text.", "source": ["a"]},
        {"body": "Text.", "images": [42]},
        {"body": "Text.", "images": [{"url": 42}]},
        {"body": "Text.", "section": 3},
        {"body": "Text.", "language": 1},
    ],
)
def test_invalid_field(item: dict[str, object]) -> None:
    assert error_of(orjson.dumps(item)) is ErrorCode.INVALID_FIELD


@pytest.mark.parametrize("content_type", [b"image/png", b"application/pdf", b"video/mp4"])
def test_unsupported_content_type(content_type: bytes) -> None:
    assert error_of(b"Some text.", headers={"content-type": content_type}) is ErrorCode.UNSUPPORTED_FORMAT


def test_weird_declared_charsets_do_not_crash() -> None:
    for charset in (b"base64", b"rot13", b"idna", b"nonsense-charset", b"utf-7", b"unicode_escape"):
        raw = RawMessage(
            payload=b"Some plain text body.",
            received_at=RECEIVED_AT,
            headers={"content-type": b"text/plain; charset=" + charset},
        )
        assert parse_raw(raw, ParseSettings()).body == "Some plain text body."


def test_deeply_nested_html_falls_back_to_text_quickly() -> None:
    page = b"<div>" * 200_000 + b"deep text" + b"</div>" * 10
    raw = RawMessage(payload=page, received_at=RECEIVED_AT)
    assert parse_raw(raw, ParseSettings()).body == "deep text"
