"""Yearless-month classes the nineteenth pass (every development batch's yearless-month misses)
fixed. Sentences written here, none from a corpus; each test marked "before" fails on the code
before the pass, the others guard what the new rules must leave alone."""

from __future__ import annotations

from datetime import datetime

from streamproc.enrich.dates import extract_dates


def values(text: str, reference: str, language: str = "en") -> list[tuple[str, str | None]]:
    return [
        (m.text, m.value)
        for m in extract_dates(text, "body", datetime.fromisoformat(reference), language=language)
    ]


def test_a_french_month_part_without_de_after_a_deadline_looks_ahead() -> None:
    # Before: "jusqu'à fin juillet" was no deadline ("fin" needed a "de"), so the past of the
    # relative clause ("qui a commencé") put the month a year back.
    text = "Le festival, qui a commencé début juin, se poursuit jusqu'à fin juillet."
    assert ("fin juillet", "2027-07") in values(text, "2027-06-18T10:00:00+02:00", "fr")
    text = "Le musée, qui a rouvert en mars, reste fermé jusqu'à début août."
    assert ("début août", "2027-08") in values(text, "2027-06-18T10:00:00+02:00", "fr")


def test_a_french_past_before_a_month_part_stays_past() -> None:
    text = "Les ventes ont chuté fin mai, selon la fédération."
    assert ("fin mai", "2027-05") in values(text, "2027-06-18T10:00:00+02:00", "fr")


def test_a_past_perfect_before_that_does_not_cancel_the_reported_deadline() -> None:
    # Before: "had been" in the main clause made "by mid-January" a deadline already past.
    text = (
        "Forecaster Ann Lee said the autumn had been mild "
        "and that frosts were likely to return by mid-January."
    )
    assert ("mid-January", "2027-01") in values(text, "2026-12-31T10:00:00+00:00")


def test_a_past_perfect_in_the_deadline_clause_still_dates_it_back() -> None:
    text = "Officials said the agency had filed its reports by mid-January."
    assert ("mid-January", "2026-01") in values(text, "2026-12-31T10:00:00+00:00")


def test_a_noun_with_a_conditional_ending_after_an_indefinite_article_is_no_future_cue() -> None:
    # Before: "avería" (-ría, a conditional's ending) read as a future, putting July a year ahead.
    text = "Ya hubo una avería similar en julio, cuando miles de vecinos pasaron un día sin agua."
    assert ("julio", "2026-07") in values(text, "2026-09-06T10:00:00+02:00", "es")


def test_a_definite_article_before_proximo_keeps_its_future() -> None:
    text = "Los vecinos esperan la próxima revisión en marzo."
    assert ("marzo", "2027-03") in values(text, "2026-09-06T10:00:00+02:00", "es")


def test_a_month_coordinated_with_a_month_and_its_year_takes_that_year() -> None:
    # Before: "janeiro" took the year nearest the reference (2027), not the one its pair writes.
    text = "O ministério registou o dobro dos casos de janeiro e fevereiro de 2026."
    assert ("janeiro", "2026-01") in values(text, "2027-03-01T09:00:00-03:00", "pt")
    assert ("December", "2026-12") in values(
        "Sales in December and January 2027 fell.", "2027-03-01T09:00:00"
    )


def test_a_yearless_month_range_crosses_the_new_year() -> None:
    # Before: "October" was this October (the publication month), the range running backwards.
    text = "Last season, hospitals treated about 600,000 flu patients between October and April."
    assert values(text, "2026-10-21T14:00:00") == [("October", "2025-10"), ("April", "2026-04")]
    text = "La campaña se extendió de octubre a marzo."
    assert values(text, "2026-10-21T14:00:00", "es") == [("octubre", "2025-10"), ("marzo", "2026-03")]


def test_a_future_month_range_keeps_its_start_and_ends_next_year() -> None:
    text = "The clinics will run between November and March."
    assert values(text, "2026-10-21T14:00:00") == [("November", "2026-11"), ("March", "2027-03")]


def test_a_month_after_a_count_of_years_back_is_of_that_year() -> None:
    # Before: the month took the year nearest the reference, as if "five years ago" were not there.
    text = "The last ban, five years ago, was lifted in early December."
    assert ("early December", "2022-12") in values(text, "2027-07-16T09:00:00+01:00")
    text = "Vor zwei Jahren waren die Salzlager Mitte Januar leer."
    assert ("Mitte Januar", "2025-01") in values(text, "2027-01-04T07:30:00+01:00", "de")


def test_a_month_after_years_back_in_another_clause_or_ahead_is_left() -> None:
    text = "Exports were up 4% from a year ago, and the bank will meet in March."
    assert ("March", "2027-03") in values(text, "2027-01-04T09:00:00+00:00")
    text = "El convenio caducó hace dos años y los turnos se han alargado desde la primavera."
    assert ("la primavera", "2026-SP") in values(text, "2026-07-23T10:00:00+00:00", "es")


def test_a_habitual_clause_makes_no_deadline() -> None:
    # Before: "by late April" looked ahead, to next April, though it tells what happens every year.
    text = "Tree pollen, which usually fades by late April, stayed high this year after a mild March."
    assert ("late April", "2026-04") in values(text, "2026-05-14T06:50:00+01:00")


def test_a_deadline_without_a_habitual_adverb_still_looks_ahead() -> None:
    assert ("late April", "2027-04") in values(
        "The council will decide by late April.", "2026-05-14T06:50:00+01:00"
    )


def test_a_noun_in_apposition_to_a_weekday_is_no_past_participle() -> None:
    # Before: "feriado" after the comma read as a participle opening a clause, a past cue, and put
    # Thursday a week back.
    text = "O forró deve seguir até as 4h de quinta-feira, feriado municipal."
    assert ("quinta-feira", "2027-06-24") in values(text, "2027-06-23T10:00:00-03:00", "pt")


def test_a_participle_opening_an_apposition_before_a_weekday_is_still_past() -> None:
    text = "As negociações, interrompidas na terça-feira, serão retomadas."
    assert ("terça-feira", "2027-06-22") in values(text, "2027-06-23T10:00:00-03:00", "pt")
