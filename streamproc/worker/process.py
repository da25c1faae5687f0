"""A worker as a separate process on its own settings: one launcher for tests, benchmarks and demo.

``isolated_settings`` gives a deployment its own app id, topics and data dir on a shared broker,
so runs never see each other's state; ``WorkerProcess`` starts ``python -m <module>`` with the
settings as ``STREAMPROC_*`` environment variables and answers how it is doing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from streamproc.config import Settings
from streamproc.errors import StreamprocError

WORKER_MODULE = ("streamproc", "worker")


class WorkerProcessError(StreamprocError):
    """A worker process exited or did not become ready."""


def isolated_settings(base: Settings, name: str, work_dir: Path, topic_prefix: str = "bench") -> Settings:
    """``base`` with topics ``<prefix>.<name>.<role>``, app id and data dir of their own."""
    kafka = replace(
        base.kafka,
        bootstrap=base.bootstrap_servers,
        topic_raw=f"{topic_prefix}.{name}.raw",
        topic_enriched=f"{topic_prefix}.{name}.enriched",
        topic_duplicates=f"{topic_prefix}.{name}.duplicates",
        topic_dlq=f"{topic_prefix}.{name}.dlq",
    )
    worker = replace(base.worker, app_id=f"streamproc-{topic_prefix}-{name}", data_dir=str(work_dir / name))
    return replace(base, kafka=kafka, worker=worker)


def worker_environ(
    settings: Settings, web_port: int, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a worker process of ``settings`` serving on ``web_port``; its data dir
    (one per process: Faust keeps table state there) is created."""
    kafka, worker = settings.kafka, settings.worker
    data_dir = Path(worker.data_dir) / str(web_port)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "STREAMPROC_KAFKA_BOOTSTRAP": settings.bootstrap_servers,
            "STREAMPROC_KAFKA_TOPIC_RAW": kafka.topic_raw,
            "STREAMPROC_KAFKA_TOPIC_ENRICHED": kafka.topic_enriched,
            "STREAMPROC_KAFKA_TOPIC_DUPLICATES": kafka.topic_duplicates,
            "STREAMPROC_KAFKA_TOPIC_DLQ": kafka.topic_dlq,
            "STREAMPROC_KAFKA_PARTITIONS": str(kafka.partitions),
            "STREAMPROC_WORKER_APP_ID": worker.app_id,
            "STREAMPROC_WORKER_WEB_PORT": str(web_port),
            "STREAMPROC_WORKER_DATA_DIR": str(data_dir),
        }
    )
    env.update(extra or {})
    return env


@dataclass
class WorkerProcess:
    proc: subprocess.Popen[bytes]
    web_port: int
    log_path: Path

    @classmethod
    def start(
        cls,
        env: Mapping[str, str],
        web_port: int,
        log_path: Path,
        module_args: Sequence[str] = WORKER_MODULE,
        cwd: Path | None = None,
    ) -> WorkerProcess:
        """Start ``python -m <module_args>`` with ``env``; its output is appended to ``log_path``."""
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log_file:
            proc = subprocess.Popen(
                [sys.executable, "-m", *module_args],
                env=dict(env),
                stdout=log_file,
                stderr=subprocess.STDOUT,
                cwd=cwd,
            )
        return cls(proc, web_port, log_path)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}{path}", timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise WorkerProcessError(
                f"worker exited with {self.proc.returncode} (log {self.log_path}):\n{self.log_tail()}"
            )

    def is_ready(self) -> bool:
        self.check_alive()
        try:
            return self.get("/ready")[0] == 200
        except OSError:
            return False

    def wait_ready(self, timeout: float = 180.0) -> None:
        wait_all_ready([self], timeout, stable_s=0.0)

    def stop(self, timeout: float = 60.0) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


def wait_all_ready(workers: Sequence[WorkerProcess], timeout: float, stable_s: float = 3.0) -> None:
    """Every worker answers /ready, and keeps answering for ``stable_s`` (no rebalance pending)."""
    deadline = time.monotonic() + timeout
    ready_since: float | None = None
    while time.monotonic() < deadline:
        if all(worker.is_ready() for worker in workers):
            ready_since = ready_since or time.monotonic()
            if time.monotonic() - ready_since >= stable_s:
                return
        else:
            ready_since = None
        time.sleep(0.3)
    tails = "\n".join(worker.log_tail(20) for worker in workers)
    raise WorkerProcessError(f"workers not ready after {timeout:.0f}s:\n{tails}")
