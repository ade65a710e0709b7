"""Ctrl-C in any command: one line and the shell's 130, not click's "Aborted!" and 1."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from essaycoach.cli import main
from essaycoach.errors import ExitCode
from essaycoach.essay import Essay
from essaycoach.pipeline import Pipeline

EXEMPLAR = Path(__file__).resolve().parents[2] / "examples" / "never-let-me-go.txt"


def test_an_interrupted_check_exits_130_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(self: Pipeline, essay: Essay) -> None:
        raise KeyboardInterrupt  # what Ctrl-C raises in the middle of a check

    monkeypatch.setattr(Pipeline, "check_essay", interrupted)
    result = CliRunner().invoke(main, ["check", str(EXEMPLAR), "--grammar", "off"])
    assert result.exit_code == ExitCode.INTERRUPTED == 130
    assert result.stderr == "essaycoach: interrupted\n"
    assert "Aborted" not in result.output


def test_a_failed_echo_to_another_file_is_not_taken_for_stdout(tmp_path: Path) -> None:
    """Only a failed write to standard output becomes "standard output: cannot write"."""
    import click

    from essaycoach.cli.base import _in_click_stdout_echo

    class FullFile:
        def __init__(self, fileno: int):
            self._fileno = fileno

        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

        def flush(self) -> None:
            pass

        def fileno(self) -> int:
            return self._fileno

    with (tmp_path / "log").open("w") as other:
        with pytest.raises(OSError) as caught:
            click.echo("x", file=FullFile(other.fileno()))
        assert not _in_click_stdout_echo(caught.value)
    with pytest.raises(OSError) as caught:
        click.echo("x", file=FullFile(sys.__stdout__.fileno()))
    assert _in_click_stdout_echo(caught.value)
