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
from typing import Any

import faust
import orjson
from faust.sensors.prometheus import setup_prometheus_sensors
from faust.types import EventT, StreamT
from faust.web import Request, Response, View

from streamproc.config import Settings
from streamproc.dedup.index import KeyEntry
from streamproc.enrich.pool import EnrichmentPool
from streamproc.kafka.admin import kafka_client_kwargs
from streamproc.metrics import FAUST_METRICS_PREFIX, Metrics, create_metrics
from streamproc.models import DeadLetter, dumps
from streamproc.pipeline import Finalizer, Ingestor, forget_key, raw_message, reply_partition
from streamproc.topology import Pending, Probe, StoryAssignment, answer_probe, apply_story_assignment

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


def create_worker(settings: Settings, *, metrics: Metrics | None = None, **app_overrides: Any) -> Worker:
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
        **app_overrides,
    )
    setup_prometheus_sensors(app, registry=metrics.registry, name_prefix=FAUST_METRICS_PREFIX)
    pool = EnrichmentPool(settings.enrich)
    ingestor = Ingestor(settings)
    finalizer = Finalizer(settings)
    horizon_s = settings.dedup.horizon_days * 86400.0

    raw_topic = app.topic(settings.kafka.topic_raw, partitions=partitions, value_serializer="raw")
    outputs = {
        "enriched": app.topic(settings.kafka.topic_enriched, partitions=partitions),
        "duplicates": app.topic(settings.kafka.topic_duplicates, partitions=partitions),
        "dlq": app.topic(settings.kafka.topic_dlq, partitions=partitions),
    }
    # Internal repartition topics: content keys -> owning partition, answers -> source partition.
    probes_topic = app.topic(f"{conf.app_id}-probes", partitions=partitions, internal=True)
    replies_topic = app.topic(f"{conf.app_id}-replies", partitions=partitions, internal=True)

    dedup_keys = app.Table(
        "dedup-keys", default=None, partitions=partitions, key_serializer="json", value_serializer="json"
    )
    pending_table = app.Table(
        "pending", default=None, partitions=partitions, key_serializer="json", value_serializer="json"
    )
    published = app.Table(
        "published", default=None, partitions=partitions, key_serializer="json", value_serializer="json"
    )

    async def send_reply_message(source_key: str, message: dict[str, Any]) -> None:
        await replies_topic.send(
            key=source_key.encode(), value=orjson.dumps(message), partition=reply_partition(source_key)
        )

    @app.agent(raw_topic)
    async def ingest(stream: StreamT[bytes]) -> None:
        await pool.ready()
        async for events in stream.take_events(conf.batch_size, within=conf.batch_within_s):
            raws = [raw_message(event) for event in events]
            metrics.articles_received.inc(len(raws))
            metrics.batch_size.observe(len(raws))
            for item in await ingestor.process_batch(raws, pool, metrics):
                if isinstance(item, DeadLetter):
                    await send_reply_message(item.key, {"type": "dead", "record": item})
                    continue
                await send_reply_message(item.pending.source_key, {"type": "article", **item.pending.to_json()})
                for probe in item.probes:
                    await probes_topic.send(key=probe.key.encode(), value=orjson.dumps({"type": "probe", **probe.to_json()}))

    @app.agent(probes_topic)
    async def answer(stream: StreamT[bytes]) -> None:
        async for value in stream:
            message = orjson.loads(value)
            key = message["key"]
            stored = [KeyEntry.from_json(e) for e in (dedup_keys[key] or [])]
            if message["type"] == "assign":
                stored = apply_story_assignment(stored, StoryAssignment.from_json(message))
            else:
                probe = Probe.from_json(message)
                stored, reply = answer_probe(
                    stored, probe, horizon_s=horizon_s, max_entries=settings.dedup.max_entries_per_key
                )
                await send_reply_message(probe.reply_to, {"type": "reply", "source_key": probe.reply_to, **reply.to_json()})
            dedup_keys[key] = [e.to_json() for e in stored]

    @app.agent(replies_topic)
    async def finalize(stream: StreamT[bytes]) -> None:
        async for event in stream.events():
            message = orjson.loads(event.value)
            source_key = message.get("source_key") or message["record"]["key"]
            if published[source_key] is not None:
                continue  # a replay of a message whose output is already out: publish nothing twice
            if message["type"] == "dead":
                await _publish(event, "dlq", source_key, message["record"], dead=True)
                continue
            pending = Pending.from_json(pending_table[source_key]) if pending_table[source_key] else Pending(source_key)
            finalizer.absorb(pending, message)
            if not pending.complete:
                pending_table[source_key] = pending.to_json()
                continue
            result = finalizer.finish(pending, metrics)
            for assignment in result.story_assignments:
                await probes_topic.send(
                    key=assignment.key.encode(), value=orjson.dumps({"type": "assign", **assignment.to_json()})
                )
            await _publish(event, result.role, source_key, result.record)
            pending_table.pop(source_key, None)

    async def _publish(event: EventT, role: str, source_key: str, record: Any, dead: bool = False) -> None:
        key = record["id"] if not dead else source_key
        await outputs[role].send(key=key.encode(), value=dumps(record))
        metrics.records_published.labels(role=role).inc()
        published[source_key] = role
        # Bounded replay memory: forget the marker of the offset `published_memory` messages back
        # on this partition; a replay never reaches that far behind the committed offset.
        forget = forget_key(source_key, settings.dedup.published_memory)
        if forget is not None:
            published.pop(forget, None)
        kafka_ts = event.message.timestamp
        if kafka_ts:
            metrics.end_to_end_latency.observe(max(0.0, time.time() - kafka_ts))

    @app.task
    async def start_enrichment() -> None:
        load_s = await pool.start()
        metrics.model_load_seconds.set(load_s)

    @app.task
    async def watch_event_loop() -> None:
        loop = asyncio.get_running_loop()
        interval = 0.25
        while True:
            before = loop.time()
            await asyncio.sleep(interval)
            metrics.event_loop_lag.set(max(0.0, loop.time() - before - interval))

    @app.timer(interval=2.0)
    async def measure_consumer_lag() -> None:
        consumer = app.consumer
        for tp in consumer.assignment():
            if tp.topic != settings.kafka.topic_raw:
                continue
            committed = consumer._committed_offset.get(tp)
            highwater = consumer.highwater(tp)
            if highwater is not None:
                lag = max(0, highwater - (committed or 0))
                metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(lag)

    def is_ready() -> bool:
        return pool.is_ready and app.tables.recovery.completed.is_set()

    @app.page("/health")
    async def health(self: View, request: Request) -> Response:
        return self.json({"status": "alive"})

    @app.page("/ready")
    async def ready(self: View, request: Request) -> Response:
        ok = is_ready()
        metrics.ready.set(1 if ok else 0)
        return self.json({"ready": ok, "model_loaded": pool.is_ready,
                          "tables_recovered": app.tables.recovery.completed.is_set()}, status=200 if ok else 503)

    return Worker(app=app, settings=settings, metrics=metrics, pool=pool)


__all__ = ["Worker", "create_worker"]
