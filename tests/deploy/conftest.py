"""Puts the compose test's steps and timings (image builds, stack start) in pytest's summary."""

from __future__ import annotations

import pytest

from tests.deploy.dockerhost import TIMELINE


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TIMELINE:
        terminalreporter.section("compose stack (tests/deploy)")
        for line in TIMELINE:
            terminalreporter.write_line(line)
