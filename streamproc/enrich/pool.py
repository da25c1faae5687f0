"""Enrichment off the event loop: worker processes, each with the spaCy pipeline loaded once.

``EnrichmentPool.enrich`` splits a batch into one contiguous chunk per process and awaits the
chunks through ``loop.run_in_executor``, so the asyncio loop keeps serving heartbeats, commits and
the web endpoint while NER runs. Processes are started with ``spawn`` (the Faust worker has
threads; forking a threaded process can deadlock). ``processes=0`` runs in one thread of the
calling process instead (still off the loop; NER then shares the GIL with the worker).

A worker that dies (segfault, OOM kill) breaks a ``ProcessPoolExecutor`` for good: the pool is
recreated and the batch fails with ``EnrichPoolCrashed`` so the caller can retry or dead-letter it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, TypeAlias

from streamproc.config import EnrichSettings
from streamproc.enrich.nlp import (
    load_pipeline_info,
    missing_model_error,
    model_is_available,
    model_name,
    router_for,
)
from streamproc.enrich.pipeline import EnrichResult, enrich_articles
from streamproc.errors import ConfigError, EnrichError
from streamproc.models import Article

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)


class EnrichPoolCrashed(EnrichError):
    """A worker process died while enriching this batch; the pool has been recreated."""


@dataclass(frozen=True, slots=True)
class ChunkDone:
    """One chunk's results and the seconds its enrichment took in the worker."""

    results: list[EnrichResult]
    seconds: float


# Called with (articles, seconds) for every enriched chunk (the worker feeds its stage metric).
ChunkObserver: TypeAlias = Callable[[int, float], None]


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    pid: int
    load_seconds: float
    components: tuple[str, ...]
    preloaded: tuple[str, ...] = ()  # other languages' NER models loaded at start


def _load_with_preloads(model: str, preload_languages: tuple[str, ...]) -> tuple[Language, WorkerInfo]:
    """The main pipeline, and the models of ``enrich.preload_languages`` loaded into its router."""
    loaded = load_pipeline_info(model)
    router = router_for(loaded.nlp)
    router.preload(preload_languages)
    preloaded = tuple(model_name(nlp) for nlp in router.loaded.values() if nlp is not None)
    return loaded.nlp, WorkerInfo(os.getpid(), loaded.load_seconds, loaded.enabled, preloaded)


# Per worker process: the pipeline loaded by the initializer, or why it could not be loaded.
_worker_nlp: Language | None = None
_worker_info: WorkerInfo | None = None
_worker_error: Exception | None = None
_worker_barrier: threading.Barrier | None = None  # a multiprocessing Barrier (same interface)

_WARM_TIMEOUT_S = 600.0
_PARENT_POLL_S = 0.5
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_SINGLE_THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


def _exit_with_parent(parent_pid: int, death_signal: bool) -> None:
    """End this process as soon as ``parent_pid`` is gone, however it died (SIGKILL included).

    A pool process blocks on its call queue, whose pipe it holds both ends of, so it never sees the
    parent go; without this it would run forever (with ~170 MB of model), and so would the
    multiprocessing resource tracker it keeps open. Linux: the kernel sends SIGKILL on the parent's
    death (PR_SET_PDEATHSIG; only when the spawning thread is the parent's main thread, as the
    signal follows the thread); everywhere: a daemon thread notices the parent pid change.
    """
    if death_signal:
        _set_parent_death_signal()
    if os.getppid() != parent_pid:  # the parent died before we got here
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(_PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _set_parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the polling thread alone does it
        pass


def _init_worker(
    model: str,
    preload_languages: tuple[str, ...],
    barrier: threading.Barrier,
    parent_pid: int,
    death_signal: bool,
) -> None:
    """Process initializer: load the pipeline once. Errors are kept and raised by each task, so the
    parent gets a typed error naming the model instead of a bare BrokenProcessPool."""
    global _worker_nlp, _worker_info, _worker_error, _worker_barrier
    _exit_with_parent(parent_pid, death_signal)
    _worker_barrier = barrier
    # Ctrl+C goes to the whole process group: let the parent decide when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # One BLAS thread per process: N processes on N cores must not oversubscribe them.
    for name in _SINGLE_THREAD_ENV:
        os.environ.setdefault(name, "1")
    try:
        _worker_nlp, _worker_info = _load_with_preloads(model, preload_languages)
    except Exception as exc:
        _worker_error = exc if isinstance(exc, ConfigError) else ConfigError(f"{model!r}: {exc}")


def _worker_pipeline() -> Language:
    if _worker_nlp is None:
        raise _worker_error or ConfigError("enrichment worker has no pipeline")
    return _worker_nlp


def _warm() -> WorkerInfo:
    """Start-up task, one per process: the barrier holds each worker until all have loaded, so no
    worker can take two of them and every process reports (and is ready) before the first batch."""
    assert _worker_barrier is not None
    try:
        _worker_pipeline()
    except BaseException:
        _worker_barrier.abort()  # release the others at once: start() fails with our error
        raise
    _worker_barrier.wait(timeout=_WARM_TIMEOUT_S)
    assert _worker_info is not None
    return _worker_info


def _warm_infos(outcomes: Sequence[WorkerInfo | BaseException]) -> list[WorkerInfo]:
    """The workers' infos, or the most telling start-up error (a ConfigError over a broken barrier)."""
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    if errors:
        raise next((e for e in errors if isinstance(e, ConfigError)), errors[0])
    return [o for o in outcomes if isinstance(o, WorkerInfo)]


def _enrich_chunk(articles: Sequence[Article], batch_size: int, max_chars: int) -> ChunkDone:
    return _enrich_timed(_worker_pipeline(), articles, batch_size, max_chars)


def _enrich_timed(nlp: Language, articles: Sequence[Article], batch_size: int, max_chars: int) -> ChunkDone:
    # Timed where it runs: in the parent, a chunk's wall time would include its wait in the queue.
    started = time.perf_counter()
    results = enrich_articles(nlp, articles, batch_size=batch_size, max_chars=max_chars)
    return ChunkDone(results, time.perf_counter() - started)


def split_chunks(articles: Sequence[Article], parts: int) -> list[Sequence[Article]]:
    """``parts`` contiguous chunks of near-equal size (fewer if there are fewer articles)."""
    parts = max(1, min(parts, len(articles)))
    size, extra = divmod(len(articles), parts)
    chunks: list[Sequence[Article]] = []
    at = 0
    for index in range(parts):
        end = at + size + (1 if index < extra else 0)
        chunks.append(articles[at:end])
        at = end
    return chunks


@dataclass(frozen=True, slots=True)
class _Launch:
    """An executor whose workers are loading the pipeline: ``warming`` ends when each has."""

    executor: Executor
    warming: list[Future[WorkerInfo]]


# NER processes started by ``launch_ahead``, by settings, until a pool of this process adopts them.
_launched_ahead: dict[EnrichSettings, _Launch] = {}


def launch_ahead(settings: EnrichSettings) -> None:
    """Start the NER processes of ``settings`` loading now, for the first ``EnrichmentPool`` of
    these settings to adopt (its ``start`` then only waits for them).

    The worker's CLI calls it before its own imports (Faust, the app: 1-6 s after a restart): the
    NER processes' spaCy import and model load, the longest part of a restart, then run beside
    them instead of after. A missing model raises ConfigError here. In-thread pools
    (``processes=0``) load in this process, which must not hold the GIL now: nothing is launched.
    """
    if settings.processes > 0 and settings not in _launched_ahead:
        _launched_ahead[settings] = EnrichmentPool(settings)._launch_new()


class EnrichmentPool:
    """Runs ``enrich_articles`` for batches of articles in ``settings.processes`` worker processes.

    Use ``async with EnrichmentPool(settings) as pool: results = await pool.enrich(batch)`` in the
    worker, or ``with EnrichmentPool(settings) as pool: pool.enrich_sync(batch)`` offline.
    """

    def __init__(self, settings: EnrichSettings, on_chunk: ChunkObserver | None = None) -> None:
        if settings.processes < 0:
            raise ConfigError("enrich.processes must be >= 0")
        self.settings = settings
        self.on_chunk = on_chunk
        self._executor: Executor | None = None
        self._launched: _Launch | None = None  # processes loading, not yet waited for
        self._thread_nlp: Language | None = None
        self._restart_lock = asyncio.Lock()
        # Several batches are in flight: while a crashed pool restarts, another batch may call
        # start() too; one executor must come out of it, not two.
        self._start_lock = asyncio.Lock()
        self.workers: list[WorkerInfo] = []
        self.restarts = 0

    @property
    def processes(self) -> int:
        return self.settings.processes

    @property
    def started(self) -> bool:
        return self._executor is not None

    # -- lifecycle -------------------------------------------------------------------------------

    def _new_executor(self) -> Executor:
        if not model_is_available(self.settings.model):
            raise missing_model_error(self.settings.model)
        if self.processes == 0:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="enrich")
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=context,
            initializer=_init_worker,
            # Processes are spawned by the thread that submits the warm-up tasks right after this.
            initargs=(
                self.settings.model,
                self.settings.preload_languages,
                context.Barrier(self.processes),
                os.getpid(),
                threading.current_thread() is threading.main_thread(),
            ),
        )

    def _launch_new(self) -> _Launch:
        executor = self._new_executor()
        try:
            return _Launch(executor, self._warm_futures(executor))
        except BaseException:
            executor.shutdown(wait=False, cancel_futures=True)
            raise

    def _warm_futures(self, executor: Executor) -> list[Future[WorkerInfo]]:
        if self.processes == 0:
            return [executor.submit(self._load_in_thread)]
        return [executor.submit(_warm) for _ in range(self.processes)]

    def _load_in_thread(self) -> WorkerInfo:
        self._thread_nlp, info = _load_with_preloads(self.settings.model, self.settings.preload_languages)
        return info

    def launch(self) -> None:
        """Start the workers loading the pipeline, without waiting: ``start`` waits for them.

        Adopts the processes ``launch_ahead`` started in this process for the same settings."""
        if self._executor is not None or self._launched is not None:
            return
        self._launched = _launched_ahead.pop(self.settings, None) or self._launch_new()

    def _take_launched(self) -> _Launch:
        self.launch()
        launched, self._launched = self._launched, None
        assert launched is not None
        return launched

    async def start(self) -> None:
        """Start the workers (unless launched) and wait until each has loaded the pipeline."""
        async with self._start_lock:
            if self._executor is not None:
                return
            launched = self._take_launched()
            try:
                outcomes = await asyncio.gather(
                    *(asyncio.wrap_future(f) for f in launched.warming), return_exceptions=True
                )
                infos = _warm_infos(outcomes)
            except BaseException:
                launched.executor.shutdown(wait=False, cancel_futures=True)
                raise
            self._executor = launched.executor
            self.workers = infos
        log.info("enrichment pool ready: %s", self.describe())

    def start_sync(self) -> None:
        if self._executor is not None:
            return
        launched = self._take_launched()
        try:
            concurrent.futures.wait(launched.warming)
            infos = _warm_infos([f.exception() or f.result() for f in launched.warming])
        except BaseException:
            launched.executor.shutdown(wait=False, cancel_futures=True)
            raise
        self._executor = launched.executor
        self.workers = infos

    def describe(self) -> str:
        mode = f"{self.processes} process(es)" if self.processes else "in-process thread"
        loads = ", ".join(f"{w.load_seconds:.2f}s" for w in self.workers)
        components = self.workers[0].components if self.workers else ()
        preloaded = self.workers[0].preloaded if self.workers else ()
        also = f", preloaded {', '.join(preloaded)}" if preloaded else ""
        return f"{self.settings.model} [{'+'.join(components)}] on {mode}, load {loads}{also}"

    def close_sync(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        self._thread_nlp = None

    async def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.get_running_loop().run_in_executor(
                None, lambda: executor.shutdown(wait=True, cancel_futures=True)
            )
        self._thread_nlp = None

    async def __aenter__(self) -> EnrichmentPool:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def __enter__(self) -> EnrichmentPool:
        self.start_sync()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close_sync()

    # -- work ------------------------------------------------------------------------------------

    def _submit(self, executor: Executor, articles: Sequence[Article]) -> list[Future[ChunkDone]]:
        batch_size, max_chars = self.settings.pipe_batch_size, self.settings.max_chars
        if self.processes == 0:
            nlp = self._thread_nlp
            assert nlp is not None
            return [executor.submit(_enrich_timed, nlp, articles, batch_size, max_chars)]
        return [
            executor.submit(_enrich_chunk, list(chunk), batch_size, max_chars)
            for chunk in split_chunks(articles, self.processes)
        ]

    async def enrich(self, articles: Sequence[Article]) -> list[EnrichResult]:
        """One result per article, in order: ``(entities, dates)`` or the ``EnrichError`` for it.

        Raises ``EnrichPoolCrashed`` (after recreating the pool) if a worker process died.
        """
        if not articles:
            return []
        if self._executor is None:
            await self.start()
        executor = self._executor
        assert executor is not None
        try:
            # submit() itself raises BrokenProcessPool once the pool noticed a dead worker.
            futures = self._submit(executor, articles)
            chunks = await asyncio.gather(*(asyncio.wrap_future(f) for f in futures))
        except BrokenProcessPool as exc:
            await self._restart(executor)
            raise EnrichPoolCrashed(
                f"an enrichment worker process died during a batch of {len(articles)} articles "
                f"(pool restarted): {exc}"
            ) from exc
        return self._results(chunks)

    def _results(self, chunks: Sequence[ChunkDone]) -> list[EnrichResult]:
        if self.on_chunk is not None:
            for chunk in chunks:
                self.on_chunk(len(chunk.results), chunk.seconds)
        return [result for chunk in chunks for result in chunk.results]

    def enrich_sync(self, articles: Sequence[Article]) -> list[EnrichResult]:
        """Blocking ``enrich`` for the offline command (starts the pool if needed)."""
        if not articles:
            return []
        self.start_sync()
        executor = self._executor
        assert executor is not None
        try:
            chunks = [future.result() for future in self._submit(executor, articles)]
        except BrokenProcessPool as exc:
            self._restart_sync(executor)
            raise EnrichPoolCrashed(
                f"an enrichment worker process died during a batch of {len(articles)} articles "
                f"(pool restarted): {exc}"
            ) from exc
        return self._results(chunks)

    async def _restart(self, broken: Executor) -> None:
        async with self._restart_lock:
            if self._executor is not broken:  # another caller already restarted it
                return
            log.error("enrichment worker process died: recreating the pool")
            self._executor = None
            broken.shutdown(wait=False, cancel_futures=True)
            self.restarts += 1
            await self.start()

    def _restart_sync(self, broken: Executor) -> None:
        if self._executor is not broken:
            return
        log.error("enrichment worker process died: recreating the pool")
        self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)
        self.restarts += 1
        self.start_sync()
