"""`essaycoach check`: feedback on one or more essays."""

from __future__ import annotations

from pathlib import Path

import click

from essaycoach.atomic import write_text_atomic
from essaycoach.cli.options import build_settings, pipeline_options
from essaycoach.errors import EssaycoachError, ExitCode, InputError
from essaycoach.render import FORMATS, get_renderer
from essaycoach.settings import Settings


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@pipeline_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to this file (atomically) instead of standard output.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=None,
    help="Exit 1 when an essay's total score is under this.",
)
def check_command(
    files: tuple[Path, ...],
    rubric: str | None,
    exemplar: Path | None,
    grammar: str | None,
    languagetool_url: str | None,
    accept_words: Path | None,
    output_format: str,
    output: Path | None,
    fail_under: float | None,
) -> None:
    """Check essays against a rubric and a reference exemplar.

    Reports the structure rubric (thesis, conflict, climax, resolution, ...),
    similarity to the exemplar, readability against the target grade band, and
    grammar and spelling, each pointing at line:column in the essay.

    \b
    Exit codes: 0 ok, 1 a score under --fail-under, 2 usage or input error.

    \b
    Examples:
      essaycoach check my-essay.md
      essaycoach check essays/*.txt --format json --output report.json
      essaycoach check sample.md --grammar harper --fail-under 70
    """
    from essaycoach.pipeline import Pipeline  # heavy: scikit-learn; keep --help fast

    settings = build_settings(Settings(), rubric, exemplar, grammar, languagetool_url, accept_words)
    reports = []
    input_errors: list[EssaycoachError] = []
    with Pipeline(settings) as pipeline:
        if pipeline.grammar_notice:
            click.echo(f"essaycoach: {pipeline.grammar_notice}", err=True)
        for path in files:
            try:
                reports.append(pipeline.check_file(path))
            except InputError as error:
                input_errors.append(error)
                click.echo(f"essaycoach: error: {error}", err=True)
    if reports:
        rendered = get_renderer(output_format).render(reports)
        if output is None:
            click.echo(rendered, nl=not rendered.endswith("\n"))
        else:
            write_text_atomic(output, rendered)
    if input_errors:
        raise click.exceptions.Exit(ExitCode.USAGE)
    if fail_under is not None and any(
        r.score.total is None or r.score.total < fail_under for r in reports
    ):
        raise click.exceptions.Exit(ExitCode.FAILED)
