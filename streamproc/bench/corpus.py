"""A realistic, deterministic benchmark corpus: raw news payloads in every input format.

Originals are composed from the sample articles' paragraphs and from templates with varied
entities (people, organisations, places), date expressions and lengths, rendered as JSON items,
HTML pages, scraped pages or dateline text. Exact duplicates repeat an earlier payload byte for
byte; near duplicates re-render an earlier article with a few words changed (often in another
format); bad inputs cover the parser's error codes. Same spec and seed => same bytes.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import orjson

Kind = Literal["original", "exact_duplicate", "near_duplicate", "bad"]

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples" / "articles"
FORMATS = ("json", "html", "scraped_page", "dateline")
FORMAT_WEIGHTS = (0.45, 0.2, 0.15, 0.2)

PEOPLE = (
    ("Marco Rubio", "Rubio"),
    ("Daniel Noboa", "Noboa"),
    ("Donald Trump", "Trump"),
    ("Ursula von der Leyen", "von der Leyen"),
    ("Olaf Scholz", "Scholz"),
    ("Emmanuel Macron", "Macron"),
    ("Giorgia Meloni", "Meloni"),
    ("Luiz Inacio Lula da Silva", "Lula"),
    ("Claudia Sheinbaum", "Sheinbaum"),
    ("Javier Milei", "Milei"),
    ("Narendra Modi", "Modi"),
    ("Keir Starmer", "Starmer"),
    ("Gustavo Petro", "Petro"),
    ("Nicolas Maduro", "Maduro"),
    ("Antonio Guterres", "Guterres"),
    ("Christine Lagarde", "Lagarde"),
    ("Jerome Powell", "Powell"),
    ("Kristalina Georgieva", "Georgieva"),
    ("Sanna Marin", "Marin"),
    ("Pedro Sanchez", "Sanchez"),
    ("Mark Carney", "Carney"),
    ("Anthony Albanese", "Albanese"),
    ("Cyril Ramaphosa", "Ramaphosa"),
    ("Recep Tayyip Erdogan", "Erdogan"),
)
ORGS = (
    "the European Central Bank",
    "the International Monetary Fund",
    "the United Nations",
    "NATO",
    "the World Health Organization",
    "Reuters",
    "Petrobras",
    "Siemens",
    "the Federal Reserve",
    "the World Bank",
    "Amnesty International",
    "the African Union",
    "Airbus",
    "Toyota",
    "the Organization of American States",
    "Greenpeace",
)
PLACES = (
    "Quito",
    "Ecuador",
    "Brussels",
    "Berlin",
    "Paris",
    "Rome",
    "Brasilia",
    "Mexico City",
    "Buenos Aires",
    "New Delhi",
    "London",
    "Bogota",
    "Caracas",
    "Geneva",
    "Frankfurt",
    "Washington",
    "Madrid",
    "Ottawa",
    "Canberra",
    "Pretoria",
    "Ankara",
    "Venezuela",
    "Colombia",
    "China",
)
NATIONALITIES = ("Ecuadorian", "European", "German", "French", "Brazilian", "Mexican", "Chinese", "American")
TOPICS = (
    "security cooperation",
    "trade talks",
    "the energy transition",
    "interest rates",
    "migration policy",
    "drug trafficking",
    "a debt restructuring",
    "climate finance",
    "a new infrastructure plan",
    "election reform",
)
DATES = (
    "on Tuesday",
    "on Thursday",
    "last week",
    "last year",
    "next month",
    "on September 4",
    "on 12 May 2025",
    "in March 2024",
    "two days ago",
    "since 2019",
    "for three months",
    "every Monday",
    "in the first half of 2025",
    "by the end of the year",
    "on Friday morning",
    "in 2023",
)
SENTENCES = (
    "{person} met {person2} in {place} {date} to discuss {topic}.",
    "{surname} said {org} would announce {topic} measures {date}, according to officials in {place}.",
    "Officials from {org} arrived in {place} {date} for talks on {topic}.",
    "The {nat} government said {date} that it had set aside ${number} million for {topic}.",
    '"We will not stand still," {surname} told reporters in {place} {date}.',
    "Critics of {surname} argue that {topic} has stalled {date} despite promises made in {place}.",
    "{org} estimated that {number} people were affected in {place} {date}.",
    "Analysts at {org} expect {topic} to dominate the agenda {date}.",
    "{person} has led the negotiations {date}, aides said in {place}.",
    "Protesters gathered outside the offices of {org} in {place} {date}.",
    "The talks between {surname} and {surname2} ended {date} without a joint statement.",
    "Shares of {org} rose {small} percent {date} after the announcement in {place}.",
    "{nat} lawmakers are due to vote on {topic} {date}.",
    "A spokesperson for {org} declined to comment on {topic} {date}.",
)
SOURCES = ("AFP", "Reuters", "AP", "Bloomberg", "The Wire Desk", "Agencia EFE")
SECTIONS = ("World", "Politics", "Business", "Crime & Justice", "Economy", "Americas", "Europe")


@dataclass(frozen=True, slots=True)
class CorpusSpec:
    articles: int = 200
    seed: int = 42
    exact_share: float = 0.05
    near_share: float = 0.05
    bad_share: float = 0.03
    min_words: int = 80
    max_words: int = 600
    sample_paragraph_share: float = 0.25  # share of paragraphs taken from the sample articles

    def counts(self) -> dict[Kind, int]:
        exact = round(self.articles * self.exact_share)
        near = round(self.articles * self.near_share)
        bad = round(self.articles * self.bad_share)
        if self.articles and exact + near + bad >= self.articles:
            raise ValueError("duplicate and bad shares leave no room for originals")
        return {
            "original": self.articles - exact - near - bad,
            "exact_duplicate": exact,
            "near_duplicate": near,
            "bad": bad,
        }


@dataclass(frozen=True, slots=True)
class Story:
    """What an article says, before it is rendered in some input format."""

    title: str
    subtitle: str | None
    paragraphs: tuple[str, ...]
    author: str
    source: str
    section: str
    published_at: datetime
    url: str


@dataclass(frozen=True, slots=True)
class CorpusItem:
    index: int
    kind: Kind
    format: str  # json, html, scraped_page, dateline, or bad:<what>
    payload: bytes
    duplicate_of: int | None = None  # index of the original a duplicate copies
    words: int = 0  # words of the generated text (0 for bad inputs)


def sample_paragraphs(directory: Path = SAMPLES_DIR) -> list[str]:
    """Body-like lines of the sample articles (at least 12 words each)."""
    found: list[str] = []
    for path in sorted(directory.glob("*")):
        if path.is_file():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                line = line.strip()
                if len(line.split()) >= 12 and not line.startswith(("!", "date ")):
                    found.append(line)
    return found


def _sentence(rng: random.Random) -> str:
    (person, surname), (person2, surname2) = rng.sample(PEOPLE, 2)
    return rng.choice(SENTENCES).format(
        person=person,
        surname=surname,
        person2=person2,
        surname2=surname2,
        org=rng.choice(ORGS),
        place=rng.choice(PLACES),
        nat=rng.choice(NATIONALITIES),
        topic=rng.choice(TOPICS),
        date=rng.choice(DATES),
        number=rng.randint(2, 900),
        small=rng.randint(1, 9),
    )


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def make_story(rng: random.Random, index: int, spec: CorpusSpec, samples: list[str]) -> Story:
    target = rng.randint(spec.min_words, spec.max_words)
    paragraphs: list[str] = []
    words = 0
    while words < target:
        if samples and rng.random() < spec.sample_paragraph_share:
            paragraph = rng.choice(samples)
        else:
            paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    _, surname = rng.choice(PEOPLE)
    title = _capitalised(f"{surname} pushes {rng.choice(TOPICS)} in {rng.choice(PLACES)}")
    subtitle = _sentence(rng) if rng.random() < 0.6 else None
    published = datetime(2025, 9, 4, 12, tzinfo=UTC) + timedelta(minutes=rng.randint(-60 * 24 * 60, 0))
    return Story(
        title=title,
        subtitle=subtitle,
        paragraphs=tuple(paragraphs),
        author=rng.choice(PEOPLE)[0] if rng.random() < 0.3 else f"Staff writer {index % 17}",
        source=rng.choice(SOURCES),
        section=rng.choice(SECTIONS),
        published_at=published,
        url=f"https://news.example/{published:%Y/%m/%d}/story-{index}",
    )


def story_words(story: Story) -> int:
    parts = [story.title, story.subtitle or "", *story.paragraphs]
    return sum(len(part.split()) for part in parts)


def render(story: Story, fmt: str) -> bytes:
    """The story as raw bytes in one input format."""
    if fmt == "json":
        item: dict[str, Any] = {
            "title": story.title,
            "subtitle": story.subtitle,
            "body": list(story.paragraphs),
            "authors": [story.author],
            "source": story.source,
            "section": story.section,
            "url": story.url,
            "published_at": story.published_at.isoformat().replace("+00:00", "Z"),
        }
        return orjson.dumps({k: v for k, v in item.items() if v is not None})
    if fmt == "html":
        paragraphs = "".join(f"<p>{p}</p>" for p in story.paragraphs)
        subtitle = f"<h2>{story.subtitle}</h2>" if story.subtitle else ""
        return (
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{story.title}</title>"
            f"<meta property='article:published_time' content='{story.published_at.isoformat()}'>"
            f"</head><body><article><h1>{story.title}</h1>{subtitle}"
            f"<p class='byline'>By {story.author}</p>{paragraphs}</article></body></html>"
        ).encode()
    if fmt == "scraped_page":
        lines = [story.section, story.title]
        if story.subtitle:
            lines.append(story.subtitle)
        lines.append(f"By {story.source} |")
        lines.extend(story.paragraphs)
        return "\n".join(lines).encode()
    if fmt == "dateline":
        body = "\n\n".join(story.paragraphs)
        return f" date {story.published_at:%Y-%m-%d} {story.title}. {body}".encode()
    raise ValueError(f"unknown format {fmt!r}")


def near_copy(story: Story, rng: random.Random) -> Story:
    """The same story with about 1% of its words replaced (at least one, at most four)."""
    paragraphs = [p.split() for p in story.paragraphs]
    positions = [(i, j) for i, words in enumerate(paragraphs) for j in range(len(words))]
    edits = max(1, min(4, len(positions) // 100))
    for i, j in rng.sample(positions, edits):
        paragraphs[i][j] = rng.choice(("reportedly", "also", "later", "again", "officially"))
    return replace(story, paragraphs=tuple(" ".join(words) for words in paragraphs))


BAD_INPUTS: tuple[tuple[str, bytes], ...] = (
    ("empty", b""),
    ("whitespace", b"  \n\t \n"),
    ("binary", b"\x00\x01\x02PK\x03\x04" + bytes(range(256)) * 4),
    ("malformed_json", b'{"title": "Half a message", "body": "cut off'),
    ("not_an_object", b'["a", "list", "of", "strings"]'),
    ("no_body", b'{"title": "A headline without a body", "source": "AFP"}'),
    ("invalid_field", b'{"title": ["not", "a", "string"], "body": "Some body text here."}'),
)


def generate_corpus(spec: CorpusSpec, samples: list[str] | None = None) -> list[CorpusItem]:
    """``spec.articles`` items in production order; every duplicate comes after its original."""
    samples = sample_paragraphs() if samples is None else samples
    rng = random.Random(spec.seed)
    counts = spec.counts()
    stories: list[Story] = []
    sequence: list[CorpusItem] = []
    for index in range(counts["original"]):
        story = make_story(rng, index, spec, samples)
        stories.append(story)
        fmt = rng.choices(FORMATS, FORMAT_WEIGHTS)[0]
        sequence.append(CorpusItem(index, "original", fmt, render(story, fmt), words=story_words(story)))

    def insert_after(item: CorpusItem, source_index: int | None) -> None:
        floor = 0
        if source_index is not None:
            floor = next(i for i, it in enumerate(sequence) if it.index == source_index) + 1
        sequence.insert(rng.randint(floor, len(sequence)), item)

    next_index = len(stories)
    for _ in range(counts["exact_duplicate"]):
        original = rng.randrange(len(stories))
        source = next(it for it in sequence if it.index == original)
        insert_after(
            CorpusItem(next_index, "exact_duplicate", source.format, source.payload, original, source.words),
            original,
        )
        next_index += 1
    for _ in range(counts["near_duplicate"]):
        original = rng.randrange(len(stories))
        copy = near_copy(stories[original], rng)
        fmt = rng.choices(FORMATS, FORMAT_WEIGHTS)[0]
        insert_after(
            CorpusItem(next_index, "near_duplicate", fmt, render(copy, fmt), original, story_words(copy)),
            original,
        )
        next_index += 1
    for number in range(counts["bad"]):
        what, payload = BAD_INPUTS[number % len(BAD_INPUTS)]
        insert_after(CorpusItem(next_index, "bad", f"bad:{what}", payload), None)
        next_index += 1
    return sequence


def describe_corpus(spec: CorpusSpec, items: list[CorpusItem]) -> dict[str, Any]:
    words = [item.words for item in items if item.kind != "bad"]
    return {
        "articles": len(items),
        "seed": spec.seed,
        "kinds": dict(Counter(item.kind for item in items)),
        "formats": dict(Counter(item.format for item in items)),
        "shares": {"exact": spec.exact_share, "near": spec.near_share, "bad": spec.bad_share},
        "words_total": sum(words),
        "words_min": min(words, default=0),
        "words_mean": round(sum(words) / len(words), 1) if words else 0.0,
        "words_max": max(words, default=0),
        "bytes_total": sum(len(item.payload) for item in items),
    }
