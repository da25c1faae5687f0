"""The canonical-name resolution procedure, one class of names at a time (pure: hand-made NER spans)."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from streamproc.enrich.entities import (
    FieldName,
    Mention,
    canonical_entities,
    definite_references,
    mentions_from_spans,
    propagate_mentions,
)
from streamproc.enrich.names import acronym_matches, entity_id, short_form_matches, strip_legal_form
from streamproc.models import Entity


def spans_of(text: str, *tagged: tuple[str, str]) -> list[tuple[int, int, str]]:
    """NER spans for each (surface, label), searched in order, each after the previous one."""
    out: list[tuple[int, int, str]] = []
    cursor = 0
    for surface, label in tagged:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        out.append((start, cursor, label))
    return out


def resolve(
    body: str, *tagged: tuple[str, str], title: str = "", title_tags: Sequence[tuple[str, str]] = ()
) -> list[Entity]:
    """The whole entity path of enrich/pipeline.py on given NER spans."""
    texts: dict[FieldName, str] = {"body": body}
    mentions = mentions_from_spans("body", body, spans_of(body, *tagged))
    if title:
        texts = {"title": title, "body": body}
        mentions = mentions_from_spans("title", title, spans_of(title, *title_tags)) + mentions
    mentions = definite_references(propagate_mentions(mentions, texts), texts)
    return canonical_entities(mentions, texts=texts)


def groups(entities: list[Entity]) -> dict[str, set[str]]:
    return {e.name: set(e.surface_forms) for e in entities}


def names(entities: list[Entity]) -> set[str]:
    return {e.name for e in entities}


def test_acronym_introduced_in_parentheses_joins_its_expansion() -> None:
    body = "General Motors (GM) cut jobs. GM shares fell."
    entities = resolve(body, ("General Motors", "ORG"), ("GM", "ORG"), ("GM", "ORG"))
    assert groups(entities) == {"General Motors": {"General Motors", "GM"}}


def test_acronym_before_its_expansion_without_parentheses() -> None:
    body = "NASA delayed the test. The National Aeronautics and Space Administration said so."
    entities = resolve(body, ("NASA", "ORG"), ("The National Aeronautics and Space Administration", "ORG"))
    assert len(entities) == 1 and entities[0].mentions == 2
    # A long expansion is written in varying words; its acronym names the entity.
    assert entities[0].name == "NASA"


def test_parenthetical_acronym_that_does_not_spell_its_name_still_joins() -> None:
    body = "Singapore Airlines (SIA) took delivery. SIA said."
    entities = resolve(body, ("Singapore Airlines", "ORG"), ("SIA", "ORG"), ("SIA", "ORG"))
    assert groups(entities) == {"Singapore Airlines": {"Singapore Airlines", "SIA"}}


def test_an_acronym_with_two_possible_expansions_stays_alone() -> None:
    body = "General Motors and Goldman Merchants met. GM said nothing."
    entities = resolve(body, ("General Motors", "ORG"), ("Goldman Merchants", "ORG"), ("GM", "ORG"))
    assert names(entities) == {"General Motors", "Goldman Merchants", "GM"}


def test_legal_forms_and_generic_words() -> None:
    body = "Apple Inc. reported. Apple Computer was founded in 1976. Apple said."
    entities = resolve(body, ("Apple Inc.", "ORG"), ("Apple Computer", "ORG"), ("Apple", "ORG"))
    assert [(e.name, e.mentions) for e in entities] == [("Apple", 3)]
    # "General Motors" has no shorter form in its article: nothing is cut from it.
    assert names(resolve("General Motors said.", ("General Motors", "ORG"))) == {"General Motors"}
    assert strip_legal_form("Nexora Semiconductors N.V.") == "Nexora Semiconductors"
    assert strip_legal_form("Procter & Gamble Co.") == "Procter & Gamble"


def test_ford_motor_company_and_ford() -> None:
    body = "Ford Motor Company announced a plan. Ford said on Tuesday."
    entities = resolve(body, ("Ford Motor Company", "ORG"), ("Ford", "ORG"))
    assert [(e.name, e.mentions) for e in entities] == [("Ford", 2)]


def test_definite_short_references() -> None:
    body = "The European Commission opened an inquiry. The Commission said it would examine the case."
    entities = resolve(body, ("The European Commission", "ORG"))
    assert groups(entities) == {"European Commission": {"The European Commission", "Commission"}}
    body = "The Bank of England held rates. Governor Andrew Bailey said the Bank would wait."
    entities = resolve(body, ("The Bank of England", "ORG"), ("Andrew Bailey", "PERSON"))
    assert groups(entities)["Bank of England"] == {"The Bank of England", "Bank"}


def test_definite_reference_shared_by_two_organisations_is_left_alone() -> None:
    body = "The European Central Bank and the Bank of England met. The Bank said nothing."
    entities = resolve(body, ("The European Central Bank", "ORG"), ("the Bank of England", "ORG"))
    assert names(entities) == {"European Central Bank", "Bank of England"}


def test_truncated_name_after_the_full_name_joins_it() -> None:
    body = "Northrop Grumman won the contract. Northrop said it was pleased."
    entities = resolve(body, ("Northrop Grumman", "ORG"), ("Northrop", "ORG"))
    assert groups(entities) == {"Northrop Grumman": {"Northrop Grumman", "Northrop"}}


def test_a_longer_name_after_the_short_one_is_a_part_not_the_same() -> None:
    body = "Boeing said. Its unit Boeing Commercial Airplanes delivered jets."
    entities = resolve(body, ("Boeing", "ORG"), ("Boeing Commercial Airplanes", "ORG"))
    assert names(entities) == {"Boeing", "Boeing Commercial Airplanes"}


def test_short_name_with_two_longer_ones_is_not_merged() -> None:
    body = "Apple Corps sued Apple Computer. Apple denied it."
    entities = resolve(body, ("Apple Corps", "ORG"), ("Apple Computer", "ORG"), ("Apple", "ORG"))
    assert groups(entities) == {"Apple Corps": {"Apple Corps"}, "Apple": {"Apple Computer", "Apple"}}


def test_two_people_sharing_a_surname_keep_the_bare_surname_apart() -> None:
    body = "Laura Smith runs Halden. Peter Smith founded Marston. Smith declined to comment."
    entities = resolve(body, ("Laura Smith", "PERSON"), ("Peter Smith", "PERSON"), ("Smith", "PERSON"))
    assert groups(entities) == {
        "Laura Smith": {"Laura Smith"},
        "Peter Smith": {"Peter Smith"},
        "Smith": {"Smith"},
    }


def test_first_name_alone_joins_the_one_full_name() -> None:
    body = "Priya Natarajan stepped down. Priya told staff. Natarajan stays on the board."
    entities = resolve(body, ("Priya Natarajan", "PERSON"), ("Priya", "PERSON"), ("Natarajan", "ORG"))
    assert [(e.name, e.type, e.mentions) for e in entities] == [("Priya Natarajan", "PERSON", 3)]


def test_role_words_are_not_part_of_a_person_name() -> None:
    body = "Spokeswoman Sandy Angers said. Angers added more."
    entities = resolve(body, ("Spokeswoman Sandy Angers", "PERSON"), ("Angers", "PERSON"))
    assert groups(entities) == {"Sandy Angers": {"Sandy Angers", "Angers"}}


def test_all_caps_dateline_place_is_a_place_in_title_case() -> None:
    body = "BALTIMORE - The company said. TOULOUSE, France - no."
    entities = resolve(body, ("BALTIMORE", "ORG"))
    assert [(e.name, e.type) for e in entities] == [("Baltimore", "GPE")]
    body = "TOULOUSE, France - Harlow unveiled a jet."
    entities = resolve(body, ("TOULOUSE", "ORG"), ("France", "ORG"))
    assert {(e.name, e.type) for e in entities} == {("Toulouse", "GPE"), ("France", "GPE")}


def test_acronyms_in_capitals_keep_their_case() -> None:
    entities = resolve("The USAF said.", ("USAF", "ORG"))
    assert [e.name for e in entities] == ["USAF"]


def test_product_is_its_own_entity_and_its_maker_keeps_the_mention() -> None:
    body = "Airbus delivered the Airbus A380 to the airline. The A380 seats 500. Airbus said."
    entities = resolve(body, ("Airbus", "ORG"), ("Airbus", "ORG"), ("The A380", "ORG"), ("Airbus", "ORG"))
    by = {e.name: e for e in entities}
    assert set(by) == {"Airbus", "A380"}  # the designator carries its maker's initial
    assert by["A380"].type == "PRODUCT" and by["A380"].mentions == 2
    assert by["Airbus"].type == "ORG" and by["Airbus"].mentions == 3


def test_a_designator_with_its_makers_initial_names_the_product_in_every_form() -> None:
    # One article writes the maker, another the bare model, a third a number after the maker:
    # all three name the jet "E195", so counts across articles agree whichever came first.
    first = resolve("Embraer flew the Embraer E195 to Oslo.", ("Embraer", "ORG"), ("Embraer", "ORG"))
    second = resolve("The E195 landed in Oslo.", ("E195", "PRODUCT"))
    third = resolve("The E195 seats 120. Embraer 195 orders rose.", ("E195", "PRODUCT"), ("Embraer", "ORG"))
    assert "E195" in names(first) and names(second) == {"E195"}
    assert "E195" in names(third) and "Embraer 195" not in names(third)
    assert next(e for e in third if e.name == "E195").mentions == 2
    # A bare number keeps its maker: "787" alone could be anything.
    assert "Boeing 787" in names(resolve("Boeing flew the Boeing 787.", ("Boeing", "ORG"), ("Boeing", "ORG")))


def test_a_mixed_case_brands_store_and_software_are_named_by_the_brand() -> None:
    body = "Songs on the Zunify Music Store cost less. Zunify sold more. Zunify Software 2 is out."
    one = resolve(body, ("Zunify Music Store", "ORG"), ("Zunify", "ORG"), ("Zunify Software", "ORG"))
    body = "The kPlay Store opened. kPlay Music Store sales rose. The App Store and the Apple Store too."
    tags = [
        ("kPlay Store", "ORG"),
        ("kPlay Music Store", "ORG"),
        ("App Store", "ORG"),
        ("Apple Store", "ORG"),
    ]
    two = resolve(body, *tags)
    # "Zunify" is not a mixed-case brand: its shop stays a name of its own.
    assert "Zunify Music Store" in names(one)
    assert names(two) == {"kPlay", "App Store", "Apple Store"}
    assert next(e for e in two if e.name == "kPlay").mentions == 2


def test_numbers_after_a_name_are_not_always_models() -> None:
    body = "Airbus 300 million euros. Boeing 2007 results."
    entities = resolve(body, ("Airbus", "ORG"), ("Boeing", "ORG"))
    assert {e.type for e in entities} == {"ORG"}


def test_series_word_and_plural_models() -> None:
    body = "Boeing resumed deliveries of 737 MAX jets. Boeing 737 MAX planes. Ryanair has 737 MAXs."
    entities = resolve(body, ("Boeing", "ORG"), ("Boeing", "ORG"))
    assert "Boeing 737 MAX" in names(entities)


def test_plural_joins_singular() -> None:
    body = "The iPod sold well. iPods are popular."
    entities = resolve(body, ("iPod", "ORG"), ("iPods", "ORG"))
    assert [(e.name, e.mentions) for e in entities] == [("iPod", 2)]


def test_spans_split_at_separators_and_coordinations() -> None:
    text = "San Jose - Cisco said. The Macbook and Macbook Pro sold."
    mentions = mentions_from_spans(
        "body", text, spans_of(text, ("San Jose - Cisco", "GPE"), ("Macbook and Macbook Pro", "ORG"))
    )
    assert [m.text for m in mentions] == ["San Jose", "Cisco", "Macbook", "Macbook Pro"]


def test_possessive_inside_a_name_splits_only_when_the_owner_is_written_alone() -> None:
    text = "the United Nations Children's Fund (UNICEF) said."
    mentions = mentions_from_spans("body", text, spans_of(text, ("United Nations Children's Fund", "ORG")))
    assert [m.text for m in mentions] == ["United Nations Children's Fund"]
    text = "Apple Computer's Mac OS is new. Apple Computer said."
    mentions = mentions_from_spans("body", text, spans_of(text, ("Apple Computer's Mac OS", "ORG")))
    assert [m.text for m in mentions] == ["Apple Computer's", "Mac OS"]


def test_headline_word_in_front_of_a_product_name_is_dropped() -> None:
    title = "First Airbus A380 delivered"
    body = "The first A380 was delivered today."
    entities = resolve(body, ("A380", "ORG"), title=title, title_tags=[("First Airbus A380", "ORG")])
    assert "A380" in names(entities)
    assert not any(name.startswith("First") for name in names(entities))


def test_acronym_matching() -> None:
    assert acronym_matches("EADS", "European Aeronautic Defence and Space Company")
    assert acronym_matches("USAF", "United States Air Force")
    assert acronym_matches("ORR", "Office of Rail and Road")
    assert not acronym_matches("UK", "Royal Air Force")
    assert not acronym_matches("GM", "Motors")


def test_entity_ids_are_a_function_of_name_and_coarse_type() -> None:
    assert entity_id("Apple", "ORG") == entity_id("APPLE", "PRODUCT")  # ORG/PRODUCT are one coarse type
    assert entity_id("Qatar", "GPE") != entity_id("Qatar", "ORG")
    entities = resolve("Apple Inc. said. Apple agreed.", ("Apple Inc.", "ORG"), ("Apple", "ORG"))
    assert entities[0].entity_id == entity_id("Apple", "ORG")
    assert entities[0].entity_id.startswith("e-") and len(entities[0].entity_id) == 18


def test_resolution_is_deterministic() -> None:
    body = "General Motors (GM) and Ford Motor Company. GM and Ford. The Commission. European Commission."
    tagged = (
        ("General Motors", "ORG"),
        ("GM", "ORG"),
        ("Ford Motor Company", "ORG"),
        ("GM", "ORG"),
        ("Ford", "ORG"),
    )
    assert resolve(body, *tagged) == resolve(body, *tagged)


def test_mentions_are_placed_in_their_text() -> None:
    body = "General Motors (GM) said. The A380 and Airbus A380s. BALTIMORE - x."
    entities = resolve(body, ("General Motors", "ORG"), ("GM", "ORG"), ("A380", "ORG"), ("Airbus", "ORG"))
    for entity in entities:
        for span, form in zip(entity.spans, entity.surface_forms, strict=False):
            assert body[span.start : span.end] in entity.surface_forms
            assert form


def test_mention_type_is_from_a_closed_set() -> None:
    entities = resolve(
        "Cathay Pacific ordered ten H900s from Harlow.", ("Cathay Pacific", "ORG"), ("H900s", "PRODUCT")
    )
    assert {e.type for e in entities} <= {"ORG", "PRODUCT"}


def test_mention_dataclass_unchanged() -> None:
    assert Mention("body", 0, 2, "GM", "ORG").text == "GM"


def test_a_place_is_not_the_company_named_after_it() -> None:
    body = "Washington Group won the contract. Officials in Washington approved it."
    entities = resolve(body, ("Washington Group", "ORG"), ("Washington", "GPE"))
    assert {(e.name, e.type) for e in entities} == {("Washington Group", "ORG"), ("Washington", "GPE")}


def test_mixed_case_acronym_introduced_in_parentheses() -> None:
    body = "The Department of Defense (DoD) raised spending. The DoD budget grew."
    entities = resolve(body, ("The Department of Defense", "ORG"), ("DoD", "ORG"), ("DoD", "ORG"))
    assert len(entities) == 1 and entities[0].mentions == 3


LABELS = ["PERSON", "ORG", "GPE", "LOC", "PRODUCT", "NORP", "DATE", "CARDINAL", "MISC"]


WORDS = [
    "The",
    "the",
    "Inc.",
    "BALTIMORE",
    "Apple",
    "GM",
    "A380",
    "Bank",
    "of",
    "and",
    "(",
    ")",
    "-",
    "'s",
    ",",
    "\n",
    "Smith",
    "Co",
]


@settings(max_examples=200, deadline=None)
@given(
    body=st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), max_size=30).map(" ".join),
    raw_spans=st.lists(
        st.tuples(st.integers(0, 160), st.integers(0, 40), st.sampled_from(LABELS)), max_size=12
    ),
)
def test_resolution_never_fails_and_spans_stay_in_the_text(
    body: str, raw_spans: list[tuple[int, int, str]]
) -> None:
    spans = [(min(s, len(body)), min(s + n, len(body)), label) for s, n, label in raw_spans]
    texts: dict[FieldName, str] = {"body": body}
    mentions = mentions_from_spans("body", body, spans)
    mentions = definite_references(propagate_mentions(mentions, texts), texts)
    for entity in canonical_entities(mentions, texts=texts):
        assert entity.mentions == len(entity.spans) >= 1
        assert entity.entity_id == entity_id(entity.name, entity.type)
        for span in entity.spans:
            assert 0 <= span.start < span.end <= len(body)


# --- span repairs from the text around the NER span -------------------------------------------


def test_a_version_letter_after_a_name_is_part_of_it() -> None:
    body = "Tiger is the newest version of Mac OS X, version 10.4, and Mac OS X runs on Intel."
    entities = resolve(body, ("Tiger", "PERSON"), ("Mac OS", "ORG"))
    assert "Mac OS X" in names(entities)
    assert groups(entities)["Mac OS X"] == {"Mac OS X"}


def test_a_letter_of_an_abbreviation_or_a_possessive_is_not_a_version_letter() -> None:
    body = "He said that as Apple's C.E.O. he would tell us. Apple's C team followed."
    entities = resolve(body, ("Apple's", "ORG"))
    assert names(entities) == {"Apple"}


def test_a_mixed_case_brand_before_a_quoted_name_is_its_first_word() -> None:
    body = 'Apple opened the iTunes "App Store" on Friday. The iTunes Store sells songs.'
    entities = resolve(body, ("Apple", "ORG"), ("App Store", "PERSON"), ("iTunes Store", "ORG"))
    assert groups(entities)["iTunes"] == {'iTunes "App Store', "iTunes Store"}
    assert next(e for e in entities if e.name == "iTunes").type == "ORG"


def test_a_person_after_a_product_is_not_part_of_it() -> None:
    body = "On stage with the iPhone Steve Jobs smiled."
    entities = resolve(body, ("iPhone", "ORG"), ("Steve Jobs", "PERSON"))
    assert {"iPhone", "Steve Jobs"} <= names(entities)


def test_a_lower_case_word_the_article_also_writes_capitalised_continues_the_name() -> None:
    title = "The iPod Nano arrives"
    body = "Apple showed the iPod nano on Tuesday. The iPod nano is thin."
    entities = resolve(
        body, ("iPod", "ORG"), ("iPod", "ORG"), title=title, title_tags=[("The iPod Nano", "ORG")]
    )
    assert len([e for e in entities if e.name.casefold() == "ipod nano"]) == 1
    assert "iPod" not in names(entities)


def test_a_lower_case_word_used_elsewhere_does_not_continue_a_name() -> None:
    body = "Will Smith spoke. Apple will sell phones, and it will grow."
    entities = resolve(body, ("Will Smith", "PERSON"), ("Apple", "ORG"))
    assert "Apple" in names(entities)


def test_a_lone_word_typed_a_person_that_ends_a_product_name_joins_it() -> None:
    body = "In addition to the iPod Classic, Nano and Shuffle, the iPod nano is smaller."
    entities = resolve(body, ("the iPod Classic", "ORG"), ("Nano", "PERSON"), ("iPod", "ORG"))
    nano = [e for e in entities if "Nano" in e.surface_forms]
    assert len(nano) == 1 and nano[0].name.casefold() == "ipod nano"


def test_a_longer_name_of_the_article_replaces_the_pieces_ner_cut_it_into() -> None:
    body = "Lockheed Martin won. Rivals of Lockheed Martin's unit complained."
    entities = resolve(body, ("Lockheed Martin", "ORG"), ("Lockheed", "ORG"), ("Martin", "PRODUCT"))
    assert names(entities) == {"Lockheed Martin"}


# --- model nicknames ----------------------------------------------------------------------------


def test_a_model_nickname_names_the_model_by_maker_and_designator() -> None:
    body = "Aeroflot bought 22 Boeing 787 Dreamliners. The Dreamliner flies in 2014."
    entities = resolve(body, ("Aeroflot", "ORG"), ("Boeing 787 Dreamliners", "ORG"), ("Dreamliner", "PERSON"))
    assert groups(entities)["Boeing 787"] >= {"Dreamliner"}
    assert next(e for e in entities if e.name == "Boeing 787").type == "PRODUCT"
    assert "Boeing" in names(entities)


def test_a_nickname_introduced_after_the_model_joins_it() -> None:
    body = "The Boeing 787, or Dreamliner, is a mid-sized jet. Korean Air bought 20 Dreamliners."
    entities = resolve(
        body, ("Boeing", "ORG"), ("787", "PRODUCT"), ("Dreamliner", "PERSON"), ("Korean Air", "ORG")
    )
    assert groups(entities)["Boeing 787"] >= {"Dreamliner"}


def test_a_designator_and_nickname_join_the_one_model_of_that_designator() -> None:
    body = "Boeing 787 orders grew. The 787 Dreamliner uses less fuel."
    entities = resolve(body, ("Boeing", "ORG"), ("The 787 Dreamliner", "ORG"))
    assert groups(entities)["Boeing 787"] >= {"The 787 Dreamliner"}


def test_a_variant_word_after_a_designator_is_not_a_nickname() -> None:
    body = "Samsung Galaxy S24 sales rose and the Samsung Galaxy S24 Ultra sold out."
    entities = resolve(body, ("Samsung Galaxy S24", "PRODUCT"), ("Samsung Galaxy S24 Ultra", "PRODUCT"))
    assert {"Samsung Galaxy S24", "Samsung Galaxy S24 Ultra"} <= names(entities)


# --- public bodies, places in company names, acronyms NER missed ---------------------------------


def test_a_country_abbreviation_before_a_public_body_is_the_country() -> None:
    body = "The U.S. Department of Defense ordered jets. U.S. Steel and US Airways were not involved."
    entities = resolve(
        body, ("The U.S. Department of Defense", "ORG"), ("U.S. Steel", "ORG"), ("US Airways", "ORG")
    )
    assert {"United States", "Department of Defense", "U.S. Steel", "US Airways"} <= names(entities)


def test_a_place_ending_a_company_name_stays_the_place() -> None:
    body = "Toyota builds in North Carolina. Toyota Battery Manufacturing North Carolina will run it."
    entities = resolve(
        body,
        ("Toyota", "ORG"),
        ("North Carolina", "GPE"),
        ("Toyota Battery Manufacturing North Carolina", "ORG"),
    )
    assert {"North Carolina", "Toyota Battery Manufacturing North Carolina"} <= names(entities)


def test_an_acronym_ner_missed_joins_the_organisation_it_spells() -> None:
    title = "ECB holds rates"
    body = "The European Central Bank kept rates. ECB President Christine Lagarde spoke."
    entities = resolve(
        body,
        ("The European Central Bank", "ORG"),
        ("Christine Lagarde", "PERSON"),
        title=title,
    )
    assert groups(entities)["European Central Bank"] == {"The European Central Bank", "ECB"}


def test_an_acronym_in_apposition_joins_the_name_before_it() -> None:
    body = "Aid came from the United Nations Children's Fund, UNICEF, and from Ford, GM and Chrysler."
    tags = [("the United Nations Children's Fund", "ORG"), ("UNICEF", "ORG"), ("Ford", "ORG"), ("GM", "ORG")]
    entities = resolve(body, *tags, ("Chrysler", "ORG"))
    assert groups(entities)["UNICEF"] == {"UNICEF", "the United Nations Children's Fund"}
    assert {"Ford", "GM"} <= names(entities)


def test_an_acronym_coined_before_the_name_grew_an_and_word() -> None:
    assert acronym_matches("CDC", "Centers for Disease Control and Prevention")
    assert not acronym_matches("CDCP", "Centers for Disease Control")


def test_a_dateline_place_ner_missed_is_a_place() -> None:
    body = "FRANKFURT - The European Central Bank kept rates on hold."
    entities = resolve(body, ("The European Central Bank", "ORG"))
    assert next(e for e in entities if e.name == "Frankfurt").type == "GPE"


def test_a_name_ending_in_a_short_run_of_capitals_is_not_a_person() -> None:
    body = "The device runs Mac OSX. Emmanuel MACRON and Jimmy Wu spoke."
    entities = resolve(body, ("Mac OSX", "PERSON"), ("Emmanuel MACRON", "PERSON"), ("Jimmy Wu", "PERSON"))
    assert {e.name: e.type for e in entities} == {
        "Mac OSX": "ORG",
        "Emmanuel MACRON": "PERSON",
        "Jimmy Wu": "PERSON",
    }


def test_two_names_joined_by_and_split_when_the_article_writes_each_alone() -> None:
    body = (
        "Pichai runs Alphabet and Google. Alphabet shares rose; Google Cloud grew. "
        "Procter & Gamble fell. Procter and Gamble said so."
    )
    entities = resolve(
        body,
        ("Alphabet and Google", "ORG"),
        ("Alphabet", "ORG"),
        ("Google Cloud", "ORG"),
        ("Procter & Gamble", "ORG"),
    )
    assert {"Alphabet", "Google", "Google Cloud", "Procter & Gamble"} <= names(entities)
    assert "Alphabet and Google" not in names(entities)


def test_a_boundary_ner_put_inside_a_name_the_article_writes_is_moved_to_the_name_s_end() -> None:
    body = "Lockheed Martin Corp. won. Lockheed Martin Aeronautics, its division, builds the jet."
    entities = resolve(
        body, ("Lockheed Martin Corp.", "ORG"), ("Lockheed", "ORG"), ("Martin Aeronautics", "PERSON")
    )
    assert {e.name: e.type for e in entities} == {
        "Lockheed Martin": "ORG",
        "Lockheed Martin Aeronautics": "ORG",
    }


def test_clipped_short_forms_match_their_name() -> None:
    assert short_form_matches("Fed", "Federal Reserve")
    assert short_form_matches("Caltech", "California Institute of Technology")
    assert short_form_matches("BofA", "Bank of America")
    assert short_form_matches("VW", "Volkswagen")
    assert short_form_matches("VW", "Volkswagen Group")
    # a whole word is not a clipping; a first name is not pieces of a bank; vowels are chance
    assert not short_form_matches("Amazon", "Amazon Web Services")
    assert not short_form_matches("Bank", "Bank of America")
    assert not short_form_matches("Bob", "Bank of Boston")
    assert not short_form_matches("Toyota", "Toyota Motor North America")
    assert not short_form_matches("GE", "Generali")
    assert not short_form_matches("Mac", "MacBook Pro")  # a whole part of a camel-case compound


def test_clipped_short_form_joins_the_one_name_it_comes_from() -> None:
    body = "The Federal Reserve held rates. The Fed's chair spoke. Bank of America and BofA analysts agreed."
    entities = resolve(
        body,
        ("The Federal Reserve", "ORG"),
        ("Fed", "ORG"),
        ("Bank of America", "GPE"),  # model types seen on such names
        ("BofA", "PERSON"),
    )
    assert groups(entities) == {
        "Federal Reserve": {"The Federal Reserve", "Fed"},
        "Bank of America": {"Bank of America", "BofA"},
    }
    assert {e.name: e.type for e in entities}["Bank of America"] == "ORG"


def test_compound_initials_join_and_a_person_named_like_a_clipping_does_not() -> None:
    body = (
        "Volkswagen Group cut its forecast. VW chief Oliver Blume spoke. Volkswagen shares fell. "
        "Bob Smith of the Bank of Boston and Bob agreed."
    )
    entities = resolve(
        body,
        ("Volkswagen Group", "ORG"),
        ("VW", "ORG"),
        ("Oliver Blume", "PERSON"),
        ("Volkswagen", "ORG"),
        ("Bob Smith", "PERSON"),
        ("the Bank of Boston", "ORG"),
        ("Bob", "PERSON"),
    )
    assert groups(entities)["Volkswagen"] == {"Volkswagen Group", "VW", "Volkswagen"}
    assert "Bob" in groups(entities)["Bob Smith"]


def test_us_state_abbreviation_is_the_state() -> None:
    body = "SAVANNAH, Ga. - Kia will build a plant in Georgia. The L.A. office and LA stay."
    entities = resolve(body, ("SAVANNAH", "GPE"), ("Ga.", "GPE"), ("Georgia", "GPE"), ("L.A.", "GPE"))
    assert groups(entities)["Georgia"] == {"Ga.", "Georgia"}
    assert "Louisiana" not in names(entities)


def test_name_cut_before_the_words_its_acronym_spells_runs_to_them() -> None:
    body = "Amazon Web Services will spend more. AWS chief Matt Garman spoke. Amazon shares fell."
    entities = resolve(body, ("Amazon", "ORG"), ("AWS", "ORG"), ("Matt Garman", "PERSON"), ("Amazon", "ORG"))
    assert groups(entities)["Amazon Web Services"] == {"Amazon Web Services", "AWS"}
    assert groups(entities)["Amazon"] == {"Amazon"}


def test_name_after_a_dateline_in_the_same_place_span_is_not_a_place() -> None:
    body = "DUBAI - Saudi Aramco will raise deliveries. Aramco chief Amin Nasser spoke."
    entities = resolve(body, ("DUBAI - Saudi Aramco", "GPE"), ("Aramco", "ORG"), ("Amin Nasser", "PERSON"))
    assert groups(entities)["Saudi Aramco"] == {"Saudi Aramco", "Aramco"}
    assert {e.name: e.type for e in entities} == {
        "Dubai": "GPE",
        "Saudi Aramco": "ORG",
        "Amin Nasser": "PERSON",
    }
    britain = resolve("LONDON - Britain's economy grew.", ("LONDON - Britain", "GPE"))
    assert {e.name: e.type for e in britain} == {"London": "GPE", "United Kingdom": "GPE"}


def test_lone_word_called_a_person_right_after_an_organisation_is_part_of_its_name() -> None:
    body = "Pichai runs Google. Google Cloud revenue rose. Apple's Tim Cook spoke."
    entities = resolve(
        body,
        ("Pichai", "PERSON"),
        ("Google", "ORG"),
        ("Cloud", "PERSON"),
        ("Apple", "ORG"),
        ("Tim Cook", "PERSON"),
    )
    assert {e.name: e.type for e in entities}["Google Cloud"] == "ORG"
    assert groups(entities)["Google"] == {"Google"}
    assert "Tim Cook" in names(entities)


def test_one_word_ending_in_a_capital_after_small_letters_is_not_a_person() -> None:
    body = "UBS and BofA economists expect cuts. PwC agreed. Ms. Smith spoke."
    entities = resolve(body, ("UBS", "ORG"), ("BofA", "PERSON"), ("PwC", "PERSON"), ("Smith", "PERSON"))
    assert {e.name: e.type for e in entities} == {
        "UBS": "ORG",
        "BofA": "ORG",
        "PwC": "ORG",
        "Smith": "PERSON",
    }


def test_honorific_and_surname_is_the_person_whatever_the_model_typed() -> None:
    body = "Health Minister Anna Lindgren opened the ward. Ms Lindgren said more beds would follow."
    entities = resolve(body, ("Anna Lindgren", "PERSON"), ("Ms Lindgren", "WORK_OF_ART"))
    assert groups(entities) == {"Anna Lindgren": {"Anna Lindgren", "Lindgren"}}
    assert entities[0].type == "PERSON"
    # "Dr" also starts brands, so it does not make a person of a span typed otherwise
    brand = resolve("Dr Pepper sales rose.", ("Dr Pepper", "ORG"))
    assert [(e.name, e.type) for e in brand] == [("Dr Pepper", "ORG")]


def test_acronym_introduced_in_parentheses_joins_whatever_its_type() -> None:
    body = "Norway's Petroleum Safety Authority (PSA) will audit the rig; the PSA found no fault."
    entities = resolve(body, ("Petroleum Safety Authority", "ORG"), ("PSA", "GPE"), ("PSA", "GPE"))
    assert groups(entities)["Petroleum Safety Authority"] == {"Petroleum Safety Authority", "PSA"}


def test_acronym_in_capitals_typed_a_person_joins_the_organisation_it_spells() -> None:
    body = "Schweizerische Bundesbahnen ordered trains. SB said delivery starts in 2029."
    entities = resolve(body, ("Schweizerische Bundesbahnen", "ORG"), ("SB", "PERSON"))
    assert groups(entities) == {"Schweizerische Bundesbahnen": {"Schweizerische Bundesbahnen", "SB"}}
    # a person's initials do not join a person
    people = resolve(
        "John Fitzgerald Kennedy spoke. JFK left.", ("John Fitzgerald Kennedy", "PERSON"), ("JFK", "PERSON")
    )
    assert len(people) == 2


def test_acronym_may_spell_the_legal_form_of_the_name() -> None:
    body = "KMMC said sales rose. Korea Memory Manufacturing Co. plans a new fab."
    entities = resolve(body, ("KMMC", "ORG"), ("Korea Memory Manufacturing Co.", "ORG"))
    assert len(entities) == 1 and set(entities[0].surface_forms) == {"KMMC", "Korea Memory Manufacturing Co."}
    # without the legal form written, the letter is not there to spell
    apart = resolve(
        "KMMC said sales rose. Korea Memory Manufacturing plans a fab.",
        ("KMMC", "ORG"),
        ("Korea Memory Manufacturing", "ORG"),
    )
    assert len(apart) == 2


def test_definite_head_word_joins_an_expansion_named_by_its_acronym() -> None:
    body = (
        "The Financial Services and Markets Commission fined the broker. The FSMC said it had lied. "
        "The Commission's chair spoke later."
    )
    entities = resolve(
        body,
        ("Financial Services and Markets Commission", "ORG"),
        ("FSMC", "ORG"),
        ("Commission", "ORG"),
    )
    assert groups(entities) == {"FSMC": {"Financial Services and Markets Commission", "FSMC", "Commission"}}


def test_place_with_its_administrative_word_is_the_place() -> None:
    body = "Floods hit Hubei Province on Monday. Farmers in Hubei lost crops. Kern County and Kern River."
    entities = resolve(
        body, ("Hubei Province", "GPE"), ("Hubei", "GPE"), ("Kern County", "GPE"), ("Kern River", "LOC")
    )
    assert groups(entities)["Hubei"] == {"Hubei Province", "Hubei"}
    # "Mexico City" is not Mexico; a council is an organisation of its county
    apart = resolve(
        "Mexico City and Mexico. Kent County Council and Kent.",
        ("Mexico City", "GPE"),
        ("Mexico", "GPE"),
        ("Kent County Council", "ORG"),
        ("Kent", "GPE"),
    )
    assert len(apart) == 4


def test_company_name_hyphenated_to_its_trading_name_joins_it() -> None:
    body = "Lindqvist shipped more. J.B. Hagen-Lindqvist chief executive Ola Berg said so; Lindqvist rose."
    entities = resolve(
        body,
        ("Lindqvist", "PRODUCT"),
        ("J.B. Hagen-Lindqvist", "PERSON"),
        ("Ola Berg", "PERSON"),
        ("Lindqvist", "ORG"),
    )
    assert groups(entities)["Lindqvist"] == {"Lindqvist", "J.B. Hagen-Lindqvist"}
    assert next(e for e in entities if e.name == "Lindqvist").type == "ORG"


def test_one_hyphenated_word_does_not_join_the_name_after_its_hyphen() -> None:
    # "Hapag-Lloyd" is two names fused into a third company's, not a longer form of "Lloyd's"
    body = "Underwriters at Brandt cut premiums. Kessel-Brandt AG of Bremen held back."
    entities = resolve(body, ("Brandt", "ORG"), ("Kessel-Brandt AG", "ORG"), ("Bremen", "GPE"))
    assert len(entities) == 3
    assert {e.name for e in entities} >= {"Brandt", "Bremen"}


def test_generic_trade_words_join_the_short_name_in_either_order() -> None:
    body = "Brightcoin won a licence. Brightcoin Global Inc. shares rose. Nordmark Systems and Nordmark."
    entities = resolve(
        body,
        ("Brightcoin", "ORG"),
        ("Brightcoin Global Inc.", "ORG"),
        ("Nordmark Systems", "ORG"),
        ("Nordmark", "ORG"),
    )
    assert groups(entities) == {
        "Brightcoin": {"Brightcoin", "Brightcoin Global Inc."},
        "Nordmark": {"Nordmark Systems", "Nordmark"},
    }


def test_short_name_that_begins_two_longer_ones_joins_neither() -> None:
    body = (
        "Kessler Rail will build the trains. Kessler Rail is the rail unit of Kessler. "
        "Kessler shares rose; Kessler Power was spun off."
    )
    entities = resolve(
        body,
        ("Kessler Rail", "ORG"),
        ("Kessler Rail", "ORG"),
        ("Kessler", "ORG"),
        ("Kessler", "ORG"),
        ("Kessler Power", "ORG"),
    )
    assert names(entities) == {"Kessler Rail", "Kessler", "Kessler Power"}
    # with one longer name written first, the short one still joins it
    one = resolve(
        "Kessler Rail will build trains. Kessler said so.", ("Kessler Rail", "ORG"), ("Kessler", "ORG")
    )
    assert names(one) == {"Kessler Rail"}
    # a longer name and its own unit go on the same way: still one longer name
    nested = resolve(
        "Kessler Rail Systems Europe was formed. Kessler Rail builds trains; Kessler said so.",
        ("Kessler Rail Systems Europe", "ORG"),
        ("Kessler Rail", "ORG"),
        ("Kessler", "ORG"),
    )
    assert groups(nested)["Kessler Rail"] == {"Kessler Rail", "Kessler"}


def test_name_with_a_trade_word_and_generic_words_cut_short_joins_when_written_first() -> None:
    body = "Rival Nordlicht Solar Systems won tenders, and analysts said Nordlicht was cheapest."
    entities = resolve(body, ("Nordlicht Solar Systems", "ORG"), ("Nordlicht", "ORG"))
    assert groups(entities) == {"Nordlicht Solar Systems": {"Nordlicht Solar Systems", "Nordlicht"}}
    # the short name first: the longer one is more often a unit ("Boeing ... Boeing Commercial")
    unit = resolve(
        "Nordlicht said its unit Nordlicht Solar Systems won tenders.",
        ("Nordlicht", "ORG"),
        ("Nordlicht Solar Systems", "ORG"),
    )
    assert len(unit) == 2


def test_a_place_with_its_administrative_title_joins_the_place() -> None:
    body = "It will invest in the Free State of Bavaria, the carmaker said. Bavaria will pay for a rail link."
    # the model types the titled form an organisation: it still joins the place written alone
    entities = resolve(body, ("the Free State of Bavaria", "ORG"), ("Bavaria", "GPE"))
    assert groups(entities) == {"Bavaria": {"the Free State of Bavaria", "Bavaria"}}
    assert entities[0].type == "GPE"
    # only a title and the place: "the Bank of England" is not England, nor a person's name a place
    body = "The Bank of England kept rates. England won. State of Grace sang; Grace smiled."
    tagged = [("The Bank of England", "ORG"), ("England", "GPE"), ("State of Grace", "PERSON")]
    entities = resolve(body, *tagged, ("Grace", "PERSON"))
    assert "Bank of England" in names(entities) and "England" in names(entities)


def test_generic_words_dropped_meet_the_form_an_acronym_was_merged_with() -> None:
    body = "BMW will build cars. Bayerische Motoren Werke AG said so. BMW Group also owns Mini."
    tagged = [("BMW", "ORG"), ("Bayerische Motoren Werke AG", "ORG"), ("BMW Group", "ORG")]
    entities = resolve(body, *tagged)
    assert len([e for e in entities if e.type == "ORG"]) == 1


def test_a_designator_led_by_a_small_letter_is_a_model() -> None:
    body = "BMW will build its BMW iX3 in Munich. Demand for the iX3 has exceeded forecasts."
    entities = resolve(body, ("BMW iX3", "ORG"), ("Munich", "GPE"), ("iX3", "NORP"))
    assert groups(entities)["BMW iX3"] == {"BMW iX3", "iX3"}
    assert next(e for e in entities if e.name == "BMW iX3").type == "PRODUCT"


def test_a_club_designator_is_not_part_of_the_name() -> None:
    body = "BMW extended its deal with FC Bayern Munich. Bayern Munich said it was proud. Chelsea FC won."
    tagged = [("FC Bayern Munich", "ORG"), ("Bayern Munich", "ORG"), ("Chelsea FC", "ORG")]
    assert names(resolve(body, *tagged)) == {"Bayern Munich", "Chelsea"}
    assert strip_legal_form("FC Bayern Munich") == "Bayern Munich"


def test_a_name_typed_a_person_that_starts_with_a_place_of_the_article_is_a_club() -> None:
    body = (
        "MANCHESTER - Manchester United were charged. The FA said United had failed. "
        "Man United face a fine. Aston Villa drew."
    )
    tagged = [
        ("MANCHESTER", "GPE"),
        ("Manchester United", "PERSON"),
        ("FA", "ORG"),
        ("United", "ORG"),
        ("Man United", "PERSON"),
        ("Aston Villa", "PERSON"),
    ]
    entities = resolve(body, *tagged)
    assert groups(entities)["Manchester United"] == {"Manchester United", "United", "Man United"}
    assert next(e for e in entities if e.name == "Manchester United").type == "ORG"
    # a person's name whose first word is no place of the article stays a person
    assert next(e for e in entities if e.name == "Aston Villa").type == "PERSON"


def test_clipped_words_join_the_one_longer_name_they_start() -> None:
    body = "Manchester United won. Man United fans cheered. Manchester City lost."
    tagged = [("Manchester United", "ORG"), ("Man United", "PERSON"), ("Manchester City", "ORG")]
    assert groups(resolve(body, *tagged))["Manchester United"] == {"Manchester United", "Man United"}
    # two longer names it could start: neither
    body = "Manchester United won. Manchester Unity lost. Man Unit fans cheered."
    tagged = [("Manchester United", "ORG"), ("Manchester Unity", "ORG"), ("Man Unit", "ORG")]
    assert "Man Unit" in names(resolve(body, *tagged))


def test_an_acronym_joins_an_accented_expansion_typed_a_person() -> None:
    body = "EDF said costs rose. Électricité de France blamed delays. Charles Martin agreed."
    tagged = [("EDF", "ORG"), ("Électricité de France", "PERSON"), ("Charles Martin", "PERSON")]
    entities = resolve(body, *tagged)
    assert groups(entities)["Électricité de France"] == {"EDF", "Électricité de France"}
    assert next(e for e in entities if e.name == "Électricité de France").type == "ORG"
    assert acronym_matches("EDF", "Électricité de France")
    # a person's name without a function word inside is not spelled by an acronym
    body = "CM said costs rose. Charles Martin agreed."
    assert "CM" in names(resolve(body, ("CM", "ORG"), ("Charles Martin", "PERSON")))


def test_a_titled_surname_shared_by_two_people_joins_the_one_with_that_title() -> None:
    body = (
        "Dr Amara Okafor led the work. Dr Okafor said the test was cheap. "
        "Her brother Emeka Okafor worked out the costs."
    )
    # the model types the titled names a place and an organisation
    tagged = [("Amara Okafor", "GPE"), ("Dr Okafor", "ORG"), ("Emeka Okafor", "PERSON")]
    entities = resolve(body, *tagged)
    assert groups(entities) == {"Amara Okafor": {"Amara Okafor", "Okafor"}, "Emeka Okafor": {"Emeka Okafor"}}
    assert {e.type for e in entities} == {"PERSON"}
    # without the title, the shared surname joins neither; a brand after "Dr" stays what it was
    body = "Amara Okafor led it. Okafor said so. Emeka Okafor agreed. Dr Pepper sales rose at Dr Pepper."
    tagged = [("Amara Okafor", "PERSON"), ("Okafor", "PERSON"), ("Emeka Okafor", "PERSON")]
    entities = resolve(body, *tagged, ("Dr Pepper", "ORG"), ("Dr Pepper", "ORG"))
    assert "Okafor" in names(entities)
    assert next(e for e in entities if e.name == "Dr Pepper").type == "ORG"
