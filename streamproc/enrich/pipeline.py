"""Combined enrichment of a batch of articles: one ``nlp.pipe`` over every text field, then
canonical entities and normalised dates per article.

Pure given the loaded pipeline (the only other input is the clock, for articles without a
publication date). A failure on one article becomes an ``EnrichError`` in that article's slot so
the caller dead-letters only that article.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple, Protocol, TypeAlias

from streamproc.enrich.entities import (
    Mention,
    canonical_entities,
    definite_references,
    mentions_from_spans,
    propagate_mentions,
)
from streamproc.enrich.nlp import router_for
from streamproc.errors import EnrichError
from streamproc.models import Article, DateMention, Enrichment, Entity, FieldName, PublishedAtSource

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


class EnrichedParts(NamedTuple):
    entities: list[Entity]
    dates: list[DateMention]
    enrichment: Enrichment


EnrichResult: TypeAlias = EnrichedParts | EnrichError


class DateExtractor(Protocol):
    """``streamproc.enrich.dates.extract_dates``."""

    def __call__(
        self,
        text: str,
        field: FieldName,
        reference: datetime,
        *,
        reference_is_publication: bool = True,
        language: str | None = None,
    ) -> list[DateMention]: ...


_DATES_MODULE = "streamproc.enrich.dates"
_date_extractor_cache: list[DateExtractor | None] = []


def date_extractor() -> DateExtractor | None:
    """``streamproc.enrich.dates.extract_dates``, or None while that module does not exist yet.

    Imported lazily (and once) so entity enrichment works and is testable on its own; an import
    error *inside* the dates module is a bug and propagates.
    """
    if not _date_extractor_cache:
        try:
            module = importlib.import_module(_DATES_MODULE)
        except ModuleNotFoundError as exc:
            if exc.name != _DATES_MODULE:
                raise
            log.warning("%s is not available: articles get no dates", _DATES_MODULE)
            _date_extractor_cache.append(None)
        else:
            extractor: DateExtractor = module.extract_dates
            _date_extractor_cache.append(extractor)
    return _date_extractor_cache[0]


def truncate(text: str, max_chars: int) -> str:
    """At most ``max_chars`` characters, cut at a word boundary when one is near the limit."""
    if len(text) <= max_chars:
        return text
    if text[max_chars].isspace():
        return text[:max_chars]
    cut = text.rfind(" ", max(0, max_chars - max(20, max_chars // 10)), max_chars)
    return text[: cut if cut > 0 else max_chars]


def lead_end(article: Article, body: str) -> int | None:
    """Offset in ``body`` where the lead (first) paragraph ends."""
    if article.paragraphs:
        first = article.paragraphs[0].strip()
        at = body.find(first) if first else -1
        if at >= 0:
            return at + len(first)
    newline = body.find("\n")
    return newline if newline > 0 else None


def article_fields(article: Article, max_chars: int) -> list[tuple[FieldName, str]]:
    """The non-empty text fields that are enriched, each cut to ``max_chars``."""
    fields: list[tuple[FieldName, str]] = []
    for name, value in (("title", article.title), ("subtitle", article.subtitle), ("body", article.body)):
        if value and value.strip():
            fields.append((name, truncate(value, max_chars)))  # type: ignore[arg-type]
    return fields


def _docs(nlp: Language, texts: list[str], batch_size: int) -> Iterator[Doc | BaseException]:
    """Docs in input order. If ``nlp.pipe`` raises, the texts from the failed batch on are redone
    one at a time so the error is pinned to the text that caused it."""
    done = 0
    try:
        for doc in nlp.pipe(texts, batch_size=batch_size):
            done += 1
            yield doc
    except Exception as exc:
        log.warning("nlp.pipe failed after %d of %d texts (%s): retrying one by one", done, len(texts), exc)
        for text in texts[done:]:
            try:
                yield nlp(text)
            except Exception as one_exc:
                yield one_exc


def enrich_articles(
    nlp: Language,
    articles: Sequence[Article],
    *,
    batch_size: int,
    max_chars: int,
    now: datetime | None = None,
    with_dates: bool = True,
) -> list[EnrichResult]:
    """Entities and dates for each article, in input order (an ``EnrichError`` where one failed).

    ``nlp`` reads articles in its own language; others go to the model of their language or to
    none (``streamproc.enrich.nlp.NerRouter``). ``now``: reference time for articles without
    ``published_at`` (default: the current UTC time). ``with_dates=False`` skips date extraction
    (benchmarks use it to split the cost).
    """
    fields_per_article = [article_fields(article, max_chars) for article in articles]
    router = router_for(nlp)
    routes = [router.route(article.language) for article in articles]
    texts_per_model: dict[int, list[str]] = {}
    pipelines: dict[int, Language] = {}
    for (model, _), fields in zip(routes, fields_per_article, strict=True):
        if model is not None:
            pipelines[id(model)] = model
            texts_per_model.setdefault(id(model), []).extend(text for _, text in fields)
    docs = {key: _pipe(pipelines[key], texts, batch_size) for key, texts in texts_per_model.items()}
    extract_dates = date_extractor() if with_dates else None
    fallback_reference = now or datetime.now(UTC)
    results: list[EnrichResult] = []
    for article, fields, (model, ner) in zip(articles, fields_per_article, routes, strict=True):
        # Consume this article's docs even if it fails, to keep docs aligned with articles.
        stream = docs[id(model)] if model is not None else None
        field_docs = [(name, text, next(stream) if stream is not None else None) for name, text in fields]
        try:
            results.append(
                _enrich_one(article, field_docs, extract_dates, fallback_reference, Enrichment(ner=ner))
            )
        except Exception as exc:
            results.append(EnrichError(f"article {article.id}: {type(exc).__name__}: {exc}"))
    return results


def _pipe(nlp: Language, texts: list[str], batch_size: int) -> Iterator[Doc | BaseException]:
    if texts and max(len(text) for text in texts) > nlp.max_length:
        nlp.max_length = max(len(text) for text in texts) + 1
    return _docs(nlp, texts, batch_size)


# Labels of WikiNER-style models (French) in the OntoNotes names the records use.
_LABELS = {"PER": "PERSON"}


def _enrich_one(
    article: Article,
    field_docs: list[tuple[FieldName, str, Doc | BaseException | None]],
    extract_dates: DateExtractor | None,
    fallback_reference: datetime,
    enrichment: Enrichment,
) -> EnrichedParts:
    mentions: list[Mention] = []
    body = ""
    for name, text, doc in field_docs:
        if isinstance(doc, BaseException):
            raise doc
        if doc is not None:
            spans = ((e.start_char, e.end_char, _LABELS.get(e.label_, e.label_)) for e in doc.ents)
            mentions.extend(mentions_from_spans(name, text, spans))
        if name == "body":
            body = text
    texts = {name: text for name, text, _ in field_docs}
    entities: list[Entity] = []
    # No model read the article (its language has none, or is unknown): no entities at all, not
    # even those the rules find without NER (a dateline's place, an acronym), so an empty list
    # and ``enrichment.ner`` always agree.
    if any(doc is not None for _, _, doc in field_docs):
        mentions = definite_references(propagate_mentions(mentions, texts), texts)
        entities = canonical_entities(
            mentions,
            lead_end=lead_end(article, body) if body else None,
            texts=texts,
            language=article.language,
        )
    dates: list[DateMention] = []
    if extract_dates is not None:
        # Without a publication date the reference is an ingestion time: tense-less expressions
        # then resolve to the past (news reports what happened).
        is_publication = (
            article.published_at is not None
            and article.published_at_source is not PublishedAtSource.INGESTION
        )
        # The article's own day: "tonight" at 23:30 -05:00 is that evening, not the next UTC day.
        reference = article.published_local() or fallback_reference
        for name, text, _ in field_docs:
            dates.extend(
                extract_dates(
                    text, name, reference, reference_is_publication=is_publication, language=article.language
                )
            )
    return EnrichedParts(entities, dates, enrichment)
