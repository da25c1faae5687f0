"""An article's story profile: what it says happened (terms), to whom and where (names), and when.

Two articles of the same actors are not one event: a carmaker's earnings and its recall, two
earthquakes in one region a week apart. So the profile keeps apart

- ``terms``: content words of the title and lead (stemmed, weighted by rarity; the words of named
  entities, dates and very frequent words left out) and their figures (``#612``, ``#81-78``),
  which say *what happened*;
- ``names``: the words of the article's salient entity names, weighted by type, salience and
  rarity, which say *who and where*;
- ``headline``: the event terms of the title alone, as shares of its weight: what the headline
  says happened (a different event of the same actors days later has a headline of its own);
- ``time``: the trustworthy publication time (explicit field, HTML meta, dateline), or None when
  the article has none or it is days away from the article's own dateline (a CMS default such as
  1970-01-01, a crawl time); then a wire dateline opening the body ("KATHMANDU, March 4 (Reuters) -")
  gives the day (``dateline``, its year the latest not after the arrival), then a date inferred
  from the URL or an image path, else the arrival time (a Kafka timestamp, which a replay keeps).

Both vectors are unit-length sparse dicts with a bounded number of entries, rounded, so a profile
is small (it is stored on every story key entry) and deterministic.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from itertools import compress
from operator import itemgetter, not_
from typing import Any

from streamproc.enrich.demonyms import DEMONYMS, derives_from
from streamproc.models import Entity
from streamproc.stories.rarity import MAX_RARITY, is_stopword, rarity

# Where the words of an article are weighted: the title says what happened; the lead reports it;
# later paragraphs mostly bring background (earlier events of the same actors).
TITLE_WEIGHT = 2.0
LEAD_WEIGHT = 1.0
BODY_WEIGHT = 0.25
LEAD_WORDS = 60
RARITY_POWER = 2.0  # >1 lets rare shared words (a district, a ship's name) outweigh common ones
MAX_TERMS = 30
MAX_HEADLINE_TERMS = 8
MAX_NAME_WORDS = 16
MAX_PLACES = 5
MIN_WORD_LENGTH = 3
DIGITS = 3  # rounding of stored weights

# How much an entity of each type says about which event an article reports. Types not listed
# (DATE, MONEY, CARDINAL, ...) are not name evidence.
TYPE_WEIGHTS: dict[str, float] = {
    "PERSON": 1.0,
    "EVENT": 1.0,
    "ORG": 0.9,
    "FAC": 0.9,
    "LAW": 0.7,
    "LOC": 0.8,
    "GPE": 0.7,
    "PRODUCT": 0.6,
    "WORK_OF_ART": 0.6,
    "NORP": 0.3,
}
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})

# Casefolded names so frequent in news that sharing them links nothing: superpowers and blocs,
# and wire agencies that appear in bylines and photo credits of unrelated stories.
UBIQUITOUS_NAMES: frozenset[str] = frozenset(
    {
        "united states",
        "us",
        "u.s.",
        "usa",
        "america",
        "american",
        "americans",
        "china",
        "chinese",
        "russia",
        "europe",
        "european union",
        "eu",
        "united kingdom",
        "uk",
        "britain",
        "united nations",
        "un",
        "afp",
        "agence france-presse",
        "reuters",
        "ap",
        "associated press",
        "bloomberg",
        "getty images",
    }
)

# Calendar words are dates, not events (and frequent enough to link unrelated news of one weekday).
CALENDAR_WORDS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "today",
        "yesterday",
        "tomorrow",
        "week",
        "weekend",
        "month",
        "year",
        "morning",
        "afternoon",
        "evening",
        "night",
    ]
)
# Published-at sources precise enough to place an event in time (an inferred date from an image
# path or caption may be an archive photo's; ingestion time is no publication date at all).
TRUSTED_TIME_SOURCES = frozenset({"explicit", "html_meta", "dateline"})

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
_ASCII_WORD_SPLIT = re.compile(r"([A-Za-z]+(?:'[A-Za-z]+)*)")  # the same on ASCII text, faster

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# "KATHMANDU, March 4 (Reuters) - ", "PORT SUDAN, Sudan, Sept. 19, 2026 (AP) — ": an upper-case place,
# optionally a region, then the month and day (and year), an optional agency, then a dash.
_DATELINE = re.compile(
    r"\s*[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .'’-]{1,30})?,\s*"
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?\s*"
    r"(?:\([^()]{1,40}\)\s*)?[-–—]"
)
# A dateline's day is a local calendar day; noon UTC is within half a day of it anywhere.
_NOON = timedelta(hours=12)


# Where a capitalised word is no evidence of a name: the first word of a sentence, a quote, a
# heading or a list item.
_SENTENCE_OPENERS = frozenset(".!?:;\"“”‘'(—–-•*\n")
# An untagged proper noun's strength as a name: a quarter of a salient person's, since the
# recogniser's own names are the better witnesses (more untagged words only dilute them).
UNTAGGED_NAME_WEIGHT = 0.25


def untagged_names(body: str, tagged: set[str]) -> set[str]:
    """Words the body writes capitalised wherever it uses them mid-sentence, and never in lower case,
    that no entity carries: names the entity recogniser missed ("Independiente", "Suneung").

    They say who and where, not what happened: in a headline a club's name would make the transfer
    dispute three days after a derby look like a follow-up of the match (the same clubs, another event).
    """
    return _untagged(body_words(body), tagged)


@dataclass(frozen=True, slots=True)
class BodyWords:
    """One reading of a body: its :func:`words`, and the words it writes in lower case and those it
    writes capitalised mid-sentence (the evidence of :func:`untagged_names`)."""

    words: list[str]
    lower: set[str]
    capitalised: set[str]


def body_words(body: str) -> BodyWords:
    """``body``'s words and case evidence, from one pass over its tokens when :func:`words` would
    find the same tokens (folded); else from the two readings apart."""
    if not _folds_alike(body):
        return BodyWords(words(body), *_case_evidence(body, []))
    out: list[str] = []
    return BodyWords(out, *_case_evidence(body, out))


def _case_evidence(body: str, out: list[str]) -> tuple[set[str], set[str]]:
    """(lower-case words, words capitalised mid-sentence) of ``body``; extends ``out`` with every word."""
    parts = (_ASCII_WORD_SPLIT if body.isascii() else _WORD_SPLIT).split(body)  # gap, token, ..., gap
    tokens = parts[1::2]
    start = len(out)
    out.extend(map(_fold_word, tokens))
    upper = list(map(str.isupper, map(itemgetter(0), tokens)))
    lower = set(compress(out[start:], map(not_, upper)))
    capitalised = {
        out[start + i] for i in compress(range(len(tokens)), upper) if not _opens_after(parts[2 * i], i == 0)
    }
    return lower, capitalised


def _opens_after(gap: str, first: bool) -> bool:
    """Whether a word after ``gap`` (the text since the previous word, which ends in a letter) follows
    a sentence opener past spaces and tabs, or nothing (it is the first word)."""
    rest = gap.rstrip(" \t")
    return rest[-1] in _SENTENCE_OPENERS if rest else first


def _untagged(read: BodyWords, tagged: set[str]) -> set[str]:
    return {
        word
        for word in read.capitalised - read.lower - tagged
        if len(word) >= MIN_WORD_LENGTH and word not in _DATE_WORDS and not is_stopword(word)
    }


_DATE_WORDS = CALENDAR_WORDS | MONTHS.keys()


@lru_cache(maxsize=200_000)
def _fold_word(token: str) -> str:
    """A token's word as :func:`words` writes it (cached: news repeats its vocabulary)."""
    return fold_accents(token.casefold()).replace("’", "'").removesuffix("'s")


def _char_class(text: str) -> str:
    return "a" if text in ("'", "’") else "w" if _LETTER.fullmatch(text) else "-"


_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=10_000)
def _folds_alone(char: str) -> bool:
    """Whether folding ``char`` (casefold, then diacritics off) keeps its class for the tokeniser:
    a letter stays one or more letters, an apostrophe itself, anything else one or more non-letters.
    (Folding works character by character, so then a folded text has the folded tokens.)"""
    folded = fold_accents(char.casefold())
    kind = _char_class(char)
    if kind == "a":
        return folded == char
    return bool(folded) and all(_char_class(c) == kind for c in folded)


def _folds_alike(text: str) -> bool:
    """Whether :func:`words` of ``text`` are its own tokens, each folded by :func:`_fold_word`."""
    return text.isascii() or all(_folds_alone(c) for c in set(text) if not c.isascii())


def normalise_name(name: str) -> str:
    return " ".join(name.casefold().split())


def fold_accents(text: str) -> str:
    """``text`` without diacritics: outlets write "Vučić" and "Vucic", "A Coruña" and "A Coruna"."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lower-case alphabetic words without diacritics, possessive "'s" dropped."""
    return [
        word.replace("’", "'").removesuffix("'s") if "'" in word or "’" in word else word
        for word in _WORD.findall(fold_accents(text.casefold()))
    ]


@lru_cache(maxsize=100_000)
def _name_words_of(name: str) -> frozenset[str]:
    return frozenset(words(name))


@cache
def _english_stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """The Snowball (Porter2) English stem: "killed", "kills" -> "kill"; "charges", "charged" -> "charg"."""
    return str(_english_stemmer().stemWord(word))


def _unit(weights: Mapping[str, float], limit: int) -> dict[str, float]:
    """The ``limit`` heaviest entries (ties by key), scaled to unit length and rounded."""
    top = [(k, -w) for w, k in sorted((-w, k) for k, w in weights.items() if w > 0.0)[:limit]]
    norm = math.sqrt(sum(w * w for _, w in top))
    if norm == 0.0:
        return {}
    return {k: round(w / norm, DIGITS) for k, w in top}


def _shares(weights: Mapping[str, float], limit: int) -> dict[str, float]:
    """The ``limit`` heaviest entries as shares summing to 1, rounded (deterministic ties by key)."""
    top = [(k, -w) for w, k in sorted((-w, k) for k, w in weights.items())[:limit]]
    total = sum(w for _, w in top)
    return {k: round(w / total, DIGITS) for k, w in top} if total > 0.0 else {}


def squares(a: Mapping[str, float]) -> float:
    """The sum of the squared weights of a sparse vector (its squared norm)."""
    return sum(w * w for w in a.values())


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two sparse vectors (0.0 if either is empty)."""
    return cosine_of(a, squares(a), b, squares(b))


def cosine_of(a: Mapping[str, float], a_squares: float, b: Mapping[str, float], b_squares: float) -> float:
    """:func:`cosine` of vectors whose :func:`squares` are known (a profile's, a centroid's)."""
    if len(a) > len(b):
        a, b = b, a
    # Keys of one vector only would add 0.0: skipped, the sum is the same.
    dot = sum(w * b[k] for k, w in a.items() if k in b)
    if dot == 0.0:
        return 0.0
    norm = math.sqrt(a_squares * b_squares)
    return dot / norm if norm else 0.0


@dataclass(frozen=True, slots=True)
class ArticleProfile:
    """The story evidence of one article (see module doc). JSON form: ``to_json``/``from_json``."""

    terms: dict[str, float]
    names: dict[str, float]
    places: list[str] = field(default_factory=list)
    time: float | None = None  # trustworthy publication time (epoch s), else None
    dateline: str | None = None  # "MM-DD" or "YYYY-MM-DD" of a wire dateline, when ``time`` is None
    # The event terms of the title alone (weights summing to 1): what the headline says happened.
    headline: dict[str, float] = field(default_factory=dict)
    # The vectors' squared norms, computed once (every candidate story compares against them).
    term_squares: float = field(init=False, repr=False, compare=False)
    name_squares: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "term_squares", squares(self.terms))
        object.__setattr__(self, "name_squares", squares(self.names))

    def event_time(self, arrival: float) -> float:
        """When the article reports: its publication time, else its dateline day, else its arrival.

        Never after the arrival, so a future-dated article cannot stand for an event that has not
        happened yet.
        """
        if self.time is not None:
            return min(self.time, arrival)
        if self.dateline is not None:
            day = dateline_time(self.dateline, arrival)
            if day is not None:
                return min(day, arrival)
        return arrival

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"t": self.terms, "n": self.names}
        if self.places:
            out["p"] = list(self.places)
        if self.time is not None:
            out["ts"] = self.time
        if self.dateline is not None:
            out["dl"] = self.dateline
        if self.headline:
            out["h"] = self.headline
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ArticleProfile:
        time = data.get("ts")
        return cls(
            terms={str(k): float(v) for k, v in data["t"].items()},
            names={str(k): float(v) for k, v in data["n"].items()},
            places=[str(p) for p in data.get("p", ())],
            time=None if time is None else float(time),
            dateline=None if data.get("dl") is None else str(data["dl"]),
            headline={str(k): float(v) for k, v in data.get("h", {}).items()},
        )


def _name_words(entities: Iterable[Entity]) -> set[str]:
    """Every word of every entity mention (all types): these are names or dates, not event terms."""
    out: set[str] = set()
    for entity in entities:
        out.update(_name_words_of(entity.name))
        for form in entity.surface_forms:
            out.update(_name_words_of(form))
    return out


@lru_cache(maxsize=200_000)
def _term(word: str) -> tuple[str, float] | None:
    """(stem, weight) of a word that can be an event term; None for short, calendar and frequent words.

    Cached: news repeats its vocabulary, and stemming and rarity are most of a profile's cost.
    """
    if len(word) < MIN_WORD_LENGTH or word in CALENDAR_WORDS or is_stopword(word):
        return None
    return stem(word), rarity(word) ** RARITY_POWER


def clear_word_caches() -> None:
    """Forget cached word stems and name words (benchmarks measure the cost of unseen words)."""
    _term.cache_clear()
    _name_words_of.cache_clear()
    _fold_word.cache_clear()
    _name_word_rarity.cache_clear()
    _figure.cache_clear()


# Figures: a toll, a score, a rate, a count of recalled cars. Reports of one event repeat its
# figures ("612 deaths", "81-78", "4.25%") where a feature or an explainer shares few of its words;
# another event of the same actors has figures of its own. A figure is a term ``#<digits>``
# (thousands separators dropped), as rare as its significant digits make it (wordfreq puts a
# number of n digits at about 9 - 1.5 n): one significant digit (5, 40, 2,000) is too common to
# tell anything, and a year is a date.
FIGURE_MARK = "#"
# Not within a word or another figure ("X70", "12/3"): the look-behind follows the first digit, so
# the search skips ahead to digits (three times faster than a look-behind first).
_FIGURE = re.compile(r"\d(?<![\w.,%/-].)\d*(?:[.,]\d+)*(?:[-–]\d+(?:[.,]\d+)*)?%?(?![\w/-])")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_YEAR = re.compile(r"(?:19|20)\d\d")
_LEAD_END = re.compile(rf"(?:\S+\s+){{{LEAD_WORDS}}}")
FIGURE_RARITY_BASE = 0.75
FIGURE_RARITY_PER_DIGIT = 1.5


@lru_cache(maxsize=100_000)
def _figure(text: str) -> tuple[str, float] | None:
    """(term, weight) of a figure as written; None for a year or a figure of one significant digit."""
    if _YEAR.fullmatch(re.split("[-–]", text)[0]):
        return None  # a year, or a season ("2025-26"); "1,900" is a count
    figure = _THOUSANDS.sub("", text).replace(",", ".").replace("–", "-").rstrip("%")
    significant = len("".join(c for c in figure if c.isdigit()).strip("0"))
    if significant < 2:
        return None
    rare = min(MAX_RARITY, FIGURE_RARITY_BASE + FIGURE_RARITY_PER_DIGIT * significant)
    return FIGURE_MARK + figure, rare**RARITY_POWER


def figures(text: str) -> list[str]:
    """The figures written in ``text``, as written ("41,018", "81-78", "4.25%")."""
    return _FIGURE.findall(text)


def figure_parts(title: str, body: str) -> tuple[list[str], list[str], list[str]]:
    """The figures of the title, the lead (its first ``LEAD_WORDS`` words as written) and the rest."""
    lead = _LEAD_END.match(body)
    cut = lead.end() if lead else len(body)
    return figures(title), figures(body[:cut]), figures(body[cut:])


def term_weights(
    title_words: list[str],
    body_words: list[str],
    excluded: set[str],
    figure_words: tuple[list[str], list[str], list[str]] = ([], [], []),
) -> dict[str, float]:
    """Rarity-weighted, sublinear term frequencies of the :func:`words` of title, lead and the rest
    of the body, and of their figures (``figure_words``: :func:`figure_parts`)."""
    title_figures, lead_figures, rest_figures = figure_words
    parts = (
        (title_words, TITLE_WEIGHT, _term),
        (body_words[:LEAD_WORDS], LEAD_WEIGHT, _term),
        (body_words[LEAD_WORDS:], BODY_WEIGHT, _term),
        (title_figures, TITLE_WEIGHT, _figure),
        (lead_figures, LEAD_WEIGHT, _figure),
        (rest_figures, BODY_WEIGHT, _figure),
    )
    counts: dict[str, float] = {}
    weight_of: dict[str, float] = {}
    for tokens, weight, term_of in parts:
        # Each distinct word once: its occurrences times the weight (multiples of 1/4: exact sums).
        for word, times in Counter(tokens).items():
            term = None if word in excluded else term_of(word)
            if term is None:
                continue
            key, rare = term
            counts[key] = counts.get(key, 0.0) + weight * times
            weight_of[key] = max(weight_of.get(key, 0.0), rare)
    return {
        key: (1.0 + math.log(count)) * weight_of[key] if count >= 1.0 else count * weight_of[key]
        for key, count in counts.items()
    }


def adjectives_apart(entities: Iterable[Entity]) -> list[Entity]:
    """The entities as stories weigh them: a place adjective that the enrichment counted as a
    mention of the place the article also writes ("Dutch" beside "the Netherlands") is a
    nationality word here again, its own NORP entity at the place's salience (weight 0.3, not a
    named place's 0.7). A report on a Dutch sheep farm and a Dutch farm buyout share the country;
    the adjective says where the actors come from, not where the event is, and joining it to the
    place gave the place a routing slot's worth more of the event evidence than it carries (set d,
    publication order: the buyout met the bluetongue reports through a freed slot, F1 0.909 ->
    0.882). An adjective alone (the place never written) stays the place, as before the join."""
    out: list[Entity] = []
    for entity in entities:
        out.append(entity)
        if entity.type not in PLACE_TYPES or len(entity.surface_forms) < 2:
            continue
        place = entity.name.casefold()
        adjectives = [f for f in entity.surface_forms if _adjective_of(f.casefold(), place)]
        if adjectives and len(adjectives) < len(entity.surface_forms):
            out.extend(replace(entity, name=form, type="NORP", surface_forms=[form]) for form in adjectives)
    return out


def _adjective_of(form: str, place: str) -> bool:
    return form in DEMONYMS or derives_from(form, place)


def name_weights(entities: Iterable[Entity]) -> tuple[dict[str, float], list[str]]:
    """Weights of the words of salient names, and the article's places (most salient first)."""
    weights: dict[str, float] = {}
    places: dict[str, float] = {}
    for entity in adjectives_apart(entities):
        type_weight = TYPE_WEIGHTS.get(entity.type, 0.0)
        name = normalise_name(entity.name)
        if type_weight <= 0.0 or not name or name in UBIQUITOUS_NAMES:
            continue
        strength = type_weight * (0.25 + max(0.0, min(entity.salience, 1.0)))
        for word in _name_words_of(name):
            rare = _name_word_rarity(word)
            if rare is not None:
                weights[word] = max(weights.get(word, 0.0), strength * rare)
        if entity.type in PLACE_TYPES:
            places[name] = max(places.get(name, 0.0), entity.salience)
    ranked_places = sorted(places, key=lambda p: (-places[p], p))[:MAX_PLACES]
    return weights, ranked_places


@lru_cache(maxsize=100_000)
def _name_word_rarity(word: str) -> float | None:
    """The weight of a word of a salient name before its entity's strength; None for a letter or a
    frequent word (cached like :func:`_term`)."""
    return None if len(word) < 2 or is_stopword(word) else rarity(word) ** RARITY_POWER


def trusted_time(published_at: datetime | None, source: str | None) -> float | None:
    """``published_at`` as epoch seconds when its source places the article in time, else None."""
    if published_at is None or source not in TRUSTED_TIME_SOURCES:
        return None
    moment = published_at if published_at.tzinfo else published_at.replace(tzinfo=UTC)
    return moment.timestamp()


def dateline_day(body: str) -> str | None:
    """The day of a wire dateline opening ``body``: "MM-DD", or "YYYY-MM-DD" when it names the year."""
    found = _DATELINE.match(body[:120])
    if found is None:
        return None
    month = MONTHS.get(found["month"].casefold())
    day = int(found["day"])
    if month is None or not 1 <= day <= 31:
        return None
    return f"{found['year']}-{month:02d}-{day:02d}" if found["year"] else f"{month:02d}-{day:02d}"


def dateline_time(dateline: str, arrival: float) -> float | None:
    """Noon UTC of a dateline day; without a year, the latest such day not after the arrival's day."""
    parts = [int(p) for p in dateline.split("-")]
    arrived = datetime.fromtimestamp(arrival, UTC)
    years = [parts[0]] if len(parts) == 3 else [arrived.year + 1, arrived.year, arrived.year - 1]
    month, day = parts[-2], parts[-1]
    for year in years:
        try:
            moment = datetime(year, month, day, tzinfo=UTC) + _NOON
        except ValueError:
            continue  # February 29 of a non-leap year, or a bad day
        if len(parts) == 3 or moment.date() <= arrived.date():
            return moment.timestamp()
    return None


# A publication time this far from its own dateline's day (noon UTC) is not the article's: datelines
# name the local day, and a report can go out the next day.
DATELINE_TOLERANCE_S = 2 * 86_400.0


def agrees_with_dateline(time: float, dateline: str) -> bool:
    """Whether a publication time falls near the day of the article's dateline (its year, when the
    dateline has none, taken as the latest not after that time)."""
    day = dateline_time(dateline, time + DATELINE_TOLERANCE_S)
    return day is not None and abs(time - day) <= DATELINE_TOLERANCE_S


def build_profile(
    *,
    title: str | None,
    body: str,
    entities: Iterable[Entity],
    published_at: datetime | None,
    published_at_source: str | None,
) -> ArticleProfile:
    """The profile of one enriched article (pure and deterministic)."""
    entity_list = list(entities)
    names, places = name_weights(entity_list)
    excluded = _name_words(entity_list)
    # Names the recogniser missed count as names too, and stay among the terms (another report may
    # carry them untagged as well), but not in the headline, which says what happened.
    read = body_words(body)
    untagged = _untagged(read, excluded)
    for word in untagged:
        names[word] = max(names.get(word, 0.0), UNTAGGED_NAME_WEIGHT * rarity(word) ** RARITY_POWER)
    title_words = words(title or "")
    figure_words = figure_parts(title or "", body)
    terms = term_weights(title_words, read.words, excluded, figure_words)
    headline = term_weights(title_words, [], excluded | untagged, (figure_words[0], [], []))
    time = trusted_time(published_at, published_at_source)
    dateline = dateline_day(body)
    if time is not None and dateline is not None and not agrees_with_dateline(time, dateline):
        time = None  # a CMS default (1970) or a crawl time: the wire dateline says when it reports
    dateline = dateline if time is None else None
    if time is None and dateline is None and published_at_source == "inferred" and published_at is not None:
        # A date in the URL or an image path: a weaker witness than the three above, but arrival
        # time is certainly wrong for an old article read in a backfill.
        time = (published_at if published_at.tzinfo else published_at.replace(tzinfo=UTC)).timestamp()
    return ArticleProfile(
        terms=_unit(terms, MAX_TERMS),
        names=_unit(names, MAX_NAME_WORDS),
        places=places,
        time=time,
        dateline=dateline,
        headline=_shares(headline, MAX_HEADLINE_TERMS),
    )
