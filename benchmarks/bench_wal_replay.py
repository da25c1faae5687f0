"""What a SIGKILL costs the next start of a RocksDB worker: replaying the write-ahead logs.

A worker's tables keep one RocksDB database per table and partition (16 with the benchmark's 4
partitions), opened with Faust's options (64 MB write buffers). A clean stop flushes the buffers;
a killed process leaves everything written since each database's last flush in its write-ahead
log, and opening the database replays it. Here a child process writes ``--mb`` megabytes of
``--value``-byte values into each of 16 databases and exits without closing them (what a SIGKILL
leaves), then the databases are opened again the way a restart opens them, timed; then once more
(the logs were flushed by that open: the baseline).

    .venv/bin/python benchmarks/bench_wal_replay.py --mb 30
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from faust.stores.rocksdb import RocksDBOptions

RESULTS = Path(__file__).resolve().parent / "results" / "wal_replay.json"
DATABASES = 16
KEY_BYTES = 24
PER_BATCH = 500


def write_unflushed(root: Path, mb: float, value: int) -> None:
    """Fill each database's write buffer with ``mb`` MB and end the process without a flush."""
    from rocksdict import WriteBatch

    options = RocksDBOptions(use_rocksdict=True)
    databases = [options.open(root / f"table-{i}.db") for i in range(DATABASES)]
    records = int(mb * 2**20 / (KEY_BYTES + value))
    for database in databases:
        for _ in range(0, records, PER_BATCH):
            batch = WriteBatch(raw_mode=True)
            for _ in range(PER_BATCH):
                batch.put(os.urandom(KEY_BYTES), os.urandom(value))
            database.write(batch)
    os._exit(0)  # as a SIGKILL: no close, no flush, the write-ahead logs stay


def open_all(root: Path) -> float:
    """Seconds to open the 16 databases (each closed again, which flushes what it replayed)."""
    options = RocksDBOptions(use_rocksdict=True)
    started = time.monotonic()
    databases = [options.open(root / f"table-{i}.db") for i in range(DATABASES)]
    seconds = time.monotonic() - started
    for database in databases:
        database.close()
    return seconds


def log_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in root.glob("*/*.log"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=30.0, help="unflushed MB per database")
    parser.add_argument("--value", type=int, default=700, help="bytes per value")
    parser.add_argument("--dir", type=Path, default=Path("/tmp") / "streamproc-bench-wal-replay")
    parser.add_argument("--write", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.write:
        write_unflushed(args.dir, args.mb, args.value)
    shutil.rmtree(args.dir, ignore_errors=True)
    args.dir.mkdir(parents=True)
    child = [sys.executable, __file__, "--write", "--mb", str(args.mb), "--value", str(args.value)]
    subprocess.run([*child, "--dir", str(args.dir)], check=True)
    unflushed = log_bytes(args.dir)
    result: dict[str, Any] = {
        "databases": DATABASES,
        "value_bytes": args.value,
        "write_ahead_log_mb": round(unflushed / 2**20, 1),
        "open_after_kill_s": round(open_all(args.dir), 2),
        "open_after_flush_s": round(open_all(args.dir), 2),
        "load_avg": os.getloadavg()[0],
    }
    shutil.rmtree(args.dir, ignore_errors=True)
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing[f"{args.mb:g}mb"] = result
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
