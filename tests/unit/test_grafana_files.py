"""Grafana's files checked without Grafana (it cannot run on the build machines).

The dashboard is decoded with grafana-foundation-sdk, Grafana's own generated models of the dashboard
schema with its panel and query plugins registered, and encoded again: a key the schema does not
know (a typo, a field of another panel type) is dropped on the way and fails the test, and so does
a value the models change. The provisioning files follow Grafana's documented provisioning format,
written down here as JSON schemas with no unknown keys allowed. The PromQL inside is checked
against a real Prometheus in tests/integration/test_promql.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from grafana_foundation_sdk.cog import plugins
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import dashboard as dashboard_model
from grafana_foundation_sdk.models import prometheus as prometheus_model

REPO = Path(__file__).resolve().parents[2]
DASHBOARDS = REPO / "config" / "grafana" / "dashboards"
PROVISIONING = REPO / "config" / "grafana" / "provisioning"

plugins.register_default_plugins()


def _round_trip(document: dict[str, Any]) -> Any:
    decoded = dashboard_model.Dashboard.from_json(document)
    return json.loads(json.dumps(decoded, cls=JSONEncoder))


def _differences(original: Any, again: Any, path: str = "") -> list[str]:
    if isinstance(original, dict):
        if not isinstance(again, dict):
            return [f"{path}: object became {type(again).__name__}"]
        found = []
        for key, value in original.items():
            if key not in again:
                found.append(f"{path}/{key}: not in the dashboard schema")
            else:
                found += _differences(value, again[key], f"{path}/{key}")
        return found
    if isinstance(original, list):
        if not isinstance(again, list) or len(again) != len(original):
            return [f"{path}: list changed"]
        return [
            d
            for i, (a, b) in enumerate(zip(original, again, strict=True))
            for d in _differences(a, b, f"{path}[{i}]")
        ]
    return [] if original == again else [f"{path}: {original!r} became {again!r}"]


def _dashboards() -> list[Path]:
    found = sorted(DASHBOARDS.glob("*.json"))
    assert found
    return found


@pytest.mark.parametrize("path", _dashboards(), ids=lambda p: p.name)
def test_dashboard_matches_grafanas_schema(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert _differences(document, _round_trip(document)) == []


@pytest.mark.parametrize("path", _dashboards(), ids=lambda p: p.name)
def test_every_panel_and_query_decodes_to_its_plugins_model(path: Path) -> None:
    decoded = dashboard_model.Dashboard.from_json(json.loads(path.read_text(encoding="utf-8")))
    panels: list[Any] = []
    for panel in decoded.panels or []:
        panels.append(panel)
        panels.extend(getattr(panel, "panels", None) or [])
    queried = [p for p in panels if isinstance(p, dashboard_model.Panel)]
    assert queried
    for panel in queried:
        # Options of a panel type without a registered model stay a plain dict: not checked at all.
        assert not isinstance(panel.options, dict), f"{panel.title}: unknown panel type {panel.type_val}"
        for target in panel.targets or []:
            assert isinstance(target, prometheus_model.Dataquery), panel.title


def test_the_schema_check_catches_a_misspelt_key() -> None:
    document = json.loads(_dashboards()[0].read_text(encoding="utf-8"))
    first_panel = next(p for p in document["panels"] if p["type"] != "row")
    first_panel["options"]["legendd"] = {"showLegend": True}
    first_panel["gridPos"]["width"] = 3
    problems = _differences(document, _round_trip(document))
    assert any("/options/legendd" in p for p in problems)
    assert any("/gridPos/width" in p for p in problems)


# Grafana's provisioning format (https://grafana.com/docs/grafana/latest/administration/provisioning/),
# limited to what these files may use; anything else is a typo Grafana would silently ignore.
DATASOURCES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["apiVersion", "datasources"],
    "properties": {
        "apiVersion": {"const": 1},
        "deleteDatasources": {"type": "array"},
        "datasources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "type", "access", "url"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "uid": {"type": "string", "pattern": "^[a-zA-Z0-9_-]{1,40}$"},
                    "type": {"type": "string"},
                    "access": {"enum": ["proxy", "direct"]},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "orgId": {"type": "integer"},
                    "isDefault": {"type": "boolean"},
                    "editable": {"type": "boolean"},
                    "version": {"type": "integer"},
                    "jsonData": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "timeInterval": {"type": "string", "pattern": "^[0-9]+(ms|s|m|h)$"},
                            "httpMethod": {"enum": ["GET", "POST"]},
                            "prometheusType": {"type": "string"},
                            "prometheusVersion": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
}

DASHBOARD_PROVIDERS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["apiVersion", "providers"],
    "properties": {
        "apiVersion": {"const": 1},
        "providers": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "type", "options"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "orgId": {"type": "integer"},
                    "folder": {"type": "string"},
                    "folderUid": {"type": "string"},
                    "type": {"const": "file"},
                    "disableDeletion": {"type": "boolean"},
                    "allowUiUpdates": {"type": "boolean"},
                    "updateIntervalSeconds": {"type": "integer", "minimum": 1},
                    "options": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["path"],
                        "properties": {
                            "path": {"type": "string", "pattern": "^/"},
                            "foldersFromFilesStructure": {"type": "boolean"},
                        },
                    },
                },
            },
        },
    },
}


@pytest.mark.parametrize(
    ("kind", "schema"), [("datasources", DATASOURCES_SCHEMA), ("dashboards", DASHBOARD_PROVIDERS_SCHEMA)]
)
def test_provisioning_files_follow_grafanas_format(kind: str, schema: dict[str, Any]) -> None:
    files = sorted((PROVISIONING / kind).glob("*.y*ml"))
    assert files
    for path in files:
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_the_provisioning_schema_rejects_an_unknown_key() -> None:
    [path] = sorted((PROVISIONING / "datasources").glob("*.y*ml"))
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["datasources"][0]["jsonData"]["timeIntervall"] = "5s"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, DATASOURCES_SCHEMA)
