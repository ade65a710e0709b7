"""`essaycoach rubric`: list, show and validate rubrics."""

from __future__ import annotations

import click

from essaycoach.cli.base import EssaycoachGroup, echo_line
from essaycoach.errors import ExitCode, RubricError
from essaycoach.rubric import list_rubrics, load_rubric


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
@click.argument("name")
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
    echo_line(f"source: {rubric.source}\n")
    echo_line("criteria (in expected order):")
    for c in sorted(rubric.criteria, key=lambda c: (c.order or 999, c.id)):
        flag = "required" if c.required else "optional"
        echo_line(f"  {c.id:<18} weight {c.weight:<4g} {flag:<8} {c.name}: {c.description}")
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


@rubric_group.command("validate")
@click.argument("paths", nargs=-1, required=True)
def validate_command(paths: tuple[str, ...]) -> None:
    """Validate rubric files strictly: unknown keys, wrong types, duplicate ids.

    Exit 0 when all are valid; otherwise one line per problem and exit 2.

    \b
    Example:
      essaycoach rubric validate rubrics/literary-analysis.toml
    """
    failed = False
    for path in paths:
        try:
            rubric = load_rubric(path)
        except RubricError as error:
            click.echo(f"essaycoach: error: {error}", err=True)
            failed = True
            continue
        echo_line(f"{path}: ok ({rubric.id}, {len(rubric.criteria)} criteria)")
    if failed:
        raise click.exceptions.Exit(ExitCode.USAGE)
