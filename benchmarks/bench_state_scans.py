"""CPU of the worker's whole-table scans against the table's size (pure code, dict tables).

The stories desk's open-story count and the periodic sweeps (``join/owner.py``, ``stories/sweep.py``)
read every key of a table to find the partition's own (``partition_of_key``: murmur2 in Python).
This prints, per table size, the CPU seconds of: a partition's first story event without the kept
count (the scan every partition made at its first event before the count was kept in the table),
with it, one dedup sweep of one partition, one stories sweep of one partition (nothing expired).

    .venv/bin/python benchmarks/bench_state_scans.py --sizes 10000,100000,400000
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from streamproc.config import Settings, load_settings
from streamproc.join.owner import StateSweeper, partition_of_key
from streamproc.stories.sweep import StorySweeper, open_count_key

PARTITIONS = 4
T = 1_773_000_000.0


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,400000")
    args = parser.parse_args()
    settings = load_settings(env={"STREAMPROC_KAFKA_PARTITIONS": str(PARTITIONS)})
    for size in (int(s) for s in args.sizes.split(",")):
        print(measure(settings, size), flush=True)


if __name__ == "__main__":
    main()
