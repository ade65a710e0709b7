"""Project configuration: `essaycoach.toml`, or `[tool.essaycoach]` in pyproject.toml.

Found by walking up from the working directory; in each directory `essaycoach.toml`
wins over pyproject.toml, and a pyproject.toml without a `[tool.essaycoach]` table is
passed over. Validated strictly like rubrics: an unknown key or a wrong type is a
ConfigError naming the file and the key. Relative paths in the file (exemplar,
word_list, a rubric given as a path, override patterns) are relative to the file's
directory. Command-line flags override everything here. Documented in
docs/configuration.md.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from essaycoach.errors import ConfigError, InputError, RubricError
from essaycoach.gating import FAIL_ON_CHOICES, ThresholdOrigin
from essaycoach.render import FORMATS
from essaycoach.rubric import bundled_rubric_path
from essaycoach.settings import GRAMMAR_CHOICES, Settings, languagetool_url_problem
from essaycoach.strict_toml import decode, read_toml
from essaycoach.word_lists import read_word_list

CONFIG_FILE = "essaycoach.toml"
PYPROJECT = "pyproject.toml"
PYPROJECT_KEY = "tool.essaycoach"


def _check_choice(name: str, value: str | None, choices: tuple[str, ...]) -> None:
    if value is not None and value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


def _check_thresholds(fail_under: float | None, min_words: int | None) -> None:
    if fail_under is not None and not 0 <= fail_under <= 100:
        raise ValueError(f"fail_under must be between 0 and 100, not {fail_under:g}")
    if min_words is not None and min_words < 1:
        raise ValueError("min_words must be at least 1")


def _check_paths(**paths: str | None) -> None:
    """An empty path would name the configuration's own folder, not a file."""
    for name, value in paths.items():
        if value is not None and not value.strip():
            raise ValueError(f"{name} is empty")


@dataclass(frozen=True)
class Override:
    """Settings for essays whose path matches one of `paths` (glob patterns)."""

    paths: tuple[str, ...]
    rubric: str | None = None
    exemplar: str | None = None
    grammar: str | None = None
    accept_words: tuple[str, ...] = ()  # added to the top-level accept_words
    min_words: int | None = None
    fail_under: float | None = None
    fail_on: str | None = None

    def __post_init__(self) -> None:
        if not self.paths:
            raise ValueError("paths must list at least one glob pattern")
        for pattern in self.paths:
            try:
                _glob_regex(pattern)
            except re.error as error:
                raise ValueError(f"paths: invalid glob pattern {pattern!r} ({error})") from None
        _check_choice("grammar", self.grammar, GRAMMAR_CHOICES)
        _check_choice("fail_on", self.fail_on, FAIL_ON_CHOICES)
        _check_thresholds(self.fail_under, self.min_words)
        _check_paths(rubric=self.rubric, exemplar=self.exemplar)


@dataclass(frozen=True)
class Thresholds:
    fail_under: float | None = None
    fail_on: str | None = None


@dataclass(frozen=True)
class Config:
    rubric: str | None = None  # bundled rubric name or path to a rubric TOML file
    exemplar: str | None = None
    grammar: str | None = None
    languagetool_url: str | None = None
    harper_server: bool | None = None  # `check` lints through the warm Harper server
    accept_words: tuple[str, ...] = ()
    word_list: str | None = None  # a file of accepted words, one per line
    min_words: int | None = None
    format: str | None = None  # default --format
    fail_under: float | None = None
    fail_on: str | None = None
    overrides: tuple[Override, ...] = ()
    path: str = field(default="", init=False, compare=False)  # the file it came from
    # set when `discover_config` left out the languagetool_url of another user's file:
    # the owner's uid, for the warning the command prints
    ignored_url_owner: int | None = field(default=None, init=False, compare=False)

    def __post_init__(self) -> None:
        _check_choice("grammar", self.grammar, GRAMMAR_CHOICES)
        _check_choice("fail_on", self.fail_on, FAIL_ON_CHOICES)
        _check_choice("format", self.format, FORMATS)
        _check_thresholds(self.fail_under, self.min_words)
        _check_paths(rubric=self.rubric, exemplar=self.exemplar, word_list=self.word_list)
        if self.languagetool_url is not None:
            problem = languagetool_url_problem(self.languagetool_url)
            if problem:
                raise ValueError(f"languagetool_url {problem}")

    @property
    def root(self) -> Path:
        """The directory relative paths in the file are resolved against."""
        return Path(self.path).resolve().parent if self.path else Path.cwd()

    def overrides_for(self, essay_path: str | Path | None) -> list[Override]:
        """The overrides whose patterns match `essay_path`, in file order (later wins);
        none for an essay without a path (standard input without --stdin-filename)."""
        if essay_path is None:
            return []
        relative = _relative_posix(Path(essay_path), self.root)
        return [o for o in self.overrides if any(glob_match(p, relative) for p in o.paths)]

    def settings(
        self, essay_path: str | Path | None = None, *, skip: Collection[str] = ()
    ) -> Settings:
        """Settings from this file (and the overrides matching `essay_path`) over the defaults.

        `skip` names settings the command line sets ("rubric", "exemplar"): this
        file's values for them are neither used nor checked, so a flag can stand in
        for a rubric or exemplar the file names but that no longer exists.
        """
        values: dict[str, object] = {}
        layers: list[Config | Override] = [self]
        if essay_path is not None:
            layers += self.overrides_for(essay_path)
        words: list[str] = []
        if self.word_list_path is not None:
            words += _read_word_list(self.word_list_path, self.path, self._key("word_list"))
        # every override's files are checked, matching or not: a typo in one for a folder
        # no essay is in yet failed only when the first essay arrived there (QA)
        every: list[Config | Override] = [self, *self.overrides]
        checked = {id(layer): self._checked_files(layer, skip) for layer in every}
        for layer in layers:
            values.update(checked[id(layer)])
            if layer.grammar is not None:
                values["grammar"] = layer.grammar
            if layer.min_words is not None:
                values["min_words"] = layer.min_words
            words += layer.accept_words
        if self.languagetool_url is not None:
            values["languagetool_url"] = self.languagetool_url
        if words:
            values["accept_words"] = tuple(dict.fromkeys(words))
        return Settings(**values)  # type: ignore[arg-type]

    def _checked_files(self, layer: Config | Override, skip: Collection[str]) -> dict[str, str]:
        """The rubric and exemplar `layer` sets, resolved; ConfigError naming the key if
        one is not there."""
        prefix = "" if layer is self else f"overrides[{self.overrides.index(layer)}]."
        values: dict[str, str] = {}
        if layer.rubric is not None and "rubric" not in skip:
            values["rubric"] = self._resolve_rubric(layer.rubric, self._key(prefix + "rubric"))
        if layer.exemplar is not None and "exemplar" not in skip:
            exemplar = self._resolve(layer.exemplar)
            if exemplar.is_dir():
                problem = f"exemplar is a folder, not an essay file: {exemplar}"
            elif not exemplar.is_file():
                problem = f"exemplar file not found: {exemplar}"
            else:
                problem = ""
            if problem:
                raise ConfigError(problem, self.path, self._key(prefix + "exemplar"))
            values["exemplar"] = str(exemplar)
        return values

    def thresholds(self, essay_path: str | Path | None = None) -> Thresholds:
        fail_under, fail_on = self.fail_under, self.fail_on
        for override in self.overrides_for(essay_path):
            fail_under = override.fail_under if override.fail_under is not None else fail_under
            fail_on = override.fail_on if override.fail_on is not None else fail_on
        return Thresholds(fail_under, fail_on)

    def threshold_origins(self, essay_path: str | Path | None) -> dict[str, ThresholdOrigin]:
        """Where this file sets `essay_path`'s thresholds ("fail_under", "fail_on"): the
        last matching `[[overrides]]` entry that sets one, else the top level."""
        origins: dict[str, ThresholdOrigin] = {}
        matching = self.overrides_for(essay_path)
        for name in ("fail_under", "fail_on"):
            key = name if getattr(self, name) is not None else None
            for index, override in enumerate(self.overrides):
                if getattr(override, name) is not None and any(o is override for o in matching):
                    key = f"overrides[{index}].{name}"
            if key is not None:
                origins[name] = ThresholdOrigin(self._key(key), self.path)
        return origins

    @property
    def word_list_path(self) -> Path | None:
        """The `word_list` file, relative paths taken from this file's folder."""
        return self._resolve(self.word_list) if self.word_list else None

    def _key(self, name: str) -> str:
        """`name` as errors about this file give keys: under [tool.essaycoach] in a
        pyproject.toml, as the loader's own errors do."""
        return f"{PYPROJECT_KEY}.{name}" if Path(self.path).name == PYPROJECT else name

    def _resolve(self, value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.root / path

    def _resolve_rubric(self, value: str, key: str) -> str:
        """A bundled rubric's name, or the path of a rubric file; ConfigError if neither.

        A bare name is a file beside the configuration if one is there, else a bundled
        rubric: never a file in whatever folder the command runs from."""
        path = self._resolve(value)
        looks_like_path = value.endswith(".toml") or "/" in value or "\\" in value
        if looks_like_path or path.is_file():  # a folder named like a bundled rubric is not
            if path.is_dir():
                raise ConfigError(f"rubric is a folder, not a TOML file: {path}", self.path, key)
            if not path.is_file():
                raise ConfigError(f"rubric file not found: {path}", self.path, key)
            from essaycoach.readers import SUPPORTED_SUFFIXES

            if path.suffix.lower() in SUPPORTED_SUFFIXES:  # QA: "a.md: invalid TOML", no key
                problem = f"rubric is an essay file, not a TOML rubric: {path}"
                raise ConfigError(problem, self.path, key)
            return str(path)
        try:
            bundled_rubric_path(value)
        except RubricError as error:
            raise ConfigError(f"{value!r}: {error.message}", self.path, key) from None
        return value


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest essaycoach.toml, or pyproject.toml with [tool.essaycoach], from `start` up."""
    directory = Path(start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def load_config(path: str | Path) -> Config:
    """Read and validate one configuration file (essaycoach.toml or pyproject.toml)."""
    path = Path(path)
    data = read_toml(path, ConfigError)
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get("essaycoach")
        if table is None:
            raise ConfigError(f"no [{PYPROJECT_KEY}] table", path)
        config = decode(Config, table, path, ConfigError, PYPROJECT_KEY)
    else:
        config = decode(Config, data, path, ConfigError)
    object.__setattr__(config, "path", str(path))
    return config


def discover_config(start: str | Path | None = None) -> Config | None:
    """The configuration found from `start` up (`find_config`), if any. One that another
    user owns may not choose where essays go: its `languagetool_url` is left out and
    `ignored_url_owner` set, for the command to warn. A file planted in a shared folder
    above the essays (/tmp, a class share) would otherwise send them to its owner's
    server without a word (QA). `--config FILE` is the user's choice."""
    found = find_config(start)
    if found is None:
        return None
    config = load_config(found)
    owner = _other_owner(found)
    if config.languagetool_url is not None and owner is not None:
        object.__setattr__(config, "languagetool_url", None)
        object.__setattr__(config, "ignored_url_owner", owner)
    return config


def _other_owner(path: Path) -> int | None:
    """The owner's uid when `path` belongs to neither this user nor root, else None (and
    None where files have no uid owners)."""
    if not hasattr(os, "getuid"):
        return None
    uid = path.stat().st_uid
    return None if uid in (0, os.getuid()) else uid


def _has_tool_table(pyproject: Path) -> bool:
    data = read_toml(pyproject, ConfigError)
    tool = data.get("tool")
    return isinstance(tool, dict) and "essaycoach" in tool


def _read_word_list(path: Path, config_path: str, key: str) -> list[str]:
    if not path.exists():
        raise ConfigError(f"word_list file not found: {path}", config_path, key)
    try:
        return list(read_word_list(path))
    except InputError as error:
        raise ConfigError(f"{path}: {error.message}", config_path, key) from None


def _relative_posix(path: Path, root: Path) -> str:
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return absolute.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def glob_match(pattern: str, path: str) -> bool:
    """Match a POSIX path against a glob: `*` and `?` within a name, `**` across folders.

    A pattern without "/" matches the file name at any depth ("*.md"), as in .gitignore.
    """
    if "/" not in pattern:
        pattern = "**/" + pattern
    return _glob_regex(pattern.removeprefix("./")).fullmatch(path) is not None


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append(f"[{body}]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))
