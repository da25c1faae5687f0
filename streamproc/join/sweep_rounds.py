"""A horizon sweep that visits one partition's keys, a slice at a time (README, State).

The sweeps used to read every key of the table once per partition to find the partition's own
(murmur2 in Python on each), in one block of the event loop: minutes of CPU per partition with
a million articles stored. Now a sweep *round* asks the table for its partition's keys only
(``PartitionedKeys``: on ``rocksdb://`` the partition's own database, on ``memory://`` an index
kept per partition) and visits ``dedup.sweep_slice_keys`` of them at each event of the partition,
so the loop runs between slices (heartbeats, commits, the other agents) and the deletes happen
within an event of the partition, as every table write must. The round's horizon is fixed at its
start: a round evicts what one whole scan at its start would have evicted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class PartitionedKeys(Protocol):
    """A table that can list the keys it stores for one partition."""

    def partition_keys(self, partition: int) -> Iterator[Any] | None:
        """The keys stored for ``partition`` (None: not known, scan the table). Safe to resume
        after the table changed in between: a key deleted since may still come (the sweep reads
        it and finds nothing), a key written since may not (it is newer than the round)."""


def assignment_epoch(table: MutableMapping[str, Any]) -> int:
    """How many assignments the table has recovered (0 for a plain dict): a round begun under an
    earlier one may hold keys and a tally of a partition another worker changed since."""
    epoch = getattr(table, "assignment_epoch", 0)
    return epoch if isinstance(epoch, int) else 0


def keys_to_sweep(
    table: MutableMapping[str, Any], partition: int, owned: Callable[[str], bool]
) -> Iterator[str]:
    """The keys a sweep round of ``partition`` visits: the partition's own where the table keeps
    them apart, else every key ``owned`` accepts from a copy of the key list (dict tables)."""
    if isinstance(table, PartitionedKeys):
        keys = table.partition_keys(partition)
        if keys is not None:
            return keys
    return iter([key for key in list(table) if owned(key)])


@dataclass
class SweepRound:
    """One sweep of one partition, under way: its horizon's "now", where it is, what it found."""

    watermark: float  # the newest event time seen on the partition when the round started
    keys: Iterator[str]
    evicted: int = 0
    visited: int = 0
    # The stories desk's tally of its current stories: kept and deleted ones, and whether an event
    # changed the partition's count during the round (then the tally cannot replace the count).
    current: int = 0
    closed: int = 0
    count_changed: bool = False
    epoch: int = 0  # the table's assignment_epoch when the round began
