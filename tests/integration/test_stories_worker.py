"""Stories in the worker on a real broker: the dev set produced in one burst over four partitions.

Reports of one event race each other through the join (a key's owner can store a report that comes
later in input order before an earlier one); the decision counts only earlier reports, claims later
ones decided first, and the stories desk merges what the race split and publishes news.stories.
From the topic alone a consumer must find every story id an article carries, every duplicate in its
original's story, and the same stories as the offline command gives for the same input order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from streamproc.schemas import load_schema
from streamproc.stories.quality import clusters_of, disagreements, pairwise
from tests.stories_harness import links, offline_records, run_burst
from tests.support import Env

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

STORIES = Path(__file__).parents[1] / "fixtures" / "stories"
FILES = sorted(STORIES.glob("[ab]/*.json"))
PARTITIONS = 4


@pytest.fixture
def env(kafka_bootstrap: str, tmp_path: Path) -> Iterator[Env]:
    yield Env(kafka_bootstrap, tmp_path, partitions=PARTITIONS)


def test_a_burst_gives_the_offline_stories_with_no_orphan_ids(env: Env) -> None:
    payloads = [path.read_bytes() for path in FILES]
    burst = run_burst(env, payloads)
    assert len(burst.records) == len(payloads), burst.log_tail
    schema = load_schema("stories.v1")
    for story in burst.story_records:
        jsonschema.validate(story["value"], schema)
        assert story["key"] == story["value"]["id"]
    # No orphan ids: every story id an article carries has a record, and leads (no loop) to a
    # current story that lists the article; a duplicate is in its original's story.
    assert (burst.orphans, burst.cycles, burst.duplicates_apart) == ([], [], [])
    # The same stories as offline, for the same input order.
    offline_outputs = offline_records(payloads)
    offline = {r["id"]: r["story_id"] for r in offline_outputs}
    agreement = pairwise(clusters_of(burst.stories), clusters_of(offline))
    print(f"worker vs offline pairwise agreement: {agreement}; moved articles: {len(burst.moved)}")
    names = {
        r["id"]: f"{path.name}@p{i % PARTITIONS}"
        for i, (r, path) in enumerate(zip(offline_outputs, FILES, strict=True))
    }
    worker_links = links(burst.story_records)
    for row in disagreements(burst.stories, offline):
        print(
            f"  differs: {names[row['article']]} ({worker_links.get(row['article'])}) in worker with"
            f" {[names[a] for a in row['with']]}, offline with {[names[a] for a in row['expected_with']]}"
        )
    assert agreement.f1 >= 0.98, agreement
