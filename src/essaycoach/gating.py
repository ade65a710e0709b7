"""When `essaycoach check` should exit 1: a score under a threshold or findings at a severity.

Independent of the output format, so every renderer and command gates the same way.
An essay that could not be judged (not English, too short) fails either threshold: it
has no score to compare, and the structure and similarity checks, whose errors
--fail-on counts, never ran on it, so passing it would let an unchecked essay through.
Its JUnit score case fails the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from essaycoach.findings import Severity
from essaycoach.report import Report
from essaycoach.wording import plural

FAIL_ON_CHOICES = ("error", "warning")


@dataclass(frozen=True)
class ThresholdOrigin:
    """Where a threshold was set: a command-line flag (`file` None), or a key of a
    configuration file ("fail_under", "overrides[0].fail_on", "tool.essaycoach.fail_under")."""

    key: str
    file: str | None = None

    def describe(self, value: float | str) -> str:
        """'--fail-under 60', or 'fail_under = 60 in essaycoach.toml' (as TOML writes it)."""
        if isinstance(value, str):
            shown = value if self.file is None else f'"{value}"'
        else:
            shown = f"{value:g}"
        if self.file is None:
            return f"{self.key} {shown}"
        return f"{self.key} = {shown} in {self.file}"


FAIL_UNDER_FLAG = ThresholdOrigin("--fail-under")
FAIL_ON_FLAG = ThresholdOrigin("--fail-on")


def failing_findings(report: Report, fail_on: str) -> int:
    """How many findings are at or above the `fail_on` severity ("error" or "warning")."""
    if fail_on not in FAIL_ON_CHOICES:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON_CHOICES)}, not {fail_on!r}")
    floor = Severity(fail_on).rank
    return sum(1 for f in report.findings if f.severity.rank >= floor)


def under_threshold(report: Report, fail_under: float) -> bool:
    """True when the essay scores under `fail_under`, or could not be judged at all.

    The score is compared as every report shows it, to one decimal: 84.96 shows as
    85.0 and passes --fail-under 85.
    """
    return report.score.total is None or round(report.score.total, 1) < fail_under


def failure_reasons(
    reports: Sequence[Report],
    fail_under: float | None,
    fail_on: str | None,
    *,
    fail_under_from: ThresholdOrigin = FAIL_UNDER_FLAG,
    fail_on_from: ThresholdOrigin = FAIL_ON_FLAG,
) -> list[str]:
    """One line per essay and threshold it fails, saying which threshold, set where, and why.

    `fail_under_from` and `fail_on_from` say where each threshold was set: its flag
    unless given, or a configuration file's key.
    """
    reasons = []
    for report in reports:
        source = report.essay.source
        if fail_under is not None and under_threshold(report, fail_under):
            total = report.score.total
            what = "could not be judged" if total is None else f"scored {total:.1f}"
            reasons.append(f"{source}: {what}, under {fail_under_from.describe(fail_under)}")
        if fail_on is not None:
            count = failing_findings(report, fail_on)
            setting = fail_on_from.describe(fail_on)
            if not report.judged:
                reasons.append(f"{source}: could not be judged, which fails {setting}")
            elif count:
                found = plural(count, "finding")
                reasons.append(f"{source}: {found} at or above {fail_on} ({setting})")
    return reasons


def should_fail(reports: Sequence[Report], fail_under: float | None, fail_on: str | None) -> bool:
    """True when any report is under `fail_under`, has a finding at or above `fail_on`, or
    could not be judged while either threshold is set."""
    return bool(failure_reasons(reports, fail_under, fail_on))
