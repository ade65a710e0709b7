"""gradebook.csv and pairs.csv: one row per submission (and per roster student without
one), one row per suspicious pair."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from essaycoach.atomic import write_text_atomic
from essaycoach.grade.pairs import CopyPair
from essaycoach.grade.results import SubmissionResult
from essaycoach.grade.students import Student

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    text = str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    """A plain decimal a spreadsheet reads as a number ("-3", "+2.5"); not "-inf" or "1_000"."""
    return _PLAIN_NUMBER.fullmatch(text) is not None


_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def copy_partners(
    results: Sequence[SubmissionResult], pairs: Sequence[CopyPair]
) -> list[list[str]]:
    """For each submission, the student ids it is paired with."""
    partners: list[list[str]] = [[] for _ in results]
    for pair in pairs:
        partners[pair.a].append(results[pair.b].student_id)
        partners[pair.b].append(results[pair.a].student_id)
    return partners


def gradebook_csv(
    results: Sequence[SubmissionResult],
    criterion_ids: Sequence[str],
    pairs: Sequence[CopyPair],
    with_prediction: bool = False,
    roster_missing: Sequence[Student] = (),
) -> str:
    """The gradebook: student, file, score, level per criterion, measures, flags, status.

    `with_prediction` (grade --model) adds the calibrated score, its confidence,
    and whether a human should read the essay (needs_review) and why. Roster
    students without a submission close it, with status `missing`, so that the
    gradebook lists the whole class.
    """
    prediction_columns = (
        ["predicted_score", "prediction_confidence", "needs_review", "review_reasons"]
        if with_prediction
        else []
    )
    partners = copy_partners(results, pairs)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "student_id",
            "name",
            "file",
            "status",
            "reason",
            "total_score",
            *[f"level_{c}" for c in criterion_ids],
            "words",
            "readability_grade",
            "grammar_issues_per_100_words",
            "similarity_flags",
            "report",
            *prediction_columns,
        ]
    )
    for result, paired in zip(results, partners, strict=True):
        # dict.fromkeys: a partner with two files in the batch is one flag, not two
        flags = list(result.exemplar_flags) + list(dict.fromkeys(f"copying:{o}" for o in paired))
        report = result.reports.get("html") or next(iter(result.reports.values()), "")
        writer.writerow(
            [
                cell(result.student_id),
                cell(result.name),
                cell(result.file),
                result.status,
                cell(result.reason),
                cell(result.total),
                *[cell(result.levels.get(c)) for c in criterion_ids],
                cell(result.words if result.ok else None),
                cell(result.readability_grade),
                cell(result.grammar_per_100_words),
                cell(";".join(flags)),
                cell(report),
                *(_prediction_cells(result) if with_prediction else []),
            ]
        )
    blank = [""] * (len(criterion_ids) + 6 + len(prediction_columns))
    for student in roster_missing:
        writer.writerow(
            [cell(student.id), cell(student.name), "", "missing", "no submission", *blank]
        )
    return buffer.getvalue()


def _prediction_cells(result: SubmissionResult) -> list[str]:
    if result.predicted_score is None:
        return ["", "", "", ""]
    needs_review = "yes" if not result.prediction_trusted else "no"
    return [
        f"{result.predicted_score:g}",
        f"{result.prediction_confidence:.2f}",
        needs_review,
        cell("; ".join(result.prediction_reasons)),
    ]


def pairs_csv(results: Sequence[SubmissionResult], pairs: Sequence[CopyPair]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "student_a",
            "name_a",
            "file_a",
            "student_b",
            "name_b",
            "file_b",
            "shared_words",
            "shared_fraction",
            "longest_passage_words",
            "copy_score",
            "passages",
            "first_passage",
        ]
    )
    for pair in pairs:
        a, b = results[pair.a], results[pair.b]
        first = " ".join(pair.passages[0].a_text.split()) if pair.passages else ""
        writer.writerow(
            [
                cell(a.student_id),
                cell(a.name),
                cell(a.file),
                cell(b.student_id),
                cell(b.name),
                cell(b.file),
                pair.shared_words,
                f"{pair.shared_fraction:.2f}",
                pair.longest_passage,
                f"{pair.score:.2f}",
                len(pair.passages),
                cell(first[:300]),
            ]
        )
    return buffer.getvalue()


def write_gradebook(path: Path, text: str) -> None:
    # UTF-8 with BOM so Excel opens accented names correctly
    write_text_atomic(path, "\ufeff" + text)
