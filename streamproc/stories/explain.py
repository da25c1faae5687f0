"""Why two reports of one event ended apart: the parts of the later one's score against the earlier
one (pure; ``benchmarks/quality_stories.py --explain`` prints it for every split gold pair)."""

from __future__ import annotations

from dataclasses import dataclass

from streamproc.stories.profile import ArticleProfile
from streamproc.stories.score import (
    CandidateStory,
    StoryParams,
    headline_coverage,
    headline_factor,
    match,
    time_factor,
)

DAY_S = 86_400.0


@dataclass(frozen=True, slots=True)
class SplitPair:
    """The later report ``second`` against the earlier ``first`` alone, and whether ``first`` was
    among the candidates ``second``'s routing keys answered with."""

    first: str
    second: str
    retrieved: bool
    score: float
    term_similarity: float
    name_similarity: float
    days_apart: float
    time_factor: float
    headline_factor: float
    headline_coverage: float
    shared_terms: list[str]
    shared_names: list[str]

    def line(self, min_score: float) -> str:
        where = "candidate" if self.retrieved else "NOT RETRIEVED"
        return (
            f"{self.first} -> {self.second} [{where}] score {self.score:.3f} (threshold {min_score}) = "
            f"terms {self.term_similarity:.3f}, names {self.name_similarity:.3f}, "
            f"{self.days_apart:.1f} days: time x{self.time_factor:.2f}, headline x{self.headline_factor:.2f} "
            f"(coverage {self.headline_coverage:.2f}); shared {self.shared_terms} | {self.shared_names}"
        )


def explain_pair(
    first: tuple[str, ArticleProfile, float],
    second: tuple[str, ArticleProfile, float],
    *,
    retrieved: bool,
    params: StoryParams,
) -> SplitPair:
    """``second`` (id, profile, event time) scored against a story of ``first`` alone."""
    story = CandidateStory(first[0])
    story.add(*first)
    found = match(second[1], second[2], story, params)
    coverage = headline_coverage(second[1].headline, story.terms)
    return SplitPair(
        first=first[0],
        second=second[0],
        retrieved=retrieved,
        score=found.score,
        term_similarity=found.term_similarity,
        name_similarity=found.name_similarity,
        days_apart=round(found.distance_s / DAY_S, 2),
        time_factor=round(time_factor(found.distance_s, params), 3),
        headline_factor=round(headline_factor(coverage, found.distance_s, params), 3),
        headline_coverage=round(coverage, 3),
        shared_terms=found.shared_terms,
        shared_names=found.shared_names,
    )
