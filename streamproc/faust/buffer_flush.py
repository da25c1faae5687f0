"""Correction: flushing Faust's producer buffer waits until every buffered record is in the client.

Table writes (changelog records) wait in ``ProducerBuffer`` until a background task hands them to
the Kafka client. Faust flushes that buffer before it commits offsets, but faust-streaming's
``ProducerBuffer.flush`` gives up as soon as no record left the buffer for 0.1 s (routine on a
busy 2-core machine) and does not wait for the record the background task is sending at that
moment. Offsets were then committed ahead of their table writes, and a stop or crash right after
lost the writes: the reliability suite lost 10-48 of 200 articles on SIGTERM + restart, their
``pending`` join state gone while their replies were committed. ``DrainingProducerBuffer.flush``
drains the buffer itself, in buffer order (a lock serialises it with the background task, so two
writes of one key never swap), and returns once every record buffered before the call is in the
client; a record buffered during the flush may still be on its way, which is harmless for a
commit (its offsets were computed before the flush). The flush takes no more than the records
buffered when it was called: draining until the buffer was empty never ended while inputs kept
arriving, so each commit lasted as long as the load (35 s after a restart in the paced SIGKILL
scenario), no offset was committed meanwhile, and the stall watch (dropped_records), which waits
for a commit in flight to end, could not see a dropped record for all that time.

The buffer also holds more records before the consumer waits for it (``max_messages``): one
answer to a batch's probes writes ~100-170 table keys, and above Faust's limit of 100 the consumer
stops before each record, logs "producer buffer full" and drains the buffer one send at a time.
The limit only bounds memory (table values are mostly under 2 KB, a pending article ~12 KB).
"""

from __future__ import annotations

import asyncio
from typing import Any

from faust.transport.producer import ProducerBuffer

PRODUCER_BUFFER_MESSAGES = 2000


class DrainingProducerBuffer(ProducerBuffer):
    """Faust's producer buffer with a flush that drains it in order (see the module docstring)."""

    def __init__(self, *args: Any, max_messages: int = PRODUCER_BUFFER_MESSAGES, **kwargs: Any) -> None:
        if max_messages < 1:
            raise ValueError("the producer buffer must hold at least one message")
        super().__init__(*args, **kwargs)
        self.max_messages = max_messages
        self._send_lock = asyncio.Lock()

    async def _send_pending(self, fut: Any) -> None:
        # asyncio.Lock is FIFO and a record is taken off the queue and the lock requested without
        # yielding in between, so records reach the client in the order they were buffered.
        async with self._send_lock:
            await super()._send_pending(fut)

    async def flush(self) -> None:
        if self.app is not None and self.app.conf.producer_threaded:
            await super().flush()  # not used by streamproc: Faust's own behaviour
            return
        await self._send_buffered(self.pending.qsize())

    async def on_stop(self) -> None:
        if self.app is not None and self.app.conf.producer_threaded:
            await super().on_stop()
            return
        while True:  # at a stop, everything: records buffered during the flush too
            await self._send_buffered(self.pending.qsize())
            if self.pending.empty():
                return

    async def _send_buffered(self, count: int) -> None:
        """Send the first ``count`` records of the buffer; return once each of them is in the client.

        The background task may take some of them first: it takes a record and requests the lock
        without yielding, so the lock taken last here waits for its send too.
        """
        for _ in range(count):
            try:
                fut = self.pending.get_nowait()
            except asyncio.QueueEmpty:
                break
            await self._send_pending(fut)
            self.message_sent.set()
        async with self._send_lock:
            pass  # the background task's record in flight, if any, is now in the client
