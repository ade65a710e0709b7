"""SARIF 2.1.0: one run, one rule per finding code, one result per finding.

Rules are sorted by code; a rule's default level is the most severe its findings have
in the run (each result carries its own level too), so neither depends on the order
the essays were given in.

Columns count Unicode code points (`columnKind: unicodeCodePoints`), the same units
as essaycoach offsets. Findings about the whole essay point at line 1 (GitHub code
scanning needs a start line) and carry the property `wholeEssay: true`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from essaycoach import __version__
from essaycoach.findings import Finding
from essaycoach.render.base import Renderer, path_from
from essaycoach.report import Report

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# Relative URIs are relative to the folder essaycoach ran in. Its absolute path is left
# out of the output (no originalUriBaseIds), so the base stays for the reader to supply:
# GitHub code scanning reads a relative path from the repository's root, which is this
# folder only when essaycoach ran there.
SOURCE_ROOT = "%SRCROOT%"


def artifact_location(source: str) -> dict[str, str]:
    """A relative URI on %SRCROOT% (or a file: URI) for an essay path, percent-encoded.

    '../essay.txt' is a file: URI and 'notes/../essay.txt' is 'essay.txt' (`path_from`).
    """
    path = path_from(Path.cwd(), source)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": url_quote(path.as_posix(), safe="/"), "uriBaseId": SOURCE_ROOT}


class SarifRenderer(Renderer):
    name = "sarif"
    extension = "sarif"

    def render(self, reports: Sequence[Report]) -> str:
        return json.dumps(self.document(reports), indent=2, ensure_ascii=False) + "\n"

    def document(self, reports: Sequence[Report]) -> dict[str, Any]:
        rules = _rules([f for report in reports for f in report.findings])
        rule_ids = {rule["id"]: index for index, rule in enumerate(rules)}
        results: list[dict[str, Any]] = []
        artifacts: list[dict[str, Any]] = []
        for index, report in enumerate(reports):
            location = artifact_location(report.essay.source)
            artifacts.append(
                {
                    "location": location,
                    # no "length": SARIF counts the file's bytes, and the report knows
                    # only the text read from it (a .docx, a re-encoded file)
                    "properties": {
                        "judged": report.judged,
                        "score": None
                        if report.score.total is None
                        else round(report.score.total, 1),
                    },
                }
            )
            for finding in report.findings:
                results.append(_result(report, finding, location, index, rule_ids[finding.code]))
        run = {
            "tool": {
                "driver": {
                    "name": "essaycoach",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }
        return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rules(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """One rule per finding code, sorted by code, whatever order the essays came in.

    A code's findings can differ in severity (a missing criterion is an error when
    the rubric requires it, a warning when not), so its default level is the most
    severe one it has in this run: the same for every order of the same essays (ties
    broken by category, which the rule's properties show).
    """
    by_code: dict[str, Finding] = {}
    for finding in findings:
        kept = by_code.get(finding.code)
        if kept is None or _rule_key(finding) > _rule_key(kept):
            by_code[finding.code] = finding
    return [_rule(by_code[code]) for code in sorted(by_code)]


def _rule_key(finding: Finding) -> tuple[int, str]:
    return finding.severity.rank, finding.category


def _rule(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.code,
        "name": finding.code.replace(".", "/"),
        "shortDescription": {"text": f"essaycoach {finding.check} check: {finding.code}"},
        "defaultConfiguration": {"level": LEVELS[finding.severity.value]},
        "properties": {"check": finding.check, "category": finding.category or finding.check},
    }


def _result(
    report: Report,
    finding: Finding,
    location: dict[str, str],
    artifact_index: int,
    rule_index: int,
) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {**location, "index": artifact_index}}
    if finding.span is None:
        # about the whole essay; code scanning needs a start line, so point at the first
        physical["region"] = {"startLine": 1}
    else:
        start, end = finding.span.start, finding.span.end
        start_line, start_column = report.essay.line_col(start)
        end_line, end_column = report.essay.line_col(end)
        physical["region"] = {
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
            "charOffset": start,
            "charLength": end - start,
            "snippet": {"text": report.essay.text[start:end]},
        }
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity.value],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
    }
    properties: dict[str, Any] = {}
    if finding.span is None:
        properties["wholeEssay"] = True
    if finding.suggestions:
        properties["suggestions"] = list(finding.suggestions)
    if properties:
        result["properties"] = properties
    return result
