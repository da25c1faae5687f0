"""The corrected commit guard: never commit past an offset that was fetched but not acked."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from intervaltree import IntervalTree

from streamproc.kafka import faust_fixes
from streamproc.kafka.faust_fixes import commit_would_skip


def test_guard_blocks_a_single_unacked_head_offset() -> None:
    # committed (next to read) = 31, 31 never acked, 32.. acked: Faust 0.15 would commit 34.
    assert commit_would_skip(31, [32, 33], [])
    assert commit_would_skip(0, [1, 2], [])  # Faust skipped the check when committed == 0
    assert not commit_would_skip(31, [31, 32], [])
    assert not commit_would_skip(31, [33], [31])  # 31-32 are a known gap (no messages there)
    assert not commit_would_skip(None, [5], [])  # nothing committed yet: nothing to protect


class _StubConsumer:
    def __init__(self, committed: int, acked: list[int]) -> None:
        self._acked: dict[Any, list[int]] = defaultdict(list, {"tp": list(acked)})
        self._acked_index: dict[Any, set[int]] = defaultdict(set, {"tp": set(acked)})
        self._gap: dict[Any, IntervalTree] = defaultdict(IntervalTree)
        self._committed_offset: dict[Any, int | None] = defaultdict(lambda: None, {"tp": committed})


def test_patched_consumer_waits_at_the_first_unacked_offset() -> None:
    from faust.transport.consumer import Consumer

    faust_fixes.apply()
    faust_fixes.apply()  # idempotent
    assert Consumer._new_offset(_StubConsumer(31, [32, 33]), "tp") is None  # type: ignore[arg-type]
    assert Consumer._new_offset(_StubConsumer(31, [31, 32, 33]), "tp") == 34  # type: ignore[arg-type]
