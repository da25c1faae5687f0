"""Per-key candidate lists: what one dedup/story table value holds, and the probe on it.

A table maps a probe key (``fp:...``, ``b<i>:...``, ``st:...``) to a list of
:class:`KeyEntry`, oldest first. :func:`probe` is the only read-modify-write on it: the
partition owning the key appends the new article and answers with the articles seen
before it. It is pure and deterministic, so the Faust worker and the offline command share it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from streamproc.stories.profile import ArticleProfile

DEFAULT_MAX_ENTRIES_PER_KEY = 50


class KeyEntryError(ValueError):
    """A stored table value is not a valid key entry."""


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One article seen under one key.

    ``source_key`` identifies the input message (``topic/partition/offset``): it is what makes
    a replay recognisable. ``signature`` (encoded MinHash) is set on band keys only,
    ``profile`` (the article's story evidence) on story keys only; ``story_id`` is filled in on
    story keys once the article's story has been decided (see :func:`set_story`).
    ``entity_names`` is the story evidence of entries written by older versions (read, not written).
    """

    article_id: str
    source_key: str
    event_time: float  # epoch seconds
    signature: str | None = None
    story_id: str | None = None
    entity_names: list[str] | None = None
    profile: ArticleProfile | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain dict for a JSON table value. Short field names: these are stored once per key
        per article, so they dominate state size; absent optional fields are omitted."""
        out: dict[str, Any] = {"a": self.article_id, "s": self.source_key, "t": self.event_time}
        if self.signature is not None:
            out["g"] = self.signature
        if self.story_id is not None:
            out["st"] = self.story_id
        if self.entity_names is not None:
            out["e"] = list(self.entity_names)
        if self.profile is not None:
            out["p"] = self.profile.to_json()
        return out

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> KeyEntry:
        try:
            names = value.get("e")
            profile = value.get("p")
            return cls(
                article_id=str(value["a"]),
                source_key=str(value["s"]),
                event_time=float(value["t"]),
                signature=None if value.get("g") is None else str(value["g"]),
                story_id=None if value.get("st") is None else str(value["st"]),
                entity_names=None if names is None else [str(name) for name in names],
                profile=None if profile is None else ArticleProfile.from_json(profile),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise KeyEntryError(f"invalid key entry {value!r}: {exc}") from None


def entries_to_json(entries: Sequence[KeyEntry]) -> list[dict[str, Any]]:
    return [entry.to_json() for entry in entries]


def entries_from_json(value: Sequence[Mapping[str, Any]] | None) -> list[KeyEntry]:
    return [] if value is None else [KeyEntry.from_json(item) for item in value]


@dataclass(frozen=True, slots=True)
class ProbeOutcome:
    stored: list[KeyEntry]  # the key's new table value (write it back)
    earlier: list[KeyEntry]  # candidates: articles seen under this key before the probing one


def _source_position(source_key: str) -> tuple[str, int] | None:
    """``("topic/partition", offset)`` for a ``topic/partition/offset`` key, else None."""
    head, sep, offset = source_key.rpartition("/")
    if not sep or not offset.isdigit():
        return None
    return head, int(offset)


def is_later_message(candidate: KeyEntry, new: KeyEntry) -> bool:
    """True when ``candidate`` comes from the same source partition at a higher offset than ``new``.

    After a crash, a message re-read may find keys already written by messages that follow
    it in its own partition; those must never count as earlier, or two copies could each be
    flagged as the other's duplicate. Across partitions there is no order to go by.
    """
    cand = _source_position(candidate.source_key)
    mine = _source_position(new.source_key)
    return cand is not None and mine is not None and cand[0] == mine[0] and cand[1] > mine[1]


def probe(
    entries: Sequence[KeyEntry],
    new: KeyEntry,
    *,
    horizon_s: float,
    now_event_time: float,
    max_entries: int = DEFAULT_MAX_ENTRIES_PER_KEY,
) -> ProbeOutcome:
    """Append ``new`` to a key's entries and return the earlier ones.

    - Entries whose event time is older than ``now_event_time - horizon_s`` are evicted.
    - Replay: if an entry with ``new.source_key`` is already stored, nothing is appended and
      ``earlier`` holds only the entries stored before it, so a re-read message gets the same
      answer as the first time and never sees itself or later articles.
    - Otherwise ``new`` is appended and ``earlier`` holds every previous live entry.
    - Either way ``earlier`` keeps only entries within ``horizon_s`` of ``new.event_time``
      (either side) that are not later messages of the same source partition.
    - At most ``max_entries`` are kept: the oldest are dropped, except the first entry, which
      is kept as the key's anchor (the first-seen article that later copies point to).
    """
    if max_entries < 2:
        raise ValueError(f"max_entries must be >= 2, got {max_entries}")
    cutoff = now_event_time - horizon_s
    live = [entry for entry in entries if entry.event_time >= cutoff]
    for index, entry in enumerate(live):
        if entry.source_key == new.source_key:
            return ProbeOutcome(stored=live, earlier=_candidates(live[:index], new, horizon_s))
    earlier = _candidates(live, new, horizon_s)
    stored = [*live, new]
    if len(stored) > max_entries:
        stored = [stored[0], *stored[len(stored) - max_entries + 1 :]]
    return ProbeOutcome(stored=stored, earlier=earlier)


def _candidates(entries: list[KeyEntry], new: KeyEntry, horizon_s: float) -> list[KeyEntry]:
    return [
        entry
        for entry in entries
        if abs(entry.event_time - new.event_time) <= horizon_s and not is_later_message(entry, new)
    ]


def set_story(entries: Sequence[KeyEntry], *, source_key: str, story_id: str) -> list[KeyEntry]:
    """The key's entries with ``story_id`` recorded on the entry of ``source_key`` (story keys).

    Entries are stored by :func:`probe` before the article's story is known; this second,
    idempotent write makes the decided story visible to later articles.
    """
    return [
        replace(entry, story_id=story_id) if entry.source_key == source_key else entry for entry in entries
    ]
