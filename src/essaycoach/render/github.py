"""GitHub Actions workflow commands: one annotation per finding, plus a score notice per essay.

`::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`; info findings
become `::notice`. Suggestions follow the message as the text report shows them.
Values are escaped as GitHub's toolkit does: % CR LF in the message, and additionally
: and , in properties.

`file=` is the essay's path from the repository's root: under Actions (GITHUB_WORKSPACE
set) relative to the workspace, so a step run in a subfolder or an essay named with
'..' still lands on its file; elsewhere relative to the working folder. A file outside
both is written as an absolute path, which GitHub cannot place but a reader can.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from essaycoach.findings import Finding
from essaycoach.render.base import (
    Renderer,
    path_from,
    score_text,
    suggestions,
    suggestions_label,
)
from essaycoach.report import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation_path(source: str) -> str:
    """`source` as the `file=` of an annotation (see the module docstring)."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    return path_from(Path(workspace) if workspace else Path.cwd(), source).as_posix()


def workflow_command(command: str, message: str, **properties: object) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{command}{' ' + props if props else ''}::{escape_data(message)}"


def annotation_message(finding: Finding) -> str:
    """The finding's message, then its first three suggestions as the text report shows
    them: trimmed, a deletion as "(delete)", "Suggestions" when there are several."""
    message = finding.message.strip()
    if not finding.suggestions:
        return message
    if message and message[-1] not in ".?!:":
        message += "."
    return f"{message} {suggestions_label(finding.suggestions)}: {suggestions(finding.suggestions)}"


class GithubRenderer(Renderer):
    name = "github"
    extension = "github.txt"

    def render(self, reports: Sequence[Report]) -> str:
        lines: list[str] = []
        for report in reports:
            source = annotation_path(report.essay.source)
            if report.judged:
                lines.append(
                    workflow_command(
                        "notice",
                        f"Score {score_text(report)} ({report.rubric_name})",
                        file=source,
                        title="essaycoach score",
                    )
                )
            for finding in report.findings:
                position: dict[str, object] = {}
                if finding.span is not None:
                    line, col = report.essay.line_col(finding.span.start)
                    end_line, end_col = report.essay.line_col(finding.span.end)
                    position = {"line": line, "endLine": end_line}
                    if line == end_line:  # GitHub ignores columns on multi-line annotations
                        position.update(col=col, endColumn=end_col)
                lines.append(
                    workflow_command(
                        COMMANDS[finding.severity.value],
                        annotation_message(finding),
                        file=source,
                        **position,
                        title=f"essaycoach {finding.code}",
                    )
                )
        return "\n".join(lines) + "\n" if lines else ""
