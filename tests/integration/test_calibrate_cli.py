"""`essaycoach calibrate`, then `essaycoach grade --model`: real essays, real pipeline (Harper).

The commands run through an `EssaycoachGroup` holding them, as `essaycoach`'s own
group does, so library errors map to one line and exit code 2 the same way.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from essaycoach.calibrate.model_file import payload_digest
from essaycoach.cli.base import EssaycoachGroup
from essaycoach.cli.calibrate_cmd import calibrate_command
from essaycoach.cli.grade_cmd import grade_command
from tests.fixtures.calibration import OFF_TOPIC, ROOT, write_class
from tests.integration.permissions import held_to_permissions

pytestmark = pytest.mark.integration

CLI = EssaycoachGroup(
    name="essaycoach", commands={"calibrate": calibrate_command, "grade": grade_command}
)


def run(*args: str | Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(CLI, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("calibrate")
    write_class(root / "graded", root / "scores.csv")
    model = root / "model.json"
    result = run("calibrate", root / "graded", "--scores", root / "scores.csv", "--out", model)
    assert result.exit_code == 0, result.output
    return model, result.output


def test_calibrate_prints_agreement_and_writes_model(calibrated: tuple[Path, str]) -> None:
    model, output = calibrated
    qwk = float(re.search(r"quadratic weighted kappa\s+([-\d.]+)", output).group(1))  # type: ignore[union-attr]
    assert qwk >= 0.7, output  # the class's scores follow development, which the features see
    for label in ("exact agreement", "adjacent agreement", "standardized mean difference"):
        assert label in output
    # QA: the table and the feature names were not explained for teachers
    assert "What the model looks at most" in output
    assert "1 = your scores, 0 = chance" in output
    assert re.search(r"log_paragraphs +[\d.]+ +number of paragraphs", output), output
    assert not re.search(r"^  \S+ +0\.000 ", output, re.MULTILINE), output  # QA: padding
    assert "confidence" not in output  # a 4-point scale: nothing to warn about
    assert "adjacent agreement (within 1)" in output  # one step of this 1-point scale
    document = json.loads(model.read_text(encoding="utf-8"))
    assert document["payload"]["cross_validated"]["qwk"] == pytest.approx(qwk, abs=5e-4)
    assert "report_settings" not in document["payload"]  # a text model depends on no settings
    # the check that --out can be written left nothing behind
    assert sorted(p.name for p in model.parent.iterdir()) == ["graded", "model.json", "scores.csv"]


def test_grade_with_model_puts_predictions_in_gradebook(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    model, _ = calibrated
    essays = tmp_path / "essays"
    essays.mkdir()
    shutil.copy(ROOT / "examples" / "strong-never-let-me-go.md", essays / "full.md")
    # QA: a copy of the exemplar, which the teacher's class may hold, was trusted
    shutil.copy(ROOT / "examples" / "never-let-me-go.txt", essays / "copied.txt")
    first_paragraph = (ROOT / "examples" / "missing-climax.txt").read_text(encoding="utf-8")
    (essays / "one-paragraph.txt").write_text(first_paragraph.split("\n\n")[0], encoding="utf-8")
    shutil.copy(OFF_TOPIC, essays / "uniforms.txt")
    out = tmp_path / "out"
    result = run(
        "grade", essays, "--out", out, "--model", model, "--workers", "1", "--grammar", "harper"
    )
    assert result.exit_code == 0, result.output
    with (out / "gradebook.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    flagged = sum(row["needs_review"] == "yes" for row in rows.values())
    verb = "needs" if flagged == 1 else "need"
    assert f"essaycoach: {flagged} of 4 predicted scores {verb} review (reasons in" in result.output
    assert "off-topic for the model" not in result.output  # one of four
    assert float(rows["full.md"]["predicted_score"]) > float(
        rows["one-paragraph.txt"]["predicted_score"]
    )
    assert rows["full.md"]["needs_review"] == "no"
    assert 0 < float(rows["full.md"]["prediction_confidence"]) <= 1
    assert rows["uniforms.txt"]["needs_review"] == "yes"
    assert "off-topic" in rows["uniforms.txt"]["review_reasons"]
    assert rows["copied.txt"]["needs_review"] == "yes"
    assert "copied from the exemplar: 100% of the essay" in rows["copied.txt"]["review_reasons"]

    # the same prediction in each student's JSON and HTML report
    for file, row in rows.items():
        html_report = out / row["report"]
        json_report = json.loads(html_report.with_suffix(".json").read_text(encoding="utf-8"))
        calibration = json_report["calibration"]
        assert calibration["predicted_score"] == float(row["predicted_score"]), file
        assert f"{calibration['confidence']:.2f}" == row["prediction_confidence"], file
        assert calibration["needs_review"] == (row["needs_review"] == "yes"), file
        assert "; ".join(calibration["review_reasons"]) == row["review_reasons"], file
        assert calibration["model_digest"] == json.loads(model.read_text())["digest"]
        html = html_report.read_text(encoding="utf-8")
        assert f"{float(row['predicted_score']):g} on the model&#x27;s" in html, file
    uniforms_html = (out / rows["uniforms.txt"]["report"]).read_text(encoding="utf-8")
    assert "Needs review" in uniforms_html and "off-topic" in uniforms_html

    # and in the class overview: a distribution, the essays to review, a column
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert "Number of essays per predicted score" in summary
    assert "4 essays on the model" in summary
    assert "Predicted (confidence)" in summary
    full = rows["full.md"]
    confidence = f"{float(full['prediction_confidence']):.0%}"
    assert f"{float(full['predicted_score']):g} ({confidence})" in summary


def test_the_model_rubric_and_exemplar_in_the_essays_folder_are_no_submissions(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    """QA: `grade essays --model essays/model.json` failed the model's own row as an
    unsupported .json (exit 1); an exemplar kept there was graded as a student."""
    model, _ = calibrated
    essays = tmp_path / "essays"
    essays.mkdir()
    shutil.copy(ROOT / "examples" / "never-let-me-go.txt", essays / "full.txt")
    shutil.copy(model, essays / "model.json")
    data = ROOT / "src" / "essaycoach" / "data"
    shutil.copy(data / "exemplar" / "never-let-me-go.txt", essays / "exemplar.txt")
    shutil.copy(data / "rubrics" / "literary-analysis.toml", essays / "rubric.toml")
    # QA: the project's configuration file in the folder was a failed row too
    (essays / "essaycoach.toml").write_text('grammar = "off"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run(
        "grade", essays, "--out", out, "--model", essays / "model.json", "--workers", "1",
        "--grammar", "off", "--exemplar", essays / "exemplar.txt",
        "--rubric", essays / "rubric.toml",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with (out / "gradebook.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [row["file"] for row in csv.DictReader(handle)] == ["full.txt"]


def test_grade_warns_when_most_essays_are_off_topic_for_the_model(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    """QA: a model for another prompt flagged every essay, and the run closed as usual."""
    model, _ = calibrated
    essays = tmp_path / "essays"
    essays.mkdir()
    uniforms = OFF_TOPIC.read_text(encoding="utf-8")
    for n in range(5):
        (essays / f"uniforms-{n}.txt").write_text(f"{uniforms}\n\nDraft {n}.\n", encoding="utf-8")
    result = run("grade", essays, "--out", tmp_path / "out", "--model", model, "--workers", "1",
                 "--grammar", "off")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "essaycoach: 5 of 5 predicted scores need review" in result.output
    assert (
        "essaycoach: warning: 5 of 5 essays are off-topic for the model: is it the model for "
        "this assignment?" in result.output
    )


def test_grade_refuses_tampered_model(calibrated: tuple[Path, str], tmp_path: Path) -> None:
    model, _ = calibrated
    tampered = tmp_path / "tampered.json"
    document = json.loads(model.read_text(encoding="utf-8"))
    document["payload"]["cuts"][0] -= 0.5  # shift a grade boundary, keep the old digest
    tampered.write_text(json.dumps(document), encoding="utf-8")
    essays = tmp_path / "essays"
    essays.mkdir()
    shutil.copy(ROOT / "examples" / "never-let-me-go.txt", essays / "full.txt")
    result = run("grade", essays, "--out", tmp_path / "out", "--model", tampered)
    assert result.exit_code == 2
    assert str(tampered) in result.output
    assert "digest mismatch" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("qwk", "smd", "warned"), [(0.03, 0.58, True), (0.91, 0.02, False)])
def test_grade_warns_when_the_model_agreed_below_the_bar(
    calibrated: tuple[Path, str], tmp_path: Path, qwk: float, smd: float, warned: bool
) -> None:
    """QA: a model calibrated on a score typo (QWK 0.03) graded a class without a word;
    calibrate had said "Below the usual bar", grade said nothing."""
    from essaycoach.cli import main

    model, _ = calibrated
    document = json.loads(model.read_text(encoding="utf-8"))
    document["payload"]["cross_validated"].update(qwk=qwk, smd=smd)
    document["digest"] = payload_digest(document["payload"])
    weak = tmp_path / "weak.json"
    weak.write_text(json.dumps(document), encoding="utf-8")
    essays = tmp_path / "essays"
    essays.mkdir()
    shutil.copy(ROOT / "examples" / "never-let-me-go.txt", essays / "full.txt")
    result = CliRunner().invoke(
        main,
        ["grade", str(essays), "--out", str(tmp_path / "out"), "--model", str(weak),
         "--workers", "1", "--grammar", "off"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    warning = (
        f"essaycoach: warning: {weak}: when it was calibrated this model agreed with the "
        f"teacher's scores below the usual bar (QWK {qwk:.2f}, SMD {smd:+.2f}; the bar is "
        "QWK >= 0.70, |SMD| <= 0.15): check each predicted score yourself"
    )
    assert (warning in result.output.splitlines()) is warned, result.output


def test_grade_refuses_model_from_other_schema(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    model, _ = calibrated
    old = tmp_path / "old.json"
    document = json.loads(model.read_text(encoding="utf-8"))
    document["payload"]["feature_schema"] = "text-1"
    document["digest"] = payload_digest(document["payload"])
    old.write_text(json.dumps(document), encoding="utf-8")
    essays = tmp_path / "essays"
    essays.mkdir()
    shutil.copy(ROOT / "examples" / "never-let-me-go.txt", essays / "full.txt")
    result = run("grade", essays, "--out", tmp_path / "out", "--model", old)
    assert result.exit_code == 2
    assert "feature schema 'text-1'" in result.output


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("file,result\nx.txt,3\n", "line 1: the header needs a 'score' column"),
        ("file,score\nnot-there.txt,3\n", "line 2: no essay 'not-there.txt'"),
        ("file,score\nnever-let-me-go-01.txt,three\n", "line 2: score 'three' is not a number"),
    ],
)
def test_bad_scores_csv_is_one_line_exit_2(
    calibrated: tuple[Path, str], tmp_path: Path, csv_text: str, message: str
) -> None:
    model, _ = calibrated
    graded = model.parent / "graded"
    scores = tmp_path / "scores.csv"
    scores.write_text(csv_text, encoding="utf-8")
    result = run("calibrate", graded, "--scores", scores, "--out", tmp_path / "m.json")
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert str(scores) in lines[0] and message in lines[0]
    assert not (tmp_path / "m.json").exists()


def test_an_unreadable_scored_essay_is_left_out_not_fatal(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    """As in `grade`, one bad file does not stop the batch: the model is written from
    the others, the file is named on stderr, and the exit code (1) says so."""
    model, _ = calibrated
    graded = tmp_path / "graded"
    shutil.copytree(model.parent / "graded", graded)
    scores = model.parent / "scores.csv"
    first = next(csv.DictReader(scores.open(encoding="utf-8")))["file"]
    (graded / first).write_bytes(b"")  # a scored essay that is now empty
    out = tmp_path / "m.json"
    result = CliRunner().invoke(
        CLI, ["calibrate", str(graded), "--scores", str(scores), "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"essaycoach: left out: {graded / first}: file is empty (no text)"
    ]
    assert "Not used (cannot be read, see above): 1 essay\n" in result.stdout
    trained_on = int(re.search(r"Calibrated on (\d+) essays", result.stdout).group(1))  # type: ignore[union-attr]
    assert trained_on == len(list(csv.DictReader(scores.open(encoding="utf-8")))) - 1
    assert json.loads(out.read_text(encoding="utf-8"))["payload"]


def test_a_scored_broken_link_is_one_line_exit_2(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    """A link into a moved folder was left out as "cannot read file", exit 1, the model
    fitted without it; the folder is wrong, so nothing is fitted and the line says why."""
    model, _ = calibrated
    graded = tmp_path / "graded"
    shutil.copytree(model.parent / "graded", graded)
    scores = model.parent / "scores.csv"
    first = next(csv.DictReader(scores.open(encoding="utf-8")))["file"]
    (graded / first).unlink()
    (graded / first).symlink_to(tmp_path / "moved" / first)
    out = tmp_path / "m.json"
    result = CliRunner().invoke(
        CLI, ["calibrate", str(graded), "--scores", str(scores), "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"essaycoach: error: {graded / first}: broken symbolic link: its target does not "
        f"exist (scored on line 2 of {scores})"
    ]
    assert not out.exists()


def test_a_scored_link_to_an_essay_in_the_folder_is_used_once(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    """An essay moved to originals/ with a link left under its scored name: `grade` fails
    the link's row (one file, one submission), which made calibrate refuse the folder,
    exit 2, though only one of the two names was scored."""
    model, _ = calibrated
    graded = tmp_path / "graded"
    shutil.copytree(model.parent / "graded", graded)
    scores = model.parent / "scores.csv"
    first = next(csv.DictReader(scores.open(encoding="utf-8")))["file"]
    (graded / "originals").mkdir()
    (graded / first).rename(graded / "originals" / first)
    (graded / first).symlink_to(Path("originals") / first)
    out = tmp_path / "m.json"
    result = CliRunner().invoke(
        CLI, ["calibrate", str(graded), "--scores", str(scores), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    scored = len(list(csv.DictReader(scores.open(encoding="utf-8"))))
    assert result.stdout.startswith(f"Calibrated on {scored} essays")
    assert "Not used" not in result.stdout  # originals/ holds the scored essay, not another


def test_too_few_essays_is_refused(calibrated: tuple[Path, str], tmp_path: Path) -> None:
    model, _ = calibrated
    scores = tmp_path / "scores.csv"
    scores.write_text(
        "file,score\nnever-let-me-go-01.txt,1\nnever-let-me-go-02.txt,2\n", encoding="utf-8"
    )
    result = run(
        "calibrate", model.parent / "graded", "--scores", scores, "--out", tmp_path / "m.json"
    )
    assert result.exit_code == 2
    assert "calibration needs at least 20" in result.output


def _with_score_on_line_5(scores_csv: Path, folder: Path, score: str) -> Path:
    """A copy of the scores CSV in `folder` with line 5's score replaced by `score`."""
    lines = scores_csv.read_text(encoding="utf-8").splitlines()
    name, _ = lines[4].split(",")
    lines[4] = f"{name},{score}"
    copy = folder / "scores.csv"
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("1e6", "line 5: score 1000000 is far from the others"),
        ("100000.5", "line 5: score 100000.5 is far from the others"),
        ("1e9", "line 5: score 1000000000 is out of range"),
        ("1e300", "line 5: score 1e+300 is out of range"),
        ("20231234", "line 5: score 20231234 is out of range"),  # a student id in the column
    ],
)
def test_score_far_off_the_scale_is_one_line_exit_2(
    calibrated: tuple[Path, str], tmp_path: Path, score: str, message: str
) -> None:
    # once a grid of millions of levels: terabyte allocations, 23 GB of RAM or an IndexError
    model, _ = calibrated
    scores = _with_score_on_line_5(model.parent / "scores.csv", tmp_path, score)
    result = run(
        "calibrate", model.parent / "graded", "--scores", scores, "--out", tmp_path / "m.json"
    )
    assert result.exit_code == 2
    output = [line for line in result.output.splitlines() if line.strip()]
    assert len(output) == 1, result.output
    assert str(scores) in output[0] and message in output[0], output[0]
    assert not (tmp_path / "m.json").exists()


def test_one_score_off_the_others_grid_is_warned_about(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    # one 2.5 among whole points makes the model score in halves: say so, as it may be a typo
    model, output = calibrated
    assert "(scores 1-4 in steps of 1)" in output
    assert "warning" not in output
    line_5 = (model.parent / "scores.csv").read_text(encoding="utf-8").splitlines()[4]
    half = f"{int(line_5.split(',')[1]) + 0.5:g}"
    scores = _with_score_on_line_5(model.parent / "scores.csv", tmp_path, half)
    result = run(
        "calibrate", model.parent / "graded", "--scores", scores, "--out", tmp_path / "m.json"
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"essaycoach: warning: {scores}: line 5: score {half} is the only score "
        "off whole points, so the model scores in steps of 0.5; if it is a typo, fix it and "
        "calibrate again\n"
    )
    assert "in steps of 0.5)" in result.stdout
    # QA: "adjacent agreement (within 0.5)" pushed its figure out of the column
    lines = result.stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if "that never saw it" in line) + 1
    rows = lines[first : first + 5]
    assert "adjacent agreement (within 0.5)" in rows[2]
    figure_ends = {re.search(r"[\d%]   \S", line).start() for line in rows}  # type: ignore[union-attr]
    assert len(figure_ends) == 1, rows


def test_a_score_far_from_the_others_is_warned_about(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    # QA: 40 typed for 4 in a 1-4 class silently made a 1-40 scale
    model, _ = calibrated
    scores = _with_score_on_line_5(model.parent / "scores.csv", tmp_path, "40")
    result = run(
        "calibrate", model.parent / "graded", "--scores", scores, "--out", tmp_path / "m.json"
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"essaycoach: warning: {scores}: line 5: score 40 is far from the others (1-4): the "
        "scale becomes 1-40 with 35 empty score levels between; if it is a typo, fix it and "
        "calibrate again\n"
    )


def test_on_a_long_scale_the_confidence_is_explained(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    # QA: on long scales the exact-score confidence is low whatever the prediction
    model, _ = calibrated
    rows = (model.parent / "scores.csv").read_text(encoding="utf-8").splitlines()
    body = []
    for i, row in enumerate(rows[1:]):
        name, score = row.split(",")
        body.append(f"{name},{int(score) * 4 - i % 4}")  # 1-4 -> 1-16
    scores = tmp_path / "scores.csv"
    scores.write_text("\n".join([rows[0], *body]) + "\n", encoding="utf-8")
    result = run(
        "calibrate", model.parent / "graded", "--scores", scores, "--out", tmp_path / "m.json"
    )
    assert result.exit_code == 0, result.output
    assert (
        "  On 16 score levels the confidence `grade` shows (the chance of your\n"
        "  exact score) stays low even for good predictions: go by adjacent agreement.\n"
    ) in result.stdout


def test_a_blank_score_is_warned_about_and_skipped(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    # QA: one essay not graded yet stopped the whole calibration
    model, _ = calibrated
    scores = _with_score_on_line_5(model.parent / "scores.csv", tmp_path, "")
    name = scores.read_text(encoding="utf-8").splitlines()[4].split(",")[0]
    result = run(
        "calibrate", model.parent / "graded", "--scores", scores, "--out", tmp_path / "m.json"
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"essaycoach: warning: {scores}: line 5: no score for {name!r}; left out, like an "
        "essay the scores file does not list\n"
    )
    assert "Not used (no score in scores.csv): 1 essay" in result.stdout


def _edit(key: str, value: object):  # type: ignore[no-untyped-def]
    def change(payload):  # type: ignore[no-untyped-def]
        section, _, name = key.rpartition(".")
        (payload[section] if section else payload)[name] = value

    return change


@pytest.mark.parametrize(
    ("change", "literal", "message"),
    [
        (_edit("scores.step", 0), None, "model file is damaged (payload.scores.step must be"),
        (
            _edit("scores.step", 1e308),
            None,
            "model file is damaged (payload.scores.step must be a finite number",
        ),
        (
            _edit("scores.low", 1e308),
            None,
            "model file is damaged (payload.scores.low must be a finite number",
        ),
        (_edit("residual_sd", 0.0), None, "model file is damaged (payload.residual_sd must be"),
        (
            _edit("dense_weight", 1e308),
            None,
            "model file is damaged (payload.dense_weight must be a finite number",
        ),
        (_edit("gbm.trees", {}), None, "model file is damaged (payload.gbm.trees must be"),
        (
            _edit("ridge.bias", 0.5),
            None,
            "model file is damaged (unknown key 'payload.ridge.bias')",
        ),
        (_edit("residual_sd", "@"), "NaN", "not a calibration model file (invalid JSON: NaN"),
        (_edit("residual_sd", "@"), "[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ],
)
def test_grade_refuses_damaged_model_in_one_line(  # type: ignore[no-untyped-def]
    calibrated: tuple[Path, str], tmp_path: Path, change, literal: str | None, message: str
) -> None:
    model, _ = calibrated
    damaged = tmp_path / "damaged.json"
    document = json.loads(model.read_text(encoding="utf-8"))
    change(document["payload"])
    document["digest"] = payload_digest(document["payload"])
    text = json.dumps(document)
    if literal is not None:
        text = text.replace('"@"', literal)
    damaged.write_text(text, encoding="utf-8")
    essays = tmp_path / "essays"
    essays.mkdir()
    shutil.copy(ROOT / "examples" / "never-let-me-go.txt", essays / "full.txt")
    out = tmp_path / "out"
    result = run("grade", essays, "--out", out, "--model", damaged)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert str(damaged) in lines[0] and message in lines[0]
    assert "Traceback" not in result.output
    assert not (out / "gradebook.csv").exists()


def test_out_over_the_scores_file_is_refused_and_the_scores_kept(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    model, _ = calibrated
    scores = tmp_path / "scores.csv"
    scores.write_bytes((model.parent / "scores.csv").read_bytes())
    result = run("calibrate", model.parent / "graded", "--scores", scores, "--out", scores)
    assert result.exit_code == 2
    assert "is the scores file; the model would overwrite your scores" in result.output
    assert scores.read_bytes() == (model.parent / "scores.csv").read_bytes()


@pytest.mark.parametrize("name", ["model.json", "models/model.json", "alice.txt"])
def test_out_inside_the_essays_folder_is_refused(
    calibrated: tuple[Path, str], tmp_path: Path, name: str
) -> None:
    # QA: a model written into the essays folder was graded as a submission later
    model, _ = calibrated
    graded = tmp_path / "graded"
    shutil.copytree(model.parent / "graded", graded)
    out = graded / name
    result = run("calibrate", graded, "--scores", model.parent / "scores.csv", "--out", out)
    assert result.exit_code == 2
    assert result.output == (
        f"essaycoach: error: --out {out} is inside the essays folder {graded}; `essaycoach "
        "grade` would take the model for an essay there: write it outside the folder\n"
    )
    assert not out.exists()


def test_a_model_passed_as_the_scores_gives_a_short_line(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    model, _ = calibrated
    result = run("calibrate", model.parent / "graded", "--scores", model, "--out", tmp_path / "m")
    assert result.exit_code == 2
    assert "the header needs a 'score' column" in result.output
    assert len(result.output) < 600, len(result.output)  # not the whole model echoed back


def test_one_essay_with_another_score_is_named_as_too_few(
    calibrated: tuple[Path, str], tmp_path: Path
) -> None:
    model, _ = calibrated
    rows = (model.parent / "scores.csv").read_text(encoding="utf-8").splitlines()
    header, body = rows[0], rows[1:]
    scores = tmp_path / "scores.csv"
    lines = [f"{row.split(',')[0]},3" for row in body]
    lines[0] = lines[0][:-1] + "4"
    scores.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    result = run("calibrate", model.parent / "graded", "--scores", scores, "--out", tmp_path / "m")
    assert result.exit_code == 2
    assert (
        "only 1 essay has a score other than 3: too few for 5-fold cross-validation"
        in result.output
    )


def test_one_score_for_every_essay_says_so(calibrated: tuple[Path, str], tmp_path: Path) -> None:
    # QA: "only 0 essays scored other than 4"
    model, _ = calibrated
    rows = (model.parent / "scores.csv").read_text(encoding="utf-8").splitlines()
    scores = tmp_path / "scores.csv"
    body = [f"{row.split(',')[0]},4" for row in rows[1:]]
    scores.write_text("\n".join([rows[0], *body]) + "\n", encoding="utf-8")
    result = run("calibrate", model.parent / "graded", "--scores", scores, "--out", tmp_path / "m")
    assert result.exit_code == 2
    assert result.output == (
        f"essaycoach: error: {scores}: every essay has the same score (4); there is nothing "
        "to learn: calibrate on essays with different scores\n"
    )


def test_grade_refuses_a_model_file_over_the_cap_in_one_line(tmp_path: Path) -> None:
    huge = tmp_path / "model.json"
    with huge.open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse
    essays = tmp_path / "essays"
    essays.mkdir()
    shutil.copy(ROOT / "examples" / "never-let-me-go.txt", essays / "full.txt")
    result = run("grade", essays, "--out", tmp_path / "out", "--model", huge)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert f"{huge}: not a calibration model file (too large: 314,572,800 bytes" in lines[0]


# the command, for that subprocess, with the fit failing as the test's monkeypatch makes it
CALIBRATE_WITHOUT_THE_FIT = """
import sys

import essaycoach.calibrate.model


def no_fit(*args, **kwargs):
    raise AssertionError("the fit ran before --out was checked")


essaycoach.calibrate.model.calibrate = no_fit
from essaycoach.cli import main

main(sys.argv[1:], prog_name="essaycoach")
"""


def _run_held_to_permissions(scratch: Path, args: list[str]) -> tuple[int, str]:
    """(exit code, output) of `essaycoach *args` run without root's power to write past
    a folder's mode (tests/integration/permissions.py)."""
    import subprocess
    import sys

    result = subprocess.run(
        [*held_to_permissions(scratch), sys.executable, "-c", CALIBRATE_WITHOUT_THE_FIT, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stdout


@pytest.mark.parametrize("missing_folders", [False, True], ids=["folder", "missing-subfolder"])
def test_an_unwritable_out_is_refused_before_the_fit(
    calibrated: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    missing_folders: bool,
) -> None:
    """The folder of --out was only found unwritable when the model was saved, after
    the fit (seconds here, minutes for a large class). The folder refuses new files by
    its real mode (0555); root, who writes there anyway, runs the command without that
    power."""
    import essaycoach.calibrate.model as model_module

    def no_fit(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the fit ran before --out was checked")

    monkeypatch.setattr(model_module, "calibrate", no_fit)
    model, _ = calibrated
    locked = tmp_path / "locked"
    locked.mkdir()
    out = locked / "models" / "m.json" if missing_folders else locked / "m.json"
    args = [
        "calibrate", str(model.parent / "graded"), "--scores", str(model.parent / "scores.csv"),
        "--out", str(out),
    ]  # fmt: skip
    locked.chmod(0o555)
    try:
        try:
            (locked / "probe").touch()
        except PermissionError:  # held to the mode: the command runs here
            result = run(*args)
            exit_code, output = result.exit_code, result.output
        else:  # root
            (locked / "probe").unlink()
            exit_code, output = _run_held_to_permissions(tmp_path, args)
        assert exit_code == 2, output
        lines = [line for line in output.splitlines() if line.strip()]
        assert len(lines) == 1, output
        assert f"{out}: cannot write: Permission denied" in lines[0]
        assert list(locked.iterdir()) == []  # nothing left behind
    finally:
        locked.chmod(0o755)  # for pytest to remove it


def test_out_that_is_a_folder_is_refused(calibrated: tuple[Path, str], tmp_path: Path) -> None:
    model, _ = calibrated
    folder = tmp_path / "models"
    folder.mkdir()
    result = run(
        "calibrate", model.parent / "graded", "--scores", model.parent / "scores.csv",
        "--out", folder,
    )  # fmt: skip
    assert result.exit_code == 2
    assert f"{folder}' is a directory" in result.output
    assert list(folder.iterdir()) == []


# ---- --features text+report: the model records the report settings, grade checks them


@pytest.fixture(scope="module")
def report_model(calibrated: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    model, _ = calibrated
    out = tmp_path_factory.mktemp("report-model") / "model.json"
    result = run(
        "calibrate", model.parent / "graded", "--scores", model.parent / "scores.csv",
        "--out", out, "--features", "text+report", "--grammar", "harper", "--no-config",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_report_model_records_the_report_settings(report_model: Path) -> None:
    record = json.loads(report_model.read_text(encoding="utf-8"))["payload"]["report_settings"]
    assert (record["rubric"], record["exemplar"], record["grammar"], record["min_words"]) == (
        "literary-analysis",
        "never-let-me-go.txt",
        "harper",
        50,
    )


def test_grade_with_the_report_settings_of_the_model_predicts(
    report_model: Path, tmp_path: Path
) -> None:
    essays = tmp_path / "essays"
    essays.mkdir()
    shutil.copy(ROOT / "examples" / "never-let-me-go.txt", essays / "full.txt")
    out = tmp_path / "out"
    result = run(
        "grade", essays, "--out", out, "--model", report_model, "--workers", "1",
        "--grammar", "harper", "--no-config",
        # the bundled exemplar, given by its copy in examples/: the same text
        "--exemplar", ROOT / "examples" / "never-let-me-go.txt",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with (out / "gradebook.csv").open(encoding="utf-8-sig", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["predicted_score"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ("--grammar", "off"),
            "the model was calibrated with grammar engine 'harper', this grade run would use "
            "'off' (--grammar off): the report features would differ; grade with --grammar "
            "harper or recalibrate",
        ),
        (
            ("--grammar", "harper", "--exemplar", "{exemplar}"),
            "the model was calibrated with exemplar 'never-let-me-go.txt' (sha256 ",
        ),
        (
            ("--grammar", "harper", "--rubric", "{rubric}"),
            "the model was calibrated with rubric 'literary-analysis' (sha256 ",
        ),
        (
            ("--grammar", "harper", "--accept-words", "{words}"),
            "accepted words (sha256 ",
        ),
    ],
    ids=["grammar", "exemplar", "rubric", "accept-words"],
)
def test_grade_under_other_report_settings_is_refused_in_one_line(
    report_model: Path, tmp_path: Path, options: tuple[str, ...], message: str
) -> None:
    exemplar = tmp_path / "exemplar.txt"  # the exemplar, one word more
    text = (ROOT / "examples" / "never-let-me-go.txt").read_text(encoding="utf-8")
    exemplar.write_text(text.replace("Kathy", "Kathy H.", 1), encoding="utf-8")
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(
        (ROOT / "rubrics" / "literary-analysis.toml").read_text(encoding="utf-8") + "\n# mine\n",
        encoding="utf-8",
    )
    words = tmp_path / "words.txt"
    words.write_text("Quidditch\n", encoding="utf-8")
    essays = tmp_path / "essays"
    essays.mkdir()
    shutil.copy(ROOT / "examples" / "never-let-me-go.txt", essays / "full.txt")
    out = tmp_path / "out"
    args = [a.format(exemplar=exemplar, rubric=rubric, words=words) for a in options]
    result = CliRunner().invoke(
        CLI, ["grade", str(essays), "--out", str(out), "--model", str(report_model),
              "--workers", "1", "--no-config", *args],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"essaycoach: error: {report_model}: "), lines[0]
    assert message in lines[0], lines[0]
    assert not out.exists()  # refused before any grading


def test_grade_refuses_a_report_model_without_its_settings(
    report_model: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.json"
    document = json.loads(report_model.read_text(encoding="utf-8"))
    del document["payload"]["report_settings"]  # as written before the settings were recorded
    document["digest"] = payload_digest(document["payload"])
    old.write_text(json.dumps(document), encoding="utf-8")
    essays = tmp_path / "essays"
    essays.mkdir()
    shutil.copy(ROOT / "examples" / "never-let-me-go.txt", essays / "full.txt")
    result = run("grade", essays, "--out", tmp_path / "out", "--model", old, "--grammar", "harper")
    assert result.exit_code == 2
    assert "recalibrate with `essaycoach calibrate --features text+report`" in result.output
