"""What the collector of a source key knows about its input so far, and how that sits in a table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from streamproc.dedup import ProbeKeys
from streamproc.dedup.index import KeyEntry, entries_from_json, entries_to_json
from streamproc.dedup.minhash import decode_signature


@dataclass(frozen=True, slots=True)
class ProbeReply:
    """The owner of ``key``'s answer: the entries stored under it before the asking input's."""

    key: str
    earlier: list[KeyEntry]

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "earlier": entries_to_json(self.earlier)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProbeReply:
        return cls(key=data["key"], earlier=entries_from_json(data["earlier"]))


def keys_to_json(keys: ProbeKeys) -> dict[str, Any]:
    return {
        "fingerprint_key": keys.fingerprint_key,
        "band_keys": keys.band_keys,
        "story_keys": keys.story_keys,
        "signature_text": keys.signature_text,
        "entity_names": keys.entity_names,
    }


def keys_from_json(data: Mapping[str, Any]) -> ProbeKeys:
    text = data["signature_text"]
    return ProbeKeys(
        fingerprint_key=data["fingerprint_key"],
        band_keys=list(data["band_keys"]),
        story_keys=list(data["story_keys"]),
        signature=None if text is None else decode_signature(text),
        signature_text=text,
        entity_names=list(data["entity_names"]),
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

    @property
    def complete(self) -> bool:
        return (
            self.record is not None
            and self.keys is not None
            and all(k in self.replies for k in self.keys.all_keys)
        )

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


REPLIES_SUFFIX = "#replies"


class PendingStore:
    """The ``Pending`` inputs of a key-value table (the worker's ``pending`` table), each as two values.

    The article (~12 KB of enriched record) is stored once under its source key and the replies
    collected so far under ``<source key>#replies``, so each of the several replies of an article
    rewrites (and sends to the changelog) only the replies; a whole ``Pending`` per reply made this
    table ~70% of the worker's changelog bytes. A value holding a whole ``Pending`` (with replies)
    still loads: its replies are merged with the replies value.
    """

    def __init__(self, table: MutableMapping[str, Any]) -> None:
        self.table = table

    @staticmethod
    def replies_key(source_key: str) -> str:
        return source_key + REPLIES_SUFFIX

    def load(self, source_key: str) -> tuple[Pending, bool]:
        """The pending input of ``source_key`` (empty if nothing is stored), and whether anything is."""
        article = self.table.get(source_key)
        replies = self.table.get(self.replies_key(source_key))
        pending = Pending.from_json(article) if article is not None else Pending(source_key)
        if replies is not None:
            pending.take_replies(ProbeReply.from_json(reply) for reply in replies)
        return pending, article is not None or replies is not None

    def save(self, pending: Pending, *, article_arrived: bool) -> None:
        """Store what the last part changed: the article (``article_arrived``) or the replies."""
        if article_arrived:
            self.table[pending.source_key] = pending.without_replies().to_json()
            # Replies before the article are rare (it is sent first, to the same partition); they
            # may sit in a whole-``Pending`` value just replaced, so store them on their own.
            if not pending.replies:
                return
        replies = [reply.to_json() for reply in pending.replies.values()]
        self.table[self.replies_key(pending.source_key)] = replies

    def discard(self, source_key: str) -> None:
        """Forget the input (completed): delete both values, writing no tombstone for an absent one."""
        for key in (source_key, self.replies_key(source_key)):
            if self.table.get(key) is not None:
                del self.table[key]
