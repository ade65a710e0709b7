"""Student ids from LMS export file names, the roster override and unique report names."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from essaycoach.errors import InputError
from essaycoach.grade.batch import plan_students
from essaycoach.grade.discover import Submission
from essaycoach.grade.students import (
    Student,
    file_name_students,
    is_blackboard_receipt,
    load_roster,
    parse_student,
    unique_slugs,
)


@pytest.mark.parametrize(
    "relative,student_id,name,pattern",
    [
        ("smith_john_12345_essay.docx", "12345", "Smith, John", "canvas"),
        ("smithjohn_12345_67890_essay.docx", "12345", "Smithjohn", "canvas"),
        ("smithjohn_late_12345_67890_final essay-1.docx", "12345", "Smithjohn", "canvas"),
        ("müllerzoë_12345_67890_essay.txt", "12345", "Müllerzoë", "canvas"),
        ("MüllerZoë_12345_67890_essay.txt".replace("ü", "u\u0308"), "12345", "Müllerzoë", "canvas"),
        ("smithjohn2_42345_67893_essay.md", "42345", "Smithjohn2", "canvas"),  # Canvas keeps digits
        # text entry and website URL submissions have no attachment id
        ("smithjohn_12345_text.html", "12345", "Smithjohn", "canvas"),
        ("smithjohn_12345_link.html", "12345", "Smithjohn", "canvas"),
        ("smithjohn_LATE_12345_text.html", "12345", "Smithjohn", "canvas"),
        # anonymous grading: the anonymous id in place of name and student id
        ("anon_acJ4Q_67890_essay.docx", "anon_acJ4Q", "", "canvas anonymous"),
        ("LATE_anon_x7Kp2_67891_my_essay.docx", "anon_x7Kp2", "", "canvas anonymous"),
        ("anon_acJ4Q_text.html", "anon_acJ4Q", "", "canvas anonymous"),
        ("anon_12345_67890_essay.docx", "anon_12345", "", "canvas anonymous"),
        ("anon_acJ4Q_text.docx", "anon_acJ4Q_text", "", "file name"),
        ("anon_notes.txt", "anon_notes", "", "file name"),
        # students' own names with digits or dates are not Canvas's
        ("draft2_2024_05_essay.docx", "draft2_2024_05_essay", "", "file name"),
        ("report_v2_2023_05_12.docx", "report_v2_2023_05_12", "", "file name"),
        ("hw3_smith_123_final.txt", "hw3_smith_123_final", "", "file name"),
        ("draft_2024_05_essay.docx", "draft_2024_05_essay", "", "file name"),
        ("smithjohn_12345_textbook.html", "smithjohn_12345_textbook", "", "file name"),
        # "text"/"link" are Canvas's only as its .html files
        ("essay_2024_text.docx", "essay_2024_text", "", "file name"),
        ("unit_101_link.txt", "unit_101_link", "", "file name"),
        ("notes_2024_text.md", "notes_2024_text", "", "file name"),
        # a name with digits needs an attachment id of five digits or more
        ("essay1_2024_100_words.docx", "essay1_2024_100_words", "", "file name"),
        ("unit3_101_500_words.txt", "unit3_101_500_words", "", "file name"),
        ("essay1_2024_20241105_final.docx", "essay1_2024_20241105_final", "", "file name"),
        # a name without digits keeps its Canvas reading, date-like ids or not
        ("smithjohn_2024_20241105_essay.docx", "2024", "Smithjohn", "canvas"),
        ("smithjohn2_2024_31241105_essay.docx", "2024", "Smithjohn2", "canvas"),
        ("smithjohn_١٢٣٤٥_67890_essay.md", "smithjohn_١٢٣٤٥_67890_essay", "", "file name"),
        ("Jane Doe_4242_assignsubmission_file_essay.docx", "4242", "Jane Doe", "moodle"),
        ("Jane  Doe_4242_assignsubmission_file_/My Essay.pdf", "4242", "Jane Doe", "moodle"),
        ("Jane Doe_4242_assignsubmission_onlinetext_onlinetext.html", "4242", "Jane Doe", "moodle"),
        ("Essay 1_jdoe42_attempt_2024-01-01-10-00-00_my essay.docx", "jdoe42", "", "blackboard"),
        ("student_001.txt", "student_001", "", "file name"),
        ("essay_7_draft.txt", "essay_7_draft", "", "file name"),
        # one name part and no attachment id: a course code, not Canvas student 101
        ("english_101_alice.txt", "english_101_alice", "", "file name"),
        ("english_101_bob.txt", "english_101_bob", "", "file name"),
        ("Ann Lee.md", "Ann Lee", "", "file name"),
    ],
)
def test_lms_file_names(relative: str, student_id: str, name: str, pattern: str) -> None:
    student = parse_student(relative)
    assert (student.id, student.name, student.pattern) == (student_id, name, pattern)


@pytest.mark.parametrize(
    "relative,receipt",
    [
        ("Essay_jdoe_attempt_2024-01-01-10-00-00.txt", True),
        ("Essay_jdoe_attempt_2024-01-01-10-00-00_essay.txt", False),
        ("notes.txt", False),
    ],
)
def test_blackboard_receipts(relative: str, receipt: bool) -> None:
    assert is_blackboard_receipt(relative) is receipt


def _subs(*names: str) -> list[Submission]:
    return [Submission(Path(n), n) for n in names]


def test_generic_names_in_folders_are_told_apart() -> None:
    planned = plan_students(_subs("alice/essay.md", "bob/essay.md", "carol.txt"), None)
    assert [s.id for s, _ in planned] == ["alice/essay", "bob/essay", "carol"]
    assert [slug for _, slug in planned] == ["alice-essay", "bob-essay", "carol"]


def test_two_files_of_one_student_get_distinct_report_names() -> None:
    planned = plan_students(
        _subs("smith_john_12345_essay.docx", "smith_john_12345_essay-1.docx"), None
    )
    assert [s.id for s, _ in planned] == ["12345", "12345"]
    assert [slug for _, slug in planned] == ["12345", "12345-2"]


def test_roster_overrides_by_file_and_by_lms_id(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "\ufeffStudent_ID,name,file,lms_id\n"
        "S-001,Ann Lee,ann.txt,\n"
        "S-002,John Smith,,12345\n"
        "S-003,Nobody Submitted,,99999\n",
        encoding="utf-8",
    )
    loaded = load_roster(roster)
    planned = plan_students(_subs("ann.txt", "smith_john_12345_essay.docx", "zed.txt"), loaded)
    assert [(s.id, s.name, s.pattern) for s, _ in planned] == [
        ("S-001", "Ann Lee", "roster"),
        ("S-002", "John Smith", "roster"),
        ("zed", "", "file name"),
    ]
    assert len(loaded.students) == 3


def test_roster_ids_a_spreadsheet_saved_as_decimals_are_whole_numbers(tmp_path: Path) -> None:
    """Saved from a spreadsheet, 12345 becomes "12345.0": it still matches Canvas's
    12345 in the file name, and the gradebook shows the id as typed."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name,lms_id\n900.0,John Smith,12345.0\n", encoding="utf-8")
    planned = plan_students(_subs("smith_john_12345_essay.docx"), load_roster(roster))
    assert [(s.id, s.name, s.pattern) for s, _ in planned] == [("900", "John Smith", "roster")]


def test_roster_maps_canvas_anonymous_ids_to_students(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name,lms_id\nS-009,Ann Lee,anon_acJ4Q\n", encoding="utf-8")
    planned = plan_students(
        _subs("anon_acJ4Q_67890_essay.docx", "anon_Zq81x_67891_essay.docx"), load_roster(roster)
    )
    assert [(s.id, s.name, s.pattern) for s, _ in planned] == [
        ("S-009", "Ann Lee", "roster"),
        ("anon_Zq81x", "", "canvas anonymous"),
    ]


def test_roster_matches_a_macos_zip_name_in_decomposed_unicode(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,file\nS-007,Zoë Essay.docx\n", encoding="utf-8")
    decomposed = unicodedata.normalize("NFD", "period1/ZOË ESSAY.docx")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    planned = plan_students(_subs(decomposed), load_roster(roster))
    assert [(s.id, s.pattern) for s, _ in planned] == [("S-007", "roster")]


def test_roster_file_cells_typed_with_windows_separators_or_dot_slash_match(
    tmp_path: Path,
) -> None:
    """QA: "period1\\carol.txt" and "./dave.txt" matched nothing: both students were
    graded under their file names and listed again as missing."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student_id,file\nC1,period1\\carol.txt\nD1,./dave.txt\nE1,.\\period2\\eve.txt\n",
        encoding="utf-8",
    )
    planned = plan_students(
        _subs("period1/carol.txt", "dave.txt", "period2/eve.txt", "period3/carol.txt"),
        load_roster(roster),
    )
    assert [(s.id, s.pattern) for s, _ in planned] == [
        ("C1", "roster"),
        ("D1", "roster"),
        ("E1", "roster"),
        ("period3/carol", "file name"),  # the path names period1's carol, not this one
    ]


def test_roster_file_cells_with_a_folder_more_or_less_match(tmp_path: Path) -> None:
    """QA: "sub\\period1\\carol.txt" (naming the graded folder too), "\\period1\\dave.txt" and
    "period1/erin.txt" for a zip whose members sit under "export/" matched nothing."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student_id,file\nC1,sub\\period1\\carol.txt\nD1,\\period1\\dave.txt\n"
        "E1,period1/erin.txt\nF1,class/frank.txt\n",
        encoding="utf-8",
    )
    planned = plan_students(
        _subs("period1/carol.txt", "period1/dave.txt", "export/period1/erin.txt", "frank.txt"),
        load_roster(roster),
    )
    assert [(s.id, s.pattern) for s, _ in planned] == [
        ("C1", "roster"),
        ("D1", "roster"),
        ("E1", "roster"),
        ("F1", "roster"),
    ]


def test_a_roster_path_matching_two_submissions_by_its_end_is_refused(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,file\nC1,period1/carol.txt\n", encoding="utf-8")
    loaded = load_roster(roster)
    relatives = ["a/period1/carol.txt", "b/period1/carol.txt"]
    with pytest.raises(InputError, match="matches 2 submissions"):
        loaded.check_unambiguous(relatives)


@pytest.mark.parametrize(
    "content,message",
    [
        ("name,file\nAnn,ann.txt\n", "student_id column"),
        ("student_id,name\nS1,Ann\n", "file or an lms_id column"),
        ("student_id,file\n,ann.txt\n", "empty student_id"),
        ("student_id,file\nS1,ann.txt\nS2,ann.txt\n", "listed for two students"),
        ("student_id,file\nS1,ann.txt,extra,cols\n", "line 2: 4 fields, the header has 2"),
        ("student_id,file\nS1,ann.txt\nS2\n", "line 3: 1 field, the header has 2"),
        ('student_id,file\n"S1,ann.txt\nS2,bob.txt\n', "line 2: 1 field, .*a quote left open"),
        ("", "line 1: the roster is empty"),
    ],
)
def test_bad_rosters_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_roster(roster)
    assert "roster.csv" in str(caught.value)


def test_missing_roster(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such roster"):
        load_roster(tmp_path / "nope.csv")


def test_slugs_keep_letters_of_any_script() -> None:
    slugs = unique_slugs(["山田太郎", "Zoë Müller", "山田太郎", "राहुल शर्मा"])
    assert slugs == ["山田太郎", "Zoë-Müller", "山田太郎-2", "राहुल-शर्मा"]  # vowel signs kept


def test_slugs_differ_on_a_file_system_that_ignores_case() -> None:
    assert unique_slugs(["Aydın", "AYDIN", "Straße", "STRASSE"]) == [
        "Aydın", "AYDIN-2", "Straße", "STRASSE-2",
    ]  # fmt: skip


def test_a_long_name_in_a_wide_script_stays_under_the_file_name_limit() -> None:
    """80 Japanese characters are 240 bytes: with ".html" and the temporary file's
    ".NAME.XXXXXXXX.tmp" they would pass the 255-byte limit and stop the batch."""
    (slug,) = unique_slugs(["エ" * 80])
    assert len(slug.encode("utf-8")) <= 120 and slug == "エ" * 40


def test_unique_slugs_are_safe_file_names() -> None:
    assert unique_slugs(["Ann Lee", "ann lee", "../etc/passwd", "", "a/b"]) == [
        "Ann-Lee",
        "ann-lee-2",
        "etc-passwd",
        "submission",
        "a-b",
    ]


@pytest.mark.parametrize(
    "data",
    [
        "student_id,name,file\nS1,Zoé,ann.txt\n".encode("cp1252"),  # Excel "CSV" on Windows
        "student_id\tname\tfile\nS1\tZoé\tann.txt\n".encode("utf-16"),  # "Unicode text"
        "student_id;name;file\nS1;Zoé;ann.txt\n".encode(),  # Excel with a decimal comma
        "Student ID,Name,File\nS1,Zoé,ann.txt\n".encode("utf-8-sig"),
        'student_id;name;file;"notes, if any"\nS1;Zoé;ann.txt;\n'.encode(),
        "student_id\tname\tfile\tnotes; misc\nS1\tZoé\tann.txt\t\n".encode(),
        "student_id,name,file,notes (late; resubmitted; absent)\nS1,Zoé,ann.txt,\n".encode(),
    ],
    ids=[
        "cp1252",
        "utf-16-tabs",
        "semicolons",
        "spaced-header",
        "quoted-comma",
        "tab-and-;",
        "comma-and-;",
    ],
)
def test_rosters_as_spreadsheets_save_them(tmp_path: Path, data: bytes) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_bytes(data)
    planned = plan_students(_subs("ann.txt"), load_roster(roster))
    assert [(s.id, s.name, s.pattern) for s, _ in planned] == [("S1", "Zoé", "roster")]


def test_a_bare_roster_file_name_matching_two_folders_is_refused(tmp_path: Path) -> None:
    """Both carols would become one student, and copying between them would be hidden."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name,file\nP1-08,Dan,dan.txt\nP1-07,Carol,carol.txt\n")
    subs = _subs("period1/carol.txt", "period2/carol.txt", "period1/dan.txt")
    with pytest.raises(InputError) as caught:
        plan_students(subs, load_roster(roster))
    assert str(caught.value) == (
        f"{roster}: line 3: file 'carol.txt' matches 2 submissions (period1/carol.txt, "
        "period2/carol.txt); give each its path in the export (folder/file) in the roster"
    )
    # one at the top matches by its whole path, the other by name: the same student twice
    top = _subs("carol.txt", "period2/carol.txt")
    with pytest.raises(InputError, match=r"'carol.txt' matches 2 submissions \(carol.txt, "):
        plan_students(top, load_roster(roster))
    roster.write_text("student_id,file\nP1-07,period1/carol.txt\nP2-03,period2/carol.txt\n")
    planned = plan_students(subs, load_roster(roster))
    assert [s.id for s, _ in planned] == ["P1-07", "P2-03", "dan"]


def test_one_student_id_with_two_names_is_refused_naming_the_second_row(tmp_path: Path) -> None:
    """A typo'd id would make two students one (and hide copying between them)."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student_id,name,file\nS1,Ann Lee,ann.txt\nS2,Bob Stone,bob.txt\nS1,Carol Diaz,carol.txt\n"
    )
    with pytest.raises(InputError) as caught:
        load_roster(roster)
    assert str(caught.value) == (
        f"{roster}: line 4: student_id 'S1' is 'Ann Lee' on line 2 and 'Carol Diaz' here: "
        "give each student their own id"
    )
    roster.write_text("student_id,name,file\nS1,,ann.txt\nS1,Carol Diaz,carol.txt\n")
    with pytest.raises(InputError, match="line 3: student_id 'S1' is unnamed on line 2 and "):
        load_roster(roster)


def test_one_student_on_two_rows_with_one_name_is_one_student(tmp_path: Path) -> None:
    """A draft and a final listed by file (or by two LMS ids): spelling of the name aside."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student_id,name,file,lms_id\n"
        "S1,Ann Lee,draft.txt,\n"
        "S1,ann  LEE,final.txt,\n"
        "S1,Ann Lee,,12345\n"
        "S2,Bob Stone,,99999\n"
        "S2,Bob Stone,,99999\n"
    )
    loaded = load_roster(roster)
    assert loaded.students == (
        Student("S1", "Ann Lee", "roster"),
        Student("S2", "Bob Stone", "roster"),
    )
    planned = plan_students(_subs("draft.txt", "final.txt", "lee_ann_12345_essay.txt"), loaded)
    assert [(s.id, s.name) for s, _ in planned] == [("S1", "Ann Lee")] * 3
    assert [slug for _, slug in planned] == ["S1", "S1-2", "S1-3"]


def test_generic_names_differing_in_case_are_told_apart_too() -> None:
    planned = plan_students(_subs("a/essay.txt", "b/Essay.txt"), None)
    assert [s.id for s, _ in planned] == ["a/essay", "b/Essay"]
    # compared as report names are (case folded, file_system_key), not just lower-cased
    planned = plan_students(_subs("a/Straße.txt", "b/STRASSE.txt", "c/Aydın.txt"), None)
    assert [s.id for s, _ in planned] == ["a/Straße", "b/STRASSE", "Aydın"]


def test_a_roster_id_that_another_submission_has_from_its_file_name_is_refused(
    tmp_path: Path,
) -> None:
    """A "bob" typed for alice.txt would make alice.txt and bob.txt one student, and
    copying between them (pairs of one student's files are skipped) would be hidden."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,file,name\nbob,alice.txt,Alice Smith\n")
    with pytest.raises(InputError) as caught:
        plan_students(_subs("alice.txt", "bob.txt", "carol.txt"), load_roster(roster))
    assert str(caught.value) == (
        f"{roster}: line 2: student_id 'bob' (given to alice.txt) is also the id of bob.txt, "
        "a submission the roster does not list: correct the id, or add bob.txt to the roster "
        "if it is this student's"
    )
    # listing both files under one id is one student on purpose: a draft and a final
    roster.write_text("student_id,file,name\nbob,alice.txt,Alice Smith\nbob,bob.txt,Alice Smith\n")
    planned = plan_students(_subs("alice.txt", "bob.txt", "carol.txt"), load_roster(roster))
    assert [s.id for s, _ in planned] == ["bob", "bob", "carol"]


@pytest.mark.parametrize(
    "rows,subs,message",
    [
        # a row matched by its LMS id, and an LMS id that another export file gives
        (
            "S9,Carol Diaz,,12345\n",
            ("smith_john_12345_essay.docx", "S9.txt"),
            "line 2: student_id 'S9' (given to smith_john_12345_essay.docx) is also the id "
            "of S9.txt,",
        ),
        (
            "12345,Carol Diaz,carol.txt,\n",
            ("carol.txt", "smith_john_12345_essay.docx"),
            "line 2: student_id '12345' (given to carol.txt) is also the id of "
            "smith_john_12345_essay.docx,",
        ),
        # generic names told apart by their folders: the id is the path's
        (
            "S1,Ann Lee,ann.txt,\nalice/essay,Bob Stone,bob/essay.md,\n",
            ("alice/essay.md", "bob/essay.md", "ann.txt"),
            "line 3: student_id 'alice/essay' (given to bob/essay.md) is also the id of "
            "alice/essay.md,",
        ),
        # a roster student without a submission would hide that bob.txt is someone else's
        (
            "bob,Alice Smith,alice.txt,\n",
            ("bob.txt",),
            "line 2: student_id 'bob' is also the id of bob.txt,",
        ),
    ],
    ids=["by-lms-id", "lms-id-of-another", "generic-names", "no-submission"],
)
def test_roster_ids_clashing_with_file_name_ids_are_refused(
    tmp_path: Path, rows: str, subs: tuple[str, ...], message: str
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name,file,lms_id\n" + rows)
    with pytest.raises(InputError) as caught:
        plan_students(_subs(*subs), load_roster(roster))
    assert str(caught.value).startswith(f"{roster}: {message}")


def test_roster_ids_that_no_other_submission_has_are_accepted(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,file\nessay,bob/essay.md\nBob,carol.txt\n")
    planned = plan_students(
        _subs("alice/essay.md", "bob/essay.md", "carol.txt", "bob.txt"), load_roster(roster)
    )
    # "Bob" and "bob" are two students (two report names, and their pair is checked)
    assert [s.id for s, _ in planned] == ["alice/essay", "essay", "Bob", "bob"]


def test_generic_file_names_are_told_apart_by_their_folders() -> None:
    relatives = [
        "a/essay.txt",
        "b/Essay.txt",  # case-blind, as report names are
        "c/notes.md",
        "smith_john_12345_essay.docx",
        "period.1/essay",  # a dot in a folder name is no extension
        "carol.txt",
    ]
    assert [s.id for s in file_name_students(relatives)] == [
        "a/essay",
        "b/Essay",
        "notes",
        "12345",
        "period.1/essay",
        "carol",
    ]
