"""Copying between students: a lightly edited copy is a pair; unrelated essays are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from essaycoach.grade.pairs import find_copy_pairs
from essaycoach.resources import default_exemplar_path
from essaycoach.textsim import tokenize

EXAMPLES = Path(__file__).parents[2] / "examples"

ORIGINAL = """\
Kathy narrates Never Let Me Go from the far end of her life as a carer, and that distance
shapes everything she tells us. She is calm, almost polite, even when she describes the moment
Miss Lucy tells the students that they will never have ordinary jobs or grow old. The calm is not
indifference. It is the habit of a girl who learned early that complaining would change nothing,
so she turns her grief into careful remembering instead.

The cassette tape is the clearest sign of that habit. Kathy loses it at Hailsham, finds a copy
years later in a Norfolk junk shop with Tommy, and keeps it long after the song has lost its
first meaning. Holding on to small objects is the only kind of ownership the clones are allowed,
and Ishiguro makes those objects carry the weight that families and careers carry for everyone
else.
"""

# the same essay with a few words changed, a sentence dropped and a clause added
EDITED_COPY = """\
Kathy tells the story of Never Let Me Go from the far end of her life as a carer, and that
distance shapes everything she tells us. She stays calm, almost polite, even when she describes
the moment Miss Lucy tells the students that they will never have ordinary jobs or grow old.
It is the habit of a girl who learned very early that complaining would change nothing, so she
turns her grief into careful remembering instead.

The cassette tape is the clearest sign of this habit. Kathy loses it at Hailsham, finds a copy
years later in a Norfolk junk shop with Tommy, and keeps it long after the song has lost its
first meaning. Holding on to little objects is the only kind of ownership the clones are allowed,
and Ishiguro makes those objects carry the weight that families and careers carry for everybody
else in the novel.
"""

UNRELATED_1 = """\
Ruth is the most frustrating character in the novel, but she is also the most honest
about what she wants. At the Cottages she copies the gestures of couples from television and
pretends to have plans for an office job, because a pretend future is easier to bear than none.
Her cruelty to Kathy comes from the same fear. When she finally admits that she kept Kathy and
Tommy apart, she hands them the address of Madame as an apology, and for once her wish to belong
turns into a gift rather than a weapon.
"""

UNRELATED_2 = """\
Tommy begins the book as the boy who cannot draw and who screams in the muddy field
while the others laugh. His temper looks childish, yet it is the only open protest anyone at
Hailsham makes. Later his strange little animals, drawn with patience in the Cottages, show that
he has turned anger into attention. The tragedy is that the proof of a soul he works so hard to
make is never going to be looked at by anyone with the power to save him.
"""


def _exemplar() -> str:
    return default_exemplar_path().read_text(encoding="utf-8")


def test_lightly_edited_copy_is_a_pair_with_shared_passages() -> None:
    texts = [UNRELATED_1, ORIGINAL, UNRELATED_2, EDITED_COPY]
    pairs = find_copy_pairs(texts, [_exemplar()])
    assert [(p.a, p.b) for p in pairs] == [(1, 3)]
    pair = pairs[0]
    assert pair.shared_fraction > 0.6
    assert pair.longest_passage >= 25
    # the passages point at the same words in both essays
    joined_a = " ".join(" ".join(p.a_text.split()) for p in pair.passages)
    assert "Norfolk junk shop with Tommy" in joined_a
    for passage in pair.passages:
        assert ORIGINAL[passage.a_start : passage.a_end] == passage.a_text
        assert EDITED_COPY[passage.b_start : passage.b_end] == passage.b_text


def test_unrelated_essays_on_the_same_novel_are_not_pairs() -> None:
    assert find_copy_pairs([ORIGINAL, UNRELATED_1, UNRELATED_2], [_exemplar()]) == []


def test_passages_both_copy_from_the_exemplar_do_not_make_a_pair() -> None:
    exemplar = _exemplar()
    quoted = exemplar.split("\n\n")[1]  # a whole exemplar paragraph
    a = UNRELATED_1 + "\n\n" + quoted
    b = UNRELATED_2 + "\n\n" + quoted
    assert find_copy_pairs([a, b], [exemplar]) == []
    # without the exemplar to explain it, the same shared paragraph is suspicious
    assert len(find_copy_pairs([a, b], [])) == 1


def test_short_common_phrases_are_not_enough() -> None:
    shared = "the students at Hailsham were never told the whole truth about their future"
    a = UNRELATED_1 + " In short, " + shared + "."
    b = UNRELATED_2 + " Put simply, " + shared + "."
    assert find_copy_pairs([a, b], [_exemplar()]) == []


@pytest.mark.parametrize("name", ["off-topic.txt", "never-let-me-go.txt", "grammar-errors.txt"])
def test_identical_essays_share_all_of_the_shorter_one(name: str) -> None:
    # QA: 1.01 for off-topic.txt and 0.99 for never-let-me-go.txt, whose shared words were
    # counted as textsim's words and whose lengths as whitespace-separated ones
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    [pair] = find_copy_pairs([text, text])
    assert pair.shared_fraction == 1.0


def test_identical_essays_quoting_the_exemplar_share_all_they_were_compared_on() -> None:
    """QA re-check: words shared with the exemplar are masked, never matched, but still
    counted in the length: two identical essays shared 0.50 of each other."""
    text = (EXAMPLES / "copies-exemplar.txt").read_text(encoding="utf-8")
    [pair] = find_copy_pairs([text, text], [_exemplar()])
    assert pair.shared_fraction == 1.0


def test_a_partial_copy_shares_its_copied_words_over_the_shorter_essay() -> None:
    source = (EXAMPLES / "off-topic.txt").read_text(encoding="utf-8")
    paragraphs = source.split("\n\n")
    copied = paragraphs[2] + "\n\n" + paragraphs[3]  # "second-hand", "t-shirt": two words each
    copy = UNRELATED_1 + "\n\n" + copied + "\n\n" + UNRELATED_2
    [pair] = find_copy_pairs([source, copy])
    assert pair.shared_words == len(tokenize(copied))
    assert len(tokenize(copy)) < len(tokenize(source))
    assert pair.shared_fraction == pytest.approx(pair.shared_words / len(tokenize(copy)))
    assert 0.4 < pair.shared_fraction < 0.6


def test_the_shared_fraction_is_never_above_one() -> None:
    # QA: the last paragraph then the first of an essay shared 185 words with it, 181 long:
    # the passages' extended edges overlap in the copy
    source = (EXAMPLES / "missing-climax.txt").read_text(encoding="utf-8")
    paragraphs = source.split("\n\n")
    copy = paragraphs[5] + "\n\n" + paragraphs[0]
    [pair] = find_copy_pairs([source, copy])
    assert 0.95 < pair.shared_fraction <= 1.0


MISS_LUCY = (
    "The problem, as I see it, is that you've been told and not told. You've been told, but "
    "none of you really understand, and I dare say, some people are quite happy to leave it "
    "that way. If you are going to have decent lives, then you have to know who you are and "
    "what lies ahead of you, every one of you."
)


@pytest.mark.parametrize(
    ("block", "paired"),
    [
        # should pass: an MLA block quotation, indented and cited, in both essays (QA)
        (f"    {MISS_LUCY} (Ishiguro 79)", False),
        (f"> {MISS_LUCY} (Ishiguro 79)", False),  # Markdown's block quotation
        # should flag: the same passage not set off as a cited quotation
        (f"    {MISS_LUCY}", True),  # indented, but no citation
        (f"{MISS_LUCY} (Ishiguro 79)", True),  # cited, but part of the prose
    ],
    ids=["indented-cited", "markdown-cited", "indented-uncited", "cited-inline"],
)
def test_a_cited_block_quotation_both_students_make_is_no_copying(block: str, paired: bool):
    """QA: two honest essays quoting the same 65 words of Miss Lucy as an indented,
    cited block quotation were a suspicious pair."""
    first = f"{UNRELATED_1}\nMiss Lucy puts it directly:\n\n{block}\n\n{UNRELATED_2}"
    second = f"{ORIGINAL}\nHer warning is the clearest statement of the problem:\n\n{block}\n"
    pairs = find_copy_pairs([first, second], [])
    assert bool(pairs) is paired


def test_in_an_essay_of_indented_paragraphs_a_cited_one_is_no_block_quotation():
    """Review: an essay that indents every paragraph, one line each, shared a 62-word
    paragraph of its own ending "(Ishiguro 263)." with another: masked as a quotation."""
    shared = f"    {MISS_LUCY} (Ishiguro 79)"

    def indented(text: str) -> str:
        return "\n".join("    " + " ".join(p.split()) for p in text.split("\n\n") if p.strip())

    first = indented(UNRELATED_1) + "\n" + shared + "\n" + indented(UNRELATED_2)
    second = indented(ORIGINAL) + "\n" + shared + "\n"
    assert find_copy_pairs([first, second], [])


def test_a_docx_block_quotation_set_off_by_its_indent_is_no_copying(tmp_path: Path) -> None:
    """A .docx block quotation is a paragraph with a left indent (no spaces in its
    text): the reader keeps it as an indented block, so the pair finder masks it."""
    import docx
    from docx.shared import Cm

    from essaycoach.readers import read_submission

    texts = []
    for name, own in (("a", UNRELATED_1), ("b", ORIGINAL)):
        document = docx.Document()
        for paragraph in own.split("\n\n"):
            document.add_paragraph(" ".join(paragraph.split()))
        quote = document.add_paragraph(f"{MISS_LUCY} (Ishiguro 79)")
        quote.paragraph_format.left_indent = Cm(1.27)
        document.add_paragraph(" ".join(UNRELATED_2.split()) if name == "a" else "The end.")
        document.save(str(tmp_path / f"{name}.docx"))
        texts.append(read_submission(tmp_path / f"{name}.docx", f"{name}.docx").prose)
    assert f"\n\n    {MISS_LUCY[:20]}" in texts[0]
    assert find_copy_pairs(texts, []) == []


@pytest.mark.parametrize("how", ["by hand", "quotations style"])
def test_an_odt_block_quotation_set_off_by_its_indent_is_no_copying(tmp_path: Path, how: str):
    """As in a .docx: an .odt paragraph indented 1 cm or more, by hand (an automatic
    style) or by a named style such as LibreOffice's Quotations, is a block quotation."""
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style
    from odf.text import P

    from essaycoach.readers import read_submission

    texts = []
    for name, own in (("a", UNRELATED_1), ("b", ORIGINAL)):
        document = OpenDocumentText()
        if how == "by hand":
            quote_style = Style(name="P1", family="paragraph")
            quote_style.addElement(ParagraphProperties(marginleft="0.5in"))
            document.automaticstyles.addElement(quote_style)
        else:
            named = Style(name="Quotations", family="paragraph")
            named.addElement(ParagraphProperties(marginleft="1cm", marginright="1cm"))
            document.styles.addElement(named)
            quote_style = Style(name="P1", family="paragraph", parentstylename="Quotations")
            document.automaticstyles.addElement(quote_style)
        for paragraph in own.split("\n\n"):
            document.text.addElement(P(text=" ".join(paragraph.split())))
        document.text.addElement(P(stylename=quote_style, text=f"{MISS_LUCY} (Ishiguro 79)"))
        document.text.addElement(P(text=" ".join(UNRELATED_2.split()) if name == "a" else "End."))
        document.save(str(tmp_path / f"{name}.odt"))
        texts.append(read_submission(tmp_path / f"{name}.odt", f"{name}.odt").prose)
    assert f"\n\n    {MISS_LUCY[:20]}" in texts[0]
    assert find_copy_pairs(texts, []) == []


def test_an_odt_paragraph_with_a_small_indent_is_prose(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style
    from odf.text import P

    from essaycoach.readers import read_submission

    document = OpenDocumentText()
    small = Style(name="P1", family="paragraph")
    small.addElement(ParagraphProperties(marginleft="0.5cm", textindent="1cm"))
    document.automaticstyles.addElement(small)
    document.text.addElement(P(stylename=small, text=MISS_LUCY))
    document.save(str(tmp_path / "a.odt"))
    assert read_submission(tmp_path / "a.odt", "a.odt").prose.startswith(MISS_LUCY[:20])


@pytest.mark.parametrize(("indent", "paired"), [("\\li720", False), ("\\li227", True), ("", True)])
def test_an_rtf_block_quotation_set_off_by_its_indent_is_no_copying(
    tmp_path: Path, indent: str, paired: bool
) -> None:
    """An RTF paragraph with a left indent (\\li, in twips) of 1 cm or more is a block
    quotation, as in a .docx; 0.4 cm, or none, is prose."""
    from essaycoach.readers import read_submission

    texts = []
    for name, own in (("a", UNRELATED_1), ("b", ORIGINAL)):
        body = "".join(f"\\pard {' '.join(p.split())}\\par\n" for p in own.split("\n\n"))
        after = " ".join(UNRELATED_2.split()) if name == "a" else "The end."
        quote = f"\\pard{indent} {MISS_LUCY} (Ishiguro 79)\\par\n\\pard {after}\\par\n"
        path = tmp_path / f"{name}.rtf"
        path.write_text("{\\rtf1\\ansi{\\fonttbl{\\f0 Times;}}\\f0\n" + body + quote + "}", "ascii")
        texts.append(read_submission(path, path.name).prose)
    assert (f"\n\n    {MISS_LUCY[:20]}" in texts[0]) is not paired
    assert bool(find_copy_pairs(texts, [])) is paired


def test_an_odt_header_style_of_the_same_name_leaves_the_body_style_alone(tmp_path: Path):
    """QA: styles.xml's automatic styles (headers', footers') may reuse a body style's
    name ("P1"); read together with content.xml's, the header's hid the body's indent."""
    import zipfile

    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style
    from odf.text import P

    from essaycoach.readers import read_submission

    document = OpenDocumentText()
    quote = Style(name="P1", family="paragraph")
    quote.addElement(ParagraphProperties(marginleft="1.27cm"))
    document.automaticstyles.addElement(quote)
    document.text.addElement(P(text=" ".join(UNRELATED_1.split())))
    document.text.addElement(P(stylename=quote, text=f"{MISS_LUCY} (Ishiguro 79)"))
    plain = tmp_path / "plain.odt"
    document.save(str(plain))
    style_ns = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
    header_style = (
        f'<style:style xmlns:style="{style_ns}" style:name="P1" style:family="paragraph">'
        "<style:paragraph-properties/></style:style>"
    )
    collided = tmp_path / "collided.odt"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(collided, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "styles.xml":
                text = data.decode("utf-8")
                empty = "<office:automatic-styles></office:automatic-styles>"
                assert empty in text
                text = text.replace(
                    empty, f"<office:automatic-styles>{header_style}</office:automatic-styles>"
                )
                data = text.encode("utf-8")
            target.writestr(item, data)
    prose = read_submission(collided, "collided.odt").prose
    assert f"\n\n    {MISS_LUCY[:20]}" in prose
