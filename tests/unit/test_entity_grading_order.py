"""The written-articles grader decides nothing by set or hash order (it gave three different
cross-article figures for one output under three PYTHONHASHSEEDs before)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from streamproc.enrich.entity_quality import grade_written_doc


def _record(body: str, outputs: list[tuple[str, str]]) -> dict[str, Any]:
    entities = []
    for name, form in outputs:
        start = body.index(form)
        entities.append(
            {
                "name": name,
                "type": "GPE",
                "spans": [{"field": "body", "start": start, "end": start + len(form)}],
            }
        )
    return {"value": {"title": "", "body": body, "entities": entities}}


def test_a_tie_goes_to_the_output_met_first_in_the_text() -> None:
    # "English" and "England" have the same length; each found once, as two outputs.
    gold = [{"name": "England", "type": "GPE", "forms": ["England", "English"]}]
    first_english = _record(
        "The English side beat them in England.", [("English", "English"), ("England", "England")]
    )
    first_england = _record(
        "In England, the English side won.", [("England", "England"), ("English", "English")]
    )
    assert grade_written_doc("d", gold, first_english)["entities"][0]["main_name"] == "English"
    assert grade_written_doc("d", gold, first_england)["entities"][0]["main_name"] == "England"


def test_the_grade_is_the_same_under_any_hash_seed() -> None:
    script = (
        "from tests.unit.test_entity_grading_order import _record;"
        "from streamproc.enrich.entity_quality import grade_written_doc;"
        "g=[{'name':'England','type':'GPE','forms':['Wales','England','English','Anglia']}];"
        "r=_record('English fans, England, Wales and Anglia.',"
        "[('English','English'),('England','England'),('Wales','Wales'),('Anglia','Anglia')]);"
        "print(grade_written_doc('d', g, r)['entities'][0]['main_name'])"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(6)
    }
    assert seen == {"English"}
