"""A cheap, offline guess at whether a text is English prose.

English prose is 35-55% function words ("the", "of", "and", ...); other European
languages share few of them. Measured (docs/readability.md, "Language"): the
lowest share on 2,116 FCE learner essays is 0.41 and on 3,765 CLEAR excerpts 0.28;
French, Spanish, German, Dutch, Italian and Portuguese essays score 0.01-0.06.
The threshold sits between. A text with few function words (telegraphic notes)
is still English if most of its words are in the CMU Pronouncing Dictionary
(English essays 0.91 and up, the foreign ones 0.40-0.55). Harper's
`Linter.is_likely_english` separates the same texts but costs 60-400 ms per
essay; this costs about a millisecond.
"""

from __future__ import annotations

from essaycoach.words import words_of

ENGLISH_THRESHOLD = 0.18
DICTIONARY_THRESHOLD = 0.8
MIN_WORDS_TO_JUDGE = 20
"""Under this many words the share is too noisy to call a text foreign."""

_FUNCTION_WORDS = frozenset(
    {
        "the", "of", "and", "to", "a", "in", "is", "it", "that", "was", "for", "on", "are", "with",
        "as", "his", "they", "be", "at", "one", "have", "this", "from", "or", "had", "by", "but",
        "not", "what", "all", "were", "we", "when", "your", "can", "said", "there", "an", "each",
        "which", "she", "do", "how", "their", "if", "will", "up", "about", "out", "many", "then",
        "them", "these", "so", "some", "her", "would", "make", "like", "him", "into", "has", "more",
        "two", "see", "could", "no", "my", "than", "been", "who", "its", "now", "people", "did",
        "may", "down", "only", "way", "over", "also", "after", "our", "just", "because", "while",
        "where", "most", "through", "should", "very", "even", "those", "being", "both", "why",
        "between", "does", "i", "you", "he", "me", "us", "am",
    }
)  # fmt: skip


def english_ratio(text: str) -> float:
    """Share of words that are common English function words (prose: ~0.35-0.55)."""
    words = [w.lower() for w in words_of(text)]
    if not words:
        return 0.0
    return sum(w in _FUNCTION_WORDS for w in words) / len(words)


def dictionary_ratio(text: str) -> float:
    """Share of words found in the CMU Pronouncing Dictionary (English words and names)."""
    # imported here: only texts with few function words need the dictionary
    from essaycoach.checks.readability import cmu_pronunciations

    lookup = cmu_pronunciations()
    words = [w.lower().replace("’", "'") for w in words_of(text)]
    if not words:
        return 0.0
    return sum(lookup.first_pronunciation(w) is not None for w in words) / len(words)


def looks_english(text: str, threshold: float = ENGLISH_THRESHOLD) -> bool:
    """False only for a text long enough to judge with few English words of either kind."""
    words = words_of(text)
    if _non_latin_share(text, words) > 0.5:
        return False  # mostly another script: Cyrillic, Greek, CJK, Arabic ...
    if len(words) < MIN_WORDS_TO_JUDGE:
        return True  # too short to tell; the pipeline's minimum length reports it
    if english_ratio(text) >= threshold:
        return True
    return dictionary_ratio(text) >= DICTIONARY_THRESHOLD


def _non_latin_share(text: str, words: list[str]) -> float:
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_WORDS_TO_JUDGE * 3:
        return 0.0
    latin = sum(len(w) for w in words)
    return max(0.0, 1.0 - latin / letters)
