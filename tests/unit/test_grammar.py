"""The grammar check with the real Harper engine: offsets, accepted words, Markdown, rubric."""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

import pytest

from essaycoach.checks.grammar import GrammarCheck, _one_edit_apart, compact_prose
from essaycoach.essay import Essay, load_essay
from essaycoach.exemplar import load_exemplar
from essaycoach.findings import Severity
from essaycoach.grammar.harper_engine import HarperEngine
from essaycoach.rubric import GrammarTarget, Rubric, Targets, load_rubric
from tests.integration import conftest_languagetool

# the real local LanguageTool server of the integration tests (skipped without one)
languagetool_server = conftest_languagetool.languagetool_server
require_languagetool = conftest_languagetool.require_languagetool

EXEMPLAR = Path(__file__).resolve().parents[2] / "examples" / "never-let-me-go.txt"
PROPER_NOUNS = (
    "Kathy", "Hailsham", "Ishiguro", "Kazuo", "Tommy", "Ruth", "Madame", "Miss", "Emily",
    "Norfolk", "Cottages",
)  # fmt: skip


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric()


@pytest.fixture(scope="module")
def accept_words(rubric: Rubric) -> tuple[str, ...]:
    """The words the pipeline hands to open_engine: rubric list plus exemplar proper nouns."""
    exemplar = load_exemplar(rubric, EXEMPLAR)
    return tuple(sorted(set(rubric.accept_words) | exemplar.proper_nouns()))


@pytest.fixture(scope="module")
def harper(accept_words: tuple[str, ...]) -> HarperEngine:
    return HarperEngine(accept_words)


@pytest.fixture(scope="module")
def bare_harper() -> HarperEngine:
    """Harper without accepted words: the check's own guard must still hold."""
    return HarperEngine()


def essay(text: str, markdown: bool = False) -> Essay:
    return Essay.from_text(text, markdown=markdown)


def rubric_with(rubric: Rubric, **grammar: object) -> Rubric:
    target = dataclasses.replace(rubric.targets.grammar, **grammar)
    return dataclasses.replace(rubric, targets=dataclasses.replace(rubric.targets, grammar=target))


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Yesterday was a long day. He go to school yesterday.", "go"),
        ("My brother said this is an test of patience.", "an"),
        ("We talked for an hour. He said their is a problem.", "their"),
        ("I have went to the library every week.", "went"),
        ("I recieved your letter last week and read it twice.", "recieved"),
    ],
)
def test_should_flag(rubric: Rubric, harper: HarperEngine, text: str, flagged: str) -> None:
    result = GrammarCheck(rubric, harper).run(essay(text))
    assert [text[f.span.start : f.span.end] for f in result.findings] == [flagged]
    issue = result.summary.issues[0]
    assert issue.text == flagged == text[issue.start : issue.end]
    assert result.findings[0].code == f"grammar.harper.{issue.rule}"
    assert result.findings[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    "text",
    [
        "Kathy narrates the story many years after she has left the school.",
        "Ruth dies after her second donation, and Tommy is completed soon after.",
        "Miss Emily and Madame explain why the students at Hailsham were raised.",
        "Kazuo Ishiguro sets the final scene in Norfolk, far from the Cottages.",
    ],
)
def test_should_pass(rubric: Rubric, harper: HarperEngine, text: str) -> None:
    result = GrammarCheck(rubric, harper).run(essay(text))
    assert result.findings == ()
    assert result.summary.issues == ()


def test_exemplar_proper_nouns_never_flagged(rubric: Rubric, harper: HarperEngine) -> None:
    exemplar = load_essay(EXEMPLAR)
    result = GrammarCheck(rubric, harper).run(exemplar)
    spelled = {i.text for i in result.summary.issues if i.category == "spelling"}
    assert not spelled & set(PROPER_NOUNS), spelled
    # the names really occur, so the assertion above is about them
    assert all(name in exemplar.text for name in PROPER_NOUNS)


def test_check_guards_accepted_words_without_engine_support(
    rubric: Rubric, bare_harper: HarperEngine, accept_words: tuple[str, ...]
) -> None:
    # a name used once, one edit from a word Harper suggests ("Christie"): a name the
    # essay uses twice, or once with no suggestion that close, is its own (below)
    text = essay("They grew up together, and later Chrissie lived with Ruth at the Cottages.")
    no_list = dataclasses.replace(rubric, accept_words=())
    unguarded = GrammarCheck(no_list, bare_harper).run(text)
    assert "Chrissie" in {i.text for i in unguarded.summary.issues}  # Harper alone flags it
    guarded = GrammarCheck(no_list, bare_harper, accept_words=accept_words).run(text)
    spelled = {i.text for i in guarded.summary.issues if i.category == "spelling"}
    assert not spelled & set(PROPER_NOUNS), spelled


OF_MICE_AND_MEN = (
    "George and Lennie travel to a ranch near Soledad. Everyone notices that Lennie is "
    "strong, and Curley picks a fight with him. In the end George shoots Lennie by the "
    "river, because he cannot let Curley's men take his friend."
)


def test_a_name_that_mostly_starts_sentences_is_a_name(
    rubric: Rubric, bare_harper: HarperEngine
) -> None:
    """Counting only mid-sentence uses (61e81d2) flagged "Atticus" three times in an
    essay on To Kill a Mockingbird: one mid-sentence use, and Harper offers "Attics"."""
    text = (
        "Atticus agrees to defend Tom Robinson. Atticus tells his children to be brave. "
        "Even though Atticus proves that Tom is innocent, the jury finds him guilty."
    )
    result = GrammarCheck(rubric, bare_harper).run(essay(text))
    assert "Atticus" not in {i.text for i in result.summary.issues}


def test_essays_own_names_are_not_misspellings(rubric: Rubric, bare_harper: HarperEngine):
    """Capitalised mid-sentence and never in lower case: a name, if used twice or more,
    or once with no suggestion one edit away (Harper offers "Someday" for "Soledad")."""
    result = GrammarCheck(rubric, bare_harper).run(essay(OF_MICE_AND_MEN))
    spelled = {i.text for i in result.summary.issues if i.category == "spelling"}
    assert not spelled & {"Lennie", "Curley", "Soledad"}


ACCENTED_NAMES = (
    "Ngũgĩ grew up in Kenya. In the memoir, Ngũgĩ remembers the school, and the critics "
    "say Ngũgĩ is fair. José reads it and José agrees."
)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_an_accented_name_used_twice_is_the_essays_own(
    rubric: Rubric, bare_harper: HarperEngine, form: str
) -> None:
    """QA: names were found among ASCII letters only ("José" read as "Jos"), so "Ngũgĩ",
    used three times, was flagged each time; an ASCII name would not have been."""
    text = essay(unicodedata.normalize(form, ACCENTED_NAMES))
    assert GrammarCheck(rubric, bare_harper).run(text).summary.issues == ()


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("In the last act Nora Helmer leaves her husband.", True),  # "Helmet": one edit
        ("The letter came from Augost, her cousin in the city.", True),  # "August"
        ("Macbeth murders Banquo but the ghost returns.", False),  # "Banjo": two edits
    ],
)
def test_a_name_used_once_is_told_from_a_misspelling_by_the_suggestions(
    rubric: Rubric, bare_harper: HarperEngine, text: str, flagged: bool
) -> None:
    result = GrammarCheck(rubric, bare_harper).run(essay(text))
    spelled = {i.text for i in result.summary.issues if i.category == "spelling"}
    word = next(w for w in ("Helmer", "Augost", "Banquo") if w in text)
    assert (word in spelled) is flagged, spelled


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # should pass: a family's plural of a name the essay uses (QA: "Buchanan's?")
        ("Tom Buchanan is rich. Gatsby watches the Buchanans' house at night.", False),
        ("Daisy Buchanan lives in East Egg, and the Buchanans never visit.", False),
        # should flag: no "the", no plural possessive: a possessive missing its apostrophe
        ("Daisy Buchanan waits. Everyone admires Buchanans money and his house.", True),
        # ...and one person's possessive written as a family's (QA: "Lennies' puppy")
        ("Tom Buchanan is rich. Buchanans' temper frightens Daisy.", True),
    ],
)
def test_a_family_plural_of_a_name_is_no_misspelling(
    rubric: Rubric, bare_harper: HarperEngine, text: str, flagged: bool
) -> None:
    result = GrammarCheck(rubric, bare_harper).run(essay(text))
    spelled = {i.text for i in result.summary.issues if i.category == "spelling"}
    assert ("Buchanans" in spelled) is flagged, spelled


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # a known name (the exemplar's "Hailsham") misspelt the same way twice
        ("Kathy grows up at Hailshem. The guardians at Hailshem keep secrets.", "Hailshem"),
        # written once in lower case: a common word misspelt, not a name
        ("He visits Lenie at noon. Later lenie is gone, and Lenie cries.", "Lenie"),
        ("The story is about recieving. They are Recieving help, Recieving it twice.", "recieving"),
        # capitalised only where a sentence starts: never a name
        ("Finaly he sleeps. Finaly the sharks leave him alone.", "Finaly"),
        # capitalised twice, German-style, beside the word the essay spells right
        ("He loves the fish. The Fisch is big, and the Fisch pulls him out.", "Fisch"),
    ],
)
def test_should_flag_repeated_words_that_are_not_names(
    rubric: Rubric, harper: HarperEngine, text: str, flagged: str
) -> None:
    result = GrammarCheck(rubric, harper).run(essay(text))
    spelled = {i.text for i in result.summary.issues if i.category == "spelling"}
    assert flagged in spelled, spelled


def test_rubric_accept_words_are_honoured(rubric: Rubric, bare_harper: HarperEngine) -> None:
    text = "The heroine of the book lives in Xanthippa with her brother."
    assert GrammarCheck(rubric, bare_harper).run(essay(text)).findings
    accepting = dataclasses.replace(rubric, accept_words=("Xanthippa",))
    assert GrammarCheck(accepting, bare_harper).run(essay(text)).findings == ()


def test_possessive_of_accepted_word(rubric: Rubric, bare_harper: HarperEngine) -> None:
    text = "Then Xanthippa's brother leaves the town for good."
    accepting = dataclasses.replace(rubric, accept_words=("Xanthippa",))
    assert GrammarCheck(accepting, bare_harper).run(essay(text)).findings == ()


# names from the novel that the exemplar does not use, each in a sentence where the
# check flags it when the rubric does not list it
NOVEL_NAMES = {
    "Chrissie": "Later Chrissie asks about the possible.",
    "Keffers": "Keffers brings fuel to the Cottages.",
    "Cromer": "The friends drive to Cromer in the van.",
}


@pytest.mark.parametrize("name", sorted(NOVEL_NAMES))
def test_novels_names_outside_the_exemplar_are_accepted(
    rubric: Rubric, bare_harper: HarperEngine, name: str
) -> None:
    text = essay(NOVEL_NAMES[name])
    unlisted = dataclasses.replace(rubric, accept_words=())
    assert [i.text for i in GrammarCheck(unlisted, bare_harper).run(text).summary.issues] == [name]
    assert GrammarCheck(rubric, HarperEngine(rubric.accept_words)).run(text).findings == ()


@pytest.mark.languagetool
@pytest.mark.usefixtures("languagetool_server")
def test_novels_names_outside_the_exemplar_are_accepted_by_languagetool(
    rubric: Rubric,
) -> None:
    from essaycoach.grammar.languagetool import open_languagetool

    text = essay(NOVEL_NAMES["Keffers"])
    flagged = []
    for listing in (dataclasses.replace(rubric, accept_words=()), rubric):
        engine = open_languagetool(None, listing.accept_words)
        try:
            flagged.append([i.text for i in GrammarCheck(listing, engine).run(text).summary.issues])
        finally:
            engine.close()
    assert flagged == [["Keffers"], []]


def test_offsets_map_into_multi_paragraph_text(rubric: Rubric, harper: HarperEngine) -> None:
    text = (
        "The first paragraph is fine and short.\n\n"
        "In the second one, he go to school.\r\n\r\nThe third has an test in it.\n"
    )
    checked = essay(text)
    result = GrammarCheck(rubric, harper).run(checked)
    assert [(i.text, i.line) for i in result.summary.issues] == [("go", 3), ("an", 5)]
    for issue in result.summary.issues:
        assert checked.text[issue.start : issue.end] == issue.text
        assert checked.line_col(issue.start) == (issue.line, issue.column)


def test_markdown_markup_creates_no_flags(rubric: Rubric, harper: HarperEngine) -> None:
    text = (
        "# Memory and *Loss*\n\n"
        "Kathy's story is **quiet**, and *careful*: she reads [the letters](https://example.org) "
        "again and again.\n\n"
        "> The past cannot be changed.\n\n"
        "- Kathy remembers the school.\n"
        "- Tommy draws his animals.\n"
    )
    checked = essay(text, markdown=True)
    assert "  " in checked.prose  # the masking really left runs of spaces
    result = GrammarCheck(rubric, harper).run(checked)
    assert result.summary.issues == ()


def test_markdown_error_inside_markup_maps_to_the_text(
    rubric: Rubric, harper: HarperEngine
) -> None:
    text = "## Notes\n\nEvery morning **he go** to _school_ with [his friend](http://x.org).\n"
    checked = essay(text, markdown=True)
    result = GrammarCheck(rubric, harper).run(checked)
    assert [i.text for i in result.summary.issues] == ["go"]
    issue = result.summary.issues[0]
    assert text[issue.start : issue.end] == "go"


def test_compact_prose_joins_words_only_where_needed() -> None:
    checked = essay("A **bold**, *it* and [link](http://a.b) word.\n", markdown=True)
    compact, positions = compact_prose(checked)
    assert compact == "A bold, it and link word.\n"
    # every kept character points at itself; an inserted space points into the markup it replaced
    assert all(checked.text[p] == c for p, c in zip(positions, compact, strict=True) if c != " ")
    assert len(positions) == len(compact)


def test_plain_text_prose_is_unchanged() -> None:
    checked = essay("He go  to school.")
    compact, positions = compact_prose(checked)
    assert compact == checked.text and positions == list(range(len(compact)))


@pytest.mark.parametrize("indent", ["     ", "\t", "  \t "])
def test_indented_paragraphs_are_layout_not_errors(
    rubric: Rubric, harper: HarperEngine, indent: str
) -> None:
    paragraphs = ["The novel is told by Kathy.", "He go to school.  It was far.", "It ends."]
    plain = "\n\n".join(paragraphs) + "\n"
    indented = "\n\n".join(indent + p + "   " for p in paragraphs) + "\n"
    single_newlines = "\n".join(indent + p for p in paragraphs) + "\n"
    issues = GrammarCheck(rubric, harper).run(essay(plain)).summary.issues
    expected = [(i.text, i.rule) for i in issues]
    assert any(t == "go" for t, _ in expected)
    assert any(t == "  " for t, _ in expected)  # the double space inside a line still counts
    for text in (indented, single_newlines):
        issues = GrammarCheck(rubric, harper).run(essay(text)).summary.issues
        assert [(i.text, i.rule) for i in issues] == expected
        assert all(text[i.start : i.end] == i.text for i in issues)


def test_compact_prose_drops_blanks_at_line_edges_and_maps_the_rest() -> None:
    checked = essay("  Indented line.  \n\t\tSecond  line.\n   \nLast.")
    compact, positions = compact_prose(checked)
    assert compact == "Indented line.\nSecond  line.\n\nLast."
    assert [checked.text[p] for p in positions] == list(compact)


def test_double_space_in_plain_text_is_typography_info(
    rubric: Rubric, harper: HarperEngine
) -> None:
    text = "The novel is told by Kathy.  It is set in England."
    result = GrammarCheck(rubric, harper).run(essay(text))
    spaces = [f for f in result.findings if f.category == "typography"]
    assert spaces and spaces[0].severity is Severity.INFO


def test_rubric_disabled_rules_and_categories(rubric: Rubric, harper: HarperEngine) -> None:
    text = "I recieved the letter. This is an test."
    assert {f.category for f in GrammarCheck(rubric, harper).run(essay(text)).findings} == {
        "spelling",
        "grammar",
    }
    no_spelling = rubric_with(rubric, disabled_categories=("Spelling",))
    assert [f.code for f in GrammarCheck(no_spelling, harper).run(essay(text)).findings] == [
        "grammar.harper.AnA"
    ]
    no_ana = rubric_with(rubric, disabled_rules=("harper.AnA",))
    assert [f.code for f in GrammarCheck(no_ana, harper).run(essay(text)).findings] == [
        "grammar.harper.SpellCheck"
    ]
    bare_name = rubric_with(rubric, disabled_rules=("SpellCheck",))
    assert [f.code for f in GrammarCheck(bare_name, harper).run(essay(text)).findings] == [
        "grammar.harper.AnA"
    ]


def test_summary_counts(rubric: Rubric, harper: HarperEngine) -> None:
    text = "I recieved the letter on Tuesdy. This is an test of ten words here."
    checked = essay(text)
    summary = GrammarCheck(rubric, harper, notice="a notice").run(checked).summary
    assert summary.engine == "harper"
    assert summary.categories == {"grammar": 1, "spelling": 2}
    assert summary.issues_per_100_words == pytest.approx(300 / checked.word_count)
    assert summary.target_max_per_100_words == rubric.targets.grammar.max_issues_per_100_words
    assert summary.notice == "a notice"
    as_json = summary.to_dict()
    assert {"start", "end", "message", "rule", "category", "replacements"} <= set(
        as_json["issues"][0]
    )


def test_engine_off(rubric: Rubric) -> None:
    result = GrammarCheck(rubric, None).run(essay("He go to school."))
    assert result.check == "grammar"
    assert result.findings == ()
    assert result.summary.engine == "off"
    assert result.summary.issues == ()


def test_rubric_targets_default_type() -> None:
    assert isinstance(Targets().grammar, GrammarTarget)


def test_decomposed_accents_are_checked_as_the_words_they_spell(
    rubric: Rubric, harper: HarperEngine
) -> None:
    """Text pasted from a PDF or a Mac may hold "e" + U+0301: Harper would flag the
    fragments ("nai", "ve"); the check composes first and maps spans back whole."""
    import unicodedata

    sentence = (
        "Her naïve hope, like a café daydream or a fiancée's résumé, feels cliché. He go home."
    )
    nfc_issues = GrammarCheck(rubric, harper).run(essay(sentence)).summary.issues
    decomposed = unicodedata.normalize("NFD", sentence)
    assert decomposed != sentence
    nfd_issues = GrammarCheck(rubric, harper).run(essay(decomposed)).summary.issues
    assert [(i.rule, unicodedata.normalize("NFC", i.text)) for i in nfd_issues] == [
        (i.rule, i.text) for i in nfc_issues
    ]
    assert any(i.text == "go" for i in nfd_issues)
    assert all(decomposed[i.start : i.end] == i.text for i in nfd_issues)


def test_a_flagged_decomposed_word_is_spanned_whole() -> None:
    from essaycoach.checks.grammar import composed

    text = "Ra\u0301lph and \u1100\u1161\u11a8 end"  # a combining acute; Hangul jamo (각)
    checked, starts, ends = composed(text, list(range(len(text))))
    assert checked == "Rálph and 각 end"
    word = checked.index("Rálph")
    assert text[starts[word] : ends[word + len("Rálph") - 1]] == "Ra\u0301lph"
    syllable = checked.index("각")
    assert text[starts[syllable] : ends[syllable]] == "\u1100\u1161\u11a8"


def test_an_accepted_entry_of_several_words_accepts_each() -> None:
    """An entry "Krogstad Helmer" (a line of a word list, or in accept_words) was one "word"
    no spell checker ever saw, so both names were still flagged."""
    from essaycoach.pipeline import Pipeline
    from essaycoach.settings import Settings

    text = "Krogstad and Helmer drive Kathy to the Cottages in the old van."
    with Pipeline(Settings(grammar="harper", harper_server=False)) as plain:
        flagged = {i.text for i in plain.check_essay(essay(text)).grammar.issues}
    assert {"Krogstad", "Helmer"} <= flagged  # Harper flags both without the entry
    settings = Settings(grammar="harper", harper_server=False, accept_words=("Krogstad Helmer",))
    with Pipeline(settings) as accepting:
        flagged = {i.text for i in accepting.check_essay(essay(text)).grammar.issues}
    assert not {"Krogstad", "Helmer"} & flagged


@pytest.mark.parametrize(
    ("a", "b", "apart"),
    [
        ("hailshem", "hailsham", True),  # substituted
        ("hailsam", "hailsham", True),  # deleted
        ("hailssham", "hailsham", True),  # inserted
        ("hailhsam", "hailsham", True),  # adjacent letters swapped
        ("hailsham", "hailsham", False),  # the same word
        ("lennie", "tommy", False),
        ("halisham", "hailshma", False),  # two edits
    ],
)
def test_one_edit_apart(a: str, b: str, apart: bool) -> None:
    assert _one_edit_apart(a, b) is apart
    assert _one_edit_apart(b, a) is apart


def test_spelling_inside_a_short_quotation_is_the_authors(
    rubric: Rubric, bare_harper: HarperEngine
) -> None:
    text = 'He dreams of living "off the fatta the lan," but the dream cannot last.'
    result = GrammarCheck(rubric, bare_harper).run(essay(text))
    assert not [i for i in result.summary.issues if i.category == "spelling"]
    unquoted = text.replace('"', "")
    spelled = GrammarCheck(rubric, bare_harper).run(essay(unquoted)).summary.issues
    assert "fatta" in {i.text for i in spelled if i.category == "spelling"}


def test_a_long_quotation_is_spell_checked(rubric: Rubric, bare_harper: HarperEngine) -> None:
    """Over 40 words in quotation marks is not trusted to be a quotation."""
    words = " ".join(["the ranch was quiet"] * 11)
    text = f'He wrote: "{words} and recieved nothing." Then he left.'
    result = GrammarCheck(rubric, bare_harper).run(essay(text))
    assert "recieved" in {i.text for i in result.summary.issues}


@pytest.mark.parametrize(
    ("title", "markdown", "flagged"),
    [
        ("*Klara and the Sun*", True, []),  # QA: "Klara" was flagged
        ("_Klara and teh Sun_", True, ["teh"]),  # a lower-case word is still checked
        ("**Klara**", True, ["Klara"]),  # bold is no title
        ("*the Klara*", True, ["Klara"]),  # a title starts with a capital
        ("\\*Klara and the Sun\\*", True, ["Klara"]),  # escaped: no italics
        ("*Klara and the Sun*", False, ["Klara"]),  # plain text: no Markdown
    ],
)
def test_capitalised_words_of_an_italic_title_are_not_misspellings(
    rubric: Rubric, bare_harper: HarperEngine, title: str, markdown: bool, flagged: list[str]
) -> None:
    text = essay(f"Ishiguro also wrote {title}, in which a robot narrates.", markdown=markdown)
    result = GrammarCheck(rubric, bare_harper).run(text)
    assert [i.text for i in result.summary.issues] == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("*Definately*, Kathy loves Tommy and she tells him.", ["Definately"]),
        ("She waits. *Becuase* of this, Ruth lies to them.", ["Becuase"]),
        ("She reads *Frankenstien* at school and likes it.", []),  # mid-sentence: a title
    ],
)
def test_one_italic_word_opening_a_sentence_is_emphasis_and_checked(
    rubric: Rubric, bare_harper: HarperEngine, text: str, flagged: list[str]
) -> None:
    """Review: "*Definately*," was taken for a title and its spelling left unchecked."""
    result = GrammarCheck(rubric, bare_harper).run(essay(text, markdown=True))
    assert [i.text for i in result.summary.issues] == flagged


def test_a_word_in_capitals_twice_is_not_a_name(rubric: Rubric, bare_harper: HarperEngine):
    text = "I have CHOOSEN this school. My parents CHOOSEN it too, and I agree with them."
    result = GrammarCheck(rubric, bare_harper).run(essay(text))
    assert "CHOOSEN" in {i.text for i in result.summary.issues}


MLA_QUOTATION = (
    'Kathy remembers Hailsham as "a place . . . where we were safe," and Miss Lucy warns '
    'that "your lives are set out for you . . . ." Then she look away.'
)


def test_mla_ellipses_are_not_flagged(rubric: Rubric, harper: HarperEngine) -> None:
    """QA: Harper flagged each ". . ." twice (a space at a sentence end, and a sentence
    not starting with a capital letter)."""
    result = GrammarCheck(rubric, harper).run(essay(MLA_QUOTATION))
    assert [i.text for i in result.summary.issues] == ["look"]


@pytest.mark.languagetool
@pytest.mark.usefixtures("languagetool_server")
def test_mla_ellipses_are_not_flagged_by_languagetool(rubric: Rubric) -> None:
    """LanguageTool too read ". . ." as stray full stops (COMMA_PARENTHESIS_WHITESPACE on
    " .", UPPERCASE_SENTENCE_START on the next word)."""
    from essaycoach.grammar.languagetool import open_languagetool

    engine = open_languagetool(None, ("Hailsham",))
    try:
        result = GrammarCheck(rubric, engine).run(essay(MLA_QUOTATION))
    finally:
        engine.close()
    assert [i.text for i in result.summary.issues] == ["look"]


def test_literary_english_harper_misread_is_not_flagged(
    rubric: Rubric, harper: HarperEngine
) -> None:
    """QA's literary essay: "Kathy H.'s" (the "s"), British "grey", "to show they had
    souls" ("them"), "a nostalgia" (mass noun) were flagged; the agreement errors stay."""
    text = (
        "In the novel, Kathy H.'s memories of Hailsham are calm. The grey sky over "
        "Norfolk mirrors her mood. The guardians collected art to show they had souls, "
        "and there is a nostalgia in her voice. Every day she stand by the fence."
    )
    result = GrammarCheck(rubric, harper).run(essay(text))
    assert [i.text for i in result.summary.issues] == ["stand"]


def test_compact_prose_joins_markup_inside_a_word() -> None:
    """QA: HTML entities in Markdown were read as words ("doesn", "mdash", "nbsp"), and
    "it&#39;s power" was never flagged; "_Its_" kept its underscores."""
    text = "Kathy doesn&#8217;t complain&mdash;she waits &amp; _sees_ it&#39;s so.\n"
    compact, positions = compact_prose(essay(text, markdown=True))
    assert compact == "Kathy doesn’t complain—she waits & sees it's so.\n"
    assert len(positions) == len(compact)


@pytest.mark.parametrize(
    ("text", "engine_text"),
    [
        (
            "The <i>Hamlet</i>'s ghost and <b>does</b>n't help.",
            "The Hamlet's ghost and doesn't help.",
        ),
        ("Kathy waits<br>Tommy rages.", "Kathy waits Tommy rages."),
        ("Ruth&#32;lies and Tommy&#10;rages.", "Ruth\u00a0lies and Tommy\u00a0rages."),
        ("I saved my\\_final\\_essay there.", "I saved my_final_essay there."),
    ],
    ids=["inline-tags", "line-break-tag", "space-entities", "escapes"],
)
def test_compact_prose_reads_html_and_escapes_as_shown(text: str, engine_text: str) -> None:
    """QA: inline tags parted a word from its suffix ("Hamlet 's", "does n't"); space
    entities glued words ("Ruthlies", offered "Ruthless"); "\\_" was taken for emphasis."""
    assert compact_prose(essay(text + "\n", markdown=True))[0] == engine_text + "\n"


def test_a_flag_ending_on_an_entity_takes_in_the_whole_entity(
    rubric: Rubric, harper: HarperEngine
) -> None:
    """QA: "xyzzyq&eacute;" was flagged as "xyzzyq&", half an entity."""
    text = "The word xyzzyq&eacute; is not in any dictionary at all."
    result = GrammarCheck(rubric, harper).run(essay(text, markdown=True))
    assert [i.text for i in result.summary.issues] == ["xyzzyq&eacute;"]


@pytest.mark.parametrize(
    ("text", "flagged", "replacement"),
    [
        ("They learn the truth at last. _Its_ a cruel moment for them.", "Its", "It's"),
        ("The school is gone now, and it&#39;s power is quiet.", "it&#39;s", "its"),
    ],
)
def test_markdown_underscores_and_entities_are_read_as_the_text_they_show(
    rubric: Rubric, harper: HarperEngine, text: str, flagged: str, replacement: str
) -> None:
    result = GrammarCheck(rubric, harper).run(essay(text, markdown=True))
    [issue] = result.summary.issues
    assert text[issue.start : issue.end] == flagged
    # an entity inside the span is one character: the suggestion still replaces the span
    assert issue.replacements[0] == replacement


def test_each_suggestion_is_offered_once(rubric: Rubric, harper: HarperEngine) -> None:
    """QA: Harper's TheirToThere offered "there, there's, there's"."""
    result = GrammarCheck(rubric, harper).run(essay("The truth is that their is no future."))
    [issue] = result.summary.issues
    assert issue.text == "their"
    assert issue.replacements and len(set(issue.replacements)) == len(issue.replacements)


@pytest.mark.usefixtures("languagetool_server")
def test_a_span_over_markup_offers_no_suggestion(rubric: Rubric) -> None:
    """QA: LanguageTool read "the **the** days" as "the the days" and suggested "the" for
    "the **the", which, put in its place, left an unclosed "**"."""
    from essaycoach.grammar.languagetool import open_languagetool

    engine = open_languagetool(None, ())
    try:
        text = "Gossip fills the **the** days while Tommy rages on the field."
        result = GrammarCheck(rubric, engine).run(essay(text, markdown=True))
    finally:
        engine.close()
    [issue] = [i for i in result.summary.issues if i.rule == "ENGLISH_WORD_REPEAT_RULE"]
    assert text[issue.start : issue.end] == "the **the"
    assert issue.replacements == ()


@pytest.mark.languagetool
@pytest.mark.usefixtures("languagetool_server")
def test_both_keeps_the_flag_whose_suggestion_survives_the_markup(rubric: Rubric) -> None:
    """QA: under `both` LanguageTool's THERE_OWN on "there* own" (no suggestion: its
    span takes in markup) won the merge over Harper's "there" -> "their"."""
    from essaycoach.grammar.languagetool import open_languagetool
    from essaycoach.grammar.merge import BothEngine

    engine = BothEngine(open_languagetool(None, ()), HarperEngine())
    try:
        text = "The students live *there* own lives at Hailsham."
        result = GrammarCheck(rubric, engine).run(essay(text, markdown=True))
    finally:
        engine.close()
    assert [(i.text, i.replacements, i.engine) for i in result.summary.issues] == [
        ("there", ("their",), "harper")
    ]


@pytest.mark.languagetool
@pytest.mark.usefixtures("languagetool_server")
def test_an_accepted_name_is_no_confusion_either(rubric: Rubric) -> None:
    """QA: "Whit" (Of Mice and Men), accepted by the teacher's rubric, was still
    LanguageTool's WHIT_WITH "Did you mean 'with'?"; a lower-case "whit" still is."""
    from essaycoach.grammar.languagetool import open_languagetool

    text = essay("Crooks, Candy, Slim, Carlson and Whit all want someone to talk to.")
    results = []
    for listing in (rubric, dataclasses.replace(rubric, accept_words=("Whit",))):
        engine = open_languagetool(None, listing.accept_words)
        try:
            results.append(GrammarCheck(listing, engine).run(text))
        finally:
            engine.close()
    unlisted, named = results
    assert [i.rule for i in unlisted.summary.issues] == ["WHIT_WITH"]
    assert named.summary.issues == ()


def test_an_accepted_word_still_needs_its_capital_at_a_sentence_start(rubric: Rubric) -> None:
    """QA re-check: "carer", accepted as written, was no longer flagged starting a sentence
    once the accepted words dropped every rule's flags on them."""
    listing = dataclasses.replace(rubric, accept_words=("carer",))
    text = essay("Kathy works for years. carer is the job she does.")
    issues = GrammarCheck(listing, HarperEngine(listing.accept_words)).run(text).summary.issues
    assert [(i.text, i.replacements[:1]) for i in issues] == [("carer", ("Carer",))]
