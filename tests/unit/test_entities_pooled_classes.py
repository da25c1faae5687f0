"""Classes of resolution errors pooled over the written batches (one test per class; each failed
before its rule)."""

from __future__ import annotations

from tests.unit.test_entities_resolution import groups, names, resolve


def test_a_company_word_typed_a_place_and_never_used_as_one_joins_the_company() -> None:
    # written w05 (Halden), written2 h06 (Orbitra): the company's name without its trade words.
    body = "Halden Foods agreed to buy Marston. Halden chief executive Laura Smith said Halden would pay."
    entities = resolve(
        body, ("Halden Foods", "ORG"), ("Halden", "GPE"), ("Laura Smith", "PERSON"), ("Halden", "GPE")
    )
    # Generic trade words dropped ("Halden Foods" is "Halden", as "Apple Computer" is "Apple").
    assert [(e.name, e.type, set(e.surface_forms)) for e in entities if e.name.startswith("Halden")] == [
        ("Halden", "ORG", {"Halden Foods", "Halden"})
    ]


def test_a_place_word_the_article_uses_as_a_place_stays_a_place() -> None:
    for after in ("It has a plant in Halden.", "The Halden-based firm grew.", "It moved to Oslo, Halden."):
        body = f"Halden Foods agreed to buy Marston. {after}"
        entities = resolve(body, ("Halden Foods", "ORG"), ("Halden", "GPE"))
        assert names(entities) == {"Halden Foods", "Halden"}, after
    # A facility named after its city, and a place that ends an institution's name, keep the place.
    body = "Lufthansa cut flights at Frankfurt Airport. Frankfurt would remain the hub."
    entities = resolve(body, ("Lufthansa", "ORG"), ("Frankfurt Airport", "FAC"), ("Frankfurt", "GPE"))
    assert "Frankfurt" in names(entities)
    # Nor is a place the company's name minus a word that is not a trade word.
    body = "The Washington Post reported the deal. Washington imposed sanctions."
    entities = resolve(body, ("Washington Post", "ORG"), ("Washington", "GPE"))
    assert names(entities) == {"Washington Post", "Washington"}
    body = "The Bank of Japan held rates. Japan's economy grew."
    entities = resolve(body, ("Bank of Japan", "ORG"), ("Japan", "GPE"))
    assert names(entities) == {"Bank of Japan", "Japan"}


def test_an_institution_cut_before_small_words_runs_to_the_end_its_acronym_spells() -> None:
    # written9 r06 (BCCI), r07 (Bectu); written8 r11 (UNHCR) is the same cut but its acronym skips
    # the leading "Office of the" and stays apart.
    body = "The BCCI will ask for more, the Board of Control for Cricket in India said on Friday."
    entities = resolve(body, ("BCCI", "ORG"), ("Board of Control for Cricket", "ORG"), ("Friday", "DATE"))
    # Named by the acronym: an expansion of more than three words.
    assert groups(entities) == {"BCCI": {"BCCI", "Board of Control for Cricket in India"}}
    body = "The Broadcasting, Entertainment, Communications and Theatre Union, known as Bectu, said so."
    entities = resolve(body, ("Broadcasting, Entertainment, Communications", "ORG"), ("Bectu", "ORG"))
    assert len(entities) == 1
    assert set(entities[0].surface_forms) == {
        "Broadcasting, Entertainment, Communications and Theatre Union",
        "Bectu",
    }


def test_small_words_after_a_name_do_not_join_a_name_that_spells_no_acronym() -> None:
    body = "Ofcom and the Competition and Markets Authority (CMA) met. Ofcom said nothing."
    tagged = (
        ("Ofcom", "ORG"),
        ("Competition and Markets Authority", "ORG"),
        ("CMA", "ORG"),
        ("Ofcom", "ORG"),
    )
    assert groups(resolve(body, *tagged))["Ofcom"] == {"Ofcom"}
