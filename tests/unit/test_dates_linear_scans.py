"""Long texts of clock ranges cost time linear in their length: deterministic counts of the work
done (days looked at per clock time, characters scanned for weekdays) grow 4x, not 16x, when the
text grows 4x (2 KB to 8 KB). A pass over the whole text per mention (the quadratic) fails these."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from streamproc.enrich.dates import core, extract_dates, languages

REFERENCE = datetime(2025, 9, 4, 12, 0, tzinfo=UTC)
SENTENCES = {
    "es": "entre las 22:00 y las 8:00 del miércoles, ",
    "pt": "das 22h às 8h de quarta-feira, ",
    "fr": "entre 22 h et 8 h mercredi, ",
    "de": "zwischen 22 Uhr und 8 Uhr am Mittwoch, ",
    "it": "dalle 22 alle 8 di mercoledì, ",
}


def _text(sentence: str, kb: int) -> str:
    return sentence * (kb * 1000 // len(sentence))


class _CountingPattern:
    """A compiled pattern that adds up the characters its ``finditer`` calls scan."""

    def __init__(self, pattern: re.Pattern[str], counter: list[int]) -> None:
        self.pattern, self.counter = pattern, counter

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        end = len(text) if endpos is None else endpos
        self.counter[0] += max(0, end - pos)
        return self.pattern.finditer(text, pos, end)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)


def _weekday_chars_scanned(monkeypatch: pytest.MonkeyPatch, language: str, kb: int) -> int:
    counter = [0]
    original = languages._ForeignDoc.__init__

    def counting_init(self: languages._ForeignDoc, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.weekday_pattern = _CountingPattern(self.weekday_pattern, counter)  # type: ignore[assignment]

    monkeypatch.setattr(languages._ForeignDoc, "__init__", counting_init)
    extract_dates(_text(SENTENCES[language], kb), "body", REFERENCE, language=language)
    monkeypatch.undo()
    return counter[0]


def _days_looked_at(monkeypatch: pytest.MonkeyPatch, language: str, kb: int) -> int:
    looked = [0]
    original = core._days_for_the_tense

    def counting(
        days: list[core._Candidate], doc: core._Doc, clock: core._Candidate
    ) -> list[core._Candidate]:
        looked[0] += len(days)
        return original(days, doc, clock)

    monkeypatch.setattr(core, "_days_for_the_tense", counting)
    extract_dates(_text(SENTENCES[language], kb), "body", REFERENCE, language=language)
    monkeypatch.undo()
    return looked[0]


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_weekday_scans_grow_linearly(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    small, large = (_weekday_chars_scanned(monkeypatch, language, kb) for kb in (2, 8))
    assert 0 < large <= 5 * small


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_days_looked_at_per_clock_grow_linearly(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    small, large = (_days_looked_at(monkeypatch, language, kb) for kb in (2, 8))
    assert 0 < large <= 5 * small
