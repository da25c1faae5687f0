"""The worker's web port is checked before anything starts: a port in use is one line, not a traceback."""

from __future__ import annotations

import socket
import subprocess
import sys

from streamproc.worker.web import web_port_problem
from tests.support import REPO, free_port


def test_a_free_port_has_no_problem() -> None:
    assert web_port_problem("127.0.0.1", free_port()) is None


def test_a_port_in_use_names_itself_and_the_setting() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        problem = web_port_problem("127.0.0.1", port)
    assert problem is not None
    assert f"127.0.0.1:{port}" in problem and "STREAMPROC_WORKER_WEB_PORT" in problem


def test_an_unresolvable_host_names_the_setting() -> None:
    problem = web_port_problem("no-such-host.invalid", free_port())
    assert problem is not None and "STREAMPROC_WORKER_WEB_HOST" in problem


def test_worker_on_a_busy_port_exits_with_one_error_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "streamproc", "worker"],
            env={"STREAMPROC_WORKER_WEB_PORT": str(port), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            timeout=120,
            check=False,
            cwd=REPO,
        )
    stderr = done.stderr.decode()
    assert done.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.splitlines() == [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert len(stderr.splitlines()) == 1 and f"127.0.0.1:{port}" in stderr


def test_an_address_this_host_does_not_have_names_web_host_not_web_port() -> None:
    problem = web_port_problem("192.0.2.1", free_port())  # TEST-NET-1: never a local address
    assert problem is not None and "Cannot assign requested address" in problem
    assert "STREAMPROC_WORKER_WEB_HOST" in problem and "another worker" not in problem
