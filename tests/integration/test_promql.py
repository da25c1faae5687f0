"""Every PromQL expression of the dashboard and the alert rules, evaluated by a real Prometheus server.

No Kafka here: a background thread drives the domain metrics (``streamproc.metrics.create_metrics``)
and Faust's monitor metrics on one registry, served over HTTP by prometheus_client, and a real
Prometheus scrapes it every second with config/alerts.yml loaded. The data is shaped so that some
alerts must become active and others must stay inactive.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from faust.sensors.prometheus import FaustMetrics
from prometheus_client import start_http_server

from streamproc.metrics import FAUST_METRICS_PREFIX, Metrics, create_metrics
from tests.integration.prometheus_server import (
    ALERTS_PATH,
    IN_CI,
    NamedExpr,
    PrometheusServer,
    PromQLError,
    alert_exprs,
    dashboard_exprs,
    has_finite_value,
    prometheus_binary,
    sample_value,
)

pytestmark = [
    pytest.mark.slow,
    # Never skipped in CI (CI=true): there a missing server fails the tests instead.
    pytest.mark.skipif(
        prometheus_binary() is None and not IN_CI, reason="Prometheus server not installed (apt: prometheus)"
    ),
]

# Seeded once, never touched by the ticker: Prometheus must report exactly these values.
SEEDED_MALFORMED_JSON_DLQ = 3.0
SEEDED_DUPLICATES_PUBLISHED = 2.0

# Alerts the ticker's data must activate (pending or firing) and those it must leave inactive.
EXPECTED_ACTIVE = {
    "StreamprocDeadLetterRateHigh",  # one DLQ record per two received articles
    "StreamprocEndToEndLatencyHigh",  # every article takes 3 s
    "StreamprocEventLoopLagHigh",  # loop lag 0.8 s
    "StreamprocConsumerLagGrowing",  # lag rises every tick, above 100
}
EXPECTED_INACTIVE = {
    "StreamprocWorkerDown",
    "StreamprocStalled",
    "StreamprocNoInput",
    "StreamprocNotReady",
}


@dataclass
class MetricsTicker:
    """Feeds a steady stream of observations, as a busy (and somewhat unhealthy) worker would."""

    metrics: Metrics
    faust: FaustMetrics
    period_s: float = 0.05

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.ticks = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def tick(self) -> None:
        m, f = self.metrics, self.faust
        self.ticks += 1
        m.articles_received.inc(2)
        m.records_published.labels(role="enriched").inc()
        m.records_published.labels(role="dlq").inc()
        m.dlq.labels(code="empty", stage="parse").inc()
        m.duplicates.labels(kind="exact").inc()
        m.stories_created.inc()
        m.story_merges.inc()
        m.story_articles.observe(3)
        for stage, seconds in (("parse", 0.002), ("enrich", 0.04), ("dedup", 0.001)):
            m.stage_duration.labels(stage=stage).observe(seconds)
        m.end_to_end_latency.observe(3.0)
        m.batch_size.observe(8)
        m.entities_per_article.observe(5)
        m.event_loop_lag.set(0.8)
        for partition in range(4):
            m.consumer_lag.labels(topic="news.raw", partition=str(partition)).set(100 + 5 * self.ticks)
        f.messages_received.inc(2)
        f.topic_messages_sent.labels(topic="topic.news.enriched").inc()
        f.events_runtime_latency.observe(12)
        f.producer_send_latency.observe(3)
        f.rebalance_done_latency.observe(150)

    def _run(self) -> None:
        while not self._stop.wait(self.period_s):
            self.tick()


@pytest.fixture(scope="module")
def prom() -> Iterator[PrometheusServer]:
    metrics = create_metrics()
    faust = FaustMetrics.create(metrics.registry, FAUST_METRICS_PREFIX)
    metrics.dlq.labels(code="malformed_json", stage="parse").inc(SEEDED_MALFORMED_JSON_DLQ)
    metrics.records_published.labels(role="duplicates").inc(SEEDED_DUPLICATES_PUBLISHED)
    metrics.model_load_seconds.set(1.5)
    metrics.ready.set(1)
    ticker = MetricsTicker(metrics, faust)
    ticker.tick()
    ticker.start()
    http_server, http_thread = start_http_server(0, addr="127.0.0.1", registry=metrics.registry)
    try:
        target = f"127.0.0.1:{http_server.server_port}"
        with PrometheusServer([target], rule_files=[ALERTS_PATH]) as server:
            server.wait_for_targets_up()
            yield server
    finally:
        ticker.stop()
        http_server.shutdown()
        http_server.server_close()
        http_thread.join(timeout=5)


def test_target_is_scraped_under_the_streamproc_job(prom: PrometheusServer) -> None:
    [target] = prom.targets()
    assert target["health"] == "up"
    assert target["labels"]["job"] == "streamproc"
    assert prom.value('up{job="streamproc"}') == 1.0


def test_seeded_counters_arrive_unchanged(prom: PrometheusServer) -> None:
    assert (
        prom.value('streamproc_dlq_total{code="malformed_json", stage="parse"}') == SEEDED_MALFORMED_JSON_DLQ
    )
    assert prom.value('streamproc_records_published_total{role="duplicates"}') == SEEDED_DUPLICATES_PUBLISHED
    assert prom.value("streamproc_model_load_seconds") == 1.5
    assert prom.value("streamproc_ready") == 1.0


def test_rates_follow_the_ticker(prom: PrometheusServer) -> None:
    # Two articles received per DLQ record, so the ratio the alert and the dashboard use is 0.5.
    result = prom.wait_for(
        "sum(rate(streamproc_dlq_total{code='empty'}[1m]))"
        " / sum(rate(streamproc_articles_received_total[1m]))",
        has_finite_value,
    )
    assert sample_value(result[0]) == pytest.approx(0.5, rel=0.05)


def test_a_rejected_expression_raises(prom: PrometheusServer) -> None:
    with pytest.raises(PromQLError) as info:
        prom.query("sum(rate(streamproc_articles_received_total))")  # range vector missing
    assert info.value.error_type == "bad_data"


def _ids(exprs: list[NamedExpr]) -> list[str]:
    return [e.name for e in exprs]


@pytest.mark.parametrize("named", dashboard_exprs(), ids=_ids(dashboard_exprs()))
def test_dashboard_expression_returns_data(prom: PrometheusServer, named: NamedExpr) -> None:
    # Every panel has data behind it: a query that parses but matches no series would be a blank panel.
    result = prom.wait_for(named.expr, has_finite_value, timeout_s=30)
    assert result


@pytest.mark.parametrize("named", alert_exprs(), ids=_ids(alert_exprs()))
def test_alert_expression_evaluates(prom: PrometheusServer, named: NamedExpr) -> None:
    prom.query(named.expr)  # raises PromQLError when Prometheus rejects it


def test_alert_rules_are_healthy_and_react_to_the_data(prom: PrometheusServer) -> None:
    def settled(rules: list[dict[str, object]]) -> bool:
        active = {r["name"] for r in rules if r.get("state") in ("pending", "firing")}
        return active >= EXPECTED_ACTIVE

    rules = prom.wait_for_rules(settled, timeout_s=60)
    names = {r["name"] for r in rules}
    assert names == EXPECTED_ACTIVE | EXPECTED_INACTIVE
    for rule in rules:
        assert rule["health"] == "ok", (rule["name"], rule.get("lastError"))
        if rule["name"] in EXPECTED_INACTIVE:
            assert rule["state"] == "inactive", rule["name"]
