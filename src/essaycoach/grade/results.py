"""What grading one submission yields: a gradebook row's worth of facts, JSON-able.

The same record is the resume cache entry, the gradebook row, the summary's
input and (through `text`) the copy scan's input, so a rerun that skips a
submission has everything it needs without re-reading its file.
"""

from __future__ import annotations

import functools
import math
import types
from dataclasses import asdict, dataclass, field
from typing import Any, Union, get_args, get_origin, get_type_hints

from essaycoach.report import Report
from essaycoach.words import has_uncounted_letters

OK = "ok"
FAILED = "failed"


@dataclass
class SubmissionResult:
    student_id: str
    name: str
    file: str  # relative path in the input folder or zip
    report_name: str  # unique slug: reports/<report_name>.<ext>
    status: str = OK  # "ok" or "failed"
    reason: str = ""  # why it failed, or why an ok essay was not judged
    judged: bool = False
    total: float | None = None
    levels: dict[str, int] = field(default_factory=dict)  # criterion id -> 0-4
    statuses: dict[str, str] = field(default_factory=dict)  # criterion id -> met/partial/missing
    words: int | None = 0  # None: written in letters words are not counted in (Chinese)
    readability_grade: float | None = None
    grammar_engine: str = ""
    grammar_notice: str = ""  # why the engine asked for was not the one used
    grammar_per_100_words: float | None = None
    grammar_categories: dict[str, int] = field(default_factory=dict)
    # rule -> [count, category, an example message]
    grammar_rules: dict[str, list[Any]] = field(default_factory=dict)
    exemplar_similarity: float | None = None
    exemplar_flags: list[str] = field(default_factory=list)
    # from `grade --model` (essaycoach.calibrate): the teacher-calibrated score
    predicted_score: float | None = None
    prediction_confidence: float | None = None
    prediction_trusted: bool | None = None
    prediction_reasons: list[str] = field(default_factory=list)  # why a human should read it
    # the essay's prose, what the essay model leaves out (a heading block, a form,
    # Works Cited) made spaces: the copy scan's text, so shared citations or a shared
    # template are no copying
    prose: str = ""
    reports: dict[str, str] = field(default_factory=dict)  # format -> path relative to --out
    # format -> SHA-256 of the report as written: a later run may have overwritten it
    report_hashes: dict[str, str] = field(default_factory=dict)
    key: str = ""  # cache key: content + rubric + settings + name
    from_cache: bool = False

    @property
    def ok(self) -> bool:
        return self.status == OK

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("from_cache")
        return out

    @classmethod
    def from_dict(cls, data: Any) -> SubmissionResult:
        """The result `to_dict` wrote. ValueError for anything else, a field missing or of
        another type included (a damaged cache entry: QA found `"reports": null` and
        `"total": "x"` crashing grade after the entry was read)."""
        hints = _field_types()
        if not isinstance(data, dict) or data.keys() != hints.keys():
            raise ValueError("not the fields of a submission result")
        for name, value in data.items():
            if not _is_a(value, hints[name]):
                raise ValueError(f"{name}: not {hints[name]}: {value!r}")
        if data["status"] not in (OK, FAILED):
            raise ValueError(f"status: {data['status']!r}")
        if data["total"] is not None and not 0 <= data["total"] <= 100:  # out of 100
            raise ValueError(f"total: out of range: {data['total']!r}")
        if data["words"] is not None and data["words"] < 0:
            raise ValueError(f"words: {data['words']!r}")
        for rule in data["grammar_rules"].values():
            if len(rule) != 3 or not _is_a(rule[0], int) or not _is_a(rule[1:], list[str]):
                raise ValueError(f"grammar_rules: not [count, category, message]: {rule!r}")
        return cls(**data)

    def fill_from_report(self, report: Report) -> None:
        self.judged = report.judged
        counted = report.essay.word_count or not has_uncounted_letters(report.essay.text)
        self.words = report.essay.word_count if counted else None
        self.prose = report.essay.prose
        if not report.judged:
            self.reason = " ".join(report.not_judged_reasons)
        self.total = report.score.total
        # the levels the total counts: what the student's own words earn (QA: an essay
        # copied from the exemplar showed level 4 everywhere beside a total of 1.0)
        for criterion in report.criteria:
            self.levels[criterion.id] = criterion.counted_level
            self.statuses[criterion.id] = criterion.counted_status
        if report.readability is not None:
            self.readability_grade = report.readability.consensus_grade
        if report.grammar is not None:
            self.grammar_engine = report.grammar.engine
            self.grammar_notice = report.grammar.notice
            if report.grammar.engine != "off":  # an unchecked essay has no rate, not 0.0
                self.grammar_per_100_words = report.grammar.issues_per_100_words
            self.grammar_categories = dict(report.grammar.categories)
            for issue in report.grammar.issues:
                entry = self.grammar_rules.setdefault(
                    issue.rule, [0, issue.category or "other", issue.message]
                )
                entry[0] += 1
        if report.similarity is not None:
            self.exemplar_similarity = report.similarity.exemplar
            self.exemplar_flags = list(report.similarity.flags)


@functools.cache
def _field_types() -> dict[str, Any]:
    """The type of each field `to_dict` writes."""
    hints = get_type_hints(SubmissionResult)
    del hints["from_cache"]
    return hints


def _is_a(value: Any, hint: Any) -> bool:
    """Is `value`, as JSON gave it, of type `hint` (nested types included)?"""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        return any(_is_a(value, arg) for arg in args)
    if origin is dict:
        return isinstance(value, dict) and all(
            _is_a(k, args[0]) and _is_a(v, args[1]) for k, v in value.items()
        )
    if origin is list:
        return isinstance(value, list) and all(_is_a(item, args[0]) for item in value)
    if hint is Any:
        return True
    if hint is type(None):
        return value is None
    if isinstance(value, bool):  # a JSON true is an int to isinstance
        return hint is bool
    if hint is float:  # a float field set from an int is written as one
        return isinstance(value, int | float) and math.isfinite(value) and abs(value) < 2**53
    if hint is int:
        return isinstance(value, int) and abs(value) < 2**53
    if hint is str:  # text a file name or a CSV cell can hold (NaN, 10**400, "\0" crashed)
        return isinstance(value, str) and "\0" not in value and _encodable(value)
    return isinstance(value, hint)


def _encodable(text: str) -> bool:
    """No lone surrogate ("\udc80"): the gradebook could not be written in UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
