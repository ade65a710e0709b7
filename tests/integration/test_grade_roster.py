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
