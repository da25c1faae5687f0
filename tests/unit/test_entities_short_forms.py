"""An organisation's full name and its first word in one article (issue 15, the written11 class);
each test failed before its rule."""

from __future__ import annotations

from tests.unit.test_entities_resolution import groups, names, resolve


def test_the_first_word_of_a_name_written_with_a_legal_form_joins_it_whatever_its_type() -> None:
    # written11 r01: two words cut, the short form typed a person, a preposition before its owner.
    body = "Nordel ordered ships from Daewon Marine Engineering Co. on Monday. They come from Daewon's yard."
    entities = resolve(
        body, ("Nordel", "ORG"), ("Daewon Marine Engineering Co.", "ORG"), ("Daewon", "PERSON")
    )
    assert groups(entities)["Daewon Marine Engineering"] == {"Daewon Marine Engineering Co.", "Daewon"}


def test_the_first_word_stays_apart_when_it_is_a_place_a_person_or_two_names() -> None:
    # Used as a place in the article.
    body = "Halden Marine Engineering Co. won. The plant in Halden grew."
    entities = resolve(body, ("Halden Marine Engineering Co.", "ORG"), ("Halden", "ORG"))
    assert names(entities) == {"Halden Marine Engineering", "Halden"}
    # Typed a place.
    body = "Washington Marine Engineering Co. won. Washington imposed sanctions."
    entities = resolve(body, ("Washington Marine Engineering Co.", "ORG"), ("Washington", "GPE"))
    assert names(entities) == {"Washington Marine Engineering", "Washington"}
    # Part of a person's name.
    body = "Bloomberg Media Group Inc. grew. Michael Bloomberg spoke. Bloomberg said so."
    entities = resolve(
        body, ("Bloomberg Media Group Inc.", "ORG"), ("Michael Bloomberg", "PERSON"), ("Bloomberg", "PERSON")
    )
    assert groups(entities)["Bloomberg Media Group"] == {"Bloomberg Media Group Inc."}
    # The first word of two longer names.
    body = "Daewon Marine Engineering Co. and Daewon Steel Ltd. met. Daewon said so."
    entities = resolve(
        body, ("Daewon Marine Engineering Co.", "ORG"), ("Daewon Steel Ltd.", "ORG"), ("Daewon", "ORG")
    )
    assert groups(entities)["Daewon"] == {"Daewon"}
    # A nationality word.
    body = "American Airlines Group Inc. grew. American officials said so."
    entities = resolve(body, ("American Airlines Group Inc.", "ORG"), ("American", "NORP"))
    assert groups(entities)["American Airlines Group"] == {"American Airlines Group Inc."}


def test_a_name_typed_a_person_whose_first_word_alone_is_an_organisation_is_one() -> None:
    # written11 r09: "Meridian Re" typed a person, "Meridian" a group of people.
    body = "Harwell Group and Meridian Re launched a pool. Meridian, the reinsurer, will take the rest."
    entities = resolve(body, ("Harwell Group", "ORG"), ("Meridian Re", "PERSON"), ("Meridian", "NORP"))
    assert [(e.name, e.type, set(e.surface_forms)) for e in entities if e.name.startswith("Meridian")] == [
        ("Meridian Re", "ORG", {"Meridian Re", "Meridian"})
    ]
    # A first name typed a person stays with the rules for people.
    body = "Laura Smith spoke. Laura said so."
    entities = resolve(body, ("Laura Smith", "PERSON"), ("Laura", "ORG"))
    assert "Laura" in names(entities) or "Laura Smith" in names(entities)


def test_a_name_going_on_with_a_model_does_not_make_the_company_ambiguous() -> None:
    # written11 r02: "Orbita Lyra-2" is Orbita's rocket, not a second Orbita company.
    body = "Orbita Launch Systems flew the Orbita Lyra-2 on Monday. Orbita said the launch went well."
    entities = resolve(
        body, ("Orbita Launch Systems", "ORG"), ("Orbita Lyra-2", "PRODUCT"), ("Orbita", "ORG")
    )
    assert groups(entities)["Orbita Launch Systems"] == {"Orbita Launch Systems", "Orbita"}


def test_a_surname_with_its_particle_joins_the_full_name() -> None:
    # written11 r07: "Van Dalen", capitalised at the start of a sentence, is a surname, not a first
    # and last name.
    body = "Port chief Pieter van Dalen spoke. Van Dalen expects more customers."
    entities = resolve(body, ("Pieter van Dalen", "PERSON"), ("Van Dalen", "PERSON"))
    assert groups(entities) == {"Pieter van Dalen": {"Pieter van Dalen", "Van Dalen"}}
    # Two people of that surname: it joins neither.
    body = "Pieter van Dalen and Anna van Dalen spoke. Van Dalen expects more customers."
    entities = resolve(
        body, ("Pieter van Dalen", "PERSON"), ("Anna van Dalen", "PERSON"), ("Van Dalen", "PERSON")
    )
    assert names(entities) == {"Pieter van Dalen", "Anna van Dalen", "Van Dalen"}


def test_capitalised_words_ending_in_a_legal_form_end_the_company_name() -> None:
    # written11 r01: NER saw "Nordel" elsewhere and nothing in "Nordel Shipping ASA".
    body = (
        "OSLO (Reuters) - Nordel Shipping ASA has ordered ships from Daewon. Nordel said they come in 2028."
    )
    entities = resolve(body, ("Reuters", "ORG"), ("Daewon", "ORG"), ("Nordel", "ORG"))
    assert groups(entities)["Nordel Shipping"] == {"Nordel Shipping ASA", "Nordel"}
    # Not a word after the name that is no legal form, nor a hyphenated word.
    body = "Nordel Shipping Co-founder Anna Berg said Nordel would grow. Nordel Shipping rose."
    entities = resolve(body, ("Nordel", "ORG"), ("Anna Berg", "PERSON"), ("Nordel", "ORG"))
    assert "Nordel Shipping Co-founder" not in names(entities)


def test_a_dateline_credit_is_the_agency_and_does_not_introduce_its_name() -> None:
    # written11 r08: the credit typed a place, the agency's full name written later in the prose.
    body = "SANTIAGO (Bloomberg) -- Codelco agreed a deal. Its chief told Bloomberg News offers were firm."
    entities = resolve(body, ("Bloomberg", "GPE"), ("Codelco", "ORG"), ("Bloomberg News", "ORG"))
    assert groups(entities)["Bloomberg News"] == {"Bloomberg", "Bloomberg News"}
    # In the prose, the short name first stays apart from a longer name written after it (a unit).
    body = "SANTIAGO (Reuters) - Boeing said so. Its unit Boeing Commercial Airplanes delivered jets."
    entities = resolve(body, ("Reuters", "ORG"), ("Boeing", "ORG"), ("Boeing Commercial Airplanes", "ORG"))
    assert {"Reuters", "Boeing", "Boeing Commercial Airplanes"} <= names(entities)
