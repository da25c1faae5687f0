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

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from streamproc.models import Entity, Span

FieldName = Literal["title", "subtitle", "body"]
FIELD_ORDER: dict[str, int] = {"title": 0, "subtitle": 1, "body": 2}

# OntoNotes labels that name things. CARDINAL, MONEY, PERCENT, QUANTITY, ORDINAL are numbers;
# DATE and TIME belong to the date extractor.
ENTITY_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
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


def mentions_from_spans(
    field_name: FieldName, text: str, spans: Iterable[tuple[int, int, str]]
) -> list[Mention]:
    """Mentions for NER spans ``(start, end, label)`` of one field, with context fixes (see module doc)."""
    out: list[Mention] = []
    for start, end, label in spans:
        if label not in ENTITY_LABELS:
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
        tail = _HYPHEN_TAIL.match(text, end)
        if tail is not None:
            end = tail.end()
        out.append(Mention(field_name, start, end, text[start:end], label))
    return out


def propagate_mentions(mentions: Sequence[Mention], texts: Mapping[FieldName, str]) -> list[Mention]:
    """Add the occurrences NER missed of names it found elsewhere in the same article.

    The small model misses names in headline case ("Rubio ramps up Ecuador support") and some
    in running text; an exact, case-sensitive, whole-word match of a surface form (or its cleaned
    name) that overlaps no existing mention becomes a mention with that form's majority label.
    Matches touching a hyphen are skipped ("American" in "Cuban-American"). A capitalised single
    word that also occurs in lower case in the article ("Will"/"will") is a common word that NER
    once took for a name: it is not propagated.
    """
    votes: dict[str, Counter[str]] = {}
    for mention in mentions:
        if mention.label not in ENTITY_LABELS:
            continue
        surface, _ = _strip_edges(mention.text, 0)
        for form in {surface, clean_name(surface)}:
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
        for mention in mentions:
            if mention.field == field_name:
                covered[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        # str.find per form: no per-article regex compile (this runs for every article).
        for form in forms:
            at = text.find(form)
            while at >= 0:
                end = at + len(form)
                if not _joined(text, at - 1) and not _joined(text, end) and not any(covered[at:end]):
                    covered[at:end] = b"\x01" * (end - at)
                    out.append(Mention(field_name, at, end, form, labels[form]))
                at = text.find(form, end)
    return out


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


@functools.lru_cache(maxsize=8192)
def _key(name: str) -> str:
    """Grouping key: case, periods, apostrophe style, dashes and spacing do not distinguish names."""
    text = unicodedata.normalize("NFKC", name).replace("’", "'").replace(".", "")
    text = text.replace("–", "-").replace("—", "-")
    return _SPACE.sub(" ", text).strip().casefold()


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
    return _SPACE.sub(" ", name)


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
    full_name: str | None = None  # set when short forms merged in: the PERSON full name, type PERSON
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
        if self.full_name is not None:
            return "PERSON"
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
        if self.full_name is not None:
            return self.full_name
        counts = Counter(item.name for item in self.items)
        best = max(counts.values())
        for item in sorted(self.items, key=lambda it: it.order):
            if counts[item.name] == best:
                return item.name
        raise AssertionError("unreachable: a group has at least one mention")

    def tokens(self) -> list[str]:
        return _key(self.name()).split()


def _weight(item: _Item, lead_end: int | None) -> float:
    fld = item.mention.field
    if fld == "title":
        return TITLE_WEIGHT
    if fld == "subtitle":
        return SUBTITLE_WEIGHT
    if lead_end is not None and item.span.start < lead_end:
        return LEAD_WEIGHT
    return BODY_WEIGHT


def _is_affix(short: list[str], long: list[str]) -> Literal["prefix", "suffix", None]:
    if not short or len(short) >= len(long):
        return None
    if long[-len(short) :] == short:
        return "suffix"
    if long[: len(short)] == short:
        return "prefix"
    return None


def _merge_person_names(groups: dict[str, _Group]) -> None:
    """Merge short names into the single PERSON full name they are the surname/first name of.

    A surname ("Rubio") joins whatever its label (the small model often calls surnames ORG); a
    first name only joins when it was tagged PERSON. A short name that fits two different full
    names ("Trump" with "Donald Trump" and "Melania Trump") stays on its own. Full names that share
    first and last token ("Donald Trump", "Donald J. Trump") are merged into the longest first.
    """
    persons = [
        g for g in groups.values() if g.alias is None and g.entity_type() == "PERSON" and len(g.tokens()) >= 2
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
            _absorb(target, group, groups)
    full_names = list(by_ends.values())
    for group in list(groups.values()):
        if group.alias is not None or any(group is full for full in full_names) or group.key not in groups:
            continue
        short = group.tokens()
        candidates = []
        for full in full_names:
            affix = _is_affix(short, full.tokens())
            if affix == "suffix" or (affix == "prefix" and group.entity_type() == "PERSON"):
                candidates.append(full)
        if len(candidates) != 1:
            continue
        _absorb(candidates[0], group, groups)


def _absorb(target: _Group, short: _Group, groups: dict[str, _Group]) -> None:
    if target.full_name is None:
        target.full_name = target.name()
    target.items.extend(short.items)
    target.cached_name = target.cached_type = None
    del groups[short.key]


def canonical_entities(mentions: Sequence[Mention], *, lead_end: int | None = None) -> list[Entity]:
    """Entities of one article, most salient first.

    ``lead_end``: offset in the body where the lead paragraph ends (its mentions weigh more);
    None: no body mention counts as lead.
    """
    groups: dict[str, _Group] = {}
    for mention in mentions:
        if mention.label not in ENTITY_LABELS:
            continue
        surface, surface_start = _strip_edges(mention.text, mention.start)
        name = clean_name(surface)
        if not surface or is_junk(name):
            continue
        key = _key(name)
        alias_entry = COUNTRY_ALIASES.get(key)
        alias: tuple[str, str] | None = None
        if alias_entry is not None and (alias_entry[2] is None or mention.label in alias_entry[2]):
            alias = (alias_entry[0], alias_entry[1])
            key = _key(alias_entry[0])
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
    _merge_person_names(groups)

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
        entities.append(
            Entity(
                name=group.name(),
                type=group.entity_type(),
                mentions=len(items),
                surface_forms=surface_forms,
                spans=[item.span for item in items],
                salience=round(score / top, 4),
            )
        )
    return entities
