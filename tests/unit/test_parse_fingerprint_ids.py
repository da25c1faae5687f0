"""Fingerprint normalisation, canonical URLs and article ids."""

from __future__ import annotations

import pytest

from streamproc.parse.fingerprint import content_fingerprint, normalise_for_fingerprint
from streamproc.parse.ids import article_id, canonical_url


def test_normalise_for_fingerprint() -> None:
    text = "  “Ecuador” is GOING  to\tsupport — the ‘United States’ -- ﬁne\u200b  "
    assert normalise_for_fingerprint(text) == "ecuador is going to support - the united states - fine"


@pytest.mark.parametrize(
    "variant",
    [
        'Rubio said, "wage war."\n\nNext paragraph.',
        "RUBIO SAID, “WAGE WAR.” NEXT PARAGRAPH.",
        "Rubio  said,\u00a0'wage war.'   Next paragraph.",
        "Rubio said, «wage war.» Next paragraph.",
        "Rubio said, \u201cwage\u00a0war.\u201d\r\nNext paragraph.",
    ],
)
def test_fingerprint_equal_for_presentation_variants(variant: str) -> None:
    assert content_fingerprint(variant) == content_fingerprint('Rubio said, "wage war." Next paragraph.')


def test_fingerprint_differs_for_different_words() -> None:
    assert content_fingerprint("Rubio met Noboa.") != content_fingerprint("Rubio met Maduro.")


def test_fingerprint_unicode_compatibility_forms() -> None:
    assert content_fingerprint("ﬁnance ２０２５") == content_fingerprint("finance 2025")
    assert content_fingerprint("Cafe\u0301") == content_fingerprint("Café")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM/News/Story/", "https://example.com/News/Story"),
        ("https://example.com/a?utm_source=x&utm_medium=y&b=2&a=1#frag", "https://example.com/a?a=1&b=2"),
        ("https://example.com:443/a?fbclid=abc", "https://example.com/a"),
        ("http://example.com:8080/a/", "http://example.com:8080/a"),
        ("//cdn.example.com/x", "https://cdn.example.com/x"),
        ("https://example.com", "https://example.com"),
        ("https://example.com//a//b/", "https://example.com/a/b"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url", [None, "", "/relative/path", "ftp://example.com/a", "not a url", "https://", "http://h:99999/"]
)
def test_canonical_url_rejects_non_http(url: str | None) -> None:
    assert canonical_url(url) is None


def test_article_id_precedence_and_form() -> None:
    fingerprint = content_fingerprint("body")
    by_id = article_id("abc-1", "https://example.com/a", fingerprint)
    by_url = article_id(None, "https://example.com/a?utm_source=x", fingerprint)
    by_content = article_id(None, None, fingerprint)
    assert len({by_id, by_url, by_content}) == 3
    for value in (by_id, by_url, by_content):
        assert value.startswith("a-") and len(value) == 34
    assert article_id(" abc-1 ", None, "other") == by_id
    assert article_id(None, "HTTPS://EXAMPLE.com/a/#x", "other") == by_url
    assert article_id(None, "/relative", fingerprint) == by_content
    assert article_id("", None, fingerprint) == by_content


def test_article_id_keeps_our_own_ids() -> None:
    own = "a-0123456789abcdef0123456789abcdef"
    assert article_id(own, None, "x") == own


def test_article_id_namespaces_do_not_collide() -> None:
    # An item whose id is spelled like a URL must not share the URL's id.
    url = "https://example.com/a"
    assert article_id(url, None, "f") != article_id(None, url, "f")
