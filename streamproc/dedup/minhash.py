"""MinHash signatures and LSH band keys (numpy-vectorised, deterministic everywhere).

Each of ``num_perm`` hash functions is ``h(x) = ((a*x + b) mod p) & 0xFFFFFFFF`` with the
Mersenne prime ``p = 2**61 - 1`` (universal hashing, as in datasketch). ``x`` is the 64-bit
shingle hash folded to 32 bits and ``a, b < 2**32`` so ``a*x + b < 2**64``: no uint64
overflow, so the arithmetic really is mod p. ``a`` and ``b`` come from xxh64 of the seed and
the permutation index, never from Python's ``hash()`` or a numpy RNG stream, so every
process, run and numpy version computes the same signature.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import xxhash

Signature = tuple[int, ...]

MERSENNE_PRIME = (1 << 61) - 1
_MASK32 = np.uint64(0xFFFFFFFF)
_P = np.uint64(MERSENNE_PRIME)
_SHIFT32 = np.uint64(32)
_SHIFT61 = np.uint64(61)
_SIGNATURE_DTYPE = np.dtype("<u4")  # little-endian uint32: the stored byte form is platform-independent


class SignatureError(ValueError):
    """A stored signature could not be decoded, or two signatures are not comparable."""


class MinHasher:
    """Computes MinHash signatures of shingle sets. Instances are immutable and cheap to share."""

    def __init__(self, num_perm: int, seed: int = 1) -> None:
        if num_perm < 1:
            raise ValueError(f"num_perm must be >= 1, got {num_perm}")
        self.num_perm = num_perm
        self.seed = seed
        a = [
            xxhash.xxh64_intdigest(f"minhash:a:{i}".encode(), seed=seed) & 0xFFFFFFFF for i in range(num_perm)
        ]
        b = [
            xxhash.xxh64_intdigest(f"minhash:b:{i}".encode(), seed=seed) & 0xFFFFFFFF for i in range(num_perm)
        ]
        # a must be non-zero or the function would be constant.
        self._a = np.array([max(value, 1) for value in a], dtype=np.uint64).reshape(num_perm, 1)
        self._b = np.array(b, dtype=np.uint64).reshape(num_perm, 1)
        self.empty_signature: Signature = (0xFFFFFFFF,) * num_perm

    def signature_array(self, shingles: Iterable[int]) -> npt.NDArray[np.uint32]:
        """The signature as a uint32 array of length ``num_perm`` (all 0xFFFFFFFF for no shingles)."""
        if isinstance(shingles, np.ndarray):
            values = shingles.astype(np.uint64, copy=False)
        else:
            values = np.fromiter(shingles, dtype=np.uint64)
        if values.size == 0:
            return np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint32)
        x = (values ^ (values >> _SHIFT32)) & _MASK32
        # In-place arithmetic on one (num_perm, n) buffer: temporaries dominate the cost otherwise.
        y = self._a * x
        y += self._b  # a*x + b < 2**64 by construction
        # y mod p for the Mersenne prime without a division: fold the bits above 61 back in.
        high = y >> _SHIFT61
        y &= _P
        y += high
        np.subtract(y, _P, out=y, where=y >= _P)
        y &= _MASK32
        mins: npt.NDArray[np.uint64] = y.min(axis=1)
        return mins.astype(np.uint32)

    def signature(self, shingles: Iterable[int]) -> Signature:
        """The MinHash signature of ``shingles``: ``num_perm`` uint32 values as a tuple of ints."""
        return tuple(self.signature_array(shingles).tolist())


# Signatures are stored and compared on their low 8 bits (b-bit MinHash): two different minima
# agree there with probability 2**-8, which raises an estimate of Jaccard J by (1 - J) / 256 on
# average (under a quarter of one step, 1/64), and stores a band entry's signature in 92
# characters instead of 344 (benchmarks/bench_dedup.py verdicts are those of 16 and 32 bits).
STORED_BITS = 8
_STORED_MASK = (1 << STORED_BITS) - 1
_STORED_PREFIX = f"u{STORED_BITS}:"  # ':' is not base64: the plain form (32 bits) has no prefix
_STORED_FORMS = {_STORED_PREFIX: "<u1", "u16:": "<u2"}  # the 16-bit form of earlier layouts still loads


def jaccard_estimate(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity: the share of positions where the two signatures agree
    (on their low ``STORED_BITS`` bits, so full and stored signatures compare)."""
    if len(sig_a) != len(sig_b) or not sig_a:
        raise SignatureError(f"signatures of different or zero length: {len(sig_a)} and {len(sig_b)}")
    return sum(1 for x, y in zip(sig_a, sig_b, strict=True) if not (x ^ y) & _STORED_MASK) / len(sig_a)


def band_keys(signature: Sequence[int], bands: int) -> list[str]:
    """One LSH key per band: ``"b<i>:<16 hex digits of xxh3_64 of the band's rows>"``.

    Two signatures share band ``i``'s key iff their rows in that band are all equal (up to
    a 2**-64 hash collision). With ``r = len/bands`` rows, a pair of Jaccard ``s`` collides in
    at least one band with probability ``1 - (1 - s**r)**bands``.
    """
    if bands < 1 or len(signature) % bands:
        raise ValueError(f"signature length {len(signature)} is not a multiple of bands={bands}")
    data = np.asarray(signature, dtype=_SIGNATURE_DTYPE).tobytes()
    width = len(data) // bands
    return [f"b{i}:{xxhash.xxh3_64_hexdigest(data[i * width : (i + 1) * width])}" for i in range(bands)]


def signature_to_bytes(signature: Sequence[int]) -> bytes:
    """Compact form: little-endian uint32 values (4 bytes per permutation)."""
    return np.asarray(signature, dtype=_SIGNATURE_DTYPE).tobytes()


def signature_from_bytes(data: bytes) -> Signature:
    if len(data) % 4 or not data:
        raise SignatureError(f"signature bytes must be a non-empty multiple of 4, got {len(data)}")
    return tuple(np.frombuffer(data, dtype=_SIGNATURE_DTYPE).tolist())


def encode_signature(signature: Sequence[int]) -> str:
    """Text of the signature's low ``STORED_BITS`` bits, for JSON table values: ``u8:`` and the
    base64 of the uint8 values (92 chars for 64 permutations)."""
    values = np.asarray(signature, dtype=np.uint64) & _STORED_MASK
    data = values.astype(_STORED_FORMS[_STORED_PREFIX]).tobytes()
    return _STORED_PREFIX + base64.b64encode(data).decode("ascii")


def decode_signature(text: str) -> Signature:
    """The values of :func:`encode_signature`'s text, of the 16-bit form (``u16:``), or of the plain
    base64 of :func:`signature_to_bytes` (full 32-bit values)."""
    prefix = next((p for p in _STORED_FORMS if text.startswith(p)), "")
    try:
        data = base64.b64decode(text.removeprefix(prefix).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise SignatureError(f"not a base64 signature: {exc}") from None
    if not prefix:
        return signature_from_bytes(data)
    dtype = np.dtype(_STORED_FORMS[prefix])
    if len(data) % dtype.itemsize or not data:
        raise SignatureError(f"stored signature bytes must be a non-empty multiple of {dtype.itemsize}")
    return tuple(np.frombuffer(data, dtype=dtype).tolist())


def lsh_collision_probability(similarity: float, *, num_perm: int, bands: int) -> float:
    """Probability that a pair of the given Jaccard similarity shares at least one band key."""
    rows = num_perm // bands
    return float(1.0 - (1.0 - similarity**rows) ** bands)


# Names used by the worker shell.
signature_to_str = encode_signature
