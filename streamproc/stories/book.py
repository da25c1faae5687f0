"""A story's state as articles join it, explicit merges, and its ``news.stories`` record (pure).

``StoryState`` is what a keyed, changelog-backed table would hold per story id: its members (id,
source, title, arrival and event time, why each joined) and counts of their salient names and
places. Folding is idempotent per article id, so a replayed article changes nothing. A merge is
explicit: the absorbed story keeps its members and gets ``merged_into`` (so the story ids its
articles carry stay resolvable), the absorbing one gains its members.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from streamproc.models import StoryArticle, StoryLink, StoryRecord
from streamproc.stories.score import StoryDecision

TOP_ENTITIES = 8
TOP_PLACES = 5


@dataclass(frozen=True, slots=True)
class Member:
    """One article of a story, as the story state keeps it."""

    id: str
    source: str | None
    title: str | None
    arrival: float  # epoch s: replay-stable (Kafka timestamp)
    event_time: float
    duplicate_of: str | None = None
    link: StoryLink | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "arrival": self.arrival,
            "event_time": self.event_time,
        }
        if self.duplicate_of is not None:
            out["duplicate_of"] = self.duplicate_of
        if self.link is not None:
            out["link"] = {
                "linked_to": self.link.linked_to,
                "score": self.link.score,
                "shared_terms": list(self.link.shared_terms),
                "shared_names": list(self.link.shared_names),
            }
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Member:
        link = data.get("link")
        return cls(
            id=str(data["id"]),
            source=data.get("source"),
            title=data.get("title"),
            arrival=float(data["arrival"]),
            event_time=float(data["event_time"]),
            duplicate_of=data.get("duplicate_of"),
            link=None
            if link is None
            else StoryLink(
                linked_to=str(link["linked_to"]),
                score=float(link["score"]),
                shared_terms=[str(t) for t in link["shared_terms"]],
                shared_names=[str(n) for n in link["shared_names"]],
            ),
        )


def link_of(decision: StoryDecision) -> StoryLink | None:
    """Why an article joined, from its story decision (None: it started its story)."""
    if decision.link is None:
        return None
    return StoryLink(
        linked_to=decision.link.linked_article,
        score=decision.link.score,
        shared_terms=list(decision.link.shared_terms),
        shared_names=list(decision.link.shared_names),
    )


@dataclass(frozen=True, slots=True)
class StoryState:
    story_id: str
    members: tuple[Member, ...] = ()
    names: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    merged_into: str | None = None
    touched: float = 0.0  # latest arrival of an article or a redirect it took in: its state's age
    # A story claimed before its founder's article arrived: merged into this one if it founds it.
    claimed_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = {
            "story_id": self.story_id,
            "members": [m.to_json() for m in self.members],
            "names": dict(self.names),
            "places": dict(self.places),
            "merged_into": self.merged_into,
            "touched": self.touched,
        }
        if self.claimed_by is not None:
            out["claimed_by"] = self.claimed_by
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoryState:
        return cls(
            story_id=str(data["story_id"]),
            members=tuple(Member.from_json(m) for m in data["members"]),
            names={str(k): int(v) for k, v in data["names"].items()},
            places={str(k): int(v) for k, v in data["places"].items()},
            merged_into=data.get("merged_into"),
            touched=float(data.get("touched", 0.0)),
            claimed_by=data.get("claimed_by"),
        )


def _counted(counts: Mapping[str, int], items: Iterable[str]) -> dict[str, int]:
    out = dict(counts)
    for item in dict.fromkeys(items):  # each article counts a name once
        out[item] = out.get(item, 0) + 1
    return out


def add_article(
    state: StoryState | None,
    story_id: str,
    member: Member,
    *,
    entity_names: Iterable[str],
    places: Iterable[str],
) -> StoryState:
    """``state`` (None: a new story ``story_id``) with ``member`` in it; unchanged if already there."""
    current = state if state is not None else StoryState(story_id)
    if any(m.id == member.id for m in current.members):
        return current
    return replace(
        current,
        members=(*current.members, member),
        names=_counted(current.names, entity_names),
        places=_counted(current.places, places),
        touched=max(current.touched, member.arrival),
    )


def redirected(state: StoryState | None, story_id: str, into: str, at: float) -> StoryState:
    """Story ``story_id`` (its state, None if nothing is stored yet) absorbed by story ``into``.

    The first redirect of a story wins: a story is absorbed once, so its ``merged_into`` never
    changes (a replayed redirect changes nothing).
    """
    current = state if state is not None else StoryState(story_id)
    if current.merged_into is not None or into == story_id:
        return current
    return replace(current, merged_into=into, touched=max(current.touched, at))


def absorb(into: StoryState | None, story_id: str, absorbed: StoryState) -> StoryState:
    """Story ``story_id`` (``into``'s state, None if new) with the members and counts of ``absorbed``.

    Members it already has are not added again, so absorbing twice changes nothing.
    """
    current = into if into is not None else StoryState(story_id)
    known = {m.id for m in current.members}
    moved = tuple(m for m in absorbed.members if m.id not in known)
    if not moved:
        return current
    names, places = dict(current.names), dict(current.places)
    for source, target in ((absorbed.names, names), (absorbed.places, places)):
        for key, count in source.items():
            target[key] = target.get(key, 0) + count
    touched = max(current.touched, absorbed.touched)
    return replace(current, members=(*current.members, *moved), names=names, places=places, touched=touched)


def _top(counts: Mapping[str, int], limit: int) -> list[str]:
    return [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def story_record(state: StoryState) -> StoryRecord:
    """The ``news.stories`` record of a story state (it must have at least one member)."""
    if not state.members:
        raise ValueError(f"story {state.story_id} has no articles")
    ordered = sorted(state.members, key=lambda m: (m.arrival, m.id))
    headline = next((m.title for m in ordered if m.title), None)
    return StoryRecord(
        id=state.story_id,
        headline=headline,
        first_seen=_utc(ordered[0].arrival),
        last_updated=_utc(max(m.arrival for m in ordered)),
        event_start=_utc(min(m.event_time for m in ordered)),
        event_end=_utc(max(m.event_time for m in ordered)),
        article_count=len(ordered),
        articles=[
            StoryArticle(m.id, m.source, m.title, _utc(m.event_time), m.duplicate_of, m.link) for m in ordered
        ],
        top_entities=_top(state.names, TOP_ENTITIES),
        top_places=_top(state.places, TOP_PLACES),
        merged_into=state.merged_into,
    )


def current_stories(records: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """What a consumer of the compacted topic rebuilds: the latest record per story id that was not
    merged away (records in topic order; a later record of an id replaces the earlier one)."""
    latest: dict[str, Mapping[str, Any]] = {}
    for record in records:
        latest[str(record["id"])] = record
    return {story_id: r for story_id, r in latest.items() if r.get("merged_into") is None}
