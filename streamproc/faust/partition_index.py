"""Extension: the keys of each partition of a ``memory://`` table, so a sweep reads its own only.

Faust's memory store is one dict for every partition: a partition's keys could only be found by
reading every key and hashing it (the horizon sweeps did, once per partition: README, State).
``PartitionIndex`` keeps each partition's keys as the table writes, deletes and restores them
(``CoalescingTable``); on ``rocksdb://`` each partition has its own database instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any


class PartitionIndex:
    """Partition -> its keys, in the order first written (a dict: insertion-ordered, O(1) deletes)."""

    def __init__(self) -> None:
        self.keys: dict[int, dict[Any, None]] = {}

    def add(self, partition: int, key: Any) -> None:
        self.keys.setdefault(partition, {})[key] = None

    def discard(self, partition: int, key: Any) -> None:
        self.keys.get(partition, {}).pop(key, None)

    def restored(self, events: Iterable[Any], to_key: Callable[[Any], Any]) -> None:
        """Index a batch of changelog records being restored (a None value deletes its key)."""
        for event in events:
            if event.message.value is None:
                self.discard(event.message.partition, to_key(event.key))
            else:
                self.add(event.message.partition, to_key(event.key))

    def keep_only(self, partitions: set[int]) -> None:
        """Forget the partitions this worker no longer holds (the store dropped their keys)."""
        for partition in set(self.keys) - partitions:
            del self.keys[partition]

    def walk(self, partition: int) -> Iterator[Any]:
        """The partition's keys as they are now: a copy of the key list (C speed, a few ms per
        million keys), so the table may change while the walk is resumed over many events."""
        return iter(list(self.keys.get(partition, {})))
