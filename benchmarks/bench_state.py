"""State benchmark: the stateful path (the keyed join's answers, tables and changelogs) on Kafka.

The worker runs as in production (``python -m streamproc worker``) on a broker of this benchmark's
own. Its ingest stage is bypassed: this script parses the articles, takes their enrichment from
a cache (synthetic entities, no NER) and sends each batch's article parts and probes to the
join's topics exactly as the worker's ``send_batch`` does. What is measured is therefore what
the ``answer`` and ``finalize`` agents, the tables and their changelogs cost, per store:

- articles/s of the stateful path: N / (last output - first message sent);
- changelog bytes written per article (the changelog topics' log segments on the broker);
- live state bytes per article: the newest value of every changelog key (what a restore reads
  when compacted); for rocksdb:// also the store's bytes on disk;
- worker RSS (the main process; the idle NER process is not counted);
- restart to ready: SIGTERM, start again on the same data dir, until ``/ready`` (tables recovered).

    .venv/bin/python benchmarks/bench_state.py --articles 10000

writes ``benchmarks/results/state.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streamproc.config import BrokerSettings, Settings, load_settings
from streamproc.enrich.pipeline import EnrichedParts, EnrichResult
from streamproc.join.messages import (
    ArticlePart,
    Part,
    ProbesMessage,
    articles_messages,
    encode,
    probes_messages,
)
from streamproc.join.offline import OfflineJoin
from streamproc.join.owner import group_by_owner
from streamproc.join.source_key import reply_partition
from streamproc.kafka.admin import ensure_topics
from streamproc.kafka.broker import LocalBroker
from streamproc.kafka.topics import TopicPlan
from streamproc.models import Article, DeadLetter, Enrichment, Entity, RawMessage, SourceOffset, Span
from streamproc.pipeline import Ingested, Ingestor

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "state.json"
SAMPLES = REPO / "examples" / "articles"
PARTITIONS = 4
BATCH = 16  # the worker's batch size
EXACT_COPY_EVERY = 10  # every 10th article re-sends an earlier one (the duplicate path)
ROLES = ("enriched", "duplicates", "dlq")

Message = tuple[str, int, bytes, bytes]  # topic, partition, key, value


def vocabulary() -> list[str]:
    words: set[str] = set()
    for path in sorted(SAMPLES.glob("*.txt")):
        words.update(w.strip(".,;:\"'()") for w in path.read_text().split())
    return sorted(w for w in words if w.isalpha())


def article_payload(rng: random.Random, vocab: list[str], serial: int) -> bytes:
    """A unique article: ~250 words drawn from the samples' vocabulary (few shared shingles)."""
    paragraphs = [" ".join(rng.choices(vocab, k=50)) + "." for _ in range(5)]
    return orjson.dumps(
        {"title": f"Report {serial}: " + " ".join(rng.choices(vocab, k=6)), "body": "\n\n".join(paragraphs)}
    )


def cached_enrichment(rng: random.Random, names: list[str]) -> EnrichResult:
    """Six entities (names drawn with a skew: some are in many articles, as in news), no dates."""
    picked = {names[min(len(names) - 1, int(rng.paretovariate(1.2)) - 1)] for _ in range(6)}
    entities = [
        Entity(name, "PERSON", 2, [name], [Span("body", 0, len(name))], round(1.0 - 0.1 * i, 2))
        for i, name in enumerate(sorted(picked))
    ]
    return EnrichedParts(entities, [], Enrichment(ner="cached"))


def articles(
    raw_topic: str, seed: int = 1, clock: Callable[[], datetime] | None = None
) -> Iterator[tuple[RawMessage, EnrichResult]]:
    """Articles without end, round robin over the partitions, each stamped ``clock()`` (default:
    the time the generator started, so all share one event time)."""
    rng = random.Random(seed)
    vocab = vocabulary()
    names = [
        f"{a} {b}" for a in ("Ana", "Ben", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana") for b in vocab[:600]
    ]
    offsets = [0] * PARTITIONS
    sent: list[tuple[bytes, EnrichResult]] = []
    started = datetime.now(UTC)
    serial = 0
    while True:
        if serial % EXACT_COPY_EVERY == EXACT_COPY_EVERY - 1 and sent:
            payload, enrichment = rng.choice(sent[-1000:])
        else:
            payload, enrichment = article_payload(rng, vocab, serial), cached_enrichment(rng, names)
            sent = [*sent[-999:], (payload, enrichment)]
        partition = serial % PARTITIONS
        where = SourceOffset(raw_topic, partition, offsets[partition])
        offsets[partition] += 1
        stamp = started if clock is None else clock()
        yield (
            RawMessage(
                payload=payload, received_at=stamp, source_offset=where, timestamp=stamp, headers={}, key=None
            ),
            enrichment,
        )
        serial += 1


def corpus(n: int, raw_topic: str, seed: int = 1) -> Iterator[tuple[RawMessage, EnrichResult]]:
    return itertools.islice(articles(raw_topic, seed), n)


def join_messages(settings: Settings, plan: TopicPlan, n: int) -> list[Message]:
    """Every message the worker's ingest would send for ``n`` articles, batch by batch."""
    ingestor = Ingestor(settings)
    messages: list[Message] = []
    batch: list[tuple[RawMessage, EnrichResult]] = []
    for item in corpus(n, plan.raw):
        batch.append(item)
        if len(batch) == BATCH:
            messages.extend(_batch_messages(ingestor, plan, batch))
            batch = []
    if batch:
        messages.extend(_batch_messages(ingestor, plan, batch))
    return messages


def _batch_messages(
    ingestor: Ingestor, plan: TopicPlan, batch: list[tuple[RawMessage, EnrichResult]]
) -> list[Message]:
    raws = [raw for raw, _ in batch]
    parsed = ingestor.parse_all(raws)
    results = [enrichment for (_, enrichment), p in zip(batch, parsed, strict=True) if isinstance(p, Article)]
    out: list[Message] = []
    probes = []
    parts = []
    for item in ingestor.assemble(raws, parsed, results):
        if isinstance(item, DeadLetter):
            raise RuntimeError(f"benchmark article dead-lettered: {item.error}")
        assert isinstance(item, Ingested)
        parts.append(ArticlePart(item.pending))
        probes.extend(item.probes)
    for partition, articles in articles_messages(parts, reply_partition):
        out.append((plan.replies, partition, articles.parts[0].source_key.encode(), encode(articles)))
    for partition, owned in group_by_owner(probes, plan.partitions).items():
        for message in probes_messages(owned):
            out.append((plan.probes, partition, message.probes[0].key.encode(), encode(message)))
    return out


@dataclass
class Deployment:
    broker: LocalBroker
    store: str
    work: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    name: str = ""
    web_port: int = 0

    def __post_init__(self) -> None:
        self.name = uuid.uuid4().hex[:8]
        self.web_port = _free_port()

    def environ(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "STREAMPROC_CONFIG": str(REPO / "config" / "streamproc.toml"),
                "STREAMPROC_KAFKA_BOOTSTRAP": self.broker.bootstrap,
                "STREAMPROC_KAFKA_PARTITIONS": str(PARTITIONS),
                "STREAMPROC_KAFKA_TOPIC_RAW": f"s{self.name}.raw",
                "STREAMPROC_KAFKA_TOPIC_ENRICHED": f"s{self.name}.enriched",
                "STREAMPROC_KAFKA_TOPIC_DUPLICATES": f"s{self.name}.duplicates",
                "STREAMPROC_KAFKA_TOPIC_DLQ": f"s{self.name}.dlq",
                "STREAMPROC_WORKER_APP_ID": f"state-bench-{self.name}",
                "STREAMPROC_WORKER_WEB_PORT": str(self.web_port),
                "STREAMPROC_WORKER_DATA_DIR": str(self.work / f"worker-{self.name}"),
                "STREAMPROC_WORKER_STORE": self.store,
                "STREAMPROC_WORKER_LOG_LEVEL": "warning",
                **self.extra_env,
            }
        )
        return env

    @property
    def settings(self) -> Settings:
        return load_settings(env=self.environ())

    def start(self) -> subprocess.Popen[bytes]:
        log = (self.work / f"worker-{self.name}.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", "streamproc", "worker"],
            env=self.environ(),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )

    def wait_ready(self, proc: subprocess.Popen[bytes], timeout: float = 600.0) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"worker exited with {proc.returncode}, see {self.work}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}/ready", timeout=5) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except (OSError, urllib.error.HTTPError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout}s")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _send(bootstrap: str, messages: list[Message]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_request_size=2_000_000
    )
    await producer.start()
    try:
        futures = [await producer.send(t, value=v, key=k, partition=p) for t, p, k, v in messages]
        for future in futures:
            await future
    finally:
        await producer.stop()


async def _end_offsets(bootstrap: str, topics: list[str]) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        ends = await consumer.end_offsets([TopicPartition(t, p) for t in topics for p in range(PARTITIONS)])
        return sum(ends.values())
    finally:
        await consumer.stop()


def key_kind(table: str, key: bytes) -> str:
    """What a changelog key holds: the content key's kind, the pending article or its answers."""
    text = key.decode(errors="replace").strip('"')
    if table == "dedup-keys":
        kinds = {"fp": "fingerprint", "st": "story", "al": "alias", "sg": "band record", "sp": "story record"}
        return kinds.get(text.split(":", 1)[0], "band")
    if table == "pending":
        return "replies" if "#" in text else "article"
    return "-"


async def _changelog_bytes(bootstrap: str, changelogs: dict[str, str]) -> dict[str, Any]:
    """Per table and key kind: keys and bytes (key + newest value) live, and bytes written (every
    record's key + value); the live figures are what a compacted restore reads."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        fetch_max_bytes=50_000_000,
        max_partition_fetch_bytes=10_000_000,
    )
    table_of = {topic: table for table, topic in changelogs.items()}
    await consumer.start()
    try:
        tps = [TopicPartition(t, p) for t in changelogs.values() for p in range(PARTITIONS)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        newest: dict[tuple[str, bytes], int] = {}
        written: dict[str, int] = {}
        while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
            batch = await consumer.getmany(timeout_ms=2000, max_records=20000)
            for tp, records in batch.items():
                table = table_of[tp.topic]
                for r in records:
                    key = (table, r.key or b"")
                    size = len(r.key or b"") + len(r.value or b"")
                    kind = f"{table}/{key_kind(table, key[1])}"
                    written[kind] = written.get(kind, 0) + size
                    if r.value is None:
                        newest.pop(key, None)
                    else:
                        newest[key] = size
        live: dict[str, list[int]] = {}
        for (table, table_key), size in newest.items():
            counts = live.setdefault(f"{table}/{key_kind(table, table_key)}", [0, 0])
            counts[0] += 1
            counts[1] += size
        return {"written": written, "live": live}
    finally:
        await consumer.stop()


def _dir_bytes(path: Path, pattern: str = "*") -> int:
    return sum(f.stat().st_size for f in path.rglob(pattern) if f.is_file()) if path.exists() else 0


def _cpu_s(pid: int | None) -> float:
    """User + system CPU seconds of a process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _broker_pid(broker: LocalBroker) -> int | None:
    try:
        return int(broker.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def bench_broker(port: int, state_dir: Path) -> LocalBroker:
    """This benchmark's own broker (not started): ``port`` and the controller at ``port + 1``."""
    return LocalBroker(BrokerSettings(port=port, controller_port=port + 1, state_dir=str(state_dir)))


def send_and_wait(
    broker: LocalBroker,
    proc: subprocess.Popen[bytes],
    messages: list[Message],
    outputs: list[str],
    n: int,
    limit_s: float,
) -> tuple[float, float, float]:
    """Send ``messages`` and wait for ``n`` records on ``outputs``: seconds, and the CPU seconds of
    the worker's main process and of the broker meanwhile (what an article costs them whatever
    else the machine runs; wall-clock articles/s moves with the load)."""
    cpu_before = _cpu_s(proc.pid), _cpu_s(_broker_pid(broker))
    sent_at = time.monotonic()
    asyncio.run(_send(broker.bootstrap, messages))
    while (done := asyncio.run(_end_offsets(broker.bootstrap, outputs))) < n:
        if proc.poll() is not None:
            raise RuntimeError(f"worker exited with {proc.returncode}")
        if time.monotonic() - sent_at > limit_s:
            raise RuntimeError(f"only {done} of {n} outputs after {limit_s:.0f} s")
        time.sleep(0.5)
    seconds = time.monotonic() - sent_at
    return seconds, _cpu_s(proc.pid) - cpu_before[0], _cpu_s(_broker_pid(broker)) - cpu_before[1]


def _rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def run_store(broker: LocalBroker, store: str, n: int, work: Path) -> dict[str, Any]:
    deployment = Deployment(broker, store, work)
    settings = deployment.settings
    plan = TopicPlan.of(settings)
    started = time.monotonic()
    messages = join_messages(settings, plan, n)
    prepare_s = time.monotonic() - started
    asyncio.run(
        ensure_topics(broker.bootstrap, {t: PARTITIONS for t in (plan.raw, *plan.outputs.values())}, 1)
    )
    proc = deployment.start()
    try:
        empty_start_s = deployment.wait_ready(proc)
        outputs = [plan.outputs[r] for r in ROLES]
        seconds, worker_cpu, broker_cpu = send_and_wait(broker, proc, messages, outputs, n, 3600)
        time.sleep(3.0)  # the last table writes reach their changelogs
        rss = _rss_bytes(proc.pid)
    finally:
        proc.terminate()
        proc.wait(120)
    changelogs = list(plan.changelogs.values())
    # Segment files only (the index files are preallocated).
    written = sum(
        _dir_bytes(broker.data_dir / f"{t}-{p}", "*.log") for t in changelogs for p in range(PARTITIONS)
    )
    split = asyncio.run(_changelog_bytes(broker.bootstrap, plan.changelogs))
    keys = sum(count for count, _ in split["live"].values())
    live = sum(size for _, size in split["live"].values())
    store_dir = work / f"worker-{deployment.name}"
    on_disk = _dir_bytes(store_dir) if store.startswith("rocksdb") else None
    proc = deployment.start()
    try:
        restart_s = deployment.wait_ready(proc)
        rss_after_restart = _rss_bytes(proc.pid)
    finally:
        proc.terminate()
        proc.wait(120)
    return {
        "store": store,
        "articles": n,
        "prepare_s": round(prepare_s, 1),
        "articles_per_s": round(n / seconds, 1),
        "worker_cpu_ms_per_article": round(1000 * worker_cpu / n, 2),
        "broker_cpu_ms_per_article": round(1000 * broker_cpu / n, 2),
        "changelog_bytes_written_per_article": round(written / n),
        "changelog_keys_live": keys,
        "live_state_bytes_per_article": round(live / n),
        "store_bytes_on_disk_per_article": None if on_disk is None else round(on_disk / n),
        "worker_rss_mb": round(rss / 2**20, 1),
        "worker_rss_after_restart_mb": round(rss_after_restart / 2**20, 1),
        "start_to_ready_empty_s": round(empty_start_s, 1),
        "restart_to_ready_s": round(restart_s, 1),
        # Per table/key kind, bytes per article: live (newest value per key) and written (records).
        "live_bytes_per_article_by_kind": {
            k: round(size / n) for k, (_, size) in sorted(split["live"].items())
        },
        "live_keys_by_kind": {k: count for k, (count, _) in sorted(split["live"].items())},
        "written_bytes_per_article_by_kind": {k: round(b / n) for k, b in sorted(split["written"].items())},
    }


class ChangelogTail:
    """The changelogs read as they grow: the newest value's size per (table, key), so a sample
    reads only what was written since the last one."""

    def __init__(self, bootstrap: str, changelogs: dict[str, str]) -> None:
        self.table_of = {topic: table for table, topic in changelogs.items()}
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_bytes=50_000_000
        )
        self.newest: dict[tuple[str, bytes], int] = {}

    async def start(self) -> None:
        await self.consumer.start()
        tps = [TopicPartition(t, p) for t in self.table_of for p in range(PARTITIONS)]
        self.consumer.assign(tps)
        await self.consumer.seek_to_beginning(*tps)

    async def live(self) -> dict[str, list[int]]:
        """Per table: [live keys, live bytes] as of now."""
        tps = list(self.consumer.assignment())
        ends = await self.consumer.end_offsets(tps)
        while [tp for tp in tps if await self.consumer.position(tp) < ends[tp]]:
            for tp, records in (await self.consumer.getmany(timeout_ms=1000, max_records=20000)).items():
                for r in records:
                    key = (self.table_of[tp.topic], r.key or b"")
                    if r.value is None:
                        self.newest.pop(key, None)
                    else:
                        self.newest[key] = len(r.key or b"") + len(r.value)
        out: dict[str, list[int]] = {table: [0, 0] for table in self.table_of.values()}
        for (table, _), size in self.newest.items():
            out[table][0] += 1
            out[table][1] += size
        return out


def _metric_total(port: int, name: str) -> float:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(name))


def soak_env(horizon_min: float) -> dict[str, str]:
    """Horizons of minutes (dedup and stories), a sweep every few seconds, a replay memory of
    1,000 offsets per partition (it is bounded by count, not by time)."""
    days = str(horizon_min / 1440.0)
    return {
        "STREAMPROC_DEDUP_HORIZON_DAYS": days,
        "STREAMPROC_DEDUP_STORY_HORIZON_DAYS": days,
        "STREAMPROC_DEDUP_SWEEP_INTERVAL_S": "10",
        "STREAMPROC_DEDUP_PUBLISHED_MEMORY": "1000",
    }


async def _soak_feed(
    deployment: Deployment, minutes: float, rate: float, sample_s: float
) -> list[dict[str, Any]]:
    """Send ``rate`` articles/s stamped with the wall clock for ``minutes``; sample the state."""
    bootstrap = deployment.broker.bootstrap
    plan = TopicPlan.of(deployment.settings)
    ingestor = Ingestor(deployment.settings)
    feed = articles(plan.raw, clock=lambda: datetime.now(UTC))
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, max_request_size=2_000_000
    )
    tail = ChangelogTail(bootstrap, plan.changelogs)
    await producer.start()
    await tail.start()
    samples: list[dict[str, Any]] = []
    started, sent, next_sample = time.monotonic(), 0, 0.0
    try:
        while (elapsed := time.monotonic() - started) < minutes * 60:
            due = int(elapsed * rate) - sent
            for _ in range(0, due, BATCH):
                batch = list(itertools.islice(feed, min(BATCH, due)))
                due -= len(batch)
                for t, p, k, v in _batch_messages(ingestor, plan, batch):
                    await producer.send(t, value=v, key=k, partition=p)
                sent += len(batch)
            if elapsed >= next_sample:
                next_sample += sample_s
                live = await tail.live()
                evicted = _metric_total(deployment.web_port, "streamproc_state_entries_evicted_total")
                out = await _end_offsets(bootstrap, [plan.outputs[r] for r in ROLES])
                samples.append(
                    {
                        "t_s": round(elapsed, 1),
                        "sent": sent,
                        "published": out,
                        "evicted": evicted,
                        "live": live,
                    }
                )
                print(json.dumps(samples[-1]), flush=True)
            await asyncio.sleep(0.2)
    finally:
        await producer.stop()
        await tail.consumer.stop()
    return samples


def run_soak(broker: LocalBroker, args: argparse.Namespace) -> dict[str, Any]:
    deployment = Deployment(
        broker, args.stores.split(",")[0].strip(), args.work_dir, soak_env(args.horizon_minutes)
    )
    plan = TopicPlan.of(deployment.settings)
    asyncio.run(
        ensure_topics(broker.bootstrap, {t: PARTITIONS for t in (plan.raw, *plan.outputs.values())}, 1)
    )
    proc = deployment.start()
    try:
        deployment.wait_ready(proc)
        samples = asyncio.run(_soak_feed(deployment, args.soak_minutes, args.rate, args.sample_seconds))
    finally:
        proc.terminate()
        proc.wait(120)
    return {
        "store": deployment.store,
        "horizon_minutes": args.horizon_minutes,
        "rate_per_s": args.rate,
        "minutes": args.soak_minutes,
        "env": soak_env(args.horizon_minutes),
        "samples": samples,
    }


def plot_soak(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    samples = result["samples"]
    minutes = [s["t_s"] / 60 for s in samples]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    for table in samples[0]["live"]:
        top.plot(minutes, [s["live"][table][1] / 2**20 for s in samples], label=table)
    top.set_ylabel("live state (MB)")
    top.axvline(result["horizon_minutes"], color="grey", linestyle="--", label="horizon")
    top.legend(fontsize=8)
    bottom.plot(minutes, [s["sent"] for s in samples], label="articles sent")
    bottom.plot(minutes, [s["published"] for s in samples], label="articles published")
    bottom.plot(minutes, [s["evicted"] for s in samples], label="entries evicted (metric)")
    bottom.set_xlabel("minutes")
    bottom.legend(fontsize=8)
    rate, store = result["rate_per_s"], result["store"]
    top.set_title(f"state soak: horizon {result['horizon_minutes']} min, {rate} articles/s ({store})")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


class SerialisedTable(MutableMapping[str, Any]):
    """A dict table whose values go through JSON as on a changelog, counting the bytes written
    per key kind (``key_kind``)."""

    def __init__(self, name: str, written: dict[str, int]) -> None:
        self.name, self.encoded, self.written = name, dict[str, bytes](), written

    def _count(self, key: str, size: int) -> None:
        kind = f"{self.name}/{key_kind(self.name, key.encode())}"
        self.written[kind] = self.written.get(kind, 0) + len(key) + size

    def __getitem__(self, key: str) -> Any:
        return orjson.loads(self.encoded[key])

    def __setitem__(self, key: str, value: Any) -> None:
        data = orjson.dumps(value)
        self.encoded[key] = data
        self._count(key, len(data))

    def __delitem__(self, key: str) -> None:
        del self.encoded[key]
        self._count(key, 0)

    def __iter__(self) -> Iterator[str]:
        return iter(self.encoded)

    def __len__(self) -> int:
        return len(self.encoded)


def run_in_process(n: int) -> dict[str, Any]:
    """The join's own CPU cost and bytes, without Kafka: the worker's key owner and collector over
    serialising tables, each input's probes answered per owning partition as in the worker.
    All articles share one event time (no eviction): the growth curve is the state per article."""
    settings = load_settings(env={})
    written: dict[str, int] = {}
    keys, pending = SerialisedTable("dedup-keys", written), SerialisedTable("pending", written)
    join = OfflineJoin(settings, keys_table=keys, pending_table=pending)
    ingestor = Ingestor(settings)
    cpu_s, done = 0.0, 0
    curve: list[dict[str, int]] = []  # live bytes as the articles add up (the growth curve)
    # Articles are made one at a time (a million made up front would not fit in memory).
    for raw, enrichment in corpus(n, "raw"):
        for item in ingestor.assemble([raw], ingestor.parse_all([raw]), [enrichment]):
            assert isinstance(item, Ingested)
            started = time.process_time()
            _join_one(join, item)
            cpu_s += time.process_time() - started
            done += 1
        if done % max(1, n // 10) == 0:
            curve.append({"articles": done, "live_bytes": _live_sizes(keys, pending)[1]})
    live = _live_sizes(keys, pending)[0]
    return {
        "articles": done,
        "join_cpu_ms_per_article": round(1000 * cpu_s / done, 2),
        # The benchmark process's peak RSS: the tables' encoded values plus Python's dict overhead.
        "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "live_bytes_per_article_by_kind": {k: round(v / n) for k, v in sorted(live.items())},
        "written_bytes_per_article_by_kind": {k: round(v / n) for k, v in sorted(written.items())},
        "live_bytes_per_article": round(sum(live.values()) / n),
        "written_bytes_per_article": round(sum(written.values()) / n),
        "growth": curve,
    }


def _join_one(join: OfflineJoin, item: Ingested) -> None:
    parts: list[Part] = [ArticlePart(item.pending)]
    for owner, owned in sorted(group_by_owner(item.probes, PARTITIONS).items()):
        for _, replies in join.owner.handle(owner, ProbesMessage(owned)):
            parts.extend(replies.parts())
    publication = None
    for part in parts:
        publication = join.collector.take(0, part) or publication
    assert publication is not None
    for assignment in publication.story_assignments:
        join.owner.assign(assignment)
    join.collector.published_out(publication)


def _live_sizes(*tables: SerialisedTable) -> tuple[dict[str, int], int]:
    """Live bytes per key kind, and in all."""
    live: dict[str, int] = {}
    for table in tables:
        for key, data in table.encoded.items():
            kind = f"{table.name}/{key_kind(table.name, key.encode())}"
            live[kind] = live.get(kind, 0) + len(key) + len(data)
    return live, sum(live.values())


def plot_growth(path: Path) -> None:
    """Live state against articles stored, one line per run in state_in_process.json."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(7, 4))
    for name, run in json.loads(RESULTS.with_name("state_in_process.json").read_text()).items():
        if not run.get("plot", True):  # a repeat of a plotted run (same code, same bytes)
            continue
        label = f"{run.get('code', name)}, {run['articles']:,}: {run['live_bytes_per_article']} B/article"
        axis.plot(
            [p["articles"] for p in run["growth"]],
            [p["live_bytes"] / 2**20 for p in run["growth"]],
            label=label,
        )
    axis.set_xscale("log")  # runs of 5,000 and of 100,000 articles on one plot
    axis.set_yscale("log")
    axis.set_xlabel("articles stored (one event time: nothing expires)")
    axis.set_ylabel("live state (MB)")
    axis.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def _commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
    return out.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--stores", default="memory://,rocksdb://")
    parser.add_argument(
        "--broker-port", type=int, default=int(os.environ.get("STREAMPROC_BENCH_BROKER_PORT", "29820"))
    )
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp") / "streamproc-bench-state")
    parser.add_argument("--soak-minutes", type=float, default=0.0, help="run the horizon soak instead")
    parser.add_argument("--horizon-minutes", type=float, default=2.0)
    parser.add_argument("--rate", type=float, default=10.0, help="soak articles per second")
    parser.add_argument("--sample-seconds", type=float, default=15.0)
    parser.add_argument("--in-process", action="store_true", help="the join alone, no Kafka (CPU, bytes)")
    parser.add_argument("--label", default="", help="what code ran (the result's key: articles + label)")
    args = parser.parse_args()
    if args.in_process:
        result = run_in_process(args.articles)
        print(json.dumps(result))
        path = RESULTS.with_name("state_in_process.json")
        existing = json.loads(path.read_text()) if path.exists() else {}
        run = {"load_avg": os.getloadavg()[0], "code": args.label or _commit(), **result}
        existing[f"{args.articles}{'_' + args.label if args.label else ''}"] = run
        path.write_text(json.dumps(existing, indent=2) + "\n")
        plot_growth(RESULTS.with_name("state_growth.png"))
        return
    shutil.rmtree(args.work_dir, ignore_errors=True)
    args.work_dir.mkdir(parents=True)
    broker = bench_broker(args.broker_port, args.work_dir / "broker")
    broker.start()
    if args.soak_minutes:
        try:
            result = run_soak(broker, args)
        finally:
            broker.stop()
        RESULTS.with_name("state_soak.json").write_text(json.dumps(result, indent=2) + "\n")
        plot_soak(result, RESULTS.with_name("state_soak.png"))
        print("written benchmarks/results/state_soak.json and state_soak.png")
        return
    try:
        runs = []
        for store in args.stores.split(","):
            result = run_store(broker, store.strip(), args.articles, args.work_dir)
            print(json.dumps(result), flush=True)
            runs.append(result)
    finally:
        broker.stop()
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    key = f"{args.articles}{'_' + args.label if args.label else ''}"
    existing[key] = {
        "cores": os.cpu_count(),
        "load_avg": os.getloadavg()[0],
        "code": args.label or _commit(),
        "runs": runs,
    }
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"written {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
