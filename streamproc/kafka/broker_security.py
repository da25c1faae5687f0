"""SASL_SSL for the local broker: a test CA and broker certificate, the SCRAM-SHA-512 user, properties.

Only for testing clients against an authenticating broker on one machine (``[broker]
security_protocol = "SASL_SSL"``); a production cluster has its own PKI and user management.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import os
import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from streamproc.config import BrokerSettings
from streamproc.errors import BrokerError

BROKER_SECURITY_PROTOCOLS = ("PLAINTEXT", "SASL_SSL")
SCRAM_MECHANISM = "SCRAM-SHA-512"
SCRAM_ITERATIONS = 8192
_USERNAME_RE = re.compile(r"[A-Za-z0-9._-]{1,64}")
_CERT_DAYS = "825"
_OPENSSL_HINT = "install OpenSSL, e.g. `apt-get install openssl`"


@dataclass(frozen=True)
class TlsFiles:
    ca_cert: Path  # what clients trust: kafka.ssl_cafile
    keystore: Path  # PEM: the broker's private key, its certificate and the CA certificate


def validate(settings: BrokerSettings) -> str:
    """The upper-cased protocol, after checking the settings it needs. Raises BrokerError."""
    protocol = settings.security_protocol.strip().upper()
    if protocol not in BROKER_SECURITY_PROTOCOLS:
        raise BrokerError(
            f"broker.security_protocol must be one of {', '.join(BROKER_SECURITY_PROTOCOLS)}, "
            f"not {settings.security_protocol!r}"
        )
    if protocol == "SASL_SSL":
        if not _USERNAME_RE.fullmatch(settings.sasl_username):
            raise BrokerError("broker.sasl_username must be 1-64 letters, digits, '.', '_' or '-'")
        if not settings.sasl_password:
            raise BrokerError(
                "broker.security_protocol is SASL_SSL but broker.sasl_password is empty: "
                "set it (e.g. STREAMPROC_BROKER_SASL_PASSWORD)"
            )
    return protocol


def salted_password(password: str, salt: bytes, iterations: int = SCRAM_ITERATIONS) -> bytes:
    """SCRAM's SaltedPassword (RFC 5802 Hi()): PBKDF2 with HMAC-SHA-512."""
    return hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, iterations)


def scram_format_argument(username: str, password: str, salt: bytes) -> str:
    """``kafka-storage format --add-scram`` value carrying the salted password, never the password."""
    salted = base64.b64encode(salted_password(password, salt)).decode()
    return (
        f"{SCRAM_MECHANISM}=[name={username},iterations={SCRAM_ITERATIONS},"
        f'salt="{base64.b64encode(salt).decode()}",saltedpassword="{salted}"]'
    )


def _credential_digest(username: str, password: str, salt: bytes) -> str:
    return hashlib.sha256(username.encode() + b"\0" + salted_password(password, salt)).hexdigest()


def write_user_marker(path: Path, username: str, password: str, salt: bytes) -> None:
    """Remember which user a data dir was formatted with (a digest, so a changed password is noticed)."""
    marker = {
        "username": username,
        "salt": salt.hex(),
        "digest": _credential_digest(username, password, salt),
    }
    write_private(path, json.dumps(marker) + "\n")


def check_user_marker(path: Path, username: str, password: str, data_dir: Path) -> None:
    """Raise BrokerError when ``data_dir`` was formatted without this SCRAM user or with other credentials."""
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
        salt = bytes.fromhex(marker["salt"])
        same = marker["username"] == username and hmac.compare_digest(
            marker["digest"], _credential_digest(username, password, salt)
        )
    except (OSError, ValueError, KeyError, TypeError):
        same = False
    if not same:
        raise BrokerError(
            f"{data_dir} was formatted without the SCRAM user {username!r} or with another password "
            f"(users are created when the data dir is formatted): remove {data_dir} (its topics are "
            "lost) or use the earlier credentials"
        )


def new_salt() -> bytes:
    return secrets.token_bytes(16)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file only its owner can read (it may hold credentials)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through O_CREAT


def properties_value(value: str) -> str:
    """Escape ``value`` for a Java .properties file (read as ISO-8859-1, backslash escapes)."""
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char in "\n\r\t\f":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f"}[char])
        elif ord(char) < 0x20 or ord(char) > 0x7E:
            out.extend(f"\\u{unit:04x}" for unit in _utf16_units(char))
        else:
            out.append(char)
    return "".join(out)


def _utf16_units(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def java_args_file(args: list[str]) -> str:
    """A ``java @file`` argument file passing ``args`` through unchanged (one quoted argument a line)."""

    def quoted(arg: str) -> str:
        if "'" not in arg:
            return "'" + arg.replace("\\", "\\\\") + "'"
        return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "".join(quoted(arg) + "\n" for arg in args)


def jaas_config(username: str, password: str) -> str:
    """The broker's own SCRAM login (inter-broker connections on the SASL_SSL listener)."""

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return (
        "org.apache.kafka.common.security.scram.ScramLoginModule required "
        f"username={quoted(username)} password={quoted(password)};"
    )


def sasl_ssl_properties(settings: BrokerSettings, tls: TlsFiles) -> dict[str, str]:
    """server.properties entries for a SASL_SSL client listener (values not yet escaped)."""
    return {
        "sasl.enabled.mechanisms": SCRAM_MECHANISM,
        "sasl.mechanism.inter.broker.protocol": SCRAM_MECHANISM,
        f"listener.name.sasl_ssl.{SCRAM_MECHANISM.lower()}.sasl.jaas.config": jaas_config(
            settings.sasl_username, settings.sasl_password
        ),
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": str(tls.keystore),
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(tls.ca_cert),
        "ssl.client.auth": "none",
    }


def _subject_alt_names(host: str) -> str:
    names = {"DNS:localhost", "IP:127.0.0.1"}
    try:
        names.add(f"IP:{ipaddress.ip_address(host)}")
    except ValueError:
        names.add(f"DNS:{host}")
    return ",".join(sorted(names))


def _openssl(*args: str, cwd: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise BrokerError(f"`openssl` was not found on PATH (needed for a SASL_SSL broker): {_OPENSSL_HINT}")
    done = subprocess.run(
        [openssl, *args], cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BrokerError(f"openssl {args[0]} failed: {(done.stdout + done.stderr).strip()}")


def ensure_tls(tls_dir: Path, host: str) -> TlsFiles:
    """A CA and a broker certificate for ``host`` in ``tls_dir``, made once (the latter anew per host)."""
    tls_dir.mkdir(parents=True, exist_ok=True)  # keys are owner-only (openssl, write_private)
    files = TlsFiles(ca_cert=tls_dir / "ca.crt", keystore=tls_dir / "broker.pem")
    ca_key = tls_dir / "ca.key"
    if not (files.ca_cert.is_file() and ca_key.is_file()):
        _openssl(
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key.name,
            "-out", files.ca_cert.name, "-days", "3650", "-subj", "/CN=streamproc local test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            cwd=tls_dir,
        )  # fmt: skip
        files.keystore.unlink(missing_ok=True)
    san = _subject_alt_names(host)
    san_file = tls_dir / "broker.san"
    current = san_file.read_text(encoding="utf-8").strip() if san_file.is_file() else ""
    if files.keystore.is_file() and current == san:
        return files
    (tls_dir / "broker.ext").write_text(
        f"subjectAltName={san}\nextendedKeyUsage=serverAuth,clientAuth\n", encoding="utf-8"
    )
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "broker.key", "-out", "broker.csr",
        "-subj", f"/CN={host}", cwd=tls_dir,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", "broker.csr", "-CA", files.ca_cert.name, "-CAkey", ca_key.name,
        "-CAcreateserial", "-out", "broker.crt", "-days", _CERT_DAYS, "-extfile", "broker.ext",
        cwd=tls_dir,
    )  # fmt: skip
    parts = [(tls_dir / name).read_text(encoding="utf-8") for name in ("broker.key", "broker.crt")]
    write_private(files.keystore, "".join(parts) + files.ca_cert.read_text(encoding="utf-8"))
    san_file.write_text(san + "\n", encoding="utf-8")
    return files
