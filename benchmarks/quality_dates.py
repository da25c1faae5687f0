"""Date tagging quality on the hand-annotated samples: streamproc's tagger vs dateparser.search.

Runs ``extract_dates`` and two dateparser baselines on every field of the gold articles
(tests/gold/dates.json) in the same run, and prints precision / recall / F1 for

* span detection, exact (same start and end) and overlapping (one-to-one, any overlap);
* value: a prediction counts when it overlaps a gold mention and carries the same TIMEX3 value.

Baselines: ``dateparser.search.search_dates`` with ``RELATIVE_BASE`` = the reference date, and the
same with ``PREFER_DATES_FROM="past"`` (the usual news setting). dateparser returns datetimes, so
its value is the ISO day: "2009" becomes 2009-09-04, "two days" a calendar day.

Writes benchmarks/results/quality_dates.json.  Usage: ``python benchmarks/quality_dates.py``

Corpus modes (any combination; each prints the shared scorers' measures and all of them are
written to benchmarks/results/dates_quality.json):

* ``--timeml DIR``: TempEval-3 TimeML files (*.tml), scored as score_timeml.py does (strict and
  relaxed span F1, value F1, type F1), on all documents and on two halves by document (even and
  odd positions in name order: rules are tuned looking at the even half's errors only);
* ``--meantime DIR``: a MEANTIME folder with raw/<corpus>/*.json and gold/<corpus>.json (the
  shared meantime-dev or tests/fixtures/meantime), scored as grade_meantime.py's dates line;
* ``--written DIR``: articles written for this purpose with hand-annotated gold
  (tests/fixtures/dates/written), value P/R/F1 overall, English and per other language;
  ``--batches 1-25`` scores only those batches (development and held-out batches apart).

Each article goes through the same parser as ``streamproc process`` (the body it returns, its
detected language) and the same date extraction as the enrichment stage, without NER.
``--show N`` lists N errors per corpus; ``--classes`` counts each part's errors by class of
expression (``evaluation.ERROR_CLASSES``) and kind (missed, spurious, wrong value).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, cast

from streamproc.enrich.dates import extract_dates
from streamproc.enrich.dates.corpora import score_meantime, score_timeml, score_written
from streamproc.enrich.dates.evaluation import Counts, Timex, class_census

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold" / "dates.json"
RESULTS = ROOT / "benchmarks" / "results" / "quality_dates.json"
CORPUS_RESULTS = ROOT / "benchmarks" / "results" / "dates_quality.json"
FieldName = Literal["title", "subtitle", "body"]


@dataclass(frozen=True, slots=True)
class Item(Timex):
    """A mention in the sample articles: the corpus scorers' ``Timex`` and the article it is in."""

    article: int = 0


Tagger = Callable[[str, FieldName, datetime], list[tuple[int, int, str | None, str]]]


def load_gold(path: Path = GOLD) -> tuple[list[dict[str, Any]], list[Item]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    articles: list[dict[str, Any]] = data["articles"]
    gold = [
        Item(m["field"], m["start"], m["end"], m["text"], m["value"], m["type"], article=i)
        for i, article in enumerate(articles)
        for m in article["mentions"]
    ]
    return articles, gold


def run(articles: list[dict[str, Any]], tagger: Tagger) -> list[Item]:
    out: list[Item] = []
    for i, article in enumerate(articles):
        reference = datetime.fromisoformat(article["reference"])
        for field, text in article["fields"].items():
            if not text:
                continue
            for start, end, value, type_ in tagger(text, cast(FieldName, field), reference):
                out.append(Item(field, start, end, text[start:end], value, type_, article=i))
    return out


def streamproc_tagger(
    text: str, field: FieldName, reference: datetime
) -> list[tuple[int, int, str | None, str]]:
    return [(m.span.start, m.span.end, m.value, m.type) for m in extract_dates(text, field, reference)]


def dateparser_tagger(prefer_past: bool) -> Tagger:
    from dateparser.search import search_dates  # type: ignore[import-untyped]  # no stubs on PyPI

    def tag(text: str, field: FieldName, reference: datetime) -> list[tuple[int, int, str | None, str]]:
        settings: dict[str, Any] = {"RELATIVE_BASE": reference.replace(tzinfo=None)}
        if prefer_past:
            settings["PREFER_DATES_FROM"] = "past"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = search_dates(text, languages=["en"], settings=settings) or []
        out: list[tuple[int, int, str | None, str]] = []
        cursor = 0
        for surface, moment in found:  # dateparser gives no offsets: find each surface in order
            start = text.find(surface, cursor)
            if start < 0:
                continue
            cursor = start + len(surface)
            out.append((start, cursor, moment.date().isoformat(), "DATE"))
        return out

    return tag


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp}


def _overlap_pairs(predicted: list[Item], gold: list[Item]) -> list[tuple[Item, Item]]:
    """One-to-one pairs of overlapping mentions, exact matches first, then by start."""
    pairs: list[tuple[Item, Item]] = []
    used_p: set[int] = set()
    used_g: set[int] = set()
    candidates = [
        (p.start != g.start or p.end != g.end, g.start, pi, gi)
        for pi, p in enumerate(predicted)
        for gi, g in enumerate(gold)
        if p.article == g.article and p.field == g.field and p.start < g.end and g.start < p.end
    ]
    for _, _, pi, gi in sorted(candidates):
        if pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        pairs.append((predicted[pi], gold[gi]))
    return pairs


def score(predicted: list[Item], gold: list[Item]) -> dict[str, Any]:
    pairs = _overlap_pairs(predicted, gold)
    exact = sum(1 for p, g in pairs if (p.start, p.end) == (g.start, g.end))
    values = sum(1 for p, g in pairs if p.value == g.value)
    types = sum(1 for p, g in pairs if p.type == g.type)
    return {
        "predicted": len(predicted),
        "gold": len(gold),
        "span_exact": _prf(exact, len(predicted), len(gold)),
        "span_overlap": _prf(len(pairs), len(predicted), len(gold)),
        "value": _prf(values, len(predicted), len(gold)),
        "type_accuracy_on_matched": round(types / len(pairs), 4) if pairs else 0.0,
        "value_accuracy_on_matched": round(values / len(pairs), 4) if pairs else 0.0,
        "errors": [
            {"gold": g.text, "gold_value": g.value, "predicted": p.text, "predicted_value": p.value}
            for p, g in pairs
            if p.value != g.value
        ],
        "missed": [g.text for g in gold if all(g is not pg for _, pg in pairs)],
        "spurious": [f"{p.text} -> {p.value}" for p in predicted if all(p is not pp for pp, _ in pairs)],
    }


def _time_per_article_ms(articles: list[dict[str, Any]], tagger: Tagger, repeats: int = 5) -> float:
    laps = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run(articles, tagger)
        laps.append(time.perf_counter() - t0)
    return statistics.median(laps) / len(articles) * 1000


def main() -> int:
    args = _arguments()
    if args.timeml or args.meantime or args.written:
        return run_corpora(args.timeml, args.meantime, args.written, args.show, args.batches, args.classes)
    return sample_gold_mode()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--timeml", type=Path, help="folder of TempEval-3 .tml files")
    parser.add_argument("--meantime", type=Path, help="MEANTIME folder with raw/ and gold/")
    parser.add_argument("--written", type=Path, help="folder of written articles with gold")
    parser.add_argument("--show", type=int, default=0, help="errors to list per corpus")
    parser.add_argument(
        "--classes", action="store_true", help="count each part's errors by class of expression and kind"
    )
    parser.add_argument(
        "--batches", type=_batch_range, help="written batches to score, e.g. 1-25 (default: all)"
    )
    return parser.parse_args()


def _batch_range(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


@dataclass(frozen=True, slots=True)
class _Corpus:
    name: str
    score: Callable[[Path], dict[str, Counts]]


def _print(name: str, part: str, c: Counts) -> None:
    sp, sr, sf = c.prf("strict")
    rp, rr, rf = c.prf("relaxed")
    vp, vr, vf = c.prf("value")
    tf = c.prf("type")[2]
    print(f"{name} {part}: gold {c.gold}, system {c.system}")
    print(f"  strict P {sp:.3f} R {sr:.3f} F1 {sf:.3f}; relaxed P {rp:.3f} R {rr:.3f} F1 {rf:.3f}")
    print(f"  value P {vp:.3f} R {vr:.3f} F1 {vf:.3f}; type F1 {tf:.3f}")


def run_corpora(
    timeml: Path | None,
    meantime: Path | None,
    written: Path | None,
    show: int,
    batches: range | None = None,
    classes: bool = False,
) -> int:
    results: dict[str, Any] = {}
    if CORPUS_RESULTS.exists():
        results = json.loads(CORPUS_RESULTS.read_text(encoding="utf-8"))
    plan = [
        (timeml, _Corpus("timeml", score_timeml)),
        (meantime, _Corpus("meantime", score_meantime)),
        (written, _Corpus("written", lambda folder: score_written(folder, batches))),
    ]
    for folder, corpus in plan:
        if folder is None:
            continue
        if not folder.is_dir():
            print(f"{corpus.name}: no such folder {folder}", file=sys.stderr)
            return 2
        totals = corpus.score(folder)
        for error in totals["all"].errors[:show]:
            print("  " + error)
        for part, counts in totals.items():
            _print(corpus.name, part, counts)
            if classes:
                _print_census(counts)
        # One entry per corpus kind and folder: the shared MEANTIME and the CI slice side by side.
        key = _shown(folder)
        if corpus.name == "written" and batches is not None:
            key += f" batches {batches.start}-{batches.stop - 1}"
        results.setdefault(corpus.name, {})[key] = {part: counts.summary() for part, counts in totals.items()}
    CORPUS_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    CORPUS_RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {CORPUS_RESULTS.relative_to(ROOT)}")
    return 0


def _print_census(counts: Counts) -> None:
    census = class_census(counts.errors)
    by_class: dict[str, dict[str, int]] = {}
    for (name, kind), n in census.items():
        by_class.setdefault(name, {})[kind] = n
    for name, kinds in sorted(by_class.items(), key=lambda item: -sum(item[1].values())):
        detail = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
        print(f"    {sum(kinds.values()):4d} {name} ({detail})")


def _shown(folder: Path) -> str:
    resolved = folder.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(resolved)


def sample_gold_mode() -> int:
    articles, gold = load_gold()
    systems: dict[str, Tagger] = {
        "streamproc": streamproc_tagger,
        "dateparser_relative_base": dateparser_tagger(prefer_past=False),
        "dateparser_prefer_past": dateparser_tagger(prefer_past=True),
    }
    results: dict[str, Any] = {
        "gold_file": str(GOLD.relative_to(ROOT)),
        "gold_mentions": len(gold),
        "systems": {},
    }
    heldout = {i for i, a in enumerate(articles) if a.get("heldout")}
    for name, tagger in systems.items():
        predicted = run(articles, tagger)
        report = score(predicted, gold)
        report["ms_per_article"] = round(_time_per_article_ms(articles, tagger), 3)
        # The two real samples (the rules were written with them in view) and the held-out paragraph.
        for subset, want_heldout in (("samples", False), ("heldout", True)):
            sub = score(
                [p for p in predicted if (p.article in heldout) == want_heldout],
                [g for g in gold if (g.article in heldout) == want_heldout],
            )
            report[subset] = {k: sub[k] for k in ("gold", "predicted", "span_exact", "span_overlap", "value")}
        results["systems"][name] = report

    ours = results["systems"]["streamproc"]
    header = f"{'system':<26} {'exact P/R/F1':<20} {'overlap P/R/F1':<20} {'value P/R/F1':<20} ms/article"
    print(f"gold: {len(gold)} temporal expressions in {len(articles)} articles ({GOLD.relative_to(ROOT)})")
    print(header)
    for name, r in results["systems"].items():
        cells = [
            "/".join(f"{r[k][m]:.2f}" for m in ("precision", "recall", "f1"))
            for k in ("span_exact", "span_overlap", "value")
        ]
        print(f"{name:<26} {cells[0]:<20} {cells[1]:<20} {cells[2]:<20} {r['ms_per_article']:.2f}")
    for subset in ("samples", "heldout"):
        print(f"  {subset}:")
        for name, r in results["systems"].items():
            sub = r[subset]
            cells = [
                "/".join(f"{sub[k][m]:.2f}" for m in ("precision", "recall", "f1"))
                for k in ("span_exact", "span_overlap", "value")
            ]
            print(f"  {name:<24} {cells[0]:<20} {cells[1]:<20} {cells[2]:<20} (gold {sub['gold']})")
    for name in ("dateparser_relative_base", "dateparser_prefer_past"):
        base = results["systems"][name]["value"]["f1"]
        ratio = ours["value"]["f1"] / base if base else float("inf")
        results[f"value_f1_ratio_vs_{name}"] = round(ratio, 3) if base else None
        print(f"value F1 ratio streamproc / {name}: {ratio:.2f}x")

    # The two named failures, per system: value given to "Thursday" (sample 001) and "2009".
    results["issue_examples"] = {}
    for name, r in results["systems"].items():
        picked = {e["gold"]: e["predicted_value"] for e in r["errors"]}
        results["issue_examples"][name] = {
            "Thursday": picked.get("Thursday", "2025-09-04" if "Thursday" not in r["missed"] else None),
            "2009": picked.get("2009", "2009" if "2009" not in r["missed"] else None),
        }
    print("issue examples (gold: Thursday=2025-09-04, 2009=2009):", json.dumps(results["issue_examples"]))
    for name, r in results["systems"].items():
        if r["errors"] or r["missed"] or r["spurious"]:
            print(f"  {name}: wrong values {[(e['gold'], e['predicted_value']) for e in r['errors']]}")
            print(f"  {name}: missed {r['missed']}; spurious {r['spurious']}")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
