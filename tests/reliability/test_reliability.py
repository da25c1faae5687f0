"""The delivery guarantee under worker crashes, graceful stops, rebalances, a broker restart and
hostile input: every input ends exactly once in news.enriched | news.duplicates | news.dlq, with
the verdict of an uninterrupted run."""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from streamproc.config import BrokerSettings
from streamproc.faust.local_state import IN_USE
from streamproc.kafka.broker import LocalBroker
from streamproc.worker.process import WorkerProcess
from tests.reliability.conftest import MEMBERSHIP, reliability_env
from tests.reliability.corpus import Input, build_corpus, fuzz_inputs
from tests.reliability.harness import (
    MAX_BYTES,
    PacedProduction,
    Summary,
    Waited,
    check,
    output_count,
    produce_inputs,
    read_outputs,
    seconds_to_next_output,
    spawned_worker,
    wait_until_accounted,
)
from tests.support import Env, free_port

# A wait for the outputs gives up once no new input was accounted for in this many seconds.
FINISH_TIMEOUT_S = float(os.environ.get("STREAMPROC_RELIABILITY_TIMEOUT_S", "200"))
# pytest-timeout's limit per scenario, only a net for a hung harness (the waits end on their own
# when nothing moves): the project's 600 s cut three slow but progressing runs at a load of ~20.
RUN_TIMEOUT_S = float(os.environ.get("STREAMPROC_RELIABILITY_RUN_TIMEOUT_S", "3600"))

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.timeout(RUN_TIMEOUT_S)]
SETTLE_S = 3.0  # after the last input is accounted for: time for a late (wrong) second copy to show


def _alive(*workers: WorkerProcess) -> Callable[[], None]:
    def check_alive() -> None:
        for worker in workers:
            if worker.proc.poll() is not None:
                raise AssertionError(f"worker exited with {worker.proc.returncode}:\n{worker.log_tail()}")

    return check_alive


def _finish(env: Env, inputs: list[Input], *workers: WorkerProcess) -> Waited:
    """Wait until every input is accounted for (or none was for FINISH_TIMEOUT_S), then a little
    longer.

    Not asserting here: the summary (with what is lost) is recorded either way, then checked.
    """
    waited = wait_until_accounted(env, len(inputs), timeout=FINISH_TIMEOUT_S, alive=_alive(*workers))
    time.sleep(SETTLE_S)
    return waited


def _assert_guarantee(summary: Summary, record: list[Summary]) -> None:
    record.append(summary)
    assert summary.ok, f"{summary}\nsee the worker logs under the test's tmp_path"


def _named(scenario: str, store: str) -> str:
    return f"{scenario} [{store.removesuffix('://')}]"


def _corpus(n: int) -> list[Input]:
    return build_corpus(n, max_bytes=MAX_BYTES)


def test_sigkill_at_random_points_loses_and_repeats_nothing(
    kafka_bootstrap: str, tmp_path: Path, corpus_size: int, record_summary: list[Summary], store: str
) -> None:
    env = reliability_env(kafka_bootstrap, tmp_path, store)
    inputs = _corpus(corpus_size)
    offsets = produce_inputs(env, inputs)
    rng = random.Random(int(os.environ.get("STREAMPROC_RELIABILITY_SEED", "1")))
    # Three kills, each at a random point of its own third of the run (progress = inputs published).
    targets = [int(len(inputs) * rng.uniform(low, low + 0.15)) for low in (0.1, 0.35, 0.6)]
    started = time.monotonic()
    for target in targets:
        with spawned_worker(env) as worker:
            wait_until_accounted(
                env, len(inputs), until=target, timeout=FINISH_TIMEOUT_S, alive=_alive(worker)
            )
            time.sleep(rng.uniform(0.0, 1.5))  # not on a poll boundary: mid-batch, mid-send
            worker.kill()
    with spawned_worker(env) as worker:
        waited = _finish(env, inputs, worker)
    summary = check(
        _named("sigkill x3", store),
        inputs,
        offsets,
        read_outputs(env),
        restarts=len(targets),
        seconds=time.monotonic() - started,
        waited=waited,
    )
    _assert_guarantee(summary, record_summary)


def _start_as(stack: ExitStack, env: Env, n: int, port: int) -> WorkerProcess:
    """Worker ``n`` of several on ``env``: its own web port, so its own derived group instance id
    (or ``<STREAMPROC_RELIABILITY_GROUP_INSTANCE_ID>-<n>`` when one is given)."""
    static_id = os.environ.get("STREAMPROC_RELIABILITY_GROUP_INSTANCE_ID", "")
    env.extra["STREAMPROC_WORKER_GROUP_INSTANCE_ID"] = static_id and f"{static_id}-{n}"
    return stack.enter_context(spawned_worker(env, port=port))


def test_two_workers_one_killed_rebalances_and_loses_nothing(
    kafka_bootstrap: str, tmp_path: Path, corpus_size: int, record_summary: list[Summary], store: str
) -> None:
    env = reliability_env(kafka_bootstrap, tmp_path, store)
    inputs = _corpus(corpus_size)
    offsets = produce_inputs(env, inputs)
    started = time.monotonic()
    with ExitStack() as stack:
        first, second = (_start_as(stack, env, n, free_port()) for n in (1, 2))
        wait_until_accounted(
            env, len(inputs), until=len(inputs) // 3, timeout=FINISH_TIMEOUT_S, alive=_alive(first, second)
        )
        first.kill()  # its partitions move to the survivor after the session timeout
        killed_at, before = time.monotonic(), output_count(env)
        # How long the outputs stall while the dead member expires (the survivor's own articles
        # wait for answers from the dead member's probes partitions).
        gap = seconds_to_next_output(env, killed_at, before)
        waited = _finish(env, inputs, second)
    summary = check(
        _named("2 workers, 1 killed", store),
        inputs,
        offsets,
        read_outputs(env),
        restarts=1,
        seconds=time.monotonic() - started,
        waited=waited,
        notes=f"kill to next output {gap} s",
    )
    summary.restart_to_output_s = [gap]
    _assert_guarantee(summary, record_summary)


def _assignments_since(worker: WorkerProcess, lines_before: int) -> int:
    """Group assignments (rebalances) a worker logged after its log had ``lines_before`` lines."""
    lines = worker.log_path.read_text(errors="replace").splitlines()[lines_before:]
    return sum(1 for line in lines if '"partitions assigned"' in line)


def test_two_workers_one_killed_and_restarted_survivor_keeps_its_partitions(
    kafka_bootstrap: str, tmp_path: Path, corpus_size: int, record_summary: list[Summary]
) -> None:
    """The killed worker comes back under its own group instance id within the session timeout:
    with static membership the group does not rebalance, so the survivor is never revoked.
    Memory store only: membership does not depend on the store, and the crash scenarios cover
    a rocksdb:// restart."""
    store = "memory://"
    env = reliability_env(kafka_bootstrap, tmp_path, store)
    # The production session: a loaded restart must rejoin before it ends (nothing waits for it).
    env.extra["STREAMPROC_WORKER_SESSION_TIMEOUT_S"] = "30"
    inputs = _corpus(corpus_size)
    offsets = produce_inputs(env, inputs)
    started = time.monotonic()
    first_port = free_port()
    with ExitStack() as stack:
        first, survivor = _start_as(stack, env, 1, first_port), _start_as(stack, env, 2, free_port())
        wait_until_accounted(
            env, len(inputs), until=len(inputs) // 3, timeout=FINISH_TIMEOUT_S, alive=_alive(first, survivor)
        )
        survivor_lines = len(survivor.log_path.read_text(errors="replace").splitlines())
        first.kill()
        killed_at, before = time.monotonic(), output_count(env)
        restarted = _start_as(stack, env, 1, first_port)  # the same worker: same port, same id
        gap = seconds_to_next_output(env, killed_at, before)
        waited = _finish(env, inputs, survivor, restarted)
        rebalances = _assignments_since(survivor, survivor_lines)
    summary = check(
        _named("2 workers, 1 killed + restarted", store),
        inputs,
        offsets,
        read_outputs(env),
        restarts=1,
        seconds=time.monotonic() - started,
        waited=waited,
        notes=f"kill to next output {gap} s, survivor rebalances after the kill: {rebalances}",
    )
    summary.restart_to_output_s = [gap]
    _assert_guarantee(summary, record_summary)
    if MEMBERSHIP == "static":
        assert rebalances == 0, f"the survivor was rebalanced {rebalances} time(s) by the restart"


def _committed(env: Env, group: str) -> dict[int, int]:
    async def run() -> dict[int, int]:
        consumer = AIOKafkaConsumer(bootstrap_servers=env.bootstrap, group_id=group, enable_auto_commit=False)
        await consumer.start()
        try:
            return {
                p: (await consumer.committed(TopicPartition(env.topics["raw"], p))) or 0
                for p in range(env.partitions)
            }
        finally:
            await consumer.stop()

    return asyncio.run(run())


def test_sigterm_commits_and_flushes(
    kafka_bootstrap: str, tmp_path: Path, corpus_size: int, record_summary: list[Summary], store: str
) -> None:
    env = reliability_env(kafka_bootstrap, tmp_path, store)
    inputs = _corpus(corpus_size)
    offsets = produce_inputs(env, inputs)
    started = time.monotonic()
    with spawned_worker(env) as worker:
        wait_until_accounted(
            env, len(inputs), until=len(inputs) * 2 // 5, timeout=FINISH_TIMEOUT_S, alive=_alive(worker)
        )
        code = worker.stop()
    assert code == 0, f"graceful stop exited with {code}:\n{worker.log_tail()}"
    # Stopped mid-batch (its streams still busy): the tables were closed all the same, so the
    # restart trusts their files (a mark left behind would say the worker crashed).
    assert not list(env.data_dir.rglob(IN_USE)), f"tables not closed at SIGTERM:\n{worker.log_tail()}"
    # Committed: every message whose output is out has its raw offset committed (nothing to replay).
    at_stop = read_outputs(env)
    committed = _committed(env, env.environ()["STREAMPROC_WORKER_APP_ID"])
    uncommitted = [
        r["value"]["source_offset"]
        for records in at_stop.values()
        for r in records
        if r["value"]["source_offset"]["offset"] >= committed[r["value"]["source_offset"]["partition"]]
    ]
    assert not uncommitted, (
        f"published but not committed at SIGTERM: {uncommitted[:5]} (committed {committed})"
    )
    with spawned_worker(env) as worker:
        waited = _finish(env, inputs, worker)
    summary = check(
        _named("sigterm + restart", store),
        inputs,
        offsets,
        read_outputs(env),
        restarts=1,
        seconds=time.monotonic() - started,
        waited=waited,
    )
    _assert_guarantee(summary, record_summary)


@pytest.fixture
def own_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    """A broker of this test alone (other ports, its own state), so stopping it disturbs nobody."""
    port = int(os.environ.get("STREAMPROC_RELIABILITY_BROKER_PORT", "29192"))
    state_dir = tmp_path_factory.getbasetemp().parent / f"streamproc-reliability-broker-{port}"
    broker = LocalBroker(BrokerSettings(port=port, controller_port=port + 1, state_dir=str(state_dir)))
    broker.stop()
    shutil.rmtree(broker.data_dir, ignore_errors=True)
    broker.start()
    yield broker
    broker.stop()


def test_broker_restart_mid_run_worker_reconnects(
    own_broker: LocalBroker, tmp_path: Path, corpus_size: int, record_summary: list[Summary], store: str
) -> None:
    env = reliability_env(own_broker.bootstrap, tmp_path, store)
    inputs = _corpus(corpus_size)
    offsets = produce_inputs(env, inputs)
    started = time.monotonic()
    with spawned_worker(env) as worker:
        pid = worker.proc.pid
        wait_until_accounted(
            env, len(inputs), until=len(inputs) // 3, timeout=FINISH_TIMEOUT_S, alive=_alive(worker)
        )
        assert own_broker.stop()
        time.sleep(3.0)  # the worker sees the broker gone
        own_broker.start()
        waited = _finish(env, inputs, worker)
        assert worker.proc.pid == pid and worker.proc.poll() is None
    summary = check(
        _named("broker restart", store),
        inputs,
        offsets,
        read_outputs(env),
        restarts=0,
        seconds=time.monotonic() - started,
        waited=waited,
        notes="broker stopped and started once mid-run",
    )
    _assert_guarantee(summary, record_summary)


def test_hostile_input_goes_to_dlq_without_restarting_the_worker(
    kafka_bootstrap: str, tmp_path: Path, fuzz_size: int, record_summary: list[Summary]
) -> None:
    env = reliability_env(kafka_bootstrap, tmp_path)
    inputs = list(fuzz_inputs(fuzz_size, max_bytes=MAX_BYTES))
    offsets = produce_inputs(env, inputs)
    started = time.monotonic()
    with spawned_worker(env) as worker:
        pid = worker.proc.pid
        waited = _finish(env, inputs, worker)
        status, _ = worker.get("/health")
        assert status == 200 and worker.proc.pid == pid and worker.proc.poll() is None
    summary = check(
        "hostile input",
        inputs,
        offsets,
        read_outputs(env),
        restarts=0,
        seconds=time.monotonic() - started,
        waited=waited,
        notes=f"{sum(1 for i in inputs if i.expected.role == 'enriched')} good articles among them",
    )
    _assert_guarantee(summary, record_summary)


SEEDS = [
    int(seed)
    for seed in os.environ.get(
        "STREAMPROC_RELIABILITY_SEEDS", os.environ.get("STREAMPROC_RELIABILITY_SEED", "1")
    ).split(",")
]
RATE = float(os.environ.get("STREAMPROC_RELIABILITY_RATE", "20"))


@pytest.mark.parametrize("seed", SEEDS)
def test_sigkill_while_inputs_arrive(
    kafka_bootstrap: str,
    tmp_path: Path,
    corpus_size: int,
    record_summary: list[Summary],
    seed: int,
    store: str,
) -> None:
    """Three SIGKILLs at random moments while inputs arrive at RATE msgs/s (batches fill, restarts
    re-read a partition's records in another order), then outputs must resume soon after each
    restart. The corpus differs per seed; each copy follows its original in the same partition."""
    env = reliability_env(kafka_bootstrap, tmp_path, store)
    inputs = build_corpus(corpus_size, seed=seed, max_bytes=MAX_BYTES)
    rng = random.Random(seed)
    feed = PacedProduction(env, inputs, RATE).start()
    started = time.monotonic()
    # Kill moments: random, one in each third of the production window (after the worker is up).
    kill_at = [started + feed.duration_s * rng.uniform(low, low + 0.25) for low in (0.05, 0.35, 0.65)]
    recoveries: list[float | None] = []
    for n, moment in enumerate(kill_at):
        before, spawned = output_count(env), time.monotonic()
        with spawned_worker(env) as worker:
            if n:
                recoveries.append(seconds_to_next_output(env, spawned, before))
            time.sleep(max(0.0, moment - time.monotonic()))
            worker.kill()
    before, spawned = output_count(env), time.monotonic()
    with spawned_worker(env) as worker:
        recoveries.append(seconds_to_next_output(env, spawned, before))
        offsets = feed.wait(timeout=FINISH_TIMEOUT_S)
        waited = _finish(env, inputs, worker)
    summary = check(
        _named(f"sigkill x3 @{RATE:g}/s s{seed}", store),
        inputs,
        offsets,
        read_outputs(env),
        restarts=len(kill_at),
        seconds=time.monotonic() - started,
        waited=waited,
        notes=f"seed {seed}, {RATE:g} msgs/s, restart to next output {recoveries} s",
    )
    summary.restart_to_output_s = recoveries
    _assert_guarantee(summary, record_summary)
