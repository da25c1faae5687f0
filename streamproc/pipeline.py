"""The per-message pipeline shared by the worker and the offline ``process`` command.

``Ingestor``: raw bytes -> parse -> (enrichment results) -> the pending article and its probes, or a
dead letter; the join (``streamproc.join``) turns those into the published record.
``OfflineRunner`` runs both in-process, in input order, for ``streamproc process``.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

import orjson

from streamproc.config import Settings
from streamproc.dedup import hasher_for, probe_keys
from streamproc.enrich.aliases import alias_entries
from streamproc.enrich.pipeline import EnrichResult
from streamproc.errors import EnrichError, ErrorCode, ParseError
from streamproc.join import OfflineJoin
from streamproc.join.messages import Probe
from streamproc.join.pending import Pending
from streamproc.join.source_key import SourceKey
from streamproc.metrics import Metrics
from streamproc.models import (
    Article,
    DeadLetter,
    EnrichedArticle,
    ErrorInfo,
    Output,
    RawMessage,
    SourceOffset,
    dumps,
)
from streamproc.parse import parse_raw
from streamproc.stories.desk import fold as fold_story_event

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
    where = raw.source_offset
    if where is not None:
        return str(SourceKey.at(where.topic, where.partition, where.offset))
    return str(SourceKey.of_payload(raw.payload))


def arrival_time(raw: RawMessage) -> float:
    """The dedup clock: when the message entered Kafka (its timestamp), else when we received it.

    Not ``published_at``: publication dates of a mixed feed (an undated copy stamped today beside a
    dated original from last year) would let one article evict everybody's entries, and they are
    not monotonic. A replayed message keeps its Kafka timestamp, so its verdict does not change.
    """
    return (raw.timestamp or raw.received_at).timestamp()


def dead_letter(
    raw: RawMessage, code: ErrorCode, message: str, stage: str, keep_bytes: int | None = None
) -> DeadLetter:
    """The dead letter of ``raw``. A payload over ``keep_bytes`` (the input limit: a topic made by
    another tool, or another producer, can let a larger one in) keeps only its first ``keep_bytes``
    in the letter, which says so: the whole one, base64'd, would not fit any topic of the app, and
    a worker that cannot write the letter stops on the same input at every restart."""
    letter = DeadLetter.from_raw(raw, code=code.value, message=message, stage=stage, key=source_key_of(raw))
    if keep_bytes is not None and len(raw.payload) > keep_bytes:
        letter.payload_b64 = base64.b64encode(raw.payload[:keep_bytes]).decode("ascii")
        letter.error = ErrorInfo(
            code=code.value,
            message=f"{message}; payload_b64 holds its first {keep_bytes} bytes only (the input limit), "
            f"the whole message is at {source_key_of(raw)}",
        )
    return letter


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
                keep = self.settings.input_message_limit
                out.append(dead_letter(raw, exc.code, exc.message, "parse", keep_bytes=keep))
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
            out.append(self.ingested(record, raw))
        for done in out:
            if isinstance(done, DeadLetter):
                self._count_dead(done, metrics)
        return out

    def ingested(self, record: EnrichedArticle, raw: RawMessage) -> Ingested:
        """The pending article and its probes, on the worker's dedup clock (``arrival_time``)."""
        source_key = source_key_of(raw)
        keys = probe_keys(record, self.settings.dedup, self.hasher)
        event_time = arrival_time(raw)
        entries = keys.entries(article_id=record.id, source_key=source_key, event_time=event_time)
        # Learned aliases: looked up and taught through the same join (enrich/aliases.py).
        aliases = alias_entries(
            record.entities, article_id=record.id, source_key=source_key, event_time=event_time
        )
        keys = replace(keys, alias_keys=list(aliases))
        entries.update(aliases)
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


class OfflineRunner:
    """``streamproc process``: the worker's dataflow in-process, with dicts for tables, in input order."""

    def __init__(self, settings: Settings, enricher: Enricher, *, with_stories: bool = False) -> None:
        self.settings = settings
        self.enricher = enricher
        self.ingestor = Ingestor(settings)
        self.join = OfflineJoin(settings)
        # With stories, each article's output is followed by the news.stories records it changed.
        self.stories: dict[str, Any] | None = {} if with_stories else None

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
            publication = self.join.join(item.pending, item.probes)
            yield Output(publication.role, publication.key, publication.record)
            if self.stories is not None and publication.story_event is not None:
                for record in fold_story_event(self.stories, publication.story_event).records:
                    yield Output("stories", record.id, record)
