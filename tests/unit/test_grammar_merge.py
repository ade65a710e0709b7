"""Merging two engines' flags for `--grammar both`.

Harper's side is real Harper output. The LanguageTool side is GrammarIssue values
written here with real LanguageTool rule ids and categories: data for the merge
logic, not a claim about what LanguageTool reports (the LanguageTool tests cover that).
"""

from __future__ import annotations

import pytest

from essaycoach.errors import EngineError
from essaycoach.grammar.base import GrammarIssue
from essaycoach.grammar.harper_engine import HarperEngine
from essaycoach.grammar.languagetool import normalise_category
from essaycoach.grammar.merge import (
    BothEngine,
    issue_quality,
    kept_though_skipped,
    merge_both,
    merge_issues,
    spans_overlap,
)
from tests.integration import conftest_languagetool

# the real local LanguageTool server of the integration tests (skipped without one)
languagetool_server = conftest_languagetool.languagetool_server
require_languagetool = conftest_languagetool.require_languagetool

TEXT = "He go to school. This is an test. I recieved it. Its a nice day and the door opened."


@pytest.fixture(scope="module")
def harper_issues() -> list[GrammarIssue]:
    return HarperEngine().check(TEXT)


def at(word: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def languagetool_issue(
    span: tuple[int, int], rule: str, category: str, replacements: tuple[str, ...] = ()
) -> GrammarIssue:
    return GrammarIssue(
        span[0], span[1], f"{rule} message", rule, category, replacements, "languagetool"
    )


def test_harper_side_is_what_the_test_assumes(harper_issues: list[GrammarIssue]) -> None:
    flagged = {TEXT[i.start : i.end]: i for i in harper_issues}
    assert set(flagged) == {"go", "an", "recieved", "Its"}
    assert all(i.replacements for i in harper_issues)
    assert flagged["Its"].category == "punctuation"


def test_overlapping_flags_are_kept_once(harper_issues: list[GrammarIssue]) -> None:
    languagetool = [
        languagetool_issue(at("He go"), "HE_VERB_AGR", "grammar", ("He goes",)),
        languagetool_issue(at("an"), "EN_A_VS_AN", "grammar", ("a",)),
        languagetool_issue(at("recieved"), "MORFOLOGIK_RULE_EN_US", "spelling", ("received",)),
    ]
    merged = merge_issues([harper_issues, languagetool])
    texts = [TEXT[i.start : i.end] for i in merged]
    # one flag per place: "go"/"He go", "an", "recieved", and Harper's "Its"
    assert len(merged) == 4, texts
    for place in ("go", "an", "recieved", "Its"):
        assert sum(spans_overlap(i, _span_issue(at(place))) for i in merged) == 1


def test_flag_with_a_replacement_beats_one_without(harper_issues: list[GrammarIssue]) -> None:
    bare = languagetool_issue(at("recieved"), "MORFOLOGIK_RULE_EN_US", "spelling")
    merged = merge_issues([harper_issues, [bare]])
    (kept,) = [i for i in merged if spans_overlap(i, bare)]
    assert kept.engine == "harper" and kept.replacements


def test_specific_category_beats_punctuation(harper_issues: list[GrammarIssue]) -> None:
    # LanguageTool files IT_IS under TYPOS, a word confusion (grammar); Harper calls it punctuation
    category = normalise_category("TYPOS", "misspelling", "IT_IS")
    assert category == "grammar"
    its = languagetool_issue(at("Its"), "IT_IS", category, ("It's",))
    merged = merge_issues([harper_issues, [its]])
    (kept,) = [i for i in merged if spans_overlap(i, its)]
    assert kept.engine == "languagetool"


def test_engine_precision_breaks_ties(harper_issues: list[GrammarIssue]) -> None:
    article = languagetool_issue(at("an"), "EN_A_VS_AN", "grammar", ("a",))
    for better, precision in (
        ("languagetool", {"languagetool": 0.9, "harper": 0.6}),
        ("harper", {"languagetool": 0.6, "harper": 0.9}),
    ):
        merged = merge_issues([harper_issues, [article]], precision)
        (kept,) = [i for i in merged if spans_overlap(i, article)]
        assert kept.engine == better


def test_flags_elsewhere_are_all_kept(harper_issues: list[GrammarIssue]) -> None:
    elsewhere = languagetool_issue(at("door"), "UPPERCASE_SENTENCE_START", "capitalization")
    merged = merge_issues([harper_issues, [elsewhere]])
    assert len(merged) == len(harper_issues) + 1
    assert merged == sorted(merged, key=lambda i: (i.start, i.end, i.engine, i.rule))


def test_same_engine_overlaps_are_left_alone() -> None:
    first = languagetool_issue((0, 5), "HE_VERB_AGR", "grammar", ("He goes",))
    second = languagetool_issue((3, 5), "NON3PRS_VERB", "grammar", ("goes",))
    assert merge_issues([[first, second]]) == [first, second]


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((0, 5), (4, 8), True),
        ((0, 5), (5, 8), False),
        ((3, 3), (0, 3), True),  # insertion point at the end of a flag
        ((3, 3), (4, 6), False),
        ((2, 2), (2, 2), True),
    ],
)
def test_spans_overlap(a: tuple[int, int], b: tuple[int, int], overlap: bool) -> None:
    assert spans_overlap(_span_issue(a), _span_issue(b)) is overlap
    assert spans_overlap(_span_issue(b), _span_issue(a)) is overlap


def test_quality_prefers_replacements_first() -> None:
    with_fix = GrammarIssue(0, 2, "m", "r", "style", ("x",), "harper")
    without = GrammarIssue(0, 2, "m", "r", "grammar", (), "languagetool")
    assert issue_quality(with_fix) > issue_quality(without)


def test_both_engine_name_and_accepted_words() -> None:
    both = BothEngine(HarperEngine(("Hailsham",)), HarperEngine(("Kathy", "Hailsham")))
    assert both.name == "both"
    assert both.accept_words == ("Hailsham", "Kathy")
    both.close()


@pytest.mark.parametrize(
    ("word", "rule", "kept"),
    [
        # left to LanguageTool, but for the third-person -s ("He go" -> "goes"), which
        # LanguageTool misses at times (kept_though_skipped)
        ("go", "PronounVerbAgreement", True),
        ("an", "AnA", False),
        ("recieved", "SpellCheck", False),
        ("Its", "ItsContraction", True),  # Harper's own
    ],
)
def test_both_drops_the_harper_rules_left_to_languagetool(
    harper_issues: list[GrammarIssue], word: str, rule: str, kept: bool
) -> None:
    (issue,) = [i for i in harper_issues if TEXT[i.start : i.end] == word]
    assert issue.rule == rule
    assert (issue in merge_both([harper_issues, []])) is kept


def test_both_engine_applies_the_policy() -> None:
    text = "I need some informations. I recieved it."
    both = BothEngine(HarperEngine(), HarperEngine(), {"harper": frozenset({"SpellCheck"})})
    assert [text[i.start : i.end] for i in both.check(text)] == ["informations"] * 2
    both.close()


class _FailingEngine:
    """Not a grammar engine's behaviour: only an error for BothEngine to pass on."""

    name = "failing"

    def check(self, text: str) -> list[GrammarIssue]:
        raise EngineError("server went away")

    def close(self) -> None:
        pass


def test_both_engine_passes_on_either_engines_error() -> None:
    for engines in ((_FailingEngine(), HarperEngine()), (HarperEngine(), _FailingEngine())):
        both = BothEngine(*engines)
        with pytest.raises(EngineError, match="server went away"):
            both.check("He go to school.")
        both.close()


def _span_issue(span: tuple[int, int]) -> GrammarIssue:
    return GrammarIssue(span[0], span[1], "", "", "grammar")


SUBJECT_VERB = "Every day she stand by the fence, and she look at the fields."


def test_third_person_s_flags_are_kept_under_both() -> None:
    """QA: with `--grammar both` Harper's "she stand" and "she look" were dropped (its
    PronounVerbAgreement rule is left to LanguageTool) though LanguageTool had no flag
    there; other flags of the rule still are."""
    issues = HarperEngine().check(SUBJECT_VERB)
    assert [SUBJECT_VERB[i.start : i.end] for i in merge_both([issues, []])] == ["stand", "look"]
    assert all(kept_though_skipped(i) for i in issues)
    you_have = GrammarIssue(0, 3, "m", "PronounVerbAgreement", "grammar", ("have",), "harper")
    assert not kept_though_skipped(you_have)
    assert merge_both([[you_have], []]) == []
    # a past tense that looks like the base form (GMEG Wikipedia: Harper asked for "beats")
    past = HarperEngine().check("He beat the previous record.")
    assert [i.replacements for i in past] == [("beats",)]
    assert merge_both([past, []]) == []


@pytest.mark.languagetool
@pytest.mark.usefixtures("languagetool_server")
def test_both_engines_report_a_missing_third_person_s() -> None:
    from essaycoach.grammar.languagetool import open_languagetool

    both = BothEngine(open_languagetool(None, ()), HarperEngine())
    try:
        flagged = [SUBJECT_VERB[i.start : i.end] for i in both.check(SUBJECT_VERB)]
    finally:
        both.close()
    assert any("stand" in f for f in flagged) and any("look" in f for f in flagged)
