"""Helpers for integration and end-to-end tests: run the real CLI and a real worker process."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "examples" / "articles"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Env:
    """Settings of one isolated test deployment: its own app id, topics, web port and data dir."""

    bootstrap: str
    data_dir: Path
    partitions: int = 4
    name: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    web_port: int = field(default_factory=free_port)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def topics(self) -> dict[str, str]:
        return {role: f"t{self.name}.{role}" for role in ("raw", "enriched", "duplicates", "dlq", "stories")}

    def environ(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "STREAMPROC_CONFIG": str(REPO / "config" / "streamproc.toml"),
                "STREAMPROC_KAFKA_BOOTSTRAP": self.bootstrap,
                "STREAMPROC_KAFKA_PARTITIONS": str(self.partitions),
                "STREAMPROC_KAFKA_TOPIC_RAW": self.topics["raw"],
                "STREAMPROC_KAFKA_TOPIC_ENRICHED": self.topics["enriched"],
                "STREAMPROC_KAFKA_TOPIC_DUPLICATES": self.topics["duplicates"],
                "STREAMPROC_KAFKA_TOPIC_DLQ": self.topics["dlq"],
                "STREAMPROC_KAFKA_TOPIC_STORIES": self.topics["stories"],
                "STREAMPROC_WORKER_APP_ID": f"streamproc-test-{self.name}",
                "STREAMPROC_WORKER_WEB_PORT": str(self.web_port),
                "STREAMPROC_WORKER_DATA_DIR": str(self.data_dir / f"worker-{self.web_port}"),
                "STREAMPROC_WORKER_BATCH_WITHIN_S": "0.2",
                "STREAMPROC_WORKER_LOG_LEVEL": "info",
                "STREAMPROC_WORKER_SESSION_TIMEOUT_S": "10",
            }
        )
        env.update(self.extra)
        return env

    def cli(
        self, *args: str, input_bytes: bytes | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "streamproc", *args],
            env=self.environ(),
            input=input_bytes,
            capture_output=True,
            timeout=timeout,
            check=False,
            cwd=REPO,
        )

    def consume(self, role: str, *, expect: int, timeout: float = 120.0) -> list[dict[str, Any]]:
        """Read ``role``'s topic from the beginning until ``expect`` records or ``timeout``."""
        deadline = time.monotonic() + timeout
        records: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            done = self.cli("consume", "--topic", self.topics[role], "--timeout", "2")
            assert done.returncode == 0, done.stderr.decode()
            records = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
            if len(records) >= expect:
                return records
            time.sleep(1)
        return records

    @contextmanager
    def worker(self, *, port: int | None = None) -> Iterator[WorkerProcess]:
        if port is not None:
            self.web_port = port
        log_path = self.data_dir / f"worker-{self.name}-{self.web_port}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log_file:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamproc", "worker"],
                env=self.environ(),
                stdout=log_file,
                stderr=subprocess.STDOUT,
                cwd=REPO,
            )
        handle = WorkerProcess(proc, self.web_port, log_path)
        try:
            handle.wait_ready()
            yield handle
        finally:
            handle.stop()


@dataclass
class WorkerProcess:
    proc: subprocess.Popen[bytes]
    web_port: int
    log_path: Path

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}{path}", timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def wait_ready(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                status, _ = self.get("/ready")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"worker not ready after {timeout}s:\n{self.log_tail()}")

    def stop(self, timeout: float = 60.0) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


def produce(env: Env, paths: Sequence[str | Path]) -> subprocess.CompletedProcess[bytes]:
    done = env.cli("produce", "--no-progress", *map(str, paths))
    assert done.returncode == 0, done.stderr.decode()
    return done


# ----------------------------------------------------------------------------- direct Kafka access
# Tests that place messages on chosen partitions, or read a topic exactly up to its end offsets,
# talk to the broker with aiokafka directly (the CLI picks partitions by key and stops on idle time).


async def _produce_to_partitions(bootstrap: str, topic: str, messages: Sequence[tuple[bytes, int]]) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for value, partition in messages:
            await producer.send_and_wait(topic, value, partition=partition)
    finally:
        await producer.stop()


def produce_to_partitions(env: Env, messages: Sequence[tuple[bytes, int]], role: str = "raw") -> None:
    """Send each ``(value, partition)`` to ``role``'s topic, in order, unkeyed, acknowledged by the broker."""
    asyncio.run(_produce_to_partitions(env.bootstrap, env.topics[role], messages))


def _json_or_bytes(value: bytes | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value  # raw input records need not be JSON


async def _read_topic(bootstrap: str, topic: str, partitions: int) -> list[dict[str, Any]]:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        records: list[dict[str, Any]] = []

        async def behind() -> bool:
            return any([await consumer.position(tp) < ends[tp] for tp in tps])

        while await behind():
            batches = await consumer.getmany(timeout_ms=1000)
            for tp_records in batches.values():
                for message in tp_records:
                    records.append(
                        {
                            "partition": message.partition,
                            "offset": message.offset,
                            "key": message.key.decode() if message.key is not None else None,
                            "value": _json_or_bytes(message.value),
                        }
                    )
        return records
    finally:
        await consumer.stop()


def read_topic(env: Env, role: str) -> list[dict[str, Any]]:
    """Every record of ``role``'s topic now (beginning to the current end offsets), values JSON-decoded."""
    return asyncio.run(_read_topic(env.bootstrap, env.topics[role], env.partitions))


def wait_for_records(env: Env, role: str, expect: int, *, timeout: float = 180.0) -> list[dict[str, Any]]:
    """Re-read ``role``'s topic until it holds at least ``expect`` records (or ``timeout``); return them."""
    deadline = time.monotonic() + timeout
    while True:
        records = read_topic(env, role)
        if len(records) >= expect or time.monotonic() >= deadline:
            return records
        time.sleep(0.5)
