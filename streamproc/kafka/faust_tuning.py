"""Consumer settings Faust does not expose, set where Faust builds its aiokafka consumer.

Fetch wait. Faust creates the worker's consumer with ``fetch_max_wait_ms=1500``. aiokafka leaves
a partition out of a fetch request while records of it are still buffered, and sends the next
request only when the current one returns: a partition that got data after its request left
waits up to the *other* partitions' long poll, 1.5 s. Our join crosses Kafka twice (probes, then
replies), so each hop paid up to that wait under load: in the benchmark, outputs trailed their
enrichment by ~3 s. A short wait (``worker.fetch_max_wait_ms``, 100 ms by default) costs a few
empty fetches per second when idle.
"""

from __future__ import annotations

from typing import Any

from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

_ORIGINAL = "_streamproc_original_create_worker_consumer"
_settings: dict[str, int] = {}


def set_fetch_max_wait(milliseconds: int) -> None:
    """Use ``milliseconds`` as the fetch long-poll of every worker consumer Faust creates from now on."""
    if milliseconds < 0:
        raise ValueError("fetch_max_wait_ms must be >= 0")
    _settings["fetch_max_wait_ms"] = milliseconds
    if hasattr(AIOKafkaConsumerThread, _ORIGINAL):
        return
    original = AIOKafkaConsumerThread._create_worker_consumer
    setattr(AIOKafkaConsumerThread, _ORIGINAL, original)

    def _create_worker_consumer(self: Any, transport: Any) -> Any:
        consumer = original(self, transport)
        # Read by AIOKafkaConsumer.start() when it builds its Fetcher (not started yet here).
        consumer._fetch_max_wait_ms = _settings["fetch_max_wait_ms"]
        return consumer

    setattr(AIOKafkaConsumerThread, "_create_worker_consumer", _create_worker_consumer)  # noqa: B010


def fetch_max_wait_ms(consumer: Any) -> int:
    """The fetch long-poll an aiokafka consumer was configured with (for checks and tests)."""
    value: int = consumer._fetch_max_wait_ms
    return value


# Table writes go through Faust's producer buffer; above ``max_messages`` (Faust: 100) the
# consumer stops before each record, logs "producer buffer full" and drains the buffer one send at
# a time (each with its own 0.1 s timeout). One answer to a batch's probes writes ~100-170 table
# keys, so Faust's limit turned every such message into a warning and a slow drain. The
# background task drains the buffer anyway; the limit only bounds memory (entries are table
# values: mostly under 2 KB, a pending article ~12 KB).
PRODUCER_BUFFER_MESSAGES = 2000


def set_producer_buffer_limit(producer: Any, messages: int = PRODUCER_BUFFER_MESSAGES) -> None:
    """Let Faust's producer buffer hold ``messages`` records before the consumer waits for it."""
    if messages < 1:
        raise ValueError("the producer buffer must hold at least one message")
    producer.buffer.max_messages = messages
