"""Paragraphs that repeat an earlier paragraph of the same essay (an essay pasted twice)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from essaycoach.essay import Essay, Paragraph
from essaycoach.textsim import shingles, tokenize

REPEAT_MIN_WORDS = 8  # a shorter paragraph (a heading, "Thank you.") may well recur
REPEAT_NGRAM = 3
# each paragraph's word trigrams mostly in the other's: a conclusion that ends on the
# thesis sentence is a shorter paragraph, so it repeats none
REPEAT_SHARED = 0.8


@dataclass(frozen=True, slots=True)
class RepeatRun:
    """Paragraphs `first`..`last` repeat paragraphs `original_first`..`original_last`
    (1-based indexes, each run consecutive in both)."""

    first: Paragraph
    last: Paragraph
    original_first: int
    original_last: int


def repeated_paragraphs(essay: Essay) -> list[tuple[Paragraph, Paragraph]]:
    """(paragraph, the earlier paragraph it repeats) for each paragraph whose words are
    mostly an earlier paragraph's, almost word for word.

    An index from trigram to the earlier paragraphs holding it finds the candidates, so
    an essay of many paragraphs is not compared pair by pair."""
    terms = [tokenize(p.text).terms for p in essay.paragraphs]
    grams = [shingles(words, REPEAT_NGRAM) for words in terms]
    repeats: dict[int, int] = {}  # row -> row of the paragraph it first appeared as
    holders: dict[tuple, list[int]] = defaultdict(list)  # trigram -> original rows
    for row, own in enumerate(grams):
        if len(terms[row]) < REPEAT_MIN_WORDS:
            continue
        shared: Counter[int] = Counter()
        for gram in own:
            shared.update(holders.get(gram, ()))
        for earlier in sorted(shared):
            both = shared[earlier]
            if min(both / len(own), both / len(grams[earlier])) >= REPEAT_SHARED:
                repeats[row] = earlier
                break
        else:
            for gram in own:
                holders[gram].append(row)
    paragraphs = essay.paragraphs
    return [(paragraphs[row], paragraphs[earlier]) for row, earlier in repeats.items()]


def repeat_runs(repeats: list[tuple[Paragraph, Paragraph]]) -> list[RepeatRun]:
    """Consecutive repeats of consecutive paragraphs as one run each (a pasted block)."""
    runs: list[RepeatRun] = []
    for paragraph, original in repeats:
        last = runs[-1] if runs else None
        if (
            last is not None
            and paragraph.index == last.last.index + 1
            and original.index == last.original_last + 1
        ):
            runs[-1] = RepeatRun(last.first, paragraph, last.original_first, original.index)
        else:
            runs.append(RepeatRun(paragraph, paragraph, original.index, original.index))
    return runs
