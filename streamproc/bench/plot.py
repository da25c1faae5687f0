"""The benchmark report as a PNG (matplotlib, installed with the ``bench`` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot_report(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4.8))
    workers = report.get("workers", 2)
    names = ["raw nlp.pipe\n(limit)", "pipeline\n1 worker", f"pipeline\n{workers} workers", "naive agent"]
    values = [
        report["raw_nlp_pipe_articles_per_s"],
        report["throughput_articles_per_s"],
        report["throughput_2_workers_articles_per_s"],
        report["naive_articles_per_s"],
    ]
    bars = left.bar(names, values, color=["#999999", "#1f77b4", "#2ca02c", "#d62728"])
    left.bar_label(bars, fmt="%.1f")
    left.set_ylabel("articles / s")
    left.set_title("Throughput (same corpus, same run)")

    latencies = [report.get(f"latency_p{q}_s") for q in (50, 95, 99)]
    lat_bars = middle.bar(["p50", "p95", "p99"], [v or 0.0 for v in latencies], color="#9467bd")
    middle.bar_label(lat_bars, fmt="%.2f s")
    middle.axhline(1.0, color="black", linestyle="--", linewidth=1, label="target p99 1 s")
    middle.set_ylabel("seconds")
    middle.set_title(f"End-to-end latency at {report['latency_offered_rate_per_s']} articles/s")
    middle.legend()

    stage_shares: dict[str, float] = report.get("stage_shares") or {}
    if stage_shares:
        right.pie(
            list(stage_shares.values()),
            labels=[f"{k} {v:.1%}" for k, v in stage_shares.items()],
            startangle=90,
        )
    right.set_title("Per-article stage time (1 worker)")

    machine = report.get("machine", {})
    load = machine.get("load_average_at_start", ["?"])[0]
    corpus = report.get("corpus", {})
    fig.suptitle(
        f"streamproc bench: {corpus.get('articles')} articles, {corpus.get('words_enriched')} words; "
        f"{machine.get('cpu_count')} CPUs, load average {load} at start"
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
