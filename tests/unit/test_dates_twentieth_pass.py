"""Twentieth dates pass: classes from TimeBank+AQUAINT's value errors and the leftovers of the
nineteenth review. Sentences written here, none from a corpus; each test fails on main (1bac294)."""

from __future__ import annotations

from datetime import datetime

import pytest

from streamproc.enrich.dates import extract_dates


def values(text: str, reference: str, language: str = "en") -> list[tuple[str, str | None]]:
    return [
        (m.text, m.value)
        for m in extract_dates(text, "body", datetime.fromisoformat(reference), language=language)
    ]


# A fraction of an hour or a minute is written in the next unit down, as the other languages'
# fixed phrases ("una hora y media" PT1H30M) and TimeML do; calendar units keep the decimal.
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "The talks lasted 5 1/2 hours.", ("5 1/2 hours", "PT5H30M")),
        ("en", "The talks lasted two and a half hours.", ("two and a half hours", "PT2H30M")),
        ("en", "The vote took a minute and a half.", ("a minute and a half", "PT1M30S")),
        ("en", "The vote took half an hour.", ("half an hour", "PT30M")),
        ("en", "The flight took 2.25 hours.", ("2.25 hours", "PT2H15M")),
        ("en", "He served 2 1/2 years.", ("2 1/2 years", "P2.5Y")),
        ("es", "La reunión duró dos horas y media.", ("dos horas y media", "PT2H30M")),
        ("pt", "A reunião durou duas horas e meia.", ("duas horas e meia", "PT2H30M")),
        ("fr", "La réunion a duré deux heures et demie.", ("deux heures et demie", "PT2H30M")),
        ("it", "La riunione è durata due ore e mezza.", ("due ore e mezza", "PT2H30M")),
        ("es", "El cierre duró dos años y medio.", ("dos años y medio", "P2.5Y")),
        ("es", "La fábrica cerró hace dos años y medio.", ("hace dos años y medio", "2023-12")),
    ],
)
def test_a_fraction_of_an_hour_is_written_in_minutes(
    language: str, text: str, expected: tuple[str, str]
) -> None:
    assert values(text, "2026-06-10T10:00:00", language) == [expected]


# "had" with a noun or an adverb before its deadline preposition ("tenían plazo hasta el", "avevano
# tempo fino al", "hatten noch bis zum") dates the deadline back, as "tenían hasta el" does; the
# present still looks ahead.
@pytest.mark.parametrize(
    ("language", "past", "present", "date", "value_past", "value_present"),
    [
        (
            "es",
            "Los grupos tenían plazo hasta el 31 de mayo para presentar ofertas.",
            "Los grupos tienen plazo hasta el 31 de mayo para presentar ofertas.",
            "31 de mayo",
            "2026-05-31",
            "2027-05-31",
        ),
        (
            "it",
            "I gruppi avevano tempo fino al 31 maggio per le offerte.",
            "I gruppi hanno tempo fino al 31 maggio per le offerte.",
            "31 maggio",
            "2026-05-31",
            "2027-05-31",
        ),
        (
            "de",
            "Die Gruppen hatten noch bis zum 31. Mai Zeit.",
            "Die Gruppen haben noch bis zum 31. Mai Zeit.",
            "31. Mai",
            "2026-05-31",
            "2027-05-31",
        ),
    ],
)
def test_had_with_words_before_the_deadline_dates_it_back(
    language: str, past: str, present: str, date: str, value_past: str, value_present: str
) -> None:
    assert values(past, "2026-06-10T10:00:00", language) == [(date, value_past)]
    assert values(present, "2026-06-10T10:00:00", language) == [(date, value_present)]


# A count of years back written in digits dates the month after it, as one in words does.
@pytest.mark.parametrize(
    ("language", "text", "month"),
    [
        ("de", "Vor 20 Jahren fiel im Januar der erste Schnee.", "Januar"),
        ("en", "20 years ago, the river froze in January.", "January"),
        ("es", "Hace 20 años, el río se heló en enero.", "enero"),
    ],
)
def test_a_count_of_years_back_in_digits_dates_the_month(language: str, text: str, month: str) -> None:
    assert (month, "2006-01") in values(text, "2026-06-10T10:00:00", language)


def test_a_date_between_still_stops_the_count_back() -> None:
    # "2019" between the count and the month is the month's own year
    text = "Vor 20 Jahren gegründet, zog die Firma im Januar 2019 um."
    assert ("Januar 2019", "2019-01") in values(text, "2026-06-10T10:00:00", "de")


# "the same week last year" took only "last year" (the whole year): the reference's own day, week,
# month or (in results news) reported quarter, one year back.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pollen counts were lower the same week last year.", ("the same week last year", "2025-W20")),
        ("Mortgage rates were higher this time last year.", ("this time last year", "2025-05")),
        ("Traffic fell from the same day last year.", ("the same day last year", "2025-05-14")),
        ("Prices rose from the same month a year earlier.", ("the same month a year earlier", "2025-05")),
        (
            "Net profit rose 5% from the corresponding period last year.",
            ("the corresponding period last year", "2025-Q1"),
        ),
    ],
)
def test_the_same_unit_last_year_is_that_unit_a_year_back(text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2026-05-14T10:00:00") == [expected]


def test_the_same_period_outside_results_news_keeps_last_year() -> None:
    # no results word: the period's span is unknown, "last year" is tagged alone
    text = "Visitors to the park doubled from the same period last year."
    assert values(text, "2026-05-14T10:00:00") == [("last year", "2025")]


def test_a_leap_day_a_year_back_is_the_28th() -> None:
    assert values("Traffic fell from the same day last year.", "2028-02-29T10:00:00") == [
        ("the same day last year", "2027-02-28")
    ]


# "la segunda mitad del año" took only "mitad del año" (the whole year): a half of the year, as "el
# segundo semestre" is; "la mitad de los trabajadores" and a game's half stay untagged.
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "Las ventas crecerán en la segunda mitad del año.", ("la segunda mitad del año", "2027-H2")),
        ("es", "Las ventas cayeron en la primera mitad de 2026.", ("la primera mitad de 2026", "2026-H1")),
        ("pt", "As vendas vão crescer na segunda metade do ano.", ("segunda metade do ano", "2027-H2")),
        (
            "fr",
            "Les ventes progresseront dans la seconde moitié de l'année.",
            ("la seconde moitié de l'année", "2027-H2"),
        ),
        ("it", "Le vendite cresceranno nella seconda metà dell'anno.", ("seconda metà dell'anno", "2027-H2")),
        ("de", "Die Umsätze steigen in der zweiten Jahreshälfte.", ("zweiten Jahreshälfte", "2027-H2")),
    ],
)
def test_a_half_of_the_year_is_a_half(language: str, text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2027-07-01T10:00:00", language) == [expected]


def test_a_half_of_something_else_is_no_date() -> None:
    assert (
        values("La mitad de los trabajadores y la primera mitad del partido.", "2027-07-01T10:00:00", "es")
        == []
    )


# "de dois em dois anos" read as "em dois anos" (two years ahead): the count said twice is a set,
# as "a cada dois anos"; two different counts are no set.
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("pt", "O concurso é realizado de dois em dois anos.", [("de dois em dois anos", "P2Y")]),
        ("pt", "O exame é feito de seis em seis meses.", [("de seis em seis meses", "P6M")]),
        ("es", "La tarifa se revisa de tres en tres meses.", [("de tres en tres meses", "P3M")]),
    ],
)
def test_the_count_said_twice_is_a_set(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    mentions = extract_dates(text, "body", datetime.fromisoformat("2027-02-24T10:00:00"), language=language)
    assert [(m.text, m.value) for m in mentions] == expected
    assert [m.type for m in mentions] == ["SET"]


# A relative week or month after a contraction ("del", "da", "du", "della") lost its article and
# with it every match: the phrase without its article is the same week or month.
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "Los datos del mes pasado fueron peores.", ("mes pasado", "2026-07")),
        ("es", "La reunión del próximo mes será clave.", ("próximo mes", "2026-09")),
        ("pt", "Montam os estandes ao longo da próxima semana.", ("próxima semana", "2026-W36")),
        ("pt", "Os dados do mês passado foram piores.", ("mês passado", "2026-07")),
        ("fr", "Les chiffres du mois dernier sont mauvais.", ("mois dernier", "2026-07")),
        ("it", "La riunione della prossima settimana è decisiva.", ("prossima settimana", "2026-W36")),
    ],
)
def test_a_week_or_month_after_a_contraction(language: str, text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2026-08-29T10:00:00", language) == [expected]


# "unos minutos", "umas horas": an indefinite plural before a unit is a vague count, as "algunos"
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "Deben dejar correr el grifo durante unos minutos.", [("unos minutos", "PTXM")]),
        ("pt", "A fila andou depois de umas horas.", [("umas horas", "PTXH")]),
        ("es", "El corte duró unos 20 minutos.", [("20 minutos", "PT20M")]),
    ],
)
def test_an_indefinite_plural_is_a_vague_count(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, "2026-09-06T10:00:00", language) == expected


# "a las 8 y media" was 08:00 (the half dropped): half or a quarter past the hour
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "La reunión empieza a las 8 y media.", ("8 y media", "2026-08-29T08:30")),
        ("es", "El tren sale a las 10 y cuarto.", ("10 y cuarto", "2026-08-29T10:15")),
        ("fr", "La réunion commence à 8 heures et demie.", ("8 heures et demie", "2026-08-29T08:30")),
        ("fr", "Le concert commence à 20 heures et quart.", ("20 heures et quart", "2026-08-29T20:15")),
        ("it", "La riunione inizia alle 8 e mezza.", ("8 e mezza", "2026-08-29T08:30")),
        ("pt", "A reunião começa às 8 e meia.", ("8 e meia", "2026-08-29T08:30")),
    ],
)
def test_half_or_a_quarter_past_the_hour(language: str, text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2026-08-29T07:00:00", language) == [expected]


def test_a_range_of_bare_hours_keeps_its_ends() -> None:
    assert values("Abierto entre las 8 y las 13.", "2026-08-29T07:00:00", "es") == [
        ("8", "2026-08-29T08:00"),
        ("13", "2026-08-29T13:00"),
    ]
