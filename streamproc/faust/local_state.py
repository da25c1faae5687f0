"""Correction: table files a killed worker left behind are discarded and restored from the changelogs.

Faust writes a table value to its local store at once and to the changelog through the producer
buffer. With a store on disk (RocksDB), a worker killed in between leaves its files ahead of the
changelog and of the records sent beside it: a ``published`` marker whose output never reached
Kafka survived a SIGKILL, so the replayed input was taken for published and lost (reliability
suite, paced SIGKILL on rocksdb://, 1 of 400). Faust restores such a store only from the
changelog offset it persisted and never rolls local writes back. So a file marks the tables as
in use while the worker runs; a clean stop (consumer stopped, producer flushed) removes it, and
a worker that finds it at start discards the table files: they are rebuilt from the changelogs,
as the memory store always is. A clean restart keeps them (fast); a crash costs a full restore.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

log = logging.getLogger("streamproc.kafka")

IN_USE = "streamproc-tables-in-use"


def open_tables(tabledir: Path) -> bool:
    """Mark ``tabledir`` in use; True when a previous worker did not stop cleanly (files discarded)."""
    tabledir.mkdir(parents=True, exist_ok=True)
    marker = tabledir / IN_USE
    unclean = marker.exists()
    if unclean:
        stores = [path for path in tabledir.iterdir() if path.name != IN_USE]
        for path in stores:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        log.warning(
            "the last worker did not stop cleanly: local tables discarded, restoring from changelogs",
            extra={"tabledir": str(tabledir), "stores": len(stores)},
        )
    marker.touch()
    return unclean


def close_tables(tabledir: Path) -> None:
    """A clean stop: every table write has reached its changelog."""
    (tabledir / IN_USE).unlink(missing_ok=True)
