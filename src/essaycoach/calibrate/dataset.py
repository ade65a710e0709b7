"""A teacher's graded essays: a folder of submissions plus a scores CSV.

The CSV has a header with a `score` column and a key column: `file` (the path
relative to the folder, or just the file name when that is unique) or
`student_id` (as `essaycoach grade` derives it from LMS file names). Keys match
as `grade`'s roster matches them: case-blind and in one Unicode form (NFC). Scores have a
decimal point or comma (`csv_table.parse_number`) and must make a grid that
`grid.py` accepts (a step of 10, 5, 1, 0.5, 0.25 or 0.1, at most `MAX_SCORE_LEVELS`
levels, within `MAX_ABS_SCORE` of 0). Every problem is an
`InputError` naming the CSV and its line; a scored essay that discovery could not
look at (a link that leads nowhere, a named pipe) is one naming the essay and that
line, and a scored essay in a folder that cannot be read says so. A file under two
names (a link to another essay) is one essay, used under the name the CSV scores.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from essaycoach.calibrate.grid import ScoreGridError, score_grid
from essaycoach.csv_table import header_found, parse_number, read_table
from essaycoach.errors import InputError
from essaycoach.essay import Essay
from essaycoach.grade.discover import Submission, discover_folder, input_is_folder
from essaycoach.grade.students import file_key, match_key, parse_student, whole_number
from essaycoach.readers import SUPPORTED_SUFFIXES, read_submission

KEY_COLUMNS = ("file", "student_id")
# other names spreadsheets and LMS exports give the columns (after `parse_table` made the
# header lower case with "_" for spaces and hyphens); the first found is used
COLUMN_ALIASES = {
    "file": ("file", "file_name", "filename", "essay", "essay_file", "path"),
    "student_id": ("student_id", "studentid", "student_number"),
    "score": ("score", "grade", "mark", "points"),
}


@dataclass(frozen=True)
class ScoredEssay:
    essay: Essay
    score: float
    relative: str  # path relative to the essays folder
    line: int  # line in the scores CSV


@dataclass(frozen=True)
class TrainingSet:
    essays: tuple[ScoredEssay, ...]
    unscored: tuple[str, ...]  # essays in the folder the CSV does not mention, one name each
    #: scored essays that cannot be read (corrupt, encrypted, empty): (relative path,
    #: reason); they are left out of the model, as `grade` fails only their rows
    unreadable: tuple[tuple[str, str], ...] = ()
    #: scores the CSV gives only to unreadable essays: the model never sees them
    scores_without_essay: frozenset[float] = frozenset()
    #: CSV rows with a key but an empty score cell: (line, key); skipped like an essay
    #: the CSV does not list (the essay, if any, is among `unscored`)
    blank_scores: tuple[tuple[int, str], ...] = ()
    #: the column scores were read from, when the header has several score columns
    #: ("the 'points' column; 'grade' holds other values than numbers"), else ""
    score_column_note: str = ""


def load_training_set(folder: Path, scores_csv: Path) -> TrainingSet:
    """The scored essays in `folder`; InputError for a problem with the CSV or the folder.

    One file under two names (a link to another essay, a hard link) is one essay: used
    under the name the CSV scores, refused if it scores both.
    """
    if not input_is_folder(folder):
        raise InputError("expected a folder of graded essays", folder)
    discovered = discover_folder(folder, ())
    unread_folders = [s for s in discovered if s.folder_error]
    submissions = [
        s
        for s in discovered
        if PurePosixPath(s.relative).suffix.lower() in SUPPORTED_SUFFIXES and not s.folder_error
    ]
    by_relative = {s.relative: s for s in submissions}
    file_of = {s.relative: s.same_as or s.relative for s in submissions}  # one per file
    by_path: dict[str, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    by_student: dict[str, list[str]] = {}
    by_stem: dict[str, list[str]] = {}  # "ann_00" for ann_00.docx: gradebooks drop suffixes
    for s in submissions:
        by_path.setdefault(file_key(s.relative), []).append(s.relative)
        by_name.setdefault(match_key(PurePosixPath(s.relative).name), []).append(s.relative)
        by_stem.setdefault(match_key(PurePosixPath(s.relative).stem), []).append(s.relative)
        by_student.setdefault(match_key(parse_student(s.relative).id), []).append(s.relative)

    rows = _read_scores(scores_csv)
    key_column = next(c for c in KEY_COLUMNS if rows.columns.get(c))
    chosen: dict[str, tuple[float, int]] = {}
    scored_as: dict[str, str] = {}  # file: the name it is scored under
    entries, blank = rows.entries(key_column)
    if not entries:
        raise InputError("no scores in the file (every score cell is empty)", scores_csv)
    for line, key, score in entries:
        if key_column == "file":
            matches = (
                [key]
                if key in by_relative
                else by_path.get(file_key(key))
                or by_name.get(match_key(PurePosixPath(file_key(key)).name))
                or _by_stem(key, by_stem)
            )
        else:
            matches = by_student.get(match_key(whole_number(key)), [])
        names_by_file: dict[str, str] = {}
        for match in matches:  # two names of one file are one essay
            names_by_file.setdefault(file_of[match], match)
        matches = list(names_by_file.values())
        if not matches:
            raise InputError(f"line {line}: {_no_essay(key, folder, unread_folders)}", scores_csv)
        if len(matches) > 1:
            raise InputError(
                f"line {line}: {key!r} matches several essays ({', '.join(matches[:3])}); "
                "use the path relative to the folder",
                scores_csv,
            )
        relative = matches[0]
        if relative in chosen:
            raise InputError(
                f"line {line}: {relative} already has a score on line {chosen[relative][1]}",
                scores_csv,
            )
        if (other := scored_as.get(file_of[relative])) is not None:
            raise InputError(
                f"line {line}: {relative} is the same file as {other}, scored on line "
                f"{chosen[other][1]} too",
                scores_csv,
            )
        submission = by_relative[relative]
        # unlike an unreadable essay (left out), the folder itself is wrong: fix it, not fit
        if submission.error and not submission.same_as:
            raise InputError(
                f"{submission.error} (scored on line {line} of {scores_csv})", submission.path
            )
        chosen[relative] = (score, line)
        scored_as[file_of[relative]] = relative
    _check_grid(sorted(chosen.values(), key=lambda pair: pair[1]), scores_csv)
    scored: list[ScoredEssay] = []
    unreadable: list[tuple[str, str]] = []
    for relative, (score, line) in sorted(chosen.items()):
        try:
            essay = read_submission(by_relative[relative].path, relative)
        except InputError as error:
            unreadable.append((relative, error.message))
            continue
        scored.append(ScoredEssay(essay, score, relative, line))
    unscored: dict[str, str] = {}  # file: its first name
    for relative in sorted(by_relative):
        if file_of[relative] not in scored_as:
            unscored.setdefault(file_of[relative], relative)
    lost = {score for score, _ in chosen.values()} - {item.score for item in scored}
    return TrainingSet(
        tuple(scored),
        tuple(sorted(unscored.values())),
        tuple(unreadable),
        frozenset(lost),
        tuple(blank),
        rows.score_column_note,
    )


def _by_stem(key: str, by_stem: dict[str, list[str]]) -> list[str]:
    """The essays named `key` without their suffix, for a key with no essay suffix of its
    own (`ann_00` for ann_00.docx) and no folder."""
    name = PurePosixPath(file_key(key))
    if name.suffix.lower() in SUPPORTED_SUFFIXES or len(name.parts) > 1:
        return []
    return by_stem.get(match_key(name.name), [])


def _no_essay(key: str, folder: Path, unread_folders: list[Submission]) -> str:
    """Why no essay matches `key`: it is not there, or may be in a folder that cannot
    be read."""
    for unread in unread_folders:
        if PurePosixPath(key).is_relative_to(unread.relative):
            return (
                f"{key!r} is in a folder that cannot be read, {unread.path} ({unread.folder_error})"
            )
    message = f"no essay {key!r} in {folder}"
    if unread_folders:
        first = unread_folders[0]
        others = f" (or {len(unread_folders) - 1} more)" if len(unread_folders) > 1 else ""
        message += (
            f"; it may be in {first.path}{others}, a folder that cannot be read "
            f"({first.folder_error})"
        )
    return message


def _check_grid(scores: list[tuple[float, int]], path: Path) -> None:
    """Refuse, naming its line, a score off the grid or far from the others (a typo)."""
    try:
        score_grid([score for score, _ in scores])
    except ScoreGridError as error:
        if error.index is None:
            raise InputError(str(error), path) from None
        raise InputError(f"line {scores[error.index][1]}: {error}", path) from None


@dataclass(frozen=True)
class _Rows:
    path: Path
    columns: dict[str, str]  # "file", "student_id", "score": the header column read as it
    records: list[tuple[int, dict[str, str]]]
    delimiter: str
    score_column_note: str = ""

    def entries(
        self, key_column: str
    ) -> tuple[list[tuple[int, str, float]], list[tuple[int, str]]]:
        """(line, key, score) for each row, and (line, key) for each with a blank score."""
        out = []
        blank = []
        key_name, score_name = self.columns[key_column], self.columns["score"]
        for line, record in self.records:
            key = (record.get(key_name) or "").strip()
            raw = (record.get(score_name) or "").strip()
            if not key:
                # a spreadsheet's totals row ("Class average;;;8,1") has a score, no essay
                totals = " (a totals or average row? delete it)" if raw else ""
                raise InputError(f"line {line}: empty {key_name!r}{totals}", self.path)
            if not raw:  # not graded yet: left out, as an essay the CSV does not list
                blank.append((line, key))
                continue
            try:
                score = parse_number(raw, self.delimiter) + 0.0  # + 0.0: "-0" is 0
            except ValueError as problem:
                hint = _number_hint(raw) if str(problem) == "is not a number" else ""
                raise InputError(f"line {line}: score {raw!r} {problem}{hint}", self.path) from None
            if not math.isfinite(score):
                raise InputError(f"line {line}: score {raw!r} is not a finite number", self.path)
            out.append((line, key, score))
        return out, blank


def _number_hint(raw: str) -> str:
    """What to do about a score that is no number: letter grades and percentages."""
    if raw.endswith("%"):
        return f"; write percentages without the sign ({raw[:-1].strip()!r})"
    if raw.lower() in _NOT_GRADED:
        return "; leave the cell empty for an essay not graded yet"
    if re.fullmatch(r"\d+(?:[.,]\d+)?\s*/\s*\d+(?:[.,]\d+)?", raw):  # 3/4, 17 / 20
        points = raw.split("/")[0].strip()
        return f"; write the points alone ({points!r}) or the fraction as a decimal"
    return "; scores must be numbers (e.g. 4 or 3.5): turn letter grades into numbers first"


# cells that say "no score" in spreadsheets and LMS exports
_NOT_GRADED = frozenset({"-", "–", "—", "n/a", "na", "x", "?", "tbd", "absent", "missing"})


def _columns(header: tuple[str, ...]) -> dict[str, str]:
    """The header column read as each of "file", "student_id" and "score" (first alias
    found), or "" for one the header lacks. A key column named exactly `file` or
    `student_id` wins over the other key's aliases: `student_id,essay,score` is keyed
    by student_id, its essay column (say, a title) is not read as file names."""
    columns = {
        role: next(iter(_named(header, names)), "") for role, names in COLUMN_ALIASES.items()
    }
    if any(key in header for key in KEY_COLUMNS):
        for key in KEY_COLUMNS:
            columns[key] = key if key in header else ""
    return columns


def _named(header: tuple[str, ...], names: tuple[str, ...]) -> list[str]:
    """The header's columns called one of `names`, in their order: exactly, then with a
    scale after the name, as gradebooks write it ("Grade (out of 12)", "Score (%)")."""
    exact = [name for name in names if name in header]
    bare = {re.sub(r"_*\([^)]*\)_*$", "", h): h for h in header}
    return exact + [bare[name] for name in names if name in bare and bare[name] not in exact]


def _read_scores(path: Path) -> _Rows:
    table = read_table(path, "scores file")
    columns = _columns(table.header)
    if not columns["score"] or not any(columns[c] for c in KEY_COLUMNS):
        aliases = COLUMN_ALIASES
        raise InputError(
            f"line {table.header_line}: the header needs a 'score' column (or "
            f"{_names(aliases['score'][1:])}) and a 'file' column (or "
            f"{_names(aliases['file'][1:])}) or a 'student_id' column "
            f"(found: {header_found(table.header)})",
            path,
        )
    if not table.rows:
        raise InputError("no scores in the file (only a header)", path)
    note = ""
    candidates = _named(table.header, COLUMN_ALIASES["score"])
    if len(candidates) > 1 and "score" not in candidates:
        # "Grade" (letters) and "Points" (numbers), as LMS exports have them
        numeric = [c for c in candidates if _all_numbers(table.rows, c, table.delimiter)]
        if len(numeric) != 1:
            raise InputError(
                f"line {table.header_line}: {len(candidates)} score columns "
                f"({', '.join(candidates)})"
                f"{' hold numbers' if numeric else ''}: rename the one to read 'score'",
                path,
            )
        columns["score"] = numeric[0]
        others = [repr(c) for c in candidates if c != numeric[0]]
        holds = "holds" if len(others) == 1 else "hold"
        note = (
            f"scores read from the {numeric[0]!r} column ({', '.join(others)} {holds} "
            "more than numbers, or none)"
        )
    return _Rows(path, columns, table.rows, table.delimiter, note)


def _all_numbers(records: list[tuple[int, dict[str, str]]], column: str, delimiter: str) -> bool:
    """Whether `column` has numbers and no cell but empty ones and numbers."""
    cells = [(record.get(column) or "").strip() for _, record in records]
    try:
        return len([parse_number(raw, delimiter) for raw in cells if raw]) > 0
    except ValueError:
        return False


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + " or " + names[-1]
