"""Ninth pass: time words that are part of a proper name, or lengths of recorded material, are
not TIMEX3 (TimeML tags times; a newspaper, a programme or a procession named with a time word
names none). Sentences written here, not taken from a corpus.

Reference: Wednesday 2026-03-04.
"""

from __future__ import annotations

from datetime import UTC, datetime

from streamproc.enrich.dates import extract_dates

REF = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def values(text: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", REF)]


def test_a_capitalised_unit_inside_a_sentence_is_a_title() -> None:
    assert values('The senator told CBS\'s "60 Minutes" that he would run.') == []
    assert values('Speaking on ABC\'s "This Week" program, she said the talks were over.') == []
    assert values("The New York Daily News said the mayor would resign.") == []
    assert values("The Daily Mail said on Monday that the star had left.") == [("Monday", "2026-03-02")]
    assert values("The film Two Weeks Notice opened in 2002.") == [("2002", "2002")]


def test_a_capital_where_it_is_expected_keeps_the_time() -> None:
    # the first word of a sentence, a holiday's own capital, a title-case headline line
    assert values("Two weeks later, he quit.")[0][0] == "Two weeks later"
    assert values("Daily flights resume on Friday. This week he returns.") == [
        ("Friday", "2026-03-06"),
        ("This week", "2026-W10"),
    ]
    assert values("The boy was found on Thanksgiving Day clinging to a tube.") == [
        ("Thanksgiving Day", "2025-11-27")
    ]
    assert values("Apple Sells One Million Videos In Two Weeks") == [("Two Weeks", "P2W")]


def test_a_weekday_naming_a_newspaper_or_a_programme_is_no_day() -> None:
    assert values("The Sunday Times reported that the deal was off.") == []
    assert values("He told the Sunday Telegraph in an interview on Tuesday.") == [("Tuesday", "2026-03-03")]
    assert values("Millions watched Monday Night Football.") == []
    # a weekday before a capitalised subject or a month is a day
    assert values("On Sunday President Smith said the vote would go ahead.") == [("Sunday", "2026-03-01")]
    assert values("The fund lost $14 million on Friday Oct. 13 alone.") == [("Friday Oct. 13", "2025-10-13")]


def test_march_as_a_procession_is_no_month() -> None:
    assert values("Thousands joined the annual March for Life on Capitol Hill.") == []
    assert values("He recalled the March on Washington.") == []
    assert values("The rally was held in March on Capitol Hill.") == [("March", "2025-03")]
    assert values("Ministers meet in March for talks with Merkel.") == [("March", "2026-03")]


def test_hours_of_recorded_material_are_an_amount_not_a_duration() -> None:
    assert values("The player stores 75 hours of video and 15,000 songs.") == []
    assert values("Investigators reviewed 300 hours of footage.") == []
    # the length of an event stays a duration
    assert values("Organisers said the two days of music and speeches would draw crowds.") == [
        ("two days", "P2D")
    ]
    assert values("The jury heard three hours of testimony.") == [("three hours", "PT3H")]


def test_a_british_clock_time_with_a_dot() -> None:
    assert values("The match will start at 7.45pm on Thursday.") == [
        ("7.45pm", "2026-03-05T19:45"),
        ("Thursday", "2026-03-05"),
    ]
    assert values("The shop opens at 9.30am tomorrow.") == [("9.30am tomorrow", "2026-03-05T09:30")]
    assert values("The shares cost $1.30 pm.") == []


def test_every_other_unit_is_one_in_two() -> None:
    assert values("Glass will be collected every other week.") == [("every other week", "P2W")]
    assert values("The committee meets every other month.") == [("every other month", "P2M")]


def test_a_second_before_a_comma_and_its_adjectives_is_the_ordinal() -> None:
    assert values("The warning runs until Friday, and a second, wider alert could follow.") == [
        ("Friday", "2026-03-06")
    ]
    # after a preposition, or before a pronoun, a length of time
    assert values("For a second, he paused.") == [("a second", "PT1S")]
    assert values("It took a second, then the lights came on.") == [("a second", "PT1S")]


def test_the_fourth_of_july_is_the_holiday_not_the_month() -> None:
    assert values("He was born on the Fourth of July.") == [("Fourth of July", "2025-07-04")]
    assert values("The parade will be on July Fourth.") == [("July Fourth", "2026-07-04")]


def test_capitalised_deictic_words_and_hyphenated_units_inside_names() -> None:
    assert values('He appeared on NBC\'s "Today" show. USA Today reported it on Monday.') == [
        ("Monday", "2026-03-02")
    ]
    assert values("The Six-Day War changed the region.") == []
    assert values('The movie "Seven Years in Tibet" opened on Friday.')[-1][0] == "Friday"
    assert len(values('The movie "Seven Years in Tibet" opened on Friday.')) == 1


def test_a_quotation_that_is_speech_keeps_its_first_word() -> None:
    assert values('He said, "Today we begin a new chapter."') == [("Today", "2026-03-04")]
    assert values('She added: "Tomorrow will be harder."') == [("Tomorrow", "2026-03-05")]
    # a short title-case sentence is no headline
    assert values("The Hundred Years' War was long. He rested for two days.") == [("two days", "P2D")]


def test_that_part_of_the_day_is_the_part_of_the_day_last_named() -> None:
    assert values("The firm reported results on Tuesday. Shares fell 5 percent that evening.") == [
        ("Tuesday", "2026-03-03"),
        ("that evening", "2026-03-03TEV"),
    ]
    assert values("Police arrived on March 3. That night, the suspect fled.")[-1] == (
        "That night",
        "2026-03-03TNI",
    )
    # "that" the conjunction before "morning" the adjective
    assert values("He said that morning sessions would be cancelled.") == []
