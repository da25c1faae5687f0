"""Reading back what was already published, so a replay does not publish it again.

The finalize agent marks each published input in the `published` table, but the output record
and that marker are two Kafka writes: a worker killed between them leaves an output without a
marker, and the input's replay (after the restart, or on the worker that takes the partition
over) would publish it a second time. Outputs carry their input's position (``source_offset``),
so the agent reads the output topics from shortly before the point where a replay starts and
treats every input found there as published.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from streamproc.config import Settings
from streamproc.join.source_key import SourceKey, reply_partition
from streamproc.kafka.admin import kafka_client_kwargs

log = logging.getLogger("streamproc.replay")


def output_source_key(value: bytes | None) -> str | None:
    """The input position ("topic/partition/offset") an output record was made from, if it says."""
    if not value:
        return None
    try:
        record = orjson.loads(value)
        where = record["source_offset"]
        return str(SourceKey.at(where["topic"], where["partition"], where["offset"]))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None  # not one of ours (or a record without a position): nothing to suppress


async def published_since(settings: Settings, topics: Iterable[str], since_ms: int) -> set[str]:
    """Source keys of every record appended to ``topics`` at or after ``since_ms`` (epoch ms)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        enable_auto_commit=False,
        fetch_max_bytes=16 * 1_048_576,
        **kafka_client_kwargs(settings.kafka),
    )
    await consumer.start()
    try:
        names = list(topics)
        for name in names:
            consumer._client.add_topic(name)  # partitions_for_topic only knows subscribed topics
        await consumer._client.force_metadata_update()
        tps = [TopicPartition(t, p) for t in names for p in sorted(consumer.partitions_for_topic(t) or ())]
        if not tps:
            return set()
        starts = await consumer.offsets_for_times(dict.fromkeys(tps, since_ms))
        ends = await consumer.end_offsets(tps)
        todo = {
            tp: found.offset for tp, found in starts.items() if found is not None and found.offset < ends[tp]
        }
        if not todo:
            return set()
        consumer.assign(list(todo))
        for tp, offset in todo.items():
            consumer.seek(tp, offset)
        keys: set[str] = set()
        while todo:
            batch = await consumer.getmany(*todo, timeout_ms=1000, max_records=5000)
            for records in batch.values():
                for record in records:
                    key = output_source_key(record.value)
                    if key is not None:
                        keys.add(key)
            for tp in list(todo):
                if await consumer.position(tp) >= ends[tp]:
                    del todo[tp]
        return keys
    finally:
        await consumer.stop()


Scan = Callable[[Settings, Iterable[str], int], Awaitable[set[str]]]


class ReplayGuard:
    """Per partition of the answers topic: notices where a replay starts and what it must skip.

    A replay starts wherever consumption does not continue at the next offset (the first message
    after a start, a restart or a seek back) or the consumer generation changed (a rebalance: the
    partition may have been elsewhere meanwhile, even if it comes back at the same offset).
    Offsets of the answers topic are contiguous (no compaction, no transactions).
    """

    def __init__(
        self,
        settings: Settings,
        output_topics: Iterable[str],
        *,
        scan: Scan = published_since,
        timeout_s: float = 60.0,
        retry_delay_s: float = 1.0,
    ) -> None:
        self.settings = settings
        self.output_topics = list(output_topics)
        self._scan = scan
        self.timeout_s = timeout_s
        self.retry_delay_s = retry_delay_s
        self._next_offset: dict[int, tuple[int, int]] = {}  # partition -> (generation, next offset)
        self._already_out: dict[int, set[str]] = {}

    async def observe(self, partition: int, offset: int, timestamp_s: float, generation: int = 0) -> None:
        """Call for every message, before handling it.

        When the output topics cannot be read it retries until they can, holding this message:
        publishing without knowing what is already out could publish it twice.
        """
        if self._next_offset.get(partition) != (generation, offset):
            margin = self.settings.worker.replay_readback_margin_s
            found = await self._read_back(int((timestamp_s - margin) * 1000))
            already_out = {key for key in found if reply_partition(key) == partition}
            self._already_out[partition] = already_out
            log.info(
                "replay start: outputs read back",
                extra={"partition": partition, "offset": offset, "inputs_already_out": len(already_out)},
            )
        self._next_offset[partition] = (generation, offset + 1)

    async def _read_back(self, since_ms: int) -> set[str]:
        attempt = 0
        while True:
            try:
                return await asyncio.wait_for(
                    self._scan(self.settings, self.output_topics, since_ms), self.timeout_s
                )
            except (TimeoutError, KafkaError) as exc:
                attempt += 1
                log.warning(
                    "output read-back failed; retrying", extra={"attempt": attempt, "error": repr(exc)}
                )
                await asyncio.sleep(min(30.0, self.retry_delay_s * attempt))

    def already_out(self, partition: int, source_key: str) -> bool:
        """True when the read-back found an output of ``source_key`` (published before a replay)."""
        return source_key in self._already_out.get(partition, ())
