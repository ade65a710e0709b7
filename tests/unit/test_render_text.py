"""What the text report (and, where they share it, the Markdown and HTML ones) says
beyond the findings, and how it fits the terminal."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from essaycoach.render import RenderOptions, get_renderer
from tests.fixtures.reports import all_reports


@pytest.mark.parametrize("width", [80, 90])
def test_text_lines_fit_the_width_given(width: int) -> None:
    """QA: COLUMNS=80 still gave lines of up to 101 characters, wrapped again by the
    terminal (the table rows of the criteria excepted: they are columns)."""
    reports = all_reports()
    long_name = replace(reports[0].essay, source="period2/drafts/" + "x" * 60 + ".md")
    reports.append(replace(reports[0], essay=long_name))
    text = get_renderer("text", RenderOptions(width=width)).render(reports)
    table_rows = {"yes", "no"}
    long = [
        line
        for line in text.splitlines()
        if len(line) > width and not table_rows & set(line.split()) and "<script>" not in line
    ]
    assert long == []


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_few_grammar_issues_come_with_the_engines_limits(fmt: str) -> None:
    """QA: an ESL essay with a dozen missed article and preposition errors had full
    grammar marks and nothing said that the checkers miss most learner errors."""
    from tests.fixtures.reports import hostile_report, strong_report

    within, over = strong_report(), hostile_report()
    assert within.grammar and within.grammar.issues_per_100_words <= 1.5
    assert over.grammar and over.grammar.issues_per_100_words > 1.5
    note = "Grammar checkers find only a fifth to a third of the errors learners make"
    assert note in " ".join(get_renderer(fmt).render([within]).split())
    assert note not in " ".join(get_renderer(fmt).render([over]).split())


def test_the_score_s_parts_show_their_most() -> None:
    """QA: "structure 51.0, readability 10.0, grammar 20.0" never said out of what."""
    from pathlib import Path

    import essaycoach

    strong = Path(__file__).parents[2] / "examples" / "strong-never-let-me-go.md"
    checked = essaycoach.check(strong, grammar="harper")
    assert sum(checked.score.maxima.values()) == pytest.approx(100)
    assert "(structure 62.7/70, readability 10.0/10, grammar 20.0/20)" in get_renderer(
        "text"
    ).render([checked])
    # without grammar the others are scaled up to 100, and so are their most
    unchecked = essaycoach.check(strong, grammar="off")
    assert "structure 78.4/87.5, readability 12.5/12.5" in get_renderer("markdown").render(
        [unchecked]
    )


def test_a_part_and_its_most_are_shown_alike() -> None:
    """QA re-check: "readability 9.1/9.09" read as more than the most."""
    from tests.fixtures.reports import strong_report

    report = strong_report()
    report = replace(
        report,
        score=replace(
            report.score,
            components={"readability": 100 / 11, "grammar": 1.94},
            maxima={"readability": 100 / 11, "grammar": 1.94, "structure": 70.0},
        ),
    )
    text = get_renderer("text").render([report])
    assert "(readability 9.1/9.1, grammar 1.9/1.9)" in text


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_evidence_is_quoted_without_markdown_markup(fmt: str) -> None:
    """QA: "17:6 "Inciting incident:** Kathy dances..."" and "In *Never Let Me Go*, ..."."""
    import essaycoach

    report = essaycoach.check("tests/fixtures/structure/plot-stages-list.md", grammar="off")
    out = get_renderer(fmt, RenderOptions(width=100)).render([report])
    assert re.search(r"[\"“]Climax: Kathy and Tommy visit Madame", out)
    assert "Climax:**" not in out and "*Never Let Me Go*, Kazuo" not in out
