"""``streamproc bench``: the whole pipeline on real Kafka against its limits, in one run.

Phases (each on its own app id and topics, so runs never see each other's data or state):

1. raw ``nlp.pipe`` over the corpus's parsed text fields in this process (the limit), run
   before the first and each further 1-worker run and after the Kafka phases; the best run
   counts (least disturbed by other load);
2. one worker: pre-warmed (``/ready``), then the corpus is produced as fast as possible;
   throughput = N / (last output record timestamp - first input record timestamp); stage times
   from its ``/metrics``; changelog bytes per stored article; peak RSS of the worker and its
   enrichment processes (sampled from /proc);
3. latency on the same worker: a fresh corpus produced at 50% of the measured throughput;
   latency = output record timestamp - input record timestamp, matched by ``source_offset``;
4. ``repeat - 1`` more 1-worker runs on fresh topics, each after a raw run; the best 1-worker
   throughput counts, as the best raw run does;
5. K workers (default 2) on fresh topics: throughput as in 2;
6. the naive agent (``streamproc.bench.naive``) on fresh topics: throughput as in 2.
"""

from __future__ import annotations

import asyncio
import os
import platform
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from streamproc.bench.corpus import CorpusItem, CorpusSpec, describe_corpus, generate_corpus
from streamproc.bench.options import BenchOptions
from streamproc.bench.stats import (
    compacted_bytes,
    latency_summary,
    match_latencies,
    missing_keys,
    rate,
    ratio,
    shares,
    stage_seconds,
    targets,
)
from streamproc.config import Settings
from streamproc.errors import ParseError, StreamprocError
from streamproc.inputs import InputItem
from streamproc.kafka.topics import TopicPlan
from streamproc.models import RawMessage
from streamproc.worker.process import WorkerProcess, isolated_settings, wait_all_ready, worker_environ

Log = Callable[[str], None]


class BenchError(StreamprocError):
    """A benchmark phase could not complete (worker died, outputs missing)."""


# ----------------------------------------------------------------------------- processes
def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it (from /proc/*/stat parent pids)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class RssSampler:
    """Peak summed RSS of some process trees, sampled every ``interval`` seconds in a thread."""

    def __init__(self, roots: list[int], interval: float = 0.25) -> None:
        self.roots = roots
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(_rss_bytes(pid) for root in self.roots for pid in _descendants(root))
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Deployment:
    """One isolated run: its own app id, topics and data dir; worker processes started on it."""

    settings: Settings
    name: str
    work_dir: Path
    workers: list[WorkerProcess] = field(default_factory=list)

    @classmethod
    def create(cls, base: Settings, label: str, work_dir: Path) -> Deployment:
        name = f"{label}-{uuid.uuid4().hex[:6]}"
        return cls(isolated_settings(base, name, work_dir), name, work_dir)

    @property
    def output_topics(self) -> list[str]:
        kafka = self.settings.kafka
        return [kafka.topic_enriched, kafka.topic_duplicates, kafka.topic_dlq]

    def start(self, module_args: list[str], count: int) -> None:
        for _ in range(count):
            port = _free_port()
            env = worker_environ(self.settings, port)
            log_path = self.work_dir / f"{self.name}-{port}.log"
            self.workers.append(WorkerProcess.start(env, port, log_path, module_args))

    def check_alive(self) -> None:
        for worker in self.workers:
            worker.check_alive()

    def wait_ready(self, timeout: float = 240.0) -> None:
        wait_all_ready(self.workers, timeout)

    def stop(self) -> None:
        for worker in self.workers:
            if worker.proc.poll() is None:
                worker.proc.terminate()
        for worker in self.workers:
            worker.stop()

    @property
    def pids(self) -> list[int]:
        return [worker.proc.pid for worker in self.workers]


# ----------------------------------------------------------------------------- kafka
async def _ensure(deployment: Deployment) -> None:
    """Every topic of the deployment (kafka.topics.TopicPlan), before its workers start."""
    await TopicPlan.of(deployment.settings).ensure(deployment.settings)


async def _read_topics(
    settings: Settings, topics: list[str], *, idle_s: float = 2.0
) -> list[tuple[str, int, int, int, bytes | None, bytes | None]]:
    """Every record of ``topics`` as (topic, partition, offset, timestamp_ms, key, value)."""
    from streamproc.kafka.reading import read_to_end

    return [
        (r.topic, r.partition, r.offset, r.timestamp, r.key, r.value)
        async for r in read_to_end(settings, topics, idle_s=idle_s)
    ]


async def _collect_outputs(
    deployment: Deployment, expected: int, timeout_s: float, since_ms: int = 0
) -> list[tuple[str, int, dict[str, Any]]]:
    """Output records (topic, timestamp_ms, value) until ``expected`` with timestamp >= ``since_ms``."""
    from aiokafka import AIOKafkaConsumer

    from streamproc.kafka.admin import kafka_client_kwargs
    from streamproc.kafka.reading import topic_partitions

    settings = deployment.settings
    tps = await topic_partitions(settings, deployment.output_topics)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **kafka_client_kwargs(settings.kafka),
    )
    await consumer.start()
    found: list[tuple[str, int, dict[str, Any]]] = []
    try:
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        deadline = time.monotonic() + timeout_s
        while len(found) < expected:
            if time.monotonic() > deadline:
                raise BenchError(
                    f"{deployment.name}: {len(found)} of {expected} outputs after {timeout_s:.0f}s"
                )
            deployment.check_alive()
            batch = await consumer.getmany(timeout_ms=500, max_records=1000)
            for records in batch.values():
                for record in records:
                    if record.timestamp >= since_ms:
                        found.append((record.topic, record.timestamp, orjson.loads(record.value)))
    finally:
        await consumer.stop()
    return found


def _produce(settings: Settings, items: list[CorpusItem], rate_per_s: float | None = None) -> float:
    from streamproc.kafka.clients import produce_items

    inputs = [InputItem(f"bench:{item.index}", item.payload) for item in items]
    summary = asyncio.run(produce_items(settings, inputs, rate=rate_per_s))
    if summary.failed:
        raise BenchError(f"{summary.failed} of {len(items)} bench messages failed to produce")
    return summary.seconds


def _input_timestamps(settings: Settings) -> dict[tuple[int, int], int]:
    records = asyncio.run(_read_topics(settings, [settings.kafka.topic_raw]))
    return {(partition, offset): ts for _, partition, offset, ts, _, _ in records}


# ----------------------------------------------------------------------------- phases
@dataclass
class Corpus:
    spec: CorpusSpec
    items: list[CorpusItem]
    texts: list[str]  # every enriched text field of every parseable article
    words: int


def build_corpus(spec: CorpusSpec, settings: Settings) -> Corpus:
    from streamproc.enrich.pipeline import article_fields
    from streamproc.parse import parse_raw

    items = generate_corpus(spec)
    texts: list[str] = []
    for item in items:
        try:
            article = parse_raw(RawMessage(item.payload, datetime.now(UTC)), settings.parse)
        except ParseError:
            continue
        texts.extend(text for _, text in article_fields(article, settings.enrich.max_chars))
    return Corpus(spec, items, texts, sum(len(text.split()) for text in texts))


def raw_nlp_pipe(settings: Settings, texts: list[str]) -> float:
    """Seconds for ``nlp.pipe`` over ``texts`` with the worker's pipeline and batch size."""
    from streamproc.enrich.nlp import load_pipeline

    nlp = load_pipeline(settings.enrich.model)
    for _ in nlp.pipe(texts[:16], batch_size=settings.enrich.pipe_batch_size):  # warm-up
        pass
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=settings.enrich.pipe_batch_size):
        pass
    return time.perf_counter() - started


@dataclass
class Throughput:
    seconds: float
    articles_per_s: float
    words_per_s: float
    peak_rss_bytes: int
    load_average: float


def _throughput_phase(deployment: Deployment, corpus: Corpus, timeout_s: float) -> Throughput:
    load = os.getloadavg()[0]
    with RssSampler(deployment.pids) as sampler:
        _produce(deployment.settings, corpus.items)
        outputs = asyncio.run(_collect_outputs(deployment, len(corpus.items), timeout_s))
    started_ms = min(_input_timestamps(deployment.settings).values())
    seconds = (max(ts for _, ts, _ in outputs) - started_ms) / 1000.0
    return Throughput(
        seconds=round(seconds, 3),
        articles_per_s=rate(len(corpus.items), seconds),
        words_per_s=rate(corpus.words, seconds),
        peak_rss_bytes=sampler.peak,
        load_average=round(load, 2),
    )


def _throughput_run(
    base: Settings, options: BenchOptions, corpus: Corpus, label: str, module_args: list[str], count: int
) -> Throughput:
    """A fresh deployment of ``count`` processes of ``module_args``, its throughput phase, stopped."""
    deployment = Deployment.create(base, label, options.work_dir)
    try:
        asyncio.run(_ensure(deployment))
        deployment.start(module_args, count)
        deployment.wait_ready()
        return _throughput_phase(deployment, corpus, options.phase_timeout_s)
    finally:
        deployment.stop()


def _state_bytes(deployment: Deployment) -> dict[str, int]:
    changelogs = TopicPlan.of(deployment.settings).changelogs.values()
    records = asyncio.run(_read_topics(deployment.settings, list(changelogs)))
    written, live = compacted_bytes((key, value) for _, _, _, _, key, value in records)
    return {
        "changelog_records": len(records),
        "changelog_bytes_written": written,
        "changelog_bytes_live": live,
    }


@dataclass
class _FirstWorker:
    """The first 1-worker deployment: its throughput, stage times, state and latency."""

    throughput: Throughput
    stages: dict[str, float]
    state: dict[str, int]
    offered: float
    latency_articles: int
    latency: dict[str, Any]


def _first_worker(base: Settings, options: BenchOptions, corpus: Corpus, log: Log) -> _FirstWorker:
    one = Deployment.create(base, "w1", options.work_dir)
    try:
        asyncio.run(_ensure(one))
        one.start(WORKER_CMD, 1)
        one.wait_ready()
        first = _throughput_phase(one, corpus, options.phase_timeout_s)
        log(f"1 worker: {first.articles_per_s} articles/s ({first.seconds}s)")
        metrics_text = one.workers[0].get("/metrics")[1]
        stages = stage_seconds(metrics_text)
        time.sleep(2.0)  # let the last table writes reach their changelogs
        state = _state_bytes(one)

        offered = max(0.5, first.articles_per_s * options.load_fraction)
        latency_articles = max(20, round(offered * options.latency_seconds))
        latency_corpus = build_corpus(options.corpus_spec(latency_articles, options.seed + 1), base)
        since_ms = int(time.time() * 1000)
        log(f"latency: {latency_articles} articles at {offered:.2f}/s")
        _produce(one.settings, latency_corpus.items, rate_per_s=offered)
        outputs = asyncio.run(
            _collect_outputs(one, len(latency_corpus.items), options.phase_timeout_s, since_ms=since_ms)
        )
        timestamps = {k: v for k, v in _input_timestamps(one.settings).items() if v >= since_ms}
        latencies = match_latencies(
            timestamps, ((value, ts) for _, ts, value in outputs), one.settings.kafka.topic_raw
        )
    finally:
        one.stop()
    lat = latency_summary(latencies)
    log(f"latency p50 {lat['p50']}s p95 {lat['p95']}s p99 {lat['p99']}s")
    return _FirstWorker(first, stages, state, offered, latency_articles, lat)


WORKER_CMD = ["streamproc", "worker"]


def run_bench(base: Settings, options: BenchOptions, log: Log = print) -> dict[str, Any]:
    """Run every phase and return the report (see ``stats.REQUIRED_KEYS``)."""
    load_at_start = os.getloadavg()
    if base.uses_local_broker:
        from streamproc.kafka.broker import LocalBroker

        log(f"local broker at {LocalBroker(base.broker).start()}")
    corpus = build_corpus(options.corpus_spec(), base)
    described = describe_corpus(corpus.spec, corpus.items)
    log(f"corpus: {described['articles']} items, {described['kinds']}, {corpus.words} words enriched")

    raw_runs = [raw_nlp_pipe(base, corpus.texts)]
    log(f"raw nlp.pipe: {len(corpus.items) / raw_runs[0]:.1f} articles/s")
    first = _first_worker(base, options, corpus, log)
    singles = [first.throughput]
    # More 1-worker runs, each after a raw run: the best of each counts (least disturbed by load).
    for run in range(2, options.repeat + 1):
        raw_runs.append(raw_nlp_pipe(base, corpus.texts))
        log(f"raw nlp.pipe (run {run}): {len(corpus.items) / raw_runs[-1]:.1f} articles/s")
        again = _throughput_run(base, options, corpus, f"w1r{run}", WORKER_CMD, 1)
        log(f"1 worker (run {run}): {again.articles_per_s} articles/s ({again.seconds}s)")
        singles.append(again)

    multi = _throughput_run(base, options, corpus, f"w{options.workers}", WORKER_CMD, options.workers)
    log(f"{options.workers} workers: {multi.articles_per_s} articles/s ({multi.seconds}s)")
    naive_run = _throughput_run(base, options, corpus, "naive", ["streamproc.bench.naive"], 1)
    log(f"naive: {naive_run.articles_per_s} articles/s ({naive_run.seconds}s)")

    raw_runs.append(raw_nlp_pipe(base, corpus.texts))
    log(f"raw nlp.pipe (last): {len(corpus.items) / raw_runs[-1]:.1f} articles/s")
    report = _report(base, options, corpus, described, raw_runs, first, singles, multi, naive_run)
    report["machine"] = {
        "cpu_count": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in load_at_start],
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    report["targets"] = targets(report)
    missing = missing_keys(report)
    if missing:
        raise BenchError(f"report lacks {missing}")
    return report


def _report(
    base: Settings,
    options: BenchOptions,
    corpus: Corpus,
    described: dict[str, Any],
    raw_runs: list[float],
    first: _FirstWorker,
    singles: list[Throughput],
    multi: Throughput,
    naive_run: Throughput,
) -> dict[str, Any]:
    single = max(singles, key=lambda t: t.articles_per_s)
    raw_rate = rate(len(corpus.items), min(raw_runs))
    lat, state = first.latency, first.state
    # State was measured after the 1-worker phase: every parseable input of the corpus is stored.
    stored_articles = len(corpus.items) - described["kinds"].get("bad", 0)
    return {
        "benchmark": "pipeline",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "throughput_articles_per_s": single.articles_per_s,
        "throughput_words_per_s": single.words_per_s,
        "raw_nlp_pipe_articles_per_s": raw_rate,
        "raw_nlp_pipe_words_per_s": rate(corpus.words, min(raw_runs)),
        "raw_nlp_pipe_seconds_runs": [round(s, 3) for s in raw_runs],
        "ratio_to_raw": ratio(single.articles_per_s, raw_rate),
        "workers": options.workers,
        "throughput_2_workers_articles_per_s": multi.articles_per_s,
        "throughput_2_workers_words_per_s": multi.words_per_s,
        "scaling_2_workers": ratio(multi.articles_per_s, single.articles_per_s),
        "naive_articles_per_s": naive_run.articles_per_s,
        "ratio_to_naive": ratio(single.articles_per_s, naive_run.articles_per_s),
        "latency_offered_rate_per_s": round(first.offered, 2),
        "latency_articles": first.latency_articles,
        "latency_p50_s": lat["p50"],
        "latency_p95_s": lat["p95"],
        "latency_p99_s": lat["p99"],
        "latency_max_s": lat["max"],
        "latency_matched": lat["count"],
        "stage_seconds": {k: round(v, 3) for k, v in first.stages.items()},
        "stage_shares": shares(first.stages),
        "peak_rss_bytes": single.peak_rss_bytes,
        "peak_rss_bytes_2_workers": multi.peak_rss_bytes,
        "peak_rss_bytes_naive": naive_run.peak_rss_bytes,
        "state": state,
        "state_bytes_per_article": round(state["changelog_bytes_live"] / stored_articles, 1)
        if stored_articles
        else None,
        "state_bytes_written_per_article": round(state["changelog_bytes_written"] / stored_articles, 1)
        if stored_articles
        else None,
        "phases": {
            "1_worker": vars(single),
            "1_worker_runs": [vars(t) for t in singles],
            f"{options.workers}_workers": vars(multi),
            "naive": vars(naive_run),
        },
        "corpus": described | {"words_enriched": corpus.words, "texts": len(corpus.texts)},
        "settings": {
            "model": base.enrich.model,
            "partitions": base.kafka.partitions,
            "worker_batch_size": base.worker.batch_size,
            "batch_within_s": base.worker.batch_within_s,
            "batches_in_flight": base.worker.batches_in_flight,
            "fetch_max_wait_ms": base.worker.fetch_max_wait_ms,
            "producer_linger_ms": base.worker.producer_linger_ms,
            "pipe_batch_size": base.enrich.pipe_batch_size,
            "enrich_processes_per_worker": base.enrich.processes,
            "store": base.worker.store,
        },
    }
