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
drains the buffer itself and returns only when every record is in the client, in buffer order
(a lock serialises it with the background task, so two writes of one key never swap).
"""

from __future__ import annotations

import asyncio
from typing import Any

from faust.transport.consumer import Consumer
from faust.transport.producer import ProducerBuffer

_PATCHED = "_streamproc_head_guard"


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


def apply() -> None:
    """Install the corrections once per process (idempotent)."""
    if getattr(Consumer, _PATCHED, False):
        return
    _patch_producer_buffer()
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
