"""TIMEX3 date tagging: ``extract_dates`` finds and normalises temporal expressions in one field.

Modules by concern: ``core`` (English recognition, tense and anchoring, normalisation, the
driver), ``languages`` (Spanish, French, German, Portuguese, Italian vocabularies feeding the same
resolution), ``evaluation`` (TempEval-3 style scoring, shared by the quality benchmark and tests).
"""

from streamproc.enrich.dates.core import extract_dates

__all__ = ["extract_dates"]
