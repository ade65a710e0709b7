"""Loading essays and splitting them into paragraphs and sentences with character offsets.

Every offset in essaycoach is a character offset into `Essay.text`: the file as
decoded, with line endings normalised to "\\n" and a byte-order mark removed. For
Markdown, `Essay.prose` is the same text with markup masked by spaces, so the two
strings have equal length and an offset means the same place in both.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from essaycoach.decoding import display_name, normalise_text
from essaycoach.errors import InputError
from essaycoach.masking import Heading, mask_layout
from essaycoach.words import WORD_RE

MAX_BYTES = 2_000_000
"""Essays larger than this are refused: a long essay is ~30 kB, 2 MB is a book."""


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


@dataclass(frozen=True)
class Essay:
    """An essay as loaded: its text, where it came from, and its structure."""

    text: str
    source: str = "<text>"
    prose: str = ""
    headings: tuple[Heading, ...] = field(default=())
    # where invisible characters were dropped (`from_text`), as offsets into `text`: each
    # was just before the character now there; `line_col` counts them, as editors do
    dropped: tuple[int, ...] = field(default=())

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
        """The essay in `text` (a byte-order mark, soft hyphens and zero-width spaces
        dropped, line endings normalised),
        with what is not its prose masked (`masking.mask_layout`, which says what
        `markdown`, `heading_spans` and `form_spans` are; the spans are in `text`)."""
        text = normalise_text(text)
        # invisible characters that would split a word: a soft hyphen pasted from a web
        # page made "humil-i-ation" three misspellings; offsets are into what is left
        dropped = [m.start() for m in _INVISIBLE_IN_WORDS_RE.finditer(text)]

        def moved(offset: int) -> int:
            return offset - bisect.bisect_left(dropped, offset)

        text = without_invisible(text)
        prose, headings = mask_layout(
            text,
            markdown=markdown,
            heading_spans=tuple((moved(s), moved(e)) for s, e in heading_spans),
            form_spans=tuple((moved(s), moved(e)) for s, e in form_spans),
        )
        # an editor shows no byte-order mark at the start, and counts no column for it
        shown = [position - n for n, position in enumerate(dropped) if position > 0]
        return cls(text=text, source=source, prose=prose, headings=headings, dropped=tuple(shown))

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
        return tuple((m.start(), m.end()) for m in WORD_RE.finditer(self.prose))

    @property
    def word_count(self) -> int:
        return len(self.words)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset (0 <= offset <= len(text)), in
        the file as an editor shows it (invisible characters dropped on loading count)."""
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} is outside the text (length {len(self.text)})")
        line = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[line]
        hidden = bisect.bisect_right(self.dropped, offset) - bisect.bisect_left(self.dropped, start)
        return line + 1, offset - start + 1 + hidden

    def paragraph_at(self, offset: int) -> Paragraph | None:
        for para in self.paragraphs:
            if para.start <= offset < para.end:
                return para
        return None

    def quote(self, start: int, end: int, limit: int = 80) -> str:
        """The text at [start, end) as a reader sees it, on one line, shortened to `limit`
        characters: Markdown markup left out ("In *Never Let Me Go*, Kazuo" is "In Never
        Let Me Go, Kazuo", not "In Never Let Me Go , Kazuo")."""
        kept = (
            p if p == t or not p.isspace() else "" if t in _EMPHASIS_MARKS else " "
            for p, t in zip(self.prose[start:end], self.text[start:end], strict=True)
        )
        snippet = " ".join("".join(kept).split())
        return snippet if len(snippet) <= limit else snippet[: limit - 1] + "…"


# marks that sit inside a word's run of text ("*Never Let Me Go*,"): a quote leaves them
# out; other masked markup (an entity, a tag, a link's address) separates words: a space
_EMPHASIS_MARKS = frozenset("*_~`\\")


def load_essay(path: str | Path) -> Essay:
    """Read an essay file of any supported format, as `grade` reads a submission
    (`readers.read_submission`). Raises InputError with a one-line reason."""
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
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", source) from None
    from essaycoach.readers import read_submission  # the readers build Essays: imported here

    return read_submission(path, source)


# --- paragraphs -----------------------------------------------------------------

_BLANK_LINE_RE = re.compile(r"\n[ \t\f\v]*\n")
# soft hyphen, zero-width space, word joiner, zero-width no-break space (a byte-order
# mark, at the start or pasted mid-text); not the zero-width (non-)joiners, which
# scripts and emoji need
_INVISIBLE_IN_WORDS_RE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def without_invisible(text: str) -> str:
    """`text` without the invisible characters `Essay.from_text` drops."""
    return _INVISIBLE_IN_WORDS_RE.sub("", text)


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
        if not stripped or not WORD_RE.search(stripped):
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
        "para", "paras", "sec", "sect", "pt", "pts", "bk",
    }
)  # fmt: skip
# abbreviations that may also end a sentence: split only if a capital follows
_SENTENCE_FINAL_ABBREVIATIONS = frozenset(
    {"etc", "al", "inc", "ltd", "co", "corp", "incl", "no", "min", "max"}
)

_CLOSERS = "\"'”’)]»"
_OPENERS = "\"“‘'(["
# a footnote's marker may follow the end: "a carer.[1] She", or a PDF's superscript
# run into it, "alone.2 She" (`_note_marker_end` says which digits are one)
_END_RE = re.compile(
    r"([.!?…]+)([" + re.escape(_CLOSERS) + r"]*)(\[(?:\d{1,3}|[a-z]{1,2})\]|\d{1,3}(?=\s))?"
)
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
        after = _note_marker_end(prose, m, end)
        if _is_sentence_end(prose, m, after, end):
            cuts.append(after)
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


def _note_marker_end(prose: str, m: re.Match[str], end: int) -> int:
    """Where a candidate end `m` ends: after a footnote's marker followed by a space or
    the paragraph's end ("carer.[1] She"), else after its punctuation and closers.
    Digits are a marker only after a plain word and before a capital ("alone.2 She"),
    never in "2.5", "No.2 The" or "p.12 The"."""
    marker = m.group(3)
    if not marker or (m.end() < end and not prose[m.end()].isspace()):
        return m.end(2)
    if marker.isdigit():
        word_match = _WORD_BEFORE_RE.search(prose, max(0, m.start() - _LOOKBEHIND), m.start())
        word = word_match.group(1) if word_match else ""
        nxt = _NEXT_CHAR_RE.match(prose, m.end(), end)
        if not (
            len(word) >= 2
            and word.isalpha()
            and word.lower() not in ABBREVIATIONS
            and nxt is not None
            and (nxt.group(1).isupper() or nxt.group(1) in _OPENERS)
        ):
            return m.end(2)
    return m.end()


def _is_sentence_end(prose: str, m: re.Match[str], after: int, end: int) -> bool:
    """Whether the candidate end `m` (with any note marker, up to `after`) ends a
    sentence."""
    punct, closers = m.group(1), m.group(2)
    nxt = _NEXT_CHAR_RE.match(prose, after, end)
    if nxt is None:
        return True  # end of the paragraph
    spaced = nxt.start(1) > after
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
