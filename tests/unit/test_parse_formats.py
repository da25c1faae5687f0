"""Each input format, on the two samples and on the fixtures in tests/fixtures/parse."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from streamproc.config import ParseSettings
from streamproc.models import Article, PublishedAtSource, RawMessage
from streamproc.parse import detect_format, parse_raw
from streamproc.parse.text import word_count

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "examples" / "articles"
FIXTURES = ROOT / "tests" / "fixtures" / "parse"
RECEIVED_AT = datetime(2025, 9, 20, 8, 0, tzinfo=UTC)
SETTINGS = ParseSettings()


def parse(payload: bytes | str, headers: dict[str, bytes] | None = None) -> Article:
    data = payload.encode() if isinstance(payload, str) else payload
    return parse_raw(RawMessage(payload=data, received_at=RECEIVED_AT, headers=headers or {}), SETTINGS)


def sample(prefix: str) -> bytes:
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return path.read_bytes()


# --- sample 000: scraped page -------------------------------------------------------------


def test_scraped_page_sample_metadata() -> None:
    article = parse(sample("000"))
    assert article.format == "scraped_page"
    assert article.section == "Crime & Justice"
    assert article.title == "Rubio ramps up Ecuador support in tough anti-crime drive"
    assert article.subtitle is not None
    assert article.subtitle.startswith("Ecuador is deepening ties with the United States")
    assert article.subtitle.endswith("strategic debt trap.")
    assert article.authors == ["AFP"]
    assert article.language == "en"


def test_scraped_page_sample_image_caption_and_credit() -> None:
    article = parse(sample("000"))
    assert len(article.images) == 1
    image = article.images[0]
    assert image.url == "/gc4/images/2025/09/05/51850-rubio-600_384.webp"
    assert image.credit == "Jacquelyn Martin/AFP"
    assert image.caption is not None
    assert image.caption.startswith("US Secretary of State Marco Rubio (L) shakes hands")
    assert image.caption.endswith("violence-hit Ecuador.")
    assert "[" not in image.caption


def test_scraped_page_sample_published_at_is_latest_inferred_evidence() -> None:
    # Caption: "on September 4, 2025" (the event); image path /2025/09/05/ (the upload).
    # A publication cannot precede either, so the later date wins.
    article = parse(sample("000"))
    assert article.published_at == datetime(2025, 9, 5, tzinfo=UTC)
    assert article.published_at_source is PublishedAtSource.INFERRED


def test_scraped_page_sample_body() -> None:
    article = parse(sample("000"))
    assert article.paragraphs[0].startswith("US Secretary of State Marco Rubio on September 4 promised")
    assert article.paragraphs[-1].startswith("Ecuador is increasingly compelled to recalibrate")
    assert article.paragraphs[-1].endswith("described as a debt trap.")
    # The subheading stays in the body, as its own paragraph, in place.
    index = article.paragraphs.index("Invitation to US forces")
    assert article.paragraphs[index + 1].startswith("For years, the United States operated")
    # Header lines, image markup and byline are not body text.
    assert "By AFP" not in article.body
    assert "![" not in article.body
    assert article.title is not None and article.title not in article.body
    assert article.body == "\n\n".join(article.paragraphs)
    assert len(article.paragraphs) == 22
    assert 480 <= article.word_count <= 560


# --- sample 001: dateline text --------------------------------------------------------------


def test_dateline_sample() -> None:
    article = parse(sample("001"))
    assert article.format == "dateline"
    assert article.published_at == datetime(2025, 9, 4, tzinfo=UTC)
    assert article.published_at_source is PublishedAtSource.DATELINE
    assert article.title is None
    assert article.authors == []
    assert article.language == "en"
    assert article.paragraphs[0].startswith("US Secretary of State Marco Rubio is expected to discuss")
    assert not article.body.startswith("date")
    assert article.paragraphs[-1].endswith("retreats from global aid.")
    assert len(article.paragraphs) == 21
    assert 480 <= article.word_count <= 560


def test_dateline_with_time_and_offset() -> None:
    article = parse("date 2025-09-04T10:30:00+02:00\nA body sentence about the talks in Quito today.")
    assert article.published_at == datetime(2025, 9, 4, 8, 30, tzinfo=UTC)
    assert article.paragraphs == ["A body sentence about the talks in Quito today."]


# --- fixtures: HTML and JSON against their expected values ----------------------------------


def _fixture_cases() -> list[Path]:
    return sorted(
        path
        for path in FIXTURES.iterdir()
        if path.suffix in (".html", ".json") and ".expected" not in path.name
    )


@pytest.mark.parametrize("path", _fixture_cases(), ids=lambda path: path.name)
def test_fixture_matches_expected(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    article = parse(path.read_bytes())
    assert article.format == ("html" if path.suffix == ".html" else "json")
    for field in ("title", "subtitle", "section", "authors", "source", "url", "language", "paragraphs"):
        assert getattr(article, field) == expected[field], field
    assert article.published_at == datetime.fromisoformat(expected["published_at"])
    assert article.published_at_source.value == expected["published_at_source"]
    assert [_image_dict(image) for image in article.images] == expected["images"]
    assert article.body == "\n\n".join(expected["paragraphs"])


def _image_dict(image: object) -> dict[str, object]:
    return {name: getattr(image, name) for name in ("url", "caption", "credit")}


def test_html_boilerplate_is_dropped() -> None:
    article = parse((FIXTURES / "html_news_full.html").read_bytes())
    for noise in (
        "cookies",
        "Share on",
        "Subscribe",
        "Related stories",
        "Great article",
        "All rights",
        "dataLayer",
    ):
        assert noise not in article.body, noise
    assert "Read more" not in article.body


def test_json_url_id_ignores_tracking_and_case() -> None:
    first = parse(
        orjson.dumps({"title": "T", "body": "Body text here.", "url": "https://ex.com/a/?utm_source=x"})
    )
    second = parse(orjson.dumps({"title": "T2", "body": "Other body.", "url": "HTTPS://EX.com/a#frag"}))
    assert first.id == second.id


def test_json_given_id_wins_and_is_stable() -> None:
    item = {"id": 12345, "title": "T", "body": "Body text here.", "url": "https://ex.com/a"}
    first = parse(orjson.dumps(item))
    second = parse(orjson.dumps(item | {"body": "Edited body text."}))
    assert first.id == second.id
    assert first.id.startswith("a-") and len(first.id) == 34


def test_json_epoch_milliseconds_and_iso_dates() -> None:
    millis = parse(orjson.dumps({"body": "Some body text.", "published_at": 1757030400000}))
    iso = parse(orjson.dumps({"body": "Some body text.", "published": "2025-09-05T02:00:00+02:00"}))
    assert millis.published_at == datetime(2025, 9, 5, tzinfo=UTC)
    assert iso.published_at == datetime(2025, 9, 5, tzinfo=UTC)
    assert iso.published_at_source is PublishedAtSource.EXPLICIT


def test_json_unreadable_date_falls_back_to_ingestion() -> None:
    article = parse(orjson.dumps({"body": "Some body text.", "date": "sometime last week"}))
    assert article.published_at == RECEIVED_AT
    assert article.published_at_source is PublishedAtSource.INGESTION


def test_json_format_field_reads_body_as_scraped_page() -> None:
    item = {"format": "scraped_page", "body": sample("000").decode(), "source": "Example Wire"}
    article = parse(orjson.dumps(item))
    assert article.format == "json"
    assert article.title == "Rubio ramps up Ecuador support in tough anti-crime drive"
    assert article.authors == ["AFP"]
    assert article.images[0].credit == "Jacquelyn Martin/AFP"
    assert article.source == "Example Wire"
    assert article.body == parse(sample("000")).body


def test_json_format_field_text_keeps_markup_literal() -> None:
    article = parse(orjson.dumps({"format": "text", "body": "<p>literal markup</p>"}))
    assert article.body == "<p>literal markup</p>"


def test_json_body_as_list_of_paragraphs() -> None:
    article = parse(orjson.dumps({"title": "T", "body": ["First  paragraph.", " ", "Second\nparagraph."]}))
    assert article.paragraphs == ["First paragraph.", "Second paragraph."]


def test_content_type_header_forces_format() -> None:
    html = b"<p>Hello there, this is a paragraph.</p>"
    assert parse(html).format == "html"
    as_text = parse(html, headers={"Content-Type": b"text/plain; charset=utf-8"})
    assert as_text.format == "text"
    assert as_text.body == "<p>Hello there, this is a paragraph.</p>"
    as_html = parse(b"Just words in a page.", headers={"content-type": b"text/html"})
    assert as_html.format == "html"
    assert as_html.body == "Just words in a page."


def test_detect_format_auto() -> None:
    assert detect_format('  {"a": 1}', None) == "json"
    assert detect_format("<!DOCTYPE html><html></html>", None) == "html"
    assert detect_format("<3 love this", None) == "text"
    assert detect_format("Plain words", "application/octet-stream") == "text"


def test_declared_charset_is_used() -> None:
    payload = "Grève à l'aéroport de Marseille, les vols sont annulés.".encode("latin-1")
    article = parse(payload, headers={"content-type": b"text/plain; charset=ISO-8859-1"})
    assert article.body == "Grève à l'aéroport de Marseille, les vols sont annulés."
    assert not article.encoding_repaired


def test_utf16_with_bom() -> None:
    article = parse("Ein kurzer Text über Wahlen.".encode("utf-16"))
    assert article.body == "Ein kurzer Text über Wahlen."


# --- plain text -----------------------------------------------------------------------------


def test_plain_text_headline_becomes_title() -> None:
    article = parse("Storm hits the coast\n\nHeavy rain fell overnight.\n\nPower was cut in two towns.")
    assert article.format == "text"
    assert article.title == "Storm hits the coast"
    assert article.paragraphs == ["Heavy rain fell overnight.", "Power was cut in two towns."]


def test_plain_text_sentence_first_line_is_not_a_title() -> None:
    article = parse("Heavy rain fell overnight.\nPower was cut in two towns.")
    assert article.title is None
    assert article.paragraphs == ["Heavy rain fell overnight.", "Power was cut in two towns."]


def test_plain_text_wrapped_first_line_is_not_a_title() -> None:
    article = parse("Heavy rain fell overnight across\nthe whole coast.\n\nPower was cut in two towns.")
    assert article.title is None
    assert article.paragraphs[0] == "Heavy rain fell overnight across the whole coast."


def test_plain_text_byline_after_title() -> None:
    article = parse("Storm hits the coast\nBy Ana Ruiz\nHeavy rain fell overnight.")
    assert article.title == "Storm hits the coast"
    assert article.authors == ["Ana Ruiz"]
    assert article.paragraphs == ["Heavy rain fell overnight."]


# --- normalisation --------------------------------------------------------------------------


def test_body_is_nfc_and_whitespace_normalised() -> None:
    decomposed = "Cafe\u0301  au\u00a0lait\u200b is\tserved.\r\n\r\nSecond   paragraph ."
    article = parse(decomposed)
    assert article.paragraphs == ["Café au lait is served.", "Second paragraph ."]
    assert article.body == "Café au lait is served.\n\nSecond paragraph ."


def test_language_none_for_short_text() -> None:
    assert parse("Short note here.").language is None


def test_language_detects_non_english() -> None:
    text = (
        "El presidente del Gobierno anunció este martes un nuevo paquete de medidas para frenar "
        "la subida de los precios de la vivienda en las grandes ciudades del país."
    )
    assert parse(text).language == "es"


def test_declared_language_used_when_detection_unsure() -> None:
    article = parse(orjson.dumps({"body": "Short note here.", "language": "de-AT"}))
    assert article.language == "de"


def test_ingestion_time_when_no_date() -> None:
    article = parse("Nothing here says when it happened.")
    assert article.published_at == RECEIVED_AT
    assert article.published_at_source is PublishedAtSource.INGESTION


def test_naive_received_at_is_taken_as_utc() -> None:
    raw = RawMessage(payload=b"Some text without a date.", received_at=datetime(2025, 1, 2, 3, 4))
    article = parse_raw(raw, SETTINGS)
    assert article.published_at == datetime(2025, 1, 2, 3, 4, tzinfo=UTC)


def test_inferred_dates_after_receipt_are_ignored() -> None:
    text = "Headline words here\n![A photo [X/Y]](/img/2031/01/01/a.jpg)\nBy Staff |\nBody text here."
    article = parse(text)
    assert article.published_at_source is PublishedAtSource.INGESTION


def test_same_input_gives_same_article() -> None:
    assert parse(sample("000")) == parse(sample("000"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a -- b — c | d", 4),
        ("don't stop anti-crime $20", 4),
        ("-- lead ... trail --", 2),
        ("", 0),
        ("...", 0),
    ],
)
def test_word_count_skips_punctuation_tokens(text: str, expected: int) -> None:
    assert word_count(text) == expected
