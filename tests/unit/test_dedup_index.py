"""Key entries and the probe: replay safety, horizon eviction, bounded lists."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streamproc.dedup.index import (
    KeyEntry,
    KeyEntryError,
    entries_from_json,
    entries_to_json,
    is_later_message,
    probe,
    profile_from_json,
    profile_to_json,
    set_story,
)
from streamproc.stories.profile import ArticleProfile

DAY = 86_400.0
HORIZON = 7 * DAY


def entry(n: int, t: float = 1000.0, *, partition: int = 0, article: str | None = None) -> KeyEntry:
    return KeyEntry(article_id=article or f"a-{n}", source_key=f"news.raw/{partition}/{n}", event_time=t)


def run(entries: list[KeyEntry], new: KeyEntry, **kw: float) -> tuple[list[KeyEntry], list[KeyEntry]]:
    outcome = probe(entries, new, horizon_s=kw.get("horizon_s", HORIZON), now_event_time=new.event_time)
    return outcome.stored, outcome.earlier


def test_first_probe_stores_and_has_no_candidates() -> None:
    stored, earlier = run([], entry(1))
    assert stored == [entry(1)]
    assert earlier == []


def test_probe_appends_and_returns_all_previous() -> None:
    stored, _ = run([], entry(1))
    stored, _ = run(stored, entry(2, partition=1))
    stored, earlier = run(stored, entry(3, partition=2))
    assert [e.article_id for e in stored] == ["a-1", "a-2", "a-3"]
    assert [e.article_id for e in earlier] == ["a-1", "a-2"]


def test_replay_gets_the_same_answer_and_is_not_appended() -> None:
    table: list[KeyEntry] = []
    answers = {}
    for n in (1, 2, 3, 4):
        table, answers[n] = run(table, entry(n, partition=n))
    for n in (1, 2, 3, 4):  # replay every message: the first time's answer, never itself or later ones
        replayed_table, earlier = run(table, entry(n, partition=n))
        assert replayed_table == table
        assert earlier == answers[n]
    assert run(table, entry(2, partition=2))[1] == [entry(1, partition=1)]


def test_a_second_message_with_the_same_article_id_is_a_new_entry() -> None:
    first = entry(1, article="a-x")
    second = KeyEntry(article_id="a-x", source_key="news.raw/3/77", event_time=1000.0)
    table, _ = run([], first)
    table, earlier = run(table, second)
    assert earlier == [first]
    assert len(table) == 2


def test_later_offsets_of_the_same_partition_are_never_earlier() -> None:
    # After a crash, message 5 may be re-read when message 9 (same partition) already wrote the key.
    table, _ = run([], entry(9))
    table, earlier = run(table, entry(5))
    assert earlier == []
    assert [e.source_key for e in table] == ["news.raw/0/9", "news.raw/0/5"]
    # Another partition has no order: it counts.
    assert run(table, entry(3, partition=1))[1] == table
    assert is_later_message(entry(9), entry(5))
    assert not is_later_message(entry(5), entry(9))
    assert not is_later_message(KeyEntry("a", "file.jsonl:9", 0.0), KeyEntry("b", "file.jsonl:5", 0.0))


def test_horizon_evicts_old_entries_by_event_time() -> None:
    table, _ = run([], entry(1, t=0.0))
    table, _ = run(table, entry(2, t=5 * DAY, partition=1))
    table, earlier = run(table, entry(3, t=8 * DAY, partition=2))
    assert [e.article_id for e in table] == ["a-2", "a-3"]
    assert [e.article_id for e in earlier] == ["a-2"]


def test_entry_exactly_at_the_horizon_is_live() -> None:
    table, _ = run([], entry(1, t=0.0))
    assert run(table, entry(2, t=HORIZON, partition=1))[1] == [entry(1, t=0.0)]


def test_late_article_only_sees_candidates_within_the_horizon_of_its_own_time() -> None:
    # A backdated article must not be compared to news much newer than itself.
    table, _ = run([], entry(1, t=20 * DAY))
    table, earlier = run(table, entry(2, t=10 * DAY, partition=1))
    assert earlier == []
    assert len(table) == 2  # nothing was evicted: "now" is the late article's time


def test_list_is_capped_keeping_the_first_seen_anchor() -> None:
    table: list[KeyEntry] = []
    for n in range(1, 11):
        table = probe(
            table, entry(n, partition=n), horizon_s=HORIZON, now_event_time=1000.0, max_entries=4
        ).stored
    assert [e.article_id for e in table] == ["a-1", "a-8", "a-9", "a-10"]
    with pytest.raises(ValueError):
        probe([], entry(1), horizon_s=HORIZON, now_event_time=0.0, max_entries=1)


def test_a_capped_list_with_an_identity_keeps_the_first_entry_of_each_name() -> None:
    # Entries 2 and 5 register names, the rest are lookups: the cut keeps the anchor, each name's
    # first entry (up to half the room) and the newest, in the order stored.
    names = {2: "Amara Okafor", 5: "John Okafor", 7: "Amara Okafor"}

    def identity(e: KeyEntry) -> str | None:
        return names.get(int(e.article_id.removeprefix("a-")))

    table: list[KeyEntry] = []
    for n in range(1, 11):
        table = probe(
            table,
            entry(n, partition=n),
            horizon_s=HORIZON,
            now_event_time=1000.0,
            max_entries=6,
            identity=identity,
        ).stored
    assert [e.article_id for e in table] == ["a-1", "a-2", "a-5", "a-8", "a-9", "a-10"]
    # Without an identity only the anchor stays (the plain cut above).
    plain: list[KeyEntry] = []
    for n in range(1, 11):
        plain = probe(
            plain, entry(n, partition=n), horizon_s=HORIZON, now_event_time=1000.0, max_entries=6
        ).stored
    assert [e.article_id for e in plain] == ["a-1", "a-6", "a-7", "a-8", "a-9", "a-10"]


PROFILE = ArticleProfile(
    terms={"strike": 0.384, "drone": 0.271, "o'neill": 0.2},
    names={"ana america": 0.566, "afp": 0.636},
    places=["quito"],
    time=1_700_000_000.0,
    dateline="09-04",
)


def test_json_round_trip_through_orjson() -> None:
    entries = [
        entry(1),
        KeyEntry("a-2", "news.raw/1/2", 1.5, signature="AAAA", story_id="s-1", entity_names=["marco rubio"]),
        KeyEntry("a-3", "news.raw/1/3", 2.5, profile=PROFILE),
    ]
    value = orjson.loads(orjson.dumps(entries_to_json(entries)))
    assert entries_from_json(value) == entries
    assert entries_from_json(None) == []
    assert value[0] == ["a-1", "news.raw/0/1", 1000.0]  # no optional fields: three items


def test_entries_of_the_dict_layout_still_load() -> None:
    old = {"a": "a-2", "s": "news.raw/1/2", "t": 1.5, "g": "AAAA", "st": "s-1", "p": PROFILE.to_json()}
    assert KeyEntry.from_json(old) == KeyEntry(
        "a-2", "news.raw/1/2", 1.5, signature="AAAA", story_id="s-1", profile=PROFILE
    )


def test_profiles_are_stored_compactly_and_decode_to_the_same_profile() -> None:
    compact = profile_to_json(PROFILE)
    assert isinstance(compact, list)
    assert len(orjson.dumps(compact)) < 0.8 * len(orjson.dumps(PROFILE.to_json()))
    assert profile_from_json(orjson.loads(orjson.dumps(compact))) == PROFILE
    empty = ArticleProfile(terms={}, names={})
    assert profile_from_json(orjson.loads(orjson.dumps(profile_to_json(empty)))) == empty


@pytest.mark.parametrize(
    "profile",
    [
        ArticleProfile(terms={"strike": 0.38412}, names={}),  # not whole thousandths
        ArticleProfile(terms={"two |words": 0.5}, names={}),  # would split wrong in both compact forms
        ArticleProfile(terms={}, names={"afp": 1 / 3}),
    ],
)
def test_profiles_the_compact_form_cannot_hold_keep_the_dict_form(profile: ArticleProfile) -> None:
    value = orjson.loads(orjson.dumps(profile_to_json(profile)))
    assert isinstance(value, dict) and profile_from_json(value) == profile


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # timing moves with the load
@given(
    st.dictionaries(st.text(min_size=1).filter(lambda t: " " not in t), st.integers(0, 5000), max_size=8),
    st.dictionaries(st.text(min_size=1), st.integers(0, 5000), max_size=5),
)
def test_compact_profile_round_trips_exactly(terms: dict[str, int], names: dict[str, int]) -> None:
    profile = ArticleProfile(
        terms={k: v / 1000 for k, v in terms.items()}, names={k: v / 1000 for k, v in names.items()}
    )
    assert profile_from_json(orjson.loads(orjson.dumps(profile_to_json(profile)))) == profile


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"a": "x", "s": "y"},
        {"a": "x", "s": "y", "t": "soon"},
        {"a": 1, "s": 2, "t": 0, "e": 5},
        [],
        ["x", "y"],
        ["x", "y", 1.0, {"p": ["a 1 b", [], [], None, None]}],
        ["x", "y", 1.0, {"p": ["a 1", ["n"], [], None]}],
    ],
)
def test_from_json_rejects_bad_values(bad: object) -> None:
    with pytest.raises(KeyEntryError):
        KeyEntry.from_json(bad)  # type: ignore[arg-type]


def test_set_story_updates_only_the_given_message_and_is_idempotent() -> None:
    table = [entry(1), entry(2, partition=1)]
    updated = set_story(table, source_key="news.raw/1/2", story_id="s-abc")
    assert [e.story_id for e in updated] == [None, "s-abc"]
    assert set_story(updated, source_key="news.raw/1/2", story_id="s-abc") == updated


def test_a_read_entry_is_written_back_as_read_and_a_changed_one_afresh() -> None:
    stored = orjson.loads(
        orjson.dumps(entries_to_json([KeyEntry("a-3", "news.raw/1/3", 2.5, profile=PROFILE)]))
    )
    [entry_read] = entries_from_json(stored)
    assert entry_read.to_json() is stored[0]
    [changed] = set_story([entry_read], source_key="news.raw/1/3", story_id="s-9")
    assert KeyEntry.from_json(orjson.loads(orjson.dumps(changed.to_json()))).story_id == "s-9"
