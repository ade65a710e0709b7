"""Folders the user may not read, refused by their real permissions, end to end
(as root, under setpriv: tests/integration/permissions.py)."""

from __future__ import annotations

import csv
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.fixtures.calibration import write_class
from tests.fixtures.processes import run_essaycoach
from tests.integration.grade_essays import generate_class
from tests.integration.permissions import held_to_permissions

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.name != "posix", reason="POSIX file permissions"),
]

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}
Chmod = Callable[[Path, int], None]
UNREADABLE_FOLDER = "cannot read folder: Permission denied; its files were not graded"


@pytest.fixture(scope="module")
def unprivileged(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The argv prefix that runs a command held to file permissions."""
    return held_to_permissions(tmp_path_factory.mktemp("probe"))


@pytest.fixture
def chmod() -> Iterator[Chmod]:
    """chmod(path, mode), undone after the test (pytest must be able to remove it)."""
    changed: list[tuple[Path, int]] = []

    def change(path: Path, mode: int) -> None:
        changed.append((path, path.stat().st_mode))
        path.chmod(mode)

    yield change
    for path, mode in reversed(changed):
        path.chmod(mode)


def run(prefix: list[str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_essaycoach(*args, env=ENV, prefix=prefix)


def grade_args(folder: Path, out: Path) -> list[str | Path]:
    return ["grade", folder, "--out", out, "--grammar", "off", "--workers", "1"]


def write_periods(folder: Path) -> None:
    """period1/ann.txt, period2/bob.txt, period3/carol.txt."""
    texts = generate_class(3, seed=5)
    for period, (name, text) in enumerate(zip(["ann", "bob", "carol"], texts, strict=True), 1):
        (folder / f"period{period}").mkdir(parents=True)
        (folder / f"period{period}" / f"{name}.txt").write_text(text, encoding="utf-8")


def read_rows(path: Path) -> dict[str, tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {r["student_id"]: (r["status"], r["reason"]) for r in csv.DictReader(handle)}


@pytest.mark.parametrize("mode", [0o000, 0o444], ids=["000", "444"])
def test_grade_fails_the_row_of_a_subfolder_it_may_not_read(
    unprivileged: list[str], chmod: Chmod, tmp_path: Path, mode: int
) -> None:
    """Looking for an earlier grade output in it raised PermissionError: a traceback and
    no gradebook. 444 lists the names but no file in it can be opened."""
    folder, out = tmp_path / "class", tmp_path / "out"
    write_periods(folder)
    chmod(folder / "period2", mode)
    result = run(unprivileged, *grade_args(folder, out))
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr  # as for any failed row
    assert read_rows(out / "gradebook.csv") == {
        "ann": ("ok", ""),
        "period2": ("failed", UNREADABLE_FOLDER),
        "carol": ("ok", ""),
    }
    assert f"essaycoach: failed: period2: {UNREADABLE_FOLDER}" in result.stderr


@pytest.mark.parametrize(
    ("locked", "mode", "message"),
    [
        ("class", 0o000, "is not readable"),  # click checks the path first
        ("class", 0o444, "cannot read the folder: Permission denied"),
        (".", 0o000, "cannot read: Permission denied"),  # the folder holding it
    ],
    ids=["000", "444", "parent-000"],
)
def test_grade_refuses_a_submissions_folder_it_may_not_read_in_one_line(
    unprivileged: list[str],
    chmod: Chmod,
    tmp_path: Path,
    locked: str,
    mode: int,
    message: str,
) -> None:
    parent = tmp_path / "term"
    folder, out = parent / "class", tmp_path / "out"
    write_periods(folder)
    chmod(parent / locked, mode)
    result = run(unprivileged, *grade_args(folder, out))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("essaycoach: error: ") and str(folder) in line and message in line
    assert not out.exists()


@pytest.mark.parametrize("mode", [0o000, 0o444], ids=["000", "444"])
def test_calibrate_leaves_out_an_unscored_subfolder_it_may_not_read(
    unprivileged: list[str], chmod: Chmod, tmp_path: Path, mode: int
) -> None:
    """It raised PermissionError, a traceback, as `grade` did."""
    folder, scores, model = tmp_path / "graded", tmp_path / "scores.csv", tmp_path / "m.json"
    essays = write_class(folder, scores)
    (folder / "period2").mkdir()
    (folder / "period2" / "bob.txt").write_text(generate_class(1)[0], encoding="utf-8")
    chmod(folder / "period2", mode)
    result = run(unprivileged, "calibrate", folder, "--scores", scores, "--out", model)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Calibrated on {len(essays)} essays")
    assert model.is_file()


def test_calibrate_names_the_folder_it_may_not_read_for_a_scored_essay_in_it(
    unprivileged: list[str], chmod: Chmod, tmp_path: Path
) -> None:
    """It said "no essay 'period2/bob.txt' in graded", as if the essay were not there."""
    folder, scores, model = tmp_path / "graded", tmp_path / "scores.csv", tmp_path / "m.json"
    write_class(folder, scores)
    (folder / "period2").mkdir()
    (folder / "period2" / "bob.txt").write_text(generate_class(1)[0], encoding="utf-8")
    with scores.open("a", encoding="utf-8") as handle:
        handle.write("period2/bob.txt,3\n")
    line = len(scores.read_text(encoding="utf-8").splitlines())
    chmod(folder / "period2", 0o000)
    result = run(unprivileged, "calibrate", folder, "--scores", scores, "--out", model)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"essaycoach: error: {scores}: line {line}: 'period2/bob.txt' is in a folder that "
        f"cannot be read, {folder / 'period2'} (Permission denied)"
    ]
    assert not model.exists()


@pytest.mark.parametrize("mode", [0o000, 0o555], ids=["000", "555"])
def test_grade_refuses_an_out_it_may_not_reach_or_write_in_one_line(
    unprivileged: list[str], chmod: Chmod, tmp_path: Path, mode: int
) -> None:
    """--out inside a folder the user may not search (000) or write (555): looking for
    an earlier output there raised PermissionError, a traceback."""
    folder, locked = tmp_path / "class", tmp_path / "locked"
    write_periods(folder)
    locked.mkdir()
    chmod(locked, mode)
    result = run(unprivileged, *grade_args(folder, locked / "out"))
    assert "Traceback" not in result.stderr
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and str(locked / "out") in lines[0], result.stderr
    assert "Permission denied" in lines[0], result.stderr
