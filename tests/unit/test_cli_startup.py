"""The worker's start-up line names every topic it reads and writes."""

from __future__ import annotations

from dataclasses import fields

from streamproc.cli import startup_summary
from streamproc.config import Settings


def test_startup_line_names_the_input_and_every_output_topic() -> None:
    settings = Settings()
    line = startup_summary(settings)
    topics = [getattr(settings.kafka, f.name) for f in fields(settings.kafka) if f.name.startswith("topic_")]
    assert len(topics) == 5
    for topic in topics:
        assert topic in line
    assert f"input={settings.kafka.topic_raw} " in line
