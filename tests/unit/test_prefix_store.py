"""The RocksDB store of a coalescing table is never ahead of its changelog (prefix_store.py).

Real RocksDB files in a temporary directory; the changelog sends are recorded and acked by hand
(the order of send, ack and local write is what is tested; the broker path runs in the
reliability suite).
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import faust
import pytest
from faust.streams import _current_event
from faust.types import TP
from faust.types.tuples import RecordMetadata

from streamproc.faust.coalescing import CoalescingTable, persist_coalesced_changes, send_coalesced_changes
from streamproc.faust.local_state import close_tables, open_tables
from streamproc.faust.prefix_store import ChangelogPrefixStore

CHANGELOG = "prefix-test-t-changelog"


def in_loop(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


class _Message:
    def __init__(self, partition: int) -> None:
        self.partition = partition
        self.topic = "source"


class _Event:
    def __init__(self, partition: int) -> None:
        self.message = _Message(partition)


class Harness:
    """A coalescing table on rocksdb:// whose changelog sends wait for ``ack``."""

    def __init__(self, tabledir: Path) -> None:
        self.app = faust.App("prefix-test", store="rocksdb://", tabledir=str(tabledir), Table=CoalescingTable)
        self.table: Any = self.app.Table("t", default=None, partitions=4, key_type=str)
        self.table.partition_for_key = lambda key: self.partition
        self.table.send_changelog = self._send
        self.sent: list[tuple[int, bytes, bytes | None, asyncio.Future[Any]]] = []
        self.offsets = {p: 0 for p in range(4)}
        self.partition = 1
        self._event = _Event(1)
        _current_event.set(None)

    def at(self, partition: int) -> None:
        """Process as an event of ``partition`` (the store and the changelog partition follow it)."""
        self.partition, self._event = partition, _Event(partition)
        _current_event.set(weakref.ref(self._event))

    def _send(self, partition: int, key: Any, value: Any, *args: Any, **kwargs: Any) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.sent.append((partition, key, value, future))
        return future

    def ack(self) -> None:
        for partition, _, _, future in self.sent:
            if not future.done():
                offset = self.offsets[partition]
                self.offsets[partition] += 1
                tp = TP(CHANGELOG, partition)
                future.set_result(RecordMetadata(CHANGELOG, partition, tp, offset))

    @property
    def store(self) -> ChangelogPrefixStore:
        store = self.table.data
        assert isinstance(store, ChangelogPrefixStore)
        return store

    def on_disk(self, partition: int, key: str) -> bytes | None:
        value: bytes | None = self.store._db_for_partition(partition).get(self.store._encode_key(key))
        return value

    def persisted(self, partition: int) -> int | None:
        return self.store.persisted_offset(TP(CHANGELOG, partition))


@pytest.fixture()
def harness(tmp_path: Path) -> Iterator[Harness]:
    h = Harness(tmp_path / "tables")
    h.at(1)
    yield h
    _current_event.set(None)


@in_loop
async def test_changes_reach_the_files_only_after_the_changelog_acked_them_with_their_offset(
    harness: Harness,
) -> None:
    h = harness
    h.table["a"] = {"v": 1}
    h.table["b"] = "x"
    assert h.table["a"] == {"v": 1} and "b" in h.table  # reads see the overlay
    assert h.on_disk(1, "a") is None and h.sent == []
    assert send_coalesced_changes(h.app) == 2
    persisting = asyncio.ensure_future(persist_coalesced_changes(h.app))
    await asyncio.sleep(0.01)
    assert not persisting.done()  # waits for the acks
    assert h.on_disk(1, "a") is None and h.persisted(1) is None  # sent, not acked: not on disk
    h.ack()
    assert await persisting == 2
    assert h.on_disk(1, "a") == h.store._encode_value({"v": 1})
    assert h.persisted(1) == 1  # the offset of the last record acked, written with the values
    assert h.store.overlay_size == 0 and h.table["a"] == {"v": 1}


@in_loop
async def test_the_changelog_records_are_the_bytes_the_store_keeps(harness: Harness) -> None:
    h = harness
    h.table["k"] = ["x", 1]
    send_coalesced_changes(h.app)
    partition, key, value, _ = h.sent[0]
    assert (partition, key, value) == (1, h.store._encode_key("k"), h.store._encode_value(["x", 1]))


@in_loop
async def test_a_change_made_while_the_flush_waits_stays_in_the_overlay(harness: Harness) -> None:
    h = harness
    h.table["k"] = 1
    send_coalesced_changes(h.app)
    h.table["k"] = 2  # between send and ack
    h.ack()
    await persist_coalesced_changes(h.app)
    assert h.on_disk(1, "k") == h.store._encode_value(1)  # the acked value
    assert h.table["k"] == 2 and h.store.overlay_size == 1  # the newer one still read
    send_coalesced_changes(h.app)
    h.ack()
    await persist_coalesced_changes(h.app)
    assert h.on_disk(1, "k") == h.store._encode_value(2) and h.persisted(1) == 1
    assert h.store.overlay_size == 0


@in_loop
async def test_deletes_and_keys_created_and_deleted_between_flushes(harness: Harness) -> None:
    h = harness
    h.table["kept"] = 1
    send_coalesced_changes(h.app)
    h.ack()
    await persist_coalesced_changes(h.app)
    h.sent.clear()
    del h.table["kept"]
    h.table["temp"] = 5
    del h.table["temp"]
    assert "kept" not in h.table and h.on_disk(1, "kept") is not None
    assert send_coalesced_changes(h.app) == 1  # the tombstone only
    assert [(key, value) for _, key, value, _ in h.sent] == [(h.store._encode_key("kept"), None)]
    h.ack()
    await persist_coalesced_changes(h.app)
    assert h.on_disk(1, "kept") is None and h.store.overlay_size == 0 and "temp" not in h.table


@in_loop
async def test_a_failed_send_writes_nothing_and_keeps_the_values_readable(harness: Harness) -> None:
    h = harness
    h.table["k"] = 1
    send_coalesced_changes(h.app)
    h.sent[0][3].set_exception(RuntimeError("broker gone"))
    with pytest.raises(RuntimeError, match="broker gone"):
        await persist_coalesced_changes(h.app)
    assert h.on_disk(1, "k") is None and h.persisted(1) is None and h.table["k"] == 1


@in_loop
async def test_flushes_persist_in_the_order_sent(harness: Harness) -> None:
    h = harness
    h.table["k"] = 1
    send_coalesced_changes(h.app)
    h.table["k"] = 2
    send_coalesced_changes(h.app)
    second = h.sent[1][3]
    offset = h.offsets[1]
    second.set_result(RecordMetadata(CHANGELOG, 1, TP(CHANGELOG, 1), offset + 1))
    persisting = asyncio.ensure_future(persist_coalesced_changes(h.app))
    await asyncio.sleep(0.01)
    assert h.on_disk(1, "k") is None  # the second batch waits for the first
    h.sent[0][3].set_result(RecordMetadata(CHANGELOG, 1, TP(CHANGELOG, 1), offset))
    await persisting
    assert h.on_disk(1, "k") == h.store._encode_value(2) and h.persisted(1) == offset + 1


@in_loop
async def test_a_rebalance_drops_the_overlay_and_writes_of_partitions_revoked_or_newly_assigned(
    harness: Harness,
) -> None:
    h = harness
    h.table["k1"] = 1
    h.at(2)
    h.table["k2"] = 2
    send_coalesced_changes(h.app)
    h.ack()
    revoked = {TP(h.table.changelog_topic.get_topic_name(), 2)}
    await h.store.on_rebalance(set(), revoked, set())
    await persist_coalesced_changes(h.app)
    assert h.on_disk(1, "k1") is not None and h.on_disk(2, "k2") is None
    assert h.store.unpersisted(2, h.store._encode_key("k2")) is None


@in_loop
async def test_files_left_by_a_crash_are_a_prefix_kept_at_the_next_start(tmp_path: Path) -> None:
    tabledir = tmp_path / "tables"
    first = Harness(tabledir)
    first.at(1)
    assert not open_tables(tabledir, prefix_stores=True)
    first.table["acked"] = 1
    send_coalesced_changes(first.app)
    first.ack()
    await persist_coalesced_changes(first.app)
    first.table["unacked"] = 2  # then SIGKILL: never sent
    send_coalesced_changes(first.app)
    first.store._dbs.clear()  # the process is gone (no clean stop: the mark stays)
    assert not open_tables(tabledir, prefix_stores=True)  # kept: nothing ahead of the changelog
    second = Harness(tabledir)
    second.at(1)
    assert second.table["acked"] == 1 and "unacked" not in second.table
    assert second.persisted(1) == 0  # recovery reads the changelog from here on
    second.store._dbs.clear()
    assert open_tables(tabledir, prefix_stores=False)  # files of any other store are discarded
    close_tables(tabledir)


def test_iteration_merges_the_overlay_over_the_files(harness: Harness) -> None:
    h = harness
    topic = h.table.changelog_topic.get_topic_name()
    h.app.assignor._assignment.actives[topic] = {1}  # type: ignore[attr-defined]
    h.store._db_for_partition(1).put(h.store._encode_key("old"), h.store._encode_value(0))
    h.store._db_for_partition(1).put(h.store._encode_key("gone"), h.store._encode_value(0))
    h.table["new"] = 1
    h.table["old"] = 2
    del h.table["gone"]
    assert sorted(h.table.items()) == [("new", 1), ("old", 2)]
    assert len(h.table.data) == 2


def test_the_workers_tables_on_rocksdb_are_all_prefix_stores(tmp_path: Path) -> None:
    from dataclasses import replace

    from streamproc.app import create_worker
    from streamproc.config import Settings

    settings = Settings()
    worker = create_worker(
        replace(
            settings,
            kafka=replace(settings.kafka, bootstrap="127.0.0.1:9"),
            worker=replace(settings.worker, store="rocksdb://", data_dir=str(tmp_path)),
        )
    )
    assert len(worker.app.tables) == 4
    assert worker.app.prefix_stores_only  # so a crash restart keeps their files (local_state)


def test_a_partitions_keys_are_walked_from_its_own_database_in_chunks_seeing_changes_between(
    harness: Harness,
) -> None:
    h = harness
    for partition, keys in ((1, ["a", "c", "e", "g", "i"]), (2, ["b", "d"])):
        for key in keys:
            h.store._db_for_partition(partition).put(h.store._encode_key(key), h.store._encode_value(0))
    h.store._db_for_partition(1).put(h.store.offset_key, b"7")
    h.at(1)
    h.table["only-in-overlay"] = 1
    walk = h.store.partition_keys(1, chunk=2)
    assert [next(walk), next(walk), next(walk)] == ["a", "c", "e"]
    # Changes persisted meanwhile: the next chunk (after "g", read with "e") sees them.
    h.store._db_for_partition(1).delete(h.store._encode_key("i"))
    h.store._db_for_partition(1).put(h.store._encode_key("f"), h.store._encode_value(0))  # behind "g"
    h.store._db_for_partition(1).put(h.store._encode_key("h"), h.store._encode_value(0))
    assert list(walk) == ["g", "h", "only-in-overlay"]  # no offset key, nothing of partition 2
    assert sorted(h.table.partition_keys(2)) == ["b", "d"]


def test_a_walk_gives_a_key_on_disk_and_in_the_overlay_once_and_none_the_overlay_deleted(
    harness: Harness,
) -> None:
    """A sweep counts the keys it visits (the open-story count): a key changed since the last flush
    is both in the database and in the overlay, and must come once; one deleted since, not at all."""
    h = harness
    for key in ("a", "b", "c"):
        h.store._db_for_partition(1).put(h.store._encode_key(key), h.store._encode_value(0))
    h.at(1)
    h.table["b"] = 2
    del h.table["c"]
    h.table["d"] = 3
    assert sorted(h.store.partition_keys(1, chunk=2)) == ["a", "b", "d"]


def test_a_memory_tables_keys_are_indexed_per_partition_as_written_deleted_and_restored() -> None:
    app = faust.App("index-test", store="memory://", Table=CoalescingTable)
    table: Any = app.Table("t", default=None, partitions=4, key_type=str)
    table.partition_for_key = lambda key: int(key[0])
    table["1-a"] = table["1-b"] = table["2-a"] = 0
    del table["1-b"]

    class _Record:
        def __init__(self, partition: int, key: str, value: Any) -> None:
            self.key, self.value, self.message = key, value, _Message(partition)
            self.message.value = value  # type: ignore[attr-defined]

    table.apply_changelog_batch([_Record(3, "3-a", 1), _Record(1, "1-c", 1), _Record(1, "1-a", None)])
    assert list(table.partition_keys(1)) == ["1-c"] and list(table.partition_keys(3)) == ["3-a"]
    walk = table.partition_keys(2)
    table["2-b"] = 1  # a walk is a copy: the table may change while it is resumed
    assert list(walk) == ["2-a"]
    asyncio.run(table.on_recovery_completed({TP("x", 1)}, {TP("x", 2)}))
    assert list(table.partition_keys(3)) == [] and list(table.partition_keys(1)) == ["1-c"]
