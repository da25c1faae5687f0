"""State benchmark at scale: the real worker on top of 100,000 or 1,000,000 articles' stored state.

The worker's stateful path runs at tens of articles/s here, so storing 10^5-10^6 articles through
it would take hours to days. Instead (``streamproc/bench/state_seed.py``):

1. the first N articles of ``bench_state.py``'s generator (the same parse, cached enrichment and
   batches of 16) go through the worker's own key owner, collector and stories desk in-process,
   each table write kept with its changelog partition; each key's newest value is produced
   straight into the changelog topics of a fresh deployment (what a compacted changelog holds);
   ``--copies C`` adds C renamed copies of that state (other source offsets, content keys and
   story ids suffixed within their partition, same value sizes): N x (1 + C) articles' worth of
   state, computed for N only;
2. the real worker (``python -m streamproc worker``) starts on it: empty start to ready is the
   full restore from the changelogs (memory://, and rocksdb:// after a crash, which discards the
   local store: ``faust/local_state.py``);
3. the next K articles of the same generator are sent as ``send_batch`` sends them: the stateful
   path's articles/s, CPU and changelog bytes written per article with the state in place, and a
   check of the restored state: each exact copy among them whose original was seeded must come
   out as a duplicate;
4. a clean restart (SIGTERM, start) and, on rocksdb://, a restart after SIGKILL, each to ready.

``--seed-files`` (rocksdb:// only) also writes the worker's table files for the changelogs just
produced (``streamproc/bench/state_files.py``: through the tables' own ``ChangelogPrefixStore``,
with each changelog partition's last offset), so step 2 is a restart with local state at that size
(what a worker that had stored the articles itself finds after a clean stop), not a full restore.
Each start reports the changelog records past the offsets in the files (what it reads).

    .venv/bin/python benchmarks/bench_state_scale.py --articles 100000 --stores rocksdb://,memory://
    .venv/bin/python benchmarks/bench_state_scale.py --articles 100000 --copies 9 --stores rocksdb://

writes ``benchmarks/results/state_scale.json`` (key: articles stored and store) and the plot.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import pickle
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bench_crash_restart
import bench_state
import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.producer.message_accumulator import BatchBuilder

from streamproc.bench.state_files import TableFiles
from streamproc.bench.state_seed import ChangelogRecord, SeedState, changelog_records, renamed_copy
from streamproc.config import Settings, load_settings
from streamproc.enrich.pipeline import EnrichResult
from streamproc.kafka.broker import LocalBroker
from streamproc.kafka.topics import TopicPlan
from streamproc.models import Article, DeadLetter, RawMessage
from streamproc.pipeline import Ingested, Ingestor

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "state_scale.json"
RAW_TOPIC = "scale.raw"  # one raw topic name for every deployment: the seeded source keys name it
PARTITIONS = bench_state.PARTITIONS
# 2: the stories table holds each partition's count of current stories; 3: story records (sp:)
SEED_FORMAT = "v3"


def feed(n: int, skip: int, stamp: datetime) -> Iterator[tuple[RawMessage, EnrichResult]]:
    """The generator's articles ``skip`` .. ``skip + n``, all stamped ``stamp`` (seeded and sent
    articles of one run share one event time: nothing expires, and both ways see the same input)."""
    return itertools.islice(bench_state.articles(RAW_TOPIC, clock=lambda: stamp), skip, skip + n)


def ingested(settings: Settings, n: int, stamp: datetime) -> Iterator[list[Ingested]]:
    """Batches of 16 of the generator's first ``n`` articles, parsed as the worker does."""
    ingestor = Ingestor(settings)
    articles = feed(n, 0, stamp)
    while batch := list(itertools.islice(articles, bench_state.BATCH)):
        raws = [raw for raw, _ in batch]
        parsed = ingestor.parse_all(raws)
        results = [e for (_, e), p in zip(batch, parsed, strict=True) if isinstance(p, Article)]
        items = ingestor.assemble(raws, parsed, results)
        if any(isinstance(item, DeadLetter) for item in items):
            raise RuntimeError("benchmark article dead-lettered")
        yield [item for item in items if isinstance(item, Ingested)]


def compute_seed(settings: Settings, n: int, cache: Path) -> tuple[datetime, list[ChangelogRecord]]:
    """The articles' time and the compacted changelogs after the first ``n`` articles (cached:
    the same for every store)."""
    if cache.exists():
        cached: tuple[datetime, list[ChangelogRecord]] = pickle.loads(cache.read_bytes())
        return cached
    stamp = datetime.now(UTC)
    state = SeedState(settings)
    started, done = time.monotonic(), 0
    for batch in ingested(settings, n, stamp):
        state.add_batch(batch)
        done += len(batch)
        if done % 10_000 < bench_state.BATCH:
            print(f"seeded {done} articles in {time.monotonic() - started:.0f} s", flush=True)
    records = list(changelog_records(state.tables))
    cache.write_bytes(pickle.dumps((stamp, records)))
    return stamp, records


def published_window(
    records: Iterable[ChangelogRecord], highest: int, memory: int
) -> Iterator[ChangelogRecord]:
    """Drop the ``published`` markers the worker would have forgotten (its replay memory keeps the
    newest ``memory`` offsets per partition; ``highest`` is the last seeded offset)."""
    for record in records:
        if record[0] == "published" and int(json.loads(record[2]).rsplit("/", 1)[1]) <= highest - memory:
            continue
        yield record


def all_records(
    seed: list[ChangelogRecord], copies: int, n: int, k: int, settings: Settings
) -> Iterator[ChangelogRecord]:
    """The seed, then ``copies`` renamed copies placed after the K measured articles' offsets."""
    per_partition, k_per_partition = n // PARTITIONS, -(-k // PARTITIONS)
    yield from seed
    for copy in range(1, copies + 1):
        shift = copy * per_partition + k_per_partition
        kept = (r for r in seed if r[0] != "pending")
        yield from renamed_copy(kept, RAW_TOPIC, shift, copy, PARTITIONS)


def count_record(sizes: dict[str, list[int]], table: str, key: bytes, value: bytes) -> None:
    """Add a changelog record to ``sizes``: keys and bytes (key + value) per table and key kind."""
    counts = sizes.setdefault(f"{table}/{bench_state.key_kind(table, key)}", [0, 0])
    counts[0] += 1
    counts[1] += len(key) + len(value)


def live_only(seed: list[ChangelogRecord], args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    """The live state ``run_store`` would produce (the seed, its copies, the published window),
    counted without a broker: what the tables hold per article, by key kind."""
    n, k = args.articles, args.next
    stored = n * (1 + args.copies)
    highest = stored // PARTITIONS + -(-k // PARTITIONS)
    sizes: dict[str, list[int]] = {}
    every = all_records(seed, args.copies, n, k, settings)
    for table, _, key, value in published_window(every, highest, settings.dedup.published_memory):
        count_record(sizes, table, key, value)
    return {
        "articles_stored": stored,
        "articles_computed": n,
        "copies": args.copies,
        "live_state_bytes_per_article": round(sum(b for _, b in sizes.values()) / stored),
        "live_bytes_per_article_by_kind": {t: round(b / stored) for t, (_, b) in sorted(sizes.items())},
        "live_keys_by_kind": {t: c for t, (c, _) in sorted(sizes.items())},
    }


async def produce(
    bootstrap: str, plan: TopicPlan, records: Iterable[ChangelogRecord]
) -> dict[str, list[int]]:
    """Write ``records`` into their tables' changelogs, batch by partition; keys and bytes per key kind."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks=1, linger_ms=20, max_batch_size=900_000, max_request_size=2_000_000
    )
    await producer.start()
    sizes: dict[str, list[int]] = {}
    try:
        open_batches: dict[tuple[str, int], BatchBuilder] = {}
        pending: list[Any] = []
        for table, partition, key, value in records:
            topic = plan.changelogs[table]
            batch = open_batches.get((topic, partition))
            if batch is None:
                batch = open_batches[(topic, partition)] = producer.create_batch()
            if batch.append(key=key, value=value, timestamp=None) is None:
                pending.append(await producer.send_batch(batch, topic, partition=partition))
                batch = open_batches[(topic, partition)] = producer.create_batch()
                batch.append(key=key, value=value, timestamp=None)
            count_record(sizes, table, key, value)
            if len(pending) > 200:
                await asyncio.gather(*pending)
                pending = []
        for (topic, partition), batch in open_batches.items():
            if batch.record_count():
                pending.append(await producer.send_batch(batch, topic, partition=partition))
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sizes


def _changelog_log_bytes(broker: LocalBroker, plan: TopicPlan) -> int:
    return sum(
        bench_state._dir_bytes(broker.data_dir / f"{t}-{p}", "*.log")
        for t in plan.changelogs.values()
        for p in range(PARTITIONS)
    )


def _duplicates_out(bootstrap: str, plan: TopicPlan) -> int:
    return asyncio.run(bench_state._end_offsets(bootstrap, [plan.outputs["duplicates"]]))


def measure_next(
    deployment: bench_state.Deployment,
    proc: subprocess.Popen[bytes],
    plan: TopicPlan,
    messages: list[Any],
    k: int,
) -> dict[str, Any]:
    """Send the next ``k`` articles' messages; the stateful path's figures with the state in place."""
    broker = deployment.broker
    outputs = [plan.outputs[r] for r in bench_state.ROLES]
    written_before = _changelog_log_bytes(broker, plan)
    seconds, worker_cpu, broker_cpu = bench_state.send_and_wait(broker, proc, messages, outputs, k, 1800)
    time.sleep(4.0)  # the last coalesced changes reach their changelogs (a commit: 2.8 s)
    return {
        "next_articles": k,
        "articles_per_s": round(k / seconds, 1),
        "worker_cpu_ms_per_article": round(1000 * worker_cpu / k, 2),
        "broker_cpu_ms_per_article": round(1000 * broker_cpu / k, 2),
        "changelog_bytes_written_per_article": round(
            (_changelog_log_bytes(broker, plan) - written_before) / k
        ),
        "duplicates_out": _duplicates_out(broker.bootstrap, plan),
        "worker_rss_mb": round(bench_state._rss_bytes(proc.pid) / 2**20, 1),
    }


def _restart(
    deployment: bench_state.Deployment, proc: subprocess.Popen[bytes], sig: signal.Signals, name: str
) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    """Stop ``proc`` with ``sig``, start again on the same data dir: the process and its figures
    (to ready s, RSS MB, changelog records past the offsets in the files), keyed ``*_<name>``."""
    proc.send_signal(sig)
    proc.wait(300)
    figures = {f"changelog_records_to_read_{name}": _records_to_read(deployment)}
    proc = deployment.start()
    figures[f"restart_to_ready_{name}_s"] = round(deployment.wait_ready(proc, timeout=3600), 1)
    figures[f"worker_rss_after_{name}_restart_mb"] = round(bench_state._rss_bytes(proc.pid) / 2**20, 1)
    return proc, figures


def _records_to_read(deployment: bench_state.Deployment) -> int | None:
    """Changelog records past the offsets in the worker's table files (what its start reads);
    None for the memory store (it reads them all)."""
    if not deployment.store.startswith("rocksdb"):
        return None
    plan = TopicPlan.of(deployment.settings)
    store_dir = deployment.work / f"worker-{deployment.name}"
    return bench_crash_restart.changelog_to_read(deployment.broker, plan, store_dir)[1]


def changelog_offsets(deployment: bench_state.Deployment, plan: TopicPlan) -> dict[tuple[str, int], int]:
    """(table, partition) -> the offset of its changelog's last record (non-empty partitions)."""
    topics = list(plan.changelogs.values())
    ends = asyncio.run(bench_crash_restart._offsets(deployment.broker.bootstrap, topics))
    return {
        (table, partition): ends[(topic, partition)][1] - 1
        for table, topic in plan.changelogs.items()
        for partition in range(PARTITIONS)
        if ends[(topic, partition)][1] > ends[(topic, partition)][0]
    }


class Teed:
    """Records passed on to the changelogs' producer and written to the worker's table files on the
    way (one pass over the renamed copies), with the seconds the files took."""

    def __init__(self, deployment: bench_state.Deployment, records: Iterable[ChangelogRecord]) -> None:
        self.files = TableFiles(deployment.settings)
        self.records = records
        self.seconds = 0.0

    def __iter__(self) -> Iterator[ChangelogRecord]:
        for record in self.records:
            started = time.monotonic()
            self.files.add(record)
            self.seconds += time.monotonic() - started
            yield record

    def finish(self, deployment: bench_state.Deployment, plan: TopicPlan) -> dict[str, Any]:
        started = time.monotonic()
        written = self.files.finish(changelog_offsets(deployment, plan))
        self.seconds += time.monotonic() - started
        print(f"table files written in {self.seconds:.0f} s: {written}", flush=True)
        return {
            "files_s": round(self.seconds, 1),
            "files_keys": sum(written.values()),
            "files_bytes_after_seeding": bench_state._dir_bytes(self.files.tabledir),
        }


def run_store(
    broker: LocalBroker,
    store: str,
    seed: tuple[datetime, list[ChangelogRecord]],
    args: argparse.Namespace,
    work: Path,
) -> dict[str, Any]:
    stamp, records = seed
    deployment = bench_state.Deployment(broker, store, work, {"STREAMPROC_KAFKA_TOPIC_RAW": RAW_TOPIC})
    settings = deployment.settings
    plan = TopicPlan.of(settings)
    asyncio.run(plan.ensure(settings))
    n, k = args.articles, args.next
    stored = n * (1 + args.copies)
    started = time.monotonic()
    highest = stored // PARTITIONS + -(-k // PARTITIONS)

    def seeded() -> Iterator[ChangelogRecord]:
        every = all_records(records, args.copies, n, k, settings)
        return published_window(every, highest, settings.dedup.published_memory)

    files = args.seed_files and store.startswith("rocksdb")  # the memory store keeps no files
    teed = Teed(deployment, seeded()) if files else None
    sizes = asyncio.run(produce(broker.bootstrap, plan, teed or seeded()))
    produce_s = time.monotonic() - started - (teed.seconds if teed else 0.0)
    live = sum(size for _, size in sizes.values())
    print(
        f"{store}: {stored} articles' state produced in {produce_s:.0f} s ({live / stored:.0f} B/article)",
        flush=True,
    )
    result: dict[str, Any] = {
        "store": store,
        "articles_stored": stored,
        "articles_computed": n,
        "copies": args.copies,
        "table_files_seeded": files,
    }
    if teed is not None:
        result.update(teed.finish(deployment, plan))
    messages = [m for batch in _next_batches(settings, plan, n, k, stamp) for m in batch]
    # seeded files: a restart with local state; else: the full restore from the changelogs
    first = "local" if files else "restore"
    result[f"changelog_records_to_read_{first}"] = _records_to_read(deployment)
    proc = deployment.start()
    try:
        result[f"start_to_ready_{first}_s"] = round(deployment.wait_ready(proc, timeout=3600), 1)
        result[f"worker_rss_after_{first}_mb"] = round(bench_state._rss_bytes(proc.pid) / 2**20, 1)
        print(json.dumps(result), flush=True)
        result.update(measure_next(deployment, proc, plan, messages, k))
        result["expected_duplicates"] = _expected_duplicates(n, k)
        result["expected_duplicates_of_seeded_articles"] = _copies_of_seeded(n, k)
        # memory://: every start is the full restore the empty start measured; not repeated.
        if store.startswith("rocksdb"):
            proc, figures = _restart(deployment, proc, signal.SIGTERM, "clean")
            result.update(figures)
            print(json.dumps(figures), flush=True)
        if store.startswith("rocksdb") and not args.no_kill_restart:
            proc, figures = _restart(deployment, proc, signal.SIGKILL, "kill")
            result.update(figures)
    finally:
        proc.terminate()
        proc.wait(300)
    store_dir = work / f"worker-{deployment.name}"
    result.update(
        {
            "produce_s": round(produce_s, 1),
            "live_state_bytes_per_article": round(live / stored),
            "live_bytes_per_article_by_kind": {t: round(b / stored) for t, (_, b) in sorted(sizes.items())},
            "live_keys_by_kind": {t: c for t, (c, _) in sorted(sizes.items())},
            "store_bytes_on_disk_per_article": round(bench_state._dir_bytes(store_dir) / stored)
            if store.startswith("rocksdb")
            else None,
            "tables_discarded": "local tables discarded"
            in (work / f"worker-{deployment.name}.log").read_text(errors="replace"),
        }
    )
    shutil.rmtree(store_dir, ignore_errors=True)
    return result


def _next_batches(
    settings: Settings, plan: TopicPlan, n: int, k: int, stamp: datetime
) -> Iterator[list[Any]]:
    ingestor = Ingestor(settings)
    articles = feed(k, n, stamp)
    while batch := list(itertools.islice(articles, bench_state.BATCH)):
        yield bench_state._batch_messages(ingestor, plan, batch)


def _expected_duplicates(n: int, k: int) -> int:
    """Exact copies among articles n .. n + k (every 10th re-sends one of the 1,000 before it)."""
    every = bench_state.EXACT_COPY_EVERY
    return sum(1 for serial in range(n, n + k) if serial % every == every - 1)


def _copies_of_seeded(n: int, k: int) -> int:
    """Exact copies among articles n .. n + k whose original is one of the first n (seeded): found
    as duplicates only through the state the worker started with."""
    stamp = datetime.now(UTC)
    seeded = {raw.payload for raw, _ in feed(n, 0, stamp)}
    every = bench_state.EXACT_COPY_EVERY
    return sum(
        1
        for serial, (raw, _) in enumerate(feed(k, n, stamp), start=n)
        if serial % every == every - 1 and raw.payload in seeded
    )


async def read_changelogs(bootstrap: str, plan: TopicPlan) -> dict[tuple[str, int, bytes], bytes]:
    """The newest value of every changelog key: (table, partition, key) -> value."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_bytes=50_000_000
    )
    table_of = {topic: table for table, topic in plan.changelogs.items()}
    await consumer.start()
    try:
        tps = [TopicPartition(t, p) for t in table_of for p in range(PARTITIONS)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        newest: dict[tuple[str, int, bytes], bytes] = {}
        while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
            for tp, batch in (await consumer.getmany(timeout_ms=2000, max_records=20000)).items():
                for r in batch:
                    slot = (table_of[tp.topic], tp.partition, r.key or b"")
                    if r.value is None:
                        newest.pop(slot, None)
                    else:
                        newest[slot] = r.value
        return newest
    finally:
        await consumer.stop()


def compare(
    worker: dict[tuple[str, int, bytes], bytes], seeded: list[ChangelogRecord], examples: dict[str, list[Any]]
) -> dict[str, dict[str, int]]:
    """Per table and key kind: keys with the same value (as JSON) and partition in both, with another
    value, only in the worker's changelogs, only in the seed."""
    seed = {(t, p, k): v for t, p, k, v in seeded}
    out: dict[str, dict[str, int]] = {}
    for slot in worker.keys() | seed.keys():
        table, _, key = slot
        kind = f"{table}/{bench_state.key_kind(table, key)}"
        counts = out.setdefault(kind, dict.fromkeys(VERDICTS, 0))
        for side, values in (("worker_bytes", worker), ("seed_bytes", seed)):
            if slot in values:
                counts[side] += len(key) + len(values[slot])
        if slot not in seed:
            counts["only_worker"] += 1
        elif slot not in worker:
            counts["only_seed"] += 1
        else:
            same = orjson.loads(worker[slot]) == orjson.loads(seed[slot])
            counts["same" if same else "other_value"] += 1
            if not same and len(examples.setdefault(kind, [])) < 2:
                examples[kind].append([key.decode(), worker[slot].decode()[:400], seed[slot].decode()[:400]])
        if slot not in worker and len(examples.setdefault(kind + " only_seed", [])) < 2:
            examples[kind + " only_seed"].append([key.decode(), seed[slot].decode()[:400]])
    return dict(sorted(out.items()))


VERDICTS = ("same", "other_value", "only_worker", "only_seed", "worker_bytes", "seed_bytes")


def verify(broker: LocalBroker, settings: Settings, n: int, work: Path) -> dict[str, Any]:
    """Process the first ``n`` articles both ways: through the worker, and seeded; compare."""
    deployment = bench_state.Deployment(broker, "memory://", work, {"STREAMPROC_KAFKA_TOPIC_RAW": RAW_TOPIC})
    plan = TopicPlan.of(deployment.settings)
    asyncio.run(plan.ensure(deployment.settings))
    stamp = datetime.now(UTC)
    messages = [m for batch in _next_batches(deployment.settings, plan, 0, n, stamp) for m in batch]
    proc = deployment.start()
    try:
        deployment.wait_ready(proc)
        measure_next(deployment, proc, plan, messages, n)
    finally:
        proc.terminate()  # a clean stop flushes the last coalesced changes
        proc.wait(300)
    worker = asyncio.run(read_changelogs(broker.bootstrap, plan))
    state = SeedState(settings)
    for batch in ingested(settings, n, stamp):
        state.add_batch(batch)
    examples: dict[str, list[Any]] = {}
    by_kind = compare(worker, list(changelog_records(state.tables)), examples)
    return {"articles": n, "by_kind": by_kind, "examples": examples}


def restore_progress(work: Path, pid: int) -> dict[str, Any]:
    """A running RocksDB restore, counted read-only: keys per table file, the worker's CPU seconds."""
    import rocksdict

    keys: dict[str, int] = {}
    for path in sorted(work.glob("worker-*/v1/tables/*.db")):
        options = rocksdict.Options(raw_mode=True)
        db = rocksdict.Rdict(str(path), options=options, access_type=rocksdict.AccessType.read_only())
        keys[path.name] = sum(1 for _ in db.keys())  # noqa: SIM118  (an Rdict iterates items)
        db.close()
    return {
        "utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "worker_cpu_s": round(bench_state._cpu_s(pid), 1),
        "keys": sum(keys.values()),
        "keys_by_file": keys,
    }


def growth_points() -> list[dict[str, Any]]:
    """Per store and articles stored: live MB, full restore s, clean restart s (None: not run).
    10,000 is ``bench_state.py``'s run through the worker (state.json, key 10000_final; its full
    restore is the memory store's restart); larger sizes are this benchmark's (state_scale.json)."""
    points = []
    for run in json.loads(RESULTS.with_name("state.json").read_text())["10000_final"]["runs"]:
        memory = run["store"].startswith("memory")
        points.append(
            {
                "store": run["store"],
                "articles": run["articles"],
                "live_mb": run["live_state_bytes_per_article"] * run["articles"] / 2**20,
                # rocksdb's restart there was a clean one (its empty start had no state to restore)
                "restore_s": run["restart_to_ready_s"] if memory else None,
                "clean_s": None if memory else run["restart_to_ready_s"],
            }
        )
    restore = json.loads(RESULTS.with_name("state_scale_restore.json").read_text())
    if "result" in restore:  # the run measured by --restore-progress, as its worker reported it
        points.append(restore["result"])
    for entry in (json.loads(RESULTS.read_text()) if RESULTS.exists() else {}).values():
        for run in entry["runs"]:
            points.append(
                {
                    "store": run["store"],
                    "articles": run["articles_stored"],
                    "live_mb": run["live_state_bytes_per_article"] * run["articles_stored"] / 2**20,
                    "restore_s": run.get("start_to_ready_restore_s"),
                    "clean_s": run.get("restart_to_ready_clean_s"),
                }
            )
    return sorted(points, key=lambda p: (p["store"], p["articles"]))


def plot(path: Path) -> None:
    """Live state and time to ready against articles stored, per store."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = growth_points()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for store in sorted({p["store"] for p in points}):
        mine = [p for p in points if p["store"] == store]
        xs = [p["articles"] for p in mine]
        left.plot(xs, [p["live_mb"] for p in mine], "o-", label=store)
        restored = [(p["articles"], p["restore_s"]) for p in mine if p["restore_s"] is not None]
        if restored:
            right.plot(*zip(*restored, strict=True), "o-", label=f"{store}: full restore (a crash)")
        clean = [(p["articles"], p["clean_s"]) for p in mine if p["clean_s"] is not None]
        if clean:
            right.plot(*zip(*clean, strict=True), "s--", label=f"{store}: clean restart")
    right.axhline(30, color="grey", linestyle=":", label="target, 1,000,000 articles")
    for axis in (left, right):
        axis.set_xscale("log")
        axis.set_xlabel("articles stored")
        axis.legend(fontsize=7)
    left.set_yscale("log")
    left.set_ylabel("live state (MB)")
    right.set_yscale("log")
    right.set_ylabel("seconds to ready")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="articles computed (N)")
    parser.add_argument("--copies", type=int, default=0, help="renamed copies of the computed state")
    parser.add_argument("--next", type=int, default=2_000, help="articles then sent through the worker (K)")
    parser.add_argument("--stores", default="rocksdb://,memory://")
    parser.add_argument(
        "--broker-port", type=int, default=int(os.environ.get("STREAMPROC_BENCH_BROKER_PORT", "29820"))
    )
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp") / "streamproc-bench-state-scale")
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--attach-broker", type=Path, default=None, help="state dir of a running benchmark broker to use"
    )
    parser.add_argument(
        "--no-kill-restart",
        action="store_true",
        help="rocksdb: skip the restart after SIGKILL (a full restore, as the empty start measures)",
    )
    parser.add_argument(
        "--seed-files",
        action="store_true",
        help="rocksdb:// runs: also write the worker's table files (its start is a restart with local state)",
    )
    parser.add_argument("--verify", type=int, default=0, help="compare the seed with the worker on this many")
    parser.add_argument("--plot", action="store_true", help="only redraw state_scale.png")
    parser.add_argument(
        "--live-only", action="store_true", help="only count the live state the seed produces (no broker)"
    )
    parser.add_argument("--restore-progress", type=int, default=0, help="count a restore: the worker's pid")
    args = parser.parse_args()
    if args.plot:
        plot(RESULTS.with_name("state_scale.png"))
        return
    if args.restore_progress:  # of a run in --work-dir, into state_scale_restore.json
        path = RESULTS.with_name("state_scale_restore.json")
        progress = json.loads(path.read_text()) if path.exists() else {"samples": []}
        progress["samples"].append(restore_progress(args.work_dir, args.restore_progress))
        path.write_text(json.dumps(progress, indent=2) + "\n")
        print(json.dumps(progress["samples"][-1]))
        return
    # Named by the seed's format: a seed computed by older code (no story counts) is never reused.
    cache = Path("/tmp") / f"streamproc-state-seed-{args.articles}-{SEED_FORMAT}.pickle"
    # The worker's settings (its config file, the benchmark's partitions): what the seed is computed with.
    settings = load_settings(
        env={
            "STREAMPROC_CONFIG": str(REPO / "config" / "streamproc.toml"),
            "STREAMPROC_KAFKA_PARTITIONS": str(PARTITIONS),
        }
    )
    seed = (datetime.now(UTC), []) if args.verify else compute_seed(settings, args.articles, cache)
    if args.live_only:  # into state_scale_live.json, keyed by articles stored and label (or commit)
        path = RESULTS.with_name("state_scale_live.json")
        existing = json.loads(path.read_text()) if path.exists() else {}
        result = live_only(seed[1], args, settings)
        existing[f"{result['articles_stored']}_{args.label or bench_state._commit()}"] = result
        path.write_text(json.dumps(existing, indent=2) + "\n")
        print(json.dumps(result, indent=2))
        return
    shutil.rmtree(args.work_dir, ignore_errors=True)
    args.work_dir.mkdir(parents=True)
    state_dir = args.attach_broker or args.work_dir / "broker"
    broker = bench_state.bench_broker(args.broker_port, state_dir)
    if not args.attach_broker:
        broker.start()
    if args.verify:
        try:
            check = verify(broker, settings, args.verify, args.work_dir)
        finally:
            broker.stop()
        print(json.dumps(check, indent=2))
        RESULTS.with_name("state_seed_check.json").write_text(json.dumps(check, indent=2) + "\n")
        return
    runs = []
    try:
        for store in args.stores.split(","):
            runs.append(run_store(broker, store.strip(), seed, args, args.work_dir))
            print(json.dumps(runs[-1]), flush=True)
    finally:
        if not args.attach_broker:
            broker.stop()
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    key = f"{args.articles * (1 + args.copies)}{'_' + args.label if args.label else ''}"
    existing[key] = {
        "cores": os.cpu_count(),
        "load_avg": os.getloadavg()[0],
        "code": args.label or bench_state._commit(),
        "runs": runs,
    }
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    plot(RESULTS.with_name("state_scale.png"))
    print(f"written {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
