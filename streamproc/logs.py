"""Logging: JSON lines for machines, short readable lines on a terminal, quiet libraries.

- ``JsonFormatter``: one JSON object per line (``event`` plus fields), the default off a terminal.
- ``HumanFormatter``: ``12:00:01 INFO  streamproc.worker: message key=value``, on a terminal.
- ``RateLimitFilter``: Kafka client libraries repeat the same line many times a second while a
  broker is down (aiokafka's reconnect loop, aio-libs/aiokafka#496); at most a few lines of each
  kind pass per interval, and the next one that passes says how many were suppressed.
- ``DemoteFilter``: "coordinator not available" is expected while a fresh group coordinator
  starts; it is logged at info, not error.
"""

from __future__ import annotations

import logging
import logging.config
import math
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

import orjson

_RESERVED = set(vars(logging.makeLogRecord({})))
# Loggers of the libraries under the worker: at WARNING unless log_level is debug.
LIBRARY_LOGGERS = ("aiokafka", "kafka", "faust", "mode", "aiohttp", "asyncio", "venusian")
MAX_RATE_LIMIT_KEYS = 1024
# Transient at start-up while Kafka elects the group coordinator; not an error for a user.
EXPECTED_AT_START = ("GroupCoordinatorNotAvailable", "CoordinatorNotAvailable", "CoordinatorLoadInProgress")


def _extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _RESERVED and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        payload.update(_extra_fields(record))
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(payload, default=str).decode()


class HumanFormatter(logging.Formatter):
    """``HH:MM:SS LEVEL logger: message key=value ...`` (local time), for a person at a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        fields = " ".join(f"{k}={v}" for k, v in _extra_fields(record).items())
        line = f"{stamp} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if fields:
            line = f"{line}  {fields}"
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return line


def _is_library(name: str) -> bool:
    return name.split(".", 1)[0] in LIBRARY_LOGGERS


class RateLimitFilter(logging.Filter):
    """At most ``burst`` records per ``interval_s`` for each (logger, level, message template) of
    the library loggers; the first record let through after a suppression carries
    ``suppressed=N`` (and the message says so)."""

    def __init__(self, burst: int = 3, interval_s: float = 30.0, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.burst = burst
        self.interval_s = interval_s
        self.clock = clock
        # key -> [window start, passed in window, suppressed since the last passed record]
        self._windows: dict[tuple[str, int, str], list[float]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not _is_library(record.name):
            return True
        now = self.clock()
        if len(self._windows) > MAX_RATE_LIMIT_KEYS:  # messages formatted before logging vary
            self._forget_expired(now)
        key = (record.name, record.levelno, str(record.msg))
        window = self._windows.get(key)
        if window is None or now - window[0] >= self.interval_s:
            suppressed = int(window[2]) if window is not None else 0
            self._windows[key] = window = [now, 0.0, 0.0]
            if suppressed:
                self._note(record, suppressed)
        if window[1] >= self.burst:
            window[2] += 1
            return False
        window[1] += 1
        return True

    def _forget_expired(self, now: float) -> None:
        self._windows = {k: w for k, w in self._windows.items() if now - w[0] < self.interval_s}

    def _note(self, record: logging.LogRecord, suppressed: int) -> None:
        record.suppressed = suppressed
        record.msg = (
            f"{record.msg} ({suppressed} similar line(s) suppressed in the last {self.interval_s:g}s)"
        )


class DemoteFilter(logging.Filter):
    """Library errors that are expected while a consumer group starts become info records."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO and _is_library(record.name) and _expected_at_start(record):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info, record.exc_text = None, None
        return True


def _expected_at_start(record: logging.LogRecord) -> bool:
    try:
        text = record.getMessage()
    except Exception:  # a library's bad format string: judge by the template alone
        text = str(record.msg)
    if record.exc_info and record.exc_info[0] is not None:
        text += " " + record.exc_info[0].__name__
    return any(marker in text for marker in EXPECTED_AT_START)


def use_human_format(stream: TextIO | None = None) -> bool:
    """Readable lines when a person watches (stderr is a terminal), JSON lines otherwise."""
    stream = sys.stderr if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def configure_logging(level: str = "info", *, human: bool | None = None) -> None:
    logging.config.dictConfig(logging_dict_config(level, human=human))


def logging_dict_config(level: str = "info", *, human: bool | None = None) -> dict[str, Any]:
    """The worker's logging as a ``logging.config.dictConfig`` (the Faust worker applies it itself).

    ``human`` None: readable lines on a terminal, JSON otherwise. Library loggers stay at WARNING
    unless ``level`` is debug.
    """
    human = use_human_format() if human is None else human
    library_level = "DEBUG" if level.lower() == "debug" else "WARNING"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "streamproc.logs.JsonFormatter"},
            "human": {"()": "streamproc.logs.HumanFormatter"},
        },
        "filters": {
            "demote": {"()": "streamproc.logs.DemoteFilter"},
            "rate_limit": {"()": "streamproc.logs.RateLimitFilter"},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "human" if human else "json",
                "stream": "ext://sys.stderr",
                "filters": ["demote", "rate_limit"],
            }
        },
        "loggers": {name: {"level": library_level} for name in LIBRARY_LOGGERS},
        "root": {"handlers": ["stderr"], "level": level.upper()},
    }


def configure_command_logging() -> None:
    """One-shot commands (produce, consume, ...): warnings of our own, readable; the Kafka client's
    connection errors are turned into one actionable line by the command, so its logger is silent."""
    configure_logging("warning", human=True)
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)


def format_rate(per_second: float) -> str:
    """A rate for a log line: one decimal from 1/s up, two significant digits below, so a low rate
    (2 in 60 s: 0.033) never reads as 0.0; only no growth at all is 0.0."""
    if per_second == 0 or abs(per_second) >= 1:
        return f"{per_second:.1f}"
    decimals = 1 - math.floor(math.log10(abs(per_second)))
    return f"{per_second:.{decimals}f}"


class ThroughputLog:
    """Logs, per call of ``tick``, how much each counter grew since the previous call (and the rate);
    nothing when none grew, so an idle worker stays quiet."""

    def __init__(
        self,
        read: Callable[[], dict[str, float]],
        logger: logging.Logger | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.read = read
        self.logger = logger or logging.getLogger("streamproc.worker")
        self.clock = clock
        self._last = read()
        self._last_at = clock()

    def tick(self) -> str | None:
        now, values = self.clock(), self.read()
        elapsed = max(now - self._last_at, 1e-9)
        deltas = {name: values[name] - self._last.get(name, 0.0) for name in values}
        self._last, self._last_at = values, now
        if not any(deltas.values()):
            return None
        parts = ", ".join(f"{name.replace('_', ' ')} {delta:.0f}" for name, delta in deltas.items())
        first = next(iter(deltas))
        rate = format_rate(deltas[first] / elapsed)
        line = f"throughput: {parts} in the last {elapsed:.0f}s ({rate} {first}/s)"
        self.logger.info(line, extra={f"{k}_delta": int(v) for k, v in deltas.items()})
        return line
