"""Which story an article joins: candidate stories scored against the article's profile.

Online clustering after Miranda et al. (EMNLP 2018, "Multilingual Clustering of Streaming News"):
each story is the centroid of its articles' profiles; an article joins the story of highest
similarity when it reaches a threshold, else starts a new story. The similarity combines the
cosine of the *terms* (what happened) and of the *names* (who, where), damped by the distance in
event time to the story's nearest article (among those the article resembles, in a story told
within a day), and, beyond the first day, by how much of the article's headline is among the
story's terms. Weights are set by hand on the development set (see
the README's Stories section) instead of learned with a ranker: there are few of them.

Candidates are the entries that the article's story keys answered with; each carries its
article's profile, so a story's centroid here is that of its articles sharing a key with this one.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from streamproc.stories.profile import ArticleProfile, cosine_of, squares

if TYPE_CHECKING:  # the dedup package imports this module: no import cycle at run time
    from streamproc.dedup.index import KeyEntry

STORY_ID_PREFIX = "s-"
DAY_S = 86_400.0


@dataclass(frozen=True, slots=True)
class StoryParams:
    """The knobs of the decision (defaults: tuned on the development set's part a)."""

    min_score: float = 0.18
    horizon_s: float = 4 * DAY_S  # no join beyond this distance in event time (story keys' horizon)
    term_weight: float = 0.6
    name_weight: float = 0.4
    # Follow-ups within ``grace_s`` of a story's article are as close as same-day reports; beyond,
    # similarity decays like a Gaussian of scale ``decay_s``.
    grace_s: float = 1.0 * DAY_S
    decay_s: float = 2.0 * DAY_S
    # Names count in proportion to the terms' support, fully from this term cosine on: the same
    # actors with nothing of what happened in common (a carmaker's earnings, its recall) are two events.
    term_support: float = 0.1
    # ... and only when at least this many event terms are shared: one word in common is the actors'
    # product or trade (a drugmaker's vaccine in its trial results and in its job cuts the same day),
    # not what happened. (No gold pair of the nine development sets scoring at the threshold or above
    # shares fewer than two; of the hard negatives, that one.)
    min_shared_terms: int = 2
    # Beyond the grace period, the similarity counts only as far as the article's headline words are
    # among the story's terms, fully from this share on (ramping in over a further ``grace_s``): a
    # follow-up days later still names what happened (the floods, the derailment); a different event
    # of the same company or city has a headline of its own (job cuts after a tender, a strike after
    # an outbreak).
    headline_support: float = 0.25
    headline_floor: float = 0.5  # the least that factor can be (a headline with none of the story's words)
    reach_s: float = 3 * DAY_S  # the plain time factor is 0 beyond this distance
    # A story already told over days (its articles' event times span ``long_story_s`` or more) is a
    # long-running one (a boil-water notice, a strike): a report after its latest one that names it
    # in its headline (coverage of at least ``headline_support``, nothing below half of it) counts
    # as ``long_story_s`` nearer in time, up to ``horizon_s``.
    long_story_s: float = 1.0 * DAY_S
    # In a story told within a day (not a long-running one), the distance in time and the headline's
    # coverage are taken against the reports the article resembles: its members at least this share
    # of the best member's similarity. A loosely related piece of the story (a next-day feature, a
    # local angle) must not stand for the event's time: a cabinet's rental bill two days after a
    # housing march was 1.2 days from a next-day feature on the march (similarity 0.24) but 2.1 from
    # the march's report it resembles (0.44). A long-running story's latest reports carry its time.
    core_share: float = 0.7


def new_story_id(article_id: str) -> str:
    """The id of a story that ``article_id`` starts: derived from the id, so replays agree."""
    return (
        STORY_ID_PREFIX
        + hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    )


@dataclass(slots=True)
class CandidateStory:
    """A story as seen through the candidate entries: members' profiles summed, and their times."""

    story_id: str
    terms: dict[str, float] = field(default_factory=dict)
    names: dict[str, float] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    members: list[tuple[str, ArticleProfile, float]] = field(default_factory=list)
    _squares: tuple[float, float] | None = field(
        default=None, compare=False, repr=False
    )  # of (terms, names), once asked, until the next add

    def squares(self) -> tuple[float, float]:
        """The squared norms of the centroid's terms and names."""
        if self._squares is None:
            self._squares = (squares(self.terms), squares(self.names))
        return self._squares

    def add(self, article_id: str, profile: ArticleProfile, event_time: float) -> None:
        if not (
            self.members or self.terms or self.names
        ):  # the first member's vectors are the centroid's (0.0 + w is w)
            self.terms, self.names = dict(profile.terms), dict(profile.names)
            self._squares = (profile.term_squares, profile.name_squares)
        else:
            self._squares = None
            for key, weight in profile.terms.items():
                self.terms[key] = self.terms.get(key, 0.0) + weight
            for key, weight in profile.names.items():
                self.names[key] = self.names.get(key, 0.0) + weight
        self.times.append(event_time)
        self.members.append((article_id, profile, event_time))


def candidate_stories(candidates: Sequence[KeyEntry], *, exclude_article: str) -> list[CandidateStory]:
    """Candidate entries grouped by story, each article once, in first-answered order.

    An entry whose story is not recorded yet (still in flight) stands for the story it would
    start, ``new_story_id(article_id)``. Entries without a profile (written by an older version)
    are not comparable and are skipped.
    """
    stories: dict[str, CandidateStory] = {}
    seen: set[str] = set()
    for entry in candidates:
        if entry.profile is None or entry.article_id in seen or entry.article_id == exclude_article:
            continue
        seen.add(entry.article_id)
        story_id = entry.story_id or new_story_id(entry.article_id)
        story = stories.setdefault(story_id, CandidateStory(story_id))
        story.add(entry.article_id, entry.profile, entry.profile.event_time(entry.event_time))
    return list(stories.values())


def headline_coverage(headline: dict[str, float], story_terms: dict[str, float]) -> float:
    """The share of the headline's term weight found among the story's terms (1 without a headline:
    no evidence either way, e.g. a title of names only or a profile stored without one)."""
    if not headline:
        return 1.0
    return sum(weight for key, weight in headline.items() if key in story_terms)


def headline_factor(coverage: float, distance_s: float, params: StoryParams) -> float:
    """1 within the grace period; beyond it, down to ``coverage / headline_support`` (capped at 1)."""
    if params.headline_support <= 0.0 or distance_s <= params.grace_s:
        return 1.0
    ramp = min(1.0, (distance_s - params.grace_s) / params.grace_s) if params.grace_s > 0.0 else 1.0
    support = min(1.0, coverage / params.headline_support)
    return 1.0 - ramp * (1.0 - support) * (1.0 - params.headline_floor)


def when_factor(
    distance_s: float, span_s: float, coverage: float, params: StoryParams, *, follows: bool = True
) -> float:
    """How far the time apart and the headline let an article join: the time factor times the
    headline factor, or, for an article that ``follows`` a long-running story (see
    :class:`StoryParams`), the time factor of a distance up to ``long_story_s`` shorter times the
    share of the headline support reached beyond its half, whichever is higher. Only what follows:
    a story continues forward in time; an older report read late (a backfill) gets the plain rule."""
    plain = time_factor(distance_s, params) * headline_factor(coverage, distance_s, params)
    long_running = follows and params.long_story_s > 0.0 and span_s >= params.long_story_s
    if not long_running or distance_s > params.horizon_s:
        return plain
    half = params.headline_support / 2.0
    named = min(1.0, max(0.0, (coverage - half) / half)) if half > 0.0 else 1.0
    nearer = max(0.0, distance_s - params.long_story_s)
    return max(plain, time_factor(nearer, params) * named)


def time_factor(distance_s: float, params: StoryParams) -> float:
    """1 within the grace period, then a Gaussian decay; 0 beyond the reach."""
    if distance_s > min(params.reach_s, params.horizon_s):
        return 0.0
    excess = max(0.0, distance_s - params.grace_s) / params.decay_s
    return math.exp(-excess * excess)


@dataclass(frozen=True, slots=True)
class StoryMatch:
    """How well an article fits one candidate story, and why."""

    story_id: str
    score: float
    term_similarity: float
    name_similarity: float
    distance_s: float
    linked_article: str  # the story's article closest to this one
    shared_terms: list[str]
    shared_names: list[str]


def _shared(a: dict[str, float], b: dict[str, float], limit: int = 5) -> list[str]:
    common = [(a[k] * b[k], k) for k in a.keys() & b.keys()]
    return [k for _, k in sorted(common, key=lambda wk: (-wk[0], wk[1]))[:limit]]


def similarity(
    profile: ArticleProfile, terms: dict[str, float], names: dict[str, float], params: StoryParams
) -> tuple[float, float, float]:
    """(weighted similarity, term cosine, name cosine) of a profile and a (centroid) vector pair."""
    return similarity_of(profile, terms, squares(terms), names, squares(names), params)


def similarity_of(
    profile: ArticleProfile,
    terms: dict[str, float],
    term_squares: float,
    names: dict[str, float],
    name_squares: float,
    params: StoryParams,
) -> tuple[float, float, float]:
    """:func:`similarity` against vectors whose squared norms are known."""
    term_sim = cosine_of(profile.terms, profile.term_squares, terms, term_squares)
    name_sim = cosine_of(profile.names, profile.name_squares, names, name_squares)
    support = min(1.0, term_sim / params.term_support) if params.term_support > 0.0 else 1.0
    if support > 0.0 and name_sim > 0.0 and not shares_terms(profile.terms, terms, params.min_shared_terms):
        support = 0.0
    return params.term_weight * term_sim + params.name_weight * name_sim * support, term_sim, name_sim


def shares_terms(a: dict[str, float], b: dict[str, float], count: int) -> bool:
    """Whether ``a`` and ``b`` have at least ``count`` keys in common (or all the keys of the smaller:
    a profile of one term shares all it has)."""
    if len(a) > len(b):
        a, b = b, a
    needed = min(count, len(a))
    found = 0
    for key in a:
        if found >= needed:
            break
        found += key in b
    return found >= needed


def _member_similarity(profile: ArticleProfile, member: ArticleProfile, params: StoryParams) -> float:
    return similarity_of(
        profile, member.terms, member.term_squares, member.names, member.name_squares, params
    )[0]


def match(
    profile: ArticleProfile, event_time: float, story: CandidateStory, params: StoryParams
) -> StoryMatch:
    """The article against a story's centroid, damped by the distance to the story's nearest article
    among those it resembles (see :attr:`StoryParams.core_share`)."""
    term_squares, name_squares = story.squares()
    combined, term_sim, name_sim = similarity_of(
        profile, story.terms, term_squares, story.names, name_squares, params
    )
    span = max(story.times) - min(story.times)
    nearest, distance, coverage = _resembled(profile, event_time, story, span, params)
    return StoryMatch(
        story_id=story.story_id,
        score=round(
            combined * when_factor(distance, span, coverage, params, follows=event_time >= max(story.times)),
            4,
        ),
        term_similarity=round(term_sim, 4),
        name_similarity=round(name_sim, 4),
        distance_s=distance,
        linked_article=nearest[0],
        shared_terms=_shared(profile.terms, story.terms),
        shared_names=_shared(profile.names, story.names),
    )


def _resembled(
    profile: ArticleProfile, event_time: float, story: CandidateStory, span: float, params: StoryParams
) -> tuple[tuple[str, ArticleProfile, float], float, float]:
    """(the member the link names: the most like the article, then the nearest in time; the distance
    in event time to the nearest member it resembles; its headline's coverage among their terms).

    Every member counts in a long-running story, or when the article resembles them alike."""
    if len(story.members) == 1:
        only = story.members[0]
        return only, abs(only[2] - event_time), headline_coverage(profile.headline, story.terms)
    similar = [(_member_similarity(profile, m[1], params), m) for m in story.members]
    best, nearest = min(similar, key=lambda sm: (-sm[0], abs(sm[1][2] - event_time), sm[1][0]))
    core = [m for sim, m in similar if sim >= params.core_share * best]
    if span >= params.long_story_s or len(core) == len(story.members):
        return (
            nearest,
            min(abs(t - event_time) for t in story.times),
            headline_coverage(profile.headline, story.terms),
        )
    found = sum(w for key, w in profile.headline.items() if any(key in m[1].terms for m in core))
    coverage = found if profile.headline else 1.0
    return nearest, min(abs(m[2] - event_time) for m in core), coverage


@dataclass(frozen=True, slots=True)
class StoryDecision:
    """The story an article belongs to; ``link`` says why it joined (None: it starts the story).

    ``also_matching``: other candidate stories above the threshold (the article bridges them).
    ``claims``: articles later in input order that were decided before this one (they reached the
    keys' owners first, so they never saw it) and would have joined this article's story had they
    seen it: if such an article started its own story, that story is merged into this one.
    ``takes``: such later articles that had already joined another (older) story: each moves into
    this article's story if it fits it better than the story it joined (see :class:`StoryTake`).
    """

    story_id: str
    link: StoryMatch | None
    also_matching: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    takes: list[StoryTake] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StoryTake:
    """A later article ``article``, decided first, joined story ``joined``; against the deciding
    article's story it scores ``link.score``: offline (in input order) it would have taken the better
    of the two, so the desk of ``joined`` moves it when ``link.score`` beats its own link's score."""

    article: str
    joined: str
    link: StoryMatch


def input_position(arrival_time: float, source_key: str) -> tuple[float, int, int]:
    """Where an input stands in the input order: its Kafka timestamp, then partition and offset.

    Within one partition this is the offset order; across partitions the timestamp is the only
    order Kafka keeps (inputs produced in the same millisecond on two partitions have none: they
    are taken by partition). A source key is ``topic/partition/offset``; anything else sorts first.
    """
    parts = source_key.rsplit("/", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return arrival_time, int(parts[1]), int(parts[2])
    return arrival_time, -1, -1


def split_by_order(
    candidates: Sequence[KeyEntry], arrival_time: float, source_key: str
) -> tuple[list[KeyEntry], list[KeyEntry]]:
    """Candidates before the article in input order, and those after it.

    A key's owner answers with the entries it stored before the probe, which in a burst over many
    partitions can include inputs that come later: the offline order never lets them count.
    """
    if not source_key:
        return list(candidates), []
    mine = input_position(arrival_time, source_key)
    earlier: list[KeyEntry] = []
    later: list[KeyEntry] = []
    for entry in candidates:
        (later if input_position(entry.event_time, entry.source_key) > mine else earlier).append(entry)
    return earlier, later


def decide_story(
    *,
    article_id: str,
    profile: ArticleProfile,
    arrival_time: float,
    candidates: Sequence[KeyEntry],
    params: StoryParams,
    source_key: str = "",
) -> StoryDecision:
    """Join the best-scoring candidate story at or above ``params.min_score``, else start one.

    Only candidates before the article in input order (``source_key``'s position) count; those
    after it that started a story of their own and reach the threshold against the chosen story
    are claimed (see :class:`StoryDecision`). Ties: higher score, then nearer in event time, then
    smaller story id (deterministic).
    """
    event_time = profile.event_time(arrival_time)
    earlier, later = split_by_order(candidates, arrival_time, source_key)
    stories = candidate_stories(earlier, exclude_article=article_id)
    matches = [match(profile, event_time, story, params) for story in stories]
    joinable = sorted(
        (m for m in matches if m.score >= params.min_score and m.score > 0.0),
        key=lambda m: (-m.score, m.distance_s, m.story_id),
    )
    if not joinable:
        chosen = CandidateStory(new_story_id(article_id))
        chosen.add(article_id, profile, event_time)
        claims = sorted(
            {*claimed(later, chosen, params), *claimed_ahead(earlier, chosen, event_time, params)}
        )
        return StoryDecision(chosen.story_id, None, claims=claims, takes=taken(later, chosen, params))
    best = joinable[0]
    chosen = next(story for story in stories if story.story_id == best.story_id)
    chosen.add(article_id, profile, event_time)
    return StoryDecision(
        best.story_id,
        best,
        [m.story_id for m in joinable[1:]],
        claims=sorted({*claimed(later, chosen, params), *claimed_ahead(earlier, chosen, event_time, params)}),
        takes=taken(later, chosen, params),
    )


def taken(later: Sequence[KeyEntry], story: CandidateStory, params: StoryParams) -> list[StoryTake]:
    """Articles after the deciding one in input order that reach the threshold against ``story``
    (the deciding article's story as it sees it, itself included), with the story each joined or
    may have joined. The desk moves those that joined another story and fit ``story`` better; one
    that started its own is claimed instead (:func:`claimed`)."""
    out: dict[str, StoryTake] = {}
    members = {m[0] for m in story.members}
    for entry in later:
        # No story on the entry: it started one, or its story is still on its way (then the move
        # goes through its founder story, which leads to the story it joined).
        joined = entry.story_id or new_story_id(entry.article_id)
        if entry.profile is None or joined == story.story_id or entry.article_id in members:
            continue
        if entry.article_id in out:
            continue
        seen = match(entry.profile, entry.profile.event_time(entry.event_time), story, params)
        if seen.score >= params.min_score and seen.score > 0.0:
            out[entry.article_id] = StoryTake(entry.article_id, joined, seen)
    return [out[a] for a in sorted(out)]


def claimed(later: Sequence[KeyEntry], story: CandidateStory, params: StoryParams) -> list[str]:
    """Articles after the deciding one in input order, not known to be in another story, that reach
    the threshold against ``story`` (the deciding article's story as it sees it, itself included)."""
    out: list[str] = []
    for entry in later:
        if entry.profile is None or entry.story_id is not None or entry.article_id in out:
            continue
        if entry.article_id in {m[0] for m in story.members}:
            continue
        seen = match(entry.profile, entry.profile.event_time(entry.event_time), story, params)
        if seen.score >= params.min_score and seen.score > 0.0:
            out.append(entry.article_id)
    return sorted(out)


def claimed_ahead(
    earlier: Sequence[KeyEntry], story: CandidateStory, event_time: float, params: StoryParams
) -> list[str]:
    """Articles before the deciding one in input order but after it in event time that founded a
    story of their own and reach the threshold against ``story`` (the deciding article's, itself
    included): read in event order (a live feed), they would have come after it and joined it.

    A backfill or a replay read out of event order (an arrest two days after a theft read before the
    theft's main report) otherwise keeps the follow-up apart for good; claimed, its story is merged
    into this one (``merged_into``), as a live feed would have had it.

    It must also reach the threshold against the deciding article alone (the last of ``story``'s
    members): the claimed article's own keys need not have met the rest of the story, and what
    joins two stories for good must rest on a link of its own.
    """
    members = {m[0] for m in story.members}
    deciding = CandidateStory(story.story_id)
    deciding.add(*story.members[-1])
    out: list[str] = []
    for entry in earlier:
        if entry.profile is None or entry.story_id is not None or entry.article_id in members:
            continue
        entry_time = entry.profile.event_time(entry.event_time)
        if entry_time <= event_time or entry.article_id in out:
            continue
        scores = [match(entry.profile, entry_time, seen, params).score for seen in (story, deciding)]
        if min(scores) >= params.min_score and min(scores) > 0.0:
            out.append(entry.article_id)
    return sorted(out)
