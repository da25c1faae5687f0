"""Logging for operators: rate-limited library lines, demoted start-up noise, terminal format."""

from __future__ import annotations

import io
import logging

import pytest

from streamproc.logs import (
    DemoteFilter,
    HumanFormatter,
    RateLimitFilter,
    ThroughputLog,
    format_rate,
    logging_dict_config,
    use_human_format,
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def record(name: str, msg: str, *args: object, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.getLogger(name).makeRecord(name, level, __file__, 1, msg, args, None)


def test_rate_limit_passes_a_few_per_interval_then_counts_the_rest() -> None:
    clock = Clock()
    limit = RateLimitFilter(burst=3, interval_s=10.0, clock=clock)
    passed = [limit.filter(record("aiokafka", 'Unable connect to "%s"', f"h{i}")) for i in range(1000)]
    assert passed.count(True) == 3
    clock.now = 10.0
    after = record("aiokafka", 'Unable connect to "%s"', "h")
    assert limit.filter(after)
    assert after.suppressed == 997  # type: ignore[attr-defined]
    assert "997 similar line(s) suppressed" in after.getMessage()


def test_rate_limit_keys_by_message_and_leaves_our_own_loggers_alone() -> None:
    limit = RateLimitFilter(burst=1, interval_s=10.0, clock=Clock())
    assert limit.filter(record("aiokafka.conn", "a"))
    assert limit.filter(record("aiokafka.conn", "b"))
    assert not limit.filter(record("aiokafka.conn", "a"))
    assert all(limit.filter(record("streamproc.worker", "same")) for _ in range(10))


def test_group_coordinator_not_available_is_demoted_to_info() -> None:
    rec = record(
        "aiokafka.consumer.group_coordinator",
        "Group Coordinator Request failed: %s",
        "[Error 15] GroupCoordinatorNotAvailableError",
    )
    assert DemoteFilter().filter(rec)
    assert (rec.levelno, rec.levelname) == (logging.INFO, "INFO")
    other = record("aiokafka.consumer.group_coordinator", "Heartbeat failed: %r", "boom")
    DemoteFilter().filter(other)
    assert other.levelno == logging.ERROR


def test_human_format_is_one_readable_line_with_fields() -> None:
    rec = record("streamproc.pipeline", "dead letter", level=logging.WARNING)
    rec.code = "empty"
    line = HumanFormatter().format(rec)
    assert "WARNING streamproc.pipeline: dead letter  code=empty" in line
    assert not line.startswith("{")


def test_terminal_gets_human_lines_and_a_pipe_gets_json() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert use_human_format(Tty()) and not use_human_format(io.StringIO())
    config = logging_dict_config("info", human=False)
    assert config["handlers"]["stderr"]["formatter"] == "json"
    assert config["loggers"]["faust"]["level"] == "WARNING"
    assert config["loggers"]["aiokafka"]["level"] == "WARNING"
    assert logging_dict_config("debug", human=True)["loggers"]["faust"]["level"] == "DEBUG"


def test_throughput_line_reports_growth_and_stays_quiet_when_idle() -> None:
    counts = {"received": 0.0, "published": 0.0}
    clock = Clock()
    stream = io.StringIO()
    logger = logging.getLogger("test.throughput")
    logger.addHandler(logging.StreamHandler(stream))
    logger.setLevel(logging.INFO)
    throughput = ThroughputLog(lambda: dict(counts), logger=logger, clock=clock)
    clock.now, counts["received"], counts["published"] = 60.0, 120.0, 118.0
    line = throughput.tick()
    assert line == "throughput: received 120, published 118 in the last 60s (2.0 received/s)"
    clock.now = 120.0
    assert throughput.tick() is None
    assert stream.getvalue().count("throughput") == 1
    clock.now, counts["received"] = 180.0, 122.0  # two in a minute: visible, not "0.0 received/s"
    assert throughput.tick() == "throughput: received 2, published 0 in the last 60s (0.033 received/s)"


@pytest.mark.parametrize(
    ("per_second", "shown"),
    [
        (0.0, "0.0"),
        (2.0, "2.0"),
        (1234.56, "1234.6"),
        (0.5, "0.50"),
        (1 / 60, "0.017"),  # one a minute
        (1 / 3600, "0.00028"),  # one an hour
        (-0.25, "-0.25"),  # a counter that went back (a restart) is shown, not hidden
    ],
)
def test_rate_keeps_two_significant_digits_below_one_per_second(per_second: float, shown: str) -> None:
    assert format_rate(per_second) == shown


def test_rate_limit_state_stays_bounded_when_messages_vary() -> None:
    clock = Clock()
    limit = RateLimitFilter(burst=1, interval_s=1.0, clock=clock)
    for i in range(5000):
        clock.now = i * 0.01
        limit.filter(record("aiokafka", f"offset {i} failed"))
    assert len(limit._windows) <= 1100
