"""Correction: the offset commit never passes a record that was fetched but not acked.

``Consumer._new_offset`` decides how far the committed offset of a partition may advance: up to
the first gap in the acked offsets. faust-streaming's guard against a gap at the head compares
``min(acked) - committed > 1`` (and skips the check when the committed offset is 0), so a single
message that was fetched but never acked -- e.g. dropped while a rebalance suspended the flow --
is committed past and lost; the reliability suite lost messages this way around rebalances.
With this guard the commit waits at the first unacked offset: the message is processed again
after the next rebalance or restart (at-least-once; outputs are idempotent).
"""

from __future__ import annotations

from typing import Any

from faust.transport.drivers.aiokafka import Consumer


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


class CommitGuardConsumer(Consumer):
    """Faust's aiokafka consumer whose commit waits at the first unacked offset.

    ``committing`` says, while a commit is in flight, up to where it took acked offsets out of
    Faust's bookkeeping (``_acked``) before ``_committed_offset`` moves: the stall watch
    (dropped_records) reads a partition's progress as the later of the two.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.committing: dict[Any, int] = {}
        super().__init__(*args, **kwargs)

    async def force_commit(self, *args: Any, **kwargs: Any) -> bool:
        self.committing = {}
        try:
            done: bool = await super().force_commit(*args, **kwargs)
            return done
        finally:
            self.committing = {}

    def _new_offset(self, tp: Any) -> int | None:
        acked = self._acked[tp]
        gap_starts = [interval.begin for interval in self._gap[tp]]
        if acked and commit_would_skip(self._committed_offset[tp], acked, gap_starts):
            return None
        result: int | None = super()._new_offset(tp)
        if result is not None:
            self.committing[tp] = result
        return result


def progress_offset(consumer: Any, tp: Any) -> int | None:
    """Where ``tp``'s next unfinished record is: the committed offset, or further when a commit in
    flight has already taken the offsets up to its new one out of ``_acked``."""
    committed: int | None = consumer._committed_offset.get(tp)
    committing: int | None = None
    if consumer._commit_fut is not None:
        committing = getattr(consumer, "committing", {}).get(tp)
    if committing is None:
        return committed
    return committing if committed is None else max(committed, committing)
