"""A warm Harper process, so a new `essaycoach check` does not rebuild Harper's dictionary.

Building Harper's `Linter` costs about half a second of CPU in every new
process, the largest part of a cold `check`. The first `check` that wants
Harper starts this server in the background; later runs send their essay to it
over a Unix socket in a private (0700) folder under the data home and get the
same issues back in a few milliseconds plus the lint itself. The server lints
with the same `HarperEngine` as in-process use, so results are identical. It
stops after an idle timeout (`ESSAYCOACH_HARPER_IDLE`, default 900 s) or on
`essaycoach harper stop`.

Essays never leave the machine: the socket is a file only this user can open.
Where Unix sockets are unavailable, or the server is switched off
(`--no-harper-server`, `harper_server = false`, ESSAYCOACH_HARPER_SERVER=0),
Harper runs in the checking process.

Wire format: one JSON object per line each way.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from essaycoach import __version__
from essaycoach.errors import EngineError
from essaycoach.grammar.base import GrammarIssue
from essaycoach.grammar.lt_install import data_folder, data_home
from essaycoach.processes import env_seconds, exclusive_lock, process_alive
from essaycoach.resources import bundled_data

ENABLE_ENV = "ESSAYCOACH_HARPER_SERVER"
IDLE_ENV = "ESSAYCOACH_HARPER_IDLE"
DEFAULT_IDLE_TIMEOUT = 900.0
START_TIMEOUT = 60.0  # the server answers its first request once the dictionary is built
REPLY_TIMEOUT = 120.0
MAX_SOCKET_PATH = 100  # sun_path holds 104-108 bytes depending on the platform
MAX_ENGINES = 4  # distinct accept-word lists kept warm (one per rubric/exemplar in use)
_MODULE = "essaycoach.grammar.harper_server"


@functools.cache
def engine_version() -> str:
    """essaycoach's version plus a digest of the Harper engine's code and rule lists.

    A server started by other code (an upgrade, an edited rule list) is replaced.
    Computed once per process: a server reports the code it started with, not
    what the files on disk say later.
    """
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    for name in ("harper_server.py", "harper_engine.py", "rules.py"):
        digest.update((here / name).read_bytes())
    digest.update(bundled_data("grammar", "harper-unused-rules.txt").read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def server_enabled() -> bool:
    """False when switched off by the environment or on a platform without Unix sockets."""
    if not hasattr(socket, "AF_UNIX") or importlib.util.find_spec("fcntl") is None:
        return False
    return os.environ.get(ENABLE_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def run_dir() -> Path:
    return data_home() / "harper-run"


def socket_path() -> Path:
    return run_dir() / "harper.sock"


def log_path() -> Path:
    return run_dir() / "server.log"


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    version: str
    started_at: float
    requests: int
    idle_timeout: float


# ------------------------------------------------------------------------ client side


def _exchange(request: dict, timeout: float) -> dict:
    """Send one request and return the reply; OSError if no server answers."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(str(socket_path()))
        conn.sendall(json.dumps(request).encode() + b"\n")
        with conn.makefile("rb") as replies:
            line = replies.readline()
    if not line:
        raise ConnectionError("the Harper server closed the connection without answering")
    return json.loads(line)


def server_info(timeout: float = 2.0) -> ServerInfo | None:
    """The running server's details, or None when none answers."""
    try:
        reply = _exchange({"op": "ping"}, timeout)
    except (OSError, ValueError):
        return None
    return ServerInfo(
        reply["pid"], reply["version"], reply["started_at"], reply["requests"], reply["idle"]
    )


def stop_server(timeout: float = 10.0) -> ServerInfo | None:
    """Stop the running server; return what was running, or None."""
    info = server_info()
    if info is None:
        return None
    with contextlib.suppress(OSError, ValueError):
        _exchange({"op": "stop"}, timeout)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process_alive(info.pid):
        time.sleep(0.05)
    if process_alive(info.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(info.pid, signal.SIGTERM)
    return info


def ensure_server() -> None:
    """Make sure a server running this engine code answers (start one if needed).

    It may still be building its dictionary: it answers the first lint when that
    is done. Raises EngineError when no server can be started.
    """
    starting = start_server()
    if starting is not None:
        wait_until_answering(starting)


def start_server() -> int | None:
    """Start a server unless one running this engine code answers; do not wait for it.

    Returns the pid of the server that is starting (ours, or one another check
    started moments ago), or None when one already answers. The caller goes on
    with other work and then calls `wait_until_answering(pid)`.
    """
    if len(str(socket_path())) > MAX_SOCKET_PATH:
        raise EngineError(f"the Harper server socket path is too long: {socket_path()}")
    info = server_info()
    if info is not None and info.version == engine_version():
        return None
    folder = data_folder(run_dir())
    try:
        os.chmod(folder, 0o700)
        return _start_locked()
    except OSError as error:  # another user's folder, a full disk, one made read-only under us
        reason = error.strerror or error
        raise EngineError(f"cannot start the Harper server: {reason}", run_dir()) from None


def _start_locked() -> int | None:
    """`start_server`'s work in the run folder, under its lock."""
    with exclusive_lock(run_dir() / "start.lock"):  # one starter at a time
        info = server_info()
        if info is not None and info.version == engine_version():
            return None
        starting = _starting_pid()
        if info is None and starting is not None:
            return starting  # started moments ago, not listening yet: wait for that one
        if info is not None:  # started by other code (an upgrade, an edited rule list)
            stop_server()
        with open(log_path(), "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", _MODULE, "--idle", str(_idle_timeout())],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # outlives this process; its Ctrl-C does not reach it
                close_fds=True,
            )
        _starting_path().write_text(str(process.pid), encoding="utf-8")
        return process.pid


def _starting_path() -> Path:
    return run_dir() / "starting.pid"


def _starting_pid() -> int | None:
    """The pid of a server started less than START_TIMEOUT ago that is still alive."""
    path = _starting_path()
    try:
        pid = int(path.read_text(encoding="utf-8"))
        age = time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        return None
    return pid if age < START_TIMEOUT and process_alive(pid) else None


def wait_until_answering(pid: int) -> None:
    """Wait for the server `start_server` started (or a rival that won the race)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server_info() is not None:
            return
        if not process_alive(pid):
            if server_info() is not None:  # it lost the race to a rival, which answers
                return
            break
        time.sleep(0.01)
    raise EngineError(f"the Harper server did not start; see {log_path()}")


def _idle_timeout() -> float:
    # under a second, the server would quit between the checks of one batch
    return env_seconds(IDLE_ENV, DEFAULT_IDLE_TIMEOUT, minimum=1.0)


class HarperClient:
    """The `GrammarEngine` interface over the warm Harper server."""

    name = "harper"

    def __init__(self, accept_words: tuple[str, ...] = ()):
        self.accept_words = tuple(sorted({w.strip() for w in accept_words if w.strip()}))
        # the pipeline goes on building its other checks while a new server starts
        self._starting = start_server()

    def check(self, text: str) -> list[GrammarIssue]:
        request = {"op": "lint", "accept_words": list(self.accept_words), "text": text}
        if self._starting is not None:
            starting, self._starting = self._starting, None
            wait_until_answering(starting)
        try:
            reply = _exchange(request, REPLY_TIMEOUT)
        except (OSError, ValueError):
            # the server may have just timed out idle: start a new one, once
            ensure_server()
            try:
                reply = _exchange(request, REPLY_TIMEOUT)
            except (OSError, ValueError) as exc:
                raise EngineError(
                    f"the Harper server stopped answering ({exc}); see {log_path()} "
                    "or use --no-harper-server"
                ) from None
        if "error" in reply:
            raise EngineError(f"the Harper server failed: {reply['error']}")
        return [
            GrammarIssue(
                fields[0], fields[1], fields[2], fields[3], fields[4], tuple(fields[5]), fields[6]
            )
            for fields in reply["issues"]
        ]

    def close(self) -> None:
        """Nothing to release: the server outlives this process on purpose."""


# ------------------------------------------------------------------------ server side


class _Engines:
    """HarperEngines by accept-word list; the first builds the dictionary, the rest are cheap."""

    def __init__(self) -> None:
        self._engines: OrderedDict[tuple[str, ...], object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, accept_words: tuple[str, ...]):
        from essaycoach.grammar.harper_engine import HarperEngine

        with self._lock:
            engine = self._engines.pop(accept_words, None) or HarperEngine(accept_words)
            self._engines[accept_words] = engine
            while len(self._engines) > MAX_ENGINES:
                self._engines.popitem(last=False)
            return engine


class _ServerState:
    """Counters the connection threads share with the accept loop."""

    def __init__(self, idle_timeout: float):
        self.idle_timeout = idle_timeout
        self.started_at = time.time()
        self.requests = 0
        self.stopping = False
        self._active = 0
        self._last_activity = time.monotonic()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def busy(self) -> Iterator[None]:
        with self._lock:
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                self._last_activity = time.monotonic()

    def count_request(self) -> None:
        with self._lock:  # connection threads run at once
            self.requests += 1

    def idle_for(self) -> float:
        with self._lock:
            return 0.0 if self._active else time.monotonic() - self._last_activity


def _answer(request: dict, engines: _Engines, state: _ServerState) -> dict:
    op = request.get("op")
    if op == "ping":
        return {
            "pid": os.getpid(),
            "version": engine_version(),
            "started_at": state.started_at,
            "requests": state.requests,
            "idle": state.idle_timeout,
        }
    if op == "stop":
        state.stopping = True
        return {"stopping": True}
    if op == "lint":
        state.count_request()
        engine = engines.get(tuple(request.get("accept_words", ())))
        issues = engine.check(request["text"])
        return {
            "issues": [
                [i.start, i.end, i.message, i.rule, i.category, list(i.replacements), i.engine]
                for i in issues
            ]
        }
    return {"error": f"unknown request {op!r}"}


def _handle(conn: socket.socket, engines: _Engines, state: _ServerState) -> None:
    """One connection, one request, in its own thread (a ping never waits for a lint)."""
    with conn, state.busy():
        conn.settimeout(REPLY_TIMEOUT)
        try:
            with conn.makefile("rb") as requests:
                request = json.loads(requests.readline() or b"{}")
            reply = _answer(request, engines, state)
        except (ValueError, KeyError, TypeError) as exc:
            reply = {"error": f"bad request: {exc}"}
        except BaseException as exc:  # also a Rust panic: report it, keep serving
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        with contextlib.suppress(OSError):
            conn.sendall(json.dumps(reply).encode() + b"\n")


@contextlib.contextmanager
def _listening(path: Path) -> Iterator[socket.socket | None]:
    """Bind the socket, or yield None when another server already answers on it."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    bound_inode = None
    try:
        with exclusive_lock(run_dir() / "bind.lock"):
            if server_info() is not None:
                yield None
                return
            with contextlib.suppress(FileNotFoundError):
                path.unlink()  # a stale socket left by a server that died
            old_umask = os.umask(0o177)
            try:
                server.bind(str(path))
            finally:
                os.umask(old_umask)
            bound_inode = path.stat().st_ino
            server.listen(16)
        yield server
    finally:
        server.close()
        # remove the socket file only if it is still ours, not a successor's
        with contextlib.suppress(OSError):
            if bound_inode is not None and path.stat().st_ino == bound_inode:
                path.unlink()


ACCEPT_POLL_SECONDS = 0.5


def serve(idle_timeout: float) -> int:
    """Answer requests until idle for `idle_timeout` seconds or asked to stop."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.chdir(run_dir())
    engine_version()  # the code this server runs, fixed before any file can change
    state = _ServerState(idle_timeout)
    with _listening(socket_path()) as server:
        if server is None:
            return 0
        engines = _Engines()
        engines.get(())  # start building the dictionary before the first request arrives
        server.settimeout(ACCEPT_POLL_SECONDS)
        while not state.stopping and state.idle_for() < idle_timeout:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=_handle, args=(conn, engines, state), daemon=True).start()
    return 0


def main(argv: list[str]) -> int:
    idle = DEFAULT_IDLE_TIMEOUT
    if len(argv) == 2 and argv[0] == "--idle":
        idle = float(argv[1])
    return serve(idle)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
