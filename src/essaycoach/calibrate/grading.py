"""What `essaycoach grade --model` needs from calibration, in one place."""

from __future__ import annotations

from essaycoach.calibrate.model import CalibrationModel, Prediction
from essaycoach.calibrate.model_file import REPORT_SETTINGS
from essaycoach.errors import ModelError
from essaycoach.essay import Essay
from essaycoach.report import CalibrationSummary, Report


def predict_for_report(model: CalibrationModel, essay: Essay, report: Report) -> Prediction:
    """The model's score for a graded essay; essays the pipeline could not judge, and
    essays copied from the exemplar (`too_similar`), are untrusted: the model scores the
    words, whoever wrote them (QA: the exemplar in the teacher's class, a copy of it was
    predicted the top score at 98% and trusted).

    ModelError when a text+report model gets a report made with another grammar engine
    than it learnt from (`check_grade_settings` refuses such a run before it starts; this
    catches what can change during one: LanguageTool stopping under --grammar auto).
    """
    if model.needs_report:
        _check_report(model, report)
    prediction = model.predict(essay.prose, report if model.needs_report else None)
    extra = [f"not judged: {r}" for r in report.not_judged_reasons]
    similarity = report.similarity
    if similarity is not None and "too_similar" in similarity.flags:
        extra.append(
            f"copied from the exemplar: {similarity.copy_score:.0%} of the essay is copied "
            "or closely paraphrased"
        )
    if not extra:
        return prediction
    reasons = (*prediction.reasons, *extra)
    return Prediction(prediction.score, prediction.confidence, False, reasons, prediction.raw)


def _check_report(model: CalibrationModel, report: Report) -> None:
    # the rubric needs no check here: check_grade_settings compared its file by SHA-256
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
