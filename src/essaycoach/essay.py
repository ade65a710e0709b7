"""Loading essays and splitting them into paragraphs and sentences with character offsets.

Every offset in essaycoach is a character offset into `Essay.text`: the file as
decoded, with line endings normalised to "\\n" and a byte-order mark removed. For
Markdown, `Essay.prose` is the same text with markup masked by spaces, so the two
strings have equal length and an offset means the same place in both.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from essaycoach.errors import InputError

MAX_BYTES = 2_000_000
"""Essays larger than this are refused: a long essay is ~30 kB, 2 MB is a book."""

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}

# Latin letters and digits, with their accents precomposed or as combining marks after them
_WORD_CHARS = r"A-Za-z0-9\u00C0-\u024F"
_WORD_PART = rf"[{_WORD_CHARS}][{_WORD_CHARS}\u0300-\u036F]*"
_WORD_RE = re.compile(rf"{_WORD_PART}(?:[’'\-]{_WORD_PART})*")
_NON_WORD_LETTER_RE = re.compile(rf"[^\W\d_{_WORD_CHARS}]")  # Chinese, Cyrillic, Greek...


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int  # 1-based, counting prose paragraphs only (headings excluded)
    start: int
    end: int
    text: str  # the prose view of the paragraph, stripped
    heading: str | None = None  # nearest Markdown heading above it, if any


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # Paragraph.index


@dataclass(frozen=True, slots=True)
class Heading:
    start: int
    end: int
    text: str
    level: int


@dataclass(frozen=True)
class Essay:
    """An essay as loaded: its text, where it came from, and its structure."""

    text: str
    source: str = "<text>"
    prose: str = ""
    headings: tuple[Heading, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.prose:
            object.__setattr__(self, "prose", self.text)
        if len(self.prose) != len(self.text):
            raise ValueError("prose view must have the same length as the text")

    @classmethod
    def from_text(
        cls,
        text: str,
        source: str = "<text>",
        markdown: bool = False,
        heading_spans: tuple[tuple[int, int], ...] = (),
        form_spans: tuple[tuple[int, int], ...] = (),
    ) -> Essay:
        """`heading_spans`: (start, end) in `text` of the lines a document's writer styled
        as headings (readers.read_docx); they are masked as Markdown headings are.
        `form_spans`: the rows of a document's form tables (name, class, date boxes),
        masked whole."""
        shift = 1 if text.startswith("\ufeff") else 0
        text = normalise_text(text[shift:])
        if markdown:
            prose, headings = mask_markdown(text)
            # the raw lines: list items must read as such, which the prose no longer shows
            prose = _blanked(prose, 0, find_header(text, _front_matter_end(text)))
        elif heading_spans or form_spans:
            spans = [(max(0, start - shift), end - shift) for start, end in heading_spans]
            headings = tuple(Heading(s, e, text[s:e], 1) for s, e in spans if s < e)
            forms = [(max(0, start - shift), end - shift) for start, end in form_spans]
            # a form is the top's (under the title, if it is styled as one) or the
            # bottom's (name, class and date boxes), not a table inside the essay; the
            # title and heading block are looked for under it
            top = _end_of_top_forms(text, forms, spans)
            bottom = _start_of_trailing(text, forms)
            forms = [(s, e) for s, e in forms if e <= top or s >= bottom]
            header_end = find_header(text, top)
            title = find_title(text, header_end or top)
            if title is not None and (not headings or headings[0].start > title.start):
                headings = (title, *headings)  # a title in Normal style above styled headings
            masked = [(0, header_end), *((h.start, h.end) for h in headings), *forms]
            prose = _blanked_spans(text, masked)
        else:
            header_end = find_header(text)
            title = find_title(text, header_end)
            masked = title.end if title else header_end
            prose, headings = " " * masked + text[masked:], (title,) if title else ()
        prose, headings = mask_works_cited(prose, headings)
        return cls(text=text, source=source, prose=prose, headings=headings)

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(split_paragraphs(self.prose, self.headings))

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        out: list[Sentence] = []
        for para in self.paragraphs:
            for start, end in split_sentences(self.prose, para.start, para.end):
                out.append(Sentence(start, end, self.prose[start:end], para.index))
        return tuple(out)

    @cached_property
    def words(self) -> tuple[tuple[int, int], ...]:
        """(start, end) of every word in the prose view."""
        return tuple((m.start(), m.end()) for m in _WORD_RE.finditer(self.prose))

    @property
    def word_count(self) -> int:
        return len(self.words)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset (0 <= offset <= len(text))."""
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} is outside the text (length {len(self.text)})")
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def paragraph_at(self, offset: int) -> Paragraph | None:
        for para in self.paragraphs:
            if para.start <= offset < para.end:
                return para
        return None

    def quote(self, start: int, end: int, limit: int = 80) -> str:
        snippet = " ".join(self.prose[start:end].split())
        return snippet if len(snippet) <= limit else snippet[: limit - 1] + "…"


def words_of(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def has_uncounted_letters(text: str) -> bool:
    """Whether `text` has letters outside the Latin script, which `words_of` does not count."""
    return _NON_WORD_LETTER_RE.search(text) is not None


def normalise_text(text: str) -> str:
    """Unix newlines; control characters made harmless, one for one (offsets hold).

    CR LF and CR become LF. Vertical tab and form feed become spaces: editors and
    SARIF viewers do not count them as line breaks, so neither do our line numbers.
    Other control characters (an ESC that would drive the reader's terminal, a BEL)
    become U+FFFD; tab stays. So does a lone surrogate, which no output can encode.
    """
    text = text.replace("\r\n", "\n").translate(_SPACING_CONTROLS)
    return _CONTROL_RE.sub("\ufffd", text)


_SPACING_CONTROLS = str.maketrans({"\r": "\n", "\v": " ", "\f": " "})
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# --- decoding -----------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


DOCUMENT_NAMES = {
    ".docx": "a Word document",
    ".odt": "an OpenDocument text",
    ".pdf": "a PDF",
    ".rtf": "an RTF document",
    ".html": "an HTML page",
}


def document_suffix(data: bytes) -> str | None:
    """The document format `data` is in, by its first bytes (None: plain text, or not
    one we read).

    A file without an extension, or with a text one (".txt", ".md") that holds a
    document, is read as the document it is: downloads lose their extension, and a
    teacher cannot rename a file inside an LMS export. Text given on standard input
    that is a document is refused (`decode_bytes`).
    """
    if data.startswith(b"PK\x03\x04"):  # a zip: names of its entries are stored as is
        if b"[Content_Types].xml" in data and b"word/" in data:
            return ".docx"
        if data[30:38] == b"mimetype" and b"opendocument.text" in data[38:120]:
            return ".odt"
        return None
    if data.startswith(b"%PDF-"):
        return ".pdf"
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"{\\rtf"):
        return ".rtf"
    if _HTML_START_RE.match(start[:2048]):
        return ".html"
    return None


# A web page: after an XML declaration and comments (a page saved from a browser),
# its doctype or first element
_HTML_START_RE = re.compile(
    rb"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype html|<html|<head|<meta|<body)",
    re.I | re.S,
)


def decode_bytes(data: bytes, source: str = "<bytes>") -> str:
    """Decode essay bytes: BOM-marked UTF-8/16/32, UTF-16 without BOM, UTF-8, then cp1252.

    cp1252 is a superset of latin-1's printable characters, so latin-1 files decode
    too. Raises InputError for a document (`document_suffix`), for binary data, for
    UTF-8 with invalid bytes mixed in, and for bytes that are valid in none of these
    encodings.
    """
    kind = document_suffix(data)
    if kind and kind != ".html":  # an HTML page is text; its reader decodes it here
        raise InputError(
            f"{DOCUMENT_NAMES[kind]}, not plain text: rename it to end in {kind}", source
        )
    text = _decode(data, source)
    if _control_ratio(text) > 0.05:
        raise InputError("binary file, not text (too many control characters)", source)
    return text


def _decode(data: bytes, source: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"invalid {encoding.upper()} at {_where(data, len(bom) + exc.start)}", source
                ) from None
    if _looks_like_utf16(data):
        encoding = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError("binary file, not text (contains NUL bytes)", source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        if _mostly_utf8(data[:200_000]):
            # Real UTF-8 characters elsewhere: decoding it all as cp1252 would garble them.
            raise InputError(
                f"invalid UTF-8 at {_where(data, utf8_error.start)} in an otherwise UTF-8 file "
                "(mixed encodings?); save it as UTF-8",
                source,
            ) from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"cannot decode text: byte 0x{data[exc.start]:02X} at {_where(data, exc.start)} "
                f"is neither UTF-8 nor Windows-1252/Latin-1; {_ENCODINGS_READ}",
                source,
            ) from None
        if _mostly_accented(text):  # Cyrillic, Greek, GBK... read as Windows-1252: garbled
            raise InputError(
                "cannot decode text: not UTF-8, and as Windows-1252/Latin-1 it reads as "
                f"garble; {_ENCODINGS_READ}",
                source,
            ) from None
        return text


_ENCODINGS_READ = (
    "essaycoach reads UTF-8, UTF-16 and Windows-1252/Latin-1, not other encodings "
    "(Shift-JIS, GBK, Windows-1251...): save it as UTF-8"
)


# two or more bytes in a row that are not UTF-8, as "surrogateescape" decodes them
_INVALID_BYTE_RUN_RE = re.compile("[\udc80-\udcff]{2,}")


def _mostly_utf8(sample: bytes) -> bool:
    """Whether `sample`, not valid UTF-8, holds UTF-8 characters with a few stray bytes
    among them (mixed encodings), rather than being in another encoding whose bytes
    happen to form a UTF-8 character here and there (Shift-JIS, GBK: one byte in three
    or so is not UTF-8 there). Stray Windows-1252 bytes (curly quotes, dashes) stand
    alone between ASCII or UTF-8 characters, so only invalid bytes next to another
    invalid byte (the lead and trail bytes of Shift-JIS or GBK) count against it: a
    UTF-8 essay with two accented letters and six curly quotes is mixed, not cp1252."""
    characters = len(_UTF8_MULTIBYTE_RE.findall(sample))
    if characters < 2:
        return False
    if sample.decode("utf-8", "replace").count("\ufffd") <= characters:
        return True
    escaped = sample.decode("utf-8", "surrogateescape")
    paired = sum(len(run) for run in _INVALID_BYTE_RUN_RE.findall(escaped))
    return paired <= characters


def _mostly_accented(text: str) -> bool:
    """Whether most letters of `text` are not ASCII: a text in another encoding decoded
    as Windows-1252 ("Ïðèâåò" for Привет). A Western essay has a few accented letters
    in a hundred (French about 4, German about 2)."""
    letters = [c for c in text[:100_000] if c.isalpha()]
    return len(letters) >= 20 and sum(not c.isascii() for c in letters) > 0.3 * len(letters)


_UTF8_MULTIBYTE_RE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _where(data: bytes, byte_offset: int) -> str:
    line = data.count(b"\n", 0, byte_offset) + 1
    return f"line {line} (byte {byte_offset})"


def _looks_like_utf16(data: bytes) -> bool:
    if len(data) < 4 or len(data) % 2:
        return False
    sample = data[:2000]
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    half = len(sample) // 2
    return max(zeros_even, zeros_odd) > 0.4 * half and min(zeros_even, zeros_odd) < 0.05 * half


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:5000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\v\f") or ch == "\ufffd")
    return bad / len(sample)


def display_name(path: str | Path) -> str:
    """`path` as printable UTF-8 text for reports, different names never shown alike.

    Bytes of a file name that are not UTF-8 (Python keeps them as lone surrogates,
    which a UTF-8 report cannot hold) are shown as escapes ("M\\xfcller"), not
    guessed: "Müller" would merge with a real "Müller" and hide two students' copying.
    So are control characters (an ESC would drive the terminal showing the report, a
    newline would split its line) and the marks that reorder or break a line.
    """
    text = str(path)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that no file name could have produced
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _NAME_UNSAFE_RE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# C0 and C1 controls; bidirectional marks, embeddings and isolates; line separators
_NAME_UNSAFE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def load_essay(path: str | Path) -> Essay:
    """Read an essay file. Raises InputError with a one-line reason.

    .txt and .md are decoded here; .docx, .odt, .pdf, .rtf and .html go through
    `essaycoach.readers`, which `grade` uses too.
    """
    path = Path(path)
    source = display_name(path)
    try:
        if not path.exists():
            if any(mark in path.name for mark in "*?["):  # quoted, or a pattern nothing matched
                raise InputError(
                    "no such file (no file matches this pattern: essaycoach does not expand "
                    "wildcards, the shell does)",
                    source,
                )
            raise InputError("no such file", source)
        if path.is_dir():
            raise InputError(
                "is a directory, not an essay file (use `essaycoach grade` for folders)", source
            )
        if not path.is_file():
            raise InputError("not a regular file", source)
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES:
            from essaycoach.readers import read_submission  # imports this module

            return read_submission(path, source)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"file is {size / 1e6:.1f} MB; essays over {MAX_BYTES / 1e6:.0f} MB are refused",
                source,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", source) from None
    kind = document_suffix(data)
    if kind:  # no extension, or a text one on a document: read it as what it is
        from essaycoach.readers import read_submission

        return read_submission(path, source, data, suffix=kind)
    text = decode_bytes(data, source)
    if not text.strip():
        raise InputError("file is empty (no text to check)", source)
    return Essay.from_text(text, source=source, markdown=suffix in {".md", ".markdown"})


# --- Markdown masking -----------------------------------------------------------

# the closing #s need a space before them (CommonMark), which also keeps this linear:
# "[ \t#]*$" after a lazy title backtracked over every "#" of a long line
# (CommonMark allows up to three spaces before a heading's or fence's marker)
_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
# A GitHub table: a row with a "|", a delimiter row of "|", "-", ":" ("|---|:--:|"),
# then the rows that have a "|"
_TABLE_RE = re.compile(
    r"^(?=[^\n]*\|)[^\n]*\n"
    r"(?=[^\n]*\|)(?=[^\n]*-) {0,3}[|:\-][|:\- \t]*$"
    r"(?:\n(?=[^\n]*\|)[^\n]*)*",
    re.M,
)
# "[" is not allowed inside the link text, nor unbalanced "(" in the target (one level of
# parentheses is, as in Wikipedia links), so a line of "[" or "[a](" is scanned once
_LINK_RE = re.compile(r"!?\[([^\[\]\n]*)\]\(((?:[^()\n]|\([^()\n]*\))*)\)")
_INLINE_MARK_RE = re.compile(r"(\*\*|__|\*|`|~~)")
_BLOCK_PREFIX_RE = re.compile(r"^([ \t]*(?:>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+))", re.M)
_HTML_TAG_RE = re.compile(r"<[^>\n]{1,200}>")
_RULE_RE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M)
# A title line over its underline. Only a line that starts a block is a title (see
# _starts_block); the title ends at its last character that is not a space or tab,
# matched greedily, so a long run of spaces costs one pass, not one per position
_SETEXT_RE = re.compile(
    r"^[ \t]{0,3}(\S(?:[^\n]*[^ \t\n])?)[ \t]*\n[ \t]{0,3}(=+|-{2,})[ \t]*$", re.M
)
_LINK_DEFINITION_RE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S[^\n]*$", re.M)
# At the very top: YAML between "---" lines (Obsidian, Jekyll, pandoc, which may close it
# with "..."; as in pandoc, a blank line after the opening makes it a rule), or TOML
# between "+++" lines (Hugo)
_FRONT_MATTER_RE = re.compile(
    r"\A(?:---[ \t]*\n(?![ \t]*\n)(?P<yaml>(?:.*\n)*?)(?:---|\.\.\.)"
    r"|\+\+\+[ \t]*\n(?:.*\n)*?\+\+\+)[ \t]*$",
    re.M,
)
# A line of YAML: blank, indented, a comment, a list item or a key
_YAML_LINE_RE = re.compile(r"$|[ \t]|#|-(?:[ \t]|$)|[^\s:#][^:\n]*:(?:[ \t]|$)")


# A title on its own at the top of a plain-text essay: one line of at most 15 words,
# then a blank line and more text. Only a title-case line counts, not ending like a
# sentence ("Civilization and Savagery in Lord of the Flies", "Should Students Wear
# Uniforms?"), so a short opening sentence ("Kathy is the narrator.") stays prose.
# Without the blank line, the line after it must read as prose: ending a sentence, or
# twice the title's words ("Never Let Me Go" over "Kathy is a carer who ...").
_TITLE_RE = re.compile(
    r"\A[ \t]*(?P<title>[^\n]*\S)[ \t]*\n(?P<blank>[ \t]*\n)?(?=\s*\S)(?P<next>[^\n]*)"
)
_TITLE_MAX_WORDS = 15
_TITLE_SMALL_WORDS = frozenset((
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of",
    "on", "or", "the", "to", "with", "vs",
))  # fmt: skip


def find_title(text: str, start: int = 0) -> Heading | None:
    """The title line at the top of a plain-text essay, if it has one (see _TITLE_RE):
    its first line from `start` (the end of a heading block, `find_header`)."""
    rest = text[start:]
    start += len(rest) - len(rest.lstrip())
    match = _TITLE_RE.match(text[start:])
    if match is None or match.group("title")[-1] in ".,;:":
        return None
    title = match.group("title")
    words = _WORD_RE.findall(title)
    significant = [w for w in words if w.lower() not in _TITLE_SMALL_WORDS]
    if not 0 < len(words) <= _TITLE_MAX_WORDS or not significant:
        return None
    if not all(w[0].isupper() or w[0].isdigit() for w in significant):
        return None
    if match.group("blank") is None:
        following = match.group("next").rstrip()
        ends_sentence = re.search(r"[.!?][\"”’)]*$", following) is not None
        if not ends_sentence and len(_WORD_RE.findall(following)) < 2 * len(words):
            return None
    return Heading(start + match.start("title"), start + match.end("title"), title, 1)


# The heading block of an MLA paper: the writer's name, the teacher's, the class and the
# date, each on a line of its own above the title ("Jane Doe", "Mr. Smith", "English 10",
# "12 October 2026"). It is found only when one of its lines is a date and nothing else,
# so short opening lines of an essay (dialogue, a poem, "It began on 6 June 1944.") are
# not taken for one.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# a whole date, day and year included: "June 1944" or "August 31" in a poem is no
# heading block's date
_DATE_LINE_RE = re.compile(
    r"(?:(?:date|due|submitted)[ \t]*:[ \t]*)?"  # "Date: ..."
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?[ \t]+)?"  # "Monday, ..."
    rf"(?:{_MONTH}[ \t]+{_DAY}[ \t]*,?[ \t]+\d{{4}}"  # October 12, 2026
    rf"|(?:the[ \t]+)?{_DAY}(?:[ \t]+of)?[ \t]+{_MONTH}[ \t]*,?[ \t]+\d{{4}}"  # 12 October 2026
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"  # 10/12/2026, 2026-10-12
    rf"|\d{{1,2}}-{_MONTH}-\d{{2,4}})"  # 12-Oct-2026
    r"[ \t]*\.?",
    re.I,
)
# a line may end in a full stop after an initial or a short abbreviation ("Mrs. K.",
# "English 10 Hon.", "AP Lang. & Comp.")
_ABBREVIATION_END_RE = re.compile(r"\b[A-Z][a-z]{0,3}\.$")
_CLOSING_MARKS = "\"'”’)]»"
# not a heading block's line: a list item or quotation, or a year outside the date
# line (a timeline: "1914 - War begins")
_NOT_HEADER_LINE_RE = re.compile(r"^(?:[-*+>][ \t]|\d+[.)][ \t])|\b(?:1[5-9]|20)\d\d\b")
_HEADER_MAX_LINES = 8
_HEADER_LINE_MAX_WORDS = 8


def find_header(text: str, start: int = 0) -> int:
    """Where the MLA heading block at the top of an essay (from `start`) ends, or 0.

    Its lines are short (`_header_line`: "Jane Doe", "Mr. Smith", "English 10"), at
    most eight, blank lines between them allowed (a .docx's paragraphs), with more
    text after them. It is found in one of two shapes:

    * a line that is a date and nothing else, not the first, ends it, with the lines
      under it that name a teacher or a class or hold a form's label and value
      (`_block_line`; the first other line is the essay's: its title, a first line
      without a full stop, a poem); of a date and one line above it, that line may
      not read like a title (`_reads_like_a_title`);
    * without a date: two or more such block lines, from the first line or under a
      first line of any kind (the writer's name): "Name: Jane Doe" / "Teacher: Mr.
      Smith", or "Jane Doe" / "Mr. Smith" / "English 10".
    """
    lines: list[tuple[str, int]] = []  # the short lines that open the text, and their ends
    for match in _LINE_RE.finditer(text, start):
        # "**Date:** October 12, 2026" in Markdown is "Date: October 12, 2026"
        line = match.group().replace("\u00a0", " ").replace("**", "").strip()
        if not line:
            continue
        if len(lines) == _HEADER_MAX_LINES or not (
            _header_line(line) or _DATE_LINE_RE.fullmatch(line)
        ):
            break
        lines.append((line, match.end()))
    end = _end_of_dated_block(lines) or _end_of_labelled_block(lines)
    return end if end and text[end:].strip() else 0


def _end_of_dated_block(lines: list[tuple[str, int]]) -> int:
    date = next((i for i, (line, _) in enumerate(lines) if _DATE_LINE_RE.fullmatch(line)), None)
    if not date or (date == 1 and _reads_like_a_title(lines[0][0])):
        return 0  # no date, a date first, or a title over the date it is about
    end = lines[date][1]
    for line, stop in lines[date + 1 :]:
        if not _block_line(line):
            break
        end = stop
    return end


def _end_of_labelled_block(lines: list[tuple[str, int]]) -> int:
    first = 0 if lines and _block_line(lines[0][0]) else 1  # else the writer's name
    run = 0
    for line, _ in lines[first:]:
        if not _block_line(line):
            break
        run += 1
    return lines[first + run - 1][1] if run >= 2 else 0


def _block_line(line: str) -> bool:
    """A heading block's line that is no essay's: a teacher ("Mr. Smith", "Mrs. K."),
    a class ("English 10, Period 3", "AP English Language and Composition", "Final
    Draft") or a form's label and its value ("Word count: 1,250", "**Name:** Jane")."""
    if ":" in line and is_form_label(line.split(":", 1)[0]):
        return True
    if _TEACHER_LINE_RE.fullmatch(line):
        return True
    tokens = _COURSE_TOKEN_RE.findall(line)
    return (
        bool(tokens)
        and all(t.lower() in _COURSE_WORDS or t[0].isdigit() or len(t) == 1 for t in tokens)
        and any(t.lower() in _COURSE_WORDS - {"and"} for t in tokens)
    )


_TEACHER_LINE_RE = re.compile(
    r"(?i:mr|mrs|ms|miss|mx|dr|prof|professor)\.?(?:\s+[A-Z][\w'’-]*\.?){1,3}"
)
_COURSE_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+\w*")
# the words of a class's or an assignment's name: a line of only these and numbers
# ("English 10 Honors", "Period 3", "Essay 2") is a heading block's, not a poem's
_COURSE_WORDS = frozenset((
    "ap", "ib", "honors", "honours", "hon", "gcse", "igcse", "pre", "cp", "accelerated",
    "english", "literature", "lit", "lang", "language", "arts", "ela", "humanities",
    "composition", "comp", "writing", "reading", "and", "period", "block", "hour",
    "section", "class", "grade", "year", "form", "course", "seminar", "american",
    "british", "world", "prompt", "assignment", "essay", "draft", "final", "rough",
    "unit", "task",
))  # fmt: skip


def _reads_like_a_title(line: str) -> bool:
    """Whether a line has a word only titles have, not a name ("The Day Everything
    Changed" over "September 11, 2001" is an essay's title and its subject's date).
    An initial ("Jane A. Doe") is no article, and a byline ("By Sam Smith") no title."""
    if _BYLINE_RE.match(line):
        return False
    words = (m.group() for m in _WORD_RE.finditer(line) if line[m.end() : m.end() + 1] != ".")
    return any(word.lower() in _TITLE_SMALL_WORDS for word in words)


# the labels of a template's form and of a heading block's lines ("Name", "Teacher",
# "Date due", "Word count"): a table row or a line under the date that starts with one
# is the template's, not the student's
_FORM_LABELS = frozenset((
    "name", "names", "student", "student name", "student's name", "students name", "pupil",
    "full name", "first name", "last name", "surname", "family name",
    "teacher", "teacher name", "teacher's name", "teachers name", "instructor", "professor",
    "tutor", "lecturer", "class", "course", "course name", "subject", "period", "block",
    "section", "hour", "group", "form", "grade", "year group", "set", "date",
    "due", "due date", "date due", "date submitted", "submitted", "submission date",
    "assignment", "prompt", "essay prompt", "question", "title", "essay title", "word count",
    "student id", "student number", "id", "candidate number", "school", "score", "mark",
    "points", "total", "email",
))  # fmt: skip


def is_form_label(text: str) -> bool:
    """Whether `text` is one of a form's labels ("Name", "Teacher's name", "*Date")."""
    label = text.strip().strip("*").strip().lower().replace("’", "'")
    return label in _FORM_LABELS


_BYLINE_RE = re.compile(r"by\s+[A-Z]", re.I)


def ends_a_sentence(text: str) -> bool:
    """Whether `text` ends like a sentence: . ! or ? (before any closing quotation
    marks), not after an initial or a short abbreviation ("Mrs. K.", "12 Oct.")."""
    bare = text.rstrip().rstrip(_CLOSING_MARKS)
    return bool(bare) and bare[-1] in ".!?" and not _ABBREVIATION_END_RE.search(bare)


def _header_line(line: str) -> bool:
    """A line other than the date that a heading block may have: at most eight words,
    no list item or year, not ending like a sentence (after any closing quotation
    mark) unless in an initial or an abbreviation."""
    if len(_WORD_RE.findall(line)) > _HEADER_LINE_MAX_WORDS or _NOT_HEADER_LINE_RE.search(line):
        return False
    bare = line.rstrip(_CLOSING_MARKS) or line
    return bare[-1] not in ".!?;:," or bool(_ABBREVIATION_END_RE.search(bare))


_LINE_RE = re.compile(r"[^\n]+")


def _end_of_top_forms(
    text: str, forms: list[tuple[int, int]], headings: list[tuple[int, int]]
) -> int:
    """The end of the form rows at the top of a document (`_end_of_leading`), which
    may sit under headings and up to two short lines of the template's (a school's
    name, "Fill in your details below."), or 0."""
    if not forms:
        return 0
    first = min(start for start, _ in forms)
    above = [(s, e) for s, e in headings if e <= first]
    lines = [line for line in _blanked_spans(text[:first], above).splitlines() if line.strip()]
    if len(lines) > 2 or any(len(words_of(line)) > 12 for line in lines):
        return _end_of_leading(text, forms + headings)
    return _end_of_leading(text, [s for s in forms + headings if s[0] >= first], first)


def _blanked_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span made spaces (`_blanked`)."""
    for start, end in spans:
        text = _blanked(text, start, end)
    return text


def _end_of_leading(text: str, spans: list[tuple[int, int]], start: int = 0) -> int:
    """The end of the spans that open `text` from `start` (with only blanks before and
    between them), or 0."""
    end = start
    for begin, stop in sorted(spans):
        if text[end:begin].strip():
            break
        end = stop
    return end


def _start_of_trailing(text: str, spans: list[tuple[int, int]]) -> int:
    """The start of the spans that close `text` (with only blanks between and after
    them), or len(text)."""
    start = len(text)
    for first, stop in sorted(spans, reverse=True):
        if text[stop:start].strip():
            break
        start = first
    return start


def _blanked(text: str, start: int, end: int) -> str:
    """`text` with `start:end` made spaces, line breaks kept (offsets hold)."""
    if end <= start:
        return text
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


# The list of sources that closes an essay: a line of its own, after a blank line, whose
# words are one of these names ("Works Cited", "## References", "Bibliography:")
_WORKS_CITED_RE = re.compile(
    r"(?:\A|\n[ \t]*\n)[ \t]*(?P<name>(?:works|sources)[ \t]+(?:cited|consulted)|bibliography"
    r"|references|reference[ \t]+list|sources|citations)[ \t]*:?[ \t]*(?=\n|\Z)",
    re.I,
)
_WORKS_CITED_MAX_SHARE = 0.4  # a "References" line before more than this is no list of sources


def mask_works_cited(prose: str, headings: tuple[Heading, ...]) -> tuple[str, tuple[Heading, ...]]:
    """Mask the list of sources at the end of an essay (MLA "Works Cited", a
    bibliography): its entries are neither the essay's sentences nor its words. The
    section's name is kept as a heading. Nothing is masked when the name is followed by
    nothing, starts the essay, or is followed by more than 40% of the essay's words."""
    section = None
    for heading in headings:  # Markdown: "## Works Cited" is already a heading
        if _WORKS_CITED_RE.fullmatch(heading.text.strip()):
            section = heading
    for match in _WORKS_CITED_RE.finditer(prose):  # plain text: a line of its own
        if section is None or match.start("name") > section.start:
            section = Heading(match.start("name"), match.end("name"), match["name"], 1)
    if section is None:
        return prose, headings
    before = len(_WORD_RE.findall(prose, 0, section.start))
    after = len(_WORD_RE.findall(prose, section.end))
    if not before or not after or after > _WORKS_CITED_MAX_SHARE * (before + after):
        return prose, headings
    masked = prose[: section.start] + re.sub(r"[^\n]", " ", prose[section.start :])
    return masked, (*(h for h in headings if h.start < section.start), section)


def mask_markdown(text: str) -> tuple[str, tuple[Heading, ...]]:
    """Return (prose, headings): markup replaced by spaces, offsets preserved.

    Headings (ATX "# Title" and setext "Title" over "====") are masked out of the
    prose (they are not sentences) but kept as structure hints on the paragraphs
    that follow them. Front matter, code blocks, tables and link targets are masked
    whole.
    """
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    blank(0, _front_matter_end(text))
    for m in _FENCE_RE.finditer("".join(chars)):
        blank(m.start(), m.end())
    for m in _TABLE_RE.finditer("".join(chars)):  # cells are not the essay's sentences
        blank(m.start(), m.end())
    unfenced = "".join(chars)  # so "# comment" inside code is not taken for a heading
    headings = []
    for m in _HEADING_RE.finditer(unfenced):
        headings.append(Heading(m.start(2), m.end(2), m.group(2), len(m.group(1))))
        blank(m.start(), m.end())
    for m in _SETEXT_RE.finditer(unfenced):
        if not _starts_block(unfenced, m.start()):
            continue  # a paragraph's last line over "---" is prose over a rule
        level = 1 if m.group(2).startswith("=") else 2
        headings.append(Heading(m.start(1), m.end(1), m.group(1), level))
        blank(m.start(), m.end())
    headings.sort(key=lambda h: h.start)
    for regex in (_RULE_RE, _LINK_DEFINITION_RE):
        for m in regex.finditer(unfenced):
            blank(m.start(), m.end())
    for m in _LINK_RE.finditer(unfenced):
        blank(m.start(), m.start(1))  # "[" or "!["
        blank(m.end(1), m.end())  # "](url)"
    for regex in (_BLOCK_PREFIX_RE, _INLINE_MARK_RE, _HTML_TAG_RE):
        for m in regex.finditer(unfenced):
            blank(m.start(), m.end())
    return "".join(chars), tuple(headings)


def _starts_block(text: str, start: int) -> bool:
    """Whether the line at `start` starts a block: it is the first line, or the line
    before it is blank (spaces and tabs, or front matter and code already masked) or an
    ATX heading. Not after a thematic break: "---" over "author: jdoe" over "---" is a
    rule and the essay's text (see _front_matter_end), not a rule and a heading."""
    if start == 0:
        return True
    before = text[text.rfind("\n", 0, start - 1) + 1 : start - 1]
    return not before.strip() or bool(_HEADING_RE.fullmatch(before))


def _front_matter_end(text: str) -> int:
    """Where the front matter at the top of a Markdown file ends; 0 if there is none.
    A "---" block whose lines are not YAML (a line of prose) is a rule, not front matter."""
    match = _FRONT_MATTER_RE.match(text)
    if match is None:
        return 0
    yaml = match.group("yaml")
    if yaml is not None and not all(_YAML_LINE_RE.match(line) for line in yaml.split("\n")):
        return 0
    return match.end()


# --- paragraphs -----------------------------------------------------------------

_BLANK_LINE_RE = re.compile(r"\n[ \t\f\v]*\n")


def split_paragraphs(prose: str, headings: tuple[Heading, ...] = ()) -> list[Paragraph]:
    """Blocks separated by blank lines.

    A text without blank lines is split where a line is indented (first-line
    indents), else after a short line ending a sentence when the text is
    hard-wrapped, else at every line break (one paragraph per line).
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for cut_start, cut_end in _paragraph_breaks(prose):
        spans.append((pos, cut_start))
        pos = cut_end
    spans.append((pos, len(prose)))

    paragraphs: list[Paragraph] = []
    heading_starts = [h.start for h in headings]
    for start, end in spans:
        block = prose[start:end]
        stripped = block.strip()
        if not stripped or not _WORD_RE.search(stripped):
            continue
        lead = len(block) - len(block.lstrip())
        trail = len(block) - len(block.rstrip())
        s, e = start + lead, end - trail
        i = bisect.bisect_right(heading_starts, s) - 1
        heading = headings[i].text if i >= 0 else None
        paragraphs.append(Paragraph(len(paragraphs) + 1, s, e, prose[s:e], heading))
    return paragraphs


_INDENTED_LINE_RE = re.compile(r"\n(?=(?:\t|[ ]{2,})\S)")
_HARD_WRAP_SHARE = 0.5  # share of lines ending mid-sentence that marks a hard-wrapped text
_SHORT_LINE = 0.7  # a line shorter than this share of the longest ends its paragraph


def _paragraph_breaks(prose: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph separator in prose."""
    body = prose.strip()
    if _BLANK_LINE_RE.search(body):
        return [m.span() for m in _BLANK_LINE_RE.finditer(prose)]
    if _INDENTED_LINE_RE.search(body):
        return [m.span() for m in _INDENTED_LINE_RE.finditer(prose)]
    lines = list(re.finditer(r"[^\n]*", prose))
    content = [m for m in lines if m.group().strip()]
    ends_mid_sentence = sum(1 for m in content[:-1] if not re.search(r"[.!?:\"”’)]\s*$", m.group()))
    if len(content) > 2 and ends_mid_sentence >= _HARD_WRAP_SHARE * (len(content) - 1):
        width = max(len(m.group().rstrip()) for m in content)
        return [
            (m.end(), m.end() + 1)
            for m in content[:-1]
            if re.search(r"[.!?:\"”’)]\s*$", m.group())
            and len(m.group().rstrip()) < _SHORT_LINE * width
            and m.end() < len(prose)
        ]
    return [(m.start(), m.end()) for m in re.finditer(r"\n", prose)]


# --- sentences ------------------------------------------------------------------

ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "e.g", "i.e",
        "cf", "al", "fig", "figs", "no", "nos", "vol", "vols", "ch", "chap", "pp", "p", "ed", "eds",
        "trans", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "approx", "dept", "est", "inc", "ltd", "co", "corp", "gen", "col", "capt", "lt",
        "sgt", "rev", "hon", "gov", "pres", "sen", "rep", "esp", "incl", "ca", "viz", "resp",
        "ibid", "op", "min", "max", "hr", "hrs", "sq", "ft", "oz", "lb", "lbs", "dir",
    }
)  # fmt: skip
# abbreviations that may also end a sentence: split only if a capital follows
_SENTENCE_FINAL_ABBREVIATIONS = frozenset(
    {"etc", "al", "inc", "ltd", "co", "corp", "incl", "no", "min", "max"}
)

_CLOSERS = "\"'”’)]»"
_OPENERS = "\"“‘'(["
_END_RE = re.compile(r"([.!?…]+)([" + re.escape(_CLOSERS) + r"]*)")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_NEXT_CHAR_RE = re.compile(r"\s*(\S)")
_LOOKBEHIND = 40  # characters examined before a full stop: enough for any abbreviation


def split_sentences(prose: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) within prose[start:end], trimmed of surrounding space.

    Runs in time linear in the text: every candidate end is judged from a short
    window around it.
    """
    end = len(prose) if end is None else end
    cuts: list[int] = []
    for m in _END_RE.finditer(prose, start, end):
        if _is_sentence_end(prose, m, end):
            cuts.append(m.end())
    spans = []
    pos = start
    for cut in [*cuts, end]:
        piece = prose[pos:cut]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            spans.append((pos + lead, cut - trail))
        pos = cut
    return spans


def _is_sentence_end(prose: str, m: re.Match[str], end: int) -> bool:
    punct, closers = m.group(1), m.group(2)
    nxt = _NEXT_CHAR_RE.match(prose, m.end(), end)
    if nxt is None:
        return True  # end of the paragraph
    spaced = nxt.start(1) > m.end()
    next_char = nxt.group(1)
    before = prose[max(0, m.start() - _LOOKBEHIND) : m.start()]
    word_match = _WORD_BEFORE_RE.search(before)
    word = word_match.group(1) if word_match else ""
    if not spaced:
        # "end.Next" (a missing space, common in learner writing): split only between
        # ordinary words, never inside "e.g.", "U.S.", "3.5", "Mr.Smith" or a URL.
        following = prose[nxt.start(1) : nxt.start(1) + 2]
        return (
            punct in (".", "!", "?")
            and not closers
            and len(word) >= 2
            and word.isalpha()
            and word.islower()
            and word not in ABBREVIATIONS
            and len(following) == 2
            and following[0].isupper()
            and following[1].islower()
        )
    starts_upper = next_char.isupper() or next_char.isdigit() or next_char in _OPENERS
    if punct[0] in "!?" or "…" in punct or punct.startswith(".."):
        # “Help!” she cried. / What? he asked. / and then... we waited: a lower-case
        # word after these continues the sentence.
        return starts_upper or not next_char.isalpha()
    lower = word.lower()
    if lower in ABBREVIATIONS:
        capital_next = next_char.isupper() or next_char in _OPENERS
        return lower in _SENTENCE_FINAL_ABBREVIATIONS and capital_next and not closers
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", word):
        return False  # initials, "J.K. Rowling" (so "the U.S. The" stays one sentence)
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", lower) or "." in lower:  # "e.g.", "Ph.D."
        return starts_upper and next_char not in _OPENERS
    if len(word) == 1 and word.isupper() and not closers:
        return False  # an initial: "J. K. Rowling"
    if starts_upper:
        return True
    # A full stop before a lower-case word: a sentence end in learner writing
    # ("it was sad. then they left"), unless the word before is not a plain word.
    return len(word) >= 2 and word.isalpha() and next_char.isalpha()
