"""What the document readers hand on: blocks of text, some styled as headings, some
the rows of a template's form, joined into a `DocumentText` with their spans."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from essaycoach.decoding import normalise_text
from essaycoach.masking import ends_a_sentence, is_form_label
from essaycoach.words import words_of

# A block styled as a heading with more words than this is a paragraph in the wrong
# style (a whole paragraph in Heading 2, an essay written in <h4>s): prose
HEADING_MAX_WORDS = 20


class HeadingBlock(str):
    """A block of a document its writer styled as a heading (Word's Heading 1 or
    Title, an ODT text:h): a title or section name, not the essay's prose."""


class IndentedBlock(str):
    """A block its writer set off by a left indent (a block quotation): the text keeps
    it as four spaces, as a plain-text essay indents one (`textsim.block_quotations`)."""


BLOCK_INDENT = "    "


class FormBlock(str):
    """A row of a table whose every cell is short ("Name | Sam Smith", "Class |
    English 10"): a school template's form, not the essay's prose."""


class DocumentText(str):
    """A document's text, with the (start, end) of the blocks styled as headings and
    of the form tables' rows."""

    heading_spans: tuple[tuple[int, int], ...]
    form_spans: tuple[tuple[int, int], ...]

    def __new__(
        cls,
        text: str,
        heading_spans: tuple[tuple[int, int], ...] = (),
        form_spans: tuple[tuple[int, int], ...] = (),
    ) -> DocumentText:
        document = super().__new__(cls, text)
        document.heading_spans = heading_spans
        document.form_spans = form_spans
        return document


def join_paragraphs(paragraphs: list[str]) -> DocumentText:
    out: list[str] = []
    headings: list[tuple[int, int]] = []
    forms: list[tuple[int, int]] = []
    position = 0
    for paragraph in paragraphs:
        # normalised here, not later: CR LF -> LF would move the heading spans
        # a byte-order mark inside a document (a pasted cell's) is no character of it
        stripped = normalise_text(paragraph).replace("\ufeff", "").strip()
        if not stripped:
            continue
        if out:
            position += 2  # the blank line between blocks
        if isinstance(paragraph, HeadingBlock) and len(words_of(stripped)) <= HEADING_MAX_WORDS:
            headings.append((position, position + len(stripped)))
        elif isinstance(paragraph, FormBlock):
            forms.append((position, position + len(stripped)))
        if isinstance(paragraph, IndentedBlock):
            stripped = BLOCK_INDENT + stripped
        out.append(stripped)
        position += len(stripped)
    return DocumentText("\n\n".join(out) + "\n", tuple(headings), tuple(forms))


FORM_CELL_MAX_WORDS = 6
FORM_VALUE_MAX_WORDS = 12  # beside a label
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*\Z")  # "Uniforms reduce bullying."


def _is_short(cells: Iterable[str], most: int = FORM_CELL_MAX_WORDS) -> bool:
    """Whether every cell has at most `most` words and none is a sentence ("Mrs. K."
    and "12 Oct." are none), as a form's cells are."""
    return all(len(words_of(cell)) <= most and not ends_a_sentence(cell) for cell in cells)


def table_blocks(rows: list[list[list[str]]]) -> Iterator[str]:
    """A table's rows (each a list of cells, each a list of the cell's blocks) as
    blocks, each row one block, its cells' text with a space between (a cell's own
    paragraphs a line apart), unless a cell holds several paragraphs (a template with
    the essay in a cell): then each paragraph of the row's cells is a block of its own.
    The rows of a form (`form_rows`) are `FormBlock`s."""
    rows = [[[block for block in blocks if block.strip()] for blocks in row] for row in rows]
    forms = form_rows([["\n".join(blocks) for blocks in row] for row in rows])
    for cells, form in zip(rows, forms, strict=True):
        if not form and any(len(blocks) > 1 for blocks in cells):
            for blocks in cells:
                yield from blocks
        else:
            text = " ".join("\n".join(blocks) for blocks in cells)
            yield FormBlock(text) if form else text


def _is_caption(row: list[str]) -> bool:
    """A row of one short cell that is no sentence: a form's title across its top."""
    cells = [cell for cell in row if cell.strip()]
    return len(cells) == 1 and _is_short(cells)


def _is_label(cell: str) -> bool:
    """Whether a cell is a form's label, alone or before its value ("Name: Sam"): what
    marks a row as the form's, not a student's short answer ("Hook | What makes a life
    worth living", "Claim | Uniforms reduce bullying")."""
    return is_form_label(cell.replace("\ufeff", "").split(":", 1)[0])


def form_rows(rows: list[list[str]]) -> list[bool]:
    """Which rows of a table (each its cells' text) are a form, a template's name,
    class and date boxes: the rows that open or close the table (before its first
    other row, after its last) whose first cell is a label ("Name | Sam Smith",
    "Date: 12 October"; its value up to FORM_VALUE_MAX_WORDS words), or that hold the
    values under a row of labels ("Name | Class | Date"), none a sentence; a caption
    row of one short cell above them ("Student Information") and empty rows too."""
    form: list[bool] = []
    previous: list[str] = []
    for row in rows:
        cells = [cell for cell in row if cell.strip()]
        under_labels = bool(form and form[-1] and previous) and all(map(_is_label, previous))
        labelled = bool(cells) and _is_label(cells[0])
        # an empty row (a spacer) is no text either way: it does not end the form; a
        # label's value may be longer ("Assignment | Literary analysis of ...")
        form.append(
            not cells
            or (labelled and _is_short(cells, FORM_VALUE_MAX_WORDS))
            or (under_labels and _is_short(cells))
        )
        previous = cells
    if len(form) > 1 and not form[0] and form[1] and _is_caption(rows[0]):
        form[0] = True  # "Student Information" merged across the form's top
    first = form.index(False) if False in form else len(form)
    last = len(form) - 1 - form[::-1].index(False) if False in form else -1
    return [is_form and not first <= number <= last for number, is_form in enumerate(form)]
