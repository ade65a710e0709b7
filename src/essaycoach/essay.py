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

_WORD_RE = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:[’'\-][A-Za-z0-9\u00C0-\u024F]+)*")


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
    def from_text(cls, text: str, source: str = "<text>", markdown: bool = False) -> Essay:
        text = normalise_newlines(text)
        if markdown:
            prose, headings = mask_markdown(text)
            return cls(text=text, source=source, prose=prose, headings=headings)
        return cls(text=text, source=source)

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
        """1-based line and column of a character offset."""
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


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- decoding -----------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_bytes(data: bytes, source: str = "<bytes>") -> str:
    """Decode essay bytes: BOM-marked UTF-8/16/32, UTF-16 without BOM, UTF-8, then cp1252.

    Raises InputError for binary data or bytes that are valid in none of them.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {encoding} at byte {exc.start}", source) from None
    if _looks_like_utf16(data):
        encoding = "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError("binary file, not text (contains NUL bytes)", source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                f"cannot decode text: invalid UTF-8 at byte {utf8_error.start} "
                "and not Windows-1252 either",
                source,
            ) from None
    if _control_ratio(text) > 0.05:
        raise InputError("binary file, not text (too many control characters)", source)
    return text


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
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / len(sample)


def load_essay(path: str | Path) -> Essay:
    """Read a .txt or .md essay file. Raises InputError with a one-line reason."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise InputError("no such file", source)
    if path.is_dir():
        raise InputError("is a directory, not an essay file (use `essaycoach grade` for folders)", source)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"file is {size / 1e6:.1f} MB; essays over {MAX_BYTES / 1e6:.0f} MB are refused", source
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", source) from None
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise InputError(
            f"unsupported file type {suffix!r} for `check` (use .txt or .md)", source
        )
    text = decode_bytes(data, source)
    if not text.strip():
        raise InputError("file is empty (no text to check)", source)
    return Essay.from_text(text, source=source, markdown=suffix in {".md", ".markdown"})


# --- Markdown masking -----------------------------------------------------------

_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$", re.M)
_FENCE_RE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_LINK_RE = re.compile(r"!?\[([^\]\n]*)\]\(([^)\n]*)\)")
_INLINE_MARK_RE = re.compile(r"(\*\*|__|\*|`|~~)")
_BLOCK_PREFIX_RE = re.compile(r"^([ \t]*(?:>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+))", re.M)
_HTML_TAG_RE = re.compile(r"<[^>\n]{1,200}>")
_RULE_RE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M)


def mask_markdown(text: str) -> tuple[str, tuple[Heading, ...]]:
    """Return (prose, headings): markup replaced by spaces, offsets preserved.

    Headings are masked out of the prose (they are not sentences) but kept as
    structure hints on the paragraphs that follow them.
    """
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    for m in _FENCE_RE.finditer(text):
        blank(m.start(), m.end())
    headings = []
    for m in _HEADING_RE.finditer(text):
        headings.append(Heading(m.start(2), m.start(2) + len(m.group(2)), m.group(2), len(m.group(1))))
        blank(m.start(), m.end())
    for m in _RULE_RE.finditer(text):
        blank(m.start(), m.end())
    for m in _LINK_RE.finditer(text):
        blank(m.start(), m.start(1))  # "[" or "!["
        blank(m.end(1), m.end())  # "](url)"
    for regex in (_BLOCK_PREFIX_RE, _INLINE_MARK_RE, _HTML_TAG_RE):
        for m in regex.finditer(text):
            blank(m.start(), m.end())
    return "".join(chars), tuple(headings)


# --- paragraphs -----------------------------------------------------------------

_BLANK_LINE_RE = re.compile(r"\n[ \t\f\v]*\n")


def split_paragraphs(prose: str, headings: tuple[Heading, ...] = ()) -> list[Paragraph]:
    """Blocks separated by blank lines; a text without blank lines has one paragraph per line."""
    if _BLANK_LINE_RE.search(prose.strip()):
        separator = _BLANK_LINE_RE
    else:
        separator = re.compile(r"\n")
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in separator.finditer(prose):
        spans.append((pos, m.start()))
        pos = m.end()
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


# --- sentences ------------------------------------------------------------------

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt vs etc e.g i.e cf al fig no vol ch pp p ed eds
    jan feb mar apr jun jul aug sep sept oct nov dec approx dept est inc ltd co corp
    gen col capt lt sgt rev hon gov pres sen rep""".split()
)
# abbreviations that may also end a sentence: split only if a capital follows
_SENTENCE_FINAL_ABBREVIATIONS = frozenset({"etc", "al", "inc", "ltd", "co", "corp"})

_CLOSERS = "\"'”’)]»"
_END_RE = re.compile(r"([.!?…]+)([" + re.escape(_CLOSERS) + r"]*)(?=\s|$)")


def split_sentences(prose: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) within prose[start:end], trimmed of surrounding space."""
    end = len(prose) if end is None else end
    segment = prose[start:end]
    cuts: list[int] = []
    for m in _END_RE.finditer(segment):
        boundary = m.end()
        if not _is_sentence_end(segment, m):
            continue
        cuts.append(boundary)
    spans = []
    pos = 0
    for cut in [*cuts, len(segment)]:
        piece = segment[pos:cut]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            spans.append((start + pos + lead, start + cut - trail))
        pos = cut
    return spans


def _is_sentence_end(segment: str, m: re.Match[str]) -> bool:
    punct = m.group(1)
    after = segment[m.end() :].lstrip()
    if not after:
        return True
    if punct != ".":
        return True
    # the word before the full stop, e.g. "Mr" or "e.g"
    before = segment[: m.start()]
    word_match = re.search(r"([A-Za-z][A-Za-z.]*)$", before)
    word = word_match.group(1).lower() if word_match else ""
    next_char = after[0]
    starts_upper = next_char.isupper() or next_char in "\"“‘'(" or next_char.isdigit()
    if word in ABBREVIATIONS:
        return word in _SENTENCE_FINAL_ABBREVIATIONS and starts_upper and not m.group(2)
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):  # e.g. "u.s" in "U.S."
        return starts_upper and next_char not in "(\"“"
    if len(word) == 1 and word.isalpha() and word_match and word_match.group(1).isupper():
        return False  # an initial: "J. K. Rowling"
    return starts_upper
