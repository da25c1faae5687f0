"""The stories desk: the owner of a story id folds story events into the ``stories`` table and
says which ``news.stories`` records to publish and which events to pass on (pure over a mapping).

Events, keyed (and partitioned) by the story id they are for:

- ``StoryJoin``: an article is in story ``story_id``. When that is not the story the article
  would have started itself (``founder_story``), the desk also sends a ``StoryRedirect`` to the
  founder story: another article may have joined it while this one was in flight (its story not
  yet recorded), which would otherwise leave a story id no story record ever names.
- ``StoryRedirect``: story ``story_id`` is absorbed by ``into``. If it has articles, its record
  goes out with ``merged_into`` and its state travels on as a ``StoryAbsorb``; if it has none yet,
  the redirect is kept, and articles that join it later are passed on to ``into``.
- ``StoryAbsorb``: story ``story_id`` takes in the articles of an absorbed story.
- ``StoryMove``: like a claim, for a later article that had already *joined* an older story
  ``story_id`` when the earlier one was decided: if it scores better against the earlier one's story
  ``into`` than its own link into ``story_id`` says (offline it would have taken the better of the
  two), the desk of ``story_id`` lists it (and its duplicates) as ``moved_to`` ``into`` and passes
  it on there; the article's record keeps ``story_id``, which still lists it. The first move that
  fits better wins; moves that come before the article's join are all kept until it does (keeping
  only the first left the others to a replay, decided differently once the story was absorbed).
- ``StoryClaim``: an article earlier in input order, decided after ``article`` (a burst over many
  partitions reaches the keys' owners out of input order), would have taken ``article`` into its
  story ``into``. If ``article`` founded story ``story_id`` (= ``new_story_id(article)``), that
  story is redirected into ``into``, as if ``article`` had seen the earlier one; if ``article``
  joined another story, nothing happens. A claim that comes before ``article`` is kept until it does.

Every step is idempotent (a replayed event changes nothing), so at-least-once delivery is enough;
an event for a story that was absorbed follows ``merged_into``, remembering the stories it passed
(``hops``; a move too, even when the absorbed story lists its article: its articles went on with
the absorb); the story it reaches remembers them (``led_from``): they lead to it, so an article
moved into one of them is back here, also once this story is absorbed by one that moved it. Two
reports racing each other can each join the other's founder story, so redirects can form a cycle;
an event that comes back to a story it passed breaks the cycle at the smallest story id of it,
which stops being absorbed and takes the articles in (all the others lead to it, and so do the
stories passed before the cycle: they stay its hops). That root keeps ``cycle_root``: it was
redirected once, so no later redirect or claim (a replay, one late on its way) redirects it again.
Only ``merged_into`` steps are hops: an article moved out of a story is passed on with
``moved_from``, so a move never looks like a cycle. A move into a story
that turns out to be merged into the story the article left comes back (``book.moved_back``): that
story counts it again, so ``moved_to`` never leads in a circle.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import orjson

from streamproc.models import StoryLink, StoryRecord, dumps
from streamproc.stories.book import (
    Member,
    StoryState,
    absorb,
    add_article,
    bounded_member,
    led_from,
    link_json,
    link_of,
    link_of_match,
    moved_back,
    moved_out,
    parse_link,
    redirected,
    story_record,
)
from streamproc.stories.profile import ArticleProfile
from streamproc.stories.score import StoryDecision, new_story_id


@dataclass(frozen=True, slots=True)
class StoryJoin:
    story_id: str
    founder_story: str  # the story the article would start: new_story_id(article id)
    member: Member
    entity_names: list[str]
    places: list[str]
    hops: tuple[str, ...] = ()  # stories it was passed on from (absorbed ones)
    root: bool = False  # the story it is for ends a cycle of redirects
    claims: tuple[str, ...] = ()  # later articles to claim (StoryDecision.claims)
    moves: tuple[StoryMove, ...] = ()  # later articles to take (StoryDecision.takes)
    # The story it was moved out of (a move, or a copy following its moved original): passed on,
    # not the article's own join. Not a hop: that story is no step of a chain of ``merged_into``.
    moved_from: str | None = None


@dataclass(frozen=True, slots=True)
class StoryClaim:
    story_id: str  # new_story_id(article)
    article: str
    into: str
    at: float  # arrival of the claiming article


@dataclass(frozen=True, slots=True)
class StoryMove:
    story_id: str  # the story the article joined
    article: str
    into: str
    link: StoryLink  # why it fits ``into`` (its score against it)
    at: float  # arrival of the taking article
    hops: tuple[str, ...] = ()  # absorbed stories it followed ``merged_into`` from
    root: bool = False  # the story it is for ends a cycle of redirects


@dataclass(frozen=True, slots=True)
class StoryRedirect:
    story_id: str
    into: str
    at: float  # arrival of the article that caused it


@dataclass(frozen=True, slots=True)
class StoryAbsorb:
    story_id: str
    absorbed: StoryState
    hops: tuple[str, ...] = ()
    root: bool = False


StoryEvent = StoryJoin | StoryRedirect | StoryAbsorb | StoryClaim | StoryMove


@dataclass(slots=True)
class DeskOutcome:
    records: list[StoryRecord] = field(default_factory=list)  # to publish on news.stories
    forward: list[StoryEvent] = field(default_factory=list)  # to send to their story's owner
    merges: int = 0  # stories absorbed by this event
    opened: int = 0  # change in the number of current stories: +1 a story starts, -1 it is merged away


def event_to_json(event: StoryEvent) -> dict[str, Any]:
    if isinstance(event, StoryJoin):
        return {
            "type": "join",
            "story_id": event.story_id,
            "founder_story": event.founder_story,
            "member": event.member.to_json(),
            "entity_names": list(event.entity_names),
            "places": list(event.places),
            "hops": list(event.hops),
            "root": event.root,
            "claims": list(event.claims),
            "moves": [_move_json(m) for m in event.moves],
            "moved_from": event.moved_from,
        }
    if isinstance(event, StoryMove):
        return _move_json(event)
    if isinstance(event, StoryClaim):
        return {
            "type": "claim",
            "story_id": event.story_id,
            "article": event.article,
            "into": event.into,
            "at": event.at,
        }
    if isinstance(event, StoryRedirect):
        return {"type": "redirect", "story_id": event.story_id, "into": event.into, "at": event.at}
    return {
        "type": "absorb",
        "story_id": event.story_id,
        "absorbed": event.absorbed.to_json(),
        "hops": list(event.hops),
        "root": event.root,
    }


def event_from_json(data: Mapping[str, Any]) -> StoryEvent:
    kind = data["type"]
    if kind == "join":
        return StoryJoin(
            story_id=str(data["story_id"]),
            founder_story=str(data["founder_story"]),
            member=Member.from_json(data["member"]),
            entity_names=[str(n) for n in data["entity_names"]],
            places=[str(p) for p in data["places"]],
            hops=tuple(str(h) for h in data.get("hops", ())),
            root=bool(data.get("root", False)),
            claims=tuple(str(c) for c in data.get("claims", ())),
            moves=tuple(_move_of(m) for m in data.get("moves", ())),
            moved_from=None if data.get("moved_from") is None else str(data["moved_from"]),
        )
    if kind == "move":
        return _move_of(data)
    if kind == "claim":
        return StoryClaim(str(data["story_id"]), str(data["article"]), str(data["into"]), float(data["at"]))
    if kind == "redirect":
        return StoryRedirect(str(data["story_id"]), str(data["into"]), float(data["at"]))
    if kind == "absorb":
        return StoryAbsorb(
            str(data["story_id"]),
            StoryState.from_json(data["absorbed"]),
            hops=tuple(str(h) for h in data.get("hops", ())),
            root=bool(data.get("root", False)),
        )
    raise ValueError(f"not a story event: {kind!r}")


def _move_json(event: StoryMove) -> dict[str, Any]:
    return {
        "type": "move",
        "story_id": event.story_id,
        "article": event.article,
        "into": event.into,
        "link": link_json(event.link),
        "at": event.at,
        "hops": list(event.hops),
        "root": event.root,
    }


def _move_of(data: Mapping[str, Any]) -> StoryMove:
    return StoryMove(
        story_id=str(data["story_id"]),
        article=str(data["article"]),
        into=str(data["into"]),
        link=parse_link(data["link"]),
        at=float(data["at"]),
        hops=tuple(str(h) for h in data.get("hops", ())),
        root=bool(data.get("root", False)),
    )


def encode_events(events: list[StoryEvent]) -> bytes:
    """A message of the story-events topic (events for stories of one partition, in order)."""
    return dumps({"type": "story_events", "v": 1, "events": [event_to_json(e) for e in events]})


def decode_events(data: bytes) -> list[StoryEvent]:
    message = orjson.loads(data)
    if message.get("type") != "story_events" or message.get("v") != 1:
        raise ValueError(
            f"not a story events message (layout 1): {message.get('type')!r} v{message.get('v')!r}"
        )
    return [event_from_json(e) for e in message["events"]]


def _load(table: Mapping[str, Any], story_id: str) -> StoryState | None:
    value = table.get(story_id)
    return None if value is None else StoryState.from_json(value)


def is_current(value: Mapping[str, Any] | None) -> bool:
    """Whether a stories table value is a current story: it has articles and was not merged away."""
    return value is not None and bool(value.get("members")) and value.get("merged_into") is None


def handle(table: MutableMapping[str, Any], event: StoryEvent) -> DeskOutcome:
    """Apply one event to the ``stories`` table (story id -> ``StoryState`` JSON).

    An event changes the table value of its own story id only, so ``opened`` compares that one."""
    before = is_current(table.get(event.story_id))
    outcome = _handle(table, event)
    outcome.opened = int(is_current(table.get(event.story_id))) - int(before)
    return outcome


def _handle(table: MutableMapping[str, Any], event: StoryEvent) -> DeskOutcome:
    state = _load(table, event.story_id)
    if isinstance(event, StoryRedirect):
        return _redirect(table, state, event)
    if isinstance(event, StoryClaim):
        return _claim(table, state, event)
    if state is not None and state.merged_into is not None and not event.root:
        return _absorbed(table, state, event)
    undone = state is not None and state.merged_into is not None
    if state is not None and undone:
        # The end of a cycle: absorbed no more, and never again (see ``book.redirected``).
        state = replace(state, merged_into=None, cycle_root=True)
        table[event.story_id] = state.to_json()
    outcome = _current(table, _led_from(table, state, event), event)
    if state is not None and undone and state.members:
        outcome.records.insert(0, story_record(state))
    return outcome


def _led_from(
    table: MutableMapping[str, Any], state: StoryState | None, event: StoryJoin | StoryAbsorb | StoryMove
) -> StoryState | None:
    """``state`` knowing that the stories ``event`` was passed on from lead here (no record says it)."""
    if not event.hops:
        return state
    current = state if state is not None else StoryState(event.story_id)
    known = replace(current, led_from=led_from(current, event.hops))
    if known != current:
        table[event.story_id] = known.to_json()
    return known


def _current(
    table: MutableMapping[str, Any], state: StoryState | None, event: StoryJoin | StoryAbsorb | StoryMove
) -> DeskOutcome:
    """An event for a story that is not absorbed (or no longer: a cycle's root)."""
    if isinstance(event, StoryMove):
        return _move(table, state, event)
    if isinstance(event, StoryJoin):
        return _join(table, state, event)
    updated = absorb(state, event.story_id, event.absorbed)
    if updated == state and not event.root:
        return DeskOutcome()
    table[event.story_id] = updated.to_json()
    outcome = DeskOutcome(records=[story_record(updated)])
    _follow_moved_originals(table, event.story_id, outcome)
    _settle_moves(table, updated, outcome)
    return outcome


def _follow_moved_originals(table: MutableMapping[str, Any], story_id: str, outcome: DeskOutcome) -> None:
    """Copies counted here whose original an absorb brought in as moved away go where it went (a
    copy's join may have been listed before the absorb said so: it counted in two stories)."""
    state = _load(table, story_id)
    assert state is not None
    moved = {m.id: m.moved_to for m in state.members if m.moved_to is not None}
    copies = [m for m in state.members if m.moved_to is None and not m.came_back and m.duplicate_of in moved]
    for copy in copies:
        into = moved[str(copy.duplicate_of)]
        state = moved_out(state, copy.id, into)
        outcome.forward.append(
            StoryJoin(into, new_story_id(copy.id), copy, entity_names=[], places=[], moved_from=story_id)
        )
    if copies:
        table[story_id] = state.to_json()
        outcome.records.append(story_record(state))


def _settle_moves(table: MutableMapping[str, Any], state: StoryState, outcome: DeskOutcome) -> None:
    """Moves that came before their article, decided now that it is listed (joined or absorbed)."""
    listed = {m.id for m in state.members}
    for waiting in [m for m in state.pending_moves.values() if m["article"] in listed]:
        current = _load(table, state.story_id)
        assert current is not None
        moved = _move(table, current, _move_of(waiting))
        outcome.records.extend(moved.records)
        outcome.forward.extend(moved.forward)


def fold(table: MutableMapping[str, Any], event: StoryEvent) -> DeskOutcome:
    """Apply ``event`` and every event it passes on to one table holding every story (the offline
    desk: the worker sends passed-on events to their story's owner instead)."""
    folded = DeskOutcome()
    waiting: deque[StoryEvent] = deque([event])
    while waiting:
        outcome = handle(table, waiting.popleft())
        folded.records.extend(outcome.records)
        folded.merges += outcome.merges
        folded.opened += outcome.opened
        waiting.extend(outcome.forward)
    return folded


_Passed = TypeVar("_Passed", bound=StoryJoin | StoryAbsorb | StoryMove)


def _absorbed(
    table: MutableMapping[str, Any], state: StoryState, event: StoryJoin | StoryAbsorb | StoryMove
) -> DeskOutcome:
    """An event for an absorbed story goes on to the absorbing one. An article joining it is also
    listed in it (published with ``merged_into``), so the story id the article carries has a record.
    A move goes on even if the article is listed here: its articles went on with the absorb."""
    assert state.merged_into is not None
    if isinstance(event, StoryJoin) and event.moved_from is None and _moved_away(state, event.member.id):
        # Moved out while this story was current (or listed so by a story it absorbed): this state,
        # with the move, went on with the absorb; passed on, a replayed join would count it there too.
        return DeskOutcome(forward=_own_decision(event))
    if not isinstance(event, StoryJoin) or not _own_join(event):
        return DeskOutcome(forward=[_passed_on(event, state.merged_into)])
    # The article's own join: its founder story, claims and moves go out from here (they are the
    # decision's, wherever the article ends), and the story id it carries lists it.
    passed = _passed_on(replace(event, claims=(), moves=()), state.merged_into)
    outcome = DeskOutcome(forward=[passed, *_own_decision(event)])
    listed = add_article(state, state.story_id, event.member, entity_names=[], places=[])
    if listed != state:
        table[state.story_id] = listed.to_json()
        outcome.records.append(story_record(listed))
        # Its first article: a story that was redirected empty has now been merged.
        outcome.merges = 0 if state.members else 1
    return outcome


def _moved_away(state: StoryState, article: str) -> bool:
    return any(m.id == article and m.moved_to is not None for m in state.members)


def _own_decision(event: StoryJoin) -> list[StoryEvent]:
    """What an article's own join sends besides itself: its founder redirect, claims and moves."""
    if not _own_join(event):
        return []
    return [*_founder_redirect(event), *_claims(event), *event.moves]


def _own_join(event: StoryJoin) -> bool:
    """The article's own join, as its decision sent it (not passed on: absorbed, moved, a cycle's end)."""
    return not event.hops and not event.root and event.moved_from is None


def _founder_redirect(event: StoryJoin) -> list[StoryEvent]:
    """The article's own founder story, if it is not where the article is: absorbed into it."""
    if event.story_id == event.founder_story:
        return []
    return [StoryRedirect(event.founder_story, event.story_id, event.member.arrival)]


def _passed_on(event: _Passed, into: str) -> _Passed:
    """``event`` for the story that absorbed its own; at a cycle, for the cycle's smallest story id."""
    hops = (*event.hops, event.story_id)
    if into not in hops:
        return replace(event, story_id=into, hops=hops)
    # Every hop, in the cycle or before it, leads to the cycle's root: all stay its hops (a move from
    # the root into one of them is no move; an article moved to one of them is back).
    return replace(event, story_id=min(hops[hops.index(into) :]), hops=hops, root=True)


def _join(table: MutableMapping[str, Any], state: StoryState | None, event: StoryJoin) -> DeskOutcome:
    outcome = DeskOutcome()
    outcome.forward.extend(_own_decision(event))
    listed = None if state is None else next((m for m in state.members if m.id == event.member.id), None)
    if state is not None and listed is not None and listed.moved_to in (*event.hops, *state.led_from):
        # Moved to a story that was merged into this one (it came back along ``merged_into``).
        state_back = moved_back(state, event.member.id)
        table[event.story_id] = state_back.to_json()
        outcome.records.append(story_record(state_back))
        return outcome
    updated = add_article(
        state, event.story_id, event.member, entity_names=event.entity_names, places=event.places
    )
    if updated != state or event.root:
        table[event.story_id] = updated.to_json()
        outcome.records.append(story_record(updated))
    original = next((m for m in updated.members if m.id == event.member.duplicate_of), None)
    counted = any(m.id == event.member.id and m.moved_to is None and not m.came_back for m in updated.members)
    if original is not None and original.moved_to is not None and counted:
        # A copy of an article that was moved away goes where its original went (counted here: it
        # may have been listed while this story was absorbed, a cycle's root now).
        followed = moved_out(updated, original.id, original.moved_to)
        table[event.story_id] = followed.to_json()
        outcome.records.append(story_record(followed))
        # Not ``root``: that marks the end of a cycle for this story; carried on, it undid the
        # merge of the story the copy follows to when that one had been absorbed.
        outcome.forward.append(
            replace(
                event,
                story_id=original.moved_to,
                hops=(),
                root=False,
                moved_from=event.story_id,
                claims=(),
                moves=(),
            )
        )
    if any(m["article"] == event.member.id for m in updated.pending_moves.values()):  # moves came first
        _settle_moves(table, updated, outcome)
    founded = event.story_id == event.founder_story and _own_join(event)
    if founded and updated.claimed_by is not None and updated.merged_into is None:
        # Claimed before its founder arrived: the founder would have joined the claiming story.
        outcome.forward.append(StoryRedirect(event.story_id, updated.claimed_by, event.member.arrival))
    return outcome


def _claims(event: StoryJoin) -> list[StoryEvent]:
    """The article's claims on later articles' own stories (sent to those stories' owners)."""
    return [
        StoryClaim(new_story_id(article), article, event.story_id, event.member.arrival)
        for article in event.claims
    ]


def _move(table: MutableMapping[str, Any], state: StoryState | None, event: StoryMove) -> DeskOutcome:
    """Move ``event.article`` from story ``event.story_id`` into ``event.into`` if it fits it better
    (see the module doc); follow ``merged_into``; keep the move until the article is listed."""
    listed = None if state is None else next((m for m in state.members if m.id == event.article), None)
    if listed is None:
        current = state if state is not None else StoryState(event.story_id)
        # Every move waits (not the first only): a replay of one passes on once this story is
        # absorbed, so all must reach the story that decides them.
        key = f"{event.article} {event.into}"
        if key in current.pending_moves:
            return DeskOutcome()
        pending = {**current.pending_moves, key: _move_json(event)}
        table[event.story_id] = replace(
            current, pending_moves=pending, touched=max(current.touched, event.at)
        ).to_json()
        return DeskOutcome()
    assert state is not None
    waiting = {
        k: v
        for k, v in state.pending_moves.items()
        if (v["article"], v["into"]) != (event.article, event.into)
    }
    if waiting != state.pending_moves:  # listed now: the move is decided below, once
        state = replace(state, pending_moves=waiting)
        table[event.story_id] = state.to_json()
    own = listed.link
    # Offline the article takes the better story: higher score, then (equal) the smaller id.
    better = own is not None and (
        event.link.score > own.score or (event.link.score == own.score and event.into < event.story_id)
    )
    if listed.moved_to is not None or listed.came_back or listed.duplicate_of is not None or not better:
        return DeskOutcome()
    if event.into in (event.story_id, *event.hops, *state.absorbed, *state.led_from):
        # ``into`` leads here (it was merged into this story): the article is there already. Decided
        # as if it had moved and come back, so this move, on whatever path it comes again, is none.
        back = replace(listed, came_back=True)
        table[event.story_id] = replace(
            state, members=tuple(back if m is listed else m for m in state.members)
        ).to_json()
        return DeskOutcome()
    updated = moved_out(state, event.article, event.into)
    updated = replace(
        updated,
        pending_moves={k: v for k, v in updated.pending_moves.items() if v["article"] != event.article},
    )
    table[event.story_id] = updated.to_json()
    joins: list[StoryEvent] = [
        StoryJoin(
            story_id=event.into,
            founder_story=new_story_id(m.id),
            member=replace(m, moved_to=None, link=event.link if m.id == event.article else m.link),
            entity_names=[],
            places=[],
            moved_from=event.story_id,
        )
        for m in state.members
        if m.moved_to is None and event.article in (m.id, m.duplicate_of)
    ]
    return DeskOutcome(records=[story_record(updated)], forward=joins)


def _claim(table: MutableMapping[str, Any], state: StoryState | None, event: StoryClaim) -> DeskOutcome:
    """Story ``event.story_id`` is redirected into ``event.into`` if its founder ``event.article``
    founded it; remembered until then (the first claim wins, like the first redirect)."""
    redirected_once = state is not None and (state.merged_into is not None or state.cycle_root)
    if redirected_once or (state is not None and state.claimed_by is not None):
        return DeskOutcome()
    if state is not None and any(m.id == event.article for m in state.members):
        return _redirect(table, state, StoryRedirect(event.story_id, event.into, event.at))
    current = state if state is not None else StoryState(event.story_id)
    table[event.story_id] = replace(
        current, claimed_by=event.into, touched=max(current.touched, event.at)
    ).to_json()
    return DeskOutcome()


def _redirect(table: MutableMapping[str, Any], state: StoryState | None, event: StoryRedirect) -> DeskOutcome:
    updated = redirected(state, event.story_id, event.into, event.at)
    if updated == state:
        return DeskOutcome()
    # Moves waiting for an article not listed here pass on: it will be where this story goes (a
    # late joiner is passed on too; an absorbed story keeps no moves, see ``book.absorb``).
    waiting: list[StoryEvent] = [_passed_on(_move_of(m), event.into) for m in updated.pending_moves.values()]
    updated = replace(updated, pending_moves={})
    table[event.story_id] = updated.to_json()
    if not updated.members:  # nobody joined it (yet)
        return DeskOutcome(forward=waiting)
    return DeskOutcome(
        records=[story_record(updated)], forward=[*waiting, StoryAbsorb(event.into, updated)], merges=1
    )


def join_event(
    *,
    record: Mapping[str, Any],
    arrival: float,
    profile: ArticleProfile | None,
    decision: StoryDecision,
    entity_names: list[str],
) -> StoryJoin:
    """The ``StoryJoin`` of a resolved article (its published record, replay-stable arrival time)."""
    article_id = str(record["id"])
    event_time = arrival if profile is None else profile.event_time(arrival)
    dedup = record.get("dedup") or {}
    member = bounded_member(  # the story's state and events stay bounded (book.MAX_TITLE_CHARS)
        Member(
            id=article_id,
            source=record.get("source"),
            title=record.get("title"),
            arrival=arrival,
            event_time=event_time,
            duplicate_of=dedup.get("duplicate_of"),
            link=link_of(decision),
        )
    )
    return StoryJoin(
        story_id=decision.story_id,
        founder_story=new_story_id(article_id),
        member=member,
        entity_names=list(entity_names),
        places=[] if profile is None else list(profile.places),
        claims=tuple(decision.claims),
        moves=tuple(
            StoryMove(t.joined, t.article, decision.story_id, link_of_match(t.link), arrival)
            for t in decision.takes
        ),
    )
