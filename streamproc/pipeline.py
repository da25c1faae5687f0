"""The per-message pipeline shared by the worker and the offline ``process`` command.

``Ingestor``: raw bytes -> parse -> (enrichment results) -> the pending article and its probes, or a
dead letter. ``Finalizer``: pending article + probe replies -> the published record.
``OfflineRunner`` runs both with dict-backed state, in input order, for ``streamproc process``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import orjson

from streamproc.config import Settings
from streamproc.dedup import KeyEntry, evict, hasher_for, key_horizon_s, probe_keys
from streamproc.dedup.index import entries_from_json, entries_to_json
from streamproc.enrich.aliases import AliasMemory
from streamproc.enrich.pipeline import EnrichResult
from streamproc.errors import EnrichError, ErrorCode, ParseError
from streamproc.metrics import Metrics
from streamproc.models import (
    Article,
    DeadLetter,
    EnrichedArticle,
    Output,
    RawMessage,
    SourceOffset,
    TopicRole,
    dumps,
)
from streamproc.parse import parse_raw
from streamproc.topology import (
    Pending,
    Probe,
    StoryAssignment,
    answer_probe,
    apply_story_assignment,
    resolve_pending,
)

log = logging.getLogger("streamproc.pipeline")


class Enricher(Protocol):
    def enrich_sync(self, articles: Sequence[Article]) -> list[EnrichResult]: ...


def raw_message(event: Any) -> RawMessage:
    """A Faust event as a RawMessage (bytes untouched, provenance kept)."""
    message = event.message
    headers = message.headers or {}
    if not isinstance(headers, dict):
        headers = {k: v for k, v in headers}
    return RawMessage(
        payload=message.value if isinstance(message.value, bytes) else bytes(message.value or b""),
        received_at=datetime.now(UTC),
        source_offset=SourceOffset(message.topic, message.partition, message.offset),
        timestamp=datetime.fromtimestamp(message.timestamp, UTC) if message.timestamp else None,
        headers={str(k): bytes(v or b"") for k, v in headers.items()},
        key=message.key,
    )


def source_key_of(raw: RawMessage) -> str:
    if raw.source_offset is not None:
        return raw.source_offset.key
    # Offline input without a Kafka position: a content address keeps the key stable.
    return "payload/0/" + hashlib.blake2b(raw.payload, digest_size=8).hexdigest()


def reply_partition(source_key: str) -> int:
    """Answers for a message go to the partition it was read from (so its owner collects them)."""
    return int(source_key.rsplit("/", 2)[1])


def forget_key(source_key: str, distance: int) -> str | None:
    topic, partition, offset = source_key.rsplit("/", 2)
    older = int(offset) - distance
    return f"{topic}/{partition}/{older}" if older >= 0 else None


def arrival_time(raw: RawMessage) -> float:
    """The dedup clock: when the message entered Kafka (its timestamp), else when we received it.

    Not ``published_at``: publication dates of a mixed feed (an undated copy stamped today beside a
    dated original from last year) would let one article evict everybody's entries, and they are
    not monotonic. A replayed message keeps its Kafka timestamp, so its verdict does not change.
    """
    return (raw.timestamp or raw.received_at).timestamp()


def dead_letter(raw: RawMessage, code: ErrorCode, message: str, stage: str) -> DeadLetter:
    return DeadLetter.from_raw(raw, code=code.value, message=message, stage=stage, key=source_key_of(raw))


@dataclass(frozen=True, slots=True)
class Ingested:
    """An enriched article waiting for its dedup/story answers, and the probes that ask for them."""

    pending: Pending
    probes: list[Probe]


class Ingestor:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.hasher = hasher_for(settings.dedup)

    def parse_all(
        self, raws: Sequence[RawMessage], metrics: Metrics | None = None
    ) -> list[Article | DeadLetter]:
        out: list[Article | DeadLetter] = []
        for raw in raws:
            started = time.perf_counter()
            try:
                out.append(parse_raw(raw, self.settings.parse))
            except ParseError as exc:
                out.append(dead_letter(raw, exc.code, exc.message, "parse"))
            except Exception as exc:  # a parser bug must not lose the message or stop the worker
                log.exception("parser bug", extra={"source_key": source_key_of(raw)})
                out.append(dead_letter(raw, ErrorCode.INTERNAL, f"{type(exc).__name__}: {exc}", "parse"))
            if metrics is not None:
                metrics.stage_duration.labels(stage="parse").observe(time.perf_counter() - started)
        return out

    def assemble(
        self,
        raws: Sequence[RawMessage],
        parsed: Sequence[Article | DeadLetter],
        enriched: Sequence[EnrichResult],
        metrics: Metrics | None = None,
    ) -> list[DeadLetter | Ingested]:
        """Join parse and enrichment results back in input order."""
        results = iter(enriched)
        out: list[DeadLetter | Ingested] = []
        for raw, item in zip(raws, parsed, strict=True):
            if isinstance(item, DeadLetter):
                out.append(item)
                continue
            result = next(results)
            if isinstance(result, Exception):
                message = result.message if isinstance(result, EnrichError) else str(result)
                out.append(dead_letter(raw, ErrorCode.ENRICH_FAILED, message, "enrich"))
                continue
            entities, dates, enrichment = result
            record = EnrichedArticle.from_article(
                item,
                entities=entities,
                dates=dates,
                enrichment=enrichment,
                ingested_at=raw.received_at,
                source_offset=raw.source_offset,
            )
            if metrics is not None:
                metrics.entities_per_article.observe(len(entities))
            out.append(self._ingested(record, raw))
        for done in out:
            if isinstance(done, DeadLetter):
                self._count_dead(done, metrics)
        return out

    def _ingested(self, record: EnrichedArticle, raw: RawMessage) -> Ingested:
        source_key = source_key_of(raw)
        keys = probe_keys(record, self.settings.dedup, self.hasher)
        event_time = arrival_time(raw)
        entries = keys.entries(article_id=record.id, source_key=source_key, event_time=event_time)
        pending = Pending(
            source_key=source_key,
            record=orjson.loads(dumps(record)),
            keys=keys,
            event_time=event_time,
            raw_timestamp=raw.timestamp.timestamp() if raw.timestamp else None,
        )
        return Ingested(pending, [Probe(key, entry, source_key) for key, entry in entries.items()])

    @staticmethod
    def _count_dead(item: DeadLetter, metrics: Metrics | None) -> None:
        log.warning(
            "dead letter",
            extra={
                "code": item.error.code,
                "stage": item.stage,
                "source_key": item.key,
                "reason": item.error.message,
            },
        )
        if metrics is not None:
            metrics.dlq.labels(code=item.error.code, stage=item.stage).inc()

    def start_batch(
        self, raws: Sequence[RawMessage], pool: AsyncEnricher, metrics: Metrics | None = None
    ) -> BatchInFlight:
        """Parse ``raws`` now and start their enrichment; ``finish_batch`` collects the results.

        The worker starts the next batches before it sends this one, so the NER processes always
        have queued work instead of idling while the event loop sends and acks.
        """
        parsed = self.parse_all(raws, metrics)
        articles = [p for p in parsed if isinstance(p, Article)]
        enriching = asyncio.ensure_future(enrich_isolating_failures(pool, articles))
        return BatchInFlight(list(raws), parsed, enriching)

    async def finish_batch(
        self, batch: BatchInFlight, metrics: Metrics | None = None
    ) -> list[DeadLetter | Ingested]:
        """One item per raw message of the batch, in input order."""
        return self.assemble(batch.raws, batch.parsed, await batch.enriching, metrics)

    async def process_batch(
        self, raws: Sequence[RawMessage], pool: AsyncEnricher, metrics: Metrics | None = None
    ) -> list[DeadLetter | Ingested]:
        return await self.finish_batch(self.start_batch(raws, pool, metrics), metrics)


@dataclass(frozen=True, slots=True)
class BatchInFlight:
    """A parsed batch whose enrichment runs (or waits) in the pool."""

    raws: list[RawMessage]
    parsed: list[Article | DeadLetter]
    enriching: asyncio.Future[list[EnrichResult]]

    def cancel(self) -> None:
        self.enriching.cancel()


_T = TypeVar("_T")


async def take_batch(queue: asyncio.Queue[_T], max_items: int, within_s: float) -> list[_T]:
    """Wait for one item, then take more until ``max_items`` or ``within_s`` after the first."""
    batch = [await queue.get()]
    deadline = asyncio.get_running_loop().time() + within_s
    while len(batch) < max_items:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            break
        try:
            batch.append(await asyncio.wait_for(queue.get(), remaining))
        except TimeoutError:
            break
    return batch


class AsyncEnricher(Protocol):
    async def enrich(self, articles: Sequence[Article]) -> list[EnrichResult]: ...


async def enrich_isolating_failures(pool: AsyncEnricher, articles: Sequence[Article]) -> list[EnrichResult]:
    """Enrich a batch; if the whole batch fails (e.g. a worker process died), retry it once, then
    article by article, so one poisonous article is dead-lettered alone and the rest go through."""
    if not articles:
        return []
    for _attempt in range(2):
        try:
            return await pool.enrich(articles)
        except EnrichError as exc:
            log.warning(
                "enrichment batch failed, retrying", extra={"articles": len(articles), "reason": str(exc)}
            )
    results: list[EnrichResult] = []
    for article in articles:
        try:
            results.extend(await pool.enrich([article]))
        except EnrichError as exc:
            results.append(exc)
    return results


@dataclass(frozen=True, slots=True)
class Finished:
    role: TopicRole
    record: dict[str, Any]
    story_assignments: list[StoryAssignment]


class Finalizer:
    """Turns a complete pending article into its output record."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def finish(self, pending: Pending, metrics: Metrics | None = None) -> Finished:
        started = time.perf_counter()
        resolution = resolve_pending(pending, self.settings.dedup)
        assert pending.record is not None
        record = dict(pending.record)
        record["dedup"] = orjson.loads(dumps(resolution.dedup))
        record["story_id"] = resolution.story_id
        record["processed_at"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        role: TopicRole = "enriched" if resolution.dedup.status == "unique" else "duplicates"
        if metrics is not None:
            if resolution.dedup.status != "unique":
                metrics.duplicates.labels(kind=resolution.dedup.status.removesuffix("_duplicate")).inc()
            if resolution.new_story:
                metrics.stories_created.inc()
            metrics.stage_duration.labels(stage="dedup").observe(time.perf_counter() - started)
        return Finished(role, record, resolution.assignments)


def internal_dead_letter(source_key: str, message: bytes, exc: Exception) -> DeadLetter:
    """A dead letter for a message the join could not handle (a bug). It carries the internal
    message; the original raw bytes stay in the input topic at ``source_offset``."""
    topic, partition, offset = source_key.rsplit("/", 2)
    raw = RawMessage(
        payload=message,
        received_at=datetime.now(UTC),
        source_offset=SourceOffset(topic, int(partition), int(offset)) if offset.isdigit() else None,
    )
    return DeadLetter.from_raw(
        raw,
        code=ErrorCode.INTERNAL.value,
        message=f"{type(exc).__name__}: {exc}",
        stage="dedup",
        key=source_key,
    )


class StateSweeper:
    """Evicts dedup/story entries past their horizon, including keys nobody probes again.

    ``probe`` evicts lazily on the keys it touches, but most band keys are written once and never
    read again. Every ``dedup.sweep_interval_s`` the owner of a partition scans the keys it owns
    and drops expired entries (and empty keys). "Now" is the newest event time seen on that
    partition, so the horizon is in event time, and replaying old data does not wipe the state.
    """

    def __init__(
        self, settings: Settings, metrics: Metrics | None, partition_of_key: Callable[[str, int], int]
    ) -> None:
        self.settings = settings
        self.metrics = metrics
        self.partition_of_key = partition_of_key
        self.watermarks: dict[int, float] = {}
        self.last_sweep: dict[int, float] = {}

    def observe(self, partition: int, event_time: float) -> None:
        self.watermarks[partition] = max(event_time, self.watermarks.get(partition, event_time))

    def maybe_sweep(self, table: MutableMapping[str, Any], partition: int) -> int:
        now = time.monotonic()
        last = self.last_sweep.setdefault(partition, now)
        if now - last < self.settings.dedup.sweep_interval_s or partition not in self.watermarks:
            return 0
        self.last_sweep[partition] = now
        return self.sweep(table, partition)

    def sweep(self, table: MutableMapping[str, Any], partition: int) -> int:
        watermark = self.watermarks.get(partition)
        if watermark is None:
            return 0
        partitions = self.settings.kafka.partitions
        evicted = 0
        for key in [k for k in table if self.partition_of_key(k, partitions) == partition]:
            entries = entries_from_json(table[key])
            live = evict(entries, cutoff=watermark - key_horizon_s(key, self.settings.dedup))
            if len(live) == len(entries):
                continue
            evicted += len(entries) - len(live)
            if live:
                table[key] = entries_to_json(live)
            else:
                del table[key]
        if self.metrics is not None and evicted:
            self.metrics.state_entries_evicted.inc(evicted)
        log.info("state sweep", extra={"partition": partition, "evicted": evicted})
        return evicted


class OfflineRunner:
    """``streamproc process``: the worker's dataflow in-process, with dicts for tables, in input order."""

    def __init__(self, settings: Settings, enricher: Enricher) -> None:
        self.settings = settings
        self.enricher = enricher
        self.ingestor = Ingestor(settings)
        self.finalizer = Finalizer(settings)
        self.keys: dict[str, list[KeyEntry]] = {}
        self.aliases = AliasMemory()  # learned aliases across articles, in input order (enrich/aliases.py)

    def run(self, raws: Iterable[RawMessage], batch_size: int = 32) -> Iterator[Output]:
        batch: list[RawMessage] = []
        for raw in raws:
            batch.append(raw)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, raws: list[RawMessage]) -> Iterator[Output]:
        parsed = self.ingestor.parse_all(raws)
        articles = [p for p in parsed if isinstance(p, Article)]
        enriched = self.enricher.enrich_sync(articles) if articles else []
        for item in self.ingestor.assemble(raws, parsed, enriched):
            if isinstance(item, DeadLetter):
                yield Output("dlq", item.key, item)
                continue
            pending = item.pending
            if pending.record is not None:  # learned aliases rename entities (enrich/aliases.py)
                pending.record["entities"] = self.aliases.resolve_json(
                    pending.record["entities"], pending.record["id"]
                )
            for probe in item.probes:
                stored, reply = answer_probe(self.keys.get(probe.key, []), probe, self.settings.dedup)
                self.keys[probe.key] = stored
                pending.replies[reply.key] = reply
            finished = self.finalizer.finish(pending)
            for assignment in finished.story_assignments:
                stored = self.keys.get(assignment.key, [])
                self.keys[assignment.key] = apply_story_assignment(stored, assignment)
            yield Output(finished.role, finished.record["id"], finished.record)
