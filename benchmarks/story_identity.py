"""The story stage's outputs and CPU cost, to compare two versions of the code (same outputs, cost ratio).

    .venv/bin/python benchmarks/story_identity.py outputs OUT.json   # every development set and all of
        them, in file and stated-time order, through ``OfflineRunner`` (as ``streamproc process --stories``);
        every output and news.stories record, timing fields removed. Enrichment cached in CACHE.
    .venv/bin/python benchmarks/story_identity.py compare A.json B.json
    .venv/bin/python benchmarks/story_identity.py cost   # ``quality_stories.story_stage_seconds`` in CPU
        time (best of 5) on the cached entities (run ``outputs`` first)

    .venv/bin/python benchmarks/story_identity.py interleaved DIR [REPEATS]   # the same, alternating
        in one process this checkout's profile builder and DIR/streamproc/stories/profile.py's (valid
        when the versions differ in that file only): less load noise than separate processes

With ``STREAMPROC_BASE_SRC=<dir holding another version's streamproc/>`` (e.g. ``git archive integ
streamproc | tar -x -C DIR``) that version is imported instead of this checkout's.
"""

from __future__ import annotations

import os
import sys

if os.environ.get("STREAMPROC_BASE_SRC"):  # before any streamproc import: bypass the editable install
    sys.meta_path = [f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")]
    sys.path.insert(0, os.environ["STREAMPROC_BASE_SRC"])

import dataclasses
import json
import pickle
import time
import types
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quality_stories as q

import streamproc
from streamproc.config import Settings
from streamproc.enrich.pool import EnrichmentPool
from streamproc.models import RawMessage, SourceOffset, dumps
from streamproc.pipeline import OfflineRunner
from streamproc.stories.rarity import warm_up

CACHE = Path(os.environ.get("STORY_IDENTITY_CACHE", "/tmp/story_identity_enriched.pkl"))
TIMING = {"processed_at", "received_at", "timings"}


def strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in TIMING and not k.endswith("_ms")}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def sets() -> dict[str, list[Path]]:
    names = sorted(
        p.name.removeprefix("gold_").removesuffix(".json") for p in q.DEFAULT_DIR.glob("gold_*.json")
    )
    out = {n: q.load_set(q.DEFAULT_DIR, n)[0] for n in names}
    out["all"] = sorted(f for n in names for f in out[n])
    return out


def outputs(out_path: str) -> None:
    settings = Settings()
    base = datetime(2026, 12, 1, tzinfo=UTC)  # fixed arrival times: replays compare equal
    result: dict[str, list[dict[str, Any]]] = {}
    with EnrichmentPool(dataclasses.replace(settings.enrich, processes=0)) as pool:
        enricher = q.CachedEnricher(pool)
        if CACHE.exists():
            enricher.done = pickle.loads(CACHE.read_bytes())
        for name, files in sets().items():
            for order, ordered in (("file", sorted(files)), ("time", sorted(files, key=q.stated_time))):
                raws = [
                    RawMessage(
                        payload=p.read_bytes(),
                        received_at=base,
                        source_offset=SourceOffset("process", 0, i),
                        timestamp=datetime.fromtimestamp(base.timestamp() + i * 1e-3, UTC),
                    )
                    for i, p in enumerate(ordered)
                ]
                runner = OfflineRunner(settings, enricher, with_stories=True)
                result[f"{name}/{order}"] = [
                    {"role": o.role, "value": strip(json.loads(dumps(o.value)))}
                    for o in runner.run(raws, settings.enrich.pipe_batch_size)
                ]
        CACHE.write_bytes(pickle.dumps(enricher.done))
    Path(out_path).write_text(json.dumps(result, sort_keys=True), encoding="utf-8")


def compare(first: str, second: str) -> int:
    a, b = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (first, second))
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    records = sum(len(v) for v in a.values())
    stories = sum(1 for v in a.values() for o in v if o["role"] == "stories")
    print(f"{len(a)} runs, {records} records ({stories} news.stories): {len(differ)} runs differ {differ}")
    return 1 if differ else 0


def cost(repeats: int = 5) -> None:
    articles = q.parsed_articles(sets()["all"])
    done = pickle.loads(CACHE.read_bytes())
    results = [done[(a.id, a.title, a.body)] for a in articles]
    entities = [r[0] if isinstance(r, tuple) else [] for r in results]
    warm_up()
    q.time = types.SimpleNamespace(perf_counter=time.process_time)  # type: ignore[assignment]
    best = min(q.story_stage_seconds(articles, entities) for _ in range(repeats))
    ms = round(best / len(articles) * 1000, 3)
    print(json.dumps({"src": streamproc.__file__, "articles": len(articles), "story_cpu_ms_per_article": ms}))


def interleaved(base_dir: str, repeats: int = 10) -> None:
    import importlib.util

    from streamproc.stories import profile

    spec = importlib.util.spec_from_file_location("base_profile", f"{base_dir}/streamproc/stories/profile.py")
    assert spec is not None and spec.loader is not None
    base = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = base  # dataclasses look their module up
    spec.loader.exec_module(base)
    articles = q.parsed_articles(sets()["all"])
    done = pickle.loads(CACHE.read_bytes())
    entities = [
        r[0] if isinstance(r, tuple) else [] for r in (done[(a.id, a.title, a.body)] for a in articles)
    ]
    warm_up()
    q.time = types.SimpleNamespace(perf_counter=time.process_time)  # type: ignore[assignment]
    best = {"base": float("inf"), "this": float("inf")}
    for _ in range(repeats):
        for name, module in (("base", base), ("this", profile)):
            q.build_profile, q.clear_word_caches = module.build_profile, module.clear_word_caches  # type: ignore[attr-defined]
            best[name] = min(best[name], q.story_stage_seconds(articles, entities))
    ms = {k: round(v / len(articles) * 1000, 3) for k, v in best.items()}
    print(json.dumps({"story_cpu_ms_per_article": ms, "ratio": round(best["this"] / best["base"], 3)}))


if __name__ == "__main__":
    if sys.argv[1] == "outputs":
        outputs(sys.argv[2])
    elif sys.argv[1] == "interleaved":
        interleaved(sys.argv[2], *(int(a) for a in sys.argv[3:4]))
    elif sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        cost()
