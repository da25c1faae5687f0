"""Near-duplicates and stories on the real sample articles, through the join as `streamproc process`
drives it (the ingestor's probes on the worker's clock, the worker's key owner and collector)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from streamproc.bench.records import bare_enriched
from streamproc.config import DedupSettings, Settings
from streamproc.dedup.index import entries_from_json
from streamproc.dedup.minhash import MinHasher, jaccard_estimate
from streamproc.dedup.probes import key_kind, probe_keys
from streamproc.dedup.shingles import word_shingles
from streamproc.dedup.stories import new_story_id
from streamproc.join import OfflineJoin
from streamproc.join.owner import partition_of_key
from streamproc.join.postings import is_record_key, record_key
from streamproc.join.story_records import is_story_record_key, story_record_key
from streamproc.models import EnrichedArticle, Entity, RawMessage, SourceOffset
from streamproc.parse.fingerprint import content_fingerprint
from streamproc.pipeline import Ingestor

SAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
T0 = datetime(2025, 9, 4, 12, 0, tzinfo=UTC)


def sample_000_paragraphs() -> list[str]:
    lines = next(SAMPLES.glob("000_*.txt")).read_text(encoding="utf-8").splitlines()
    byline = next(i for i, line in enumerate(lines) if line.startswith("By AFP"))
    return [line for line in lines[byline + 1 :] if line.strip()]


def sample_001_body() -> str:
    text = next(SAMPLES.glob("001_*.txt")).read_text(encoding="utf-8").strip()
    return text.removeprefix("date 2025-09-04").strip()


def ent(name: str, type_: str, mentions: int, salience: float) -> Entity:
    return Entity(name=name, type=type_, mentions=mentions, surface_forms=[name], spans=[], salience=salience)


# Entities as the enricher would report them (built by hand: this test is about story matching).
ENTITIES_000 = [
    ent("Marco Rubio", "PERSON", 12, 0.9),
    ent("Ecuador", "GPE", 12, 0.85),
    ent("United States", "GPE", 14, 0.8),
    ent("Daniel Noboa", "PERSON", 5, 0.6),
    ent("Nicolas Maduro", "PERSON", 2, 0.25),
    ent("Gabriela Sommerfeld", "PERSON", 2, 0.25),
    ent("Venezuela", "GPE", 2, 0.25),
    ent("AFP", "ORG", 2, 0.2),
    ent("China", "GPE", 2, 0.2),
    ent("Quito", "GPE", 2, 0.2),
    ent("Donald Trump", "PERSON", 1, 0.15),
    ent("Rafael Correa", "PERSON", 1, 0.1),
    ent("Manta", "GPE", 1, 0.1),
    ent("Los Lobos", "ORG", 1, 0.1),
    ent("Los Choneros", "ORG", 1, 0.1),
    ent("Pentagon", "ORG", 1, 0.1),
    ent("Drug Enforcement Administration", "ORG", 1, 0.1),
    ent("Latin America", "LOC", 1, 0.1),
]
ENTITIES_001 = [
    ent("Marco Rubio", "PERSON", 10, 0.9),
    ent("United States", "GPE", 9, 0.8),
    ent("Ecuador", "GPE", 6, 0.6),
    ent("Daniel Noboa", "PERSON", 4, 0.5),
    ent("Donald Trump", "PERSON", 4, 0.4),
    ent("John Reimberg", "PERSON", 2, 0.2),
    ent("Venezuela", "GPE", 2, 0.2),
    ent("China", "GPE", 2, 0.2),
    ent("Latin America", "LOC", 2, 0.2),
    ent("Nayib Bukele", "PERSON", 1, 0.1),
    ent("Diosdado Cabello", "PERSON", 1, 0.1),
    ent("Rafael Correa", "PERSON", 1, 0.1),
    ent("Tren de Aragua", "ORG", 1, 0.1),
    ent("Teleamazonas", "ORG", 1, 0.1),
    ent("El Salvador", "GPE", 1, 0.1),
    ent("Mexico", "GPE", 1, 0.1),
    ent("Manta", "GPE", 1, 0.1),
    ent("AFP", "ORG", 1, 0.1),
]


def enriched(article_id: str, body: str, entities: list[Entity], published: datetime) -> EnrichedArticle:
    return bare_enriched(article_id, body, entities, published, ingested_at=published + timedelta(minutes=5))


class Join:
    """The ingestor and the offline join, over one settings."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.ingestor = Ingestor(self.settings)
        self.join = OfflineJoin(self.settings)

    @property
    def tables(self) -> dict[str, Any]:
        return dict(self.join.owner.table)

    def sweep(self, now_event_time: float) -> int:
        """Every partition's sweep, with ``now_event_time`` as the newest event time seen."""
        sweeper, evicted = self.join.owner.sweeper, 0
        for partition in range(self.settings.kafka.partitions):
            sweeper.observe(partition, now_event_time)
            evicted += sweeper.sweep(self.join.owner.table, partition)
        return evicted


@dataclass(frozen=True)
class Verdict:
    status: str
    duplicate_of: str | None
    similarity: float | None
    story_id: str | None


def assign(dedup: Join, article: EnrichedArticle, source_key: str) -> Verdict:
    """Publish ``article`` as the message at ``source_key`` that entered Kafka at its ``published_at``."""
    topic, partition, offset = source_key.split("/")
    raw = RawMessage(
        payload=b"",
        received_at=article.ingested_at,
        source_offset=SourceOffset(topic, int(partition), int(offset)),
        timestamp=article.published_at,
    )
    ingested = dedup.ingestor.ingested(replace(article, source_offset=raw.source_offset), raw)
    record = dedup.join.join(ingested.pending, ingested.probes).record
    verdict = record["dedup"]
    return Verdict(verdict["status"], verdict["duplicate_of"], verdict["similarity"], record["story_id"])


BODY_000 = "\n".join(sample_000_paragraphs())


def dropped_paragraph() -> str:
    paragraphs = sample_000_paragraphs()
    return "\n".join(paragraphs[:6] + paragraphs[7:])


def reworded_sentence() -> str:
    old = "Noboa's mass deployment of force has won him popular support but has yet to dent crime"
    new = "The massive deployment ordered by Noboa made him popular, though it has not reduced crime"
    assert old in BODY_000
    return BODY_000.replace(old, new)


def rewrapped() -> str:
    # Another outlet's rendering: blank lines between paragraphs, hard-wrapped at 60 columns,
    # curly quotes, em dashes.
    paragraphs = [
        textwrap.fill(p.replace(" -- ", " — "), 60, break_on_hyphens=False) for p in sample_000_paragraphs()
    ]
    text = "\n\n".join(paragraphs)
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch.replace("'", "’"))
    return "".join(out)


@pytest.mark.parametrize(
    ("variant", "allowed"),
    [
        (dropped_paragraph, {"near_duplicate"}),
        (reworded_sentence, {"near_duplicate"}),
        (rewrapped, {"exact_duplicate", "near_duplicate"}),
    ],
)
def test_edited_copies_of_sample_000_are_caught(variant: object, allowed: set[str]) -> None:
    assert callable(variant)
    body = variant()
    assert body != BODY_000
    dedup = Join()
    original = assign(dedup, enriched("a-orig", BODY_000, ENTITIES_000, T0), "news.raw/0/1")
    copy = assign(dedup, enriched("a-copy", body, ENTITIES_000, T0 + timedelta(hours=2)), "news.raw/1/1")
    assert original.status == "unique"
    assert copy.status in allowed
    assert copy.duplicate_of == "a-orig"
    assert copy.similarity is not None and copy.similarity >= 0.8
    assert copy.story_id == original.story_id


def test_rewrapped_copy_has_identical_shingles_and_fingerprint() -> None:
    assert word_shingles(rewrapped(), 5) == word_shingles(BODY_000, 5)
    assert content_fingerprint(rewrapped()) == content_fingerprint(BODY_000)


def test_samples_are_different_texts_but_one_story() -> None:
    shingles_000, shingles_001 = word_shingles(BODY_000, 5), word_shingles(sample_001_body(), 5)
    assert len(shingles_000 & shingles_001) / len(shingles_000 | shingles_001) < 0.1
    hasher = MinHasher(64)
    assert jaccard_estimate(hasher.signature(shingles_000), hasher.signature(shingles_001)) < 0.2

    dedup = Join()
    first = assign(dedup, enriched("a-000", BODY_000, ENTITIES_000, T0), "news.raw/0/1")
    second = assign(
        dedup, enriched("a-001", sample_001_body(), ENTITIES_001, T0 + timedelta(hours=20)), "news.raw/2/7"
    )
    assert (first.status, second.status) == ("unique", "unique")
    assert first.story_id == new_story_id("a-000")
    assert second.story_id == first.story_id


def test_sample_001_two_weeks_later_starts_a_new_story() -> None:
    dedup = Join()
    first = assign(dedup, enriched("a-000", BODY_000, ENTITIES_000, T0), "news.raw/0/1")
    late = assign(
        dedup, enriched("a-001", sample_001_body(), ENTITIES_001, T0 + timedelta(days=14)), "news.raw/2/7"
    )
    assert late.story_id != first.story_id


def test_replay_is_not_a_duplicate_and_gets_the_same_story() -> None:
    dedup = Join()
    first = assign(dedup, enriched("a-000", BODY_000, ENTITIES_000, T0), "news.raw/0/1")
    second = assign(dedup, enriched("a-001", sample_001_body(), ENTITIES_001, T0), "news.raw/0/2")
    tables_before = {key: list(value) for key, value in dedup.tables.items()}
    replay_first = assign(dedup, enriched("a-000", BODY_000, ENTITIES_000, T0), "news.raw/0/1")
    replay_second = assign(dedup, enriched("a-001", sample_001_body(), ENTITIES_001, T0), "news.raw/0/2")
    assert replay_first.status == replay_second.status == "unique"
    assert (replay_first.story_id, replay_second.story_id) == (first.story_id, second.story_id)
    assert dedup.tables == tables_before
    # The same content in a new message is a duplicate of the first.
    again = assign(dedup, enriched("a-000", BODY_000, ENTITIES_000, T0), "news.raw/3/9")
    assert (again.status, again.duplicate_of) == ("exact_duplicate", "a-000")


def test_duplicates_beyond_the_horizon_are_unique_and_sweep_bounds_state() -> None:
    dedup = Join()
    settings = dedup.settings.dedup
    assign(dedup, enriched("a-000", BODY_000, ENTITIES_000, T0), "news.raw/0/1")
    lists = [key for key in dedup.tables if not is_record_key(key) and not is_story_record_key(key)]
    content_keys = [key for key in lists if key_kind(key) != "alias"]
    assert len(content_keys) == 1 + settings.bands + settings.story_top_k
    # Band keys hold postings; the entry they point to is stored once per owning partition.
    bands = [key for key in content_keys if key_kind(key) == "band"]
    assert all(dedup.tables[key] == ["news.raw/0/1"] for key in bands)
    partitions = {partition_of_key(key, dedup.settings.kafka.partitions) for key in bands}
    assert {key for key in dedup.tables if is_record_key(key)} == {
        record_key(p, "news.raw/0/1") for p in partitions
    }
    # Story keys hold postings too; the entry and its profile are stored once per owning partition,
    # naming the partition's story keys that list it.
    stories = [key for key in content_keys if key_kind(key) == "story"]
    assert all(dedup.tables[key] == ["news.raw/0/1"] for key in stories)
    owners = {partition_of_key(key, dedup.settings.kafka.partitions) for key in stories}
    records = {key: value for key, value in dedup.tables.items() if is_story_record_key(key)}
    assert set(records) == {story_record_key(p, "news.raw/0/1") for p in owners}
    assert sorted(name for value in records.values() for name in value[2]) == sorted(stories)
    later = T0 + timedelta(days=8)
    copy = assign(dedup, enriched("a-copy", BODY_000, ENTITIES_000, later), "news.raw/0/2")
    assert copy.status == "unique"
    assert dedup.sweep(later.timestamp()) == 0  # the probes already evicted a-000 from the keys they touched
    assert {value[0] for key, value in dedup.tables.items() if is_record_key(key)} == {"a-copy"}
    stored = [
        entry
        for key, value in dedup.tables.items()
        if key in lists and key_kind(key) == "fingerprint"
        for entry in entries_from_json(value)
    ]
    assert {entry.article_id for entry in stored} == {"a-copy"}
    assert {value[0] for key, value in dedup.tables.items() if is_story_record_key(key)} == {"a-copy"}
    assert {posting for key in bands for posting in dedup.tables[key]} == {"news.raw/0/2"}
    assert {posting for key in stories for posting in dedup.tables[key]} == {"news.raw/0/2"}
    assert dedup.sweep((later + timedelta(days=8)).timestamp()) == len(lists)
    assert dedup.tables == {}


def test_probe_keys_shape() -> None:
    settings = DedupSettings()
    keys = probe_keys(enriched("a-000", BODY_000, ENTITIES_000, T0), settings, MinHasher(settings.num_perm))
    assert keys.fingerprint_key == "fp:" + content_fingerprint(BODY_000)
    assert len(keys.band_keys) == settings.bands
    assert keys.story_keys == ["st:marco rubio", "st:daniel noboa", "st:ecuador", "st:gabriela sommerfeld"]
    assert "united states" not in keys.entity_names and "afp" not in keys.entity_names
    entries = keys.entries(article_id="a-000", source_key="news.raw/0/1", event_time=1.0)
    assert list(entries) == keys.all_keys
    assert entries[keys.band_keys[0]].signature == keys.signature_text
    assert entries[keys.fingerprint_key].signature is None
    assert keys.story_profile is not None
    # Stored story entries carry the profile without its headline (read of the deciding article only).
    assert entries[keys.story_keys[0]].profile == replace(keys.story_profile, headline={})


def test_the_dedup_clock_is_the_arrival_not_published_at() -> None:
    ingestor = Ingestor(Settings())
    article = enriched("a-000", BODY_000, ENTITIES_000, T0 + timedelta(days=365))  # a bad future date
    arrived = T0 + timedelta(hours=1)
    raw = RawMessage(b"", received_at=arrived + timedelta(seconds=3), timestamp=arrived)
    ingested = ingestor.ingested(article, raw)
    assert ingested.pending.event_time == arrived.timestamp()
    assert {probe.entry.event_time for probe in ingested.probes} == {arrived.timestamp()}
    no_timestamp = ingestor.ingested(article, replace(raw, timestamp=None))
    assert no_timestamp.pending.event_time == raw.received_at.timestamp()


def test_story_chains_through_recorded_story_ids() -> None:
    # B joins A's story; C shares its names only with B, and still lands in A's story because
    # B's story key entries carry the decided story id (set_story).
    dedup = Join()
    a_ents = [ent(n, "PERSON", 1, 0.5) for n in ("Ana Quispe", "Bruno Ferraz", "Ciro Alegria", "Dora Huaman")]
    b_ents = [
        ent(n, "PERSON", 1, 0.5) for n in ("Ana Quispe", "Bruno Ferraz", "Elias Mamani", "Flor Condori")
    ]
    c_ents = [ent(n, "PERSON", 1, 0.5) for n in ("Elias Mamani", "Flor Condori", "Gael Ticona", "Hugo Vilca")]
    flood = "A tailings dam burst above the valley, flooding the mining camp and sweeping away trucks."
    a = assign(dedup, enriched("a-a", flood, a_ents, T0), "news.raw/0/1")
    b = assign(
        dedup,
        enriched("a-b", "Tailings dam burst floods mining camp; trucks swept away.", b_ents, T0),
        "news.raw/0/2",
    )
    c = assign(
        dedup, enriched("a-c", "Mining camp flooded after tailings dam burst.", c_ents, T0), "news.raw/0/3"
    )
    unrelated = [ent(n, "PERSON", 1, 0.5) for n in ("Ines Arce", "Jose Pari", "Karen Luna")]
    d = assign(dedup, enriched("a-d", "A court jailed a banker for fraud.", unrelated, T0), "news.raw/0/4")
    assert a.story_id == b.story_id == c.story_id == new_story_id("a-a")
    assert d.story_id == new_story_id("a-d")
