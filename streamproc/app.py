"""The Faust app of a worker: settings to Faust options, and the topics and tables bound to it.

No logic here: what the agents do is ``worker.Worker``, the join is ``join``, the corrections to
Faust are ``faust``.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import faust

from streamproc.config import Settings
from streamproc.faust.app import CorrectedApp
from streamproc.faust.coalescing import CoalescingTable
from streamproc.faust.monitor import install_prometheus_monitor
from streamproc.faust.record_limits import batch_size_within
from streamproc.faust.settings import WingSettings
from streamproc.faust.versions import check_versions
from streamproc.kafka.admin import kafka_client_kwargs
from streamproc.kafka.clients import worker_size_overrides
from streamproc.kafka.membership import group_instance_id
from streamproc.kafka.topics import TABLES, TopicPlan
from streamproc.metrics import FAUST_METRICS_PREFIX, Metrics, create_metrics

if TYPE_CHECKING:
    from streamproc.worker import Worker


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


def build_app(
    settings: Settings,
    plan: TopicPlan,
    *,
    record_limits: Mapping[str, int] | None = None,
    **app_overrides: Any,
) -> CorrectedApp:
    """The Faust app for ``settings`` (refused on faust/aiokafka versions the corrections do not know);
    ``record_limits``: each written topic's ``max.message.bytes`` (``TopicPlan.ensure``)."""
    conf = settings.worker
    check_versions(allow_unverified=conf.allow_unverified_faust)
    wing = WingSettings(
        gap_free_topics=frozenset(plan.internal),
        fetch_max_wait_ms=conf.fetch_max_wait_ms,
        record_limits=dict(record_limits or {}),
        delivery_timeout_s=conf.delivery_timeout_s,
    )
    return CorrectedApp(
        conf.app_id,
        wing=wing,
        broker=[f"kafka://{server.strip()}" for server in settings.bootstrap_servers.split(",")],
        broker_credentials=_broker_credentials(settings),
        store=conf.store,
        datadir=conf.data_dir,
        web_host=conf.web_host,
        web_bind=conf.web_host,
        web_port=conf.web_port,
        topic_partitions=plan.partitions,
        topic_replication_factor=plan.replication_factor,
        # The CLI creates every topic of the plan before the app starts (TopicPlan.ensure): Faust's
        # own declaration, one request per topic at each start, would repeat it on the way to ready.
        topic_allow_declare=False,
        topic_disable_leader=True,  # Faust's leader topic: unused, one more topic to fetch
        consumer_auto_offset_reset="earliest",
        key_serializer="raw",
        value_serializer="raw",
        producer_acks=-1,
        table_standby_replicas=0,
        broker_session_timeout=conf.session_timeout_s,
        broker_heartbeat_interval=min(conf.heartbeat_interval_s, conf.session_timeout_s / 3),
        consumer_group_instance_id=group_instance_id(conf, socket.gethostname()),
        producer_linger=conf.producer_linger_ms / 1000.0,
        producer_max_batch_size=batch_size_within(record_limits or {}),
        # Each changed key once per commit in its changelog, not once per change (coalescing).
        Table=CoalescingTable,
        **{**worker_size_overrides(settings), **app_overrides},
    )


@dataclass(frozen=True)
class Bindings:
    """The app's topics and tables, as the worker's handlers use them."""

    app: CorrectedApp
    plan: TopicPlan
    raw: Any
    outputs: dict[str, Any]  # role -> topic
    probes: Any
    replies: Any
    dedup_keys: Any
    pending: Any
    published: Any
    stories: Any  # table: story id -> story state
    stories_out: Any  # news.stories
    story_events: Any

    @classmethod
    def of(cls, app: CorrectedApp, plan: TopicPlan) -> Bindings:
        partitions = plan.partitions

        def topic(name: str, **options: Any) -> Any:
            return app.topic(name, partitions=partitions, **options)

        dedup_keys, pending, published, stories = (
            app.Table(name, default=None, partitions=partitions, key_type=str) for name in TABLES
        )
        return cls(
            app=app,
            plan=plan,
            raw=topic(plan.raw, value_serializer="raw"),
            outputs={role: topic(name) for role, name in plan.outputs.items()},
            probes=topic(plan.probes, internal=True),
            replies=topic(plan.replies, internal=True),
            dedup_keys=dedup_keys,
            pending=pending,
            published=published,
            stories=stories,
            stories_out=topic(plan.stories),
            story_events=topic(plan.story_events, internal=True),
        )


def create_worker(
    settings: Settings,
    *,
    metrics: Metrics | None = None,
    record_limits: Mapping[str, int] | None = None,
    **app_overrides: Any,
) -> Worker:
    from streamproc.worker import Worker

    metrics = metrics or create_metrics()
    plan = TopicPlan.of(settings)
    app = build_app(settings, plan, record_limits=record_limits, **app_overrides)
    install_prometheus_monitor(app, metrics.registry, FAUST_METRICS_PREFIX)
    return Worker(settings, Bindings.of(app, plan), metrics)


__all__ = ["Bindings", "build_app", "create_worker"]
