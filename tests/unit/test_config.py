"""Configuration files: discovery, strict validation, per-path overrides, path resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from essaycoach.config import Thresholds, discover_config, find_config, glob_match, load_config
from essaycoach.errors import ConfigError
from essaycoach.settings import Settings

FULL = """
rubric = "literary-analysis"
exemplar = "refs/exemplar.txt"
grammar = "harper"
languagetool_url = "http://localhost:8081"
accept_words = ["Ishiguro", "Hailsham"]
word_list = "words.txt"
min_words = 80
format = "sarif"
fail_under = 60
fail_on = "error"

[[overrides]]
paths = ["drafts/**"]
fail_under = 0
grammar = "off"

[[overrides]]
paths = ["*.md"]
rubric = "rubrics/custom.toml"
accept_words = ["Tommy"]
fail_on = "warning"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_full(folder: Path) -> Path:
    """FULL and the files it names (their contents are not read by Config.settings)."""
    write(folder / "words.txt", "# names\nKathy\n\nMadame\n")
    write(folder / "refs" / "exemplar.txt", "An exemplar.\n")
    write(folder / "rubrics" / "custom.toml", 'id = "custom"\n')
    return write(folder / "essaycoach.toml", FULL)


def test_full_config_loads_and_resolves_paths_relative_to_the_file(tmp_path: Path) -> None:
    config = load_config(write_full(tmp_path))
    assert config.format == "sarif"
    settings = config.settings()
    assert settings == Settings(
        rubric="literary-analysis",
        exemplar=str(tmp_path / "refs/exemplar.txt"),
        grammar="harper",
        languagetool_url="http://localhost:8081",
        accept_words=("Kathy", "Madame", "Ishiguro", "Hailsham"),
        min_words=80,
    )
    assert config.thresholds() == Thresholds(60, "error")


@pytest.mark.parametrize(
    ("essay", "grammar", "rubric_suffix", "thresholds", "extra_word"),
    [
        ("essays/a.txt", "harper", "literary-analysis", Thresholds(60, "error"), None),
        ("drafts/week1/a.txt", "off", "literary-analysis", Thresholds(0, "error"), None),
        ("essays/b.md", "harper", "rubrics/custom.toml", Thresholds(60, "warning"), "Tommy"),
        ("drafts/c.md", "off", "rubrics/custom.toml", Thresholds(0, "warning"), "Tommy"),
    ],
)
def test_overrides_apply_in_file_order_to_matching_paths(
    tmp_path: Path, monkeypatch, essay, grammar, rubric_suffix, thresholds, extra_word
) -> None:
    write_full(tmp_path)
    monkeypatch.chdir(tmp_path)
    config = discover_config()
    assert config is not None
    settings = config.settings(essay)
    assert settings.grammar == grammar
    assert settings.rubric.endswith(rubric_suffix)
    assert config.thresholds(essay) == thresholds
    assert (extra_word in settings.accept_words) == (extra_word is not None)


def test_discovery_walks_up_and_prefers_essaycoach_toml(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) is None or not str(find_config(deep)).startswith(str(tmp_path))
    write(tmp_path / "pyproject.toml", '[tool.essaycoach]\ngrammar = "off"\n')
    assert find_config(deep) == tmp_path / "pyproject.toml"
    write(tmp_path / "a" / "pyproject.toml", '[project]\nname = "x"\n')  # no tool table: skipped
    assert find_config(deep) == tmp_path / "pyproject.toml"
    write(tmp_path / "a" / "essaycoach.toml", 'grammar = "harper"\n')
    assert find_config(deep) == tmp_path / "a" / "essaycoach.toml"
    write(tmp_path / "a" / "b" / "pyproject.toml", '[tool.essaycoach]\nfail_on = "error"\n')
    found = find_config(deep)
    assert found == tmp_path / "a" / "b" / "pyproject.toml"
    assert load_config(found).fail_on == "error"


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ('colour = "red"\n', "colour", "unknown key"),
        ("fail_under = 'high'\n", "fail_under", "expected a number"),
        ("fail_under = 120\n", None, "between 0 and 100"),
        ('fail_on = "info"\n', None, "fail_on must be one of error, warning"),
        ('grammar = "grammarly"\n', None, "grammar must be one of"),
        ('format = "pdf"\n', None, "format must be one of"),
        ('accept_words = "Kathy"\n', "accept_words", "expected an array"),
        ("min_words = 0\n", None, "min_words must be at least 1"),
        ('languagetool_url = "ftp://x"\n', None, "languagetool_url must be an http:// or"),
        ('languagetool_url = "localhost:8081"\n', None, "not 'localhost:8081'"),
        ('languagetool_url = "http://"\n', None, "languagetool_url must be"),
        ('languagetool_url = "http://host:99999"\n', None, "languagetool_url must be"),
        ('languagetool_url = ""\n', None, "languagetool_url must be"),
        ('exemplar = ""\n', None, "exemplar is empty"),
        ('word_list = " "\n', None, "word_list is empty"),
        ('rubric = ""\n', None, "rubric is empty"),
        ('[[overrides]]\npaths = ["*.md"]\nexemplar = ""\n', "overrides[0]", "exemplar is empty"),
        (
            '[[overrides]]\npaths = ["*.md"]\nlanguagetool_url = "x"\n',
            "overrides[0].languagetool_url",
            "unknown key",
        ),
        ("[[overrides]]\npaths = []\n", "overrides[0]", "at least one glob"),
        ('[[overrides]]\npaths = ["[z-a]"]\n', "overrides[0]", "invalid glob pattern '[z-a]'"),
        ('[[overrides]]\nfail_on = "error"\n', "overrides[0].paths", "missing required key"),
        ("grammar = \n", None, "invalid TOML"),
    ],
)
def test_invalid_config_is_an_error_naming_file_and_key(
    tmp_path: Path, text: str, key: str | None, message: str
) -> None:
    path = write(tmp_path / "essaycoach.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = str(caught.value)
    assert "\n" not in error
    assert error.startswith(str(path))
    assert message in error
    if key:
        assert f": {key}: " in error


def test_pyproject_errors_name_the_tool_table_key(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.essaycoach]\nfail_unde = 3\n")
    with pytest.raises(
        ConfigError, match=r"pyproject.toml: tool.essaycoach.fail_unde: unknown key"
    ):
        load_config(path)


def test_missing_word_list_is_a_config_error(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "essaycoach.toml", 'word_list = "nope.txt"\n'))
    with pytest.raises(ConfigError, match=r"essaycoach.toml: word_list: word_list file not found"):
        config.settings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'rubric = "literary-analyses"\n',
            "{config}: rubric: 'literary-analyses': unknown rubric (bundled rubrics: "
            "literary-analysis)",
        ),
        (
            'rubric = "rubrics/mine.toml"\n',
            "{config}: rubric: rubric file not found: {dir}/rubrics/mine.toml",
        ),
        (
            'exemplar = "exemplar.md"\n',
            "{config}: exemplar: exemplar file not found: {dir}/exemplar.md",
        ),
        (
            '[[overrides]]\npaths = ["*.txt"]\n\n[[overrides]]\npaths = ["*.md"]\n'
            'exemplar = "gone.md"\n',
            "{config}: overrides[1].exemplar: exemplar file not found: {dir}/gone.md",
        ),
        ('rubric = "./"\n', "{config}: rubric: rubric is a folder, not a TOML file: {dir}"),
        # QA: a folder was "exemplar file not found"
        ('exemplar = "./"\n', "{config}: exemplar: exemplar is a folder, not an essay file: {dir}"),
        # QA: an override no essay matches yet was checked only when one arrived
        (
            '[[overrides]]\npaths = ["gatsby/*.md"]\nrubric = "literary-analyses"\n',
            "{config}: overrides[0].rubric: 'literary-analyses': unknown rubric (bundled "
            "rubrics: literary-analysis)",
        ),
        # QA: "a.md: invalid TOML" named neither the configuration nor its key
        (
            'rubric = "essaycoach.toml"\n[[overrides]]\npaths = ["x"]\nrubric = "essay.md"\n',
            "{config}: overrides[0].rubric: rubric is an essay file, not a TOML rubric: "
            "{dir}/essay.md",
        ),
    ],
    ids=[
        "unknown-rubric-name",
        "missing-rubric-file",
        "missing-exemplar",
        "override",
        "folder",
        "exemplar-folder",
        "unmatched-override",
        "essay-as-rubric",
    ],
)
def test_a_rubric_or_exemplar_that_does_not_exist_names_the_config_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    config_path = write(tmp_path / "essaycoach.toml", text)
    write(tmp_path / "essay.md", "Kathy remembers Hailsham.\n")
    config = load_config(config_path)
    with pytest.raises(ConfigError) as caught:
        config.settings("essay.md")
    assert str(caught.value) == message.format(config=config_path, dir=tmp_path)


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('exemplar = "gone.md"\n', "exemplar"),
        (
            '[[tool.essaycoach.overrides]]\npaths = ["*.md"]\nexemplar = "gone.md"\n',
            "overrides[0].exemplar",
        ),
        ('rubric = "gone.toml"\n', "rubric"),
        ('word_list = "gone.txt"\n', "word_list"),
    ],
    ids=["exemplar", "override", "rubric", "word-list"],
)
def test_errors_in_a_pyproject_name_the_key_under_its_table(
    tmp_path: Path, table: str, key: str
) -> None:
    """QA: these keys lost the `tool.essaycoach.` prefix the loader's own errors give."""
    config_path = write(tmp_path / "pyproject.toml", "[tool.essaycoach]\n" + table)
    with pytest.raises(ConfigError) as caught:
        load_config(config_path).settings("essay.md")
    assert str(caught.value).startswith(f"{config_path}: tool.essaycoach.{key}: ")


def test_a_bare_rubric_name_is_a_file_beside_the_config_not_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_path = write(tmp_path / "essaycoach.toml", 'rubric = "myrub"\n')
    write(tmp_path / "myrub", 'id = "mine"\n')
    elsewhere = tmp_path / "sub"
    write(elsewhere / "myrub", 'id = "the wrong one"\n')
    monkeypatch.chdir(elsewhere)
    assert load_config(config_path).settings("essay.md").rubric == str(tmp_path / "myrub")


def test_a_bare_rubric_name_never_finds_a_file_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_path = write(tmp_path / "cfg" / "essaycoach.toml", 'rubric = "myrub"\n')
    write(tmp_path / "myrub", 'id = "not beside the config"\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=r"rubric: 'myrub': unknown rubric"):
        load_config(config_path).settings("essay.md")


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.md", "essay.md", True),
        ("*.md", "deep/er/essay.md", True),  # no slash: any depth
        ("*.md", "essay.txt", False),
        ("drafts/*.md", "drafts/a.md", True),
        ("drafts/*.md", "drafts/x/a.md", False),  # * stays within a folder
        ("drafts/**", "drafts/x/y/a.md", True),
        ("drafts/**/*.md", "drafts/a.md", True),
        ("./drafts/?.md", "drafts/a.md", True),
        ("drafts/?.md", "drafts/ab.md", False),
        ("class-[ab]/*.txt", "class-b/x.txt", True),
        ("class-[!ab]/*.txt", "class-b/x.txt", False),
        ("essays/final.md", "essays/final.md", True),
        ("essays/final.md", "other/essays/final.md", False),
    ],
)
def test_glob_match(pattern: str, path: str, matches: bool) -> None:
    assert glob_match(pattern, path) is matches


def test_config_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "essaycoach.toml"
    path.write_bytes(b"\xef\xbb\xbf" + b'fail_on = "error"\n')
    assert load_config(path).fail_on == "error"


def test_a_rubric_or_exemplar_the_command_line_replaces_is_not_checked(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path / "essaycoach.toml", 'rubric = "gone.toml"\nexemplar = "gone.md"\n')
    )
    settings = config.settings("essay.md", skip=("rubric", "exemplar"))
    assert (settings.rubric, settings.exemplar) == (Settings().rubric, Settings().exemplar)
    with pytest.raises(ConfigError, match=r"exemplar: exemplar file not found"):
        config.settings("essay.md", skip=("rubric",))


def test_a_word_list_saved_with_a_byte_order_mark_keeps_its_first_word(tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_bytes(b"\xef\xbb\xbflittluns\r\nHailsham\r\n")
    config = load_config(write(tmp_path / "essaycoach.toml", 'word_list = "words.txt"\n'))
    assert config.settings().accept_words == ("littluns", "Hailsham")


def test_a_word_list_in_latin1_is_read_and_another_encoding_names_the_key(
    tmp_path: Path,
) -> None:
    """QA: the configuration's word_list read only UTF-8 (Python's codec error), while
    --accept-words read what essays read; both use word_lists.read_word_list."""
    (tmp_path / "words.txt").write_bytes("Hailsham\ncafé\n".encode("latin-1"))
    config = load_config(write(tmp_path / "essaycoach.toml", 'word_list = "words.txt"\n'))
    assert config.settings().accept_words == ("Hailsham", "café")
    (tmp_path / "words.txt").write_bytes("ヘールシャム\n学校\n".encode("shift_jis"))
    with pytest.raises(ConfigError, match=r"essaycoach.toml: word_list: .*words.txt: cannot"):
        config.settings()


def test_a_folder_named_like_a_bundled_rubric_does_not_hide_it(tmp_path: Path) -> None:
    """Essays kept in a folder called literary-analysis/ beside the configuration."""
    config_path = write(tmp_path / "essaycoach.toml", 'rubric = "literary-analysis"\n')
    (tmp_path / "literary-analysis").mkdir()
    assert load_config(config_path).settings("essay.md").rubric == "literary-analysis"


def _owned_by_someone_else(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `path` another (non-root) user's, as the owner check sees it."""
    import os

    if os.getuid() == 0:
        os.chown(path, 65534, -1)  # nobody
    else:  # the file is ours, and this process's uid another's
        monkeypatch.setattr(os, "getuid", lambda: path.stat().st_uid + 1)


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ('languagetool_url = "http://127.0.0.1:18997"\n', True),
        ('grammar = "harper"\nmin_words = 60\n', False),  # nothing about where essays go
    ],
)
def test_a_found_config_of_another_user_may_not_choose_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, refused: bool
) -> None:
    """QA: an essaycoach.toml planted in a shared folder above the essays sent them to
    its owner's server without a word."""
    config = tmp_path / "essaycoach.toml"
    config.write_text(text, encoding="utf-8")
    essays = tmp_path / "class7"
    essays.mkdir()
    _owned_by_someone_else(config, monkeypatch)
    found = discover_config(essays)
    assert found is not None
    if refused:
        assert found.languagetool_url is None
        assert found.ignored_url_owner is not None
        # given with --config, it is the user's choice
        assert load_config(config).languagetool_url == "http://127.0.0.1:18997"
    else:
        assert found.grammar == "harper" and found.ignored_url_owner is None


def test_a_found_config_of_ones_own_may_choose_the_server(tmp_path: Path) -> None:
    config = tmp_path / "essaycoach.toml"
    config.write_text('languagetool_url = "http://127.0.0.1:18997"\n', encoding="utf-8")
    found = discover_config(tmp_path)
    assert found is not None and found.languagetool_url == "http://127.0.0.1:18997"


def test_check_warns_that_another_users_server_url_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from essaycoach.cli import main

    config = tmp_path / "essaycoach.toml"
    config.write_text('languagetool_url = "http://127.0.0.1:18997"\n', encoding="utf-8")
    _owned_by_someone_else(config, monkeypatch)
    essay = tmp_path / "essay.txt"
    essay.write_text(" ".join(["Kathy remembers Hailsham and her friends."] * 10), "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--grammar", "off", str(essay)])
    assert result.exit_code == 0, result.output
    assert f"essaycoach: warning: {config}: languagetool_url ignored" in result.stderr
