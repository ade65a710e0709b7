"""Atomic file writes: a reader (or an interrupted run) never sees half a file."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from essaycoach.errors import OutputError


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# read once, at import: changing the umask to read it is not safe once threads run
_UMASK = _current_umask()


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, so that files written together are
    all written: the signal is then raised again, just after them. Only the main thread
    sets signal handlers; elsewhere the block runs as it is. (Blocking the signals with
    pthread_sigmask would not do: the kernel gives a process's signal to another thread.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(signum)
        if handler is not None:  # None: a handler not set from Python, left alone
            previous[signum] = signal.signal(signum, hold)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if caught:
            signal.raise_signal(caught[0])


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over `path`.

    A symbolic link is written through (its target is replaced); a character device
    or named pipe (`/dev/null`, a FIFO) is written to directly, not replaced, and a
    name for one of this process's descriptors (`/dev/stdout`, `/dev/fd/3`, or a link
    to one) is written to through that descriptor.

    The file gets the mode a plain open() would give: an existing file's mode, else
    0666 minus the umask (mkstemp's temporary file is 0600). The folder is created
    if needed. OutputError, naming `path`, when it cannot be written.
    """
    path = Path(path)
    try:
        _write(path, data)
    except BrokenPipeError:  # `-o /dev/stdout | head`: the reader went away, not an error
        raise
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


def check_writable(path: str | Path) -> None:
    """OutputError, naming `path`, if `write_bytes_atomic(path, ...)` would fail for want of
    a folder it may write in: a file standing where a folder must be, a folder at `path`,
    or a folder (the nearest existing one, when the write would create folders) that
    refuses new files. It tries: a temporary file is created there and removed, so
    nothing is left behind. For a long job (calibration) to fail before its work."""
    path = Path(path)
    check_folder_possible(path)
    try:
        target = _through_links(path)
        if _open_descriptor(target) is not None:  # /dev/stdout: written through the descriptor
            return
        status: os.stat_result | None = target.stat()
    except FileNotFoundError:
        status = None
    except OSError as exc:  # a symlink loop, a folder we may not look into
        raise OutputError(f"cannot write: {exc.strerror or exc}", path) from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise OutputError("cannot write: it is a folder", path)
    if status is not None and (stat.S_ISCHR(status.st_mode) or stat.S_ISFIFO(status.st_mode)):
        if not os.access(target, os.W_OK):  # /dev/null, a pipe: written in place, never replaced
            raise OutputError("cannot write: permission denied", path)
        return
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the write creates the missing folders in this one
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path) from None
    os.close(fd)
    os.unlink(probe)


def _write(path: Path, data: bytes) -> None:
    path = _through_links(path)
    descriptor = _open_descriptor(path)
    if descriptor is not None:
        # `-o /dev/stdout`: write to the descriptor itself (a pipe, a terminal, a socket,
        # the file a shell's `>>` appends to); never reopen or rename over it
        if descriptor == 1 and sys.stdout is not None:  # None: started with it closed
            sys.stdout.flush()
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        return
    try:
        status: os.stat_result | None = path.stat()
    except OSError:
        status = None
    if status is not None and (stat.S_ISCHR(status.st_mode) or stat.S_ISFIFO(status.st_mode)):
        # /dev/null, a named pipe: renaming over one would replace the device
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


def _through_links(path: Path) -> Path:
    """`path` with symbolic links followed one at a time (as open() would), stopping at
    a name for an open descriptor: a link to /dev/stdout means this process's stdout,
    not the file the link resolves to at the moment. A dangling link gives the path
    it points to (created by the write); a loop is an OSError, as open() gives."""
    for _ in range(40):
        if _open_descriptor(path) is not None or not path.is_symlink():
            return path
        path = Path(os.path.normpath(path.parent / os.readlink(path)))
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))


def _open_descriptor(path: Path) -> int | None:
    """The descriptor number `path` names (/dev/stdout, /dev/fd/3, /proc/self/fd/3)."""
    name = os.path.normpath(os.path.abspath(path)).replace("//", "/")
    if name in _STANDARD_STREAMS:
        return _STANDARD_STREAMS[name]
    found = _DESCRIPTOR_PATH.fullmatch(name)
    if found is None or found.group("pid") not in (None, "self", "thread-self", str(os.getpid())):
        return None  # another process's descriptor: an ordinary path
    return int(found.group("fd"))


_STANDARD_STREAMS = {"/dev/stdout": 1, "/dev/stderr": 2}
_DESCRIPTOR_PATH = re.compile(r"(?:/dev|/proc/(?P<pid>self|thread-self|\d+))/fd/(?P<fd>\d+)")


# mkstemp's random part of a name: 8 of these characters (tempfile._RandomNameSequence)
_RANDOM_PART = r"[a-z0-9_]{8}"


def temporary_name_pattern(target: str) -> re.Pattern[str]:
    """The names of the temporary files `write_bytes_atomic` makes (".NAME.XXXXXXXX.tmp")
    when writing a file whose name matches the regular expression `target`: for a
    cleanup after an interrupted run, which must remove those and none of the user's
    files (".notes.tmp")."""
    return re.compile(rf"\.(?:{target})\.{_RANDOM_PART}\.tmp")


def write_text_atomic(path: str | Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
