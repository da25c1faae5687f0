"""Aliases learned across articles: what an article teaches, what it looks up, how it is renamed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from streamproc.config import EnrichSettings, Settings
from streamproc.dedup.index import KeyEntry
from streamproc.enrich.aliases import (
    MAX_TEACHINGS_PER_KEY,
    SPELLING_MARK,
    Teaching,
    alias_entries,
    alias_key,
    apply_teachings,
    entity_from_json,
    ids_consistent,
    initials_key,
    lookup_keys,
    place_led_keys,
    resolve_aliases,
    store_teaching,
    teachings,
    teachings_in,
    venue_key,
)
from streamproc.enrich.names import entity_id
from streamproc.enrich.pool import EnrichmentPool
from streamproc.models import Entity, RawMessage, SourceOffset, Span, dumps
from streamproc.pipeline import OfflineRunner


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


def own_lookups(entities: list[Entity]) -> list[str]:
    """The keys an article looks up, without its organisations' initials keys."""
    initials = {initials_key(e) for e in entities}
    return [key for key in lookup_keys(entities) if key not in initials]


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


def test_clipped_short_forms_are_taught() -> None:
    entities = [
        ent("Bank of America", "ORG", "Bank of America", "BofA"),
        ent("Federal Reserve", "ORG", "Fed"),
    ]
    assert taught(entities) == {("BofA", "Bank of America"), ("Fed", "Federal Reserve")}


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


ARTICLES = [
    (
        "GM recalls trucks",
        "GM said on Monday it would recall 40,000 pickup trucks in the United States over a "
        "faulty brake line. The carmaker said no injuries had been reported, and dealers would "
        "replace the part.",
    ),
    (
        "General Motors profit rises",
        "General Motors (GM) reported a rise in quarterly profit on Tuesday, helped "
        "by sales of pickups in North America. GM chief executive Mary Barra said the company "
        "would raise its dividend. Shares of GM rose 2 percent in New York.",
    ),
    (
        "GM to build battery plant",
        "GM will build a battery plant in Ohio, the company said on Wednesday, "
        "creating 1,000 jobs. GM said the plant would open in 2027 and supply its electric pickups.",
    ),
]


# The long and short forms of a name in one article, the short one alone in the next.
TRUNCATED_ARTICLES = [
    (
        "Samsung Electronics lifts chip output",
        "Samsung Electronics Co. said on Tuesday it would raise memory chip output in South Korea. "
        "Samsung said demand from data centres had doubled since last year.",
    ),
    (
        "Samsung shares climb",
        "Shares of Samsung rose 3 percent in Seoul on Wednesday after analysts raised their forecasts.",
    ),
]


def offline(articles: list[tuple[str, str]]) -> list[dict[str, Any]]:
    raws = [
        RawMessage(
            payload=orjson.dumps({"title": title, "text": text, "published_at": f"2024-05-1{i}T10:00:00Z"}),
            received_at=datetime(2024, 5, 20, tzinfo=UTC),
            source_offset=SourceOffset("process", 0, i),
            timestamp=datetime(2024, 5, 20, 0, 0, i, tzinfo=UTC),
        )
        for i, (title, text) in enumerate(articles)
    ]
    with EnrichmentPool(EnrichSettings(processes=0)) as pool:
        return [orjson.loads(dumps(o.value)) for o in OfflineRunner(Settings(), pool).run(raws)]


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return offline(ARTICLES[1:])


def orgs(record: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["name"], e["entity_id"]) for e in record["entities"] if e["type"] == "ORG"]


def test_through_the_join_a_later_article_is_renamed_and_gets_the_same_id(
    records: list[dict[str, Any]],
) -> None:
    gm = ("General Motors", entity_id("General Motors", "ORG"))
    # The first article teaches GM; the second, which writes "GM" alone, learns it.
    assert gm in orgs(records[0]) and orgs(records[1]) == [gm]
    second = next(e for e in records[1]["entities"] if e["name"] == "General Motors")
    assert second["surface_forms"] == ["GM"]


# An article that writes the expansion alone, read after the acronym was taught.
EXPANSION_ALONE = (
    "General Motors hires engineers",
    "General Motors will hire 500 software engineers in Michigan, a spokesman said on Thursday.",
)


def test_an_acronym_read_before_its_expansion_names_the_entity_in_every_later_article() -> None:
    # "GM" alone came first and keeps its name (an earlier record is never renamed); the article
    # that introduces "General Motors (GM)", the next "GM" and a later "General Motors" alone all
    # take that first name, so every article names the entity alike.
    out = offline([*ARTICLES, EXPANSION_ALONE])
    gm = ("GM", entity_id("GM", "ORG"))
    assert [orgs(record) for record in out] == [[gm]] * 4
    # the expansion read first: every later form takes it, as before
    out = offline([ARTICLES[1], ARTICLES[0], EXPANSION_ALONE])
    gm = ("General Motors", entity_id("General Motors", "ORG"))
    assert all(orgs(record) == [gm] for record in out)


def test_the_same_input_order_gives_the_same_names(records: list[dict[str, Any]]) -> None:
    again = offline(ARTICLES[1:])
    assert [r["entities"] for r in again] == [r["entities"] for r in records]


def test_alias_entries_carry_teachings_and_lookups() -> None:
    entities = [
        ent("General Motors", "ORG", "General Motors", "GM", salience=1.0),
        ent("Mary Barra", "PERSON", salience=0.5),
        ent("Detroit", "GPE", salience=0.4),
    ]
    entries = alias_entries(entities, article_id="a1", source_key="t/0/5", event_time=10.0)
    assert entries == {
        # its own key: a lookup that registers the spelling; GM: a teaching
        alias_key("General Motors", "ORG"): KeyEntry(
            "a1", "t/0/5", 10.0, entity_names=["General Motors", "ORG", SPELLING_MARK]
        ),
        alias_key("GM", "ORG"): KeyEntry("a1", "t/0/5", 10.0, entity_names=["General Motors", "ORG"]),
        # a person's spelling under the name without middle initials (merge12: it meets "Mary T. Barra")
        alias_key("Mary Barra", "PERSON"): KeyEntry(
            "a1", "t/0/5", 10.0, entity_names=["Mary Barra", "PERSON", SPELLING_MARK]
        ),
        # and under her surname (ents16: a later "Barra" alone takes it)
        "al:surname:barra": KeyEntry(
            "a1", "t/0/5", 10.0, entity_names=["Mary Barra", "PERSON", SPELLING_MARK]
        ),
    }


def test_a_later_spelling_of_a_name_takes_the_first_spelling() -> None:
    first = alias_entries([ent("Mac OS X", "PRODUCT")], article_id="a0", source_key="t/0/1", event_time=1.0)
    later = [ent("Mac OSX", "PRODUCT")]
    assert lookup_keys(later) == list(first)
    found = {key: teachings_in(key, [entry]) for key, entry in first.items()}
    assert apply_teachings(later, found, "a1")[0].name == "Mac OS X"
    # a taught alias read after the first spelling of the alias itself does not rename it: that
    # spelling is the first name the stream gave the entity
    key = alias_key("Mac OSX", "PRODUCT")
    teaching = Teaching("Mac OSX", "OS X", "PRODUCT", "a2")
    found[key].append(teaching)
    assert apply_teachings(later, found, "a3")[0].name == "Mac OS X"
    # read before any spelling, the taught alias names it
    found[key] = [teaching, *found[key][:1]]
    assert apply_teachings(later, found, "a3")[0].name == "OS X"


def test_a_venue_is_named_by_its_first_spelling_whatever_hall_or_wing_is_written() -> None:
    assert venue_key("Moscone West Convention Center", "LOC") == venue_key("Moscone Center", "FAC")
    assert venue_key("Moscone West center", "FAC") == "al:venue:moscone center"
    assert venue_key("Lincoln Hall", "FAC") != venue_key("Lincoln Center", "FAC")
    assert venue_key("Convention Center", "FAC") is None
    assert venue_key("Tom Center", "PERSON") is None
    first = alias_entries([ent("Moscone Center", "FAC")], article_id="a0", source_key="t/0/1", event_time=1.0)
    found = {key: teachings_in(key, [entry]) for key, entry in first.items()}
    renamed = apply_teachings([ent("Moscone West Convention Center", "LOC")], found, "a1")[0]
    assert (renamed.name, renamed.type) == ("Moscone Center", "LOC")


def test_a_name_led_by_its_place_meets_the_name_written_without_it() -> None:
    # "out of London Heathrow": NER's "London" stays a place inside the name, at the same offset.
    london, heathrow = ent("London", "GPE"), ent("London Heathrow", "GPE")
    assert place_led_keys([london, heathrow]) == {
        "London Heathrow": [alias_key("Heathrow", "ORG"), alias_key("Heathrow", "FAC")]
    }
    led_first = alias_entries([london, heathrow], article_id="a0", source_key="t/0/1", event_time=1.0)
    assert alias_key("Heathrow", "FAC") in led_first
    found = {key: teachings_in(key, [entry]) for key, entry in led_first.items()}
    renamed = apply_teachings([ent("Heathrow", "FAC")], found, "a1")[0]
    assert (renamed.name, renamed.type) == ("London Heathrow", "FAC")
    # the other order: the facility's own spelling names the place-led form
    alone_first = alias_entries([ent("Heathrow", "FAC")], article_id="a0", source_key="t/0/1", event_time=1.0)
    found = {key: teachings_in(key, [entry]) for key, entry in alone_first.items()}
    assert apply_teachings([london, heathrow], found, "a1")[1].name == "Heathrow"
    # a place elsewhere in the article, or one that does not lead the name: no place-led key
    elsewhere = replace(ent("Washington", "GPE"), spans=[Span("body", 40, 50)])
    assert place_led_keys([elsewhere, ent("Washington Post", "ORG")]) == {}
    assert place_led_keys([ent("Paris", "GPE"), ent("London Heathrow", "ORG")]) == {}
    assert place_led_keys([london, ent("London", "ORG")]) == {}
    assert list(place_led_keys([london, ent("London Heathrow", "ORG")])) == ["London Heathrow"]
    assert place_led_keys([london, ent("London Heathrow", "PERSON")]) == {}


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


def test_a_country_abbreviation_in_front_also_looks_up_the_country_written_out() -> None:
    # "United Kingdom Space Agency (UKSA)" taught the expansion; "UK Space Agency" finds it.
    taught = teachings([ent("UKSA", "ORG", "United Kingdom Space Agency", "UKSA")], "a0")
    found = {t.key: [t] for t in taught}
    assert alias_key("United Kingdom Space Agency", "ORG") in lookup_keys([ent("UK Space Agency", "ORG")])
    assert apply_teachings([ent("UK Space Agency", "ORG")], found, "a1")[0].name == "UKSA"
    assert apply_teachings([ent("U.S. Space Agency", "ORG")], found, "a1")[0].name == "U.S. Space Agency"
    # Only an abbreviation in front: a name that merely starts with a country's name is itself.
    assert own_lookups([ent("Britain Space Agency", "ORG")]) == [alias_key("Britain Space Agency", "ORG")]


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
    found = {alias_key("Qatar", "ORG"): [Teaching("Qatar", "Qatar Airways", "ORG", "a1")]}
    assert apply_teachings([ent("Qatar", "GPE")], found, "a2")[0].name == "Qatar"
    assert apply_teachings([ent("Qatar", "ORG")], found, "a2")[0].name == "Qatar Airways"


def test_answers_of_the_table_rename_a_json_record() -> None:
    key = alias_key("A380", "PRODUCT")
    answers = {
        key: [
            KeyEntry("a0", "t/0/1", 1.0),  # a lookup: teaches nothing
            KeyEntry("a1", "t/0/2", 2.0, entity_names=["Airbus A380", "PRODUCT"]),
            KeyEntry("a2", "t/0/3", 3.0, entity_names=["A380 superjumbo", "PRODUCT"]),
        ]
    }
    as_json = orjson.loads(dumps([ent("A380", "PRODUCT")]))
    out = resolve_aliases(as_json, answers, "a3")
    assert out[0]["name"] == "Airbus A380" and out[0]["entity_id"] == entity_id("Airbus A380", "PRODUCT")
    assert entity_from_json(out[0]).spans == [Span("body", 0, 4)]
    assert ids_consistent([entity_from_json(e) for e in out])


def _found_after(*articles: tuple[str, list[Entity]]) -> dict[str, list[Teaching]]:
    """The table's answers after ``articles`` (id, entities) probed it in that order."""
    found: dict[str, list[Teaching]] = {}
    for article_id, entities in articles:
        entries = alias_entries(entities, article_id=article_id, source_key="t/0/1", event_time=1.0)
        for key, entry in entries.items():
            found.setdefault(key, []).extend(teachings_in(key, [entry]))
    return found


def test_a_name_cut_short_gets_one_name_across_articles_whichever_form_came_first() -> None:
    both = ent("Samsung Electronics", "ORG", "Samsung Electronics Co.", "Samsung Electronics", "Samsung")
    short = ent("Samsung", "ORG", "Samsung", "Samsung's")
    # the long and short forms first: a later article's "Samsung" takes the long name
    found = _found_after(("a1", [both]))
    assert apply_teachings([short], found, "a2")[0].name == "Samsung Electronics"
    # "Samsung" alone first: the article writing both forms takes the name the stream used
    found = _found_after(("a1", [short]))
    assert apply_teachings([both], found, "a2")[0].name == "Samsung"


def test_only_a_name_cut_short_written_in_the_article_and_not_a_unit_is_looked_up() -> None:
    assert own_lookups([ent("Lockheed Martin", "ORG")]) == [alias_key("Lockheed Martin", "ORG")]
    assert alias_key("Lockheed", "ORG") in lookup_keys(
        [ent("Lockheed Martin", "ORG", "Lockheed Martin", "Lockheed")]
    )
    # a unit's qualifier (an acronym, a region, a country, a designator) does not cut a name short
    for name, short in (("Samsung MX", "Samsung"), ("Toyota Europe", "Toyota"), ("GM Daewoo", "GM")):
        assert own_lookups([ent(name, "ORG", name, short)]) == [alias_key(name, "ORG")]
    # nor does a product's: "iPod" is not "iPod Nano" in the next article
    assert lookup_keys([ent("iPod Nano", "PRODUCT", "iPod Nano", "iPod")]) == [
        alias_key("iPod Nano", "PRODUCT")
    ]
    # an article that writes "Samsung" apart from "Samsung Pay" keeps the short key for it
    entries = alias_entries(
        [ent("Samsung", "ORG"), ent("Samsung Pay", "ORG", "Samsung Pay", "Samsung")],
        article_id="a1",
        source_key="t/0/1",
        event_time=1.0,
    )
    assert entries[alias_key("Samsung", "ORG")].entity_names == ["Samsung", "ORG", SPELLING_MARK]


def test_a_model_written_without_its_maker_takes_the_makers_form_an_earlier_article_wrote() -> None:
    # "Boeing 787" registers under the designator; "787 Dreamliner" alone looks it up
    found = _found_after(("a1", [ent("Boeing 787", "PRODUCT")]))
    assert apply_teachings([ent("787 Dreamliner", "PRODUCT", "the 787 Dreamliner")], found, "a2")[0].name == (
        "Boeing 787"
    )
    # a maker's model never looks the designator up: "Fiat 500" is not "S&P 500"
    found = _found_after(("a1", [ent("S&P 500", "PRODUCT")]))
    assert apply_teachings([ent("Fiat 500", "PRODUCT")], found, "a2")[0].name == "Fiat 500"
    assert alias_key("500", "PRODUCT") not in lookup_keys([ent("Fiat 500", "PRODUCT")])


def test_offline_a_name_cut_short_alone_takes_the_long_name_an_earlier_article_wrote_with_it() -> None:
    first, second = offline(TRUNCATED_ARTICLES)
    samsung = ("Samsung Electronics", entity_id("Samsung Electronics", "ORG"))
    assert samsung in orgs(first) and orgs(second) == [samsung]
    # read the other way round, the long form takes the short name the stream met first
    second, first = offline(TRUNCATED_ARTICLES[::-1])
    assert ("Samsung", entity_id("Samsung", "ORG")) in orgs(first) and orgs(second) == orgs(first)


def test_every_form_of_a_model_takes_the_first_name_the_stream_gave_it() -> None:
    # "787 Dreamliner" alone came first: a later "Boeing 787", with or without the nickname, takes it
    found = _found_after(("a1", [ent("787 Dreamliner", "PRODUCT")]))
    assert apply_teachings([ent("Boeing 787", "PRODUCT")], found, "a2")[0].name == "787 Dreamliner"
    # even where another article taught the nickname the maker's form: the model's first name decides
    found = _found_after(
        ("a1", [ent("787 Dreamliner", "PRODUCT")]),
        ("a2", [ent("Boeing 787", "PRODUCT", "Boeing 787", "787 Dreamliners")]),
    )
    assert apply_teachings([ent("787 Dreamliner", "PRODUCT")], found, "a3")[0].name == "787 Dreamliner"
    # a maker's model takes no other maker's name under the same designator
    found = _found_after(("a1", [ent("S&P 500", "PRODUCT")]))
    assert apply_teachings([ent("Fiat 500", "PRODUCT")], found, "a2")[0].name == "Fiat 500"


def test_a_name_with_generic_trade_words_meets_its_short_form_in_either_order() -> None:
    long_first = alias_entries(
        [ent("Brightcoin Global", "ORG")], article_id="a0", source_key="t/0/1", event_time=1.0
    )
    assert alias_key("Brightcoin", "ORG") in long_first
    found = {key: teachings_in(key, [entry]) for key, entry in long_first.items()}
    assert apply_teachings([ent("Brightcoin", "ORG")], found, "a1")[0].name == "Brightcoin Global"
    short_first = alias_entries(
        [ent("Brightcoin", "ORG")], article_id="a0", source_key="t/0/1", event_time=1.0
    )
    found = {key: teachings_in(key, [entry]) for key, entry in short_first.items()}
    assert apply_teachings([ent("Brightcoin Global", "ORG")], found, "a1")[0].name == "Brightcoin"
    # a plain last word is not generic: "Kessler Power" alone does not look "Kessler" up
    assert alias_key("Kessler", "ORG") not in lookup_keys([ent("Kessler Power", "ORG")])


def test_an_acronym_first_names_the_entity_whatever_form_a_later_article_writes() -> None:
    usaf = ent("United States Air Force", "ORG", "United States Air Force", "USAF")
    # "US Air Force" came first, registered under its initials: the article introducing "USAF"
    # takes it, and so does a later "USAF" alone or "United States Air Force" alone
    found = _found_after(("a1", [ent("US Air Force", "ORG")]))
    assert apply_teachings([usaf], found, "a2")[0].name == "US Air Force"
    found = _found_after(("a1", [ent("US Air Force", "ORG")]), ("a2", [usaf]))
    for later in (ent("USAF", "ORG"), ent("United States Air Force", "ORG"), ent("US Air Force", "ORG")):
        assert apply_teachings([later], found, "a3")[0].name == "US Air Force"
    # the expansion alone first: the introduction and the acronym alone take it
    found = _found_after(("a1", [ent("United States Air Force", "ORG")]), ("a2", [usaf]))
    assert apply_teachings([usaf], found, "a2")[0].name == "United States Air Force"
    assert apply_teachings([ent("USAF", "ORG")], found, "a3")[0].name == "United States Air Force"


def test_initials_alone_name_nothing_without_a_teaching_of_that_name() -> None:
    assert initials_key(ent("Medical Research Council", "ORG")) == alias_key("MRC", "ORG")
    assert initials_key(ent("Électricité de France", "ORG")) == alias_key("EF", "ORG")
    assert initials_key(ent("MRC", "ORG")) is None and initials_key(ent("Apple", "ORG")) is None
    assert initials_key(ent("Bank of england", "ORG")) is None  # a common noun: not a proper name
    # "Associated Press" registered under "AP": an "AP" alone is not taken for it
    found = _found_after(("a1", [ent("Associated Press", "ORG")]))
    assert apply_teachings([ent("AP", "ORG")], found, "a2")[0].name == "AP"
    # a teaching of another meaning came first: neither name takes the other
    found = _found_after(
        ("a1", [ent("AP", "ORG")]), ("a2", [ent("Advanced Placement", "ORG", "Advanced Placement", "AP")])
    )
    assert apply_teachings([ent("Associated Press", "ORG")], found, "a3")[0].name == "Associated Press"
    assert apply_teachings([ent("Advanced Placement", "ORG")], found, "a3")[0].name == "AP"


def test_a_university_of_a_place_meets_the_place_university_in_either_order() -> None:
    of_form, place_form = ent("University of Oxford", "ORG"), ent("Oxford University", "ORG")
    found = _found_after(("a1", [of_form]))
    assert apply_teachings([place_form], found, "a2")[0].name == "University of Oxford"
    found = _found_after(("a1", [place_form]))
    assert apply_teachings([of_form], found, "a2")[0].name == "Oxford University"
    # a longer name that only starts with one is another organisation
    found = _found_after(("a1", [of_form]))
    assert apply_teachings([ent("Oxford University Press", "ORG")], found, "a2")[0].name == (
        "Oxford University Press"
    )


def test_a_name_led_by_a_nationality_meets_the_name_without_it_in_either_order() -> None:
    both = ent("Deutsche Lufthansa", "ORG", "Lufthansa", "Deutsche Lufthansa AG")
    short = ent("Lufthansa", "ORG")
    found = _found_after(("a1", [both]))
    assert apply_teachings([short], found, "a2")[0].name == "Deutsche Lufthansa"
    found = _found_after(("a1", [short]))
    assert apply_teachings([both], found, "a2")[0].name == "Lufthansa"
    # only where the article writes the short form, and only a nationality: "Manchester United"
    # with "United" does not name another article's "United"
    assert alias_key("Lufthansa", "ORG") not in lookup_keys([ent("Deutsche Lufthansa", "ORG")])
    found = _found_after(("a1", [ent("Manchester United", "ORG", "Manchester United", "United")]))
    assert apply_teachings([ent("United", "ORG")], found, "a2")[0].name == "United"
