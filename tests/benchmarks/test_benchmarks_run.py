"""The README's figures come from the scripts in ``benchmarks/``; each one that needs no broker runs
here at a small size, so a change that breaks a benchmark fails the suite instead of the next
person who tries to reproduce a figure.

Each script runs from a copy of ``benchmarks/`` (results included, which some read) in a temporary
folder beside links to the repository's data, so the committed results are never rewritten.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bench_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench")
    shutil.copytree(REPO / "benchmarks", root / "benchmarks", ignore=shutil.ignore_patterns("__pycache__"))
    for data in ("examples", "tests", "config", ".git"):  # .git: some compare with an older commit
        (root / data).symlink_to(REPO / data)
    return root


def run_bench(root: Path, script: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(root / "benchmarks")}
    done = subprocess.run(
        [sys.executable, f"benchmarks/{script}", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{script} {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


def result(root: Path, name: str) -> dict[str, object]:
    loaded = json.loads((root / "benchmarks" / "results" / name).read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_dedup_benchmark_counts_every_stored_key_kind(bench_root: Path) -> None:
    out = run_bench(bench_root, "bench_dedup.py", "--articles", "120", "--no-spacy")
    assert "bytes/article" in out
    kinds = result(bench_root, "dedup.json")["state"]
    assert isinstance(kinds, dict)
    assert kinds["bytes_per_article_by_key_kind"]["story record"] > 0


def test_bands_benchmark_judges_every_copy(bench_root: Path) -> None:
    run_bench(bench_root, "bench_bands.py", "--articles", "80")
    runs = result(bench_root, "state_bands.json")
    assert runs, "no band settings measured"


def test_state_benchmark_in_process_reports_live_bytes(bench_root: Path) -> None:
    out = run_bench(bench_root, "bench_state.py", "--in-process", "--articles", "60", "--label", "smoke")
    line = json.loads(out.strip().splitlines()[-1])
    assert line["articles"] == 60
    assert line["live_bytes_per_article"] > 0


@pytest.mark.parametrize(
    ("script", "args"),
    [
        ("bench_parse.py", ("--repeat", "1")),
        ("bench_dates_long.py", ("--kb", "2")),
        ("bench_dates.py", ("--repeat", "1")),
        ("bench_state_scans.py", ("--sizes", "500", "--label", "smoke")),
        ("bench_wal_replay.py", ("--mb", "2")),
        ("quality_dates.py", ()),
        ("quality_entities.py", ()),
    ],
)
def test_benchmark_runs(bench_root: Path, script: str, args: tuple[str, ...]) -> None:
    assert run_bench(bench_root, script, *args).strip(), f"{script} printed nothing"


def test_stories_quality_runs_on_a_development_set(bench_root: Path, tmp_path: Path) -> None:
    stories = REPO / "tests" / "fixtures" / "stories"
    shutil.copytree(stories / "a", tmp_path / "a")
    shutil.copy(stories / "gold_a.json", tmp_path / "gold_a.json")
    out = run_bench(bench_root, "quality_stories.py", str(tmp_path), "--out", str(tmp_path / "out.json"))
    assert "F1" in out or "f1" in out


def test_entities_cost_benchmark_runs_on_the_meantime_slice(bench_root: Path, tmp_path: Path) -> None:
    meantime = str(REPO / "tests" / "fixtures" / "meantime")
    out = run_bench(
        bench_root,
        "bench_entities.py",
        "--meantime",
        meantime,
        "--repeat",
        "1",
        "--out",
        str(tmp_path / "e.json"),
    )
    assert out.strip()
