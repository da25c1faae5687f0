"""Horizon sweeps read their own partition's keys only, a slice per event (join/sweep_rounds.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import faust

from streamproc.config import DedupSettings, Settings
from streamproc.dedup import KeyEntry
from streamproc.faust.coalescing import CoalescingTable
from streamproc.join.messages import Probe
from streamproc.join.owner import KeyOwner, StateSweeper, partition_of_key
from streamproc.join.postings import is_record_key, record_partition
from streamproc.join.story_records import PROFILE_KEY_MARK, is_story_record_key, story_record_partition
from streamproc.metrics import create_metrics
from streamproc.stories.book import Member
from streamproc.stories.desk import StoryJoin, handle, is_current
from streamproc.stories.profile import ArticleProfile
from streamproc.stories.score import new_story_id
from streamproc.stories.sweep import StorySweeper, is_story_key, open_count_key

DAY = 86_400.0
NOW = 1_773_000_000.0
SLICE = 3


def sliced(slice_keys: int = SLICE) -> Settings:
    settings = Settings()
    return replace(
        settings, dedup=replace(DedupSettings(), sweep_interval_s=0.0, sweep_slice_keys=slice_keys)
    )


def owner_partition(key: str, partitions: int) -> int:
    """The partition whose database holds ``key`` (the event it is written in)."""
    if is_record_key(key):
        return record_partition(key)
    if is_story_record_key(key):
        return story_record_partition(key)
    return partition_of_key(key.split(PROFILE_KEY_MARK)[0], partitions)


def probes() -> list[Probe]:
    """Articles over twelve days: fingerprints, shared band keys (postings and records), story keys
    with profiles; a third of them past the dedup horizon, more past the story horizon."""
    made = []
    for i in range(48):
        t = NOW - (i % 12) * DAY
        source = f"raw/{i % 4}/{i}"
        signed = KeyEntry(f"a-{i}", source, t, signature="u8:" + "A" * 88)
        profiled = KeyEntry(f"a-{i}", source, t, profile=ArticleProfile({"quake": 1.0}, {"x": 1.0}))
        made += [Probe(f"fp:{i}", KeyEntry(f"a-{i}", source, t), source)]
        made += [Probe(f"b{b}:{i % 7}", signed, source) for b in range(3)]
        made += [Probe(f"st:name{i % 5}", profiled, source)]
    return made


class PartitionedDict(dict[str, Any]):
    """A dict table that lists a partition's keys (as the worker's tables do) and records what is
    read; a scan of the whole table fails."""

    def __init__(self, items: dict[str, Any], partitions: int) -> None:
        super().__init__(items)
        self.partitions = partitions
        self.read: list[str] = []

    def partition_keys(self, partition: int) -> Iterator[str]:
        return iter([k for k in dict.keys(self) if owner_partition(k, self.partitions) == partition])

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("a sweep scanned the whole table")

    def __getitem__(self, key: str) -> Any:
        self.read.append(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read.append(key)
        return super().get(key, default)


def stored_state(settings: Settings) -> dict[str, Any]:
    table: dict[str, Any] = {}
    owner = KeyOwner(settings, table)
    for probe in probes():
        owner.answer(probe)
    return table


def memory_table(partitions: int) -> tuple[Any, list[int]]:
    """A coalescing table on memory:// written as the worker writes: in an event of a partition."""
    app = faust.App("sweep-test", store="memory://", Table=CoalescingTable)
    table = app.Table("dedup-keys", default=None, partitions=partitions, key_type=str)
    at = [0]
    table.partition_for_key = lambda key: at[0]
    table.send_changelog = lambda *args, **kwargs: None
    return table, at


def sweep_in_slices(sweeper: StateSweeper, table: Any, partition: int) -> list[int]:
    """Run one round of ``partition`` by events; the keys each slice visited."""
    visits = []
    sweeper.maybe_sweep(table, partition)
    visits.append(sweeper.rounds[partition].visited if partition in sweeper.rounds else -1)
    while partition in sweeper.rounds:
        before = sweeper.rounds[partition].visited
        sweeper.maybe_sweep(table, partition)
        visits.append(sweeper.rounds[partition].visited - before if partition in sweeper.rounds else -1)
    return visits


def test_a_round_of_slices_on_the_partition_index_evicts_what_one_whole_scan_evicts() -> None:
    settings = sliced()
    partitions = settings.kafka.partitions
    reference = stored_state(settings)
    scanned = KeyOwner(settings, reference)
    table, at = memory_table(partitions)
    owner = KeyOwner(settings, table)
    for probe in probes():
        at[0] = partition_of_key(probe.key, partitions)  # the probe's event is on its key's partition
        owner.answer(probe)
    assert dict(table.items()) == reference
    for partition in range(partitions):  # the index lists each partition's keys, and only them
        own = {k for k in reference if owner_partition(k, partitions) == partition}
        assert sorted(table.partition_keys(partition)) == sorted(own)
    whole = sliced_total = 0
    for partition in range(partitions):
        for sweeper in (scanned.sweeper, owner.sweeper):
            sweeper.observe(partition, NOW)
        whole += scanned.sweeper.sweep(reference, partition)  # a dict: the whole table, one block
        at[0] = partition
        before = owner.sweeper.rounds.get(partition)
        assert before is None
        owner.maybe_sweep(partition)
        while partition in owner.sweeper.rounds:
            owner.maybe_sweep(partition)
        sliced_total += owner.sweeper.last_evicted[partition]
    assert whole == sliced_total > 0
    assert dict(table.items()) == reference
    assert any(k.startswith("b") for k in reference) and any(k.startswith("st:") for k in reference)


def test_a_sweep_reads_only_its_own_partitions_keys_a_slice_at_a_time() -> None:
    settings = sliced()
    partitions = settings.kafka.partitions
    table = PartitionedDict(stored_state(settings), partitions)
    metrics = create_metrics()
    sweeper = StateSweeper(settings, metrics, partition_of_key)
    sweeper.observe(2, NOW)
    own = sum(1 for k in dict.keys(table) if owner_partition(k, partitions) == 2)
    visits = sweep_in_slices(sweeper, table, 2)
    assert table.read and {owner_partition(k, partitions) for k in table.read} == {2}
    assert len(visits) > 2 and set(visits[:-1]) == {SLICE} and visits[-1] == -1  # -1: the round ended
    assert metrics.state_sweep_keys.labels(table="dedup-keys")._value.get() == own


def test_a_round_resumes_where_it_stopped_after_the_table_changed_between_slices() -> None:
    settings = sliced(slice_keys=2)
    partitions = settings.kafka.partitions
    table, at = memory_table(partitions)
    old, new = [NOW - 30 * DAY], [NOW]
    keys = [k for k in (f"fp:{i}" for i in range(400)) if partition_of_key(k, partitions) == 1][:9]
    at[0] = 1
    for index, key in enumerate(keys):
        table[key] = [[f"a-{index}", f"raw/1/{index}", (old if index % 2 else new)[0]]]
    sweeper = StateSweeper(settings, None, partition_of_key)
    sweeper.observe(1, NOW)
    sweeper.maybe_sweep(table, 1)  # the first slice: two keys
    assert sweeper.rounds[1].visited == 2
    del table[keys[7]]  # not visited yet, deleted meanwhile: nothing to read
    table["fp:late"] = [["a-late", "raw/1/99", old[0]]]  # written after the round began: next round
    sweeper.maybe_sweep(table, 1)
    assert sweeper.rounds[1].visited == 4  # resumed: the next two keys, not the first two again
    while 1 in sweeper.rounds:
        sweeper.maybe_sweep(table, 1)
    assert sweeper.last_evicted[1] == 3  # keys 1, 3, 5 (7 was deleted)
    assert {k for k in keys if k in table} == {k for i, k in enumerate(keys) if i % 2 == 0}
    assert "fp:late" in table
    sweeper.sweep(table, 1)
    assert "fp:late" not in table


def story(article: str, t: float) -> StoryJoin:
    member = Member(article, "Outlet", f"Title {article}", t, t)
    return StoryJoin(new_story_id(article), new_story_id(article), member, entity_names=["x"], places=[])


def test_the_story_count_stays_right_when_events_change_it_during_a_round() -> None:
    settings = sliced(slice_keys=1)
    partitions = settings.kafka.partitions
    table = PartitionedDict({}, partitions)
    sweeper = StorySweeper(settings, None, partition_of_key)
    articles = [
        a for a in (f"a-{i}" for i in range(200)) if partition_of_key(new_story_id(a), partitions) == 0
    ]
    for index, article in enumerate(articles[:8]):  # half of them older than two story horizons
        t = NOW - (10 * DAY if index % 2 else 0.0)
        sweeper.opened(table, 0, handle(table, story(article, t)).opened)
    assert dict.get(table, open_count_key(0)) == {"open": 8}
    sweeper.observe(0, NOW)
    sweeper.maybe_sweep(table, 0)
    assert 0 in sweeper.rounds
    sweeper.opened(table, 0, handle(table, story(articles[8], NOW)).opened)  # a new story meanwhile
    while 0 in sweeper.rounds:
        sweeper.maybe_sweep(table, 0)
    current = sum(1 for k, v in dict.items(table) if is_story_key(k) and is_current(v))
    assert current == 5 and dict.get(table, open_count_key(0)) == {"open": current}
    assert sweeper.open_stories[0] == current


def test_a_round_begun_before_a_rebalance_is_given_up_and_begun_again() -> None:
    """A partition revoked mid-round and assigned back may have been changed by another worker:
    the round's key list and tally are stale, so the next event begins a new round."""
    settings = sliced(slice_keys=2)
    partitions = settings.kafka.partitions
    table, at = memory_table(partitions)
    keys = [k for k in (f"fp:{i}" for i in range(400)) if partition_of_key(k, partitions) == 1][:6]
    at[0] = 1
    for index, key in enumerate(keys):
        table[key] = [[f"a-{index}", f"raw/1/{index}", NOW]]
    sweeper = StateSweeper(settings, None, partition_of_key)
    sweeper.observe(1, NOW)
    sweeper.maybe_sweep(table, 1)
    stale = sweeper.rounds[1]
    assert stale.visited == 2
    table.assignment_epoch += 1  # what a recovered assignment does (CoalescingTable)
    table["fp:late"] = [["a-late", "raw/1/99", NOW - 30 * DAY]]  # another worker's write meanwhile
    sweeper.maybe_sweep(table, 1)
    assert sweeper.rounds[1] is not stale and sweeper.rounds[1].visited == 2
    while 1 in sweeper.rounds:
        sweeper.maybe_sweep(table, 1)
    assert "fp:late" not in table  # the new round saw the partition as it is now
