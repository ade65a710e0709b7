"""RTF (striprtf), with tracked revisions accepted, fields read as their results, and
paragraphs (some styled as headings) as the blocks of a `DocumentText`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from essaycoach.errors import InputError
from essaycoach.readers.blocks import DocumentText, HeadingBlock, IndentedBlock, join_paragraphs


def read_rtf(data: bytes, source: str) -> DocumentText:
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
        rtf = _rtf_paragraphs_marked(_rtf_field_codes_removed(_rtf_revisions_accepted(rtf)))
        text = rtf_to_text(rtf, errors="ignore")
    except Exception as exc:
        raise InputError(f"corrupt .rtf: {type(exc).__name__}: {exc}", source) from None
    # RTF writes a character beyond U+FFFF (an emoji) as two \u words, which striprtf
    # returns as two surrogates: joined here, and a lone one made U+FFFD
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    parts = _RTF_PARAGRAPH_ENDS.split(text)  # text, end, text, end, ..., text after the last
    kinds = {_RTF_HEADING_END: HeadingBlock, _RTF_INDENTED_END: IndentedBlock}
    blocks = [
        kinds[end](part) if end in kinds else part
        for part, end in zip(parts[::2], [*parts[1::2], ""], strict=True)
    ]
    return join_paragraphs(blocks)


# striprtf writes \par as "\n", as it writes a line break (\line), so a paragraph's end
# is marked for it as one of these noncharacters (a document's own are read as U+FFFD):
# paragraphs would otherwise read as lines, which the essay model joins when many end
# mid-sentence, as one-line headings do
_RTF_PARAGRAPH_END = "\ufdd0"
_RTF_HEADING_END = "\ufdd1"  # the end of a paragraph styled as a heading
_RTF_INDENTED_END = "\ufdd2"  # ... of one set off by a block quotation's left indent
_RTF_PARAGRAPH_ENDS = re.compile(f"([{_RTF_PARAGRAPH_END}{_RTF_HEADING_END}{_RTF_INDENTED_END}])")
_RTF_MARKS = {
    mark: f"{{\\uc1\\u{ord(mark)}?}}"  # its own group: the \uc in force may be 0
    for mark in (_RTF_PARAGRAPH_END, _RTF_HEADING_END, _RTF_INDENTED_END)
}
_BLOCK_QUOTE_INDENT_TWIPS = 567  # 1 cm, as for a .docx; MLA block quotations are 1.27 cm
_HEADING_STYLE_NAME = re.compile(r"heading [1-9]|title|subtitle", re.I)


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


def _rtf_field_codes_removed(rtf: str) -> str:
    """The RTF without its fields' instructions (\\fldinst: "PAGE", "HYPERLINK
    \"https://...\""), so that a field reads as its result (\\fldrslt), as Word shows
    it: striprtf writes a hyperlink as its result followed by the address in brackets,
    `Miss Lucy("https://example.org")`."""
    if "\\fldinst" not in rtf:
        return rtf
    kept: list[str] = []
    groups: list[int] = []  # where in `kept` each enclosing group's "{" is
    dropping = 0  # the depth of the \fldinst group being dropped, 0 outside one
    for token, binary in _rtf_tokens(rtf):
        text, word = token.group(), token.group("word")
        if text == "{":
            groups.append(len(kept))
        elif text == "}":
            closed = len(groups)
            if groups:
                groups.pop()
            if dropping and closed == dropping:
                dropping = 0
                continue
        elif word == "fldinst" and groups and not dropping:
            dropping = len(groups)
            del kept[groups[-1] :]
        if not dropping:
            kept.append(text + binary)
    return "".join(kept)


def _rtf_paragraphs_marked(rtf: str) -> str:
    """The RTF with each paragraph's end (\\par, \\sect, \\page, a table's \\row)
    written as a `_RTF_MARKS` mark, for striprtf to read as text. A paragraph is a
    heading, as in a .docx, when it has an outline level other than body text's (9) or a
    paragraph style (\\sN) that the stylesheet names "heading 1" to "heading 9",
    "Title" or "Subtitle" or gives an outline level; it is a block quotation when its
    left indent (\\li, \\lin) is 1 cm or more. Paragraph properties last to the next
    \\pard, or to the end of the group they are set in."""
    kept: list[str] = []
    heading_styles: set[int] = set()
    style, outline, indent = 0, 9, 0
    outer: list[tuple[int, int, int]] = []  # (style, outline, indent) of enclosing groups
    stylesheet = 0  # the depth of the stylesheet group, 0 outside it
    entry = _RtfStyle()  # the style of the stylesheet being read
    for token, binary in _rtf_tokens(rtf):
        text, word = token.group(), token.group("word")
        number = int(token.group("argument") or 0)
        if text == "{":
            outer.append((style, outline, indent))
            if stylesheet and len(outer) == stylesheet + 1:
                entry = _RtfStyle()
        elif text == "}":
            if stylesheet and len(outer) == stylesheet + 1 and entry.is_heading():
                heading_styles.add(entry.number)
            stylesheet = 0 if len(outer) == stylesheet else stylesheet
            style, outline, indent = outer.pop() if outer else (0, 9, 0)
        elif word == "stylesheet":
            stylesheet = len(outer)
        elif stylesheet:
            entry.read(token, at_top=len(outer) == stylesheet + 1)
        elif word == "pard":
            style, outline, indent = 0, 9, 0
        elif word in ("li", "lin"):
            indent = number
        elif word == "s":
            style = number
        elif word == "outlinelevel":
            outline = number
        elif word == "u" and number % 0x10000 in (0xFDD0, 0xFDD1, 0xFDD2):
            text = "\\u65533 "  # U+FFFD: no mark
        elif word in ("par", "sect", "page") or text in ("\\\n", "\\\r"):
            if outline != 9 or style in heading_styles:
                text = _RTF_MARKS[_RTF_HEADING_END]
            elif indent >= _BLOCK_QUOTE_INDENT_TWIPS:
                text = _RTF_MARKS[_RTF_INDENTED_END]
            else:
                text = _RTF_MARKS[_RTF_PARAGRAPH_END]
        elif word == "row":
            text += _RTF_MARKS[_RTF_PARAGRAPH_END]
        kept.append(text + binary)
    return "".join(kept)


class _RtfStyle:
    """A style of the stylesheet, `{\\s1\\outlinelevel0 ... heading 1;}`, as it is
    read: its number, whether it is a paragraph style (not a character's, \\cs, or a
    table's, \\ts), its outline level and its name."""

    def __init__(self) -> None:
        self.number, self.paragraph, self.outline = 0, True, 9
        self.name: list[str] = []

    def read(self, token: re.Match[str], at_top: bool) -> None:
        word, number = token.group("word"), int(token.group("argument") or 0)
        if word == "s":
            self.number = number
        elif word in ("cs", "ds", "ts"):
            self.paragraph = False
        elif word == "outlinelevel":
            self.outline = number
        elif at_top and not token.group().startswith("\\"):
            self.name.append(token.group())

    def is_heading(self) -> bool:
        # the name ends with ";", after any other names: "heading 1,h1;"
        name = "".join(self.name).split(";")[0].split(",")[0].strip()
        return self.paragraph and (self.outline != 9 or bool(_HEADING_STYLE_NAME.fullmatch(name)))
