"""``streamproc bench``: end-to-end benchmark of the pipeline on real Kafka against its limits.

Pure parts (corpus generation, statistics, report keys) are importable without Kafka or spaCy;
``runner.run_bench`` does the measuring and ``plot.plot_report`` draws the PNG.
"""

from streamproc.bench.corpus import CorpusItem, CorpusSpec, describe_corpus, generate_corpus
from streamproc.bench.stats import REQUIRED_KEYS

__all__ = ["REQUIRED_KEYS", "CorpusItem", "CorpusSpec", "describe_corpus", "generate_corpus"]
