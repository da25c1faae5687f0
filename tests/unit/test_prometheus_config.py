"""config/prometheus.yml and config/alerts.yml pass Prometheus's own checker, promtool."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.prometheus_server import IN_CI

REPO = Path(__file__).resolve().parents[2]
PROMETHEUS_CONFIG = REPO / "config" / "prometheus.yml"
ALERT_RULES = REPO / "config" / "alerts.yml"

PROMTOOL = shutil.which("promtool") or ("/usr/bin/promtool" if Path("/usr/bin/promtool").exists() else None)

pytestmark = pytest.mark.skipif(  # never skipped in CI (CI=true): a missing promtool fails there
    PROMTOOL is None and not IN_CI,
    reason="promtool not installed (Debian package `prometheus`); config not checked",
)


def promtool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run(
        [PROMTOOL, *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )


def test_prometheus_config_is_valid_and_loads_the_rules() -> None:
    # `check config` also checks every rule file the config names (resolved beside the config).
    result = promtool("check", "config", PROMETHEUS_CONFIG)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 rule files found" in result.stdout + result.stderr


def test_alert_rules_are_valid() -> None:
    result = promtool("check", "rules", ALERT_RULES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_rejects_a_broken_rule(tmp_path: Path) -> None:
    # The checks above can fail: a rule with a PromQL syntax error does not pass.
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "groups:\n  - name: x\n    rules:\n      - alert: Broken\n"
        "        expr: rate(streamproc_dlq_total[5m]\n"
    )
    result = promtool("check", "rules", broken)
    assert result.returncode != 0
