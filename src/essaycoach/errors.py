"""Exceptions raised by the library and the exit codes the CLI maps them to."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes, shared by every command."""

    OK = 0
    #: `check`: a score under --fail-under or a finding at --fail-on;
    #: `grade`: some submissions failed.
    FAILED = 1
    #: Usage or input errors: bad option, unreadable file, invalid rubric or config.
    USAGE = 2
    #: Stopped by Ctrl-C (the shell's 128 + SIGINT); `grade` resumes when rerun.
    INTERRUPTED = 130
    #: The reader of standard output went away (`| head`): the shell's 128 + SIGPIPE.
    BROKEN_PIPE = 141


class EssaycoachError(Exception):
    """Base for every error the library raises on purpose.

    `str(error)` is one line meant for the user; it names the file and,
    where there is one, the key or line that is wrong.
    """

    def __init__(self, message: str, path: str | Path | None = None, key: str | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.key = key
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.path or ""
        if self.key:
            where = f"{where}: {self.key}" if where else self.key
        return f"{where}: {self.message}" if where else self.message


class InputError(EssaycoachError):
    """An essay file that cannot be read or judged as text."""


class RubricError(EssaycoachError):
    """A rubric file that is missing, malformed or fails validation."""


class OutputError(EssaycoachError):
    """A report, gradebook or model file that cannot be written (a missing or read-only
    folder, a path through a file, a full disk)."""


class ConfigError(EssaycoachError):
    """An essaycoach.toml / pyproject section that fails validation."""


class SettingsError(EssaycoachError, ValueError):
    """A `Settings` field of the wrong type or value; `key` names the field.

    Also a ValueError, which `Settings` raised before this class existed."""


class CalibrationError(EssaycoachError, ValueError):
    """Scores and essays a model cannot be calibrated on (too few, one score for all,
    scores off any grid).

    Also a ValueError, which `calibrate` raised before this class existed."""


class EngineError(EssaycoachError):
    """A grammar engine that cannot be started or answered with an error."""


class ModelError(EssaycoachError):
    """A calibration model file that is missing, mismatched or tampered with."""
