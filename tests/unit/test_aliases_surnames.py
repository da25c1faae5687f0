"""A person named in full in one article and by surname alone in a later one (issue 15, the
largest class of cross-article splits: written11 "Ingrid Solberg" ... "Solberg", "Javier
Ortuzar" ... "Mining Minister Ortuzar"); failed before: the later article named the person by the
surname alone. Names here are made up."""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from streamproc.dedup.index import KeyEntry, probe
from streamproc.dedup.probes import key_identity
from streamproc.enrich.aliases import (
    Teaching,
    alias_entries,
    apply_teachings,
    bare_surname_key,
    full_name_surname,
    resolve_aliases,
    surname_key,
    teachings_in,
)
from streamproc.enrich.names import entity_id
from streamproc.models import Entity, dumps
from tests.unit.test_aliases import ent, offline


def stream(*articles: Sequence[Entity]) -> list[list[str]]:
    """Each article's names, read in order through the alias table as the join does: every key the
    article probes is answered with the entries stored there before it."""
    table: dict[str, list[KeyEntry]] = {}
    out: list[list[str]] = []
    for index, entities in enumerate(articles):
        article = f"a{index}"
        entries = alias_entries(list(entities), article_id=article, source_key="t", event_time=1.0)
        found = {key: teachings_in(key, table.get(key, [])) for key in entries}
        out.append([e.name for e in apply_teachings(list(entities), found, article)])
        for key, entry in entries.items():
            table.setdefault(key, []).append(entry)
    return out


def person(name: str) -> Entity:
    return ent(name, "PERSON")


def test_a_surname_alone_takes_the_full_name_an_earlier_article_gave() -> None:
    full, bare = [person("Marit Haugland")], [person("Haugland")]
    assert stream(full, bare) == [["Marit Haugland"], ["Marit Haugland"]]
    later = apply_teachings(bare, _found_after(full), "a1")[0]
    assert later.entity_id == entity_id("Marit Haugland", "PERSON")
    # A surname after particles: "Tim van Rijn" ... "van Rijn" / "Van Rijn".
    assert stream([person("Tim van Rijn")], [person("Van Rijn")])[1] == ["Tim van Rijn"]
    # A middle initial is one person; the first spelling names the surname alone.
    assert stream([person("Ingrid M. Haugland")], [person("Ingrid Haugland")], bare)[2] == [
        "Ingrid M. Haugland"
    ]


def test_two_people_sharing_a_surname_leave_it_alone() -> None:
    marit, jonas, bare = [person("Marit Haugland")], [person("Jonas Haugland")], [person("Haugland")]
    assert stream(marit, jonas, bare)[2] == ["Haugland"]
    assert stream(jonas, marit, bare)[2] == ["Haugland"]
    # Read between the two, the surname had one candidate: the order decides, deterministically.
    assert stream(marit, bare, jonas, bare) == [
        ["Marit Haugland"],
        ["Marit Haugland"],
        ["Jonas Haugland"],
        ["Haugland"],
    ]
    # Two initials are two people too.
    assert stream([person("George W. Vantorp")], [person("George H. W. Vantorp")], [person("Vantorp")])[
        2
    ] == ["Vantorp"]


def test_an_article_naming_two_people_of_the_surname_or_the_word_in_another_name_is_not_resolved() -> None:
    full = [person("Graham Pellow")]
    # "Justice Rebecca Pellow" and "Graham Pellow" beside "Pellow": the article's own ambiguity.
    both = [person("Pellow"), person("Rebecca Pellow"), person("Graham Pellow")]
    assert stream(full, both)[1] == ["Pellow", "Rebecca Pellow", "Graham Pellow"]
    # The word is also a company's name in the article ("Pellow Mining" and "Pellow" typed a person).
    company = [person("Pellow"), ent("Pellow Mining", "ORG")]
    assert stream(full, company)[1] == ["Pellow", "Pellow Mining"]
    # A form that is not the name alone ("Pellow SA"): a company the model typed a person.
    assert bare_surname_key(ent("Pellow", "PERSON", "Pellow SA"), []) is None


def test_a_word_an_organisation_was_named_by_in_the_stream_is_not_a_surname() -> None:
    company, full, bare = [ent("Kestrow", "ORG")], [person("Anna Kestrow")], [person("Kestrow")]
    assert stream(company, full, bare)[2] == ["Kestrow"]
    assert stream(full, bare)[1] == ["Anna Kestrow"]


def test_common_words_countries_nationalities_and_roles_are_not_surnames() -> None:
    for full in ("Neil Young", "Anna Brown", "Tom Washington", "Ann Jordan", "Sara Chile", "Lena Swiss"):
        assert full_name_surname(person(full)) is None, full
        assert bare_surname_key(person(full.split()[-1]), []) is None, full
    assert stream([person("Neil Young")], [person("Young")])[1] == ["Young"]
    # Not a person's full name: a role word or initial first, other types, one word.
    for name, etype in (
        ("Minister Haugland", "PERSON"),
        ("J. Haugland", "PERSON"),
        ("Marit Haugland", "ORG"),
    ):
        assert full_name_surname(ent(name, etype)) is None, name
    assert full_name_surname(person("Haugland")) is None
    assert full_name_surname(person("Marit Haugland Jr.")) == "Haugland"


def test_the_surname_read_first_keeps_its_name_and_nothing_is_renamed_to_a_surname() -> None:
    full, bare = [person("Marit Haugland")], [person("Haugland")]
    assert stream(bare, full) == [["Haugland"], ["Marit Haugland"]]


def test_an_article_never_reads_its_own_registration_and_keys_are_its_probes() -> None:
    full = [person("Marit Haugland")]
    entries = alias_entries(full, article_id="a0", source_key="t", event_time=1.0)
    key = surname_key("Haugland")
    assert entries[key].entity_names == ["Marit Haugland", "PERSON", "="]
    bare = [person("Haugland")]
    probes = alias_entries(bare, article_id="a1", source_key="t", event_time=1.0)
    assert key in probes and probes[key].entity_names is None  # a lookup stores a bare entry
    # A replay of a0 answered with its own entry does not rename anything.
    own = {key: teachings_in(key, [entries[key]])}
    assert [e.name for e in apply_teachings([person("Haugland")], own, "a0")] == ["Haugland"]
    # The join's finalize step (JSON records) gives the same.
    as_json = [orjson.loads(dumps(e)) for e in bare]
    out = resolve_aliases(as_json, {key: [entries[key]]}, "a1")
    assert out[0]["name"] == "Marit Haugland" and out[0]["entity_id"] == entity_id("Marit Haugland", "PERSON")


def _found_after(*articles: Sequence[Entity]) -> dict[str, list[Teaching]]:
    found: dict[str, list[Teaching]] = {}
    for index, entities in enumerate(articles):
        for key, entry in alias_entries(
            list(entities), article_id=f"f{index}", source_key="t", event_time=1.0
        ).items():
            found.setdefault(key, []).extend(teachings_in(key, [entry]))
    return found


def test_through_the_join_a_title_and_surname_takes_the_full_name() -> None:
    out = offline(
        [
            (
                "Harbour board names new chair",
                "The Tromsø harbour board on Monday named Marit Haugland as its chair. Haugland, "
                "a former shipping lawyer, said the port would expand its cold storage.",
            ),
            (
                "Port expansion approved",
                "Tromsø's port expansion was approved on Thursday. Ms Haugland said work would start "
                "in the spring and cost about 400 million crowns.",
            ),
        ]
    )
    people = [[e["name"] for e in record["entities"] if e["type"] == "PERSON"] for record in out]
    assert people == [["Marit Haugland"], ["Marit Haugland"]], people


def test_a_word_typed_a_person_that_the_stream_named_only_as_an_organisation_is_that_organisation() -> None:
    # written11 "Harwell Group" ... "insured by Harwell" (typed a person) in another article.
    group, word = [ent("Harwell Group", "ORG")], [person("Harwell")]
    later = apply_teachings(word, _found_after(group), "a1")[0]
    assert (later.name, later.type) == ("Harwell Group", "ORG")
    assert later.entity_id == entity_id("Harwell Group", "ORG")
    assert stream([ent("Harwell", "ORG")], word)[1] == ["Harwell"]
    assert apply_teachings(word, _found_after([ent("Harwell", "ORG")]), "a1")[0].type == "ORG"
    # A person registered under the word too: a person or the company, so neither.
    both = _found_after(group, [person("Anna Harwell")])
    assert (apply_teachings(word, both, "a2")[0].name, apply_teachings(word, both, "a2")[0].type) == (
        "Harwell",
        "PERSON",
    )
    # Nothing in the stream: unchanged.
    assert apply_teachings(word, {}, "a1")[0].type == "PERSON"


def test_the_last_of_two_surnames_is_not_a_surname_alone() -> None:
    # Spanish writes "Gabriel García Márquez" as "García Márquez" or "García", never "Márquez": a
    # "Márquez" alone later is someone else (a rider, a minister) and must keep its name.
    for full, bare in (("Gabriel García Márquez", "Márquez"), ("Pedro Sánchez Pérez", "Pérez")):
        assert full_name_surname(person(full)) is None, full
        assert stream([person(full)], [person(bare)])[1] == [bare], full
    # Middle initials and particles still lead to the surname.
    assert full_name_surname(person("George W. Vantorp")) == "Vantorp"
    assert full_name_surname(person("Anna J. K. Haugland")) == "Haugland"
    assert full_name_surname(person("Anna J.-P. Haugland")) == "Haugland"
    assert full_name_surname(person("Tim van Rijn")) == "van Rijn"


def probed_stream(*articles: Sequence[Entity], max_entries: int) -> list[list[str]]:
    """``stream`` through the join's own store (``probe``): each key keeps its first entry and its
    newest ``max_entries - 1``, as the worker's table does (``dedup.max_entries_per_key``)."""
    table: dict[str, list[KeyEntry]] = {}
    out: list[list[str]] = []
    for index, entities in enumerate(articles):
        article = f"a{index}"
        entries = alias_entries(list(entities), article_id=article, source_key=f"t:{index}", event_time=1.0)
        found: dict[str, list[Teaching]] = {}
        for key, entry in entries.items():
            outcome = probe(
                table.get(key, []),
                entry,
                horizon_s=1e9,
                now_event_time=1.0,
                max_entries=max_entries,
                identity=key_identity(key),  # as the owner cuts a key (join/owner.answer_probe)
            )
            table[key] = outcome.stored
            found[key] = teachings_in(key, outcome.earlier)
        out.append([e.name for e in apply_teachings(list(entities), found, article)])
    return out


def test_two_people_of_a_surname_stay_two_after_many_mentions() -> None:
    # Every bare mention stores a lookup entry: a key that kept only its first entry and its newest
    # ones forgot "John Okafor" after max_entries of them, and "Okafor" (read after both people)
    # took the first, "Amara Okafor". An alias key keeps the first entry of each registered name.
    amara, john, bare = [person("Amara Okafor")], [person("John Okafor")], [person("Okafor")]
    out = probed_stream(amara, john, *[bare] * 5, max_entries=4)
    assert out[2] == ["Okafor"]  # read after both: left alone
    assert out[-1] == ["Okafor"]
