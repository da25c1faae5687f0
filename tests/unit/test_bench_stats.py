"""Benchmark maths: percentiles, ratios, latency matching, metrics parsing, changelog bytes, report keys."""

from __future__ import annotations

from typing import Any

import pytest

from streamproc.bench.stats import (
    REQUIRED_KEYS,
    compacted_bytes,
    latency_summary,
    match_latencies,
    missing_keys,
    percentile,
    rate,
    ratio,
    shares,
    stage_seconds,
    targets,
)


def test_percentile_interpolates_like_numpy() -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 3.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 25) == 2.0
    assert percentile([1.0, 2.0], 99) == pytest.approx(1.99)
    assert percentile([7.0], 99) == 7.0


def test_percentile_rejects_empty_and_out_of_range() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_ratio_and_rate() -> None:
    assert ratio(9.0, 10.0) == 0.9
    assert ratio(2.0, 3.0) == 0.667
    assert ratio(None, 3.0) is None
    assert ratio(1.0, 0.0) is None
    assert rate(30, 2.0) == 15.0
    assert rate(30, 0.0) == 0.0


def test_latency_summary() -> None:
    summary = latency_summary([0.1 * i for i in range(1, 101)])
    assert summary["count"] == 100
    assert summary["p50"] == pytest.approx(5.05)
    assert summary["p99"] == pytest.approx(9.901)
    assert summary["max"] == pytest.approx(10.0)
    assert latency_summary([])["p99"] is None


def test_match_latencies_by_source_offset() -> None:
    inputs = {(0, 5): 1_000, (1, 5): 2_000}
    outputs: list[tuple[dict[str, Any], int]] = [
        ({"source_offset": {"topic": "raw", "partition": 0, "offset": 5}}, 1_250),
        ({"source_offset": {"topic": "raw", "partition": 1, "offset": 5}}, 2_500),
        ({"source_offset": {"topic": "other", "partition": 0, "offset": 5}}, 9_000),  # other topic
        ({"source_offset": {"topic": "raw", "partition": 3, "offset": 0}}, 9_000),  # no input seen
        ({"no": "offset"}, 9_000),
    ]
    assert match_latencies(inputs, outputs, "raw") == [0.25, 0.5]


def test_stage_seconds_from_prometheus_text() -> None:
    text = "\n".join(
        [
            "# HELP streamproc_stage_duration_seconds Processing time per article",
            'streamproc_stage_duration_seconds_bucket{le="0.1",stage="parse"} 3.0',
            'streamproc_stage_duration_seconds_sum{stage="parse"} 0.5',
            'streamproc_stage_duration_seconds_count{stage="parse"} 10.0',
            'streamproc_stage_duration_seconds_sum{stage="enrich"} 9.0',
            'streamproc_stage_duration_seconds_sum{stage="dedup"} 0.5',
            'other_metric_sum{stage="enrich"} 100.0',
        ]
    )
    seconds = stage_seconds(text)
    assert seconds == {"parse": 0.5, "enrich": 9.0, "dedup": 0.5}
    assert shares(seconds) == {"parse": 0.05, "enrich": 0.9, "dedup": 0.05}
    assert shares({}) == {}


def test_compacted_bytes_keeps_last_value_and_drops_tombstones() -> None:
    records = [(b"a", b"1234"), (b"b", b"12"), (b"a", b"12345678"), (b"b", None)]
    written, live = compacted_bytes(records)
    assert written == 5 + 3 + 9 + 1
    assert live == 9


def test_targets_and_required_keys() -> None:
    report = {"ratio_to_raw": 0.95, "scaling_2_workers": 1.2, "ratio_to_naive": 3.5, "latency_p99_s": 1.4}
    checked = targets(report)
    assert checked["ratio_to_raw >= 0.9"]["met"] is True
    assert checked["scaling_2_workers >= 1.7"]["met"] is False
    assert checked["ratio_to_naive >= 3"]["met"] is True
    assert checked["latency_p99_s <= 1"]["met"] is False
    assert targets({})["ratio_to_raw >= 0.9"]["met"] is None
    assert set(missing_keys(report)) == set(REQUIRED_KEYS) - set(report)
    for key in (
        "throughput_articles_per_s",
        "raw_nlp_pipe_articles_per_s",
        "ratio_to_raw",
        "scaling_2_workers",
        "naive_articles_per_s",
        "latency_p50_s",
        "latency_p99_s",
    ):
        assert key in REQUIRED_KEYS
