"""What `essaycoach grade --model` needs from calibration, in one place."""

from __future__ import annotations

from pathlib import Path

from essaycoach.calibrate.model import CalibrationModel, Prediction
from essaycoach.essay import Essay
from essaycoach.report import CalibrationSummary, Report


class ModelCache:
    """Loads each model file once per process (a grade worker grades many essays)."""

    def __init__(self) -> None:
        self._models: dict[Path, CalibrationModel] = {}

    def get(self, path: Path) -> CalibrationModel:
        if path not in self._models:
            self._models[path] = CalibrationModel.load(path)
        return self._models[path]


def model_digest(path: Path) -> str:
    """Validate the model file (ModelError if it is bad) and return its content digest."""
    return CalibrationModel.load(path).digest


def predict_for_report(model: CalibrationModel, essay: Essay, report: Report) -> Prediction:
    """The model's score for a graded essay; essays the pipeline could not judge are untrusted."""
    prediction = model.predict(essay.prose, report if model.needs_report else None)
    if report.judged:
        return prediction
    reasons = (*prediction.reasons, *(f"not judged: {r}" for r in report.not_judged_reasons))
    return Prediction(prediction.score, prediction.confidence, False, reasons, prediction.raw)


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
