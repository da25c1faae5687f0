"""Correction: a seek runs in the thread that runs the aiokafka client.

Faust's aiokafka consumer runs its client in a thread of its own (``ConsumerThread``) and makes
every call to it there (``call_thread``) except ``_seek``, which calls the client's ``seek`` from
the caller's thread. The client's seek drops what it buffered for the partition, while its own
thread may be draining that buffer (``Fetcher.fetched_records`` reads a partition's records, then
deletes its entry): in the reliability suite a worker crashed at start with ``KeyError`` in
``fetched_records`` right after the seeks of a rebalance (the uncommitted partitions' starts).
Here ``_seek`` is queued to the client's thread like every other call, so the two never
interleave; every seek of Faust and of these corrections goes through it.
"""

from __future__ import annotations

from typing import Any

from faust.transport.drivers.aiokafka import Consumer


async def seek_in_client(thread: Any, partition: Any, offset: int) -> None:
    """The client's own seek; called in the client's thread."""
    thread._ensure_consumer().seek(partition, offset)


class ClientThreadSeekConsumer(Consumer):
    """Faust's aiokafka consumer whose ``_seek`` runs in the client's thread (module docstring)."""

    async def _seek(self, partition: Any, offset: int) -> None:
        await self._thread.call_thread(seek_in_client, self._thread, partition, offset)
