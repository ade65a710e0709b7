"""Run settings shared by the library API, the CLI and configuration files."""

from __future__ import annotations

from dataclasses import dataclass

from essaycoach.rubric import DEFAULT_RUBRIC

GRAMMAR_CHOICES = ("auto", "languagetool", "harper", "both", "off")


@dataclass(frozen=True)
class Settings:
    rubric: str = DEFAULT_RUBRIC  # bundled rubric name or path to a TOML file
    exemplar: str | None = None  # path; None = the bundled exemplar
    grammar: str = "auto"
    languagetool_url: str | None = None  # a LanguageTool server the user configured
    accept_words: tuple[str, ...] = ()  # extra words the spell checkers accept
    min_words: int = 50  # shorter essays are reported as not judgeable
    # lint with the warm Harper server (grammar/harper_server.py) instead of building
    # Harper in this process; the CLI's `check` turns it on, results are the same
    harper_server: bool = False

    def __post_init__(self) -> None:
        if self.grammar not in GRAMMAR_CHOICES:
            raise ValueError(f"grammar must be one of {', '.join(GRAMMAR_CHOICES)}")
