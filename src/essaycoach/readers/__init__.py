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
import os
import stat
from collections.abc import Callable
from pathlib import Path

from essaycoach.decoding import decode_bytes, document_suffix
from essaycoach.errors import InputError
from essaycoach.essay import MAX_BYTES, Essay, without_invisible
from essaycoach.readers.blocks import DocumentText
from essaycoach.readers.docx import read_docx
from essaycoach.readers.html import read_html
from essaycoach.readers.odt import read_odt
from essaycoach.readers.office import OLE_MAGIC
from essaycoach.readers.pdf import read_pdf
from essaycoach.readers.rtf import read_rtf

MAX_FILE_BYTES = 50_000_000  # a .docx or .pdf with pictures may be large; text is capped after

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
            if suffix == ".doc" and not data.startswith(OLE_MAGIC):
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
    if not without_invisible(text).strip():  # zero-width spaces alone are no essay either
        empty = (
            "no text found in the file"
            if suffix in DOCUMENT_SUFFIXES
            else "file is empty (no text)"
        )
        raise InputError(empty, source)
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


_DOCUMENT_READERS: dict[str, Callable[[bytes, str], str]] = {
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".odt": read_odt,
    ".pdf": read_pdf,
    ".rtf": read_rtf,
}
