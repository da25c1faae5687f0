"""Shingles, MinHash signatures and LSH banding."""

from __future__ import annotations

import base64
import random
import subprocess
import sys

import pytest

from streamproc.dedup.minhash import (
    MinHasher,
    SignatureError,
    band_keys,
    decode_signature,
    encode_signature,
    jaccard_estimate,
    lsh_collision_probability,
    signature_from_bytes,
    signature_to_bytes,
)
from streamproc.dedup.shingles import word_shingles, words

TEXT = "The quick brown fox jumps over the lazy dog near the river bank."


def true_jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b)


# --- shingles -------------------------------------------------------------------------------


def test_shingles_count_one_per_window() -> None:
    assert len(word_shingles("one two three four five six seven", 5)) == 3
    assert len(word_shingles("one two three four five six seven", 1)) == 7


def test_text_shorter_than_k_is_one_shingle_of_the_whole() -> None:
    short = word_shingles("Breaking news", 5)
    assert len(short) == 1
    assert short != word_shingles("Breaking", 5)
    assert word_shingles("", 5) == set()
    assert word_shingles(" -- ... ", 5) == set()


def test_shingles_ignore_case_whitespace_punctuation_and_quote_style() -> None:
    plain = 'Rubio said "we will consider it" -- Ecuador\'s president agreed.'
    rewrapped = "RUBIO   said\n“we will\nconsider it” — Ecuador’s\tpresident agreed"
    assert word_shingles(plain, 5) == word_shingles(rewrapped, 5)


def test_shingles_apply_nfkc() -> None:
    # Fullwidth letters and the "ﬁ" ligature are compatibility forms of plain ASCII.
    assert word_shingles("ＡＢＣ ﬁnal report today now", 3) == word_shingles("abc final report today now", 3)


def test_shingles_keep_non_ascii_words() -> None:
    assert words("Él dijo: «sí» — niño") == [w.encode() for w in ["él", "dijo", "sí", "niño"]]


def test_word_order_matters() -> None:
    assert word_shingles("a b c d e f", 3) != word_shingles("f e d c b a", 3)


def test_shingle_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        word_shingles(TEXT, 0)


# --- MinHash --------------------------------------------------------------------------------


def test_signature_shape_and_range() -> None:
    sig = MinHasher(64).signature(word_shingles(TEXT, 5))
    assert len(sig) == 64
    assert all(0 <= value < 2**32 for value in sig)


def test_signature_pinned_so_stored_state_stays_comparable() -> None:
    # Changing the hash family silently would make every stored signature useless.
    assert MinHasher(64).signature(word_shingles(TEXT, 5))[:4] == (277565640, 11383021, 1202109728, 108458793)
    assert band_keys(MinHasher(64).signature(word_shingles(TEXT, 5)), 16)[:2] == [
        "b0:6350960fd85e3177",
        "b1:57d5307c7bac9001",
    ]


def test_signature_deterministic_across_processes() -> None:
    code = (
        "from streamproc.dedup.minhash import MinHasher\n"
        "from streamproc.dedup.shingles import word_shingles\n"
        f"print(list(MinHasher(64, seed=7).signature(word_shingles({TEXT!r}, 5))))"
    )
    env = {"PYTHONHASHSEED": "12345"}  # a different str hash seed must not matter
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == str(list(MinHasher(64, seed=7).signature(word_shingles(TEXT, 5))))


def test_seed_changes_signature() -> None:
    shingles = word_shingles(TEXT, 5)
    assert MinHasher(64, seed=1).signature(shingles) != MinHasher(64, seed=2).signature(shingles)


def test_signature_accepts_any_iterable_and_order_is_irrelevant() -> None:
    values = list(range(1, 500, 7))
    hasher = MinHasher(32)
    assert hasher.signature(values) == hasher.signature(reversed(values)) == hasher.signature(set(values))


def test_empty_shingles_give_the_max_signature() -> None:
    assert MinHasher(8).signature([]) == (0xFFFFFFFF,) * 8


def _pair_with_jaccard(rng: random.Random, size: int, jaccard: float) -> tuple[set[int], set[int]]:
    """Two sets of ``size`` elements with Jaccard ``jaccard`` (up to rounding)."""
    shared = round(2 * size * jaccard / (1 + jaccard))
    pool = rng.sample(range(1, 2**63), 2 * size - shared)
    return set(pool[:size]), set(pool[:shared] + pool[size:])


@pytest.mark.parametrize("target", [0.1, 0.3, 0.5, 0.8, 0.95])
def test_estimate_unbiased_on_synthetic_sets(target: float) -> None:
    rng = random.Random(int(target * 1000))
    hasher = MinHasher(64)
    errors = []
    for _ in range(60):
        a, b = _pair_with_jaccard(rng, 300, target)
        errors.append(jaccard_estimate(hasher.signature(a), hasher.signature(b)) - true_jaccard(a, b))
    # std of one estimate is sqrt(J(1-J)/64) <= 0.0625; of the mean of 60, <= 0.009.
    assert abs(sum(errors) / len(errors)) < 0.03
    assert max(abs(e) for e in errors) < 0.3


def _mutate(rng: random.Random, tokens: list[str], rate: float, vocab: list[str]) -> list[str]:
    return [rng.choice(vocab) if rng.random() < rate else token for token in tokens]


@pytest.mark.parametrize("rate", [0.0, 0.01, 0.03, 0.08, 0.2])
def test_estimate_close_to_true_jaccard_on_synthetic_texts(rate: float) -> None:
    rng = random.Random(42)
    vocab = [f"w{i}" for i in range(3000)]
    hasher = MinHasher(256)
    for _ in range(5):
        base = [rng.choice(vocab) for _ in range(600)]
        a = word_shingles(" ".join(base), 5)
        b = word_shingles(" ".join(_mutate(rng, base, rate, vocab)), 5)
        estimate = jaccard_estimate(hasher.signature(a), hasher.signature(b))
        # 256 permutations: std <= 0.031, so 0.12 is ~4 standard deviations.
        assert estimate == pytest.approx(true_jaccard(a, b), abs=0.12)


def test_jaccard_estimate_identity_and_errors() -> None:
    sig = MinHasher(64).signature(word_shingles(TEXT, 5))
    assert jaccard_estimate(sig, sig) == 1.0
    with pytest.raises(SignatureError):
        jaccard_estimate(sig, sig[:32])


def test_signature_round_trips_through_bytes_and_text() -> None:
    sig = MinHasher(64).signature(word_shingles(TEXT, 5))
    assert len(signature_to_bytes(sig)) == 256
    assert signature_from_bytes(signature_to_bytes(sig)) == sig
    text = encode_signature(sig)
    assert text.isascii() and len(text) == 3 + 88  # "u8:" and 64 bytes of base64
    stored = decode_signature(text)
    assert stored == tuple(value & 0xFF for value in sig)
    assert jaccard_estimate(sig, stored) == 1.0  # full and stored forms compare
    # The plain form (full 32-bit values, written by earlier layouts) still decodes.
    plain = base64.b64encode(signature_to_bytes(sig)).decode("ascii")
    assert decode_signature(plain) == sig and jaccard_estimate(stored, decode_signature(plain)) == 1.0
    # So does the 16-bit form of earlier layouts, and it compares with the 8-bit one.
    wide = (
        "u16:" + base64.b64encode(bytes(b for v in sig for b in (v & 0xFFFF).to_bytes(2, "little"))).decode()
    )
    assert decode_signature(wide) == tuple(v & 0xFFFF for v in sig)
    assert jaccard_estimate(stored, decode_signature(wide)) == 1.0


def test_stored_signatures_estimate_like_full_ones() -> None:
    hasher = MinHasher(64)
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(400)]
    estimates: list[float] = []
    for _ in range(30):
        words = rng.choices(vocab, k=120)
        edited = [w if rng.random() > 0.1 else rng.choice(vocab) for w in words]
        a, b = (
            hasher.signature(word_shingles(" ".join(words), 5)),
            hasher.signature(word_shingles(" ".join(edited), 5)),
        )
        full_width = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
        estimates.append(jaccard_estimate(a, decode_signature(encode_signature(b))) - full_width)
    # Stored bits can only add agreements (different minima equal on their low 8 bits): rarely,
    # by (1 - J) / 256 on average, never more than a few steps of 1/64.
    assert all(0 <= d <= 3 / 64 for d in estimates) and sum(estimates) / len(estimates) <= 1 / 64


@pytest.mark.parametrize("bad", ["not base64!", "", "QUJD", "u16:", "u16:QUJD", "u16:!!", "u8:", "u8:!!"])
def test_decode_rejects_garbage(bad: str) -> None:
    with pytest.raises(SignatureError):
        decode_signature(bad)


# --- LSH banding ----------------------------------------------------------------------------


def test_band_keys_format() -> None:
    keys = band_keys(MinHasher(64).signature(word_shingles(TEXT, 5)), 16)
    assert len(keys) == 16
    assert [key.split(":")[0] for key in keys] == [f"b{i}" for i in range(16)]
    assert all(len(key.split(":")[1]) == 16 for key in keys)
    with pytest.raises(ValueError):
        band_keys(tuple(range(64)), 10)


def test_band_key_shared_iff_band_rows_equal() -> None:
    sig = tuple(range(64))
    changed = (*sig[:5], 999, *sig[6:])  # row 5 lies in band 1 (rows 4..7)
    same = [x == y for x, y in zip(band_keys(sig, 16), band_keys(changed, 16), strict=True)]
    assert same == [i != 1 for i in range(16)]


def _collision_rate(target: float, trials: int, seed: int) -> float:
    rng = random.Random(seed)
    hasher = MinHasher(64)
    hits = 0
    for _ in range(trials):
        a, b = _pair_with_jaccard(rng, 200, target)
        keys_a = set(band_keys(hasher.signature(a), 16))
        hits += bool(keys_a & set(band_keys(hasher.signature(b), 16)))
    return hits / trials


def test_lsh_similar_pairs_collide() -> None:
    assert lsh_collision_probability(0.8, num_perm=64, bands=16) > 0.999
    assert _collision_rate(0.8, trials=300, seed=1) >= 0.98


def test_lsh_dissimilar_pairs_rarely_collide() -> None:
    assert lsh_collision_probability(0.25, num_perm=64, bands=16) < 0.07
    assert _collision_rate(0.25, trials=300, seed=2) <= 0.12
    assert _collision_rate(0.05, trials=300, seed=3) <= 0.02
