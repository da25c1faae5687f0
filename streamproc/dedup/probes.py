"""Probe keys of an article and the aggregation of their answers (pure; the join drives them).

The join (``streamproc.join``: Kafka in the worker, ``OfflineJoin`` over dicts for ``process``)
runs these steps:

1. ``keys = probe_keys(enriched, settings, hasher)``; ``entries = keys.entries(...)``.
2. For each ``key, entry``: the owner of ``key`` runs :func:`~streamproc.dedup.index.probe`
   with ``horizon_s=key_horizon_s(key, settings)`` and answers ``outcome.earlier``.
3. With all answers: ``dedup, story = resolve(keys=..., answers=..., ...)`` (story: a ``StoryDecision``).
4. For each story key: the owner runs :func:`~streamproc.dedup.index.set_story`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from streamproc.config import DedupSettings
from streamproc.dedup.index import KeyEntry
from streamproc.dedup.minhash import MinHasher, Signature, band_keys, encode_signature
from streamproc.dedup.shingles import word_shingles
from streamproc.dedup.stories import (
    STORY_KEY_PREFIX,
    choose_story,
    new_story_id,
    story_entity_names,
    story_routing_keys,
)
from streamproc.dedup.verdict import decide
from streamproc.models import Dedup, EnrichedArticle
from streamproc.stories.profile import ArticleProfile, build_profile
from streamproc.stories.score import StoryDecision, StoryParams

FINGERPRINT_KEY_PREFIX = "fp:"
DAY_S = 86_400.0


def hasher_for(settings: DedupSettings) -> MinHasher:
    return MinHasher(settings.num_perm, seed=settings.minhash_seed)


# Learned-alias keys (streamproc/enrich/aliases.py) travel through the same join.
ALIAS_KEY_PREFIX = "al:"
# Not a probe key: what a band key's postings point to, once per owner partition (join/postings.py).
RECORD_KEY_PREFIX = "sg:"


def key_kind(key: str) -> str:
    """``"fingerprint"``, ``"band"``, ``"story"`` or ``"alias"`` (``"band record"`` for a band
    key's shared record, which is stored, never probed)."""
    if key.startswith(ALIAS_KEY_PREFIX):
        return "alias"
    if key.startswith(RECORD_KEY_PREFIX):
        return "band record"
    if key.startswith(FINGERPRINT_KEY_PREFIX):
        return "fingerprint"
    if key.startswith(STORY_KEY_PREFIX):
        return "story"
    if key.startswith("b"):
        return "band"
    raise ValueError(f"not a dedup probe key: {key!r}")


def key_horizon_s(key: str, settings: DedupSettings) -> float:
    """How long (event time) entries under ``key`` stay live: the story horizon for story keys."""
    days = settings.story_horizon_days if key_kind(key) == "story" else settings.horizon_days
    return days * DAY_S


@dataclass(frozen=True, slots=True)
class ProbeKeys:
    """Everything an article contributes to the dedup and story tables."""

    fingerprint_key: str  # "fp:<fingerprint>"
    band_keys: list[str]  # "b<i>:<hex>", empty when the body has no words
    story_keys: list[str]  # "st:<name>" for salient names and name words, "st:~<stem>" for event terms
    signature: Signature | None  # None when the body has no words
    signature_text: str | None  # the stored form on band entries (encode_signature)
    entity_names: list[str]  # the salient names the story keys were chosen from
    story_profile: ArticleProfile | None = None  # story evidence stored on story entries
    # "al:<coarse type>:<name>": aliases the article looks up or teaches (enrich/aliases.py); their
    # entries come from ``aliases.alias_entries``, not from ``entries``.
    alias_keys: list[str] = field(default_factory=list)

    @property
    def all_keys(self) -> list[str]:
        return [self.fingerprint_key, *self.band_keys, *self.story_keys, *self.alias_keys]

    def entries(self, *, article_id: str, source_key: str, event_time: float) -> dict[str, KeyEntry]:
        """The entry to probe/store under each key (signature on band keys, names on story keys)."""
        plain = KeyEntry(article_id=article_id, source_key=source_key, event_time=event_time)
        banded = KeyEntry(
            article_id=article_id, source_key=source_key, event_time=event_time, signature=self.signature_text
        )
        # A story decision reads the headline of the deciding article only (its own keys), never a
        # candidate's: stored entries, answered to every later article, leave it out.
        stored = None if self.story_profile is None else replace(self.story_profile, headline={})
        story = KeyEntry(article_id=article_id, source_key=source_key, event_time=event_time, profile=stored)
        out = {self.fingerprint_key: plain}
        out.update(dict.fromkeys(self.band_keys, banded))
        out.update(dict.fromkeys(self.story_keys, story))
        return out


def probe_keys(enriched: EnrichedArticle, settings: DedupSettings, hasher: MinHasher) -> ProbeKeys:
    """Shingle and MinHash the body, derive band keys and story keys."""
    if hasher.num_perm != settings.num_perm:
        raise ValueError(f"hasher has {hasher.num_perm} permutations, settings say {settings.num_perm}")
    shingles = word_shingles(enriched.body, settings.shingle_size)
    signature = hasher.signature(shingles) if shingles else None
    names = story_entity_names(enriched.entities, settings.story_max_names)
    profile = build_profile(
        title=enriched.title,
        body=enriched.body,
        entities=enriched.entities,
        published_at=enriched.published_at,
        published_at_source=enriched.published_at_source.value,
    )
    return ProbeKeys(
        fingerprint_key=FINGERPRINT_KEY_PREFIX + enriched.fingerprint,
        band_keys=[] if signature is None else band_keys(signature, settings.bands),
        story_keys=story_routing_keys(names, profile, enriched.title, settings.story_top_k),
        signature=signature,
        signature_text=None if signature is None else encode_signature(signature),
        entity_names=names,
        story_profile=profile,
    )


def key_max_entries(key: str, settings: DedupSettings) -> int:
    """How many entries a key keeps (its first and its newest)."""
    return settings.story_max_entries_per_key if key_kind(key) == "story" else settings.max_entries_per_key


def registered_name(entry: KeyEntry) -> str | None:
    """The name an alias entry registers (a teaching's or a spelling's), None for a bare lookup."""
    return entry.entity_names[0] if entry.entity_names else None


def key_identity(key: str) -> Callable[[KeyEntry], str | None] | None:
    """What a key keeps the first entry of when it is cut (``index.probe``): on alias keys each
    registered name, so two people registered under one surname stay two behind any number of
    lookups; elsewhere only the key's first entry."""
    return registered_name if key_kind(key) == "alias" else None


def story_params(settings: DedupSettings) -> StoryParams:
    return StoryParams(min_score=settings.story_min_score, horizon_s=settings.story_horizon_days * DAY_S)


def resolve(
    *,
    keys: ProbeKeys,
    article_id: str,
    source_key: str,
    event_time: float,
    answers: Mapping[str, Sequence[KeyEntry]],
    settings: DedupSettings,
) -> tuple[Dedup, StoryDecision]:
    """Dedup verdict and story decision from every key's answer (its ``ProbeOutcome.earlier``).

    A duplicate joins the story its original was recorded in, when a story answer shows it;
    otherwise the story is chosen like any article's (:func:`choose_story`).
    """
    exact = list(answers.get(keys.fingerprint_key, ()))
    near = [entry for key in keys.band_keys for entry in answers.get(key, ())]
    story_candidates = [entry for key in keys.story_keys for entry in answers.get(key, ())]
    dedup = decide(
        article_id=article_id,
        source_key=source_key,
        exact=exact,
        near=near,
        signature=keys.signature,
        threshold=settings.near_threshold,
    )
    if dedup.duplicate_of is not None:
        # A duplicate belongs to its original's story. An original whose entry has no story yet
        # founded its own (stories are only written back when an article joins an older one).
        for entry in story_candidates:
            if entry.article_id == dedup.duplicate_of:
                return dedup, StoryDecision(entry.story_id or new_story_id(entry.article_id), None)
    decision = choose_story(
        article_id=article_id,
        profile=keys.story_profile,
        arrival_time=event_time,
        candidates=story_candidates,
        params=story_params(settings),
        source_key=source_key,
    )
    return dedup, decision


def evict(entries: Sequence[KeyEntry], *, cutoff: float) -> list[KeyEntry]:
    """Entries with event time at or after ``cutoff``: for a periodic sweep of keys never probed again
    (most band keys are written once), which :func:`probe` alone would never evict."""
    return [entry for entry in entries if entry.event_time >= cutoff]
