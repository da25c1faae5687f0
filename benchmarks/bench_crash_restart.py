"""Crash restart benchmark: restart to ready after a SIGKILL with many articles stored (rocksdb://).

Uses ``bench_state.py``'s deployment and join messages (the stateful path, no NER): a worker on
a broker of this benchmark's own stores N articles; M more are sent and the worker is SIGKILLed
once about a quarter of them are out (a crash mid-stream, with table changes not yet in the
changelog); the restart is timed until ``/ready`` (tables recovered); then every output must
arrive, each input once. A clean restart (SIGTERM) is timed last, for reference.

    .venv/bin/python benchmarks/bench_crash_restart.py --articles 10000 --label NAME \
        [--baseline /path/to/older/checkout --baseline-label OLD]

writes ``benchmarks/results/state_crash_restart.json`` (key: articles and label). ``--baseline``
runs an older checkout's worker at the same time on the same broker (its own topics and data
dir), so both see the same load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_state
from aiokafka import AIOKafkaConsumer, TopicPartition
from rocksdict import AccessType, Options, Rdict

from streamproc.config import Settings
from streamproc.kafka.admin import ensure_topics
from streamproc.kafka.broker import LocalBroker
from streamproc.kafka.topics import TopicPlan
from streamproc.pipeline import Ingestor

OFFSET_KEY = b"__faust\0offset__"  # where Faust's RocksDB store keeps a partition's changelog offset
RESULTS = bench_state.RESULTS.with_name("state_crash_restart.json")


@dataclass
class CodeDeployment(bench_state.Deployment):
    """A deployment whose worker runs the code of the checkout at ``code`` (a baseline)."""

    code: Path = bench_state.REPO

    def environ(self) -> dict[str, str]:
        env = super().environ()
        if self.code != bench_state.REPO:
            env["PYTHONPATH"] = str(self.code)
        return env

    def start(self) -> subprocess.Popen[bytes]:
        log = (self.work / f"worker-{self.name}.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", "streamproc", "worker"],
            env=self.environ(),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.code,  # python -m puts the working directory first on the path
        )


def split_messages(
    settings: Settings, plan: TopicPlan, stored: int, extra: int
) -> tuple[list[bench_state.Message], list[bench_state.Message]]:
    """The join messages of the first ``stored`` articles and of the ``extra`` after them."""
    ingestor = Ingestor(settings)
    items = list(bench_state.corpus(stored + extra, plan.raw))
    first: list[bench_state.Message] = []
    rest: list[bench_state.Message] = []
    for start in range(0, len(items), bench_state.BATCH):
        target = first if start < stored else rest
        target.extend(bench_state._batch_messages(ingestor, plan, items[start : start + bench_state.BATCH]))
    return first, rest


def outputs_done(broker: LocalBroker, plan: TopicPlan) -> int:
    outputs = [plan.outputs[role] for role in bench_state.ROLES]
    return asyncio.run(bench_state._end_offsets(broker.bootstrap, outputs))


def wait_outputs(broker: LocalBroker, plan: TopicPlan, proc: subprocess.Popen[bytes], n: int) -> float:
    started = time.monotonic()
    while (done := outputs_done(broker, plan)) < n:
        if proc.poll() is not None:
            raise RuntimeError(f"worker exited with {proc.returncode}")
        if time.monotonic() - started > 3600:
            raise RuntimeError(f"only {done} of {n} outputs after an hour")
        time.sleep(0.3)
    return time.monotonic() - started


async def _offsets(bootstrap: str, topics: list[str]) -> dict[tuple[str, int], tuple[int, int]]:
    """(topic, partition) -> (first offset, end offset) of each changelog partition."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(t, p) for t in topics for p in range(bench_state.PARTITIONS)]
        firsts, ends = await consumer.beginning_offsets(tps), await consumer.end_offsets(tps)
        return {(tp.topic, tp.partition): (firsts[tp], ends[tp]) for tp in tps}
    finally:
        await consumer.stop()


def changelog_to_read(broker: LocalBroker, plan: TopicPlan, store_dir: Path) -> tuple[int, int]:
    """Changelog records in all (the most a restore reads) and past the offsets persisted in the
    killed worker's files (what a restore from them reads: everything where no offset is stored)."""
    offsets = asyncio.run(_offsets(broker.bootstrap, list(plan.changelogs.values())))
    total = tail = 0
    for table, topic in plan.changelogs.items():
        for partition in range(bench_state.PARTITIONS):
            first, end = offsets[(topic, partition)]
            total += end - first
            persisted = _persisted_offset(store_dir, table, partition)
            # the persisted offset is the last record the files hold: a restore reads from the next
            tail += end - (first if persisted is None else max(first, persisted + 1))
    return total, tail


def _persisted_offset(store_dir: Path, table: str, partition: int) -> int | None:
    paths = list(store_dir.glob(f"**/tables/{table}-{partition}.db"))
    if not paths:
        return None
    db = Rdict(str(paths[0]), options=Options(raw_mode=True), access_type=AccessType.read_only())
    try:
        value = db.get(OFFSET_KEY)
    finally:
        db.close()
    return None if value is None else int(value)


def run(broker: LocalBroker, stored: int, extra: int, work: Path, code: Path) -> dict[str, Any]:
    deployment = CodeDeployment(broker, "rocksdb://", work, code=code)
    settings = deployment.settings
    plan = TopicPlan.of(settings)
    first, rest = split_messages(settings, plan, stored, extra)
    asyncio.run(
        ensure_topics(
            broker.bootstrap, {t: bench_state.PARTITIONS for t in (plan.raw, *plan.outputs.values())}, 1
        )
    )
    proc = deployment.start()
    try:
        deployment.wait_ready(proc)
        asyncio.run(bench_state._send(broker.bootstrap, first))
        fill_s = wait_outputs(broker, plan, proc, stored)
        asyncio.run(bench_state._send(broker.bootstrap, rest))
        wait_outputs(broker, plan, proc, stored + extra // 4)
        before_kill = outputs_done(broker, plan)
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
        store_dir = work / f"worker-{deployment.name}"
        on_disk = bench_state._dir_bytes(store_dir)
        changelog_records, tail_records = changelog_to_read(broker, plan, store_dir)
        proc = deployment.start()
        crash_restart_s = deployment.wait_ready(proc)
        wait_outputs(broker, plan, proc, stored + extra)
        time.sleep(5.0)  # anything published twice would show now
        outputs = outputs_done(broker, plan)
    finally:
        proc.terminate()
        proc.wait(120)
    proc = deployment.start()
    try:
        clean_restart_s = deployment.wait_ready(proc)
    finally:
        proc.terminate()
        proc.wait(120)
    return {
        "articles_stored": stored,
        "articles_after": extra,
        "fill_s": round(fill_s, 1),
        "outputs_at_kill": before_kill,
        "store_bytes_on_disk_at_kill": on_disk,
        "changelog_records_at_kill": changelog_records,
        "changelog_records_past_persisted_offsets": tail_records,
        "crash_restart_to_ready_s": round(crash_restart_s, 1),
        "outputs": outputs,
        "outputs_expected": stored + extra,
        "clean_restart_to_ready_s": round(clean_restart_s, 1),
        "tables_discarded_at_crash_restart": _discarded(work / f"worker-{deployment.name}.log"),
    }


def _discarded(log: Path) -> bool:
    return "local tables discarded" in log.read_text(errors="replace")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="stored before the crash")
    parser.add_argument("--after", type=int, default=800, help="sent before the crash, killed mid-way")
    parser.add_argument("--broker-port", type=int, default=29127)
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp") / "streamproc-bench-crash")
    parser.add_argument("--label", default="", help="what code ran")
    parser.add_argument("--baseline", type=Path, help="also run this checkout, at the same time, same broker")
    parser.add_argument("--baseline-label", default="baseline")
    args = parser.parse_args()
    if args.articles % bench_state.BATCH:
        parser.error(f"--articles must be a multiple of {bench_state.BATCH}")
    shutil.rmtree(args.work_dir, ignore_errors=True)
    args.work_dir.mkdir(parents=True)
    broker = bench_state.bench_broker(args.broker_port, args.work_dir / "broker")
    broker.start()
    codes = {args.label or bench_state._commit(): bench_state.REPO}
    if args.baseline is not None:
        codes[args.baseline_label] = args.baseline.resolve()
    try:
        with ThreadPoolExecutor(len(codes)) as pool:
            futures = {
                label: pool.submit(run, broker, args.articles, args.after, args.work_dir, code)
                for label, code in codes.items()
            }
            results = {label: future.result() for label, future in futures.items()}
    finally:
        broker.stop()
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for label, result in results.items():
        result = {"load_avg": os.getloadavg()[0], "code": label, "side_by_side": len(codes) > 1, **result}
        print(json.dumps(result), flush=True)
        existing[f"{args.articles}_{label}"] = result
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")


if __name__ == "__main__":
    main()
