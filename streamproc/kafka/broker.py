"""A local single-node Apache Kafka (KRaft, broker+controller in one JVM) run from Maven Central jars.

Lifecycle: ``ensure_jars()`` resolves ``org.apache.kafka:kafka_2.13`` plus a log4j2 binding into a cache
with the machine's Maven; ``start()`` formats the state directory once, launches ``kafka.Kafka``
detached and waits for a real metadata answer; ``stop()`` sends SIGTERM (SIGKILL after a timeout);
``status()`` reports what the pid file and a probe say.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import fcntl
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from streamproc.config import BrokerSettings, KafkaSettings
from streamproc.errors import BrokerError
from streamproc.kafka import broker_security
from streamproc.kafka.admin import fetch_broker_count, kafka_client_kwargs, wait_until_ready

log = logging.getLogger(__name__)

JARS_DIR_ENV = "STREAMPROC_JARS_DIR"
INSTALL_HINT = "install a JDK 17+ and Maven, e.g. `apt-get install openjdk-17-jre-headless maven`"
MVN_TIMEOUT_S = 1800.0
_LOG_TAIL_LINES = 40
_T = TypeVar("_T")


@dataclass(frozen=True)
class BrokerStatus:
    running: bool  # a broker process from this state dir is alive
    pid: int | None
    bootstrap: str
    answering: bool  # it answered a metadata request just now
    log_file: Path


def default_jars_dir(kafka_version: str) -> Path:
    """``$STREAMPROC_JARS_DIR`` if set, else ``~/.cache/streamproc/kafka-<version>/lib``."""
    override = os.environ.get(JARS_DIR_ENV)
    if override:
        return Path(override).expanduser().resolve()
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache_home / "streamproc" / f"kafka-{kafka_version}" / "lib"


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise BrokerError(f"`{tool}` was not found on PATH: {INSTALL_HINT}")
    return path


def _run_sync(coro: Coroutine[Any, Any, _T]) -> _T:
    """Run a coroutine to completion from sync code, even when called inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _port_accepts(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


class LocalBroker:
    """A single-node KRaft Kafka whose data, logs, config and pid file live in ``settings.state_dir``."""

    def __init__(self, settings: BrokerSettings, *, jars_dir: Path | None = None) -> None:
        self.settings = settings
        self.state_dir = Path(settings.state_dir).expanduser().resolve()
        self.jars_dir = jars_dir if jars_dir is not None else default_jars_dir(settings.kafka_version)
        self._proc: subprocess.Popen[bytes] | None = None

    # Paths ---------------------------------------------------------------------------------------
    @property
    def bootstrap(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    @property
    def data_dir(self) -> Path:
        return self.state_dir / "data"

    @property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def log_file(self) -> Path:
        """Kafka's own log (log4j, rolled at 10 MB)."""
        return self.logs_dir / "server.log"

    @property
    def out_file(self) -> Path:
        """The JVM's stdout/stderr: warnings, errors and JVM failures."""
        return self.state_dir / "broker.out"

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "broker.pid"

    @property
    def properties_file(self) -> Path:
        return self.state_dir / "server.properties"

    @property
    def log4j_file(self) -> Path:
        return self.state_dir / "log4j2.properties"

    @property
    def tls_dir(self) -> Path:
        """SASL_SSL only: the test CA (``ca.crt``, what clients trust) and the broker's keystore."""
        return self.state_dir / "tls"

    @property
    def ca_file(self) -> Path:
        return self.tls_dir / "ca.crt"

    @property
    def _user_marker(self) -> Path:
        return self.data_dir / "streamproc-scram-user.json"

    @property
    def security_protocol(self) -> str:
        return broker_security.validate(self.settings)

    def client_settings(self) -> KafkaSettings:
        """The [kafka] security settings a client needs for this broker (SASL_SSL: its user and CA)."""
        if self.security_protocol == "PLAINTEXT":
            return KafkaSettings(bootstrap=self.bootstrap)
        return KafkaSettings(
            bootstrap=self.bootstrap,
            security_protocol="SASL_SSL",
            sasl_mechanism=broker_security.SCRAM_MECHANISM,
            sasl_username=self.settings.sasl_username,
            sasl_password=self.settings.sasl_password,
            ssl_cafile=str(self.ca_file),
        )

    # Jars ----------------------------------------------------------------------------------------
    def _jars_complete(self) -> bool:
        lib = self.jars_dir
        version = self.settings.kafka_version
        return (lib / f"kafka_2.13-{version}.jar").is_file() and all(
            any(lib.glob(f"{name}-2*.jar")) for name in ("log4j-core", "log4j-api", "log4j-slf4j-impl")
        )

    def ensure_jars(self) -> Path:
        """Resolve the broker's jars into ``jars_dir`` with Maven (skipped when already there); return it."""
        if self._jars_complete():
            return self.jars_dir
        mvn = _require("mvn")
        _require("java")
        self.jars_dir.parent.mkdir(parents=True, exist_ok=True)
        version = self.settings.kafka_version
        log.info(
            "resolving Apache Kafka %s jars into %s (first run downloads ~45 MB)", version, self.jars_dir
        )
        # Copy into a sibling temp dir and rename, so an interrupted or concurrent run never
        # leaves a half-filled lib/ that looks complete.
        staging = Path(tempfile.mkdtemp(prefix="lib.partial-", dir=self.jars_dir.parent))
        try:
            with resources.as_file(resources.files("streamproc.kafka") / "resources" / "pom.xml") as pom:
                cmd = [
                    mvn,
                    "-q",
                    "-B",
                    "-f",
                    str(pom),
                    "dependency:copy-dependencies",
                    f"-Dkafka.version={version}",
                    f"-DoutputDirectory={staging}",
                    "-DincludeScope=runtime",
                ]
                try:
                    done = subprocess.run(
                        cmd,
                        stdin=subprocess.DEVNULL,
                        capture_output=True,
                        text=True,
                        timeout=MVN_TIMEOUT_S,
                        check=False,
                    )
                except subprocess.TimeoutExpired:
                    raise BrokerError(
                        f"Maven did not finish resolving Kafka {version} in {MVN_TIMEOUT_S:g}s"
                    ) from None
            if done.returncode != 0:
                output = "\n".join((done.stdout + done.stderr).splitlines()[-_LOG_TAIL_LINES:])
                raise BrokerError(
                    f"Maven could not resolve org.apache.kafka:kafka_2.13:{version} "
                    f"(is Maven Central reachable, is the version right?):\n{output}"
                )
            if not (staging / f"kafka_2.13-{version}.jar").is_file():
                raise BrokerError(f"Maven ran but kafka_2.13-{version}.jar is not in {staging}")
            if self.jars_dir.is_dir() and not any(self.jars_dir.iterdir()):
                self.jars_dir.rmdir()
            try:
                staging.rename(self.jars_dir)
            except OSError:
                # Another process finished first (or the dir holds other files): use what is there.
                if not self._jars_complete():
                    raise BrokerError(
                        f"{self.jars_dir} exists but lacks the Kafka {version} jars; remove it and retry"
                    ) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return self.jars_dir

    # Process bookkeeping -------------------------------------------------------------------------
    def _read_pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def _is_our_broker(self, pid: int) -> bool:
        """Alive, not a zombie, and (where /proc exists) running kafka.Kafka on our properties file."""
        if self._proc is not None and self._proc.pid == pid and self._proc.poll() is not None:
            return False  # reaps our own child so it does not linger as a zombie
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # exists, owned by someone else: /proc below decides
        proc_dir = Path(f"/proc/{pid}")
        if not proc_dir.exists():
            return sys.platform != "linux"
        try:
            stat = (proc_dir / "stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] == "Z":
                return False
            cmdline = (proc_dir / "cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        return b"kafka.Kafka" in cmdline and str(self.properties_file).encode() in cmdline

    def _alive(self, pid: int) -> bool:
        # Our own child is judged by poll(): right after fork its cmdline is still Python's.
        if self._proc is not None and self._proc.pid == pid:
            return self._proc.poll() is None
        return self._is_our_broker(pid)

    def _running_pid(self) -> int | None:
        pid = self._read_pid()
        if pid is not None and self._is_our_broker(pid):
            return pid
        return None

    def _answering(self, timeout: float = 3.0) -> bool:
        if not _port_accepts(self.settings.host, self.settings.port):
            return False
        try:
            kwargs = kafka_client_kwargs(self.client_settings())
            return _run_sync(fetch_broker_count(self.bootstrap, timeout, **kwargs)) > 0
        except Exception:  # any failure of the probe means "not answering"
            return False

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        # Serialises start/stop across processes sharing this state dir (e.g. two CLI calls).
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with (self.state_dir / "broker.lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # Configuration -------------------------------------------------------------------------------
    def server_properties(self) -> str:
        s = self.settings
        # SASL_SSL replaces the client listener: no plaintext listener is left for clients (the
        # controller's stays plaintext on the same host, as it speaks only the controller protocol).
        client = self.security_protocol
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@{s.host}:{s.controller_port}",
            "listeners": f"{client}://{s.host}:{s.port},CONTROLLER://{s.host}:{s.controller_port}",
            "advertised.listeners": f"{client}://{s.host}:{s.port}",
            "inter.broker.listener.name": client,
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": f"{client}:{client},CONTROLLER:PLAINTEXT",
            "log.dirs": str(self.data_dir),
            "num.partitions": "1",
            # One node: every internal topic must fit on it.
            "default.replication.factor": "1",
            "min.insync.replicas": "1",
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            # Saves 3 s on every consumer group join; no other members are coming.
            "group.initial.rebalance.delay.ms": "0",
            # The cleaner's 128 MB default buffer does not fit a 512 MB heap beside everything else.
            "log.cleaner.dedupe.buffer.size": "1048577",
            # streamproc creates its topics with the configured partitions; a typo must not
            # silently create a 1-partition topic.
            "auto.create.topics.enable": "false",
            "log.retention.hours": "168",
            "log.segment.bytes": str(64 * 1024 * 1024),
            "message.max.bytes": str(
                8 * 1024 * 1024
            ),  # > parse.max_bytes + headroom, base64'd in a dead letter
        }
        if client == "SASL_SSL":
            tls = broker_security.TlsFiles(ca_cert=self.ca_file, keystore=self.tls_dir / "broker.pem")
            props.update(broker_security.sasl_ssl_properties(s, tls))
        lines = ["# Written by streamproc (streamproc.kafka.broker); rewritten on every start."]
        lines += [f"{key}={broker_security.properties_value(value)}" for key, value in props.items()]
        return "\n".join(lines) + "\n"

    def _write_config(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        if self.security_protocol == "SASL_SSL":
            broker_security.ensure_tls(self.tls_dir, self.settings.host)
        # Owner-only: with SASL_SSL it holds the broker's own SCRAM login.
        broker_security.write_private(self.properties_file, self.server_properties())
        log4j = resources.files("streamproc.kafka") / "resources" / "log4j2.properties"
        self.log4j_file.write_text(log4j.read_text(encoding="utf-8"), encoding="utf-8")

    def _java_cmd(self, java: str, main_class: str, *args: str, heap: str, logs_dir: Path) -> list[str]:
        return [
            java,
            f"-Xmx{heap}",
            "-Xss1m",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-Djava.awt.headless=true",
            # Kafka logs its own shutdown from a JVM hook; log4j must not close its context first.
            "-Dlog4j2.shutdownHookEnabled=false",
            f"-Dlog4j2.configurationFile={self.log4j_file}",
            f"-Dkafka.logs.dir={logs_dir}",
            "-cp",
            str(self.jars_dir / "*"),  # the JVM expands the wildcard itself
            main_class,
            *args,
        ]

    def _format_storage(self, java: str) -> None:
        sasl = self.security_protocol == "SASL_SSL"
        if (self.data_dir / "meta.properties").is_file():
            if sasl:
                broker_security.check_user_marker(
                    self._user_marker, self.settings.sasl_username, self.settings.sasl_password, self.data_dir
                )
            return
        # Same shape as StorageTool random-uuid (16 random bytes, URL-safe base64, no padding);
        # generated here to save a JVM start. A leading '-' would read as a CLI flag, so avoid it.
        cluster_id = "-"
        while cluster_id.startswith("-"):
            cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        cmd = self._java_cmd(
            java,
            "kafka.tools.StorageTool",
            "format",
            "-t",
            cluster_id,
            "-c",
            str(self.properties_file),
            "--ignore-formatted",
            heap="256m",
            logs_dir=self.logs_dir / "format",  # keeps the tool's config dump out of server.log
        )
        salt = broker_security.new_salt()
        args_file = self.state_dir / "format.args"
        if sasl:
            # The SCRAM user goes in an argument file (java @file; it must hold the main class and
            # what follows) so no command line shows even its salted password.
            scram = broker_security.scram_format_argument(
                self.settings.sasl_username, self.settings.sasl_password, salt
            )
            main_at = cmd.index("kafka.tools.StorageTool")
            file_args = [*cmd[main_at:], "--add-scram", scram]
            broker_security.write_private(args_file, broker_security.java_args_file(file_args))
            cmd = [*cmd[:main_at], f"@{args_file}"]
        try:
            done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
        finally:
            args_file.unlink(missing_ok=True)
        if done.returncode != 0:
            raise BrokerError(f"formatting {self.data_dir} failed:\n{(done.stdout + done.stderr).strip()}")
        if sasl:
            broker_security.write_user_marker(
                self._user_marker, self.settings.sasl_username, self.settings.sasl_password, salt
            )
        log.info("formatted %s (cluster id %s)", self.data_dir, cluster_id)

    # Lifecycle -----------------------------------------------------------------------------------
    def start(self) -> str:
        """Start the broker (or find it running) and return its bootstrap address once it answers."""
        broker_security.validate(self.settings)
        with self._lock():
            pid = self._running_pid()
            if pid is not None:
                if self._answering():
                    return self.bootstrap
                # Still starting (another `start` launched it) or wedged: give it the usual grace.
                self._wait_ready(pid)
                return self.bootstrap
            if self.pid_file.exists():
                log.info("removing stale pid file %s", self.pid_file)
                self.pid_file.unlink(missing_ok=True)
            for port in (self.settings.port, self.settings.controller_port):
                if _port_accepts(self.settings.host, port):
                    raise BrokerError(
                        f"port {self.settings.host}:{port} is already in use by another process "
                        f"(not the broker of {self.state_dir}); stop it or choose other ports in [broker]"
                    )
            java = _require("java")
            self.ensure_jars()
            self._write_config()
            self._format_storage(java)
            cmd = self._java_cmd(
                java,
                "kafka.Kafka",
                str(self.properties_file),
                heap=self.settings.heap,
                logs_dir=self.logs_dir,
            )
            with self.out_file.open("ab") as out:
                self._proc = subprocess.Popen(
                    cmd,
                    cwd=self.state_dir,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # survives the CLI that started it, and its Ctrl-C
                )
            self.pid_file.write_text(f"{self._proc.pid}\n")
            log.info(
                "started Kafka %s (pid %d), waiting for it to answer",
                self.settings.kafka_version,
                self._proc.pid,
            )
            self._wait_ready(self._proc.pid)
            return self.bootstrap

    def _wait_ready(self, pid: int) -> None:
        deadline = time.monotonic() + self.settings.start_timeout_s
        # Cheap TCP polling first: the listener opens only after metadata catch-up.
        while not _port_accepts(self.settings.host, self.settings.port, timeout=0.2):
            if not self._alive(pid):
                self.pid_file.unlink(missing_ok=True)
                raise BrokerError(f"the Kafka broker exited during start-up.\n{self._log_tails()}")
            if time.monotonic() > deadline:
                raise BrokerError(
                    f"the Kafka broker (pid {pid}) did not open {self.bootstrap} within "
                    f"{self.settings.start_timeout_s:g}s; it is still running (`streamproc broker stop` "
                    f"ends it).\n{self._log_tails()}"
                )
            time.sleep(0.1)
        # Probe in short rounds so a broker that dies after opening its port fails fast.
        while True:
            remaining = deadline - time.monotonic()
            kwargs = kafka_client_kwargs(self.client_settings())
            try:
                _run_sync(wait_until_ready(self.bootstrap, max(1.0, min(remaining, 5.0)), **kwargs))
                return
            except BrokerError as exc:
                if not self._alive(pid):
                    self.pid_file.unlink(missing_ok=True)
                    raise BrokerError(
                        f"the Kafka broker exited during start-up.\n{self._log_tails()}"
                    ) from None
                if time.monotonic() >= deadline:
                    raise BrokerError(f"{exc}\n{self._log_tails()}") from None

    def _log_tails(self) -> str:
        parts = []
        for path in (self.out_file, self.log_file):
            tail = _tail(path)
            if tail:
                parts.append(f"--- last lines of {path} ---\n{tail}")
        return "\n".join(parts) or f"(no broker log in {self.state_dir})"

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop the broker: SIGTERM, wait up to ``timeout`` s for a clean exit, then SIGKILL.

        Returns True when a running broker was stopped, False when none was running.
        """
        with self._lock():
            pid = self._running_pid()
            if pid is None:
                self.pid_file.unlink(missing_ok=True)
                return False
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            if not self._wait_exit(pid, timeout):
                log.warning("Kafka (pid %d) did not stop within %gs; killing it", pid, timeout)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                self._wait_exit(pid, 10.0)
            self.pid_file.unlink(missing_ok=True)
            self._proc = None
            return True

    def _wait_exit(self, pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self._is_our_broker(pid):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def status(self) -> BrokerStatus:
        pid = self._running_pid()
        return BrokerStatus(
            running=pid is not None,
            pid=pid,
            bootstrap=self.bootstrap,
            answering=pid is not None and self._answering(),
            log_file=self.log_file,
        )
