"""Review of the twenty-first dates pass: over-general matches of its new rules and sentences of
the same class they missed, written here as adversarial sentences (none from a corpus). Each
example fails on the branch as reviewed (dates21 55df3c0) but the controls."""

from __future__ import annotations

import pytest

from tests.unit.test_dates_twentyfirst_pass import values


# "this"/"esta" make tonight's midnight only right before it ("hasta esta medianoche"); with a day
# between ("this Sunday at midnight", "esta semana a medianoche del viernes") the day named holds
# (was the reference day's T24:00, 2026-06-15T24:00). "tonight at midnight" keeps tonight's.
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Voting ends this Sunday at midnight.", ("midnight", "2026-06-21T24:00")),
        ("en", "The deadline is this Friday at midnight.", ("midnight", "2026-06-19T24:00")),
        ("en", "Polls close this Sunday at midnight, officials said.", ("midnight", "2026-06-21T24:00")),
        ("es", "El plazo vence esta semana a medianoche del viernes.", ("medianoche", "2026-06-19T24:00")),
        # controls, unchanged
        ("en", "Tonight at midnight the law takes effect.", ("midnight", "2026-06-15T24:00")),
        ("es", "La venta seguirá abierta hasta esta medianoche.", ("medianoche", "2026-06-15T24:00")),
        ("fr", "Le couvre-feu commence ce soir à minuit.", ("minuit", "2026-06-15T24:00")),
        ("de", "Die Frist endet heute um Mitternacht.", ("Mitternacht", "2026-06-15T24:00")),
    ],
)
def test_this_before_a_day_is_not_tonights_midnight(
    language: str, text: str, expected: tuple[str, str]
) -> None:
    assert expected in values(text, "2026-06-15T12:00:00", language)


# An English quarter two or more back moves to next year only as the time of a future event ("will
# arrive in the first quarter"), not in a comparison or after figures named before it ("lower than
# in the first quarter", "results for the first quarter", "the pace of the first quarter"), nor as
# the subject ("The first quarter will be remembered"): all were 2027-Q1 said in September 2026.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sales will be lower than in the first quarter.", "2026-Q1"),
        ("Analysts will compare the figures with the first quarter.", "2026-Q1"),
        ("The company will restate results for the first quarter.", "2026-Q1"),
        ("The company will release figures for the first quarter.", "2026-Q1"),
        ("Growth will slow from the pace of the first quarter.", "2026-Q1"),
        ("The first quarter will be remembered as the worst in years.", "2026-Q1"),
        # a plan the story has passed ("was planned for", 2027-Q1 on the pass's branch)
        ("The launch was planned for the first quarter but slipped to June.", "2026-Q1"),
        # controls, as the pass had them: the time of a future event, a plan "for" it, its end
        ("The launch is planned for the first quarter.", "2027-Q1"),
        ("The merger should close by the end of the first quarter.", "2027-Q1"),
        ("A cheaper model will arrive in the first quarter.", "2027-Q1"),
        ("He said the model would arrive in the first quarter.", "2027-Q1"),
        ("The plant will not reopen until the first quarter.", "2027-Q1"),
    ],
)
def test_a_quarter_compared_or_measured_stays_this_years(text: str, expected: str) -> None:
    found = dict(values(text, "2026-09-15T12:00:00"))
    assert expected in found.values(), found


# A present progressive of a plan with "not" or an adverb after "is" looks ahead as without it
# ("is not arriving on Wednesday" was last Wednesday, 2026-06-10).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The storm is not arriving on Wednesday.", "2026-06-17"),
        ("The storm is finally arriving on Wednesday.", "2026-06-17"),
        ("The ministers are also meeting on Wednesday.", "2026-06-17"),
        ("The storm isn't arriving on Wednesday.", "2026-06-17"),
        # controls, unchanged
        ("The storm was arriving on Wednesday.", "2026-06-10"),
        ("The storm is arriving on Wednesday.", "2026-06-17"),
    ],
)
def test_a_progressive_with_an_adverb_looks_ahead(text: str, expected: str) -> None:
    assert values(text, "2026-06-15T12:00:00") == [("Wednesday", expected)]


# A date after "desde"/"seit"/"depuis" bounds a comparison as one after "since" does: the year its
# sentence named stays the anchor of "el año anterior", "im Vorjahr" (were 2006, the year before 2007).
@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "es",
            "Hubo 412 muertes en 2026, la cifra más alta desde 2007 y un 9% más que el año anterior.",
            ("el año anterior", "2025"),
        ),
        (
            "de",
            "2026 gab es 412 Tote, so viele wie seit 2007 nicht mehr und 9 % mehr als im Vorjahr.",
            ("Vorjahr", "2025"),
        ),
        # control, unchanged: with no year of its own before, "since 2007" is the anchor
        (
            "en",
            "He has lived here since 2007 and moved his firm the year before.",
            ("the year before", "2006"),
        ),
    ],
)
def test_a_bound_after_since_in_other_languages(language: str, text: str, expected: tuple[str, str]) -> None:
    assert expected in values(text, "2027-01-20T12:00:00", language)


# A date after "off", "after", "following" belongs to an event of its own, behind: "is coming off a
# loss on Saturday" was next Saturday (2026-06-20) on the pass's branch.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The team is coming off a 3-1 loss to Chelsea on Saturday.", ("Saturday", "2026-06-13")),
        ("Arsenal are coming off a win over Spurs on Saturday.", ("Saturday", "2026-06-13")),
        ("Investors are heading into the week after a rally on Friday.", ("Friday", "2026-06-12")),
        # controls, unchanged
        ("The president is flying to Paris on Thursday.", ("Thursday", "2026-06-18")),
        ("The band is playing Wembley on Saturday.", ("Saturday", "2026-06-20")),
    ],
)
def test_a_progressive_before_an_event_of_its_own(text: str, expected: tuple[str, str]) -> None:
    assert values(text, "2026-06-15T12:00:00") == [expected]
