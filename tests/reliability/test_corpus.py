"""The corpus's expected verdicts are those of an uninterrupted, in-order run (the offline pipeline),
so the Kafka scenarios compare against a real baseline, not against the generator's intent alone."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from streamproc.config import load_settings
from streamproc.enrich.pool import EnrichmentPool
from streamproc.models import RawMessage, SourceOffset
from streamproc.pipeline import OfflineRunner
from tests.reliability.corpus import build_corpus, fuzz_inputs, jaccard
from tests.reliability.harness import MAX_BYTES

pytestmark = [pytest.mark.reliability]


def test_uniques_are_far_below_the_near_threshold() -> None:
    corpus = build_corpus(120, max_bytes=MAX_BYTES)
    uniques = [i.payload.decode() for i in corpus if i.kind == "unique"][:40]
    worst = max(jaccard(a, b) for a, b in itertools.combinations(uniques, 2))
    assert worst < 0.3


def test_offline_run_gives_the_expected_verdicts() -> None:
    settings = load_settings(None)
    settings = replace(settings, parse=replace(settings.parse, max_bytes=MAX_BYTES))
    corpus = build_corpus(150, max_bytes=MAX_BYTES) + list(fuzz_inputs(200, max_bytes=MAX_BYTES))
    now = datetime.now(UTC)
    raws = [
        RawMessage(payload=i.payload, received_at=now, source_offset=SourceOffset("raw", 0, n))
        for n, i in enumerate(corpus)
    ]
    with EnrichmentPool(replace(settings.enrich, processes=0)) as pool:
        outputs = list(OfflineRunner(settings, pool).run(raws))
    assert len(outputs) == len(corpus)
    ids: dict[int, str] = {}
    for n, (item, output) in enumerate(zip(corpus, outputs, strict=True)):
        value = output.value
        assert output.role == item.expected.role, (n, item.kind)
        if output.role == "dlq":
            assert value.error.code == item.expected.code, (n, item.kind)
            continue
        ids[n] = value["id"]
        assert value["dedup"]["status"] == item.expected.status, (n, item.kind, value["dedup"])
        if item.expected.duplicate_of is not None:
            assert value["dedup"]["duplicate_of"] == ids[item.expected.duplicate_of]
