"""Faust's aiokafka transport with every correction of this package installed by subclassing.

Faust picks the transport's ``Consumer`` and ``Producer`` classes from the ``Transport``;
``CorrectedApp`` (app.py) builds this transport instead of the one its broker URL names.
"""

from __future__ import annotations

from typing import Any, ClassVar

from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import ConsumerT, ProducerT

from streamproc.faust.buffer_flush import DrainingProducerBuffer
from streamproc.faust.coalescing import persist_coalesced_changes, send_coalesced_changes
from streamproc.faust.commit_guard import CommitGuardConsumer
from streamproc.faust.fetch_wait import FetchWaitConsumer
from streamproc.faust.offset_jumps import RereadingConsumer
from streamproc.faust.settings import WingSettings, wing_settings


class CorrectedConsumer(CommitGuardConsumer, RereadingConsumer, FetchWaitConsumer):
    """The commit guard, the re-reads (jumps, requested rewinds) and the fetch wait."""


class CorrectedProducer(faust_aiokafka.Producer):
    """Faust's aiokafka producer on a ``DrainingProducerBuffer``, flushing coalesced table changes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        buffer = DrainingProducerBuffer(
            loop=self.loop,
            beacon=self.beacon,
            max_messages=wing_settings(self.transport).producer_buffer_messages,
        )
        if self.threaded_producer is not None:
            buffer.threaded_producer = self.threaded_producer
        buffer.app = self.app
        self.buffer = buffer

    async def flush(self) -> None:
        # Faust flushes the producer before every commit, at a rebalance and at a stop: the tables'
        # coalesced changes go into the buffer first, so the flush covers them (coalescing).
        timing = getattr(getattr(self.app, "_consumer", None), "commit_timing", None)
        if timing is None:
            send_coalesced_changes(self.app)
            await super().flush()
            await persist_coalesced_changes(self.app)
            return
        with timing.phase("coalesced_s"):
            send_coalesced_changes(self.app)
        timing.phases["buffered"] = self.buffer.pending.qsize()
        with timing.phase("buffer_s"):
            await self.buffer.flush()
        with timing.phase("client_flush_s"):
            await super().flush()  # the buffer again (empty by now), then the Kafka client
        # On rocksdb:// the flushed changes are then written to the local stores with their acked
        # changelog offsets: the local files never get ahead of the changelog (prefix_store).
        with timing.phase("persist_s"):
            await persist_coalesced_changes(self.app)


class CorrectedTransport(faust_aiokafka.Transport):
    Consumer: ClassVar[type[ConsumerT]] = CorrectedConsumer
    Producer: ClassVar[type[ProducerT]] = CorrectedProducer

    def __init__(self, *args: Any, wing: WingSettings | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wing = wing or WingSettings()
