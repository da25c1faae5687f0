"""Band keys as postings: a band key's value lists source keys; what they point to is stored once
per owner partition.

An article has 16 band keys, and each used to hold the article's whole entry (article id, source
key, event time, 92-character signature): the same ~180 bytes 16 times, most of the live state.
Now a band key's value is its postings, ``["news.raw/0/17", ...]``, and the rest of each entry
sits once per partition that owns any of the article's band keys, in ``sg:<partition>:<source
key>`` = ``[article id, event time, signature]`` (id and signature packed: ``record_fields``; a
table is partitioned: an owner reads only the
values of its own partition, so it cannot share one copy with the others). With P partitions an
article keeps ``P * (1 - (1 - 1/P) ** bands)`` records (3.96 at the default 4, 10.3 at 16).

The owner puts the entries back together before a probe (``with_records``), so answers, replays
and the sweep see the very entries they saw before. Band values of the older layout (entries
inline) still load and are written as postings at their next change; a posting whose record is
gone (swept) is gone too. Older code cannot read this layout (a downgrade answers band probes
with nothing seen until the horizon has passed).
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any

from streamproc.dedup.index import KeyEntry
from streamproc.dedup.probes import RECORD_KEY_PREFIX
from streamproc.join.record_fields import pack_article_id, pack_signature, unpack_article_id, unpack_signature


def record_key(partition: int, source_key: str) -> str:
    """The table key of an article's band record on ``partition``."""
    return f"{RECORD_KEY_PREFIX}{partition}:{source_key}"


def is_record_key(table_key: str) -> bool:
    return table_key.startswith(RECORD_KEY_PREFIX)


def record_partition(table_key: str) -> int:
    """The partition a record key was written for (it owns the record)."""
    return int(table_key[len(RECORD_KEY_PREFIX) :].split(":", 1)[0])


def record_event_time(value: Sequence[Any]) -> float:
    return float(value[1])


def _is_plain(entry: KeyEntry) -> bool:
    """An entry a posting can stand for: nothing beyond id, source key, time and signature."""
    return entry.story_id is None and entry.profile is None and entry.entity_names is None


def with_records(
    table: MutableMapping[str, Any], value: Sequence[Any] | None, partition: int
) -> tuple[list[Any], set[str]]:
    """A band key's stored items as entries (JSON form) and the record keys found; postings
    without a record are left out, inline entries (older layout) kept as they are."""
    joined: list[Any] = []
    found: set[str] = set()
    for item in value or ():
        if not isinstance(item, str):
            joined.append(item)
            continue
        rkey = record_key(partition, item)
        record = table.get(rkey)
        if record is None:
            continue
        found.add(rkey)
        stored_id, event_time, stored_signature = record
        article_id, signature = unpack_article_id(stored_id), unpack_signature(stored_signature)
        joined.append(
            [article_id, item, event_time, {"g": signature}] if signature else [article_id, item, event_time]
        )
    return joined, found


def store_postings(
    table: MutableMapping[str, Any],
    key: str,
    entries: Sequence[KeyEntry],
    partition: int,
    held: set[str],
) -> None:
    """Write a band key's entries as postings, each entry's record first when ``partition`` does
    not hold it yet (``held``: record keys read with the list). Records are shared by the
    article's band keys on the partition, so they are never deleted here (the sweep does)."""
    listed: list[Any] = []
    for entry in entries:
        if not _is_plain(entry):
            listed.append(entry.to_json())
            continue
        rkey = record_key(partition, entry.source_key)
        if rkey not in held and table.get(rkey) is None:
            table[rkey] = [
                pack_article_id(entry.article_id),
                entry.event_time,
                pack_signature(entry.signature),
            ]
        held.add(rkey)
        listed.append(entry.source_key)
    table[key] = listed
