"""Correction: table files a killed worker may have left ahead of Kafka are discarded at the next start.

Faust's RocksDB store writes a table value to its local store at once and to the changelog through
the producer buffer. A worker killed in between left its files ahead of the changelog and of the
records sent beside it: a ``published`` marker whose output never reached Kafka survived a
SIGKILL, so the replayed input was taken for published and lost (reliability suite, paced SIGKILL
on rocksdb://, 1 of 400). Faust restores such a store only from the changelog offset it persisted
and never rolls local writes back.

The worker's tables now keep their files a prefix of the changelog (``ChangelogPrefixStore``,
prefix_store.py: a change reaches the files only once the changelog acked it, with its offset), so
after a crash Faust's recovery completes them from the persisted offset: nothing to discard. A
file marks the tables as in use while the worker runs and says how they were written: found at
start (a crash) and written by anything but prefix stores (a table on Faust's own RocksDB store,
or the files of a version before the prefix stores), the table files are discarded and rebuilt
from the changelogs, as the memory store always is. A clean stop removes the mark.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

log = logging.getLogger("streamproc.kafka")

IN_USE = "streamproc-tables-in-use"
# The mark's content when every table's files are a prefix of its changelog.
PREFIX_WRITER = "changelog-prefix\n"


def open_tables(tabledir: Path, *, prefix_stores: bool = False) -> bool:
    """Mark ``tabledir`` in use (by prefix stores only when ``prefix_stores``); True when a previous
    worker did not stop cleanly and its files could be ahead of the changelogs (files discarded)."""
    tabledir.mkdir(parents=True, exist_ok=True)
    marker = tabledir / IN_USE
    crashed = marker.exists()
    ahead = crashed and not (prefix_stores and marker.read_text() == PREFIX_WRITER)
    if ahead:
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
    elif crashed:
        log.info(
            "the last worker did not stop cleanly: local tables kept (a prefix of the changelogs)",
            extra={"tabledir": str(tabledir)},
        )
    marker.write_text(PREFIX_WRITER if prefix_stores else "")
    return ahead


def close_tables(tabledir: Path) -> None:
    """A clean stop: every table write has reached its changelog."""
    (tabledir / IN_USE).unlink(missing_ok=True)
