"""The local broker's lifecycle and the admin helpers, against real Apache Kafka."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from streamproc.config import BrokerSettings
from streamproc.errors import BrokerError
from streamproc.kafka.admin import ensure_topics
from streamproc.kafka.broker import LocalBroker

pytestmark = pytest.mark.integration

# The lifecycle broker is separate from the session one (which other tests share and which may be
# external), two ports above it.
LIFECYCLE_PORT = int(os.environ.get("STREAMPROC_TEST_BROKER_PORT", "29092")) + 2


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _port_open(bootstrap: str) -> bool:
    host, port = bootstrap.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def lifecycle_broker(tmp_path: Path) -> Iterator[LocalBroker]:
    broker = LocalBroker(
        BrokerSettings(port=LIFECYCLE_PORT, controller_port=LIFECYCLE_PORT + 1, state_dir=str(tmp_path / "b"))
    )
    try:
        yield broker
    finally:
        broker.stop(timeout=10)


def test_start_is_idempotent_status_tracks_it_and_stop_ends_it(lifecycle_broker: LocalBroker) -> None:
    broker = lifecycle_broker
    broker.state_dir.mkdir(parents=True)
    broker.pid_file.write_text(f"{_dead_pid()}\n")  # left by a crashed broker: must not block start
    assert broker.status().running is False

    bootstrap = broker.start()
    assert bootstrap == f"127.0.0.1:{LIFECYCLE_PORT}"
    first = broker.status()
    assert first.running and first.answering
    assert first.pid is not None and broker.pid_file.read_text().strip() == str(first.pid)
    assert first.log_file.is_file()

    # A second start (here from a fresh object, as a second CLI call would be) reuses the process.
    assert LocalBroker(broker.settings).start() == bootstrap
    assert broker.status().pid == first.pid

    assert LocalBroker(broker.settings).stop(timeout=30) is True
    after = broker.status()
    assert (after.running, after.pid, after.answering) == (False, None, False)
    assert not broker.pid_file.exists()
    assert not _port_open(bootstrap)
    assert broker.stop() is False  # nothing left to stop


def test_start_failure_reports_the_broker_log(tmp_path: Path) -> None:
    # An impossible heap makes the JVM exit at once; the error must carry its complaint.
    broker = LocalBroker(
        BrokerSettings(
            port=LIFECYCLE_PORT, controller_port=LIFECYCLE_PORT + 1, state_dir=str(tmp_path / "b"), heap="1k"
        )
    )
    with pytest.raises(BrokerError, match=r"(?s)exited during start-up.*Too small maximum heap"):
        broker.start()
    assert broker.status().running is False
    assert not broker.pid_file.exists()


async def _partition_counts(bootstrap: str, topics: list[str]) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    return {t["topic"]: len(t["partitions"]) for t in described if t["error_code"] == 0}


def test_ensure_topics_creates_requested_partitions_and_is_idempotent(kafka_bootstrap: str) -> None:
    three, one = _unique("t-three"), _unique("t-one")
    wanted = {three: 3, one: 1}
    asyncio.run(ensure_topics(kafka_bootstrap, wanted, 1, {"retention.ms": "3600000"}))
    asyncio.run(ensure_topics(kafka_bootstrap, wanted, 1))  # existing topics are fine
    assert asyncio.run(_partition_counts(kafka_bootstrap, [three, one])) == wanted


async def _round_trip(bootstrap: str, topic: str, key: bytes, value: bytes) -> tuple[bytes, bytes]:
    await ensure_topics(bootstrap, {topic: 2}, 1)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=_unique("g"), auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        message = await asyncio.wait_for(consumer.getone(), timeout=60)
    finally:
        await consumer.stop()
    return message.key, message.value


def test_produce_consume_round_trip(kafka_bootstrap: str) -> None:
    value = "Zürich — ünïcode".encode() + bytes(range(256))
    key, got = asyncio.run(_round_trip(kafka_bootstrap, _unique("t-rt"), b"article-1", value))
    assert (key, got) == (b"article-1", value)


def test_topics_are_not_auto_created(kafka_bootstrap: str) -> None:
    if os.environ.get("STREAMPROC_KAFKA_BOOTSTRAP"):
        pytest.skip("an external broker's auto-create setting is not ours")
    missing = _unique("t-missing")

    async def probe() -> dict[str, int]:
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, request_timeout_ms=3000)
        await producer.start()
        try:
            # The producer's metadata request for an unknown topic must not create it.
            with pytest.raises(Exception):  # noqa: B017 - aiokafka raises KafkaTimeoutError here
                await asyncio.wait_for(producer.send_and_wait(missing, b"x"), timeout=5)
        finally:
            await producer.stop()
        return await _partition_counts(kafka_bootstrap, [missing])

    assert asyncio.run(probe()) == {}
