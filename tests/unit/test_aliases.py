"""Aliases learned across articles: what an article teaches, what it looks up, how it is renamed."""

from __future__ import annotations

import orjson

from streamproc.enrich.aliases import (
    MAX_TEACHINGS_PER_KEY,
    AliasMemory,
    Teaching,
    alias_key,
    apply_teachings,
    entity_from_json,
    ids_consistent,
    lookup_keys,
    store_teaching,
    teachings,
)
from streamproc.enrich.names import entity_id
from streamproc.models import Entity, Span, dumps


def ent(name: str, etype: str, *forms: str, salience: float = 1.0) -> Entity:
    surface = list(forms) or [name]
    return Entity(
        name=name,
        type=etype,
        mentions=len(surface),
        surface_forms=surface,
        spans=[Span("body", i * 10, i * 10 + len(f)) for i, f in enumerate(surface)],
        salience=salience,
        entity_id=entity_id(name, etype),
    )


def taught(entities: list[Entity]) -> set[tuple[str, str]]:
    return {(t.alias, t.canonical) for t in teachings(entities, "a1")}


def test_what_an_article_teaches() -> None:
    entities = [
        ent("General Motors", "ORG", "General Motors", "GM"),
        ent("Apple", "ORG", "Apple Computer", "Apple Inc.", "Apple"),
        ent("Airbus A380", "PRODUCT", "the Airbus A380", "A380"),
        ent("EADS", "ORG", "European Aeronautic Defence and Space Company", "EADS"),
    ]
    assert taught(entities) == {
        ("GM", "General Motors"),
        ("Apple Computer", "Apple"),  # generic word; "Apple Inc." needs no teaching (legal form)
        ("A380", "Airbus A380"),
        ("European Aeronautic Defence and Space Company", "EADS"),
    }


def test_surnames_definite_references_people_and_places_teach_nothing() -> None:
    entities = [
        ent("Marco Rubio", "PERSON", "Marco Rubio", "Rubio"),
        ent("European Commission", "ORG", "European Commission", "Commission"),
        ent("Northrop Grumman", "ORG", "Northrop Grumman", "Northrop"),
        ent("United States", "GPE", "US", "the United States"),
    ]
    assert taught(entities) == set()


def test_lookup_keys_are_for_organisations_and_products_only() -> None:
    entities = [
        ent("GM", "ORG"),
        ent("A380", "PRODUCT"),
        ent("Rubio", "PERSON"),
        ent("Paris", "GPE"),
        ent("GM", "ORG"),
    ]
    assert lookup_keys(entities) == [alias_key("GM", "ORG"), alias_key("A380", "PRODUCT")]
    assert alias_key("G.M.", "ORG") == alias_key("gm", "PRODUCT") == "al:name:gm"


def test_a_later_article_is_renamed_and_gets_the_same_id() -> None:
    memory = AliasMemory()
    first = memory.resolve([ent("General Motors", "ORG", "General Motors", "GM")], "a1")
    second = memory.resolve([ent("GM", "ORG", "GM"), ent("Detroit", "GPE")], "a2")
    assert [e.name for e in second] == ["General Motors", "Detroit"]
    assert second[0].entity_id == first[0].entity_id
    assert second[0].surface_forms == ["GM"]
    assert ids_consistent(second)


def test_renamed_entities_that_meet_are_merged() -> None:
    found = {alias_key("GM", "ORG"): [Teaching("GM", "General Motors", "ORG", "a0")]}
    entities = [
        ent("General Motors", "ORG", "General Motors", salience=0.5),
        ent("GM", "ORG", "GM", "GM's", salience=1.0),
    ]
    out = apply_teachings(entities, found, "a1")
    assert len(out) == 1
    assert (out[0].name, out[0].mentions, out[0].salience) == ("General Motors", 3, 1.0)
    assert out[0].surface_forms == ["General Motors", "GM", "GM's"]
    assert entities[0].mentions == 1  # inputs are not modified


def test_earliest_teaching_wins_and_an_article_never_sees_its_own() -> None:
    key = alias_key("SIA", "ORG")
    stored: list[Teaching] = []
    for article, canonical in (("a1", "Singapore Airlines"), ("a2", "Sia Holdings"), ("a1", "Other")):
        stored = store_teaching(stored, Teaching("SIA", canonical, "ORG", article))
    assert [t.article_id for t in stored] == ["a1", "a2"]  # a replay of a1 adds nothing
    assert apply_teachings([ent("SIA", "ORG")], {key: stored}, "a3")[0].name == "Singapore Airlines"
    # Re-processed after a crash, a1 must not be renamed by its own teaching: a2's applies.
    assert apply_teachings([ent("SIA", "ORG")], {key: stored}, "a1")[0].name == "Sia Holdings"


def test_a_key_holds_a_bounded_number_of_teachings() -> None:
    stored: list[Teaching] = []
    for index in range(MAX_TEACHINGS_PER_KEY + 3):
        stored = store_teaching(stored, Teaching("GM", f"G{index}", "ORG", f"a{index}"))
    assert len(stored) == MAX_TEACHINGS_PER_KEY


def test_coarse_types_keep_a_country_and_a_company_apart() -> None:
    memory = AliasMemory()
    memory.resolve([ent("Qatar Airways", "ORG", "Qatar Airways", "QA")], "a1")
    assert memory.resolve([ent("Qatar", "GPE")], "a2")[0].name == "Qatar"


def test_same_input_order_same_names() -> None:
    articles = [
        [ent("GM", "ORG")],
        [ent("General Motors", "ORG", "General Motors", "GM")],
        [ent("GM", "ORG")],
    ]
    runs = []
    for _ in range(2):
        memory = AliasMemory()
        runs.append([memory.resolve(a, f"a{i}") for i, a in enumerate(articles)])
    assert runs[0] == runs[1]
    assert [r[0].name for r in runs[0]] == ["GM", "General Motors", "General Motors"]


def test_json_round_trip() -> None:
    memory = AliasMemory()
    memory.resolve([ent("Airbus A380", "PRODUCT", "Airbus A380", "A380")], "a1")
    as_json = orjson.loads(dumps([ent("A380", "PRODUCT")]))
    out = memory.resolve_json(as_json, "a2")
    assert out[0]["name"] == "Airbus A380" and out[0]["entity_id"] == entity_id("Airbus A380", "PRODUCT")
    assert entity_from_json(out[0]).spans == [Span("body", 0, 4)]
