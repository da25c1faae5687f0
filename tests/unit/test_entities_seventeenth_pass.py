"""Seventeenth entity pass (issue 15): classes left by the last review, each a resolution rule. Names
here are made up or generic; each test failed before its rule, except the guards that keep things
apart."""

from __future__ import annotations

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
