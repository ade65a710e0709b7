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
