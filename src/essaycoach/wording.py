"""Small helpers for the English of messages shared by the library and the reporters."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """'1 issue', '2 issues': the count with the noun in the right number (regular nouns)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def number_range(low: float, high: float) -> str:
    """'1-4', but '-4 to 4' where a minus sign would run into the dash (QA: "-4-4")."""
    return f"{low:g} to {high:g}" if min(low, high) < 0 else f"{low:g}-{high:g}"


def below(value: float, limit: float, places: int = 2) -> tuple[str, str]:
    """`value` and `limit` to `places` decimals, or more where they would read the same
    while `value` is below (QA: "similarity 0.10 (minimum 0.10)" for 0.0966)."""
    while places < 4 and value < limit and round(value, places) >= round(limit, places):
        places += 1
    return f"{value:.{places}f}", f"{limit:.{places}f}"
