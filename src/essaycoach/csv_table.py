"""Reading a small CSV table (a roster, a scores file) with errors that name the line."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from essaycoach.errors import InputError
from essaycoach.wording import plural


def read_table(path: Path, what: str) -> tuple[tuple[str, ...], list[tuple[int, dict]]]:
    """`parse_table` on a file, decoded as essays are: a spreadsheet's "CSV" may be
    UTF-8 with or without a BOM, UTF-16 ("Unicode text") or Windows-1252."""
    from essaycoach.essay import decode_bytes

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        file = what if what.endswith(" file") else f"{what} file"
        raise InputError(f"no such {file}", path) from None
    except OSError as error:
        raise InputError(f"cannot read {what}: {error.strerror or error}", path) from None
    return parse_table(decode_bytes(data, str(path)), path, what)


def parse_table(text: str, path: Path, what: str) -> tuple[tuple[str, ...], list[tuple[int, dict]]]:
    """The header (stripped, lower case, "Student ID" read as student_id) and the
    non-blank rows as (line, {column: cell}).

    The separator is comma, semicolon or tab (Excel in locales with a decimal comma
    writes semicolons, its "Unicode text" tabs), chosen by `_delimiter`.
    A row whose field count differs from the header's is an InputError naming
    the file and line: cells shifted by a stray comma must not be read silently.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = tuple(re.sub(r"[\s-]+", "_", h.strip().lower()) for h in next(reader))
    except StopIteration:
        raise InputError(f"line 1: the {what} is empty (need a header)", path) from None
    except csv.Error as error:
        raise InputError(f"line 1: {error}", path) from None
    records = []
    try:
        start = reader.line_num + 1
        for row in reader:
            # a row's line is where it starts: a quoted cell may span lines
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                hint = " (a quote left open?)" if any("\n" in cell for cell in row) else ""
                raise InputError(
                    f"line {line}: {plural(len(row), 'field')}, the header has {len(header)}{hint}",
                    path,
                )
            records.append((line, dict(zip(header, row, strict=True))))
    except csv.Error as error:
        raise InputError(f"line {reader.line_num}: {error}", path) from None
    return header, records


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the header and the first row into
    the same number of columns, most columns first, a comma on a tie. ("Notes (late;
    resubmitted)" in a comma header has more semicolons than the header has commas.)"""
    lines = [line for line in text.splitlines() if line.strip()][:2]

    def fit(delimiter: str) -> tuple[bool, int]:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            return (False, 0)
        if not counts:
            return (False, 0)
        return (len(set(counts)) == 1 and counts[0] > 1, counts[0])

    return max(",;\t", key=fit)  # max keeps the first of equals: the comma


def header_found(header: Sequence[str], shown: int = 6, width: int = 30) -> str:
    """The header's columns for an error message, kept short: a wrong file (a model's
    JSON passed as the scores) must not become a megabyte-long "one line"."""
    cells = [h if len(h) <= width else h[: width - 1] + "…" for h in header[:shown]]
    more = f" and {len(header) - shown} more" if len(header) > shown else ""
    return ", ".join(cells) + more if cells else "nothing"
