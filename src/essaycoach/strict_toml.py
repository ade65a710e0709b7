"""Decode TOML tables into frozen dataclasses, rejecting unknown keys and wrong types.

Used for rubrics and configuration files. Errors name the file and the dotted key
("criteria[2].weight"), like Vale's decoder with unused keys rejected.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from essaycoach.errors import EssaycoachError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


def read_toml(path: Path, error: type[EssaycoachError]) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error("no such file", path) from None
    except IsADirectoryError:
        raise error("is a directory, not a TOML file", path) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", path) from None
    try:
        return tomllib.loads(data.decode("utf-8-sig"))  # Windows editors may add a BOM
    except UnicodeDecodeError:
        raise error("not UTF-8 text", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"invalid TOML: {exc}", path) from None


def decode(
    cls: type[T], table: Any, path: Path | str, error: type[EssaycoachError], key: str = ""
) -> T:
    """Build `cls` (a dataclass) from a TOML table, strictly."""
    if not isinstance(table, dict):
        raise error(f"expected a table, got {_kind(table)}", path, key or None)
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    toml_names = {_toml_name(f): f for f in fields.values()}
    for name in table:
        if name not in toml_names:
            allowed = ", ".join(sorted(toml_names))
            raise error(f"unknown key (allowed: {allowed})", path, _join(key, name))
    values = {}
    for toml_name, f in toml_names.items():
        sub = _join(key, toml_name)
        if toml_name in table:
            values[f.name] = _convert(hints[f.name], table[toml_name], path, error, sub)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise error("missing required key", path, sub)
    try:
        return cls(**values)
    except ValueError as exc:  # __post_init__ validation
        raise error(str(exc), path, key or None) from None


def _toml_name(f: dataclasses.Field[Any]) -> str:
    return f.metadata.get("toml", f.name.replace("_", "-") if f.metadata.get("dash") else f.name)


def _convert(
    hint: Any, value: Any, path: Path | str, error: type[EssaycoachError], key: str
) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        non_none = [a for a in args if a is not type(None)]
        return _convert(non_none[0], value, path, error, key)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):  # a class, not an instance
        return decode(hint, value, path, error, key)
    if origin is tuple:
        if not isinstance(value, list):
            raise error(f"expected an array, got {_kind(value)}", path, key)
        item = args[0]
        return tuple(_convert(item, v, path, error, f"{key}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise error(f"expected a table, got {_kind(value)}", path, key)
        return {str(k): _convert(args[1], v, path, error, _join(key, k)) for k, v in value.items()}
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise error(f"expected a number, got {_kind(value)}", path, key)
        return float(value)
    if hint is typing.Any:
        return value
    if hint in (str, int, bool):
        if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
            raise error(f"expected {_article(hint)}, got {_kind(value)}", path, key)
        return value
    raise TypeError(f"unsupported type in schema: {hint!r}")  # a programming error


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else str(name)


def _article(hint: type) -> str:
    return {str: "a string", int: "an integer", bool: "a boolean (true/false)"}[hint]


def _kind(value: Any) -> str:
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)
