"""The local LanguageTool server: started once, reused across runs, stopped when idle.

A small watchdog process (`python -m essaycoach.grammar.lt_server`) owns the java
server: it starts it on a free loopback port, warms it up, records pid and port
in a state file, and stops it after an idle timeout, on SIGTERM (`essaycoach
languagetool stop`) or when the java process dies. Java gets SIGTERM if the
watchdog itself is killed (Linux parent-death signal), so no java is orphaned.
Clients mark activity by touching a file; a lock file serialises start-up so
two runs never start two servers.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from essaycoach.errors import EngineError
from essaycoach.grammar import lt_install
from essaycoach.processes import env_seconds, exclusive_lock, process_alive

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_IDLE_TIMEOUT = 1800.0
DEFAULT_START_TIMEOUT = 300.0
_SERVER_CLASS = "org.languagetool.server.HTTPServer"
_WATCHDOG_MODULE = "essaycoach.grammar.lt_server"
_PORT_ATTEMPTS = 3

# Response cache: a re-check after an edit only re-analyses the changed sentences.
_SERVER_PROPERTIES = """\
cacheSize=5000
cacheTTLSeconds=7200
pipelineCaching=true
maxPipelinePoolSize=20
pipelineExpireTimeInSeconds=86400
"""

# Checked once at start-up so the first real essay does not pay for loading the
# rules and compiling the hot paths (tens of seconds on a busy machine).
_WARM_UP_TEXT = (
    "Last summer I go to the seaside with my family and we was very happy. "
    "The hotel were big and their was a swimming pool near to the beach. "
    "In the morning we eated breakfast, then we walked along the promenade. "
    "My brother, who is older then me, wanted to visit the museum; I didnt. "
    "However it rained alot, so we stayed inside and played cards untill dinner. "
    "It is the most best holiday I have ever had, and I would recomend it to everyone."
)


@dataclass(frozen=True)
class ServerState:
    watchdog_pid: int
    java_pid: int
    port: int
    version: str
    status: str  # "starting" or "ready"
    started_at: float
    ready_at: float
    idle_timeout: float

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


# ---------------------------------------------------------------------- file paths


def run_dir() -> Path:
    return lt_install.data_home() / "languagetool-run"


def _state_path() -> Path:
    return run_dir() / "server.json"


def _activity_path() -> Path:
    return run_dir() / "last-used"


def log_path() -> Path:
    return run_dir() / "server.log"


def read_state() -> ServerState | None:
    try:
        data = json.loads(_state_path().read_text(encoding="utf-8"))
        return ServerState(**data)
    except (OSError, ValueError, TypeError):
        return None


def _write_state(state: ServerState) -> None:
    path = _state_path()
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(state)) + "\n", encoding="utf-8")
    temporary.replace(path)


def _remove_state(watchdog_pid: int) -> None:
    state = read_state()
    if state is None or state.watchdog_pid == watchdog_pid:
        with contextlib.suppress(FileNotFoundError):
            _state_path().unlink()


def touch_activity() -> None:
    """Tell the watchdog the server is in use (resets the idle timer)."""
    with contextlib.suppress(OSError):
        _activity_path().touch()


def last_activity(state: ServerState) -> float:
    try:
        return max(_activity_path().stat().st_mtime, state.ready_at)
    except OSError:
        return state.ready_at


# ------------------------------------------------------------------------ processes


def _is_ours(pid: int, marker: str) -> bool:
    """True when pid runs a command line containing `marker` (guards against reused pids)."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.exists():
        return process_alive(pid)  # no /proc (macOS): trust the state file
    try:
        return marker in cmdline.read_bytes().decode(errors="replace")
    except OSError:
        return False


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return True
        time.sleep(0.1)
    return not process_alive(pid)


# the server is on this machine: never through the environment's http_proxy, which would
# receive the warm-up text, and make a healthy server look dead (QA)
_LOOPBACK_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def healthy(port: int, timeout: float = 3.0) -> bool:
    """True when a LanguageTool server answers /v2/languages on the loopback port."""
    try:
        url = f"http://{HOST}:{port}/v2/languages"
        with _LOOPBACK_OPENER.open(url, timeout=timeout) as r:
            return r.status == 200
    except (OSError, ValueError):
        return False


def running_server() -> ServerState | None:
    """The ready local server, if one is running and answering."""
    state = read_state()
    if state is None or state.status != "ready":
        return None
    if not (process_alive(state.java_pid) and _is_ours(state.java_pid, _SERVER_CLASS)):
        return None
    return state if healthy(state.port) else None


def timeouts_from_environment() -> tuple[float, float]:
    """(idle, start) timeouts in seconds from ESSAYCOACH_LANGUAGETOOL_IDLE_TIMEOUT and
    ESSAYCOACH_LANGUAGETOOL_START_TIMEOUT, or their defaults; EngineError naming the
    variable for a bad value, whether or not a server is started."""
    return (
        env_seconds("ESSAYCOACH_LANGUAGETOOL_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
        env_seconds("ESSAYCOACH_LANGUAGETOOL_START_TIMEOUT", DEFAULT_START_TIMEOUT),
    )


def ensure_server(
    idle_timeout: float | None = None, start_timeout: float | None = None
) -> ServerState:
    """Reuse the warm local server or start one in the background (it outlives this process).

    Raises EngineError when LanguageTool is not installed, Java is missing or
    too old, or the server does not come up.
    """
    with exclusive_lock(lt_install.data_folder(run_dir()) / "server.lock"):
        state = running_server()
        if state is not None:
            touch_activity()
            return state
        _stop_stale()
        return _start(idle_timeout, start_timeout)


def _start(idle_timeout: float | None, start_timeout: float | None) -> ServerState:
    installation = lt_install.find_installation()
    if installation is None:
        raise EngineError(
            "LanguageTool is not installed (run `essaycoach languagetool install`; "
            f"looked in {lt_install.install_dir()})"
        )
    lt_install.find_java()  # fail here, in the caller, with a clear reason
    idle_from_env, start_from_env = timeouts_from_environment()
    idle = idle_timeout or idle_from_env
    limit = start_timeout or start_from_env
    # only now, when no error can come first: a wait of 10-20 s must not look like a hang
    logger.info(
        "starting the local LanguageTool server: this run waits for it (10-20 s on a 2-core "
        "machine); later runs reuse it until it has been idle for %.0f minutes",
        idle / 60,
    )
    with contextlib.suppress(FileNotFoundError):
        _state_path().unlink()
    log = open(log_path(), "wb")  # noqa: SIM115 - handed to the child, closed below; one start per log
    try:
        watchdog = subprocess.Popen(
            [sys.executable, "-m", _WATCHDOG_MODULE, "--idle-timeout", str(idle)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,  # Ctrl-C in the terminal does not reach it
            close_fds=True,
        )
    finally:
        log.close()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        state = read_state()
        if state is not None and state.watchdog_pid == watchdog.pid and state.status == "ready":
            touch_activity()
            return state
        if watchdog.poll() is not None:
            raise EngineError(f"LanguageTool server did not start: {_last_error()}")
        time.sleep(0.2)
    _terminate_watchdog(watchdog.pid)
    watchdog.wait(timeout=5)
    raise EngineError(
        f"LanguageTool server did not become ready within {limit:.0f} s "
        f"(raise ESSAYCOACH_LANGUAGETOOL_START_TIMEOUT; log: {log_path()})"
    )


def _last_error() -> str:
    try:
        lines = log_path().read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "no log"
    for line in reversed(lines):
        if line.startswith("error: "):
            return line.removeprefix("error: ")
    return f"see {log_path()}"


def _terminate_watchdog(pid: int) -> None:
    if process_alive(pid) and _is_ours(pid, _WATCHDOG_MODULE):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


def _stop_stale() -> None:
    """Clear a state file left by a server that died or is not answering."""
    state = read_state()
    if state is None:
        return
    _stop(state, timeout=15)


def _stop(state: ServerState, timeout: float) -> None:
    _terminate_watchdog(state.watchdog_pid)
    _wait_gone(state.watchdog_pid, timeout)
    if process_alive(state.java_pid) and _is_ours(state.java_pid, _SERVER_CLASS):
        with contextlib.suppress(ProcessLookupError):
            os.kill(state.java_pid, signal.SIGTERM)
        if not _wait_gone(state.java_pid, timeout):
            with contextlib.suppress(ProcessLookupError):
                os.kill(state.java_pid, signal.SIGKILL)
            _wait_gone(state.java_pid, 5)
    _remove_state(state.watchdog_pid)


def stop_server(timeout: float = 30.0) -> ServerState | None:
    """Stop the local server and its watchdog; returns what was stopped, or None.

    Takes no lock, so it also stops a server that another run is still starting.
    """
    state = read_state()
    if state is None:
        return None
    _stop(state, timeout)
    return state


# ------------------------------------------------------------------------ watchdog


class _Stop(Exception):
    """Raised from the signal handler to unwind the watchdog."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _parent_death_signal() -> None:
    """In the java child: get SIGTERM when the watchdog dies, however it dies (Linux)."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def _java_command(java: str, classpath: str, port: int, config: Path) -> list[str]:
    return [
        java,
        "-Xms256m",
        "-Xmx1g",
        "-Djava.awt.headless=true",
        "-cp",
        classpath,
        _SERVER_CLASS,
        "--port",
        str(port),
        "--config",
        str(config),
    ]  # no --public: LanguageTool then binds to localhost only


def _warm_up(port: int) -> None:
    requests = [
        {"text": _WARM_UP_TEXT, "language": "en-US"},
        # the engine asks the other variant's speller about flagged words
        {
            "text": "colour\n\nrecieve",
            "language": "en-GB",
            "enabledRules": "MORFOLOGIK_RULE_EN_GB",
            "enabledOnly": "true",
        },
    ]
    for fields in requests:
        data = urllib.parse.urlencode(fields).encode()
        with _LOOPBACK_OPENER.open(f"http://{HOST}:{port}/v2/check", data, timeout=900) as reply:
            reply.read()


def _log(message: str) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    print(f"[{stamp}] {message}", flush=True)


def _launch_java(
    java: str, classpath: str, config: Path, start_limit: float
) -> tuple[subprocess.Popen, int]:
    """Start java on a free port and wait until it answers; retries when the port is taken."""
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        port = _free_port()
        _log(f"starting LanguageTool on {HOST}:{port} (attempt {attempt})")
        process = subprocess.Popen(
            _java_command(java, classpath, port, config),
            stdin=subprocess.DEVNULL,
            preexec_fn=_parent_death_signal,
        )
        deadline = time.monotonic() + start_limit
        while time.monotonic() < deadline and process.poll() is None:
            if healthy(port, timeout=2):
                return process, port
            time.sleep(0.25)
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)
            raise RuntimeError(f"LanguageTool did not answer within {start_limit:.0f} s")
        _log(f"java exited with code {process.returncode} (port {port} may be in use)")
    raise RuntimeError(f"java exited {_PORT_ATTEMPTS} times at start-up, see the lines above")


def _stop_java(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def serve(idle_timeout: float) -> int:
    """The watchdog's main loop; returns the process exit code."""

    def on_signal(signum: int, _frame: object) -> None:
        raise _Stop(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    me = os.getpid()
    process: subprocess.Popen | None = None
    try:
        installation = lt_install.find_installation()
        if installation is None:
            raise RuntimeError("LanguageTool is not installed")
        java = lt_install.find_java()
        config = run_dir() / "server.properties"
        config.write_text(_SERVER_PROPERTIES, encoding="utf-8")
        start_limit = env_seconds("ESSAYCOACH_LANGUAGETOOL_START_TIMEOUT", DEFAULT_START_TIMEOUT)
        started = time.time()
        process, port = _launch_java(
            java.path, lt_install.classpath_for(installation), config, start_limit
        )
        state = ServerState(
            me, process.pid, port, installation.version, "starting", started, 0.0, idle_timeout
        )
        _write_state(state)
        if os.environ.get("ESSAYCOACH_LANGUAGETOOL_WARM_UP", "1") != "0":
            _log(f"answering after {time.time() - started:.1f} s; warming up")
            _warm_up(port)
        state = ServerState(**{**asdict(state), "status": "ready", "ready_at": time.time()})
        _write_state(state)
        _log(
            f"ready after {time.time() - started:.1f} s "
            f"(java pid {process.pid}, idle timeout {idle_timeout:.0f} s)"
        )
        poll = min(5.0, max(0.5, idle_timeout / 10))
        while True:
            time.sleep(poll)
            if process.poll() is not None:
                _log(f"error: LanguageTool server exited unexpectedly (code {process.returncode})")
                return 1
            idle = time.time() - last_activity(state)
            if idle >= idle_timeout:
                _log(f"idle for {idle:.0f} s: stopping")
                return 0
    except _Stop as stop:
        _log(f"{stop}: stopping")
        return 0
    except (RuntimeError, OSError, EngineError) as error:
        _log(f"error: {error}")
        return 1
    finally:
        if process is not None:
            _stop_java(process)
        _remove_state(me)


def main(argv: list[str]) -> int:
    idle = DEFAULT_IDLE_TIMEOUT
    if len(argv) == 2 and argv[0] == "--idle-timeout":
        idle = float(argv[1])
    return serve(idle)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
