"""The compose stack for real: the worker image from the real Dockerfile, docker-compose.yml's services.

Kafka, topic creation, worker, producer and Prometheus run with docker-compose.yml's own service
names, commands, environment, healthchecks, volumes and container ports; tests/deploy/
docker-compose.test.yml swaps the official images for stand-ins built from a Debian base (no image
registry can be reached here) and builds the worker on a stand-in Python. Host ports are free ones
(the compose file lets them move). The sample articles go in through the producer service; the
enriched records are read from the host with `streamproc consume`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy import dockerhost
from tests.integration.prometheus_server import IN_CI
from tests.support import REPO, SAMPLES, free_port

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(3600)]

COMPOSE_FILES = [REPO / "docker-compose.yml", Path(__file__).resolve().parent / "docker-compose.test.yml"]
SERVICES = ["kafka", "kafka-init", "worker", "producer", "prometheus"]  # all but grafana


@dataclass
class Stack:
    project: str
    kafka_port: int
    worker_port: int
    prometheus_port: int

    def environ(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMPROC_")}
        env.update(
            {
                "KAFKA_HOST_PORT": str(self.kafka_port),
                "WORKER_HOST_PORT": str(self.worker_port),
                "PROMETHEUS_HOST_PORT": str(self.prometheus_port),
                # On the vfs storage driver a container's creation copies its image; on a loaded
                # machine that outlasts docker-compose's 60 s API timeout.
                "COMPOSE_HTTP_TIMEOUT": "900",
            }
        )
        return env

    def compose(
        self, *args: str, timeout: float = 1800, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        files = [arg for path in COMPOSE_FILES for arg in ("-f", str(path))]
        done = subprocess.run(
            ["docker-compose", *files, "-p", self.project, "--no-ansi", *args],
            cwd=REPO,
            env=self.environ(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"docker-compose {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}\n"
                f"{self.logs()}"
            )
        return done

    def logs(self) -> str:
        done = self.compose("logs", "--no-color", "--tail", "80", timeout=120, check=False)
        return done.stdout[-20000:]

    def container(self, service: str) -> str:
        return self.compose("ps", "-q", service).stdout.strip()

    def streamproc(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
        env = self.environ()
        env["STREAMPROC_KAFKA_BOOTSTRAP"] = f"localhost:{self.kafka_port}"
        return subprocess.run(
            [sys.executable, "-m", "streamproc", *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )

    def prometheus(self, path: str) -> Any:
        url = f"http://127.0.0.1:{self.prometheus_port}{path}"
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.loads(response.read())


def _docker_or_skip(tmp: Path) -> Iterator[None]:
    try:
        with dockerhost.docker_daemon(tmp / "dockerd"):
            yield
    except dockerhost.DockerUnavailable as exc:
        if IN_CI:
            pytest.fail(f"docker is needed in CI: {exc}")
        pytest.skip(f"docker cannot run here: {exc}")


@pytest.fixture(scope="module")
def docker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    yield from _docker_or_skip(tmp_path_factory.mktemp("docker"))


@pytest.fixture(scope="module")
def stack(docker: None) -> Iterator[Stack]:
    started = time.monotonic()
    dockerhost.build_standins(Path(sys.executable).parent / "pip")
    dockerhost.log(f"stand-in images ready after {time.monotonic() - started:.0f} s")
    stack = Stack(
        project=f"streamproc-test-{os.getpid()}",
        kafka_port=free_port(),
        worker_port=free_port(),
        prometheus_port=free_port(),
    )
    try:
        build_started = time.monotonic()
        stack.compose("build", "worker")
        dockerhost.log(f"worker image built from the Dockerfile in {time.monotonic() - build_started:.0f} s")
        up_started = time.monotonic()
        stack.compose("up", "-d", *SERVICES)
        dockerhost.log(
            f"stack up (worker healthy, producer started) in {time.monotonic() - up_started:.0f} s"
        )
        yield stack
    finally:
        down = stack.compose(
            "down", "--volumes", "--remove-orphans", "--timeout", "30", timeout=300, check=False
        )
        dockerhost.log(
            f"stack down (exit {down.returncode}); whole module {time.monotonic() - started:.0f} s"
        )


def _wait(what: str, check: Any, stack: Stack, timeout: float = 180.0) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except OSError as exc:  # a port not answering yet
            last = exc
        time.sleep(2)
    raise AssertionError(f"{what}: not after {timeout:g}s (last: {last!r})\n{stack.logs()}")


def test_samples_go_in_through_the_producer_service_and_come_out_enriched(stack: Stack) -> None:
    producer = stack.container("producer")
    exit_code = subprocess.run(
        ["docker", "wait", producer], capture_output=True, text=True, timeout=300, check=True
    ).stdout.strip()
    assert exit_code == "0", stack.logs()
    samples = sorted(SAMPLES.glob("*"))

    def enriched() -> list[dict[str, Any]]:
        done = stack.streamproc("consume", "--topic", "news.enriched", "--timeout", "5")
        assert done.returncode == 0, done.stderr.decode()
        records = [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]
        return records if len(records) >= len(samples) else []

    records = _wait("enriched records on news.enriched", enriched, stack)
    assert len(records) == len(samples)
    values = [record["value"] for record in records]
    assert {v["source_offset"]["topic"] for v in values} == {"news.raw"}
    assert all(v["entities"] for v in values)
    assert {v["dedup"]["status"] for v in values} == {"unique"}


def test_prometheus_scrapes_the_worker_by_service_name_and_loads_the_alert_rules(stack: Stack) -> None:
    def worker_target() -> list[dict[str, Any]]:
        targets = stack.prometheus("/api/v1/targets")["data"]["activeTargets"]
        return [t for t in targets if t["labels"]["instance"] == "worker:6066" and t["health"] == "up"]

    [target] = _wait("Prometheus scraping worker:6066", worker_target, stack)
    assert target["labels"]["job"] == "streamproc"

    def received() -> float:
        result = stack.prometheus(
            "/api/v1/query?query=sum(streamproc_articles_received_total%7Bjob%3D%22streamproc%22%7D)"
        )["data"]["result"]
        return float(result[0]["value"][1]) if result else 0.0

    assert _wait("the samples counted in Prometheus", lambda: received() >= 2, stack)
    expected = {
        rule["alert"]
        for group in yaml.safe_load((REPO / "config" / "alerts.yml").read_text())["groups"]
        for rule in group["rules"]
    }

    def evaluated_rules() -> list[dict[str, Any]]:
        # A rule not yet evaluated reports health "unknown" (and a zero-time lastEvaluation); a
        # group's first evaluation walks its rules one by one, so wait for all of them.
        groups = stack.prometheus("/api/v1/rules")["data"]["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        return rules if rules and all(rule["health"] != "unknown" for rule in rules) else []

    rules = _wait("every alert rule evaluated once", evaluated_rules, stack)
    loaded = {rule["name"] for rule in rules if rule["type"] == "alerting"}
    assert loaded == expected
    failing = {rule["name"]: rule.get("lastError", "") for rule in rules if rule["health"] != "ok"}
    assert not failing, failing


def test_kafka_keeps_its_data_in_the_volume_and_takes_messages_up_to_parse_max_bytes(
    stack: Stack, tmp_path: Path
) -> None:
    listing = subprocess.run(
        ["docker", "exec", stack.container("kafka"), "ls", "/var/lib/kafka/data"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert "news.raw-0" in listing and "meta.properties" in listing
    volumes = subprocess.run(
        ["docker", "volume", "ls", "-q"], capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    assert f"{stack.project}_kafka-data" in volumes
    # parse.max_bytes (2 MiB) plus a JSON envelope: the broker must take it (its default is 1 MB).
    topics = ["/opt/kafka/bin/kafka-topics.sh", "--bootstrap-server", "kafka:9092", "--create"]
    subprocess.run(
        [
            "docker",
            "exec",
            stack.container("kafka"),
            *topics,
            "--topic",
            "compose-test.big",
            "--partitions",
            "1",
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    big = tmp_path / "big.txt"
    big.write_bytes(b"Big article\n\n" + b"word " * (2 * 1024 * 1024 // 5))
    done = stack.streamproc("produce", "--no-progress", "--topic", "compose-test.big", str(big), timeout=180)
    assert done.returncode == 0, done.stderr.decode()
    read = stack.streamproc("consume", "--topic", "compose-test.big", "--timeout", "5", timeout=180)
    assert read.returncode == 0, read.stderr.decode()
    [line] = [line for line in read.stdout.decode().splitlines() if line.strip()]
    assert len(line) > 2 * 1024 * 1024
