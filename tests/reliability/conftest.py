"""Reliability suite: crashes, restarts, rebalances and hostile input on a real broker.

Sizes: STREAMPROC_RELIABILITY_N (corpus inputs per scenario, default 200) and
STREAMPROC_RELIABILITY_FUZZ_N (hostile messages, default 5000;
10000 passes too but alone takes ~4 min on two busy cores). Each scenario's figures are
printed in a table at the end of the session and written to benchmarks/results/reliability.json.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.reliability.harness import MAX_BYTES, Summary
from tests.support import REPO, Env

# STREAMPROC_RELIABILITY_RESULTS: another file, for sessions run side by side.
RESULTS_PATH = Path(
    os.environ.get("STREAMPROC_RELIABILITY_RESULTS", REPO / "benchmarks" / "results" / "reliability.json")
)
SUMMARIES: list[Summary] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "reliability: crash/restart/rebalance/hostile-input suite on real Kafka"
    )


@pytest.fixture(scope="session")
def corpus_size() -> int:
    return int(os.environ.get("STREAMPROC_RELIABILITY_N", "200"))


@pytest.fixture(scope="session")
def fuzz_size() -> int:
    return int(os.environ.get("STREAMPROC_RELIABILITY_FUZZ_N", "5000"))


STORES = [
    store.strip()
    for store in os.environ.get("STREAMPROC_RELIABILITY_STORES", "memory://,rocksdb://").split(",")
]


@pytest.fixture(params=STORES, ids=lambda store: store.removesuffix("://"))
def store(request: pytest.FixtureRequest) -> str:
    """The table store a scenario runs with (STREAMPROC_RELIABILITY_STORES, default both)."""
    return str(request.param)


MEMBERSHIP = os.environ.get("STREAMPROC_RELIABILITY_MEMBERSHIP", "static")


def reliability_env(bootstrap: str, data_dir: Path, store: str = "memory://") -> Env:
    return Env(
        bootstrap,
        data_dir,
        extra={
            "STREAMPROC_PARSE_MAX_BYTES": str(MAX_BYTES),
            # A killed member's partitions move after this; the broker's minimum is 6 s.
            "STREAMPROC_WORKER_SESSION_TIMEOUT_S": os.environ.get(
                "STREAMPROC_RELIABILITY_SESSION_TIMEOUT_S", "6"
            ),
            "STREAMPROC_WORKER_STORE": store,
            # Static membership, the default, with each worker's derived id (app id, host, web
            # port); STREAMPROC_RELIABILITY_MEMBERSHIP=dynamic runs the scenarios without it.
            "STREAMPROC_WORKER_STATIC_MEMBERSHIP": str(MEMBERSHIP == "static").lower(),
            # An explicit id instead of the derived one (two workers get "-1" and "-2" added).
            "STREAMPROC_WORKER_GROUP_INSTANCE_ID": os.environ.get(
                "STREAMPROC_RELIABILITY_GROUP_INSTANCE_ID", ""
            ),
        },
    )


@pytest.fixture
def record_summary() -> list[Summary]:
    return SUMMARIES


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not SUMMARIES:
        return
    header = (
        f"{'scenario':<36}{'inputs':>8}{'enriched':>10}{'dups':>7}{'dlq':>7}"
        f"{'lost':>6}{'twice':>7}{'verdict!=':>10}{'restarts':>10}{'secs':>8}{'to output s':>13}"
        f"{'finish s':>10}{'quiet s':>9}"
    )
    lines = [header, "-" * len(header)]
    for s in SUMMARIES:
        recovery = ",".join("-" if r is None else f"{r:g}" for r in s.restart_to_output_s)
        lines.append(
            f"{s.scenario:<36}{s.inputs:>8}{s.outputs['enriched']:>10}{s.outputs['duplicates']:>7}"
            f"{s.outputs['dlq']:>7}{s.lost:>6}{s.duplicated:>7}{s.verdict_mismatches:>10}"
            f"{s.restarts:>10}{s.seconds:>8.1f}{recovery:>13}"
            f"{_seconds(s.finish_s):>10}{_seconds(s.longest_quiet_s):>9}"
        )
    terminalreporter.write_sep("=", "reliability summary")
    for line in lines:
        terminalreporter.write_line(line)
    existing: dict[str, object] = {}
    if RESULTS_PATH.exists():
        try:
            existing = json.loads(RESULTS_PATH.read_text())
        except ValueError:
            existing = {}
    scenarios = dict(existing.get("scenarios", {}))  # type: ignore[call-overload]
    scenarios.update({s.scenario: s.to_json() for s in SUMMARIES})
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps({"scenarios": scenarios}, indent=2) + "\n")
    terminalreporter.write_line(f"written {RESULTS_PATH}")
