"""Ninth pass, es/fr/de/pt/it: lengths of time joined by "and", German declensions and the edges
of a week. Sentences written here, not taken from the written batches.

Reference: Wednesday 2026-03-04 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime

from streamproc.enrich.dates import extract_dates

REF = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
SUNDAY = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)


def values(text: str, language: str, reference: datetime = REF) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference, language=language)]


def test_units_joined_by_and_are_one_length_of_time() -> None:
    assert values("Er wurde zu vier Jahren und drei Monaten Haft verurteilt.", "de") == [
        ("vier Jahren und drei Monaten", "P4Y3M")
    ]
    assert values("Fue condenado a dos años y seis meses de prisión.", "es") == [
        ("dos años y seis meses", "P2Y6M")
    ]
    assert values("Il a été condamné à deux ans et six mois de prison.", "fr") == [
        ("deux ans et six mois", "P2Y6M")
    ]
    assert values("È stato condannato a due anni e sei mesi di reclusione.", "it") == [
        ("due anni e sei mesi", "P2Y6M")
    ]
    assert values("A sessão durou duas horas e 30 minutos.", "pt") == [("duas horas e 30 minutos", "PT2H30M")]
    # units that do not fall from the first to the second are two lengths
    assert values("Es dauerte drei Monate und zwei Jahre.", "de") == [
        ("drei Monate", "P3M"),
        ("zwei Jahre", "P2Y"),
    ]
    # an age stays untagged
    assert values("Un homme de 45 ans et sa femme ont été arrêtés.", "fr") == []


def test_german_strong_declension_after_seit_and_anfang() -> None:
    assert values("Er sitzt seit vergangenem Oktober in Untersuchungshaft.", "de") == [("Oktober", "2025-10")]
    assert values("Seit letzter Woche ist die Strecke gesperrt.", "de") == [("letzter Woche", "2026-W09")]
    assert values("Ab kommendem Montag gilt der neue Fahrplan.", "de")[0][1] == "2026-03-09"


def test_a_german_weekday_with_frueh_is_its_morning() -> None:
    assert values("Das Sturmtief soll erst bis Freitagfrüh abziehen.", "de") == [
        ("Freitagfrüh", "2026-03-06TMO")
    ]


def test_an_edge_of_a_week_is_that_week() -> None:
    assert values("Das Verfahren wird Anfang nächster Woche fortgesetzt.", "de") == [
        ("Anfang nächster Woche", "2026-W11")
    ]
    assert values("Mitte der Woche soll es kälter werden.", "de") == [("Mitte der Woche", "2026-W10")]
    # on a weekend the middle of this week is behind: the coming one, unless told in the past
    assert values("Mitte der Woche soll es kälter werden.", "de", SUNDAY) == [("Mitte der Woche", "2026-W11")]
    assert values("Anfang der Woche war es noch warm.", "de", SUNDAY) == [("Anfang der Woche", "2026-W10")]


def test_a_date_naming_a_street_square_or_bridge_is_no_time() -> None:
    assert values("A Ponte 25 de Abril terá uma faixa cortada a partir de 1 de abril.", "pt") == [
        ("1 de abril", "2026-04-01")
    ]
    assert values("La marcha recorrió la Avenida 9 de Julio.", "es") == []
    assert values("Il corteo è partito da piazza 4 Novembre.", "it") == []
    # a date after a place noun with its own preposition stays a date
    assert values("A obra na rua começa a 25 de abril.", "pt") == [("25 de abril", "2026-04-25")]


def test_a_year_phrase_after_a_contraction_or_an_elided_article() -> None:
    assert values("O vencedor do ano passado não vai defender o título.", "pt") == [("ano passado", "2025")]
    assert values("El ganador del año pasado no defenderá el título.", "es") == [("año pasado", "2025")]
    assert values("Il vincitore dell'anno scorso non difenderà il titolo.", "it") == [("anno scorso", "2025")]


def test_italian_elided_tens_before_anni() -> None:
    assert values("Una svolta attesa da vent'anni.", "it") == [("vent'anni", "P20Y")]
    assert values("Una svolta attesa da trent’anni.", "it") == [("trent’anni", "P30Y")]


def test_portuguese_toda_before_a_weekday_is_every() -> None:
    assert values("Agentes visitarão imóveis toda quinta-feira.", "pt") == [
        ("toda quinta-feira", "XXXX-WXX-4")
    ]


def test_a_month_opening_its_sentence_before_to_be_is_the_month() -> None:
    assert values('"Diciembre será un mes muy exigente", dijo el capitán.', "es") == [
        ("Diciembre", "2026-12")
    ]
    assert values("Febrero fue el mes más frío desde 2012.", "es") == [
        ("Febrero", "2026-02"),
        ("2012", "2012"),
    ]
    # another verb after it: a name ("Mayo" the surname)
    assert values("Mayo dijo que no volverá.", "es") == []


def test_a_month_after_to_be_is_a_predicate_noun_not_a_length() -> None:
    assert values("El plazo fue un mes más largo.", "es") == []
    assert values("Estuvo preso durante un mes.", "es") == [("un mes", "P1M")]


def test_the_edge_of_the_month_of_a_named_month_is_that_month() -> None:
    assert values("Il quittera ses fonctions à la fin du mois de mars.", "fr") == [
        ("fin du mois de mars", "2026-03")
    ]
    assert values("Les magasins ferment à la fin du mois.", "fr") == [("la fin du mois", "2026-03")]


def test_the_eve_of_a_holiday_is_the_day_before() -> None:
    december = datetime(2026, 12, 19, tzinfo=UTC)
    assert values("Il pleuvra la veille de Noël.", "fr", december) == [("la veille de Noël", "2026-12-24")]
    assert values("Las tiendas abren la víspera de Navidad.", "es", december) == [
        ("la víspera de Navidad", "2026-12-24")
    ]


def test_french_irregular_participles_tell_the_past() -> None:
    tuesday = datetime(2026, 3, 17, 12, tzinfo=UTC)
    assert values("Le procès, ouvert lundi, doit durer trois semaines.", "fr", tuesday) == [
        ("lundi", "2026-03-16"),
        ("trois semaines", "P3W"),
    ]
    assert values("Le concert aura lieu lundi.", "fr", tuesday) == [("lundi", "2026-03-23")]
