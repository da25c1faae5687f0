"""What a format reader found, before the shared finishing steps (dates, language, ids)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from streamproc.models import Image, PublishedAtSource


@dataclass(slots=True)
class Extracted:
    format: str
    title: str | None = None
    subtitle: str | None = None
    section: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    url: str | None = None
    given_id: str | None = None
    # A date the format states outright (with the UTC offset it wrote), and which kind of statement it was.
    published_at: datetime | None = None
    published_at_source: PublishedAtSource | None = None
    published_at_unparsed: str | None = None  # an explicit date field's text that did not parse
    language: str | None = None  # declared (JSON field, <html lang>); validated, else detected
    paragraphs: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
