"""How rare a word is in general English: the IDF-like weight of story terms and names.

From ``wordfreq``'s English list (installed from PyPI, data in the package: nothing is
downloaded at run time). A fixed list makes weights stateless: the same article gets the same
profile in any worker, replay or backfill, which document frequencies learned from the stream
cannot give (they depend on what a partition has seen so far).

The weight of a word is ``9 - zipf`` (zipf = log10 of occurrences per billion words), i.e.
``-log10`` of its probability: the IDF of a word in a corpus of one-word documents. Words the list
does not know (new names, rare places) get the highest weight.
"""

from __future__ import annotations

from functools import cache

MAX_RARITY = 9.0
# Words at least this frequent (zipf >= 6: "the", "said", "would", "after") carry no event.
STOPWORD_ZIPF = 6.0


@cache
def _english_zipf() -> dict[str, float]:
    import math

    from wordfreq import get_frequency_dict

    return {
        word: round(math.log10(freq) + 9.0, 2)
        for word, freq in get_frequency_dict("en", wordlist="large").items()
        if freq > 0.0
    }


def zipf(word: str) -> float:
    """Zipf frequency of a lower-case word (0.0 when unknown)."""
    return _english_zipf().get(word, 0.0)


def rarity(word: str) -> float:
    """``9 - zipf``, at least 0: "the" ~1.3, "minister" ~4, "earthquake" ~4.9, "noboa" ~7.7."""
    return max(0.0, MAX_RARITY - zipf(word))


def is_stopword(word: str) -> bool:
    return zipf(word) >= STOPWORD_ZIPF


def warm_up() -> None:
    """Load the list now (0.2 s) rather than on the first article."""
    _english_zipf()
