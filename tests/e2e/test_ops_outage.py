"""A broker outage under a running worker: a few log lines, not thousands, and recovery by itself."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from streamproc.config import BrokerSettings
from streamproc.kafka.broker import LocalBroker
from tests.conftest import TEST_BROKER_PORT
from tests.support import SAMPLES, Env, produce, wait_for_records

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

OUTAGE_S = 35.0  # longer than the rate limit interval (30 s): the suppressed count shows


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[LocalBroker]:
    """A broker this test may stop and start (the session's broker is shared by other tests)."""
    broker = LocalBroker(
        BrokerSettings(
            port=TEST_BROKER_PORT + 2,
            controller_port=TEST_BROKER_PORT + 3,
            state_dir=str(tmp_path / "outage-broker"),
        )
    )
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


def wait_for_line(path: Path, text: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text(errors="replace"):
            return True
        time.sleep(0.5)
    return False


def test_outage_is_a_few_lines_and_the_worker_recovers(own_broker: LocalBroker, tmp_path: Path) -> None:
    env = Env(own_broker.bootstrap, tmp_path)
    with env.worker() as worker:
        before = len(worker.log_path.read_text().splitlines())
        own_broker.stop()
        time.sleep(OUTAGE_S)
        during = worker.log_path.read_text().splitlines()[before:]
        assert worker.proc.poll() is None, worker.log_tail()
        # Unfiltered, aiokafka's reconnect loop wrote ~1,200 lines in 20 s (issue 17).
        print(f"{len(during)} log lines in a {OUTAGE_S:g}s outage")
        assert len(during) < 80, "\n".join(during)
        assert any("lost contact with Kafka" in line for line in during)
        assert any('"suppressed"' in line for line in during)
        status, body = worker.get("/ready")
        assert status == 503 and json.loads(body)["broker_reachable"] is False, body

        own_broker.start()
        assert wait_for_line(worker.log_path, "answers again", 60), worker.log_tail()
        produce(env, [SAMPLES])
        assert len(wait_for_records(env, "enriched", 2, timeout=180)) == 2, worker.log_tail()
        assert worker.get("/ready")[0] == 200
