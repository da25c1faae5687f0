"""Plain-text formats: the scraped page (sample 000), the dateline text (sample 001), plain text.

Scraped page, one element per line::

    Crime & Justice                                   <- section label
    Rubio ramps up Ecuador support ...                <- headline
    Ecuador is deepening ties ...                     <- standfirst
    ![caption [credit]](/images/2025/09/05/x.webp)    <- image(s)
    By AFP |                                          <- byline (optionally "| <date>")
    body paragraph                                    <- one paragraph per line; short
    Invitation to US forces                           <- subheadings stay in the body
"""

from __future__ import annotations

import re

from streamproc.models import Image, PublishedAtSource
from streamproc.parse.dates import parse_datetime_local
from streamproc.parse.extracted import Extracted
from streamproc.parse.htmlpage import split_authors, split_caption_credit, split_leading_byline
from streamproc.parse.text import clean_inline, looks_like_headline, looks_like_label, split_paragraphs

_BYLINE = re.compile(r"^by\s+(?P<names>[^|]{1,200}?)\s*\|\s*(?P<rest>.*)$", re.I)
_BYLINE_NO_PIPE = re.compile(r"^by\s+(?P<names>[^|.]{1,100})$", re.I)
_DATELINE = re.compile(
    r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)"
    r"(?:\s+|$)",
    re.I,
)
# How far into the text the header block (label, headline, standfirst, image, byline) may reach.
_HEADER_LINES = 12
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def _markdown_image(line: str) -> Image | None:
    """``![alt](url)`` on a line of its own; the alt text may itself contain ``[credit]``."""
    stripped = line.strip()
    if not (stripped.startswith("![") and stripped.endswith(")")):
        return None
    split_at = stripped.rfind("](")
    if split_at < 1:
        return None
    alt = stripped[2:split_at]
    target = stripped[split_at + 2 : -1].strip()
    url = target.split()[0] if target else None  # drop an optional "title" after the URL
    caption, credit = split_caption_credit(alt)
    return Image(url=url or None, caption=caption, credit=credit)


def is_dateline(text: str) -> bool:
    return _DATELINE.match(text) is not None


def is_scraped_page(text: str) -> bool:
    """A markdown image line or a ``By X |`` byline among the first lines."""
    lines = [line.strip() for line in text.lstrip().split("\n", _HEADER_LINES)[:_HEADER_LINES]]
    return any(_markdown_image(line) is not None or _BYLINE.match(line) for line in lines if line)


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [cleaned for cleaned in (clean_inline(line) for line in text.split("\n")) if cleaned]


def parse_scraped_page(text: str) -> Extracted:
    result = Extracted(format="scraped_page")
    lines = _lines(text)
    start = next(
        (
            index
            for index, line in enumerate(lines[:_HEADER_LINES])
            if _markdown_image(line) is not None or _BYLINE.match(line)
        ),
        0,
    )
    header = lines[:start]
    position = start
    # The image/byline block between the header and the body.
    while position < len(lines):
        line = lines[position]
        image = _markdown_image(line)
        byline = _BYLINE.match(line) or (_BYLINE_NO_PIPE.match(line) if not result.authors else None)
        if image is not None:
            result.images.append(image)
        elif byline is not None:
            result.authors.extend(split_authors(byline["names"]))
            rest = byline.groupdict().get("rest")
            dated = parse_datetime_local(rest) if rest else None
            if dated is not None:
                result.published_at = dated
                result.published_at_source = PublishedAtSource.DATELINE
        else:
            break
        position += 1

    if len(header) >= 3:
        result.section, result.title = header[0], header[1]
        result.subtitle = " ".join(header[2:])
    elif len(header) == 2:
        first, second = header
        if looks_like_label(first) and looks_like_headline(second):
            result.section, result.title = first, second
        else:
            result.title, result.subtitle = first, second
    elif header:
        result.title = header[0]

    for line in lines[position:]:
        image = _markdown_image(line)
        if image is not None:
            result.images.append(image)  # an inline image is not a paragraph
        else:
            result.paragraphs.append(line)
    return result


def _title_and_rest(text: str) -> tuple[str | None, list[str], str]:
    """Split a leading headline line (and a ``By ...`` line after it) off plain text.

    A first line counts as a headline only if it looks like one and is a line of its own:
    followed by a blank line, or the text puts one paragraph per line anyway. Otherwise it
    is the first wrapped line of the first paragraph.
    """
    stripped = text.strip().replace("\r\n", "\n").replace("\r", "\n")
    first, _, rest = stripped.partition("\n")
    if not rest.strip() or not looks_like_headline(first):
        return None, [], stripped
    uses_blank_lines = _BLANK_LINE.search(stripped) is not None
    if uses_blank_lines and not _BLANK_LINE.match("\n" + rest):
        return None, [], stripped
    authors: list[str] = []
    following, _, remainder = rest.strip().partition("\n")
    byline = _BYLINE.match(following.strip()) or _BYLINE_NO_PIPE.match(following.strip())
    if byline is not None and remainder.strip():
        authors = split_authors(byline["names"])
        rest = remainder
    return clean_inline(first), authors, rest


def parse_dateline(text: str) -> Extracted:
    result = Extracted(format="dateline")
    match = _DATELINE.match(text)
    rest = text
    if match is not None:
        result.published_at = parse_datetime_local(match["date"])
        if result.published_at is not None:
            result.published_at_source = PublishedAtSource.DATELINE
        rest = text[match.end() :]
    result.title, result.authors, body = _title_and_rest(rest)
    _body_paragraphs(result, body)
    return result


def _body_paragraphs(result: Extracted, body: str) -> None:
    """The body's paragraphs, without a byline paragraph at its start (its names become authors)."""
    authors, result.paragraphs = split_leading_byline(split_paragraphs(body))
    if not result.authors:
        result.authors = authors


def parse_plain_text(text: str) -> Extracted:
    result = Extracted(format="text")
    result.title, result.authors, body = _title_and_rest(text)
    _body_paragraphs(result, body)
    return result


def parse_text(text: str) -> Extracted:
    """Pick the text format: dateline, scraped page, else plain text."""
    if is_dateline(text):
        return parse_dateline(text)
    if is_scraped_page(text):
        return parse_scraped_page(text)
    return parse_plain_text(text)
