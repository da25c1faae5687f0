"""Entity quality: the two samples, annotated news (MEANTIME) and articles written for this project.

Samples mode (default): the real enrichment on examples/articles against tests/gold/entities.json,
precision/recall/F1 of canonical (name, type) pairs; writes benchmarks/results/quality_entities.json.

    .venv/bin/python benchmarks/quality_entities.py [--model NAME]

Corpus modes run the offline pipeline (what `streamproc process` runs, learned aliases included,
inputs in sorted order) and print the entity measures of the shared scorer grade_meantime.py
(instance recall, NER P/R, canonical B-cubed F1 with split/merged counts, cross-document
consistency) and, for written articles, the canonical merge rate, wrong merges and type accuracy;
results in benchmarks/results/entities_quality.json:

    .venv/bin/python benchmarks/quality_entities.py --meantime tests/fixtures/meantime [--show N]
    .venv/bin/python benchmarks/quality_entities.py --meantime ../shared/corpora/meantime-dev
    .venv/bin/python benchmarks/quality_entities.py --written tests/fixtures/entities/written
    .venv/bin/python benchmarks/quality_entities.py --meantime DIR --order reverse   (or shuffle:SEED)
    .venv/bin/python benchmarks/quality_entities.py --meantime DIR --order twelve   (the 12 orders below)

Inputs are read in sorted order unless ``--order`` asks otherwise: what the stream learns across
articles depends on the order, so cross-article consistency is also worth reading in other orders.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from streamproc.bench.records import text_article
from streamproc.config import EnrichSettings, Settings
from streamproc.enrich.entity_quality import (
    grade_meantime_doc,
    grade_written_doc,
    meantime_summary,
    written_summary,
)
from streamproc.enrich.nlp import load_pipeline_info
from streamproc.enrich.pipeline import enrich_articles
from streamproc.enrich.pool import EnrichmentPool
from streamproc.errors import EnrichError
from streamproc.models import Article, RawMessage, SourceOffset, dumps
from streamproc.pipeline import OfflineRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "examples" / "articles"
GOLD = ROOT / "tests" / "gold" / "entities.json"
RESULTS = ROOT / "benchmarks" / "results" / "quality_entities.json"
CORPUS_RESULTS = ROOT / "benchmarks" / "results" / "entities_quality.json"


def make_article(
    article_id: str,
    *,
    title: str | None,
    subtitle: str | None,
    paragraphs: list[str],
    published_at: datetime | None,
    fmt: str,
) -> Article:
    return text_article(
        article_id, title=title, subtitle=subtitle, paragraphs=paragraphs, published_at=published_at, fmt=fmt
    )


def sample_articles() -> dict[str, Article]:
    """The two samples as Articles, split the way the parser does (independent of streamproc.parse
    so these figures do not move when the parser changes).

    000 (scraped page): section, title, standfirst, markdown image, byline, body paragraphs.
    001 (dateline text): "date YYYY-MM-DD" then blank-line separated paragraphs.
    """
    articles: dict[str, Article] = {}
    page = (SAMPLES / "000_0095142a0ca8ddae.txt").read_text(encoding="utf-8").splitlines()
    lines = [line.strip() for line in page if line.strip()]
    articles["000_0095142a0ca8ddae"] = make_article(
        "000_0095142a0ca8ddae",
        title=lines[1],
        subtitle=lines[2],
        paragraphs=lines[5:],
        published_at=datetime(2025, 9, 4, tzinfo=UTC),
        fmt="scraped_page",
    )
    text = (SAMPLES / "001_c8e87acc72cf0d02.txt").read_text(encoding="utf-8").strip()
    match = re.match(r"date (\d{4})-(\d{2})-(\d{2})\s+", text)
    assert match, "001 sample starts with a dateline header"
    year, month, day = (int(part) for part in match.groups())
    paragraphs = [p.strip() for p in text[match.end() :].split("\n\n") if p.strip()]
    articles["001_c8e87acc72cf0d02"] = make_article(
        "001_c8e87acc72cf0d02",
        title=None,
        subtitle=None,
        paragraphs=paragraphs,
        published_at=datetime(year, month, day, tzinfo=UTC),
        fmt="dateline",
    )
    return articles


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def score(gold_entities: list[dict[str, Any]], predicted: list[tuple[str, str]]) -> dict[str, Any]:
    """Counts for one article. A prediction matches a gold entity whose name or 'also' equals it."""

    def names(entry: dict[str, Any]) -> set[str]:
        return {entry["name"].casefold(), *(alt.casefold() for alt in entry.get("also", []))}

    out: dict[str, Any] = {}
    for mode in ("name_type", "name"):
        unmatched = list(gold_entities)
        tp = 0
        false_pos: list[str] = []
        for name, etype in predicted:
            hit = next(
                (
                    g
                    for g in unmatched
                    if name.casefold() in names(g) and (mode == "name" or g["type"] == etype)
                ),
                None,
            )
            if hit is None:
                false_pos.append(f"{name}/{etype}")
            else:
                tp += 1
                unmatched.remove(hit)
        out[mode] = {
            "tp": tp,
            "pred": len(predicted),
            "gold": len(gold_entities),
            "false_positives": false_pos,
            "false_negatives": [f"{g['name']}/{g['type']}" for g in unmatched],
        }
    return out


def run_offline(paths: list[Path]) -> list[dict[str, Any]]:
    """The records `streamproc process PATHS` prints, in input order (JSON form)."""
    settings = Settings()
    raws = [
        RawMessage(
            payload=path.read_bytes(),
            received_at=datetime.now(UTC),
            source_offset=SourceOffset("process", 0, index),
            timestamp=datetime.fromtimestamp(1_700_000_000 + index * 1e-3, UTC),
        )
        for index, path in enumerate(paths)
    ]
    with EnrichmentPool(replace(settings.enrich, processes=0)) as pool:
        runner = OfflineRunner(settings, pool)
        outputs = list(runner.run(raws, batch_size=settings.enrich.pipe_batch_size))
    return [{"topic": o.role, "value": orjson.loads(dumps(o.value))} for o in outputs]


def meantime_inputs(root: Path, corpora: list[str]) -> list[tuple[str, dict[str, Any], Path]]:
    """(corpus, gold doc, raw path) in the shared scorer's order: corpus by corpus, doc ids ascending."""
    work = []
    for corpus in corpora:
        gold = json.loads((root / "gold" / f"{corpus}.json").read_text(encoding="utf-8"))
        for _, doc in sorted(gold["docs"].items(), key=lambda kv: int(kv[0])):
            work.append((corpus, doc, root / doc["raw"]))
    return work


def in_order(items: list[Any], order: str) -> list[Any]:
    """``items`` in the stream order asked for: ``sorted`` (as given), ``reverse``, or
    ``shuffle:SEED``. What the stream learns across articles depends on the order it reads them;
    the corpus's own order is only one of many a live stream could see."""
    if order == "sorted":
        return list(items)
    if order == "reverse":
        return items[::-1]
    kind, _, seed = order.partition(":")
    if kind != "shuffle" or not seed.isdigit():
        raise ValueError(f"order must be sorted, reverse or shuffle:SEED, not {order!r}")
    shuffled = list(items)
    random.Random(int(seed)).shuffle(shuffled)
    return shuffled


# The orders cross-article figures are read over: the corpus order, its reverse, ten shuffles.
TWELVE_ORDERS = ("sorted", "reverse", *(f"shuffle:{seed}" for seed in range(1, 11)))


def measure_meantime(root: Path, corpora: list[str] | None, order: str = "sorted") -> dict[str, Any]:
    names = corpora or sorted(p.stem for p in (root / "gold").glob("*.json"))
    work = in_order(meantime_inputs(root, names), order)
    records = run_offline([path for _, _, path in work])
    graded = [grade_meantime_doc(c, g, r) for (c, g, _), r in zip(work, records, strict=True)]
    return {"corpus": str(root), "corpora": names, "order": order, **meantime_summary(graded)}


def measure_written(root: Path, order: str = "sorted") -> dict[str, Any]:
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))["articles"]
    paths = in_order([root / "raw" / f"{doc}.json" for doc in sorted(gold)], order)
    records = run_offline(paths)
    graded = [grade_written_doc(p.stem, gold[p.stem], r) for p, r in zip(paths, records, strict=True)]
    return {"corpus": str(root), "order": order, **written_summary(graded)}


def print_meantime(m: dict[str, Any], show: int) -> None:
    print(
        f"meantime {','.join(m['corpora'])}: docs={m['docs']} inst_recall={m['inst_recall']:.3f} "
        f"ner_P={m['ner_precision']:.3f} ner_R={m['ner_recall']:.3f} canon_B3_F1={m['canon_b3_f1']:.3f} "
        f"split={m['split']} merged={m['merged']} xdoc_consistency={m['xdoc_consistency']:.3f}"
    )
    for title, key in (("split", "splits"), ("merged", "merges"), ("cross-document", "xdoc_examples")):
        for line in m[key][:show]:
            print(f"  {title}: {line}")


def print_written(m: dict[str, Any], show: int) -> None:
    print(
        f"written {m['corpus']}: docs={m['docs']} gold_entities={m['gold_entities']} "
        f"mention_recall={m['mention_recall']:.3f} merge_rate={m['merge_rate']:.3f} "
        f"(of {m['multi_form_entities']} entities written in several forms) wrong_merges={m['wrong_merges']} "
        f"type_accuracy={m['type_accuracy']:.3f} xdoc_consistency={m['xdoc_consistency']:.3f} "
        f"(of {m['xdoc_entities']} entities in several articles) xdoc_wrong_merges={m['xdoc_wrong_merges']}"
    )
    for title, key in (
        ("not merged", "not_merged"),
        ("wrong merge", "wrong_merge_examples"),
        ("type", "wrong_types"),
        ("cross-document", "xdoc_examples"),
        ("cross-document wrong merge", "xdoc_wrong_merge_examples"),
    ):
        for line in m[key][:show]:
            print(f"  {title}: {line}")


def corpus_main(args: argparse.Namespace) -> int:
    if args.order == "twelve":
        return twelve_orders_main(args)
    results: dict[str, Any] = {}
    if args.out_corpus.exists():
        results = json.loads(args.out_corpus.read_text(encoding="utf-8"))
    if args.meantime:
        m = measure_meantime(args.meantime, args.corpus, args.order)
        print_meantime(m, args.show)
        results[f"meantime:{args.meantime.name}:{'+'.join(m['corpora'])}{_order_suffix(args.order)}"] = (
            _stamped(m)
        )
    if args.written:
        w = measure_written(args.written, args.order)
        print_written(w, args.show)
        results[f"written:{args.written.name}{_order_suffix(args.order)}"] = _stamped(w)
    _write_corpus_results(args, results)
    return 0


def twelve_orders_main(args: argparse.Namespace) -> int:
    """Cross-article consistency over the twelve orders: each order's figure, then mean and min,
    and how often each inconsistent entity was seen (what stays order dependent)."""
    results: dict[str, Any] = {}
    if args.out_corpus.exists():
        results = json.loads(args.out_corpus.read_text(encoding="utf-8"))
    for kind, root in (("meantime", args.meantime), ("written", args.written)):
        if root is None:
            continue
        shares: list[float] = []
        seen: dict[str, int] = {}
        for order in TWELVE_ORDERS:
            m = (
                measure_meantime(root, args.corpus, order)
                if kind == "meantime"
                else measure_written(root, order)
            )
            shares.append(m["xdoc_consistency"])
            for line in m["xdoc_examples"]:
                label = line.split(":", 1)[0]
                seen[label] = seen.get(label, 0) + 1
            print(f"{kind} {root.name} {order}: xdoc_consistency={m['xdoc_consistency']:.3f}")
        mean = sum(shares) / len(shares)
        print(f"{kind} {root.name} twelve orders: xdoc mean={mean:.3f} min={min(shares):.3f}")
        for label, count in sorted(seen.items(), key=lambda kv: -kv[1]):
            print(f"  inconsistent in {count} of 12: {label}")
        results[f"{kind}:{root.name}:twelve-orders"] = _stamped(
            {
                "shares": dict(zip(TWELVE_ORDERS, shares, strict=True)),
                "mean": round(mean, 4),
                "min": min(shares),
                "inconsistent": seen,
            }
        )
    _write_corpus_results(args, results)
    return 0


def _write_corpus_results(args: argparse.Namespace, results: dict[str, Any]) -> None:
    """The corpus results to ``--out-corpus`` and, when given, to ``--out`` too."""
    text = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    for path in dict.fromkeys(p for p in (args.out_corpus, args.out) if p is not None):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


def _order_suffix(order: str) -> str:
    return "" if order == "sorted" else f":{order}"


def _stamped(measures: dict[str, Any]) -> dict[str, Any]:
    return {**measures, "measured_at": datetime.now(UTC).isoformat(timespec="seconds")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=EnrichSettings().model)
    parser.add_argument(
        "--out",
        type=Path,
        help=f"results file (default: {RESULTS.relative_to(ROOT)}; with --meantime/--written a copy "
        "of the corpus results, which go to --out-corpus as well)",
    )
    parser.add_argument("--meantime", type=Path, help="a MEANTIME directory (gold/, raw/)")
    parser.add_argument("--corpus", action="append", help="MEANTIME sub-corpus (default: every gold file)")
    parser.add_argument("--written", type=Path, help="a written-articles directory (gold.json, raw/)")
    parser.add_argument("--show", type=int, default=10, help="errors listed per kind")
    parser.add_argument("--out-corpus", type=Path, default=CORPUS_RESULTS)
    parser.add_argument(
        "--order",
        default="sorted",
        help="stream order of the inputs: sorted (default), reverse, shuffle:SEED, or twelve (all of "
        "sorted, reverse, shuffle:1-10: cross-article consistency in each, mean and min)",
    )
    args = parser.parse_args(argv)
    if args.meantime or args.written:
        return corpus_main(args)

    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    loaded = load_pipeline_info(args.model)
    articles = sample_articles()
    results = enrich_articles(loaded.nlp, list(articles.values()), batch_size=32, max_chars=100_000)

    per_article: dict[str, Any] = {}
    totals = {mode: {"tp": 0, "pred": 0, "gold": 0} for mode in ("name_type", "name")}
    for (article_id, _), result in zip(articles.items(), results, strict=True):
        if isinstance(result, EnrichError):
            print(f"{article_id}: enrichment failed: {result}", file=sys.stderr)
            return 1
        entities, *_ = result
        counts = score(gold[article_id]["entities"], [(e.name, e.type) for e in entities])
        per_article[article_id] = counts
        for mode, c in counts.items():
            for k in ("tp", "pred", "gold"):
                totals[mode][k] += c[k]

    summary = {mode: {**t, **_prf(t["tp"], t["pred"], t["gold"])} for mode, t in totals.items()}
    print(f"model {args.model} (components: {'+'.join(loaded.enabled)})")
    print(f"{'match':<12}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'pred':>6}{'gold':>6}")
    for mode, s in summary.items():
        print(
            f"{mode:<12}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['tp']:>6}{s['pred']:>6}{s['gold']:>6}"
        )
    for article_id, counts in per_article.items():
        c = counts["name_type"]
        print(f"\n{article_id}\n  false positives: {', '.join(c['false_positives']) or '-'}")
        print(f"  false negatives: {', '.join(c['false_negatives']) or '-'}")

    out = args.out or RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "quality_entities",
                "model": args.model,
                "components": list(loaded.enabled),
                "gold": str(GOLD.relative_to(ROOT)),
                "micro": summary,
                "articles": per_article,
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
