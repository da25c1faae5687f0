"""Seventeenth entity pass (issue 15): classes left by the last review, each a resolution rule. Names
here are made up or generic; each test failed before its rule, except the guards that keep things
apart."""

from __future__ import annotations

from streamproc.enrich.aliases import full_name_surname
from streamproc.enrich.names import family_name_first, strip_legal_form
from tests.unit.test_aliases import ent
from tests.unit.test_aliases_surnames import person, stream
from tests.unit.test_entities_resolution import groups, resolve


def test_a_place_the_article_writes_as_a_place_is_no_persons_surname() -> None:
    # A country written after a city and its adjective: "Jordan" is the country, not the player.
    body = "Michael Jordan visited Amman, Jordan, on Monday. The Jordanian government welcomed him."
    entities = resolve(
        body, ("Michael Jordan", "PERSON"), ("Amman", "GPE"), ("Jordan", "GPE"), ("Jordanian", "NORP")
    )
    assert groups(entities)["Michael Jordan"] == {"Michael Jordan"}
    assert groups(entities)["Jordan"] == {"Jordan", "Jordanian"}
    # A country ending an organisation the model typed a person (written13 r10 class).
    body = (
        "Compañía Minera del Norte de Chile said output fell. Chile is a producer, and Chilean miners struck."
    )
    entities = resolve(
        body, ("Compañía Minera del Norte de Chile", "PERSON"), ("Chile", "GPE"), ("Chilean", "NORP")
    )
    assert groups(entities)["Chile"] == {"Chile", "Chilean"}
    # A place written "in X" is the place too.
    body = "Carmen Soria spoke. Flooding hit homes in Soria on Monday."
    entities = resolve(body, ("Carmen Soria", "PERSON"), ("Soria", "GPE"))
    assert groups(entities) == {"Carmen Soria": {"Carmen Soria"}, "Soria": {"Soria"}}


def test_a_surname_the_model_typed_a_place_once_still_joins_its_person() -> None:
    # Guard: one mention typed a place with no place context is a mistyped surname.
    body = "Marco Rubiales met the board. Rubiales said the plan would work."
    entities = resolve(body, ("Marco Rubiales", "PERSON"), ("Rubiales", "GPE"))
    assert groups(entities) == {"Marco Rubiales": {"Marco Rubiales", "Rubiales"}}
    # After "in" too, when most of its mentions are typed a person (TBAQ: "interest in Kopp").
    body = "Marco Rubiales met the board. Rubiales spoke. Police showed interest in Rubiales. Rubiales left."
    tags = (("Marco Rubiales", "PERSON"), ("Rubiales", "PERSON"), ("Rubiales", "GPE"), ("Rubiales", "PERSON"))
    assert groups(resolve(body, *tags)) == {"Marco Rubiales": {"Marco Rubiales", "Rubiales"}}
    # An adjective-like surname is not its own adjective ("Martonyi" ends as "-i" adjectives do).
    body = "Janos Martonyi spoke. But Martonyi also said so."
    entities = resolve(body, ("Janos Martonyi", "PERSON"), ("Martonyi", "GPE"))
    assert groups(entities) == {"Janos Martonyi": {"Janos Martonyi", "Martonyi"}}


def test_a_two_word_name_typed_a_person_in_parentheses_after_an_organisation_is_its_alias() -> None:
    body = "The Fisheries Directorate (Fiskeri Direktoratet) cut quotas. Fiskeri Direktoratet said so."
    tags = (
        ("The Fisheries Directorate", "ORG"),
        ("Fiskeri Direktoratet", "PERSON"),
        ("Fiskeri Direktoratet", "PERSON"),
    )
    assert groups(resolve(body, *tags)) == {
        "Fisheries Directorate": {"The Fisheries Directorate", "Fiskeri Direktoratet"}
    }
    # Guard: a person the article goes on to write by a word of the name is a person.
    body = "Acme Holdings (Jane Vantorp) declined to comment. Vantorp founded it."
    tags = (("Acme Holdings", "ORG"), ("Jane Vantorp", "PERSON"), ("Vantorp", "PERSON"))
    assert groups(resolve(body, *tags))["Jane Vantorp"] == {"Jane Vantorp", "Vantorp"}


def test_chinese_and_korean_names_are_written_family_name_first() -> None:
    assert family_name_first("Li Qiang") and family_name_first("Lee Jae-myung")
    assert family_name_first("Yoon Suk Yeol") and family_name_first("Tsai Ing-wen")
    # Other words must be romanised syllables: a Western given name and surname stay so.
    assert not family_name_first("Kim Jones") and not family_name_first("Lee Anderson")
    assert not family_name_first("Lee Harvey Oswald") and not family_name_first("Anna Wang")
    assert full_name_surname(person("Zhou Minghua")) == "Zhou"
    assert full_name_surname(person("Kim Jones")) is None  # "Jones", too common, as before
    # A later article's family name alone takes the full name ("Xi" ... "Xi Jinping").
    assert stream([person("Zhou Minghua")], [person("Zhou")])[1] == ["Zhou Minghua"]
    assert stream([person("Xi Jinping")], [person("Xi")])[1] == ["Xi Jinping"]
    # The given name alone is no surname; two people of one family name leave it alone.
    assert stream([person("Zhou Minghua")], [person("Minghua")])[1] == ["Minghua"]
    assert stream([person("Zhou Minghua")], [person("Zhou Jianguo")], [person("Zhou")])[2] == ["Zhou"]
    # A family name that is an English word stays out, as common surnames do ("Park", "Moon").
    assert stream([person("Park Jiwoo")], [person("Park")])[1] == ["Park"]


def test_within_the_article_the_family_name_joins_whatever_its_label() -> None:
    body = "Premier Zhou Minghua arrived on Monday. Zhou said trade would grow."
    entities = resolve(body, ("Zhou Minghua", "PERSON"), ("Zhou", "ORG"))
    assert groups(entities) == {"Zhou Minghua": {"Zhou Minghua", "Zhou"}}
    # The given name typed a place is not the surname.
    body = "Premier Zhou Minghua arrived on Monday. Minghua said trade would grow."
    entities = resolve(body, ("Zhou Minghua", "PERSON"), ("Minghua", "GPE"))
    assert groups(entities)["Minghua"] == {"Minghua"}


def test_a_middle_named_person_the_article_calls_by_surname_registers_it() -> None:
    # "Mary Anne Haugland" ... "Haugland": the middle word is a second given name.
    named = ent("Mary Anne Haugland", "PERSON", "Mary Anne Haugland", "Haugland")
    assert full_name_surname(named) == "Haugland"
    assert stream([named], [person("Haugland")])[1] == ["Mary Anne Haugland"]
    assert (
        full_name_surname(ent("Mary Anne Haugland", "PERSON", "Mary Anne Haugland", "Ms Haugland"))
        == "Haugland"
    )
    # Guard (rev16e): Spanish writes two surnames and uses the first; the last alone is someone else.
    spanish = ent("Gabriel García Márquez", "PERSON", "Gabriel García Márquez", "García Márquez")
    assert full_name_surname(spanish) is None
    assert full_name_surname(person("Mary Anne Haugland")) is None  # never written by surname


def test_registry_legal_forms_of_other_countries_and_a_person_typed_name_ending_in_one() -> None:
    assert strip_legal_form("Brnov Holdings a.s.") == "Brnov Holdings"
    assert strip_legal_form("Sandoy Fisk P/F") == "Sandoy Fisk"
    assert strip_legal_form("Nordhavn A/S") == "Nordhavn"
    assert strip_legal_form("Kestrel Kft.") == "Kestrel"
    assert strip_legal_form("Nakamura Kisen Kaisha, Ltd.") == "Nakamura Kisen"
    assert strip_legal_form("Nakamura Kabushiki Kaisha") == "Nakamura"
    assert strip_legal_form("Known As") == "Known As"  # the English word, not "AS"
    # Typed a person, a name ending in a legal form is an organisation's: it joins its short form.
    body = "Lerwick Salmon said it would buy Sandoy Fisk P/F for cash. Sandoy Fisk has 40 staff."
    tags = (("Lerwick Salmon", "ORG"), ("Sandoy Fisk P/F", "PERSON"), ("Sandoy Fisk", "PERSON"))
    entities = resolve(body, *tags)
    assert groups(entities)["Sandoy Fisk"] == {"Sandoy Fisk P/F", "Sandoy Fisk"}
    assert {e.name: e.type for e in entities}["Sandoy Fisk"] == "ORG"
