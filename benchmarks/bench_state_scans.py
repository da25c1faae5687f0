"""CPU of the worker's table scans against the table's size.

The stories desk's open-story count and the periodic sweeps (``join/owner.py``, ``stories/sweep.py``)
read every key of a table to find the partition's own (``partition_of_key``: murmur2 in Python).
This prints, per table size, the CPU seconds of: a partition's first story event without the kept
count (the scan every partition made at its first event before the count was kept in the table),
with it, one dedup sweep of one partition, one stories sweep of one partition (nothing expired);
dict tables, this checkout's code.

``--before PATH`` (a checkout of older code, e.g. ``git worktree add --detach /tmp/base main``)
adds the sweeps through the worker's own table class (``CoalescingTable``) on ``memory://`` and
``rocksdb://`` (files in a temporary directory), measured with the code of PATH and of this
checkout, each in a subprocess with its code first on ``PYTHONPATH``: one partition's
``dedup-keys`` sweep run as the worker runs it (``maybe_sweep`` at each event of the partition
until the round is over), its CPU, the longest single call (the longest block of the event loop)
and the calls; one key in ten past the horizon. JSON to ``benchmarks/results/state_sweeps.json``.

    .venv/bin/python benchmarks/bench_state_scans.py --sizes 10000,100000,400000
    .venv/bin/python benchmarks/bench_state_scans.py --sizes 10000,100000,400000 --before /tmp/base
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path
from typing import Any

from streamproc.config import Settings, load_settings
from streamproc.join.owner import StateSweeper, partition_of_key
from streamproc.stories.sweep import StorySweeper, open_count_key

PARTITIONS = 4
T = 1_773_000_000.0
DAY = 86_400.0
REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "state_sweeps.json"
STORES = ("memory://", "rocksdb://")


def cpu(action: Any) -> float:
    started = time.process_time()
    action()
    return time.process_time() - started


def measure(settings: Settings, size: int) -> str:
    """One line of figures for tables of ``size`` keys."""
    story = {"story_id": "s", "members": [["a"]], "touched": T}
    stories: dict[str, Any] = {f"s-{i:016x}": story for i in range(size)}
    desk = StorySweeper(settings, None, partition_of_key)
    first = cpu(lambda: [desk.opened(stories, p, 0) for p in range(PARTITIONS)])
    restarted = StorySweeper(settings, None, partition_of_key)  # the counts are in the table now
    assert all(open_count_key(p) in stories for p in range(PARTITIONS))
    kept = cpu(lambda: [restarted.opened(stories, p, 0) for p in range(PARTITIONS)])
    restarted.observe(0, T)
    story_sweep = cpu(lambda: restarted.sweep(stories, 0))
    keys: dict[str, Any] = {f"fp:{i:016x}": [["a", "t.raw/0/1", T]] for i in range(size)}
    sweeper = StateSweeper(settings, None, partition_of_key)
    sweeper.observe(0, T)
    dedup_sweep = cpu(lambda: sweeper.sweep(keys, 0))
    return (
        f"{size:>9,} keys: first story event of each of {PARTITIONS} partitions "
        f"{first:.2f} s without the kept count, {kept:.4f} s with it; one partition's "
        f"sweep: stories {story_sweep:.2f} s, dedup keys {dedup_sweep:.2f} s"
    )


class _Message:
    def __init__(self, partition: int) -> None:
        self.partition, self.topic = partition, "probes"


class _Event:
    """The stream event a table write happens in (Faust's ``current_event``): its partition."""

    def __init__(self, partition: int) -> None:
        self.message = _Message(partition)


def worker_table(store: str, directory: str) -> tuple[Any, Any]:
    """The worker's ``dedup-keys`` table class on ``store``, its changelog partitions assigned here."""
    import faust
    from faust.streams import _current_event, current_event

    from streamproc.faust.coalescing import CoalescingTable

    app = faust.App("sweep-bench", store=store, tabledir=directory, Table=CoalescingTable)
    table = app.Table("dedup-keys", default=None, partitions=PARTITIONS, key_type=str)
    topic = table.changelog_topic.get_topic_name()
    app.assignor._assignment.actives[topic] = set(range(PARTITIONS))
    table.partition_for_key = lambda key: current_event().message.partition
    return table, _current_event


def fill(table: Any, store: str, size: int, at: Any) -> None:
    """``size`` fingerprint keys, each in its owner partition (persisted, on RocksDB); one in ten
    past the dedup horizon."""
    keys: dict[int, list[tuple[str, Any]]] = {p: [] for p in range(PARTITIONS)}
    for i in range(size):
        key = f"fp:{i:016x}"
        value = [[f"a-{i}", f"news.raw/0/{i}", T - (30 * DAY if i % 10 == 0 else 0.0)]]
        keys[partition_of_key(key, PARTITIONS)].append((key, value))
    for partition, items in keys.items():
        if store.startswith("rocksdb"):
            from rocksdict import WriteBatch

            batch, data = WriteBatch(raw_mode=True), table.data
            for key, value in items:
                batch.put(data._encode_key(key), data._encode_value(value))
            data._db_for_partition(partition).write(batch)
            continue
        event = _Event(partition)
        at.set(weakref.ref(event))
        for key, value in items:
            table[key] = value
        table._changes.clear()  # as after a flush


def measure_sweep(store: str, size: int) -> dict[str, Any]:
    """One partition's dedup sweep as the worker runs it: ``maybe_sweep`` at each event of the
    partition until its round is over (older code: one call sweeps everything)."""
    settings = load_settings(env={"STREAMPROC_KAFKA_PARTITIONS": str(PARTITIONS)})
    with tempfile.TemporaryDirectory() as directory:
        table, at = worker_table(store, directory)
        fill(table, store, size, at)
        sweeper = StateSweeper(settings, None, partition_of_key)
        sweeper.observe(0, T)
        sweeper.last_sweep[0] = float("-inf")  # due now
        event = _Event(0)
        at.set(weakref.ref(event))
        calls, longest, longest_cpu, evicted = 0, 0.0, 0.0, 0
        cpu_started = time.process_time()
        while True:
            started, call_cpu = time.perf_counter(), time.process_time()
            evicted += sweeper.maybe_sweep(table, 0)
            longest = max(longest, time.perf_counter() - started)
            longest_cpu = max(longest_cpu, time.process_time() - call_cpu)
            calls += 1
            if 0 not in getattr(sweeper, "rounds", {}):
                break
        cpu_s = time.process_time() - cpu_started
        left = sum(1 for _ in table)
        table.data.close_files() if hasattr(table.data, "close_files") else None
    return {
        "store": store,
        "stored_keys": size,
        "sweep_cpu_s": round(cpu_s, 4),
        "longest_block_s": round(longest, 4),  # wall clock: what the loop waited (the load adds to it)
        "longest_block_cpu_s": round(longest_cpu, 4),
        "calls": calls,
        "evicted": evicted,
        "keys_left": left,
    }


def measured_with(code: Path, sizes: list[int]) -> list[dict[str, Any]]:
    """``measure_sweep`` for every store and size, run with the code of checkout ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, __file__, "--measure-sweeps", "--sizes", ",".join(map(str, sizes))]
    done = subprocess.run(command, env=env, cwd=code, check=True, capture_output=True, text=True)
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def commit_of(checkout: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip()


def compare(before: Path, sizes: list[int], label: str) -> None:
    """Before and after, in one run; printed and written to ``RESULTS`` under ``label``."""
    runs = {"before": measured_with(before, sizes), "after": measured_with(REPO, sizes)}
    for old, new in zip(runs["before"], runs["after"], strict=True):
        print(
            f"{new['store']:<11} {new['stored_keys']:>9,} keys: one partition's sweep "
            f"{old['sweep_cpu_s']:.3f} -> {new['sweep_cpu_s']:.3f} s CPU, longest block "
            f"{old['longest_block_s'] * 1000:.1f} -> {new['longest_block_s'] * 1000:.1f} ms "
            f"({old['longest_block_cpu_s'] * 1000:.1f} -> {new['longest_block_cpu_s'] * 1000:.1f} ms CPU) "
            f"({new['calls']} calls), evicted {old['evicted']} -> {new['evicted']}",
            flush=True,
        )
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[label] = {
        "before_code": commit_of(before),
        "after_code": commit_of(REPO),  # plus the uncommitted changes, if any
        "partitions": PARTITIONS,
        "load_average": os.getloadavg()[0],
        **runs,
    }
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,400000")
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare the sweeps with")
    parser.add_argument("--label", default="sweeps", help="the key of this run in state_sweeps.json")
    parser.add_argument("--measure-sweeps", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.measure_sweeps:
        for size in sizes:
            for store in STORES:
                print(json.dumps(measure_sweep(store, size)), flush=True)
        return
    settings = load_settings(env={"STREAMPROC_KAFKA_PARTITIONS": str(PARTITIONS)})
    for size in sizes:
        print(measure(settings, size), flush=True)
    if args.before is not None:
        compare(args.before, sizes, args.label)


if __name__ == "__main__":
    main()
