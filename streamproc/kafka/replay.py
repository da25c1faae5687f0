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
from aiokafka.errors import KafkaError

from streamproc.config import Settings
from streamproc.join.source_key import SourceKey, reply_partition
from streamproc.kafka.reading import read_to_end

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
    keys: set[str] = set()
    async for record in read_to_end(settings, topics, since_ms=since_ms, fetch_max_bytes=16 * 1_048_576):
        key = output_source_key(record.value)
        if key is not None:
            keys.add(key)
    return keys


Scan = Callable[[Settings, Iterable[str], int], Awaitable[set[str]]]


class ReplayGuard:
    """Per partition of the answers topic: notices where a replay starts and what it must skip.

    A replay starts wherever consumption does not continue at the next offset (the first message
    after a start, a restart or a seek back) or the consumer generation changed (a rebalance: the
    partition may have been elsewhere meanwhile, even if it comes back at the same offset).
    Offsets of the answers topic are contiguous (no compaction, no transactions).

    One read-back serves every replay start of the same generation that needs nothing older: a
    read-back finds the outputs of all partitions, and what was published after it, in that
    generation, was published by this worker, which marked it in its own table. After a
    restart the answers partitions start one after the other, and re-reading each read the
    outputs again (0.3-0.4 s apiece, on the finalize agent's path to its first output).
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
        # The last read-back: (generation, read from epoch ms, source keys found).
        self._last_scan: tuple[int, int, set[str]] | None = None

    async def observe(self, partition: int, offset: int, timestamp_s: float, generation: int = 0) -> None:
        """Call for every message, before handling it.

        When the output topics cannot be read it retries until they can, holding this message:
        publishing without knowing what is already out could publish it twice.
        """
        if self._next_offset.get(partition) != (generation, offset):
            margin = self.settings.worker.replay_readback_margin_s
            found = await self._found_since(generation, int((timestamp_s - margin) * 1000), margin)
            already_out = {key for key in found if reply_partition(key) == partition}
            self._already_out[partition] = already_out
            log.info(
                "replay start: outputs read back",
                extra={"partition": partition, "offset": offset, "inputs_already_out": len(already_out)},
            )
        self._next_offset[partition] = (generation, offset + 1)

    async def _found_since(self, generation: int, since_ms: int, margin_s: float) -> set[str]:
        """Outputs published from ``since_ms`` on: the last read-back's when it covers them."""
        last = self._last_scan
        if last is not None and last[0] == generation and last[1] <= since_ms:
            return last[2]
        # One margin more: the other partitions' replays start at about the same moment, a
        # little earlier or later, and are then served by this read-back.
        start_ms = since_ms - int(margin_s * 1000)
        found = await self._read_back(start_ms)
        self._last_scan = (generation, start_ms, found)
        return found

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
