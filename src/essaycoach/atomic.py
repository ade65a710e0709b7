"""Atomic file writes: a reader (or an interrupted run) never sees half a file."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from essaycoach.errors import OutputError


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# read once, at import: changing the umask to read it is not safe once threads run
_UMASK = _current_umask()


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over `path`.

    A symbolic link is written through (its target is replaced); a character device
    or named pipe (`/dev/null`, a FIFO) is written to directly, not replaced, and an
    open descriptor (`/dev/stdout`, `/dev/fd/3`) is appended to.

    The file gets the mode a plain open() would give: an existing file's mode, else
    0666 minus the umask (mkstemp's temporary file is 0600). The folder is created
    if needed. OutputError, naming `path`, when it cannot be written.
    """
    path = Path(path)
    try:
        _write(path, data)
    except OSError as exc:
        check_folder_possible(path)  # mkdir says only "File exists" for this one
        raise OutputError(f"cannot write: {exc.strerror or exc}", path) from None


def check_folder_possible(path: str | Path) -> None:
    """OutputError if `path` could never be written because a file stands where a folder
    must be: lets a long job (calibration) fail before its work, not after."""
    path = Path(path)
    for parent in path.parents:
        try:
            if not parent.exists():
                continue
            is_folder = parent.is_dir()
        except OSError:  # a name too long, a folder we may not look into: the write says
            return
        if not is_folder:
            raise OutputError(f"cannot write: {parent} is a file, not a folder", path)
        return


def _write(path: Path, data: bytes) -> None:
    if _names_an_open_descriptor(path):
        # `-o /dev/stdout`: the descriptor may be a pipe, a terminal or the file a shell's
        # `>>` appends to; write where it points, appending, never rename over it
        with open(path, "ab") as handle:
            handle.write(data)
        return
    if path.is_symlink():  # write through the link, as open() would, not over it
        try:
            path = Path(os.path.realpath(path, strict=True))  # a loop: OSError, as open()
        except FileNotFoundError:
            path = Path(os.path.realpath(path))  # a dangling link: create its target
    try:
        status: os.stat_result | None = path.stat()
    except OSError:
        status = None
    if status is not None and (stat.S_ISCHR(status.st_mode) or stat.S_ISFIFO(status.st_mode)):
        # /dev/null, /dev/stdout, a named pipe: renaming over one would replace the device
        with open(path, "wb") as handle:
            handle.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = status.st_mode & 0o7777 if status is not None else 0o666 & ~_UMASK
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _names_an_open_descriptor(path: Path) -> bool:
    name = os.path.abspath(path)
    return name in ("/dev/stdout", "/dev/stderr") or bool(_DESCRIPTOR_PATH.match(name))


_DESCRIPTOR_PATH = re.compile(r"/dev/fd/\d+$|/proc/(?:self|thread-self|\d+)/fd/\d+$")


def write_text_atomic(path: str | Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
