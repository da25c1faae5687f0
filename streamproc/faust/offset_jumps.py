"""Correction: records Faust fetched but never delivered are read again (offset jumps and rewinds).

Around recovery, Faust can fetch records of a partition and never deliver them (e.g. ``getmany``
drops records of a partition that is paused by the time they arrive; see also faust#596). The
next record it delivers then jumps ahead of its read offset, and Faust records the skipped range
as a "gap" (as if compaction had removed it) that the offset commit may pass: the reliability
suite saw restarts skip 7-30 answers per partition and lose their articles. Here a jump makes the
consumer seek back and read the skipped records again (the record at the read offset comes once
more). On gap-free topics (written by us, without transactions, never compacted: the join's
probes and replies, ``WingSettings.gap_free_topics``) a jump can only be a drop and is re-read up
to ``MAX_REREADS`` times; elsewhere a jump still there after one re-read is taken for a real gap
(compaction, transaction markers) and passed on.

Table changelogs are not checked: they are compacted, so holes are their normal state, and
re-reading each one cost a seek and a new fetch (~30 ms): reading a compacted topic of 3,312
records with 1,015 holes took 26-34 s instead of 0.3-0.4 s (README, Reliability), on the
path from a restart to ready. No jump on a changelog showed up in the reliability suite, where
every start of a memory-store worker reads every changelog and no changelog was compacted yet.

The same place performs the seeks ``RereadRequests`` asked for (dropped_records, record_order).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Collection
from typing import Any

from faust.transport.drivers.aiokafka import Consumer

from streamproc.faust.rereads import RereadRequests
from streamproc.faust.settings import wing_settings

log = logging.getLogger("streamproc.kafka")

MAX_REREADS = 5

Reread = tuple[int, int]  # (offset sought back to, how many times for this jump)


def jump_start(read_offset: int | None, offset: int) -> int | None:
    """Where to re-read from when ``offset`` arrives after ``read_offset``; None when no jump.

    Faust's read offset is the last delivered offset, or right after a seek the next one to read;
    re-reading from it delivers that record again when it was already delivered (a repeat, which
    every stage absorbs, rather than a loss).
    """
    if read_offset is None or offset <= read_offset + 1:
        return None
    return read_offset


def next_read(
    read_offset: int | None, offset: int, reread: Reread | None, *, gap_free: bool = False
) -> tuple[int | None, Reread | None]:
    """For one fetched record: (offset to seek back to, else None; the re-read marker to keep).

    ``reread`` says where this partition was last sought back to after a jump, and how often.
    The same jump seen again after re-reading is a real gap (compaction, transaction markers)
    and is delivered; on a gap-free topic it can only be another drop, so it is re-read again,
    up to MAX_REREADS times. The marker is kept until the records move past it.
    """
    start = jump_start(read_offset, offset)
    if start is None:
        still_rereading = reread is not None and offset <= reread[0] + 1
        return None, reread if still_rereading else None
    times = reread[1] if reread is not None and reread[0] == start else 0
    if times >= (MAX_REREADS if gap_free else 1):
        if gap_free:
            log.error(
                "offset jump persists after re-reading: giving up on these offsets",
                extra={"from": start, "at": offset, "times": times},
            )
        return None, None
    return start, (start, times + 1)


Fetch = Callable[[Any, float], AsyncIterator[tuple[Any, Any]]]


async def read_again_where_needed(
    consumer: Any,
    timeout: float,
    fetch: Fetch,
    *,
    rereads: RereadRequests,
    markers: dict[Any, Reread],
    gap_free_topics: Collection[str] = (),
    unchecked_topics: Collection[str] = (),
) -> AsyncIterator[tuple[Any, Any]]:
    """Faust's ``getmany`` (``fetch``) with the requested rewinds done first and jumps re-read.

    ``markers`` keeps each partition's re-read marker between calls. Requested rewinds happen
    before this fetch, and the client drops what it buffered before a seek, so what the fetch
    returns for those partitions starts at the rewound offset and is delivered: nothing fetched
    after a partition's last records may ever show that they were missing.
    """
    assignment = consumer.assignment()
    for tp, offset in rereads.take().items():
        if tp in assignment:
            await consumer.seek(tp, offset)
            markers.pop(tp, None)
    rewound: set[Any] = set()  # partitions sought back mid-batch: the rest of their batch is stale
    async for tp, message in fetch(consumer, timeout):
        if tp.topic in unchecked_topics:
            yield tp, message
            continue
        if tp in rewound:
            continue
        seek_to, marker = next_read(
            consumer._read_offset.get(tp),
            message.offset,
            markers.get(tp),
            gap_free=tp.topic in gap_free_topics,
        )
        if marker is None:
            markers.pop(tp, None)
        else:
            markers[tp] = marker
        if seek_to is not None:
            rewound.add(tp)
            log.warning(
                "offset jump: reading the skipped records again",
                extra={"topic": tp.topic, "partition": tp.partition, "from": seek_to, "at": message.offset},
            )
            await consumer._seek(tp, seek_to)
            continue
        yield tp, message


class RereadingConsumer(Consumer):
    """Faust's aiokafka consumer whose ``getmany`` re-reads jumps and performs requested rewinds."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.rereads = RereadRequests()
        self._reread_markers: dict[Any, Reread] = {}
        super().__init__(*args, **kwargs)

    def getmany(self, timeout: float) -> AsyncIterator[tuple[Any, Any]]:
        fetch_from_faust = super().getmany

        def fetch(_consumer: Any, fetch_timeout: float) -> AsyncIterator[tuple[Any, Any]]:
            return fetch_from_faust(fetch_timeout)

        return read_again_where_needed(
            self,
            timeout,
            fetch,
            rereads=self.rereads,
            markers=self._reread_markers,
            gap_free_topics=wing_settings(self.transport).gap_free_topics,
            # Compacted: their holes are real (module docstring).
            unchecked_topics=self.app.tables.changelog_topics,
        )
