"""``Ingestor.start_batch`` / ``finish_batch`` (how the worker keeps NER busy): batches started
ahead are enriched while an earlier one is handled, and the results are those of one
``process_batch``, in input order."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from streamproc.bench.corpus import CorpusSpec, generate_corpus
from streamproc.config import Settings
from streamproc.enrich.pipeline import EnrichedParts, EnrichResult
from streamproc.errors import EnrichError
from streamproc.models import Article, DeadLetter, Enrichment, RawMessage, SourceOffset
from streamproc.pipeline import Ingested, Ingestor


class RecordingPool:
    """Enriches with no entities/dates; logs each call's start and end; can fail one call."""

    def __init__(self, events: list[str], fail_call: int | None = None) -> None:
        self.events = events
        self.calls = 0
        self.fail_call = fail_call

    async def enrich(self, articles: Sequence[Article]) -> list[EnrichResult]:
        self.calls += 1
        call = self.calls
        self.events.append(f"enrich {call}")
        await asyncio.sleep(0.01)
        self.events.append(f"enriched {call}")
        if call == self.fail_call:
            raise EnrichError("worker died")
        return [EnrichedParts([], [], Enrichment(ner="test")) for _ in articles]


def raws(count: int) -> list[RawMessage]:
    items = generate_corpus(CorpusSpec(articles=count, seed=11, bad_share=0.1))
    now = datetime(2025, 9, 5, tzinfo=UTC)
    return [
        RawMessage(item.payload, now, SourceOffset("raw", 0, index), timestamp=now)
        for index, item in enumerate(items)
    ]


def keys(items: Sequence[DeadLetter | Ingested]) -> list[str]:
    return [item.key if isinstance(item, DeadLetter) else item.pending.source_key for item in items]


def test_batches_started_ahead_match_one_batch_in_order() -> None:
    messages = raws(40)
    ingestor = Ingestor(Settings())
    whole = asyncio.run(ingestor.process_batch(messages, RecordingPool([])))

    events: list[str] = []
    pool = RecordingPool(events)

    async def run() -> list[DeadLetter | Ingested]:
        started = [ingestor.start_batch(messages[at : at + 16], pool) for at in range(0, 40, 16)]
        out: list[DeadLetter | Ingested] = []
        for batch in started:
            for item in await ingestor.finish_batch(batch):
                events.append(f"handle item {len(out)}")
                out.append(item)
        return out

    ahead = asyncio.run(run())
    assert keys(ahead) == keys(whole)
    assert [type(item) for item in ahead] == [type(item) for item in whole]
    assert sum(isinstance(item, DeadLetter) for item in ahead) >= 1  # bad inputs stay in place
    assert pool.calls == 3
    # Every batch's enrichment was under way before the first item was handled.
    assert events.index("enrich 3") < events.index("handle item 0")


def test_a_failed_batch_is_retried_without_disturbing_the_others() -> None:
    messages = raws(32)
    ingestor = Ingestor(Settings())
    pool = RecordingPool([], fail_call=1)

    async def run() -> list[list[DeadLetter | Ingested]]:
        started = [ingestor.start_batch(messages[at : at + 16], pool) for at in (0, 16)]
        return [await ingestor.finish_batch(batch) for batch in started]

    first, second = asyncio.run(run())
    assert keys(first) == keys(asyncio.run(ingestor.process_batch(messages[:16], RecordingPool([]))))
    assert keys(second) == keys(asyncio.run(ingestor.process_batch(messages[16:], RecordingPool([]))))
    # The retry enriched the first batch (no article became an enrich dead letter).
    assert not any(isinstance(item, DeadLetter) and item.stage == "enrich" for item in first + second)
    assert pool.calls == 3


def test_a_batch_of_only_bad_inputs_never_calls_the_pool() -> None:
    ingestor = Ingestor(Settings())
    pool = RecordingPool([])
    bad = [RawMessage(b"\x00not an article", datetime(2025, 9, 5, tzinfo=UTC), SourceOffset("raw", 0, 0))]
    (item,) = asyncio.run(ingestor.process_batch(bad, pool))
    assert isinstance(item, DeadLetter) and item.stage == "parse"
    assert pool.calls == 0
