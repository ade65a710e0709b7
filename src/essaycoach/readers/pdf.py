"""PDF (pypdf): pages laid out as text, running headers and footers dropped, lines
joined into paragraphs."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from typing import Any

from essaycoach.errors import InputError


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
