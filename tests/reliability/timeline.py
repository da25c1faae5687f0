"""Each worker start of a worker log, split into the phases from process spawn to its first output.

    .venv/bin/python tests/reliability/timeline.py <basetemp>/*/*/worker-*.log
    .venv/bin/python tests/reliability/timeline.py --restarts-only --label after LOG... \\
        --json benchmarks/results/reliability_restart.json

Phases (seconds, each from the end of the one before): imports (spawn, marked in the log by the
harness, to the CLI's first line: interpreter and imports), topics (the CLI waits for the broker,
ensures the topics and builds the app), producer (Faust's producer starts), join (consumer start
to the group assignment), recovery (assignment to "rebalance done": tables restored, streams
seek), fetch (to the first input record delivered), output (to the first output handed to the
producer). Also: pool (spawn to the NER pool ready; its processes start before the worker's
imports and load beside every phase up to the fetch), declared (topics Faust declared itself),
total (spawn to the first output).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

SPAWN_EVENT = "harness: worker spawned"
PHASES = ("imports", "topics", "producer", "join", "recovery", "fetch", "output")
# (mark, text of the log event that ends it); the phase before a mark ends at it.
MARKS = (
    ("topics", "worker starting"),
    ("producer", "CorrectedApp]: Starting"),
    ("join", "CorrectedConsumer]: Starting"),
    ("recovery", "partitions assigned"),
    ("fetch", "rebalance done"),
    ("output", "partition starts at its committed offset"),
    ("end", "first output of this process sent"),
)


@dataclass
class Start:
    spawned: float | None
    restart: bool
    marks: dict[str, float] = field(default_factory=dict)
    pool: float | None = None
    declared: int = 0

    def phases(self) -> dict[str, float | None]:
        """Seconds per phase, pool and total from spawn; a phase whose end mark was not logged
        runs on to the next mark that was (its successor then shows None)."""
        order = ["imports", *[mark for mark, _ in MARKS]]
        moments: dict[str, float] = {**self.marks}
        if self.spawned is not None:
            moments["imports"] = self.spawned
        out: dict[str, float | None] = dict.fromkeys(order[:-1])
        current: tuple[str, float] | None = None
        for mark in order:
            if mark not in moments:
                continue
            if current is not None:
                out[current[0]] = round(moments[mark] - current[1], 2)
            current = (mark, moments[mark])
        first = self.spawned if self.spawned is not None else self.marks.get("topics")
        end = self.marks.get("end")
        out["pool"] = None if self.pool is None or first is None else round(self.pool - first, 2)
        out["total"] = None if end is None or first is None else round(end - first, 2)
        return out


def starts(path: Path) -> list[Start]:
    """Every start in the log of one worker (each spawn mark opens one)."""
    found: list[Start] = []
    with path.open(errors="replace") as log:
        for line in log:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            event = str(record.get("event", ""))
            moment = datetime.fromisoformat(record["ts"]).timestamp()
            if event == SPAWN_EVENT:
                found.append(Start(moment, restart=bool(found)))
            elif "worker starting" in event and (not found or "topics" in found[-1].marks):
                # A log without spawn marks: the phases start at the CLI's first line.
                found.append(Start(None, restart=bool(found), marks={"topics": moment}))
            elif found:
                _observe(found[-1], event, record, moment)
    return found


def _observe(start: Start, event: str, record: dict[str, object], moment: float) -> None:
    if "Creating topic" in event:
        start.declared += 1
    if "enrichment pool ready" in event and start.pool is None:
        start.pool = moment
    for mark, text in MARKS:
        if text in event and mark not in start.marks:
            if mark == "output" and not str(record.get("topic", "")).endswith(".raw"):
                continue
            start.marks[mark] = moment


def summary(all_starts: list[Start]) -> dict[str, dict[str, float]]:
    """Per phase: median, min and max over the starts that logged it."""
    keys = [*PHASES, "pool", "total"]
    out: dict[str, dict[str, float]] = {}
    for key in keys:
        values = [v for s in all_starts if (v := s.phases().get(key)) is not None]
        if values:
            out[key] = {
                "median": round(statistics.median(values), 2),
                "min": min(values),
                "max": max(values),
                "n": len(values),
            }
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logs", nargs="+", type=Path)
    parser.add_argument("--restarts-only", action="store_true", help="skip each log's first start")
    parser.add_argument("--label", default="run", help="the key of this set in --json")
    parser.add_argument("--json", type=Path, help="merge the summary into this JSON file")
    args = parser.parse_args(argv)
    every: list[Start] = []
    for path in args.logs:
        print(f"== {path}")
        for start in starts(path):
            if args.restarts_only and not start.restart:
                continue
            every.append(start)
            cells = " ".join(f"{k}={'-' if v is None else v}" for k, v in start.phases().items())
            when = datetime.fromtimestamp(start.spawned or start.marks["topics"]).strftime("%H:%M:%S")
            print(f"  {when} declared={start.declared} {cells}")
    table = summary(every)
    print(f"== {args.label}: {len(every)} starts (median [min-max] s)")
    for key, stats in table.items():
        print(f"  {key:<9} {stats['median']:>6} [{stats['min']}-{stats['max']}] n={stats['n']}")
    if args.json:
        existing = json.loads(args.json.read_text()) if args.json.exists() else {}
        existing[args.label] = {"starts": len(every), "phases_s": table}
        args.json.write_text(json.dumps(existing, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
