"""Copying between students: pairs of submissions that share long passages.

Built on `essaycoach.textsim.find_similar_pairs` (an inverted index over word
shingles, so 3,000 essays are compared without an all-pairs loop). What the
two essays share with the exemplar, and stock phrases many students use, are
masked out before comparing. A pair is reported as suspicious when, after that
masking, it shares one long passage or several passages adding up to a large
part of the shorter essay; the thresholds are documented in docs/grading.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from essaycoach.textsim import find_similar_pairs

LONG_PASSAGE_WORDS = 25  # one shared passage this long is suspicious on its own
SHARED_FRACTION = 0.2  # or: shared passages covering this share of the shorter essay
MIN_SHARED_WORDS = 16  # ... with at least this many matched words in total


@dataclass(frozen=True)
class PassagePair:
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int  # exactly matched words
    a_text: str
    b_text: str


@dataclass(frozen=True)
class CopyPair:
    """Submissions a and b (indices into the texts given) and what they share."""

    a: int
    b: int
    score: float  # textsim copy score, larger direction, 0-1
    shared_words: int
    shared_fraction: float  # shared words / compared words of the shorter essay (0-1)
    longest_passage: int
    passages: tuple[PassagePair, ...]


def find_copy_pairs(
    texts: Sequence[str],
    exemplar_texts: Sequence[str] = (),
    *,
    min_run_words: int = 8,
    long_passage_words: int = LONG_PASSAGE_WORDS,
    shared_fraction: float = SHARED_FRACTION,
    min_shared_words: int = MIN_SHARED_WORDS,
) -> list[CopyPair]:
    """Suspicious pairs among `texts`, those sharing the most first (the share of the
    shorter essay in shared passages, then the shared words)."""
    out: list[CopyPair] = []
    for pair in find_similar_pairs(texts, exemplar_texts, min_run_words=min_run_words):
        passages = tuple(
            PassagePair(
                p.i_start,
                p.i_end,
                p.j_start,
                p.j_end,
                p.words,
                texts[pair.i][p.i_start : p.i_end],
                texts[pair.j][p.j_start : p.j_end],
            )
            for p in pair.passages
        )
        shared = sum(p.words for p in passages)
        longest = max((p.words for p in passages), default=0)
        shorter = max(1, min(pair.i_words, pair.j_words))
        # at most 1: an extended passage edge can overlap another passage in one essay
        fraction = min(1.0, shared / shorter)
        if longest >= long_passage_words or (
            fraction >= shared_fraction and shared >= min_shared_words
        ):
            out.append(CopyPair(pair.i, pair.j, pair.score, shared, fraction, longest, passages))
    out.sort(key=lambda p: (-p.shared_fraction, -p.shared_words, p.a, p.b))
    return out
