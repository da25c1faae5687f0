"""The join messages and the state sweep, without Kafka."""

from __future__ import annotations

from dataclasses import replace

import orjson
import pytest

from streamproc.config import DedupSettings, Settings
from streamproc.dedup import KeyEntry, ProbeKeys
from streamproc.dedup.index import entries_to_json
from streamproc.metrics import create_metrics
from streamproc.pipeline import StateSweeper, forget_key, reply_partition
from streamproc.topology import (
    Pending,
    PendingStore,
    Probe,
    ProbeReply,
    answer_probe,
    probes_messages,
    replies_messages,
    resolve_pending,
    split_replies,
)

DAY = 86_400.0


def entry(source_key: str, t: float, article: str = "a-1") -> KeyEntry:
    return KeyEntry(article_id=article, source_key=source_key, event_time=t)


def test_answer_probe_is_replay_safe() -> None:
    settings = DedupSettings()
    stored: list[KeyEntry] = []
    first = Probe("fp:x", entry("raw/0/1", 100.0, "a-1"), "raw/0/1")
    second = Probe("fp:x", entry("raw/1/5", 101.0, "a-2"), "raw/1/5")
    stored, reply1 = answer_probe(stored, first, settings)
    stored, reply2 = answer_probe(stored, second, settings)
    stored_again, replay = answer_probe(stored, second, settings)
    assert reply1.earlier == [] and [e.article_id for e in reply2.earlier] == ["a-1"]
    assert replay == reply2 and stored_again == stored  # nothing stored twice, same answer


def test_pending_completes_only_with_the_article_and_every_answer() -> None:
    keys = ProbeKeys("fp:x", ["b0:1"], [], None, None, [])
    pending = Pending("raw/0/1")
    pending.absorb({"type": "reply", **ProbeReply("fp:x", []).to_json()})
    assert not pending.complete
    record = {"id": "a-1"}
    article = Pending("raw/0/1", record=record, keys=keys, event_time=5.0, raw_timestamp=4.0)
    pending.absorb({"type": "article", **article.to_json()})
    assert not pending.complete
    with pytest.raises(ValueError, match="not complete"):
        resolve_pending(pending, DedupSettings())
    pending.absorb({"type": "reply", **ProbeReply("b0:1", []).to_json()})
    assert pending.complete
    assert Pending.from_json(pending.to_json()) == pending
    resolution = resolve_pending(pending, DedupSettings())
    assert resolution.dedup.status == "unique" and resolution.new_story


def test_probes_of_a_batch_travel_in_one_message_in_order() -> None:
    probes = [
        Probe("fp:x", entry("raw/0/1", 1.0), "raw/0/1"),
        Probe("b0:1", entry("raw/2/5", 2.0, "a-2"), "raw/2/5"),
        Probe("fp:x", entry("raw/0/2", 3.0, "a-3"), "raw/0/2"),
    ]
    (message,) = probes_messages(probes)
    assert [Probe.from_json(p) for p in message["probes"]] == probes


def test_large_batches_are_split_below_the_message_budget_keeping_order() -> None:
    signature = "s" * 400  # a band entry's encoded MinHash
    probes = [
        Probe(f"b{i % 16}:{i}", replace(entry(f"raw/0/{i}", float(i)), signature=signature), f"raw/0/{i}")
        for i in range(200)
    ]
    messages = probes_messages(probes, max_bytes=10_000)
    assert len(messages) > 5
    assert all(len(orjson.dumps(m)) <= 10_100 for m in messages)
    assert [Probe.from_json(p) for m in messages for p in m["probes"]] == probes

    earlier = [replace(entry(f"raw/1/{i}", float(i)), signature=signature) for i in range(50)]
    replies = [(f"raw/0/{i}", ProbeReply(f"b{i}:x", earlier)) for i in range(8)]
    split = replies_messages(replies, reply_partition, max_bytes=50_000)
    assert len(split) == 4 and {partition for partition, _ in split} == {0}  # ~24 KB per reply
    assert all(len(orjson.dumps(m)) <= 50_100 for _, m in split)
    rejoined = [(source, part["replies"][0]["key"]) for _, m in split for source, part in split_replies(m)]
    assert rejoined == [(f"raw/0/{i}", f"b{i}:x") for i in range(8)]


def test_replies_are_grouped_by_the_askers_partition_and_split_back_per_article() -> None:
    replies = [
        ("raw/0/1", ProbeReply("fp:x", [])),
        ("raw/1/7", ProbeReply("fp:y", [entry("raw/0/1", 1.0)])),
        ("raw/0/1", ProbeReply("b0:1", [])),
        ("raw/0/2", ProbeReply("fp:z", [])),
    ]
    messages = dict(replies_messages(replies, reply_partition))
    assert sorted(messages) == [0, 1]
    parts = dict(split_replies(messages[0]))
    assert sorted(parts) == ["raw/0/1", "raw/0/2"]
    pending = Pending("raw/0/1")
    pending.absorb(parts["raw/0/1"])
    assert sorted(pending.replies) == ["b0:1", "fp:x"]
    (source, part), *rest = split_replies(messages[1])
    assert source == "raw/1/7" and not rest
    assert [e.source_key for e in ProbeReply.from_json(part["replies"][0]).earlier] == ["raw/0/1"]


def test_split_replies_passes_single_article_messages_through() -> None:
    article = {"type": "article", **Pending("raw/0/1").to_json()}
    old_replies = {"type": "replies", "source_key": "raw/0/2", "replies": []}  # earlier versions
    assert split_replies(article) == [("raw/0/1", article)]
    assert split_replies(old_replies) == [("raw/0/2", old_replies)]


class RecordingTable(dict[str, object]):
    """A dict that remembers every write and delete, as a changelog would."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, str]] = []

    def __setitem__(self, key: str, value: object) -> None:
        self.log.append(("set", key))
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.log.append(("del", key))
        super().__delitem__(key)


def _join(store: PendingStore, source_key: str, messages: list[dict[str, object]]) -> Pending | None:
    """The finalize agent's steps for ``messages`` in order: the completed Pending, if any."""
    for message in messages:
        pending, stored = store.load(source_key)
        pending.absorb(message)
        if pending.complete:
            if stored:
                store.discard(source_key)
            return pending
        store.save(pending, message)
    return None


def test_pending_store_writes_the_article_once_and_then_only_replies() -> None:
    keys = ProbeKeys("fp:x", ["b0:1", "b1:2"], [], None, None, [])
    article = Pending("raw/0/1", record={"id": "a-1", "body": "x" * 1000}, keys=keys, event_time=5.0)
    messages: list[dict[str, object]] = [
        {"type": "article", **article.to_json()},
        {"type": "replies", "replies": [ProbeReply("fp:x", [entry("raw/1/1", 4.0)]).to_json()]},
        {"type": "replies", "replies": [ProbeReply("b0:1", []).to_json()]},
        {"type": "replies", "replies": [ProbeReply("b1:2", []).to_json()]},
    ]
    table = RecordingTable()
    done = _join(PendingStore(table), "raw/0/1", messages)
    assert done is not None and done.record == article.record
    assert [r.article_id for r in done.replies["fp:x"].earlier] == ["a-1"]
    assert table.log == [
        ("set", "raw/0/1"),
        ("set", "raw/0/1#replies"),
        ("set", "raw/0/1#replies"),
        ("del", "raw/0/1"),
        ("del", "raw/0/1#replies"),
    ]
    assert table == {}


def test_pending_store_keeps_replies_that_came_before_the_article() -> None:
    keys = ProbeKeys("fp:x", ["b0:1"], [], None, None, [])
    article = Pending("raw/0/1", record={"id": "a-1"}, keys=keys, event_time=5.0)
    table = RecordingTable()
    store = PendingStore(table)
    reply = {"type": "replies", "replies": [ProbeReply("fp:x", []).to_json()]}
    assert _join(store, "raw/0/1", [reply, {"type": "article", **article.to_json()}]) is None
    loaded, stored = store.load("raw/0/1")
    assert stored and loaded.record == {"id": "a-1"} and set(loaded.replies) == {"fp:x"}


def test_pending_store_reads_a_whole_pending_written_by_an_earlier_version() -> None:
    keys = ProbeKeys("fp:x", ["b0:1"], [], None, None, [])
    old = Pending("raw/0/1", record={"id": "a-1"}, keys=keys, event_time=5.0)
    old.absorb({"type": "replies", "replies": [ProbeReply("fp:x", []).to_json()]})
    table = RecordingTable()
    table["raw/0/1"] = old.to_json()
    done = _join(
        PendingStore(table), "raw/0/1", [{"type": "replies", "replies": [ProbeReply("b0:1", []).to_json()]}]
    )
    assert done is not None and set(done.replies) == {"fp:x", "b0:1"}
    assert table == {}


def test_pending_store_discard_writes_no_tombstone_for_absent_values() -> None:
    table = RecordingTable()
    table["raw/0/1"] = Pending("raw/0/1").to_json()
    PendingStore(table).discard("raw/0/1")
    assert [op for op in table.log if op[0] == "del"] == [("del", "raw/0/1")]


def test_unknown_message_types_are_rejected() -> None:
    with pytest.raises(ValueError, match="not a message"):
        Pending("raw/0/1").absorb({"type": "bogus"})


def test_source_key_helpers() -> None:
    assert reply_partition("news.raw/3/17") == 3
    assert forget_key("news.raw/3/17", 10) == "news.raw/3/7"
    assert forget_key("news.raw/3/5", 10) is None


def test_sweep_drops_expired_entries_only_on_owned_keys() -> None:
    settings = replace(Settings(), dedup=replace(DedupSettings(), sweep_interval_s=0.0))
    metrics = create_metrics()
    owner = {"b0:old": 0, "b1:mixed": 0, "b2:other": 1, "st:story": 0}
    sweeper = StateSweeper(settings, metrics, lambda key, n: owner[key])
    now = 100 * DAY
    table = {
        "b0:old": entries_to_json([entry("r/0/1", now - 8 * DAY)]),
        "b1:mixed": entries_to_json([entry("r/0/2", now - 8 * DAY), entry("r/0/3", now - 1 * DAY)]),
        "b2:other": entries_to_json([entry("r/1/1", now - 30 * DAY)]),  # owned by partition 1
        "st:story": entries_to_json([entry("r/0/4", now - 4 * DAY)]),  # story horizon is 3 days
    }
    assert sweeper.maybe_sweep(table, 0) == 0  # no event time seen yet on partition 0
    sweeper.observe(0, now)
    assert sweeper.sweep(table, 0) == 3
    assert set(table) == {"b1:mixed", "b2:other"}
    assert [e["s"] for e in table["b1:mixed"]] == ["r/0/3"]
    assert metrics.state_entries_evicted._value.get() == 3


def test_a_duplicate_of_a_story_founder_joins_the_founders_story() -> None:
    # The founder's entries carry no story id (only joiners write one back, and this joiner's
    # write-back has not arrived yet); a closer article with the same names must not pull the
    # duplicate into a story of its own.
    from streamproc.dedup.stories import new_story_id

    names = ["marco rubio", "daniel noboa", "ecuador", "quito"]
    founder = KeyEntry("a-orig", "raw/0/1", 10.0, entity_names=names)
    joiner = KeyEntry("a-other", "raw/1/1", 11.0, entity_names=names)
    keys = ProbeKeys("fp:x", [], ["st:marco rubio"], None, None, names)
    pending = Pending("raw/2/1", record={"id": "a-orig"}, keys=keys, event_time=12.0)
    pending.replies = {
        "fp:x": ProbeReply("fp:x", [KeyEntry("a-orig", "raw/0/1", 10.0)]),
        "st:marco rubio": ProbeReply("st:marco rubio", [joiner, founder]),
    }
    resolution = resolve_pending(pending, DedupSettings())
    assert resolution.dedup.status == "exact_duplicate"
    assert resolution.story_id == new_story_id("a-orig")
