"""Where library errors become click exceptions with the right exit code."""

from __future__ import annotations

import os
import sys
from typing import IO, Any

import click
from click.exceptions import NoArgsIsHelpError

from essaycoach.errors import EssaycoachError, ExitCode


class InputProblem(click.ClickException):
    """A usage or input error reported as one line on stderr, exit code 2."""

    exit_code = ExitCode.USAGE

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"essaycoach: error: {self.format_message()}", file=file, err=True)


def echo_result(text: str) -> None:
    """A command's result on standard output; a write that fails (a full disk) is one line.

    A closed pipe (`| head`) is left to EssaycoachGroup, which exits quietly.
    """
    try:
        click.echo(text, nl=not text.endswith("\n"))
    except BrokenPipeError:
        raise
    except OSError as error:
        # what is still buffered would fail again (with a traceback) when Python exits
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
        reason = error.strerror or str(error)
        raise InputProblem(f"standard output: cannot write the result: {reason}") from None


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


def _reader_went_away() -> click.exceptions.Exit:
    """Quiet exit 141 for a closed stdout pipe; click would exit 1, `check`'s "failed"."""
    # what is still buffered would fail again (with a traceback) when Python exits
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
    return click.exceptions.Exit(ExitCode.BROKEN_PIPE)


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
        except BrokenPipeError:  # `--help | head`
            raise _reader_went_away() from None

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
        except KeyboardInterrupt:  # click would say "Aborted!" and exit 1, CI's "failed"
            click.echo("essaycoach: interrupted", err=True)
            raise click.exceptions.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:
            raise _reader_went_away() from None
