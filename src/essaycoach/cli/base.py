"""Where library errors become click exceptions with the right exit code."""

from __future__ import annotations

from typing import IO, Any

import click

from essaycoach.errors import EssaycoachError, ExitCode


class InputProblem(click.ClickException):
    """A usage or input error reported as one line on stderr, exit code 2."""

    exit_code = ExitCode.USAGE

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"essaycoach: error: {self.format_message()}", file=file, err=True)


class EssaycoachGroup(click.Group):
    """A click group that turns EssaycoachError into one clean line and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EssaycoachError as error:
            raise InputProblem(str(error)) from None
