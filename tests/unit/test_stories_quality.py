"""Quality floor of story clustering on the stories development set, through the offline pipeline.

Set a was used to tune the story parameters; set b is the held-out check (see README "Stories").
Floors sit a little below what ``benchmarks/quality_stories.py`` measures, so a change that makes
stories worse fails here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from streamproc.config import Settings
from streamproc.enrich.pool import EnrichmentPool
from streamproc.models import RawMessage, SourceOffset, dumps
from streamproc.pipeline import OfflineRunner
from streamproc.stories.book import article_story
from streamproc.stories.profile import dateline_day, dateline_time
from streamproc.stories.quality import score_stories

STORIES = Path(__file__).parents[1] / "fixtures" / "stories"
# The previous rule (>= 2 shared names) scored pairwise F1 0.70 on a and 0.58 on b, and joined
# 4 and 6 of the 12 hard negatives of each set. On c, without the headline factor, the same company's
# job cuts days after its tender and a strike after an outbreak in the same city joined (F1 0.93).
# Without the headline name-word keys, reports naming a place apart never met (a 0.954, c 0.985).
FLOORS = {
    "a": (0.96, 0),
    # b: a drugmaker's trial data and its job cuts the same day share one event word (vaccine) and
    # every name: names count from two shared event terms on (0.983 and 1 hard negative without).
    "b": (0.99, 0),
    "c": (0.99, 0),
    "d": (0.85, 0),
    # e: blind when written, a development set since; read in file order (out of event order, as in
    # a backfill) its follow-ups only meet their reports through claims ahead in event time (0.81).
    "e": (0.87, 0),
    # f: blind when written, a development set since. h: reactions, local angles and explainers
    # that share no salient name with the report (without the st:~<stem> term keys: f 0.940, h 0.333).
    "f": (0.95, 0),
    # g: blind when written (a held-out check of one change), a development set since. Figures as
    # terms joined a derby's analysis and its reports (81-78, 17 turnovers; 0.924 without).
    "g": (0.93, 0),
    "h": (0.65, 1),
    # i: blind when written (held out for one run: 0.909, 2 hard negatives), a development set since.
    # A cabinet's rental bill joined the housing march two days before it through a next-day feature
    # on the march: the time of a story told within a day is taken to the reports the article
    # resembles (0.909 and 2 hard negatives joined without).
    "i": (0.95, 0),
}  # (pairwise F1 at least, hard negatives joined at most)
# In publication order (a live feed): d's ten-day story splits where reports are 3+ days apart
# without the long-running rule (F1 0.80).
# e: names the recogniser missed ("Independiente") in a headline made a transfer dispute three days
# after a derby a follow-up of the match (0.83, 2 hard negatives joined).
# f: reports of one air traffic control strike naming other countries meet only through the term
# keys (0.900 without).
# g: a dengue explainer meets its report through the toll (612) and the derby's pieces through the
# score (0.951 without figures).
# i: the rental bill, as in file order (0.919 and 2 hard negatives joined without).
PUBLICATION_FLOORS = {"d": (0.89, 1), "e": (0.87, 0), "f": (0.95, 0), "g": (0.96, 0), "i": (0.96, 0)}


@pytest.fixture(scope="module")
def pool() -> Iterator[EnrichmentPool]:
    with EnrichmentPool(replace(Settings().enrich, processes=0)) as enrichment:
        yield enrichment


def stories_of(pool: EnrichmentPool, files: list[Path]) -> dict[str, str]:
    """``{gold id: story id}`` of the files run in order, arriving one millisecond apart."""
    now = datetime.now(UTC).timestamp()
    raws = [
        RawMessage(
            payload=path.read_bytes(),
            received_at=datetime.fromtimestamp(now, UTC),
            source_offset=SourceOffset("dev", 0, index),
            timestamp=datetime.fromtimestamp(now + index * 1e-3, UTC),
        )
        for index, path in enumerate(files)
    ]
    outputs = list(OfflineRunner(Settings(), pool, with_stories=True).run(raws))
    ids = [json.loads(path.read_text(encoding="utf-8"))["id"] for path in files]
    # Each article's story as a consumer of news.stories finds it (through merged_into).
    latest = {o.key: json.loads(dumps(o.value)) for o in outputs if o.role == "stories"}
    records: list[dict[str, Any]] = [o.value for o in outputs if o.role != "stories"]  # JSON dicts
    assert len(records) == len(ids) and all(o.role != "dlq" for o in outputs)
    return {
        gold_id: article_story(latest, record["story_id"], record["id"]) or record["story_id"]
        for gold_id, record in zip(ids, records, strict=True)
    }


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_story_quality_floor(pool: EnrichmentPool, name: str) -> None:
    gold = json.loads((STORIES / f"gold_{name}.json").read_text(encoding="utf-8"))
    scores = score_stories(stories_of(pool, sorted((STORIES / name).glob("*.json"))), gold)
    min_f1, max_joined = FLOORS[name]
    assert scores.pairwise.f1 >= min_f1, scores
    assert len(scores.hard_negatives_joined) <= max_joined, scores.hard_negatives_joined
    assert scores.syndicated_in_original_story == scores.syndicated


def published(path: Path) -> float:
    """An input's stated publication time, else its dateline's day (2026, as in every set)."""
    item = json.loads(path.read_text(encoding="utf-8"))
    if item.get("published_at"):
        return datetime.fromisoformat(item["published_at"].replace("Z", "+00:00")).timestamp()
    day = dateline_day(item["text"])
    assert day is not None, path
    moment = dateline_time(day, datetime(2026, 12, 31, tzinfo=UTC).timestamp())
    assert moment is not None
    return moment


@pytest.mark.parametrize("name", sorted(PUBLICATION_FLOORS))
def test_story_quality_floor_in_publication_order(pool: EnrichmentPool, name: str) -> None:
    gold = json.loads((STORIES / f"gold_{name}.json").read_text(encoding="utf-8"))
    files = sorted((STORIES / name).glob("*.json"), key=published)
    scores = score_stories(stories_of(pool, files), gold)
    min_f1, max_joined = PUBLICATION_FLOORS[name]
    assert scores.pairwise.f1 >= min_f1, scores
    assert len(scores.hard_negatives_joined) <= max_joined, scores.hard_negatives_joined
