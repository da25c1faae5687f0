"""A complete input's verdict and story, and the record published for it (pure, replay-safe)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from streamproc.config import DedupSettings, Settings
from streamproc.dedup import new_story_id, resolve
from streamproc.join.messages import StoryAssignment
from streamproc.join.pending import Pending
from streamproc.metrics import Metrics
from streamproc.models import Dedup, TopicRole, dumps


@dataclass(frozen=True, slots=True)
class Resolution:
    dedup: Dedup
    story_id: str
    assignments: list[StoryAssignment]  # to send to the story keys' owners

    @property
    def new_story(self) -> bool:
        # A duplicate never starts a story: it carries its original's. An exact copy has its
        # original's id, hence story id new_story_id(id) and no assignments, yet started nothing.
        return self.dedup.status == "unique" and not self.assignments


def resolve_pending(pending: Pending, settings: DedupSettings) -> Resolution:
    """Verdict and story of a complete pending input (pure, deterministic, replay-safe)."""
    if not pending.complete or pending.keys is None or pending.record is None:
        raise ValueError(f"{pending.source_key} is not complete")
    keys = pending.keys
    article_id: str = pending.record["id"]
    dedup, story_id = resolve(
        keys=keys,
        article_id=article_id,
        source_key=pending.source_key,
        event_time=pending.event_time,
        answers={key: reply.earlier for key, reply in pending.replies.items()},
        settings=settings,
    )
    # Entries are stored before the story is known and stand for their own story meanwhile
    # (new_story_id(article id)), so only an article that joined an older story must say so.
    assignments = []
    if story_id != new_story_id(article_id):
        assignments = [StoryAssignment(k, pending.source_key, story_id) for k in keys.story_keys]
    return Resolution(dedup, story_id, assignments)


@dataclass(frozen=True, slots=True)
class Finished:
    role: TopicRole
    record: dict[str, Any]
    story_assignments: list[StoryAssignment]


class Finalizer:
    """Turns a complete pending input into its output record."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def finish(self, pending: Pending, metrics: Metrics | None = None) -> Finished:
        started = time.perf_counter()
        resolution = resolve_pending(pending, self.settings.dedup)
        assert pending.record is not None
        record = dict(pending.record)
        record["dedup"] = orjson.loads(dumps(resolution.dedup))
        record["story_id"] = resolution.story_id
        record["processed_at"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        role: TopicRole = "enriched" if resolution.dedup.status == "unique" else "duplicates"
        if metrics is not None:
            if resolution.dedup.status != "unique":
                metrics.duplicates.labels(kind=resolution.dedup.status.removesuffix("_duplicate")).inc()
            if resolution.new_story:
                metrics.stories_created.inc()
            metrics.stage_duration.labels(stage="dedup").observe(time.perf_counter() - started)
        return Finished(role, record, resolution.assignments)
