"""The worker's web port (/metrics, /health, /ready): checked before anything starts."""

from __future__ import annotations

import errno
import socket


def web_port_problem(host: str, port: int) -> str | None:
    """Why the worker could not serve on ``host:port`` (None: it can), as one actionable sentence.

    Binds the way the worker's web server does (SO_REUSEADDR, so a port in TIME_WAIT is free),
    then lets go: a port already in use fails here, before NER processes, topics or the group.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as exc:
        return f"worker.web_host {host!r} does not resolve ({exc}); set STREAMPROC_WORKER_WEB_HOST"
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(address)
            except OSError as exc:
                reason = exc.strerror or exc
                return f"cannot serve /metrics on {host}:{port}: {reason}; {_bind_advice(exc.errno)}"
    return None


def _bind_advice(errno_code: int | None) -> str:
    """What fixes a failed bind: a busy port, an address this host does not have, a privileged port."""
    if errno_code == errno.EADDRNOTAVAIL:
        return (
            "worker.web_host must be an address of this host (127.0.0.1, or 0.0.0.0 for all); "
            "set STREAMPROC_WORKER_WEB_HOST"
        )
    if errno_code == errno.EACCES:
        return (
            "ports below 1024 need privileges; choose a worker.web_port above 1023 "
            "(STREAMPROC_WORKER_WEB_PORT)"
        )
    return (
        "another worker or program uses it? give each worker its own worker.web_port "
        "(STREAMPROC_WORKER_WEB_PORT)"
    )
