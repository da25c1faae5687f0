"""The local broker's SASL_SSL pieces that need no broker: settings, SCRAM values, escaping, properties."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from pathlib import Path

import pytest

from streamproc.config import BrokerSettings
from streamproc.errors import BrokerError
from streamproc.kafka import broker_security
from streamproc.kafka.broker import LocalBroker


def _sasl(password: str = "s3cret", username: str = "alice") -> BrokerSettings:
    return BrokerSettings(security_protocol="sasl_ssl", sasl_username=username, sasl_password=password)


def test_validate_accepts_the_two_protocols_and_names_what_is_missing() -> None:
    assert broker_security.validate(BrokerSettings()) == "PLAINTEXT"
    assert broker_security.validate(_sasl()) == "SASL_SSL"
    with pytest.raises(BrokerError, match="sasl_password is empty"):
        broker_security.validate(_sasl(password=""))
    with pytest.raises(BrokerError, match="sasl_username"):
        broker_security.validate(_sasl(username="a b"))
    with pytest.raises(BrokerError, match="one of PLAINTEXT, SASL_SSL"):
        broker_security.validate(BrokerSettings(security_protocol="SSL"))


def test_salted_password_is_rfc5802_hi_with_sha512() -> None:
    salt, iterations = b"0123456789abcdef", 4096
    # Hi(): U1 = HMAC(p, salt + INT(1)), Ui = HMAC(p, Ui-1), result = U1 ^ ... ^ Ui.
    u = hmac.new(b"pencil", salt + b"\x00\x00\x00\x01", hashlib.sha512).digest()
    result = bytearray(u)
    for _ in range(iterations - 1):
        u = hmac.new(b"pencil", u, hashlib.sha512).digest()
        result = bytearray(a ^ b for a, b in zip(result, u, strict=True))
    assert broker_security.salted_password("pencil", salt, iterations) == bytes(result)


def test_the_format_argument_carries_the_salted_password_never_the_password() -> None:
    salt = b"\x01" * 16
    argument = broker_security.scram_format_argument("alice", "pencil", salt)
    assert "pencil" not in argument
    assert argument.startswith("SCRAM-SHA-512=[name=alice,iterations=8192,")
    salted = base64.b64encode(broker_security.salted_password("pencil", salt)).decode()
    assert f'salt="{base64.b64encode(salt).decode()}"' in argument
    assert f'saltedpassword="{salted}"' in argument


def test_the_user_marker_detects_another_user_or_password(tmp_path: Path) -> None:
    marker = tmp_path / "marker.json"
    broker_security.write_user_marker(marker, "alice", "pencil", broker_security.new_salt())
    assert "pencil" not in marker.read_text()
    assert marker.stat().st_mode & 0o777 == 0o600
    broker_security.check_user_marker(marker, "alice", "pencil", tmp_path)
    for username, password in (("alice", "pen"), ("bob", "pencil")):
        with pytest.raises(BrokerError, match="remove"):
            broker_security.check_user_marker(marker, username, password, tmp_path)
    with pytest.raises(BrokerError, match="formatted without"):
        broker_security.check_user_marker(tmp_path / "absent.json", "alice", "pencil", tmp_path)


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("plain", "plain"),
        ("back\\slash", "back\\\\slash"),
        ("line\nbreak", "line\\nbreak"),
        ("é", "\\u00e9"),
        ("😀", "\\ud83d\\ude00"),
    ],
)
def test_properties_values_are_escaped_for_java(value: str, escaped: str) -> None:
    assert broker_security.properties_value(value) == escaped


def test_the_jaas_login_quotes_the_password() -> None:
    jaas = broker_security.jaas_config("alice", 'a"b\\c')
    assert jaas.endswith('username="alice" password="a\\"b\\\\c";')


def test_java_argument_files_quote_every_argument() -> None:
    text = broker_security.java_args_file(["kafka.tools.StorageTool", 'x=[salt="ab"]', "it's", "a\\b"])
    assert text.splitlines() == ["'kafka.tools.StorageTool'", "'x=[salt=\"ab\"]'", '"it\'s"', "'a\\\\b'"]


def test_sasl_ssl_server_properties_have_no_plaintext_client_listener(tmp_path: Path) -> None:
    settings = BrokerSettings(
        port=29999,
        controller_port=29998,
        state_dir=str(tmp_path),
        security_protocol="SASL_SSL",
        sasl_username="alice",
        sasl_password="pencil",
    )
    props = dict(
        line.split("=", 1) for line in LocalBroker(settings).server_properties().splitlines() if "=" in line
    )
    assert props["listeners"] == "SASL_SSL://127.0.0.1:29999,CONTROLLER://127.0.0.1:29998"
    assert props["advertised.listeners"] == "SASL_SSL://127.0.0.1:29999"
    assert props["listener.security.protocol.map"] == "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT"
    assert props["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
    assert props["ssl.keystore.location"] == str(tmp_path.resolve() / "tls" / "broker.pem")


@pytest.mark.skipif(not os.path.exists("/usr/bin/openssl"), reason="openssl is not installed")
def test_tls_files_are_made_once_and_the_keys_are_private(tmp_path: Path) -> None:
    files = broker_security.ensure_tls(tmp_path, "127.0.0.1")
    assert files.ca_cert.read_text().startswith("-----BEGIN CERTIFICATE-----")
    keystore = files.keystore.read_text()
    assert "PRIVATE KEY" in keystore and keystore.count("BEGIN CERTIFICATE") == 2
    assert files.keystore.stat().st_mode & 0o777 == 0o600
    ca_before = files.ca_cert.read_bytes()
    broker_security.ensure_tls(tmp_path, "broker.example")  # another host: new broker cert, same CA
    assert files.ca_cert.read_bytes() == ca_before
    assert "DNS:broker.example" in (tmp_path / "broker.san").read_text()
