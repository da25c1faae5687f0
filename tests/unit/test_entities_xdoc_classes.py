"""Classes of cross-article inconsistency pooled over the written batches 1-10 and MEANTIME (one
test per class; each failed before its rule)."""

from __future__ import annotations

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
    # With the place in the same article it stays apart (written batch 5's gold: "German data
    # centres" beside "Germany" is a nationality of its own).
    body = "Scotland voted. The Scottish government said so."
    both = resolve(body, ("Scotland", "GPE"), ("Scottish", "NORP"))
    assert groups(both) == {"Scotland": {"Scotland"}, "Scottish": {"Scottish"}}


def test_adjectives_of_no_single_place_and_peoples_stay_groups() -> None:
    for word in ("European", "Korean", "Conservatives", "Americans"):
        entities = resolve(f"The {word} leaders met.", (word, "NORP"))
        assert [(e.name, e.type) for e in entities] == [(word, "NORP")], word
    # Only the model's nationality label: "English" typed a language is the language.
    entities = resolve("The English version sold well.", ("English", "LANGUAGE"))
    assert [(e.name, e.type) for e in entities] == [("English", "LANGUAGE")]
