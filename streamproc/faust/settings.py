"""What the Faust wing needs from streamproc's settings, in one value the transport carries."""

from __future__ import annotations

from dataclasses import dataclass, field

from streamproc.faust.buffer_flush import PRODUCER_BUFFER_MESSAGES


@dataclass(frozen=True, slots=True)
class WingSettings:
    # Topics whose offsets never have holes (written by us, without transactions, never
    # compacted): a jump there is always a drop, re-read several times (offset_jumps).
    gap_free_topics: frozenset[str] = frozenset()
    fetch_max_wait_ms: int = 100  # fetch_wait
    producer_buffer_messages: int = PRODUCER_BUFFER_MESSAGES  # buffer_flush
    # Topic -> its max.message.bytes when the worker started: larger records are refused at the
    # send (record_limits). Empty: the broker alone decides.
    record_limits: dict[str, int] = field(default_factory=dict)
    delivery_timeout_s: float = 120.0  # longest a record may go unanswered (delivery)

    def __post_init__(self) -> None:
        if self.fetch_max_wait_ms < 0:
            raise ValueError("fetch_max_wait_ms must be >= 0")
        if self.producer_buffer_messages < 1:
            raise ValueError("the producer buffer must hold at least one message")
        if self.delivery_timeout_s <= 0:
            raise ValueError("delivery_timeout_s must be > 0")


def wing_settings(transport: object) -> WingSettings:
    """The wing settings a transport carries (transport.CorrectedTransport), else the defaults."""
    wing = getattr(transport, "wing", None)
    return wing if isinstance(wing, WingSettings) else WingSettings()
