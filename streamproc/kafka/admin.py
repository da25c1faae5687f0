"""Kafka admin helpers on aiokafka: readiness probe, idempotent topic creation, client security kwargs."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.helpers import create_ssl_context

from streamproc.config import SASL_MECHANISMS, SECURITY_PROTOCOLS, KafkaSettings
from streamproc.errors import BrokerError, ConfigError

log = logging.getLogger(__name__)

# Kafka error codes that mean "fine, the topic is there" or "try again shortly".
_TOPIC_ALREADY_EXISTS = 36
_RETRIABLE_CREATE_ERRORS = frozenset({7, 41, 5})  # REQUEST_TIMED_OUT, NOT_CONTROLLER, LEADER_NOT_AVAILABLE
_RETRY_SLEEP_S = 0.2


def kafka_client_kwargs(kafka: KafkaSettings) -> dict[str, Any]:
    """aiokafka client keyword arguments for the security settings in ``kafka`` (no bootstrap).

    The result holds the SASL password in clear text because aiokafka needs it: do not log it.
    """
    protocol = kafka.security_protocol.strip().upper()
    if protocol not in SECURITY_PROTOCOLS:
        raise ConfigError(
            f"kafka.security_protocol must be one of {', '.join(sorted(SECURITY_PROTOCOLS))}, "
            f"not {kafka.security_protocol!r}"
        )
    kwargs: dict[str, Any] = {"security_protocol": protocol}
    if protocol.startswith("SASL_"):
        mechanism = kafka.sasl_mechanism.strip().upper()
        if mechanism not in SASL_MECHANISMS:
            raise ConfigError(
                f"kafka.sasl_mechanism must be one of {', '.join(sorted(SASL_MECHANISMS))}, "
                f"not {kafka.sasl_mechanism!r}"
            )
        kwargs["sasl_mechanism"] = mechanism
        if not kafka.sasl_username:
            raise ConfigError(f"kafka.sasl_username is required for SASL mechanism {mechanism}")
        kwargs["sasl_plain_username"] = kafka.sasl_username
        kwargs["sasl_plain_password"] = kafka.sasl_password
    if protocol in {"SSL", "SASL_SSL"}:
        if bool(kafka.ssl_certfile) != bool(kafka.ssl_keyfile):
            raise ConfigError("kafka.ssl_certfile and kafka.ssl_keyfile must be given together")
        try:
            kwargs["ssl_context"] = create_ssl_context(
                cafile=kafka.ssl_cafile or None,
                certfile=kafka.ssl_certfile or None,
                keyfile=kafka.ssl_keyfile or None,
            )
        except (OSError, ValueError) as exc:
            # The message names files, never the password (there is no key password setting).
            raise ConfigError(f"cannot build the TLS context from kafka.ssl_* files: {exc}") from None
    return kwargs


def _admin(bootstrap: str, request_timeout_s: float, client_kwargs: Mapping[str, Any]) -> Any:
    return AIOKafkaAdminClient(
        bootstrap_servers=bootstrap,
        client_id="streamproc-admin",
        request_timeout_ms=max(1000, int(request_timeout_s * 1000)),
        **client_kwargs,
    )


async def fetch_broker_count(bootstrap: str, timeout: float, **client_kwargs: Any) -> int:
    """One real Metadata request; returns how many brokers the cluster reports. Raises on failure."""
    admin = _admin(bootstrap, timeout, client_kwargs)
    try:
        await asyncio.wait_for(admin.start(), timeout)
        cluster = await asyncio.wait_for(admin.describe_cluster(), timeout)
        return len(cluster.get("brokers", []))
    finally:
        await admin.close()


async def wait_until_ready(bootstrap: str, timeout: float, **client_kwargs: Any) -> None:
    """Return once a Metadata request to ``bootstrap`` succeeds and lists at least one broker.

    ``client_kwargs`` are aiokafka security kwargs (see :func:`kafka_client_kwargs`).
    Raises BrokerError naming the last failure when ``timeout`` seconds pass first.
    """
    deadline = time.monotonic() + timeout
    last_error = "no attempt made"
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BrokerError(f"Kafka at {bootstrap} did not answer within {timeout:g}s ({last_error})")
        try:
            if await fetch_broker_count(bootstrap, min(remaining, 5.0), **client_kwargs) > 0:
                return
            last_error = "metadata lists no broker yet"
        except Exception as exc:  # any failure here means "not ready yet": keep probing until the deadline
            last_error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        await asyncio.sleep(min(_RETRY_SLEEP_S, max(0.0, deadline - time.monotonic())))


def _topic_errors(response: Any) -> list[tuple[str, int, str]]:
    # CreateTopicsResponse versions differ in tuple width: (name, code[, message[, ...]]).
    errors = []
    for entry in response.topic_errors:
        message = entry[2] if len(entry) > 2 and isinstance(entry[2], str) else ""
        errors.append((str(entry[0]), int(entry[1]), message or ""))
    return errors


async def ensure_topics(
    bootstrap: str,
    topics: Mapping[str, int],
    replication_factor: int,
    configs: Mapping[str, str] | None = None,
    *,
    timeout: float = 30.0,
    **client_kwargs: Any,
) -> None:
    """Create each topic (name -> partitions) unless it exists, then wait until every partition has a leader.

    Existing topics are left as they are (a different partition count is logged, not changed).
    """
    if not topics:
        return
    deadline = time.monotonic() + timeout
    admin = _admin(bootstrap, min(timeout, 30.0), client_kwargs)
    try:
        await admin.start()
        pending = dict(topics)
        while pending:
            new = [
                NewTopic(name, partitions, replication_factor, topic_configs=dict(configs or {}))
                for name, partitions in pending.items()
            ]
            response = await admin.create_topics(new, timeout_ms=max(1000, int(timeout * 1000)))
            retry: dict[str, int] = {}
            for name, code, message in _topic_errors(response):
                if code == 0:
                    log.info("created topic %s (%d partitions)", name, pending[name])
                elif code == _TOPIC_ALREADY_EXISTS:
                    log.debug("topic %s already exists", name)
                elif code in _RETRIABLE_CREATE_ERRORS:
                    retry[name] = pending[name]
                else:
                    raise BrokerError(f"cannot create topic {name!r}: Kafka error {code} {message}".rstrip())
            if retry and time.monotonic() > deadline:
                raise BrokerError(f"timed out creating topics {sorted(retry)}")
            if retry:
                await asyncio.sleep(_RETRY_SLEEP_S)
            pending = retry
        await _wait_for_leaders(admin, topics, deadline)
    finally:
        await admin.close()


async def _wait_for_leaders(admin: Any, topics: Mapping[str, int], deadline: float) -> None:
    # CreateTopics returns before leaders are elected everywhere; producers racing that get
    # LEADER_NOT_AVAILABLE, so wait here once instead of in every caller.
    names = list(topics)
    while True:
        described = await admin.describe_topics(names)
        missing = []
        for topic in described:
            name = topic["topic"]
            partitions = topic.get("partitions", [])
            if topic["error_code"] != 0 or not partitions or any(p["leader"] < 0 for p in partitions):
                missing.append(name)
            elif len(partitions) != topics[name]:
                log.warning(
                    "topic %s exists with %d partitions, not the %d configured",
                    name,
                    len(partitions),
                    topics[name],
                )
        if not missing:
            return
        if time.monotonic() > deadline:
            raise BrokerError(f"topics without a leader after the timeout: {sorted(missing)}")
        await asyncio.sleep(_RETRY_SLEEP_S)


async def topic_record_limits(
    bootstrap: str, topics: list[str], *, timeout: float = 30.0, **client_kwargs: Any
) -> dict[str, int]:
    """Each topic's ``max.message.bytes`` as the broker applies it (its own or the broker's default):
    the largest record batch it takes."""
    configs = await topic_configs(bootstrap, topics, ["max.message.bytes"], timeout=timeout, **client_kwargs)
    return {name: int(values["max.message.bytes"]) for name, values in configs.items() if values}


async def topic_configs(
    bootstrap: str, topics: list[str], keys: list[str], *, timeout: float = 30.0, **client_kwargs: Any
) -> dict[str, dict[str, str]]:
    """The ``keys`` of each topic's config as the broker applies them (its own or the broker's default)."""
    if not topics:
        return {}
    admin = _admin(bootstrap, min(timeout, 30.0), client_kwargs)
    try:
        await admin.start()
        wanted = dict.fromkeys(keys)
        resources = [ConfigResource(ConfigResourceType.TOPIC, name, configs=wanted) for name in topics]
        responses = await admin.describe_configs(resources)
    finally:
        await admin.close()
    configs: dict[str, dict[str, str]] = {}
    for response in responses:
        for error_code, error_message, _type, name, entries, *_ in response.resources:
            if error_code:
                problem = f"Kafka error {error_code} {error_message or ''}".rstrip()
                raise BrokerError(f"cannot read the config of topic {name!r}: {problem}")
            values = configs.setdefault(str(name), {})
            for entry in entries:
                if entry[0] in wanted and entry[1] is not None:
                    values[str(entry[0])] = str(entry[1])
    return configs
