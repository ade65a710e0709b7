"""Golden-file tests: each format's rendering of the shared fixture reports.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/unit/test_render_golden.py`
and review the diff. The tool version is replaced by "<VERSION>" so releases do not churn them.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from essaycoach import __version__
from essaycoach.render import FORMATS, RenderOptions, get_renderer
from tests.fixtures.reports import all_reports, strong_report

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def normalise(document: str) -> str:
    document = document.replace(f'"{__version__}"', '"<VERSION>"')
    return document.replace(f"essaycoach {__version__}", "essaycoach <VERSION>")


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
        pytest.skip(f"{name} regenerated (UPDATE_GOLDEN=1): review the diff before committing")
    assert path.exists(), f"{path} missing: run with UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                str(path),
                "actual",
            )
        )
        pytest.fail(f"{name} differs from the golden file (UPDATE_GOLDEN=1 to accept):\n{diff}")


@pytest.mark.parametrize("format_name", FORMATS)
def test_fixture_reports_match_golden_file(format_name: str) -> None:
    renderer = get_renderer(format_name, RenderOptions(fail_under=60))
    document = normalise(renderer.render(all_reports()))
    check_golden(f"fixture-reports.{format_name}.{renderer.extension}", document)


def test_single_report_json_is_the_report_object() -> None:
    document = normalise(get_renderer("json").render([strong_report()]))
    check_golden("strong-report.json", document)


def test_text_in_colour_matches_golden_file() -> None:
    renderer = get_renderer("text", RenderOptions(color=True))
    check_golden("strong-report.ansi.txt", renderer.render([strong_report()]))
