"""Rubrics as data: TOML files decoded strictly into frozen dataclasses.

The format is documented in docs/rubric-format.md; `rubrics/literary-analysis.toml`
is the shipped default.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from essaycoach.errors import RubricError
from essaycoach.essay import split_sentences
from essaycoach.resources import bundled_rubrics_dir
from essaycoach.strict_toml import decode, read_toml
from essaycoach.textsim import STOPWORDS, stem
from essaycoach.wording import plural

DEFAULT_RUBRIC = "literary-analysis"
LEVEL_KEYS = ("0", "1", "2", "3", "4")
MAX_LEVEL = len(LEVEL_KEYS) - 1  # a criterion's levels run 0 (missing) to 4

# Range checks for __post_init__: the ValueError becomes a RubricError naming the file
# and the table (strict_toml.decode); `label` names the key within it.


def _check_finite(obj: Any, prefix: str) -> None:
    """TOML allows nan and inf; neither means anything as a rubric number."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{prefix}{f.name} must be a finite number, not {value}")


def _check_not_negative(label: str, value: float) -> None:
    if value < 0:
        raise ValueError(f"{label} must not be negative")


def _check_at_least(label: str, value: float, low: float) -> None:
    if value < low:
        raise ValueError(f"{label} must be at least {low:g}")


def _check_above(label: str, value: float, low: float) -> None:
    if value <= low:
        raise ValueError(f"{label} must be above {low:g}")


def _check_between(label: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ValueError(f"{label} must be between {low:g} and {high:g}")


def _check_level_keys(prefix: str, levels: dict[str, str]) -> None:
    bad = set(levels) - set(LEVEL_KEYS)
    if bad:
        raise ValueError(f"{prefix}level keys must be 0-4, got {sorted(bad)}")


@dataclass(frozen=True)
class Feedback:
    missing: str = ""
    partial: str = ""
    met: str = ""


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    description: str = ""
    weight: float = 1.0
    required: bool = False
    order: int = 0  # expected position in the essay's sequence; 0 = no expectation
    position: str = "any"  # "introduction", "body", "conclusion" or "any"
    cues: tuple[str, ...] = ()
    # "met" needs one of these words or phrases in the paragraph that meets it (a thesis
    # needs an arguable claim); a trailing * matches any ending ("argu*")
    met_requires: tuple[str, ...] = ()
    # these count as such a claim too, but only in a sentence without a `taste_words`
    # entry: "I think it was a good book" judges taste and claims nothing about meaning
    opinion_markers: tuple[str, ...] = ()
    taste_words: tuple[str, ...] = ()
    exemplar_paragraphs: tuple[int, ...] = ()  # 1-based paragraphs of the exemplar
    levels: dict[str, str] = field(default_factory=dict)  # "0".."4" -> descriptor
    feedback: Feedback = field(default_factory=Feedback)

    def __post_init__(self) -> None:
        if not self.id or not self.id.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"criterion id {self.id!r} must be letters, digits, - or _")
        label = f"criterion {self.id!r}: "
        _check_finite(self, label)
        _check_not_negative(f"{label}weight", self.weight)
        _check_not_negative(f"{label}order", self.order)
        # 1-based, like the paragraph numbers in reports
        _check_at_least(f"{label}exemplar_paragraphs", min(self.exemplar_paragraphs, default=1), 1)
        if self.position not in ("introduction", "body", "conclusion", "any"):
            raise ValueError(
                f"criterion {self.id!r}: position must be introduction, body, conclusion or any"
            )
        _check_level_keys(label, self.levels)
        for entry in self.cues:
            if not re.search(r"\w", entry):
                raise ValueError(f"{label}cues entries must be words or phrases, not {entry!r}")
            if "*" in entry:  # a teacher copying met_requires' wildcard: it never matched
                raise ValueError(
                    f"{label}cues are matched as written, so {entry!r} would never match: "
                    "a * works only in met_requires"
                )
        for key in ("met_requires", "opinion_markers", "taste_words"):
            for entry in getattr(self, key):
                if not re.search(r"\w", entry) or "*" in entry.rstrip("*") or entry.endswith("**"):
                    raise ValueError(
                        f"{label}{key} entries must be words or phrases, a * only at "
                        f"the end, not {entry!r}"
                    )
        if self.opinion_markers and not self.met_requires:
            # alone they would make an opinion ("I think") the only way to meet it (QA)
            raise ValueError(
                f"{label}opinion_markers only add to met_requires, and there are none: "
                "add met_requires or remove opinion_markers"
            )
        if self.taste_words and not self.opinion_markers:
            raise ValueError(
                f"{label}taste_words only qualify opinion_markers, and there are none: "
                "add opinion_markers or remove taste_words"
            )

    def meets_requirement(self, text: str) -> bool:
        """Does `text` make the claim "met" needs: a `met_requires` entry, or an
        `opinion_markers` one in a sentence without `taste_words` (always true when
        neither list is given)?"""
        if not self.met_requires and not self.opinion_markers:
            return True
        return self._claim_word(text) or (
            bool(self.opinion_markers)
            and any(self._opinion(s) and not self._taste(s) for s in _sentences(text))
        )

    def judges_taste(self, sentence: str) -> bool:
        """Does `sentence` give an opinion of taste instead of the claim "met" needs
        ("I think it was a good book")?"""
        return self._opinion(sentence) and self._taste(sentence) and not self._claim_word(sentence)

    def _claim_word(self, text: str) -> bool:
        return _holds_one(self.met_requires, text)

    def _opinion(self, text: str) -> bool:
        return _holds_one(self.opinion_markers, text)

    def _taste(self, text: str) -> bool:
        return _holds_one(self.taste_words, text)


def _holds_one(phrases: tuple[str, ...], text: str) -> bool:
    return bool(phrases) and _phrase_regex(phrases).search(text) is not None


def _sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@lru_cache(maxsize=32)
def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = []
    for phrase in phrases:
        words = phrase.rstrip("*").split()
        pattern = r"\s+".join(map(re.escape, words))
        alternatives.append(pattern + (r"\w*" if phrase.endswith("*") else r"\b"))
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


@dataclass(frozen=True)
class ReadabilityTarget:
    grade_min: float = 8.0
    grade_max: float = 12.0

    def __post_init__(self) -> None:
        _check_finite(self, "readability.")
        if self.grade_min > self.grade_max:
            raise ValueError("readability.grade_min is above grade_max")


@dataclass(frozen=True)
class GrammarTarget:
    max_issues_per_100_words: float = 2.0
    disabled_rules: tuple[str, ...] = ()
    disabled_categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_finite(self, "grammar.")
        _check_above("grammar.max_issues_per_100_words", self.max_issues_per_100_words, 0)


@dataclass(frozen=True)
class SimilarityTarget:
    """Thresholds of the similarity check; docs/similarity.md explains each and how it was set."""

    off_topic_below: float = 0.08  # TF-IDF cosine to the exemplar under this ...
    topic_words: tuple[str, ...] = ()  # ... and too few of these genre words -> off_topic
    topic_words_min_distinct: int = 3
    topic_words_min_share: float = 0.015  # share of the essay's content words
    too_similar_above: float = 0.5  # copy score above this -> too_similar
    copied_run_words: int = 8

    def __post_init__(self) -> None:
        _check_finite(self, "similarity.")
        _check_at_least("similarity.copied_run_words", self.copied_run_words, 3)
        _check_not_negative("similarity.topic_words_min_distinct", self.topic_words_min_distinct)
        # the similarity check drops stop words before it looks for topic words
        stop = [w for w in self.topic_words if w.lower() in STOPWORDS]
        if stop:
            one = len(stop) == 1
            raise ValueError(
                f"similarity.topic_words: {', '.join(repr(w) for w in stop)} "
                f"{'is a stop word' if one else 'are stop words'}, which no essay's count of "
                f"topic words includes: remove {'it' if one else 'them'}"
            )
        # the check matches topic words by stem: "symbol" and "symbols" are one word
        distinct = len({stem(w) for w in self.topic_words})
        if self.topic_words and self.topic_words_min_distinct > distinct:
            raise ValueError(
                f"similarity.topic_words_min_distinct is {self.topic_words_min_distinct} "
                f"({SimilarityTarget.topic_words_min_distinct} when not set), but topic_words "
                f"has {plural(distinct, 'distinct word')} (forms of one word count once), so "
                "no essay could count as on genre: lower it or add topic words"
            )
        for name in ("off_topic_below", "too_similar_above", "topic_words_min_share"):
            _check_between(f"similarity.{name}", getattr(self, name), 0, 1)


@dataclass(frozen=True)
class Targets:
    readability: ReadabilityTarget = field(default_factory=ReadabilityTarget)
    grammar: GrammarTarget = field(default_factory=GrammarTarget)
    similarity: SimilarityTarget = field(default_factory=SimilarityTarget)


@dataclass(frozen=True)
class Scoring:
    """How the 0-100 total is made: criterion levels weighted, plus writing quality."""

    structure_weight: float = 70.0
    readability_weight: float = 10.0
    grammar_weight: float = 20.0
    off_topic_cap: float = 30.0  # the highest total an off-topic essay can get
    order_penalty: float = 4.0  # points off the total per order problem (at most 3 counted)
    # share of a too_similar essay's copy score taken off its total: 1 counts only the
    # student's own words (half copied, half the points), 0 leaves copying to the teacher
    copy_deduction: float = 1.0

    def __post_init__(self) -> None:
        _check_finite(self, "scoring.")
        for name in ("structure_weight", "readability_weight", "grammar_weight", "order_penalty"):
            _check_not_negative(f"scoring.{name}", getattr(self, name))
        _check_between("scoring.off_topic_cap", self.off_topic_cap, 0, 100)
        _check_between("scoring.copy_deduction", self.copy_deduction, 0, 1)
        # a scored essay always has structure and readability; grammar can be off
        # (--grammar off), so these two alone must leave something to divide by
        _check_above(
            "scoring.structure_weight + scoring.readability_weight",
            self.structure_weight + self.readability_weight,
            0,
        )


@dataclass(frozen=True)
class Rubric:
    id: str
    name: str
    criteria: tuple[Criterion, ...] = field(metadata={"toml": "criterion"})
    description: str = ""
    version: int = 1
    accept_words: tuple[str, ...] = ()
    # the task analyses a story (a novel, play, film): the paragraph model trained on
    # such analyses scores the criteria whose ids it knows, and an essay must tell the
    # story it analyses (docs/rubric-format.md)
    story_analysis: bool = False
    # the exemplar essay `exemplar_paragraphs` refers to, relative to the rubric's
    # folder; "" = the bundled one (--exemplar and the configuration's win over it)
    exemplar: str = ""
    default_levels: dict[str, str] = field(default_factory=dict)
    targets: Targets = field(default_factory=Targets)
    scoring: Scoring = field(default_factory=Scoring)
    source: str = field(default="", init=False, compare=False)

    def __post_init__(self) -> None:
        _check_not_negative("version", self.version)
        _check_level_keys("default_levels: ", self.default_levels)
        seen: dict[str, str] = {}
        for c in self.criteria:
            # case-blind: "Conflict" and "conflict" would read as one in the reports
            if (first := seen.get(c.id.casefold())) is not None:
                same = "" if first == c.id else f" (as {first!r}: ids are case-blind)"
                raise ValueError(f"duplicate criterion id {c.id!r}{same}")
            seen[c.id.casefold()] = c.id
        if not self.criteria:
            raise ValueError("a rubric needs at least one criterion")
        _check_above("the sum of the criterion weights", sum(c.weight for c in self.criteria), 0)

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def level_descriptor(self, criterion: Criterion, level: int) -> str:
        return criterion.levels.get(str(level)) or self.default_levels.get(str(level), "")


def list_rubrics() -> list[Path]:
    return sorted(bundled_rubrics_dir().glob("*.toml"))


def resolve_rubric_path(name_or_path: str | Path) -> Path:
    """A bundled rubric by name (e.g. "literary-analysis") or a path to a TOML file."""
    candidate = Path(name_or_path)
    # a folder of that name (the class's essays) does not hide a bundled rubric
    if candidate.suffix == ".toml" or candidate.is_file() or "/" in str(name_or_path):
        return candidate
    return bundled_rubric_path(str(name_or_path))


def bundled_rubric_path(name: str) -> Path:
    """The bundled rubric called `name`; RubricError listing the bundled ones if none is."""
    bundled = bundled_rubrics_dir() / f"{name}.toml"
    if bundled.is_file():
        return bundled
    names = ", ".join(p.stem for p in list_rubrics()) or "none"
    raise RubricError(f"unknown rubric (bundled rubrics: {names})", name)


def load_rubric(name_or_path: str | Path = DEFAULT_RUBRIC) -> Rubric:
    path = resolve_rubric_path(name_or_path)
    table = read_toml(path, RubricError)
    rubric = decode(Rubric, table, path, RubricError)
    object.__setattr__(rubric, "source", str(path))
    return rubric
