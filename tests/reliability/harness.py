"""Producing a corpus with known offsets, reading the three outputs, and checking the guarantee."""

from __future__ import annotations

import asyncio
import collections
import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streamproc.kafka.admin import ensure_topics
from streamproc.kafka.reading import read_to_end
from streamproc.worker.process import WorkerProcess
from tests.reliability.corpus import Input
from tests.reliability.timeline import SPAWN_EVENT
from tests.support import Env, kafka_settings

ROLES = ("enriched", "duplicates", "dlq")
MAX_BYTES = 16384  # parse.max_bytes for every scenario: oversize inputs stay cheap to produce


def source_key(topic: str, partition: int, offset: int) -> str:
    return f"{topic}/{partition}/{offset}"


async def _create_topics(env: Env) -> None:
    await ensure_topics(env.bootstrap, {name: env.partitions for name in env.topics.values()}, 1)


def produce_inputs(env: Env, inputs: Sequence[Input]) -> dict[str, int]:
    """Send every input keyed by its group (a duplicate follows its original in one partition).

    Returns source key -> input index, from the offsets the broker acknowledged.
    """

    async def run() -> dict[str, int]:
        await _create_topics(env)
        producer = AIOKafkaProducer(
            bootstrap_servers=env.bootstrap,
            acks="all",
            enable_idempotence=True,
            max_request_size=4 * MAX_BYTES + 1_048_576,
            linger_ms=20,
        )
        await producer.start()
        try:
            topic = env.topics["raw"]
            futures = [
                (item.index, await producer.send(topic, value=item.payload, key=item.group.encode()))
                for item in inputs
            ]
            offsets: dict[str, int] = {}
            for index, future in futures:
                meta = await future
                offsets[source_key(meta.topic, meta.partition, meta.offset)] = index
            return offsets
        finally:
            await producer.stop()

    return asyncio.run(run())


def read_outputs(env: Env) -> dict[str, list[dict[str, Any]]]:
    """Every record of the three output topics, read up to their end offsets right now."""

    async def read(topic: str) -> list[dict[str, Any]]:
        return [
            {"key": record.key.decode(), "value": orjson.loads(record.value)}
            async for record in read_to_end(kafka_settings(env.bootstrap), [topic])
        ]

    async def run() -> dict[str, list[dict[str, Any]]]:
        return {role: await read(env.topics[role]) for role in ROLES}

    return asyncio.run(run())


def accounted(outputs: dict[str, list[dict[str, Any]]]) -> int:
    """Distinct source offsets found in the outputs."""
    return len({_source_key_of(r) for records in outputs.values() for r in records})


def _source_key_of(record: dict[str, Any]) -> str:
    offset = record["value"]["source_offset"]
    return source_key(offset["topic"], offset["partition"], offset["offset"])


@dataclass(frozen=True)
class Waited:
    """How a wait for the outputs ended: the count reached, the seconds waited, the longest time
    without a new input accounted for, and whether the target was reached."""

    count: int
    seconds: float
    longest_quiet_s: float
    reached: bool


def wait_for_progress(
    count: Callable[[], int],
    target: int,
    *,
    quiet_timeout: float,
    alive: Callable[[], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    poll_s: float = 0.5,
) -> Waited:
    """Poll ``count()`` until it reaches ``target``, giving up only once it has not grown for
    ``quiet_timeout`` seconds: a slow worker that keeps delivering is waited for, a stuck one is
    not. A fixed deadline took a worker processing 1.6-2.4 inputs/s at a load average of ~17
    (2 shared cores) for one that lost the 61 inputs it had not reached yet."""
    started = last_change = clock()
    best, longest = -1, 0.0
    while True:
        if alive is not None:
            alive()
        now, current = clock(), count()
        if current > best:
            if best >= 0:
                longest = max(longest, now - last_change)
            best, last_change = current, now
        if current >= target:
            return Waited(current, round(now - started, 1), round(longest, 1), True)
        if now - last_change >= quiet_timeout:
            return Waited(current, round(now - started, 1), round(now - last_change, 1), False)
        sleep(poll_s)


def wait_until_accounted(
    env: Env,
    expected: int,
    *,
    timeout: float,
    until: int | None = None,
    alive: Callable[[], None] | None = None,
) -> Waited:
    """Poll the outputs until ``until`` (default: ``expected``) inputs are accounted for, or until
    none was newly accounted for in ``timeout`` seconds (``wait_for_progress``)."""
    target = expected if until is None else until
    return wait_for_progress(lambda: accounted(read_outputs(env)), target, quiet_timeout=timeout, alive=alive)


@dataclass
class Summary:
    scenario: str
    inputs: int
    outputs: dict[str, int]
    lost: int
    duplicated: int  # source offsets published more than once (any topic)
    enriched_id_repeats: int  # article ids published twice on the enriched topic
    verdict_mismatches: int  # wrong topic, status, duplicate_of or error code
    restarts: int
    seconds: float
    notes: str = ""
    examples: list[str] = field(default_factory=list)
    # Seconds from each restart (process start) to the next record in an output topic.
    restart_to_output_s: list[float | None] = field(default_factory=list)
    # The final wait: seconds from its start until every input was accounted for (or it gave
    # up), and the longest time in it without a new input accounted for.
    finish_s: float | None = None
    longest_quiet_s: float | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.enriched_id_repeats or self.verdict_mismatches)


def check(
    scenario: str,
    inputs: Sequence[Input],
    offsets: dict[str, int],
    outputs: dict[str, list[dict[str, Any]]],
    *,
    restarts: int,
    seconds: float,
    notes: str = "",
    waited: Waited | None = None,
) -> Summary:
    """Every input exactly once across the three topics, with the verdict the corpus expects."""
    seen: dict[int, list[tuple[str, dict[str, Any]]]] = collections.defaultdict(list)
    examples: list[str] = []
    for role, records in outputs.items():
        for record in records:
            index = offsets.get(_source_key_of(record))
            assert index is not None, (
                f"an output for an offset never produced: {record['value']['source_offset']}"
            )
            seen[index].append((role, record))
    ids_by_index: dict[int, str] = {}
    for index, found in seen.items():
        role, record = found[0]
        if role != "dlq":
            ids_by_index[index] = record["value"]["id"]
    mismatches = 0
    for item in inputs:
        found = seen.get(item.index, [])
        if not found:
            continue
        role, record = found[0]
        value = record["value"]
        want = item.expected
        problem = None
        if role != want.role:
            problem = f"in {role}, expected {want.role}"
        elif role == "dlq":
            if value["error"]["code"] != want.code:
                problem = f"code {value['error']['code']}, expected {want.code}"
        elif value["dedup"]["status"] != want.status:
            problem = f"status {value['dedup']['status']}, expected {want.status}"
        elif want.duplicate_of is not None and value["dedup"]["duplicate_of"] != ids_by_index.get(
            want.duplicate_of
        ):
            problem = "duplicate_of is not the original's id"
        if problem is not None:
            mismatches += 1
            if len(examples) < 10:
                examples.append(f"input {item.index} ({item.kind}): {problem}")
    lost = sum(1 for item in inputs if not seen.get(item.index))
    duplicated = sum(1 for found in seen.values() if len(found) > 1)
    enriched_ids = collections.Counter(r["value"]["id"] for r in outputs["enriched"])
    return Summary(
        scenario=scenario,
        inputs=len(inputs),
        outputs={role: len(records) for role, records in outputs.items()},
        lost=lost,
        duplicated=duplicated,
        enriched_id_repeats=sum(c - 1 for c in enriched_ids.values() if c > 1),
        verdict_mismatches=mismatches,
        restarts=restarts,
        seconds=round(seconds, 1),
        notes=notes,
        examples=examples,
        finish_s=None if waited is None else waited.seconds,
        longest_quiet_s=None if waited is None else waited.longest_quiet_s,
    )


class PacedProduction:
    """Produces ``inputs`` at ``rate`` messages/s from a thread while workers run, crash and restart.

    ``offsets`` (source key -> input index) is complete once ``wait`` returns.
    """

    def __init__(self, env: Env, inputs: Sequence[Input], rate: float) -> None:
        self.env, self.inputs, self.rate = env, list(inputs), rate
        self.offsets: dict[str, int] = {}
        self.sent = 0
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="paced-production", daemon=True)

    @property
    def duration_s(self) -> float:
        return len(self.inputs) / self.rate

    def start(self) -> PacedProduction:
        asyncio.run(_create_topics(self.env))
        self._thread.start()
        return self

    def wait(self, timeout: float) -> dict[str, int]:
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise AssertionError(f"production not finished after {timeout}s ({self.sent} sent)")
        if self.error is not None:
            raise self.error
        return self.offsets

    def _run(self) -> None:
        try:
            asyncio.run(self._produce())
        except BaseException as exc:  # handed to wait()
            self.error = exc

    async def _produce(self) -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=self.env.bootstrap,
            acks="all",
            enable_idempotence=True,
            max_request_size=4 * MAX_BYTES + 1_048_576,
        )
        await producer.start()
        try:
            topic = self.env.topics["raw"]
            started = time.monotonic()
            for n, item in enumerate(self.inputs):
                delay = started + n / self.rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                meta = await producer.send_and_wait(topic, value=item.payload, key=item.group.encode())
                self.offsets[source_key(meta.topic, meta.partition, meta.offset)] = item.index
                self.sent = n + 1
        finally:
            await producer.stop()


def output_count(env: Env) -> int:
    """Records in the three output topics right now (the sum of their end offsets)."""

    async def run() -> int:
        consumer = AIOKafkaConsumer(bootstrap_servers=env.bootstrap, enable_auto_commit=False)
        await consumer.start()
        try:
            tps = [TopicPartition(env.topics[role], p) for role in ROLES for p in range(env.partitions)]
            ends = await consumer.end_offsets(tps)
            return sum(ends.values())
        finally:
            await consumer.stop()

    return asyncio.run(run())


def seconds_to_next_output(env: Env, since: float, before: int, *, timeout: float = 60.0) -> float | None:
    """Seconds from ``since`` (monotonic) until the outputs hold more than ``before`` records."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if output_count(env) > before:
            return round(time.monotonic() - since, 1)
        time.sleep(0.25)
    return None


@contextmanager
def spawned_worker(env: Env, *, port: int | None = None) -> Iterator[WorkerProcess]:
    """``env.worker()``, with the spawn moment written to its log first: the start of a
    restart's timeline (timeline.py), which the worker's own first line comes after its imports."""
    if port is not None:
        env.web_port = port
    log_path = env.data_dir / f"worker-{env.name}-{env.web_port}.log"  # as Env.worker names it
    log_path.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds")
    with log_path.open("a") as log:
        mark = {"ts": stamp, "level": "info", "logger": "harness", "event": SPAWN_EVENT}
        log.write(json.dumps(mark) + "\n")
    with env.worker() as worker:
        yield worker
