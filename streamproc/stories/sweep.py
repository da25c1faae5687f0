"""Bounded story state: the stories table forgets stories nobody can join any more."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from streamproc.join.owner import StateSweeper
from streamproc.stories.desk import StoryAbsorb, StoryEvent, StoryJoin

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
    return event.at  # StoryRedirect, StoryClaim


class StorySweeper(StateSweeper):
    """Every ``dedup.sweep_interval_s``, the owner of a partition drops the stories it owns that were
    last touched ``KEEP_HORIZONS`` story horizons before the newest arrival it has seen."""

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
