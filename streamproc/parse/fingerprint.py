"""Content fingerprint for exact deduplication.

Two bodies that differ only in whitespace, letter case, quote style (curly or straight,
single or double), dash style (hyphen, en/em dash, ``--``) or Unicode compatibility forms
get the same fingerprint. The dedup stage imports these two functions.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Every quote-like character is dropped: quote *style* varies between outlets and
# re-publishers ('x', "x", “x”, «x»), and apostrophes carry no identity for a hash.
_QUOTES = "'\"`´‘’‚‛“”„‟′″‹›«»＇＂"
# Dash-like characters all become one hyphen, and runs collapse ("--" == "—").
_DASHES = "‐‑‒–—―−﹘﹣－"
_TRANSLATE = {ord(c): None for c in _QUOTES} | {ord(c): "-" for c in _DASHES}
_DASH_RUN = re.compile(r"-{2,}")
FINGERPRINT_BYTES = 16


def _drop_invisible(text: str) -> str:
    # Format (Cf: zero-width space, soft hyphen, BOM) and control characters are invisible
    # in a rendered article, so they must not change its identity.
    return "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in ("Cf", "Cc"))


def normalise_for_fingerprint(text: str) -> str:
    """Canonical form of ``text`` for hashing: NFKC, casefolded, quotes dropped, dashes unified,
    invisible characters removed, whitespace runs collapsed to one space, trimmed."""
    text = unicodedata.normalize("NFKC", text)
    text = " ".join(text.casefold().translate(_TRANSLATE).split())
    if not text.isprintable():  # rare: only then pay for the per-character scan
        text = " ".join(_drop_invisible(text).split())
    text = _DASH_RUN.sub("-", text)
    # Casefolding can leave text that NFKC changes again (e.g. some Greek and Cherokee letters).
    return unicodedata.normalize("NFKC", text)


def content_fingerprint(body: str) -> str:
    """Hex blake2b-128 digest of the normalised body (32 hex characters)."""
    normalised = normalise_for_fingerprint(body)
    # surrogatepass: lone surrogates cannot come from valid UTF-8, but a str built in
    # Python may carry them and hashing must never raise.
    data = normalised.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=FINGERPRINT_BYTES).hexdigest()
