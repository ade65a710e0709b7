"""Every command's --help shows an example."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from essaycoach.cli import main


def walk(command: click.Command, path: tuple[str, ...] = ()):
    yield path
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


COMMANDS = list(walk(main))


def test_the_cli_has_the_documented_commands():
    names = {path[0] for path in COMMANDS if path}
    assert {"check", "rubric"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "essaycoach")
def test_help_has_an_example(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    assert "essaycoach " in result.output.split("Example", 1)[1]
