"""with_cached_labels: Faust's monitor metrics with label lookups cached export exactly the same."""

from __future__ import annotations

from faust.sensors.prometheus import FaustMetrics
from prometheus_client import CollectorRegistry, generate_latest

from streamproc.faust.monitor import CachedLabels, with_cached_labels


def test_cached_children_are_the_metrics_own_children() -> None:
    registry = CollectorRegistry()
    plain = FaustMetrics.create(registry, "faust")
    cached = with_cached_labels(plain)
    counter = cached.messages_received_per_topics
    assert isinstance(counter, CachedLabels)
    first = counter.labels(topic="news.raw")
    assert counter.labels(topic="news.raw") is first
    assert first is plain.messages_received_per_topics.labels(topic="news.raw")
    assert counter.labels(topic="other") is not first
    assert cached.messages_received is plain.messages_received  # unlabelled: untouched


def test_exported_series_do_not_change() -> None:
    def exercise(metrics: FaustMetrics) -> None:
        for offset in range(3):
            metrics.messages_received_per_topics.labels(topic="t").inc()
            metrics.messages_received_per_topics_partition.labels(topic="t", partition=1).set(offset)
            metrics.table_operations.labels(table="table.pending", operation="keys_retrieved").inc()

    registry_plain, registry_cached = CollectorRegistry(), CollectorRegistry()
    exercise(FaustMetrics.create(registry_plain, "faust"))
    exercise(with_cached_labels(FaustMetrics.create(registry_cached, "faust")))
    exported = generate_latest(registry_cached)
    assert b'faust_messages_received_per_topic_total{topic="t"} 3.0' in exported

    def series(text: bytes) -> list[bytes]:  # without the creation times, which differ
        return [line for line in text.splitlines() if b"_created" not in line]

    assert series(exported) == series(generate_latest(registry_plain))


def test_series_faust_removes_at_a_rebalance_come_back_when_used_again() -> None:
    registry = CollectorRegistry()
    cached = with_cached_labels(FaustMetrics.create(registry, "faust"))
    cached.messages_received_per_topics.labels(topic="t").inc()
    cached.topic_partition_end_offset.labels(topic="t", partition=0).set(5)
    cached.clear_topic_related_metrics()  # what Faust's monitor does at every rebalance
    assert b'topic="t"' not in generate_latest(registry)
    cached.messages_received_per_topics.labels(topic="t").inc()
    cached.topic_partition_end_offset.labels(topic="t", partition=0).set(7)
    exported = generate_latest(registry)
    assert b'faust_messages_received_per_topic_total{topic="t"} 1.0' in exported
    assert b'faust_topic_partition_end_offset{partition="0",topic="t"} 7.0' in exported
