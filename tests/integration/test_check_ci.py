"""`essaycoach check` as CI pipelines use it: gating, output files, standard output."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from essaycoach.cli import main
from essaycoach.errors import ExitCode
from tests.fixtures.office import docx_bytes
from tests.fixtures.processes import run_essaycoach

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
STRONG = REPO / "examples" / "strong-never-let-me-go.md"
SHORT_ESSAY = "Kathy remembers Hailsham. She was happy there, and then she was not.\n"


def check(*args: str | Path, cwd: Path) -> tuple[int, str, str]:
    result = run_essaycoach("check", *args, "--grammar", "off", "--no-config", cwd=cwd, timeout=120)
    return result.returncode, result.stdout, result.stderr


def test_an_essay_that_cannot_be_judged_fails_fail_on_as_junit_says(tmp_path: Path) -> None:
    (tmp_path / "short.txt").write_text(SHORT_ESSAY, encoding="utf-8")
    code, out, err = check("short.txt", "--fail-on", "error", "--format", "junit", cwd=tmp_path)
    assert 'type="not_judged"' in out
    assert code == 1, err
    assert err.splitlines() == [
        "essaycoach: short.txt: could not be judged, which fails --fail-on error"
    ]


def test_an_input_error_writes_no_report_file(tmp_path: Path) -> None:
    """A report file missing an essay would pass for complete with tools that never see
    stderr (an upload step under `if: always()`); standard output still gets the rest."""
    (tmp_path / "good.md").write_bytes(STRONG.read_bytes())
    code, out, err = check("good.md", "missing.docx", "-o", "report.json", cwd=tmp_path)
    assert code == 2
    assert err.splitlines() == [
        "essaycoach: error: missing.docx: no such file",
        "essaycoach: report.json not written: 1 of 2 essays could not be checked",
    ]
    assert out == ""
    assert not (tmp_path / "report.json").exists()
    code, out, _ = check("good.md", "missing.docx", "--format", "json", cwd=tmp_path)
    assert code == 2
    assert '"source": "good.md"' in out


def _close_stdout() -> None:
    os.close(1)


def test_a_closed_standard_output_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    """`essaycoach check essay.md >&-`: Python starts with sys.stdout None."""
    (tmp_path / "good.md").write_bytes(STRONG.read_bytes())
    command = [sys.executable, "-m", "essaycoach", "check", "good.md", "--grammar", "off"]
    result = subprocess.run(
        command, cwd=tmp_path, stderr=subprocess.PIPE, text=True, timeout=120,
        preexec_fn=_close_stdout,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "essaycoach: error: standard output is closed; give -o FILE to write the report there"
    ]
    # QA: in-process Harper moved fd 1 aside with os.dup(1): a traceback, exit 1
    for grammar in (("--grammar", "off"), ("--grammar", "harper", "--no-harper-server")):
        result = subprocess.run(
            [*command, *grammar, "-o", "report.txt"], cwd=tmp_path, stderr=subprocess.PIPE,
            text=True, timeout=120, preexec_fn=_close_stdout,
        )  # fmt: skip
        assert (result.returncode, result.stderr) == (0, ""), grammar
        assert (tmp_path / "report.txt").read_text(encoding="utf-8").startswith("good.md")
    # QA (CI user): `-o /dev/stdout` with it closed was a traceback, exit 1 ("failed")
    for name in ("/dev/stdout", "/dev/fd/1"):
        result = subprocess.run(
            [*command, "-o", name], cwd=tmp_path, stderr=subprocess.PIPE, text=True,
            timeout=120, preexec_fn=_close_stdout,
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [
            f"essaycoach: error: {name}: cannot write: Bad file descriptor"
        ]


def test_the_output_files_extension_picks_the_format_unless_one_is_given(
    tmp_path: Path,
) -> None:
    """QA: `-o essaycoach.sarif` without --format wrote the text report into the .sarif
    file, exit 0, which the SARIF upload then rejects."""
    (tmp_path / "good.md").write_bytes(STRONG.read_bytes())
    for name in ("report.sarif", "report.json", "report.HTML", "report.md", "report.log"):
        assert check("good.md", "-o", name, cwd=tmp_path)[0] == 0
    assert json.loads((tmp_path / "report.sarif").read_text("utf-8"))["version"] == "2.1.0"
    assert json.loads((tmp_path / "report.json").read_text("utf-8"))["essay"]["source"] == "good.md"
    assert (tmp_path / "report.HTML").read_text("utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "report.md").read_text("utf-8").startswith("# ")
    assert (tmp_path / "report.log").read_text("utf-8").startswith("good.md")
    # --format, then the configuration's `format`, win over the extension
    assert check("good.md", "--format", "text", "-o", "given.sarif", cwd=tmp_path)[0] == 0
    assert (tmp_path / "given.sarif").read_text("utf-8").startswith("good.md")
    (tmp_path / "essaycoach.toml").write_text('format = "github"\n', encoding="utf-8")
    result = run_essaycoach(
        "check", "good.md", "--grammar", "off", "-o", "config.sarif", cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "config.sarif").read_text("utf-8").startswith("::")


def test_a_threshold_failure_names_where_the_threshold_was_set(tmp_path: Path) -> None:
    for folder in ("drafts", "final"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "essay.txt").write_text(SHORT_ESSAY, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.essaycoach]\ngrammar = "off"\nfail_under = 50\n\n'
        '[[tool.essaycoach.overrides]]\npaths = ["*.md"]\nfail_on = "warning"\n\n'
        '[[tool.essaycoach.overrides]]\npaths = ["drafts/*"]\nfail_on = "error"\n',
        encoding="utf-8",
    )
    args = ("drafts/essay.txt", "final/essay.txt")
    result = run_essaycoach("check", *args, cwd=tmp_path, timeout=120)
    assert result.returncode == 1
    config = tmp_path / "pyproject.toml"
    assert result.stderr.splitlines() == [
        f"essaycoach: drafts/essay.txt: could not be judged, under "
        f"tool.essaycoach.fail_under = 50 in {config}",
        f"essaycoach: drafts/essay.txt: could not be judged, which fails "
        f'tool.essaycoach.overrides[1].fail_on = "error" in {config}',
        f"essaycoach: final/essay.txt: could not be judged, under "
        f"tool.essaycoach.fail_under = 50 in {config}",
    ]
    result = run_essaycoach("check", *args, "--fail-under", "40", cwd=tmp_path, timeout=120)
    assert result.stderr.splitlines() == [
        "essaycoach: drafts/essay.txt: could not be judged, under --fail-under 40",
        f"essaycoach: drafts/essay.txt: could not be judged, which fails "
        f'tool.essaycoach.overrides[1].fail_on = "error" in {config}',
        "essaycoach: final/essay.txt: could not be judged, under --fail-under 40",
    ]


@pytest.mark.parametrize("folder", ["reports", "reports/", "new-folder/", "new-folder/."])
def test_an_output_folder_is_an_input_error(tmp_path: Path, folder: str) -> None:
    """'-o new-folder/' wrote a file named new-folder (pathlib drops the '/')."""
    (tmp_path / "good.md").write_bytes(STRONG.read_bytes())
    (tmp_path / "reports").mkdir()
    code, out, err = check("good.md", "-o", folder, cwd=tmp_path)
    assert code == 2
    assert err.splitlines() == [
        f"essaycoach: error: {folder}: --output is a folder; name the report's file"
    ]
    assert out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.md", "reports"]
    assert not any((tmp_path / "reports").iterdir())


def test_output_dash_is_standard_output(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_bytes(STRONG.read_bytes())
    code, out, err = check("good.md", "-o", "-", "--format", "json", cwd=tmp_path)
    assert code == 0, err
    assert '"source": "good.md"' in out
    assert not (tmp_path / "-").exists()


def test_an_essay_named_twice_is_checked_once(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_bytes(STRONG.read_bytes())
    (tmp_path / "short.txt").write_text(SHORT_ESSAY, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.md").symlink_to("good.md")
    names = ("good.md", "short.txt", "./good.md", "sub/../good.md", "link.md", "short.txt")
    code, out, err = check(*names, "--format", "json", "--fail-under", "50", cwd=tmp_path)
    assert code == 1
    assert [r["essay"]["source"] for r in json.loads(out)["reports"]] == ["good.md", "short.txt"]
    assert err.splitlines() == ["essaycoach: short.txt: could not be judged, under --fail-under 50"]
    # the shape follows the command line: two names given, the list even for one essay
    code, out, _ = check("good.md", "./good.md", "--format", "json", cwd=tmp_path)
    assert [r["essay"]["source"] for r in json.loads(out)["reports"]] == ["good.md"]


@pytest.mark.parametrize("code", list(ExitCode), ids=lambda c: c.name)
def test_every_exit_code_is_listed_in_check_help_and_docs(code: ExitCode) -> None:
    """The codes come from errors.ExitCode; 130 (interrupted) was missing from both."""
    result = CliRunner().invoke(main, ["check", "--help"])
    codes = result.output.split("Exit codes", 1)[1].split("Examples", 1)[0]
    assert re.search(rf"^\s+{code.value}\s+\S", codes, re.MULTILINE), codes
    assert f"\n| {code.value} | " in (REPO / "docs" / "ci.md").read_text(encoding="utf-8")


def test_a_zip_of_submissions_points_to_grade(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "class 3B.zip", "w") as archive:
        archive.write(STRONG, "alice/essay.md")
    (tmp_path / "good.md").write_bytes(STRONG.read_bytes())
    code, out, err = check("class 3B.zip", "good.md", "--format", "json", cwd=tmp_path)
    assert code == 2
    assert err.splitlines() == [
        "essaycoach: error: class 3B.zip: a zip archive, not an essay; "
        "`essaycoach grade 'class 3B.zip'` checks the submissions in it"
    ]
    assert '"source": "good.md"' in out


@pytest.mark.parametrize("name", ["class-export", "class 3B.download"])
def test_a_zip_of_submissions_under_another_name_points_to_grade(tmp_path: Path, name: str) -> None:
    """Review: a download that lost its .zip name was "binary file, not text" or "unsupported
    file type"; `grade` opens it by its content, so `check` says so. A .docx without its
    name is still one essay."""
    with zipfile.ZipFile(tmp_path / name, "w") as archive:
        archive.write(STRONG, "alice/essay.md")
    (tmp_path / "essay-download").write_bytes(docx_bytes())
    code, out, err = check(name, "essay-download", "--format", "json", cwd=tmp_path)
    assert code == 2
    assert err.splitlines() == [
        f"essaycoach: error: {name}: a zip archive, not an essay; "
        f"`essaycoach grade {shlex.quote(name)}` checks the submissions in it"
    ]
    assert '"source": "essay-download"' in out


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("essay.pages", "Apple Pages files are not supported; export as .docx or .pdf"),
        ("slides.pptx", "unsupported file type '.pptx' (use "),
    ],
)
def test_other_zip_formats_keep_their_own_message(tmp_path: Path, name: str, message: str) -> None:
    """Review: a .pages (a zip inside) was called a zip of submissions to grade."""
    with zipfile.ZipFile(tmp_path / name, "w") as archive:
        archive.writestr("Index/Document.iwa", "x")
    code, _, err = check(name, cwd=tmp_path)
    assert code == 2
    assert err.startswith(f"essaycoach: error: {name}: {message}")


def test_the_engine_notice_is_shown_once_in_a_terminal(tmp_path: Path) -> None:
    """QA: in a terminal "LanguageTool unavailable ..." came twice, on stderr and in the
    report; with the report in a file or piped, stderr still has it."""
    import pty

    env = {**os.environ, "ESSAYCOACH_HOME": str(tmp_path / "home"), "COLUMNS": "100"}
    env.pop("ESSAYCOACH_LANGUAGETOOL_URL", None)
    command = [sys.executable, "-m", "essaycoach", "check", str(STRONG), "--no-config",
               "--no-harper-server"]  # fmt: skip
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=follower, stderr=follower, env=env, cwd=tmp_path)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert shown.count("LanguageTool unavailable") == 1, shown
    piped = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path,
                           timeout=120)  # fmt: skip
    assert "LanguageTool unavailable" in piped.stderr
    assert "LanguageTool unavailable" in piped.stdout
