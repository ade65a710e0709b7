"""The score grid: which teacher's scores calibration takes, and how long a scale may be.

Scores lie on a grid of 10, 5, 1, 0.5, 0.25 or 0.1 points (10 and 5 only when at
least three different scores show it), counted from the lowest score (55, 65, 75 is
a grid of 10) up to the highest; each point of the grid is a score level. A scale
of more than `MAX_SCORE_LEVELS` levels (0-100 in tenths is the longest) or a score
further than `MAX_ABS_SCORE` from 0 is refused: it comes from a typo (1e6, a
student id in the score column), and the model's level arithmetic would need
gigabytes. The scores CSV (`dataset.py`) and the model file (`model.py`) share these
limits.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from essaycoach.errors import CalibrationError

SCORE_STEPS = (10.0, 5.0, 1.0, 0.5, 0.25, 0.1)
# a teacher who grades in tens or fives shows it with this many different scores; two
# (0 and 10 on a 0-10 scale) are more likely a small class on a 1-point scale
COARSE_STEP_MIN_SCORES = 3
MAX_SCORE_LEVELS = 1001  # 0-100 in steps of 0.1
MAX_ABS_SCORE = 1_000_000.0


class ScoreGridError(CalibrationError):
    """Scores that do not make a usable grid; `index` is the offending score's position."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


@dataclass(frozen=True)
class ScoreGrid:
    low: float
    step: float
    levels: int  # number of score levels from the lowest score to the highest


def show(score: float) -> str:
    return f"{score:.12g}"


def on_grid(score: float, step: float) -> bool:
    """Whether `score` is a whole number of `step`s from 0 (rounding error aside)."""
    return abs(score / step - round(score / step)) < 1e-6


def on_a_grid(score: float) -> bool:
    """Whether a score is on a grid of 0.1 or 0.25 points, which every other grid is."""
    return on_grid(score, 0.1) or on_grid(score, 0.25)


def score_step(scores: Sequence[float]) -> float:
    """The coarsest grid that holds every score, counted from the lowest: 10 or 5
    points (60, 70, 80: a teacher grading in tens, so the model never predicts a 69;
    55, 65, 75: letter grades turned into the middles of their bands), else 1, 0.5,
    0.25 or 0.1 (0.5, 1.5, 2.5 is a grid of 1). Every score is on a grid of 0.1 or
    0.25 points itself."""
    index = next((i for i, s in enumerate(scores) if not on_a_grid(s)), None)
    if index is not None:
        raise ScoreGridError(
            f"score {show(scores[index])} is not on a grid of 1, 0.5, 0.25 or 0.1 points", index
        )
    low = min(scores)
    distinct = len(set(scores))
    for step in SCORE_STEPS:
        if step > 1 and distinct < COARSE_STEP_MIN_SCORES:
            continue
        if all(on_grid(s - low, step) for s in scores):
            return step
    # each on a grid, but on none together (1.25 with 1.3): blame the few
    step = 0.25 if sum(on_grid(s, 0.25) for s in scores) * 2 > len(scores) else 0.1
    index = next(i for i, s in enumerate(scores) if not on_grid(s, step))
    others = "quarter" if step == 0.25 else "tenth"
    raise ScoreGridError(
        f"score {show(scores[index])} is not on the grid of {others} points the other "
        "scores are on (a typo?)",
        index,
    )


def lone_finer_scores(scores: Sequence[float], most: int = 2) -> tuple[float, list[int]]:
    """The grid all scores but at most `most` are on, and those scores' positions, when
    they alone make the grid finer: one 3.5 among whole points turns a 1-6 scale into
    eleven half-point levels, one 75 among tens 60-90 four levels into seven; either is
    as likely a typo as deliberate. A grid is counted from the score most scores share
    it with (the lone score may be the lowest).
    `(step, [])` when there are none."""
    step = score_step(scores)
    for coarser in (s for s in SCORE_STEPS if s > step):
        # the anchor: the score whose grid holds the most scores
        anchor = max(set(scores), key=lambda a: sum(on_grid(s - a, coarser) for s in scores))
        off = [i for i, s in enumerate(scores) if not on_grid(s - anchor, coarser)]
        if len(off) > most or len(off) >= len(scores) / 10:
            continue
        rest = {s for i, s in enumerate(scores) if i not in off}
        if coarser <= 1 or len(rest) >= COARSE_STEP_MIN_SCORES:  # as score_step decides
            return coarser, off
    return step, []


def score_grid(scores: Iterable[float]) -> ScoreGrid:
    """Lowest score, step and level count; `ScoreGridError` for a score that breaks them."""
    values = [float(s) for s in scores]
    if not values:
        raise ScoreGridError("no scores")
    for index, value in enumerate(values):
        if not (math.isfinite(value) and abs(value) <= MAX_ABS_SCORE):
            raise ScoreGridError(
                f"score {show(value)} is out of range "
                f"(scores must lie between -{MAX_ABS_SCORE:,.0f} and {MAX_ABS_SCORE:,.0f})",
                index,
            )
    step = score_step(values)
    low, high = min(values), max(values)
    levels = round((high - low) / step) + 1
    if levels > MAX_SCORE_LEVELS:
        # the score furthest from the median; on a tie (two scores) the bigger number
        median = statistics.median(values)
        index = max(range(len(values)), key=lambda i: (abs(values[i] - median), abs(values[i])))
        raise ScoreGridError(
            f"score {show(values[index])} is far from the others: scores from {show(low)} to "
            f"{show(high)} in steps of {step:g} make {levels:,} score levels, calibration takes "
            f"at most {MAX_SCORE_LEVELS:,} (a typo, or an id in the score column?)",
            index,
        )
    return ScoreGrid(low, step, levels)


def outlying_scores(scores: Sequence[float], most: int = 2) -> list[tuple[int, float, float]]:
    """Scores far from all the others, as a typo makes them (40 among 1-5), as
    `[(position, low, high)]`, `low`-`high` being the range of the other scores.

    A group of at most `most` scores (and under a tenth of them) at either end counts when
    the empty score levels between it and the rest are more than the rest's own range and
    more than 3: 1-5 and a 40 leave 34 empty levels, a 0-60 scale with one 0 and the rest
    from 20 up (19 empty, over a range of 40) does not count.
    """
    values = [float(s) for s in scores]
    if len(values) < 3:
        return []
    step = score_step(values)
    distinct = sorted(set(values))
    limit = min(most, (len(values) - 1) // 10)
    out: list[tuple[int, float, float]] = []
    for ends in (distinct, distinct[::-1]):  # lowest scores first, then highest
        for k in range(1, len(ends)):
            group, rest = ends[:k], ends[k:]
            members = [i for i, v in enumerate(values) if v in group]
            if len(members) > limit:
                break
            empty = round(abs(rest[0] - group[-1]) / step) - 1
            span = round(abs(rest[-1] - rest[0]) / step)
            if empty > max(3, span):
                low, high = min(rest), max(rest)
                out.extend((i, low, high) for i in members)
                break
    return sorted(out)
