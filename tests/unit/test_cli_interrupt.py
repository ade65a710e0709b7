"""Ctrl-C in any command: one line and the shell's 130, not click's "Aborted!" and 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from essaycoach.cli import main
from essaycoach.errors import ExitCode
from essaycoach.pipeline import Pipeline

EXEMPLAR = Path(__file__).resolve().parents[2] / "examples" / "never-let-me-go.txt"


def test_an_interrupted_check_exits_130_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(self: Pipeline, path: Path) -> None:
        raise KeyboardInterrupt  # what Ctrl-C raises in the middle of a check

    monkeypatch.setattr(Pipeline, "check_file", interrupted)
    result = CliRunner().invoke(main, ["check", str(EXEMPLAR), "--grammar", "off"])
    assert result.exit_code == ExitCode.INTERRUPTED == 130
    assert result.stderr == "essaycoach: interrupted\n"
    assert "Aborted" not in result.output
