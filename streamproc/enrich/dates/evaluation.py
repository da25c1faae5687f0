"""Scoring TIMEX3 output against gold the way the shared corpus scorers do (TempEval-3 task A).

Pure: callers parse the corpora and run the tagger; these functions pair mentions and count.
``pair_te3`` is score_timeml.py's matching (per gold mention, an overlapping system mention, the
exact-span one preferred; a system mention may serve several gold mentions); ``pair_one_to_one``
is grade_meantime.py's (exact spans first, then largest overlap, each mention used once).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Timex:
    field: str
    start: int
    end: int
    text: str
    value: str | None
    type: str


@dataclass(slots=True)
class Counts:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for name in ("gold", "system", "strict", "relaxed", "value", "type"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)

    def prf(self, name: str) -> tuple[float, float, float]:
        hits = int(getattr(self, name))
        p = hits / self.system if self.system else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def summary(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {"gold": self.gold, "system": self.system}
        for name in ("strict", "relaxed", "value", "type"):
            p, r, f = self.prf(name)
            out[f"{name}_P"], out[f"{name}_R"], out[f"{name}_F1"] = round(p, 4), round(r, 4), round(f, 4)
        return out


def _overlaps(a: Timex, b: Timex) -> bool:
    return a.field == b.field and a.start < b.end and b.start < a.end


def _overlap(a: Timex, b: Timex) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start)) if a.field == b.field else 0


def _count(pairs: Iterable[tuple[Timex, Timex]], label: str, counts: Counts) -> None:
    for g, s in pairs:
        counts.relaxed += 1
        counts.strict += (s.start, s.end) == (g.start, g.end)
        counts.type += str(s.type) == str(g.type)
        if str(s.value) == str(g.value):
            counts.value += 1
        else:
            counts.errors.append(f"{label}: {g.text!r} want {g.value} got {s.value} ({s.text!r})")


def pair_te3(gold: Sequence[Timex], system: Sequence[Timex], label: str = "") -> Counts:
    counts = Counts(gold=len(gold), system=len(system))
    pairs = []
    for g in gold:
        best: Timex | None = None
        for s in system:
            if _overlaps(g, s) and (best is None or (s.start, s.end) == (g.start, g.end)):
                best = s
        if best is None:
            counts.errors.append(f"{label}: missed {g.text!r} ({g.type} {g.value})")
        else:
            pairs.append((g, best))
    _count(pairs, label, counts)
    counts.errors.extend(
        f"{label}: spurious {s.text!r} -> {s.type} {s.value}"
        for s in system
        if not any(_overlaps(g, s) for g in gold)
    )
    return counts


def pair_one_to_one(gold: Sequence[Timex], system: Sequence[Timex], label: str = "") -> Counts:
    counts = Counts(gold=len(gold), system=len(system))
    used_g: set[int] = set()
    used_s: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for gi, g in enumerate(gold):
        for si, s in enumerate(system):
            if si not in used_s and (s.field, s.start, s.end) == (g.field, g.start, g.end):
                pairs.append((gi, si))
                used_g.add(gi)
                used_s.add(si)
                break
    ranked = sorted(
        ((_overlap(g, s), gi, si) for gi, g in enumerate(gold) for si, s in enumerate(system)), reverse=True
    )
    for ov, gi, si in ranked:
        if ov > 0 and gi not in used_g and si not in used_s:
            pairs.append((gi, si))
            used_g.add(gi)
            used_s.add(si)
    _count(((gold[gi], system[si]) for gi, si in pairs), label, counts)
    counts.errors.extend(
        f"{label}: missed {g.text!r} ({g.type} {g.value})" for gi, g in enumerate(gold) if gi not in used_g
    )
    counts.errors.extend(
        f"{label}: spurious {s.text!r} -> {s.type} {s.value}"
        for si, s in enumerate(system)
        if si not in used_s
    )
    return counts


def occurrence_spans(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Spans of ``needle`` in ``haystack``: whitespace-insensitive, case-sensitive (as score_timeml.py)."""
    pattern = r"\s+".join(re.escape(token) for token in needle.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, haystack)] if pattern else []


class OffsetMap:
    """Offsets of a text we sent -> offsets in the text the parser returned (whitespace may change)."""

    def __init__(self, source: str, parsed: str) -> None:
        self.identity = source == parsed
        self.table: list[int | None] = []
        if self.identity:
            return
        table: list[int | None] = [None] * (len(source) + 1)
        src = [i for i, ch in enumerate(source) if not ch.isspace()]
        dst = [j for j, ch in enumerate(parsed) if not ch.isspace()]
        if [source[i] for i in src] == [parsed[j] for j in dst]:
            for i, j in zip(src, dst, strict=True):
                table[i] = j
        else:
            import difflib

            for a, b, n in difflib.SequenceMatcher(
                None, source, parsed, autojunk=False
            ).get_matching_blocks():
                for k in range(n):
                    table[a + k] = b + k
        self.table = table

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        if self.identity:
            return start, end
        if end <= start or end > len(self.table) - 1:
            return None
        s = next((self.table[i] for i in range(start, end) if self.table[i] is not None), None)
        e = next((self.table[i] for i in range(end - 1, start - 1, -1) if self.table[i] is not None), None)
        if s is None or e is None:
            return None
        return s, e + 1


# --------------------------------------------------------------------------- error classes

# An error line as _count and the pairings write it: the gold side, the system side, or both.
_MISSED = re.compile(r": missed (?P<text>'.*'|\".*\") \((?P<type>\w+) (?P<value>\S*)\)$")
_SPURIOUS = re.compile(r": spurious (?P<text>'.*'|\".*\") -> (?P<type>\w+) (?P<value>\S*)$")
_WRONG = re.compile(r": (?P<text>'.*'|\".*\") want (?P<want>\S*) got (?P<got>\S*) \((?P<sys>'.*'|\".*\")\)$")

_WEEKDAY = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTH = (
    r"jan(uary|\.)|feb(ruary|\.)|march|april|may|june|july|aug(ust|\.)|sept?(ember|\.)|oct(ober|\.)"
    r"|nov(ember|\.)|dec(ember|\.)"
)
# First match wins: the order puts the classes a reading of the errors settles first (a vague word
# before its unit, "last week" before durations, a weekday before a clock time).
ERROR_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("vague reference", r"_REF\b|\b(now|currently|current|recent(ly)?|soon|future|once|previously)\b"),
        ("last/this/next week", r"\bweek\b.*\b(\d{4}|XXXX)-W|\b(last|this|next|the) week\b"),
        ("weekday (with a part of the day)", rf"\b({_WEEKDAY})\b"),
        ("quarter, period, fiscal year", r"quarter|period|fiscal|-Q[\dX]\b|\bFY"),
        ("a year ago / earlier", r"\byear[- ](ago|earlier)\b"),
        ("set", r"^SET\b|\bSET\b|daily|weekly|hourly|monthly|annual|yearly|\bevery\b|\beach\b"),
        ("decade, century", r"decade|centur|millenn"),
        ("duration", r"\bDURATION\b|\bP(\d|X)"),
        (
            "clock time, part of the day",
            r"a\.m\.|p\.m|GMT|noon|midnight|night|morning|evening|afternoon|T\d\d",
        ),
        ("the/this/last/next year", r"\byear\b"),
        ("year, month, day", rf"\b\d{{4}}\b|\b({_MONTH})|\bday\b"),
    )
)


def error_class(error: str) -> tuple[str, str]:
    """(kind, class) of one error line: kind missed / spurious / wrong value; the class by the kind of
    expression, from the gold and system text, type and value (for the error-class census)."""
    for kind, pattern in (("missed", _MISSED), ("spurious", _SPURIOUS), ("wrong value", _WRONG)):
        m = pattern.search(error)
        if m is not None:
            described = " ".join(v for v in m.groupdict().values() if v)
            name = next((n for n, p in ERROR_CLASSES if p.search(described)), "other")
            return kind, name
    return "other", "other"


def class_census(errors: Iterable[str]) -> Counter[tuple[str, str]]:
    """Errors counted by (class, kind): the census a pass reads before choosing what to fix."""
    return Counter((name, kind) for kind, name in map(error_class, errors))
