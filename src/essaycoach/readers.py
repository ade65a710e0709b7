"""Reading a submission of any supported format into an `Essay`.

.txt and .md use the same decoding as `essaycoach check` (`decoding.decode_bytes`);
.docx and .odt (their text part, parsed with lxml as it is unpacked from the zip:
pictures are never unpacked), .pdf (pypdf), .rtf (striprtf) and .html (Moodle's
online text; the standard library's parser) are reduced to plain paragraphs
separated by blank lines. Only a document's body is read: headers, footers and
comments are not the essay, and footnotes and endnotes, read at the end, would be
taken for its conclusion (docs/grading.md, "Inputs and student ids"). Every problem
(empty, encrypted, corrupt, unsupported, a zip bomb) raises `InputError` with a
one-line reason that the gradebook shows in the submission's failed row.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import posixpath
import re
import stat
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from essaycoach.decoding import decode_bytes, document_suffix, normalise_text
from essaycoach.errors import InputError
from essaycoach.essay import MAX_BYTES, Essay
from essaycoach.masking import ends_a_sentence, is_form_label
from essaycoach.words import words_of
from essaycoach.zip_safety import (
    DamagedMember,
    directory_problem,
    expansion_problem,
    member_chunks,
)

MAX_FILE_BYTES = 50_000_000  # a .docx or .pdf with pictures may be large; text is capped after
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office, and encrypted OOXML
# The most a .docx's or .odt's text part (word/document.xml, content.xml) may unpack to.
# Word's markup is 2 to 6 times the text (a 100-page essay: 1 to 5 MB); parsing 25 MB
# takes about 300 MB of memory. Pictures and the other parts are never unpacked.
MAX_UNPACKED_BYTES = 25_000_000

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
DOCUMENT_SUFFIXES = (".docx", ".odt", ".pdf", ".rtf", ".html", ".htm")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, *DOCUMENT_SUFFIXES)
_HTML_SUFFIXES = (".html", ".htm")

_UNSUPPORTED_HINTS = {
    ".doc": "old Word .doc format is not supported; save it as .docx",
    ".pages": "Apple Pages files are not supported; export as .docx or .pdf",
    ".zip": "nested zip archives are not opened; extract it into the folder",
}


def read_bytes(path: Path, source: str) -> bytes:
    """The bytes of the file at `path`; InputError naming `source` if it cannot be read.

    Only a regular file is opened: opening a named pipe that no one writes to blocks.
    Sizes are judged before the file is read: over 50 MB for any file, and for a text
    file (.txt, .md, no extension) over 2 MB, as `check` refuses it, unless its first
    bytes are a document's (a .docx or .pdf under a text name is read as what it is).
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file", source)
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"file is {size / 1e6:.0f} MB; submissions over {MAX_FILE_BYTES / 1e6:.0f} MB "
                "are refused",
                source,
            )
        # not blocking, and judged again once open: a file swapped for a named pipe
        # after the stat above would block an ordinary open for good
        with os.fdopen(os.open(path, os.O_RDONLY | _NONBLOCK), "rb") as handle:
            opened = os.fstat(handle.fileno())
            same = (opened.st_dev, opened.st_ino) == (info.st_dev, info.st_ino)
            if not (same and stat.S_ISREG(opened.st_mode)):
                raise InputError("the file changed while it was being read; try again", source)
            head = handle.read(_HEAD_BYTES)
            text_file = path.suffix.lower() in (*TEXT_SUFFIXES, "")
            if size > MAX_BYTES and text_file and not _document_start(head):
                raise InputError(
                    f"file is {size / 1e6:.1f} MB; essays over {MAX_BYTES / 1e6:.0f} MB are "
                    "refused",
                    source,
                )
            rest = handle.read(MAX_FILE_BYTES + 1 - len(head))  # one that grew: no further
            if len(head) + len(rest) > MAX_FILE_BYTES:
                raise InputError(
                    f"file grew over {MAX_FILE_BYTES / 1e6:.0f} MB while it was being read",
                    source,
                )
            return head + rest
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", source) from None


_HEAD_BYTES = 4096
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # Windows has none, and no named pipes in folders


def _document_start(head: bytes) -> bool:
    """Whether a file starting with `head` may be a document (`document_suffix` needs a
    zip's whole directory to tell a .docx from other zips)."""
    return head.startswith(b"PK\x03\x04") or document_suffix(head) is not None


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_submission(
    path: Path, source: str, data: bytes | None = None, suffix: str | None = None
) -> Essay:
    """The essay in `path`; `source` is the name reports and errors show. `suffix`:
    the format to read, when not the file's own (a file without an extension)."""
    suffix = suffix or path.suffix.lower()
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        hint = _UNSUPPORTED_HINTS.get(
            suffix, f"unsupported file type {suffix!r} (use {', '.join(SUPPORTED_SUFFIXES)})"
        )
        # a document under another name is read (Word and web apps save RTF or .docx
        # as ".doc"); the name's problem is the one to report for anything else
        try:
            data = read_bytes(path, source) if data is None else data
        except InputError:
            raise InputError(hint, source) from None
        if document_suffix(data) is None:
            if suffix == ".doc" and not data.startswith(_OLE_MAGIC):
                hint = (
                    "named .doc but not an old Word document (a web page, XML or text "
                    "saved under that name?); open it in Word and save it as .docx"
                )
            raise InputError(hint, source)
    if data is None:
        data = read_bytes(path, source)
    if not data.strip():
        raise InputError("file is empty (no text)", source)
    # What the bytes are wins over the name: downloads lose their extension, students
    # rename a .docx to .odt, and a teacher cannot rename a file inside an LMS export.
    actual = document_suffix(data)
    if actual == ".html" and suffix in DOCUMENT_SUFFIXES and suffix not in _HTML_SUFFIXES:
        raise InputError(
            f"not a {suffix} document but a web page (a failed download?); "
            "download or save the essay again",
            source,
        )
    if actual:
        suffix = actual
    heading_spans: tuple[tuple[int, int], ...] = ()
    form_spans: tuple[tuple[int, int], ...] = ()
    if suffix in DOCUMENT_SUFFIXES:
        text = _DOCUMENT_READERS[suffix](data, source)
        if isinstance(text, DocumentText):
            heading_spans, form_spans = text.heading_spans, text.form_spans
        markdown = False
    else:
        text = decode_bytes(data, source)
        markdown = suffix in (".md", ".markdown")
    if not text.strip():
        raise InputError("no text found in the file", source)
    if len(text) > MAX_BYTES:
        raise InputError(
            f"the text is {len(text) / 1e6:.1f} million characters; essays over "
            f"{MAX_BYTES / 1e6:.0f} million are refused",
            source,
        )
    return Essay.from_text(
        str(text),
        source=source,
        markdown=markdown,
        heading_spans=heading_spans,
        form_spans=form_spans,
    )


# A block styled as a heading with more words than this is a paragraph in the wrong
# style (a whole paragraph in Heading 2, an essay written in <h4>s): prose
HEADING_MAX_WORDS = 20


class HeadingBlock(str):
    """A block of a document its writer styled as a heading (Word's Heading 1 or
    Title, an ODT text:h): a title or section name, not the essay's prose."""


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


def _join_paragraphs(paragraphs: list[str]) -> DocumentText:
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
        out.append(stripped)
        position += len(stripped)
    return DocumentText("\n\n".join(out) + "\n", tuple(headings), tuple(forms))


def _office_zip(data: bytes, source: str, kind: str) -> zipfile.ZipFile:
    """The OOXML/ODF container, or InputError naming why it is not one."""
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            f"password-protected (encrypted) or legacy-format {kind}; remove the password "
            "or save it again",
            source,
        )
    if problem := directory_problem(io.BytesIO(data)):
        raise InputError(f"{problem} (possible zip bomb)", source)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(f"corrupt {kind}: not a valid document container", source) from None


def _office_part(container: zipfile.ZipFile, name: str, source: str, kind: str) -> Any:
    """The root element of the XML part `name`, parsed as it is unpacked; InputError if
    it is missing or damaged, or would unpack too large (a zip bomb)."""
    from lxml import etree

    try:
        info = container.getinfo(name)
    except KeyError:
        raise InputError(f"corrupt {kind}: {name} is missing", source) from None
    if problem := expansion_problem(info, MAX_UNPACKED_BYTES):
        raise InputError(f"too large when unpacked: {problem}", source)
    # no entities or DTDs fetched; comments and processing instructions are not text
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        for chunk in member_chunks(container, info):
            parser.feed(chunk)
        return parser.close()
    except (DamagedMember, zipfile.BadZipFile) as exc:
        raise InputError(f"corrupt {kind}: {exc}", source) from None
    except Exception as exc:  # lxml's syntax errors; zipfile's on encryption, compression
        raise InputError(f"corrupt {kind}: {type(exc).__name__}: {exc}", source) from None


def read_docx(data: bytes, source: str) -> str:
    container = _office_zip(data, source, ".docx")
    part = _docx_main_part(container, source)
    body = _office_part(container, part, source, ".docx").find(_W + "body")
    if body is None:
        raise InputError(f"corrupt .docx: {part} has no body", source)
    headings = _docx_heading_styles(container, part, source)
    return _join_paragraphs(list(_docx_blocks(body, headings)))


_HEADING_STYLE_NAME_RE = re.compile(r"heading [1-9]|title|subtitle", re.I)
_HEADING_STYLE_ID_RE = re.compile(r"Heading[1-9]|Title|Subtitle")


def _docx_heading_styles(container: zipfile.ZipFile, part: str, source: str) -> frozenset[str]:
    """The ids of the paragraph styles that are headings: Word's built-in "heading 1"
    to "heading 9", "Title" and "Subtitle" (styles.xml names them in English whatever
    the language of Word, while their ids are translated: "berschrift1"), styles with
    an outline level, and styles based on one of these. Without styles.xml, the
    English ids."""
    name = posixpath.join(posixpath.dirname(part), "styles.xml")
    if name not in container.namelist():
        return frozenset({"Title", "Subtitle", *(f"Heading{n}" for n in range(1, 10))})
    based_on: dict[str, str] = {}
    headings: set[str] = set()
    for style in _office_part(container, name, source, ".docx").iter(_W + "style"):
        if style.get(_W + "type") != "paragraph" or not (style_id := style.get(_W + "styleId")):
            continue
        style_name = style.find(_W + "name")
        named = style_name is not None and style_name.get(_W + "val", "")
        outline = style.find(f"{_W}pPr/{_W}outlineLvl")
        outlined = outline is not None and outline.get(_W + "val", "9") != "9"  # 9: body
        if (named and _HEADING_STYLE_NAME_RE.fullmatch(named)) or outlined:
            headings.add(style_id)
        elif (parent := style.find(_W + "basedOn")) is not None:
            based_on[style_id] = parent.get(_W + "val", "")
    for style_id, parent in based_on.items():
        seen = {style_id}
        while parent in based_on and parent not in seen:  # a loop in a damaged file ends
            seen.add(parent)
            parent = based_on[parent]
        if parent in headings:
            headings.add(style_id)
    return frozenset(headings)


def _docx_is_heading(paragraph: Any, heading_styles: frozenset[str]) -> bool:
    properties = paragraph.find(_W + "pPr")
    if properties is None:
        return False
    style = properties.find(_W + "pStyle")
    outline = properties.find(_W + "outlineLvl")
    return (style is not None and style.get(_W + "val") in heading_styles) or (
        outline is not None and outline.get(_W + "val", "9") != "9"
    )


_PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "/officeDocument"  # the end of the main part's relationship type


def _docx_main_part(container: zipfile.ZipFile, source: str) -> str:
    """The name of the document's text part: the package's officeDocument
    relationship says it. Word writes word/document.xml, but other writers use other
    names (word/document2.xml), and a package without relationships is read from
    Word's name."""
    if "_rels/.rels" not in container.namelist():
        return "word/document.xml"
    relationships = _office_part(container, "_rels/.rels", source, ".docx")
    for relationship in relationships.iter(_PACKAGE_RELATIONSHIPS + "Relationship"):
        if relationship.get("Type", "").endswith(_OFFICE_DOCUMENT):
            return relationship.get("Target", "").lstrip("/")
    raise InputError("corrupt .docx: _rels/.rels names no main document part", source)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# What the reader of the document does not see
_DOCX_SKIPPED = frozenset(
    _W + tag
    for tag in (
        *("del", "moveFrom", "delText", "delInstrText"),  # tracked deletions, moves away
        "instrText",  # field codes: "PAGE", "HYPERLINK ..."; the field's result is text
        "object",  # embedded objects (equations, spreadsheets): their content is elsewhere
        *("rPr", "pPr", "sectPr", "tblPr", "trPr", "tcPr", "sdtPr", "sdtEndPr"),  # no text
    )
)
# Pictures and shapes: not text of the paragraph, but they may hold text boxes
_DOCX_DRAWINGS = frozenset({_W + "drawing", _W + "pict", _MC + "AlternateContent"})
_PAGE_BREAK = object()  # a w:br of type page or column
_LINE_BREAK = object()  # any other w:br, or a w:cr


def _docx_blocks(container: Any, heading_styles: frozenset[str] = frozenset()) -> Iterator[str]:
    """The text of each paragraph and table row under a body, table cell or content
    control, in document order. Unlike python-docx's `Paragraph.text`, this reads the
    document as it shows with tracked changes accepted (w:ins is text, w:del is not),
    the text typed into content controls (w:sdt), which school templates use, and the
    paragraphs of text boxes, after the paragraph they are anchored in. A paragraph
    whose mark is a tracked deletion runs on into the next one, as accepting it does."""
    pending: list[Any] = []  # paragraphs whose mark was deleted, and the one they run into
    for child in _unwrapped(container):
        if child.tag == _W + "p":
            pending.append(child)
            if not _mark_deleted(child):
                yield from _run_on(pending, heading_styles)
                pending = []
        elif child.tag == _W + "tbl":
            if pending:
                yield from _run_on(pending, heading_styles)
                pending = []
            yield from _docx_table_rows(child)
    if pending:
        yield from _run_on(pending, heading_styles)


FORM_CELL_MAX_WORDS = 6
FORM_VALUE_MAX_WORDS = 12  # beside a label
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*\Z")  # "Uniforms reduce bullying."


def _docx_table_rows(table: Any) -> Iterator[str]:
    """A .docx table's rows as blocks (`_table_blocks`)."""
    yield from _table_blocks(
        [
            [list(_docx_blocks(cell)) for cell in _unwrapped(row) if cell.tag == _W + "tc"]
            for row in _unwrapped(table)
            if row.tag == _W + "tr"
        ]
    )


def _is_short(cells: Iterable[str], most: int = FORM_CELL_MAX_WORDS) -> bool:
    """Whether every cell has at most `most` words and none is a sentence ("Mrs. K."
    and "12 Oct." are none), as a form's cells are."""
    return all(len(words_of(cell)) <= most and not ends_a_sentence(cell) for cell in cells)


def _table_blocks(rows: list[list[list[str]]]) -> Iterator[str]:
    """A table's rows (each a list of cells, each a list of the cell's blocks) as
    blocks, each row one block, its cells' text with a space between (a cell's own
    paragraphs a line apart), unless a cell holds several paragraphs (a template with
    the essay in a cell): then each paragraph of the row's cells is a block of its own.
    The rows of a form (`_form_rows`) are `FormBlock`s."""
    rows = [[[block for block in blocks if block.strip()] for blocks in row] for row in rows]
    forms = _form_rows([["\n".join(blocks) for blocks in row] for row in rows])
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


def _form_rows(rows: list[list[str]]) -> list[bool]:
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


def _mark_deleted(paragraph: Any) -> bool:
    """Whether the paragraph's mark (its end) is a tracked deletion (w:pPr/w:rPr/w:del)."""
    mark = paragraph.find(f"{_W}pPr/{_W}rPr")
    return mark is not None and mark.find(_W + "del") is not None


def _run_on(paragraphs: list[Any], heading_styles: frozenset[str]) -> Iterator[str]:
    """Paragraphs joined by deleted marks as one paragraph, then their text boxes'.
    The paragraph is a heading when the last one's (the mark kept) style is."""
    texts, text_boxes = [], []
    for paragraph in paragraphs:
        text, boxes = _docx_paragraph(paragraph)
        texts.append(text)
        text_boxes.extend(boxes)
    joined = "".join(texts)
    yield HeadingBlock(joined) if _docx_is_heading(paragraphs[-1], heading_styles) else joined
    for text_box in text_boxes:
        yield from _docx_blocks(text_box)


def _unwrapped(element: Any) -> Iterator[Any]:
    """An element's children, with content controls and custom XML replaced by what
    they hold (they may wrap paragraphs, tables, rows and cells alike)."""
    for child in element:
        if child.tag == _W + "sdt":
            yield from _unwrapped(_sdt_content(child))
        elif child.tag == _W + "customXml":
            yield from _unwrapped(child)
        else:
            yield child


def _sdt_content(sdt: Any) -> Any:
    """What a content control holds: nothing while it shows its placeholder ("Click or
    tap here to enter text."), which is the template's text, not the student's."""
    properties = sdt.find(_W + "sdtPr")
    if properties is not None and properties.find(_W + "showingPlcHdr") is not None:
        return ()
    content = sdt.find(_W + "sdtContent")
    return () if content is None else content


def _docx_paragraph(paragraph: Any) -> tuple[str, list[Any]]:
    """A paragraph's text, and the text boxes (w:txbxContent) anchored in it. Word
    shows a page or column break as a new page, which python-docx reads as nothing
    ("page one.Start of page two"): it is a line break here, and breaks with no text
    between them that include one are a single line break (two would make a blank
    line, which splits the paragraph in two)."""
    pieces: list[Any] = []
    text_boxes: list[Any] = []
    _collect(paragraph, pieces, text_boxes)
    out: list[str] = []
    breaks: list[Any] = []  # breaks with no text between them yet
    for piece in pieces:
        if piece is _PAGE_BREAK or piece is _LINE_BREAK:
            breaks.append(piece)
            continue
        if breaks and piece:
            out.append(_joined(breaks))
            breaks = []
        out.append(piece)
    return "".join(out) + (_joined(breaks) if breaks else ""), text_boxes


def _joined(breaks: list[Any]) -> str:
    return "\n" if _PAGE_BREAK in breaks else "\n" * len(breaks)


def _collect(element: Any, pieces: list[Any], text_boxes: list[Any]) -> None:
    for child in element:
        tag = child.tag
        if tag in _DOCX_SKIPPED or not isinstance(tag, str):  # comments are not str tags
            continue
        if tag in _DOCX_DRAWINGS:
            text_boxes.extend(_text_boxes(child))
        elif tag == _W + "t":
            pieces.append(child.text or "")
        elif tag in (_W + "tab", _W + "ptab"):
            pieces.append("\t")
        elif tag == _W + "noBreakHyphen":
            pieces.append("-")
        elif tag == _W + "cr":
            pieces.append(_LINE_BREAK)
        elif tag == _W + "br":
            page = child.get(_W + "type") in ("page", "column")
            pieces.append(_PAGE_BREAK if page else _LINE_BREAK)
        elif tag == _W + "sdt":
            _collect(_sdt_content(child), pieces, text_boxes)
        else:  # runs, w:ins, w:moveTo, w:hyperlink, w:smartTag, w:fldSimple, ...
            _collect(child, pieces, text_boxes)


def _text_boxes(drawing: Any) -> Iterator[Any]:
    """The text boxes in a drawing, VML picture or alternate content, each once; a
    text box inside one of them is found when that one's paragraphs are read."""
    if drawing.tag == _MC + "AlternateContent":
        drawing = _shown_alternative(drawing)
    for child in drawing:
        if child.tag == _W + "txbxContent":
            yield child
        elif isinstance(child.tag, str):
            yield from _text_boxes(child)


def _shown_alternative(alternate_content: Any) -> Any:
    """The first mc:Choice, else the mc:Fallback. Word writes a text box twice, as
    DrawingML (wps) in mc:Choice and as VML in mc:Fallback, for older readers."""
    for branch in alternate_content:
        if branch.tag in (_MC + "Choice", _MC + "Fallback"):
            return branch
    return ()


def read_odt(data: bytes, source: str) -> str:
    container = _office_zip(data, source, ".odt")
    if "META-INF/manifest.xml" in container.namelist():
        manifest = _office_part(container, "META-INF/manifest.xml", source, ".odt")
        if manifest.find(f".//{{{_MANIFEST}}}encryption-data") is not None:
            raise InputError("password-protected (encrypted) .odt; remove the password", source)
    content = _office_part(container, "content.xml", source, ".odt")
    text = content.find(f"{_O}body/{_O}text")
    if text is None:
        raise InputError("corrupt .odt: content.xml holds no text document", source)
    try:
        paragraphs = list(_odt_blocks(text))
    except ValueError as exc:  # a damaged number of spaces (text:s c="x")
        raise InputError(f"corrupt .odt: {exc}", source) from None
    return _join_paragraphs(paragraphs)


_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODT_TITLE_STYLES = frozenset({"Title", "Subtitle"})
_ODT_ROW_GROUPS = frozenset(
    _TABLE + group for group in ("table-header-rows", "table-rows", "table-row-group")
)
# Not the prose as it shows: the text tracked changes deleted (kept in a region at the
# top of the body; inserted text is inline), comments, and foot- and endnotes (inside
# the paragraph they are anchored to, so they would run into its sentence)
_ODT_SKIPPED = frozenset({_T + "tracked-changes", _O + "annotation", _T + "note"})


def _odt_blocks(node: Any) -> Iterator[str]:
    """The text of each paragraph and heading, in document order (a list item's
    paragraphs each on their own, a table's rows as `_table_blocks` makes them). Text
    boxes and shapes with text sit inside the paragraph they are anchored to: their
    paragraphs follow it."""
    for child in node:
        tag = child.tag
        if tag in _ODT_SKIPPED or not isinstance(tag, str):  # entities are not str tags
            continue
        if tag in (_T + "p", _T + "h"):
            text = "".join(_odt_text(child))
            # LibreOffice's Title and Subtitle are paragraph styles, not text:h
            title = child.get(_T + "style-name") in _ODT_TITLE_STYLES
            yield HeadingBlock(text) if tag == _T + "h" or title else text
            for drawing in _odt_drawings(child):
                yield from _odt_blocks(drawing)
        elif tag == _TABLE + "table":
            yield from _table_blocks(
                [
                    [list(_odt_blocks(cell)) for cell in row if cell.tag == _TABLE + "table-cell"]
                    for row in _odt_table_rows(child)
                ]
            )
        else:
            yield from _odt_blocks(child)


def _odt_table_rows(node: Any) -> Iterator[Any]:
    """A table's rows in order, also those in header-row and row groups (not those of
    a table inside a cell)."""
    for child in node:
        if child.tag == _TABLE + "table-row":
            yield child
        elif child.tag in _ODT_ROW_GROUPS:
            yield from _odt_table_rows(child)


def _odt_drawings(node: Any) -> Iterator[Any]:
    """The frames, shapes and groups anchored in a paragraph, outermost ones in order."""
    for child in node:
        tag = child.tag
        if tag in _ODT_SKIPPED or not isinstance(tag, str):
            continue
        if tag.startswith(_DRAW):
            yield child
        else:
            yield from _odt_drawings(child)


def _odt_text(node: Any) -> Iterator[str]:
    """The text of an element: its own, its children's, and the text after each child."""
    if node.text:
        yield node.text
    for child in node:
        tag = child.tag
        if tag == _T + "s":
            # capped: a damaged c="1000000000" would build a gigabyte string
            yield " " * min(int(child.get(_T + "c") or 1), 100)
        elif tag == _T + "tab":
            yield "\t"
        elif tag == _T + "line-break":
            yield "\n"
        elif isinstance(tag, str) and tag not in _ODT_SKIPPED and not tag.startswith(_DRAW):
            yield from _odt_text(child)  # a drawing's paragraphs follow (_odt_blocks)
        if child.tail:  # after a skipped part too: it is the paragraph's text
            yield child.tail


def read_pdf(data: bytes, source: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs its repairs of damaged files ("EOF marker not found"); a bad file is
    # reported in one line below, and a repaired one needs no extra lines on stderr.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # owner-password-only PDFs open with an empty one
            except Exception:
                opened = 0
            if not opened:
                raise InputError("password-protected (encrypted) PDF", source)
        pages = [_pdf_page(page) for page in reader.pages]
    except InputError:
        raise
    except PdfReadError as exc:
        raise InputError(f"corrupt PDF: {exc}", source) from None
    except Exception as exc:  # pypdf surfaces many internal errors on damaged files
        raise InputError(f"corrupt PDF: {type(exc).__name__}: {exc}", source) from None
    text = _join_pages(_without_running_lines(pages))
    if not text.strip():
        raise InputError("PDF has no text layer (a scan?); submit a text PDF or .docx", source)
    return text


_COLUMN_GAP_RE = re.compile(r"\S {6,}\S")
_SENTENCE_END_RE = re.compile(r"[.!?:\"”’)]\s*$")


def _pdf_page(page: Any) -> str:
    """One page's text, paragraphs apart. In two columns, layout mode would read across
    both at once, so such a page (most lines holding a wide gap) is read in plain mode,
    column after column, its paragraphs left to the essay's line heuristics."""
    layout = page.extract_text(extraction_mode="layout") or ""
    lines = [row for row in layout.split("\n") if row.strip()]
    if lines and sum(bool(_COLUMN_GAP_RE.search(row.strip())) for row in lines) > len(lines) / 2:
        return page.extract_text() or ""
    return _pdf_paragraphs(layout)


def _without_running_lines(pages: list[str]) -> list[str]:
    """Pages without their running header and footer: a first or last line that recurs
    on two or more pages, page numbers aside ("Jane Doe English 10", "Page 2")."""
    if len(pages) < 2:
        return pages

    def shape(line: str) -> str:
        return re.sub(r"\d+", "#", " ".join(line.split()))

    split = [page.split("\n") for page in pages]
    firsts = Counter(shape(lines[0]) for lines in split if lines and lines[0].strip())
    lasts = Counter(shape(lines[-1]) for lines in split if lines and lines[-1].strip())
    out = []
    for lines in split:
        if lines and firsts[shape(lines[0])] >= 2:
            lines = lines[1:]
        if lines and lasts[shape(lines[-1])] >= 2:
            lines = lines[:-1]
        out.append("\n".join(lines).strip("\n"))
    return out


def _join_pages(pages: list[str]) -> str:
    """Pages in order; a page whose last line ends mid-sentence runs on into the next."""
    text = ""
    for page in pages:
        if not page.strip():
            continue
        if text:
            text += "\n" if not _SENTENCE_END_RE.search(text) else "\n\n"
        text += page
    return text


def _pdf_paragraphs(layout: str) -> str:
    """A page's text with a blank line between paragraphs, from pypdf's layout mode.

    A PDF has lines, not paragraphs; plain extraction loses the space between them,
    so a 5-paragraph essay exported from Word read as one. Layout mode keeps vertical
    space as blank lines and indents as leading spaces: a paragraph starts where the
    gap above a line is wider than the page's usual gap between lines (a double-spaced
    essay has one blank line between all its lines) or where a line is indented past
    the body's left margin. Runs of spaces inside a line (layout padding) become one.
    """
    rows = layout.split("\n")
    lines: list[tuple[int, int, str]] = []  # blank lines above, indent, text
    blanks = 0
    for row in rows:
        text = row.strip()
        if not text:
            blanks += 1
            continue
        indent = len(row) - len(row.lstrip())
        lines.append((blanks, indent, re.sub(r"[ \t]{2,}", " ", text)))
        blanks = 0
    if not lines:
        return ""
    gaps = Counter(gap for gap, _, _ in lines[1:])
    usual_gap = gaps.most_common(1)[0][0] if gaps else 0
    # the body's margin: the most common indent (a header or footer may stand further
    # out, and would make every body line look indented)
    margin = Counter(indent for _, indent, _ in lines).most_common(1)[0][0]
    out = [lines[0][2]]
    for gap, indent, text in lines[1:]:
        new_paragraph = gap > usual_gap or indent > margin + 1
        out.append(("\n\n" if new_paragraph else "\n") + text)
    return "".join(out)


def read_rtf(data: bytes, source: str) -> str:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputError("corrupt .rtf: it does not start with {\\rtf", source)
    rtf = data.decode("latin-1")
    if _rtf_groups_left_open(rtf):
        raise InputError(
            "corrupt .rtf: it ends before its groups are closed (cut off in a download?); "
            "save or download it again",
            source,
        )
    try:
        text = rtf_to_text(_rtf_revisions_accepted(rtf), errors="ignore")
    except Exception as exc:
        raise InputError(f"corrupt .rtf: {type(exc).__name__}: {exc}", source) from None
    # RTF writes a character beyond U+FFFF (an emoji) as two \u words, which striprtf
    # returns as two surrogates: joined here, and a lone one made U+FFFD
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


_RTF_TOKEN = re.compile(
    r"\\(?P<word>[a-zA-Z]{1,32})(?P<argument>-?\d{1,10})? ?"  # control word
    r"|\\'[0-9a-fA-F]{2}"  # a character by its code
    r"|\\[^a-zA-Z]"  # control symbol: \~ \- \{ \* ...
    r"|[{}]"
    r"|[^\\{}]+"
    r"|\\"  # a backslash ending the file: with the above, any text is tokens
)
# Control words that stand for text; \cell, \row and \sect keep a table's or a
# section's shape, and the rest are formatting, destinations or properties
_RTF_TEXT_WORDS = frozenset(
    (
        *("par", "line", "tab", "page", "column", "u"),
        *("emdash", "endash", "emspace", "enspace", "qmspace", "bullet"),
        *("lquote", "rquote", "ldblquote", "rdblquote"),
    )
)


def _rtf_groups_left_open(rtf: str) -> bool:
    """Whether the document ends inside a group: a file cut short, of which striprtf
    would read what is there as if it were the whole essay."""
    if "\\bin" not in rtf:  # no binary data: count the braces that are not escaped
        braces = _RTF_ESCAPE.sub("", rtf)
        return braces.count("{") > braces.count("}")
    depth = 0
    for token, _binary in _rtf_tokens(rtf):
        if token.group() == "{":
            depth += 1
        elif token.group() == "}":
            depth -= 1
    return depth > 0


def _rtf_tokens(rtf: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each token of the RTF, with the binary data that follows a \\bin (a picture's,
    whose braces are not groups), "" after any other."""
    position = 0
    while position < len(rtf):
        token = _RTF_TOKEN.match(rtf, position)
        assert token is not None  # _RTF_TOKEN matches any text
        position = token.end()
        binary = ""
        if token.group("word") == "bin":
            length = max(int(token.group("argument") or 0), 0)
            binary = rtf[position : position + length]
            position += length
        yield token, binary


_RTF_ESCAPE = re.compile(r"\\[\\{}]")  # \\, \{ and \}: characters, not groups


def _rtf_revisions_accepted(rtf: str) -> str:
    """The RTF with tracked deletions' text removed, so it reads as shown with the
    changes accepted: striprtf reads text marked \\deleted as any other. Inserted text
    (\\revised) is already read. \\deleted is a character property: it lasts to the
    end of its group, or to \\deleted0 or \\plain."""
    if "\\deleted" not in rtf:
        return rtf
    kept: list[str] = []
    deleted = False
    outer_groups: list[bool] = []  # whether each enclosing group was deleted
    for token, binary in _rtf_tokens(rtf):
        text, word = token.group(), token.group("word")
        if text == "{":
            outer_groups.append(deleted)
        elif text == "}":
            deleted = outer_groups.pop() if outer_groups else False
        elif word == "deleted":
            deleted = token.group("argument") != "0"
        elif word == "plain":
            deleted = False
        elif word == "bin":
            text += binary
        elif deleted and _rtf_is_text(text, word):
            continue
        kept.append(text)
    return "".join(kept)


def _rtf_is_text(token: str, word: str | None) -> bool:
    if word is not None:
        return word in _RTF_TEXT_WORDS
    return token not in ("{", "}", "\\*")  # \* marks a destination, not text


@dataclass
class _HtmlTable:
    """A table being read: each row's first block (an index into the blocks read) and
    its cells' text so far, and whether another table opened inside it."""

    rows: list[tuple[int, list[list[str]]]] = field(default_factory=list)
    nested: bool = False

    def add_cell(self, first_block: int) -> None:
        if not self.rows:  # a cell outside any <tr>
            self.rows.append((first_block, []))
        self.rows[-1][1].append([])

    def add_to_cell(self, text: str) -> None:
        """Text read inside its open cell, if one is open."""
        if self.rows and self.rows[-1][1]:
            self.rows[-1][1][-1].append(text)

    def form_blocks(self, blocks: int) -> Iterator[int]:
        """The indexes of the blocks of its form rows (`_form_rows`), given the number
        of blocks read when it ends."""
        if self.nested or not self.rows:  # a page laid out in tables; text in no row
            return
        ends = [start for start, _ in self.rows[1:]] + [blocks]
        forms = _form_rows([["".join(cell) for cell in cells] for _, cells in self.rows])
        for (start, _), end, form in zip(self.rows, ends, forms, strict=True):
            if form:
                yield from range(start, end)


class _HtmlText(HTMLParser):
    """Visible text of an HTML page, one block per block element; the text of an h1-h6
    is a `HeadingBlock`."""

    _HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
    _BLOCKS = _HEADINGS | {
        *("p", "div", "br", "li", "tr", "section", "article", "blockquote", "ul", "ol"),
        *("table", "caption", "pre", "hr", "header", "footer", "main", "figure"),
        *("figcaption", "dl", "dt", "dd", "nav", "aside", "address", "details", "summary"),
        *("form", "fieldset", "center", "body"),
    }
    _CELLS = frozenset({"td", "th"})  # a row's cells are one block, a space between them
    _HIDDEN = frozenset({"script", "style", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._words: list[str] = []
        self._hidden = 0
        self._in_head = False
        self._in_heading = False
        self._after_break = False
        # where the last heading's blocks start, while only <div>s have opened inside it
        self._heading_start: int | None = None
        self._tables: list[_HtmlTable] = []  # the tables open, innermost last

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "head":
            self._in_head = True
        elif tag in self._BLOCKS or tag in self._CELLS:
            self._in_head = False  # HTML5 lets </head> and <body> out: the body has begun
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._CELLS:
            self._words.append(" ")
            if self._tables:
                self._tables[-1].add_cell(len(self.blocks))
        elif tag in self._BLOCKS:
            self._end_block()
            if self._tables:
                self._tables[-1].add_to_cell(" ")  # <p>a</p><p>b</p>: "a b"
            if tag == "table":
                for table in self._tables:
                    table.nested = True
                self._tables.append(_HtmlTable())
            elif tag == "tr" and self._tables:
                self._tables[-1].rows.append((len(self.blocks), []))
            # a heading holds inline text only: a paragraph, a section or another heading
            # starting inside one (an <h2> never closed) ends it, so the essay is not
            # taken for one
            if tag == "br":
                self._after_break = self._in_heading
            else:
                if tag in self._HEADINGS:
                    self._heading_start = len(self.blocks)
                elif tag != "div":
                    self._heading_start = None
                self._in_heading = tag in self._HEADINGS
                self._after_break = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS:
            self._end_block()
            if tag in self._HEADINGS:
                self._in_heading = False
                if self._heading_start is not None:
                    # "<h2><div>Title</div></h2>": a heading the way an editor wrapped it
                    for index in range(self._heading_start, len(self.blocks)):
                        if not _SENTENCE_END.search(self.blocks[index]):  # a sentence: prose
                            self.blocks[index] = HeadingBlock(self.blocks[index])
                    self._heading_start = None
            elif tag == "table" and self._tables:
                for index in self._tables.pop().form_blocks(len(self.blocks)):
                    self.blocks[index] = FormBlock(self.blocks[index])

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._in_head and data.strip():  # text outside <title>: the body has begun
            self._in_head = False
        if not self._in_head:
            self._words.append(data)
            if self._tables:
                self._tables[-1].add_to_cell(data)

    def close(self) -> None:
        super().close()
        self._end_block()

    def _end_block(self) -> None:
        text = " ".join("".join(self._words).split())
        self._words = []
        if text and self._in_heading and self._after_break and _SENTENCE_END.search(text):
            # a sentence after a <br> in a heading never closed: the essay has begun
            self._in_heading = False
            self._heading_start = None
        if text:
            self.blocks.append(HeadingBlock(text) if self._in_heading else text)


def read_html(data: bytes, source: str) -> DocumentText:
    """Moodle's online-text submissions are HTML pages."""
    parser = _HtmlText()
    # html.parser stops with an AssertionError at "<![" that opens no marked section
    # ("the ratio was <![ 3"): such a "<" is text
    page = _NOT_A_SECTION.sub("&lt;![", decode_bytes(data, source))
    try:
        parser.feed(page)
        parser.close()
    except AssertionError as error:  # another of its internal checks: not a page it reads
        raise InputError(f"cannot read this web page: {error}", source) from None
    return _join_paragraphs(parser.blocks)


_NOT_A_SECTION = re.compile(r"<!\[(?![A-Za-z])")


_DOCUMENT_READERS: dict[str, Callable[[bytes, str], str]] = {
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".odt": read_odt,
    ".pdf": read_pdf,
    ".rtf": read_rtf,
}
