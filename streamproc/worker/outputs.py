"""Publishing the worker's output records, each seen delivered before its input counts as done.

An output is handed to the producer and its input marked published (``Collector.published_out``)
at once, but the tables' changes that say so (the ``published`` marker, the dropped ``pending``
state) are held back from the changelogs until the broker acked the output (``CoalescingTable.hold``):
a restart that never saw them processes the input again. The producer flush before each commit
settles every output first (``faust.delivery``):

- delivered: the held changes go out with that flush, and the record counts in
  ``streamproc_records_published_total`` under its role (a refused one never does);
- refused at the send for what the record is (larger than its topic takes, ``record_limits``):
  the input's original bytes go to the dead-letter topic with code ``output_refused`` (stage
  ``publish``);
- anything else (refused by the broker after the send, not authorised, unknown topic, no answer
  in time), or the dead-letter topic refusing too: ``DeliveryFailed``: no offset is committed
  again and the worker stops with one line saying what to fix; the restart processes the input
  again.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from typing import Any

from streamproc.config import Settings
from streamproc.errors import ErrorCode
from streamproc.faust.delivery import DeliveryFailed, describe, refuses_the_record
from streamproc.join.collector import Collector, Publication
from streamproc.join.source_key import SourceKey
from streamproc.kafka.reading import value_stored_at
from streamproc.metrics import Metrics
from streamproc.models import DeadLetter, RawMessage, SourceOffset, dumps

log = logging.getLogger("streamproc.worker")

STAGE = "publish"


class Outputs:
    """Sends publications to their output topics and settles each one's delivery (module docstring)."""

    def __init__(
        self,
        settings: Settings,
        outputs: dict[str, Any],
        held: list[Any],
        collector: Collector,
        metrics: Metrics,
    ) -> None:
        self.settings = settings
        self.topics = outputs  # role -> Faust topic
        self.held = held  # tables whose changes of a source key wait for its output's delivery
        self.collector = collector
        self.metrics = metrics

    async def publish(self, publication: Publication, deliveries: Any) -> None:
        """Send ``publication``; ``deliveries`` is the producer's ``DeliveryLedger``."""
        topic = self.topics[publication.role]
        key, value = publication.key.encode(), dumps(publication.record)
        # A record the client refuses at once comes back as a failed future too (CorrectedProducer).
        future = await _send(topic, key, value)
        for table in self.held:
            table.hold(publication.source_key)
        deliveries.claim(  # before anything can raise: the claim is what releases the hold
            future,
            topic.get_topic_name(),
            on_delivered=partial(self._delivered, publication),
            on_failed=partial(self._refused, publication, value, deliveries),
        )
        self.collector.published_out(publication)

    def _delivered(self, publication: Publication) -> None:
        self._release(publication.source_key)
        self.collector.delivered(publication)  # counted published once Kafka acked it (metrics)

    def _release(self, source_key: str) -> None:
        for table in self.held:
            table.release(source_key)

    async def _refused(
        self, publication: Publication, value: bytes, deliveries: Any, exc: BaseException
    ) -> None:
        name = self.topics[publication.role].get_topic_name()
        if not refuses_the_record(exc):
            raise DeliveryFailed(
                f"Kafka did not take the {publication.role} record of input {publication.source_key} "
                f"for {name!r} ({describe(exc)}); the worker stops and the input's offset is not "
                "committed: check the topic (max.message.bytes, ACLs, that it exists) and the broker, "
                "then restart the worker to process the input again"
            )
        reason = f"{name} refused the {publication.role} record ({len(value)} bytes): {describe(exc)}"
        await self._dead_letter(publication, reason, deliveries)
        self._release(publication.source_key)

    async def _dead_letter(self, publication: Publication, reason: str, deliveries: Any) -> None:
        """The input's original bytes to the dead-letter topic, read back from the input topic."""
        source = SourceKey.parse(publication.source_key)
        stop = (
            f"; the worker stops and the input's offset is not committed: {reason}. Make the topic take "
            "it (e.g. raise its max.message.bytes), then restart the worker to process it again"
        )
        if source.offset is None:
            raise DeliveryFailed(f"input {publication.source_key} has no offset to read back{stop}")
        payload = await value_stored_at(self.settings, source.topic, source.partition, source.offset)
        if payload is None:
            raise DeliveryFailed(f"cannot read input {publication.source_key} back from Kafka{stop}")
        raw = RawMessage(
            payload=payload,
            received_at=datetime.now(UTC),
            source_offset=SourceOffset(source.topic, source.partition, source.offset),
        )
        code = ErrorCode.OUTPUT_REFUSED.value
        letter = DeadLetter.from_raw(raw, code=code, message=reason, stage=STAGE, key=publication.source_key)
        dlq = self.topics["dlq"]
        try:
            sent = await _send(dlq, publication.source_key.encode(), dumps(letter))
            await _sent_here(deliveries, dlq.get_topic_name(), sent)
        except Exception as exc:
            raise DeliveryFailed(
                f"the dead-letter topic {dlq.get_topic_name()!r} refused input {publication.source_key} "
                f"too ({describe(exc)}){stop}"
            ) from exc
        self.metrics.dlq.labels(code=code, stage=STAGE).inc()
        self.metrics.records_published.labels(role="dlq").inc()
        log.warning(
            "output refused by Kafka: the input went to the dead-letter topic",
            extra={"source": publication.source_key, "reason": reason, "code": code},
        )


async def _sent_here(deliveries: Any, topic: str, future: Any) -> Any:
    """Wait for a record sent while settling; its outcome is handled here, not by the ledger."""

    async def handled(exc: BaseException) -> None:
        return None

    deliveries.claim(future, topic, on_delivered=lambda: None, on_failed=handled)
    return await future


async def _send(topic: Any, key: bytes, value: bytes) -> Any:
    """``topic.send``, reading the outcome of Faust's promise of the record: Faust fails it too when
    the delivery fails and nobody else reads it, so asyncio would log an error ("exception was
    never retrieved") for a refusal handled here."""
    message = topic.as_future_message(key=key, value=value)
    message.add_done_callback(_read_outcome)
    return await topic.publish_message(message)


def _read_outcome(future: Any) -> None:
    if not future.cancelled():
        future.exception()
