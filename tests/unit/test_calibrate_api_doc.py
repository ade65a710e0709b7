"""docs/calibration.md's "Python API" example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.fixtures.calibration import graded_class

DOC = (Path(__file__).resolve().parents[2] / "docs" / "calibration.md").read_text(encoding="utf-8")


def _python_api_example() -> str:
    section = DOC.split("## Python API", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_documented_imports_work() -> None:
    import essaycoach.calibrate
    from essaycoach.calibrate.model import calibrate

    first_line = _python_api_example().splitlines()[0]
    assert first_line.startswith("from essaycoach.calibrate import ")
    exec(first_line, {})  # an ImportError here is what a user copying the page gets
    assert essaycoach.calibrate.calibrate is calibrate
    assert "calibrate" in essaycoach.calibrate.__all__


def test_the_documented_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # it saves model.json in the working folder
    essays = graded_class()
    texts = [text for _, text, _ in essays]
    scores = [float(score) for _, _, score in essays]
    namespace = {"texts": texts, "scores": scores, "text": texts[-1]}
    exec(_python_api_example(), namespace)
    assert (tmp_path / "model.json").is_file()
    assert 1 <= namespace["p"].score <= 4
