"""HTML pages (and HTML fragments inside JSON items) with selectolax's lexbor parser.

Metadata comes from meta tags, JSON-LD and the document structure; the body is the block
text (p, headings, lists, quotes) of the article container after navigation, scripts,
styles, footers, asides, forms, share/related/comment widgets and figures are removed.
selectolax was chosen over trafilatura after measuring both on tests/fixtures/parse
(benchmarks/bench_parse.py): same body quality on news pages, many times faster.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

from streamproc.models import Image, PublishedAtSource
from streamproc.parse.dates import parse_datetime_local
from streamproc.parse.extracted import Extracted
from streamproc.parse.text import clean_inline, clean_optional, split_paragraphs

_BOILERPLATE_TAGS = (
    "script, style, noscript, nav, footer, header, aside, form, iframe, svg, button, template, "
    "select, textarea, object, embed, canvas, dialog, menu"
)
# class/id words of page furniture rather than article text.
_BOILERPLATE_ATTR = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|breadcrumbs?|share|sharing|social|related|recommended|"
    r"newsletter|subscribe|signup|promo|advert|ads?|advertisement|sponsor(?:ed)?|cookie|consent|"
    r"comments?|sidebar|footer|masthead|paywall|outbrain|taboola|read-?more|more-stories|tags)"
    r"(?:$|[\s_\-])",
    re.I,
)
_BLOCKS = "p, h2, h3, h4, h5, h6, li, blockquote, pre, dd"
_ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "blogposting",
        "webpage",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "report",
        "liveblogposting",
    }
)
_CREDIT_IN_BRACKETS = re.compile(r"^(?P<caption>.*?)\s*[\[(](?P<credit>[^\[\]()]{2,80})[\])]\s*$", re.S)
_CREDIT_PREFIX = re.compile(r"^(?:photo|picture|image|credit|foto)s?\s*(?:by)?\s*[:\-]?\s*", re.I)
_BYLINE = re.compile(r"^\s*by\s+", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*", re.I)
# Above this many "<" a page may be deeply nested; lexbor's tree builder is quadratic in
# nesting depth, so such pages get a depth scan before they are parsed.
_TAG_COUNT_FOR_DEPTH_SCAN = 8000
MAX_NESTING_DEPTH = 1000
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_ANY_TAG = re.compile(r"<[^<>]*>")
_HTML_HINT = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|main|section|div|p|h[1-6]|span|br|meta|title|ul|ol|li|"
    r"table|a\s|img|figure|blockquote|strong|em|b|i)\b",
    re.I,
)


def looks_like_html(text: str) -> bool:
    """Starts with "<" and has a known HTML tag near the start (not "<3 love")."""
    stripped = text.lstrip()
    return stripped.startswith("<") and _HTML_HINT.search(stripped, 0, 2000) is not None


def too_deep(text: str) -> bool:
    """True if the markup nests deeper than MAX_NESTING_DEPTH (only scanned for tag-heavy pages)."""
    if text.count("<") < _TAG_COUNT_FOR_DEPTH_SCAN:
        return False
    depth = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(depth - 1, 0)
        elif not self_closing and name.lower() not in _VOID_TAGS:
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                return True
    return False


def split_authors(text: str) -> list[str]:
    """'By Jane Doe and John Roe' -> ['Jane Doe', 'John Roe']."""
    text = _BYLINE.sub("", clean_inline(text))
    return [name for name in (part.strip(" .|") for part in _AUTHOR_SPLIT.split(text)) if name]


# An in-article byline paragraph: "By Example Wire staff", "By Ana Ruiz and Li Wei | March 3":
# "By" then only name-like words (capitalised words, initials, connectors, staff titles), up to
# an optional "|"-separated date. "By Monday, the talks had collapsed." is a sentence, not a byline.
_BYLINE_PARAGRAPH = re.compile(r"^by\s+(?P<names>[^|]{2,100}?)\s*(?:\|.{0,60})?$", re.I)
_BYLINE_WORD = re.compile(
    r"^(?:[A-Z][\w'’.-]*|[A-Z]\.|and|&|,|of|the|de|da|van|von|der|del|la|le|in|for|"
    r"staff|reporters?|correspondents?|writers?|editors?|wires?)$"
)
# How many opening paragraphs may hold a byline (after a kicker or a standfirst).
_BYLINE_PARAGRAPHS = 3


def byline_authors(paragraph: str) -> list[str] | None:
    """The authors of a byline paragraph ("By Example Wire staff" -> ["Example Wire staff"]), or
    None when the paragraph is not a byline."""
    match = _BYLINE_PARAGRAPH.match(paragraph.strip())
    if match is None:
        return None
    words = match["names"].replace(",", " , ").split()
    if not words or not words[0][:1].isupper() or not all(_BYLINE_WORD.match(word) for word in words):
        return None
    return split_authors(match["names"])


def split_leading_byline(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(authors, paragraphs without it): a byline among the first paragraphs is not body text."""
    for index, paragraph in enumerate(paragraphs[:_BYLINE_PARAGRAPHS]):
        authors = byline_authors(paragraph)
        if authors and len(paragraphs) > index + 1:
            return authors, paragraphs[:index] + paragraphs[index + 1 :]
    return [], paragraphs


def split_caption_credit(text: str) -> tuple[str | None, str | None]:
    """'Caption text [Jane Doe/AFP]' -> ('Caption text', 'Jane Doe/AFP')."""
    text = clean_inline(text)
    match = _CREDIT_IN_BRACKETS.match(text)
    if match is None:
        return (text or None), None
    credit = _CREDIT_PREFIX.sub("", match["credit"]).strip()
    return (match["caption"].strip() or None), (credit or None)


def _attr(node: LexborNode, name: str) -> str | None:
    value = node.attributes.get(name)
    return value.strip() if value else None


def _meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    metas: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and content.strip():
            metas.setdefault(key.strip().lower(), content.strip())
    return metas


def _json_ld_articles(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = orjson.loads(node.text())
        except orjson.JSONDecodeError:
            continue  # a broken JSON-LD block is the page's problem, not a reason to drop it
        stack: list[Any] = [data]
        while stack and len(found) < 10:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item[:50]))
            elif isinstance(item, dict):
                types = item.get("@type")
                type_names = types if isinstance(types, list) else [types]
                if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in type_names):
                    found.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph[:50]))
    # Prefer a real article type over a generic WebPage.
    found.sort(key=lambda item: str(item.get("@type")).lower() == "webpage")
    return found


def _ld_names(value: Any) -> list[str]:
    """Names from a JSON-LD author/publisher value: "X", {"name": "X"}, or a list of those."""
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in values[:20]:
        if isinstance(item, str):
            names.extend(split_authors(item))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            names.append(clean_inline(item["name"]))
    return [name for name in names if name]


def _ld_str(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if isinstance(value, list) and value and isinstance(value[0], str):
        value = value[0]
    return clean_optional(value) if isinstance(value, str) else None


def _is_boilerplate(node: LexborNode) -> bool:
    attrs = node.attributes
    marker = " ".join(value for key in ("class", "id", "role") if (value := attrs.get(key)))
    if not marker:
        return False
    if attrs.get("role") in ("navigation", "banner", "contentinfo", "complementary"):
        return True
    return _BOILERPLATE_ATTR.search(marker) is not None


def _choose_root(tree: LexborHTMLParser) -> LexborNode | None:
    body_node = tree.css_first('[itemprop="articleBody"]')
    if body_node is not None:
        return body_node
    articles = tree.css("article")
    if articles:
        return max(articles, key=lambda node: sum(len(p.text()) for p in node.css("p")))
    for selector in ("main", '[role="main"]', "body"):
        node = tree.css_first(selector)
        if node is not None:
            return node
    return tree.root


def _figure_image(node: LexborNode) -> Image | None:
    img = node if node.tag == "img" else node.css_first("img")
    url = None
    if img is not None:
        url = _attr(img, "src") or _attr(img, "data-src") or _attr(img, "data-original")
    caption_node = node.css_first("figcaption")
    caption: str | None = None
    credit: str | None = None
    if caption_node is not None:
        credit_node = caption_node.css_first('[class*="credit"], [class*="copyright"], [class*="byline"]')
        if credit_node is not None:
            credit = clean_optional(_CREDIT_PREFIX.sub("", credit_node.text()))
            credit_node.decompose()
            caption = clean_optional(caption_node.text())
        else:
            caption, credit = split_caption_credit(caption_node.text())
    elif img is not None:
        caption = clean_optional(_attr(img, "alt"))
    if url is None and caption is None:
        return None
    return Image(url=url, caption=caption, credit=credit)


def _link_density(node: LexborNode, text_length: int) -> float:
    linked = sum(len(a.text()) for a in node.css("a"))
    return linked / text_length if text_length else 0.0


def _paragraphs(root: LexborNode) -> list[str]:
    paragraphs: list[str] = []
    for block in root.css(_BLOCKS):
        # A list item or quote that wraps <p> elements is read through those <p>s.
        if block.tag in ("li", "blockquote", "dd") and block.css_first("p") is not None:
            continue
        text = clean_inline(block.text())
        if not text:
            continue
        # Short, mostly-linked blocks are "Read more: ..." teasers and leftover menus.
        if len(text) < 200 and _link_density(block, len(text)) > 0.6:
            continue
        paragraphs.append(text)
    if not paragraphs:
        paragraphs = split_paragraphs(root.text(separator="\n"))
    return paragraphs


def strip_tags(text: str) -> str:
    """Markup removed with a regular expression: the fallback for pages too deep to parse."""
    return _ANY_TAG.sub("\n", text)


def _page_authors(tree: LexborHTMLParser, metas: dict[str, str], ld: dict[str, Any]) -> list[str]:
    """Authors from JSON-LD, else the first author meta tag that is not a URL, else byline nodes."""
    authors = _ld_names(ld.get("author"))
    if authors:
        return authors
    for key in ("author", "article:author", "byl", "parsely-author", "dc.creator"):
        value = metas.get(key)
        if value and not value.startswith(("http://", "https://")):
            authors = split_authors(value)
            break
    if authors:
        return authors
    author_nodes = tree.css('[rel="author"], [itemprop="author"], .byline, .author')
    for node in author_nodes[:5]:
        authors.extend(split_authors(node.text()))
    return list(dict.fromkeys(authors))


def _page_published_at(tree: LexborHTMLParser, metas: dict[str, str], ld: dict[str, Any]) -> datetime | None:
    """The first publication date of the page's metadata that parses, in order of trust."""
    date_candidates = [
        metas.get("article:published_time"),
        _ld_str(ld, "datePublished"),
        metas.get("datepublished"),
        metas.get("date"),
        metas.get("pubdate"),
        metas.get("publishdate"),
        metas.get("dc.date.issued"),
        metas.get("parsely-pub-date"),
    ]
    time_node = tree.css_first("article time[datetime], time[datetime]")
    if time_node is not None:
        date_candidates.append(_attr(time_node, "datetime"))
    for candidate in date_candidates:
        if candidate:
            parsed = parse_datetime_local(candidate)
            if parsed is not None:
                return parsed
    return None


def extract_html(text: str) -> Extracted:
    """Metadata, images and main text of an HTML page or fragment."""
    if too_deep(text):
        return Extracted(format="html", paragraphs=split_paragraphs(strip_tags(text)))
    tree = LexborHTMLParser(text)
    result = Extracted(format="html")
    metas = _meta_tags(tree)
    ld_items = _json_ld_articles(tree)
    ld: dict[str, Any] = ld_items[0] if ld_items else {}

    h1 = tree.css_first("h1")
    title_node = tree.css_first("title")
    result.title = (
        clean_optional(metas.get("og:title"))
        or clean_optional(metas.get("twitter:title"))
        or _ld_str(ld, "headline")
        or (clean_optional(h1.text()) if h1 is not None else None)
        or (clean_optional(title_node.text()) if title_node is not None else None)
    )
    result.subtitle = (
        clean_optional(metas.get("og:description"))
        or clean_optional(metas.get("description"))
        or _ld_str(ld, "description")
    )
    result.section = clean_optional(metas.get("article:section")) or _ld_str(ld, "articleSection")
    publishers = _ld_names(ld.get("publisher"))
    result.source = clean_optional(metas.get("og:site_name")) or (publishers[0] if publishers else None)
    canonical = tree.css_first('link[rel="canonical"]')
    result.url = (
        (_attr(canonical, "href") if canonical is not None else None)
        or clean_optional(metas.get("og:url"))
        or _ld_str(ld, "url")
    )
    html_node = tree.css_first("html")
    result.language = _attr(html_node, "lang") if html_node is not None else None

    result.authors = _page_authors(tree, metas, ld)
    published_at = _page_published_at(tree, metas, ld)
    if published_at is not None:
        result.published_at = published_at
        result.published_at_source = PublishedAtSource.HTML_META

    for node in tree.css(_BOILERPLATE_TAGS):
        node.decompose()
    for node in tree.css("[class], [id], [role]"):
        if node.tag not in ("html", "body", "article", "main") and _is_boilerplate(node):
            node.decompose()
    for br in tree.css("br"):
        br.replace_with(" ")

    root = _choose_root(tree)
    if root is None:
        return result
    for figure in root.css("figure"):
        image = _figure_image(figure)
        if image is not None:
            result.images.append(image)
        figure.decompose()
    if not result.images and metas.get("og:image"):
        result.images.append(Image(url=metas["og:image"], caption=clean_optional(metas.get("og:image:alt"))))
    # The headline is metadata, not the first body paragraph.
    for heading in root.css("h1"):
        heading.decompose()
    result.paragraphs = _paragraphs(root)
    if not result.paragraphs:
        article_body = ld.get("articleBody")
        if isinstance(article_body, str):
            result.paragraphs = split_paragraphs(article_body)
    authors, result.paragraphs = split_leading_byline(result.paragraphs)
    if not result.authors:
        result.authors = authors
    return result
