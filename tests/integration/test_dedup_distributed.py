"""Distributed dedup and stories on a real broker: two workers, four partitions, then a restart.

Copies are produced on other partitions than their originals, so every verdict needs the keyed
probe/reply join across partitions (and, with two workers, across processes). After both workers
stop, a fresh worker with the same app id must still catch copies: the dedup tables are recovered
from their changelog topics.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support import SAMPLES, Env, free_port, produce_to_partitions, resolved_stories, wait_for_records

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

SAMPLE_000 = next(SAMPLES.glob("000_*.txt")).read_bytes()
SAMPLE_001 = next(SAMPLES.glob("001_*.txt")).read_bytes()
REWORDED_SENTENCE = (
    "Rubio said that such interdictions did not work as they were not costly enough to gangs.",
    "According to Rubio, interdictions of this kind had failed because they cost the gangs too little.",
)


def _lines_000() -> tuple[list[str], int, list[str]]:
    """Sample 000's lines, the index of its byline, and its body paragraphs (after the byline)."""
    lines = SAMPLE_000.decode().splitlines()
    byline = next(i for i, line in enumerate(lines) if line.startswith("By AFP"))
    return lines, byline, [line for line in lines[byline + 1 :] if line.strip()]


def sample_000_without_paragraph(index: int) -> bytes:
    lines, byline, paragraphs = _lines_000()
    dropped = paragraphs[index]
    return "\n".join([*lines[: byline + 1], *(x for x in lines[byline + 1 :] if x != dropped)]).encode()


def sample_000_as_json(published_at: str) -> bytes:
    # A JSON feed of the same article carries its date; without one the event time would be the
    # ingestion time, over a year after the sample's, outside the 7-day dedup horizon (by design).
    lines, _, paragraphs = _lines_000()
    item = {"title": lines[1], "body": "\n\n".join(paragraphs), "published_at": published_at}
    return json.dumps(item).encode()


def sample_001_reworded() -> bytes:
    old, new = REWORDED_SENTENCE
    text = SAMPLE_001.decode()
    assert text.count(old) == 1
    return text.replace(old, new).encode()


def by_raw_partition(records: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Output values by the raw partition they were read from (each test message has its own)."""
    out: dict[int, dict[str, Any]] = {}
    for record in records:
        partition = record["value"]["source_offset"]["partition"]
        assert partition not in out, f"two outputs for raw partition {partition}"
        out[partition] = record["value"]
    return out


@dataclass(frozen=True)
class Copy:
    name: str
    payload: bytes
    partition: int
    original: dict[str, Any]  # the original's enriched record


def assert_caught(copies: list[Copy], duplicates: list[dict[str, Any]]) -> None:
    """Each copy (the only one from its raw partition in ``duplicates``) points at its original."""
    for copy in copies:
        matches = [
            r["value"] for r in duplicates if r["value"]["source_offset"]["partition"] == copy.partition
        ]
        assert len(matches) == 1, (
            f"{copy.name}: {len(matches)} duplicates from raw partition {copy.partition}"
        )
        [record] = matches
        original = copy.original
        dedup = record["dedup"]
        # What the fingerprint says decides exact vs near: same normalised body, exact duplicate.
        if record["fingerprint"] == original["fingerprint"]:
            assert dedup["status"] == "exact_duplicate", (copy.name, dedup)
        else:
            assert dedup["status"] == "near_duplicate", (copy.name, dedup)
            assert dedup["similarity"] >= 0.8, (copy.name, dedup)
        assert dedup["duplicate_of"] == original["id"], (copy.name, dedup)
        assert record["story_id"] == original["story_id"], copy.name
        assert record["source_offset"]["partition"] != original["source_offset"]["partition"], copy.name


@pytest.fixture(params=["memory://", "rocksdb://"])
def env(kafka_bootstrap: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Env]:
    # Both table stores: memory (rebuilt from the changelogs at each start) and RocksDB (on disk).
    yield Env(kafka_bootstrap, tmp_path, partitions=4, extra={"STREAMPROC_WORKER_STORE": request.param})


def test_copies_on_other_partitions_are_caught_by_two_workers_and_after_a_restart(env: Env) -> None:
    with env.worker(port=free_port()) as first, env.worker(port=free_port()) as second:
        # Originals first, and only once they are out, the copies: "first seen" is unambiguous.
        produce_to_partitions(env, [(SAMPLE_000, 0), (SAMPLE_001, 1)])
        enriched = wait_for_records(env, "enriched", 2)
        assert len(enriched) == 2, first.log_tail() + second.log_tail()
        originals = by_raw_partition(enriched)
        original_000, original_001 = originals[0], originals[1]
        for original in (original_000, original_001):
            assert original["dedup"]["status"] == "unique"
            assert original["dedup"]["duplicate_of"] is None
        # Two angles on one event: not duplicates, but one story.
        # (Resolved through news.stories: in a burst the later report may found a story first.)
        resolved, latest = resolved_stories(env, [original_000, original_001])
        assert len(resolved) == 1 and None not in resolved, latest
        assert original_000["fingerprint"] != original_001["fingerprint"]

        copies = [
            Copy("exact copy of 000", SAMPLE_000, 2, original_000),
            Copy("000 re-wrapped as JSON", sample_000_as_json(original_000["published_at"]), 3, original_000),
            Copy("000 without a paragraph", sample_000_without_paragraph(6), 1, original_000),
            Copy("001 with a sentence reworded", sample_001_reworded(), 0, original_001),
        ]
        produce_to_partitions(env, [(c.payload, c.partition) for c in copies])
        duplicates = wait_for_records(env, "duplicates", len(copies))
        assert len(duplicates) == len(copies), first.log_tail() + second.log_tail()
        assert_caught(copies, duplicates)
        statuses = sorted(r["value"]["dedup"]["status"] for r in duplicates)
        # Same bytes and the JSON re-wrap normalise to the original's body; the edits do not.
        assert statuses == ["exact_duplicate", "exact_duplicate", "near_duplicate", "near_duplicate"]

        first.stop()  # SIGTERM: the second worker takes over every partition...
        assert first.proc.returncode is not None
        second.stop()  # ...then it goes too: no process holds the tables any more.

    # A fresh worker (new process, new web port and data dir, same app id) rebuilds the tables from
    # their changelogs.
    with env.worker(port=free_port()) as fresh:
        later = [
            Copy("another exact copy of 001", SAMPLE_001, 3, original_001),
            Copy("000 without another paragraph", sample_000_without_paragraph(3), 2, original_000),
        ]
        produce_to_partitions(env, [(c.payload, c.partition) for c in later])
        everything = wait_for_records(env, "duplicates", len(copies) + len(later))
        assert len(everything) == len(copies) + len(later), fresh.log_tail()
        seen = {(r["partition"], r["offset"]) for r in duplicates}
        new = [r for r in everything if (r["partition"], r["offset"]) not in seen]
        assert_caught(later, new)
        # Nothing was published twice after the restart, and no copy was taken for an original.
        assert len(wait_for_records(env, "enriched", 3, timeout=5)) == 2
        assert wait_for_records(env, "dlq", 1, timeout=1) == []


SYNTHETIC = [
    {
        "title": "Norwegian fishing fleet rescues stranded whales near Tromso",
        "published_at": "2026-11-20T08:00:00Z",
        "body": (
            "Fishermen from Tromso in northern Norway freed three humpback whales trapped in nets on "
            "Thursday, coastguard spokesman Lars Henriksen said.\n\n"
            "The crew of the trawler Nordlys worked for six hours in freezing water off the island of "
            "Senja before the animals swam free. Henriksen praised the skipper, Ingrid Solberg, for "
            "alerting the Norwegian Coast Guard within minutes.\n\n"
            "Marine biologists at the University of Tromso said humpback whales follow herring into the "
            "fjords every winter, and entanglements have grown more common as the fishing season lengthens."
        ),
    },
    {
        "title": "Kenyan runner breaks course record at Tokyo marathon",
        "published_at": "2026-11-19T06:00:00Z",
        "body": (
            "Kenyan athlete Faith Wanjiru won the Tokyo Marathon on Sunday in a course record of two hours "
            "and sixteen minutes, beating Ethiopian rival Almaz Bekele by forty seconds.\n\n"
            "Wanjiru, who trains in Iten in the Rift Valley, pulled away near the Imperial Palace with five "
            "kilometres to go. Organisers from the Japan Association of Athletics Federations said a "
            "record thirty-eight thousand runners finished the race.\n\n"
            "Her coach, Patrick Kiprono, said she would now prepare for the Boston Marathon in April."
        ),
    },
    {
        "title": "Chilean vineyards count losses after late frost in Maule",
        "published_at": "2026-11-18T12:00:00Z",
        "body": (
            "Winegrowers in Chile's Maule region lost up to half of their grapes to a late spring frost, "
            "the agriculture ministry in Santiago said on Tuesday.\n\n"
            "Minister Carolina Fuentes visited vineyards near Talca and promised emergency credit through "
            "the state bank BancoEstado. Producers' association Vinos de Chile put the damage at forty "
            "million dollars.\n\n"
            "Growers such as Rodrigo Alvarez said frost fans and sprinklers saved only the largest estates."
        ),
    },
    {
        "title": "Indian space agency tests reusable rocket stage off Sriharikota",
        "published_at": "2026-11-17T04:00:00Z",
        "body": (
            "The Indian Space Research Organisation landed a reusable rocket stage on a barge in the Bay of "
            "Bengal on Monday after a launch from Sriharikota, chairman Venkat Raghavan said.\n\n"
            "Engineers in Bengaluru had spent three years on the landing legs and guidance software. Prime "
            "Minister Narendra Modi congratulated the team in a message from New Delhi.\n\n"
            "Analysts said the test puts India closer to cheaper launches for satellite operators."
        ),
    },
]


def test_unrelated_articles_get_different_stories(env: Env) -> None:
    with env.worker() as worker:
        produce_to_partitions(env, [(json.dumps(item).encode(), i % 4) for i, item in enumerate(SYNTHETIC)])
        records = wait_for_records(env, "enriched", len(SYNTHETIC))
        assert len(records) == len(SYNTHETIC), worker.log_tail()
    values = {r["value"]["title"]: r["value"] for r in records}
    assert set(values) == {item["title"] for item in SYNTHETIC}
    for value in values.values():
        assert value["dedup"]["status"] == "unique"
        assert value["entities"], value["title"]  # stories are told apart by who and where
    assert len({v["story_id"] for v in values.values()}) == len(SYNTHETIC)
