"""Exit-code gating: --fail-under and --fail-on over the shared fixture reports."""

from __future__ import annotations

from dataclasses import replace

import pytest

from essaycoach.gating import ThresholdOrigin, failing_findings, failure_reasons, should_fail
from tests.fixtures.reports import hostile_report, not_judged_report, strong_report


@pytest.mark.parametrize(
    ("factory", "fail_under", "fail_on", "fails"),
    [
        (strong_report, None, None, False),  # no thresholds: never fails
        (strong_report, 70, None, False),  # 78.4 >= 70
        (strong_report, 80, None, True),  # 78.4 < 80
        (strong_report, 78.4, None, False),  # equal is not under
        (strong_report, None, "error", False),  # warnings and info only
        (strong_report, None, "warning", True),  # grammar and copying warnings
        (hostile_report, None, "error", True),  # a missing required criterion is an error
        (not_judged_report, 10, None, True),  # an unjudged essay fails any score threshold
        # an unjudged essay fails --fail-on too: its structure was never checked for errors
        (not_judged_report, None, "error", True),
        (not_judged_report, None, "warning", True),
    ],
)
def test_should_fail(factory, fail_under, fail_on, fails: bool) -> None:
    assert should_fail([factory()], fail_under, fail_on) is fails


@pytest.mark.parametrize(("total", "fails"), [(84.96, False), (84.94, True), (85.0, False)])
def test_the_score_is_compared_as_shown_to_one_decimal(total: float, fails: bool) -> None:
    report = strong_report()
    report = replace(report, score=replace(report.score, total=total))
    assert should_fail([report], 85, None) is fails


def test_any_failing_essay_fails_the_run() -> None:
    assert should_fail([strong_report(), hostile_report()], 50, None)
    assert not should_fail([strong_report(), hostile_report()], 25, None)


def test_failing_findings_counts_at_or_above_the_severity() -> None:
    report = strong_report()
    warnings_and_errors = sum(f.severity.value in ("warning", "error") for f in report.findings)
    assert failing_findings(report, "warning") == warnings_and_errors == 6
    assert failing_findings(report, "error") == 0


def test_failure_reasons_name_the_essay_and_threshold() -> None:
    reasons = failure_reasons([strong_report(), not_judged_report()], 80, "error")
    assert reasons == [
        "essays/hope-against-fate.md: scored 78.4, under --fail-under 80",
        "essays/too-short.txt: could not be judged, under --fail-under 80",
        "essays/too-short.txt: could not be judged, which fails --fail-on error",
    ]


def test_an_essay_that_could_not_be_judged_fails_fail_on_saying_so() -> None:
    reasons = failure_reasons([strong_report(), not_judged_report()], None, "error")
    assert reasons == ["essays/too-short.txt: could not be judged, which fails --fail-on error"]
    # one reason per threshold, not one more for its not-judged warning finding
    assert failure_reasons([not_judged_report()], None, "warning") == [
        "essays/too-short.txt: could not be judged, which fails --fail-on warning"
    ]


def test_failure_reasons_name_where_a_threshold_was_set() -> None:
    reasons = failure_reasons(
        [strong_report(), hostile_report()],
        80,
        "error",
        fail_under_from=ThresholdOrigin("fail_under", "essaycoach.toml"),
        fail_on_from=ThresholdOrigin("tool.essaycoach.overrides[1].fail_on", "pyproject.toml"),
    )
    hostile = hostile_report().essay.source
    assert reasons == [
        "essays/hope-against-fate.md: scored 78.4, under fail_under = 80 in essaycoach.toml",
        f"{hostile}: scored 30.0, under fail_under = 80 in essaycoach.toml",
        f'{hostile}: 1 finding at or above error (tool.essaycoach.overrides[1].fail_on = "error" '
        "in pyproject.toml)",
    ]


def test_unknown_fail_on_is_rejected() -> None:
    with pytest.raises(ValueError, match="error, warning"):
        should_fail([strong_report()], None, "info")
