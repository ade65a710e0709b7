"""A zip's directory is judged from its end record before zipfile opens the archive."""

from __future__ import annotations

import io
import zipfile

import pytest

from essaycoach import zip_safety
from essaycoach.zip_safety import directory_problem


def _zip(entries: int, comment: bytes = b"") -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for i in range(entries):
            zf.writestr(f"e{i}.txt", b"")
        zf.comment = comment
    return buffer


@pytest.mark.parametrize("comment", [b"", b"exported by the LMS " * 100])
def test_the_entry_count_is_read_from_the_end_record(comment: bytes) -> None:
    archive = _zip(30, comment)
    assert directory_problem(archive, max_members=30) == ""
    assert directory_problem(archive, max_members=29) == (
        "zip has 30 entries; more than 29 are refused"
    )


def test_a_zip64_end_record_is_read() -> None:
    """Over 65,535 entries the count is in the zip64 end record (the plain one says 0xFFFF)."""
    archive = _zip(65_536)
    assert directory_problem(archive, max_members=65_536) == ""
    assert directory_problem(archive, max_members=65_535) == (
        "zip has 65,536 entries; more than 65,535 are refused"
    )


def test_a_directory_too_large_to_read_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _zip(100)  # each entry's directory record: 46 bytes and its name
    monkeypatch.setattr(zip_safety, "MAX_DIRECTORY_BYTES", 1_000)
    size = sum(46 + len(info.filename) for info in zipfile.ZipFile(archive).infolist())
    assert directory_problem(archive) == (
        f"zip's directory takes {size:,} bytes; more than 1,000 are refused"
    )


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x05\x06 truncated"])
def test_no_end_record_is_left_to_zipfile(data: bytes) -> None:
    assert directory_problem(io.BytesIO(data)) == ""
