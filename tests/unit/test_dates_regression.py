"""Differential contract: the tagger reproduces the mentions recorded from the reference implementation.

tests/fixtures/dates/regression.json was written by tests/fixtures/dates/build_regression.py
from the rule-per-pass implementation before it was optimised; any change of span, value,
granularity or type on the sample articles, the gold fields, the table sentences or the
synthetic corpus fails here.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from streamproc.enrich.dates import extract_dates

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "dates" / "regression.json"
CASES: list[dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]


def test_the_fixture_covers_articles_gold_and_synthetic_text() -> None:
    sources = {c["source"].split(":")[0] for c in CASES}
    assert sources == {"article", "gold", "table", "synthetic"}
    assert sum(c["source"] == "synthetic" for c in CASES) >= 200
    assert sum(len(run["mentions"]) for c in CASES for run in c["runs"]) > 1000


@pytest.mark.parametrize("source", sorted({c["source"].split(":")[0] for c in CASES}))
def test_mentions_match_the_recorded_implementation(source: str) -> None:
    mismatches = []
    runs = [(c["text"], run) for c in CASES if c["source"].split(":")[0] == source for run in c["runs"]]
    for text, run in runs:
        got = [
            [m.span.start, m.span.end, m.text, m.value, m.granularity, m.type]
            for m in extract_dates(
                text,
                "body",
                datetime.fromisoformat(run["reference"]),
                reference_is_publication=run["reference_is_publication"],
            )
        ]
        if got != run["mentions"]:
            mismatches.append((text[:80], run["reference"], run["reference_is_publication"], got))
    assert not mismatches, f"{len(mismatches)} cases differ, first: {mismatches[:3]}"
