"""Per-key candidate lists: what one dedup/story table value holds, and the probe on it.

A table maps a probe key (``fp:...``, ``b<i>:...``, ``st:...``) to a list of
:class:`KeyEntry`, oldest first. :func:`probe` is the only read-modify-write on it: the
partition owning the key appends the new article and answers with the articles seen
before it. It is pure and deterministic, so the Faust worker and the offline command share it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from streamproc.dedup.profile_text import pack_profile, unpack_profile
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
    # The JSON form this entry was read from (or first encoded to): an owner rewrites a key's
    # whole list at every probe, and re-encoding the unchanged entries (their profiles) was most
    # of its time. Not an init field, so ``replace`` (a changed entry) encodes afresh.
    _json: list[Any] | None = field(default=None, init=False, compare=False, repr=False)

    def to_json(self) -> list[Any]:
        """The JSON form of a table value's entry: ``[article id, source key, event time]`` and,
        when any optional field is set, a dict of them (short names, absent ones omitted). These
        are stored once per key per article and answered per probe, so they are kept small: the
        profile in :func:`profile_to_json`'s form."""
        if self._json is not None:
            return self._json
        out: list[Any] = [self.article_id, self.source_key, self.event_time]
        extra: dict[str, Any] = {}
        if self.signature is not None:
            extra["g"] = self.signature
        if self.story_id is not None:
            extra["st"] = self.story_id
        if self.entity_names is not None:
            extra["e"] = list(self.entity_names)
        if self.profile is not None:
            extra["p"] = profile_to_json(self.profile)
        if extra:
            out.append(extra)
        # Kept: an article's one story entry is written under each of its ~12 story keys, and
        # packing its profile (checked by decoding it) is worth doing once.
        object.__setattr__(self, "_json", out)
        return out

    @classmethod
    def from_json(cls, value: Sequence[Any] | Mapping[str, Any]) -> KeyEntry:
        """An entry of :meth:`to_json`'s form, or of the dict form of earlier layouts."""
        try:
            if isinstance(value, Mapping):
                fields, head = value, (value["a"], value["s"], value["t"])
            else:
                fields, head = (value[3] if len(value) > 3 else {}), (value[0], value[1], value[2])
            names = fields.get("e")
            profile = fields.get("p")
            entry = cls(
                article_id=str(head[0]),
                source_key=str(head[1]),
                event_time=float(head[2]),
                signature=None if fields.get("g") is None else str(fields["g"]),
                story_id=None if fields.get("st") is None else str(fields["st"]),
                entity_names=None if names is None else [str(name) for name in names],
                profile=None if profile is None else _cached_profile(profile),
            )
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise KeyEntryError(f"invalid key entry {value!r}: {exc}") from None
        if not isinstance(value, Mapping):  # the dict layout is rewritten in the current one
            object.__setattr__(entry, "_json", value)
        return entry


_MILLI = 1000


def _in_thousandths(weights: Mapping[str, float]) -> list[int] | None:
    """The weights as whole thousandths when that is exact (profiles round them so), else None."""
    out = [round(weight * _MILLI) for weight in weights.values()]
    exact = all(n / _MILLI == weight for n, weight in zip(out, weights.values(), strict=True))
    return out if exact else None


def _pairs_text(weights: Mapping[str, float], thousandths: list[int]) -> str:
    return " ".join(f"{term} {n}" for term, n in zip(weights, thousandths, strict=True))


def _pairs_of(text: str) -> dict[str, float]:
    words = text.split(" ") if text else []
    if len(words) % 2:
        raise ValueError("a profile's terms come in (word, weight) pairs")
    return {words[i]: int(words[i + 1]) / _MILLI for i in range(0, len(words), 2)}


def profile_to_json(profile: ArticleProfile) -> str | list[Any] | dict[str, Any]:
    """A story profile for a key entry: packed in one string (``profile_text``: two thirds of
    the bytes of the list form below) when that decodes to the very same profile; else the list
    form (written before the packed one, still read), else the dict form."""
    packed = pack_profile(profile)
    return packed if packed is not None else _profile_list(profile)


def _profile_list(profile: ArticleProfile) -> list[Any] | dict[str, Any]:
    """``["term 384 term 271 ...", ["name", 566, ...], places, time, dateline]`` and, when the
    profile has headline terms, ``"term 500 ..."`` of them (weights in thousandths: a third of
    the bytes of the dict form). A profile whose weights are not whole thousandths, or with a
    term containing a space, keeps the dict form, so decoding always gives the very same profile."""
    terms, names = _in_thousandths(profile.terms), _in_thousandths(profile.names)
    headline = _in_thousandths(profile.headline)
    words = [*profile.terms, *profile.headline]
    if terms is None or names is None or headline is None or any(" " in word or not word for word in words):
        return profile.to_json()
    name_list = [item for pair in zip(profile.names, names, strict=True) for item in pair]
    out = [_pairs_text(profile.terms, terms), name_list, list(profile.places), profile.time, profile.dateline]
    return [*out, _pairs_text(profile.headline, headline)] if headline else out


def _cached_profile(value: str | Sequence[Any] | Mapping[str, Any]) -> ArticleProfile:
    """:func:`profile_from_json`, remembered for the compact forms: a story key's entries are
    decoded at every probe of the key, and the same profiles come back again and again."""
    if isinstance(value, str):
        return _unpacked(value)
    if isinstance(value, Mapping) or len(value) not in (5, 6):
        return profile_from_json(value)
    return _profile_of(value[0], tuple(value[1]), tuple(value[2]), *value[3:])


@lru_cache(maxsize=20_000)
def _profile_of(
    terms: str, names: tuple[Any, ...], places: tuple[Any, ...], time: Any, dateline: Any, headline: str = ""
) -> ArticleProfile:
    return profile_from_json([terms, list(names), list(places), time, dateline, headline])


@lru_cache(maxsize=20_000)
def _unpacked(text: str) -> ArticleProfile:
    return unpack_profile(text)


def profile_from_json(value: str | Sequence[Any] | Mapping[str, Any]) -> ArticleProfile:
    if isinstance(value, str):
        return unpack_profile(value)
    if isinstance(value, Mapping):
        return ArticleProfile.from_json(value)
    term_text, name_list, places, time, dateline, *headline = list(value)  # no headline in older entries
    if len(name_list) % 2 or len(headline) > 1:
        raise ValueError("a profile's names come in (name, weight) pairs")
    return ArticleProfile(
        terms=_pairs_of(str(term_text)),
        names={str(name_list[i]): int(name_list[i + 1]) / _MILLI for i in range(0, len(name_list), 2)},
        places=[str(place) for place in places],
        time=None if time is None else float(time),
        dateline=None if dateline is None else str(dateline),
        headline=_pairs_of(str(headline[0])) if headline else {},
    )


def entries_to_json(entries: Sequence[KeyEntry]) -> list[list[Any]]:
    return [entry.to_json() for entry in entries]


def entries_from_json(value: Sequence[Sequence[Any] | Mapping[str, Any]] | None) -> list[KeyEntry]:
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
    identity: Callable[[KeyEntry], str | None] | None = None,
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
      is kept as the key's anchor (the first-seen article that later copies point to), and, with
      ``identity``, the first entry of each identity it gives (``_truncated``).
    """
    if max_entries < 2:
        raise ValueError(f"max_entries must be >= 2, got {max_entries}")
    cutoff = now_event_time - horizon_s
    live = [entry for entry in entries if entry.event_time >= cutoff]
    for index, entry in enumerate(live):
        if entry.source_key == new.source_key:
            return ProbeOutcome(stored=live, earlier=_candidates(live[:index], new, horizon_s))
    earlier = _candidates(live, new, horizon_s)
    return ProbeOutcome(stored=_truncated([*live, new], max_entries, identity), earlier=earlier)


def _truncated(
    stored: list[KeyEntry], max_entries: int, identity: Callable[[KeyEntry], str | None] | None
) -> list[KeyEntry]:
    """``stored`` cut to ``max_entries``, in order: the first entry, with ``identity`` the first
    entry of each identity (up to half the room: what a reader needs to tell one name registered
    under a key from two, however many lookups follow), then the newest."""
    if len(stored) <= max_entries:
        return stored
    anchors = [0]
    if identity is not None:
        seen: set[str] = set()
        for index, entry in enumerate(stored):
            name = identity(entry)
            if name is not None and name not in seen:
                seen.add(name)
                if index and len(anchors) < max_entries // 2:
                    anchors.append(index)
    rest = [index for index in range(len(stored)) if index not in anchors]
    kept = set(anchors) | set(rest[len(rest) - (max_entries - len(anchors)) :])
    return [entry for index, entry in enumerate(stored) if index in kept]


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
