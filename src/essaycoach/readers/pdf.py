"""PDF (pypdf): pages laid out as text, running headers and footers dropped, lines
joined into paragraphs, words hyphenated at a line's end rejoined."""

from __future__ import annotations

import io
import itertools
import logging
import re
from collections import Counter
from collections.abc import Collection
from typing import Any

from essaycoach.errors import InputError
from essaycoach.words import is_english_word, words_of


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
                opened: int = reader.decrypt("")  # owner-password-only PDFs open with an empty one
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
    text = rejoin_hyphenated(_join_pages(_without_running_lines(pages)))
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


_LETTERS = r"A-Za-z\u00C0-\u024F"
_LINE_END_HYPHEN_RE = re.compile(
    rf"(?<![{_LETTERS}0-9])([{_LETTERS}]+)-\n([{_LETTERS}]+)(\S*)([ \t]+)?"
)
"""A word part ending a line in "-", the next line's first word part, the rest of that
line's first word ("’s", ","), and the spaces after it."""


def rejoin_hyphenated(text: str) -> str:
    """`text` (a PDF's, whose line breaks are layout) with each word broken across a line
    break by a hyphen made one word again: "stu-" / "dents" is "students", a compound's
    hyphen kept ("self-" / "aware" is "self-aware"). Only a break before a lower-case
    letter is one ("end -" / "The" and "twentieth-" / "Century" stay as they are); the
    line break moves to after the word, so the lines stay as many. Which breaks drop
    their hyphen: `joins_without_hyphen`, with the words of the document as evidence."""
    if "-\n" not in text:
        return text
    words = [word.lower() for word in words_of(text)]
    seen = set(words)
    for word in words:
        parts = word.split("-")
        seen.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))

    def rejoin(match: re.Match[str]) -> str:
        first, second, rest, space = match.groups()
        if not second[0].islower():
            return match.group()
        hyphen = "" if joins_without_hyphen(first, second, seen) else "-"
        return first + hyphen + second + rest + ("\n" if space else "")

    return _LINE_END_HYPHEN_RE.sub(rejoin, text)


def joins_without_hyphen(first: str, second: str, seen: Collection[str] = ()) -> bool:
    """Whether `first` + "-" at a line's end and `second` on the next line are one word
    the typesetter hyphenated ("unre-" "solved") rather than a hyphenated compound the
    author wrote ("well-" "known"). `seen`: the document's words and, for its hyphenated
    words, their "a-b" pairs, lower-case.

    1. The document's own spelling decides when it has one form and not the other:
       "Hailsham" elsewhere joins "Hail-" "sham", "self-aware" elsewhere keeps it.
    2. Otherwise a compound the CMU dictionary has with its hyphen keeps it: "so-"
       "called", "long-" "term", "full-" "time", "well-" "known", "twenty-" "one".
    3. Otherwise the halves join when the joined word is in the CMU dictionary
       (case-blind): "stu-" "dents", "some-" "thing", "under-" "stand", "step-"
       "mother".
    4. Otherwise the hyphen stays when both halves are words ("self-" "aware"), and
       goes when either is not: a half that is no word is a syllable ("Ishi-" "guro"),
       so the word is a name or a word the dictionary lacks.

    Known misses: a name whose halves are both words ("Hail-" "sham": "hail" and
    "sham" are in the dictionary, "hailsham" is not) keeps its hyphen unless the essay
    has it elsewhere (in an essay about it, it nearly always does); a compound the
    dictionary has only closed ("left-" "wing" is "leftwing" there) is joined unless the
    essay has it hyphenated; a compound of non-English words ("café-" "bar") is joined.
    """
    joined = (first + second).lower()
    hyphenated = f"{first}-{second}".lower()
    joined_seen, hyphenated_seen = joined in seen, hyphenated in seen
    if joined_seen != hyphenated_seen:
        return joined_seen
    if is_english_word(hyphenated):
        return False
    if is_english_word(joined):
        return True
    return not (is_english_word(first) and is_english_word(second))
