"""TIMEX3 date tagging: ``extract_dates`` finds and normalises temporal expressions in one field.

Modules by concern: ``core`` (English recognition, tense and anchoring, normalisation, the
driver), ``languages`` (Spanish, French, German, Portuguese, Italian vocabularies feeding the same
resolution), ``evaluation`` (TempEval-3 style scoring, shared by the quality benchmark and tests).
"""

from __future__ import annotations

from datetime import datetime

from streamproc.enrich.dates import core, languages
from streamproc.models import DateMention, FieldName

__all__ = ["SUPPORTED_LANGUAGES", "extract_dates"]

SUPPORTED_LANGUAGES = frozenset({"en", *languages.SUPPORTED})


def extract_dates(
    text: str,
    field: FieldName,
    reference: datetime,
    *,
    reference_is_publication: bool = True,
    language: str | None = None,
) -> list[DateMention]:
    """Every temporal expression in ``text`` with a TIMEX3 value resolved against ``reference``.

    ``language`` is the article's detected language: English rules for "en" or unknown (None),
    that language's vocabulary for es/fr/de/pt/it, and for any other language only the
    language-neutral expressions (ISO dates, years) rather than English guesses.
    """
    if language is None or language == "en":
        return core.extract_dates(text, field, reference, reference_is_publication=reference_is_publication)
    if language in languages.SUPPORTED:
        return languages.extract_foreign_dates(
            text, field, reference, reference_is_publication=reference_is_publication, language=language
        )
    return languages.extract_neutral_dates(
        text, field, reference, reference_is_publication=reference_is_publication
    )
