"""Story content: names and content words beyond the vocabulary of talking about stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from essaycoach.essay import Essay, load_essay
from essaycoach.rubric import load_rubric
from essaycoach.story import STORY_SHARE, UNTOLD_BELOW, StoryVocabulary, variety

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "structure"


@pytest.fixture(scope="module")
def vocabulary() -> StoryVocabulary:
    return StoryVocabulary(load_rubric())


def windowed_type_token_ratio(words: list[str], window: int) -> float:
    """The definition, one window at a time."""
    if len(words) <= window:
        return len(set(words)) / len(words)
    starts = range(len(words) - window + 1)
    return sum(len(set(words[s : s + window])) for s in starts) / len(starts) / window


@pytest.mark.parametrize(
    "path",
    [ROOT / "examples" / "never-let-me-go.txt", FIXTURES / "repeated-sentence.txt"],
    ids=lambda p: p.name,
)
@pytest.mark.parametrize("window", [5, 50, 5000])
def test_variety_is_the_moving_type_token_ratio(path, window):
    words = load_essay(path).prose.lower().split()
    assert variety(words, window) == pytest.approx(windowed_type_token_ratio(words, window))


# --- should pass: paragraphs that tell some of a story ------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        # written for this test, on works the examples do not analyse
        "What follows is quieter. Holden goes home, gets sick, and is sent to a place where "
        "he tells the story we have just read.",
        "All of this leads to the night of the fire, when the truth about the father finally "
        "comes out and nothing can be the same again.",
        "the turning point is when ralph and piggy go to castle rock and roger push the rock "
        "down on piggy",
        "Santiago's fight is with the marlin, but it is also with his own aging body and "
        "with the bad luck that has followed him for eighty-four days.",
    ],
    ids=["names", "no names", "lower-case names", "rubric word 'fight'"],
)
def test_paragraph_that_tells_of_a_story_is_told(vocabulary, paragraph):
    story = vocabulary.paragraph(paragraph)
    assert not story.untold, story
    assert story.share >= UNTOLD_BELOW


# --- should flag: paragraphs that tell none ------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        "The climax of the novel is the turning point. The climax is the most important "
        "moment of the novel, the moment of highest tension in the plot.",
        "The conflict is the main problem of the story. It can be character versus "
        "character, character versus society, character versus nature or character versus "
        "self.",
        "In the end the conflict is resolved and everything works out. The main character "
        "learns an important lesson and becomes a better person.",
        " ".join(["The climax is when Simon is killed by the boys."] * 10),
    ],
    ids=["climax", "conflict types", "resolution", "a story sentence pasted ten times"],
)
def test_paragraph_that_tells_no_story_is_untold(vocabulary, paragraph):
    story = vocabulary.paragraph(paragraph)
    assert story.untold, story
    assert story.repetitive or story.share < UNTOLD_BELOW


def test_names_the_rubric_accepts_are_story_words_and_its_cues_are_not(vocabulary):
    rubric = load_rubric()
    assert "Kathy" in rubric.accept_words
    assert vocabulary.paragraph("Kathy").story_words == 1
    assert vocabulary.paragraph("climax turning point torn between").story_words == 0


def test_a_rubric_brings_its_own_vocabulary(tmp_path):
    default = (ROOT / "rubrics" / "literary-analysis.toml").read_text(encoding="utf-8")
    extra = (
        '\n[[criterion]]\nid = "symbolism"\nname = "Symbolism"\n'
        'cues = ["the conch stands for", "symbolises"]\n'
    )
    path = tmp_path / "with-symbolism.toml"
    path.write_text(default + extra, encoding="utf-8")
    sentence = "The conch symbolises order on the island."
    assert StoryVocabulary(load_rubric()).paragraph(sentence).story_words == 3
    assert StoryVocabulary(load_rubric(path)).paragraph(sentence).story_words == 2


def test_a_short_name_counts_when_the_essay_uses_it_as_a_name(vocabulary):
    essay = Essay.from_text("In Little Women, the March sisters grow up. Then Jo sells her hair.")
    reading = vocabulary.read(essay)
    alone = vocabulary.paragraph(essay.paragraphs[0].text)
    assert reading.paragraphs[0].story_words == alone.story_words + 1  # "Jo"


def test_repeated_paragraphs_count_for_nothing_in_the_essay_share(vocabulary):
    real = load_essay(ROOT / "examples" / "grammar-errors.txt")
    texts = [p.text for p in real.paragraphs]
    pasted = " ".join([texts[4].split(". ")[0] + "."] * 12)
    reading = vocabulary.read(Essay.from_text(pasted))
    assert reading.repetitive and reading.share == 0.0 and not reading.tells_story
    assert vocabulary.read(real).tells_story


@pytest.mark.parametrize(
    ("path", "tells"),
    [
        (ROOT / "examples" / "strong-never-let-me-go.md", True),
        (ROOT / "examples" / "missing-climax.txt", True),
        (ROOT / "tests" / "fixtures" / "essays" / "hope-against-fate.md", True),
        (FIXTURES / "computers-letter.txt", True),  # off topic, but about something
        (FIXTURES / "rubric-vocabulary.txt", False),
        (FIXTURES / "coming-of-age.txt", False),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else str(v),
)
def test_essay_tells_a_story_by_its_share_of_story_words(vocabulary, path, tells):
    reading = vocabulary.read(load_essay(path))
    assert reading.tells_story is tells
    assert (reading.share >= STORY_SHARE) is tells
