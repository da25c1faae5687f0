"""Extension: a RocksDB store that is never ahead of its changelog (a crash restart reads only the tail).

Faust's RocksDB store writes a table change to disk at once and the changelog later (through the
producer buffer; with ``CoalescingTable`` at the next flush). A SIGKILL in between left local
files ahead of Kafka: a ``published`` marker whose output never went out, so the replayed input
was taken for published and lost. ``local_state`` used to discard all table files after a crash
and restore everything from the changelogs, which takes as long as the memory store's start.

``ChangelogPrefixStore`` keeps every change in an in-memory overlay (reads see it) until the
changelog has it: the coalescing table sends the changes at the producer flush, waits for the
broker's acks, then ``persist`` writes them to RocksDB in one write batch per changelog partition
together with the partition's persisted changelog offset (the offset of the last record acked,
as Faust's own ``_on_changelog_sent`` records it). So the database of each partition always
holds the changelog up to its persisted offset and nothing beyond: after a SIGKILL, Faust's
recovery reads the changelog from that offset on, and the tables are exactly the whole
changelog's, as the memory store's after a full restore, at the cost of the tail only.

Not writing is always safe: a partition revoked or newly assigned by a rebalance drops its
overlay and the writes of batches sent before (``epoch``); recovery fills the store from the
changelog. A write batch is atomic in RocksDB (also across a crash: the write-ahead log
replays whole batches), so values and offset never part.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from faust.stores import rocksdb as faust_rocksdb
from faust.streams import current_event
from faust.types import TP

from streamproc.errors import ConfigError

# (partition, key, stamp, value): one change to persist; value None deletes the key.
Write = tuple[int, bytes, int, bytes | None]
# Keys read from a partition's database per iterator when its keys are walked (partition_keys).
KEYS_PER_SEEK = 1_000


class ChangelogPrefixStore(faust_rocksdb.Store):
    """Faust's RocksDB store with an overlay of the changes the changelog has not acked yet."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.use_rocksdict:
            raise ConfigError("ChangelogPrefixStore needs the rocksdict driver (faust-streaming[rocksdict])")
        # partition -> key -> (stamp of the change, value or None for deleted)
        self._overlay: dict[int, dict[bytes, tuple[int, bytes | None]]] = {}
        self._stamp = 0
        # Bumped when a rebalance revokes or newly assigns a partition: older writes are dropped.
        self._epochs: dict[int, int] = {}

    # ---------------------------------------------------------------- the overlay
    def _event_partition(self) -> int | None:
        event = current_event()
        if event is None or self.table.is_global or self.table.use_partitioner:
            return None
        partition: int = event.message.partition
        return partition

    def _overlaid(self, key: bytes) -> tuple[bool, bytes | None]:
        partition = self._event_partition()
        layers = self._overlay.values() if partition is None else [self._overlay.get(partition, {})]
        for layer in layers:
            change = layer.get(key)
            if change is not None:
                return True, change[1]
        return False, None

    def _set(self, key: bytes, value: bytes | None) -> None:
        partition = self._event_partition()
        if partition is None:
            raise TypeError("ChangelogPrefixStore is written from a stream event only")
        self._stamp += 1
        self._overlay.setdefault(partition, {})[key] = (self._stamp, value)
        self._key_index[key] = partition

    def _del(self, key: bytes) -> None:
        self._set(key, None)

    def _get(self, key: bytes) -> bytes | None:
        found, value = self._overlaid(key)
        if found:
            return value
        stored: bytes | None = super()._get(key)
        return stored

    def _contains(self, key: bytes) -> bool:
        found, value = self._overlaid(key)
        if found:
            return value is not None
        return bool(super()._contains(key))

    def unpersisted(self, partition: int, key: bytes) -> tuple[int, bytes | None] | None:
        """The overlay's change of ``key`` (stamp, value), or None when it has none."""
        return self._overlay.get(partition, {}).get(key)

    def epoch(self, partition: int) -> int:
        return self._epochs.get(partition, 0)

    @property
    def overlay_size(self) -> int:
        return sum(len(layer) for layer in self._overlay.values())

    # ---------------------------------------------------------------- persisting
    def persist(self, writes: Iterable[Write], offsets: Mapping[int, int], epochs: Mapping[int, int]) -> int:
        """Write changes the changelog acked, with each partition's persisted offset, one batch per
        partition; partitions whose epoch moved since are skipped. The number of keys written."""
        by_partition: dict[int, list[tuple[bytes, int, bytes | None]]] = {}
        for partition, key, stamp, value in writes:
            by_partition.setdefault(partition, []).append((key, stamp, value))
        written = 0
        for partition, changes in by_partition.items():
            if epochs.get(partition, 0) != self.epoch(partition):
                continue  # revoked or reassigned since: recovery owns this partition's store
            self._write_batch(partition, changes, offsets.get(partition))
            written += len(changes)
        return written

    def _write_batch(
        self, partition: int, changes: list[tuple[bytes, int, bytes | None]], offset: int | None
    ) -> None:
        from rocksdict import WriteBatch  # the rocksdb extra: imported only when a store writes

        batch = WriteBatch(raw_mode=True)
        for key, _, value in changes:
            if value is None:
                batch.delete(key)
            else:
                batch.put(key, value)
        if offset is not None:
            batch.put(self.offset_key, str(offset).encode())
        self._db_for_partition(partition).write(batch)
        layer = self._overlay.get(partition, {})
        for key, stamp, _ in changes:
            change = layer.get(key)
            if change is not None and change[0] == stamp:  # no newer change since: the store has it
                del layer[key]

    def close_files(self) -> None:
        """Close every partition's database (Faust's ``stop`` only drops them): another process may
        open the files once this returns."""
        for db in self._dbs.values():
            db.close()
        self._dbs.clear()

    # ---------------------------------------------------------------- rebalances
    async def on_rebalance(
        self, assigned: set[TP], revoked: set[TP], newly_assigned: set[TP], generation_id: int = 0
    ) -> None:
        topics = self.table.changelog_topic.topics
        for tp in revoked | newly_assigned:
            if tp.topic in topics:
                self._overlay.pop(tp.partition, None)
                self._epochs[tp.partition] = self.epoch(tp.partition) + 1
        await super().on_rebalance(assigned, revoked, newly_assigned, generation_id)

    def reset_state(self) -> None:
        self._overlay.clear()
        super().reset_state()

    # ---------------------------------------------------------------- iteration
    def _active_partitions(self) -> Iterator[int]:
        actives = self.app.assignor.assigned_actives()
        topic = self.table.changelog_topic.get_topic_name()
        for partition in sorted(set(self._dbs) | set(self._overlay)):
            if self.table.is_global or TP(topic=topic, partition=partition) in actives:
                yield partition

    def _iteritems(self) -> Iterator[tuple[bytes, bytes]]:
        for partition in self._active_partitions():
            layer = self._overlay.get(partition, {})
            for key, value in self._visible_items(self._db_for_partition(partition)):
                if key not in layer:
                    yield key, value
            for key, (_, overlaid) in list(layer.items()):
                if overlaid is not None:
                    yield key, overlaid

    def _iterkeys(self) -> Iterator[bytes]:
        for key, _ in self._iteritems():
            yield key

    def _itervalues(self) -> Iterator[bytes]:
        for _, value in self._iteritems():
            yield value

    def _size(self) -> int:
        return sum(1 for _ in self._iteritems())

    def partition_keys(self, partition: int, chunk: int = KEYS_PER_SEEK) -> Iterator[Any]:
        """The keys of ``partition`` alone, from its own database in key order, then the ones only
        in the overlay when the walk began (``sweep_rounds``). The database is read ``chunk`` keys
        per iterator, each resuming after the last key read, so a walk spread over many events
        holds no iterator (nor the files it pins) in between and sees the writes made meanwhile."""
        overlay = {key: value for key, (_, value) in self._overlay.get(partition, {}).items()}
        after: bytes | None = None
        while True:
            keys = self._keys_after(partition, after, chunk)
            for key in keys:
                # A key the overlay held when the walk began comes once, below, as the overlay had
                # it (a sweep counts what it visits: the open-story count)
                if key != self.offset_key and key not in overlay:
                    yield self._decode_key(key)
            if len(keys) < chunk:
                break
            after = keys[-1]
        for key, value in overlay.items():
            if value is not None:
                yield self._decode_key(key)

    def _keys_after(self, partition: int, after: bytes | None, limit: int) -> list[bytes]:
        """Up to ``limit`` keys of the partition's database that follow ``after`` (from the first)."""
        iterator = self._db_for_partition(partition).iter()
        if after is None:
            iterator.seek_to_first()
        else:
            iterator.seek(after)
            if iterator.valid() and iterator.key() == after:
                iterator.next()
        keys: list[bytes] = []
        while iterator.valid() and len(keys) < limit:
            keys.append(iterator.key())
            iterator.next()
        return keys
