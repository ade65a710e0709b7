"""`essaycoach grade` end to end: real pipeline (Harper), real files, real processes.

The class is 200 generated essays (tests/integration/grade_essays.py) of which two
copy each other, plus a .docx, a .pdf, an empty file and a corrupt .docx.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.fixtures import grade_hooks
from tests.fixtures.grade_hooks import hooks_env, release, started, wait_for_start
from tests.fixtures.processes import foreground_job
from tests.integration.grade_essays import COPIED_EDITED, COPIED_ORIGINAL, generate_class

pytestmark = pytest.mark.integration

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def grade_argv(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "essaycoach", "grade", *map(str, args)]


def run_grade(*args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        grade_argv(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=ENV,
        stdin=subprocess.DEVNULL,
    )


@contextlib.contextmanager
def hooked_grade(
    hooks: Path, hold: Sequence[str], *args: str | Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen]:
    """`essaycoach grade *args` whose workers report to and wait in `hooks` (see
    tests.fixtures.grade_hooks), in a process group of its own that is killed, workers
    and all, if the test fails half-way. `env`: more environment variables."""
    process = subprocess.Popen(
        [*grade_hooks.ARGV, "grade", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**ENV, **hooks_env(hooks, hold), **(env or {})},
        **foreground_job(),
    )
    try:
        yield process
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        raise


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def build_class(folder: Path, count: int = 200) -> None:
    import docx
    from fpdf import FPDF

    folder.mkdir(parents=True)
    essays = generate_class(count - 2)
    for i, text in enumerate(essays):
        (folder / f"student_{i:03d}.txt").write_text(text, encoding="utf-8")
    # two submissions that copy each other, in LMS-style names
    (folder / "okafor_ada_10001_essay.txt").write_text(COPIED_ORIGINAL, encoding="utf-8")
    (folder / "brown_ben_10002_essay.txt").write_text(COPIED_EDITED, encoding="utf-8")
    extra = generate_class(2, seed=99)
    document = docx.Document()
    for paragraph in extra[0].split("\n\n"):
        document.add_paragraph(paragraph)
    document.save(str(folder / "word_student.docx"))
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for paragraph in extra[1].split("\n\n"):
        pdf.multi_cell(0, 6, paragraph.replace("’", "'"))
        pdf.ln(3)
    pdf.output(str(folder / "pdf_student.pdf"))
    (folder / "empty_student.txt").write_bytes(b"")
    (folder / "corrupt_student.docx").write_bytes(b"PK\x03\x04 broken beyond repair " * 10)


@pytest.fixture(scope="module")
def graded(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, subprocess.CompletedProcess]:
    base = tmp_path_factory.mktemp("grade")
    folder, out = base / "class", base / "out"
    build_class(folder)
    result = run_grade(folder, "--out", out, "--grammar", "harper", "--workers", "2")
    return folder, out, result


def test_class_of_200_plus_documents(graded) -> None:
    _, out, result = graded
    assert result.returncode == 1, result.stderr  # 1: some submissions failed
    assert "Traceback" not in result.stderr
    rows = read_rows(out / "gradebook.csv")
    assert len(rows) == 204
    ok = [r for r in rows if r["status"] == "ok"]
    failed = {r["file"]: r["reason"] for r in rows if r["status"] == "failed"}
    assert len(ok) == 202
    assert set(failed) == {"empty_student.txt", "corrupt_student.docx"}
    assert "empty" in failed["empty_student.txt"]
    assert "corrupt .docx" in failed["corrupt_student.docx"]
    for row in ok:
        for ext in ("html", "json"):
            report = out / "reports" / f"{Path(row['report']).stem}.{ext}"
            assert report.is_file(), report
    by_file = {r["file"]: r for r in rows}
    for name in ("word_student.docx", "pdf_student.pdf"):
        assert by_file[name]["status"] == "ok" and int(by_file[name]["words"]) > 100
    judged = [r for r in ok if r["total_score"]]
    assert len(judged) >= 190
    assert all(0 <= float(r["total_score"]) <= 100 for r in judged)
    report = json.loads((out / "reports" / "student_000.json").read_text(encoding="utf-8"))
    assert report["essay"]["source"] == "student_000.txt"
    assert not list(out.rglob("*.tmp"))


def test_copying_pair_is_reported_with_passages(graded) -> None:
    _, out, result = graded
    assert "essaycoach: 204 submissions" in result.stderr, result.stderr
    assert ", 1 suspicious pair; see" in result.stderr, result.stderr
    pairs = read_rows(out / "pairs.csv")
    assert [(p["student_a"], p["student_b"]) for p in pairs] == [("10002", "10001")] or [
        (p["student_a"], p["student_b"]) for p in pairs
    ] == [("10001", "10002")]
    assert int(pairs[0]["shared_words"]) > 100
    rows = {r["student_id"]: r for r in read_rows(out / "gradebook.csv")}
    assert "copying:10002" in rows["10001"]["similarity_flags"]
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert "Norfolk where rubbish has caught on the fence" in summary


def test_a_students_own_draft_and_final_are_not_a_copying_pair(tmp_path: Path) -> None:
    folder = tmp_path / "moodle"
    folder.mkdir()
    moodle = "{}_{}_assignsubmission_file_{}.txt"
    (folder / moodle.format("Jane Doe", 4242, "draft")).write_text(COPIED_ORIGINAL, "utf-8")
    (folder / moodle.format("Jane Doe", 4242, "final")).write_text(COPIED_EDITED, "utf-8")
    (folder / moodle.format("Bob Roe", 4243, "essay")).write_text(COPIED_ORIGINAL, "utf-8")
    prompt = folder / "prompt.txt"  # passed as --shared-text: not a student's submission
    prompt.write_text("Discuss memory and loss in Never Let Me Go.\n", "utf-8")
    out = tmp_path / "out"
    result = run_grade(
        folder, "--out", out, "--grammar", "off", "--workers", "1", "--shared-text", prompt
    )
    assert result.returncode == 0, result.stderr
    rows = read_rows(out / "gradebook.csv")
    assert sorted(r["student_id"] for r in rows) == ["4242", "4242", "4243"]
    pairs = read_rows(out / "pairs.csv")
    # Bob copies both of Jane's files; Jane's two files are her own versions
    students = sorted(tuple(sorted((p["student_a"], p["student_b"]))) for p in pairs)
    assert students == [("4242", "4243"), ("4242", "4243")]
    assert ", 2 suspicious pairs; see" in result.stderr, result.stderr


def test_rerun_skips_unchanged_and_regrades_a_changed_file(graded) -> None:
    folder, out, _ = graded
    before = read_rows(out / "gradebook.csv")
    again = run_grade(folder, "--out", out, "--grammar", "harper", "--workers", "2")
    assert again.returncode == 1
    assert "(0 processed now, 204 unchanged" in again.stderr, again.stderr
    assert read_rows(out / "gradebook.csv") == before
    changed = folder / "student_005.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more closing thought.\n")
    third = run_grade(folder, "--out", out, "--grammar", "harper", "--workers", "2")
    assert "(1 processed now, 203 unchanged" in third.stderr, third.stderr
    after = {r["file"]: r for r in read_rows(out / "gradebook.csv")}
    assert (
        int(after["student_005.txt"]["words"])
        == int({r["file"]: r for r in before}["student_005.txt"]["words"]) + 4
    )


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_interrupt_leaves_whole_files_and_the_rerun_resumes(tmp_path: Path, how: str) -> None:
    folder, out, hooks = tmp_path / "class", tmp_path / "out", tmp_path / "hooks"
    folder.mkdir()
    for i, text in enumerate(generate_class(60, seed=3)):
        (folder / f"s{i:02d}.txt").write_text(text, encoding="utf-8")
    argv = (folder, "--out", out, "--grammar", "harper", "--workers", "2")
    # the signal comes while each worker is in the middle of an essay, s10 and s11
    with hooked_grade(hooks, ("s10.txt", "s11.txt"), *argv) as process:
        wait_for_start(hooks, "s10.txt")
        wait_for_start(hooks, "s11.txt")
        if how == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # the terminal signals the whole process group
        else:
            process.terminate()  # `kill PID`: the main process only
        release(hooks)
        _, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "resume" in stderr
    assert not list(out.rglob("*.tmp"))
    for report in (out / "reports").glob("*.json"):
        json.loads(report.read_text(encoding="utf-8"))  # every file is whole
    # the essays in progress were finished, not abandoned
    assert (out / "reports" / "s10.json").is_file() and (out / "reports" / "s11.json").is_file()
    assert not (out / "gradebook.csv").exists()
    resumed = run_grade(*argv)
    assert resumed.returncode == 0, resumed.stderr
    done_now = int(resumed.stderr.split("(")[1].split(" processed")[0])
    assert done_now <= 48  # s00 to s11 were saved
    assert len(read_rows(out / "gradebook.csv")) == 60


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_runs(
    tmp_path: Path,
) -> None:
    """QA: the second run deleted the first one's temporary files ("cannot write: No such
    file or directory", exit 2) and the two runs' class files mixed."""
    folder, out, hooks = tmp_path / "class", tmp_path / "out", tmp_path / "hooks"
    folder.mkdir()
    for i, text in enumerate(generate_class(8, seed=5)):
        (folder / f"s{i:02d}.txt").write_text(text, encoding="utf-8")
    argv = (folder, "--out", out, "--grammar", "harper", "--workers", "2")
    with hooked_grade(hooks, ("s03.txt",), *argv) as first:
        wait_for_start(hooks, "s03.txt")
        second = run_grade(*argv)
        release(hooks)
        _, first_stderr = first.communicate(timeout=300)
    assert second.returncode == 2
    assert second.stderr == (
        f"essaycoach: error: {out}: another `essaycoach grade` is writing to this folder; "
        "run again when it has finished, or give another --out\n"
    )
    assert first.returncode == 0, first_stderr
    assert len(read_rows(out / "gradebook.csv")) == 8
    after = run_grade(*argv)  # the lock ends with the run that held it
    assert after.returncode == 0, after.stderr
    assert "(0 processed now, 8 unchanged" in after.stderr


def write_zip(archive: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return archive


def test_lms_zip_export(tmp_path: Path) -> None:
    essays = generate_class(3, seed=11)
    archive = write_zip(
        tmp_path / "export.zip",
        {
            "Ada Okafor_501_assignsubmission_file_/essay.txt": essays[0],
            "smith_john_777_final essay.txt": essays[1],
            "Essay1_jdoe_attempt_2024-03-01-09-30-00_essay.txt": essays[2],
            "Essay1_jdoe_attempt_2024-03-01-09-30-00.txt": "Name: J Doe\nAttempt 1\n",
            "__MACOSX/._essay.txt": "\x00\x05",
        },
    )
    out = tmp_path / "out"
    result = run_grade(
        archive, "--out", out, "--grammar", "harper", "--workers", "1", "--format", "markdown"
    )
    assert result.returncode == 0, result.stderr
    rows = read_rows(out / "gradebook.csv")
    assert sorted((r["student_id"], r["name"]) for r in rows) == [
        ("501", "Ada Okafor"),
        ("777", "Smith, John"),
        ("jdoe", ""),
    ]
    assert sorted(p.name for p in (out / "reports").iterdir()) == ["501.md", "777.md", "jdoe.md"]
    # each report names its student, not only the file inside the export
    heading = (out / "reports" / "501.md").read_text(encoding="utf-8").splitlines()[0]
    assert heading.replace("\\", "").startswith("# essaycoach report: Ada Okafor (501): ")


def test_a_damaged_zip_member_fails_its_row_and_the_others_are_graded(tmp_path: Path) -> None:
    names = ["smith_john_777_essay.txt", "lee_ann_778_essay.txt", "okafor_ada_779_essay.txt"]
    archive = write_zip(
        tmp_path / "export.zip", dict(zip(names, generate_class(3, seed=12), strict=True))
    )
    data = bytearray(archive.read_bytes())
    start = data.index(b"lee_ann_778_essay.txt") + len("lee_ann_778_essay.txt")
    data[start + 5 : start + 40] = bytes(35)  # zero a stretch of Ann's compressed data
    archive.write_bytes(bytes(data))
    out = tmp_path / "out"
    result = run_grade(archive, "--out", out, "--grammar", "harper", "--workers", "1")
    assert result.returncode == 1, result.stderr  # some files failed
    rows = {r["student_id"]: r for r in read_rows(out / "gradebook.csv")}
    assert sorted(rows) == ["777", "778", "779"]
    assert rows["777"]["status"] == rows["779"]["status"] == "ok"
    assert rows["778"]["status"] == "failed"
    assert rows["778"]["reason"].startswith("damaged zip member (")
    assert "essaycoach: failed: lee_ann_778_essay.txt: damaged zip member (" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (out / "reports").glob("*.html")) == ["777.html", "779.html"]
    assert "3 submissions (3 processed now, 0 unchanged since the last run)" in result.stderr
    again = run_grade(archive, "--out", out, "--grammar", "harper", "--workers", "1")
    # the damaged member is looked at again (it may have been re-exported); the others are not
    assert "3 submissions (1 processed now, 2 unchanged since the last run)" in again.stderr


def test_a_broken_link_fails_its_row_and_the_others_are_graded(tmp_path: Path) -> None:
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    (folder / "ann.txt").write_text(generate_class(1, seed=14)[0], encoding="utf-8")
    (folder / "bob.txt").symlink_to(tmp_path / "deleted.txt")
    (folder / "carol.txt").symlink_to(folder / "carol.txt")  # a loop: resolve() raises
    result = run_grade(folder, "--out", out, "--grammar", "harper", "--workers", "1")
    assert result.returncode == 1, result.stderr  # some files failed
    assert "Traceback" not in result.stderr
    rows = {r["student_id"]: (r["status"], r["reason"]) for r in read_rows(out / "gradebook.csv")}
    assert rows == {
        "ann": ("ok", ""),
        "bob": ("failed", "broken symbolic link: its target does not exist"),
        "carol": ("failed", "broken symbolic link: it leads round a loop of links"),
    }
    reason = "broken symbolic link: its target does not exist"
    assert f"essaycoach: failed: bob.txt: {reason}" in result.stderr
    assert reason in (out / "summary.html").read_text(encoding="utf-8")


def test_a_link_to_another_submission_fails_its_row_instead_of_copying_from_itself(
    tmp_path: Path,
) -> None:
    """bob.txt -> alice.txt was graded twice and reported as a pair copied at 100%. A link
    to a --shared-text in the folder is left out with it, as before."""
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    alice, carol = generate_class(2, seed=21)
    (folder / "alice.txt").write_text(alice, encoding="utf-8")
    (folder / "bob.txt").symlink_to("alice.txt")
    (folder / "carol.txt").write_text(carol, encoding="utf-8")
    prompt = folder / "prompt.txt"
    prompt.write_text("Discuss memory and loss in Never Let Me Go.\n", "utf-8")
    (folder / "prompt-copy.txt").symlink_to("prompt.txt")
    result = run_grade(
        folder, "--out", out, "--grammar", "off", "--workers", "1", "--shared-text", prompt
    )
    assert result.returncode == 1, result.stderr
    rows = {r["student_id"]: (r["status"], r["reason"]) for r in read_rows(out / "gradebook.csv")}
    reason = "a link to another submission, alice.txt: the file is graded under that name only"
    assert rows == {"alice": ("ok", ""), "bob": ("failed", reason), "carol": ("ok", "")}
    # (two generated essays share template phrases: alice and carol may be a pair)
    pairs = [(p["student_a"], p["student_b"]) for p in read_rows(out / "pairs.csv")]
    assert not [pair for pair in pairs if "bob" in pair]
    assert f"essaycoach: failed: bob.txt: {reason}" in result.stderr


@pytest.mark.parametrize("packed", ["folder", "zip"])
def test_two_names_alike_in_two_unicode_forms_fail_both_rows(tmp_path: Path, packed: str) -> None:
    """QA: Zoë.txt composed (NFC) and decomposed (NFD), two files with the same essay, were
    graded as two submissions of one student (reports Zoë.html and Zoë-2.html), so their
    copying went unreported while bob.txt and carol.txt, the same copy, were a pair."""
    zoe, other, copied = generate_class(3, seed=31)
    members = {
        "Zo\u00eb.txt": copied,
        "Zoe\u0308.txt": copied,
        "ann.txt": other,
        "bob.txt": copied,
        "carol.txt": copied,
        "dan.txt": zoe,
    }
    if packed == "zip":
        source = write_zip(tmp_path / "export.zip", members)
        reason = "the zip holds 2 members named "
    else:
        source = tmp_path / "class"
        source.mkdir()
        for name, text in members.items():
            (source / name).write_text(text, encoding="utf-8")
        reason = "2 files are named 'Zo\u00eb.txt', in different Unicode forms "
    out = tmp_path / "out"
    result = run_grade(source, "--out", out, "--grammar", "off", "--workers", "1")
    assert result.returncode == 1, result.stderr  # some files failed
    rows = {r["file"]: r for r in read_rows(out / "gradebook.csv")}
    assert sorted(rows) == sorted(members)
    for name in ("Zo\u00eb.txt", "Zoe\u0308.txt"):
        assert rows[name]["status"] == "failed"
        assert rows[name]["reason"].startswith(reason), rows[name]["reason"]
        assert "('Zoe\u0308.txt' decomposed, 'Zo\u00eb.txt' composed)" in rows[name]["reason"]
    assert all(rows[name]["status"] == "ok" for name in ("ann.txt", "bob.txt", "carol.txt"))
    reports = sorted(p.stem for p in (out / "reports").glob("*.html"))
    assert reports == ["ann", "bob", "carol", "dan"]  # no Zoë-2
    pairs = {(p["student_a"], p["student_b"]) for p in read_rows(out / "pairs.csv")}
    assert ("bob", "carol") in pairs
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_fails_its_row_and_does_not_block_the_batch(tmp_path: Path) -> None:
    """No one writes to the pipe: opening it would block the batch until the timeout."""
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    (folder / "ann.txt").write_text(generate_class(1, seed=14)[0], encoding="utf-8")
    os.mkfifo(folder / "bob.txt")
    result = run_grade(folder, "--out", out, "--grammar", "off", "--workers", "1", timeout=60)
    assert result.returncode == 1, result.stderr
    rows = {r["student_id"]: (r["status"], r["reason"]) for r in read_rows(out / "gradebook.csv")}
    assert rows == {
        "ann": ("ok", ""),
        "bob": ("failed", "not a regular file: a named pipe (FIFO)"),
    }
    assert "essaycoach: failed: bob.txt: not a regular file: a named pipe" in result.stderr


@pytest.mark.languagetool
def test_auto_grammar_regrades_harper_only_reports_once_its_languagetool_answers(
    tmp_path: Path, require_languagetool
) -> None:
    from tests.integration.conftest_languagetool import free_port, own_languagetool_server

    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ann.txt").write_text(generate_class(1, seed=13)[0], encoding="utf-8")
    out = tmp_path / "out"
    port = free_port()
    env = {**ENV, "ESSAYCOACH_LANGUAGETOOL_URL": f"http://127.0.0.1:{port}"}
    argv = grade_argv(folder, "--out", out, "--grammar", "auto", "--workers", "1")

    def grade_once() -> tuple[str, str]:
        run = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
        assert run.returncode == 0, run.stderr
        report = json.loads((out / "reports" / "ann.json").read_text(encoding="utf-8"))
        return run.stderr, report["grammar"]["engine"]

    # the configured server is down: "auto" grades with Harper and says why
    stderr, engine = grade_once()
    assert "(1 processed now, 0 unchanged since the last run)" in stderr
    assert engine == "harper"
    # still down: the rerun resumes from the cache
    stderr, engine = grade_once()
    assert "(0 processed now, 1 unchanged since the last run)" in stderr
    # the same URL answers now: the Harper-only report is regraded with both engines
    properties = tmp_path / "server.properties"
    properties.write_text("", encoding="utf-8")
    with own_languagetool_server(require_languagetool, port, properties):
        stderr, engine = grade_once()
    assert "(1 processed now, 0 unchanged since the last run)" in stderr
    assert engine == "both"


def test_unsafe_zip_is_refused_with_one_line(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escape.txt", "nope")
    result = run_grade(archive, "--out", tmp_path / "out")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "zip slip" in lines[0] and "evil.zip" in lines[0]
    assert not (tmp_path.parent / "escape.txt").exists()
    assert not (tmp_path / "out").exists()  # no empty output folder left behind


def test_one_docx_is_refused_pointing_to_check(tmp_path: Path) -> None:
    """`grade essay.docx` took the .docx for a zip of submissions: 16 failed rows, one per
    XML part, exit 1."""
    from tests.fixtures.office import docx_bytes

    essay = tmp_path / "essay.docx"
    essay.write_bytes(docx_bytes())
    result = run_grade(essay, "--out", tmp_path / "out", "--grammar", "off")
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"essaycoach: error: {essay}: a Word document, not a folder or an LMS .zip of "
        "submissions: grade takes a folder or a .zip export; to check one essay, use "
        f"`essaycoach check {essay}`"
    ]
    assert not (tmp_path / "out").exists()


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    result = run_grade(tmp_path / "nope", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.browser
def test_summary_renders_in_headless_chromium_without_errors(graded, browser) -> None:
    _, out, _ = graded
    problems: list[str] = []
    requests: list[str] = []
    page = browser.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto((out / "summary.html").resolve().as_uri())
    page.wait_for_load_state("load")
    assert page.title().startswith("Class summary")
    assert page.locator("svg.chart").count() >= 3
    bars = page.locator("svg.chart rect.bar")
    heights = [bars.nth(i).bounding_box()["height"] for i in range(bars.count())]
    assert max(heights) > 20  # the charts are drawn, not collapsed
    assert page.get_by_text("corrupt .docx").count() >= 1
    assert page.locator(".pair").count() == 1
    page.screenshot(path=str(out / "summary.png"), full_page=True)
    assert problems == []
    assert all(url.startswith(("file:", "data:")) for url in requests), requests


def test_summary_fits_a_320_px_screen_in_chromium(graded, browser) -> None:
    """QA accessibility audit: at 320 px the mini-lessons table made the page 538 px wide;
    the wide tables scroll in their own box, the page does not."""
    _, out, _ = graded
    page = browser.new_page(viewport={"width": 320, "height": 800})
    page.goto((out / "summary.html").resolve().as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.locator("main").count() == 1 and page.locator("header h1").count() == 1
    assert page.locator("main .wide table").count() >= 3  # criteria, mini-lessons, all
    chart = page.locator('svg.chart[aria-describedby="criteria-data"]')
    assert chart.count() == 1 and page.locator("table#criteria-data").is_visible()
    page.close()


def test_a_roster_giving_one_id_two_names_is_an_input_error(tmp_path: Path) -> None:
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    (folder / "ann.txt").write_text(generate_class(1, seed=15)[0], encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name,file\nS1,Ann Lee,ann.txt\nS1,Bob Stone,bob.txt\n")
    result = run_grade(folder, "--out", out, "--roster", roster, "--grammar", "harper")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"essaycoach: error: {roster}: line 3: student_id 'S1' is 'Ann Lee' on line 2 and "
        "'Bob Stone' here: give each student their own id"
    ]
    assert not out.exists()


def test_output_folder_must_not_be_the_input_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(generate_class(1)[0], encoding="utf-8")
    result = run_grade(tmp_path, "--out", tmp_path)
    assert result.returncode == 2
    assert "must not be the submissions folder" in result.stderr


def test_an_earlier_runs_reports_are_not_graded_over(tmp_path: Path) -> None:
    """QA: `grade out/reports --out out` graded the reports and wrote over them and the
    gradebook. A class folder that merely sits inside --out is still graded."""
    term = tmp_path / "term"
    (term / "essays").mkdir(parents=True)
    for i, text in enumerate(generate_class(2)):
        (term / "essays" / f"s{i}.txt").write_text(text, encoding="utf-8")
    first = run_grade(term / "essays", "--out", term, "--grammar", "harper")
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in term.rglob("*") if p.is_file()}
    again = run_grade(term / "reports", "--out", term, "--grammar", "harper")
    assert again.returncode == 2
    assert again.stderr.splitlines() == [
        f"essaycoach: error: {term / 'reports'}: these are the reports of --out {term}, "
        "not submissions: grading them would write over them; grade the class's own folder"
    ]
    assert {p: p.read_bytes() for p in term.rglob("*") if p.is_file()} == before


def test_the_rubrics_own_exemplar_in_the_submissions_folder_is_no_submission(
    tmp_path: Path,
) -> None:
    """A rubric that names its exemplar (`exemplar = "exemplar.txt"`) kept beside the
    essays: the exemplar is the rubric's, not a student's."""
    persuasive = Path(__file__).resolve().parents[1] / "fixtures" / "persuasive"
    essays = tmp_path / "essays"
    essays.mkdir()
    for name in ("rubric.toml", "exemplar.txt", "strong.txt"):
        (essays / name).write_bytes((persuasive / name).read_bytes())
    out = tmp_path / "out"
    result = run_grade(
        essays, "--out", out, "--rubric", essays / "rubric.toml", "--grammar", "harper",
        "--workers", "1", "--no-config",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with (out / "gradebook.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [row["file"] for row in csv.DictReader(handle)] == ["strong.txt"]


@pytest.mark.parametrize("given_by", ["--accept-words", "the configuration's word_list"])
def test_a_word_list_in_the_submissions_folder_is_no_submission(
    tmp_path: Path, given_by: str
) -> None:
    """QA: a word list kept beside the essays was graded as a student's essay."""
    essays = tmp_path / "essays"
    essays.mkdir()
    (essays / "s0.txt").write_text(generate_class(1)[0], encoding="utf-8")
    (essays / "words.txt").write_text("Hailsham\nKathy\n", encoding="utf-8")
    if given_by == "--accept-words":
        options: tuple[str | Path, ...] = ("--accept-words", essays / "words.txt")
    else:
        config = tmp_path / "essaycoach.toml"
        config.write_text('word_list = "essays/words.txt"\n', encoding="utf-8")
        options = ("--config", config)
    out = tmp_path / "out"
    result = run_grade(essays, "--out", out, "--grammar", "harper", "--workers", "1", *options)
    assert result.returncode == 0, result.stderr
    with (out / "gradebook.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [row["file"] for row in csv.DictReader(handle)] == ["s0.txt"]


def test_a_killed_worker_ends_the_batch_cleanly_and_the_rerun_resumes(tmp_path: Path) -> None:
    folder, out, hooks = tmp_path / "class", tmp_path / "out", tmp_path / "hooks"
    folder.mkdir()
    for i, text in enumerate(generate_class(40, seed=5)):
        (folder / f"s{i:02d}.txt").write_text(text, encoding="utf-8")
    argv = (folder, "--out", out, "--grammar", "harper", "--workers", "2")
    # one worker is in the middle of s05 when it is killed, the other in the middle of s06
    with hooked_grade(hooks, ("s05.txt", "s06.txt"), *argv) as process:
        victim = wait_for_start(hooks, "s05.txt")
        wait_for_start(hooks, "s06.txt")
        os.kill(victim, signal.SIGKILL)  # like the out-of-memory killer
        _, stderr = process.communicate(timeout=300)
    assert process.returncode == 2, stderr
    assert "worker process died" in stderr and "Traceback" not in stderr
    # the other worker was stopped too, not left to start on the essays queued for it
    assert started(hooks) == {f"s{i:02d}.txt" for i in range(7)}
    resumed = run_grade(*argv)
    assert resumed.returncode == 0, resumed.stderr
    assert "40 submissions (35 processed now, 5 unchanged" in resumed.stderr, resumed.stderr
    assert len(read_rows(out / "gradebook.csv")) == 40


def test_a_file_that_changes_back_gets_a_report_matching_its_gradebook_row(tmp_path: Path) -> None:
    """A -> B -> A: the cache entry for A is still there, but ann's report file now holds
    B's report; reusing the entry would leave the gradebook and the report disagreeing."""
    first, second = generate_class(2, seed=7)
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    essay = folder / "ann.txt"
    (folder / "ben.txt").write_text(second, encoding="utf-8")
    totals = []
    for text in (first, second + "\n\nA different ending entirely.\n", first):
        essay.write_text(text, encoding="utf-8")
        result = run_grade(folder, "--out", out, "--grammar", "off", "--workers", "1",
                           "--format", "json")  # fmt: skip
        assert result.returncode == 0, result.stderr
        row = {r["file"]: r for r in read_rows(out / "gradebook.csv")}["ann.txt"]
        report = json.loads((out / row["report"]).read_text(encoding="utf-8"))
        assert report["essay"]["words"] == int(row["words"])
        assert report["score"]["total"] == pytest.approx(float(row["total_score"]), abs=0.05)
        totals.append(row["words"])
    assert totals[0] == totals[2] != totals[1]
    assert "(1 processed now, 1 unchanged" in result.stderr  # ann regraded, ben reused


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: [1, 2],
        # QA: valid JSON with a field of another type crashed grade (rc 1, no gradebook)
        lambda entry: {**entry, "reports": None},
        lambda entry: {**entry, "levels": 5},
        lambda entry: {**entry, "total": "x"},
        lambda entry: {**entry, "words": "x"},
    ],
    ids=["list", "reports-null", "levels-number", "total-text", "words-text"],
)
def test_a_damaged_cache_entry_is_regraded_not_a_traceback(tmp_path: Path, damage) -> None:
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    (folder / "ann.txt").write_text(generate_class(1, seed=3)[0], encoding="utf-8")
    assert run_grade(folder, "--out", out, "--grammar", "off").returncode == 0
    for entry in (out / ".essaycoach-cache").glob("*.json"):
        entry.write_text(json.dumps(damage(json.loads(entry.read_text("utf-8")))), "utf-8")
    (out / "gradebook.csv").unlink()
    again = run_grade(folder, "--out", out, "--grammar", "off")
    assert again.returncode == 0, again.stderr
    assert "(1 processed now, 0 unchanged" in again.stderr
    assert [row["file"] for row in read_rows(out / "gradebook.csv")] == ["ann.txt"]


def test_auto_falling_back_to_harper_says_so_once_on_stderr(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for i, text in enumerate(generate_class(2, seed=5)):
        (folder / f"student_{i}.txt").write_text(text, encoding="utf-8")
    result = run_grade(folder, "--out", tmp_path / "out", "--grammar", "auto", "--workers", "1",
                       "--languagetool-url", "http://127.0.0.1:1")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1] == (
        "essaycoach: 2 submissions: LanguageTool unavailable: LanguageTool server at "
        "http://127.0.0.1:1 did not answer: Connection refused; grammar checked with Harper "
        "only. Check the LanguageTool URL you configured."
    )


def test_the_summary_line_counts_essays_graded_but_not_judged(tmp_path: Path) -> None:
    """QA: '19 graded' included an essay too short to get a score, with no word of it."""
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ann.txt").write_text(generate_class(1, seed=3)[0], encoding="utf-8")
    (folder / "ben.txt").write_text("Kathy remembers Hailsham and the songs.\n", encoding="utf-8")
    result = run_grade(folder, "--out", tmp_path / "out", "--grammar", "harper", "--workers", "1")
    assert result.returncode == 0, result.stderr
    # the words and figures of summary.html's cards
    assert "1 scored, 1 not judged (too short or not English), 0 failed" in result.stderr


def test_a_killed_grade_leaves_no_workers_and_its_extraction_folder_goes_next_run(
    tmp_path: Path,
) -> None:
    """`kill -9` of grade left its workers running (one per CPU, each with a grammar
    engine) and the zip's extraction folder in /tmp for ever. The workers now exit
    within about a second, and the next run removes the abandoned folder."""
    out, hooks, temporary = tmp_path / "out", tmp_path / "hooks", tmp_path / "tmp"
    temporary.mkdir()
    archive = write_zip(
        tmp_path / "class.zip",
        {f"s{i}.txt": text for i, text in enumerate(generate_class(6, seed=8))},
    )
    argv = (archive, "--out", out, "--grammar", "off", "--workers", "2")
    tmpdir = {"TMPDIR": str(temporary)}
    with hooked_grade(hooks, ("s0.txt", "s1.txt"), *argv, env=tmpdir) as process:
        workers = [wait_for_start(hooks, "s0.txt"), wait_for_start(hooks, "s1.txt")]
        process.kill()  # the main process only, as `kill -9 PID` or the OOM killer would
        process.communicate(timeout=60)
        deadline = time.monotonic() + 20
        while any(map(_running, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(_running, workers))
    (abandoned,) = temporary.iterdir()
    assert abandoned.name.startswith(f"essaycoach-grade-{process.pid}-")
    resumed = subprocess.run(
        grade_argv(*argv), capture_output=True, text=True, env={**ENV, **tmpdir}, timeout=600
    )
    assert resumed.returncode == 0, resumed.stderr
    assert list(temporary.iterdir()) == []


def _running(pid: int) -> bool:
    """Whether `pid` runs and is not a zombie (the test reaps none of the workers)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


WORKS_CITED = (
    "\n\nWorks Cited\n\n"
    "Steinbeck, John. Of Mice and Men. Penguin Books, 1993.\n\n"
    'Shmoop Editorial Team. "Of Mice and Men Themes." Shmoop University, 11 Nov. 2008, '
    "www.shmoop.com/study-guides/literature/of-mice-and-men/themes.\n\n"
    "Parini, Jay. John Steinbeck: A Biography. Henry Holt and Company, New York, 1995.\n"
)


def test_what_the_essay_model_leaves_out_is_no_copying(tmp_path: Path) -> None:
    """QA: two different essays ending with the same Works Cited list were a copying
    pair (29 words of citations), and a shared form's text was shown as copied: the
    copy scan read the text as loaded, not the prose the reports count."""
    examples = Path(__file__).parents[2] / "examples"
    folder = tmp_path / "class"
    folder.mkdir()
    for name, source in (("ann", "missing-climax.txt"), ("ben", "out-of-order.txt")):
        text = (examples / source).read_text(encoding="utf-8").rstrip() + WORKS_CITED
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_grade(folder, "--out", out, "--grammar", "off", "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert read_rows(out / "pairs.csv") == []
    assert "0 suspicious pairs" in result.stderr
