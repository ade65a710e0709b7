"""Run settings shared by the library API, the CLI and configuration files."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from essaycoach.rubric import DEFAULT_RUBRIC

GRAMMAR_CHOICES = ("auto", "languagetool", "harper", "both", "off")


def languagetool_url_problem(url: str) -> str | None:
    """Why `url` cannot be a LanguageTool server's address (http(s)://host[:port][/path]),
    or None when it can."""
    parts = urllib.parse.urlsplit(url)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # not a number, or over 65535
        port_ok = False
    if parts.scheme in ("http", "https") and parts.hostname and port_ok:
        return None
    return f"must be an http:// or https:// URL with a host (http://host[:port]), not {url!r}"


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
