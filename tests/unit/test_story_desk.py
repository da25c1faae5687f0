"""The stories desk: races between reports end in one story whatever order events arrive in."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import orjson
import pytest

from streamproc.config import Settings
from streamproc.join.owner import partition_of_key
from streamproc.metrics import create_metrics
from streamproc.models import StoryLink, dumps
from streamproc.stories.book import Member, Span, StoryState, article_story, current_stories, story_record
from streamproc.stories.desk import (
    StoryAbsorb,
    StoryClaim,
    StoryEvent,
    StoryJoin,
    StoryMove,
    StoryRedirect,
    event_from_json,
    event_to_json,
    fold,
    handle,
    is_current,
)
from streamproc.stories.score import new_story_id
from streamproc.stories.sweep import StorySweeper, event_arrival, is_story_key, open_count_key

T0 = 1_773_000_000.0


def join(article: str, story: str, t: float) -> StoryJoin:
    member = Member(article, "Outlet", f"Title {article}", T0 + t, T0 + t)
    return StoryJoin(story, new_story_id(article), member, entity_names=["nepal"], places=["bajhang"])


def run(events: list[StoryEvent], seed: int) -> tuple[list[dict[str, Any]], int]:
    """Deliver ``events`` and everything they pass on, in a random order; the published records."""
    rng = random.Random(seed)
    table: dict[str, Any] = {}
    queue = list(events)
    records: list[dict[str, Any]] = []
    merges = opened = 0
    for _ in range(1000):
        if not queue:
            break
        event = queue.pop(rng.randrange(len(queue)))
        outcome = handle(table, event_from_json(orjson.loads(orjson.dumps(event_to_json(event)))))
        records.extend(orjson.loads(dumps(r)) for r in outcome.records)
        queue.extend(outcome.forward)
        merges += outcome.merges
        opened += outcome.opened
    assert not queue, "events still moving after 1000 steps"
    # The stories_open gauge's account: the changes add up to the current stories, in any order.
    assert opened == sum(is_current(v) for v in table.values()) == len(current_stories(records))
    return records, merges


def resolve(records: list[dict[str, Any]], story_id: str) -> str:
    """The current story of an id, following ``merged_into`` as a consumer of news.stories would."""
    latest = {r["id"]: r for r in records}
    seen = []
    while latest[story_id]["merged_into"] is not None:
        assert story_id not in seen, f"merged_into cycle {seen}"
        seen.append(story_id)
        story_id = latest[story_id]["merged_into"]
    return story_id


def test_joining_publishes_the_story_and_a_replay_changes_nothing() -> None:
    table: dict[str, Any] = {}
    first = handle(table, join("a-1", new_story_id("a-1"), 0))
    assert [r.article_count for r in first.records] == [1] and first.forward == []
    again = handle(table, join("a-1", new_story_id("a-1"), 0))
    assert again.records == [] and again.forward == []


@pytest.mark.parametrize("seed", range(12))
def test_an_article_that_joined_a_story_in_flight_ends_in_its_final_story(seed: int) -> None:
    # B joined A's founder story while A was in flight; A itself joined the older story of O.
    story_o = new_story_id("a-o")
    events: list[StoryEvent] = [
        join("a-o", story_o, 0),
        join("a-b", new_story_id("a-a"), 20),
        join("a-a", story_o, 10),
    ]
    records, merges = run(events, seed)
    assert merges == 1
    for story in (story_o, new_story_id("a-a")):  # every id an article carries has a record
        assert resolve(records, story) == story_o
    current = current_stories(records)
    assert list(current) == [story_o]
    assert sorted(a["id"] for a in current[story_o]["articles"]) == ["a-a", "a-b", "a-o"]


@pytest.mark.parametrize("seed", range(12))
def test_two_reports_that_joined_each_other_end_in_one_story(seed: int) -> None:
    # Each saw the other in flight: F joined G's founder story and G joined F's.
    story_f, story_g = new_story_id("a-f"), new_story_id("a-g")
    events: list[StoryEvent] = [join("a-f", story_g, 0), join("a-g", story_f, 1), join("a-h", story_f, 2)]
    records, _ = run(events, seed)
    root = resolve(records, story_f)
    assert root == resolve(records, story_g) == min(story_f, story_g)
    current = current_stories(records)
    assert list(current) == [root]
    assert sorted(a["id"] for a in current[root]["articles"]) == ["a-f", "a-g", "a-h"]


def test_a_redirect_is_kept_for_articles_that_join_later() -> None:
    table: dict[str, Any] = {}
    assert handle(table, StoryRedirect(new_story_id("a-a"), "s-target", T0)).records == []
    late = handle(table, join("a-b", new_story_id("a-a"), 5))
    # Listed where it joined (merged into the target), and passed on to the target.
    assert [(r.id, r.merged_into) for r in late.records] == [(new_story_id("a-a"), "s-target")]
    # (and its own founder story, which it did not start, is redirected to where it joined)
    assert [e.story_id for e in late.forward] == ["s-target", new_story_id("a-b")] and late.merges == 1


@pytest.mark.parametrize("seed", range(12))
def test_a_claimed_article_that_founded_its_story_ends_in_the_claiming_story(seed: int) -> None:
    # A burst out of input order: L (later) was decided first, started its story, and M joined it;
    # E (earlier) was decided after and claims L, as offline E would have been there for L to join.
    story_e, story_l = new_story_id("a-e"), new_story_id("a-l")
    claiming = replace(join("a-e", story_e, 0), claims=("a-l",))
    events: list[StoryEvent] = [join("a-l", story_l, 1), join("a-m", story_l, 2), claiming]
    records, merges = run(events, seed)
    assert merges == 1
    assert resolve(records, story_l) == story_e
    current = current_stories(records)
    assert list(current) == [story_e]
    assert sorted(a["id"] for a in current[story_e]["articles"]) == ["a-e", "a-l", "a-m"]


@pytest.mark.parametrize("seed", range(12))
def test_a_claim_on_an_article_that_joined_another_story_changes_nothing(seed: int) -> None:
    story_e, story_o = new_story_id("a-e"), new_story_id("a-o")
    claiming = replace(join("a-e", story_e, 0), claims=("a-l",))
    events: list[StoryEvent] = [join("a-o", story_o, -5), join("a-l", story_o, 1), claiming]
    records, merges = run(events, seed)
    assert merges == 0
    current = current_stories(records)
    assert sorted(current) == sorted([story_e, story_o])
    assert sorted(a["id"] for a in current[story_o]["articles"]) == ["a-l", "a-o"]


def linked(event: StoryJoin, to: str, score: float, duplicate_of: str | None = None) -> StoryJoin:
    link = None if duplicate_of else StoryLink(to, score, [], [])
    return replace(event, member=replace(event.member, link=link, duplicate_of=duplicate_of))


def live(story: dict[str, Any]) -> list[str]:
    return sorted(a["id"] for a in story["articles"] if a.get("moved_to") is None)


@pytest.mark.parametrize("seed", range(16))
def test_a_later_article_that_joined_another_story_moves_to_the_earlier_ones_if_it_fits_better(
    seed: int,
) -> None:
    # L (later) was decided before E (earlier) reached the keys and joined O's story (0.2); E, decided
    # after, finds it fits E's story better (0.3): offline L would have joined E. L's copy D follows.
    story_e, story_o = new_story_id("a-e"), new_story_id("a-o")
    move = StoryMove(story_o, "a-l", story_e, StoryLink("a-e", 0.3, ["flood"], []), T0)
    events: list[StoryEvent] = [
        join("a-o", story_o, -5),
        linked(join("a-l", story_o, 1), "a-o", 0.2),
        linked(join("a-d", story_o, 2), "", 0.0, duplicate_of="a-l"),
        replace(join("a-e", story_e, 0), moves=(move,)),
    ]
    records, merges = run(events, seed)
    assert merges == 0
    latest = {r["id"]: r for r in records}
    current = current_stories(records)
    assert (live(current[story_o]), live(current[story_e])) == (["a-o"], ["a-d", "a-e", "a-l"])
    assert (current[story_o]["article_count"], current[story_e]["article_count"]) == (1, 3)
    # The id each record carries still leads to the article: through moved_to, where it is listed.
    for article, carried in (("a-l", story_o), ("a-d", story_o), ("a-e", story_e), ("a-o", story_o)):
        assert article_story(latest, carried, article) == (story_o if article == "a-o" else story_e)
    moved_in = next(a for a in current[story_e]["articles"] if a["id"] == "a-l")
    assert moved_in["link"]["score"] == 0.3  # why it is there now


@pytest.mark.parametrize("seed", range(16))
def test_a_move_sent_while_the_later_articles_story_was_on_its_way_finds_it_through_its_founder_story(
    seed: int,
) -> None:
    # E saw L's entry before L's story was written back: it sends the move to L's founder story,
    # which L's join redirects to the story L joined.
    story_e, story_o, story_l = new_story_id("a-e"), new_story_id("a-o"), new_story_id("a-l")
    move = StoryMove(story_l, "a-l", story_e, StoryLink("a-e", 0.3, [], []), T0)
    events: list[StoryEvent] = [
        join("a-o", story_o, -5),
        linked(join("a-l", story_o, 1), "a-o", 0.2),
        replace(join("a-e", story_e, 0), moves=(move,)),
    ]
    records, _ = run(events, seed)
    current = current_stories(records)
    assert (live(current[story_o]), live(current[story_e])) == (["a-o"], ["a-e", "a-l"])
    assert article_story({r["id"]: r for r in records}, story_o, "a-l") == story_e


def test_a_move_that_fits_no_better_is_dropped_and_a_move_is_idempotent() -> None:
    story_o = new_story_id("a-o")
    table: dict[str, Any] = {}
    handle(table, join("a-o", story_o, -5))
    handle(table, linked(join("a-l", story_o, 1), "a-o", 0.4))
    worse = StoryMove(story_o, "a-l", "s-other", StoryLink("a-e", 0.3, [], []), T0)
    assert (
        handle(table, worse) == handle(table, worse) and table[story_o]["members"][1].get("moved_to") is None
    )
    better = replace(worse, link=StoryLink("a-e", 0.5, [], []))
    first = handle(table, better)
    assert [e.story_id for e in first.forward] == ["s-other"] and len(first.records) == 1
    assert (
        handle(table, better).forward == [] and handle(table, replace(better, into="s-third")).forward == []
    )


def test_a_claim_is_idempotent_and_the_first_claim_wins() -> None:
    table: dict[str, Any] = {}
    story_l = new_story_id("a-l")
    assert handle(table, StoryClaim(story_l, "a-l", "s-first", T0)).records == []
    assert handle(table, StoryClaim(story_l, "a-l", "s-second", T0)).records == []
    founded = handle(table, join("a-l", story_l, 1))
    assert [(e.story_id, getattr(e, "into", None)) for e in founded.forward] == [(story_l, "s-first")]


def test_the_sweep_forgets_stories_nobody_can_reach_and_keeps_the_rest() -> None:
    settings = Settings()
    day = 86_400.0
    table: dict[str, Any] = {}
    for index in range(40):  # stories on every partition, some old, some recent
        handle(table, join(f"a-{index}", new_story_id(f"a-{index}"), (index % 2) * 10 * day))
    handle(table, StoryRedirect("s-0000000000000001", "s-target", T0))  # a redirect only: old too
    sweeper = StorySweeper(settings, None, partition_of_key)
    sweeper.observe(0, T0 + 10 * day)
    owned = {k for k in table if partition_of_key(k, settings.kafka.partitions) == 0}
    stale = {
        k for k in owned if table[k]["touched"] < T0 + 10 * day - 2 * settings.dedup.story_horizon_days * day
    }
    assert stale and stale != owned
    assert sweeper.sweep(table, 0) == len(stale)
    assert not stale & set(table) and owned - stale <= set(table)
    assert sweeper.sweep(table, 1) == 0  # nothing observed on partition 1: its stories stay
    assert event_arrival(join("a-x", "s-x", 5.0)) == T0 + 5.0


def test_the_open_stories_gauge_counts_the_table_then_follows_each_event() -> None:
    settings = Settings()
    metrics = create_metrics()
    table: dict[str, Any] = {}
    for index in range(12):  # current stories on every partition, one merged away
        handle(table, join(f"a-{index}", new_story_id(f"a-{index}"), index))
    handle(table, StoryRedirect(new_story_id("a-0"), new_story_id("a-1"), T0))
    sweeper = StorySweeper(settings, metrics, partition_of_key)
    on = {p: sweeper.count_open(table, p) for p in range(settings.kafka.partitions)}
    assert sum(on.values()) == 11
    # The first event of a partition counts its stories (the change is already in the table).
    story = new_story_id("a-new")
    partition = partition_of_key(story, settings.kafka.partitions)
    outcome = handle(table, join("a-new", story, 20))
    assert outcome.opened == 1
    sweeper.opened(table, partition, outcome.opened)
    assert metrics.stories_open._value.get() == on[partition] + 1
    merged = handle(table, StoryRedirect(story, new_story_id("a-1"), T0 + 21))
    assert merged.opened == -1
    sweeper.opened(table, partition, merged.opened)
    assert metrics.stories_open._value.get() == on[partition]


class _NoScan(dict[str, Any]):
    """A stories table that refuses to be scanned (a restart restores the count with it)."""

    def __iter__(self) -> Any:
        raise AssertionError("the stories table was scanned")

    def keys(self) -> Any:
        raise AssertionError("the stories table was scanned")


def test_a_restarted_desk_takes_the_open_stories_from_the_table_without_scanning_it() -> None:
    settings = Settings()
    metrics = create_metrics()
    partitions = settings.kafka.partitions
    table: dict[str, Any] = {}
    before = StorySweeper(settings, None, partition_of_key)  # the worker before its restart
    for index in range(12):
        story = new_story_id(f"a-{index}")
        before.opened(
            table, partition_of_key(story, partitions), handle(table, join(f"a-{index}", story, index)).opened
        )
    current = {
        p: sum(
            1
            for k, v in table.items()
            if is_story_key(k) and partition_of_key(k, partitions) == p and is_current(v)
        )
        for p in range(partitions)
    }
    assert {p: table.get(open_count_key(p), {"open": 0})["open"] for p in range(partitions)} == current
    restored = _NoScan(table)
    after = StorySweeper(settings, metrics, partition_of_key)  # a fresh process on the restored table
    story = new_story_id("a-new")
    partition = partition_of_key(story, partitions)
    after.opened(restored, partition, handle(restored, join("a-new", story, 20)).opened)
    assert restored[open_count_key(partition)] == {"open": current[partition] + 1}
    assert metrics.stories_open._value.get() == current[partition] + 1


def test_the_sweep_sets_the_open_stories_count_right() -> None:
    settings = Settings()
    day = 86_400.0
    table: dict[str, Any] = {}
    sweeper = StorySweeper(settings, None, partition_of_key)
    for index in range(40):  # stories on every partition, some old, some recent
        story = new_story_id(f"a-{index}")
        outcome = handle(table, join(f"a-{index}", story, (index % 2) * 10 * day))
        sweeper.opened(table, partition_of_key(story, settings.kafka.partitions), outcome.opened)
    table[open_count_key(0)] = {"open": 999}  # drifted (say, a crash between two writes)
    sweeper.observe(0, T0 + 10 * day)
    swept = sweeper.sweep(table, 0)
    assert swept > 0 and open_count_key(0) in table  # the count is no story: never swept
    kept = [k for k in table if is_story_key(k) and partition_of_key(k, settings.kafka.partitions) == 0]
    assert table[open_count_key(0)] == {"open": sum(is_current(table[k]) for k in kept)}
    assert sweeper.open_stories[0] == len(kept) > 0


def test_a_move_never_undoes_a_redirect_so_a_story_redirected_through_it_keeps_its_path() -> None:
    # The orphan of the CI burst (README "In the worker"): story X was redirected into E while E,
    # redirected into O, passed X's articles on to O; then a move of O's article L into E reached
    # E with O among its hops, looked like a cycle of redirects, and E (the smaller id) stopped being
    # absorbed: X led to E, which listed its own articles but not X's.
    story_o, story_e, story_x = new_story_id("a-0"), new_story_id("a-2"), new_story_id("a-3")
    assert story_e < story_o  # E would have been the "cycle's" root
    table: dict[str, Any] = {}
    records: list[Any] = []

    def deliver(*events: StoryEvent) -> None:
        for event in events:
            records.extend(orjson.loads(dumps(r)) for r in fold(table, event).records)

    deliver(join("a-0", story_o, 0), linked(join("a-1", story_o, 1), "a-0", 0.2), join("a-3", story_x, 3))
    claiming = handle(table, replace(join("a-4", story_e, 4), claims=("a-3",)))  # E current: listed there
    records.extend(orjson.loads(dumps(r)) for r in claiming.records)
    deliver(linked(join("a-2", story_o, 2), "a-0", 0.2))  # E's founder joined O: E into O
    deliver(*claiming.forward)  # the claim arrives late: X into E, passed on to O
    deliver(StoryMove(story_o, "a-1", story_e, StoryLink("a-4", 0.3, [], []), T0 + 5))
    latest = {r["id"]: r for r in records}
    carried = {"a-0": story_o, "a-1": story_o, "a-2": story_o, "a-3": story_x, "a-4": story_e}
    assert {a: article_story(latest, s, a) for a, s in carried.items()} == dict.fromkeys(carried, story_o)
    assert latest[story_e]["merged_into"] == story_o
    assert live(current_stories(records)[story_o]) == ["a-0", "a-1", "a-2", "a-3", "a-4"]


def test_the_root_of_a_cycle_of_redirects_is_never_redirected_again() -> None:
    # F joined G's founder story and G joined F's: the cycle ends in the smaller id, for good; a
    # replayed (or late) redirect of it, or a claim on it, changes nothing.
    story_f, story_g = new_story_id("a-f"), new_story_id("a-g")
    root, other = sorted((story_f, story_g))
    table: dict[str, Any] = {}
    for event in (join("a-f", story_g, 0), join("a-g", story_f, 1)):
        fold(table, event)
    assert table[root]["merged_into"] is None and table[other]["merged_into"] == root
    before = {k: dict(v) for k, v in table.items()}
    for late in (StoryRedirect(root, other, T0 + 2), StoryClaim(root, root_founder(root), other, T0 + 3)):
        assert fold(table, late).records == [] and table == before


def root_founder(story: str) -> str:
    return next(a for a in ("a-f", "a-g") if new_story_id(a) == story)


@pytest.mark.parametrize("absorbed_first", [True, False])
def test_a_move_into_a_story_that_was_merged_into_the_one_it_left_is_no_move(absorbed_first: bool) -> None:
    # O's article L is moved into E, but E was merged into O: L stays counted in O (moved_to E from
    # O would lead back to O, a circle). If E's articles reached O first, O knows E leads here and
    # does not move L; else L's move-in comes back to O through E's merged_into.
    story_o, story_e = new_story_id("a-o"), new_story_id("a-e")
    table: dict[str, Any] = {}
    records: list[Any] = []

    def deliver(*events: StoryEvent) -> None:
        for event in events:
            records.extend(orjson.loads(dumps(r)) for r in fold(table, event).records)

    deliver(join("a-o", story_o, 0), linked(join("a-l", story_o, 1), "a-o", 0.2), join("a-e", story_e, 2))
    redirect = handle(table, StoryRedirect(story_e, story_o, T0 + 3))
    records.extend(orjson.loads(dumps(r)) for r in redirect.records)
    move = StoryMove(story_o, "a-l", story_e, StoryLink("a-e", 0.3, [], []), T0 + 4)
    deliver(*redirect.forward, move) if absorbed_first else deliver(move, *redirect.forward)
    latest = {r["id"]: r for r in records}
    assert article_story(latest, story_o, "a-l") == story_o
    assert live(latest[story_o]) == ["a-e", "a-l", "a-o"] and latest[story_o]["article_count"] == 3
    if not absorbed_first:  # moved once, so never moved again (the first move wins)
        again = StoryMove(story_o, "a-l", "s-other", StoryLink("a-x", 0.9, [], []), T0 + 5)
        assert fold(table, again).records == []


def stored(story: str, *members: Member, merged_into: str | None = None) -> dict[str, Any]:
    """A stories table value: ``members`` (as given), redirected into ``merged_into``."""
    span = Span.of(members)
    return StoryState(story, members=members, merged_into=merged_into, span=span).to_json()


def member(article: str, **fields: Any) -> Member:
    return replace(Member(article, "Outlet", f"Title {article}", T0, T0), **fields)


def published(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of every story ``table`` holds with articles (as if each had been published)."""
    values = [StoryState.from_json(v) for v in table.values()]
    return [orjson.loads(dumps(story_record(v))) for v in values if v.members]


def test_an_article_moved_into_a_story_before_a_cycle_of_redirects_comes_back_to_its_root() -> None:
    # R moved its article x into P; P leads into a cycle (P -> C, C -> R, R -> C). x's move-in follows
    # P -> C -> R and ends the cycle at its root R: P, before the cycle, leads to R too, so x is back
    # in R (kept as moved to P, R would lead to P, P to R: a loop, and x counted nowhere).
    story_r, story_c, story_p = "s-1", "s-2", "s-3"
    table = {
        story_r: stored(story_r, member("a-x", moved_to=story_p), merged_into=story_c),
        story_c: stored(story_c, member("a-c"), merged_into=story_r),
        story_p: stored(story_p, member("a-p"), merged_into=story_c),
    }
    records = published(table)
    moved_in = StoryJoin(story_p, new_story_id("a-x"), member("a-x"), [], [], moved_from=story_r)
    records.extend(orjson.loads(dumps(r)) for r in fold(table, moved_in).records)
    latest = {r["id"]: r for r in records}
    assert latest[story_r]["merged_into"] is None
    assert article_story(latest, story_r, "a-x") == article_story(latest, story_p, "a-x") == story_r


def test_an_article_moved_into_a_story_that_leads_to_one_absorbed_here_is_back() -> None:
    # R moved x into C; C had been merged into A, so x's move-in is listed in A, which then merges
    # into R. A never absorbed C's articles (C's absorb is on its way), but x came to A from C:
    # C leads to A (``led_from``), so x is back in R (kept as moved to C: R -> C -> A -> R, a loop).
    story_r, story_a, story_c = "s-1", "s-2", "s-3"
    table = {
        story_r: stored(story_r, member("a-r"), member("a-x", moved_to=story_c)),
        story_a: stored(story_a, member("a-a")),
        story_c: stored(story_c, member("a-c"), merged_into=story_a),
    }
    records = published(table)
    moved_in = StoryJoin(story_c, new_story_id("a-x"), member("a-x"), [], [], moved_from=story_r)
    for event in (moved_in, StoryRedirect(story_a, story_r, T0 + 1)):
        records.extend(orjson.loads(dumps(r)) for r in fold(table, event).records)
    latest = {r["id"]: r for r in records}
    assert article_story(latest, story_r, "a-x") == article_story(latest, story_c, "a-x") == story_r
    assert live(latest[story_r]) == ["a-a", "a-r", "a-x"]


def test_every_move_waiting_for_an_article_is_passed_on_so_a_replay_decides_nothing_new() -> None:
    # Two moves of x reach O, the story x would have founded (x joined J): both wait. O is then
    # redirected into J, which lists x: the better one moves it. Keeping only the first (a worse one)
    # left the better one to a replay, which passed on from O (absorbed now) and moved x then.
    story_o, story_j = "s-1", "s-2"
    table = {story_j: stored(story_j, member("a-j"), member("a-x", link=StoryLink("a-j", 0.2, [], [])))}
    worse = StoryMove(story_o, "a-x", "s-3", StoryLink("a-3", 0.1, [], []), T0 + 1)
    better = StoryMove(story_o, "a-x", "s-4", StoryLink("a-4", 0.3, [], []), T0 + 2)
    for event in (worse, better, StoryRedirect(story_o, story_j, T0 + 3)):
        fold(table, event)
    assert [m.moved_to for m in StoryState.from_json(table[story_j]).members] == [None, "s-4"]
    for event in (worse, better):
        assert fold(table, event).records == []


def test_a_copy_listed_while_its_story_was_absorbed_follows_its_moved_original_at_the_cycle_root() -> None:
    # R, redirected into C while C was redirected into R, lists the original o as moved to Q. The copy
    # k joins R: listed there (absorbed) and passed on, it comes back round the cycle to R, its root
    # now, where it counts: it goes where o went (it was listed already, so it did not before).
    story_r, story_c, story_q = "s-1", "s-2", "s-3"
    table = {
        story_r: stored(story_r, member("a-o", moved_to=story_q), merged_into=story_c),
        story_c: stored(story_c, member("a-c"), merged_into=story_r),
        story_q: stored(story_q, member("a-q"), member("a-o")),
    }
    records = published(table)
    copy = StoryJoin(story_r, new_story_id("a-k"), member("a-k", duplicate_of="a-o"), [], [])
    records.extend(orjson.loads(dumps(r)) for r in fold(table, copy).records)
    latest = {r["id"]: r for r in records}
    assert article_story(latest, story_r, "a-k") == article_story(latest, story_r, "a-o") == story_q


def test_a_replayed_join_of_an_article_moved_out_of_a_story_since_absorbed_counts_it_nowhere_else() -> None:
    # x joined C, was moved to M, then C was redirected into A (its absorb on its way). x's join,
    # delivered again, reaches C, absorbed now: passed on, it counted x in A as well as in M.
    story_a, story_c, story_m = "s-1", "s-2", "s-3"
    moved = member("a-x", moved_to=story_m)
    table = {
        story_a: stored(story_a, member("a-a")),
        story_c: stored(story_c, member("a-c"), moved, merged_into=story_a),
        story_m: stored(story_m, member("a-m"), member("a-x")),
    }
    records = published(table)
    replayed = StoryJoin(story_c, new_story_id("a-x"), member("a-x"), [], [])
    absorbed = StoryAbsorb(story_a, StoryState.from_json(table[story_c]))
    for event in (replayed, absorbed):
        records.extend(orjson.loads(dumps(r)) for r in fold(table, event).records)
    latest = {r["id"]: r for r in records}
    assert article_story(latest, story_c, "a-x") == story_m
    assert [s for s, r in current_stories(records).items() if "a-x" in live(r)] == [story_m]


def test_a_copy_that_came_back_stays_though_its_original_is_still_listed_as_moved() -> None:
    # The copy k followed its original o to Q, which leads back to R: k came back first (o's return
    # is on its way). k's join, delivered again, must not send k to Q again (there is no "again").
    story_r, story_q = "s-1", "s-2"
    table = {
        story_r: stored(
            story_r, member("a-o", moved_to=story_q), member("a-k", duplicate_of="a-o", came_back=True)
        ),
        story_q: stored(story_q, member("a-q"), merged_into=story_r),
    }
    before = table[story_r]
    replayed = StoryJoin(story_r, new_story_id("a-k"), member("a-k", duplicate_of="a-o"), [], [])
    assert fold(table, replayed).records == [] and table[story_r] == before


def test_a_copy_following_its_original_from_a_cycle_root_does_not_undo_a_merge_it_meets() -> None:
    # R, redirected into C while C was redirected into R, lists the original o as moved to Q, which
    # has since been merged into R (o's move-in is on its way). The copy k ends the cycle at R and
    # follows o to Q: its join there is no cycle's end (it came from R by a move), so it goes back to
    # R along ``merged_into``. Carrying the cycle's mark, it undid Q's merge: q counted in Q and in R.
    story_r, story_c, story_q = "s-1", "s-2", "s-3"
    table = {
        story_r: stored(
            story_r, member("a-o", moved_to=story_q), member("a-c"), member("a-q"), merged_into=story_c
        ),
        story_c: stored(story_c, member("a-c"), merged_into=story_r),
        story_q: stored(story_q, member("a-q"), merged_into=story_r),
    }
    records = published(table)
    copy = StoryJoin(story_r, new_story_id("a-k"), member("a-k", duplicate_of="a-o"), [], [])
    records.extend(orjson.loads(dumps(r)) for r in fold(table, copy).records)
    latest = {r["id"]: r for r in records}
    assert latest[story_q]["merged_into"] == story_r
    assert {s: live(r) for s, r in current_stories(records).items()} == {story_r: ["a-c", "a-k", "a-q"]}


def absorbed_in(table: dict[str, Any], into: str, absorbed: str) -> list[dict[str, Any]]:
    """Every record after ``absorbed``'s absorb reaches ``into`` (as stored in ``table``)."""
    records = published(table)
    event = StoryAbsorb(into, StoryState.from_json(table[absorbed]))
    return records + [orjson.loads(dumps(r)) for r in fold(table, event).records]


def test_a_cycle_root_absorbing_a_story_that_moved_an_article_listed_at_both_counts_it_where_it_went() -> (
    None
):
    # x joined R while R was redirected into C: listed in R, passed on to C, which moved it to M. C was
    # then redirected into R, which ended the cycle as its root. C's absorb lists x as moved to M: R,
    # which lists x as it was listed while absorbed, counted it too (and M did).
    story_r, story_c, story_m = "s-1", "s-2", "s-3"
    table = {
        story_r: StoryState(
            story_r,
            members=(member("a-r"), member("a-x")),
            span=Span.of([member("a-r"), member("a-x")]),
            cycle_root=True,
        ).to_json(),
        story_c: stored(story_c, member("a-c"), member("a-x", moved_to=story_m), merged_into=story_r),
        story_m: stored(story_m, member("a-m"), member("a-x")),
    }
    records = absorbed_in(table, story_r, story_c)
    latest = {r["id"]: r for r in records}
    assert article_story(latest, story_r, "a-x") == article_story(latest, story_c, "a-x") == story_m
    assert {s: live(r) for s, r in current_stories(records).items()} == {
        story_r: ["a-c", "a-r"],
        story_m: ["a-m", "a-x"],
    }
    assert latest[story_r]["article_count"] == 2


def test_a_copy_counted_before_an_absorb_says_its_original_moved_follows_it() -> None:
    # The copy k joined C after C was redirected into R (C lists o, moved to M): passed on, k was counted
    # in R, a cycle's root, before C's absorb reached R. The absorb lists o as moved to M: k goes there
    # too (it stayed in R while o was counted in M).
    story_r, story_c, story_m = "s-1", "s-2", "s-3"
    table = {
        story_r: stored(story_r, member("a-r"), member("a-k", duplicate_of="a-o")),
        story_c: stored(
            story_c,
            member("a-o", moved_to=story_m),
            member("a-k", duplicate_of="a-o"),
            merged_into=story_r,
        ),
        story_m: stored(story_m, member("a-m"), member("a-o")),
    }
    records = absorbed_in(table, story_r, story_c)
    latest = {r["id"]: r for r in records}
    assert article_story(latest, story_r, "a-k") == article_story(latest, story_c, "a-o") == story_m
    assert {s: live(r) for s, r in current_stories(records).items()} == {
        story_r: ["a-r"],
        story_m: ["a-k", "a-m", "a-o"],
    }
