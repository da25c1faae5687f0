"""Story matching: articles about the same event share a ``story_id`` even when the text differs.

Two articles belong to one story when, within a time horizon, their most salient named
entities overlap enough. Routing uses ``st:<name>`` keys for the top few names, so an
article only meets candidates that share at least one of its top names; the decision then
uses a longer list of names.

Ubiquitous names ("United States", "China", news agencies such as "AFP") would link
unrelated news, so they are never keys and never count as overlap. Among the rest, people,
organisations and events rank above places and nationalities (a meeting of two named people
says more than a country does). Two shared names at least are required, so one famous person
in common (e.g. "Donald Trump") does not merge two events.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from streamproc.dedup.index import KeyEntry
from streamproc.models import Entity

STORY_KEY_PREFIX = "st:"
STORY_ID_PREFIX = "s-"

# How much an entity of each type says about *which event* an article reports. Types not
# listed (DATE, MONEY, CARDINAL, PERCENT, LANGUAGE, ...) are not story evidence at all.
TYPE_WEIGHTS: dict[str, float] = {
    "PERSON": 1.0,
    "EVENT": 1.0,
    "ORG": 0.9,
    "FAC": 0.8,
    "LAW": 0.7,
    "LOC": 0.7,
    "GPE": 0.6,
    "PRODUCT": 0.6,
    "WORK_OF_ART": 0.6,
    "NORP": 0.4,
}

# Casefolded canonical names so frequent in news that sharing them links nothing: superpowers
# and blocs that appear in a large share of international news, and wire agencies that appear
# in bylines and photo credits of unrelated stories.
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


def normalise_name(name: str) -> str:
    return " ".join(name.casefold().split())


def story_entity_names(
    entities: Iterable[Entity],
    max_names: int,
    *,
    ubiquitous: frozenset[str] = UBIQUITOUS_NAMES,
) -> list[str]:
    """The article's story evidence: up to ``max_names`` normalised entity names, most telling first.

    Ranked by ``salience * TYPE_WEIGHTS[type]``, then mentions, then name (deterministic).
    """
    best: dict[str, tuple[float, int]] = {}
    for entity in entities:
        weight = TYPE_WEIGHTS.get(entity.type, 0.0)
        name = normalise_name(entity.name)
        if weight <= 0.0 or not name or name in ubiquitous:
            continue
        score = (max(entity.salience, 0.0) * weight, entity.mentions)
        # The same name under two types (e.g. "Quito" as GPE and FAC) counts once, at its best.
        if name not in best or score > best[name]:
            best[name] = score
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [name for name, _ in ranked[:max_names]]


def story_keys(
    entities: Iterable[Entity], top_k: int, *, ubiquitous: frozenset[str] = UBIQUITOUS_NAMES
) -> list[str]:
    """Routing keys ``"st:<name>"`` for the ``top_k`` most telling entity names (see module doc)."""
    return [STORY_KEY_PREFIX + name for name in story_entity_names(entities, top_k, ubiquitous=ubiquitous)]


def new_story_id(article_id: str) -> str:
    """The id of a story that ``article_id`` starts: derived from the id, so replays agree."""
    return (
        STORY_ID_PREFIX
        + hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    )


def entity_overlap(names_a: Iterable[str], names_b: Iterable[str]) -> tuple[float, int]:
    """(overlap coefficient ``|A∩B| / min(|A|,|B|)``, ``|A∩B|``) of two name lists.

    The overlap coefficient rather than Jaccard: a short follow-up naming few entities, all
    of them in a long report, is the same story.
    """
    set_a, set_b = set(names_a), set(names_b)
    if not set_a or not set_b:
        return 0.0, 0
    shared = len(set_a & set_b)
    return shared / min(len(set_a), len(set_b)), shared


def choose_story(
    *,
    article_id: str,
    entity_names: Sequence[str],
    event_time: float,
    candidates: Sequence[KeyEntry],
    min_overlap: float,
    horizon_s: float,
    min_shared: int = 2,
) -> str:
    """The story of the best-matching candidate, or a new story id derived from ``article_id``.

    A candidate matches when it is within ``horizon_s`` of ``event_time`` and shares at least
    ``min_shared`` names with an overlap coefficient of at least ``min_overlap``. The best has
    the highest overlap, then most shared names, then is closest in time, then answered first.
    A candidate whose story is not recorded yet (still in flight) stands for the story it
    would start, ``new_story_id(candidate.article_id)``.
    """
    best_rank: tuple[float, int, float] | None = None
    best_story: str | None = None
    for entry in candidates:
        if entry.entity_names is None or abs(entry.event_time - event_time) > horizon_s:
            continue
        overlap, shared = entity_overlap(entity_names, entry.entity_names)
        if shared < min_shared or overlap < min_overlap:
            continue
        rank = (overlap, shared, -abs(entry.event_time - event_time))
        if best_rank is None or rank > best_rank:
            best_rank = rank
            best_story = entry.story_id or new_story_id(entry.article_id)
    return best_story if best_story is not None else new_story_id(article_id)
