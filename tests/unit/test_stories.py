"""Story keys and story choice on synthetic entity lists."""

from __future__ import annotations

from streamproc.dedup.index import KeyEntry
from streamproc.dedup.stories import (
    choose_story,
    entity_overlap,
    new_story_id,
    story_entity_names,
    story_keys,
)
from streamproc.models import Entity

DAY = 86_400.0


def ent(name: str, type_: str = "PERSON", salience: float = 0.5, mentions: int = 1) -> Entity:
    return Entity(name=name, type=type_, mentions=mentions, surface_forms=[name], spans=[], salience=salience)


RUBIO_IN_QUITO = ["marco rubio", "daniel noboa", "ecuador", "quito", "venezuela", "donald trump"]
UKRAINE_TALKS = ["donald trump", "volodymyr zelensky", "vladimir putin", "ukraine", "kyiv", "nato"]
FLOODS = ["pakistan", "punjab", "shehbaz sharif", "ravi river", "lahore"]


def candidate(article: str, names: list[str], t: float = 0.0, story: str | None = None) -> KeyEntry:
    return KeyEntry(article, f"news.raw/0/{article}", t, story_id=story, entity_names=names)


def choose(names: list[str], candidates: list[KeyEntry], t: float = 0.0) -> str:
    return choose_story(
        article_id="a-new",
        entity_names=names,
        event_time=t,
        candidates=candidates,
        min_overlap=0.3,
        horizon_s=3 * DAY,
    )


def test_keys_prefer_people_and_skip_ubiquitous_and_non_name_types() -> None:
    entities = [
        ent("United States", "GPE", 0.95),
        ent("AFP", "ORG", 0.9),
        ent("Ecuador", "GPE", 0.8),
        ent("Daniel Noboa", "PERSON", 0.6),
        ent("September 4", "DATE", 0.9),
        ent("$20 million", "MONEY", 0.9),
        ent("Marco  Rubio", "PERSON", 0.7),
        ent("Latin American", "NORP", 0.7),
    ]
    # Ecuador (0.8 * 0.6 = 0.48) ranks below both people; NORP (0.7 * 0.4) last.
    assert story_keys(entities, 3) == ["st:marco rubio", "st:daniel noboa", "st:ecuador"]
    assert story_entity_names(entities, 10) == ["marco rubio", "daniel noboa", "ecuador", "latin american"]
    assert story_keys(entities, 0) == []


def test_same_name_under_two_types_counts_once() -> None:
    assert story_entity_names([ent("Quito", "GPE", 0.2), ent("Quito", "FAC", 0.5)], 5) == ["quito"]


def test_names_ranked_deterministically() -> None:
    entities = [ent("B Person"), ent("A Person"), ent("C Person", mentions=3)]
    assert story_entity_names(entities, 3) == ["c person", "a person", "b person"]
    assert story_entity_names(list(reversed(entities)), 3) == ["c person", "a person", "b person"]


def test_overlap_coefficient() -> None:
    assert entity_overlap(["a", "b"], ["a", "b", "c", "d"]) == (1.0, 2)
    assert entity_overlap(["a", "b", "c"], ["c", "d", "e", "f"]) == (1 / 3, 1)
    assert entity_overlap([], ["a"]) == (0.0, 0)


def test_new_story_id_is_deterministic_and_distinct() -> None:
    assert new_story_id("a-1") == new_story_id("a-1")
    assert new_story_id("a-1") != new_story_id("a-2")
    assert new_story_id("a-1").startswith("s-")


def test_no_candidates_starts_a_story_from_the_article_id() -> None:
    assert choose(RUBIO_IN_QUITO, []) == new_story_id("a-new")


def test_same_event_joins_the_candidates_story() -> None:
    follow_up = ["marco rubio", "daniel noboa", "ecuador", "los choneros"]
    assert choose(follow_up, [candidate("a-1", RUBIO_IN_QUITO, story="s-quito")]) == "s-quito"


def test_unrelated_articles_get_different_stories() -> None:
    # Share only one famous person: never enough.
    assert choose(UKRAINE_TALKS, [candidate("a-1", RUBIO_IN_QUITO, story="s-quito")]) == new_story_id("a-new")
    assert choose(FLOODS, [candidate("a-1", RUBIO_IN_QUITO, story="s-quito")]) == new_story_id("a-new")


def test_low_overlap_is_not_enough_even_with_two_shared_names() -> None:
    big_a = ["x1", "x2", "x3", "x4", "x5", "x6", "x7", "shared1", "shared2"]
    big_b = ["y1", "y2", "y3", "y4", "y5", "y6", "y7", "shared1", "shared2"]
    assert choose(big_a, [candidate("a-1", big_b, story="s-b")]) == new_story_id("a-new")


def test_outside_the_story_horizon_is_a_new_story() -> None:
    cands = [candidate("a-1", RUBIO_IN_QUITO, t=0.0, story="s-quito")]
    assert choose(RUBIO_IN_QUITO, cands, t=2.9 * DAY) == "s-quito"
    assert choose(RUBIO_IN_QUITO, cands, t=3.1 * DAY) == new_story_id("a-new")


def test_best_candidate_wins() -> None:
    cands = [
        candidate("a-weak", ["marco rubio", "daniel noboa", "x", "y", "z", "w"], story="s-weak"),
        candidate("a-strong", RUBIO_IN_QUITO, story="s-strong"),
    ]
    assert choose(RUBIO_IN_QUITO, cands) == "s-strong"


def test_candidate_in_flight_stands_for_its_own_new_story() -> None:
    assert choose(RUBIO_IN_QUITO, [candidate("a-1", RUBIO_IN_QUITO)]) == new_story_id("a-1")


def test_candidates_without_names_are_ignored() -> None:
    no_names = KeyEntry("a-1", "news.raw/0/1", 0.0, story_id="s-x")
    assert choose(RUBIO_IN_QUITO, [no_names]) == new_story_id("a-new")
