"""Score calibration: learn a teacher's own scores and check agreement with them."""

from essaycoach.calibrate.agreement import Agreement, agreement, quadratic_weighted_kappa
from essaycoach.calibrate.model import (
    CalibrationModel,
    CalibrationResult,
    FitOptions,
    Prediction,
    calibrate,
    fit_model,
)

__all__ = [
    "Agreement",
    "CalibrationModel",
    "CalibrationResult",
    "FitOptions",
    "Prediction",
    "agreement",
    "calibrate",
    "fit_model",
    "quadratic_weighted_kappa",
]
