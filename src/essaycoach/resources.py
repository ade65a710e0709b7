"""Where the bundled rubrics and default exemplar live (installed or in a checkout)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DATA = Path(__file__).resolve().parent / "data"
# how a report names a file that ships with essaycoach ("bundled:never-let-me-go.txt")
BUNDLED_PREFIX = "bundled:"


def bundled_rubrics_dir() -> Path:
    return _PACKAGE_DATA / "rubrics"


def default_exemplar_path() -> Path:
    return _PACKAGE_DATA / "exemplar" / "never-let-me-go.txt"


def bundled_data(*parts: str) -> Path:
    """A file shipped in the package's data folder, e.g. bundled_data("grammar", "x.txt")."""
    return _PACKAGE_DATA.joinpath(*parts)
