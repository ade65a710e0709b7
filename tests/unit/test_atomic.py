"""Atomic writes: whole files only, with the mode a plain open() would give."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from essaycoach.atomic import write_bytes_atomic, write_text_atomic


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_gets_0666_minus_the_umask(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    os.umask(umask)
    path = tmp_path / "new" / "report.json"
    write_text_atomic(path, "{}\n")
    assert path.read_text(encoding="utf-8") == "{}\n"
    assert mode_of(path) == 0o666 & ~umask


def test_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "gradebook.csv"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)
    write_text_atomic(path, "new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert mode_of(path) == 0o640


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "summary.html"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(TypeError):
        write_bytes_atomic(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.html"]


@pytest.mark.parametrize("target", ["blocker/report.json", "blocker/deeper/report.json"])
def test_a_path_through_a_file_is_an_output_error_naming_both(tmp_path: Path, target: str) -> None:
    from essaycoach.errors import OutputError

    (tmp_path / "blocker").write_text("a file, not a folder\n", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        write_text_atomic(tmp_path / target, "{}")
    assert str(caught.value) == (
        f"{tmp_path / target}: cannot write: {tmp_path / 'blocker'} is a file, not a folder"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


def test_an_unwritable_place_is_an_output_error_with_the_reason(tmp_path: Path) -> None:
    from essaycoach.errors import OutputError

    # /proc takes no new files, even as root (file permissions would not stop root)
    with pytest.raises(OutputError, match=r"^/proc/essaycoach-report\.json: cannot write: "):
        write_text_atomic("/proc/essaycoach-report.json", "{}")


def test_a_folder_name_too_long_is_an_output_error_not_a_crash(tmp_path: Path) -> None:
    from essaycoach.atomic import check_folder_possible
    from essaycoach.errors import OutputError

    path = tmp_path / ("a" * 300) / "report.json"
    check_folder_possible(path)  # cannot tell: leaves it to the write
    with pytest.raises(OutputError, match=r": cannot write: File name too long$"):
        write_text_atomic(path, "{}")
