"""Classes of errors found on annotated news (TimeBank+AQUAINT, MEANTIME), in sentences written here.

Each test covers one class with fresh wording; none of these sentences comes from a corpus.
Reference: Thursday 2025-09-04 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.enrich.dates import extract_dates

REF = datetime(2025, 9, 4, 12, 0, tzinfo=UTC)


def values(text: str, reference: datetime = REF) -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference)]


def test_a_month_before_a_comma_and_a_capitalised_word_is_still_a_month() -> None:
    assert values("In late June, Parliament approved the budget.") == [("late June", "2025-06")]
    assert values("Last April, Mr. Ortiz resigned.") == [("Last April", "2025-04")]
    assert values("In March, Quito banned the rallies.") == [("March", "2025-03")]
    assert values("June Carter sang.") == []  # a name still is not a month


def test_a_deadline_preposition_points_forward_whatever_the_verb() -> None:
    march = datetime(2026, 3, 10, tzinfo=UTC)
    assert values("The talks were supposed to end by May.", march) == [("May", "2026-05")]
    assert values("The board gave the buyers until mid-April to respond.", march) == [
        ("mid-April", "2026-04")
    ]
    assert values("The agency extended its deadline until 9 a.m. Friday.") == [
        ("9 a.m. Friday", "2025-09-05T09:00")
    ]
    assert values("The envoy could arrive as early as Tuesday.") == [("Tuesday", "2025-09-09")]
    assert values("Rebels agreed to hand over the port by Monday.") == [("Monday", "2025-09-08")]


def test_a_deadline_in_a_past_perfect_clause_or_opening_the_sentence_is_past() -> None:
    assert values("Ten states had ratified the pact by Tuesday, officials said.") == [
        ("Tuesday", "2025-09-02")
    ]
    assert values("By Monday, the water had receded.") == [("Monday", "2025-09-01")]
    assert values("It was not until Tuesday that the police arrived.") == [("Tuesday", "2025-09-02")]


def test_business_quarters_are_a_unit_of_duration_but_not_a_fraction() -> None:
    assert values("The unit lost money in the past three quarters.") == [("the past three quarters", "P3Q")]
    assert values("It turned a profit after several quarters of losses.") == [("several quarters", "PXQ")]
    assert values("Dividends are paid every quarter.") == [("every quarter", "P1Q")]
    assert values("Three quarters of the members voted; a quarter of them abstained.") == []
    assert values("Nearly three-quarters of voters agreed.") == []


def test_a_quarter_named_with_its_year_or_as_a_year_before() -> None:
    october = datetime(2025, 10, 22, tzinfo=UTC)
    assert values("Sales in this year's second quarter were flat.", october) == [
        ("this year's second quarter", "2025-Q2")
    ]
    assert values("It lost money in the 2023 fourth quarter.", october) == [
        ("the 2023 fourth quarter", "2023-Q4")
    ]
    assert values("Margins beat last year's quarter.", october) == [("last year's quarter", "2024-Q3")]
    assert values("In the year-ago second quarter it earned $3 million.", october) == [
        ("the year-ago second quarter", "2024-Q2")
    ]
    assert values("Orders should recover in the latter half of 2026.", october) == [
        ("the latter half of 2026", "2026-H2")
    ]


def test_a_tenseless_day_far_ahead_in_the_year_is_the_past_one() -> None:
    april = datetime(2026, 4, 3, tzinfo=UTC)
    assert values("The boy, rescued off the coast on Thanksgiving Day, is six.", april) == [
        ("Thanksgiving Day", "2025-11-27")
    ]
    assert values(
        "The index is within 70 points of its record of Sept. 6.", datetime(2026, 2, 6, tzinfo=UTC)
    ) == [("Sept. 6", "2025-09-06")]
    # the nearest occurrence still wins when it lies ahead
    assert values("The summit on November 11 is the focus.", datetime(2005, 11, 5, tzinfo=UTC)) == [
        ("November 11", "2005-11-11")
    ]


def test_an_age_in_years_old_is_not_a_duration() -> None:
    assert values("Ms. Ortiz, 61 years old, will succeed him.") == []
    assert values("The bridge took 61 years to finish.") == [("61 years", "P61Y")]


def test_durations_with_more_additional_or_a_half() -> None:
    assert values("The lease runs for at least 15 more years.") == [("at least 15 more years", "P15Y")]
    assert values("Talks may take three additional weeks.") == [("three additional weeks", "P3W")]
    assert values("The strike lasted nearly three and a half months.") == [
        ("nearly three and a half months", "P3.5M")
    ]


def test_a_reporting_year_that_ended_is_a_duration_and_fiscal_years_are_years() -> None:
    assert values("Profit for the fiscal year ended June 30 doubled.") == [
        ("the fiscal year", "P1Y"),
        ("June 30", "2025-06-30"),
    ]
    assert values("Sales should rise in the current fiscal year.") == [("current fiscal year", "2025")]
    assert values("The year ahead looks hard.") == []


def test_the_year_as_an_anaphor_is_the_publication_year() -> None:
    assert values("For the year, shipments fell 3%.") == [("the year", "2025")]
    assert values("Output rose in the first half of the year and in the last weeks of the year.")[-1] == (
        "the year",
        "2025",
    )
    assert values("Rains came later in the year.") == [("the year", "2025")]
    assert values("She was named player of the year.") == []
    assert values("He spent the year abroad.") == []


def test_near_and_short_term_and_coming_months_are_future_references() -> None:
    assert values("Margins will stay thin in the near term.") == [("the near term", "FUTURE_REF")]
    assert values("Rates should fall in coming months.") == [("coming months", "FUTURE_REF")]
    assert values("Short-term rates and near-term risks rose.") == []


def test_a_weekday_in_the_possessive_is_an_event_already_known() -> None:
    assert values("Lawyers will try to overturn Tuesday's ruling.") == [("Tuesday", "2025-09-02")]
    assert values("Shares fell before Monday's announcement.") == [("Monday", "2025-09-01")]
    assert values("Fans gathered ahead of Saturday's final.") == [("Saturday", "2025-09-06")]


def test_years_and_decades_spelled_out_as_transcripts_write_them() -> None:
    assert values("The plant closed in nineteen eighty-six.") == [("nineteen eighty-six", "1986")]
    assert values("Prices peaked in March nineteen ninety-one.") == [("March nineteen ninety-one", "1991-03")]
    assert values("The pledge was to halve it by the year two thousand.") == [
        ("the year two thousand", "2000")
    ]
    assert values("Rents doubled in the nineties.") == [("the nineties", "199")]
    assert values("Nineteen people died; tens of thousands fled; she is in her sixties.") == []


def test_since_a_date_is_behind_the_time_of_writing() -> None:
    may = datetime(2026, 5, 6, tzinfo=UTC)
    assert values("The bridge has stayed shut since Nov. 2.", may) == [("Nov. 2", "2025-11-02")]
    assert values("Prices have climbed ever since late October.", may) == [("late October", "2025-10")]
    assert values("Rescuers searched since shortly after the Dec. 9 landslide.", may) == [
        ("Dec. 9", "2025-12-09")
    ]


def test_a_schedule_participle_before_for_looks_ahead() -> None:
    feb = datetime(2026, 2, 10, tzinfo=UTC)
    assert values("The merger was planned for early March.", feb) == [("early March", "2026-03")]
    assert values("A hearing is scheduled for Dec. 1.", datetime(2026, 4, 2, tzinfo=UTC)) == [
        ("Dec. 1", "2026-12-01")
    ]
    assert values("The plan was drafted in early March.", feb) == [("early March", "2025-03")]


def test_recent_units_are_an_unspecified_span_and_the_preposition_stays_out() -> None:
    assert values("Fuel prices have doubled in recent weeks.") == [("recent weeks", "PXW")]
    assert values("Sales slowed over recent quarters.") == [("recent quarters", "PXQ")]
    assert values("More storms are likely in coming days.") == [("coming days", "FUTURE_REF")]


def test_now_or_currently_opening_a_sentence_before_a_comma_is_a_discourse_marker() -> None:
    assert values("Now, the council says the plan is dead.") == []
    assert values("Currently, the mill employs 300 people.") == []
    assert values("Now the council says the plan is dead.") == [("Now", "PRESENT_REF")]
    assert values("The mill currently employs 300 people.") == [("currently", "PRESENT_REF")]


def test_year_ago_adjectives_and_the_latest_period_in_results_news() -> None:
    oct27 = datetime(2026, 10, 27, tzinfo=UTC)
    assert values("Net rose 8%, compared with year-earlier profit of $3.8 million.", oct27) == [
        ("year-earlier", "2025-Q3")
    ]
    assert values("Year-ago results included a gain.", oct27) == [("Year-ago", "2025-Q3")]
    assert values("Sales in the latest period rose 4% to $8 million.", oct27) == [
        ("the latest period", "2026-Q3")
    ]
    assert values("It fell below the year-earlier $4.5 million.", oct27) == []
    assert values("The latest period of calm ended.", oct27) == []


def test_since_an_event_in_a_month_is_behind_the_time_of_writing() -> None:
    jan = datetime(2026, 1, 8, tzinfo=UTC)
    assert values("He has been free on bail since his arrest in August.", jan) == [("August", "2025-08")]
    assert values("Sales have grown since the launch on Feb. 3.", jan) == [("Feb. 3", "2025-02-03")]


def test_a_half_of_the_year_in_results_news() -> None:
    july = datetime(2026, 7, 24, tzinfo=UTC)
    assert values("The company expects margins to improve in the second half.", july) == [
        ("the second half", "2026-H2")
    ]
    assert values("Profit fell in the second half.", july) == [("the second half", "2025-H2")]
    assert values("Profit rose 5% in the first half.", july) == [("the first half", "2026-H1")]
    assert values("He scored twice in the second half.", july) == []


def test_a_tense_cue_after_and_belongs_to_the_next_clause() -> None:
    thursday = datetime(2026, 3, 12, tzinfo=UTC)
    assert values("Workers walked out on Monday and say they will stay out.", thursday) == [
        ("Monday", "2026-03-09")
    ]
    assert values("The union meets on Monday and will vote then.", thursday) == [("Monday", "2026-03-16")]


def test_the_weekend_after_for_or_ahead_of_is_the_coming_one() -> None:
    wednesday = datetime(2026, 8, 12, tzinfo=UTC)
    assert values("Authorities issued a red alert for the weekend.", wednesday) == [
        ("the weekend", "2026-W33-WE")
    ]
    assert values("Traders sold ahead of the weekend.", wednesday) == [("the weekend", "2026-W33-WE")]
    assert values("Police arrested 12 people over the weekend.", wednesday) == [
        ("the weekend", "2026-W32-WE")
    ]


def test_a_second_before_a_name_or_number_is_the_ordinal() -> None:
    assert values("A second A380 is also travelling to Chicago.") == []
    assert values("A second 747 landed.") == []
    assert values("He paused for a second.") == [("a second", "PT1S")]
    assert values("A second later it fell.") == [("A second", "PT1S")]


def test_the_following_period_comes_after_the_date_last_named() -> None:
    feb = datetime(2000, 2, 24, tzinfo=UTC)
    assert values("On May 22, 1995, he was promoted, and the following year he left.", feb) == [
        ("May 22, 1995", "1995-05-22"),
        ("the following year", "1996"),
    ]
    assert values("He was freed on Tuesday and appeared in court the next morning.", feb) == [
        ("Tuesday", "2000-02-22"),
        ("the next morning", "2000-02-23"),
    ]
    assert values("The following day was calm.", feb) == [("The following day", "2000-02-25")]


def test_the_previous_weekday_is_never_the_publication_day() -> None:
    friday = datetime(1989, 10, 27, tzinfo=UTC)
    assert values("Stocks fell on the previous Friday.", friday) == [("previous Friday", "1989-10-20")]


def test_a_month_with_last_or_next_year_is_one_expression() -> None:
    march = datetime(2026, 3, 12, tzinfo=UTC)
    assert values("The bank ended its cutting cycle in June last year.", march) == [
        ("June last year", "2025-06")
    ]
    assert values("Talks resume in May next year.", march) == [("May next year", "2027-05")]


def test_a_count_before_second_as_an_ordinal_is_not_a_duration() -> None:
    assert values("He will miss the last-16 second leg.") == []
    assert values("The clip lasts 30 seconds.") == [("30 seconds", "PT30S")]


def test_a_quotation_keeps_its_own_tense() -> None:
    saturday = datetime(2026, 3, 7, tzinfo=UTC)
    assert values('"There are ten games left. Ask me in May," he said.', saturday) == [("May", "2026-05")]
    assert values('He said "we won on Friday" and left.', saturday) == [("Friday", "2026-03-06")]


def test_a_capitalised_midnight_or_noon_mid_sentence_is_a_name() -> None:
    assert values("It comes in Midnight, Starlight and Silver.") == []
    assert values("The vote is at noon.") == [("noon", "2025-09-04T12:00")]


def test_a_count_before_a_named_event_is_a_duration() -> None:
    assert values("The quake came two days before Nepal votes.") == [("two days", "P2D")]
    assert values("He had left two days before.") == [("two days before", "2025-09-02")]


def test_year_end_after_a_preposition_and_the_full_year_in_results() -> None:
    nov = datetime(2026, 11, 2, tzinfo=UTC)
    assert values("It expects to close the deal by year-end.", nov) == [("year-end", "2026-12-31")]
    assert values("The index is up 12% since year-end.", nov) == [("year-end", "2025-12-31")]
    assert values("Year-end bonuses were cut.", nov) == []
    assert values("Sales for the full year rose 13%.", nov) == [("the full year", "2026")]
    assert values("It was the full year of school.", nov) == []


def test_a_plural_present_verb_schedules_a_weekday_but_not_an_infinitive() -> None:
    monday = datetime(2026, 9, 28, tzinfo=UTC)
    assert values("Voters in Saxony go to the polls on Sunday.", monday) == [("Sunday", "2026-10-04")]
    assert values("Shares fell on Friday to close at $20.", monday) == [("Friday", "2026-09-25")]
    assert values("Coalition talks could take weeks.", monday) == [("weeks", "PXW")]


def test_a_clock_time_without_a_day_takes_the_day_the_sentence_before_named() -> None:
    monday = datetime(2026, 9, 28, tzinfo=UTC)
    assert values("Saxony votes on Sunday. Polls close at 6 p.m.", monday) == [
        ("Sunday", "2026-10-04"),
        ("6 p.m.", "2026-10-04T18:00"),
    ]
    assert values("Polls close at 6 p.m.", monday) == [("6 p.m.", "2026-09-28T18:00")]


def test_overnight_is_the_night_before_publication_unless_ahead() -> None:
    april = datetime(2026, 4, 15, 9, tzinfo=UTC)
    assert values("The river peaked overnight at 7.2 metres.", april) == [("overnight", "2026-04-14TNI")]
    assert values("The road will be closed overnight.", april) == [("overnight", "2026-04-15TNI")]
    assert values("The overnight rate rose.", april) == []


def test_a_day_right_after_ended_is_past_up_to_a_year_back() -> None:
    oct31 = datetime(2026, 10, 31, tzinfo=UTC)
    assert values("In the fiscal year ended Jan. 31, sales rose 4%.", oct31) == [
        ("the fiscal year", "P1Y"),
        ("Jan. 31", "2026-01-31"),
    ]


def test_a_possessive_weekday_in_a_plain_future_clause_is_ahead() -> None:
    monday = datetime(2026, 1, 26, tzinfo=UTC)
    assert values("She will face Swiatek for a place in Saturday's final.", monday) == [
        ("Saturday", "2026-01-31")
    ]
    assert values("They said they would get around Saturday's ruling.", monday) == [
        ("Saturday", "2026-01-24")
    ]


def test_expect_looks_ahead() -> None:
    august = datetime(2026, 8, 3, tzinfo=UTC)
    assert values("Economists expect it to pick up again in the fourth quarter.", august) == [
        ("the fourth quarter", "2026-Q4")
    ]


def test_a_compound_length_of_time_is_one_duration() -> None:
    assert values("The match lasted two hours and 40 minutes.") == [("two hours and 40 minutes", "PT2H40M")]
    assert values("He served three years and six months.") == [("three years and six months", "P3Y6M")]
    assert values("It took one day and 12 hours.") == [("one day and 12 hours", "P1DT12H")]


def test_a_quarter_named_by_its_last_month() -> None:
    april = datetime(2026, 4, 30, tzinfo=UTC)
    assert values("Output would recover in the June quarter.", april) == [("the June quarter", "2026-Q2")]
    assert values("Sales fell in the December quarter.", april) == [("the December quarter", "2025-Q4")]


def test_hours_in_a_hyphenated_compound_is_not_a_duration() -> None:
    assert values("Shares jumped 18% in after-hours trading.") == []


def test_a_comma_inside_a_number_is_no_clause_break() -> None:
    thursday = datetime(2026, 9, 17, 5, tzinfo=UTC)
    assert values("The fire had burned 45,000 acres by Wednesday evening.", thursday) == [
        ("Wednesday evening", "2026-09-16TEV")
    ]


def test_the_month_before_its_noun() -> None:
    friday = datetime(2026, 5, 8, 13, tzinfo=UTC)
    assert values("The May jobs report is due on June 5.", friday) == [
        ("May", "2026-05"),
        ("June 5", "2026-06-05"),
    ]
    assert values("Theresa May spoke.", friday) == []


def test_a_year_opening_the_sentence_frames_its_months_and_days() -> None:
    august = datetime(2026, 8, 20, tzinfo=UTC)
    assert values("In 2018, levels dropped below 30 centimetres in October.", august) == [
        ("2018", "2018"),
        ("October", "2018-10"),
    ]
    assert values("Since 2019, prices rose; in March they fell.", august) == [
        ("2019", "2019"),
        ("March", "2026-03"),
    ]


def test_black_friday_is_the_day_after_thanksgiving() -> None:
    december = datetime(2026, 12, 18, tzinfo=UTC)
    assert values("Shoppers held back ahead of Black Friday.", december) == [("Black Friday", "2026-11-27")]


def test_the_end_of_a_month_with_its_year_and_get_with_a_participle() -> None:
    assert values("The deal should close by the end of March 2027.") == [("the end of March 2027", "2027-03")]
    october = datetime(2026, 10, 21, tzinfo=UTC)
    assert values("Doctors urge people to get vaccinated before December.", october) == [
        ("December", "2026-12")
    ]


def test_a_month_barely_begun_in_a_past_clause_is_last_years() -> None:
    dec2 = datetime(2026, 12, 2, tzinfo=UTC)
    assert values("Snow closed the airport for two days in mid-December.", dec2) == [
        ("two days", "P2D"),
        ("mid-December", "2025-12"),
    ]
    dec21 = datetime(2026, 12, 21, tzinfo=UTC)
    assert values("Sales fell in December.", dec21) == [("December", "2026-12")]


def test_the_final_quarter_of_a_year_and_a_present_passive() -> None:
    may = datetime(2026, 5, 26, tzinfo=UTC)
    assert values("It plans to launch in the final quarter of 2027.", may) == [
        ("the final quarter of 2027", "2027-Q4")
    ]
    assert values("Sales fell in the last quarter of last year.", may) == [
        ("the last quarter of last year", "2025-Q4")
    ]
    friday = datetime(2026, 1, 30, 15, tzinfo=UTC)
    assert values("The strike would end on Wednesday unless a deal is reached sooner.", friday) == [
        ("Wednesday", "2026-02-04")
    ]


def test_a_modal_future_earlier_in_the_sentence_and_going_into_a_weekday() -> None:
    tuesday = datetime(2026, 12, 29, tzinfo=UTC)
    assert values(
        "Transport would be free on New Year's Eve and return to normal timetables on Friday.", tuesday
    ) == [
        ("New Year's Eve", "2026-12-31"),
        ("Friday", "2027-01-01"),
    ]
    august = datetime(2026, 8, 11, tzinfo=UTC)
    assert values("England need 142 runs going into Wednesday's final day.", august) == [
        ("Wednesday", "2026-08-12")
    ]


def test_minutes_earlier_a_three_part_duration_and_a_race_booked_for_a_weekday() -> None:
    tuesday = datetime(2026, 10, 27, 8, tzinfo=UTC)
    assert values("The women's field left 25 minutes earlier.", tuesday) == [("25 minutes", "PT25M")]
    assert values("He won in two hours, seven minutes and 54 seconds.", tuesday) == [
        ("two hours, seven minutes and 54 seconds", "PT2H7M54S")
    ]
    assert values("Runners are registered for Sunday's New York City Marathon.", tuesday) == [
        ("Sunday", "2026-11-01")
    ]
    assert values("He left two hours ago.", tuesday) == [("two hours ago", "2026-10-27T06:00")]


def test_a_spelled_out_compound_number_counts_whole_with_or_without_its_hyphen() -> None:
    assert values("Shares slid over the past thirty six hours.") == [("the past thirty six hours", "PT36H")]
    assert values("The strike lasted forty-two days.") == [("forty-two days", "P42D")]
    assert values("The ferry runs twenty one hours a week.")[0] == ("twenty one hours", "PT21H")


def test_an_approximate_shift_is_still_a_point_in_time() -> None:
    assert values("A month or so ago, the mayor resigned.") == [("A month or so ago", "2025-08")]
    assert values("The plant closed two years or more ago.") == [("two years or more ago", "2023")]


def test_the_nth_day_of_a_running_event_said_of_today_is_the_publication_day() -> None:
    assert values("It's the fourth day of the port blockade.") == [("the fourth day", "2025-09-04")]
    assert values("Today is the ninth day of the strike.")[-1] == ("the ninth day", "2025-09-04")
    assert values("Monday was the second day of the strike.") == [("Monday", "2025-09-01")]
    assert ("the first day", "2025-09-04") not in values("It is the first day of October.")


def test_this_moment_with_or_without_an_adjective_is_the_present() -> None:
    assert values("Leaving at this critical moment would be a mistake.") == [
        ("this critical moment", "PRESENT_REF")
    ]
    assert values("At this very moment, crews are at work.") == [("this very moment", "PRESENT_REF")]
    assert values("He savoured this one moment.") == []


def test_this_past_names_the_latest_period_before_now() -> None:
    # Thursday 2025-09-04: the week before is 2025-W35; spring has begun this year, winter not yet.
    assert values("Crowds gathered this past weekend.") == [("this past weekend", "2025-W35-WE")]
    assert values("Sales slowed this past week.") == [("this past week", "2025-W35")]
    assert values("The mine reopened this past spring.") == [("this past spring", "2025-SP")]
    assert values("Ice closed the port this past winter.") == [("this past winter", "2024-WI")]
    assert values("Rents rose this past year.") == []  # often the last twelve months: left alone


def test_a_part_of_the_day_takes_the_day_the_text_is_about() -> None:
    assert values("Traders sold on Tuesday. Prices recovered in the afternoon.") == [
        ("Tuesday", "2025-09-02"),
        ("the afternoon", "2025-09-02TAF"),
    ]
    assert values("By mid-morning, the roads were clear.") == [("mid-morning", "2025-09-04TMO")]
    assert values("An early morning raid hit the port.") == []  # an adjective
    assert values("She spent the evening at home.") == []  # the object of a verb, not a time


def test_the_units_ahead_is_an_unspecified_span_like_recent_units() -> None:
    assert values("Lenders expect more defaults in the months ahead.") == [("the months ahead", "PXM")]
    assert values("The scars will last for the years to come.") == [("the years to come", "PXY")]


def test_a_month_day_with_a_relative_year_is_one_expression() -> None:
    assert values("The final will be played in Budapest on May 30 next year.") == [
        ("May 30 next year", "2026-05-30")
    ]
    assert values("The plant closed on March 3 last year.") == [("March 3 last year", "2024-03-03")]
    assert values("Talks on March 3 covered next year's budget.") == [
        ("March 3", "2025-03-03"),
        ("next year", "2026"),
    ]


def test_a_month_day_takes_the_year_of_its_month_named_just_before() -> None:
    september = datetime(2026, 9, 7, 9, tzinfo=UTC)
    assert values(
        "The league phase runs until late January, with the last places decided on January 27.", september
    ) == [("late January", "2027-01"), ("January 27", "2027-01-27")]
    # another sentence, or another month, leaves the day to its own tense
    assert values("The phase runs until late January. Places were decided on January 27.", september) == [
        ("late January", "2027-01"),
        ("January 27", "2026-01-27"),
    ]


def test_the_full_year_in_an_outlook_sentence_is_the_reporting_year() -> None:
    may = datetime(2026, 5, 7, 6, tzinfo=UTC)
    assert values("The company kept its forecast for the full year.", may) == [("the full year", "2026")]
    assert values("The museum stays open for the full year.", may) == []


def test_a_participle_after_stay_or_remain_is_no_past_tense() -> None:
    thursday = datetime(2026, 1, 15, 6, tzinfo=UTC)
    assert values("Schools in Highland will stay closed on Friday.", thursday) == [("Friday", "2026-01-16")]
    assert values("The bridge remained closed on Monday.", thursday) == [("Monday", "2026-01-12")]


def test_a_present_copula_before_on_schedules_ahead() -> None:
    monday = datetime(2026, 6, 8, 10, tzinfo=UTC)
    assert values("The vote is on Tuesday.", monday) == [("Tuesday", "2026-06-09")]
    assert values("The last campaign update is on Wednesday.", monday) == [("Wednesday", "2026-06-10")]
    assert values("The vote was on Tuesday.", monday) == [("Tuesday", "2026-06-02")]


def test_a_forecast_in_the_present_passive_looks_ahead() -> None:
    thursday = datetime(2026, 2, 5, 7, tzinfo=UTC)
    snow = values("Heavy snow is forecast from Friday night.", thursday)
    assert snow == [("Friday night", "2026-02-06TNI")]
    bank = values("The bank forecast on Monday that growth would slow.", thursday)
    assert bank == [("Monday", "2026-02-02")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MPs will vote on the bill on Wednesday after ministers agreed to amendments.", "2026-03-18"),
        ("The fire broke out on Wednesday before crews arrived.", "2026-03-11"),
    ],
)
def test_a_subordinate_clause_after_the_date_is_not_its_clause(text: str, expected: str) -> None:
    assert values(text, datetime(2026, 3, 17, 13, tzinfo=UTC)) == [("Wednesday", expected)]


def test_a_present_perfect_gives_no_past_tense_to_a_date() -> None:
    friday = datetime(2026, 9, 25, 10, tzinfo=UTC)
    assert values("Carriers have announced blank sailings in early October.", friday) == [
        ("early October", "2026-10")
    ]
    assert values("Rates have fallen since early August.", friday) == [("early August", "2026-08")]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("Phoenix recorded 31 consecutive days above 110F.", "31 consecutive days", "P31D"),
        ("It rained for 10 straight days.", "10 straight days", "P10D"),
    ],
)
def test_consecutive_or_straight_units_are_a_duration(text: str, span: str, value: str) -> None:
    assert values(text) == [(span, value)]


def test_last_year_opening_the_sentence_frames_its_months_until_a_contrast() -> None:
    november = datetime(2026, 11, 24, tzinfo=UTC)
    assert values("Last year the river flooded in January.", november) == [
        ("Last year", "2025"),
        ("January", "2025-01"),
    ]
    assert values(
        "Last year cases peaked in January, but this year the peak may come by mid-December.", november
    ) == [
        ("Last year", "2025"),
        ("January", "2025-01"),
        ("this year", "2026"),
        ("mid-December", "2026-12"),
    ]
    # "Last year's" names a thing of last year; it frames nothing
    framed = values("Last year's winner will return in January.", november)
    assert framed[-1] == ("January", "2027-01")


def test_a_holiday_before_a_recess_or_joined_before_a_period_names_the_period() -> None:
    march = datetime(2026, 3, 17, tzinfo=UTC)
    assert values("MPs will vote before the Easter recess.", march) == []
    assert values("Sales in the Christmas and New Year shopping period fell.", march) == []
    december = datetime(2026, 12, 1, tzinfo=UTC)
    assert values("Stores will close on Christmas and New Year's Day.", december) == [
        ("Christmas", "2026-12-25"),
        ("New Year's Day", "2027-01-01"),
    ]


def test_today_as_the_present_era_is_not_a_date() -> None:
    assert values("Smartphones shape today's young voters.") == []
    assert values("In today's world, news travels fast.") == []
    assert values("We must train the leaders of tomorrow.") == []
    assert values("Today's vote was delayed.") == [("Today", "2025-09-04")]
    assert values("Tomorrow's meeting is cancelled.") == [("Tomorrow", "2025-09-05")]


def test_a_time_opening_its_sentence_takes_the_main_clause_tense_however_far() -> None:
    monday = datetime(2026, 10, 26, tzinfo=UTC)
    long_subject = "the National Association of Independent Grocers and Convenience Stores"
    assert values(f"On Tuesday, {long_subject} plans to hold a news conference.", monday) == [
        ("Tuesday", "2026-10-27")
    ]
    assert values(f"On Tuesday, {long_subject} held a news conference.", monday) == [
        ("Tuesday", "2026-10-20")
    ]
    bombing = (
        "In January, a week after the anniversary of the court's ruling, a bombing in Leeds killed a guard."
    )
    assert values(bombing, monday) == [("January", "2026-01"), ("a week", "P1W")]


def test_a_year_back_comparison_anchors_no_second_year_back() -> None:
    thursday = datetime(1989, 10, 26, tzinfo=UTC)
    text = (
        "The airline reported third-quarter profit of $5.8 million, up from $4 million. "
        "Year-earlier results included a gain. Revenue rose 27% from a year earlier."
    )
    assert [v for _, v in values(text, thursday)] == ["1989-Q3", "1988-Q3", "1988-Q3"]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        (
            "Prices last hit that level in the winter of nineteen ninety-four.",
            "the winter of nineteen ninety-four",
            "1994-WI",
        ),
        ("The plant opened in the fall of 2019.", "the fall of 2019", "2019-FA"),
        ("Sales slowed in the spring of last year.", "the spring of last year", "2024-SP"),
    ],
)
def test_a_season_of_a_year_spoken_spelled_or_relative(text: str, span: str, value: str) -> None:
    assert values(text) == [(span, value)]


def test_fall_alone_is_not_a_season() -> None:
    assert values("Analysts expect a fall in prices after the fall of the government.") == []


def test_the_weekend_of_a_date_is_that_date_not_this_weekend() -> None:
    monday = datetime(2026, 7, 20, tzinfo=UTC)
    assert values("Another walkout is planned for the weekend of August 8.", monday) == [
        ("August 8", "2026-08-08")
    ]
    assert values("Another walkout is planned for the weekend.", monday) == [("the weekend", "2026-W30-WE")]


def test_a_put_off_noun_before_until_takes_the_nearest_date_whatever_the_tense() -> None:
    may = datetime(2026, 5, 14, tzinfo=UTC)
    assert values("His lawyers had asked for a delay until September.", may) == [("September", "2026-09")]
    assert values("The court had granted an extension until March.", may) == [("March", "2026-03")]
    assert values("They had filed reports by Wednesday.", may) == [("Wednesday", "2026-05-13")]


def test_a_day_holiday_before_holiday_is_the_day_and_christmas_holiday_a_period() -> None:
    may = datetime(2026, 5, 14, tzinfo=UTC)
    assert values("Hearings resume the day after the Memorial Day holiday.", may) == [
        ("Memorial Day", "2026-05-25")
    ]
    assert values("Travel peaks over the Christmas holiday.", may) == []
