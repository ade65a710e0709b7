"""Bad input gets one clear line on stderr naming the file, exit code 2, never a traceback."""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.fixtures.processes import run_essaycoach

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
EXEMPLAR = REPO / "examples" / "never-let-me-go.txt"
STRONG = REPO / "examples" / "strong-never-let-me-go.md"


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_essaycoach(*args, cwd=cwd, timeout=120)


def make_bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, a phrase the error line must contain)."""
    cases: dict[str, tuple[Path, str]] = {}

    def add(name: str, data: bytes, phrase: str, suffix: str = ".txt") -> None:
        path = tmp / f"{name}{suffix}"
        path.write_bytes(data)
        cases[name] = (path, phrase)

    add("empty", b"", "empty")
    add("whitespace", b"  \n\t\n   \n", "empty")
    add("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary")
    add(
        "undecodable", "Caf\u00e9 au lait. ".encode() * 10 + b"\x81\x8d\x90 broken", "invalid UTF-8"
    )
    add("huge", b"All work and no play makes Jack a dull boy. " * 120_000, "MB")
    add("spreadsheet", b"PK\x03\x04 not really", "unsupported file type", suffix=".xlsx")
    # pypdf logs "invalid pdf header" and "EOF marker not found" while it tries to repair this
    add("damaged_pdf", bytes(range(256)) * 8, "corrupt PDF", suffix=".pdf")
    cases["missing"] = (tmp / "does-not-exist.txt", "no such file")
    directory = tmp / "a-folder"
    directory.mkdir()
    cases["directory"] = (directory, "directory")
    return cases


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return make_bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize(
    "name",
    [
        "empty",
        "whitespace",
        "binary",
        "undecodable",
        "huge",
        "spreadsheet",
        "damaged_pdf",
        "missing",
        "directory",
    ],
)
def test_bad_essay_file_gives_one_line_and_exit_2(bad_inputs, name):
    path, phrase = bad_inputs[name]
    result = run_cli("check", path, "--grammar", "harper")
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert phrase in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_one_bad_file_does_not_hide_the_good_ones(bad_inputs):
    path, _ = bad_inputs["empty"]
    result = run_cli("check", EXEMPLAR, path, "--grammar", "harper", "--format", "json")
    assert result.returncode == 2
    assert str(path) in result.stderr
    document = json.loads(result.stdout)  # two files given: the list shape, one report in it
    assert [r["essay"]["source"] for r in document["reports"]] == [str(EXEMPLAR)]


@pytest.mark.parametrize(
    ("rubric_text", "phrase"),
    [
        (
            'id = "x"\nname = "X"\n[[criterion]]\nid = "a"\nname = "A"\nsize = 3\n',
            "criterion[0].size",
        ),
        ("id = \n", "invalid TOML"),
    ],
)
def test_bad_rubric_gives_one_line_and_exit_2(tmp_path, rubric_text, phrase):
    rubric = tmp_path / "bad.toml"
    rubric.write_text(rubric_text)
    for args in (("check", EXEMPLAR, "--rubric", rubric), ("rubric", "validate", rubric)):
        result = run_cli(*args)
        assert result.returncode == 2, result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, result.stderr
        assert str(rubric) in lines[0] and phrase in lines[0]


def test_unknown_rubric_name():
    result = run_cli("check", EXEMPLAR, "--rubric", "nonexistent-rubric")
    assert result.returncode == 2
    assert "unknown rubric" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ("check", EXEMPLAR, "--colour", "red"),
            "essaycoach: error: No such option '--colour' (see '{prog} check --help')",
        ),
        (
            ("grade",),
            "essaycoach: error: Missing argument 'PATH' (see '{prog} grade --help')",
        ),
        (
            ("chek", EXEMPLAR),
            "essaycoach: error: No such command 'chek'. Did you mean 'check'? "
            "(see '{prog} --help')",
        ),
        (
            ("--bogus",),
            "essaycoach: error: No such option '--bogus' (see '{prog} --help')",
        ),
        (
            ("check", EXEMPLAR, "--grammar", "spell"),
            "essaycoach: error: Invalid value for '--grammar': 'spell' is not one of 'auto', "
            "'languagetool', 'harper', 'both', 'off' (see '{prog} check --help')",
        ),
        (
            ("check", EXEMPLAR, "-o"),
            "essaycoach: error: Option '-o' requires an argument (see '{prog} check --help')",
        ),
        (
            ("languagetool", "install", "--method"),
            "essaycoach: error: Option '--method' requires an argument "
            "(see '{prog} languagetool install --help')",
        ),
        (
            ("rubric", "show"),
            "essaycoach: error: Missing argument 'NAME' (see '{prog} rubric show --help')",
        ),
        (
            ("check", EXEMPLAR, "--fail-under", "nan"),
            "essaycoach: error: Invalid value for '--fail-under': 'nan' is not a finite number "
            "(see '{prog} check --help')",
        ),
        (
            ("languagetool", "start", "--idle-timeout", "NaN"),
            "essaycoach: error: Invalid value for '--idle-timeout': 'NaN' is not a finite number "
            "(see '{prog} languagetool start --help')",
        ),
    ],
    ids=[
        "unknown-option",
        "missing-argument",
        "unknown-command",
        "group-option",
        "bad-choice",
        "no-option-value",
        "nested-no-option-value",
        "subgroup",
        "nan-threshold",
        "nan-timeout",
    ],
)
def test_usage_error_is_one_line_naming_the_help(args, line):
    result = run_cli(*args)
    assert result.returncode == 2
    # run as `python -m essaycoach`, which click names the program
    assert result.stderr.splitlines() == [line.format(prog="python -m essaycoach")]
    assert result.stdout == ""


def test_a_bare_group_still_shows_its_help():
    result = run_cli("rubric")
    assert result.returncode == 2  # click's NoArgsIsHelpError: help, not an error line
    assert "Usage: python -m essaycoach rubric" in result.stdout + result.stderr
    assert "validate" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ("check", EXEMPLAR, "--grammar", "off"),
        ("grade", "submissions", "--out", "graded", "--grammar", "off"),
        ("calibrate", "submissions", "--scores", "scores.csv", "--out", "model.json"),
    ],
    ids=["check", "grade", "calibrate"],
)
def test_every_command_rejects_a_bad_config_key_and_no_config_skips_it(tmp_path, command):
    (tmp_path / "essaycoach.toml").write_text('rubric = "literary-analysis"\ncolour = "red"\n')
    (tmp_path / "submissions").mkdir()
    (tmp_path / "scores.csv").write_text("file,score\n")
    result = run_cli(*command, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "essaycoach.toml" in lines[0] and "colour" in lines[0], lines
    skipped = run_cli(*command, "--no-config", cwd=tmp_path)
    assert "colour" not in skipped.stderr and "Traceback" not in skipped.stderr
    both = run_cli(*command, "--config", "essaycoach.toml", "--no-config", cwd=tmp_path)
    assert both.returncode == 2
    assert both.stderr.splitlines()[0].startswith(
        "essaycoach: error: --config and --no-config contradict each other; give one"
    )


URL_RULE = "must be an http:// or https:// URL with a host (http://host[:port])"


@pytest.mark.parametrize(
    "command",
    [
        ("check", EXEMPLAR),  # --grammar auto: it fell back to Harper with a notice
        ("check", EXEMPLAR, "--grammar", "languagetool"),
        ("grade", "submissions", "--out", "graded", "--grammar", "off"),
        ("calibrate", "submissions", "--scores", "scores.csv", "--out", "model.json"),
    ],
    ids=["check-auto", "check-languagetool", "grade", "calibrate"],
)
def test_an_invalid_languagetool_url_in_the_config_names_the_file_and_key(
    tmp_path, monkeypatch, command
):
    monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_URL", raising=False)
    (tmp_path / "essaycoach.toml").write_text('languagetool_url = "ftp://x"\n')
    (tmp_path / "submissions").mkdir()
    (tmp_path / "scores.csv").write_text("file,score\n")
    result = run_cli(*command, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    config = (tmp_path / "essaycoach.toml").resolve()
    assert result.stderr.splitlines() == [
        f"essaycoach: error: {config}: languagetool_url {URL_RULE}, not 'ftp://x'"
    ]


@pytest.mark.parametrize(
    ("url", "given_by"),
    [
        *((url, "option") for url in ("ftp://x", "localhost:8081", "http://:8081", "")),
        # an empty variable is an unset one (next test)
        *((url, "environment") for url in ("ftp://x", "localhost:8081", "http://:8081")),
    ],
)
def test_an_invalid_languagetool_url_names_the_option_or_variable(monkeypatch, url, given_by):
    if given_by == "option":
        monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_URL", raising=False)
        result = run_cli("check", EXEMPLAR, "--grammar", "off", "--languagetool-url", url)
        source = ""
    else:
        monkeypatch.setenv("ESSAYCOACH_LANGUAGETOOL_URL", url)
        result = run_cli("check", EXEMPLAR, "--grammar", "off")
        source = " (from ESSAYCOACH_LANGUAGETOOL_URL)"
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"essaycoach: error: Invalid value for '--languagetool-url': {URL_RULE}, not {url!r}"
        f"{source} (see 'python -m essaycoach check --help')"
    ]


def test_an_empty_languagetool_url_variable_is_unset(monkeypatch):
    monkeypatch.setenv("ESSAYCOACH_LANGUAGETOOL_URL", "")
    result = run_cli("check", EXEMPLAR, "--grammar", "off")
    assert (result.returncode, result.stderr) == (0, "")


@pytest.fixture
def web_server(tmp_path):
    """A real HTTP server that is not LanguageTool: /v2/languages is its 404 page."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *_: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("grammar", ["languagetool", "auto"])
def test_a_url_that_is_not_languagetool_says_so(web_server, grammar):
    result = run_cli("check", EXEMPLAR, "--grammar", grammar, "--languagetool-url", web_server)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    reason = (
        f"the server at {web_server} answered, but it is not LanguageTool: it sent a web page, "
        "not LanguageTool's JSON"
    )
    if grammar == "languagetool":
        assert result.returncode == 2
        assert lines[0].startswith(
            f"essaycoach: error: --grammar languagetool needs LanguageTool: {reason}. "
        )
    else:
        assert result.returncode == 0, result.stderr
        assert lines[0].startswith(f"essaycoach: LanguageTool unavailable: {reason}; ")


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("check", EXEMPLAR, "-o", ""), "--output: empty path"),
        (("check", EXEMPLAR, "--output", ""), "--output: empty path"),
        (("check", EXEMPLAR, "--rubric", ""), "--rubric: empty name or path"),
        (("check", EXEMPLAR, "--exemplar", ""), "--exemplar: empty path"),
        (("check", EXEMPLAR, "--accept-words", ""), "--accept-words: empty path"),
        (("check", EXEMPLAR, "--config", ""), "--config: empty path"),
        (("check", "-", "--stdin-filename", ""), "--stdin-filename: empty path"),
        (("check", ""), "FILES: empty path"),
        (("grade", "essays", "--out", ""), "--out: empty path"),
        (("grade", "essays", "-o", "out", "--roster", ""), "--roster: empty path"),
        (("grade", "essays", "-o", "out", "--shared-text", ""), "--shared-text: empty path"),
        (("grade", "essays", "-o", "out", "--model", ""), "--model: empty path"),
        (("grade", "", "-o", "out"), "PATH: empty path"),
        (("calibrate", "essays", "--scores", "s.csv", "--out", ""), "--out: empty path"),
        (("calibrate", "essays", "--scores", "", "--out", "m.json"), "--scores: empty path"),
        (("rubric", "validate", "r.toml", "--exemplar", ""), "--exemplar: empty path"),
        (("rubric", "validate", ""), "PATHS: empty name or path"),
        (("rubric", "show", ""), "NAME: empty name"),
    ],
)
def test_an_empty_path_is_a_usage_error_naming_the_option(tmp_path, args, problem):
    """`-o ''` is the working folder to pathlib: check tried to write over it and grade
    wrote its gradebook into it."""
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    command = " ".join(args[:2] if args[0] == "rubric" else args[:1])
    assert result.stderr.splitlines() == [
        f"essaycoach: error: {problem} (see 'python -m essaycoach {command} --help')"
    ]
    assert list(tmp_path.iterdir()) == []


def test_languagetool_start_without_an_install_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("ESSAYCOACH_HOME", str(tmp_path))
    monkeypatch.delenv("ESSAYCOACH_LANGUAGETOOL_DIR", raising=False)
    result = run_cli("languagetool", "start")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "not installed" in lines[0], result.stderr


def test_output_that_is_one_of_the_essays_is_refused_and_the_essay_kept(tmp_path: Path) -> None:
    essay = tmp_path / "my-essay.txt"
    essay.write_bytes(EXEMPLAR.read_bytes())
    result = run_cli("check", essay, "-o", essay, "--grammar", "harper")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [f"essaycoach: error: {essay}: --output is one of the essays to check; "
                     "choose another file"]  # fmt: skip
    assert essay.read_bytes() == EXEMPLAR.read_bytes()


@pytest.mark.parametrize(
    ("options", "target", "role"),
    [
        (["--exemplar", "exemplar.txt"], "exemplar.txt", "the exemplar"),
        (["--accept-words", "words.txt"], "words.txt", "the --accept-words file"),
        (["--rubric", "rubric.toml"], "rubric.toml", "the rubric"),
        (["--config", "essaycoach.toml"], "essaycoach.toml", "the configuration file"),
        (["--config", "essaycoach.toml"], "words.txt", "the configuration's word list"),
    ],
    ids=["exemplar", "accept-words", "rubric", "config", "config-word-list"],
)
def test_output_that_is_another_input_is_refused_and_the_input_kept(
    tmp_path: Path, options: list[str], target: str, role: str
) -> None:
    """QA: -o over the exemplar or the word list replaced it with the report, exit 0."""
    (tmp_path / "exemplar.txt").write_bytes(EXEMPLAR.read_bytes())
    (tmp_path / "words.txt").write_text("Macbeth\n", encoding="utf-8")
    (tmp_path / "rubric.toml").write_bytes(
        (REPO / "rubrics" / "literary-analysis.toml").read_bytes()
    )
    if "--config" in options:
        (tmp_path / "essaycoach.toml").write_text('word_list = "words.txt"\n', encoding="utf-8")
    (tmp_path / "essay.md").write_bytes(STRONG.read_bytes())
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = run_cli("check", "essay.md", *options, "-o", target, "--grammar", "off", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"essaycoach: error: {target}: --output is {role}; choose another file"
    ]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_output_that_is_the_bundled_exemplar_or_rubric_is_refused(tmp_path: Path) -> None:
    """Review: with no --exemplar, -o over the package's own exemplar replaced it."""
    from essaycoach.resources import default_exemplar_path
    from essaycoach.rubric import resolve_rubric_path

    (tmp_path / "essay.md").write_bytes(STRONG.read_bytes())
    for target, role in (
        (default_exemplar_path(), "the exemplar"),
        (resolve_rubric_path("literary-analysis"), "the rubric"),
    ):
        before = target.read_bytes()
        result = run_cli("check", "essay.md", "-o", target, "--grammar", "off", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.splitlines() == [
            f"essaycoach: error: {target}: --output is {role}; choose another file"
        ]
        assert target.read_bytes() == before


@pytest.fixture(scope="module")
def languagetool_with_a_text_limit(require_languagetool, tmp_path_factory):
    """A real LanguageTool server that refuses texts over 400 characters (maxTextLength)."""
    from tests.integration.conftest_languagetool import free_port, own_languagetool_server

    properties = tmp_path_factory.mktemp("lt-limit") / "server.properties"
    properties.write_text("maxTextLength=400\n", encoding="utf-8")
    with own_languagetool_server(require_languagetool, free_port(), properties) as url:
        yield url


@pytest.mark.languagetool
@pytest.mark.parametrize("command", ["check", "grade"])
def test_a_grammar_engine_failing_mid_run_names_the_essay(
    languagetool_with_a_text_limit, tmp_path, command
):
    short = tmp_path / "essays" / "a_short.txt"
    short.parent.mkdir()
    short.write_text("Kathy remembers Hailsham as a place of art. She was happy.\n")
    long = tmp_path / "essays" / "b_long.txt"
    long.write_text(EXEMPLAR.read_text(encoding="utf-8"), encoding="utf-8")
    options = ("--grammar", "languagetool", "--languagetool-url", languagetool_with_a_text_limit)
    if command == "check":
        result = run_cli("check", short, long, *options)
        where = str(long)
    else:
        result = run_cli("grade", short.parent, "--out", tmp_path / "out", "-j", "1", *options)
        where = "b_long.txt"
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        f"essaycoach: error: {where}: LanguageTool server at {languagetool_with_a_text_limit} "
        "failed: Error: Your text exceeds the limit of 400 characters"
    )


@pytest.mark.parametrize(
    ("command", "written"),
    [
        (("check", EXEMPLAR, "--grammar", "off", "-o", "{blocker}/report.json"), "report.json"),
        (("grade", "{essays}", "--grammar", "off", "-j", "1", "--out", "{blocker}/out"), "out"),
        # refused before the scores are even read (a fit takes minutes), not after
        (
            ("calibrate", "{essays}", "--scores", "{essays}/none.csv", "--out", "{blocker}/m.json"),
            "m.json",
        ),
    ],
    ids=["check", "grade", "calibrate"],
)
def test_an_output_path_through_a_file_is_one_line(tmp_path, command, written):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder\n")
    essays = tmp_path / "essays"
    essays.mkdir()
    (essays / "a.txt").write_text(EXEMPLAR.read_text(encoding="utf-8"), encoding="utf-8")
    args = [str(a).format(blocker=blocker, essays=essays) for a in command]
    result = run_cli(*args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"essaycoach: error: {blocker / written}: cannot ")
    assert "Traceback" not in result.stderr


def test_flags_stand_in_for_a_missing_rubric_and_exemplar_the_config_names(tmp_path):
    (tmp_path / "essaycoach.toml").write_text('rubric = "gone.toml"\nexemplar = "gone.md"\n')
    flags = ("--rubric", "literary-analysis", "--exemplar", EXEMPLAR, "--grammar", "off")
    result = run_cli("check", EXEMPLAR, *flags, "--exit-zero", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run_cli("check", EXEMPLAR, "--grammar", "off", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"essaycoach: error: {tmp_path / 'essaycoach.toml'}: rubric: rubric file not found: "
        f"{tmp_path / 'gone.toml'}"
    ]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("output_format", ["text", "json"])
def test_a_full_disk_on_standard_output_is_one_line(output_format: str) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "essaycoach", "check", str(EXEMPLAR), "--grammar", "off",
             "--format", output_format],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        "essaycoach: error: standard output: cannot write the result: No space left on device"
    ]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args",
    [
        ("rubric", "list"),
        ("rubric", "show", "literary-analysis"),
        ("harper", "status"),
        ("languagetool", "status"),
        ("--help",),
        ("--version",),
        ("grade", "--help"),
        ("languagetool", "install", "--help"),
    ],
)
def test_every_command_on_a_full_disk_is_one_line(args: tuple[str, ...]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "essaycoach", *args],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        "essaycoach: error: standard output: cannot write the result: No space left on device"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("check", str(EXEMPLAR), "--grammar", "off"),
        ("check", str(EXEMPLAR), "--grammar", "off", "-o", "/dev/stdout"),
        ("rubric", "show", "literary-analysis"),
        ("--help",),
    ],
)
def test_a_reader_that_goes_away_is_a_quiet_exit_141(args: tuple[str, ...]) -> None:
    """`essaycoach check ... | head`: not a traceback, and not 1, which `check` means as
    "failed"; the shell's 128 + SIGPIPE, as other tools give."""
    process = subprocess.Popen(
        [sys.executable, "-m", "essaycoach", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.close()  # before the command has written anything: its writes fail
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 141
    assert stderr == ""


def test_a_reader_that_stops_part_way_through_a_large_report_is_exit_141(tmp_path: Path) -> None:
    """`check big.txt | head -c 10`: the pipe closes inside one large write, which
    Python's buffered writer reports as a short write, not as an error."""
    paragraph = (REPO / "examples" / "grammar-errors.txt").read_text(encoding="utf-8")
    essay = tmp_path / "long.txt"
    essay.write_text("\n\n".join([paragraph] * 40), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "essaycoach", "check", str(essay), "--grammar", "harper",
         "--no-harper-server", "--no-config", "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    assert len(process.stdout.read(10)) == 10  # the report has started: one write is under way
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert stderr == b""


def _essay_named_with_bytes(folder: Path, name: bytes) -> Path:
    """An essay whose file name is not UTF-8, as Latin-1 systems leave them."""
    import os

    try:
        with open(os.path.join(os.fsencode(folder), name), "w", encoding="utf-8") as handle:
            handle.write(STRONG.read_text(encoding="utf-8"))
    except OSError:
        pytest.skip("this file system refuses file names that are not UTF-8")
    return folder / os.fsdecode(name)


@pytest.mark.parametrize("output_format", ["json", "sarif", "text", "html", "junit"])
def test_a_file_name_that_is_not_utf8_is_reported_with_escapes(
    tmp_path: Path, output_format: str
) -> None:
    essay = _essay_named_with_bytes(tmp_path, b"na\xefve-essay.md")
    result = run_cli("check", essay.name, "--grammar", "off", "--no-config",
                     "--format", output_format, "-o", "report.out", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    written = (tmp_path / "report.out").read_text(encoding="utf-8")
    if output_format == "json":
        assert json.loads(written)["essay"]["source"] == "na\\xefve-essay.md"
    else:  # SARIF percent-encodes its URI
        assert "na\\xefve-essay.md" in written or "na%5Cxefve-essay.md" in written


def test_grade_takes_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """Latin-1 "müller" beside UTF-8 "müller": two students, and their copying is found."""
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    _essay_named_with_bytes(submissions, b"m\xfcller.md")
    (submissions / "müller.md").write_text(STRONG.read_text(encoding="utf-8"), encoding="utf-8")
    (submissions / "smith.md").write_text("An essay of a different kind. " * 40, encoding="utf-8")
    result = run_cli("grade", submissions, "--grammar", "off", "--no-config",
                     "-o", tmp_path / "out")  # fmt: skip
    assert result.returncode == 0, result.stderr
    gradebook = (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8-sig")
    rows = sorted(line.split(",")[:4] for line in gradebook.splitlines()[1:])
    assert rows == [
        ["m\\xfcller", "", "m\\xfcller.md", "ok"],
        ["müller", "", "müller.md", "ok"],
        ["smith", "", "smith.md", "ok"],
    ]
    pairs = (tmp_path / "out" / "pairs.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(pairs) == 2 and "m\\xfcller" in pairs[1] and "müller" in pairs[1]


def test_an_empty_exemplar_is_named_as_the_exemplar(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = run_cli("check", EXEMPLAR, "--exemplar", "empty.txt", "--grammar", "off",
                     "--no-config", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "essaycoach: error: empty.txt: exemplar: file is empty (no text)"
    ]


@pytest.mark.parametrize(
    ("encoding", "sentence", "written", "read_as"),
    [
        # PYTHONIOENCODING=ascii (or a C locale): as click.echo does, write UTF-8 rather
        # than fail on the first accented word
        ("ascii", "A naïve café.", "A naïve café.", "utf-8"),
        # a redirected stdout on Windows is cp1252: a Japanese name must not crash the run
        ("cp1252", "山田 wrote this.", "?? wrote this.", "cp1252"),
    ],
    ids=["ascii", "cp1252"],
)
def test_a_stdout_encoding_that_cannot_hold_the_report_does_not_crash(
    tmp_path: Path, encoding: str, sentence: str, written: str, read_as: str
) -> None:
    import os

    essay = tmp_path / "essay.txt"
    essay.write_text(STRONG.read_text(encoding="utf-8") + f"\n\n{sentence}\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "essaycoach", "check", str(essay), "--grammar", "off",
         "--no-config", "--format", "html"],
        capture_output=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": encoding},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert written in result.stdout.decode(read_as)


def test_a_latin1_word_list_is_read_and_another_encoding_is_one_line(tmp_path: Path) -> None:
    """--accept-words read UTF-8 only: a Latin-1 list (Notepad's "ANSI") gave Python's
    codec error ("'utf-8' codec can't decode byte 0xe9 in position 12..."). It is read
    as an essay is; a list in an encoding essaycoach does not read says which it reads."""
    from essaycoach.word_lists import read_word_list

    latin1 = tmp_path / "words.txt"
    latin1.write_bytes("Hailsham\ncafé\nMadame\n".encode("cp1252"))
    assert read_word_list(latin1) == ("Hailsham", "café", "Madame")
    shift_jis = tmp_path / "japanese.txt"
    shift_jis.write_bytes("Hailsham\n吾輩。\n猫\n".encode("shift_jis"))
    result = run_cli("check", EXEMPLAR, "--grammar", "off", "--accept-words", shift_jis)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"essaycoach: error: {shift_jis}: cannot read word list: cannot decode text: byte "
        "0x81 at line 2 (byte 13) is neither UTF-8 nor Windows-1252/Latin-1; essaycoach reads "
        "UTF-8, UTF-16 and Windows-1252/Latin-1, not other encodings (Shift-JIS, GBK, "
        "Windows-1251...): save it as UTF-8"
    ]


def test_a_word_list_that_is_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    """Review: --accept-words opened a FIFO and waited for ever."""
    from essaycoach.errors import InputError
    from essaycoach.word_lists import read_word_list

    fifo = tmp_path / "words.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_word_list(fifo)
