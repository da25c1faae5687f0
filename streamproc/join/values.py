"""A key owner's table with its records remembered: story records, band records, older profiles.

A story record (``sp:<partition>:<source key>``), a band record (``sg:<partition>:<source key>``)
and an older layout's profile value (``<story key>#p:<source key>``) are read at every probe of
the keys that name them (a busy story key's 16 records at each of its probes: ~46 table reads per
article, each decoded from JSON by the store). Reads of those keys are served from a bounded
memory of what this process read or wrote; every write and delete goes through to the table and
updates the memory. Only the owner writes and deletes them (its probes, its sweep and its list
rewrites; a story record changes only in the story keys it names), through here, so the memory
never holds a value the table no longer has while this worker owns the key. A rebalance ends that:
another worker may have changed a record meanwhile, and writes not yet flushed are dropped, so the
memory is forgotten whenever the table has recovered an assignment (``assignment_epoch``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from streamproc.join.sweep_rounds import PartitionedKeys, assignment_epoch

DEFAULT_REMEMBERED = 50_000


class RememberedValues(MutableMapping[str, Any]):
    """``table`` with the values of keys for which ``immutable(key)`` remembered (oldest forgotten
    first beyond ``limit``)."""

    def __init__(
        self,
        table: MutableMapping[str, Any],
        immutable: Callable[[str], bool],
        limit: int = DEFAULT_REMEMBERED,
    ) -> None:
        self.table = table
        self.immutable = immutable
        self.limit = limit
        self.memory: dict[str, Any] = {}
        self.epoch = assignment_epoch(table)

    def _current_memory(self) -> dict[str, Any]:
        """The memory, forgotten if the table recovered an assignment since it was filled."""
        epoch = assignment_epoch(self.table)
        if epoch != self.epoch:
            self.memory.clear()
            self.epoch = epoch
        return self.memory

    def _remember(self, key: str, value: Any) -> None:
        self.memory[key] = value
        if len(self.memory) > self.limit:
            del self.memory[next(iter(self.memory))]

    def __getitem__(self, key: str) -> Any:
        memory = self._current_memory()
        if key in memory:
            return memory[key]
        value = self.table[key]
        if value is not None and self.immutable(key):
            self._remember(key, value)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self.table[key] = value
        self._current_memory()
        if self.immutable(key):
            self._remember(key, value)

    def __delitem__(self, key: str) -> None:
        self._current_memory().pop(key, None)
        del self.table[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)

    def partition_keys(self, partition: int) -> Iterator[str] | None:
        """The table's keys of ``partition`` where it keeps them apart (``sweep_rounds``)."""
        return self.table.partition_keys(partition) if isinstance(self.table, PartitionedKeys) else None
