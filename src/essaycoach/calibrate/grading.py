"""What `essaycoach grade --model` needs from calibration, in one place."""

from __future__ import annotations

from pathlib import Path

from essaycoach.calibrate.model import REPORT_SETTINGS, CalibrationModel, Prediction
from essaycoach.calibrate.report_settings import check_grade_settings
from essaycoach.errors import ModelError
from essaycoach.essay import Essay
from essaycoach.report import CalibrationSummary, Report
from essaycoach.settings import Settings


def load_for_grading(path: Path) -> CalibrationModel:
    """The model file, validated: ModelError if it is damaged or was tampered with.
    Cheap (0.3 s for a 7 MB model): `grade` does it first."""
    return CalibrationModel.load(path)


def check_for_grading(model: CalibrationModel, settings: Settings) -> None:
    """ModelError if `model` is a text+report model that learnt from reports made
    otherwise than a grade run with `settings` makes them. Under `--grammar auto` this
    asks LanguageTool, which may start the local server (10-20 s): `grade` does it once
    the submissions are found, before any is graded."""
    check_grade_settings(model, settings)


def predict_for_report(model: CalibrationModel, essay: Essay, report: Report) -> Prediction:
    """The model's score for a graded essay; essays the pipeline could not judge are untrusted.

    ModelError when a text+report model gets a report made with another grammar engine
    than it learnt from (`check_for_grading` refuses such a run before it starts; this
    catches what can change during one: LanguageTool stopping under --grammar auto).
    """
    if model.needs_report:
        _check_report(model, report)
    prediction = model.predict(essay.prose, report if model.needs_report else None)
    if report.judged:
        return prediction
    reasons = (*prediction.reasons, *(f"not judged: {r}" for r in report.not_judged_reasons))
    return Prediction(prediction.score, prediction.confidence, False, reasons, prediction.raw)


def _check_report(model: CalibrationModel, report: Report) -> None:
    # the rubric needs no check here: check_for_grading compared its file by SHA-256
    # (and so its id) before the run
    recorded = model.payload[REPORT_SETTINGS]
    if report.grammar is not None and report.grammar.engine != recorded["grammar"]:
        raise ModelError(
            f"the model was calibrated with grammar engine {recorded['grammar']!r}, "
            f"{report.essay.source} was checked with {report.grammar.engine!r}; grade with "
            f"--grammar {recorded['grammar']} or recalibrate",
            model.source,
        )


def calibration_summary(model: CalibrationModel, prediction: Prediction) -> CalibrationSummary:
    """The report section for one prediction (reports and summary.html show it)."""
    return CalibrationSummary(
        predicted_score=prediction.score,
        confidence=prediction.confidence,
        needs_review=not prediction.trusted,
        review_reasons=prediction.reasons,
        score_min=model.level_to_score(0),
        score_max=model.level_to_score(model.n_levels - 1),
        model_digest=model.digest,
    )
