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
from hypothesis import given, settings
from hypothesis import strategies as st

from streamproc.enrich.dates import core as dates
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


# Words the rules start with or continue with, separators and look-alike letters that match ASCII
# ones under IGNORECASE ("ſ" ~ "s", "K" ~ "k", "ı" ~ "i"), to stress the per-token rule index.
_VOCABULARY = " ".join(
    [
        "the a an in at this last next early mid late May may March Sept. Dec Monday Mondays spring "
        "summer weekend two twenty twenty-one half few several dozens of couple nearly more than up to "
        "once twice times per every each days years decades centuries millennia year-old day-long ago "
        "from now later earlier recent recently now soon the past future end of beginning first second "
        "third quarter Q3 half 21st century twenty-first 1990s '90s ’90s 2009 2025-09-04 09/04/2025 4th "
        "3 p.m. 14:30 1430 GMT noon midnight daily weekly today tomorrow ſeconds weeK İn ıt ſpring",
    ]
).split(" ")
# Whole expressions, so that multi-token starts ("the weekend", "the '90s") come up often.
_PHRASES = [
    "the weekend", "the '90s", "the ’90s", "the 1990s", "the past", "the future", "the first half of 2024",
    "the 21st century", "the twenty-first century", "the end of March", "the spring", "The Summer of 2020",
    "the next two weeks", "the last decade", "the coming days", "the middle of next week",
    "the second quarter",
    "The\tweekend", "the\nmiddle of May", "the  past three years", "THE WEEKEND", "the weeKend", "the ſpring",
]  # fmt: skip
_VOCABULARY += _PHRASES
_SEPARATORS = [" ", " ", " ", "  ", "-", ", ", ". ", "\n", "’", "'", "$", "/", ":", "—", ".", ""]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_VOCABULARY), st.sampled_from(_SEPARATORS)),
        min_size=1,
        max_size=25,
    )
)
def test_indexed_scan_finds_what_a_full_scan_finds(pieces: list[tuple[str, str]]) -> None:
    text = "".join(word + sep for word, sep in pieces)
    starts = dates._token_starts(text)
    for i, rule in enumerate(dates._RULES):
        indexed = [m.span() for m in dates._finditer_at(rule.pattern, text, starts[i])]
        assert indexed == [m.span() for m in rule.pattern.finditer(text)], (rule.name, text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_indexed_scan_matches_a_full_scan_on_arbitrary_text(text: str) -> None:
    starts = dates._token_starts(text)
    for i, rule in enumerate(dates._RULES):
        indexed = [m.span() for m in dates._finditer_at(rule.pattern, text, starts[i])]
        assert indexed == [m.span() for m in rule.pattern.finditer(text)], (rule.name, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab A.!?\"”’')\n\t“(")), max_size=80))
def test_sentence_breaks_tried_at_cues_match_a_full_scan(text: str) -> None:
    breaks = dates._SENTENCE_BREAK
    tried = [m.span() for m in dates._finditer_at(breaks, text, dates._break_positions(text))]
    assert tried == [m.span() for m in breaks.finditer(text)]
