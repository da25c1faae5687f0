"""A real broker that requires SASL_SSL (SCRAM-SHA-512 over TLS), started by `streamproc broker start`.

The broker's only client listener is SASL_SSL; its user is created when its storage is formatted and
its certificate is signed by a CA generated at start (``<state_dir>/tls/ca.crt``). The worker,
`produce` and `consume` run as subprocesses with the credentials in environment variables.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient

from streamproc.config import KafkaSettings
from streamproc.kafka.admin import fetch_broker_count, kafka_client_kwargs
from tests.conftest import TEST_BROKER_PORT
from tests.support import REPO, SAMPLES, Env

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

SASL_BROKER_PORT = int(os.environ.get("STREAMPROC_TEST_SASL_BROKER_PORT", str(TEST_BROKER_PORT + 10)))
USERNAME = "streamproc-test"


@dataclass(frozen=True)
class SaslBroker:
    bootstrap: str
    password: str
    state_dir: Path
    ca_file: Path
    start_output: str

    def client_env(self, password: str | None = None) -> dict[str, str]:
        return {
            "STREAMPROC_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "STREAMPROC_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "STREAMPROC_KAFKA_SASL_USERNAME": USERNAME,
            "STREAMPROC_KAFKA_SASL_PASSWORD": self.password if password is None else password,
            "STREAMPROC_KAFKA_SSL_CAFILE": str(self.ca_file),
        }

    def client_settings(self) -> KafkaSettings:
        return KafkaSettings(
            bootstrap=self.bootstrap,
            security_protocol="SASL_SSL",
            sasl_mechanism="SCRAM-SHA-512",
            sasl_username=USERNAME,
            sasl_password=self.password,
            ssl_cafile=str(self.ca_file),
        )

    def broker_logs(self) -> str:
        files = [self.state_dir / "broker.out", *sorted((self.state_dir / "logs").rglob("*.log*"))]
        return "\n".join(path.read_text(errors="replace") for path in files if path.is_file())


def _broker_cli(state_dir: Path, password: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMPROC_")}
    env.update(
        {
            "STREAMPROC_CONFIG": str(REPO / "config" / "streamproc.toml"),
            "STREAMPROC_BROKER_PORT": str(SASL_BROKER_PORT),
            "STREAMPROC_BROKER_CONTROLLER_PORT": str(SASL_BROKER_PORT + 1),
            "STREAMPROC_BROKER_STATE_DIR": str(state_dir),
            "STREAMPROC_BROKER_SECURITY_PROTOCOL": "SASL_SSL",
            "STREAMPROC_BROKER_SASL_USERNAME": USERNAME,
            "STREAMPROC_BROKER_SASL_PASSWORD": password,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "streamproc", "broker", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )


@pytest.fixture(scope="module")
def sasl_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SaslBroker]:
    state_dir = tmp_path_factory.mktemp("sasl-broker")
    # Distinctive, so finding it in any output is certain to mean a leak.
    password = "pw-" + secrets.token_urlsafe(18)
    started = _broker_cli(state_dir, password, "start")
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield SaslBroker(
            bootstrap=f"127.0.0.1:{SASL_BROKER_PORT}",
            password=password,
            state_dir=state_dir,
            ca_file=state_dir / "tls" / "ca.crt",
            start_output=started.stdout + started.stderr,
        )
    finally:
        stopped = _broker_cli(state_dir, password, "stop")
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr


def _env(broker: SaslBroker, tmp_path: Path, password: str | None = None) -> Env:
    return Env(broker.bootstrap, tmp_path, extra=broker.client_env(password))


async def _list_topics(settings: KafkaSettings) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap, **kafka_client_kwargs(settings))
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


def _raw_count(broker: SaslBroker, env: Env) -> int:
    done = _env(broker, env.data_dir).cli("consume", "--topic", env.topics["raw"], "--timeout", "3")
    return len([line for line in done.stdout.decode().splitlines() if line.strip()])


def test_worker_produce_consume_and_topic_creation_with_credentials(
    sasl_broker: SaslBroker, tmp_path: Path
) -> None:
    env = _env(sasl_broker, tmp_path)
    with env.worker() as worker:
        # The worker created its topics over SASL_SSL (the broker creates none by itself).
        topics = asyncio.run(_list_topics(sasl_broker.client_settings()))
        assert set(env.topics.values()) <= topics
        produced = env.cli("produce", "--no-progress", str(SAMPLES))
        assert produced.returncode == 0, produced.stderr.decode()
        records = env.consume("enriched", expect=2)
        assert len(records) == 2, worker.log_tail()
        assert {r["value"]["source_offset"]["topic"] for r in records} == {env.topics["raw"]}
    config = env.cli("config")
    assert config.returncode == 0, config.stderr.decode()
    outputs = [
        worker.log_path.read_text(errors="replace"),
        (produced.stdout + produced.stderr).decode(errors="replace"),
        config.stdout.decode(errors="replace") + config.stderr.decode(errors="replace"),
        sasl_broker.start_output,
        sasl_broker.broker_logs(),
    ]
    for output in outputs:
        assert sasl_broker.password not in output
    assert "***" in outputs[2]  # `streamproc config` shows that a password is set, not what it is


def test_a_wrong_password_is_refused_and_nothing_is_processed(
    sasl_broker: SaslBroker, tmp_path: Path
) -> None:
    env = _env(sasl_broker, tmp_path, password="not-" + sasl_broker.password)
    produced = env.cli("produce", "--no-progress", str(SAMPLES), timeout=180)
    assert produced.returncode != 0
    message = produced.stderr.decode(errors="replace")
    assert "authenticat" in message.lower(), message
    assert "Traceback" not in message, message  # an expected failure is one line
    assert sasl_broker.password not in message
    # The worker cannot start either: it gives up with an error and creates no topic.
    started = env.cli("worker", timeout=240)
    assert started.returncode != 0
    worker_log = (started.stdout + started.stderr).decode(errors="replace")
    assert "authenticat" in worker_log.lower(), worker_log[-3000:]
    assert "Traceback" not in worker_log, worker_log[-3000:]
    assert sasl_broker.password not in worker_log
    topics = asyncio.run(_list_topics(sasl_broker.client_settings()))
    assert not set(env.topics.values()) & topics, worker_log[-3000:]


def test_a_plaintext_client_is_refused(sasl_broker: SaslBroker, tmp_path: Path) -> None:
    with pytest.raises(Exception):  # noqa: B017  (aiokafka raises its own types; any failure is a refusal)
        asyncio.run(fetch_broker_count(sasl_broker.bootstrap, 10.0))
    env = Env(sasl_broker.bootstrap, tmp_path)  # no security settings: PLAINTEXT
    produced = env.cli("produce", "--no-progress", str(SAMPLES), timeout=180)
    assert produced.returncode != 0
    topics = asyncio.run(_list_topics(sasl_broker.client_settings()))
    assert env.topics["raw"] not in topics
