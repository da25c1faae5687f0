"""Bad option values are named in one line before anything connects to a broker."""

from __future__ import annotations

from click.testing import CliRunner

from streamproc.cli import cli


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
