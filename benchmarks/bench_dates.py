"""Cost of ``extract_dates`` per text: this tree's tagger vs the pre-optimisation one, same run.

The baseline is streamproc/enrich/dates.py as of commit ``BASELINE_COMMIT``, loaded from git
into its own module, so both run on the same machine
under the same load. Repeats alternate baseline/current to spread load noise evenly; figures are
CPU time (``process_time``) medians. Corpora: the two sample articles (whole files, ~530 words),
the ~240 synthetic sentences of the regression fixture (per sentence) and the gold field texts.
Before timing, both taggers' outputs are compared on every text (texts that differ are counted).
If a spaCy English pipeline is installed, NER time per sample is measured too, for the share.

    .venv/bin/python benchmarks/bench_dates.py [--repeat 200]

Prints a table and writes benchmarks/results/dates.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from streamproc.config import EnrichSettings
from streamproc.enrich import dates as current

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "dates" / "regression.json"
RESULTS = ROOT / "benchmarks" / "results" / "dates.json"
# The tagger before issue 15's date work (TBAQ value F1 0.71): the cost of the new rules is measured
# against it. Its output differs on purpose (the "diff" column counts texts).
BASELINE_COMMIT = "971c49ee3916feb43a027045fc3bfbfe1b6df788"
REFERENCE = datetime(2025, 9, 4, 12, 0, tzinfo=UTC)
SPACY_MODEL = EnrichSettings().model

Tagger = Callable[..., list[Any]]


def load_baseline() -> ModuleType:
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{BASELINE_COMMIT}:streamproc/enrich/dates.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec = importlib.util.spec_from_loader("dates_baseline", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dates_baseline"] = module  # dataclasses resolve their module by name
    exec(compile(source, f"dates.py@{BASELINE_COMMIT}", "exec"), module.__dict__)
    return module


def corpora() -> dict[str, list[str]]:
    cases = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]
    out: dict[str, list[str]] = {}
    for path in sorted((ROOT / "examples" / "articles").glob("*.txt")):
        out[path.name] = [path.read_text(encoding="utf-8")]
    out["synthetic sentences"] = [c["text"] for c in cases if c["source"] == "synthetic"]
    out["gold fields"] = [c["text"] for c in cases if c["source"].startswith("gold:")]
    return out


def cpu_us_per_text(tagger: Tagger, texts: list[str]) -> float:
    started = time.process_time_ns()
    for text in texts:
        tagger(text, "body", REFERENCE)
    return (time.process_time_ns() - started) / 1000 / len(texts)


def compare(baseline: Tagger, texts: list[str]) -> int:
    """Number of texts on which the two taggers disagree (under both reference kinds)."""
    differing = 0
    for text in texts:
        for is_publication in (True, False):
            old = baseline(text, "body", REFERENCE, reference_is_publication=is_publication)
            new = current.extract_dates(text, "body", REFERENCE, reference_is_publication=is_publication)
            differing += old != new
    return differing


def spacy_ner_us(texts: list[str], repeat: int) -> float | None:
    try:
        from streamproc.enrich.nlp import load_pipeline, model_is_available
    except ImportError:
        return None
    if not model_is_available(SPACY_MODEL):
        return None
    nlp = load_pipeline(SPACY_MODEL)
    samples = []
    for _ in range(repeat):
        started = time.process_time_ns()
        list(nlp.pipe(texts))
        samples.append((time.process_time_ns() - started) / 1000 / len(texts))
    return statistics.median(samples)


def tagger_cost(texts: list[str], repeat: int) -> dict[str, float] | None:
    """CPU time of NER alone vs NER plus the part-of-speech tagger (tok2vec, tagger, attribute_ruler),
    alternating in the same run: what syntax-based tense would cost the enrichment stage."""
    import spacy.util

    if not spacy.util.is_package(SPACY_MODEL):
        return None
    import spacy

    nlp = spacy.load(SPACY_MODEL)
    tagging = [n for n in ("tok2vec", "tagger", "attribute_ruler") if n in nlp.pipe_names]
    ner_only, with_tagger = [], []
    for _ in range(repeat):
        for keep, laps in ((["ner"], ner_only), (["ner", *tagging], with_tagger)):
            with nlp.select_pipes(enable=keep):
                started = time.process_time_ns()
                list(nlp.pipe(texts))
                laps.append((time.process_time_ns() - started) / 1000 / len(texts))
    ner, both = statistics.median(ner_only), statistics.median(with_tagger)
    return {"ner_us": round(ner, 1), "ner_plus_tagger_us": round(both, 1), "ratio": round(both / ner, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=200, help="timed passes per corpus and tagger")
    args = parser.parse_args()

    baseline = load_baseline()
    rows: list[dict[str, Any]] = []
    for name, texts in corpora().items():
        differing = compare(baseline.extract_dates, texts)
        old_samples: list[float] = []
        new_samples: list[float] = []
        passes = max(5, args.repeat // max(1, len(texts) // 4))  # fewer passes over the bigger corpora
        for _ in range(passes):
            old_samples.append(cpu_us_per_text(baseline.extract_dates, texts))
            new_samples.append(cpu_us_per_text(current.extract_dates, texts))
        old, new = statistics.median(old_samples), statistics.median(new_samples)
        rows.append(
            {
                "corpus": name,
                "texts": len(texts),
                "chars_per_text": round(sum(map(len, texts)) / len(texts)),
                "passes": passes,
                "baseline_median_us": round(old, 1),
                "current_median_us": round(new, 1),
                "speedup": round(old / new, 2),
                "texts_with_different_output": differing,
            }
        )

    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "articles").glob("*.txt"))]
    ner = spacy_ner_us(samples, max(5, args.repeat // 10))
    header = (
        f"{'corpus':24} {'texts':>5} {'chars':>6} {'baseline µs':>12} {'current µs':>11} "
        f"{'speed-up':>9} {'diff':>5}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['corpus']:24} {r['texts']:5d} {r['chars_per_text']:6d} {r['baseline_median_us']:12.1f} "
            f"{r['current_median_us']:11.1f} {r['speedup']:8.2f}x {r['texts_with_different_output']:5d}"
        )
    article_rows = [r for r in rows if r["corpus"].endswith(".txt")]
    share: dict[str, float] | None = None
    if ner is not None:
        share = {
            "ner_median_us_per_sample": round(ner, 1),
            "baseline_share_of_ner": round(
                statistics.mean(r["baseline_median_us"] for r in article_rows) / ner, 4
            ),
            "current_share_of_ner": round(
                statistics.mean(r["current_median_us"] for r in article_rows) / ner, 4
            ),
        }
        print(f"spaCy {SPACY_MODEL} NER: {ner:.0f} µs per sample; dates cost {share}")
    else:
        print(f"(spaCy {SPACY_MODEL} not installed: no NER share measured)")

    tagger = tagger_cost(samples * 4, max(3, args.repeat // 20))
    if tagger is not None:
        ratio = tagger["ratio"]
        print(f"spaCy tagger for tense (tok2vec+tagger+attribute_ruler): {ratio:.2f}x NER time per sample")
    result = {
        "benchmark": "dates",
        "measured_at": datetime.now(UTC).isoformat(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus_load_average": list(__import__("os").getloadavg()),
        "clock": "process_time (CPU), median per text",
        "baseline": f"streamproc/enrich/dates.py at {BASELINE_COMMIT}",
        "repeat": args.repeat,
        "corpora": rows,
        "spacy_ner": share,
        "spacy_tagger_cost": tagger,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
