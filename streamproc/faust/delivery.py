"""Correction: an offset commit never passes a record the broker refused after the send.

faust-streaming hands each record to aiokafka and only logs a failed delivery
(``Topic._on_published``: "_on_published error ..."); aiokafka's ``flush`` waits for the
deliveries without raising their errors. So a record the broker refused (MESSAGE_TOO_LARGE for
the topic's ``max.message.bytes``, TOPIC_AUTHORIZATION_FAILED, a deleted topic, a delivery
timeout) was dropped and the offset of the input that produced it committed at the next commit:
the input was lost without a trace (issue 16).

``DeliveryLedger`` keeps every record's delivery future (``CorrectedProducer.send``) until the
producer flush before the next commit settles it (``settle``). Whoever sent a record may
``claim`` its future with what to do once it is delivered and when it is not (the worker's
outputs: send the input to the dead-letter topic). A failed record nobody claimed (the join's
own topics, changelogs), or one whose handler gives up, makes the ledger fail for good: every
later ``settle`` raises ``DeliveryFailed``, so no offset is committed again in this process and
a restart processes the input again.

The worker's producer is idempotent (``transport``): a batch the client sends again after a lost
answer (a broker restart) is written once. aiokafka does not roll back the sequence numbers of a
batch the broker refused, so after such a refusal nothing more is taken on that partition: only a
record refused at the send (``record_limits`` checks each record against its topic's
``max.message.bytes`` there, or the client's own size check) can be dead-lettered; a refusal after
the send stops the worker, and the restart reads the topics' limits again. An idempotent aiokafka
producer never gives up on a batch either, so a settle waits at most ``timeout_s`` for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiokafka.errors import (
    CorruptRecordException,
    InvalidTimestampError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
)
from faust.exceptions import ProducerSendError

from streamproc.errors import StreamprocError

# Refusals of the record itself: sending it again as it is fails again, whatever the broker's state.
_RECORD_REFUSALS = (
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    CorruptRecordException,
    InvalidTimestampError,
)
_PRUNE_EVERY = 4096  # records tracked between two pruning passes (no flush for a while)


def refuses_the_record(exc: BaseException) -> bool:
    """True when ``exc`` refused the record's content (size, format) at the send, before any of it
    reached the broker: the record can go elsewhere (a dead letter) and the producer goes on."""
    cause: BaseException | None = exc
    at_send = False
    while cause is not None:  # Faust wraps a refusal at the send in ProducerSendError
        if isinstance(cause, _RECORD_REFUSALS):
            return at_send
        if not isinstance(cause, ProducerSendError):
            return False
        at_send = True
        cause = cause.__cause__
    return False


def describe(exc: BaseException) -> str:
    """``exc``'s class and text, the class alone when the text is empty."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class DeliveryFailed(StreamprocError):
    """A record was not delivered and nothing took its place: no offset may be committed."""


@dataclass(slots=True)
class Claim:
    on_delivered: Callable[[], None]
    on_failed: Callable[[BaseException], Awaitable[None]]  # raises DeliveryFailed to give up


class DeliveryLedger:
    """Delivery futures of the records sent since the last settle (see the module docstring)."""

    def __init__(self, timeout_s: float = 120.0) -> None:
        self.timeout_s = timeout_s  # longest a settle waits for a record's answer
        # future -> topic, in send order; a record leaves only once settled (or pruned)
        self._sent: dict[asyncio.Future[Any], str] = {}
        self._claims: dict[asyncio.Future[Any], Claim] = {}
        self.failed: DeliveryFailed | None = None
        # Faust may flush from a commit and from a rebalance at once, and cancels a slow recovery
        # flush: settles run one at a time and keep what they have not handled yet.
        self._settling = asyncio.Lock()
        # A failure handler sends (a batch-mate again, a dead letter): it runs as its own task, so
        # a settle cancelled while it runs leaves it running, and the next settle awaits that task
        # instead of sending again.
        self._handling: dict[asyncio.Future[Any], asyncio.Task[None]] = {}
        self._next_prune = _PRUNE_EVERY

    def sent(self, future: asyncio.Future[Any], topic: str) -> None:
        self._sent[future] = topic
        if len(self._sent) >= self._next_prune:
            self._prune()
            self._next_prune = max(_PRUNE_EVERY, 2 * len(self._sent))

    def claim(
        self,
        future: asyncio.Future[Any],
        topic: str,
        on_delivered: Callable[[], None],
        on_failed: Callable[[BaseException], Awaitable[None]],
    ) -> None:
        """Settle ``future`` with these handlers (a future the producer never saw is tracked too:
        a send refused at once)."""
        self._sent.setdefault(future, topic)
        self._claims[future] = Claim(on_delivered, on_failed)

    @property
    def tracked(self) -> int:
        return len(self._sent)

    async def settle(self) -> None:
        """Wait for every record sent before the call; run the claims' handlers; raise
        ``DeliveryFailed`` when a record is lost (now or at an earlier settle). Records sent
        meanwhile wait for the next settle: waiting for them too would never end under load."""
        async with self._settling:
            if self._sent and self.failed is None:
                batch = list(self._sent.items())
                _, late = await asyncio.wait([future for future, _ in batch], timeout=self.timeout_s)
                if late:  # nothing of this batch is settled: the restart processes it again
                    topic = next(topic for future, topic in batch if future in late)
                    self.fail(topic, TimeoutError(f"no answer within {self.timeout_s:g} s"))
                else:
                    await self._settle_all(batch)
        if self.failed is not None:
            raise self.failed

    async def _settle_all(self, batch: list[tuple[asyncio.Future[Any], str]]) -> None:
        for future, topic in batch:
            await self._settle_one(future, topic)
            self._sent.pop(future, None)  # handled: a cancelled settle leaves the rest

    async def _settle_one(self, future: asyncio.Future[Any], topic: str) -> None:
        claim = self._claims.get(future)
        exc = _error_of(future)
        try:
            if exc is None:
                if claim is not None:
                    claim.on_delivered()
            elif claim is None:
                self.fail(topic, exc)
            else:
                await self._handle_failure(future, claim, exc)
        except DeliveryFailed as failed:
            if self.failed is None:
                self.failed = failed
        except Exception as unexpected:  # a handler that broke cannot vouch for the record
            self.fail(topic, unexpected)
        self._claims.pop(future, None)

    async def _handle_failure(self, future: asyncio.Future[Any], claim: Claim, exc: BaseException) -> None:
        task = self._handling.get(future)
        if task is None:
            task = self._handling[future] = asyncio.ensure_future(claim.on_failed(exc))
        await asyncio.shield(task)
        self._handling.pop(future, None)

    def fail(self, topic: str, exc: BaseException) -> DeliveryFailed:
        """Record that a record for ``topic`` is lost (the first loss is the one reported)."""
        if self.failed is None:
            self.failed = DeliveryFailed(
                f"Kafka did not take a record for {topic!r} ({describe(exc)}); the worker stops and "
                "its input's offset is not committed: check the topic (max.message.bytes, ACLs, that "
                "it exists) and the broker, then restart the worker to process the input again"
            )
        return self.failed

    def _prune(self) -> None:
        """Forget unclaimed records already delivered (commits may be rare while inputs are few)."""
        self._sent = {
            f: topic
            for f, topic in self._sent.items()
            if not f.done() or f in self._claims or _error_of(f) is not None
        }


def _error_of(future: asyncio.Future[Any]) -> BaseException | None:
    if future.cancelled():
        return asyncio.CancelledError("the send was cancelled")
    return future.exception()


def failed_future(exc: BaseException) -> asyncio.Future[Any]:
    """A future already failed with ``exc`` (a send refused before the client took it)."""
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    future.set_exception(exc)
    return future
