"""Choosing the grammar engine from the settings. (Skeleton: being implemented.)"""

from __future__ import annotations

from essaycoach.grammar.base import GrammarEngine
from essaycoach.settings import Settings


def open_engine(settings: Settings, accept_words: tuple[str, ...]) -> tuple[GrammarEngine | None, str]:
    """Return (engine or None for "off", a one-line notice about the choice or "")."""
    raise NotImplementedError
