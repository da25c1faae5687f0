"""The collector: the partition that owns a source key joins its article and answers, then publishes.

It keeps each input's ``Pending`` state until the article and every answer are in, resolves it
(``verdict``), and publishes the record once: a ``published`` marker per input, and for an input
published just before a kill (output out, marker not), the read-back of the output topics where
a replay starts (``kafka.replay.ReplayGuard``, through ``already_out``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from streamproc.config import Settings
from streamproc.errors import ErrorCode
from streamproc.join.decoded import DecodedEntries
from streamproc.join.messages import ArticlePart, DeadPart, Part, RepliesMessage, StoryAssignment, encode
from streamproc.join.owner import partition_of_key
from streamproc.join.pending import PendingStore
from streamproc.join.source_key import SourceKey
from streamproc.join.values import RememberedValues
from streamproc.join.verdict import Finalizer
from streamproc.metrics import Metrics
from streamproc.models import DeadLetter, RawMessage, SourceOffset, TopicRole
from streamproc.stories.desk import StoryJoin  # stories

log = logging.getLogger("streamproc.worker")


@dataclass(frozen=True, slots=True)
class Publication:
    """A record to publish for one input, and what to do around it."""

    role: TopicRole
    source_key: str
    key: str  # the output record's Kafka key
    record: Any
    raw_timestamp: float | None
    # A resolved input (not a dead letter): its story keys learn their story first, then it is
    # published, then its pending state is dropped.
    resolved: bool = False
    story_assignments: list[StoryAssignment] = field(default_factory=list)
    discard_after: bool = False  # pending state to drop once published
    story_event: StoryJoin | None = None  # to the stories desk, once published (stories)


def internal_dead_letter(source_key: str, message: bytes, exc: Exception) -> DeadLetter:
    """A dead letter for a part the join could not handle (a bug). It carries the internal message;
    the original raw bytes stay in the input topic at ``source_offset``."""
    key = SourceKey.parse(source_key)
    raw = RawMessage(
        payload=message,
        received_at=datetime.now(UTC),
        source_offset=SourceOffset(key.topic, key.partition, key.offset) if key.offset is not None else None,
    )
    return DeadLetter.from_raw(
        raw,
        code=ErrorCode.INTERNAL.value,
        message=f"{type(exc).__name__}: {exc}",
        stage="dedup",
        key=source_key,
    )


def _never_out(partition: int, source_key: str) -> bool:
    return False


# Values of inputs in flight (an article and its answer values); published inputs' are dropped.
PENDING_REMEMBERED = 10_000


def _every_value(key: str) -> bool:
    return True


class Collector:
    """The collector's side of the join over the ``pending`` and ``published`` tables."""

    def __init__(
        self,
        settings: Settings,
        pending: MutableMapping[str, Any],
        published: MutableMapping[str, Any],
        metrics: Metrics | None = None,
        already_out: Callable[[int, str], bool] = _never_out,
    ) -> None:
        self.settings = settings
        partitions = settings.kafka.partitions
        # An input's values are read back at each of its parts (an article and up to one answer per
        # owner partition), each decoded from JSON by the store: remembered (``RememberedValues``)
        # until the input is published. Only this collector writes its source partition's values.
        remembered = RememberedValues(pending, _every_value, limit=PENDING_REMEMBERED)
        self.pending = PendingStore(remembered, lambda key: partition_of_key(key, partitions), partitions)
        self.published = published
        self.metrics = metrics
        self.already_out = already_out
        self.finalizer = Finalizer(settings)
        self.decoded = DecodedEntries()  # answers repeat the entries of busy keys, input after input

    def take(self, partition: int, part: Part) -> Publication | None:
        """Take one input's part; what to publish, if anything is due now."""
        source_key = part.source_key
        # Publish nothing twice: the marker says so, or (killed between output and marker)
        # the output topics themselves, read back where a replay starts.
        if self.published.get(source_key) is not None:
            self._suppressed("marker")
            self.pending.discard(source_key)  # left behind if killed between marker and discard
            return None
        if self.already_out(partition, source_key):
            self._suppressed("readback")
            self.published[source_key] = "readback"
            self.pending.discard(source_key)
            return None
        try:
            return self._absorb(part)
        except Exception as exc:
            return self._failed(part, exc)

    def _absorb(self, part: Part) -> Publication | None:
        if isinstance(part, DeadPart):
            return Publication("dlq", part.source_key, part.source_key, part.record, part.raw_timestamp)
        pending, stored = self.pending.load(part.source_key, decode=False)
        if isinstance(part, ArticlePart):
            pending.take_article(part.article)
        else:
            pending.take_replies(part.replies)
        if not pending.complete:
            if isinstance(part, ArticlePart):
                self.pending.save_article(pending)
            else:
                self.pending.save_replies(part.source_key, part.replies)
            return None
        pending.decode_replies(self.decoded.decode)
        finished = self.finalizer.finish(pending, self.metrics)
        return Publication(
            finished.role,
            pending.source_key,
            finished.record["id"],
            finished.record,
            pending.raw_timestamp,
            resolved=True,
            story_assignments=finished.story_assignments,
            discard_after=stored,
            story_event=finished.story_event,  # stories
        )

    def _failed(self, part: Part, exc: Exception) -> Publication:
        source_key = part.source_key
        log.exception("finalize failed", extra={"source_key": source_key})
        record = internal_dead_letter(source_key, encode(_as_message(part)), exc)  # this input's part
        if self.metrics is not None:
            self.metrics.internal_errors.labels(agent="finalize").inc()
            self.metrics.dlq.labels(code=record.error.code, stage=record.stage).inc()
        return Publication("dlq", source_key, source_key, record, None, discard_after=True)

    def published_out(self, publication: Publication) -> None:
        """Record that ``publication`` was handed to the producer (call right after the send)."""
        source_key = publication.source_key
        # The marker waits in Faust's producer buffer; if the worker dies before it is written, the
        # replay's read-back of the output topics still finds the output.
        self.published[source_key] = publication.role
        # Bounded replay memory: forget the marker of the offset `published_memory` inputs back on
        # this partition; a replay never reaches that far behind the committed offset.
        forget = SourceKey.parse(source_key).earlier(self.settings.dedup.published_memory)
        if forget is not None:
            self.published.pop(str(forget), None)
        if publication.discard_after:
            self.pending.discard(source_key)
        if self.metrics is not None and publication.raw_timestamp:
            self.metrics.end_to_end_latency.observe(max(0.0, time.time() - publication.raw_timestamp))

    def delivered(self, publication: Publication) -> None:
        """Count ``publication`` as published: Kafka acknowledged it (the worker's outputs, seen at the
        flush before a commit), or it was written (offline). A record Kafka refused is never counted
        under its role (outputs)."""
        if self.metrics is not None:
            self.metrics.records_published.labels(role=publication.role).inc()

    def _suppressed(self, via: str) -> None:
        if self.metrics is not None:
            self.metrics.replays_suppressed.labels(via=via).inc()


def _as_message(part: Part) -> ArticlePart | DeadPart | RepliesMessage:
    if isinstance(part, ArticlePart | DeadPart):
        return part
    return RepliesMessage({part.source_key: part.replies})
