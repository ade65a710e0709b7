"""The one finding type every check produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range [start, end) into the essay text as loaded."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check wants the writer to know, anchored to a place in the essay.

    `check` is the producing check's id ("grammar", "structure", ...), `code` the
    rule within it ("harper.SpellCheck", "structure.order", ...). `span` is None for
    findings about the essay as a whole.
    """

    check: str
    code: str
    severity: Severity
    message: str
    span: Span | None = None
    suggestions: tuple[str, ...] = ()
    category: str = ""
    extra: tuple[tuple[str, object], ...] = field(default=())

    def extra_dict(self) -> dict[str, object]:
        return dict(self.extra)
