"""Date classes the tenth pass fixed (batches 38-40 as a development set): ordinal weekdays of a
month, race-time durations without "and", British "St" holidays, a yearly day up to a year ahead,
"every <holiday>" sets, "Next year's" framing its sentence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streamproc.enrich.dates import extract_dates

FRIDAY = datetime(2026, 5, 1, 12, tzinfo=UTC)


def values(text: str, reference: datetime = FRIDAY, language: str = "en") -> list[tuple[str, str | None]]:
    return [(m.text, m.value) for m in extract_dates(text, "body", reference, language=language)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The council will vote on the third Tuesday of May.", [("the third Tuesday of May", "2026-05-19")]),
        ("Polls close on the last Monday in May 2025.", [("the last Monday in May 2025", "2025-05-26")]),
        (
            "Results came on the fourth Thursday of November.",
            [("the fourth Thursday of November", "2025-11-27")],
        ),
        ("The fair opened on the first Sunday of April.", [("the first Sunday of April", "2026-04-05")]),
    ],
)
def test_an_ordinal_weekday_of_a_month_is_that_day(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text) == expected


def test_a_month_without_a_fifth_weekday_gives_no_day() -> None:
    found = values("It meets on the fifth Monday of February.")
    assert all(not text.startswith("the fifth") for text, _ in found)


def test_next_year_s_frames_the_days_and_months_of_its_sentence() -> None:
    regatta_day = datetime(2027, 10, 17, 19, tzinfo=UTC)  # the third Sunday of October 2027
    text = "Next year's regatta will take place on the third Sunday of October, and entries open in June."
    assert values(text, regatta_day) == [
        ("Next year", "2028"),
        ("the third Sunday of October", "2028-10-15"),
        ("June", "2028-06"),
    ]


def test_a_future_ordinal_weekday_is_not_the_reference_day_itself() -> None:
    regatta_day = datetime(2027, 10, 17, 19, tzinfo=UTC)
    assert values("The race will be held on the third Sunday of October.", regatta_day) == [
        ("the third Sunday of October", "2028-10-15")
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The eight finished in 12 minutes 48 seconds.", "PT12M48S"),
        ("She won in 2 hours 41 minutes.", "PT2H41M"),
        ("The stage took four hours, 12 minutes and 3 seconds.", "PT4H12M3S"),
    ],
)
def test_a_race_time_is_one_duration_with_or_without_and(text: str, value: str) -> None:
    assert [v for _, v in values(text)] == [value]


def test_smaller_units_before_larger_ones_are_two_durations() -> None:
    assert values("He waited 40 minutes two hours later.") == [("40 minutes", "PT40M"), ("two hours", "PT2H")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Another swim is on St Patrick's Day.", [("St Patrick's Day", "2027-03-17")]),
        ("Another swim is on St. Patrick's Day.", [("St. Patrick's Day", "2027-03-17")]),
        ("Parades were held on St Andrew's Day.", [("St Andrew's Day", "2026-11-30")]),
    ],
)
def test_saint_s_days_with_or_without_the_point(text: str, expected: list[tuple[str, str]]) -> None:
    assert values(text, datetime(2027, 1, 2, 12, tzinfo=UTC)) == expected


def test_a_future_holiday_is_the_next_one_even_most_of_a_year_ahead() -> None:
    new_year = datetime(2027, 1, 2, 12, tzinfo=UTC)
    ahead = values("The next swim will be held on Christmas Day.", new_year)
    assert ahead == [("Christmas Day", "2027-12-25")]
    assert values("Crowds swam on Christmas Day.", new_year) == [("Christmas Day", "2026-12-25")]


def test_every_fixed_holiday_is_a_set_of_its_calendar_day() -> None:
    eve = datetime(2026, 12, 31, 12, tzinfo=UTC)
    assert values("Crowds gather every New Year's Eve.", eve) == [("every New Year's Eve", "XXXX-12-31")]
    assert values("Each Christmas Day the pier opens.", eve) == [("Each Christmas Day", "XXXX-12-25")]


NEW_YEARS_EVE = datetime(2026, 12, 31, 20, tzinfo=UTC)


def test_a_clock_range_across_midnight_ends_the_next_day() -> None:
    assert values("Police will close the drive from 8 p.m. to 2 a.m.", NEW_YEARS_EVE) == [
        ("8 p.m.", "2026-12-31T20:00"),
        ("2 a.m.", "2027-01-01T02:00"),
    ]
    assert values("Les bars resteront ouverts de 22 heures à 2 heures.", NEW_YEARS_EVE, "fr") == [
        ("22 heures", "2026-12-31T22:00"),
        ("2 heures", "2027-01-01T02:00"),
    ]
    assert values("Shops open from 9 a.m. to 5 p.m.", NEW_YEARS_EVE)[-1] == ("5 p.m.", "2026-12-31T17:00")


def test_a_range_end_with_its_own_day_keeps_it() -> None:
    tuesday = datetime(2026, 4, 14, 9, tzinfo=UTC)
    found = values("No circulen entre las 22:00 y las 8:00 del miércoles.", tuesday, "es")
    assert ("8:00", "2026-04-15T08:00") in found


def test_a_clock_time_does_not_take_the_day_an_until_phrase_ends_on() -> None:
    text = "Snow is expected to last until Saturday morning. Police will close the drive at 8 p.m."
    assert values(text, NEW_YEARS_EVE)[-1] == ("8 p.m.", "2026-12-31T20:00")
    tax_day = datetime(2027, 4, 15, 11, tzinfo=UTC)
    text = "Flooded counties have until July 31. Post offices will stay open until 10 p.m."
    assert values(text, tax_day)[-1] == ("10 p.m.", "2027-04-15T22:00")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("As vendas na Black Friday somaram R$ 5 bilhões.", "pt", [("Black Friday", "2026-11-27")]),
        ("Las tiendas esperan ventas récord el Black Friday.", "es", [("Black Friday", "2026-11-27")]),
        ("Le Cyber Monday a battu des records.", "fr", [("Cyber Monday", "2026-11-30")]),
        ("Der Cyber Monday brachte Rekordumsätze.", "de", [("Cyber Monday", "2026-11-30")]),
    ],
)
def test_borrowed_shopping_days_follow_the_us_thanksgiving(
    text: str, language: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text, datetime(2026, 12, 2, 12, tzinfo=UTC), language) == expected


def test_corpo_de_deus_is_sixty_days_after_easter() -> None:
    april = datetime(2026, 4, 30, 12, tzinfo=UTC)
    found = values("O próximo feriado nacional é o Corpo de Deus.", april, "pt")
    assert found == [("Corpo de Deus", "2026-06-04")]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le calendrier scolaire prévoit des congés du 18 décembre au 3 janvier.", "fr"),
        ("The school holidays run from December 18 to January 3.", "en"),
        ("Las vacaciones irán del 18 de diciembre al 3 de enero.", "es"),
    ],
)
def test_a_range_s_end_before_its_start_is_in_the_next_year(text: str, language: str) -> None:
    september = datetime(2027, 9, 3, 12, tzinfo=UTC)
    assert [v for _, v in values(text, september, language)] == ["2027-12-18", "2028-01-03"]


def test_a_range_end_with_its_own_year_keeps_it() -> None:
    found = values("Works ran from December 18 to January 3, 2027.", datetime(2027, 9, 3, 12, tzinfo=UTC))
    assert found[-1] == ("January 3, 2027", "2027-01-03")


def test_a_numeric_date_may_end_a_sentence() -> None:
    found = values(
        "Las notas se publicarán el 11/06/2026. Otra cosa.", datetime(2026, 5, 31, 12, tzinfo=UTC), "es"
    )
    assert found == [("11/06/2026", "2026-06-11")]
    assert (
        values("Le code 12.06.2026.5 n'est pas une date.", datetime(2026, 5, 31, 12, tzinfo=UTC), "fr") == []
    )


@pytest.mark.parametrize(
    ("text", "language", "span"),
    [
        ("Muchos han dejado de salir los fines de semana.", "es", "fines de semana"),
        ("A rega será proibida aos fins de semana.", "pt", "fins de semana"),
    ],
)
def test_bare_plural_weekends_are_a_set(text: str, language: str, span: str) -> None:
    assert values(text, datetime(2026, 8, 2, 12, tzinfo=UTC), language) == [(span, "XXXX-WXX-WE")]
