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

The flush and the background task take records only while holding the lock, and the flush holds
it for its whole drain. Faust's background task took a record first and then waited for the lock:
once it did so during a flush (whenever the client suspended, at a full batch), the two took
turns, one event loop turn per record, and a turn of a loaded worker's loop runs every agent. Now
a flush costs a turn per client wait. That was not all of it: at a load average of ~20 flushes
still took 12-92 ms per record after the change (``commit_guard.CommitTiming`` logs commits over
10 s: 781 records 72 s, 1,740 records 67 s; before it 1,480 records 124 s), no offset moving
meanwhile. What remains is not split yet; a candidate is the client's own wait: aiokafka suspends
a send whose partition's batch (16 KB, Faust's default) is full until the batch is drained, and a
pending article alone is ~12 KB.

The buffer also holds more records before the consumer waits for it (``max_messages``): one
answer to a batch's probes writes ~100-170 table keys, and above Faust's limit of 100 the consumer
stops before each record, logs "producer buffer full" and drains the buffer one send at a time.
The limit only bounds memory (table values are mostly under 2 KB, a pending article ~12 KB).
"""

from __future__ import annotations

import asyncio
from typing import Any

from faust.transport.producer import ProducerBuffer
from mode import Service

PRODUCER_BUFFER_MESSAGES = 2000


class DrainingProducerBuffer(ProducerBuffer):
    """Faust's producer buffer with a flush that drains it in order (see the module docstring)."""

    def __init__(self, *args: Any, max_messages: int = PRODUCER_BUFFER_MESSAGES, **kwargs: Any) -> None:
        if max_messages < 1:
            raise ValueError("the producer buffer must hold at least one message")
        super().__init__(*args, **kwargs)
        self.max_messages = max_messages
        self._send_lock = asyncio.Lock()
        self._buffered = asyncio.Event()  # set while records may wait in ``pending``

    def put(self, fut: Any) -> None:
        super().put(fut)
        self._buffered.set()

    async def _send_pending(self, fut: Any) -> None:
        try:
            await super()._send_pending(fut)
        except Exception as exc:
            # A send refused before the client took it (a batch full past the request timeout, a
            # closed producer) never resolves its future: fail it, so whoever awaits it (a commit,
            # the prefix stores' persist) gets the error instead of waiting forever.
            if not fut.done():
                fut.set_exception(exc)
            raise

    @Service.task
    async def _handle_pending(self) -> None:
        # Faust's background sender, taking a record only under the lock (module docstring).
        while not self.should_stop:
            await self._buffered.wait()
            async with self._send_lock:
                try:
                    fut = self.pending.get_nowait()
                except asyncio.QueueEmpty:
                    self._buffered.clear()
                    continue
                await self._send_pending(fut)
            self.message_sent.set()

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
        """Send the first ``count`` records of the buffer, in order; return once each of them is in
        the client. A record the background task took before is sent before the lock is ours."""
        async with self._send_lock:
            for _ in range(count):
                try:
                    fut = self.pending.get_nowait()
                except asyncio.QueueEmpty:
                    break
                await self._send_pending(fut)
                self.message_sent.set()
