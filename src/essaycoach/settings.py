"""Run settings shared by the library API, the CLI and configuration files."""

from __future__ import annotations

import os
import reprlib
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass

from essaycoach.errors import SettingsError
from essaycoach.rubric import DEFAULT_RUBRIC

GRAMMAR_CHOICES = ("auto", "languagetool", "harper", "both", "off")


def redacted_url(url: str) -> str:
    """`url` as reports and messages show it: a user name and password in it replaced
    by "***" (reports go to students; "http://u:secret@host" would show the secret)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # "http://[::1": no URL to take apart
        return "***@" + url.rsplit("@", 1)[1] if "@" in url else url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"***@{host}"))


def languagetool_url_problem(url: str) -> str | None:
    """Why `url` cannot be a LanguageTool server's address (http(s)://host[:port][/path]),
    or None when it can."""
    try:
        parts = urllib.parse.urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and port_ok
    except ValueError:  # a port that is not a number or over 65535, "http://[::1"
        valid = False
    if valid:
        return None
    shown = redacted_url(url)
    return f"must be an http:// or https:// URL with a host (http://host[:port]), not {shown!r}"


@dataclass(frozen=True)
class Settings:
    """How essays are checked. Every field is validated here: a wrong type or value
    raises SettingsError naming the field. `rubric` and `exemplar` may be given as
    paths (`pathlib.Path`) and are kept as strings; `accept_words` takes any iterable
    of words but not a bare string, and is kept as a tuple."""

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
        for name in ("rubric", "exemplar"):
            value = getattr(self, name)
            if isinstance(value, os.PathLike):
                object.__setattr__(self, name, os.fspath(value))
        if not isinstance(self.rubric, str):
            raise _invalid("rubric", "a bundled rubric's name or a rubric file's path", self.rubric)
        if self.exemplar is not None and not isinstance(self.exemplar, str):
            raise _invalid("exemplar", "an essay file's path or None", self.exemplar)
        if not isinstance(self.grammar, str) or self.grammar not in GRAMMAR_CHOICES:
            raise _invalid("grammar", f"one of {', '.join(GRAMMAR_CHOICES)}", self.grammar)
        if self.languagetool_url is not None:
            if not isinstance(self.languagetool_url, str):
                raise _invalid("languagetool_url", "a URL or None", self.languagetool_url)
            problem = languagetool_url_problem(self.languagetool_url)
            if problem:
                raise SettingsError(problem, key="languagetool_url")
        object.__setattr__(self, "accept_words", _words(self.accept_words))
        min_words = self.min_words
        if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 1:
            raise _invalid("min_words", "an integer of at least 1", min_words)
        if not isinstance(self.harper_server, bool):
            raise _invalid("harper_server", "True or False", self.harper_server)


def _invalid(field: str, allowed: str, value: object) -> SettingsError:
    return SettingsError(f"must be {allowed}, not {reprlib.repr(value)}", key=field)


def _words(words: object) -> tuple[str, ...]:
    """`accept_words` as a tuple of strings. A bare string is refused: iterating it
    would accept its letters, and splitting it would guess at what was meant."""
    if isinstance(words, str):
        raise SettingsError(
            f"must be a list of words, not the string {reprlib.repr(words)} "
            f"(for several words: {reprlib.repr(words.split())})",
            key="accept_words",
        )
    if isinstance(words, bytes | bytearray) or not isinstance(words, Iterable):
        raise _invalid("accept_words", "a list of words", words)
    kept = tuple(words)
    for word in kept:
        if not isinstance(word, str):
            raise SettingsError(
                f"must hold only words (strings), not {reprlib.repr(word)}", key="accept_words"
            )
    return kept
