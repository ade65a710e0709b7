"""The small helpers for the English of messages (essaycoach.wording)."""

from __future__ import annotations

import pytest

from essaycoach.wording import below, number_range, plural


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [(1, 4, "1-4"), (0.5, 2.5, "0.5-2.5"), (-4, 4, "-4 to 4"), (-10, -2, "-10 to -2")],
)
def test_a_range_with_a_minus_sign_reads_with_to(low: float, high: float, text: str) -> None:
    """QA: "the scale becomes -4-4"."""
    assert number_range(low, high) == text


@pytest.mark.parametrize(
    ("value", "limit", "shown"),
    [
        (0.0966, 0.1, ("0.097", "0.100")),  # QA: "similarity 0.10 (minimum 0.10)"
        (0.05, 0.1, ("0.05", "0.10")),
        (0.09999, 0.1, ("0.1000", "0.1000")),  # four decimals at most
        (0.2, 0.1, ("0.20", "0.10")),  # not below: as it is
    ],
)
def test_a_value_below_its_limit_never_reads_as_equal(
    value: float, limit: float, shown: tuple[str, str]
) -> None:
    assert below(value, limit) == shown


def test_plural() -> None:
    assert (plural(1, "issue"), plural(2, "issue"), plural(0, "word")) == (
        "1 issue",
        "2 issues",
        "0 words",
    )
