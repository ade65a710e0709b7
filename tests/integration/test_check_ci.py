"""`essaycoach check` as CI pipelines use it: gating, output files, standard output."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.processes import run_essaycoach

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
STRONG = REPO / "examples" / "strong-never-let-me-go.md"
SHORT_ESSAY = "Kathy remembers Hailsham. She was happy there, and then she was not.\n"


def check(*args: str | Path, cwd: Path) -> tuple[int, str, str]:
    result = run_essaycoach("check", *args, "--grammar", "off", "--no-config", cwd=cwd, timeout=120)
    return result.returncode, result.stdout, result.stderr


def test_an_essay_that_cannot_be_judged_fails_fail_on_as_junit_says(tmp_path: Path) -> None:
    (tmp_path / "short.txt").write_text(SHORT_ESSAY, encoding="utf-8")
    code, out, err = check("short.txt", "--fail-on", "error", "--format", "junit", cwd=tmp_path)
    assert 'type="not_judged"' in out
    assert code == 1, err
    assert err.splitlines() == [
        "essaycoach: short.txt: could not be judged, which fails --fail-on error"
    ]
