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
