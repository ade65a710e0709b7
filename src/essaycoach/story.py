"""Does an essay tell any of a story, or only talk about stories in general?

A literary analysis names characters, places and events ("Kathy", "the deferral",
"the farm"); an essay stuffed with the rubric's vocabulary ("the climax is the turning
point of the novel") names none. *Story words* are the words outside the vocabulary any
essay about any story uses: stop words, the shipped list data/story/generic-words.txt,
and the rubric's own words (cues, criterion names, topic words, level descriptors).
Their share of the words, with paragraphs that repeat a few words left out, says whether
the essay tells a story; a paragraph is *untold* when it is repetitive or its share is
tiny. docs/structure.md ("Story content") gives the figures behind the thresholds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from essaycoach.essay import Essay
from essaycoach.resources import bundled_data
from essaycoach.rubric import Rubric
from essaycoach.structure.text import find_names
from essaycoach.textsim import STOPWORDS, stem
from essaycoach.word_lists import parse_word_list

# Share of story words. Whole essays: real ones 0.30 or more, essays of rubric vocabulary
# or a plot outline of no book 0.13 or less. Single paragraphs spread wider: real ones
# 0.17 or more (so a one-paragraph essay can be that low), rubric vocabulary 0.07 or less.
STORY_SHARE = 0.15  # an essay under this tells no story
UNTOLD_BELOW = 0.1  # a paragraph under this names criteria without telling any story
# Moving type-token ratio over 50-word windows: real paragraphs and whole essays 0.65 or
# more, the weakest ASAP learner essays 0.47; one sentence pasted ten times 0.16.
VARIETY_WINDOW = 50
REPETITIVE_BELOW = 0.4
REPETITION_MIN_WORDS = 10  # shorter paragraphs are not judged for repetition
MIN_WORD_LETTERS = 3  # shorter words other than names are not story words

_WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def _words(text: str) -> list[str]:
    """Lower-cased words, a possessive "'s" removed; contractions ("don't") kept whole."""
    out = []
    for word in _WORD_RE.findall(text):
        word = word.lower().replace("’", "'")
        out.append(word[:-2] if word.endswith("'s") else word)
    return out


def variety(words: Sequence[str], window: int = VARIETY_WINDOW) -> float:
    """Moving-average type-token ratio: the share of different words in each run of
    `window` words, averaged (plain type-token ratio for shorter texts)."""
    if not words:
        return 0.0
    if len(words) <= window:
        return len(set(words)) / len(words)
    last_start = len(words) - window
    seen: dict[str, int] = {}
    total = 0  # summed over windows: words not seen earlier in the window
    for i, word in enumerate(words):
        # the windows (by start) that hold word i and not its previous occurrence
        low = max(seen.get(word, -1) + 1, i - window + 1)
        high = min(i, last_start)
        total += max(0, high - low + 1)
        seen[word] = i
    return total / (last_start + 1) / window


@dataclass(frozen=True)
class ParagraphStory:
    """How much of one paragraph tells a story."""

    words: int
    story_words: int
    variety: float

    @property
    def repetitive(self) -> bool:
        return self.words >= REPETITION_MIN_WORDS and self.variety < REPETITIVE_BELOW

    @property
    def share(self) -> float:
        return self.story_words / self.words if self.words else 0.0

    @property
    def untold(self) -> bool:
        """True when the paragraph tells none of a story: a few words repeated, or
        (almost) nothing but the vocabulary of talking about stories."""
        return self.repetitive or self.share < UNTOLD_BELOW


@dataclass(frozen=True)
class StoryReading:
    """Per paragraph of an essay (in `Essay.paragraphs` order), what it tells of a story."""

    paragraphs: tuple[ParagraphStory, ...]

    @property
    def share(self) -> float:
        """Story words of the paragraphs that are not repetitive, over all words."""
        words = sum(p.words for p in self.paragraphs)
        told = sum(p.story_words for p in self.paragraphs if not p.repetitive)
        return told / words if words else 0.0

    @property
    def tells_story(self) -> bool:
        return self.share >= STORY_SHARE

    @property
    def repetitive(self) -> bool:
        """True when some paragraph is a few words repeated."""
        return any(p.repetitive for p in self.paragraphs)


def rubric_words(rubric: Rubric) -> list[str]:
    """The words the rubric uses to name what it looks for."""
    texts = [*rubric.default_levels.values(), *rubric.targets.similarity.topic_words]
    for criterion in rubric.criteria:
        texts += [criterion.id.replace("_", " "), criterion.name, *criterion.cues]
        texts += criterion.levels.values()
    return _words(" ".join(texts))


class StoryVocabulary:
    """The words that talk about stories without telling one, for a rubric."""

    def __init__(self, rubric: Rubric, generic: Sequence[str] | None = None):
        if generic is None:
            path = bundled_data("story", "generic-words.txt")
            generic = parse_word_list(path.read_text(encoding="utf-8"))
        words = [*STOPWORDS, *generic, *rubric_words(rubric)]
        self.generic_stems = frozenset(stem(w) for w in words)

    def paragraph(self, text: str, names: frozenset[str] = frozenset()) -> ParagraphStory:
        """`names`: the essay's names (lower case), story words however short."""
        words = _words(text)
        story = 0
        for word in words:
            if stem(word) in self.generic_stems:
                continue
            if word in names or ("'" not in word and len(word) >= MIN_WORD_LETTERS):
                story += 1
        return ParagraphStory(words=len(words), story_words=story, variety=variety(words))

    def read(self, essay: Essay, names: frozenset[str] | None = None) -> StoryReading:
        """`names`: `find_names(essay.prose)`, if the caller has it already."""
        names = find_names(essay.prose) if names is None else names
        return StoryReading(tuple(self.paragraph(p.text, names) for p in essay.paragraphs))
