"""Story clustering scores against gold clusters: pairwise and B-cubed P/R/F1, hard negatives joined.

Pure functions over ``{article id: story id}`` maps, shared by ``benchmarks/quality_stories.py`` and
the quality floor test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, precision: float, recall: float) -> PRF:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(round(precision, 4), round(recall, 4), round(f1, 4))


def _pairs(clusters: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    return {pair for cluster in clusters for pair in combinations(sorted(cluster), 2)}


def clusters_of(assignment: Mapping[str, str]) -> list[list[str]]:
    """The clusters of a ``{article: story}`` map, each sorted, in order of first member."""
    by_story: dict[str, list[str]] = {}
    for article in sorted(assignment):
        by_story.setdefault(assignment[article], []).append(article)
    return sorted(by_story.values())


def pairwise(predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> PRF:
    """Precision and recall of "these two articles are one story" over all article pairs.

    No predicted pair (every article alone) has precision 1; no gold pair has recall 1.
    """
    pred_pairs, gold_pairs = _pairs(predicted), _pairs(gold)
    hits = len(pred_pairs & gold_pairs)
    return PRF.of(
        hits / len(pred_pairs) if pred_pairs else 1.0, hits / len(gold_pairs) if gold_pairs else 1.0
    )


def bcubed(predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> PRF:
    """B-cubed (Bagga & Baldwin 1998): per article, the share of its predicted cluster that is in its
    gold cluster (precision) and of its gold cluster found in its predicted cluster (recall), averaged."""
    pred_of = {a: frozenset(c) for c in predicted for a in c}
    gold_of = {a: frozenset(c) for c in gold for a in c}
    articles = sorted(gold_of.keys() & pred_of.keys())
    if not articles:
        return PRF.of(0.0, 0.0)
    precision = sum(len(pred_of[a] & gold_of[a]) / len(pred_of[a]) for a in articles) / len(articles)
    recall = sum(len(pred_of[a] & gold_of[a]) / len(gold_of[a]) for a in articles) / len(articles)
    return PRF.of(precision, recall)


@dataclass(frozen=True, slots=True)
class StoryScores:
    articles: int
    gold_clusters: int
    predicted_clusters: int
    pairwise: PRF
    bcubed: PRF
    hard_negatives: int
    hard_negatives_joined: list[list[str]]
    syndicated: int
    syndicated_in_original_story: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _together(assignment: Mapping[str, str], first: str, second: str) -> bool:
    return assignment.get(first) is not None and assignment.get(first) == assignment.get(second)


def score_stories(assignment: Mapping[str, str], gold: Mapping[str, Any]) -> StoryScores:
    """Scores of ``{article id: story id}`` against a gold file's content (see tests/fixtures/stories)."""
    gold_clusters: list[list[str]] = [list(c) for c in gold["clusters"]]
    predicted = clusters_of(assignment)
    hard = [list(h) for h in gold.get("hard_negatives", [])]
    syndicated = [list(s) for s in gold.get("syndicated", [])]
    joined = [
        h for h in hard if assignment.get(h[0]) is not None and assignment.get(h[0]) == assignment.get(h[1])
    ]
    together = [
        s
        for s in syndicated
        if assignment.get(s[0]) is not None and assignment.get(s[0]) == assignment.get(s[1])
    ]
    return StoryScores(
        articles=len(assignment),
        gold_clusters=len(gold_clusters),
        predicted_clusters=len(predicted),
        pairwise=pairwise(predicted, gold_clusters),
        bcubed=bcubed(predicted, gold_clusters),
        hard_negatives=len(hard),
        hard_negatives_joined=joined,
        syndicated=len(syndicated),
        syndicated_in_original_story=len(together),
    )


def disagreements(assignment: Mapping[str, str], reference: Mapping[str, str]) -> list[dict[str, Any]]:
    """The articles whose story differs between two ``{article: story}`` maps (e.g. the worker and
    the offline run): each with the other articles of its story in both, sorted by article id.

    Stories are compared as sets of articles (their ids may differ): an article disagrees when the
    articles it shares a story with are not the same in both maps.
    """
    together = {a: frozenset(c) for c in clusters_of(assignment) for a in c}
    expected = {a: frozenset(c) for c in clusters_of(reference) for a in c}
    out = []
    for article in sorted(together.keys() | expected.keys()):
        mine, theirs = together.get(article, frozenset()), expected.get(article, frozenset())
        if mine != theirs:
            out.append(
                {
                    "article": article,
                    "with": sorted(mine - {article}),
                    "expected_with": sorted(theirs - {article}),
                }
            )
    return out


def wrong_pairs(assignment: Mapping[str, str], gold: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Pairs of articles put in one story that the gold keeps apart (the precision errors), sorted."""
    gold_of = {a: i for i, cluster in enumerate(gold["clusters"]) for a in cluster}
    return sorted(
        pair
        for pair in _pairs(clusters_of(assignment))
        if gold_of.get(pair[0]) is None or gold_of.get(pair[0]) != gold_of.get(pair[1])
    )


@dataclass(frozen=True, slots=True)
class HardNegativeMargin:
    """How near one hard-negative pair came to one story: the best score the later-decided member
    reached against a candidate story holding the other (None: never a candidate)."""

    first: str
    second: str
    label: str
    score: float | None
    joined: bool
    near: bool  # not joined, and ``score`` within the margin below the threshold


def hard_negative_margins(
    best_scores: Mapping[tuple[str, str], float],
    assignment: Mapping[str, str],
    gold: Mapping[str, Any],
    min_score: float,
    margin: float = 0.2,
) -> list[HardNegativeMargin]:
    """Every hard negative of ``gold`` with its score and whether it was joined or a near miss.

    ``best_scores[(later, earlier)]``: the highest score ``later`` reached, when it was decided,
    against a candidate story holding ``earlier``. A near miss is a pair kept apart whose score came
    within ``margin`` (a share of ``min_score``) below the threshold.
    """
    out: list[HardNegativeMargin] = []
    for first, second, *rest in gold.get("hard_negatives", []):
        seen = [best_scores[p] for p in ((first, second), (second, first)) if p in best_scores]
        score = max(seen) if seen else None
        joined = _together(assignment, first, second)
        near = not joined and score is not None and (1.0 - margin) * min_score <= score < min_score
        out.append(HardNegativeMargin(first, second, str(rest[0]) if rest else "", score, joined, near))
    return out
