"""Agreement between machine and human scores, the way exam boards report it.

The statistics follow ETS's RSMTool: quadratic weighted kappa (QWK), exact and
adjacent agreement, and the standardized mean difference (SMD) between the
machine and the human scores.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def quadratic_weighted_kappa(
    human: Sequence[int] | np.ndarray,
    machine: Sequence[int] | np.ndarray,
    min_rating: int | None = None,
    max_rating: int | None = None,
) -> float:
    """Cohen's kappa with quadratic weights over integer ratings.

    1 is perfect agreement, 0 is chance. When both raters give one and the same
    constant score the kappa is undefined; we return 1.0 in that case.
    """
    a = np.asarray(human, dtype=int)
    b = np.asarray(machine, dtype=int)
    if a.shape != b.shape or a.size == 0:
        raise ValueError("need two equally long, non-empty score lists")
    low = int(min(a.min(), b.min())) if min_rating is None else min_rating
    high = int(max(a.max(), b.max())) if max_rating is None else max_rating
    k = high - low + 1
    if k <= 1:
        return 1.0
    observed = np.zeros((k, k))
    np.add.at(observed, (a - low, b - low), 1.0)
    hist_a = observed.sum(axis=1)
    hist_b = observed.sum(axis=0)
    expected = np.outer(hist_a, hist_b) / a.size
    idx = np.arange(k)
    weights = (idx[:, None] - idx[None, :]) ** 2 / (k - 1) ** 2
    denominator = (weights * expected).sum()
    if denominator == 0:
        return 1.0
    return float(1.0 - (weights * observed).sum() / denominator)


def standardized_mean_difference(
    human: Sequence[float] | np.ndarray, machine: Sequence[float] | np.ndarray
) -> float:
    """(mean machine - mean human) / pooled SD, as RSMTool's `SMD` (pooled SD of both)."""
    h = np.asarray(human, dtype=float)
    m = np.asarray(machine, dtype=float)
    pooled = math.sqrt((h.var(ddof=1) + m.var(ddof=1)) / 2) if h.size > 1 else 0.0
    if pooled == 0:
        return 0.0
    return float((m.mean() - h.mean()) / pooled)


@dataclass(frozen=True)
class Agreement:
    n: int
    qwk: float
    exact: float  # share of essays with identical scores
    adjacent: float  # share within one score step
    smd: float
    pearson: float

    def to_dict(self) -> dict[str, float]:
        return {
            "n": self.n,
            "qwk": round(self.qwk, 4),
            "exact": round(self.exact, 4),
            "adjacent": round(self.adjacent, 4),
            "smd": round(self.smd, 4),
            "pearson": round(self.pearson, 4),
        }


def agreement(
    human_levels: Sequence[int] | np.ndarray, machine_levels: Sequence[int] | np.ndarray
) -> Agreement:
    """All statistics at once, on integer score levels (score steps from the lowest score)."""
    h = np.asarray(human_levels, dtype=int)
    m = np.asarray(machine_levels, dtype=int)
    diff = np.abs(h - m)
    varies = h.size > 1 and h.std() > 0 and m.std() > 0
    pearson = float(np.corrcoef(h, m)[0, 1]) if varies else 0.0
    return Agreement(
        n=int(h.size),
        qwk=quadratic_weighted_kappa(h, m),
        exact=float((diff == 0).mean()),
        adjacent=float((diff <= 1).mean()),
        smd=standardized_mean_difference(h, m),
        pearson=pearson,
    )


# RSMTool's usual bar for automated scoring
USUAL_MIN_QWK = 0.70
USUAL_MAX_ABS_SMD = 0.15
USUAL_BAR = f"QWK >= {USUAL_MIN_QWK:.2f}, |SMD| <= {USUAL_MAX_ABS_SMD:.2f}"


def meets_usual_bar(qwk: float, smd: float) -> bool:
    """Whether agreement meets the usual bar for automated scoring (RSMTool's)."""
    return qwk >= USUAL_MIN_QWK and abs(smd) <= USUAL_MAX_ABS_SMD
