"""Band entries against dedup quality: LSH bands and stored signature bits on bench_dedup's corpus.

For each (bands, stored bits) the join runs over ``bench_dedup``'s 2,000 articles (the same
corpus, seed and dup share) and counts the verdicts per expected kind. Signatures are stored in
the ``u8:`` or ``u16:`` form and compared on their low ``bits`` bits; the band bytes of a width
under 8 are the measured bytes with each signature's text at that width.
JSON in ``benchmarks/results/state_bands.json``.

    .venv/bin/python benchmarks/bench_bands.py [--articles 2000]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import streamproc.dedup.minhash as minhash
from streamproc.config import Settings
from streamproc.join.postings import is_record_key

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_dedup

VARIANTS = [(16, 16), (16, 8), (16, 4), (8, 16), (8, 8), (32, 8)]
OUT = Path(__file__).resolve().parent / "results" / "state_bands.json"


def signature_chars(bits: int, num_perm: int) -> int:
    """Length of a stored signature's text at ``bits`` bits: ``u<bits>:`` and base64."""
    return len(f"u{bits}:") + 4 * -(-(num_perm * bits // 8) // 3)


def stored_width(bits: int) -> None:
    """Store and compare signatures on their low ``bits`` bits (16 at most)."""
    minhash._STORED_MASK = (1 << bits) - 1
    minhash._STORED_PREFIX = "u8:" if bits <= 8 else "u16:"


def run_variant(articles: list[Any], expected: dict[str, str], bands: int, bits: int) -> dict[str, Any]:
    stored_width(bits)
    settings = Settings()
    settings = replace(settings, dedup=replace(settings.dedup, bands=bands))
    _, tables, statuses = bench_dedup.run_dedup(articles, settings)
    confusion: dict[str, dict[str, int]] = {}
    for article_id, kind in expected.items():
        row = confusion.setdefault(kind, {})
        row[statuses[article_id]] = row.get(statuses[article_id], 0) + 1
    n = len(articles)
    stored_chars = signature_chars(8 if bits <= 8 else 16, settings.dedup.num_perm)
    by_kind = bench_dedup.state_bytes(tables, n)["bytes_per_article_by_key_kind"]
    band_bytes = by_kind["band"] + by_kind["band record"]  # postings and the records they point to
    # Signatures stored per article: one per band record (postings layout), else one per band entry.
    records = sum(1 for key in tables.encoded if is_record_key(key))
    copies = records / n if records else bands
    at_width = band_bytes - copies * (stored_chars - signature_chars(bits, settings.dedup.num_perm))
    return {
        "bands": bands,
        "bits": bits,
        "verdicts": confusion,
        "band_bytes_per_article": round(at_width),
        "signatures_stored_per_article": round(copies, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    articles, expected = bench_dedup.corpus(args.articles, seed=7, dup_share=0.2)
    try:
        results = [run_variant(articles, expected, bands, bits) for bands, bits in VARIANTS]
    finally:
        stored_width(minhash.STORED_BITS)
    for result in results:
        print(json.dumps(result), flush=True)
    OUT.write_text(json.dumps({"articles": len(articles), "variants": results}, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
