"""The total follows the rubric weights; improvements point at places in the essay."""

from __future__ import annotations

from dataclasses import replace

import pytest

from essaycoach.checks.structure import copied_evidence_findings
from essaycoach.essay import Essay
from essaycoach.findings import Finding, Severity, Span
from essaycoach.report import (
    CopiedPassage,
    CriterionResult,
    Evidence,
    GrammarIssueOut,
    GrammarSummary,
    HardSentence,
    ReadabilitySummary,
    SimilaritySummary,
    StructureSummary,
)
from essaycoach.rubric import load_rubric
from essaycoach.scoring import (
    ORDER_PROBLEMS_COUNTED,
    grammar_fraction,
    readability_fraction,
    score_essay,
)
from tests.fixtures.reports import STRONG_ESSAY

RUBRIC = load_rubric("literary-analysis")
ESSAY = Essay.from_text(STRONG_ESSAY, markdown=True)


def criteria(missing: tuple[str, ...] = ()) -> StructureSummary:
    results = []
    for index, c in enumerate(RUBRIC.criteria):
        para = ESSAY.paragraphs[min(index, len(ESSAY.paragraphs) - 1)]
        found = c.id not in missing
        evidence = (Evidence(para.index, para.start, para.end, para.text, 0.9),) if found else ()
        results.append(
            CriterionResult(
                c.id,
                c.name,
                c.required,
                "met" if found else "missing",
                0.9,
                4 if found else 0,
                "",
                c.feedback.met if found else c.feedback.missing,
                c.weight,
                evidence,
            )
        )
    return StructureSummary(tuple(results))


def readability(grade: float) -> ReadabilitySummary:
    band = RUBRIC.targets.readability
    verdict = (
        "in_band"
        if band.grade_min <= grade <= band.grade_max
        else ("too_hard" if grade > band.grade_max else "too_easy")
    )
    return ReadabilitySummary(
        60, grade, grade, grade, grade, grade, grade, band.grade_min, band.grade_max, verdict, 18, 6
    )


def grammar(rate: float) -> GrammarSummary:
    return GrammarSummary("harper", (), rate, RUBRIC.targets.grammar.max_issues_per_100_words)


def similarity(*flags: str) -> SimilaritySummary:
    return SimilaritySummary(0.3, 0.0, {}, (), 0.0, flags)


def test_a_perfect_essay_scores_100():
    score = score_essay(ESSAY, RUBRIC, criteria(), readability(11), grammar(0.5), similarity())
    assert score.total == pytest.approx(100)
    assert score.improvements == ()


def test_missing_required_criterion_costs_its_weight_and_is_pointed_at():
    score = score_essay(
        ESSAY, RUBRIC, criteria(("climax",)), readability(11), grammar(0), similarity()
    )
    weight_share = RUBRIC.criterion("climax").weight / sum(c.weight for c in RUBRIC.criteria)
    assert score.total == pytest.approx(100 - 70 * weight_share)
    top = score.improvements[0]
    assert top.criterion == "climax"
    assert top.start is not None and top.end > top.start
    assert "paragraph" in top.message


def test_order_problem_takes_points_and_points_at_the_paragraph():
    para = ESSAY.paragraphs[1]
    order = Finding(
        "structure",
        "structure.order",
        Severity.WARNING,
        "resolution before climax",
        Span(para.start, para.end),
    )
    score = score_essay(
        ESSAY,
        RUBRIC,
        criteria(),
        readability(11),
        grammar(0),
        similarity(),
        structure_findings=[order],
    )
    assert score.total == pytest.approx(100 - RUBRIC.scoring.order_penalty)
    assert score.improvements[0].start == para.start


def test_off_topic_is_capped_and_says_so():
    score = score_essay(
        ESSAY, RUBRIC, criteria(), readability(11), grammar(0), similarity("off_topic")
    )
    cap = RUBRIC.scoring.off_topic_cap
    assert score.total == cap
    assert score.components["off_topic"] == pytest.approx(cap - 100)
    assert sum(score.components.values()) == pytest.approx(score.total)
    top = score.improvements[0]
    assert top.message.startswith(
        f"Topic: the essay reads as off topic for this rubric, which caps its score at {cap:g}"
    )
    # what to do comes from the rubric's required criteria, not a fixed sentence
    required = [c.name.lower() for c in RUBRIC.criteria if c.required]
    assert top.message.endswith(f"{', '.join(required[:-1])} and {required[-1]}.")
    assert top.gain == pytest.approx(100 - cap)


def test_an_off_topic_essay_under_the_cap_shows_no_cap():
    score = score_essay(
        ESSAY, RUBRIC, criteria(("thesis", "conflict", "climax", "resolution", "rising_action",
        "falling_action", "inciting_incident")), readability(20), grammar(9.0),
        similarity("off_topic"),
    )  # fmt: skip
    assert score.total < RUBRIC.scoring.off_topic_cap
    assert "off_topic" not in score.components
    assert not any(i.message.startswith("Topic:") for i in score.improvements)


def copied(copy_score: float, *flags: str) -> SimilaritySummary:
    para = ESSAY.paragraphs[2]
    passage = CopiedPassage(para.start, para.end, 0, 10, 30, para.text)
    return SimilaritySummary(0.9, copy_score, {}, (passage,), copy_score, flags)


def test_a_too_similar_essay_keeps_only_its_own_share_of_the_points():
    score = score_essay(
        ESSAY, RUBRIC, criteria(), readability(11), grammar(0), copied(0.5, "too_similar")
    )
    assert score.total == pytest.approx(50)
    assert score.components["copied"] == pytest.approx(-50)
    top = score.improvements[0]
    assert top.message.startswith("Copying: 50% of the essay")
    assert top.gain == pytest.approx(50)
    assert (top.start, top.end) == (ESSAY.paragraphs[2].start, ESSAY.paragraphs[2].end)


def test_a_wholly_copied_essay_scores_0():
    score = score_essay(
        ESSAY, RUBRIC, criteria(), readability(11), grammar(0), copied(1.0, "too_similar")
    )
    assert score.total == pytest.approx(0)


def test_copying_under_the_limit_costs_nothing():
    """Below too_similar_above the matches are stock phrases, not copying (no flag)."""
    score = score_essay(ESSAY, RUBRIC, criteria(), readability(11), grammar(0), copied(0.03))
    assert score.total == pytest.approx(100)
    assert "copied" not in score.components


def test_copy_deduction_0_leaves_copying_to_the_teacher():
    rubric = replace(RUBRIC, scoring=replace(RUBRIC.scoring, copy_deduction=0.0))
    score = score_essay(
        ESSAY, rubric, criteria(), readability(11), grammar(0), copied(0.5, "too_similar")
    )
    assert score.total == pytest.approx(100)
    assert "copied" not in score.components


def test_a_copied_off_topic_essay_is_deducted_then_capped():
    score = score_essay(
        ESSAY, RUBRIC, criteria(), readability(11), grammar(0),
        copied(0.8, "too_similar", "off_topic"),
    )  # fmt: skip
    assert RUBRIC.scoring.off_topic_cap > 20
    assert score.total == pytest.approx(20)  # 100 less 80 copied; under the cap


@pytest.mark.parametrize(
    ("grade", "expected"), [(11, 1.0), (9, 1.0), (14, 1.0), (16, 0.5), (5, 0.0), (20, 0.0)]
)
def test_readability_fraction(grade, expected):
    assert readability_fraction(readability(grade)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("rate", "expected"), [(0.0, 1.0), (1.5, 1.0), (3.0, 0.5), (4.5, 0.0), (9.0, 0.0)]
)
def test_grammar_fraction(rate, expected):
    assert grammar_fraction(grammar(rate)) == pytest.approx(expected)


def test_grammar_off_leaves_grammar_out_of_the_total():
    off = replace(grammar(0), engine="off")
    score = score_essay(ESSAY, RUBRIC, criteria(), readability(11), off, similarity())
    assert "grammar" not in score.components
    assert score.total == pytest.approx(100)


@pytest.mark.parametrize("engine", ["harper", "off"])
def test_components_add_up_to_the_total(engine):
    order = Finding(
        "structure", "structure.order", Severity.WARNING, "resolution before climax",
        Span(ESSAY.paragraphs[1].start, ESSAY.paragraphs[1].end),
    )  # fmt: skip
    score = score_essay(
        ESSAY, RUBRIC, criteria(missing=("climax",)), readability(17),
        replace(grammar(3.0), engine=engine), copied(0.25, "too_similar"),
        structure_findings=[order],
    )  # fmt: skip
    assert score.components["order"] == -RUBRIC.scoring.order_penalty
    assert score.components["copied"] < 0
    assert sum(score.components.values()) == pytest.approx(score.total)
    assert 0 < score.total < 100 - RUBRIC.scoring.order_penalty


def test_met_below_top_level_says_what_the_top_level_asks():
    summary = criteria()
    thesis = replace(summary.criteria[0], level=3)
    summary = replace(summary, criteria=(thesis, *summary.criteria[1:]))
    score = score_essay(ESSAY, RUBRIC, summary, readability(11), grammar(0), similarity())
    top = score.improvements[0]
    assert top.criterion == "thesis"
    assert "level 3 of 4" in top.message
    assert RUBRIC.level_descriptor(RUBRIC.criterion("thesis"), 4) in top.message
    assert top.start == thesis.evidence[0].start


def grammar_issue(paragraph: int) -> GrammarIssueOut:
    para = ESSAY.paragraphs[paragraph]
    end = para.start + len(para.text.split()[0])
    return GrammarIssueOut(
        para.start, end, 1, 1, para.text[: end - para.start], "Possible typo.", "R", "spelling",
        (), "harper",
    )  # fmt: skip


@pytest.mark.parametrize(("count", "wording"), [(1, "1 issue ("), (2, "2 issues (")])
def test_grammar_improvement_counts_issues_in_the_right_number(count, wording):
    issues = tuple(grammar_issue(i) for i in range(count))
    summary = replace(grammar(3.0), issues=issues)
    score = score_essay(ESSAY, RUBRIC, criteria(), readability(11), summary, similarity())
    [improvement] = [i for i in score.improvements if i.message.startswith("Grammar")]
    assert f"Grammar and spelling: {wording}" in improvement.message
    assert (improvement.start, improvement.end) == (issues[0].start, issues[0].end)


def test_too_hard_readability_points_at_the_hardest_sentence():
    sentence = ESSAY.sentences[2]
    hardest = HardSentence(sentence.start, sentence.end, sentence.text, 19.0)
    too_hard = replace(readability(16), hardest_sentences=(hardest,))
    score = score_essay(ESSAY, RUBRIC, criteria(), too_hard, grammar(0), similarity())
    [improvement] = [i for i in score.improvements if i.message.startswith("Readability")]
    assert "starting with this one" in improvement.message
    assert (improvement.start, improvement.end) == (sentence.start, sentence.end)


def test_too_easy_readability_points_nowhere_in_particular():
    too_easy = readability(5)
    score = score_essay(ESSAY, RUBRIC, criteria(), too_easy, grammar(0), similarity())
    [improvement] = [i for i in score.improvements if i.message.startswith("Readability")]
    assert "below the target" in improvement.message
    assert (improvement.start, improvement.end) == (None, None)


def test_only_the_first_order_problems_are_penalised():
    para = ESSAY.paragraphs[1]
    order = Finding(
        "structure", "structure.order", Severity.WARNING, "x before y", Span(para.start, para.end)
    )
    many = [order] * (ORDER_PROBLEMS_COUNTED + 2)
    score = score_essay(
        ESSAY, RUBRIC, criteria(), readability(11), grammar(0), similarity(),
        structure_findings=many,
    )  # fmt: skip
    assert score.total == pytest.approx(100 - RUBRIC.scoring.order_penalty * ORDER_PROBLEMS_COUNTED)


def test_a_missing_criterion_belongs_after_where_its_predecessors_are_first_discussed() -> None:
    """QA: the thesis's strongest evidence was its restatement in the conclusion, so the
    missing inciting incident "belongs around paragraph 6", after the climax."""
    from essaycoach.scoring import expected_paragraph

    summary = criteria(missing=("inciting_incident",))
    last = ESSAY.paragraphs[-1]
    first = ESSAY.paragraphs[0]
    restated = (
        Evidence(last.index, last.start, last.end, last.text, 0.95),
        Evidence(first.index, first.start, first.end, first.text, 0.9),
    )
    summary = StructureSummary(
        tuple(replace(c, evidence=restated) if c.id == "thesis" else c for c in summary.criteria)
    )
    # the paragraph after the thesis (paragraph 1), not after the last one (4), where the
    # thesis is restated; the conflict, of the same order, may come either side
    assert expected_paragraph(ESSAY, RUBRIC, summary, "inciting_incident").index == 2


def test_a_missing_criterion_is_not_placed_after_one_of_the_same_order() -> None:
    """QA: the missing conflict "belongs around paragraph 5" of 6, after the inciting
    incident (the same order, 2), discussed in paragraph 4."""
    from essaycoach.scoring import expected_paragraph

    summary = criteria(missing=("conflict",))
    fourth = ESSAY.paragraphs[3]
    late = (Evidence(fourth.index, fourth.start, fourth.end, fourth.text, 0.95),)
    summary = StructureSummary(
        tuple(
            replace(c, evidence=late) if c.id == "inciting_incident" else c
            for c in summary.criteria
        )
    )
    assert expected_paragraph(ESSAY, RUBRIC, summary, "conflict").index == 2


def test_a_plot_step_previewed_in_the_introduction_is_placed_where_it_is_discussed() -> None:
    """QA re-check: taking a predecessor's earliest evidence picked up an introduction's
    one-line preview ("It all begins in the pavilion."), and the missing rising action
    "belonged" in the inciting incident's own paragraph."""
    from essaycoach.scoring import expected_paragraph

    summary = criteria(missing=("rising_action",))
    first, third = ESSAY.paragraphs[0], ESSAY.paragraphs[2]
    previewed = (
        Evidence(third.index, third.start, third.end, third.text, 0.95),
        Evidence(first.index, first.start, first.end, first.text, 0.6),
    )
    summary = StructureSummary(
        tuple(
            replace(c, evidence=previewed) if c.id == "inciting_incident" else c
            for c in summary.criteria
        )
    )
    assert expected_paragraph(ESSAY, RUBRIC, summary, "rising_action").index == 4


def test_criteria_met_only_by_copied_passages_earn_nothing():
    """`own_words` (the structure result with the copied passages left out) misses the
    climax: its points go to the `copied` component, under the copying ceiling too."""
    full = criteria()
    own = criteria(missing=("climax",))
    climax = RUBRIC.criterion("climax").weight / sum(c.weight for c in RUBRIC.criteria)
    score = score_essay(
        ESSAY, RUBRIC, full, readability(11), grammar(0), copied(0.03), own_words=own
    )
    assert score.components["structure"] == pytest.approx(70)
    assert score.components["copied"] == pytest.approx(-70 * climax)
    assert score.total == pytest.approx(100 - 70 * climax)
    assert score.improvements[0].message.startswith(
        "Copying: the passages copied from the exemplar earn nothing"
    )


def test_over_the_ceiling_the_copy_share_comes_off_what_own_words_earn():
    own = criteria(missing=("climax",))
    climax = RUBRIC.criterion("climax").weight / sum(c.weight for c in RUBRIC.criteria)
    score = score_essay(
        ESSAY, RUBRIC, criteria(), readability(11), grammar(0), copied(0.5, "too_similar"),
        own_words=own,
    )  # fmt: skip
    own_total = 100 - 70 * climax
    assert score.total == pytest.approx(own_total / 2)


def test_copy_deduction_0_also_credits_copied_passages():
    rubric = replace(RUBRIC, scoring=replace(RUBRIC.scoring, copy_deduction=0.0))
    score = score_essay(
        ESSAY, rubric, criteria(), readability(11), grammar(0), copied(0.03),
        own_words=criteria(missing=("climax",)),
    )  # fmt: skip
    assert score.total == pytest.approx(100)
    assert "copied" not in score.components


def test_copied_evidence_is_named_with_the_level_own_words_earn():
    climax = next(c for c in criteria().criteria if c.id == "climax").evidence[0]
    elsewhere = [(0, 5)] if climax.start > 5 else [(climax.end + 1, climax.end + 5)]
    findings = copied_evidence_findings(
        ESSAY, criteria(), criteria(missing=("climax",)), copied=elsewhere
    )
    assert [f.code for f in findings] == ["structure.copied_evidence"]
    assert findings[0].message.startswith("Climax: what meets it here is copied from the exemplar")
    assert "level 0 of 4 from your own words, not 4" in findings[0].message
    # no copied passage in the climax's paragraph: the paragraph's evidence
    assert findings[0].span == Span(climax.start, climax.end)
    assert copied_evidence_findings(ESSAY, criteria(), criteria(), copied=elsewhere) == ()


def test_copied_evidence_points_at_the_copied_passage_not_the_students_sentence():
    """QA: the warning marked the student's own first sentence of the paragraph."""
    climax = next(c for c in criteria().criteria if c.id == "climax").evidence[0]
    passage = (climax.start + 10, climax.end - 5)
    (finding,) = copied_evidence_findings(
        ESSAY, criteria(), criteria(missing=("climax",)), copied=[passage]
    )
    assert finding.span == Span(*passage)
