"""Issue 16: a record the broker refuses after the send must not lose its input.

The enriched topic is created before the worker with a ``max.message.bytes`` smaller than one
article's enriched record, so the broker answers that record's produce request with
MESSAGE_TOO_LARGE. The article must end in the dead-letter topic (code ``output_refused``, its
original bytes), its neighbours in the enriched topic, and the worker keeps going. When even the
dead-letter topic refuses it, the worker stops without committing past it, and a restart with
the topic fixed publishes it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from pathlib import Path

import jsonschema
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from streamproc.kafka.admin import ensure_topics
from streamproc.schemas import load_schema
from streamproc.worker.process import WorkerProcess
from tests.support import SAMPLES, Env, produce, produce_to_partitions, wait_for_records

pytestmark = [pytest.mark.integration]

SMALL_TOPIC_BYTES = 24_000  # the samples' enriched records (~12 KB) fit, the long article's do not


def long_article() -> bytes:
    """A unique article whose enriched record is several times ``SMALL_TOPIC_BYTES``."""
    towns = ["Arlen", "Brisk", "Caddo", "Delmar", "Elkton", "Fairlee", "Gansett", "Harlow"]
    sentences = [
        f"Council meeting {i} in {towns[i % len(towns)]} approved budget line {i * 37} for road "
        f"repairs, said treasurer number {i}, after {i % 9 + 2} hours of debate on item {i * 11}."
        for i in range(400)
    ]
    body = "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))
    return json.dumps({"title": "Road budgets across eight towns", "body": body}).encode()


def topic_name(env: Env, role: str) -> str:
    """An output role's topic, or one of the join's own topics (``replies``, ``probes``)."""
    return env.topics.get(role) or f"{env.settings.worker.app_id}-{role}"


def create_small_topic(env: Env, role: str) -> None:
    asyncio.run(
        ensure_topics(
            env.bootstrap,
            {topic_name(env, role): env.partitions},
            1,
            {"max.message.bytes": str(SMALL_TOPIC_BYTES)},
        )
    )


def set_topic_limit(env: Env, role: str, limit: int) -> None:
    async def run() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=env.bootstrap)
        await admin.start()
        try:
            resource = ConfigResource(
                ConfigResourceType.TOPIC, topic_name(env, role), configs={"max.message.bytes": str(limit)}
            )
            await admin.alter_configs([resource])
        finally:
            await admin.close()

    asyncio.run(run())


def dlq_metric(worker_get: object) -> float:
    status, text = worker_get("/metrics")  # type: ignore[operator]
    assert status == 200
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("streamproc_dlq_total{") and 'code="output_refused"' in line
    )


def small_article() -> bytes:
    """A unique article whose enriched record fits ``SMALL_TOPIC_BYTES``."""
    body = (
        "The harbour authority in Portmere said on Monday that the ferry to Castle Island would run "
        "hourly from June, after complaints from residents about the two-hour gaps."
    )
    return json.dumps({"title": "Harbour ferry timetable changes", "body": body}).encode()


def published_metric(worker_get: object) -> dict[str, float]:
    """``streamproc_records_published_total`` by role."""
    status, text = worker_get("/metrics")  # type: ignore[operator]
    assert status == 200
    by_role: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("streamproc_records_published_total{"):
            role = line.split('role="', 1)[1].split('"', 1)[0]
            by_role[role] = float(line.rsplit(" ", 1)[1])
    # Every role is exported at 0 from the start: a role that published nothing is left out.
    return {role: count for role, count in by_role.items() if count}


def wait_for_published(worker: WorkerProcess, expected: dict[str, float]) -> dict[str, float]:
    """The published counts once they reach ``expected`` (counted at the flush after the acks)."""
    deadline = time.monotonic() + 60
    while True:
        counts = published_metric(worker.get)
        if all(counts.get(role, 0.0) >= n for role, n in expected.items()) or time.monotonic() > deadline:
            return counts
        time.sleep(0.5)


def test_a_refused_output_goes_to_the_dead_letter_topic(kafka_bootstrap: str, tmp_path: Path) -> None:
    env = Env(kafka_bootstrap, tmp_path, partitions=1)
    create_small_topic(env, "enriched")
    big = long_article()
    with env.worker() as worker:
        # Outputs before and after the refused one on the same partition: a producer whose
        # sequence numbers the refusal put out of step (idempotence in aiokafka) would stop here.
        produce(env, [SAMPLES])
        wait_for_records(env, "enriched", 2, timeout=180)
        produce_to_partitions(env, [(big, 0), (small_article(), 0)])
        enriched = wait_for_records(env, "enriched", 3, timeout=180)
        letters = wait_for_records(env, "dlq", 1, timeout=60)
        assert len(enriched) == 3, worker.log_tail()
        (letter,) = letters
        assert letter["value"]["error"]["code"] == "output_refused", letter
        assert letter["value"]["stage"] == "publish"
        jsonschema.validate(letter["value"], load_schema("dlq.v1"))
        assert base64.b64decode(letter["value"]["payload_b64"]) == big
        assert letter["value"]["source_offset"]["offset"] == 2  # after the two samples
        assert dlq_metric(worker.get) == 1
        # The refused record counts as a dead letter only, never as published to the enriched topic.
        assert wait_for_published(worker, {"enriched": 3, "dlq": 1}) == {"enriched": 3, "dlq": 1}
        assert "output refused" in worker.log_path.read_text()
        worker.check_alive()  # it keeps going
        assert not read_all_roles_twice(env)


def read_all_roles_twice(env: Env) -> list[int]:
    """Raw offsets accounted for more than once across the output topics (must be none)."""
    seen: list[int] = []
    for role in ("enriched", "duplicates", "dlq"):
        seen += [r["value"]["source_offset"]["offset"] for r in wait_for_records(env, role, 0, timeout=0)]
    return sorted({o for o in seen if seen.count(o) > 1})


def wait_for_the_stop(worker: WorkerProcess, topic: str) -> None:
    """The worker exits non-zero, its line naming the topic that refused the record."""
    deadline = time.monotonic() + 180
    while worker.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
    code = worker.proc.poll()
    assert code not in (None, 0), f"the worker did not stop:\n{worker.log_tail()}"
    lines = [line for line in worker.log_path.read_text().splitlines() if "not committed" in line]
    assert lines and topic in lines[0], worker.log_tail()


def test_a_refusal_the_dead_letter_topic_also_refuses_stops_the_worker_uncommitted(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    env = Env(kafka_bootstrap, tmp_path, partitions=1)
    create_small_topic(env, "enriched")
    create_small_topic(env, "dlq")
    big = long_article()
    with env.worker() as worker:
        produce_to_partitions(env, [(big, 0)])
        wait_for_the_stop(worker, env.topics["dlq"])
    assert wait_for_records(env, "dlq", 0, timeout=0) == []
    # The operator raises the limit (the stop line says which topic); a restart publishes it.
    set_topic_limit(env, "dlq", 1_000_000)
    with env.worker() as worker:
        (letter,) = wait_for_records(env, "dlq", 1, timeout=180)
        assert letter["value"]["error"]["code"] == "output_refused", worker.log_tail()
        assert base64.b64decode(letter["value"]["payload_b64"]) == big


def test_a_refused_join_record_stops_the_worker_before_the_input_is_committed(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    env = Env(kafka_bootstrap, tmp_path, partitions=1)
    create_small_topic(env, "replies")  # the join's own topic: the article's part is refused there
    big = long_article()
    with env.worker() as worker:
        produce_to_partitions(env, [(big, 0)])
        wait_for_the_stop(worker, topic_name(env, "replies"))
    assert committed_raw_offset(env) in (None, 0)  # the input is read again at the restart
    set_topic_limit(env, "replies", 1_000_000)
    with env.worker() as worker:
        (record,) = wait_for_records(env, "enriched", 1, timeout=180)
        assert record["value"]["source_offset"]["offset"] == 0, worker.log_tail()


def committed_raw_offset(env: Env) -> int | None:
    async def run() -> int | None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=env.bootstrap, group_id=env.settings.worker.app_id, enable_auto_commit=False
        )
        await consumer.start()
        try:
            offset: int | None = await consumer.committed(TopicPartition(env.topics["raw"], 0))
            return offset
        finally:
            await consumer.stop()

    return asyncio.run(run())


def _produce_large(env: Env, value: bytes) -> None:
    async def run() -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=env.bootstrap, acks="all", max_request_size=len(value) + 64 * 1024
        )
        await producer.start()
        try:
            await producer.send_and_wait(env.topics["raw"], value, partition=0)
        finally:
            await producer.stop()

    asyncio.run(run())


def test_a_join_record_the_client_refuses_at_send_stops_the_worker_in_one_line(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    """A join record larger than the producer's largest request: aiokafka refuses it in ``send``
    (Faust's ProducerSendError), inside the task that sends it. The worker stops as for any other
    refused join record: its first error is the one line naming the topic (Faust's crash lines
    follow), no traceback of the send, and nothing is committed past the input."""
    limit = 3 * 1024 * 1024
    env = Env(kafka_bootstrap, tmp_path, partitions=1)
    env.extra["STREAMPROC_PARSE_MAX_BYTES"] = str(limit)
    # Quotes and backslashes: JSON writes each in two bytes, so the article's part on the replies
    # topic (~6.2 MB) outgrows the largest record the worker writes (~5.7 MB for this input limit).
    line = "Quote " + '"\\' * 200
    body = "\n\n".join([line] * (limit // (len(line) + 2) - 10))
    value = ("Quotes and backslashes\n\n" + body).encode()
    with env.worker() as worker:
        _produce_large(env, value)
        wait_for_the_stop(worker, topic_name(env, "replies"))
        log_text = worker.log_path.read_text()
    errors = [line for line in log_text.splitlines() if '"level":"error"' in line]
    assert errors and "not committed" in errors[0] and "ProducerSendError" in errors[0], worker.log_tail()
    assert "raise ProducerSendError" not in log_text, worker.log_tail()  # no traceback of the send
    assert committed_raw_offset(env) in (None, 0)  # the input is read again at the restart


def test_a_limit_lowered_while_the_worker_runs_stops_it_and_the_restart_dead_letters_the_record(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    """The worker checks records against the limits it read at its start. A topic whose limit is
    lowered later refuses the record after the send, where the idempotent producer cannot go on
    (aiokafka keeps the refused batch's sequence numbers): the worker stops uncommitted with the one
    line, and the restart reads the new limit and dead-letters the record before the send."""
    env = Env(kafka_bootstrap, tmp_path, partitions=1)
    big = long_article()
    with env.worker() as worker:
        produce(env, [SAMPLES])
        wait_for_records(env, "enriched", 2, timeout=180)
        set_topic_limit(env, "enriched", SMALL_TOPIC_BYTES)  # lowered, in fact
        produce_to_partitions(env, [(big, 0)])
        wait_for_the_stop(worker, env.topics["enriched"])
    assert committed_raw_offset(env) in (None, 0, 1, 2)  # never past the refused input (offset 2)
    with env.worker() as worker:
        produce_to_partitions(env, [(small_article(), 0)])
        (letter,) = wait_for_records(env, "dlq", 1, timeout=180)
        assert letter["value"]["error"]["code"] == "output_refused", worker.log_tail()
        assert letter["value"]["source_offset"]["offset"] == 2
        assert base64.b64decode(letter["value"]["payload_b64"]) == big
        enriched = wait_for_records(env, "enriched", 3, timeout=180)
        assert len(enriched) == 3, worker.log_tail()
        worker.check_alive()
        assert not read_all_roles_twice(env)
