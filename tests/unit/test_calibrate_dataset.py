"""The teacher's scores CSV: matching essays, and one clear error naming the line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from essaycoach.calibrate.dataset import load_training_set
from essaycoach.errors import InputError

ESSAY = (
    "Kathy looks back on Hailsham with a mix of love and unease. The guardians kept secrets, "
    "and the students learned the truth about their futures only slowly.\n"
)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "graded"
    (root / "period2").mkdir(parents=True)
    (root / "alice.txt").write_text(ESSAY, encoding="utf-8")
    (root / "period2" / "smith_bob_12345_essay.txt").write_text(ESSAY, encoding="utf-8")
    (root / "notes.md").write_text(ESSAY, encoding="utf-8")
    return root


def write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scores.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_files_matched_by_path_or_name(folder: Path, tmp_path: Path) -> None:
    scores = write_csv(tmp_path, "file,score\nalice.txt,4\nperiod2/smith_bob_12345_essay.txt,2.5\n")
    training = load_training_set(folder, scores)
    assert [(e.relative, e.score, e.line) for e in training.essays] == [
        ("alice.txt", 4.0, 2),
        ("period2/smith_bob_12345_essay.txt", 2.5, 3),
    ]
    assert training.unscored == ("notes.md",)
    assert "Hailsham" in training.essays[0].essay.text


def test_a_name_without_its_suffix_matches_the_one_essay_of_that_stem(
    folder: Path, tmp_path: Path
) -> None:
    """QA: gradebooks export "ann_00" for ann_00.docx, which was 'no essay'."""
    scores = write_csv(tmp_path, "file,score\nALICE,4\nsmith_bob_12345_essay,2\n")
    training = load_training_set(folder, scores)
    assert [e.relative for e in training.essays] == [
        "alice.txt",
        "period2/smith_bob_12345_essay.txt",
    ]
    (folder / "alice.docx").write_bytes(b"")  # two essays of that stem: ambiguous
    with pytest.raises(InputError, match="'ALICE' matches several essays"):
        load_training_set(folder, scores)
    with pytest.raises(InputError, match="no essay 'period2/alice'"):  # a path keeps its rule
        load_training_set(folder, write_csv(tmp_path, "file,score\nperiod2/alice,4\n"))


def test_student_id_column_uses_lms_names(folder: Path, tmp_path: Path) -> None:
    scores = write_csv(tmp_path, "student_id,score\n12345,3\n")
    training = load_training_set(folder, scores)
    assert [e.relative for e in training.essays] == ["period2/smith_bob_12345_essay.txt"]


def test_an_exact_student_id_column_wins_over_a_file_alias(folder: Path, tmp_path: Path) -> None:
    """Review: `student_id,essay,score` was keyed by its essay column (an alias of
    `file`), checked before the explicit student_id: 'line 2: no essay ...'."""
    scores = write_csv(tmp_path, "student_id,essay,score\n12345,Memory in Hailsham,3\n")
    training = load_training_set(folder, scores)
    assert [e.relative for e in training.essays] == ["period2/smith_bob_12345_essay.txt"]
    aliases_only = write_csv(tmp_path, "studentid,essay,score\n99,alice.txt,4\n")
    assert [e.relative for e in load_training_set(folder, aliases_only).essays] == ["alice.txt"]


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("name,score\nalice.txt,4\n", "line 1: the header needs a 'score' column"),
        (
            "file,result\nalice.txt,4\n",
            "line 1: the header needs a 'score' column (or grade, mark or points) and a 'file' "
            "column (or file_name, filename, essay, essay_file or path) or a 'student_id' column "
            "(found: file, result)",
        ),
        ("", "line 1: the scores file is empty"),
        ("file,score\n", "no scores in the file"),
        ("file,score\nalice.txt,4\nmissing.txt,3\n", "line 3: no essay 'missing.txt'"),
        (
            "file,score\nalice.txt,B+\n",
            "line 2: score 'B+' is not a number; scores must be numbers (e.g. 4 or 3.5): turn "
            "letter grades into numbers first",
        ),
        (
            "file,score\nalice.txt,85%\n",
            "line 2: score '85%' is not a number; write percentages without the sign ('85')",
        ),
        # QA: "turn letter grades into numbers" for a dash and a fraction
        (
            "file,score\nalice.txt,-\n",
            "line 2: score '-' is not a number; leave the cell empty for an essay not graded yet",
        ),
        (
            "file,score\nalice.txt,17/20\n",
            "line 2: score '17/20' is not a number; write the points alone ('17') or the "
            "fraction as a decimal",
        ),
        ("file,score\nalice.txt,2_0\n", "line 2: score '2_0' is not a number"),  # not 20
        ("file,score\nalice.txt,٢\n", "line 2: score '٢' is not a number"),
        (
            "file,score\nalice.txt,\nnotes.md, \n",
            "no scores in the file (every score cell is empty)",
        ),
        ("file,score\nalice.txt,nan\n", "line 2: score 'nan' is not a finite number"),
        (
            "file,score\nalice.txt,4\nalice.txt,3\n",
            "line 3: alice.txt already has a score on line 2",
        ),
        ("file,score\n,4\n", "line 2: empty 'file'"),
        ("file,score\nalice.txt,4,extra\n", "line 2: 3 fields, the header has 2"),
        ("student_id,score\n99999,4\n", "line 2: no essay '99999'"),
        # one typo must not make a grid of millions of score levels
        (
            "file,score\nalice.txt,4\nnotes.md,1e6\n",
            "line 3: score 1000000 is far from the others: scores from 4 to 1000000 in steps "
            "of 1 make 999,997 score levels, calibration takes at most 1,001",
        ),
        (
            "file,score\nalice.txt,100000.5\nnotes.md,4\nperiod2/smith_bob_12345_essay.txt,5\n",
            "line 2: score 100000.5 is far from the others",
        ),
        (
            "file,score\nalice.txt,-1000000\nnotes.md,4\nperiod2/smith_bob_12345_essay.txt,5\n",
            "line 2: score -1000000 is far from the others",
        ),
        (
            "file,score\nnotes.md,3\nalice.txt,1e9\n",
            "line 3: score 1000000000 is out of range (scores must lie between -1,000,000 and "
            "1,000,000)",
        ),
        ("file,score\nalice.txt,1e300\nnotes.md,3\n", "line 2: score 1e+300 is out of range"),
        ("file,score\nalice.txt,-1e308\n", "line 2: score -1e+308 is out of range"),
        ("student_id,score\n12345,20231234\n", "line 2: score 20231234 is out of range"),
        (
            "file,score\nalice.txt,4\nnotes.md,3.33\n",
            "line 3: score 3.33 is not on a grid of 1, 0.5, 0.25 or 0.1 points",
        ),
        # QA: with two numeric columns the 'grade' one was read without a word
        (
            "file,grade,points\nalice.txt,4,42\n",
            "line 1: 2 score columns (grade, points) hold numbers: rename the one to read 'score'",
        ),
        (
            "file,grade,mark\nalice.txt,B,A\n",
            "line 1: 2 score columns (grade, mark): rename the one to read 'score'",
        ),
    ],
)
def test_bad_csv_names_file_and_line(
    folder: Path, tmp_path: Path, csv_text: str, message: str
) -> None:
    scores = write_csv(tmp_path, csv_text)
    with pytest.raises(InputError) as info:
        load_training_set(folder, scores)
    text = str(info.value)
    assert text.startswith(str(scores)), text
    assert message in text
    assert "\n" not in text


@pytest.mark.parametrize(
    ("data", "scores"),
    [
        # Excel and LibreOffice write ";" where the decimal mark is a comma
        (b"file;score\nalice.txt;1,5\nnotes.md;2,5\n", [1.5, 2.5]),
        (b"file;score\nalice.txt;1.5\nnotes.md;2,25\n", [1.5, 2.25]),
        (b"file;score\nalice.txt;1.000,5\nnotes.md;1.001,0\n", [1000.5, 1001.0]),
        # a comma never groups thousands in a ";" file: three decimals
        (b"file;score\nalice.txt;1,000\nnotes.md;2,500\n", [1.0, 2.5]),
        # Excel's "Unicode text": tabs, and the decimal mark of the computer's language
        ("file\tscore\r\nalice.txt\t1,5\r\nnotes.md\t2.5\r\n".encode("utf-16"), [1.5, 2.5]),
        (b"file\tscore\nalice.txt\t1,000.5\nnotes.md\t1.001,5\n", [1000.5, 1001.5]),
        # a "," file: quoted decimal commas; a cell without one has a decimal point
        (b'file,score\nalice.txt,"1,5"\nnotes.md,1.000\n', [1.5, 1.0]),
        (b'file,score\nalice.txt,"1,000.5"\nnotes.md,"1.001,5"\n', [1000.5, 1001.5]),
    ],
    ids=[
        "semicolon",
        "semicolon-mixed",
        "semicolon-thousands",
        "semicolon-3-decimals",
        "utf16-tabs",
        "tab-thousands",
        "comma-quoted",
        "comma-thousands",
    ],
)
def test_decimal_commas_as_spreadsheets_write_them(
    folder: Path, tmp_path: Path, data: bytes, scores: list[float]
) -> None:
    path = tmp_path / "scores.csv"
    path.write_bytes(data)
    training = load_training_set(folder, path)
    assert [e.score for e in training.essays] == scores


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        (
            "file;score\nnotes.md;2\nalice.txt;1.000\n",
            "line 3: score '1.000' could be 1 or 1000 (is '.' a decimal mark or a thousands "
            "separator?): write 1 or 1000",
        ),
        ("file\tscore\nalice.txt\t2,500\n", "line 2: score '2,500' could be 2.5 or 2500 ("),
        ("file\tscore\nalice.txt\t2.500\n", "line 2: score '2.500' could be 2.5 or 2500 ("),
        ('file,score\nalice.txt,"1,250"\n', "line 2: score '1,250' could be 1.25 or 1250 ("),
        ("file;score\nalice.txt;1,000.5\n", "line 2: score '1,000.5' is not a number"),
        ("file;score\nalice.txt;1,5,5\n", "line 2: score '1,5,5' is not a number"),
        ("file;score\nalice.txt;1.00,5\n", "line 2: score '1.00,5' is not a number"),
        ("file;score\nalice.txt;1 000,5\n", "line 2: score '1 000,5' is not a number"),
        ("file;score\nalice.txt;,\n", "line 2: score ',' is not a number"),
        ("file,score\nalice.txt,3/5\n", "line 2: score '3/5' is not a number"),
        ("file,score\nalice.txt,B2\n", "line 2: score 'B2' is not a number"),
    ],
)
def test_numbers_read_two_ways_or_none_are_refused(
    folder: Path, tmp_path: Path, csv_text: str, message: str
) -> None:
    scores = write_csv(tmp_path, csv_text)
    with pytest.raises(InputError) as info:
        load_training_set(folder, scores)
    assert str(info.value).startswith(f"{scores}: {message}")
    # QA: a number that could be read two ways also got the hint for letter grades; a
    # score that is no number keeps it ("4 pts", "B2": review), but for a fraction
    fraction = "3/5" in csv_text
    assert ("letter grades" in str(info.value)) is ("is not a number" in message and not fraction)
    assert ("fraction as a decimal" in str(info.value)) is fraction


def test_missing_scores_file(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such scores file"):
        load_training_set(folder, tmp_path / "absent.csv")


def test_path_must_be_a_folder(tmp_path: Path) -> None:
    scores = write_csv(tmp_path, "file,score\na.txt,1\n")
    with pytest.raises(InputError, match="expected a folder"):
        load_training_set(scores, scores)


def test_unreadable_essays_are_left_out_and_their_lost_scores_named(
    folder: Path, tmp_path: Path
) -> None:
    (folder / "notes.md").write_bytes(b"")  # the only essay scored 5
    (folder / "broken.docx").write_bytes(b"not a zip")
    scores = write_csv(
        tmp_path,
        "file,score\nalice.txt,4\nnotes.md,5\nbroken.docx,4\nsmith_bob_12345_essay.txt,2\n",
    )
    training = load_training_set(folder, scores)
    relatives = [e.relative for e in training.essays]
    assert relatives == ["alice.txt", "period2/smith_bob_12345_essay.txt"]
    assert training.unreadable == (
        ("broken.docx", "corrupt .docx: not a valid document container"),
        ("notes.md", "file is empty (no text)"),
    )
    assert training.scores_without_essay == frozenset({5.0})  # 4 still has alice


@pytest.mark.parametrize(
    ("make_link", "reason"),
    [
        (lambda link: link.symlink_to(link.parent / "moved.txt"), "its target does not exist"),
        (lambda link: link.symlink_to(link), "it leads round a loop of links"),
    ],
    ids=["missing-target", "loop"],
)
def test_a_scored_broken_link_is_an_input_error_naming_it(  # type: ignore[no-untyped-def]
    folder: Path, tmp_path: Path, make_link, reason: str
) -> None:
    """Discovery's reason was dropped: the essay was left out as "cannot read file: No such
    file or directory" and the model fitted without it (exit 1)."""
    make_link(folder / "carol.txt")
    scores = write_csv(tmp_path, "file,score\nalice.txt,4\ncarol.txt,3\n")
    with pytest.raises(InputError) as info:
        load_training_set(folder, scores)
    assert str(info.value) == (
        f"{folder / 'carol.txt'}: broken symbolic link: {reason} (scored on line 3 of {scores})"
    )


def test_an_unscored_broken_link_is_only_not_used(folder: Path, tmp_path: Path) -> None:
    (folder / "carol.txt").symlink_to(folder / "moved.txt")
    training = load_training_set(folder, write_csv(tmp_path, "file,score\nalice.txt,4\n"))
    assert [e.relative for e in training.essays] == ["alice.txt"]
    assert "carol.txt" in training.unscored


def _move_to_originals(folder: Path, relative: str) -> None:
    """Move an essay to originals/ and leave a symbolic link under its old name."""
    original = folder / "originals" / Path(relative).name
    original.parent.mkdir(exist_ok=True)
    (folder / relative).rename(original)
    (folder / relative).symlink_to(original)


@pytest.mark.parametrize("scored", ["alice.txt", "originals/alice.txt"], ids=["link", "file"])
def test_a_file_under_two_names_is_used_under_the_one_scored(
    folder: Path, tmp_path: Path, scored: str
) -> None:
    """Discovery fails the link's row in `grade` ('a link to another submission'), which
    made calibrate refuse the folder (exit 2) though the essay was scored once."""
    _move_to_originals(folder, "alice.txt")
    training = load_training_set(folder, write_csv(tmp_path, f"file,score\n{scored},4\n"))
    assert [e.relative for e in training.essays] == [scored]
    assert "Hailsham" in training.essays[0].essay.text
    assert training.unscored == ("notes.md", "period2/smith_bob_12345_essay.txt")


def test_a_hard_link_is_used_under_the_name_scored(folder: Path, tmp_path: Path) -> None:
    (folder / "period2" / "alice.txt").hardlink_to(folder / "alice.txt")
    training = load_training_set(folder, write_csv(tmp_path, "file,score\nperiod2/alice.txt,4\n"))
    assert [e.relative for e in training.essays] == ["period2/alice.txt"]
    assert "alice.txt" not in training.unscored


def test_a_student_id_naming_a_file_and_its_link_is_one_essay(folder: Path, tmp_path: Path) -> None:
    """Both names give the id 12345: 'matches several essays' though they are one."""
    _move_to_originals(folder, "period2/smith_bob_12345_essay.txt")
    training = load_training_set(folder, write_csv(tmp_path, "student_id,score\n12345,3\n"))
    assert [e.score for e in training.essays] == [3.0]


def test_two_names_of_one_file_both_scored_are_refused(folder: Path, tmp_path: Path) -> None:
    _move_to_originals(folder, "alice.txt")
    scores = write_csv(tmp_path, "file,score\nalice.txt,4\nnotes.md,2\noriginals/alice.txt,3\n")
    with pytest.raises(InputError) as info:
        load_training_set(folder, scores)
    assert str(info.value) == (
        f"{scores}: line 4: originals/alice.txt is the same file as alice.txt, scored on line 2 too"
    )


def _refuse_listing(monkeypatch: pytest.MonkeyPatch, refused: Path) -> None:
    """os.scandir raises PermissionError for `refused` (root reads past chmod 000; the
    real permissions are tested end to end in tests/integration/test_unreadable_folders.py)."""
    real_scandir = os.scandir

    def scandir(path=None):  # type: ignore[no-untyped-def]
        if path is not None and Path(path) == refused:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path) if path is not None else real_scandir()

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (
            "file,score\nperiod2/smith_bob_12345_essay.txt,2",
            "line 2: 'period2/smith_bob_12345_essay.txt' is in a folder that cannot be read, "
            "{period2} (Permission denied)",
        ),
        (
            "student_id,score\n12345,2",
            "line 2: no essay '12345' in {folder}; it may be in {period2}, a folder that "
            "cannot be read (Permission denied)",
        ),
    ],
    ids=["path", "student-id"],
)
def test_a_scored_essay_in_a_folder_that_cannot_be_read_says_so(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, message: str
) -> None:
    """It said "no essay 'period2/...' in graded", as if it were not there."""
    _refuse_listing(monkeypatch, folder / "period2")
    scores = write_csv(tmp_path, f"{key}\n")
    with pytest.raises(InputError) as info:
        load_training_set(folder, scores)
    expected = message.format(folder=folder, period2=folder / "period2")
    assert str(info.value) == f"{scores}: {expected}"


def test_names_match_in_one_unicode_form_and_case_blind(folder: Path, tmp_path: Path) -> None:
    # QA: a file saved on macOS (decomposed "e" + diaeresis) against a spreadsheet's
    # composed "ë" was "no essay"; grade's roster matches them, and case-blind
    (folder / "zoe\u0308.txt").write_text(ESSAY, encoding="utf-8")
    scores = write_csv(
        tmp_path, "file,score\nzo\u00eb.txt,3\nPERIOD2/Smith_Bob_12345_essay.txt,4\n"
    )
    training = load_training_set(folder, scores)
    assert sorted(e.relative for e in training.essays) == [
        "period2/smith_bob_12345_essay.txt",
        "zoe\u0308.txt",
    ]


def test_a_blank_score_is_skipped_like_an_unlisted_essay(folder: Path, tmp_path: Path) -> None:
    # QA: one essay not graded yet stopped calibration ("score '' is not a number")
    scores = write_csv(tmp_path, "file,score\nalice.txt,4\nnotes.md,\nnobody.txt,\n")
    training = load_training_set(folder, scores)
    assert [e.relative for e in training.essays] == ["alice.txt"]
    assert training.blank_scores == ((3, "notes.md"), (4, "nobody.txt"))
    assert "notes.md" in training.unscored


@pytest.mark.parametrize(
    "header", ["File Name,Grade", "Filename,Mark", "essay,points", "Student ID,Grade"]
)
def test_common_header_names_are_accepted(folder: Path, tmp_path: Path, header: str) -> None:
    # QA: a spreadsheet's "File Name" and "Grade" were refused
    key = "12345" if header.startswith("Student") else "alice.txt"
    scores = write_csv(tmp_path, f"{header}\n{key},4\n")
    assert [e.score for e in load_training_set(folder, scores).essays] == [4.0]


def test_of_two_score_columns_the_one_with_numbers_is_read_and_named(
    folder: Path, tmp_path: Path
) -> None:
    """QA: `File Name,Grade,Points` with letter grades failed on 'B' ("not a number"),
    the Points column never read."""
    scores = write_csv(tmp_path, "File Name,Grade,Points\nalice.txt,B,42\nnotes.md,,\n")
    training = load_training_set(folder, scores)
    assert [(e.relative, e.score) for e in training.essays] == [("alice.txt", 42.0)]
    assert training.score_column_note == (
        "scores read from the 'points' column ('grade' holds more than numbers, or none)"
    )
    # QA: an empty Grade column counted as one of numbers ("2 score columns hold numbers")
    empty_grade = write_csv(tmp_path, "file,grade,points\nalice.txt,,0\nnotes.md,,3\n")
    assert [e.score for e in load_training_set(folder, empty_grade).essays] == [0.0, 3.0]
    only_score = write_csv(tmp_path, "file,points,score\nalice.txt,B,4\n")  # 'score' wins
    training = load_training_set(folder, only_score)
    assert ([e.score for e in training.essays], training.score_column_note) == ([4.0], "")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "a spreadsheet or document (.xlsx, .ods, .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.xls, .doc)"),
        (b"%PDF-1.7\n", "a PDF"),
    ],
    ids=["xlsx", "xls", "pdf"],
)
def test_a_workbook_given_as_the_scores_says_to_save_it_as_csv(
    folder: Path, tmp_path: Path, data: bytes, kind: str
) -> None:
    """QA: an .xlsx was "binary file, not text (contains NUL bytes)", a .docx "rename it
    to end in .docx" (the essay reader's advice)."""
    scores = tmp_path / "scores.xlsx"
    scores.write_bytes(data + b"\x00" * 64)
    with pytest.raises(InputError) as info:
        load_training_set(folder, scores)
    assert str(info.value).startswith(f"{scores}: {kind}")
    assert str(info.value).endswith(
        "not a CSV file: save the scores file as CSV (in Excel or LibreOffice: Save As, CSV UTF-8)"
    )


@pytest.mark.parametrize("line", ["sep=;", "sep=;;", '"sep=;"'], ids=["plain", "row", "quoted"])
def test_excels_separator_line_is_read(folder: Path, tmp_path: Path, line: str) -> None:
    """QA: a first line "sep=;" (which Excel reads) was taken for the header; saved
    again by a spreadsheet it may be quoted or followed by separators."""
    scores = write_csv(tmp_path, f"{line}\r\nfile;score\r\nalice.txt;3,5\r\nnotes.md;\r\n")
    training = load_training_set(folder, scores)
    assert [(e.relative, e.score, e.line) for e in training.essays] == [("alice.txt", 3.5, 3)]
    assert training.blank_scores == ((4, "notes.md"),)
    no_header = write_csv(tmp_path, "sep=,\nname,mark_total\nalice.txt,3\n")
    with pytest.raises(InputError, match=r"scores.csv: line 2: the header needs"):
        load_training_set(folder, no_header)


def test_windows_paths_and_decimal_ids_match_as_a_spreadsheet_wrote_them(
    folder: Path, tmp_path: Path
) -> None:
    """QA: `period2\\smith_bob_12345_essay.txt` was "no essay" (a roster matched it), and
    an id column a spreadsheet saved as decimals ("12345.0") matched no student."""
    by_file = write_csv(tmp_path, "file,score\n.\\period2\\smith_bob_12345_essay.txt,3\n")
    assert [e.relative for e in load_training_set(folder, by_file).essays] == [
        "period2/smith_bob_12345_essay.txt"
    ]
    by_id = write_csv(tmp_path, "student_id,score\n12345.0,3\n")
    assert [e.relative for e in load_training_set(folder, by_id).essays] == [
        "period2/smith_bob_12345_essay.txt"
    ]


def test_a_score_header_with_its_scale_after_it_is_read(folder: Path, tmp_path: Path) -> None:
    """QA: "Grade (out of 12)", as gradebooks export it, was no score column."""
    scores = write_csv(tmp_path, "File Name,Grade (out of 12),Comment\nalice.txt,9,good\n")
    training = load_training_set(folder, scores)
    assert [(e.relative, e.score) for e in training.essays] == [("alice.txt", 9.0)]


def test_a_totals_row_is_named_as_one(folder: Path, tmp_path: Path) -> None:
    """QA: a spreadsheet's "Class average" row at the bottom read only "empty 'file'"."""
    scores = write_csv(tmp_path, "file,score\nalice.txt,4\n,3.5\n")
    with pytest.raises(InputError, match=r"line 3: empty 'file' \(a totals or average row\?"):
        load_training_set(folder, scores)
