"""EnrichmentPool: worker processes / thread, ordering, loop responsiveness, crash recovery."""

from __future__ import annotations

import asyncio
import os
import signal
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from streamproc.config import EnrichSettings
from streamproc.enrich.nlp import load_pipeline
from streamproc.enrich.pipeline import EnrichResult, enrich_articles
from streamproc.enrich.pool import EnrichmentPool, EnrichPoolCrashed, split_chunks
from streamproc.errors import ConfigError, EnrichError
from streamproc.models import Article, PublishedAtSource
from streamproc.pipeline import enrich_isolating_failures

PEOPLE = [
    "Marco Rubio",
    "Daniel Noboa",
    "Donald Trump",
    "Gabriela Sommerfeld",
    "Rafael Correa",
    "Nayib Bukele",
]
PLACES = ["Ecuador", "Quito", "Mexico", "Colombia", "Peru", "China"]


def article(i: int) -> Article:
    person, place = PEOPLE[i % len(PEOPLE)], PLACES[(i * 5) % len(PLACES)]
    body = f"{person} travelled to {place} on Thursday.\n\n{person.split()[-1]} met officials for two days."
    return Article(
        id=f"a{i}",
        title=f"{person.split()[-1]} in {place}",
        subtitle=None,
        section=None,
        authors=[],
        source=None,
        url=None,
        published_at=datetime(2025, 9, 4, tzinfo=UTC),
        published_at_source=PublishedAtSource.DATELINE,
        language="en",
        body=body,
        paragraphs=body.split("\n\n"),
        word_count=len(body.split()),
        images=[],
        fingerprint=f"f{i}",
        format="text",
    )


ARTICLES = [article(i) for i in range(13)]


def names(result: EnrichResult) -> list[str]:
    assert not isinstance(result, EnrichError), result
    return [e.name for e in result[0]]


@pytest.fixture(scope="session")
def expected() -> list[EnrichResult]:
    """What enrich_articles gives in this process: the pool must return exactly this, in order."""
    return enrich_articles(load_pipeline(EnrichSettings().model), ARTICLES, batch_size=4, max_chars=10_000)


def settings(processes: int) -> EnrichSettings:
    return replace(EnrichSettings(), processes=processes, pipe_batch_size=4, max_chars=10_000)


def test_split_chunks_is_contiguous_and_balanced() -> None:
    chunks = split_chunks(ARTICLES, 3)
    assert [len(c) for c in chunks] == [5, 4, 4]
    assert [a for c in chunks for a in c] == ARTICLES
    assert len(split_chunks(ARTICLES[:1], 4)) == 1


async def ticker(stop: asyncio.Event, ticks: list[int]) -> None:
    while not stop.is_set():
        ticks.append(1)
        await asyncio.sleep(0)


@pytest.mark.parametrize("processes", [0, pytest.param(2, marks=pytest.mark.slow)])
def test_pool_matches_in_process_enrichment_and_keeps_the_loop_running(
    processes: int, expected: list[EnrichResult]
) -> None:
    chunks: list[tuple[int, float]] = []

    async def run() -> tuple[list[EnrichResult], int]:
        ticks: list[int] = []
        stop = asyncio.Event()
        async with EnrichmentPool(settings(processes), on_chunk=lambda n, s: chunks.append((n, s))) as pool:
            assert len(pool.workers) == max(processes, 1)
            if processes:
                assert len({w.pid for w in pool.workers}) == processes
                assert os.getpid() not in {w.pid for w in pool.workers}
            task = asyncio.create_task(ticker(stop, ticks))
            results = await pool.enrich(ARTICLES)
            stop.set()
            await task
        return results, len(ticks)

    results, ticks = asyncio.run(run())
    assert results == expected
    assert names(results[0]) == ["Marco Rubio", "Ecuador"]
    # The loop kept running other coroutines while the batch was enriched elsewhere.
    assert ticks > 1
    # Each chunk reported how long it took where it ran (one chunk per process).
    assert [n for n, _ in chunks] == [len(c) for c in split_chunks(ARTICLES, max(processes, 1))]
    assert all(seconds > 0 for _, seconds in chunks)


@pytest.mark.slow
def test_enrich_sync_in_one_process(expected: list[EnrichResult]) -> None:
    with EnrichmentPool(settings(1)) as pool:
        assert pool.enrich_sync(ARTICLES) == expected
        assert pool.enrich_sync([]) == []
    assert not pool.started


@pytest.mark.slow
def test_dead_worker_raises_typed_error_and_pool_recovers(expected: list[EnrichResult]) -> None:
    async def run() -> None:
        async with EnrichmentPool(settings(1)) as pool:
            victim = pool.workers[0].pid
            os.kill(victim, signal.SIGKILL)
            with pytest.raises(EnrichPoolCrashed, match="pool restarted"):
                await pool.enrich(ARTICLES)
            assert pool.restarts == 1
            assert victim not in {w.pid for w in pool.workers}
            assert await pool.enrich(ARTICLES) == expected

    asyncio.run(run())


def test_missing_model_fails_at_start_with_config_error() -> None:
    pool = EnrichmentPool(replace(EnrichSettings(), model="no_such_pipeline_xyz", processes=1))
    with pytest.raises(ConfigError, match="no_such_pipeline_xyz"):
        asyncio.run(pool.start())
    assert not pool.started


@pytest.mark.slow
def test_unusable_model_in_worker_is_a_config_error(tmp_path: object) -> None:
    """A path that exists but is no spaCy pipeline: the worker's load error reaches the parent typed."""
    pool = EnrichmentPool(replace(EnrichSettings(), model=str(tmp_path), processes=1))
    with pytest.raises(ConfigError, match=str(tmp_path)):
        pool.start_sync()
    assert not pool.started


@pytest.mark.slow
def test_batches_in_flight_survive_a_dead_worker_with_one_restart(expected: list[EnrichResult]) -> None:
    """As in the worker: several batches wait in the pool when its process dies; each is retried,
    the pool is recreated once (not once per batch), and every batch gets its full result."""

    async def run() -> None:
        async with EnrichmentPool(settings(1)) as pool:
            os.kill(pool.workers[0].pid, signal.SIGKILL)
            outcomes = await asyncio.gather(*(enrich_isolating_failures(pool, ARTICLES) for _ in range(3)))
            assert pool.restarts == 1
            assert outcomes == [expected] * 3

    asyncio.run(run())


def test_the_french_model_loads_at_start_only_when_preloaded() -> None:
    with EnrichmentPool(settings(1)) as pool:  # default: ("en",), the main model only
        pool.start_sync()
        assert pool.workers[0].preloaded == ()
    french = replace(settings(1), preload_languages=("en", "fr"))
    with EnrichmentPool(french) as pool:
        pool.start_sync()
        assert pool.workers[0].preloaded == ("fr_core_news_sm",)
        assert "preloaded fr_core_news_sm" in pool.describe()
