"""Every domain Prometheus metric, in one place.

Metrics live on a ``CollectorRegistry`` owned by a ``Metrics`` instance (one per app), so tests
can build as many apps as they like. The worker exposes this registry at ``/metrics`` together
with Faust's own Prometheus monitor (``faust_*`` series), which is attached to the same registry.
Names follow Prometheus conventions: ``_total`` counters, base units (seconds, bytes).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from streamproc.models import TopicRole

# Faust's monitor metric prefix (``faust_messages_received`` ...), fixed so dashboards do not
# depend on the app id.
FAUST_METRICS_PREFIX = "faust"

_STAGE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
_ENTITY_BUCKETS = (0, 1, 2, 5, 10, 20, 50, 100, 200)

# The closed label sets, exported at 0 from the start: a labelled series that has not happened yet
# is then 0 on /metrics (and in rate()/increase()) instead of absent.
DUPLICATE_KINDS = ("exact", "near")
STAGES = ("parse", "enrich", "dedup")
REPLAY_EVIDENCE = ("marker", "readback")  # the published table, or found in the output topics
AGENTS = ("stories", "stall-watch", "progress-watch", "answer", "finalize")
# The tables the horizon sweeps walk (`table_name` of join.owner.KeyOwner and stories.sweep).
SWEPT_TABLES = ("dedup-keys", "stories")


@dataclass(frozen=True)
class Metrics:
    registry: CollectorRegistry
    articles_received: Counter
    records_published: Counter
    duplicates: Counter
    dlq: Counter
    stage_duration: Histogram
    end_to_end_latency: Histogram
    batch_size: Histogram
    entities_per_article: Histogram
    event_loop_lag: Gauge
    consumer_lag: Gauge
    model_load_seconds: Gauge
    stories_created: Counter
    story_merges: Counter  # stories
    story_articles: Histogram  # stories
    stories_open: Gauge  # stories
    ready: Gauge
    internal_errors: Counter
    state_entries_evicted: Counter
    state_sweep_keys: Counter
    state_sweep_slice: Histogram
    replays_suppressed: Counter
    partition_rewinds: Counter

    def export_known_series(self, consumed_topics: Iterable[str]) -> None:
        """Create every series whose labels are known in advance, at 0 (``consumed_topics``: the
        topics a partition can be rewound on)."""
        for role in get_args(TopicRole):
            self.records_published.labels(role=role)
        for kind in DUPLICATE_KINDS:
            self.duplicates.labels(kind=kind)
        for stage in STAGES:
            self.stage_duration.labels(stage=stage)
        for via in REPLAY_EVIDENCE:
            self.replays_suppressed.labels(via=via)
        for agent in AGENTS:
            self.internal_errors.labels(agent=agent)
        for topic in consumed_topics:
            self.partition_rewinds.labels(topic=topic)
        for table in SWEPT_TABLES:
            self.state_sweep_keys.labels(table=table)
            self.state_sweep_slice.labels(table=table)

    def observe_enrich_chunk(self, articles: int, seconds: float) -> None:
        """A chunk's enrichment time (measured in the NER process) as per-article observations."""
        if articles <= 0:
            return
        per_article = seconds / articles
        stage = self.stage_duration.labels(stage="enrich")
        for _ in range(articles):
            stage.observe(per_article)

    def observe_sweep_slice(self, table: str, visited: int, evicted: int, seconds: float) -> None:
        """One slice of a horizon sweep: the keys it visited, the entries it evicted, its time."""
        self.state_sweep_keys.labels(table=table).inc(visited)
        self.state_sweep_slice.labels(table=table).observe(seconds)
        if evicted:
            self.state_entries_evicted.inc(evicted)


def create_metrics(registry: CollectorRegistry | None = None) -> Metrics:
    """Create the domain metrics on ``registry`` (a fresh one when None)."""
    reg = registry if registry is not None else CollectorRegistry()
    return Metrics(registry=reg, **_article_metrics(reg), **_worker_metrics(reg))


def _article_metrics(reg: CollectorRegistry) -> dict[str, Any]:
    """What happens to articles: counts, verdicts, stage times."""
    return dict(
        articles_received=Counter(
            "streamproc_articles_received_total",
            "Raw messages consumed from the input topic.",
            registry=reg,
        ),
        records_published=Counter(
            "streamproc_records_published_total",
            "Records published, by output topic role (enriched, duplicates, dlq).",
            ["role"],
            registry=reg,
        ),
        duplicates=Counter(
            "streamproc_duplicates_total",
            "Articles found to be duplicates, by kind (exact, near).",
            ["kind"],
            registry=reg,
        ),
        dlq=Counter(
            "streamproc_dlq_total",
            "Messages sent to the dead-letter topic, by error code and stage.",
            ["code", "stage"],
            registry=reg,
        ),
        stage_duration=Histogram(
            "streamproc_stage_duration_seconds",
            "Processing time per article, by stage (parse, enrich, dedup).",
            ["stage"],
            buckets=_STAGE_BUCKETS,
            registry=reg,
        ),
        end_to_end_latency=Histogram(
            "streamproc_end_to_end_latency_seconds",
            "Kafka timestamp of the raw message to publish of its output record.",
            buckets=_LATENCY_BUCKETS,
            registry=reg,
        ),
        batch_size=Histogram(
            "streamproc_batch_size_articles",
            "Articles per enrichment batch.",
            buckets=_BATCH_BUCKETS,
            registry=reg,
        ),
        entities_per_article=Histogram(
            "streamproc_entities_per_article",
            "Canonical entities found per article.",
            buckets=_ENTITY_BUCKETS,
            registry=reg,
        ),
    )


def _worker_metrics(reg: CollectorRegistry) -> dict[str, Any]:
    """How the worker runs: loop, lag, readiness, replays, state."""
    return dict(
        event_loop_lag=Gauge(
            "streamproc_event_loop_lag_seconds",
            "How late the worker's asyncio event loop ran a timer (last probe).",
            registry=reg,
        ),
        consumer_lag=Gauge(
            "streamproc_consumer_lag_messages",
            "Messages not yet committed by this worker: log end offset minus committed offset.",
            ["topic", "partition"],
            registry=reg,
        ),
        model_load_seconds=Gauge(
            "streamproc_model_load_seconds",
            "Time to load the spaCy pipeline in the enrichment process(es).",
            registry=reg,
        ),
        stories_created=Counter(
            "streamproc_stories_created_total",
            "Articles that started a new story.",
            registry=reg,
        ),
        story_merges=Counter(
            "streamproc_story_merges_total",
            "Stories absorbed by another (reports that raced each other into two stories).",
            registry=reg,
        ),
        story_articles=Histogram(
            "streamproc_story_articles",
            "Articles in a story, observed each time a story record is published on news.stories.",
            buckets=(1, 2, 3, 5, 8, 13, 21, 34, 55, 89),
            registry=reg,
        ),
        stories_open=Gauge(
            "streamproc_stories_open",
            "Current stories (with articles, not merged away, not swept) in the stories table "
            "partitions this worker has handled story events for.",
            registry=reg,
        ),
        ready=Gauge(
            "streamproc_ready",
            "1 when the worker is ready: tables recovered and the model loaded.",
            registry=reg,
        ),
        replays_suppressed=Counter(
            "streamproc_replays_suppressed_total",
            "Replayed inputs not published again: their output was already in Kafka, by how it was known.",
            ["via"],  # "marker" (the published table) or "readback" (found in the output topics)
            registry=reg,
        ),
        partition_rewinds=Counter(
            "streamproc_partition_rewinds_total",
            "Times a partition was sought back to re-read a record Faust fetched but dropped.",
            ["topic"],
            registry=reg,
        ),
        internal_errors=Counter(
            "streamproc_internal_errors_total",
            "Unexpected exceptions (bugs) caught while handling a message, by agent.",
            ["agent"],
            registry=reg,
        ),
        state_entries_evicted=Counter(
            "streamproc_state_entries_evicted_total",
            "Dedup/story table entries dropped by the horizon sweep.",
            registry=reg,
        ),
        state_sweep_keys=Counter(
            "streamproc_state_sweep_keys_total",
            "Table keys visited by the horizon sweeps (each round visits its partition's keys once).",
            ["table"],
            registry=reg,
        ),
        state_sweep_slice=Histogram(
            "streamproc_state_sweep_slice_seconds",
            "Event-loop time of one slice of a horizon sweep (dedup.sweep_slice_keys keys).",
            ["table"],
            buckets=_STAGE_BUCKETS,
            registry=reg,
        ),
    )
