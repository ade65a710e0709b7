"""The calibrated prediction in student reports (JSON, HTML, Markdown, text) and summary.html."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from essaycoach.grade.results import FAILED, SubmissionResult
from essaycoach.grade.summary import prediction_bins, render_summary
from essaycoach.render import get_renderer
from essaycoach.report import CalibrationSummary, Report
from essaycoach.rubric import load_rubric
from tests.fixtures.reports import hostile_report, strong_report

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
DIGEST = "sha256:" + "ab" * 32

TRUSTED = CalibrationSummary(4.0, 0.62, False, (), 1.0, 6.0, DIGEST)
FLAGGED = CalibrationSummary(
    2.0,
    0.41,
    True,
    ("off-topic: 12% of its content words occur in the training essays",),
    1.0,
    6.0,
    DIGEST,
)
HOSTILE = CalibrationSummary(
    3.0, 0.5, True, ("<script>alert(1)</script> far from the training essays",), 1.0, 6.0, DIGEST
)


def with_calibration(report: Report, calibration: CalibrationSummary) -> Report:
    return replace(report, calibration=calibration)


def test_report_without_model_has_no_calibration_key() -> None:
    assert "calibration" not in strong_report().to_dict()


@pytest.mark.parametrize("calibration", [TRUSTED, FLAGGED])
def test_json_report_carries_the_prediction_and_is_valid(calibration: CalibrationSummary) -> None:
    document = json.loads(
        get_renderer("json").render([with_calibration(strong_report(), calibration)])
    )
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert document["calibration"] == {
        "predicted_score": calibration.predicted_score,
        "confidence": calibration.confidence,
        "needs_review": calibration.needs_review,
        "review_reasons": list(calibration.review_reasons),
        "score_min": 1.0,
        "score_max": 6.0,
        "model_digest": DIGEST,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("confidence", 1.5),
        ("needs_review", "no"),
        ("model_digest", "md5:00"),
        ("predicted_score", None),
    ],
)
def test_schema_rejects_a_broken_calibration(field: str, value: object) -> None:
    document = with_calibration(strong_report(), FLAGGED).to_dict()
    document["calibration"][field] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)


@pytest.mark.parametrize("format_name", ["html", "markdown", "text"])
def test_trusted_prediction_is_shown(format_name: str) -> None:
    out = get_renderer(format_name).render([with_calibration(strong_report(), TRUSTED)])
    assert "Predicted score (calibrated on the teacher" in out
    assert "4 on the model's 1–6 scale, confidence 62%" in out.replace("&#x27;", "'")
    assert "No reason found to distrust the prediction." in out
    assert "Needs review" not in out


@pytest.mark.parametrize("format_name", ["html", "markdown", "text"])
def test_prediction_needing_review_shows_the_reasons(format_name: str) -> None:
    out = get_renderer(format_name).render([with_calibration(strong_report(), FLAGGED)])
    assert "Needs review" in out
    assert "12% of its content words occur in the training essays" in " ".join(out.split())
    # QA: a copy of the exemplar read "confidence 98%"; for an essay the model may not
    # fit, the figure means little, so none is shown
    assert "no confidence given" in out
    assert "the chance the teacher gives this score" not in out  # HTML's caption (QA)
    assert f"{FLAGGED.confidence:.0%}" not in out


@pytest.mark.parametrize("format_name", ["html", "markdown", "text", "json"])
def test_report_without_model_shows_no_prediction(format_name: str) -> None:
    out = get_renderer(format_name).render([strong_report()])
    assert "Predicted score" not in out and "calibration" not in out


def test_html_escapes_review_reasons() -> None:
    html = get_renderer("html").render([with_calibration(hostile_report(), HOSTILE)])
    assert "<script>alert(1)</script> far" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; far" in html


@pytest.mark.parametrize(
    ("scale", "labels"),
    [
        ((1.0, 6.0, 1.0), ["1", "2", "3", "4", "5", "6"]),
        ((0.0, 3.0, 0.5), ["0", "0.5", "1", "1.5", "2", "2.5", "3"]),
        ((0.0, 60.0, 1.0), [*(f"{lo}-{lo + 3}" for lo in range(0, 60, 4)), "60"]),
    ],
)
def test_prediction_bins_cover_the_model_scale(
    scale: tuple[float, float, float], labels: list[str]
) -> None:
    got, counts = prediction_bins([scale[0], scale[1], scale[1]], scale)
    assert got == labels
    assert counts[0] == 1 and counts[-1] == 2 and sum(counts) == 3


def _result(student: str, score: float, confidence: float, reasons: list[str]) -> SubmissionResult:
    result = SubmissionResult(student, "", f"{student}.txt", student, judged=True, total=60.0)
    result.predicted_score, result.prediction_confidence = score, confidence
    result.prediction_trusted, result.prediction_reasons = not reasons, reasons
    result.reports = {"html": f"reports/{student}.html"}
    return result


def test_summary_shows_predictions_distribution_and_reviews() -> None:
    results = [
        _result("ada", 5, 0.7, []),
        _result("ben", 5, 0.6, []),
        _result("cy", 2, 0.3, ["too short: 40 words; 95% of training essays have 300 or more"]),
        SubmissionResult("dee", "", "dee.docx", "dee", FAILED, "file is empty"),
    ]
    rubric = load_rubric()
    html = render_summary(results, [], rubric, prediction_scale=(1.0, 6.0, 1.0))
    assert "Predicted scores (calibrated on the teacher" in html
    assert "Number of essays per predicted score" in html
    assert "<title>5: 2</title>" in html and "<title>2: 1</title>" in html  # the columns
    assert "3 essays on the model" in html and "1 need review" in html
    assert "too short: 40 words" in html
    assert "Predicted (confidence)" in html
    # an essay to review shows no confidence: computed as for any other, it reads as sure
    assert "5 (70%)" in html and '2 <span class="failed">review</span>' in html
    assert "30%" not in html
    # QA: the class figures counted the essay to review; confidences read 0.30 beside 46%
    assert "of the 2 it can be trusted on, mean 5.00, median 5, mean confidence 65%" in html


def test_summary_without_model_has_no_prediction_section() -> None:
    html = render_summary([_result("ada", 5, 0.7, [])], [], load_rubric())
    assert "Predicted" not in html
