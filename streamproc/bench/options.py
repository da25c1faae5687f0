"""What one ``streamproc bench`` run measures: its corpus, workers and phases.

Kept apart from ``runner`` (which imports Faust) so the CLI takes its option defaults from here
without loading the worker; the corpus defaults are ``CorpusSpec``'s own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from streamproc.bench.corpus import CorpusSpec

_CORPUS = CorpusSpec()


@dataclass(frozen=True)
class BenchOptions:
    articles: int = _CORPUS.articles
    workers: int = 2
    seed: int = _CORPUS.seed
    exact_share: float = _CORPUS.exact_share
    near_share: float = _CORPUS.near_share
    bad_share: float = _CORPUS.bad_share
    latency_seconds: float = 30.0  # duration of the fixed-load phase
    repeat: int = 2  # 1-worker throughput runs, each after a raw nlp.pipe run (best of each counts)
    load_fraction: float = 0.5  # offered load of the latency phase, as a share of 1-worker throughput
    phase_timeout_s: float = 600.0
    work_dir: Path = Path(".streamproc/bench")

    def corpus_spec(self, articles: int | None = None, seed: int | None = None) -> CorpusSpec:
        return CorpusSpec(
            articles=self.articles if articles is None else articles,
            seed=self.seed if seed is None else seed,
            exact_share=self.exact_share,
            near_share=self.near_share,
            bad_share=self.bad_share,
        )
