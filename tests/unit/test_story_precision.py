"""The precision report of the stories benchmark: wrong joins, hard negatives joined, near misses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from streamproc.stories.quality import hard_negative_margins, pairwise, wrong_pairs

GOLD = {
    "clusters": [["a1", "a2", "a3"], ["b1"], ["c1", "c2"]],
    "hard_negatives": [["a1", "b1", "earnings vs recall"], ["a2", "c1", "match vs transfer"], ["b1", "c2"]],
}


def test_wrong_pairs_are_the_pairs_joined_against_the_gold() -> None:
    # a's three reports joined, b1 put with them, c split in two.
    assignment = {"a1": "s1", "a2": "s1", "a3": "s1", "b1": "s1", "c1": "s2", "c2": "s3"}
    assert wrong_pairs(assignment, GOLD) == [("a1", "b1"), ("a2", "b1"), ("a3", "b1")]
    assert wrong_pairs({"a1": "s1", "a2": "s1", "c1": "s2", "c2": "s2"}, GOLD) == []


@given(st.dictionaries(st.sampled_from(["a1", "a2", "a3", "b1", "c1", "c2"]), st.sampled_from("xyz")))
def test_no_wrong_pair_means_full_pairwise_precision(assignment: dict[str, str]) -> None:
    clusters: dict[str, list[str]] = {}
    for article, story in assignment.items():
        clusters.setdefault(story, []).append(article)
    precision = pairwise(list(clusters.values()), GOLD["clusters"]).precision
    assert (precision == 1.0) == (not wrong_pairs(assignment, GOLD))


def test_hard_negative_margins_tell_joined_near_and_far() -> None:
    assignment = {"a1": "s1", "a2": "s1", "a3": "s1", "b1": "s1", "c1": "s2", "c2": "s3"}
    # b1 was decided after a1 (0.31: joined); c1 after a2 (0.15, within 20% of 0.18: a near miss);
    # c2 never met b1's story.
    best = {("b1", "a1"): 0.31, ("c1", "a2"): 0.15, ("a2", "c1"): 0.02}
    margins = {(m.first, m.second): m for m in hard_negative_margins(best, assignment, GOLD, 0.18)}
    assert margins["a1", "b1"].joined and not margins["a1", "b1"].near
    assert margins["a1", "b1"].label == "earnings vs recall"
    assert margins["a2", "c1"].near and not margins["a2", "c1"].joined
    assert margins["a2", "c1"].score == 0.15
    assert margins["b1", "c2"].score is None and not margins["b1", "c2"].near
    # Below the margin it is no near miss.
    far = hard_negative_margins({("c1", "a2"): 0.14}, assignment, GOLD, 0.18)
    assert not any(m.near for m in far)
