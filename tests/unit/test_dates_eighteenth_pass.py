"""Clock-time classes the eighteenth pass (every development batch's clock-time misses) fixed.
Sentences written here, none from a corpus; each test marked "before" fails on the code before
the pass, the others guard what the new rules must leave alone."""

from __future__ import annotations

from datetime import datetime

from streamproc.enrich.dates import extract_dates


def values(text: str, reference: str, language: str = "en") -> list[tuple[str, str | None]]:
    return [
        (m.text, m.value)
        for m in extract_dates(text, "body", datetime.fromisoformat(reference), language=language)
    ]


def test_a_past_clock_time_takes_no_later_day_from_the_sentence_before() -> None:
    # Before: "2 p.m." took March 1, the last day of the sentence before, though the call is past.
    text = (
        "The chain will raise drink prices from March 1. "
        "Its chief told analysts on a call at 2 p.m. that costs would ease."
    )
    assert values(text, "2027-02-11T13:10:00-08:00") == [
        ("March 1", "2027-03-01"),
        ("2 p.m.", "2027-02-11T14:00"),
    ]


def test_a_past_clock_time_still_takes_an_earlier_day_from_the_sentence_before() -> None:
    # Before: "6:40 p.m." took July 1, the later of the two days before it.
    text = (
        "The council voted on Friday to raise parking rates from July 1. "
        "The vote came after a debate that ended at 6:40 p.m."
    )
    assert ("6:40 p.m.", "2027-06-18T18:40") in values(text, "2027-06-18T20:15:00-07:00")


def test_a_clock_time_after_since_stays_on_the_reference_day() -> None:
    text = (
        "Crews worked into Friday night, and more snow is forecast for Sunday. "
        "Plows have been running since 4 a.m."
    )
    assert ("4 a.m.", "2027-01-02T04:00") in values(text, "2027-01-02T07:45:00+00:00")


def test_a_future_clock_time_keeps_a_later_day() -> None:
    text = "The board meets on Monday. The vote will start at 10 a.m."
    assert ("10 a.m.", "2027-01-11T10:00") in values(text, "2027-01-08T09:00:00+00:00")


def test_an_ordinal_day_before_a_month_ends_no_german_sentence() -> None:
    # The clause "teilte ... mit" reads as past; "24. Juni" must stay in the clock's sentence.
    text = (
        "Die Hauptversammlung findet am 24. Juni in Essen statt und beginnt um 10 Uhr, "
        "teilte der Konzern am Montag mit."
    )
    assert ("10 Uhr", "2027-06-24T10:00") in values(text, "2027-06-01T09:30:00+02:00", "de")


def test_the_small_hours_after_a_named_night_are_the_next_day() -> None:
    # Before: "4h" on the day of "esta noite".
    text = "A prefeitura espera 400 mil pessoas esta noite, e o forró deve seguir até as 4h."
    assert ("4h", "2027-06-24T04:00") in values(text, "2027-06-23T21:30:00-03:00", "pt")


def test_a_clock_range_ending_on_a_named_day_starts_the_day_before() -> None:
    # Before: "6pm" took New Year's Day, the end's day, though 6pm comes after 11am.
    text = "Forecasters issued a warning for freezing fog from 6pm until 11am on New Year's Day."
    assert values(text, "2026-12-31T06:40:00+00:00") == [
        ("6pm", "2026-12-31T18:00"),
        ("11am", "2027-01-01T11:00"),
        ("New Year's Day", "2027-01-01"),
    ]


def test_a_clock_range_ending_on_its_own_day_starts_on_it() -> None:
    # Before: "6am" on the publication day, though the range ends at 2pm tomorrow.
    text = "Police will close three coastal roads from 6am until 2pm tomorrow."
    assert values(text, "2027-08-01T21:40:00+01:00") == [
        ("6am", "2027-08-02T06:00"),
        ("2pm tomorrow", "2027-08-02T14:00"),
    ]


def test_a_clock_range_keeps_the_days_it_names() -> None:
    both_on_saturday = values(
        "The museum will open from 9am until 5pm on Saturday.", "2026-12-31T06:40:00+00:00"
    )
    assert ("9am", "2027-01-02T09:00") in both_on_saturday
    assert ("5pm", "2027-01-02T17:00") in both_on_saturday
    start_today = values(
        "The warning runs from noon today until 8 p.m. on Wednesday, local time.", "2026-06-01T05:45:00+00:00"
    )
    assert ("noon today", "2026-06-01T12:00") in start_today
    assert ("8 p.m.", "2026-06-03T20:00") in start_today


def english(text: str) -> list[tuple[str, str | None]]:
    return values(text, "2026-09-01T18:05:00-07:00")  # a Tuesday evening


def test_a_lower_case_time_zone_after_a_clock_time_ends_no_sentence() -> None:
    # Before: "a.m." ended a sentence before "Pacific time", and "Friday" lost the verb "open".
    found = english("Pre-orders open at 6 a.m. Pacific time on Friday, and stores follow later.")
    assert ("Friday", "2026-09-04") in found
    assert ("6 a.m.", "2026-09-04T06:00") in found


def test_an_irregular_past_verb_dates_a_weekday_back() -> None:
    # Before: "broke" was no past cue and the "will" of the sentence sent Wednesday ahead.
    found = english("Staff will walk out for two days after talks broke down on Wednesday night.")
    assert ("Wednesday night", "2026-08-26TNI") in found


# Before: "take", "return" and "could" were no cues, and a bare weekday is past by default.
WEEKDAY_CUES = {
    "New timetables take effect on Monday.": ("Monday", "2026-09-07"),
    "Pupils return to classrooms on Thursday.": ("Thursday", "2026-09-03"),
    "He could make his debut on Saturday.": ("Saturday", "2026-09-05"),
    # a noun after a determiner, a modal before "not": no cue, the past
    "The return on Thursday surprised them.": ("Thursday", "2026-08-27"),
    "He could not attend on Saturday.": ("Saturday", "2026-08-29"),
}


def test_a_present_plural_verb_or_a_modal_of_chance_looks_ahead() -> None:
    found = {text: english(text) for text in WEEKDAY_CUES}
    assert found == {text: [wanted] for text, wanted in WEEKDAY_CUES.items()}


def test_a_french_noun_in_que_is_no_participle_before_a_weekday() -> None:
    # Before: "musique" read as a participle in "-ue" ("vendue"), which dated "lundi" back.
    text = "Plus de 1 200 concerts sont prévus pour la Fête de la musique, lundi."
    assert ("lundi", "2027-06-21") in values(text, "2027-06-18T17:00:00+02:00", "fr")
    assert ("lundi", "2027-06-14") in values("Un communiqué publié lundi.", "2027-06-18T17:00:00+02:00", "fr")


# Before: "jusqu'au", "hasta" pointed ahead whatever the verb, as English "had until" no longer does.
DEADLINES = [
    ("Les groupes avaient jusqu'au 31 mai pour s'inscrire.", "fr", ("31 mai", "2027-05-31")),
    ("Los grupos tenían hasta el 31 de mayo para inscribirse.", "es", ("31 de mayo", "2027-05-31")),
    ("Les groupes ont jusqu'au 31 mai pour s'inscrire.", "fr", ("31 mai", "2028-05-31")),  # ahead
]


def test_had_before_a_deadline_dates_it_back_in_other_languages() -> None:
    found = [values(text, "2027-06-18T17:00:00+02:00", language) for text, language, _ in DEADLINES]
    assert found == [[wanted] for _, _, wanted in DEADLINES]
