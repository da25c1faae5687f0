"""A real Prometheus server for tests, plus the PromQL found in the dashboard and the alert rules.

Usage::

    with PrometheusServer(["127.0.0.1:6066"], rule_files=[ALERTS_PATH]) as prom:
        prom.wait_for_targets_up()
        prom.wait_for('streamproc_articles_received_total', lambda r: sample_value(r[0]) >= 2)
        assert prom.query('sum(streamproc_records_published_total)')

The server is Debian's ``/usr/bin/prometheus`` (or ``$PROMETHEUS_BIN``), started on a free loopback
port with its TSDB in a temporary directory, scraping the targets every second under one job
(``streamproc`` by default, the job name the alert rules select on). Only the standard library
talks to it (no new dependencies). A test module skips itself with ``prometheus_binary() is None``.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

REPO_ROOT = Path(__file__).resolve().parents[2]
DASHBOARD_PATH = REPO_ROOT / "config" / "grafana" / "dashboards" / "streamproc.json"
ALERTS_PATH = REPO_ROOT / "config" / "alerts.yml"
DEFAULT_PROMETHEUS_BINARY = "/usr/bin/prometheus"
# CI sets CI=true: there a missing real service fails its tests instead of skipping them.
IN_CI = os.environ.get("CI", "").strip().lower() == "true"

# Values for Grafana's built-in variables when a dashboard query is run against Prometheus directly.
# 1m spans many samples at the 1 s scrape interval used here.
GRAFANA_BUILTIN_VARIABLES: Mapping[str, str] = {
    "__rate_interval": "1m",
    "__interval": "15s",
    "__interval_ms": "15000",
    "__range": "5m",
    "__range_s": "300",
    "__range_ms": "300000",
}

# $name, ${name}, ${name:format} and the deprecated [[name]].
_GRAFANA_VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)(?::\w+)?\]\]")

Sample = dict[str, Any]
"""One element of a query result: ``{"metric": {labels}, "value": [unix_time, "value"]}``."""


class PrometheusError(Exception):
    """The Prometheus server could not be started, or did not answer as expected."""


class PromQLError(PrometheusError):
    """Prometheus rejected a query (parse error, bad data, execution error)."""

    def __init__(self, expr: str, error_type: str, message: str) -> None:
        super().__init__(f"{error_type}: {message}\n  in: {expr}")
        self.expr = expr
        self.error_type = error_type
        self.message = message


@dataclass(frozen=True)
class NamedExpr:
    """A PromQL expression and where it comes from (a dashboard panel target or an alert rule)."""

    name: str
    expr: str


def prometheus_binary() -> str | None:
    """Path of the Prometheus server binary, or None when it is not installed."""
    candidate = os.environ.get("PROMETHEUS_BIN") or DEFAULT_PROMETHEUS_BINARY
    if os.access(candidate, os.X_OK):
        return candidate
    return shutil.which("prometheus")


def sample_value(sample: Sample) -> float:
    """The float value of one instant-vector sample (``"NaN"`` and ``"+Inf"`` included)."""
    return float(sample["value"][1])


def has_finite_value(result: Sequence[Sample]) -> bool:
    """True when the result holds at least one sample whose value is a finite number."""
    return any(math.isfinite(sample_value(s)) for s in result)


def _duration(seconds: float) -> str:
    # Prometheus durations take no decimals ("1.5s" is invalid): use whole milliseconds.
    return f"{round(seconds * 1000)}ms"


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PrometheusServer:
    """A Prometheus server process scraping ``targets`` (``host:port`` strings) every second.

    Use it as a context manager (or call ``start()``/``stop()``). ``workdir`` holds the config, the
    TSDB and ``prometheus.log``; when None a temporary directory is made and removed on stop.
    ``rule_files`` are loaded as given (absolute paths), evaluated every ``evaluation_interval_s``.
    """

    def __init__(
        self,
        targets: Sequence[str],
        *,
        job: str = "streamproc",
        metrics_path: str = "/metrics",
        scrape_interval_s: float = 1.0,
        evaluation_interval_s: float = 1.0,
        rule_files: Sequence[Path] = (),
        workdir: Path | None = None,
        binary: str | None = None,
        startup_timeout_s: float = 60.0,
    ) -> None:
        if not targets:
            raise ValueError("PrometheusServer needs at least one scrape target")
        self.targets_to_scrape = list(targets)
        self.job = job
        self.metrics_path = metrics_path
        self.scrape_interval_s = scrape_interval_s
        self.evaluation_interval_s = evaluation_interval_s
        self.rule_files = [Path(p).resolve() for p in rule_files]
        self._given_workdir = workdir
        self._binary = binary
        self.startup_timeout_s = startup_timeout_s
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir: Path | None = None
        self._port: int | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise PrometheusError("Prometheus is not running")
        return self._port

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:41234``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def workdir(self) -> Path:
        if self._workdir is None:
            raise PrometheusError("Prometheus is not running")
        return self._workdir

    @property
    def config_path(self) -> Path:
        return self.workdir / "prometheus.yml"

    @property
    def log_path(self) -> Path:
        return self.workdir / "prometheus.log"

    def config(self) -> dict[str, Any]:
        """The configuration written for the server (JSON is valid YAML, so no YAML writer needed)."""
        return {
            "global": {
                "scrape_interval": _duration(self.scrape_interval_s),
                "scrape_timeout": _duration(self.scrape_interval_s),
                "evaluation_interval": _duration(self.evaluation_interval_s),
            },
            "rule_files": [str(p) for p in self.rule_files],
            "scrape_configs": [
                {
                    "job_name": self.job,
                    "metrics_path": self.metrics_path,
                    "static_configs": [{"targets": self.targets_to_scrape}],
                }
            ],
        }

    def start(self) -> None:
        binary = self._binary or prometheus_binary()
        if binary is None:
            raise PrometheusError("the prometheus binary is not installed (apt-get install prometheus)")
        if self._given_workdir is not None:
            self._given_workdir.mkdir(parents=True, exist_ok=True)
            self._workdir = self._given_workdir
        else:
            self._workdir = Path(tempfile.mkdtemp(prefix="streamproc-prometheus-"))
        self.config_path.write_text(json.dumps(self.config(), indent=2), encoding="utf-8")
        # The free port can be taken between probe and bind: retry on a fresh one.
        last_error: PrometheusError | None = None
        for _attempt in range(3):
            try:
                self._start_on(binary, _free_loopback_port())
                return
            except PrometheusError as exc:
                last_error = exc
                if "address already in use" not in str(exc):
                    break
        self.stop()
        assert last_error is not None
        raise last_error

    def _start_on(self, binary: str, port: int) -> None:
        data_dir = self.workdir / "data"
        data_dir.mkdir(exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [
                    binary,
                    f"--config.file={self.config_path}",
                    f"--storage.tsdb.path={data_dir}",
                    f"--web.listen-address=127.0.0.1:{port}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self._port = port
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._process = None
                self._port = None
                raise PrometheusError(f"prometheus exited during start-up:\n{self._log_tail()}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.url}/-/ready", timeout=2) as response,
            ):
                if response.status == 200:
                    return
            time.sleep(0.1)
        raise PrometheusError(
            f"prometheus not ready after {self.startup_timeout_s:.0f}s:\n{self._log_tail()}"
        )

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
            self._process = None
        self._port = None
        if self._workdir is not None and self._given_workdir is None:
            shutil.rmtree(self._workdir, ignore_errors=True)
        self._workdir = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- HTTP API --------------------------------------------------------------------------------

    def api(self, path: str, params: Mapping[str, str] | None = None, *, expr: str = "") -> Any:
        """Call ``/api/v1/<path>`` (POST form when ``params``) and return its ``data`` field.

        Raises PromQLError when Prometheus answers ``status: error`` (``expr`` names the query in
        the message), PrometheusError when it does not answer.
        """
        request_url = f"{self.url}/api/v1/{path}"
        body = urllib.parse.urlencode(params).encode() if params is not None else None
        request = urllib.request.Request(request_url, data=body, method="POST" if body else "GET")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                payload = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            # Query errors come back as 4xx/5xx with a JSON body that says why.
            try:
                payload = json.loads(exc.read())
            except ValueError:
                raise PrometheusError(f"HTTP {exc.code} from {request_url}") from None
        except (OSError, ValueError) as exc:
            raise PrometheusError(f"{request_url}: {exc}") from None
        if payload.get("status") != "success":
            raise PromQLError(expr or path, payload.get("errorType", "unknown"), payload.get("error", ""))
        return payload.get("data")

    def query(self, expr: str, *, at: float | None = None) -> list[Sample]:
        """Evaluate an instant query; returns the samples (``[]`` when the vector is empty).

        A scalar or string result is returned as one sample with no labels, so callers can treat every
        result alike. Raises PromQLError when the expression does not evaluate.
        """
        params = {"query": expr}
        if at is not None:
            params["time"] = f"{at:.3f}"
        data = self.api("query", params, expr=expr)
        result_type = data["resultType"]
        if result_type in ("scalar", "string"):
            return [{"metric": {}, "value": data["result"]}]
        result: list[Sample] = data["result"]
        return result

    def value(self, expr: str) -> float:
        """The value of an expression that yields exactly one sample (e.g. a ``sum(...)``)."""
        result = self.query(expr)
        if len(result) != 1:
            raise PrometheusError(f"expected one sample from {expr}, got {len(result)}: {result}")
        return sample_value(result[0])

    def wait_for(
        self,
        expr: str,
        predicate: Callable[[list[Sample]], bool] = bool,
        *,
        timeout_s: float = 30.0,
        poll_s: float = 0.25,
    ) -> list[Sample]:
        """Re-run ``expr`` until ``predicate(result)`` holds (default: non-empty); return that result.

        Raises TimeoutError with the last result when it never holds, and PromQLError at once when the
        expression itself is rejected (waiting would not fix it).
        """
        deadline = time.monotonic() + timeout_s
        while True:
            result = self.query(expr)
            if predicate(result):
                return result
            if time.monotonic() >= deadline:
                raise TimeoutError(f"after {timeout_s:.0f}s, {expr} still gives {result}")
            time.sleep(poll_s)

    def targets(self) -> list[dict[str, Any]]:
        """Active scrape targets (``labels``, ``scrapeUrl``, ``health`` up/down/unknown, ``lastError``)."""
        data = self.api("targets")
        active: list[dict[str, Any]] = data["activeTargets"]
        return active

    def wait_for_targets_up(self, *, timeout_s: float = 30.0) -> list[dict[str, Any]]:
        """Wait until every target has been scraped successfully; returns the targets."""
        deadline = time.monotonic() + timeout_s
        while True:
            targets = self.targets()
            if len(targets) == len(self.targets_to_scrape) and all(t["health"] == "up" for t in targets):
                return targets
            if time.monotonic() >= deadline:
                raise TimeoutError(f"targets not up after {timeout_s:.0f}s: {targets}")
            time.sleep(0.25)

    def rules(self) -> list[dict[str, Any]]:
        """Every loaded rule, flattened over groups: ``name``, ``type`` (alerting/recording),
        ``health`` (ok/err/unknown), ``lastError``, and for alerts ``state`` (inactive/pending/firing)."""
        data = self.api("rules")
        return [rule for group in data["groups"] for rule in group["rules"]]

    def wait_for_rules(
        self,
        predicate: Callable[[list[dict[str, Any]]], bool],
        *,
        timeout_s: float = 30.0,
    ) -> list[dict[str, Any]]:
        """Wait until ``predicate(self.rules())`` holds; returns the rules (TimeoutError otherwise)."""
        deadline = time.monotonic() + timeout_s
        while True:
            rules = self.rules()
            if predicate(rules):
                return rules
            if time.monotonic() >= deadline:
                summary = [(r["name"], r["health"], r.get("state"), r.get("lastError")) for r in rules]
                raise TimeoutError(f"rules did not reach the expected state in {timeout_s:.0f}s: {summary}")
            time.sleep(0.25)


# -- expressions from the repo's dashboard and alert rules --------------------------------------------


def substitute_grafana_variables(expr: str, variables: Mapping[str, str]) -> str:
    """Replace ``$var``, ``${var}``, ``${var:fmt}`` and ``[[var]]``; an unknown variable is an error."""

    def replace(match: re.Match[str]) -> str:
        name = next(group for group in match.groups() if group is not None)
        if name not in variables:
            raise KeyError(f"unknown Grafana variable ${name} in {expr!r}")
        return variables[name]

    return _GRAFANA_VARIABLE.sub(replace, expr)


def _dashboard_variables(dashboard: Mapping[str, Any]) -> dict[str, str]:
    """Template variables as "All" would resolve them (their ``allValue``, else a match-all regex)."""
    values = dict(GRAFANA_BUILTIN_VARIABLES)
    for variable in dashboard.get("templating", {}).get("list", []):
        values[variable["name"]] = variable.get("allValue") or ".*"
    return values


def _walk_panels(panels: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for panel in panels:
        found.append(panel)
        # Collapsed rows keep their panels nested.
        found.extend(_walk_panels(panel.get("panels", [])))
    return found


def dashboard_exprs(
    path: Path = DASHBOARD_PATH, variables: Mapping[str, str] | None = None
) -> list[NamedExpr]:
    """Every PromQL expression of the dashboard's panel targets, with Grafana variables resolved.

    Built-in variables take GRAFANA_BUILTIN_VARIABLES, template variables their "All" value;
    ``variables`` overrides either. Names read ``panel '<title>' <refId>``.
    """
    dashboard = json.loads(path.read_text(encoding="utf-8"))
    values = _dashboard_variables(dashboard)
    values.update(variables or {})
    exprs = []
    for panel in _walk_panels(dashboard.get("panels", [])):
        for target in panel.get("targets", []):
            expr = target.get("expr", "").strip()
            if expr and not target.get("hide", False):
                name = f"panel {panel.get('title', '?')!r} {target.get('refId', '?')}"
                exprs.append(NamedExpr(name, substitute_grafana_variables(expr, values)))
    return exprs


def alert_exprs(path: Path = ALERTS_PATH) -> list[NamedExpr]:
    """Every expression of the Prometheus rule file (alerting and recording rules)."""
    import yaml  # dev dependency; imported here so the server helper itself needs only the stdlib

    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    exprs = []
    for group in document["groups"]:
        for rule in group["rules"]:
            name = rule.get("alert") or rule.get("record")
            exprs.append(NamedExpr(f"rule {name}", str(rule["expr"]).strip()))
    return exprs
