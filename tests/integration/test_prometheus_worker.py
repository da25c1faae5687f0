"""A real Prometheus server scraping a real worker that processes real articles on real Kafka.

Everything is asserted through Prometheus's HTTP API (what a dashboard or an alert sees), and the
counters are checked against what the output topics actually hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from streamproc.stories.book import current_stories
from tests.integration.prometheus_server import (
    ALERTS_PATH,
    IN_CI,
    NamedExpr,
    PrometheusServer,
    alert_exprs,
    dashboard_exprs,
    prometheus_binary,
    sample_value,
)
from tests.stories_harness import settled_stories
from tests.support import SAMPLES, Env, WorkerProcess, produce_to_partitions, read_topic, wait_for_records

pytestmark = [
    pytest.mark.integration,
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        prometheus_binary() is None and not IN_CI, reason="the prometheus binary is not installed"
    ),
]

GOOD = [path.read_bytes() for path in sorted(SAMPLES.glob("*.txt"))]
BAD = {"empty": b"", "malformed_json": b'{"title": "Broken", "body": "unterminated'}
COPY = GOOD[0]  # an exact copy, produced once its original is out
PRODUCED = len(GOOD) + 1 + len(BAD)
EXPECTED_TOPICS = {"enriched": len(GOOD), "duplicates": 1, "dlq": len(BAD)}

# Series names an expression reads (histogram parts included), to know which ones must have data.
_SERIES = re.compile(r"\b((?:streamproc|faust)_[a-z_]+|up)\s*\{")


@dataclass
class Deployment:
    env: Env
    worker: WorkerProcess
    prom: PrometheusServer
    topics: dict[str, int]  # records per output role, read from Kafka


@pytest.fixture(scope="module")
def deployment(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    env = Env(kafka_bootstrap, tmp_path_factory.mktemp("prometheus-worker"))
    with (
        env.worker() as worker,
        PrometheusServer([f"127.0.0.1:{worker.web_port}"], rule_files=[ALERTS_PATH]) as prom,
    ):
        prom.wait_for_targets_up(timeout_s=60)
        # Scraped before and after the articles: rates and increases see the counters move.
        prom.wait_for('streamproc_articles_received_total{job="streamproc"}')
        produce_to_partitions(env, [(payload, i % env.partitions) for i, payload in enumerate(GOOD)])
        produce_to_partitions(env, [(payload, i % env.partitions) for i, payload in enumerate(BAD.values())])
        wait_for_records(env, "enriched", len(GOOD))
        produce_to_partitions(env, [(COPY, 1)])
        for role, count in EXPECTED_TOPICS.items():
            assert len(wait_for_records(env, role, count)) == count, (role, worker.log_tail())
        topics = {role: len(read_topic(env, role)) for role in ("enriched", "duplicates", "dlq")}
        # Every record out has been counted and scraped before any test looks.
        prom.wait_for(
            'sum(streamproc_records_published_total{job="streamproc"})',
            lambda r: bool(r) and sample_value(r[0]) >= sum(topics.values()),
            timeout_s=60,
        )
        yield Deployment(env, worker, prom, topics)


def test_target_up_and_worker_ready(deployment: Deployment) -> None:
    prom = deployment.prom
    assert prom.value('up{job="streamproc"}') == 1.0
    prom.wait_for('streamproc_ready{job="streamproc"} == 1', timeout_s=30)
    assert prom.value('streamproc_ready{job="streamproc"}') == 1.0


def test_health_and_ready_endpoints(deployment: Deployment) -> None:
    health_status, health = deployment.worker.get("/health")
    ready_status, ready = deployment.worker.get("/ready")
    assert health_status == 200, health
    assert ready_status == 200, ready
    assert '"ready":true' in ready.replace(" ", "")


def test_articles_received_equals_what_was_produced(deployment: Deployment) -> None:
    assert deployment.prom.value('streamproc_articles_received_total{job="streamproc"}') == PRODUCED


def test_records_published_by_role_equal_the_output_topics(deployment: Deployment) -> None:
    assert deployment.topics == EXPECTED_TOPICS
    result = deployment.prom.query('streamproc_records_published_total{job="streamproc"}')
    published = {sample["metric"]["role"]: sample_value(sample) for sample in result}
    # A role that never published has no series yet; a zero count is the same fact.
    for role, count in deployment.topics.items():
        assert published.get(role, 0.0) == count, (role, published)


def test_dead_letters_by_code_match_the_bad_inputs(deployment: Deployment) -> None:
    result = deployment.prom.query('streamproc_dlq_total{job="streamproc"}')
    by_code = {sample["metric"]["code"]: sample_value(sample) for sample in result if sample_value(sample)}
    assert by_code == {code: 1.0 for code in BAD}
    assert {sample["metric"]["stage"] for sample in result} == {"parse"}


def test_domain_histograms_and_gauges_have_data(deployment: Deployment) -> None:
    prom = deployment.prom
    stages = {
        s["metric"]["stage"]: sample_value(s) for s in prom.query("streamproc_stage_duration_seconds_count")
    }
    assert stages["parse"] == PRODUCED
    assert stages["enrich"] == len(GOOD) + 1
    assert stages["dedup"] == len(GOOD) + 1
    assert prom.value("streamproc_end_to_end_latency_seconds_count") == sum(deployment.topics.values())
    assert prom.value("streamproc_entities_per_article_count") == len(GOOD) + 1
    assert prom.value('streamproc_duplicates_total{kind="exact"}') == 1
    assert prom.value("streamproc_batch_size_articles_sum") == PRODUCED
    assert prom.value("streamproc_model_load_seconds") > 0
    # The two samples are one story, and the copy joins it: one story was started.
    assert prom.value("streamproc_stories_created_total") == 1


def test_story_metrics_agree_with_news_stories(deployment: Deployment) -> None:
    # Stories: what the topic holds once it has settled, and what Prometheus scraped of it.
    prom = deployment.prom
    values = [r["value"] for r in settled_stories(deployment.env, quiet_s=3.0, timeout=60.0)]
    latest = {v["id"]: v for v in values}
    expected = {
        'streamproc_story_articles_count{job="streamproc"}': len(values),
        'streamproc_story_articles_sum{job="streamproc"}': sum(v["article_count"] for v in values),
        'streamproc_stories_open{job="streamproc"}': len(current_stories(values)),
        'streamproc_story_merges_total{job="streamproc"}': sum(
            v["merged_into"] is not None for v in latest.values()
        ),
    }
    assert expected['streamproc_stories_open{job="streamproc"}'] == 1  # the two samples are one story
    for expr, value in expected.items():
        prom.wait_for(expr, lambda r, v=value: bool(r) and sample_value(r[0]) == v, timeout_s=60)
        assert prom.value(expr) == value, expr


def test_faust_series_exist(deployment: Deployment) -> None:
    prom = deployment.prom
    result = prom.query('count by (__name__) ({job="streamproc", __name__=~"faust_.+"})')
    faust = {sample["metric"]["__name__"] for sample in result}
    assert {"faust_messages_received_total", "faust_events_runtime_ms_bucket"} <= faust, sorted(faust)
    # Faust counted the raw messages it handed to the agents, and more (internal topics).
    assert prom.value('sum(faust_messages_received_total{job="streamproc"})') >= PRODUCED


def _has_series(prom: PrometheusServer, name: str) -> bool:
    return bool(prom.query(f'count({name}{{job="streamproc"}})'))


def _check(prom: PrometheusServer, named: NamedExpr, *, data_expected: bool) -> None:
    prom.query(named.expr)  # raises PromQLError when Prometheus rejects it
    series = set(_SERIES.findall(named.expr))
    if data_expected and series and all(_has_series(prom, name) for name in series):
        # The series are there, so the panel must not be blank (a NaN quantile of zero rates is data).
        # A rate needs two scrapes of a series: a counter born a moment ago may take a second.
        try:
            prom.wait_for(named.expr, bool, timeout_s=30)
        except TimeoutError:
            pytest.fail(f"{named.name}: no data although {sorted(series)} exist")


@pytest.mark.parametrize("named", dashboard_exprs(), ids=[e.name for e in dashboard_exprs()])
def test_dashboard_expression_on_live_worker(deployment: Deployment, named: NamedExpr) -> None:
    _check(deployment.prom, named, data_expected=True)


@pytest.mark.parametrize("named", alert_exprs(), ids=[e.name for e in alert_exprs()])
def test_alert_expression_on_live_worker(deployment: Deployment, named: NamedExpr) -> None:
    # Alert expressions end in a threshold that filters the vector: empty is the healthy answer.
    _check(deployment.prom, named, data_expected=False)


def test_alert_rules_are_healthy_and_a_healthy_worker_fires_nothing_critical(deployment: Deployment) -> None:
    rules = deployment.prom.wait_for_rules(lambda rs: all(r["health"] != "unknown" for r in rs), timeout_s=30)
    assert {r["name"] for r in rules} >= {"StreamprocWorkerDown", "StreamprocNotReady"}
    for rule in rules:
        assert rule["health"] == "ok", (rule["name"], rule.get("lastError"))
    states = {r["name"]: r["state"] for r in rules}
    assert states["StreamprocWorkerDown"] == "inactive"
    assert states["StreamprocNotReady"] == "inactive"
