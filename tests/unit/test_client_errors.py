"""What a client says when the configured address answers but is not a Kafka client listener."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from aiokafka.errors import IncompatibleBrokerVersion, KafkaConnectionError

from streamproc.config import Settings
from streamproc.errors import BrokerError
from streamproc.kafka import clients
from streamproc.kafka.clients import _mismatch_message


def test_a_port_that_answers_but_is_not_a_client_listener_names_both_causes() -> None:
    settings = Settings()
    settings = replace(settings, kafka=replace(settings.kafka, bootstrap="127.0.0.1:19093"))
    # The controller port answers Kafka's protocol but not metadata requests.
    line = _mismatch_message(settings, IncompatibleBrokerVersion("MetadataRequest cannot be used"))
    assert line == (
        "Kafka at 127.0.0.1:19093 accepts connections but does not answer the client "
        "(IncompatibleBrokerVersion: MetadataRequest cannot be used); check that it is a Kafka client "
        "port (not a controller port or another service) and that kafka.security_protocol (PLAINTEXT) "
        "matches the broker's listener"
    )


def test_the_error_class_is_named_once() -> None:
    settings = Settings()
    line = _mismatch_message(settings, KafkaConnectionError("Connection at x closed"))
    assert line.count("KafkaConnectionError") == 1
    assert "(KafkaConnectionError: Connection at x closed)" in line
    assert "(TimeoutError)" in _mismatch_message(settings, TimeoutError())


def test_produce_goes_on_when_the_topic_config_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compaction check is a courtesy: a principal allowed to write but not to DescribeConfigs
    must still be able to produce, so an unreadable config skips the check."""

    async def refused(*_args: object, **_kwargs: object) -> dict[str, dict[str, str]]:
        raise BrokerError("cannot read the config of topic 'news.raw': Kafka error 29")

    monkeypatch.setattr(clients, "topic_configs", refused)
    asyncio.run(clients.require_unkeyed_records_taken("news.raw", Settings()))


def test_produce_to_a_compacted_topic_is_refused_before_sending(monkeypatch: pytest.MonkeyPatch) -> None:

    async def compacted(*_args: object, **_kwargs: object) -> dict[str, dict[str, str]]:
        return {"news.stories": {"cleanup.policy": "compact"}}

    monkeypatch.setattr(clients, "topic_configs", compacted)
    with pytest.raises(BrokerError, match="is compacted"):
        asyncio.run(clients.require_unkeyed_records_taken("news.stories", Settings()))


def test_an_unreachable_broker_gets_advice_for_where_its_address_comes_from() -> None:
    """`broker start` is skipped when kafka.bootstrap is set: only the local broker's line offers it."""
    local = clients.unreachable_message(Settings())
    assert local.startswith("cannot reach Kafka at 127.0.0.1:19092: is it running? Start the local one")
    settings = Settings()
    configured = replace(settings, kafka=replace(settings.kafka, bootstrap="kafka.example:9092"))
    line = clients.unreachable_message(configured)
    assert line.startswith("cannot reach Kafka at kafka.example:9092 (kafka.bootstrap): is it running")
    assert "Start the local one" not in line and "Check kafka.bootstrap (STREAMPROC_KAFKA_BOOTSTRAP)" in line
