"""The benchmark corpus: mix, shares, determinism, and that every item parses the way its kind says."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from streamproc.bench.corpus import (
    CorpusSpec,
    describe_corpus,
    generate_corpus,
    make_story,
    near_copy,
    render,
    sample_paragraphs,
)
from streamproc.config import ParseSettings
from streamproc.dedup import word_shingles
from streamproc.errors import ParseError
from streamproc.models import RawMessage
from streamproc.parse import parse_raw

SPEC = CorpusSpec(articles=120, seed=3, exact_share=0.1, near_share=0.1, bad_share=0.05)


def parse(payload: bytes) -> str:
    """The parsed article's fingerprint, or ``error:<code>``."""
    try:
        return parse_raw(RawMessage(payload, datetime(2025, 9, 5, tzinfo=UTC)), ParseSettings()).fingerprint
    except ParseError as exc:
        return f"error:{exc.code.value}"


def jaccard(a: str, b: str) -> float:
    sa, sb = word_shingles(a, 5), word_shingles(b, 5)
    return len(sa & sb) / len(sa | sb)


def test_counts_follow_the_shares() -> None:
    items = generate_corpus(SPEC)
    kinds = Counter(item.kind for item in items)
    assert len(items) == 120
    assert kinds == {"original": 90, "exact_duplicate": 12, "near_duplicate": 12, "bad": 6}
    assert [item.index for item in sorted(items, key=lambda i: i.index)] == list(range(120))


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    first = [item.payload for item in generate_corpus(SPEC)]
    assert first == [item.payload for item in generate_corpus(SPEC)]
    other = [item.payload for item in generate_corpus(CorpusSpec(articles=120, seed=4))]
    assert first != other


def test_duplicates_follow_their_original() -> None:
    items = generate_corpus(SPEC)
    position = {item.index: at for at, item in enumerate(items)}
    by_index = {item.index: item for item in items}
    for at, item in enumerate(items):
        if item.kind in ("exact_duplicate", "near_duplicate"):
            assert item.duplicate_of is not None
            assert by_index[item.duplicate_of].kind == "original"
            assert position[item.duplicate_of] < at
        if item.kind == "exact_duplicate":
            assert item.payload == by_index[item.duplicate_of].payload  # type: ignore[index]


def test_every_item_parses_as_its_kind_says() -> None:
    items = generate_corpus(SPEC)
    for item in items:
        outcome = parse(item.payload)
        if item.kind == "bad":
            assert outcome.startswith("error:"), item.format
        else:
            assert not outcome.startswith("error:"), (item.format, outcome)
    originals = [parse(item.payload) for item in items if item.kind == "original"]
    assert len(set(originals)) == len(originals)  # originals are distinct content


def test_originals_vary_in_format_length_and_entities() -> None:
    items = generate_corpus(CorpusSpec(articles=200, seed=9))
    originals = [item for item in items if item.kind == "original"]
    assert {item.format for item in originals} == {"json", "html", "scraped_page", "dateline"}
    words = [item.words for item in originals]
    assert min(words) < 200 < 450 < max(words)
    text = b" ".join(item.payload for item in originals)
    assert text.count(b"Rubio") and text.count(b"Lagarde") and text.count(b"Geneva")


def test_near_copy_is_near_but_not_exact() -> None:
    rng = random.Random(1)
    spec = CorpusSpec(min_words=300, max_words=400)
    story = make_story(rng, 0, spec, sample_paragraphs())
    copy = near_copy(story, rng)
    original_body, copy_body = " ".join(story.paragraphs), " ".join(copy.paragraphs)
    assert original_body != copy_body
    assert jaccard(original_body, copy_body) >= 0.8
    assert parse(render(story, "json")) != parse(render(copy, "json"))


def test_describe_counts_kinds_and_words() -> None:
    items = generate_corpus(SPEC)
    described = describe_corpus(SPEC, items)
    assert described["articles"] == 120
    assert described["kinds"]["bad"] == 6
    assert described["words_min"] <= described["words_mean"] <= described["words_max"]
    assert described["words_total"] == sum(item.words for item in items)


def test_shares_that_leave_no_originals_are_rejected() -> None:
    with pytest.raises(ValueError, match="no room"):
        CorpusSpec(articles=10, exact_share=0.5, near_share=0.5).counts()


def test_bench_command_defaults_are_the_options_and_the_corpus_defaults() -> None:
    from streamproc.bench.options import BenchOptions
    from streamproc.cli import bench

    options = BenchOptions()
    shown = {param.name: param.default for param in bench.params}
    for name in (
        "articles",
        "workers",
        "seed",
        "exact_share",
        "near_share",
        "bad_share",
        "latency_seconds",
        "repeat",
    ):
        assert shown[name] == getattr(options, name), name
    assert options.corpus_spec() == CorpusSpec()
