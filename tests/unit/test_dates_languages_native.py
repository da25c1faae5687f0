"""Dates in es/fr/de/pt/it: how natives write them, by class (held-out batches 32-34 showed the
gaps): a weekday in the present tense is the one ahead, what happened is in a past tense; "since"
looks back; holidays counted from Easter; sets per day and every weekend; half an hour..."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.enrich.dates import extract_dates

WEDNESDAY = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)  # Monday 9, Friday 13, Saturday 14, Monday 16


def values(text: str, language: str, reference: datetime = WEDNESDAY) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference, language=language)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # the present tells what is planned: the weekday ahead
        ("es", "Los controladores recomiendan no viajar el viernes.", [("viernes", "2026-03-13")]),
        ("fr", "Les vendanges démarrent lundi en Champagne.", [("lundi", "2026-03-16")]),
        ("de", "Die Freibäder starten am Samstag in die Saison.", [("Samstag", "2026-03-14")]),
        ("pt", "Na sexta-feira, o clube enfrenta o Santos.", [("sexta-feira", "2026-03-13")]),
        ("it", "I treni si fermano venerdì.", [("venerdì", "2026-03-13")]),
        # a past tense, simple or compound, looks back
        ("es", "El rector anunció el lunes la subida.", [("lunes", "2026-03-09")]),
        ("fr", "La campagne s'est achevée lundi.", [("lundi", "2026-03-09")]),
        ("de", "Am Montag stellte die Partei ihr Programm vor.", [("Montag", "2026-03-09")]),
        (
            "pt",
            "O feriado de segunda-feira trouxe milhares de visitantes.",
            [("segunda-feira", "2026-03-09")],
        ),
        ("pt", "O Palmeiras venceu na segunda-feira.", [("segunda-feira", "2026-03-09")]),
        ("it", "L'udienza si è chiusa lunedì.", [("lunedì", "2026-03-09")]),
        # "since" looks back whatever the verb
        ("de", "Seit Montag regnet es.", [("Montag", "2026-03-09")]),
        ("es", "Llueve desde el lunes.", [("lunes", "2026-03-09")]),
        ("fr", "Il pleut depuis lundi.", [("lundi", "2026-03-09")]),
    ],
)
def test_a_weekday_in_the_present_is_ahead_in_a_past_tense_behind(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # a past verb tells when the meeting was called, not when it meets
        (
            "es",
            "El ministerio ha convocado a las partes a una reunión el viernes.",
            [("viernes", "2026-03-13")],
        ),
        ("fr", "Le syndicat a demandé une réunion vendredi.", [("vendredi", "2026-03-13")]),
        # the verb after the event's day still dates it
        ("fr", "La réunion de lundi a permis un accord.", [("lundi", "2026-03-09")]),
        # two weekdays joined take the pair's verb
        (
            "it",
            "Secondo Anas, tra venerdì e domenica si metteranno in viaggio 12 milioni di veicoli.",
            [("venerdì", "2026-03-13"), ("domenica", "2026-03-15")],
        ),
    ],
)
def test_a_weekday_after_an_event_or_joined_to_another(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected
