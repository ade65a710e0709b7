"""A roster and copying between students: `grade` in-process, grammar off."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from essaycoach.errors import InputError
from essaycoach.grade import grade
from essaycoach.settings import Settings
from tests.integration.grade_essays import COPIED_ORIGINAL, generate_essay

pytestmark = pytest.mark.integration


def test_a_roster_id_merging_two_students_is_refused_before_any_grading(tmp_path: Path) -> None:
    """Both files would be "bob", whose 100% copy went unreported (pairs of one
    student's files are skipped)."""
    essays = tmp_path / "essays"
    essays.mkdir()
    (essays / "alice.txt").write_text(COPIED_ORIGINAL)
    (essays / "bob.txt").write_text(COPIED_ORIGINAL)
    (essays / "carol.txt").write_text(generate_essay(random.Random(1)))
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,file,name\nbob,alice.txt,Alice Smith\n")
    out = tmp_path / "out"
    with pytest.raises(InputError, match=r"line 2: student_id 'bob' .* the id of bob\.txt"):
        grade(essays, out, Settings(grammar="off"), workers=1, roster_path=roster)
    assert not out.exists()
    outcome = grade(essays, out, Settings(grammar="off"), workers=1)
    assert [(p.a, p.b, round(p.shared_fraction, 2)) for p in outcome.pairs] == [(0, 1, 1.0)]


def test_each_file_of_a_student_is_still_compared_with_other_students(tmp_path: Path) -> None:
    """A draft and a final listed under one id are not a pair, but each is one with a
    classmate who copied it."""
    essays = tmp_path / "essays"
    essays.mkdir()
    draft = COPIED_ORIGINAL.split("\n\n")[0] + "\n"
    (essays / "ann_draft.txt").write_text(draft)
    (essays / "ann_final.txt").write_text(COPIED_ORIGINAL)
    (essays / "ben.txt").write_text(COPIED_ORIGINAL)
    (essays / "cat.txt").write_text(generate_essay(random.Random(2)))
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student_id,file,name\nS1,ann_draft.txt,Ann Lee\nS1,ann_final.txt,Ann Lee\n"
        "S2,ben.txt,Ben Ng\n"
    )
    outcome = grade(
        essays, tmp_path / "out", Settings(grammar="off"), workers=1, roster_path=roster
    )
    results = outcome.batch.results
    pairs = {(results[p.a].file, results[p.b].file) for p in outcome.pairs}
    assert pairs == {("ann_draft.txt", "ben.txt"), ("ann_final.txt", "ben.txt")}


def test_roster_students_without_a_submission_are_gradebook_rows(tmp_path: Path) -> None:
    """A teacher imports the gradebook as the class list: a student who handed in
    nothing was only named in summary.html."""
    import csv

    from click.testing import CliRunner

    from essaycoach.cli import main

    essays = tmp_path / "essays"
    essays.mkdir()
    (essays / "ann.txt").write_text(generate_essay(random.Random(3)))
    (essays / "ben.txt").write_text(generate_essay(random.Random(4)))
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "student_id,file,name\nS1,ann.txt,Ann Lee\nS2,ben.txt,Ben Ng\nS3,cat.txt,Cat Diaz\n"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["grade", str(essays), "--out", str(out), "--grammar", "off", "--roster", str(roster)],
    )
    assert result.exit_code == 0, result.output
    assert "1 student on the roster without a submission" in result.output
    with (out / "gradebook.csv").open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["student_id"], r["status"]) for r in rows] == [
        ("S1", "ok"),
        ("S2", "ok"),
        ("S3", "missing"),
    ]
    missing = rows[-1]
    assert (missing["name"], missing["file"], missing["reason"]) == (
        "Cat Diaz",
        "",
        "no submission",
    )
    assert missing["total_score"] == "" and len(missing) == len(rows[0])
    assert "Cat Diaz" in (out / "summary.html").read_text()
