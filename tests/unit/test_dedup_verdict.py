"""The dedup verdict: exact, near and unique; never a duplicate of itself."""

from __future__ import annotations

from streamproc.dedup.index import KeyEntry
from streamproc.dedup.minhash import Signature, encode_signature
from streamproc.dedup.verdict import decide

SELF = {"article_id": "a-new", "source_key": "news.raw/0/100"}


def sig_agreeing(base: Signature, positions: int) -> Signature:
    """A signature equal to ``base`` in its first ``positions`` slots: estimated Jaccard positions/len."""
    return tuple(v if i < positions else v + 1 for i, v in enumerate(base))


BASE: Signature = tuple(range(1000, 1064))


def band(article: str, sig: Signature, t: float = 0.0, source: str | None = None) -> KeyEntry:
    return KeyEntry(article, source or f"news.raw/1/{article}", t, signature=encode_signature(sig))


def test_no_candidates_is_unique() -> None:
    dedup = decide(**SELF, exact=[], near=[], signature=BASE, threshold=0.8)
    assert (dedup.status, dedup.duplicate_of, dedup.similarity) == ("unique", None, None)


def test_exact_duplicate_points_to_the_first_seen_article() -> None:
    exact = [
        KeyEntry("a-second", "news.raw/1/5", 200.0),
        KeyEntry("a-first", "news.raw/2/9", 100.0),
        KeyEntry("a-tied", "news.raw/3/1", 100.0),
    ]
    dedup = decide(**SELF, exact=exact, near=[band("a-near", BASE)], signature=BASE, threshold=0.8)
    assert (dedup.status, dedup.duplicate_of, dedup.similarity) == ("exact_duplicate", "a-first", 1.0)


def test_same_content_sent_again_is_a_duplicate_of_the_same_article_id() -> None:
    # Same article id (same input), another message: a real second copy.
    exact = [KeyEntry("a-new", "news.raw/0/42", 0.0)]
    assert decide(**SELF, exact=exact, near=[], signature=BASE, threshold=0.8).status == "exact_duplicate"


def test_own_entry_is_never_a_duplicate() -> None:
    own_exact = KeyEntry("a-new", "news.raw/0/100", 0.0)
    own_band = band("a-new", BASE, source="news.raw/0/100")
    dedup = decide(**SELF, exact=[own_exact], near=[own_band], signature=BASE, threshold=0.8)
    assert dedup.status == "unique"


def test_near_duplicate_picks_highest_similarity_above_threshold() -> None:
    near = [
        band("a-70", sig_agreeing(BASE, 45)),  # 0.703: below threshold
        band("a-86", sig_agreeing(BASE, 55)),  # 0.859
        band("a-95", sig_agreeing(BASE, 61)),  # 0.953
        band("a-86", sig_agreeing(BASE, 55)),  # answered again by another band
    ]
    dedup = decide(**SELF, exact=[], near=near, signature=BASE, threshold=0.8)
    assert (dedup.status, dedup.duplicate_of, dedup.similarity) == ("near_duplicate", "a-95", 0.953)


def test_below_threshold_is_unique() -> None:
    near = [band("a-70", sig_agreeing(BASE, 45))]
    assert decide(**SELF, exact=[], near=near, signature=BASE, threshold=0.8).status == "unique"
    assert decide(**SELF, exact=[], near=near, signature=BASE, threshold=0.7).status == "near_duplicate"


def test_similarity_ties_go_to_the_earliest_then_first_answered() -> None:
    same = sig_agreeing(BASE, 60)
    near = [band("a-later", same, t=50.0), band("a-early", same, t=10.0), band("a-early2", same, t=10.0)]
    assert decide(**SELF, exact=[], near=near, signature=BASE, threshold=0.8).duplicate_of == "a-early"


def test_incomparable_or_missing_signatures_are_skipped() -> None:
    near = [
        KeyEntry("a-nosig", "news.raw/1/1", 0.0),
        KeyEntry("a-short", "news.raw/1/2", 0.0, signature=encode_signature(BASE[:32])),
        KeyEntry("a-garbage", "news.raw/1/3", 0.0, signature="***"),
    ]
    assert decide(**SELF, exact=[], near=near, signature=BASE, threshold=0.5).status == "unique"


def test_no_signature_disables_near_matching() -> None:
    assert (
        decide(**SELF, exact=[], near=[band("a-x", BASE)], signature=None, threshold=0.8).status == "unique"
    )
