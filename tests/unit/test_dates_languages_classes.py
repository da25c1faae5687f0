"""Dates in es/fr/de/pt/it: the classes batches 29-31 exposed (weekdays joined or named again, day
ranges joined by "et/y/und", frequencies, the last N units, edges of the month, clock words...),
each checked in the languages it applies to and against the look-alikes it must leave alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.enrich.dates import extract_dates

SUNDAY = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
WEDNESDAY = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)


def values(text: str, language: str, reference: datetime = WEDNESDAY) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference, language=language)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "de",
            "Verdi hat für Dienstag und Mittwoch Warnstreiks angekündigt. Der Streik beginnt am Dienstag.",
            [("Dienstag", "2026-11-03"), ("Mittwoch", "2026-11-04"), ("Dienstag", "2026-11-03")],
        ),
        (
            "es",
            "Los médicos harán huelga el lunes y el martes. El paro empieza el lunes.",
            [("lunes", "2026-11-02"), ("martes", "2026-11-03"), ("lunes", "2026-11-02")],
        ),
        (
            "fr",
            "Les trains ont été supprimés vendredi et samedi.",
            [("vendredi", "2026-10-30"), ("samedi", "2026-10-31")],
        ),
        # a weekday with its own cue keeps it: the one named before does not decide
        (
            "it",
            "Il governo ha approvato martedì il decreto. Il Senato voterà martedì.",
            [("martedì", "2026-10-27"), ("martedì", "2026-11-03")],
        ),
    ],
)
def test_a_weekday_joined_to_another_or_named_again(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language, SUNDAY) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "Sufren cortes de agua dos veces por semana.", [("dos veces por semana", "P1W")]),
        ("es", "El metro transporta 1,4 millones de viajeros diarios.", [("diarios", "P1D")]),
        ("pt", "Os meios aéreos continuam disponíveis diariamente.", [("diariamente", "P1D")]),
        ("pt", "Os sindicatos prometem protestos semanais.", [("semanais", "P1W")]),
        ("fr", "Les trains circulent trois fois par jour.", [("trois fois par jour", "P1D")]),
        ("it", "Il bollettino esce due volte al giorno.", [("due volte al giorno", "P1D")]),
        ("de", "Der Krisenstab tagt zweimal täglich.", [("zweimal täglich", "P1D")]),
        ("de", "Die Kommission trifft sich einmal im Monat.", [("einmal im Monat", "P1M")]),
        # a newspaper, a name, an amount: no set
        ("es", "Lo publicó el diario El País.", []),
        ("pt", "Segundo o Diário de Notícias, o plano avança.", []),
        ("fr", "Le loyer mensuel atteint 900 euros, selon le quotidien Le Monde.", []),
    ],
)
def test_frequencies_are_sets(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, language) == expected
