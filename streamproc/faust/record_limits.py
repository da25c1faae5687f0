"""The check each record passes before the send: does its topic take a record this large?

A broker that refuses a batch after the send puts the idempotent producer's sequence numbers out
of step for that partition (aiokafka does not roll them back; ``delivery``), so a record the topic
would refuse for its size is refused here instead, at the send, where it can still go to the
dead-letter topic. The limits are the topics' ``max.message.bytes`` read when the worker starts
(``kafka.admin.topic_record_limits``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiokafka.errors import MessageSizeTooLargeError

# A record batch's header (61 bytes) and one record's own fields (attributes, timestamp and offset
# deltas, lengths: varints of at most 5-10 bytes each), rounded up.
BATCH_OVERHEAD_BYTES = 128
DEFAULT_BATCH_BYTES = 16384  # aiokafka's and Faust's


def batch_size_within(limits: Mapping[str, int], default: int = DEFAULT_BATCH_BYTES) -> int:
    """The producer's batch size: aiokafka fills a batch with several records up to it, so it must
    stay within the smallest topic limit, or that topic would refuse a batch of records it takes
    one by one."""
    return max(1, min([default, *(limit - BATCH_OVERHEAD_BYTES for limit in limits.values())]))


def batch_bytes(key: bytes | None, value: bytes | None, headers: Any = None) -> int:
    """An upper bound of the bytes of a batch holding this record alone (uncompressed)."""
    size = BATCH_OVERHEAD_BYTES + len(key or b"") + len(value or b"")
    for name, header in _header_items(headers):
        size += len(name.encode()) + len(header or b"") + 10
    return size


def size_refusal(
    limits: Mapping[str, int], topic: str, key: bytes | None, value: bytes | None, headers: Any = None
) -> MessageSizeTooLargeError | None:
    """The refusal of a record larger than ``topic`` takes, or None (a topic without a known limit
    is left to the broker)."""
    limit = limits.get(topic)
    if limit is None:
        return None
    size = batch_bytes(key, value, headers)
    if size <= limit:
        return None
    return MessageSizeTooLargeError(
        f"a batch of this record alone is up to {size} bytes, more than {topic!r} takes "
        f"(max.message.bytes {limit}, read when the worker started)"
    )


def _header_items(headers: Any) -> Iterable[tuple[str, bytes | None]]:
    if not headers:
        return ()
    items: Iterable[tuple[str, bytes | None]] = headers.items() if isinstance(headers, Mapping) else headers
    return items
