from __future__ import annotations

from pathlib import Path

import pytest

from streamproc.config import ConfigError, Settings, config_file_path, env_var_names, env_vars, load_settings

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
        (
            '[kafka]\ntopic_raw = "news.enriched"\n',
            {},
            "kafka.topic_raw and kafka.topic_enriched are the same topic 'news.enriched'; each role needs",
        ),
        ('[kafka]\ntopic_stories = "news stories"\n', {}, "kafka.topic_stories is not a valid Kafka topic"),
        ("[wroker]\nweb_port = 1\n", {}, r"unknown section\(s\) in .*: wroker \(did you mean worker\?\)"),
        ("", {"STREAMPROC_KAFKA_PARTITIONS": "many"}, "STREAMPROC_KAFKA_PARTITIONS"),
        ("[dedup]\nnear_threshold = 1.5\n", {}, "near_threshold"),
        ("[dedup]\nnum_perm = 65\n", {}, "multiple of dedup.bands"),
        ("[kafka\n", {}, "not valid TOML"),
        ('[worker]\nlog_level = "loud"\n', {}, "worker.log_level must be one of debug, info"),
        ("[worker]\nweb_port = 99999\n", {}, "worker.web_port must be a port number 1-65535"),
        ("", {"STREAMPROC_BROKER_PORT": "0"}, "broker.port must be a port number"),
        ('[kafka]\nsecurity_protocol = "TLS"\n', {}, "kafka.security_protocol must be one of PLAINTEXT"),
        ('[kafka]\nsasl_mechanism = "MD5"\n', {}, "kafka.sasl_mechanism must be one of"),
        ('[worker]\nstore = "redis://"\n', {}, "worker.store must start with memory:// or rocksdb://"),
        ('[kafka]\nbootstrap = "kafka://b:9092"\n', {}, "host:port"),
        ('[kafka]\nbootstrap = "b:9092,c:70000"\n', {}, "port out of range"),
        ('[kafka]\ntopic_raw = "news raw"\n', {}, "kafka.topic_raw is not a valid Kafka topic name"),
        ("[parse]\nmax_bytes = 0\n", {}, "parse.max_bytes must be >= 1"),
        ("[enrich]\npipe_batch_size = -1\n", {}, "enrich.pipe_batch_size must be >= 1"),
        ('[broker]\nheap = "lots"\n', {}, "broker.heap"),
        ("[broker]\nport = 19093\n", {}, "broker.port and broker.controller_port must differ"),
        ("[kafka]\npartitoins = 3\n", {}, "unknown setting kafka.partitoins .*did you mean partitions"),
        (
            "",
            {"STREAMPROC_KAFKA_PARTITOINS": "3"},
            "STREAMPROC_KAFKA_PARTITOINS .did you mean STREAMPROC_KAFKA_PARTITIONS",
        ),
        ("", {"STREAMPROC_NOPE": "3"}, "unknown environment variable STREAMPROC_NOPE"),
        (
            "",
            {"STREAMPROC_KAFKA_SASL_MECHANISM": "OAUTHBEARER"},
            "kafka.sasl_mechanism must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, not 'OAUTHBEARER'",
        ),
        ('[enrich]\npreload_languages = ["de"]\n', {}, "enrich.preload_languages: 'de' is not one of en, fr"),
        ("", {"STREAMPROC_ENRICH_PRELOAD_LANGUAGES": "en,FR"}, "'FR' is not one of en, fr"),
        ("[enrich]\npreload_languages = [1]\n", {}, "enrich.preload_languages must be a list of strings"),
        # A value of the wrong TOML type is named, never converted (2.5 is not 2, "yes" not true).
        ("[kafka]\npartitions = 2.5\n", {}, "kafka.partitions must be a whole number, not 2.5"),
        ('[worker]\nweb_port = "6066"\n', {}, "worker.web_port must be a whole number, not '6066'"),
        ("[worker]\nweb_port = true\n", {}, "worker.web_port must be a whole number, not True"),
        ('[worker]\nstatic_membership = "yes"\n', {}, "worker.static_membership must be true or false"),
        ('[worker]\nbatch_within_s = "0.5"\n', {}, "worker.batch_within_s must be a number, not '0.5'"),
        ("[kafka]\nbootstrap = 5\n", {}, "kafka.bootstrap must be a quoted string, not 5"),
        ('[enrich]\npreload_languages = "en"\n', {}, "enrich.preload_languages must be a list of strings"),
        # Numbers no client can take: not finite, or beyond 64 bits (orjson and Kafka stop there).
        ("[worker]\nbroker_wait_s = inf\n", {}, "worker.broker_wait_s must be a finite number, not inf"),
        ("[dedup]\nnear_threshold = nan\n", {}, "dedup.near_threshold must be a finite number"),
        ("[kafka]\npartitions = 9223372036854775808\n", {}, "kafka.partitions is too large"),
        ("[worker]\nbroker_wait_s = 1" + "0" * 400 + "\n", {}, "worker.broker_wait_s is too large"),
        (
            "",
            {"STREAMPROC_WORKER_BATCH_WITHIN_S": "NaN"},
            "STREAMPROC_WORKER_BATCH_WITHIN_S must be a finite",
        ),
        ("", {"STREAMPROC_KAFKA_PARTITIONS": "1" + "0" * 20}, "STREAMPROC_KAFKA_PARTITIONS is too large"),
        ("", {"STREAMPROC_WORKER_WEB_PORT": "2.5"}, "STREAMPROC_WORKER_WEB_PORT must be a whole number"),
        ("", {"STREAMPROC_WORKER_STATIC_MEMBERSHIP": "maybe"}, "must be a boolean .true/false"),
    ],
)
def test_invalid_settings_are_rejected_with_the_reason(
    tmp_path: Path, text: str, env: dict[str, str], message: str
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(path, env=env)


def test_preload_languages_from_the_file_or_the_environment(tmp_path: Path) -> None:
    assert Settings().enrich.preload_languages == ("en",)
    path = tmp_path / "s.toml"
    path.write_text('[enrich]\npreload_languages = ["en", "fr"]\n')
    assert load_settings(path, env={}).enrich.preload_languages == ("en", "fr")
    env = {"STREAMPROC_ENRICH_PRELOAD_LANGUAGES": " fr "}
    assert load_settings(path, env=env).enrich.preload_languages == ("fr",)
    assert load_settings(path, env={"STREAMPROC_ENRICH_PRELOAD_LANGUAGES": ""}).enrich.preload_languages == ()
    shown = {v.setting: v for v in env_vars(load_settings(path, env={}), env={})}
    assert (shown["enrich.preload_languages"].default, shown["enrich.preload_languages"].current) == (
        "en",
        "en,fr",
    )


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


def test_tooling_variables_are_not_settings_but_are_allowed(tmp_path: Path) -> None:
    env = {"STREAMPROC_TEST_BROKER_PORT": "1", "STREAMPROC_JARS_DIR": "/x", "STREAMPROC_RELIABILITY_N": "9"}
    assert load_settings(REPO / "config" / "streamproc.toml", env=env) == Settings()


def test_numbers_of_the_other_kind_that_are_exact_are_read(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[worker]\nbatch_within_s = 1\n")
    env = {"STREAMPROC_WORKER_WEB_PORT": " 29999 ", "STREAMPROC_WORKER_STATIC_MEMBERSHIP": "Off"}
    settings = load_settings(path, env=env)
    assert settings.worker.batch_within_s == 1.0 and isinstance(settings.worker.batch_within_s, float)
    assert (settings.worker.web_port, settings.worker.static_membership) == (29999, False)


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[worker]\nlog_level = "loud"\nweb_port = 0\n')
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env={})
    assert "worker.log_level" in str(raised.value) and "worker.web_port" in str(raised.value)


def test_problems_of_every_kind_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[worker]\nweb_port = 0\nbatch_sise = 8\n[parse]\nmax_bytes = "big"\n[extra]\n')
    env = {"STREAMPROC_KAFKA_PARTITOINS": "3", "STREAMPROC_DEDUP_BANDS": "many"}
    with pytest.raises(ConfigError) as raised:
        load_settings(path, env=env)
    reported = str(raised.value)
    for problem in (
        "unknown environment variable STREAMPROC_KAFKA_PARTITOINS",
        "unknown setting worker.batch_sise",
        "parse.max_bytes must be a whole number, not 'big'",
        "STREAMPROC_DEDUP_BANDS must be a whole number, not 'many'",
        "unknown section(s)",
        "worker.web_port must be a port number",
    ):
        assert problem in reported


def test_config_file_path_says_which_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("")
    assert config_file_path(path, env={}) == path
    assert config_file_path(None, env={"STREAMPROC_CONFIG": str(path)}) == path
    assert config_file_path(None, env={}) in {None, Path("config/streamproc.toml")}


def test_env_vars_show_default_and_current_with_secrets_masked(tmp_path: Path) -> None:
    env = {"STREAMPROC_KAFKA_PARTITIONS": "2", "STREAMPROC_KAFKA_SASL_PASSWORD": "hunter2"}
    settings = load_settings(REPO / "config" / "streamproc.toml", env=env)
    rows = {row.name: row for row in env_vars(settings, env)}
    assert (rows["STREAMPROC_KAFKA_PARTITIONS"].default, rows["STREAMPROC_KAFKA_PARTITIONS"].current) == (
        "4",
        "2",
    )
    assert rows["STREAMPROC_KAFKA_PARTITIONS"].from_env
    assert rows["STREAMPROC_KAFKA_SASL_PASSWORD"].current == "***"
    assert (
        rows["STREAMPROC_KAFKA_TOPIC_RAW"].current == "'news.raw'"
        and not rows["STREAMPROC_KAFKA_TOPIC_RAW"].from_env
    )


def test_message_limits_leave_room_for_an_oversize_dead_letter() -> None:
    settings = Settings()
    assert settings.input_message_limit > settings.parse.max_bytes
    # The base64 of the largest accepted input fits a dead letter record.
    assert settings.output_message_limit > settings.input_message_limit * 4 / 3


def test_input_hole_rereads_must_be_positive() -> None:
    with pytest.raises(ConfigError, match=r"worker\.raw_hole_rereads"):
        load_settings(REPO / "config" / "streamproc.toml", env={"STREAMPROC_WORKER_RAW_HOLE_REREADS": "0"})


def test_names_matched_case_insensitively_are_loaded_in_one_spelling() -> None:
    env = {
        "STREAMPROC_KAFKA_SECURITY_PROTOCOL": " sasl_ssl",
        "STREAMPROC_KAFKA_SASL_MECHANISM": "scram-sha-512",
        "STREAMPROC_WORKER_LOG_LEVEL": "Warning",
    }
    settings = load_settings(REPO / "config" / "streamproc.toml", env=env)
    assert settings.kafka.security_protocol == "SASL_SSL"
    assert settings.kafka.sasl_mechanism == "SCRAM-SHA-512"
    assert settings.worker.log_level == "warning"


def test_parse_max_bytes_is_capped_where_its_dead_letter_still_fits_a_kafka_record(tmp_path: Path) -> None:
    """Above the cap the worker's topics would need a max.message.bytes past Kafka's int32."""
    from streamproc.config import KAFKA_MAX_RECORD_BYTES, MAX_PARSE_BYTES

    path = tmp_path / "s.toml"
    path.write_text("")
    at_cap = load_settings(path, env={"STREAMPROC_PARSE_MAX_BYTES": str(MAX_PARSE_BYTES)})
    assert at_cap.output_message_limit <= KAFKA_MAX_RECORD_BYTES
    with pytest.raises(ConfigError, match=f"parse.max_bytes must be at most {MAX_PARSE_BYTES}"):
        load_settings(path, env={"STREAMPROC_PARSE_MAX_BYTES": str(MAX_PARSE_BYTES + 1)})
