"""Whether the broker stores a record at an offset: what the input order guard asks before it
passes over a hole in news.raw (a transaction marker holds an offset and no record)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiokafka import AIOKafkaProducer

from streamproc.kafka.admin import ensure_topics
from streamproc.kafka.reading import record_stored_at, value_stored_at
from tests.support import kafka_settings

pytestmark = pytest.mark.integration


def test_a_record_is_found_and_a_transaction_marker_is_a_real_gap(kafka_bootstrap: str) -> None:
    topic = f"test.stored-at.{uuid.uuid4().hex[:8]}"
    settings = kafka_settings(kafka_bootstrap)

    async def run() -> tuple[bool | None, bool | None, bool | None, list[bytes | None]]:
        await ensure_topics(kafka_bootstrap, {topic: 1}, 1)
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, transactional_id=topic)
        await producer.start()
        try:
            async with producer.transaction():
                await producer.send_and_wait(topic, b"a", partition=0)  # offset 0; marker at 1
            async with producer.transaction():
                await producer.send_and_wait(topic, b"b", partition=0)  # offset 2; marker at 3
        finally:
            await producer.stop()
        return (
            await record_stored_at(settings, topic, 0, 0),
            await record_stored_at(settings, topic, 0, 1),
            await record_stored_at(settings, topic, 0, 9, timeout_s=0.5),
            [await value_stored_at(settings, topic, 0, offset, timeout_s=0.5) for offset in (0, 1, 2, 9)],
        )

    record, marker, beyond_the_end, values = asyncio.run(run())
    assert values == [b"a", None, b"b", None]  # the dead-letter path's read-back of an input
    assert record is True
    assert marker is False
    assert beyond_the_end is None  # nothing there yet: no answer, so never passed over
