"""The one-word-per-line format of word lists and bundled rule lists."""

from __future__ import annotations

from pathlib import Path

from essaycoach.errors import InputError


def parse_word_list(text: str) -> tuple[str, ...]:
    """The entries of a list: one per line, surrounding blanks stripped; blank lines and
    lines starting with "#" are skipped. A byte-order mark (Notepad's "UTF-8 with BOM")
    is not part of the first word."""
    text = text.removeprefix("\ufeff")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def read_word_list(path: Path) -> tuple[str, ...]:
    """The words in the file `path`, one a line, in any encoding an essay may be in
    (UTF-8 with or without a BOM, UTF-16, Windows-1252/Latin-1): a list saved by
    Notepad or an older editor is Latin-1. InputError names the file and the problem."""
    from essaycoach.decoding import DOCUMENT_NAMES, decode_bytes, document_suffix
    from essaycoach.readers import read_bytes  # only a regular file, of a sane size

    if not path.exists():
        raise InputError("no such word list", path)
    try:
        data = read_bytes(path, str(path))
    except InputError as error:
        raise InputError(f"cannot read word list: {error.message}", path) from None
    if kind := document_suffix(data):
        problem = f"{DOCUMENT_NAMES[kind]}, not plain text: save it as a .txt file"
        raise InputError(f"cannot read word list: {problem}", path)
    try:
        text = decode_bytes(data, str(path))
    except InputError as error:
        raise InputError(f"cannot read word list: {error.message}", path) from None
    return parse_word_list(text)
