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


def one_line_usage_error(error: click.UsageError, command_path: str = "") -> InputProblem:
    """click's usage error (usage line, hint, blank line, message) as one line naming --help.

    `command_path` names the command when click did not attach a context (an
    option missing its value).
    """
    message = error.format_message().rstrip().removesuffix(".")
    command_path = error.ctx.command_path if error.ctx is not None else command_path
    if command_path:
        message += f" (see '{command_path} --help')"
    return InputProblem(message)


class EssaycoachGroup(click.Group):
    """A click group whose errors are one clean line on stderr with exit code 2.

    EssaycoachError from the library and click's usage errors (an unknown
    option, a missing argument, a bad choice), for the group and every
    command under it. A bare group name still shows its help.
    """

    def make_context(self, info_name: str | None, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(info_name, *args, **kwargs)
        except NoArgsIsHelpError:
            raise
        except click.UsageError as error:
            raise one_line_usage_error(error, info_name or "") from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise
        except click.UsageError as error:
            command = " ".join(filter(None, (ctx.command_path, ctx.invoked_subcommand)))
            raise one_line_usage_error(error, command) from None
        except EssaycoachError as error:
            raise InputProblem(str(error)) from None
