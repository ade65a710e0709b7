"""Where library errors become click exceptions with the right exit code."""

from __future__ import annotations

import io
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
    """A command's result on standard output, ending in one newline."""
    _write_stdout(text, newline=not text.endswith("\n"))


def echo_line(text: str = "") -> None:
    """One line of a command's output on standard output."""
    _write_stdout(text, newline=True)


def _write_stdout(text: str, newline: bool) -> None:
    """A write that fails (a full disk) is one line, exit 2; a closed pipe (`| head`)
    is left to EssaycoachGroup, which exits quietly."""
    try:
        _write_all(text + "\n" if newline else text)
    except BrokenPipeError:
        raise
    except OSError as error:
        raise _stdout_failed(error) from None


def _write_all(text: str) -> None:
    """Write through click's text stream (its encoding and newline translation) in
    pieces small enough for its buffer, flushing each. One large write whose pipe closes
    part-way is a short write that BufferedWriter reports as success (the rest
    dropped), so `check ... | head -c 10` would exit 0 with a cut report; a flush
    loops until its bytes are out or the pipe's error is raised."""
    for start in range(0, len(text), _PIECE_CHARACTERS):
        # click.echo writes UTF-8 where ASCII was configured, then flushes
        click.echo(text[start : start + _PIECE_CHARACTERS], nl=False)


# 4 bytes a character at most in UTF-8: a piece fits the 8 KiB default buffer
_PIECE_CHARACTERS = 1024


def _silence_stdout() -> None:
    """What is still buffered for stdout would fail again (with a traceback) when
    Python exits; send it nowhere."""
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends


def _stdout_failed(error: OSError) -> InputProblem:
    _silence_stdout()
    reason = error.strerror or str(error)
    return InputProblem(f"standard output: cannot write the result: {reason}")


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
    _silence_stdout()
    return click.exceptions.Exit(ExitCode.BROKEN_PIPE)


def _in_click_stdout_echo(error: OSError) -> bool:
    """True when `error` was raised inside click.echo writing to standard output (a
    subcommand's help text), not to stderr or another file."""
    echo_frame = None  # the innermost click.echo; below it only the stream's own frames
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__") == "click.utils":
            echo_frame = tb.tb_frame
        tb = tb.tb_next
    if echo_frame is None:
        return False
    stream = echo_frame.f_locals.get("file")
    stdout = sys.__stdout__  # None without a stdout (pythonw)
    try:
        return stream is not None and stdout is not None and stream.fileno() == stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no file descriptor: not stdout
        return False


def _replace_what_stdout_cannot_encode() -> None:
    """A report sent to a file or terminal whose encoding cannot hold a character (a
    redirected stdout on Windows is cp1252) shows "?" for it, not a traceback."""
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
        stream.reconfigure(errors="replace")


class EssaycoachGroup(click.Group):
    """A click group whose errors are one clean line on stderr with exit code 2.

    EssaycoachError from the library and click's usage errors (an unknown
    option, a missing argument, a bad choice), for the group and every
    command under it. A bare group name still shows its help.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _replace_what_stdout_cannot_encode()
        return super().main(*args, **kwargs)

    def make_context(self, info_name: str | None, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(info_name, *args, **kwargs)
        except NoArgsIsHelpError:
            raise
        except click.UsageError as error:
            raise one_line_usage_error(error, info_name or "") from None
        except BrokenPipeError:  # `--help | head`
            raise _reader_went_away() from None
        except OSError as error:  # --help or --version on a full disk
            if _in_click_stdout_echo(error):
                raise _stdout_failed(error) from None
            raise

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
        except OSError as error:
            if _in_click_stdout_echo(error):  # a subcommand's --help
                raise _stdout_failed(error) from None
            raise
