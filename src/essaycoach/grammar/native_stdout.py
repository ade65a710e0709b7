"""Keeping harper-py's debug prints out of the process's standard output.

harper-py 0.2.0 prints a debug line straight to file descriptor 1 for some inputs
("gerund_form: -going- -- verb: -go-" for "looking forward to go"), which would
corrupt `--format json` on stdout. Python cannot catch a print from Rust, so while
Harper lints, fd 1 is a pipe whose lines a thread copies to the real stdout, leaving
out Harper's. The redirection is process-wide, so it is shared: the first lint to
start installs it and the last to finish removes it, and other threads' output made
meanwhile still arrives.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import threading
from collections.abc import Iterator

# the debug lines harper-py 0.2.0 prints (its gerund rule); anything else is kept
HARPER_DEBUG_LINE = re.compile(rb"gerund_form: -.*- -- verb: -.*-\n")

_DRAINED = b"\x00essaycoach-stdout-drained\x00\n"


class _Filter:
    """The shared redirection: fd 1 into a pipe while at least one lint runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved: int | None = None
        self._pipe_in = -1
        self._drained = threading.Event()
        self._copier: threading.Thread | None = None

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        with self._lock:
            if self._users == 0:
                self._install()
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0:
                    self._remove()

    def _install(self) -> None:
        # no flush of sys.stdout here or in _remove: from this thread it could send out
        # half of a line another thread is printing, and the halves could then part
        try:
            self._saved = os.dup(1)
        except OSError:  # stdout closed (`check -o report.sarif >&-`): closed again after
            self._saved = None
        # with fd 1 closed the pipe would get it, and the dup2 below close its own end
        pipe_out, self._pipe_in = (_above_stdio(fd) for fd in os.pipe())
        target = os.dup(self._saved) if self._saved is not None else None
        self._drained = threading.Event()
        self._copier = threading.Thread(
            target=_copy_lines,
            args=(pipe_out, target, self._drained),
            name="essaycoach-stdout-filter",
            daemon=True,
        )
        self._copier.start()
        os.dup2(self._pipe_in, 1)

    def _remove(self) -> None:
        try:
            # wait until what was written so far is copied, so it comes before what follows
            os.write(self._pipe_in, _DRAINED)
            self._drained.wait(timeout=5)
        finally:  # fd 1 comes back even when Ctrl-C lands in the wait
            if self._saved is not None:
                os.dup2(self._saved, 1)
                os.close(self._saved)
            else:
                os.close(1)
            # the copying thread ends at the pipe's end of file: at once, or when a child
            # process started meanwhile, which inherited fd 1, closes it. What another
            # thread wrote after the mark is copied now, as soon as possible after it
            os.close(self._pipe_in)
            if self._copier is not None:
                self._copier.join(timeout=0.1)

    def forget_in_child(self) -> None:
        """After a fork: the child has none of the parent's lints, only a lock another
        thread may have held at the fork (its first lint would wait on it for ever). Its
        fd 1 stays the parent's pipe, whose lines the parent copies while the child lives."""
        self._lock = threading.Lock()
        self._users = 0
        self._saved = None
        self._pipe_in = -1
        self._copier = None


def _above_stdio(fd: int) -> int:
    """`fd`, or a copy of it numbered 3 or more when it took a closed 0, 1 or 2."""
    if fd > 2:
        return fd
    copy = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
    os.close(fd)
    return copy


def _copy_lines(pipe_out: int, target: int | None, drained: threading.Event) -> None:
    """Copy the pipe's lines to `target` (None: discard), without Harper's."""
    pending = b""
    with contextlib.ExitStack() as closing:
        closing.callback(os.close, pipe_out)
        if target is not None:
            closing.callback(os.close, target)
        while chunk := os.read(pipe_out, 65536):
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                line += b"\n"
                if line.endswith(_DRAINED):  # after another thread's unfinished line
                    _write(target, line[: -len(_DRAINED)])
                    drained.set()
                else:
                    # Harper's line may land inside another thread's, between its text
                    # and its line break (Python writes them apart): "log line 5gerund_
                    # form: ...\n" then "\n". Cutting it out leaves that line whole
                    _write(target, HARPER_DEBUG_LINE.sub(b"", line))
        _write(target, pending)


def _write(target: int | None, data: bytes) -> None:
    if target is None or not data:
        return
    with contextlib.suppress(OSError):  # the reader went away: its loss, not Harper's
        while data:
            data = data[os.write(target, data) :]


# one per process, as file descriptor 1 is
_FILTER = _Filter()
os.register_at_fork(after_in_child=_FILTER.forget_in_child)


def harper_stdout_filtered() -> contextlib.AbstractContextManager[None]:
    """While in it, harper-py's debug lines on fd 1 are dropped; other output is kept."""
    return _FILTER.active()
