"""A place adjective in an article that also names the place is a mention of that place (issue 15,
the policy chosen in session 15; README, Entities). Each joining test failed on the code before,
which kept the adjective apart; the keep-apart tests guard the rule's limits."""

from __future__ import annotations

import pytest

from streamproc.enrich.demonyms import derives_from
from streamproc.enrich.entities import canonical_entities
from streamproc.models import Entity
from streamproc.stories.profile import adjectives_apart, name_weights
from tests.unit.test_entities import body_mentions
from tests.unit.test_entities_resolution import groups, resolve

JOINS = [
    # The table (written13 r05 / r06, written12 r01 / r09 class).
    ("Chile exported more. Chilean growers sent a record crop.", ("Chile", "GPE"), "Chilean", "Chile"),
    (
        "The Netherlands changed its law. Dutch funds sold.",
        ("The Netherlands", "GPE"),
        "Dutch",
        "Netherlands",
    ),
    # COUNTRY_ALIASES: "Britain" is the United Kingdom, and so is "British" beside it.
    (
        "Britain approved the pill. British regulators said so.",
        ("Britain", "GPE"),
        "British",
        "United Kingdom",
    ),
    # Made from the written place by a regular suffix (written13 r11, written12 r05): no table.
    (
        "Rocket Lab will build in South Australia. The South Australian government added funds.",
        ("South Australia", "GPE"),
        "South Australian",
        "South Australia",
    ),
    (
        "The Faroe Islands farm salmon. Faroese officials must approve.",
        ("The Faroe Islands", "GPE"),
        "Faroese",
        "Faroe Islands",
    ),
]


@pytest.mark.parametrize(("body", "place", "adjective", "name"), JOINS)
def test_an_adjective_beside_its_written_place_is_the_place(
    body: str, place: tuple[str, str], adjective: str, name: str
) -> None:
    entities = resolve(body, place, (adjective, "NORP"))
    assert [(e.name, e.type, e.mentions) for e in entities] == [(name, "GPE", 2)]
    assert groups(entities)[name] == {place[0], adjective}


def test_an_adjective_that_starts_a_longer_name_is_no_place_mention() -> None:
    # written11 r02 / r06: "French Guiana" cut by the model into "French" + "Guiana".
    body = "France paid for the launch from Kourou, French Guiana, in June."
    entities = resolve(body, ("France", "GPE"), ("French", "NORP"), ("Guiana", "PERSON"))
    assert groups(entities)["France"] == {"France"} and "French" in groups(entities)
    # Never named the place when alone either.
    body = "Shares of Australian Securities Exchange operator rose."
    entities = resolve(body, ("Australian", "NORP"))
    assert [(e.name, e.type) for e in entities] == [("Australian", "NORP")]
    # A person's full name after the adjective is not the rest of a name: the nationality stays.
    body = "Norway's tax bites. Norwegian Casper Lindahl won."
    entities = resolve(body, ("Norway", "GPE"), ("Norwegian", "NORP"), ("Casper Lindahl", "PERSON"))
    assert groups(entities)["Norway"] == {"Norway", "Norwegian"}


def test_peoples_and_ambiguous_adjectives_stay_apart_from_the_place() -> None:
    body = "Chile voted. Chileans rejected the draft."
    entities = resolve(body, ("Chile", "GPE"), ("Chileans", "NORP"))
    assert groups(entities) == {"Chile": {"Chile"}, "Chileans": {"Chileans"}}
    body = "Korea and Europe met. Korean and European leaders spoke."
    entities = resolve(body, ("Korea", "GPE"), ("Europe", "LOC"), ("Korean", "NORP"), ("European", "NORP"))
    assert groups(entities)["Korean"] == {"Korean"} and groups(entities)["European"] == {"European"}
    # Two written places the adjective could name: "Dominican" of Dominica or the Dominican Republic.
    body = "Dominica and the Dominican Republic signed. Dominican officials said so."
    entities = resolve(body, ("Dominica", "GPE"), ("the Dominican Republic", "GPE"), ("Dominican", "NORP"))
    assert groups(entities)["Dominica"] == {"Dominica"}
    # The table settles a table adjective: "Norwegian" is Norway's beside "the Norwegian Sea".
    body = "Norway fishes the Norwegian Sea. Norwegian officials said so."
    entities = resolve(body, ("Norway", "GPE"), ("the Norwegian Sea", "LOC"), ("Norwegian", "NORP"))
    assert groups(entities)["Norway"] == {"Norway", "Norwegian"}


@pytest.mark.parametrize(
    ("adjective", "place", "expected"),
    [
        ("south australian", "south australia", True),
        ("parisian", "paris", True),
        ("italian", "italy", True),
        ("faroese", "faroe islands", True),
        ("chileans", "chile", False),
        ("french", "french guiana", False),
        ("korean", "korea", False),
        ("australian", "south australia", False),
        ("ch", "c", False),
    ],
)
def test_derives_from(adjective: str, place: str, expected: bool) -> None:
    assert derives_from(adjective, place) is expected


def test_stories_weigh_a_joined_adjective_as_a_nationality() -> None:
    # Set d, publication order: the join gave the place the adjective's routing slot and weight.
    joined = Entity("Netherlands", "GPE", 3, ["Netherlands", "Dutch"], [], 1.0)
    apart = adjectives_apart([joined])
    assert [(e.name, e.type) for e in apart] == [("Netherlands", "GPE"), ("Dutch", "NORP")]
    assert "dutch" in name_weights([joined])[0]
    # An adjective alone, named as its place, is the place alone (as before the join).
    alone = Entity("Netherlands", "GPE", 1, ["Dutch"], [], 1.0)
    assert adjectives_apart([alone]) == [alone]


def test_a_place_written_only_inside_a_longer_name_takes_no_adjective() -> None:
    # written10 r09: "Three UK" cut by the model to "UK"; "British arm" stays a nationality.
    body = "The merger of Vodafone Group's British arm and Three UK closed."
    mentions = body_mentions(body, ("British", "NORP"), ("UK", "GPE"))
    entities = canonical_entities(mentions, texts={"body": body})
    assert groups(entities) == {"British": {"British"}, "United Kingdom": {"UK"}}


def test_a_coined_word_typed_a_place_joins_the_legal_name_it_starts() -> None:
    # written13 r06 ("for Koorinda under a charter" ... "Koorinda Resources Ltd"), written12 r08
    # ("Rheinmark Chemie AG" ... "Rheinmark's chief executive"): the model typed the coined word a
    # place; the article never uses it as one.
    body = "Ships will carry ore for Koorinda under a charter. Koorinda Resources Ltd said so."
    entities = resolve(body, ("Koorinda", "GPE"), ("Koorinda Resources Ltd", "ORG"))
    assert groups(entities) == {"Koorinda Resources": {"Koorinda", "Koorinda Resources Ltd"}}
    # A place the language knows stays the place, and so does a coined word used as a place.
    body = "Singapore's economy grew. Singapore Airlines Ltd said so."
    entities = resolve(body, ("Singapore", "GPE"), ("Singapore Airlines Ltd", "ORG"))
    assert groups(entities)["Singapore"] == {"Singapore"}
    body = "The mine near Koorinda opened. Koorinda Resources Ltd said so."
    entities = resolve(body, ("Koorinda", "GPE"), ("Koorinda Resources Ltd", "ORG"))
    assert groups(entities)["Koorinda"] == {"Koorinda"}


def test_a_capital_after_the_adjective_in_a_title_case_headline_goes_on_no_name() -> None:
    title = "Chilean Cherry Exporters Turn to Air Freight"
    entities = resolve("Growers shipped more.", title=title, title_tags=[("Chilean", "NORP")])
    assert [(e.name, e.type) for e in entities] == [("Chile", "GPE")]
