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


class StorySweeper(StateSweeper):
    """Every ``dedup.sweep_interval_s``, the owner of a partition drops the stories it owns that were
    last touched ``KEEP_HORIZONS`` story horizons before the newest arrival it has seen.

    It also keeps the number of current stories per partition for the ``stories_open`` gauge: counted
    in the table the first time a partition is seen (a restart restores the table, not the count)
    and at each sweep, kept up to date in between by each event's ``DeskOutcome.opened``.
    """

    def __init__(
        self, settings: Settings, metrics: Metrics | None, partition_of_key: Callable[[str, int], int]
    ) -> None:
        super().__init__(settings, metrics, partition_of_key)
        self.open_stories: dict[int, int] = {}

    def opened(self, table: MutableMapping[str, Any], partition: int, change: int) -> None:
        """Account an event's change to the current stories of ``partition`` (after it was applied)."""
        if partition not in self.open_stories:
            self.open_stories[partition] = self.count_open(table, partition)
        else:
            self.open_stories[partition] += change
        if self.metrics is not None:
            self.metrics.stories_open.set(sum(self.open_stories.values()))

    def count_open(self, table: MutableMapping[str, Any], partition: int) -> int:
        partitions = self.settings.kafka.partitions
        return sum(
            1
            for key in list(table)
            if self.partition_of_key(key, partitions) == partition and is_current(table[key])
        )

    def maybe_sweep(self, table: MutableMapping[str, Any], partition: int) -> int:
        swept = super().maybe_sweep(table, partition)
        if swept:
            self.open_stories[partition] = self.count_open(table, partition)
            if self.metrics is not None:
                self.metrics.stories_open.set(sum(self.open_stories.values()))
        return swept

    def sweep(self, table: MutableMapping[str, Any], partition: int) -> int:
        watermark = self.watermarks.get(partition)
        if watermark is None:
            return 0
        cutoff = watermark - KEEP_HORIZONS * self.settings.dedup.story_horizon_days * DAY_S
        partitions = self.settings.kafka.partitions
        stale = [
            key
            for key in list(table)
            if self.partition_of_key(key, partitions) == partition
            and float(table[key].get("touched", 0.0)) < cutoff
        ]
        for key in stale:
            del table[key]
        if self.metrics is not None and stale:
            self.metrics.state_entries_evicted.inc(len(stale))
        return len(stale)
