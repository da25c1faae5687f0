"""Parse cost per article, and the HTML extractor comparison behind the choice of selectolax.

For each sample (examples/articles) and fixture (tests/fixtures/parse): median / p95 / mean of
``parse_raw`` over many repetitions, with the share spent in language detection. For the HTML
fixtures (whole pages, and the HTML body of a JSON item) our selectolax extractor
(``extract_html``) and trafilatura (``bare_extraction`` with metadata, the baseline measured in
the same run) read the same pages; both are timed and scored against the hand-written expected
body (token F1) and metadata.

    .venv/bin/python benchmarks/bench_parse.py [--repeat 500]

Prints a table and writes benchmarks/results/parse.json.
"""

from __future__ import annotations

import argparse
import functools
import json
import platform
import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import trafilatura

from streamproc.config import ParseSettings
from streamproc.models import RawMessage
from streamproc.parse import parse_raw, warm_up
from streamproc.parse.htmlpage import extract_html
from streamproc.parse.language import SAMPLE_CHARS, detect_language

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "examples" / "articles"
FIXTURES = ROOT / "tests" / "fixtures" / "parse"
RESULTS = ROOT / "benchmarks" / "results" / "parse.json"
RECEIVED_AT = datetime(2025, 9, 20, 8, 0, tzinfo=UTC)


def timings_ms(function: Callable[[], object], repeat: int) -> list[float]:
    for _ in range(min(20, repeat)):
        function()  # warm caches and lazy imports outside the measurement
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        function()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 4),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 4),
        "mean_ms": round(statistics.fmean(ordered), 4),
    }


def tokens(text: str) -> Counter[str]:
    return Counter(
        word.strip(".,;:!?“”\"'’()[]").lower() for word in text.split() if word.strip(".,;:!?“”\"'’()[]")
    )


def token_f1(predicted: str, gold: str) -> dict[str, float]:
    predicted_tokens, gold_tokens = tokens(predicted), tokens(gold)
    overlap = sum((predicted_tokens & gold_tokens).values())
    precision = overlap / max(sum(predicted_tokens.values()), 1)
    recall = overlap / max(sum(gold_tokens.values()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def cases() -> list[tuple[str, bytes]]:
    found = [(path.name, path.read_bytes()) for path in sorted(SAMPLES.glob("*.txt"))]
    found += [
        (path.name, path.read_bytes())
        for path in sorted(FIXTURES.iterdir())
        if path.suffix in (".html", ".json") and ".expected" not in path.name
    ]
    return found


def html_of(name: str, payload: bytes) -> str | None:
    """The HTML an extractor has to read: a whole page, or the html field of a JSON item."""
    if name.endswith(".html"):
        return payload.decode()
    if name.endswith(".json"):
        html = orjson.loads(payload).get("html")
        return html if isinstance(html, str) else None
    return None


def trafilatura_extract(html: str) -> dict[str, Any]:
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None:
        return {"title": None, "author": None, "date": None, "text": ""}
    found = {key: getattr(document, key, None) for key in ("title", "author", "date", "text")}
    return found | {"text": found["text"] or ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=500, help="timed parses per article")
    args = parser.parse_args()
    settings = ParseSettings()
    warm_up()

    rows: list[dict[str, Any]] = []
    extractor_rows: list[dict[str, Any]] = []
    for name, payload in cases():
        raw = RawMessage(payload=payload, received_at=RECEIVED_AT)
        article = parse_raw(raw, settings)
        parse_times = timings_ms(functools.partial(parse_raw, raw, settings), args.repeat)
        body = article.body
        language_times = timings_ms(functools.partial(detect_language, body), args.repeat)
        row: dict[str, Any] = {
            "article": name,
            "format": article.format,
            "bytes": len(payload),
            "words": article.word_count,
            **summary(parse_times),
            "language_detection_median_ms": summary(language_times)["median_ms"],
        }
        rows.append(row)

        html = html_of(name, payload)
        expected_path = FIXTURES / (Path(name).stem + ".expected.json")
        if html is None or not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        gold = "\n".join(expected["paragraphs"])
        traf = trafilatura_extract(html)
        traf_times = timings_ms(functools.partial(trafilatura_extract, html), max(args.repeat // 5, 20))
        extract_times = timings_ms(functools.partial(extract_html, html), args.repeat)
        ours = summary(extract_times)["median_ms"]
        theirs = summary(traf_times)["median_ms"]
        extractor_rows.append(
            {
                "article": name,
                "selectolax": {
                    "median_ms": ours,
                    "parse_raw_median_ms": summary(parse_times)["median_ms"],
                    "body": token_f1(body, gold),
                    "title_ok": article.title == expected["title"],
                    "date_ok": article.published_at == datetime.fromisoformat(expected["published_at"]),
                    "authors_ok": article.authors == expected["authors"],
                },
                "trafilatura": {
                    "median_ms": theirs,
                    "body": token_f1(traf["text"], gold),
                    "title_ok": traf["title"] == expected["title"],
                    # trafilatura returns a date without time or zone; compare the day only.
                    "date_ok": traf["date"] == expected["published_at"][:10]
                    if name.endswith(".html")
                    else None,
                    "authors_ok": traf["author"] == "; ".join(expected["authors"])
                    if expected["authors"]
                    else None,
                },
                "speedup": round(theirs / ours, 1) if ours else None,
            }
        )

    print(f"parse_raw, {args.repeat} repetitions per article (ms per article)")
    header = ("article", "format", "bytes", "words", "median", "p95", "mean", "langid")
    print("{:32s} {:13s} {:>6s} {:>6s} {:>8s} {:>8s} {:>8s} {:>8s}".format(*header))
    for row in rows:
        print(
            f"{row['article']:32s} {row['format']:13s} {row['bytes']:6d} {row['words']:6d} "
            f"{row['median_ms']:8.3f} {row['p95_ms']:8.3f} {row['mean_ms']:8.3f} "
            f"{row['language_detection_median_ms']:8.3f}"
        )
    print("\nHTML extraction with metadata, ms per page: selectolax (extract_html) vs trafilatura (baseline)")
    extractor_header = ("article", "sel ms", "traf ms", "speedup", "sel F1", "traf F1")
    print(
        "{:32s} {:>8s} {:>8s} {:>8s} {:>7s} {:>7s}  title/date/authors ok: selectolax | trafilatura".format(
            *extractor_header
        )
    )
    for extractor_row in extractor_rows:
        sel, traf = extractor_row["selectolax"], extractor_row["trafilatura"]
        flags = "/".join(str(sel[key]) for key in ("title_ok", "date_ok", "authors_ok"))
        traf_flags = "/".join(str(traf[key]) for key in ("title_ok", "date_ok", "authors_ok"))
        print(
            f"{extractor_row['article']:32s} {sel['median_ms']:8.3f} {traf['median_ms']:8.3f} "
            f"{extractor_row['speedup']:8.1f} "
            f"{sel['body']['f1']:7.3f} {traf['body']['f1']:7.3f}  {flags} | {traf_flags}"
        )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "parse",
                "measured_at": datetime.now(UTC).isoformat(),
                "python": platform.python_version(),
                "machine": platform.machine(),
                "repeat": args.repeat,
                "language_sample_chars": SAMPLE_CHARS,
                "target_median_ms_samples": 2.0,
                "articles": rows,
                "html_extractors": extractor_rows,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
