"""Broker and admin helpers that need no running Kafka: config mapping, errors, generated files."""

from __future__ import annotations

import asyncio
import socket
import ssl
from pathlib import Path

import pytest

from streamproc.config import BrokerSettings, KafkaSettings
from streamproc.errors import BrokerError, ConfigError
from streamproc.kafka.admin import kafka_client_kwargs, wait_until_ready
from streamproc.kafka.broker import LocalBroker, default_jars_dir


def test_plaintext_maps_to_protocol_only() -> None:
    assert kafka_client_kwargs(KafkaSettings()) == {"security_protocol": "PLAINTEXT"}


def test_sasl_ssl_maps_credentials_and_builds_a_tls_context() -> None:
    kwargs = kafka_client_kwargs(
        KafkaSettings(
            security_protocol="sasl_ssl",
            sasl_mechanism="scram-sha-512",
            sasl_username="svc",
            sasl_password="s3cret",
        )
    )
    assert kwargs["security_protocol"] == "SASL_SSL"
    assert kwargs["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (kwargs["sasl_plain_username"], kwargs["sasl_plain_password"]) == ("svc", "s3cret")
    assert isinstance(kwargs["ssl_context"], ssl.SSLContext)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (KafkaSettings(security_protocol="TLS"), "security_protocol"),
        (KafkaSettings(security_protocol="SASL_PLAINTEXT", sasl_mechanism="MAGIC"), "sasl_mechanism"),
        (KafkaSettings(security_protocol="SASL_PLAINTEXT"), "sasl_username"),
        (KafkaSettings(security_protocol="SSL", ssl_certfile="/c.pem"), "together"),
        (KafkaSettings(security_protocol="SSL", ssl_cafile="/nonexistent/ca.pem"), "ssl_"),
    ],
)
def test_bad_security_settings_are_config_errors(settings: KafkaSettings, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        kafka_client_kwargs(settings)


def test_password_is_not_in_error_messages() -> None:
    with pytest.raises(ConfigError) as info:
        kafka_client_kwargs(KafkaSettings(security_protocol="SASL_PLAINTEXT", sasl_password="hunter2"))
    assert "hunter2" not in str(info.value)


def test_missing_java_or_maven_names_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    with socket.socket() as sock:  # a free port: the default one may be busy with a real broker
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = BrokerSettings(state_dir=str(tmp_path / "b"), port=port, controller_port=port)
    broker = LocalBroker(settings, jars_dir=tmp_path / "empty-lib")
    with pytest.raises(BrokerError, match="apt-get install openjdk-17-jre-headless maven"):
        broker.start()


def test_jars_dir_defaults_to_cache_and_honours_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("STREAMPROC_JARS_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert default_jars_dir("4.1.1") == tmp_path / "cache" / "streamproc" / "kafka-4.1.1" / "lib"
    monkeypatch.setenv("STREAMPROC_JARS_DIR", str(tmp_path / "jars"))
    assert default_jars_dir("4.1.1") == tmp_path / "jars"


def test_server_properties_describe_a_single_combined_node(tmp_path: Path) -> None:
    broker = LocalBroker(BrokerSettings(port=1234, controller_port=1235, state_dir=str(tmp_path)))
    lines = broker.server_properties().splitlines()
    props = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert props["process.roles"] == "broker,controller"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:1235"
    assert props["advertised.listeners"] == "PLAINTEXT://127.0.0.1:1234"
    assert props["log.dirs"] == str(tmp_path.resolve() / "data")
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
        "share.coordinator.state.topic.replication.factor",
        "share.coordinator.state.topic.min.isr",
    ):
        assert props[key] == "1", key
    assert props["auto.create.topics.enable"] == "false"
    assert props["group.initial.rebalance.delay.ms"] == "0"


def test_wait_until_ready_fails_with_the_address_when_nothing_listens() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(BrokerError, match=f"127.0.0.1:{port} did not answer"):
        asyncio.run(wait_until_ready(f"127.0.0.1:{port}", timeout=1.0))


def test_status_of_a_never_started_broker(tmp_path: Path) -> None:
    status = LocalBroker(BrokerSettings(port=1, state_dir=str(tmp_path))).status()
    assert (status.running, status.pid, status.answering) == (False, None, False)
    assert status.bootstrap == "127.0.0.1:1"
