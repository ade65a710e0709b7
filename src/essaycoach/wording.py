"""Small helpers for the English of messages shared by the library and the reporters."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """'1 issue', '2 issues': the count with the noun in the right number (regular nouns)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
