"""What the collector of a source key knows about its input so far, and how that sits in a table."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from streamproc.dedup import ProbeKeys
from streamproc.dedup.index import KeyEntry, entries_from_json, entries_to_json
from streamproc.dedup.minhash import decode_signature
from streamproc.stories.profile import ArticleProfile  # stories


@dataclass(frozen=True, slots=True)
class ProbeReply:
    """The owner of ``key``'s answer: the entries stored under it before the asking input's."""

    key: str
    earlier: list[KeyEntry]

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "earlier": entries_to_json(self.earlier)}

    @classmethod
    def from_json(
        cls, data: Mapping[str, Any], decode: Callable[[Any], list[KeyEntry]] = entries_from_json
    ) -> ProbeReply:
        """``decode``: how the entries are decoded (``entries_from_json``, or remembered)."""
        return cls(key=data["key"], earlier=decode(data["earlier"]))


def keys_to_json(keys: ProbeKeys) -> dict[str, Any]:
    return {
        "fingerprint_key": keys.fingerprint_key,
        "band_keys": keys.band_keys,
        "story_keys": keys.story_keys,
        "signature_text": keys.signature_text,
        "entity_names": keys.entity_names,
        "story_profile": None if keys.story_profile is None else keys.story_profile.to_json(),  # stories
        "alias_keys": keys.alias_keys,
    }


def keys_from_json(data: Mapping[str, Any]) -> ProbeKeys:
    text = data["signature_text"]
    profile = data.get("story_profile")  # stories
    return ProbeKeys(
        fingerprint_key=data["fingerprint_key"],
        band_keys=list(data["band_keys"]),
        story_keys=list(data["story_keys"]),
        signature=None if text is None else decode_signature(text),
        signature_text=text,
        entity_names=list(data["entity_names"]),
        story_profile=None if profile is None else ArticleProfile.from_json(profile),  # stories
        alias_keys=list(data.get("alias_keys", [])),  # absent in values stored before aliases
    )


@dataclass
class Pending:
    """One input at its collector: the enriched article (once it arrived) and the answers so far."""

    source_key: str
    record: dict[str, Any] | None = None  # the enriched record (JSON form), once it arrived
    keys: ProbeKeys | None = None
    event_time: float = 0.0
    raw_timestamp: float | None = None  # Kafka timestamp of the raw message (end-to-end latency)
    replies: dict[str, ProbeReply] = field(default_factory=dict)
    # Replies read from the table, as stored (JSON): decoded only once the input is complete
    # (``decode_replies``), not at each of its parts (the story answers carry whole profiles).
    stored_replies: dict[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return (
            self.record is not None
            and self.keys is not None
            and all(k in self.replies or k in self.stored_replies for k in self.keys.all_keys)
        )

    def decode_replies(self, decode: Callable[[Any], list[KeyEntry]] = entries_from_json) -> None:
        """Decode the stored replies (a reply that also came in a message is the same answer)."""
        for key, data in self.stored_replies.items():
            if key not in self.replies:
                self.replies[key] = ProbeReply.from_json(data, decode)
        self.stored_replies.clear()

    def to_json(self) -> dict[str, Any]:
        return {
            "source_key": self.source_key,
            "record": self.record,
            "keys": keys_to_json(self.keys) if self.keys is not None else None,
            "event_time": self.event_time,
            "raw_timestamp": self.raw_timestamp,
            "replies": {k: r.to_json() for k, r in self.replies.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Pending:
        return cls(
            source_key=data["source_key"],
            record=data["record"],
            keys=keys_from_json(data["keys"]) if data["keys"] is not None else None,
            event_time=data["event_time"],
            raw_timestamp=data["raw_timestamp"],
            replies={k: ProbeReply.from_json(r) for k, r in data["replies"].items()},
        )

    def without_replies(self) -> Pending:
        return Pending(self.source_key, self.record, self.keys, self.event_time, self.raw_timestamp)

    def take_article(self, article: Pending) -> None:
        self.record, self.keys = article.record, article.keys
        self.event_time, self.raw_timestamp = article.event_time, article.raw_timestamp

    def take_replies(self, replies: Iterable[ProbeReply]) -> None:
        for reply in replies:
            self.replies[reply.key] = reply


LEGACY_REPLIES_SUFFIX = "#replies"  # all replies in one value, rewritten per answer message


def _no_slots(key: str) -> int:
    return 0


class PendingStore:
    """The ``Pending`` inputs of a key-value table (the worker's ``pending`` table), in a few values.

    The article (the enriched record) is stored once under its source key, and the replies under
    ``<source key>#r<slot>``, one value per slot (the partition owning the reply's key): an owner
    answers all of an input's keys it owns in one message, so each answer is written once and
    never rewritten. One value for all replies, rewritten per answer message, made the replies
    (they carry the story entries' profiles) most of the worker's changelog bytes. Values of the
    older layouts (a whole ``Pending``; one ``#replies`` value) still load and are discarded.
    """

    def __init__(
        self, table: MutableMapping[str, Any], slot_of: Callable[[str], int] = _no_slots, slots: int = 1
    ):
        self.table = table
        self.slot_of = slot_of
        self.slots = slots

    def _value_keys(self, source_key: str) -> list[str]:
        """Every table key an input's values can sit under (the article first)."""
        return [
            source_key,
            source_key + LEGACY_REPLIES_SUFFIX,
            *(f"{source_key}#r{slot}" for slot in range(self.slots)),
        ]

    def load(self, source_key: str, *, decode: bool = True) -> tuple[Pending, bool]:
        """The pending input of ``source_key`` (empty if nothing is stored), and whether anything is;
        ``decode=False`` leaves the stored replies as they are stored (``Pending.decode_replies``)."""
        article_key, *reply_keys = self._value_keys(source_key)
        article = self.table.get(article_key)
        pending = Pending.from_json(article) if article is not None else Pending(source_key)
        stored = article is not None
        for key in reply_keys:
            replies = self.table.get(key)
            if replies is not None:
                stored = True
                pending.stored_replies.update((reply["key"], reply) for reply in replies)
        if decode:
            pending.decode_replies()
        return pending, stored

    def save_article(self, pending: Pending) -> None:
        self.table[pending.source_key] = pending.without_replies().to_json()

    def save_replies(self, source_key: str, replies: Iterable[ProbeReply]) -> None:
        """Store newly arrived replies, each in its slot's value (merged with what the slot holds)."""
        by_slot: dict[int, list[ProbeReply]] = {}
        for reply in replies:
            by_slot.setdefault(self.slot_of(reply.key) % self.slots, []).append(reply)
        for slot, fresh in by_slot.items():
            key = f"{source_key}#r{slot}"
            held = {r["key"]: r for r in self.table.get(key) or ()}
            held.update((reply.key, reply.to_json()) for reply in fresh)
            self.table[key] = list(held.values())

    def discard(self, source_key: str) -> None:
        """Forget the input (completed): delete its values, writing no tombstone for an absent one."""
        for key in self._value_keys(source_key):
            if self.table.get(key) is not None:
                del self.table[key]
