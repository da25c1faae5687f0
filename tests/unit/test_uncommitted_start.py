"""A stream partition nobody has committed yet starts at its first stored record (uncommitted_start)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka import TopicPartition

from streamproc.faust.commit_guard import commit_would_skip
from streamproc.faust.record_order import OrderGuard
from streamproc.faust.rereads import RereadRequests
from streamproc.faust.uncommitted_start import start_uncommitted_at_beginning, uncommitted_partitions

PROBES = TopicPartition("app-probes", 0)
RAW = TopicPartition("news.raw", 1)
CHANGELOG = TopicPartition("app-dedup-keys-changelog", 0)


class _Consumer:
    """What the correction and the guards use of Faust's consumer, after Faust's ``perform_seek``
    left a partition with no commit at None and its fetch position where prefetching left it."""

    def __init__(self, committed: dict[Any, int | None], earliest: dict[Any, int]) -> None:
        self._committed_offset = dict(committed)
        self._read_offset: dict[Any, int | None] = dict.fromkeys(committed)
        self.earliest = earliest
        self.position = dict.fromkeys(committed, 11)  # records 0-10 were fetched and dropped
        self.asked: list[tuple[Any, ...]] = []
        self.rereads = RereadRequests()

    def assignment(self) -> set[Any]:
        return set(self._committed_offset)

    async def earliest_offsets(self, *tps: Any) -> dict[Any, int]:
        self.asked.append(tps)
        return {tp: self.earliest[tp] for tp in tps}

    async def _seek(self, tp: Any, offset: int) -> None:
        self.position[tp] = offset


def _start(consumer: _Consumer) -> dict[Any, int]:
    return asyncio.run(start_uncommitted_at_beginning(consumer, {CHANGELOG.topic}))


def test_only_stream_partitions_without_a_commit_are_started_at_their_beginning() -> None:
    committed = {PROBES: None, RAW: 7, CHANGELOG: None}
    assert uncommitted_partitions(committed, committed, {CHANGELOG.topic}) == [PROBES]
    consumer = _Consumer(committed, earliest={PROBES: 0})
    assert _start(consumer) == {PROBES: 0}
    assert consumer.asked == [(PROBES,)]  # the broker is asked only about those
    assert consumer.position == {PROBES: 0, RAW: 11, CHANGELOG: 11}
    # Faust would keep 0 as None ("unknown"); the guards need the number.
    assert consumer._committed_offset[PROBES] == 0 and consumer._read_offset[PROBES] == 0
    assert consumer._committed_offset[RAW] == 7 and consumer._committed_offset[CHANGELOG] is None


def test_the_beginning_is_the_first_record_the_broker_still_stores() -> None:
    consumer = _Consumer({RAW: None}, earliest={RAW: 500})  # retention deleted 0-499
    assert _start(consumer) == {RAW: 500}
    assert consumer.position[RAW] == 500 and consumer._committed_offset[RAW] == 500


def test_nothing_to_do_when_every_partition_has_a_commit() -> None:
    consumer = _Consumer({PROBES: 3}, earliest={PROBES: 0})
    assert _start(consumer) == {}
    assert consumer.asked == []


def test_the_order_guard_then_refuses_a_first_record_past_the_dropped_head() -> None:
    # The reliability failure: the new owner of a probes partition nobody had committed got offset
    # 11 first and answered a copy's probe before its original's (offsets 9-10).
    before = _Consumer({PROBES: None}, earliest={PROBES: 0})
    assert OrderGuard().admit(before, PROBES, 11, generation=2)  # admitted: the bug
    after = _Consumer({PROBES: None}, earliest={PROBES: 0})
    _start(after)
    guard = OrderGuard()
    assert not guard.admit(after, PROBES, 11, generation=2)
    assert after.rereads.take() == {PROBES: 0}
    assert [guard.admit(after, PROBES, offset, generation=2) for offset in range(12)] == [True] * 12


def test_the_commit_guard_then_waits_at_the_head_too() -> None:
    # Offsets 11-15 acked, 0-10 not read yet: committing 16 would pass them for good.
    assert not commit_would_skip(None, [11, 12, 13, 14, 15], [])
    assert commit_would_skip(0, [11, 12, 13, 14, 15], [])
