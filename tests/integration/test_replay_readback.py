"""The replay read-back against real Kafka: inputs whose outputs were appended since a time."""

from __future__ import annotations

import asyncio
import time
import uuid

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from streamproc.config import KafkaSettings, Settings
from streamproc.kafka.admin import ensure_topics
from streamproc.kafka.replay import published_since

pytestmark = pytest.mark.integration


def _record(partition: int, offset: int) -> bytes:
    return orjson.dumps(
        {
            "id": f"a-{partition}-{offset}",
            "source_offset": {"topic": "in", "partition": partition, "offset": offset},
        }
    )


def test_published_since_finds_the_inputs_of_recent_outputs_only(kafka_bootstrap: str) -> None:
    run = uuid.uuid4().hex[:8]
    topics = [f"readback-{run}.enriched", f"readback-{run}.dlq"]
    settings = Settings(kafka=KafkaSettings(bootstrap=kafka_bootstrap))
    now_ms = int(time.time() * 1000)

    async def scenario() -> tuple[set[str], set[str], set[str]]:
        await ensure_topics(kafka_bootstrap, dict.fromkeys(topics, 2), 1)
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
        await producer.start()
        try:
            for offset in range(5):  # ten minutes old: before any replay window below
                await producer.send_and_wait(topics[0], _record(0, offset), timestamp_ms=now_ms - 600_000)
            for offset in range(5, 8):
                await producer.send_and_wait(topics[0], _record(1, offset), timestamp_ms=now_ms)
            await producer.send_and_wait(topics[1], _record(3, 1), partition=1, timestamp_ms=now_ms)
            await producer.send_and_wait(topics[1], b"not a record of ours", timestamp_ms=now_ms)
        finally:
            await producer.stop()
        recent = await published_since(settings, topics, now_ms - 1000)
        everything = await published_since(settings, topics, 0)
        future = await published_since(settings, topics, now_ms + 60_000)
        return recent, everything, future

    recent, everything, future = asyncio.run(scenario())
    assert recent == {"in/1/5", "in/1/6", "in/1/7", "in/3/1"}
    assert everything == recent | {f"in/0/{offset}" for offset in range(5)}
    assert future == set()
