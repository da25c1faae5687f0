"""An in-article byline is not body text (HTML, plain text and a JSON item's text)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from streamproc.config import ParseSettings
from streamproc.models import RawMessage
from streamproc.parse import parse_raw
from streamproc.parse.htmlpage import byline_authors, split_leading_byline

BODY = "Dock workers in Rotterdam returned to work on Thursday after the union accepted a pay offer."


def parse(text: str) -> tuple[list[str], str]:
    article = parse_raw(
        RawMessage(payload=text.encode(), received_at=datetime(2025, 1, 1, tzinfo=UTC)), ParseSettings()
    )
    return article.authors, article.body


def test_html_byline_paragraph_leaves_the_body_and_names_the_author() -> None:
    page = (
        "<html><head><title>Port strike ends</title></head><body><article><h1>Port strike ends</h1>"
        f"<p>By Example Wire staff</p><p>{BODY}</p><p>Ships queued for days.</p></article></body></html>"
    )
    authors, body = parse(page)
    assert authors == ["Example Wire staff"]
    assert body.startswith("Dock workers")
    assert "By Example" not in body


def test_html_byline_keeps_authors_from_metadata() -> None:
    page = (
        '<html><head><meta name="author" content="Ana Ruiz"></head><body><article>'
        f"<p>By Ana Ruiz and Li Wei | March 3, 2025</p><p>{BODY}</p></article></body></html>"
    )
    authors, body = parse(page)
    assert authors == ["Ana Ruiz"]
    assert body.startswith("Dock workers")


def test_plain_text_byline_paragraph_after_the_headline_block() -> None:
    authors, body = parse(f"Port strike ends\n\nBy Ana Ruiz and Li Wei\n\n{BODY}\n\nShips queued.")
    assert authors == ["Ana Ruiz", "Li Wei"]
    assert body.startswith("Dock workers")


def test_sentences_starting_with_by_stay() -> None:
    for sentence in (
        "By Monday, the backlog of ships had begun to shrink.",
        "By then the talks had collapsed",
        "By the end of the year",
    ):
        assert byline_authors(sentence) is None
    assert split_leading_byline(["By Monday the talks had collapsed.", BODY]) == (
        [],
        ["By Monday the talks had collapsed.", BODY],
    )


def test_a_byline_alone_is_kept_as_the_body() -> None:
    assert split_leading_byline(["By Example Wire staff"]) == ([], ["By Example Wire staff"])


@given(st.lists(st.text(max_size=120), max_size=6))
def test_split_leading_byline_drops_at_most_one_paragraph(paragraphs: list[str]) -> None:
    authors, kept = split_leading_byline(paragraphs)
    assert len(kept) == len(paragraphs) - (1 if authors else 0)
    assert all(p in paragraphs for p in kept)


def test_json_text_byline_paragraph_becomes_the_author() -> None:
    item = {"title": "Port strike ends", "text": f"By Example Wire staff\n\n{BODY}\n\nShips queued."}
    authors, body = parse(json.dumps(item))
    assert authors == ["Example Wire staff"]
    assert body.startswith("Dock workers")
    assert "By Example" not in body


def test_json_text_byline_keeps_the_item_authors() -> None:
    item = {"author": "Ana Ruiz", "body": ["By Ana Ruiz and Li Wei", BODY]}
    authors, body = parse(json.dumps(item))
    assert authors == ["Ana Ruiz"]
    assert body.startswith("Dock workers")


def test_json_text_starting_with_by_monday_is_body_text() -> None:
    opening = "By Monday, the backlog of ships had begun to shrink."
    authors, body = parse(json.dumps({"title": "Port strike ends", "text": f"{opening}\n\n{BODY}"}))
    assert authors == []
    assert body.startswith(opening)
