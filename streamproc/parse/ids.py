"""Stable article ids: same input gives the same id on every run and every worker."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ID_PREFIX = "a-"
_OWN_ID = re.compile(r"a-[0-9a-f]{32}")

# Query parameters that track a click, not identify a page.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "smid",
        "share",
        "s_cid",
        "ito",
        "spm",
        "at_medium",
        "at_campaign",
        "guccounter",
    }
)
_TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "hsa_", "oly_")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def canonical_url(url: str | None) -> str | None:
    """Canonical absolute http(s) URL, or None when ``url`` is not one.

    Lowercases scheme and host, drops default ports, fragments, tracking parameters
    (utm_*, fbclid, ...) and the trailing slash of the path; keeps and sorts the rest of the query.
    """
    if not url:
        return None
    url = unicodedata.normalize("NFC", url.strip())
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a non-numeric or out-of-range port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if not host or any(ch.isspace() for ch in host):
        return None
    netloc = host
    if port is not None and str(port) != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    query_pairs = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in _TRACKING_PARAMS and not key.lower().startswith(_TRACKING_PREFIXES)
    ]
    query = urlencode(sorted(query_pairs))
    return urlunsplit((scheme, netloc, path, query, ""))


def _digest(namespace: str, value: str) -> str:
    data = f"{namespace}:{value}".encode("utf-8", "surrogatepass")
    return ID_PREFIX + hashlib.blake2b(data, digest_size=16).hexdigest()


def article_id(given_id: str | None, url: str | None, fingerprint: str) -> str:
    """``"a-"`` + 32 hex digits, from the first of: the item's own id, its canonical URL, its content.

    The three inputs are hashed in separate namespaces so a URL can never collide with an id
    that happens to spell the same string. An id that already has our form (a re-published
    article) is kept unchanged.
    """
    if given_id is not None:
        normalised = unicodedata.normalize("NFC", given_id).strip()
        if normalised:
            if _OWN_ID.fullmatch(normalised):
                return normalised
            return _digest("id", normalised)
    canonical = canonical_url(url)
    if canonical is not None:
        return _digest("url", canonical)
    return _digest("content", fingerprint)
