"""The join's messages on its two topics, as typed parts with one encode and one decode.

Probes topic (keyed by content key, read by the key owner):
    ``ProbesMessage``: probes of one or many inputs for keys of one owning partition;
    ``AssignMessage``: story assignments for keys of one owning partition.
Replies topic (keyed by source key, read by the collector):
    ``ArticlePart``: an input's enriched article; ``ArticlesMessage``: the articles of a batch's
    inputs of one partition (one record consumed instead of one per input; layout 2 readers
    before it refuse it as not a message for the collector); ``DeadPart``: an input that became a dead
    letter; ``RepliesMessage``: an owner's answers for inputs of one partition, which the
    collector takes per input (``RepliesPart``).

On the wire each message is a JSON object with ``type`` and ``v`` (the layout version; a message
without ``v`` has layout 1). Layout 2 writes key entries in their positional form
(``KeyEntry.to_json``); layout 1 messages, with entries as dicts, are still read. Layout 3 adds
the ``articles`` message and writes each story profile of an owner's answers once per message
(``profiles``: source key -> profile; an entry naming it carries ``"pr": 1`` instead of ``"p"``):
a popular story key's 16 entries were repeated, profiles and all, to every input of the batch
that has the name, most of the bytes an owner sends. Readers of layout 2 refuse layout 3 (stop
older workers before starting these). Layout 4 writes story profiles packed in one string
(``dedup.profile_text``), which readers of layout 3 could not decode: they refuse layout 4. A
batch's probes
or an owner's answers can be large (an answer lists up to ``max_entries_per_key`` earlier entries
per key, a band entry carries a ~180-byte signature) and Kafka refuses records over
``max.message.bytes`` (1 MB by default), so messages are split below ``MAX_MESSAGE_BYTES``.
Splitting never changes an answer: the parts of one input are joined by its source key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from streamproc.dedup.index import KeyEntry
from streamproc.join.pending import Pending, ProbeReply
from streamproc.models import dumps

VERSION = 4
READABLE_VERSIONS = frozenset({1, 2, 3, 4})
SHARED_PROFILE = "pr"  # in an entry's optional fields: its profile is in the message's ``profiles``
MAX_MESSAGE_BYTES = 500_000


@dataclass(frozen=True, slots=True)
class Probe:
    """ "Store this entry under ``key`` and tell ``reply_to`` who was there before"."""

    key: str
    entry: KeyEntry
    reply_to: str  # source key of the asking input

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "entry": self.entry.to_json(), "reply_to": self.reply_to}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Probe:
        return cls(key=data["key"], entry=KeyEntry.from_json(data["entry"]), reply_to=data["reply_to"])


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """Tells the owner of ``key`` that the input ``source_key`` belongs to ``story_id``."""

    key: str
    source_key: str
    story_id: str

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "source_key": self.source_key, "story_id": self.story_id}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoryAssignment:
        return cls(key=data["key"], source_key=data["source_key"], story_id=data["story_id"])


@dataclass(frozen=True, slots=True)
class ProbesMessage:
    probes: list[Probe]


@dataclass(frozen=True, slots=True)
class AssignMessage:
    assignments: list[StoryAssignment]


@dataclass(frozen=True, slots=True)
class ArticlePart:
    article: Pending  # without replies

    @property
    def source_key(self) -> str:
        return self.article.source_key


@dataclass(frozen=True, slots=True)
class ArticlesMessage:
    """The articles of several inputs whose source keys share a collector partition."""

    parts: list[ArticlePart]


@dataclass(frozen=True, slots=True)
class DeadPart:
    source_key: str
    record: Any  # the DeadLetter (its JSON form once decoded)
    raw_timestamp: float | None


@dataclass(frozen=True, slots=True)
class RepliesPart:
    source_key: str
    replies: list[ProbeReply]


@dataclass(frozen=True, slots=True)
class RepliesMessage:
    by_source: dict[str, list[ProbeReply]]

    def parts(self) -> list[RepliesPart]:
        return [RepliesPart(source_key, replies) for source_key, replies in self.by_source.items()]


ProbesTopicMessage = ProbesMessage | AssignMessage
RepliesTopicMessage = ArticlePart | ArticlesMessage | DeadPart | RepliesMessage
Part = ArticlePart | DeadPart | RepliesPart


def _to_json(message: ProbesTopicMessage | RepliesTopicMessage) -> dict[str, Any]:
    if isinstance(message, ProbesMessage):
        return {"type": "probes", "v": VERSION, "probes": [probe.to_json() for probe in message.probes]}
    if isinstance(message, AssignMessage):
        assignments = [assignment.to_json() for assignment in message.assignments]
        return {"type": "assign", "v": VERSION, "assignments": assignments}
    if isinstance(message, ArticlePart):
        return {"type": "article", "v": VERSION, **message.article.to_json()}
    if isinstance(message, ArticlesMessage):
        articles = [part.article.to_json() for part in message.parts]
        return {"type": "articles", "v": VERSION, "articles": articles}
    if isinstance(message, DeadPart):
        return {
            "type": "dead",
            "v": VERSION,
            "source_key": message.source_key,
            "record": message.record,
            "raw_timestamp": message.raw_timestamp,
        }
    profiles: dict[str, Any] = {}
    by_source = {
        key: [_reply_sharing_profiles(reply, profiles) for reply in replies]
        for key, replies in message.by_source.items()
    }
    return {"type": "replies", "v": VERSION, "by_source": by_source, "profiles": profiles}


def _reply_sharing_profiles(reply: ProbeReply, profiles: dict[str, Any]) -> dict[str, Any]:
    """A reply's JSON with each entry's profile moved to ``profiles`` (by the entry's source key),
    kept inline when ``profiles`` holds a different one for that source key."""
    earlier: list[Any] = []
    for entry in reply.earlier:
        item = entry.to_json()
        extra = item[3] if len(item) > 3 else None
        if extra is None or "p" not in extra:
            earlier.append(item)
            continue
        profile = profiles.setdefault(entry.source_key, extra["p"])
        if profile != extra["p"]:
            earlier.append(item)
            continue
        rest = {name: value for name, value in extra.items() if name != "p"}
        earlier.append([*item[:3], {**rest, SHARED_PROFILE: 1}])
    return {"key": reply.key, "earlier": earlier}


def _with_profiles(reply: dict[str, Any], profiles: Mapping[str, Any]) -> dict[str, Any]:
    """A reply's JSON with the shared profiles put back in its entries."""
    earlier: list[Any] = []
    for item in reply["earlier"]:
        extra = item[3] if isinstance(item, list) and len(item) > 3 else None
        if extra is None or SHARED_PROFILE not in extra:
            earlier.append(item)
            continue
        rest = {name: value for name, value in extra.items() if name != SHARED_PROFILE}
        earlier.append([*item[:3], {**rest, "p": profiles[item[1]]}])
    return {"key": reply["key"], "earlier": earlier}


def encode(message: ProbesTopicMessage | RepliesTopicMessage) -> bytes:
    return dumps(_to_json(message))


def _checked(data: bytes) -> dict[str, Any]:
    message: dict[str, Any] = orjson.loads(data)
    version = message.get("v", 1)
    if version not in READABLE_VERSIONS:
        raise ValueError(f"join message layout {version!r} is not one this worker reads ({VERSION})")
    return message


def decode_probes_topic(data: bytes) -> ProbesTopicMessage:
    message = _checked(data)
    if message["type"] == "assign":
        return AssignMessage([StoryAssignment.from_json(a) for a in message["assignments"]])
    if message["type"] == "probes":
        return ProbesMessage([Probe.from_json(p) for p in message["probes"]])
    raise ValueError(f"not a message for the key owner: {message['type']!r}")


def decode_replies_topic(data: bytes) -> list[Part]:
    """The per-input parts of a message on the replies topic."""
    message = _checked(data)
    kind = message["type"]
    if kind == "article":
        return [ArticlePart(Pending.from_json(message).without_replies())]
    if kind == "articles":
        return [ArticlePart(Pending.from_json(article).without_replies()) for article in message["articles"]]
    if kind == "dead":
        return [DeadPart(message["source_key"], message["record"], message.get("raw_timestamp"))]
    if kind == "replies" and "by_source" in message:
        by_source, profiles = message["by_source"], message.get("profiles")
        return [
            RepliesPart(
                key,
                [ProbeReply.from_json(_with_profiles(r, profiles) if profiles else r) for r in replies],
            )
            for key, replies in by_source.items()
        ]
    if kind == "replies":  # one input's answers alone
        return [RepliesPart(message["source_key"], [ProbeReply.from_json(r) for r in message["replies"]])]
    raise ValueError(f"not a message for the collector: {kind!r}")


def _chunks(items: Iterable[tuple[str, Any, dict[str, Any]]], max_bytes: int) -> list[list[tuple[str, Any]]]:
    """(key, item, JSON) in order, as runs of (key, item) whose JSON sizes add up to at most
    ``max_bytes`` (one item at least)."""
    chunks: list[list[tuple[str, Any]]] = []
    size = 0
    for key, item, json in items:
        item_size = len(orjson.dumps(json))
        if not chunks or (size + item_size > max_bytes and chunks[-1]):
            chunks.append([])
            size = 0
        chunks[-1].append((key, item))
        size += item_size
    return chunks


def probes_messages(probes: Iterable[Probe], max_bytes: int = MAX_MESSAGE_BYTES) -> list[ProbesMessage]:
    """Messages carrying probes (of one or many inputs) to the partition owning their keys.

    The owner answers them in list order, and the messages are sent in order, so probes of one
    input partition keep their order.
    """
    chunks = _chunks(((probe.key, probe, probe.to_json()) for probe in probes), max_bytes)
    return [ProbesMessage([probe for _, probe in chunk]) for chunk in chunks]


def articles_messages(
    parts: Iterable[ArticlePart],
    partition_of: Callable[[str], int],
    max_bytes: int = MAX_MESSAGE_BYTES,
) -> list[tuple[int, ArticlesMessage]]:
    """Articles as ``ArticlesMessage``s per partition of their source keys (the collector's), in
    order within a partition."""
    by_partition: dict[int, list[tuple[str, ArticlePart, dict[str, Any]]]] = {}
    for part in parts:
        by_partition.setdefault(partition_of(part.source_key), []).append(
            (part.source_key, part, part.article.to_json())
        )
    return [
        (partition, ArticlesMessage([part for _, part in chunk]))
        for partition, items in by_partition.items()
        for chunk in _chunks(items, max_bytes)
    ]


def replies_messages(
    replies: Iterable[tuple[str, ProbeReply]],
    partition_of: Callable[[str], int],
    max_bytes: int = MAX_MESSAGE_BYTES,
) -> list[tuple[int, RepliesMessage]]:
    """(asking source key, reply) pairs as ``RepliesMessage``s per partition of the askers."""
    by_partition: dict[int, list[tuple[str, ProbeReply, dict[str, Any]]]] = {}
    for source_key, reply in replies:
        by_partition.setdefault(partition_of(source_key), []).append((source_key, reply, reply.to_json()))
    messages: list[tuple[int, RepliesMessage]] = []
    for partition, items in by_partition.items():
        for chunk in _chunks(items, max_bytes):
            by_source: dict[str, list[ProbeReply]] = {}
            for source_key, reply in chunk:
                by_source.setdefault(source_key, []).append(reply)
            messages.append((partition, RepliesMessage(by_source)))
    return messages
