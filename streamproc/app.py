"""The Faust worker: topics, tables and agents wired to the pure core. No domain logic here.

Dataflow (see README "Architecture"):

    news.raw --ingest (batched parse + enrich in a process pool)--> <app>-probes   (keyed by content key)
                                                               \\-> <app>-replies  (keyed by source offset)
    <app>-probes  --answer (table `dedup-keys`)------------------> <app>-replies
    <app>-replies --finalize (table `pending`, `published`)------> news.enriched | news.duplicates | news.dlq
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any, TypeVar

import faust
import orjson
from aiokafka.partitioner import murmur2
from faust.sensors.prometheus import setup_prometheus_sensors
from faust.web import Request, Response, View

from streamproc.config import Settings
from streamproc.dedup.index import entries_from_json, entries_to_json
from streamproc.enrich.pool import EnrichmentPool
from streamproc.kafka import faust_fixes, faust_tuning
from streamproc.kafka.admin import kafka_client_kwargs
from streamproc.kafka.replay import ReplayGuard
from streamproc.metrics import FAUST_METRICS_PREFIX, Metrics, create_metrics, with_cached_labels
from streamproc.models import DeadLetter, dumps
from streamproc.parse.language import warm_up as warm_up_language
from streamproc.pipeline import (
    BatchInFlight,
    Finalizer,
    Finished,
    Ingestor,
    StateSweeper,
    forget_key,
    internal_dead_letter,
    raw_message,
    reply_partition,
    take_batch,
)
from streamproc.topology import (
    Pending,
    PendingStore,
    Probe,
    ProbeReply,
    StoryAssignment,
    answer_probe,
    apply_story_assignment,
    probes_messages,
    replies_messages,
    split_replies,
)

log = logging.getLogger("streamproc.worker")


@dataclass
class Worker:
    """The app plus the handles tests and the CLI need."""

    app: faust.App
    settings: Settings
    metrics: Metrics
    pool: EnrichmentPool


def _broker_credentials(settings: Settings) -> Any:
    kafka = settings.kafka
    if kafka.security_protocol == "PLAINTEXT":
        return None
    kwargs = kafka_client_kwargs(kafka)
    if kafka.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=kafka.sasl_username,
            password=kafka.sasl_password,
            mechanism=kafka.sasl_mechanism,
            ssl_context=kwargs.get("ssl_context"),
        )
    return faust.SSLCredentials(kwargs["ssl_context"])


TABLES = ("dedup-keys", "pending", "published")


def partition_of_key(key: str, partitions: int) -> int:
    """The partition Kafka's default partitioner gives ``key`` (where its probes and table entry live)."""
    hashed: int = murmur2(key.encode())
    return (hashed & 0x7FFFFFFF) % partitions


def internal_topics(settings: Settings) -> tuple[list[str], list[str]]:
    """(repartition topics, changelog topics) the app uses, for creation before the group joins.

    Creating them up front matters: a topic created while the consumer group forms is missing
    from the first assignment ("Ignoring missing topic") and stays unconsumed until a rebalance.
    """
    app_id = settings.worker.app_id
    return [f"{app_id}-probes", f"{app_id}-replies"], [f"{app_id}-{name}-changelog" for name in TABLES]


_Keyed = TypeVar("_Keyed", Probe, StoryAssignment)


def group_by_owner(items: list[_Keyed], partitions: int) -> dict[int, list[_Keyed]]:
    """Items by the partition that owns their key (as the default partitioner would route them)."""
    grouped: dict[int, list[_Keyed]] = {}
    for item in items:
        grouped.setdefault(partition_of_key(item.key, partitions), []).append(item)
    return grouped


def create_worker(settings: Settings, *, metrics: Metrics | None = None, **app_overrides: Any) -> Worker:
    faust_fixes.apply()
    faust_tuning.set_fetch_max_wait(settings.worker.fetch_max_wait_ms)
    metrics = metrics or create_metrics()
    conf = settings.worker
    partitions = settings.kafka.partitions
    app = faust.App(
        conf.app_id,
        broker=[f"kafka://{server.strip()}" for server in settings.bootstrap_servers.split(",")],
        broker_credentials=_broker_credentials(settings),
        store=conf.store,
        datadir=conf.data_dir,
        web_host=conf.web_host,
        web_bind=conf.web_host,
        web_port=conf.web_port,
        topic_partitions=partitions,
        topic_replication_factor=settings.kafka.replication_factor,
        topic_allow_declare=True,
        consumer_auto_offset_reset="earliest",
        key_serializer="raw",
        value_serializer="raw",
        producer_acks=-1,
        table_standby_replicas=0,
        broker_session_timeout=conf.session_timeout_s,
        broker_heartbeat_interval=min(3.0, conf.session_timeout_s / 3),
        producer_linger=conf.producer_linger_ms / 1000.0,
        **app_overrides,
    )
    setup_prometheus_sensors(app, registry=metrics.registry, name_prefix=FAUST_METRICS_PREFIX)
    faust_tuning.set_producer_buffer_limit(app.producer)
    monitor: Any = app.monitor
    monitor._metrics = with_cached_labels(monitor._metrics)  # Faust's monitor keeps them there
    pool = EnrichmentPool(settings.enrich, on_chunk=metrics.observe_enrich_chunk)
    pool_ready = asyncio.Event()
    ingestor = Ingestor(settings)
    finalizer = Finalizer(settings)

    raw_topic = app.topic(settings.kafka.topic_raw, partitions=partitions, value_serializer="raw")
    outputs = {
        "enriched": app.topic(settings.kafka.topic_enriched, partitions=partitions),
        "duplicates": app.topic(settings.kafka.topic_duplicates, partitions=partitions),
        "dlq": app.topic(settings.kafka.topic_dlq, partitions=partitions),
    }
    # Internal repartition topics: content keys -> owning partition, answers -> source partition.
    (probes_name, replies_name), _ = internal_topics(settings)
    probes_topic = app.topic(probes_name, partitions=partitions, internal=True)
    replies_topic = app.topic(replies_name, partitions=partitions, internal=True)

    dedup_keys, pending_table, published = (
        app.Table(name, default=None, partitions=partitions, key_type=str) for name in TABLES
    )

    async def send_reply_message(source_key: str, message: dict[str, Any]) -> None:
        await replies_topic.send(
            key=source_key.encode(), value=dumps(message), partition=reply_partition(source_key)
        )

    # Raw events wait here between the agent (which only buffers them, unacked) and the batch task.
    raw_events: asyncio.Queue[tuple[Any, Any]] = asyncio.Queue(maxsize=2 * conf.batch_size)
    # Batches being enriched, in input order, until they are sent. The feeder stays this many
    # batches ahead of the sender so the NER processes never idle while the loop sends.
    in_flight: asyncio.Queue[tuple[list[tuple[Any, Any]], BatchInFlight]] = asyncio.Queue(
        maxsize=max(1, conf.batches_in_flight - 1)
    )

    @app.agent(raw_topic)
    async def ingest(stream: Any) -> None:
        # noack: an input offset is committed only once everything it produced was sent. Faust's
        # take_events() acks the whole batch when its body ends, even when a shutdown or a
        # rebalance cancelled the body halfway (the reliability suite lost messages that way).
        unacked = stream.noack()
        async for event in unacked.events():
            await raw_events.put((unacked, event))

    @app.task
    async def enrich_batches() -> None:
        await pool_ready.wait()  # no batch is taken before the model is loaded
        while True:
            taken = await take_batch(raw_events, conf.batch_size, conf.batch_within_s)
            raws = [raw_message(event) for _, event in taken]
            metrics.articles_received.inc(len(raws))
            metrics.batch_size.observe(len(raws))
            batch = ingestor.start_batch(raws, pool, metrics)
            try:
                await in_flight.put((taken, batch))
            except BaseException:
                batch.cancel()
                raise

    @app.task
    async def send_batches() -> None:
        while True:
            taken, batch = await in_flight.get()
            try:
                items = await ingestor.finish_batch(batch, metrics)
            except BaseException:
                batch.cancel()
                raise
            # One item per raw message, in input order (every failure became a dead letter). The
            # events are acked once everything the batch produced was sent.
            probes: list[Probe] = []
            for raw, item in zip(batch.raws, items, strict=True):
                if isinstance(item, DeadLetter):
                    raw_ts = raw.timestamp.timestamp() if raw.timestamp else None
                    dead = {"type": "dead", "source_key": item.key, "record": item, "raw_timestamp": raw_ts}
                    await send_reply_message(item.key, dead)
                else:
                    await send_reply_message(
                        item.pending.source_key, {"type": "article", **item.pending.to_json()}
                    )
                    probes.extend(item.probes)
            # One message per owning partition for the whole batch, not per key or article: ~24
            # keys per article land on at most `partitions` owners, and each record consumed
            # costs the worker about a millisecond of Faust's machinery.
            for partition, owned in group_by_owner(probes, partitions).items():
                for message in probes_messages(owned):
                    first_key = message["probes"][0]["key"]
                    await probes_topic.send(key=first_key.encode(), value=dumps(message), partition=partition)
            for stream, event in taken:
                await stream.ack(event)

    sweeper = StateSweeper(settings, metrics, partition_of_key)

    def answer_one(key: str, message: dict[str, Any]) -> ProbeReply | None:
        """Apply one probe or story assignment to the key's entries; the reply for a probe."""
        try:
            stored = entries_from_json(dedup_keys.get(key))
            if "story_id" in message:
                dedup_keys[key] = entries_to_json(
                    apply_story_assignment(stored, StoryAssignment.from_json(message))
                )
                return None
            stored, reply = answer_probe(stored, Probe.from_json(message), settings.dedup)
        except Exception:
            # A bug or a corrupt table value: answer "nothing seen" so the article still
            # completes (as unique) rather than stall the join, and say so loudly.
            log.exception("probe failed", extra={"key": key})
            metrics.internal_errors.labels(agent="answer").inc()
            return None if "story_id" in message else ProbeReply(key, [])
        dedup_keys[key] = entries_to_json(stored)
        return reply

    probes_in_order = faust_fixes.OrderGuard()

    @app.agent(probes_topic)
    async def answer(stream: Any) -> None:
        async for event in stream.events():
            where = event.message
            # An answer depends on which probes reached the key before it: never let a probe
            # overtake one Faust dropped and re-reads (the partition is read again from there).
            if not probes_in_order.admit(app.consumer, where.tp, where.offset, where.generation_id or 0):
                continue
            message = orjson.loads(event.value)
            partition = where.partition
            if message["type"] == "assign":
                for assignment in message["assignments"]:
                    answer_one(assignment["key"], assignment)
            else:
                replies: list[tuple[str, ProbeReply]] = []
                for probe in message["probes"]:
                    sweeper.observe(partition, float(probe["entry"]["t"]))
                    reply = answer_one(probe["key"], probe)
                    if reply is not None:
                        replies.append((probe["reply_to"], reply))
                # Answers for the articles of one source partition travel together.
                for reply_to_partition, answers in replies_messages(replies, reply_partition):
                    first_source = next(iter(answers["by_source"]))
                    await replies_topic.send(
                        key=first_source.encode(), value=dumps(answers), partition=reply_to_partition
                    )
            sweeper.maybe_sweep(dedup_keys, partition)

    pending_articles = PendingStore(pending_table)
    replay_guard = ReplayGuard(settings, (topic.get_topic_name() for topic in outputs.values()))

    @app.agent(replies_topic)
    async def finalize(stream: Any) -> None:
        async for event in stream.events():
            value = event.value
            where = event.message
            generation = where.generation_id or 0
            await replay_guard.observe(where.partition, where.offset, where.timestamp, generation)
            finished: list[tuple[Finished, Pending, bool]] = []
            for source_key, message in split_replies(orjson.loads(value)):
                done = await absorb(where.partition, source_key, message)
                if done is not None:
                    finished.append(done)
            # Story keys learn their stories before the records go out: a replay after the
            # publish is suppressed (marker), so it would never send them.
            assignments = [a for result, _, _ in finished for a in result.story_assignments]
            for partition, owned in group_by_owner(assignments, partitions).items():
                message = {"type": "assign", "assignments": [a.to_json() for a in owned]}
                await probes_topic.send(key=owned[0].key.encode(), value=dumps(message), partition=partition)
            for result, pending, stored in finished:
                source_key = pending.source_key
                await publish(
                    result.role, source_key, result.record["id"], result.record, pending.raw_timestamp
                )
                if stored:
                    pending_articles.discard(source_key)

    async def absorb(
        partition: int, source_key: str, message: dict[str, Any]
    ) -> tuple[Finished, Pending, bool] | None:
        """Take one article's part of a replies message; its result once the article is complete."""
        # Publish nothing twice: the marker says so, or (killed between output and marker)
        # the output topics themselves, read back where a replay starts.
        if published.get(source_key) is not None:
            metrics.replays_suppressed.labels(via="marker").inc()
            pending_articles.discard(source_key)  # left behind if killed between marker and discard
            return None
        if replay_guard.already_out(partition, source_key):
            metrics.replays_suppressed.labels(via="readback").inc()
            published[source_key] = "readback"
            pending_articles.discard(source_key)
            return None
        try:
            if message["type"] == "dead":
                await publish("dlq", source_key, source_key, message["record"], message.get("raw_timestamp"))
                return None
            pending, stored = pending_articles.load(source_key)
            pending.absorb(message)
            if not pending.complete:
                pending_articles.save(pending, message)
                return None
            return finalizer.finish(pending, metrics), pending, stored
        except Exception as exc:
            log.exception("finalize failed", extra={"source_key": source_key})
            metrics.internal_errors.labels(agent="finalize").inc()
            record = internal_dead_letter(source_key, dumps(message), exc)  # this article's part
            metrics.dlq.labels(code=record.error.code, stage=record.stage).inc()
            await publish("dlq", source_key, source_key, record, None)
            pending_articles.discard(source_key)
            return None

    async def publish(role: str, source_key: str, key: str, record: Any, raw_timestamp: float | None) -> None:
        await outputs[role].send(key=key.encode(), value=dumps(record))
        metrics.records_published.labels(role=role).inc()
        # The marker waits in Faust's producer buffer; if the worker dies before it is written, the
        # replay's read-back of the output topics (ReplayGuard) still finds the output above.
        published[source_key] = role
        # Bounded replay memory: forget the marker of the offset `published_memory` messages back
        # on this partition; a replay never reaches that far behind the committed offset.
        forget = forget_key(source_key, settings.dedup.published_memory)
        if forget is not None:
            published.pop(forget, None)
        if raw_timestamp:
            metrics.end_to_end_latency.observe(max(0.0, time.time() - raw_timestamp))

    @app.task
    async def start_enrichment() -> None:
        await pool.start()
        # The language model loads lazily (~1 s of LZMA): load it now, off the loop, not on the first batch.
        await asyncio.get_running_loop().run_in_executor(None, warm_up_language)
        metrics.model_load_seconds.set(max((w.load_seconds for w in pool.workers), default=0.0))
        pool_ready.set()

    @app.task
    async def watch_event_loop() -> None:
        loop = asyncio.get_running_loop()
        interval = 0.25
        while True:
            before = loop.time()
            await asyncio.sleep(interval)
            metrics.event_loop_lag.set(max(0.0, loop.time() - before - interval))

    stall_watch = faust_fixes.StallWatch()
    faust_fixes.GAP_FREE_TOPICS.update(internal_topics(settings)[0])  # probes and replies: ours

    @app.timer(interval=3.0)
    async def reread_dropped_records() -> None:
        # Faust can drop a fetched record without processing it (faust_fixes, 4.); read it again.
        if app.rebalancing or not tables_recovered():
            return
        try:
            stalled = stall_watch.check(app.consumer)
        except Exception:
            # An exception escaping a timer crashes the worker; this watch is a safety net.
            log.exception("stall watch failed")
            metrics.internal_errors.labels(agent="stall-watch").inc()
            return
        for tp, _offset in stalled:
            metrics.partition_rewinds.labels(topic=tp.topic).inc()

    @app.timer(interval=2.0)
    async def measure_consumer_lag() -> None:
        # Faust's monitor has no lag metric: end offset minus committed offset per assigned partition
        # (input and internal topics, so a stuck join shows too).
        consumer = app.consumer
        consumed = {settings.kafka.topic_raw, probes_name, replies_name}  # not changelogs: never committed
        committed_offsets = getattr(consumer, "_committed_offset", {})
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if tp.topic not in consumed or highwater is None:
                continue
            committed = committed_offsets.get(tp) or 0
            lag = max(0, highwater - committed)
            metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(lag)
        metrics.ready.set(1 if is_ready() else 0)

    def tables_recovered() -> bool:
        recovery: Any = app.tables.recovery  # type: ignore[attr-defined]  # not in Faust's type stubs
        return bool(recovery.completed.is_set())

    def is_ready() -> bool:
        return pool_ready.is_set() and tables_recovered()

    @app.page("/health")
    async def health(self: View, request: Request) -> Response:
        return self.json({"status": "alive"})

    @app.page("/ready")
    async def ready(self: View, request: Request) -> Response:
        ok = is_ready()
        return self.json(
            {"ready": ok, "model_loaded": pool_ready.is_set(), "tables_recovered": tables_recovered()},
            status=200 if ok else 503,
        )

    return Worker(app=app, settings=settings, metrics=metrics, pool=pool)


__all__ = ["Worker", "create_worker"]
