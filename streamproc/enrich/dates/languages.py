"""Dates in Spanish, French, German, Portuguese and Italian through the English tagger's resolution.

Each language gives a vocabulary (months, weekdays, deictic days, year phrases, tense cues); the
patterns built from it find explicit dates ("5 de marzo de 2026", "le 3 mars", "am 3. März 2026"),
months, weekdays and the common relative words (ayer/hoy/mañana, hier/aujourd'hui/demain,
gestern/heute/morgen, ontem/hoje/amanhã, ieri/oggi/domani). Missing years, weekdays and bare months
are resolved by the same rules as English (``_pick_year``, past-unless-a-cue weekdays), with tense
read from each language's cue words. ISO dates and years are language-neutral and shared.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise

from streamproc.enrich.dates.core import (
    _RULES,
    _SEASON_FIRST_MONTH,
    _WEEKDAYS,
    Tense,
    _add_months,
    _attach_days_to_times,
    _Candidate,
    _date_mentions,
    _date_ranges_forward,
    _day_value,
    _Doc,
    _duration_value,
    _easter,
    _fractional_shift,
    _iso_date,
    _iso_week,
    _joined_months,
    _listed_forward,
    _months_years_ago,
    _nth_weekday,
    _pick_year,
    _resolve_shifts,
    _Resolved,
    _season_year,
    _select,
    _shifted,
    _unit_code,
    _words,
    _year,
)
from streamproc.models import DateMention, DateType
from streamproc.models import FieldName as Field

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _fold(word: str) -> str:
    """Lower-case without accents: "März" -> "marz", "mercredi" stays, "terça" -> "terca"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class Vocabulary:
    months: dict[str, int]  # folded name -> month number
    weekdays: dict[str, int]  # folded name -> 0 (Monday) .. 6
    days: dict[str, int]  # deictic days: folded word -> offset from the reference day
    years: dict[str, int]  # year phrases, folded: "el ano pasado" -> -1
    future: re.Pattern[str]  # a lower-cased word (accents kept: "votará") that marks the future
    past: re.Pattern[str]  # a lower-cased word that marks the past
    complementizers: frozenset[str]
    month_prepositions: frozenset[str]  # words that make a bare month a date ("en abril")
    forward: frozenset[str]  # "hasta", "bis": with no verb cue, a weekday after them is ahead
    day_month: str  # regex for day + month (+ year): groups d, month, y
    month_year: str  # regex for month + year: groups month, y
    weekday_next: frozenset[str] = field(default_factory=frozenset)  # "próximo", "nächsten"
    weekday_last: frozenset[str] = field(default_factory=frozenset)  # "pasado", "letzten"
    not_day_before: frozenset[str] = field(default_factory=frozenset)  # "la mañana" is the morning
    periods: dict[str, tuple[str, int]] = field(default_factory=dict)  # "la semana pasada" -> (week, -1)
    numbers: dict[str, int] = field(default_factory=dict)  # folded number words from two: "tres" -> 3
    units: dict[str, str] = field(default_factory=dict)  # folded unit word -> English unit: "dias" -> "days"
    ago_before: frozenset[str] = field(default_factory=frozenset)  # "hace", "il y a", "há", "vor"
    ago_after: frozenset[str] = field(default_factory=frozenset)  # "fa" (Italian "tre anni fa")
    every: frozenset[str] = field(default_factory=frozenset)  # "chaque samedi": a set of weekdays
    vague_numbers: frozenset[str] = field(default_factory=frozenset)  # "plusieurs semaines": PXW
    weekday_parts: dict[str, str] = field(default_factory=dict)  # "Dienstagabend": TIMEX3 part of day
    today_parts: dict[str, str] = field(default_factory=dict)  # folded "ce soir" -> "EV": a part of today
    quarter_ordinals: dict[str, int] = field(default_factory=dict)  # "primer" -> 1, before quarter_noun
    quarter_noun: str = "trimestre"  # folded; "Quartal" in German
    half_noun: str = ""  # folded; "mitad": "la segunda mitad del año" is a half, as "el segundo semestre"
    # "el fin de semana", "cet été", "letzten Winter": phrases of the weekend ("WE") and the seasons,
    # folded, from templates ("este {n}" -> this one) -> (code, offset: None as the tense says)
    periods_of_year: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    # Holidays, folded -> (month, day), or (0, days from Easter Sunday); capitalised in the text.
    holidays: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Prepositions before a number of units that, in a future clause, shift from the reference:
    # "dans deux semaines", "tra due settimane", "in zwei Wochen" (folded)
    in_before: frozenset[str] = field(default_factory=frozenset)
    # Vague periods ahead or behind: "en los próximos días" -> FUTURE_REF (folded)
    vague_phrases: dict[str, str] = field(default_factory=dict)
    # Words right before a number that make it a clock time ("a las 10", "à 18 heures", "um 9 Uhr",
    # "alle 18.30", "às 10h"), folded; a unit after the number that makes it one whatever precedes.
    clock_before: frozenset[str] = field(default_factory=frozenset)
    clock_units: frozenset[str] = field(default_factory=frozenset)
    # "a las 8 de la tarde": a part of the day after the hour, folded -> hours to add to it
    clock_parts: dict[str, int] = field(default_factory=dict)
    # "le début de l'année", "Ende des Jahres": the start or end of the reference year, folded
    year_edges: frozenset[str] = field(default_factory=frozenset)
    # "la fine del mese", "fin du mois", "Ende des Monats": the reference month, as "late January"
    # is January (folded)
    month_edges: frozenset[str] = field(default_factory=frozenset)
    # "cada semana", "todos os anos", "jeden Herbst", "tous les deux ans": words before a unit or a
    # season that make a set (folded); the season nouns, plurals included, folded -> TIMEX3 code
    every_units: frozenset[str] = field(default_factory=frozenset)
    # A part of the day after a weekday or a deictic day ("dimanche soir", "domani mattina",
    # "el lunes por la noche", "gestern Abend"), folded -> TIMEX3 code
    day_parts: dict[str, str] = field(default_factory=dict)
    seasons: dict[str, str] = field(default_factory=dict)
    # Words before a number of years that make it an age ("un hombre de 45 años"), never a duration.
    age_before: frozenset[str] = field(default_factory=frozenset)
    # Frequencies: adverbs and adjectives after their noun ("diariamente", "viajeros diarios",
    # "protestos semanais", "zweimal täglich"), folded -> English unit; and the words between a
    # number and a unit that make "N times per unit" ("{num}" stands for the number): a set P1<unit>
    frequencies: dict[str, str] = field(default_factory=dict)
    times_per: str = ""
    # "à minuit", "al mediodía", "bis Mitternacht": midnight and noon as clock times (folded), after
    # a preposition of time (the noun alone is often a place or a meal: "le Midi", "il Mezzogiorno")
    clock_words: dict[str, str] = field(default_factory=dict)
    # "comenzaron el año", "clôture l'année", "chiude l'anno": "the year" after a verb of beginning or
    # ending (stems, folded) is the reference year, as English "began the year"; the phrase, folded
    year_begin: str = ""
    year_end: str = ""
    the_year: str = ""
    # Contracted preposition + article forms ("del", "au", "na", "nell'", "im", "in der"), folded:
    # left out of a span that starts with one, as "on" is in English ("im Frühjahr 2024")
    contractions: frozenset[str] = field(default_factory=frozenset)
    # "al día siguiente", "le lendemain", "l'anno successivo": the period after the date named
    # before, as English "the following day" (folded phrase -> English unit)
    following: dict[str, str] = field(default_factory=dict)
    # "dos años antes", "trois jours plus tard", "zwei Jahre später": shifted from the date named
    # before, as English "two years earlier" (folded words -> sign)
    shift_words: dict[str, int] = field(default_factory=dict)
    # A past participle (lower case, accents kept): after a comma it opens an apposition in the past
    participle: re.Pattern[str] | None = None
    # "la última década", "nell'ultimo anno", "la dernière décennie": the adjective "last" before a
    # unit makes the span up to now a duration, as English "the last decade" (folded forms)
    last: frozenset[str] = field(default_factory=frozenset)
    # "el año anterior", "l'année précédente", "im Vorjahr", "la veille": the period before the
    # date named before, as English "the previous year" (folded phrase -> English unit)
    preceding: dict[str, str] = field(default_factory=dict)
    # Sets and durations written as fixed phrases, folded -> (value, type): "todos los domingos",
    # "tous les week-ends", "pro Tag", "media hora" (see ``_recurring``)
    phrases: dict[str, tuple[str, DateType]] = field(default_factory=dict)


def _names(spaced: str, start: int = 1) -> dict[str, int]:
    """ "enero febrero ..." -> {"enero": 1, ...}; aliases as "sept=9" or "setiembre=9"."""
    out: dict[str, int] = {}
    for i, word in enumerate(w for w in spaced.split() if "=" not in w):
        out[_fold(word)] = i + start
    for alias in (w for w in spaced.split() if "=" in w):
        name, number = alias.split("=")
        out[_fold(name)] = int(number)
    return out


def _units(forms: dict[str, str], sep: str | None = None) -> dict[str, str]:
    """{"days": "dia dias"} -> {"dia": "days", "dias": "days"} (folded forms -> English unit); with
    ``sep`` the forms are phrases split on it."""
    return {_fold(form): unit for unit, spaced in forms.items() for form in spaced.split(sep)}


def _alternation(words: dict[str, int] | frozenset[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _vague(templates: str, units: str) -> dict[str, str]:
    """ "los próximos {u}" x "días=D|semanas=W" -> {"los proximos dias": "PXD", ...}, folded: the
    coming days are a vague duration, as TimeML writes "the next few days" and "coming weeks"
    (and every es/pt/de gold of the written articles)."""
    out: dict[str, str] = {}
    for unit in units.split("|"):
        noun, code = unit.split("=")
        out |= {_fold(t.replace("{u}", noun)): f"PX{code}" for t in templates.split("|")}
    return out


def _seasons(spring: str, summer: str, autumn: str, winter: str) -> dict[str, str]:
    """Season nouns (spaced forms, plurals too) -> TIMEX3 season codes, folded."""
    codes = {"SP": spring, "SU": summer, "FA": autumn, "WI": winter}
    return {_fold(form): code for code, spaced in codes.items() for form in spaced.split()}


def _present(spaced: str) -> dict[str, str]:
    """Adverbs of the present ("actualmente|en la actualidad") -> PRESENT_REF, as English "currently"."""
    return {_fold(w): "PRESENT_REF" for w in spaced.split("|")}


def _vague_refs(past: str, future: str) -> dict[str, str]:
    """ "recientemente|en el pasado" -> PAST_REF, "à l'avenir" -> FUTURE_REF, as English "recently",
    "in the future" ("|"-separated, folded)."""
    return {_fold(w): "PAST_REF" for w in past.split("|")} | {
        _fold(w): "FUTURE_REF" for w in future.split("|")
    }


def _frequencies(daily: str, weekly: str, monthly: str, yearly: str) -> dict[str, str]:
    """Adverbs and adjectives of frequency (spaced) -> English unit, folded. Monthly and yearly
    adjectives are left out: "el alquiler mensual", "le rapport annuel" qualify an amount or a
    document, which TimeML leaves untagged."""
    units = {"days": daily, "weeks": weekly, "months": monthly, "years": yearly}
    return {_fold(form): unit for unit, spaced in units.items() for form in spaced.split()}


# Shopping days borrowed from American English in every language ("na Black Friday", "el Cyber
# Monday"): month -1 counts days from the US Thanksgiving (the fourth Thursday of November).
_BORROWED_DAYS = {"black friday": (-1, 1), "cyber monday": (-1, 4)}


def _folded(words: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """A language's holidays, folded, with the borrowed shopping days."""
    return {_fold(w): v for w, v in (words | _BORROWED_DAYS).items()}


def _holiday_date(year: int, month: int, day: int) -> date:
    """(month, day) of a holiday table: a calendar day, or month 0 days from Easter Sunday
    ("Karfreitag" -2, "Pentecôte" +49), or month -1 days from the US Thanksgiving."""
    if month == 0:
        return _easter(year) + timedelta(days=day)
    if month == -1:
        return _nth_weekday(year, 11, 3, 4) + timedelta(days=day)
    return date(year, month, day)


def _period_phrases(
    templates: dict[str, int | None], nouns: dict[str, str]
) -> dict[str, tuple[str, int | None]]:
    """{"este {n}": 0} x {"verano": "SU"} -> {"este verano": ("SU", 0)}, folded."""
    return {
        _fold(t.replace("{n}", noun)): (code, offset)
        for t, offset in templates.items()
        for noun, code in nouns.items()
    }


def _edges(articles: str, spaced: str) -> frozenset[str]:
    """Year-edge phrases ("debut de l'annee", "|"-separated) with and without each article."""
    phrases = [p.strip() for p in spaced.split("|")]
    with_articles = {f"{a}{p}" for a in articles.split("|") for p in phrases}
    folded = {_fold(p) for p in [*phrases, *with_articles]}
    return frozenset(folded | {p.replace("'", "’") for p in folded})


# Spanish and Portuguese spell their units alike once accents are folded ("días", "dias").
_IBERIAN_UNITS = _units(
    {
        "minutes": "minuto minutos",
        "hours": "hora horas",
        "days": "dia dias",
        "weeks": "semana semanas",
        "months": "mes meses",
        "years": "ano anos",
        "decades": "decada decadas",
    }
)

_IBERIAN_DAILY = "diariamente diario diaria diarios diarias"  # folded: "diário" too
_IBERIAN_LAST = frozenset({"ultimo", "ultima", "ultimos", "ultimas"})

# Fifteen and the tens to sixty, as number words of durations and sets ("los últimos treinta años",
# "cada veinte minutos", "vingt minutes", "dreißig Jahre")
_TENS = {
    "es": " quince=15 veinte=20 treinta=30 cuarenta=40 cincuenta=50 sesenta=60",
    "pt": " quinze=15 vinte=20 trinta=30 quarenta=40 cinquenta=50 sessenta=60",
    "fr": " quinze=15 vingt=20 trente=30 quarante=40 cinquante=50 soixante=60",
    # with the elided forms before "anni": "vent'anni", "trent’anni"
    "it": " quindici=15 venti=20 trenta=30 quaranta=40 cinquanta=50 sessanta=60"
    " vent'=20 trent'=30 quarant'=40 cinquant'=50 sessant'=60 vent’=20 trent’=30 quarant’=40"
    " cinquant’=50 sessant’=60",
    "de": " fünfzehn=15 zwanzig=20 dreißig=30 dreissig=30 vierzig=40 fünfzig=50 sechzig=60",
}


def _teens_and_compounds(teens: str, units: str, tens: str, join: str) -> dict[str, int]:
    """Number words from 13 to 69 that ``_TENS`` leaves out, folded: ``teens`` from 13 ("treize
    ... dix-neuf"); ``units`` 1-9 and ``tens`` 20-60 joined by ``join``, a format with {t} and {u}
    ("{t}-{u}" -> "vingt-quatre", "{u}und{t}" -> "vierundzwanzig"); "a=b" spellings keep their
    number: "dix-huit mois" P18M, "vierundzwanzig Stunden" PT24H."""
    out = {
        _fold(w.split("=")[0]): int(w.split("=")[1]) if "=" in w else i
        for i, w in enumerate(teens.split(), 13)
    }
    unit_words = [w.split("=") for w in units.split()]
    for t, ten in enumerate(tens.split(), 2):
        for word, unit in unit_words:
            out[_fold(join.format(t=ten, u=word))] = t * 10 + int(unit)
    return out


_MORE_NUMBERS = {
    "es": _teens_and_compounds(
        "trece catorce quince=15 dieciseis diecisiete dieciocho diecinueve",
        "uno=1 un=1 una=1 dos=2 tres=3 cuatro=4 cinco=5 seis=6 siete=7 ocho=8 nueve=9",
        "veinte treinta cuarenta cincuenta sesenta",
        "{t} y {u}",
    )
    | _names(
        "veintiuno veintidos veintitres veinticuatro veinticinco veintiseis veintisiete veintiocho "
        "veintinueve veintiun=21 veintiuna=21",
        start=21,
    ),
    "pt": _teens_and_compounds(
        "treze catorze quinze dezesseis dezessete dezoito dezenove quatorze=14 dezasseis=16 dezassete=17 "
        "dezanove=19",
        "um=1 uma=1 dois=2 duas=2 tres=3 quatro=4 cinco=5 seis=6 sete=7 oito=8 nove=9",
        "vinte trinta quarenta cinquenta sessenta",
        "{t} e {u}",
    ),
    "fr": _teens_and_compounds(
        "treize quatorze quinze seize dix-sept dix-huit dix-neuf",
        "deux=2 trois=3 quatre=4 cinq=5 six=6 sept=7 huit=8 neuf=9",
        "vingt trente quarante cinquante soixante",
        "{t}-{u}",
    )
    | {f"{t} et un": n for t, n in (("vingt", 21), ("trente", 31), ("quarante", 41), ("cinquante", 51))}
    | {f"{t}-et-un": n for t, n in (("vingt", 21), ("trente", 31), ("quarante", 41), ("cinquante", 51))},
    "it": _teens_and_compounds(
        "tredici quattordici quindici sedici diciassette diciotto diciannove",
        "due=2 tre=3 quattro=4 cinque=5 sei=6 sette=7 nove=9",
        "venti trenta quaranta cinquanta sessanta",
        "{t}{u}",
    )
    # the tens drop their vowel before "uno" and "otto": "ventuno", "trentotto"
    | {
        f"{t}{u}": n * 10 + k
        for t, n in (("vent", 2), ("trent", 3), ("quarant", 4), ("cinquant", 5))
        for u, k in (("uno", 1), ("otto", 8))
    },
    "de": _teens_and_compounds(
        "dreizehn vierzehn funfzehn=15 sechzehn siebzehn achtzehn neunzehn",
        "ein=1 zwei=2 drei=3 vier=4 funf=5 sechs=6 sieben=7 acht=8 neun=9",
        "zwanzig dreissig vierzig funfzig sechzig",
        "{u}und{t}",
    )
    # the folded text keeps "ß": "vierunddreißig"
    | {
        f"{u}unddreißig": 30 + k
        for k, u in enumerate(["ein", "zwei", "drei", "vier", "funf", "sechs", "sieben", "acht", "neun"], 1)
    },
}


def _recurring(
    every: str, weekdays: str, weekends: str, per: str, units: str
) -> dict[str, tuple[str, DateType]]:
    """Sets and fixed durations in words, folded -> (value, type): every word ("|") x plural weekday
    forms (seven, in order, "/" between spellings) -> XXXX-WXX-n ("todos los domingos", "sonntags"
    with no word); weekend phrases ("|") -> XXXX-WXX-WE; "per" words ("|") x units ("dia=D") -> P1D
    ("por día", "par jour", "pro Tag")."""
    out: dict[str, tuple[str, DateType]] = {}
    for i, forms in enumerate(weekdays.split()):
        for form in forms.split("/"):
            for word in every.split("|"):
                out[_fold(f"{word} {form}".strip())] = (f"XXXX-WXX-{i + 1}", "SET")
    out |= {_fold(w): ("XXXX-WXX-WE", "SET") for w in weekends.split("|")}
    for unit in units.split():
        noun, code = unit.split("=")
        for word in per.split("|"):
            out[_fold(f"{word} {noun}".replace("' ", "'"))] = (f"P1{code}", "SET")
    return out


# Half an hour and an hour and a half, folded -> (value, type)
_HALF_HOUR: tuple[str, DateType] = ("PT30M", "DURATION")
_HOUR_AND_A_HALF: tuple[str, DateType] = ("PT1H30M", "DURATION")
_HALF_HOURS: dict[str, dict[str, tuple[str, DateType]]] = {
    "es": {"media hora": _HALF_HOUR, "una hora y media": _HOUR_AND_A_HALF, "hora y media": _HOUR_AND_A_HALF},
    "pt": {"meia hora": _HALF_HOUR, "uma hora e meia": _HOUR_AND_A_HALF, "hora e meia": _HOUR_AND_A_HALF},
    "fr": {"demi-heure": _HALF_HOUR, "une heure et demie": _HOUR_AND_A_HALF},
    "it": {"mezz'ora": _HALF_HOUR, "mezzora": _HALF_HOUR}
    | {"mezz’ora": _HALF_HOUR, "un'ora e mezza": _HOUR_AND_A_HALF},
    "de": {"halbe stunde": _HALF_HOUR, "anderthalb stunden": _HOUR_AND_A_HALF}
    | {"eineinhalb stunden": _HOUR_AND_A_HALF},
}
# A rate per hour ("45 movimentos por hora", "200 trains par heure"), as English "an hour": a set.
# Only these phrasings: "a la hora", "all'ora" are more often "at the time", a speed or a clock.
_PER_HOUR: tuple[str, DateType] = ("PT1H", "SET")
_PER_HOUR_PHRASES: dict[str, dict[str, tuple[str, DateType]]] = {
    "es": {"por hora": _PER_HOUR},
    "pt": {"por hora": _PER_HOUR},
    "fr": {"par heure": _PER_HOUR},
    "it": {"ogni ora": _PER_HOUR},
    "de": {"pro stunde": _PER_HOUR},
}

# A season after "de" that qualifies a noun: "las lluvias de otoño", "as chuvas de outono" (the
# season of the year the text is about, as "en otoño" is)
_SEASONS_AS_MODIFIERS = {
    "es": _period_phrases(
        {"de {n}": None}, {"primavera": "SP", "verano": "SU", "otoño": "FA", "invierno": "WI"}
    ),
    "pt": _period_phrases(
        {"de {n}": None}, {"primavera": "SP", "verão": "SU", "outono": "FA", "inverno": "WI"}
    ),
}

_D = r"(?P<d>[0-3]?\d)"
_Y = r"(?P<y>\d{4})"

# German weeks after an edge word ("Anfang", "Mitte", "Ende"), folded -> weeks from the reference's
_WEEK_EDGES = frozenset({"anfang", "mitte", "ende"})
_WEEKS_BY_STEP = (
    ("der woche", 0),
    ("dieser woche", 0),
    ("nachster woche", 1),
    ("kommender woche", 1),
    ("letzter woche", -1),
    ("vergangener woche", -1),
)

VOCABULARIES: dict[str, Vocabulary] = {
    "es": Vocabulary(
        months=_names(
            "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre "
            "setiembre=9"
        ),
        weekdays=_names("lunes martes miercoles jueves viernes sabado domingo", start=0),
        days={"hoy": 0, "ayer": -1, "manana": 1, "anteayer": -2, "pasado manana": 2, "anoche": -1},
        periods={
            "la semana pasada": ("week", -1),
            "esta semana": ("week", 0),
            "la proxima semana": ("week", 1),
            "la semana que viene": ("week", 1),
            "el mes pasado": ("month", -1),
            "este mes": ("month", 0),
            "el proximo mes": ("month", 1),
            "el mes que viene": ("month", 1),
        },
        years={
            "el ano pasado": -1,
            # after a contraction ("del año pasado"), without the article
            "ano pasado": -1,
            "ano que viene": 1,
            "este ano": 0,
            "el proximo ano": 1,
            "el ano que viene": 1,
            "el ano proximo": 1,
        },
        numbers=_names(
            "dos tres cuatro cinco seis siete ocho nueve diez once doce un=1 una=1" + _TENS["es"], start=2
        )
        | _MORE_NUMBERS["es"],
        units=_IBERIAN_UNITS,
        ago_before=frozenset({"hace"}),
        age_before=frozenset({"de", "tiene", "tenia", "cumplir", "cumplio"}),
        every=frozenset({"cada"}),
        day_parts={"por la manana": "MO", "por la tarde": "AF", "por la noche": "NI"},
        every_units=frozenset({"cada", "todos los", "todas las"}),
        seasons=_seasons("primavera primaveras", "verano veranos", "otoño otoños", "invierno inviernos"),
        vague_numbers=frozenset({"varios", "varias", "algunos", "algunas", "unos", "unas"}),
        future=re.compile(
            r".+(?:rá|rán|remos|ré|ría|rían)|próxim[oa]s?|previst[oa]s?|prevé|prevén|mañana|va|van"
        ),
        past=re.compile(
            r".+(?:ó|aron|ieron)|fue|fueron|dijo|ayer|pasad[oa]|hizo|hubo|tuvo|había|habían"
            # the past subjunctive: "después de que cerraran un acuerdo"
            r"|.{2,}(?:aran|ieran|asen|iesen)"
            r"|estuvo|puso|pudo|quiso|vino|dio|trajo|supo|condujo|anduvo"
            # irregular preterites by family ("detuvo", "propuso", "redujo"); the perfect's auxiliary
            r"|.+(?:uvo|puso|dujo|hizo)|ha|han|hemos"
        ),
        complementizers=frozenset({"que"}),
        month_prepositions=frozenset(
            {"en", "de", "desde", "hasta", "para", "durante", "mediados", "finales", "principios", "entre"}
            | {"un"}
        ),
        forward=frozenset({"hasta", "antes", "para", "partir"}),
        day_month=rf"(?P<d>[0-3]?\d|primero)(?:º|°|o)?\s+de\s+(?P<month>{{months}})(?:\s+del?\s+{_Y})?",
        month_year=rf"(?P<month>{{months}})\s+del?\s+{_Y}",
        weekday_next=frozenset({"proximo", "proxima", "que viene"}),
        weekday_last=frozenset({"pasado", "pasada"}),
        not_day_before=frozenset({"la", "esta", "cada", "una", "por"}),
        today_parts={"esta manana": "MO", "esta tarde": "AF", "esta noche": "NI"},
        year_edges=_edges(
            "el ",
            "principios de año|principios del año|finales de año|finales del año|inicio del año|"
            "comienzo del año|final del año|mediados de año|mediados del año|mitad de año|mitad del año",
        ),
        month_edges=_edges(
            "el |",
            "final de mes|final del mes|finales de mes|finales del mes|principios de mes|principios del mes|"
            "mediados de mes|mediados del mes|fin de mes|inicio del mes|comienzo del mes",
        ),
        clock_before=frozenset({"las", "la"}),
        clock_parts={"de la manana": 0, "de la madrugada": 0, "de la tarde": 12, "de la noche": 12},
        periods_of_year=_period_phrases(
            {
                "el {n}": None,
                "la {n}": None,
                "en {n}": None,
                "del {n}": None,
                "al {n}": None,
                "este {n}": 0,
                "esta {n}": 0,
                "el próximo {n}": 1,
                "la próxima {n}": 1,
            }
            | {"el {n} pasado": -1, "la {n} pasada": -1, "el {n} que viene": 1, "la {n} que viene": 1}
            | {"el pasado {n}": -1, "la pasada {n}": -1},
            {"fin de semana": "WE", "primavera": "SP", "verano": "SU", "otoño": "FA", "invierno": "WI"},
        )
        | _SEASONS_AS_MODIFIERS["es"],
        holidays=_folded(
            {"navidad": (12, 25), "nochebuena": (12, 24), "nochevieja": (12, 31), "año nuevo": (1, 1)}
            | {"pascua": (0, 0), "domingo de resurrección": (0, 0), "día de reyes": (1, 6)}
            | {"todos los santos": (11, 1), "día del trabajador": (5, 1), "día de la hispanidad": (10, 12)}
            | {"viernes santo": (0, -2), "jueves santo": (0, -3), "lunes de pascua": (0, 1)}
            | {"domingo de ramos": (0, -7), "miércoles de ceniza": (0, -46), "pentecostés": (0, 49)}
            | {"corpus christi": (0, 60), "san valentín": (2, 14)}
        ),
        in_before=frozenset({"en", "dentro de"}),
        vague_phrases=_vague(
            "los próximos {u}|las próximas {u}|los {u} que vienen", "días=D|semanas=W|meses=M|años=Y"
        )
        | _present("actualmente|en la actualidad|ahora")
        | _vague_refs("recientemente|últimamente|en el pasado", "en el futuro"),
        frequencies=_frequencies(
            _IBERIAN_DAILY,
            "semanalmente semanal semanales",
            "mensualmente",
            "anualmente",
        ),
        times_per=r"{num}\s+(?:vez|veces)\s+(?:por|al|a\s+la)\s+",
        last=_IBERIAN_LAST,
        clock_words={"medianoche": "24:00", "mediodia": "12:00"},
        participle=re.compile(r".{2,}(?:ado|ada|ados|adas|ido|ida|idos|idas)"),
        year_begin="empez|empiez|comenz|comienz|inici|arranc",
        year_end="cerr|cierr|termin|acab|finaliz|despid",
        the_year="el ano",
        contractions=frozenset({"del", "al"}),
        following=_units(
            {
                "day": "dia siguiente|dia despues",
                "week": "semana siguiente",
                "month": "mes siguiente",
                "year": "ano siguiente",
            },
            sep="|",
        ),
        half_noun="mitad",
        shift_words={"antes": -1, "despues": 1, "mas tarde": 1},
        quarter_ordinals={"primer": 1, "primero": 1, "segundo": 2, "tercer": 3, "tercero": 3, "cuarto": 4}
        | {"ultimo": 0, "primera": 1, "segunda": 2},
        phrases=_recurring(
            "todos los|todas las",
            "lunes martes miércoles jueves viernes sábados domingos",
            # the bare plural is the habit too ("dejar de salir los fines de semana")
            "todos los fines de semana|cada fin de semana|fines de semana",
            "por|al|a la",
            "día=D semana=W mes=M año=Y",
        )
        | _HALF_HOURS["es"]
        | _PER_HOUR_PHRASES["es"],
        preceding={
            "ano anterior": "year",
            "mes anterior": "month",
            "semana anterior": "week",
            "dia anterior": "day",
        }
        | {"vispera": "day"},
    ),
    "pt": Vocabulary(
        months=_names(
            "janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro"
        ),
        weekdays=_names(
            "segunda-feira terca-feira quarta-feira quinta-feira sexta-feira sabado domingo", start=0
        ),
        days={"hoje": 0, "ontem": -1, "amanha": 1, "anteontem": -2, "depois de amanha": 2},
        periods={
            "a semana passada": ("week", -1),
            "na semana passada": ("week", -1),
            "esta semana": ("week", 0),
            "nesta semana": ("week", 0),
            "neste mes": ("month", 0),
            "a proxima semana": ("week", 1),
            "na proxima semana": ("week", 1),
            "o mes passado": ("month", -1),
            "no mes passado": ("month", -1),
            "este mes": ("month", 0),
            "o proximo mes": ("month", 1),
            "no proximo mes": ("month", 1),
            "a semana que vem": ("week", 1),
            "na semana que vem": ("week", 1),
            "o mes que vem": ("month", 1),
            "no mes que vem": ("month", 1),
        },
        years={
            "o ano passado": -1,
            "no ano passado": -1,
            "ano passado": -1,  # "do ano passado", "pelo ano passado": after any contraction
            "ano que vem": 1,
            "este ano": 0,
            "neste ano": 0,
            "o proximo ano": 1,
            "no proximo ano": 1,
            "o ano que vem": 1,
            "no ano que vem": 1,
        },
        numbers=_names(
            "dois tres quatro cinco seis sete oito nove dez onze doze duas=2 um=1 uma=1" + _TENS["pt"],
            start=2,
        )
        | _MORE_NUMBERS["pt"],
        units=_IBERIAN_UNITS,
        ago_before=frozenset({"ha"}),
        age_before=frozenset({"de", "tem", "tinha", "completar", "completou"}),
        every=frozenset({"cada", "toda", "todo"}),  # "toda quinta-feira": every Thursday
        day_parts={"de manha": "MO", "a tarde": "AF", "a noite": "NI", "de noite": "NI"},
        every_units=frozenset({"cada", "todos os", "todas as"}),
        seasons=_seasons("primavera primaveras", "verão verões", "outono outonos", "inverno invernos"),
        vague_numbers=frozenset({"varios", "varias", "alguns", "algumas", "uns", "umas"}),
        future=re.compile(
            r".+(?:rá|rão|remos|rei|ria|riam)|próxim[oa]s?|previst[oa]s?|marcad[oa]s?|vai|vão|amanhã"
            r"|prevê|preveem|prevêem"
        ),
        past=re.compile(
            # not the present of "-erar" verbs ("esperam", "superam")
            r"(?!(?:esp|consid|alt|op|sup|tol|lib|recup|acel|mod|lid|delib|reit|ger|pond)eram$)"
            r".{2,}(?:ou|aram|eram|iram)|foi|foram|disse|ontem|passad[oa]|fez|teve|tinha"
            # the preterite of -er and -ir verbs ("venceu", "decidiu"), not the nouns in "-eu"
            r"|(?!(?:europ|muse|jud|lic|apog|plebe|camaf)eu$).{3,}(?:eu|iu)"
            r"|trouxe|esteve|pôs|pôde|quis|veio|deu|soube|houve"
        ),
        complementizers=frozenset({"que"}),
        month_prepositions=frozenset(
            {"em", "de", "desde", "ate", "para", "durante", "meados", "final", "inicio", "entre", "um"}
        ),
        forward=frozenset({"ate", "antes", "para", "partir"}),
        day_month=rf"(?P<d>[0-3]?\d|primeiro)\.?(?:º|°|o)?\s+de\s+(?P<month>{{months}})(?:\s+de\s+{_Y})?",
        month_year=rf"(?P<month>{{months}})\s+de\s+{_Y}",
        weekday_next=frozenset({"proxima", "proximo"}),
        weekday_last=frozenset({"passada", "passado"}),
        today_parts={"esta manha": "MO", "hoje de manha": "MO", "esta tarde": "AF", "esta noite": "NI"},
        year_edges=_edges(
            "o ", "início do ano|começo do ano|final do ano|fim do ano|meados do ano|meio do ano"
        ),
        month_edges=_edges(
            "o |",
            "final do mês|fim do mês|início do mês|começo do mês|meados do mês|final de mês|fim de mês",
        ),
        clock_before=frozenset({"as", "das", "ate"}),
        clock_units=frozenset({"h"}),
        clock_parts={"da manha": 0, "da madrugada": 0, "da tarde": 12, "da noite": 12},
        periods_of_year=_period_phrases(
            {
                "o {n}": None,
                "no {n}": None,
                "na {n}": None,
                "do {n}": None,
                "ao {n}": None,
                "este {n}": 0,
                "esta {n}": 0,
                "neste {n}": 0,
                "nesta {n}": 0,
            }
            | {"o próximo {n}": 1, "a próxima {n}": 1, "o {n} passado": -1, "a {n} passada": -1}
            | {"no {n} passado": -1, "na {n} passada": -1, "no próximo {n}": 1, "na próxima {n}": 1},
            {"fim de semana": "WE", "primavera": "SP", "verão": "SU", "outono": "FA", "inverno": "WI"},
        )
        | _SEASONS_AS_MODIFIERS["pt"],
        holidays=_folded(
            {"natal": (12, 25), "véspera de natal": (12, 24), "ano novo": (1, 1), "páscoa": (0, 0)}
            | {"passagem de ano": (12, 31), "passagem do ano": (12, 31), "dia de todos os santos": (11, 1)}
            | {"dia de reis": (1, 6), "dia do trabalhador": (5, 1), "dia do trabalho": (5, 1)}
            | {
                "finados": (11, 2),
                "dia de finados": (11, 2),
                "réveillon": (12, 31),
                "dia dos namorados": (6, 12),
            }
            | {"sexta-feira santa": (0, -2), "quinta-feira santa": (0, -3), "domingo de páscoa": (0, 0)}
            | {"domingo de ramos": (0, -7), "quarta-feira de cinzas": (0, -46), "pentecostes": (0, 49)}
            | {"corpus christi": (0, 60), "corpo de deus": (0, 60)}
        ),
        in_before=frozenset({"daqui a", "em", "dentro de"}),
        vague_phrases=_vague(
            "os próximos {u}|as próximas {u}|nos próximos {u}|nas próximas {u}",
            "dias=D|semanas=W|meses=M|anos=Y",
        )
        | _present("atualmente|actualmente|agora")
        | _vague_refs("recentemente|ultimamente|no passado", "no futuro"),
        frequencies=_frequencies(
            _IBERIAN_DAILY,
            "semanalmente semanal semanais",
            "mensalmente",
            "anualmente",
        ),
        times_per=r"{num}\s+(?:vez|vezes)\s+(?:por|ao|a)\s+",
        last=_IBERIAN_LAST,
        clock_words={"meia-noite": "24:00", "meio-dia": "12:00"},
        participle=re.compile(r".{2,}(?:ado|ada|ados|adas|ido|ida|idos|idas)"),
        year_begin="comec|inici|arranc",
        year_end="fech|encerr|termin|acab|finaliz",
        the_year="o ano",
        contractions=frozenset(
            {"no", "na", "nos", "nas", "ao", "aos", "do", "da", "dos", "das", "pelo", "pela"}
        ),
        following=_units(
            {
                "day": "dia seguinte",
                "week": "semana seguinte",
                "month": "mes seguinte",
                "year": "ano seguinte",
            },
            sep="|",
        ),
        half_noun="metade",
        shift_words={"antes": -1, "depois": 1, "mais tarde": 1},
        quarter_ordinals={"primeiro": 1, "segundo": 2, "terceiro": 3, "quarto": 4, "ultimo": 0}
        | {"primeira": 1, "segunda": 2},
        phrases=_recurring(
            # "abre aos sábados", "às segundas-feiras": the habit, as "todos os sábados"
            "todos os|todas as|aos|às|nos|nas",
            "segundas-feiras/segundas terças-feiras/terças quartas-feiras/quartas quintas-feiras/quintas "
            "sextas-feiras/sextas sábados domingos",
            "todos os fins de semana|cada fim de semana|todo fim de semana|todo final de semana"
            "|fins de semana|finais de semana",
            "por|ao",
            "dia=D semana=W mês=M ano=Y",
        )
        | _HALF_HOURS["pt"]
        | _PER_HOUR_PHRASES["pt"],
        preceding={
            "ano anterior": "year",
            "mes anterior": "month",
            "semana anterior": "week",
            "dia anterior": "day",
        }
        | {"vespera": "day"},
    ),
    "fr": Vocabulary(
        months=_names("janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre"),
        weekdays=_names("lundi mardi mercredi jeudi vendredi samedi dimanche", start=0),
        days={
            "aujourd'hui": 0,
            "aujourd’hui": 0,
            "hier": -1,
            "demain": 1,
            "avant-hier": -2,
            "apres-demain": 2,
        },
        periods={
            "la semaine derniere": ("week", -1),
            "cette semaine": ("week", 0),
            "la semaine prochaine": ("week", 1),
            "le mois dernier": ("month", -1),
            "ce mois-ci": ("month", 0),
            "le mois prochain": ("month", 1),
            "la semaine passee": ("week", -1),
            "le mois passe": ("month", -1),
        },
        years={
            "l'annee derniere": -1,
            "l’annee derniere": -1,
            "cette annee": 0,
            "l'an dernier": -1,
            "l’an dernier": -1,
            "l'annee prochaine": 1,
            "l’annee prochaine": 1,
            "l'an prochain": 1,
            "l'an passe": -1,
            "l’an passe": -1,
            "l'annee passee": -1,
            "l’annee passee": -1,
        },
        numbers=_names(
            "deux trois quatre cinq six sept huit neuf dix onze douze un=1 une=1" + _TENS["fr"], start=2
        )
        | _MORE_NUMBERS["fr"],
        units=_units(
            {
                "minutes": "minute minutes",
                "hours": "heure heures",
                "days": "jour jours journees",
                "weeks": "semaine semaines",
                "months": "mois",
                "years": "an ans annee annees",
                "decades": "decennie decennies",
            }
        ),
        ago_before=frozenset({"il y a"}),
        age_before=frozenset({"de", "a", "avait", "age", "agee", "ages", "agees"}),
        every=frozenset({"chaque"}),
        day_parts={"matin": "MO", "apres-midi": "AF", "soir": "EV"},
        every_units=frozenset({"chaque", "tous les", "toutes les"}),
        seasons=_seasons("printemps", "été étés", "automne automnes", "hiver hivers"),
        vague_numbers=frozenset({"plusieurs", "quelques"}),
        future=re.compile(
            r".{2,}(?:ra|ront|rai|rons|rait|raient)|prochaine?s?|prévue?s?|attendue?s?|demain|va|vont"
        ),
        past=re.compile(r"a|ont|avait|avaient|était|étaient|fut|furent|hier|derni[eè]re?s?|dit"),
        complementizers=frozenset({"que", "qu"}),
        month_prepositions=frozenset(
            {"en", "de", "depuis", "jusqu'en", "d'ici", "fin", "debut", "mi", "mois", "entre", "un"}
        ),
        forward=frozenset({"jusqu'a", "jusqu’a", "jusqu'au", "jusqu’au", "avant", "d'ici", "pour", "partir"}),
        day_month=rf"(?P<d>[0-3]?\d|1er|premier)\s+(?P<month>{{months}})(?:\s+{_Y})?",
        month_year=rf"(?P<month>{{months}})\s+{_Y}",
        weekday_next=frozenset({"prochain"}),
        weekday_last=frozenset({"dernier"}),
        today_parts={"ce matin": "MO", "cet apres-midi": "AF", "ce soir": "EV", "cette nuit": "NI"},
        year_edges=_edges("le |la ", "début de l'année|fin de l'année|début d'année|fin d'année"),
        month_edges=_edges(
            "la |le |",
            "fin du mois|début du mois|mi-mois|fin de mois|début de mois|milieu du mois",
        ),
        clock_before=frozenset({"a", "vers", "des", "jusqu'a", "jusqu’a", "avant", "apres"}),
        clock_units=frozenset({"h"}),
        clock_parts={"du matin": 0, "de l'apres-midi": 12, "de l’apres-midi": 12, "du soir": 12},
        periods_of_year=_period_phrases(
            {
                "le {n}": None,
                "l'{n}": None,
                "l’{n}": None,
                "au {n}": None,
                "en {n}": None,
                "ce {n}": 0,
                "cet {n}": 0,
            }
            | {"le {n} prochain": 1, "l'{n} prochain": 1, "l’{n} prochain": 1}
            | {"le {n} dernier": -1, "l'{n} dernier": -1, "l’{n} dernier": -1},
            {
                "week-end": "WE",
                "weekend": "WE",
                "printemps": "SP",
                "été": "SU",
                "automne": "FA",
                "hiver": "WI",
            },
        ),
        holidays=_folded(
            {"noël": (12, 25), "nouvel an": (1, 1), "jour de l'an": (1, 1), "pâques": (0, 0)}
            | {"toussaint": (11, 1), "saint-sylvestre": (12, 31), "fête nationale": (7, 14)}
            | {
                "fête du travail": (5, 1),
                "assomption": (8, 15),
                "épiphanie": (1, 6),
                "saint-valentin": (2, 14),
            }
            | {"vendredi saint": (0, -2), "jeudi saint": (0, -3), "lundi de pâques": (0, 1)}
            | {"dimanche de pâques": (0, 0), "dimanche des rameaux": (0, -7), "mardi gras": (0, -47)}
            | {"mercredi des cendres": (0, -46), "ascension": (0, 39), "pentecôte": (0, 49)}
            | {"lundi de pentecôte": (0, 50)}
        ),
        in_before=frozenset({"dans", "d'ici", "d’ici"}),
        vague_phrases=_vague(
            "les prochains {u}|les prochaines {u}|les {u} à venir", "jours=D|semaines=W|mois=M|années=Y"
        )
        | _present("actuellement|maintenant")
        | _vague_refs("récemment|dernièrement|par le passé|dans le passé", "à l'avenir|dans le futur"),
        frequencies=_frequencies(
            "quotidiennement quotidien quotidienne quotidiens quotidiennes",
            "hebdomadaire hebdomadaires",
            "mensuellement",
            "annuellement",
        ),
        times_per=r"{num}\s+fois\s+par\s+",
        last=frozenset({"dernier", "derniere", "derniers", "dernieres"}),
        clock_words={"minuit": "24:00", "midi": "12:00"},
        # with the irregular participles of news verbs ("Le procès, ouvert lundi, doit durer"); no
        # participle ends in "-que" or "-gue" ("la Fête de la musique, lundi", "la ligue")
        participle=re.compile(
            r".{2,}(?:é|ée|és|ées|(?<![qg])ue|(?<![qg])ues|ie|ies)"
            r"|(?:r?ouvert|couvert|découvert|offert|fait|dit|mort|pris|repris|mis|remis|admis)(?:e|s|es)?"
        ),
        year_begin="commenc|debut|entam|demarr",
        year_end="termin|clotur|achev|boucl|fini",
        the_year="l['’]annee",
        contractions=frozenset({"au", "aux", "du"}),
        following=_units(
            {
                "day": "lendemain",
                "week": "semaine suivante",
                "month": "mois suivant",
                "year": "annee suivante|an suivant",
            },
            sep="|",
        ),
        half_noun="moitie",
        shift_words={"plus tot": -1, "auparavant": -1, "plus tard": 1},
        quarter_ordinals={"premier": 1, "deuxieme": 2, "second": 2, "troisieme": 3, "quatrieme": 4}
        | {"dernier": 0, "premiere": 1, "seconde": 2},
        phrases=_recurring(
            "tous les",
            "lundis mardis mercredis jeudis vendredis samedis dimanches",
            "tous les week-ends|chaque week-end|tous les weekends|chaque weekend",
            "par",
            "jour=D semaine=W mois=M an=Y année=Y",
        )
        | _HALF_HOURS["fr"]
        | _PER_HOUR_PHRASES["fr"],
        preceding={
            "annee precedente": "year",
            "annee d'avant": "year",
            "an d'avant": "year",
            "mois precedent": "month",
        }
        | {"semaine precedente": "week", "jour precedent": "day", "veille": "day"},
    ),
    "it": Vocabulary(
        months=_names(
            "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
        ),
        weekdays=_names("lunedi martedi mercoledi giovedi venerdi sabato domenica", start=0),
        days={"oggi": 0, "ieri": -1, "domani": 1, "l'altro ieri": -2, "dopodomani": 2},
        periods={
            "la settimana scorsa": ("week", -1),
            "questa settimana": ("week", 0),
            "la settimana prossima": ("week", 1),
            "la prossima settimana": ("week", 1),
            "il mese scorso": ("month", -1),
            "questo mese": ("month", 0),
            "il mese prossimo": ("month", 1),
            "il prossimo mese": ("month", 1),
            "la scorsa settimana": ("week", -1),
            "lo scorso mese": ("month", -1),
        },
        years={
            "l'anno scorso": -1,
            "l’anno scorso": -1,
            "quest'anno": 0,
            "quest’anno": 0,
            "l'anno prossimo": 1,
            "l’anno prossimo": 1,
            "lo scorso anno": -1,
            "il prossimo anno": 1,
            "anno scorso": -1,  # "dell'anno scorso", "nell'anno scorso": after an elided article
            "anno prossimo": 1,
            "prossimo anno": 1,  # "prima del prossimo anno"
        },
        numbers=_names(
            "due tre quattro cinque sei sette otto nove dieci undici dodici un=1 una=1" + _TENS["it"], start=2
        )
        | _MORE_NUMBERS["it"],
        units=_units(
            {
                "minutes": "minuto minuti",
                "hours": "ora ore",
                "days": "giorno giorni",
                "weeks": "settimana settimane",
                "months": "mese mesi",
                "years": "anno anni",
                "decades": "decennio decenni",
            }
        ),
        ago_after=frozenset({"fa"}),
        age_before=frozenset({"di", "ha", "aveva", "compiuto"}),
        every=frozenset({"ogni"}),
        day_parts={"mattina": "MO", "mattino": "MO", "pomeriggio": "AF", "sera": "EV", "notte": "NI"},
        every_units=frozenset({"ogni", "tutti gli", "tutti i", "tutte le"}),
        seasons=_seasons("primavera primavere", "estate estati", "autunno autunni", "inverno inverni"),
        vague_numbers=frozenset({"diversi", "diverse", "alcuni", "alcune", "parecchi", "parecchie"}),
        future=re.compile(
            r".+(?:rà|ranno|remo|rò|rebbe|rebbero)|prossim[oaie]|previst[oaie]|attes[oaie]|domani|fissat[oaie]"
        ),
        past=re.compile(r"ha|hanno|aveva|avevano|era|erano|fu|furono|ieri|scors[oa]|disse"),
        complementizers=frozenset({"che"}),
        month_prepositions=frozenset(
            {"a", "ad", "in", "di", "da", "dal", "fino", "entro", "meta", "fine", "inizio", "tra", "fra"}
            | {"un"}
        ),
        forward=frozenset({"entro", "fino", "per", "prima"}),
        day_month=rf"(?P<d>[0-3]?\d|primo)(?:º|°)?\s+(?P<month>{{months}})(?:\s+{_Y})?",
        month_year=rf"(?P<month>{{months}})\s+{_Y}",
        weekday_next=frozenset({"prossimo", "prossima"}),
        weekday_last=frozenset({"scorso", "scorsa"}),
        today_parts={
            "stamattina": "MO",
            "stamane": "MO",
            "questa mattina": "MO",
            "oggi pomeriggio": "AF",
            "questo pomeriggio": "AF",
            "stasera": "EV",
            "questa sera": "EV",
            "stanotte": "NI",
            "questa notte": "NI",
        },
        year_edges=_edges(
            "l'|la ", "inizio dell'anno|fine dell'anno|inizio anno|fine anno|metà anno|metà dell'anno"
        ),
        month_edges=_edges(
            "la |l'|",
            "fine del mese|inizio del mese|metà del mese|fine mese|inizio mese|metà mese",
        ),
        clock_before=frozenset({"alle", "dalle", "ore", "le", "delle"}),
        clock_parts={"del mattino": 0, "di mattina": 0, "del pomeriggio": 12, "di sera": 12, "di notte": 12},
        periods_of_year=_period_phrases(
            {"il {n}": None, "l'{n}": None, "l’{n}": None, "la {n}": None, "in {n}": None, "nel {n}": None}
            | {"nella {n}": None}
            | {"nell'{n}": None, "nell’{n}": None, "questo {n}": 0, "quest'{n}": 0}
            | {"dell'{n}": None, "dell’{n}": None, "della {n}": None, "del {n}": None}
            | {"quest’{n}": 0, "questa {n}": 0, "il prossimo {n}": 1, "la prossima {n}": 1}
            | {"lo scorso {n}": -1, "la scorsa {n}": -1, "il {n} scorso": -1, "l'{n} scorsa": -1},
            {"fine settimana": "WE", "weekend": "WE", "primavera": "SP", "estate": "SU", "autunno": "FA"}
            | {"inverno": "WI"},
        ),
        holidays=_folded(
            {"natale": (12, 25), "vigilia di natale": (12, 24), "capodanno": (1, 1), "pasqua": (0, 0)}
            | {"ferragosto": (8, 15), "ognissanti": (11, 1), "epifania": (1, 6), "san silvestro": (12, 31)}
            | {"santo stefano": (12, 26), "immacolata": (12, 8), "befana": (1, 6), "san valentino": (2, 14)}
            | {
                "festa della liberazione": (4, 25),
                "festa dei lavoratori": (5, 1),
                "festa della repubblica": (6, 2),
            }
            | {
                "venerdì santo": (0, -2),
                "giovedì santo": (0, -3),
                "pasquetta": (0, 1),
                "lunedì dell'angelo": (0, 1),
            }
            | {
                "domenica delle palme": (0, -7),
                "mercoledì delle ceneri": (0, -46),
                "martedì grasso": (0, -47),
            }
            | {"ascensione": (0, 39), "pentecoste": (0, 49)}
        ),
        in_before=frozenset({"tra", "fra", "entro"}),
        vague_phrases=_vague(
            "i prossimi {u}|le prossime {u}|nei prossimi {u}|nelle prossime {u}",
            "giorni=D|settimane=W|mesi=M|anni=Y",
        )
        | _present("attualmente|adesso")
        | _vague_refs("recentemente|ultimamente|in passato", "in futuro|in avvenire"),
        frequencies=_frequencies(
            "quotidianamente quotidiano quotidiana quotidiani quotidiane giornaliero giornaliera giornalieri"
            " giornaliere",
            "settimanalmente settimanale settimanali",
            "mensilmente",
            "annualmente",
        ),
        times_per=r"{num}\s+(?:volta|volte)\s+(?:al|alla|all['’]\s*|a|per|ogni)\s*",
        last=frozenset({"ultimo", "ultima", "ultimi", "ultime"}),
        clock_words={"mezzanotte": "24:00", "mezzogiorno": "12:00"},
        # regular, and the common irregular endings: "sospeso", "interrotto", "chiuso"
        participle=re.compile(
            r".{2,}(?:ato|ata|ati|ate|ito|ita|iti|ite|uto|uta|uti|ute|eso|esa|esi|otto|otta|otti|otte"
            r"|uso|usa|usi|use)"
        ),
        year_begin="inizi|cominci|apr[eio]|avvi",
        year_end="chiud|chius|termin|conclu|finisc|fini",
        the_year="l['’]anno",
        contractions=frozenset(
            {"nel", "nella", "nello", "nei", "negli", "nelle", "nell'", "nell’", "dal", "dalla"}
        )
        | {"dall'", "dall’", "del", "della", "dell'", "dell’", "al", "alla", "all'", "all’", "sul", "sulla"},
        following=_units(
            {
                "day": "giorno dopo|giorno seguente|giorno successivo",
                "week": "settimana dopo|settimana successiva|settimana seguente",
                "month": "mese dopo|mese successivo|mese seguente",
                "year": "anno dopo|anno successivo|anno seguente",
            },
            sep="|",
        ),
        half_noun="meta",
        shift_words={"prima": -1, "dopo": 1, "piu tardi": 1},
        quarter_ordinals={
            "primo": 1,
            "secondo": 2,
            "terzo": 3,
            "quarto": 4,
            "ultimo": 0,
            "prima": 1,
            "seconda": 2,
        },
        phrases=_recurring(
            "tutti i|tutte le",
            "lunedì martedì mercoledì giovedì venerdì sabati domeniche",
            "ogni fine settimana|tutti i fine settimana|ogni weekend|tutti i weekend",
            "al|alla|all'",
            "giorno=D settimana=W mese=M anno=Y",
        )
        | _HALF_HOURS["it"]
        | _PER_HOUR_PHRASES["it"],
        preceding={
            "anno precedente": "year",
            "anno prima": "year",
            "mese precedente": "month",
            "mese prima": "month",
        }
        | {"settimana precedente": "week", "giorno precedente": "day", "giorno prima": "day"},
    ),
    "de": Vocabulary(
        months=_names(
            "januar februar marz april mai juni juli august september oktober november dezember jänner=1"
        ),
        weekdays=_names("montag dienstag mittwoch donnerstag freitag samstag sonntag sonnabend=5", start=0),
        days={"heute": 0, "gestern": -1, "morgen": 1, "vorgestern": -2, "ubermorgen": 2},
        periods={
            "letzte woche": ("week", -1),
            "vergangene woche": ("week", -1),
            "in der vergangenen woche": ("week", -1),
            "vergangenen woche": ("week", -1),
            "letzten woche": ("week", -1),
            "dieser woche": ("week", 0),
            "nachsten woche": ("week", 1),
            "kommenden woche": ("week", 1),
            "diese woche": ("week", 0),
            "nachste woche": ("week", 1),
            "kommende woche": ("week", 1),
            # without an article, the strong forms: "seit letzter Woche", "Anfang nächster Woche"
            "letzter woche": ("week", -1),
            "vergangener woche": ("week", -1),
            "nachster woche": ("week", 1),
            "kommender woche": ("week", 1),
        }
        | {  # an edge of a week is that week: "Mitte der Woche", "Anfang nächster Woche"
            f"{edge} {week}": ("week", step) for edge in sorted(_WEEK_EDGES) for week, step in _WEEKS_BY_STEP
        }
        | {
            "letzten monat": ("month", -1),
            "vergangenen monat": ("month", -1),
            "diesen monat": ("month", 0),
            "nachsten monat": ("month", 1),
            "kommenden monat": ("month", 1),
        },
        years={
            "letztes jahr": -1,
            "im vergangenen jahr": -1,
            "vergangenes jahr": -1,
            "dieses jahr": 0,
            "in diesem jahr": 0,
            "nachstes jahr": 1,
            "im nachsten jahr": 1,
            "im kommenden jahr": 1,
        },
        numbers=_names(
            "zwei drei vier funf sechs sieben acht neun zehn elf zwolf ein=1 eine=1 einen=1 einer=1 einem=1"
            + _TENS["de"],
            start=2,
        )
        | _MORE_NUMBERS["de"],
        units=_units(
            {
                "minutes": "minute minuten",
                "hours": "stunde stunden",
                "days": "tag tage tagen",
                "weeks": "woche wochen",
                "months": "monat monate monaten",
                "years": "jahr jahre jahren",
                "decades": "jahrzehnt jahrzehnte jahrzehnten",
            }
        ),
        ago_before=frozenset({"vor"}),
        every=frozenset({"jeden", "jeder", "jedem"}),
        day_parts={"abend": "EV", "fruh": "MO", "vormittag": "MO", "nachmittag": "AF", "nacht": "NI"},
        every_units=frozenset({"jeden", "jeder", "jedem", "jede", "jedes", "alle"}),
        seasons=_seasons("frühling frühjahr", "sommer", "herbst", "winter"),
        vague_numbers=frozenset({"mehrere", "mehreren", "einige", "einigen", "wenige", "wenigen"}),
        weekday_parts={"abend": "EV", "morgen": "MO", "fruh": "MO", "vormittag": "MO", "nachmittag": "AF"}
        | {"nacht": "NI"},
        today_parts={
            "heute morgen": "MO",
            "heute fruh": "MO",
            "heute vormittag": "MO",
            "heute nachmittag": "AF",
            "heute abend": "EV",
            "heute nacht": "NI",
        },
        year_edges=_edges(
            "",
            "Anfang des Jahres|Ende des Jahres|Anfang dieses Jahres|Ende dieses Jahres|Mitte des Jahres|"
            "Jahresanfang|Jahresbeginn|Jahresende|Jahresmitte|"
            # another year named inside the phrase: the step is read from it (_year_edge)
            "Ende letzten Jahres|Anfang letzten Jahres|Mitte letzten Jahres|Ende vergangenen Jahres|"
            "Ende des vergangenen Jahres|Anfang des vergangenen Jahres|Ende des letzten Jahres|"
            "Anfang nächsten Jahres|Ende nächsten Jahres|Mitte nächsten Jahres|Anfang des nächsten Jahres|"
            "Ende des nächsten Jahres|Anfang kommenden Jahres|Anfang des kommenden Jahres",
        ),
        month_edges=_edges(
            "",
            "Ende des Monats|Anfang des Monats|Mitte des Monats|Ende dieses Monats|Anfang dieses Monats|"
            "Monatsende|Monatsanfang|Monatsmitte|Ende letzten Monats|Ende vergangenen Monats|"
            "Anfang nächsten Monats|Ende nächsten Monats|Mitte nächsten Monats|Anfang kommenden Monats",
        ),
        clock_units=frozenset({"uhr"}),
        periods_of_year=_period_phrases(
            {
                "am {n}": None,
                "im {n}": None,
                "zum {n}": None,
                "das {n}": None,
                "dem {n}": None,
                "dieses {n}": 0,
                "diesen {n}": 0,
            }
            | {"nächstes {n}": 1, "nächsten {n}": 1, "kommendes {n}": 1, "am kommenden {n}": 1}
            | {"letztes {n}": -1, "letzten {n}": -1, "vergangenes {n}": -1, "am vergangenen {n}": -1}
            | {"im vergangenen {n}": -1, "im letzten {n}": -1, "im nächsten {n}": 1, "im kommenden {n}": 1},
            {"wochenende": "WE", "frühjahr": "SP", "frühling": "SP", "sommer": "SU", "herbst": "FA"}
            | {"winter": "WI"},
        ),
        holidays=_folded(
            {"weihnachten": (12, 25), "heiligabend": (12, 24), "silvester": (12, 31), "neujahr": (1, 1)}
            | {"ostern": (0, 0), "ostersonntag": (0, 0), "allerheiligen": (11, 1)}
            | {"tag der deutschen einheit": (10, 3), "tag der arbeit": (5, 1), "reformationstag": (10, 31)}
            | {
                "neujahrstag": (1, 1),
                "dreikönigstag": (1, 6),
                "valentinstag": (2, 14),
                "nikolaustag": (12, 6),
            }
            | {
                "karfreitag": (0, -2),
                "gründonnerstag": (0, -3),
                "karsamstag": (0, -1),
                "ostersamstag": (0, -1),
            }
            | {
                "ostermontag": (0, 1),
                "palmsonntag": (0, -7),
                "aschermittwoch": (0, -46),
                "rosenmontag": (0, -48),
            }
            | {"christi himmelfahrt": (0, 39), "himmelfahrt": (0, 39), "pfingsten": (0, 49)}
            | {"pfingstsonntag": (0, 49), "pfingstmontag": (0, 50), "fronleichnam": (0, 60)}
        ),
        in_before=frozenset({"in"}),
        vague_phrases=_vague(
            "den kommenden {u}|den nächsten {u}|die kommenden {u}|die nächsten {u}",
            "tagen=D|wochen=W|monaten=M|jahren=Y|tage=D|monate=M|jahre=Y",
        )
        | _present("derzeit|zurzeit|gegenwärtig|jetzt")
        | _vague_refs("kürzlich|neulich|jüngst|vor kurzem|in der vergangenheit", "in zukunft|künftig"),
        frequencies=_frequencies("taglich", "wochentlich", "monatlich", "jahrlich") | {"stundlich": "hours"},
        times_per=r"{num}mal\s+(?:(?:pro|im|je|in\s+der|die|am)\s+)?",
        clock_words={"mitternacht": "24:00"},
        year_begin="beginn|begann|start",
        year_end="beend|schlie|schloss|abschlie|abschloss",
        the_year="das jahr",
        contractions=frozenset({"im", "in der", "am", "vom", "zum", "zur", "beim", "ins"}),
        following=_units(
            {
                "day": "folgenden tag|nachsten tag|tag darauf",
                "week": "folgenden woche",
                "month": "folgenden monat",
                "year": "folgenden jahr|jahr darauf",
            },
            sep="|",
        ),
        shift_words={"zuvor": -1, "fruher": -1, "spater": 1, "danach": 1},
        quarter_ordinals={"ersten": 1, "erste": 1, "zweiten": 2, "zweite": 2, "dritten": 3, "dritte": 3}
        | {"letzten": 0, "vergangenen": 0}
        | {"vierten": 4, "vierte": 4},
        quarter_noun="quartal",
        future=re.compile(
            r"wird|werden|werde|will|wollen|soll|sollen|nächste[nm]?|kommende[nm]?|morgen|geplant"
            r"|erwartet|erwarten|angesetzt|vorgesehen|plant|planen"
        ),
        past=re.compile(
            r"war|waren|wurde|wurden|hat|haben|hatte|hatten|sagte|sagten|gestern|letzte[nm]?|vergangene[nm]?"
            # the preterite of common news verbs ("warnte am Samstag", "teilte am Freitag mit")
            r"|(?:warn|teil|meld|kündig|erklär|bericht|forder|stimm|beton|bestätig|verkünd|präsentier"
            r"|informier|kritisier|einig|erreich|unterzeichne|veröffentlich|lehn|nann)te[n]?"
            r"|beschloss(?:en)?|entschied(?:en)?|gab(?:en)?|kam(?:en)?|begann(?:en)?|fiel(?:en)?"
            r"|stieg(?:en)?|sank(?:en)?|ging(?:en)?|traf(?:en)?|fand(?:en)?"
            r"|(?:stell|leg|setz|zeig|mach|hol|spiel|such|kauf|führ|hör|wähl|leit|zähl|feier|sperr|räum"
            r"|brauch|schaff|stopp|eröffne|öffne|rede|warte|arbeite|starte|ende|meldete|kündigte)te[n]?"
            r"|(?:lag|stand|hielt|rief|schrieb|blieb|zog|gewann|verlor|brach|lief|fuhr|schloss|bot|trat"
            r"|sprach|nahm|sah|verschob|starb|flog|wuchs|erschien|verließ|bekam|erhielt|schlug)(?:en)?"
            r"|(?:mitteil|versammel|ermittel|wechsel|handel|sammel|besuch|bau|reis|stürz|prall|brach|frag"
            r"|lob|droh|zahl|dauer|kauf|äußer|brann|nann|kann|dach)te[n]?"
            r"|musste[n]?|konnte[n]?|durfte[n]?|wollte[n]?"
            # weak preterites of verbs in "-ieren" and of stems in -d/-t ("kritisierte", "verabschiedete")
            r"|.{3,}ierte[n]?|.{4,}[dt]ete[n]?"
        ),
        complementizers=frozenset({"dass"}),
        month_prepositions=frozenset(
            {"im", "ab", "seit", "bis", "anfang", "ende", "mitte", "von", "zum", "zwischen"}
        ),
        forward=frozenset({"bis", "ab", "fur"}),
        day_month=rf"{_D}\.\s*(?P<month>{{months}})(?:\s+{_Y})?",
        month_year=rf"(?P<month>{{months}})\s+{_Y}",
        # the dative after "seit"/"ab" without an article: "seit vergangenem Oktober", "ab kommendem Montag"
        weekday_next=frozenset({"nachsten", "kommenden", "nachstem", "kommendem"}),
        weekday_last=frozenset({"letzten", "vergangenen", "letztem", "vergangenem"}),
        not_day_before=frozenset({"am", "heute", "jeden", "guten", "den", "dem", "einem"}),
        phrases=_recurring(
            "",
            "montags dienstags mittwochs donnerstags freitags samstags sonntags",
            "jedes wochenende|an wochenenden",
            "pro|je",
            "tag=D woche=W monat=M jahr=Y",
        )
        | _HALF_HOURS["de"]
        | _PER_HOUR_PHRASES["de"],
        preceding={
            "vorjahr": "year",
            "vorjahres": "year",
            "vormonat": "month",
            "vormonats": "month",
            "vorwoche": "week",
        }
        | {"vortag": "day", "vortages": "day"},
    ),
}
SUPPORTED = frozenset(VOCABULARIES)
# Articles a relative week or month may open with; after a contraction ("del mes pasado", "da
# próxima semana", "du mois prochain", "della prossima settimana") the phrase comes without it, as
# the years' "ano pasado" does (folded)
_PERIOD_ARTICLES = frozenset({"el", "la", "le", "il", "lo", "o", "a", "na", "no"})


def _periods_with_bare(periods: dict[str, tuple[str, int]]) -> dict[str, tuple[str, int]]:
    """``periods`` and each article-led phrase without its article ("la proxima semana" ->
    "proxima semana")."""
    bare = {}
    for phrase, value in periods.items():
        first, _, rest = phrase.partition(" ")
        if first in _PERIOD_ARTICLES and rest:
            bare[rest] = value
    return bare | periods


_PERIODS = {id(v): _periods_with_bare(v.periods) for v in VOCABULARIES.values()}
_YEAR_FRAMES = {
    id(v): re.compile(
        r"[\"“«]?\s*(?:(?:en|em|durante|pendant|nel corso del)\s+)?"
        rf"(?P<w>{_alternation(frozenset(v.years))})(?![\w'’])"
    )
    for v in VOCABULARIES.values()
}


# A year opening a sentence ("En 2017,", "Em 2017", "Nel 2019", "Im Jahr 2013"), not a range's start.
_FRAMING_YEAR = re.compile(
    r"[\"“«]?\s*(?:En|Em|Nel|In|Im\s+Jahr|Durante|Pendant|Während)\s+(?P<y>\d{4})\b"
    r"(?!\s*[-–]|\s+(?:a|al|au|à|bis|e|y|et|und)\s+\d)"
)
# A contrast or a new clause after the framing year ends its reach.
_FRAME_ENDS = re.compile(r"[;:]|,?\s+(?:pero|mas|mais|ma|aber|mientras|enquanto|mentre|während|alors)\b")


# "hasta el", "jusqu'au", "bis zum", "fino al", "até ao", "à partir du", "ab": a deadline or an
# earliest date ahead, whatever the verb, as English "until", "by"; "desde", "depuis", "seit",
# "desde": since, behind. Lower case: a sentence opening "Hasta el lunes, ..." narrates.
_ARTICLE = r"(?:(?:el|la|los|las|le|les|l['’]|o|a|os|as|il|lo|den|dem|der)\s+|l['’])?"
# French names the part of a month without "de" ("jusqu'à fin juillet", "début août", "mi-juillet"),
# as German does ("bis Ende Juli").
_EDGE = (
    r"(?:(?:mediados|finales|principios|meados|inicio|fin|début|debut|mi|metà|fine|inizio)\s+"
    r"(?:de|del|do|da|di|du|della|dell['’])\s+|(?:Mitte|Ende|Anfang|fin|début|debut)\s+|mi-)?"
)
_DEADLINE = re.compile(
    r"(?<![\w'’])(?:hasta|até|ate|jusqu['’](?:à|au|aux|en)|jusqu['’]à\s+la|bis(?:\s+(?:zum|zur|Ende|Mitte))?"
    r"|fino\s+(?:a|al|alla|allo|all['’]|ai|alle)|entro|d['’]ici|a\s+partir\s+(?:de|del|do|da)|à\s+partir\s+(?:de|du|d['’])"
    r"|a\s+partire\s+(?:da|dal|dalla|dall['’])|ab)\s*" + _ARTICLE + _EDGE + "$"
)
_SINCE_WORDS = re.compile(r"(?<![\w'’])(?i:desde|depuis|seit|seitdem)\s+" + _ARTICLE + _EDGE + "$")
_RANGE_END = re.compile(r"^[^.;]{0,40}?(?<!\w)(?:hasta|até|jusqu|bis|au|al|a|à)\s+\S*\d", re.IGNORECASE)


# A range's first end before its closing preposition: "vom 3. bis zum", "desde el lunes hasta el"
_RANGE_OPENED = re.compile(
    r"(?<!\w)(?:vom|von|del|de|du|desde|dal|da|dalle|das|entre|zwischen)\s+(?:el\s+|le\s+|o\s+|il\s+)?"
    r"[^\s]+\s+(?:(?:de|di)\s+[^\W\d_]+\s+)?(?:bis|hasta|jusqu|a|au|al|alla|ate|ao|y|et|und|e)\b[^.;]*$"
)


# "la segunda mitad del año", "a primeira metade de 2026", "la seconde moitié de l'année", "la
# seconda metà dell'anno" (folded): a half of a year, as "el segundo semestre"; the year, when
# written, follows as after a quarter. Each language's own noun: Spanish "meta" is a goal ("la
# primera meta del año"). A year phrase after ("del año pasado") is left to the year's own mention,
# which then names the half's year as it names a quarter's.
def _half_of_the_year(v: Vocabulary) -> str:
    if not v.half_noun:
        return "(?P<half>(?!))"
    return (
        rf"(?P<half>{v.half_noun})(?=\s+(?:de|del|do|dell['’]|di)\s*(?:l['’])?(?:ano|annee|anno|\d{{4}})\b)"
        rf"(?:(?!\s+(?:de|del|do|dell['’])?\s*(?:{_alternation(frozenset(v.years))}))"
        rf"\s+(?:del|do|de\s+l['’]|dell['’])\s*(?:ano|annee|anno)\b)?"
    )


# "del año fiscal", "do ano fiscal", "de l'exercice", "dell'esercizio", "des Geschäftsjahres",
# "fiscal" alone after "la primera mitad del año" (folded): a half or quarter of the reporting year,
# FY2026-H1, as English "the first quarter of fiscal 2027" is FY2027-Q1 (not the calendar's half)
_OF_THE_FISCAL_YEAR = (
    r"(?P<fiscal>(?:\s+(?:del|do|de\s+l['’]|dell['’]|de)\s*(?:ano|annee|anno))?\s+fiscale?(?!\w)"
    r"|\s+(?:del|do|da|de\s+l['’]|dell['’]|des|de)\s*(?:ejercicio|exercicio|exercice|esercizio|geschaftsjahr)"
    r"(?:e?s)?(?:\s+fiscale?)?(?!\w))?"
)


# "a las 8 y media", "à 8 heures et demie", "alle 8 e mezza", "às 8 e meia", "a las 10 y cuarto",
# "à 20 heures et quart" (folded): half or a quarter past the hour, only after an hour without its
# minutes: in "a las 8.30 y media hora después" the half is another phrase's
_HALF_OR_QUARTER_PAST = (
    r"(?(m)|(?:\s+(?:y|e|et)\s+(?P<past>media|meia|demie|mezza|mezzo|cuarto|quart|un\s+quarto|um\s+quarto)"
    r"(?!\w))?)"
)


# "had" (the past of "to have") before a date its deadline preposition opens, with at most two
# words before the preposition: "avaient jusqu'au 31 mai", "tenían hasta el viernes", "tinham até
# setembro", "hatten bis Mai", "tenían plazo hasta el", "avevano tempo fino al", "hatten noch bis
# zum"; not "avions", which news reads as "planes" ("immobilise ses avions jusqu'au 15 septembre").
# No punctuation between: "Wer Schulden hatte, muss bis zum" is another clause.
_HAD_BEFORE_A_DEADLINE = re.compile(
    r"\b(?:avait|avaient|tenia|tenian|tinha|tinham|hatte|hatten|aveva|avevano)\s+(?P<between>(?:[^\s,;:]+\s+){0,2}"
    r"(?:(?:hasta|ate|jusqu\S*|bis|fino|entro|au|al|ao|zum|zur)\s+)?(?:[^\s,;:]+\s+){0,2})$"
)
_ORDINAL_DAY_DOT = re.compile(r"(?<![\d.])[0-3]?\d\.\s+$")


# An indefinite article before a word with a future's or conditional's ending makes it a noun
# ("una avería", "une carrière", "uma estria"); definite ones are left: "la próxima semana" is a cue.
_INDEFINITE_ARTICLES = frozenset({"un", "una", "unos", "unas", "um", "uma", "uns", "umas", "une", "uno"})
# After these the same words are pronouns, subjects of a real verb: "cada uno recibirá", "cada um
# receberá", "ni una llegará", "nem um será".
_PRONOUN_MAKERS = frozenset({"cada", "ni", "nem", "ne", "né"})
# Characters before a position scanned again for weekdays: more than the longest weekday word and
# its one-character lookaround, so a mention cut at the position is never taken from the whole scan.
_WEEKDAY_RESCAN = 64


class _ForeignDoc(_Doc):
    """A text in another language: its words, cue words and complementizers."""

    word_re = _WORD
    deadline_before = _DEADLINE
    since_before = None
    # After the expression, "und", "et", "y", "e" start another clause whose verb is not the date's
    # ("erwartet den Höchststand am Montagabend und hat die Altstadt gesperrt"), as English "and".
    coordinators = frozenset({"y", "e", "ed", "et", "und", "pero", "mas", "mais", "ma", "aber"})
    present_plural = frozenset[str]()
    modal_future = None

    def __init__(
        self, text: str, reference: datetime, is_publication: bool, vocabulary: Vocabulary, folded: str = ""
    ) -> None:
        super().__init__(text, reference, is_publication)
        self.vocabulary = vocabulary
        self.complementizers = vocabulary.complementizers
        self.folded = folded or _fold_text(text)  # the text the patterns run on (same offsets)
        self.preceding: list[_Candidate] = []  # "el año anterior": moved back after the shifts
        self.weekday_pattern = re.compile(rf"(?<!\w)(?P<wd>{_word_pattern(vocabulary.weekdays)})(?!\w)")

    @functools.cached_property
    def _weekday_mentions(self) -> tuple[list[re.Match[str]], list[int], dict[int, list[int]]]:
        """Every weekday of the folded text, their ends, and per weekday the indexes of its mentions."""
        found = list(self.weekday_pattern.finditer(self.folded))
        by_day: dict[int, list[int]] = {}
        for i, w in enumerate(found):
            by_day.setdefault(self.vocabulary.weekdays[w["wd"]], []).append(i)
        return found, [w.end() for w in found], by_day

    def weekdays_before(self, pos: int, weekday: int) -> tuple[re.Match[str] | None, re.Match[str] | None]:
        """The last weekday mention before ``pos`` and the last one of ``weekday``, as a scan of the
        text up to ``pos`` finds them, without one (a scan per weekday made a long text quadratic).
        Mentions ending well before ``pos`` come from the one scan of the whole text; the last few
        characters are scanned again, since a match cut at ``pos`` may differ from the whole text's."""
        found, ends, by_day = self._weekday_mentions
        settled = bisect.bisect_right(ends, pos - _WEEKDAY_RESCAN)  # mentions wholly before the rescan
        resume = ends[settled - 1] if settled else 0
        tail = list(self.weekday_pattern.finditer(self.folded, resume, pos))
        same = [w for w in tail if self.vocabulary.weekdays[w["wd"]] == weekday]
        own = by_day.get(weekday, [])
        earlier_same = bisect.bisect_left(own, settled)
        last = tail[-1] if tail else found[settled - 1] if settled else None
        last_same = same[-1] if same else found[own[earlier_same - 1]] if earlier_same else None
        return last, last_same

    @functools.cached_property
    def sentence_starts(self) -> list[int]:
        """As English, but the dot of an ordinal day ("am 24. Juni", "o 1. de maio") ends no sentence."""
        return [s for s in super().sentence_starts if not self._month_after_an_ordinal_day(s)]

    def _month_after_an_ordinal_day(self, start: int) -> bool:
        word = self.word_re.match(self.text, start)
        return (
            word is not None
            and _fold(word.group()) in self.vocabulary.months
            and _ORDINAL_DAY_DOT.search(self.text, max(0, start - 6), start) is not None
        )

    def _cue_at(self, match: re.Match[str]) -> Tense:
        if match.group().lower() == "a" and self.text[
            max(0, match.start() - 3) : match.start()
        ].lower().endswith("y "):
            return None  # "il y a deux ans" is "ago", "il y a des grèves" "there are": not "a" the auxiliary
        cue = super()._cue_at(match)
        if cue == "future" and self._after_an_indefinite_article(match.start()):
            return None  # "una avería", "une carrière": a noun with a future's ending, not a verb
        participle = self.vocabulary.participle
        if cue is None and participle is not None and match.group().lower() in _BE_AUXILIARIES:
            # "la campagne s'est achevée vendredi", "si è chiusa lunedì", "s'est rendu", "si è
            # aperto": a past tense with "to be" ("sont attendus vendredi" is the future the
            # participle's own cue tells)
            nxt = self.word_re.search(self.text, match.end(), match.end() + 30)
            word = match.group().lower()
            if nxt is not None and (
                participle.fullmatch(nxt.group().lower())
                or word in ("s'est", "s’est")
                or (
                    _BROAD_PARTICIPLE.fullmatch(nxt.group().lower())
                    and _fold(nxt.group()) not in _NOT_PARTICIPLES
                )
            ):
                return self.cue(nxt.group(), "") or "past"
        if cue == "past" and match.group().lower().endswith(("te", "ten")):
            previous = self.word_re.findall(self.text, max(0, match.start() - 20), match.start())
            nxt = self.word_re.search(self.text, match.end(), match.end() + 30)
            if (
                previous
                and previous[-1].lower() in _GERMAN_DETERMINERS
                and nxt is not None
                and nxt.group()[:1].isupper()
            ):
                return None  # "die verletzten Männer", "der kritisierte Plan": an adjective
        if (
            cue is None
            and participle is not None
            and participle.fullmatch(match.group().lower())
            and self.next_words(match.end(), 1)[:1] in _AGENTS
        ):
            return "past"  # "os economistas ouvidos pelo banco na segunda-feira": done by then
        if (
            cue is None
            and participle is not None
            and participle.fullmatch(match.group().lower())
            and self.text[: match.start()].rstrip().endswith(",")
            and not self._after_a_date_name(match.start())
        ):
            # "Les négociations, interrompues mardi, reprendront": a participle opening an
            # apposition tells what already happened, whatever the main verb's tense
            return "past"
        return cue

    def _after_an_indefinite_article(self, pos: int) -> bool:
        """ "una avería": an indefinite article right before ``pos``, not a pronoun ("cada uno")."""
        previous = self.prev_words(pos, 2)
        return (
            bool(previous)
            and previous[-1] in _INDEFINITE_ARTICLES
            and not (len(previous) > 1 and previous[0] in _PRONOUN_MAKERS)
        )

    def _after_a_date_name(self, pos: int) -> bool:
        """ "até as 4h de quinta-feira, feriado municipal": a noun in apposition to a weekday or a
        month, not a participle opening a clause."""
        previous = self.prev_words(pos, 1)
        return bool(previous) and (
            _fold(previous[0]) in self.vocabulary.weekdays or _fold(previous[0]) in self.vocabulary.months
        )

    def _deadline_ahead(self, s0: int, start: int) -> bool:
        """ "hasta el 5 de marzo" points ahead; "vom 3. bis zum 5. März", "del 3 al 5", "desde el
        lunes hasta el miércoles" close a range, which its first end dates."""
        if not super()._deadline_ahead(s0, start):
            return False
        had = _HAD_BEFORE_A_DEADLINE.search(self.folded, max(s0, start - 45), start)
        # a verb of its own after had's object looks ahead again: "Quem tinha dívidas terá até 31
        # de maio" (not had's participle: "tenía previsto abrir hasta el")
        between = self.text[had.start("between") : start].lower().split()[1:] if had else []
        if had and not any(self.vocabulary.future.fullmatch(w) for w in between):
            return False  # "les groupes avaient jusqu'au 31 mai": a deadline past, as "had until"
        return _RANGE_OPENED.search(self.folded, max(s0, start - 50), start) is None

    def after_since(self, start: int) -> bool:
        """ "desde marzo", "depuis lundi", "seit Mitte Mai": behind the time of writing, unless a
        range's end follows ("desde el 1 hasta el 15 de julio")."""
        s0, s1 = self.sentence(start)
        if not _SINCE_WORDS.search(self.text, max(s0, start - 40), start):
            return False
        # "La ley se aplicará desde el 1 de enero": with a future verb it is "from", ahead
        return not self._future_verb_in(s0, s1) and not _RANGE_END.match(self.text, start)

    @functools.cached_property
    def _future_sentences(self) -> dict[int, bool]:
        return {}  # sentence start -> whether a word of it is a future verb, filled as asked

    def _future_verb_in(self, s0: int, s1: int) -> bool:
        """Whether the sentence ``[s0, s1)`` has a future verb; each sentence is scanned once (a scan
        per "seit"/"desde" made a long sentence of them quadratic)."""
        if s0 not in self._future_sentences:
            words = self.word_re.findall(self.text, s0, s1)
            self._future_sentences[s0] = any(self.cue(w, "") == "future" for w in words)
        return self._future_sentences[s0]

    def framing_year(self, start: int) -> int | None:
        """ "Em 2017, os incêndios de outubro", "Nel 2019 ... a marzo": a year opening the sentence
        frames its months and days, as English "In 2018, ..."."""
        s0, _ = self.sentence(start)
        framed = _FRAMING_YEAR.match(self.text, s0, start)
        if framed is not None:
            return None if _FRAME_ENDS.search(self.text, framed.end(), start) else int(framed["y"])
        # "L'an dernier, ... avaient été enregistrés le 2 novembre", "Im vergangenen Jahr zählte der
        # Club über Ostern": a year phrase opening the sentence frames it, as English "Last year"
        phrase = _YEAR_FRAMES[id(self.vocabulary)].match(self.folded, s0, start)
        if phrase is None or phrase.end() >= start or _FRAME_ENDS.search(self.text, phrase.end(), start):
            return None
        return self.day.year + self.vocabulary.years[phrase["w"]]

    def tense_after(self, end: int) -> Tense:
        """The first cue after ``end`` in its clause ("la réunion de lundi a permis"), else None."""
        _, s1 = self.sentence(end)
        for match in list(self.word_re.finditer(self.text, end, min(s1, end + 80)))[:6]:
            word = match.group().lower()
            if (
                word in self.complementizers
                or word in self.coordinators
                or "," in self.text[end : match.start()]
            ):
                return None
            cue = self._cue_at(match)
            if cue is not None:
                return cue
        return None

    def cue(self, word: str, following: str) -> Tense:
        folded = _fold(word)
        if folded in self.vocabulary.months or folded in self.vocabulary.weekdays:
            return None
        # "reuniu-se", "anunciou-o", "reunirá-se": the verb without its clitic pronoun
        lower = _CLITIC.sub("", word.lower())
        if self.vocabulary.future.fullmatch(lower):
            return "future"
        if self.vocabulary.past.fullmatch(lower):
            return "past"
        return None


@dataclass(frozen=True, slots=True)
class _Patterns:
    day_month: re.Pattern[str]
    month_year: re.Pattern[str]
    month: re.Pattern[str]
    weekday: re.Pattern[str]
    deictic: re.Pattern[str]
    year_phrase: re.Pattern[str]
    period_phrase: re.Pattern[str] | None
    numeric: re.Pattern[str]
    duration: re.Pattern[str] | None
    today_part: re.Pattern[str] | None
    range_start: re.Pattern[str]
    quarter: re.Pattern[str] | None
    year_edge: re.Pattern[str] | None
    clock: re.Pattern[str]
    in_units: re.Pattern[str] | None
    decade: re.Pattern[str]
    vague: re.Pattern[str] | None
    period_of_year: re.Pattern[str] | None
    holiday: re.Pattern[str] | None
    every_unit: re.Pattern[str] | None
    weekday_day: re.Pattern[str]
    following: re.Pattern[str] | None
    shifted: re.Pattern[str] | None
    last_units: re.Pattern[str] | None
    the_year: re.Pattern[str] | None
    clock_word: re.Pattern[str] | None
    frequency: re.Pattern[str] | None
    times_per: re.Pattern[str] | None
    phrase: re.Pattern[str] | None
    preceding: re.Pattern[str] | None


def _word_pattern(names: dict[str, int]) -> str:
    """Names as folded; the text is folded before matching, so accents and case do not matter."""
    return _alternation(names)


def _patterns(v: Vocabulary) -> _Patterns:
    months = _word_pattern(v.months)
    return _Patterns(
        # "domenica 25 ottobre", "mardi 3 mars", "Montag, den 3. März": the weekday is part of the date
        day_month=re.compile(
            rf"(?<!\w)(?:(?P<wd>{_word_pattern(v.weekdays)}),?\s+(?:den\s+)?)?"
            + v.day_month.replace("{months}", months)
            + r"(?!\w)"
        ),
        month_year=re.compile(r"(?<!\w)" + v.month_year.replace("{months}", months) + r"(?!\w)"),
        month=re.compile(rf"(?<!\w)(?P<month>{months})(?!\w)"),
        weekday=re.compile(rf"(?<!\w)(?P<wd>{_word_pattern(v.weekdays)}){_parts(v)}(?!\w){_day_part(v)}"),
        deictic=re.compile(rf"(?<![\w'’])(?P<w>{_word_pattern(v.days)})(?![\w'’-]){_day_part(v)}"),
        year_phrase=re.compile(rf"(?<!\w)(?P<w>{_alternation(frozenset(v.years))})(?!\w)"),
        period_phrase=re.compile(rf"(?<!\w)(?P<w>{_alternation(frozenset(_PERIODS[id(v)]))})(?!\w)")
        if v.periods
        else None,
        # a sentence's full stop may follow ("el 11/06/2026."), not another part ("11.06.2026.5")
        numeric=re.compile(r"(?<![\w./-])(?P<d>[0-3]?\d)[./](?P<m>[01]?\d)[./](?P<y>\d{4})(?![\w/-]|\.\w)"),
        duration=_duration_pattern(v) if v.units else None,
        # "du 12 au 14 décembre", and two days joined: "entre le 27 et le 29 mars", "el martes 1 y el
        # jueves 3 de diciembre", "am 3. und 4. Mai" (a weekday before either day is part of it)
        range_start=re.compile(
            rf"(?<![\w.,])(?:(?P<wd1>{_word_pattern(v.weekdays)}),?\s+)?(?P<d1>1er|[0-3]?\d)(?=\.?\s+"
            r"(?:(?:au|al|a|bis|-|–)\s+(?:zum\s+)?|(?:et|y|e|und|ed)\s+(?:(?:le|el|il|o|am|den)\s+|l['’])?)"
            rf"(?:(?P<wd>{_word_pattern(v.weekdays)}),?\s+)?"
            + v.day_month.replace("{months}", months)
            + r"(?!\w))"
        ),
        # "el primer trimestre (de 2025)", "das dritte Quartal": a quarter, with its article as
        # English "the first quarter"
        quarter=re.compile(
            rf"(?<![\w'’])(?:(?:el|le|la|a|o|il|das|die)\s+)?(?P<q>{_alternation(v.quarter_ordinals)})\s+"
            rf"(?:(?P<noun>{v.quarter_noun}|semestre|halbjahr|jahreshalfte)(?:e?s)?|{_half_of_the_year(v)})"
            rf"{_OF_THE_FISCAL_YEAR}(?:\s+(?:de|del|di|du|des|von)?\s*{_Y})?(?!\w)"
        )
        if v.quarter_ordinals
        else None,
        today_part=_words_pattern(frozenset(v.today_parts)),
        year_edge=_year_edge_pattern(v),
        clock=re.compile(
            r"(?<![\w.,:])(?P<h>[0-2]?\d)(?:\s?(?P<sep>[:.h])\s?(?P<m>[0-5]\d))?"
            r"(?:\s?(?P<unit>uhr|horas|hora|heures|heure|ore|h)(?!\w))?"
            + _HALF_OR_QUARTER_PAST
            + rf"(?:\s+(?P<part>{_alternation(frozenset(v.clock_parts)) or '(?!)'}))?(?![.,:]?\d)"
        ),
        in_units=re.compile(
            rf"(?<![\w'’])(?P<pre>{_alternation(v.in_before)})\s+(?P<num>\d{{1,4}}|{_alternation(v.numbers)})\s+"
            rf"(?P<unit>{_alternation(frozenset(v.units))})(?!\w)"
        )
        if v.in_before
        else None,
        vague=_words_pattern(frozenset(v.vague_phrases)),
        decade=_DECADE,
        # "el verano de 2025", "l'été 2025", "Sommer 2025": a year after the season names it
        period_of_year=re.compile(
            rf"(?<![\w'’])(?P<w>{_alternation(frozenset(v.periods_of_year))})"
            rf"(?:\s+(?:de|del|di|do|von)?\s*(?P<y>\d{{4}}))?(?![\w'’-])"
        )
        if v.periods_of_year
        else None,
        # after an elided article too: "l'Epifania", "à l'Ascension", "dell'Immacolata"
        holiday=_words_pattern(frozenset(v.holidays), r"(?![\w'’-])", before=r"(?<!\w)"),
        every_unit=_every_unit_pattern(v),
        # "el lunes 5", "jeudi 12": a weekday and a day of the month without the month
        weekday_day=re.compile(
            rf"(?<!\w)(?P<wd>{_word_pattern(v.weekdays)}),?\s+(?P<d>[0-3]?\d|1er)(?![\w%]|[.,:]\d)"
        ),
        # with its article ("le lendemain", "l'anno successivo"); a contraction is cut off later
        following=_words_pattern(
            frozenset(v.following),
            before=r"(?<![\w'’])(?:(?:el|la|le|il|lo|o|a|al|no|na|am|im|au|nel|nella)\s+|l['’])?",
        ),
        shifted=_shifted_pattern(v),
        last_units=_last_units_pattern(v),
        the_year=_the_year_pattern(v),
        clock_word=_words_pattern(frozenset(v.clock_words), r"(?![\w-])", before=r"(?<![\w'’-])"),
        frequency=_words_pattern(frozenset(v.frequencies)),
        times_per=re.compile(
            r"(?<!\w)"
            + v.times_per.replace("{num}", rf"(?P<num>\d{{1,2}}|{_alternation(v.numbers)})")
            + rf"(?P<unit>{_alternation(frozenset(v.units) | frozenset(v.frequencies))})(?!\w)"
        )
        if v.times_per
        else None,
        preceding=_words_pattern(
            frozenset(v.preceding),
            after=r"(?![\w'’-])(?!\s+(?:de|del|du|des|di|della|do|da|d['’]))",
            before=r"(?<![\w'’])(?:(?:el|la|le|il|lo|o|a|al|no|na|am|im|au|nel|nella|dem|des|zum)\s+"
            r"|(?:l|all|dell|nell|dall)['’])?",
        ),
        phrase=re.compile(rf"(?<![\w'’])(?P<w>{_alternation(frozenset(v.phrases))})(?![\w'’-])")
        if v.phrases
        else None,
    )


# Parts of the day after an every word ("cada noche", "todas as manhãs", "chaque soir", "ogni
# sera", "jeden Abend"), folded -> TIMEX3 code: that part of every day, as English "every night"
_EVERY_DAY_PART = {
    **dict.fromkeys(("noche", "noches", "noite", "noites", "nuit", "nuits", "notte", "notti", "nacht"), "NI"),
    **dict.fromkeys(("manana", "mananas", "manha", "manhas", "matin", "matins", "mattina", "morgen"), "MO"),
    **dict.fromkeys(("tarde", "tardes", "apres-midi", "pomeriggio", "nachmittag"), "AF"),
    **dict.fromkeys(("soir", "soirs", "soiree", "sera", "sere", "abend"), "EV"),
}


def _every_unit_pattern(v: Vocabulary) -> re.Pattern[str] | None:
    """ "cada semana", "tous les deux ans", "jeden Herbst" (on folded text)."""
    if not v.every_units:
        return None
    nouns = _alternation(frozenset(v.units) | frozenset(v.seasons) | frozenset(_EVERY_DAY_PART))
    number = rf"\d{{1,3}}|{_alternation(v.numbers)}"
    return re.compile(
        rf"(?<![\w'’])(?:(?P<every>{_alternation(v.every_units)})\s+(?:(?P<num>{number})\s+)?"
        # "de dois em dois anos", "de tres en tres meses": every two years, the count said twice
        rf"|de\s+(?P<num2>{number})\s+(?:em|en)\s+(?P=num2)\s+)(?P<unit>{nouns})(?!\w)"
    )


def _not_another_year(v: Vocabulary) -> str:
    """Not before a year or a word naming another year ("la fin de l'année dernière" as the
    reference's), nor an adjective naming another kind of year ("l'inizio dell'anno scolastico")."""
    other = _alternation(frozenset(v.years) | v.weekday_last | v.weekday_next | _OTHER_YEAR)
    return rf"(?!\w|\s+(?:\d|(?:{other})(?!\w)))"


def _year_edge_pattern(v: Vocabulary) -> re.Pattern[str] | None:
    """ "le début de l'année", "la fine del mese", "la fin du mois prochain" (on folded text)."""
    if not v.year_edges:
        return None
    return re.compile(
        rf"(?<!\w)(?P<w>{_alternation(v.year_edges | v.month_edges)})"
        rf"(?:\s+(?P<q>{_alternation(frozenset(_NEXT_AFTER) | frozenset(_LAST_AFTER))})(?!\w))?"
        + _not_another_year(v)
    )


def _the_year_pattern(v: Vocabulary) -> re.Pattern[str] | None:
    """ "comenzaron el año", "beendet das Jahr" (on folded text)."""
    if not v.the_year:
        return None
    return re.compile(
        rf"(?<!\w)(?:(?P<begin>{v.year_begin})|{v.year_end})\w*\s+(?P<w>{v.the_year})" + _not_another_year(v)
    )


def _shifted_pattern(v: Vocabulary) -> re.Pattern[str] | None:
    """ "dos años después", "zwei Jahre später", not "dos años antes de la crisis" (on folded text)."""
    if not v.shift_words:
        return None
    return re.compile(
        rf"(?<![\w.,':])(?P<num>\d{{1,3}}|{_alternation(v.numbers)})\s+(?P<unit>{_alternation(frozenset(v.units))})"
        rf"\s+(?P<dir>{_alternation(frozenset(v.shift_words))})(?!\w)"
        rf"(?!\s+(?:{_alternation(_NOT_AFTER_A_SHIFT)})\b)"
    )


def _last_units_pattern(v: Vocabulary) -> re.Pattern[str] | None:
    """ "la última década", "l'ultimo anno", "les trois dernières années" (on folded text); not "la
    última semana de marzo", a week that its month names."""
    if not v.last:
        return None
    number = rf"(?P<num>\d{{1,3}}|{_alternation(v.numbers)})"
    return re.compile(
        # after an article, or an elided one ("nell'ultimo anno") left out of the span
        rf"(?:(?<![\w'’])(?:(?:el|la|los|las|il|lo|le|les|gli|o|a|os|as)\s+|l['’])?|(?<=['’]))"
        rf"(?:(?P<last>{_alternation(v.last)})\s+(?:{number}\s+)?|{number.replace('num', 'pre')}\s+"
        rf"(?P<last2>{_alternation(v.last | _NEXT_PLURALS)})\s+)"
        rf"(?P<unit>{_alternation(frozenset(v.units))})(?!\w)"
        rf"(?P<of>\s+(?:de|del|di|du|do|da|della|des)\s+(?:l['’]|la\s+|el\s+)?(?P<after>[\w'’]+))?"
    )


# "les trois prochaines semaines", "las dos próximas semanas": a number before these counts ahead
_NEXT_PLURALS = frozenset({"prochains", "prochaines", "proximos", "proximas", "prossimi", "prossime"})


# After an edge of the year or month, the word that moves it one on or back: "la fin du mois
# prochain", "finales del año pasado", "la fine dell'anno scorso" (folded)
_NEXT_AFTER = {"prochain": 1, "prochaine": 1, "proximo": 1, "proxima": 1, "que viene": 1, "que vem": 1}
_NEXT_AFTER |= {"prossimo": 1, "prossima": 1}
_LAST_AFTER = {"dernier": -1, "derniere": -1, "passe": -1, "passee": -1, "pasado": -1, "pasada": -1}
_LAST_AFTER |= {"passado": -1, "passada": -1, "scorso": -1, "scorsa": -1}


# After "dos años antes", words that tie it to an event, not to the date named before ("dos años
# antes de la crisis", "trois ans plus tard que prévu"), folded.
_NOT_AFTER_A_SHIFT = frozenset(
    {"de", "del", "que", "di", "da", "du", "des", "dass", "als", "la", "il", "le", "lo", "l", "o", "a"}
    | {"della", "dello", "dal", "dalla", "do", "dos", "das", "der", "die", "dem", "den", "el", "los", "las"}
)
_LAST_INSIDE = frozenset({"letzten", "vergangenen"})
_NEXT_INSIDE = frozenset({"nachsten", "kommenden"})

# Words after a year edge that name a year other than the reference's, or another kind of year.
_OTHER_YEAR = frozenset(
    {"derniere", "prochaine", "pasado", "passado", "scorso", "prossimo", "que", "seguinte"}
    | {"scolastico", "scolaire", "escolar", "lectivo", "letivo", "academico", "academique", "accademico"}
    | {"fiscal", "fiscale", "judicial", "giudiziario", "liturgico", "liturgique", "parlamentare"}
    | {"parlementaire", "agricola", "agricole", "civil"}
)


# Tens as words after "años/anos/anni/années" (folded): "los años noventa", "anni Sessanta"
_DECADE_WORDS = {
    **dict.fromkeys(("veinte", "vinte", "venti", "vingt"), 2),
    **dict.fromkeys(("treinta", "trinta", "trenta", "trente"), 3),
    **dict.fromkeys(("cuarenta", "quarenta", "quaranta", "quarante"), 4),
    **dict.fromkeys(("cincuenta", "cinquenta", "cinquanta", "cinquante"), 5),
    **dict.fromkeys(("sesenta", "sessenta", "sessanta", "soixante"), 6),
    **dict.fromkeys(("setenta", "settanta", "soixante-dix"), 7),
    **dict.fromkeys(("ochenta", "oitenta", "ottanta", "quatre-vingt"), 8),
    **dict.fromkeys(("noventa", "novanta", "quatre-vingt-dix"), 9),
}
_GERMAN_DECADES = {"zwanzig": 2, "dreissig": 3, "dreißig": 3, "vierzig": 4, "funfzig": 5, "sechzig": 6} | {
    "siebzig": 7,
    "achtzig": 8,
    "neunzig": 9,
}
# "los años 90", "les années 1990", "la década de 1980", "gli anni '70", "die 1990er Jahre" (folded)
_DECADE = re.compile(
    r"(?<![\w'’])(?:(?:los|las|les|la|gli|os|i|die|den)\s+)?"
    r"(?:(?:anos|annees|anni|decada\s+de|decennie|decennio)\s+['’]?(?P<d>\d0|\d{3}0)(?!\d|\w)"
    r"|(?P<g>\d{3}0|\d0)er(?:\s+jahre[n]?)?(?!\w)"
    rf"|(?:anos|annees|anni|decada\s+de\s+los|decada\s+de)\s+(?P<w>{_alternation(frozenset(_DECADE_WORDS))})(?!\w)"
    rf"|(?P<gw>{_alternation(frozenset(_GERMAN_DECADES))})er(?:jahre[n]?|\s+jahre[n]?|n)?(?!\w))"
)


# "el siglo XX", "o século XXI", "le XXe siècle", "im 20. Jahrhundert", "il XX secolo", "nel
# Novecento": a century (on folded text; Roman numerals in lower case there)
_CENTURY = re.compile(
    r"(?<!\w)(?:(?:siglo|seculo|secolo)\s+(?P<a>[xvi]{1,5}|\d{1,2})"
    r"|(?P<b>[xvi]{1,5}|\d{1,2})(?:e|eme|er|o|°|º)?\s+(?:siecle|secolo)"
    r"|(?P<c>\d{1,2})\.\s+jahrhunderts?"
    r"|(?P<cento>seicento|settecento|ottocento|novecento))(?!\w)"
)
_ROMAN = {"i": 1, "v": 5, "x": 10}
_CENTO = {"seicento": 17, "settecento": 18, "ottocento": 19, "novecento": 20}


def _roman(numeral: str) -> int:
    values = [_ROMAN[ch] for ch in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


# "el próximo día 15", "no dia 3", "el pasado día 28": a day of the month without the month
# (Spanish and Portuguese, folded)
_DAY_OF_THE_MONTH = re.compile(
    r"(?<!\w)(?:(?P<q>proximo|pasado|passado)\s+)?dia\s+(?P<d>[0-3]?\d)(?!\d|[.,]\d|\s*(?:º|°|o)?\s+de\s)(?![\w%])"
)


def _day_of_the_month(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    """The day of that number in the month before, of or after the reference: by the qualifier,
    else by the tense, else the nearest."""
    if doc.vocabulary.weekdays.get("domingo") is None:
        return None  # Spanish and Portuguese only
    following = [_fold(w) for w in doc.next_words(m.end(), 1)]
    if (
        following
        and following[0] not in _AFTER_A_WEEKDAY_DAY
        and doc.text[m.end() : m.end() + 2].strip()[:1] not in ",.;:)"
    ):
        return None  # "durante el día 2 personas murieron": a count
    day = int(m["d"])
    days = [
        d
        for k in (-1, 0, 1)
        if (d := _valid_day(*_add_months(doc.day.year, doc.day.month, k), day)) is not None
    ]
    tense = (
        "past" if m["q"] in ("pasado", "passado") else "future" if m["q"] else doc.tense(m.start(), m.end())
    )
    fitting = [d for d in days if (d <= doc.day if tense == "past" else d >= doc.day)] if tense else days
    if not fitting:
        return None
    return _Resolved(min(fitting, key=lambda d: abs((d - doc.day).days)).isoformat(), "day", "DATE")


def _century(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    """The 20th century is "19", as English "the 20th century"."""
    if m["cento"]:
        if not doc.text[m.start()].isupper():
            return None  # "novecento" the number; the century is capitalised
        n = _CENTO[m["cento"]]
    else:
        raw = m["a"] or m["b"] or m["c"]
        if (
            not raw.isdigit()
            and not doc.text[m.start("a") if m["a"] else m.start("b") if m["b"] else 0].isupper()
        ):
            return None  # Roman numerals are written in capitals
        n = int(raw) if raw.isdigit() else _roman(raw)
    if not 1 <= n <= 22:
        return None
    return _Resolved(f"{n - 1:02d}", "century", "DATE")


def _decade(m: re.Match[str], doc: _ForeignDoc) -> _Resolved:
    """A decade, as English "the 1990s" (199); two digits or words are the 1900s' ("los años 90",
    "anni Sessanta", "die Neunzigerjahre")."""
    if m["w"] or m["gw"]:
        digit = _DECADE_WORDS[m["w"]] if m["w"] else _GERMAN_DECADES[m["gw"]]
        return _Resolved(f"19{digit}", "decade", "DATE")
    digits = m["d"] or m["g"]
    full = digits if len(digits) == 4 else f"19{digits}"
    return _Resolved(full[:3], "decade", "DATE")


def _words_pattern(
    words: frozenset[str], after: str = r"(?!\w)", before: str = r"(?<![\w'’])"
) -> re.Pattern[str] | None:
    """One of ``words`` as a whole phrase (group ``w``), or None for a language without them."""
    return re.compile(rf"{before}(?P<w>{_alternation(words)}){after}") if words else None


def _parts(v: Vocabulary) -> str:
    """ "Dienstagabend": a part of day written into the weekday's word."""
    return rf"(?P<pod>{_alternation(frozenset(v.weekday_parts))})?" if v.weekday_parts else "(?P<pod>(?!))?"


def _day_part(v: Vocabulary) -> str:
    """ "dimanche soir", "domani mattina": a part of the day after the day's word (group ``dp``)."""
    return (
        rf"(?:\s+(?P<dp>{_alternation(frozenset(v.day_parts))})(?!\w))?" if v.day_parts else "(?P<dp>(?!))?"
    )


def _duration_pattern(v: Vocabulary) -> re.Pattern[str]:
    """ "tres días", "il y a deux ans", "vor drei Jahren", "tre anni fa" (on folded text)."""
    before = rf"(?:(?P<ago>{_alternation(v.ago_before)})\s+)?" if v.ago_before else ""
    after = rf"(?:\s+(?P<fa>{_alternation(v.ago_after)})(?!\w))?" if v.ago_after else ""
    number = rf"(?P<num>\d{{1,4}}|{_alternation({**v.numbers, **dict.fromkeys(v.vague_numbers, 0)})})"
    return re.compile(
        rf"(?<![\w.,':]){before}{number}(?:\s+|(?<=['’]))(?P<unit>{_alternation(frozenset(v.units))})(?!\w)"
        + _and_a_half(v)
        + after
    )


# "dos horas y media", "duas horas e meia", "deux heures et demie", "due ore e mezza" (folded): the
# half after the unit, as English "two and a half hours"
_AND_A_HALF = r"\s+(?:y|e|et)\s+(?:media|medio|meia|meio|demie|demi|mezza|mezzo)(?!\w)"
# What a half before a noun halves is that noun, not the unit before it: "dos años y medio millón",
# "tres días y media hora", "dois anos e meio ambiente" (the environment), "y media jornada"
_HALF_OF_A_NOUN_AFTER = _words(
    "millon millones milhao milhoes million millions milione milioni milliard milliards mil"
    " ambiente jornada giornata journee tiempo tempo temps siglo seculo siecle secolo"
)


def _and_a_half(v: Vocabulary) -> str:
    """The optional half after a duration's unit, unless a unit, a number or a noun it halves follows."""
    halved = _alternation(_HALF_OF_A_NOUN_AFTER | frozenset(v.units) | frozenset(v.numbers))
    return rf"(?P<half>{_AND_A_HALF}(?!\s+(?:{halved})(?!\w)))?"


_PATTERNS = {language: _patterns(v) for language, v in VOCABULARIES.items()}


def _fold_text(text: str) -> str:
    """``text`` folded character by character (same length, so offsets hold)."""
    folded = "".join(_fold(ch)[:1] or ch for ch in text)
    return folded if len(folded) == len(text) else text.lower()


_Finder = Callable[[re.Match[str], _ForeignDoc], _Resolved | _Candidate | None]


# Nouns of a street, square, bridge or station (folded) that a date after them names: "Ponte 25 de
# Abril", "Avenida 9 de Julio", "piazza 4 Novembre", "place du 8-Mai": a name, not a time (TimeML).
_PLACE_NOUNS = frozenset(
    {"avenida", "av", "rua", "praca", "largo", "ponte", "estacao", "calle", "plaza", "paseo", "puente"}
    | {"avenue", "rue", "place", "boulevard", "bd", "pont", "gare", "via", "viale", "piazza", "piazzale"}
    | {"corso", "stazione", "strasse", "platz", "brucke", "allee", "ufer", "colonia", "barrio", "bairro"}
)


def _names_a_place(c: _Candidate, doc: _ForeignDoc) -> bool:
    """A day and month right after a noun of a place (see above): the whole span is dropped, so
    no shorter mention (the month alone) is tagged inside it."""
    if not doc.text[c.start : c.start + 1].isdigit():
        return False
    previous = doc.prev_words(c.start, 1)
    return bool(previous) and _fold(previous[0]) in _PLACE_NOUNS


# "horário de verão", "hora de invierno", "heure d'hiver": the clock regime, not the season (folded)
_CLOCK_REGIME_BEFORE = re.compile(r"\b(?:horario|hora|heure)\s+(?:de\s+|d['’]\s*)$")


def _names_a_clock_regime(c: _Candidate, folded: str) -> bool:
    """A season right after "horário de", "hora de", "heure d'": summer or winter time."""
    value = c.resolved.value or ""
    is_season = value[-3:] in ("-SP", "-SU", "-FA", "-WI")
    return is_season and _CLOCK_REGIME_BEFORE.search(folded, max(0, c.start - 20), c.start) is not None


def _explicit_day(m: re.Match[str], doc: _ForeignDoc) -> _Resolved:
    month = doc.vocabulary.months[m["month"]]
    day = int(m["d"]) if m["d"].isdigit() else 1  # "1er", "primo gennaio", "primero de enero"
    year = int(m["y"]) if m["y"] else None
    # "martes 1 de diciembre": the year whose 1 December is a Tuesday, if one is near
    weekday = _WEEKDAYS[doc.vocabulary.weekdays[m["wd"]]] if m["wd"] else None
    step = _day_qualifier(m, doc) if year is None and weekday is None else 0
    if step:
        # "el pasado 15 de febrero", "il 15 aprile scorso", "le 15 avril prochain": the last one
        # before (the first after) the reference, up to a year away
        days = [d for d in (_valid_day(doc.day.year + k, month, day) for k in (-1, 0, 1)) if d]
        fitting = [d for d in days if (d < doc.day if step < 0 else d > doc.day)]
        if fitting:
            chosen = max(fitting) if step < 0 else min(fitting)
            return _Resolved(chosen.isoformat(), "day", "DATE")
    if year is None and weekday is None and _deadline_within_a_year(doc, m.start()):
        # "sarà rinnovato fino al 31 dicembre" in January: the next one, up to a year ahead
        ahead = [d for d in (_valid_day(doc.day.year + k, month, day) for k in (0, 1)) if d and d >= doc.day]
        if ahead:
            return _Resolved(ahead[0].isoformat(), "day", "DATE")
    return _day_value(doc, month, day, year, m.start(), m.end(), weekday)


def _day_qualifier(m: re.Match[str], doc: _ForeignDoc) -> int:
    """-1 after "pasado", "scorso", "dernier" before or after the day, +1 after "próximo",
    "prossimo", "prochain"; else 0."""
    v = doc.vocabulary
    previous = [_fold(w) for w in doc.prev_words(m.start(), 2)]
    if previous[-1:] == ["dia"]:  # "el pasado día 15 de febrero", "no próximo dia 3 de maio"
        previous = previous[:-1]
    around = previous[-1:] + [_fold(w) for w in doc.next_words(m.end(), 1)]
    if set(around) & v.weekday_last:
        return -1
    if set(around) & (v.weekday_next - {"que viene"}):
        return 1
    return 0


def _deadline_within_a_year(doc: _ForeignDoc, start: int) -> bool:
    s0, _ = doc.sentence(start)
    return (
        doc.framing_year(start) is None
        and doc._deadline_ahead(s0, start)
        and doc.tense(start, start) != "past"
    )


def _valid_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_year(m: re.Match[str], doc: _ForeignDoc) -> _Resolved:
    return _Resolved(f"{int(m['y']):04d}-{doc.vocabulary.months[m['month']]:02d}", "month", "DATE")


# "entre octubre y marzo", "im Mai und Juni": a month joined to a month after a preposition is a
# month too.
_AND = frozenset({"y", "e", "et", "und", "o", "ou", "oder"})


# The part of a month before it, with its "de": "finales de septiembre", "Ende Oktober", "début
# juin", "mi-juin" (folded); the mention takes it in, as English "late January", and keeps the value.
_MONTH_PART = re.compile(
    r"(?<![\w'’])(?:finales|principios|mediados|comienzos|fin|debut|mi|ende|anfang|mitte|fine|inizio|meta"
    r"|final|inicio|meados|fim|comeco)(?:\s+(?:de|del|di|do|da|du|dell['’]))?"
    r"(?:\s*(?:mois|mes|mese|mês)\s+(?:de|di|do|da))?(?:\s+|-)$"
)


def _bare_month(m: re.Match[str], doc: _ForeignDoc) -> _Candidate | None:
    resolved = _bare_month_value(m, doc)
    if resolved is None:
        return None
    part = _MONTH_PART.search(doc.folded, max(0, m.start() - 25), m.start())
    return _Candidate(part.start() if part else m.start(), m.end(), 0, resolved)


_MONTH_EDGE_BEFORE = re.compile(
    r"(?<!\w)(?:(?:meados|mediados|finales|principios|inicio|comienzo|final|fin|debut|meta|fine|inizio)"
    r"\s+(?:de|del|do|da|di|du)\s+|(?:mitte|ende|anfang)\s+|mi-)$"
)


def _month_qualifier(previous: list[str], v: Vocabulary) -> int | None:
    """-1 after "pasado", "scorso", "vergangenen" (with "mes de" between or not), +1 after
    "próximo", "prossimo", "kommenden"; else None."""
    words = previous[:-2] if previous[-2:] in (["mes", "de"], ["mese", "di"]) else previous
    if words and words[-1] in v.weekday_last:
        return -1
    if words and words[-1] in v.weekday_next:
        return 1
    return None


# Forms of "to be" (folded) after a month that opens its sentence: "Diciembre será un mes muy
# exigente", "Febrero está siendo el mes más frío", "Março foi", "Novembre è stato": the month, as
# English "May was ..." (other verbs are left: "Mayo dijo" is a surname).
_COPULAS_AFTER_A_MONTH = frozenset(
    {"es", "fue", "sera", "era", "esta", "estuvo", "foi", "est", "fut", "etait", "fu", "sara", "e"}
)
# ... and before "un mes", "um mês", "un mois": a predicate noun ("será un mes muy exigente", "2025
# fue un año récord"), not a length of time
_COPULAS_BEFORE_A_PREDICATE = frozenset(
    {"sera", "fue", "fu", "foi", "fut", "etait", "ete", "sido", "stato", "stata", "sarebbe", "seria"}
    | {"serait", "era"}
)


def _month_as_subject(m: re.Match[str], doc: _ForeignDoc) -> bool:
    s0, _ = doc.sentence(m.start())
    if not doc.text[m.start()].isupper() or doc.text[s0 : m.start()].strip(" \"“«'‘") != "":
        return False
    following = doc.next_words(m.end(), 1)
    return bool(following) and _fold(following[0]) in _COPULAS_AFTER_A_MONTH


def _lower_case_month(m: re.Match[str], doc: _ForeignDoc) -> bool:
    """Spanish, Portuguese, French and Italian write months in lower case, so a lower-case month
    name within a sentence is the month whatever stands before it ("anteriores a noviembre", "e
    julho foi o terceiro"); a capitalised one may be a name ("Mayo", "Abril")."""
    return doc.vocabulary is not VOCABULARIES["de"] and doc.text[m.start()].islower()


def _names_a_place_of(m: re.Match[str], doc: _ForeignDoc) -> bool:
    """A capitalised month after a capitalised name and "de": "Rio de Janeiro", "Plaza de Mayo"."""
    if not doc.text[m.start()].isupper():
        return False
    raw = doc.text[max(doc.sentence(m.start())[0], m.start() - 40) : m.start()].split()
    return len(raw) >= 2 and raw[-1] in ("de", "di") and raw[-2][:1].isupper()


def _bare_month_value(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    previous = [_fold(w) for w in doc.prev_words(m.start(), 3)]
    v = doc.vocabulary
    coordinated = (
        len(previous) == 3
        and previous[2] in _AND | _RANGE_TO  # "en mayo y junio", "de enero a marzo"
        and previous[1] in v.months
        and previous[0] in v.month_prepositions
    )
    # "lo scorso maggio", "im vergangenen Mai", "el pasado mes de abril", "no próximo mês de
    # maio": the last one over or the next one to come
    qualifier = _month_qualifier(previous, v)
    if _names_a_place_of(m, doc):
        return None
    if (
        qualifier is None
        and not coordinated
        and (not previous or previous[-1] not in v.month_prepositions)
        and not _month_as_subject(m, doc)
        and not _lower_case_month(m, doc)
    ):
        return None  # "mayo" alone may be a name; a preposition makes it a month
    month = doc.vocabulary.months[m["month"]]
    framing = doc.framing_year(m.start())
    if framing is not None:
        return _Resolved(f"{framing:04d}-{month:02d}", "month", "DATE")
    candidates = [date(*_add_months(doc.day.year, month, 12 * k), 1) for k in (-1, 0, 1)]
    this_month = doc.day.replace(day=1)
    if qualifier == -1:
        return _Resolved(max(d for d in candidates if d < this_month).isoformat()[:7], "month", "DATE")
    if qualifier == 1:
        return _Resolved(min(d for d in candidates if d > this_month).isoformat()[:7], "month", "DATE")
    tense = doc.tense(m.start(), m.end())
    # "antes de meados de setembro", "avant la mi-septembre", "vor Mitte September": the
    # preposition before the part of the month
    edge = _MONTH_EDGE_BEFORE.search(doc.folded, max(0, m.start() - 30), m.start())
    if tense is None and (
        (previous and previous[-1] in doc.vocabulary.forward | {"ab"})
        or (edge is not None and _after_forward_preposition(doc, edge.start()))
    ):
        tense = "future"
    chosen = _pick_year(candidates, doc.day.replace(day=1), tense, doc.is_publication, reach=366)
    return _Resolved(f"{chosen.year:04d}-{chosen.month:02d}", "month", "DATE")


def _weekday(m: re.Match[str], doc: _ForeignDoc) -> _Candidate:
    wd = doc.vocabulary.weekdays[m["wd"]]
    previous = [_fold(w) for w in doc.prev_words(m.start(), 1)]
    start, end = _weekday_span(m, doc)
    if previous and previous[-1] in doc.vocabulary.every:  # "chaque samedi", "jeden Montag"
        return _Candidate(start, end, 0, _Resolved(f"XXXX-WXX-{wd + 1}", "set", "SET"))
    return _Candidate(start, end, 0, _with_part(doc, _weekday_date(m, doc, wd), m))


# "este viernes", "ce lundi", "questo sabato", "diesen Montag": "this" before a weekday (folded)
_THIS = frozenset({"este", "esta", "ce", "questo", "questa", "diesen", "dieser", "diesem"})


def _weekday_span(m: re.Match[str], doc: _ForeignDoc) -> tuple[int, int]:
    """The weekday with the word that qualifies it ("próximo lunes", "lundi prochain", "mercoledì
    scorso", "kommenden Dienstag", "chaque samedi"), as English "next Friday" is one expression."""
    v = doc.vocabulary
    qualifiers = v.weekday_next | v.weekday_last
    before = re.search(
        r"(?<!\w)(?P<q>[^\W\d_]+(?: [^\W\d_]+)?)\s+$", doc.folded[max(0, m.start() - 25) : m.start()]
    )
    start, end = m.start(), m.end()
    if before is not None:
        words = before["q"].split()
        for n in (2, 1):  # "que viene" is two words, "proximo" one
            if len(words) >= n and " ".join(words[-n:]) in qualifiers | v.every | _THIS:
                start = m.start() - len(before.group()) + before.group().rfind(" ".join(words[-n:]))
                break
    after = re.match(r"\s+(?P<q>[^\W\d_]+(?: [^\W\d_]+)?)", doc.folded[m.end() : m.end() + 25])
    if not m.groupdict().get("dp") and after is not None:
        words = after["q"].split()
        for n in (2, 1):
            if len(words) >= n and " ".join(words[:n]) in qualifiers:
                end = m.end() + after.start("q") + len(" ".join(words[:n]))
                break
    return start, end


# Words that may follow "el lunes 5" when the number is a day: a connector, a clock preposition
# ("jeudi 12 à 18 heures"), not a noun ("el lunes 3 personas"), folded.
_AFTER_A_WEEKDAY_DAY = frozenset(
    {
        "y",
        "e",
        "et",
        "und",
        "o",
        "ou",
        "a",
        "al",
        "ao",
        "au",
        "as",
        "alle",
        "um",
        "ab",
        "bis",
        "hasta",
        "desde",
    }
    | {"jusqu'a", "jusqu’a", "jusqu'au", "jusqu’au", "des", "entre", "dalle", "fino", "ate", "por", "pela"}
    | {"par", "le", "la", "el", "il", "lo", "en", "em", "in", "con", "com", "avec", "mit", "se", "si"}
)


def _following(m: re.Match[str], doc: _ForeignDoc) -> _Candidate:
    """ "al día siguiente", "le lendemain": the period after the date the text last named (the
    reference's when it named none), as English "the following day"."""
    unit = doc.vocabulary.following[m["w"]]
    return _Candidate(m.start(), m.end(), 0, _shifted(doc, 1, unit, 1), shift=(1, unit, False), at_unit=True)


def _preceding(m: re.Match[str], doc: _ForeignDoc) -> _Candidate:
    """ "el año anterior", "im Vorjahr", "la veille": the period before the date the text last named
    (the reference's when it named none). Resolved at that date's period of the unit here
    (``shift`` 0), then moved one back (``_one_back``)."""
    unit = doc.vocabulary.preceding[m["w"]]
    candidate = _Candidate(m.start(), m.end(), 0, _shifted(doc, 1, unit, -1), shift=(0, unit, False))
    doc.preceding.append(candidate)
    return candidate


def _one_back(c: _Candidate, reference: _Resolved) -> None:
    """A period resolved as the anchor's ("2026", "2026-03", "2026-W10", "2026-03-05") moved one
    back, unless it kept its reference value (no anchor)."""
    value = c.resolved.value or ""
    if c.resolved is reference:
        return
    if re.fullmatch(r"\d{4}", value):
        c.resolved = _Resolved(f"{int(value) - 1:04d}", "year", "DATE")
    elif re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = _add_months(int(value[:4]), int(value[5:]), -1)
        c.resolved = _Resolved(f"{year:04d}-{month:02d}", "month", "DATE")
    elif re.fullmatch(r"\d{4}-W\d{2}", value):
        monday = date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        c.resolved = _Resolved(_iso_week(monday - timedelta(weeks=1)), "week", "DATE")
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        c.resolved = _Resolved((date.fromisoformat(value) - timedelta(days=1)).isoformat(), "day", "DATE")


def _shifted_from_before(m: re.Match[str], doc: _ForeignDoc) -> _Candidate | None:
    """ "dos años antes", "trois jours plus tard", "zwei Jahre später": that far from the date the
    text last named, at its granularity, as English "two years earlier"."""
    v = doc.vocabulary
    unit = v.units[m["unit"]]
    if unit in ("minutes", "hours"):
        return None  # counted from an event, a duration
    number = int(m["num"]) if m["num"].isdigit() else v.numbers[m["num"]]
    sign = v.shift_words[m["dir"]]
    return _Candidate(
        m.start(), m.end(), 0, _shifted(doc, number, unit, sign), shift=(sign * number, unit, False)
    )


def _weekday_day(m: re.Match[str], doc: _ForeignDoc) -> _Candidate | None:
    """ "el lunes 5", "jeudi 12", "domenica 8": the day of that number, in the month around the
    reference where it falls on that weekday (the nearest)."""
    following = [_fold(w) for w in doc.next_words(m.end(), 1)]
    if (
        following
        and following[0] not in _AFTER_A_WEEKDAY_DAY
        and doc.text[m.end() : m.end() + 4].lstrip()[:1] not in ",.;:)"
    ):
        return None  # "el lunes 3 personas"; "lunes 5 de mayo" is the explicit date's
    wd, day = doc.vocabulary.weekdays[m["wd"]], int(m["d"]) if m["d"].isdigit() else 1
    days = []
    for k in (-1, 0, 1):
        year, month = _add_months(doc.day.year, doc.day.month, k)
        try:
            days.append(date(year, month, day))
        except ValueError:
            continue
    named = [d for d in days if d.weekday() == wd]
    if not named:
        return None
    chosen = min(named, key=lambda d: abs((d - doc.day).days))
    start = _weekday_span(m, doc)[0]
    return _Candidate(start, m.end(), 0, _Resolved(chosen.isoformat(), "day", "DATE"))


def _weekday_date(m: re.Match[str], doc: _ForeignDoc, wd: int, depth: int = 0) -> date:
    """The day a weekday names: by its qualifier ("próximo", "letzten"), a range around today, the
    weekday it is joined to, the same weekday named before, else the tense."""
    v = doc.vocabulary
    following = [_fold(w) for w in doc.next_words(m.end(), 2)]
    # "lunes próximo", "martes que viene" (two words)
    around = {_fold(w) for w in doc.prev_words(m.start(), 2)} | set(following[:1]) | {" ".join(following)}
    back = (doc.day.weekday() - wd) % 7
    forward = (wd - doc.day.weekday()) % 7
    covering = _range_covering_today(doc, m, wd)
    if covering is not None:
        return doc.day + timedelta(days=covering)
    if around & v.weekday_next:
        return doc.day + timedelta(days=forward or 7)
    if around & v.weekday_last:
        return doc.day - timedelta(days=back or 7)
    earlier = _earlier_weekday(m, doc, depth)
    if earlier is not None and earlier[1]:
        # "für Dienstag und Mittwoch", "el lunes y el martes": the first day after the one it is joined to
        return earlier[0] + timedelta(days=(wd - earlier[0].weekday()) % 7 or 7)
    tense = _weekday_tense(m, doc)
    if tense is None and earlier is not None and earlier[0].weekday() == wd:
        return earlier[0]  # "Der Streik beginnt am Dienstag": the Tuesday the article named before
    # With no cue the verb is in the present, which in these languages' news tells what is planned
    # ("Les vendanges démarrent lundi", "starten am Samstag", "o clube enfrenta na quarta-feira"):
    # what happened is told in a past tense ("démarré", "startete"), which the cues find.
    return doc.day + timedelta(days=-back if tense == "past" else forward)


def _weekday_tense(m: re.Match[str], doc: _ForeignDoc) -> Tense:
    """The tense a weekday is read in: "até domingo", "hasta el viernes" point ahead whatever the
    verb ("seit Montag" back: ``after_since``); a weekday joined to the next one ("tra venerdì
    e domenica si metteranno") takes the pair's verb; after an event noun ("una reunión el lunes",
    "la réunion de lundi") the verb before tells when it was called, not when it meets."""
    if _after_forward_preposition(doc, m.start()):
        return "future"
    end = m.end()
    joined = _JOINING.match(doc.folded, end)
    if joined is not None:
        second = doc.weekday_pattern.match(doc.folded, joined.end())
        end = second.end() if second is not None else end
    if _right_after_a_past_participle(doc, m.start()):
        return "past"  # "un communiqué publié lundi", "divulgado na segunda-feira"
    if _in_a_past_participle_clause(doc, m.start()):
        return "past"  # "os economistas ouvidos pelo banco na segunda-feira preveem": heard then
    if _after_an_event(doc, m.start()):
        return doc.tense_after(end)  # the verb after the day only ("la réunion de lundi a permis")
    return doc.tense(m.start(), end)


_CLITIC = re.compile(r"-(?:se|lo|la|los|las|o|a|os|as|lhe|lhes|me|nos|te)$")

# After a participle, a preposition that brings in its agent: a passive in the past
_AGENTS = (["pelo"], ["pela"], ["pelos"], ["pelas"], ["par"])

# After "est", "sont", "è", "sono": participles beyond the regular ones ("rendu", "ouvert", "mis",
# "aperto", "morto", "messo", "scritto"), and the adverbs that look like them
_BROAD_PARTICIPLE = re.compile(
    r".{2,}(?:u|us|ue|ues|i|is|ie|ies|it|its|ite|ites|ert|erts|erte|ertes|int|ints|inte|intes)"
    r"|.{1,}(?:erto|erta|erti|erte|orto|orta|orti|orte|osto|osta|osti|oste|isto|ista|isti|iste"
    r"|esso|essa|essi|esse|itto|itta|itti|itte|atto|atta|atti|atte)"
)
_NOT_PARTICIPLES = frozenset(
    {"plus", "aussi", "ici", "ainsi", "parmi", "depuis", "lui", "qui", "oui", "sous", "tous", "puis"}
    | {"aujourd'hui", "aujourd’hui", "jusqu'ici", "jusqu’ici", "questo", "questa", "questi", "queste"}
    | {"adesso", "spesso", "stesso", "stessa", "stessi", "stesse", "tutto", "tutta", "tutti", "tutte"}
    | {"certo", "certa", "giusto", "giusta", "pronto", "pronta", "previsto", "prevista", "atteso", "attesa"}
    | {"posto", "esatto", "molto", "molta", "molti", "troppo", "soltanto", "sotto", "dentro", "contro"}
)
_GERMAN_DETERMINERS = frozenset(
    {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines"}
    | {"diese", "dieser", "diesen", "diesem", "jede", "jeder", "jeden", "jedem", "alle", "allen"}
)

# "to be" before a participle in a compound past: "s'est achevée", "sont partis", "si è chiusa"
_BE_AUXILIARIES = frozenset({"est", "sont", "s'est", "s’est", "è", "sono"})

# Scheduled events a weekday may date right after their noun ("una reunión el lunes", "la réunion
# de lundi", "das Treffen am Montag", "a reunião de segunda-feira", "la riunione di lunedì"), folded
_EVENT_NOUNS = frozenset(
    {"reunion", "reuniones", "reunions", "reuniao", "reunioes", "riunione", "riunioni", "treffen", "sitzung"}
    | {"votacion", "vote", "votacao", "votazione", "abstimmung", "scrutin", "eleccion", "elections", "wahl"}
    | {"partido", "match", "jogo", "partita", "spiel", "final", "finale", "finalspiel", "derby", "derbi"}
    | {"audiencia", "audience", "udienza", "anhorung", "juicio", "proces", "julgamento"}
    | {"cumbre", "sommet", "cimeira", "cupula", "vertice", "gipfel", "debate", "debat", "dibattito"}
    | {"encuentro", "rencontre", "encontro", "incontro", "entrevue", "assemblea", "asamblea", "assemblee"}
)


# Participles of putting a date on something, which look ahead: "programmé lundi", "fissato
# lunedì", "aplazado al lunes" (folded stems)
_SCHEDULING = re.compile(
    r"(?:programm|programad|convoc|fix|fissat|planifi|pianificat|agend|marcad|calendariz|aplazad|report"
    r"|rinviat|adiad|pospuest|posticipat|anticipat|previst|prevu|attes|attendu|esperad)"
)


# Articles and "this" between a participle and its weekday: "divulgada nesta sexta-feira",
# "publié ce lundi", "anunciado este martes" (folded)
_BETWEEN_A_PARTICIPLE_AND_A_DAY = frozenset(
    {"el", "la", "le", "il", "lo", "o", "na", "no", "am", "a", "nesta", "neste", "esta", "este", "ce"}
    | {"questo", "questa", "diesen", "diesem"}
)


# Before a word that looks like a participle, determiners that make it a noun: "la rentrée,
# lundi", "leur rentrée lundi", "la llegada el lunes", "la Fête de la musique, lundi" (folded)
_NOUN_DETERMINERS = frozenset(
    {"la", "le", "les", "un", "une", "sa", "son", "ses", "leur", "leurs", "cette", "du", "des"}
    | {"el", "los", "las", "una", "su", "sus", "il", "lo", "gli", "uno", "sua", "suo", "seu", "as", "os"}
)


def _right_after_a_past_participle(doc: _ForeignDoc, start: int) -> bool:
    """ "publié lundi", "divulgado na segunda-feira": a participle right before the day, not one of
    scheduling, nor in a passive or future ("seront publiés lundi", "será inaugurada no sábado",
    "resteront fermées lundi"), nor a noun that looks like one ("la journée de samedi")."""
    participle = doc.vocabulary.participle
    previous = doc.prev_words(start, 4)
    while previous and _fold(previous[-1]) in _BETWEEN_A_PARTICIPLE_AND_A_DAY:
        previous = previous[:-1]
    if not previous or participle is None or not participle.fullmatch(previous[-1]):
        return False
    word = previous[-1]
    if len(previous) > 1 and (
        doc.cue(previous[-2], "") == "future"
        or previous[-2] in _PASSIVE_AUXILIARIES
        or _fold(previous[-2]) in _NOUN_DETERMINERS
    ):
        return False
    return doc.vocabulary.future.fullmatch(word) is None and not _SCHEDULING.match(_fold(word))


# Before a participle, "to be" in the present or the infinitive: a passive of what is planned
_PASSIVE_AUXILIARIES = frozenset(
    {"es", "son", "ser", "é", "são", "est", "sont", "être", "etre", "è", "sono", "essere", "ist", "sind"}
    | {"seront", "será", "serán", "serão", "sarà", "saranno", "wird", "werden", "fica", "ficam", "resta"}
)


def _in_a_past_participle_clause(doc: _ForeignDoc, start: int) -> bool:
    """A participle and its agent right before ("ouvidos pelo banco na", "interrogés par l'Insee")."""
    participle = doc.vocabulary.participle
    if participle is None:
        return False
    s0, _ = doc.sentence(start)
    words = list(doc.word_re.finditer(doc.text, max(s0, start - 60), start))[-5:]
    return any(
        participle.fullmatch(w.group().lower()) and [nxt.group().lower()] in _AGENTS
        for w, nxt in pairwise(words)
    )


def _after_an_event(doc: _ForeignDoc, start: int) -> bool:
    previous = [_fold(w) for w in doc.prev_words(start, 3)]
    while previous and previous[-1] in _ARTICLES | _OF | {"am", "para", "pour", "per", "fur"}:
        previous = previous[:-1]
    return bool(previous) and previous[-1] in _EVENT_NOUNS


def _earlier_weekday(m: re.Match[str], doc: _ForeignDoc, depth: int) -> tuple[date, bool] | None:
    """The day of the weekday this one is joined to ("Dienstag und Mittwoch": (that day, True)), else
    of the last mention of the same weekday before it ((that day, False)), else None."""
    if depth > 3:
        return None
    wd = doc.vocabulary.weekdays[m["wd"]]
    last, last_same = doc.weekdays_before(m.start(), wd)
    joined = last is not None and bool(_JOINING.fullmatch(doc.folded, last.end(), m.start()))
    earlier = last if joined else last_same
    if earlier is None:
        return None
    previous = [_fold(w) for w in doc.prev_words(earlier.start(), 1)]
    if previous and previous[-1] in doc.vocabulary.every:
        return None  # "chaque samedi" names no day
    return _weekday_date(earlier, doc, doc.vocabulary.weekdays[earlier["wd"]], depth + 1), bool(joined)


def _with_part(doc: _ForeignDoc, day: date, m: re.Match[str]) -> _Resolved:
    """The day, or with a part of the day in or after its word ("Dienstagabend", "dimanche soir")
    that part of it as a TIME."""
    v = doc.vocabulary
    groups = m.groupdict()
    part = v.weekday_parts.get(groups.get("pod") or "") or v.day_parts.get(groups.get("dp") or "")
    if part:
        return _Resolved(f"{day.isoformat()}T{part}", "time", "TIME")
    return _Resolved(day.isoformat(), "day", "DATE")


# "da venerdì a domenica", "von Freitag bis Sonntag", "del viernes al domingo": a range of weekdays
_RANGE_FROM = frozenset({"da", "dal", "de", "del", "du", "von", "vom", "desde", "do"})
_RANGE_TO = frozenset({"a", "al", "au", "ao", "bis", "zum", "hasta", "ate", "alla", "jusqu'a", "jusqu’a"})


def _range_covering_today(doc: _ForeignDoc, m: re.Match[str], wd: int) -> int | None:
    """In a range of weekdays that takes in the reference day ("da venerdì a domenica" on a
    Saturday), each end is the one of this range, whatever the tense: the offset of this end."""
    v = doc.vocabulary
    previous = [_fold(w) for w in doc.prev_words(m.start(), 3)]
    following = [_fold(w) for w in doc.next_words(m.end(), 2)]
    if (
        len(previous) == 3
        and previous[2] in _RANGE_TO
        and previous[1] in v.weekdays
        and previous[0] in _RANGE_FROM
    ):
        first, last = v.weekdays[previous[1]], wd
    elif previous[-1:] and previous[-1] in _RANGE_FROM and following[:1] and following[0] in _RANGE_TO:
        if len(following) < 2 or following[1] not in v.weekdays:
            return None
        first, last = wd, v.weekdays[following[1]]
    else:
        return None
    today = doc.day.weekday()
    since_first = (today - first) % 7
    if since_first > (last - first) % 7:
        return None  # the range does not take in today: each end as its tense says
    return (wd - first) % 7 - since_first


# Articles and contractions between a preposition and its weekday: "antes del viernes",
# "jusqu'au lundi", "bis zum Freitag".
_ARTICLES = frozenset({"el", "del", "al", "la", "le", "au", "du", "o", "do", "ao", "il", "zum", "den", "de"})


# Between two weekdays joined as one phrase: "Dienstag und Mittwoch", "el lunes y el martes".
_JOINING = re.compile(rf"\s+(?:{_alternation(_AND)})\s+(?:(?:{_alternation(_ARTICLES)})\s+)?")


def _after_forward_preposition(doc: _ForeignDoc, start: int) -> bool:
    """ "hasta el viernes", "antes del lunes", "bis Freitag": a deadline ahead; so is the event of
    that day after one ("avant le scrutin de dimanche", "antes del partido del domingo")."""
    previous = [_fold(w) for w in doc.prev_words(start, 5)]
    if len(previous) >= 4 and previous[-1] in _OF and previous[-3] in _ARTICLES:
        previous = previous[:-3]  # "... le scrutin de": the noun of the event and its article
    elif previous and previous[-1] in _ARTICLES:
        previous = previous[:-1]
        if previous and previous[-1] in _OF:
            previous = previous[:-1]  # "antes de la primavera", "prima della", "avant de la"
    return bool(previous) and previous[-1] in doc.vocabulary.forward


# "of" between an event and its day: "le scrutin de dimanche", "el partido del domingo"
_OF = frozenset({"de", "del", "du", "di", "do", "da", "vom", "von"})


def _deictic(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    word = m["w"]
    previous = [_fold(w) for w in doc.prev_words(m.start(), 1)]
    if previous and previous[-1] in doc.vocabulary.not_day_before:
        return None  # "por la mañana", "am Morgen": the morning
    raw = doc.text[m.start() : m.end()]
    opening = doc.sentence(m.start())[0] == m.start() or doc.text[: m.start()].rstrip().endswith(":")
    if word == "morgen" and raw[0].isupper() and not opening:
        return None  # German "Morgen" mid-sentence is the noun (morning); after a colon it opens one
    offset = doc.vocabulary.days[word]
    return _with_part(doc, doc.day + timedelta(days=offset), m)


def _range_start(m: re.Match[str], doc: _ForeignDoc) -> _Resolved:
    """ "du 12 au 14 décembre", "vom 12. bis 14. Dezember": the first day takes the second's month
    and year, and is a date of its own, as TimeML tags an English "June 19 to 21"."""
    v = doc.vocabulary
    month = v.months[m["month"]]
    end = _explicit_day(m, doc).value or ""  # the second day, read as a date of its own
    weekday = _WEEKDAYS[v.weekdays[m["wd1"]]] if m["wd1"] else None
    day = int(m["d1"]) if m["d1"].isdigit() else 1
    return _day_value(doc, month, day, int(end[:4]), m.start(), m.end(), weekday)


# After "el último trimestre": the year it ends ("del año", "de 2025"), folded
_OF_THE_YEAR_AFTER = re.compile(
    r"\s+(?:de|del|do|da|di|du|des)\s+(?:l['’]|el\s+|o\s+)?(?:ano|annee|anno|jahres)\b"
)


def _last_quarter(m: re.Match[str], doc: _ForeignDoc, letter: str, months: int) -> _Resolved | None:
    """ "no último trimestre", "le dernier trimestre", "im letzten Quartal": the last one over, as
    English "the latest quarter"; "el último trimestre de 2025 / del año" is that year's fourth."""
    if m["y"]:
        return _Resolved(f"{int(m['y']):04d}-{letter}{12 // months}", "quarter", "DATE")
    if _OF_THE_YEAR_AFTER.match(doc.folded, m.end()):
        return None  # "del año pasado" may follow: left to the year's own mention
    current = (doc.day.month - 1) // months + 1
    year, q = (doc.day.year, current - 1) if current > 1 else (doc.day.year - 1, 12 // months)
    return _Resolved(f"{year:04d}-{letter}{q}", "quarter", "DATE")


def _quarter(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    """A quarter without a year is this year's; last year's if it is still to come and the clause
    is past, next year's if it ended before the last one over and the clause looks ahead."""
    q = doc.vocabulary.quarter_ordinals[m["q"]]
    # "o primeiro semestre", "das zweite Halbjahr": a half, as English "the first half"
    letter, months = (
        ("H", 6) if m["half"] or m["noun"] in ("semestre", "halbjahr", "jahreshalfte") else ("Q", 3)
    )
    if q == 0:
        resolved = _last_quarter(m, doc, letter, months)
    else:
        resolved = _calendar_quarter(m, doc, q, letter, months)
    if resolved is not None and m["fiscal"] and resolved.value is not None:
        return _Resolved("FY" + resolved.value, resolved.granularity, resolved.type)
    return resolved


def _calendar_quarter(
    m: re.Match[str], doc: _ForeignDoc, q: int, letter: str, months: int
) -> _Resolved | None:
    """The ``q``-th quarter or half, of the year written or else of the year the tense points to."""
    if letter == "H" and q > 2:
        return None
    if m["y"]:
        return _Resolved(f"{int(m['y']):04d}-{letter}{q}", "quarter", "DATE")
    current = (doc.day.month - 1) // months + 1
    tense = doc.tense(m.start(), m.end())
    year = doc.day.year
    if q > current and tense == "past":
        year -= 1
    elif q < current - 1 and tense == "future":
        year += 1  # the period just over is still this year's: "presentar el pago del primer trimestre"
    return _Resolved(f"{year:04d}-{letter}{q}", "quarter", "DATE")


def _today_part(m: re.Match[str], doc: _ForeignDoc) -> _Resolved:
    """ "ce soir", "esta noche", "heute Abend": a part of the reference day, as English "tonight"."""
    return _Resolved(f"{doc.day.isoformat()}T{doc.vocabulary.today_parts[m['w']]}", "time", "TIME")


_OF_A_MONTH = re.compile(r"\s+(?:de|di)\s+[^\W\d_]+")


def _period_phrase(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    """ "la semana pasada" -> the ISO week before the reference's, "le mois prochain" -> next month."""
    unit, step = _PERIODS[id(doc.vocabulary)][m["w"]]
    if unit == "month" and _OF_A_MONTH.match(doc.folded, m.end()):
        # "el próximo mes de mayo", "o passado mês de abril": the month named, which its own
        # rule resolves by the qualifier
        return None
    if unit == "week":
        if step == 0 and m["w"].split()[0] in _WEEK_EDGES and doc.day.weekday() >= 5:
            # "Mitte der Woche soll es kälter werden" on a Sunday: this week's middle is behind, so
            # unless told in the past, the week meant is the coming one
            step = int(doc.tense(m.start(), m.end()) != "past")
        return _Resolved(_iso_week(doc.day + timedelta(weeks=step)), "week", "DATE")
    year, month = _add_months(doc.day.year, doc.day.month, step)
    return _Resolved(f"{year:04d}-{month:02d}", "month", "DATE")


# Words before an "HH:MM" that make it a clock time, as the range of hours they open or close.
_RANGE_WORDS = frozenset(
    {"de", "desde", "a", "hasta", "entre", "y", "e", "et", "und", "von", "bis", "ab", "gegen", "tra", "fino"}
    | {"das", "ate", "des", "du", "au", "al", "vers"}
)
# Words a bare hour may run into and still be a clock time: "a las 8 y media", "alle 10 di sera".
_AFTER_A_BARE_HOUR = frozenset(
    {"y", "e", "et", "und", "de", "del", "di", "da", "do", "hasta", "ate", "a", "al", "fino", "alle", "as"}
)


def _after_a_clock_word(previous: list[str], v: Vocabulary) -> bool:
    """ "à 14 heures", "a las 10", and "à partir de 14 heures" (folded words before the hour)."""
    return bool(previous) and (previous[-1] in v.clock_before or previous[-2:] == ["partir", "de"])


def _clock(m: re.Match[str], doc: _ForeignDoc) -> _Candidate | None:
    """ "a las 10:00", "à 18h30", "um 9 Uhr", "alle 18.30", "às 10h": a clock time, which takes the
    day of a nearby day mention as an English one does."""
    v = doc.vocabulary
    hour, minute = int(m["h"]), int(m["m"] or 0)
    if m["past"] and not m["m"]:
        minute = 30 if m["past"].startswith(("me", "de")) else 15  # "y media", "et quart"
    previous = [_fold(w) for w in doc.prev_words(m.start(), 2)]
    after_clock_word = _after_a_clock_word(previous, v)
    unit = m["unit"] or ""
    if unit in v.clock_units or m["sep"] == "h" or (unit == "h" and "h" in v.clock_units):
        pass  # "9 Uhr", "18h30", "10h": a clock time wherever it stands
    elif after_clock_word and (m["m"] or unit):
        pass  # "a las 18.30 horas", "à 18 heures", "alle 18.30"
    elif m["sep"] == ":" and previous and previous[-1] in _RANGE_WORDS:
        pass  # "de 8:00 a 20:00", "zwischen 9:00 und 17:00"
    elif after_clock_word and _bare_hour(m, doc, previous):
        pass  # "a las 8", "alle 10", "às 10"
    elif _in_a_range_of_hours(doc, m.start(), m.end()):
        pass  # "de 9 a 17 horas", "de 9 heures à 17 heures", "von 9 bis 17 Uhr"
    elif _in_a_range_of_bare_hours(doc, m.start()):
        pass  # "tra le 8 e le 13", "entre las 8 y las 13", "das 8 às 13"
    else:
        return None
    if m["part"]:
        hour += v.clock_parts[m["part"]] if hour < 12 else 0
    if hour > 24 or minute > 59:
        return None
    return _Candidate(
        m.start(), m.end(), 0, _Resolved(None, "time", "TIME"), clock=f"{hour:02d}:{minute:02d}"
    )


# "de 9 a 17 horas", "de 9 heures à 17 heures", "von 9 bis 17 Uhr", "entre 8 et 10 heures": both
# ends of a range of hours that names its unit once or twice (folded text)
_HOUR = r"[0-2]?\d(?:[:.h][0-5]\d)?(?:\s*(?:horas|heures|heure|uhr|ore|h))?"
_HOURS_FROM = re.compile(
    rf"(?<!\w)(?:de|des|desde|von|entre|zwischen|dalle|das|da)\s+{_HOUR}\s+(?:a|à|hasta|bis|y|et|und|e|alle|as|às|ate)\s+$"
)
_HOURS_TO = re.compile(
    r"\s+(?:a|à|hasta|bis|y|et|und|e|alle|as|às|ate)\s+[0-2]?\d(?:[:.h][0-5]\d)?\s*(?:horas|heures|uhr|ore|h)(?!\w)"
)


def _in_a_range_of_hours(doc: _ForeignDoc, start: int, end: int) -> bool:
    """An hour opening ("de 9", followed by the other end with its unit) or closing ("a 17 horas",
    after the opening end) a range of hours."""
    opening = _HOURS_FROM.search(doc.folded[max(0, start - 40) : start])
    if opening is not None:
        ends = opening.group(), doc.folded[start:end]
        return bool(re.search(r"(?:horas|heures|heure|uhr|ore|h)$", ends[1])) and _clock_hours(*ends)
    words = [_fold(w) for w in doc.prev_words(start, 1)]
    closing = _HOURS_TO.match(doc.folded, end)
    return (
        bool(words)
        and words[-1] in {"de", "des", "desde", "von", "entre", "zwischen", "das"}
        and closing is not None
        and _clock_hours(doc.folded[start:end], closing.group())
    )


# Both ends of a range of hours written bare, each after its article as clock times are ("tra le
# 8 e le 13", "entre las 8 y las 13", "das 8 às 13", "dalle 8 alle 13"; folded)
_BARE_HOURS = re.compile(
    r"(?<!\w)(?:(?:tra|fra)\s+le|entre\s+las|entre\s+as|de\s+las|desde\s+las|dalle|das)\s+(?P<h1>[0-2]?\d)\s+"
    r"(?:e\s+le|ed\s+le|y\s+las|e\s+as|a\s+las|hasta\s+las|alle|as)\s+(?P<h2>[0-2]?\d)(?![\w%]|[.,:]\d)"
)


def _in_a_range_of_bare_hours(doc: _ForeignDoc, start: int) -> bool:
    for m in _BARE_HOURS.finditer(doc.folded, max(0, start - 30), start + 30):
        if start in (m.start("h1"), m.start("h2")) and _clock_hours(m["h1"], m["h2"]):
            return True
    return False


def _clock_hours(*texts: str) -> bool:
    """The hours written in ``texts`` all fit a clock ("de 24 a 48 horas" is a duration)."""
    return all(int(h) < 24 for t in texts for h in re.findall(r"(?<![:.h\d])\d{1,2}(?!\d)", t))


def _bare_hour(m: re.Match[str], doc: _ForeignDoc, previous: list[str]) -> bool:
    """An hour with neither minutes nor unit is a time only after "a/hasta/desde las", "alle",
    "às" (not the article "as") and before no noun: "las 10 empresas" is a count."""
    raw_before = doc.text[max(0, m.start() - 3) : m.start()].lower()
    if previous[-1] in ("las", "la") and not (
        len(previous) > 1 and previous[0] in ("a", "hasta", "desde", "sobre", "hacia")
    ):
        return False
    if previous[-1] == "as" and "às" not in raw_before:
        return False
    if previous[-1] in ("le", "delle") and not (
        len(previous) > 1 and previous[0] in ("dopo", "prima", "verso", "entro", "circa", "tra", "fra")
    ):
        return False  # "dopo le 14", "prima delle 9"; "le 14 vittime" is a count
    following = [_fold(w) for w in doc.next_words(m.end(), 1)]
    return not following or following[0] in _AFTER_A_BARE_HOUR or not following[0].isalpha()


def _period_of_year(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | _Candidate | None:
    """ "el fin de semana" -> an ISO weekend, "cet été" / "letzten Winter" -> a season, resolved as
    the English "the weekend", "this summer", "last winter"; "as chuvas de outono" the season
    without its "de"."""
    if not m["w"].startswith("de "):
        return _period_of_year_value(m, doc)
    if doc.text[m.start() + 3].isupper():
        return None  # "los Juegos de Invierno", "o Palácio de Inverno": a name
    resolved = _period_of_year_value(m, doc)
    return None if resolved is None else _Candidate(m.start() + 3, m.end(), 0, resolved)


def _period_of_year_value(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    code, offset = doc.vocabulary.periods_of_year[m["w"]]
    if code == "WE":
        if m["y"] or _OF_A_DAY.match(doc.text, m.end()):
            return None  # "el fin de semana del 8 de agosto": the date names it
        return _Resolved(_weekend(doc, offset, m.start(), m.end()) + "-WE", "week", "DATE")
    if m["y"]:
        return _Resolved(f"{m['y']}-{code}", "season", "DATE")
    first, month, year = _SEASON_FIRST_MONTH[code], doc.day.month, doc.day.year
    if offset == -1:  # the latest such season that is over
        year = year if first + 3 <= month else year - 1
    elif offset == 1:  # the next one not yet begun
        year = year if first > month else year + 1
    elif offset == 0:
        year = year - 1 if code == "WI" and month <= 2 else year
    elif _after_forward_preposition(doc, m.start()):
        year = year if first + 2 >= month else year + 1  # "antes del verano": the next one not over
    else:
        year = _season_year(doc, code, m.start(), m.end())
    return _Resolved(f"{year:04d}-{code}", "season", "DATE")


_OF_A_DAY = re.compile(r"\s+(?:del?|du|vom|dell['’]|do|da)\s*\d")


def _weekend(doc: _ForeignDoc, offset: int | None, start: int, end: int) -> str:
    """The ISO week of the weekend meant: this one on a Saturday or Sunday, else by the qualifier or
    the tense, and with neither the past one early in the week, the coming one from Thursday."""
    today = doc.day
    if offset == -1:
        return _iso_week(today - timedelta(weeks=1))
    if today.weekday() >= 5:
        return _iso_week(today + timedelta(weeks=1) if offset == 1 else today)
    if offset == 1:
        return _iso_week(today)
    # "a dépassé six heures ce week-end" on a Tuesday: the one just over; with no cue the present
    # tells what is planned ("Se espera que el tiempo mejore el fin de semana"), the coming one, as
    # a weekday; a past verb from Thursday on tells mostly of plans for it ("a annoncé hier le
    # déploiement de gendarmes pendant le week-end" on a Friday)
    past = doc.tense(start, end) == "past" and today.weekday() <= 2
    return _iso_week(today - timedelta(weeks=1) if past else today)


# Nouns before "de Navidad", "di Natale": the season or holidays around the day, not the day.
_HOLIDAY_PERIOD_NOUNS = frozenset(
    {"vacaciones", "vacances", "vacanze", "ferias", "fiestas", "fetes", "feste", "periodo", "periode"}
    | {"temporada", "saison", "stagione", "campana", "campagne", "mercado", "marche", "mercatino", "epoca"}
    # not "ponte"/"puente": "il ponte di Pasqua" is a long weekend around the holiday, whose day
    # every gold tags
    | {"semana", "semaine", "settimana", "treve", "tregua", "week-end", "weekend"}
)


def _holiday(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | _Candidate | None:
    """ "en Navidad", "à Noël", "an Weihnachten", "a Natale", "no Natal": the day, in the year the
    tense points to, as the English holidays; "las vacaciones de Navidad" is a period."""
    if m["w"] not in _LOWER_CASE_HOLIDAYS and not any(ch.isupper() for ch in doc.text[m.start() : m.end()]):
        return None  # "natal" the adjective, "pascua" in a compound: a holiday is written capitalised
    previous = [_fold(w) for w in doc.prev_words(m.start(), 2)]
    if previous and previous[0] in _HOLIDAY_PERIOD_NOUNS:
        return None
    if previous[-1:] == ["em"]:
        return None  # Portuguese "em Natal" is the city; the holiday is "no Natal"
    month, day = doc.vocabulary.holidays[m["w"]]
    own_year = _HOLIDAY_YEAR.match(doc.folded, m.end())
    if own_year is not None:  # "la Nochevieja de 2025", "Ostern 2027": that year's
        day_of_year = _holiday_date(int(own_year["y"]), month, day)
        return _Candidate(m.start(), own_year.end(), 0, _Resolved(day_of_year.isoformat(), "day", "DATE"))
    framing = doc.framing_year(m.start())
    years = (doc.day.year - 1, doc.day.year, doc.day.year + 1) if framing is None else (framing,)
    candidates = [_holiday_date(y, month, day) for y in years]
    # "até ao Dia de Reis", "bis Pfingsten": ahead whatever the verb, as a weekday after them
    ahead = _after_forward_preposition(doc, m.start())
    tense = "future" if ahead else doc.tense(m.start(), m.end())
    chosen = _pick_year(candidates, doc.day, tense, doc.is_publication, reach=366 if ahead else 243)
    eve = _EVE_BEFORE_A_HOLIDAY.search(doc.folded, max(0, m.start() - 25), m.start())
    if eve is not None:  # "la veille de Noël", "la víspera de Navidad": the day before
        return _Candidate(
            eve.start(), m.end(), 0, _Resolved((chosen - timedelta(days=1)).isoformat(), "day", "DATE")
        )
    night = _PART_BEFORE_A_HOLIDAY.search(_fold_text(doc.text[max(0, m.start() - 30) : m.start()]))
    if night is not None:  # "na noite de passagem de ano", "la nuit de la Saint-Sylvestre"
        start = m.start() - (len(night.string) - night.start("pod"))
        code = _PARTS_OF_A_NIGHT[night["pod"]]
        return _Candidate(start, m.end(), 0, _Resolved(f"{chosen.isoformat()}T{code}", "time", "TIME"))
    return _Resolved(chosen.isoformat(), "day", "DATE")


_HOLIDAY_YEAR = re.compile(r"\s+(?:(?:de|del|di|do|von)\s+)?(?P<y>(?:19|20)\d\d)(?![\w.,]\d|\w)")


_EVE_BEFORE_A_HOLIDAY = re.compile(
    r"(?<!\w)(?:la\s+|a\s+)?(?:veille|vispera|vespera|vigilia)\s+(?:de|di|do|da)(?:\s+(?:la|l['’]))?\s*$"
)

# Holidays written in lower case ("a noite de passagem de ano").
_LOWER_CASE_HOLIDAYS = frozenset({"passagem de ano", "passagem do ano", "jour de l'an"})
_PARTS_OF_A_NIGHT = {
    "noite": "NI",
    "noche": "NI",
    "nuit": "NI",
    "notte": "NI",
    "soir": "EV",
    "soiree": "EV",
} | {
    "sera": "EV",
    "serata": "EV",
}
_PART_BEFORE_A_HOLIDAY = re.compile(
    rf"(?<!\w)(?P<pod>{_alternation(frozenset(_PARTS_OF_A_NIGHT))})\s+"
    r"(?:de|da|do|del|di|della|du)(?:\s+(?:la|o|a)\s+|\s+l['’]|\s+)$"
)


def _year_edge(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    """ "depuis le début de l'année", "bis Ende des Jahres": the reference year, as English "the
    start of the year" is; "entro la fine del mese": the reference month; "à la fin du mois
    prochain", "a finales del año pasado": the one after or before."""
    inside = set(m["w"].split())  # "Ende letzten Jahres", "Anfang nächsten Jahres"
    step = (
        (_NEXT_AFTER | _LAST_AFTER)[m["q"]]
        if m["q"]
        else -1
        if inside & _LAST_INSIDE
        else +1
        if inside & _NEXT_INSIDE
        else 0
    )
    if m["w"] in doc.vocabulary.month_edges:
        if not m["q"] and _OF_A_NAMED_MONTH.match(doc.folded, m.end()):
            # "à la fin du mois de mars", "a finales del mes de mayo": the month named, whose rule
            # takes it in
            return None
        year, month = _add_months(doc.day.year, doc.day.month, step)
        return _Resolved(f"{year:04d}-{month:02d}", "month", "DATE")
    return _Resolved(f"{doc.day.year + step:04d}", "year", "DATE")


_OF_A_NAMED_MONTH = re.compile(r"\s+(?:de|di|do|da)\s+(?=[^\W\d_]+)")


def _year_phrase(m: re.Match[str], doc: _ForeignDoc) -> _Resolved:
    return _Resolved(f"{doc.day.year + doc.vocabulary.years[m['w']]:04d}", "year", "DATE")


# A prison term after the years makes "à deux ans" a sentence, never an age.
_PRISON_WORDS = frozenset(
    {"prison", "ferme", "sursis", "prision", "carcel", "carcere", "reclusione", "prisao", "haft", "gefangnis"}
)


# Nouns of a span of time, folded: "de N años" after them is how long it lasts, never an age.
_SPAN_NOUNS = frozenset(
    {"transicion", "transicao", "transizione", "transition", "plazo", "prazo", "periodo", "periode"}
    | {"mandato", "mandat", "contrato", "contratto", "contrat", "pena", "peine", "condena", "condanna"}
    | {"programa", "programma", "programme", "plan", "plano", "piano", "moratoria", "proroga", "prorroga"}
    | {"garantia", "garanzia", "garantie", "concesion", "concessao", "concessione", "concession"}
    | {"prestamo", "emprestimo", "prestito", "pret", "hipoteca", "mutuo", "credito", "credit"}
    | {"sequia", "seca", "siccita", "secheresse", "crisis", "crise", "crisi", "ciclo", "cycle"}
    | {"vigencia", "duracion", "duracao", "durata", "duree", "espera", "attente", "attesa"}
    | {"acuerdo", "acordo", "accordo", "accord", "tregua", "tregue", "treve", "estrategia", "strategia"}
    | {"proyecto", "projeto", "progetto", "projet", "obra", "obras", "lavori", "travaux", "inversion"}
    | {"investimento", "investissement", "calendario", "calendrier", "ausencia", "absence", "assenza"}
)


def _duration(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | _Candidate | None:
    """A number of units: a duration, or with "hace"/"il y a"/"vor"/"fa" the date that long ago."""
    v = doc.vocabulary
    unit = v.units[m["unit"]]
    number: float | None = int(m["num"]) if m["num"].isdigit() else v.numbers.get(m["num"])
    if m["half"] and number is not None:
        number += 0.5  # "dos horas y media" PT2H30M
    if m.groupdict().get("ago") and doc.prev_words(m.start(), 1) == ["desde"]:
        # "desde hace dos años": for two years, a duration
        return _Candidate(
            m.start("num"), m.end("unit"), 0, _Resolved(_duration_value(number, unit), "duration", "DURATION")
        )
    if m.groupdict().get("ago") or m.groupdict().get("fa"):
        if number is not None and number != int(number) and not _unit_code(unit)[1]:
            return _fractional_shift(doc, number, unit, -1)
        return (
            _shifted(doc, number, unit, -1) if number is not None else _Resolved("PAST_REF", "vague", "DATE")
        )
    previous = [_fold(w) for w in doc.prev_words(m.start(), 1)]
    if number == 1 and not m["num"].isdigit() and previous and previous[-1] in _COPULAS_BEFORE_A_PREDICATE:
        return None  # "Diciembre será un mes muy exigente": a predicate noun
    if unit == "hours" and _after_a_clock_word([_fold(w) for w in doc.prev_words(m.start(), 2)], v):
        return None  # "à 10 heures", "a las 18 horas", "à partir de 14 heures": a clock time
    if unit == "hours" and _in_a_range_of_hours(doc, m.start(), m.end()):
        return None  # "de 9 heures à 17 heures", "de 9 a 17 horas": clock times
    following = [_fold(w) for w in doc.next_words(m.end(), 5)]
    if following[:1] and following[0] in _AND:
        following = following[3:]  # "à deux ans et six mois de prison": the term goes on
    # "condamné à deux ans de prison"; "uma transição de 12 anos", "un plan de cinq ans": a noun of
    # a span of time before "de"
    two_before = [_fold(w) for w in doc.prev_words(m.start(), 2)]
    not_an_age = bool(_PRISON_WORDS.intersection(following[:2])) or (
        len(two_before) == 2
        and two_before[1] in ("de", "di", "da")
        and (two_before[0] in _SPAN_NOUNS or two_before[0] in _APPROX_BEFORE_DE)
    )
    if (
        unit == "years"
        and not not_an_age
        and ((previous and previous[-1] in v.age_before) or following[:1] == ["alt"])
    ):
        return None  # an age: "un hombre de 45 años", "45 Jahre alt"
    return _Resolved(_duration_value(number, unit), "duration", "DURATION")


# Approximators before "de" + a number of years ("cerca de um ano", "más de diez años", "près de
# deux ans"): a length of time, not the age "un hombre de 45 años" (folded)
_APPROX_BEFORE_DE = frozenset(
    {"cerca", "alrededor", "acerca", "perto", "mas", "mais", "menos", "pres", "plus", "moins", "piu"}
)


def _the_year(m: re.Match[str], doc: _ForeignDoc) -> _Candidate:
    """ "comenzaron el año al 38%": the reference year; "cerró el año" in January or February: the
    year just ended."""
    year = doc.day.year if m["begin"] or doc.day.month > 2 else doc.day.year - 1
    return _Candidate(m.start("w"), m.end("w"), 0, _Resolved(f"{year:04d}", "year", "DATE"))


# Prepositions of time before "minuit", "medianoche", "Mitternacht" (folded).
_BEFORE_A_CLOCK_WORD = frozenset(
    {"a", "al", "ao", "alla", "um", "bis", "ab", "gegen", "seit", "jusqu'a", "jusqu’a", "avant", "apres"}
    | {"depuis", "des", "vers", "hasta", "desde", "antes", "despues", "entro", "dopo", "prima", "ate"}
    | {"dalla", "la", "partir", "kurz", "nach", "vor", "zu", "esta"}  # "hasta esta medianoche"
)
_CAPITALISED_CLOCK_WORDS = frozenset({"mitternacht"})  # German nouns: capitalised wherever they stand


def _clock_word(m: re.Match[str], doc: _ForeignDoc) -> _Candidate | None:
    """ "ce soir à minuit", "hasta la medianoche": a clock time that takes its day as "HH:MM" does
    (midnight is T24:00 of the day it ends, as TimeML writes it)."""
    previous = [_fold(w) for w in doc.prev_words(m.start(), 2)]
    if previous[-2:-1] == ["partir"]:
        previous = previous[:-1]  # "à partir de minuit"; "le repas de midi" is a meal
    if not previous or previous[-1] not in _BEFORE_A_CLOCK_WORD:
        return None
    if doc.text[m.start()].isupper() and m["w"] not in _CAPITALISED_CLOCK_WORDS:
        return None  # "le Midi", "il Mezzogiorno": a region
    clock = doc.vocabulary.clock_words[m["w"]]
    return _Candidate(m.start(), m.end(), 0, _Resolved(None, "time", "TIME"), clock=clock)


# A part of the day standing alone with its preposition, folded: "am Nachmittag", "nel
# pomeriggio", "dans la soirée", "por la tarde", "à noite": that part of the day the text is about,
# as English "in the morning" (a weekday or "hoy" before it makes a longer mention that wins).
_PARTS_OF_THE_DAY = {
    "de": {"am vormittag": "MO", "am nachmittag": "AF", "am abend": "EV", "in der nacht": "NI"},
    "it": {"in mattinata": "MO", "nel pomeriggio": "AF", "in serata": "EV", "in nottata": "NI"}
    | {"nella notte": "NI", "nella mattinata": "MO", "nella serata": "EV"},
    "fr": {"dans la matinee": "MO", "dans l'apres-midi": "AF", "dans l’apres-midi": "AF"}
    | {"dans la soiree": "EV", "dans la nuit": "NI", "en matinee": "MO", "en soiree": "EV"},
    "es": {"por la manana": "MO", "por la tarde": "AF", "por la noche": "NI", "de madrugada": "MO"},
    "pt": {"de manha": "MO", "pela manha": "MO", "a tarde": "AF", "a noite": "NI", "de madrugada": "MO"},
}


def _parts_of_the_day(doc: _ForeignDoc, language: str) -> Iterator[_Candidate]:
    pattern = _PART_OF_THE_DAY_PATTERNS[language]
    for m in pattern.finditer(doc.folded) if pattern is not None else ():
        c = _part_of_the_day(m, doc, language)
        if c is not None:
            c.priority = 90  # after every rule of the vocabulary: a longer mention wins anyway
            yield c
    yesterday = (doc.day - timedelta(days=1)).isoformat()
    for m in _LAST_NIGHT.finditer(doc.folded):  # "la nuit dernière": the night before the reference
        yield _Candidate(m.start(), m.end(), 90, _Resolved(f"{yesterday}TNI", "time", "TIME"))


# "last night" (folded), whatever the language: the vocabularies' weekday "last" words do not
# make it ("la nuit dernière" has no weekday)
_LAST_NIGHT = re.compile(
    r"(?<![\w'’])(?:la nuit (?:derniere|passee)|la noche pasada|a noite passada|la notte scorsa"
    r"|la scorsa notte|letzte nacht|vergangene nacht|der vergangenen nacht)(?![\w'’])"
)


_PART_OF_THE_DAY_PATTERNS = {
    language: _words_pattern(frozenset(parts), r"(?![\w'’-])")
    for language, parts in _PARTS_OF_THE_DAY.items()
}


# After a part of the day, words that tie it to a day or an event named next (folded)
_OF_AN_ANCHOR = [
    [w] for w in ("de", "del", "du", "des", "di", "della", "dell", "tra", "fra", "zum", "vom")
] + [[w] for w in ("von", "do", "da", "entre", "d", "dal", "dalla")]


def _part_of_the_day(m: re.Match[str], doc: _ForeignDoc, language: str) -> _Candidate | None:
    """ "bevor es am Nachmittag taut": the part of the day a clock time would take its day from."""
    if language == "pt" and doc.text[m.start()] in "aA":
        return None  # "a tarde" with the article, not "à tarde": a noun ("a tarde foi longa")
    if [_fold(w) for w in doc.next_words(m.end(), 1)] in _OF_AN_ANCHOR:
        return None  # "dans la nuit de samedi à dimanche", "in der Nacht zum Sonntag": left as before
    code = _PARTS_OF_THE_DAY[language][m["w"]]
    start = m.start() + len(m["w"].split()[0]) + 1  # the preposition left out, as TimeML does
    return _Candidate(start, m.end(), 0, _Resolved(None, "time", "TIME"), clock=code)


def _last_units(m: re.Match[str], doc: _ForeignDoc) -> _Candidate | None:
    """ "la última década" P10Y, "nell'ultimo anno" P1Y, "les trois dernières années" P3Y, "las
    dos últimas semanas de la campaña" P2W; not "la última semana de marzo", a week that its
    month names, nor one that an event names without a count ("la última semana de la campaña")."""
    v = doc.vocabulary
    raw = m["num"] or m["pre"]
    if m["of"] and (raw is None or m["after"] in v.months or m["after"][:1].isdigit()):
        return None
    number = 1 if raw is None else int(raw) if raw.isdigit() else v.numbers[raw]
    value = _Resolved(_duration_value(number, v.units[m["unit"]]), "duration", "DURATION")
    return _Candidate(m.start(), m.end("unit"), 0, value)


# Prepositions that count ahead from now whatever the verb's tense unless past: "fra due
# settimane si vota", "daqui a duas semanas", "d'ici deux ans", "dentro de dos semanas" (folded);
# "en", "em", "in" also mean "within" ("en doce horas"), ahead only in a future clause
_AHEAD_BEFORE = frozenset({"tra", "fra", "daqui a", "d'ici", "d’ici", "dentro de", "dans"})


# A measured quantity in the words before "en/em/in N units": "180 litros", "30 %", "20 cm"
_A_QUANTITY_BEFORE = re.compile(r"\d[\d.,]*\s*(?:%|[^\W\d_]+)?(?:\s+[^\W\d_]+){0,5}\s*$")


_FROM_AN_EVENT = [["dalla"], ["dal"], ["dallo"], ["dall"], ["desde"], ["depuis"], ["nach"], ["ab"], ["apres"]]


def _in_units(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    """ "sera voté dans deux semaines": in a future clause the date that far ahead, as English "in
    two weeks"; elsewhere ("en dos semanas bajó un 5%") the number of units stays a duration."""
    tense = doc.tense(m.start(), m.end())
    if tense != "future" and (m["pre"] not in _AHEAD_BEFORE or tense == "past"):
        return None
    if [_fold(w) for w in doc.next_words(m.end(), 1)] in _FROM_AN_EVENT:
        return None  # "entro venti giorni dalla proclamazione": counted from an event, a duration
    if m["pre"] not in _AHEAD_BEFORE and _A_QUANTITY_BEFORE.search(
        doc.text, max(0, m.start() - 50), m.start()
    ):
        return None  # "podrían superar 180 litros en doce horas": within that time, a duration
    v = doc.vocabulary
    number = int(m["num"]) if m["num"].isdigit() else v.numbers[m["num"]]
    return _shifted(doc, number, v.units[m["unit"]], 1)


def _vague_phrase(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    """ "en los próximos días", "nei prossimi giorni": a vague duration ahead (PXD), as TimeML's "the
    next few days";
    "actualmente", "derzeit": the present, as "currently"."""
    # "Actualmente, ..." opening a sentence is tagged too: every es/fr/de/it/pt gold does (the
    # English "Currently," that TimeML corpora leave untagged has no counterpart in them)
    if m["w"] in _NOW and doc.text.startswith(",", m.end()) and doc.sentence(m.start())[0] == m.start():
        return None  # "Ahora, ...", "Maintenant, ...": a discourse marker opening the sentence
    value = doc.vocabulary.vague_phrases[m["w"]]
    if value.startswith("PX"):
        return _Resolved(value, "duration", "DURATION")
    return _Resolved(value, "vague", "DATE")


_NOW = frozenset({"ahora", "agora", "maintenant", "adesso", "jetzt"})


def _every_unit(m: re.Match[str], doc: _ForeignDoc) -> _Resolved:
    """ "cada semana" P1W, "tous les deux ans" P2Y, "Chaque automne" XXXX-FA: a set, as English
    "every week", "every two years", "every autumn"."""
    v = doc.vocabulary
    if m["unit"] in v.seasons:
        return _Resolved(f"XXXX-{v.seasons[m['unit']]}", "set", "SET")
    if m["unit"] in _EVERY_DAY_PART:
        return _Resolved(f"XXXX-XX-XXT{_EVERY_DAY_PART[m['unit']]}", "set", "SET")  # "cada noche"
    count = m["num"] or m["num2"]
    number = 1 if count is None else int(count) if count.isdigit() else v.numbers[count]
    return _Resolved(_duration_value(number, v.units[m["unit"]]), "set", "SET")


# Before a frequency word, words that make it a noun ("el diario", "le quotidien", "il quotidiano":
# a newspaper), folded.
_DETERMINERS = frozenset(
    {"el", "la", "los", "las", "un", "una", "del", "al", "este", "ese", "le", "les", "du", "des", "ce", "au"}
    | {"il", "lo", "i", "gli", "uno", "del", "dal", "nel", "sul", "questo", "o", "a", "os", "as", "um", "do"}
    | {"da", "dos", "das", "no", "na", "ao", "pelo", "pela", "esse", "der", "die", "den", "dem"}
)


def _frequency(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    """ "diariamente", "viajeros diarios", "protestos semanais": a set, as English "daily"."""
    previous = [_fold(w) for w in doc.prev_words(m.start(), 1)]
    if previous and previous[-1] in _DETERMINERS:
        return None  # "el diario El País": the newspaper
    if doc.text[m.start()].isupper() and doc.sentence(m.start())[0] != m.start():
        return None  # "Diário de Notícias", "Il Quotidiano": a name
    return _Resolved(_duration_value(1, doc.vocabulary.frequencies[m["w"]]), "set", "SET")


def _times_per(m: re.Match[str], doc: _ForeignDoc) -> _Resolved:
    """ "dos veces por semana", "trois fois par jour", "zweimal täglich": a set of the unit."""
    v = doc.vocabulary
    return _Resolved(_duration_value(1, v.units.get(m["unit"]) or v.frequencies[m["unit"]]), "set", "SET")


# After "por día", "par jour", "al mese": words that make it a day named, not a rate (folded)
_NOT_A_RATE_AFTER = frozenset(
    {"siguiente", "anterior", "pasado", "pasada", "passado", "passada", "seguinte", "suivant", "suivante"}
    | {"precedent", "precedente", "successivo", "seguente", "scorso", "scorsa", "prossimo", "prossima"}
    | {"proximo", "proxima", "que", "de", "del", "do", "da", "di", "dell", "della", "des", "du", "d", "en"}
    | {"em", "in", "der", "des"}
)
# Before "al día": verbs of the idiom "up to date" ("ponerse al día", "está al día")
_UP_TO_DATE_BEFORE = frozenset(
    {"poner", "ponerse", "pone", "ponen", "puesto", "puesta", "estar", "esta", "estan"}
)


# Before "por hora", "par heure", "pro Stunde": lengths that make it a speed (folded)
_DISTANCE_UNITS = frozenset(
    {"km", "kilometros", "quilometros", "kilometres", "kilometer", "kilometern", "chilometri", "metros"}
    | {"metres", "meter", "metern", "metri", "millas", "milhas", "miles", "nudos", "nos", "noeuds", "knoten"}
)


def _phrase(m: re.Match[str], doc: _ForeignDoc) -> _Resolved | None:
    """ "todos los domingos", "tous les week-ends", "pro Tag", "media hora": a set or a duration."""
    value, kind = doc.vocabulary.phrases[m["w"]]
    if value.startswith(("P1", "PT1H")):
        following = [_fold(w) for w in doc.next_words(m.end(), 1)]
        if following and following[0] in _NOT_A_RATE_AFTER:
            return None  # "al día siguiente", "par jour de grève"
        previous = [_fold(w) for w in doc.prev_words(m.start(), 1)]
        if previous and previous[-1] in _UP_TO_DATE_BEFORE:
            return None
        if previous and previous[-1] in _DISTANCE_UNITS:
            return None  # "300 kilómetros por hora": a speed, not a set
    return _Resolved(value, "set" if kind == "SET" else "duration", kind)


def _numeric(m: re.Match[str], doc: _ForeignDoc) -> _Resolved:
    return _Resolved(date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat(), "day", "DATE")  # day first


def _finders(p: _Patterns) -> list[tuple[re.Pattern[str], _Finder]]:
    return [
        (p.day_month, _explicit_day),
        (p.numeric, _numeric),
        (p.month_year, _month_year),
        (p.year_phrase, _year_phrase),
        *([(p.period_phrase, _period_phrase)] if p.period_phrase is not None else []),
        (p.weekday, _weekday),
        (p.deictic, _deictic),
        (p.month, _bare_month),
        *([(p.duration, _duration)] if p.duration is not None else []),
        *([(p.today_part, _today_part)] if p.today_part is not None else []),
        (p.range_start, _range_start),
        *([(p.quarter, _quarter)] if p.quarter is not None else []),
        *([(p.year_edge, _year_edge)] if p.year_edge is not None else []),
        (p.clock, _clock),
        *([(p.in_units, _in_units)] if p.in_units is not None else []),
        *([(p.vague, _vague_phrase)] if p.vague is not None else []),
        (p.decade, _decade),
        (_CENTURY, _century),
        (_DAY_OF_THE_MONTH, _day_of_the_month),
        *([(p.period_of_year, _period_of_year)] if p.period_of_year is not None else []),
        *([(p.holiday, _holiday)] if p.holiday is not None else []),
        *([(p.every_unit, _every_unit)] if p.every_unit is not None else []),
        *([(p.last_units, _last_units)] if p.last_units is not None else []),
        *([(p.clock_word, _clock_word)] if p.clock_word is not None else []),
        *([(p.the_year, _the_year)] if p.the_year is not None else []),
        (p.weekday_day, _weekday_day),
        *([(p.following, _following)] if p.following is not None else []),
        *([(p.shifted, _shifted_from_before)] if p.shifted is not None else []),
        *([(p.frequency, _frequency)] if p.frequency is not None else []),
        *([(p.times_per, _times_per)] if p.times_per is not None else []),
        *([(p.phrase, _phrase)] if p.phrase is not None else []),
        *([(p.preceding, _preceding)] if p.preceding is not None else []),
    ]


def _shared_candidates(doc: _Doc) -> Iterator[_Candidate]:
    """Language-neutral rules: ISO dates and four-digit years."""
    for priority, rule in enumerate((_iso_date, _year)):
        pattern = next(r.pattern for r in _RULES if r.resolve is rule)
        for m in pattern.finditer(doc.text):
            try:
                resolved = rule(m, doc)
            except (ValueError, KeyError):
                continue
            if isinstance(resolved, _Resolved):
                yield _Candidate(m.start(), m.end(), 100 + priority, resolved)


def extract_neutral_dates(
    text: str, field_name: Field, reference: datetime, *, reference_is_publication: bool
) -> list[DateMention]:
    """For a language without a vocabulary: ISO dates and years only."""
    doc = _Doc(text, reference, reference_is_publication)
    return _mentions(text, field_name, list(_shared_candidates(doc)))


def _mentions(text: str, field_name: Field, candidates: list[_Candidate]) -> list[DateMention]:
    return _date_mentions(text, field_name, _select(candidates))


def extract_foreign_dates(
    text: str, field_name: Field, reference: datetime, *, reference_is_publication: bool, language: str
) -> list[DateMention]:
    """``extract_dates`` for a text in one of ``SUPPORTED`` languages."""
    vocabulary = VOCABULARIES[language]
    folded = _fold_text(text)
    doc = _ForeignDoc(text, reference, reference_is_publication, vocabulary, folded)
    candidates: list[_Candidate] = list(_shared_candidates(doc))
    for priority, (pattern, finder) in enumerate(_finders(_PATTERNS[language])):
        for m in pattern.finditer(folded):
            try:
                resolved = finder(m, doc)
            except (ValueError, KeyError, OverflowError):
                continue
            if isinstance(resolved, _Candidate):
                resolved.priority = priority
                candidates.append(resolved)
            elif resolved is not None:
                candidates.append(_Candidate(m.start(), m.end(), priority, resolved))
    candidates.extend(_parts_of_the_day(doc, language))
    chosen = _joined_durations(
        [
            c
            for c in _select(candidates)
            if not _names_a_place(c, doc) and not _names_a_clock_regime(c, folded)
        ],
        folded,
    )
    chosen = _months_of_a_named_year(chosen, folded)
    _joined_months(chosen, doc)
    _date_ranges_forward(chosen, doc)
    _listed_forward(chosen, doc)
    _attach_days_to_times(chosen, doc)
    before = {id(c): c.resolved for c in doc.preceding}
    _resolve_shifts(chosen, doc)
    for c in doc.preceding:
        _one_back(c, before[id(c)])
    _months_years_ago(chosen, doc)
    _leave_out_contractions(chosen, folded, _CONTRACTIONS[language])
    return _date_mentions(text, field_name, chosen)


_DURATION_PART = re.compile(r"P(?P<date>\d+[YMWD])?(?:T(?P<time>\d+[HMS]))?")
_DURATION_RANKS = ("Y", "M", "W", "D", "TH", "TM", "TS")  # larger units first
_JOINED_DURATION = re.compile(r"\s+(?:und|y|e|et|ed)\s+")


def _joined_durations(chosen: list[_Candidate], folded: str) -> list[_Candidate]:
    """ "vier Jahren und drei Monaten" P4Y3M, "dos años y seis meses" P2Y6M, "deux heures et
    trente minutes" PT2H30M: one length of time, as English "two hours and 40 minutes", when the
    units fall from the first to the second."""
    out: list[_Candidate] = []
    for c in chosen:
        last = out[-1] if out else None
        if (
            last is not None
            and last.resolved.type == "DURATION"
            and c.resolved.type == "DURATION"
            and _JOINED_DURATION.fullmatch(folded, last.end, c.start)
        ):
            joined = _joined_value(str(last.resolved.value), str(c.resolved.value))
            if joined is not None:
                out[-1] = _Candidate(
                    last.start, c.end, last.priority, _Resolved(joined, "duration", "DURATION")
                )
                continue
        out.append(c)
    return out


# Between a month and the year that a phrase names: "março do ano passado", "mars de l'année
# dernière", "marzo dell'anno scorso", "junio del año que viene" (folded)
_OF_THE_YEAR = re.compile(r"\s+(?:de|del|do|di|dell['’]|de\s+l['’])?\s*")


def _months_of_a_named_year(chosen: list[_Candidate], folded: str) -> list[_Candidate]:
    """A month or quarter followed by its year as a phrase is one month or quarter of that year,
    as English "June last year" ("el primer trimestre de este año"; alone it had taken the year
    nearest the reference, and the year phrase was a mention of its own)."""
    out: list[_Candidate] = []
    for c in chosen:
        last = out[-1] if out else None
        year, part = c.resolved.value or "", (last.resolved.value or "") if last is not None else ""
        if (
            last is not None
            and last.resolved.granularity in ("month", "quarter")
            and re.fullmatch(r"\d{4}-(?:\d\d|[QH]\d)", part)
            and c.resolved.granularity == "year"
            and re.fullmatch(r"\d{4}", year)
            and not any(ch.isdigit() for ch in folded[last.start : c.end])
            and _OF_THE_YEAR.fullmatch(folded, last.end, c.start)
        ):
            value = _Resolved(f"{year}-{part[5:]}", last.resolved.granularity, "DATE")
            out[-1] = _Candidate(last.start, c.end, last.priority, value)
            continue
        out.append(c)
    return out


def _joined_value(first: str, second: str) -> str | None:
    """ "P4Y" + "P3M" -> "P4Y3M"; None unless each is one definite unit and the second is smaller."""
    parts = []
    for value in (first, second):
        m = _DURATION_PART.fullmatch(value)
        if m is None or (m["date"] is None) == (m["time"] is None):
            return None
        part = m["date"] or m["time"]
        parts.append(
            (_DURATION_RANKS.index(part[-1] if m["date"] else "T" + part[-1]), part, m["time"] is not None)
        )
    if parts[0][0] >= parts[1][0]:
        return None
    date_part = "".join(p for _, p, is_time in parts if not is_time)
    time_part = "".join(p for _, p, is_time in parts if is_time)
    return f"P{date_part}{'T' + time_part if time_part else ''}"


def _leave_out_contractions(
    chosen: list[_Candidate], folded: str, contraction: re.Pattern[str] | None
) -> None:
    """ "im Frühjahr 2024" -> "Frühjahr 2024", "del verano" -> "verano": a span starts after a
    contracted preposition + article, as TimeML leaves "in the"/"on" out."""
    if contraction is None:
        return
    for c in chosen:
        if c.resolved.type == "SET" and not (c.resolved.value or "").startswith("XXXX"):
            continue  # "al mes", "al giorno": a rate, as "par jour", "pro Tag" ("aos sábados" is trimmed)
        m = contraction.match(folded, c.start, c.end)
        if m is not None and m.end() < c.end:
            c.start = m.end()


_CONTRACTIONS = {
    language: re.compile(rf"(?:{_alternation(v.contractions)})(?:\s+|(?<=['’]))") if v.contractions else None
    for language, v in VOCABULARIES.items()
}


__all__ = ["SUPPORTED", "VOCABULARIES", "extract_foreign_dates", "extract_neutral_dates"]
