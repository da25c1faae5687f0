"""Pure maths and report assembly for ``streamproc bench`` (no Kafka, no clock)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# Keys every report has (the README table and the acceptance read these).
REQUIRED_KEYS = (
    "throughput_articles_per_s",
    "throughput_words_per_s",
    "raw_nlp_pipe_articles_per_s",
    "ratio_to_raw",
    "throughput_2_workers_articles_per_s",
    "scaling_2_workers",
    "naive_articles_per_s",
    "ratio_to_naive",
    "latency_offered_rate_per_s",
    "latency_p50_s",
    "latency_p95_s",
    "latency_p99_s",
    "stage_shares",
    "peak_rss_bytes",
    "state_bytes_per_article",
    "corpus",
    "machine",
    "targets",
)

_STAGE_SUM = re.compile(r'^streamproc_stage_duration_seconds_sum\{[^}]*stage="([^"]+)"[^}]*\}\s+(\S+)$')


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) with linear interpolation between ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0.0 <= q <= 100.0:
        raise ValueError(f"percentile {q} outside 0..100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator`` rounded to 3 places, or None when either is missing or zero."""
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)


def rate(count: int, seconds: float) -> float:
    """Items per second; 0 when no time passed (nothing measured)."""
    return round(count / seconds, 2) if seconds > 0 else 0.0


def latency_summary(latencies_s: Sequence[float]) -> dict[str, float | int | None]:
    if not latencies_s:
        return {"count": 0, "p50": None, "p95": None, "p99": None, "max": None, "mean": None}
    return {
        "count": len(latencies_s),
        "p50": round(percentile(latencies_s, 50), 4),
        "p95": round(percentile(latencies_s, 95), 4),
        "p99": round(percentile(latencies_s, 99), 4),
        "max": round(max(latencies_s), 4),
        "mean": round(sum(latencies_s) / len(latencies_s), 4),
    }


def match_latencies(
    input_timestamps_ms: Mapping[tuple[int, int], int],
    outputs: Iterable[tuple[Mapping[str, Any], int]],
    topic: str,
) -> list[float]:
    """Seconds from each input record's timestamp to its output record's, matched by the output
    value's ``source_offset`` ({topic, partition, offset}); outputs of other topics are skipped."""
    latencies: list[float] = []
    for value, output_ms in outputs:
        offset = value.get("source_offset") if isinstance(value, Mapping) else None
        if not isinstance(offset, Mapping) or offset.get("topic") != topic:
            continue
        sent_ms = input_timestamps_ms.get((int(offset["partition"]), int(offset["offset"])))
        if sent_ms is not None:
            latencies.append(max(0.0, (output_ms - sent_ms) / 1000.0))
    return latencies


def stage_seconds(metrics_text: str) -> dict[str, float]:
    """Summed seconds per stage from a Prometheus exposition of ``streamproc_stage_duration_seconds``."""
    found: dict[str, float] = {}
    for line in metrics_text.splitlines():
        match = _STAGE_SUM.match(line.strip())
        if match:
            found[match.group(1)] = found.get(match.group(1), 0.0) + float(match.group(2))
    return found


def shares(parts: Mapping[str, float]) -> dict[str, float]:
    """Each part's share of the total (rounded to 4 places); empty when the total is zero."""
    total = sum(parts.values())
    if total <= 0:
        return {}
    return {name: round(value / total, 4) for name, value in parts.items()}


def compacted_bytes(records: Iterable[tuple[bytes | None, bytes | None]]) -> tuple[int, int]:
    """(bytes written, bytes live after compaction) of a changelog: the last value per key counts,
    a tombstone (None value) removes the key."""
    written = 0
    live: dict[bytes | None, int] = {}
    for key, value in records:
        size = len(key or b"") + len(value or b"")
        written += size
        if value is None:
            live.pop(key, None)
        else:
            live[key] = size
    return written, sum(live.values())


def targets(report: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The issue's targets, each with the measured value and whether it was met (never asserted)."""

    def check(value: Any, goal: float, higher_is_better: bool = True) -> dict[str, Any]:
        met = None if value is None else (value >= goal if higher_is_better else value <= goal)
        return {"value": value, "goal": goal, "met": met}

    return {
        "ratio_to_raw >= 0.9": check(report.get("ratio_to_raw"), 0.9),
        "scaling_2_workers >= 1.7": check(report.get("scaling_2_workers"), 1.7),
        "ratio_to_naive >= 3": check(report.get("ratio_to_naive"), 3.0),
        "latency_p99_s <= 1": check(report.get("latency_p99_s"), 1.0, higher_is_better=False),
    }


def missing_keys(report: Mapping[str, Any]) -> list[str]:
    return [key for key in REQUIRED_KEYS if key not in report]
