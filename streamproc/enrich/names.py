"""Forms of names (pure): corporate suffixes, acronyms, model designators, titles, stable ids.

These are rules about how English news writes names, not lists of particular names:

- a legal form at the end of an organisation name ("Inc.", "Corp.", "Ltd", "PLC", "N.V.", "AG")
  is not part of how the organisation is referred to, so it never takes part in its canonical
  name ("Apple Inc." and "Apple" are one name everywhere, with no state);
- a generic organisation word at the end ("Company", "Group", "Holdings", "Computer", "Motors")
  can be dropped only when the article itself uses the shorter form ("Apple Computer" with
  "Apple"; "General Motors" alone stays whole);
- an acronym is a run of 2-6 capitals whose letters are the initials of a longer name (function
  words such as "of", "and" may or may not count, a word may give more than its first letter:
  EADS = European Aeronautic Defence and Space, USAF = United States Air Force);
- a short form need not spell initials: it may be cut from the starts of the name's words, some
  skipped ("Fed" = Federal Reserve, "Caltech" = California Institute of Technology, "BofA" =
  Bank of America), or spell a one-word compound name by its parts' capitals ("VW" =
  Volkswagen); it must shorten at least one word (a whole word, "Amazon" for "Amazon Web
  Services", is the truncation rule's case, where the long form is more often a part);
- a model designator ("A380", "747", "737-800", "A400M") after a maker's name makes a product
  name ("Airbus A380"), which is an entity of its own, not its maker;
- a designator that starts with its maker's initial ("A380" of Airbus, "E190" of Embraer) names
  the product without the maker, so "Airbus A380", "the A380" and "Airbus 380" (next to "A380")
  are all named "A380" in every article, whichever form an article happens to use or meet first;
  a bare number ("Boeing 787") keeps its maker;
- a brand written in mixed case ("iTunes", "eBay") followed by words for its shop or its software
  ("Music Store", "Store", "Software") is referred to by the brand: "the iTunes Music Store",
  "iTunes Store" and "iTunes" are one name in every article, with no state;
- a capitalised word after a model designator is the model's nickname ("787 Dreamliner", "Boeing
  787 Dreamliner"), unless it names a variant ("Galaxy S24 Ultra", "A330 Neo"): the product is
  named by its maker and designator ("Boeing 787"), the nickname is another form of it;
- ``entity_id`` is a pure function of the canonical name and a coarse type, so two articles that
  resolve to the same name give the same id.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence

_SPACE = re.compile(r"\s+")

# A football club's designator, written before or after its name ("FC Bayern Munich", "Chelsea
# F.C.", "AFC Bournemouth"): like a legal form, it is not part of the name news repeats.
CLUB_FORMS = frozenset({"fc", "afc", "cf"})
# Legal forms written after organisation names (compared without periods, case-folded).
LEGAL_FORMS = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "ltd",
        "limited",
        "plc",
        "llc",
        "llp",
        "lp",
        "nv",
        "bv",
        "ag",
        "sa",
        "sas",
        "spa",
        "gmbh",
        "co",
        "pty",
        "kk",
        "oyj",
        "asa",
        "ab",
        "se",  # Societas Europaea: "Airbus SE", "Allianz SE"
        # Nordic, Central European and other forms news copies from registries: "Equinor ASA",
        # "Maersk A/S", "Vltava Holdings a.s.", "Vágur Aling P/F" (Faroese), "Nokia Oyj", "Wizz Kft."
        "as",
        "a/s",
        "aps",
        "p/f",
        "hf",
        "ehf",
        "oy",
        "sro",
        "srl",
        "sarl",
        "kft",
        "zrt",
        "nyrt",
        "doo",
        "bhd",
        "kaisha",  # Japanese "company": "Kabushiki Kaisha" (K.K.), "Hoshino Kisen Kaisha"
        "kabushiki",
        *CLUB_FORMS,
    }
)
# Generic organisation words: dropped at the end of a name only when the shorter name is also
# used in the same article (see module doc).
GENERIC_ORG_WORDS = frozenset(
    {
        "company",
        "corporation",
        "group",
        "holdings",
        "holding",
        "computer",
        "computers",
        "motor",
        "motors",
        "industries",
        "international",
        "incorporated",
        "enterprises",
        # words of a company's trade or reach that its short name leaves out ("Cisco Systems",
        # "Meta Platforms", "Coinbase Global", "Dell Technologies", "Kraft Foods"); not
        # "Services", which ends units' names ("Amazon Web Services").
        "systems",
        "platforms",
        "global",
        "technologies",
        "foods",
    }
)
# Words that may be skipped (or contribute their initial) when matching an acronym.
# Foreign names' articles, prepositions and "and" too (Spanish, Portuguese, Italian, French,
# German, Dutch), which their acronyms skip as English ones skip "of": "Corporación Nacional del
# Cobre", "Banco Bilbao Vizcaya Argentaria", "Sociedad Química y Minera" (SQM), "Deutsche
# Gesellschaft für ...".
ACRONYM_FUNCTION_WORDS = frozenset(
    {"of", "and", "the", "for", "de", "du", "des", "la", "le", "&", "in", "on", "at"}
    | {"del", "della", "delle", "dei", "degli", "di", "da", "do", "dos", "das", "y", "e", "et", "el"}
    | {"los", "las", "les", "und", "der", "den", "für", "fur", "van", "von", "het", "voor"}
)

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,5}$")
# Mixed-case acronyms keep at least two capitals: "DoD", "PGNiG" (not "Nasdaq", not "iPod").
_MIXED_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&]{1,5}$")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
# A model designator: letters + digits ("A380", "A400M", "777-200LR", "747", "3G" excluded: no
# leading digit run of 1 with letters only after it is fine too: "iPhone 4").
# A small letter may lead the capitals: a maker's electric line ("iX3", "eC4").
DESIGNATOR = re.compile(r"^(?:[a-z]?[A-Z]{1,2}-?)?\d{1,4}(?:-\d{1,4})?[A-Z]{0,3}$")
# After a designator these mean a quantity, not a model ("Airbus 300 million").
_QUANTITY_AFTER = re.compile(r"\s*(?:%|percent\b|per cent\b|million\b|billion\b|thousand\b|[.,]\d)", re.I)

# The designator, an optional series word in capitals ("737 MAX") and an optional plural "s".
_DESIGNATOR_AFTER = re.compile(
    r" ((?:[a-z]?[A-Z]{1,2}-?)?\d{1,4}(?:-\d{1,4})?[A-Z]{0,3})(?: [A-Z]{2,5}(?![\w'’-]))?(s?)(?![\w%-])"
)

# Words that name a variant of a model, not a nickname of the model ("S24 Ultra", "737 Max").
VARIANT_WORDS = frozenset(
    {
        "ultra",
        "plus",
        "pro",
        "max",
        "mini",
        "lite",
        "air",
        "neo",
        "classic",
        "touch",
        "nano",
        "edge",
        "note",
        "sport",
        "turbo",
        "prime",
        "freighter",
        "combi",
        "special",
        "limited",
        "standard",
        "deluxe",
        "premium",
        "hybrid",
        "electric",
        "series",
        "model",
        "version",
    }
)


def nickname_split(name: str) -> tuple[str, str] | None:
    """ "Boeing 787 Dreamliner" -> ("Boeing 787", "Dreamliner"), "787 Dreamliners" -> ("787",
    "Dreamliner"); None when the last word is not a nickname after a designator (see module doc)."""
    tokens = name.split()
    if len(tokens) < 2 or not is_designator(tokens[-2].upper()):
        return None
    nick = tokens[-1]
    if nick.endswith("s") and not nick.endswith("ss"):
        nick = nick[:-1]
    if len(nick) < 4 or not nick[0].isupper() or not nick[1:].islower() or nick.casefold() in VARIANT_WORDS:
        return None
    return " ".join(tokens[:-1]), nick


# Words of office or role written before a person's name; they are not part of the name.
ROLE_WORDS = frozenset(
    {
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chairman",
        "chairwoman",
        "president",
        "vice-president",
        "ceo",
        "cfo",
        "analyst",
        "senator",
        "sen",
        "rep",
        "representative",
        "congressman",
        "congresswoman",
        "minister",
        "prime",
        "secretary",
        "governor",
        "gov",
        "judge",
        "justice",
        "professor",
        "prof",
        "dr",
        "mr",
        "mrs",
        "ms",
        "sir",
        "lord",
        "dame",
        "general",
        "gen",
        "colonel",
        "col",
        "captain",
        "capt",
        "lieutenant",
        "lt",
        "sergeant",
        "sgt",
        "admiral",
        "adm",
        "mayor",
        "pope",
        "king",
        "queen",
        "prince",
        "princess",
        "chancellor",
        "director",
        "chief",
        "executive",
        "officer",
        "founder",
        "co-founder",
        "commissioner",
        "ambassador",
        "economist",
        "reporter",
        "correspondent",
    }
)


@functools.lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Comparison key: case, periods, apostrophe style, dashes and spacing do not distinguish names."""
    text = unicodedata.normalize("NFKC", name).replace("’", "'").replace(".", "")
    text = text.replace("–", "-").replace("—", "-")
    return _SPACE.sub(" ", text).strip().casefold()


def _bare(token: str) -> str:
    return token.replace(".", "").replace(",", "").casefold()


def strip_legal_form(name: str) -> str:
    """ "Apple Inc." -> "Apple", "EADS N.V." -> "EADS", "Procter & Gamble Co." -> "Procter & Gamble",
    "Eli Lilly and Co." -> "Eli Lilly",
    "FC Bayern Munich" -> "Bayern Munich"; a name that is nothing but a legal form is returned
    unchanged."""
    tokens = name.split()
    if len(tokens) > 1 and _bare(tokens[0]) in CLUB_FORMS:
        tokens.pop(0)
    while len(tokens) > 1 and _bare(tokens[-1]) in LEGAL_FORMS and not _english_word(tokens[-1]):
        tokens.pop()
        if len(tokens) > 1 and tokens[-1] in {"&", "and"}:  # "... & Co.", "Eli Lilly and Co."
            tokens.pop()
    if len(tokens) == len(name.split()):
        return name
    return " ".join(tokens).rstrip(",")


# Legal forms that are also English words: a form only in capitals or with periods ("Equinor
# AS", "a.s."), not "Known As".
_WORD_FORMS = frozenset({"as"})


def _english_word(token: str) -> bool:
    return _bare(token) in _WORD_FORMS and "." not in token and not token.isupper()


def generic_tail_stripped(name: str) -> str | None:
    """The name without trailing generic organisation words ("Apple Computer" -> "Apple"), or None
    when it has none or nothing would be left."""
    tokens = name.split()
    end = len(tokens)
    while end > 1 and _bare(tokens[end - 1]) in GENERIC_ORG_WORDS:
        end -= 1
    if end == len(tokens):
        return None
    return " ".join(tokens[:end]).rstrip(",")


# A last word that places a company's unit rather than completing its name ("Toyota Canada",
# "Airbus Americas"): continents and world regions; countries are ``COUNTRY_WORDS``' business.
REGION_WORDS = frozenset(
    {"africa", "america", "americas", "asia", "europe", "oceania", "pacific", "atlantic", "international"}
)
_TITLE_WORD = re.compile(r"^[A-Z][a-z]+$")


def truncated_name(name: str, *, country_words: frozenset[str] = frozenset()) -> str | None:
    """The name without its last word when that is how an organisation's name is cut short
    ("Lockheed Martin" -> "Lockheed", "Samsung Electronics" -> "Samsung"), else None: the last word
    is a plain capitalised word (not a designator, acronym or initial: "Samsung MX", "T-Mobile US",
    "iPhone 4"), not a region or country ("GM Europe"), and what is left is one word that is not an
    acronym ("GM Canada" is a unit of GM) nor a function word."""
    tokens = strip_legal_form(name).split()
    if len(tokens) != 2 or not _TITLE_WORD.match(tokens[1]) or not tokens[0][:1].isupper():
        return None
    last, first = tokens[1].casefold(), tokens[0]
    if (
        last in REGION_WORDS
        or last in country_words
        or is_acronym(first)
        or _bare(first) in ACRONYM_FUNCTION_WORDS
    ):
        return None
    return first


def leading_word(name: str) -> str | None:
    """The first word of an organisation's name of three or more capitalised words, the form news
    cuts such a name to ("Lloyds" of "Lloyds Banking Group"), else None: not when a small word is
    inside ("Bank of England": "the Bank" is a reference within its article, not a name), nor
    when the first word is an acronym or a function word."""
    tokens = strip_legal_form(name).split()
    if len(tokens) < 3 or not all(token[:1].isupper() for token in tokens):
        return None
    first = tokens[0]
    if not _TITLE_WORD.match(first) or _bare(first) in ACRONYM_FUNCTION_WORDS:
        return None
    return first


# Nationality adjectives that lead a company's full name, which news drops ("Deutsche Lufthansa" ->
# "Lufthansa", "Deutsche Telekom" -> "Telekom"), in the forms company names use.
NATIONALITY_WORDS = frozenset(
    {
        "deutsche",
        "deutscher",
        "deutsches",
        "german",
        "british",
        "american",
        "french",
        "swiss",
        "dutch",
        "japanese",
        "chinese",
        "korean",
        "canadian",
        "australian",
        "italian",
        "spanish",
        "danish",
        "swedish",
        "norwegian",
        "finnish",
        "irish",
        "scottish",
        "indian",
        "brazilian",
        "russian",
        "polish",
        "austrian",
        "belgian",
        "turkish",
        "mexican",
        "saudi",
        "nippon",
        "française",
        "francaise",
        "italiana",
        "española",
        "espanola",
        "österreichische",
        "schweizerische",
    }
)


def nationality_dropped(name: str) -> str | None:
    """The name without a leading nationality word ("Deutsche Lufthansa" -> "Lufthansa"), when
    what is left is one capitalised word that is not an acronym or designator, else None."""
    tokens = strip_legal_form(name).split()
    if len(tokens) != 2 or tokens[0].casefold() not in NATIONALITY_WORDS:
        return None
    rest = tokens[1]
    return rest if _TITLE_WORD.match(rest) else None


@functools.lru_cache(maxsize=8192)
def is_acronym(name: str) -> bool:
    """2-6 capitals (digits and '&' allowed after the first), periods ignored: "GM", "EADS", "U.S.";
    or a mixed-case one with at least two capitals and more capitals than small letters: "DoD"."""
    bare = name.replace(".", "")
    if _ACRONYM.match(bare):
        return True
    upper = sum(ch.isupper() for ch in bare)
    return bool(_MIXED_ACRONYM.match(bare)) and upper >= 2 and upper > sum(ch.islower() for ch in bare)


def initials(name: str) -> str | None:
    """The capitals an acronym of ``name`` would most plainly have: each capitalised word's initial,
    all the letters of an acronym word, function words skipped, accents dropped ("Medical Research
    Council" -> "MRC", "US Air Force" -> "USAF", "Électricité de France" -> "EF"); None for fewer
    than two such words, a lower-case content word (not a proper name) or more than 6 letters."""
    letters: list[str] = []
    words = _words_for_acronym(name)
    for word in words:
        if word.casefold() in ACRONYM_FUNCTION_WORDS:
            continue
        if not word[0].isupper():
            return None
        letters.append(word if is_acronym(word) else word[0])
    folded = _unaccented("".join(letters)).upper()
    if len(letters) < 2 or not 2 <= len(folded) <= 6 or not folded.isalpha():
        return None
    return folded


def _words_for_acronym(name: str) -> list[str]:
    words = re.split(r"[\s\-/]+", strip_legal_form(name).replace(".", ""))
    return [w for w in words if w]


def acronym_matches(acronym: str, name: str) -> bool:
    """True if ``acronym``'s letters are the initials of ``name``'s words, with or without its
    generic last words ("EADS": "European Aeronautic Defence and Space Company") or a last
    "and <word>" added to the name after the acronym was coined ("CDC": "Centers for Disease
    Control and Prevention"); see module doc."""
    short = generic_tail_stripped(strip_legal_form(name))
    added = _ADDED_LAST_WORD.sub("", name)
    return (
        _initials_match(acronym, name)
        or (short is not None and _initials_match(acronym, short))
        or (added != name and _initials_match(acronym, added))
    )


_ADDED_LAST_WORD = re.compile(r"\s+(?:and|&)\s+\S+$")


# Legal forms that abbreviate a word of the name and so may give the acronym a letter: the "C" of
# "TSMC" is the "Co." of "Taiwan Semiconductor Manufacturing Co.".
_LEGAL_WORDS_IN_ACRONYMS = frozenset({"co", "corp", "company", "corporation"})


def acronym_matches_written(acronym: str, written: str) -> bool:
    """``acronym_matches`` on a name as written, where its last word is a legal form that stands
    for a word of the name ("Co.", "Corp."): "TSMC" for "Taiwan Semiconductor Manufacturing Co."."""
    words = written.replace(".", "").replace(",", "").split()
    if len(words) < 3 or words[-1].casefold() not in _LEGAL_WORDS_IN_ACRONYMS:
        return False
    return _initials_match(acronym, " ".join(words), keep_legal_form=True)


def _unaccented(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode() or word


def _initials_match(acronym: str, name: str, *, keep_legal_form: bool = False) -> bool:
    letters = acronym.replace(".", "").casefold()
    words = [  # accents dropped: "EDF" is "Électricité de France"
        _unaccented(w).casefold()
        for w in (re.split(r"[\s\-/]+", name) if keep_legal_form else _words_for_acronym(name))
        if w
    ]
    content = [w for w in words if w not in ACRONYM_FUNCTION_WORDS]
    if len(content) < 2 or len(letters) < 2:
        return False
    return _spelled_by_starts(
        letters, tuple(words), lambda _, word: (1, min(len(word), 3)), ACRONYM_FUNCTION_WORDS.__contains__
    )


def _spelled_by_starts(
    letters: str,
    words: tuple[str, ...],
    bounds: Callable[[int, str], tuple[int, int]],
    optional: Callable[[str], bool] = lambda _: False,
) -> bool:
    """Is ``letters`` the starts of ``words`` in order, one piece from each: from word ``j`` the first
    ``least`` to ``most`` letters (``bounds(j, word)``), or none from a word ``optional`` allows to
    be skipped. The one prefix matcher of initials ("EADS") and syllabic acronyms ("Ofgem")."""

    @functools.cache
    def match(i: int, j: int) -> bool:
        if j == len(words):
            return i == len(letters)
        word = words[j]
        if optional(word) and match(i, j + 1):
            return True
        least, most = bounds(j, word)
        return any(letters[i : i + k] == word[:k] and match(i + k, j + 1) for k in range(least, most + 1))

    return match(0, 0)


_SHORT_FORM = re.compile(r"^[A-Z][A-Za-z]{1,7}$")
# A compound's part starts this many letters or more after the previous one ("VW": "Volks|wagen").
_MIN_COMPOUND_PART = 3


@functools.lru_cache(maxsize=8192)
def short_form_matches(short: str, name: str) -> bool:
    """Is ``short`` (one word) a clipped form of ``name`` (see module doc)? "Fed" / "Federal
    Reserve", "Caltech" / "California Institute of Technology", "BofA" / "Bank of America", "VW" /
    "Volkswagen" (also "Volkswagen Group"). Plain initials are ``acronym_matches``' case."""
    if not _SHORT_FORM.match(short) or name[:1].casefold() != short[:1].casefold():
        return False
    stripped = strip_legal_form(name)
    forms = [stripped] + [s for s in [generic_tail_stripped(stripped)] if s is not None]
    return any(
        _clipped(short, form) or _compound_initials(short, form) or _syllabic(short, form) for form in forms
    )


_MIN_SYLLABIC = 4


def _syllabic(short: str, name: str) -> bool:
    """A syllabic acronym: every content word of the name gives the starts of ``short`` in order,
    the first word two letters or more, function words none ("Ofgem" = Office of Gas and
    Electricity Markets, "Ofcom" = Office of Communications). Every word must give a piece, so a
    first name ("Bob") is not pieces of a longer name with words left out, and a piece is at most
    half its word (or two letters), so a name's first word is not "Kessle|r" of "Kessler Rail"."""
    letters = short.casefold()
    words = [w.casefold() for w in _words_for_acronym(name) if w.casefold() not in ACRONYM_FUNCTION_WORDS]
    if len(letters) < _MIN_SYLLABIC or len(words) < 2:
        return False
    return _spelled_by_starts(
        letters, tuple(words), lambda j, word: (2 if j == 0 else 1, max(2, len(word) // 2))
    )


# A clipping without inner capitals keeps at least this much of each word it uses ("Fed",
# "Cal|tech"), so a short first name ("Bob") is not "B|o|b" of "Bank of Boston".
_MIN_CLIP = 3


def _clipped(short: str, name: str) -> bool:
    """Pieces of the name's words' starts, in order, from its first word; each capital of
    ``short`` starts a piece ("B|of|A"), and without inner capitals each piece has 3 letters."""
    letters = short.casefold()
    originals = _words_for_acronym(name)
    words = [w.casefold() for w in originals]
    if len(words) < 2 or len(letters) < 3:
        return False
    # A camel-case word is a compound: its first part whole ("Mac" of "MacBook") is not clipped.
    parts = [{p for p in range(1, len(w)) if w[p].isupper() and w[p - 1].islower()} for w in originals]
    capitals = [p for p, ch in enumerate(short) if ch.isupper()]
    min_piece = 1 if len(capitals) > 1 else _MIN_CLIP

    def piece_ok(i: int, k: int) -> bool:
        return k >= min_piece and not any(i < p < i + k for p in capitals)

    @functools.cache
    def match(i: int, j: int, shortened: bool) -> bool:
        if i == len(letters):
            return shortened
        if j == len(words):
            return False
        word = words[j]
        if j > 0 and match(i, j + 1, shortened):  # a word left out ("Institute" in "Caltech")
            return True
        for k in range(min(len(word), len(letters) - i), 0, -1):
            if (
                letters[i : i + k] == word[:k]
                and piece_ok(i, k)
                and match(i + k, j + 1, shortened or (k < len(word) and k not in parts[j]))
            ):
                return True
        return False

    return match(0, 0, False)


def _compound_initials(short: str, name: str) -> bool:
    words = _words_for_acronym(name)
    if len(words) != 1 or not (2 <= len(short) <= 3 and short.isupper()):
        return False
    word = words[0].casefold()
    letters = short.casefold()
    if len(word) < 2 * _MIN_COMPOUND_PART or word[0] != letters[0]:
        return False
    at = 0
    for letter in letters[1:]:
        if letter in "aeiou":  # a vowel there is more often chance ("GE", "Generali")
            return False
        at = word.find(letter, at + _MIN_COMPOUND_PART)
        if at < 0 or len(word) - at < _MIN_COMPOUND_PART:
            return False
    return True


@functools.lru_cache(maxsize=8192)
def is_designator(token: str) -> bool:
    """A model designator ("A380", "747", "777-200LR", "A400M"), not a year."""
    return bool(DESIGNATOR.match(token)) and not _YEAR.match(token)


def designator_after(text: str, end: int) -> int | None:
    """End offset of a model designator right after ``text[:end]`` (one space then the designator,
    an optional plural "s"), or None."""
    match = _DESIGNATOR_AFTER.match(text, end)
    if match is None or not is_designator(match.group(1)):
        return None
    if _QUANTITY_AFTER.match(text, match.end()):
        return None
    return match.end()


# Words for a brand's shop or software after the brand; the last one must be a head word.
BRAND_PART_WORDS = frozenset(
    {"music", "app", "apps", "online", "digital", "media", "video", "store", "stores", "software"}
)
_BRAND_PART_HEADS = frozenset({"store", "stores", "software"})
# A mixed-case brand: a capital after a small letter inside one word ("iTunes", "eBay", "YouTube").
_MIXED_CASE_BRAND = re.compile(r"^[A-Za-z]*[a-z][A-Z][A-Za-z0-9]*$")


def brand_of_part(name: str) -> str:
    """ "iTunes Music Store" -> "iTunes", "iPod Software" -> "iPod"; "App Store", "Apple Store",
    "Music Store" unchanged (see module doc: only a mixed-case brand)."""
    tokens = name.split()
    if len(tokens) < 2 or not _MIXED_CASE_BRAND.match(tokens[0]):
        return name
    rest = [_bare(token) for token in tokens[1:]]
    if rest[-1] in _BRAND_PART_HEADS and all(word in BRAND_PART_WORDS for word in rest):
        return tokens[0]
    return name


def self_identifying_designator(name: str, forms: Sequence[str]) -> str:
    """ "Airbus A380" -> "A380"; "Airbus 380" -> "A380" when the entity is also written "A380";
    "Boeing 787", "Samsung Galaxy S23" unchanged (see module doc: only a one-word maker whose
    initial starts the designator)."""
    tokens = name.split()
    if len(tokens) != 2 or not tokens[0][:1].isupper() or not is_designator(tokens[1]):
        return name
    initial, designator = tokens[0][0], tokens[1]
    if designator[0] == initial:
        return designator
    if designator[0].isdigit():
        for form in forms:
            bare = form.strip()
            if is_designator(bare) and bare[0] == initial and bare[1:].lstrip("-") == designator:
                return bare
    return name


def without_role_words(name: str) -> str:
    """ "Spokeswoman Sandy Angers" -> "Sandy Angers"; at least one word is always kept."""
    tokens = name.split()
    start = 0
    while start < len(tokens) - 1 and _bare(tokens[start]) in ROLE_WORDS:
        start += 1
    return " ".join(tokens[start:])


# Coarse types for ids: the small models often confuse ORG, PRODUCT and EVENT for one name, rarely
# a person, a place and an organisation ("Qatar" the country and "Qatar" the airline differ).
COARSE_TYPES: dict[str, str] = {
    "PERSON": "person",
    "PER": "person",  # French and other WikiNER-style models
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}


def coarse_type(entity_type: str) -> str:
    return COARSE_TYPES.get(entity_type, "name")


def entity_id(name: str, entity_type: str) -> str:
    """Stable id of an entity: ``"e-"`` + 16 hex of blake2b over the coarse type and the name key.

    "Apple" (ORG) has the same id in every article and every run; "Qatar" the country and an
    organisation named "Qatar" do not share one.
    """
    digest = hashlib.blake2b(f"{coarse_type(entity_type)}\x1f{name_key(name)}".encode(), digest_size=8)
    return "e-" + digest.hexdigest()


# Chinese and Korean names are written family name first ("Li Qiang", "Xi Jinping", "Yoon Suk
# Yeol", "Lee Jae-myung"), so the word a later mention uses alone ("Li", "Xi", "Yoon") is the first,
# not the last. The commonest family names in their usual romanisations (pinyin, Wade-Giles, the
# Korean spellings news uses); a name is read so only when its other words are syllables of the
# same romanisations, so "Kim Jones" or "Lee Anderson" stay first name and surname.
EAST_ASIAN_FAMILY_NAMES = frozenset(
    {
        # Chinese (pinyin and Wade-Giles / Hong Kong and Taiwan spellings)
        "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun",
        "ma", "zhu", "hu", "guo", "he", "lin", "gao", "luo", "zheng", "liang", "xie", "song", "tang",
        "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "pan", "yuan", "cai",
        "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lu", "ding", "ren", "shen", "yao", "xi",
        "fu", "zhong", "jiao", "qian", "qin", "tsai", "chiang", "chang", "chou", "hsu", "wong",
        "cheung", "chan", "leung", "ho", "lai", "tsang", "kuo", "teo", "goh", "ng",
        # Korean
        "kim", "lee", "yi", "park", "pak", "choi", "choe", "jung", "chung", "kang", "cho", "jo",
        "yoon", "yun", "jang", "lim", "im", "shin", "yoo", "ryu", "ahn", "an", "moon", "mun", "ko",
        "oh", "seo", "kwon", "hwang", "hong", "jeon", "chun", "ban", "roh", "noh",
    }
)  # fmt: skip
# A syllable of pinyin, Wade-Giles or Korean romanisation: an initial and a final.
_ROMANISED_SYLLABLE = (
    r"(?:zh|ch|sh|ts|hs|kk|tt|pp|ss|jj|[bpmfdtnlgkhjqxrzcswy])?"
    r"(?:iang|iong|uang|yeo|yae|wae|iao|ian|uai|uan|ang|eng|ing|ong|ung|eun|ai|ei|ao|ou|an|en|in|un"
    r"|ia|ie|iu|ua|uo|ui|ue|ae|eo|eu|oe|wa|wo|we|wi|yu|yo|ya|ye|oo|ee|a|o|e|i|u|ü)(?:ng|n|m|l|k|p|t)?"
)
_GIVEN_NAME_PART = re.compile(rf"^(?:{_ROMANISED_SYLLABLE}){{1,2}}$")


def family_name_first(name: str) -> bool:
    """Is ``name`` a Chinese or Korean name written family name first ("Li Qiang", "Xi Jinping",
    "Lee Jae-myung", "Yoon Suk Yeol")? Its first word is a common family name and each other word
    (or hyphenated part, "Jae-myung") is one or two romanised syllables; two or three words."""
    words = name.split()
    if not 2 <= len(words) <= 3 or words[0].casefold() not in EAST_ASIAN_FAMILY_NAMES:
        return False
    parts = [part for word in words[1:] for part in word.split("-")]
    return all(part[:1].isupper() or index > 0 for index, part in enumerate(parts)) and all(
        _GIVEN_NAME_PART.match(part.casefold()) for part in parts
    )
