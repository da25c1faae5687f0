"""Diagnostics: an input partition whose commit does not move while records wait is described.

The corrections re-read records Faust drops, but a restarted worker was still seen sitting on
input partitions for good (README, Reliability limits) with no warning from any watch. When it
happens, what Faust holds for the partition tells where the records went: fetched or not (read
offset, high watermark), fetchable (active, paused, buffered), delivered and refused (the order
guard's expected offset), tracked but never acked (in flight), or waiting behind a commit or a
rebalance. ``ProgressWatch`` logs all of it once a partition has not moved for ``quiet_s``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger("streamproc.kafka")


def not_moving(committed: int | None, highwater: int | None) -> bool:
    """True when records wait beyond the committed offset (None: nothing committed yet)."""
    return highwater is not None and highwater > (committed or 0)


def partition_state(consumer: Any, tp: Any) -> dict[str, Any]:
    """What Faust's consumer holds for one partition (read-only, for a log line)."""
    unacked = [m for m in list(consumer._unacked_messages) if m.tp == tp]
    acked = list(consumer._acked.get(tp, ()))
    active = consumer._active_partitions
    return {
        "committed": consumer._committed_offset.get(tp),
        "read_offset": consumer._read_offset.get(tp),
        "highwater": consumer.highwater(tp),
        "acked": f"{min(acked)}..{max(acked)} ({len(acked)})" if acked else "none",
        "in_flight": sorted(m.offset for m in unacked if not m.acked)[:10],
        "acked_leftovers": sum(1 for m in unacked if m.acked),
        "active": active is not None and tp in active,
        "paused": tp in consumer._paused_partitions,
        "buffered": tp in consumer._buffered_partitions,
        "flow_active": consumer.flow_active,
        "commit_in_flight": consumer._commit_fut is not None,
        "reread_pending": consumer.rereads.pending().get(tp),
    }


class ProgressWatch:
    """Logs the state of input partitions whose commit has not moved for ``quiet_s`` while records
    wait; ``check`` runs periodically and returns the partitions it described."""

    def __init__(
        self,
        topics: Iterable[str],
        quiet_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._topics = frozenset(topics)
        self._quiet_s = quiet_s
        self._clock = clock
        # tp -> (committed offset, since when it has not moved, when last described)
        self._seen: dict[Any, tuple[int | None, float, float | None]] = {}

    def check(self, consumer: Any, context: Callable[[Any], dict[str, Any]]) -> list[Any]:
        """``context(tp)`` adds what the caller knows (the order guard's state, rebalancing)."""
        now, described = self._clock(), []
        seen: dict[Any, tuple[int | None, float, float | None]] = {}
        for tp in consumer.assignment():
            if tp.topic not in self._topics:
                continue
            committed = consumer._committed_offset.get(tp)
            if not not_moving(committed, consumer.highwater(tp)):
                continue
            previous = self._seen.get(tp)
            if previous is None or previous[0] != committed:
                seen[tp] = (committed, now, None)
                continue
            since, last = previous[1], previous[2]
            if now - since >= self._quiet_s and (last is None or now - last >= self._quiet_s):
                log.warning(
                    "input partition not progressing: its commit has not moved while records wait",
                    extra={
                        "topic": tp.topic,
                        "partition": tp.partition,
                        "seconds": round(now - since, 1),
                        **partition_state(consumer, tp),
                        **context(tp),
                    },
                )
                described.append(tp)
                last = now
            seen[tp] = (committed, since, last)
        self._seen = seen
        return described


class NotReadyWatch:
    """Logs what a worker waits for when a rebalance or the table recovery has not finished for
    ``quiet_s`` (no input partition moves then, and the stall watch does not run)."""

    def __init__(self, quiet_s: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._quiet_s = quiet_s
        self._clock = clock
        self._since: float | None = None
        self._last: float | None = None

    def check(self, ready: bool, describe: Callable[[], dict[str, Any]]) -> bool:
        """True when it logged (``describe()`` gives the state to log)."""
        now = self._clock()
        if ready:
            self._since = self._last = None
            return False
        if self._since is None:
            self._since = now
        if now - self._since < self._quiet_s or (self._last is not None and now - self._last < self._quiet_s):
            return False
        self._last = now
        log.warning(
            "worker not ready: rebalance or table recovery unfinished",
            extra={"seconds": round(now - self._since, 1), **describe()},
        )
        return True


def app_state(app: Any) -> dict[str, Any]:
    """The rebalance and recovery state of a Faust app (read-only, for a log line)."""
    consumer, recovery = app.consumer, app.tables.recovery
    return {
        "rebalancing": app.rebalancing,
        "in_recovery": app.in_recovery,
        "recovery_completed": recovery.completed.is_set(),
        "recovery_remaining": recovery.active_remaining_total(),
        "generation": app.consumer_generation_id,
        "assigned": len(consumer.assignment()),
        "paused": len(consumer._paused_partitions),
        "consumer_flow_active": consumer.flow_active,
        "flow_control_active": app.flow_control.is_active(),
    }
