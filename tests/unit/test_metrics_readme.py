"""The README's Metrics table is what a worker's /metrics serves: every name, its type and labels,
and the series of every closed label set (`role` (enriched, duplicates, dlq)) at 0 before traffic."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from prometheus_client import generate_latest
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.parser import text_string_to_metric_families

from streamproc.app import create_worker
from streamproc.config import Settings
from streamproc.metrics import AGENTS

REPO = Path(__file__).resolve().parents[2]
_ROW = re.compile(r"^\| `(streamproc_\w+)` \| (\w+) \|([^|]*)\|")
_LABEL = re.compile(r"`(\w+)`(?: \(([^)]*)\))?")


@dataclass(frozen=True)
class DocumentedMetric:
    name: str
    type: str
    labels: dict[str, tuple[str, ...]]  # label -> the values the README lists (empty: open set)


def documented_metrics() -> list[DocumentedMetric]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Metrics\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if match := _ROW.match(line):
            labels = {
                label: tuple(v.strip() for v in values.split(",") if v.strip())
                for label, values in _LABEL.findall(match.group(3))
            }
            rows.append(DocumentedMetric(match.group(1), match.group(2), labels))
    return rows


@dataclass(frozen=True)
class ServedMetric:
    type: str
    label_names: set[str]
    samples: list[dict[str, str]]  # the label sets /metrics shows before any traffic


def served_metrics() -> dict[str, ServedMetric]:
    """What an unstarted worker serves, by family name (a counter's without ``_total``)."""
    settings = Settings()
    worker = create_worker(replace(settings, kafka=replace(settings.kafka, bootstrap="127.0.0.1:9")))
    label_names = {
        # private, but a labelled metric has no sample yet to show its label names
        metric._name: set(metric._labelnames)
        for metric in vars(worker.metrics).values()
        if isinstance(metric, MetricWrapperBase)
    }
    text = generate_latest(worker.metrics.registry).decode()
    return {
        family.name: ServedMetric(
            family.type, label_names.get(family.name, set()), [sample.labels for sample in family.samples]
        )
        for family in text_string_to_metric_families(text)
    }


def test_the_table_is_read() -> None:
    rows = {row.name: row for row in documented_metrics()}
    assert len(rows) >= 20
    assert rows["streamproc_records_published_total"].labels == {"role": ("enriched", "duplicates", "dlq")}


def test_every_documented_metric_is_served_with_its_type_and_labels() -> None:
    served = served_metrics()
    for row in documented_metrics():
        family = row.name.removesuffix("_total") if row.type == "counter" else row.name
        assert family in served, f"{row.name} is in the README but not on /metrics"
        metric = served[family]
        assert (metric.type, metric.label_names) == (row.type, set(row.labels)), row.name
        for label, values in row.labels.items():
            shown = {sample.get(label) for sample in metric.samples}
            assert set(values) <= shown, f"{row.name}{{{label}}}: {values} not all on /metrics: {shown}"


def test_every_internal_error_agent_in_the_code_is_exported_at_zero() -> None:
    used = {
        agent
        for path in (REPO / "streamproc").rglob("*.py")
        for agent in re.findall(
            r'internal_errors\.labels\(agent="([^"]+)"\)', path.read_text(encoding="utf-8")
        )
    }
    assert used and used <= set(AGENTS)
