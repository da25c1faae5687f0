"""End to end on a real broker: `streamproc produce` the samples, a worker, `streamproc consume`."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from streamproc.schemas import load_schema
from tests.support import SAMPLES, Env, produce, resolved_stories

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def test_samples_flow_from_raw_to_enriched(kafka_bootstrap: str, tmp_path: Path) -> None:
    env = Env(kafka_bootstrap, tmp_path)
    with env.worker() as worker:
        done = produce(env, [SAMPLES])
        assert b"sent 2 message(s)" in done.stderr
        records = env.consume("enriched", expect=2)
        assert len(records) == 2, worker.log_tail()
        status, body = worker.get("/metrics")
    assert status == 200
    assert "streamproc_records_published_total" in body and "faust_messages_received" in body

    schema = load_schema("enriched.v1")
    values = {r["value"]["title"]: r["value"] for r in records}
    for record in records:
        jsonschema.validate(record["value"], schema)
        assert record["key"] == record["value"]["id"]
        assert record["value"]["source_offset"]["topic"] == env.topics["raw"]
        assert record["value"]["dedup"]["status"] == "unique"
    scraped = values["Rubio ramps up Ecuador support in tough anti-crime drive"]
    names = {e["name"] for e in scraped["entities"]}
    assert {"Marco Rubio", "Daniel Noboa", "Ecuador", "United States"} <= names
    # The two samples report one event from two angles: one story, not duplicates. In a burst over
    # two partitions the later report can be decided first and found a story that the earlier one
    # then absorbs (merged_into), so the story is resolved as a consumer of news.stories does.
    resolved, latest = resolved_stories(env, list(values.values()))
    assert len(resolved) == 1 and None not in resolved, latest
    assert env.consume("duplicates", expect=1, timeout=3) == []
    assert env.consume("dlq", expect=1, timeout=3) == []
