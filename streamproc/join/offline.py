"""The join driven in-process: the worker's key owner and collector over dicts, one input at a time."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

from streamproc.config import Settings
from streamproc.join.collector import Collector, Publication
from streamproc.join.messages import ArticlePart, Part, Probe, ProbesMessage
from streamproc.join.owner import KeyOwner
from streamproc.join.pending import Pending
from streamproc.metrics import Metrics


class NoMarkers(MutableMapping[str, Any]):
    """A ``published`` table that remembers nothing: offline output is a function of the input
    sequence alone, so an input given twice is published twice (with the same verdict)."""

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __setitem__(self, key: str, value: Any) -> None:
        pass

    def __delitem__(self, key: str) -> None:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


class OfflineJoin:
    """Every input meets the same key owner and collector as in the worker, on one partition."""

    PARTITION = 0

    def __init__(
        self,
        settings: Settings,
        metrics: Metrics | None = None,
        *,
        keys_table: MutableMapping[str, Any] | None = None,
        pending_table: MutableMapping[str, Any] | None = None,
    ) -> None:
        # Plain dicts unless a caller (the dedup benchmark) wants to see the values serialised.
        self.owner = KeyOwner(settings, {} if keys_table is None else keys_table, metrics)
        self.collector = Collector(
            settings, {} if pending_table is None else pending_table, NoMarkers(), metrics
        )

    def join(self, article: Pending, probes: list[Probe]) -> Publication:
        """The publication of one input, its answers taken from the keys of every input before it."""
        parts: list[Part] = [ArticlePart(article)]
        for _, replies in self.owner.handle(self.PARTITION, ProbesMessage(probes)):
            parts.extend(replies.parts())
        publication = None
        for part in parts:
            publication = self.collector.take(self.PARTITION, part) or publication
        if publication is None:
            raise RuntimeError(f"{article.source_key}: the join did not complete")
        for assignment in publication.story_assignments:
            self.owner.assign(assignment)
        self.collector.published_out(publication)
        self.collector.delivered(publication)
        return publication
