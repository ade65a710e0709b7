"""Reading a small CSV table (a roster, a scores file) with errors that name the line."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from essaycoach.errors import InputError
from essaycoach.wording import plural


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]]  # (line, {column: cell}), blank rows left out
    delimiter: str  # ",", ";" or a tab: says how a number's "," and "." read
    header_line: int = 1  # 2 under Excel's "sep=;" line


def read_table(path: Path, what: str) -> Table:
    """`parse_table` on a file, decoded as essays are: a spreadsheet's "CSV" may be
    UTF-8 with or without a BOM, UTF-16 ("Unicode text") or Windows-1252."""
    from essaycoach.decoding import decode_bytes

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        file = what if what.endswith(" file") else f"{what} file"
        raise InputError(f"no such {file}", path) from None
    except OSError as error:
        raise InputError(f"cannot read {what}: {error.strerror or error}", path) from None
    for magic, kind in _NOT_CSV:
        if data.startswith(magic):
            raise InputError(
                f"{kind}, not a CSV file: save the {what} as CSV (in Excel or LibreOffice: "
                "Save As, CSV UTF-8)",
                path,
            )
    return parse_table(decode_bytes(data, str(path)), path, what)


# files a teacher may give for a CSV table, whose text the essay decoder would misjudge
_NOT_CSV = (
    (b"PK\x03\x04", "a spreadsheet or document (.xlsx, .ods, .docx: a zip file)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls, .doc)"),
    (b"%PDF-", "a PDF"),
)
# Excel's first line naming the separator ("sep=;"), which it reads and some exports write
# (quoted, or followed by more separators, when a spreadsheet saved it again as a row)
_SEPARATOR_LINE_RE = re.compile(r'\A\ufeff?"?sep=([,;\t])"?[,;\t]*[ \t]*\r?\n', re.I)


def parse_table(text: str, path: Path, what: str) -> Table:
    """The header (stripped, lower case, "Student ID" read as student_id) and the
    non-blank rows as (line, {column: cell}).

    The separator is comma, semicolon or tab (Excel in locales with a decimal comma
    writes semicolons, its "Unicode text" tabs), chosen by `_delimiter`, or named by
    a first line "sep=;" as Excel reads it.
    A row whose field count differs from the header's is an InputError naming
    the file and line: cells shifted by a stray comma must not be read silently.
    """
    separator = _SEPARATOR_LINE_RE.match(text)
    skipped = 1 if separator else 0
    delimiter = separator.group(1) if separator else _delimiter(text)
    if separator:
        text = text[separator.end() :]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = tuple(re.sub(r"[\s-]+", "_", h.strip().lower()) for h in next(reader))
    except StopIteration:
        raise InputError(f"line {1 + skipped}: the {what} is empty (need a header)", path) from None
    except csv.Error as error:
        raise InputError(f"line {1 + skipped}: {error}", path) from None
    records = []
    try:
        start = reader.line_num + 1
        for row in reader:
            # a row's line is where it starts: a quoted cell may span lines
            line, start = start + skipped, reader.line_num + 1
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
        raise InputError(f"line {reader.line_num + skipped}: {error}", path) from None
    return Table(header, records, delimiter, 1 + skipped)


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


def parse_number(text: str, delimiter: str) -> float:
    """A cell read as a number, as a spreadsheet in any language may write it into a
    file separated by `delimiter`: "1,5" and "1.5" are 1.5, "1.000,5" and "1,000.5"
    are 1000.5. ValueError saying what is wrong ("is not a number") otherwise.

    A ";" file is written where the decimal mark is a comma, so there a comma never
    groups thousands ("1,000" is 1); in a "," file a cell without a comma (one that
    needed no quotes) has a decimal point ("1.000" is 1). What can still be read both
    ways ("1.000" in a ";" or tab file, a quoted "1,000" in a "," file) is refused.
    """
    text = text.strip()
    if _NON_FINITE.fullmatch(text):
        return float(text)
    values = sorted(set(_readings(text, delimiter)))
    if not values:
        raise ValueError("is not a number")
    if len(values) > 1:
        low, high = values
        mark = "," if "," in text else "."
        raise ValueError(
            f"could be {low:g} or {high:g} (is {mark!r} a decimal mark or a thousands "
            f"separator?): write {low:g} or {high:g}"
        )
    return values[0]


_NON_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.I)


def _readings(text: str, delimiter: str) -> Iterator[float]:
    """The values `text` has with a decimal point and with a decimal comma (the other
    mark grouping thousands), those the file's separator allows."""
    for decimal, group in ((".", ","), (",", ".")):
        if delimiter == ";" and group == "," and "," in text:
            continue
        if delimiter == "," and group == "." and "," not in text:
            continue
        d, g = re.escape(decimal), re.escape(group)
        # ASCII digits only: float() also takes "2_0" (20) and other scripts' digits
        m = re.fullmatch(
            rf"([+-]?)([0-9]*|[1-9][0-9]{{0,2}}(?:{g}[0-9]{{3}})+)(?:{d}([0-9]*))?"
            r"([eE][+-]?[0-9]+)?",
            text,
        )
        if m and (m[2] or m[3]):
            yield float(f"{m[1]}{m[2].replace(group, '')}.{m[3] or ''}{m[4] or ''}")
