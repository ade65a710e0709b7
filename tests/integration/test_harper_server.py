"""The warm Harper server: same issues as in-process Harper, reused, private, stoppable.

Real Harper in a real background process, under a temporary ESSAYCOACH_HOME.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from essaycoach.cli import main
from essaycoach.grammar import harper_server
from essaycoach.grammar.harper_engine import HarperEngine
from essaycoach.processes import process_alive

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
ESSAY = REPO / "examples" / "grammar-errors.txt"
CHECK = (sys.executable, "-m", "essaycoach", "check", str(ESSAY), "--grammar", "harper")


@pytest.fixture
def server_home(monkeypatch):
    # a short path: a Unix socket path must fit in about 100 bytes
    home = Path(tempfile.mkdtemp(prefix="ec-"))
    monkeypatch.setenv("ESSAYCOACH_HOME", str(home))
    monkeypatch.setenv(harper_server.ENABLE_ENV, "1")
    monkeypatch.delenv(harper_server.IDLE_ENV, raising=False)
    try:
        yield home
    finally:
        info = harper_server.stop_server()
        if info is not None:
            assert not process_alive(info.pid)
        shutil.rmtree(home, ignore_errors=True)


def _check_json(*extra: str) -> dict:
    completed = subprocess.run(
        [*CHECK, "--format", "json", *extra],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def _grammar(report: dict) -> dict:
    return (report["reports"][0] if "reports" in report else report)["grammar"]


def _same(issues) -> list[tuple]:
    """What an issue says, ignoring order within Harper's suggestion lists.

    Harper builds some messages and suggestion lists from hash sets, whose order
    differs from one process to the next ("chose or chosen" / "chosen or chose").
    """
    return sorted(
        (i.start, i.end, i.rule, i.category, tuple(sorted(i.replacements))) for i in issues
    )


def _same_json(grammar: dict) -> list[tuple]:
    return sorted(
        (i["start"], i["end"], i["rule"], i["category"], tuple(sorted(i["replacements"])))
        for i in grammar["issues"]
    )


def test_client_finds_the_same_issues_as_in_process_harper(server_home):
    text = ESSAY.read_text(encoding="utf-8")
    accept = ("Kathy", "Hailsham")
    remote = harper_server.HarperClient(accept).check(text)
    local = HarperEngine(accept).check(text)
    assert len(local) > 5
    assert _same(remote) == _same(local)


def test_later_checks_reuse_one_server_and_report_the_same(server_home):
    first = _check_json()
    info = harper_server.server_info()
    assert info is not None and info.requests == 1
    second = _check_json()
    again = harper_server.server_info()
    assert again is not None and (again.pid, again.requests) == (info.pid, 2)
    in_process = _check_json("--no-harper-server")
    assert harper_server.server_info().requests == 2  # --no-harper-server did not use it
    assert _grammar(first)["issues"]
    assert _same_json(_grammar(first)) == _same_json(_grammar(second))
    assert _same_json(_grammar(second)) == _same_json(_grammar(in_process))


def test_status_answers_while_a_long_essay_is_being_linted(server_home):
    client = harper_server.HarperClient()
    client.check("Warm the server up with a short text.")
    # Distinct copies (harper-py caches per text), long enough that linting outlasts
    # a ping by far: about 115,000 words, over a second of linting here.
    essay = ESSAY.read_text(encoding="utf-8")
    long_text = "\n\n".join(f"Copy {n}. {essay}" for n in range(200))
    lint_done = threading.Event()

    def lint() -> None:
        client.check(long_text)
        lint_done.set()

    worker = threading.Thread(target=lint)
    worker.start()
    time.sleep(0.2)  # let the essay reach the server
    info = harper_server.server_info()  # gives up after its usual 2 s
    answered_during_lint = not lint_done.is_set()
    worker.join()
    # a busy server must not look dead, or a client would start a rival one
    assert info is not None
    assert answered_during_lint, "the ping was only answered after the lint finished"


def test_a_second_start_waits_for_the_server_already_starting(server_home):
    first = harper_server.start_server()
    second = harper_server.start_server()  # e.g. `check` starting it early, then the pipeline
    assert first is not None and second == first
    harper_server.wait_until_answering(second)
    assert harper_server.server_info().pid == first


def test_server_socket_is_private_to_the_user(server_home):
    harper_server.ensure_server()
    assert stat.S_IMODE(harper_server.run_dir().stat().st_mode) == 0o700
    mode = stat.S_IMODE(harper_server.socket_path().stat().st_mode)
    assert mode & 0o077 == 0


def test_server_stops_after_idle_timeout(server_home, monkeypatch):
    monkeypatch.setenv(harper_server.IDLE_ENV, "1")
    harper_server.ensure_server()
    info = harper_server.server_info()
    assert info is not None and info.idle_timeout == 1.0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process_alive(info.pid):
        time.sleep(0.1)
    assert not process_alive(info.pid)
    assert not harper_server.socket_path().exists()


def test_stale_socket_from_a_dead_server_is_replaced(server_home):
    harper_server.run_dir().mkdir(parents=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(harper_server.socket_path()))
    dead.close()  # the file stays, nobody listens
    issues = harper_server.HarperClient().check("Their is a problem with this sentence.")
    assert issues
    assert harper_server.server_info() is not None


def test_server_running_other_engine_code_is_replaced(server_home, monkeypatch):
    harper_server.ensure_server()
    old = harper_server.server_info()
    monkeypatch.setattr(harper_server, "engine_version", lambda: "another build")
    harper_server.ensure_server()
    new = harper_server.server_info()
    assert new is not None and new.pid != old.pid
    assert not process_alive(old.pid)


def test_status_and_stop_commands(server_home):
    runner = CliRunner()
    assert "not running" in runner.invoke(main, ["harper", "status"]).output
    harper_server.ensure_server()
    pid = harper_server.server_info().pid
    status = runner.invoke(main, ["harper", "status"])
    assert status.exit_code == 0 and f"pid {pid}" in status.output
    stop = runner.invoke(main, ["harper", "stop"])
    assert stop.exit_code == 0 and f"was pid {pid}" in stop.output
    assert harper_server.server_info() is None
    assert "not running" in runner.invoke(main, ["harper", "stop"]).output


def test_switched_off_by_environment_runs_in_process(server_home, monkeypatch):
    monkeypatch.setenv(harper_server.ENABLE_ENV, "0")
    report = _check_json()
    assert _grammar(report)["engine"] == "harper"
    assert harper_server.server_info() is None
