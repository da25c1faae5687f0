"""The keyed dedup/story dataflow as JSON-able messages around the pure dedup core.

The worker (``app.py``) moves these messages through Kafka topics and keeps the state in Faust
tables; the offline ``streamproc process`` command moves them through dicts. Both call the same
functions (``dedup.probe``, ``dedup.resolve``, ``dedup.set_story``), so every rule is tested without
a broker.

For one raw message with source key ``S`` (``topic/partition/offset``):

1. ``ingest`` parses and enriches it, then emits one ``Probe`` per content key (``fp:<fingerprint>``,
   one ``b<i>:<hash>`` per LSH band, ``st:<entity>`` per salient entity), keyed by that content key,
   and the ``Pending`` article itself, keyed by ``S``.
2. The partition that owns a content key stores the new entry and answers with the entries stored
   before it (``dedup.probe``: a replayed message gets the same answer as the first time).
3. The partition that owns ``S`` collects the article and every answer; when all are in,
   ``dedup.resolve`` gives the verdict and the story, and the record is published once.
4. An article that joined an existing story tells its story keys (``StoryAssignment``), so later
   articles follow the story rather than the article.

On Kafka, probes and replies of many articles share a message (``probes_messages``,
``replies_messages``, ``split_replies``): a batch's probes go in one message per owning partition,
an owner's answers in one message per asking partition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from streamproc.config import DedupSettings
from streamproc.dedup import KeyEntry, ProbeKeys, key_horizon_s, new_story_id, probe, resolve, set_story
from streamproc.dedup.index import entries_from_json, entries_to_json
from streamproc.dedup.minhash import decode_signature
from streamproc.models import Dedup
from streamproc.stories.profile import ArticleProfile  # stories


@dataclass(frozen=True, slots=True)
class Probe:
    """ "Store this entry under ``key`` and tell ``reply_to`` who was there before"."""

    key: str
    entry: KeyEntry
    reply_to: str  # source key of the asking message

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "entry": self.entry.to_json(), "reply_to": self.reply_to}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Probe:
        return cls(key=data["key"], entry=KeyEntry.from_json(data["entry"]), reply_to=data["reply_to"])


@dataclass(frozen=True, slots=True)
class ProbeReply:
    key: str
    earlier: list[KeyEntry]

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "earlier": entries_to_json(self.earlier)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProbeReply:
        return cls(key=data["key"], earlier=entries_from_json(data["earlier"]))


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """Tells the owner of ``key`` that the message ``source_key`` belongs to ``story_id``."""

    key: str
    source_key: str
    story_id: str

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "source_key": self.source_key, "story_id": self.story_id}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoryAssignment:
        return cls(key=data["key"], source_key=data["source_key"], story_id=data["story_id"])


def answer_probe(
    stored: list[KeyEntry], request: Probe, settings: DedupSettings
) -> tuple[list[KeyEntry], ProbeReply]:
    """What the owner of ``request.key`` does: the key's new entries, and the reply to send."""
    outcome = probe(
        stored,
        request.entry,
        horizon_s=key_horizon_s(request.key, settings),
        now_event_time=request.entry.event_time,
        max_entries=settings.max_entries_per_key,
    )
    return outcome.stored, ProbeReply(request.key, outcome.earlier)


def apply_story_assignment(stored: list[KeyEntry], assignment: StoryAssignment) -> list[KeyEntry]:
    return set_story(stored, source_key=assignment.source_key, story_id=assignment.story_id)


def keys_to_json(keys: ProbeKeys) -> dict[str, Any]:
    return {
        "fingerprint_key": keys.fingerprint_key,
        "band_keys": keys.band_keys,
        "story_keys": keys.story_keys,
        "signature_text": keys.signature_text,
        "entity_names": keys.entity_names,
        "story_profile": None if keys.story_profile is None else keys.story_profile.to_json(),  # stories
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
    )


@dataclass
class Pending:
    """What the owner of a source key knows about that message so far."""

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

    def absorb(self, message: Mapping[str, Any]) -> None:
        """Take in the article (``type: article``) or one answer (``type: reply``), in any order."""
        if message["type"] == "article":
            article = Pending.from_json(message)
            self.record, self.keys = article.record, article.keys
            self.event_time, self.raw_timestamp = article.event_time, article.raw_timestamp
        elif message["type"] == "reply":
            reply = ProbeReply.from_json(message)
            self.replies[reply.key] = reply
        elif message["type"] == "replies":  # the answers of one owning partition
            for item in message["replies"]:
                reply = ProbeReply.from_json(item)
                self.replies[reply.key] = reply
        else:
            raise ValueError(f"not a message for the aggregator: {message['type']!r}")


# Budget of one join message. A batch's probes or answers can be large (an answer lists up to
# ``max_entries_per_key`` earlier entries per key, a band entry carries a ~350-byte signature), and
# Kafka refuses records over ``max.message.bytes`` (1 MB by default), so messages are split below
# half of that. Splitting never changes an answer: parts of one article are joined by source key.
MAX_MESSAGE_BYTES = 500_000


def _chunks(
    items: Iterable[tuple[str, dict[str, Any]]], max_bytes: int
) -> list[list[tuple[str, dict[str, Any]]]]:
    """``items`` in order, in runs whose JSON sizes add up to at most ``max_bytes`` (one item at least)."""
    chunks: list[list[tuple[str, dict[str, Any]]]] = []
    size = 0
    for item in items:
        item_size = len(orjson.dumps(item[1]))
        if not chunks or (size + item_size > max_bytes and chunks[-1]):
            chunks.append([])
            size = 0
        chunks[-1].append(item)
        size += item_size
    return chunks


def probes_messages(probes: Iterable[Probe], max_bytes: int = MAX_MESSAGE_BYTES) -> list[dict[str, Any]]:
    """Messages carrying probes (of one or many articles) to the partition owning their keys.

    The owner answers them in list order, and the messages are sent in order, so probes of one
    input partition keep their order.
    """
    chunks = _chunks(((probe.key, probe.to_json()) for probe in probes), max_bytes)
    return [{"type": "probes", "probes": [json for _, json in chunk]} for chunk in chunks]


def replies_messages(
    replies: Iterable[tuple[str, ProbeReply]],
    partition_of: Callable[[str], int],
    max_bytes: int = MAX_MESSAGE_BYTES,
) -> list[tuple[int, dict[str, Any]]]:
    """(asking source key, reply) pairs as ``replies`` messages per partition of the askers."""
    by_partition: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    for source_key, reply in replies:
        by_partition.setdefault(partition_of(source_key), []).append((source_key, reply.to_json()))
    messages: list[tuple[int, dict[str, Any]]] = []
    for partition, items in by_partition.items():
        for chunk in _chunks(items, max_bytes):
            by_source: dict[str, list[dict[str, Any]]] = {}
            for source_key, reply_json in chunk:
                by_source.setdefault(source_key, []).append(reply_json)
            messages.append((partition, {"type": "replies", "by_source": by_source}))
    return messages


def split_replies(message: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(source key, message for that article alone) pairs of a message on the replies topic.

    A ``replies`` message of several articles is split; an article, a dead letter, or a
    single-article ``replies`` message (written by earlier versions) is its own one part.
    """
    if message["type"] == "replies" and "by_source" in message:
        return [
            (source_key, {"type": "replies", "source_key": source_key, "replies": replies})
            for source_key, replies in message["by_source"].items()
        ]
    return [(message["source_key"], dict(message))]


REPLIES_SUFFIX = "#replies"


class PendingStore:
    """The ``Pending`` articles of a key-value table (the worker's ``pending`` table), each as two values.

    The article (~12 KB of enriched record) is stored once under its source key and the replies
    collected so far under ``<source key>#replies``, so each of the several replies of an article
    rewrites (and sends to the changelog) only the replies. Storing the whole ``Pending`` on every
    reply made this table ~70% of the worker's changelog bytes. A value written as a whole
    ``Pending`` (by earlier versions) still loads: its replies are merged with the replies value.
    """

    def __init__(self, table: MutableMapping[str, Any]) -> None:
        self.table = table

    @staticmethod
    def replies_key(source_key: str) -> str:
        return source_key + REPLIES_SUFFIX

    def load(self, source_key: str) -> tuple[Pending, bool]:
        """The pending article of ``source_key`` (empty if nothing is stored), and whether anything is."""
        article = self.table.get(source_key)
        replies = self.table.get(self.replies_key(source_key))
        pending = Pending.from_json(article) if article is not None else Pending(source_key)
        if replies is not None:
            pending.absorb({"type": "replies", "replies": replies})
        return pending, article is not None or replies is not None

    def save(self, pending: Pending, absorbed: Mapping[str, Any]) -> None:
        """Store what absorbing the message ``absorbed`` changed: the article or the replies."""
        if absorbed["type"] == "article":
            self.table[pending.source_key] = Pending(
                pending.source_key, pending.record, pending.keys, pending.event_time, pending.raw_timestamp
            ).to_json()
            # Replies before the article are rare (it is sent first, to the same partition); they
            # may sit in an old whole-``Pending`` value just replaced, so store them on their own.
            if not pending.replies:
                return
        replies = [reply.to_json() for reply in pending.replies.values()]
        self.table[self.replies_key(pending.source_key)] = replies

    def discard(self, source_key: str) -> None:
        """Forget the article (completed): delete both values, writing no tombstone for an absent one."""
        for key in (source_key, self.replies_key(source_key)):
            if self.table.get(key) is not None:
                del self.table[key]


@dataclass(frozen=True, slots=True)
class Resolution:
    dedup: Dedup
    story_id: str
    assignments: list[StoryAssignment]  # to send to the story keys' owners

    @property
    def new_story(self) -> bool:
        # A duplicate never starts a story: it carries its original's. An exact copy has its
        # original's id, hence story id new_story_id(id) and no assignments, yet started nothing.
        return self.dedup.status == "unique" and not self.assignments


def resolve_pending(pending: Pending, settings: DedupSettings) -> Resolution:
    """Verdict and story of a complete pending article (pure, deterministic, replay-safe)."""
    if not pending.complete or pending.keys is None or pending.record is None:
        raise ValueError(f"{pending.source_key} is not complete")
    keys = pending.keys
    article_id: str = pending.record["id"]
    dedup, story_id = resolve(
        keys=keys,
        article_id=article_id,
        source_key=pending.source_key,
        event_time=pending.event_time,
        answers={key: reply.earlier for key, reply in pending.replies.items()},
        settings=settings,
    )
    # Entries are stored before the story is known and stand for their own story meanwhile
    # (new_story_id(article id)), so only an article that joined an older story must say so.
    assignments = []
    if story_id != new_story_id(article_id):
        assignments = [StoryAssignment(k, pending.source_key, story_id) for k in keys.story_keys]
    return Resolution(dedup, story_id, assignments)
