"""Rubrics as data: TOML files decoded strictly into frozen dataclasses.

The format is documented in docs/rubric-format.md; `rubrics/literary-analysis.toml`
is the shipped default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from essaycoach.errors import RubricError
from essaycoach.resources import bundled_rubrics_dir
from essaycoach.strict_toml import decode, read_toml

STATUSES = ("missing", "partial", "met")
DEFAULT_RUBRIC = "literary-analysis"


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
    exemplar_paragraphs: tuple[int, ...] = ()  # 1-based paragraphs of the exemplar
    levels: dict[str, str] = field(default_factory=dict)  # "0".."4" -> descriptor
    feedback: Feedback = field(default_factory=Feedback)

    def __post_init__(self) -> None:
        if not self.id or not self.id.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"criterion id {self.id!r} must be letters, digits, - or _")
        if self.weight < 0:
            raise ValueError(f"criterion {self.id!r}: weight must not be negative")
        if self.position not in ("introduction", "body", "conclusion", "any"):
            raise ValueError(
                f"criterion {self.id!r}: position must be introduction, body, conclusion or any"
            )
        bad = set(self.levels) - {"0", "1", "2", "3", "4"}
        if bad:
            raise ValueError(f"criterion {self.id!r}: level keys must be 0-4, got {sorted(bad)}")


@dataclass(frozen=True)
class ReadabilityTarget:
    grade_min: float = 8.0
    grade_max: float = 12.0

    def __post_init__(self) -> None:
        if self.grade_min > self.grade_max:
            raise ValueError("readability.grade_min is above grade_max")


@dataclass(frozen=True)
class GrammarTarget:
    max_issues_per_100_words: float = 2.0
    disabled_rules: tuple[str, ...] = ()
    disabled_categories: tuple[str, ...] = ()


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
        if self.copied_run_words < 3:
            raise ValueError("similarity.copied_run_words must be at least 3")
        for name in ("off_topic_below", "too_similar_above", "topic_words_min_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"similarity.{name} must be between 0 and 1")


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


@dataclass(frozen=True)
class Rubric:
    id: str
    name: str
    criteria: tuple[Criterion, ...] = field(metadata={"toml": "criterion"})
    description: str = ""
    version: int = 1
    accept_words: tuple[str, ...] = ()
    default_levels: dict[str, str] = field(default_factory=dict)
    targets: Targets = field(default_factory=Targets)
    scoring: Scoring = field(default_factory=Scoring)
    source: str = field(default="", init=False, compare=False)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for c in self.criteria:
            if c.id in seen:
                raise ValueError(f"duplicate criterion id {c.id!r}")
            seen.add(c.id)
        if not self.criteria:
            raise ValueError("a rubric needs at least one criterion")

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
    if candidate.suffix == ".toml" or candidate.exists() or "/" in str(name_or_path):
        return candidate
    bundled = bundled_rubrics_dir() / f"{name_or_path}.toml"
    if bundled.exists():
        return bundled
    names = ", ".join(p.stem for p in list_rubrics()) or "none"
    raise RubricError(f"unknown rubric (bundled rubrics: {names})", name_or_path)


def load_rubric(name_or_path: str | Path = DEFAULT_RUBRIC) -> Rubric:
    path = resolve_rubric_path(name_or_path)
    table = read_toml(path, RubricError)
    rubric = decode(Rubric, table, path, RubricError)
    object.__setattr__(rubric, "source", str(path))
    return rubric
