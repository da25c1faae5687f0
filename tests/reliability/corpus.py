"""A reproducible corpus with a known verdict per input, built from the two sample articles.

- ``unique``: paragraphs of the samples recombined, names swapped and about a third of the other
  words replaced, so two uniques share few word 5-shingles (far below the 0.8 near threshold).
- ``exact_duplicate``: the same bytes re-sent, or the same text re-wrapped (other line breaks and
  spacing, other JSON layout): the normalised fingerprint is the same.
- ``near_duplicate``: a long original with one short paragraph dropped (Jaccard >= 0.9).
- ``dlq``: empty, binary, malformed JSON, not an object, no body, oversize, with their error code.

Every duplicate is produced with the same Kafka key as its original (the group), so both land in
one raw partition, original first: the verdict is then independent of how partitions interleave,
and equal to that of an uninterrupted, in-order run (what ``expected`` holds).
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from streamproc.config import DedupSettings
from streamproc.dedup.minhash import MinHasher, band_keys, jaccard_estimate
from streamproc.dedup.shingles import word_shingles

SAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"

PEOPLE = [
    "Marco Rubio",
    "Daniel Noboa",
    "Gabriela Sommerfeld",
    "Nicolas Maduro",
    "Donald Trump",
    "Rafael Correa",
    "John Reimberg",
    "Diosdado Cabello",
    "Nayib Bukele",
    "Angela Brandt",
    "Kofi Mensah",
    "Lucia Ferreira",
    "Hiroshi Tanaka",
    "Amara Okafor",
    "Pieter de Vries",
    "Sofia Lindqvist",
    "Omar Haddad",
    "Elena Petrova",
    "Tomasz Nowak",
    "Priya Raman",
]
PLACES = [
    "Ecuador",
    "Venezuela",
    "Colombia",
    "Peru",
    "Mexico",
    "Chile",
    "Brazil",
    "Kenya",
    "Ghana",
    "Norway",
    "Poland",
    "Portugal",
    "Vietnam",
    "Canada",
    "Morocco",
    "Jordan",
    "Finland",
    "Uruguay",
]
CITIES = ["Quito", "Caracas", "Bogota", "Lima", "Nairobi", "Accra", "Oslo", "Warsaw", "Lisbon", "Hanoi"]
FILLER = [
    "harbour",
    "council",
    "budget",
    "river",
    "railway",
    "market",
    "winter",
    "grain",
    "copper",
    "ministry",
    "tribunal",
    "bridge",
    "festival",
    "election",
    "pipeline",
    "museum",
    "drought",
    "vaccine",
    "satellite",
    "orchestra",
    "reservoir",
    "cathedral",
    "airline",
    "glacier",
    "vineyard",
    "tariff",
    "lighthouse",
    "academy",
    "factory",
    "parliament",
    "archive",
    "harvest",
    "subway",
    "monsoon",
    "quarry",
]
NAME_PATTERN = re.compile(
    r"Marco Rubio|Rubio|Daniel Noboa|Noboa|Gabriela Sommerfeld|Sommerfeld|Nicolas Maduro|Maduro|"
    r"Donald Trump|Trump|Rafael Correa|Correa|John Reimberg|Reimberg|Diosdado Cabello|Cabello|"
    r"Nayib Bukele|Bukele"
)
PLACE_PATTERN = re.compile(r"Ecuador|Venezuela|Colombia|Peru|Mexico|El Salvador")
CITY_PATTERN = re.compile(r"Quito|Manta")


@dataclass(frozen=True, slots=True)
class Expected:
    role: str  # enriched | duplicates | dlq
    status: str | None  # dedup status for enriched/duplicates
    duplicate_of: int | None  # index of the original input (duplicates)
    code: str | None  # error code (dlq)


@dataclass(frozen=True, slots=True)
class Input:
    index: int
    kind: str  # unique, exact_resend, exact_rewrap, near, bad:<what>
    payload: bytes
    group: str  # Kafka key: a duplicate shares its original's key (same partition, after it)
    expected: Expected


# (kind, payload, expected; None for "a duplicate of its group's first item", dedup status then)
GroupItem = tuple[str, bytes, Expected | None, str | None]


def sample_paragraphs() -> list[str]:
    """The body paragraphs of both samples (the scraped page's header lines left out)."""
    scraped = SAMPLES.joinpath("000_0095142a0ca8ddae.txt").read_text().splitlines()
    dateline = SAMPLES.joinpath("001_c8e87acc72cf0d02.txt").read_text()
    body = [line for line in scraped[5:] if len(line.split()) > 8]
    body += [p.strip() for p in dateline.removeprefix("date 2025-09-04").split("\n\n") if len(p.split()) > 8]
    return body


def _reword(paragraph: str, rng: random.Random) -> str:
    people = rng.sample(PEOPLE, 4)
    text = NAME_PATTERN.sub(lambda m: people[zlib.crc32(m.group(0).encode()) % 4], paragraph)
    text = PLACE_PATTERN.sub(lambda _m: rng.choice(PLACES), text)
    text = CITY_PATTERN.sub(lambda _m: rng.choice(CITIES), text)
    words = text.split(" ")
    for i, word in enumerate(words):
        if word.islower() and word.isalpha() and rng.random() < 0.35:
            words[i] = rng.choice(FILLER)
    return " ".join(words)


def _article(rng: random.Random, pool: list[str], paragraphs: int, serial: int) -> dict[str, object]:
    chosen = [_reword(p, rng) for p in rng.sample(pool, paragraphs)]
    # A serial-bearing lead paragraph makes every article's text (and fingerprint) its own.
    person, city, day = rng.choice(PEOPLE), rng.choice(CITIES), serial % 28 + 1
    lead = (
        f"Report {serial}: {person} met officials in {city} on day {day} "
        f"to discuss the {rng.choice(FILLER)} and {rng.choice(FILLER)} plans of {rng.choice(PLACES)}."
    )
    subject, topic, place = rng.choice(PEOPLE), rng.choice(FILLER), rng.choice(PLACES)
    return {
        "title": f"{subject} and the {topic} question in {place} #{serial}",
        "source": "reliability-corpus",
        "published_at": f"2025-09-{serial % 28 + 1:02d}T{serial % 24:02d}:00:00Z",
        "body": "\n\n".join([lead, *chosen]),
    }


def _rewrap(article: dict[str, object]) -> bytes:
    """Same fields, other layout: lines broken at ~60 columns, trailing blanks, indented JSON."""
    body = str(article["body"])
    wrapped = []
    for paragraph in body.split("\n\n"):
        lines, line = [], ""
        for word in paragraph.split(" "):
            if len(line) + len(word) > 60:
                lines.append(line + "  ")
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        wrapped.append("\n".join(lines))
    reordered = dict(reversed(list(article.items())))
    reordered["body"] = "\n\n".join(wrapped)
    return orjson.dumps(reordered, option=orjson.OPT_INDENT_2)


_DEDUP = DedupSettings()
_HASHER = MinHasher(_DEDUP.num_perm, seed=_DEDUP.minhash_seed)


def pipeline_sees_near(original: str, copy: str) -> bool:
    """Whether the pipeline's dedup (default settings) finds ``copy`` near ``original``: an LSH
    band in common and an estimated Jaccard at or above the threshold."""
    sig_a = _HASHER.signature(word_shingles(original, _DEDUP.shingle_size))
    sig_b = _HASHER.signature(word_shingles(copy, _DEDUP.shingle_size))
    shared_band = set(band_keys(sig_a, _DEDUP.bands)) & set(band_keys(sig_b, _DEDUP.bands))
    return bool(shared_band) and jaccard_estimate(sig_a, sig_b) >= _DEDUP.near_threshold


def jaccard(a: str, b: str) -> float:
    sa, sb = word_shingles(a, 5), word_shingles(b, 5)
    return len(sa & sb) / max(1, len(sa | sb))


def bad_inputs(max_bytes: int) -> list[tuple[str, bytes, str]]:
    """(kind, payload, expected error code) for every kind of bad input."""
    return [
        ("bad:empty", b"", "empty"),
        ("bad:blank", b" \n\t \r\n", "empty"),
        ("bad:binary", bytes(range(256)) * 4, "binary"),
        ("bad:malformed_json", b'{"title": "Half an item", "body": "cut off her', "malformed_json"),
        ("bad:not_an_object", b'["a", "list", "of", "words"]', "not_an_object"),
        ("bad:no_body", b'{"title": "A headline and nothing else"}', "no_body"),
        (
            "bad:invalid_field",
            b'{"title": ["not", "a", "string"], "body": "Some body text here."}',
            "invalid_field",
        ),
        ("bad:oversize", b'{"body": "' + b"x" * (max_bytes + 16) + b'"}', "oversize"),
    ]


def build_corpus(n: int, *, seed: int = 7, max_bytes: int = 16384) -> list[Input]:
    """About ``n`` inputs: ~60% unique, ~15% exact duplicates, ~10% near duplicates, ~15% bad.

    Originals of duplicates come first in their group (same Kafka key); the inputs of different
    groups are shuffled together.
    """
    rng = random.Random(seed)
    pool = sample_paragraphs()
    groups: list[list[GroupItem]] = []
    # (kind, payload, expected or None for "duplicate of the group's first", status for those)
    serial = 0
    bad = bad_inputs(max_bytes)
    count = 0
    while count < n:
        roll = rng.random()
        serial += 1
        if roll < 0.15:
            kind, payload, code = bad[serial % len(bad)]
            groups.append([(kind, payload, Expected("dlq", None, None, code), None)])
            count += 1
            continue
        if roll < 0.30:  # original + exact duplicates (re-sent bytes, re-wrapped)
            article = _article(rng, pool, rng.randint(4, 7), serial)
            original = orjson.dumps(article)
            group: list[GroupItem] = [("unique", original, Expected("enriched", "unique", None, None), None)]
            group.append(("exact_resend", original, None, "exact_duplicate"))
            group.append(("exact_rewrap", _rewrap(article), None, "exact_duplicate"))
            groups.append(group)
            count += len(group)
            continue
        if roll < 0.40:  # long original + one short paragraph dropped
            article = _article(rng, pool, rng.randint(11, 13), serial)
            paragraphs = str(article["body"]).split("\n\n")
            group = [("unique", orjson.dumps(article), Expected("enriched", "unique", None, None), None)]
            # Drop the shortest paragraph the pipeline's own MinHash still judges near: the
            # expected verdict is that of an uninterrupted run, and MinHash is an estimate.
            for drop in sorted(range(1, len(paragraphs)), key=lambda i: len(paragraphs[i])):
                near = dict(article, body="\n\n".join(p for i, p in enumerate(paragraphs) if i != drop))
                if jaccard(str(article["body"]), str(near["body"])) >= 0.9 and pipeline_sees_near(
                    str(article["body"]), str(near["body"])
                ):
                    group.append(("near", orjson.dumps(near), None, "near_duplicate"))
                    break
            groups.append(group)
            count += len(group)
            continue
        article = _article(rng, pool, rng.randint(4, 7), serial)
        groups.append([("unique", orjson.dumps(article), Expected("enriched", "unique", None, None), None)])
        count += 1
    return _interleave(groups, rng)


def _interleave(groups: list[list[GroupItem]], rng: random.Random) -> list[Input]:
    """Shuffle the groups' items together, keeping each group's internal order."""
    slots = [g for g, group in enumerate(groups) for _ in group]
    rng.shuffle(slots)
    next_item = [0] * len(groups)
    first_index: dict[int, int] = {}
    out: list[Input] = []
    for g in slots:
        kind, payload, expected, status = groups[g][next_item[g]]
        next_item[g] += 1
        index = len(out)
        if expected is None:
            expected = Expected("duplicates", status, first_index[g], None)
        else:
            first_index[g] = index
        out.append(Input(index, kind, payload, f"g{g}", expected))
    return out


def fuzz_inputs(n: int, *, seed: int = 11, max_bytes: int = 16384, good_every: int = 20) -> Iterator[Input]:
    """Hostile messages with one good article every ``good_every``: random bytes, truncated and
    deeply nested JSON, huge fields near the size limit, control characters, repeated text."""
    rng = random.Random(seed)
    pool = sample_paragraphs()
    good = Expected("enriched", "unique", None, None)
    for index in range(n):
        if index % good_every == good_every - 1:
            article = _article(rng, pool, rng.randint(3, 5), 100_000 + index)
            yield Input(index, "good", orjson.dumps(article), f"f{index}", good)
            continue
        kind = rng.randrange(8)
        if kind == 0:
            payload = rng.randbytes(rng.randint(1, 4096))
            if b"\x00" not in payload[:64]:
                payload = b"\x00" + payload
            yield Input(index, "random_bytes", payload, f"f{index}", Expected("dlq", None, None, "binary"))
        elif kind == 1:
            full = orjson.dumps(_article(rng, pool, 2, index))
            cut = full[: rng.randint(1, len(full) - 2)]
            if not cut.strip(b" {"):
                cut = b'{"ti'
            yield Input(
                index, "truncated_json", cut, f"f{index}", Expected("dlq", None, None, "malformed_json")
            )
        elif kind == 2:
            depth = rng.randint(1100, 4000)
            nested = b'{"body": ' + b"[" * depth + b"]" * depth + b"}"
            yield Input(
                index, "deep_json", nested, f"f{index}", Expected("dlq", None, None, "malformed_json")
            )
        elif kind == 3:
            payload = b'{"title": "t", "body": "' + b"a" * (max_bytes - 20) + b'"}'
            yield Input(index, "huge_field", payload, f"f{index}", Expected("dlq", None, None, "oversize"))
        elif kind == 4:
            controls = bytes(
                rng.choice([1, 2, 3, 7, 8, 11, 12, 14, 27, 127]) for _ in range(rng.randint(64, 2048))
            )
            yield Input(index, "control_chars", controls, f"f{index}", Expected("dlq", None, None, "binary"))
        elif kind == 5:
            word = rng.choice([b"spam ", b"na ", b"\xe2\x80\x8b", b"<p></p>"])
            payload = word * ((max_bytes + 64) // len(word))
            yield Input(index, "repeated_text", payload, f"f{index}", Expected("dlq", None, None, "oversize"))
        elif kind == 6:
            yield Input(
                index,
                "empty_object",
                b'{"body": "   ", "title": ""}',
                f"f{index}",
                Expected("dlq", None, None, "no_body"),
            )
        else:
            payload = orjson.dumps([rng.randint(0, 9) for _ in range(rng.randint(1, 50))])
            yield Input(
                index, "json_array", payload, f"f{index}", Expected("dlq", None, None, "not_an_object")
            )
