"""Stories in the worker on a real broker: the dev set produced in one burst over four partitions.

Reports of one event race each other through the join (an article can meet another whose story is
not decided yet); the stories desk merges what the race split and publishes news.stories. From the
topic alone a consumer must find every story id an article carries, every duplicate in its
original's story, and the same stories as the offline command gives for the same input order.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from streamproc.config import Settings
from streamproc.enrich.pool import EnrichmentPool
from streamproc.models import RawMessage, SourceOffset
from streamproc.pipeline import OfflineRunner
from streamproc.schemas import load_schema
from streamproc.stories.book import current_stories
from streamproc.stories.quality import clusters_of, disagreements, pairwise
from tests.support import Env, produce_to_partitions, read_topic, wait_for_records

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

STORIES = Path(__file__).parents[1] / "fixtures" / "stories"
FILES = sorted(STORIES.glob("[ab]/*.json"))
PARTITIONS = 4


@pytest.fixture
def env(kafka_bootstrap: str, tmp_path: Path) -> Iterator[Env]:
    yield Env(kafka_bootstrap, tmp_path, partitions=PARTITIONS)


def offline_records(payloads: list[bytes]) -> list[dict[str, Any]]:
    """The records of ``streamproc process``'s pipeline over the same input order."""
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
        outputs = list(OfflineRunner(Settings(), pool).run(raws))
    return [dict(o.value) for o in outputs]


def links(story_records: list[dict[str, Any]]) -> dict[str, str]:
    """``{article id: "-> linked article (score)"}``: why each article joined, from the last
    news.stories record that lists it."""
    out: dict[str, str] = {}
    for story in story_records:
        for article in story["articles"]:
            link = article.get("link")
            out[article["id"]] = "started" if link is None else f"-> {link['linked_to']} ({link['score']})"
    return out


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


def resolved(latest: dict[str, dict[str, Any]], story_id: str) -> str:
    seen: list[str] = []
    while latest[story_id]["merged_into"] is not None:
        assert story_id not in seen, f"merged_into cycle through {seen}"
        seen.append(story_id)
        story_id = latest[story_id]["merged_into"]
    return story_id


def test_a_burst_gives_the_offline_stories_with_no_orphan_ids(env: Env) -> None:
    payloads = [path.read_bytes() for path in FILES]
    with env.worker() as worker:
        produce_to_partitions(env, [(p, i % PARTITIONS) for i, p in enumerate(payloads)])
        outputs = wait_for_records(env, "enriched", 1, timeout=300)
        outputs = [*read_topic(env, "enriched"), *read_topic(env, "duplicates")]
        deadline = time.monotonic() + 300
        while len(outputs) < len(payloads) and time.monotonic() < deadline:
            time.sleep(3)
            outputs = [*read_topic(env, "enriched"), *read_topic(env, "duplicates")]
        assert len(outputs) == len(payloads), worker.log_tail()
        story_records = settled_stories(env)
    records = {r["value"]["id"]: r["value"] for r in outputs}
    schema = load_schema("stories.v1")
    for story in story_records:
        jsonschema.validate(story["value"], schema)
        assert story["key"] == story["value"]["id"]
    latest = {r["value"]["id"]: r["value"] for r in story_records}  # as compaction keeps them
    # No orphan ids: every story id an article carries has a record, and leads to a current story
    # that lists the article.
    current = current_stories(r["value"] for r in story_records)
    worker_stories: dict[str, str] = {}
    for article_id, record in records.items():
        assert record["story_id"] in latest, (article_id, record["story_id"])
        final = resolved(latest, record["story_id"])
        assert article_id in {a["id"] for a in current[final]["articles"]}, (article_id, final)
        worker_stories[article_id] = final
    for record in records.values():  # a duplicate is in its original's story
        original = record["dedup"]["duplicate_of"]
        if original is not None and original in worker_stories:
            assert worker_stories[record["id"]] == worker_stories[original], record["id"]
    # The same stories as offline, for the same input order.
    offline_outputs = offline_records(payloads)
    offline = {r["id"]: r["story_id"] for r in offline_outputs}
    agreement = pairwise(clusters_of(worker_stories), clusters_of(offline))
    print(f"worker vs offline pairwise agreement: {agreement}")
    names = {
        r["id"]: f"{path.name}@p{i % PARTITIONS}"
        for i, (r, path) in enumerate(zip(offline_outputs, FILES, strict=True))
    }
    worker_links = links([r["value"] for r in story_records])
    for row in disagreements(worker_stories, offline):
        print(
            f"  differs: {names[row['article']]} ({worker_links.get(row['article'])}) in worker with"
            f" {[names[a] for a in row['with']]}, offline with {[names[a] for a in row['expected_with']]}"
        )
    assert agreement.f1 >= 0.98, agreement
