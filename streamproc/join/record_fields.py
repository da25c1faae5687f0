"""Article ids and signatures as the join's records store them: the same bytes in fewer characters.

An article's id and signature sit in each of its band records (~4 per article) and its id in each
of its story records (~1.6): 36 and 93 bytes as JSON. ``"a-"`` + 32 hex digits (the only id form
:func:`streamproc.parse.ids.article_id` makes) is stored as ``!`` and its 16 bytes in URL-safe
base64 (23 characters), and a ``"u8:"`` signature as ``!`` and its bytes in base85 (81 characters
for 64 bytes; base85 has no quote or backslash, so JSON writes it as it is). Any other value is
stored as it is, behind a ``~`` when it starts with ``!`` or ``~``, so every stored string reads
back as the value written; records of the older layout (values as they are, none starting with
either) read the same.
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache

PACKED = "!"
ESCAPED = "~"
_OUR_ID = re.compile(r"a-[0-9a-f]{32}")
SIGNATURE_PREFIX = "u8:"


def _as_is(value: str) -> str:
    return ESCAPED + value if value.startswith((PACKED, ESCAPED)) else value


def pack_article_id(article_id: str) -> str:
    """The stored form of ``article_id``."""
    if _OUR_ID.fullmatch(article_id):
        return PACKED + base64.urlsafe_b64encode(bytes.fromhex(article_id[2:])).decode("ascii").rstrip("=")
    return _as_is(article_id)


@lru_cache(maxsize=50_000)
def unpack_article_id(stored: str) -> str:
    """The article id :func:`pack_article_id` stored as ``stored``."""
    if stored.startswith(ESCAPED):
        return stored[1:]
    if not stored.startswith(PACKED):
        return stored
    raw = base64.urlsafe_b64decode(stored[1:] + "==")
    if len(raw) != 16:
        raise ValueError(f"not a packed article id: {stored!r}")
    return "a-" + raw.hex()


def pack_signature(signature: str | None) -> str | None:
    """The stored form of a band entry's signature (None: none)."""
    if signature is None:
        return None
    if signature.startswith(SIGNATURE_PREFIX):
        try:
            raw = base64.b64decode(signature[len(SIGNATURE_PREFIX) :], validate=True)
        except binascii.Error:
            return _as_is(signature)
        packed = PACKED + base64.b85encode(raw).decode("ascii")
        if len(raw) % 4 == 0 and unpack_signature(packed) == signature:  # canonical base64 only
            return packed
    return _as_is(signature)


@lru_cache(maxsize=50_000)
def unpack_signature(stored: str | None) -> str | None:
    """The signature :func:`pack_signature` stored as ``stored``."""
    if stored is None or not stored.startswith((PACKED, ESCAPED)):
        return stored
    if stored.startswith(ESCAPED):
        return stored[1:]
    return SIGNATURE_PREFIX + base64.b64encode(base64.b85decode(stored[1:])).decode("ascii")
