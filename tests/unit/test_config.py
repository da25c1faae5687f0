from __future__ import annotations

from pathlib import Path

import pytest

from streamproc.config import ConfigError, Settings, env_var_names, load_settings

REPO = Path(__file__).resolve().parents[2]


def test_shipped_config_file_equals_builtin_defaults() -> None:
    # The documented file must not drift from the code defaults.
    assert load_settings(REPO / "config" / "streamproc.toml", env={}) == Settings()


def test_environment_overrides_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[kafka]\nbootstrap = "file:9092"\npartitions = 2\n[dedup]\nnear_threshold = 0.7\n')
    env = {"STREAMPROC_KAFKA_BOOTSTRAP": "env:9092", "STREAMPROC_PARSE_REPAIR_ENCODING": "false"}
    settings = load_settings(path, env=env)
    assert settings.kafka.bootstrap == "env:9092"
    assert settings.kafka.partitions == 2
    assert settings.dedup.near_threshold == 0.7
    assert settings.parse.repair_encoding is False
    assert settings.bootstrap_servers == "env:9092"
    assert not settings.uses_local_broker


def test_local_broker_is_used_when_no_bootstrap_is_configured() -> None:
    settings = load_settings(REPO / "config" / "streamproc.toml", env={})
    assert settings.uses_local_broker
    assert settings.bootstrap_servers == f"{settings.broker.host}:{settings.broker.port}"


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("[kafka]\nbogus = 1\n", {}, "unknown setting"),
        ("[nosuch]\nx = 1\n", {}, "unknown section"),
        ("", {"STREAMPROC_KAFKA_PARTITIONS": "many"}, "STREAMPROC_KAFKA_PARTITIONS"),
        ("[dedup]\nnear_threshold = 1.5\n", {}, "near_threshold"),
        ("[dedup]\nnum_perm = 65\n", {}, "multiple of dedup.bands"),
        ("[kafka\n", {}, "cannot read"),
    ],
)
def test_invalid_settings_are_rejected_with_the_reason(
    tmp_path: Path, text: str, env: dict[str, str], message: str
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(path, env=env)


def test_missing_explicit_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml", env={})


def test_secrets_are_masked_and_every_setting_has_an_env_name() -> None:
    settings = load_settings(
        REPO / "config" / "streamproc.toml", env={"STREAMPROC_KAFKA_SASL_PASSWORD": "hunter2"}
    )
    assert settings.kafka.sasl_password == "hunter2"
    assert settings.to_dict()["kafka"]["sasl_password"] == "***"
    names = env_var_names()
    assert "STREAMPROC_KAFKA_BOOTSTRAP" in names and "STREAMPROC_ENRICH_MODEL" in names
    assert len(names) == len(set(names))


def test_input_hole_rereads_must_be_positive() -> None:
    with pytest.raises(ConfigError, match=r"worker\.raw_hole_rereads"):
        load_settings(REPO / "config" / "streamproc.toml", env={"STREAMPROC_WORKER_RAW_HOLE_REREADS": "0"})
