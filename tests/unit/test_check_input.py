"""essaycoach.check: which argument is an essay file and which is the essay's text."""

from __future__ import annotations

from pathlib import Path

import pytest

import essaycoach
from essaycoach.errors import InputError, SettingsError
from essaycoach.essay import load_essay

EXEMPLAR = Path(__file__).parents[2] / "examples" / "never-let-me-go.txt"
ONE_LINE_ESSAY = "Kathy remembers Hailsham as a place of art and of quiet rules. " * 5


def check(*args: object, **kwargs: object) -> essaycoach.Report:
    return essaycoach.check(*args, grammar="off", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    [
        "essay.md.bak",  # a mistyped name: one word, no essay extension
        "essay.mdd",
        "drafts/essay.txt",
        "My Essay.docx",  # spaces, but an essay file's extension
        "MY ESSAY.MD",
    ],
)
def test_a_str_naming_a_missing_file_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as info:
        check(name)
    assert str(info.value) == f"{name}: no such file"


def test_a_pattern_that_matched_nothing_says_so(tmp_path: Path) -> None:
    """QA: `check 'essays/*.txt'` (quoted in CI, or a pattern the shell left as it was
    because nothing matched) said only "no such file"."""
    pattern = tmp_path / "essays" / "*.txt"
    with pytest.raises(InputError) as info:
        load_essay(pattern)
    assert str(info.value) == (
        f"{pattern}: no such file (no file matches this pattern: essaycoach does not "
        "expand wildcards, the shell does)"
    )


def test_a_missing_absolute_path_is_an_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "strong-never-let-me-go.md.bak"
    with pytest.raises(InputError, match="no such file"):
        check(str(missing))


@pytest.mark.parametrize("as_path", [str, Path])
def test_a_folder_is_an_input_error(tmp_path: Path, as_path: type) -> None:
    with pytest.raises(InputError, match="is a directory, not an essay file"):
        check(as_path(tmp_path))


def test_a_str_naming_a_file_with_spaces_and_no_extension_is_read(tmp_path: Path) -> None:
    essay = tmp_path / "My Essay"
    essay.write_text(ONE_LINE_ESSAY, encoding="utf-8")
    report = check(str(essay))
    assert report.essay.source == str(essay)
    assert report.judged


def test_text_is_text_even_on_one_line() -> None:
    report = check(ONE_LINE_ESSAY)  # over 255 characters: is_file() raised "name too long"
    assert report.essay.source == "<text>"
    assert report.judged


def test_text_keyword_never_reads_a_file() -> None:
    report = check(text=str(EXEMPLAR))
    assert report.essay.source == "<text>"
    assert report.essay.text == str(EXEMPLAR)


def test_a_path_like_is_always_a_file() -> None:
    class EssayPath:
        def __fspath__(self) -> str:
            return str(EXEMPLAR)

    assert check(EssayPath()).essay.source == str(EXEMPLAR)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "check() takes one essay: text_or_path, or text="),
        (("essay.md",), {"text": "An essay."}, "check() takes one essay: text_or_path, or text="),
        ((b"An essay.",), {}, "check() takes the essay's text or a path, not bytes"),
    ],
)
def test_one_essay_of_a_known_type_is_required(
    args: tuple[object, ...], kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(TypeError) as info:
        check(*args, **kwargs)
    assert str(info.value) == message


@pytest.mark.parametrize("name", ["essay.txt\n", "essay.txt ", " essay.md"])
def test_a_file_name_with_white_space_around_it_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """QA: a name read with readline() was checked as a two-word essay, not judged."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / name.strip()).write_text(ONE_LINE_ESSAY, encoding="utf-8")
    with pytest.raises(InputError, match="white space around it"):
        check(name)


def test_an_unknown_setting_is_a_settings_error_naming_it() -> None:
    """QA: a misspelt keyword was a TypeError from dataclasses.replace."""
    with pytest.raises(SettingsError) as info:
        essaycoach.check(text=ONE_LINE_ESSAY, grammr="off")
    assert str(info.value) == "grammr: not a Settings field (a typo?)"


def test_settings_of_the_wrong_type_are_a_settings_error() -> None:
    """QA: a dict was an AttributeError deep in the pipeline."""
    with pytest.raises(SettingsError, match=r"must be an essaycoach\.Settings, not dict"):
        essaycoach.check(text=ONE_LINE_ESSAY, settings={"grammar": "off"})  # type: ignore[arg-type]


def test_the_package_is_typed_and_its_modules_are_attributes() -> None:
    """QA: no py.typed marker, and `essaycoach.errors` failed after a bare import."""
    import importlib.resources
    import subprocess
    import sys

    assert importlib.resources.files("essaycoach").joinpath("py.typed").is_file()
    script = (
        "import essaycoach\n"
        "print(essaycoach.errors.EssaycoachError.__name__, essaycoach.render.FORMATS[0])\n"
        "print({'check', 'Pipeline', 'errors'} <= set(dir(essaycoach)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, timeout=60)  # fmt: skip
    assert result.stdout.splitlines() == ["EssaycoachError text", "True"]


def test_source_names_a_text_essay_and_md_reads_it_as_markdown() -> None:
    """QA: every text= essay was `<text>` in SARIF and annotations, with no way to name it."""
    markdown = "# My title\n\n" + ONE_LINE_ESSAY
    plain = check(text=markdown, source="drafts/kathy.txt")
    as_markdown = check(text=markdown, source="drafts/kathy.md")
    assert plain.essay.source == "drafts/kathy.txt"
    assert as_markdown.essay.source == "drafts/kathy.md"
    assert as_markdown.essay.word_count < plain.essay.word_count  # the heading is masked


def test_source_renames_a_file_essay(tmp_path: Path) -> None:
    essay = tmp_path / "essay.txt"
    essay.write_text(ONE_LINE_ESSAY, encoding="utf-8")
    assert check(essay, source="period2/kathy.txt").essay.source == "period2/kathy.txt"


@pytest.mark.parametrize("source", ["", "  ", 5, "a\nb.md", " x.md "])
def test_a_bad_source_is_a_settings_error(source: object) -> None:
    with pytest.raises(SettingsError, match="source: must be a file name or path"):
        check(text=ONE_LINE_ESSAY, source=source)


def test_a_path_object_names_the_essay() -> None:
    report = check(text="# Title\n\n" + ONE_LINE_ESSAY, source=Path("drafts/kathy.md"))
    assert report.essay.source == "drafts/kathy.md"
    assert report.essay.headings  # read as Markdown


def test_the_library_s_data_errors_are_essaycoach_errors() -> None:
    """QA: the README promises EssaycoachError subclasses; these were bare ValueErrors
    (still ValueErrors, for callers that caught those)."""
    from essaycoach.calibrate import calibrate
    from essaycoach.errors import CalibrationError, EssaycoachError
    from essaycoach.render import get_renderer

    texts = [ONE_LINE_ESSAY] * 12
    for call in (
        lambda: calibrate(texts, [1.0] * 11),  # one score short
        lambda: calibrate(texts[:5], [1.0, 2.0] * 2 + [1.0]),  # too few essays
        lambda: calibrate(texts, [1.0] * 12),  # one score for every essay
        lambda: calibrate(texts, [1.0, 1.33] * 6),  # on no grid
    ):
        with pytest.raises(CalibrationError) as info:
            call()
        assert isinstance(info.value, EssaycoachError) and isinstance(info.value, ValueError)
    with pytest.raises(SettingsError, match="format: unknown format 'pdf'"):
        get_renderer("pdf")
