"""Dedup cost per article (µs) and dedup state bytes per stored article.

Drives the join as ``streamproc process`` does (``pipeline.Ingestor`` then ``join.OfflineJoin``:
the worker's key owner and collector), with a JSON round trip of every table value read and
written (as a Faust table with a JSON value serializer does). "ingest": shingling + MinHash + LSH
band keys + story and alias keys and the pending article; "join": one probe per key, the
verdict and story choice, the story write-back. The event clock is the worker's
(``pipeline.arrival_time``): each message enters Kafka at its article's publication minute.
2,000 synthetic ~600-word articles drawn from the sample articles' vocabulary, with a share of
exact and near duplicates.

The ratio to enrichment uses, in order: benchmarks/results/enrich.json (per-article time, if
the enrichment benchmark has written it), and a spaCy baseline measured in this run (the
configured pipeline on the same articles; skip with --no-spacy).

    .venv/bin/python benchmarks/bench_dedup.py [--articles 2000] [--no-spacy]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import random
import statistics
import time
from collections.abc import Callable, Iterator, MutableMapping
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from streamproc.bench.records import bare_enriched
from streamproc.config import DedupSettings, EnrichSettings, Settings
from streamproc.dedup.minhash import band_keys
from streamproc.dedup.probes import hasher_for, key_kind
from streamproc.dedup.shingles import word_shingles, words
from streamproc.join import OfflineJoin
from streamproc.join.story_records import is_story_record_key
from streamproc.models import EnrichedArticle, Entity, RawMessage, SourceOffset
from streamproc.pipeline import Ingestor

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
T0 = datetime(2025, 9, 4, tzinfo=UTC)
ENTITY_TYPES = ["PERSON", "PERSON", "PERSON", "ORG", "ORG", "GPE", "GPE", "LOC", "NORP", "EVENT"]


def vocabulary() -> list[str]:
    text = " ".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "articles").glob("*.txt"))
    )
    return [w.decode() for w in words(text)]


def make_body(rng: random.Random, vocab: list[str], n_words: int = 600) -> str:
    """Paragraphs of sentences whose words follow the samples' word frequencies."""
    paragraphs, count = [], 0
    while count < n_words:
        sentences = []
        for _ in range(rng.randint(1, 3)):
            length = rng.randint(12, 30)
            sentence = " ".join(rng.choices(vocab, k=length))
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            count += length
        paragraphs.append(" ".join(sentences))
    return "\n".join(paragraphs)


def make_entities(rng: random.Random, story: int) -> list[Entity]:
    """~15 entities: 6 from the story's cast (so story mates overlap), the rest random."""
    story_rng = random.Random(story)
    names = [f"Story{story} Person{i}" for i in story_rng.sample(range(20), 6)]
    names += [f"Name{rng.randint(0, 5000)}" for _ in range(9)]
    return [
        Entity(
            name=name,
            type=ENTITY_TYPES[i % len(ENTITY_TYPES)],
            mentions=rng.randint(1, 8),
            surface_forms=[name],
            spans=[],
            salience=round(rng.uniform(0.05, 1.0), 3),
        )
        for i, name in enumerate(names)
    ]


def enriched(article_id: str, body: str, entities: list[Entity], published: datetime) -> EnrichedArticle:
    return bare_enriched(article_id, body, entities, published, source="bench")


def bench_id(i: int) -> str:
    """An id shaped like the parser's (``a-`` + 32 hex digits), so state sizes are realistic."""
    return "a-" + hashlib.blake2b(str(i).encode(), digest_size=16).hexdigest()


def corpus(n: int, seed: int, dup_share: float) -> tuple[list[EnrichedArticle], dict[str, str]]:
    """Articles in arrival order and the expected status of each (unique / exact / near)."""
    rng = random.Random(seed)
    vocab = vocabulary()
    articles: list[EnrichedArticle] = []
    expected: dict[str, str] = {}
    for i in range(n):
        published = T0 + timedelta(minutes=5 * i)
        if articles and rng.random() < dup_share:
            original = rng.choice(articles[-200:])
            paragraphs = original.body.split("\n")
            if rng.random() < 0.5:  # exact: re-wrapped (whitespace) copy
                body, kind = "\n\n".join(paragraphs).replace(". ", ".  "), "exact_duplicate"
            else:  # near: one paragraph dropped and one sentence changed
                paragraphs.pop(rng.randrange(len(paragraphs)))
                paragraphs[0] = "An editor rewrote this opening sentence entirely. " + paragraphs[0]
                body, kind = "\n".join(paragraphs), "near_duplicate"
            article = enriched(bench_id(i), body, original.entities, published)
        else:
            article = enriched(bench_id(i), make_body(rng, vocab), make_entities(rng, i // 4), published)
            kind = "unique"
        articles.append(article)
        expected[article.id] = kind
    return articles, expected


class JsonTable(MutableMapping[str, Any]):
    """Key -> JSON bytes, the way a Faust table with a JSON value serializer stores its values."""

    def __init__(self) -> None:
        self.encoded: dict[str, bytes] = {}

    def __getitem__(self, key: str) -> Any:
        return orjson.loads(self.encoded[key])

    def __setitem__(self, key: str, value: Any) -> None:
        self.encoded[key] = orjson.dumps(value)

    def __delitem__(self, key: str) -> None:
        del self.encoded[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.encoded)

    def __len__(self) -> int:
        return len(self.encoded)


def raw_of(article: EnrichedArticle, offset: int) -> RawMessage:
    """The raw message ``article`` came in: Kafka timestamp at its publication, realistic offset widths."""
    return RawMessage(
        payload=b"",
        received_at=article.ingested_at,
        source_offset=SourceOffset("news.raw", offset % 4, 1_000_000 + offset),
        timestamp=article.published_at,
    )


def run_dedup(
    articles: list[EnrichedArticle], settings: Settings
) -> tuple[dict[str, float], JsonTable, dict[str, str]]:
    """Process every article; returns total ns per stage, the content-key table, and the statuses."""
    ingestor = Ingestor(settings)
    keys_table = JsonTable()
    join = OfflineJoin(settings, keys_table=keys_table, pending_table=JsonTable())
    totals = dict.fromkeys(("ingest", "join"), 0.0)
    statuses: dict[str, str] = {}
    clock = time.perf_counter_ns
    for offset, article in enumerate(articles):
        raw = raw_of(article, offset)
        t0 = clock()
        ingested = ingestor.ingested(article, raw)
        t1 = clock()
        publication = join.join(ingested.pending, ingested.probes)
        t2 = clock()
        totals["ingest"] += t1 - t0
        totals["join"] += t2 - t1
        statuses[article.id] = publication.record["dedup"]["status"]
    return totals, keys_table, statuses


def per_call_us(fn: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(repeat):
        fn()
    return (time.perf_counter_ns() - start) / repeat / 1000


def component_timings(articles: list[EnrichedArticle], settings: DedupSettings) -> dict[str, Any]:
    """Median µs per article of shingling, MinHash and banding; datasketch's MinHash on the same
    shingles, with its default sha1 hashing of bytes and with our 64-bit hashes passed through."""
    hasher = hasher_for(settings)
    sample = articles[:200]
    shingle_us, minhash_us, band_us = [], [], []
    for article in sample:
        shingles = word_shingles(article.body, settings.shingle_size)
        signature = hasher.signature(shingles)
        shingle_us.append(per_call_us(partial(word_shingles, article.body, settings.shingle_size), 5))
        minhash_us.append(per_call_us(partial(hasher.signature, shingles), 5))
        band_us.append(per_call_us(partial(band_keys, signature, settings.bands), 5))
    out: dict[str, Any] = {
        "shingle_us": statistics.median(shingle_us),
        "minhash_us": statistics.median(minhash_us),
        "band_keys_us": statistics.median(band_us),
    }
    try:
        import datasketch  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        out["datasketch"] = "not installed"
        return out

    def ds_signature(items: list[Any], hashfunc: Callable[[Any], int] | None) -> object:
        m = datasketch.MinHash(
            num_perm=settings.num_perm, seed=1, **({"hashfunc": hashfunc} if hashfunc else {})
        )
        m.update_batch(items)
        return m.hashvalues

    ds_sha1_us, ds_int_us = [], []
    for article in sample:
        shingles = word_shingles(article.body, settings.shingle_size)
        as_bytes = [s.to_bytes(8, "little") for s in shingles]
        ds_sha1_us.append(per_call_us(partial(ds_signature, as_bytes, None), 5))
        ds_int_us.append(per_call_us(partial(ds_signature, list(shingles), _low32), 5))
    out["datasketch_minhash_sha1_us"] = statistics.median(ds_sha1_us)
    out["datasketch_minhash_prehashed_us"] = statistics.median(ds_int_us)
    out["datasketch_version"] = datasketch.__version__
    return out


def _low32(value: int) -> int:
    return value & 0xFFFFFFFF


def state_bytes(tables: JsonTable, n_articles: int) -> dict[str, Any]:
    kinds = ("fingerprint", "band", "band record", "story", "story record", "alias")
    by_kind = dict.fromkeys(kinds, 0)
    for key, value in tables.encoded.items():
        kind = "story record" if is_story_record_key(key) else key_kind(key)
        by_kind[kind] += len(key.encode()) + len(value)
    total = sum(by_kind.values())
    return {
        "keys": len(tables.encoded),
        "total_bytes": total,
        "bytes_per_article": round(total / n_articles, 1),
        "bytes_per_article_by_key_kind": {k: round(v / n_articles, 1) for k, v in by_kind.items()},
    }


def enrich_baseline_from_file() -> tuple[float, str] | None:
    """Per-article enrichment time (µs) from the enrichment benchmark's JSON, if present."""
    path = RESULTS / "enrich.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))

    def walk(node: Any, trail: str) -> Iterator[tuple[str, float]]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{trail}.{key}" if trail else key)
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            yield trail, float(node)

    for trail, value in walk(data, ""):
        leaf = trail.rsplit(".", 1)[-1].lower()
        if "per_article" in leaf or leaf.startswith("article_"):
            if "ms" in leaf:
                return value * 1000, f"{path.name}:{trail}"
            if "us" in leaf or "µs" in leaf:
                return value, f"{path.name}:{trail}"
    return None


def enrich_baseline_spacy(articles: list[EnrichedArticle], n: int) -> tuple[float, str] | None:
    """µs per article of NER as the enrichment stage runs it (NER-only pipeline, nlp.pipe batch 32)
    on the same bodies. Dates and entity canonicalisation come on top, so the true enrichment time
    is larger and the reported ratio conservative."""
    model = EnrichSettings().model
    try:
        from streamproc.enrich.nlp import load_pipeline

        nlp = load_pipeline(model)
    except Exception:  # the enrichment package or the model is not there: no baseline
        return None
    texts = [a.body for a in articles[:n]]
    list(nlp.pipe(texts[:4]))  # warm up
    start = time.perf_counter_ns()
    list(nlp.pipe(texts, batch_size=32))
    per_article = (time.perf_counter_ns() - start) / len(texts) / 1000
    return (
        per_article,
        f"spaCy {model} NER-only pipe() in this run, {n} articles ({','.join(nlp.pipe_names)})",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--dup-share", type=float, default=0.2)
    parser.add_argument("--spacy-articles", type=int, default=100)
    parser.add_argument("--no-spacy", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS / "dedup.json")
    args = parser.parse_args()

    full_settings = Settings()
    settings = full_settings.dedup
    articles, expected = corpus(args.articles, seed=7, dup_share=args.dup_share)
    words_per_article = statistics.mean(a.word_count for a in articles)

    run_dedup(articles[:100], full_settings)  # warm up
    # Best of three runs (fresh tables each): the least disturbed by other load on the machine.
    runs = [run_dedup(articles, full_settings) for _ in range(3)]
    run_totals_us = [round(sum(r[0].values()) / len(articles) / 1000, 1) for r in runs]
    totals, tables, statuses = min(runs, key=lambda r: sum(r[0].values()))
    n = len(articles)
    stages = {f"{stage}_us": round(ns / n / 1000, 1) for stage, ns in totals.items()}
    dedup_us = round(sum(totals.values()) / n / 1000, 1)
    confusion: dict[str, dict[str, int]] = {}
    for article_id, kind in expected.items():
        row = confusion.setdefault(kind, {})
        row[statuses[article_id]] = row.get(statuses[article_id], 0) + 1

    components = component_timings(articles, settings)
    state = state_bytes(tables, n)

    baseline = enrich_baseline_from_file()
    if baseline is None and not args.no_spacy:
        baseline = enrich_baseline_spacy(articles, args.spacy_articles)
    ratio = None if baseline is None else round(dedup_us / baseline[0], 4)

    result: dict[str, Any] = {
        "articles": n,
        "words_per_article": round(words_per_article),
        "dup_share": args.dup_share,
        "settings": {
            "num_perm": settings.num_perm,
            "bands": settings.bands,
            "shingle_size": settings.shingle_size,
            "near_threshold": settings.near_threshold,
            "story_top_k": settings.story_top_k,
        },
        "dedup_us_per_article": dedup_us,
        "dedup_us_per_article_runs": run_totals_us,
        "stages_us_per_article": stages,
        "components_us_median": {
            k: round(v, 1) if isinstance(v, float) else v for k, v in components.items()
        },
        "state": state,
        "expected_vs_status": confusion,
        "enrich_baseline": None
        if baseline is None
        else {"us_per_article": round(baseline[0], 1), "source": baseline[1]},
        "dedup_to_enrich_ratio": ratio,
        "target_ratio": 0.05,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print(f"dedup: {dedup_us} µs/article over {n} articles of ~{round(words_per_article)} words ({stages})")
    print(f"  components (median µs): {result['components_us_median']}")
    print(f"  state: {state['bytes_per_article']} bytes/article {state['bytes_per_article_by_key_kind']}")
    print(f"  expected -> status: {confusion}")
    if baseline is None:
        print("  no enrichment baseline (no benchmarks/results/enrich.json and spaCy not measured)")
    else:
        print(f"  enrichment: {baseline[0]:.0f} µs/article ({baseline[1]}); dedup/enrich = {ratio:.2%}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
