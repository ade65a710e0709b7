"""`essaycoach check -`: the essay on standard input, as editors and pre-commit hooks pipe it."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
STRONG = REPO / "examples" / "strong-never-let-me-go.md"


def run_check(*args: str, stdin: bytes, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "essaycoach", "check", *args, "--grammar", "off", "--no-config"],
        input=stdin, capture_output=True, cwd=cwd, timeout=120,
    )  # fmt: skip


def test_stdin_essay_gets_the_same_report_as_the_file() -> None:
    piped = run_check("-", "--stdin-filename", str(STRONG), "--format", "json",
                      stdin=STRONG.read_bytes())  # fmt: skip
    direct = run_check(str(STRONG), "--format", "json", stdin=b"")
    assert piped.returncode == direct.returncode == 0, piped.stderr
    piped_report, direct_report = json.loads(piped.stdout), json.loads(direct.stdout)
    assert piped_report["essay"]["source"] == str(STRONG)
    assert piped_report["score"] == direct_report["score"]
    assert piped_report["findings"] == direct_report["findings"]


def test_without_a_name_stdin_is_plain_text_named_stdin() -> None:
    result = run_check("-", "--format", "json", stdin=STRONG.read_bytes())
    report = json.loads(result.stdout)
    assert report["essay"]["source"] == "<stdin>"
    # read as plain text, the Markdown headings are sentences: more of them than as .md
    as_markdown = json.loads(run_check(str(STRONG), "--format", "json", stdin=b"").stdout)
    assert report["essay"]["sentences"] > as_markdown["essay"]["sentences"]


def test_stdin_name_selects_the_config_override(tmp_path: Path) -> None:
    (tmp_path / "essaycoach.toml").write_text(
        'grammar = "off"\n\n[[overrides]]\npaths = ["drafts/*"]\nfail_under = 99\n',
        encoding="utf-8",
    )
    essay = STRONG.read_bytes()
    command = [sys.executable, "-m", "essaycoach", "check", "-", "--stdin-filename"]
    draft = subprocess.run([*command, "drafts/a.md"], input=essay, capture_output=True,
                           cwd=tmp_path, timeout=120)  # fmt: skip
    final = subprocess.run([*command, "final/a.md"], input=essay, capture_output=True,
                           cwd=tmp_path, timeout=120)  # fmt: skip
    assert draft.returncode == 1 and b"drafts/a.md" in draft.stderr
    assert final.returncode == 0, final.stderr


@pytest.mark.parametrize("pattern", ["drafts/**", "-"])
def test_stdin_without_a_name_matches_no_override(tmp_path: Path, pattern: str) -> None:
    """QA: unnamed stdin was matched as a file named "-" in the working directory, so
    `check -` in drafts/ took the drafts' override (and paths = ["-"] matched it)."""
    (tmp_path / "essaycoach.toml").write_text(
        f'grammar = "off"\nfail_under = 99\n\n[[overrides]]\npaths = ["{pattern}"]\n'
        "fail_under = 0\n",
        encoding="utf-8",
    )
    (tmp_path / "drafts").mkdir()
    cwd = tmp_path / "drafts" if pattern == "drafts/**" else tmp_path
    command = [sys.executable, "-m", "essaycoach", "check", "-"]
    result = subprocess.run(command, input=STRONG.read_bytes(), capture_output=True, cwd=cwd,
                            timeout=120)  # fmt: skip
    assert result.returncode == 1, result.stderr  # the top level's fail_under = 99
    assert b"fail_under = 99" in result.stderr


def test_a_file_named_dash_is_read_as_a_file(tmp_path: Path) -> None:
    """`./-` is the file named "-" (as in other Unix tools), and `-` beside it is stdin:
    pathlib makes the two equal, so `check ./-` used to read standard input."""
    (tmp_path / "-").write_bytes(STRONG.read_bytes())
    result = run_check("./-", "-", "--format", "json", stdin=b"An essay on stdin. " * 30,
                       cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    file_report, stdin_report = json.loads(result.stdout)["reports"]
    assert file_report["essay"]["source"] == "-"
    # no suffix: read as plain text, as the same bytes on stdin are
    as_stdin = json.loads(run_check("-", "--format", "json", stdin=STRONG.read_bytes()).stdout)
    assert file_report["essay"]["words"] == as_stdin["essay"]["words"] > 600
    assert stdin_report["essay"]["source"] == "<stdin>"


def test_the_report_may_go_to_a_file_named_dash_while_stdin_is_checked(tmp_path: Path) -> None:
    """QA re-check: `check - -o ./-` compared the file named "-" with the stdin essay."""
    (tmp_path / "-").write_text("old report", encoding="utf-8")
    result = run_check("-", "-o", "./-", "--format", "json", stdin=STRONG.read_bytes(),
                       cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "-").read_text(encoding="utf-8"))["essay"]["source"] == "<stdin>"


@pytest.mark.parametrize(
    ("args", "stdin", "line"),
    [
        (("-",), b"", "essaycoach: error: <stdin>: file is empty (no text)"),
        (("-", "-"), b"x", "essaycoach: error: '-' (standard input) can be given only once"),
        (
            (str(STRONG), "--stdin-filename", "a.md"),
            b"",
            "essaycoach: error: --stdin-filename needs '-' among the files (the essay on stdin)",
        ),
        (
            ("-", "--stdin-filename", "a.docx"),
            b"not a zip at all, just words",
            "essaycoach: error: a.docx: corrupt .docx: not a valid document container",
        ),
        (
            ("-",),
            b"\x00\x01\x02\x03" * 100,
            "essaycoach: error: <stdin>: binary file, not text (too many control characters)",
        ),
    ],
)
def test_bad_stdin_is_one_line_and_exit_2(args: tuple[str, ...], stdin: bytes, line: str) -> None:
    result = run_check(*args, stdin=stdin)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [line]


def test_closed_stdin_is_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "essaycoach", "check", "-", "--grammar", "off", "--no-config"],
        stdin=None, capture_output=True, timeout=120,
        preexec_fn=lambda: os.close(0),  # as `essaycoach check - <&-`
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "essaycoach: error: <stdin>: standard input is closed"
    ]


def test_output_over_the_stdin_essays_named_file_is_refused(tmp_path: Path) -> None:
    essay = tmp_path / "essay.md"
    essay.write_bytes(STRONG.read_bytes())
    result = run_check("-", "--stdin-filename", str(essay), "-o", str(essay),
                       stdin=essay.read_bytes())  # fmt: skip
    assert result.returncode == 2
    assert b"--output is one of the essays to check" in result.stderr
    assert essay.read_bytes() == STRONG.read_bytes()  # the student's text is still there


def test_stdin_over_the_size_limit_is_refused_without_reading_it_all() -> None:
    """The writer keeps the pipe open: the check must stop at the cap, not wait for EOF."""
    import threading

    from essaycoach.readers import MAX_FILE_BYTES

    process = subprocess.Popen(
        [sys.executable, "-m", "essaycoach", "check", "-", "--grammar", "off", "--no-config"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdin is not None

    def feed() -> None:
        try:
            process.stdin.write(b"a" * (MAX_FILE_BYTES + 10))  # no close: no end of file
            process.stdin.flush()
        except BrokenPipeError:
            pass  # the reader stopped at the cap and went away, as it should

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        returncode = process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    writer.join(timeout=10)
    with contextlib.suppress(BrokenPipeError):
        process.stdin.close()
    assert process.stderr is not None
    stderr = process.stderr.read().decode()
    assert returncode == 2
    assert stderr.splitlines() == [
        "essaycoach: error: <stdin>: standard input is over 50 MB; essays that large are refused"
    ]


def test_a_closed_stdin_stream_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """An embedding program may hand over a closed stream: `isatty` on it raises ValueError."""
    import io

    from essaycoach.cli.check_cmd import _stdin_essay
    from essaycoach.errors import InputError

    stream = io.TextIOWrapper(io.BytesIO(b"An essay."))
    stream.close()
    monkeypatch.setattr(sys, "stdin", stream)
    with pytest.raises(InputError, match="cannot read standard input: I/O operation on closed"):
        _stdin_essay(None)


def test_bad_stdin_is_reported_before_any_engine_starts() -> None:
    # a LanguageTool URL nothing answers on: were the engine opened first, its error
    # (or a local server's 10-20 s start) would come before the essay's
    result = subprocess.run(
        [sys.executable, "-m", "essaycoach", "check", "-", "--no-config",
         "--grammar", "languagetool", "--languagetool-url", "http://127.0.0.1:9"],
        input=b"", capture_output=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "essaycoach: error: <stdin>: file is empty (no text)"
    ]
