"""Date quality on annotated corpora, measured as the shared corpus scorers measure it.

Used by benchmarks/quality_dates.py and the quality floors in tests.

Articles are parsed by streamproc's own parser and tagged by the enrichment stage's date
extraction (``dates_for_article``), so spans are offsets in the same body ``streamproc process``
outputs and the figures agree with score_timeml.py and grade_meantime.py.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from streamproc.config import EnrichSettings, ParseSettings
from streamproc.enrich.dates import extract_dates
from streamproc.enrich.dates.evaluation import (
    Counts,
    OffsetMap,
    Timex,
    occurrence_spans,
    pair_one_to_one,
    pair_te3,
)
from streamproc.enrich.pipeline import article_fields
from streamproc.models import Article, DateMention, PublishedAtSource, RawMessage
from streamproc.parse import parse_raw

_RECEIVED = datetime(2030, 1, 1, tzinfo=UTC)


def parse_item(item: dict[str, Any]) -> Article:
    raw = RawMessage(payload=json.dumps(item).encode(), received_at=_RECEIVED)
    return parse_raw(raw, ParseSettings())


def article_dates(article: Article) -> list[DateMention]:
    """The dates the enrichment stage gives ``article`` (enrich/pipeline.py's date part, no NER)."""
    is_publication = (
        article.published_at is not None and article.published_at_source is not PublishedAtSource.INGESTION
    )
    reference = article.published_local() or _RECEIVED
    return [
        mention
        for name, text in article_fields(article, EnrichSettings().max_chars)
        for mention in extract_dates(
            text, name, reference, reference_is_publication=is_publication, language=article.language
        )
    ]


def system_timexes(article: Article) -> list[Timex]:
    return [
        Timex(d.span.field, d.span.start, d.span.end, d.text, d.value, d.type) for d in article_dates(article)
    ]


# --------------------------------------------------------------------------- TempEval-3 TimeML


def load_tml(path: Path) -> tuple[str, str, list[Timex]]:
    """(text, DCT, gold TIMEX3 with offsets in that text), read as score_timeml.py reads them."""
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    dct_el = root.find("DCT/TIMEX3")
    text_el = root.find("TEXT")
    if text_el is None or dct_el is None or dct_el.get("value") is None:
        raise ValueError(f"{path.name}: no TEXT or DCT")
    parts: list[str] = []
    gold: list[Timex] = []

    def walk(el: ET.Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            if child.tag == "TIMEX3":
                start = sum(len(p) for p in parts)
                inner = "".join(child.itertext())
                parts.append(inner)
                gold.append(
                    Timex(
                        "body", start, start + len(inner), inner, child.get("value"), str(child.get("type"))
                    )
                )
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(text_el)
    return "".join(parts), str(dct_el.get("value")), gold


def _locate_in_body(text: str, body: str, gold: list[Timex]) -> list[Timex | None]:
    """Each gold mention's span in the parsed body, by its occurrence index among equal strings."""
    out: list[Timex | None] = []
    for g in gold:
        source = occurrence_spans(text, g.text)
        k = next((i for i, (s, _) in enumerate(source) if s == g.start), None)
        target = occurrence_spans(body, g.text)
        if k is None or k >= len(target):
            out.append(None)
        else:
            out.append(Timex("body", target[k][0], target[k][1], g.text, g.value, g.type))
    return out


def score_timeml(folder: Path) -> dict[str, Counts]:
    """Counts over all documents and over the even / odd halves (by position in name order)."""
    totals = {"all": Counts(), "even_half": Counts(), "odd_half": Counts()}
    for i, path in enumerate(sorted(folder.glob("*.tml"))):
        text, dct, gold = load_tml(path)
        article = parse_item(
            {"id": f"te3-{i}-{path.stem}", "text": text, "published_at": dct[:10] + "T12:00:00Z"}
        )
        system = [t for t in system_timexes(article) if t.field == "body"]
        located = _locate_in_body(text, article.body, gold)
        counts = pair_te3([g for g in located if g is not None], system, path.name)
        unlocated = sum(g is None for g in located)
        counts.gold += unlocated
        counts.errors.extend(f"{path.name}: gold not found in body" for _ in range(unlocated))
        totals["all"].add(counts)
        totals["even_half" if i % 2 == 0 else "odd_half"].add(counts)
    return totals


# --------------------------------------------------------------------------- MEANTIME


def score_meantime(folder: Path) -> dict[str, Counts]:
    """grade_meantime.py's dates: title + annotated body window, DCT and date line excluded."""
    totals: dict[str, Counts] = {"all": Counts()}
    for gold_file in sorted((folder / "gold").glob("*.json")):
        corpus = gold_file.stem
        totals[corpus] = Counts()
        docs = json.loads(gold_file.read_text(encoding="utf-8"))["docs"]
        for _, doc in sorted(docs.items(), key=lambda kv: int(kv[0])):
            raw = json.loads((folder / doc["raw"]).read_text(encoding="utf-8"))
            counts = _meantime_doc(corpus, doc, raw)
            totals[corpus].add(counts)
            totals["all"].add(counts)
    return totals


def _meantime_doc(corpus: str, doc: dict[str, Any], raw: dict[str, Any]) -> Counts:
    article = parse_item(raw)
    parsed = {"title": article.title or "", "body": article.body}
    maps = {"title": OffsetMap(raw["title"], parsed["title"]), "body": OffsetMap(raw["text"], parsed["body"])}
    body_end = doc["window"]["body_end"]
    window = maps["body"].span(0, body_end) if body_end else (0, 0)
    window_end = window[1] if window else len(parsed["body"])
    gold = []
    for t in doc["timex"]:
        span = maps[t["field"]].span(t["start"], t["end"])
        if span is not None:
            gold.append(Timex(t["field"], span[0], span[1], t["text"], t["value"], t["type"]))
    system = [
        t
        for t in system_timexes(article)
        if t.field == "title" or (t.field == "body" and t.start < window_end)
    ]
    return pair_one_to_one(gold, system, f"{corpus}/{doc['doc_id']} [{doc['dct']}]")


# --------------------------------------------------------------------------- written articles


def load_written(folder: Path) -> list[tuple[dict[str, Any], list[Timex]]]:
    """Written articles and their gold, located by (text, occurrence) in the body."""
    out = []
    for path in sorted(folder.glob("*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        gold = []
        for g in item["gold"]:
            spans = occurrence_spans(item["text"], g["text"])
            whole = [(s, e) for s, e in spans if _whole_word(item["text"], s, e)]
            s, e = whole[g["n"]]
            gold.append(Timex("body", s, e, g["text"], g["value"], g["type"]))
        out.append((item, gold))
    return out


def _whole_word(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def score_written(folder: Path, batches: range | None = None) -> dict[str, Counts]:
    """Counts over the written articles, only those of ``batches`` when given (held-out batches
    are scored apart from the ones used for development)."""
    totals: dict[str, Counts] = {"all": Counts()}
    for item, gold in load_written(folder):
        if batches is not None and item.get("batch", 1) not in batches:
            continue
        article = parse_item({k: item[k] for k in ("id", "title", "text", "published_at")})
        if article.body != item["text"]:
            raise ValueError(f"{item['id']}: the parser changed the body; gold offsets would not hold")
        system = [t for t in system_timexes(article) if t.field == "body"]
        counts = pair_one_to_one(gold, system, f"{item['id']} [{item['published_at'][:10]}]")
        language = "en" if item["language"] == "en" else "other"
        batch = f"batch{item.get('batch', 1)}"  # batch 2 was written after the rules were tuned
        for key in ("all", language, f"lang_{item['language']}", batch, f"{batch}_{language}"):
            totals.setdefault(key, Counts()).add(counts)
    return totals
