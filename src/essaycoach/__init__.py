"""essaycoach: essay feedback on structure, similarity, readability and grammar."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

# The library only logs: without a handler of the caller's, Python's last-resort handler
# would print its warnings on stderr (the CLI adds its own, essaycoach.cli)
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["Pipeline", "Report", "Settings", "__version__", "check"]


def __getattr__(name: str):  # lazy, so `import essaycoach` stays fast for the CLI
    if name in ("Pipeline", "check"):
        from essaycoach import pipeline

        return getattr(pipeline, name)
    if name == "Report":
        from essaycoach.report import Report

        return Report
    if name == "Settings":
        from essaycoach.settings import Settings

        return Settings
    raise AttributeError(name)
