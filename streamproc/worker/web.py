"""The worker's web port (/metrics, /health, /ready): checked before anything starts."""

from __future__ import annotations

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
                return (
                    f"cannot serve /metrics on {host}:{port}: {exc.strerror or exc} (another worker "
                    "or program uses it?); give each worker its own worker.web_port "
                    "(STREAMPROC_WORKER_WEB_PORT)"
                )
    return None
