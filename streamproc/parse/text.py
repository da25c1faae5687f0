"""Text clean-up shared by every format: NFC, whitespace, paragraphs, word counts."""

from __future__ import annotations

import re
import unicodedata

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
# Tokens made only of these are punctuation ("--", "|", "•"), not words.
_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»‹›“”„‟‘’‚‛–—―‐‑‒…•·¡¿§¶†‡′″"
# Zero-width and other invisible format characters that scrapers leave behind.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_PUNCTUATION_TOKEN = re.compile(rf"\s[{re.escape(_PUNCTUATION)}]+(?!\S)")
PARAGRAPH_SEPARATOR = "\n\n"


def clean_inline(text: str) -> str:
    """One line of clean text: NFC, invisible characters and controls removed, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    # Invisible characters go before whitespace is collapsed: one between two spaces would leave two.
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    text = " ".join(text.split())
    if not text.isprintable():
        # Control characters (whitespace is already collapsed) are noise.
        text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return text


def clean_optional(text: str | None) -> str | None:
    """``clean_inline`` that maps empty results to None (for title, subtitle, ...)."""
    if text is None:
        return None
    cleaned = clean_inline(text)
    return cleaned or None


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Clean each paragraph and drop the empty ones."""
    cleaned = (clean_inline(p) for p in paragraphs)
    return [p for p in cleaned if p]


def split_paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs.

    Blank lines separate paragraphs when the text has any (single newlines inside are
    wrapped lines); otherwise every line is a paragraph (the scraped-page convention).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chunks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return clean_paragraphs(chunks)


def join_paragraphs(paragraphs: list[str]) -> str:
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def word_count(text: str) -> int:
    """Whitespace-separated tokens that are not pure punctuation ("don't", "anti-crime", "$20": one each)."""
    return len(text.split()) - len(_PUNCTUATION_TOKEN.findall(" " + text))


def has_text(text: str) -> bool:
    """True if ``text`` has at least one letter or digit (punctuation alone is not a body)."""
    return any(ch.isalnum() for ch in text)


def looks_like_headline(line: str) -> bool:
    """A headline: short, at least two words, does not end like a sentence or a list lead-in."""
    stripped = line.strip()
    if not 3 <= len(stripped) <= 200:
        return False
    words = stripped.split()
    if not 2 <= len(words) <= 25:
        return False
    if stripped[-1] in ".,;:…":
        return False
    return any(ch.isalpha() for ch in stripped)


def looks_like_label(line: str) -> bool:
    """A section label ("Crime & Justice", "World"): a few words, no sentence punctuation."""
    stripped = line.strip()
    if not 1 <= len(stripped) <= 40:
        return False
    if len(stripped.split()) > 4 or stripped[-1] in ".,;:!?…":
        return False
    return any(ch.isalpha() for ch in stripped)
