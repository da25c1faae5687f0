"""Dates in Spanish, French, German, Portuguese and Italian, selected by the article's language."""
# ruff: noqa: E501  (one case per line reads better than wrapped tuples)

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streamproc.enrich.dates import extract_dates

REF = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)  # a Wednesday


def values(text: str, language: str, reference: datetime = REF) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference, language=language)]


CASES = [
    # Spanish
    ("es", "La feria abrirá el 5 de marzo de 2027.", [("5 de marzo de 2027", "2027-03-05")]),
    ("es", "El acuerdo se firmó el 2 de febrero.", [("2 de febrero", "2026-02-02")]),
    ("es", "El presidente viajó ayer a Lima y mañana irá a Quito.", [("ayer", "2026-03-10"), ("mañana", "2026-03-12")]),
    ("es", "La reunión terminó el lunes.", [("lunes", "2026-03-09")]),
    ("es", "El juicio comenzará el lunes.", [("lunes", "2026-03-16")]),
    ("es", "Llegó por la mañana.", [("la mañana", "2026-03-11TMO")]),  # the morning, not "tomorrow"
    ("es", "Las ventas cayeron en enero de 2025.", [("enero de 2025", "2025-01")]),
    ("es", "El año pasado hubo elecciones.", [("El año pasado", "2025")]),
    # French
    ("fr", "Le sommet aura lieu le 3 avril.", [("3 avril", "2026-04-03")]),
    ("fr", "La loi entrera en vigueur le 1er janvier 2027.", [("1er janvier 2027", "2027-01-01")]),
    ("fr", "Hier, le ministre a parlé ; demain il votera.", [("Hier", "2026-03-10"), ("demain", "2026-03-12")]),
    ("fr", "Le texte a été adopté mardi.", [("mardi", "2026-03-10")]),
    # the qualifier is part of the expression, as "next Friday" is
    ("fr", "Le vote aura lieu vendredi prochain.", [("vendredi prochain", "2026-03-13")]),
    ("fr", "Aujourd'hui, les députés débattent.", [("Aujourd'hui", "2026-03-11")]),
    # German
    ("de", "Der Bundestag stimmt am 3. April 2026 ab.", [("3. April 2026", "2026-04-03")]),
    ("de", "Gestern tagte der Rat, heute berät der Ausschuss.", [("Gestern", "2026-03-10"), ("heute", "2026-03-11")]),
    ("de", "Die Regierung hat am Dienstag entschieden.", [("Dienstag", "2026-03-10")]),
    ("de", "Am nächsten Montag wird gewählt.", [("nächsten Montag", "2026-03-16")]),
    ("de", "Er kam am Morgen an.", []),
    ("de", "Die Steuer wird ab Januar sinken.", [("Januar", "2027-01")]),
    ("de", "Am 14.02.2025 wurde das Gesetz verkündet.", [("14.02.2025", "2025-02-14")]),
    # Portuguese
    ("pt", "O pacote entra em vigor em 1 de julho de 2026.", [("1 de julho de 2026", "2026-07-01")]),
    ("pt", "O governo anunciou na terça-feira o plano.", [("terça-feira", "2026-03-10")]),
    ("pt", "Ontem houve greve; hoje há reunião e amanhã votação.", [("Ontem", "2026-03-10"), ("hoje", "2026-03-11"), ("amanhã", "2026-03-12")]),
    ("pt", "A votação está marcada para 20 de março.", [("20 de março", "2026-03-20")]),
    # Italian
    ("it", "Il decreto entrerà in vigore il 15 aprile.", [("15 aprile", "2026-04-15")]),
    ("it", "Ieri il ministro ha parlato; domani presenterà il piano.", [("Ieri", "2026-03-10"), ("domani", "2026-03-12")]),
    ("it", "Il voto finale è previsto per venerdì.", [("venerdì", "2026-03-13")]),
    ("it", "Il governo ha approvato martedì il decreto.", [("martedì", "2026-03-10")]),
    ("it", "Il contratto è stato firmato il 2 febbraio 2025.", [("2 febbraio 2025", "2025-02-02")]),
    # weeks and months relative to the publication (ISO week 11 of 2026)
    ("es", "La semana pasada el Gobierno aprobó el plan; el mes que viene se vota.", [("La semana pasada", "2026-W10"), ("el mes que viene", "2026-04")]),
    ("fr", "Le mois dernier, les prix ont baissé.", [("Le mois dernier", "2026-02")]),
    ("de", "Nächste Woche streiken die Piloten.", [("Nächste Woche", "2026-W12")]),
    # a contracted preposition + article ("Na", "nei", "del", "im") is left out of the span
    ("pt", "Na semana passada houve greve.", [("semana passada", "2026-W10")]),
    ("it", "Il mese prossimo si decide.", [("Il mese prossimo", "2026-04")]),
    # a weekday before a day and month is part of the date
    ("it", "Le elezioni si terranno domenica 12 aprile.", [("domenica 12 aprile", "2026-04-12")]),
    ("fr", "Le scrutin aura lieu mardi 7 avril.", [("mardi 7 avril", "2026-04-07")]),
    ("de", "Die Wahl ist am Sonntag, den 12. April.", [("Sonntag, den 12. April", "2026-04-12")]),
    ("pt", "A greve é na segunda-feira, 6 de abril.", [("segunda-feira, 6 de abril", "2026-04-06")]),
    # a range of days: the first day takes the second's month, each a date of its own
    ("fr", "La grève aura lieu du 12 au 14 avril.", [("12", "2026-04-12"), ("14 avril", "2026-04-14")]),
    ("de", "Die Messe läuft vom 12. bis 14. April.", [("12", "2026-04-12"), ("14. April", "2026-04-14")]),
    ("es", "La feria será del 1 al 3 de mayo.", [("1", "2026-05-01"), ("3 de mayo", "2026-05-03")]),
    ("fr", "Le prix est passé de 12 à 14 euros.", []),
    # quarters: this year's, last year's while still to come, or with their year
    ("es", "Durante el primer trimestre se firmaron contratos.", [("el primer trimestre", "2026-Q1")]),
    ("de", "Im dritten Quartal stieg der Umsatz.", [("dritten Quartal", "2025-Q3")]),
    ("fr", "Le bénéfice du troisième trimestre 2024 a baissé.", [("troisième trimestre 2024", "2024-Q3")]),
    ("it", "Il quarto trimestre sarà difficile.", [("Il quarto trimestre", "2026-Q4")]),
    # the start or end of the year is the reference year, not before a year or another year's word
    ("fr", "Depuis le début de l'année, la compagnie a transporté 120 millions de voyageurs.", [("le début de l'année", "2026")]),
    # the edge and its year are one expression, as "the end of last year" (value: the year)
    ("fr", "À la fin de l'année dernière, le trafic a chuté.", [("la fin de l'année dernière", "2025")]),
    ("es", "Desde principios de año, los precios subieron.", [("principios de año", "2026")]),
    ("de", "Bis zum Jahresende sollen die Preise sinken.", [("Jahresende", "2026")]),
    ("de", "Ende des Jahres 2025 war es anders.", [("2025", "2025")]),
    ("it", "Dall'inizio dell'anno i prezzi sono saliti.", [("inizio dell'anno", "2026")]),
    ("pt", "Até o final do ano, os preços cairão.", [("o final do ano", "2026")]),
    # clock times take the day named near them; a bare hour before a noun is a count
    (
        "es",
        "La huelga será el viernes de 8:00 a 20:00 horas.",
        [("viernes", "2026-03-13"), ("8:00", "2026-03-13T08:00"), ("20:00 horas", "2026-03-13T20:00")],
    ),
    ("es", "Las 10 empresas ganaron 3.5 millones.", []),
    (
        "fr",
        "La réunion aura lieu jeudi à 10 heures.",
        [("jeudi", "2026-03-12"), ("10 heures", "2026-03-12T10:00")],
    ),
    ("fr", "La grève durera 48 heures.", [("48 heures", "PT48H")]),
    (
        "de",
        "Die Sitzung wird am Freitag um 18.30 Uhr beginnen.",
        [("Freitag", "2026-03-13"), ("18.30 Uhr", "2026-03-13T18:30")],
    ),
    (
        "it",
        "Il corteo partirà venerdì alle 10 di sera.",
        [("venerdì", "2026-03-13"), ("10 di sera", "2026-03-13T22:00")],
    ),
    ("it", "Le 10 vittime sono state identificate.", []),
    (
        "pt",
        "A reunião será na quinta-feira às 10h.",
        [("quinta-feira", "2026-03-12"), ("10h", "2026-03-12T10:00")],
    ),
    # weekends, seasons and holidays
    ("es", "El invierno pasado nevó en Madrid.", [("El invierno pasado", "2025-WI")]),
    ("es", "Las vacaciones de Navidad empiezan pronto.", []),
    ("fr", "Cet été, les prix ont grimpé.", [("Cet été", "2026-SU")]),
    ("fr", "Le projet a été adopté.", []),
    ("fr", "Les magasins ouvriront à Pâques.", [("Pâques", "2026-04-05")]),
    ("de", "Letzten Winter fiel kaum Schnee.", [("Letzten Winter", "2025-WI")]),
    ("de", "Dieses Wochenende streiken die Piloten.", [("Dieses Wochenende", "2026-W11-WE")]),
    ("it", "L'estate 2025 è stata la più calda.", [("L'estate 2025", "2025-SU")]),
    ("it", "Lo scorso fine settimana ha piovuto.", [("Lo scorso fine settimana", "2026-W10-WE")]),
    ("pt", "Neste verão, os preços subiram.", [("Neste verão", "2026-SU")]),
    ("pt", "O hospital natal da cantora fechou.", []),
    # "in N units" ahead in a future clause; vague coming periods; more year and week phrases
    ("es", "El plan se votará en dos semanas.", [("en dos semanas", "2026-W13")]),
    ("es", "En dos semanas, el precio bajó un 5%.", [("dos semanas", "P2W")]),
    ("fr", "Le plan sera voté dans deux semaines.", [("dans deux semaines", "2026-W13")]),
    ("de", "Der Plan wird in zwei Wochen beschlossen.", [("in zwei Wochen", "2026-W13")]),
    ("it", "Il governo deciderà nei prossimi giorni.", [("prossimi giorni", "PXD")]),
    ("es", "Vive en Lima desde hace dos años.", [("dos años", "P2Y")]),
    ("fr", "L'an passé, les ventes ont baissé.", [("L'an passé", "2025")]),
    ("pt", "A greve começa a semana que vem.", [("a semana que vem", "2026-W12")]),
    ("it", "Lo scorso anno il fatturato è cresciuto.", [("Lo scorso anno", "2025")]),
    ("fr", "La grève commence à partir de lundi.", [("lundi", "2026-03-16")]),
    ("es", "Habrá otro paro el fin de semana del 8 de agosto.", [("8 de agosto", "2026-08-08")]),
    # decades, as English "the 1990s"; an age stays untagged
    ("es", "En los años 90 hubo crisis; tiene 90 años.", [("los años 90", "199")]),
    ("fr", "Dans les années 1990, la crise.", [("les années 1990", "199")]),
    ("de", "In den 1990er Jahren gab es Krisen.", [("den 1990er Jahren", "199")]),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_language_rules(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, language) == expected


def test_a_deadline_preposition_before_an_article_points_forward() -> None:
    wednesday = datetime(2026, 9, 2, 11, tzinfo=UTC)
    assert values("Esperan controlarlo antes del viernes.", "es", wednesday) == [("viernes", "2026-09-04")]
    assert values("La grève durera jusqu'au dimanche.", "fr", wednesday) == [("dimanche", "2026-09-06")]
    assert values("Los bomberos llegaron el viernes.", "es", wednesday) == [("viernes", "2026-08-28")]
    friday = datetime(2026, 6, 26, 10, tzinfo=UTC)  # "esperam" ends like a past tense ("fizeram")
    assert values("Os bombeiros esperam controlar as chamas até domingo.", "pt", friday) == [
        ("domingo", "2026-06-28")
    ]


def test_german_morgen_opening_a_sentence_is_tomorrow_but_the_noun_mid_sentence() -> None:
    wednesday = datetime(2026, 5, 6, 16, tzinfo=UTC)
    assert values("Die Wahl ist im Juni. Morgen spricht sie in Kassel.", "de", wednesday) == [
        ("Juni", "2026-06"),
        ("Morgen", "2026-05-07"),
    ]
    assert values("Sie sprach am frühen Morgen in Kassel.", "de", wednesday) == []


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "La grève a duré trois jours.", [("trois jours", "P3D")]),
        ("fr", "Il y a deux ans, le trafic était normal.", [("Il y a deux ans", "2024")]),
        ("es", "El incendio duró 10 semanas.", [("10 semanas", "P10W")]),
        ("es", "Hace dos años ardió la región.", [("Hace dos años", "2024")]),
        ("de", "Der Streik dauerte zwei Wochen.", [("zwei Wochen", "P2W")]),
        ("de", "Vor drei Jahren begann der Bau.", [("Vor drei Jahren", "2023")]),
        ("it", "Tre anni fa il ponte crollò.", [("Tre anni fa", "2023")]),
        ("pt", "A greve durou três dias.", [("três dias", "P3D")]),
        ("es", "Un hombre de 45 años murió.", []),
        ("fr", "Un homme de 45 ans a été arrêté.", []),
        ("de", "Er ist 45 Jahre alt.", []),
        ("it", "Un uomo di 45 anni.", []),
        ("fr", "Il a été condamné à deux ans de prison.", [("deux ans", "P2Y")]),
        ("fr", "Il est mort à 45 ans.", []),
        ("es", "Fue condenado a tres años de prisión.", [("tres años", "P3Y")]),
    ],
)
def test_durations_and_ago_in_other_languages_but_never_ages(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language, datetime(2026, 11, 19, 8, tzinfo=UTC)) == expected


def test_every_weekday_is_a_set_and_ab_looks_ahead() -> None:
    wednesday = datetime(2026, 9, 9, 8, tzinfo=UTC)
    assert values("Les syndicats manifestent chaque samedi.", "fr", wednesday) == [
        ("chaque samedi", "XXXX-WXX-6")
    ]
    assert values("Sie trainieren jeden Montag.", "de", wednesday) == [("jeden Montag", "XXXX-WXX-1")]
    assert values("Die Lokführer streiken ab Freitag.", "de", wednesday) == [("Freitag", "2026-09-11")]


def test_a_conditional_looks_ahead() -> None:
    friday = datetime(2026, 7, 31, 8, tzinfo=UTC)
    # the evening of that Sunday, as English "Sunday evening" and German "Sonntagabend"
    assert values("La vague de chaleur devrait se terminer dimanche soir.", "fr", friday) == [
        ("dimanche soir", "2026-08-02TEV")
    ]


def test_weekday_compounds_vague_counts_and_for_a_weekday() -> None:
    wednesday = datetime(2026, 5, 13, 9, tzinfo=UTC)
    assert values("Der Pegel erreichte am Dienstagabend seinen Höchststand.", "de", wednesday) == [
        ("Dienstagabend", "2026-05-12TEV")
    ]
    assert values("Die Arbeiten werden mehrere Wochen dauern.", "de", wednesday) == [
        ("mehrere Wochen", "PXW")
    ]
    assert values("Lo sciopero durerà alcune settimane.", "it", wednesday) == [("alcune settimane", "PXW")]
    thursday = datetime(2026, 9, 24, 9, tzinfo=UTC)
    assert values("Hanno annunciato una manifestazione per sabato.", "it", thursday) == [
        ("sabato", "2026-09-26")
    ]


def test_a_month_joined_to_a_month_is_a_month() -> None:
    tuesday = datetime(2026, 5, 12, 8, tzinfo=UTC)
    assert values("Se vacunó a diez millones entre octubre y marzo.", "es", tuesday) == [
        ("octubre", "2025-10"),
        ("marzo", "2026-03"),
    ]
    assert values("Die Preise stiegen zwischen Januar und April.", "de", tuesday) == [
        ("Januar", "2026-01"),
        ("April", "2026-04"),
    ]
    assert values("Marzo y Abril son nombres de calles.", "es", tuesday) == []


def test_a_part_of_today_is_a_time_of_the_reference_day() -> None:
    friday = datetime(2026, 11, 13, 9, tzinfo=UTC)
    assert values("Vigilance orange à partir de ce soir.", "fr", friday) == [("ce soir", "2026-11-13TEV")]
    assert values("Heute Abend berät der Ausschuss.", "de", friday) == [("Heute Abend", "2026-11-13TEV")]
    assert values("Il governo si riunisce stamattina.", "it", friday) == [("stamattina", "2026-11-13TMO")]
    assert values("La reunión será esta noche.", "es", friday) == [("esta noche", "2026-11-13TNI")]
    assert values("O jogo é esta tarde.", "pt", friday) == [("esta tarde", "2026-11-13TAF")]
    assert values("Heute berät der Rat.", "de", friday) == [("Heute", "2026-11-13")]


def test_the_language_selects_the_vocabulary() -> None:
    text = "El 5 de marzo de 2027 llega el día."
    assert values(text, "es") == [("5 de marzo de 2027", "2027-03-05")]
    assert values(text, "en") == [("2027", "2027")]  # English rules know no Spanish month


def test_an_unsupported_language_gets_only_language_neutral_dates() -> None:
    text = "Op 5 maart 2026 om 10.00 uur, zie ook 2026-03-05. May komt."
    assert values(text, "nl") == [("2026", "2026"), ("2026-03-05", "2026-03-05")]


def test_an_accented_capital_keeps_offsets() -> None:
    mentions = extract_dates("Über Ostern: AM 3. MÄRZ 2026 geöffnet.", "body", REF, language="de")
    assert [(m.text, m.value) for m in mentions] == [("Ostern", "2026-04-05"), ("3. MÄRZ 2026", "2026-03-03")]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("0123456789 .-/ahoymñéèàüßÄdemarzoviernesLunes'’\n")), max_size=80
    ),
    language=st.sampled_from(["es", "fr", "de", "pt", "it", "nl"]),
)
def test_hostile_text_never_raises_and_spans_hold(text: str, language: str) -> None:
    for m in extract_dates(text, "body", REF, language=language):
        assert text[m.span.start : m.span.end] == m.text
        assert m.text.strip() == m.text and m.text


@pytest.mark.parametrize(
    ("language", "text", "span", "value"),
    [
        ("es", "Hace una semana cerró la fábrica.", "Hace una semana", "2026-W10"),
        ("fr", "Il y a un an, l'usine a fermé.", "Il y a un an", "2025"),
        ("de", "Vor einer Woche schloss das Werk.", "Vor einer Woche", "2026-W10"),
        ("it", "Una settimana fa la fabbrica ha chiuso.", "Una settimana fa", "2026-W10"),
        ("pt", "A greve durou uma semana.", "uma semana", "P1W"),
    ],
)
def test_one_unit_is_a_duration_or_ago_as_two_are(language: str, text: str, span: str, value: str) -> None:
    assert values(text, language) == [(span, value)]
