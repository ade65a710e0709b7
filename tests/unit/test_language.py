"""Language detection: non-English essays are caught, English ones (learner English too) pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from essaycoach.language import ENGLISH_THRESHOLD, dictionary_ratio, english_ratio, looks_english

FIXTURES = Path(__file__).parent.parent / "fixtures" / "language"
EXEMPLAR = Path(__file__).parents[2] / "examples" / "never-let-me-go.txt"

DUTCH = (
    "In Laat me nooit alleen vertelt Kazuo Ishiguro het verhaal van Kathy, een jonge vrouw die "
    "terugdenkt aan haar jeugd op Hailsham. De leerlingen van die school leiden een bijna normaal "
    "leven, maar langzaam ontdekken ze dat hun toekomst al vastligt. Ze worden donoren en sterven "
    "jong. Toch worden ze verliefd, hebben ze hoop en maken ze ruzie zoals alle tieners."
)
TERSE_ENGLISH = (
    "Kathy remembers Hailsham. Tommy rages. Ruth lies. Madame cries. Guardians conceal truths. "
    "Students create art. Donors complete. Carers drive endlessly. Norfolk holds lost things. "
    "Memories remain. Hope persists anyway, despite everything Kathy eventually learns there."
)
ITALIAN = (
    "In Non lasciarmi Kazuo Ishiguro racconta la storia di Kathy, una giovane donna che ricorda "
    "la sua infanzia a Hailsham. Gli studenti di quella scuola vivono una vita quasi normale, ma "
    "a poco a poco scoprono che il loro futuro è già deciso. Diventeranno donatori e moriranno "
    "giovani. Eppure si innamorano, sperano e litigano come tutti gli adolescenti."
)


@pytest.mark.parametrize("name", ["french.txt", "spanish.txt", "german.txt"])
def test_foreign_essays_are_not_english(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert len(text.split()) >= 100
    assert not looks_english(text)


@pytest.mark.parametrize("text", [DUTCH, ITALIAN], ids=["dutch", "italian"])
def test_other_languages_are_not_english(text: str) -> None:
    assert not looks_english(text)


@pytest.mark.parametrize(
    "text",
    [
        (FIXTURES / "learner-english.txt").read_text(encoding="utf-8"),
        EXEMPLAR.read_text(encoding="utf-8"),
        TERSE_ENGLISH,
    ],
    ids=["learner-english", "exemplar", "terse-english"],
)
def test_english_essays_pass(text: str) -> None:
    assert looks_english(text)


def test_english_essay_quoting_french_is_english() -> None:
    french = (FIXTURES / "french.txt").read_text(encoding="utf-8")
    quote = " ".join(french.split()[:40])
    text = (
        "The French translation of the novel opens differently, and it is worth reading "
        f"closely. Here is how it begins: “{quote}” As the passage shows, the translator "
        "keeps the calm voice of the narrator, but the rhythm of the sentences is slower, and "
        "the reader feels the distance between Kathy and her memories even more strongly."
    )
    assert looks_english(text)


def test_too_short_to_judge_is_not_called_foreign() -> None:
    assert looks_english("Bonjour tout le monde.")
    assert english_ratio("") == 0.0


def test_terse_english_passes_on_its_dictionary_words_not_its_function_words() -> None:
    assert english_ratio(TERSE_ENGLISH) < ENGLISH_THRESHOLD
    assert dictionary_ratio(TERSE_ENGLISH) > 0.9


@pytest.mark.parametrize("name", ["french.txt", "spanish.txt", "german.txt"])
def test_foreign_essays_are_mostly_outside_the_english_dictionary(name: str) -> None:
    assert dictionary_ratio((FIXTURES / name).read_text(encoding="utf-8")) < 0.6


@pytest.mark.parametrize(
    "text",
    [
        "В романе «Не отпускай меня» Кадзуо Исигуро рассказывает историю Кэти, молодой "
        "женщины, которая вспоминает своё детство в Хейлшеме и друзей, с которыми росла.",
        "石黑一雄在《别让我走》中讲述了凯西的故事。她回忆起在黑尔舍姆度过的童年，"
        "以及她和汤米、露丝之间复杂的友谊。这部小说探讨了人性、记忆和命运的意义。",
    ],
    ids=["russian", "chinese"],
)
def test_other_scripts_are_not_english(text: str) -> None:
    assert not looks_english(text)


def test_a_chinese_essay_is_not_judged_for_not_being_english_not_for_0_words() -> None:
    """QA: a Chinese essay was reported as "The essay has 0 words; at least 50 are needed"
    beside the not-English reason: its words are not counted (they are not in Latin
    letters), so only the reason that holds is given."""
    from essaycoach import check

    chinese = (FIXTURES / "chinese.txt").read_text(encoding="utf-8")
    report = check(text=chinese, grammar="off")
    assert not report.judged
    assert report.not_judged_reasons == (
        "The essay does not appear to be written in English, so it cannot be judged against "
        "an English rubric.",
    )
    short_english = check(text="Kathy remembers Hailsham. She misses it.", grammar="off")
    assert short_english.not_judged_reasons == (
        "The essay has 6 words; at least 50 are needed for a meaningful judgement.",
    )


def test_a_chinese_essays_size_is_not_0_words() -> None:
    """QA: the report's header read "0 words, 0 paragraphs, 0 sentences" for a Chinese
    essay (words are counted in Latin letters)."""
    from essaycoach import check
    from essaycoach.render.base import essay_size

    chinese = (FIXTURES / "chinese.txt").read_text(encoding="utf-8")
    assert essay_size(check(text=chinese, grammar="off")) == (
        f"{len(chinese.strip())} characters, no words in Latin letters"
    )
    english = check(text="Kathy remembers Hailsham. She misses it.", grammar="off")
    assert essay_size(english) == "6 words, 1 paragraph, 2 sentences"
    no_letters = check(text="... !!! --- ***", grammar="off")  # review: not "no Latin"
    assert essay_size(no_letters) == "0 words, 0 paragraphs, 0 sentences"
