"""Cost of entity enrichment per article on real news, and of the French model.

Articles: the MEANTIME inputs under ``--meantime`` (default: the CC BY slice in tests/fixtures)
and the written articles, parsed as the worker parses them. Measured in this process, CPU
seconds (``time.process_time``, BLAS limited to one thread), best of ``--repeat``:

- ner: ``nlp.pipe`` over every article's fields, nothing else (the floor);
- entities: ``enrich_articles(..., with_dates=False)``: NER plus routing, mention fixes,
  propagation and the canonical-name resolution;
- per article: entities / articles, and entities minus ner (what the rules cost; noisy, a small
  difference of two large times);
- resolution: the pure part alone (mention fixes, propagation, canonical names) on NER spans
  computed once: the stable measure of what the rules cost;
- alias probes: how many alias-table probes an article sends and their bytes (key + JSON entry);
- French: the load time and the resident memory the French model adds when the first French
  article arrives, and the cost per French article.

The script only uses functions that exist before and after issue 15, so the same command run on
an older checkout (PYTHONPATH=that/checkout) gives the baseline of the comparison.

    .venv/bin/python benchmarks/bench_entities.py [--meantime DIR] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import orjson  # noqa: E402

from streamproc.config import EnrichSettings, ParseSettings  # noqa: E402
from streamproc.enrich import entities as entities_module  # noqa: E402
from streamproc.enrich.aliases import alias_entries  # noqa: E402
from streamproc.enrich.nlp import load_pipeline  # noqa: E402
from streamproc.enrich.pipeline import article_fields, enrich_articles  # noqa: E402
from streamproc.models import Article, RawMessage  # noqa: E402
from streamproc.parse import parse_raw  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "entities_cost.json"
FRENCH = (
    "PARIS - La Banque de France a relevé mardi sa prévision de croissance pour l'année, a annoncé son "
    "gouverneur François Villeroy de Galhau lors d'une conférence de presse à Paris. Selon la Banque, "
    "l'activité a résisté dans l'industrie et les services, et le ministre de l'Économie Bruno Le Maire "
    "a salué une nouvelle encourageante pour les entreprises françaises installées à Lyon et à Marseille."
)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def load_articles(meantime: Path) -> list[Article]:
    paths = sorted((meantime / "raw").glob("*/*.json")) + sorted(
        (ROOT / "tests/fixtures/entities/written/raw").glob("*.json")
    )
    received = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        parse_raw(RawMessage(payload=p.read_bytes(), received_at=received), ParseSettings()) for p in paths
    ]


def best_cpu(fn: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meantime", type=Path, default=ROOT / "tests" / "fixtures" / "meantime")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    settings = EnrichSettings()
    nlp = load_pipeline(settings.model)
    articles = load_articles(args.meantime)
    texts = [text for a in articles for _, text in article_fields(a, settings.max_chars)]

    def ner() -> None:
        for _ in nlp.pipe(texts, batch_size=settings.pipe_batch_size):
            pass

    def entities() -> None:
        enrich_articles(
            nlp, articles, batch_size=settings.pipe_batch_size, max_chars=settings.max_chars, with_dates=False
        )

    entities()  # warm caches and, on this code, the router
    probes, probe_bytes = alias_probe_load(
        articles,
        enrich_articles(
            nlp, articles, batch_size=settings.pipe_batch_size, max_chars=settings.max_chars, with_dates=False
        ),
    )
    ner_s = best_cpu(ner, args.repeat)
    entities_s = best_cpu(entities, args.repeat)
    spans = [
        [
            (name, text, [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents])
            for name, text in fields
        ]
        for fields in (article_fields(a, settings.max_chars) for a in articles)
    ]
    resolution_s = best_cpu(lambda: resolve_all(spans), args.repeat)
    n = len(articles)
    out: dict[str, Any] = {
        "benchmark": "bench_entities",
        "code": str(Path(sys.modules["streamproc"].__file__ or "").parent),
        "articles": n,
        "ner_ms_per_article": round(1000 * ner_s / n, 3),
        "entities_ms_per_article": round(1000 * entities_s / n, 3),
        "rules_ms_per_article": round(1000 * (entities_s - ner_s) / n, 3),
        "resolution_ms_per_article": round(1000 * resolution_s / n, 3),
        "repeat": args.repeat,
        "alias_probes_per_article": round(probes / n, 2),
        "alias_probe_bytes_per_article": round(probe_bytes / n),
    }
    french = [
        Article(
            **{
                **vars_of(articles[0]),
                "id": f"fr{i}",
                "title": None,
                "subtitle": None,
                "body": FRENCH,
                "paragraphs": [FRENCH],
                "language": "fr",
            }
        )
        for i in range(20)
    ]
    before_rss = rss_mb()
    started = time.perf_counter()
    enrich_articles(
        nlp, french[:1], batch_size=settings.pipe_batch_size, max_chars=settings.max_chars, with_dates=False
    )
    out["french_first_article_s"] = round(time.perf_counter() - started, 3)
    out["french_rss_added_mb"] = round(rss_mb() - before_rss, 1)
    fr_s = best_cpu(
        lambda: enrich_articles(
            nlp, french, batch_size=settings.pipe_batch_size, max_chars=settings.max_chars, with_dates=False
        ),
        args.repeat,
    )
    out["french_ms_per_article"] = round(1000 * fr_s / len(french), 3)
    out["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    for key, value in out.items():
        print(f"{key:28} {value}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def alias_probe_load(articles: list[Article], results: list[Any]) -> tuple[int, int]:
    """Alias probes the articles send (enrich/aliases.py) and their bytes: key + JSON entry."""
    probes = size = 0
    for article, result in zip(articles, results, strict=True):
        entries = alias_entries(
            result.entities, article_id=article.id, source_key="news.raw/0/123456", event_time=1.7e9
        )
        probes += len(entries)
        size += sum(len(key) + len(orjson.dumps(entry.to_json())) for key, entry in entries.items())
    return probes, size


def resolve_all(spans: list[list[tuple[str, str, list[tuple[int, int, str]]]]]) -> None:
    """The pure entity path of enrich/pipeline.py on precomputed NER spans (older code: without the
    steps it did not have)."""
    for fields in spans:
        texts = {name: text for name, text, _ in fields}
        mentions = [
            m for name, text, found in fields for m in entities_module.mentions_from_spans(name, text, found)
        ]
        mentions = entities_module.propagate_mentions(mentions, texts)
        definite = getattr(entities_module, "definite_references", None)
        if definite is not None:
            entities_module.canonical_entities(definite(mentions, texts), texts=texts, language="en")
        else:
            entities_module.canonical_entities(mentions)


def vars_of(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in article.__dataclass_fields__}


if __name__ == "__main__":
    sys.exit(main())
