"""An input over the input limit (let in by a topic another tool made, or another producer) still
becomes a dead letter the app's topics take: the worker must not stop on it at every restart."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, datetime

from streamproc.config import ParseSettings, Settings
from streamproc.models import DeadLetter, RawMessage, SourceOffset
from streamproc.pipeline import Ingestor

SETTINGS = replace(Settings(), parse=ParseSettings(max_bytes=1000))  # input limit: 1000 + 1 MiB


def parsed(payload: bytes) -> DeadLetter:
    raw = RawMessage(
        payload=payload,
        received_at=datetime(2025, 1, 2, tzinfo=UTC),
        source_offset=SourceOffset("news.raw", 1, 20),
    )
    [letter] = Ingestor(SETTINGS).parse_all([raw])
    assert isinstance(letter, DeadLetter)
    return letter


def test_an_input_over_the_limit_keeps_its_first_bytes_and_says_where_the_rest_is() -> None:
    limit = SETTINGS.input_message_limit
    payload = b"x" * (limit + 5000)
    letter = parsed(payload)
    assert letter.error.code == "oversize" and letter.payload_bytes == len(payload)
    assert base64.b64decode(letter.payload_b64) == payload[:limit]
    assert letter.error.message == (
        f"payload is {len(payload)} bytes, the limit is 1000; payload_b64 holds its first {limit} bytes "
        "only (the input limit), the whole message is at news.raw/1/20"
    )
    # What the worker writes for it fits the topics it creates.
    assert len(letter.payload_b64) + 4096 < SETTINGS.output_message_limit


def test_an_oversize_input_within_the_limit_keeps_all_its_bytes() -> None:
    payload = b"y" * 2000
    letter = parsed(payload)
    assert base64.b64decode(letter.payload_b64) == payload
    assert letter.error.message == "payload is 2000 bytes, the limit is 1000"
