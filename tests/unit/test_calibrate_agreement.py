"""Agreement statistics against hand-worked values and scikit-learn's kappa."""

from __future__ import annotations

import pytest
from sklearn.metrics import cohen_kappa_score

from essaycoach.calibrate.agreement import (
    agreement,
    quadratic_weighted_kappa,
    standardized_mean_difference,
)

HUMAN = [1, 2, 3, 4, 2, 3, 1, 4, 3, 2]


@pytest.mark.parametrize(
    "machine",
    [
        [1, 2, 3, 4, 2, 3, 1, 4, 3, 2],
        [2, 2, 3, 3, 2, 4, 1, 4, 2, 2],
        [4, 3, 2, 1, 3, 2, 4, 1, 2, 3],
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 2],
    ],
)
def test_qwk_matches_scikit_learn(machine: list[int]) -> None:
    expected = cohen_kappa_score(HUMAN, machine, weights="quadratic")
    assert quadratic_weighted_kappa(HUMAN, machine) == pytest.approx(expected)


def test_qwk_perfect_and_reversed() -> None:
    assert quadratic_weighted_kappa(HUMAN, HUMAN) == pytest.approx(1.0)
    reversed_scores = [5 - s for s in HUMAN]
    assert quadratic_weighted_kappa(HUMAN, reversed_scores) < -0.9


def test_qwk_fixed_range_counts_unused_levels() -> None:
    # With a 0-10 range, an error of 1 is small compared with the whole scale.
    wide = quadratic_weighted_kappa([2, 3, 4], [3, 4, 5], 0, 10)
    narrow = quadratic_weighted_kappa([2, 3, 4], [3, 4, 5])
    assert wide > narrow


def test_exact_adjacent_and_smd() -> None:
    stats = agreement([1, 2, 3, 4], [1, 3, 1, 4])
    assert stats.exact == pytest.approx(0.5)
    assert stats.adjacent == pytest.approx(0.75)
    assert stats.n == 4
    # machine mean 2.25, human mean 2.5; pooled SD from the two sample variances
    assert stats.smd == pytest.approx((2.25 - 2.5) / ((1.6667 + 2.25) / 2) ** 0.5, abs=1e-3)


def test_smd_zero_when_means_agree() -> None:
    assert standardized_mean_difference([1, 2, 3], [3, 2, 1]) == pytest.approx(0.0)


def test_qwk_rejects_unequal_lists() -> None:
    with pytest.raises(ValueError):
        quadratic_weighted_kappa([1, 2], [1])
