"""Docker for the compose test on a machine that reaches no image registry.

- ``DockerDaemon``: uses a running daemon, or starts ``dockerd --storage-driver=vfs`` (root) and
  stops it afterwards.
- ``ensure_base_image``: a Debian bookworm minbase made with ``debootstrap`` from Debian's mirror and
  ``docker import``ed; the tarball is cached in ``~/.cache/streamproc/docker`` between runs.
- ``build_standins``: stand-ins for python:3.11-slim (Debian's python3 + a wheelhouse built on the
  host), apache/kafka (Debian's JRE + the jars streamproc resolves from Maven Central) and
  prom/prometheus (Debian's package), from ``tests/deploy/standins``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from streamproc.config import BrokerSettings
from streamproc.kafka.broker import default_jars_dir

REPO = Path(__file__).resolve().parents[2]
STANDINS = Path(__file__).resolve().parent / "standins"
DEBIAN_MIRROR = "http://deb.debian.org/debian"
BASE_IMAGE = "streamproc-test/debian:bookworm"
PYTHON_IMAGE = "streamproc-test/python:3.11"
KAFKA_IMAGE = f"streamproc-test/kafka:{BrokerSettings.kafka_version}"
PROMETHEUS_IMAGE = "streamproc-test/prometheus:debian"


class DockerUnavailable(Exception):
    """Docker cannot run here (the message says why)."""


def cache_dir() -> Path:
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = cache_home / "streamproc" / "docker"
    path.mkdir(parents=True, exist_ok=True)
    return path


# What the compose test did and how long it took, repeated in pytest's summary (tests/deploy/conftest.py).
TIMELINE: list[str] = []


def log(message: str) -> None:
    line = f"[compose test {time.strftime('%H:%M:%S')}] {message}"
    TIMELINE.append(line)
    print(line, file=sys.stderr, flush=True)


def run(cmd: Sequence[str | Path], *, timeout: float = 1800, attempts: int = 1) -> str:
    """Run ``cmd``; return its stdout, or raise RuntimeError with the tail of its output.

    ``attempts`` > 1 for steps that download (Debian's mirror, Maven Central, PyPI): a passing
    network hiccup should not fail the suite.
    """
    for attempt in range(1, attempts + 1):
        done = subprocess.run(
            [str(part) for part in cmd],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode == 0:
            return done.stdout
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-60:])
        if attempt < attempts:
            log(f"{cmd[0]} {cmd[1]} failed (attempt {attempt} of {attempts}), retrying:\n{tail}")
            time.sleep(10)
    raise RuntimeError(f"{' '.join(map(str, cmd))} exited {done.returncode}:\n{tail}")


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    done = subprocess.run(
        ["docker", "info"], stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=False
    )
    return done.returncode == 0


@contextlib.contextmanager
def docker_daemon(state_dir: Path, start_timeout_s: float = 90.0) -> Iterator[None]:
    """A docker daemon for the duration: the running one, else ``dockerd --storage-driver=vfs``."""
    if _docker_answers():
        yield
        return
    dockerd = shutil.which("dockerd")
    if dockerd is None or shutil.which("docker") is None:
        raise DockerUnavailable("docker is not installed (Debian: apt-get install docker.io docker-compose)")
    if os.geteuid() != 0:
        raise DockerUnavailable("no docker daemon runs and only root can start dockerd")
    state_dir.mkdir(parents=True, exist_ok=True)
    log_file = state_dir / "dockerd.log"
    with log_file.open("ab") as out:
        proc = subprocess.Popen(
            [dockerd, "--storage-driver=vfs", "--pidfile", str(state_dir / "dockerd.pid")],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + start_timeout_s
        while not _docker_answers():
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-15:])
                raise DockerUnavailable(f"dockerd did not start (exit {proc.poll()}):\n{tail}")
            time.sleep(0.5)
        log(f"started dockerd (pid {proc.pid}, storage driver vfs)")
        yield
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        log("stopped dockerd")


def _image_exists(tag: str) -> bool:
    done = subprocess.run(
        ["docker", "image", "inspect", tag], stdin=subprocess.DEVNULL, capture_output=True, check=False
    )
    return done.returncode == 0


def ensure_base_image() -> None:
    """``BASE_IMAGE``: Debian bookworm minbase from debootstrap (tarball cached), docker imported."""
    if _image_exists(BASE_IMAGE):
        return
    tarball = cache_dir() / "debian-bookworm-minbase.tar.gz"
    if not tarball.is_file():
        if shutil.which("debootstrap") is None:
            raise DockerUnavailable("debootstrap is not installed (Debian: apt-get install debootstrap)")
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="debootstrap-", dir=cache_dir()) as tmp:
            rootfs = Path(tmp) / "rootfs"
            for attempt in (1, 2, 3):  # Debian's mirror: a passing hiccup should not fail the suite
                shutil.rmtree(rootfs, ignore_errors=True)
                try:
                    run(["debootstrap", "--variant=minbase", "bookworm", rootfs, DEBIAN_MIRROR])
                    break
                except RuntimeError:
                    if attempt == 3:
                        raise
                    log(f"debootstrap failed (attempt {attempt} of 3), retrying")
            # Package files and lists are dead weight in an image (each RUN apt-get updates anew).
            for leftover in ("var/cache/apt/archives", "var/lib/apt/lists"):
                for path in (rootfs / leftover).glob("*"):
                    if path.is_file():
                        path.unlink()
            partial = tarball.with_suffix(".partial")
            run(["sh", "-c", f'tar -C "{rootfs}" -c . | gzip -1 > "{partial}"'])
            partial.rename(tarball)
        log(f"debootstrap of bookworm minbase took {time.monotonic() - started:.0f} s (cached: {tarball})")
    run(["docker", "import", tarball, BASE_IMAGE])


def project_requirements() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    build = project["build-system"]["requires"]
    # The Dockerfile installs the rocksdb extra too: the compose worker keeps its tables in RocksDB.
    rocksdb = project["project"]["optional-dependencies"]["rocksdb"]
    return [*project["project"]["dependencies"], *rocksdb, *build]


def ensure_wheelhouse(pip: Path) -> Path:
    """Wheels of the project's dependencies and build backend, built on the host, cached per list."""
    requirements = project_requirements()
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:16]
    wheelhouse = cache_dir() / f"wheelhouse-{digest}"
    if (wheelhouse / ".complete").is_file():
        return wheelhouse
    started = time.monotonic()
    shutil.rmtree(wheelhouse, ignore_errors=True)
    run([pip, "wheel", "--quiet", "--wheel-dir", wheelhouse, *requirements], attempts=3)
    (wheelhouse / ".complete").write_text("\n".join(requirements) + "\n")
    log(f"wheelhouse built in {time.monotonic() - started:.0f} s ({wheelhouse})")
    return wheelhouse


def kafka_tools_jars() -> Path:
    """kafka-tools and its dependencies (the CLI tools of the stand-in image), resolved once with Maven."""
    version = BrokerSettings.kafka_version
    target = cache_dir() / f"kafka-tools-{version}"
    if (target / f"kafka-tools-{version}.jar").is_file():
        return target
    partial = Path(tempfile.mkdtemp(prefix="kafka-tools.partial-", dir=cache_dir()))
    try:
        run(
            [
                "mvn", "-q", "-B", "-f", STANDINS / "kafka" / "pom.xml", "dependency:copy-dependencies",
                f"-Dkafka.version={version}", f"-DoutputDirectory={partial}", "-DincludeScope=runtime",
            ],
            attempts=3,
        )  # fmt: skip
        partial.rename(target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target


def _build(tag: str, context: Path) -> None:
    started = time.monotonic()
    # Their apt-get steps download from Debian's mirror (docker's cache skips them once built).
    run(
        ["docker", "build", "--quiet", "--tag", tag, "--build-arg", f"BASE_IMAGE={BASE_IMAGE}", context],
        attempts=2,
    )
    log(f"built {tag} in {time.monotonic() - started:.0f} s")


def _context_from(standin: str, tmp: Path) -> Path:
    context = tmp / standin
    shutil.copytree(STANDINS / standin, context)
    return context


@dataclass(frozen=True)
class StandinImages:
    python: str
    kafka: str
    prometheus: str


def build_standins(pip: Path) -> StandinImages:
    """The three stand-in images (docker's build cache makes a rebuild on the same machine quick)."""
    ensure_base_image()
    from streamproc.kafka.broker import LocalBroker

    broker_jars = LocalBroker(BrokerSettings()).ensure_jars()
    assert broker_jars == default_jars_dir(BrokerSettings.kafka_version)
    tools_jars = kafka_tools_jars()
    wheelhouse = ensure_wheelhouse(pip)
    with tempfile.TemporaryDirectory(prefix="standins-") as tmp_name:
        tmp = Path(tmp_name)
        python = _context_from("python", tmp)
        shutil.copytree(wheelhouse, python / "wheelhouse", ignore=shutil.ignore_patterns(".complete"))
        _build(PYTHON_IMAGE, python)
        kafka = _context_from("kafka", tmp)
        (kafka / "libs").mkdir()
        for jar in [*broker_jars.glob("*.jar"), *tools_jars.glob("*.jar")]:
            shutil.copy2(jar, kafka / "libs" / jar.name)
        _build(KAFKA_IMAGE, kafka)
        _build(PROMETHEUS_IMAGE, _context_from("prometheus", tmp))
    return StandinImages(python=PYTHON_IMAGE, kafka=KAFKA_IMAGE, prometheus=PROMETHEUS_IMAGE)


def prune_superseded_images() -> None:
    """Remove this test's images that a newer build replaced (untagged), so /var/lib/docker stays bounded."""
    run(["docker", "image", "prune", "--force", "--filter", "label=io.streamproc.test"], timeout=600)
