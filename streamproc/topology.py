"""The keyed dedup/story dataflow as pure functions over JSON-able messages.

The worker (``app.py``) moves these messages through Kafka topics and keeps the state in Faust
tables; the offline ``streamproc process`` command moves them through dicts. Both call exactly
these functions, so every rule is tested without a broker.

Flow for one raw message with source key ``S`` (``topic/partition/offset``):

1. ``ingest`` parses and enriches it, then emits one ``Probe`` per content key (``fp:<fingerprint>``,
   one ``b<i>:<hash>`` per LSH band, ``st:<entity>`` per salient entity) keyed by that content key,
   and one ``Pending`` article message keyed by ``S``.
2. The partition that owns a content key answers with ``answer_probe``: it stores the new entry
   (replay-safe: a message seen before is not stored twice) and replies with every other live entry
   under that key.
3. The partition that owns ``S`` collects the article and all replies (``Pending``), then
   ``resolve`` decides the dedup verdict and the story, and the record is published once.

Ordering: "first seen" means smallest ``(event_time, source_key)``. Only candidates that precede
the article in that total order can be what it duplicates, so two near-duplicates racing through
different band partitions still agree on which one is the original, and a replay sees the same
verdict as the first run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from streamproc.dedup.index import KeyEntry
from streamproc.dedup.minhash import jaccard_estimate, signature_from_str
from streamproc.dedup.stories import default_story_id, story_overlap
from streamproc.models import Dedup

ProbeKind = Literal["fp", "band", "story"]
Order = tuple[float, str]


def entry_order(entry: KeyEntry) -> Order:
    return (entry.event_time, entry.source_key)


@dataclass(frozen=True, slots=True)
class Probe:
    """A question sent to the partition owning ``key``: "who else is stored under this key?"."""

    key: str
    kind: ProbeKind
    entry: KeyEntry
    reply_to: str  # source key of the asking message

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "entry": self.entry.to_json(), "reply_to": self.reply_to}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Probe:
        return cls(
            key=data["key"], kind=data["kind"], entry=KeyEntry.from_json(data["entry"]), reply_to=data["reply_to"]
        )


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """Tells the owner of a story key which story an article joined (so later articles can follow)."""

    key: str
    source_key: str
    story_id: str

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "source_key": self.source_key, "story_id": self.story_id}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoryAssignment:
        return cls(key=data["key"], source_key=data["source_key"], story_id=data["story_id"])


@dataclass(frozen=True, slots=True)
class ProbeReply:
    key: str
    kind: ProbeKind
    entries: list[KeyEntry]

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "entries": [e.to_json() for e in self.entries]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProbeReply:
        return cls(
            key=data["key"], kind=data["kind"], entries=[KeyEntry.from_json(e) for e in data["entries"]]
        )


def answer_probe(
    stored: list[KeyEntry], probe: Probe, *, horizon_s: float, max_entries: int
) -> tuple[list[KeyEntry], ProbeReply]:
    """Store ``probe.entry`` under its key and reply with the other live entries.

    Entries older than ``horizon_s`` (event time, relative to the newest entry) are evicted, the list
    is capped at ``max_entries`` (oldest dropped) so a hot key stays bounded, and an entry whose
    source key is already stored (a replay) is not stored again.
    """
    newest = max([probe.entry.event_time, *(e.event_time for e in stored)])
    live = [e for e in stored if newest - e.event_time <= horizon_s]
    others = [e for e in live if e.source_key != probe.entry.source_key]
    if len(others) == len(live):  # first time this message asks: store it
        live.append(probe.entry)
    live.sort(key=entry_order)
    if len(live) > max_entries:
        live = live[-max_entries:]
    return live, ProbeReply(key=probe.key, kind=probe.kind, entries=others)


def apply_story_assignment(stored: list[KeyEntry], assignment: StoryAssignment) -> list[KeyEntry]:
    return [
        e.with_story(assignment.story_id) if e.source_key == assignment.source_key else e for e in stored
    ]


@dataclass
class Pending:
    """What the owner of a source key knows about that message so far."""

    source_key: str
    expected: list[str] = field(default_factory=list)  # probe keys we await replies for
    record: dict[str, Any] | None = None  # the enriched record (JSON form) once it arrived
    entry: KeyEntry | None = None
    replies: dict[str, ProbeReply] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.record is not None and all(k in self.replies for k in self.expected)

    def to_json(self) -> dict[str, Any]:
        return {
            "source_key": self.source_key,
            "expected": self.expected,
            "record": self.record,
            "entry": self.entry.to_json() if self.entry else None,
            "replies": {k: r.to_json() for k, r in self.replies.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pending:
        return cls(
            source_key=data["source_key"],
            expected=list(data["expected"]),
            record=data["record"],
            entry=KeyEntry.from_json(data["entry"]) if data["entry"] else None,
            replies={k: ProbeReply.from_json(r) for k, r in data["replies"].items()},
        )


@dataclass(frozen=True, slots=True)
class Resolution:
    dedup: Dedup
    story_id: str
    new_story: bool


def resolve(pending: Pending, *, near_threshold: float, story_min_overlap: float, story_horizon_s: float) -> Resolution:
    """Decide the dedup verdict and story of a complete pending article (pure, deterministic)."""
    assert pending.entry is not None and pending.complete
    me = pending.entry
    my_order = entry_order(me)

    def earlier(kind: ProbeKind) -> list[KeyEntry]:
        seen: dict[str, KeyEntry] = {}
        for reply in pending.replies.values():
            if reply.kind == kind:
                for e in reply.entries:
                    if entry_order(e) < my_order:
                        seen[e.source_key] = e
        return sorted(seen.values(), key=entry_order)

    dedup = Dedup()
    exact = earlier("fp")
    if exact:
        dedup = Dedup(status="exact_duplicate", duplicate_of=exact[0].article_id, similarity=1.0)
    elif me.signature is not None:
        my_sig = signature_from_str(me.signature)
        best: tuple[float, KeyEntry] | None = None
        for cand in earlier("band"):
            if cand.signature is None:
                continue
            sim = jaccard_estimate(my_sig, signature_from_str(cand.signature))
            if sim >= near_threshold and (best is None or sim > best[0]):
                best = (sim, cand)
        if best is not None:
            dedup = Dedup(status="near_duplicate", duplicate_of=best[1].article_id, similarity=round(best[0], 3))

    # A duplicate belongs to the story of what it duplicates; otherwise the earliest article that
    # shares enough salient entities within the story horizon decides the story.
    story_candidates = [
        c
        for c in earlier("story") + earlier("fp") + earlier("band")
        if me.event_time - c.event_time <= story_horizon_s
    ]
    if dedup.duplicate_of is not None:
        original = next(c for c in story_candidates + exact if c.article_id == dedup.duplicate_of)
        return Resolution(dedup, original.story_id or default_story_id(original.article_id), False)
    matches = [
        c for c in earlier("story") if c in story_candidates and story_overlap(me, c) >= story_min_overlap
    ]
    if matches:
        first = min(matches, key=entry_order)
        return Resolution(dedup, first.story_id or default_story_id(first.article_id), False)
    return Resolution(dedup, default_story_id(me.article_id), True)
