"""Rule-based temporal tagger and TIMEX3 normaliser for English news text.

``extract_dates`` finds temporal expressions in one text field and resolves each against a
reference time (the publication date, or the ingestion time when there is none), after
HeidelTime's news rules, SUTime and ctparse:

* explicit dates ("September 4, 2025", "4 Sept.", "2025-09-04", "09/04/2025") -> ``YYYY-MM-DD``;
  a missing year comes from the reference, choosing the occurrence that fits the tense;
* months, years, decades, centuries, seasons, ISO weeks, relative expressions
  ("last week" -> ``2025-W35``, "two days ago"), weekdays resolved by tense;
* durations ("two days" -> ``P2D``, "for years" -> ``PXY``) and sets ("every week", "daily")
  are never turned into calendar dates; vague expressions ("now", "recently") get TIMEX3
  reference values (``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``);
* times ("at 3 p.m.", "1430 GMT") take the day of a nearby day mention, else the reference day.

Tense comes from cue words in a window around the expression, inside its clause (reported speech
stops at "that"). Without a cue, a bare weekday is the past one; a month or day without a year is
the publication year's when that is within about eight months, else the nearest; an
ingestion-time reference picks the past one, because the text was written at or before it.
Quarters, ranges ("June 19 to 21"), holidays and anchored shifts ("a year earlier", "later that
day", resolved from the date mentioned before them) follow TimeML's news conventions.

Pure and synchronous: no spaCy, no I/O, safe on arbitrary input.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from streamproc.models import DateMention, DateType, Span
from streamproc.models import FieldName as Field

__all__ = ["extract_dates"]

Tense = Literal["past", "future"] | None

# --------------------------------------------------------------------------- vocabulary

_MONTH_NUMBERS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# Month names are matched case-sensitively: lower-case "may", "march" are verbs.
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_ABBR_MONTH = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH = rf"(?:{_FULL_MONTH}|{_ABBR_MONTH})"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a": 1, "an": 1, "a dozen": 12, "a couple of": 2, "a couple": 2, "couple of": 2,
    "a pair of": 2, "a hundred": 100,
}  # fmt: skip
# Quantities without a definite number: TIMEX3 writes them as "X" ("PXY").
_VAGUE_QUANTITIES = (
    "a few", "few", "several", "many", "some", "dozens of", "hundreds of", "thousands of", "a number of",
)  # fmt: skip
_NUMBER_WORD_RE = "|".join(
    re.escape(w) for w in sorted([*_NUMBER_WORDS, *_VAGUE_QUANTITIES], key=len, reverse=True)
)
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_UNITS_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_NUM = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?i:half\s+an?|{_TENS}(?:-|\s+){_UNITS_WORD}(?!\w)|"
    rf"(?:{_NUMBER_WORD_RE})(?!\w)))"
)
_UNIT = (
    r"(?i:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?|century|centuries"
    r"|millennium|millennia)"
)
# TIMEX3 duration unit per unit stem; time units go after a "T".
_UNIT_CODES: tuple[tuple[str, str, bool], ...] = (
    ("sec", "S", True), ("min", "M", True), ("hour", "H", True), ("day", "D", False),
    ("week", "W", False), ("fortnight", "W", False), ("month", "M", False), ("year", "Y", False),
    ("decade", "DE", False), ("centur", "CE", False), ("millenn", "ML", False), ("quarter", "Q", False),
)  # fmt: skip
# Units of a length of time, with business quarters ("the past two quarters" P2Q); a singular
# "quarter" after a number is a fraction ("a quarter of the vote"), so only the plural counts.
_SPAN_UNIT = rf"(?:{_UNIT}|(?i:quarters))"
_TZ = r"(?:GMT|UTC|BST|CET|CEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT|local\s+time)"


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Tense cues. Proximity decides between conflicting cues ("said he would meet Friday").
_FUTURE_WORDS = _words(
    "will shall would should next upcoming tomorrow expected expects scheduled slated poised intends aims "
    "hopes expect"
)
_FUTURE_BEFORE_TO = _words("set plan plans planning planned going due")
# A forecast in the present passive is of what is to come: "snow is forecast from Friday night",
# "growth is projected at 2% next year" (unlike "the bank forecast on Monday that ...").
_FORECAST_PARTICIPLES = _words("forecast predicted projected")
_PRESENT_PASSIVE = _words("is are")
_PRESENT_PERFECT = _words("have has")
# Scheduling participles before "for": "the accession was planned for early March", "a hearing
# scheduled for Friday" look ahead though the verb is past.
_FUTURE_BEFORE_FOR = _words("planned scheduled slated set rescheduled due")
# After "due", words that make it a schedule ahead: "the data due on Friday", "due out next week".
_DUE_BEFORE = _words("on out by in back at next this")
_DUE_BEFORE_NAMES = _words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
# A present copula before "on" states when something is scheduled: "the vote is on Tuesday", "the
# final rounds are on Sunday" look ahead.
_FUTURE_BEFORE_ON = _words("is are")
# Words of a plan or schedule: after a past perfect ("had been due to", "had planned to") they tell
# a plan whose time is behind the story.
_SCHEDULING_WORDS = _FUTURE_BEFORE_TO | _FUTURE_BEFORE_FOR | _words("expected scheduled slated")
# Present-tense verbs that news uses for scheduled events ("the deal runs out on Tuesday", "the
# sale starts Friday"): they read as future for a day or weekday.
# A modal of chance before a base verb looks ahead ("could make his debut on Saturday", "might
# reopen on Monday"); not before "have" or "not" ("could have", "could not attend on Monday").
_CHANCE_MODALS = _words("could might")
_NOT_AFTER_A_CHANCE_MODAL = _words("have not never be")
_WORDS_BEFORE_A_PREPOSITION = _FUTURE_BEFORE_TO | _FUTURE_BEFORE_FOR | _FUTURE_BEFORE_ON | _CHANCE_MODALS
# The same scheduled events in the present progressive ("is arriving on Wednesday", "are meeting
# on Monday"): ahead, as the simple present is, after "is"/"are".
_PROGRESSIVE_FOR_FUTURE = _words(
    "arriving leaving visiting meeting opening reopening closing starting resuming hosting playing "
    "launching returning travelling traveling heading flying coming"
)
# Between a present progressive and a date, words that give the date to an event of its own: "is
# coming off a 3-1 loss on Saturday", "are heading into the week after a rally on Friday"
_EVENT_BEFORE_A_DATE = re.compile(r"(?i)\b(?:off|after|following)\b")


def _an_event_of_its_own(verb: re.Match[str], between: str) -> bool:
    return verb.group().lower() in _PROGRESSIVE_FOR_FUTURE and bool(_EVENT_BEFORE_A_DATE.search(between))


_IS_OR_ARE = _words("is are isn't aren't isn’t aren’t")
_BETWEEN_IS_AND_ING = _words("not now also still finally again already")
_PRESENT_FOR_FUTURE = _words(
    "runs expires expire starts begins opens closes ends meets resumes takes arrives leaves visits "
    "votes faces hosts plays reopens kicks launches goes lasts continues continue comes begin resume "
    "turns celebrates"  # a birthday or anniversary ahead: "she turns 110 on Tuesday"
)
# The same verbs with a plural subject ("voters go to the polls on Sunday"); only as a finite verb,
# not after "to", a determiner or a modal ("to close at $20", "the close of business Thursday").
_PRESENT_PLURAL_FOR_FUTURE = _words("go meet vote face start open close host play take return reopen")
_NOT_FINITE_BEFORE = _words("to the a an of at would could should might may must can did does do not")
# Before "hit", "put", "cut" (past and base alike) words that make them a base form.
_BASE_FORM_BEFORE = _words("to will shall would could should might may must can did does do")
# Before a weekday or date with no tense cue: "until Friday", "by Monday" point forward.
_FORWARD_PREPOSITIONS = _words("until till by before through")
# Irregular pasts with no -ed ("talks broke down on Wednesday night"); capitalised mid-sentence
# they are names ("the Fed", "Drew"), which _cue_at leaves without a tense.
_IRREGULAR_PASTS = _words(
    "broke chose drove flew grew threw wore woke stole froze rode sang swam drank ate forgot hid shook"
    " tore swore sold bought caught taught fought built spent lent meant heard kept slept felt dealt"
    " stood understood sat shot fed bled dug stuck hung swung sprang drew blew withdrew overtook"
)
_PAST_WORDS = _IRREGULAR_PASTS | _words(
    "said told was were had did last ago earlier previously already yesterday came went met saw "
    "made took gave held spoke left began won lost became fell rose sent got found ran wrote "
    "brought paid sought thought knew led fled struck hit put cut set"
)
# Words ending in -ed that are not past-tense verbs.
_NOT_PAST_ED = _words(
    "need needed indeed speed proceed exceed succeed seed feed bed red hundred shed breed "
    "united limited related advanced sophisticated interested concerned alleged armed organized "
    "organised based"
)

# Words after a 4-digit number that make it a quantity, not a year.
_MEASURE_NOUNS = _words(
    "people persons men women children troops soldiers residents votes percent dollars euros "
    "pounds yuan yen km kilometres kilometers miles metres meters feet foot tons tonnes barrels "
    "cases deaths dead killed units pages words points members employees jobs workers migrants "
    "refugees homes houses cars vehicles times hectares acres sq square kg kilograms pounds "
    "calories rounds shares seats"
)
_QUANTITY_BEFORE = _words(
    "about nearly some around approximately almost roughly than least over under only just"
)
_NOT_YEAR_BEFORE = _words(
    "no number flight route page room highway chapter article resolution code model version bus "
    "apartment unit lot interstate"
)
# Finite verbs after a month that is the subject: "May was the hottest month", "May saw ...".
_VERBS_AFTER_A_MONTH = _words("was is has had saw brought ended marked proved became remains remained")
# Nouns of a month's statistics after the month's name: "November sales", "the May jobs report".
_MONTHLY_FIGURES = _words(
    "sales figures data numbers statistics results payrolls payroll jobs employment unemployment "
    "inflation output production exports imports deliveries orders shipments retail trade consumer "
    "housing home auto car vehicle industrial factory manufacturing traffic earnings revenue revenues"
)
_YEAR_PLURALS = _words("elections games olympics midterms polls protests talks accords riots")
# Prepositions/modifiers that make a bare "May" (or any bare month) a month.
_MONTH_CONTEXT = _words(
    "in on since until till by of from last next this early late mid end beginning start during "
    "through before after between and to or"
)
_ABBREVIATIONS = _words(
    "mr mrs ms dr st gen sen rep gov lt col sgt jan feb mar apr jun jul aug sep sept oct nov "
    "dec no jr sr prof vs u.s u.n u.k e.g i.e"
)

_WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
# A comma between digits ("45,000 acres") or a colon in a clock time separates no clauses.
_CLAUSE_BREAK = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[;()\u2013\u2014]|--")
_CLAUSE_PENALTY = 4
# What may precede a time that opens its sentence: a quotation mark and a preposition.
_FRONTED_BEFORE = re.compile(r"[\"“‘'`]*\s*(?:(?i:in|on|by|during|at|early|late|)\s+)?")


# "by May", "until 9 a.m. Tuesday", "as early as next month": a deadline or earliest date ahead.
# Lower case only: a sentence opening "By Monday, officials had..." or "Until Thursday, police
# had..." narrates the past, as does "not until Tuesday".
_DEADLINE_BEFORE = re.compile(
    r"(?<!\bnot )\b(?:by|until|till|as\s+(?:soon|early)\s+as)\s+"
    r"(?:(?i:early|mid|late)[\s-]+|the\s+(?:end|middle|beginning|start)\s+of\s+)?"
    rf"(?:(?:\d{{1,2}}(?::\d\d)?\s*[ap]\.?m\.?|noon|midnight)\s+(?:{_TZ}\s+)?)?(?:on\s+)?$"
)
_FRAMING_YEAR = re.compile(
    r"[\"“]?(?:In|By|During)\s+(?:early\s+|late\s+|mid-)?(?P<y>\d{4})\b(?!\s*[-–]|\s+to\b)"
    # "The 2023 season was the worst on record, when ... between May and October"
    r"|[\"“]?The\s+(?P<of>\d{4})\s+(?:season|election|campaign|crisis|drought|outbreak|harvest|fire|flood|storm|strike|war|census)s?\b"
    r"|[\"“]?(?:(?:In|During)\s+)?(?P<last>Last)\s+year(?:['’]s)?\b(?![-'’])"
    # "Next year's regatta will take place on the third Sunday of October ... in June", "Last
    # year's winner crossed the line on December 28"
    r"|[\"“]?(?P<next>Next)\s+year['’]s\b"
)
# A contrast or a new clause after the framing year ends its reach.
# (A colon inside a clock time, "at 2:47am on December 28", is none.)
_FRAME_ENDS = re.compile(r";|(?<!\d):(?!\d)|,?\s+(?:but|while|whereas|although|though)\b")
# Before a participle, words that make it passive, perfect-infinitive or an adjective ("will be
# held", "will stay closed", "remains shut"), not a past tense; "was", "were", "had" are past cues
# of their own.
_DETERMINERS = _words("the its their his her our this")
# Verbs of a reporting clause after the reported one: "..., the department said on Friday".
_REPORTING_VERBS = _words("said says told announced added reported")
_PASSIVE_BEFORE = _words("be being been is are get gets getting stay stays staying remain remains remaining")
_QUOTE_MARK = re.compile(r"[\"“”]|``|''")
_HABITUAL_ADVERBS = _words("usually normally typically generally traditionally customarily")
_PAST_PERFECT = re.compile(r"\b(?:had|hadn't)\b", re.I)
# A noun of putting off before a deadline preposition: "a delay until September".
_PUT_OFF_UNTIL = re.compile(
    r"\b(?:delay|extension|postponement|adjournment|reprieve|moratorium|suspension)\s+(?:until|till|to)\s+"
    r"(?:(?i:early|mid|late)[\s-]+)?$"
)
# "had been pushed back to the third quarter", "was postponed until next month": the new date of
# something put off lies ahead, whatever the verb's tense.
_PUT_OFF_TO = re.compile(
    r"\b(?:postponed|delayed|deferred|rescheduled|pushed\s+back|put\s+off|moved\s+back)\s+(?:to|until|till)\s+"
    r"(?:the\s+|(?i:early|mid|late)[\s-]+)?$"
)
# "since Oct. 23", "ever since March", "since his arrest in August": the date is behind the time
# of writing, whatever the verb.
_SINCE_BEFORE = re.compile(
    r"\b(?i:since)\s+(?:(?i:the|his|her|their|its|our|a|an)\s+[A-Za-z-]+\s+(?:in|on)\s+)?"
    r"(?:(?:early|mid|late|the|end|middle|beginning|start|of|shortly|just|soon|after|around)[\s-]+){0,4}$"
)


@dataclass(frozen=True, slots=True)
class _Resolved:
    value: str | None
    granularity: str
    type: DateType


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    priority: int  # lower wins between equally long overlapping candidates
    resolved: _Resolved
    # TIME mentions without their own day take one from a nearby day mention: "HH:MM" here.
    clock: str | None = None
    # A range "June 19 to 21" is selected as one match and reported as its dates ("June 19", "21").
    parts: tuple[_Candidate, ...] = ()
    # "a year earlier": shifted from the previous date mention, at its granularity: (signed count,
    # unit, whether only a quarter in the same sentence may anchor it, as for "a year ago").
    shift: tuple[int, str, bool] | None = None
    # "the following year": the period after the anchor's, at the named unit ("1996", not a day).
    at_unit: bool = False
    # A clock time with its own day ("2pm tomorrow", "10 p.m. Friday"), not one taken from nearby.
    own_day: bool = False


# --------------------------------------------------------------------------- document context


class _Doc:
    """One text with its reference time, sentence bounds and tense lookup (English cues)."""

    word_re: re.Pattern[str] = _WORD_RE
    complementizers: frozenset[str] = frozenset({"that"})
    # After the expression these start another clause whose verb is not the date's: "walked out on
    # Monday and say they will stay out", "will vote on Wednesday after ministers agreed".
    coordinators: frozenset[str] = frozenset(
        {"and", "but", "after", "before", "when", "because", "while", "although", "though", "once", "unless"}
    )
    present_plural: frozenset[str] = _PRESENT_PLURAL_FOR_FUTURE
    # With no cue near the expression, a modal future earlier in its sentence sets the tense.
    modal_future: re.Pattern[str] | None = re.compile(r"(?i)\b(?:will|would|shall)\b|['’]ll\b")
    deadline_before: re.Pattern[str] | None = _DEADLINE_BEFORE
    since_before: re.Pattern[str] | None = _SINCE_BEFORE

    def __init__(self, text: str, reference: datetime, reference_is_publication: bool) -> None:
        self.text = text
        # An aware reference keeps its offset: its local day is the one relative dates mean.
        ref = reference.replace(tzinfo=UTC) if reference.tzinfo is None else reference
        self.ref = ref
        self.day = ref.date()
        self.is_publication = reference_is_publication

    @functools.cached_property
    def sentence_starts(self) -> list[int]:
        return _sentence_starts(self.text)  # lazily: texts without a mention needing context skip it

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        start = self.sentence_starts[i]
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        return start, end

    def prev_words(self, pos: int, n: int = 1) -> list[str]:
        """The last ``n`` words before ``pos`` in the same sentence, lower-cased, nearest last."""
        s0, _ = self.sentence(pos)
        words = self.word_re.findall(self.text, max(s0, pos - 120), pos)
        return [w.lower() for w in words[-n:]]

    def next_words(self, pos: int, n: int = 1) -> list[str]:
        _, s1 = self.sentence(max(pos - 1, 0))
        return self.word_re.findall(self.text, pos, min(s1, pos + 120))[:n]

    def char_before(self, pos: int) -> str:
        return self.text[pos - 1] if pos > 0 else ""

    def tense(self, start: int, end: int) -> Tense:
        """Tense of the clause around ``[start, end)``: the nearest cue word wins.

        Distance counts words; each clause break (comma, semicolon, dash, bracket) between the
        cue and the expression adds ``_CLAUSE_PENALTY``, so "floated in March, would allow"
        reads as past while "On Wednesday, officials said" still finds its verb. A deadline
        preposition right before the expression ("extended the offer until Friday", "repay the
        loan by February", "as soon as Tuesday") points forward whatever the verb's tense.
        """
        s0, s1 = self.sentence(start)
        if self._deadline_ahead(s0, start):
            return "future"
        if _PUT_OFF_UNTIL.search(self.text, max(s0, start - 40), start):
            # "had asked for a delay until September": a past perfect tells when the request was
            # made, not the time it asks for; the nearest such date is meant
            return None
        if _PUT_OFF_TO.search(self.text, max(s0, start - 50), start):
            return "future"
        if self.after_since(start):
            return "past"
        before = list(self.word_re.finditer(self.text, max(s0, start - 100), start))[-10:]
        after = list(self.word_re.finditer(self.text, end, min(s1, end + 80)))[:6]
        best: tuple[int, int, Tense] | None = None  # (distance, side: 0 before / 1 after, tense)
        for side, words in ((0, before[::-1]), (1, after)):
            for rank, match in enumerate(words, 1):
                if match.group().lower() in self.complementizers:
                    break  # reported speech: "told ... on Tuesday that they would" keeps "told"
                if side == 1 and match.group().lower() in self.coordinators:
                    break  # "walked out on Monday and say they will stay out": another clause
                if side == 1 and self._reporting_frame(s0, start, end, match):
                    break  # "will auction bonds on Thursday, the department said": the report's tense
                between = self.text[match.end() : start] if side == 0 else self.text[end : match.start()]
                if _QUOTE_MARK.search(between):
                    break  # '"Ask me in May," he said': a quotation keeps its own tense
                distance = rank + _CLAUSE_PENALTY * len(_CLAUSE_BREAK.findall(between))
                if best is not None and (distance, side) >= best[:2]:
                    continue
                cue = self._cue_at(match)
                if cue == "future" and side == 0 and _an_event_of_its_own(match, between):
                    continue  # "is coming off a loss on Saturday": the date is the loss's, behind
                if cue is not None:
                    best = (distance, side, cue)
        if best is None:
            fronted = self._fronted_tense(s0, s1, start, end)
            if fronted is not None:
                return fronted
        if best is None and self._modal_future_before(s0, s1, start):
            return "future"  # "would be free on New Year's Eve and return to normal on Friday"
        return best[2] if best else None

    @functools.cached_property
    def _first_modal_ends(self) -> dict[int, int | None]:
        return {}  # sentence start -> end of its first "will"/"would", filled as sentences are asked

    def _modal_future_before(self, s0: int, s1: int, start: int) -> bool:
        """A "will"/"would" between the sentence start ``s0`` and ``start``; each sentence is scanned
        once (a scan from its start for every date made a long sentence cost quadratic time)."""
        if self.modal_future is None:
            return False
        if s0 not in self._first_modal_ends:
            found = self.modal_future.search(self.text, s0, s1)
            self._first_modal_ends[s0] = found.end() if found else None
        first = self._first_modal_ends[s0]
        return first is not None and first <= start

    def _fronted_tense(self, s0: int, s1: int, start: int, end: int) -> Tense:
        """A time opening its sentence before a comma ("In January, a week after ..., a bombing in
        Birmingham killed") takes the main clause's tense however far its verb is."""
        if not _FRONTED_BEFORE.fullmatch(self.text, s0, start) or not self.text.startswith(",", end):
            return None
        # the first quote mark after the expression, found once: a search up to each word made a
        # long sentence quadratic ("la primera mitad del año fiscal, " repeated)
        quote = _QUOTE_MARK.search(self.text, end, s1)
        for match in self.word_re.finditer(self.text, end, s1):
            if quote is not None and quote.end() <= match.start():
                return None
            cue = self._cue_at(match)
            if cue is not None:
                return cue
        return None

    def _reporting_frame(self, s0: int, start: int, end: int, match: re.Match[str]) -> bool:
        """A reporting verb after a comma that follows the expression, in a sentence that does not
        open with the expression ("On Wednesday, officials said" keeps its verb)."""
        return (
            match.group().lower() in _REPORTING_VERBS
            and "," in self.text[end : match.start()]
            # four words are enough: counting every word from the sentence start made it quadratic
            and sum(1 for _ in itertools.islice(self.word_re.finditer(self.text, s0, start), 4)) >= 4
        )

    def framing_year(self, start: int) -> int | None:
        """ "In 2018, levels dropped ... in October": a year opening the sentence frames its months."""
        s0, _ = self.sentence(start)
        framed = _FRAMING_YEAR.match(self.text, s0, start)
        if framed is None or _FRAME_ENDS.search(self.text, framed.end(), start):
            return None  # "Last year it peaked in January, but this winter's ... by mid-December"
        # "Last year's winner will return in January": a thing of last year, not the frame of a
        # sentence about what is to come ("Last year's winner crossed the line on December 28" is)
        if framed["last"] and framed.group(0).endswith("s") and self.tense(start, start + 1) == "future":
            return None
        # "Last year admissions peaked in January": the year before the reference frames it too
        if framed["last"] or framed["next"]:
            return self.day.year + (1 if framed["next"] else -1)
        return int(framed["y"] or framed["of"])

    def after_since(self, start: int) -> bool:
        """ "since Oct. 23", "since his arrest in August": a date behind the time of writing."""
        s0, _ = self.sentence(start)
        return self.since_before is not None and bool(
            self.since_before.search(self.text, max(s0, start - 60), start)
        )

    def _deadline_ahead(self, s0: int, start: int) -> bool:
        """A deadline preposition right before ``start``, in a clause not in the past perfect
        ("had filed reports by Wednesday" is done)."""
        deadline = (
            None
            if self.deadline_before is None
            else self.deadline_before.search(self.text, max(s0, start - 40), start)
        )
        if deadline is None:
            return False
        clause = _CLAUSE_BREAK.split(self.text[max(s0, start - 100) : start])[-1]
        # "said the season had been cold and that frosts were likely to return by mid-January":
        # a reported clause has its own tense, the past perfect before its "that" is not its own
        words = list(self.word_re.finditer(clause))
        opened = [w.end() for w in words if w.group().lower() in self.complementizers]
        # "which usually fades by late April": what happens every year, no deadline; the adverb
        # next to its verb, not one of another ("The road that normally carries traffic to the
        # port is shut until March")
        preposition_at = deadline.start() - (start - len(clause))  # where it stands in ``clause``
        next_to_it = [w.group().lower() for w in words if w.end() <= preposition_at][-3:]
        if set(next_to_it) & _HABITUAL_ADVERBS:
            return False
        return not _PAST_PERFECT.search(clause, opened[-1] if opened else 0)

    def _cue_at(self, match: re.Match[str]) -> Tense:
        word, pos = match.group().lower(), match.start()
        # The next word matters only for "set/plan/... to": looked up for those alone.
        following = _next_word(match, self.text) if word in _WORDS_BEFORE_A_PREPOSITION else ""
        if word in _CHANCE_MODALS:
            following = _chance_modal_complement(match, self.text)
        if word == "next" and _next_word(match, self.text) in ("to", "door"):
            return None  # "a building next to the embassy": a place, no tense
        cue = self.cue(word, following)
        if cue == "future" and word in _PRESENT_FOR_FUTURE and self._after_past_perfect_to(pos):
            return None  # "had been due to expire Friday": the infinitive takes its governor's tense
        if cue == "future" and word in _SCHEDULING_WORDS and self._after_past_perfect(pos):
            # "had been due to expire Friday evening", "had been scheduled for Monday": a plan told
            # in the past perfect, whose time the story has already passed
            return "past"
        if word in _FORECAST_PARTICIPLES:
            previous = self.word_re.findall(self.text, max(0, pos - 20), pos)
            if previous and previous[-1].lower() in _PRESENT_PASSIVE:
                return "future"
        if cue == "past" and word == "last":
            previous = self.word_re.findall(self.text, max(0, pos - 20), pos)
            if previous and previous[-1].lower() in _DETERMINERS:
                return None  # "the last services leaving at 4:30 a.m. on Friday": an adjective, no tense
        capitalised = match.group()[:1].isupper()
        if cue == "past" and word in _IRREGULAR_PASTS and capitalised and self.sentence(pos)[0] != pos:
            return None  # "will parse Fed minutes", "will see Drew Barrymore": a name mid-sentence
        if cue == "past":
            previous = self.word_re.findall(self.text, max(0, pos - 20), pos)
            if previous and previous[-1].lower() in _PASSIVE_BEFORE:
                return None  # a passive participle ("will be held", "is reached"), not a past tense
            if _after_a_determiner(previous):
                # "on a still unspecified date", "its revised forecast": an adjective; "a rate
                # cut", "the left": a noun
                return None
            if previous and previous[-1] in _BASE_FORM_BEFORE:  # case kept: "Theresa May spoke"
                return None  # "is expected to hit on Thursday", "could cut rates": a base form, not a past
            if previous and previous[-1].lower() in _PRESENT_PERFECT:
                # English puts no definite past time in a present perfect: "have announced sailings
                # in early October" dates the sailings, not the announcement
                return None
        if cue is None and word in _PROGRESSIVE_FOR_FUTURE and self._after_is_or_are(pos):
            return "future"  # "the storm is arriving on Wednesday": a present progressive of a plan
        if cue is None and word in self.present_plural:
            previous = self.word_re.findall(self.text, max(0, pos - 20), pos)
            if previous and previous[-1].lower() not in _NOT_FINITE_BEFORE:
                return "future"
        return cue

    def cue(self, word: str, following: str) -> Tense:
        return _cue(word, following)

    def _after_is_or_are(self, pos: int) -> bool:
        """ "is arriving", "is not arriving", "isn't arriving", "are also meeting": "is"/"are" right
        before, or before one negation or adverb."""
        previous = [w.lower() for w in self.word_re.findall(self.text, max(0, pos - 30), pos)[-2:]]
        if previous[-1:] and previous[-1] in _IS_OR_ARE:
            return True
        return len(previous) == 2 and previous[0] in _IS_OR_ARE and previous[1] in _BETWEEN_IS_AND_ING

    def _after_past_perfect_to(self, pos: int) -> bool:
        previous = [w.lower() for w in self.word_re.findall(self.text, max(0, pos - 40), pos)[-4:]]
        return previous[-1:] == ["to"] and "had" in previous[:-1]

    def _after_past_perfect(self, pos: int) -> bool:
        previous = [w.lower() for w in self.word_re.findall(self.text, max(0, pos - 30), pos)[-2:]]
        return previous[-1:] == ["had"] or previous == ["had", "been"]

    def default_direction(self, tense: Tense) -> Literal["past", "future", "closest"]:
        if tense is not None:
            return tense
        return "closest" if self.is_publication else "past"


# Before an -ed word, the words that make it an adjective in a noun phrase: an article or a
# possessive, with at most one adverb between ("a still unspecified date", "the newly revised plan").
_ADJECTIVE_DETERMINERS = _DETERMINERS | _words("a an these those")


def _after_a_determiner(previous: list[str]) -> bool:
    words = [w.lower() for w in previous[-2:]]
    if words and words[-1] in _ADJECTIVE_DETERMINERS:
        return True
    adverb = len(words) == 2 and (words[1].endswith("ly") or words[1] == "still")
    return adverb and words[0] in _ADJECTIVE_DETERMINERS


def _next_word(m: re.Match[str], text: str) -> str:
    """The (lower-cased) word after a word match, for two-word cues like "set to"."""
    nxt = _WORD_RE.search(text, m.end(), min(len(text), m.end() + 30))
    return nxt.group().lower() if nxt else ""


def _chance_modal_complement(m: re.Match[str], text: str) -> str:
    """The word after "could"/"might" that tells its tense, past one adverb: "have" in "could well
    have died", "could also have been" (a past), else the next word ("could make his debut")."""
    words = [w.group().lower() for w in _WORD_RE.finditer(text, m.end(), min(len(text), m.end() + 40))][:2]
    return next((w for w in words if w in _NOT_AFTER_A_CHANCE_MODAL), words[0] if words else "")


def _cue(word: str, following: str) -> Tense:
    if word in _FUTURE_WORDS or word.endswith(("'ll", "’ll")):
        return "future"
    if (
        (word in _FUTURE_BEFORE_TO and following == "to")
        or (word in _FUTURE_BEFORE_FOR and following == "for")
        or (word in _FUTURE_BEFORE_ON and following == "on")
    ):
        return "future"
    if word in _CHANCE_MODALS and following and following not in _NOT_AFTER_A_CHANCE_MODAL:
        return "future"
    if word == "due" and (following in _DUE_BEFORE or following.capitalize() in _DUE_BEFORE_NAMES):
        return "future"  # "the report due on Friday", "figures due out Thursday", "due Nov. 3"
    if word in _PAST_WORDS:
        return "past"
    if word in _PRESENT_FOR_FUTURE:
        return "future"
    if len(word) >= 5 and word.endswith("ed") and word not in _NOT_PAST_ED:
        return "past"
    return None


_SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’')]))\s+(?=[\"“‘(]?[A-Z])|\n+")


# A break starts at whitespace one or two characters after a [.!?], or at a newline: only there
# is _SENTENCE_BREAK tried (its lookbehinds made a full scan cost as much as the rules did).
_BREAK_CUE = re.compile(r"[.!?\n]")


def _break_positions(text: str) -> list[int]:
    positions: set[int] = set()
    for m in _BREAK_CUE.finditer(text):
        i = m.start()
        positions.update((i,) if text[i] == "\n" else (i + 1, i + 2))
    return sorted(positions)


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for m in _finditer_at(_SENTENCE_BREAK, text, _break_positions(text)):
        if m.group().startswith("\n") or not (
            _ends_with_abbreviation(text, m.start()) or _clock_before_day(text, m.start(), m.end())
        ):
            starts.append(m.end())
    return starts


# A day or a time zone after "p.m." ("10 p.m. Friday", "2 p.m. ET on Wednesday", "6 a.m. Pacific time")
_DAY_AFTER_CLOCK = re.compile(
    rf"(?:{_WEEKDAY}|{_MONTH}|{_TZ}|(?:Eastern|Central|Mountain|Pacific)\s+[Tt]ime)\b"
)


def _clock_before_day(text: str, pos: int, next_start: int) -> bool:
    """ "10 p.m. Friday", "2 p.m. ET": the period of "p.m." before a weekday, month or time zone
    does not end the sentence."""
    return text[max(0, pos - 4) : pos].lower().endswith(("a.m.", "p.m.")) and bool(
        _DAY_AFTER_CLOCK.match(text, next_start)
    )


def _ends_with_abbreviation(text: str, pos: int) -> bool:
    tail = re.search(r"([A-Za-z][A-Za-z.]*)\.[\"”’')]*$", text[max(0, pos - 12) : pos])
    return tail is not None and tail.group(1).lower() in _ABBREVIATIONS


# --------------------------------------------------------------------------- value helpers


def _iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


# A tense cue or the publication year picks a month or day only within about eight months of the
# reference: "set sentencing for June 4" (past verb, March article) is this June, "November 11" in
# a November 5 article is this November whatever the verb (the nearest).
_ANCHOR_REACH_DAYS = 243


def _pick_year(
    candidates: list[date], ref: date, tense: Tense, is_publication: bool, reach: int = _ANCHOR_REACH_DAYS
) -> date:
    """The occurrence of a month or day without a year that the sentence means.

    A month named with a tense follows it up to a year away ("will start in January" in March);
    a day only within ``_ANCHOR_REACH_DAYS``, where a past verb of scheduling misleads more often.
    """
    if tense is None and not is_publication:
        past = [d for d in candidates if d <= ref]  # an ingestion time: the text was written before it
        if past:
            return max(past)
    if tense is not None:
        fitting = [d for d in candidates if (d <= ref if tense == "past" else d >= ref)]
        if fitting:
            nearest = min(fitting, key=lambda d: abs((d - ref).days))
            if abs((nearest - ref).days) <= reach:
                return nearest
    else:
        # Without a tense an earlier date of the publication year ("Aug. 6" in a December story)
        # beats a nearer one next year; a later one only when it is the nearest: news reports
        # more than it announces ("Thanksgiving Day" in an April story is last November's).
        same_year = [d for d in candidates if d.year == ref.year and d <= ref]
        if same_year and (ref - same_year[0]).days <= _ANCHOR_REACH_DAYS:
            return same_year[0]
    return min(candidates, key=lambda d: (abs((d - ref).days), d > ref))


def _parse_number(raw: str) -> float | None:
    """A quantity as a number, or None when vague ("several", "a few")."""
    word = re.sub(r"\s+", " ", raw.strip().lower())
    if word in _VAGUE_QUANTITIES:
        return None
    if word.startswith("half"):
        return 0.5
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    if "-" in word or " " in word:  # "twenty-four", "twenty four"
        tens, _, units = word.replace("-", " ").partition(" ")
        return float(_NUMBER_WORDS[tens] + _NUMBER_WORDS[units])
    return float(word.replace(",", ""))


def _format_number(n: float | None) -> str:
    if n is None:
        return "X"
    return str(int(n)) if n == int(n) else f"{n:g}"


def _unit_code(unit: str) -> tuple[str, bool, int]:
    """(TIMEX3 unit, is a time unit, multiplier) for a unit word."""
    u = unit.lower()
    for stem, code, is_time in _UNIT_CODES:
        if u.startswith(stem):
            return code, is_time, 2 if stem == "fortnight" else 1
    raise ValueError(f"not a time unit: {unit!r}")


def _duration_value(number: float | None, unit: str) -> str:
    code, is_time, multiplier = _unit_code(unit)
    if code == "DE":  # TimeML writes decades in years: "a decade" is P10Y
        code, multiplier = "Y", 10
    if is_time and number is not None and code in _SMALLER_TIME_UNIT and number != int(number):
        return _mixed_time_duration(number, code)
    quantity = _format_number(None if number is None else number * multiplier)
    return f"PT{quantity}{code}" if is_time else f"P{quantity}{code}"


# A fraction of an hour or a minute is written in the next unit down, as TimeML and the written
# gold do ("5 1/2 hours" PT5H30M, "a minute and a half" PT1M30S, "half an hour" PT30M, like "una
# hora y media" PT1H30M); calendar units keep the decimal ("2 1/2 years" P2.5Y, as MEANTIME writes).
_SMALLER_TIME_UNIT = {"H": ("M", 60), "M": ("S", 60)}


def _mixed_time_duration(number: float, code: str) -> str:
    """ "PT5H30M" for 5.5 hours; a remainder that is no whole number of the smaller unit keeps the
    decimal ("PT0.3H" stays)."""
    smaller, per = _SMALLER_TIME_UNIT[code]
    whole = int(number)
    rest = (number - whole) * per
    if abs(rest - round(rest)) > 1e-9:
        return f"PT{_format_number(number)}{code}"
    return f"PT{f'{whole}{code}' if whole else ''}{round(rest)}{smaller}"


def _shifted(doc: _Doc, number: float, unit: str, sign: int) -> _Resolved:
    """The date ``number`` units before (sign -1) or after (+1) the reference, at the unit's granularity."""
    code, is_time, multiplier = _unit_code(unit)
    n = number * multiplier * sign
    if is_time:
        seconds = {"H": 3600, "M": 60, "S": 1}[code] * n
        moment = doc.ref + timedelta(seconds=seconds)
        return _Resolved(moment.strftime("%Y-%m-%dT%H:%M"), "time", "TIME")
    whole = int(n)
    if whole != n:
        raise ValueError("fractional calendar shift")
    if code == "D":
        return _Resolved((doc.day + timedelta(days=whole)).isoformat(), "day", "DATE")
    if code == "W":
        return _Resolved(_iso_week(doc.day + timedelta(weeks=whole)), "week", "DATE")
    if code == "M":
        y, m = _add_months(doc.day.year, doc.day.month, whole)
        _check_year(y)
        return _Resolved(f"{y:04d}-{m:02d}", "month", "DATE")
    if code == "Q":
        return _Resolved(_quarter_shift(doc.day, whole), "quarter", "DATE")
    years = {"Y": 1, "DE": 10, "CE": 100, "ML": 1000}[code] * whole
    y = doc.day.year + years
    _check_year(y)
    if code == "Y":
        return _Resolved(f"{y:04d}", "year", "DATE")
    if code == "DE":
        return _Resolved(f"{y // 10:03d}", "decade", "DATE")
    return _Resolved(f"{y // 100:02d}", "century", "DATE")


def _fractional_shift(doc: _Doc, number: float, unit: str, sign: int) -> _Resolved | None:
    """ "two and a half weeks ago", "hace dos años y medio", "in 1.5 years": a fractional count of
    calendar units before (sign -1) or after (+1) the reference, counted in the next unit down and
    dated at the unit's own granularity (a month, a week); a day and a half back is the day before."""
    code = _unit_code(unit)[0]
    if code == "Y":
        return _shifted(doc, round(number * 12), "months", sign)
    if code == "M":
        moved = doc.day + timedelta(days=sign * round(number * 30.44))
        return _Resolved(f"{moved.year:04d}-{moved.month:02d}", "month", "DATE")
    if code == "W":
        return _Resolved(_iso_week(doc.day + timedelta(days=sign * round(number * 7))), "week", "DATE")
    if code == "D":
        return _shifted(doc, int(number), unit, sign)
    return None  # decades and longer: rare, and a half of one is a vague span


def _check_year(year: int) -> None:
    if not 1 <= year <= 9999:
        raise ValueError(f"year out of range: {year}")


# --------------------------------------------------------------------------- rules

_RuleFn = Callable[[re.Match[str], _Doc], _Resolved | _Candidate | None]


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: _RuleFn
    # Lower-cased tokens a match can begin with (see _rules_starting_with); _DIGIT stands for any
    # token whose first character is a digit, "'" for an apostrophe (straight or curly).
    starts: frozenset[str]


_RULES: list[_Rule] = []
_DIGIT = "0"


def _rule(pattern: str, flags: int = 0, *, starts: Iterable[str]) -> Callable[[_RuleFn], _RuleFn]:
    def register(fn: _RuleFn) -> _RuleFn:
        _RULES.append(_Rule(fn.__name__, re.compile(pattern, flags), fn, frozenset(starts)))
        return fn

    return register


def _first_words(*phrases: str) -> set[str]:
    """The token each phrase starts with, as _TOKEN_RE splits it ("valentine's" -> "valentine")."""
    return {re.split(r"[\s'’-]", p, maxsplit=1)[0].lower() for p in phrases}


def _after_the(*keys: str) -> set[str]:
    """Start specs for "the" followed by one of ``keys`` as the next token ("the" is too common alone)."""
    return {f"the {key}" for key in keys}


# Every match of a rule starts at a token (a run of word characters, or an apostrophe for "'90s")
# whose lower-cased form is in the rule's ``starts``: each pattern opens with \b or a lookbehind
# excluding word characters, then one of those words as a whole run. So the driver runs each
# pattern only at those token starts instead of scanning every character: on news text the
# rules' alternations of dozens of words tried at each position were ~90% of the tagger's time.
_MONTH_WORDS = {*_MONTH_NUMBERS}
_WEEKDAY_WORDS = {*_WEEKDAYS, *(w + "s" for w in _WEEKDAYS)}
_NUM_STARTS = {_DIGIT, "half", *_first_words(*_NUMBER_WORDS, *_VAGUE_QUANTITIES)}
_APPROX_STARTS = _words("nearly almost about around roughly approximately more less at up")


_BOUNDARY_BEFORE = r"(?<![\w$€£.,/:#-])"
_BOUNDARY_AFTER = r"(?![\w/]|[.,]\d)"


def _day_value(
    doc: _Doc, month: int, day: int, year: int | None, start: int, end: int, weekday: str | None = None
) -> _Resolved:
    year = year if year is not None else doc.framing_year(start)
    if year is not None:
        return _Resolved(date(year, month, day).isoformat(), "day", "DATE")
    candidates = []
    for y in (doc.day.year - 1, doc.day.year, doc.day.year + 1):
        try:
            candidates.append(date(y, month, day))
        except ValueError:  # February 29 outside leap years
            continue
    if weekday is not None:  # "Friday, Oct. 23": the year whose Oct. 23 is a Friday, if one is near
        named = _WEEKDAYS.index(weekday.lower())
        candidates = [d for d in candidates if d.weekday() == named] or candidates
    if not candidates:
        raise ValueError("no such day")
    # "since March 3", "the year ended Jan. 31": settled as past up to a year back
    settled = doc.after_since(start) or doc.prev_words(start, 1) == ["ended"]
    reach = 366 if settled else _ANCHOR_REACH_DAYS
    chosen = _pick_year(candidates, doc.day, doc.tense(start, end), doc.is_publication, reach)
    return _Resolved(chosen.isoformat(), "day", "DATE")


@_rule(
    _BOUNDARY_BEFORE + r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:T(?P<hh>\d{2}):(?P<mm>\d{2}))?(?![\w-])",
    starts={_DIGIT},
)
def _iso_date(m: re.Match[str], doc: _Doc) -> _Resolved:
    day = date(int(m["y"]), int(m["m"]), int(m["d"]))
    if m["hh"] is not None:
        if int(m["hh"]) > 23 or int(m["mm"]) > 59:
            raise ValueError("bad clock")
        return _Resolved(f"{day.isoformat()}T{m['hh']}:{m['mm']}", "time", "TIME")
    return _Resolved(day.isoformat(), "day", "DATE")


@_rule(_BOUNDARY_BEFORE + r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\w/])", starts={_DIGIT})
def _slash_date(m: re.Match[str], doc: _Doc) -> _Resolved:
    a, b = int(m["a"]), int(m["b"])
    year = int(m["y"]) if len(m["y"]) == 4 else 2000 + int(m["y"])
    month, day = (a, b) if a <= 12 else (b, a)  # US order unless the first part cannot be a month
    return _Resolved(date(year, month, day).isoformat(), "day", "DATE")


@_rule(
    rf"\b(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<month>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d|:\d)"
    rf"(?:,?\s+(?P<y>\d{{4}})(?![\w%])|\s+(?P<yrel>(?i:last|this|next))\s+(?i:year)(?![\w'’]))?\b",
    starts=_MONTH_WORDS | {*_WEEKDAYS},
)
def _month_day(m: re.Match[str], doc: _Doc) -> _Resolved:
    month = _MONTH_NUMBERS[m["month"].rstrip(".").lower()]
    year = int(m["y"]) if m["y"] else None
    if m["yrel"]:  # "on May 30 next year": one expression, as "June last year" is
        year = doc.day.year + {"last": -1, "this": 0, "next": 1}[m["yrel"].lower()]
    return _day_value(doc, month, int(m["d"]), year, m.start(), m.end(), m["wd"])


@_rule(
    rf"\b(?P<month>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?P<sep>\s*(?:-|\u2013|to|through|and|or)\s*)"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:%])(?:,?\s+(?P<y>\d{{4}})(?![\w%]))?\b",
    starts=_MONTH_WORDS,
)
def _day_range(m: re.Match[str], doc: _Doc) -> _Candidate:
    """ "June 19 to 21", "March 3-5, 2026": two dates, as TimeML tags them."""
    month = _MONTH_NUMBERS[m["month"].rstrip(".").lower()]
    year = int(m["y"]) if m["y"] else None
    first = _day_value(doc, month, int(m["d"]), year, m.start(), m.end())
    last = date.fromisoformat(first.value or "").replace(day=int(m["d2"]))
    if last <= date.fromisoformat(first.value or ""):
        raise ValueError("not a range")
    head_end = m.start("sep")
    tail_end = m.end("y") if m["y"] else m.end("d2")
    parts = (
        _Candidate(m.start(), head_end, 0, first),
        _Candidate(m.start("d2"), tail_end, 0, _Resolved(last.isoformat(), "day", "DATE")),
    )
    return _Candidate(m.start(), m.end(), 0, first, parts=parts)


@_rule(
    # "Friday 1 January", "Tuesday the 5th of January": the weekday is part of the date (and picks its year)
    rf"(?:\b(?P<wd>{_WEEKDAY}),?\s+(?:the\s+)?)?"
    r"(?<![\w$.,])(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?P<month>{_MONTH})(?![\w])(?:,?\s+(?P<y>\d{{4}})(?![\w%]))?",
    starts={_DIGIT, *_WEEKDAYS},
)
def _day_month(m: re.Match[str], doc: _Doc) -> _Resolved:
    month = _MONTH_NUMBERS[m["month"].rstrip(".").lower()]
    year = int(m["y"]) if m["y"] else None
    return _day_value(doc, month, int(m["d"]), year, m.start(), m.end(), m["wd"])


_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
_NTH_WORDS = {*_NTH, "1st", "2nd", "3rd", "4th", "5th"}


@_rule(
    r"\b(?:(?i:the)\s+)?(?P<n>(?i:first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th))\s+"
    rf"(?P<wd>{_WEEKDAY})\s+(?i:of|in)\s+(?P<month>{_FULL_MONTH})(?:,?\s+(?P<y>\d{{4}})(?![\w%]))?\b",
    starts=_NTH_WORDS | _after_the(*_NTH_WORDS),
)
def _nth_weekday_of_month(m: re.Match[str], doc: _Doc) -> _Resolved:
    """ "the third Tuesday of May": that calendar day, its year chosen as for a month-day; in a
    future sentence a later day than the reference's own (written that day it would say "today")."""
    n = _NTH[m["n"].lower()] if m["n"][0].isalpha() else int(m["n"][0])
    month = _MONTH_NUMBERS[m["month"].lower()]
    weekday = _WEEKDAYS.index(m["wd"].lower())
    year = int(m["y"]) if m["y"] else doc.framing_year(m.start())
    years = [year] if year is not None else [doc.day.year - 1, doc.day.year, doc.day.year + 1]
    candidates = [d for d in (_nth_weekday(y, month, weekday, n) for y in years) if d.month == month]
    tense = doc.tense(m.start(), m.end())
    if year is None and tense == "future":
        candidates = [d for d in candidates if d != doc.day]
    if not candidates:
        raise ValueError("no such day")  # a fifth Monday the month lacks
    if year is not None:
        return _Resolved(candidates[0].isoformat(), "day", "DATE")
    reach = 366 if tense == "future" and _plain_future_before(doc, m.start()) else _ANCHOR_REACH_DAYS
    chosen = _pick_year(candidates, doc.day, tense, doc.is_publication, reach)
    return _Resolved(chosen.isoformat(), "day", "DATE")


@_rule(
    rf"\b(?:(?i:early|mid|late)[\s-]+|the\s+(?:end|beginning|start|middle)\s+of\s+)?(?P<month>{_MONTH}),?\s+"
    rf"(?P<y>\d{{4}})(?![\w%])",
    starts={"early", "mid", "late", *_MONTH_WORDS} | _after_the("end", "beginning", "start", "middle"),
)
def _month_year(m: re.Match[str], doc: _Doc) -> _Resolved:
    month = _MONTH_NUMBERS[m["month"].rstrip(".").lower()]
    return _Resolved(f"{int(m['y']):04d}-{month:02d}", "month", "DATE")


@_rule(
    r"\b(?P<rel>(?i:last|next|this)\s+)?"
    r"(?P<mod>(?i:early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)"
    rf"[\s-]+)?(?P<month>{_FULL_MONTH})\b(?!-)(?:\s+(?P<yrel>(?i:last|this|next))\s+(?i:year)\b)?",
    starts=_words("last next this early mid late")
    | _after_the("end", "beginning", "start", "middle")
    | _MONTH_WORDS,
)
def _bare_month(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    name = m["month"]
    following = doc.next_words(m.end(), 1)
    if following and following[0][:1].isupper() and doc.text[m.end() : m.end() + 1] == " ":
        return None  # a name: "April Ryan", "June Carter" (not "In January, Immigration officials")
    previous = [m["rel"].strip().lower()] if m["rel"] else doc.prev_words(m.start(), 1)
    before = doc.text[max(0, m.start() - 40) : m.start()]
    prev_is_capitalised_word = bool(re.search(r"[A-Z][a-z]+\s+$", before)) and not re.search(
        r"[.!?]\s+[A-Z][a-z]+\s+$", before
    )
    has_context = m["mod"] is not None or (bool(previous) and previous[0] in _MONTH_CONTEXT)
    if previous == ["the"] and following and following[0].islower():
        has_context = True  # "the May jobs report", "the March tallies": a month before its noun
    if name == "May" and not has_context and following and following[0].lower() in _VERBS_AFTER_A_MONTH:
        # "May was the hottest on record", "May saw record sales": a month as subject, not the modal
        # (whose verb is a base form) nor a surname ("Theresa May was", "Mrs. May said")
        has_context = not prev_is_capitalised_word and not re.search(r"\b(?:Mrs?|Ms|Dr)\.\s+$", before)
    if name == "May" and not has_context:
        return None  # "May" the modal verb or a surname
    if not has_context and prev_is_capitalised_word:
        return None  # "Theresa May", "Pope ... June"
    month = _MONTH_NUMBERS[name.lower()]
    if m["yrel"]:  # "in June last year", "March next year": one expression, as TimeML tags it
        year = doc.day.year + {"last": -1, "this": 0, "next": 1}[m["yrel"].lower()]
        return _Resolved(f"{year:04d}-{month:02d}", "month", "DATE")
    if previous and previous[0] == "this":
        return _Resolved(f"{doc.day.year:04d}-{month:02d}", "month", "DATE")
    if previous and previous[0] in ("last", "next"):  # the nearest such month before / after this one
        step = -1 if previous[0] == "last" else 1
        year = doc.day.year + (step if (month - doc.day.month) * step <= 0 else 0)
        return _Resolved(f"{year:04d}-{month:02d}", "month", "DATE")
    framing = doc.framing_year(m.start())
    if framing is not None:
        return _Resolved(f"{framing:04d}-{month:02d}", "month", "DATE")
    candidates = [date(*_add_months(doc.day.year, month, 12 * k), 1) for k in (-1, 0, 1)]
    latest = max(c for c in candidates if c <= doc.day)
    recent = (doc.day.year - latest.year) * 12 + doc.day.month - latest.month <= 2
    if recent and following and following[0].lower() in _MONTHLY_FIGURES and doc.text[m.end()] == " ":
        # "will report its November sales on Wednesday", "the October jobs report due Friday": a
        # month's figures come out after it, so a month just ended is that one, whatever the tense
        # ("expects December sales to rise", said in October, still looks ahead)
        return _Resolved(f"{latest.year:04d}-{latest.month:02d}", "month", "DATE")
    tense = doc.tense(m.start(), m.end())
    if tense == "past" and month == doc.day.month and doc.day.day <= 10:
        # the month has barely begun: "snow closed the airport in mid-December" (Dec. 2) is last year's
        candidates = [c for c in candidates if c.year != doc.day.year]
    chosen = _pick_year(candidates, doc.day.replace(day=1), tense, doc.is_publication, reach=366)
    return _Resolved(f"{chosen.year:04d}-{chosen.month:02d}", "month", "DATE")


@_rule(
    r"\b(?P<edge>(?i:early|late)\s+)?(?P<mod>(?i:last|next|this|coming|past|previous|preceding|following)\s+)?(?P<wd>"
    + _WEEKDAY
    + r")(?P<plural>s)?\b"
    r"(?:\s+(?P<pod>morning|afternoon|evening|night)(?P<pods>s)?)?",
    starts={
        "early",
        "late",
        "last",
        "next",
        "this",
        "coming",
        "past",
        "previous",
        "preceding",
        "following",
        *_WEEKDAY_WORDS,
    },
)
def _weekday(m: re.Match[str], doc: _Doc) -> _Resolved | _Candidate | None:
    named = _NAMED_DAY_BEFORE.search(doc.text, max(0, m.start() - 12), m.start())
    if named and not m["edge"] and not m["mod"]:
        return None  # "Black Friday sales", "the crash of Black Monday", "Super Tuesday": a named day
    wd = _WEEKDAYS.index(m["wd"].lower())
    shared = None if m["pod"] or m["plural"] else _SHARED_PLURAL_PART.match(doc.text, m.end())
    if m["plural"] or m["pods"] or shared:
        # "on Tuesdays", "on Tuesday nights", "Monday and Tuesday nights": every such day (or that
        # part of it), a set
        pod = m["pod"] or (shared["pod"] if shared else None)
        part = f"T{_PART_OF_DAY[pod]}" if pod else ""
        return _Resolved(f"XXXX-WXX-{wd + 1}{part}", "set", "SET")
    mod = (m["mod"] or "").strip().lower()
    offset_back = (doc.day.weekday() - wd) % 7
    offset_fwd = (wd - doc.day.weekday()) % 7
    if mod in ("previous", "preceding", "following") and not m["pod"]:
        # "down 4.5% from the previous Friday", "the following Monday": the weekday before (after)
        # the day the story last named, the publication day's when it named none
        step = 1 if mod == "following" else -1
        day = doc.day + timedelta(days=offset_fwd or 7 if step == 1 else -(offset_back or 7))
        resolved = _Resolved(day.isoformat(), "day", "DATE")
        return _Candidate(m.start(), m.end(), 0, resolved, shift=(step, m["wd"], False))
    if mod in ("last", "past", "previous", "preceding"):
        delta = -(offset_back or 7)
    elif mod in ("next", "coming", "following"):
        delta = offset_fwd or 7
    elif mod == "this":
        delta = wd - doc.day.weekday()
    elif doc.text[m.end() : m.end() + 2] in ("'s", "’s"):
        # "Wednesday's ruling", "before Friday's vote": an event already known, unless announced
        # ("ahead of Saturday's final", "Sunday's upcoming vote" is rarer than "upcoming").
        ahead = doc.prev_words(m.start(), 2) in (
            ["ahead", "of"],
            ["before", "upcoming"],
            ["going", "into"],
            ["heading", "into"],
        ) or doc.prev_words(m.start(), 1) == ["upcoming"]
        # "will face her on Thursday for a place in Saturday's final": a future clause looks ahead
        # "will face her on Thursday for a place in Saturday's final": a scheduled event in a plain
        # future clause is ahead (not "will try to overturn Tuesday's ruling", nor "would get around")
        scheduled = _event_noun(doc.next_words(m.end() + 2, 4)) in _SCHEDULED_EVENTS
        booked = doc.prev_words(m.start(), 1) == ["for"]  # "registered for Sunday's marathon"
        ahead = ahead or (scheduled and (booked or _plain_future_before(doc, m.start())))
        delta = offset_fwd if ahead else -offset_back
    else:
        delta = -offset_back if _weekday_direction(doc, m.start(), m.end()) == "past" else offset_fwd
    day = doc.day + timedelta(days=delta)
    if m["pod"]:
        return _Resolved(f"{day.isoformat()}T{_PART_OF_DAY[m['pod']]}", "time", "TIME")
    return _Resolved(day.isoformat(), "day", "DATE")


# "Monday and Tuesday nights": the first weekday shares the plural part of the day after it.
_SHARED_PLURAL_PART = re.compile(rf"\s+(?:and|or)\s+{_WEEKDAY}\s+(?P<pod>morning|afternoon|evening|night)s\b")


# Capitalised words that make the weekday after them a named day rather than a date of this week.
_NAMED_DAY_BEFORE = re.compile(
    r"\b(?:Black|Cyber|Super|Bloody|Blue|Ash|Holy|Maundy|Good|Easter|Whit|Fat|Shrove|Palm)\s+$"
)


_SCHEDULED_EVENTS = _words(
    "final finals semifinal match game race election vote summit meeting talks hearing debate launch "
    "ceremony opening session derby opener showdown kickoff deadline marathon parade festival"
)


def _event_noun(words: list[str]) -> str:
    """The noun a possessive weekday qualifies, past a name: "Sunday's New York City Marathon"."""
    for word in words:
        if not word[:1].isupper() or word.lower() in _SCHEDULED_EVENTS:
            return word.lower()
    return ""


_PLAIN_FUTURE = re.compile(r"(?i)\b(?:will|shall)\b|['’]ll\b")


def _plain_future_before(doc: _Doc, start: int) -> bool:
    s0, _ = doc.sentence(start)
    return bool(_PLAIN_FUTURE.search(doc.text, max(s0, start - 120), start))


def _weekday_direction(doc: _Doc, start: int, end: int) -> Literal["past", "future"]:
    """A bare weekday is in the past unless a cue says future: news mostly reports what happened.

    "until Friday", "by Monday" with no verb cue point forward.
    """
    tense = doc.tense(start, end)
    if tense is not None:
        return tense
    previous = doc.prev_words(start, 2)
    if previous and previous[-1] == "on" and len(previous) > 1:
        previous = previous[:-1]
    if previous and previous[-1] in _FORWARD_PREPOSITIONS:
        return "future"
    # "a red warning from 6 a.m. on Friday", "fares rise from Monday": a start with no tense is a schedule
    return "future" if _FROM_BEFORE.search(doc.text, max(0, start - 40), start) else "past"


_FROM_BEFORE = re.compile(
    r"\b(?i:from)\s+(?:(?:\d{1,2}(?::\d\d)?\s*[ap]\.?m\.?|noon|midnight)\s+)?(?:on\s+)?$"
)


_PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}


@_rule(
    r"\b(?P<beyond>the\s+day\s+(?:before\s+(?=yesterday)|after\s+(?=tomorrow)))?"
    r"(?P<w>today|tonight|yesterday|tomorrow)\b(?:\s+(?P<pod>morning|afternoon|evening|night))?",
    re.I,
    starts={"today", "tonight", "yesterday", "tomorrow", *_after_the("day")},
)
def _deictic_day(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    word = m["w"].lower()
    if word in ("today", "tomorrow") and not m["beyond"] and _present_day_generic(m, doc):
        return None  # "today's youth", "the people of tomorrow": an era, which TimeML corpora leave untagged
    delta = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    delta *= 2 if m["beyond"] else 1  # "the day before yesterday", "the day after tomorrow"
    day = (doc.day + timedelta(days=delta)).isoformat()
    pod = m["pod"].lower() if m["pod"] else ("night" if word == "tonight" else None)
    if pod:
        return _Resolved(f"{day}T{_PART_OF_DAY[pod]}", "time", "TIME")
    return _Resolved(day, "day", "DATE")


@_rule(
    r"\b(?:(?i:early|late|mid)[\s-]*)?(?P<pod>(?i:morning|afternoon|evening))\s+(?P<w>(?i:yesterday|today|tomorrow))\b"
    r"(?!['’])",
    starts={"early", "late", "mid", "morning", "afternoon", "evening"},
)
def _part_before_a_deictic_day(m: re.Match[str], doc: _Doc) -> _Resolved:
    """ "at mid-afternoon yesterday", "late morning today": that part of that day, as "yesterday
    afternoon" is (the part alone would take the day the text is about)."""
    delta = {"today": 0, "yesterday": -1, "tomorrow": 1}[m["w"].lower()]
    day = (doc.day + timedelta(days=delta)).isoformat()
    return _Resolved(f"{day}T{_PART_OF_DAY[m['pod'].lower()]}", "time", "TIME")


# Nouns of an era or a population: after "today's" they mean the present day, not the date.
_ERA_NOUNS = _words(
    "world society youth generation generations young children kids teenagers parents families women men "
    "culture standards technology"
)


def _present_day_generic(m: re.Match[str], doc: _Doc) -> bool:
    """ "in today's world", "many of today's young voters", "the leaders of tomorrow"."""
    if doc.text[m.end() : m.end() + 2] in ("'s", "’s"):
        following = [w.lower() for w in doc.next_words(m.end() + 2, 2)]
        return bool(_ERA_NOUNS.intersection(following))
    return doc.prev_words(m.start(), 2) in (["people", "of"], ["leaders", "of"], ["world", "of"])


@_rule(r"\b(?P<mod>this|last)\s+(?P<pod>morning|afternoon|evening|night)\b", re.I, starts={"this", "last"})
def _part_of_day(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    mod, pod = m["mod"].lower(), m["pod"].lower()
    if mod == "last" and pod != "night":
        return None
    day = doc.day - timedelta(days=1 if mod == "last" else 0)
    return _Resolved(f"{day.isoformat()}T{_PART_OF_DAY[pod]}", "time", "TIME")


_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}


@_rule(
    r"\b(?P<pre>(?:earlier|later|early|late|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of"
    r"|the\s+middle\s+of|mid)[\s-]+)?(?P<mod>last|next|this\s+past|this|coming|current)\s+(?:fiscal\s+(?=year))?"
    r"(?P<unit>week|weekend|month|year|decade|century|quarter|spring|summer|autumn|fall|winter)\b",
    re.I,
    starts=_words("earlier later early late mid last next this coming current")
    | _after_the("end", "start", "beginning", "middle"),
)
def _relative_period(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    mod, unit = re.sub(r"\s+", " ", m["mod"].lower()), m["unit"].lower()
    if mod == "this past":
        return _just_past_period(unit, doc)
    step = {"last": -1, "next": 1, "coming": 1}.get(mod, 0)
    today = doc.day
    if unit == "week":
        return _Resolved(_iso_week(today + timedelta(weeks=step)), "week", "DATE")
    if unit == "weekend":
        return _Resolved(_iso_week(today + timedelta(weeks=step)) + "-WE", "week", "DATE")
    if unit == "month":
        y, mo = _add_months(today.year, today.month, step)
        return _Resolved(f"{y:04d}-{mo:02d}", "month", "DATE")
    if unit == "quarter":
        y, mo = _add_months(today.year, today.month, 3 * step)
        return _Resolved(f"{y:04d}-Q{(mo - 1) // 3 + 1}", "quarter", "DATE")
    if unit == "year":
        return _Resolved(f"{today.year + step:04d}", "year", "DATE")
    if unit == "decade":
        return _Resolved(f"{today.year // 10 + step:03d}", "decade", "DATE")
    if unit == "century":
        return _Resolved(f"{today.year // 100 + step:02d}", "century", "DATE")
    return _Resolved(f"{today.year + step:04d}-{_SEASONS[unit]}", "season", "DATE")


def _just_past_period(unit: str, doc: _Doc) -> _Resolved | None:
    """ "this past weekend", "this past spring": the latest such period before now, which for a
    season is this year's once it has begun ("this past spring" in October), unlike "last spring"."""
    today = doc.day
    if unit in ("week", "weekend"):
        return _Resolved(
            _iso_week(today - timedelta(weeks=1)) + ("-WE" if unit == "weekend" else ""), "week", "DATE"
        )
    if unit == "month":
        y, mo = _add_months(today.year, today.month, -1)
        return _Resolved(f"{y:04d}-{mo:02d}", "month", "DATE")
    if unit == "quarter":
        y, mo = _add_months(today.year, today.month, -3)
        return _Resolved(f"{y:04d}-Q{(mo - 1) // 3 + 1}", "quarter", "DATE")
    if unit in _SEASONS:
        code = _SEASONS[unit]
        first = _SEASON_FIRST_MONTH[code]
        began_this_year = first <= today.month and not (code == "WI" and today.month <= 2)
        return _Resolved(f"{today.year - (not began_this_year):04d}-{code}", "season", "DATE")
    return None  # "this past year", "this past decade": often the last twelve months, left alone


@_rule(
    r"\b(?P<the>the\s+)?(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter|[Ff]all)"
    r"(?:\s+(?:of\s+)?(?P<y>\d{4})|\s+of\s+(?P<rel>last|this|next)\s+year)?\b",
    starts={
        "spring",
        "summer",
        "autumn",
        "winter",
        "fall",
        *_after_the("spring", "summer", "autumn", "winter", "fall"),
    },
)
def _season(m: re.Match[str], doc: _Doc) -> _Resolved | _Candidate | None:
    code = _SEASONS[m["season"].lower()]
    if m["y"]:
        return _Resolved(f"{m['y']}-{code}", "season", "DATE")
    if m["rel"]:  # "the spring of last year"
        year = doc.day.year + {"last": -1, "this": 0, "next": 1}[m["rel"]]
        return _Resolved(f"{year:04d}-{code}", "season", "DATE")
    previous = doc.prev_words(m.start(), 2)
    if m["season"].lower() == "fall" and not _is_the_fall_season(m, doc, previous):
        return None  # "the fall of the Berlin Wall", "a fall in prices": a season only with its year
    start = m.start()
    if not m["the"] and previous[-1:] in (["early"], ["late"]) and previous[:1] in _BEFORE_A_SEASON:
        # "in early autumn", "by late spring": the season, its part in the span
        start, previous = m.start() - len(previous[-1]) - 1, previous[:1]
    if not (m["the"] or (previous and previous[-1] in ("in", "during", "this", "over", "since"))):
        return None  # "spring" the noun, "summer camp"
    following = doc.next_words(m.end(), 1)
    if following and following[0].lower() == "of":
        return None  # "the spring of discontent"
    value = _Resolved(f"{_season_year(doc, code, m.start(), m.end()):04d}-{code}", "season", "DATE")
    return value if start == m.start() else _Candidate(start, m.end(), 0, value)


# "the fall" is the season only after a word that places something in time ("a delay until the
# fall", "planned for the fall") and not before one that makes it a drop ("the fall in prices");
# not after "by" or "before" ("hurt by the fall", "before the fall").
_BEFORE_THE_FALL = _words("in until till for since during through")
_AFTER_A_DROP = _words("of in to from by was has had")


def _is_the_fall_season(m: re.Match[str], doc: _Doc, previous: list[str]) -> bool:
    following = doc.next_words(m.end(), 1)
    return (
        bool(m["the"])
        and bool(previous)
        and previous[-1].lower() in _BEFORE_THE_FALL
        and not (following and following[0].lower() in _AFTER_A_DROP)
    )


_BEFORE_A_SEASON = (["in"], ["during"], ["by"], ["until"], ["from"], ["since"], ["till"])
_SEASON_FIRST_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _season_year(doc: _Doc, code: str, start: int, end: int) -> int:
    """This year's season unless the tense points to one already over (future) or not yet begun (past)."""
    direction = doc.default_direction(doc.tense(start, end))
    first, month, year = _SEASON_FIRST_MONTH[code], doc.day.month, doc.day.year
    if code == "WI" and month <= 2:
        return year - 1  # January's winter began last December
    if direction == "past" and first > month:
        return year - 1
    if direction == "future" and first + 2 < month:
        return year + 1
    return year


@_rule(
    r"\b(?:the\s+)?(?:end|beginning|start|middle|rest)\s+of\s+the\s+(?P<unit>year|month|week|quarter)\b",
    re.I,
    starts={"end", "beginning", "start", "middle", "rest"}
    | _after_the("end", "beginning", "start", "middle", "rest"),
)
def _edge_of_the_period(m: re.Match[str], doc: _Doc) -> _Resolved:
    """ "by the end of the year": the current period (TimeML marks the edge as a modifier)."""
    unit, today = m["unit"].lower(), doc.day
    if unit == "year":
        return _Resolved(f"{today.year:04d}", "year", "DATE")
    if unit == "month":
        return _Resolved(f"{today.year:04d}-{today.month:02d}", "month", "DATE")
    if unit == "quarter":
        return _Resolved(_quarter_shift(today, 0), "quarter", "DATE")
    return _Resolved(_iso_week(today), "week", "DATE")


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` of a month; ``n = -1`` for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(*_add_months(year, month, 1), 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


_HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas eve": lambda y: date(y, 12, 24),
    "christmas day": lambda y: date(y, 12, 25),
    "christmas": lambda y: date(y, 12, 25),
    "new year's eve": lambda y: date(y, 12, 31),
    "new year's day": lambda y: date(y, 1, 1),
    "independence day": lambda y: date(y, 7, 4),
    "fourth of july": lambda y: date(y, 7, 4),
    "july fourth": lambda y: date(y, 7, 4),
    "valentine's day": lambda y: date(y, 2, 14),
    "halloween": lambda y: date(y, 10, 31),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "martin luther king jr. day": lambda y: _nth_weekday(y, 1, 0, 3),
    "martin luther king day": lambda y: _nth_weekday(y, 1, 0, 3),
    "presidents' day": lambda y: _nth_weekday(y, 2, 0, 3),
    "presidents day": lambda y: _nth_weekday(y, 2, 0, 3),
    "columbus day": lambda y: _nth_weekday(y, 10, 0, 2),
    "veterans day": lambda y: date(y, 11, 11),
    "boxing day": lambda y: date(y, 12, 26),
    "st. patrick's day": lambda y: date(y, 3, 17),
    "st. david's day": lambda y: date(y, 3, 1),
    "st. george's day": lambda y: date(y, 4, 23),
    "st. andrew's day": lambda y: date(y, 11, 30),
    "st. stephen's day": lambda y: date(y, 12, 26),
    "mother's day": lambda y: _nth_weekday(y, 5, 6, 2),
    "father's day": lambda y: _nth_weekday(y, 6, 6, 3),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),
    "easter monday": lambda y: _easter(y) + timedelta(days=1),
    "easter sunday": _easter,
    "easter": _easter,
    "good friday": lambda y: _easter(y) - timedelta(days=2),
    "black friday": lambda y: _nth_weekday(y, 11, 3, 4) + timedelta(days=1),
    "cyber monday": lambda y: _nth_weekday(y, 11, 3, 4) + timedelta(days=4),
}


_EVERY_BEFORE = re.compile(r"\b(?i:every|each)\s+$")
_HOLIDAY_PERIODS = _words("season holidays holiday sales shopping period week recess break")
# "Christmas and New Year sales period": holidays joined before a period word name the period
_JOINED_HOLIDAYS = re.compile(r"\s+(?:and|&)\s+(?:[A-Z][\w'’]*\s+){1,3}(?P<w>[a-z]+)")


@_rule(
    r"\b(?P<name>"
    # British style drops the abbreviation's point: "St Patrick's Day"
    + "|".join(
        re.escape(h).replace("'", "['’]").replace(r"\ ", r"\s+").replace(r"st\.", r"st\.?") for h in _HOLIDAYS
    )
    + r")\b(?:\s+(?P<y>\d{4})\b)?",
    re.I,
    starts={w.rstrip(".") for w in _first_words(*_HOLIDAYS)},  # the token of "St." is "st"
)
def _holiday(m: re.Match[str], doc: _Doc) -> _Resolved | _Candidate | None:
    """Fixed and movable holidays; the year as for a month-day without one."""
    if not m["name"][0].isupper():
        return None  # "christmas" in lower case is rarely the day
    name = re.sub(r"^st\.? ", "st. ", re.sub(r"\s+", " ", m["name"].lower().replace("’", "'")))
    day_of = _HOLIDAYS[name]
    if m["y"]:
        return _Resolved(day_of(int(m["y"])).isoformat(), "day", "DATE")
    every = _EVERY_BEFORE.search(doc.text, max(0, m.start() - 6), m.start())
    if every and day_of(2001).strftime("%m-%d") == day_of(2002).strftime("%m-%d"):
        # "every New Year's Eve": a set of that calendar day, as "every July" is of that month
        each_year = _Resolved(day_of(2001).strftime("XXXX-%m-%d"), "set", "SET")
        return _Candidate(every.start(), m.end(), 0, each_year)
    following = doc.next_words(m.end(), 1)
    one_day = name.endswith("day") and following == ["holiday"]  # "the Memorial Day holiday" is the day
    week_of = following == ["week"] and doc.text[m.end() : m.end() + 1] == " "
    if following and following[0].lower() in _HOLIDAY_PERIODS and not (one_day or week_of):
        return None  # "the Christmas season", "the Easter recess": a period, not the day
    joined = _JOINED_HOLIDAYS.match(doc.text, m.end())
    if joined and joined["w"] in _HOLIDAY_PERIODS:
        return None
    candidates = [day_of(y) for y in (doc.day.year - 1, doc.day.year, doc.day.year + 1)]
    # a yearly day comes round within a year: after "will" it is the next, even most of a year ahead
    # (not after other future cues: "kept agencies open through Christmas"; nor a past verb: "as
    # Easter week began" is about the week it falls in)
    tense = doc.tense(m.start(), m.end())
    reach = 366 if tense == "future" and _plain_future_before(doc, m.start()) else _ANCHOR_REACH_DAYS
    chosen = _pick_year(candidates, doc.day, tense, doc.is_publication, reach)
    if week_of:  # "as Easter week began", "Thanksgiving week": the week the holiday falls in
        return _Candidate(m.start(), m.end() + len(" week"), 0, _Resolved(_iso_week(chosen), "week", "DATE"))
    return _Resolved(chosen.isoformat(), "day", "DATE")


@_rule(r"\b(?:earlier|later)\s+in\s+the\s+(?P<unit>week|month)\b(?![-'’])", re.I, starts={"earlier", "later"})
def _in_the_current_period(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "will travel later in the week", "resigned earlier in the month": the publication's week or
    month (as "earlier in the day" and "later in the year" are its day and year)."""
    if not doc.is_publication:
        return None
    if m["unit"].lower() == "week":
        return _Resolved(_iso_week(doc.day), "week", "DATE")
    return _Resolved(f"{doc.day.year:04d}-{doc.day.month:02d}", "month", "DATE")


@_rule(
    r"\b(?P<edge>earlier|later)\s+that\s+(?P<unit>day|week|month|year)\b",
    re.I,
    starts={"earlier", "later"},
)
def _that_period(m: re.Match[str], doc: _Doc) -> _Candidate | None:
    """ "later that year", "earlier that day": the period of the date mentioned before it."""
    return _Candidate(m.start(), m.end(), 0, _Resolved(None, "vague", "DATE"), shift=(0, m["unit"], False))


@_rule(
    r"\b(?i:the)\s+(?:(?i:fiscal)\s+)?(?i:year)(?=\s+(?i:ended|ending|that\s+ended)\b)",
    starts=_after_the("fiscal", "year"),
)
def _year_ended(m: re.Match[str], doc: _Doc) -> _Resolved:
    """ "for the year ended March 31": a reporting year, a duration (TimeML's P1Y)."""
    return _Resolved("P1Y", "duration", "DURATION")


_PARTS_OF_A_YEAR = _words(
    "months weeks days quarter quarters half part rest remainder balance end start beginning middle close"
)
_NOT_AFTER_THE_YEAR = _words("ended ending before after that when of in since to earlier ago which")


# Superlatives that rank something within a period: "the hottest day of the year", "one of the
# most reliable displays of the year" (not "interest", "protest": listed stems or -iest / doubled
# consonant forms only).
_SUPERLATIVE = re.compile(
    r"(?i)^(?:most|least|best|worst|\w+iest|\w*(?:bb|dd|gg|nn|tt)est|(?:larg|strong|long|high|low|cold|warm"
    r"|short|fast|slow|great|small|bright|dark|quiet|clear|deep|old|young|late|clos|wid|tall|cheap|rich)est)$"
)


@_rule(r"\b(?i:the)\s+new\s+year\b(?![-'’])", starts=_after_the("new"))
def _the_new_year(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "will ballot again in the new year": the coming year in the second half of a year, the
    current one in its first half (written in January, the new year has begun)."""
    if not doc.is_publication:
        return None
    year = doc.day.year + (1 if doc.day.month >= 7 else 0)
    return _Resolved(f"{year:04d}", "year", "DATE")


@_rule(r"\b(?i:the)\s+(?i:year)\b(?![-'’])", starts=_after_the("year"))
def _the_year(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "earnings for the year", "the first nine months of the year", "earlier in the year": the
    publication year (TimeML resolves this anaphor to the year the story is in)."""
    previous = doc.prev_words(m.start(), 2)
    following = doc.next_words(m.end(), 1)
    if following and (following[0].lower() in _NOT_AFTER_THE_YEAR or following[0][:1].isdigit()):
        return None  # "the year ended June 30", "the year 2000", "the year before"
    if not doc.is_publication or not previous:
        return None
    before = previous[-1]
    if before == "for" or (before == "of" and previous[:1] and previous[0] in _PARTS_OF_A_YEAR):
        return _Resolved(f"{doc.day.year:04d}", "year", "DATE")
    if before == "of" and any(_SUPERLATIVE.match(w) for w in doc.prev_words(m.start(), 5)):
        return _Resolved(f"{doc.day.year:04d}", "year", "DATE")  # "the busiest day of the year"
    if before == "in" and previous[0] in ("earlier", "later"):
        return _Resolved(f"{doc.day.year:04d}", "year", "DATE")
    return None


@_rule(r"\bthe\s+day\b", re.I, starts=_after_the("day"))
def _the_day(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "shares rose 4 percent on the day", "earlier in the day": the publication day."""
    previous = doc.prev_words(m.start(), 2)
    following = doc.next_words(m.end(), 1)
    if following and following[0].lower() in (
        "of",
        "before",
        "after",
        "that",
        "when",
        "he",
        "she",
        "they",
        "it",
    ):
        return None
    if doc.text[m.end() : m.end() + 1].isalnum() or not doc.is_publication:
        return None
    on_the_day = previous[-1:] == ["on"] and doc.text[m.end() : m.end() + 1] in (".", ",", ";", "")
    in_the_day = len(previous) == 2 and previous[1] == "in" and previous[0] in ("earlier", "later")
    return _Resolved(doc.day.isoformat(), "day", "DATE") if on_the_day or in_the_day else None


@_rule(
    r"\b(?i:the)\s+(?:(?P<following>(?i:following|previous|prior|preceding))\s+(?P<unit>(?i:day|morning|week|month|year))"
    r"|(?i:next)\s+(?P<next>(?i:day|morning))"
    # "the year before." / "the week before, when": before nothing, the period before the last date
    r"|(?P<before>(?i:day|week|month|year))\s+(?i:before)(?=\s*[.,;]|\s+(?:and|but|when)\b))\b(?![-'’])",
    starts=_after_the("following", "previous", "prior", "preceding", "next", "day", "week", "month", "year"),
)
def _following_period(m: re.Match[str], doc: _Doc) -> _Candidate:
    """ "the following year", "the next morning", "the previous week", "the year before": the period
    after (before) the date the story last named (the publication day's when it named none)."""
    word = (m["unit"] or m["next"] or m["before"]).lower()
    unit = "day" if word == "morning" else word
    backwards = m["before"] is not None or (
        m["following"] is not None and m["following"].lower() != "following"
    )
    step = -1 if backwards else 1
    resolved = _shifted(doc, 1, unit, step)
    return _Candidate(m.start(), m.end(), 0, resolved, shift=(step, unit, False), at_unit=True)


@_rule(
    r"\b(?i:year)[- ](?i:end)\b(?![-'’]|\s+(?:net|results|figures|bonus|sales|levels?)\b)", starts={"year"}
)
def _year_end(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "complete the deal by year-end", "up 5% since year end": the last day of the year, the
    publication year's unless the clause is past ("since year-end" is last year's)."""
    previous = doc.prev_words(m.start(), 1)
    if not previous or previous[0] not in _YEAR_END_BEFORE:
        return None  # "year-end net", "a year-end rally": an adjective
    past = previous[0] == "since" or (doc.tense(m.start(), m.end()) == "past" and doc.day.month <= 3)
    return _Resolved(f"{doc.day.year - past:04d}-12-31", "day", "DATE")


_YEAR_END_BEFORE = _words("by since at around before until till after through near toward towards from")


@_rule(r"\b(?i:the)\s+(?i:full)\s+(?i:year)\b(?![-'’])", starts=_after_the("full"))
def _full_year(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "sales for the full year", "forecast a gain for the full year": the reporting year in results
    news, the one just ended early in the year when the clause is past ("kept its forecast for the
    full year": an outlook word marks results news too)."""
    s0, s1 = doc.sentence(m.start())
    if not (_financial(doc, m.start()) or _OUTLOOK_CUES.search(doc.text, s0, s1)):
        return None
    past = doc.tense(m.start(), m.end()) == "past" and doc.day.month <= 3
    return _Resolved(f"{doc.day.year - past:04d}", "year", "DATE")


@_rule(r"\b(?i:overnight)\b(?!-)", starts={"overnight"})
def _overnight(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "the river peaked overnight": the night before the publication day (tonight's when the
    clause looks ahead); not a noun's kind ("an overnight stay", "the overnight rate")."""
    previous = doc.prev_words(m.start(), 1)
    following = doc.next_words(m.end(), 1)
    if (previous and previous[0] in ("a", "an", "the")) or (
        following and following[0].lower() in _OVERNIGHT_NOUNS
    ):
        return None
    night = doc.day if doc.tense(m.start(), m.end()) == "future" else doc.day - timedelta(days=1)
    return _Resolved(f"{night.isoformat()}TNI", "time", "TIME")


_OVERNIGHT_NOUNS = _words(
    "rate rates lending loan loans repo deposit deposits index stay stays success sensation"
)


_WEEKEND_AHEAD = _words("for until till by before")


# Words of a market report: "for the week" there is the trading week the report closes.
_MARKET_CUES = re.compile(
    r"(?i)\b(?:percent|points?|index|indexes|indices|stocks?|shares?|dow|nasdaq|s&p|ftse|dax|cac|nikkei|"
    r"hang\s+seng|markets?|bourse|benchmark|yields?|futures)\b|%"
)


@_rule(
    # looked up at "the week" / "the month" only ("for" and "on" are too frequent to start a rule)
    r"(?:(?<=\b[Ff]or\s)|(?<=\b[Oo]n\s))(?P<np>(?i:the)\s+(?P<unit>(?i:week|month)))\b(?![-'’])"
    r"(?!\s+(?:of|ahead|before|after|to\s+come|that|when|in\s+which)\b)",
    starts=_after_the("week", "month"),
)
def _market_period(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "For the week, the Dow fell 18%", "taking its loss for the week to 3.4%", "down 2% on the
    month": in a market report, the publication's week or month (the trading period it closes)."""
    s0, s1 = doc.sentence(m.start())
    if not _MARKET_CUES.search(doc.text, s0, s1):
        return None
    if m["unit"].lower() == "week":
        return _Resolved(_iso_week(doc.day), "week", "DATE")
    return _Resolved(f"{doc.day.year:04d}-{doc.day.month:02d}", "month", "DATE")


# "the weekend of August 8", "the week of the 14th": the date that follows names the period
_OF_A_DATE = re.compile(rf"\s+of\s+(?:the\s+\d|\d|(?:{_MONTH})\b|(?:{_WEEKDAY})\b)")


@_rule(
    rf"\b(?i:the)\s+(?i:week)\s+of\s+(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?!\d)"
    r"(?:(?:st|nd|rd|th)\b)?(?:,?\s+(?P<year>\d{4})\b)?",
    starts=_after_the("week"),
)
def _week_of_a_date(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "a hearing the week of March 6": the ISO week the date falls in, as TimeML values a week."""
    month = _MONTH_NUMBERS[m["month"].lower().rstrip(".")]
    day = int(m["day"])
    year = int(m["year"]) if m["year"] else None
    try:
        named = _day_value(doc, month, day, year, m.start(), m.end())
    except ValueError:
        return None  # "the week of February 30"
    if named.value is None:
        return None
    return _Resolved(_iso_week(date.fromisoformat(named.value)), "week", "DATE")


@_rule(r"\bthe\s+weekend\b", re.I, starts=_after_the("weekend"))
def _the_weekend(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    if _OF_A_DATE.match(doc.text, m.end()):
        return None
    today = doc.day
    if today.weekday() >= 5:
        return _Resolved(_iso_week(today) + "-WE", "week", "DATE")
    previous = doc.prev_words(m.start(), 2)
    ahead = bool(previous) and (previous[-1] in _WEEKEND_AHEAD or previous == ["ahead", "of"])
    # "a red alert for the weekend", "ahead of the weekend": the coming one whatever the verb
    direction = "future" if ahead else doc.default_direction(doc.tense(m.start(), m.end()))
    # Closest weekend: the past one on Monday-Wednesday, the coming one on Thursday-Friday.
    past = direction == "past" or (direction == "closest" and today.weekday() <= 2)
    return _Resolved(_iso_week(today - timedelta(weeks=1) if past else today) + "-WE", "week", "DATE")


@_rule(
    # a half after the count or the unit, as for a duration ("two and a half weeks ago", "2 1/2 years
    # ago", "a month and a half ago"); "/" before the count keeps "2 1/2 weeks ago" from "2 weeks ago"
    rf"(?<![\w$€£./])(?P<num>{_NUM})(?P<half>\s+and\s+a\s+half|\s+1/2|½)?[\s-]+(?P<unit>{_SPAN_UNIT})"
    r"(?P<half_after>(?<![sS])\s+(?i:and\s+a\s+half))?(?:\s+(?i:or\s+(?:so|two|more)))?"
    # "ago" ends its expression whatever follows ("Two years ago the firm nearly collapsed"); before a
    # noun phrase "before" dates from an event ("a year before the war"), and "than" compares
    r"\s+(?P<dir>ago|from\s+now|hence|(?:earlier|later)(?!\s+than\b)"
    r"|before(?!\s+(?:than|that|the|a|an|his|her|their|its|he|she|they|we|it|i)\b))\b",
    starts=_NUM_STARTS,
)
def _ago_or_from_now(m: re.Match[str], doc: _Doc) -> _Resolved | _Candidate | None:
    direction = m["dir"].lower()
    if direction == "before" and re.match(r"\s+[A-Za-z]", doc.text[m.end() : m.end() + 2]):
        return None  # "three days before returning", "two days before Nepal votes": a duration
    number = _parse_number(m["num"])
    sign = -1 if direction in ("ago", "earlier", "before") else 1
    if number is None:
        if direction in ("earlier", "before", "later"):
            return None  # "some years later": a duration, left to the duration rule
        return _Resolved("PAST_REF" if direction == "ago" else "FUTURE_REF", "vague", "DATE")
    if _unit_code(m["unit"])[1] and direction in ("earlier", "before", "later"):
        return None  # "25 minutes earlier": hours and minutes count from an event, a duration
    if m["half"] or m["half_after"]:
        number += 0.5
    if number != int(number) and not _unit_code(m["unit"])[1]:
        if direction in ("earlier", "before", "later"):
            return None  # "two and a half years later": from an event, left to the duration rule
        return _fractional_shift(doc, number, m["unit"], sign)  # "two and a half weeks ago"
    resolved = _shifted(doc, number, m["unit"], sign)
    if number != int(number) or _unit_code(m["unit"])[1]:
        return resolved
    # "a year earlier" counts from the date before it; "a year ago" from a quarter in its sentence
    # ("third-quarter profit rose from a year ago": the same quarter a year before).
    anchored_to_quarter = direction in ("ago", "from now", "hence")
    return _Candidate(
        m.start(), m.end(), 0, resolved, shift=(sign * int(number), m["unit"], anchored_to_quarter)
    )


@_rule(rf"\b(?i:in)\s+(?P<num>{_NUM})\s+(?P<unit>{_UNIT})(?P<time>['’]s?\s+time)?\b", starts={"in"})
def _in_n_units(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    # "in two days" is a date only in a future clause; elsewhere ("first time in two years") a duration.
    # "in two weeks' time" looks ahead unless the clause is past ("could be signed in a year's time",
    # not "was rebuilt in two years' time").
    if _SUPERLATIVES.intersection(doc.prev_words(m.start(), 4)):
        return None  # "its lowest close in five years", "the biggest drop in a decade": how far back
    tense = doc.tense(m.start(), m.end())
    if tense != "future" and not (m["time"] and tense is None):
        return None
    number = _parse_number(m["num"])
    if number is None:
        return _Resolved("FUTURE_REF", "vague", "DATE")
    return _shifted(doc, number, m["unit"], 1)


# A superlative before "in N units" makes it the span compared over, a duration
_SUPERLATIVES = _words(
    "lowest highest biggest largest smallest worst best strongest weakest fastest slowest sharpest"
    " steepest deepest longest shortest heaviest busiest hottest coldest wettest driest warmest first"
    " most least"
)


@_rule(
    r"\b(?P<units>(?i:years|decades|centuries|months|weeks|days))\s+(?P<dir>ago|from\s+now)\b",
    starts={"years", "decades", "centuries", "months", "weeks", "days"},
)
def _vague_shift(m: re.Match[str], doc: _Doc) -> _Resolved:
    return _Resolved("PAST_REF" if m["dir"].lower() == "ago" else "FUTURE_REF", "vague", "DATE")


@_rule(
    rf"\b(?i:the\s+(?P<dir>past|last|previous|next|coming|following|first|final)\s+)(?:(?P<num>{_NUM})\s+)?"
    rf"(?P<unit>{_SPAN_UNIT})\b",
    starts=_after_the(*_words("past last previous next coming following first final")),
)
def _the_past_n_units(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    unit = m["unit"]
    plural = unit.lower().endswith(("s", "ia"))
    if m["num"] is None and plural and m["dir"].lower() in ("next", "coming", "following"):
        return _Resolved("FUTURE_REF", "vague", "DATE")  # "in the coming days"
    # no calendar has fortnights: "over the next fortnight" is two weeks
    fortnight_ahead = m["dir"].lower() in ("next", "coming") and unit.lower() == "fortnight"
    # "free for the first fortnight" is a length of time too
    length = fortnight_ahead or _first_unit_as_a_length(m, doc)
    if m["num"] is None and not plural and m["dir"].lower() not in ("past", "last") and not length:
        return None  # "the next day", "the first day of school": anaphoric dates, not durations
    number = _parse_number(m["num"]) if m["num"] else (None if plural else 1.0)
    return _Resolved(_duration_value(number, unit), "duration", "DURATION")


# Before "the first week / fortnight / month", words that make it a length of time ("free for the
# first fortnight", "inspected daily during the first month"), not the anaphoric date "in the first
# week" or "the first week of June".
_LENGTH_BEFORE_THE_FIRST = _words("for during over throughout within")


def _first_unit_as_a_length(m: re.Match[str], doc: _Doc) -> bool:
    if m["dir"].lower() != "first" or m["unit"].lower() not in ("week", "fortnight", "month"):
        return False
    if re.match(r"\s+of\b", doc.text[m.end() : m.end() + 4]):
        return False
    previous = doc.prev_words(m.start(), 1)
    return bool(previous) and previous[0].lower() in _LENGTH_BEFORE_THE_FIRST


# TimeML keeps approximators inside the expression ("nearly six hours", mod="APPROX").
_APPROX = (
    r"(?:(?i:nearly|almost|about|around|roughly|approximately|more\s+than|less\s+than|at\s+least|up\s+to)\s+)"
)


# Words after "a second" that keep it a length of time ("a second later", "a second or two").
_AFTER_A_SECOND = _words("or and later earlier ago longer before after to of")
# "a second, wider alert": a comma and a lower-case adjective after "a second" (not a length, which
# a preposition before it would show: "for a second, he paused")
_ORDINAL_SECOND = re.compile(
    r", (?!(?:or|and|then|but|so|he|she|they|it|we|i|you|please|maybe|perhaps)\b)[a-z]+ [a-z]+\b"
)
_BEFORE_A_SECOND_LONG = _words("for in within after about only just than half")


@_rule(
    rf"(?<![\w$€£])(?P<n1>{_NUM})\s+(?P<u1>{_UNIT})(?:,\s+(?P<n3>{_NUM})\s+(?P<u3>{_UNIT}))?(?:,?\s+and)?\s+"
    rf"(?P<n2>{_NUM})\s+(?P<u2>{_UNIT})\b(?!-)",
    starts=_NUM_STARTS,
)
def _compound_duration(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "two hours and 40 minutes" PT2H40M, "two hours, seven minutes and 54 seconds", a race time
    "12 minutes 48 seconds" PT12M48S: one duration (larger units first, or not one span)."""
    parts = []
    for n, u in (("n1", "u1"), ("n3", "u3"), ("n2", "u2")):
        if m[n] is None:
            continue
        number = _parse_number(m[n])
        code, is_time, _ = _unit_code(m[u])
        order = _COMPOUND_TIME_ORDER if is_time else _COMPOUND_DATE_ORDER
        if number is None or number != int(number) or code not in order:
            return None
        parts.append((order.index(code) + len(_COMPOUND_DATE_ORDER) * is_time, int(number), code, is_time))
    if any(a[0] >= b[0] for a, b in itertools.pairwise(parts)):
        return None  # "40 minutes and two hours": not one span of time
    date_part = "".join(f"{n}{code}" for _, n, code, is_time in parts if not is_time)
    time_part = "".join(f"{n}{code}" for _, n, code, is_time in parts if is_time)
    return _Resolved(f"P{date_part}{'T' + time_part if time_part else ''}", "duration", "DURATION")


_COMPOUND_DATE_ORDER = ("Y", "M", "W", "D")  # larger units first; time units rank after these
_COMPOUND_TIME_ORDER = ("H", "M", "S")


# Before the adverb "one day" (some day): a modal or a subject pronoun, then the verb it qualifies.
_SOMEDAY_BEFORE = _words("will would could might may can shall should must he she they we i you it")


def _someday(m: re.Match[str], doc: _Doc) -> bool:
    previous = doc.prev_words(m.start(), 1)
    following = doc.next_words(m.end(), 1)
    return (
        bool(previous)
        and previous[0].lower() in _SOMEDAY_BEFORE
        and bool(following)
        and following[0].islower()
        and doc.text[m.end() : m.end() + 1] == " "
    )


@_rule(
    # a half after the count ("two and a half years", "2 1/2 years", "2½ years") or after a single
    # unit ("an hour and a half"); "/" before a count keeps "5 1/2 hours" from reading as "2 hours"
    rf"(?<![\w$€£/])(?P<approx>{_APPROX})?(?P<num>{_NUM})(?P<half>\s+and\s+a\s+half|\s+1/2|½)?(?P<sep>[\s-]+)"
    # "eight trading days", "ten business days": counted days are still days (P8D)
    rf"(?:(?i:more|additional|further|extra|consecutive|straight|successive|trading|business|working)\s+)?"
    rf"(?P<unit>{_SPAN_UNIT})(?P<suffix>-(?i:old|long))?\b(?!-)(?P<half_after>(?<![sS])\s+(?i:and\s+a\s+half)\b(?!-))?",
    starts=_APPROX_STARTS | _NUM_STARTS,
)
def _duration(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    if m["suffix"] is not None and m["suffix"].lower() == "-old":
        return None  # an age ("a 6-year-old"): TimeML does not tag ages
    if re.match(r"\s+old\b", doc.text[m.end() : m.end() + 5]):
        return None  # an age ("Mr. Smith, 52 years old,")
    number = _parse_number(m["num"])
    unit = m["unit"]
    raw_num = m["num"].strip().lower()
    if raw_num == "one" and unit.lower() == "day" and _someday(m, doc):
        # "Islam will one day be the second largest religion": "some day", not a length of time
        return _Resolved("FUTURE_REF", "vague", "DATE")
    plural = unit.lower().endswith(("s", "ia"))
    if (m["half"] or m["half_after"]) and number is not None:
        number += 0.5  # "two and a half years", "2 1/2 years", "an hour and a half"
    if unit.lower() == "quarters" and (
        "-" in m["sep"] or (number is not None and number < 4 and doc.next_words(m.end(), 1)[:1] == ["of"])
    ):
        return None  # "three-quarters", "three quarters of the vote": fractions
    if number == 1 and plural and raw_num in ("a", "an"):
        return None  # "a days" is not English; avoids "a" + plural noise
    if unit.lower() == "second" and number != 1 and "-" not in m["sep"]:
        return None  # "the last-16 second leg": an ordinal after a count, not "16 seconds"
    if raw_num in ("a", "an") and m["suffix"] is None:
        previous = doc.prev_words(m.start(), 1)
        before = doc.text[max(0, m.start() - 3) : m.start()]
        if (
            previous and previous[0] in ("million", "billion", "trillion", "thousand", "percent", "times")
        ) or re.search(r"\d\s*$", before):
            return _Resolved(_duration_value(1, unit), "set", "SET")  # "$20 million a year"
        if previous and previous[0] in ("once", "twice", "thrice"):
            return None  # handled by the frequency rule
        following = doc.next_words(m.end(), 1)
        if (
            unit.lower() == "second"
            and doc.text[m.end() : m.end() + 1] == " "
            and doc.text[m.end() + 1 : m.end() + 2].isalnum()
            and not (following and following[0].lower() in _AFTER_A_SECOND)
        ):
            return None  # "a second plane", "A second A380": the ordinal
        if (
            unit.lower() == "second"
            and _ORDINAL_SECOND.match(doc.text, m.end())
            and not (previous and previous[0] in _BEFORE_A_SECOND_LONG)
        ):
            return None  # "and a second, wider alert could follow": the ordinal before its adjectives
    return _Resolved(_duration_value(number, unit), "duration", "DURATION")


@_rule(
    r"\b(?P<unit>(?i:second|minute|hour|day|week|month|year|decade|century|centuries|decades|years"
    r"|months|weeks|days|hours|minutes))-(?P<kind>(?i:old|long))\b",
    starts=_words("second minute hour day week month year decade century centuries")
    | _words("decades years months weeks days hours minutes"),
)
def _unit_old(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    if m["kind"].lower() == "old":
        return None  # "centuries-old": an age
    unit = m["unit"]
    plural = unit.lower().endswith("s")
    return _Resolved(_duration_value(None if plural else 1.0, unit), "duration", "DURATION")


_OVER_THE = re.compile(r"\b(?i:over)\s+the\s+$")


@_rule(
    r"\b(?P<unit>(?i:seconds|minutes|hours|days|weeks|months|years|decades|centuries|millennia))\b",
    starts=_words("seconds minutes hours days weeks months years decades centuries millennia"),
)
def _bare_plural_duration(m: re.Match[str], doc: _Doc) -> _Resolved | _Candidate | None:
    if doc.char_before(m.start()) == "-":
        return None  # "after-hours trading", "round-the-clock"-style compounds
    over = _OVER_THE.search(doc.text, max(0, m.start() - 12), m.start())
    named_after = re.match(r"\s+(?:\d|of\b)", doc.text[m.end() : m.end() + 4])  # "over the years 2005-07"
    if over and not named_after and m["unit"].lower() not in ("seconds", "minutes", "hours", "days"):
        # "hard work over the years", "built up over the decades": an unspecified stretch up to now
        resolved = _Resolved(_duration_value(None, m["unit"]), "duration", "DURATION")
        return _Candidate(over.start(), m.end(), 0, resolved)
    previous = doc.prev_words(m.start(), 2)
    following = doc.next_words(m.end(), 1)
    before = previous[-1] if previous else ""
    signals = (
        "for", "after", "over", "in", "within", "across", "spanning", "lasting",
        "took", "takes", "take", "taking",
    )  # fmt: skip
    if before in signals and not (before == "in" and following and following[0].lower() == "the"):
        return _Resolved(_duration_value(None, m["unit"]), "duration", "DURATION")
    if following and following[0].lower() == "of" and before not in ("the", "those", "these", "early", "dog"):
        return _Resolved(_duration_value(None, m["unit"]), "duration", "DURATION")  # "decades of war"
    return None


@_rule(
    rf"\b(?i:every|each)\s+(?:(?P<other>(?i:other))\s+|(?P<num>{_NUM}|(?i:half)(?=[\s-]+(?i:hour)))[\s-]+)?"
    rf"(?P<unit>{_UNIT}|(?i:quarter|morning|night|evening|weekend|weekday)s?|{_WEEKDAY}|{_FULL_MONTH}"
    r"|(?i:spring|summer|autumn|fall|winter))"
    r"(?:\s+(?P<part>(?i:morning|afternoon|evening|night))(?=s?\b))?\b",
    starts={"every", "each"},
)
def _every(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    unit = m["unit"]
    if unit.lower() in _SEASONS:
        return _Resolved(f"XXXX-{_SEASONS[unit.lower()]}", "set", "SET")  # "every autumn"
    if unit.lower() in _MONTH_NUMBERS:
        return _Resolved(f"XXXX-{_MONTH_NUMBERS[unit.lower()]:02d}", "set", "SET")  # "each July"
    if unit.lower().rstrip("s") in _WEEKDAYS:
        # "every Sunday morning": that part of every such day, as "Saturday nights"
        part = f"T{_PART_OF_DAY[m['part'].lower()]}" if m["part"] else ""
        return _Resolved(f"XXXX-WXX-{_WEEKDAYS.index(unit.lower().rstrip('s')) + 1}{part}", "set", "SET")
    if m["part"]:
        return None  # "every month evening" is no set this rule knows
    if unit.lower().startswith("weekday"):
        return _Resolved("XXXX-WXX-WD", "set", "SET")  # "every weekday", as "every weekend" WE
    if unit.lower().rstrip("s") in ("morning", "night", "evening"):
        return _Resolved(f"XXXX-XX-XXT{_PART_OF_DAY[unit.lower().rstrip('s')]}", "set", "SET")
    if unit.lower().startswith("weekend"):
        return _Resolved("XXXX-WXX-WE", "set", "SET")
    # "every other week": one in two, as "every two weeks"
    number = _parse_number(m["num"]) if m["num"] else 2.0 if m["other"] else 1.0
    if number == 0.5:
        return _Resolved("PT30M", "set", "SET")  # "every half hour": the pattern allows half only before hour
    return _Resolved(_duration_value(number, unit), "set", "SET")


_FREQUENCY_ADVERBS = {
    "hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W",
    "fortnightly": "P2W", "monthly": "P1M", "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y",
}  # fmt: skip
# After an adverb of frequency, words that show it modifies the verb ("trades daily on"), not a
# noun ("a daily newspaper", "quarterly dividend": TimeML leaves such adjectives untagged).
_ADVERBIAL_NEXT = _words("on in at to from for and or but by with since until during than as that")


@_rule(r"\b(?P<w>" + "|".join(_FREQUENCY_ADVERBS) + r")\b", re.I, starts=_FREQUENCY_ADVERBS)
def _frequency_adverb(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    following = doc.next_words(m.end(), 1)
    adjacent = doc.text[m.end() : m.end() + 1]
    if following and adjacent == " " and following[0].islower() and following[0] not in _ADVERBIAL_NEXT:
        return None  # an adjective before its noun
    return _Resolved(_FREQUENCY_ADVERBS[m["w"].lower()], "set", "SET")


@_rule(
    rf"\b(?i:(?:once|twice|thrice|(?P<num>{_NUM})\s+times)\s+(?:a|an|per|each|every)\s+)(?P<unit>{_UNIT})\b",
    starts={"once", "twice", "thrice", *_NUM_STARTS},
)
def _times_per(m: re.Match[str], doc: _Doc) -> _Resolved:
    return _Resolved(_duration_value(1.0, m["unit"]), "set", "SET")


@_rule(
    r"\b(?P<mod>(?i:(?:early|mid|late)[\s-]+))?(?:(?i:the)\s+)?"
    r"(?:(?P<dec>1[0-9]{2}|20[0-9])0s|['’](?P<short>\d)0s)(?!\w)",
    starts={"early", "mid", "late", _DIGIT, "'", *_after_the(_DIGIT, "'")},
)
def _decade(m: re.Match[str], doc: _Doc) -> _Resolved:
    if m["dec"]:
        return _Resolved(m["dec"], "decade", "DATE")
    digit = int(m["short"])
    # "the '90s" -> 199; "the '10s" -> 201 when that decade is not in the future.
    century = doc.day.year // 100
    value = (
        century * 10 + digit if (century * 100 + digit * 10) <= doc.day.year else (century - 1) * 10 + digit
    )
    return _Resolved(f"{value:03d}", "decade", "DATE")


_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "twenty-first": 21, "twenty-second": 22,
}  # fmt: skip


@_rule(
    r"\b(?:(?i:the)\s+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<w>(?i:"
    + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
    + r")))[\s-]+(?i:century)\b",
    starts={_DIGIT, *_first_words(*_ORDINAL_WORDS), *_after_the(_DIGIT, *_first_words(*_ORDINAL_WORDS))},
)
def _ordinal_century(m: re.Match[str], doc: _Doc) -> _Resolved:
    n = int(m["n"]) if m["n"] else _ORDINAL_WORDS[m["w"].lower()]
    if n < 1:
        raise ValueError("no century zero")
    return _Resolved(f"{n - 1:02d}", "century", "DATE")


# "Today is the eighth day of the blockade", "It's the second day of the offensive": the day of
# writing, named by its place in a running event. With any other subject ("Tuesday was the third
# day of the strike") the day is that subject's, not told by these words.
_TODAY_SUBJECTS = (["today", "is"], ["it", "is"], ["this", "is"], ["it's"], ["it’s"])


@_rule(
    r"\b(?:(?i:the)\s+)?(?P<w>(?i:"
    + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
    + r"))\s+(?i:day)\b(?![-'’])",
    starts={*_first_words(*_ORDINAL_WORDS), *_after_the(*_first_words(*_ORDINAL_WORDS))},
)
def _ordinal_day_today(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    previous = doc.prev_words(m.start(), 2)
    if not any(previous[-len(subject) :] == subject for subject in _TODAY_SUBJECTS):
        return None
    if _CALENDAR_AFTER.match(doc.text, m.end()):
        return None  # "the first day of May", "of the month": a calendar day, for the rules of dates
    return _Resolved(doc.day.isoformat(), "day", "DATE")


_CALENDAR_AFTER = re.compile(
    r"\s+of\s+(?:\d|(?i:the\s+)?(?i:month|year|week|quarter|spring|summer|autumn|fall|winter)\b|"
    r"(?i:next|this|last)\b|(?:" + "|".join(m.capitalize() for m in _MONTH_NUMBERS) + r")\b)"
)


_QUARTER_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


@_rule(
    r"\b(?i:the)\s+(?P<month>March|June|September|December)\s+(?i:quarter)\b(?!-)",
    starts=_after_the("march", "june", "september", "december"),
)
def _month_quarter(m: re.Match[str], doc: _Doc) -> _Resolved:
    """ "the June quarter" (Australian and Japanese reporting): the quarter ending that month, the
    latest ended one in a past clause, else this year's unless a future clause says next year's."""
    q = _MONTH_NUMBERS[m["month"].lower()] // 3
    current = (doc.day.month - 1) // 3 + 1
    year = doc.day.year
    tense = doc.tense(m.start(), m.end())
    if tense == "past" and q >= current:
        year -= 1
    elif tense == "future" and q < current:
        year += 1
    return _Resolved(f"{year:04d}-Q{q}", "quarter", "DATE")


_QUARTERLY_FIGURES = _words(
    "results earnings loss losses profit profits sales revenue revenues net income figures numbers report "
    "deliveries output growth gdp"
)


def _before_quarterly_figures(doc: _Doc, end: int) -> bool:
    """ "fourth-quarter results", "the third quarter loss": a quarter before its figures."""
    following = doc.next_words(end, 1)
    return bool(following) and following[0].lower() in _QUARTERLY_FIGURES


@_rule(
    r"\b(?:(?i:the)\s+)?(?:(?P<q>(?i:first|second|third|fourth|1st|2nd|3rd|4th))[\s-]+(?i:quarter)\b(?!-)"
    r"(?:\s+(?i:of)\s+(?:(?P<y>\d{4})|(?P<rel>(?i:last|this|next|the)\s+year)))?"
    r"|(?P<fin>(?i:final|last))\s+(?i:quarter)\s+(?i:of)\s+(?:(?P<yf>\d{4})|(?P<relf>(?i:last|this|next|the)\s+year)))"
    r"|\bQ(?P<qn>[1-4])\s+(?P<y2>\d{4})\b",
    starts={"first", "second", "third", "fourth", "final", "last", _DIGIT, "q1", "q2", "q3", "q4"}
    | _after_the("first", "second", "third", "fourth", "final", "last", _DIGIT),
)
def _quarter(m: re.Match[str], doc: _Doc) -> _Resolved:
    if m["qn"]:
        return _Resolved(f"{m['y2']}-Q{m['qn']}", "quarter", "DATE")
    if m["fin"]:  # "the final quarter of 2027", "the last quarter of this year": Q4
        rel = m["relf"].split()[0].lower() if m["relf"] else ""
        year = int(m["yf"]) if m["yf"] else doc.day.year + {"last": -1, "next": 1}.get(rel, 0)
        return _Resolved(f"{year:04d}-Q4", "quarter", "DATE")
    q = _QUARTER_ORDINALS[m["q"].lower()]
    if m["y"]:
        year = int(m["y"])
    elif m["rel"]:
        year = doc.day.year + {"last": -1, "next": 1}.get(m["rel"].split()[0].lower(), 0)
    else:
        # A quarter still to come this year is last year's unless the clause speaks of the future,
        # or is the quarter just ended before its figures ("will report fourth-quarter results" in
        # January: results come out after the quarter).
        year = doc.day.year
        current = (doc.day.month - 1) // 3 + 1
        just_ended = q == (current - 2) % 4 + 1 and _before_quarterly_figures(doc, m.end())
        # "shipments for the fourth quarter" (said in August): the next quarter, as a target period
        upcoming = q == current + 1 and doc.prev_words(m.start(), 1) == ["for"]
        upcoming = upcoming and not _before_quarterly_figures(doc, m.end())
        if q > current and (just_ended or (not upcoming and doc.tense(m.start(), m.end()) != "future")):
            year -= 1
        elif (
            q < current - 1
            and _time_of_an_event(doc, m.start())
            and not _figures_of_a_quarter(doc, m.end())
            and doc.tense(m.start(), m.end()) == "future"
        ):
            year += 1  # "a cheaper model will arrive in the first quarter" (said in September)
    return _Resolved(f"{year:04d}-Q{q}", "quarter", "DATE")


# Before "in"/"during"/..., the words that make a quarter a term of comparison ("lower than in the
# first quarter", "as in the first quarter"), whose time is the figures', not the future verb's
_COMPARED_BEFORE = _words("than as with from since compared versus like")
_QUARTER_AS_A_TIME = _words("in during by until till before")
_PAST_OF_BE = _words("was were been")
_QUARTER_AS_A_TIME_AFTER = frozenset(
    {(w, "for") for w in _FUTURE_BEFORE_FOR} | {(w, "of") for w in _words("end start beginning middle")}
)


def _time_of_an_event(doc: _Doc, start: int) -> bool:
    """ "will arrive in the first quarter", "will not reopen until the first quarter": the quarter
    is when the event happens, after a preposition of time not itself after a comparison; not "will
    be lower than in the first quarter", "results for the first quarter", "The first quarter will"."""
    before, previous = doc.prev_words(start, 3)[:-2], doc.prev_words(start, 2)
    if len(previous) == 2 and tuple(previous) in _QUARTER_AS_A_TIME_AFTER:
        # "planned for the first quarter", "by the end of the first quarter"; "was planned for"
        # is a plan the story has passed
        return not set(before) & _PAST_OF_BE
    if not previous or previous[-1] not in _QUARTER_AS_A_TIME:
        return False
    return len(previous) < 2 or previous[0] not in _COMPARED_BEFORE


def _figures_of_a_quarter(doc: _Doc, end: int) -> bool:
    """ "will report first-quarter results", "will restate the first quarter's losses": the figures
    of a quarter already over, not a quarter ahead."""
    return doc.text.startswith(("'s", "’s"), end) or _before_quarterly_figures(doc, end)


@_rule(
    r"\b(?:(?i:the)\s+)?(?:(?P<y>(?:19|20)\d\d)(?:['’]s)?|(?P<rel>(?i:this|last|next))\s+(?i:year)['’]s"
    r"|(?P<ago>(?i:(?:comparable\s+)?year-(?:earlier|ago))))"
    r"\s+(?:(?P<q>(?i:first|second|third|fourth))[\s-]+)?(?i:quarter)\b(?!-)",
    starts={_DIGIT, "this", "last", "next", "year", "comparable"}
    | _after_the(_DIGIT, "this", "last", "next", "year", "comparable"),
)
def _year_quarter(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "the 1988 third quarter", "this year's third quarter", "the year-earlier third quarter";
    without an ordinal ("the 1988 quarter", "last year's quarter") the quarter last reported."""
    if m["ago"] and not m["q"]:
        return None  # "the year-earlier quarter": the reported-quarter rule
    reported = _quarter_shift(doc.day, -1)
    q = _QUARTER_ORDINALS[m["q"].lower()] if m["q"] else int(reported[-1])
    if m["y"]:
        year = int(m["y"])
    elif m["rel"]:
        year = doc.day.year + {"last": -1, "next": 1}.get(m["rel"].lower(), 0)
    else:  # a year before the quarter this year's reports cover
        year = int(reported[:4]) - (1 if q <= int(reported[-1]) else 2)
    return _Resolved(f"{year:04d}-Q{q}", "quarter", "DATE")


def _quarter_shift(day: date, quarters: int) -> str:
    y, mo = _add_months(day.year, day.month, 3 * quarters)
    return f"{y:04d}-Q{(mo - 1) // 3 + 1}"


@_rule(
    r"\b(?i:the|that)\s+(?P<which>(?i:latest|most\s+recent|last|past|previous|current|recent|"
    r"year-earlier|year-ago|comparable\s+year-ago|comparable\s+year-earlier)\s+)?"
    r"(?P<unit>(?i:quarter|period))\b(?!-)",
    starts=_after_the(
        "quarter", "latest", "most", "last", "past", "previous", "current", "recent", "year", "comparable"
    )
    | {"that"},
)
def _reported_quarter(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """Financial news: "the quarter" is the last one reported, "the year-earlier quarter" a year before."""
    which = re.sub(r"\s+", " ", (m["which"] or "").strip().lower())
    if m["unit"].lower() == "period" and "year" not in which and which not in ("latest", "most recent"):
        return None  # "the period" alone is not a quarter; "the latest period" of results is
    following = doc.next_words(m.end(), 1)
    if following and following[0].lower() in ("of", "before", "after", "when", "that", "ended", "ending"):
        return None  # "the quarter of a century", "the period before the war"
    if which == "current":
        return _Resolved(_quarter_shift(doc.day, 0), "quarter", "DATE")
    if "year" in which:
        return _Resolved(_quarter_shift(doc.day, -5), "quarter", "DATE")
    if not which and m.group().lower().startswith("the") and not _financial(doc, m.start()):
        return None
    return _Resolved(_quarter_shift(doc.day, -1), "quarter", "DATE")


@_rule(r"\b(?i:the)\s+(?P<y>(?:19|20)\d\d)\s+(?i:period)\b(?!-)", starts=_after_the(_DIGIT))
def _year_period(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """Results news: "In the 1989 period, interest expense was lower" compares the quarter reported
    in that year, as "the year-earlier period" does; over several quarters ("For the nine months,
    ... in the 1988 period") no TIMEX3 value names the span, so the year is written."""
    s0, _ = doc.sentence(m.start())
    results = _financial(doc, m.start()) or (s0 > 0 and _financial(doc, s0 - 1))  # or the sentence before
    if not results or _over_several_quarters(doc, m.start()):
        return None  # the year alone, from the year rule
    reported = _quarter_shift(doc.day, -1)
    year = int(m["y"])
    if year not in (int(reported[:4]), int(reported[:4]) - 1):
        return None  # "the 1975 period": a period of history, not a results comparison
    return _Resolved(f"{year:04d}{reported[4:]}", "quarter", "DATE")


@_rule(r"\b(?P<w>(?i:year-earlier|year-ago))\b(?!-)", starts={"year"})
def _year_ago_adjective(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "compared with year-earlier profit", "the year-ago results": in results news, the quarter a
    year before the last one reported (longer matches such as "the year-ago quarter" win)."""
    following = doc.next_words(m.end(), 1)
    if not following or following[0].lower() in _NOT_A_YEAR_AGO_HEAD or _AMOUNT_NEXT.match(doc.text, m.end()):
        return None  # "the year-earlier $4.5 million", "the year-earlier nine months"
    if following[0].lower() not in ("results", "figures") and not _financial(doc, m.start()):
        return None
    if _over_several_quarters(doc, m.start()):  # "for the nine months, ... year-earlier net"
        return _Resolved(f"{doc.day.year - 1:04d}", "year", "DATE")
    return _Resolved(_quarter_shift(doc.day, -5), "quarter", "DATE")


_NOT_A_YEAR_AGO_HEAD = _words("nine six three months weeks year")
_AMOUNT_NEXT = re.compile(r"\s*[$€£\d]")


@_rule(
    r"\b(?:(?i:the)\s+(?i:same|corresponding|comparable)\s+(?P<unit>(?i:day|week|month|quarter|period|time))"
    r"|(?i:this|that)\s+(?P<time>(?i:time)))\s+(?i:last\s+year|a\s+year\s+(?:ago|earlier)|of\s+last\s+year)\b(?![-'’])",
    starts=_after_the("same", "corresponding", "comparable") | {"this", "that"},
)
def _same_unit_last_year(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "the same week last year", "this time last year", "the corresponding period last year":
    the reference's own day, week, month or quarter one year back (not the whole year)."""
    unit = (m["unit"] or m["time"]).lower()
    day = doc.day
    if unit == "day":
        return _Resolved(_shift_years(day, -1).isoformat(), "day", "DATE")
    if unit == "week":
        # the ISO week's own year: 1 January 2027 is in 2026-W53, a year back is 2025's last week
        iso_year, iso_week, _ = day.isocalendar()
        week = min(iso_week, date(iso_year - 1, 12, 28).isocalendar()[1])
        return _Resolved(f"{iso_year - 1:04d}-W{week:02d}", "week", "DATE")
    if unit in ("month", "time"):
        return _Resolved(f"{day.year - 1:04d}-{day.month:02d}", "month", "DATE")
    if unit == "period" and not _financial(doc, m.start()):
        return None  # "the same period last year" of no results: its span is unknown, "last year" stays
    # results news compare the last reported quarter with its year-earlier one
    return _Resolved(_quarter_shift(day, -5 if _financial(doc, m.start()) else -4), "quarter", "DATE")


def _shift_years(day: date, years: int) -> date:
    """``day`` ``years`` later (earlier when negative); a 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@_rule(
    r"\b(?i:the)\s+(?P<half>(?i:first|second))\s+(?i:half)\b(?!\s+(?i:of|century)\b)(?!-)",
    starts=_after_the("first", "second"),
)
def _reported_half(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "margins will improve in the second half": in results news, a half of the publication
    year, the last one completed when the clause is past (not a game's half elsewhere)."""
    s0, s1 = doc.sentence(m.start())
    if not (_financial(doc, m.start()) or _OUTLOOK_CUES.search(doc.text, s0, s1)):
        return None
    half = 1 if m["half"].lower() == "first" else 2
    current = 1 if doc.day.month <= 6 else 2
    year = doc.day.year
    tense = doc.tense(m.start(), m.end())
    if tense == "past" and half >= current:  # the latest such half that has ended
        year -= 1
    elif tense == "future" and half < current:
        year += 1
    return _Resolved(f"{year:04d}-H{half}", "half", "DATE")


def _financial(doc: _Doc, pos: int) -> bool:
    """A sentence about results: a bare "the quarter" there is the last reported quarter."""
    s0, s1 = doc.sentence(pos)
    return bool(_FINANCIAL_CUES.search(doc.text, s0, s1))


_OUTLOOK_CUES = re.compile(r"(?i)\b(?:margin|forecast|fiscal|outlook|guidance|growth)")
_FINANCIAL_CUES = re.compile(r"(?i)\b(?:earn|profit|loss|revenue|sales|net|income|quarter|share)")


@_rule(
    r"\b(?:(?i:the)\s+)?(?P<half>(?i:first|second|last|latter))\s+(?i:half)\s+(?i:of)\s+"
    r"(?:(?P<y>\d{4})|(?P<rel>(?i:the\s+year|this\s+year|last\s+year|next\s+year)))\b",
    starts={"first", "second", "last", "latter", *_after_the("first", "second", "last", "latter")},
)
def _half_year(m: re.Match[str], doc: _Doc) -> _Resolved:
    half = 1 if m["half"].lower() == "first" else 2
    if m["y"]:
        year = int(m["y"])
    else:
        year = doc.day.year + {"last": -1, "next": 1}.get(m["rel"].split()[0].lower(), 0)
    return _Resolved(f"{year:04d}-H{half}", "half", "DATE")


@_rule(
    r"(?<![\w$€£.,/:#])(?P<mod>(?i:early|mid|late)[\s-]+)?(?P<y>1[89]\d\d|20\d\d|2100)(?![\w%/:]|[.,]\d)",
    starts={"early", "mid", "late", _DIGIT},
)
def _year(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    if doc.char_before(m.start()) == "-" and not re.search(
        r"\d{4}-$", doc.text[max(0, m.start() - 5) : m.start()]
    ):
        return None  # part of a code or phone number, unless a year range "2019-2020"
    following = doc.next_words(m.end(), 1)
    nxt = following[0] if following else ""
    gap = doc.text[m.end() : m.end() + 2]
    if nxt.lower() in _MEASURE_NOUNS and not gap.startswith((",", ".", ";")):
        return None  # "2000 people"
    previous = doc.prev_words(m.start(), 1)
    prev = previous[0] if previous else ""
    if prev in _NOT_YEAR_BEFORE:
        return None  # "flight 2023", "Resolution 2231"
    if (
        prev in _QUANTITY_BEFORE
        and nxt.islower()
        and nxt.endswith("s")
        and nxt not in _YEAR_PLURALS
        and gap.startswith(" ")
    ):
        return None  # "nearly 2000 protesters"
    return _Resolved(m["y"], "year", "DATE")


@_rule(
    r"\b(?:(?i:the)\s+)?(?P<q>(?i:first|second|third|fourth))\s+(?:(?i:fiscal)\s+)?(?i:quarter)\s+(?i:of)\s+"
    r"(?i:fiscal)\s+(?:(?i:year)\s+)?(?P<y>1[89]\d\d|20\d\d)(?![\w%/:]|[.,]\d)",
    starts={"first", "second", "third", "fourth", *_after_the("first", "second", "third", "fourth")},
)
def _quarter_of_fiscal_year(m: re.Match[str], doc: _Doc) -> _Resolved:
    """ "the first quarter of fiscal 2027": a quarter of the reporting year (FY2027-Q1), one
    expression, not a calendar quarter beside a fiscal year."""
    return _Resolved(f"FY{m['y']}-Q{_NTH[m['q'].lower()]}", "quarter", "DATE")


_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TWO_DIGITS = (
    rf"(?:{_TENS}(?:[\s-]+{_UNITS_WORD})?|" + "|".join(_TEENS) + r"|(?:oh|o)[\s-]+" + _UNITS_WORD + ")"
)


@_rule(
    rf"\b(?:(?P<month>{_FULL_MONTH})\s+|(?P<season>(?i:the\s+)?(?i:spring|summer|autumn|fall|winter))\s+of\s+)?"
    rf"(?i:nineteen)[\s-]+(?P<yy>(?i:{_TWO_DIGITS}))\b(?![\s-]+(?i:hundred|thousand|year))"
    r"|\b(?i:the\s+year\s+two\s+thousand)(?:\s+(?:and\s+)?(?P<y2k>(?i:"
    + _UNITS_WORD
    + r"|ten|eleven|twelve)))?\b",
    starts={"nineteen", *_MONTH_WORDS, *_after_the("year"), *_SEASONS, *_after_the(*_SEASONS)},
)
def _spoken_year(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """Years as broadcast transcripts spell them: "nineteen seventy-nine", "the year two thousand"."""
    if m["yy"] is None:
        rest = _parse_number(m["y2k"]) if m["y2k"] else 0.0
        return _Resolved(f"{2000 + int(rest or 0):04d}", "year", "DATE")
    words = re.split(r"[\s-]+", m["yy"].lower())
    if words[0] in ("oh", "o"):
        yy = _NUMBER_WORDS[words[1]]
    elif words[0] in _TEENS:
        yy = _TEENS[words[0]]
    else:
        yy = _NUMBER_WORDS[words[0]] + (_NUMBER_WORDS[words[1]] if len(words) > 1 else 0)
    if m["month"]:
        return _Resolved(f"19{yy:02d}-{_MONTH_NUMBERS[m['month'].lower()]:02d}", "month", "DATE")
    if m["season"]:  # "the winter of nineteen ninety-four"
        return _Resolved(f"19{yy:02d}-{_SEASONS[m['season'].split()[-1].lower()]}", "season", "DATE")
    return _Resolved(f"19{yy:02d}", "year", "DATE")


@_rule(
    r"\b(?i:the)\s+(?:(?i:nineteen)[\s-]+)?(?P<dec>(?i:" + "|".join(_DECADE_WORDS) + r"))\b",
    starts=_after_the("nineteen", *_DECADE_WORDS),
)
def _spoken_decade(m: re.Match[str], doc: _Doc) -> _Resolved:
    """ "the nineties", "the nineteen sixties": the last such decade of the 1900s (ages say "his sixties")."""
    return _Resolved(f"19{_DECADE_WORDS[m['dec'].lower()]}", "decade", "DATE")


_VAGUE: dict[str, str] = {
    "right now": "PRESENT_REF", "just now": "PRESENT_REF", "now": "PRESENT_REF",
    "currently": "PRESENT_REF", "presently": "PRESENT_REF", "at present": "PRESENT_REF",
    "at the moment": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF",
    "recently": "PAST_REF", "lately": "PAST_REF", "in the past": "PAST_REF", "the past": "PAST_REF",
    "in the future": "FUTURE_REF", "the future": "FUTURE_REF", "in future": "FUTURE_REF",
    "the near future": "FUTURE_REF", "the distant future": "FUTURE_REF",
    "the near term": "FUTURE_REF", "the short term": "FUTURE_REF", "the medium term": "FUTURE_REF",
    "the long term": "FUTURE_REF",
}  # fmt: skip


@_rule(
    r"\b(?P<w>" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in _VAGUE) + r")\b(?!-)",
    re.I,
    starts=(_first_words(*_VAGUE) - {"the"})
    | _after_the("past", "future", "near", "distant", "short", "medium", "long"),
)
def _vague(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    word = m["w"].lower()
    if (
        word in ("now", "currently")
        and doc.text.startswith(",", m.end())
        and doc.sentence(m.start())[0] == m.start()
    ):
        return None  # "Now, he says ...": a discourse marker opening the sentence, not a time
    if word.endswith("past") and _COUNT_NEXT.match(doc.text, m.end()):
        return None  # "the past three summers", "the past 10 seasons": a count of things, not the past
    return _Resolved(_VAGUE[re.sub(r"\s+", " ", m["w"].lower())], "vague", "DATE")


_COUNT_NEXT = re.compile(rf"\s+(?:\d|(?i:few|several|{_TENS}|{_UNITS_WORD}|ten|eleven|twelve)\b)")


@_rule(r"\b(?i:this)\s+(?:(?P<adj>[a-z]+)\s+)?(?i:moment)\b(?![-'’])", starts={"this"})
def _this_moment(m: re.Match[str], doc: _Doc) -> _Resolved | None:
    """ "at this crucial moment", "this very moment": the present, as "at the moment"."""
    if m["adj"] in ("one", "last", "next", "first"):
        return None  # "this one moment", "this last moment": a moment counted, not the present
    return _Resolved("PRESENT_REF", "vague", "DATE")


@_rule(
    r"\b(?i:the)\s+(?P<unit>(?i:days|weeks|months|years|decades))\s+(?i:ahead|to\s+come)\b",
    starts=_after_the("days", "weeks", "months", "years", "decades"),
)
def _units_ahead(m: re.Match[str], doc: _Doc) -> _Resolved:
    """ "in the weeks ahead", "the years to come": an unspecified span from now on, written as
    "recent weeks" is (PXW)."""
    return _Resolved(_duration_value(None, m["unit"]), "duration", "DURATION")


@_rule(
    r"\b(?P<w>(?i:recent|coming))\s+(?P<unit>(?i:days|weeks|months|quarters|years|decades))\b",
    starts={"recent", "coming"},
)
def _recent_units(m: re.Match[str], doc: _Doc) -> _Resolved:
    """ "in recent weeks" is an unspecified span before now, as TimeML writes it (PXW); "coming
    weeks" a reference to the future. The preposition stays out of the span."""
    if m["w"].lower() == "recent":
        return _Resolved(_duration_value(None, m["unit"]), "duration", "DURATION")
    return _Resolved("FUTURE_REF", "vague", "DATE")


@_rule(
    # "7:45 p.m.", and the British "7.45pm"
    r"(?<![\w:.$€£])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>(?i:a\.m\.|p\.m\.|a\.m|p\.m|am|pm))(?![\w])"
    rf"(?:\s+(?P<tz>{_TZ}))?",
    starts={_DIGIT},
)
def _clock_ampm(m: re.Match[str], doc: _Doc) -> _Candidate | None:
    hour, minute = int(m["h"]), int(m["m"] or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return None
    if m["ap"].lower().startswith("p") and hour != 12:
        hour += 12
    elif m["ap"].lower().startswith("a") and hour == 12:
        hour = 0
    return _time_candidate(m, hour, minute)


@_rule(
    rf"(?<![\w:.,$])(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?![\d:])(?:\s*(?P<tz>{_TZ}|(?i:hours|hrs)))?",
    starts={_DIGIT},
)
def _clock_24h(m: re.Match[str], doc: _Doc) -> _Candidate | None:
    hour, minute = int(m["h"]), int(m["m"])
    if hour > 23 or minute > 59:
        return None
    previous = doc.prev_words(m.start(), 1)
    if m["tz"] is None and not (previous and previous[0] in ("at", "from", "until", "till", "by", "around")):
        return None  # a score or a verse, not a clock time
    return _time_candidate(m, hour, minute)


@_rule(rf"(?<![\w:.,$])(?P<hm>\d{{4}})\s+(?P<tz>{_TZ})\b", starts={_DIGIT})
def _clock_military(m: re.Match[str], doc: _Doc) -> _Candidate | None:
    hour, minute = int(m["hm"][:2]), int(m["hm"][2:])
    if hour > 23 or minute > 59:
        return None
    return _time_candidate(m, hour, minute)  # AFP style: "1430 GMT"


@_rule(r"\b(?P<w>(?i:noon|midday|midnight))\b", starts={"noon", "midday", "midnight"})
def _noon(m: re.Match[str], doc: _Doc) -> _Candidate | None:
    if m["w"][0].isupper() and doc.sentence(m.start())[0] != m.start() and doc.char_before(m.start()) != '"':
        return None  # "Midnight, Starlight and Silver": a name mid-sentence
    return _time_candidate(m, 24 if m["w"].lower() == "midnight" else 12, 0)  # TimeML: midnight is T24


@_rule(
    r"\b(?:(?i:the)\s+|(?P<mod>(?i:early|late|mid))[\s-]+)(?P<pod>(?i:morning|afternoon|evening))\b(?![-'’])",
    starts={"early", "late", "mid", *_after_the("morning", "afternoon", "evening")},
)
def _part_of_a_day(m: re.Match[str], doc: _Doc) -> _Candidate | None:
    """ "in the morning", "by mid afternoon": that part of the day the text is about (the nearby
    day mention's, else the previous sentence's, else the reference day), as a clock time."""
    if m["mod"] is None:
        previous = doc.prev_words(m.start(), 1)
        if not previous or previous[0] not in ("in", "during", "by", "until", "through"):
            return None  # "the morning session", "spent the morning": not a time of its own
    following = doc.next_words(m.end(), 1)
    adjacent = doc.text[m.end() : m.end() + 1] == " "
    if adjacent and following and following[0].islower() and following[0] not in _ADVERBIAL_NEXT:
        return None  # "early morning raid", "in the morning papers": an adjective
    return _Candidate(
        m.start(), m.end(), 0, _Resolved(None, "time", "TIME"), clock=_PART_OF_DAY[m["pod"].lower()]
    )


# Words that may follow "that night" used as a time: a preposition, a determiner or a pronoun
_AFTER_THAT_PART = _ADVERBIAL_NEXT | _words(
    "the a an his her their its he she they it we i you there this will would could should may might must can"
)


@_rule(r"\b(?i:that)\s+(?P<pod>(?i:morning|afternoon|evening|night))\b(?![-'’])", starts={"that"})
def _that_part_of_the_day(m: re.Match[str], doc: _Doc) -> _Candidate | None:
    """ "told analysts on a call that evening", "That night, the suspect fled": that part of the
    day the text last named (as a clock time takes it), not a part of today."""
    following = doc.next_words(m.end(), 1)
    adjacent = doc.text[m.end() : m.end() + 1] == " "
    if adjacent and following and following[0].islower() and following[0] not in _AFTER_THAT_PART:
        return None  # "said that morning sessions would": "that" the conjunction, "morning" an adjective
    return _Candidate(
        m.start(), m.end(), 0, _Resolved(None, "time", "TIME"), clock=_PART_OF_DAY[m["pod"].lower()]
    )


@_rule(r"\b(?i:that)\s+(?i:day)\b(?![-'’])", starts={"that"})
def _that_day(m: re.Match[str], doc: _Doc) -> _Candidate | None:
    """ "ferries will leave at 11:30am that day": the day the text last named, as "later that day"."""
    following = doc.next_words(m.end(), 1)
    adjacent = doc.text[m.end() : m.end() + 1] == " "
    if adjacent and following and following[0].islower() and following[0] not in _AFTER_THAT_PART:
        return None  # "said that day care centres would": "that" the conjunction
    return _Candidate(m.start(), m.end(), 0, _Resolved(None, "vague", "DATE"), shift=(0, "day", False))


_CLOCK_HOUR_WORDS = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


@_rule(
    r"(?<![\w:.$€£])(?P<h>\d{1,2}|(?i:" + "|".join(_CLOCK_HOUR_WORDS) + r"))(?:[:.](?P<m>\d{2}))?"
    r"(?:\s+o['’]clock)?\s+(?:(?i:in\s+the)\s+(?P<pod>(?i:morning|afternoon|evening))|(?i:at\s+night))\b",
    starts={_DIGIT, *_CLOCK_HOUR_WORDS},
)
def _clock_part_of_day(m: re.Match[str], doc: _Doc) -> _Candidate | None:
    """ "at 4 in the morning", "10 o'clock at night": the part of the day sets a.m. or p.m."""
    previous = doc.prev_words(m.start(), 1)
    if not previous or previous[0] not in _CLOCK_PREPOSITIONS:
        return None  # "killed 4 in the morning raid": a count
    h = m["h"].lower()
    hour = int(h) if h.isdigit() else _CLOCK_HOUR_WORDS.index(h) + 1
    minute = int(m["m"] or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return None
    pod = (m["pod"] or "night").lower()
    if pod == "morning":
        hour %= 12
    elif hour != 12 and not (pod == "night" and hour <= 4):
        hour += 12  # "2 at night" is 02:00, "10 at night" 22:00
    return _time_candidate(m, hour, minute)


_CLOCK_PREPOSITIONS = _words("at around about until till by from before after since to past")


def _time_candidate(m: re.Match[str], hour: int, minute: int) -> _Candidate:
    zone = (m.groupdict().get("tz") or "").upper()
    utc = "Z" if zone in ("UTC", "GMT") else ""  # TIMEX3 marks UTC times with Z
    return _Candidate(
        m.start(), m.end(), 0, _Resolved(None, "time", "TIME"), clock=f"{hour:02d}:{minute:02d}{utc}"
    )


# --------------------------------------------------------------------------- driver


def extract_dates(
    text: str,
    field: Field,
    reference: datetime,
    *,
    reference_is_publication: bool = True,
    language: str | None = None,
) -> list[DateMention]:
    """Every temporal expression in ``text`` with a TIMEX3 value resolved against ``reference``.

    ``reference`` is the publication time (or, with ``reference_is_publication=False``, the
    ingestion time: then tense-less expressions resolve to the past). A naive datetime is taken
    as UTC. Overlapping matches resolve longest first; the result is sorted by start offset and
    each mention's ``text`` equals ``text[span.start:span.end]``.
    """
    if not text:
        return []
    doc = _Doc(text, reference, reference_is_publication)
    candidates: list[_Candidate] = []
    starts = _token_starts(text)
    for priority, rule in enumerate(_RULES):
        if not starts[priority]:
            continue
        for match in _finditer_at(rule.pattern, text, starts[priority]):
            if match.end() <= match.start():
                continue
            try:
                result = rule.resolve(match, doc)
            except (ValueError, OverflowError, KeyError):
                continue  # an impossible date ("February 30") or number: not a mention
            if result is None:
                continue
            if isinstance(result, _Resolved):
                result = _Candidate(match.start(), match.end(), priority, result)
            else:
                result.priority = priority
            candidates.append(_trimmed(result, text))
    chosen = [c for c in _select(candidates) if not _inside_a_name(c, doc)]
    chosen = _joined_clock_days([part for c in chosen for part in (c.parts or (c,))], text)
    _same_month_same_year(chosen, doc)
    _joined_months(chosen, doc)
    _date_ranges_forward(chosen, doc)
    _date_ranges_year_back(chosen, doc)
    _listed_forward(chosen, doc)
    _attach_days_to_times(chosen, doc)
    _resolve_shifts(chosen, doc)
    _months_years_ago(chosen, doc)
    chosen = [_day_before_or_after(c, text) for c in chosen]
    chosen = [c for c in chosen if c.resolved.value is not None or c.shift is None]  # unanchored
    return _date_mentions(text, field, chosen)


# A time word inside a proper name names no time (the TIDES/TimeML guidelines tag times, not titles
# that contain a time word): "The Sunday Times", CBS's "60 Minutes", ABC's "This Week", the "Daily
# Mail", "Monday Night Football", "the March for Life". (The lower-case noun, "the Communist Party
# daily Granma", is left: TBAQ tags it as a set in most of its articles.)
_NAME_UNIT_WORDS = _words(
    "Minute Minutes Hour Hours Day Days Week Weeks Month Months Year Years Daily Weekly Monthly"
    " Today Tonight Tomorrow Yesterday"  # "USA Today", NBC's "Today" show
)
_BEFORE_A_NAME_UNIT = frozenset({*_NUMBER_WORDS, "this", "next", "last", "every", "each", "one", "the"})
_NAME_AFTER_WEEKDAY = re.compile(r" (?:Night|Morning|Evening|Afternoon) [A-Z]")
_CAPITALISED_NEXT = re.compile(rf" (?!(?:{_MONTH}|{_WEEKDAY})\b)[A-Z][a-z]")
_PROCESSION = re.compile(rf" (?:for|on|against|to) (?!(?:{_MONTH}|{_WEEKDAY})\b)[A-Z]")
_DATE_BEFORE_A_MONTH = _words(
    "in on since by until till from of early late mid last next this through during before after"
)
_MEDIA_AFTER = re.compile(r" of (?:videos?|footage|audio|recordings?|tapes?)\b")


def _inside_a_name(c: _Candidate, doc: _Doc) -> bool:
    """Whether ``c`` is a time word inside a name (see above), or a length of recorded material
    ("75 hours of video" measures footage, not a time). Called on every chosen mention: string
    methods first, so the common case costs a few calls."""
    text = doc.text
    span = text[c.start : c.end]
    if c.resolved.type == "DURATION" and _MEDIA_AFTER.match(text, c.end):
        return True
    last = span[span.rfind(" ") + 1 :]
    last = last[last.rfind("-") + 1 :]  # "the Six-Day War": "Day"
    if last in _NAME_UNIT_WORDS:
        before = span[: len(span) - len(last)].rstrip(" -")
        before_unit = before[before.rfind(" ") + 1 :].rsplit("-", 1)[-1].lower()
        if before and not (before_unit in _BEFORE_A_NAME_UNIT or before_unit[:1].isdigit()):
            return False  # "Thanksgiving Day", "New Year": a holiday's own capital
        return _capital_inside_a_sentence(doc, c.start, c.end - len(last))
    if " " in span:
        return False
    if span in _CAPITALISED_WEEKDAYS:  # "the Sunday Times", "Monday Night Football"
        if _NAME_AFTER_WEEKDAY.match(text, c.end):
            return True
        return bool(_CAPITALISED_NEXT.match(text, c.end)) and doc.prev_words(c.start, 1) == ["the"]
    if span == "March" and _PROCESSION.match(text, c.end):  # "the annual March for Life"
        previous = doc.prev_words(c.start, 1)
        return bool(previous) and previous[0] not in _DATE_BEFORE_A_MONTH
    return False


_CAPITALISED_WEEKDAYS = frozenset(w.capitalize() for w in _WEEKDAYS)
_OPENING_QUOTE = re.compile(r"[\"“‘']\s*$")
_CLOSING_QUOTE = re.compile(r"[\"”’']")


def _capital_inside_a_sentence(doc: _Doc, start: int, unit_start: int) -> bool:
    """Whether a capitalised time word stands where lower case is expected: not first in its
    sentence, nor first in a quotation that is speech (a quoted title, "60 Minutes" or "This Week
    With David Brinkley", is all capitals), nor in a title-case headline."""
    s0, _ = doc.sentence(start)
    if _OPENING_QUOTE.search(doc.text, max(s0, start - 2), start):
        close = _CLOSING_QUOTE.search(doc.text, unit_start, unit_start + 60)
        quoted = doc.word_re.findall(doc.text, start, close.start() if close else unit_start + 60)
        return close is not None and all(w[0].isupper() for w in quoted if len(w) > 3)
    return bool(doc.word_re.search(doc.text, s0, start)) and not _headline(doc, s0)


def _headline(doc: _Doc, s0: int) -> bool:
    """A title-case line ("Apple Sells a Million Songs in Two Days"), where capitals are the style."""
    _, s1 = doc.sentence(s0)
    long_words = [w for w in doc.word_re.findall(doc.text, s0, min(s1, s0 + 200)) if len(w) > 3]
    return len(long_words) >= 4 and sum(w[0].isupper() for w in long_words) * 5 >= len(long_words) * 4


def _date_mentions(text: str, field: Field, chosen: Iterable[_Candidate]) -> list[DateMention]:
    """The output records of the chosen candidates, in their order."""
    return [
        DateMention(
            text=text[c.start : c.end],
            value=c.resolved.value,
            granularity=c.resolved.granularity,
            type=c.resolved.type,
            span=Span(field, c.start, c.end),
        )
        for c in chosen
    ]


_TOKEN_RE = re.compile(r"\w+|['’]")


def _token_key(token: str) -> str | None:
    """The form rule start specs use for a ``_TOKEN_RE`` match; None for a token with non-ASCII letters."""
    if token in ("'", "’"):
        return "'"
    if not token.isascii():
        return None  # under IGNORECASE some non-ASCII letters match ASCII ones ("ſ" ~ "s", "K" ~ "k")
    return _DIGIT if token[0].isdigit() else token.lower()


@dataclass(frozen=True, slots=True)
class _TokenInfo:
    key: str | None
    rules: tuple[int, ...]  # rules a match can start at this token with, whatever follows
    is_the: bool  # "the": rules given as "the <next>" are decided by the next token


def _token_info(token: str) -> _TokenInfo:
    key = _token_key(token)
    if key is None:
        return _TokenInfo(None, tuple(range(len(_RULES))), False)
    return _TokenInfo(key, tuple(i for i, rule in enumerate(_RULES) if key in rule.starts), key == "the")


@functools.lru_cache(maxsize=1 << 12)
def _rules_after_the(next_key: str | None) -> tuple[int, ...]:
    """Rules a match can start with at a "the" followed by a token of key ``next_key``."""
    if next_key is None:
        return tuple(i for i, rule in enumerate(_RULES) if any(s.startswith("the ") for s in rule.starts))
    return tuple(i for i, rule in enumerate(_RULES) if f"the {next_key}" in rule.starts)


# Token -> _TokenInfo; a plain dict is cheaper per lookup than lru_cache. Bounded.
_TOKENS: dict[str, _TokenInfo] = {}
_TOKENS_MAX = 1 << 14  # a few MB at most; refilling costs one set lookup per rule and token


def _token_starts(text: str) -> list[list[int]]:
    """Per rule, the ascending offsets of the tokens its matches can begin with."""
    starts: list[list[int]] = [[] for _ in _RULES]
    cache = _TOKENS
    the_at = -1  # offset of the previous token when it was "the"
    for match in _TOKEN_RE.finditer(text):
        token = match[0]
        info = cache.get(token)
        if info is None:
            if len(cache) >= _TOKENS_MAX:
                cache.clear()
            info = cache[token] = _token_info(token)
        if the_at >= 0:
            for i in _rules_after_the(info.key):
                starts[i].append(the_at)
            the_at = -1
        if info.rules:
            position = match.start()
            for i in info.rules:
                starts[i].append(position)
        if info.is_the:
            the_at = match.start()
    return starts


def _finditer_at(pattern: re.Pattern[str], text: str, positions: list[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` when every match starts at one of ``positions`` (ascending).

    Same leftmost, non-overlapping matches: scanning resumes at the end of the previous match, and
    ``match`` at an offset sees the text before it for lookbehinds and \\b, as a scan would.
    """
    resume = 0
    for pos in positions:
        if pos < resume:
            continue
        match = pattern.match(text, pos)
        if match is not None:
            resume = match.end()
            yield match


def _trimmed(candidate: _Candidate, text: str) -> _Candidate:
    """Strip surrounding whitespace a pattern may have taken in."""
    while candidate.end > candidate.start and text[candidate.end - 1].isspace():
        candidate.end -= 1
    while candidate.start < candidate.end and text[candidate.start].isspace():
        candidate.start += 1
    return candidate


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest first, then rule order; a candidate overlapping an accepted one is dropped."""
    accepted: list[_Candidate] = []
    starts: list[int] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.priority, c.start)):
        if c.end <= c.start:
            continue
        i = bisect.bisect_left(starts, c.start)
        if i > 0 and accepted[i - 1].end > c.start:
            continue
        if i < len(accepted) and accepted[i].start < c.end:
            continue
        accepted.insert(i, c)
        starts.insert(i, c.start)
    return accepted


_ANCHOR_VALUE = re.compile(r"\d{4}(?:-Q[1-4]|-\d{2}(?:-\d{2})?)?")


def _resolve_shifts(chosen: list[_Candidate], doc: _Doc) -> None:
    """Shifts ("a year earlier") take the granularity and date of the nearest date before them."""
    anchor: _Candidate | None = None
    quarter: _Candidate | None = None  # the latest quarter mentioned, for "a year ago" in results news
    for c in chosen:
        if c.shift is not None:
            base = quarter if c.shift[2] else anchor
            value = _shift_from(base, c, doc) if base is not None else None
            if value is not None and value[1] == "quarter" and _a_year_back_over_quarters(c, doc):
                value = (value[0][:4], "year")  # no TIMEX3 value names "the nine months a year before"
            if value is not None:
                c.resolved = _Resolved(value[0], value[1], "DATE")
        elif (
            c.resolved.value is not None
            and _ANCHOR_VALUE.fullmatch(c.resolved.value)
            and not _YEAR_BACK.search(doc.text, c.start, c.end)
            and not _a_bound_beside_its_anchor(c, anchor, doc)
        ):
            anchor = c
            if "-Q" in c.resolved.value:
                quarter = c


def _a_bound_beside_its_anchor(c: _Candidate, anchor: _Candidate | None, doc: _Doc) -> bool:
    """ "412 deaths in 2026, the highest since 2007 and 9% more than the year before", "desde 2007",
    "seit 2007": a date after "since" bounds a comparison; the date its sentence already named stays
    the anchor."""
    if anchor is None or not doc.after_since(c.start):
        return False
    return doc.sentence(anchor.start)[0] == doc.sentence(c.start)[0]


# Results for a span of several quarters ("for the nine months", "in the first half")
_SEVERAL_QUARTERS = re.compile(r"(?i)\b(?:(?:nine|six)[ -]months?|first\s+half|year\s+to\s+date)\b")


def _a_year_back_over_quarters(c: _Candidate, doc: _Doc) -> bool:
    """ "a year earlier" in a sentence of results over several quarters."""
    year_back = c.shift is not None and c.shift[0] == -1 and c.shift[1].lower() == "year"
    return year_back and _over_several_quarters(doc, c.start)


def _over_several_quarters(doc: _Doc, pos: int) -> bool:
    """ "For the nine months, net rose from $5 million a year earlier": a comparison with a period no
    quarter names, so the year before is written, as TimeBank writes it."""
    return _SEVERAL_QUARTERS.search(doc.text, doc.sentence(pos)[0], pos) is not None


# A comparison period already a year back ("year-earlier results", "the year-ago quarter") anchors
# no later "a year earlier", which would go back twice.
_YEAR_BACK = re.compile(r"(?i)\byear[- ](?:earlier|ago)\b")
# "a year ago" in a sentence of results compares with the quarter the story last named, a few
# sentences back at most.
_QUARTER_REACH_CHARS = 400


def _shift_from(anchor: _Candidate, c: _Candidate, doc: _Doc) -> tuple[str, str] | None:
    assert c.shift is not None
    count, unit, quarter_only = c.shift
    value = anchor.resolved.value or ""
    if quarter_only and (
        c.start - anchor.end > _QUARTER_REACH_CHARS or not _results_sentence(anchor, c, doc)
    ):
        return None
    if unit.lower() in _WEEKDAYS:
        return _weekday_from(value, _WEEKDAYS.index(unit.lower()), count)
    code = _unit_code(unit)[0]
    if code in ("DE", "CE") and not c.at_unit:  # "a decade later": ten years from the anchor's year
        code, count = "Y", count * (10 if code == "DE" else 100)
    if c.at_unit:
        return _next_period(value, code, count)
    if count == 0:  # "later that year": the anchor's period at the named unit
        width = {"Y": 4, "M": 7, "D": 10}.get(code)
        if code == "W" and len(value) == 10:
            return _iso_week(date.fromisoformat(value)), "week"
        if width is None or len(value) < width or "-Q" in value:
            return None
        return value[:width], {4: "year", 7: "month", 10: "day"}[width]
    if "-Q" in value and code in ("Y", "M"):
        months = 12 * count if code == "Y" else count
        if months % 3:
            return None
        year, quarter = int(value[:4]), int(value[-1])
        return _quarter_shift(date(year, 3 * quarter - 2, 1), months // 3), "quarter"
    if code == "Y":
        shifted_year = int(value[:4]) + count
        _check_year(shifted_year)
        if value[5:] == "02-29":
            return None
        return f"{shifted_year:04d}{value[4:]}", {4: "year", 7: "month", 10: "day"}[len(value)]
    if code == "D" and len(value) == 10:
        return (date.fromisoformat(value) + timedelta(days=count)).isoformat(), "day"
    return None


def _results_sentence(quarter: _Candidate, c: _Candidate, doc: _Doc) -> bool:
    """ "a year ago" compares results: its sentence names them, or names the quarter itself ("In the
    1989 period also, interest expense was lower than a year ago")."""
    return _financial(doc, c.start) or doc.sentence(quarter.start) == doc.sentence(c.start)


def _weekday_from(value: str, weekday: int, step: int) -> tuple[str, str] | None:
    """The named weekday strictly before (``step`` -1) or after (1) the day ``value`` names."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    anchor = date.fromisoformat(value)
    gap = ((anchor.weekday() - weekday) % 7 or 7) if step < 0 else ((weekday - anchor.weekday()) % 7 or 7)
    return (anchor + timedelta(days=gap * step)).isoformat(), "day"


def _next_period(value: str, code: str, step: int = 1) -> tuple[str, str] | None:
    """The year, month, week or day ``step`` after (before, when negative) the one ``value`` falls
    in ("1995-05-22", "Y" -> "1996"; "2026-10-03", "W" -> "2026-W41")."""
    if "-Q" in value:
        return None
    if code == "Y" and len(value) >= 4:
        _check_year(int(value[:4]) + step)
        return f"{int(value[:4]) + step:04d}", "year"
    if code == "M" and len(value) >= 7 and value[5:7].isdigit():
        y, m = _add_months(int(value[:4]), int(value[5:7]), step)
        _check_year(y)
        return f"{y:04d}-{m:02d}", "month"
    if code == "W" and (len(value) == 10 or _ISO_WEEK.fullmatch(value)):
        day = (
            date.fromisoformat(value)
            if len(value) == 10
            else date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        )
        return _iso_week(day + timedelta(weeks=step)), "week"
    if code == "D" and len(value) == 10:
        return (date.fromisoformat(value) + timedelta(days=step)).isoformat(), "day"
    return None


_ISO_WEEK = re.compile(r"\d{4}-W\d\d")


_DAY_BEFORE_OR_AFTER = re.compile(r"\b(?i:the)\s+day\s+(?P<dir>before|after)\s+$")


def _day_before_or_after(c: _Candidate, text: str) -> _Candidate:
    """ "the day before last Tuesday", "the day after Christmas": one day off the date named, as
    "the day before yesterday" is (the date alone was a day wrong)."""
    value = c.resolved.value
    if c.resolved.granularity != "day" or c.clock is not None or value is None or len(value) != 10:
        return c
    joined = _DAY_BEFORE_OR_AFTER.search(text, max(0, c.start - 20), c.start)
    if joined is None:
        return c
    try:
        day = date.fromisoformat(value) + timedelta(days=1 if joined["dir"] == "after" else -1)
    except ValueError:
        return c
    return _Candidate(joined.start(), c.end, c.priority, _Resolved(day.isoformat(), "day", "DATE"))


def _joined_clock_days(chosen: list[_Candidate], text: str) -> list[_Candidate]:
    """ "10 p.m. Wednesday", "noon Saturday", "6 p.m. tonight": a clock time directly followed by its
    day, or a part of a day, is one TIME."""
    out: list[_Candidate] = []
    for c in chosen:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.clock is not None
            and (c.resolved.granularity == "day" or _part_of_a_named_day(c))
            and re.fullmatch(r"[ ,]{1,2}", text[previous.end : c.start])
        ):
            # "6 p.m. tonight", "9 a.m. this morning": the clock time of that part's day
            day = _Resolved((c.resolved.value or "")[:10], "day", "DATE")
            out[-1] = _Candidate(
                previous.start, c.end, previous.priority, day, clock=previous.clock, shift=None
            )
            continue
        out.append(c)
    return out


_BARE_MONTH_DAY = re.compile(rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?")


def _same_month_same_year(chosen: list[_Candidate], doc: _Doc) -> None:
    """ "The phase runs until late January, with the places decided on January 27": a month-day
    without a year takes the year of the same month named just before it in its sentence."""
    for previous, c in itertools.pairwise(chosen):
        value, before = c.resolved.value, previous.resolved.value
        if (
            value is None
            or before is None
            or c.resolved.granularity != "day"
            or previous.resolved.granularity not in ("month", "day")
            or not _BARE_MONTH_DAY.fullmatch(doc.text, c.start, c.end)
            or doc.sentence(previous.start) != doc.sentence(c.start)
            or before[4:7] != value[4:7]
            or before[:4] == value[:4]
        ):
            continue
        try:
            day = date.fromisoformat(before[:4] + value[4:10])
        except ValueError:  # February 29 in a year without one
            continue
        c.resolved = _Resolved(day.isoformat(), "day", "DATE")


def _listed_forward(chosen: list[_Candidate], doc: _Doc) -> None:
    """A calendar listed ahead: "the first term ends on 17 December. The second starts on 4
    January, with a break from 8 to 10 February": a yearless day or month that the reference's
    nearest-year choice put in the past, right after a yearless date still to come (in its
    sentence or the one before) and in a clause that is not past, is next in the list, a year on."""
    today = doc.day.isoformat()
    previous: _Candidate | None = None
    for c in chosen:
        value = c.resolved.value or ""
        listed = c.clock is None and (
            (
                c.resolved.granularity == "day"
                and len(value) == 10
                and re.search(r"\d", doc.text[c.start : c.end])
            )
            or (c.resolved.granularity == "month" and len(value) == 7)
        )
        if not listed:
            continue
        if (
            previous is not None
            and (previous.resolved.value or "") > today
            and value < today[: len(value)]
            and re.search(r"\d{4}", doc.text[c.start : c.end]) is None
            and re.search(r"\d{4}", doc.text[previous.start : previous.end]) is None
            and doc.sentence(previous.start)[0] >= _sentence_before(doc, c.start)
            and doc.tense(c.start, c.end) != "past"
        ):
            later = f"{int(value[:4]) + 1:04d}{value[4:]}"
            anchor = (previous.resolved.value or "")[: len(later)]
            gap = _days_between(anchor, later)
            if anchor <= later and gap is not None and gap <= 250:
                c.resolved = _Resolved(later, c.resolved.granularity, c.resolved.type)
        previous = c


def _sentence_before(doc: _Doc, pos: int) -> int:
    """Where the sentence before the one at ``pos`` starts (its own start when it is the first)."""
    s0, _ = doc.sentence(pos)
    return doc.sentence(s0 - 1)[0] if s0 > 0 else s0


def _days_between(first: str, second: str) -> int | None:
    """Days from one ISO day or month (its first day) to another; None when either is no calendar
    day (29 February moved to a year that has none)."""
    try:
        a, b = (date.fromisoformat(v if len(v) == 10 else f"{v}-01") for v in (first, second))
    except ValueError:
        return None
    return (b - a).days


# Between the two days of a range: "from Dec. 18 to Jan. 3", "du 18 décembre au 3 janvier"
_DAY_RANGE_JOIN = re.compile(
    r"\s*(?:-|\u2013|(?i:to|through|until|till|and|au|à|al|a|ao|bis(?:\s+zum)?|hasta(?:\s+el)?|até(?:\s+ao?)?"
    r"|e|y|et|und)\s+)"
)


def _date_ranges_forward(chosen: list[_Candidate], doc: _Doc) -> None:
    """ "du 18 décembre au 3 janvier": a range's end without a year that falls before its start
    is in the following year (each end was dated alone, the second as near the reference)."""
    for a, b in itertools.pairwise(chosen):
        values = (a.resolved.value or "", b.resolved.value or "")
        days = zip(values, (a, b), strict=True)
        if not all(len(v) == 10 and c.resolved.granularity == "day" for v, c in days):
            continue
        start, end = (date.fromisoformat(v) for v in values)
        yearless = re.search(r"\d{4}", doc.text[b.start : b.end]) is None
        if end >= start or not yearless or not _DAY_RANGE_JOIN.fullmatch(doc.text, a.end, b.start):
            continue
        try:
            later = end.replace(year=end.year + 1)
        except ValueError:  # February 29
            continue
        if start < later < start + timedelta(days=200):
            b.resolved = _Resolved(later.isoformat(), "day", "DATE")


def _date_ranges_year_back(chosen: list[_Candidate], doc: _Doc) -> None:
    """ "from September 9 to October 2, 2024": a range's start without a year takes the year its
    end writes (the last one before that end), not the year nearest the reference."""
    for a, b in itertools.pairwise(chosen):
        values = (a.resolved.value or "", b.resolved.value or "")
        if not all(
            len(v) == 10 and c.resolved.granularity == "day" for v, c in zip(values, (a, b), strict=True)
        ):
            continue
        start, end = (date.fromisoformat(v) for v in values)
        year_in_start = re.search(r"\d{4}", doc.text[a.start : a.end]) is not None
        year_in_end = re.search(r"\d{4}", doc.text[b.start : b.end]) is not None
        if year_in_start or not year_in_end or not _DAY_RANGE_JOIN.fullmatch(doc.text, a.end, b.start):
            continue
        try:
            moved = start.replace(year=end.year)
            moved = moved if moved <= end else moved.replace(year=end.year - 1)
        except ValueError:  # February 29
            continue
        if moved != start and end - moved < timedelta(days=200):
            a.resolved = _Resolved(moved.isoformat(), "day", "DATE")


# Between two months: a coordination ("January and February 2026", "janeiro e fevereiro de 2026")
# or a range ("between October and April", "de octubre a marzo", "from May to July").
_MONTH_JOIN = re.compile(
    r"\s*(?:-|\u2013|(?i:to|through|until|till|and|or|au|à|al|a|ao|bis|hasta|até|jusqu['’]à|e|y|et|und|o|ou|oder)\s+)"
    r"(?:(?i:el|le|o|den)\s+)?(?:(?i:mes|mois|mês|mese)\s+(?:de|di)\s+)?"
)
_RANGE_OPENING = re.compile(r"(?i:between|from|entre|de|del|desde|du|depuis|dal|da|von|vom|zwischen)\s+$")


def _joined_months(chosen: list[_Candidate], doc: _Doc) -> None:
    """Two months joined in one phrase share its year: the first takes the year the second writes
    ("January and February 2026"), the one before it when the pair crosses a new year ("December
    and January 2027"); a range named without a year ("between October and April") that the
    nearest-year choice put in one calendar year crosses the new year, back in the past, ahead in
    the future."""
    for a, b in itertools.pairwise(chosen):
        first, second = a.resolved.value or "", b.resolved.value or ""
        if (
            a.resolved.granularity != "month"
            or b.resolved.granularity != "month"
            or not re.fullmatch(r"\d{4}-\d\d", first)
            or not re.fullmatch(r"\d{4}-\d\d", second)
            or re.search(r"\d", doc.text[a.start : a.end])
            or not _MONTH_JOIN.fullmatch(doc.text, a.end, b.start)
        ):
            continue
        year, month = int(second[:4]), int(second[5:])
        crossing = int(first[5:]) > month
        if re.search(r"\d{4}", doc.text[b.start : b.end]):
            a.resolved = _Resolved(f"{year - crossing:04d}-{first[5:]}", "month", "DATE")
        elif (
            crossing
            and first[:4] == second[:4]
            and _RANGE_OPENING.search(doc.text, max(0, a.start - 12), a.start)
        ):
            if doc.tense(a.start, b.end) == "future":
                b.resolved = _Resolved(f"{year + 1:04d}-{second[5:]}", "month", "DATE")
            else:
                a.resolved = _Resolved(f"{year - 1:04d}-{first[5:]}", "month", "DATE")


# "five years ago", "vor zwei Jahren", "hace tres años", "il y a deux ans", "há dois anos", "due anni
# fa": a year counted back from the reference; not a comparison's base ("up 4% from a year ago").
_YEARS_AGO = re.compile(r"(?i)\b(?:ago|fa)$|^(?:vor|hace|il y a|há|ha)\b")
_COMPARED_WITH = _words("from than over on with versus vs")
# Pronouns opening a relative clause: "The plant, which closed two years ago, reopened in March".
_RELATIVE_PRONOUNS = _words(
    "who whom whose which that que qui quien quienes cual cuales dont lequel laquelle che cui quale"
    " der die das dem den deren dessen welche welcher welches"
)


def _months_years_ago(chosen: list[_Candidate], doc: _Doc) -> None:
    """ "The last ban, five years ago, was lifted in early December", "Vor zwei Jahren waren die
    Lager Mitte Januar leer": a month or season without a year after a count of years back, in its
    clause and with no date between, is of that year, unless it looks ahead or is a "since"."""
    for a, b in itertools.pairwise(chosen):
        year, value = a.resolved.value or "", b.resolved.value or ""
        if (
            not re.fullmatch(r"\d{4}", year)
            or not _YEARS_AGO.search(doc.text[a.start : a.end])
            # a digit between is a date of its own; the count may be one ("Vor 20 Jahren ... im Januar")
            or re.search(r"\d", doc.text[a.end : b.end])
            or b.resolved.granularity not in ("month", "season")
            or value[:4] == year
            or doc.sentence(a.start) != doc.sentence(b.start)
            or set(doc.prev_words(a.start, 1)) & _COMPARED_WITH
            or _FRAME_ENDS.search(doc.text, a.end, b.start)
            # "caducó hace dos años y ... se han alargado desde la primavera": another clause
            or {w.lower() for w in doc.word_re.findall(doc.text, a.end, b.start)} & doc.coordinators
            or doc.after_since(b.start)
            or _closed_relative_clause(a, b, doc)
            or doc.tense(b.start, b.end) == "future"
        ):
            continue
        b.resolved = _Resolved(year + value[4:], b.resolved.granularity, "DATE")


def _closed_relative_clause(a: _Candidate, b: _Candidate, doc: _Doc) -> bool:
    """ "The mayor, who was elected two years ago, resigned in March", "Der Bürgermeister, der vor
    zwei Jahren gewählt wurde, trat im März zurück": ``a`` in a relative clause closed before ``b``,
    whose verb is the main clause's, not the relative clause's ("The last ban, five years ago, was
    lifted in early December" has no relative pronoun)."""
    s0, _ = doc.sentence(a.start)
    opening = _CLAUSE_BREAK.split(doc.text[max(s0, a.start - 200) : a.start])[-1]
    return bool(_CLAUSE_BREAK.search(doc.text, a.end, b.start)) and any(
        w.lower() in _RELATIVE_PRONOUNS for w in doc.word_re.findall(opening)
    )


# Reporting verbs (lower-case, as written) whose day is when something was said, not when the
# clock times around it fall: "the board said yesterday", "a annoncé hier", "teilte der Konzern am
# Montag mit", "disse na quinta-feira", "anunció ayer", "ha detto ieri".
_REPORTED_ON = _words(
    "said says told announced added reported confirmed annoncé indiqué précisé déclaré affirmé "
    "expliqué dijo anunció informó explicó afirmó señaló indicó confirmó precisó declaró disse "
    "anunciou informou explicou afirmou indicou confirmou revelou divulgou detto annunciato "
    "spiegato comunicato confermato affermato dichiarato teilte sagte erklärte kündigte bestätigte "
    "berichtete"
)


def _reported_on(c: _Candidate, doc: _Doc) -> bool:
    """A day right after a reporting verb (at most three words between) in a reporting clause: one
    after the reported words (", the board said yesterday") or before "that" ("disse na
    quinta-feira que ..."); not "The firm reported results on Tuesday", where the verb is the event."""
    s0, _ = doc.sentence(c.start)
    clauses = re.split(r"[,;:«»\"“”]", doc.text[max(s0, c.start - 60) : c.start])
    words = [w.lower() for w in _WORDS_OF_A_CLAUSE.findall(clauses[-1])[-4:]]
    if not _REPORTED_ON.intersection(words):
        return False
    following = [w.lower() for w in doc.next_words(c.end, 1)]
    return len(clauses) > 1 or following in (["that"], ["que"], ["dass"], ["che"])


_WORDS_OF_A_CLAUSE = re.compile(r"[^\W\d_]+")


def _attach_days_to_times(chosen: list[_Candidate], doc: _Doc) -> None:
    """A clock time takes the day of the nearest day mention in its sentence, else the reference day;
    a part of a named day counts as its day ("dimanche soir, dès 20 heures", "Friday night at 11")."""
    days = [
        c
        for c in chosen
        if (c.resolved.granularity == "day" or _part_of_a_named_day(c))
        # "rain will last until Saturday morning", "filers have until July 31": the end of a span
        # or a deadline, not the day of the clock times around it
        and doc.prev_words(c.start, 1) not in (["until"], ["till"])
        and not _reported_on(c, doc)
    ]
    index = _DaysByStart(days)
    for c in chosen:
        if c.clock is None:
            continue
        if c.resolved.granularity == "day":  # joined with its own day
            c.resolved = _Resolved(f"{c.resolved.value}T{c.clock}", "time", "TIME")
            c.own_day = True
            index.add(c)
            continue
        s0, s1 = doc.sentence(c.start)
        # a part of the day ("apriranno nel pomeriggio") takes its sentence's day however far off
        reach = 40 if c.clock[:1].isdigit() else s1 - s0
        usable = _days_for_the_tense(index.within_reach(c, reach, doc, (s0, s1)), doc, c)
        near = [
            d
            for d in usable
            if s0 <= d.start < s1 and min(abs(d.end - c.start), abs(c.end - d.start)) <= reach
        ]
        source = (
            min(near, key=lambda d: min(abs(d.end - c.start), abs(c.end - d.start)))
            if near
            else _day_of_previous_sentence(_days_before_a_past_clock(usable, doc, c), doc, s0)
        )
        day = _small_hours_after_a_night(source, c) if source else None
        if day and day > doc.day.isoformat() and doc.after_since(c.start):
            day = None  # "have been running since 4 a.m.": not a later day the text named
        if c.clock == "24:00" and _MIDNIGHT_OF_TODAY.search(doc.text, max(s0, c.start - 30), c.start):
            day = doc.day.isoformat()  # "hasta esta medianoche": tonight's, whatever day is near
        elif c.clock == "24:00" and _midnight_without_its_day(day, source, doc, s0):
            c.resolved = _bare_midnight(c, doc)
            continue
        c.resolved = _Resolved(f"{day or doc.day.isoformat()}T{c.clock}", "time", "TIME")
        if day:  # "Stocks plunged on Thursday. At 2:47 p.m. ... Trades made after 2:40 p.m.": a chain
            index.add(c)
    _ranges_across_midnight(chosen, doc)


# "tonight at midnight", "ce soir à minuit", "hasta esta medianoche", "heute um Mitternacht": the
# midnight that ends the reference day, T24:00 as with a named day. Only prepositions and articles
# between, and "this"/"esta" right before it: "this Sunday at midnight", "esta semana a medianoche
# del viernes" are the day named's
_MIDNIGHT_OF_TODAY = re.compile(
    r"(?i)(?:\b(?:tonight|today|this\s+evening|ce\s+soir|aujourd'hui|hoy|esta\s+noche|heute|stasera|oggi"
    r"|hoje|esta\s+noite)\b(?:\s+(?:at|until|till|by|before|around|a|à|la|las|hasta|desde|de|jusqu['’]à"
    r"|vers|avant|um|bis|ab|gegen|vor|alle|fino|entro|até|às|ao|as)(?!\w))*|\b(?:this|esta))\s+$"
)


def _midnight_without_its_day(day: str | None, source: _Candidate | None, doc: _Doc, s0: int) -> bool:
    """No day of its own: none found, or only the reference day from an earlier sentence ("officials
    said this afternoon. The display starts at midnight")."""
    return day is None or (day == doc.day.isoformat() and source is not None and source.start < s0)


def _bare_midnight(c: _Candidate, doc: _Doc) -> _Resolved:
    """ "stay open until midnight", "the display starts at midnight": a midnight with no day is the
    next one, the start of the day after the reference (T00:00, as the written gold writes it); in
    a past clause, after "since" ("the bells rang at midnight", "seit Mitternacht") or with no tense
    under an ingestion-time reference, the one that began the reference day."""
    behind = doc.default_direction(doc.tense(c.start, c.end)) == "past" or doc.after_since(c.start)
    day = doc.day if behind else doc.day + timedelta(days=1)
    return _Resolved(f"{day.isoformat()}T00:00", "time", "TIME")


class _DaysByStart:
    """The day mentions a clock time may take, indexed by start: only those within its reach in
    its sentence or in the sentence before can be chosen, so each clock looks at those alone (a
    pass over every day of the text for each clock made a text of many clock times quadratic)."""

    def __init__(self, days: list[_Candidate]) -> None:
        self.days: list[_Candidate] = []
        self.starts: list[tuple[int, int]] = []  # (start, position in ``days``), sorted
        self.longest = 0
        for d in days:
            self.add(d)

    def add(self, day: _Candidate) -> None:
        bisect.insort(self.starts, (day.start, len(self.days)))
        self.days.append(day)
        self.longest = max(self.longest, day.end - day.start)

    def within_reach(
        self, clock: _Candidate, reach: int, doc: _Doc, sentence: tuple[int, int]
    ) -> list[_Candidate]:
        """In their order of addition, a superset of the days that end or start within ``reach`` of
        ``clock`` in its sentence, and every day of the sentence before."""
        s0, s1 = sentence
        p0 = doc.sentence(s0 - 1)[0] if s0 > 0 else s0
        low = max(s0, min(clock.start - reach - self.longest, clock.end - reach))
        high = min(s1, max(clock.start, clock.end) + reach + 1)
        spans = ((p0, s0), (low, high))
        found = [
            i
            for a, b in spans
            for _, i in self.starts[
                bisect.bisect_left(self.starts, (a, -1)) : bisect.bisect_left(self.starts, (b, -1))
            ]
        ]
        return [self.days[i] for i in sorted(found)]


def _days_for_the_tense(days: list[_Candidate], doc: _Doc, clock: _Candidate) -> list[_Candidate]:
    """The days a clock time may take: for one in the future tense ("the moon, which was full on
    Saturday, will rise at 9:42 p.m."; "... the opening on May 27, 1937. The bridge will close from
    4 a.m.") none before the reference day, which a future event cannot fall on."""
    if doc.tense(clock.start, clock.end) != "future":
        return days
    today = doc.day.isoformat()
    return [d for d in days if (d.resolved.value or "")[:10] >= today]


def _small_hours_after_a_night(day: _Candidate, clock: _Candidate) -> str | None:
    """The day (YYYY-MM-DD) a clock time takes from ``day``: the next one for the small hours after
    a named evening or night ("Tonight, trains will run until 2 a.m."; "Friday night, from 11 p.m.
    to 3 a.m."), not before one ("The storm hit at 3 a.m. before easing on Sunday evening")."""
    value, time = day.resolved.value, clock.clock or ""
    if value is None:
        return None
    if (
        value.endswith(("TNI", "TEV"))
        and day.end <= clock.start
        and time[:1].isdigit()
        and time[:5] < "06:00"
    ):
        return _days_later(value[:10], 1)
    return value[:10]


def _days_before_a_past_clock(days: list[_Candidate], doc: _Doc, clock: _Candidate) -> list[_Candidate]:
    """The days of the sentence before that a clock time in the past tense may take: none after
    the reference day ("Prices rise from March 1. Ruiz told analysts on a call at 2 p.m."; "voted
    on Friday to raise rates from July 1. The debate ended at 6:40 p.m."); "since 4 a.m." is left
    to the caller, which dates it today when the day before it lies ahead."""
    if doc.after_since(clock.start) or doc.tense(clock.start, clock.end) != "past":
        return days
    today = doc.day.isoformat()
    return [d for d in days if (d.resolved.value or "")[:10] <= today]


# Between the two clock times of a range: "from 8 p.m. to 2 a.m.", "de 22 heures à 2 heures"
_CLOCK_RANGE_JOIN = re.compile(
    r"\s*(?:-|\u2013|(?i:to|and|until|till|through|à|a|et|y|e|bis|und|hasta|até|jusqu['’]à)\s+"
    r"(?:(?i:las|les|le|as|alle|às)\s+)?)"
)


def _ranges_across_midnight(chosen: list[_Candidate], doc: _Doc) -> None:
    """ "from 8 p.m. to 2 a.m.": a range's end earlier on the clock than its start is the next day's;
    when the end names its own day ("entre las 22:00 y las 8:00 del miércoles", "from 6pm until
    11am on New Year's Day", "from 6am until 2pm tomorrow") the start is on that day, or on the day
    before when it is later on the clock."""
    for i, (a, b) in enumerate(itertools.pairwise(chosen)):
        if a.clock is None or b.clock is None or a.resolved.value is None or b.resolved.value is None:
            continue
        if len(a.resolved.value) <= 10 or not _CLOCK_RANGE_JOIN.fullmatch(doc.text, a.end, b.start):
            continue
        start, end = a.resolved.value, b.resolved.value
        after = chosen[i + 2] if i + 2 < len(chosen) else None
        earlier = b.clock[:5] < a.clock[:5] and b.clock[:2].isdigit()
        end_names_its_day = b.own_day or (after is not None and after.start - b.end <= 12)
        if end_names_its_day and not a.own_day:
            start_day = _days_later(end[:10], -1 if earlier else 0)
            a.resolved = _Resolved(start_day + start[10:], "time", "TIME")
        elif earlier and start[:10] == end[:10]:
            b.resolved = _Resolved(_days_later(end, 1), "time", "TIME")


def _days_later(value: str, days: int) -> str:
    """A TIMEX3 day or time value moved by ``days`` days, its time kept."""
    moved = date.fromisoformat(value[:10]) + timedelta(days=days)
    return f"{moved.isoformat()}{value[10:]}"


_DAY_WITH_A_PART = re.compile(r"\d{4}-\d{2}-\d{2}T(?:MO|AF|EV|NI)")


def _part_of_a_named_day(c: _Candidate) -> bool:
    return (
        c.clock is None
        and c.resolved.value is not None
        and bool(_DAY_WITH_A_PART.fullmatch(c.resolved.value))
    )


def _day_of_previous_sentence(days: list[_Candidate], doc: _Doc, s0: int) -> _Candidate | None:
    """ "Voters go to the polls on Sunday. Polls close at 6 p.m.": with no day in its own sentence,
    a clock time takes the last day the sentence before named."""
    if s0 == 0:
        return None
    p0, _ = doc.sentence(s0 - 1)
    before = [d for d in days if p0 <= d.start < s0]
    return max(before, key=lambda d: d.start) if before else None
