"""Is the worker ready, how far behind is it, how late does its event loop run: one place."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from typing import Any

import faust

from streamproc.kafka.clients import BrokerProbe, readiness
from streamproc.metrics import Metrics

LOOP_PROBE_INTERVAL_S = 0.25


class Health:
    def __init__(
        self,
        app: faust.App,
        metrics: Metrics,
        consumed_topics: Collection[str],
        broker: BrokerProbe | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.consumed_topics = frozenset(consumed_topics)
        self.model_loaded = asyncio.Event()  # set once the enrichment processes are up
        self.broker = broker  # while it cannot reach the broker, the worker is not ready

    def tables_recovered(self) -> bool:
        recovery: Any = self.app.tables.recovery  # type: ignore[attr-defined]  # not in Faust's type stubs
        return bool(recovery.completed.is_set())

    def is_ready(self) -> bool:
        return bool(self.readiness()["ready"])

    def readiness(self) -> dict[str, Any]:
        return readiness(self.model_loaded.is_set(), self.tables_recovered(), self.broker)[1]

    def measure_lag(self) -> None:
        """Consumer lag per assigned partition (end offset minus committed offset) and readiness.

        Faust's monitor has no lag metric. Input and internal topics count, so a stuck join shows
        too; changelogs do not (they are never committed).
        """
        consumer = self.app.consumer
        committed_offsets = getattr(consumer, "_committed_offset", {})
        for tp in consumer.assignment():
            highwater = consumer.highwater(tp)
            if tp.topic not in self.consumed_topics or highwater is None:
                continue
            lag = max(0, highwater - (committed_offsets.get(tp) or 0))
            self.metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(lag)
        self.metrics.ready.set(1 if self.is_ready() else 0)

    async def watch_event_loop(self) -> None:
        """Forever: how late the loop runs a sleep of LOOP_PROBE_INTERVAL_S."""
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(LOOP_PROBE_INTERVAL_S)
            self.metrics.event_loop_lag.set(max(0.0, loop.time() - before - LOOP_PROBE_INTERVAL_S))
