"""Option decorators shared by several commands."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from essaycoach.config import Config, discover_config, load_config
from essaycoach.settings import GRAMMAR_CHOICES, Settings, languagetool_url_problem
from essaycoach.word_lists import read_word_list

F = Callable[..., Any]


class FiniteFloatRange(click.FloatRange):
    """click's FloatRange, refusing nan and inf (nan passes every range comparison)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


class NonEmptyPath(click.Path):
    """click.Path refusing an empty value, which pathlib reads as "." (the working
    folder): `-o ''` would write over it, `--out ''` fill it with a gradebook."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        _refuse_empty(value, param, ctx, "path")
        return super().convert(value, param, ctx)


class NonEmptyText(click.ParamType):
    """A string refusing an empty value; `what` says in the error what it holds."""

    name = "text"

    def __init__(self, what: str = "name or path"):
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        _refuse_empty(value, param, ctx, self.what)
        return value


def _refuse_empty(
    value: Any, param: click.Parameter | None, ctx: click.Context | None, what: str
) -> None:
    """A usage error naming the option ("--output: empty path") for an empty value."""
    if value in ("", b""):
        if isinstance(param, click.Option):
            label = max(param.opts, key=len)
        else:
            label = param.human_readable_name if param is not None else "value"
        raise click.UsageError(f"{label}: empty {what}", ctx)


def pipeline_options(func: F) -> F:
    """--rubric, --exemplar, --grammar, --languagetool-url, --accept-words."""
    decorators = [
        click.option(
            "--rubric",
            metavar="NAME|PATH",
            type=NonEmptyText(),
            default=None,
            help="Rubric: a bundled name (see `essaycoach rubric list`) or a TOML file. "
            "[default: literary-analysis]",
        ),
        click.option(
            "--exemplar",
            type=NonEmptyPath(dir_okay=False, path_type=Path),
            default=None,
            help="Reference essay to compare with. [default: the configuration's, else the "
            "rubric's own `exemplar`, else the bundled Never Let Me Go exemplar]",
        ),
        click.option(
            "--grammar",
            type=click.Choice(GRAMMAR_CHOICES),
            default=None,
            help="Grammar engine. [default: auto]",
        ),
        click.option(
            "--languagetool-url",
            metavar="URL",
            envvar="ESSAYCOACH_LANGUAGETOOL_URL",
            default=None,
            callback=_check_languagetool_url,
            help="A LanguageTool server you run or trust (essays are sent there). "
            "[env: ESSAYCOACH_LANGUAGETOOL_URL]",
        ),
        click.option(
            "--accept-words",
            type=NonEmptyPath(dir_okay=False, path_type=Path),
            default=None,
            help="A file of words (one per line) the spell checkers must accept.",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _check_languagetool_url(
    ctx: click.Context, param: click.Parameter, url: str | None
) -> str | None:
    """A usage error naming the option (or its environment variable) for a URL that
    cannot be a LanguageTool server's."""
    problem = None if url is None else languagetool_url_problem(url)
    if problem is None:
        return url
    if ctx.get_parameter_source(param.name or "") is ParameterSource.ENVIRONMENT:
        problem += f" (from {param.envvar})"
    raise click.BadParameter(problem, ctx, param)


def config_options(scope: str) -> Callable[[F], F]:
    """--config and --no-config; `scope` says which of the file's settings apply."""
    help_text = (
        f"Configuration file ({scope}). [default: the nearest essaycoach.toml, or "
        "pyproject.toml with [tool.essaycoach], from the working directory up]"
    )

    def decorate(func: F) -> F:
        func = click.option("--no-config", is_flag=True, help="Ignore configuration files.")(func)
        return click.option(
            "--config",
            "config_path",
            type=NonEmptyPath(dir_okay=False, path_type=Path),
            default=None,
            help=help_text,
        )(func)

    return decorate


def selected_config(config_path: Path | None, no_config: bool) -> Config | None:
    """The configuration --config names, else the one found from here up; none with --no-config."""
    if no_config:
        if config_path is not None:
            raise click.UsageError("--config and --no-config contradict each other; give one")
        return None
    if config_path:
        return load_config(config_path)
    config = discover_config()
    if config is not None and config.ignored_url_owner is not None:
        click.echo(
            f"essaycoach: warning: {config.path}: {config._key('languagetool_url')} ignored: "
            f"the file belongs to another user (uid {config.ignored_url_owner}), so it may "
            "not choose where essays are sent; pass it with --config if you trust it",
            err=True,
        )
    return config


def config_inputs(config: Config | None, accept_words: Path | None) -> Iterator[tuple[Path, str]]:
    """The configuration file and the word lists a run reads, each with what it is:
    no essay, and no file to write a report over."""
    if config is not None and config.path:
        yield Path(config.path), "the configuration file"
        if config.word_list_path is not None:
            yield config.word_list_path, "the configuration's word list"
    if accept_words is not None:
        yield accept_words, "the --accept-words file"


def config_settings(
    config: Config | None,
    essay_path: Path | None,
    rubric: str | None,
    exemplar: Path | None,
) -> Settings:
    """The configuration file's settings (defaults without one) for `build_settings`,
    leaving out the rubric and exemplar when their flags replace them."""
    if config is None:
        return Settings()
    skip = [n for n, flag in (("rubric", rubric), ("exemplar", exemplar)) if flag is not None]
    return config.settings(essay_path, skip=skip)


def build_settings(
    base: Settings,
    rubric: str | None,
    exemplar: Path | None,
    grammar: str | None,
    languagetool_url: str | None,
    accept_words: Path | None,
) -> Settings:
    """Command-line values override `base` (defaults or configuration file)."""
    overrides: dict[str, Any] = {}
    if rubric is not None:
        overrides["rubric"] = rubric
    if exemplar is not None:
        overrides["exemplar"] = str(exemplar)
    if grammar is not None:
        overrides["grammar"] = grammar
    if languagetool_url is not None:
        overrides["languagetool_url"] = languagetool_url
    if accept_words is not None:
        overrides["accept_words"] = base.accept_words + read_word_list(accept_words)
    return dataclasses.replace(base, **overrides)
