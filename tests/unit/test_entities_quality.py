"""Quality floors on real annotated news (the MEANTIME slice) and on the articles written for issue 15.

The figures come from the offline pipeline (what `streamproc process` runs, learned aliases
included) scored by ``streamproc.enrich.entity_quality`` (the shared MEANTIME scorer's measures);
``benchmarks/quality_entities.py`` prints them. Measured when the floors were set: slice
inst_recall 0.918, ner_P 0.976, ner_R 0.946, canon_B3_F1 0.973, xdoc 0.818; written merge rate
0.923, wrong merges 0, type accuracy 0.957, mention recall 0.979; second written batch merge rate
0.875, wrong merges 0, type accuracy 0.902.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from streamproc.config import Settings
from streamproc.enrich.entity_quality import (
    grade_meantime_doc,
    grade_written_doc,
    meantime_summary,
    written_summary,
)
from streamproc.enrich.pool import EnrichmentPool
from streamproc.models import RawMessage, SourceOffset, dumps
from streamproc.pipeline import OfflineRunner

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MEANTIME = FIXTURES / "meantime"
WRITTEN = FIXTURES / "entities" / "written"
WRITTEN_HELD_OUT = FIXTURES / "entities" / "written2"
WRITTEN_ACROSS = FIXTURES / "entities" / "written3"
WRITTEN_FOURTH = FIXTURES / "entities" / "written4"
WRITTEN_FIFTH = FIXTURES / "entities" / "written5"
WRITTEN_SEVENTH = FIXTURES / "entities" / "written7"
WRITTEN_EIGHTH = FIXTURES / "entities" / "written8"
WRITTEN_NINTH = FIXTURES / "entities" / "written9"
WRITTEN_TENTH = FIXTURES / "entities" / "written10"
WRITTEN_ELEVENTH = FIXTURES / "entities" / "written11"
WRITTEN_TWELFTH = FIXTURES / "entities" / "written12"
WRITTEN_THIRTEENTH = FIXTURES / "entities" / "written13"
WRITTEN_FIFTEENTH = FIXTURES / "entities" / "written15"


def run_offline(paths: list[Path]) -> list[dict[str, Any]]:
    settings = Settings()
    raws = [
        RawMessage(
            payload=path.read_bytes(),
            received_at=datetime(2026, 1, 1, tzinfo=UTC),
            source_offset=SourceOffset("process", 0, index),
            timestamp=datetime.fromtimestamp(1_700_000_000 + index * 1e-3, UTC),
        )
        for index, path in enumerate(paths)
    ]
    with EnrichmentPool(replace(settings.enrich, processes=0)) as pool:
        outputs = list(OfflineRunner(settings, pool).run(raws))
    return [{"topic": o.role, "value": orjson.loads(dumps(o.value))} for o in outputs]


@pytest.fixture(scope="module")
def meantime() -> dict[str, Any]:
    work = []
    for corpus in ("airbus", "apple"):
        gold = json.loads((MEANTIME / "gold" / f"{corpus}.json").read_text(encoding="utf-8"))
        for _, doc in sorted(gold["docs"].items(), key=lambda kv: int(kv[0])):
            work.append((corpus, doc, MEANTIME / doc["raw"]))
    records = run_offline([path for _, _, path in work])
    return meantime_summary([grade_meantime_doc(c, g, r) for (c, g, _), r in zip(work, records, strict=True)])


def score_written(root: Path, *, reverse: bool = False) -> dict[str, Any]:
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))["articles"]
    paths = [root / "raw" / f"{doc}.json" for doc in sorted(gold, reverse=reverse)]
    records = run_offline(paths)
    return written_summary(
        [grade_written_doc(p.stem, gold[p.stem], r) for p, r in zip(paths, records, strict=True)]
    )


@pytest.fixture(scope="module")
def written() -> dict[str, Any]:
    return score_written(WRITTEN)


def test_meantime_slice_floors(meantime: dict[str, Any]) -> None:
    assert meantime["docs"] == 20
    assert meantime["canon_b3_f1"] >= 0.96, meantime["splits"] + meantime["merges"]
    assert meantime["inst_recall"] >= 0.90
    assert meantime["ner_recall"] >= 0.93
    assert meantime["ner_precision"] >= 0.95
    assert meantime["xdoc_consistency"] >= 0.80, meantime["xdoc_examples"]


def test_written_articles_floors(written: dict[str, Any]) -> None:
    assert written["docs"] == 12
    # 0.962 -> 1.000 by the merge12 pass ("Northern Rail Services" ... "Northern", a legal form)
    assert written["merge_rate"] >= 0.99, written["not_merged"]
    assert written["wrong_merges"] <= 1, written["wrong_merge_examples"]
    assert written["type_accuracy"] >= 0.90, written["wrong_types"]
    assert written["mention_recall"] >= 0.93


def test_second_written_batch_floors() -> None:
    """Written after the rules, scored once blind (merge rate 0.812); class fixes since: DoD, a
    company word typed a place ("Orbitra"; 0.938)."""
    second = score_written(WRITTEN_HELD_OUT)
    assert second["docs"] == 8
    assert second["merge_rate"] >= 0.93, second["not_merged"]
    assert second["wrong_merges"] == 0, second["wrong_merge_examples"]
    assert second["type_accuracy"] >= 0.85, second["wrong_types"]


def test_third_written_batch_floors() -> None:
    """Real companies and institutions, entities recurring across articles in other forms; first
    run merge rate 0.875, 3 wrong merges, cross-article consistency 0.571 (7 entities)."""
    third = score_written(WRITTEN_ACROSS)
    assert third["docs"] == 10
    assert third["merge_rate"] >= 0.92, third["not_merged"]
    assert third["wrong_merges"] == 0, third["wrong_merge_examples"]
    assert third["xdoc_consistency"] >= 0.85, third["xdoc_examples"]
    assert third["mention_recall"] >= 0.90


def test_fourth_and_fifth_written_batches_floors() -> None:
    """Each scored once blind (merge rate 0.727 and 0.783); clipped short forms ("VW", "BofA",
    "Caltech", "Fed"), US state abbreviations ("Ga.") and names NER cut before the words their
    acronym spells ("Amazon | Web Services"), an organisation after a dateline in one place span
    ("DUBAI - Saudi Aramco") and a lone word called a person after an organisation ("Google |
    Cloud") were fixed as classes after."""
    fourth = score_written(WRITTEN_FOURTH)
    assert fourth["docs"] == 6
    assert fourth["merge_rate"] >= 0.95, fourth["not_merged"]
    assert fourth["wrong_merges"] == 0, fourth["wrong_merge_examples"]
    assert fourth["xdoc_consistency"] >= 0.95, fourth["xdoc_examples"]
    fifth = score_written(WRITTEN_FIFTH)
    assert fifth["docs"] == 10
    assert fifth["merge_rate"] >= 0.95, fifth["not_merged"]
    assert fifth["wrong_merges"] == 0, fifth["wrong_merge_examples"]
    assert fifth["xdoc_consistency"] >= 0.95, fifth["xdoc_examples"]


def test_seventh_written_batch_floors() -> None:
    """Scored once blind (merge rate 0.756 of 45, 1 wrong merge, type accuracy 0.882, xdoc 0.818);
    classes fixed after: honorific + surname, acronyms typed a place or person or spelling a legal
    form ("NRA", "DB", "TSMC"), "the Commission" of an expansion named by its acronym, a place with
    its administrative word, a hyphenated full name ("A.P. Moller-Maersk"), trade words ("Coinbase
    Global", "Meta Platforms", "Vestas Wind Systems"), a short name beginning two longer ones."""
    seventh = score_written(WRITTEN_SEVENTH)
    assert seventh["docs"] == 12
    assert seventh["merge_rate"] >= 0.95, seventh["not_merged"]
    assert seventh["wrong_merges"] == 0, seventh["wrong_merge_examples"]
    assert seventh["type_accuracy"] >= 0.89, seventh["wrong_types"]
    assert seventh["xdoc_consistency"] >= 0.90, seventh["xdoc_examples"]


def test_eighth_written_batch_floors() -> None:
    """Held out until the batch-8 pass (merge rate 0.855 of 62, 2 wrong merges, type accuracy
    0.901, xdoc 0.840, 0.800 in reverse order); classes fixed after: an acronym read before its
    expansion names the entity in every later article, "University of X" / "X University", a
    leading nationality word ("Deutsche Lufthansa"), an administrative title ("the Free State of
    Bavaria"), a club designator ("FC"), generic words after an acronym's form ("BMW Group"), a
    designator led by a small letter ("iX3"), a person-typed name led by a place of the article
    ("Manchester United"), clipped words ("Man United"), an accented expansion typed a person
    ("Électricité de France"), a titled surname shared by two people ("Dr Okafor"). Left: two wrong
    merges (a unit and its parent: "Tesco Mobile", "EDF Energy" cut to "EDF"), "Hinkley" for
    "Hinkley Point C", an expansion NER cut short ("UNHCR")."""
    eighth = score_written(WRITTEN_EIGHTH)
    assert eighth["docs"] == 12
    assert eighth["merge_rate"] >= 0.96, eighth["not_merged"]
    assert eighth["wrong_merges"] <= 1, eighth["wrong_merge_examples"]  # merge15: "Tesco Mobile" apart
    assert eighth["type_accuracy"] >= 0.92, eighth["wrong_types"]
    assert eighth["xdoc_consistency"] >= 0.96, eighth["xdoc_examples"]
    # the same names across articles read in the other order
    reverse = score_written(WRITTEN_EIGHTH, reverse=True)
    assert reverse["xdoc_consistency"] >= 0.96, reverse["xdoc_examples"]


def test_ninth_written_batch_floors() -> None:
    """Held out until the batch-9 pass (merge rate 0.769 of 52, 8 wrong merges, type accuracy
    0.805, xdoc 0.839); classes fixed after: one hyphenated word ("Hapag-Lloyd") is not a longer
    form of the name after its hyphen ("Lloyd's"); a unit NER cut to its parent ("Allianz
    Commercial", "Airbus Defence") is a name of its own; "SE" is a legal form; a span across a
    sentence end after a one-letter name ("X. Ofcom's") is two names. Left: four wrong merges (NER
    spans: "Port of Rotterdam Authority" cut into three, "Ane Maersk" cut to "Maersk", "Transport
    for London" cut to "London", "Apple App Store" in one span). Pooled pass (batches 1-9): an
    institution NER cut before small words that its acronym spells ("BCCI"), a word acronym
    introduced "known as" ("Bectu"): merge rate 0.769 -> 0.808. Cross-article pass (xdoc12): a place
    adjective alone names its place ("French" -> France); an acronym with a small letter typed a
    place is an organisation ("MoD"): xdoc 0.871 -> 0.935. ents14 pass: a name is not found again
    inside an untagged "Port of Rotterdam Authority": merge rate 0.808 -> 0.827, wrong merges 4 -> 3.
    ents15a pass: a place adjective beside its place is the place ("Irish" / Ireland): merge rate
    0.827 -> 0.904, xdoc 0.935 -> 0.968."""
    ninth = score_written(WRITTEN_NINTH)
    assert ninth["docs"] == 12
    assert ninth["merge_rate"] >= 0.90, ninth["not_merged"]
    assert ninth["wrong_merges"] <= 3, ninth["wrong_merge_examples"]
    assert ninth["type_accuracy"] >= 0.81, ninth["wrong_types"]
    assert ninth["xdoc_consistency"] >= 0.96, ninth["xdoc_examples"]


def test_tenth_written_batch_floors() -> None:
    """Held out until the cross-article pass (blind: merge rate 0.784 of 74, 4 wrong merges, type
    accuracy 0.849, xdoc 0.611 of 36); classes fixed after: a place adjective alone names its
    place; an organisation's first word written beside its long name shares its key ("Lloyds");
    an acronym alone and its expansion alone meet at the acronym's key ("WHO", "ONS"); a country
    abbreviation before a public body ("UK Supreme Court"); an expansion NER cut before its
    parenthetical acronym ("MHRA"). Left: "Barclays Bank" / "Barclays", "Reform UK" / "Reform",
    an adjective beside its place ("Scottish" with "Scotland", "British" with "UK"). ents14 pass:
    a shared definite head by recency ("the Agency", "the Bank"), a head before "for" ("the
    Department"), a syllabic acronym ("Ofcom"), "Cambridge University" / "University of Cambridge":
    merge rate 0.811 -> 0.878. ents15a pass: an adjective beside its place is the place ("Scottish"
    / Scotland), not beside a place cut from a longer name ("British arm" / "Three UK"): merge rate
    0.878 -> 0.932, xdoc 0.889 -> 0.917. ents18: "Eli Lilly and Co." is "Eli Lilly" (merge rate
    0.932 -> 0.946)."""
    tenth = score_written(WRITTEN_TENTH)
    assert tenth["docs"] == 12
    assert tenth["merge_rate"] >= 0.94, tenth["not_merged"]
    assert tenth["wrong_merges"] <= 2, tenth["wrong_merge_examples"]
    assert tenth["type_accuracy"] >= 0.88, tenth["wrong_types"]
    assert tenth["xdoc_consistency"] >= 0.91, tenth["xdoc_examples"]


def test_eleventh_written_batch_floors() -> None:
    """Blind batch released for development by the merge12 pass (on main before it: merge rate 0.773
    of 66, 3 wrong merges, type accuracy 0.796, xdoc 0.740 of 50); classes fixed: an
    organisation's first word beside its full name written with a legal form, whatever the model
    typed it ("Daewon"), or beside the name typed a person ("Meridian Re"); a name going on with a
    model is no second company ("Orbita Lyra-2"); a surname with its particle ("Van Dalen"); words
    ending in a legal form after a name NER cut ("Nordel | Shipping ASA"); a dateline's credit
    ("(Bloomberg)"); across articles, a middle initial written or not ("Ingrid M. Solberg").
    Left: expansions in Spanish ("Codelco"), "Ofwat". ents16 surname pass: a surname alone after
    another article's full name ("Solberg", "Mining Minister Ortuzar"): xdoc 0.840 -> 0.880, no
    cross-article wrong merge; a word typed a person that the stream named only as an organisation
    ("Harwell"): type accuracy 0.807 -> 0.818. ents18: NER spans rejoined or cut ("Sociedad Quimica
    | y | Minera de Chile (SQM)", "Orbita 60 million"): merge rate 0.909 -> 0.939."""
    eleventh = score_written(WRITTEN_ELEVENTH)
    assert eleventh["docs"] == 12
    assert eleventh["merge_rate"] >= 0.93, eleventh["not_merged"]
    assert eleventh["wrong_merges"] <= 3, eleventh["wrong_merge_examples"]
    # 0.812 -> 0.807 with the ents15a pass: "French" cut from "French Guiana" (r02, r06) was typed
    # GPE only because it was named France, a wrong name; it now stays the adjective (xdoc 0.800 -> 0.820).
    assert eleventh["type_accuracy"] >= 0.81, eleventh["wrong_types"]
    assert eleventh["xdoc_consistency"] >= 0.88, eleventh["xdoc_examples"]
    assert eleventh["xdoc_wrong_merges"] == 0, eleventh["xdoc_wrong_merge_examples"]


@pytest.mark.parametrize(
    ("root", "floors"),
    [
        (WRITTEN_TWELFTH, (0.85, 4, 0.78)),
        (WRITTEN_THIRTEENTH, (0.90, 4, 0.96)),
        (WRITTEN_FIFTEENTH, (0.75, 6, 0.92)),
    ],
)
def test_twelfth_and_thirteenth_written_batches_floors(root: Path, floors: tuple[float, int, float]) -> None:
    """Blind batches, development data since they were scored (on main at 0a79bed: merge rate 0.676
    and 0.651, 5 wrong merges each, xdoc 0.730 and 0.889). ents15a pass: a place adjective beside its
    place ("Italian" / Italy, "Faroese" / Faroe Islands, "South Australian" / South Australia), a
    coined word typed a place before the legal name it starts ("Koorinda" ... "Koorinda Resources
    Ltd"): merge rate 0.746 and 0.762, xdoc 0.757 and 0.926. ents16: a word typed a person that
    the stream named only as an organisation is that organisation ("Brightforge"): written12 xdoc
    0.757 -> 0.784. ents18: a sentence's common first word glued to a rare name ("Independent
    Errázuriz", "People in Valparaíso"): written13 merge rate 0.873 -> 0.905. written15 (blind on main
    at acb7a10: 0.725, 13 wrong merges, xdoc 0.895), after the merge15 pass (parent and part in
    apposition, a dateline's credit, a full name typed a person, "FC Porto" beside the place): 0.754,
    6, 0.921."""
    merge_rate, wrong_merges, xdoc = floors
    batch = score_written(root)
    assert batch["merge_rate"] >= merge_rate, batch["not_merged"]
    assert batch["wrong_merges"] <= wrong_merges, batch["wrong_merge_examples"]
    assert batch["xdoc_consistency"] >= xdoc, batch["xdoc_examples"]


def _graded(doc: str, *golds: tuple[str, str]) -> dict[str, Any]:
    """A graded article whose gold entities (name, main output name) were each found once."""
    entities = [
        {
            "name": gold,
            "type": "ORG",
            "forms": 1,
            "occurrences": 1,
            "found": 1,
            "outputs": [out],
            "merged": True,
            "main_name": out,
            "type_ok": True,
            "output_ids": [i],
        }
        for i, (gold, out) in enumerate(golds)
    ]
    return {"doc": doc, "entities": entities, "wrong_merges": []}


def test_cross_article_wrong_merges_count_one_output_name_of_two_gold_entities_in_two_articles() -> None:
    summary = written_summary(
        [
            _graded("r1", ("Anna Kestrow", "Anna Kestrow"), ("Rome", "Rome")),
            _graded("r2", ("Jonas Kestrow", "Anna Kestrow")),
            # both in one article: that article's wrong merge, not counted again across articles
            _graded("r3", ("Rome", "Rome"), ("Associated Press", "Rome")),
        ]
    )
    assert summary["xdoc_wrong_merges"] == 1
    assert summary["xdoc_wrong_merge_examples"] == ["anna kestrow: Anna Kestrow in r1; Jonas Kestrow in r2"]
