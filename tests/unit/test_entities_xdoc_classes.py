"""Classes of cross-article inconsistency pooled over the written batches 1-10 and MEANTIME (one
test per class; each failed before its rule)."""

from __future__ import annotations

from streamproc.enrich.aliases import alias_key, apply_teachings, lookup_keys
from tests.unit.test_aliases import _found_after, ent
from tests.unit.test_entities_resolution import groups, resolve


def test_a_place_adjective_alone_is_named_as_its_place() -> None:
    # written10 r07 / r01 ("British" alone / "Britain"), r03 / r04 ("Spanish" / "Spain"), written9
    # r04 / r05 ("French" / "France"): one name and one id for the place in every article.
    alone = resolve("Shares rose after British regulators approved the pill.", ("British", "NORP"))
    written = resolve("Regulators in Britain approved the pill.", ("Britain", "GPE"))
    assert [(e.name, e.type, e.entity_id) for e in alone] == [(e.name, e.type, e.entity_id) for e in written]
    assert alone[0].name == "United Kingdom" and alone[0].type == "GPE"
    spanish = resolve("The Spanish airline grew.", ("Spanish", "NORP"))
    assert [(e.name, e.type) for e in spanish] == [("Spain", "GPE")]
    # With the place in the same article it joins the place (issue 15's policy).
    body = "Scotland voted. The Scottish government said so."
    both = resolve(body, ("Scotland", "GPE"), ("Scottish", "NORP"))
    assert groups(both) == {"Scotland": {"Scotland", "Scottish"}}


def test_adjectives_of_no_single_place_and_peoples_stay_groups() -> None:
    for word in ("European", "Korean", "Conservatives", "Americans"):
        entities = resolve(f"The {word} leaders met.", (word, "NORP"))
        assert [(e.name, e.type) for e in entities] == [(word, "NORP")], word
    # Only the model's nationality label: "English" typed a language is the language.
    entities = resolve("The English version sold well.", ("English", "LANGUAGE"))
    assert [(e.name, e.type) for e in entities] == [("English", "LANGUAGE")]


def test_the_first_word_of_a_long_name_written_with_it_gets_one_name_across_articles() -> None:
    # written10 r02 "Lloyds" alone, r07 "Lloyds Banking Group" ... "Lloyds": one name either order.
    both = ent("Lloyds Banking Group", "ORG", "Lloyds Banking Group", "Lloyds")
    short = ent("Lloyds", "ORG")
    found = _found_after(("a1", [short]))
    assert apply_teachings([both], found, "a2")[0].name == "Lloyds"
    found = _found_after(("a1", [both]))
    assert apply_teachings([short], found, "a2")[0].name == "Lloyds Banking Group"


def test_a_first_word_not_written_or_before_a_small_word_is_not_looked_up() -> None:
    # not written alone in the article: no short key
    assert alias_key("Lloyds", "ORG") not in lookup_keys([ent("Lloyds Banking Group", "ORG")])
    # "the Bank" of "Bank of England" is a reference within its article, never a name to share
    bank = ent("Bank of England", "ORG", "Bank of England", "Bank")
    assert alias_key("Bank", "ORG") not in lookup_keys([bank])
    # an acronym leading the name is a unit's parent ("GM Financial Services")
    gm = ent("GM Financial Services", "ORG", "GM Financial Services", "GM")
    assert alias_key("GM", "ORG") not in lookup_keys([gm])


def test_an_acronym_alone_and_its_expansion_alone_meet_with_no_teaching() -> None:
    # written10 r01 "the World Health Organization" / r08 "WHO"; r02 "ONS" / r11 "the Office for
    # National Statistics": no article introduces the acronym; whichever came first names both.
    long, short = ent("World Health Organization", "ORG"), ent("WHO", "ORG")
    found = _found_after(("a1", [long]))
    assert apply_teachings([short], found, "a2")[0].name == "World Health Organization"
    found = _found_after(("a1", [short]))
    assert apply_teachings([long], found, "a2")[0].name == "WHO"
    # and a third article, in either form, takes the same first name
    found = _found_after(("a1", [short]), ("a2", [long]))
    assert apply_teachings([long], found, "a3")[0].name == "WHO"
    assert apply_teachings([short], found, "a3")[0].name == "WHO"


def test_short_initials_and_other_names_with_the_same_initials_do_not_meet() -> None:
    # two letters are the initials of too many names ("AP", "BA")
    found = _found_after(("a1", [ent("Associated Press", "ORG")]))
    assert apply_teachings([ent("AP", "ORG")], found, "a2")[0].name == "AP"
    # an expansion never takes another name registered under the same initials
    found = _found_after(("a1", [ent("World Hockey Organization", "ORG")]))
    assert apply_teachings([ent("World Health Organization", "ORG")], found, "a2")[0].name == (
        "World Health Organization"
    )
    # people and places: no
    found = _found_after(("a1", [ent("World Health Organization", "ORG")]))
    assert apply_teachings([ent("WHO", "GPE")], found, "a2")[0].name == "WHO"


def test_a_long_form_taught_for_an_acronym_takes_what_the_teaching_article_was_named() -> None:
    # MEANTIME airbus 1173 "United States Air Force", 100911 "United States Air Force (USAF)"
    # (named "USAF" in its article), 102977 "the United States Air Force": one name in all three.
    first = ent("United States Air Force", "ORG")
    teaching = ent("USAF", "ORG", "United States Air Force", "USAF")
    later = ent("United States Air Force", "ORG")
    found = _found_after(("a1", [first]))
    taught_name = apply_teachings([teaching], found, "a2")[0].name
    found = _found_after(("a1", [first]), ("a2", [teaching]))
    assert apply_teachings([later], found, "a3")[0].name == taught_name == "United States Air Force"


def test_a_country_abbreviation_before_a_public_body_is_the_country_and_the_body() -> None:
    # written10 r07 "The UK Supreme Court" / r10 "Supreme Court"; r01 "The US Food and Drug
    # Administration" ... "FDA" / r08 "FDA": the body as other articles name it, the country apart.
    body = "The UK Supreme Court ruled on Tuesday. Lawyers welcomed it."
    entities = resolve(body, ("UK Supreme Court", "ORG"))
    assert {(e.name, e.type) for e in entities} == {("Supreme Court", "ORG"), ("United Kingdom", "GPE")}
    body = "The US Food and Drug Administration is assessing it. The FDA may approve it."
    entities = resolve(body, ("US Food and Drug Administration", "ORG"), ("FDA", "ORG"))
    assert sorted(map(sorted, groups(entities).values())) == [["FDA", "Food and Drug Administration"], ["US"]]


def test_a_country_abbreviation_before_a_company_or_a_one_word_body_stays() -> None:
    for name in ("US Airways", "US Air Force", "UK Commission", "US Steel Corp"):
        entities = resolve(f"The {name} said so on Monday.", (name, "ORG"))
        assert len(entities) == 1, name


def test_an_expansion_ner_cut_before_its_parenthetical_acronym_is_one_name() -> None:
    # written10 r01: NER gave "Medicines" (a person) and "Healthcare"; "MHRA" then joined the
    # "Agency" of another body, and the next article's "MHRA" was named after that body.
    body = (
        "The Medicines and Healthcare products Regulatory Agency (MHRA) approved it. "
        "The MHRA said the European Medicines Agency would decide later."
    )
    entities = resolve(
        body,
        ("Medicines", "PERSON"),
        ("Healthcare", "ORG"),
        ("MHRA", "ORG"),
        ("MHRA", "ORG"),
        ("European Medicines Agency", "ORG"),
    )
    assert groups(entities) == {
        "MHRA": {"Medicines and Healthcare products Regulatory Agency", "MHRA"},
        "European Medicines Agency": {"European Medicines Agency"},
    }


def test_words_before_a_parenthesis_that_do_not_spell_it_are_left_alone() -> None:
    body = "Shares of Acme Holdings (ACME) rose. Officials in Paris (France) agreed."
    entities = resolve(body, ("Acme Holdings", "ORG"), ("ACME", "ORG"), ("Paris", "GPE"), ("France", "GPE"))
    assert {"Acme Holdings", "Paris", "France"} <= set(groups(entities))


def test_an_acronym_with_a_small_letter_typed_a_place_is_an_organisation() -> None:
    # written9 r08 "Ministry of Defence ... the MoD" teaches MoD; r10 "The MoD", typed a place,
    # looked nothing up and stayed "MoD".
    entities = resolve("The MoD, which wants satellites, said so.", ("MoD", "GPE"))
    assert [(e.name, e.type) for e in entities] == [("MoD", "ORG")]
    # a place stays a place
    entities = resolve("Officials in Kenya said so.", ("Kenya", "GPE"))
    assert [(e.name, e.type) for e in entities] == [("Kenya", "GPE")]
