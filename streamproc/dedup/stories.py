"""Story routing keys and the story decision, as the dedup join calls them.

An article meets candidate stories through ``st:<name>`` keys for its top few salient names
(ubiquitous names such as "United States" or wire agencies are never keys), and for the heaviest
name words its headline carries (``st:<word>``: "Delft museum" and "Museum Prinsenhof Delft" are
written apart, the headline names the same place); the decision then
scores each candidate story against the article's profile (``streamproc.stories``): what
happened (terms), to whom and where (names), and when (event time). :func:`choose_story` is the
one call the join makes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from streamproc.dedup.index import KeyEntry
from streamproc.models import Entity
from streamproc.stories.profile import (
    TYPE_WEIGHTS,
    UBIQUITOUS_NAMES,
    ArticleProfile,
    adjectives_apart,
    fold_accents,
    normalise_name,
    words,
)
from streamproc.stories.score import StoryDecision, StoryParams, decide_story, new_story_id

STORY_KEY_PREFIX = "st:"

__all__ = [
    "STORY_KEY_PREFIX",
    "UBIQUITOUS_NAMES",
    "StoryDecision",
    "StoryParams",
    "choose_story",
    "new_story_id",
    "normalise_name",
    "story_entity_names",
    "story_keys",
    "story_routing_keys",
]

# Name words of the headline routed on besides the whole names (the heaviest in the profile).
TITLE_NAME_KEYS = 2
# What happened, routed on too: a reaction, a local angle or an explainer often names none of the
# report's salient names ("Krakow mortgage holders to save hundreds of zlotys", "Shipping lines
# divert vessels as Belgian strike bites") but shares its rarest event words (zloty, dockworkers).
# ``st:~<stem>`` for the profile's heaviest terms and the headline's, and ``st:<word>`` for the
# profile's heaviest name word wherever the article names it (a watchdog's inquiry names the
# breached insurer in passing). The score still decides: these keys only widen the candidates.
TERM_KEYS = 5
HEADLINE_TERM_KEYS = 4
PROFILE_NAME_KEYS = 1
TERM_KEY_MARK = "~"


def story_entity_names(
    entities: Iterable[Entity],
    max_names: int,
    *,
    ubiquitous: frozenset[str] = UBIQUITOUS_NAMES,
) -> list[str]:
    """Up to ``max_names`` normalised entity names, most telling first (the routing candidates).

    Ranked by ``salience * TYPE_WEIGHTS[type]``, then mentions, then name (deterministic).
    """
    best: dict[str, tuple[float, int]] = {}
    for entity in adjectives_apart(entities):
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


def story_routing_keys(
    names: Sequence[str], profile: ArticleProfile | None, title: str | None, top_k: int
) -> list[str]:
    """The story keys of an article: its ``top_k`` most telling names (``names``, ranked by
    :func:`story_entity_names`), then up to ``TITLE_NAME_KEYS`` of its heaviest name words that its
    title carries and its ``PROFILE_NAME_KEYS`` heaviest name words, in one ``st:`` namespace (a
    one-word name and that word are one key), then ``st:~<stem>`` for its ``TERM_KEYS`` heaviest
    terms and its headline's ``HEADLINE_TERM_KEYS`` heaviest."""
    # Without diacritics, like the profile's words: "Vučić" and "Vucic" are one key.
    keys = [STORY_KEY_PREFIX + fold_accents(name) for name in names[:top_k]]
    if profile is not None and title and top_k > 0:
        in_title = set(words(title))
        heaviest = sorted(profile.names, key=lambda w: (-profile.names[w], w))
        keys.extend(STORY_KEY_PREFIX + w for w in [w for w in heaviest if w in in_title][:TITLE_NAME_KEYS])
        keys.extend(STORY_KEY_PREFIX + w for w in heaviest[:PROFILE_NAME_KEYS])
        for weights, count in ((profile.terms, TERM_KEYS), (profile.headline, HEADLINE_TERM_KEYS)):
            top = sorted(weights, key=lambda w: (-weights[w], w))[:count]
            keys.extend(STORY_KEY_PREFIX + TERM_KEY_MARK + w for w in top)
    return list(dict.fromkeys(keys))


def choose_story(
    *,
    article_id: str,
    profile: ArticleProfile | None,
    arrival_time: float,
    candidates: Sequence[KeyEntry],
    params: StoryParams,
    source_key: str = "",
) -> StoryDecision:
    """The story of ``article_id`` given the entries its story keys answered with.

    ``arrival_time`` is the article's replay-stable arrival (Kafka timestamp); its event time is
    its trustworthy publication time when it has one; ``source_key`` (``topic/partition/offset``)
    places it in the input order. No profile: a story of its own.
    """
    if profile is None:
        return StoryDecision(new_story_id(article_id), None)
    return decide_story(
        article_id=article_id,
        profile=profile,
        arrival_time=arrival_time,
        candidates=candidates,
        params=params,
        source_key=source_key,
    )
