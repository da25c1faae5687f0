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


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "fr",
            "Les conseils éliront les maires entre le 27 et le 29 mars.",
            [("27", "2026-03-27"), ("29 mars", "2026-03-29")],
        ),
        (
            "es",
            "Harán huelga el martes 1 y el jueves 3 de diciembre.",
            [("martes 1", "2026-12-01"), ("jueves 3 de diciembre", "2026-12-03")],
        ),
        ("de", "Gewählt wird am 3. und 4. Mai.", [("3", "2026-05-03"), ("4. Mai", "2026-05-04")]),
        ("it", "Si vota il 7 e l'8 giugno 2026.", [("7", "2026-06-07"), ("8 giugno 2026", "2026-06-08")]),
        (
            "pt",
            "As provas são nos dias 10 e 11 de julho.",
            [("10", "2026-07-10"), ("11 de julho", "2026-07-11")],
        ),
    ],
)
def test_two_days_joined_share_the_month(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, language, datetime(2026, 2, 20, 9, 0, tzinfo=UTC)) == expected


FRIDAY = datetime(2026, 3, 20, 18, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # the event of a day after a deadline preposition lies ahead, as the day itself would
        ("fr", "La campagne s'achève ce soir, avant le scrutin de dimanche.", [("dimanche", "2026-03-22")]),
        ("es", "Los equipos entrenan antes del partido del domingo.", [("domingo", "2026-03-22")]),
        ("it", "Il governo tratta prima del voto di domenica.", [("domenica", "2026-03-22")]),
        # "antes de la", "prima della": a compound preposition before the article
        ("es", "Los agricultores piden ayudas antes de la primavera.", [("la primavera", "2026-SP")]),
        # without one, the past as before
        ("fr", "Le résultat du scrutin de dimanche a surpris.", [("dimanche", "2026-03-15")]),
    ],
)
def test_an_event_of_a_day_after_a_deadline_preposition(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert [v for v in values(text, language, FRIDAY) if v[1] and not v[1].endswith("TEV")] == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("it", "Le misure entreranno in vigore dal primo gennaio.", [("primo gennaio", "2027-01-01")]),
        ("es", "La ley se aplicará desde el primero de enero.", [("primero de enero", "2027-01-01")]),
        ("pt", "As regras valem a partir de primeiro de janeiro.", [("primeiro de janeiro", "2027-01-01")]),
        ("fr", "La réforme entrera en vigueur le premier janvier.", [("premier janvier", "2027-01-01")]),
        ("it", "Mio cugino è il primo della classe.", []),
    ],
)
def test_the_first_of_a_month_in_words(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, language, datetime(2026, 12, 29, 9, 0, tzinfo=UTC)) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("it", "Un nuovo incontro è previsto entro la fine del mese.", [("la fine del mese", "2026-03")]),
        ("fr", "Le texte sera voté d'ici la fin du mois.", [("la fin du mois", "2026-03")]),
        ("es", "El pago llegará a finales de mes.", [("finales de mes", "2026-03")]),
        ("pt", "O relatório sai no final do mês.", [("final do mês", "2026-03")]),
        ("de", "Die Entscheidung fällt bis Ende des Monats.", [("Ende des Monats", "2026-03")]),
        # the edge of the month or year after or before: shifted by one
        ("fr", "Le texte sera voté à la fin du mois prochain.", [("la fin du mois prochain", "2026-04")]),
        ("es", "A finales del año pasado la deuda subió.", [("finales del año pasado", "2025")]),
        ("it", "Alla fine dell'anno scorso il Pil è sceso.", [("fine dell'anno scorso", "2025")]),
        ("de", "Die Preise stiegen Ende letzten Jahres deutlich.", [("Ende letzten Jahres", "2025")]),
        ("de", "Die Zahlung folgt Ende nächsten Monats.", [("Ende nächsten Monats", "2026-04")]),
        ("es", "El plan se revisará a mediados de año.", [("mediados de año", "2026")]),
        # another kind of year: not the reference's
        ("it", "È il secondo sciopero dall'inizio dell'anno scolastico.", []),
        ("es", "Es la segunda huelga desde el inicio del año escolar.", []),
    ],
)
def test_edges_of_the_month_and_of_other_years(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "pt",
            "Em 2017, os incêndios de outubro mataram 50 pessoas.",
            [("2017", "2017"), ("outubro", "2017-10")],
        ),
        (
            "es",
            "En 2019, las lluvias de marzo llegaron el 5 de abril.",
            [("2019", "2019"), ("marzo", "2019-03"), ("5 de abril", "2019-04-05")],
        ),
        ("it", "Nel 2013 il fiume esondò a giugno.", [("2013", "2013"), ("giugno", "2013-06")]),
        # a contrast ends the frame
        (
            "fr",
            "En 2019, la récolte fut bonne, mais en mars les prix ont chuté.",
            [("2019", "2019"), ("mars", "2026-03")],
        ),
        # a month after an indefinite article
        ("pt", "O Governo decidiu depois de um setembro seco.", [("setembro", "2025-09")]),
        ("es", "Tras un marzo muy lluvioso, los embalses subieron.", [("marzo", "2026-03")]),
    ],
)
def test_a_year_opening_the_sentence_frames_its_months(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "Los precios subieron un 40% en la última década.", [("la última década", "P10Y")]),
        ("it", "Nell'ultimo anno i precari sono aumentati.", [("ultimo anno", "P1Y")]),
        ("pt", "No último mês as vendas caíram.", [("último mês", "P1M")]),
        ("fr", "Les loyers ont doublé au cours de la dernière décennie.", [("la dernière décennie", "P10Y")]),
        ("fr", "Les prix ont grimpé ces trois dernières années.", [("trois dernières années", "P3Y")]),
        # a week that its month names, and "last year" as a date, stay what they are
        ("es", "La última semana de marzo habrá lluvias.", [("marzo", "2026-03")]),
        ("fr", "L'année dernière, les prix ont grimpé.", [("L'année dernière", "2025")]),
    ],
)
def test_the_last_units_up_to_now_are_a_duration(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "fr",
            "La campagne s'achève ce soir à minuit.",
            [("ce soir", "2026-03-20TEV"), ("minuit", "2026-03-20T24:00")],
        ),
        (
            "es",
            "El plazo vence mañana a medianoche.",
            [("mañana", "2026-03-21"), ("medianoche", "2026-03-21T24:00")],
        ),
        (
            "it",
            "Lo sciopero inizia domani a mezzanotte.",
            [("domani", "2026-03-21"), ("mezzanotte", "2026-03-21T24:00")],
        ),
        ("pt", "A loja abre hoje ao meio-dia.", [("hoje", "2026-03-20"), ("meio-dia", "2026-03-20T12:00")]),
        (
            "de",
            "Die Frist läuft heute um Mitternacht ab.",
            [("heute", "2026-03-20"), ("Mitternacht", "2026-03-20T24:00")],
        ),
        ("fr", "Les chantiers ouvriront à partir de midi.", [("midi", "2026-03-20T12:00")]),
        # a meal, a region, the afternoon: no clock time
        (
            "fr",
            "Le repas de midi est servi dans le Midi cet après-midi.",
            [("cet après-midi", "2026-03-20TAF")],
        ),
        ("it", "Il Mezzogiorno cresce.", []),
    ],
)
def test_midnight_and_noon_are_clock_times(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, language, FRIDAY) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("pt", "O texto prevê uma transição de 12 anos.", [("12 anos", "P12Y")]),
        ("es", "El Gobierno aprobó un plan de cinco años.", [("cinco años", "P5Y")]),
        ("fr", "Le club a signé un contrat de trois ans.", [("trois ans", "P3Y")]),
        ("it", "È previsto un periodo di due anni.", [("due anni", "P2Y")]),
        # ages stay untagged
        ("es", "Un hombre de 45 años resultó herido.", []),
        ("pt", "Uma mulher de 30 anos foi detida.", []),
    ],
)
def test_a_span_noun_before_de_n_years_is_a_duration_not_an_age(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected


def test_a_span_noun_must_stand_right_before_de() -> None:
    # "crisis" is a span noun, but "tiene 90 años" is an age
    assert values("Hubo crisis; tiene 90 años.", "es") == []


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "fr",
            "Les négociations, interrompues mardi, reprendront demain.",
            [("mardi", "2026-05-26"), ("demain", "2026-06-01")],
        ),
        (
            "es",
            "Las obras, suspendidas el martes, se retomarán mañana.",
            [("martes", "2026-05-26"), ("mañana", "2026-06-01")],
        ),
        (
            "it",
            "I colloqui, rinviati martedì, riprenderanno domani.",
            [("martedì", "2026-05-26"), ("domani", "2026-06-01")],
        ),
        (
            "it",
            "I lavori, sospesi martedì, riprenderanno domani.",
            [("martedì", "2026-05-26"), ("domani", "2026-06-01")],
        ),
        # a participle of planning keeps the future, and without the comma the main verb decides
        ("fr", "La réunion, prévue mardi, est confirmée.", [("mardi", "2026-06-02")]),
        ("es", "Las obras se retomarán el martes.", [("martes", "2026-06-02")]),
    ],
)
def test_a_participle_opening_an_apposition_is_past(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language, datetime(2026, 5, 31, 16, 0, tzinfo=UTC)) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected", "reference"),
    [
        (
            "es",
            "Los embalses comenzaron el año al 38%.",
            [("el año", "2027")],
            datetime(2027, 1, 2, tzinfo=UTC),
        ),
        (
            "es",
            "La bolsa cerró el año con una subida.",
            [("el año", "2026")],
            datetime(2027, 1, 2, tzinfo=UTC),
        ),
        (
            "fr",
            "La Bourse termine l'année en hausse.",
            [("l'année", "2026")],
            datetime(2026, 12, 30, tzinfo=UTC),
        ),
        ("it", "La borsa chiude l'anno in rialzo.", [("l'anno", "2026")], datetime(2026, 12, 30, tzinfo=UTC)),
        (
            "de",
            "Der DAX beendet das Jahr im Plus.",
            [("das Jahr", "2026")],
            datetime(2026, 12, 30, tzinfo=UTC),
        ),
        # another year or another kind of year, and "the year" with no such verb
        ("es", "Los alumnos comienzan el año escolar.", [], datetime(2026, 9, 1, tzinfo=UTC)),
        (
            "pt",
            "O governo fechou o ano passado com défice.",
            [("o ano passado", "2025")],
            datetime(2026, 3, 1, tzinfo=UTC),
        ),
        ("it", "L'anno è stato difficile.", [], datetime(2026, 3, 1, tzinfo=UTC)),
    ],
)
def test_the_year_after_a_verb_of_beginning_or_ending(
    language: str, text: str, expected: list[tuple[str, str]], reference: datetime
) -> None:
    assert values(text, language, reference) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Im Frühjahr 2024 hatte ein Streik den Verkehr lahmgelegt.", [("Frühjahr 2024", "2024-SP")]),
        (
            "de",
            "Die Arbeitgeber hatten in der vergangenen Woche ein Angebot vorgelegt.",
            [("vergangenen Woche", "2026-W10")],
        ),
        ("fr", "Un mouvement avait paralysé le trafic au printemps 2024.", [("printemps 2024", "2024-SP")]),
        ("pt", "No ano passado a campanha cobriu 75%.", [("ano passado", "2025")]),
        # an article that is part of the expression stays in
        ("fr", "Le trafic a progressé de 6 % par rapport à l'an dernier.", [("l'an dernier", "2025")]),
    ],
)
def test_a_contracted_preposition_is_left_out_of_the_span(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "La mesa se reunirá el próximo lunes.", [("próximo lunes", "2026-03-16")]),
        ("es", "Lo anunció este viernes el comité.", [("este viernes", "2026-03-06")]),
        (
            "pt",
            "A votação estava prevista para quarta-feira passada.",
            [("quarta-feira passada", "2026-03-04")],
        ),
        ("it", "Il Senato voterà martedì prossimo.", [("martedì prossimo", "2026-03-17")]),
        ("de", "Die Runde ist für kommenden Dienstag angesetzt.", [("kommenden Dienstag", "2026-03-17")]),
        ("es", "El martes que viene habrá huelga.", [("martes que viene", "2026-03-17")]),
    ],
)
def test_a_weekday_with_its_qualifier_is_one_expression(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "La campaña terminará a finales de septiembre.", [("finales de septiembre", "2026-09")]),
        ("de", "Der Vertrag wird Ende Oktober auslaufen.", [("Ende Oktober", "2026-10")]),
        ("fr", "Les vendanges commenceront début juin.", [("début juin", "2026-06")]),
        ("fr", "Les travaux reprendront à la mi-juin.", [("mi-juin", "2026-06")]),
        ("it", "Il decreto arriverà a fine ottobre.", [("fine ottobre", "2026-10")]),
    ],
)
def test_a_part_of_a_month_is_in_its_span(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("es", "La reunión será el próximo lunes 16.", [("próximo lunes 16", "2026-03-16")]),
        (
            "fr",
            "Le conseil se réunira jeudi 12 à 18 heures.",
            [("jeudi 12", "2026-03-12"), ("18 heures", "2026-03-12T18:00")],
        ),
        (
            "it",
            "Si vota domenica 22 e lunedì 23.",
            [("domenica 22", "2026-03-22"), ("lunedì 23", "2026-03-23")],
        ),
        ("pt", "A greve começa na sexta-feira 13, disse o sindicato.", [("sexta-feira 13", "2026-03-13")]),
        # a count after a weekday is no day
        ("es", "El lunes 3 personas murieron.", [("lunes", "2026-03-09")]),
    ],
)
def test_a_weekday_and_a_day_without_the_month(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "es",
            "El 5 de marzo hubo huelga y al día siguiente se firmó el acuerdo.",
            [("5 de marzo", "2026-03-05"), ("día siguiente", "2026-03-06")],
        ),
        (
            "fr",
            "Le texte a été voté le 3 mars. Le lendemain, le Sénat l'a rejeté.",
            [("3 mars", "2026-03-03"), ("Le lendemain", "2026-03-04")],
        ),
        (
            "it",
            "Nel 2019 il governo cadde e l'anno successivo si votò.",
            [("2019", "2019"), ("l'anno successivo", "2020")],
        ),
        (
            "de",
            "Im Juni 2020 begann der Bau, zwei Jahre später war er fertig.",
            [("Juni 2020", "2020-06"), ("zwei Jahre später", "2022-06")],
        ),
        (
            "pt",
            "Em 2015 a lei foi aprovada; três anos depois foi revogada.",
            [("2015", "2015"), ("três anos depois", "2018")],
        ),
        # tied to an event, not to the date before: a duration
        ("es", "Dos años antes de la crisis, todo iba bien.", [("Dos años", "P2Y")]),
    ],
)
def test_the_following_period_and_shifts_from_the_date_before(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, language) == expected
