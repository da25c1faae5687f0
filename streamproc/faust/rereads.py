"""Re-read requests: partitions to seek back before the consumer's next fetch.

``StallWatch`` (dropped_records) and ``OrderGuard`` (record_order) find records that must be read
again; the consumer (transport.CorrectedConsumer) performs the seeks in ``getmany``, between
deliveries, because a seek made while Faust's drain loop is inside a delivery is overwritten by
Faust's read offset right after.
"""

from __future__ import annotations

from typing import Any


class RereadRequests:
    """Offsets to read partitions again from, by topic-partition; the latest request wins."""

    def __init__(self) -> None:
        self._wanted: dict[Any, int] = {}

    def request(self, tp: Any, offset: int) -> None:
        self._wanted[tp] = offset

    def take(self) -> dict[Any, int]:
        """Every request made so far (each one is handed out once)."""
        wanted, self._wanted = self._wanted, {}
        return wanted

    def pending(self) -> dict[Any, int]:
        """The requests not yet taken (for checks and tests)."""
        return dict(self._wanted)
