"""gradebook.csv columns added by `grade --model`."""

from __future__ import annotations

import csv
import io

from essaycoach.grade.gradebook import gradebook_csv
from essaycoach.grade.results import FAILED, SubmissionResult


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def results() -> list[SubmissionResult]:
    trusted = SubmissionResult("ada", "", "ada.txt", "ada", total=72.0, words=640)
    trusted.predicted_score, trusted.prediction_confidence, trusted.prediction_trusted = (
        4,
        0.81,
        True,
    )
    flagged = SubmissionResult("ben", "", "ben.txt", "ben", total=30.0, words=550)
    flagged.predicted_score, flagged.prediction_confidence = 3, 0.55
    flagged.prediction_trusted = False
    flagged.prediction_reasons = [
        "off-topic: 29% of its content words occur in the training essays"
    ]
    failed = SubmissionResult("cy", "", "cy.docx", "cy", status=FAILED, reason="file is empty")
    return [trusted, flagged, failed]


def test_prediction_columns_with_model() -> None:
    table = rows(gradebook_csv(results(), [], [], with_prediction=True))
    assert [r["predicted_score"] for r in table] == ["4", "3", ""]
    assert [r["prediction_confidence"] for r in table] == ["0.81", "0.55", ""]
    assert [r["needs_review"] for r in table] == ["no", "yes", ""]
    assert table[1]["review_reasons"].startswith("off-topic")


def test_no_prediction_columns_without_model() -> None:
    header = gradebook_csv(results(), [], []).splitlines()[0]
    assert "predicted_score" not in header
