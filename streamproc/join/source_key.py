"""The source key: where an input came from, ``topic/partition/offset``, formatted and parsed here only.

It keys everything the join keeps about one input (its pending article, its published marker,
its answers) and names the partition that collects them: answers go back to the partition the
input was read from. Offline input without a Kafka position gets a content address in place of
the offset (``payload/0/<digest>``), so its key is stable too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceKey:
    topic: str
    partition: int
    position: str  # the offset, or a content digest for input without a Kafka position

    @classmethod
    def at(cls, topic: str, partition: int, offset: int) -> SourceKey:
        return cls(topic, int(partition), str(int(offset)))

    @classmethod
    def of_payload(cls, payload: bytes) -> SourceKey:
        return cls("payload", 0, hashlib.blake2b(payload, digest_size=8).hexdigest())

    @classmethod
    def parse(cls, text: str) -> SourceKey:
        """The key ``text`` formats (``str``); ValueError for anything else."""
        topic, partition, position = text.rsplit("/", 2)
        return cls(topic, int(partition), position)

    def __str__(self) -> str:
        return f"{self.topic}/{self.partition}/{self.position}"

    @property
    def offset(self) -> int | None:
        """The Kafka offset, None for a content-addressed key."""
        return int(self.position) if self.position.isdigit() else None

    def earlier(self, distance: int) -> SourceKey | None:
        """The key ``distance`` offsets back on the same partition, if there is one."""
        offset = self.offset
        if offset is None or offset - distance < 0:
            return None
        return SourceKey.at(self.topic, self.partition, offset - distance)


def reply_partition(source_key: str) -> int:
    """Answers for an input go to the partition it was read from (so its owner collects them)."""
    return SourceKey.parse(source_key).partition
