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
            lambda tmp: _write(tmp / "essay.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
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
        (lambda tmp: _write(tmp / "essay.txt", b" \n\t\n"), "file is empty (no text)"),
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


JAPANESE = "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。\n" * 3
RUSSIAN = "Привет, мир. Это эссе о памяти и потере в романе.\n" * 3
GARBLE = "cannot decode text: not UTF-8, and as Windows-1252/Latin-1 it reads as garble"
READ = (
    "essaycoach reads UTF-8, UTF-16 and Windows-1252/Latin-1, not other encodings "
    "(Shift-JIS, GBK, Windows-1251...): save it as UTF-8"
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            JAPANESE.encode("shift_jis"),
            "cannot decode text: byte 0x81 at line 1 (byte 14) is neither UTF-8 nor "
            f"Windows-1252/Latin-1; {READ}",
        ),
        (
            JAPANESE.encode("euc_jp"),
            f"{GARBLE}; {READ}",
        ),
        (
            RUSSIAN.encode("cp1251"),
            f"{GARBLE}; {READ}",
        ),
    ],
    ids=["shift-jis", "euc-jp", "windows-1251"],
)
def test_another_encoding_is_named_as_such_not_otherwise_utf8(
    tmp_path: Path, data: bytes, message: str
) -> None:
    """QA: a Shift-JIS essay was refused as "invalid UTF-8 at line 1 (byte 0) in an
    otherwise UTF-8 file (mixed encodings?)", and a Windows-1251 one was read as
    Windows-1252 garble and graded as not English."""
    with pytest.raises(InputError) as caught:
        load_essay(_write(tmp_path / "essay.txt", data))
    assert caught.value.message == message
    assert message in DOC


def test_a_stray_byte_in_utf8_is_still_mixed_encodings_and_latin1_is_read(
    tmp_path: Path,
) -> None:
    mixed = "Kathy’s “memories” are fragments.\n".encode() * 3 + b"a stray \x92 byte\n"
    with pytest.raises(InputError, match="in an otherwise UTF-8 file"):
        load_essay(_write(tmp_path / "mixed.txt", mixed))
    french = "Les élèves ont écrit sur la mémoire et l’été à Hailsham, où tout change.\n"
    essay = load_essay(_write(tmp_path / "french.txt", french.encode("cp1252")))
    assert essay.text == french


def test_a_docx_on_standard_input_is_read_as_documented() -> None:
    """docs/essay-model.md said a .docx on standard input was refused ("a Word document,
    not plain text"); `check -` reads it, with or without --stdin-filename."""
    import json
    import subprocess
    import sys

    from tests.fixtures.office import docx_bytes

    for name in (("--stdin-filename", "x.docx"), ()):
        result = subprocess.run(
            [sys.executable, "-m", "essaycoach", "check", "-", *name, "--grammar", "off",
             "--no-config", "--format", "json"],
            input=docx_bytes(), capture_output=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["essay"]["words"] == 9
    assert "a .docx, .odt, .pdf or .rtf piped in is read as what\nits bytes are" in DOC
    assert "a Word document, not plain text" not in DOC
