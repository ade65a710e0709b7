"""essaycoach works with networking blocked and a fresh HOME (no nltk_data, no caches)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from essaycoach.checks import readability
from essaycoach.essay import load_essay
from essaycoach.rubric import load_rubric

EXEMPLAR = Path(__file__).parents[2] / "examples" / "never-let-me-go.txt"

BLOCK_NETWORK = textwrap.dedent(
    """
    import socket

    class NetworkBlocked(OSError):
        pass

    def refuse(*args, **kwargs):
        raise NetworkBlocked(f"network access attempted: {args!r}")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    """
)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    attempts: list[tuple] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access attempted in an offline test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_readability_check_runs_offline(
    no_network: list[tuple], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NLTK_DATA", raising=False)
    readability.cmu_pronunciations.cache_clear()  # load the dictionary again, offline
    readability.textstat_syllables.count_syllables.cache_clear()
    result = readability.ReadabilityCheck(load_rubric()).run(load_essay(EXEMPLAR))
    assert result.summary.verdict == "in_band"
    assert result.summary.hardest_sentences
    assert no_network == []
    assert not (tmp_path / "nltk_data").exists()


def test_whole_check_with_harper_runs_offline_with_a_fresh_home(tmp_path: Path) -> None:
    """A new process: sockets blocked before essaycoach is imported, empty HOME."""
    script = BLOCK_NETWORK + textwrap.dedent(
        f"""
        import sys
        import essaycoach

        report = essaycoach.check({str(EXEMPLAR)!r}, grammar="harper")
        assert report.judged, report.not_judged_reasons
        assert report.grammar is not None and report.grammar.engine == "harper"
        assert report.readability is not None
        assert "nltk" not in sys.modules, "nltk was imported"
        print("score", report.score.total)
        """
    )
    home = tmp_path / "home"
    home.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("NLTK_DATA", "ESSAYCOACH_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME")
    }
    env["HOME"] = str(home)
    completed = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.startswith("score ")
    assert not (home / "nltk_data").exists()
