"""Classes of resolution errors pooled over the written batches (one test per class; each failed
before its rule)."""

from __future__ import annotations

from tests.unit.test_entities_resolution import groups, names, resolve


def test_a_company_word_typed_a_place_and_never_used_as_one_joins_the_company() -> None:
    # written w05 (Halden), written2 h01/h06 (Veltrix, Orbitra), MEANTIME (Qatar Airways).
    body = "Halden Foods agreed to buy Marston. Halden chief executive Laura Smith said Halden would pay."
    entities = resolve(
        body, ("Halden Foods", "ORG"), ("Halden", "GPE"), ("Laura Smith", "PERSON"), ("Halden", "GPE")
    )
    # Generic trade words dropped ("Halden Foods" is "Halden", as "Apple Computer" is "Apple").
    assert [(e.name, e.type, set(e.surface_forms)) for e in entities if e.name.startswith("Halden")] == [
        ("Halden", "ORG", {"Halden Foods", "Halden"})
    ]
    body = "Veltrix Pharmaceuticals cut its forecast. Shares of Veltrix fell."
    entities = resolve(body, ("Veltrix Pharmaceuticals", "ORG"), ("Veltrix", "GPE"))
    assert groups(entities) == {"Veltrix Pharmaceuticals": {"Veltrix Pharmaceuticals", "Veltrix"}}


def test_a_place_word_the_article_uses_as_a_place_stays_a_place() -> None:
    for after in ("It has a plant in Halden.", "The Halden-based firm grew.", "It moved to Oslo, Halden."):
        body = f"Halden Foods agreed to buy Marston. {after}"
        entities = resolve(body, ("Halden Foods", "ORG"), ("Halden", "GPE"))
        assert names(entities) == {"Halden Foods", "Halden"}, after
    # A facility named after its city, and a place that ends an institution's name, keep the place.
    body = "Lufthansa cut flights at Frankfurt Airport. Frankfurt would remain the hub."
    entities = resolve(body, ("Lufthansa", "ORG"), ("Frankfurt Airport", "FAC"), ("Frankfurt", "GPE"))
    assert "Frankfurt" in names(entities)
    body = "The Bank of Japan held rates. Japan's economy grew."
    entities = resolve(body, ("Bank of Japan", "ORG"), ("Japan", "GPE"))
    assert names(entities) == {"Bank of Japan", "Japan"}
