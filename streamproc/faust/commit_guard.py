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

import logging
import time
from collections.abc import Callable
from typing import Any

from faust.transport.drivers.aiokafka import Consumer

log = logging.getLogger("streamproc.kafka")

# A commit longer than this is logged with where its time went: no offset moves meanwhile, so
# a restart replays everything since the last one (10-120 s commits at a load average of ~17).
SLOW_COMMIT_S = 10.0


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
        self.commit_timing = CommitTiming()
        super().__init__(*args, **kwargs)

    async def force_commit(self, *args: Any, **kwargs: Any) -> bool:
        self.committing = {}
        self.commit_timing.start()
        try:
            done: bool = await super().force_commit(*args, **kwargs)
            return done
        finally:
            self.commit_timing.end(len(self.committing))
            self.committing = {}

    async def _commit(self, offsets: Any) -> bool:
        with self.commit_timing.phase("request_s"):
            done: bool = await super()._commit(offsets)
        return done

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


class CommitTiming:
    """Where an offset commit's time goes (the producer flush before it, the commit request), and
    a warning for a commit longer than ``slow_s``."""

    def __init__(self, slow_s: float = SLOW_COMMIT_S, clock: Callable[[], float] = time.monotonic) -> None:
        self._slow_s = slow_s
        self._clock = clock
        self._started: float | None = None
        self.phases: dict[str, float] = {}
        self.slow = 0

    def start(self) -> None:
        self._started, self.phases = self._clock(), {}

    def phase(self, name: str) -> _Phase:
        """A context manager adding its duration to ``phases[name]``."""
        return _Phase(self, name)

    def end(self, partitions: int) -> float | None:
        """The commit's seconds (None when none was started); logs a slow one."""
        if self._started is None:
            return None
        seconds, self._started = self._clock() - self._started, None
        if seconds >= self._slow_s:
            self.slow += 1
            log.warning(
                "slow offset commit: no offset moved meanwhile",
                extra={
                    "seconds": round(seconds, 1),
                    "partitions": partitions,
                    **{name: round(value, 1) for name, value in self.phases.items()},
                },
            )
        return seconds


class _Phase:
    def __init__(self, timing: CommitTiming, name: str) -> None:
        self._timing, self._name = timing, name
        self._started = 0.0

    def __enter__(self) -> None:
        self._started = self._timing._clock()

    def __exit__(self, *exc: object) -> None:
        spent = self._timing._clock() - self._started
        self._timing.phases[self._name] = self._timing.phases.get(self._name, 0.0) + spent
