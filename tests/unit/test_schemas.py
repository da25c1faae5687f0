"""The shipped JSON Schemas describe every field of the records, and nothing the records lack."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import orjson
import pytest

from streamproc.config import ParseSettings
from streamproc.models import DeadLetter, EnrichedArticle, Enrichment, RawMessage, dumps
from streamproc.parse import parse_raw
from streamproc.schemas import load_schema

RECEIVED = datetime(2025, 9, 5, 12, tzinfo=UTC)
BODY = "Officials met in Quito on Thursday to discuss security cooperation and trade."


@pytest.mark.parametrize(("schema", "record"), [("enriched.v1", EnrichedArticle), ("dlq.v1", DeadLetter)])
def test_schema_properties_are_the_record_fields(schema: str, record: type) -> None:
    loaded = load_schema(schema)
    names = {f.name for f in fields(record)}
    assert set(loaded["properties"]) == names
    assert set(loaded["required"]) == names
    assert loaded["additionalProperties"] is False


SAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@pytest.mark.parametrize(
    ("payload", "expected_format"),
    [
        (orjson.dumps({"title": "Talks", "body": BODY}), "json"),
        (f"<html><body><article><p>{BODY}</p></article></body></html>".encode(), "html"),
        (next(SAMPLES.glob("000_*.txt")).read_bytes(), "scraped_page"),
        (next(SAMPLES.glob("001_*.txt")).read_bytes(), "dateline"),
        (BODY.encode(), "text"),
        (b"\xffTalks in Quito " + BODY.encode(), "text"),
    ],
    ids=["json", "html", "scraped_page", "dateline", "text", "repaired"],
)
def test_an_article_of_each_format_validates(payload: bytes, expected_format: str) -> None:
    value = published(payload)
    assert value["format"] == expected_format
    assert value["encoding_repaired"] is payload.startswith(b"\xff")
    jsonschema.validate(value, load_schema("enriched.v1"))


def test_a_field_the_schema_does_not_know_is_refused() -> None:
    value = published(BODY.encode()) | {"unknown": 1}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(value, load_schema("enriched.v1"))


def published(payload: bytes) -> dict[str, object]:
    """The record the worker would publish for ``payload`` (no entities or dates found)."""
    article = parse_raw(RawMessage(payload=payload, received_at=RECEIVED), ParseSettings())
    record = EnrichedArticle.from_article(
        article,
        entities=[],
        dates=[],
        ingested_at=RECEIVED,
        source_offset=None,
        enrichment=Enrichment(ner="x"),
    )
    record.story_id = "s-0000000000000001"
    record.processed_at = RECEIVED
    value: dict[str, object] = orjson.loads(dumps(record))
    return value


def test_every_error_code_is_in_the_dead_letter_schema() -> None:
    from streamproc.errors import ErrorCode
    from streamproc.schemas import load_schema

    codes = load_schema("dlq.v1")["properties"]["error"]["properties"]["code"]["enum"]
    assert sorted(codes) == sorted(code.value for code in ErrorCode)
