"""Finding submissions in folders and zips, and refusing hostile zips."""

from __future__ import annotations

import logging
import os
import socket
import warnings
import zipfile
from pathlib import Path

import pytest

from essaycoach.errors import InputError
from essaycoach.grade.discover import Submission, discover, extract_zip, safe_member_path

ESSAY = "Kathy remembers Hailsham as a place of art, rumours and quiet rules.\n"


def _write(path: Path, text: str = ESSAY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_folder_is_searched_recursively_and_litter_is_ignored(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _write(root / "b.txt")
    _write(root / "period1" / "a.docx")
    _write(root / ".hidden.txt")
    _write(root / "__MACOSX" / "._a.docx")
    _write(root / "period1" / "~$a.docx")
    _write(root / "Thumbs.db")
    _write(root / ".git" / "config")
    found = discover(root, tmp_path / "x")
    assert [s.relative for s in found] == ["b.txt", "period1/a.docx"]


def test_submissions_are_in_name_order_whatever_the_case(tmp_path: Path) -> None:
    """QA: "Zoë" came before "alice" in the gradebook (code point order)."""
    root = tmp_path / "in"
    for name in ("Zoë.txt", "alice.txt", "Bob.txt"):
        _write(root / name)
    found = discover(root, tmp_path / "x")
    assert [s.relative for s in found] == ["alice.txt", "Bob.txt", "Zoë.txt"]
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("Zoë.txt", "alice.txt", "Bob.txt"):
            zf.writestr(name, ESSAY)
    found = discover(archive, tmp_path / "y")
    assert [s.relative for s in found] == ["alice.txt", "Bob.txt", "Zoë.txt"]


def test_links_inside_the_folder_are_searched_once_and_links_out_of_it_are_refused(
    tmp_path: Path,
) -> None:
    """A link leaving the submissions folder was followed: a link to /etc/passwd was
    graded and quoted in its report. Such a link, to a file or a folder, is never read;
    it is a row that fails saying why."""
    root = tmp_path / "in"
    _write(root / "b.txt")
    _write(root / "period2" / "c.txt")
    _write(tmp_path / "period1" / "a.txt")
    _write(tmp_path / "notes" / "private.txt")
    (root / "period1").symlink_to(tmp_path / "period1", target_is_directory=True)
    (root / "alias").symlink_to(root / "period2", target_is_directory=True)
    (root / "parent").symlink_to(tmp_path, target_is_directory=True)
    (root / "private.txt").symlink_to(tmp_path / "notes" / "private.txt")
    (root / "passwd.txt").symlink_to("/etc/passwd")
    (root / "period2" / "up.txt").symlink_to("../../notes/private.txt")  # relative, out
    (root / "c-link.txt").symlink_to("period2/c.txt")  # inside: one file, two names
    _write(root / ".drafts" / "p3" / "d.txt")
    (root / "period3").symlink_to(root / ".drafts" / "p3", target_is_directory=True)
    _write(root / ".drafts" / "p4" / "e.txt")
    _write(root / "class" / "f.txt")
    (root / "class" / "period4").symlink_to(root / ".drafts" / "p4", target_is_directory=True)
    found = discover(root, tmp_path / "x")
    # "alias" leads to a folder searched under its own name; "period3" to a hidden one,
    # searched only through it; "parent" (a folder holding the input) is skipped;
    # "period1" and the links to files out of the folder fail their rows
    out = "link leaves the submissions folder"
    assert [(s.relative, s.error.split(" (")[0]) for s in found] == [
        ("b.txt", ""),
        ("c-link.txt", "a link to another submission, period2/c.txt: the file is graded "
         "under that name only"),
        ("class/f.txt", ""),
        ("class/period4/e.txt", ""),
        ("passwd.txt", out),
        ("period1", out),
        ("period2/c.txt", ""),
        ("period2/up.txt", out),
        ("period3/d.txt", ""),
        ("private.txt", out),
    ]  # fmt: skip
    errors = {s.relative: s.error for s in found}
    assert errors["passwd.txt"] == (
        "link leaves the submissions folder (to the file /etc/passwd); not read: copy the "
        "file itself into the submissions folder to grade it"
    )
    assert f"(to the folder {tmp_path / 'period1'})" in errors["period1"]


def test_links_to_the_input_its_ancestors_or_the_output_are_skipped_not_failed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Review: once links leaving the folder became failed rows, `cls/up -> ..`, a link
    to the folder itself from a subfolder, and a link to the --out folder were failed
    rows too ("link leaves the submissions folder ...: copy the folder in"), and grade
    exited 1. They are the input or the output, not submissions: skipped, as before."""
    root = tmp_path / "cls"
    _write(root / "ann.txt")
    _write(tmp_path / "elsewhere" / "x.txt")
    out = tmp_path / "graded"
    out.mkdir()
    (root / "up").symlink_to("..", target_is_directory=True)
    (root / "period2").mkdir()
    (root / "period2" / "top").symlink_to("..", target_is_directory=True)
    (root / "results").symlink_to(out, target_is_directory=True)
    (root / "other").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with caplog.at_level(logging.INFO, logger="essaycoach"):
        found = discover(root, tmp_path / "x", (out,))
    assert [(s.relative, s.error.split(" (")[0]) for s in found] == [
        ("ann.txt", ""),
        ("other", "link leaves the submissions folder"),
    ]
    assert f"skipping {root / 'up'}: a link to a folder that holds the input" in caplog.text


def test_a_link_to_a_file_outside_is_a_failed_row_in_the_batch(tmp_path: Path) -> None:
    """The batch never reads a link that leaves the folder: its row fails, the others are
    graded."""
    from essaycoach.grade.batch import grade_batch
    from essaycoach.settings import Settings

    root = tmp_path / "in"
    essay = Path(__file__).parents[1] / "fixtures" / "topic" / "to-kill-a-mockingbird.txt"
    _write(root / "ann.txt", essay.read_text(encoding="utf-8"))
    secret = _write(tmp_path / "secret.txt", "The secret password is swordfish and more.\n")
    (root / "bob.txt").symlink_to(secret)
    batch = grade_batch(root, tmp_path / "out", Settings(grammar="harper"), workers=1)
    rows = {r.file: r for r in batch.results}
    assert rows["ann.txt"].ok
    assert not rows["bob.txt"].ok
    assert rows["bob.txt"].reason.startswith("link leaves the submissions folder")
    assert "swordfish" not in "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*") if p.is_file()
    )


def test_links_that_lead_nowhere_are_submissions_that_fail_with_the_reason(
    tmp_path: Path,
) -> None:
    """They were skipped silently: a student whose file is a broken link vanished from
    the gradebook instead of failing its row."""
    root = tmp_path / "in"
    _write(root / "ann.txt")
    (root / "bob.txt").symlink_to(tmp_path / "deleted.txt")
    (root / "carol.txt").symlink_to(root / "carol.txt")
    (root / "dan.txt").symlink_to(root / "eve.txt")
    (root / "eve.txt").symlink_to(root / "dan.txt")
    (root / "fay.txt").symlink_to(root / "ann.txt" / "essay.txt")  # through a file
    (root / "period2").symlink_to(tmp_path / "gone", target_is_directory=True)
    _write(root / ".drafts" / "ann.txt")
    (root / "ann-link.txt").symlink_to(root / ".drafts" / "ann.txt")  # a working link
    (root / ".old.txt").symlink_to(tmp_path / "deleted.txt")  # hidden: left out
    found = discover(root, tmp_path / "x")
    missing = "broken symbolic link: its target does not exist"
    loop = "broken symbolic link: it leads round a loop of links"
    assert [(s.relative, s.error) for s in found] == [
        ("ann-link.txt", ""),
        ("ann.txt", ""),
        ("bob.txt", missing),
        ("carol.txt", loop),
        ("dan.txt", loop),
        ("eve.txt", loop),
        ("fay.txt", missing),
        ("period2", missing),
    ]


def test_a_file_under_two_names_is_one_submission_and_the_other_name_fails(
    tmp_path: Path,
) -> None:
    """bob.txt, a link to alice.txt, was graded twice and reported as copied between
    Alice and Bob at 100%. Two files with the same words are still two submissions."""
    root = tmp_path / "in"
    _write(root / "alice.txt")
    (root / "bob.txt").symlink_to("alice.txt")  # relative, as `ln -s` makes it
    _write(root / ".shared" / "shared.txt")  # hidden: not a submission of its own
    (root / "carol.txt").symlink_to(root / ".shared" / "shared.txt")
    (root / "dan.txt").symlink_to(root / ".shared" / "shared.txt")
    _write(root / "erin.txt")
    (root / "period1").mkdir()
    os.link(root / "erin.txt", root / "period1" / "fred.txt")
    (root / "period1" / "gus.txt").symlink_to(root / "bob.txt")  # a link to a link
    _write(root / "hal.txt")  # alice's words in a file of its own
    found = discover(root, tmp_path / "x")
    graded = "the file is graded under that name only"
    assert [(s.relative, s.error) for s in found] == [
        ("alice.txt", ""),
        ("bob.txt", f"a link to another submission, alice.txt: {graded}"),
        ("carol.txt", ""),
        ("dan.txt", f"a link to the same file as another submission, carol.txt: {graded}"),
        ("erin.txt", ""),
        ("hal.txt", ""),
        (
            "period1/fred.txt",
            f"the same file as another submission (a hard link), erin.txt: {graded}",
        ),
        ("period1/gus.txt", f"a link to another submission, alice.txt: {graded}"),
    ]


ZOE = "Zo\u00eb"  # composed, as Windows and Linux write it (NFC)
ZOE_NFD = "Zoe\u0308"  # decomposed, as macOS writes it (NFD)


def test_two_files_named_alike_in_two_unicode_forms_both_fail(tmp_path: Path) -> None:
    """QA: Zoë.txt composed and decomposed, two files, were one student (names compare
    after NFC), so copying between them was never looked for. Like two zip members of one
    name, neither is graded. One file under both names is one submission, and names that
    differ in case (Ann.txt, ann.txt) are two students, as before."""
    root = tmp_path / "in"
    _write(root / f"{ZOE}.txt")
    _write(root / f"{ZOE_NFD}.txt", ESSAY + "Ruth never admits it.\n")
    _write(root / "period1" / "M\u00fcller.txt")
    os.link(root / "period1" / "M\u00fcller.txt", root / "period1" / "Mu\u0308ller.txt")
    _write(root / "Ann.txt")
    _write(root / "ann.txt")
    found = discover(root, tmp_path / "x")
    errors = {s.relative: s.error for s in found}
    reason = (
        f"2 files are named '{ZOE}.txt', in different Unicode forms ('{ZOE_NFD}.txt' "
        f"decomposed, '{ZOE}.txt' composed); none was graded, as names are compared in one "
        "form and they would be one student: rename them and grade again"
    )
    graded = "the file is graded under that name only"
    assert errors == {
        "Ann.txt": "",
        "ann.txt": "",
        f"{ZOE}.txt": reason,
        f"{ZOE_NFD}.txt": reason,
        "period1/M\u00fcller.txt": (  # a hard link: the first name in order is graded
            f"the same file as another submission (a hard link), period1/Mu\u0308ller.txt: {graded}"
        ),
        "period1/Mu\u0308ller.txt": "",
    }


def test_a_link_to_a_file_named_in_two_unicode_forms_is_not_said_to_be_graded(
    tmp_path: Path,
) -> None:
    """QA re-check: the link's row said the file 'is graded under that name only', but
    that name's row failed, so the essay was graded under no name."""
    root = tmp_path / "in"
    _write(root / f"{ZOE}.txt")
    _write(root / f"{ZOE_NFD}.txt", ESSAY + "Ruth never admits it.\n")
    (root / "link.txt").symlink_to(root / f"{ZOE_NFD}.txt")
    errors = {s.relative: s.error for s in discover(root, tmp_path / "x")}
    assert errors["link.txt"] == (
        f"a second name for '{ZOE_NFD}.txt', which is not graded: 2 files are named "
        f"'{ZOE}.txt' in different Unicode forms"
    )


def test_a_roster_naming_a_file_in_two_unicode_forms_fails_those_rows_only(
    tmp_path: Path,
) -> None:
    """QA re-check: the roster's row matched both files and refused the whole run, saying
    to give each its path, which a student cannot tell apart; the rows fail instead."""
    from essaycoach.grade.batch import grade_batch
    from essaycoach.settings import Settings

    root = tmp_path / "in"
    _write(root / f"{ZOE}.txt")
    _write(root / f"{ZOE_NFD}.txt", ESSAY + "Ruth never admits it.\n")
    _write(root / "bob.txt")
    roster = tmp_path / "roster.csv"
    roster.write_text(f"student_id,name,file\nz1,Zoe,{ZOE}.txt\n", encoding="utf-8")
    batch = grade_batch(
        root, tmp_path / "out", Settings(grammar="off"), workers=1, roster_path=roster
    )
    rows = {r.file: r for r in batch.results}
    assert rows["bob.txt"].ok
    assert not rows[f"{ZOE}.txt"].ok and not rows[f"{ZOE_NFD}.txt"].ok
    assert "in different Unicode forms" in rows[f"{ZOE}.txt"].reason


def test_a_link_or_file_that_cannot_be_looked_at_fails_its_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A target in a folder the user may not search (EACCES; root is never refused, so
    the refusal is simulated)."""
    root = tmp_path / "in"
    _write(root / "ann.txt")
    _write(root / "bob.txt")
    (root / "carol.txt").symlink_to(tmp_path / "private" / "carol.txt")
    refused = {root / "bob.txt", root / "carol.txt"}
    real_stat = Path.stat

    def stat(self: Path, *, follow_symlinks: bool = True):
        if follow_symlinks and self in refused:
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(Path, "stat", stat)
    found = discover(root, tmp_path / "x")
    assert [(s.relative, s.error) for s in found] == [
        ("ann.txt", ""),
        ("bob.txt", "cannot read file: Permission denied"),
        ("carol.txt", "broken symbolic link: its target cannot be reached (Permission denied)"),
    ]


def _refuse_listing(monkeypatch: pytest.MonkeyPatch, *refused: Path) -> None:
    """os.scandir raises PermissionError for the `refused` folders. Tests run as root,
    whom a folder's permissions (chmod 000) never stop, so the refusal is simulated."""
    real_scandir = os.scandir

    def scandir(path=None):
        if path is not None and Path(path) in refused:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path) if path is not None else real_scandir()

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_folder_that_cannot_be_listed_fails_its_row_and_the_rest_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was skipped silently: the essays in it vanished from the gradebook."""
    root = tmp_path / "in"
    _write(root / "ann.txt")
    _write(root / "period2" / "bob.txt")
    _write(root / "period3" / "carol.txt")
    _write(root / "period4" / "dan.txt")
    _refuse_listing(monkeypatch, root / "period2", root / "period4")
    found = discover(root, tmp_path / "x")
    reason = "cannot read folder: Permission denied; its files were not graded"
    assert [(s.relative, s.error) for s in found] == [
        ("ann.txt", ""),
        ("period2", reason),
        ("period3/carol.txt", ""),
        ("period4", reason),
    ]


def test_a_submissions_folder_that_cannot_be_listed_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "in"
    _write(root / "ann.txt")
    _refuse_listing(monkeypatch, root)
    with pytest.raises(InputError, match="cannot read the folder: Permission denied"):
        discover(root, tmp_path / "x")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes or Unix sockets")
def test_pipes_sockets_and_devices_fail_their_rows_unopened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """They were skipped silently: a "submission" vanished from the gradebook. Only
    their stat is looked at (the batch never opens a row that has an error: a pipe no
    one writes to would block it). The device is /dev/null, reached through a link."""
    root = tmp_path / "in"
    _write(root / "ann.txt")
    os.mkfifo(root / "bob.txt")
    monkeypatch.chdir(root)  # a socket's path is limited to about 100 bytes: bind it relative
    server = socket.socket(socket.AF_UNIX)
    server.bind("carol.txt")
    (root / "dan.txt").symlink_to("/dev/null")
    try:
        found = discover(root, tmp_path / "x")
    finally:
        server.close()
    assert [(s.relative, s.error) for s in found] == [
        ("ann.txt", ""),
        ("bob.txt", "not a regular file: a named pipe (FIFO)"),
        ("carol.txt", "not a regular file: a socket"),
        ("dan.txt", "not a regular file: a device"),
    ]


def test_output_folder_inside_the_input_is_skipped(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _write(root / "a.txt")
    _write(root / "graded" / "reports" / "a.md")
    found = discover(root, tmp_path / "x", exclude=(root / "graded",))
    assert [s.relative for s in found] == ["a.txt"]


@pytest.mark.parametrize(
    ("marker", "zipped"),
    [
        (".essaycoach-cache/0a1b.json", False),
        ("gradebook.csv+summary.html", False),
        # a zip never holds the hidden cache folder (not extracted); its files show it
        ("gradebook.csv+summary.html", True),
    ],
    ids=["cache", "files", "files-in-a-zip"],
)
def test_an_earlier_grade_output_folder_inside_the_input_is_skipped_and_logged(
    tmp_path: Path, marker: str, zipped: bool
) -> None:
    root = tmp_path / "in"
    _write(root / "a.txt")
    _write(root / "graded-monday" / "reports" / "a.html", "<p>an old report</p>")
    for name in marker.split("+"):
        _write(root / "graded-monday" / name, "x")
    if zipped:
        archive = tmp_path / "class.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for file in sorted(p for p in root.rglob("*") if p.is_file()):
                zf.write(file, file.relative_to(root).as_posix())
        root = archive
    messages: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("essaycoach.grade.discover")
    level = logger.level
    logger.setLevel(logging.INFO)  # setLevel, not the attribute: it clears the level cache
    logger.addHandler(handler)
    try:
        found = discover(root, tmp_path / "x")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert [s.relative for s in found] == ["a.txt"]
    # a zip's folder by its path in the zip, not the temporary extraction folder
    shown = f"{root}: graded-monday/" if zipped else f"{root / 'graded-monday'}"
    assert messages == [
        f"skipping {shown}: the output of an earlier `essaycoach grade`, not submissions"
    ]


def test_a_folder_with_only_a_gradebook_is_not_taken_for_grade_output(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _write(root / "period1" / "gradebook.csv", "student,score\n")
    _write(root / "period1" / "a.txt")
    found = discover(root, tmp_path / "x")
    assert [s.relative for s in found] == ["period1/a.txt", "period1/gradebook.csv"]


def test_zip_is_extracted_with_member_names_kept(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Jane Doe_12345_assignsubmission_file_/essay.txt", ESSAY)
        zf.writestr("smith_john_555_essay.txt", ESSAY)
        zf.writestr("__MACOSX/._smith_john_555_essay.txt", "x")
    found = _discover_zip(tmp_path, archive)
    assert [s.relative for s in found] == [
        "Jane Doe_12345_assignsubmission_file_/essay.txt",
        "smith_john_555_essay.txt",
    ]
    assert found[1].path.read_text(encoding="utf-8") == ESSAY
    assert found[1].path.is_relative_to(tmp_path / "extracted")


def _without_utf8_flag(archive: Path) -> None:
    """Clear the "UTF-8 names" flag (bit 11) in every header, as Info-ZIP's zip writes."""
    data = bytearray(archive.read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            flags = int.from_bytes(data[at + flags_at : at + flags_at + 2], "little")
            data[at + flags_at : at + flags_at + 2] = (flags & ~0x800).to_bytes(2, "little")
            at = data.find(signature, at + 4)
    archive.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "name",
    ["müllerzoë_12349_67894_essay.txt", "Zoë Müller_4242_assignsubmission_file_/essay.txt"],
)
def test_zip_names_in_utf8_without_the_flag_are_read_as_utf8(tmp_path: Path, name: str) -> None:
    """Info-ZIP and macOS write UTF-8 names without the flag; read as cp437 they were
    "mu╠êllerzoe╠ê_...", and the student's id and name were lost."""
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(name, ESSAY)
    _without_utf8_flag(archive)
    assert zipfile.ZipFile(archive).infolist()[0].flag_bits & 0x800 == 0
    found = _discover_zip(tmp_path, archive)
    assert [s.relative for s in found] == [name]
    assert found[0].path.read_text(encoding="utf-8") == ESSAY


def test_zip_names_that_are_not_utf8_stay_cp437(tmp_path: Path) -> None:
    """As the zip standard says, for old Windows zips: cp437 0x82 is é."""
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("rXsumX_12.txt", ESSAY)
    archive.write_bytes(archive.read_bytes().replace(b"rXsumX", b"r\x82sum\x82"))
    found = _discover_zip(tmp_path, archive)
    assert [s.relative for s in found] == ["résumé_12.txt"]


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "a/../../evil.txt",
        "/etc/evil.txt",
        "..\\..\\evil.txt",
        "C:/evil.txt",
        "a/../evil.txt",  # stays inside, but a '..' part is refused all the same
    ],
)
def test_zip_slip_is_refused(tmp_path: Path, name: str) -> None:
    archive = tmp_path / "slip.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("fine.txt", ESSAY)
        zf.writestr(name, "pwned")
    target = tmp_path / "extracted"
    target.mkdir()
    # QA: "a/../b.txt would escape the extraction folder" was untrue
    expected = "a '..' part is not accepted" if name == "a/../evil.txt" else "(zip slip)"
    with pytest.raises(InputError, match=expected) as caught:
        extract_zip(archive, target)
    assert "slip.zip" in str(caught.value)
    assert not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize("name", ["essays/a.txt", "a b/c.docx", "x..y.txt"])
def test_safe_member_paths_stay_inside(tmp_path: Path, name: str) -> None:
    assert safe_member_path(tmp_path, name).is_relative_to(tmp_path.resolve())


def test_zip_bomb_member_is_not_extracted_and_the_others_are(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", b"0" * 3_000_000)  # compresses to a few kB
        zf.writestr("essay.txt", ESSAY)
    assert archive.stat().st_size < 50_000
    target = tmp_path / "extracted"
    target.mkdir()
    problems = extract_zip(archive, target, max_member_bytes=1_000_000).problems
    assert list(problems) == ["big.txt"]
    assert "3 MB uncompressed" in problems["big.txt"]
    assert sorted(p.name for p in target.iterdir()) == ["essay.txt"]


def test_zip_bomb_member_lying_about_its_size_is_damaged_not_extracted(tmp_path: Path) -> None:
    archive = tmp_path / "liar.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", b"0" * 3_000_000)
    data = bytearray(archive.read_bytes())
    central = data.index(b"PK\x01\x02")
    # the central directory's uncompressed size, which ZipInfo.file_size reads: claim 100 bytes
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    target = tmp_path / "extracted"
    target.mkdir()
    problems = extract_zip(archive, target, max_member_bytes=1_000_000).problems
    # zipfile stops at the declared 100 bytes, then the CRC check fails
    assert problems == {
        "big.txt": "damaged zip member (Bad CRC-32 for file 'big.txt'); export the archive again"
    }
    assert list(target.iterdir()) == []  # the partial file is removed


def test_zip_total_size_cap(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(5):
            zf.writestr(f"e{i}.txt", b"word " * 100_000)
    target = tmp_path / "extracted"
    target.mkdir()
    with pytest.raises(InputError, match="expands to 2 MB; more than 1 MB in total"):
        extract_zip(archive, target, max_total_bytes=1_200_000)
    assert list(target.iterdir()) == []  # refused before anything is written


def test_zip_member_count_cap(tmp_path: Path) -> None:
    archive = tmp_path / "count.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(30):
            zf.writestr(f"e{i}.txt", ESSAY)
    target = tmp_path / "extracted"
    target.mkdir()
    with pytest.raises(InputError, match="30 entries"):
        extract_zip(archive, target, max_members=20)


def _discover_zip(tmp_path: Path, archive: Path) -> list[Submission]:
    """discover() on `archive`, extracting into a fresh tmp_path/extracted."""
    target = tmp_path / "extracted"
    target.mkdir()
    return discover(archive, target)


def _one_member_zip(archive: Path, name: str = "essay.txt") -> tuple[bytearray, int, int]:
    """The bytes of a zip holding one essay, and where its local and central headers start."""
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(name, ESSAY)
    data = bytearray(archive.read_bytes())
    return data, data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")


def _discover_flagged(tmp_path: Path, bits: int, name: str = "essay.txt") -> list[Submission]:
    """discover() on a one-member zip whose general-purpose flag has `bits` set, in both
    headers (bit 0: encrypted, as `zip -e` sets it; bit 5: compressed patched data)."""
    archive = tmp_path / "flagged.zip"
    data, local, central = _one_member_zip(archive, name)
    data[local + 6] |= bits
    data[central + 8] |= bits
    archive.write_bytes(bytes(data))
    return _discover_zip(tmp_path, archive)


def test_member_marked_encrypted_is_reported_not_extracted(tmp_path: Path) -> None:
    found = _discover_flagged(tmp_path, 0x1)
    assert [(s.relative, s.error) for s in found] == [
        ("essay.txt", "password-protected zip member; export the archive without a password")
    ]
    assert list((tmp_path / "extracted").iterdir()) == []


def test_corrupt_zip_and_missing_path(tmp_path: Path) -> None:
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputError, match="zip"):
        discover(bad, tmp_path / "x")
    with pytest.raises(InputError, match="no such file"):
        discover(tmp_path / "nope", tmp_path / "x")
    plain = _write(tmp_path / "one.csv")
    with pytest.raises(InputError, match=r"expected a folder of submissions or an LMS \.zip"):
        discover(plain, tmp_path / "x")


def test_member_with_an_unreadable_compression_method_is_reported(tmp_path: Path) -> None:
    archive = tmp_path / "aes.zip"
    data, local, central = _one_member_zip(archive)
    # method 99 (WinZip AES), which zipfile cannot read, in both headers
    data[local + 8 : local + 10] = (99).to_bytes(2, "little")
    data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    archive.write_bytes(bytes(data))
    target = tmp_path / "extracted"
    target.mkdir()
    problems = extract_zip(archive, target).problems
    assert list(problems) == ["essay.txt"]
    assert problems["essay.txt"].startswith("zip member uses compression method 99")
    assert list(target.iterdir()) == []


@pytest.mark.parametrize(
    "compression",
    [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA],
    ids=["deflate", "bzip2", "lzma"],
)
def test_member_with_damaged_data_is_reported_and_the_others_extracted(
    tmp_path: Path, compression: int
) -> None:
    archive = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive, "w", compression) as zf:
        zf.writestr("alice.txt", ESSAY * 20)
        zf.writestr("bob.txt", ESSAY)
    data = bytearray(archive.read_bytes())
    start = data.index(b"alice.txt") + len("alice.txt")  # alice's compressed data follows
    data[start + 5 : start + 25] = bytes(20)
    archive.write_bytes(bytes(data))
    found = _discover_zip(tmp_path, archive)
    assert [s.relative for s in found] == ["alice.txt", "bob.txt"]
    assert found[0].error.startswith("damaged zip member (")
    assert not found[0].path.exists()
    assert found[1].error == "" and found[1].path.read_text(encoding="utf-8") == ESSAY


def test_a_file_and_a_folder_of_one_name_fail_the_file_and_keep_the_folder(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "clash.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("alice", ESSAY)
        zf.writestr("alice/essay.txt", ESSAY)
    found = _discover_zip(tmp_path, archive)
    assert [(s.relative, s.error[:40]) for s in found] == [
        ("alice", "the zip holds a file 'alice' and a folde"),
        ("alice/essay.txt", ""),
    ]


def test_a_failed_member_with_backslashes_is_named_like_the_extracted_ones(
    tmp_path: Path,
) -> None:
    found = _discover_flagged(tmp_path, 0x1, "period1\\carol_essay.txt")  # fails: encrypted
    assert [s.relative for s in found] == ["period1/carol_essay.txt"]
    assert found[0].error.startswith("password-protected")


@pytest.mark.parametrize(
    ("entry", "attribute"),
    [("period1\\", 0), ("period1", 0x10)],
    ids=["trailing backslash", "MS-DOS folder attribute"],
)
def test_a_windows_folder_entry_is_a_folder_not_a_clashing_file(
    tmp_path: Path, entry: str, attribute: int
) -> None:
    archive = tmp_path / "windows.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        folder = zipfile.ZipInfo(entry)
        folder.create_system = 0  # MS-DOS, as Windows tools write
        folder.external_attr = attribute
        zf.writestr(folder, b"")
        zf.writestr("period1\\carol_essay.txt", ESSAY)
    found = _discover_zip(tmp_path, archive)
    assert [(s.relative, s.error) for s in found] == [("period1/carol_essay.txt", "")]


def test_a_unix_file_with_the_group_write_bit_low_is_a_file_not_a_folder(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "unix.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        carol = zipfile.ZipInfo("carol.txt")
        carol.create_system = 3
        carol.external_attr = (0o100664 << 16) | 0x10  # 0x10 is S_IWGRP in the low bits
        zf.writestr(carol, ESSAY)
    found = _discover_zip(tmp_path, archive)
    assert [(s.relative, s.error) for s in found] == [("carol.txt", "")]


def test_a_member_stored_as_patched_data_fails_its_row(tmp_path: Path) -> None:
    found = _discover_flagged(tmp_path, 0x20)
    assert [s.relative for s in found] == ["essay.txt"]
    assert found[0].error.startswith("zip member stored as compressed patched data")


def test_two_members_with_one_name_are_both_reported_rather_than_one_lost(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "dup.zip"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns "Duplicate name"; that is the point
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("alice.md", ESSAY)
            zf.writestr("alice.md", ESSAY + " A second draft.")
            zf.writestr("bob.md", ESSAY)
    found = _discover_zip(tmp_path, archive)
    assert [s.relative for s in found] == ["alice.md", "bob.md"]
    assert found[0].error.startswith("the zip holds 2 members named 'alice.md'; none was graded")
    assert not found[0].path.exists()
    assert found[1].error == ""


def test_two_members_named_alike_in_two_unicode_forms_are_both_reported(tmp_path: Path) -> None:
    """QA: Müller.txt composed and decomposed were both graded, as one student Müller,
    while two members of one name are refused. Both fail now, and neither is extracted
    (a file system that compares names in one form, as macOS does, would keep one)."""
    archive = tmp_path / "forms.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("M\u00fcller.txt", ESSAY)
        zf.writestr("Mu\u0308ller.txt", ESSAY + " A second draft.")
        zf.writestr(f"{ZOE}/essay.txt", ESSAY)
        zf.writestr(f"{ZOE_NFD}/essay.txt", ESSAY)
        zf.writestr(f"{ZOE}/notes.txt", ESSAY)  # its own name in either form
        zf.writestr("Ann.txt", ESSAY)
        zf.writestr("ann.txt", ESSAY)
    found = _discover_zip(tmp_path, archive)
    errors = {s.relative: s.error for s in found}
    ended = "none was graded, as names are compared in one form and they would be one student"
    assert errors == {
        "Ann.txt": "",
        "ann.txt": "",
        "M\u00fcller.txt": (
            "the zip holds 2 members named 'M\u00fcller.txt' in different Unicode forms "
            f"('Mu\u0308ller.txt' decomposed, 'M\u00fcller.txt' composed); {ended}: rename "
            "them and zip again"
        ),
        "Mu\u0308ller.txt": (
            "the zip holds 2 members named 'Mu\u0308ller.txt' in different Unicode forms "
            f"('Mu\u0308ller.txt' decomposed, 'M\u00fcller.txt' composed); {ended}: rename "
            "them and zip again"
        ),
        f"{ZOE}/essay.txt": (
            f"the zip holds 2 members named '{ZOE}/essay.txt' in different Unicode forms "
            f"('{ZOE_NFD}/essay.txt' decomposed, '{ZOE}/essay.txt' composed); {ended}: rename "
            "them and zip again"
        ),
        f"{ZOE_NFD}/essay.txt": (
            f"the zip holds 2 members named '{ZOE_NFD}/essay.txt' in different Unicode forms "
            f"('{ZOE_NFD}/essay.txt' decomposed, '{ZOE}/essay.txt' composed); {ended}: rename "
            "them and zip again"
        ),
        f"{ZOE}/notes.txt": "",
    }
    assert not any(s.path.exists() for s in found if s.error)


def test_a_member_name_too_long_for_the_file_system_is_still_a_submission(tmp_path: Path) -> None:
    """Moodle's prefix plus a student's long file name: 261 bytes of UTF-8, over 255."""
    long_name = "山田太郎_4243_assignsubmission_file_" + "エッセイ" * 18 + ".txt"
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(long_name, ESSAY)
        zf.writestr(f"{'フォルダ' * 22}/essay.md", ESSAY)  # a folder name too long as well
        zf.writestr("ok.txt", ESSAY)
    target = tmp_path / "extracted"
    target.mkdir()
    found = discover(archive, target)
    assert sorted(s.relative for s in found) == sorted(
        [long_name, f"{'フォルダ' * 22}/essay.md", "ok.txt"]
    )
    assert all(not s.error and s.path.read_text(encoding="utf-8") == ESSAY for s in found)
    assert {s.path.suffix for s in found} == {".txt", ".md"}


def test_zip_member_names_with_control_characters_are_shown_escaped(tmp_path: Path) -> None:
    """A duplicated member fails its row; its name must not carry an ESC into the
    gradebook or the terminal, nor a shortened name lose its way back."""
    archive = tmp_path / "evil.zip"
    long_name = "x\x1b" + "y" * 300 + ".txt"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("evil\x1b[31mred.txt", ESSAY)
        with pytest.warns(UserWarning, match="Duplicate name"):
            zf.writestr("evil\x1b[31mred.txt", ESSAY)
        zf.writestr(long_name, ESSAY)
    target = tmp_path / "extracted"
    target.mkdir()
    found = discover(archive, target)
    assert sorted((s.relative, bool(s.error)) for s in found) == [
        ("evil\\x1b[31mred.txt", True),
        ("x\\x1b" + "y" * 300 + ".txt", False),
    ]


def test_a_symbolic_link_in_a_zip_is_a_failed_row_not_a_lost_student(tmp_path: Path) -> None:
    """A link member (`zip --symlinks`) vanished from the gradebook without a word; it
    is never followed or recreated, and its row fails saying why."""
    import stat

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ann_111_essay.txt", ESSAY)
        link = zipfile.ZipInfo("bob_222_essay.txt")
        link.create_system = 3  # Unix: the mode is in the high bits
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    found = _discover_zip(tmp_path, archive)
    assert [(s.relative, s.error) for s in found] == [
        ("ann_111_essay.txt", ""),
        (
            "bob_222_essay.txt",
            "a symbolic link in the zip, not a file; links are not followed, so it was not "
            "graded: zip the file itself",
        ),
    ]
    assert not (tmp_path / "extracted" / "bob_222_essay.txt").exists()


@pytest.mark.parametrize(
    ("name", "kind", "hint"),
    [
        ("essay.docx", "a Word document", "`essaycoach check {path}`"),
        ("essay.odt", "an OpenDocument text", "`essaycoach check {path}`"),
        # a .docx renamed: zipfile takes it for an archive, its content says what it is
        ("essay.zip", "a Word document", "`essaycoach check {path}` on a copy whose name "
         "ends in .docx"),
        ("essay.txt", "a text file", "`essaycoach check {path}`"),
    ],
)  # fmt: skip
def test_one_essay_is_refused_pointing_to_check(
    tmp_path: Path, name: str, kind: str, hint: str
) -> None:
    """`grade essay.docx` extracted the .docx as a zip of submissions and failed each of
    its XML parts as a student."""
    from tests.fixtures.office import docx_bytes, odt_bytes

    path = tmp_path / name
    path.write_bytes(odt_bytes() if name.endswith(".odt") else docx_bytes())
    extract = tmp_path / "x"
    extract.mkdir()
    with pytest.raises(InputError) as info:
        discover(path, extract)
    assert str(info.value) == (
        f"{path}: {kind}, not a folder or an LMS .zip of submissions: grade takes a "
        f"folder or a .zip export; to check one essay, use {hint.format(path=path)}"
    )
    assert list(extract.iterdir()) == []
