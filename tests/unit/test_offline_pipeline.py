"""The shared pipeline run offline: same parse, enrich, probe/answer/resolve path as the worker."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import jsonschema
import pytest

from streamproc.config import Settings
from streamproc.enrich.pool import EnrichmentPool
from streamproc.models import Output, RawMessage, SourceOffset, dumps
from streamproc.pipeline import OfflineRunner
from streamproc.schemas import load_schema
from tests.support import REPO, SAMPLES

SCRAPED = (SAMPLES / "000_0095142a0ca8ddae.txt").read_bytes()
DATELINE = (SAMPLES / "001_c8e87acc72cf0d02.txt").read_bytes()


@pytest.fixture(scope="module")
def pool() -> Iterator[EnrichmentPool]:
    with EnrichmentPool(replace(Settings().enrich, processes=0)) as enrichment:
        yield enrichment


def run(pool: EnrichmentPool, payloads: list[bytes]) -> list[Output]:
    now = datetime(2025, 9, 6, tzinfo=UTC)
    raws = [
        RawMessage(payload=p, received_at=now, source_offset=SourceOffset("test", 0, i), timestamp=now)
        for i, p in enumerate(payloads)
    ]
    return list(OfflineRunner(Settings(), pool).run(raws, batch_size=2))


def as_json(output: Output) -> dict[str, object]:
    value: dict[str, object] = json.loads(dumps(output.value))
    return value


def test_every_input_gives_exactly_one_output_in_order(pool: EnrichmentPool) -> None:
    paragraphs = SCRAPED.decode().split("\n")
    near_copy = "\n".join(paragraphs[:8] + paragraphs[9:]).encode()  # one body paragraph dropped
    rewrapped = json.dumps({"title": "Rubio", "body": SCRAPED.decode().split("By AFP |\n", 1)[1]}).encode()
    outputs = run(pool, [SCRAPED, DATELINE, b"", SCRAPED, b"{not json", near_copy, rewrapped])
    assert [o.role for o in outputs] == [
        "enriched",
        "enriched",
        "dlq",
        "duplicates",
        "dlq",
        "duplicates",
        "duplicates",
    ]
    scraped, dateline, empty, copy, malformed, near, wrapped = map(as_json, outputs)
    jsonschema.validate(scraped, load_schema("enriched.v1"))
    jsonschema.validate(copy, load_schema("enriched.v1"))
    jsonschema.validate(empty, load_schema("dlq.v1"))
    assert empty["error"] == {"code": "empty", "message": empty["error"]["message"]}  # type: ignore[index]
    assert malformed["error"]["code"] == "malformed_json"  # type: ignore[index]
    # The DLQ keeps the original bytes so the message can be replayed after a fix.
    assert malformed["payload_b64"] == "e25vdCBqc29u"
    assert copy["dedup"] == {"status": "exact_duplicate", "duplicate_of": scraped["id"], "similarity": 1.0}
    assert near["dedup"]["status"] == "near_duplicate"  # type: ignore[index]
    assert near["dedup"]["duplicate_of"] == scraped["id"]  # type: ignore[index]
    assert near["dedup"]["similarity"] >= 0.8  # type: ignore[index]
    assert wrapped["dedup"]["duplicate_of"] == scraped["id"]  # type: ignore[index]
    # One event reported from two angles: not duplicates, one story; copies join it too.
    assert scraped["dedup"]["status"] == dateline["dedup"]["status"] == "unique"  # type: ignore[index]
    assert len({scraped["story_id"], dateline["story_id"], copy["story_id"], near["story_id"]}) == 1


def test_a_replayed_message_gets_the_same_verdict(pool: EnrichmentPool) -> None:
    # Same source offset twice (a re-read after a crash): never a duplicate of itself.
    now = datetime(2025, 9, 6, tzinfo=UTC)
    raw = RawMessage(payload=SCRAPED, received_at=now, source_offset=SourceOffset("t", 1, 7), timestamp=now)
    runner = OfflineRunner(Settings(), pool)
    first = list(runner.run([raw]))
    again = list(runner.run([raw]))
    assert [o.role for o in first + again] == ["enriched", "enriched"]
    assert as_json(first[0])["dedup"] == as_json(again[0])["dedup"]


def _process(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "streamproc", "process", *args],
        capture_output=True,
        cwd=REPO,
        timeout=300,
        check=True,
    )


def test_process_command_prints_one_json_line_per_input() -> None:
    done = _process(str(SAMPLES))
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    # Scripts pair output lines with their inputs: exactly one line each, in input order.
    assert [line["topic"] for line in lines] == ["news.enriched"] * 2
    for article in lines:
        assert article["key"] == article["value"]["id"]
        jsonschema.validate(article["value"], load_schema("enriched.v1"))
    assert b"2 enriched, 0 duplicate(s), 0 dead letter(s), 0 story record(s)" in done.stderr


def test_process_command_with_stories_follows_each_article_with_its_story() -> None:
    done = _process("--stories", str(SAMPLES))
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    # Each article's line is followed by the record of the story it joined, which lists it.
    assert [line["topic"] for line in lines] == ["news.enriched", "news.stories"] * 2
    for article, story in zip(lines[::2], lines[1::2], strict=True):
        assert story["key"] == story["value"]["id"] == article["value"]["story_id"]
        assert story["input"] == article["input"]
        assert article["value"]["id"] in [a["id"] for a in story["value"]["articles"]]
        jsonschema.validate(story["value"], load_schema("stories.v1"))
    assert b"2 enriched, 0 duplicate(s), 0 dead letter(s), 2 story record(s)" in done.stderr


def test_an_undated_copy_arriving_a_year_later_does_not_evict_the_original(pool: EnrichmentPool) -> None:
    # The dedup clock is arrival time, not published_at: an undated copy (stamped with today's
    # ingestion time) must neither escape as unique nor push the dated original out of the horizon.
    now = datetime(2026, 11, 22, tzinfo=UTC)
    body = SCRAPED.decode().split("By AFP |\n", 1)[1]
    paragraphs = body.split("\n")
    payloads = [SCRAPED, json.dumps({"body": body}).encode(), "\n\n".join(paragraphs[1:]).encode()]
    raws = [
        RawMessage(payload=p, received_at=now, source_offset=SourceOffset("t", 0, i), timestamp=now)
        for i, p in enumerate(payloads)
    ]
    original, undated, near = map(as_json, OfflineRunner(Settings(), pool).run(raws))
    assert original["published_at"].startswith("2025-09")  # type: ignore[union-attr]
    assert undated["dedup"]["status"] == "exact_duplicate"  # type: ignore[index]
    assert near["dedup"]["status"] == "near_duplicate"  # type: ignore[index]
    assert near["dedup"]["duplicate_of"] == original["id"]  # type: ignore[index]
    assert near["story_id"] == original["story_id"]


def test_two_reports_of_one_event_give_one_story_listing_both(pool: EnrichmentPool) -> None:
    stories = REPO / "tests" / "fixtures" / "stories" / "a"
    payloads = [(stories / name).read_bytes() for name in ("a-e01-1.json", "a-e01-2.json")]
    now = datetime.now(UTC)  # the reports' datelines are read relative to their arrival
    raws = [
        RawMessage(payload=p, received_at=now, source_offset=SourceOffset("test", 0, i), timestamp=now)
        for i, p in enumerate(payloads)
    ]
    outputs = list(OfflineRunner(Settings(), pool, with_stories=True).run(raws))
    assert [o.role for o in outputs] == ["enriched", "stories", "enriched", "stories"]
    first, founded, second, grown = map(as_json, outputs)
    assert first["story_id"] == second["story_id"] == founded["id"] == grown["id"]
    assert {o.key for o in outputs[1::2]} == {first["story_id"]}
    assert [a["id"] for a in founded["articles"]] == [first["id"]]  # type: ignore[index]
    assert grown["article_count"] == 2
    assert sorted(a["id"] for a in grown["articles"]) == sorted([first["id"], second["id"]])  # type: ignore[attr-defined]
    for story in (founded, grown):
        jsonschema.validate(story, load_schema("stories.v1"))


def test_without_stories_the_runner_gives_one_output_per_input(pool: EnrichmentPool) -> None:
    assert [o.role for o in run(pool, [SCRAPED, DATELINE])] == ["enriched", "enriched"]
