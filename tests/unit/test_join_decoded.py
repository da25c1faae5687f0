"""Entries decoded once (join/decoded.py) and the alias answers an owner sends (enrich/aliases.py)."""

from __future__ import annotations

from typing import Any

from streamproc.config import Settings
from streamproc.dedup import KeyEntry
from streamproc.dedup.index import entries_from_json, profile_to_json
from streamproc.enrich.aliases import SPELLING_MARK, answered_alias_entries, teaches, teachings_in
from streamproc.join.decoded import DecodedEntries, memo_key
from streamproc.join.messages import Probe
from streamproc.join.owner import KeyOwner
from streamproc.stories.profile import ArticleProfile


def profile_json(term: str = "strike") -> Any:
    return profile_to_json(ArticleProfile(terms={term: 0.5, "union": 0.5}, names={"Acme": 1.0}))


def items() -> list[Any]:
    return [
        ["a-1", "raw/0/1", 10.0],
        ["a-2", "raw/0/2", 11.0, {"g": "u8:AAAA"}],
        ["a-3", "raw/0/3", 12.0, {"st": "s-1", "p": profile_json()}],
        ["a-4", "raw/0/4", 13.0, {"e": ["Acme Corp", "ORG", SPELLING_MARK]}],
        {"a": "a-5", "s": "raw/0/5", "t": 14.0},  # the older dict layout
    ]


def test_decoded_entries_are_what_from_json_gives() -> None:
    decoded = DecodedEntries()
    assert decoded.decode(items()) == entries_from_json(items())
    assert decoded.decode(items()) == entries_from_json(items())  # remembered ones too
    assert decoded.decode(None) == []


def test_an_equal_entry_is_decoded_once_and_a_changed_one_afresh() -> None:
    decoded = DecodedEntries()
    first = decoded.entry(items()[2])
    assert decoded.entry(items()[2]) is first  # an equal copy: its profile compared by value
    story_changed = ["a-3", "raw/0/3", 12.0, {"st": "s-2", "p": profile_json()}]
    assert decoded.entry(story_changed).story_id == "s-2"
    other_profile = ["a-3", "raw/0/3", 12.0, {"st": "s-1", "p": profile_json("march")}]
    changed = decoded.entry(other_profile)
    assert changed.profile is not None and "march" in changed.profile.terms
    assert changed == KeyEntry.from_json(other_profile)


def test_memo_key_leaves_other_layouts_to_from_json() -> None:
    assert memo_key({"a": "a-5", "s": "raw/0/5", "t": 14.0}) is None
    assert memo_key(["a-1", "raw/0/1", 10.0, {"zz": 1}]) is None  # a field it does not know
    assert memo_key(["a-1", "raw/0/1"]) is None
    assert memo_key(["a-1", "raw/0/1", 10.0]) != memo_key(["a-1", "raw/0/1", 10])  # int time: own JSON


def test_decoded_entries_forget_the_oldest_beyond_the_limit() -> None:
    decoded = DecodedEntries(limit=2)
    decoded.decode(items()[:3])
    assert len(decoded.memory) == 2
    assert memo_key(items()[0]) not in decoded.memory


def alias_entry(article: str, names: list[str] | None) -> KeyEntry:
    return KeyEntry(f"a-{article}", f"raw/0/{article}", 1.0, entity_names=names)


def test_alias_answers_keep_only_entries_that_teach() -> None:
    entries = [
        alias_entry("1", None),  # a bare lookup
        alias_entry("2", ["Acme Corp", "ORG"]),  # a teaching
        alias_entry("3", ["Acme Corp", "ORG", SPELLING_MARK]),  # a registered spelling
        alias_entry("4", ["Acme Corp", "ORG", "?"]),  # a mark nothing reads
    ]
    assert [teaches(e) for e in entries] == [False, True, True, False]
    assert [e.article_id for e in answered_alias_entries(entries)] == ["a-2", "a-3"]
    answered = answered_alias_entries(entries)
    assert teachings_in("al:org:acme", entries) == teachings_in("al:org:acme", answered)


def test_the_owner_answers_an_alias_key_without_bare_lookups() -> None:
    owner = KeyOwner(Settings(), {})
    key = "al:surname:smith"
    owner.answer(Probe(key, alias_entry("1", None), "raw/0/1"))
    owner.answer(Probe(key, alias_entry("2", ["John Smith", "PERSON", SPELLING_MARK]), "raw/0/2"))
    reply = owner.answer(Probe(key, alias_entry("3", None), "raw/0/3"))
    assert [e.article_id for e in reply.earlier] == ["a-2"]
    assert len(owner.table[key]) == 3  # every probe is still stored (the replay guard)


def test_a_value_of_unexpected_types_is_decoded_as_from_json_decodes_it() -> None:
    # Values this code never writes (a corrupt or foreign table value): a remembered entry must
    # not stand for another value that merely hashes and compares equal (1 == 1.0 == True), and an
    # unhashable field must not fail where decoding succeeds.
    decoded = DecodedEntries()
    for item in (
        ["a-1", "raw/0/1", 10.0, {"g": 1}],
        ["a-1", "raw/0/1", 10.0, {"g": 1.0}],
        ["a-1", "raw/0/1", 10.0, {"g": True}],
        ["a-1", "raw/0/1", 10.0, {"e": ["Acme", 1]}],
        ["a-1", "raw/0/1", 10.0, {"e": ["Acme", True]}],
        ["a-1", "raw/0/1", 10.0, {"e": ["Acme", ["ORG"]]}],
        ["a-1", "raw/0/1", 10.0, {"st": {"id": "s-1"}}],
    ):
        assert decoded.entry(item) == KeyEntry.from_json(item), item
