"""What the offset-jump re-reads (``faust/offset_jumps.py``) cost on a compacted topic.

A table changelog is compacted: once the log cleaner ran, its offsets have holes. Re-reading
every hole (a seek back and a new fetch) is what the worker did on changelogs during table
recovery. This script writes a compacted topic with small segments (many updates of few keys),
waits until the cleaner has left holes, then reads it to the end twice each way: every record
as fetched, and through ``read_again_where_needed`` with the hole checks on (as the stream
topics are read). Needs a running broker:

    .venv/bin/python benchmarks/bench_changelog_holes.py --bootstrap 127.0.0.1:19092

prints one line per read and writes ``benchmarks/results/changelog_holes.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from streamproc.faust.offset_jumps import read_again_where_needed
from streamproc.faust.rereads import RereadRequests

RESULTS = Path(__file__).parent / "results" / "changelog_holes.json"
COMPACTED = {
    "cleanup.policy": "compact",
    "segment.bytes": str(1024 * 1024),
    "segment.ms": "1000",
    "min.cleanable.dirty.ratio": "0.01",
    "min.compaction.lag.ms": "0",
    "delete.retention.ms": "1000",
}


async def write(bootstrap: str, topic: str, records: int, keys: int, value_bytes: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 1, 1, topic_configs=COMPACTED)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20)
    await producer.start()
    rng = random.Random(1)
    try:
        for _ in range(records):
            key = f"k{rng.randrange(keys)}".encode()
            await producer.send(topic, key=key, value=os.urandom(value_bytes // 2).hex().encode())
        await producer.flush()
    finally:
        await producer.stop()


class _Reader:
    """A plain consumer with what ``read_again_where_needed`` reads of Faust's."""

    def __init__(self, consumer: AIOKafkaConsumer) -> None:
        self.consumer = consumer
        self._read_offset: dict[Any, int] = {}

    def assignment(self) -> set[TopicPartition]:
        return set(self.consumer.assignment())

    async def seek(self, tp: TopicPartition, offset: int) -> None:
        self.consumer.seek(tp, offset)

    async def _seek(self, tp: TopicPartition, offset: int) -> None:
        self.consumer.seek(tp, offset)

    async def fetch(self, _consumer: Any, timeout: float) -> AsyncIterator[tuple[Any, Any]]:
        batch = await self.consumer.getmany(timeout_ms=int(timeout * 1000))
        for tp, messages in batch.items():
            for message in messages:
                yield tp, message


async def read(bootstrap: str, topic: str, *, check_holes: bool) -> dict[str, Any]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=100)
    await consumer.start()
    tp = TopicPartition(topic, 0)
    consumer.assign([tp])
    await consumer.seek_to_beginning(tp)
    end = (await consumer.end_offsets([tp]))[tp]
    reader, markers = _Reader(consumer), {}
    delivered = holes = 0
    last = -1
    started = time.perf_counter()
    try:
        while last < end - 1:
            reads = (
                read_again_where_needed(reader, 1.0, reader.fetch, rereads=RereadRequests(), markers=markers)
                if check_holes
                else reader.fetch(reader, 1.0)
            )
            async for where, message in reads:
                holes += message.offset > last + 1
                last = max(last, message.offset)
                reader._read_offset[where] = message.offset
                delivered += 1
    finally:
        await consumer.stop()
    seconds = time.perf_counter() - started
    return {
        "check_holes": check_holes,
        "records_delivered": delivered,
        "holes": holes,
        "seconds": round(seconds, 3),
    }


async def wait_for_holes(bootstrap: str, topic: str, timeout_s: float) -> None:
    """Until the cleaner has left holes and stopped changing the log (two reads 5 s apart agree)."""
    deadline = time.monotonic() + timeout_s
    previous: dict[str, Any] | None = None
    while time.monotonic() < deadline:
        now = await read(bootstrap, topic, check_holes=False)
        if (
            now["holes"] > 0
            and previous is not None
            and now["records_delivered"] == previous["records_delivered"]
        ):
            return
        previous = now
        await asyncio.sleep(5)
    raise SystemExit(f"the log cleaner left no holes in {topic} within {timeout_s:.0f} s")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_bootstrap = os.environ.get("STREAMPROC_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    parser.add_argument("--bootstrap", default=default_bootstrap)
    parser.add_argument("--records", type=int, default=40_000)
    parser.add_argument("--keys", type=int, default=2_000)
    parser.add_argument("--value-bytes", type=int, default=600)
    args = parser.parse_args()
    topic = f"bench.changelog-holes.{uuid.uuid4().hex[:8]}"
    await write(args.bootstrap, topic, args.records, args.keys, args.value_bytes)
    await wait_for_holes(args.bootstrap, topic, timeout_s=180)
    runs = []
    for check_holes in (False, True, False, True):
        run = await read(args.bootstrap, topic, check_holes=check_holes)
        print(json.dumps(run), flush=True)
        runs.append(run)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"topic_writes": args.records, "keys": args.keys, "runs": runs}, indent=2) + "\n"
    )
    print(f"written {RESULTS}")


if __name__ == "__main__":
    asyncio.run(main())
