"""The grammar engine interface: Harper and LanguageTool both implement it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class GrammarIssue:
    """One engine flag, with offsets into the text the engine was given."""

    start: int
    end: int
    message: str
    rule: str
    category: str  # normalised: spelling, grammar, punctuation, style, typography, ...
    replacements: tuple[str, ...] = ()
    engine: str = ""


class GrammarEngine(Protocol):
    name: str

    def check(self, text: str) -> list[GrammarIssue]:
        """Issues in `text`; offsets are Python str indices into it."""
        ...

    def close(self) -> None: ...
