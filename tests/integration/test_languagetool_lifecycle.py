"""The local server's life: reuse across processes, status, restart, stop, Ctrl-C, idle timeout.

Each test runs its own server under a temporary ESSAYCOACH_HOME (sharing the real
install through ESSAYCOACH_LANGUAGETOOL_DIR), so stopping it does not disturb
the session's warm server. Warm-up is skipped to keep these starts short.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from essaycoach.cli.languagetool_cmd import languagetool_group
from essaycoach.errors import EngineError
from essaycoach.grammar import lt_install, lt_server
from essaycoach.grammar.languagetool import open_languagetool
from tests.fixtures.processes import foreground_job

pytestmark = [pytest.mark.integration, pytest.mark.languagetool]

EXEMPLAR = Path(__file__).resolve().parents[2] / "examples" / "never-let-me-go.txt"

OPEN_AND_REPORT = (
    "from essaycoach.grammar.languagetool import open_languagetool\n"
    "from essaycoach.grammar import lt_server\n"
    "engine = open_languagetool(None, ())\n"
    "print(lt_server.read_state().java_pid, engine.description)\n"
)


@pytest.fixture
def private_home(
    require_languagetool: lt_install.Installation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path / "home"
    monkeypatch.setenv("ESSAYCOACH_HOME", str(home))
    monkeypatch.setenv("ESSAYCOACH_LANGUAGETOOL_DIR", str(require_languagetool.directory))
    monkeypatch.setenv("ESSAYCOACH_LANGUAGETOOL_WARM_UP", "0")
    monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_URL", raising=False)
    yield home
    lt_server.stop_server()
    assert _java_servers_under(home) == []


def _java_servers_under(home: Path) -> list[int]:
    """Pids of LanguageTool java processes whose config file lies under `home`."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if (
            "org.languagetool.server.HTTPServer" in cmdline
            and str(home) in cmdline
            and state != "Z"
        ):
            pids.append(int(entry.name))
    return pids


def _run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_reuse_status_restart_and_stop(private_home: Path) -> None:
    first_pid, first_description = _run_python(OPEN_AND_REPORT).split(" ", 1)
    second_pid, second_description = _run_python(OPEN_AND_REPORT).split(" ", 1)
    assert "(started)" in first_description
    assert second_pid == first_pid and "(warm)" in second_description
    assert _java_servers_under(private_home) == [int(first_pid)]

    runner = CliRunner()
    status = runner.invoke(languagetool_group, ["status"])
    assert status.exit_code == 0
    assert "server: running at http://127.0.0.1:" in status.output
    assert f"pid {first_pid}" in status.output

    # The server dies mid-batch: the engine restarts it and the check still answers.
    engine = open_languagetool(None, ())
    os.kill(int(first_pid), signal.SIGKILL)
    assert _wait(lambda: int(first_pid) not in _java_servers_under(private_home), 10)
    assert [i.rule for i in engine.check("He go to school.")] == ["HE_VERB_AGR"]
    assert "(restarted)" in engine.description
    restarted = lt_server.read_state()
    assert restarted is not None and restarted.java_pid != int(first_pid)

    stop = runner.invoke(languagetool_group, ["stop"])
    assert stop.exit_code == 0 and f"was pid {restarted.java_pid}" in stop.output
    assert _java_servers_under(private_home) == []
    assert not lt_server.process_alive(restarted.watchdog_pid)
    assert "server: not running" in runner.invoke(languagetool_group, ["status"]).output


def test_check_says_it_is_starting_the_server_only_when_it_does(private_home: Path) -> None:
    command = [sys.executable, "-m", "essaycoach", "check", str(EXEMPLAR), "--grammar", "both"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert first.returncode == 0, first.stderr
    assert "starting the local LanguageTool server" in first.stderr
    second = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert second.returncode == 0, second.stderr
    assert "starting the local LanguageTool server" not in second.stderr


def test_a_bad_rubric_is_the_only_line_and_starts_no_server(
    private_home: Path, tmp_path: Path
) -> None:
    rubric = tmp_path / "bad.toml"
    rubric.write_text("id = \n", encoding="utf-8")
    command = [sys.executable, "-m", "essaycoach", "check", str(EXEMPLAR), "--rubric", str(rubric)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(rubric) in lines[0], result.stderr
    assert lt_server.read_state() is None and _java_servers_under(private_home) == []


def test_ctrl_c_during_start_leaves_a_server_that_stops_when_idle(
    private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESSAYCOACH_LANGUAGETOOL_IDLE_TIMEOUT", "3")
    client = subprocess.Popen(
        [sys.executable, "-c", OPEN_AND_REPORT],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **foreground_job(),
    )
    assert _wait(lambda: bool(_java_servers_under(private_home)), 120), "java never started"
    os.killpg(client.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
    client.wait(timeout=30)
    assert client.returncode != 0
    # The watchdog finishes the start, then stops java after 3 idle seconds.
    assert _wait(lambda: not _java_servers_under(private_home), 240)
    assert _wait(lambda: lt_server.read_state() is None, 10)


def test_missing_install_is_a_clear_engine_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESSAYCOACH_HOME", str(tmp_path))
    monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_DIR", raising=False)
    monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_URL", raising=False)
    with pytest.raises(EngineError, match="LanguageTool is not installed"):
        open_languagetool(None, ())
    status = CliRunner().invoke(languagetool_group, ["status"])
    assert status.exit_code == 0 and "installed: no" in status.output


def test_unreachable_configured_url_is_a_clear_engine_error() -> None:
    with pytest.raises(EngineError, match=r"LanguageTool server at http://127.0.0.1:9/"):
        open_languagetool("http://127.0.0.1:9/", ())


@pytest.mark.parametrize(
    ("required", "exit_code", "outcome"), [("0", 0, "1 skipped"), ("1", 1, "1 error")]
)
def test_missing_languagetool_skips_unless_required(
    tmp_path: Path, required: str, exit_code: int, outcome: str
) -> None:
    env = {
        **os.environ,
        "ESSAYCOACH_HOME": str(tmp_path),
        "ESSAYCOACH_REQUIRE_LANGUAGETOOL": required,
    }
    env.pop("ESSAYCOACH_LANGUAGETOOL_DIR", None)
    engine_tests = Path(__file__).with_name("test_languagetool_engine.py")
    test = f"{engine_tests}::test_configured_url_is_used_as_given"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", test],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == exit_code, done.stdout
    assert outcome in done.stdout
    assert "LanguageTool is not installed" in done.stdout
