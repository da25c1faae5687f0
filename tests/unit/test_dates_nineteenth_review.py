"""Review of the nineteenth dates pass: where its rules fired and should not. Sentences written
here, none from a corpus; each test fails on the pass's code (51f1c03)."""

from __future__ import annotations

from datetime import datetime

import pytest

from streamproc.enrich.dates import extract_dates


def values(text: str, reference: str, language: str = "en") -> list[tuple[str, str | None]]:
    return [
        (m.text, m.value)
        for m in extract_dates(text, "body", datetime.fromisoformat(reference), language=language)
    ]


# The pass put each month a year or two back. A count of years back in a relative clause closed
# before the month: the main verb's time is its own. An indefinite after "cada": a pronoun, the
# subject of a real future, not an article before a noun.
@pytest.mark.parametrize(
    ("language", "text", "month", "value"),
    [
        ("en", "The mayor, who was elected two years ago, resigned in March.", "March", "2026-03"),
        ("en", "The plant, which closed two years ago, reopened in March.", "March", "2026-03"),
        ("es", "El alcalde, que fue elegido hace dos años, dimitió en marzo.", "marzo", "2026-03"),
        ("pt", "O prefeito, que foi eleito há dois anos, renunciou em março.", "março", "2026-03"),
        ("fr", "Le maire, qui a été élu il y a deux ans, a démissionné en mars.", "mars", "2026-03"),
        ("it", "Il sindaco, che è stato eletto due anni fa, si è dimesso a marzo.", "marzo", "2026-03"),
        (
            "de",
            "Der Bürgermeister, der vor zwei Jahren gewählt wurde, trat im März zurück.",
            "März",
            "2026-03",
        ),
        ("es", "Cada uno recibirá una ayuda en marzo.", "marzo", "2027-03"),
        ("es", "Cada una tendrá su turno en marzo.", "marzo", "2027-03"),
        ("pt", "Cada um receberá o bónus em março.", "março", "2027-03"),
    ],
)
def test_a_relative_clause_or_a_pronoun_stops_the_pass_rules(
    language: str, text: str, month: str, value: str
) -> None:
    # "The last ban, five years ago, was lifted in early December" (no relative pronoun) and "una
    # avería" stay as the pass made them: tests/unit/test_dates_nineteenth_pass.py
    assert (month, value) in values(text, "2026-10-21T14:00:00", language)


def test_a_habitual_adverb_of_another_verb_leaves_the_deadline() -> None:
    # "normally" qualifies "carries" (a relative clause), not "is shut until March"
    text = "The road that normally carries traffic to the port is shut until March."
    assert values(text, "2026-10-21T14:00:00") == [("March", "2027-03")]
    text = "The road normally used by trucks is closed until March."
    assert values(text, "2026-10-21T14:00:00") == [("March", "2027-03")]
    text = "Tree pollen, which usually fades by late April, stayed high this year after a mild March."
    assert ("late April", "2026-04") in values(text, "2026-05-12T09:00:00")
