"""Correction: a record a stream dropped is read again, so its partition's commit moves on.

A Faust stream skips (without processing or acking) records fetched under an older consumer
generation or while flow control is suspended, expecting a rebalance to seek back; after a plain
restart none comes, so the partition's commit waits forever at the skipped record and the inputs
behind it never complete. ``StallWatch`` notices a partition whose oldest uncommitted record is
neither acked nor being processed while later ones are acked, twice in a row, and requests a
re-read from it (``RereadRequests``; the consumer seeks between deliveries). Re-reading repeats
some work; every stage is idempotent by source offset. The watch needs a committed offset: a
record dropped before a partition's first commit in a new consumer group is not covered, and
neither is a committed offset that holds no record (a transaction marker in ``news.raw``).

The same drop can leave nothing acked at all: when every record fetched since the commit was
dropped (a worker restarted after its input had all arrived), no later ack shows the hole and
no later record shows a jump, so the partition waited forever (a paced SIGKILL run: 384 of 400
never processed). ``dropped_since_commit`` covers it, and a partition of a group that has not
committed yet is read again from its start (every stage is idempotent by source offset).
"""

from __future__ import annotations

import logging
from typing import Any

from streamproc.faust.commit_guard import progress_offset

log = logging.getLogger("streamproc.kafka")


def stalled_head(committed: int | None, acked: list[int], in_flight: set[int]) -> int | None:
    """The offset a partition's commit is stuck at because its record was dropped, else None.

    Records of one partition reach its (single) stream in order, so a later offset acked while
    the oldest uncommitted one is neither acked nor in flight means that one was dropped.
    """
    if committed is None or not acked or committed in in_flight or committed in acked:
        return None
    return committed if min(acked) > committed else None


def dropped_since_commit(
    committed: int | None,
    acked: list[int],
    in_flight: set[int],
    read_offset: int | None,
    highwater: int | None,
) -> int | None:
    """Where to read again when records were delivered since the commit and none is acked or in
    flight although records wait (``highwater`` beyond the commit); else None."""
    start = committed if committed is not None else 0
    if in_flight or any(offset >= start for offset in acked):
        return None
    if read_offset is None or read_offset < start or highwater is None or highwater <= start:
        return None
    return start


def in_flight_offsets(unacked: Any) -> dict[Any, set[int]]:
    """Offsets being processed, by partition: Faust's tracked messages not acked yet.

    Faust leaves an acked message in its tracked set when its offset is below the committed one
    (a re-read of a committed record: ``Consumer.ack`` discards only at or above the commit), and
    cleans them out only while waiting at a rebalance (or once the message is garbage: the set is
    weak); counted as in flight, such a leftover hid its partition from the idle check below.
    """
    in_flight: dict[Any, set[int]] = {}
    for message in list(unacked):
        if not message.acked:
            in_flight.setdefault(message.tp, set()).add(message.offset)
    return in_flight


class StallWatch:
    """Requests a re-read of partitions stalled at a dropped record; ``check`` runs periodically.

    ``consumer`` is Faust's consumer with a ``rereads`` (``RereadRequests``) attribute
    (transport.CorrectedConsumer).
    """

    def __init__(self, topics: frozenset[str] = frozenset()) -> None:
        self._suspects: dict[Any, int] = {}  # tp -> stalled offset seen at the previous check
        # Stream topics checked for partitions whose every fetched record was dropped.
        self._topics = topics
        self._idle_suspects: dict[Any, tuple[int, int | None]] = {}  # tp -> (offset, read offset)

    def check(self, consumer: Any) -> list[tuple[Any, int]]:
        """Partitions stalled at the same offset on two consecutive checks (re-reads requested)."""
        # Not paused while a commit is in flight: under load a commit (which flushes the producer)
        # outlasted the commit interval, one followed the next, and a stalled partition stayed
        # stalled (a SIGKILL run on rocksdb:// timed out with commits in flight for minutes).
        # Progress is read past what the commit in flight took out of `_acked` instead.
        in_flight = in_flight_offsets(consumer._unacked_messages)
        suspects: dict[Any, int] = {}
        stalled: list[tuple[Any, int]] = []
        for tp, acked in list(consumer._acked.items()):
            head = stalled_head(progress_offset(consumer, tp), list(acked), in_flight.get(tp, set()))
            if head is None:
                continue
            if self._suspects.get(tp) != head:
                suspects[tp] = head  # could be a moment between fetch and processing: look again
                continue
            log.warning(
                "partition stalled at a dropped record: reading it again",
                extra={"topic": tp.topic, "partition": tp.partition, "offset": head},
            )
            consumer.rereads.request(tp, head)
            stalled.append((tp, head))
        self._suspects = suspects
        return stalled + self._check_dropped_since_commit(consumer, in_flight)

    def _check_dropped_since_commit(
        self, consumer: Any, in_flight: dict[Any, set[int]]
    ) -> list[tuple[Any, int]]:
        suspects: dict[Any, tuple[int, int | None]] = {}
        stalled: list[tuple[Any, int]] = []
        if not self._topics:
            return stalled
        for tp in consumer.assignment():
            if tp.topic not in self._topics:
                continue
            read_offset = consumer._read_offset.get(tp)
            head = dropped_since_commit(
                progress_offset(consumer, tp),
                list(consumer._acked.get(tp, ())),
                in_flight.get(tp, set()),
                read_offset,
                consumer.highwater(tp),
            )
            if head is None:
                continue
            if self._idle_suspects.get(tp) != (head, read_offset):
                suspects[tp] = (head, read_offset)  # delivered a moment ago: look again
                continue
            log.warning(
                "partition idle with every fetched record dropped: reading it again",
                extra={"topic": tp.topic, "partition": tp.partition, "offset": head},
            )
            consumer.rereads.request(tp, head)
            stalled.append((tp, head))
        self._idle_suspects = suspects
        return stalled
