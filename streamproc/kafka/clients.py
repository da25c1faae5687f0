"""Producing raw articles and consuming output topics (the CLI's ``produce`` and ``consume``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streamproc.config import Settings
from streamproc.inputs import InputItem
from streamproc.kafka.admin import kafka_client_kwargs
from streamproc.kafka.reading import topic_partitions


@dataclass
class ProduceSummary:
    sent: int = 0
    bytes: int = 0
    failed: int = 0
    seconds: float = 0.0


async def produce_items(
    settings: Settings,
    items: Iterable[InputItem],
    *,
    topic: str | None = None,
    rate: float | None = None,
    on_sent: Callable[[InputItem], None] | None = None,
) -> ProduceSummary:
    """Send each item as one message (key: none, so the partitioner spreads them). ``rate``: msgs/s."""
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        max_request_size=max(settings.parse.max_bytes * 2, 1_048_576),
        linger_ms=5,
        **kafka_client_kwargs(settings.kafka),
    )
    summary = ProduceSummary()
    started = time.monotonic()
    await producer.start()
    try:
        pending: list[asyncio.Future[Any]] = []
        for index, item in enumerate(items):
            if rate:
                # Pace against the schedule, not the previous send, so the average rate holds.
                delay = started + index / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            future = await producer.send(topic or settings.kafka.topic_raw, value=item.payload)
            pending.append(future)
            summary.bytes += len(item.payload)
            if on_sent is not None:
                on_sent(item)
        for future in pending:
            try:
                await future
                summary.sent += 1
            except Exception:  # counted and reported by the caller; the rest still go out
                summary.failed += 1
    finally:
        await producer.stop()
    summary.seconds = time.monotonic() - started
    return summary


@dataclass(frozen=True, slots=True)
class ConsumedRecord:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes


async def consume_records(
    settings: Settings,
    topic: str,
    *,
    from_beginning: bool = True,
    max_records: int | None = None,
    timeout_s: float | None = 10.0,
    group_id: str | None = None,
) -> AsyncIterator[ConsumedRecord]:
    """Yield records until ``max_records`` or ``timeout_s`` without a new record (None: forever).

    Without ``group_id`` partitions are assigned manually and nothing is committed: reading does
    not disturb anybody's consumer group.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=group_id is not None,
        auto_offset_reset="earliest" if from_beginning else "latest",
        **kafka_client_kwargs(settings.kafka),
    )
    await consumer.start()
    try:
        if group_id is None:
            tps = await topic_partitions(settings, [topic])
            consumer.assign(tps)
            if from_beginning:
                await consumer.seek_to_beginning(*tps)
            else:
                await consumer.seek_to_end(*tps)
        else:
            consumer.subscribe([topic])
        seen = 0
        while max_records is None or seen < max_records:
            batch = await consumer.getmany(timeout_ms=int((timeout_s or 3600) * 1000), max_records=100)
            if not batch:
                if timeout_s is None:
                    continue
                return
            for records in batch.values():
                for record in records:
                    yield ConsumedRecord(
                        record.topic,
                        record.partition,
                        record.offset,
                        record.timestamp,
                        record.key,
                        record.value,
                    )
                    seen += 1
                    if max_records is not None and seen >= max_records:
                        return
    finally:
        await consumer.stop()
