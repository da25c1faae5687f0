"""How a worker joins its consumer group: static membership (KIP-345) by default, with an id
derived from where the worker runs, so a restarted worker rejoins as itself."""

from __future__ import annotations

import re

from streamproc.config import WorkerSettings

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def group_instance_id(conf: WorkerSettings, hostname: str) -> str | None:
    """The worker's static group instance id, or None for dynamic membership.

    The configured id wins. Otherwise ``<app_id>-<hostname>-<web_port>``: stable across restarts
    of the same worker (same host, same port), and distinct for two workers, which cannot share
    a host and a web port. Two live members with one id would fence each other (the newer one
    takes over, the older one's commits fail), so the id must never be shared.
    """
    if conf.group_instance_id:
        return conf.group_instance_id
    if not conf.static_membership:
        return None
    host = _UNSAFE.sub("-", hostname).strip("-") or "host"
    return f"{conf.app_id}-{host}-{conf.web_port}"
