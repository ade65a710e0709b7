"""The text report fits the terminal it is written to."""

from __future__ import annotations

import pytest

from essaycoach.render import RenderOptions, get_renderer
from tests.fixtures.reports import all_reports


@pytest.mark.parametrize("width", [80, 90])
def test_text_lines_fit_the_width_given(width: int) -> None:
    """QA: COLUMNS=80 still gave lines of up to 101 characters, wrapped again by the
    terminal (the table rows of the criteria excepted: they are columns)."""
    text = get_renderer("text", RenderOptions(width=width)).render(all_reports())
    table_rows = {"yes", "no"}
    long = [
        line
        for line in text.splitlines()
        if len(line) > width and not table_rows & set(line.split()) and "<script>" not in line
    ]
    assert long == []
