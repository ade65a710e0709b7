"""essaycoach: essay feedback on structure, similarity, readability and grammar."""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The library only logs: without a handler of the caller's, Python's last-resort handler
# would print its warnings on stderr (the CLI adds its own, essaycoach.cli)
logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:  # what a type checker sees; at run time they load on first use
    from essaycoach import calibrate as calibrate
    from essaycoach import errors as errors
    from essaycoach import render as render
    from essaycoach.pipeline import Pipeline, check
    from essaycoach.report import Report
    from essaycoach.settings import Settings

__all__ = ["Pipeline", "Report", "Settings", "__version__", "check"]

# lazy, so `import essaycoach` stays fast for the CLI (calibrate imports scikit-learn)
_LAZY_NAMES = {
    "Pipeline": "essaycoach.pipeline",
    "check": "essaycoach.pipeline",
    "Report": "essaycoach.report",
    "Settings": "essaycoach.settings",
}
_LAZY_MODULES = ("calibrate", "errors", "render")


def __getattr__(name: str) -> Any:
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(_LAZY_NAMES[name]), name)
    if name in _LAZY_MODULES:
        return importlib.import_module(f"essaycoach.{name}")
    raise AttributeError(f"module 'essaycoach' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY_NAMES, *_LAZY_MODULES})
