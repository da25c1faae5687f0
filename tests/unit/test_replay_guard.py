"""Where a replay starts and what it must not publish again (the read-back is faked here; the
integration test reads real topics)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import orjson
from aiokafka.errors import KafkaConnectionError
from hypothesis import given
from hypothesis import strategies as st

from streamproc.config import Settings
from streamproc.kafka.replay import ReplayGuard, output_source_key


class _FakeReadBack:
    def __init__(self, found: set[str]) -> None:
        self.found = found
        self.calls: list[int] = []

    async def __call__(self, settings: Settings, topics: Iterable[str], since_ms: int) -> set[str]:
        self.calls.append(since_ms)
        return set(self.found)


def test_output_source_key_reads_the_input_position() -> None:
    record = {"id": "a-1", "source_offset": {"topic": "news.raw", "partition": 2, "offset": 17}}
    assert output_source_key(orjson.dumps(record)) == "news.raw/2/17"
    assert output_source_key(b"") is None
    assert output_source_key(None) is None
    assert output_source_key(b'{"id": "a-1"}') is None
    assert output_source_key(b'{"source_offset": {"topic": "t", "partition": "x", "offset": 1}}') is None


@given(st.binary(max_size=300))
def test_output_source_key_never_raises_on_foreign_bytes(value: bytes) -> None:
    key = output_source_key(value)
    assert key is None or key.count("/") >= 2


def test_guard_reads_back_only_where_a_replay_starts() -> None:
    read_back = _FakeReadBack({"news.raw/1/5", "news.raw/2/9"})
    guard = ReplayGuard(Settings(), ["news.enriched"], scan=read_back)

    async def run() -> None:
        await guard.observe(1, 100, 1000.0)  # first message of partition 1: a (re)start
        # The default margin, in epoch ms, and one more for the other partitions' starts.
        assert read_back.calls == [(1000 - 60 - 60) * 1000]
        await guard.observe(1, 101, 1001.0)  # consecutive: no read-back
        await guard.observe(1, 102, 1002.0)
        assert len(read_back.calls) == 1
        # A seek back (a re-read) and another partition's start in the same generation: what
        # the read-back found serves them, and what this worker published since is marked.
        await guard.observe(1, 90, 990.0)
        await guard.observe(2, 7, 995.0)
        assert len(read_back.calls) == 1
        await guard.observe(3, 4, 930.0)  # needs older outputs than were read: read back again
        assert read_back.calls[1:] == [(930 - 60 - 60) * 1000]
        await guard.observe(2, 8, 996.0, generation=2)  # a rebalance in between: it may have moved
        assert len(read_back.calls) == 3
        await guard.observe(2, 9, 997.0, generation=2)
        assert len(read_back.calls) == 3
        await guard.observe(1, 91, 991.0, generation=2)  # another start in the new generation
        assert len(read_back.calls) == 3

    asyncio.run(run())
    # Each partition keeps only its own inputs (answers for an input live on its input partition).
    assert guard.already_out(1, "news.raw/1/5")
    assert not guard.already_out(1, "news.raw/2/9")
    assert guard.already_out(2, "news.raw/2/9")
    assert not guard.already_out(1, "news.raw/1/6")
    assert not guard.already_out(3, "news.raw/3/1")


class _FlakyReadBack(_FakeReadBack):
    def __init__(self, found: set[str], failures: int) -> None:
        super().__init__(found)
        self.failures = failures

    async def __call__(self, settings: Settings, topics: Iterable[str], since_ms: int) -> set[str]:
        self.calls.append(since_ms)
        if self.failures:
            self.failures -= 1
            raise KafkaConnectionError("broker away")
        return set(self.found)


def test_guard_holds_the_message_until_the_read_back_succeeds() -> None:
    read_back = _FlakyReadBack({"news.raw/0/3"}, failures=2)
    guard = ReplayGuard(Settings(), ["news.enriched"], scan=read_back, retry_delay_s=0.001)
    asyncio.run(guard.observe(0, 10, 1000.0))
    assert len(read_back.calls) == 3  # two failures, then the answer: never guessed
    assert guard.already_out(0, "news.raw/0/3")
