"""The dedup verdict from the candidates that the probed keys answered with."""

from __future__ import annotations

from collections.abc import Sequence

from streamproc.dedup.index import KeyEntry
from streamproc.dedup.minhash import SignatureError, decode_signature, jaccard_estimate
from streamproc.models import Dedup


def _is_self(entry: KeyEntry, article_id: str, source_key: str) -> bool:
    return entry.article_id == article_id and entry.source_key == source_key


def decide(
    *,
    article_id: str,
    source_key: str,
    exact: Sequence[KeyEntry],
    near: Sequence[KeyEntry],
    signature: Sequence[int] | None,
    threshold: float,
) -> Dedup:
    """Classify one article.

    - ``exact`` (the fingerprint key's earlier entries) not empty: ``exact_duplicate`` of the
      first-seen article (earliest event time, then the order stored), similarity 1.0.
    - else the ``near`` candidate (band keys' earlier entries, with signatures) of highest
      estimated Jaccard, if at least ``threshold``: ``near_duplicate`` (similarity rounded to
      3 decimals); ties go to the earliest event time, then the first answered.
    - else ``unique``.

    A candidate with the same article id *and* source key is this very message (a replay)
    and never counts. ``signature`` None (no words to shingle) disables near matching.
    """
    exact_others = [entry for entry in exact if not _is_self(entry, article_id, source_key)]
    if exact_others:
        # min() keeps the first of equal keys, so ties go to the order stored.
        first = min(exact_others, key=lambda entry: entry.event_time)
        return Dedup(status="exact_duplicate", duplicate_of=first.article_id, similarity=1.0)
    if signature is None or not near:
        return Dedup()
    best: tuple[float, float, int] | None = None  # (similarity, -event_time, -answer index)
    best_entry: KeyEntry | None = None
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(near):
        identity = (entry.article_id, entry.source_key)
        # An article colliding in several bands is answered once per band: score it once.
        if identity in seen or entry.signature is None or _is_self(entry, article_id, source_key):
            continue
        seen.add(identity)
        try:
            similarity = jaccard_estimate(signature, decode_signature(entry.signature))
        except SignatureError:
            continue  # stored under other MinHash settings: not comparable, so not a match
        if similarity < threshold:
            continue
        rank = (similarity, -entry.event_time, -index)
        if best is None or rank > best:
            best, best_entry = rank, entry
    if best is None or best_entry is None:
        return Dedup()
    return Dedup(status="near_duplicate", duplicate_of=best_entry.article_id, similarity=round(best[0], 3))
