"""What a check is: built once per run from the rubric and exemplar, then run per essay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from essaycoach.essay import Essay
from essaycoach.findings import Finding


class Summary(Protocol):
    """A check's structured result, rendered into the report's JSON section."""

    def to_dict(self) -> dict[str, Any]: ...


S = TypeVar("S", bound=Summary, covariant=True)


@dataclass(frozen=True)
class CheckResult(Generic[S]):
    check: str
    findings: tuple[Finding, ...]
    summary: S  # the check's own frozen dataclass


class Check(Protocol):
    id: str

    def run(self, essay: Essay) -> CheckResult[Summary]: ...
