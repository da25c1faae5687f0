"""Corrections to faust-streaming (0.15.x) that at-least-once depends on, applied when the app is built.

1. The offset commit guard.

``Consumer._new_offset`` decides how far the committed offset of a partition may advance: up to
the first gap in the acked offsets. Its guard against a gap at the head compares
``min(acked) - committed > 1`` (and skips the check when the committed offset is 0), so a single
message that was fetched but never acked -- e.g. dropped while a rebalance suspended the flow --
is committed past and lost. The reliability suite lost messages this way around rebalances.
With this fix the commit waits at the first unacked offset instead: the message is processed
again after the next rebalance or restart (at-least-once; outputs are idempotent).

2. The producer buffer flush. Table writes (changelog records) wait in ``ProducerBuffer`` until
a background task hands them to the Kafka client. Faust flushes that buffer before it commits
offsets, but ``ProducerBuffer.flush`` gives up as soon as no record left the buffer for 0.1 s
(routine on a busy 2-core machine) and does not wait for the record the background task is
sending at that moment. Offsets were then committed ahead of their table writes, and a stop or
crash right after lost the writes: the reliability suite lost 10-48 of 200 articles on SIGTERM +
restart, their `pending` join state gone while their replies were committed. The flush below
drains the buffer itself, in buffer order (a lock serialises it with the background task, so two
writes of one key never swap), and returns once every record buffered before the call is in the
client; a record buffered during the flush may still be on its way, which is harmless for a
commit (its offsets were computed before the flush).

3. Offset jumps. Around recovery, Faust can fetch records of a partition and never deliver them
(e.g. ``getmany`` drops records of a partition that is paused by the time they arrive; see also
faust#596). The next record it delivers then jumps ahead of its read offset, and Faust records
the skipped range as a "gap" (as if compaction had removed it) that the offset commit may pass:
the suite saw restarts skip 7-30 answers per partition and lose their articles. Here a jump
makes the consumer seek back and read the skipped records again (the record at the read offset
comes once more). On topics we write ourselves (``GAP_FREE_TOPICS``: probes and replies) a jump
can only be a drop and is re-read up to ``MAX_REREADS`` times; elsewhere a jump still there
after one re-read is taken for a real gap (compaction, transaction markers) and passed on.

4. Dropped records. A stream skips (without processing or acking) records fetched under an
older consumer generation or while flow control is suspended, expecting a rebalance to seek
back; after a plain restart none comes, so the partition's commit waits forever at the skipped
record and the inputs behind it never complete. ``StallWatch`` notices a partition whose oldest
uncommitted record is neither acked nor being processed while later ones are acked, twice in a
row, and has the patched ``getmany`` seek back to it between deliveries. Re-reading repeats some
work; every stage is idempotent by source offset. The watch needs a committed offset: a record
dropped before a partition's first commit in a new consumer group is not covered, and neither is
a committed offset that holds no record (a transaction marker in ``news.raw``).

5. Order. The re-reads above restore completeness, not order: a later record of a partition can
be processed before a dropped earlier one is read again. For the dedup answers order matters
(the owner of a key answers with the entries stored before a probe), and a copy whose probe
overtook its original's was judged unique (or near instead of exact) in the reliability suite.
``OrderGuard`` makes the ``answer`` agent process each probes partition in offset order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from faust.transport.consumer import Consumer
from faust.transport.producer import ProducerBuffer

_PATCHED = "_streamproc_head_guard"
log = logging.getLogger("streamproc.kafka")


def first_pending_offset(acked: list[int], gap_starts: list[int]) -> int | None:
    """The lowest offset the consumer may treat as done: acked, or a known gap (no message)."""
    candidates = [*gap_starts]
    if acked:
        candidates.append(min(acked))
    return min(candidates) if candidates else None


def commit_would_skip(committed: int | None, acked: list[int], gap_starts: list[int]) -> bool:
    """True when advancing the commit now would pass over an offset nobody acked."""
    head = first_pending_offset(acked, gap_starts)
    return committed is not None and head is not None and head > committed


_SEND_LOCK = "_streamproc_send_lock"


def _send_lock(buffer: Any) -> asyncio.Lock:
    lock: asyncio.Lock | None = buffer.__dict__.get(_SEND_LOCK)
    if lock is None:
        lock = buffer.__dict__[_SEND_LOCK] = asyncio.Lock()
    return lock


def _patch_producer_buffer() -> None:
    original_send_pending = ProducerBuffer._send_pending
    original_flush = ProducerBuffer.flush

    async def _send_pending(self: Any, fut: Any) -> None:
        # asyncio.Lock is FIFO and a record is taken off the queue and the lock requested without
        # yielding in between, so records reach the client in the order they were buffered.
        async with _send_lock(self):
            await original_send_pending(self, fut)

    async def flush(self: Any) -> None:
        if self.app is not None and self.app.conf.producer_threaded:
            await original_flush(self)  # not used by streamproc; the original behaviour
            return
        while True:
            try:
                fut = self.pending.get_nowait()
            except asyncio.QueueEmpty:
                async with _send_lock(self):
                    pass  # the background task's record in flight, if any, is now in the client
                if self.pending.empty():
                    return
                continue
            await self._send_pending(fut)
            self.message_sent.set()

    setattr(ProducerBuffer, "_send_pending", _send_pending)  # noqa: B010  # replacing a method on purpose
    setattr(ProducerBuffer, "flush", flush)  # noqa: B010


_JUMP_CHECKED = "_streamproc_jump_checked"
_REWINDS = "_streamproc_rewinds"
# Topics whose offsets never have holes (written by us, without transactions, never compacted):
# a jump there is always a drop, so it is re-read up to MAX_REREADS times, not just once.
GAP_FREE_TOPICS: set[str] = set()
MAX_REREADS = 5


def jump_start(read_offset: int | None, offset: int) -> int | None:
    """Where to re-read from when ``offset`` arrives after ``read_offset``; None when no jump.

    Faust's read offset is the last delivered offset, or right after a seek the next one to read;
    re-reading from it delivers that record again when it was already delivered (a repeat, which
    every stage absorbs, rather than a loss).
    """
    if read_offset is None or offset <= read_offset + 1:
        return None
    return read_offset


Reread = tuple[int, int]  # (offset sought back to, how many times for this jump)


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


async def read_again_where_needed(
    consumer: Any, timeout: float, fetch: Callable[[Any, float], AsyncIterator[tuple[Any, Any]]]
) -> AsyncIterator[tuple[Any, Any]]:
    """``Consumer.getmany`` (``fetch``) with the re-reads of 3. and 4. above."""
    checked: dict[Any, Reread] = consumer.__dict__.setdefault(_JUMP_CHECKED, {})
    # Rewinds StallWatch asked for, done here, between deliveries: a seek made while the drain
    # loop is inside a delivery would be overwritten by Faust's read offset right after. They
    # happen before this fetch, and the client drops what it buffered before a seek, so what the
    # fetch returns for those partitions starts at the rewound offset and is delivered. (Dropping
    # it, as an earlier version did, lost a partition's last records: with nothing fetched after
    # them, no jump ever showed that they were missing.)
    wanted: dict[Any, int] = consumer.__dict__.setdefault(_REWINDS, {})
    assignment = consumer.assignment()
    for tp, offset in list(wanted.items()):
        del wanted[tp]
        if tp in assignment:
            await consumer.seek(tp, offset)
            checked.pop(tp, None)
    rewound: set[Any] = set()  # partitions sought back mid-batch: the rest of their batch is stale
    async for tp, message in fetch(consumer, timeout):
        if tp in rewound:
            continue
        seek_to, marker = next_read(
            consumer._read_offset.get(tp),
            message.offset,
            checked.get(tp),
            gap_free=tp.topic in GAP_FREE_TOPICS,
        )
        if marker is None:
            checked.pop(tp, None)
        else:
            checked[tp] = marker
        if seek_to is not None:
            rewound.add(tp)
            log.warning(
                "offset jump: reading the skipped records again",
                extra={"topic": tp.topic, "partition": tp.partition, "from": seek_to, "at": message.offset},
            )
            await consumer._seek(tp, seek_to)
            continue
        yield tp, message


def _patch_offset_jumps() -> None:
    original_getmany = Consumer.getmany

    def getmany(self: Any, timeout: float) -> AsyncIterator[tuple[Any, Any]]:
        return read_again_where_needed(self, timeout, original_getmany)

    setattr(Consumer, "getmany", getmany)  # noqa: B010  # replacing a method on purpose


def stalled_head(committed: int | None, acked: list[int], in_flight: set[int]) -> int | None:
    """The offset a partition's commit is stuck at because its record was dropped, else None.

    Records of one partition reach its (single) stream in order, so a later offset acked while
    the oldest uncommitted one is neither acked nor in flight means that one was dropped.
    """
    if committed is None or not acked or committed in in_flight or committed in acked:
        return None
    return committed if min(acked) > committed else None


class StallWatch:
    """Asks for a partition to be re-read from a dropped record (see 4. above).

    ``check`` runs periodically; the seek itself happens in the patched ``getmany``.
    """

    def __init__(self) -> None:
        self._suspects: dict[Any, int] = {}  # tp -> stalled offset seen at the previous check

    def check(self, consumer: Any) -> list[tuple[Any, int]]:
        """Partitions stalled at the same offset on two consecutive checks (rewinds requested)."""
        if consumer._commit_fut is not None:
            return []  # a commit in flight has taken its offsets out of `_acked` but not yet moved on
        in_flight: dict[Any, set[int]] = {}
        for message in list(consumer._unacked_messages):
            in_flight.setdefault(message.tp, set()).add(message.offset)
        suspects: dict[Any, int] = {}
        stalled: list[tuple[Any, int]] = []
        wanted: dict[Any, int] = consumer.__dict__.setdefault(_REWINDS, {})
        for tp, acked in list(consumer._acked.items()):
            head = stalled_head(consumer._committed_offset.get(tp), list(acked), in_flight.get(tp, set()))
            if head is None:
                continue
            if self._suspects.get(tp) != head:
                suspects[tp] = head  # could be a moment between fetch and processing: look again
                continue
            log.warning(
                "partition stalled at a dropped record: reading it again",
                extra={"topic": tp.topic, "partition": tp.partition, "offset": head},
            )
            wanted[tp] = head
            stalled.append((tp, head))
        self._suspects = suspects
        return stalled


class OrderGuard:
    """Processes each partition of one of our gap-free topics strictly in offset order (5. above).

    ``admit`` says whether a stream may process a record. A record beyond the next expected
    offset means an earlier one was dropped (Faust delivered it to nobody, or the stream
    skipped it): the record is refused, and the partition is read again from the missing
    offset between deliveries (the patched ``getmany``), so it and everything after it come
    in order. A record at or before the expected offset (a re-read) is admitted: every stage
    is replay-safe. The expected offset restarts at the committed offset with each consumer
    generation (Faust seeks there after a rebalance).
    """

    RETRY_S = 2.0  # ask for the same rewind again if the hole is still there after this long

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._next: dict[Any, int] = {}
        self._generation: dict[Any, int] = {}
        self._asked: dict[Any, tuple[int, float]] = {}  # tp -> (offset, when) of the last rewind asked

    def admit(self, consumer: Any, tp: Any, offset: int, generation: int) -> bool:
        if self._generation.get(tp) != generation:
            self._generation[tp] = generation
            committed = consumer._committed_offset.get(tp)
            # No committed offset (a new group, or Faust's None for 0): start where reading starts.
            self._next[tp] = committed if committed is not None else offset
            self._asked.pop(tp, None)
        expected = self._next[tp]
        if offset <= expected:
            self._next[tp] = offset + 1
            self._asked.pop(tp, None)
            return True
        now = self._clock()
        asked = self._asked.get(tp)
        if asked is None or asked[0] != expected or now - asked[1] >= self.RETRY_S:
            self._asked[tp] = (expected, now)
            consumer.__dict__.setdefault(_REWINDS, {})[tp] = expected
            log.warning(
                "record out of order: reading the partition again from the missing one",
                extra={"topic": tp.topic, "partition": tp.partition, "missing": expected, "at": offset},
            )
        return False


def apply() -> None:
    """Install the corrections once per process (idempotent)."""
    if getattr(Consumer, _PATCHED, False):
        return
    _patch_producer_buffer()
    _patch_offset_jumps()
    original = Consumer._new_offset

    def _new_offset(self: Any, tp: Any) -> int | None:
        acked = self._acked[tp]
        gap_starts = [interval.begin for interval in self._gap[tp]]
        if acked and commit_would_skip(self._committed_offset[tp], acked, gap_starts):
            return None
        result: int | None = original(self, tp)
        return result

    setattr(Consumer, "_new_offset", _new_offset)  # noqa: B010  # replacing a method on purpose
    setattr(Consumer, _PATCHED, True)
