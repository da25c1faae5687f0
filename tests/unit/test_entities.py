"""Canonical entities from hand-made NER mentions (pure: no spaCy)."""

from __future__ import annotations

import pytest

from streamproc.enrich.entities import (
    Mention,
    canonical_entities,
    clean_name,
    is_junk,
    mentions_from_spans,
    propagate_mentions,
)
from streamproc.models import Entity, Span


def body_mentions(text: str, *spans: tuple[str, str]) -> list[Mention]:
    """Mentions of each (surface, label), searched in ``text`` in order, each after the previous one."""
    out: list[Mention] = []
    cursor = 0
    for surface, label in spans:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        out.append(Mention("body", start, start + len(surface), surface, label))
    return out


def by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def test_country_variants_merge_into_united_states() -> None:
    text = "The US said. Then the United States and the U.S. met; the United State's aims. USA!"
    mentions = body_mentions(
        text,
        ("US", "GPE"),
        ("the United States", "GPE"),
        ("the U.S.", "GPE"),
        ("the United State's", "GPE"),
        ("USA", "ORG"),
    )
    entities = canonical_entities(mentions)
    assert len(entities) == 1
    us = entities[0]
    assert (us.name, us.type, us.mentions) == ("United States", "GPE", 5)
    assert us.surface_forms == ["US", "the United States", "the U.S.", "the United State's", "USA"]
    assert all(text[s.start : s.end] == f for s, f in zip(us.spans, us.surface_forms, strict=True))


def test_america_is_the_united_states_only_as_a_gpe() -> None:
    text = "America votes. America is a continent here."
    gpe = canonical_entities(body_mentions(text, ("America", "GPE")))
    loc = canonical_entities(body_mentions(text, ("America", "LOC")))
    assert [(e.name, e.type) for e in gpe] == [("United States", "GPE")]
    assert [(e.name, e.type) for e in loc] == [("America", "LOC")]


def test_britain_and_uk_are_united_kingdom() -> None:
    text = "Britain and the UK"
    entities = canonical_entities(body_mentions(text, ("Britain", "GPE"), ("the UK", "GPE")))
    assert [(e.name, e.mentions) for e in entities] == [("United Kingdom", 2)]


def test_nationality_adjective_of_a_named_place_is_the_place() -> None:
    # Issue 15's chosen policy: "American" in an article that names the United States is a mention
    # of it (test_entities_place_adjectives.py has the rule's cases).
    text = "American justice in the United States"
    entities = by_name(
        canonical_entities(body_mentions(text, ("American", "NORP"), ("the United States", "GPE")))
    )
    assert set(entities) == {"United States"}
    assert entities["United States"].type == "GPE" and entities["United States"].mentions == 2


def test_surname_and_possessive_merge_into_full_name() -> None:
    text = "Marco Rubio arrived. Rubio spoke. Rubio's plan. Daniel Noboa listened; Noboa's troops."
    mentions = body_mentions(
        text,
        ("Marco Rubio", "PERSON"),
        ("Rubio", "PERSON"),
        ("Rubio's", "ORG"),  # the small model often calls a surname ORG
        ("Daniel Noboa", "PERSON"),
        ("Noboa's", "GPE"),
    )
    entities = by_name(canonical_entities(mentions))
    assert set(entities) == {"Marco Rubio", "Daniel Noboa"}
    rubio = entities["Marco Rubio"]
    assert (rubio.type, rubio.mentions, rubio.surface_forms) == (
        "PERSON",
        3,
        ["Marco Rubio", "Rubio", "Rubio's"],
    )
    assert entities["Daniel Noboa"].surface_forms == ["Daniel Noboa", "Noboa's"]
    assert entities["Daniel Noboa"].type == "PERSON"


def test_short_form_before_full_name_still_merges_and_name_is_the_full_name() -> None:
    text = "Trump said. Trump again. President Donald Trump later."
    mentions = body_mentions(text, ("Trump", "PERSON"), ("Trump", "ORG"), ("Donald Trump", "PERSON"))
    entities = canonical_entities(mentions)
    assert [(e.name, e.type, e.mentions) for e in entities] == [("Donald Trump", "PERSON", 3)]
    assert entities[0].surface_forms == ["Trump", "Donald Trump"]


def test_ambiguous_surname_is_not_merged() -> None:
    text = "Donald Trump and Melania Trump arrived; Trump spoke."
    mentions = body_mentions(
        text, ("Donald Trump", "PERSON"), ("Melania Trump", "PERSON"), ("Trump", "PERSON")
    )
    names = {e.name: e.mentions for e in canonical_entities(mentions)}
    assert names == {"Donald Trump": 1, "Melania Trump": 1, "Trump": 1}


def test_first_name_merges_only_when_tagged_person() -> None:
    text = "Georgia Meloni met. Georgia agreed. Georgia the state."
    as_person = canonical_entities(body_mentions(text, ("Georgia Meloni", "PERSON"), ("Georgia", "PERSON")))
    as_place = canonical_entities(body_mentions(text, ("Georgia Meloni", "PERSON"), ("Georgia", "GPE")))
    assert [e.name for e in as_person] == ["Georgia Meloni"]
    assert {e.name for e in as_place} == {"Georgia Meloni", "Georgia"}


def test_full_names_with_same_ends_merge_into_longest() -> None:
    text = "Donald J. Trump and Donald Trump"
    entities = canonical_entities(
        body_mentions(text, ("Donald J. Trump", "PERSON"), ("Donald Trump", "PERSON"))
    )
    assert [(e.name, e.mentions) for e in entities] == [("Donald J. Trump", 2)]


def test_majority_type_wins_and_tie_goes_to_first_mention() -> None:
    text = "Pentagon, Pentagon, Pentagon. Manta or Manta."
    mentions = body_mentions(
        text,
        ("Pentagon", "GPE"),
        ("Pentagon", "ORG"),
        ("Pentagon", "ORG"),
        ("Manta", "GPE"),
        ("Manta", "ORG"),
    )
    entities = by_name(canonical_entities(mentions))
    assert entities["Pentagon"].type == "ORG"
    assert entities["Manta"].type == "GPE"


def test_numbers_dates_and_junk_are_not_entities() -> None:
    text = "In 2009 the 11 people paid $6 million on Thursday; X; 42; first; the"
    mentions = body_mentions(
        text,
        ("2009", "DATE"),
        ("11", "CARDINAL"),
        ("$6 million", "MONEY"),
        ("Thursday", "DATE"),
        ("X", "ORG"),
        ("42", "ORG"),
        ("first", "ORDINAL"),
        ("the", "ORG"),
    )
    assert canonical_entities(mentions) == []


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("the Drug Enforcement Administration", "Drug Enforcement Administration"),
        ("The Pentagon", "Pentagon"),
        ("Latin America's", "Latin America"),
        ("Reimberg’s", "Reimberg"),
        ("Americas'", "Americas"),
        ('"Ecuador,"', "Ecuador"),
        ("The Hague", "The Hague"),
        ("U.S.", "U.S."),
    ],
)
def test_clean_name(surface: str, name: str) -> None:
    assert clean_name(surface) == name


@pytest.mark.parametrize(("name", "junk"), [("X", True), ("1999", True), ("the", True), ("AFP", False)])
def test_is_junk(name: str, junk: bool) -> None:
    assert is_junk(name) is junk


def test_salience_weighs_title_and_lead_and_top_is_one() -> None:
    title = "Rubio visits Quito"
    body = "Lead mentions Quito.\n\nLater Ecuador, Ecuador and Ecuador."
    mentions = [
        Mention("title", 0, 5, title[0:5], "PERSON"),
        Mention("title", 13, 18, title[13:18], "GPE"),
        *body_mentions(body, ("Quito", "GPE"), ("Ecuador", "GPE"), ("Ecuador", "GPE"), ("Ecuador", "GPE")),
    ]
    lead_end = body.index("\n")
    entities = canonical_entities(mentions, lead_end=lead_end)
    scores = {e.name: e.salience for e in entities}
    # Quito: title 3 + lead 2 = 5; Rubio: title 3; Ecuador: 3 x body 1 = 3.
    assert entities[0].name == "Quito"
    assert scores == {"Quito": 1.0, "Rubio": 0.6, "Ecuador": 0.6}
    # Ties keep first-seen order: Rubio (title) before Ecuador (body).
    assert [e.name for e in entities] == ["Quito", "Rubio", "Ecuador"]
    assert entities[0].spans == [Span("title", 13, 18), Span("body", 14, 19)]


def test_mentions_from_spans_drops_office_title_words_and_extends_hyphenated_nationality() -> None:
    text = "US Secretary of State Marco Rubio, a Cuban-American, met Interior Minister John Reimberg."
    spans = [
        (0, 2, "GPE"),
        (text.index("State"), text.index("State") + 5, "ORG"),
        (text.index("Marco"), text.index("Marco") + 11, "PERSON"),
        (text.index("Cuban"), text.index("Cuban") + 5, "NORP"),
        (text.index("Interior"), text.index("Interior") + 8, "ORG"),
        (text.index("John"), text.index("John") + 13, "PERSON"),
        (text.index("2009") if "2009" in text else 0, 2, "DATE"),
    ]
    mentions = mentions_from_spans("body", text, spans)
    assert [(m.text, m.label) for m in mentions] == [
        ("US", "GPE"),
        ("Marco Rubio", "PERSON"),
        ("Cuban-American", "NORP"),
        ("John Reimberg", "PERSON"),
    ]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def _tagged(text: str, *parts: tuple[str, str]) -> list[tuple[int, int, str]]:
    """NER spans for the first occurrence of each (surface, label)."""
    return [(text.index(surface), text.index(surface) + len(surface), label) for surface, label in parts]


def test_a_country_abbreviation_after_an_untagged_name_is_a_company_unit() -> None:
    text = "Telekom chief executive Tim Hottges said T-Mobile US had added customers."
    spans = _tagged(text, ("Tim Hottges", "PERSON"), ("US", "GPE"))
    assert [(m.text, m.label) for m in mentions_from_spans("body", text, spans)] == [
        ("Tim Hottges", "PERSON"),
        ("T-Mobile US", "ORG"),
    ]
    # a sentence's first word, a weekday, a possessive, a tagged name, a headline: the country stays
    for text, before in (
        ("Shares fell. Yesterday US stocks rose.", None),
        ("Shares fell on Monday US time.", None),
        ("It doubles Orkem's U.K. unit.", None),
        ("He said Apple US sales rose.", ("Apple", "ORG")),
    ):
        country = "U.K." if "U.K." in text else "US"
        spans = _tagged(text, *([before] if before else []), (country, "GPE"))
        assert (country, "GPE") in [(m.text, m.label) for m in mentions_from_spans("body", text, spans)]
    title = "Telekom lifts forecast on T-Mobile US strength"
    assert [
        (m.text, m.label) for m in mentions_from_spans("title", title, _tagged(title, ("US", "GPE")))
    ] == [("US", "GPE")]


def test_a_name_after_a_place_ner_tagged_alone_runs_to_it() -> None:
    # A facility, company or village named with its city or region: NER tagged the place only.
    for text, place, name in (
        (
            "It will fly in 2009 out of London Heathrow. In 2004, Airbus sold more.",
            "London",
            "London Heathrow",
        ),
        ("They fly from Frankfurt to Los Angeles LAX airport.", "Los Angeles", "Los Angeles LAX"),
        ("For the nine months, America West posted earnings.", "America", "America West"),
        ("He flew on America West's jets.", "America", "America West's"),  # as NER spans: cleaned later
    ):
        mentions = mentions_from_spans("body", text, _tagged(text, (place, "GPE")))
        # the place stays a mention of its own inside the name (it tells the aliases what leads it)
        assert [(m.text, m.label) for m in mentions] == [(place, "GPE"), (name, "GPE")], text
        assert all(text[m.start : m.end] == m.text for m in mentions)
    # a role, a longer run of capitals, a tagged name, a weekday, an abbreviation's period, a
    # dateline, a headline: the place stays a place
    for text, place, after in (
        ("He said Alabama Governor Bob Riley agreed.", "Alabama", ("Bob Riley", "PERSON")),
        ("It cited Erie County District Attorney Frank Clark.", "Erie County", None),
        ("He met officials in London Tuesday.", "London", None),
        ("He met a rival in London Boeing named.", "London", ("Boeing", "ORG")),
        ("It has 60 stores throughout the U.S. The company went public.", "U.S.", None),
        ("Mud swept through West Sumatra's Agam and Tanah Datar regencies.", "West Sumatra's", None),
        ("The regulator has fined Nvidia Rmb1.2bn for breaching conditions.", "Nvidia", None),
        ("LONDON Heathrow shut.", "LONDON", None),
    ):
        spans = _tagged(text, (place, "GPE"), *([after] if after else []))
        assert (place, "GPE") in [(m.text, m.label) for m in mentions_from_spans("body", text, spans)], text
    title = "Flights resume at London Heathrow"
    assert [
        (m.text, m.label) for m in mentions_from_spans("title", title, _tagged(title, ("London", "GPE")))
    ] == [("London", "GPE")]


def test_a_unit_after_its_company_ner_tagged_alone_runs_to_it() -> None:
    # A unit named with its parent ("Allianz Commercial", "Airbus Defence and Space"): NER tagged the
    # parent only; the unit is a name of its own, the parent a mention inside it.
    for text, company, name in (
        ("Its marine arm, Norvalis Commercial, said so.", "Norvalis", "Norvalis Commercial"),
        ("Brenta Defence and Space will lead the work.", "Brenta", "Brenta Defence"),
    ):
        mentions = mentions_from_spans("body", text, _tagged(text, (company, "ORG")))
        assert [(m.text, m.label) for m in mentions] == [(company, "ORG"), (name, "ORG")], text
    # a legal form or a generic trade word is the company itself; a lower-case word is not a name
    for text in ("Norvalis SE and Brenta won.", "Norvalis Systems rose.", "Norvalis shares rose."):
        mentions = mentions_from_spans("body", text, _tagged(text, ("Norvalis", "ORG")))
        assert [(m.text, m.label) for m in mentions] == [("Norvalis", "ORG")], text


def test_a_one_letter_name_ending_a_sentence_is_not_an_initial() -> None:
    # "a post on X. Ofcom's chief": NER ran one span across the sentence end; the article writes
    # both names alone, so they are two.
    text = "Ofcom opened an inquiry into X, the platform. He posted on X. Ofcom's chief spoke."
    span = text.index("X. Ofcom")
    mentions = mentions_from_spans("body", text, [(span, span + len("X. Ofcom's"), "PERSON")])
    assert [m.text for m in mentions] == ["X", "Ofcom's"]
    # initials: the letter is never written alone inside a sentence ("A spokesman" opens one)
    for text in ("J. Smith spoke. Smith left.", "A spokesman for A. Smith spoke. Smith left."):
        span = text.index(". Smith") - 1
        mentions = mentions_from_spans("body", text, [(span, span + 8, "PERSON")])
        assert [m.text for m in mentions] == [text[span : span + 8]], text


def test_state_as_a_real_organisation_is_kept() -> None:
    text = "Visitors saw the State Hermitage and State."
    spans = [(text.index("State"), text.index("State") + 15, "ORG")]
    assert [m.text for m in mentions_from_spans("body", text, spans)] == ["State Hermitage"]


def test_propagation_finds_untagged_occurrences_in_other_fields() -> None:
    title = "Rubio ramps up Ecuador support"
    body = "Marco Rubio met officials. Rubio left. A Cuban-American spoke; American aid; Ecuador-bound."
    american = body.index("American aid")
    ner = [
        Mention("title", 15, 22, "Ecuador", "GPE"),
        *body_mentions(body, ("Marco Rubio", "PERSON"), ("Rubio", "PERSON")),
        Mention("body", american, american + 8, "American", "NORP"),
    ]
    propagated = propagate_mentions(ner, {"title": title, "body": body})
    added = {(m.field, m.text, m.label) for m in propagated[len(ner) :]}
    # "Rubio" in the headline is found; "American" inside "Cuban-American" and "Ecuador" in
    # "Ecuador-bound" are not (hyphen-joined).
    assert added == {("title", "Rubio", "PERSON")}
    entities = by_name(canonical_entities(propagated))
    assert entities["Marco Rubio"].mentions == 3


def test_propagation_skips_capitalised_common_words() -> None:
    body = "Will Smith spoke. Will they come? Nobody will say."
    ner = body_mentions(body, ("Will", "PERSON"))  # NER slip: the first "Will" alone
    propagated = propagate_mentions(ner, {"body": body})
    assert propagated == ner  # "Will" also occurs as "will": a common word, not propagated
