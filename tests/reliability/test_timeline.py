"""The restart timeline read from a worker log (no broker): phases from the spawn mark on."""

from __future__ import annotations

import json
from pathlib import Path

from tests.reliability.timeline import SPAWN_EVENT, starts, summary


def _line(second: float, event: str, **extra: object) -> str:
    stamp = f"2026-12-01T08:00:{second:06.3f}+00:00"
    return json.dumps({"ts": stamp, "level": "info", "logger": "x", "event": event, **extra})


def test_phases_of_each_start_and_a_missing_mark_runs_on_to_the_next(tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    lines = [
        _line(0.0, SPAWN_EVENT),
        _line(2.0, "streamproc 0.1.0 worker starting: ..."),
        _line(2.5, "[^-CorrectedApp]: Starting..."),
        _line(3.0, "[^--CorrectedConsumer]: Starting..."),
        _line(3.5, "enrichment pool ready: ..."),
        _line(4.0, "partitions assigned", partitions=17),
        _line(4.5, "rebalance done: ..."),
        _line(4.6, "order guard: partition starts at its committed offset", topic="t.replies"),
        _line(5.0, "order guard: partition starts at its committed offset", topic="t.raw"),
        _line(6.0, "first output of this process sent"),
        _line(10.0, SPAWN_EVENT),  # a restart whose log has no assignment line
        _line(11.0, "streamproc 0.1.0 worker starting: ..."),
        _line(11.5, "[^-CorrectedApp]: Starting..."),
        _line(12.0, "[^--CorrectedConsumer]: Starting..."),
        _line(15.0, "rebalance done: ..."),
        _line(15.0, "order guard: partition starts at its committed offset", topic="t.raw"),
        _line(17.0, "first output of this process sent"),
    ]
    log.write_text("\n".join(lines) + "\nnot json\n")
    first, second = starts(log)
    assert not first.restart and second.restart
    assert first.phases() == {
        "imports": 2.0,
        "topics": 0.5,
        "producer": 0.5,
        "join": 1.0,
        "recovery": 0.5,
        "fetch": 0.5,
        "output": 1.0,
        "pool": 3.5,
        "total": 6.0,
    }
    phases = second.phases()
    assert phases["join"] == 3.0 and phases["recovery"] is None and phases["total"] == 7.0
    assert summary([first, second])["total"] == {"median": 6.5, "min": 6.0, "max": 7.0, "n": 2}
