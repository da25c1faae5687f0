"""Input conveniences: lines, .ndjson, JSON arrays, field aliases, unparsed dates, no_body keys."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streamproc.config import ParseSettings
from streamproc.errors import ErrorCode, ParseError
from streamproc.inputs import InputOptions, count_inputs, iter_inputs
from streamproc.models import EnrichedArticle, PublishedAtSource, RawMessage
from streamproc.parse import parse_raw

RECEIVED_AT = datetime(2025, 9, 20, 8, 0, tzinfo=UTC)


def parse(item: dict[str, object]) -> object:
    return parse_raw(RawMessage(payload=orjson.dumps(item), received_at=RECEIVED_AT), ParseSettings())


def test_ndjson_is_one_message_per_line_by_extension(tmp_path: Path) -> None:
    (tmp_path / "feed.ndjson").write_bytes(b'{"n": 1}\n\n{"n": 2}\r\n')
    (tmp_path / "one.json").write_bytes(b'{"n": 1}\n{"n": 2}\n')  # a .json file stays one message
    items = list(iter_inputs([str(tmp_path / "feed.ndjson"), str(tmp_path / "one.json")]))
    assert [i.payload for i in items] == [b'{"n": 1}', b'{"n": 2}', b'{"n": 1}\n{"n": 2}\n']
    assert items[1].name.endswith("feed.ndjson:3")


def test_lines_flag_splits_every_input_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_bytes(b"one\ntwo\n")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b'{"a": 1}\n{"a": 2}\n\n')))
    options = InputOptions(lines=True)
    items = list(iter_inputs([str(tmp_path / "a.txt"), "-"], options))
    assert [i.payload for i in items] == [b"one", b"two", b'{"a": 1}', b'{"a": 2}']
    assert [i.name for i in items[2:]] == ["-:1", "-:2"]
    assert count_inputs([str(tmp_path / "a.txt")], options) == 2


def test_stdin_without_lines_is_one_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"a\nb\n")))
    assert [i.payload for i in iter_inputs(["-"])] == [b"a\nb\n"]


def test_split_arrays_only_on_request_and_only_arrays(tmp_path: Path) -> None:
    (tmp_path / "arr.json").write_bytes(b'[{"title": "a"}, {"title": "b"}]')
    (tmp_path / "obj.json").write_bytes(b'{"title": "c"}')
    (tmp_path / "bad.json").write_bytes(b"[not json")
    specs = [str(tmp_path / name) for name in ("arr.json", "obj.json", "bad.json")]
    assert len(list(iter_inputs(specs))) == 3
    items = list(iter_inputs(specs, InputOptions(split_arrays=True)))
    assert [orjson.loads(i.payload) for i in items[:3]] == [{"title": "a"}, {"title": "b"}, {"title": "c"}]
    assert items[1].name.endswith("arr.json[1]")
    assert items[3].payload == b"[not json"  # kept whole: the worker dead-letters it with the reason


@pytest.mark.parametrize("body_key", ["article", "full_text", "story", "Article"])
def test_body_aliases(body_key: str) -> None:
    article = parse({"title": "T", body_key: "Some body text about the day."})
    assert article.body == "Some body text about the day."  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("date_key", "value"),
    [
        ("publishedAt", "2025-09-05T00:00:00Z"),
        ("timestamp", 1757030400),
        ("created_at", "2025-09-05T02:00:00+02:00"),
    ],
)
def test_date_aliases(date_key: str, value: object) -> None:
    article = parse({"body": "Some body text.", date_key: value})
    assert article.published_at == datetime(2025, 9, 5, tzinfo=UTC)  # type: ignore[attr-defined]
    assert article.published_at_source is PublishedAtSource.EXPLICIT  # type: ignore[attr-defined]


def test_unparsed_explicit_date_stays_visible_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    item = {
        "body": "Some body text.",
        "publishedAt": "sometime last week",
        "url": "https://x.test/2025/09/05/a",
    }
    with caplog.at_level(logging.INFO, logger="streamproc.parse"):
        article = parse(item)
    assert article.published_at_unparsed == "sometime last week"  # type: ignore[attr-defined]
    assert article.published_at == datetime(2025, 9, 5, tzinfo=UTC)  # type: ignore[attr-defined]
    assert article.published_at_source is PublishedAtSource.INFERRED  # type: ignore[attr-defined]
    assert any(
        "sometime last week" in r.getMessage() and "falling back" in r.getMessage() for r in caplog.records
    )
    enriched = EnrichedArticle.from_article(
        article,  # type: ignore[arg-type]
        entities=[],
        dates=[],
        ingested_at=RECEIVED_AT,
        source_offset=None,
    )
    assert orjson.loads(orjson.dumps(enriched))["published_at_unparsed"] == "sometime last week"


def test_an_unreadable_date_field_gives_way_to_a_readable_one() -> None:
    item = {"body": "Some body text.", "pubDate": "Friday, fifth of September", "datePublished": "2025-09-05"}
    article = parse(item)
    assert article.published_at == datetime(2025, 9, 5, tzinfo=UTC)  # type: ignore[attr-defined]
    assert article.published_at_source is PublishedAtSource.EXPLICIT  # type: ignore[attr-defined]
    assert article.published_at_unparsed is None  # type: ignore[attr-defined]
    both_unreadable = parse({"body": "Some body text.", "date": "soon", "published_date": "later"})
    assert both_unreadable.published_at_unparsed == "soon"  # type: ignore[attr-defined]
    assert both_unreadable.published_at_source is PublishedAtSource.INGESTION  # type: ignore[attr-defined]


def test_parsed_date_leaves_no_unparsed_text() -> None:
    article = parse({"body": "Some body text.", "date": "2025-09-05"})
    assert article.published_at_unparsed is None  # type: ignore[attr-defined]


def test_no_body_lists_the_keys_it_saw() -> None:
    with pytest.raises(ParseError) as raised:
        parse({"headline": "H", "bodyText": "x", "when": "today"})
    assert raised.value.code is ErrorCode.NO_BODY
    assert "keys seen: headline, bodyText, when" in raised.value.message
    assert "full_text" in raised.value.message  # and where a body is looked for


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=2000)
    | st.builds(lambda s: ("[" * 2000 + s).encode(), st.text(max_size=50))
    | st.lists(st.dictionaries(st.text(max_size=5), st.text(max_size=20)), max_size=5).map(orjson.dumps)
)
def test_splitting_hostile_input_never_raises_and_loses_nothing(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "hostile.bin"
    path.write_bytes(data)
    by_line = list(iter_inputs([str(path)], InputOptions(lines=True)))
    assert [i.payload for i in by_line] == [line.rstrip(b"\r") for line in data.split(b"\n") if line.strip()]
    split = list(iter_inputs([str(path)], InputOptions(split_arrays=True)))
    if split != [] and split[0].payload == data:
        assert len(split) == 1  # not a JSON array: the input as it is
    else:
        assert orjson.loads(data) == [orjson.loads(i.payload) for i in split]
