"""A .docx that unpacks to far more than its size (a zip bomb) is refused in one line
by `check` and fails its own row in `grade`, quickly and with little memory."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.fixtures.office import PARAGRAPH, docx_with_body
from tests.fixtures.processes import run_essaycoach
from tests.integration.grade_essays import generate_class

pytestmark = pytest.mark.integration

REFUSAL = "too large when unpacked: word/document.xml is 35 MB unpacked; over 25 MB is refused"


def test_check_refuses_a_docx_bomb_in_one_line(tmp_path: Path) -> None:
    path = docx_with_body(tmp_path / "bomb.docx", PARAGRAPH * 400_000)
    result = run_essaycoach("check", path, "--grammar", "off")
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"essaycoach: error: {path}: {REFUSAL}\n"
    assert result.stdout == ""


def test_grade_fails_a_docx_bombs_row_once_and_grades_the_others(tmp_path: Path) -> None:
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    (folder / "ann.txt").write_text(generate_class(1, seed=21)[0], encoding="utf-8")
    docx_with_body(folder / "bomb.docx", PARAGRAPH * 400_000)
    args = ("grade", folder, "--out", out, "--grammar", "harper", "--workers", "1")
    result = run_essaycoach(*args)
    assert result.returncode == 1, result.stderr  # some files failed
    assert "Traceback" not in result.stderr
    assert f"essaycoach: failed: bomb.docx: {REFUSAL}" in result.stderr
    with (out / "gradebook.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["student_id"]: (r["status"], r["reason"]) for r in csv.DictReader(handle)}
    assert rows == {"ann": ("ok", ""), "bomb": ("failed", REFUSAL)}
    # the refusal is cached: a rerun does not unpack the file again
    again = run_essaycoach(*args)
    assert "2 submissions (0 processed now, 2 unchanged since the last run)" in again.stderr
