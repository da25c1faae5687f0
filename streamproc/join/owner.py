"""The key owner: the partition that owns a content key stores its entries and answers probes for it.

It answers each probe with the entries stored before it (``dedup.probe``: a replayed probe gets
the same answer as the first time), records story assignments, and sweeps expired entries from
the keys it owns.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, MutableMapping, Sequence
from functools import lru_cache
from itertools import islice
from typing import Any, TypeVar

from aiokafka.partitioner import murmur2

from streamproc.config import DedupSettings, Settings
from streamproc.dedup import KeyEntry, evict, key_horizon_s, key_kind, key_max_entries, probe, set_story
from streamproc.dedup.index import entries_from_json, entries_to_json
from streamproc.dedup.probes import DAY_S, key_identity
from streamproc.enrich.aliases import answered_alias_entries
from streamproc.join.decoded import DecodedEntries
from streamproc.join.messages import (
    AssignMessage,
    Probe,
    ProbesTopicMessage,
    RepliesMessage,
    StoryAssignment,
    replies_messages,
)
from streamproc.join.pending import ProbeReply
from streamproc.join.postings import (
    is_record_key,
    record_partition,
    store_postings,
    with_records,
)
from streamproc.join.source_key import reply_partition
from streamproc.join.story_records import (
    assign_story,
    is_profile_key,
    is_story_record_key,
    store_story_entries,
    story_record_partition,
    with_story_records,
)
from streamproc.join.sweep_rounds import SweepRound, assignment_epoch, keys_to_sweep
from streamproc.join.values import RememberedValues
from streamproc.metrics import Metrics

log = logging.getLogger("streamproc.worker")


@lru_cache(maxsize=100_000)
def partition_of_key(key: str, partitions: int) -> int:
    """The partition Kafka's default partitioner gives ``key`` (where its probes and table entry live).
    Remembered: murmur2 in Python, asked for each probe's key several times along the join."""
    hashed: int = murmur2(key.encode())
    return (hashed & 0x7FFFFFFF) % partitions


_Keyed = TypeVar("_Keyed", Probe, StoryAssignment)


def group_by_owner(items: list[_Keyed], partitions: int) -> dict[int, list[_Keyed]]:
    """Items by the partition that owns their key (as the default partitioner would route them)."""
    grouped: dict[int, list[_Keyed]] = {}
    for item in items:
        grouped.setdefault(partition_of_key(item.key, partitions), []).append(item)
    return grouped


def answer_probe(
    stored: list[KeyEntry], request: Probe, settings: DedupSettings
) -> tuple[list[KeyEntry], ProbeReply]:
    """What the owner of ``request.key`` does: the key's new entries, and the reply to send."""
    outcome = probe(
        stored,
        request.entry,
        horizon_s=key_horizon_s(request.key, settings),
        now_event_time=request.entry.event_time,
        max_entries=key_max_entries(request.key, settings),
        identity=key_identity(request.key),
    )
    earlier = outcome.earlier
    if key_kind(request.key) == "alias":  # only what the collector reads (``answered_alias_entries``)
        earlier = answered_alias_entries(earlier)
    return outcome.stored, ProbeReply(request.key, earlier)


def apply_story_assignment(stored: list[KeyEntry], assignment: StoryAssignment) -> list[KeyEntry]:
    return set_story(stored, source_key=assignment.source_key, story_id=assignment.story_id)


def stored_entries(
    table: MutableMapping[str, Any], key: str, value: Sequence[Any] | None, partition: int
) -> tuple[list[Any], set[str]]:
    """A key's stored entries (JSON) as the probe sees them: a story key's with their profiles, a
    band key's postings with their records (``postings``); and the values they were read from."""
    kind = key_kind(key)
    if kind == "story":
        return with_story_records(table, key, value, partition)
    if kind == "band":
        return with_records(table, value, partition)
    return list(value or ()), set()


def store_entries(
    table: MutableMapping[str, Any], key: str, entries: Sequence[KeyEntry], held: set[str], partition: int = 0
) -> None:
    """Write a key's entries; on a story key, postings and their records (``story_records``), on
    a band key, postings and their records on ``partition`` (``postings``). ``held``: the values
    read with the list."""
    kind = key_kind(key)
    if kind == "band":
        store_postings(table, key, entries, partition, held)
    elif kind == "story":
        store_story_entries(table, key, entries, held, partition)
    else:
        table[key] = entries_to_json(entries)


class StateSweeper:
    """Evicts dedup/story entries past their horizon, including keys nobody probes again.

    ``probe`` evicts lazily on the keys it touches, but most band keys are written once and never
    read again. Every ``dedup.sweep_interval_s`` (from the end of the previous round) the owner of
    a partition starts a round over the keys it owns and drops expired entries (and empty keys),
    ``dedup.sweep_slice_keys`` keys at each event of the partition (``sweep_rounds``). "Now" is
    the newest event time seen on that partition when the round started, so the horizon is in
    event time, and replaying old data does not wipe the state.
    """

    table_name = "dedup-keys"

    def __init__(
        self, settings: Settings, metrics: Metrics | None, partition_of_key: Callable[[str, int], int]
    ) -> None:
        self.settings = settings
        self.metrics = metrics
        self.partition_of_key = partition_of_key
        self.watermarks: dict[int, float] = {}
        self.last_sweep: dict[int, float] = {}
        self.rounds: dict[int, SweepRound] = {}
        self.last_evicted: dict[int, int] = {}  # per partition, by its last round finished

    def observe(self, partition: int, event_time: float) -> None:
        self.watermarks[partition] = max(event_time, self.watermarks.get(partition, event_time))

    def maybe_sweep(self, table: MutableMapping[str, Any], partition: int) -> int:
        """At an event of ``partition``: one slice of its round, if one is under way or due."""
        sweep = self.rounds.get(partition)
        if sweep is not None and sweep.epoch != assignment_epoch(table):
            del self.rounds[partition]  # begun before a rebalance: its keys and tally are stale
            sweep = None
        if sweep is None:
            now = time.monotonic()
            last = self.last_sweep.setdefault(partition, now)
            if now - last < self.settings.dedup.sweep_interval_s:
                return 0
            sweep = self.start_round(table, partition)
            if sweep is None:
                return 0
        return self.sweep_slice(table, partition, sweep)

    def sweep(self, table: MutableMapping[str, Any], partition: int) -> int:
        """A whole round at once (the seed, tests): what a round of slices evicts."""
        sweep = self.start_round(table, partition)
        while sweep is not None and self.rounds.get(partition) is sweep:
            self.sweep_slice(table, partition, sweep)
        return 0 if sweep is None else sweep.evicted

    def start_round(self, table: MutableMapping[str, Any], partition: int) -> SweepRound | None:
        watermark = self.watermarks.get(partition)
        if watermark is None:
            return None
        keys = keys_to_sweep(table, partition, lambda key: self.owned(key, partition))
        self.rounds[partition] = SweepRound(watermark, keys, epoch=assignment_epoch(table))
        return self.rounds[partition]

    def sweep_slice(self, table: MutableMapping[str, Any], partition: int, sweep: SweepRound) -> int:
        """Visit the round's next keys (a slice); the entries evicted. Ends the round when done."""
        started = time.perf_counter()
        limit = self.settings.dedup.sweep_slice_keys
        visited = evicted = 0
        for key in islice(sweep.keys, limit):
            visited += 1
            evicted += self.visit(table, partition, key, sweep)
        sweep.visited += visited
        sweep.evicted += evicted
        if visited < limit:
            self._finish(table, partition, sweep)
        if self.metrics is not None:
            self.metrics.observe_sweep_slice(self.table_name, visited, evicted, time.perf_counter() - started)
        return evicted

    def _finish(self, table: MutableMapping[str, Any], partition: int, sweep: SweepRound) -> None:
        del self.rounds[partition]
        self.last_sweep[partition] = time.monotonic()
        self.last_evicted[partition] = sweep.evicted
        self.finished(table, partition, sweep)
        extra = {"table": self.table_name, "partition": partition, "visited": sweep.visited}
        log.info("state sweep", extra={**extra, "evicted": sweep.evicted})

    def finished(self, table: MutableMapping[str, Any], partition: int, sweep: SweepRound) -> None:
        """What a subclass does once a round has visited every key."""

    def owned(self, key: str, partition: int) -> bool:
        """Whether ``partition`` sweeps ``key`` (for tables that keep no keys per partition)."""
        if is_record_key(key):
            return record_partition(key) == partition
        if is_story_record_key(key):
            return story_record_partition(key) == partition
        partitions = self.settings.kafka.partitions
        return not is_profile_key(key) and self.partition_of_key(key, partitions) == partition

    def visit(self, table: MutableMapping[str, Any], partition: int, key: str, sweep: SweepRound) -> int:
        """Evict the expired entries of one key; how many. Story records go with their keys' entries."""
        if is_record_key(key) or is_story_record_key(key):
            self._sweep_record(table, partition, key, sweep.watermark)
            return 0
        current = None if is_profile_key(key) else table.get(key)
        if not current:
            return 0
        value, held = stored_entries(table, key, current, partition)
        entries = entries_from_json(value)
        live = evict(entries, cutoff=sweep.watermark - key_horizon_s(key, self.settings.dedup))
        # A band posting whose record was swept first is evicted with it.
        count = len(current)
        if len(live) == count:
            return 0
        if live or key_kind(key) == "story":  # a story key's records are released with it
            store_entries(table, key, live, held, partition)
        else:
            del table[key]
        return count - len(live)

    def _sweep_record(
        self, table: MutableMapping[str, Any], partition: int, key: str, watermark: float
    ) -> None:
        """Drop a band record of ``partition`` past the dedup horizon (its postings go with it; an
        article's band entries all share its event time, so they expire together); a story record
        past the story horizon (its keys release it first, when their sweep comes first)."""
        dedup = self.settings.dedup
        story = is_story_record_key(key)
        mine = story_record_partition(key) if story else record_partition(key)
        days = dedup.story_horizon_days if story else dedup.horizon_days
        value = table.get(key)
        if mine == partition and value is not None and float(value[1]) < watermark - days * DAY_S:
            del table[key]


def is_remembered(key: str) -> bool:
    """A value the owner reads at every probe of the keys naming it, changed only through it."""
    return is_profile_key(key) or is_record_key(key) or is_story_record_key(key)


class KeyOwner:
    """The owner's side of the join over a key -> entries table (the worker's ``dedup-keys``)."""

    def __init__(self, settings: Settings, table: MutableMapping[str, Any], metrics: Metrics | None = None):
        self.settings = settings
        # Records (and older profiles) are read at every probe of the keys naming them: remembered.
        self.table = RememberedValues(table, is_remembered)
        self.metrics = metrics
        self.sweeper = StateSweeper(settings, metrics, partition_of_key)
        self.decoded = DecodedEntries()  # the same entries are decoded at every probe of their keys

    def handle(self, partition: int, message: ProbesTopicMessage) -> list[tuple[int, RepliesMessage]]:
        """Apply one message of the probes topic; the answers to send, by the askers' partition."""
        if isinstance(message, AssignMessage):
            for assignment in message.assignments:
                self.assign(assignment)
            return []
        replies: list[tuple[str, ProbeReply]] = []
        for request in message.probes:
            self.sweeper.observe(partition, request.entry.event_time)
            replies.append((request.reply_to, self.answer(request)))
        # Answers for the inputs of one source partition travel together.
        return replies_messages(replies, reply_partition)

    def answer(self, request: Probe) -> ProbeReply:
        """Store the probe's entry; the entries stored before it."""
        key = request.key
        try:
            partition = partition_of_key(key, self.settings.kafka.partitions)
            value, held = stored_entries(self.table, key, self.table.get(key), partition)
            stored, reply = answer_probe(self.decoded.decode(value), request, self.settings.dedup)
        except Exception:
            # A bug or a corrupt table value: answer "nothing seen" so the input still completes
            # (as unique) rather than stall the join, and say so loudly.
            self._failed(key)
            return ProbeReply(key, [])
        store_entries(self.table, key, stored, held, partition)
        return reply

    def assign(self, assignment: StoryAssignment) -> None:
        # On the stored list as it is: the records, in their own values, do not change.
        try:
            value = self.table.get(assignment.key)
            self.table[assignment.key] = assign_story(value, assignment.source_key, assignment.story_id)
        except Exception:
            self._failed(assignment.key)

    def maybe_sweep(self, partition: int) -> int:
        return self.sweeper.maybe_sweep(self.table, partition)

    def _failed(self, key: str) -> None:
        log.exception("probe failed", extra={"key": key})
        if self.metrics is not None:
            self.metrics.internal_errors.labels(agent="answer").inc()
