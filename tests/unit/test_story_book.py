"""Story state folding, explicit merges and news.stories records (validated against the schema)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import jsonschema
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streamproc.dedup.index import KeyEntry
from streamproc.models import StoryLink, dumps
from streamproc.schemas import load_schema
from streamproc.stories.book import (
    MAX_COUNTED,
    MAX_MEMBERS,
    MAX_TITLE_CHARS,
    STORY_RECORD_MAX_BYTES,
    Member,
    StoryState,
    absorb,
    add_article,
    bounded_member,
    current_stories,
    link_of,
    redirected,
    story_record,
)
from streamproc.stories.profile import ArticleProfile
from streamproc.stories.score import StoryParams, decide_story, new_story_id

T0 = 1_773_000_000.0
QUAKE = ArticleProfile(
    terms={"earthquak": 0.8, "rubbl": 0.6}, names={"bajhang": 0.9, "nepal": 0.44}, places=["bajhang"]
)


def member(article: str, arrival: float, link: StoryLink | None = None, *, untitled: bool = False) -> Member:
    title = None if untitled else f"Title of {article}"
    return Member(article, "Outlet " + article, title, arrival, arrival - 60.0, link=link)


def as_json(state: StoryState) -> dict[str, Any]:
    loaded: dict[str, Any] = orjson.loads(dumps(story_record(state)))
    return loaded


def test_adding_is_idempotent_and_counts_names_once_per_article() -> None:
    state = add_article(
        None, "s-1", member("a-1", T0), entity_names=["nepal", "nepal", "bajhang"], places=["bajhang"]
    )
    again = add_article(state, "s-1", member("a-1", T0), entity_names=["nepal"], places=["bajhang"])
    assert again == state
    state = add_article(state, "s-1", member("a-2", T0 + 5), entity_names=["nepal", "karki"], places=[])
    assert [m.id for m in state.members] == ["a-1", "a-2"]
    assert state.names == {"nepal": 2, "bajhang": 1, "karki": 1}
    assert StoryState.from_json(orjson.loads(orjson.dumps(state.to_json()))) == state


def test_record_fields_and_schema() -> None:
    decision = decide_story(
        article_id="a-2",
        profile=QUAKE,
        arrival_time=T0 + 100,
        candidates=[KeyEntry("a-1", "raw/0/1", T0, story_id="s-00000000000000aa", profile=QUAKE)],
        params=StoryParams(),
    )
    assert decision.story_id == "s-00000000000000aa"
    state = add_article(
        None, decision.story_id, member("a-1", T0, untitled=True), entity_names=["nepal"], places=[]
    )
    state = add_article(
        state, decision.story_id, member("a-2", T0 + 100, link_of(decision)), entity_names=[], places=[]
    )
    record = as_json(state)
    jsonschema.validate(record, load_schema("stories.v1"))
    assert record["headline"] == "Title of a-2"  # the first article with a title
    assert record["article_count"] == 2 and record["merged_into"] is None
    assert record["articles"][1]["link"]["linked_to"] == "a-1"
    assert record["articles"][1]["link"]["shared_names"] == ["bajhang", "nepal"]
    assert record["first_seen"] < record["last_updated"] and record["event_start"] < record["event_end"]
    assert record["top_entities"] == ["nepal"]


def test_redirect_and_absorb_are_idempotent_and_keep_absorbed_ids_resolvable() -> None:
    target = add_article(None, new_story_id("a-1"), member("a-1", T0), entity_names=["x"], places=["p"])
    raced = add_article(None, new_story_id("a-2"), member("a-2", T0 + 10), entity_names=["x", "y"], places=[])
    raced = add_article(raced, raced.story_id, member("a-3", T0 + 20), entity_names=[], places=[])
    gone = redirected(raced, raced.story_id, target.story_id, T0 + 30)
    assert gone.merged_into == target.story_id and gone.members == raced.members and gone.touched == T0 + 30
    assert redirected(gone, gone.story_id, "s-elsewhere", T0 + 40) == gone  # the first redirect wins
    into = absorb(target, target.story_id, gone)
    assert [m.id for m in into.members] == ["a-1", "a-2", "a-3"]
    assert into.names == {"x": 2, "y": 1}
    assert absorb(into, into.story_id, gone) == into
    assert absorb(None, "s-new", gone).members == gone.members
    early = redirected(None, "s-empty", "s-target", T0)  # a redirect can come before any article
    assert early.merged_into == "s-target" and early.members == () and early.touched == T0
    for state in (into, gone):
        jsonschema.validate(as_json(state), load_schema("stories.v1"))


def test_a_consumer_rebuilds_the_current_stories_from_the_topic() -> None:
    one = add_article(None, new_story_id("a-1"), member("a-1", T0), entity_names=[], places=[])
    two = add_article(None, new_story_id("a-2"), member("a-2", T0 + 1), entity_names=[], places=[])
    three = add_article(None, new_story_id("a-3"), member("a-3", T0 + 2), entity_names=[], places=[])
    absorbed = redirected(two, two.story_id, one.story_id, T0 + 3)
    into = absorb(one, one.story_id, absorbed)
    topic = [as_json(s) for s in (one, two, three, into, absorbed)]
    current = current_stories(topic)
    assert set(current) == {one.story_id, three.story_id}
    assert current[one.story_id]["article_count"] == 2


def big_story(prefix: str, articles: int, start: float = T0) -> StoryState:
    state: StoryState | None = None
    for index in range(articles):
        names = [f"{prefix}-name-{index}", "nepal"]  # a new name per article, and one they share
        state = add_article(
            state,
            new_story_id(prefix),
            member(f"{prefix}-{index:04d}", start + index),
            entity_names=names,
            places=[],
        )
    assert state is not None
    return state


def test_a_large_story_keeps_bounded_state_and_its_true_count() -> None:
    small, large = big_story("a", MAX_MEMBERS + 10), big_story("a", 3 * MAX_MEMBERS)
    # The state does not grow with the article count beyond the caps.
    assert len(large.members) == MAX_MEMBERS and len(large.names) == MAX_COUNTED
    assert abs(len(orjson.dumps(large.to_json())) - len(orjson.dumps(small.to_json()))) < 200
    record = as_json(large)
    jsonschema.validate(record, load_schema("stories.v1"))
    assert record["article_count"] == 3 * MAX_MEMBERS
    ids = [a["id"] for a in record["articles"]]
    # The first article, then the latest ones.
    assert ids[0] == "a-0000" and ids[1:] == [
        f"a-{i:04d}" for i in range(2 * MAX_MEMBERS + 1, 3 * MAX_MEMBERS)
    ]
    assert record["headline"] == "Title of a-0000"
    assert record["first_seen"] < record["last_updated"]
    assert as_json(StoryState.from_json(orjson.loads(orjson.dumps(large.to_json())))) == record
    assert large.names["nepal"] == 3 * MAX_MEMBERS  # the most named are counted exactly
    assert record["top_entities"][0] == "nepal"


def test_absorbing_a_large_story_adds_its_true_count_once() -> None:
    first, second = big_story("a", 2 * MAX_MEMBERS), big_story("b", 2 * MAX_MEMBERS, start=T0 + 10_000)
    merged = absorb(first, first.story_id, second)
    assert as_json(merged)["article_count"] == 4 * MAX_MEMBERS and len(merged.members) == MAX_MEMBERS
    assert absorb(merged, first.story_id, second) == merged  # a replayed absorption
    assert as_json(merged)["last_updated"] == as_json(second)["last_updated"]


# Texts as long as an input lets them be, with the characters JSON writes longest (\u0001 is 6 bytes).
_LONG_TEXT = st.builds(
    lambda char, n: char * n, st.sampled_from(["\x01", "\u20ac", "\U0001f600", "a"]), st.integers(0, 20_000)
)


STORY = new_story_id("a-0")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=_LONG_TEXT,
    source=_LONG_TEXT,
    name=_LONG_TEXT,
    articles=st.integers(min_value=1, max_value=3 * MAX_MEMBERS),
)
def test_a_story_record_stays_under_its_byte_bound_however_long_its_texts(
    title: str, source: str, name: str, articles: int
) -> None:
    """A story of any size whose every text is huge: its record stays under STORY_RECORD_MAX_BYTES
    (so no topic refuses it for size), lists at most MAX_MEMBERS articles and keeps the true count."""
    link = StoryLink("a-0", 0.5, [name + str(i) for i in range(5)], [name + str(i) for i in range(5)])
    state: StoryState | None = None
    for i in range(articles):
        joined = Member(f"a-{i}", source + str(i), title + str(i), T0 + i, T0 + i, f"a-{i - 1}", link)
        names = [name + str(k) for k in range(i, i + 12)]
        state = add_article(state, STORY, bounded_member(joined), entity_names=names, places=names)
    assert state is not None
    # A state stored before the join cut its texts: the record cuts them as well.
    state = replace(state, members=tuple(replace(m, title=title, source=source) for m in state.members))
    data = dumps(story_record(state))
    assert len(data) <= STORY_RECORD_MAX_BYTES
    record = orjson.loads(data)
    jsonschema.validate(record, load_schema("stories.v1"))
    assert record["article_count"] == articles and len(record["articles"]) == min(articles, MAX_MEMBERS)
    assert all(len(a["title"]) <= MAX_TITLE_CHARS for a in record["articles"])
    if len(title) + 3 <= MAX_TITLE_CHARS:  # short titles are left whole
        assert record["headline"] == title + "0"
