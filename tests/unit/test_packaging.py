"""pyproject.toml builds with every setuptools its [build-system] allows."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# setuptools reads `license = "MIT"` (a PEP 639 SPDX expression) from 77.0.0 on; 68-76
# refuse the file ("`project.license` must be valid exactly by one definition"), so a
# build without pip's isolation (`--no-build-isolation`, a distribution's setuptools)
# failed although the requirement allowed it
LICENSE_EXPRESSION_SETUPTOOLS = (77, 0)


def test_build_requirement_reads_the_license_expression() -> None:
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert isinstance(data["project"]["license"], str)
    [requirement] = [r for r in data["build-system"]["requires"] if r.startswith("setuptools")]
    floor = re.fullmatch(r"setuptools>=(\d+)(?:\.(\d+))?", requirement.replace(" ", ""))
    assert floor, requirement
    assert (int(floor[1]), int(floor[2] or 0)) >= LICENSE_EXPRESSION_SETUPTOOLS, requirement


def test_the_repositorys_exemplar_is_the_packaged_one() -> None:
    """examples/never-let-me-go.txt is what users read in the repository; the package
    ships its own copy (src/essaycoach/data/exemplar), the default --exemplar. (The
    packaged rubrics are rubrics/ itself: data/rubrics is a link to it.)"""
    root = PYPROJECT.parent
    data = root / "src" / "essaycoach" / "data"
    shown = root / "examples" / "never-let-me-go.txt"
    assert shown.read_bytes() == (data / "exemplar" / "never-let-me-go.txt").read_bytes()
