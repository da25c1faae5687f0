"""What a user meets when something goes wrong, and the operations commands, on a real broker."""

from __future__ import annotations

import asyncio
import base64
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from streamproc.config import load_settings
from streamproc.kafka.admin import ensure_topics
from streamproc.kafka.clients import BrokerProbe, readiness, topic_size_config
from tests.support import REPO, Env, free_port, produce_to_partitions, read_topic

pytestmark = pytest.mark.integration


def create_topics(env: Env, *roles: str) -> None:
    settings = load_settings(env=env.environ())
    names = {env.topics[role]: env.partitions for role in roles}
    asyncio.run(ensure_topics(env.bootstrap, names, 1, topic_size_config(settings)))


def one_error_line(done: subprocess.CompletedProcess[bytes]) -> str:
    stderr = done.stderr.decode()
    assert done.returncode == 1, stderr
    assert "Traceback" not in stderr and "Unclosed" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, stderr
    return errors[0]


def test_no_broker_is_one_actionable_line_for_every_command(tmp_path: Path) -> None:
    env = Env(f"127.0.0.1:{free_port()}", tmp_path, extra={"STREAMPROC_WORKER_BROKER_WAIT_S": "3"})
    article = tmp_path / "a.json"
    article.write_text('{"title": "t", "body": "b"}')
    for args in (
        ("produce", "--no-progress", str(article)),
        ("consume", "--topic", "news.raw"),
        ("dlq", "replay"),
    ):
        line = one_error_line(env.cli(*args))
        assert f"cannot reach Kafka at {env.bootstrap}" in line and "streamproc broker start" in line

    done = env.cli("worker", timeout=120)  # gives up after worker.broker_wait_s (3 s), not never
    line = one_error_line(done)
    assert f"cannot reach Kafka at {env.bootstrap}" in line and "gave up after 3s" in line
    # The start-up line, "waiting for Kafka", the error: not one client error line per 200 ms retry.
    assert len(done.stderr.decode().splitlines()) == 3, done.stderr.decode()


def test_missing_topic_and_refused_login_are_named(kafka_bootstrap: str, tmp_path: Path) -> None:
    env = Env(kafka_bootstrap, tmp_path)
    line = one_error_line(env.cli("consume", "--topic", "no.such.topic", "--timeout", "2"))
    assert "topic 'no.such.topic' does not exist" in line
    article = tmp_path / "a.json"
    article.write_text('{"title": "t", "body": "b"}')
    line = one_error_line(env.cli("produce", "--no-progress", "--topic", "no.such.topic", str(article)))
    assert "topic 'no.such.topic' does not exist" in line
    # dlq replay has no --topic: the hint names its --to and the settings too.
    create_topics(env, "dlq")
    line = one_error_line(env.cli("dlq", "replay", "--to", "no.such.topic", "--timeout", "2"))
    assert "topic 'no.such.topic' does not exist" in line and "--to" in line and "kafka.topic_" in line

    # A compacted topic (the story list, changelogs) refuses records without a key, which is all
    # produce and replay send: named at once instead of one "UnknownError" per input.
    compacted = f"{env.topics['raw']}.compacted"
    settings = load_settings(env=env.environ())
    limits = {**topic_size_config(settings), "cleanup.policy": "compact"}
    asyncio.run(ensure_topics(env.bootstrap, {compacted: 1}, 1, limits))
    line = one_error_line(env.cli("produce", "--no-progress", "--topic", compacted, str(article)))
    assert f"topic '{compacted}' is compacted" in line and f"input topic ({env.topics['raw']})" in line

    # A SASL client against a PLAINTEXT listener: the broker answers and refuses the handshake.
    sasl = Env(
        kafka_bootstrap,
        tmp_path,
        extra={
            "STREAMPROC_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "STREAMPROC_KAFKA_SASL_USERNAME": "svc",
            "STREAMPROC_KAFKA_SASL_PASSWORD": "hunter2",
        },
    )
    done = sasl.cli("consume", "--topic", "news.raw", "--timeout", "2")
    line = one_error_line(done)
    assert "refused to authenticate as 'svc'" in line and "kafka.sasl_" in line
    assert "hunter2" not in done.stderr.decode()
    done = sasl.cli("worker", timeout=60)  # refused at once, not after worker.broker_wait_s
    assert "refused to authenticate as 'svc'" in one_error_line(done)
    assert "hunter2" not in done.stderr.decode()

    # TLS against a plaintext listener: the port answers, the protocol does not match. The worker
    # says so at once instead of waiting worker.broker_wait_s for something that will not change.
    # A wait far longer than the CLI is given: a worker that waited for the broker would time out.
    wait = {"STREAMPROC_KAFKA_SECURITY_PROTOCOL": "SSL", "STREAMPROC_WORKER_BROKER_WAIT_S": "900"}
    tls = Env(kafka_bootstrap, tmp_path, extra=wait)
    for args in (("consume", "--topic", "news.raw", "--timeout", "2"), ("worker",)):
        line = one_error_line(tls.cli(*args, timeout=300))
        assert "accepts connections but does not answer" in line and "security_protocol (SSL)" in line
        assert "gave up after" not in line


def test_bad_settings_fail_up_front_in_one_line(tmp_path: Path) -> None:
    env = Env("127.0.0.1:9", tmp_path)
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("[kafka\n")
    assert "is not valid TOML" in one_error_line(env.cli("--config", str(bad_toml), "config"))
    typo = Env("127.0.0.1:9", tmp_path, extra={"STREAMPROC_KAFKA_PARTITOINS": "3"})
    assert "did you mean STREAMPROC_KAFKA_PARTITIONS?" in one_error_line(typo.cli("config"))
    for name, value, expected in [
        ("STREAMPROC_WORKER_LOG_LEVEL", "loud", "worker.log_level must be one of"),
        ("STREAMPROC_WORKER_WEB_PORT", "99999", "worker.web_port must be a port number 1-65535"),
        ("STREAMPROC_KAFKA_SECURITY_PROTOCOL", "TLS", "kafka.security_protocol must be one of"),
        ("STREAMPROC_WORKER_STORE", "redis://", "worker.store must start with memory:// or rocksdb://"),
    ]:
        assert expected in one_error_line(Env("127.0.0.1:9", tmp_path, extra={name: value}).cli("config"))


def test_config_names_its_file_and_env_shows_defaults_and_values(tmp_path: Path) -> None:
    env = Env("127.0.0.1:9092", tmp_path, extra={"STREAMPROC_KAFKA_SASL_PASSWORD": "hunter2"})
    done = env.cli("config")
    assert done.returncode == 0
    assert f"settings from {REPO / 'config' / 'streamproc.toml'}" in done.stderr.decode()
    assert json.loads(done.stdout)["effective"]["config_file"] == str(REPO / "config" / "streamproc.toml")
    listing = env.cli("config", "--env").stdout.decode()
    rows = {line.split()[0]: line.split()[1:] for line in listing.splitlines()[1:]}
    assert rows["STREAMPROC_KAFKA_PARTITIONS"][:2] == ["4", "4"]
    assert rows["STREAMPROC_KAFKA_BOOTSTRAP"][:2] == ["''", "'127.0.0.1:9092'"]
    assert rows["STREAMPROC_KAFKA_SASL_PASSWORD"][1] == "***" and "hunter2" not in listing
    version = env.cli("--version")
    assert version.returncode == 0 and b"streamproc, version" in version.stdout


def test_produce_names_each_failed_input_and_counts_only_what_was_sent(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    env = Env(kafka_bootstrap, tmp_path, extra={"STREAMPROC_PARSE_MAX_BYTES": "1000"})
    create_topics(env, "raw")
    settings = load_settings(env=env.environ())
    good = tmp_path / "good.json"
    good.write_bytes(b'{"title": "t", "body": "b"}')
    huge = tmp_path / "huge.json"
    huge.write_bytes(b"x" * (settings.input_message_limit + 10))
    done = env.cli("produce", "--no-progress", str(good), str(huge))
    stderr = done.stderr.decode()
    assert done.returncode == 1 and "Traceback" not in stderr
    assert f"failed: {huge}: message is {settings.input_message_limit + 10} bytes" in stderr
    assert f"sent 1 message(s), {good.stat().st_size} bytes" in stderr and "(1 failed)" in stderr
    assert len(read_topic(env, "raw")) == 1


def _stopped(proc: subprocess.Popen[bytes], signum: int) -> str:
    """Send ``signum``; the command's stderr, checked to be one line, no traceback, exit 128+signum."""
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=30)
    text = stderr.decode()
    assert proc.returncode == 128 + signum, text
    assert "Traceback" not in text and "Aborted" not in text and "Unclosed" not in text, text
    assert len(text.splitlines()) == 1 and text.startswith("interrupted: "), text
    return text


def _start(env: Env, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "streamproc", *args],
        env=env.environ(),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_print_the_summary_so_far(
    kafka_bootstrap: str, tmp_path: Path, signum: int
) -> None:
    env = Env(kafka_bootstrap, tmp_path)
    create_topics(env, "raw")
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"".join(b'{"title": "t%d", "body": "b"}\n' % i for i in range(100)))
    proc = _start(env, "produce", "--no-progress", "--rate", "5", str(feed))
    time.sleep(6)
    text = _stopped(proc, signum)
    sent = int(text.split("interrupted: sent ")[1].split()[0])
    assert 0 < sent < 100
    assert len(read_topic(env, "raw")) == sent


def test_sigterm_stops_consume_and_dlq_replay_with_what_they_read(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    env = Env(kafka_bootstrap, tmp_path)
    create_topics(env, "raw", "dlq")
    produce_to_partitions(env, [(b'{"title": "t%d"}' % i, 0) for i in range(5)])
    proc = _start(env, "consume", "--topic", env.topics["raw"], "--timeout", "0")
    assert proc.stdout is not None
    for _ in range(5):  # every record shown: the read then waits for more, forever
        assert proc.stdout.readline()
    text = _stopped(proc, signal.SIGTERM)
    assert text == f"interrupted: read 5 record(s) from {env.topics['raw']}\n"

    letters = [_dead_letter("no_body", b'{"title": "t"}', f"2099-01-0{day}T00:00:00Z") for day in (1, 2)]
    produce_to_partitions(env, [(letter, 0) for letter in letters], role="dlq")
    proc = _start(env, "dlq", "replay", "--timeout", "600")  # reads, then waits 600 idle seconds
    time.sleep(15)  # start-up, then both letters read
    text = _stopped(proc, signal.SIGTERM)
    assert text == f"interrupted: replayed 0 of 2 dead letter(s) to {env.topics['raw']} (0 failed)\n"
    assert len(read_topic(env, "raw")) == 5  # nothing replayed: the read had not ended


def test_stdin_lines_and_arrays_then_consume_filters(kafka_bootstrap: str, tmp_path: Path) -> None:
    env = Env(kafka_bootstrap, tmp_path)
    create_topics(env, "raw")
    lines = b'{"title": "apple pie", "body": "b"}\n{"title": "pear", "body": "b"}\n'
    done = env.cli("produce", "--no-progress", "--lines", "-", input_bytes=lines)
    assert done.returncode == 0 and b"sent 2 message(s)" in done.stderr, done.stderr
    array = tmp_path / "items.json"
    array.write_bytes(b'[{"title": "plum"}, {"title": "apple tart"}]')
    done = env.cli("produce", "--no-progress", "--split-arrays", str(array))
    assert b"sent 2 message(s)" in done.stderr, done.stderr
    grep = env.cli("consume", "--topic", env.topics["raw"], "--timeout", "2", "--grep", "apple (pie|tart)")
    titles = sorted(json.loads(line)["value"]["title"] for line in grep.stdout.decode().splitlines())
    assert titles == ["apple pie", "apple tart"]
    assert b"(4 read, 2 filtered out)" in grep.stderr


def _dead_letter(code: str, payload: bytes, received_at: str) -> bytes:
    return orjson.dumps(
        {
            "received_at": received_at,
            "error": {"code": code, "message": "test"},
            "payload_b64": base64.b64encode(payload).decode(),
            "payload_bytes": len(payload),
            "source_offset": None,
            "stage": "parse",
            "key": f"k-{code}-{received_at}",
            "schema_version": 1,
        }
    )


def test_dlq_replay_resends_original_bytes_with_filters(kafka_bootstrap: str, tmp_path: Path) -> None:
    env = Env(kafka_bootstrap, tmp_path)
    create_topics(env, "raw", "dlq")
    letters = [
        ("no_body", b'{"title": "old"}', "2020-01-01T00:00:00Z"),
        ("no_body", b'{"title": "new", "bodyText": "\xc3\xa9t\xc3\xa9"}', "2099-01-01T00:00:00Z"),
        ("empty", b"   ", "2099-01-01T00:00:00Z"),
    ]
    produce_to_partitions(env, [(_dead_letter(*letter), 0) for letter in letters], role="dlq")

    decoded = env.cli(
        "consume",
        "--topic",
        env.topics["dlq"],
        "--timeout",
        "2",
        "--grep",
        "2099.*no_body",
        "--decode-payload",
    )
    (shown,) = [json.loads(line) for line in decoded.stdout.decode().splitlines()]
    assert shown["value"]["payload"] == letters[1][1].decode() and "payload_b64" not in shown["value"]

    dry = env.cli("dlq", "replay", "--code", "no_body", "--dry-run", "--timeout", "2")
    assert b"would replay 2 of 3 dead letter(s)" in dry.stderr, dry.stderr
    assert read_topic(env, "raw") == []
    done = env.cli("dlq", "replay", "--code", "no_body", "--since", "2030-01-01", "--timeout", "2")
    assert done.returncode == 0 and b"replayed 1 of 3 dead letter(s)" in done.stderr, done.stderr
    (replayed,) = read_topic(env, "raw")
    assert replayed["value"] == json.loads(letters[1][1])


async def _send_keyed(bootstrap: str, topic: str, records: list[tuple[bytes, bytes | None]]) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for key, value in records:  # a None value is a tombstone, as compacted topics hold
            await producer.send_and_wait(topic, value, key=key, partition=0)
    finally:
        await producer.stop()


def test_tombstones_are_shown_as_null_and_never_replayed(kafka_bootstrap: str, tmp_path: Path) -> None:
    env = Env(kafka_bootstrap, tmp_path)
    create_topics(env, "raw", "dlq")
    letter = _dead_letter("no_body", b'{"title": "t"}', "2099-01-01T00:00:00Z")
    asyncio.run(_send_keyed(env.bootstrap, env.topics["dlq"], [(b"k", letter), (b"k", None)]))

    shown = env.cli("consume", "--topic", env.topics["dlq"], "--timeout", "2", "--decode-payload")
    assert shown.returncode == 0 and b"Traceback" not in shown.stderr, shown.stderr
    values = [json.loads(line)["value"] for line in shown.stdout.decode().splitlines()]
    assert len(values) == 2 and values[1] is None and values[0]["payload"] == '{"title": "t"}'
    grep = env.cli("consume", "--topic", env.topics["dlq"], "--timeout", "2", "--grep", ".*")
    assert grep.returncode == 0 and b"(2 read, 1 filtered out)" in grep.stderr, grep.stderr
    done = env.cli("dlq", "replay", "--timeout", "2")
    assert done.returncode == 0 and b"replayed 1 of 2 dead letter(s)" in done.stderr, done.stderr


def test_broker_probe_and_readiness(kafka_bootstrap: str, tmp_path: Path) -> None:
    up = BrokerProbe(load_settings(env=Env(kafka_bootstrap, tmp_path).environ()))
    assert asyncio.run(up.check())
    assert readiness(True, True, up) == (
        True,
        {"ready": True, "model_loaded": True, "tables_recovered": True, "broker_reachable": True},
    )
    down = BrokerProbe(load_settings(env=Env(f"127.0.0.1:{free_port()}", tmp_path).environ()))
    assert not asyncio.run(down.check())
    ok, body = readiness(True, True, down)
    assert not ok and body["broker_reachable"] is False and "cannot reach Kafka" in body["broker_problem"]
