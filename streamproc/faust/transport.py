"""Faust's aiokafka transport with every correction of this package installed by subclassing.

Faust picks the transport's ``Consumer`` and ``Producer`` classes from the ``Transport``;
``CorrectedApp`` (app.py) builds this transport instead of the one its broker URL names.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Mapping
from typing import Any, ClassVar

from faust.exceptions import ProducerSendError
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import ConsumerT, ProducerT
from faust.types.tuples import RecordMetadata

from streamproc.faust.buffer_flush import DrainingProducerBuffer
from streamproc.faust.client_thread_seek import ClientThreadSeekConsumer
from streamproc.faust.coalescing import persist_coalesced_changes, send_coalesced_changes
from streamproc.faust.commit_guard import CommitGuardConsumer
from streamproc.faust.delivery import DeliveryFailed, DeliveryLedger, failed_future
from streamproc.faust.fetch_wait import FetchWaitConsumer
from streamproc.faust.offset_jumps import RereadingConsumer
from streamproc.faust.record_limits import size_refusal
from streamproc.faust.settings import WingSettings, wing_settings
from streamproc.faust.uncommitted_start import UncommittedStartConsumer

log = logging.getLogger("streamproc.kafka")


class CorrectedConsumer(
    CommitGuardConsumer,
    RereadingConsumer,
    FetchWaitConsumer,
    UncommittedStartConsumer,
    ClientThreadSeekConsumer,
):
    """The commit guard, the re-reads (jumps, requested rewinds), the fetch wait, the start of
    uncommitted partitions at their beginning, and seeks in the client's thread."""


class CorrectedProducer(faust_aiokafka.Producer):
    """Faust's aiokafka producer, idempotent, on a ``DrainingProducerBuffer``, flushing coalesced
    table changes, whose flush settles every delivery before a commit (``delivery``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wing = wing_settings(self.transport)
        self.deliveries = DeliveryLedger(timeout_s=wing.delivery_timeout_s)
        self.record_limits = wing.record_limits
        self._stopping_for: DeliveryFailed | None = None
        buffer = DrainingProducerBuffer(
            loop=self.loop,
            beacon=self.beacon,
            max_messages=wing.producer_buffer_messages,
        )
        if self.threaded_producer is not None:
            buffer.threaded_producer = self.threaded_producer
        buffer.app = self.app
        self.buffer = buffer

    def _settings_extra(self) -> Mapping[str, Any]:
        # Idempotent: a batch the client sends again after a lost answer (a broker restart) is
        # written once. Faust turns it on only inside transactions. What it costs: delivery.
        return {**super()._settings_extra(), "acks": "all", "enable_idempotence": True}

    async def send(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        timestamp: float | None,
        headers: Any,
        *,
        transactional_id: str | None = None,
    ) -> Awaitable[RecordMetadata]:
        # Every record (outputs, the join's topics, changelogs) passes here: its delivery is
        # settled before the next commit (delivery).
        try:
            too_large = size_refusal(self.record_limits, topic, key, value, headers)
            if too_large is not None:  # before the broker can refuse it (record_limits)
                raise ProducerSendError(f"Error while sending: {too_large!r}") from too_large
            future = await super().send(
                topic, key, value, partition, timestamp, headers, transactional_id=transactional_id
            )
        except ProducerSendError as exc:
            # Refused before the client took it (larger than a request, a topic it cannot reach):
            # a failed delivery like one the broker refuses, not an exception in the agent that sent
            # it. A claim routes it (an output to the dead-letter topic); else the flush before the
            # next commit stops the worker with one line, nothing committed past it.
            future = failed_future(exc)
        self.deliveries.sent(future, topic)  # type: ignore[arg-type]  # aiokafka's asyncio.Future
        return future

    async def flush(self) -> None:
        # Faust flushes the producer before every commit, at a rebalance and at a stop. First the
        # records already sent are settled: an output refused goes to its claim (the dead-letter
        # topic) while the table changes that say it is out (published markers) are still held
        # back. Then the coalesced changes, and their deliveries are settled too (delivery).
        try:
            await self.deliveries.settle()
            await self._flush_changes()  # a changelog record refused at once fails its future (send)
            await self.deliveries.settle()
        except DeliveryFailed as exc:
            if not self._stopping_for:
                # One line: the commit, and the commits of Faust's stop, fail after it.
                self._stopping_for = exc
                log.error("%s", exc)
                await self.app.crash(exc)
            raise

    async def _flush_changes(self) -> None:
        # The tables' coalesced changes go into the buffer first, so the flush covers them (coalescing).
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
