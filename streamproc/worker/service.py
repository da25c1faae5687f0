"""The worker: Faust agents, tasks, timers and pages, one method each, around the join and the pool.

Dataflow (see README "Architecture"):

    news.raw --ingest (batched parse + enrich in a process pool)--> <app>-probes   (keyed by content key)
                                                               \\-> <app>-replies  (keyed by source key)
    <app>-probes  --answer (KeyOwner; table dedup-keys)--> <app>-replies
    <app>-replies --finalize (Collector; tables pending, published)
                  --> news.enriched | news.duplicates | news.dlq
                  \\-> <app>-story-events (keyed by story id)
    <app>-story-events --tell_stories (stories desk; table stories) --> news.stories
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from faust.web import Request, Response, View

from streamproc.app import Bindings
from streamproc.config import Settings
from streamproc.enrich.pool import EnrichmentPool
from streamproc.faust.dropped_records import StallWatch
from streamproc.faust.progress import NotReadyWatch, ProgressWatch, app_state
from streamproc.faust.record_order import OrderGuard, forget
from streamproc.join.collector import Collector, Publication
from streamproc.join.messages import (
    ArticlePart,
    AssignMessage,
    DeadPart,
    Probe,
    StoryAssignment,
    articles_messages,
    decode_probes_topic,
    decode_replies_topic,
    encode,
    probes_messages,
)
from streamproc.join.owner import KeyOwner, group_by_owner, partition_of_key
from streamproc.join.source_key import reply_partition
from streamproc.kafka.clients import BrokerProbe
from streamproc.kafka.reading import record_stored_at
from streamproc.kafka.replay import ReplayGuard
from streamproc.logs import ThroughputLog
from streamproc.metrics import Metrics
from streamproc.models import DeadLetter, dumps
from streamproc.parse.language import warm_up as warm_up_language
from streamproc.pipeline import BatchInFlight, Ingested, Ingestor, raw_message, take_batch
from streamproc.stories.desk import StoryEvent, decode_events, encode_events
from streamproc.stories.desk import handle as handle_story_event
from streamproc.stories.rarity import warm_up as warm_up_rarity
from streamproc.stories.sweep import StorySweeper, event_arrival
from streamproc.worker.health import Health
from streamproc.worker.outputs import Outputs
from streamproc.worker.tuning import tune_process

log = logging.getLogger("streamproc.worker")

BROKER_PROBE_INTERVAL_S = 5.0

Taken = list[tuple[Any, Any]]  # (stream, event) of the raw messages of one batch


class Worker:
    """The app plus the handles tests and the CLI need; registers its handlers on the app."""

    def __init__(self, settings: Settings, bound: Bindings, metrics: Metrics) -> None:
        self.settings = settings
        self.bound = bound
        self.app = bound.app
        self.metrics = metrics
        metrics.export_known_series(bound.plan.consumed)
        self.partitions = settings.kafka.partitions
        self.pool = EnrichmentPool(settings.enrich, on_chunk=metrics.observe_enrich_chunk)
        self.broker = BrokerProbe(settings)
        self.health = Health(self.app, metrics, bound.plan.consumed, self.broker)
        self.throughput = ThroughputLog(self.throughput_counts)
        self.ingestor = Ingestor(settings)
        self.owner = KeyOwner(settings, bound.dedup_keys, metrics)
        self.story_sweeper = StorySweeper(settings, metrics, partition_of_key)
        self.replay_guard = ReplayGuard(settings, bound.plan.outputs.values())
        self.collector = Collector(
            settings, bound.pending, bound.published, metrics, self.replay_guard.already_out
        )
        self.outputs = Outputs(
            settings, bound.outputs, [bound.published, bound.pending], self.collector, metrics
        )
        self.probes_in_order = OrderGuard()
        self.raw_in_order = OrderGuard(max_rereads=settings.worker.raw_hole_rereads)
        self.stall_watch = StallWatch(frozenset(bound.plan.consumed))
        self.progress_watch = ProgressWatch(bound.plan.consumed)
        self.not_ready_watch = NotReadyWatch()
        conf = settings.worker
        # Raw events wait here between the agent (which only buffers them, unacked) and the batch task.
        self.raw_events: asyncio.Queue[tuple[Any, Any]] = asyncio.Queue(maxsize=2 * conf.batch_size)
        # Batches being enriched, in input order, until they are sent. The feeder stays this many
        # batches ahead of the sender so the NER processes never idle while the loop sends.
        self.in_flight: asyncio.Queue[tuple[Taken, BatchInFlight]] = asyncio.Queue(
            maxsize=max(1, conf.batches_in_flight - 1)
        )
        self._published_any = False
        self._register()

    def _register(self) -> None:
        app, bound = self.app, self.bound
        app.agent(bound.raw)(self.ingest)
        app.agent(bound.probes)(self.answer)
        app.agent(bound.replies)(self.finalize)
        app.agent(bound.story_events)(self.tell_stories)
        # The NER processes start with the app, while the consumer joins and the tables recover:
        # after a restart, the first batch waits for whichever of them is slower, not for both.
        app.startup_task(self.start_enrichment)
        for task in (self.enrich_batches, self.send_batches, self.watch_event_loop):
            app.task(task)
        app.timer(interval=3.0)(self.reread_dropped_records)
        app.timer(interval=2.0)(self.measure_consumer_lag)
        app.timer(interval=5.0)(self.describe_stuck_partitions)
        app.timer(interval=BROKER_PROBE_INTERVAL_S)(self.probe_broker)
        app.timer(interval=self.settings.worker.throughput_log_s)(self.log_throughput)
        app.page("/health")(_page(self.alive))
        app.page("/ready")(_page(self.ready))

    # ------------------------------------------------------------------ agents
    async def ingest(self, stream: Any) -> None:
        # noack: an input offset is committed only once everything it produced was sent. Faust's
        # take_events() acks the whole batch when its body ends, even when a shutdown or a
        # rebalance cancelled the body halfway (the reliability suite lost messages that way).
        unacked = stream.noack()
        consumer = self.app.consumer
        async for event in unacked.events():
            where = event.message
            # Within an input partition the earlier offset is the original: a copy must never be
            # probed before an original Faust dropped and re-reads (record_order).
            if not self.raw_in_order.admit(consumer, where.tp, where.offset, where.generation_id or 0):
                forget(consumer, where)
                await self.check_raw_hole(where.tp)
                continue
            await self.raw_events.put((unacked, event))

    async def check_raw_hole(self, tp: Any) -> None:
        """A hole the input order guard re-read in vain: passed over only if the broker stores no
        record there (a real gap), else read again (record_order)."""
        hole = self.raw_in_order.unverified_hole(tp)
        if hole is not None:
            holds = await record_stored_at(self.settings, tp.topic, tp.partition, hole)
            self.raw_in_order.hole_checked(self.app.consumer, tp, hole, holds)

    async def answer(self, stream: Any) -> None:
        # noack, as ingest: a refused probe must not be acked, or the commit could pass it once
        # the missing one before it is processed, before its own second delivery is.
        unacked = stream.noack()
        async for event in unacked.events():
            where = event.message
            # An answer depends on which probes reached the key before it: never let a probe
            # overtake one Faust dropped and re-reads (the partition is read again from there).
            if not self.probes_in_order.admit(
                self.app.consumer, where.tp, where.offset, where.generation_id or 0
            ):
                forget(self.app.consumer, where)
                continue
            for partition, replies in self.owner.handle(where.partition, decode_probes_topic(event.value)):
                first_source = next(iter(replies.by_source))
                await self.bound.replies.send(
                    key=first_source.encode(), value=encode(replies), partition=partition
                )
            self.owner.maybe_sweep(where.partition)
            await unacked.ack(event)

    async def finalize(self, stream: Any) -> None:
        async for event in stream.events():
            where = event.message
            await self.replay_guard.observe(
                where.partition, where.offset, where.timestamp, where.generation_id or 0
            )
            resolved: list[Publication] = []
            for part in decode_replies_topic(event.value):
                publication = self.collector.take(where.partition, part)
                if publication is None:
                    continue
                if publication.resolved:
                    resolved.append(publication)
                else:
                    await self.publish(publication)
            # Story keys learn their stories before the records go out: a replay after the
            # publish is suppressed (marker), so it would never send them.
            await self.send_assignments([a for p in resolved for a in p.story_assignments])
            # So does the stories desk (its steps are idempotent: a replay may tell it twice).
            await self.send_story_events([p.story_event for p in resolved if p.story_event is not None])
            for publication in resolved:
                await self.publish(publication)

    async def tell_stories(self, stream: Any) -> None:
        """The stories desk: fold story events into the stories table, publish news.stories records."""
        async for event in stream.events():
            partition = event.message.partition
            for story_event in self._story_events(event.value):
                self.story_sweeper.observe(partition, event_arrival(story_event))
                try:
                    outcome = handle_story_event(self.bound.stories, story_event)
                except Exception:
                    # A bug or a corrupt table value: that story's record waits; the desk goes on.
                    log.exception("story event failed", extra={"story_id": story_event.story_id})
                    self.metrics.internal_errors.labels(agent="stories").inc()
                    continue
                for record in outcome.records:
                    await self.bound.stories_out.send(key=record.id.encode(), value=dumps(record))
                    self.metrics.story_articles.observe(record.article_count)
                self.metrics.story_merges.inc(outcome.merges)
                self.story_sweeper.opened(self.bound.stories, partition, outcome.opened)
                await self.send_story_events(outcome.forward)
            self.story_sweeper.maybe_sweep(self.bound.stories, partition)

    # ------------------------------------------------------------------ tasks
    async def start_enrichment(self) -> None:
        tune_process()
        loop = asyncio.get_running_loop()
        # The NER processes load spaCy and the model (launched ahead by the CLI, else now). Meanwhile
        # this process loads, off the loop, what the first batch would otherwise load on its way:
        # the language detector (~0.7 s of LZMA, parse) and the word frequencies of story profiles
        # (~1 s of CPU, on the first article's probes, after its NER: the end of a restart's path).
        await asyncio.gather(self.pool.start(), loop.run_in_executor(None, warm_up_first_batch))
        self.metrics.model_load_seconds.set(max((w.load_seconds for w in self.pool.workers), default=0.0))
        self.health.model_loaded.set()

    async def enrich_batches(self) -> None:
        await self.health.model_loaded.wait()  # no batch is taken before the model is loaded
        conf = self.settings.worker
        while True:
            taken = await take_batch(self.raw_events, conf.batch_size, conf.batch_within_s)
            raws = [raw_message(event) for _, event in taken]
            self.metrics.articles_received.inc(len(raws))
            self.metrics.batch_size.observe(len(raws))
            batch = self.ingestor.start_batch(raws, self.pool, self.metrics)
            try:
                await self.in_flight.put((taken, batch))
            except BaseException:
                batch.cancel()
                raise

    async def send_batches(self) -> None:
        while True:
            taken, batch = await self.in_flight.get()
            try:
                items = await self.ingestor.finish_batch(batch, self.metrics)
            except BaseException:
                batch.cancel()
                raise
            await self.send_batch(batch, items)
            # The events are acked once everything the batch produced was sent.
            for stream, event in taken:
                await stream.ack(event)

    async def watch_event_loop(self) -> None:
        await self.health.watch_event_loop()

    # ------------------------------------------------------------------ timers
    async def reread_dropped_records(self) -> None:
        # Faust can drop a fetched record without processing it (faust.dropped_records); read it again.
        if self.app.rebalancing or not self.health.tables_recovered():
            return
        try:
            stalled = self.stall_watch.check(self.app.consumer)
        except Exception:
            # An exception escaping a timer crashes the worker; this watch is a safety net.
            log.exception("stall watch failed")
            self.metrics.internal_errors.labels(agent="stall-watch").inc()
            return
        for tp, _offset in stalled:
            self.metrics.partition_rewinds.labels(topic=tp.topic).inc()

    async def describe_stuck_partitions(self) -> None:
        # Diagnostics for a partition no watch recovers (README, Reliability limits).
        try:
            ready = not self.app.rebalancing and self.health.tables_recovered()
            self.not_ready_watch.check(ready, lambda: app_state(self.app))
            self.progress_watch.check(self.app.consumer, self._partition_context)
        except Exception:
            log.exception("progress watch failed")
            self.metrics.internal_errors.labels(agent="progress-watch").inc()

    def _partition_context(self, tp: Any) -> dict[str, Any]:
        guard = self.raw_in_order if tp.topic == self.bound.plan.raw else self.probes_in_order
        return {
            **guard.state(tp),
            "rebalancing": self.app.rebalancing,
            "tables_recovered": self.health.tables_recovered(),
            "raw_events_queued": self.raw_events.qsize(),
            "batches_in_flight": self.in_flight.qsize(),
        }

    async def measure_consumer_lag(self) -> None:
        self.health.measure_lag()

    async def probe_broker(self) -> None:
        # A line when contact is lost and when it is back; /ready answers 503 in between.
        await self.broker.check()

    async def log_throughput(self) -> None:
        self.throughput.tick()

    def throughput_counts(self) -> dict[str, float]:
        return {
            "received": _counter_total(self.metrics.articles_received),
            "published": _counter_total(self.metrics.records_published),
            "dead_letters": _counter_total(self.metrics.dlq),
        }

    # ------------------------------------------------------------------ pages
    async def alive(self, view: View, request: Request) -> Response:
        return view.json({"status": "alive"})

    async def ready(self, view: View, request: Request) -> Response:
        readiness = self.health.readiness()
        return view.json(readiness, status=200 if readiness["ready"] else 503)

    # ------------------------------------------------------------------ sending
    async def send_batch(self, batch: BatchInFlight, items: list[DeadLetter | Ingested]) -> None:
        """One item per raw message, in input order (every failure became a dead letter)."""
        probes: list[Probe] = []
        articles: list[ArticlePart] = []
        for raw, item in zip(batch.raws, items, strict=True):
            if isinstance(item, DeadLetter):
                raw_ts = raw.timestamp.timestamp() if raw.timestamp else None
                await self.send_reply(item.key, encode(DeadPart(item.key, item, raw_ts)))
            else:
                articles.append(ArticlePart(item.pending))
                probes.extend(item.probes)
        # The articles too: one message per collector partition, not one per input.
        for partition, batch_articles in articles_messages(articles, reply_partition):
            await self.bound.replies.send(
                key=batch_articles.parts[0].source_key.encode(),
                value=encode(batch_articles),
                partition=partition,
            )
        # One message per owning partition for the whole batch, not per key or article: ~24
        # keys per article land on at most `partitions` owners, and each record consumed
        # costs the worker about a millisecond of Faust's machinery.
        for partition, owned in group_by_owner(probes, self.partitions).items():
            for message in probes_messages(owned):
                first_key = message.probes[0].key
                await self.bound.probes.send(
                    key=first_key.encode(), value=encode(message), partition=partition
                )

    async def send_reply(self, source_key: str, value: bytes) -> None:
        await self.bound.replies.send(
            key=source_key.encode(), value=value, partition=reply_partition(source_key)
        )

    async def send_assignments(self, assignments: list[StoryAssignment]) -> None:
        for partition, owned in group_by_owner(assignments, self.partitions).items():
            message = encode(AssignMessage(owned))
            await self.bound.probes.send(key=owned[0].key.encode(), value=message, partition=partition)

    def _story_events(self, value: bytes) -> list[StoryEvent]:
        try:
            return decode_events(value)
        except Exception:
            log.exception("undecodable story events message")
            self.metrics.internal_errors.labels(agent="stories").inc()
            return []

    async def send_story_events(self, events: list[StoryEvent]) -> None:
        by_partition: dict[int, list[StoryEvent]] = {}
        for story_event in events:
            by_partition.setdefault(partition_of_key(story_event.story_id, self.partitions), []).append(
                story_event
            )
        for partition, owned in by_partition.items():
            await self.bound.story_events.send(
                key=owned[0].story_id.encode(), value=encode_events(owned), partition=partition
            )

    async def publish(self, publication: Publication) -> None:
        # Its input counts as done once the output is delivered: settled before each commit (outputs).
        producer: Any = self.app.producer  # the CorrectedProducer (faust.transport)
        await self.outputs.publish(publication, producer.deliveries)
        if not self._published_any:  # the end of a start's timeline (tests/reliability/timeline.py)
            self._published_any = True
            log.info("first output of this process sent", extra={"role": publication.role})


def warm_up_first_batch() -> None:
    """Load the tables a batch's parse and probes read (each loads lazily on first use)."""
    warm_up_language()
    warm_up_rarity()


def _counter_total(counter: Any) -> float:
    """The sum of a (possibly labelled) prometheus_client counter's samples."""
    return float(
        sum(s.value for metric in counter.collect() for s in metric.samples if s.name.endswith("_total"))
    )


def _page(handler: Callable[[View, Request], Awaitable[Response]]) -> Callable[..., Awaitable[Response]]:
    """A page function for Faust (which makes it a view's method) calling ``handler``."""

    async def page(view: View, request: Request) -> Response:
        return await handler(view, request)

    page.__name__ = handler.__name__
    return page
