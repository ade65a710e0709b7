"""A rubric for a task other than the analysis of a story (tests/fixtures/persuasive: a
persuasive essay's rubric, exemplar and student essays, written for these tests).

QA, a teacher writing their own rubric: the plot-structure model, the story check and
the "names a literary work" rule applied to every rubric, so a criterion with the id
"thesis" was scored by the plot model, a persuasive essay "named no character, place
or event of a story", a first-person argument was off topic, and order findings never
fired. They now apply only when the rubric sets `story_analysis = true`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import essaycoach
from essaycoach.report import Report, Status
from essaycoach.rubric import load_rubric

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "persuasive"
RUBRIC = FIXTURES / "rubric.toml"
EXEMPLAR = FIXTURES / "exemplar.txt"


def check(essay: str, rubric: Path = RUBRIC) -> Report:
    return essaycoach.check(
        FIXTURES / essay, rubric=str(rubric), exemplar=str(EXEMPLAR), grammar="off"
    )


def codes(report: Report) -> list[str]:
    return [f.code for f in report.findings]


def test_only_the_bundled_literary_rubric_analyses_a_story() -> None:
    assert load_rubric().story_analysis is True
    assert load_rubric(str(RUBRIC)).story_analysis is False


def test_a_criterion_id_the_plot_model_knows_is_only_a_label(tmp_path: Path) -> None:
    """Renaming "claim" to "thesis" dropped the strong essay from 93 to 72."""
    renamed = tmp_path / "rubric.toml"
    renamed.write_text(
        RUBRIC.read_text(encoding="utf-8").replace('id = "claim"', 'id = "thesis"'),
        encoding="utf-8",
    )
    for essay in ("strong.txt", "counterargument-last.txt"):
        assert check(essay, renamed).score.total == check(essay).score.total


def test_an_argument_need_not_tell_a_story() -> None:
    """It was capped with "names no character, place or event of a story"."""
    report = check("no-story-told.txt")
    assert "structure.no_story" not in codes(report)
    assert all(c.status != Status.MISSING for c in report.criteria)


@pytest.mark.parametrize(
    ("essay", "flagged"),
    [("counterargument-last.txt", True), ("strong.txt", False)],
)
def test_order_findings_fire_for_criteria_the_model_does_not_know(
    essay: str, flagged: bool
) -> None:
    """Every paragraph was labelled "other" (a softmax of one column), so a
    counterargument after the call to action went unremarked."""
    assert ("structure.order" in codes(check(essay))) is flagged


@pytest.mark.parametrize(
    ("essay", "off_topic"),
    [("first-person-thin.txt", False), ("literary-analysis.txt", True)],
)
def test_off_topic_needs_no_named_literary_work_outside_story_analysis(
    tmp_path: Path, essay: str, off_topic: bool
) -> None:
    """At the limit the literary rubric uses (0.15), a first-person argument that does
    the task was off topic for naming no novel or author; an analysis of a novel
    handed in for the argument still is."""
    strict = tmp_path / "rubric.toml"
    strict.write_text(
        RUBRIC.read_text(encoding="utf-8").replace(
            "off_topic_below = 0.10", "off_topic_below = 0.15"
        ),
        encoding="utf-8",
    )
    assert ("off_topic" in check(essay, strict).similarity.flags) is off_topic


def test_a_rubric_without_feedback_or_levels_still_says_what_to_do(tmp_path: Path) -> None:
    """QA (a lab-report rubric of criteria and cues only): the advice read "Method:  (about
    +8.8 points)" and 'level 4 is ""'."""
    text = RUBRIC.read_text(encoding="utf-8")
    text = re.sub(r"\[criterion\.feedback\]\n(?:\w+ = .*\n)+", "", text)
    text = re.sub(r"\[default_levels\]\n(?:\d = .*\n)+", "", text)
    bare = tmp_path / "rubric.toml"
    bare.write_text(text, encoding="utf-8")
    assert "feedback" not in text and "default_levels" not in text
    report = check("counterargument-last.txt", bare)
    assert all(c.feedback for c in report.criteria)
    messages = [i.message for i in report.score.improvements]
    assert messages and not any('is ""' in m or ":  " in m for m in messages)
    # the findings give the same advice: "Counterargument and rebuttal not found." said
    # nothing more
    first_two = "\n\n".join((FIXTURES / "strong.txt").read_text(encoding="utf-8").split("\n\n")[:3])
    short = essaycoach.check(
        text=first_two, rubric=str(bare), exemplar=str(EXEMPLAR), grammar="off"
    )
    missing = [f for f in short.findings if f.code == "structure.missing"]
    assert missing and all(f.message.endswith(".") and ". Add the " in f.message for f in missing)


def test_the_rubric_names_its_own_exemplar() -> None:
    """QA: a rubric could not name its exemplar, so without --exemplar a persuasive essay
    was compared with the bundled analysis of Never Let Me Go (93.0 fell to 82.5)."""
    unnamed = essaycoach.check(FIXTURES / "strong.txt", rubric=str(RUBRIC), grammar="off")
    assert unnamed.exemplar_source == str(EXEMPLAR)
    assert unnamed.score.total == check("strong.txt").score.total


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_reports_say_which_criteria_only_cues_judged(fmt: str) -> None:
    """QA: only the JSON's `structure.method` said that a custom rubric's criteria were
    judged by cue words alone; a student or teacher reading the report never learnt it."""
    from essaycoach.render import get_renderer

    custom = get_renderer(fmt).render([check("strong.txt")])
    bundled = get_renderer(fmt).render(
        [essaycoach.check(FIXTURES.parents[2] / "examples" / "strong-never-let-me-go.md",
                          grammar="off")]
    )  # fmt: skip
    note = "Judged by the rubric&#x27;s cue" if fmt == "html" else "Judged by the rubric's cue"
    names = "Claim (thesis), Reasons with evidence, Counterargument and rebuttal"
    if fmt == "markdown":
        names = names.replace("(", "\\(").replace(")", "\\)")
    assert note in custom and names in " ".join(custom.split())
    assert note not in bundled


def test_taste_feedback_on_another_task_is_the_rubrics_own(tmp_path: Path) -> None:
    """QA: a persuasive rubric's claim was told to say "what the work shows", the
    literary thesis's words; the quoted sentence now comes before the rubric's advice."""
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(
        RUBRIC.read_text(encoding="utf-8").replace(
            'met_requires = ["argu*", "should", "must", "believe*", "I think", "claim*", '
            '"need to", "ought"]',
            'met_requires = ["argu*", "should", "must", "claim*", "need to", "ought"]\n'
            'opinion_markers = ["I think", "I believe"]\ntaste_words = ["fun", "cool"]',
        ),
        encoding="utf-8",
    )
    position = (
        "I believe our school should require students to keep phones in their lockers "
        "during class, because phones hurt learning, damage students' mental health and "
        "make cheating easy."
    )
    strong = (FIXTURES / "strong.txt").read_text(encoding="utf-8")
    assert position in strong
    taste = "I think phones at school are fun and cool, and I believe it a lot."
    report = essaycoach.check(
        text=strong.replace(position, taste), rubric=str(rubric), exemplar=str(EXEMPLAR),
        grammar="off",
    )  # fmt: skip
    claim = report.criteria[0]
    assert (claim.id, claim.status, claim.level) == ("claim", "partial", 2)
    partial = load_rubric(str(rubric)).criterion("claim").feedback.partial
    assert claim.feedback == f'"{taste}" gives an opinion of taste, not a claim. {partial}'
    assert "work" not in claim.feedback


def test_grade_warns_once_about_a_rubric_for_another_task_without_an_exemplar(
    tmp_path: Path,
) -> None:
    """The grade command prints the outcome's notice: the same words validate and check
    give, naming the rubric file."""
    from click.testing import CliRunner

    from essaycoach.cli import main

    unnamed = tmp_path / "rubric.toml"
    unnamed.write_text(
        RUBRIC.read_text(encoding="utf-8").replace('exemplar = "exemplar.txt"\n', ""),
        encoding="utf-8",
    )
    essays = tmp_path / "essays"
    essays.mkdir()
    (essays / "ann.txt").write_text((FIXTURES / "strong.txt").read_text(encoding="utf-8"))
    result = CliRunner().invoke(
        main,
        ["grade", str(essays), "--out", str(tmp_path / "out"), "--rubric", str(unnamed),
         "--grammar", "off", "--no-config", "--workers", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "names no exemplar" in line]
    assert warnings == [
        f"essaycoach: warning: {unnamed}: the rubric names no exemplar, so essays are "
        "compared with the bundled one, an analysis of Never Let Me Go: name the task's "
        'model essay with exemplar = "..." in the rubric, or --exemplar'
    ]
