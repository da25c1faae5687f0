"""Bad option values are named in one line before anything connects to a broker."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import streamproc.cli
from streamproc.cli import cli, main
from streamproc.errors import ConfigError
from tests.support import free_port


def test_consume_max_zero_is_refused_before_reading() -> None:
    result = CliRunner().invoke(cli, ["consume", "--topic", "news.enriched", "--max", "0"])
    assert result.exit_code == 2
    assert "'--max'" in result.output
    assert "Traceback" not in result.output


def test_dlq_replay_bad_since_names_the_option_and_the_forms() -> None:
    result = CliRunner().invoke(cli, ["dlq", "replay", "--since", "yesterday"])
    assert result.exit_code == 2
    assert "'--since'" in result.output
    assert "30m, 2h, 7d" in result.output


def test_dlq_replay_since_accepts_durations_and_iso_times() -> None:
    from streamproc.cli import _since_option

    assert _since_option(None) is None
    moment = _since_option("2030-01-01")
    assert moment is not None and moment.year == 2030 and moment.tzinfo is not None
    recent = _since_option("30m")
    assert recent is not None and recent < _since_option("1m")  # type: ignore[operator]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["consume", "--topic", "news.enriched", "--timeout", "-1"], "'--timeout'"),
        (["dlq", "replay", "--timeout", "0"], "'--timeout'"),  # 0 would read the DLQ for an hour
        (["dlq", "replay", "--code", "no_bdy"], "'--code'"),  # a typo would match nothing, silently
        (["produce", "--rate", "0", "x.json"], "'--rate'"),
        (["demo", "--timeout", "-5"], "'--timeout'"),
    ],
)
def test_out_of_range_values_are_named_before_anything_runs(args: list[str], option: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and option in result.output, result.output


def test_a_config_path_that_is_a_directory_is_one_error_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(tmp_path), "config"])
    assert result.exit_code == 1
    assert result.output == f"error: cannot read {tmp_path}: Is a directory\n"


def _main_exit(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> int:
    monkeypatch.setattr(sys, "argv", ["streamproc", *args])
    with pytest.raises(SystemExit) as raised:
        main()
    return int(raised.value.code or 0)


def test_ctrl_c_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(streamproc.cli, "load_settings", interrupt)
    assert _main_exit(monkeypatch, ["config"]) == 130
    assert capsys.readouterr().err.strip() == "interrupted"


def test_ctrl_c_in_consume_says_how_far_it_got(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupt(coro: Coroutine[Any, Any, Any]) -> None:
        coro.close()
        raise KeyboardInterrupt

    monkeypatch.setattr(streamproc.cli, "_run", interrupt)
    assert _main_exit(monkeypatch, ["consume", "--topic", "news.enriched", "--grep", "x"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "interrupted: read 0 record(s) from news.enriched (0 read, 0 filtered out)"


def _sigterm_self(coro: Coroutine[Any, Any, Any]) -> None:
    """A command's Kafka work stood in for by a SIGTERM that arrives while it runs."""
    coro.close()
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(10)  # the handler runs at once and ends the sleep; reaching the end is the failure
    raise AssertionError("SIGTERM did not stop the command")


class SigtermNotHandled(Exception):
    pass


def _refuse_sigterm(_signum: int, _frame: object) -> None:
    raise SigtermNotHandled  # in place of the default action, which would end the test run


@pytest.mark.parametrize(
    ("args", "summary"),
    [
        (["produce", "--no-progress", "{article}"], "sent 0 message(s), 0 bytes, to news.raw in "),
        (["consume", "--topic", "news.enriched"], "read 0 record(s) from news.enriched"),
        (["dlq", "replay"], "replayed 0 of 0 dead letter(s) to news.raw (0 failed)"),
        (["dlq", "replay", "--dry-run"], "would replay 0 of 0 dead letter(s) to news.raw (dry run)"),
    ],
)
def test_sigterm_says_how_far_it_got_and_exits_143(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    args: list[str],
    summary: str,
) -> None:
    article = tmp_path / "a.json"
    article.write_text('{"title": "t", "body": "b"}')
    monkeypatch.setattr(streamproc.cli, "_run", _sigterm_self)
    previous = signal.signal(signal.SIGTERM, _refuse_sigterm)
    try:
        code = _main_exit(monkeypatch, [arg.format(article=article) for arg in args])
        # The command's own handler is gone once it ends: the caller's is back.
        assert signal.getsignal(signal.SIGTERM) is _refuse_sigterm
    finally:
        signal.signal(signal.SIGTERM, previous)
    err = capsys.readouterr().err
    assert code == 143 and err.startswith(f"interrupted: {summary}") and err.count("\n") == 1, err


def test_usage_errors_and_help_keep_clicks_exit_codes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main_exit(monkeypatch, ["nosuch"]) == 2
    assert "No such command 'nosuch'" in capsys.readouterr().err
    assert _main_exit(monkeypatch, ["--version"]) == 0
    assert "streamproc, version" in capsys.readouterr().out


def test_an_expected_failure_no_command_caught_is_still_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # e.g. `process` with enrich.model not installed: the NER pool raises ConfigError inside it.
    def missing_model(*_args: object, **_kwargs: object) -> None:
        raise ConfigError("spaCy pipeline 'nope' is not installed (enrich.model)")

    monkeypatch.setattr(streamproc.cli, "_settings", missing_model)
    assert _main_exit(monkeypatch, ["process", "x.json"]) == 1
    assert capsys.readouterr().err == "error: spaCy pipeline 'nope' is not installed (enrich.model)\n"


@pytest.mark.parametrize(
    ("running", "answering", "code"),
    [(True, True, 0), (False, False, 3), (True, False, 4)],
)
def test_broker_status_exit_code_is_zero_only_when_the_broker_answers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, running: bool, answering: bool, code: int
) -> None:
    from streamproc.cli import broker_status_exit_code
    from streamproc.kafka.broker import BrokerStatus

    assert broker_status_exit_code(running, answering) == code
    status = BrokerStatus(
        running, 4242 if running else None, "127.0.0.1:19092", answering, tmp_path / "b.log"
    )

    class Broker:
        def status(self) -> BrokerStatus:
            return status

    monkeypatch.setattr(streamproc.cli, "_local_broker", lambda _settings: Broker())
    result = CliRunner().invoke(cli, ["broker", "status"])
    assert result.exit_code == code, result.output
    assert result.stdout.startswith(("running" if running else "stopped") + f" pid={status.pid} ")
    assert (f"see {tmp_path / 'b.log'}" in result.stderr) is (code == 4)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["bench", "--articles", "0"], "'--articles'"),  # was "min() arg is an empty sequence"
        (["bench", "--workers", "0"], "'--workers'"),
        (["bench", "--exact-share", "2"], "'--exact-share'"),
        (["bench", "--latency-seconds", "0"], "'--latency-seconds'"),
        (["bench", "--near-share", "0.6", "--exact-share", "0.5"], "--near-share"),  # no originals left
        (["consume", "--topic", "news.enriched", "--grep", "("], "'--grep'"),
        (["produce", "--topic", "", "x.json"], "'--topic'"),  # was: sent to news.raw silently
        (["consume", "--topic", "news raw"], "'--topic'"),  # was: "does not exist" from the broker
        (["dlq", "replay", "--to", ".."], "'--to'"),
        (["dlq", "replay", "--since", "99999999999d"], "'--since'"),  # was an OverflowError traceback
        (["dlq", "replay", "--since", "3000000d"], "'--since'"),
    ],
)
def test_bad_option_values_are_usage_errors_before_anything_starts(
    args: list[str], option: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_bench(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the benchmark started with a value it cannot use")

    monkeypatch.setattr("streamproc.bench.runner.run_bench", no_bench)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and option in result.output, result.output
    assert "Traceback" not in result.output


def test_broker_status_says_the_configured_broker_is_not_the_one_it_reports(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STREAMPROC_BROKER_STATE_DIR", str(tmp_path))  # no local broker there
    monkeypatch.setenv("STREAMPROC_KAFKA_BOOTSTRAP", "kafka.example:9092")
    result = CliRunner().invoke(cli, ["broker", "status"])
    assert result.exit_code == 3 and result.output.startswith("stopped pid=None"), result.output
    assert "kafka.bootstrap is set, so commands use kafka.example:9092" in result.output


@pytest.mark.parametrize(
    ("args", "variable"),
    [
        (["broker", "stop"], "STREAMPROC_BROKER_STATE_DIR"),
        (["broker", "start"], "STREAMPROC_BROKER_STATE_DIR"),
        (["worker"], "STREAMPROC_WORKER_DATA_DIR"),
    ],
)
def test_a_state_folder_that_is_a_file_is_one_line_naming_its_setting(
    args: list[str], variable: str, tmp_path: Path
) -> None:
    """A path the command cannot use ended in an OSError traceback (broker) or Faust's (worker)."""
    import subprocess

    a_file = tmp_path / "state"
    a_file.write_text("not a folder")
    env = {
        "PATH": os.environ["PATH"],
        variable: str(a_file / "sub"),
        "STREAMPROC_WORKER_WEB_PORT": str(free_port()),
    }
    done = subprocess.run(
        [sys.executable, "-m", "streamproc", *args], env=env, capture_output=True, timeout=120, check=False
    )
    stderr = done.stderr.decode()
    setting = variable.removeprefix("STREAMPROC_").lower().replace("_", ".", 1)
    assert done.returncode == 1 and "Traceback" not in stderr, stderr
    assert stderr.strip() == (
        f"error: cannot use {a_file / 'sub'}: Not a directory ({setting} = '{a_file / 'sub'}'; {variable})"
    )


def test_consume_with_an_empty_key_filter_says_how_many_it_filtered_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--key '' is a filter too (records keyed by the empty string): the summary counts what it left."""
    from types import SimpleNamespace

    async def two_records(*_args: Any, **_kwargs: Any) -> Any:
        for offset, key in enumerate((b"", b"a-1")):
            yield SimpleNamespace(topic="t", partition=0, offset=offset, key=key, value=b"{}")

    monkeypatch.setattr("streamproc.kafka.clients.consume_records", two_records)
    result = CliRunner().invoke(cli, ["consume", "--topic", "t", "--key", ""])
    assert result.exit_code == 0, result.output
    assert "read 1 record(s) from t (2 read, 1 filtered out)" in result.output


def test_demo_on_a_taken_web_port_says_so_before_starting_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its worker would exit at once and the demo could only say "exited with code 1"."""
    import socket

    def no_broker(*_args: Any) -> Any:
        raise AssertionError("the demo started its broker although its worker cannot serve")

    monkeypatch.setattr("streamproc.cli._local_broker", no_broker)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        monkeypatch.setenv("STREAMPROC_WORKER_WEB_PORT", str(port))
        result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        f"error: cannot serve /metrics on 127.0.0.1:{port}: Address already in use"
    )


def test_worker_with_a_rocksdb_store_and_no_driver_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Faust stopped with its own ImproperlyConfigured traceback, after the broker wait and the join."""
    import importlib.util

    real_find_spec = importlib.util.find_spec

    def no_rocksdict(name: str, *args: Any) -> Any:
        return None if name == "rocksdict" else real_find_spec(name, *args)

    def no_pool(*_args: Any) -> None:
        raise AssertionError("the worker started its NER processes without a usable store")

    monkeypatch.setattr(importlib.util, "find_spec", no_rocksdict)
    monkeypatch.setattr("streamproc.enrich.pool.launch_ahead", no_pool)
    monkeypatch.setenv("STREAMPROC_WORKER_STORE", "rocksdb://")
    monkeypatch.setenv("STREAMPROC_WORKER_WEB_PORT", str(free_port()))
    result = CliRunner().invoke(cli, ["worker"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: worker.store is rocksdb:// but the RocksDB driver is not")
