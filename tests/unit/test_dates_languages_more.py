"""Dates in es/fr/de/pt/it: the classes batches 26-28 exposed (sets, the present, holidays, parts
of a named day, weekday ranges, tense cues), each checked in every language it applies to."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.enrich.dates import extract_dates

REF = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)  # a Wednesday
DEC = datetime(2026, 12, 19, 10, 0, tzinfo=UTC)


def values(text: str, language: str, reference: datetime = REF) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference, language=language)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "El ministerio revisará la situación cada semana.", [("cada semana", "P1W")]),
        (
            "es",
            "Se celebra todos los años y cada dos meses hay reuniones.",
            [("todos los años", "P1Y"), ("cada dos meses", "P2M")],
        ),
        ("pt", "A vacinação acontece todos os outonos.", [("todos os outonos", "XXXX-FA")]),
        (
            "fr",
            "Chaque automne, les domaines recrutent ; les élections ont lieu tous les deux ans.",
            [("Chaque automne", "XXXX-FA"), ("tous les deux ans", "P2Y")],
        ),
        (
            "it",
            "Ogni settimana il ministero pubblica i dati, ogni anno un rapporto.",
            [("Ogni settimana", "P1W"), ("ogni anno", "P1Y")],
        ),
        (
            "de",
            "Übungen finden jeden Herbst statt, Wahlen alle vier Jahre.",
            [("jeden Herbst", "XXXX-FA"), ("alle vier Jahre", "P4Y")],
        ),
        ("es", "Cada uno de los paros durará un día.", []),
    ],
)
def test_every_unit_or_season_is_a_set(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert [v for v in values(text, language) if v[1] is None or not v[1].startswith("P1D")] == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "Los embalses están actualmente al 38%.", [("actualmente", "PRESENT_REF")]),
        ("pt", "A campanha atualmente cobre 75% do público.", [("atualmente", "PRESENT_REF")]),
        ("fr", "Le taux est actuellement de 3 %.", [("actuellement", "PRESENT_REF")]),
        ("it", "Attualmente mancano 40.000 docenti.", [("Attualmente", "PRESENT_REF")]),
        ("de", "Der Pegel liegt derzeit bei 8 Metern.", [("derzeit", "PRESENT_REF")]),
        # opening a sentence too: the es/fr/de/it/pt gold tags it there (unlike English "Currently,")
        ("es", "Actualmente, el Gobierno estudia el plan.", [("Actualmente", "PRESENT_REF")]),
        ("fr", "Actuellement, les raisins sont cueillis à la main.", [("Actuellement", "PRESENT_REF")]),
    ],
)
def test_adverbs_of_the_present(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected", "reference"),
    [
        (
            "fr",
            "Les billets pour la Toussaint seront mis en vente demain.",
            [("Toussaint", "2026-11-01"), ("demain", "2026-03-12")],
            REF,
        ),
        (
            "it",
            "Traffico record per Ferragosto, poi Ognissanti.",
            [("Ferragosto", "2026-08-15"), ("Ognissanti", "2025-11-01")],
            REF,
        ),
        ("de", "An Allerheiligen bleiben die Geschäfte geschlossen.", [("Allerheiligen", "2025-11-01")], REF),
        ("es", "El día de Reyes llegará con lluvia.", [("día de Reyes", "2027-01-06")], DEC),
        (
            "pt",
            "O metro vai funcionar na noite de passagem de ano.",
            [("noite de passagem de ano", "2026-12-31TNI")],
            DEC,
        ),
        (
            "fr",
            "La fête aura lieu la nuit de la Saint-Sylvestre.",
            [("nuit de la Saint-Sylvestre", "2026-12-31TNI")],
            DEC,
        ),
        ("pt", "O congresso foi em Natal, no Rio Grande do Norte.", [], REF),
    ],
)
def test_holidays_and_a_night_of_a_holiday(
    language: str, text: str, expected: list[tuple[str, str]], reference: datetime
) -> None:
    assert values(text, language, reference) == expected


def test_a_holiday_after_an_elided_article() -> None:
    text = "I negozi resteranno chiusi per l'Epifania e dopo l'Immacolata."
    assert values(text, "it", DEC) == [("Epifania", "2027-01-06"), ("Immacolata", "2026-12-08")]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "es",
            "Los agricultores, que se manifestaron en Sevilla, piden ayudas antes del verano.",
            [("verano", "2026-SU")],  # the contraction is left out of the span
        ),
        ("pt", "As obras terminam antes do inverno.", [("inverno", "2026-WI")]),
        ("it", "Il cantiere chiuderà prima dell'estate.", [("estate", "2026-SU")]),
    ],
)
def test_a_season_after_a_contracted_article(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected


SATURDAY = datetime(2026, 8, 15, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "fr",
            "Les estimations seront publiées dimanche soir, dès 20 heures.",
            [("dimanche soir", "2026-03-15TEV"), ("20 heures", "2026-03-15T20:00")],
        ),
        ("it", "Il picco di partenze è atteso domani mattina.", [("domani mattina", "2026-03-12TMO")]),
        ("es", "El pleno se reunirá el lunes por la noche.", [("lunes por la noche", "2026-03-16TNI")]),
        ("pt", "O jogo foi ontem à noite.", [("ontem à noite", "2026-03-10TNI")]),
        ("de", "Der Ausschuss tagte gestern Abend.", [("gestern Abend", "2026-03-10TEV")]),
    ],
)
def test_a_part_of_the_day_after_a_named_day(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "it",
            "Da venerdì a domenica sono previsti dieci milioni di spostamenti.",
            [("venerdì", "2026-08-14"), ("domenica", "2026-08-16")],
        ),
        (
            "de",
            "Von Freitag bis Sonntag wird mit Staus gerechnet.",
            [("Freitag", "2026-08-14"), ("Sonntag", "2026-08-16")],
        ),
        ("es", "Del lunes al miércoles hubo cortes.", [("lunes", "2026-08-10"), ("miércoles", "2026-08-12")]),
    ],
)
def test_a_range_of_weekdays_taking_in_today(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language, SATURDAY) == expected


SUNDAY = datetime(2026, 5, 17, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "de",
            "Der Wetterdienst warnte am Samstag vor Regen in der kommenden Woche.",
            [("Samstag", "2026-05-16"), ("kommenden Woche", "2026-W21")],
        ),
        (
            "de",
            "Die Stadt erwartet den Höchststand am Montagabend und hat die Altstadt gesperrt.",
            [("Montagabend", "2026-05-18TEV")],
        ),
        ("de", "Die Runde ist für Dienstag angesetzt.", [("Dienstag", "2026-05-19")]),
        ("it", "Gli arrivi sono attesi martedì.", [("martedì", "2026-05-19")]),
        (
            "fr",
            "Les contrôleurs menacent de faire grève en août, comme il y a deux ans.",
            [("août", "2026-08"), ("il y a deux ans", "2024")],
        ),
    ],
)
def test_tense_cues(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, language, SUNDAY) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("it", "La rete negli anni Sessanta contava 2.000 chilometri.", [("anni Sessanta", "196")]),
        ("es", "En los años noventa llovía más.", [("los años noventa", "199")]),
        (
            "fr",
            "Dans les années quatre-vingt-dix, les vendanges étaient tardives.",
            [("les années quatre-vingt-dix", "199")],
        ),
        ("de", "Seit den Neunzigerjahren wurden die Mauern erhöht.", [("den Neunzigerjahren", "199")]),
        ("pt", "A meta é vacinar até o fim do primeiro semestre.", [("primeiro semestre", "2026-H1")]),
        ("es", "El paro bajó en el segundo semestre de 2025.", [("el segundo semestre de 2025", "2025-H2")]),
        ("de", "Im ersten Halbjahr stieg der Umsatz.", [("ersten Halbjahr", "2026-H1")]),
    ],
)
def test_decades_in_words_and_halves(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, language) == expected
