"""The harness's wait for the outputs (no broker): it waits for a slow worker, not a stuck one."""

from __future__ import annotations

from collections.abc import Callable

from tests.reliability.harness import wait_for_progress


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _counting(clock: _Clock, per_second: float, stops_at: int) -> Callable[[], int]:
    """A worker accounting for ``per_second`` inputs per second until ``stops_at`` of them."""
    return lambda: min(stops_at, int(clock.now * per_second))


def test_a_slow_worker_that_keeps_delivering_is_waited_for_past_the_quiet_timeout() -> None:
    # 400 inputs at 1.6/s: 250 s, longer than the 200 s a fixed deadline gave the whole wait.
    clock = _Clock()
    waited = wait_for_progress(
        _counting(clock, 1.6, 400), 400, quiet_timeout=200.0, clock=clock, sleep=clock.sleep
    )
    assert waited.reached and waited.count == 400
    assert 249.0 <= waited.seconds <= 251.0
    assert waited.longest_quiet_s <= 1.0


def test_a_stuck_worker_is_given_up_on_after_the_quiet_timeout() -> None:
    clock = _Clock()
    waited = wait_for_progress(
        _counting(clock, 2.0, 390), 400, quiet_timeout=30.0, clock=clock, sleep=clock.sleep
    )
    assert not waited.reached and waited.count == 390
    # The last new input at 195 s, then 30 s of nothing.
    assert 224.0 <= waited.seconds <= 226.0 and waited.longest_quiet_s >= 30.0


def test_the_longest_quiet_time_is_the_longest_pause_between_new_inputs() -> None:
    clock = _Clock()
    arrivals = {0.0: 0, 10.0: 5, 45.0: 6, 50.0: 10}  # a 35 s pause, then the rest

    def count() -> int:
        return max(n for at, n in arrivals.items() if at <= clock.now)

    waited = wait_for_progress(count, 10, quiet_timeout=40.0, clock=clock, sleep=clock.sleep)
    assert waited.reached and waited.longest_quiet_s == 35.0 and waited.seconds == 50.0
