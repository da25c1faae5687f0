"""Classes of date errors in market and company news (the genre of MEANTIME's held-out stock and
carmaker articles, which were never read), in sentences written here.

Reference: Monday 2008-12-01 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime

from streamproc.enrich.dates import extract_dates

REF = datetime(2008, 12, 1, 12, 0, tzinfo=UTC)


def values(text: str, reference: datetime = REF) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference)]


def test_a_month_before_its_figures_is_the_latest_month_begun_whatever_the_tense() -> None:
    assert values("The carmaker will publish its November sales figures on Wednesday.") == [
        ("November", "2008-11"),
        ("Wednesday", "2008-12-03"),
    ]
    assert values("Economists expect the October payrolls to show heavy losses.") == [("October", "2008-10")]
    january = datetime(2009, 1, 2, tzinfo=UTC)
    assert values("Dealers will report December car sales next week.", january) == [
        ("December", "2008-12"),
        ("next week", "2009-W02"),
    ]
    # a month before another noun keeps its tense: a meeting is planned ahead
    assert values("The board will hold its March meeting in Detroit.") == [("March", "2009-03")]
    # and a forecast of a month far from ended looks ahead
    october = datetime(2008, 10, 15, tzinfo=UTC)
    assert values("Retailers expect December sales to rise 3 percent.", october) == [("December", "2008-12")]


def test_the_quarter_just_ended_before_its_figures_is_that_one_whatever_the_tense() -> None:
    january = datetime(2006, 1, 20, tzinfo=UTC)
    assert values("The carmaker will report fourth-quarter results on January 26.", january) == [
        ("fourth-quarter", "2005-Q4"),
        ("January 26", "2006-01-26"),
    ]
    assert values("Analysts expect a fourth-quarter loss of $1.5 billion.", january) == [
        ("fourth-quarter", "2005-Q4")
    ]
    july = datetime(2008, 7, 15, tzinfo=UTC)  # a quarter still ahead in a forecast stays ahead
    assert values("Analysts expect fourth-quarter profit to fall.", july) == [("fourth-quarter", "2008-Q4")]


def test_due_before_a_day_schedules_it_ahead() -> None:
    assert values("Traders are waiting for inflation data due on Friday.") == [("Friday", "2008-12-05")]
    assert values("Retail figures are due Thursday.") == [("Thursday", "2008-12-04")]
    assert values("Its annual report, due out in March, is keenly awaited.") == [("March", "2009-03")]


def test_a_weekday_inside_a_named_day_is_not_a_date_of_this_week() -> None:
    assert values("Chains hope Black Friday sales will lift the season.") == []
    assert values("The index lost 22 percent on Black Monday in 1987.") == [("1987", "1987")]
    assert values("Candidates campaigned hard before Super Tuesday.") == []
    assert values("Exchanges in London were shut on Easter Monday.", datetime(2009, 4, 20, tzinfo=UTC)) == [
        ("Easter Monday", "2009-04-13")
    ]
    # a plain weekday after a capitalised name stays a date ("The Senate Friday approved")
    assert values("The Senate Friday approved the loans.") == [("Friday", "2008-11-28")]


def test_market_holidays_are_their_days() -> None:
    january = datetime(2010, 1, 19, tzinfo=UTC)
    assert values("Wall Street was shut for Martin Luther King Jr. Day.", january) == [
        ("Martin Luther King Jr. Day", "2010-01-18")
    ]
    february = datetime(2010, 2, 17, tzinfo=UTC)
    assert values("Trading resumed after Presidents' Day.", february) == [("Presidents' Day", "2010-02-15")]
    assert values("Bond traders took Columbus Day off.", datetime(2010, 10, 13, tzinfo=UTC)) == [
        ("Columbus Day", "2010-10-11")
    ]
    assert values("Shoppers crowded stores on Boxing Day.", datetime(2010, 12, 28, tzinfo=UTC)) == [
        ("Boxing Day", "2010-12-26")
    ]


def test_the_previous_or_following_period_counts_from_the_date_last_named() -> None:
    october = datetime(2026, 10, 3, tzinfo=UTC)
    assert values("Crews struck on September 14 and again the following week.", october) == [
        ("September 14", "2026-09-14"),
        ("the following week", "2026-W39"),
    ]
    assert values("Output fell in 2025, after rising 3 percent the year before.", october) == [
        ("2025", "2025"),
        ("the year before", "2024"),
    ]
    assert values(
        "GM filed on Monday. The previous day, talks had collapsed.", datetime(2009, 6, 2, tzinfo=UTC)
    ) == [
        ("Monday", "2009-06-01"),
        ("The previous day", "2009-05-31"),
    ]
    # "the day before <event>" counts from the event, which is no date: left alone
    assert values("Shares jumped the day before the vote.", october) == []


def test_a_clock_time_takes_the_day_of_the_clock_time_in_the_sentence_before() -> None:
    friday = datetime(2010, 5, 7, tzinfo=UTC)
    text = (
        "Stocks plunged on Thursday. At 2:47 p.m., the index was down 998 points. "
        "By 3:07 p.m., it had recovered."
    )
    assert values(text, friday) == [
        ("Thursday", "2010-05-06"),
        ("2:47 p.m.", "2010-05-06T14:47"),
        ("3:07 p.m.", "2010-05-06T15:07"),
    ]


def test_over_the_years_is_an_unspecified_duration() -> None:
    assert values("Staff built the business over the years.") == [("over the years", "PXY")]
    assert values("The bank has merged with rivals over the decades.") == [("over the decades", "PXY")]
    assert values("Output grew over the years 2005 to 2007.") == [("2005", "2005"), ("2007", "2007")]


def test_the_day_before_yesterday_and_after_tomorrow_are_one_day() -> None:
    assert values("Rebels seized the town the day before yesterday.") == [
        ("the day before yesterday", "2008-11-29")
    ]
    assert values("Envoys will meet the day after tomorrow.") == [("the day after tomorrow", "2008-12-03")]
    assert values("The day before, prices fell; yesterday they rose.") == [
        ("The day before", "2008-11-30"),
        ("yesterday", "2008-11-30"),
    ]


def test_in_n_units_time_looks_ahead_unless_the_clause_is_past() -> None:
    assert values("The deal could be signed in two weeks' time.") == [("in two weeks' time", "2008-W51")]
    assert values("The bridge was rebuilt in two years' time.") == [("two years", "P2Y")]


def test_the_medium_and_long_term_are_the_future() -> None:
    assert values("The carmaker expects to return to profit in the medium term.") == [
        ("the medium term", "FUTURE_REF")
    ]
    assert values("Rates will fall over the long term.") == [("the long term", "FUTURE_REF")]
    assert values("Its long-term debt rose.") == []


def test_for_the_week_in_a_market_report_is_the_publication_week() -> None:
    friday = datetime(2008, 10, 10, 22, tzinfo=UTC)
    assert values("For the week, the Dow fell 18 percent.", friday) == [("the week", "2008-W41")]
    assert values("The Nikkei ended down 3% on the month.", friday) == [("the month", "2008-10")]
    # not outside a market report, nor before "of" or "ahead"
    assert values("The festival closed for the week.", friday) == []
    assert values("Stocks rose 2% in the week of the vote.", friday) == []
    assert values("Traders braced for the week ahead as shares slid.", friday) == []


def test_may_as_the_subject_of_a_finite_verb_is_the_month() -> None:
    june = datetime(2026, 6, 1, tzinfo=UTC)
    assert values("May was the wettest month on record, forecasters said.", june) == [("May", "2026-05")]
    assert values("Theresa May was in Brussels.", june) == []
    assert values("Mrs. May was in Brussels.", june) == []
    assert values("May I ask a question?", june) == []


def test_a_weekday_after_from_with_no_tense_is_ahead() -> None:
    thursday = datetime(2026, 1, 15, tzinfo=UTC)
    assert values("Forecasters have issued a wind warning from 6 a.m. on Friday.", thursday) == [
        ("6 a.m.", "2026-01-16T06:00"),
        ("Friday", "2026-01-16"),
    ]
    assert values("New fares apply from Monday.", thursday) == [("Monday", "2026-01-19")]
    assert values("Sales rose from Monday to Wednesday.", thursday) == [
        ("Monday", "2026-01-12"),
        ("Wednesday", "2026-01-14"),
    ]


def test_the_next_quarter_without_figures_is_this_years() -> None:
    august = datetime(2026, 8, 3, tzinfo=UTC)
    assert values("Exporters warned that shipments for the fourth quarter were being cancelled.", august) == [
        ("the fourth quarter", "2026-Q4")
    ]
    # a quarter further ahead in a past clause is still last year's
    may = datetime(2026, 5, 3, tzinfo=UTC)
    assert values("Exports fell in the fourth quarter.", may) == [("the fourth quarter", "2025-Q4")]
    assert values("Profit rose in the third quarter from $2 million a year earlier.", may) == [
        ("the third quarter", "2025-Q3"),
        ("a year earlier", "2024-Q3"),
    ]


def test_in_n_units_after_a_superlative_is_the_span_compared_over() -> None:
    assert values("The FTSE 100 closed at 4,300 points, its lowest close in five years.") == [
        ("five years", "P5Y")
    ]
    assert values("Prices will reach their highest level in a decade.") == [("a decade", "P10Y")]
    # with no superlative, a future clause still looks ahead
    assert values("The talks will resume in two weeks.") == [("in two weeks", "2008-W51")]
