"""Word .docx: the main part's body, with headings by style, tables, text boxes and
tracked changes as Word shows them accepted."""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from essaycoach.errors import InputError
from essaycoach.readers.blocks import HeadingBlock, IndentedBlock, join_paragraphs, table_blocks
from essaycoach.readers.office import office_part, office_zip


def read_docx(data: bytes, source: str) -> str:
    container = office_zip(data, source, ".docx")
    part = _docx_main_part(container, source)
    body = office_part(container, part, source, ".docx").find(_W + "body")
    if body is None:
        raise InputError(f"corrupt .docx: {part} has no body", source)
    headings = _docx_heading_styles(container, part, source)
    return join_paragraphs(list(_docx_blocks(body, headings)))


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
    for style in office_part(container, name, source, ".docx").iter(_W + "style"):
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


_BLOCK_QUOTE_INDENT_TWIPS = 567  # 1 cm; MLA block quotations are indented 1.27 cm (0.5 in)


def _docx_indented(paragraph: Any) -> bool:
    """Whether the paragraph's own left indent (w:ind w:left or w:start) is a block
    quotation's, at least 1 cm; a first-line indent is not."""
    indent = paragraph.find(f"{_W}pPr/{_W}ind")
    if indent is None:
        return False
    value = indent.get(_W + "left") or indent.get(_W + "start") or "0"
    try:
        return int(value) >= _BLOCK_QUOTE_INDENT_TWIPS
    except ValueError:  # a measure with a unit ("1in") that this reader does not convert
        return False


_PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "/officeDocument"  # the end of the main part's relationship type


def _docx_main_part(container: zipfile.ZipFile, source: str) -> str:
    """The name of the document's text part: the package's officeDocument
    relationship says it. Word writes word/document.xml, but other writers use other
    names (word/document2.xml), and a package without relationships is read from
    Word's name."""
    if "_rels/.rels" not in container.namelist():
        return "word/document.xml"
    relationships = office_part(container, "_rels/.rels", source, ".docx")
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


def _docx_table_rows(table: Any) -> Iterator[str]:
    """A .docx table's rows as blocks (`table_blocks`)."""
    yield from table_blocks(
        [
            [list(_docx_blocks(cell)) for cell in _unwrapped(row) if cell.tag == _W + "tc"]
            for row in _unwrapped(table)
            if row.tag == _W + "tr"
        ]
    )


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
    if _docx_is_heading(paragraphs[-1], heading_styles):
        yield HeadingBlock(joined)
    elif _docx_indented(paragraphs[-1]):
        yield IndentedBlock(joined)  # a block quotation, set off by its left indent
    else:
        yield joined
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
        elif tag == _W + "r" and _hidden(child):
            continue  # Word neither shows nor prints it: a template's instructions
        else:  # runs, w:ins, w:moveTo, w:hyperlink, w:smartTag, w:fldSimple, ...
            _collect(child, pieces, text_boxes)


def _hidden(run: Any) -> bool:
    """Whether a run is hidden text (w:vanish set directly on it; not through a style)."""
    properties = run.find(_W + "rPr")
    vanish = properties.find(_W + "vanish") if properties is not None else None
    return vanish is not None and vanish.get(_W + "val") not in ("0", "false", "off")


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
