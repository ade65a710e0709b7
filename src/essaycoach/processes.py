"""Process checks shared by the background servers (LanguageTool's watchdog, Harper)."""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from pathlib import Path

from essaycoach.errors import EngineError


def env_seconds(name: str, default: float, minimum: float = 0.0) -> float:
    """A duration from environment variable `name`: finite, positive, at least `minimum`.

    Unset or empty gives `default`; anything else ("soon", "nan", "inf", "-5") is an
    EngineError naming the variable, not a silent default.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise EngineError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not math.isfinite(value) or value <= 0 or value < minimum:
        bound = f"at least {minimum:g}" if minimum else "positive"
        raise EngineError(f"{name} must be a number of seconds, {bound}, not {raw!r}")
    return value


def process_alive(pid: int) -> bool:
    """True while `pid` runs; a zombie (exited, not yet reaped) counts as gone."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True  # no /proc (macOS): kill(0) said it exists


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file `path` (created if missing) for the block."""
    import fcntl  # POSIX only: imported here so that this module imports everywhere

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
