"""Enrichment throughput: raw ``nlp.pipe`` vs the EnrichmentPool (1 and 2 processes), same run.

Corpus: N articles recombined from the paragraphs of the two samples (seeded shuffles, so every
text differs and spaCy's caches do not flatter repeats). Every configuration sees the same
articles and the same pipeline (``load_pipeline``: only ``ner`` enabled), the same
``pipe_batch_size`` and ``max_chars``:

- raw: ``for doc in nlp.pipe(texts)`` over every article's title, subtitle and body in this
  process: NER and nothing else (the ceiling for one core);
- inproc-entities / inproc-full: ``enrich_articles`` in this process without / with dates, to
  split the cost of canonicalisation, of date extraction and of the process boundary;
- pool-thread / pool-1 / pool-2: ``await EnrichmentPool.enrich(batch)`` on consecutive batches of
  ``--batch`` articles, as the worker does: full enrichment (NER, canonical entities, dates),
  pickling to and from worker processes included.

Each configuration runs ``--repeat`` times, interleaved; the best run counts (least disturbed by
other load). Wall-clock rates are what a user gets; on a shared, busy machine they are noisy, so
CPU seconds are reported too (this process, plus the worker processes read from /proc), and
``cpu_ratio_to_raw`` (raw CPU seconds / configuration CPU seconds) is the contention-robust ratio.
Prints a table, writes benchmarks/results/enrich.json.

    .venv/bin/python benchmarks/bench_enrich.py [--articles 200] [--batch 64] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from quality_entities import make_article, sample_articles

from streamproc.config import EnrichSettings
from streamproc.enrich.nlp import load_pipeline_info
from streamproc.enrich.pipeline import article_fields, date_extractor, enrich_articles
from streamproc.enrich.pool import EnrichmentPool
from streamproc.errors import EnrichError
from streamproc.models import Article

RESULTS = Path(__file__).resolve().parent / "results" / "enrich.json"


def build_corpus(n: int, seed: int = 7) -> list[Article]:
    samples = list(sample_articles().values())
    paragraphs = [p for a in samples for p in a.paragraphs]
    titles = [a.title for a in samples if a.title] + [p.split(".")[0][:90] for p in paragraphs[:20]]
    subtitles = [a.subtitle for a in samples if a.subtitle]
    corpus = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        chosen = rng.sample(paragraphs, k=rng.randint(10, 18))
        corpus.append(
            make_article(
                f"bench-{i:05d}",
                title=rng.choice(titles),
                subtitle=rng.choice(subtitles) if rng.random() < 0.5 else None,
                paragraphs=chosen,
                published_at=datetime(2025, 9, 4, tzinfo=UTC) + timedelta(days=rng.randint(-30, 30)),
                fmt="bench",
            )
        )
    return corpus


def batches(articles: list[Article], size: int) -> list[list[Article]]:
    return [articles[i : i + size] for i in range(0, len(articles), size)]


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) used so far by this process and the given (worker) processes."""
    total = time.process_time()
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime, stime
    return total


def run_raw(nlp: Any, texts: list[str], batch_size: int) -> tuple[float, float]:
    cpu, started = cpu_seconds([]), time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - started, cpu_seconds([]) - cpu


def run_inproc(
    nlp: Any, chunks: list[list[Article]], settings: EnrichSettings, with_dates: bool
) -> tuple[float, float]:
    cpu, started = cpu_seconds([]), time.perf_counter()
    for chunk in chunks:
        enrich_articles(
            nlp,
            chunk,
            batch_size=settings.pipe_batch_size,
            max_chars=settings.max_chars,
            with_dates=with_dates,
        )
    return time.perf_counter() - started, cpu_seconds([]) - cpu


async def run_pool(pool: EnrichmentPool, chunks: list[list[Article]]) -> tuple[float, float, int]:
    failures = 0
    pids = [w.pid for w in pool.workers if w.pid != os.getpid()]
    cpu, started = cpu_seconds(pids), time.perf_counter()
    for chunk in chunks:
        results = await pool.enrich(chunk)
        failures += sum(isinstance(r, EnrichError) for r in results)
    return time.perf_counter() - started, cpu_seconds(pids) - cpu, failures


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    settings = replace(
        EnrichSettings(), model=args.model, pipe_batch_size=args.pipe_batch_size, max_chars=args.max_chars
    )
    corpus = build_corpus(args.articles)
    texts = [text for a in corpus for _, text in article_fields(a, settings.max_chars)]
    words = sum(len(t.split()) for t in texts)
    chunks = batches(corpus, args.batch)
    loaded = load_pipeline_info(settings.model)

    configs = {"pool-thread": 0, "pool-1": 1, "pool-2": 2}
    pools = {name: EnrichmentPool(replace(settings, processes=p)) for name, p in configs.items()}
    for pool in pools.values():
        await pool.start()
    try:
        # Warm-up: first calls allocate and fill caches.
        run_raw(loaded.nlp, texts[:200], settings.pipe_batch_size)
        for pool in pools.values():
            await pool.enrich(chunks[0])
        names = ["raw", "inproc-entities", "inproc-full", *pools]
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
        failures = 0
        for _ in range(args.repeat):
            times["raw"].append(run_raw(loaded.nlp, texts, settings.pipe_batch_size))
            times["inproc-entities"].append(run_inproc(loaded.nlp, chunks, settings, with_dates=False))
            times["inproc-full"].append(run_inproc(loaded.nlp, chunks, settings, with_dates=True))
            for name, pool in pools.items():
                elapsed, cpu, failed = await run_pool(pool, chunks)
                times[name].append((elapsed, cpu))
                failures += failed
    finally:
        for pool in pools.values():
            await pool.close()

    rows: dict[str, dict[str, Any]] = {}
    for name, runs in times.items():
        best = min(wall for wall, _ in runs)
        best_cpu = min(cpu for _, cpu in runs)
        rows[name] = {
            "seconds_best": round(best, 4),
            "seconds_runs": [round(wall, 4) for wall, _ in runs],
            "cpu_seconds_best": round(best_cpu, 4),
            "articles_per_s": round(len(corpus) / best, 2),
            "words_per_s": round(words / best, 1),
        }
    raw_rate, raw_cpu = rows["raw"]["articles_per_s"], rows["raw"]["cpu_seconds_best"]
    for name in rows:
        if name == "raw":
            continue
        rows[name]["ratio_to_raw"] = round(rows[name]["articles_per_s"] / raw_rate, 3)
        rows[name]["cpu_ratio_to_raw"] = round(raw_cpu / rows[name]["cpu_seconds_best"], 3)
    return {
        "benchmark": "enrich",
        "model": settings.model,
        "components": list(loaded.enabled),
        "dates_enabled": date_extractor() is not None,
        "articles": len(corpus),
        "texts": len(texts),
        "words": words,
        "worker_batch": args.batch,
        "pipe_batch_size": settings.pipe_batch_size,
        "max_chars": settings.max_chars,
        "repeat": args.repeat,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "results": rows,
        "ratios": {
            "pool1_over_raw": rows["pool-1"]["ratio_to_raw"],
            "pool2_over_raw": rows["pool-2"]["ratio_to_raw"],
            "pool2_over_pool1": round(rows["pool-2"]["articles_per_s"] / rows["pool-1"]["articles_per_s"], 3),
            "thread_over_raw": rows["pool-thread"]["ratio_to_raw"],
            "inproc_entities_over_raw": rows["inproc-entities"]["ratio_to_raw"],
            "inproc_full_over_raw": rows["inproc-full"]["ratio_to_raw"],
            "pool1_over_raw_cpu": rows["pool-1"]["cpu_ratio_to_raw"],
        },
        "enrich_failures": failures,
        "target": "pool-1 >= 0.9 x raw nlp.pipe",
        "target_met": rows["pool-1"]["ratio_to_raw"] >= 0.9,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=EnrichSettings().model)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--batch", type=int, default=64, help="articles per pool.enrich call (worker batch)")
    parser.add_argument("--pipe-batch-size", type=int, default=EnrichSettings().pipe_batch_size)
    parser.add_argument("--max-chars", type=int, default=EnrichSettings().max_chars)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    report = asyncio.run(bench(args))
    print(
        f"model {report['model']} [{'+'.join(report['components'])}], {report['articles']} articles, "
        f"{report['words']} words, {report['cpus']} CPUs, dates {'on' if report['dates_enabled'] else 'OFF'}"
    )
    header = f"{'config':<16}{'best s':>9}{'articles/s':>12}{'words/s':>11}{'vs raw':>8}"
    print(f"{header}{'cpu s':>9}{'cpu vs raw':>11}")
    for name, row in report["results"].items():
        ratio, cpu_ratio = row.get("ratio_to_raw"), row.get("cpu_ratio_to_raw")
        print(
            f"{name:<16}{row['seconds_best']:>9.3f}{row['articles_per_s']:>12.1f}{row['words_per_s']:>11.0f}"
            f"{'' if ratio is None else f'{ratio:.3f}':>8}{row['cpu_seconds_best']:>9.2f}"
            f"{'' if cpu_ratio is None else f'{cpu_ratio:.3f}':>11}"
        )
    ratios = report["ratios"]
    verdict = "met" if report["target_met"] else "NOT met"
    print(
        f"pool-1/raw {ratios['pool1_over_raw']:.3f} wall (target >= 0.9: {verdict}), "
        f"{ratios['pool1_over_raw_cpu']:.3f} by CPU time; "
        f"pool-2/pool-1 {ratios['pool2_over_pool1']:.3f}, failures {report['enrich_failures']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
