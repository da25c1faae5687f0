"""Bounded story state: the stories table forgets stories nobody can join any more."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from streamproc.config import Settings
from streamproc.join.owner import StateSweeper
from streamproc.join.sweep_rounds import SweepRound, keys_to_sweep
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

    table_name = "stories"

    def __init__(
        self, settings: Settings, metrics: Metrics | None, partition_of_key: Callable[[str, int], int]
    ) -> None:
        super().__init__(settings, metrics, partition_of_key)
        self.open_stories: dict[int, int] = {}

    def opened(self, table: MutableMapping[str, Any], partition: int, change: int) -> None:
        """Account an event's change to the current stories of ``partition`` (after it was applied;
        called in an event of ``partition``, whose changelog the count is written to)."""
        sweep = self.rounds.get(partition)
        if sweep is not None and change:
            sweep.count_changed = True
        stored = table.get(open_count_key(partition))
        count = self.count_open(table, partition) if stored is None else int(stored["open"]) + change
        if stored is None or change:
            table[open_count_key(partition)] = {"open": count}
        self.open_stories[partition] = count
        if self.metrics is not None:
            self.metrics.stories_open.set(sum(self.open_stories.values()))

    def count_open(self, table: MutableMapping[str, Any], partition: int) -> int:
        """The current stories of ``partition``, counted in the table (every key of the partition:
        use once)."""
        return sum(
            1
            for key in keys_to_sweep(table, partition, lambda key: self.owned(key, partition))
            if is_story_key(key) and is_current(table.get(key) or {})
        )

    def owned(self, key: str, partition: int) -> bool:
        return is_story_key(key) and self.partition_of_key(key, self.settings.kafka.partitions) == partition

    def visit(self, table: MutableMapping[str, Any], partition: int, key: str, sweep: SweepRound) -> int:
        value = table.get(key) if is_story_key(key) else None
        if value is None:
            return 0
        cutoff = sweep.watermark - KEEP_HORIZONS * self.settings.dedup.story_horizon_days * DAY_S
        if float(value.get("touched", 0.0)) >= cutoff:
            sweep.current += is_current(value)
            return 0
        del table[key]
        sweep.closed += is_current(value)
        return 1

    def finished(self, table: MutableMapping[str, Any], partition: int, sweep: SweepRound) -> None:
        """The round read every story of the partition: it sets the kept count right, unless an
        event changed the count meanwhile (then the tally may miss it: the count loses the current
        stories deleted)."""
        stored = table.get(open_count_key(partition))
        current = sweep.current
        if sweep.count_changed and stored is not None:
            current = int(stored["open"]) - sweep.closed
        self.open_stories[partition] = current
        if stored != {"open": current}:
            table[open_count_key(partition)] = {"open": current}
        if self.metrics is not None:
            self.metrics.stories_open.set(sum(self.open_stories.values()))
