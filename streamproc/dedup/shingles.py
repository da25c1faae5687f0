"""Word shingles: the set of hashed k-word windows of a text, used for near-duplicate detection.

Normalisation makes re-wrapped copies identical: NFKC, casefold, and only runs of word
characters are kept, so whitespace, line breaks, punctuation and quote/dash style never
change a shingle. Window hashes are 64-bit xxh3 (stable across processes, runs and platforms).
"""

from __future__ import annotations

import re
import unicodedata

import xxhash

# ASCII bytes that are not letters/digits become spaces; bytes >= 128 (UTF-8 of non-ASCII
# characters) are kept, non-ASCII punctuation having been replaced before. bytes.translate
# and bytes.split run in C: several times faster than re.findall(r"\w+") on a 600-word body.
_ASCII_TABLE = bytes((c if chr(c).isalnum() or c >= 128 else 32) for c in range(256))
_NON_ASCII_NON_WORD = re.compile(r"[^\x00-\x7f\w]+")
_hash64 = xxhash.xxh3_64_intdigest


def words(text: str) -> list[bytes]:
    """Normalised word tokens of ``text`` as UTF-8 bytes: NFKC, casefolded, split on non-word characters.

    Apostrophes and hyphens split words ("Ecuador's" -> "ecuador", "s") identically in every
    copy, so quote and dash style cannot matter.
    """
    normalised = unicodedata.normalize("NFKC", text).casefold()
    if not normalised.isascii():
        normalised = _NON_ASCII_NON_WORD.sub(" ", normalised)
    return normalised.encode("utf-8", "surrogatepass").translate(_ASCII_TABLE).split()


def word_shingles(text: str, k: int) -> set[int]:
    """64-bit xxh3 hashes of every ``k``-word window of ``text`` (words joined by one space).

    A text of fewer than ``k`` words (but at least one) gives one shingle of all its words;
    a text without words gives the empty set.
    """
    if k < 1:
        raise ValueError(f"shingle size must be >= 1, got {k}")
    tokens = words(text)
    if len(tokens) <= k:
        return {_hash64(b" ".join(tokens))} if tokens else set()
    return {_hash64(b" ".join(window)) for window in zip(*(tokens[j:] for j in range(k)), strict=False)}
