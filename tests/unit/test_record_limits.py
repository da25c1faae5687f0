"""Records larger than their topic takes are refused at the send (faust/record_limits.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from streamproc.faust.record_limits import (
    BATCH_OVERHEAD_BYTES,
    DEFAULT_BATCH_BYTES,
    batch_bytes,
    batch_size_within,
    size_refusal,
)


def test_a_record_over_its_topic_limit_is_refused_and_one_within_it_is_not() -> None:
    limits = {"news.enriched": 1000}
    assert size_refusal(limits, "news.enriched", b"k", b"v" * 800) is None
    refusal = size_refusal(limits, "news.enriched", b"k", b"v" * 1000)
    assert refusal is not None and "news.enriched" in str(refusal) and "1000" in str(refusal)
    assert size_refusal(limits, "other", b"k", b"v" * 10_000_000) is None  # no known limit: the broker's


def test_headers_count_toward_the_size() -> None:
    limits = {"t": 400}
    value = b"v" * 200
    assert size_refusal(limits, "t", None, value) is None
    assert size_refusal(limits, "t", None, value, [("trace", b"x" * 100)]) is not None
    assert size_refusal(limits, "t", None, value, {"trace": b"x" * 100}) is not None


@given(st.binary(max_size=2000), st.binary(max_size=2000))
def test_the_estimate_bounds_the_record_from_above(key: bytes, value: bytes) -> None:
    # Kafka's v2 batch: 61 bytes of header, a record's own fields at most ~25 bytes of varints.
    assert batch_bytes(key, value) >= 61 + 25 + len(key) + len(value)


def test_the_producer_batch_stays_within_the_smallest_topic_limit() -> None:
    assert batch_size_within({}) == DEFAULT_BATCH_BYTES
    assert batch_size_within({"a": 1_048_588, "b": 2_000_000}) == DEFAULT_BATCH_BYTES
    assert batch_size_within({"a": 1_048_588, "small": 4000}) == 4000 - BATCH_OVERHEAD_BYTES
