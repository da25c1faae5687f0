"""Learned aliases in the real worker: taught and looked up through the keyed join on a real broker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from streamproc.enrich.names import entity_id
from tests.support import Env, free_port, produce_to_partitions, wait_for_records
from tests.unit.test_aliases import ARTICLES, TRUNCATED_ARTICLES, offline


@pytest.fixture
def env(kafka_bootstrap: str, tmp_path: Path) -> Iterator[Env]:
    yield Env(kafka_bootstrap, tmp_path, partitions=4)


def test_worker_names_an_acronym_read_first_alike_in_every_later_article(env: Env) -> None:
    items = [
        json.dumps({"title": title, "text": text, "published_at": f"2024-05-1{i}T10:00:00Z"}).encode()
        for i, (title, text) in enumerate(ARTICLES)
    ]
    with env.worker(port=free_port()) as worker:
        # One input partition, in order: the teaching article is joined before the last one asks.
        produce_to_partitions(env, [(items[0], 2), (items[1], 2)])
        wait_for_records(env, "enriched", 2)
        produce_to_partitions(env, [(items[2], 2)])
        records = wait_for_records(env, "enriched", 3)
        assert len(records) == 3, worker.log_tail()
    by_title = {r["value"]["title"]: r["value"] for r in records}
    # "GM" alone came first: the article introducing "General Motors (GM)" and the next "GM" take
    # that first name through the table's answers, as ``streamproc process`` does.
    gm = ("GM", entity_id("GM", "ORG"))
    for (title, _), expected in zip(ARTICLES, offline(ARTICLES), strict=True):
        got = [(e["name"], e["entity_id"]) for e in by_title[title]["entities"] if e["type"] == "ORG"]
        offline_orgs = [(e["name"], e["entity_id"]) for e in expected["entities"] if e["type"] == "ORG"]
        assert got == [gm] == offline_orgs
    third = next(e for e in by_title[ARTICLES[2][0]]["entities"] if e["name"] == "GM")
    assert third["surface_forms"] == ["GM"]


def test_worker_names_a_name_cut_short_as_streamproc_process_does(env: Env) -> None:
    items = [
        json.dumps({"title": title, "text": text, "published_at": f"2024-05-1{i}T10:00:00Z"}).encode()
        for i, (title, text) in enumerate(TRUNCATED_ARTICLES)
    ]
    with env.worker(port=free_port()) as worker:
        produce_to_partitions(env, [(items[0], 1)])
        wait_for_records(env, "enriched", 1)
        produce_to_partitions(env, [(items[1], 1)])
        records = wait_for_records(env, "enriched", 2)
        assert len(records) == 2, worker.log_tail()
    by_title = {r["value"]["title"]: r["value"]["entities"] for r in records}
    expected = {r["title"]: r["entities"] for r in offline(TRUNCATED_ARTICLES)}
    for title, _ in TRUNCATED_ARTICLES:
        got = [(e["name"], e["entity_id"], e["surface_forms"]) for e in by_title[title]]
        assert got == [(e["name"], e["entity_id"], e["surface_forms"]) for e in expected[title]]
    assert [e["name"] for e in by_title[TRUNCATED_ARTICLES[1][0]] if e["type"] == "ORG"] == [
        "Samsung Electronics"
    ]
