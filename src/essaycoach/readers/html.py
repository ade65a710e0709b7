"""HTML pages (Moodle's online text, a page saved from a browser), with the standard
library's parser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from essaycoach.decoding import decode_bytes
from essaycoach.errors import InputError
from essaycoach.readers.blocks import (
    SENTENCE_END,
    DocumentText,
    FormBlock,
    HeadingBlock,
    form_rows,
    join_paragraphs,
)


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
        """The indexes of the blocks of its form rows (`form_rows`), given the number
        of blocks read when it ends."""
        if self.nested or not self.rows:  # a page laid out in tables; text in no row
            return
        ends = [start for start, _ in self.rows[1:]] + [blocks]
        forms = form_rows([["".join(cell) for cell in cells] for _, cells in self.rows])
        for (start, _), end, form in zip(self.rows, ends, forms, strict=True):
            if form:
                yield from range(start, end)


class _HtmlText(HTMLParser):
    """Visible text of an HTML page, one block per block element; the text of an h1-h6
    is a `HeadingBlock`. Footnotes, endnotes and comments of a Google Docs or Word
    export are left out, with their markers in the text (`_note_link`)."""

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
        self._divs: list[bool] = []  # the <div>s open, innermost last: whether notes
        self._note_block = False  # a note outside any <div>: left out to its block's end
        # a note link's text while it is read: ("ref" or "note", its text so far)
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._link is not None and (tag in self._BLOCKS or tag in self._CELLS):
            self._end_link(marker=False)  # a block in a link: no marker (Word's <span>s are)
        if tag == "a" and self._link is None and not self._in_notes():
            kind = _note_link(attrs)
            if kind:
                self._link = (kind, [])
                return
        if tag == "head":
            self._in_head = True
        elif tag in self._BLOCKS or tag in self._CELLS:
            self._in_head = False  # HTML5 lets </head> and <body> out: the body has begun
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag == "br" and not self._in_heading and not self._tables:
            # a line break inside the paragraph, as Word's; two in a row are a blank line
            self._words.append(_LINE_BREAK)
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
        if tag == "div":  # after the block before it ends
            style = dict(attrs).get("style") or ""
            self._divs.append(self._in_notes() or bool(_WORD_NOTES.search(style)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # "<br />", "<p/>": HTML has no self-closing tags, a browser reads the start tag
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # "</br>": a browser reads a <br>
            self.handle_starttag(tag, [])
            return
        if tag == "a" and self._link is not None:
            self._end_link(
                marker=_NOTE_MARKER.fullmatch("".join(self._link[1]).strip()) is not None
            )
            return
        if self._link is not None and (tag in self._BLOCKS or tag in self._CELLS):
            self._end_link(marker=False)
        if tag == "div" and self._divs:
            self._divs.pop()
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
                        if not SENTENCE_END.search(self.blocks[index]):  # a sentence: prose
                            self.blocks[index] = HeadingBlock(self.blocks[index])
                    self._heading_start = None
            elif tag == "table" and self._tables:
                for index in self._tables.pop().form_blocks(len(self.blocks)):
                    self.blocks[index] = FormBlock(self.blocks[index])

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link[1].append(data)
            return
        if self._hidden or self._in_notes():
            return
        if self._in_head and data.strip():  # text outside <title>: the body has begun
            self._in_head = False
        if not self._in_head:
            self._words.append(data)
            if self._tables:
                self._tables[-1].add_to_cell(data)

    def close(self) -> None:
        super().close()
        if self._link is not None:
            self._end_link(marker=False)
        self._end_block()

    def _in_notes(self) -> bool:
        return self._note_block or bool(self._divs and self._divs[-1])

    def _end_link(self, marker: bool) -> None:
        """The end of a link to or from a note: a reference's marker ("[1]") is left
        out; a note's link back marks its <div> as notes (Google Docs puts each note,
        or all of them, in one), else its block; any other link's text is text."""
        kind, texts = self._link or ("", [])
        self._link = None
        if not marker:
            for text in texts:
                self.handle_data(text)
        elif kind == "note":
            self._words = []  # the note's block so far
            if self._divs:
                self._divs[-1] = True
            else:
                self._note_block = True

    def _end_block(self) -> None:
        raw = "".join(self._words)
        self._words = []
        self._note_block = False
        for paragraph in _TWO_BREAKS_RE.split(raw):
            lines = (" ".join(line.split()) for line in paragraph.split(_LINE_BREAK))
            text = "\n".join(line for line in lines if line)
            if text and self._in_heading and self._after_break and SENTENCE_END.search(text):
                # a sentence after a <br> in a heading never closed: the essay has begun
                self._in_heading = False
                self._heading_start = None
            if text:
                self.blocks.append(HeadingBlock(text) if self._in_heading else text)


def _note_link(attrs: list[tuple[str, str | None]]) -> str:
    """Which note link an <a> is: "ref" for a link to a footnote, endnote or comment
    in the text, as Google Docs (`<a href="#ftnt1" id="ftnt_ref1">[1]</a>`) and Word
    (`<a href="#_ftn1" name="_ftnref1">`) write them; "note" for a note's link back
    to it; else ""."""
    href = dict(attrs).get("href") or ""
    if _NOTE_REF_HREF.fullmatch(href):
        return "ref"
    return "note" if _NOTE_BACK_HREF.fullmatch(href) else ""


_NOTE_REF_HREF = re.compile(r"#(?:ftnt|cmnt|_ftn|_edn|_msocom_)\d+")
_NOTE_BACK_HREF = re.compile(r"#(?:ftnt_ref|cmnt_ref|_ftnref|_ednref)\d+")
# what such a link shows: "[1]", "2", "[a]", "[iv]" (Word's endnotes), "[JD1]" (a
# Word comment, its author's initials), "*"; a link with other text is an ordinary one
_NOTE_MARKER = re.compile(r"\[(?:\d{1,4}|[A-Za-z]{1,5}\d{0,4})\]|\d{1,4}|[*†‡]{1,3}")
# Word's containers of footnotes, endnotes and comments (filtered HTML included)
_WORD_NOTES = re.compile(r"mso-element:\s*(?:footnote|endnote|comment)", re.IGNORECASE)

# a <br> in a paragraph: a NUL, which read_html replaces in the page
_LINE_BREAK = "\x00"
_TWO_BREAKS_RE = re.compile(f"{_LINE_BREAK}\\s*{_LINE_BREAK}")


def read_html(data: bytes, source: str) -> DocumentText:
    """Moodle's online-text submissions are HTML pages."""
    parser = _HtmlText()
    # html.parser stops with an AssertionError at "<![" that opens no marked section
    # ("the ratio was <![ 3"): such a "<" is text
    # a NUL (a UTF-16 page may hold one) would be taken for a <br>; it is no character
    page = decode_bytes(data, source).replace(_LINE_BREAK, "\ufffd")
    page = _NOT_A_SECTION.sub("&lt;![", page)
    try:
        parser.feed(page)
        parser.close()
    except AssertionError as error:  # another of its internal checks: not a page it reads
        raise InputError(f"cannot read this web page: {error}", source) from None
    text = join_paragraphs(parser.blocks)
    words = text.split()
    if words and all(word.startswith(("http://", "https://")) for word in words):
        # Canvas's website-URL submission ("..._link.html"): a link to the essay, which
        # essaycoach does not follow (no network)
        url = words[0]
        raise InputError(
            f"this page is only a link ({url[:100]}), not an essay: download the "
            "document it points to and check that file",
            source,
        )
    return text


_NOT_A_SECTION = re.compile(r"<!\[(?![A-Za-z])")
