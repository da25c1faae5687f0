"""The slow-commit diagnostics: where an offset commit's time went."""

from __future__ import annotations

import logging

import pytest

from streamproc.faust.commit_guard import CommitTiming


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_slow_commit_is_logged_with_its_phases(caplog: pytest.LogCaptureFixture) -> None:
    clock = _Clock()
    timing = CommitTiming(slow_s=10.0, clock=clock)
    timing.start()
    with timing.phase("buffer_s"):
        clock.now += 30.0
    with timing.phase("request_s"):
        clock.now += 2.0
    with caplog.at_level(logging.WARNING, logger="streamproc.kafka"):
        assert timing.end(partitions=4) == 32.0
    (record,) = [r for r in caplog.records if r.getMessage().startswith("slow offset commit")]
    assert record.__dict__["seconds"] == 32.0 and record.__dict__["buffer_s"] == 30.0
    assert record.__dict__["request_s"] == 2.0 and record.__dict__["partitions"] == 4
    assert timing.slow == 1


def test_a_quick_commit_is_not_logged_and_phases_restart_with_each_commit(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = _Clock()
    timing = CommitTiming(slow_s=10.0, clock=clock)
    timing.start()
    with timing.phase("buffer_s"):
        clock.now += 20.0
    timing.end(partitions=1)
    caplog.clear()
    timing.start()
    with timing.phase("request_s"):
        clock.now += 1.0
    with caplog.at_level(logging.WARNING, logger="streamproc.kafka"):
        assert timing.end(partitions=1) == 1.0
    assert timing.phases == {"request_s": 1.0} and timing.slow == 1
    assert not [r for r in caplog.records if r.getMessage().startswith("slow offset commit")]
    assert timing.end(partitions=1) is None  # none started
