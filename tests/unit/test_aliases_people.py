"""A person written with and without a middle initial in different articles (issue 15, written11
"Ingrid M. Solberg" / "Ingrid Solberg", "Daniel J. Okafor" / "Daniel Okafor"); failed before."""

from __future__ import annotations

from collections.abc import Sequence

from streamproc.dedup.index import KeyEntry
from streamproc.enrich.aliases import alias_entries, apply_teachings, lookup_keys, teachings_in
from streamproc.models import Entity
from tests.unit.test_aliases import ent


def stream(*articles: Sequence[Entity]) -> list[str]:
    """The name each article's one person gets, read in order through the alias table."""
    table: dict[str, list[KeyEntry]] = {}
    out: list[str] = []
    for index, entities in enumerate(articles):
        article = f"a{index}"
        keys = lookup_keys(list(entities))
        found = {key: teachings_in(key, table.get(key, [])) for key in keys}
        out.append(apply_teachings(list(entities), found, article)[0].name)
        for key, entry in alias_entries(
            list(entities), article_id=article, source_key="t", event_time=1.0
        ).items():
            table.setdefault(key, []).append(entry)
    return out


def test_a_middle_initial_written_or_left_out_is_one_person_across_articles() -> None:
    plain, initialled = ent("Ingrid Solberg", "PERSON"), ent("Ingrid M. Solberg", "PERSON")
    assert stream([plain], [initialled]) == ["Ingrid Solberg", "Ingrid Solberg"]
    assert stream([initialled], [plain]) == ["Ingrid M. Solberg", "Ingrid M. Solberg"]


def test_two_different_initials_are_two_people() -> None:
    w, hw, plain = (
        ent("George W. Bush", "PERSON"),
        ent("George H. W. Bush", "PERSON"),
        ent("George Bush", "PERSON"),
    )
    assert stream([w], [hw]) == ["George W. Bush", "George H. W. Bush"]
    # With both in the stream, the name without an initial has two candidates and keeps its own.
    assert stream([w], [hw], [plain]) == ["George W. Bush", "George H. W. Bush", "George Bush"]
    # A surname alone or a name of three words is not looked up.
    assert lookup_keys([ent("Solberg", "PERSON"), ent("Anna Maria Berg", "PERSON")]) == []
