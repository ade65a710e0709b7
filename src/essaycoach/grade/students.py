"""Who wrote a submission: the student id from an LMS export's file name, or a roster.

Recognised export patterns (case-insensitive):

- Moodle: ``Firstname Lastname_12345_assignsubmission_file_essay.docx`` (also as
  a folder name holding the file) -> id ``12345``, name ``Firstname Lastname``;
- Blackboard: ``Assignment_username_attempt_2024-01-01-10-00-00_essay.docx``
  -> id ``username``;
- Canvas: ``lastnamefirstname_12345_67890_essay.docx`` (student id, attachment
  id, original name), ``lastnamefirstname_12345_text.html`` and ``..._link.html``
  (text entry and URL submissions), optionally with ``late_`` before the numbers;
  also ``lastname_firstname_12345_essay.docx`` -> id ``12345``; anonymous grading:
  ``anon_acJ4Q_67890_essay.docx`` (or ``LATE_anon_...``) -> id ``anon_acJ4Q``, no name;
- anything else: the file name without its extension.

A roster CSV (header row; columns ``student_id`` and at least one of ``file``
or ``lms_id``; optional ``name``) overrides the id and name: a row matches a
submission by its file name (or relative path), or by the id parsed from it.
A roster that would make two students one is refused (`Roster.check_unambiguous`).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from essaycoach.csv_table import header_found, read_table
from essaycoach.errors import InputError


@dataclass(frozen=True)
class Student:
    id: str
    name: str = ""
    pattern: str = "file name"  # which rule found the id: moodle, blackboard, canvas, roster, ...


_MOODLE_RE = re.compile(
    r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_[a-z]+_(?P<rest>.*)$", re.I
)
_BLACKBOARD_RE = re.compile(
    r"^(?P<assignment>.+?)_(?P<user>[^_\s]+)_attempt_"
    r"(?P<ts>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<rest>.*))?$",
    re.I,
)
# Canvas writes the student's sortable name with only its word characters, run
# together ("Müller, Zoë" -> müllerzoë, digits kept). Ids are ASCII digits, three or
# more: "draft2_2024_05_essay" (05 is no attachment id) is a student's own name.
# The two-part "last_first" form (renamed by other tools) is letters only, so
# "hw3_smith_123_final" is not Canvas's either.
_CANVAS_RE = re.compile(
    r"^(?P<name>[^\W\d_][^\W_]*|[^\W\d_]+_(?!late_)[^\W\d_]+)_(?:late_)?(?P<id>[0-9]{3,})"
    r"(?:_(?P<sub>[0-9]{3,}))?_(?P<rest>.+)$",
    re.I,
)
# Anonymous grading puts "anon_" and the submission's anonymous id (five letters and
# digits, "acJ4Q") where the name and student id go, "LATE_" before it when late.
_CANVAS_ANONYMOUS_RE = re.compile(
    r"^(?:late_)?anon_(?P<id>[^\W_]+)_(?:[0-9]{3,}_.+|(?P<inline>text|link))$", re.I
)
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_DATE = re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
# text entry and website URL submissions: "..._12345_text.html", "..._12345_link.html"
_CANVAS_INLINE_SUBMISSIONS = {"text", "link"}


def parse_student(relative: str) -> Student:
    """The student behind a submission, from its relative path in the export."""
    # zips made on macOS store decomposed names ("u" + combining diaeresis)
    path = PurePosixPath(unicodedata.normalize("NFC", relative))
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    found = _match(stem, path.name)
    if found is not None:
        return found
    for folder in reversed(path.parts[:-1]):  # Moodle may put each student in a folder
        found = _match(folder, folder)
        if found is not None:
            return found
    return Student(stem.strip() or path.name, "", "file name")


def file_name_students(relatives: Sequence[str]) -> list[Student]:
    """Each submission's student from its path alone (`parse_student`), generic file
    names ("alice/essay.md", "bob/essay.md") told apart by their folders; case-blind,
    as report names are: "a/essay.txt" and "b/Essay.txt" clash too."""
    students = [parse_student(relative) for relative in relatives]
    stems = [file_system_key(s.id) if s.pattern == "file name" else None for s in students]
    count = Counter(stems)
    for i, (stem, relative) in enumerate(zip(stems, relatives, strict=True)):
        if stem is not None and count[stem] > 1 and "/" in relative:
            path_stem = PurePosixPath(relative).with_suffix("").as_posix()  # "period.1/essay"
            students[i] = Student(path_stem, students[i].name, students[i].pattern)
    return students


def _match(stem: str, name: str) -> Student | None:
    m = _MOODLE_RE.match(stem) or _MOODLE_RE.match(name)
    if m:
        return Student(m.group("id"), " ".join(m.group("name").split()), "moodle")
    m = _BLACKBOARD_RE.match(stem)
    if m:
        return Student(m.group("user"), "", "blackboard")
    m = _CANVAS_ANONYMOUS_RE.match(stem)
    if m and (not m.group("inline") or name.lower().endswith(".html")):
        return Student(f"anon_{m.group('id')}", "", "canvas anonymous")
    m = _CANVAS_RE.match(stem)
    parts = [p for p in m.group("name").split("_") if p] if m else []
    # Canvas writes an attachment id (or "text.html"/"link.html") after the student id;
    # without that or a "last_first" name, "english_101_alice" is a course code
    inline = (
        m
        and not m.group("sub")
        and m.group("rest").lower() in _CANVAS_INLINE_SUBMISSIONS
        and name.lower().endswith(".html")
    )
    sub = m.group("sub") if m else None
    # "essay1_2024_100_words", "essay1_2024_20241105_final": a name with digits needs
    # a real attachment id (Canvas's run to five digits and more), not a word count,
    # nor a year and a date
    if (
        m  # always set when sub is: spelt out for the type checker
        and sub
        and any(c.isdigit() for c in m.group("name"))
        and (len(sub) < 5 or (_YEAR.fullmatch(m.group("id")) and _DATE.fullmatch(sub)))
    ):
        sub = None
    if m and (sub or inline or len(parts) == 2):
        display = ", ".join(p.title() for p in parts) if len(parts) == 2 else parts[0].title()
        return Student(m.group("id"), display, "canvas")
    return None


def is_blackboard_receipt(relative: str) -> bool:
    """Blackboard's own `..._attempt_<timestamp>.txt` file describing an attempt."""
    path = PurePosixPath(relative)
    m = _BLACKBOARD_RE.match(path.stem)
    return bool(m and path.suffix.lower() == ".txt" and not m.group("rest"))


@dataclass(frozen=True)
class Roster:
    by_file: dict[str, Student]
    by_lms_id: dict[str, Student]
    students: tuple[Student, ...]  # one per student_id, named as on its first row
    path: Path
    file_lines: dict[str, int]  # `file` cell (as a key) -> its line in the roster
    id_lines: dict[str, int]  # student_id -> its first line in the roster

    def check_unambiguous(self, relatives: Sequence[str]) -> None:
        """InputError when the roster would make two students one, hiding copying
        between them: a bare `file` name matching files in several folders, or a
        roster id that a submission the roster does not list has from its file name."""
        self._check_file_cells(relatives)
        self._check_ids(relatives)

    def _check_file_cells(self, relatives: Sequence[str]) -> None:
        by_cell: dict[str, list[str]] = {}
        for relative in relatives:
            if (cell := self._file_cell(relative)) is not None:
                by_cell.setdefault(cell, []).append(relative)
        for cell, matched in by_cell.items():
            # files named alike in two Unicode forms fail their rows, saying to rename them
            if len({unicodedata.normalize("NFC", m) for m in matched}) > 1:
                raise InputError(
                    f"file {cell!r} matches {len(matched)} submissions ({', '.join(matched)}); "
                    "give each its path in the export (folder/file) in the roster",
                    self.path,
                    f"line {self.file_lines[cell]}",
                )

    def _check_ids(self, relatives: Sequence[str]) -> None:
        """A mistyped id ("bob" for alice.txt) must not merge alice.txt with bob.txt:
        pairs of one student's files are never checked for copying."""
        parsed = file_name_students(relatives)
        found = [self.lookup(r, p) for r, p in zip(relatives, parsed, strict=True)]
        given: dict[str, str] = {}  # roster id -> the first submission it is given to
        for relative, student in zip(relatives, found, strict=True):
            if student is not None:
                given.setdefault(student.id, relative)
        for relative, own, student in zip(relatives, parsed, found, strict=True):
            if student is None and own.id in self.id_lines:
                to = f" (given to {given[own.id]})" if own.id in given else ""
                raise InputError(
                    f"student_id {own.id!r}{to} is also the id of {relative}, a submission "
                    f"the roster does not list: correct the id, or add {relative} to the "
                    "roster if it is this student's",
                    self.path,
                    f"line {self.id_lines[own.id]}",
                )

    def lookup(self, relative: str, parsed: Student) -> Student | None:
        cell = self._file_cell(relative)
        if cell is not None:
            return self.by_file[cell]
        return self.by_lms_id.get(match_key(parsed.id))

    def _file_cell(self, relative: str) -> str | None:
        """The `file` cell a submission matches: its whole path first, else its name,
        else the one path that is this path with folders more or fewer at its start
        (a cell naming the graded folder too, "submissions/period1/carol.txt", or a
        zip's top folder left out)."""
        path = file_key(relative)
        for key in (path, match_key(PurePosixPath(relative).name)):
            if key in self.by_file:
                return key
        near = [
            cell
            for cell in self.by_file
            if "/" in cell and (cell.endswith("/" + path) or path.endswith("/" + cell))
        ]
        return near[0] if len(near) == 1 else None


def match_key(text: str) -> str:
    """Roster and scores-file cells and file names compare case-blind and in one
    Unicode form (macOS and zips made there store decomposed names, a spreadsheet
    composed ones)."""
    return unicodedata.normalize("NFC", text).lower()


def whole_number(cell: str) -> str:
    """An id a spreadsheet saved as a decimal ("12345.0") as the id it is ("12345")."""
    whole = re.fullmatch(r"(\d+)\.0+", cell)
    return whole.group(1) if whole else cell


def file_key(path: str) -> str:
    """A roster's `file` cell or a submission's path as they compare: as `match_key`,
    with Windows separators and "./" as a spreadsheet typed them ("period1\\carol.txt",
    "./dave.txt") read as the export's "period1/carol.txt" and "dave.txt"."""
    if not path:
        return ""
    return match_key(posixpath.normpath(path.replace("\\", "/")).lstrip("/"))


def load_roster(path: Path) -> Roster:
    """Read a roster CSV; InputError naming the file and line for anything wrong."""
    table = read_table(path, "roster")
    header, rows = table.header, table.rows
    if "student_id" not in header:
        raise InputError(
            f"line {table.header_line}: roster needs a header row with a student_id column "
            f"(found: {header_found(header)})",
            path,
        )
    if "file" not in header and "lms_id" not in header:
        raise InputError("roster needs a file or an lms_id column to match submissions", path)
    by_file: dict[str, Student] = {}
    by_lms: dict[str, Student] = {}
    file_lines: dict[str, int] = {}
    by_id: dict[str, tuple[Student, int]] = {}  # student_id -> its student, first line
    for line, cells in rows:
        row = {k: v.strip() for k, v in cells.items()}
        student_id = whole_number(row.get("student_id", ""))
        if not student_id:
            raise InputError("empty student_id", path, f"line {line}")
        name = row.get("name", "")
        if student_id in by_id:  # one student on several rows (a draft and a final)
            student, first = by_id[student_id]
            if _name_key(name) != _name_key(student.name):
                raise InputError(
                    f"student_id {student_id!r} is {_named(student.name)} on line {first} "
                    f"and {_named(name)} here: give each student their own id",
                    path,
                    f"line {line}",
                )
        else:
            student = Student(student_id, name, "roster")
            by_id[student_id] = (student, line)
        for column, lookup in (("file", by_file), ("lms_id", by_lms)):
            cell = row.get(column, "")
            value = file_key(cell) if column == "file" else match_key(whole_number(cell))
            if value:
                if value in lookup and lookup[value].id != student_id:
                    raise InputError(
                        f"{column} {value!r} is listed for two students", path, f"line {line}"
                    )
                lookup[value] = student
                if column == "file":
                    file_lines.setdefault(value, line)
    students = tuple(student for student, _ in by_id.values())
    id_lines = {student_id: line for student_id, (_, line) in by_id.items()}
    return Roster(by_file, by_lms, students, path, file_lines, id_lines)


def _name_key(name: str) -> str:
    """Two spellings of one name in a roster: case, Unicode form and spacing aside."""
    return match_key(" ".join(name.split()))


def _named(name: str) -> str:
    return repr(name) if name else "unnamed"


def _slug_base(student_id: str) -> str:
    """Letters (with their vowel signs and accents) and digits of any script, "." "_"
    "-", other runs as "-": nothing a shell or Windows treats specially. At most 120
    bytes of UTF-8, so the report's name and its temporary ".name.XXXXXXXX.tmp" stay
    under the 255-byte limit of file names."""
    kept = "".join(
        c if unicodedata.category(c)[0] in "LMN" or c in "._-" else " "
        for c in unicodedata.normalize("NFC", student_id)
    )
    base = "-".join(kept.split()).strip(".-_")
    while len(base.encode("utf-8")) > 120:
        base = base[:-1]
    return base.rstrip(".-_")


def file_system_key(name: str) -> str:
    """Two names a case-blind file system (NTFS, APFS) may take for one, as report names
    or as file stems: compared after case folding, with dotless/dotted i and long s
    folded too."""
    return name.casefold().replace("ı", "i").replace("i\u0307", "i")


def unique_slugs(ids: list[str]) -> list[str]:
    """A file-name-safe, unique slug per id, in order: "ann", "ann-2", ..."""
    taken: set[str] = set()
    out = []
    for student_id in ids:
        base = _slug_base(student_id) or "submission"
        slug, n = base, 1
        # casefold: file systems that ignore case treat "Aydın" and "AYDIN" as one name
        while file_system_key(slug) in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(file_system_key(slug))
        out.append(slug)
    return out
