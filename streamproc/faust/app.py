"""The Faust app class the worker runs: Faust's App on the corrected transport."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import faust
from faust.types import TP, TransportT

from streamproc.faust.local_state import close_tables, open_tables
from streamproc.faust.prefix_store import ChangelogPrefixStore
from streamproc.faust.resume_clear import reread_from_commit
from streamproc.faust.settings import WingSettings
from streamproc.faust.transport import CorrectedTransport

log = logging.getLogger("streamproc.kafka")


class CorrectedApp(faust.App):
    """A Faust app whose consumer and producer carry the corrections (transport.CorrectedTransport).

    Faust builds its transports through ``_new_transport``/``_new_producer_transport``; the broker
    URL's scheme would pick Faust's own aiokafka driver.
    """

    def __init__(self, id: str, *, wing: WingSettings, **options: Any) -> None:
        self.wing = wing
        # Started with the app, before its consumer joins the group (Faust's own tasks start only
        # once the tables are recovered): slow preparations overlap the join and the recovery.
        self.startup_tasks: list[Callable[[], Awaitable[None]]] = []
        super().__init__(id, **options)

    def startup_task(self, task: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
        """Register ``task`` to run from the app's start on (see ``startup_tasks``)."""
        self.startup_tasks.append(task)
        return task

    @property
    def local_tables(self) -> bool:
        """Tables kept on disk by this process (anything but the memory store)."""
        return not str(self.conf.store).startswith("memory:")

    @property
    def prefix_stores_only(self) -> bool:
        """Every table keeps its files a prefix of its changelog (ChangelogPrefixStore)."""
        return all(isinstance(table.data, ChangelogPrefixStore) for table in self.tables.values())

    async def on_first_start(self) -> None:
        await super().on_first_start()
        if self.local_tables:
            # Files a killed worker left are kept when prefix stores wrote them, else discarded.
            open_tables(Path(self.conf.tabledir), prefix_stores=self.prefix_stores_only)
        for task in self.startup_tasks:
            self.add_future(task())

    async def on_stop(self) -> None:
        await super().on_stop()  # the consumer is stopped and the producer flushed
        if self.local_tables and not self._crashed_while_running():
            close_tables(Path(self.conf.tabledir))

    async def _on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
        # The end of the group join: what follows until "rebalance done" is table recovery.
        log.info(
            "partitions assigned",
            extra={"partitions": len(assigned), "generation": generation_id},
        )
        await super()._on_partitions_assigned(assigned, generation_id)

    def on_rebalance_end(self) -> None:
        super().on_rebalance_end()
        # Resuming the flow just cleared the stream queues: read what they held again (resume_clear).
        if not self.client_only:
            reread_from_commit(self.consumer, set(self.tables.changelog_topics))

    def _crashed_while_running(self) -> bool:
        return bool(getattr(self, "crash_reason", None))

    def _new_transport(self) -> TransportT:
        return CorrectedTransport(self.conf.broker_consumer, self, wing=self.wing)

    def _new_producer_transport(self) -> TransportT:
        return CorrectedTransport(self.conf.broker_producer, self, wing=self.wing)
