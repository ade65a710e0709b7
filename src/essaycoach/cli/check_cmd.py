"""`essaycoach check`: feedback on one or more essays."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from essaycoach.atomic import write_text_atomic
from essaycoach.cli.base import InputProblem, echo_result
from essaycoach.cli.options import (
    FiniteFloatRange,
    NonEmptyPath,
    build_settings,
    config_inputs,
    config_options,
    config_settings,
    pipeline_options,
    selected_config,
)
from essaycoach.config import Config, Thresholds
from essaycoach.decoding import display_name
from essaycoach.errors import EngineError, EssaycoachError, ExitCode, InputError
from essaycoach.essay import Essay, load_essay
from essaycoach.gating import (
    FAIL_ON_CHOICES,
    FAIL_ON_FLAG,
    FAIL_UNDER_FLAG,
    ThresholdOrigin,
    failure_reasons,
)
from essaycoach.render import FORMATS, RenderOptions, get_renderer
from essaycoach.report import Report
from essaycoach.settings import Settings
from essaycoach.wording import plural

# `-o report.sarif` without --format (nor `format` in the config) writes SARIF: a text
# report in a .sarif file breaks the upload that reads it
FORMAT_OF_SUFFIX = {
    ".json": "json",
    ".sarif": "sarif",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
}


# standard input: the one object an exact "-" argument becomes, told apart by identity
# (`is`), as a file named "-" (`./-`) is equal to it as a Path
STDIN = Path("-")


class EssayPathOrStdin(NonEmptyPath):
    """An essay file, or STDIN for exactly "-"."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value == "-":
            return STDIN
        return super().convert(value, param, ctx)


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=EssayPathOrStdin(path_type=Path))
@pipeline_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Report format (docs/output-formats.md). [default: `format` in the config, else "
    "from -o's extension (.json, .sarif, .html, .md), else text]",
)
@click.option(
    "--output",
    "-o",
    type=NonEmptyPath(allow_dash=True),
    default=None,
    help="Write the report to this file (atomically) instead of standard output ('-'); "
    "not written when an essay cannot be read.",
)
@click.option(
    "--fail-under",
    type=FiniteFloatRange(0, 100),
    default=None,
    help="Exit 1 when an essay's total score is under this (or it cannot be judged).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default=None,
    help="Exit 1 when an essay has a finding at or above this severity (or it cannot be judged).",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when --fail-under or --fail-on is not met (input errors still exit 2).",
)
@config_options("its per-path overrides apply to matching essays")
@click.option(
    "--stdin-filename",
    type=NonEmptyPath(dir_okay=False, path_type=Path),
    default=None,
    help="With FILE '-' (the essay on standard input): the name to report it under. Its "
    "extension picks the reader (.md, .docx, ...) and the config's per-path overrides "
    "match it. [default: <stdin>, plain text]",
)
@click.option(
    "--harper-server/--no-harper-server",
    default=None,
    help="Lint with a warm background Harper process that later runs reuse (it stops after "
    "15 idle minutes or `essaycoach harper stop`). [default: on, or `harper_server` "
    "in the config]",
)
def check_command(
    files: tuple[Path, ...],
    rubric: str | None,
    exemplar: Path | None,
    grammar: str | None,
    languagetool_url: str | None,
    accept_words: Path | None,
    output_format: str | None,
    output: str | None,
    fail_under: float | None,
    fail_on: str | None,
    exit_zero: bool,
    config_path: Path | None,
    no_config: bool,
    stdin_filename: Path | None,
    harper_server: bool | None,
) -> None:
    """Check essays against a rubric and a reference exemplar.

    Reports the structure rubric (thesis, conflict, climax, resolution, ...),
    similarity to the exemplar, readability against the target grade band, and
    grammar and spelling, each pointing at line:column in the essay.

    \b
    Exit codes (docs/ci.md):
      0    ok
      1    a score under --fail-under, a finding at --fail-on, or an essay
           that cannot be judged while either is set
      2    usage or input error (no --output file is then written)
      130  interrupted (Ctrl-C)
      141  standard output closed by its reader (| head)
    Command-line flags override the configuration file (docs/configuration.md).

    \b
    Examples:
      essaycoach check my-essay.md
      essaycoach check essays/*.txt --format json --output report.json
      essaycoach check sample.md --grammar harper --fail-under 70
      essaycoach check essays/*.md --format sarif -o essaycoach.sarif --fail-on error
      cat draft.md | essaycoach check - --stdin-filename draft.md
    """
    config = selected_config(config_path, no_config)
    report_file = _report_file(output)
    if report_file is None and sys.stdout is None:  # started with it closed (`>&-`)
        raise InputProblem("standard output is closed; give -o FILE to write the report there")
    if sum(p is STDIN for p in files) > 1:
        raise InputProblem("'-' (standard input) can be given only once")
    if stdin_filename is not None and not any(p is STDIN for p in files):
        raise InputProblem("--stdin-filename needs '-' among the files (the essay on stdin)")
    several_given = len(files) > 1  # JSON's shape follows the command line
    files = _without_repeats(files)
    # where each essay's settings and thresholds come from: the stdin essay's given name
    located = tuple(stdin_filename if p is STDIN and stdin_filename else p for p in files)
    # the path [[overrides]] match: none for the stdin essay without a name (not "./-")
    matched = tuple(None if p is STDIN else p for p in located)
    if report_file is not None and any(
        _same_file(report_file, path) for path in located if path is not STDIN
    ):
        raise InputProblem(
            f"{report_file}: --output is one of the essays to check; choose another file"
        )

    if harper_server is None:
        harper_server = (
            config.harper_server if config and config.harper_server is not None else True
        )

    def settings_for(path: Path | None) -> Settings:
        base = config_settings(config, path, rubric, exemplar)
        settings = build_settings(base, rubric, exemplar, grammar, languagetool_url, accept_words)
        return replace(settings, harper_server=harper_server)

    # essays that share settings share one pipeline (per-path overrides may differ)
    groups: dict[Settings, list[tuple[int, Path]]] = {}
    for index, path in enumerate(files):
        groups.setdefault(settings_for(matched[index]), []).append((index, path))
    if report_file is not None:
        for source, role in _other_inputs(config, groups, accept_words):
            if _same_file(report_file, source):
                raise InputProblem(f"{report_file}: --output is {role}; choose another file")
    from essaycoach.grammar.select import start_harper_server_early

    for settings in groups:
        start_harper_server_early(settings)  # it boots while the essays load

    # every essay is read before any engine starts: a bad file or an empty stdin is
    # reported at once, not after LanguageTool's 10-20 s start, which it would not need
    input_errors: list[EssaycoachError] = []
    essays = _read_essays(files, stdin_filename, input_errors)
    output_format = (
        output_format
        or (config.format if config else None)
        or (FORMAT_OF_SUFFIX.get(report_file.suffix.lower()) if report_file else None)
        or "text"
    )
    to_terminal = report_file is None and _on_a_terminal()
    # the text report in the terminal shows the engine notice itself (QA: twice)
    report_shows_notices = to_terminal and output_format == "text"
    names = {  # how an engine failure names the essay it stopped at
        index: "<stdin>" if path is STDIN and not stdin_filename else located[index]
        for index, path in enumerate(files)
    }
    results = _check_groups(groups, essays, names, input_errors, not report_shows_notices)
    reports = [results[i] for i in sorted(results)]
    paths = [matched[i] for i in sorted(results)]
    thresholds, origins = _thresholds(config, paths, fail_under, fail_on)
    if report_file is not None and input_errors:
        # a report file is read by tools that never see stderr: one missing an essay
        # would pass for complete, so nothing is written (standard output, read beside
        # the error lines, still gets the essays that could be checked)
        checked = f"{len(input_errors)} of {plural(len(files), 'essay')} could not be checked"
        click.echo(f"essaycoach: {report_file} not written: {checked}", err=True)
    elif reports:
        options = RenderOptions(
            color=to_terminal and output_format == "text" and "NO_COLOR" not in os.environ,
            fail_under_by_source={
                report.essay.source: own.fail_under
                for report, own in zip(reports, thresholds, strict=True)
            },
            several_essays=several_given,
            width=_terminal_width() if to_terminal else 100,
        )
        rendered = get_renderer(output_format, options).render(reports)
        if report_file is None:
            echo_result(rendered)
        else:
            write_text_atomic(report_file, rendered)
    if input_errors:
        raise click.exceptions.Exit(ExitCode.USAGE)
    failures: list[str] = []
    for report, own, origin in zip(reports, thresholds, origins, strict=True):
        failures += failure_reasons(
            [report],
            own.fail_under,
            own.fail_on,
            fail_under_from=origin.get("fail_under", FAIL_UNDER_FLAG),
            fail_on_from=origin.get("fail_on", FAIL_ON_FLAG),
        )
    for reason in failures:
        click.echo(f"essaycoach: {reason}", err=True)
    if failures and not exit_zero:
        raise click.exceptions.Exit(ExitCode.FAILED)


def _on_a_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except ValueError:  # closed
        return False


def _terminal_width() -> int:
    """The terminal's columns (or $COLUMNS), from 80 to 100: a report wrapped at 100
    wrapped again in an 80-column terminal (QA)."""
    return max(80, min(100, shutil.get_terminal_size((100, 24)).columns))


def _read_essays(
    files: Sequence[Path], stdin_filename: Path | None, input_errors: list[EssaycoachError]
) -> dict[int, Essay]:
    """Each essay that can be read, by its index in `files`; the others' errors are
    printed and added to `input_errors`."""
    essays: dict[int, Essay] = {}
    for index, path in enumerate(files):
        try:
            essays[index] = _stdin_essay(stdin_filename) if path is STDIN else _essay(path)
        except InputError as error:
            input_errors.append(error)
            click.echo(f"essaycoach: error: {error}", err=True)
    return essays


def _check_groups(
    groups: dict[Settings, list[tuple[int, Path]]],
    essays: dict[int, Essay],
    names: dict[int, Path | str],
    input_errors: list[EssaycoachError],
    echo_notices: bool = True,
) -> dict[int, Report]:
    """The reports of the essays that were read, one pipeline per group of settings;
    an engine that fails stops the run, naming the essay (`names`). `echo_notices`:
    an engine's notice ("LanguageTool is not installed...") goes to stderr too."""
    from essaycoach.pipeline import Pipeline  # heavy: numpy and the checks; keep --help fast

    results: dict[int, Report] = {}
    notices: set[str] = set()
    for settings, members in groups.items():
        loaded = [index for index, _ in members if index in essays]
        if not loaded:
            continue
        with Pipeline(settings) as pipeline:
            if pipeline.exemplar_notice and pipeline.exemplar_notice not in notices:
                notices.add(pipeline.exemplar_notice)
                click.echo(f"essaycoach: warning: {pipeline.exemplar_notice}", err=True)
            notice = pipeline.grammar_notice
            if echo_notices and notice and notice not in notices:
                notices.add(notice)
                click.echo(f"essaycoach: {notice}", err=True)
            for index in loaded:
                try:
                    results[index] = pipeline.check_essay(essays[index])
                except InputError as error:
                    input_errors.append(error)
                    click.echo(f"essaycoach: error: {error}", err=True)
                except EngineError as error:  # the engine, not the essay: stop, naming it
                    raise EngineError(error.message, names[index]) from None
    return results


def _thresholds(
    config: Config | None,
    paths: Sequence[Path | None],
    fail_under: float | None,
    fail_on: str | None,
) -> tuple[list[Thresholds], list[dict[str, ThresholdOrigin]]]:
    """Each essay's thresholds and where each was set: the command line's win over the
    configuration's, which may differ per path."""
    thresholds = [
        Thresholds(
            fail_under if fail_under is not None else own.fail_under,
            fail_on if fail_on is not None else own.fail_on,
        )
        for own in (config.thresholds(path) if config else Thresholds() for path in paths)
    ]
    origins = [config.threshold_origins(path) if config else {} for path in paths]
    if fail_under is not None:
        origins = [{**own, "fail_under": FAIL_UNDER_FLAG} for own in origins]
    if fail_on is not None:
        origins = [{**own, "fail_on": FAIL_ON_FLAG} for own in origins]
    return thresholds, origins


def _essay(path: Path) -> Essay:
    """The essay file at `path`; a zip of submissions is sent to `essaycoach grade`."""
    from essaycoach.grade.discover import is_submissions_zip

    if is_submissions_zip(path):
        command = f"essaycoach grade {shlex.quote(display_name(path))}"
        raise InputError(
            f"a zip archive, not an essay; `{command}` checks the submissions in it",
            display_name(path),
        )
    return load_essay(path)


def _stdin_essay(name: Path | None) -> Essay:
    """The essay on standard input, read by the reader its given name's extension picks."""
    from essaycoach.readers import MAX_FILE_BYTES, read_submission

    source = str(name) if name else "<stdin>"
    if sys.stdin is None:  # started with stdin closed (`<&-`)
        raise InputError("standard input is closed", source)
    try:
        if sys.stdin.isatty():
            click.echo(
                "essaycoach: reading the essay from the terminal; end it with Ctrl-D", err=True
            )
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as error:  # ValueError: the stream was closed
        reason = getattr(error, "strerror", None) or error
        raise InputError(f"cannot read standard input: {reason}", source) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            f"standard input is over {MAX_FILE_BYTES / 1e6:.0f} MB; essays that large are refused",
            source,
        )
    return read_submission(name or Path("stdin.txt"), source, data)


def _without_repeats(files: tuple[Path, ...]) -> tuple[Path, ...]:
    """The files in order, each once: a file named again (the same path resolved, as
    'a.md ./a.md' or a shell glob overlapping another) keeps its first name."""
    seen: set[Path] = set()
    kept = []
    for path in files:
        if path is STDIN:
            key = path
        else:
            try:
                key = path.resolve()
            except (OSError, RuntimeError):  # a symbolic link loop: compare as written
                key = Path(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            kept.append(path)
    return tuple(kept)


def _report_file(output: str | None) -> Path | None:
    """The file --output names; None for standard output (no --output, or '-').

    A folder is an input error: an existing one, or a name ending in '/', '/.' or
    '/..', which pathlib would quietly drop and write a file of that name."""
    if output is None or output == "-":
        return None
    path = Path(output)
    if output.endswith(("/", os.sep)) or os.path.basename(output) in (".", "..") or path.is_dir():
        raise InputProblem(f"{output}: --output is a folder; name the report's file")
    return path


def _other_inputs(
    config: Config | None, settings: Iterable[Settings], accept_words: Path | None
) -> Iterator[tuple[Path, str]]:
    """The files besides the essays that a check reads, each with what it is: a report
    written over one of them would destroy it."""
    from essaycoach.exemplar import chosen_exemplar
    from essaycoach.resources import default_exemplar_path
    from essaycoach.rubric import load_rubric

    yield from config_inputs(config, accept_words)
    for each in settings:
        try:
            rubric = load_rubric(each.rubric)
        except EssaycoachError:  # a bad rubric: the pipeline says so
            continue
        exemplar = chosen_exemplar(rubric, each.exemplar) or default_exemplar_path()
        yield exemplar, "the exemplar"
        yield Path(rubric.source), "the rubric"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:  # either one missing: not the same file
        return False
