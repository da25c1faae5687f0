"""Tuning: the worker's consumer waits ``fetch_max_wait_ms`` for data, not Faust's fixed 1500 ms.

aiokafka leaves a partition out of a fetch request while records of it are still buffered, and
sends the next request only when the current one returns: a partition that got data after its
request left waits up to the *other* partitions' long poll. The join crosses Kafka twice (probes,
then replies), so each hop paid up to 1.5 s under load: in the benchmark, outputs trailed their
enrichment by ~3 s. A short wait (``worker.fetch_max_wait_ms``, 100 ms by default) costs a few
empty fetches per second when idle. Faust hard-codes the value where it builds the consumer, so
that builder is restated here with the one argument changed.
"""

from __future__ import annotations

from typing import Any

import aiokafka
from aiokafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
from faust.exceptions import ImproperlyConfigured
from faust.transport.drivers.aiokafka import (
    _AIOKAFKA_HAS_API_VERSION,
    AIOKafkaConsumerThread,
    Consumer,
    credentials_to_aiokafka_auth,
    server_list,
)

from streamproc.faust.settings import wing_settings

FAUST_FETCH_MAX_WAIT_MS = 1500  # what Faust builds its worker consumer with


class FetchWaitConsumerThread(AIOKafkaConsumerThread):
    """Faust's consumer thread building its worker consumer with our fetch long-poll."""

    def __init__(self, consumer: Any, *, fetch_max_wait_ms: int, **kwargs: Any) -> None:
        if fetch_max_wait_ms < 0:
            raise ValueError("fetch_max_wait_ms must be >= 0")
        self.fetch_max_wait_ms = fetch_max_wait_ms
        super().__init__(consumer, **kwargs)

    def _create_worker_consumer(self, transport: Any) -> aiokafka.AIOKafkaConsumer:
        conf = self.app.conf
        isolation_level = "read_committed" if self.consumer.in_transaction else "read_uncommitted"
        # Table recovery maps changelog partitions through Faust's assignor.
        has_changelog_tables = bool(self.app.tables.changelog_topics)
        self._assignor = (
            self.app.assignor
            if conf.table_standby_replicas > 0 or has_changelog_tables
            else RoundRobinPartitionAssignor
        )
        if conf.broker_session_timeout > conf.broker_request_timeout:
            raise ImproperlyConfigured(
                f"Setting broker_session_timeout={conf.broker_session_timeout} "
                f"cannot be greater than broker_request_timeout={conf.broker_request_timeout}"
            )
        consumer_kwargs: dict[str, Any] = {}
        if _AIOKAFKA_HAS_API_VERSION:
            consumer_kwargs["api_version"] = conf.consumer_api_version
        return aiokafka.AIOKafkaConsumer(
            **consumer_kwargs,
            client_id=conf.broker_client_id,
            group_id=conf.id,
            group_instance_id=conf.consumer_group_instance_id,
            bootstrap_servers=server_list(transport.url, transport.default_port),
            partition_assignment_strategy=[self._assignor],
            enable_auto_commit=False,
            auto_offset_reset=conf.consumer_auto_offset_reset,
            max_poll_records=conf.broker_max_poll_records,
            max_poll_interval_ms=int((conf.broker_max_poll_interval or 0) * 1000.0),
            max_partition_fetch_bytes=conf.consumer_max_fetch_size,
            fetch_max_wait_ms=self.fetch_max_wait_ms,
            request_timeout_ms=int(conf.broker_request_timeout * 1000.0),
            check_crcs=conf.broker_check_crcs,
            session_timeout_ms=int(conf.broker_session_timeout * 1000.0),
            rebalance_timeout_ms=int(conf.broker_rebalance_timeout * 1000.0),
            heartbeat_interval_ms=int(conf.broker_heartbeat_interval * 1000.0),
            isolation_level=isolation_level,
            metadata_max_age_ms=conf.consumer_metadata_max_age_ms,
            connections_max_idle_ms=conf.consumer_connections_max_idle_ms,
            **credentials_to_aiokafka_auth(conf.broker_credentials, conf.ssl_context),
        )


class FetchWaitConsumer(Consumer):
    """Faust's aiokafka consumer on a ``FetchWaitConsumerThread``."""

    def _new_consumer_thread(self) -> AIOKafkaConsumerThread:
        wait = wing_settings(self.transport).fetch_max_wait_ms
        return FetchWaitConsumerThread(self, fetch_max_wait_ms=wait, loop=self.loop, beacon=self.beacon)


def fetch_max_wait_ms(consumer: Any) -> int:
    """The fetch long-poll an aiokafka consumer was built with (for checks and tests)."""
    value: int = consumer._fetch_max_wait_ms
    return value
