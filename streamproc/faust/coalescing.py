"""Extension: a table that writes each changed key to its changelog once per commit, not per change.

A Faust table sends a changelog record at every ``table[key] = value`` and ``del table[key]``, and
each record costs the worker ~0.1 ms of Faust's and aiokafka's machinery (serialise, buffer, hand
to the client) and the broker a write. The join changes many keys several times within seconds:
a story key's list at every probe of the name, an input's ``pending`` values written when its
parts arrive and deleted once it is published (~10 records per article for nothing that
outlives the input). What a restore needs is only each key's newest value as of the committed
offsets, so ``CoalescingTable`` keeps the newest change per key (in memory, beside the store,
which it updates at once) and sends them when the producer is flushed, which Faust does before
every offset commit, at every rebalance and at a stop (``CoalescingProducer``). A key created and
deleted between two flushes sends nothing.

Crash safety is that of the per-change records: an offset is committed only after the flush, so
the changes of every input it covers are in the changelog before it; a crash loses only changes of
inputs after the committed offset, which are processed again (as a crash used to lose the records
still in the producer's buffer). The changes are sent in the order of each key's *last* change:
a value written once and never changed (a story profile, a band record) is written before the
list that names it, so a crash in the middle of a flush never leaves a list naming a value the
changelog lacks, as the per-change order guaranteed.

On ``rocksdb://`` the table's store is a ``ChangelogPrefixStore`` (prefix_store.py): changes stay
in its in-memory overlay until the flush; ``persist_sent`` (after the producer flush) waits for
the broker's acks of the records sent and only then writes them to RocksDB with the changelog
offsets, so the local files never get ahead of the changelog.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import faust
from faust.types import TP, EventT, StoreT
from faust.types.enums import ProcessingGuarantee
from faust.types.tuples import FutureMessage
from yarl import URL

from streamproc.errors import ConfigError
from streamproc.faust.partition_index import PartitionIndex
from streamproc.faust.prefix_store import ChangelogPrefixStore, Write

# The value of a deleted key among the coalesced changes (``None`` is a valid value in Faust).
_DELETED = object()


@dataclass
class SentChanges:
    """Changes handed to the producer at one flush, to persist locally once all are acked."""

    writes: list[Write] = field(default_factory=list)
    futures: list[FutureMessage] = field(default_factory=list)
    epochs: dict[int, int] = field(default_factory=dict)

    def offsets(self) -> dict[int, int]:
        """The changelog offset of the last record acked, per partition (raises a send's error)."""
        offsets: dict[int, int] = {}
        for future in self.futures:
            metadata = future.result()
            partition = metadata.topic_partition.partition
            offsets[partition] = max(offsets.get(partition, -1), metadata.offset)
        return offsets


class CoalescingTable(faust.Table):  # type: ignore[type-arg]  # keys and values of any JSON type
    """A Faust table whose changelog gets each key's newest change once per producer flush."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Faust's exactly-once commit goes through the transaction manager without the producer
        # flush that sends the coalesced changes: offsets would commit without them.
        guarantee: object = self.app.conf.processing_guarantee  # typed as the enum class in Faust
        if guarantee is ProcessingGuarantee.EXACTLY_ONCE:
            raise ConfigError("CoalescingTable supports processing_guarantee=at_least_once only")
        # (changelog partition, key) -> newest value or _DELETED, in the order of the last change.
        self._changes: dict[tuple[int, Any], Any] = {}
        # Keys whose first coalesced change found them absent from the table (created since the
        # last flush): deleting them again needs no tombstone.
        self._created: set[tuple[int, Any]] = set()
        # Sent and not yet persisted to a ChangelogPrefixStore, oldest first.
        self._sent: deque[SentChanges] = deque()
        # Keys whose changes wait for something else to be delivered first (hold/release).
        self._held: dict[Any, int] = {}
        # Each partition's keys, for a memory store (a RocksDB store keeps a database per partition).
        self._partition_index = PartitionIndex()
        # Counts the assignments recovered: a sweep round begun before a rebalance is given up.
        self.assignment_epoch = 0

    def _new_store_by_url(self, url: str | URL) -> StoreT:  # type: ignore[type-arg]
        if URL(str(url)).scheme != "rocksdb":
            return super()._new_store_by_url(url)
        return ChangelogPrefixStore(
            url,
            self.app,
            self,
            table_name=self.name,
            key_type=self.key_type,
            key_serializer=self.key_serializer,
            value_serializer=self.value_serializer,
            value_type=self.value_type,
            loop=self.loop,
            options=self.options,
        )

    @property
    def prefix_store(self) -> ChangelogPrefixStore | None:
        store = self.data
        return store if isinstance(store, ChangelogPrefixStore) else None

    def _on_changelog_sent(self, fut: FutureMessage) -> None:
        if self.prefix_store is None:
            super()._on_changelog_sent(fut)
        # else: the offset is persisted with the values it covers (persist_sent), never before

    def _coalesce(self, key: Any, value: Any) -> int:
        partition: int | None = self.partition_for_key(key)
        if partition is None:  # use_partitioner tables: Faust's own path needs the producer's
            raise TypeError("CoalescingTable needs the changelog partition of the current event")
        slot = (partition, key)
        if slot in self._changes:
            del self._changes[slot]  # re-inserted below: the order is that of the last change
        elif key not in self.data:
            self._created.add(slot)
        self._changes[slot] = value
        return partition

    def on_key_set(self, key: Any, value: Any) -> None:
        partition = self._coalesce(key, value)
        if self.prefix_store is None:
            self._partition_index.add(partition, key)
        self._maybe_set_key_ttl(key, partition)
        self._sensor_on_set(self, key, value)

    def on_key_del(self, key: Any) -> None:
        partition = self._coalesce(key, _DELETED)
        if self.prefix_store is None:
            self._partition_index.discard(partition, key)
        self._maybe_del_key_ttl(key, partition)
        self._sensor_on_del(self, key)

    def apply_changelog_batch(self, batch: Iterable[EventT]) -> None:  # type: ignore[type-arg]
        events = list(batch)
        if self.prefix_store is None:
            self._partition_index.restored(events, self._to_key)
        super().apply_changelog_batch(events)

    async def on_recovery_completed(self, active_tps: set[TP], standby_tps: set[TP]) -> None:
        await super().on_recovery_completed(active_tps, standby_tps)
        self._partition_index.keep_only({tp.partition for tp in active_tps})  # as the memory store
        self.assignment_epoch += 1

    def partition_keys(self, partition: int) -> Iterator[Any] | None:
        """The keys of ``partition`` alone (``join/sweep_rounds``): its RocksDB database's, or the
        memory store's keys indexed per partition."""
        store = self.prefix_store
        if store is not None:
            return store.partition_keys(partition)
        return self._partition_index.walk(partition)

    @property
    def unsent_changes(self) -> int:
        return len(self._changes)

    def hold(self, key: Any) -> None:
        """Keep the changes of ``key`` and of the keys ``key#...`` beside it (an input's reply
        slots) out of the changelog until as many ``release`` calls: the table
        says at once what the changelog may say only once a record elsewhere is delivered (an
        input's published marker, once its output is out: worker.outputs). The store sees them at
        once, as ever; a restart that never saw them processes the input again."""
        self._held[key] = self._held.get(key, 0) + 1

    def release(self, key: Any) -> None:
        count = self._held.pop(key, 0) - 1
        if count > 0:
            self._held[key] = count

    @property
    def held_keys(self) -> int:
        return len(self._held)

    def _take_changes(self) -> tuple[dict[tuple[int, Any], Any], set[tuple[int, Any]]]:
        """The coalesced changes of keys not held; the held ones stay for a later flush."""
        changes, created = self._changes, self._created
        self._changes, self._created = {}, set()
        if self._held:
            for slot in [slot for slot in changes if _held_as(slot[1]) in self._held]:
                self._changes[slot] = changes.pop(slot)
                if slot in created:
                    created.discard(slot)
                    self._created.add(slot)
        return changes, created

    def send_changes(self) -> int:
        """Hand every coalesced change of a key not held to the producer's buffer (synchronously:
        no other write can come in between); the number of changelog records sent."""
        changes, created = self._take_changes()
        store = self.prefix_store
        if store is not None:
            return self._send_overlaid(store, changes, created)
        sent = 0
        for (partition, key), value in changes.items():
            if value is _DELETED:
                if (partition, key) in created:
                    continue  # created and deleted since the last flush: the changelog never had it
                self.send_changelog(partition, key, value=None, value_serializer="raw")
            else:
                self.send_changelog(partition, key, value)
            sent += 1
        return sent

    def _send_overlaid(
        self, store: ChangelogPrefixStore, changes: dict[tuple[int, Any], Any], created: set[tuple[int, Any]]
    ) -> int:
        """Send the overlay's bytes of each change (encoded once, as the store will keep them)."""
        batch = SentChanges()
        for partition, key in changes:
            key_bytes = store._encode_key(key)
            change = store.unpersisted(partition, key_bytes)
            if change is None:
                continue  # dropped by a rebalance: the partition is no longer (or anew) this worker's
            stamp, value = change
            batch.writes.append((partition, key_bytes, stamp, value))
            batch.epochs.setdefault(partition, store.epoch(partition))
            if value is None and (partition, key) in created:
                continue  # never in the changelog; the store deletes it too (absent there)
            raw = {"key_serializer": "raw", "value_serializer": "raw"}
            batch.futures.append(self.send_changelog(partition, key_bytes, value, **raw))
        if batch.writes:
            self._sent.append(batch)
        return len(batch.futures)

    async def persist_sent(self) -> int:
        """After the producer flush: wait for the acks of every change sent, then write them to the
        local store with their changelog offsets, in the order sent. The number of keys written."""
        store = self.prefix_store
        if store is None or not self._sent:
            return 0
        await asyncio.gather(*(future for batch in list(self._sent) for future in batch.futures))
        written = 0
        while self._sent and all(future.done() for future in self._sent[0].futures):
            batch = self._sent.popleft()
            written += store.persist(batch.writes, batch.offsets(), batch.epochs)
        return written


def send_coalesced_changes(app: Any) -> int:
    """Send the coalesced changes of every ``CoalescingTable`` of ``app`` (before a producer flush)."""
    tables = getattr(app, "tables", None)
    if tables is None:
        return 0
    return sum(table.send_changes() for table in tables.values() if isinstance(table, CoalescingTable))


async def persist_coalesced_changes(app: Any) -> int:
    """After a producer flush: write the acked changes of every ``CoalescingTable`` to its local store."""
    tables = getattr(app, "tables", None)
    if tables is None:
        return 0
    written = 0
    for table in list(tables.values()):
        if isinstance(table, CoalescingTable):
            written += await table.persist_sent()
    return written


def _held_as(key: Any) -> Any:
    """The key a hold names for ``key``: a string's part before ``#`` (``news.raw/0/17#r2`` is held
    with its input ``news.raw/0/17``; topic names cannot contain ``#``)."""
    return key.split("#", 1)[0] if isinstance(key, str) else key
