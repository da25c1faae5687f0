"""The stories desk under any burst: whatever the joins, claims and moves a burst over several
partitions produces, delivered in any order and any number of times, every story id an article
carries leads (``merged_into``, then ``moved_to``) to the one current story that lists it.

Pure: the desk's ``handle`` over one table holding every story, events and what they pass on taken
from a queue in an order hypothesis draws (it also draws which ones are delivered again).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import orjson
from hypothesis import HealthCheck, Phase, given, note, seed, settings
from hypothesis import strategies as st

from streamproc.models import StoryLink, dumps
from streamproc.stories.book import Member, article_story
from streamproc.stories.desk import (
    StoryEvent,
    StoryJoin,
    StoryMove,
    event_from_json,
    event_to_json,
    handle,
)
from streamproc.stories.score import new_story_id

T0 = 1_773_000_000.0
SCORES = (0.2, 0.3, 0.4)


@dataclass(frozen=True, slots=True)
class Decided:
    """One article's story decision as a burst can produce it (indices of the burst's articles)."""

    story_of: int  # it joined the founder story of this article (itself: it started its story)
    score: float  # its link into that story (unused when it started it)
    duplicate_of: int | None  # a copy of an earlier article: joins where that one's decision said
    claims: tuple[int, ...]  # later articles it claims
    moves: tuple[tuple[int, bool, float], ...]  # (article, sent to its founder story?, score)


def article(index: int) -> str:
    return f"a-{index}"


def founder(index: int) -> str:
    return new_story_id(article(index))


def join_of(index: int, decided: Decided, decisions: list[Decided]) -> StoryJoin:
    """The ``StoryJoin`` the join sends for article ``index`` (see ``desk.join_event``)."""
    story = founder(decided.story_of)
    link = None
    if decided.duplicate_of is not None:
        story = founder(decisions[decided.duplicate_of].story_of)
    elif decided.story_of != index:
        link = StoryLink(article(decided.story_of), decided.score, ["flood"], [])
    duplicate_of = None if decided.duplicate_of is None else article(decided.duplicate_of)
    member = Member(article(index), "Outlet", f"Title {index}", T0 + index, T0 + index, duplicate_of, link)
    moves = tuple(
        StoryMove(
            founder(other) if via_founder else founder(decisions[other].story_of),
            article(other),
            story,
            StoryLink(article(index), score, ["flood"], []),
            T0 + index,
        )
        for other, via_founder, score in decided.moves
    )
    claims = tuple(article(other) for other in decided.claims)
    if duplicate_of is not None:  # a copy takes its original's story and decides nothing
        claims, moves = (), ()
    return StoryJoin(story, founder(index), member, ["nepal"], ["bajhang"], claims=claims, moves=moves)


@st.composite
def bursts(draw: st.DrawFn, most: int = 5, one_taker: bool = False) -> list[StoryJoin]:
    """The joins of 3 to ``most`` articles. ``one_taker``: an article is the subject of one
    article's moves at most."""
    count = draw(st.integers(3, most))
    others = st.integers(0, count - 1)
    decisions: list[Decided] = []
    for index in range(count):
        originals = [i for i, d in enumerate(decisions) if d.duplicate_of is None]
        copy = draw(st.none() | st.sampled_from(originals)) if originals else None
        decisions.append(
            Decided(
                story_of=draw(others),
                score=draw(st.sampled_from(SCORES)),
                duplicate_of=copy,
                claims=tuple(draw(st.sets(others.filter(lambda o, i=index: o != i), max_size=2))),
                moves=tuple(
                    draw(
                        st.lists(
                            st.tuples(
                                others.filter(lambda o, i=index: o != i),
                                st.booleans(),
                                st.sampled_from(SCORES),
                            ),
                            max_size=2,
                            unique_by=lambda m: m[0],
                        )
                    )
                ),
            )
        )
    if one_taker:
        taken: set[int] = set()
        for index, decided in enumerate(decisions):
            moves = tuple(m for m in decided.moves if m[0] not in taken)
            taken.update(m[0] for m in moves)
            decisions[index] = replace(decided, moves=moves)
    return [join_of(index, decided, decisions) for index, decided in enumerate(decisions)]


def short(event: StoryEvent) -> str:
    """An event in a line, for hypothesis' notes of a failing example."""
    fields = event_to_json(event)
    fields.pop("member", None), fields.pop("absorbed", None), fields.pop("entity_names", None)
    fields.pop("places", None), fields.pop("link", None)
    if isinstance(event, StoryJoin):
        fields["article"] = event.member.id
    return " ".join(f"{k}={v}" for k, v in fields.items() if v not in ((), [], False, None))


def wire(event: StoryEvent) -> StoryEvent:
    """The event as it comes off the story-events topic."""
    return event_from_json(orjson.loads(orjson.dumps(event_to_json(event))))


def deliver(data: st.DataObject, joins: list[StoryJoin]) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    """Every event delivered, in a drawn order, some twice: the table, the latest record per story
    id and every event delivered."""
    table: dict[str, Any] = {}
    latest: dict[str, Any] = {}
    queue: list[StoryEvent] = list(joins)
    delivered: list[StoryEvent] = []
    replays = 0
    while queue:
        assert len(delivered) < 2000, "events still moving after 2000 steps"
        event = queue.pop(data.draw(st.integers(0, len(queue) - 1)))
        if replays < 6 and data.draw(st.booleans()):  # at-least-once: this one comes again later
            queue.append(event)
            replays += 1
        outcome = handle(table, wire(event))
        note(f"{len(delivered)}: {short(event)} -> {[(r.id, r.merged_into) for r in outcome.records]}")
        delivered.append(event)
        for record in outcome.records:
            latest[record.id] = orjson.loads(dumps(record))
        queue.extend(outcome.forward)
    return table, latest, delivered


def listed(entry: dict[str, Any], name: str) -> bool:
    """A record's article entry is ``name``, counted there (not moved away)."""
    return bool(entry["id"] == name and not entry.get("moved_to"))


def check_no_orphans(joins: list[StoryJoin], latest: dict[str, Any]) -> None:
    for story_id, record in sorted(latest.items()):
        entries = [f"{a['id']}>{a['moved_to']}" if a.get("moved_to") else a["id"] for a in record["articles"]]
        note(f"record {story_id} merged_into={record['merged_into']} articles={entries}")
    for story_id, record in latest.items():  # no merged_into loop
        seen = {story_id}
        while record["merged_into"] is not None:
            assert record["merged_into"] not in seen, f"merged_into loop through {story_id}"
            seen.add(record["merged_into"])
            record = latest.get(record["merged_into"], {"merged_into": None})
    current = {s: r for s, r in latest.items() if r["merged_into"] is None}
    for join in joins:
        name = join.member.id
        holding = [s for s, r in current.items() if any(listed(a, name) for a in r["articles"])]
        found = article_story(latest, join.story_id, name)
        assert found is not None, f"{name}: story id {join.story_id} is an orphan"
        assert holding == [found], f"{name}: found {found}, held by {holding}"
        if join.member.duplicate_of is not None:  # a copy is in its original's story
            original = next(j for j in joins if j.member.id == join.member.duplicate_of)
            assert article_story(latest, original.story_id, original.member.id) == found


# Derandomized: the same 300 bursts in every run.
@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(bursts(most=4, one_taker=True), st.data())
def test_every_story_id_leads_to_the_one_story_that_lists_its_article(
    joins: list[StoryJoin], data: st.DataObject
) -> None:
    check_burst(joins, data)


# Derandomized: the same 1,500 bursts every run (they found the cases of test_story_desk.py's cycle,
# led_from, waiting-moves and copy tests before those were fixed). Not shrunk (that takes minutes).
@settings(
    max_examples=1500,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(bursts(), st.data())
def test_any_burst_of_up_to_five_leaves_no_orphan_id(joins: list[StoryJoin], data: st.DataObject) -> None:
    check_burst(joins, data)


# Seeded: bursts the derandomized ones above do not draw; they found three causes of an article counted
# in two current stories (README, "Stories", causes 7-9), each now with a unit test in test_story_desk.py.
@seed(6)
@settings(
    max_examples=1500,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(bursts(), st.data())
def test_any_burst_of_up_to_five_counts_each_article_once(
    joins: list[StoryJoin], data: st.DataObject
) -> None:
    check_burst(joins, data)


def check_burst(joins: list[StoryJoin], data: st.DataObject) -> None:
    note(f"stories: {[(article(i), founder(i)) for i in range(len(joins))]}")
    table, latest, delivered = deliver(data, joins)
    for story_id, value in sorted(table.items()):
        note(f"table {story_id}: {value}")
    check_no_orphans(joins, latest)
    # Replaying any event (and what it passes on) publishes nothing new; the table may settle a
    # decision a replay took another path to (a move found void), after which a replay changes
    # nothing at all.
    for strict in (False, True):
        for event in delivered:
            before = {k: dict(v) for k, v in table.items()}
            replay(table, latest, event)
            assert not strict or table == before, f"replay of {short(event)} changed the table"
    check_no_orphans(joins, latest)


def replay(table: dict[str, Any], latest: dict[str, Any], event: StoryEvent) -> None:
    """Deliver ``event`` again, and what it passes on: every record it publishes is the latest."""
    waiting: list[StoryEvent] = [event]
    while waiting:
        outcome = handle(table, wire(waiting.pop(0)))
        for record in outcome.records:
            published = orjson.loads(dumps(record))
            changed = f"replay of {short(event)} changed {record.id}: {published} (was {latest[record.id]})"
            assert published == latest[record.id], changed
        waiting.extend(outcome.forward)
