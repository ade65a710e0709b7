"""Essay bytes to text: recognising documents, decoding, normalising, and file names
made printable for reports."""

from __future__ import annotations

import codecs
import re
from pathlib import PurePath

from essaycoach.errors import InputError


def normalise_text(text: str) -> str:
    """Unix newlines; control characters made harmless, one for one (offsets hold).

    CR LF and CR become LF. Vertical tab, form feed, NEL and the information
    separators (U+001C-U+001F) become spaces: editors and
    SARIF viewers do not count them as line breaks, so neither do our line numbers.
    Other control characters (an ESC that would drive the reader's terminal, a BEL)
    become U+FFFD; tab stays. So does a lone surrogate, which no output can encode.
    """
    text = text.replace("\r\n", "\n").translate(_SPACING_CONTROLS)
    return _CONTROL_RE.sub("\ufffd", text)


# NEL and the information separators (file, group, record, unit) part words as a
# space does: as U+FFFD they glued "loss" and "and" into one misspelling
_SPACING_CONTROLS = str.maketrans(
    {"\r": "\n", "\v": " ", "\f": " ", "\x85": " ", **dict.fromkeys("\x1c\x1d\x1e\x1f", " ")}
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


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


def display_name(path: str | PurePath) -> str:
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
