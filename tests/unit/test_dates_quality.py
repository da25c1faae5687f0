"""Quality floors for date tagging: the MEANTIME slice in tests/fixtures/meantime (CC BY 4.0, see its
README) and the articles written for this purpose (tests/fixtures/dates/written, gold annotated by
hand before the tagger ran on them). Scored as the shared corpus scorers score (TE3 relaxed match
plus the right TIMEX3 value); the floors sit slightly under the measured figures (README table)."""

from __future__ import annotations

from pathlib import Path

import pytest

from streamproc.enrich.dates.corpora import score_meantime, score_written
from streamproc.enrich.dates.evaluation import Counts, Timex, pair_one_to_one, pair_te3

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_meantime_slice_value_f1_floor() -> None:
    counts = score_meantime(FIXTURES / "meantime")["all"]
    assert counts.gold >= 50
    assert counts.prf("value")[2] >= 0.78, counts.errors
    assert counts.prf("relaxed")[2] >= 0.85, counts.errors


def test_written_articles_value_floors() -> None:
    totals = score_written(FIXTURES / "dates" / "written")
    assert totals["all"].gold >= 100
    _, recall, f1 = totals["all"].prf("value")
    assert recall >= 0.95, totals["all"].errors
    assert f1 >= 0.95, totals["all"].errors


@pytest.mark.parametrize("language", ["es", "fr", "de", "pt", "it"])
def test_written_articles_in_each_other_language(language: str) -> None:
    counts = score_written(FIXTURES / "dates" / "written")[f"lang_{language}"]
    assert counts.gold >= 6
    assert counts.prf("value")[1] >= 0.85, counts.errors


def _t(start: int, end: int, value: str) -> Timex:
    return Timex("body", start, end, "x", value, "DATE")


def test_te3_pairing_prefers_the_exact_span_and_counts_values() -> None:
    gold = [_t(0, 10, "2025"), _t(20, 30, "2026")]
    system = [_t(0, 5, "2024"), _t(0, 10, "2025"), _t(25, 40, "1999")]
    counts = pair_te3(gold, system)
    assert (counts.relaxed, counts.strict, counts.value) == (2, 1, 1)
    assert counts.prf("value") == pytest.approx((1 / 3, 1 / 2, 0.4))


def test_one_to_one_pairing_uses_each_mention_once() -> None:
    gold = [_t(0, 10, "2025"), _t(5, 12, "2026")]
    counts = pair_one_to_one(gold, [_t(0, 12, "2025")])
    assert (counts.relaxed, counts.value) == (1, 1)
    assert sum("missed" in e for e in counts.errors) == 1


def test_counts_add_up() -> None:
    a, b = Counts(gold=2, system=1, value=1), Counts(gold=1, system=3, value=1)
    a.add(b)
    assert (a.gold, a.system, a.value) == (3, 4, 2)
