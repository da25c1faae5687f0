"""Deduplication (exact fingerprint, MinHash/LSH near-duplicates) and story clustering: pure, no Kafka."""

from streamproc.dedup.index import KeyEntry, ProbeOutcome, probe, set_story
from streamproc.dedup.minhash import (
    MinHasher,
    band_keys,
    decode_signature,
    encode_signature,
    jaccard_estimate,
)
from streamproc.dedup.probes import (
    ProbeKeys,
    evict,
    hasher_for,
    key_horizon_s,
    key_kind,
    key_max_entries,
    probe_keys,
    resolve,
)
from streamproc.dedup.shingles import word_shingles
from streamproc.dedup.stories import choose_story, new_story_id, story_keys
from streamproc.dedup.verdict import decide

__all__ = [
    "KeyEntry",
    "MinHasher",
    "ProbeKeys",
    "ProbeOutcome",
    "band_keys",
    "choose_story",
    "decide",
    "decode_signature",
    "encode_signature",
    "evict",
    "hasher_for",
    "jaccard_estimate",
    "key_horizon_s",
    "key_kind",
    "key_max_entries",
    "new_story_id",
    "probe",
    "probe_keys",
    "resolve",
    "set_story",
    "story_keys",
    "word_shingles",
]
