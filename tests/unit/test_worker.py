"""The worker class without a broker: what it registers on Faust, and its pages' answers."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from streamproc.app import create_worker
from streamproc.config import Settings
from streamproc.worker import Worker


def unstarted_worker() -> Worker:
    settings = Settings()
    return create_worker(replace(settings, kafka=replace(settings.kafka, bootstrap="127.0.0.1:9")))


class _View:
    def json(self, value: Any, status: int = 200) -> tuple[Any, int]:
        return value, status


def test_one_agent_per_join_stage_on_the_planned_topics() -> None:
    worker = unstarted_worker()
    agents = {name.rsplit(".", 1)[1]: agent for name, agent in worker.app.agents.items()}
    assert sorted(agents) == ["answer", "finalize", "ingest"]
    plan = worker.bound.plan
    topics = {name: next(iter(agent.channel.topics)) for name, agent in agents.items()}  # type: ignore[attr-defined]
    assert topics == {"ingest": plan.raw, "answer": plan.probes, "finalize": plan.replies}


def test_ready_page_says_what_is_missing() -> None:
    worker = unstarted_worker()
    body, status = asyncio.run(worker.ready(_View(), None))  # type: ignore[arg-type]
    # No probe has failed yet: the broker counts as reachable until one does.
    assert status == 503 and body == {
        "ready": False,
        "model_loaded": False,
        "tables_recovered": False,
        "broker_reachable": True,
    }
    body, status = asyncio.run(worker.alive(_View(), None))  # type: ignore[arg-type]
    assert status == 200 and body == {"status": "alive"}
