"""OpenDocument .odt text: content.xml's body, headings, tables and frames."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from essaycoach.errors import InputError
from essaycoach.readers.blocks import HeadingBlock, IndentedBlock, join_paragraphs, table_blocks
from essaycoach.readers.office import office_part, office_zip


def read_odt(data: bytes, source: str) -> str:
    container = office_zip(data, source, ".odt")
    if "META-INF/manifest.xml" in container.namelist():
        manifest = office_part(container, "META-INF/manifest.xml", source, ".odt")
        if manifest.find(f".//{{{_MANIFEST}}}encryption-data") is not None:
            raise InputError("password-protected (encrypted) .odt; remove the password", source)
    content = office_part(container, "content.xml", source, ".odt")
    text = content.find(f"{_O}body/{_O}text")
    if text is None:
        raise InputError("corrupt .odt: content.xml holds no text document", source)
    # the body's paragraphs use content.xml's automatic styles and styles.xml's common
    # ones ("Quotations"); styles.xml's automatic styles are its headers' and footers',
    # whose names may repeat the body's (QA)
    style_groups = [content.find(f"{_O}automatic-styles")]
    if "styles.xml" in container.namelist():
        styles = office_part(container, "styles.xml", source, ".odt")
        style_groups.append(styles.find(f"{_O}styles"))
    try:
        paragraphs = list(_odt_blocks(text, _indented_styles(style_groups)))
    except ValueError as exc:  # a damaged number of spaces (text:s c="x")
        raise InputError(f"corrupt .odt: {exc}", source) from None
    return join_paragraphs(paragraphs)


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
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
_BLOCK_QUOTE_INDENT_CM = 1.0  # MLA block quotations are indented 1.27 cm (0.5 in)
_CM_PER_UNIT = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72, "pc": 2.54 / 6}
_LENGTH_RE = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(cm|mm|in|pt|pc)\s*")


def _indented_styles(groups: list[Any]) -> frozenset[str]:
    """The paragraph styles of `groups` (office:automatic-styles, office:styles; None
    where a file has no such group) with a block quotation's left indent (1 cm or more),
    their own or inherited from a parent style (LibreOffice's "Quotations", or an
    automatic style a paragraph indented by hand gets). A name in the first group wins."""
    own: dict[str, float | None] = {}
    parents: dict[str, str] = {}
    for group in (g for g in groups if g is not None):
        for style in group.iterfind(_STYLE + "style"):
            name = style.get(_STYLE + "name")
            if not name or name in own or style.get(_STYLE + "family") != "paragraph":
                continue
            margin = None
            properties = style.find(_STYLE + "paragraph-properties")
            if properties is not None:
                margin = _centimetres(properties.get(_FO + "margin-left"))
            own[name] = margin
            if parent := style.get(_STYLE + "parent-style-name"):
                parents[name] = parent

    def indent(name: str) -> float:
        for _ in range(20):  # a parent chain, cut short if it loops
            if own.get(name) is not None:
                return own[name] or 0.0
            if name not in parents:
                break
            name = parents[name]
        return 0.0

    return frozenset(name for name in own if indent(name) >= _BLOCK_QUOTE_INDENT_CM)


def _centimetres(length: str | None) -> float | None:
    """An ODF length ("1.27cm", "0.5in") in centimetres; None if it is none."""
    if length is None or len(length) > 40:  # a damaged file's, not a margin
        return None
    match = _LENGTH_RE.fullmatch(length)
    return float(match[1]) * _CM_PER_UNIT[match[2]] if match else None


def _odt_blocks(node: Any, indented: frozenset[str] = frozenset()) -> Iterator[str]:
    """The text of each paragraph and heading, in document order (a list item's
    paragraphs each on their own, a table's rows as `table_blocks` makes them). Text
    boxes and shapes with text sit inside the paragraph they are anchored to: their
    paragraphs follow it. A paragraph in one of the `indented` styles is a block
    quotation (`IndentedBlock`)."""
    for child in node:
        tag = child.tag
        if tag in _ODT_SKIPPED or not isinstance(tag, str):  # entities are not str tags
            continue
        if tag in (_T + "p", _T + "h"):
            text = "".join(_odt_text(child))
            # LibreOffice's Title and Subtitle are paragraph styles, not text:h
            style = child.get(_T + "style-name")
            if tag == _T + "h" or style in _ODT_TITLE_STYLES:
                yield HeadingBlock(text)
            else:
                yield IndentedBlock(text) if style in indented else text
            for drawing in _odt_drawings(child):
                yield from _odt_blocks(drawing)
        elif tag == _TABLE + "table":
            yield from table_blocks(
                [
                    [list(_odt_blocks(cell)) for cell in row if cell.tag == _TABLE + "table-cell"]
                    for row in _odt_table_rows(child)
                ]
            )
        else:
            yield from _odt_blocks(child, indented)


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
