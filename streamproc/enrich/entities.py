"""Canonical entities of one article from raw NER spans (pure: no spaCy import).

Steps, in order:

1. ``mentions_from_spans`` turns NER spans of one field into ``Mention`` s, fixing two systematic
   tokenizer/NER slips using the surrounding text: a hyphenated compound is extended
   ("Cuban" in "Cuban-American" -> "Cuban-American") and single words of office titles are
   dropped ("State" in "Secretary of State", "Interior" in "Interior Minister").
2. ``propagate_mentions`` adds the untagged occurrences of names NER found elsewhere in the
   article (headlines in title case defeat the small model).
3. ``canonical_entities`` keeps only name-like labels (numbers, money, quantities and DATE/TIME
   are not entities here: dates have their own extractor), cleans each mention (surrounding
   punctuation, leading "the", possessive "'s"), maps country variants through ``COUNTRY_ALIASES``,
   groups mentions by normalised name, merges short person names into the one full name they are
   part of, picks a type by vote and scores salience.

Salience: each mention weighs ``FIELD_WEIGHTS`` (title 3, subtitle 2, body lead paragraph 2, rest
of the body 1); an entity's score is the sum over its mentions, divided by the best score in the
article, so the most salient entity has salience 1.0 and the others are relative to it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from streamproc.enrich.demonyms import DEMONYMS, derives_from
from streamproc.enrich.names import (
    ACRONYM_FUNCTION_WORDS,
    CLUB_FORMS,
    GENERIC_ORG_WORDS,
    LEGAL_FORMS,
    NATIONALITY_WORDS,
    ROLE_WORDS,
    acronym_matches,
    acronym_matches_written,
    brand_of_part,
    designator_after,
    entity_id,
    family_name_first,
    generic_tail_stripped,
    is_acronym,
    is_designator,
    name_key,
    nickname_split,
    self_identifying_designator,
    short_form_matches,
    strip_legal_form,
    without_role_words,
)
from streamproc.models import Entity, FieldName, Span
from streamproc.stories.rarity import zipf

FIELD_ORDER: dict[str, int] = {"title": 0, "subtitle": 1, "body": 2}

# OntoNotes labels that name things (MISC: other names, from WikiNER-style models such as
# French). CARDINAL, MONEY, PERCENT, QUANTITY, ORDINAL are numbers;
# DATE and TIME belong to the date extractor.
ENTITY_LABELS = frozenset(
    {
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
        "MISC",
    }
)

TITLE_WEIGHT = 3.0
SUBTITLE_WEIGHT = 2.0
LEAD_WEIGHT = 2.0
BODY_WEIGHT = 1.0


@dataclass(frozen=True, slots=True)
class Mention:
    """One NER span in one text field: ``text == field_text[start:end]``."""

    field: FieldName
    start: int
    end: int
    text: str
    label: str


# Normalised key (see _key) -> (canonical name, type, labels the surface must carry or None for any).
# "America" alone is the country only when NER calls it a GPE (not "the Americas", not LOC uses).
_US = ("United States", "GPE", None)
_UK = ("United Kingdom", "GPE", None)
COUNTRY_ALIASES: dict[str, tuple[str, str, frozenset[str] | None]] = {
    "us": _US,
    "usa": _US,
    "united states": _US,
    "united state": _US,  # "the United State's" once the possessive is gone
    "united states of america": _US,
    "the us": _US,
    "america": ("United States", "GPE", frozenset({"GPE"})),
    "uk": _UK,
    "britain": _UK,
    "great britain": _UK,
    "united kingdom": _UK,
    "united kingdom of great britain and northern ireland": _UK,
    "uae": ("United Arab Emirates", "GPE", None),
    "united arab emirates": ("United Arab Emirates", "GPE", None),
    "prc": ("China", "GPE", None),
    "people's republic of china": ("China", "GPE", None),
    "russian federation": ("Russia", "GPE", None),
    "ussr": ("Soviet Union", "GPE", None),
    "soviet union": ("Soviet Union", "GPE", None),
    "drc": ("Democratic Republic of the Congo", "GPE", None),
    "dr congo": ("Democratic Republic of the Congo", "GPE", None),
    "democratic republic of congo": ("Democratic Republic of the Congo", "GPE", None),
    "democratic republic of the congo": ("Democratic Republic of the Congo", "GPE", None),
    "south korea": ("South Korea", "GPE", None),
    "republic of korea": ("South Korea", "GPE", None),
    "north korea": ("North Korea", "GPE", None),
    "dprk": ("North Korea", "GPE", None),
    "eu": ("European Union", "ORG", None),
    "european union": ("European Union", "ORG", None),
    "un": ("United Nations", "ORG", None),
    "united nations": ("United Nations", "ORG", None),
}

# US states as news abbreviates them after a place ("SAVANNAH, Ga.", "Pasadena, Calif."): only
# with the period written and when the model calls the word a place ("Miss." is also a title).
US_STATE_ABBREVIATIONS: dict[str, str] = {
    "Ala.": "Alabama",
    "Ariz.": "Arizona",
    "Ark.": "Arkansas",
    "Calif.": "California",
    "Colo.": "Colorado",
    "Conn.": "Connecticut",
    "Del.": "Delaware",
    "Fla.": "Florida",
    "Ga.": "Georgia",
    "Ill.": "Illinois",
    "Ind.": "Indiana",
    "Kan.": "Kansas",
    "Ky.": "Kentucky",
    "La.": "Louisiana",
    "Md.": "Maryland",
    "Mass.": "Massachusetts",
    "Mich.": "Michigan",
    "Minn.": "Minnesota",
    "Miss.": "Mississippi",
    "Mo.": "Missouri",
    "Mont.": "Montana",
    "Neb.": "Nebraska",
    "Nev.": "Nevada",
    "N.H.": "New Hampshire",
    "N.J.": "New Jersey",
    "N.M.": "New Mexico",
    "N.Y.": "New York",
    "N.C.": "North Carolina",
    "N.D.": "North Dakota",
    "Okla.": "Oklahoma",
    "Ore.": "Oregon",
    "Pa.": "Pennsylvania",
    "R.I.": "Rhode Island",
    "S.C.": "South Carolina",
    "S.D.": "South Dakota",
    "Tenn.": "Tennessee",
    "Vt.": "Vermont",
    "Va.": "Virginia",
    "Wash.": "Washington",
    "W.Va.": "West Virginia",
    "Wis.": "Wisconsin",
    "Wyo.": "Wyoming",
}


def _state_written_out(mention: Mention) -> str | None:
    """The state an abbreviated US state mention stands for ("Ga." -> "Georgia"), else None."""
    if mention.label != "GPE":
        return None
    return US_STATE_ABBREVIATIONS.get(mention.text.strip().strip(_EDGE_PUNCT.replace(".", "")))


# Names whose leading "The" is part of the name.
_KEEP_THE = frozenset({"the hague", "the gambia", "the bahamas"})

# Single words that NER tags inside office titles ("Secretary of State", "Interior Minister").
_OFFICE_WORDS = frozenset(
    {
        "state",
        "interior",
        "foreign",
        "defense",
        "defence",
        "treasury",
        "justice",
        "finance",
        "health",
        "education",
        "energy",
        "commerce",
        "labor",
        "labour",
        "agriculture",
        "transportation",
        "home",
        "economy",
        "trade",
    }
)
_OFFICE_BEFORE = re.compile(
    r"(?:secretary|minister|ministry|department|secretariat)\s+(?:of\s+)?(?:the\s+)?$", re.I
)
_OFFICE_AFTER = re.compile(r"^\s+(?:minister|secretary|ministry|department|affairs)\b", re.I)
_HYPHEN_TAIL = re.compile(r"-[A-Z][\w]*")

_EDGE_PUNCT = "\"'“”‘’«»„‚()[]{}<>,;:!?*#|/\\-–—•·"
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_LEADING_THE = re.compile(r"^the\s+", re.I)
_JUNK_CHARS = re.compile(r"\]\(|://|[\[\]{}<>|]")
_SPACE = re.compile(r"\s+")
# Double quotes inside a name are typography around part of it ('iTunes "App Store'), not the name.
_INNER_QUOTES = re.compile(r"[\"“”„«»]")


def mentions_from_spans(
    field_name: FieldName, text: str, spans: Iterable[tuple[int, int, str]]
) -> list[Mention]:
    """Mentions for NER spans ``(start, end, label)`` of one field, with context fixes (see module doc)."""
    out: list[Mention] = []
    spans = _rejoined_spans(text, _amounts_cut(text, list(spans)))
    ends = {end for _, end, _ in spans}
    starts = {start for start, _, _ in spans}
    for start, end, label in spans:
        if label not in ENTITY_LABELS:
            continue
        unit = _company_before_country(field_name, text, start, end, label, ends)
        if unit is not None:
            out.append(Mention(field_name, unit, end, text[unit:end], "ORG"))
            continue
        named_end = _name_after_place(field_name, text, start, end, label, starts)
        if named_end is not None:
            # The place stays a mention of its own inside the name, as a maker's inside its model's:
            # it tells the aliases which words locate the name ("London" of "London Heathrow"). The
            # name keeps NER's place label: an airport or a village ("Chong Bok") as often as a firm.
            out.append(Mention(field_name, start, end, text[start:end], label))
            out.append(Mention(field_name, start, named_end, text[start:named_end], label))
            continue
        surface = text[start:end]
        if (
            surface.strip().casefold() in _OFFICE_WORDS
            and label in {"ORG", "GPE", "NORP"}
            and (
                _OFFICE_BEFORE.search(text, max(0, start - 40), start)
                or _OFFICE_AFTER.match(text[end : end + 40])
            )
        ):
            continue
        parts = _split_span(text, start, end)
        for index, (part_start, part_end) in enumerate(parts):
            part_label = label
            if index > 0 and label in _PLACE and _is_dateline(text, *parts[0]):
                part_label = _after_dateline_label(text[part_start:part_end])
            out.extend(_fixed_mentions(field_name, text, part_start, part_end, part_label))
    return out


# Lower-case words inside a long organisation's name ("Sociedad Quimica y Minera de Chile", "Bank
# of America and Merrill"): where the model may cut one name into two spans.
_NAME_CONNECTOR = re.compile(r" (?:and|&|of|y|de|del|und|et|e) ")
_PARENTHESISED_ACRONYM = re.compile(r" \(([A-Z][A-Za-z&.-]{1,9})\)")


def _rejoined_spans(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Two spans the model cut out of one organisation's name, joined back into one ORG span:
    "Castellani | Pelletteria SpA" (the second span ends in a legal form and only a space parts
    them: a legal form ends a company's whole name, so the capitalised words touching it belong to
    that name), and "Sociedad Quimica | y | Minera de Chile (SQM)" (a name's lower-case connector
    parts them and the acronym in parentheses right after spells the joined name, not either part)."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans):
        if out and _one_name(text, out[-1], (start, end, label)):
            out[-1] = (out[-1][0], end, "ORG")
        else:
            out.append((start, end, label))
    return out


def _one_name(text: str, first: tuple[int, int, str], second: tuple[int, int, str]) -> bool:
    start, end, label = first
    gap = text[end : second[0]]
    if not {label, second[2]} <= ENTITY_LABELS or not all(
        text[a:b][:1].isupper() for a, b in ((start, end), second[:2])
    ):
        return False
    if gap == " ":
        last = text[second[0] : second[1]].split()[-1]
        return (
            len(text[second[0] : second[1]].split()) > 1
            and last.replace(".", "").casefold() in LEGAL_FORMS
            # "the German | Volkswagen AG": an English nationality describes the firm, while
            # "Deutsche | Telekom AG" is the firm's own word.
            and text[start:end].casefold() not in DEMONYMS
        )
    acronym = _PARENTHESISED_ACRONYM.match(text, second[1])
    return (
        _NAME_CONNECTOR.fullmatch(gap) is not None
        and acronym is not None
        and _spells_across(acronym.group(1), text[start:end], text[second[0] : second[1]], gap)
    )


def _spells_across(acronym: str, first: str, second: str, gap: str) -> bool:
    """The acronym spells the first name and the start of the second ("SQM": "Sociedad Quimica y
    Minera | de Chile", a place's tail often left out of the letters), and neither part alone."""
    if acronym_matches(acronym, first) or acronym_matches(acronym, second):
        return False
    words = second.split()
    return any(acronym_matches(acronym, first + gap + " ".join(words[:n])) for n in range(1, len(words) + 1))


# An amount run into the name before it: "promised Orbita 60 million euros" (one span, typed a law),
# in any of news's spellings of a currency and a scale: "US$60 million", "A$1.2 bln", "EUR 60
# million", "60 mln" (wire style).
_AMOUNT_IN_SPAN = re.compile(
    r" (?:(?:[A-Z]{1,3})?[$€£¥]\s?|(?:USD|EUR|GBP|CHF|JPY|CNY|SEK|NOK|DKK|CAD|AUD|INR|Rs\.?)\s)?"
    r"\d[\d.,]*\s*(?:million|billion|trillion|mln|bln|mn|bn|m)\b"
)


def _amounts_cut(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans cut before an amount inside them: the capitalised words before it are the name (the
    recipient or payer of the sum); the amount is no part of it."""
    out = []
    for start, end, label in spans:
        amount = _AMOUNT_IN_SPAN.search(text, start, end)
        if (
            amount is not None
            and amount.start() > start
            and text[start].isupper()
            and label not in {"MONEY", "CARDINAL", "QUANTITY", "PERCENT"}
        ):
            end = amount.start()
        out.append((start, end, label))
    return out


# A capitalised word NER left untagged right before a country's abbreviation, inside a sentence:
# "said T-Mobile US had added", "AirTran UK" (not "on Monday US stocks", "Orkem's U.K. unit", nor a
# sentence's first word).
_NAME_BEFORE_COUNTRY = re.compile(r"(?<=[\w,;] )([A-Z][\w&'’-]*[A-Za-z0-9])(?<!['’]s) $")
_CALENDAR_WORDS = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|August"
    r"|September|October|November|December"
)


def _company_before_country(
    field_name: FieldName, text: str, start: int, end: int, label: str, ends: set[int]
) -> int | None:
    """Where "T-Mobile US" starts when NER tagged only "US": a company's unit named by the company
    and the country it serves (in body text, where a capitalised word inside a sentence is a name;
    a headline capitalises every word). None when the span is anything else."""
    if field_name != "body" or label not in _PLACE or not is_acronym(text[start:end]):
        return None
    if _key(text[start:end]) not in COUNTRY_ALIASES:
        return None
    before = _NAME_BEFORE_COUNTRY.search(text, max(0, start - 40), start)
    if before is None or (start - 1) in ends or _CALENDAR_WORDS.fullmatch(before.group(1)):
        return None
    return before.start(1)


# One capitalised word NER left untagged right after a place (or company) it tagged, and then no other name:
# "out of London Heathrow.", "to Los Angeles LAX airport", "America West posted", "Wertheim
# Schroder amp Co." (not "Alabama Governor Bob Riley", "Erie County District Attorney", "U.S. The").
_WORD_AFTER_PLACE = re.compile(r" ([A-Z][A-Za-z&'’-]*[A-Za-z])(?=[ ,;:!?)\n]|\.(?:\s|$)|$)(?! +[A-Z0-9])")


def _name_after_place(
    field_name: FieldName, text: str, start: int, end: int, label: str, starts: set[int]
) -> int | None:
    """Where the name ends when NER tagged only its first word, a place: a facility, company or
    village named with its city or region ("London Heathrow", "Los Angeles LAX", "America West",
    "Chong Bok"; the word has letters only, not "Nvidia Rmb1.2bn"); or an organisation: a unit
    named with its parent ("Allianz Commercial"; not a legal form or trade word, "Airbus SE"). In body
    text, where a capitalised word inside a sentence is a name; not after an abbreviation's period
    (which may end the sentence), a role ("Governor") or a calendar word ("in London Tuesday"), nor
    a dateline's place. None when the span is anything else."""
    place = text[start:end]
    if field_name != "body" or label not in _PLACE | {"ORG"} or not place[-1:].isalpha() or place.isupper():
        return None  # a place in capitals opens a dateline ("LONDON Heathrow said")
    if _POSSESSIVE.search(place):
        return None  # "West Sumatra's Agam": the place owns what follows
    after = _WORD_AFTER_PLACE.match(text, end)
    if after is None or after.start(1) in starts or _is_dateline(text, start, end):
        return None
    word = after.group(1)
    if _CALENDAR_WORDS.fullmatch(word) or name_key(word) in ROLE_WORDS or is_designator(word):
        return None
    if label == "ORG" and name_key(word).replace(".", "") in LEGAL_FORMS | GENERIC_ORG_WORDS:
        return None  # "Airbus SE", "Cisco Systems": the company itself, which other rules name
    return after.end(1)


def _after_dateline_label(surface: str) -> str:
    """ "DUBAI - Saudi Aramco will ...": the model's place label was for the dateline; the name
    after its dash opens the story as its subject, which news makes an organisation far more
    often than a place (a country keeps its place label through ``COUNTRY_ALIASES``)."""
    entry = COUNTRY_ALIASES.get(_key(clean_name(surface)))
    return entry[1] if entry is not None else "ORG"


# Inside one NER span, these separate two names: "San Jose - Cisco", "Apple Computer's Mac OS",
# "Software Development Kit (SDK".
_SPAN_BREAK = re.compile(r"\s+[-–—]\s+|['’]s\s+(?=[A-Z0-9])|\s*[()]\s*")
_COORDINATION = re.compile(r"\s+(?:and|&)\s+")


def _split_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names inside one span: split at the breaks above, and "X and X Pro" (a coordination
    of two names sharing their first word) into its two names."""
    parts: list[tuple[int, int]] = []
    at = start
    next_sentence = _sentence_after_letter(text, start, end)
    if next_sentence is not None:
        parts.append((start, start + 1))  # "a post on X. Ofcom's chief": two sentences' names
        at = next_sentence
    for match in _SPAN_BREAK.finditer(text, at, end):
        possessive = match.group(0)[:1] in "'’"
        # "Apple Computer's Mac OS" is two names when "Apple Computer" is also written alone;
        # "United Nations Children's Fund" is one.
        if possessive and text.count(text[at : match.start()]) < 2:
            continue
        parts.append((at, match.start() + (2 if possessive else 0)))
        at = match.end()
    parts.append((at, end))
    out: list[tuple[int, int]] = []
    for part_start, part_end in parts:
        if part_end <= part_start:
            continue
        coordination = _COORDINATION.search(text, part_start, part_end)
        if coordination is not None:
            left = clean_name(text[part_start : coordination.start()]).split()
            right = clean_name(text[coordination.end() : part_end]).split()
            if (
                left
                and right
                and (left[0] == right[0] or _both_written_alone(text, part_start, part_end, coordination))
            ):
                out.append((part_start, coordination.start()))
                out.append((coordination.end(), part_end))
                continue
        out.append((part_start, part_end))
    return out


# A one-letter name ending a sentence, then the next sentence's first name: "on X. Ofcom's chief".
_LETTER_SENTENCE_END = re.compile(r"([A-Z])\.\s+(?=[A-Z][a-z])")


def _sentence_after_letter(text: str, start: int, end: int) -> int | None:
    """Where the second sentence starts if the span "X. Ofcom" is two names across a sentence end,
    not initials ("J. Smith"):
    the article writes the letter alone inside a sentence ("into X, the platform") and the name
    after it alone too. A capital alone at a sentence's start ("A spokesman") is no evidence."""
    match = _LETTER_SENTENCE_END.match(text, start, end)
    if match is None:
        return None
    rest = _POSSESSIVE.sub("", text[match.end() : end].strip())
    outside = text[:start] + " " + text[end:]
    letter_alone = re.search(rf"(?<=[a-z,] ){match.group(1)}(?![\w.'’-])", outside) is not None
    rest_alone = re.search(rf"(?<![\w-]){re.escape(rest)}(?![\w-])", outside) is not None
    return match.end() if rest and letter_alone and rest_alone else None


def _both_written_alone(text: str, start: int, end: int, coordination: re.Match[str]) -> bool:
    """ "Alphabet and Google" is two names when the article writes each of them outside this
    phrase (in either spelling, "and" or "&"); "Procter & Gamble", "Johnson & Johnson" are one. A
    possessive ending the phrase is not part of the second name ("Desportivo and Harbor Point's
    club", with "Harbor Point" written alone)."""
    left, right = text[start : coordination.start()].strip(), text[coordination.end() : end].strip()
    rest = re.sub(rf"{re.escape(left)}\s+(?:and|&)\s+{re.escape(right)}", " ", text)  # either spelling
    return all(
        re.search(rf"(?<![\w-]){re.escape(part.strip())}(?![\w-])", rest) is not None
        for part in (left, _POSSESSIVE.sub("", right))
    )


_DATELINE_AFTER = re.compile(r"(?:,\s*[A-Z][\w.]*\.?)?\s*(?:[-–—:]|\()")


# One to three capitalised words and a legal form after an organisation's name: "Nordel | Shipping ASA".
_LEGAL_TAIL = re.compile(r"((?: [A-Z][\w&'’-]*){1,3}) ([A-Z][A-Za-z]{1,4}\.?)(?=[\s,;:)]|$)")


def _legal_name_end(text: str, end: int) -> int:
    """Where an organisation's name ends when NER cut it before the capitalised words that end in
    a legal form ("Nordel | Shipping ASA has ordered", "Nordel" found again where NER saw nothing):
    a legal form only ends a company's full name, so the words before it are that name."""
    match = _LEGAL_TAIL.match(text, end)
    if match is None or match.group(2).replace(".", "").casefold() not in LEGAL_FORMS:
        return end
    return match.end()


def _fixed_mentions(field_name: FieldName, text: str, start: int, end: int, label: str) -> list[Mention]:
    """One span after the context fixes: hyphen tail, model designator, role words, dateline.

    "Airbus A380" gives two mentions: the product (an entity of its own) and, inside it, its
    maker "Airbus", so neither absorbs the other.
    """
    while start < end and (text[start].isspace() or text[start] in _EDGE_PUNCT):
        start += 1
    if start >= end:
        return []
    country = _country_prefix(text, start, end) if label == "ORG" else None
    if country is not None:
        return [
            Mention(field_name, country.start(1), country.end(1), country.group(1), "GPE"),
            *_fixed_mentions(field_name, text, country.end(), end, label),
        ]
    tail = _HYPHEN_TAIL.match(text, end)
    if tail is not None:
        end = tail.end()
    if label == "ORG":
        end = _legal_name_end(text, end)
    if label in _SERIES_LABELS:
        series = _SERIES_LETTER_AFTER.match(text, end)
        if series is not None:
            end = series.end(1)
        brand = _BRAND_BEFORE.search(text, max(0, start - 30), start)
        # A person's name after a product ("the iPhone Steve Jobs showed") is not the product.
        if brand is not None and (label != "PERSON" or brand.group(2)):
            start = brand.start(1)
    if label != "PERSON" and (_HONORIFIC.match(text, start, end) or _titled_person(text, start, end)):
        # "Ms Vogt", "Mr. Albanese": an honorific before a capitalised word is a person however
        # the model typed the span (it is dropped below with the other role words).
        label = "PERSON"
    if label == "PERSON" and (
        _LOWER_MIXED_CASE.match(text, start)
        or _CAPITALS_LAST.search(text, start, end)
        or _CAPITAL_AFTER_SMALL_END.fullmatch(text, start, end)
    ):
        # "iTunes ...", "eBay ...": a brand; "Mac OSX", "Windows NT": a product line; "BofA", "PwC":
        # a short form. Not a person's name (surnames written in capitals are longer than four
        # letters; a one-word name does not end in a capital after small letters).
        label = "ORG"
    if label in _PLACE and _CAPITAL_AFTER_SMALL_END.fullmatch(text, start, end):
        # "MoD", "DoD", "BoE": an institution's acronym with its small function word; no place's
        # name ends in a capital after small letters, so the model's place label is a slip.
        label = "ORG"
    surface = text[start:end]
    designator_end = designator_after(text, end) if label in _PRODUCT_MAKER_LABELS else None
    if designator_end is not None:
        maker_label = "ORG" if label in {"PRODUCT", "PERSON", "NORP", "WORK_OF_ART"} else label
        return [
            Mention(field_name, start, end, surface, maker_label),
            Mention(field_name, start, designator_end, text[start:designator_end], "PRODUCT"),
        ]
    nickname = nickname_split(clean_name(surface)) if label in _PRODUCT_MAKER_LABELS else None
    maker_end = text.rfind(" ", start, max(start, text.rfind(" ", start, end))) if nickname else -1
    if nickname is not None and not is_designator(nickname[0]) and maker_end > start:
        # "Boeing 787 Dreamliners" in one span: the maker, and the model under its nickname.
        maker_label = "ORG" if label in {"PRODUCT", "PERSON", "NORP", "WORK_OF_ART"} else label
        return [
            Mention(field_name, start, maker_end, text[start:maker_end], maker_label),
            Mention(field_name, start, end, surface, "PRODUCT"),
        ]
    if label in _PRODUCT_MAKER_LABELS and _names_a_model(surface):
        label = "PRODUCT"
    if field_name == "body" and _is_dateline(text, start, end):
        label = "GPE"
    elif _is_credit(text, Span(field_name, start, end)):
        label = "ORG"  # "SANTIAGO (Bloomberg) --": the agency, whatever the model typed
    elif label == "PERSON":
        dropped = len(surface.split()) - len(without_role_words(surface).split())
        if dropped:
            skip = re.match(rf"(?:\S+\s+){{{dropped}}}", surface)
            start += skip.end() if skip else 0
    return [Mention(field_name, start, end, text[start:end], label)]


_PRODUCT_MAKER_LABELS = frozenset({"ORG", "PRODUCT", "PERSON", "NORP", "WORK_OF_ART", "FAC"})
# A title written before a name, in the span or right before it ("Dr Okafor", "Dr Amara Okafor").
_TITLE = re.compile(r"\b(Dr|Prof)\.?\s+$")
_TITLED_SPAN = re.compile(r"(Dr|Prof)\.?\s+(?=[A-Z])")
_NAME_WORD = r"[A-Z][\w'’-]+"


def _title_of(text: str, start: int, end: int) -> tuple[str, int] | None:
    """The title ("Dr", "Prof") that starts the span or comes right before it, and where the name
    after it starts."""
    inside = _TITLED_SPAN.match(text, start, end)
    if inside is not None:
        return inside.group(1), inside.end()
    before = _TITLE.search(text, max(0, start - 6), start)
    return (before.group(1), start) if before is not None else None


def _titled_person(text: str, start: int, end: int) -> bool:
    """A name after a title is a person's when the article writes the title both before a first
    name and surname and before the surname alone ("Dr Amara Okafor" ... "Dr Okafor"), whatever
    type the model gave it; "Dr" alone also starts brands ("Dr Pepper"), which are not written so."""
    titled = _title_of(text, start, end)
    words = text[titled[1] : end].split() if titled is not None else []
    if titled is None or not 1 <= len(words) <= 2 or not all(re.fullmatch(_NAME_WORD, w) for w in words):
        return False
    title, surname = titled[0], re.escape(words[-1])
    full = re.search(rf"\b{title}\.?\s+{_NAME_WORD}\s+{surname}\b", text)
    alone = re.search(rf"\b{title}\.?\s+{surname}\b", text)
    return full is not None and alone is not None


# Honorifics that only ever come before a person's name ("Dr" also starts brands: "Dr Pepper").
_HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Mx)\.?\s+[A-Z][a-z]")

# Span repairs for names NER cuts short (labels of names that are written with a version letter
# or a brand in front; places and nationalities are not):
# - a version letter or Roman numeral after the name is part of it: "Mac OS X", "World War II",
#   "Malcolm X" ("I" and "A", also pronoun and article, are not taken);
# - a mixed-case brand right before the name, maybe with an opening quote, is its first word:
#   'the iTunes "App Store"' is "iTunes App Store" (NER tags the quoted part only).
_SERIES_LABELS = frozenset({"ORG", "PRODUCT", "PERSON", "WORK_OF_ART", "EVENT", "FAC", "LAW"})
_SERIES_LETTER_AFTER = re.compile(
    r"(?<![’'][sS]) ([B-HJ-Z]|II|III|IV|VI|VII|VIII|IX|XI|XII)(?![\w'’&-]|\.\w)"
)
_LOWER_MIXED_CASE = re.compile(r"[a-z]+[A-Z]")
_CAPITALS_LAST = re.compile(r"\w \b[A-Z]{2,4}$")
_CAPITAL_AFTER_SMALL_END = re.compile(r"[A-Z][A-Za-z]*[a-z][A-Za-z]*[A-Z]")
_BRAND_BEFORE = re.compile(r"(?<![\w'’-])([a-z]+[A-Z][A-Za-z0-9]*) ([\"“]?)$")


_COUNTRY_PREFIX = re.compile(r"(?:[Tt]he\s+)?([A-Z][A-Za-z.]{1,4})\s+(?=[A-Z])")
_INSTITUTION_WORDS = re.compile(r"\s(?:of|for)\s")


def _country_prefix(text: str, start: int, end: int) -> re.Match[str] | None:
    """A country's abbreviation in front of a public body's name, "U.S. Department of Defense":
    the country and the body are two names (the body is named so in other countries' news too).
    Only before an "X of/for Y" name: "U.S. Steel" and "US Airways" are company names."""
    match = _COUNTRY_PREFIX.match(text, start, end)
    if match is None or not is_acronym(match.group(1)) or _key(match.group(1)) not in COUNTRY_ALIASES:
        return None
    if _INSTITUTION_WORDS.search(text, match.end(), end):
        return match
    return match if _PUBLIC_BODY.fullmatch(text, match.end(), end) else None


# A public body's name by its head word, of two or more words ("Food and Drug Administration",
# "Supreme Court", "Home Office"): "UK Supreme Court" and "US Food and Drug Administration" are the
# country and the body, which other articles name without the country. Not a company's or a
# military branch's words ("US Airways", "US Bank", "US Air Force": its acronym spells the country).
_PUBLIC_BODY = re.compile(
    r"(?:[A-Z][\w'’.-]*\s+(?:(?:and|&)\s+)?)+"
    r"(?:Administration|Agency|Authority|Bureau|Commission|Court|Department|Ministry|Office|Regulator)"
)


def _names_a_model(surface: str) -> bool:
    """ "A380", "Airbus A380", "787 Dreamliner": a model designator with letters in it or after a name."""
    tokens = clean_name(surface).split()
    if not tokens:
        return False
    if len(tokens) >= 2 and (is_designator(tokens[-1]) or is_designator(tokens[0])):
        return True
    bare = tokens[0].rstrip("s")
    return len(tokens) == 1 and is_designator(bare) and any(ch.isalpha() for ch in bare)


_DATELINE_PLACE_BEFORE = re.compile(r"(?:^|\n)[A-Z][A-Z .'’-]{2,40},\s*$")


# A news agency's credit after a dateline: "SANTIAGO (Bloomberg) --", "LONDON, March 20 (Reuters) -",
# "SKELLEFTEÅ, Nov. 26 (TT) -" (a capital with an accent).
_CREDIT_BEFORE = re.compile(r"(?:^|\n)[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’-]{2,40}(?:,[^\n()]{1,30})?\s*\($")
_CREDIT_AFTER = re.compile(r"\)\s*[-–—]")


def _is_credit(text: str, span: Span) -> bool:
    """The name in parentheses between a dateline and its dash: the agency that filed the story."""
    return bool(_CREDIT_BEFORE.search(text, max(0, span.start - 75), span.start)) and bool(
        _CREDIT_AFTER.match(text, span.end)
    )


def _is_dateline(text: str, start: int, end: int) -> bool:
    """An ALL-CAPS place opening a paragraph before a dash or "(": "BALTIMORE, Md. -", "PARIS (AP) -",
    or the region after it ("France" in "TOULOUSE, France -")."""
    surface = text[start:end]
    if _DATELINE_PLACE_BEFORE.search(text, max(0, start - 45), start) and re.match(r"\s*[-–—(]", text[end:]):
        return True
    if start > 0 and text[start - 1] != "\n":
        return False
    letters = [ch for ch in surface if ch.isalpha()]
    if len(letters) < 3 or not all(ch.isupper() for ch in letters):
        return False
    return _DATELINE_AFTER.match(text, end) is not None


def propagate_mentions(mentions: Sequence[Mention], texts: Mapping[FieldName, str]) -> list[Mention]:
    """Add the occurrences NER missed of names it found elsewhere in the same article.

    The small model misses names in headline case ("Rubio ramps up Ecuador support") and some
    in running text; an exact, case-sensitive, whole-word match of a surface form (or its cleaned
    name, with and without a legal form) that overlaps no existing mention becomes a mention with
    that form's majority label; a multi-word form also replaces the pieces NER cut it into there
    (``_cut_short``).
    Matches touching a hyphen are skipped ("American" in "Cuban-American"). A capitalised single
    word that also occurs in lower case in the article ("Will"/"will") is a common word that NER
    once took for a name: it is not propagated.
    """
    mentions = _introduced_expansions(_continued(_sentence_words_dropped(mentions, texts), texts), texts)
    mentions = [*mentions, *_missed_acronyms(mentions, texts), *_missed_dateline(mentions, texts)]
    votes: dict[str, Counter[str]] = {}
    for mention in mentions:
        if mention.label not in ENTITY_LABELS:
            continue
        surface, _ = _strip_edges(mention.text, 0)
        mention_forms = {surface, clean_name(surface), strip_legal_form(clean_name(surface))}
        if mention.label == "PRODUCT" and _ends_with_designator(surface):
            mention_forms.add(clean_name(surface).split()[-1])  # "H900" alone, for "the Harlow H900"
        for form in mention_forms:
            if len(form) >= 2 and not is_junk(form):
                votes.setdefault(form, Counter())[mention.label] += 1
    if not votes:
        return list(mentions)
    # Longest forms first, so "Marco Rubio" claims its text before "Rubio" can.
    forms = sorted(votes, key=len, reverse=True)
    labels = {form: counter.most_common(1)[0][0] for form, counter in votes.items()}
    field_texts = list(texts.values())
    forms = [form for form in forms if not _is_common_word(form, field_texts)]
    out = list(mentions)
    for field_name, text in texts.items():
        covered = bytearray(len(text))
        # A maker's name inside a product's ("Airbus" in "Airbus A380") is a mention of the maker too.
        covered_for_makers = bytearray(len(text))
        for mention in mentions:
            if mention.field == field_name:
                covered[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
                if not (mention.label == "PRODUCT" and _ends_with_designator(mention.text)):
                    covered_for_makers[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        # str.find per form: no per-article regex compile (this runs for every article).
        for form in forms:
            mask = covered_for_makers if labels[form] == "ORG" else covered
            at = text.find(form)
            while at >= 0:
                end = at + len(form)
                cut, cut_end = (
                    _cut_short(out, field_name, at, end) if " " in form and any(mask[at:end]) else ([], end)
                )
                if (
                    not _joined(text, at - 1)
                    and not _joined(text, end)
                    and (cut or not any(mask[at:end]))
                    and not _ends_an_of_name(text, at)
                ):
                    if cut:
                        out = [mention for mention in out if not any(mention is c for c in cut)]
                    # The same fixes as NER spans get: "iPhone" found before " 15" is "iPhone 15".
                    for found in _fixed_mentions(field_name, text, at, cut_end, labels[form]):
                        covered[found.start : found.end] = b"\x01" * (found.end - found.start)
                        covered_for_makers[found.start : found.end] = b"\x01" * (found.end - found.start)
                        out.append(found)
                at = text.find(form, end)
    return _joined_lone_words(_spelled_by_acronyms(out, texts))


# A sentence's (or a quotation's, or a headline's) first word and, optionally, "in" glued by the
# model to the name after it: "Independent Errázuriz wins ...", '"People in Valparaíso have ...'.
_SENTENCE_START = re.compile(r"(?:^|[.!?]['\"’”]?\s+|\n\s*)['\"“‘]?$")
_GLUED_WORD = re.compile(r"([A-Z][a-z]+)(?: in)? ")


def _sentence_words_dropped(mentions: Sequence[Mention], texts: Mapping[FieldName, str]) -> list[Mention]:
    """Mentions with a sentence's first word cut off when the model glued a common word, which a
    sentence capitalises, to a rare name the article writes alone or as another name's last word
    (a surname, whatever the model typed the full name). Only
    when the common word (English frequency ``zipf`` 4.5 or more) starts the sentence, every word of
    the rest is rare (below 3.5, so "United | Airlines", "North | Korea", "General | Motors" stay
    whole), the span is written once in the article, and the model typed it neither a place nor a
    person: a first name is a common word too ("David | Miliband", written once, "Miliband" after).
    Without "in", a rest the article writes only as a place is that place's firm ("Bank Muscat",
    "Air Astana", with "in Muscat" and "Astana" elsewhere): the common word is its own."""
    written = _forms_written(mentions, ENTITY_LABELS)
    written_as_names = _forms_written(mentions, ENTITY_LABELS - _PLACE)
    out = []
    for mention in mentions:
        text = texts.get(mention.field, "")
        glued = _GLUED_WORD.match(mention.text)
        rest = mention.text[glued.end() :] if glued else ""
        known = written if glued is not None and glued.group(0).endswith(" in ") else written_as_names
        if (
            glued is not None
            and mention.label in ENTITY_LABELS - _PLACE - {"PERSON"}
            and _SENTENCE_START.search(text, max(0, mention.start - 4), mention.start)
            and zipf(glued.group(1).casefold()) >= 4.5
            and all(zipf(word.casefold()) < 3.5 for word in rest.split())
            and (known - Counter(_name_and_last_word(mention.text)))[clean_name(rest)] > 0
            and rest.replace(".", "").casefold() not in LEGAL_FORMS
            and sum(field.count(mention.text) for field in texts.values()) == 1
        ):
            start = mention.start + glued.end()
            mention = Mention(mention.field, start, mention.end, text[start : mention.end], mention.label)
        out.append(mention)
    return out


def _forms_written(mentions: Sequence[Mention], labels: frozenset[str]) -> Counter[str]:
    """How often the article writes each name, and each name's last word, typed one of ``labels``."""
    return Counter(form for m in mentions if m.label in labels for form in _name_and_last_word(m.text))


def _name_and_last_word(surface: str) -> set[str]:
    name = clean_name(surface)
    return {name, name.split()[-1]} if name else set()


# "Port of Rotterdam Authority", "Transport for London": a capitalised head and "of"/"for" before
# a name make a longer name that holds it.
_OF_NAME_BEFORE = re.compile(r"(?<![\w'’.-])([A-Z][a-z]+) (?:of|for) $")


def _ends_an_of_name(text: str, start: int) -> bool:
    """The name found at ``start`` closes a longer name NER did not tag, "<Head> of|for <name>"
    ("the Port of Rotterdam Authority", "Transport for London"), so it is no mention of its own (the
    same as a capitalised name inside another). A role before "of" is an office, which names the
    place it serves: "Mayor of London" is a mention of London."""
    before = _OF_NAME_BEFORE.search(text, max(0, start - 40), start)
    return before is not None and name_key(before.group(1)) not in ROLE_WORDS


_INTRODUCED_ACRONYM = re.compile(r"\s\(([A-Z][A-Za-z&]{1,7})\)")
_WORD_BEFORE = re.compile(r"[\w'’&.-]+$")
_MAX_EXPANSION_WORDS = 10


def _introduced_expansions(mentions: Sequence[Mention], texts: Mapping[FieldName, str]) -> list[Mention]:
    """The words right before an acronym introduced in parentheses whose capitalised words' initials
    spell it, small words of any kind between them ("Medicines and Healthcare products Regulatory
    Agency (MHRA)"), are one organisation's name where NER cut it into pieces ("Medicines" as a
    person, "Healthcare"): the name replaces the mentions inside it. Not where a mention starts
    before the name or already covers it, nor where no mention lies inside it (NER saw no name)."""
    out = list(mentions)
    for field_name, text in texts.items():
        for match in _INTRODUCED_ACRONYM.finditer(text):
            start = _expansion_start(text, match.start(), match.group(1))
            if start is None:
                continue
            end = match.start()
            inside = [m for m in out if m.field == field_name and m.start < end and start < m.end]
            if not inside or any(
                m.start < start or m.end > end or (m.start, m.end) == (start, end) for m in inside
            ):
                continue
            out = [m for m in out if not any(m is cut for cut in inside)]
            out.append(Mention(field_name, start, end, text[start:end], "ORG"))
    return out


def _expansion_start(text: str, end: int, acronym: str) -> int | None:
    """Where the name before ``end`` starts whose capitalised words' initials are the acronym's
    capitals, the nearest such start, on a capitalised word of two or more; None if none."""
    letters = "".join(ch for ch in acronym if ch.isupper())
    initials: list[str] = []
    at = end
    for _ in range(_MAX_EXPANSION_WORDS):
        word = _WORD_BEFORE.search(text, 0, at)
        if word is None or (word.end() < at and not text[word.end() : at].isspace()):
            return None
        if word.group(0)[:1].isupper():
            initials.insert(0, word.group(0)[0])
            if "".join(initials) == letters:
                return word.start() if len(initials) >= 2 else None
            if len(initials) > len(letters):
                return None
        at = word.start()
        while at > 0 and text[at - 1] == " ":
            at -= 1
    return None


def _cut_short(
    mentions: Sequence[Mention], field_name: FieldName, start: int, end: int
) -> tuple[list[Mention], int]:
    """The mentions at ``start:end`` when NER cut there a name the article writes in full
    elsewhere, and where the repaired name ends. All lie strictly inside it ("Mac" where "Mac OS X"
    is written): the full name replaces them. Or the last one starts inside and goes on after it
    ("Lockheed" + "Martin Aeronautics" where "Lockheed Martin" is written): NER put the boundary
    inside the name, which runs to that mention's end. Empty when one starts before ``start`` or
    already covers it."""
    inside: list[Mention] = []
    repaired_end = end
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.field != field_name or mention.end <= start or mention.start >= end:
            continue
        if mention.start < start or (mention.start, mention.end) == (start, end) or repaired_end > end:
            return [], end
        if mention.end > end:
            if mention.start == start or mention.label not in _SERIES_LABELS:
                return [], end
            repaired_end = mention.end
        inside.append(mention)
    return inside, repaired_end


def _joined_lone_words(mentions: Sequence[Mention]) -> list[Mention]:
    """An organisation NER cut before one capitalised word it called a person ("Google | Cloud
    revenue"): a person's name does not follow an organisation's with nothing between them, so the
    two are one name (a unit or product of it), typed as the organisation."""
    ordered = sorted(mentions, key=lambda m: (m.field, m.start))
    joined: dict[int, Mention] = {}  # id of the organisation's mention -> the joined mention
    dropped: set[int] = set()
    for previous, mention in itertools.pairwise(ordered):
        if (
            previous.field == mention.field
            and previous.label == "ORG"
            and mention.label == "PERSON"
            and mention.start == previous.end + 1
            and " " not in mention.text.strip()
            and mention.text[:1].isupper()
            and id(previous) not in dropped
        ):
            joined[id(previous)] = replace(previous, end=mention.end, text=f"{previous.text} {mention.text}")
            dropped.add(id(mention))
    if not joined:
        return list(mentions)
    return [joined.get(id(m), m) for m in mentions if id(m) not in dropped]


_CAPS_WORD = re.compile(r"(?<![\w.&'’-])[A-Z]{2,6}(?![\w.&'’-])")
# A capitalised word after the name, with the small words an institution's name holds before it
# ("Board of Control for Cricket | in India", "... Communications | and Theatre Union").
_CAPITALISED_WORD_AFTER = re.compile(r"(?: (?:and|of|for|in|on|the|&))* ([A-Z][\w'’-]*)")
_MAX_WORDS_AFTER = 4
# A one-word organisation name written in small letters after its capital may still be an
# acronym pronounced as a word ("Bectu", "Unison"): it only counts where words spell it.
_WORD_ACRONYM = re.compile(r"^[A-Z][a-z]{2,5}$")


def _spelled_by_acronyms(mentions: Sequence[Mention], texts: Mapping[FieldName, str]) -> list[Mention]:
    """An organisation NER cut before capitalised words (and the small words between them) that,
    with it, spell an acronym the article uses and names nothing else ("Amazon" in "Amazon Web
    Services" next to "AWS"; "Board of Control for Cricket" before "in India", with "BCCI") runs to
    them."""
    names = {clean_name(m.text) for m in mentions if m.label in ENTITY_LABELS}
    longs = [name for name in names if " " in name and not is_acronym(name)]
    word_acronyms = {
        name for m in mentions if m.label == "ORG" and _WORD_ACRONYM.match(name := clean_name(m.text))
    }
    acronyms = {
        name
        for name in {name for name in names if is_acronym(name)} | word_acronyms
        if not any(
            long[0] == name[0] and acronym_matches(name, long) for long in longs
        )  # initials: same first
    }
    if not acronyms:
        return list(mentions)
    out: list[Mention] = []
    for mention in mentions:
        text = texts.get(mention.field, "")
        end, grown = mention.end, mention.end
        for _ in range(_MAX_WORDS_AFTER if mention.label in _ORG_LIKE else 0):
            word = _CAPITALISED_WORD_AFTER.match(text, end)
            if word is None:
                break
            end = word.end()
            grown_name = clean_name(text[mention.start : end])
            words = set(grown_name.split())
            if any(a not in words and acronym_matches(a, grown_name) for a in acronyms):
                grown = end
        out.append(
            replace(mention, end=grown, text=text[mention.start : grown]) if grown > mention.end else mention
        )
    return out


def _missed_acronyms(mentions: Sequence[Mention], texts: Mapping[FieldName, str]) -> list[Mention]:
    """All-caps words NER missed that spell the initials of an organisation the article names:
    "ECB" next to "European Central Bank" (the small model misses acronyms in headlines and
    before titles: "ECB President Christine Lagarde")."""
    longs = {
        name
        for m in mentions
        if m.label in _ORG_LIKE and len((name := clean_name(m.text)).split()) >= 2 and not is_acronym(name)
    }
    if not longs:
        return []
    out: list[Mention] = []
    for field_name, text in texts.items():
        spans = [(m.start, m.end) for m in mentions if m.field == field_name]
        for match in _CAPS_WORD.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in spans):
                continue
            if any(acronym_matches(match.group(0), long) for long in longs):
                out.append(Mention(field_name, start, end, match.group(0), "ORG"))
    return out


_DATELINE_START = re.compile(
    r"([A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3})(?=(?:,\s*[A-Z][\w.]*\.?)?\s*(?:[-–—]|\())"
)


def _missed_dateline(mentions: Sequence[Mention], texts: Mapping[FieldName, str]) -> list[Mention]:
    """The ALL-CAPS place of a dateline opening the body ("FRANKFURT - The ..."), when NER missed it."""
    body = texts.get("body", "")
    match = _DATELINE_START.match(body)
    if (
        match is None
        or len(match.group(1)) < 3
        or any(m.field == "body" and m.start < match.end(1) for m in mentions)
    ):
        return []
    return [Mention("body", 0, match.end(1), match.group(1), "GPE")]


_LOWER_WORD_AFTER = re.compile(r" ([a-z]{3,})(?![\w'’-])")


def _continued(mentions: Sequence[Mention], texts: Mapping[FieldName, str]) -> list[Mention]:
    """Names NER cut before a lower-case word that belongs to them: "iPod" in "the iPod nano" when
    the article also writes the name capitalised ("The iPod Nano"), or the word alone as a name
    ("Classic, Nano and Shuffle") and in lower case only right after this name."""
    known = {_key(clean_name(m.text)) for m in mentions if m.label in ENTITY_LABELS}
    capitalised = {clean_name(m.text) for m in mentions if m.label in ENTITY_LABELS}
    out: list[Mention] = []
    for mention in mentions:
        text = texts.get(mention.field, "")
        match = _LOWER_WORD_AFTER.match(text, mention.end) if mention.label in _SERIES_LABELS else None
        if match is not None:
            name = clean_name(mention.text)
            word = match.group(1)
            if _key(f"{name} {word}") in known or (
                word.capitalize() in capitalised and _lower_only_after(name, word, texts.values())
            ):
                end = match.end(1)
                mention = Mention(mention.field, mention.start, end, text[mention.start : end], mention.label)
        out.append(mention)
    return out


def _lower_only_after(name: str, word: str, texts: Iterable[str]) -> bool:
    """Every lower-case ``word`` in the article follows ``name`` ("nano" only in "iPod nano")."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
    return all(text.endswith(f"{name} ", 0, m.start()) for text in texts for m in pattern.finditer(text))


def _ends_with_designator(surface: str) -> bool:
    tokens = clean_name(surface).split()
    return len(tokens) >= 2 and is_designator(tokens[-1].rstrip("s"))


def _is_common_word(form: str, texts: list[str]) -> bool:
    if " " in form or not form[:1].isupper() or not form[1:].islower():
        return False
    lower = form.lower()
    return any(lower in text for text in texts)


def _joined(text: str, index: int) -> bool:
    """True if the character at ``index`` glues a match to its neighbour (a word character or hyphen)."""
    if index < 0 or index >= len(text):
        return False
    char = text[index]
    return char == "-" or char.isalnum() or char == "_"


def _key(name: str) -> str:
    return name_key(name)


def _strip_edges(text: str, start: int) -> tuple[str, int]:
    """Strip surrounding whitespace and punctuation; a final period stays on abbreviations (U.S., Jr.)."""
    left = 0
    right = len(text)
    while left < right and (text[left].isspace() or text[left] in _EDGE_PUNCT):
        left += 1
    while right > left and (text[right - 1].isspace() or text[right - 1] in _EDGE_PUNCT):
        right -= 1
    if right > left and text[right - 1] == ".":
        last_word = text[left:right].split()[-1]
        if last_word.count(".") == 1 and len(last_word) > 4:
            right -= 1
    return text[left:right], start + left


@functools.lru_cache(maxsize=8192)
def clean_name(surface: str) -> str:
    """The name a surface form stands for: no leading "the", no possessive, no edge punctuation."""
    name, _ = _strip_edges(surface, 0)
    name = _POSSESSIVE.sub("", name)
    if _key(name) not in _KEEP_THE:
        name = _LEADING_THE.sub("", name)
    name, _ = _strip_edges(name, 0)
    return _SPACE.sub(" ", _INNER_QUOTES.sub("", name))


@functools.lru_cache(maxsize=8192)
def is_junk(name: str) -> bool:
    """Not a name: too short, no letters, all lower case, or markup/URL residue."""
    if len(name) < 2 or not any(ch.isalpha() for ch in name):
        return True
    if name.lower() == name and name.upper() != name:  # has cased letters, none upper case
        return True
    return _JUNK_CHARS.search(name) is not None


@dataclass(slots=True)
class _Item:
    mention: Mention
    surface: str
    span: Span
    name: str
    order: tuple[int, int]


@dataclass(slots=True, eq=False)
class _Group:
    key: str
    items: list[_Item] = field(default_factory=list)
    alias: tuple[str, str] | None = None  # (canonical name, type) from COUNTRY_ALIASES
    # Set when another group merged in: the name and type the merge decided (None: by vote).
    chosen_name: str | None = None
    chosen_type: str | None = None
    # name() and entity_type() are asked for often while merging; items only change in _absorb.
    cached_name: str | None = None
    cached_type: str | None = None

    @property
    def first(self) -> tuple[int, int]:
        return min(item.order for item in self.items)

    def label_votes(self) -> Counter[str]:
        return Counter(item.mention.label for item in self.items)

    def entity_type(self) -> str:
        if self.cached_type is None:
            self.cached_type = self._vote_type()
        return self.cached_type

    def _vote_type(self) -> str:
        if self.alias is not None:
            return self.alias[1]
        if self.chosen_type is not None:
            return self.chosen_type
        votes = self.label_votes()
        best = max(votes.values())
        # Tie: the label of the earliest mention among the tied ones.
        for item in sorted(self.items, key=lambda it: it.order):
            if votes[item.mention.label] == best:
                return item.mention.label
        raise AssertionError("unreachable: a group has at least one mention")

    def name(self) -> str:
        if self.cached_name is None:
            self.cached_name = self._choose_name()
        return self.cached_name

    def _choose_name(self) -> str:
        if self.alias is not None:
            return self.alias[0]
        if self.chosen_name is not None:
            return self.chosen_name
        # Names written in capitals only (headlines, datelines) vote only when nothing else does.
        items = [item for item in self.items if not _all_caps(item.name)] or self.items
        counts = Counter(item.name for item in items)
        best = max(counts.values())
        for item in sorted(items, key=lambda it: it.order):
            if counts[item.name] == best:
                return _display_case(item.name, item.mention.label)
        raise AssertionError("unreachable: a group has at least one mention")

    def tokens(self) -> tuple[str, ...]:
        return _tokens(self.name())

    def names(self) -> set[str]:
        return {item.name for item in self.items}


@functools.lru_cache(maxsize=8192)
def _tokens(name: str) -> tuple[str, ...]:
    return tuple(_key(name).split())


@functools.lru_cache(maxsize=8192)
def _all_caps(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _display_case(name: str, label: str) -> str:
    """An ALL-CAPS name longer than an acronym, or a dateline place, in title case ("BALTIMORE")."""
    if _all_caps(name) and (label in {"GPE", "LOC"} or len(name.replace(".", "")) > 6):
        return " ".join(word.capitalize() for word in name.split())
    return name


def _weight(item: _Item, lead_end: int | None) -> float:
    fld = item.mention.field
    if fld == "title":
        return TITLE_WEIGHT
    if fld == "subtitle":
        return SUBTITLE_WEIGHT
    if lead_end is not None and item.span.start < lead_end:
        return LEAD_WEIGHT
    return BODY_WEIGHT


def _is_affix(short: tuple[str, ...], long: tuple[str, ...]) -> Literal["prefix", "suffix", None]:
    if not short or len(short) >= len(long):
        return None
    if long[-len(short) :] == short:
        return "suffix"
    if long[: len(short)] == short:
        return "prefix"
    return None


def _retype_place_led_people(groups: dict[str, _Group]) -> None:
    """A name typed a person whose first word is a place the article names alone ("Manchester
    United" with "MANCHESTER", "Aston Villa" does not qualify) is a club or company named after
    the place, not a person: an organisation, so its last word alone ("United") can join it."""
    places = {g.key for g in groups.values() if g.entity_type() in _PLACE and len(g.tokens()) == 1}
    for group in groups.values():
        tokens = group.tokens()
        if group.entity_type() == "PERSON" and len(tokens) >= 2 and _key(tokens[0]) in places:
            group.chosen_type, group.cached_type = "ORG", None


def _clips(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Each word of ``short`` starts the same word of ``long`` (3+ letters), one of them shorter by
    3+ letters: "Man" of "Manchester" is clipped, "App" of "Apple" is a word of its own."""
    pairs = list(zip(short, long, strict=True))
    starts = all(len(a) >= 3 and b.casefold().startswith(a.casefold()) for a, b in pairs)
    return (
        starts
        and any(len(b) - len(a) >= 3 for a, b in pairs)
        and all(len(a) == len(b) or len(b) - len(a) >= 3 for a, b in pairs)
    )


def _merge_clipped_words(groups: dict[str, _Group]) -> None:
    """A name of several words, each the start of the same word of one longer name ("Man United"
    for "Manchester United"), is that name, named and typed by it (the model types such clipped
    forms at random); with two such longer names, neither."""
    for group in sorted(groups.values(), key=lambda g: g.first):
        tokens = group.tokens()
        if group.key not in groups or group.alias is not None or len(tokens) < 2:
            continue
        longs = [
            other
            for other in groups.values()
            if other is not group
            and other.alias is None
            and len(other.tokens()) == len(tokens)
            and _clips(tokens, other.tokens())
        ]
        if len(longs) == 1:
            _absorb(longs[0], group, groups, longs[0].name(), longs[0].entity_type())


# Words that start a surname ("Pieter van Dalen" ... "Van Dalen"): a name they begin is a surname
# written alone, capitalised at the start of a sentence or by custom, not a first and last name.
SURNAME_PARTICLES = frozenset(
    {
        "van",
        "von",
        "de",
        "der",
        "den",
        "da",
        "di",
        "du",
        "del",
        "della",
        "dos",
        "das",
        "ten",
        "ter",
        "le",
        "al",
        "el",
    }
)


def _merge_person_names(groups: dict[str, _Group], texts: Mapping[FieldName, str]) -> None:
    """Merge short names into the single PERSON full name they are the surname/first name of.

    A surname ("Rubio") joins whatever its label (the small model often calls surnames ORG); a
    first name only joins when it was tagged PERSON. A short name that fits two different full
    names ("Trump" with "Donald Trump" and "Melania Trump") stays on its own. Full names that share
    first and last token ("Donald Trump", "Donald J. Trump") are merged into the longest first.
    """
    persons = [
        g
        for g in groups.values()
        if g.alias is None
        and g.entity_type() == "PERSON"
        and len(g.tokens()) >= 2
        and g.tokens()[0] not in SURNAME_PARTICLES
    ]
    persons.sort(key=lambda g: (-len(g.tokens()), g.first))
    by_ends: dict[tuple[str, str], _Group] = {}
    for group in persons:
        toks = group.tokens()
        ends = (toks[0], toks[-1])
        target = by_ends.get(ends)
        if target is None:
            by_ends[ends] = group
        elif set(toks) <= set(target.tokens()):
            _absorb(target, group, groups, target.name(), "PERSON")
    full_names = list(by_ends.values())
    for group in list(groups.values()):
        if group.alias is not None or any(group is full for full in full_names) or group.key not in groups:
            continue
        if _names_a_place(group, texts):
            continue  # "Amman, Jordan" / "Jordanian" is not Michael Jordan's surname
        if _leads_an_organisation(group, groups):
            continue  # "buying Castellani leather": the firm "Castellani Pelletteria", not Giulio Castellani
        short = group.tokens()
        candidates = []
        for full in full_names:
            affix = _is_affix(short, full.tokens())
            # The family name ("Li" of "Li Qiang") joins whatever its label, as a surname does.
            surname_end = "prefix" if family_name_first(full.name()) else "suffix"
            if affix == surname_end or (affix is not None and group.entity_type() == "PERSON"):
                candidates.append(full)
        if len(candidates) > 1:  # "Dr Okafor" is the Okafor the article called Dr
            candidates = _same_title(group, candidates, texts)
        if len(candidates) != 1:
            continue
        _absorb(candidates[0], group, groups, candidates[0].name(), "PERSON")


def _leads_an_organisation(group: _Group, groups: dict[str, _Group]) -> bool:
    """A one-word name the model did not type a person that is the first word of an organisation's
    longer name in the article: the firm's short name as much as a person's surname (a family
    firm's founder), so the person's label claims nothing; the organisation rules decide."""
    if len(group.tokens()) != 1 or group.entity_type() == "PERSON":
        return False
    return any(
        other.alias is None
        and other.entity_type() == "ORG"
        and len(other.tokens()) > 1
        and other.tokens()[0] == group.tokens()[0]
        for other in groups.values()
    )


def _names_a_place(group: _Group, texts: Mapping[FieldName, str]) -> bool:
    """The article writes the one-word ``group`` as a place, so it is no person's surname: a
    country, a place adjective that joined it ("Jordanian", ``_resolve_place_adjectives``), or a
    mention the model typed a place right after "in" or after a place and a comma ("in Soria",
    "Amman, Jordan") or before a word for a kind of place ("the Ribeira district"), when most of
    its mentions are typed a place. Other mentions typed a place are surnames the small model
    mistyped, even after "near" or "from" ("near Slepian's house", "came from Kopp")."""
    if len(group.tokens()) != 1:
        return False
    places = [item for item in group.items if item.mention.label in _PLACE]
    if not places:
        return False
    if group.name().casefold() in _COUNTRIES or any(
        _adjective_of(item.name, group.name()) for item in group.items
    ):
        return True
    if 2 * len(places) <= len(group.items):
        return False  # "interest in Kopp" once among eight mentions of Kopp typed a person
    for item in places:
        text = texts.get(item.mention.field, "")
        before, after = text[max(0, item.span.start - 40) : item.span.start], text[item.span.end :]
        if (_IN_PLACE.search(before) and not _OWNER_AFTER.match(after)) or _PLACE_NOUN_AFTER.match(after):
            return True
    return False


# A lower-case word for a kind of place right after the name: "the riverside Ribeira district".
_PLACE_NOUN_AFTER = re.compile(
    r"\s+(?:district|region|province|county|valley|neighbou?rhood|municipality|borough|parish|peninsula)\b"
)


def _adjective_of(adjective: str, place: str) -> bool:
    """Is ``adjective`` the place adjective of ``place`` ("Jordanian" of Jordan, "Sorian" of Soria)?"""
    adjective, place = adjective.casefold(), place.casefold()
    return adjective != place and (
        DEMONYMS.get(adjective, "").casefold() == place or derives_from(adjective, place)
    )


# "in Soria", "Amman, Jordan": what comes before a place written as one, not a person.
_IN_PLACE = re.compile(r"\bin\s+$|\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?,\s+$")


def _titles(group: _Group, texts: Mapping[FieldName, str]) -> set[str | None]:
    """The titles written before a group's mentions (None for a mention without one)."""
    out: set[str | None] = set()
    for item in group.items:
        text = texts.get(item.mention.field, "")
        titled = _title_of(text, item.mention.start, item.mention.end)
        out.add(titled[0] if titled is not None else None)
    return out


def _same_title(short: _Group, candidates: list[_Group], texts: Mapping[FieldName, str]) -> list[_Group]:
    """The full names written with the one title every mention of ``short`` has."""
    titles = _titles(short, texts)
    if len(titles) != 1 or None in titles:
        return candidates
    return [full for full in candidates if titles <= _titles(full, texts)]


def _absorb(
    target: _Group, short: _Group, groups: dict[str, _Group], name: str | None, entity_type: str | None
) -> None:
    """Move ``short``'s mentions into ``target``; ``name``/``entity_type``: what the merged entity is
    called and typed (None: decided by vote over all its mentions)."""
    target.chosen_name = name
    target.chosen_type = entity_type
    target.items.extend(short.items)
    target.cached_name = target.cached_type = None
    if target.alias is None and short.alias is not None:
        target.alias = short.alias
    del groups[short.key]


# Labels of names that can be written short or long, as acronyms and with a maker's name.
_ORG_LIKE = frozenset({"ORG", "PRODUCT", "FAC", "EVENT", "WORK_OF_ART", "LAW"})
_PLACE = frozenset({"GPE", "LOC"})


def _org_like(group: _Group) -> bool:
    return group.alias is None and group.entity_type() in _ORG_LIKE


_PLACE_BEFORE = re.compile(
    r"\b(?:[Ii]n|[Aa]t|[Ff]rom|[Tt]o|[Nn]ear|[Oo]utside|[Aa]cross|[Aa]round|[Ii]nto|[Vv]ia|[Tt]hroughout|[Ww]ithin)"
    r"\s+(?:the\s+)?$|[A-Z][a-z]+,\s+$"
)
_PLACE_AFTER = re.compile(r"^(?:-based\b|,\s+[A-Z][a-z])")


def _placed(group: _Group, texts: Mapping[FieldName, str], *, owner_not_place: bool = False) -> bool:
    """The article uses the one-word ``group`` as a place: a dateline in capitals, a locative
    preposition before it ("in Halden"), "-based" or ", State" after it. A word the model typed a
    place with none of these, that is also the start of the one company name the article writes
    ("Halden Foods" ... "Halden chief executive"), names the company (``_merge_org_forms``)."""
    if group.alias is not None or len(group.tokens()) != 1:
        return True
    for item in group.items:
        text = texts.get(item.mention.field, "")
        if _all_caps(item.surface) or not text:
            return True
        before, after = text[max(0, item.span.start - 24) : item.span.start], text[item.span.end :]
        # ``owner_not_place``: in "from Daewon's Ulsan yard" the preposition governs the yard.
        owner = owner_not_place and _OWNER_AFTER.match(after) is not None
        if (_PLACE_BEFORE.search(before) and not owner) or _PLACE_AFTER.match(after):
            return True
    return False


_OWNER_AFTER = re.compile(r"^['’]s\b")


def _company_word(word: _Group, company: _Group, texts: Mapping[FieldName, str]) -> bool:
    """``word``, typed a place, is the short form of ``company`` (typed ORG: a facility named after
    its place, "Frankfurt Airport", leaves the place alone) when the article never uses it as one."""
    return company.entity_type() == "ORG" and not _placed(word, texts)


def _merge_headline_words(groups: dict[str, _Group], texts: Mapping[FieldName, str]) -> None:
    """A name seen only in the title that starts with a headline word ("First Airbus A380
    delivered": "first" is written in lower case in the article) loses that word when what is
    left is a name the article uses or a product with a designator ("Airbus A380")."""
    body = texts.get("body", "")
    for group in list(groups.values()):
        tokens = group.name().split()
        if group.alias is not None or len(tokens) < 2 or any(i.mention.field != "title" for i in group.items):
            continue
        if not re.search(rf"\b{re.escape(tokens[0].lower())}\b", body):
            continue
        rest = " ".join(tokens[1:])
        target = groups.get(_key(rest))
        if target is not None and target is not group:
            _absorb(target, group, groups, target.name(), target.entity_type())
        elif target is None and is_designator(tokens[-1]):
            del groups[group.key]
            group.key = _key(rest)
            group.chosen_name, group.cached_name = rest, None
            groups[group.key] = group


def _merge_plurals(groups: dict[str, _Group]) -> None:
    """ "iPods", "A380s" join "iPod", "A380" when the article also uses the singular."""
    for group in list(groups.values()):
        key = group.key
        if group.alias is not None or len(key) < 3 or not key.endswith("s") or key.endswith("ss"):
            continue
        singular = groups.get(key[:-1])
        if singular is not None and singular is not group and singular.alias is None:
            _absorb(singular, group, groups, singular.name(), None)


# Words of administrative divisions written after a place's own name ("Fukushima Prefecture",
# "Hubei Province", "Kern County"); not "City" or "State", which name another place ("Mexico
# City", "Washington State").
ADMIN_WORDS = frozenset(
    {"prefecture", "province", "county", "oblast", "governorate", "district", "region", "krai", "canton"}
)


# An administrative title written before a place's own name ("the Free State of Bavaria", "the
# Province of Quebec", "the Republic of Ireland"): the whole name is nothing but the title and the place.
_ADMIN_TITLE = re.compile(
    r"^(?:the\s+)?(?:free\s+|federal\s+)?(?:state|province|prefecture|region|canton|republic|kingdom"
    r"|commonwealth|emirate|principality|oblast|governorate)\s+of\s+(.+)$",
    re.I,
)


def _admin_place(group: _Group) -> str | None:
    """The place a name of an administrative division is of: "Fukushima Prefecture" (a place's
    type only: "Kent County Council" is an organisation of the county) or "the Free State of
    Bavaria" (any type but a person's: the model often types it an organisation)."""
    name = group.name()
    words = name.split()
    if len(words) >= 2 and words[-1].casefold() in ADMIN_WORDS and group.entity_type() in _PLACE:
        return " ".join(words[:-1])
    titled = _ADMIN_TITLE.match(name)
    return titled.group(1) if titled is not None and group.entity_type() != "PERSON" else None


def _merge_admin_places(groups: dict[str, _Group]) -> None:
    """A place written with its administrative word ("Fukushima Prefecture", "the Free State of
    Bavaria") and alone ("Fukushima", "Bavaria") is one place, named and typed as written alone
    (the form news repeats)."""
    for group in list(groups.values()):
        if group.key not in groups or group.alias is not None:
            continue
        place = _admin_place(group)
        bare = groups.get(_key(place)) if place is not None else None
        if bare is not None and bare is not group and bare.alias is None and bare.entity_type() in _PLACE:
            _absorb(bare, group, groups, bare.name(), bare.entity_type())


def _hyphen_full_name(form: str, name: str) -> bool:
    """True if ``form`` is a full name of several words hyphenated to ``name`` ("A.P. Moller-Maersk"
    for "Maersk"). One hyphenated word ("Hapag-Lloyd") is two names fused into a third company's,
    not a longer form of either ("Lloyd's" is another company)."""
    words = form.split()
    return len(words) >= 2 and words[-1].endswith("-" + name) and not words[-1].startswith("-")


def _merge_hyphen_tails(groups: dict[str, _Group]) -> None:
    """A company's full name joined by a hyphen to the name it trades under ("A.P. Moller-Maersk",
    with "Maersk") is that company, whatever type the model gave the long form (a person's, for
    its initials): one longer name only, the short one an organisation or product of 3+ letters.
    Named by the short form, the one news repeats."""
    for short in list(groups.values()):
        name = short.name()
        if short.key not in groups or len(short.tokens()) != 1 or len(name) < 3 or not _org_like(short):
            continue
        longs = [
            other
            for other in groups.values()
            if other is not short
            and other.alias is None
            and other.entity_type() not in _PLACE | {"NORP"}
            and any(_hyphen_full_name(form, name) for form in other.names())
        ]
        if len(longs) == 1:
            _absorb(short, longs[0], groups, name, "ORG" if short.entity_type() == "PRODUCT" else None)


def _merge_nicknames(groups: dict[str, _Group], texts: Mapping[FieldName, str]) -> None:
    """A model's nickname joins the model (see ``names.nickname_split``): "Boeing 787 Dreamliner" is
    "Boeing 787"; "787 Dreamliner" joins the one "<maker> 787" of the article; the nickname alone
    ("Dreamliner", which the small model often types a person) joins whichever of these it
    belongs to, as does a nickname introduced after the model ("the Boeing 787, or Dreamliner")."""
    by_designator: dict[str, list[_Group]] = {}
    for group in groups.values():
        tokens = group.name().split()
        if len(tokens) == 2 and is_designator(tokens[1]) and not is_designator(tokens[0]):
            by_designator.setdefault(tokens[1].casefold(), []).append(group)
    owners: dict[str, _Group] = {}
    for group in sorted(groups.values(), key=lambda g: g.first):
        split = nickname_split(group.name()) if group.key in groups and group.alias is None else None
        if split is None or group.entity_type() in _NOT_PRODUCTS - {"PERSON", "PER"}:
            continue
        base, nick = split
        models = by_designator.get(base.casefold(), []) if is_designator(base) else []
        target = (
            models[0] if len(models) == 1 else groups.get(_key(base)) if not is_designator(base) else None
        )
        if target is not None and target is not group:
            _absorb(target, group, groups, target.name(), target.entity_type())
        elif not is_designator(base):
            del groups[group.key]
            group.key, group.chosen_name, group.cached_name = _key(base), base, None
            groups[group.key] = group
            target = group
        owners.setdefault(_key(nick), target or group)
    for model, nick_group in _introduced_nicknames(groups, texts):
        owners.setdefault(nick_group.key, model)
    for nick, owner in owners.items():
        for key in (nick, nick + "s"):
            short = groups.get(key)
            if (
                short is not None
                and short is not owner
                and short.alias is None
                and owner.key in groups
                and short.entity_type() not in _PLACE
            ):
                _absorb(owner, short, groups, owner.name(), owner.entity_type())


_NICKNAME_INTRO = re.compile(r"\s*(?:,\s*or|\(|,\s*(?:also\s+)?(?:known\s+as|called))\s+(?:the\s+)?[\"“]?")


def _introduced_nicknames(
    groups: dict[str, _Group], texts: Mapping[FieldName, str]
) -> list[tuple[_Group, _Group]]:
    """(model, nickname) pairs written "the Boeing 787, or Dreamliner" / "Boeing 787 (Dreamliner)"."""
    starts = {
        (item.span.field, item.span.start): group
        for group in groups.values()
        if len(group.tokens()) == 1
        for item in group.items
    }
    pairs: list[tuple[_Group, _Group]] = []
    for group in groups.values():
        tokens = group.name().split()
        if len(tokens) != 2 or not is_designator(tokens[1]):
            continue
        for item in group.items:
            text = texts.get(item.span.field, "")
            match = _NICKNAME_INTRO.match(text, item.span.end)
            nick = starts.get((item.span.field, match.end())) if match else None
            if nick is not None and nickname_split(f"{tokens[1]} {nick.name()}") is not None:
                pairs.append((group, nick))
    return pairs


def _parenthetical_pairs(
    groups: dict[str, _Group], texts: Mapping[FieldName, str]
) -> list[tuple[_Group, _Group]]:
    """(name, short) pairs written "Name (SHORT)" or "SHORT (Name)": an explicit introduction; and
    (present, former) names written "Name, formerly Old Name"."""
    at, ends = _span_index(groups)
    pairs: list[tuple[_Group, _Group]] = []
    for fld, end, group in ends:
        text = texts.get(fld)  # type: ignore[call-overload]
        if text is None:
            continue
        match = _OPEN_PAREN.match(text, end)
        known_as = _KNOWN_AS.match(text, end)
        word = at.get((fld, known_as.end())) if known_as else None
        if (
            word is not None
            and _WORD_ACRONYM.match(word.name())
            and acronym_matches(word.name(), group.name())
        ):
            pairs.append((group, word))  # "... Theatre Union, known as Bectu"
            continue
        former = _FORMERLY.match(text, end)
        old_name = at.get((fld, former.end())) if former else None
        if old_name is not None and old_name is not group and _org_like(old_name) and _org_like(group):
            pairs.append((group, old_name))  # "Meta Platforms, formerly Facebook", "BP (formerly ...)"
            continue
        if match is None:
            apposition = _APPOSITION.match(text, end)
            inner = at.get((fld, apposition.end())) if apposition else None
            if inner is not None and _acronym_in_apposition(group.name(), inner.name()):
                pairs.append((group, inner))
            continue
        inner = at.get((fld, match.end()))
        if inner is None or inner is group:
            continue
        if _acronym_form(inner) and not _acronym_form(group):
            pairs.append((group, inner))
        elif _acronym_form(group) and not _acronym_form(inner):
            pairs.append((inner, group))
    return pairs


def _span_index(
    groups: dict[str, _Group],
) -> tuple[dict[tuple[str, int], _Group], list[tuple[str, int, _Group]]]:
    """The group of the mention starting at each (field, offset), and every mention's (field, end,
    group): what an introduction written after a name points to."""
    at: dict[tuple[str, int], _Group] = {}
    ends: list[tuple[str, int, _Group]] = []
    for group in groups.values():
        for item in group.items:
            at[(item.span.field, item.span.start)] = group
            ends.append((item.span.field, item.span.end, group))
    return at, ends


# How news gives a second name for what it has just named, written right after the name: a comma,
# at most four words of apposition with no preposition or relative word among them ("the Chilean
# carrier", "the trade body"; not "the maker of the drug known as Zantac", which names the drug),
# an acronym in parentheses allowed first ("(FOT), known in German as"), then a naming phrase:
# "known [in German | until 2024] as", "also known as", "formally / formerly called", "whose full
# name is", "whose name translates as", "that trades as". The second name starts at once.
_APPOSITION_WORD = r"(?!(?:of|for|from|with|by|behind|and|or|to|in|on|at|that|which|who|whose)\b)[\w'’-]+\s+"
_NAMING_ADVERB = (
    r"(?:(?:also|formerly|formally|officially|previously|once|still|now|widely|commonly|locally|better)\s+)"
)
_ALIAS_INTRO = re.compile(
    r"(?:\s*\([^()]{1,12}\))?,\s+(?:(?:the|an?)\s+(?:" + _APPOSITION_WORD + r"){1,4})?(?:"
    r"(?:(?:that|which)\s+(?:is|was)\s+)?" + _NAMING_ADVERB + r"?"
    r"known(?:\s+(?:in|until|since|before)\s+[\w'’-]+(?:\s+[\w'’-]+)?)?\s+as"
    # A bare "called" / "named" is a verb ("the carmaker named Ford as its rival"): only after an
    # adverb or "that is".
    r"|(?:(?:that|which)\s+(?:is|was)\s+" + _NAMING_ADVERB + r"?|" + _NAMING_ADVERB + r")"
    r"(?:called|named|styled|branded)"
    r"|whose\s+(?:(?:full|official|formal|legal|former|original|old)\s+)?name\s+(?:is|was|translates\s+as|means)"
    r"|(?:that|which)\s+trades\s+as|trading\s+as"
    r")\s+[\"“]?"
)
_THE = re.compile(r"the\s+", re.I)
_QUOTED = re.compile(r"[\"“]")
_POSSESSIVE_AFTER = re.compile(r"['’]s?\b")
# The parenthetical closes and no capitalised word follows: "the Criminal Justice (Corruption
# Offences) Act" is one name.
_CLOSE_PAREN = re.compile(r"(?:,\s*[A-Z][A-Za-z&]{1,7})?\s*\)(?!\s*[A-Z])")
# "the Federal Office of Transport (Bundesamt für Verkehr, BAV)": the foreign name's acronym after it.
_ACRONYM_AFTER = re.compile(r",\s*(?=[A-Z][A-Za-z&]{1,7}\s*\))")


def _introduced_aliases(
    groups: dict[str, _Group], texts: Mapping[FieldName, str]
) -> list[tuple[_Group, _Group, bool]]:
    """(name, second name, whether the second names the entity) the article introduces: after a
    naming phrase (``_ALIAS_INTRO``), or a whole parenthetical that is a name after an
    organisation's name (``_parenthetical_alias``; acronyms are ``_parenthetical_pairs``'). Not a
    possessive ("known as Acme's fixer"). A one-word name in parentheses is what the article goes on
    to write ("the Ghana Cocoa Board (Cocobod) ... Cocobod said"), so it names the entity, as a
    long expansion's acronym does; the stream then learns the long form for it (one word is never
    taught: ``aliases._introduced_name``)."""
    at, ends = _span_index(groups)
    lone_words = {key for key in groups if " " not in key}
    pairs: list[tuple[_Group, _Group, bool]] = []
    for fld, end, group in ends:
        text = texts.get(fld)  # type: ignore[call-overload]
        if text is None or group.entity_type() == "NORP":
            continue
        intro = _ALIAS_INTRO.match(text, end)
        second = _named_at(at, fld, text, intro.end()) if intro else None
        by_second = False
        if second is None:
            paren = _OPEN_PAREN.match(text, end)
            second = _named_at(at, fld, text, paren.end()) if paren else None
            if second is None or not _parenthetical_alias(group, second, text, fld, lone_words):
                continue
            by_second = len(second.tokens()) == 1
            pairs.extend((group, acronym, False) for acronym in _acronyms_after(second, at, text, fld))
        if intro and group.entity_type() in _PLACE and _QUOTED.search(text, intro.start(), intro.end() + 5):
            continue  # a place's epithet: Catanduanes, known as the "Land of the Howling Winds"
        if second is not group and second.entity_type() != "NORP" and not _possessive(second, text, fld):
            pairs.append((group, second, by_second))
    return pairs + _renamed_subjects(at, texts)


# A name the sentence's subject had or took, with "it" for the subject: "Alpenstrom last raised a
# dam in 1994, when it was still called Kraftwerke Arbenz", "Acme was renamed Beta in 2020", "Acme
# changed its name to Beta". "It" is no person, so a person's "when he was called" is not read.
_RENAMED = re.compile(
    r"\b(?:(?:when|while|before|until|after)\s+it\s+was\s+(?:still\s+|then\s+|once\s+|formerly\s+)?"
    r"(?:called|named|known\s+as)|(?:was|had\s+been|has\s+been)\s+renamed|renamed\s+itself"
    r"|changed\s+its\s+name\s+to)\s+[\"“]?"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’]?\s+|\n)")


def _renamed_subjects(
    at: dict[tuple[str, int], _Group], texts: Mapping[FieldName, str]
) -> list[tuple[_Group, _Group, bool]]:
    """(subject, other name, False) for each ``_RENAMED`` phrase whose sentence starts with a name
    and whose other name follows the phrase at once."""
    pairs: list[tuple[_Group, _Group, bool]] = []
    for fld, text in texts.items():
        sentence_starts = [start.end() for start in _SENTENCE_START.finditer(text)]
        mention_starts = sorted(pos for field, pos in at if field == fld)
        for match in _RENAMED.finditer(text):
            other = _named_at(at, fld, text, match.end())
            begin = sentence_starts[bisect.bisect_right(sentence_starts, match.start()) - 1]
            subject = _named_at(at, fld, text, begin)
            if other is None or subject is None or subject == other or _possessive(other, text, fld):
                continue
            # "it" is the subject only when no other name stands before it in the sentence ("Google
            # said that Bard was renamed Gemini"); a person is not "it" ("Smith joined the bank, when it
            # was called Union Trust"), unless the model typed both names so (a coined company).
            between = mention_starts[
                bisect.bisect_left(mention_starts, begin) : bisect.bisect_left(mention_starts, match.start())
            ]
            named_before = {id(at[(fld, pos)]) for pos in between}
            types = {subject.entity_type(), other.entity_type()}
            if named_before <= {id(subject)} and (types == {"PERSON"} or "PERSON" not in types):
                pairs.append((subject, other, False))
    return pairs


def _named_at(at: dict[tuple[str, int], _Group], fld: str, text: str, pos: int) -> _Group | None:
    """The group whose mention starts at ``pos``, or after a "the" there (NER's span may hold it
    or not: "the World Tourism Organization")."""
    the = _THE.match(text, pos)
    return at.get((fld, pos)) or (at.get((fld, the.end())) if the else None)


def _parenthetical_alias(
    group: _Group, inner: _Group, text: str, fld: str, lone_words: frozenset[str] | set[str] = frozenset()
) -> bool:
    """Is ``inner``, in parentheses right after the organisation ``group``, a second name of it: it
    fills the parentheses, ends the name, neither is an acronym, and it is no place, person or
    designator ("Kessler Schienenfahrzeuge AG (Kessler Rail Vehicles)", "Servicio Electoral de
    Chile (Servel)"). A name of two or more words the model typed a person counts when the article
    writes it again whole and none of its words alone (``lone_words``: the keys of its one-word
    names), as it would a person's surname: "the Fisheries Directorate (Fiskeri Direktoratet) ...
    Fiskeri Direktoratet said"."""
    if _acronym_form(group) or _acronym_form(inner) or group.entity_type() not in _ORG_LIKE:
        return False
    inner_type = inner.entity_type()
    if inner_type in _PLACE or (inner_type == "PERSON" and not _unreferenced_words(inner, lone_words)):
        return False
    if any(ch.isdigit() for ch in inner.name()):
        return False  # a designator or ticker: "Polar Satellite Launch Vehicle (PSLV-C64)"
    if inner.alias is not None or inner.name().casefold() in _COUNTRIES:
        return False  # "Canadian Imperial Bank of Commerce (Canada)", whatever its type
    return any(
        item.span.field == fld and _CLOSE_PAREN.match(text, item.span.end) is not None for item in inner.items
    )


_COUNTRIES = frozenset(place.casefold() for place in DEMONYMS.values())


def _unreferenced_words(name: _Group, lone_words: frozenset[str] | set[str]) -> bool:
    """``name`` has two or more words, each capitalised, the article writes it again in full and
    never by one of its words alone: news names a person in full once, then by surname ("Acme Corp
    (John Smith)" alone stays a person), and repeats an organisation's second name whole."""
    tokens = name.tokens()
    words = name.name().split()
    return (
        len(tokens) >= 2
        and len(name.items) >= 2
        and all(w[:1].isupper() for w in words)
        and not set(tokens) & lone_words
    )


def _acronyms_after(inner: _Group, at: dict[tuple[str, int], _Group], text: str, fld: str) -> list[_Group]:
    """The acronym written after a parenthetical name and a comma, "(Bundesamt für Verkehr, BAV)"."""
    out: list[_Group] = []
    for item in inner.items:
        match = _ACRONYM_AFTER.match(text, item.span.end) if item.span.field == fld else None
        acronym = at.get((fld, match.end())) if match else None
        if acronym is not None and _acronym_form(acronym):
            out.append(acronym)
    return out


def _possessive(group: _Group, text: str, fld: str) -> bool:
    return any(
        item.span.field == fld and _POSSESSIVE_AFTER.match(text, item.span.end) is not None
        for item in group.items
    )


def _merge_introduced_aliases(groups: dict[str, _Group], texts: Mapping[FieldName, str]) -> None:
    """A second name the article introduces (``_introduced_aliases``) joins the name written first,
    which names the entity (but a one-word name in parentheses); typed as an organisation or place
    when either was typed so."""
    for named, second, by_second in _introduced_aliases(groups, texts):
        if named.key not in groups or second.key not in groups or named is second:
            continue
        typed = [g.entity_type() for g in (named, second) if g.entity_type() in _ORG_LIKE | _PLACE]
        name = second.name() if by_second else named.name()
        _absorb(named, second, groups, name, typed[0] if typed else None)


_OPEN_PAREN = re.compile(r"\s*\(\s*(?:the\s+)?")
_KNOWN_AS = re.compile(r",?\s+(?:also\s+)?(?:known\s+as|called)\s+[\"“]?")
# A former name in apposition: "Meta Platforms, formerly Facebook,", "X (formerly known as
# Twitter)", "Stellar Corp., previously called ...": the old name is a form of the organisation,
# named by its present name (or its acronym, "BP, formerly British Petroleum"). A name must
# follow at once: "formerly part of General Electric" is a parent, not a name.
_FORMERLY = re.compile(
    r",?\s*\(?\s*(?:formerly|previously|once)(?:\s+(?:known\s+as|called|named))?\s+(?:the\s+)?[\"“]?"
)
# "the United Nations Children's Fund, UNICEF, ...": an acronym in apposition.
_APPOSITION = re.compile(r",\s+")


def _acronym_in_apposition(long: str, short: str) -> bool:
    """ "United Nations Children's Fund, UNICEF": an acronym after a comma names the organisation
    before it when that name has two content words or more and starts with the acronym's letter
    (not a list: "Ford, GM and Chrysler", "the World Health Organization, NATO")."""
    words = [w for w in long.split() if w.casefold() not in ACRONYM_FUNCTION_WORDS]
    return is_acronym(short) and not is_acronym(long) and len(words) >= 2 and long[:1] == short[:1]


# An acronym's expansion names the entity when it is short ("GM": "General Motors"); a longer one
# is written in varying words and spellings ("Defence"/"Defense", "&"/"and") while its acronym
# is what news repeats, so the acronym names it ("EADS").
_MAX_EXPANSION_NAME_WORDS = 3


def _merge_acronyms(groups: dict[str, _Group], texts: Mapping[FieldName, str]) -> None:
    """An acronym joins its expansion: introduced in parentheses ("Royal Air Force (RAF)"), or the one
    longer name in the article whose initials it spells (either may come first). The entity is
    named by the expansion when it has at most three words, else by the acronym."""
    linked: dict[int, _Group] = {}
    for long, short in _parenthetical_pairs(groups, texts):
        if short.alias is None and long.entity_type() != "PERSON":
            linked.setdefault(id(short), long)
    for group in list(groups.values()):
        if group.key not in groups or group.alias is not None:
            continue
        linked_long = linked.get(id(group))
        name = _acronym_form(group) or (group.name() if linked_long is not None else None)
        if name is None or (linked_long is None and not _may_be_acronym(group)):
            continue
        if linked_long is not None:
            # The article's own introduction, "Nuclear Regulation Authority (NRA)", holds whatever
            # type the model gave the acronym.
            long = linked_long
        else:
            candidates = _expansions(group, groups, acronym_matches) or _expansions(
                group, groups, _matches_as_written(groups)
            )
            if len(candidates) != 1:
                continue
            long = candidates[0]
        if long.key in groups:
            name = long.name() if len(long.tokens()) <= _MAX_EXPANSION_NAME_WORDS else name
            _absorb(long, group, groups, name, long.entity_type() if _org_like(long) else "ORG")


def _acronym_form(group: _Group) -> str | None:
    """The group's acronym: its name, or the one form it is written in when the name was put in
    title case for a place's type ("NRA" typed GPE is displayed "Nra")."""
    if is_acronym(group.name()):
        return group.name()
    forms = group.names()
    form = next(iter(forms))
    return form if len(forms) == 1 and is_acronym(form) else None


def _may_be_acronym(group: _Group) -> bool:
    """An acronym the model typed a person still spells an organisation when written in capitals
    only ("DB said", with "Deutsche Bahn"): people's initials do not spell an organisation's name
    (``_expansions`` offers no person). One typed a place is a place ("NRW", "UAE")."""
    entity_type = group.entity_type()
    return entity_type not in _PLACE and (entity_type != "PERSON" or group.name().replace(".", "").isupper())


def _matches_as_written(groups: dict[str, _Group]) -> Callable[[str, str], bool]:
    """``acronym_matches_written`` against the forms of the group named ``name`` as written,
    legal form included ("TSMC": "Taiwan Semiconductor Manufacturing Co.")."""

    written: dict[str, set[str]] = {}
    for group in groups.values():
        written.setdefault(group.name(), set()).update(
            clean_name(_LEADING_THE.sub("", item.surface)) for item in group.items
        )

    def matches(acronym: str, name: str) -> bool:
        return any(acronym_matches_written(acronym, surface) for surface in written.get(name, ()))

    return matches


def _expansions(
    short: _Group, groups: dict[str, _Group], matches: Callable[[str, str], bool]
) -> list[_Group]:
    """The names (not people, nationalities or other acronyms) ``short`` is a short form of. A name
    typed a person with a small function word inside ("Électricité de France") counts: the model
    takes such foreign names for people's, and an acronym in capitals spells no person's name."""
    return [
        other
        for other in groups.values()
        if other is not short
        and other.alias is None
        and (other.entity_type() not in {"PERSON", "NORP"} or _person_typed_name(other))
        and not is_acronym(other.name())
        and matches(short.name(), other.name())
    ]


def _person_typed_name(group: _Group) -> bool:
    """A name of three words or more typed a person with a small function word inside it."""
    tokens = group.tokens()
    return (
        group.entity_type() == "PERSON"
        and len(tokens) >= 3
        and any(token in ACRONYM_FUNCTION_WORDS for token in tokens[1:-1])
    )


def _merge_short_forms(groups: dict[str, _Group], texts: Mapping[FieldName, str]) -> None:
    """A one-word short form joins the one longer name it is clipped from (``short_form_matches``:
    "Fed", "Caltech", "BofA", "VW"), named by the long form. The model often calls such a word a
    person; it may still join when it has inner capitals ("BofA"), which first names do not. A name
    written as the dateline's credit ("STOCKHOLM, Nov. 26 (TT) -") is the agency that filed the
    story, written as the agency writes itself, not a clipping of a company the story names ("TT"
    is not "Tra|ton")."""
    for group in sorted(groups.values(), key=lambda g: g.first):
        if group.key not in groups or group.alias is not None or len(group.tokens()) != 1:
            continue
        if any(_is_credit(texts.get(i.span.field, ""), i.span) for i in group.items):
            continue
        name, entity_type = group.name(), group.entity_type()
        if entity_type in _PLACE | {"NORP"} or (
            entity_type == "PERSON" and not any(c.isupper() for c in name[1:])
        ):
            continue
        candidates = _expansions(group, groups, short_form_matches)
        keys = {other.key for other in candidates}
        # "Volkswagen Group" and "Volkswagen" are one name to come (generic last words).
        candidates = [o for o in candidates if _key(generic_tail_stripped(o.name()) or "") not in keys]
        if len(candidates) != 1:
            continue
        long = candidates[0]
        kind = long.entity_type() if _org_like(long) else entity_type if entity_type in _ORG_LIKE else "ORG"
        _absorb(long, group, groups, long.name(), kind)


def _merge_org_forms(groups: dict[str, _Group], texts: Mapping[FieldName, str]) -> None:
    """Short and long forms of one organisation or product (run after persons and acronyms).

    In this order, each time only when exactly one longer name fits:
    1. generic last words: "Apple Computer" / "Apple Corporation" join "Apple", named "Apple";
    2. head-word containment: a short name that ends a longer one ("A380" in "Airbus A380",
       "Air Force" in "United States Air Force", "Commission" in "European Commission") or is
       the head of an "X of Y" name ("Bank" in "Bank of England") joins it, named by the long one;
    3. truncation: a short organisation name that is a longer one without its last word, written
       out before it ("Northrop Grumman" ... "Northrop"), joins it. A long name that comes after
       the short one is more often a part ("Boeing" ... "Boeing Commercial Airplanes") and stays.
    A name typed as a nationality never joins an organisation this way, nor one typed as a place
    unless it is one word the article never uses as a place (``_placed``) and the company's name
    without its generic words (step 1 only), nor a one-word name typed as a person except by
    truncation or as the last word of a product or company name.
    """
    related = _related_names(groups, texts)
    for group in sorted(groups.values(), key=lambda g: (-len(g.tokens()), g.first)):
        if group.key not in groups or not _org_like(group):
            continue
        short = generic_tail_stripped(group.name())
        target = (groups.get(_key(short)) or _written_as(short, group, groups)) if short else None
        if (
            target is not None
            and target is not group
            and not _kept_apart(group, target, related)
            and target.alias is None
            and target.entity_type() != "NORP"
            and (target.entity_type() not in _PLACE or _company_word(target, group, texts))
        ):
            # The long name's type wins: "Marston Dairy" typed PERSON is the "Marston Dairy Group";
            # a place ("Washington" and "Washington Group") is not the company unless the article
            # never uses it as a place ("Halden Foods" ... "Halden chief executive").
            _absorb(target, group, groups, target.name(), group.entity_type())
    for group in sorted(groups.values(), key=lambda g: (len(g.tokens()), g.first)):
        if group.key not in groups or group.alias is not None:
            continue
        # A name of two words or more that ends an organisation's name is that organisation even
        # when the model typed it a person ("Music Store" in "iTunes Music Store"). A place at the
        # end of a company's name is where a unit of it works ("Toyota Battery Manufacturing
        # North Carolina"), not that company; nor is a place the name of a company minus its last
        # word ("Washington imposed sanctions" with "The Washington Post").
        if group.entity_type() in _PLACE | {"NORP"}:
            continue
        long = _containing_name(group, groups, texts)
        if long is not None and not _kept_apart(long, group, related):
            _absorb(long, group, groups, long.name(), long.entity_type())


# How news says two names are two related organisations, parent and part: "A, the grid subsidiary
# of state-owned utility B", "A is a subsidiary of B", "A, the chipmaking arm of B", "A, its joint
# venture with the supermarket group B" (B after at most four lower-case words), and "A, a B
# subsidiary". Such names share words ("Vattenfall Eldistribution" / "Vattenfall"), so the rules
# that join a name cut short would otherwise join them.
_RELATION_WORDS = (
    r"(?:subsidiary|subsidiaries|arm|unit|division|affiliate|parent(?:\s+company)?|owner"
    r"|spin-?off|joint\s+venture|sister\s+company|holding\s+company)"
)
_RELATED_AFTER = re.compile(
    r"(?:,\s+|\s+(?:is|was|became|remains)\s+)(?:the|an?|its|their)\s+(?:[\w'’-]+\s+){0,4}?"
    + _RELATION_WORDS
    + r"\s+(?:of|with|to)\s+(?:[a-z][\w'’-]*\s+){0,4}"
)
_RELATED_BEFORE = re.compile(r",\s+(?:the|an?)\s+")
_RELATION_AFTER_NAME = re.compile(r"(?:['’]s)?\s+(?:[a-z][\w'’-]*\s+){0,2}?" + _RELATION_WORDS + r"\b")


def _related_names(groups: dict[str, _Group], texts: Mapping[FieldName, str]) -> dict[int, list[_Group]]:
    """For each group (by ``id``), the groups the article says are its parent, subsidiary, unit,
    affiliate or joint venture (``_RELATED_AFTER``): distinct organisations whatever words they
    share."""
    at, ends = _span_index(groups)
    related: dict[int, list[_Group]] = defaultdict(list)
    for fld, end, group in ends:
        text = texts.get(fld)  # type: ignore[call-overload]
        if text is None:
            continue
        after = _RELATED_AFTER.match(text, end)
        other = _named_at(at, fld, text, after.end()) if after else None
        if other is None:
            before = _RELATED_BEFORE.match(text, end)
            other = _named_at(at, fld, text, before.end()) if before else None
            # The relation word follows this mention of ``other`` (the one right after ", a").
            if other is None or not any(
                item.span.field == fld
                and before is not None
                and before.end() <= item.span.start <= before.end() + len("the ")
                and _RELATION_AFTER_NAME.match(text, item.span.end) is not None
                for item in other.items
            ):
                continue
        if other is not group:
            related[id(group)].append(other)
            related[id(other)].append(group)
    return related


def _kept_apart(long: _Group, short: _Group, related: Mapping[int, list[_Group]]) -> bool:
    """``short`` may not join ``long``: the article says they are related organisations ("Vattenfall
    Eldistribution, the grid subsidiary of ... Vattenfall"), or ``short``'s words are in both
    ``long`` and a name related to it, so it may be either ("Daeyang" with "Daeyang Semiconductor
    Co., the chipmaking arm of Daeyang Group"; "Atlântica" with "Atlântica Baterias is a subsidiary
    of Grupo Atlântica"): it joins neither, as a short name that begins two longer ones does."""
    others = related.get(id(long), [])
    words = set(short.tokens())
    return any(other is short for other in others) or (
        words <= set(long.tokens()) and any(words <= set(other.tokens()) for other in others)
    )


def _written_as(short: str, group: _Group, groups: dict[str, _Group]) -> _Group | None:
    """The one other organisation the article also wrote as ``short``, a form it was merged with
    earlier ("BMW Group" with "Bayerische Motoren Werke AG" ... "BMW": the acronym joined its
    expansion before the generic words are dropped), else None."""
    key = _key(short)
    found = [
        other
        for other in groups.values()
        if other is not group and _org_like(other) and any(_key(name) == key for name in other.names())
    ]
    return found[0] if len(found) == 1 else None


def _containing_name(
    short: _Group, groups: dict[str, _Group], texts: Mapping[FieldName, str] | None = None
) -> _Group | None:
    toks = short.tokens()
    heads: list[_Group] = []
    truncations: list[_Group] = []
    for other in groups.values():
        if other is short or not _org_like(other):
            continue
        long = other.tokens()
        if is_acronym(other.name()) and len(toks) >= 2 and _initials_end(other.name(), toks):
            heads.append(other)
            continue
        if _ends_a_form(toks, other):
            # "the Commission" ends "Securities and Exchange Commission", a form of the group
            # named "SEC" (a long expansion is named by its acronym).
            heads.append(other)
            continue
        if len(long) <= len(toks):
            continue
        if long[-len(toks) :] == toks or long[: _head_end(long)] == toks:
            # A lone word the model typed a person that ends a product or company name the
            # article writes ("Nano" with "iPod nano") is that name.
            lone_person = short.entity_type() == "PERSON" and long[-1:] == toks
            if (
                _org_like(short)
                or len(toks) >= 2
                or (lone_person and other.entity_type() in {"ORG", "PRODUCT"})
            ):
                heads.append(other)
        elif any(_cut_to(toks, name) for name in _cores(other)) and _may_be_truncation(
            short, other, texts or {}
        ):
            truncations.append(other)
    if len(heads) == 1:
        return heads[0]
    if len(heads) > 1 and len(toks) == 1:
        return _nearest_before(short, heads)
    if heads or len(truncations) != 1:
        return None
    # A short name that begins two longer ones, whichever came first ("Siemens" with "Siemens
    # Mobility" and "Siemens Energy"), is a third organisation or ambiguous: it joins neither.
    # "Lockheed Martin" and "Lockheed Martin Aeronautics" go on the same way: one longer name.
    extended = {
        o.tokens()[len(toks)]
        for o in groups.values()
        if o is not short and _org_like(o) and _extends(toks, o)
    }
    if len(extended) == 1:
        return truncations[0]
    return None


def _merge_leading_words(groups: dict[str, _Group], texts: Mapping[FieldName, str]) -> None:
    """A one-word name joins the one longer name it is the first word of, whatever its length and
    order and whatever the model typed the word, when that name is surely an organisation's full
    name: written once with a legal form ("Daewon Marine Engineering Co." ... "Daewon", typed a
    person), or typed a person while its first word alone is typed an organisation or a group,
    which a person's first name alone is not ("Meridian Re" ... "Meridian", written after it).
    Apart stay: a word used as a place, a word typed a place that the language knows (below), a
    nationality word, a word of a person's name, and the first word of two longer names going on
    with different words (``_leading_targets``).

    A word typed a place joins only a legal-form name, and only when it is a coined word, unknown
    to the English frequency list (``zipf`` 0: "Koorinda" ... "Koorinda Resources Ltd", "Rheinmark"
    ... "Rheinmark Chemie AG", each typed GPE and never used as a place): the model types an
    unknown capitalised word a place by its shape, while a known place ("Singapore" beside
    "Singapore Airlines Ltd", "Washington") stays the place."""
    related = _related_names(groups, texts)
    for short in sorted(groups.values(), key=lambda g: g.first):
        if short.key not in groups or short.alias is not None or len(short.tokens()) != 1:
            continue
        place_typed = short.entity_type() in _PLACE
        if (
            (place_typed and zipf(short.key) > 0.0)
            or short.key in NATIONALITY_WORDS
            or _placed(short, texts, owner_not_place=True)
        ):
            continue
        targets = _leading_targets(short, groups)
        if len(targets) != 1:
            continue
        long = targets[0]
        if _kept_apart(long, short, related):
            continue
        if _legal_name(long) or (
            long.entity_type() == "PERSON"
            and short.entity_type() in {"ORG", "NORP"}
            and _first_outside_title(long) < _first_outside_title(short)
        ):
            kind = long.entity_type() if _org_like(long) else "ORG"
            _absorb(long, short, groups, long.name(), kind)


def _leading_targets(short: _Group, groups: dict[str, _Group]) -> list[_Group]:
    """The longer names that start with ``short``'s word, products aside ("Orbita Lyra-2"); none
    when a person's name has the word anywhere ("Michael Bloomberg")."""
    word = short.key
    targets: list[_Group] = []
    for other in groups.values():
        toks = other.tokens()
        if other is short or len(toks) < 2 or word not in toks:
            continue
        if toks[0] != word:
            if other.entity_type() == "PERSON":
                return []
            continue
        if other.alias is None and not _names_product(other.name().split()[-1]):
            targets.append(other)
    return targets


def _legal_name(group: _Group) -> bool:
    """``group`` (an organisation) is written with a legal form at least once ("... Co.")."""
    return _org_like(group) and any(
        strip_legal_form(clean_name(i.surface)) != clean_name(i.surface) for i in group.items
    )


def _cores(group: _Group) -> list[str]:
    """The group's name, and without its generic last words ("Vestas Wind Systems": "Vestas Wind")."""
    stripped = generic_tail_stripped(group.name())
    return [group.name()] if stripped is None else [group.name(), stripped]


def _cut_to(toks: tuple[str, ...], name: str) -> bool:
    """``toks`` is ``name`` without its last word, a plain word: "Harlow H900" is not "Harlow",
    nor "iPhone SDK" "iPhone"."""
    long, last = _tokens(name), name.split()[-1]
    return (
        len(long) == len(toks) + 1
        and long[: len(toks)] == toks
        and not is_designator(last.rstrip("s"))
        and not is_acronym(last)
        and not _names_product(last)
    )


def _extends(toks: tuple[str, ...], other: _Group) -> bool:
    """``other``'s name starts with ``toks`` and goes on with a word, not a model designator or an
    acronym ("Harlow Aerospace" extends "Harlow"; "Harlow H900" is its product, "Samsung MX" a
    unit's code)."""
    words = other.name().split()
    return (
        len(words) > len(toks)
        and other.tokens()[: len(toks)] == toks
        and not is_designator(words[len(toks)].rstrip("s"))
        and not is_acronym(words[len(toks)])
        and not _names_product(words[len(toks)])
    )


def _names_product(word: str) -> bool:
    """A word with digits after a company's name names one of its products, not another company
    ("Orbita Lyra-2", "Harlow H900"), so it does not make the company's name ambiguous."""
    return any(c.isdigit() for c in word)


def _ends_a_form(toks: tuple[str, ...], other: _Group) -> bool:
    """``toks`` (an organisation's head word or words) end a form of ``other`` that is not its name,
    where ``other`` is named by an acronym."""
    if not is_acronym(other.name()) or _acronym_form(other) is None:
        return False
    forms = [_tokens(name) for name in other.names() if not is_acronym(name)]
    return any(len(form) > len(toks) and form[-len(toks) :] == toks for form in forms)


# What is named after a person whose full name it holds ("Calouste Gulbenkian Foundation", "the
# Aurelio Benz Prize"), unlike a company of a person's name ("Charles River Laboratories", "Estee
# Lauder Companies"), whose short form the small model also types a person.
_NAMED_AFTER_A_PERSON = frozenset(
    {
        "foundation",
        "institute",
        "institution",
        "trust",
        "fund",
        "prize",
        "award",
        "medal",
        "museum",
        "gallery",
        "collection",
        "library",
        "centre",
        "center",
        "school",
        "college",
        "university",
        "hospital",
        "memorial",
        "stadium",
        "fellowship",
        "scholarship",
        "society",
        "lecture",
        "chair",
    }
)


def _may_be_truncation(short: _Group, long: _Group, texts: Mapping[FieldName, str]) -> bool:
    """``short`` (typed ORG, or PERSON: the small model calls unknown one-word company names
    people) may be ``long`` without its last word ("Northrop" for "Northrop
    Grumman"; a longer rest is rather a part or an event: "Apple Worldwide Developers
    Conference"): it has no longer form of its own ("Apple" that already took "Apple Computer" is
    not "Apple Corps"), and ``long`` is written out first outside the title (headlines use the
    short form). A name of two words or more typed a person is the person a foundation, prize or the
    like is named after ("Calouste Gulbenkian", "Calouste Gulbenkian Foundation",
    ``_NAMED_AFTER_A_PERSON``); before another word it is the company's short name the small model
    typed a person ("Charles River" for "Charles River Laboratories"), unless the model also typed it
    a place ("in Nova Scotia" beside "Nova Scotia Health": the place the body is named after)."""
    if short.entity_type() not in {"ORG", "PERSON"} or any(_key(name) != short.key for name in short.names()):
        return False
    if (
        short.entity_type() == "PERSON"
        and len(short.tokens()) > 1
        and (
            long.tokens()[-1] in _NAMED_AFTER_A_PERSON
            or any(item.mention.label in _PLACE for item in short.items)
        )
    ):
        return False
    return _first_outside_title(long, texts) < _first_outside_title(short, texts)


def _first_outside_title(group: _Group, texts: Mapping[FieldName, str] | None = None) -> tuple[int, int]:
    """Where the prose first writes the name: not in the title, nor as a dateline's credit
    ("SANTIAGO (Bloomberg) --" names the agency by its short name, as a headline does)."""
    orders = [
        item.order
        for item in group.items
        if item.mention.field != "title"
        and not (texts and _is_credit(texts.get(item.mention.field, ""), item.span))
    ]
    return min(orders) if orders else (99, 0)


def _initials_end(acronym: str, tokens: tuple[str, ...]) -> bool:
    """ "Air Force" ends "USAF": its initials are the acronym's last letters (a short reference)."""
    initials = "".join(token[0] for token in tokens if token not in {"of", "and", "the"})
    letters = acronym.replace(".", "").casefold()
    return len(letters) > len(initials) and letters.endswith(initials)


def definite_references(mentions: Sequence[Mention], texts: Mapping[FieldName, str]) -> list[Mention]:
    """Add "the Commission" for "European Commission", "the Bank" for "Bank of England".

    A capitalised head word after "the" refers to an organisation in the article whose name has
    that head (its last word, or the word before its first preposition: "Bank of England",
    "Department for Transport"); NER rarely tags it. When several organisations share the head,
    it refers to the one named last before it (a definite description's antecedent is the most
    recent name it fits, as in Hobbs-style resolution): "the European Medicines Agency ... the
    Agency" after "Medicines and Healthcare products Regulatory Agency". Left alone: a shared head
    with no such name before it, or whose occurrences point to different organisations.
    """
    heads: dict[str, list[tuple[tuple[int, int], str]]] = {}
    for mention in mentions:
        if mention.label != "ORG":
            continue
        tokens = clean_name(mention.text).split()
        if len(tokens) < 2:
            continue
        head = tokens[_head_end(tuple(t.casefold() for t in tokens)) - 1]
        if len(head) >= 3 and head.isalpha() and head[0].isupper() and not head.isupper():
            order = (FIELD_ORDER[mention.field], mention.start)
            heads.setdefault(head, []).append((order, _key(clean_name(mention.text))))
    if not heads:
        return list(mentions)
    found: dict[str, list[Mention]] = {}
    for field_name, text in texts.items():
        covered = bytearray(len(text))
        for mention in mentions:
            if mention.field == field_name:
                covered[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        for match in _DEFINITE.finditer(text):
            head = match.group(1)
            start, end = match.start(1), match.end(1)
            if head in heads and not any(covered[start:end]) and not _joined(text, end):
                found.setdefault(head, []).append(Mention(field_name, start, end, head, "ORG"))
    out = list(mentions)
    for head, references in found.items():
        names = {name for _, name in heads[head]}
        if len(names) == 1 or _one_antecedent(references, heads[head]):
            out.extend(references)
    return out


def _one_antecedent(references: list[Mention], names: list[tuple[tuple[int, int], str]]) -> bool:
    """Every reference's nearest preceding name (``names``: (order, key)) is the same one."""
    nearest = set()
    for reference in references:
        order = (FIELD_ORDER[reference.field], reference.start)
        before = [entry for entry in names if entry[0] < order]
        nearest.add(max(before)[1] if before else None)
    return len(nearest) == 1 and None not in nearest


def _nearest_before(short: _Group, candidates: list[_Group]) -> _Group | None:
    """The one candidate that is, for every mention of ``short`` (a head word: "the Bank"), the one
    named last before it; None when they differ or one has none before it."""
    chosen: set[int] = set()
    for item in short.items:
        before = [
            (max(i.order for i in c.items if i.order < item.order), n)
            for n, c in enumerate(candidates)
            if c.first < item.order
        ]
        if not before:
            return None
        chosen.add(max(before)[1])
    return candidates[chosen.pop()] if len(chosen) == 1 else None


# Prepositions after an organisation's head word: "Bank of England", "Department for Transport",
# "Commission on Human Rights".
_HEAD_PREPOSITIONS = ("of", "for", "on")


def _head_end(tokens: tuple[str, ...]) -> int:
    """Where an organisation name's head ends: before its first preposition after the first word
    ("Department for Energy Security" -> 1), else the whole name."""
    for index, token in enumerate(tokens[1:], start=1):
        if token in _HEAD_PREPOSITIONS:
            return index
    return len(tokens)


_DEFINITE = re.compile(r"\b[Tt]he ([A-Z][a-z]+)\b(?! of\b)")


def canonical_entities(
    mentions: Sequence[Mention],
    *,
    lead_end: int | None = None,
    texts: Mapping[FieldName, str] | None = None,
    language: str | None = None,
) -> list[Entity]:
    """Entities of one article, most salient first.

    ``lead_end``: offset in the body where the lead paragraph ends (its mentions weigh more);
    None: no body mention counts as lead. ``texts``: the article's fields, to see acronyms
    introduced in parentheses. ``language``: the article's; French names lose a leading article
    ("La Banque de France") as English ones lose "the".

    Resolution, in order: mentions group by name key (legal forms such as "Inc." dropped, country
    variants through ``COUNTRY_ALIASES``, US state abbreviations written out); a title-only name
    with a headline word in front joins the name without it; plurals join their singular; a
    place with its administrative word joins the place ("Fukushima Prefecture"); acronyms join
    their expansion; clipped short forms ("Fed", "BofA") join the name; a hyphenated full name
    joins the word it trades under ("A.P. Moller-Maersk"); short person names join the one full
    name they belong to; organisation and product forms join (``_merge_org_forms``). Each step
    only merges when exactly one target fits.
    """
    groups = _group_mentions(mentions, language)
    _resolve_place_adjectives(groups, texts or {})
    _merge_headline_words(groups, texts or {})
    _merge_plurals(groups)
    _merge_admin_places(groups)
    _merge_nicknames(groups, texts or {})
    _merge_acronyms(groups, texts or {})
    _merge_introduced_aliases(groups, texts or {})
    _merge_short_forms(groups, texts or {})
    _merge_hyphen_tails(groups)
    _retype_place_led_people(groups)
    _merge_clipped_words(groups)
    _merge_person_names(groups, texts or {})
    _merge_org_forms(groups, texts or {})
    _merge_leading_words(groups, texts or {})
    return _entities(groups, lead_end)


_FRENCH_ARTICLE = re.compile(r"^(?:l[ae]s?\s+|l['’])(?=[A-ZÀ-Ý])", re.I)


def _group_mentions(mentions: Sequence[Mention], language: str | None = None) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for mention in mentions:
        if mention.label not in ENTITY_LABELS:
            continue
        surface, surface_start = _strip_edges(mention.text, mention.start)
        name = clean_name(surface)
        if language == "fr":
            name = _FRENCH_ARTICLE.sub("", name)
        if mention.label == "PERSON" and strip_legal_form(name) != name:
            mention = replace(mention, label="ORG")  # no person's name ends "P/F" or "Ltd"
        if mention.label != "PERSON":
            name = strip_legal_form(name)
        if not surface or is_junk(name):
            continue
        name = _state_written_out(mention) or name
        key = _key(name)
        alias = _country_alias(key, mention.label)
        if alias is not None:
            key = _key(alias[0])
        item = _Item(
            mention=mention,
            surface=surface,
            span=Span(mention.field, surface_start, surface_start + len(surface)),
            name=name,
            order=(FIELD_ORDER[mention.field], surface_start),
        )
        group = groups.setdefault(key, _Group(key=key))
        group.items.append(item)
        if alias is not None:
            group.alias = alias
    _join_institution_forms(groups)
    _separate_clubs_from_places(groups)
    return groups


def _separate_clubs_from_places(groups: dict[str, _Group]) -> None:
    """A club written with its designator ("FC Porto") keys as its name without it, which is often
    its city's: when the article also writes that name as a place ("PORTO, Nov. 23", "a Porto
    club", typed a place), the club's mentions go to a group of their own, named with the
    designator, and the place stays the place."""
    for group in list(groups.values()):
        clubs = [i for i in group.items if _club_written(i)]
        rest = [i for i in group.items if not _club_written(i)]
        if not clubs or not any(i.mention.label in _PLACE for i in rest):
            continue
        group.items = rest
        group.cached_name = group.cached_type = None
        club_key = _key(clean_name(clubs[0].surface))
        club = groups.setdefault(club_key, _Group(key=club_key))
        club.items.extend(replace(i, name=clean_name(i.surface)) for i in clubs)


def _club_written(item: _Item) -> bool:
    """The mention is written with a club's designator first ("FC Porto"), not typed a place."""
    words = clean_name(item.surface).split()
    return (
        len(words) > 1
        and words[0].replace(".", "").casefold() in CLUB_FORMS
        and item.mention.label not in _PLACE
    )


_PLACE_FIRST_INSTITUTION = re.compile(r"^([^\s]+) (university|college)$")


def _join_institution_forms(groups: dict[str, _Group]) -> None:
    """A university or college the article names both ways round ("Cambridge University" and
    "University of Cambridge") is one. Only when it writes both: a form alone keeps its own key,
    because the two orders can name two bodies ("Washington University" in St. Louis is not the
    "University of Washington"); an article that writes both teaches the stream the alias."""
    for key in list(groups):
        match = _PLACE_FIRST_INSTITUTION.match(key)
        other = f"{match.group(2)} of {match.group(1)}" if match else None
        if other is not None and other in groups:
            groups[other].items.extend(groups.pop(key).items)


def _country_alias(key: str, label: str) -> tuple[str, str] | None:
    """(canonical name, type) of a country variant ("US" -> "United States"), else None."""
    entry = COUNTRY_ALIASES.get(key)
    if entry is not None and (entry[2] is None or label in entry[2]):
        return (entry[0], entry[1])
    return None


def _resolve_place_adjectives(groups: dict[str, _Group], texts: Mapping[FieldName, str]) -> None:
    """A place adjective the model typed a nationality is a mention of its place (see
    ``demonyms``): "British" of the United Kingdom, "Chilean" of Chile, "South Australian" of South
    Australia. Where the article writes the place, the adjective joins it when the table names that
    place (through ``COUNTRY_ALIASES``: "British" joins "Britain") or when it is made from the
    place's own name by a regular suffix (``derives_from``), the place typed GPE or LOC; where it
    never writes the place, an adjective of the table takes the place's name and type, so the place
    has one name and one id in every article. Not an adjective written as the first word of a
    longer name ("French Guiana" cut to "French", "Australian Securities Exchange"), nor a people's
    plural ("Chileans": no suffix makes it), nor an adjective of several places ("Korean")."""
    people = {
        (item.mention.field, item.span.start)
        for group in groups.values()
        for item in group.items
        if item.mention.label == "PERSON" and len(_tokens(item.name)) > 1
    }
    for key, group in list(groups.items()):
        if groups.get(key) is not group or any(item.mention.label != "NORP" for item in group.items):
            continue
        adjectives = [item for item in group.items if not _starts_longer_name(item, texts, people)]
        target = _adjective_place(key, groups, texts)
        if not adjectives or target is None:
            continue
        group.items = [item for item in group.items if item not in adjectives]
        if not group.items:
            del groups[key]
        _add_place_mentions(groups, target, adjectives)


def _adjective_place(
    key: str, groups: dict[str, _Group], texts: Mapping[FieldName, str]
) -> _Group | tuple[str, str] | None:
    """The place group the adjective ``key`` joins, or (name, type) of the place of the table
    the article never writes, or None. A place written only as the last word of a longer name
    ("Three UK", cut by the model to "UK") is not the place written. Neither place when the article
    writes a place whose name starts with an adjective of no table ("Dominica" and "the Dominican
    Republic"; the table's "Norwegian" is Norway's beside "the Norwegian Sea")."""
    place = DEMONYMS.get(key)
    if place is not None:
        written_out = COUNTRY_ALIASES.get(_key(place))
        alias = (written_out[0], written_out[1]) if written_out is not None else (place, "GPE")
        named = groups.get(_key(alias[0]))
        if named is None:
            return alias
        placed = named.alias is not None or named.entity_type() in _PLACE
        return named if placed and not _ends_longer_names(named, texts) else None
    if any(g.key.startswith(key + " ") for g in groups.values() if g.entity_type() in _PLACE):
        return None
    derived = [g for g in groups.values() if g.entity_type() in _PLACE and derives_from(key, g.key)]
    return derived[0] if len(derived) == 1 and not _ends_longer_names(derived[0], texts) else None


# A capitalised word before a name, itself after a lower-case or name word of the same sentence
# ("and Three UK"); not a sentence's first word ("The Netherlands", "In Britain").
_NAME_WORD_BEFORE = re.compile(r"[\w,;)’'][ \u00a0]+[A-Z][\w&’'.-]*[ \u00a0]+$")


def _ends_longer_names(group: _Group, texts: Mapping[FieldName, str]) -> bool:
    """Every mention of ``group`` is the last word of a longer capitalised name."""
    return all(
        _NAME_WORD_BEFORE.search(
            texts.get(item.mention.field, "")[max(0, item.span.start - 60) : item.span.start]
        )
        for item in group.items
    )


def _add_place_mentions(
    groups: dict[str, _Group], target: _Group | tuple[str, str], adjectives: list[_Item]
) -> None:
    """Adjective mentions become mentions of their place, named and typed as the place (so they
    never outvote its written name), keeping their own surface and span."""
    if isinstance(target, tuple):
        place_key = _key(target[0])
        place = groups.setdefault(place_key, _Group(key=place_key, alias=target))
    else:
        place = target
    name, label = place.name(), place.entity_type()
    place.items.extend(
        _Item(
            mention=replace(item.mention, label=label),
            surface=item.surface,
            span=item.span,
            name=name,
            order=item.order,
        )
        for item in adjectives
    )
    place.cached_name = place.cached_type = None


# A capitalised word right after an adjective continues a name ("French Guiana", "Swiss Re",
# "Australian Securities Exchange"), unless a person's full name starts there: a nationality
# before a person ("Norwegian Casper Lindahl") is still the adjective; a one-word "person" right
# after it is the rest of a place the model cut ("French" + "Guiana").
_NAME_GOES_ON = re.compile(r"[ \u00a0]+(?=[A-Z])")


def _starts_longer_name(
    item: _Item, texts: Mapping[FieldName, str], people: set[tuple[FieldName, int]]
) -> bool:
    """The adjective is the first word of a longer capitalised name (cut there by the model); a
    headline in title case ("Chilean Cherry Exporters Turn to Air") capitalises every word, so
    there a capital says nothing."""
    text = texts.get(item.mention.field, "")
    gap = _NAME_GOES_ON.match(text, item.span.end)
    if gap is None or (item.mention.field, gap.end()) in people:
        return False
    return item.mention.field == "body" or not _in_title_case(text)


_LONG_WORD = re.compile(r"\b[^\W\d_]{4,}\b")


def _in_title_case(text: str) -> bool:
    """Most words of four letters or more are capitalised (at least three of them)."""
    words = _LONG_WORD.findall(text)
    return len(words) >= 3 and sum(word[0].isupper() for word in words) >= 0.7 * len(words)


def _entities(groups: dict[str, _Group], lead_end: int | None) -> list[Entity]:
    scored: list[tuple[float, tuple[int, int], _Group]] = []
    for group in groups.values():
        score = sum(_weight(item, lead_end) for item in group.items)
        scored.append((score, group.first, group))
    if not scored:
        return []
    top = max(score for score, _, _ in scored)
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    entities: list[Entity] = []
    for score, _, group in scored:
        items = sorted(group.items, key=lambda it: it.order)
        surface_forms = list(dict.fromkeys(item.surface for item in items))
        name, entity_type = group.name(), group.entity_type()
        if entity_type not in _NOT_PRODUCTS:
            name = brand_of_part(self_identifying_designator(name, [item.name for item in items]))
        entities.append(
            Entity(
                name=name,
                type=entity_type,
                mentions=len(items),
                surface_forms=surface_forms,
                spans=[item.span for item in items],
                salience=round(score / top, 4),
                entity_id=entity_id(name, entity_type),
            )
        )
    return _join_same_names(entities)


# Types whose names never end in a model designator ("Route A1" is a road, "Louis XIV" a person).
_NOT_PRODUCTS = frozenset({"PERSON", "PER", "GPE", "LOC", "FAC", "NORP"})


def _join_same_names(entities: list[Entity]) -> list[Entity]:
    """Entities that got one name and id ("Airbus 380" and "Airbus A380", both "A380") become
    one, in the more salient one's place."""
    by_id: dict[str, int] = {}
    out: list[Entity] = []
    for entity in entities:
        index = by_id.get(entity.entity_id)
        if index is None:
            by_id[entity.entity_id] = len(out)
            out.append(entity)
            continue
        kept = out[index]
        out[index] = Entity(
            name=kept.name,
            type=kept.type,
            mentions=kept.mentions + entity.mentions,
            surface_forms=list(dict.fromkeys([*kept.surface_forms, *entity.surface_forms])),
            spans=sorted([*kept.spans, *entity.spans], key=lambda s: (FIELD_ORDER[s.field], s.start)),
            salience=kept.salience,
            entity_id=kept.entity_id,
        )
    return out
