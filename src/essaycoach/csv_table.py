"""Reading a small CSV table (a roster, a scores file) with errors that name the line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from essaycoach.errors import InputError
from essaycoach.wording import plural


def parse_table(text: str, path: Path, what: str) -> tuple[tuple[str, ...], list[tuple[int, dict]]]:
    """The header (stripped, lower case) and the non-blank rows as (line, {column: cell}).

    A row whose field count differs from the header's is an InputError naming
    the file and line: cells shifted by a stray comma must not be read silently.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = tuple(h.strip().lower() for h in next(reader))
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
