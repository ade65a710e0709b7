"""`essaycoach grade`: grade a folder or LMS zip of submissions for a teacher."""

from __future__ import annotations

import os
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from essaycoach.cli.options import (
    NonEmptyPath,
    build_settings,
    config_inputs,
    config_options,
    config_settings,
    pipeline_options,
    selected_config,
)
from essaycoach.errors import ExitCode
from essaycoach.render import FORMATS
from essaycoach.wording import plural

if TYPE_CHECKING:
    from essaycoach.grade.results import SubmissionResult


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class _ClickProgress:
    """A click progress bar with ETA, shown only on a terminal."""

    def __init__(self) -> None:
        self._bar: Any = None

    def start(self, total: int) -> None:
        if total and sys.stderr.isatty():
            self._bar = click.progressbar(
                length=total, label="Grading", show_eta=True, show_pos=True, file=sys.stderr
            )
            self._bar.__enter__()

    def advance(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(done)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@click.command("grade")
@click.argument("path", type=NonEmptyPath(path_type=Path))
@click.option(
    "--out",
    "-o",
    "out_dir",
    required=True,
    type=NonEmptyPath(file_okay=False, path_type=Path),
    help="Folder for gradebook.csv, summary.html, pairs.csv and reports/ (created if needed).",
)
@pipeline_options
@click.option(
    "--workers",
    "-j",
    type=click.IntRange(1, 256),
    default=None,
    help="Parallel worker processes. [default: the number of CPUs]",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Per-student report format; repeat for several. [default: html and json]",
)
@click.option(
    "--roster",
    type=NonEmptyPath(dir_okay=False, path_type=Path),
    default=None,
    help="CSV mapping files to students: student_id plus a file or lms_id column (name optional).",
)
@click.option(
    "--shared-text",
    type=NonEmptyPath(dir_okay=False, path_type=Path),
    multiple=True,
    help="A text every student may quote (the prompt, a source reading); passages shared with "
    "it are not counted as copying. Repeatable.",
)
@config_options("its top-level settings apply to the whole batch")
@click.option(
    "--model",
    "model_path",
    type=NonEmptyPath(dir_okay=False, path_type=Path),
    default=None,
    help="A calibration model from `essaycoach calibrate`: adds the predicted score, its "
    "confidence and a needs_review flag to gradebook.csv.",
)
@click.option(
    "--fresh",
    is_flag=True,
    help="Ignore the resume cache and regrade every submission.",
)
def grade_command(
    path: Path,
    out_dir: Path,
    rubric: str | None,
    exemplar: Path | None,
    grammar: str | None,
    languagetool_url: str | None,
    accept_words: Path | None,
    workers: int | None,
    formats: tuple[str, ...],
    roster: Path | None,
    shared_text: tuple[Path, ...],
    config_path: Path | None,
    no_config: bool,
    model_path: Path | None,
    fresh: bool,
) -> None:
    """Grade a folder (recursive) or an LMS .zip export of submissions.

    Reads .txt, .md, .docx, .odt, .pdf, .rtf and .html; takes each student's id from
    the LMS file name (Canvas, Moodle, Blackboard) or a --roster CSV. Writes
    gradebook.csv, a report per student in reports/, summary.html (class
    overview, works offline) and pairs.csv (possible copying between students).
    A rerun skips submissions whose file, rubric and settings have not changed;
    after Ctrl-C, run the same command again to resume.

    \b
    Exit codes: 0 all graded, 1 some files failed (see gradebook.csv),
    2 usage or input error (missing folder, unsafe zip, bad rubric).

    \b
    Examples:
      essaycoach grade submissions.zip --out graded/
      essaycoach grade essays/ --out graded/ --workers 2 --format markdown
      essaycoach grade essays/ --out graded/ --roster roster.csv --shared-text prompt.txt
      essaycoach grade essays/ --out graded/ --model my-model.json
    """
    from essaycoach.grade import DEFAULT_FORMATS, grade

    config = selected_config(config_path, no_config)
    base = config_settings(config, None, rubric, exemplar)
    settings = build_settings(base, rubric, exemplar, grammar, languagetool_url, accept_words)
    progress = _ClickProgress()
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops as cleanly as Ctrl-C
    try:
        outcome = grade(
            path,
            out_dir,
            settings,
            workers=workers or os.cpu_count() or 1,
            formats=formats or DEFAULT_FORMATS,
            roster_path=roster,
            shared_texts=shared_text,
            use_cache=not fresh,
            progress=progress,
            model_path=model_path,
            run_inputs=[source for source, _ in config_inputs(config, accept_words)],
        )
    except KeyboardInterrupt:
        progress.finish()
        click.echo(
            "essaycoach: interrupted; finished submissions are saved, run the same command "
            "again to resume",
            err=True,
        )
        raise click.exceptions.Exit(ExitCode.INTERRUPTED) from None
    finally:
        progress.finish()
    batch = outcome.batch
    failed = batch.failed
    unjudged = sum(1 for r in batch.results if r.ok and not r.judged)
    not_judged = f", {unjudged} not judged (too short or not English)" if unjudged else ""
    # the summary page's cards: scored + not judged + failed = submissions
    click.echo(
        f"essaycoach: {plural(len(batch.results), 'submission')} ({batch.graded} processed now, "
        f"{batch.reused} unchanged since the last run): "
        f"{len(batch.results) - len(failed) - unjudged} scored{not_judged}, {len(failed)} failed, "
        f"{plural(len(outcome.pairs), 'suspicious pair')}; see {out_dir / 'summary.html'}",
        err=True,
    )
    for result in failed:
        click.echo(f"essaycoach: failed: {result.file}: {result.reason}", err=True)
    _echo_predictions_to_review(batch.results, out_dir)
    from essaycoach.grade.class_stats import class_notes

    if outcome.exemplar_notice:
        click.echo(f"essaycoach: warning: {outcome.exemplar_notice}", err=True)
    for note in class_notes(batch.results):
        click.echo(f"essaycoach: warning: {note}", err=True)
    if batch.roster_missing:
        click.echo(
            f"essaycoach: {plural(len(batch.roster_missing), 'student')} on the roster "
            "without a submission (status 'missing' in gradebook.csv)",
            err=True,
        )
    notices = Counter(r.grammar_notice for r in batch.results if r.ok and r.grammar_notice)
    for notice, count in notices.items():  # e.g. `auto` fell back to Harper alone
        click.echo(f"essaycoach: {plural(count, 'submission')}: {notice}", err=True)
    if outcome.exit_code != ExitCode.OK:
        raise click.exceptions.Exit(outcome.exit_code)


def _echo_predictions_to_review(results: Sequence[SubmissionResult], out_dir: Path) -> None:
    """How many of `--model`'s predictions need a human, and a warning when most essays
    are off-topic for the model (QA: a model for another prompt flagged 40 of 40 essays,
    and the run closed as usual)."""
    predicted = [r for r in results if r.ok and r.prediction_trusted is not None]
    if not predicted:
        return
    to_review = [r for r in predicted if not r.prediction_trusted]
    click.echo(
        f"essaycoach: {len(to_review)} of {plural(len(predicted), 'predicted score')} "
        f"{'needs' if len(to_review) == 1 else 'need'} review (reasons in "
        f"{out_dir / 'gradebook.csv'} and summary.html)",
        err=True,
    )
    off_topic = sum(
        1 for r in to_review if any(why.startswith("off-topic") for why in r.prediction_reasons)
    )
    if len(predicted) >= 5 and off_topic > len(predicted) / 2:
        click.echo(
            f"essaycoach: warning: {off_topic} of {len(predicted)} essays are off-topic for "
            "the model: is it the model for this assignment?",
            err=True,
        )
