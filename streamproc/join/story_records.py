"""Story keys as postings: an article's story entry is stored once per owner partition.

An article has ~12 story keys (names, name words, event terms), and each used to hold its whole
entry: article id, event time and a ~560-byte profile per key (the profile in its own value
``<story key>#p:<source key>``), 85% of the story keys' bytes. Now a story key's value lists
postings, ``"news.raw/0/17"`` or ``["news.raw/0/17", <story id>]`` once the article's story is
decided, and the rest sits once per partition that owns any of the article's story keys, in
``sp:<partition>:<source key>`` = ``[article id, event time, [story keys], profile]``. The story
keys in the record are those of the partition that list it: when the last of them drops it
(trimmed to the newest entries, or swept), the record goes too, as each per-key profile did. The
id and the profile are stored packed (``record_fields``, ``dedup.profile_text``); records of the
older layout read the same.

The owner puts the entries back together before a probe (``with_story_records``), so answers,
replays and the sweep see the very entries they saw before. Story values of the older layouts
(entries inline, or with ``#p:`` profile values) still load and are written as postings at their
next change, their ``#p:`` values deleted then.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any

from streamproc.dedup.index import KeyEntry, set_story
from streamproc.join.record_fields import pack_article_id, unpack_article_id

STORY_RECORD_PREFIX = "sp:"
# The older layout's per-key profile value, ``<story key>#p:<source key>``.
PROFILE_KEY_MARK = "#p:"


def story_record_key(partition: int, source_key: str) -> str:
    """The table key of an article's story record on ``partition``."""
    return f"{STORY_RECORD_PREFIX}{partition}:{source_key}"


def is_story_record_key(table_key: str) -> bool:
    return table_key.startswith(STORY_RECORD_PREFIX)


def story_record_partition(table_key: str) -> int:
    return int(table_key[len(STORY_RECORD_PREFIX) :].split(":", 1)[0])


def profile_key(key: str, source_key: str) -> str:
    """The older layout's table key of the profile of ``source_key``'s entry under story key ``key``."""
    return f"{key}{PROFILE_KEY_MARK}{source_key}"


def is_profile_key(table_key: str) -> bool:
    return PROFILE_KEY_MARK in table_key


def _posting(item: Any) -> tuple[str, str | None] | None:
    """``(source key, story id)`` of a posting, None for an inline entry (older layouts)."""
    if isinstance(item, str):
        return item, None
    if isinstance(item, list) and len(item) == 2:
        return str(item[0]), str(item[1])
    return None


def _legacy_entry(table: MutableMapping[str, Any], key: str, item: Any, found: set[str]) -> Any:
    """An inline entry of the older layouts with its ``#p:`` profile put back in."""
    if not isinstance(item, list) or len(item) < 3:  # the dict layout: profile inline
        return item
    extra = item[3] if len(item) > 3 else {}
    stored = table.get(profile_key(key, str(item[1])))
    if stored is None or "p" in extra:
        return item
    found.add(profile_key(key, str(item[1])))
    return [*item[:3], {**extra, "p": stored}]


def with_story_records(
    table: MutableMapping[str, Any], key: str, value: Sequence[Any] | None, partition: int
) -> tuple[list[Any], set[str]]:
    """A story key's stored entries (JSON) with their records (and older profiles) put back in,
    and the keys of the values read; postings without a record are left out."""
    joined: list[Any] = []
    found: set[str] = set()
    for item in value or ():
        posting = _posting(item)
        if posting is None:
            joined.append(_legacy_entry(table, key, item, found))
            continue
        source_key, story_id = posting
        rkey = story_record_key(partition, source_key)
        record = table.get(rkey)
        if record is None:
            continue
        found.add(rkey)
        stored_id, event_time, _keys, profile = record
        article_id = unpack_article_id(stored_id)
        extra = {"p": profile} if story_id is None else {"st": story_id, "p": profile}
        joined.append([article_id, source_key, event_time, extra])
    return joined, found


def _is_posted(entry: KeyEntry) -> bool:
    """An entry a posting can stand for: a profile, no signature or older names."""
    return entry.profile is not None and entry.signature is None and entry.entity_names is None


def _release(table: MutableMapping[str, Any], rkey: str, key: str) -> None:
    """``key`` no longer lists the record's article: the record without it, gone when none does."""
    record = table.get(rkey)
    if record is None or key not in record[2]:
        return
    keys = [name for name in record[2] if name != key]
    if keys:
        table[rkey] = [record[0], record[1], keys, record[3]]
    else:
        del table[rkey]


def store_story_entries(
    table: MutableMapping[str, Any], key: str, entries: Sequence[KeyEntry], held: set[str], partition: int
) -> None:
    """Write a story key's entries as postings, each entry's record first (created, or naming
    ``key`` too); records of entries no longer listed released, older ``#p:`` values deleted.
    ``held``: the values read with the list. An empty ``entries`` deletes the key."""
    listed: list[Any] = []
    kept: set[str] = set()
    for entry in entries:
        if not _is_posted(entry):
            listed.append(entry.to_json())
            continue
        rkey = story_record_key(partition, entry.source_key)
        record = table.get(rkey)
        if record is None:
            profile = entry.to_json()[3]["p"]
            table[rkey] = [pack_article_id(entry.article_id), entry.event_time, [key], profile]
        elif key not in record[2]:
            table[rkey] = [record[0], record[1], [*record[2], key], record[3]]
        kept.add(rkey)
        listed.append(entry.source_key if entry.story_id is None else [entry.source_key, entry.story_id])
    for gone in held - kept:
        if is_story_record_key(gone):
            _release(table, gone, key)
        else:
            del table[gone]  # an older layout's profile: its entry is posted now, or gone
    if listed:
        table[key] = listed
    elif key in table:
        del table[key]


def assign_story(value: Sequence[Any] | None, source_key: str, story_id: str) -> list[Any]:
    """A story key's stored value with ``story_id`` on the posting (or inline entry) of
    ``source_key``; the records do not change (idempotent, like ``set_story``)."""
    out: list[Any] = []
    for item in value or ():
        posting = _posting(item)
        if posting is None:
            entry = KeyEntry.from_json(item)
            changed = set_story([entry], source_key=source_key, story_id=story_id)[0]
            out.append(changed.to_json() if entry.source_key == source_key else item)
        else:
            out.append([source_key, story_id] if posting[0] == source_key else item)
    return out
