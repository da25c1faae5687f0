"""Bounded story state: the stories table forgets stories nobody can join any more."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from streamproc.config import Settings
from streamproc.join.owner import StateSweeper
from streamproc.metrics import Metrics
from streamproc.stories.desk import StoryAbsorb, StoryEvent, StoryJoin, is_current

DAY_S = 86_400.0
# A story is kept this many story horizons after its last article or redirect: no new article can
# reach it after one horizon (its key entries are gone), but redirects and absorptions of stories
# that raced with it may still be in flight.
KEEP_HORIZONS = 2.0


def event_arrival(event: StoryEvent) -> float:
    """The arrival time an event carries: the desk's clock, replay-stable."""
    if isinstance(event, StoryJoin):
        return event.member.arrival
    if isinstance(event, StoryAbsorb):
        return event.absorbed.touched
    return event.at  # StoryRedirect, StoryClaim, StoryMove


# The number of current stories of a partition, kept in the stories table under this key (one per
# partition): a restart restores it with the table, so the ``stories_open`` gauge never has to count
# the table (a scan of every story, once per partition, was most of the stateful path's CPU with a
# million articles stored: README, State).
OPEN_COUNT_KEY = "#open:"


def open_count_key(partition: int) -> str:
    return f"{OPEN_COUNT_KEY}{partition}"


def is_story_key(key: str) -> bool:
    """A story id's key, not a partition's count."""
    return not key.startswith(OPEN_COUNT_KEY)


class StorySweeper(StateSweeper):
    """Every ``dedup.sweep_interval_s``, the owner of a partition drops the stories it owns that were
    last touched ``KEEP_HORIZONS`` story horizons before the newest arrival it has seen.

    It also keeps the number of current stories per partition for the ``stories_open`` gauge, in the
    table (``open_count_key``), changed by each event's ``DeskOutcome.opened`` and by the sweep; a
    table without it (written by an older version) is counted once, at the partition's first event.
    """

    def __init__(
        self, settings: Settings, metrics: Metrics | None, partition_of_key: Callable[[str, int], int]
    ) -> None:
        super().__init__(settings, metrics, partition_of_key)
        self.open_stories: dict[int, int] = {}

    def opened(self, table: MutableMapping[str, Any], partition: int, change: int) -> None:
        """Account an event's change to the current stories of ``partition`` (after it was applied;
        called in an event of ``partition``, whose changelog the count is written to)."""
        stored = table.get(open_count_key(partition))
        count = self.count_open(table, partition) if stored is None else int(stored["open"]) + change
        if stored is None or change:
            table[open_count_key(partition)] = {"open": count}
        self.open_stories[partition] = count
        if self.metrics is not None:
            self.metrics.stories_open.set(sum(self.open_stories.values()))

    def count_open(self, table: MutableMapping[str, Any], partition: int) -> int:
        """The current stories of ``partition``, counted in the table (every key: use once)."""
        partitions = self.settings.kafka.partitions
        return sum(
            1
            for key in list(table)
            if is_story_key(key)
            and self.partition_of_key(key, partitions) == partition
            and is_current(table[key])
        )

    def sweep(self, table: MutableMapping[str, Any], partition: int) -> int:
        watermark = self.watermarks.get(partition)
        if watermark is None:
            return 0
        cutoff = watermark - KEEP_HORIZONS * self.settings.dedup.story_horizon_days * DAY_S
        partitions = self.settings.kafka.partitions
        stale, current = [], 0
        for key in list(table):
            if not is_story_key(key) or self.partition_of_key(key, partitions) != partition:
                continue
            value = table[key]
            if float(value.get("touched", 0.0)) < cutoff:
                stale.append(key)
            else:
                current += is_current(value)
        for key in stale:
            del table[key]
        # The scan counts the partition's current stories anyway: the kept count is set right.
        self.open_stories[partition] = current
        if table.get(open_count_key(partition)) != {"open": current}:
            table[open_count_key(partition)] = {"open": current}
        if self.metrics is not None:
            self.metrics.stories_open.set(sum(self.open_stories.values()))
            if stale:
                self.metrics.state_entries_evicted.inc(len(stale))
        return len(stale)
