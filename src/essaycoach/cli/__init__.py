"""The command line: a thin click layer over the library API, one module per command."""

from __future__ import annotations

import logging

import click

from essaycoach import __version__
from essaycoach.cli.base import EssaycoachGroup
from essaycoach.cli.calibrate_cmd import calibrate_command
from essaycoach.cli.check_cmd import check_command
from essaycoach.cli.grade_cmd import grade_command
from essaycoach.cli.harper_cmd import harper_group
from essaycoach.cli.languagetool_cmd import languagetool_group
from essaycoach.cli.rubric_cmd import rubric_group


@click.group(cls=EssaycoachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="essaycoach")
def main() -> None:
    """Essay feedback: structure rubric, exemplar similarity, readability and grammar.

    \b
    Example:
      essaycoach check examples/strong-never-let-me-go.md
    """
    show_library_progress()


def show_library_progress() -> None:
    """Progress the library logs (e.g. a LanguageTool server starting) goes to stderr.

    The library only logs; library users see nothing unless they configure logging.
    """
    logger = logging.getLogger("essaycoach")
    handlers = [h for h in logger.handlers if isinstance(h, _StderrHandler)]
    if handlers:
        handlers[0].warned.clear()  # a new command: its warnings are new
    else:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("essaycoach: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


class _StderrHandler(logging.Handler):
    """Writes to click's current stderr (so a test runner's captured stream gets it too).
    A warning is written once per command: each group of essays with its own settings
    opens its own engines, and would repeat "Harper server unavailable" (QA)."""

    def __init__(self) -> None:
        super().__init__()
        self.warned: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        if record.levelno >= logging.WARNING:
            if text in self.warned:
                return
            self.warned.add(text)
        click.echo(text, err=True)


main.add_command(check_command)
main.add_command(rubric_group)
main.add_command(grade_command)
main.add_command(calibrate_command)
main.add_command(languagetool_group)
main.add_command(harper_group)
