"""A consumer's seek runs in the thread of the aiokafka client, never in the caller's (the client's
fetcher drains and deletes its buffered records there: a seek from another thread raced it)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from streamproc.faust.client_thread_seek import ClientThreadSeekConsumer
from streamproc.faust.transport import CorrectedConsumer


class _Client:
    def __init__(self) -> None:
        self.seeks: list[tuple[Any, int, int]] = []

    def seek(self, partition: Any, offset: int) -> None:
        self.seeks.append((partition, offset, threading.get_ident()))


class _ClientThread:
    """Like mode's ``QueueServiceThread``: ``call_thread`` runs a coroutine function on a loop of
    its own thread and hands the result back."""

    def __init__(self) -> None:
        self.client = _Client()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def _ensure_consumer(self) -> _Client:
        assert threading.current_thread() is self.thread, "the client was called from another thread"
        return self.client

    async def call_thread(self, fun: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(fun(*args), self.loop))

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


def test_seek_is_made_in_the_client_thread() -> None:
    consumer = object.__new__(ClientThreadSeekConsumer)
    thread = _ClientThread()
    consumer._thread = thread  # type: ignore[assignment]
    try:
        asyncio.run(consumer._seek("probes/3", 11))
    finally:
        thread.stop()
    assert thread.client.seeks == [("probes/3", 11, thread.thread.ident)]


def test_the_worker_consumer_seeks_in_the_client_thread() -> None:
    assert CorrectedConsumer._seek is ClientThreadSeekConsumer._seek
