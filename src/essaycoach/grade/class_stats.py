"""The class's figures for summary.html: score bands, outliers (Tukey fences) and the
grammar categories most of the class needs a lesson on."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from essaycoach.grade.results import SubmissionResult

MINI_LESSONS = 6
RULES_PER_LESSON = 3


@dataclass(frozen=True)
class Outlier:
    result: SubmissionResult
    why: str


def histogram(values: Sequence[float], width: float = 10.0, top: float = 100.0) -> list[int]:
    bins = [0] * int(top / width)
    for v in values:
        bins[min(int(v // width), len(bins) - 1)] += 1
    return bins


def tukey_fences(values: Sequence[float], min_spread: float = 0.0) -> tuple[float, float] | None:
    """Tukey's fences, 1.5 interquartile ranges out, the range taken as at least
    `min_spread`: where most of the class has the same value (no grammar issue at all),
    a range of 0 would make one issue in 400 words "far above the class" (QA)."""
    if len(values) < 8:
        return None
    q1, _, q3 = statistics.quantiles(values, n=4)
    spread = max(q3 - q1, min_spread)
    return q1 - 1.5 * spread, q3 + 1.5 * spread


def _flag_counts(results: Sequence[SubmissionResult], flag: str) -> tuple[int, int]:
    """(judged essays with the exemplar flag `flag`, judged essays)."""
    judged = [r for r in results if r.ok and r.judged]
    return sum(1 for r in judged if flag in r.exemplar_flags), len(judged)


def _most_flagged(results: Sequence[SubmissionResult], flag: str) -> bool:
    flagged, judged = _flag_counts(results, flag)
    return judged >= 2 and 2 * flagged > judged


def class_notes(results: Sequence[SubmissionResult]) -> list[str]:
    """A word for the class when most essays are off topic for the rubric, or analyse
    another work than the exemplar's: one note, not every student an outlier (QA: a class
    graded without --rubric on another task scored 6-13 each, and the run closed as usual)."""
    notes = []
    if _most_flagged(results, "off_topic"):
        flagged, judged = _flag_counts(results, "off_topic")
        notes.append(
            f"{flagged} of {judged} essays are off topic for the rubric and its exemplar: "
            "is it the rubric for this assignment (--rubric, --exemplar)?"
        )
    elif _most_flagged(results, "other_work"):
        flagged, judged = _flag_counts(results, "other_work")
        notes.append(
            f"{flagged} of {judged} essays name hardly any of the exemplar's "
            "characters: is the exemplar (--exemplar) the assignment's work?"
        )
    return notes


def find_outliers(results: Sequence[SubmissionResult]) -> list[Outlier]:
    """Submissions far from the class (Tukey fences) or flagged against the exemplar."""
    judged = [r for r in results if r.ok and r.judged]
    out: list[Outlier] = []
    measures = (  # the label, the value, its decimals (a word count has none), least spread
        ("score", lambda r: r.total, 1, 5.0),
        ("words", lambda r: None if r.words is None else float(r.words), 0, 50.0),
        ("grammar issues per 100 words", lambda r: r.grammar_per_100_words, 1, 1.0),
    )
    for label, get, places, min_spread in measures:
        values = [v for r in judged if (v := get(r)) is not None]
        fences = tukey_fences(values, min_spread)
        if fences is None:
            continue
        low, high = fences
        for r in judged:
            v = get(r)
            if v is None:
                continue
            value, limit = f"{v:.{places}f}", f"{(low if v < low else high):.{places}f}"
            if v < low:
                out.append(Outlier(r, f"{label} {value}, far below the class (under {limit})"))
            elif v > high:
                out.append(Outlier(r, f"{label} {value}, far above the class (over {limit})"))
    # one essay on another work or task stands out; a class on one is another exemplar's
    # or rubric's (`class_notes`), not a list of every student (review)
    other_work = not _most_flagged(results, "other_work")
    off_topic = not _most_flagged(results, "off_topic")
    for r in judged:
        if "too_similar" in r.exemplar_flags:
            out.append(Outlier(r, "too similar to the exemplar"))
        if off_topic and "off_topic" in r.exemplar_flags:
            out.append(Outlier(r, "off topic: little in common with the exemplar"))
        if other_work and "other_work" in r.exemplar_flags:
            out.append(Outlier(r, "names hardly any of the exemplar's characters: another work?"))
    return out


@dataclass(frozen=True)
class Lesson:
    category: str
    issues: int
    essays: int
    rules: tuple[tuple[str, int, str], ...]  # rule, count, example message


def mini_lessons(results: Sequence[SubmissionResult]) -> list[Lesson]:
    """The grammar categories with the most issues across the class, with their top rules."""
    issues: dict[str, int] = {}
    essays: dict[str, int] = {}
    rules: dict[str, dict[str, list]] = {}
    for r in results:
        if not r.ok:
            continue
        for category, count in r.grammar_categories.items():
            issues[category] = issues.get(category, 0) + count
            essays[category] = essays.get(category, 0) + 1
        for rule, (count, category, message) in r.grammar_rules.items():
            entry = rules.setdefault(category, {}).setdefault(rule, [0, message])
            entry[0] += count
    ranked = sorted(issues, key=lambda c: (-issues[c], c))[:MINI_LESSONS]
    lessons = []
    for category in ranked:
        top = sorted(rules.get(category, {}).items(), key=lambda kv: (-kv[1][0], kv[0]))
        lessons.append(
            Lesson(
                category,
                issues[category],
                essays[category],
                tuple((rule, count, message) for rule, (count, message) in top[:RULES_PER_LESSON]),
            )
        )
    return lessons
