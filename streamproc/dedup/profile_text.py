"""A story profile packed into one string: the form story records and answers carry.

A profile is stored once per partition owning any of its article's story keys (~1.6 copies per
article) and was ~565 bytes in the list form (``["term 384 term 271 ...", ["name", 566, ...],
places, time, dateline, "headline 500 ..."]``): the weights, written in decimal thousandths with a
separator each side, were a third of it. Here each word is followed by its weight's code and
nothing else, ``"cabelloR=vociferQ..."``:

- weights are whole thousandths (profiles round them so) and each vector lists them heaviest
  first, so a weight is written as its step down from the previous one (the first from 0), in
  one character when the step is below ``_SHORT`` and two otherwise;
- code characters are upper-case ASCII letters and punctuation, which no casefolded word of a
  profile holds, so they also end the word: no separators and no quotes per word;
- sections are joined by ``|``: terms, names, headline, time (``repr`` of the float, or empty),
  dateline (or empty), then the places.

:func:`pack_profile` returns None for any profile this cannot carry exactly (weights not whole
thousandths or not heaviest first, a word holding a code character or ``|``, ...): it decodes
what it wrote and keeps the text only when that gives the very same profile (the same keys in
the same order, the same floats), so the form changes no decision; the caller keeps the older
form otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from streamproc.stories.profile import ArticleProfile

_MILLI = 1000
CODES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!$&()*+,/:;<=>?@[]^_`{}~"  # no quote or backslash: JSON as is
_SHORT = 25  # steps below this take one character; the other codes lead two-character ones
_LONG = (len(CODES) - _SHORT) * len(CODES)  # steps from _SHORT on that two characters hold
_INDEX = {code: i for i, code in enumerate(CODES)}
SECTION = "|"
_WORD_CHARS = f"[^{re.escape(CODES + SECTION)}]+"
_CODE = f"[{re.escape(CODES[:_SHORT])}]|[{re.escape(CODES[_SHORT:])}]."  # one character, or a lead and one
_PAIR = re.compile(f"({_WORD_CHARS})({_CODE})")


def _code(step: int) -> str:
    if step < _SHORT:
        return CODES[step]
    high, low = divmod(step - _SHORT, len(CODES))
    return CODES[_SHORT + high] + CODES[low]


def _step(code: str) -> int:
    if code[-1] not in _INDEX:
        raise ValueError(f"not a weight code: {code!r}")
    if len(code) == 1:
        return _INDEX[code]
    return _SHORT + (_INDEX[code[0]] - _SHORT) * len(CODES) + _INDEX[code[1]]


def _pack_weights(weights: Mapping[str, float]) -> str | None:
    """``word<code>word<code>...``, None when a weight is no whole thousandth, is heavier than
    the one before it or steps down further than two characters hold."""
    out: list[str] = []
    previous = 0
    for position, (word, weight) in enumerate(weights.items()):
        milli = round(weight * _MILLI)
        step = milli if position == 0 else previous - milli
        if not 0 <= step < _SHORT + _LONG:
            return None
        out.append(word + _code(step))
        previous = milli
    return "".join(out)


def _unpack_weights(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    milli = 0
    end = 0
    for position, found in enumerate(_PAIR.finditer(text)):
        if found.start() != end:
            raise ValueError(f"not a packed weight vector: {text!r}")
        step = _step(found[2])
        milli = step if position == 0 else milli - step
        out[found[1]] = milli / _MILLI
        end = found.end()
    if end != len(text):
        raise ValueError(f"not a packed weight vector: {text!r}")
    return out


def unpack_profile(text: str) -> ArticleProfile:
    """The profile :func:`pack_profile` packed into ``text``."""
    parts = text.split(SECTION)
    if len(parts) < 5:
        raise ValueError(f"not a packed profile: {text!r}")
    terms, names, headline, time, dateline, *places = parts
    return ArticleProfile(
        terms=_unpack_weights(terms),
        names=_unpack_weights(names),
        places=places,
        time=float(time) if time else None,
        dateline=dateline or None,
        headline=_unpack_weights(headline),
    )


def _fields(profile: ArticleProfile) -> str:
    """Every field as written by ``repr``: the vectors in their order (sums run in that order),
    floats to the bit (``-0.0`` is not ``0.0``, ``1`` is not ``1.0``)."""
    vectors = [list(profile.terms.items()), list(profile.names.items()), list(profile.headline.items())]
    return repr((vectors, profile.places, profile.time, profile.dateline))


def pack_profile(profile: ArticleProfile) -> str | None:
    """``profile`` as one string (module doc), or None when that would not decode to it exactly."""
    vectors = [_pack_weights(profile.terms), _pack_weights(profile.names), _pack_weights(profile.headline)]
    if any(vector is None for vector in vectors):
        return None
    time = "" if profile.time is None else repr(profile.time)
    text = SECTION.join([*(v or "" for v in vectors), time, profile.dateline or "", *profile.places])
    try:
        return text if _fields(unpack_profile(text)) == _fields(profile) else None
    except ValueError:
        return None
