"""Correction: records Faust throws away when recovery resumes the flow are read again at once.

At the end of a rebalance Faust resumes the stream partitions, seeks them to their committed
offsets and only then resumes flow control, and resuming flow control clears every stream's
queue (mode's ``FlowControlEvent.resume``; the queues are made with ``clear_on_resume``). Records
fetched during that seek were already in the queues and past Faust's read offset: they are gone
untracked, neither processed nor acked. A later record shows the hole as an offset jump
(offset_jumps), but a partition whose last records all went shows nothing: it waited for the
stall watch (dropped_records), 11 s or more after a restart in the paced SIGKILL scenario, and
forever when the watch could not see it. After each rebalance (``on_rebalance_end``, which
follows the clearing) every assigned stream partition is therefore read again from its committed
offset; at most the records fetched in between come twice, and every stage is idempotent by
source offset.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("streamproc.kafka")


def reread_from_commit(consumer: Any, changelog_topics: set[str]) -> dict[Any, int]:
    """Ask (``consumer.rereads``) for every assigned stream partition to be read again from its
    committed offset (none committed yet: from the start, as ``auto_offset_reset`` reads)."""
    wanted: dict[Any, int] = {}
    for tp in consumer.assignment():
        if tp.topic in changelog_topics:
            continue  # table recovery reads those itself
        committed = consumer._committed_offset.get(tp)
        wanted[tp] = committed if committed is not None else 0
        consumer.rereads.request(tp, wanted[tp])
    if wanted:
        log.info(
            "rebalance done: stream partitions read again from their committed offsets",
            extra={"partitions": len(wanted)},
        )
    return wanted
