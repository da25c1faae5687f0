"""Correction: each partition of a gap-free topic is processed strictly in offset order.

The re-reads of offset_jumps and dropped_records restore completeness, not order: a later record
of a partition can be processed before a dropped earlier one is read again. For the dedup answers
order matters (the owner of a key answers with the entries stored before a probe), and a copy
whose probe overtook its original's was judged unique (or near instead of exact) in the
reliability suite. ``OrderGuard`` makes the join's key owner process each probes partition in
offset order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("streamproc.kafka")


class OrderGuard:
    """Says whether a stream may process a record now.

    A record beyond the next expected offset means an earlier one was dropped (Faust delivered it
    to nobody, or the stream skipped it): the record is refused, and a re-read from the missing
    offset is requested (``consumer.rereads``), so it and everything after it come in order. A
    record at or before the expected offset (a re-read) is admitted: every stage is replay-safe.
    The expected offset restarts at the committed offset with each consumer generation (Faust
    seeks there after a rebalance).
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
            consumer.rereads.request(tp, expected)
            log.warning(
                "record out of order: reading the partition again from the missing one",
                extra={"topic": tp.topic, "partition": tp.partition, "missing": expected, "at": offset},
            )
        return False
