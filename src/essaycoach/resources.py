"""Where the bundled rubrics and default exemplar live (installed or in a checkout)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def bundled_rubrics_dir() -> Path:
    return _PACKAGE_DATA / "rubrics"


def default_exemplar_path() -> Path:
    return _PACKAGE_DATA / "exemplar" / "never-let-me-go.txt"
