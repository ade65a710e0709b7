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


def test_a_symlink_is_written_through_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target.name)
    write_text_atomic(link, "new\n")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "new\n"


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    write_text_atomic(link, "{}")
    assert link.is_symlink()
    assert (tmp_path / "made.json").read_text(encoding="utf-8") == "{}"


def test_a_named_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_text_atomic(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_character_device_stays_a_device(tmp_path: Path) -> None:
    """A private copy of /dev/null: a failing test must not replace the machine's own."""
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    write_text_atomic(device, "discarded\n")
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "link-to-stdout"])
def test_dev_stdout_appends_to_what_the_shell_opened(tmp_path: Path, name: str) -> None:
    """`essaycoach check ... -o /dev/stdout >> log.txt`: the log keeps its lines, also
    through a link of the user's own (`ln -s /dev/stdout out`)."""
    import subprocess
    import sys

    (tmp_path / "link-to-stdout").symlink_to("/dev/stdout")
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    inode = log.stat().st_ino
    with log.open("ab") as appended:
        subprocess.run(
            [sys.executable, "-c",
             "from essaycoach.atomic import write_text_atomic; "
             f"write_text_atomic({name!r}, 'the report\\n')"],
            stdout=appended, check=True, timeout=60, cwd=tmp_path,
        )  # fmt: skip
    assert log.read_text(encoding="utf-8") == "earlier line\nthe report\n"
    assert log.stat().st_ino == inode  # written to, not replaced


def test_a_symlink_loop_is_an_output_error_and_stays_a_link(tmp_path: Path) -> None:
    from essaycoach.errors import OutputError

    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OutputError, match="cannot write: Too many levels of symbolic links"):
        write_text_atomic(tmp_path / "a", "{}")
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


def test_a_descriptor_open_only_for_reading_is_an_output_error(tmp_path: Path) -> None:
    """`-o /dev/fd/3 3<file`: write to the descriptor itself, which refuses, rather
    than reopening the file the caller meant only to be read."""
    from essaycoach.errors import OutputError

    kept = tmp_path / "kept.txt"
    kept.write_text("read me only\n", encoding="utf-8")
    with (
        kept.open("rb") as readonly,
        pytest.raises(OutputError, match="cannot write: Bad file descriptor"),
    ):
        write_text_atomic(f"/dev/fd/{readonly.fileno()}", "report")
    assert kept.read_text(encoding="utf-8") == "read me only\n"
