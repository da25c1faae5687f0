"""A worker's RocksDB table files written directly, for changelogs that hold given records.

The state benchmark at scale seeds a deployment's changelogs (``state_seed``); a worker starting on
them alone restores every record, ~5,000 per CPU second here (45 minutes at 100,000 articles). To
measure a restart with local state at that size, ``write_table_files`` also writes the files that
worker would have kept: the worker's own app and tables are built from its settings (so the paths,
RocksDB options and key layout are Faust's and the store's), and every record goes through the
tables' ``ChangelogPrefixStore.persist``, the store's write path after a changelog ack, with each
changelog partition's last offset. The files then say what a restart of a worker that wrote those
records itself would find: the values, and the changelog read up to its end.

Only for changelogs that hold exactly ``records`` (each key's newest value, as the benchmark
produces them) and ``offsets`` the last offset of each: anything else makes the files disagree
with Kafka, which a restart would not notice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from streamproc.app import Bindings, build_app
from streamproc.bench.state_seed import ChangelogRecord
from streamproc.config import Settings
from streamproc.errors import ConfigError
from streamproc.faust.prefix_store import ChangelogPrefixStore, Write
from streamproc.kafka.topics import TopicPlan

CHUNK = 20_000  # writes per RocksDB write batch (the offset goes with each partition's last)


def table_stores(settings: Settings) -> dict[str, ChangelogPrefixStore]:
    """The worker's tables' stores for ``settings`` (a ``rocksdb://`` store), by table name."""
    plan = TopicPlan.of(settings)
    bindings = Bindings.of(build_app(settings, plan), plan)
    stores: dict[str, ChangelogPrefixStore] = {}
    for table in (bindings.dedup_keys, bindings.pending, bindings.published, bindings.stories):
        store = table.data
        if not isinstance(store, ChangelogPrefixStore):
            raise ConfigError(f"table files need worker.store rocksdb://, not {settings.worker.store}")
        stores[table.name] = store
    return stores


class TableFiles:
    """The table files of the worker of ``settings``, written record by record (``add``, e.g. while
    the same records are produced) and completed with the changelogs' offsets (``finish``)."""

    def __init__(self, settings: Settings) -> None:
        self.stores = table_stores(settings)
        self.buffers: dict[tuple[str, int], list[Write]] = {}
        self.written = dict.fromkeys(self.stores, 0)

    @property
    def tabledir(self) -> Path:
        return next(iter(self.stores.values())).path

    def add(self, record: ChangelogRecord) -> None:
        """One changelog record (table, partition, key, value: the changelog's bytes)."""
        table, partition, key, value = record
        buffer = self.buffers.setdefault((table, partition), [])
        if len(buffer) >= CHUNK:  # never empty at the end: the last batch carries the offset
            self.written[table] += self.stores[table].persist(buffer, {}, {})
            buffer.clear()
        buffer.append((partition, key, 0, value))

    def finish(self, offsets: Mapping[tuple[str, int], int]) -> dict[str, int]:
        """Write the rest, each partition's with ``offsets[(table, partition)]`` (the offset of its
        changelog's last record), and close the files. The keys written per table."""
        missing = set(offsets) - set(self.buffers)
        if missing or set(self.buffers) - set(offsets):
            raise ValueError(f"records and changelog offsets disagree on partitions: {sorted(missing)}")
        for (table, partition), buffer in self.buffers.items():
            offset = {partition: offsets[(table, partition)]}
            self.written[table] += self.stores[table].persist(buffer, offset, {})
        self.buffers.clear()
        for store in self.stores.values():
            store.close_files()
        return self.written


def write_table_files(
    settings: Settings, records: Iterable[ChangelogRecord], offsets: Mapping[tuple[str, int], int]
) -> tuple[Path, dict[str, int]]:
    """Write ``records`` into the table files of the worker of ``settings`` (``TableFiles``):
    the tables' directory and the keys written per table."""
    files = TableFiles(settings)
    for record in records:
        files.add(record)
    return files.tabledir, files.finish(offsets)
