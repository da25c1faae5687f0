"""Producing raw articles and consuming topics (the CLI's ``produce``, ``consume``, ``dlq replay``).

Expected failures become one actionable ``BrokerError`` line: the broker cannot be reached, it
refuses the credentials or the TLS handshake, or the topic does not exist.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.conn import create_conn
from aiokafka.errors import (
    AuthenticationFailedError,
    AuthenticationMethodNotSupported,
    IllegalSaslStateError,
    KafkaConnectionError,
    KafkaError,
    MessageSizeTooLargeError,
    SaslAuthenticationFailed,
    UnsupportedSaslMechanismError,
)
from aiokafka.protocol.metadata import MetadataRequest

from streamproc.config import Settings
from streamproc.errors import BrokerError, BrokerRefused, BrokerUnreachable
from streamproc.inputs import InputItem
from streamproc.kafka.admin import kafka_client_kwargs, topic_configs
from streamproc.kafka.reading import topic_partitions

_AUTH_ERRORS = (
    SaslAuthenticationFailed,
    AuthenticationFailedError,
    AuthenticationMethodNotSupported,
    UnsupportedSaslMechanismError,
    IllegalSaslStateError,
)
_RECORD_OVERHEAD_BYTES = 1024  # record batch header, key and timestamps around a payload
_DIAGNOSE_TIMEOUT_S = 10.0

log = logging.getLogger("streamproc.kafka")


def unreachable_message(settings: Settings) -> str:
    """What to do about a broker that does not answer: `broker start` helps only the local one."""
    bootstrap = settings.bootstrap_servers
    if settings.uses_local_broker:
        return (
            f"cannot reach Kafka at {bootstrap}: is it running? Start the local one with "
            "`streamproc broker start`, or set kafka.bootstrap (STREAMPROC_KAFKA_BOOTSTRAP) "
            "to a running broker"
        )
    return (
        f"cannot reach Kafka at {bootstrap} (kafka.bootstrap): is it running and reachable from here? "
        "Check kafka.bootstrap (STREAMPROC_KAFKA_BOOTSTRAP), or empty it to use the local broker of "
        "`streamproc broker start`"
    )


def _auth_message(settings: Settings, exc: BaseException) -> str:
    kafka = settings.kafka
    who = f" as {kafka.sasl_username!r}" if kafka.sasl_username else ""
    return (
        f"Kafka at {settings.bootstrap_servers} refused to authenticate{who} "
        f"(security_protocol {kafka.security_protocol}, sasl_mechanism {kafka.sasl_mechanism}): "
        f"{type(exc).__name__}; check kafka.security_protocol, kafka.sasl_* and the broker's listener"
    )


def _tls_message(settings: Settings, exc: BaseException) -> str:
    return (
        f"TLS handshake with Kafka at {settings.bootstrap_servers} failed ({exc}); "
        "check kafka.security_protocol and kafka.ssl_cafile/ssl_certfile/ssl_keyfile"
    )


def _mismatch_message(settings: Settings, exc: BaseException) -> str:
    name, text = type(exc).__name__, str(exc)
    # aiokafka's errors already start with their class name ("KafkaConnectionError: ...").
    reason = text if text.startswith(name) else f"{name}: {text}" if text else name
    return (
        f"Kafka at {settings.bootstrap_servers} accepts connections but does not answer the client "
        f"({reason}); check that it is a Kafka client port (not a controller port or another service) "
        f"and that kafka.security_protocol ({settings.kafka.security_protocol}) matches the broker's listener"
    )


def _split_server(server: str) -> tuple[str, int]:
    host, _, port = server.strip().rpartition(":")
    return host.strip("[]"), int(port)


async def _accepts_tcp(host: str, port: int) -> bool:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), _DIAGNOSE_TIMEOUT_S)
    except (TimeoutError, OSError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


async def diagnose_connection(settings: Settings) -> BrokerUnreachable | BrokerRefused | None:
    """Why the broker cannot be used, from a direct connection and one metadata request to each
    bootstrap server (the client itself only says "Unable to bootstrap"). None: a server answered."""
    kwargs = kafka_client_kwargs(settings.kafka)
    refused: BrokerRefused | None = None
    for server in settings.bootstrap_servers.split(","):
        host, port = _split_server(server)
        if not await _accepts_tcp(host, port):
            continue
        try:
            conn = await asyncio.wait_for(
                create_conn(host, port, request_timeout_ms=int(_DIAGNOSE_TIMEOUT_S * 1000), **kwargs),
                _DIAGNOSE_TIMEOUT_S,
            )
        except _AUTH_ERRORS as exc:
            return BrokerRefused(_auth_message(settings, exc))
        except ssl.SSLError as exc:
            return BrokerRefused(_tls_message(settings, exc))
        except (TimeoutError, OSError, KafkaError) as exc:
            refused = BrokerRefused(_mismatch_message(settings, exc))  # e.g. TLS to a plaintext port
            continue
        try:
            await asyncio.wait_for(conn.send(MetadataRequest([])), _DIAGNOSE_TIMEOUT_S)
        except (TimeoutError, OSError, KafkaError) as exc:
            refused = BrokerRefused(_mismatch_message(settings, exc))  # e.g. plaintext to a TLS port
            continue
        finally:
            conn.close()
        return None
    return refused or BrokerUnreachable(unreachable_message(settings))


class BrokerProbe:
    """Whether the broker answers, checked by a direct connection; logs one line when contact is
    lost and one when it is back. ``reachable`` feeds the worker's readiness."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.reachable = True
        self.problem: str | None = None
        self._lost_at: float | None = None

    async def check(self) -> bool:
        try:
            diagnosis = await diagnose_connection(self.settings)
        except Exception:  # runs in a worker timer, where an escaping exception stops the worker
            log.exception("broker probe failed; reachability unchanged")
            return self.reachable
        if diagnosis is not None and self.reachable:
            self._lost_at = time.monotonic()
            log.warning(
                "lost contact with Kafka: %s", diagnosis, extra={"bootstrap": self.settings.bootstrap_servers}
            )
        elif diagnosis is None and not self.reachable:
            down_s = time.monotonic() - (self._lost_at or time.monotonic())
            log.warning(
                "Kafka at %s answers again after %.0fs",
                self.settings.bootstrap_servers,
                down_s,
                extra={"bootstrap": self.settings.bootstrap_servers},
            )
        self.reachable = diagnosis is None
        self.problem = None if diagnosis is None else str(diagnosis)
        return self.reachable


def readiness(
    model_loaded: bool, tables_recovered: bool, broker: BrokerProbe | None
) -> tuple[bool, dict[str, Any]]:
    """The worker's ``/ready`` answer: ready only with the model loaded, tables recovered and the
    broker answering (while it is unreachable, nothing is consumed: lag 0 would be a lie)."""
    broker_ok = broker is None or broker.reachable
    ok = model_loaded and tables_recovered and broker_ok
    body: dict[str, Any] = {
        "ready": ok,
        "model_loaded": model_loaded,
        "tables_recovered": tables_recovered,
        "broker_reachable": broker_ok,
    }
    if broker is not None and broker.problem:
        body["broker_problem"] = broker.problem
    return ok, body


async def start_client(client: AIOKafkaProducer | AIOKafkaConsumer, settings: Settings) -> None:
    """``client.start()``, or a ``BrokerError`` that says what is wrong (the client is closed)."""
    try:
        await client.start()
    except (KafkaConnectionError, *_AUTH_ERRORS, ssl.SSLError) as exc:
        await client.stop()
        if isinstance(exc, _AUTH_ERRORS):
            raise BrokerRefused(_auth_message(settings, exc)) from None
        raise (await diagnose_connection(settings)) or BrokerRefused(
            _mismatch_message(settings, exc)
        ) from None


async def require_topic(topic: str, settings: Settings) -> list[TopicPartition]:
    """The topic's partitions; BrokerError naming the topic when it does not exist (topics are
    never auto-created)."""
    partitions = await topic_partitions(settings, [topic])
    if not partitions:
        raise BrokerError(
            f"topic {topic!r} does not exist on Kafka at {settings.bootstrap_servers}; "
            "`streamproc worker` creates its topics, or name an existing one (--topic, --to, kafka.topic_*)"
        )
    return partitions


async def require_unkeyed_records_taken(topic: str, settings: Settings) -> None:
    """produce and dlq replay send records without a key, which a compacted topic (news.stories,
    changelogs) refuses with an error the client cannot name ("UnknownError"): say it once, first."""
    kwargs = kafka_client_kwargs(settings.kafka)
    try:
        configs = await topic_configs(settings.bootstrap_servers, [topic], ["cleanup.policy"], **kwargs)
    except BrokerError as exc:  # e.g. a principal allowed to write but not to DescribeConfigs
        log.info("topic config not readable, compaction not checked: %s", exc)
        return
    policy = configs.get(topic, {}).get("cleanup.policy", "delete")
    if "compact" in policy.split(","):
        raise BrokerError(
            f"topic {topic!r} is compacted (cleanup.policy={policy}): Kafka takes only records with a "
            f"key there, and inputs are sent without one; send them to the input topic "
            f"({settings.kafka.topic_raw})"
        )


@dataclass
class ProduceSummary:
    """What a produce run did; filled in as it goes, so an interrupted run can still report."""

    sent: int = 0
    bytes: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (input name, reason)
    started: float = field(default_factory=time.monotonic)

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


def _too_large_reason(size: int, settings: Settings) -> str:
    return (
        f"message is {size} bytes, the largest accepted is {settings.input_message_limit} "
        f"(parse.max_bytes {settings.parse.max_bytes} + headroom; larger inputs cannot reach the DLQ)"
    )


def _on_delivery(
    summary: ProduceSummary, item: InputItem, on_sent: Callable[[InputItem], None] | None
) -> Any:
    def done(future: asyncio.Future[Any]) -> None:
        if future.cancelled():
            summary.failures.append((item.name, "cancelled before the broker acknowledged it"))
        elif (exc := future.exception()) is not None:
            summary.failures.append((item.name, f"{type(exc).__name__}: {exc}"))
        else:
            summary.sent += 1
            summary.bytes += len(item.payload)
            if on_sent is not None:
                on_sent(item)

    return done


async def produce_items(
    settings: Settings,
    items: Iterable[InputItem],
    *,
    topic: str | None = None,
    rate: float | None = None,
    on_sent: Callable[[InputItem], None] | None = None,
    summary: ProduceSummary | None = None,
) -> ProduceSummary:
    """Send each item as one message (key: none, so the partitioner spreads them). ``rate``: msgs/s.

    ``summary`` (optional) is filled in as deliveries are acknowledged: only acknowledged messages
    count as sent; each failure keeps the input's name and the reason.
    """
    topic = topic or settings.kafka.topic_raw
    summary = summary if summary is not None else ProduceSummary()
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        max_request_size=settings.input_message_limit + _RECORD_OVERHEAD_BYTES,
        linger_ms=5,
        **kafka_client_kwargs(settings.kafka),
    )
    await start_client(producer, settings)
    try:
        await require_topic(topic, settings)
        await require_unkeyed_records_taken(topic, settings)
        pending: list[asyncio.Future[Any]] = []
        for index, item in enumerate(items):
            if rate:
                # Pace against the schedule, not the previous send, so the average rate holds.
                delay = summary.started + index / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            if len(item.payload) > settings.input_message_limit:
                summary.failures.append((item.name, _too_large_reason(len(item.payload), settings)))
                continue
            try:
                future = await producer.send(topic, value=item.payload)
            except MessageSizeTooLargeError:
                summary.failures.append((item.name, _too_large_reason(len(item.payload), settings)))
                continue
            future.add_done_callback(_on_delivery(summary, item, on_sent))
            pending.append(future)
        await asyncio.gather(*pending, return_exceptions=True)
    finally:
        await producer.stop()
    return summary


@dataclass(frozen=True, slots=True)
class ConsumedRecord:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes | None  # None: a tombstone (compacted and changelog topics)


async def _assign_all(
    consumer: AIOKafkaConsumer, topic: str, from_beginning: bool, settings: Settings
) -> None:
    tps = await require_topic(topic, settings)
    consumer.assign(tps)
    if from_beginning:
        await consumer.seek_to_beginning(*tps)
    else:
        await consumer.seek_to_end(*tps)


async def consume_records(
    settings: Settings,
    topic: str,
    *,
    from_beginning: bool = True,
    max_records: int | None = None,
    timeout_s: float | None = 10.0,
    group_id: str | None = None,
) -> AsyncIterator[ConsumedRecord]:
    """Yield records until ``max_records`` or ``timeout_s`` without a new record (None: forever).

    Without ``group_id`` partitions are assigned manually and nothing is committed: reading does
    not disturb anybody's consumer group.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=group_id,
        enable_auto_commit=group_id is not None,
        auto_offset_reset="earliest" if from_beginning else "latest",
        # A dead letter of the largest accepted input must fit one fetch.
        max_partition_fetch_bytes=settings.output_message_limit + _RECORD_OVERHEAD_BYTES,
        fetch_max_bytes=max(52_428_800, settings.output_message_limit + _RECORD_OVERHEAD_BYTES),
        **kafka_client_kwargs(settings.kafka),
    )
    await start_client(consumer, settings)
    try:
        if group_id is None:
            await _assign_all(consumer, topic, from_beginning, settings)
        else:
            await require_topic(topic, settings)
            consumer.subscribe([topic])
        seen = 0
        while max_records is None or seen < max_records:
            batch = await consumer.getmany(timeout_ms=int((timeout_s or 3600) * 1000), max_records=100)
            if not batch:
                if timeout_s is None:
                    continue
                return
            for records in batch.values():
                for record in records:
                    yield ConsumedRecord(
                        record.topic,
                        record.partition,
                        record.offset,
                        record.timestamp,
                        record.key,
                        record.value,
                    )
                    seen += 1
                    if max_records is not None and seen >= max_records:
                        return
    finally:
        await consumer.stop()


def worker_size_overrides(settings: Settings) -> dict[str, int]:
    """Faust settings that let the worker read the largest accepted input and write its dead letter
    (Faust's defaults: 1 MB each). Passed to ``faust.App``."""
    limit = settings.output_message_limit + _RECORD_OVERHEAD_BYTES
    return {"producer_max_request_size": limit, "consumer_max_fetch_size": limit}


def topic_size_config(settings: Settings) -> dict[str, str]:
    """Topic-level ``max.message.bytes`` for every topic the app creates (a broker's default is 1 MB)."""
    return {"max.message.bytes": str(settings.output_message_limit + _RECORD_OVERHEAD_BYTES)}
