"""The report: what the pipeline collects for one essay, and its versioned JSON form.

Every section type lives here so the wire schema (schema/report.schema.json,
documented in docs/report-schema.md) has one Python counterpart. Checks build
these; renderers read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from essaycoach import __version__
from essaycoach.essay import Essay
from essaycoach.findings import Finding

SCHEMA_VERSION = "1.1"


class Status(StrEnum):
    """How far an essay meets a rubric criterion (the JSON holds the string)."""

    MET = "met"
    PARTIAL = "partial"
    MISSING = "missing"


@dataclass(frozen=True)
class Evidence:
    paragraph: int
    start: int
    end: int
    text: str
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True)
class CriterionResult:
    id: str
    name: str
    required: bool
    status: Status
    confidence: float  # 0-1: how sure the detector is of `status`
    level: int  # 0-4
    descriptor: str
    feedback: str
    weight: float
    evidence: tuple[Evidence, ...] = ()
    # the level the essay's own words earn, when passages copied from the exemplar make
    # the whole essay's `level` higher: the level the score counts (None: no difference)
    own_level: int | None = None

    @property
    def counted_level(self) -> int:
        """The level the score counts: `own_level` when copied passages raise `level`."""
        return self.level if self.own_level is None else self.own_level

    @property
    def counted_status(self) -> Status:
        """The status of `counted_level` (met 3-4, partial 1-2, missing 0)."""
        if self.own_level is None:
            return self.status
        return status_of_level(self.own_level)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "name": self.name,
            "required": self.required,
            "status": self.status,
            "confidence": round(self.confidence, 3),
            "level": self.level,
            "descriptor": self.descriptor,
            "feedback": self.feedback,
            "weight": self.weight,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.own_level is not None:
            out["own_level"] = self.own_level
        return out


def status_of_level(level: int) -> Status:
    """The status a level stands for: met at 3-4, partial at 1-2, missing at 0."""
    if level >= 3:
        return Status.MET
    return Status.PARTIAL if level >= 1 else Status.MISSING


@dataclass(frozen=True)
class StructureSummary:
    criteria: tuple[CriterionResult, ...]
    order_problems: tuple[str, ...] = ()
    method: str = ""
    # ids of the criteria judged by cues and the exemplar alone (no paragraph model):
    # the reports say so; JSON has it in `method`
    cue_only: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"order_problems": list(self.order_problems), "method": self.method}


@dataclass(frozen=True)
class HardSentence:
    start: int
    end: int
    text: str
    grade: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "grade": round(self.grade, 1),
        }


@dataclass(frozen=True)
class ReadabilitySummary:
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    gunning_fog: float
    smog_index: float
    coleman_liau_index: float
    dale_chall: float
    consensus_grade: float
    target_min: float
    target_max: float
    verdict: str  # "in_band", "too_easy" or "too_hard"
    sentence_length_mean: float
    sentence_length_stdev: float
    hardest_sentences: tuple[HardSentence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {k: _round(v) for k, v in self.__dict__.items() if k != "hardest_sentences"}
        out["hardest_sentences"] = [s.to_dict() for s in self.hardest_sentences]
        return out


@dataclass(frozen=True)
class GrammarIssueOut:
    start: int
    end: int
    line: int
    column: int
    text: str
    message: str
    rule: str
    category: str
    replacements: tuple[str, ...]
    engine: str

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["replacements"] = list(self.replacements)
        return out


@dataclass(frozen=True)
class GrammarSummary:
    engine: str  # the engine actually used: "harper", "languagetool", "both" or "off"
    issues: tuple[GrammarIssueOut, ...]
    issues_per_100_words: float
    target_max_per_100_words: float
    categories: dict[str, int] = field(default_factory=dict)
    notice: str = ""  # e.g. why the requested engine was not used

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "issues": [i.to_dict() for i in self.issues],
            "issues_per_100_words": round(self.issues_per_100_words, 2),
            "target_max_per_100_words": self.target_max_per_100_words,
            "categories": dict(self.categories),
            "notice": self.notice,
        }


@dataclass(frozen=True)
class CopiedPassage:
    start: int  # into the essay text
    end: int
    exemplar_start: int  # into the exemplar text
    exemplar_end: int
    words: int  # words matched exactly (the rest of the span is small edits)
    text: str
    exemplar_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SimilaritySummary:
    exemplar: float  # 0-1 overall similarity to the exemplar
    copy_score: float  # 0-1: how much of the essay is copied or closely paraphrased
    coverage: dict[str, float]  # criterion id -> 0-1 similarity to its exemplar passage
    copied_passages: tuple[CopiedPassage, ...]
    copied_fraction: float  # share of the essay's words inside copied passages
    flags: tuple[str, ...]  # "too_similar", "off_topic", "other_work"
    method: str = ""
    topic_words_found: tuple[str, ...] = ()  # the rubric's topic words the essay uses
    topic_words_share: float = 0.0  # share of the essay's content words that are topic words
    too_similar_above: float = 0.0  # the thresholds applied, from the rubric
    off_topic_below: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "exemplar": round(self.exemplar, 4),
            "copy_score": round(self.copy_score, 4),
            "coverage": {k: round(v, 4) for k, v in self.coverage.items()},
            "copied_passages": [p.to_dict() for p in self.copied_passages],
            "copied_fraction": round(self.copied_fraction, 4),
            "flags": list(self.flags),
            "method": self.method,
            "topic_words_found": list(self.topic_words_found),
            "topic_words_share": round(self.topic_words_share, 4),
            "too_similar_above": self.too_similar_above,
            "off_topic_below": self.off_topic_below,
        }


@dataclass(frozen=True)
class Improvement:
    message: str
    gain: float  # estimated points gained on the total
    start: int | None = None
    end: int | None = None
    criterion: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "gain": round(self.gain, 1),
            "start": self.start,
            "end": self.end,
            "criterion": self.criterion,
        }


@dataclass(frozen=True)
class Score:
    total: float | None  # None when the essay cannot be judged
    components: dict[str, float]
    improvements: tuple[Improvement, ...] = ()
    # the most each positive component could give on the same scale (the reports show
    # "structure 62.7/70"); not in the JSON, which has the rubric's weights elsewhere
    maxima: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": None if self.total is None else round(self.total, 1),
            "components": {k: round(v, 2) for k, v in self.components.items()},
            "improvements": [i.to_dict() for i in self.improvements],
        }


@dataclass(frozen=True)
class CalibrationSummary:
    """`grade --model`: the score a model calibrated on the teacher's own grades predicts."""

    predicted_score: float
    confidence: float  # 0-1: probability the teacher would give this score
    needs_review: bool  # the model should not be trusted on this essay
    review_reasons: tuple[str, ...]  # why a human should read it; empty when trusted
    score_min: float  # the range of scores the model was trained on
    score_max: float
    model_digest: str  # the model file's SHA-256 digest ("sha256:...")

    def to_dict(self) -> dict[str, Any]:
        return {
            "predicted_score": self.predicted_score,
            "confidence": round(self.confidence, 3),
            "needs_review": self.needs_review,
            "review_reasons": list(self.review_reasons),
            "score_min": self.score_min,
            "score_max": self.score_max,
            "model_digest": self.model_digest,
        }


@dataclass(frozen=True)
class StudentLabel:
    """Who wrote the essay, when `grade` knows (from the LMS file name or the roster)."""

    id: str
    name: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.id})" if self.name else self.id

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class Report:
    essay: Essay
    rubric_id: str
    rubric_name: str
    exemplar_source: str
    judged: bool
    not_judged_reasons: tuple[str, ...]
    score: Score
    structure: StructureSummary | None
    readability: ReadabilitySummary | None
    grammar: GrammarSummary | None
    similarity: SimilaritySummary | None
    findings: tuple[Finding, ...]
    calibration: CalibrationSummary | None = None  # only from `grade --model`
    student: StudentLabel | None = None  # only from `grade`

    @property
    def criteria(self) -> tuple[CriterionResult, ...]:
        return self.structure.criteria if self.structure else ()

    def to_dict(self) -> dict[str, Any]:
        essay = self.essay
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "essaycoach", "version": __version__},
            "essay": {
                "source": essay.source,
                "words": essay.word_count,
                "paragraphs": len(essay.paragraphs),
                "sentences": len(essay.sentences),
                "characters": len(essay.text),
            },
            "rubric": {"id": self.rubric_id, "name": self.rubric_name},
            "exemplar": {"source": self.exemplar_source},
            "judged": self.judged,
            "not_judged_reasons": list(self.not_judged_reasons),
            "score": self.score.to_dict(),
            "criteria": [c.to_dict() for c in self.criteria],
            "structure": self.structure.to_dict() if self.structure else None,
            "readability": self.readability.to_dict() if self.readability else None,
            "grammar": self.grammar.to_dict() if self.grammar else None,
            "similarity": self.similarity.to_dict() if self.similarity else None,
            "findings": [finding_to_dict(f, essay) for f in self.findings],
        }
        if self.calibration is not None:  # optional: absent unless graded with a model
            out["calibration"] = self.calibration.to_dict()
        if self.student is not None:  # optional: absent outside `grade`
            out["student"] = self.student.to_dict()
        return out


def finding_to_dict(finding: Finding, essay: Essay) -> dict[str, Any]:
    out: dict[str, Any] = {
        "check": finding.check,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "category": finding.category,
        "suggestions": list(finding.suggestions),
        "start": None,
        "end": None,
        "line": None,
        "column": None,
    }
    if finding.span is not None:
        line, column = essay.line_col(finding.span.start)
        out.update(start=finding.span.start, end=finding.span.end, line=line, column=column)
    return out


def _round(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else value
