"""docs/essay-model.md gives the messages load_essay refuses files with, word for word."""

from __future__ import annotations

from pathlib import Path

import pytest

from essaycoach.errors import InputError
from essaycoach.essay import load_essay

DOC = (Path(__file__).resolve().parents[2] / "docs" / "essay-model.md").read_text(encoding="utf-8")


def _write(path: Path, data: bytes = b"", size: int = 0) -> Path:
    with path.open("wb") as handle:
        handle.write(data)
        if size:
            handle.truncate(size)  # sparse: nothing is written
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "nope.txt", "no such file"),
        (lambda tmp: tmp, "is a directory, not an essay file (use `essaycoach grade` for folders)"),
        (
            lambda tmp: _write(tmp / "cover.png", b"\x89PNG"),
            "unsupported file type '.png' (use .txt, .text, .md, .markdown, .docx, .odt, .pdf, "
            ".rtf, .html, .htm)",
        ),
        (
            lambda tmp: _write(tmp / "essay.doc", b"\xd0\xcf"),
            "old Word .doc format is not supported; save it as .docx",
        ),
        (
            lambda tmp: _write(tmp / "essay.txt", size=5_000_000),
            "file is 5.0 MB; essays over 2 MB are refused",
        ),
        (
            lambda tmp: _write(tmp / "essay.docx", size=60_000_000),
            "file is 60 MB; submissions over 50 MB are refused",
        ),
        (lambda tmp: _write(tmp / "essay.txt", b" \n\t\n"), "file is empty (no text to check)"),
        (lambda tmp: _write(tmp / "essay.docx"), "file is empty (no text)"),
    ],
    ids=[
        *("missing", "directory", "suffix", "doc"),
        *("text-size", "document-size", "empty", "empty-doc"),
    ],
)
def test_the_documented_message_is_the_one_given(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(InputError) as caught:
        load_essay(make(tmp_path))
    assert caught.value.message == message
    assert message in DOC


def test_check_file_reads_a_docx_as_documented(tmp_path: Path) -> None:
    from essaycoach import Pipeline, Settings
    from tests.fixtures.office import docx_bytes

    path = _write(tmp_path / "essay.docx", docx_bytes())
    with Pipeline(Settings(grammar="off")) as pipeline:
        report = pipeline.check_file(path)
    assert report.essay.text == "Kathy remembers Hailsham.\n\nIn the end, she drives on.\n"
    assert "`load_essay(path)` (every supported format)" in DOC
