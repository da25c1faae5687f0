"""The stories burst through a real worker, shared by its integration test and the quality benchmark.

Articles are produced all at once over the topic's partitions (article ``i`` on partition
``i % partitions``, in order, so the Kafka timestamps give the input order); the worker's records
and news.stories are read back, each article's story is resolved through ``merged_into`` as a
consumer of the compacted topic would, and the same inputs are run through ``streamproc process``'s
pipeline in the same order for comparison.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from streamproc.config import Settings
from streamproc.enrich.pool import EnrichmentPool
from streamproc.models import RawMessage, SourceOffset, dumps
from streamproc.pipeline import OfflineRunner
from streamproc.stories.book import article_story, current_stories
from tests.support import Env, produce_to_partitions, read_topic


@dataclass
class Burst:
    """What a burst gave: records by article id, the news.stories records, each article's story."""

    records: dict[str, dict[str, Any]]
    story_records: list[dict[str, Any]]
    stories: dict[str, str] = field(default_factory=dict)  # article id -> current story id
    orphans: list[str] = field(default_factory=list)  # story id without a record, or not listing it
    cycles: list[str] = field(default_factory=list)  # story ids whose merged_into chain loops
    duplicates_apart: list[str] = field(default_factory=list)  # duplicates not in their original's story
    moved: list[str] = field(default_factory=list)  # articles a story lists as moved to another
    log_tail: str = ""


def offline_records(payloads: list[bytes]) -> list[dict[str, Any]]:
    """The records of ``streamproc process``'s pipeline over the same inputs in the same order, each
    ``story_id`` the current story as a consumer of its news.stories finds it (a backfill read out of
    event order merges a follow-up's story into the report it follows)."""
    now = datetime.now(UTC).timestamp()
    raws = [
        RawMessage(
            payload=payload,
            received_at=datetime.fromtimestamp(now, UTC),
            source_offset=SourceOffset("offline", 0, index),
            timestamp=datetime.fromtimestamp(now + index * 1e-3, UTC),
        )
        for index, payload in enumerate(payloads)
    ]
    with EnrichmentPool(replace(Settings().enrich, processes=0)) as pool:
        outputs = list(OfflineRunner(Settings(), pool, with_stories=True).run(raws))
    latest = {o.key: json.loads(dumps(o.value)) for o in outputs if o.role == "stories"}
    records = [dict(o.value) for o in outputs if o.role != "stories"]
    return [
        {**r, "story_id": article_story(latest, r["story_id"], r["id"]) or r["story_id"]} for r in records
    ]


def settled_stories(env: Env, quiet_s: float = 10.0, timeout: float = 180.0) -> list[dict[str, Any]]:
    """news.stories once no new record has come for ``quiet_s``."""
    deadline = time.monotonic() + timeout
    records = read_topic(env, "stories")
    while time.monotonic() < deadline:
        time.sleep(quiet_s)
        again = read_topic(env, "stories")
        if len(again) == len(records):
            return again
        records = again
    return records


def resolved(latest: dict[str, dict[str, Any]], story_id: str) -> str | None:
    """The current story ``story_id`` leads to through ``merged_into``; None if the chain loops."""
    seen: set[str] = set()
    while latest[story_id]["merged_into"] is not None:
        if story_id in seen:
            return None
        seen.add(story_id)
        story_id = latest[story_id]["merged_into"]
        if story_id not in latest:
            return story_id
    return story_id


def run_burst(env: Env, payloads: list[bytes], timeout: float = 300.0) -> Burst:
    """Produce ``payloads`` at once over ``env``'s partitions through a worker; what came out."""
    with env.worker() as worker:
        produce_to_partitions(env, [(p, i % env.partitions) for i, p in enumerate(payloads)])
        deadline = time.monotonic() + timeout
        outputs = [*read_topic(env, "enriched"), *read_topic(env, "duplicates")]
        while len(outputs) < len(payloads) and time.monotonic() < deadline:
            time.sleep(3)
            outputs = [*read_topic(env, "enriched"), *read_topic(env, "duplicates")]
        story_records = settled_stories(env) if len(outputs) == len(payloads) else read_topic(env, "stories")
        burst = Burst(
            {r["value"]["id"]: r["value"] for r in outputs}, story_records, log_tail=worker.log_tail()
        )
    check_stories(burst)
    return burst


def check_stories(burst: Burst) -> None:
    """Each article's current story, and the orphan ids, loops and separated duplicates."""
    values = [r["value"] for r in burst.story_records]
    latest = {v["id"]: v for v in values}  # as compaction keeps them
    current = current_stories(values)
    burst.moved = sorted({a["id"] for v in latest.values() for a in v["articles"] if a.get("moved_to")})
    for article_id, record in burst.records.items():
        if record["story_id"] not in latest:
            burst.orphans.append(article_id)
            continue
        if resolved(latest, record["story_id"]) is None:
            burst.cycles.append(record["story_id"])
            continue
        # Through merged_into, then moved_to where a story lists the article as moved (a race undone).
        final = article_story(latest, record["story_id"], article_id)
        if final is None or final not in current:
            burst.orphans.append(article_id)
        else:
            burst.stories[article_id] = final
    for record in burst.records.values():
        original = record["dedup"]["duplicate_of"]
        apart = original in burst.stories and burst.stories.get(record["id"]) != burst.stories[original]
        if original is not None and apart:
            burst.duplicates_apart.append(record["id"])


def links(story_records: list[dict[str, Any]]) -> dict[str, str]:
    """``{article id: "-> linked article (score)"}``: why each article joined, from the last
    news.stories record that lists it."""
    out: dict[str, str] = {}
    for story in story_records:
        for article in story["value"]["articles"]:
            link = article.get("link")
            out[article["id"]] = "started" if link is None else f"-> {link['linked_to']} ({link['score']})"
    return out
