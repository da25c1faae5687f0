"""faust_tuning: the worker consumer Faust builds gets our fetch long-poll, not Faust's 1500 ms."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import faust
import pytest

from streamproc.config import Settings
from streamproc.kafka import faust_tuning


def build_worker_consumer() -> Any:
    """The aiokafka consumer Faust would start for a worker (built, never connected)."""
    app = faust.App("tuning-test", broker="kafka://127.0.0.1:9", store="memory://")

    async def build() -> Any:
        thread = app.consumer._thread
        consumer = thread._create_worker_consumer(app.transport)
        await consumer._client.close()
        return consumer

    return asyncio.run(build())


def test_faust_default_is_the_long_poll_we_replace() -> None:
    if hasattr(faust_tuning.AIOKafkaConsumerThread, faust_tuning._ORIGINAL):
        pytest.skip("already patched in this process")
    assert faust_tuning.fetch_max_wait_ms(build_worker_consumer()) == 1500


def test_set_fetch_max_wait_applies_to_consumers_built_afterwards() -> None:
    faust_tuning.set_fetch_max_wait(100)
    assert faust_tuning.fetch_max_wait_ms(build_worker_consumer()) == 100
    faust_tuning.set_fetch_max_wait(250)  # a second call changes the value, does not wrap twice
    assert faust_tuning.fetch_max_wait_ms(build_worker_consumer()) == 250


def test_negative_wait_is_refused() -> None:
    with pytest.raises(ValueError, match="fetch_max_wait_ms"):
        faust_tuning.set_fetch_max_wait(-1)


def replace_bootstrap(settings: Settings) -> Settings:
    """``settings`` with an unreachable broker: the app is only built, never started."""
    return replace(settings, kafka=replace(settings.kafka, bootstrap="127.0.0.1:9"))


def test_worker_producer_lingers_as_configured() -> None:
    from streamproc.app import create_worker

    settings = Settings()
    worker = create_worker(
        replace_bootstrap(replace(settings, worker=replace(settings.worker, producer_linger_ms=7)))
    )
    assert worker.app.conf.producer_linger == 0.007
    assert worker.app.producer.linger_ms == 7  # what Faust hands aiokafka's producer


def test_worker_producer_buffer_holds_a_batch_of_table_writes() -> None:
    from streamproc.app import create_worker

    settings = Settings()
    worker = create_worker(replace_bootstrap(settings))
    assert worker.app.producer.buffer.max_messages == faust_tuning.PRODUCER_BUFFER_MESSAGES
    with pytest.raises(ValueError, match="at least one"):
        faust_tuning.set_producer_buffer_limit(worker.app.producer, 0)
