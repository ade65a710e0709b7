"""essaycoach's data folder ($ESSAYCOACH_HOME) cannot be created or written (a read-only
home in a CI container, a path through a file): the warm Harper server is skipped with
one line on stderr, and what truly needs the folder (LanguageTool) fails with one line,
exit 2, naming the folder and ESSAYCOACH_HOME."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.processes import run_essaycoach
from tests.integration.permissions import held_to_permissions

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.name != "posix", reason="POSIX file permissions"),
]

REPO = Path(__file__).resolve().parents[2]
ESSAY = REPO / "examples" / "grammar-errors.txt"
FIX = "set ESSAYCOACH_HOME to a writable folder"


def run(*args: str | Path, env: dict[str, str], prefix: tuple[str, ...] = ()):
    return run_essaycoach(*args, env=env, prefix=prefix, timeout=120)


def environment(**values: str) -> dict[str, str]:
    """os.environ without the variables that move the data folder or name a server."""
    moved = ("ESSAYCOACH_HOME", "XDG_DATA_HOME", "ESSAYCOACH_LANGUAGETOOL_DIR",
             "ESSAYCOACH_LANGUAGETOOL_URL")  # fmt: skip
    return {**{k: v for k, v in os.environ.items() if k not in moved}, **values}


def issues(stdout: str) -> list[tuple[int, int, str]]:
    return [(i["start"], i["end"], i["rule"]) for i in json.loads(stdout)["grammar"]["issues"]]


@pytest.fixture
def short_folder() -> Iterator[Path]:
    """A folder with a short path, so the Harper socket path under it would fit."""
    folder = Path(tempfile.mkdtemp(prefix="ec-"))
    yield folder
    shutil.rmtree(folder)


@pytest.fixture
def home_through_a_file(short_folder: Path) -> Path:
    blocker = short_folder / "a-file"
    blocker.write_text("not a folder\n")
    return blocker


def test_check_lints_in_process_when_the_data_folder_is_a_file(home_through_a_file):
    env = environment(ESSAYCOACH_HOME=str(home_through_a_file), ESSAYCOACH_HARPER_SERVER="1")
    result = run("check", ESSAY, "--grammar", "harper", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"essaycoach: Harper server unavailable ({home_through_a_file / 'harper-run'}: cannot "
        f"use essaycoach's data folder ({home_through_a_file} is not a folder); {FIX}); "
        "Harper ran in-process."
    ]
    in_process = run("check", ESSAY, "--grammar", "harper", "--format", "json",
                     "--no-harper-server", env=env)  # fmt: skip
    assert in_process.returncode == 0 and in_process.stderr == "", in_process.stderr
    assert issues(result.stdout) == issues(in_process.stdout)
    # the engine asked for ran: the report is the same, with no notice (QA, CI user: it
    # held the stderr line, a path of this machine, so reports differed by machine)
    assert result.stdout == in_process.stdout


def test_the_fallback_is_said_once_for_essays_with_different_settings(
    home_through_a_file, tmp_path: Path
):
    """QA: each group of essays with its own settings opens its own Harper, and each
    printed "Harper server unavailable" again."""
    (tmp_path / "essaycoach.toml").write_text(
        'grammar = "harper"\n\n[[overrides]]\npaths = ["drafts/**"]\naccept_words = ["Hailsham"]\n',
        encoding="utf-8",
    )
    (tmp_path / "drafts").mkdir()
    for name in ("a.txt", "drafts/b.txt"):
        shutil.copy(ESSAY, tmp_path / name)
    env = environment(ESSAYCOACH_HOME=str(home_through_a_file), ESSAYCOACH_HARPER_SERVER="1")
    result = run_essaycoach("check", "a.txt", "drafts/b.txt", "--format", "json", env=env,
                            cwd=tmp_path, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "unavailable" in line] == [
        f"essaycoach: Harper server unavailable ({home_through_a_file / 'harper-run'}: cannot "
        f"use essaycoach's data folder ({home_through_a_file} is not a folder); {FIX}); "
        "Harper ran in-process."
    ]


def test_the_library_prints_nothing_when_the_harper_server_is_unavailable(
    home_through_a_file,
):
    """QA re-check: once the fallback was logged, not a report notice, Python's
    last-resort handler printed it on a library user's stderr (no NullHandler)."""
    import subprocess
    import sys

    env = environment(ESSAYCOACH_HOME=str(home_through_a_file), ESSAYCOACH_HARPER_SERVER="1")
    code = (
        "import sys, essaycoach\n"
        "report = essaycoach.check(sys.argv[1], grammar='harper', harper_server=True)\n"
        "print(report.grammar.engine, report.grammar.notice == '')\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(ESSAY)], env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert (result.returncode, result.stdout, result.stderr) == (0, "harper True\n", "")


def test_check_lints_in_process_under_a_read_only_home(tmp_path: Path, short_folder: Path):
    prefix = tuple(held_to_permissions(tmp_path))
    home = short_folder / "home"
    home.mkdir(mode=0o555)
    env = environment(HOME=str(home), ESSAYCOACH_HARPER_SERVER="1")
    result = run("check", ESSAY, "--grammar", "harper", env=env, prefix=prefix)
    assert result.returncode == 0, result.stderr
    folder = home / ".local" / "share" / "essaycoach" / "harper-run"
    assert result.stderr.splitlines() == [
        f"essaycoach: Harper server unavailable ({folder}: cannot use essaycoach's data "
        f"folder (Permission denied: {home / '.local'}); {FIX}); Harper ran in-process."
    ]
    assert "SpellCheck" in result.stdout


def _installed_languagetool(folder: Path) -> Path:
    """An install marker only: the run must stop before it starts java."""
    folder.mkdir()
    marker = {"version": "6.8", "method": "maven", "classpath": "lib/*"}
    (folder / "installed.json").write_text(json.dumps(marker), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("languagetool", "start"), ""),
        (
            ("check", ESSAY, "--grammar", "languagetool"),
            "--grammar languagetool needs LanguageTool: ",
        ),
    ],
    ids=["start", "check"],
)
def test_the_languagetool_server_needs_a_writable_data_folder(
    home_through_a_file, tmp_path, args, says
):
    installed = _installed_languagetool(tmp_path / "languagetool")
    env = environment(
        ESSAYCOACH_HOME=str(home_through_a_file), ESSAYCOACH_LANGUAGETOOL_DIR=str(installed)
    )
    result = run(*args, env=env)
    assert_refused_naming(
        result, says, home_through_a_file / "languagetool-run", home_through_a_file
    )


def assert_refused_naming(result, says: str, folder: Path, blocker: Path) -> None:
    """Exit 2 and one line: what needed the folder, the folder, what blocks it, the fix."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        f"essaycoach: error: {says}{folder}: cannot use essaycoach's data folder "
        f"({blocker} is not a folder); {FIX}"
    )


def test_languagetool_install_needs_a_writable_data_folder(home_through_a_file):
    env = environment(ESSAYCOACH_HOME=str(home_through_a_file))
    # download: the method that needs no mvn; the folder is refused before any download
    result = run("languagetool", "install", "--method", "download", env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"essaycoach: error: {home_through_a_file}: cannot use essaycoach's data folder "
        f"({home_through_a_file} is not a folder); {FIX}"
    ]


@pytest.mark.parametrize("grammar", ["languagetool", "both"])
def test_languagetool_not_found_because_the_data_folder_is_a_file_says_so(
    home_through_a_file, grammar
):
    """QA: with ESSAYCOACH_HOME naming a file (so no LanguageTool under it), the line said
    only "LanguageTool is not installed", not what docs/languagetool.md promises."""
    result = run(
        "check",
        ESSAY,
        "--grammar",
        grammar,
        env=environment(ESSAYCOACH_HOME=str(home_through_a_file)),
    )
    says = f"--grammar {grammar} needs LanguageTool: "
    assert_refused_naming(result, says, home_through_a_file, home_through_a_file)
