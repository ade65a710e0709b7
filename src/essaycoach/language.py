"""A cheap, offline guess at whether a text is English prose."""

from __future__ import annotations

from essaycoach.essay import words_of

_FUNCTION_WORDS = frozenset(
    """the of and to a in is it that was for on are with as his they be at one have this from
    or had by but not what all were we when your can said there an each which she do how their
    if will up about out many then them these so some her would make like him into has more
    two see could no my than been who its now people did may down only way over also after our
    just because while where most through should very even those being both why between does
    i you he me us am""".split()
)


def english_ratio(text: str) -> float:
    """Share of words that are common English function words (prose: ~0.35-0.55)."""
    words = [w.lower() for w in words_of(text)]
    if not words:
        return 0.0
    return sum(w in _FUNCTION_WORDS for w in words) / len(words)


def looks_english(text: str, threshold: float = 0.18) -> bool:
    return english_ratio(text) >= threshold
