"""Correction: a stream partition with no committed offset starts at its first stored record.

Faust keeps "no commit yet" as ``None`` (an offset of 0 too), and aiokafka's
``seek_to_committed`` seeks only to a committed offset above 0. A partition nobody has committed
yet is then read from wherever the fetcher stands, and every guard that measures progress from the
committed offset is off for it: the order guard (record_order) takes the first record delivered as
the start, the commit guard (commit_guard) cannot see a hole at the head, offset jumps
(offset_jumps) need a read offset. In the reliability suite a second worker joined before the
first had committed anything on a probes partition; the records fetched before the handover were
dropped, the new owner started at the first one delivered (offset 11), answered a copy's probe
before its original's (offsets 9-10, read later by the re-read from the start), and two exact
copies were judged near duplicates. Here, once a rebalance has sought the partitions to their
commits (``perform_seek``), each stream partition without one is sought to its beginning (the
earliest offset the broker still stores), which becomes its committed offset and its read offset:
every guard then counts from there, as for any committed partition.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from faust.transport.drivers.aiokafka import Consumer

log = logging.getLogger("streamproc.kafka")


def uncommitted_partitions(
    assigned: Iterable[Any], committed: Mapping[Any, int | None], changelog_topics: set[str]
) -> list[Any]:
    """The assigned stream partitions (not table changelogs, which recovery reads) with no commit."""
    return [tp for tp in assigned if tp.topic not in changelog_topics and committed.get(tp) is None]


async def start_uncommitted_at_beginning(consumer: Any, changelog_topics: set[str]) -> dict[Any, int]:
    """Seek each uncommitted stream partition of ``consumer`` to its beginning and count from
    there (committed and read offset); the offsets set, by partition."""
    tps = uncommitted_partitions(consumer.assignment(), consumer._committed_offset, changelog_topics)
    if not tps:
        return {}
    earliest = await consumer.earliest_offsets(*tps)
    started: dict[Any, int] = {}
    for tp in tps:
        start = earliest.get(tp)
        if start is None:
            continue
        await consumer._seek(tp, start)
        # Faust's ``seek`` writes an offset of 0 as None (its "unknown"); the guards need the number.
        consumer._committed_offset[tp] = start
        consumer._read_offset[tp] = start
        started[tp] = start
    if started:
        log.info(
            "partitions with no committed offset start at their first stored record",
            extra={"partitions": len(started)},
        )
    return started


class UncommittedStartConsumer(Consumer):
    """Faust's aiokafka consumer whose post-rebalance seek starts uncommitted partitions at their
    beginning (module docstring)."""

    async def perform_seek(self) -> None:
        await super().perform_seek()
        await start_uncommitted_at_beginning(self, set(self.app.tables.changelog_topics))
