"""The Harper grammar engine (harper-py): embedded, offline, fast."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from harper import Dialect, Language, Linter

from essaycoach.grammar.base import GrammarIssue
from essaycoach.grammar.rules import HARPER_DISABLED_RULES, harper_category

MAX_REPLACEMENTS = 5


class HarperEngine:
    """Harper behind the `GrammarEngine` interface.

    The `Linter` is built once (about a second: it compiles the dictionary) and
    reused for every essay. Harper's linter is not thread-safe, so calls are
    serialised with a lock.
    """

    name = "harper"

    def __init__(
        self,
        accept_words: tuple[str, ...] = (),
        disabled_rules: tuple[str, ...] = HARPER_DISABLED_RULES,
        dialect: Dialect = Dialect.AMERICAN,
    ):
        self._linter = Linter(dialect)
        self._lock = threading.Lock()
        words = sorted({w.strip() for w in accept_words if w.strip()})
        self.accept_words = tuple(words)
        if words:
            self._linter.import_words(words)
        known = self._linter.get_default_lint_config()
        self.disabled_rules = tuple(disabled_rules)
        config = {rule: False for rule in self.disabled_rules if rule in known}
        if config:
            self._linter.set_lint_config(config)
        # names Harper does not know (e.g. a rubric's typo) are still filtered after linting
        self._filtered_rules = frozenset(r for r in self.disabled_rules if r not in known)

    @property
    def rule_names(self) -> tuple[str, ...]:
        return tuple(self._linter.get_default_lint_config())

    def check(self, text: str) -> list[GrammarIssue]:
        with self._lock, _stdout_silenced():
            by_rule = self._linter.organized_lints(text, language=Language.PLAINTEXT)
        issues = []
        for rule, lints in by_rule.items():
            if rule in self._filtered_rules:
                continue
            for lint in lints:
                suggestions = lint.suggestions[:MAX_REPLACEMENTS]
                replacements = tuple(s.replacement_text for s in suggestions if s.replacement_text)
                issues.append(
                    GrammarIssue(
                        start=lint.span.start,
                        end=lint.span.end,
                        message=lint.message,
                        rule=rule,
                        category=harper_category(lint.lint_kind),
                        replacements=replacements,
                        engine=self.name,
                    )
                )
        issues.sort(key=lambda i: (i.start, i.end, i.rule))
        return issues

    def close(self) -> None:
        """Nothing to release: the linter lives in-process."""


@contextmanager
def _stdout_silenced() -> Iterator[None]:
    """Send file descriptor 1 to /dev/null while Harper runs.

    harper-py 0.2.0 prints a debug line straight to the process's stdout for some
    inputs (e.g. "looking forward to go"), which would corrupt `--format json` output
    written to stdout.
    """
    if sys.stdout is not None:
        sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
