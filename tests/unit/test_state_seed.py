"""The state benchmark's seed: the worker's tables computed in-process, keyed and partitioned as the
worker's changelogs (``streamproc/bench/state_seed.py``; ``benchmarks/bench_state_scale.py``)."""

from __future__ import annotations

import importlib.util
import itertools
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
import pytest
from faust.types import TP

from streamproc.bench import state_files
from streamproc.bench.state_files import table_stores, write_table_files
from streamproc.bench.state_seed import SeedState, changelog_records, renamed_copy
from streamproc.config import Settings, load_settings
from streamproc.errors import ConfigError
from streamproc.faust.prefix_store import ChangelogPrefixStore
from streamproc.join import OfflineJoin
from streamproc.join.owner import partition_of_key
from streamproc.join.source_key import reply_partition
from streamproc.pipeline import Ingested, Ingestor
from streamproc.stories.desk import is_current
from streamproc.stories.sweep import is_story_key, open_count_key

ROOT = Path(__file__).resolve().parents[2]
STAMP = datetime(2026, 1, 5, tzinfo=UTC)


def bench_state() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_state", ROOT / "benchmarks" / "bench_state.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_state"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(
        env={
            "STREAMPROC_CONFIG": str(ROOT / "config" / "streamproc.toml"),
            "STREAMPROC_KAFKA_PARTITIONS": "4",
        }
    )


@pytest.fixture(scope="module")
def items(settings: Settings) -> list[Ingested]:
    """The state benchmark's first 48 articles (every 10th an exact copy), parsed as the worker does."""
    ingestor = Ingestor(settings)
    out: list[Ingested] = []
    for raw, enrichment in itertools.islice(bench_state().articles("t.raw", clock=lambda: STAMP), 48):
        for item in ingestor.assemble([raw], ingestor.parse_all([raw]), [enrichment]):
            assert isinstance(item, Ingested)
            out.append(item)
    return out


def batches(items: list[Ingested], size: int) -> Iterator[list[Ingested]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def test_one_input_at_a_time_the_seed_stores_what_the_offline_join_stores(
    settings: Settings, items: list[Ingested]
) -> None:
    seed = SeedState(settings)
    keys: dict[str, Any] = {}
    pending: dict[str, Any] = {}
    offline = OfflineJoin(settings, keys_table=keys, pending_table=pending)
    roles = []
    for item in items:
        (publication,) = seed.add_batch([item])
        roles.append(publication.role)
        record = offline.join(item.pending, item.probes).record
        assert {**record, "processed_at": None} == {**publication.record, "processed_at": None}
    assert seed.tables["dedup-keys"].data == keys
    assert seed.tables["pending"].data == pending == {}
    assert roles.count("duplicates") == 4  # the exact copies (articles 10, 20, 30, 40)
    assert len(seed.tables["published"]) == len(items)
    assert len(seed.tables["stories"]) > 0


def test_every_key_is_at_the_partition_the_worker_writes_it(
    settings: Settings, items: list[Ingested]
) -> None:
    seed = SeedState(settings)
    for batch in batches(items, 16):
        seed.add_batch(batch)
    for table, partition, key_bytes, value in changelog_records(seed.tables):
        key = orjson.loads(key_bytes)
        assert orjson.loads(value) == seed.tables[table][key]
        if table in ("pending", "published"):
            expected = reply_partition(key)  # written by finalize, at the input's partition
        elif key.startswith(("sg:", "sp:")):
            expected = int(key.split(":")[1])  # a band or story record names its owner's partition
        elif table == "stories" and not is_story_key(key):
            expected = int(key.split(":")[1])  # a partition's count of current stories
        else:  # a content key or its profile value (the owner's), a story id (the desk's)
            expected = partition_of_key(key.split("#p:")[0], 4)
        assert partition == expected, (table, key)


def test_a_renamed_copy_has_other_keys_at_the_same_partitions_and_sizes(
    settings: Settings, items: list[Ingested]
) -> None:
    seed = SeedState(settings)
    for batch in batches(items, 16):
        seed.add_batch(batch)
    records = list(changelog_records(seed.tables))
    copy = list(renamed_copy(records, "t.raw", shift=1000, copy=3, partitions=4))
    renamed = [r for r in copy if r[0] != "stories" or is_story_key(orjson.loads(r[2]))]
    assert {(t, k) for t, _, k, _ in renamed}.isdisjoint({(t, k) for t, _, k, _ in records})
    for (table, partition, key, value), (_, new_partition, new_key, new_value) in zip(
        records, copy, strict=True
    ):
        assert new_partition == partition
        text = orjson.loads(new_key)
        if table == "stories" and not is_story_key(text):
            # A partition's count of current stories: the original's and copies 1..3' stories.
            assert new_key == key and orjson.loads(new_value)["open"] == 4 * orjson.loads(value)["open"]
            continue
        if table == "dedup-keys" and not text.startswith(("sg:", "sp:")):
            assert partition_of_key(text, 4) == partition  # its owner is still the partition it is at
        if table == "dedup-keys" and text.startswith("sp:"):  # the story keys it names, renamed too
            named = orjson.loads(new_value)[2]
            assert all(partition_of_key(name, 4) == partition for name in named)
            assert not set(named) & set(orjson.loads(value)[2])
        if table in ("pending", "published"):
            assert reply_partition(text) == partition and int(text.rsplit("/", 1)[1]) >= 1000
        if table == "stories":
            assert partition_of_key(text, 4) == partition and orjson.loads(new_value)["story_id"] == text
        offsets = [int(o) for o in re.findall(rb"t\.raw/\d/(\d+)", new_key + new_value)]
        assert offsets == [int(o) + 1000 for o in re.findall(rb"t\.raw/\d/(\d+)", key + value)]
        # Source keys gain a digit or so, renamed strings a suffix of ~5 characters.
        assert 0 <= len(new_key) + len(new_value) - len(key) - len(value) <= 40 + len(value) // 5


def test_the_seed_keeps_each_partitions_count_of_current_stories(
    settings: Settings, items: list[Ingested]
) -> None:
    """What the worker's stories desk keeps for its ``stories_open`` gauge (stories/sweep.py)."""
    seed = SeedState(settings)
    for batch in batches(items, 16):
        seed.add_batch(batch)
    stories = seed.tables["stories"]
    counted = 0
    for partition in range(4):
        current = sum(
            1
            for key, value in stories.data.items()
            if is_story_key(key) and partition_of_key(key, 4) == partition and is_current(value)
        )
        if open_count_key(partition) in stories:  # the partition's desk saw events
            assert stories.partition_of[open_count_key(partition)] == partition
            counted += 1
        assert stories.get(open_count_key(partition), {"open": 0}) == {"open": current}
    assert counted >= 2 and sum(is_current(v) for v in stories.data.values()) > 0


# ---------------------------------------------------------------- the worker's table files
class _Message:
    """A changelog record as Faust's recovery hands it to ``apply_changelog_batch``."""

    def __init__(self, topic: str, partition: int, offset: int, key: bytes, value: bytes) -> None:
        self.topic, self.partition, self.offset, self.key, self.value = topic, partition, offset, key, value
        self.tp = TP(topic, partition)


class _Event:
    def __init__(self, message: _Message) -> None:
        self.message = message


def rocksdb_settings(data_dir: Path) -> Settings:
    return load_settings(
        env={
            "STREAMPROC_CONFIG": str(ROOT / "config" / "streamproc.toml"),
            "STREAMPROC_KAFKA_PARTITIONS": "4",
            "STREAMPROC_WORKER_STORE": "rocksdb://",
            "STREAMPROC_WORKER_DATA_DIR": str(data_dir),
        }
    )


def file_contents(settings: Settings) -> dict[tuple[str, int], dict[bytes, bytes]]:
    """Every (table, partition) database of the worker of ``settings``, read raw (offset key too)."""
    out = {}
    for name, store in table_stores(settings).items():
        for path in sorted(store.path.glob(f"{name}-*.db")):
            partition = int(path.name.removesuffix(".db").rsplit("-", 1)[1])
            out[(name, partition)] = dict(store._db_for_partition(partition).items())
        store.close_files()
    return out


def test_seeded_table_files_are_what_a_restore_of_the_same_changelogs_writes(
    settings: Settings, items: list[Ingested], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = SeedState(settings)
    for batch in batches(items, 16):
        seed.add_batch(batch)
    records = list(changelog_records(seed.tables))
    records += list(renamed_copy(records, "t.raw", shift=1000, copy=1, partitions=4))
    # The changelogs: each (table, partition)'s records in order from offset 0 (a fresh deployment).
    changelog: dict[tuple[str, int], list[tuple[bytes, bytes]]] = {}
    for table, partition, key, value in records:
        changelog.setdefault((table, partition), []).append((key, value))
    offsets = {slot: len(rows) - 1 for slot, rows in changelog.items()}
    monkeypatch.setattr(state_files, "CHUNK", 7)  # several write batches per partition
    seeded = rocksdb_settings(tmp_path / "seeded")
    tabledir, written = write_table_files(seeded, records, offsets)
    assert sum(written.values()) == len(records)
    assert tabledir == tmp_path / "seeded" / "v1" / "tables"
    # Faust's own restore of those changelogs, through the same tables' stores.
    restored = rocksdb_settings(tmp_path / "restored")
    for name, store in table_stores(restored).items():
        topic = f"{restored.worker.app_id}-{name}-changelog"
        events = [
            _Event(_Message(topic, partition, offset, key, value))
            for (table, partition), rows in changelog.items()
            if table == name
            for offset, (key, value) in enumerate(rows)
        ]
        store.apply_changelog_batch(events, to_key=lambda k: k, to_value=lambda v: v)
        store.close_files()
    files = file_contents(seeded)
    assert files == file_contents(restored)
    assert set(files) == set(changelog)
    for slot, rows in changelog.items():
        assert files[slot].pop(ChangelogPrefixStore.offset_key) == str(offsets[slot]).encode()
        assert files[slot] == dict(rows)
    # The worker's store reads them back: the persisted offset a restart reads the changelog past.
    stores = table_stores(seeded)
    for (table, partition), offset in offsets.items():
        assert stores[table].persisted_offset(TP("any", partition)) == offset


def test_table_files_refuse_records_their_offsets_do_not_cover(tmp_path: Path) -> None:
    record = ("published", 2, orjson.dumps("t.raw/2/5"), b"true")
    with pytest.raises(ValueError, match="disagree"):
        write_table_files(rocksdb_settings(tmp_path), [record], {("published", 1): 0})
    memory = load_settings(env={"STREAMPROC_WORKER_STORE": "memory://"})
    with pytest.raises(ConfigError, match="rocksdb"):
        write_table_files(memory, [record], {("published", 2): 0})
