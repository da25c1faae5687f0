"""Merge15 pass (issue 15, written15's wrong merges): what keeps two names apart. Names here are made
up; each test failed before its rule, except the guards that keep earlier merges."""

from __future__ import annotations

from tests.unit.test_entities_resolution import groups, resolve


def test_a_subsidiary_and_its_parent_named_in_apposition_stay_apart() -> None:
    body = (
        "Kestrel Netz, the grid subsidiary of state-owned utility Kestrel, restored power. "
        "Kestrel said its reactors were safe."
    )
    entities = resolve(body, ("Kestrel Netz", "PERSON"), ("Kestrel", "ORG"), ("Kestrel", "ORG"))
    assert groups(entities) == {"Kestrel Netz": {"Kestrel Netz"}, "Kestrel": {"Kestrel"}}


def test_a_word_shared_by_a_unit_and_its_parent_joins_neither() -> None:
    # "X Y Co., the arm of X Group ... X": the bare word may be either, as with two longer names.
    body = (
        "Orvane Semiconductor Co., the chipmaking arm of Orvane Group, will build a plant. "
        "Analysts said Orvane was unlikely to catch up."
    )
    entities = resolve(body, ("Orvane Semiconductor Co.", "ORG"), ("Orvane Group", "ORG"), ("Orvane", "ORG"))
    assert groups(entities) == {
        "Orvane Semiconductor": {"Orvane Semiconductor Co."},
        "Orvane Group": {"Orvane Group"},
        "Orvane": {"Orvane"},
    }
    body = (
        "Brisa Baterias will build a refinery. Brisa Baterias is a subsidiary of Grupo Brisa, "
        "a holding company. Brisa chief executive Rui Lopes spoke."
    )
    entities = resolve(
        body,
        ("Brisa Baterias", "ORG"),
        ("Brisa Baterias", "ORG"),
        ("Grupo Brisa", "ORG"),
        ("Brisa", "ORG"),
        ("Rui Lopes", "PERSON"),
    )
    assert groups(entities)["Grupo Brisa"] == {"Grupo Brisa"}
    assert groups(entities)["Brisa"] == {"Brisa"}


def test_a_group_name_still_joins_its_bare_word_without_a_stated_relation() -> None:
    # Guard: "X Group" ... "X" with no parent or subsidiary named is one company.
    body = "Orvane Group will build a plant. Orvane said the plant would open in 2028."
    entities = resolve(body, ("Orvane Group", "ORG"), ("Orvane", "ORG"))
    assert len(entities) == 1


def test_a_dateline_credit_is_no_clipping_of_a_company() -> None:
    # "TT" filed the story; "Traton" is a company it names ("T|ra|t|on" by compound initials).
    body = (
        "SKELLEFTEÅ, Nov. 26 (TT) - Nordvik won an order. Scania, owned by Germany's Traton, "
        "builds its own packs, Nordvik told TT."
    )
    entities = resolve(
        body,
        ("SKELLEFTEÅ", "GPE"),
        ("TT", "ORG"),
        ("Nordvik", "ORG"),
        ("Scania", "ORG"),
        ("Germany", "GPE"),
        ("Traton", "ORG"),
        ("Nordvik", "ORG"),
        ("TT", "ORG"),
    )
    assert groups(entities)["TT"] == {"TT"}
    assert groups(entities)["Traton"] == {"Traton"}


def test_a_clipped_form_outside_a_credit_still_joins() -> None:
    # Guard: "VW" in the prose is still Volkswagen's clipping.
    body = "WOLFSBURG (Reuters) - Volkswagen cut its forecast. VW shares fell."
    entities = resolve(body, ("WOLFSBURG", "GPE"), ("Reuters", "ORG"), ("Volkswagen", "ORG"), ("VW", "ORG"))
    assert groups(entities)["Volkswagen"] == {"Volkswagen", "VW"}


def test_a_full_name_typed_a_person_is_not_an_organisation_cut_short() -> None:
    body = (
        "The Aurelio Benz Foundation will lend two conservators. The foundation was created under "
        "the will of the magnate Aurelio Benz."
    )
    entities = resolve(body, ("The Aurelio Benz Foundation", "ORG"), ("Aurelio Benz", "PERSON"))
    assert groups(entities) == {
        "Aurelio Benz Foundation": {"The Aurelio Benz Foundation"},
        "Aurelio Benz": {"Aurelio Benz"},
    }


def test_a_one_word_name_typed_a_person_is_still_a_company_cut_short() -> None:
    # Guard: the small model calls coined company words people ("Northrop Grumman" ... "Northrop").
    body = "Harvane Grumman won the contract. Harvane said work would start soon."
    entities = resolve(body, ("Harvane Grumman", "ORG"), ("Harvane", "PERSON"))
    assert groups(entities) == {"Harvane Grumman": {"Harvane Grumman", "Harvane"}}


def test_a_place_before_a_word_for_a_kind_of_place_is_no_surname() -> None:
    body = "Clube Atletico da Varzea won. It was founded in 1921 in the city's riverside Varzea district."
    entities = resolve(body, ("Clube Atletico da Varzea", "PERSON"), ("Varzea", "GPE"))
    assert groups(entities)["Varzea"] == {"Varzea"}


def test_a_coordination_ending_in_a_possessive_is_two_names_written_alone() -> None:
    body = (
        "Harbor Crest bought Ribeiro. Ribeiro, founded in 1921, sits ninth. "
        "Rules could stop Ribeiro and Harbor Crest's other club from playing."
    )
    entities = resolve(
        body,
        ("Harbor Crest", "ORG"),
        ("Ribeiro", "ORG"),
        ("Ribeiro", "ORG"),
        ("Ribeiro and Harbor Crest's", "ORG"),
    )
    assert set(groups(entities)) == {"Harbor Crest", "Ribeiro"}
    assert groups(entities)["Ribeiro"] == {"Ribeiro"}


def test_a_club_named_after_its_city_stays_apart_from_the_city() -> None:
    body = "VILAMAR, Nov. 23 (Lusa) - A Vilamar club was sold. FC Vilamar and Benfica lead the league."
    entities = resolve(
        body, ("VILAMAR", "GPE"), ("Vilamar", "GPE"), ("FC Vilamar", "ORG"), ("Benfica", "ORG")
    )
    found = {e.name: (e.type, set(e.surface_forms)) for e in entities}
    assert found["FC Vilamar"] == ("ORG", {"FC Vilamar"})
    assert found["Vilamar"][0] == "GPE"


def test_a_club_written_with_and_without_its_designator_is_one() -> None:
    # Guard: no place of that name in the article, so "FC Vilamar" ... "Vilamar" is the club.
    body = "FC Vilamar won on Sunday. Vilamar now lead the league."
    entities = resolve(body, ("FC Vilamar", "ORG"), ("Vilamar", "ORG"))
    assert len(entities) == 1


def test_a_unit_named_as_a_parents_subsidiary_before_the_word_stays_apart() -> None:
    # "A, a B subsidiary": the parent's name before the relation word.
    body = (
        "The plant is operated by Kestrel Nuclear Group, a Kestrel subsidiary in which Uniper holds a stake. "
        "Kestrel said the plan would go ahead."
    )
    entities = resolve(
        body, ("Kestrel Nuclear Group", "ORG"), ("Kestrel", "ORG"), ("Uniper", "ORG"), ("Kestrel", "ORG")
    )
    assert groups(entities)["Kestrel"] == {"Kestrel"}
