"""Reading topics to their end: the one implementation every reader of "what is there now" uses.

Partitions come from a metadata request of the admin client (the consumer only knows topics it
subscribed to); the end offsets are taken once, when reading starts, so records appended while
reading are not waited for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from streamproc.config import Settings
from streamproc.kafka.admin import kafka_client_kwargs


async def topic_partitions(settings: Settings, topics: Iterable[str]) -> list[TopicPartition]:
    """Every partition of ``topics`` that exist (a missing topic has none)."""
    names = list(topics)
    if not names:
        return []
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers, **kafka_client_kwargs(settings.kafka)
    )
    await admin.start()
    try:
        described = await admin.describe_topics(names)
    finally:
        await admin.close()
    found = {topic["topic"]: topic for topic in described if topic["error_code"] == 0}
    return [
        TopicPartition(name, partition["partition"])
        for name in names
        if name in found
        for partition in sorted(found[name]["partitions"], key=lambda p: int(p["partition"]))
    ]


async def read_to_end(
    settings: Settings,
    topics: Iterable[str],
    *,
    since_ms: int | None = None,
    idle_s: float | None = None,
    **consumer_options: Any,
) -> AsyncIterator[ConsumerRecord[bytes, bytes]]:
    """Every record of ``topics`` from the beginning (or from ``since_ms``, epoch ms) up to the end
    offsets they had when reading started. ``idle_s``: stop early after a fetch that long without
    a record (a safety net for callers that prefer a partial read to waiting)."""
    tps = await topic_partitions(settings, topics)
    if not tps:
        return
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        enable_auto_commit=False,
        **kafka_client_kwargs(settings.kafka),
        **consumer_options,
    )
    await consumer.start()
    try:
        ends = await consumer.end_offsets(tps)
        todo = await _start_offsets(consumer, tps, ends, since_ms)
        if not todo:
            return
        consumer.assign(list(todo))
        for tp, offset in todo.items():
            consumer.seek(tp, offset)
        while todo:
            batch = await consumer.getmany(*todo, timeout_ms=int((idle_s or 1.0) * 1000), max_records=5000)
            for records in batch.values():
                for record in records:
                    yield record
            for tp in list(todo):
                if await consumer.position(tp) >= ends[tp]:
                    del todo[tp]
            if not batch and idle_s is not None:
                return
    finally:
        await consumer.stop()


async def _start_offsets(
    consumer: Any, tps: list[TopicPartition], ends: dict[Any, int], since_ms: int | None
) -> dict[Any, int]:
    """Where to start each partition that has something to read before its end offset."""
    if since_ms is None:
        starts = await consumer.beginning_offsets(tps)
        return {tp: starts[tp] for tp in tps if starts[tp] < ends[tp]}
    found = await consumer.offsets_for_times(dict.fromkeys(tps, since_ms))
    return {tp: at.offset for tp, at in found.items() if at is not None and at.offset < ends[tp]}


async def record_stored_at(
    settings: Settings, topic: str, partition: int, offset: int, *, timeout_s: float = 10.0
) -> bool | None:
    """Whether the broker stores a record at exactly ``offset`` of a partition: False when the
    first record from there on comes later (compaction, a transaction marker) or retention
    removed it, None when it could not tell within ``timeout_s``."""
    try:
        found = await _first_record_from(settings, topic, partition, offset, timeout_s)
    except KafkaError:
        return None
    if found is None or found is False:
        return None if found is None else False
    return bool(found.offset == offset)


async def value_stored_at(
    settings: Settings, topic: str, partition: int, offset: int, *, timeout_s: float = 10.0
) -> bytes | None:
    """The value of the record at exactly ``offset`` of a partition (b"" for a null value), None
    when the broker no longer stores it or did not answer within ``timeout_s``."""
    try:
        found = await _first_record_from(settings, topic, partition, offset, timeout_s)
    except KafkaError:
        return None
    if found is None or found is False or found.offset != offset:
        return None
    value: bytes | None = found.value
    return value or b""


async def _first_record_from(
    settings: Settings, topic: str, partition: int, offset: int, timeout_s: float
) -> Any:
    """The first record at or after ``offset``; False when retention removed ``offset``, None when
    nothing came within ``timeout_s``."""
    tp = TopicPartition(topic, partition)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        enable_auto_commit=False,
        max_partition_fetch_bytes=settings.output_message_limit + 1024,
        **kafka_client_kwargs(settings.kafka),
    )
    try:
        await consumer.start()
        consumer.assign([tp])
        if (await consumer.beginning_offsets([tp]))[tp] > offset:
            return False
        consumer.seek(tp, offset)
        batch = await consumer.getmany(tp, timeout_ms=int(timeout_s * 1000), max_records=1)
        records = batch.get(tp, [])
        return records[0] if records else None
    finally:
        await consumer.stop()
