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
from streamproc.stories.score import StoryDecision, StoryMatch

TOP_ENTITIES = 8
TOP_PLACES = 5
# A story's state stays bounded however many articles it has: it lists its first article and its
# latest MAX_MEMBERS - 1 (the record's article_count is the true count), and counts the
# MAX_COUNTED most named entities and places.
MAX_MEMBERS = 100
MAX_COUNTED = 64
# A title or a name is as long as its input lets it be: each text a story keeps (its state, its
# story events) and publishes is cut to these many characters, so a record of MAX_MEMBERS articles
# stays under STORY_RECORD_MAX_BYTES (below Kafka's default max.message.bytes, 1,048,588) and no
# topic refuses a story for its size (a refused story record would stop the worker).
MAX_TITLE_CHARS = 300
MAX_SOURCE_CHARS = 120
MAX_NAME_CHARS = 80  # an entity or place name, a link's shared term or name
STORY_RECORD_MAX_BYTES = 1_000_000


def cut(text: str | None, limit: int) -> str | None:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when cut."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "\u2026"


def _names(items: Iterable[str]) -> list[str]:
    return [cut(item, MAX_NAME_CHARS) or "" for item in items]


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
    # Moved to another story (a race undone, see desks's StoryTake): still listed, so the story id
    # the article's record carries leads to it; counted there, not here.
    moved_to: str | None = None
    # Moved, then found back here (the story it was moved to leads here through ``merged_into``):
    # counted here again, and never moved again (the first move wins).
    came_back: bool = False

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
        if self.moved_to is not None:
            out["moved_to"] = self.moved_to
        if self.came_back:
            out["came_back"] = True
        if self.link is not None:
            out["link"] = link_json(self.link)
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
            moved_to=data.get("moved_to"),
            came_back=bool(data.get("came_back", False)),
            link=None if link is None else parse_link(link),
        )


def link_json(link: StoryLink) -> dict[str, Any]:
    return {
        "linked_to": link.linked_to,
        "score": link.score,
        "shared_terms": list(link.shared_terms),
        "shared_names": list(link.shared_names),
    }


def parse_link(data: Mapping[str, Any]) -> StoryLink:
    return StoryLink(
        linked_to=str(data["linked_to"]),
        score=float(data["score"]),
        shared_terms=[str(t) for t in data["shared_terms"]],
        shared_names=[str(n) for n in data["shared_names"]],
    )


def link_of_match(found: StoryMatch) -> StoryLink:
    return StoryLink(
        linked_to=found.linked_article,
        score=found.score,
        shared_terms=_names(found.shared_terms),
        shared_names=_names(found.shared_names),
    )


def bounded_member(member: Member) -> Member:
    """``member`` with its texts cut (see ``MAX_TITLE_CHARS``)."""
    link = member.link
    if link is not None:
        link = replace(link, shared_terms=_names(link.shared_terms), shared_names=_names(link.shared_names))
    title, source = cut(member.title, MAX_TITLE_CHARS), cut(member.source, MAX_SOURCE_CHARS)
    return replace(member, title=title, source=source, link=link)


def link_of(decision: StoryDecision) -> StoryLink | None:
    """Why an article joined, from its story decision (None: it started its story)."""
    return None if decision.link is None else link_of_match(decision.link)


@dataclass(frozen=True, slots=True)
class Span:
    """What a story record says of all its articles, kept apart from the (bounded) member list."""

    count: int = 0  # articles in the story
    first_seen: float = 0.0  # earliest arrival
    last_updated: float = 0.0  # latest arrival
    event_start: float = 0.0
    event_end: float = 0.0
    # The title of the earliest-arriving article that has one, with its (arrival, id) to compare.
    headline: tuple[float, str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "first_seen": self.first_seen,
            "last_updated": self.last_updated,
            "event_start": self.event_start,
            "event_end": self.event_end,
            "headline": None if self.headline is None else list(self.headline),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Span:
        headline = data.get("headline")
        return cls(
            count=int(data["count"]),
            first_seen=float(data["first_seen"]),
            last_updated=float(data["last_updated"]),
            event_start=float(data["event_start"]),
            event_end=float(data["event_end"]),
            headline=None if headline is None else (float(headline[0]), str(headline[1]), str(headline[2])),
        )

    def plus(self, member: Member) -> Span:
        """The span with one more article."""
        return self.merged(Span.of([member]))

    def merged(self, other: Span) -> Span:
        """Both spans' articles (no article in both)."""
        if not self.count or not other.count:
            return other if not self.count else self
        headlines = [h for h in (self.headline, other.headline) if h is not None]
        return Span(
            count=self.count + other.count,
            first_seen=min(self.first_seen, other.first_seen),
            last_updated=max(self.last_updated, other.last_updated),
            event_start=min(self.event_start, other.event_start),
            event_end=max(self.event_end, other.event_end),
            headline=min(headlines) if headlines else None,
        )

    @classmethod
    def of(cls, members: Iterable[Member]) -> Span:
        """The span of the listed articles that were not moved away."""
        listed = [m for m in members if m.moved_to is None]
        if not listed:
            return cls()
        titled = [(m.arrival, m.id, m.title) for m in listed if m.title]
        return cls(
            count=len(listed),
            first_seen=min(m.arrival for m in listed),
            last_updated=max(m.arrival for m in listed),
            event_start=min(m.event_time for m in listed),
            event_end=max(m.event_time for m in listed),
            headline=min(titled) if titled else None,
        )


@dataclass(frozen=True, slots=True)
class StoryState:
    """A story as the ``stories`` table holds it: bounded whatever its size (see ``MAX_MEMBERS``).

    ``members``: its first article and its latest ``MAX_MEMBERS - 1`` (by arrival, then id);
    ``span``: the count, times and headline of all its articles; ``names``/``places``: how many
    articles named each, the ``MAX_COUNTED`` most named kept; ``absorbed``: the latest stories it
    took in, and those they had taken in (``MAX_MEMBERS`` of them), so absorbing one twice changes
    nothing and a move into one of them is no move.
    """

    story_id: str
    members: tuple[Member, ...] = ()
    names: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    merged_into: str | None = None
    touched: float = 0.0  # latest arrival of an article or a redirect it took in: its state's age
    # A story claimed before its founder's article arrived: merged into this one if it founds it.
    claimed_by: str | None = None
    span: Span = field(default_factory=Span)
    absorbed: tuple[str, ...] = ()
    # Moves of articles not listed yet (their join is still on its way): article -> the move's JSON.
    pending_moves: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Its redirect was undone to end a cycle of redirects (desk.py): it has been redirected once,
    # so, like any story absorbed once, it is never redirected again (a replayed redirect, a late
    # claim) and stays where every story of the cycle leads.
    cycle_root: bool = False
    # Stories known to lead here through ``merged_into`` without having been absorbed here (yet):
    # the hops of the events it took in (``MAX_MEMBERS`` latest). An article moved into one of them
    # is here.
    led_from: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "story_id": self.story_id,
            "members": [m.to_json() for m in self.members],
            "names": dict(self.names),
            "places": dict(self.places),
            "merged_into": self.merged_into,
            "touched": self.touched,
            "span": self.span.to_json(),
        }
        if self.claimed_by is not None:
            out["claimed_by"] = self.claimed_by
        if self.absorbed:
            out["absorbed"] = list(self.absorbed)
        if self.pending_moves:
            out["pending_moves"] = dict(self.pending_moves)
        if self.cycle_root:
            out["cycle_root"] = True
        if self.led_from:
            out["led_from"] = list(self.led_from)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StoryState:
        members = tuple(Member.from_json(m) for m in data["members"])
        span = data.get("span")
        return cls(
            story_id=str(data["story_id"]),
            members=members,
            names={str(k): int(v) for k, v in data["names"].items()},
            places={str(k): int(v) for k, v in data["places"].items()},
            merged_into=data.get("merged_into"),
            touched=float(data.get("touched", 0.0)),
            claimed_by=data.get("claimed_by"),
            # A value written before spans were kept lists every article it has.
            span=Span.of(members) if span is None else Span.from_json(span),
            absorbed=tuple(str(a) for a in data.get("absorbed", ())),
            pending_moves={str(k): dict(v) for k, v in data.get("pending_moves", {}).items()},
            cycle_root=bool(data.get("cycle_root", False)),
            led_from=tuple(str(s) for s in data.get("led_from", ())),
        )


def _counted(counts: Mapping[str, int], items: Iterable[str]) -> dict[str, int]:
    out = dict(counts)
    for item in dict.fromkeys(_names(items)):  # each article counts a name once
        out[item] = out.get(item, 0) + 1
    return _bounded_counts(out)


def _bounded_counts(counts: dict[str, int]) -> dict[str, int]:
    """The ``MAX_COUNTED`` most counted (ties: by name): a story's name counts stay bounded."""
    if len(counts) <= MAX_COUNTED:
        return counts
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_COUNTED])


def _bounded_members(members: Iterable[Member]) -> tuple[Member, ...]:
    """Members by (arrival, id): the first, and the latest ``MAX_MEMBERS - 1``."""
    ordered = sorted(members, key=lambda m: (m.arrival, m.id))
    if len(ordered) <= MAX_MEMBERS:
        return tuple(ordered)
    return (ordered[0], *ordered[len(ordered) - MAX_MEMBERS + 1 :])


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
    listed = next((m for m in current.members if m.id == member.id), None)
    if listed is not None and listed.moved_to != story_id:
        return current
    if listed is not None:  # listed as moved here by a story this one absorbed: now it is here
        current = replace(current, members=tuple(m for m in current.members if m.id != member.id))
    return replace(
        current,
        members=_bounded_members((*current.members, member)),
        names=_counted(current.names, entity_names),
        places=_counted(current.places, places),
        touched=max(current.touched, member.arrival),
        span=current.span.plus(member),
    )


def moved_out(state: StoryState, article: str, into: str) -> StoryState:
    """``state`` with ``article`` and its duplicates listed as moved to story ``into``: no longer
    counted (the span is recomputed when the story lists all its articles, else its count drops)."""
    moving = {m.id for m in state.members if m.moved_to is None and article in (m.id, m.duplicate_of)}
    return _listed_as_moved(state, dict.fromkeys(moving, into))


def _listed_as_moved(state: StoryState, moving: Mapping[str, str]) -> StoryState:
    """``state`` with the counted articles of ``moving`` (article -> story) listed as moved there."""
    moving = {
        a: into for a, into in moving.items() if any(m.id == a and m.moved_to is None for m in state.members)
    }
    if not moving:
        return state
    members = tuple(replace(m, moved_to=moving[m.id]) if m.id in moving else m for m in state.members)
    complete = state.span.count == sum(1 for m in state.members if m.moved_to is None)
    span = Span.of(members) if complete else replace(state.span, count=state.span.count - len(moving))
    return replace(state, members=members, span=span)


def moved_back(state: StoryState, article: str) -> StoryState:
    """``state`` with ``article``, listed as moved, counted here again: the story it was moved to
    leads back here through ``merged_into`` (it was merged into this one), so here it is."""
    listed = next((m for m in state.members if m.id == article and m.moved_to is not None), None)
    if listed is None:
        return state
    back = replace(listed, moved_to=None, came_back=True)
    members = tuple(back if m.id == article else m for m in state.members)
    return replace(state, members=members, span=state.span.plus(back))


def redirected(state: StoryState | None, story_id: str, into: str, at: float) -> StoryState:
    """Story ``story_id`` (its state, None if nothing is stored yet) absorbed by story ``into``.

    The first redirect of a story wins: a story is absorbed once, so its ``merged_into`` never
    changes (a replayed redirect changes nothing), and a cycle's root, whose redirect was undone,
    is never redirected again.
    """
    current = state if state is not None else StoryState(story_id)
    if current.merged_into is not None or current.cycle_root or into == story_id:
        return current
    return replace(current, merged_into=into, touched=max(current.touched, at))


def absorb(into: StoryState | None, story_id: str, absorbed: StoryState) -> StoryState:
    """Story ``story_id`` (``into``'s state, None if new) with the articles and counts of ``absorbed``.

    Absorbing a story twice changes nothing (its id is remembered, and members it already lists
    are not added again).
    """
    current = into if into is not None else StoryState(story_id)
    if absorbed.story_id in current.absorbed:
        return current
    # An article this story lists as moved to the absorbed story (or to one it absorbed) is here.
    here = {absorbed.story_id, *absorbed.absorbed, *absorbed.led_from}
    live = {m.id for m in absorbed.members if m.moved_to is None}
    for member in current.members:
        if member.moved_to in here and member.id in live:
            current = moved_back(current, member.id)
    # An article listed here while this story was absorbed (a cycle's root now) went on with its
    # join to the absorbed story, which moved it: counted where it went, unless that leads here.
    leads_here = {story_id, *here, *current.absorbed, *current.led_from}
    counted = {m.id for m in current.members if m.moved_to is None and not m.came_back}
    current = _listed_as_moved(
        current,
        {
            m.id: m.moved_to
            for m in absorbed.members
            if m.id in counted and m.moved_to is not None and m.moved_to not in leads_here
        },
    )
    known = {m.id for m in current.members}
    # An article the absorbed story lists as moved here is here (its move-in may still be on its way).
    moved = tuple(
        replace(m, moved_to=None) if m.moved_to == story_id else m
        for m in absorbed.members
        if m.id not in known
    )
    if not moved:
        return current
    names, places = dict(current.names), dict(current.places)
    for source, target in ((absorbed.names, names), (absorbed.places, places)):
        for key, count in source.items():
            target[key] = target.get(key, 0) + count
    # Articles listed in both were counted in both spans: once here.
    both = Span.of(m for m in absorbed.members if m.id in known)
    arrived = Span.of(replace(m, moved_to=None) for m in absorbed.members if m.moved_to == story_id)
    span = current.span.merged(replace(absorbed.span, count=absorbed.span.count - both.count)).merged(arrived)
    return replace(
        current,
        members=_bounded_members((*current.members, *moved)),
        names=_bounded_counts(names),
        places=_bounded_counts(places),
        touched=max(current.touched, absorbed.touched),
        span=span,
        # With the stories it had absorbed: all of them lead here now.
        absorbed=tuple(dict.fromkeys((*current.absorbed, *absorbed.absorbed, absorbed.story_id)))[
            -MAX_MEMBERS:
        ],
        led_from=led_from(current, absorbed.led_from),
    )


def led_from(state: StoryState, hops: Iterable[str]) -> tuple[str, ...]:
    """The stories known to lead to ``state``'s, with ``hops`` (bounded, see ``StoryState.led_from``)."""
    known = (*state.led_from, *(h for h in hops if h != state.story_id))
    return tuple(dict.fromkeys(known))[-MAX_MEMBERS:]


def _top(counts: Mapping[str, int], limit: int) -> list[str]:
    return [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def story_record(state: StoryState) -> StoryRecord:
    """The ``news.stories`` record of a story state (it must have at least one member)."""
    if not state.members:
        raise ValueError(f"story {state.story_id} has no articles")
    # Texts cut here too: a state stored before they were cut at the join may hold longer ones.
    ordered = sorted((bounded_member(m) for m in state.members), key=lambda m: (m.arrival, m.id))
    span = state.span
    return StoryRecord(
        id=state.story_id,
        headline=None if span.headline is None else cut(span.headline[2], MAX_TITLE_CHARS),
        first_seen=_utc(span.first_seen),
        last_updated=_utc(span.last_updated),
        event_start=_utc(span.event_start),
        event_end=_utc(span.event_end),
        article_count=span.count,
        articles=[
            StoryArticle(m.id, m.source, m.title, _utc(m.event_time), m.duplicate_of, m.link, m.moved_to)
            for m in ordered
        ],
        top_entities=_names(_top(state.names, TOP_ENTITIES)),
        top_places=_names(_top(state.places, TOP_PLACES)),
        merged_into=state.merged_into,
    )


def current_stories(records: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """What a consumer of the compacted topic rebuilds: the latest record per story id that was not
    merged away (records in topic order; a later record of an id replaces the earlier one)."""
    latest: dict[str, Mapping[str, Any]] = {}
    for record in records:
        latest[str(record["id"])] = record
    return {story_id: r for story_id, r in latest.items() if r.get("merged_into") is None}


def article_story(latest: Mapping[str, Mapping[str, Any]], story_id: str, article: str) -> str | None:
    """The current story of ``article`` whose record carries ``story_id``, as a consumer of the
    compacted topic finds it (``latest``: the last record per story id): follow ``merged_into``, then
    ``moved_to`` where the story lists the article as moved. None: an orphan (no record, not listed,
    or a loop)."""
    seen: set[str] = set()
    while story_id in latest and story_id not in seen:
        seen.add(story_id)
        record = latest[story_id]
        if record.get("merged_into") is not None:
            story_id = str(record["merged_into"])
            continue
        listed = next((a for a in record["articles"] if a["id"] == article), None)
        if listed is None:
            return None
        if listed.get("moved_to") is None:
            return story_id
        story_id = str(listed["moved_to"])
    return None
