"""Aliases learned across articles (pure core; the table that stores them is the caller's).

An article that writes one organisation or product in two forms teaches the stream that the
shorter form stands for its canonical name: "General Motors (GM)" teaches GM -> General Motors,
"Apple Computer" next to "Apple" teaches Apple Computer -> Apple, "the Airbus A380 ... the A380"
teaches A380 -> Airbus A380. A later article that only writes "GM" then names the entity
"General Motors" and gives it the same ``entity_id``.

The table is the join's keyed, changelog-backed ``dedup-keys`` table (see ``streamproc.join``):
an article sends one probe per alias key, like its dedup keys, and the key's owner stores the
probe's entry and answers with the entries stored before it (a replayed article gets the same
answer and never sees itself). Per article:

1. ``alias_entries``: the keys it looks up (``lookup_keys``: its most salient organisation and
   product names) and the teachings it stores (``teachings``: from its own forms, before any
   renaming), as key entries (a teaching carries ``[canonical, type]`` in ``entity_names``);
2. when every answer is in, ``resolve_aliases`` renames its entities by the earliest teaching
   under each key (by another article) and merges entities that now share a name and id.

``store_teaching`` / ``apply_teachings`` are the same rules on plain lists (tests, tools).
Entries under alias keys expire like dedup entries (``dedup.horizon_days`` after their event
time) and a key keeps ``dedup.max_entries_per_key`` entries (its first one always): what the
stream learned in that window.

A facility looks up its own name too, and a name an article wrote after its place ("London
Heathrow", NER tagging "London" alone) looks up and registers the name without the place
(``place_led_keys``), so "Heathrow" elsewhere gets the same name whichever article came first.

What is taught is deliberately narrow: acronyms and clipped forms ("Fed", "BofA", "VW") and
their expansions, its name with generic
organisation words ("Computer", "Group") and the short form of a product named after its maker
("A380"), and a name of two words or more that shares no word with the canonical one, which only
an introduction puts in one entity ("UK Interactive Entertainment" for "Ukie"). Surnames, first
names and definite references ("the Commission") only hold within one article and are never
taught. People and places are not taught either (places have
``COUNTRY_ALIASES``, which needs no state); a person of a first and a last name, with or without
middle initials, only registers its spelling under the name without them (``person_key``), so
"Ingrid M. Solberg" and "Ingrid Solberg" meet, and take the first spelling when the stream has one
candidate (no two different initials). A person's full name also registers under its surname
(``surname_key``, ``al:surname:<surname>``), and a person an article writes by surname alone
("Solberg", "Ms Solberg") looks that key up and takes the first full name registered there, when
every full name there is one person (not "Amara Okafor" and "John Okafor"), no other name of the
article holds the word, the stream named no organisation so, and the word names no one thing
in general English or is a country, nationality or role (``_identifying_surname``). The surname
is not taught: it only reads what full names registered. Such a word that the stream named only
as an organisation (no full name under it) is that organisation ("Harwell", typed a person, after
"Harwell Group"; ``_as_organisation``).

Deterministic for a given input order: the earliest teaching of a key wins and is never
replaced, so a name does not flip back and forth as more articles arrive.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson

from streamproc.dedup.index import KeyEntry
from streamproc.dedup.probes import ALIAS_KEY_PREFIX
from streamproc.enrich.entities import COUNTRY_ALIASES, FIELD_ORDER, SURNAME_PARTICLES, clean_name
from streamproc.enrich.names import (
    EAST_ASIAN_FAMILY_NAMES,
    NATIONALITY_WORDS,
    ROLE_WORDS,
    acronym_matches,
    coarse_type,
    entity_id,
    family_name_first,
    generic_tail_stripped,
    initials,
    is_acronym,
    is_designator,
    leading_word,
    name_key,
    nationality_dropped,
    nickname_split,
    short_form_matches,
    strip_legal_form,
    truncated_name,
    without_role_words,
)
from streamproc.models import Entity, Span, dumps
from streamproc.stories.rarity import zipf

# Only names of organisations, products, events... ("name" coarse type) learn aliases.
TEACHABLE = "name"
# A key keeps at most this many teachings (distinct articles); the first one decides.
MAX_TEACHINGS_PER_KEY = 4


@dataclass(frozen=True, slots=True)
class Teaching:
    """``alias`` stands for ``canonical`` (of ``entity_type``), as article ``article_id`` wrote.

    ``spelling``: not an alias but the name as the article spelled it, registered under its
    loose key; it renames later spellings of the same name ("Mac OSX" -> "Mac OS X", "Moscone West
    Convention Center" -> "Moscone Center") only where no alias was taught."""

    alias: str
    canonical: str
    entity_type: str
    article_id: str
    spelling: bool = False
    initials: bool = False  # a name registered under its initials' key (``initials_key``)

    @property
    def key(self) -> str:
        return alias_key(self.alias, self.entity_type)


# The third element of a spelling registration's ``entity_names`` (a teaching has two), and of a
# name registered under its initials' key (read only by ``first_name``).
SPELLING_MARK = "="
INITIALS_MARK = "~"


def loose_key(name: str) -> str:
    """A name key that ignores spacing and hyphens too: "Mac OS X", "Mac OSX", "MacOS-X"."""
    return name_key(name).replace(" ", "").replace("-", "")


def alias_key(name: str, entity_type: str) -> str:
    """Table key of a name: ``al:<coarse type>:<loose key>`` ("al:name:gm", "al:name:macosx")."""
    return f"{ALIAS_KEY_PREFIX}{coarse_type(entity_type)}:{loose_key(name)}"


# A venue's name is its distinctive words and its head; qualifiers of a hall or wing vary from one
# article to the next ("Moscone Center", "Moscone West Convention Center", "the Moscone West center").
VENUE_HEADS = {"center": "center", "centre": "center", "hall": "hall", "arena": "arena", "stadium": "stadium"}
VENUE_QUALIFIERS = frozenset(
    {"convention", "conference", "exhibition", "exposition", "events", "north", "south", "east", "west"}
)
_NOT_VENUES = frozenset({"PERSON", "PER", "NORP"})


def venue_key(name: str, entity_type: str) -> str | None:
    """``al:venue:<words> <head>`` for a venue's name ("al:venue:moscone center"), else None."""
    tokens = name_key(name).split()
    head = VENUE_HEADS.get(tokens[-1]) if tokens and entity_type not in _NOT_VENUES else None
    rest = [token for token in tokens[:-1] if token not in VENUE_QUALIFIERS]
    if head is None or not rest:
        return None
    return f"{ALIAS_KEY_PREFIX}venue:{' '.join([*rest, head])}"


def alias_keys(name: str, entity_type: str) -> list[str]:
    """The keys a name is looked up under: its own, and when it starts with a country's
    abbreviation, the name with the country written out ("US Air Force" also looks up
    "United States Air Force", which an article writing "United States Air Force (USAF)" taught)."""
    keys = [alias_key(name, entity_type)]
    tokens = name.split()
    country = COUNTRY_ALIASES.get(name_key(tokens[0])) if len(tokens) > 1 and is_acronym(tokens[0]) else None
    if country is not None:
        keys.append(alias_key(" ".join([country[0], *tokens[1:]]), entity_type))
    return keys


def initials_key(entity: Entity) -> str | None:
    """The key of an organisation's initials ("al:name:mrc" for "Medical Research Council", "usaf"
    for "US Air Force": an acronym word gives all its letters), where its acronym would be taught.
    The name looks it up and registers there (``INITIALS_MARK``), but only ``first_name`` reads
    such a registration, and only where a teaching confirms that the acronym stands for the name:
    initials alone collide across a stream ("AP", "BA")."""
    if entity.type != "ORG" or is_acronym(entity.name):
        return None
    letters = initials(strip_legal_form(entity.name))
    return alias_key(letters, entity.type) if letters is not None else None


# "University of Oxford" and "Oxford University": one institution, written either way round.
_HEAD_OF_PLACE = re.compile(r"^(University|College) of ((?:[A-Z][\w'’.-]*\s?){1,3})$")


def inverted_key(entity: Entity) -> str | None:
    """The key of "<head> of <place>" written the other way round ("al:name:oxforduniversity" for
    "University of Oxford"): the name looks it up and registers there, so "Oxford University" in
    another article (whose own key that is) gets the same name whichever came first."""
    match = _HEAD_OF_PLACE.match(entity.name) if entity.type == "ORG" else None
    return alias_key(f"{match.group(2).strip()} {match.group(1)}", entity.type) if match else None


_MIDDLE_INITIAL = re.compile(r"^[A-Z]\.?$")


def person_key(entity: Entity) -> str | None:
    """The key of a person's first and last name without middle initials ("al:person:ingridsolberg"
    for "Ingrid M. Solberg" and "Ingrid Solberg"): a person of two names and initials between them
    looks it up and registers its spelling there, so the two spellings meet (``_person_name``)."""
    if entity.type != "PERSON":
        return None
    words = entity.name.split()
    names = [w for w in words[1:-1] if not _MIDDLE_INITIAL.match(w)]
    if len(words) < 2 or names or _MIDDLE_INITIAL.match(words[0]) or not words[-1][:1].isupper():
        return None
    return alias_key(f"{words[0]} {words[-1]}", entity.type)


def _initials_of(name: str) -> tuple[str, ...]:
    return tuple(w.rstrip(".") for w in name.split()[1:-1])


def _person_name(
    entity: Entity, key: str, found: Mapping[str, Sequence[Teaching]], article_id: str
) -> str | None:
    """The first spelling the stream gave a person under ``person_key``, where it differs from the
    entity's only by initials one of them leaves out, and the stream has one candidate: "George W.
    Bush" and "George H. W. Bush" are two people, so "George Bush" after both keeps its name, and
    neither takes the other's."""
    spellings = [t for t in found.get(key, ()) if t.spelling and t.article_id != article_id]
    initialled = {_initials_of(t.canonical) for t in spellings} - {()}
    own = _initials_of(entity.name)
    if not spellings or len(initialled | ({own} - {()})) > 1:
        return None
    return spellings[0].canonical


# Surnames (see ``surname_key``): the key prefix, the suffixes a full name may end with, and how
# frequent a word may be in general English and still identify one person when written alone.
SURNAME_KEY_PREFIX = f"{ALIAS_KEY_PREFIX}surname:"
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_CAPITALISED_WORD = re.compile(r"^[A-Z][\w'’-]*[a-z][\w'’-]*$")
# A middle initial ("W.", "H", "J.-P."): a full name's words between its first name and surname.
_INITIAL = re.compile(r"^[A-Z]\.?(?:-[A-Z]\.?)?$")
# At zipf 4 (ten per million words) a word is common ("young", "brown", "ford") or a place or
# name that many things share ("washington", "jordan", "johnson"): written alone, it names no
# one person ("perth" 3.9, "biden" 3.9, "okafor" 2.6 are below).
MAX_SURNAME_ZIPF = 4.0
# A Chinese family name is frequent because the name itself is ("xi" 4.1, "li" 4.3, "wang" 4.0), not
# as an English word; those that are English words stay out ("ma" 4.6, "park" 5.2, "lee" 4.7, "kim"
# 4.6). Which one person such a name stands for is the stream's one-person check's to say.
MAX_FAMILY_NAME_ZIPF = 4.5


def _surname_words(words: Sequence[str]) -> bool:
    """Words of a surname: a capitalised word, after particles ("Rijn", "van Rijn", "de la Cruz")."""
    *particles, last = words
    return bool(_CAPITALISED_WORD.match(last)) and all(w.casefold() in SURNAME_PARTICLES for w in particles)


def _identifying_surname(surname: str, *, family_name: bool = False) -> bool:
    """Can the surname alone stand for one person? Not a country, nationality or role word, nor a
    word common in general English (``MAX_SURNAME_ZIPF``; ``MAX_FAMILY_NAME_ZIPF`` for a Chinese or
    Korean family name written first, ``family_name``)."""
    limit = MAX_FAMILY_NAME_ZIPF if family_name else MAX_SURNAME_ZIPF
    key = name_key(surname)
    last = key.split()[-1] if key else ""
    return not (
        key in COUNTRY_ALIASES
        or key in NATIONALITY_WORDS
        or last in ROLE_WORDS
        or is_acronym(surname)
        or zipf(last) >= limit
    )


def full_name_surname(entity: Entity) -> str | None:
    """The surname of a person's full name ("Okafor" of "Amara Okafor", "van Rijn" of "Tim van
    Rijn", "Bush" of "George W. Bush"): a first name (not an initial, particle or role word), then
    at most two more words, a suffix ("Jr") dropped; None for anything else or a surname that does
    not identify a person alone (``_identifying_surname``). Words between the first name and the
    surname must be initials: a middle word may be a first of two surnames ("Gabriel García
    Márquez", "Pedro Sánchez Pérez"), and Spanish writes such a person by the first alone, so a
    "Márquez" alone is someone else."""
    if coarse_type(entity.type) != "person":
        return None
    words = entity.name.split()
    if len(words) > 2 and words[-1].rstrip(".").casefold() in _NAME_SUFFIXES:
        words = words[:-1]
    first = words[0] if words else ""
    if (
        not 2 <= len(words) <= 4
        or not _CAPITALISED_WORD.match(first)
        or _bare_word(first) in _NOT_FIRST_NAMES
    ):
        return None
    if family_name_first(" ".join(words)):
        # "Li Qiang", "Lee Jae-myung": the family name is written first
        return words[0] if _identifying_surname(words[0], family_name=True) else None
    start = next((i for i, w in enumerate(words[1:], 1) if w.casefold() in SURNAME_PARTICLES), len(words) - 1)
    surname = words[start:]
    if not all(_INITIAL.match(w) for w in words[1:start]) and not _written_alone(surname, entity):
        return None  # "Gabriel García Márquez": the last of two surnames is not the one used alone
    return " ".join(surname) if _surname_words(surname) and _identifying_surname(" ".join(surname)) else None


def _written_alone(surname: Sequence[str], entity: Entity) -> bool:
    """Does the article itself write the person by ``surname`` alone ("Mary Anne Haugland" ...
    "Haugland", "Ms Haugland")? Then a middle word is a second given name, not a first surname:
    Spanish usage would write "García Márquez" or "García", never the last word alone."""
    key = name_key(" ".join(surname))
    return any(name_key(without_role_words(clean_name(form))) == key for form in entity.surface_forms)


def _bare_word(word: str) -> str:
    return word.rstrip(".").casefold()


_NOT_FIRST_NAMES = SURNAME_PARTICLES | ROLE_WORDS


def surname_key(surname: str) -> str:
    """``al:surname:<loose key>``: where full names register under their surname."""
    return f"{SURNAME_KEY_PREFIX}{loose_key(surname)}"


def bare_surname_key(entity: Entity, entities: Sequence[Entity]) -> str | None:
    """The surname key a person written by surname alone looks up ("Okafor", "Ms Okafor": the
    title is dropped from a person's name), or None. Not when the article writes the word in
    another name (its own "Rebecca Teale" and "Graham Teale", "Kestrel Resources": the article
    either named the person in full or uses the word for something else), in a form that is not
    the name alone ("Kering SA"), or as a word that names no one person alone."""
    words = entity.name.split()
    if coarse_type(entity.type) != "person" or not words or not _surname_words(words):
        return None
    family_name = name_key(entity.name) in EAST_ASIAN_FAMILY_NAMES  # registered by family-first names only
    if not _identifying_surname(entity.name, family_name=family_name) or any(
        name_key(clean_name(f)) != name_key(entity.name) for f in entity.surface_forms
    ):
        return None
    word = name_key(words[-1])
    if any(other is not entity and word in name_key(other.name).split() for other in entities):
        return None
    return surname_key(entity.name)


def surname_org_key(entity: Entity) -> str:
    """The organisation key of a bare surname's word ("al:name:kestrel"), looked up with its
    surname key: an organisation the stream named so (its spelling or an alias) keeps the word
    from naming a person."""
    return alias_key(entity.name, "ORG")


def _one_person(names: Sequence[str]) -> bool:
    """Do the full names registered under one surname name one person? The same first name and
    surname, initials of one of them only or none ("Ingrid Solberg", "Ingrid M. Solberg"), not two
    ("Amara Okafor", "John Okafor"; "George W. Bush", "George H. W. Bush")."""
    ends = {(name_key(n).split()[0], name_key(n).split()[-1]) for n in names}
    initialled = {_initials_of(n) for n in names} - {()}
    return len(ends) == 1 and len(initialled) <= 1


def _surname_name(
    entity: Entity, entities: Sequence[Entity], found: Mapping[str, Sequence[Teaching]], article_id: str
) -> str | None:
    """The full name earlier articles gave a person this article writes by surname alone: the
    first registration under its surname key, when every full name registered there by other
    articles is that one person (``_one_person``) and no organisation is named by the word
    (``surname_org_key``). Each reader decides from the entries stored before it, so a replay
    decides the same; once two people share a surname, a bare mention read after both keeps it."""
    key = bare_surname_key(entity, entities)
    if key is None:
        return None
    people = [t for t in found.get(key, ()) if t.spelling and t.article_id != article_id]
    organisations = [t for t in found.get(surname_org_key(entity), ()) if t.article_id != article_id]
    if not people or organisations or not _one_person([t.canonical for t in people]):
        return None
    return people[0].canonical


def _as_organisation(
    entity: Entity, entities: Sequence[Entity], found: Mapping[str, Sequence[Teaching]], article_id: str
) -> Entity:
    """A word typed a person that the stream named only as an organisation ("Harwell" alone, typed a
    person, after "Harwell Group" or "Harwell" as a company elsewhere, and no full name registered
    under the word) is that organisation: typed as the first organisation entry by another article,
    it is then named as the organisation is (``_stream_name``). Else the entity unchanged."""
    key = bare_surname_key(entity, entities)
    if key is None or any(t.spelling and t.article_id != article_id for t in found.get(key, ())):
        return entity
    first = next((t for t in found.get(surname_org_key(entity), ()) if t.article_id != article_id), None)
    if first is None:
        return entity
    return replace(entity, type=first.entity_type, entity_id=entity_id(entity.name, first.entity_type))


def _teachable(entity: Entity) -> bool:
    return coarse_type(entity.type) == TEACHABLE


# One-word country names a company's unit may end with ("Toyota Canada").
_COUNTRY_WORDS = frozenset(key for key in COUNTRY_ALIASES if " " not in key)


def truncation_key(entity: Entity) -> str | None:
    """The key of an organisation's name cut short ("Samsung" of "Samsung Electronics", see
    ``names.truncated_name``; "Lufthansa" of "Deutsche Lufthansa", ``names.nationality_dropped``).
    An article that wrote both forms of one organisation (the long one first, as the resolution
    within an article asks) looks the short one up and registers its long name there, so the two
    forms get one name in every article whichever came first: a later "Samsung" alone takes
    "Samsung Electronics", or the long form takes an earlier "Samsung"."""
    if entity.type != "ORG":
        return None
    short = truncated_name(entity.name, country_words=_COUNTRY_WORDS)
    if short is None or not _wrote_truncation(entity, alias_key(short, entity.type)):
        # or its first word of three or more ("Lloyds Banking Group" ... "Lloyds"): the article
        # wrote both as one organisation, so the short form is its name, not a unit's
        short = leading_word(entity.name)
    if short is None or not _wrote_truncation(entity, alias_key(short, entity.type)):
        # or its leading nationality word dropped ("Deutsche Lufthansa" ... "Lufthansa")
        short = nationality_dropped(entity.name)
    return alias_key(short, entity.type) if short is not None else None


def generic_key(entity: Entity) -> str | None:
    """The key of an organisation's name without its generic last words ("al:name:meta" for "Meta
    Platforms", see ``names.GENERIC_ORG_WORDS``). Those words never tell two organisations apart
    (unlike a cut-short name's last word: "Siemens Energy" is not "Siemens"), so the long name
    always looks this key up and registers there, whether or not the article wrote the short
    form: "Meta Platforms" in one article and "Meta" alone in another get one name in either
    order."""
    if entity.type != "ORG":
        return None
    tokens = strip_legal_form(entity.name).split()
    end = len(tokens)
    while end > 1 and tokens[end - 1].casefold() in _GROUP_WORDS:
        end -= 1
    return alias_key(" ".join(tokens[:end]), entity.type) if end < len(tokens) else None


# The generic words ``generic_key`` drops: those of a group or its trade, not the words that end a
# name whose first word is an ordinary one ("General Motors", "General Computer": "General" is no
# company's name).
_GROUP_WORDS = frozenset(
    {"group", "holdings", "industries", "systems", "platforms", "global", "technologies", "foods"}
)


def model_key(entity: Entity) -> tuple[str, bool] | None:
    """A product model's key, its designator alone ("al:name:787"), and whether the entity looks
    it up. A maker's model ("Boeing 787") registers its name there; a model written without its
    maker ("787 Dreamliner", "787") looks it up, so it takes the maker's form an earlier article
    wrote whichever article taught the nickname (a maker's model never looks it up: "Fiat 500" is
    not "S&P 500")."""
    if entity.type != "PRODUCT":
        return None
    tokens = entity.name.split()
    if len(tokens) == 2 and is_designator(tokens[1]) and not is_designator(tokens[0]):
        return alias_key(tokens[1], entity.type), False
    split = nickname_split(entity.name)
    if split is not None and is_designator(split[0]):
        return alias_key(split[0], entity.type), True
    return None


def _wrote_truncation(entity: Entity, key: str) -> bool:
    return any(alias_key(_clean(surface), entity.type) == key for surface in entity.surface_forms)


# Places and facilities a place-led name is looked up as, by the name after its place.
_PLACE_LED_TYPES = ("ORG", "FAC")
_PLACE_TYPES = frozenset({"GPE", "LOC"})


def place_led_keys(entities: Sequence[Entity]) -> dict[str, list[str]]:
    """Entity name -> the keys of its name without the place that leads it, for a name (typed a
    place or an organisation) whose first words the article gave as a place of their own at the
    same offset ("London Heathrow" around "London", see ``entities._name_after_place``): the
    facility or company is named with and without its city ("Heathrow" in another article), so it
    looks up and registers the name after the place, as an organisation and as a facility."""
    places: dict[tuple[str, int], list[str]] = {}
    for entity in entities:
        if entity.type in _PLACE_TYPES:
            for span in entity.spans:
                places.setdefault((span.field, span.start), []).append(entity.name)
    out: dict[str, list[str]] = {}
    for entity in entities:
        if entity.type not in {"ORG", *_PLACE_TYPES}:
            continue
        leads = (
            place
            for span in entity.spans
            for place in places.get((span.field, span.start), ())
            if entity.name.startswith(f"{place} ")
        )
        place = next(leads, None)
        if place is not None:
            rest = entity.name[len(place) + 1 :]
            out[entity.name] = [alias_key(rest, label) for label in _PLACE_LED_TYPES]
    return out


def entity_keys(entity: Entity, place_led: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """The keys one entity looks up: its alias keys (organisations, products), a facility's own
    key, its venue key, the keys of its name after a leading place (``place_led_keys``), and
    the key of its name cut short when the article wrote that form too ("Samsung Electronics" ...
    "Samsung": an earlier article's "Samsung" names it, whichever of the two came first)."""
    keys = alias_keys(entity.name, entity.type) if _teachable(entity) else []
    keys.extend(place_led.get(entity.name, ()) if place_led is not None else ())
    venue = venue_key(entity.name, entity.type)
    short = truncation_key(entity)
    if short is not None and _wrote_truncation(entity, short):
        keys.append(short)
    keys.extend(key for key in (generic_key(entity), inverted_key(entity)) if key is not None)
    model = model_key(entity)
    if model is not None and model[1]:
        keys.append(model[0])
    if venue is not None:
        keys.append(venue)
    return [*keys, alias_key(entity.name, entity.type)] if entity.type == "FAC" else keys


def _register_only_keys(entity: Entity) -> list[str]:
    """Keys an entity registers its name under without looking them up: a maker's model's."""
    model = model_key(entity)
    return [model[0]] if model is not None and not model[1] else []


def lookup_keys(entities: Sequence[Entity]) -> list[str]:
    """The keys an article looks up, in entity order, without repeats; the organisations' initials
    keys last (``initials_key``: they only fill lookups left over)."""
    place_led = place_led_keys(entities)
    keys = [key for e in entities for key in entity_keys(e, place_led)]
    keys.extend(key for key in map(initials_key, entities) if key is not None)
    # People last: only lookups left over (a person's spelling matters less than a company's).
    keys.extend(key for key in map(person_key, entities) if key is not None)
    return list(dict.fromkeys(keys))


def surname_keys(entities: Sequence[Entity]) -> list[str]:
    """The surname keys of an article, probed on a budget of their own (``MAX_SURNAME_KEYS``, not
    after the lookups: a dense article's people came last there): each full name registers under
    its surname; a person written by surname alone looks that key up, and its word's organisation
    key."""
    keys = [surname_key(s) for s in map(full_name_surname, entities) if s is not None]
    for entity in entities:
        bare = bare_surname_key(entity, entities)
        keys.extend([bare, surname_org_key(entity)] if bare is not None else [])
    return keys


def _registers(entity: Entity) -> bool:
    """Is the entity's name a spelling worth registering? Not a headline in capitals ("IPOD NANO")."""
    letters = [ch for ch in entity.name if ch.isalpha()]
    return not (len(letters) > 6 and all(ch.isupper() for ch in letters))


def _form_teaches(form: str, canonical: str, *, spelled: bool = False) -> bool:
    """Is ``form`` (a surface form of the entity named ``canonical``) an alias worth teaching?
    ``spelled``: another form of the entity is an expansion the acronym ``canonical`` spells."""
    if name_key(form) == name_key(canonical):
        return False
    if is_acronym(form) and not is_acronym(canonical):
        return True  # the article merged them: by initials or a parenthetical introduction
    if short_form_matches(form, canonical):
        return True  # a clipped form: "Fed", "BofA", "VW"
    if _introduced_name(form, canonical) and (spelled or not is_acronym(canonical)):
        return True
    if is_acronym(canonical) and not is_acronym(form):
        return acronym_matches(canonical, form)  # a long expansion -> its acronym
    stripped = generic_tail_stripped(form)
    if stripped is not None and name_key(stripped) == name_key(canonical):
        return True
    if _nickname_of(form, canonical):
        return True
    form_tokens, canonical_tokens = name_key(form).split(), name_key(canonical).split()
    return (
        len(form_tokens) < len(canonical_tokens)
        and canonical_tokens[-len(form_tokens) :] == form_tokens
        and any(is_designator(token.upper()) for token in form_tokens)
    )


def _introduced_name(form: str, canonical: str) -> bool:
    """A name of two words or more that shares no word with the canonical one ("UK Interactive
    Entertainment" for "Ukie", "Bundesamt für Verkehr" for "FOT"): an introduction puts such a form
    in one organisation (an acronym's expansion, a parenthetical translation, "whose full name is",
    "known in German as", a former name), so it is an alias the stream may learn. Under an acronym
    only when a form the acronym spells confirms what it stands for ("Federal Office of Transport"),
    so a merge the acronym does not explain ("Severn Steel" with "USS") does not spread. One word is
    not taught ("Bundesamt", a piece NER cut, names many offices)."""
    form_words, canonical_words = set(name_key(form).split()), set(name_key(canonical).split())
    return len(form_words) >= 2 and not form_words & canonical_words


def _nickname_of(form: str, canonical: str) -> bool:
    """ "787 Dreamliner" or "Dreamliner" for "Boeing 787" (``names.nickname_split``)."""
    tokens = canonical.split()
    if len(tokens) != 2 or not is_designator(tokens[1]):
        return False
    split = nickname_split(form) or nickname_split(f"{tokens[1]} {form}")
    return split is not None and name_key(split[0]) in {name_key(tokens[1]), name_key(canonical)}


def _taught_forms(form: str) -> list[str]:
    """A nickname form is taught in the singular, with and without the designator: "787
    Dreamliners" teaches "787 Dreamliner" and "Dreamliner"."""
    split = nickname_split(form)
    if split is None:
        return [form]
    return [f"{split[0]} {split[1]}", split[1]]


def _clean(surface: str) -> str:
    return strip_legal_form(clean_name(surface))


def teachings(entities: Sequence[Entity], article_id: str) -> list[Teaching]:
    """The aliases an article teaches (see module doc), at most one per alias key."""
    out: dict[str, Teaching] = {}
    for entity in entities:
        if not _teachable(entity):
            continue
        spelled = is_acronym(entity.name) and any(
            acronym_matches(entity.name, _clean(surface)) for surface in entity.surface_forms
        )
        for surface in entity.surface_forms:
            for form in _taught_forms(_clean(surface)):
                if form and _form_teaches(form, entity.name, spelled=spelled):
                    teaching = Teaching(form, entity.name, entity.type, article_id)
                    out.setdefault(teaching.key, teaching)
    return list(out.values())


def store_teaching(stored: Sequence[Teaching], teaching: Teaching) -> list[Teaching]:
    """``stored`` plus ``teaching`` (the value to write back under its key). Unchanged when the
    same article already taught this key (a replay) or the key is full."""
    if any(t.article_id == teaching.article_id for t in stored) or len(stored) >= MAX_TEACHINGS_PER_KEY:
        return list(stored)
    return [*stored, teaching]


def earliest(stored: Sequence[Teaching], article_id: str, *, spelling: bool = False) -> Teaching | None:
    """The teaching that decides a key for ``article_id``: the earliest by another article (of
    aliases, or with ``spelling`` of spelling registrations)."""
    return next(
        (t for t in stored if t.article_id != article_id and t.spelling == spelling and not t.initials),
        None,
    )


def _same_name(a: str, b: str) -> bool:
    """Two spellings of one name, the country written out or not ("US Air Force")."""
    return bool(set(alias_keys(a, "ORG")) & set(alias_keys(b, "ORG")))


def first_name(stored: Sequence[Teaching], alias: str, meaning: str, article_id: str) -> str | None:
    """The first name the stream gave, under an alias's key, the entity that the alias is taught to
    stand for (``meaning``): the earliest entry by another article that is the alias itself as an
    article named an entity ("MRC" alone, read before any article introduced it), a registration of
    the meaning's own name (under its initials), or a teaching of the meaning. None when a teaching
    of another meaning comes first ("AP" for two organisations). Every article that meets the
    entity under this key computes the same name from the same first entry, so an acronym read
    before its expansion keeps naming the entity in every later article, whichever form they write.
    The caller checks that a teaching (the article's own or another's) gives this meaning."""
    for t in stored:
        if t.article_id == article_id:
            continue
        if not (t.spelling or t.initials):
            return t.canonical if _same_name(t.canonical, meaning) else None
        if (t.spelling and loose_key(t.canonical) == alias) or _same_name(t.canonical, meaning):
            return t.canonical
    return None


def apply_teachings(
    entities: Sequence[Entity], found: Mapping[str, Sequence[Teaching]], article_id: str
) -> list[Entity]:
    """Entities renamed by what earlier articles taught; two entities that now share a name and
    coarse type become one (mentions added, spans and forms joined, the higher salience kept)."""
    renamed: list[Entity] = []
    place_led = place_led_keys(entities)
    taught_here = {t.key: t for t in teachings(entities, article_id)}
    for entity in entities:
        entity = _as_organisation(entity, entities, found, article_id)
        keys = entity_keys(entity, place_led)
        name = _stream_name(entity, keys, found, article_id, taught_here, entities)
        if name is not None and name_key(name) != name_key(entity.name):
            entity = Entity(
                name=name,
                type=entity.type,
                mentions=entity.mentions,
                surface_forms=list(entity.surface_forms),
                spans=list(entity.spans),
                salience=entity.salience,
                entity_id=entity_id(name, entity.type),
            )
        renamed.append(entity)
    return _merge_same_ids(renamed)


def _stream_name(
    entity: Entity,
    keys: Sequence[str],
    found: Mapping[str, Sequence[Teaching]],
    article_id: str,
    taught_here: Mapping[str, Teaching],
    entities: Sequence[Entity],
) -> str | None:
    """The name earlier articles give the entity: a person's by its full name's spelling or, written
    by surname alone, by the one full name registered under its surname; a model's first name in
    the stream under its designator; else an alias taught under any of its keys first (as the
    first name the stream gave what it stands for, ``first_name``); else the first name under an
    alias of it that this article teaches or under its initials; else the earliest spelling of the
    same name."""
    if coarse_type(entity.type) == "person":
        person = person_key(entity)
        full = _person_name(entity, person, found, article_id) if person is not None else None
        return full or _surname_name(entity, entities, found, article_id)
    model = _first_model_name(entity, found, article_id)
    if model is not None:
        return model.canonical
    for key in keys:
        taught = earliest(found.get(key, ()), article_id)
        if taught is None:
            continue
        if is_acronym(taught.canonical):  # a long form taught for its acronym: as ``_expansion_keys``
            return _acronym_first_name(entity, taught.canonical, found, article_id)
        alias = key.rsplit(":", 1)[-1]
        return first_name(found.get(key, ()), alias, taught.canonical, article_id) or taught.canonical
    for key in _expansion_keys(entity, taught_here, found, article_id):
        name = first_name(found.get(key, ()), key.rsplit(":", 1)[-1], entity.name, article_id)
        if name is not None:
            return name
    untaught = _untaught_acronym_name(entity, found, article_id, taught_here)
    if untaught is not None:
        return untaught
    spelled = (earliest(found.get(key, ()), article_id, spelling=True) for key in keys)
    return next((t.canonical for t in spelled if t is not None), None)


def _acronym_first_name(
    entity: Entity, acronym: str, found: Mapping[str, Sequence[Teaching]], article_id: str
) -> str:
    """The name for an entity whose name an article taught to stand for ``acronym`` (it named the
    entity by the acronym: "United States Air Force (USAF)" -> "USAF"): the first name the stream
    gave under the acronym's key when this article looked it up (its initials' key), which is
    what the teaching article itself was renamed to, else the acronym."""
    stored = found.get(alias_key(acronym, entity.type))
    named = first_name(stored, loose_key(acronym), entity.name, article_id) if stored else None
    return named or acronym


def _expansion_keys(
    entity: Entity,
    taught_here: Mapping[str, Teaching],
    found: Mapping[str, Sequence[Teaching]],
    article_id: str,
) -> list[str]:
    """Keys of aliases that stand for the entity's name: those this article teaches for it, and
    its initials' key where another article taught that the acronym stands for this name. Not
    for a name that is itself the acronym (its expansion too long to name it: "USAF"): its own key
    is where the acronym's first name is, and it looks that up already."""
    if is_acronym(entity.name):
        return []
    keys = [key for key, t in taught_here.items() if t.canonical == entity.name]
    initials_at = initials_key(entity)
    if initials_at is not None and initials_at not in keys:
        confirmed = any(
            not (t.spelling or t.initials)
            and t.article_id != article_id
            and _same_name(t.canonical, entity.name)
            for t in found.get(initials_at, ())
        )
        if confirmed:
            keys.append(initials_at)
    return keys


# An acronym this long meets the one name whose initials it is without a teaching; shorter ones
# are the initials of too many names ("AP", "BA", "GE").
MIN_UNTAUGHT_ACRONYM = 3


def _untaught_acronym_name(
    entity: Entity,
    found: Mapping[str, Sequence[Teaching]],
    article_id: str,
    taught_here: Mapping[str, Teaching],
) -> str | None:
    """An acronym alone in one article ("WHO", "ONS") and its expansion alone in another ("World
    Health Organization"), where no article taught the acronym: both meet at the acronym's key
    (the acronym's own, the expansion's initials' key), and the first entry another article stored
    there names both, the acronym as an article named an entity or the expansion registered under
    its initials. Only for organisations, an acronym of 3+ letters, and no teaching stored at the
    key or made by this article there (``first_name`` decides then); an expansion only takes the
    acronym itself or its own name, never another name with the same initials."""
    if entity.type != "ORG":
        return None
    acronym = is_acronym(entity.name)
    key = alias_key(entity.name, entity.type) if acronym else initials_key(entity)
    if key is None or key in taught_here:
        return None
    alias = key.rsplit(":", 1)[-1]
    stored = found.get(key, ())
    if len(alias) < MIN_UNTAUGHT_ACRONYM or any(not (t.spelling or t.initials) for t in stored):
        return None
    first = next((t for t in stored if t.article_id != article_id), None)
    if first is None or first.entity_type != "ORG":
        return None
    if first.spelling and loose_key(first.canonical) == alias:
        return None if acronym else first.canonical
    if first.initials and (acronym or _same_name(first.canonical, entity.name)):
        return first.canonical
    return None


def _maker(name: str) -> str | None:
    tokens = name.split()
    return name_key(tokens[0]) if len(tokens) == 2 and is_designator(tokens[1]) else None


def _first_model_name(
    entity: Entity, found: Mapping[str, Sequence[Teaching]], article_id: str
) -> Teaching | None:
    """The earliest name another article gave the entity's model under its designator's key, in
    any form ("787 Dreamliner" or "Boeing 787"), so every form takes the first one the stream met;
    a maker's model only takes a name by the same maker or by none ("Fiat 500" not "S&P 500")."""
    model = model_key(entity)
    if model is None:
        return None
    maker = _maker(entity.name)
    return next(
        (
            t
            for t in found.get(model[0], ())
            if t.article_id != article_id and (maker is None or _maker(t.canonical) in {None, maker})
        ),
        None,
    )


def _merge_same_ids(entities: list[Entity]) -> list[Entity]:
    by_id: dict[str, Entity] = {}
    for entity in entities:
        kept = by_id.get(entity.entity_id)
        if kept is None:
            by_id[entity.entity_id] = entity
            continue
        by_id[entity.entity_id] = replace(
            kept,
            mentions=kept.mentions + entity.mentions,
            surface_forms=list(dict.fromkeys([*kept.surface_forms, *entity.surface_forms])),
            spans=sorted([*kept.spans, *entity.spans], key=lambda s: (FIELD_ORDER[s.field], s.start)),
            salience=max(kept.salience, entity.salience),
        )
    return sorted(by_id.values(), key=lambda e: -e.salience)


def ids_consistent(entities: Sequence[Entity]) -> bool:
    """Every entity's id is the function of its name and type (a check for tests and replays)."""
    return all(e.entity_id == entity_id(e.name, e.type) for e in entities)


# Per article: the most salient organisation/product names looked up, and the teachings sent.
# Twelve lookups: at eight, an article naming many airlines and models left its facilities and
# even its second maker unlooked-up (bench_entities.py: 7.2 alias probes per article, 6.4 at eight).
# Twenty-four: at twelve, a dense article (21 keys: written10 r01) left its inverted and initials
# keys unlooked-up, so "Oxford University" and "World Health Organization" met no other article.
MAX_LOOKUPS = 24
MAX_TEACHINGS = 4
MAX_REGISTRATIONS = 2
# Surname keys (``surname_keys``): 2.7 per article over written 1-13, 12 in the densest.
MAX_SURNAME_KEYS = 12


def alias_entries(
    entities: Sequence[Entity], *, article_id: str, source_key: str, event_time: float
) -> dict[str, KeyEntry]:
    """The article's probes of the alias table: key -> the entry to store there. A teaching stores
    ``entity_names = [canonical name, type]``; a lookup under an entity's own alias or venue key
    registers its spelling (``[name, type, "="]``); a lookup under another key (the country written
    out) stores a bare entry, which only marks that the article asked (the owner's replay guard
    needs every probe stored)."""
    own: dict[str, Entity] = {}
    place_led = place_led_keys(entities)
    for entity in entities:
        venue = venue_key(entity.name, entity.type)
        keys = [alias_key(entity.name, entity.type)] if _teachable(entity) or entity.type == "FAC" else []
        keys.extend(place_led.get(entity.name, ()))
        for key in [*keys, venue] if venue is not None else keys:
            if _registers(entity):
                own.setdefault(key, entity)
    # The short form an article wrote for an organisation registers its long name (after the
    # names of its own entities: an article that writes "Samsung" apart keeps that key for it).
    for entity in entities:
        short = truncation_key(entity)
        if short is not None and _registers(entity) and _wrote_truncation(entity, short):
            own.setdefault(short, entity)
        for extra in (generic_key(entity), inverted_key(entity)):
            if extra is not None and _registers(entity):
                own.setdefault(extra, entity)
        model = model_key(entity)
        if model is not None and _registers(entity):
            own.setdefault(model[0], entity)
    for entity in entities:
        person = person_key(entity)
        if person is not None and _registers(entity):
            own.setdefault(person, entity)
        surname = full_name_surname(entity)
        if surname is not None and _registers(entity):
            own.setdefault(surname_key(surname), entity)
    by_initials = {k: e for e in entities if (k := initials_key(e)) is not None and _registers(e)}
    out: dict[str, KeyEntry] = {}
    lookups = lookup_keys(entities)[:MAX_LOOKUPS]
    registrations = [key for e in entities for key in _register_only_keys(e) if key not in lookups]
    surnames = [key for key in dict.fromkeys(surname_keys(entities)) if key not in lookups]
    registrations = list(dict.fromkeys(registrations))[:MAX_REGISTRATIONS]
    for key in [*lookups, *registrations, *surnames[:MAX_SURNAME_KEYS]]:
        registered, mark = own.get(key), SPELLING_MARK
        if registered is None and key in by_initials:
            registered, mark = by_initials[key], INITIALS_MARK
        names = [registered.name, registered.type, mark] if registered is not None else None
        out[key] = KeyEntry(
            article_id=article_id, source_key=source_key, event_time=event_time, entity_names=names
        )
    for teaching in teachings(entities, article_id)[:MAX_TEACHINGS]:
        out[teaching.key] = KeyEntry(
            article_id=article_id,
            source_key=source_key,
            event_time=event_time,
            entity_names=[teaching.canonical, teaching.entity_type],
        )
    return out


def teaches(entry: KeyEntry) -> bool:
    """Whether an alias entry is a teaching or registers a name (a spelling, initials); a bare
    lookup, which only marks that its article asked, is not."""
    names = entry.entity_names
    if names is None:
        return False
    return len(names) == 2 or (len(names) == 3 and names[2] in {SPELLING_MARK, INITIALS_MARK})


def answered_alias_entries(entries: Sequence[KeyEntry]) -> list[KeyEntry]:
    """What an alias key's owner answers of the entries stored before a probe: those that teach
    (``teaches``), the only ones ``teachings_in`` reads. Most entries of a busy key (a surname)
    are bare lookups, and each answer travelled to the collector, was stored with the input and
    decoded there for nothing."""
    return [entry for entry in entries if teaches(entry)]


def teachings_in(key: str, entries: Sequence[KeyEntry]) -> list[Teaching]:
    """The teachings among a key's stored entries, oldest first (lookups carry none)."""
    alias = key.rsplit(":", 1)[-1]
    out: list[Teaching] = []
    for entry in answered_alias_entries(entries):
        names = entry.entity_names
        assert names is not None  # ``teaches``
        mark = names[2] if len(names) == 3 else None
        spelling, by_initials = mark == SPELLING_MARK, mark == INITIALS_MARK
        out.append(Teaching(alias, names[0], names[1], entry.article_id, spelling, by_initials))
    return out


def resolve_aliases(
    entities: Sequence[Mapping[str, Any]], answers: Mapping[str, Sequence[KeyEntry]], article_id: str
) -> list[Any]:
    """A record's entities (JSON form) renamed by the alias table's answers (each key's entries
    stored before this article's, oldest first): what the join's finalize step applies."""
    found = {key: teachings_in(key, entries) for key, entries in answers.items()}
    resolved = apply_teachings([entity_from_json(e) for e in entities], found, article_id)
    return list(orjson.loads(dumps(resolved)))


def entity_from_json(value: Mapping[str, Any]) -> Entity:
    return Entity(
        name=value["name"],
        type=value["type"],
        mentions=value["mentions"],
        surface_forms=list(value["surface_forms"]),
        spans=[Span(s["field"], s["start"], s["end"]) for s in value["spans"]],
        salience=value["salience"],
        entity_id=value.get("entity_id") or entity_id(value["name"], value["type"]),
    )
