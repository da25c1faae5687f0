"""The naive baseline: a minimal Faust agent that calls ``nlp()`` once per message, on the event loop.

No batching, no process pool, no dedup: parse, one ``nlp(text)`` over title + subtitle + body, and
one orjson record per input on ``kafka.topic_enriched`` (an error record for unparseable input, so
every input has exactly one output). Run as ``python -m streamproc.bench.naive`` with the same
settings/environment as the worker; ``GET /ready`` answers 200 once partitions are assigned.
"""

from __future__ import annotations

import logging
from typing import Any

import faust
import orjson
from faust.web import Request, Response, View

from streamproc.config import Settings, load_settings
from streamproc.enrich.nlp import load_pipeline
from streamproc.enrich.pipeline import article_fields
from streamproc.errors import ParseError
from streamproc.parse import parse_raw
from streamproc.pipeline import raw_message


def create_naive_app(settings: Settings) -> faust.App:
    nlp = load_pipeline(settings.enrich.model)
    app = faust.App(
        settings.worker.app_id,
        broker=[f"kafka://{server.strip()}" for server in settings.bootstrap_servers.split(",")],
        store="memory://",
        datadir=settings.worker.data_dir,
        web_host=settings.worker.web_host,
        web_bind=settings.worker.web_host,
        web_port=settings.worker.web_port,
        topic_partitions=settings.kafka.partitions,
        consumer_auto_offset_reset="earliest",
        key_serializer="raw",
        value_serializer="raw",
    )
    raw_topic = app.topic(settings.kafka.topic_raw, value_serializer="raw")
    out_topic = app.topic(settings.kafka.topic_enriched, value_serializer="raw")

    @app.agent(raw_topic)
    async def enrich(stream: Any) -> None:
        async for event in stream.events():
            raw = raw_message(event)
            offset = raw.source_offset
            assert offset is not None  # always set for a Kafka event
            provenance = {"topic": offset.topic, "partition": offset.partition, "offset": offset.offset}
            try:
                article = parse_raw(raw, settings.parse)
            except ParseError as exc:
                record: dict[str, Any] = {"error": exc.code.value, "source_offset": provenance}
            else:
                text = "\n\n".join(value for _, value in article_fields(article, settings.enrich.max_chars))
                doc = nlp(text)
                record = {
                    "id": article.id,
                    "title": article.title,
                    "entities": [[e.text, e.label_, e.start_char, e.end_char] for e in doc.ents],
                    "source_offset": provenance,
                }
            key = record["id"].encode() if "id" in record else None
            await out_topic.send(key=key, value=orjson.dumps(record))

    @app.page("/ready")
    async def ready(self: View, request: Request) -> Response:
        assigned = bool(app.consumer.assignment())
        return self.json({"ready": assigned}, status=200 if assigned else 503)

    return app


def main() -> None:
    settings = load_settings()
    logging.basicConfig(level=logging.WARNING)
    app = create_naive_app(settings)
    faust.Worker(app, loglevel="WARNING", quiet=True).execute_from_commandline()


if __name__ == "__main__":
    main()
