"""The one-word-per-line format of word lists and bundled rule lists."""

from __future__ import annotations


def parse_word_list(text: str) -> tuple[str, ...]:
    """The entries of a list: one per line, surrounding blanks stripped; blank lines and
    lines starting with "#" are skipped. A byte-order mark (Notepad's "UTF-8 with BOM")
    is not part of the first word."""
    text = text.removeprefix("\ufeff")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
