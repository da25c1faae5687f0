"""Shared fixtures. ``kafka_bootstrap``: a real Kafka broker for integration and end-to-end tests.

STREAMPROC_KAFKA_BOOTSTRAP set: that broker is used as it is. Otherwise a local single-node broker is
started once per session on STREAMPROC_TEST_BROKER_PORT (default 29092) and +1 for its controller, so
a developer's own broker on 19092 is left alone, and it is stopped when the session ends.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Iterator

import pytest

from streamproc.config import BrokerSettings
from streamproc.kafka.admin import wait_until_ready
from streamproc.kafka.broker import LocalBroker

TEST_BROKER_PORT = int(os.environ.get("STREAMPROC_TEST_BROKER_PORT", "29092"))


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("STREAMPROC_KAFKA_BOOTSTRAP", "").strip()
    if external:
        asyncio.run(wait_until_ready(external, timeout=120.0))  # e.g. a compose broker still booting
        yield external
        return
    # A fixed state dir (beside pytest's per-run dirs) lets this session find and stop a broker
    # left running by a crashed earlier session instead of failing on a busy port.
    state_dir = tmp_path_factory.getbasetemp().parent / f"streamproc-test-broker-{TEST_BROKER_PORT}"
    broker = LocalBroker(
        BrokerSettings(
            port=TEST_BROKER_PORT,
            controller_port=TEST_BROKER_PORT + 1,
            state_dir=str(state_dir),
            kafka_version=os.environ.get("STREAMPROC_BROKER_KAFKA_VERSION", BrokerSettings.kafka_version),
        )
    )
    broker.stop()
    shutil.rmtree(broker.data_dir, ignore_errors=True)  # every session starts from empty topics
    bootstrap = broker.start()
    try:
        yield bootstrap
    finally:
        broker.stop()
