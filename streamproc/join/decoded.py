"""Key entries decoded once: the same stored entries come back at every probe of their keys.

A key owner decodes every entry of a key at each of its probes (``KeyEntry.from_json``), and the
collector decodes them again in each answer: a busy story key's 16 entries, with their profiles,
and an alias key's up to 50, over and over (~280 entries per article, a fifth of the join's CPU).
An entry decoded is remembered under its content (``memo_key``) apart from its profile, the one
bulky part, which is compared as it is: mostly the very object the owner's remembered records
hand out. A miss decodes as before, so what comes out is always what ``from_json`` gives for an
equal JSON value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from streamproc.dedup.index import KeyEntry

DEFAULT_DECODED = 50_000  # as many as the owner remembers records (values.DEFAULT_REMEMBERED)
_FIELDS = frozenset(("g", "st", "e", "p"))


def memo_key(item: Any) -> tuple[Any, ...] | None:
    """What identifies an entry of the current layout apart from its profile (compared as it is),
    None for anything else (older layouts, unexpected fields: decoded every time)."""
    if type(item) is not list or len(item) not in (3, 4):
        return None
    if type(item[0]) is not str or type(item[1]) is not str:
        return None
    fields = item[3] if len(item) == 4 else {}
    if type(fields) is not dict or not _FIELDS.issuperset(fields) or type(item[2]) not in (float, int):
        return None
    names, signature, story = fields.get("e"), fields.get("g"), fields.get("st")
    # Strings only: values that merely compare equal (1, 1.0, True) decode to different strings,
    # and an unhashable one (a list, a dict) cannot be a key at all.
    if names is not None and (type(names) is not list or not all(type(name) is str for name in names)):
        return None
    if not all(value is None or type(value) is str for value in (signature, story)):
        return None
    head = (item[0], item[1], item[2], type(item[2]))
    return (*head, signature, story, None if names is None else tuple(names))


class DecodedEntries:
    """``KeyEntry.from_json`` with the newest ``limit`` entries remembered (oldest forgotten first)."""

    def __init__(self, limit: int = DEFAULT_DECODED) -> None:
        self.limit = limit
        self.memory: dict[tuple[Any, ...], tuple[Any, KeyEntry]] = {}

    def decode(self, items: Sequence[Any] | None) -> list[KeyEntry]:
        return [self.entry(item) for item in items or ()]

    def entry(self, item: Any) -> KeyEntry:
        key = memo_key(item)
        if key is None:
            return KeyEntry.from_json(item)
        profile = item[3].get("p") if len(item) == 4 else None
        known = self.memory.get(key)
        # The same object mostly (the owner's remembered records); an equal copy otherwise (an
        # article's record on each partition owning its story keys), still far cheaper than decoding.
        if known is not None and (known[0] is profile or known[0] == profile):
            return known[1]
        entry = KeyEntry.from_json(item)
        self.memory[key] = (profile, entry)
        if len(self.memory) > self.limit:
            del self.memory[next(iter(self.memory))]
        return entry
