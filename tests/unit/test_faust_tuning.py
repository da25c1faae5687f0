"""The Faust wing as installed: the worker's app builds the corrected consumer, producer and buffer,
with our fetch long-poll (not Faust's 1500 ms), and refuses unverified faust/aiokafka versions."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import replace
from typing import Any

import faust
import pytest

from streamproc.config import Settings
from streamproc.errors import ConfigError
from streamproc.faust.app import CorrectedApp
from streamproc.faust.buffer_flush import PRODUCER_BUFFER_MESSAGES, DrainingProducerBuffer
from streamproc.faust.fetch_wait import FAUST_FETCH_MAX_WAIT_MS, fetch_max_wait_ms
from streamproc.faust.settings import WingSettings
from streamproc.faust.transport import CorrectedConsumer
from streamproc.faust.versions import VERIFIED_VERSIONS, check_versions, unverified_versions
from streamproc.kafka.membership import group_instance_id


def build_worker_consumer(app: faust.App) -> Any:
    """The aiokafka consumer Faust would start for a worker of ``app`` (built, never connected)."""

    async def build() -> Any:
        thread = app.consumer._thread
        consumer = thread._create_worker_consumer(app.transport)
        await consumer._client.close()
        return consumer

    return asyncio.run(build())


def test_faust_default_is_the_long_poll_we_replace() -> None:
    app = faust.App("tuning-test", broker="kafka://127.0.0.1:9", store="memory://")
    assert fetch_max_wait_ms(build_worker_consumer(app)) == FAUST_FETCH_MAX_WAIT_MS


def test_corrected_app_builds_its_consumer_with_our_fetch_wait() -> None:
    for wait in (100, 250):
        app = CorrectedApp(
            "tuning-test",
            wing=WingSettings(fetch_max_wait_ms=wait),
            broker="kafka://127.0.0.1:9",
            store="memory://",
        )
        assert fetch_max_wait_ms(build_worker_consumer(app)) == wait


def test_negative_wait_and_empty_buffer_are_refused() -> None:
    with pytest.raises(ValueError, match="fetch_max_wait_ms"):
        WingSettings(fetch_max_wait_ms=-1)
    with pytest.raises(ValueError, match="at least one"):
        WingSettings(producer_buffer_messages=0)


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


def test_worker_producer_is_idempotent() -> None:
    # A batch retried after a lost answer (a broker restart) must not be written twice.
    from streamproc.app import create_worker

    worker = create_worker(replace_bootstrap(Settings()))

    async def built() -> Any:
        client = worker.app.producer._new_producer()
        await client.stop()  # built only, never started
        return client

    client = asyncio.run(built())
    assert client._txn_manager is not None  # aiokafka's idempotence state: producer id, sequences
    assert client._txn_manager.transactional_id is None  # idempotent, not transactional


def test_worker_producer_knows_the_topics_limits_and_batches_within_them() -> None:
    from streamproc.app import create_worker

    worker = create_worker(replace_bootstrap(Settings()), record_limits={"news.enriched": 6000})
    producer = worker.app.producer
    assert producer.record_limits == {"news.enriched": 6000}
    assert worker.app.conf.producer_max_batch_size <= 6000


def test_worker_runs_on_the_corrected_transport() -> None:
    from streamproc.app import create_worker

    worker = create_worker(replace_bootstrap(Settings()))
    buffer = worker.app.producer.buffer
    assert isinstance(buffer, DrainingProducerBuffer)
    assert buffer.max_messages == PRODUCER_BUFFER_MESSAGES  # a batch's table writes fit
    assert buffer.app is worker.app
    consumer = worker.app.consumer
    assert isinstance(consumer, CorrectedConsumer)
    # The join's own topics are the gap-free ones, from the settings' app id.
    app_id = worker.settings.worker.app_id
    internal = {f"{app_id}-probes", f"{app_id}-replies", f"{app_id}-story-events"}
    assert worker.app.transport.wing.gap_free_topics == internal  # type: ignore[attr-defined]


def test_unverified_versions_are_refused_unless_allowed() -> None:
    assert unverified_versions() == []  # the installed ones are the verified ones
    installed = {name: "9.9.9" for name in VERIFIED_VERSIONS}
    assert unverified_versions(installed) == [f"{name} 9.9.9" for name in VERIFIED_VERSIONS]
    with pytest.raises(ConfigError, match="STREAMPROC_WORKER_ALLOW_UNVERIFIED_FAUST"):
        check_versions(allow_unverified=False, installed=installed)
    check_versions(allow_unverified=True, installed=installed)


def test_worker_consumer_joins_with_its_static_group_instance_id() -> None:
    from streamproc.app import create_worker

    settings = Settings()
    static = create_worker(
        replace_bootstrap(replace(settings, worker=replace(settings.worker, group_instance_id="worker-a")))
    )
    assert build_worker_consumer(static.app)._group_instance_id == "worker-a"
    derived = create_worker(replace_bootstrap(settings))  # empty: derived from host and web port
    assert build_worker_consumer(derived.app)._group_instance_id == group_instance_id(
        settings.worker, socket.gethostname()
    )
    dynamic = create_worker(
        replace_bootstrap(replace(settings, worker=replace(settings.worker, static_membership=False)))
    )
    assert build_worker_consumer(dynamic.app)._group_instance_id is None


def test_worker_app_leaves_topic_creation_to_the_cli_and_heartbeats_often() -> None:
    from streamproc.app import create_worker

    settings = Settings()
    conf = create_worker(replace_bootstrap(settings)).app.conf
    assert not conf.topic_allow_declare  # TopicPlan.ensure created them before the app starts
    assert conf.topic_disable_leader
    assert conf.broker_heartbeat_interval == settings.worker.heartbeat_interval_s
    short = replace(settings, worker=replace(settings.worker, session_timeout_s=1.5))
    assert create_worker(replace_bootstrap(short)).app.conf.broker_heartbeat_interval == 0.5
