"""Story quality on the stories development set, offline through the real CLI, and the story stage's cost.

For each set ``DIR/<name>/`` with gold ``DIR/gold_<name>.json`` (default DIR: tests/fixtures/stories;
set a was used for tuning, set b is the held-out check), and for both sets in one stream, the
articles go through ``streamproc process`` (the real command) in two orders: file order, and the
order of their stated publication times (a live feed). Printed and written to
benchmarks/results/stories.json:

- pairwise and B-cubed precision/recall/F1 of the story ids against the gold clusters;
- hard-negative pairs (same actors, different events) put in one story; syndicated copies in their
  original's story;
- the same for the previous rule (>= 2 shared salient names, overlap coefficient >= 0.3), replayed
  on the very same enriched records in the same run: the baseline;
- the story stage's cost per article (profile + decision) against NER (spaCy) per article, in-process.

With ``--worker``, also through a real broker and worker (the integration test's harness,
``tests/stories_harness.py``): every set's articles in one stream, file order, produced all at once
over 4 partitions; the same scores per set from the worker's stories (resolved through
``merged_into`` as a consumer of news.stories would), orphan story ids, duplicates outside their
original's story, and the pairwise agreement with the offline pipeline over the same input order.
``--no-offline`` runs the worker part alone (other sections of the results file are kept).

With ``--sweep``, also the threshold sensitivity: pairwise F1 and hard negatives joined for each set
and order at ``dedup.story_min_score`` from 0.12 to 0.26, through the same offline dataflow as
``streamproc process`` (``OfflineRunner``) run in-process, each article enriched once.

With ``--negatives``, also every pair put in one story against the gold, every hard negative joined,
and the near misses: hard negatives kept apart whose score (the later one against a candidate story
holding the other) came within 20% of the threshold, per set and order.

With ``--explain``, also every pair of reports the gold joins and the offline run separates, per set
and order: the later one's score against the earlier one, its parts (term and name cosines, time and
headline factors) and whether the earlier one was ever a candidate through the routing keys.

    .venv/bin/python benchmarks/quality_stories.py [DIR] [--worker [--no-offline]] [--sweep]
        [--explain] [--negatives] [--broker-port P] [--out FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

from streamproc.config import DedupSettings, EnrichSettings, ParseSettings, Settings
from streamproc.dedup.index import KeyEntry
from streamproc.dedup.probes import story_params
from streamproc.dedup.stories import choose_story, new_story_id, story_entity_names, story_routing_keys
from streamproc.enrich.nlp import load_pipeline
from streamproc.enrich.pipeline import EnrichResult, enrich_articles
from streamproc.enrich.pool import EnrichmentPool
from streamproc.models import Article, Entity, RawMessage, SourceOffset, dumps
from streamproc.parse import parse_raw
from streamproc.pipeline import OfflineRunner
from streamproc.stories.book import article_story
from streamproc.stories.profile import build_profile, clear_word_caches, dateline_day, dateline_time
from streamproc.stories.quality import hard_negative_margins, score_stories, wrong_pairs
from streamproc.stories.rarity import warm_up
from streamproc.stories.score import candidate_stories, match, split_by_order

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "tests" / "fixtures" / "stories"
RESULTS = ROOT / "benchmarks" / "results" / "stories.json"


def streamproc_bin() -> str:
    return os.environ.get("STREAMPROC_BIN") or str(Path(sys.executable).with_name("streamproc"))


def load_set(directory: Path, name: str) -> tuple[list[Path], dict[str, Any]]:
    files = sorted((directory / name).glob("*.json"))
    gold = json.loads((directory / f"gold_{name}.json").read_text(encoding="utf-8"))
    return files, gold


def stated_time(path: Path) -> float:
    """The article's stated publication time (its published_at, else its dateline's day)."""
    item = json.loads(path.read_text(encoding="utf-8"))
    if item.get("published_at"):
        return datetime.fromisoformat(item["published_at"].replace("Z", "+00:00")).timestamp()
    day = dateline_day(item.get("text", ""))
    moment = dateline_time(day, datetime.now(UTC).timestamp()) if day else None
    return moment if moment is not None else datetime.now(UTC).timestamp()


def run_cli(files: Sequence[Path]) -> list[dict[str, Any]]:
    """The records ``streamproc process`` publishes, one per input file, in input order, each with
    ``story_id`` its current story as a consumer of news.stories finds it (through ``merged_into``)."""
    done = subprocess.run(
        [streamproc_bin(), "process", "--stories", *map(str, files)],
        capture_output=True,
        check=True,
        timeout=900,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    records = [line["value"] for line in lines if line["topic"] != "news.stories"]
    if len(records) != len(files):
        raise SystemExit(f"expected {len(files)} records, got {len(records)}")
    latest = {line["value"]["id"]: line["value"] for line in lines if line["topic"] == "news.stories"}
    return [{**record, "story_id": current_story(latest, record)} for record in records]


def current_story(latest: dict[str, Any], record: dict[str, Any]) -> str:
    """The story ``record``'s article is in now (its own story id if news.stories has no record)."""
    return article_story(latest, record["story_id"], record["id"]) or record["story_id"]


def _entities(record: dict[str, Any]) -> list[Entity]:
    return [
        Entity(e["name"], e["type"], e["mentions"], e["surface_forms"], [], e["salience"])
        for e in record["entities"]
    ]


def previous_rule(records: Sequence[dict[str, Any]], ids: Sequence[str]) -> dict[str, str]:
    """The rule this replaces, replayed in input order: >= 2 shared names among the top 10, overlap
    coefficient >= 0.3, candidates through the top 4 names; a duplicate joins its original's story."""
    seen: dict[str, list[tuple[str, list[str], str]]] = {}  # key -> (record id, names, story)
    story_of_record: dict[str, str] = {}
    out: dict[str, str] = {}
    for gold_id, record in zip(ids, records, strict=True):
        names = story_entity_names(_entities(record), 10)
        keys = names[:4]
        candidates = [entry for key in keys for entry in seen.get(key, [])]
        original = record["dedup"].get("duplicate_of")
        story = story_of_record.get(original) if original else None
        if story is None:
            best: tuple[float, int] | None = None
            for _record_id, other, other_story in candidates:
                shared = len(set(names) & set(other))
                overlap = shared / min(len(set(names)), len(set(other))) if names and other else 0.0
                if shared >= 2 and overlap >= 0.3 and (best is None or (overlap, shared) > best):
                    best, story = (overlap, shared), other_story
        story = story or new_story_id(record["id"])
        story_of_record[record["id"]] = story
        out[gold_id] = story
        for key in keys:
            seen.setdefault(key, []).append((record["id"], names, story))
    return out


def evaluate(files: Sequence[Path], gold: dict[str, Any]) -> dict[str, Any]:
    records = run_cli(files)
    ids = [json.loads(path.read_text(encoding="utf-8"))["id"] for path in files]
    new = {gold_id: record["story_id"] for gold_id, record in zip(ids, records, strict=True)}
    return {
        "new": score_stories(new, gold).to_json(),
        "previous_rule": score_stories(previous_rule(records, ids), gold).to_json(),
    }


def parsed_articles(files: Sequence[Path]) -> list[Article]:
    now = datetime.now(UTC)
    return [
        parse_raw(
            RawMessage(path.read_bytes(), received_at=now, source_offset=SourceOffset("bench", 0, index)),
            ParseSettings(),
        )
        for index, path in enumerate(files)
    ]


def story_stage_seconds(articles: Sequence[Article], entities: Sequence[list[Entity]]) -> float:
    """Profile + key routing + decision for every article against dict-backed story keys."""
    settings = DedupSettings()
    params = story_params(settings)
    table: dict[str, list[KeyEntry]] = {}
    arrival = datetime.now(UTC).timestamp()
    clear_word_caches()  # every word unseen: the cost of a stream's first articles, not of a warm one
    started = time.perf_counter()
    for index, (article, ents) in enumerate(zip(articles, entities, strict=True)):
        profile = build_profile(
            title=article.title,
            body=article.body,
            entities=ents,
            published_at=article.published_at,
            published_at_source=article.published_at_source.value,
        )
        names = story_entity_names(ents, settings.story_max_names)
        keys = story_routing_keys(names, profile, article.title, settings.story_top_k)
        candidates = [entry for key in keys for entry in table.get(key, [])]
        decision = choose_story(
            article_id=article.id, profile=profile, arrival_time=arrival, candidates=candidates, params=params
        )
        entry = KeyEntry(article.id, f"bench/0/{index}", arrival, story_id=decision.story_id, profile=profile)
        for key in keys:
            table.setdefault(key, []).append(entry)
    return time.perf_counter() - started


def cost(files: Sequence[Path], repeats: int = 3) -> dict[str, Any]:
    """Best-of-``repeats`` seconds per article: NER alone (spaCy, no dates) and the story stage (with
    its word caches emptied first: the frequency list is loaded, no word has been seen)."""
    articles = parsed_articles(files)
    nlp = load_pipeline(EnrichSettings().model)
    started = time.perf_counter()
    warm_up()
    list_load_s = time.perf_counter() - started
    ner_s: list[float] = []
    results: list[Any] = []
    for _ in range(repeats):
        started = time.perf_counter()
        results = enrich_articles(nlp, articles, batch_size=32, max_chars=100_000, with_dates=False)
        ner_s.append(time.perf_counter() - started)
    entities = [result[0] if isinstance(result, tuple) else [] for result in results]
    story_s = min(story_stage_seconds(articles, entities) for _ in range(repeats))
    per_ner, per_story = min(ner_s) / len(articles), story_s / len(articles)
    return {
        "articles": len(articles),
        "ner_ms_per_article": round(per_ner * 1000, 3),
        "story_ms_per_article": round(per_story * 1000, 3),
        "story_share_of_ner": round(per_story / per_ner, 4),
        "frequency_list_load_s": round(list_load_s, 3),
    }


SWEEP_THRESHOLDS = (0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.24, 0.26)


class CachedEnricher:
    """Each article enriched once across the sweep's runs (the story decision is what varies)."""

    def __init__(self, pool: EnrichmentPool) -> None:
        self.pool = pool
        self.done: dict[tuple[str, str | None, str], EnrichResult] = {}

    def enrich_sync(self, articles: Sequence[Article]) -> list[EnrichResult]:
        todo = [a for a in articles if (a.id, a.title, a.body) not in self.done]
        for article, result in zip(todo, self.pool.enrich_sync(todo) if todo else [], strict=True):
            self.done[(article.id, article.title, article.body)] = result
        return [self.done[(a.id, a.title, a.body)] for a in articles]


def offline_story_ids(files: Sequence[Path], settings: Settings, enricher: CachedEnricher) -> list[str]:
    """The story id of each input, through ``OfflineRunner`` as ``streamproc process`` runs it."""
    now = datetime.now(UTC)
    raws = [
        RawMessage(
            payload=path.read_bytes(),
            received_at=now,
            source_offset=SourceOffset("process", 0, index),
            timestamp=datetime.fromtimestamp(now.timestamp() + index * 1e-3, UTC),
        )
        for index, path in enumerate(files)
    ]
    runner = OfflineRunner(settings, enricher, with_stories=True)
    outputs = [
        json.loads(dumps(o.value)) | {"role": o.role}
        for o in runner.run(raws, settings.enrich.pipe_batch_size)
    ]
    latest = {o["id"]: o for o in outputs if o["role"] == "stories"}
    return [current_story(latest, o) for o in outputs if o["role"] in ("enriched", "duplicates")]


@contextmanager
def traced_decisions() -> Iterator[dict[str, dict[str, Any]]]:
    """Each story decision's arguments by article id, for the runs inside (nothing else changes)."""
    import streamproc.dedup.probes as probes

    decided: dict[str, dict[str, Any]] = {}
    plain = probes.__dict__["choose_story"]

    def traced(**kwargs: Any) -> Any:
        decided[kwargs["article_id"]] = kwargs
        return plain(**kwargs)

    probes.__dict__["choose_story"] = traced
    try:
        yield decided
    finally:
        probes.__dict__["choose_story"] = plain


def traced_runs(
    sets: dict[str, tuple[list[Path], dict[str, Any]]],
) -> Iterator[tuple[str, str, dict[str, Any], list[str], dict[str, str], dict[str, dict[str, Any]]]]:
    """Each set (not the merged ones) in file and publication order through the offline dataflow:
    (set, order, gold, gold ids in input order, {gold id: story id}, {gold id: its decision's
    arguments}); duplicates, which take their original's story, have no decision."""
    settings = Settings()
    with (
        traced_decisions() as decided,
        EnrichmentPool(dataclasses.replace(settings.enrich, processes=0)) as pool,
    ):
        enricher = CachedEnricher(pool)
        for name, (files, gold) in sets.items():
            if "+" in name:
                continue
            for order, ordered in (("file", sorted(files)), ("time", sorted(files, key=stated_time))):
                decided.clear()
                stories = offline_story_ids(ordered, settings, enricher)
                ids = [json.loads(path.read_text(encoding="utf-8"))["id"] for path in ordered]
                record_ids = {gold_id: _record_id(path) for gold_id, path in zip(ids, ordered, strict=True)}
                calls = {g: decided[r] for g, r in record_ids.items() if r in decided}
                yield name, order, gold, ids, dict(zip(ids, stories, strict=True)), calls


def explain_splits(sets: dict[str, tuple[list[Path], dict[str, Any]]]) -> list[dict[str, Any]]:
    """Every gold pair the offline run separates, per set and order, with why (see module doc)."""
    from streamproc.stories.explain import explain_pair

    params, rows = story_params(Settings().dedup), []
    for name, order, gold, ids, story_of, calls in traced_runs(sets):
        position = {gold_id: i for i, gold_id in enumerate(ids)}
        record_ids = {g: call["article_id"] for g, call in calls.items()}
        for cluster in gold["clusters"]:
            for first, second in combinations(sorted(cluster, key=position.__getitem__), 2):
                call, earlier = calls.get(second), calls.get(first)
                if story_of[first] == story_of[second] or call is None or earlier is None:
                    continue  # together, or a duplicate (it takes its original's story)
                retrieved = any(e.article_id == record_ids[first] for e in call["candidates"])
                pair = explain_pair(
                    (first, earlier["profile"], earlier["profile"].event_time(earlier["arrival_time"])),
                    (second, call["profile"], call["profile"].event_time(call["arrival_time"])),
                    retrieved=retrieved,
                    params=params,
                )
                print(f"{name}/{order}: {pair.line(params.min_score)}")
                rows.append({"set": name, "order": order, **dataclasses.asdict(pair)})
    return rows


def candidate_scores(calls: dict[str, dict[str, Any]]) -> dict[tuple[str, str], float]:
    """``{(later, earlier): score}``: the best score each decided article reached against a candidate
    story holding ``earlier`` (as its decision saw the stories: candidates before it in input order)."""
    gold_of_record = {call["article_id"]: g for g, call in calls.items()}
    best: dict[tuple[str, str], float] = {}
    for later, call in calls.items():
        profile = call["profile"]
        event_time = profile.event_time(call["arrival_time"])
        earlier, _ = split_by_order(call["candidates"], call["arrival_time"], call.get("source_key", ""))
        for story in candidate_stories(earlier, exclude_article=call["article_id"]):
            score = match(profile, event_time, story, call["params"]).score
            for member, *_ in story.members:
                key = (later, gold_of_record.get(member, member))
                best[key] = max(best.get(key, 0.0), score)
    return best


def negatives(
    sets: dict[str, tuple[list[Path], dict[str, Any]]], margin: float = 0.2
) -> list[dict[str, Any]]:
    """Per set and order: every pair wrongly put in one story, every hard negative joined, and the
    near misses (hard negatives kept apart whose score came within ``margin`` of the threshold)."""
    min_score, rows = story_params(Settings().dedup).min_score, []
    for name, order, gold, _ids, story_of, calls in traced_runs(sets):
        best = candidate_scores(calls)
        wrong = wrong_pairs(story_of, gold)
        margins = hard_negative_margins(best, story_of, gold, min_score, margin)
        for first, second in wrong:
            score = max(best.get((first, second), 0.0), best.get((second, first), 0.0))
            print(f"{name}/{order}: wrongly joined {first} ~ {second} (best story score {score:.3f})")
        for m in margins:
            if m.joined or m.near:
                what = "hard negative JOINED" if m.joined else "near miss"
                print(f"{name}/{order}: {what} {m.first} ~ {m.second} score {m.score} ({m.label})")
        rows.append(
            {
                "set": name,
                "order": order,
                "wrongly_joined": [list(p) for p in wrong],
                "hard_negatives_joined": sum(m.joined for m in margins),
                "near_misses": sum(m.near for m in margins),
                "hard_negatives": [dataclasses.asdict(m) for m in margins if m.joined or m.near],
            }
        )
    joined, near = sum(r["hard_negatives_joined"] for r in rows), sum(r["near_misses"] for r in rows)
    print(f"all sets and orders: {joined} hard negatives joined, {near} near misses (within {margin:.0%})")
    return rows


def _record_id(path: Path) -> str:
    """The id the pipeline gives an input file (parsed as ``streamproc process`` parses it)."""
    return parsed_articles([path])[0].id


def sweep(sets: dict[str, tuple[list[Path], dict[str, Any]]]) -> list[dict[str, Any]]:
    """Pairwise F1 and hard negatives joined per set and order at each threshold."""
    base = Settings()
    rows: list[dict[str, Any]] = []
    with EnrichmentPool(dataclasses.replace(base.enrich, processes=0)) as pool:
        enricher = CachedEnricher(pool)
        for threshold in SWEEP_THRESHOLDS:
            settings = dataclasses.replace(
                base, dedup=dataclasses.replace(base.dedup, story_min_score=threshold)
            )
            row: dict[str, Any] = {"min_score": threshold}
            for name, (files, gold) in sets.items():
                for order, ordered in (("file", sorted(files)), ("time", sorted(files, key=stated_time))):
                    ids = [json.loads(path.read_text(encoding="utf-8"))["id"] for path in ordered]
                    stories = offline_story_ids(ordered, settings, enricher)
                    scores = score_stories(dict(zip(ids, stories, strict=True)), gold)
                    row[f"{name}/{order}"] = {
                        "pairwise_f1": round(scores.pairwise.f1, 3),
                        "hard_negatives_joined": len(scores.hard_negatives_joined),
                    }
            rows.append(row)
            cells = "  ".join(
                f"{key} {v['pairwise_f1']:.3f} ({v['hard_negatives_joined']})"
                for key, v in row.items()
                if key != "min_score"
            )
            print(f"min_score {threshold:.2f}: {cells}", flush=True)
    return rows


def worker_burst(
    sets: dict[str, tuple[list[Path], dict[str, Any]]], names: Sequence[str], broker_port: int
) -> dict[str, Any]:
    """Every set's articles in one burst through a real worker: scores, orphans, agreement."""
    sys.path.insert(0, str(ROOT))  # the tests' harness: a real broker and worker process
    from streamproc.config import BrokerSettings
    from streamproc.kafka.broker import LocalBroker
    from streamproc.stories.quality import clusters_of, disagreements, pairwise
    from tests.stories_harness import offline_records, run_burst
    from tests.support import Env

    files = sorted(f for name in names for f in sets[name][0])
    payloads = [path.read_bytes() for path in files]
    gold_ids = [json.loads(p)["id"] for p in payloads]
    offline = offline_records(payloads)
    gold_of = {record["id"]: gold_id for record, gold_id in zip(offline, gold_ids, strict=True)}
    offline_stories = {gold_of[r["id"]]: r["story_id"] for r in offline}
    work = Path("/tmp") / f"streamproc-quality-stories-{broker_port}"
    broker = LocalBroker(
        BrokerSettings(port=broker_port, controller_port=broker_port + 1, state_dir=str(work / "broker"))
    )
    broker.stop()
    shutil.rmtree(broker.data_dir, ignore_errors=True)  # empty topics
    started = time.perf_counter()
    bootstrap = broker.start()
    try:
        burst = run_burst(Env(bootstrap, work, partitions=4), payloads)
    finally:
        broker.stop()
    worker_stories = {gold_of[a]: s for a, s in burst.stories.items() if a in gold_of}
    agreement = pairwise(clusters_of(worker_stories), clusters_of(offline_stories))
    out: dict[str, Any] = {
        "articles": len(payloads),
        "outputs": len(burst.records),
        "partitions": 4,
        "seconds": round(time.perf_counter() - started, 1),
        "orphan_ids": len(burst.orphans),
        "merged_into_loops": len(burst.cycles),
        "duplicates_outside_original_story": len(burst.duplicates_apart),
        "moved_articles": len(burst.moved),
        "agreement_with_offline": {"pairwise": _prf(agreement)},
        "differing_articles": disagreements(worker_stories, offline_stories),
        "sets": {},
    }
    for name in [*names, "+".join(names)] if len(names) > 1 else names:
        gold = sets[name][1]
        members = {a for cluster in gold["clusters"] for a in cluster}
        out["sets"][name] = {
            "worker": score_stories(
                {a: s for a, s in worker_stories.items() if a in members}, gold
            ).to_json(),
            "offline": score_stories(
                {a: s for a, s in offline_stories.items() if a in members}, gold
            ).to_json(),
        }
    return out


def _prf(prf: Any) -> dict[str, float]:
    return {"precision": prf.precision, "recall": prf.recall, "f1": prf.f1}


def print_worker(result: dict[str, Any]) -> None:
    agreement = result["agreement_with_offline"]["pairwise"]
    print(
        f"worker burst: {result['articles']} articles over {result['partitions']} partitions, "
        f"{result['outputs']} outputs in {result['seconds']} s; orphan ids {result['orphan_ids']}, "
        f"merged_into loops {result['merged_into_loops']}, duplicates outside their original's story "
        f"{result['duplicates_outside_original_story']}, articles moved {result['moved_articles']}; "
        f"agreement with offline: pairwise F1 "
        f"{agreement['f1']:.3f} (P {agreement['precision']:.3f} R {agreement['recall']:.3f})"
    )
    for row in result["differing_articles"]:
        print(
            f"  differs: {row['article']} in worker with {row['with']}, offline with {row['expected_with']}"
        )
    for name, scores in result["sets"].items():
        print(f"set {name}, file order, one burst through the worker")
        print(_line("worker", scores["worker"]))
        print(_line("offline", scores["offline"]))


def _line(label: str, scores: dict[str, Any]) -> str:
    pw, b3 = scores["pairwise"], scores["bcubed"]
    return (
        f"  {label:14} pairwise P {pw['precision']:.3f} R {pw['recall']:.3f} F1 {pw['f1']:.3f} | "
        f"B3 F1 {b3['f1']:.3f} | hard negatives joined {len(scores['hard_negatives_joined'])}/"
        f"{scores['hard_negatives']} | syndicated with original {scores['syndicated_in_original_story']}/"
        f"{scores['syndicated']} | stories {scores['predicted_clusters']} (gold {scores['gold_clusters']})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--worker", action="store_true", help="also through a real broker and worker")
    parser.add_argument("--no-offline", action="store_true", help="with --worker: the worker part alone")
    parser.add_argument("--sweep", action="store_true", help="also pairwise F1 at a range of thresholds")
    parser.add_argument("--explain", action="store_true", help="also why each split gold pair split")
    parser.add_argument(
        "--negatives", action="store_true", help="also wrong joins, hard negatives joined and near misses"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="results file (JSON)")
    parser.add_argument(
        "--broker-port", type=int, default=int(os.environ.get("STREAMPROC_TEST_BROKER_PORT", "29840"))
    )
    args = parser.parse_args(argv)
    names = sorted(
        p.name.removeprefix("gold_").removesuffix(".json") for p in args.directory.glob("gold_*.json")
    )
    sets = {name: load_set(args.directory, name) for name in names}
    if len(sets) > 1:
        merged: dict[str, Any] = {"clusters": [], "hard_negatives": [], "syndicated": []}
        for _, gold in sets.values():
            for field in merged:
                merged[field].extend(gold.get(field, []))
        sets["+".join(names)] = ([f for files, _ in sets.values() for f in files], merged)
    results: dict[str, Any] = {"directory": str(args.directory), "sets": {}}
    if args.worker:
        results["worker"] = worker_burst(sets, names, args.broker_port)
        print_worker(results["worker"])
    if args.no_offline:
        return write_results(results, args.out, keep_other_sections=True)
    for name, (files, gold) in sets.items():
        results["sets"][name] = {}
        for order, ordered in (("file", sorted(files)), ("time", sorted(files, key=stated_time))):
            scores = evaluate(ordered, gold)
            results["sets"][name][order] = scores
            print(f"set {name}, {order} order ({len(files)} articles)")
            print(_line("new", scores["new"]))
            print(_line("previous rule", scores["previous_rule"]))
    if args.explain:
        print("gold pairs split offline: the later report against the earlier one")
        results["splits"] = explain_splits(sets)
    if args.negatives:
        print("precision: pairs joined against the gold, hard negatives joined and near misses")
        results["negatives"] = negatives(sets)
    if args.sweep:
        print("threshold sweep: pairwise F1 (hard negatives joined), per set/order")
        results["sweep"] = sweep(sets)
    all_files = sorted(f for files, _ in (sets[n] for n in names) for f in files)
    results["cost"] = cost(all_files)
    c = results["cost"]
    print(
        f"cost: NER {c['ner_ms_per_article']} ms/article, story stage {c['story_ms_per_article']} ms/article "
        f"= {100 * c['story_share_of_ner']:.2f}% of NER "
        f"(frequency list loads once: {c['frequency_list_load_s']} s)"
    )
    return write_results(results, args.out, keep_other_sections=False)


def write_results(results: dict[str, Any], out: Path, *, keep_other_sections: bool) -> int:
    """Write the results file (with ``keep_other_sections``, over the existing file's sections this
    run did not measure, when it is for the same directory)."""
    if keep_other_sections and out.exists():
        existing = json.loads(out.read_text(encoding="utf-8"))
        if existing.get("directory") == results["directory"]:
            results = {**existing, **{k: v for k, v in results.items() if k != "sets"}}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
