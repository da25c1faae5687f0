"""Publication-date parsing: ISO 8601, RFC 2822, epoch seconds/milliseconds, and a few
written forms ("September 4, 2025", "4 Sept 2025"), plus the evidence used to infer a date
(dated URL paths, dated captions). Every result is a UTC-aware datetime, except
``parse_datetime_local``'s, which keeps the offset the text wrote (the article's local day)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

# Plausible publication years. Outside this range a value is a typo or a unit mistake.
MIN_YEAR = 1900
MAX_YEAR = 2200
# Epoch numbers above this are milliseconds (1e11 seconds is the year 5138).
_EPOCH_MS_THRESHOLD = 100_000_000_000

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAME = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# "September 4, 2025" / "Sept. 4 2025"
_MDY = re.compile(rf"\b{_MONTH_NAME}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I)
# "4 September 2025" / "4th Sept, 2025"
_DMY = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME},?\s+(?P<year>\d{{4}})\b", re.I)
_ISO_DATE = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_SLASH_YMD = re.compile(r"^(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})$")
# /2025/09/05/ or /2025-09-05/ or /20250905/ as a path segment of a URL.
_PATH_DATE = re.compile(
    r"(?:^|/)(?P<year>(?:19|20)\d{2})(?P<sep>[/\-]?)(?P<month>0[1-9]|1[0-2])(?P=sep)"
    r"(?P<day>0[1-9]|[12]\d|3[01])(?=/|$|[^\d])"
)


def _make(year: int, month: int, day: int) -> datetime | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def _aware(value: datetime) -> datetime | None:
    """``value`` with its own offset (naive: UTC), or None when its UTC instant is implausible."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    try:
        utc = aware.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return aware if MIN_YEAR <= utc.year <= MAX_YEAR and MIN_YEAR <= aware.year <= MAX_YEAR else None


def from_epoch(value: float) -> datetime | None:
    """Epoch seconds, or milliseconds when the number is too large to be seconds."""
    if value != value or value in (float("inf"), float("-inf")) or value < 0:
        return None
    seconds = value / 1000 if value >= _EPOCH_MS_THRESHOLD else value
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    except OverflowError:
        return None
    return moment if MIN_YEAR <= moment.year <= MAX_YEAR else None


def _written(text: str) -> datetime | None:
    match = _MDY.search(text) or _DMY.search(text)
    if match is None:
        return None
    month = _MONTHS[_month_key(match["month"])]
    return _make(int(match["year"]), month, int(match["day"]))


def _month_key(name: str) -> str:
    key = name.lower().rstrip(".")
    return "sept" if key.startswith("sept") else key[:3]


def parse_datetime(value: str) -> datetime | None:
    """Parse one date string (ISO 8601, RFC 2822, epoch digits, written date) to UTC, or None.

    A date without a time is midnight UTC; a time without an offset is taken as UTC.
    """
    local = parse_datetime_local(value)
    return None if local is None else local.astimezone(UTC)


def parse_datetime_local(value: str) -> datetime | None:
    """``parse_datetime``'s moment with the UTC offset the text wrote ("2025-03-04T23:30:00-05:00"
    stays on March 4): the day the article's own relative dates ("tonight") mean. UTC when the
    text gave no offset."""
    text = value.strip()
    if not text or len(text) > 100:
        return None
    if text.isdigit() and len(text) in (10, 13):
        return from_epoch(int(text))
    try:
        # Python 3.11 reads full ISO 8601 ("Z", offsets, basic format, fractional seconds).
        return _aware(datetime.fromisoformat(text))
    except ValueError:
        pass
    if "," in text or text[:1].isalpha() or "GMT" in text or "+" in text:
        try:
            return _aware(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    slash = _SLASH_YMD.match(text)
    if slash is not None:
        return _make(int(slash["year"]), int(slash["month"]), int(slash["day"]))
    iso = _ISO_DATE.match(text)
    if iso is not None:
        return _make(int(iso["year"]), int(iso["month"]), int(iso["day"]))
    return _written(text)


def dates_in_text(text: str) -> list[datetime]:
    """Every explicit calendar date written in ``text`` (e.g. a photo caption)."""
    found: list[datetime] = []
    for pattern in (_MDY, _DMY, _ISO_DATE):
        for match in pattern.finditer(text):
            month_text = match["month"]
            month = int(month_text) if month_text.isdigit() else _MONTHS[_month_key(month_text)]
            moment = _make(int(match["year"]), month, int(match["day"]))
            if moment is not None:
                found.append(moment)
    return found


def date_in_path(url: str) -> datetime | None:
    """The date of a dated URL path (``/2025/09/05/``, ``/2025-09-05/``, ``/20250905/``), or None."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    match = _PATH_DATE.search(path)
    if match is None:
        return None
    return _make(int(match["year"]), int(match["month"]), int(match["day"]))
