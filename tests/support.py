"""Helpers for integration and end-to-end tests: run the real CLI and a real worker process."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from streamproc.config import Settings
from streamproc.stories.book import article_story
from streamproc.worker.process import WorkerProcess, isolated_settings, worker_environ

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
    def settings(self) -> Settings:
        base = kafka_settings(self.bootstrap)
        base = replace(base, kafka=replace(base.kafka, partitions=self.partitions))
        return isolated_settings(base, self.name, self.data_dir, topic_prefix="test")

    @property
    def topics(self) -> dict[str, str]:
        kafka = self.settings.kafka
        return {
            role: getattr(kafka, f"topic_{role}")
            for role in ("raw", "enriched", "duplicates", "dlq", "stories")
        }

    def environ(self) -> dict[str, str]:
        test_defaults = {
            "STREAMPROC_CONFIG": str(REPO / "config" / "streamproc.toml"),
            "STREAMPROC_WORKER_BATCH_WITHIN_S": "0.2",
            "STREAMPROC_WORKER_LOG_LEVEL": "info",
            "STREAMPROC_WORKER_SESSION_TIMEOUT_S": "10",
        }
        return worker_environ(self.settings, self.web_port, extra=test_defaults | self.extra)

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
        handle = WorkerProcess.start(self.environ(), self.web_port, log_path, cwd=REPO)
        try:
            handle.wait_ready()
            yield handle
        finally:
            handle.stop()


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


def kafka_settings(bootstrap: str) -> Settings:
    """Settings that talk to ``bootstrap`` (plaintext), for the library's Kafka helpers."""
    settings = Settings()
    return replace(settings, kafka=replace(settings.kafka, bootstrap=bootstrap))


async def _read_topic(bootstrap: str, topic: str) -> list[dict[str, Any]]:
    from streamproc.kafka.reading import read_to_end

    return [
        {
            "partition": message.partition,
            "offset": message.offset,
            "key": message.key.decode() if message.key is not None else None,
            "value": _json_or_bytes(message.value),
        }
        async for message in read_to_end(kafka_settings(bootstrap), [topic])
    ]


def read_topic(env: Env, role: str) -> list[dict[str, Any]]:
    """Every record of ``role``'s topic now (beginning to the current end offsets), values JSON-decoded."""
    return asyncio.run(_read_topic(env.bootstrap, env.topics[role]))


def wait_for_records(env: Env, role: str, expect: int, *, timeout: float = 180.0) -> list[dict[str, Any]]:
    """Re-read ``role``'s topic until it holds at least ``expect`` records (or ``timeout``); return them."""
    deadline = time.monotonic() + timeout
    while True:
        records = read_topic(env, role)
        if len(records) >= expect or time.monotonic() >= deadline:
            return records
        time.sleep(0.5)


def resolved_stories(
    env: Env, articles: list[dict[str, Any]], timeout: float = 60.0
) -> tuple[set[str | None], dict[str, Any]]:
    """Each article's current story as news.stories tells it, read until every article resolves to
    one story or ``timeout`` (the desk's merge record may trail the enriched records)."""
    deadline = time.monotonic() + timeout
    while True:
        latest = {str(s["value"]["id"]): s["value"] for s in env.consume("stories", expect=1)}
        resolved = {article_story(latest, a["story_id"], a["id"]) for a in articles}
        if (len(resolved) == 1 and None not in resolved) or time.monotonic() > deadline:
            return resolved, latest
        time.sleep(1)
