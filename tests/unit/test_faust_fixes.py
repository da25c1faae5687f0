"""The Faust corrections (streamproc/faust/), each against the faust-streaming behaviour it corrects."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka import TopicPartition
from intervaltree import IntervalTree

from streamproc.faust.buffer_flush import DrainingProducerBuffer
from streamproc.faust.commit_guard import CommitGuardConsumer, commit_would_skip, progress_offset
from streamproc.faust.dropped_records import StallWatch, dropped_since_commit, stalled_head
from streamproc.faust.local_state import IN_USE, close_tables, open_tables
from streamproc.faust.offset_jumps import jump_start, next_read, read_again_where_needed
from streamproc.faust.progress import NotReadyWatch, ProgressWatch, not_moving, partition_state
from streamproc.faust.record_order import OrderGuard, forget
from streamproc.faust.rereads import RereadRequests
from streamproc.faust.resume_clear import reread_from_commit


def test_guard_blocks_a_single_unacked_head_offset() -> None:
    # committed (next to read) = 31, 31 never acked, 32.. acked: Faust 0.15 would commit 34.
    assert commit_would_skip(31, [32, 33], [])
    assert commit_would_skip(0, [1, 2], [])  # Faust skipped the check when committed == 0
    assert not commit_would_skip(31, [31, 32], [])
    assert not commit_would_skip(31, [33], [31])  # 31-32 are a known gap (no messages there)
    assert not commit_would_skip(None, [5], [])  # nothing committed yet: nothing to protect


def _consumer_state(committed: int, acked: list[int]) -> CommitGuardConsumer:
    """A consumer (never started) holding only the offset bookkeeping ``_new_offset`` reads."""
    consumer = CommitGuardConsumer.__new__(CommitGuardConsumer)
    consumer._acked = defaultdict(list, {"tp": list(acked)})
    consumer._acked_index = defaultdict(set, {"tp": set(acked)})
    consumer._gap = defaultdict(IntervalTree)
    consumer._committed_offset = defaultdict(lambda: None, {"tp": committed})
    consumer.committing = {}
    return consumer


def test_guarded_consumer_waits_at_the_first_unacked_offset() -> None:
    from faust.transport.consumer import Consumer

    # Faust's own guard commits past the unacked head offset 31.
    assert Consumer._new_offset(_consumer_state(31, [32, 33]), "tp") == 34  # type: ignore[arg-type]
    assert _consumer_state(31, [32, 33])._new_offset("tp") is None
    assert _consumer_state(31, [31, 32, 33])._new_offset("tp") == 34


class _RecordingChannel:
    """Stands in for a topic: 'publishing' takes a while, as it does on a busy loop."""

    def __init__(self, delays: list[float]) -> None:
        self.delays = delays
        self.published: list[int] = []

    async def publish_message(self, fut: Any, wait: bool = False) -> None:
        await asyncio.sleep(self.delays[fut.seq])
        self.published.append(fut.seq)


def _future(channel: _RecordingChannel, seq: int) -> Any:
    return SimpleNamespace(seq=seq, message=SimpleNamespace(channel=channel))


async def _flush_with_background_sender(
    delays: list[float], *, faust_own: bool = False
) -> tuple[list[int], int]:
    from faust.transport.producer import ProducerBuffer

    buffer = ProducerBuffer() if faust_own else DrainingProducerBuffer()
    buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))  # type: ignore[assignment]
    channel = _RecordingChannel(delays)
    await buffer.start()  # runs Faust's own background sender task
    try:
        for seq in range(len(delays)):
            buffer.put(_future(channel, seq))
        await asyncio.sleep(0)  # let the background task take the first record
        await buffer.flush()
        return list(channel.published), buffer.size
    finally:
        while buffer.size:  # Faust's stop refuses a buffer with records left: let the sender finish
            await asyncio.sleep(0.05)
        await buffer.stop()


def test_buffer_flush_returns_only_when_every_record_is_sent_in_order() -> None:
    # One slow record (0.3 s, longer than Faust's 0.1 s give-up) amid fast ones: Faust's own
    # flush returned with most of the buffer unsent, and offsets were committed past them.
    delays = [0.001] * 40
    delays[5] = 0.3
    published, left = asyncio.run(_flush_with_background_sender(delays))
    assert left == 0
    assert published == list(range(len(delays)))
    _, left_by_faust = asyncio.run(_flush_with_background_sender(delays, faust_own=True))
    assert left_by_faust > 0


class _FeedingChannel(_RecordingChannel):
    """A topic on a loaded worker: while a record is published, the streams buffer another."""

    def __init__(self, buffer: DrainingProducerBuffer, delays: list[float]) -> None:
        super().__init__(delays)
        self.buffer = buffer

    async def publish_message(self, fut: Any, wait: bool = False) -> None:
        await super().publish_message(fut, wait)
        if len(self.delays) < 500:  # the load ends some time
            self.delays.append(0.001)
            self.buffer.put(_future(self, len(self.delays) - 1))


async def _flush_under_load(before: int) -> tuple[list[int], int]:
    buffer = DrainingProducerBuffer()
    buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))  # type: ignore[assignment]
    channel = _FeedingChannel(buffer, [0.001] * before)
    await buffer.start()
    try:
        for seq in range(before):
            buffer.put(_future(channel, seq))
        await asyncio.sleep(0)
        await asyncio.wait_for(buffer.flush(), timeout=1.0)
        return list(channel.published), len(channel.delays)
    finally:
        await buffer.stop()  # a stop drains everything, records buffered meanwhile too
        assert buffer.size == 0


def test_buffer_flush_ends_while_records_keep_arriving() -> None:
    # Draining until empty took as long as the load (commits lasted 35 s, the stall watch waited).
    published, buffered = asyncio.run(_flush_under_load(20))
    assert published[:20] == list(range(20))  # every record buffered before the flush, in order
    assert buffered < 500  # it returned while the streams were still buffering


def test_jump_start_rereads_skipped_offsets_and_nothing_else() -> None:
    assert jump_start(None, 40) is None  # nothing read yet: wherever the fetch starts is right
    assert jump_start(105, 106) is None  # the next record
    assert jump_start(106, 106) is None  # right after a seek the read offset is the next one to read
    assert jump_start(105, 113) == 105  # 106..112 were fetched and thrown away: read them again
    assert jump_start(105, 100) is None  # behind: Faust drops what it already delivered


def test_stalled_head_is_a_dropped_record_behind_acked_ones() -> None:
    assert stalled_head(122, [129, 130], set()) == 122  # 122..128 dropped, later ones acked
    assert stalled_head(122, [129, 130], {122}) is None  # 122 is still being processed
    assert stalled_head(122, [122, 123], set()) is None  # acked, about to be committed
    assert stalled_head(122, [], set()) is None  # nothing behind it: just idle or slow
    assert stalled_head(None, [5, 6], set()) is None  # nothing committed yet: no known head


_TP = TopicPartition("news.raw", 0)


class _StallConsumer:
    def __init__(self, committed: int, acked: list[int]) -> None:
        self._acked = {_TP: acked}
        self._committed_offset = {_TP: committed}
        self._unacked_messages: set[Any] = set()
        self._commit_fut: Any = None
        self.rereads = RereadRequests()


def test_stall_watch_asks_to_rewind_only_a_stall_seen_twice() -> None:
    watch, consumer = StallWatch(), _StallConsumer(122, [129, 130])
    assert watch.check(consumer) == []  # first sighting: maybe a record between fetch and stream
    assert watch.check(consumer) == [(_TP, 122)]
    assert consumer.rereads.pending() == {_TP: 122}  # the consumer seeks between deliveries
    consumer._committed_offset[_TP] = 131  # re-read and committed: the stall is gone
    consumer._acked[_TP] = []
    assert watch.check(consumer) == []


def test_stall_watch_reads_progress_past_a_commit_in_flight() -> None:
    # A commit in flight took 122..128 out of _acked; the committed offset has not moved yet.
    watch, consumer = StallWatch(), _StallConsumer(122, [129, 130])
    consumer._commit_fut = object()
    consumer.committing = {_TP: 129}
    assert watch.check(consumer) == [] and watch.check(consumer) == []  # no stall: 129 is acked
    # Commits one after the other (under load) must not hide a real stall: 131 was dropped.
    consumer.committing = {_TP: 131}
    consumer._acked[_TP] = [135, 136]
    assert watch.check(consumer) == [] and watch.check(consumer) == [(_TP, 131)]


def test_the_guarded_consumer_says_how_far_a_commit_in_flight_goes() -> None:
    consumer = _consumer_state(31, [31, 32, 33])
    consumer._commit_fut = object()
    assert consumer._new_offset("tp") == 34 and consumer.committing == {"tp": 34}
    assert progress_offset(consumer, "tp") == 34
    consumer._commit_fut = None  # done: the committed offset is what counts
    assert progress_offset(consumer, "tp") == 31


def _simulate_reads(
    log_offsets: list[int], drops: dict[int, int], *, gap_free: bool
) -> tuple[list[int], int]:
    """Feed a partition through ``next_read`` the way the consumer's getmany does. ``drops``: how many
    times Faust throws each offset away after fetching it. Returns (offsets delivered, seeks)."""
    delivered: list[int] = []
    read_offset: int | None = None
    reread = None
    seeks = 0
    position = 0
    drops = dict(drops)
    while position < len(log_offsets) and seeks < 20:
        offset = log_offsets[position]
        position += 1
        if drops.get(offset, 0) > 0:
            drops[offset] -= 1
            continue
        seek_to, reread = next_read(read_offset, offset, reread, gap_free=gap_free)
        if seek_to is not None:
            seeks += 1
            position = next(i for i, o in enumerate(log_offsets) if o >= seek_to)
            continue
        if read_offset is None or offset >= read_offset:
            delivered.append(offset)
            read_offset = offset
    return delivered, seeks


def test_dropped_records_are_read_again_and_real_gaps_do_not_loop() -> None:
    contiguous = list(range(100, 120))
    dropped_once = dict.fromkeys((104, 105, 106), 1)
    delivered, seeks = _simulate_reads(contiguous, dropped_once, gap_free=False)
    assert set(delivered) == set(contiguous) and seeks == 1  # 103 comes twice, nothing lost
    compacted = [o for o in range(100, 120) if o not in {104, 105, 106}]  # a real gap
    delivered, seeks = _simulate_reads(compacted, {}, gap_free=False)
    assert delivered == [100, 101, 102, 103, 103, *range(107, 120)] and seeks == 1


def test_gap_free_topics_reread_records_dropped_again() -> None:
    contiguous = list(range(100, 120))
    dropped_thrice = dict.fromkeys((104, 105, 106), 3)
    delivered, seeks = _simulate_reads(contiguous, dropped_thrice, gap_free=True)
    assert set(delivered) == set(contiguous) and seeks == 3
    # Elsewhere a jump that survives one re-read counts as a real gap (compaction, transactions).
    delivered, _ = _simulate_reads(contiguous, dropped_thrice, gap_free=False)
    assert not {104, 105, 106} & set(delivered)


class _LogConsumer:
    """A partition log with a fetch position, as getmany sees a Faust consumer."""

    def __init__(self, end: int, position: int, read_offset: int) -> None:
        self.end = end
        self.position = {_TP: position}
        self._read_offset = {_TP: read_offset}
        self.rereads = RereadRequests()
        self.markers: dict[Any, Any] = {}

    def assignment(self) -> set[TopicPartition]:
        return {_TP}

    async def seek(self, tp: TopicPartition, offset: int) -> None:  # Faust's: also the read offset
        self.position[tp] = offset
        self._read_offset[tp] = offset

    async def _seek(self, tp: TopicPartition, offset: int) -> None:
        self.position[tp] = offset

    @staticmethod
    async def fetch(consumer: Any, timeout: float) -> Any:
        """One batch: everything from the position to the end, fetched before it is yielded."""
        batch = range(consumer.position[_TP], consumer.end)
        consumer.position[_TP] = consumer.end
        for offset in batch:
            yield _TP, SimpleNamespace(offset=offset)


def _deliver(consumer: _LogConsumer, unchecked: frozenset[str] = frozenset()) -> list[int]:
    async def run() -> list[int]:
        out = []
        reads = read_again_where_needed(
            consumer,
            1.0,
            _LogConsumer.fetch,
            rereads=consumer.rereads,
            markers=consumer.markers,
            unchecked_topics=unchecked,
        )
        async for tp, message in reads:
            out.append(message.offset)
            consumer._read_offset[tp] = message.offset  # as Faust's drain loop does after delivery
        return out

    return asyncio.run(run())


def test_a_stall_rewind_delivers_the_partitions_last_records() -> None:
    # Record 111 was dropped, 112..113 processed; the log ends at 114. After the rewind the fetch
    # returns 111..113 and they must be delivered: nothing later will ever show a jump.
    consumer = _LogConsumer(end=114, position=114, read_offset=113)
    consumer.rereads.request(_TP, 111)
    assert _deliver(consumer) == [111, 112, 113]
    assert consumer.rereads.pending() == {}


def test_a_jump_is_read_again_from_the_last_delivered_record() -> None:
    # 106..112 were fetched and thrown away by Faust: the consumer is at 113 with 105 delivered.
    consumer = _LogConsumer(end=116, position=113, read_offset=105)
    first = _deliver(consumer)  # sees the jump at 113: seeks back, drops the rest of the batch
    assert first == []
    assert _deliver(consumer) == list(range(105, 116))


def test_a_changelog_hole_is_delivered_across_without_reading_again() -> None:
    # A compacted changelog: 106..112 were cleaned away. Re-reading each such hole cost a seek
    # and a fetch; on a changelog the records after the hole are delivered at once.
    consumer = _LogConsumer(end=116, position=113, read_offset=105)
    assert _deliver(consumer, unchecked=frozenset({_TP.topic})) == [113, 114, 115]
    assert consumer.position[_TP] == 116  # no seek back


class _OrderConsumer:
    def __init__(self, committed: int | None) -> None:
        self._committed_offset = {_TP: committed}
        self.rereads = RereadRequests()


def test_order_guard_refuses_a_record_that_overtakes_a_dropped_one_and_asks_for_it() -> None:
    now = [0.0]
    guard, consumer = OrderGuard(clock=lambda: now[0]), _OrderConsumer(committed=10)
    assert guard.admit(consumer, _TP, 10, generation=1)
    assert guard.admit(consumer, _TP, 11, generation=1)
    # 12 was dropped: 13 and 14 must wait, and the partition is read again from 12 (asked once).
    assert not guard.admit(consumer, _TP, 13, generation=1)
    assert consumer.rereads.take() == {_TP: 12}  # the consumer's getmany performs the seek
    assert not guard.admit(consumer, _TP, 14, generation=1)
    assert consumer.rereads.pending() == {}
    now[0] += OrderGuard.RETRY_S  # still missing later on: ask again
    assert not guard.admit(consumer, _TP, 14, generation=1)
    assert consumer.rereads.pending() == {_TP: 12}
    # The re-read brings 12, 13, 14 in order; a repeat of an earlier one is admitted (replay-safe).
    assert [guard.admit(consumer, _TP, o, generation=1) for o in (12, 13, 11, 12, 13, 14)] == [True] * 6


def test_order_guard_restarts_at_the_committed_offset_each_generation() -> None:
    guard, consumer = OrderGuard(), _OrderConsumer(committed=None)
    assert guard.admit(consumer, _TP, 40, generation=1)  # nothing committed: start where reading starts
    consumer._committed_offset[_TP] = 41
    assert not guard.admit(consumer, _TP, 43, generation=2)  # after a rebalance: 41 comes first
    assert guard.admit(consumer, _TP, 41, generation=2)


def _reread_in_vain(guard: OrderGuard, consumer: _OrderConsumer, now: list[float], times: int) -> None:
    """The hole at 12 re-read ``times`` times, each re-read starting at 13 again."""
    for _ in range(times):
        assert not guard.admit(consumer, _TP, 13, generation=1)
        assert consumer.rereads.take() == {_TP: 12}  # the consumer seeks back
        assert not guard.admit(consumer, _TP, 13, generation=1)  # the re-read starts at 13 again
        now[0] += OrderGuard.RETRY_S


def test_input_order_guard_passes_a_hole_the_broker_holds_no_record_at() -> None:
    # A user topic can have real holes (a transaction marker at 12): after max_rereads re-reads
    # that still start at 13, and the broker's word that nothing is stored at 12, 13 is admitted
    # instead of waiting for 12 forever.
    now = [0.0]
    guard = OrderGuard(clock=lambda: now[0], max_rereads=2)
    consumer = _OrderConsumer(committed=10)
    assert guard.admit(consumer, _TP, 10, generation=1)
    assert guard.admit(consumer, _TP, 11, generation=1)
    _reread_in_vain(guard, consumer, now, 2)
    assert not guard.admit(consumer, _TP, 13, generation=1)  # not passed before the check
    assert guard.unverified_hole(_TP) == 12 and guard.holes_passed == 0
    guard.hole_checked(consumer, _TP, 12, holds_record=False)
    assert guard.admit(consumer, _TP, 13, generation=1)
    assert guard.holes_passed == 1 and consumer.rereads.pending() == {}
    assert guard.admit(consumer, _TP, 14, generation=1)


@pytest.mark.parametrize("answer", [True, None])
def test_input_order_guard_never_passes_a_hole_the_broker_stores_a_record_at(answer: bool | None) -> None:
    # The failure: Faust delivered raw partition 2 from 5 on through three re-reads from 4 and 4
    # was taken for a gap, so copies after it were published as unique. A stored record (or no
    # answer) is a drop: the partition is read again from it, and 13 still waits.
    now = [0.0]
    guard = OrderGuard(clock=lambda: now[0], max_rereads=2)
    consumer = _OrderConsumer(committed=12)
    _reread_in_vain(guard, consumer, now, 2)
    assert not guard.admit(consumer, _TP, 13, generation=1)
    guard.hole_checked(consumer, _TP, 12, holds_record=answer)
    assert guard.unverified_hole(_TP) is None and consumer.rereads.take() == {_TP: 12}
    assert not guard.admit(consumer, _TP, 13, generation=1)
    admitted = [o for o in (12, 13, 14) if guard.admit(consumer, _TP, o, generation=1)]
    assert admitted == [12, 13, 14] and guard.holes_passed == 0


def test_input_order_guard_counts_only_rereads_the_consumer_carried_out() -> None:
    # Under load the fetch loop sat in long commits and never performed the rewinds asked for;
    # counted anyway, the hole at 12 was taken for a real gap and later copies overtook it.
    now = [0.0]
    guard = OrderGuard(clock=lambda: now[0], max_rereads=2)
    consumer = _OrderConsumer(committed=12)
    for offset in range(13, 23):
        assert not guard.admit(consumer, _TP, offset, generation=1)
        now[0] += OrderGuard.RETRY_S
    assert guard.holes_passed == 0 and consumer.rereads.pending() == {_TP: 12}


def test_input_order_guard_waits_for_a_dropped_original_that_comes_back() -> None:
    # The failure it exists for: after a restart the original (12) is dropped and its later copy
    # (13) delivered; 13 waits until 12 has been read again, so the copy is probed second.
    now = [0.0]
    guard = OrderGuard(clock=lambda: now[0], max_rereads=3)
    consumer = _OrderConsumer(committed=12)
    admitted = [o for o in (13, 14) if guard.admit(consumer, _TP, o, generation=1)]
    assert admitted == [] and consumer.rereads.take() == {_TP: 12}
    admitted = [o for o in (12, 13, 14) if guard.admit(consumer, _TP, o, generation=1)]
    assert admitted == [12, 13, 14] and guard.holes_passed == 0


def test_a_refused_record_is_no_longer_tracked_and_never_acked() -> None:
    class _Tracking:
        def __init__(self) -> None:
            self._unacked_messages = {"m12", "m13"}

    consumer = _Tracking()
    forget(consumer, "m13")
    assert consumer._unacked_messages == {"m12"}


def test_acking_a_refused_record_lets_the_commit_pass_it_before_its_second_delivery() -> None:
    # 12 dropped, 13 delivered and refused by the order guard, then 12 re-read and processed; the
    # re-delivery of 13 is not processed yet. Had the refusal acked 13 (the answer agent's
    # auto-ack), the commit would pass 13 now, and a kill here would lose its answers.
    assert _consumer_state(12, [12, 13])._new_offset("tp") == 14
    # Refused records are forgotten instead (both agents read noack streams): the commit waits.
    assert _consumer_state(12, [12])._new_offset("tp") == 13


def test_dropped_since_commit_is_delivered_records_none_acked_while_more_wait() -> None:
    # Records 40..57 were delivered after the commit at 40 and all dropped; 60 are in the log.
    assert dropped_since_commit(40, [], set(), 57, 60) == 40
    assert dropped_since_commit(None, [], set(), 12, 60) == 0  # no commit yet: from the start
    assert dropped_since_commit(40, [41], set(), 57, 60) is None  # acked: the stall watch's case
    assert dropped_since_commit(40, [], {40}, 57, 60) is None  # being processed
    assert dropped_since_commit(40, [], set(), 39, 60) is None  # nothing delivered since
    assert dropped_since_commit(40, [], set(), 40, 40) is None  # idle: nothing waits
    assert dropped_since_commit(40, [], set(), None, 60) is None


class _IdleConsumer(_StallConsumer):
    def __init__(self, committed: int, read_offset: int, highwater: int) -> None:
        super().__init__(committed, [])
        self._read_offset = {_TP: read_offset}
        self._highwater = highwater

    def assignment(self) -> set[TopicPartition]:
        return {_TP, TopicPartition("app-pending-changelog", 0)}

    def highwater(self, tp: TopicPartition) -> int:
        return self._highwater


def test_stall_watch_rereads_a_partition_whose_every_fetched_record_was_dropped() -> None:
    watch, consumer = StallWatch(topics=frozenset({_TP.topic})), _IdleConsumer(40, 57, 60)
    assert watch.check(consumer) == []  # first sighting
    assert watch.check(consumer) == [(_TP, 40)]  # the changelog partition is not checked
    assert consumer.rereads.pending() == {_TP: 40}
    consumer._read_offset[_TP] = 45  # progress between checks: not stuck
    assert watch.check(consumer) == []


@dataclass(frozen=True)
class _Tracked:
    tp: TopicPartition
    offset: int
    acked: bool


def test_stall_watch_does_not_take_an_acked_leftover_for_a_record_in_flight() -> None:
    # Faust's ack keeps a re-read record below the commit in its tracked set (acked, not
    # discarded): taken for one in flight, it hid the partition from the idle check for good.
    watch, consumer = StallWatch(topics=frozenset({_TP.topic})), _IdleConsumer(40, 57, 60)
    consumer._unacked_messages = {_Tracked(_TP, 39, acked=True)}
    assert watch.check(consumer) == []
    assert watch.check(consumer) == [(_TP, 40)]
    consumer._unacked_messages = {_Tracked(_TP, 40, acked=False)}
    assert watch.check(consumer) == []  # really being processed


def test_tables_left_by_a_killed_worker_are_discarded_and_a_clean_stop_keeps_them(tmp_path: Path) -> None:
    tabledir = tmp_path / "tables"
    assert not open_tables(tabledir)  # first start: nothing to discard
    (tabledir / "published-0.db").mkdir()
    (tabledir / "published-0.db" / "000001.log").write_bytes(b"marker written ahead of Kafka")
    # Killed: the in-use mark is still there at the next start, so the store files go.
    assert open_tables(tabledir)
    assert sorted(p.name for p in tabledir.iterdir()) == [IN_USE]
    (tabledir / "published-0.db").mkdir()
    close_tables(tabledir)  # a clean stop: producer flushed, the files match the changelogs
    assert not open_tables(tabledir)
    assert (tabledir / "published-0.db").is_dir()
    # The files of an older version (an empty mark) are discarded by prefix stores too.
    assert open_tables(tabledir, prefix_stores=True)
    assert sorted(p.name for p in tabledir.iterdir()) == [IN_USE]


class _ProgressConsumer(_IdleConsumer):
    def __init__(self, committed: int, highwater: int) -> None:
        super().__init__(committed, committed, highwater)
        self._active_partitions: set[TopicPartition] | None = set()
        self._paused_partitions = {_TP}
        self._buffered_partitions: set[TopicPartition] = set()
        self.flow_active = True


def test_progress_watch_describes_a_partition_whose_commit_stays_while_records_wait() -> None:
    now = [0.0]
    watch = ProgressWatch([_TP.topic], quiet_s=30.0, clock=lambda: now[0])
    consumer = _ProgressConsumer(committed=9, highwater=60)
    context = lambda tp: {"guard_expected": 9}  # noqa: E731
    assert watch.check(consumer, context) == []  # first sighting
    now[0] = 29.0
    assert watch.check(consumer, context) == []
    now[0] = 31.0
    assert watch.check(consumer, context) == [_TP]  # stuck for 30 s: described (paused here)
    assert partition_state(consumer, _TP)["paused"] is True
    now[0] = 40.0
    assert watch.check(consumer, context) == []  # once per quiet_s
    consumer._committed_offset[_TP] = 20  # it moved: the clock starts again
    now[0] = 75.0
    assert watch.check(consumer, context) == []
    consumer._committed_offset[_TP] = 60  # caught up: nothing waits
    now[0] = 200.0
    assert watch.check(consumer, context) == []
    assert not not_moving(60, 60) and not_moving(None, 3) and not not_moving(5, None)


def test_resuming_flow_control_clears_the_stream_queues_faust_filled() -> None:
    # What Faust does at the end of a rebalance: records delivered into a stream's queue before
    # flow control resumes are dropped, untracked (the queue is made with clear_on_resume).
    from mode.utils.queues import FlowControlEvent, FlowControlQueue

    async def deliver_then_resume() -> int:
        flow = FlowControlEvent()
        queue: FlowControlQueue[str] = FlowControlQueue(maxsize=10, flow_control=flow, clear_on_resume=True)
        queue.put_nowait("raw/0/12")
        flow.resume()
        return queue.qsize()

    assert asyncio.run(deliver_then_resume()) == 0


class _AssignedConsumer(_StallConsumer):
    def __init__(self, committed: dict[TopicPartition, int | None]) -> None:
        super().__init__(0, [])
        self._committed_offset = dict(committed)  # type: ignore[assignment]

    def assignment(self) -> set[TopicPartition]:
        return set(self._committed_offset)


def test_after_a_rebalance_stream_partitions_are_read_again_from_their_commit() -> None:
    probes, changelog = TopicPartition("app-probes", 2), TopicPartition("app-pending-changelog", 0)
    fresh = TopicPartition("news.raw", 1)
    consumer = _AssignedConsumer({_TP: 12, probes: 3, changelog: 40, fresh: None})
    wanted = reread_from_commit(consumer, {changelog.topic})
    assert wanted == {_TP: 12, probes: 3, fresh: 0}  # nothing committed yet: from the start
    assert consumer.rereads.pending() == wanted  # the consumer seeks before its next fetch


def test_the_corrected_app_rereads_when_a_rebalance_ends() -> None:
    from streamproc.faust.app import CorrectedApp
    from streamproc.faust.settings import WingSettings

    app = CorrectedApp("rebalance-test", wing=WingSettings(), broker="kafka://127.0.0.1:9", store="memory://")
    consumer = _AssignedConsumer({_TP: 12})
    app._consumer = consumer  # type: ignore[assignment]  # the app is built, never started
    app.rebalancing = True
    app.on_rebalance_end()
    assert not app.rebalancing  # Faust's own bookkeeping still runs
    assert consumer.rereads.pending() == {_TP: 12}


def test_not_ready_watch_logs_a_long_rebalance_or_recovery_once_per_period() -> None:
    now = [0.0]
    watch = NotReadyWatch(quiet_s=30.0, clock=lambda: now[0])
    described: list[int] = []

    def describe() -> dict[str, Any]:
        described.append(1)
        return {"rebalancing": True}

    assert not watch.check(False, describe)
    now[0] = 31.0
    assert watch.check(False, describe)
    now[0] = 40.0
    assert not watch.check(False, describe)  # once per quiet_s
    assert not watch.check(True, describe)  # ready: the clock starts again
    now[0] = 65.0
    assert not watch.check(False, describe)
    assert len(described) == 1  # the state is only read when it is logged


def test_app_state_reads_what_faust_keeps_for_a_rebalance() -> None:
    from streamproc.faust.app import CorrectedApp
    from streamproc.faust.progress import app_state
    from streamproc.faust.settings import WingSettings

    app = CorrectedApp("state-test", wing=WingSettings(), broker="kafka://127.0.0.1:9", store="memory://")
    app._consumer = _ProgressConsumer(committed=9, highwater=60)  # type: ignore[assignment]
    state = app_state(app)
    assert state["recovery_completed"] is False and state["assigned"] == 2 and state["paused"] == 1
