"""The producer buffer's flush drains it without handing the send lock over at every record."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from streamproc.faust.buffer_flush import DrainingProducerBuffer


class _BatchingChannel:
    """A topic whose client suspends when a batch is full (every ``batch`` records), as
    aiokafka's ``add_message`` waits for a full batch to be drained."""

    def __init__(self, batch: int) -> None:
        self.batch = batch
        self.published: list[int] = []

    async def publish_message(self, fut: Any, wait: bool = False) -> None:
        if len(self.published) % self.batch == self.batch - 1:
            await asyncio.sleep(0)
        self.published.append(fut.seq)


async def _flush_counting_loop_turns(records: int, batch: int) -> tuple[list[int], int]:
    """Flush ``records`` buffered records while another task counts the event loop's turns (on a
    loaded worker each turn runs the agents and costs 10-80 ms)."""
    buffer = DrainingProducerBuffer()
    buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))  # type: ignore[assignment]
    channel = _BatchingChannel(batch)
    turns = 0

    async def count_turns() -> None:
        nonlocal turns
        while True:
            await asyncio.sleep(0)
            turns += 1

    await buffer.start()
    counter = asyncio.create_task(count_turns())
    try:
        await asyncio.sleep(0)
        for seq in range(records):
            buffer.put(SimpleNamespace(seq=seq, message=SimpleNamespace(channel=channel)))
        before = turns
        await buffer.flush()
        return list(channel.published), turns - before
    finally:
        counter.cancel()
        await buffer.stop()


def test_a_flush_takes_a_loop_turn_per_client_wait_not_per_record() -> None:
    # 1,480 records took a commit 124 s at a load average of ~17: once the background sender held
    # a record while waiting for the lock, the flush and it took turns, one loop turn per record.
    published, turns = asyncio.run(_flush_counting_loop_turns(1000, batch=10))
    assert published == list(range(1000))
    assert turns <= 1000 // 10 + 10


class _RefusingChannel:
    async def publish_message(self, fut: Any, wait: bool = False) -> None:
        raise TimeoutError("batch full past the request timeout")


async def _flush_a_refused_send() -> tuple[asyncio.Future[Any], BaseException | None]:
    buffer = DrainingProducerBuffer()
    buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))  # type: ignore[assignment]
    fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    fut.message = SimpleNamespace(channel=_RefusingChannel())  # type: ignore[attr-defined]
    buffer.pending.put_nowait(fut)  # behind the background sender's back: the flush sends it
    try:
        await buffer.flush()
    except TimeoutError as exc:
        return fut, exc
    return fut, None


def test_a_send_refused_before_the_client_fails_its_future() -> None:
    # Unresolved, a persist waiting for the changelog's acks (prefix stores) would wait forever.
    fut, raised = asyncio.run(_flush_a_refused_send())
    assert isinstance(raised, TimeoutError)  # the flush fails too: no commit covers the record
    assert fut.done()
    assert isinstance(fut.exception(), TimeoutError)
