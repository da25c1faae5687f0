"""The worker's tables computed without Kafka, partition by partition, to seed a state benchmark.

Pushing a million articles through the worker's stateful path takes hours here, so the state
benchmark at scale (``benchmarks/bench_state_scale.py``) computes what that path would have
stored with the worker's own pure code and writes it straight into the changelogs, then measures
the real worker on top (restore, restart, RSS, the next articles' throughput).

``SeedState`` drives the same ``KeyOwner``, ``Collector`` and stories desk as the worker's
``answer``, ``finalize`` and ``tell_stories`` agents, batch by batch as ``send_batch`` sends them:
each batch's probes answered per owning partition, the answers and articles collected per source
partition, story assignments back to the key owners, story events to the desk (and the events it
forwards). Every table write is recorded with the partition of the event that made it, which is
the changelog partition Faust writes (a ``CoalescingTable`` sends ``partition_for_key``: the
current event's partition). What is left at the end is each key's newest value: what a compacted
changelog holds and what a restore reads. Sweeps are not run (all benchmark articles share one
event time: nothing expires).

``renamed_copy`` turns a computed state into the state of as many more articles with other keys
(source offsets moved on, content keys and story ids given a suffix that keeps their owning
partition), with the very same value sizes: how the benchmark reaches a million articles
without computing them (documented as such in its results).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from streamproc.config import Settings
from streamproc.join.collector import Collector, Publication
from streamproc.join.messages import ArticlePart, Part, ProbesMessage, StoryAssignment
from streamproc.join.owner import KeyOwner, group_by_owner, partition_of_key
from streamproc.join.source_key import reply_partition
from streamproc.pipeline import Ingested
from streamproc.stories.desk import StoryEvent
from streamproc.stories.desk import handle as handle_story_event
from streamproc.stories.sweep import OPEN_COUNT_KEY, StorySweeper

TABLE_NAMES = ("dedup-keys", "pending", "published", "stories")


class PartitionedTable(MutableMapping[str, Any]):
    """A table as one worker's memory store sees it: one dict of values, each key remembered with
    the partition of the event that last wrote it (its changelog partition)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.data: dict[str, Any] = {}
        self.partition_of: dict[str, int] = {}
        self.current = 0  # the partition of the event being processed

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.data[key] = value
        self.partition_of[key] = self.current

    def __delitem__(self, key: str) -> None:
        del self.data[key]
        del self.partition_of[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


@dataclass
class SeedState:
    """The worker's four tables after the batches given to ``add_batch``."""

    settings: Settings
    tables: dict[str, PartitionedTable] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.tables = {name: PartitionedTable(name) for name in TABLE_NAMES}
        self.partitions = self.settings.kafka.partitions
        self.owner = KeyOwner(self.settings, self.tables["dedup-keys"])
        self.collector = Collector(self.settings, self.tables["pending"], self.tables["published"])
        self.story_sweeper = StorySweeper(self.settings, None, partition_of_key)

    def _at(self, partition: int) -> None:
        for table in self.tables.values():
            table.current = partition

    def add_batch(self, items: list[Ingested]) -> list[Publication]:
        """One batch of the worker's ingest, through the stateful path; its publications."""
        parts: list[tuple[int, Part]] = [
            (reply_partition(item.pending.source_key), ArticlePart(item.pending)) for item in items
        ]
        probes = [probe for item in items for probe in item.probes]
        for owner, owned in group_by_owner(probes, self.partitions).items():
            self._at(owner)
            for partition, replies in self.owner.handle(owner, ProbesMessage(owned)):
                parts.extend((partition, part) for part in replies.parts())
        resolved: list[Publication] = []
        for partition, part in parts:
            self._at(partition)
            publication = self.collector.take(partition, part)
            if publication is not None:
                resolved.append(publication)
                # finalize: assignments and story events go out before the record is published
                self._assign([a for a in publication.story_assignments])
                if publication.story_event is not None:
                    self._tell_stories([publication.story_event])
                self._at(partition)
                self.collector.published_out(publication)
        return resolved

    def _assign(self, assignments: list[StoryAssignment]) -> None:
        for owner, owned in group_by_owner(assignments, self.partitions).items():
            self._at(owner)
            for assignment in owned:
                self.owner.assign(assignment)

    def _tell_stories(self, events: list[StoryEvent]) -> None:
        queue = list(events)
        while queue:
            event = queue.pop(0)
            partition = partition_of_key(event.story_id, self.partitions)
            self._at(partition)
            outcome = handle_story_event(self.tables["stories"], event)
            self.story_sweeper.opened(self.tables["stories"], partition, outcome.opened)
            queue.extend(outcome.forward)


ChangelogRecord = tuple[str, int, bytes, bytes]  # table, partition, key, value


def encode_key(key: str) -> bytes:
    """A table key as Faust writes it to a changelog (JSON)."""
    return orjson.dumps(key)


def encode_value(value: Any) -> bytes:
    """A table value as Faust writes it to a changelog (JSON)."""
    return orjson.dumps(value)


def changelog_records(tables: dict[str, PartitionedTable]) -> Iterator[ChangelogRecord]:
    """Each key's newest value: the compacted changelogs of ``tables``."""
    for name, table in tables.items():
        for key, value in table.data.items():
            yield name, table.partition_of[key], encode_key(key), encode_value(value)


# A story id (``new_story_id``) anywhere in a key or value.
_STORY_ID = rb"s-[0-9a-f]{16}"


@dataclass
class Renamer:
    """The strings of one renamed copy, on the encoded records: source keys ``<topic>/p/o`` ->
    ``<topic>/p/o + shift``; content keys and story ids get ``~<copy>.<salt>``, the salt chosen so
    that ``partition_of_key`` still gives the partition they are written at (their owner's)."""

    topic: str
    copy: int
    shift: int
    partitions: int
    renamed: dict[bytes, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        source = re.escape(self.topic.encode()) + rb"/(\d+)/(\d+)"
        self.pattern = re.compile(source + b"|" + _STORY_ID)

    def name(self, text: bytes) -> bytes:
        done = self.renamed.get(text)
        if done is not None:
            return done
        plain = text.decode()
        target, salt = partition_of_key(plain, self.partitions), 0
        while partition_of_key(candidate := f"{plain}~{self.copy}.{salt}", self.partitions) != target:
            salt += 1
        self.renamed[text] = candidate.encode()
        return self.renamed[text]

    def _one(self, match: re.Match[bytes]) -> bytes:
        if match[1] is None:
            return self.name(match[0])
        return b"%s/%s/%d" % (self.topic.encode(), match[1], int(match[2]) + self.shift)

    def ids(self, data: bytes) -> bytes:
        """``data`` with its source keys and story ids renamed."""
        return self.pattern.sub(self._one, data)

    def key(self, table: str, key: bytes) -> bytes:
        """A table key renamed: a content key (``dedup-keys``, not a profile or a record) as a
        whole, the ids in any other."""
        text = key[1:-1]  # a JSON string without escapes (keys are ASCII names and ids)
        if table == "dedup-keys" and not text.startswith((b"sg:", b"sp:")):
            content, profile, rest = text.partition(b"#p:")
            return b'"' + self.name(content) + profile + self.ids(rest) + b'"'
        return b'"' + self.ids(text) + b'"'

    def value(self, table: str, key: bytes, value: bytes) -> bytes:
        """A table value renamed: its ids, and a story record's story keys as content keys."""
        if table != "dedup-keys" or not key.startswith(b'"sp:'):
            return self.ids(value)
        article_id, event_time, keys, profile = orjson.loads(value)
        named = [self.name(name.encode()).decode() for name in keys]
        return self.ids(orjson.dumps([article_id, event_time, named, profile]))


def renamed_copy(
    records: Iterable[ChangelogRecord], topic: str, shift: int, copy: int, partitions: int
) -> Iterator[ChangelogRecord]:
    """``records`` as the state of other articles: every source key of ``topic`` moved on by
    ``shift`` offsets, content keys and story ids renamed for copy number ``copy`` (article ids
    and the names inside values are kept)."""
    renamer = Renamer(topic, copy, shift, partitions)
    count_key = orjson.dumps(OPEN_COUNT_KEY)[:-1]  # a partition's count of current stories
    for table, partition, key, value in records:
        if table == "stories" and key.startswith(count_key):
            # Copies 1..copy add as many current stories: the newest record (this copy's) counts them all.
            yield table, partition, key, orjson.dumps({"open": orjson.loads(value)["open"] * (copy + 1)})
            continue
        yield table, partition, renamer.key(table, key), renamer.value(table, key, value)
