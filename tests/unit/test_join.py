"""The keyed join (streamproc/join/): messages, pending state, key owner, collector, without Kafka."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson
import pytest

from streamproc.config import DedupSettings, Settings
from streamproc.dedup import KeyEntry, ProbeKeys
from streamproc.dedup.index import entries_from_json, entries_to_json
from streamproc.join.collector import Collector
from streamproc.join.messages import (
    ArticlePart,
    AssignMessage,
    DeadPart,
    Part,
    Probe,
    ProbesMessage,
    RepliesMessage,
    RepliesPart,
    StoryAssignment,
    articles_messages,
    decode_probes_topic,
    decode_replies_topic,
    encode,
    probes_messages,
    replies_messages,
)
from streamproc.join.owner import KeyOwner, StateSweeper, answer_probe, partition_of_key
from streamproc.join.pending import Pending, PendingStore, ProbeReply
from streamproc.join.postings import record_key
from streamproc.join.source_key import SourceKey, reply_partition
from streamproc.join.story_records import story_record_key
from streamproc.join.verdict import resolve_pending
from streamproc.metrics import create_metrics

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
    pending.take_replies([ProbeReply("fp:x", [])])
    assert not pending.complete
    record = {"id": "a-1"}
    article = Pending("raw/0/1", record=record, keys=keys, event_time=5.0, raw_timestamp=4.0)
    pending.take_article(article)
    assert not pending.complete
    with pytest.raises(ValueError, match="not complete"):
        resolve_pending(pending, DedupSettings())
    pending.take_replies([ProbeReply("b0:1", [])])
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
    assert message.probes == probes
    assert decode_probes_topic(encode(message)) == message


def test_large_batches_are_split_below_the_message_budget_keeping_order() -> None:
    signature = "s" * 400  # a band entry's encoded MinHash
    probes = [
        Probe(f"b{i % 16}:{i}", replace(entry(f"raw/0/{i}", float(i)), signature=signature), f"raw/0/{i}")
        for i in range(200)
    ]
    messages = probes_messages(probes, max_bytes=10_000)
    assert len(messages) > 5
    assert all(len(encode(m)) <= 10_100 for m in messages)
    assert [p for m in messages for p in m.probes] == probes

    earlier = [replace(entry(f"raw/1/{i}", float(i)), signature=signature) for i in range(50)]
    replies = [(f"raw/0/{i}", ProbeReply(f"b{i}:x", earlier)) for i in range(8)]
    split = replies_messages(replies, reply_partition, max_bytes=50_000)
    assert len(split) == 4 and {partition for partition, _ in split} == {0}  # ~24 KB per reply
    assert all(len(encode(m)) <= 50_100 for _, m in split)
    parts = [part for _, m in split for part in decode_replies_topic(encode(m))]
    rejoined = [(part.source_key, part.replies[0].key) for part in parts if isinstance(part, RepliesPart)]
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
    parts = {part.source_key: part for part in messages[0].parts()}
    assert sorted(parts) == ["raw/0/1", "raw/0/2"]
    pending = Pending("raw/0/1")
    pending.take_replies(parts["raw/0/1"].replies)
    assert sorted(pending.replies) == ["b0:1", "fp:x"]
    (part, *rest) = decode_replies_topic(encode(messages[1]))
    assert isinstance(part, RepliesPart) and part.source_key == "raw/1/7" and not rest
    assert [e.source_key for e in part.replies[0].earlier] == ["raw/0/1"]


def test_a_batchs_articles_travel_in_one_message_per_collector_partition_in_order() -> None:
    keys = ProbeKeys("fp:x", ["b0:1"], [], None, None, [])
    parts = [
        ArticlePart(Pending(f"raw/{i % 3}/{i}", record={"id": f"a-{i}", "body": "w" * 200}, keys=keys))
        for i in range(12)
    ]
    messages = articles_messages(parts, lambda key: int(key.split("/")[1]))
    assert sorted(partition for partition, _ in messages) == [0, 1, 2]
    for partition, message in messages:
        decoded = decode_replies_topic(encode(message))
        assert decoded == [part for part in parts if part.source_key.split("/")[1] == str(partition)]
    # Split below the size limit, never losing or reordering an article.
    small = articles_messages(parts, lambda key: 0, max_bytes=1_000)
    assert len(small) > 1
    assert [p for _, m in small for p in decode_replies_topic(encode(m))] == parts


def test_an_answers_message_carries_each_story_profile_once_and_decodes_to_the_same_replies() -> None:
    from streamproc.dedup.index import profile_to_json
    from streamproc.stories.profile import ArticleProfile

    def story_entry(source_key: str, word: str, story: str | None = None) -> KeyEntry:
        profile = ArticleProfile(terms={word: 0.5, "and": 0.5}, names={f"name {word}": 1.0}, time=3.0)
        return KeyEntry(f"a-{word}", source_key, 3.0, story_id=story, profile=profile)

    popular = [story_entry("raw/0/1", "alpha", "s-1"), story_entry("raw/1/2", "beta")]
    message = RepliesMessage(
        {
            "raw/0/9": [ProbeReply("st:name alpha", popular), ProbeReply("fp:x", [entry("raw/0/3", 1.0)])],
            "raw/0/10": [ProbeReply("st:name alpha", popular), ProbeReply("st:name beta", popular[1:])],
        }
    )
    wire = encode(message)
    for entry_ in popular:
        assert entry_.profile is not None
        assert wire.count(orjson.dumps(profile_to_json(entry_.profile))) == 1
    assert decode_replies_topic(wire) == message.parts()
    # A reply as stored at the collector (its table layout) keeps the profiles inline.
    [first, *_] = decode_replies_topic(wire)
    assert isinstance(first, RepliesPart)
    assert first.replies[0].to_json() == ProbeReply("st:name alpha", popular).to_json()


def test_every_message_round_trips_with_its_layout_version() -> None:
    keys = ProbeKeys("fp:x", ["b0:1"], ["st:x"], None, None, ["x"])
    article = Pending("raw/0/1", record={"id": "a-1"}, keys=keys, event_time=5.0, raw_timestamp=4.0)
    assign = AssignMessage([StoryAssignment("st:x", "raw/0/1", "s-1")])
    assert decode_probes_topic(encode(assign)) == assign
    assert orjson.loads(encode(assign))["v"] == 4  # layout 4: packed story profiles
    assert decode_replies_topic(encode(ArticlePart(article))) == [ArticlePart(article)]
    dead = DeadPart("raw/0/2", {"error": {"code": "X"}}, 3.0)
    assert decode_replies_topic(encode(dead)) == [dead]
    # Messages without a version have layout 1, single-input replies included.
    unversioned = {"type": "replies", "source_key": "raw/0/2", "replies": [ProbeReply("fp:x", []).to_json()]}
    assert decode_replies_topic(orjson.dumps(unversioned)) == [
        RepliesPart("raw/0/2", [ProbeReply("fp:x", [])])
    ]
    # Layout 1 (entries as dicts) is still read.
    v1 = {
        "type": "replies",
        "v": 1,
        "by_source": {"raw/0/2": [{"key": "fp:x", "earlier": [{"a": "a-1", "s": "raw/0/1", "t": 1.0}]}]},
    }
    [part] = decode_replies_topic(orjson.dumps(v1))
    assert isinstance(part, RepliesPart) and part.replies[0].earlier[0].article_id == "a-1"
    with pytest.raises(ValueError, match="layout 5"):
        decode_probes_topic(orjson.dumps({"type": "assign", "v": 5, "assignments": []}))
    with pytest.raises(ValueError, match="not a message"):
        decode_replies_topic(orjson.dumps({"type": "bogus"}))


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


def _join(store: PendingStore, source_key: str, parts: list[Part]) -> Pending | None:
    """The collector's steps for ``parts`` in order: the completed Pending, if any."""
    for part in parts:
        pending, stored = store.load(source_key)
        if isinstance(part, ArticlePart):
            pending.take_article(part.article)
        elif isinstance(part, RepliesPart):
            pending.take_replies(part.replies)
        if pending.complete:
            if stored:
                store.discard(source_key)
            return pending
        if isinstance(part, ArticlePart):
            store.save_article(pending)
        elif isinstance(part, RepliesPart):
            store.save_replies(source_key, part.replies)
    return None


def replies(source_key: str, *answers: ProbeReply) -> RepliesPart:
    return RepliesPart(source_key, list(answers))


def _slot(key: str) -> int:
    return {"fp:x": 0, "b0:1": 1, "b1:2": 2}.get(key, 0)


def test_pending_store_writes_the_article_once_and_each_answer_once() -> None:
    keys = ProbeKeys("fp:x", ["b0:1", "b1:2"], [], None, None, [])
    article = Pending("raw/0/1", record={"id": "a-1", "body": "x" * 1000}, keys=keys, event_time=5.0)
    messages: list[Part] = [
        ArticlePart(article),
        replies("raw/0/1", ProbeReply("fp:x", [entry("raw/1/1", 4.0)])),
        replies("raw/0/1", ProbeReply("b0:1", [])),
        replies("raw/0/1", ProbeReply("b1:2", [])),
    ]
    table = RecordingTable()
    done = _join(PendingStore(table, _slot, 3), "raw/0/1", messages)
    assert done is not None and done.record == article.record
    assert [r.article_id for r in done.replies["fp:x"].earlier] == ["a-1"]
    # No value is rewritten: each owner's answer sits in its own slot.
    assert table.log == [
        ("set", "raw/0/1"),
        ("set", "raw/0/1#r0"),
        ("set", "raw/0/1#r1"),
        ("del", "raw/0/1"),
        ("del", "raw/0/1#r0"),
        ("del", "raw/0/1#r1"),
    ]
    assert table == {}


def test_pending_store_can_leave_stored_answers_undecoded_until_the_input_is_complete() -> None:
    keys = ProbeKeys("fp:x", ["b0:1"], [], None, None, [])
    store = PendingStore(RecordingTable(), _slot, 3)
    store.save_article(Pending("raw/0/1", record={"id": "a-1"}, keys=keys, event_time=5.0))
    answer = ProbeReply("fp:x", [entry("raw/1/1", 4.0)])
    store.save_replies("raw/0/1", [answer])
    lazy, _ = store.load("raw/0/1", decode=False)
    assert lazy.replies == {} and set(lazy.stored_replies) == {"fp:x"} and not lazy.complete
    lazy.take_replies([ProbeReply("b0:1", [])])
    assert lazy.complete
    lazy.decode_replies()
    assert lazy.replies == {"fp:x": answer, "b0:1": ProbeReply("b0:1", [])} and lazy.stored_replies == {}
    assert store.load("raw/0/1")[0].replies == {"fp:x": answer}


def test_pending_store_merges_answers_of_one_slot() -> None:
    keys = ProbeKeys("fp:x", ["b0:1", "b1:2"], [], None, None, [])
    article = Pending("raw/0/1", record={"id": "a-1"}, keys=keys, event_time=5.0)
    store = PendingStore(RecordingTable())
    parts: list[Part] = [
        replies("raw/0/1", ProbeReply("fp:x", [])),
        replies("raw/0/1", ProbeReply("b0:1", [])),
    ]
    assert _join(store, "raw/0/1", parts) is None
    done = _join(store, "raw/0/1", [ArticlePart(article), replies("raw/0/1", ProbeReply("b1:2", []))])
    assert done is not None and set(done.replies) == {"fp:x", "b0:1", "b1:2"}


def test_pending_store_reads_the_one_value_replies_layout() -> None:
    keys = ProbeKeys("fp:x", ["b0:1"], [], None, None, [])
    table = RecordingTable()
    table["raw/0/1"] = Pending("raw/0/1", record={"id": "a-1"}, keys=keys, event_time=5.0).to_json()
    table["raw/0/1#replies"] = [ProbeReply("fp:x", []).to_json()]
    done = _join(PendingStore(table, _slot, 3), "raw/0/1", [replies("raw/0/1", ProbeReply("b0:1", []))])
    assert done is not None and set(done.replies) == {"fp:x", "b0:1"}
    assert table == {}


def test_pending_store_keeps_replies_that_came_before_the_article() -> None:
    keys = ProbeKeys("fp:x", ["b0:1"], [], None, None, [])
    article = Pending("raw/0/1", record={"id": "a-1"}, keys=keys, event_time=5.0)
    table = RecordingTable()
    store = PendingStore(table)
    reply = replies("raw/0/1", ProbeReply("fp:x", []))
    assert _join(store, "raw/0/1", [reply, ArticlePart(article)]) is None
    loaded, stored = store.load("raw/0/1")
    assert stored and loaded.record == {"id": "a-1"} and set(loaded.replies) == {"fp:x"}


def test_pending_store_reads_a_whole_pending_value_with_its_replies() -> None:
    keys = ProbeKeys("fp:x", ["b0:1"], [], None, None, [])
    whole = Pending("raw/0/1", record={"id": "a-1"}, keys=keys, event_time=5.0)
    whole.take_replies([ProbeReply("fp:x", [])])
    table = RecordingTable()
    table["raw/0/1"] = whole.to_json()
    done = _join(PendingStore(table), "raw/0/1", [replies("raw/0/1", ProbeReply("b0:1", []))])
    assert done is not None and set(done.replies) == {"fp:x", "b0:1"}
    assert table == {}


def test_pending_store_discard_writes_no_tombstone_for_absent_values() -> None:
    table = RecordingTable()
    table["raw/0/1"] = Pending("raw/0/1").to_json()
    PendingStore(table).discard("raw/0/1")
    assert [op for op in table.log if op[0] == "del"] == [("del", "raw/0/1")]


def test_source_key_is_formatted_and_parsed_in_one_place() -> None:
    key = SourceKey.parse("news.raw/3/17")
    assert key == SourceKey.at("news.raw", 3, 17) and str(key) == "news.raw/3/17"
    assert SourceKey.parse("a/b/0/1") == SourceKey("a/b", 0, "1")  # a topic may contain slashes
    assert reply_partition("news.raw/3/17") == 3
    assert str(key.earlier(10)) == "news.raw/3/7"
    assert key.earlier(18) is None
    content = SourceKey.of_payload(b"x")
    assert content.offset is None and content.earlier(1) is None
    assert SourceKey.parse(str(content)) == content
    with pytest.raises(ValueError):
        SourceKey.parse("no-partition")


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
        # beyond the story horizon
        "st:story": entries_to_json([entry("r/0/4", now - (settings.dedup.story_horizon_days + 1) * DAY)]),
    }
    assert sweeper.maybe_sweep(table, 0) == 0  # no event time seen yet on partition 0
    sweeper.observe(0, now)
    assert sweeper.sweep(table, 0) == 3
    table_view: dict[str, object] = dict(table)
    # b1's list, of the older inline layout, is rewritten as postings with its record beside it.
    assert set(table_view) == {"b1:mixed", "b2:other", record_key(0, "r/0/3")}
    assert table_view["b1:mixed"] == ["r/0/3"]
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


def _article(source_key: str, article_id: str, keys: ProbeKeys) -> ArticlePart:
    return ArticlePart(Pending(source_key, record={"id": article_id}, keys=keys, event_time=5.0))


def test_key_owner_answers_probes_per_asking_partition_and_records_assignments() -> None:
    settings = Settings()
    table: dict[str, Any] = {}
    owner = KeyOwner(settings, table)
    first = Probe("st:x", entry("raw/0/1", 1.0, "a-1"), "raw/0/1")
    second = Probe("st:x", entry("raw/1/4", 2.0, "a-2"), "raw/1/4")
    assert owner.handle(0, ProbesMessage([first])) == [
        (0, RepliesMessage({"raw/0/1": [ProbeReply("st:x", [])]}))
    ]
    ((partition, answers),) = owner.handle(0, ProbesMessage([second]))
    assert partition == 1 and [e.article_id for e in answers.by_source["raw/1/4"][0].earlier] == ["a-1"]
    assert owner.handle(0, AssignMessage([StoryAssignment("st:x", "raw/1/4", "s-9")])) == []
    stories = {e.source_key: e.story_id for e in entries_from_json(table["st:x"])}
    assert stories["raw/1/4"] == "s-9"


def test_a_corrupt_key_is_answered_as_nothing_seen() -> None:
    metrics = create_metrics()
    owner = KeyOwner(Settings(), {"fp:x": "not entries"}, metrics)
    assert owner.answer(Probe("fp:x", entry("raw/0/1", 1.0), "raw/0/1")) == ProbeReply("fp:x", [])
    assert metrics.internal_errors.labels(agent="answer")._value.get() == 1


def test_collector_publishes_once_then_suppresses_the_replay() -> None:
    keys = ProbeKeys("fp:x", [], [], None, None, [])
    pending: dict[str, object] = {}
    published: dict[str, object] = {}
    metrics = create_metrics()
    collector = Collector(Settings(), pending, published, metrics)
    assert collector.take(0, _article("raw/0/1", "a-1", keys)) is None
    publication = collector.take(0, replies("raw/0/1", ProbeReply("fp:x", [])))
    assert publication is not None and publication.resolved and publication.role == "enriched"
    assert publication.key == "a-1" and publication.discard_after
    collector.published_out(publication)
    assert published == {"raw/0/1": "enriched"} and pending == {}
    # The replay of the same input: suppressed by the marker.
    assert collector.take(0, _article("raw/0/1", "a-1", keys)) is None
    assert metrics.replays_suppressed.labels(via="marker")._value.get() == 1


def test_collector_suppresses_what_the_read_back_found_and_forgets_old_markers() -> None:
    settings = Settings()
    published: dict[str, object] = {}
    collector = Collector(settings, {}, published, already_out=lambda p, key: key == "raw/0/1")
    keys = ProbeKeys("fp:x", [], [], None, None, [])
    assert collector.take(0, _article("raw/0/1", "a-1", keys)) is None
    assert published == {"raw/0/1": "readback"}
    distance = settings.dedup.published_memory
    dead = collector.take(0, DeadPart(f"raw/0/{1 + distance}", {"bad": True}, None))
    assert dead is not None and dead.role == "dlq" and not dead.resolved
    collector.published_out(dead)
    assert published == {f"raw/0/{1 + distance}": "dlq"}  # the marker `distance` back is forgotten


def test_a_part_the_collector_cannot_handle_becomes_a_dead_letter() -> None:
    metrics = create_metrics()
    bad_keys = ProbeKeys("fp:x", [], [], None, None, [])
    collector = Collector(Settings(), {}, {}, metrics)
    collector.take(0, ArticlePart(Pending("raw/0/1", record={}, keys=bad_keys)))  # no id: resolve fails
    publication = collector.take(0, replies("raw/0/1", ProbeReply("fp:x", [])))
    assert publication is not None and publication.role == "dlq" and publication.discard_after
    assert publication.record.error.code == "internal"
    assert metrics.internal_errors.labels(agent="finalize")._value.get() == 1


def _profiled(source_key: str, t: float, article: str, word: str) -> KeyEntry:
    from streamproc.stories.profile import ArticleProfile

    profile = ArticleProfile(terms={word: 1.0}, names={f"name {word}": 1.0}, places=[], time=t, dateline=None)
    return KeyEntry(article_id=article, source_key=source_key, event_time=t, profile=profile)


def test_a_story_key_lists_postings_and_answers_with_their_records() -> None:
    settings = Settings()
    settings = replace(settings, dedup=replace(settings.dedup, story_max_entries_per_key=2))
    table: dict[str, object] = {}
    owner = KeyOwner(settings, table)
    entries = [_profiled(f"raw/0/{i}", float(i), f"a-{i}", f"w{i}") for i in range(4)]
    replies = [owner.answer(Probe("st:x", e, e.source_key)) for e in entries[:3]]
    # The list holds postings; each entry's id, time and profile sit in its record.
    assert table["st:x"] == ["raw/0/0", "raw/0/2"]
    assert replies[1].earlier == [entries[0]] and replies[2].earlier == entries[:2]
    # Entry 1 was dropped (the key keeps its first and newest): its record went with it.
    p = partition_of_key("st:x", settings.kafka.partitions)
    assert set(table) == {"st:x", story_record_key(p, "raw/0/0"), story_record_key(p, "raw/0/2")}
    written = dict(table)
    assert owner.answer(Probe("st:x", entries[0], "raw/0/0")).earlier == []  # a re-read: same answer
    assert table == written
    owner.assign(StoryAssignment("st:x", "raw/0/2", "s-9"))
    assert table["st:x"] == ["raw/0/0", ["raw/0/2", "s-9"]]
    owner.assign(StoryAssignment("st:x", "raw/0/2", "s-9"))  # a replayed assignment: no change
    assert table["st:x"] == ["raw/0/0", ["raw/0/2", "s-9"]]
    answer = owner.answer(Probe("st:x", entries[3], "raw/0/3"))
    assert answer.earlier == [entries[0], replace(entries[2], story_id="s-9")]


def _same_partition_keys(settings: Settings, count: int) -> list[str]:
    partitions = settings.kafka.partitions
    names = (f"st:k{i}" for i in range(1000))
    return [k for k in names if partition_of_key(k, partitions) == 0][:count]


def test_an_article_s_story_keys_on_a_partition_share_one_record_until_the_last_drops_it() -> None:
    settings = Settings()
    settings = replace(settings, dedup=replace(settings.dedup, story_max_entries_per_key=2))
    table: dict[str, object] = {}
    owner = KeyOwner(settings, table)
    first, second = _same_partition_keys(settings, 2)
    shared = _profiled("raw/0/1", 1.0, "a-1", "quake")
    for key in (first, second):
        owner.answer(Probe(key, _profiled("raw/0/0", 0.0, "a-0", "old"), "raw/0/0"))
        owner.answer(Probe(key, shared, "raw/0/1"))
    record = story_record_key(0, "raw/0/1")
    assert [k for k in table if k.startswith("sp:")] == [story_record_key(0, "raw/0/0"), record]
    assert table[record][2] == [first, second]  # type: ignore[index]
    # ``first`` drops raw/0/1 (the newest comes in): the record stays for ``second``.
    owner.answer(Probe(first, _profiled("raw/0/2", 2.0, "a-2", "flood"), "raw/0/2"))
    assert table[record][2] == [second]  # type: ignore[index]
    assert owner.answer(Probe(second, _profiled("raw/0/3", 3.0, "a-3", "x"), "raw/0/3")).earlier == [
        _profiled("raw/0/0", 0.0, "a-0", "old"),
        shared,
    ]
    assert record not in table  # ``second`` dropped it too: gone


def test_a_story_key_of_older_layouts_loads_and_moves_its_profiles_to_records() -> None:
    from streamproc.join.story_records import profile_key, story_record_key

    old = [_profiled("raw/0/1", 1.0, "a-1", "quake")]
    table: dict[str, object] = {"st:x": entries_to_json(old)}  # profiles inside the list
    owner = KeyOwner(Settings(), table)
    new = _profiled("raw/0/2", 2.0, "a-2", "flood")
    assert owner.answer(Probe("st:x", new, "raw/0/2")).earlier == old
    p = partition_of_key("st:x", Settings().kafka.partitions)
    assert set(table) == {"st:x", story_record_key(p, "raw/0/1"), story_record_key(p, "raw/0/2")}
    assert owner.answer(Probe("st:x", new, "raw/0/2")).earlier == old  # the re-read, new layout
    # The ``#p:`` layout: a list without profiles and one value per profile, moved to records.
    listed = [item[:3] for item in entries_to_json(old)]
    profile = entries_to_json(old)[0][3]["p"]
    table = {"st:y": listed, profile_key("st:y", "raw/0/1"): profile}
    owner = KeyOwner(Settings(), table)
    assert owner.answer(Probe("st:y", new, "raw/0/2")).earlier == old
    p = partition_of_key("st:y", Settings().kafka.partitions)
    assert set(table) == {"st:y", story_record_key(p, "raw/0/1"), story_record_key(p, "raw/0/2")}


def test_records_store_packed_ids_and_profiles_and_records_of_the_older_layout_read_the_same() -> None:
    from streamproc.dedup.index import _profile_list

    ids = [f"a-{i:032x}" for i in range(3)]
    entries = [_profiled(f"raw/0/{i}", float(i), ids[i], f"w{i}") for i in range(3)]
    table: dict[str, Any] = {}
    owner = KeyOwner(Settings(), table)
    for entry in entries[:2]:
        owner.answer(Probe("st:x", entry, entry.source_key))
    p = partition_of_key("st:x", Settings().kafka.partitions)
    record = table[story_record_key(p, "raw/0/0")]
    assert len(record[0]) == 23 and isinstance(record[3], str)  # packed id, packed profile
    # The same records as the older layout wrote them: the id as it is, the profile as a list.
    older = dict(table)
    for i in range(2):
        key = story_record_key(p, f"raw/0/{i}")
        assert entries[i].profile is not None
        older[key] = [ids[i], older[key][1], older[key][2], _profile_list(entries[i].profile)]
    answers = [
        KeyOwner(Settings(), values).answer(Probe("st:x", entries[2], "raw/0/2")) for values in (table, older)
    ]
    assert answers[0].earlier == answers[1].earlier == entries[:2]


def _banded(source_key: str, t: float, article: str) -> KeyEntry:
    return KeyEntry(article_id=article, source_key=source_key, event_time=t, signature="u8:" + "A" * 88)


def test_band_keys_store_postings_and_one_record_per_partition_with_the_same_answers() -> None:
    from streamproc.join.owner import partition_of_key

    settings = Settings()
    table: dict[str, object] = {}
    owner = KeyOwner(settings, table)
    plain: dict[str, list[KeyEntry]] = {}  # the same probes on entries kept whole (the reference)
    first, second = _banded("raw/0/1", 1.0, "a-1"), _banded("raw/1/1", 2.0, "a-2")
    keys = [f"b{i}:{i:016x}" for i in range(16)]
    for new in (first, second):
        for key in keys:
            expected, reply = answer_probe(
                plain.get(key, []), Probe(key, new, new.source_key), settings.dedup
            )
            plain[key] = expected
            assert owner.answer(Probe(key, new, new.source_key)) == reply
    assert all(table[key] == ["raw/0/1", "raw/1/1"] for key in keys)
    partitions = {partition_of_key(key, settings.kafka.partitions) for key in keys}
    records = {key for key in table if key.startswith("sg:")}
    assert records == {record_key(p, s) for p in partitions for s in ("raw/0/1", "raw/1/1")}
    assert table[record_key(min(partitions), "raw/0/1")] == ["a-1", 1.0, first.signature]
    written = dict(table)
    assert owner.answer(Probe(keys[3], first, "raw/0/1")).earlier == []  # a re-read: same answer
    assert owner.answer(Probe(keys[3], second, "raw/1/1")).earlier == [first]
    assert table == written


def test_band_records_store_packed_ids_and_records_of_the_older_layout_read_the_same() -> None:
    ids = [f"a-{i:032x}" for i in range(1, 4)]
    entries = [_banded(f"raw/0/{i}", float(i), ids[i]) for i in range(3)]
    table: dict[str, Any] = {}
    for entry in entries[:2]:
        KeyOwner(Settings(), table).answer(Probe("b1:00", entry, entry.source_key))
    p = partition_of_key("b1:00", Settings().kafka.partitions)
    assert len(table[record_key(p, "raw/0/0")][0]) == 23
    older = {
        **table,
        **{record_key(p, f"raw/0/{i}"): [ids[i], float(i), entries[i].signature] for i in range(2)},
    }
    answers = [
        KeyOwner(Settings(), values).answer(Probe("b1:00", entries[2], "raw/0/2"))
        for values in (table, older)
    ]
    assert answers[0].earlier == answers[1].earlier == entries[:2]


def test_band_keys_of_the_inline_layout_load_and_a_posting_without_its_record_is_gone() -> None:
    from streamproc.join.owner import partition_of_key

    old = [_banded("raw/0/1", 1.0, "a-1"), _banded("raw/0/2", 2.0, "a-2")]
    table: dict[str, object] = {"b0:x": entries_to_json(old)}  # whole entries inside the list
    owner = KeyOwner(Settings(), table)
    new = _banded("raw/0/3", 3.0, "a-3")
    assert owner.answer(Probe("b0:x", new, "raw/0/3")).earlier == old
    partition = partition_of_key("b0:x", Settings().kafka.partitions)
    assert table["b0:x"] == ["raw/0/1", "raw/0/2", "raw/0/3"]
    del owner.table[record_key(partition, "raw/0/2")]  # swept (the owner deletes through its memory)
    assert owner.answer(Probe("b0:x", new, "raw/0/3")).earlier == [old[0]]


def test_sweep_drops_band_records_past_the_horizon_with_their_postings() -> None:
    settings = replace(Settings(), dedup=replace(DedupSettings(), sweep_interval_s=0.0))
    now = 100 * DAY
    table: dict[str, object] = {}
    owner = KeyOwner(settings, table)
    for new in (_banded("raw/0/1", now - 8 * DAY, "a-1"), _banded("raw/0/2", now - DAY, "a-2")):
        for key in ("b0:x", "b1:x", "b2:x", "b3:x"):
            owner.answer(Probe(key, new, new.source_key))
    for partition in range(settings.kafka.partitions):
        owner.sweeper.observe(partition, now)
    evicted = sum(owner.sweeper.sweep(table, partition) for partition in range(settings.kafka.partitions))
    assert evicted == 4  # one entry per band key
    assert all(table[key] == ["raw/0/2"] for key in ("b0:x", "b1:x", "b2:x", "b3:x"))
    assert {key.rsplit(":", 1)[1] for key in table if key.startswith("sg:")} == {"raw/0/2"}


def test_the_owner_remembers_immutable_values_only_and_writes_and_deletes_through() -> None:
    from streamproc.join.values import RememberedValues

    class Counting(dict[str, Any]):
        reads = 0

        def __getitem__(self, key: str) -> Any:
            Counting.reads += 1
            return super().__getitem__(key)

    table = Counting({"sg:0:r/0/1": ["a-1", 1.0, None], "b0:x": ["r/0/1"]})
    values = RememberedValues(table, lambda key: key.startswith("sg:"), limit=2)
    assert values["sg:0:r/0/1"] == values["sg:0:r/0/1"] == ["a-1", 1.0, None]
    assert values["b0:x"] == values["b0:x"] and Counting.reads == 3  # the list is read each time
    values["sg:0:r/0/2"] = ["a-2", 2.0, None]
    values["sg:0:r/0/3"] = ["a-3", 3.0, None]
    assert set(values.memory) == {"sg:0:r/0/2", "sg:0:r/0/3"}  # bounded: the oldest forgotten
    del values["sg:0:r/0/2"]
    assert "sg:0:r/0/2" not in table and values.get("sg:0:r/0/2") is None
    assert dict(values) == dict(table)


class _RecoveringTable(dict[str, Any]):
    """A dict with the Faust table's ``assignment_epoch`` (bumped at each recovered assignment)."""

    assignment_epoch = 0


def test_a_rebalance_forgets_the_remembered_story_records() -> None:
    # Worker A remembers a story record; the partition moves to B, which adds a story key to that
    # record, then back to A. A must read the record again, not release it from a stale copy (the
    # other story key still names the article).
    settings = Settings()
    settings = replace(settings, dedup=replace(settings.dedup, story_max_entries_per_key=2))
    table = _RecoveringTable()
    worker_a, worker_b = KeyOwner(settings, table), KeyOwner(settings, table)
    first, second = _same_partition_keys(settings, 2)
    old, shared = _profiled("raw/0/0", 0.0, "a-0", "old"), _profiled("raw/0/1", 1.0, "a-1", "quake")
    for entry in (old, shared):
        worker_a.answer(Probe(first, entry, entry.source_key))
    table.assignment_epoch += 1
    for entry in (old, shared):
        worker_b.answer(Probe(second, entry, entry.source_key))
    table.assignment_epoch += 1
    worker_a.answer(Probe(first, _profiled("raw/0/2", 2.0, "a-2", "flood"), "raw/0/2"))
    assert story_record_key(0, "raw/0/1") in table
    later = _profiled("raw/0/3", 3.0, "a-3", "x")
    assert "raw/0/1" in [
        entry.source_key for entry in worker_a.answer(Probe(second, later, "raw/0/3")).earlier
    ]


def test_a_replay_after_a_rebalance_writes_the_story_record_again() -> None:
    # The rebalance dropped the unflushed writes (the record and the list); the input is read again:
    # the record must be written again, not taken as present from the owner's memory.
    settings = Settings()
    table = _RecoveringTable()
    owner = KeyOwner(settings, table)
    (key,) = _same_partition_keys(settings, 1)
    entry = _profiled("raw/0/1", 1.0, "a-1", "quake")
    owner.answer(Probe(key, entry, entry.source_key))
    table.clear()
    table.assignment_epoch += 1
    owner.answer(Probe(key, entry, entry.source_key))
    assert story_record_key(0, "raw/0/1") in table


def test_a_rebalance_forgets_the_collectors_remembered_pending_values() -> None:
    # Collector A stores an input's article and remembers it; the partition moves to B, which
    # stores the input's article again (a replay, enriched anew), then back to A. A's answer that
    # completes the input must publish the article the table holds, not A's remembered copy.
    keys = ProbeKeys("fp:x", [], [], None, None, [])
    pending, published = _RecoveringTable(), _RecoveringTable()
    worker_a = Collector(Settings(), pending, published)
    worker_b = Collector(Settings(), pending, published)
    assert worker_a.take(0, _article("raw/0/1", "a-old", keys)) is None
    pending.assignment_epoch += 1
    assert worker_b.take(0, _article("raw/0/1", "a-new", keys)) is None
    pending.assignment_epoch += 1
    publication = worker_a.take(0, replies("raw/0/1", ProbeReply("fp:x", [])))
    assert publication is not None and publication.key == "a-new"
    # Without a recovered assignment the memory is what this collector wrote (nobody else writes).
    worker_a.published_out(publication)
    assert "raw/0/1" not in pending and worker_a.pending.table.memory == {}
