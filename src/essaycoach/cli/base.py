"""Where library errors become click exceptions with the right exit code."""

from __future__ import annotations

from typing import IO, Any

import click
from click.exceptions import NoArgsIsHelpError

from essaycoach.errors import EssaycoachError, ExitCode


class InputProblem(click.ClickException):
    """A usage or input error reported as one line on stderr, exit code 2."""

    exit_code = ExitCode.USAGE

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"essaycoach: error: {self.format_message()}", file=file, err=True)


def one_line_usage_error(error: click.UsageError) -> InputProblem:
    """click's usage error (usage line, hint, blank line, message) as one line naming --help."""
    message = error.format_message().rstrip().removesuffix(".")
    if error.ctx is not None:
        message += f" (see '{error.ctx.command_path} --help')"
    return InputProblem(message)


class EssaycoachGroup(click.Group):
    """A click group whose errors are one clean line on stderr with exit code 2.

    EssaycoachError from the library and click's usage errors (an unknown
    option, a missing argument, a bad choice), for the group and every
    command under it. A bare group name still shows its help.
    """

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except NoArgsIsHelpError:
            raise
        except click.UsageError as error:
            raise one_line_usage_error(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise
        except click.UsageError as error:
            raise one_line_usage_error(error) from None
        except EssaycoachError as error:
            raise InputProblem(str(error)) from None
