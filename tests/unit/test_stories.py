"""Story keys, article profiles and the story decision, on short articles written for these tests."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from streamproc.dedup.index import KeyEntry
from streamproc.dedup.stories import (
    choose_story,
    new_story_id,
    story_entity_names,
    story_keys,
    story_routing_keys,
)
from streamproc.models import Entity
from streamproc.stories.profile import (
    ArticleProfile,
    body_words,
    build_profile,
    cosine,
    dateline_day,
    dateline_time,
    figures,
    fold_accents,
    stem,
    untagged_names,
    words,
)
from streamproc.stories.rarity import rarity
from streamproc.stories.score import (
    CandidateStory,
    StoryDecision,
    StoryParams,
    headline_coverage,
    headline_factor,
    input_position,
    match,
    shares_terms,
    time_factor,
    when_factor,
)

DAY = 86_400.0
T0 = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
PARAMS = StoryParams()


def ent(name: str, type_: str = "PERSON", salience: float = 0.5, mentions: int = 1) -> Entity:
    return Entity(name=name, type=type_, mentions=mentions, surface_forms=[name], spans=[], salience=salience)


def profile(title: str, body: str, entities: list[Entity], day: float = 0.0) -> ArticleProfile:
    published = datetime.fromtimestamp(T0.timestamp() + day * DAY, UTC)
    return build_profile(
        title=title, body=body, entities=entities, published_at=published, published_at_source="explicit"
    )


OWN = json.loads((Path(__file__).parents[1] / "fixtures" / "stories" / "unit_articles.json").read_text())


def own(key: str) -> ArticleProfile:
    article = OWN["articles"][key]
    entities = [
        ent(name, type_, salience, mentions) for name, type_, salience, mentions in article["entities"]
    ]
    return profile(article["title"], article["text"], entities, day=article["day"])


EARNINGS_1, EARNINGS_2, RECALL = own("earnings_1"), own("earnings_2"), own("recall")
QUAKE_1, QUAKE_2, QUAKE_LATER = own("quake_1"), own("quake_2"), own("quake_later")


def entry(
    article: str, prof: ArticleProfile, story: str | None = None, arrival: float | None = None
) -> KeyEntry:
    t = T0.timestamp() + 30 * DAY if arrival is None else arrival
    return KeyEntry(article, f"news.raw/0/{article}", t, story_id=story, profile=prof)


def decision_for(
    prof: ArticleProfile | None, candidates: list[KeyEntry], arrival: float | None = None
) -> StoryDecision:
    arrival_time = T0.timestamp() + 30 * DAY if arrival is None else arrival
    return choose_story(
        article_id="a-new", profile=prof, arrival_time=arrival_time, candidates=candidates, params=PARAMS
    )


def decide(prof: ArticleProfile, candidates: list[KeyEntry], arrival: float | None = None) -> str:
    return decision_for(prof, candidates, arrival).story_id


# ----------------------------------------------------------------------------- routing keys


def test_keys_prefer_people_and_skip_ubiquitous_and_non_name_types() -> None:
    entities = [
        ent("United States", "GPE", 0.95),
        ent("AFP", "ORG", 0.9),
        ent("Ecuador", "GPE", 0.8),
        ent("Daniel Noboa", "PERSON", 0.6),
        ent("September 4", "DATE", 0.9),
        ent("$20 million", "MONEY", 0.9),
        ent("Marco  Rubio", "PERSON", 0.7),
        ent("Latin American", "NORP", 0.7),
    ]
    assert story_keys(entities, 3) == ["st:marco rubio", "st:daniel noboa", "st:ecuador"]
    assert story_entity_names(entities, 10) == ["marco rubio", "daniel noboa", "ecuador", "latin american"]
    assert story_keys(entities, 0) == []


def test_routing_keys_add_the_heaviest_name_words_of_the_headline() -> None:
    # Two reports write the museum apart ("Museum Prinsenhof Delft", "Delft museum"): their
    # headlines' name words meet where the whole names do not.
    entities = [ent("Museum Prinsenhof Delft", "ORG", 0.9, 2), ent("Marloes Verhagen", "PERSON", 0.5)]
    prof = profile("Painting stolen from Delft museum", "A painting was stolen from the museum.", entities)
    names = story_entity_names(entities, 10)
    keys = story_routing_keys(names, prof, "Painting stolen from Delft museum", 1)
    name_keys = [k for k in keys if not k.startswith("st:~")]
    assert name_keys[:2] == ["st:museum prinsenhof delft", "st:delft"] and len(name_keys) == 4
    # The headline's two heaviest name words, then the profile's heaviest, wherever it is named.
    assert name_keys[3] == "st:prinsenhof" == "st:" + max(prof.names, key=lambda w: (prof.names[w], w))
    assert story_routing_keys(names, prof, None, 1) == ["st:museum prinsenhof delft"]
    assert story_routing_keys(names, prof, "Painting stolen", 0) == []
    # A one-word name and the same word are one key.
    one = [ent("Delft", "GPE", 0.9, 2)]
    assert story_routing_keys(["delft"], profile("Delft flood", "Delft flooded.", one), "Delft flood", 4) == [
        "st:delft",
        "st:~flood",
    ]


def test_routing_keys_let_a_reaction_without_the_reports_names_meet_it() -> None:
    # A local angle names none of the report's names; its rarest event word is the report's too.
    report = profile(
        "Central bank surprises with rate cut as zloty slides",
        "The central bank cut its benchmark rate by half a point; the zloty slid against the euro.",
        [ent("Adam Glapinski", "PERSON", 0.9), ent("Poland", "GPE", 0.8)],
    )
    local = profile(
        "Krakow mortgage holders to save hundreds of zlotys a month",
        "Families with floating-rate mortgages will pay less after the rate cut; zloty loans fell.",
        [ent("Krakow", "GPE", 0.9), ent("Tomasz Zajac", "PERSON", 0.6)],
        day=0.8,
    )
    report_keys = story_routing_keys(["adam glapinski", "poland"], report, "Central bank surprises", 4)
    local_keys = story_routing_keys(["krakow", "tomasz zajac"], local, "Krakow mortgage holders", 4)
    shared = set(report_keys) & set(local_keys)
    assert shared and all(k.startswith("st:~") for k in shared)
    assert "st:~" + stem("zloty") in shared


def test_names_ranked_deterministically() -> None:
    entities = [ent("B Person"), ent("A Person"), ent("C Person", mentions=3)]
    assert story_entity_names(entities, 3) == ["c person", "a person", "b person"]
    assert story_entity_names(list(reversed(entities)), 3) == ["c person", "a person", "b person"]


def test_new_story_id_is_deterministic_and_distinct() -> None:
    assert new_story_id("a-1") == new_story_id("a-1")
    assert new_story_id("a-1") != new_story_id("a-2")
    assert new_story_id("a-1").startswith("s-")


# ----------------------------------------------------------------------------- profiles


def test_words_stems_and_rarity() -> None:
    assert words("Nepal's quake-hit Bajhang: 38 dead") == ["nepal", "quake", "hit", "bajhang", "dead"]
    assert stem("killed") == stem("kills") == stem("killing")
    assert stem("charges") == stem("charged")
    assert rarity("the") < rarity("minister") < rarity("earthquake") < rarity("bajhang")


def test_words_and_story_keys_ignore_diacritics() -> None:
    assert fold_accents("Vučić in A Coruña") == "Vucic in A Coruna"
    assert words("Vučić") == words("Vucic") == ["vucic"]
    accented = profile("Vučić rally", "Police met the crowd.", [ent("Aleksandar Vučić")])
    plain = profile("Vucic rally", "Police met the crowd.", [ent("Aleksandar Vucic")])
    assert accented.names == plain.names
    assert story_routing_keys(["aleksandar vučić"], accented, "Vučić rally", 4) == story_routing_keys(
        ["aleksandar vucic"], plain, "Vucic rally", 4
    )


def test_untagged_names_are_capitalised_mid_sentence_and_never_lower_case() -> None:
    body = (
        "Racing beat Independiente on Sunday. The Storm hit the coast, and fans of Independiente "
        'cheered. A storm of protest followed. "Never," said Quiroga\'s coach, in October.'
    )
    found = untagged_names(body, tagged={"racing"})
    # "Storm" is also written in lower case; "Racing" is tagged; "Never" opens a quote; "Sunday" and
    # "October" are dates; "The"/"A" open sentences.
    assert found == {"independiente", "quiroga"}


@pytest.mark.parametrize(
    "body",
    [
        "Vučić met Åsa Straße’s team in A Coruña; the ’90s rock’n’roll O'Neill's.",
        "Decomposed: Vuc\u030cic\u0301 and Ac\u0327ores met at e\u0301cole.",  # marks split raw tokens
        "İstanbul, x²y, ﬁnance, ＡＢＣ\uff07s and ǅemal; Σίσυφος ΜΕΓΑΣ.",  # folding makes or breaks letters
        "",
    ],
)
def test_one_reading_of_a_body_gives_its_words(body: str) -> None:
    assert body_words(body).words == words(body)


def test_an_untagged_name_counts_as_a_name_and_stays_out_of_the_headline() -> None:
    body = "Fans of Independiente filed a complaint with the tribunal against their rivals at Independiente."
    prof = profile("Independiente files tribunal complaint", body, [])
    assert "independiente" in prof.names
    assert stem("independiente") in prof.terms  # another report may carry it untagged as well
    assert stem("independiente") not in prof.headline and stem("tribunal") in prof.headline


def test_figures_are_terms_as_rare_as_their_significant_digits() -> None:
    body = (
        "Dengue has killed 612 people this year, 11 in the past day, and 1,480 were admitted. "
        "Olympiacos won 81-78; the rate fell to 4.25% (from 4.5 per cent) in 2026, season 2025-26. "
        "About 40 clinics and 2,000 beds; model X70."
    )
    assert figures(body) == ["612", "11", "1,480", "81-78", "4.25%", "4.5", "2026", "2025-26", "40", "2,000"]
    prof = profile("Dengue deaths reach 612", body, [])
    assert {"#612", "#11", "#1480", "#81-78", "#4.25", "#4.5"} <= set(prof.terms)
    # A year or a season is a date; one significant digit (40, 2,000) is too common to link anything.
    assert not {"#2026", "#2025-26", "#40", "#2000", "#70"} & set(prof.terms)
    assert "#612" in prof.headline
    assert prof.terms["#81-78"] > prof.terms["#1480"] > prof.terms["#11"]  # 4, 3, 2 digits (lead)


@given(st.integers(min_value=10, max_value=10**9))
def test_a_figure_is_one_term_however_its_thousands_are_written(n: int) -> None:
    written = [f"{n:,}"] if 1900 <= n < 2100 else [f"{n:,}", str(n)]  # "2026" is a year
    terms = {
        tuple(k for k in profile("Toll", f"Officials counted {w} cases.", []).terms if k.startswith("#"))
        for w in written
    }
    significant = len(str(n).strip("0"))
    assert terms == ({(f"#{n}",)} if significant >= 2 else {()})


def test_a_feature_repeating_the_reports_figures_is_nearer_to_it() -> None:
    report = profile(
        "Dengue deaths cross 600 in record year",
        "Dengue has killed 612 people so far this year, the highest annual toll, health officials said.",
        [ent("Bangladesh", "GPE")],
    )
    explainer, other = (
        profile(
            "Why this year's outbreak has been so deadly",
            f"With a record {toll} deaths this year, experts ask why the mosquito season keeps lengthening.",
            [],
        )
        for toll in ("612", "318")
    )
    assert cosine(explainer.terms, report.terms) > cosine(other.terms, report.terms)


def test_terms_leave_out_names_dates_and_frequent_words() -> None:
    terms = set(EARNINGS_1.terms)
    assert {stem("profit"), stem("demand"), stem("margins")} <= terms
    assert stem("nordvik") not in terms and stem("strand") not in terms  # names are in ``names``
    assert stem("tuesday") not in terms and stem("said") not in terms
    assert {"nordvik", "strand", "lena"} <= set(EARNINGS_1.names)


def test_profile_vectors_are_unit_length_and_bounded() -> None:
    for prof in (EARNINGS_1, RECALL, QUAKE_1):
        assert sum(w * w for w in prof.terms.values()) == pytest.approx(1.0, abs=0.01)
        assert sum(w * w for w in prof.names.values()) == pytest.approx(1.0, abs=0.01)
        assert cosine(prof.terms, prof.terms) == pytest.approx(1.0)


def test_profile_json_round_trip_and_entry_round_trip() -> None:
    dated = build_profile(
        title="Flood",
        body="DHAKA, July 3 (Reuters) - Floods swept the delta.",
        entities=[],
        published_at=None,
        published_at_source="ingestion",
    )
    for prof in (EARNINGS_1, dated):
        assert ArticleProfile.from_json(prof.to_json()) == prof
        stored = KeyEntry("a-1", "raw/0/1", 5.0, story_id="s-1", profile=prof)
        assert KeyEntry.from_json(stored.to_json()) == stored


def test_profile_is_deterministic() -> None:
    article = OWN["articles"]["earnings_1"]
    entities = [
        ent(name, type_, sal, mentions) for name, type_, sal, mentions in reversed(article["entities"])
    ]
    assert profile(article["title"], article["text"], entities) == EARNINGS_1


# ----------------------------------------------------------------------------- event time


@pytest.mark.parametrize(
    ("body", "day"),
    [
        ("KATHMANDU, March 4 (Reuters) - A quake", "03-04"),
        ("PORT SUDAN, Sudan, Sept. 19, 2026 (AP) — Shelling", "2026-09-19"),
        ("THE HAGUE, Dec 1 (Reuters) – A Dutch court", "12-01"),
        ("LIMA, Peru, Jan. 5 - Congress", "01-05"),
        ("Kathmandu is a city. March 4 was a Tuesday.", None),
        ("BOGOTA, Smarch 9 (Reuters) - x", None),
        ("BOGOTA, March 41 (Reuters) - x", None),
    ],
)
def test_dateline_day(body: str, day: str | None) -> None:
    assert dateline_day(body) == day


def test_dateline_year_is_the_latest_not_after_arrival() -> None:
    arrival = datetime(2027, 1, 2, 8, 0, tzinfo=UTC).timestamp()
    assert dateline_time("12-31", arrival) == datetime(2026, 12, 31, 12, tzinfo=UTC).timestamp()
    assert dateline_time("01-02", arrival) == datetime(2027, 1, 2, 12, tzinfo=UTC).timestamp()
    assert dateline_time("2025-06-01", arrival) == datetime(2025, 6, 1, 12, tzinfo=UTC).timestamp()
    assert dateline_time("02-30", arrival) is None


def test_event_time_publication_then_dateline_then_arrival_never_after_arrival() -> None:
    arrival = T0.timestamp() + 3 * DAY
    assert EARNINGS_1.event_time(arrival) == T0.timestamp()
    assert EARNINGS_1.event_time(T0.timestamp() - DAY) == T0.timestamp() - DAY  # future-dated: clamped
    undated = ArticleProfile(terms={}, names={}, dateline="05-12")
    assert undated.event_time(arrival) == datetime(2026, 5, 12, 12, tzinfo=UTC).timestamp()
    assert ArticleProfile(terms={}, names={}).event_time(arrival) == arrival


def test_publication_sources_in_order_of_trust() -> None:
    def time_of(source: str, body: str = "y") -> tuple[float | None, str | None]:
        prof = build_profile(title="x", body=body, entities=[], published_at=T0, published_at_source=source)
        return prof.time, prof.dateline

    for trusted in ("explicit", "html_meta", "dateline"):
        assert time_of(trusted) == (T0.timestamp(), None)
    assert time_of("explicit", "LIMA, May 12 - x") == (T0.timestamp(), None)  # it agrees with its dateline
    assert time_of("inferred", "LIMA, Jan. 5 - x") == (None, "01-05")  # a wire dateline beats a URL date
    assert time_of("inferred") == (T0.timestamp(), None)
    assert time_of("ingestion") == (None, None)


def test_a_publication_time_days_from_its_own_dateline_gives_way_to_the_dateline() -> None:
    def time_of(published: datetime) -> tuple[float | None, str | None]:
        body = "COPENHAGEN, May 18 (Reuters) - Denmark awarded the tender."
        prof = build_profile(
            title="x", body=body, entities=[], published_at=published, published_at_source="explicit"
        )
        return prof.time, prof.dateline

    late_evening = datetime(2026, 5, 18, 23, 40, tzinfo=UTC)
    next_morning = datetime(2026, 5, 19, 8, 15, tzinfo=UTC)
    assert time_of(late_evening) == (late_evening.timestamp(), None)  # the dateline's day: kept
    assert time_of(next_morning) == (next_morning.timestamp(), None)  # out the next day: kept
    # A crawl time a month late, or a CMS default: the dateline's day is the article's.
    assert time_of(datetime(2026, 6, 19, 2, 14, tzinfo=UTC)) == (None, "05-18")
    assert time_of(datetime(1970, 1, 1, tzinfo=UTC)) == (None, "05-18")


def test_time_factor_grace_then_decay_then_horizon() -> None:
    assert time_factor(0.0, PARAMS) == time_factor(PARAMS.grace_s, PARAMS) == 1.0
    assert 0.0 < time_factor(2.5 * DAY, PARAMS) < time_factor(1.5 * DAY, PARAMS) < 1.0
    assert time_factor(PARAMS.reach_s + 1.0, PARAMS) == 0.0 < time_factor(PARAMS.reach_s, PARAMS)


def test_a_long_running_story_reaches_further_for_a_report_after_it_that_names_it() -> None:
    named, unnamed, span = PARAMS.headline_support, PARAMS.headline_support / 2, 2 * DAY
    # 3.3 days after the latest report: beyond the plain reach, unless the story is long-running.
    assert when_factor(3.3 * DAY, 0.0, named, PARAMS) == 0.0
    assert when_factor(3.3 * DAY, span, named, PARAMS) == pytest.approx(time_factor(2.3 * DAY, PARAMS))
    assert time_factor(2.3 * DAY, PARAMS) > 0.5
    # ... and the report names it in its headline (half the support or less: nothing) ...
    assert when_factor(3.3 * DAY, span, unnamed, PARAMS) == 0.0
    # ... and comes after it (an older report read late gets the plain rule), within the horizon.
    assert when_factor(3.3 * DAY, span, named, PARAMS, follows=False) == 0.0
    assert when_factor(PARAMS.horizon_s + 1.0, span, named, PARAMS) == 0.0
    # Nearer, the plain rule is never lowered: a report with an unnamed headline keeps its floor.
    near = when_factor(2 * DAY, span, 0.0, PARAMS)
    assert near == time_factor(2 * DAY, PARAMS) * headline_factor(0.0, 2 * DAY, PARAMS) > 0.0


# ----------------------------------------------------------------------------- decisions


def test_no_candidates_starts_a_story_from_the_article_id() -> None:
    assert decide(EARNINGS_1, []) == new_story_id("a-new")


def test_same_event_in_other_words_joins() -> None:
    assert decide(EARNINGS_2, [entry("a-1", EARNINGS_1, story="s-earn")]) == "s-earn"
    assert decide(QUAKE_2, [entry("a-1", QUAKE_1, story="s-quake")]) == "s-quake"


def test_same_actors_other_event_same_day_is_a_new_story() -> None:
    assert decide(RECALL, [entry("a-1", EARNINGS_1, story="s-earn")]) == new_story_id("a-new")


def test_same_kind_of_event_same_region_six_days_later_is_a_new_story() -> None:
    assert decide(QUAKE_LATER, [entry("a-1", QUAKE_1, story="s-quake")]) == new_story_id("a-new")


def test_event_time_decides_not_arrival_time() -> None:
    # A backfill: both arrive within a second, their publication times are six days apart.
    arrival = T0.timestamp() + 40 * DAY
    cands = [entry("a-1", QUAKE_1, story="s-quake", arrival=arrival)]
    assert decide(QUAKE_LATER, cands, arrival=arrival + 1.0) == new_story_id("a-new")
    assert decide(QUAKE_2, cands, arrival=arrival + 1.0) == "s-quake"


def test_best_story_wins_and_the_link_says_why() -> None:
    cands = [entry("a-r", RECALL, story="s-recall"), entry("a-e", EARNINGS_1, story="s-earn")]
    decision = decision_for(EARNINGS_2, cands, arrival=T0.timestamp() + DAY)
    assert decision.story_id == "s-earn"
    assert decision.link is not None and decision.link.linked_article == "a-e"
    assert decision.link.score >= PARAMS.min_score
    assert stem("profit") in decision.link.shared_terms and "nordvik" in decision.link.shared_names


def test_an_article_bridging_two_stories_names_the_other() -> None:
    cands = [entry("a-1", QUAKE_1, story="s-one"), entry("a-2", QUAKE_1, story="s-two")]
    decision = decision_for(QUAKE_2, cands, arrival=T0.timestamp() + DAY)
    assert (decision.story_id, decision.also_matching) == ("s-one", ["s-two"])  # equal: smaller id first


def test_candidate_in_flight_stands_for_its_own_new_story() -> None:
    assert decide(QUAKE_2, [entry("a-1", QUAKE_1)]) == new_story_id("a-1")


def test_entries_without_profile_and_the_article_itself_are_ignored() -> None:
    old = KeyEntry("a-old", "news.raw/0/9", T0.timestamp(), story_id="s-old", entity_names=["kerman"])
    itself = KeyEntry("a-new", "news.raw/0/10", T0.timestamp(), story_id="s-self", profile=QUAKE_2)
    assert decide(QUAKE_2, [old, itself]) == new_story_id("a-new")


def test_no_profile_starts_its_own_story() -> None:
    decision = decision_for(None, [entry("a-1", QUAKE_1)])
    assert decision.story_id == new_story_id("a-new") and decision.link is None


def test_decision_does_not_depend_on_candidate_order() -> None:
    cands = [
        entry("a-1", QUAKE_1, story="s-b"),
        entry("a-2", QUAKE_2, story="s-a"),
        entry("a-3", QUAKE_LATER, story="s-c"),
    ]
    assert decide(QUAKE_2, cands) == decide(QUAKE_2, list(reversed(cands)))


# ----------------------------------------------------------------------------- input order


def test_input_position_is_timestamp_then_partition_then_offset() -> None:
    assert input_position(5.0, "news.raw/3/0") < input_position(6.0, "news.raw/0/0")
    assert input_position(5.0, "news.raw/1/9") < input_position(5.0, "news.raw/2/0")
    assert input_position(5.0, "news.raw/2/3") < input_position(5.0, "news.raw/2/4")
    assert input_position(5.0, "not a source key") < input_position(5.0, "news.raw/0/0")


def ordered_entry(article: str, prof: ArticleProfile, at: float, partition: int = 1) -> KeyEntry:
    return KeyEntry(article, f"news.raw/{partition}/7", at, profile=prof)


ARRIVAL = T0.timestamp() + 30 * DAY


def ordered_decision(prof: ArticleProfile, candidates: list[KeyEntry]) -> StoryDecision:
    """The decision of "a-new", input news.raw/0/3 arriving at ``ARRIVAL``."""
    return choose_story(
        article_id="a-new",
        profile=prof,
        arrival_time=ARRIVAL,
        candidates=candidates,
        params=PARAMS,
        source_key="news.raw/0/3",
    )


def test_a_later_input_answered_first_does_not_count_and_is_claimed() -> None:
    # A burst over partitions: the owner stored a report that comes after this one in input order.
    decision = ordered_decision(QUAKE_2, [ordered_entry("a-later", QUAKE_1, ARRIVAL + 0.002)])
    assert decision.story_id == new_story_id("a-new") and decision.link is None
    assert decision.claims == ["a-later"]
    # The same entry earlier in input order is joined, as offline.
    joined = ordered_decision(QUAKE_2, [ordered_entry("a-later", QUAKE_1, ARRIVAL - 0.002)])
    assert joined.story_id == new_story_id("a-later") and joined.claims == []


def test_a_later_input_of_another_event_or_in_another_story_is_not_claimed() -> None:
    other_event = ordered_entry("a-recall", RECALL, ARRIVAL + 0.002)
    in_a_story = replace(ordered_entry("a-q", QUAKE_1, ARRIVAL + 0.003), story_id="s-quake")
    assert ordered_decision(QUAKE_2, [other_event, in_a_story]).claims == []


def test_later_inputs_that_fit_are_offered_a_move_with_their_score_and_the_story_they_joined() -> None:
    # One joined another story (s-quake), one's story is not known yet (its founder story stands
    # for it): both fit this article's story, so the desk may move them; the other event does not.
    in_a_story = replace(ordered_entry("a-q", QUAKE_1, ARRIVAL + 0.003), story_id="s-quake")
    in_flight = ordered_entry("a-r", QUAKE_1, ARRIVAL + 0.004)
    other_event = ordered_entry("a-recall", RECALL, ARRIVAL + 0.002)
    takes = ordered_decision(QUAKE_2, [other_event, in_a_story, in_flight]).takes
    assert [(t.article, t.joined) for t in takes] == [("a-q", "s-quake"), ("a-r", new_story_id("a-r"))]
    assert all(t.link.score >= PARAMS.min_score for t in takes)


def test_an_earlier_input_later_in_event_time_that_founded_its_story_is_claimed() -> None:
    # Read out of event order (a backfill): a later report (QUAKE_2, half a day on) came first and
    # started its own story; this report joins the story of another (the same quake, s-main) and
    # claims it, as a live feed would have had the later report join this one.
    main = replace(ordered_entry("a-main", QUAKE_1, ARRIVAL - 0.003), story_id="s-main")
    ahead = ordered_entry("a-ahead", QUAKE_2, ARRIVAL - 0.002)
    decision = ordered_decision(QUAKE_1, [main, ahead])
    assert decision.story_id == "s-main" and decision.claims == ["a-ahead"]
    # Not after it in event time (a live feed may have had it first): not claimed.
    same_time = replace(ahead, profile=replace(QUAKE_2, time=QUAKE_1.time))
    assert ordered_decision(QUAKE_1, [main, same_time]).claims == []
    # Already in a story, or another event: not claimed.
    in_a_story = replace(ahead, story_id="s-other")
    other_event = ordered_entry("a-recall", replace(RECALL, time=QUAKE_2.time), ARRIVAL - 0.002)
    assert ordered_decision(QUAKE_1, [main, in_a_story, other_event]).claims == []


# ---------------------------------------------------------------- headline beyond the grace period

FERRY_NAMES = [
    ent("Harlow Ferries", "ORG", 0.9, 4),
    ent("Orkney", "GPE", 0.6, 3),
    ent("Kirkwall", "GPE", 0.4, 2),
]
CONTRACT = profile(
    "Harlow Ferries wins contract to run Orkney island ferry routes",
    "Harlow Ferries has won a six-year contract to run the lifeline ferry routes between the Orkney "
    "mainland and the northern isles, the islands council said on Monday. The contract, worth 90 "
    "million pounds, covers eleven vessels and the crossings from Kirkwall to Westray, Sanday and "
    "Stronsay. The operator takes over the routes in April and has promised newer ships.",
    FERRY_NAMES,
)
WALKOUT = profile(
    "Harlow Ferries crew walk out over pay at Kirkwall depot",
    "Deckhands and engineers at the Kirkwall depot of Harlow Ferries walked out on Thursday in a dispute "
    "over pay and rosters, days after the company won the contract to run the Orkney island routes. "
    "Union officials said the strike would last 48 hours and that sailings to Westray were cancelled.",
    FERRY_NAMES,
    day=2.5,
)
CONTRACT_SIGNED = profile(
    "Orkney ferry contract signed with Harlow Ferries after council vote",
    "Orkney's islands council signed the six-year contract for the northern isles ferry routes with "
    "Harlow Ferries on Thursday, after councillors voted to approve the award in a meeting in Kirkwall. "
    "The operator will run eleven vessels from April.",
    FERRY_NAMES,
    day=2.5,
)


def test_headline_coverage_is_the_share_of_headline_weight_among_the_story_terms() -> None:
    assert sum(CONTRACT.headline.values()) == pytest.approx(1.0, abs=0.01)
    assert headline_coverage(CONTRACT.headline, CONTRACT.terms) == pytest.approx(1.0, abs=0.01)
    assert headline_coverage(WALKOUT.headline, CONTRACT.terms) < PARAMS.headline_support
    assert headline_coverage({}, CONTRACT.terms) == 1.0  # no headline: no evidence either way


def test_headline_factor_only_beyond_the_grace_period_and_never_below_its_floor() -> None:
    assert headline_factor(0.0, PARAMS.grace_s, PARAMS) == 1.0
    assert headline_factor(PARAMS.headline_support, 3 * DAY, PARAMS) == 1.0
    half_way = headline_factor(0.0, 1.5 * PARAMS.grace_s, PARAMS)
    assert PARAMS.headline_floor < half_way < 1.0
    assert headline_factor(0.0, 2 * PARAMS.grace_s, PARAMS) == pytest.approx(PARAMS.headline_floor)
    assert headline_factor(0.0, 3 * DAY, replace(PARAMS, headline_support=0.0)) == 1.0


def test_same_company_other_event_days_later_is_a_new_story_and_a_follow_up_joins() -> None:
    story = [entry("a-1", CONTRACT, story="s-contract")]
    assert decide(WALKOUT, story) == new_story_id("a-new")
    assert decide(CONTRACT_SIGNED, story) == "s-contract"
    # What the headline adds: without it, the names of the walkout would carry it into the story.
    without = choose_story(
        article_id="a-new",
        profile=WALKOUT,
        arrival_time=T0.timestamp() + 30 * DAY,
        candidates=story,
        params=replace(PARAMS, headline_support=0.0),
    )
    assert without.story_id == "s-contract"


def _story(*members: tuple[str, ArticleProfile, float]) -> CandidateStory:
    story = CandidateStory("s-1")
    for member in members:
        story.add(*member)
    return story


def test_time_is_taken_to_the_reports_an_article_resembles_not_to_a_loosely_related_piece() -> None:
    t0 = T0.timestamp()
    march = ArticleProfile(
        terms={"march": 0.8, "rent": 0.5, "housing": 0.33},
        names={"rodriguez": 0.8, "inquilinas": 0.6},
        headline={"march": 1.0},
    )
    feature = ArticleProfile(terms={"rent": 0.6, "home": 0.8}, names={"madrid": 1.0}, headline={"home": 1.0})
    bill = ArticleProfile(
        terms={"bill": 0.95, "rent": 0.22, "housing": 0.22},
        names={"rodriguez": 0.8, "inquilinas": 0.6},
        headline={"bill": 1.0},
    )
    # A next-day feature on the march, and a bill of the same minister 2.1 days after the march.
    story = _story(("a-march", march, t0), ("a-feature", feature, t0 + 0.9 * DAY))
    found = match(bill, t0 + 2.1 * DAY, story, PARAMS)
    assert found.linked_article == "a-march"
    assert found.distance_s == pytest.approx(2.1 * DAY)  # not 1.2 days, to the feature
    every_member = match(bill, t0 + 2.1 * DAY, story, replace(PARAMS, core_share=0.0))
    assert every_member.distance_s == pytest.approx(1.2 * DAY)
    assert found.score < PARAMS.min_score <= every_member.score
    # A story told over days (a long-running one) keeps its latest report as its time.
    told_over_days = _story(("a-march", march, t0), ("a-feature", feature, t0 + 1.1 * DAY))
    assert match(bill, t0 + 2.1 * DAY, told_over_days, PARAMS).distance_s == pytest.approx(1.0 * DAY)
    # An article resembling the members alike is as near as the nearest of them.
    alike = _story(("a-march", march, t0), ("a-march-2", march, t0 + 0.9 * DAY))
    assert match(bill, t0 + 2.1 * DAY, alike, PARAMS).distance_s == pytest.approx(1.2 * DAY)


def test_names_count_only_when_two_event_terms_agree() -> None:
    names = {"moderna": 0.8, "merck": 0.6}
    trial = ArticleProfile(terms={"vaccine": 0.6, "melanoma": 0.6, "trial": 0.53}, names=names)
    job_cuts = ArticleProfile(terms={"vaccine": 0.3, "jobs": 0.7, "cut": 0.65}, names=names)
    assert shares_terms(trial.terms, job_cuts.terms, 1) and not shares_terms(trial.terms, job_cuts.terms, 2)
    assert shares_terms({"flood": 1.0}, {"flood": 0.8, "rain": 0.6}, 2)  # one term: all it has
    story = [entry("a-1", trial, story="s-trial", arrival=T0.timestamp())]
    # The same drugmaker the same day, one word in common (its product): a story of its own ...
    assert decide(job_cuts, story, arrival=T0.timestamp() + 3600) == new_story_id("a-new")
    # ... which its names alone would have joined.
    one_word = choose_story(
        article_id="a-new",
        profile=job_cuts,
        arrival_time=T0.timestamp() + 3600,
        candidates=story,
        params=replace(PARAMS, min_shared_terms=1),
    )
    assert one_word.story_id == "s-trial"


def test_a_profile_stored_without_a_headline_reads_as_none() -> None:
    data = CONTRACT.to_json()
    assert data["h"] == CONTRACT.headline
    del data["h"]
    assert ArticleProfile.from_json(data).headline == {}


def test_explain_pair_gives_the_parts_of_a_split_pairs_score() -> None:
    from streamproc.stories.explain import explain_pair
    from streamproc.stories.profile import ArticleProfile
    from streamproc.stories.score import StoryParams

    day = 86_400.0
    first = ArticleProfile(terms={"flood": 1.0}, names={"cantabria": 1.0}, headline={"flood": 1.0})
    later = ArticleProfile(terms={"flood": 1.0}, names={"cantabria": 1.0}, headline={"strike": 1.0})
    near = explain_pair(("x", first, 0.0), ("y", later, 0.5 * day), retrieved=True, params=StoryParams())
    assert (near.score, near.time_factor, near.headline_factor) == (1.0, 1.0, 1.0)
    far = explain_pair(("x", first, 0.0), ("y", later, 2.5 * day), retrieved=False, params=StoryParams())
    assert far.headline_coverage == 0.0 and far.headline_factor == 0.5 and far.time_factor < 1.0
    assert abs(far.score - far.time_factor * far.headline_factor) < 1e-3 and not far.retrieved
    assert "NOT RETRIEVED" in far.line(0.18)
