"""LanguageTool engine helpers that need no server: UTF-16 offsets, categories, Java detection."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from essaycoach.errors import EngineError
from essaycoach.grammar import lt_install
from essaycoach.grammar.languagetool import _Utf16Offsets, normalise_category


@pytest.mark.parametrize(
    ("text", "python_index"),
    [
        ("plain ascii text", 6),
        ("curly “quotes” and — dashes", 20),
        ("emoji 😀 before", 9),
        ("two 😀🎉 emoji then words", 12),
        ("😀", 1),
    ],
)
def test_utf16_round_trip(text: str, python_index: int) -> None:
    offsets = _Utf16Offsets(text)
    units = offsets.to_utf16(python_index)
    assert units == len(text[:python_index].encode("utf-16-le")) // 2
    assert offsets.to_python(units) == python_index


def test_utf16_length_of_a_span_with_an_emoji() -> None:
    text = "a 😀b c"
    offsets = _Utf16Offsets(text)
    start = 2  # the emoji
    end = offsets.to_python(offsets.to_utf16(start) + 3)  # LanguageTool length: 😀 is 2 units
    assert text[start:end] == "😀b"


@pytest.mark.parametrize(
    ("category", "issue_type", "rule", "expected"),
    [
        ("TYPOS", "misspelling", "MORFOLOGIK_RULE_EN_US", "spelling"),
        ("TYPOS", "misspelling", "MODAL_OF", "grammar"),
        ("GRAMMAR", "grammar", "HE_VERB_AGR", "grammar"),
        ("CONFUSED_WORDS", "misspelling", "THEIR_IS", "grammar"),
        ("PUNCTUATION", "typographical", "COMMA_PARENTHESIS_WHITESPACE", "punctuation"),
        ("TYPOGRAPHY", "whitespace", "WHITESPACE_RULE", "typography"),
        ("REDUNDANCY", "style", "ALL_OF_THE", "style"),
        ("SOMETHING_NEW", "whitespace", "X", "typography"),
        ("SOMETHING_NEW", "", "X", "grammar"),
        ("CASING", "typographical", "UPPERCASE_SENTENCE_START", "capitalization"),
    ],
)
def test_categories_are_normalised(
    category: str, issue_type: str, rule: str, expected: str
) -> None:
    assert normalise_category(category, issue_type, rule) == expected


def _fake_java(directory: Path, version_line: str) -> str:
    """A stand-in `java` printing what a real JDK prints for -version (to stderr)."""
    path = directory / "java"
    path.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


@pytest.mark.parametrize(
    ("version_line", "major"),
    [
        ('java version "1.8.0_392"', 8),
        ('openjdk version "11.0.21" 2023-10-17', 11),
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "25" 2025-09-16', 25),
    ],
)
def test_java_major_parses_real_version_lines(
    tmp_path: Path, version_line: str, major: int
) -> None:
    assert lt_install.java_major(_fake_java(tmp_path, version_line)) == major


def test_too_old_java_is_a_clear_error(tmp_path: Path) -> None:
    old = _fake_java(tmp_path, 'openjdk version "11.0.21" 2023-10-17')
    with pytest.raises(EngineError, match=r"needs Java 17 or newer, found only: .* is Java 11"):
        lt_install.find_java([old])


def test_missing_java_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="no java was found"):
        lt_install.find_java([str(tmp_path / "nowhere" / "java")])


def test_a_newer_java_is_taken_after_a_too_old_one(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old = _fake_java(tmp_path / "old", 'java version "1.8.0_392"')
    new = _fake_java(tmp_path / "new", 'openjdk version "17.0.15" 2025-04-15')
    assert lt_install.find_java([old, new]) == lt_install.Java(new, 17)


def test_install_dir_follows_essaycoach_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_DIR", raising=False)
    monkeypatch.setenv("ESSAYCOACH_HOME", str(tmp_path))
    assert lt_install.install_dir() == tmp_path / f"languagetool-{lt_install.LANGUAGETOOL_VERSION}"
    assert lt_install.find_installation() is None


def test_unknown_install_method_is_rejected() -> None:
    with pytest.raises(EngineError, match="unknown install method"):
        lt_install.install(method="ftp")
