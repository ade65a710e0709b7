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


def test_the_repositorys_rubrics_and_exemplar_are_the_packaged_ones() -> None:
    """rubrics/ and examples/never-let-me-go.txt are what users read and edit in the
    repository; the package ships its own copies (src/essaycoach/data), the defaults."""
    root = PYPROJECT.parent
    data = root / "src" / "essaycoach" / "data"
    pairs = [(root / "examples" / "never-let-me-go.txt", data / "exemplar" / "never-let-me-go.txt")]
    rubrics = sorted((root / "rubrics").glob("*.toml"))
    assert rubrics
    pairs += [(rubric, data / "rubrics" / rubric.name) for rubric in rubrics]
    for repository_copy, packaged in pairs:
        assert repository_copy.read_bytes() == packaged.read_bytes(), repository_copy
