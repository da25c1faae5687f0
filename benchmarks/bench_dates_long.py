"""Cost of ``extract_dates`` on 100 KB of repeated clock-range sentences, per language: this tree
vs the tagger before the linear scans (commit ``BEFORE_COMMIT``, loaded from git into its own
package), same run, same machine. Both taggers' outputs are compared on every text.

    .venv/bin/python benchmarks/bench_dates_long.py [--kb 100]

Prints a table and writes benchmarks/results/dates_long.json. Figures are CPU seconds
(``process_time``) of one call.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "dates_long.json"
BEFORE_COMMIT = "6e395b0011e4c318a515d42781abc914b2c57e26"  # main before the linear scans
REFERENCE = datetime(2025, 9, 4, 12, 0, tzinfo=UTC)
# One sentence of clock ranges per language, repeated (commas only: one long sentence)
SENTENCES = {
    "es": "entre las 22:00 y las 8:00 del miércoles, ",
    "pt": "das 22h às 8h de quarta-feira, ",
    "fr": "entre 22 h et 8 h mercredi, ",
    "de": "zwischen 22 Uhr und 8 Uhr am Mittwoch, ",
    "it": "dalle 22 alle 8 di mercoledì, ",
    "en": "at 6 a.m. Pacific time, ",
}


def load_before(workdir: Path) -> ModuleType:
    """The ``streamproc`` package at ``BEFORE_COMMIT``, imported under its own name from a copy."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", BEFORE_COMMIT, "streamproc"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(workdir)], input=archive, check=True)
    (workdir / "streamproc").rename(workdir / "streamproc_before")
    for path in (workdir / "streamproc_before").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        path.write_text(source.replace("from streamproc.", "from streamproc_before."), encoding="utf-8")
    sys.path.insert(0, str(workdir))
    return importlib.import_module("streamproc_before.enrich.dates")


def seconds(module: ModuleType, text: str, language: str) -> tuple[float, list[Any]]:
    started = time.process_time()
    found = module.extract_dates(text, "body", REFERENCE, language=language)
    return time.process_time() - started, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kb", type=int, default=100)
    args = parser.parse_args()
    from streamproc.enrich import dates as after

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        before = load_before(Path(tmp))
        for language, sentence in SENTENCES.items():
            text = sentence * (args.kb * 1000 // len(sentence.encode("utf-8")))
            before_s, before_found = seconds(before, text, language)
            after_s, after_found = seconds(after, text, language)
            same = [asdict(m) for m in before_found] == [asdict(m) for m in after_found]
            rows.append(
                {
                    "language": language,
                    "sentence": sentence,
                    "kb": args.kb,
                    "mentions": len(after_found),
                    "before_s": round(before_s, 2),
                    "after_s": round(after_s, 2),
                    "same_output": same,
                }
            )
            print(f"{language}  {args.kb} KB  before {before_s:6.2f} s  after {after_s:6.2f} s  same: {same}")
    RESULTS.write_text(
        json.dumps({"before_commit": BEFORE_COMMIT, "rows": rows}, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
