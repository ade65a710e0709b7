"""schema/report.schema.json: valid JSON Schema 2020-12, accepts our output, rejects drift."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from essaycoach.render import get_renderer
from essaycoach.report import SCHEMA_VERSION
from tests.fixtures.reports import all_reports, hostile_report, not_judged_report, strong_report

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schema" / "report.schema.json"
DOC_PATH = ROOT / "docs" / "report-schema.md"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("factory", [strong_report, not_judged_report, hostile_report])
def test_fixture_report_json_is_valid(validator, factory) -> None:
    document = json.loads(get_renderer("json").render([factory()]))
    validator.validate(document)


def test_several_reports_make_a_valid_collection(validator) -> None:
    document = json.loads(get_renderer("json").render(all_reports()))
    validator.validate(document)
    assert document["schema_version"] == SCHEMA_VERSION


def _break(path: str, value: Any) -> dict:
    document = copy.deepcopy(strong_report().to_dict())
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return document


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("criteria.0.status", "done"),
        ("criteria.0.level", 5),
        ("criteria.0.confidence", 1.5),
        ("score.total", 101),
        ("score.total", KeyError),
        ("essay.words", KeyError),
        ("grammar.engine", "grammarly"),
        ("grammar.issues.0.start", -1),
        ("similarity.flags", ["plagiarised"]),
        ("findings.0.severity", "fatal"),
        ("schema_version", "2.0"),
        ("readability.verdict", "fine"),
    ],
)
def test_schema_rejects_broken_reports(validator, path: str, value: Any) -> None:
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(_break(path, value))


def _keys(instance: Any, schema: dict, defs: dict, where: str = "") -> list[str]:
    """Keys in `instance` that the schema does not describe (with their JSON path)."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    if instance is None:
        return []
    refs = [b for b in schema.get("anyOf", []) if "$ref" in b]  # {"anyOf": [ref, null]}
    if refs:
        return _keys(instance, refs[0], defs, where)
    missing: list[str] = []
    if isinstance(instance, dict) and "properties" in schema:
        for key, value in instance.items():
            if key not in schema["properties"]:
                missing.append(f"{where}.{key}")
            else:
                missing += _keys(value, schema["properties"][key], defs, f"{where}.{key}")
    elif isinstance(instance, list) and "items" in schema:
        for item in instance:
            missing += _keys(item, schema["items"], defs, f"{where}[]")
    return missing


def test_every_field_we_write_is_described_in_the_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    for report in all_reports():
        assert _keys(report.to_dict(), schema["$defs"]["report"], schema["$defs"]) == []


def test_every_schema_property_is_documented() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    documented = set(re.findall(r"`([a-z_0-9]+)`", DOC_PATH.read_text(encoding="utf-8")))
    names = {name for d in schema["$defs"].values() for name in d.get("properties", {})}
    assert names - documented == set()
    assert f'schema_version` is `"{SCHEMA_VERSION}"' in DOC_PATH.read_text(encoding="utf-8")
