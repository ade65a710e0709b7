"""`essaycoach rubric`: list, show and validate rubrics."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import click

from essaycoach.cli.base import EssaycoachGroup, echo_line
from essaycoach.cli.options import NonEmptyPath, NonEmptyText, config_options, selected_config
from essaycoach.config import Config
from essaycoach.errors import ExitCode, InputError, RubricError
from essaycoach.exemplar import (
    bundled_exemplar_notice,
    chosen_exemplar,
    exemplar_for,
    read_chosen_exemplar,
    read_exemplar,
)
from essaycoach.rubric import Criterion, list_rubrics, load_rubric


@click.group("rubric", cls=EssaycoachGroup)
def rubric_group() -> None:
    """List, show and validate rubrics (TOML files; format in docs/rubric-format.md).

    \b
    Examples:
      essaycoach rubric list
      essaycoach rubric show literary-analysis
      essaycoach rubric validate my-rubric.toml
    """


@rubric_group.command("list")
def list_command() -> None:
    """List the bundled rubrics.

    \b
    Example:
      essaycoach rubric list
    """
    for path in list_rubrics():
        rubric = load_rubric(path)
        echo_line(f"{rubric.id:<24} {rubric.name}")


@rubric_group.command("show")
@click.argument("name", type=NonEmptyText("name"))
def show_command(name: str) -> None:
    """Show a rubric's criteria, weights and targets.

    \b
    Example:
      essaycoach rubric show literary-analysis
    """
    rubric = load_rubric(name)
    echo_line(f"{rubric.name} ({rubric.id}, version {rubric.version})")
    if rubric.description:
        echo_line(rubric.description)
    echo_line(f"source: {rubric.source}")
    # QA: a teacher could not see which essay their criteria were modelled on
    chosen = chosen_exemplar(rubric, None)
    echo_line(f"exemplar: {chosen or 'the bundled one (Never Let Me Go)'}")
    if rubric.story_analysis:
        echo_line("task: an analysis of a story (plot-structure model and story check apply)")
    echo_line("")
    echo_line("criteria (in expected order):")
    for c in sorted(rubric.criteria, key=lambda c: (c.order or 999, c.id)):
        flag = "required" if c.required else "optional"
        about = f"{c.name}: {c.description}" if c.description else c.name
        echo_line(f"  {c.id:<18} weight {c.weight:<4g} {flag:<8} {about}")
        for label, entries in _criterion_lists(c):
            for line in textwrap.wrap(
                f"{label}: {', '.join(entries)}", width=100, initial_indent=" " * 6,
                subsequent_indent=" " * 8, break_on_hyphens=False,
            ):  # fmt: skip
                echo_line(line)
    t = rubric.targets
    echo_line("\ntargets:")
    echo_line(f"  readability grade {t.readability.grade_min:g}-{t.readability.grade_max:g}")
    echo_line(f"  grammar at most {t.grammar.max_issues_per_100_words:g} issues per 100 words")
    echo_line(
        f"  similarity: off-topic below {t.similarity.off_topic_below:g}, "
        f"too similar above {t.similarity.too_similar_above:g}, "
        f"copied passages of {t.similarity.copied_run_words}+ words"
    )
    if rubric.accept_words:
        echo_line(f"\naccepted words: {', '.join(rubric.accept_words)}")


def _criterion_lists(c: Criterion) -> list[tuple[str, Sequence[str]]]:
    """What finds and judges a criterion, as `rubric show` lists it."""
    lists: list[tuple[str, Sequence[str]]] = [
        ("exemplar paragraphs", [str(n) for n in c.exemplar_paragraphs]),
        ("cues", c.cues),
        ("met needs one of", c.met_requires),
        ("or, in a sentence without taste words", c.opinion_markers),
        ("taste words", c.taste_words),
    ]
    return [(label, entries) for label, entries in lists if entries]


@rubric_group.command("validate")
@click.argument("paths", nargs=-1, required=True, type=NonEmptyText())
@click.option(
    "--exemplar",
    type=NonEmptyPath(dir_okay=False, path_type=Path),
    default=None,
    help="The exemplar to check each rubric's exemplar_paragraphs against, as `check "
    "--exemplar` would use it. [default: the configuration's exemplar, else each rubric's "
    "own, else the bundled one]",
)
@config_options("its exemplar is the one the rubrics are checked against")
def validate_command(
    paths: tuple[str, ...], exemplar: Path | None, config_path: Path | None, no_config: bool
) -> None:
    """Validate rubric files strictly, as `check` would: unknown keys, wrong types,
    duplicate ids, and criteria mapped to paragraphs the exemplar does not have.

    Exit 0 when all are valid; otherwise one line per problem and exit 2.

    \b
    Examples:
      essaycoach rubric validate rubrics/literary-analysis.toml
      essaycoach rubric validate my-rubric.toml --exemplar my-exemplar.md
    """
    given = _exemplar_path(exemplar, selected_config(config_path, no_config))
    # read once: a missing exemplar is one line, not one per rubric
    essay = read_exemplar(given) if given is not None else None
    failed = False
    for path in paths:
        try:
            rubric = load_rubric(path)
            if essay is not None:
                chosen, text = chosen_exemplar(rubric, given), essay
            else:  # the rubric's own, or the bundled
                chosen, text = read_chosen_exemplar(rubric, given)
            exemplar_for(rubric, text, given=chosen is not None)
        except (RubricError, InputError) as error:
            click.echo(f"essaycoach: error: {error}", err=True)
            failed = True
            continue
        count = len(rubric.criteria)
        criteria = f"{count} criteri{'on' if count == 1 else 'a'}"
        # say which exemplar the paragraph map was checked against
        against = f"the exemplar {chosen}" if chosen else "the bundled exemplar (Never Let Me Go)"
        if notice := bundled_exemplar_notice(rubric, given):
            click.echo(f"essaycoach: warning: {notice}", err=True)
        if any(c.exemplar_paragraphs for c in rubric.criteria):
            echo_line(f"{path}: ok ({rubric.id}, {criteria}; paragraphs mapped on {against})")
        else:
            # valid, but coverage and the exemplar's steer on detection need the map
            echo_line(
                f"{path}: ok ({rubric.id}, {criteria}); note: no criterion maps paragraphs "
                f"of {against} (exemplar_paragraphs), so reports give no coverage per "
                "criterion and the exemplar does not help find the criteria"
            )
    if failed:
        raise click.exceptions.Exit(ExitCode.USAGE)


def _exemplar_path(exemplar: Path | None, config: Config | None) -> str | Path | None:
    """The exemplar `check` would use: --exemplar, the configuration's (its top level:
    per-path overrides need an essay's path), else None for the bundled one."""
    if exemplar is not None or config is None:
        return exemplar
    return config.settings(skip=("rubric",)).exemplar
