"""``Ingestor.process_pipelined`` (the perf fix found by the bench): same results, same order as one
``process_batch``, and the next chunk's enrichment is already submitted while a chunk is handled."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from streamproc.bench.corpus import CorpusSpec, generate_corpus
from streamproc.config import Settings
from streamproc.enrich.pipeline import EnrichResult
from streamproc.models import Article, DeadLetter, RawMessage, SourceOffset
from streamproc.pipeline import Ingested, Ingestor


class RecordingPool:
    """Enriches with no entities/dates and logs when each chunk was submitted."""

    def __init__(self, events: list[str]) -> None:
        self.events = events
        self.calls = 0

    async def enrich(self, articles: Sequence[Article]) -> list[EnrichResult]:
        self.calls += 1
        self.events.append(f"enrich {self.calls}")
        await asyncio.sleep(0)
        return [([], []) for _ in articles]


def raws(count: int) -> list[RawMessage]:
    items = generate_corpus(CorpusSpec(articles=count, seed=11, bad_share=0.1))
    now = datetime(2025, 9, 5, tzinfo=UTC)
    return [
        RawMessage(item.payload, now, SourceOffset("raw", 0, index), timestamp=now)
        for index, item in enumerate(items)
    ]


def keys(items: Sequence[DeadLetter | Ingested]) -> list[str]:
    return [item.key if isinstance(item, DeadLetter) else item.pending.source_key for item in items]


def test_pipelined_matches_one_batch_in_order_and_overlaps() -> None:
    batch = raws(40)
    ingestor = Ingestor(Settings())
    whole = asyncio.run(ingestor.process_batch(batch, RecordingPool([])))

    events: list[str] = []
    pool = RecordingPool(events)

    async def consume() -> list[DeadLetter | Ingested]:
        out: list[DeadLetter | Ingested] = []
        async for item in ingestor.process_pipelined(batch, pool, chunk_size=16):
            events.append(f"handle item {len(out)}")
            await asyncio.sleep(0)  # as a send would: lets the next chunk's task run
            out.append(item)
        return out

    pipelined = asyncio.run(consume())
    assert keys(pipelined) == keys(whole)
    assert [type(item) for item in pipelined] == [type(item) for item in whole]
    assert pool.calls == 3  # 40 articles (some bad, never enriched) in chunks of 16
    # Chunk 2 is being enriched while chunk 1's items are handled (one chunk at a time would
    # enrich it only after "handle item 15").
    assert events.index("enrich 2") < events.index("handle item 1")
    assert events.index("enrich 3") < events.index("handle item 17")
