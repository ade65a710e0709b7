"""Issue 2 acceptance through the whole pipeline (Harper, offline): scores, flags, judging."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from essaycoach import Pipeline, Settings
from essaycoach.essay import Essay, load_essay

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
EXEMPLAR = ROOT / "examples" / "never-let-me-go.txt"
FIXTURES = ROOT / "tests" / "fixtures"
REQUIRED = ("thesis", "conflict", "climax", "resolution")


@pytest.fixture(scope="module")
def pipeline():
    with Pipeline(Settings(grammar="harper")) as pipeline:
        yield pipeline


def statuses(report) -> dict[str, str]:
    return {c.id: c.status for c in report.criteria}


def exemplar_paragraphs() -> list[str]:
    return [p.text for p in load_essay(EXEMPLAR).paragraphs]


def test_exemplar_against_itself(pipeline):
    report = pipeline.check_file(EXEMPLAR)
    assert report.judged
    assert set(statuses(report).values()) == {"met"}
    assert report.score.total - report.score.components["copied"] >= 90
    assert report.score.total < 1  # every word is the exemplar's
    assert report.grammar.engine == "harper"


def test_exemplar_without_its_climax(pipeline):
    texts = exemplar_paragraphs()
    del texts[5]
    report = pipeline.check_essay(Essay.from_text("\n\n".join(texts)))
    status = statuses(report)
    assert status["climax"] == "missing"
    assert all(status[c] == "met" for c in ("thesis", "conflict", "resolution"))
    assert any(
        f.code.startswith("structure.") and "climax" in f.message.lower() for f in report.findings
    )
    criteria = [i.criterion for i in report.score.improvements if i.criterion]
    assert criteria[0] == "climax"  # the first improvement is to stop copying


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exemplar_shuffled_has_an_order_finding(pipeline, seed):
    texts = exemplar_paragraphs()
    random.Random(seed).shuffle(texts)
    report = pipeline.check_essay(Essay.from_text("\n\n".join(texts)))
    assert report.structure.order_problems
    assert any(f.code == "structure.order" and f.span for f in report.findings)


def test_off_topic_essay(pipeline):
    report = pipeline.check_file(FIXTURES / "structure" / "computers-letter.txt")
    assert "off_topic" in report.similarity.flags
    status = statuses(report)
    assert all(status[c] == "missing" for c in REQUIRED)
    assert report.score.total < 40


NO_STORY = {
    "rubric vocabulary": lambda: load_essay(FIXTURES / "structure" / "rubric-vocabulary.txt"),
    "one word repeated": lambda: Essay.from_text(" ".join(["climax"] * 300)),
    "sentences pasted": lambda: load_essay(FIXTURES / "structure" / "repeated-sentence.txt"),
}


@pytest.mark.parametrize("kind", NO_STORY)
def test_essay_that_tells_no_story_scores_as_off_topic(pipeline, kind):
    report = pipeline.check_essay(NO_STORY[kind]())
    assert report.judged
    assert set(statuses(report).values()) == {"missing"}
    assert {c.level for c in report.criteria} == {0}
    assert "off_topic" in report.similarity.flags
    assert report.score.total <= 30.0  # the rubric's off_topic_cap
    assert "structure.no_story" in [f.code for f in report.findings]


@pytest.mark.parametrize("language", ["french", "german", "spanish"])
def test_non_english_essay_is_not_judged(pipeline, language):
    report = pipeline.check_file(FIXTURES / "language" / f"{language}.txt")
    assert not report.judged
    assert report.score.total is None
    assert any("English" in reason for reason in report.not_judged_reasons)
    assert report.to_dict()["score"]["total"] is None


def test_short_essay_is_not_judged_but_gets_grammar_feedback(pipeline):
    report = pipeline.check_essay(
        Essay.from_text("Kathy remember Hailsham. It were a school where the students was happy.")
    )
    assert not report.judged and report.score.total is None
    assert any("words" in reason for reason in report.not_judged_reasons)
    assert report.grammar is not None and report.grammar.issues
    assert report.readability is None  # "too easy" on two sentences would mean nothing
    assert not any(f.check == "readability" for f in report.findings)


def test_learner_english_is_judged(pipeline):
    report = pipeline.check_file(FIXTURES / "language" / "learner-english.txt")
    assert report.judged, report.not_judged_reasons


def test_copied_essay_is_flagged_with_offsets_in_both_texts(pipeline):
    exemplar = load_essay(EXEMPLAR)
    lifted = exemplar.paragraphs[5].text
    own = (
        "My own view is that the novel is about friendship and memory, and that the "
        "characters learn to value the time they have with each other at school."
    )
    essay = Essay.from_text(own + "\n\n" + lifted)
    report = pipeline.check_essay(essay)
    assert "too_similar" in report.similarity.flags
    passage = report.similarity.copied_passages[0]
    assert essay.text[passage.start : passage.end] in lifted
    assert (
        exemplar.text[passage.exemplar_start : passage.exemplar_end]
        == essay.text[passage.start : passage.end]
    )


def test_a_copied_essay_scores_only_its_own_words(pipeline):
    """The example that lifts passages from the exemplar: the criteria only its copied
    passages meet earn nothing, and the copy score's share of the rest comes off."""
    report = pipeline.check_file(ROOT / "examples" / "copies-exemplar.txt")
    assert "too_similar" in report.similarity.flags
    assert report.score.total < 45
    assert report.score.improvements[0].message.startswith("Copying:")
    copied_evidence = {
        dict(f.extra)["criterion"] for f in report.findings if f.code == "structure.copied_evidence"
    }
    assert {"conflict", "rising_action"} <= copied_evidence  # their paragraphs are copied
