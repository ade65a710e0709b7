"""Finding the submissions: a folder (recursive) or a .zip as an LMS exports it.

Zip archives are extracted into a folder the caller owns, with guards against
hostile archives: no member may land outside that folder (zip slip), and the
number of files, each file's size and the total uncompressed size are capped
(on the sizes in the headers: zipfile never writes more than a member declares,
and a member whose data holds more fails its CRC check). A hostile archive is
refused whole; a member that cannot be taken out (password, unreadable
compression, damaged data, too large, a duplicate name, also one in another
Unicode form) becomes a submission with an `error`, so the batch grades the
others and fails that row; so do files of a folder whose paths differ only in
Unicode form (they would be one student). A member
whose name is too long for the file system is extracted under a shorter name
and keeps its own name in the gradebook.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from essaycoach.decoding import DOCUMENT_NAMES, display_name
from essaycoach.errors import InputError
from essaycoach.zip_safety import MAX_MEMBERS, DamagedMember, directory_problem, member_chunks

CACHE_DIR = ".essaycoach-cache"  # in every `grade --out` folder: the resume cache
MAX_MEMBER_BYTES = 50_000_000  # one submission (a .docx with images can be large)
MAX_TOTAL_BYTES = 1_000_000_000  # the whole extracted archive
_READABLE_COMPRESSION = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)

# files an OS, an editor or an LMS leaves next to the submissions
_IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
_IGNORED_DIRS = frozenset({"__macosx"})

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submission:
    """One file to grade: where it is on disk and the name the teacher knows it by."""

    path: Path  # on disk (inside the extraction folder for a zip)
    relative: str  # POSIX path relative to the input folder, or the member name in the zip
    # why it cannot be read: a zip member not extracted (nothing is on disk then), a
    # symbolic link that leads nowhere or out of the submissions folder (or is in a zip),
    # a named pipe, socket or device (never opened), a folder that cannot be listed or
    # searched, a second name for another submission's file; the batch fails its row
    error: str = ""
    same_as: str = ""  # a second name for a file: the `relative` it is graded under
    folder_error: str = ""  # a folder that cannot be listed or searched: why


def _ignored_folder(name: str) -> bool:
    """A hidden folder or OS litter (__MACOSX): nothing in it is a submission."""
    return name.startswith(".") or name.lower() in _IGNORED_DIRS


def is_ignored(relative: PurePosixPath) -> bool:
    """Hidden files, OS litter (__MACOSX, Thumbs.db) and Word lock files (~$x.docx)."""
    if any(_ignored_folder(part) for part in relative.parts[:-1]):
        return True
    name = relative.name
    return name.startswith((".", "~$")) or name.lower() in _IGNORED_NAMES


def discover(path: Path, extract_to: Path, exclude: tuple[Path, ...] = ()) -> list[Submission]:
    """The submissions under `path` (a folder or a .zip), sorted by their relative name
    (ignoring case: "alice" before "Zoë").

    `extract_to` must be an empty folder owned by the caller (a zip is extracted
    there); folders in `exclude` (e.g. the output folder) are skipped. Files whose
    paths differ only in Unicode form (NFC, NFD) fail, each naming the others.
    """
    if input_is_folder(path):
        return _distinct_names(discover_folder(path, exclude))
    if found := _one_document(path):
        kind, suffix = found
        command = f"`essaycoach check {display_name(path)}`"
        if path.suffix.lower() != suffix:  # a .docx renamed .zip: check goes by the name
            command += f" on a copy whose name ends in {suffix}"
        raise InputError(
            f"{kind}, not a folder or an LMS .zip of submissions: grade takes a folder or "
            f"a .zip export; to check one essay, use {command}",
            path,
        )
    if zipfile.is_zipfile(path):
        extracted = extract_zip(path, extract_to)
        submissions = discover_folder(extract_to, (), path, extracted.original_names)
        submissions += [
            Submission(extract_to / name, display_name(name), error)
            for name, error in extracted.problems.items()
        ]
        submissions.sort(key=lambda s: (s.relative.casefold(), s.relative))
        return submissions  # members named alike in two Unicode forms were never extracted
    if path.suffix.lower() == ".zip":
        raise InputError("not a valid zip archive (corrupt or truncated)", path)
    raise InputError("expected a folder of submissions or an LMS .zip export", path)


def _one_document(path: Path) -> tuple[str, str] | None:
    """What `path` is (its kind and suffix) if it is one essay: by its name, or by its
    content for a .docx or .odt, which zipfile would take for an archive of submissions."""
    suffix = path.suffix.lower()
    if suffix in _DOCUMENT_KINDS:
        return _DOCUMENT_KINDS[suffix], suffix
    try:
        with path.open("rb") as handle:
            if directory_problem(handle) or not zipfile.is_zipfile(handle):
                return None  # not a zip, or one extract_zip refuses saying why
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return None
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        return _DOCUMENT_KINDS[".docx"], ".docx"  # a Word (Office Open XML) package
    if names[:1] == ["mimetype"] and "content.xml" in names:  # an OpenDocument package
        return _DOCUMENT_KINDS[".odt"], ".odt"
    return None


def is_submissions_zip(path: Path) -> bool:
    """Whether `path` is a zip archive that `grade` would open as submissions: named
    .zip, or a zip by its content under another name (an LMS download that lost its
    extension), and not one essay (a .docx or .odt is a zip too)."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return path.is_file()
    if suffix in _OTHER_ZIP_FORMATS:  # its own format's message says what to do
        return False
    try:
        if not path.is_file() or not zipfile.is_zipfile(path):
            return False
    except OSError:
        return False
    return _one_document(path) is None


# formats that are zips inside but neither an essay nor an export of submissions
_OTHER_ZIP_FORMATS = frozenset(
    {".pages", ".key", ".numbers", ".pptx", ".xlsx", ".odp", ".ods", ".epub", ".jar", ".apk"}
)


# the formats of one essay, which `essaycoach check` reads
_DOCUMENT_KINDS = {
    **DOCUMENT_NAMES,
    ".htm": DOCUMENT_NAMES[".html"],
    ".txt": "a text file",
    ".text": "a text file",
    ".md": "a Markdown file",
    ".markdown": "a Markdown file",
}


def input_is_folder(path: Path) -> bool:
    """Whether `path` is a folder; InputError if it is missing or cannot be looked at (a
    folder on the way to it refuses the user: Path.is_dir() would raise)."""
    try:
        return stat.S_ISDIR(path.stat().st_mode)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            raise InputError("no such file or folder", path) from None
        raise InputError(f"cannot read: {exc.strerror or exc}", path) from None


def is_grade_output(folder: Path) -> bool:
    """An earlier `grade --out` folder: its cache, or its gradebook with its summary."""
    return (folder / CACHE_DIR).is_dir() or (
        (folder / "gradebook.csv").is_file() and (folder / "summary.html").is_file()
    )


def discover_folder(
    root: Path,
    exclude: tuple[Path, ...],
    archive: Path | None = None,
    original_names: Mapping[str, str] | None = None,
) -> list[Submission]:
    """Files under `root`, skipping `exclude` and earlier grade output folders (logged).

    For a zip extracted into `root`, `archive` names it and `original_names` maps a
    shortened path on disk back to its member's name, the name the submission keeps.

    A symbolic link that leaves `root` (to a file or a folder outside it, /etc/passwd
    or a home folder) is never read: it is a submission with an `error`, so its row
    fails and says why; a link to `root`, to a folder holding it (`up -> ..`) or to an
    excluded folder (the --out folder) is skipped, as that folder is the input or the
    output, not a submission. A link to a folder inside `root` is not followed either
    (the folder is searched under its own name) unless that folder is hidden, each real
    folder once. A link that leads nowhere (a missing target, a loop of links) is a
    submission with an `error` too; so is a named pipe, a socket or a device, and a
    folder that cannot be listed or searched (its files would vanish otherwise). If
    `root` itself cannot be, InputError.

    A file found under two names (`bob.txt`, a link to `alice.txt`) is one submission:
    the link's row fails, naming the other.
    """
    original_names = original_names or {}
    excluded = {p.resolve() for p in exclude}
    top = root.resolve()
    seen = {top}
    found: list[Submission] = []
    unreadable: dict[Path, str] = {}  # folder: why it cannot be listed or searched
    identities: dict[Path, tuple[int, int]] = {}  # regular file: (device, inode)

    def listing_failed(exc: OSError) -> None:  # os.walk goes on after calling this
        unreadable[Path(exc.filename) if exc.filename else root] = exc.strerror or str(exc)

    try:
        _search(root)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"cannot read the folder: {reason}", archive or root) from None
    for dirpath, dirnames, filenames in os.walk(root, onerror=listing_failed, followlinks=True):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            if _ignored_folder(name):
                continue  # its files are left out anyway; unwalked, a link can still reach it
            folder = here / name
            try:
                real = folder.resolve()
                if real in excluded or real in seen:
                    continue
                if folder.is_symlink() and top.is_relative_to(real):
                    logger.info(
                        "skipping %s: a link to a folder that holds the input",
                        _shown(folder, root, archive),
                    )
                    continue
                if folder.is_symlink() and not real.is_relative_to(top):
                    relative = folder.relative_to(root).as_posix()
                    shown = display_name(original_names.get(relative, relative))
                    found.append(Submission(folder, shown, _leaves(real, folder=True)))
                    continue
                if folder.is_symlink() and not any(
                    map(_ignored_folder, real.relative_to(top).parts)
                ):
                    continue  # the folder is searched under its own name
                seen.add(real)
                _search(folder)
                if is_grade_output(folder):
                    logger.info(
                        "skipping %s: the output of an earlier `essaycoach grade`, not submissions",
                        _shown(folder, root, archive),
                    )
                    continue
            except OSError as exc:  # the folder's permissions refuse the user
                unreadable[folder] = exc.strerror or str(exc)
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            file = here / name
            relative_path = PurePosixPath(file.relative_to(root).as_posix())
            if is_ignored(relative_path):
                continue
            shown = display_name(original_names.get(relative_path.as_posix(), relative_path))
            try:
                info = file.stat()
            except OSError as exc:  # a link to nothing, or a file that cannot be looked at
                found.append(Submission(file, shown, _unreachable(file, exc)))
                continue
            if stat.S_ISREG(info.st_mode) and _is_link(file) and not _inside(file, top):
                found.append(Submission(file, shown, _leaves(file.resolve(), folder=False)))
            elif stat.S_ISREG(info.st_mode):
                identities[file] = (info.st_dev, info.st_ino)
                found.append(Submission(file, shown))
            else:  # never opened: a pipe that no one writes to would block
                found.append(Submission(file, shown, _not_regular(info.st_mode)))
    if root in unreadable:
        raise InputError(f"cannot read the folder: {unreadable[root]}", archive or root)
    for folder, reason in unreadable.items():
        relative = folder.relative_to(root).as_posix()
        shown = display_name(original_names.get(relative, relative))
        error = f"cannot read folder: {reason}; its files were not graded"
        found.append(Submission(folder, shown, error, folder_error=reason))
    found.sort(key=lambda s: (s.relative.casefold(), s.relative))
    return _each_file_once(found, identities)


def _each_file_once(
    found: list[Submission], identities: Mapping[Path, tuple[int, int]]
) -> list[Submission]:
    """`found` with a file listed under two names (a link to another submission, a hard
    link) graded under one: the name that is not a link, else the first; the others fail,
    naming it. Graded twice, one essay gave two students a grade and was reported as
    copied between them."""
    names: dict[tuple[int, int], list[int]] = {}
    for i, submission in enumerate(found):
        identity = identities.get(submission.path)
        if identity is not None and identity[1]:  # inode 0: the file system has none
            names.setdefault(identity, []).append(i)
    once = list(found)
    for indices in names.values():
        kept = next((i for i in indices if not _is_link(found[i].path)), indices[0])
        for i in indices:
            if i != kept:
                error = _same_file(found[i], found[kept])
                once[i] = replace(found[i], error=error, same_as=found[kept].relative)
    return once


def _distinct_names(found: list[Submission]) -> list[Submission]:
    """`found` with files whose paths differ only in Unicode form ("Zoë.txt" composed, as
    Windows and Linux write it, and decomposed, as macOS does) failed, each naming the
    others: names are compared in one form (NFC), so they were one student, whose two
    files are never compared for copying. A second name for one file (`same_as`) is no
    other file, and a row that already fails keeps its own reason."""
    by_name: dict[str, list[int]] = {}
    for i, submission in enumerate(found):
        if not submission.same_as and not submission.folder_error:
            key = unicodedata.normalize("NFC", submission.relative)
            by_name.setdefault(key, []).append(i)
    distinct = list(found)
    for key, indices in by_name.items():
        if len(indices) < 2:
            continue
        names = ", ".join(_in_form(found[i].relative) for i in indices)
        for i in indices:
            if not found[i].error:
                distinct[i] = replace(
                    found[i],
                    error=(
                        f"{len(indices)} files are named {key!r}, in different Unicode forms "
                        f"({names}); none was graded, as names are compared in one form and "
                        "they would be one student: rename them and grade again"
                    ),
                )
        twins = {found[i].relative for i in indices}
        for i, submission in enumerate(found):  # other names for them: not "graded under"
            if submission.same_as in twins:
                distinct[i] = replace(
                    submission,
                    error=(
                        f"a second name for {submission.same_as!r}, which is not graded: "
                        f"{len(indices)} files are named {key!r} in different Unicode forms"
                    ),
                )
    return distinct


def _in_form(name: str) -> str:
    """`name` quoted, with the Unicode form its accents are written in, which the eye
    cannot tell apart: composed (NFC), decomposed (NFD) or mixed."""
    if name == unicodedata.normalize("NFC", name):
        form = "composed"
    elif name == unicodedata.normalize("NFD", name):
        form = "decomposed"
    else:
        form = "partly decomposed"
    return f"{name!r} {form}"


def _inside(path: Path, top: Path) -> bool:
    """Whether `path`, its links followed, is in the folder `top` (resolved)."""
    try:
        return path.resolve().is_relative_to(top)
    except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
        return False


def _leaves(target: Path, *, folder: bool) -> str:
    """Why a symbolic link to `target`, outside the submissions folder, is not read."""
    kind = "folder" if folder else "file"
    return (
        f"link leaves the submissions folder (to the {kind} {display_name(target)}); not "
        f"read: copy the {kind} itself into the submissions folder to grade it"
    )


def _search(folder: Path) -> None:
    """Look a name up in `folder`: OSError if its permissions refuse that, as for a folder
    that can be listed but not searched (chmod 444), whose files cannot be looked at."""
    os.stat(os.path.join(folder, os.curdir))  # Path would drop the "."


def _is_link(path: Path) -> bool:
    """Whether `path` is a symbolic link; False if it cannot be looked at any more."""
    try:
        return stat.S_ISLNK(path.lstat().st_mode)
    except OSError:
        return False


def _same_file(submission: Submission, kept: Submission) -> str:
    """Why `submission`, the same file as `kept`, is not graded under its own name."""
    graded = f"{kept.relative}: the file is graded under that name only"
    if not _is_link(submission.path):
        return f"the same file as another submission (a hard link), {graded}"
    if _is_link(kept.path):
        return f"a link to the same file as another submission, {graded}"
    return f"a link to another submission, {graded}"


def _not_regular(mode: int) -> str:
    """Why a file of this mode (a named pipe, a socket, a device) is not graded."""
    if stat.S_ISFIFO(mode):
        return "not a regular file: a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "not a regular file: a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "not a regular file: a device"
    return "not a regular file"


def _unreachable(file: Path, exc: OSError) -> str:
    """Why `file`, listed in its folder, could not be looked at (`exc` from its stat):
    for a symbolic link, why it leads nowhere (its failed row says so)."""
    try:
        link = stat.S_ISLNK(file.lstat().st_mode)
    except OSError:
        link = False
    if not link:
        return f"cannot read file: {exc.strerror or exc}"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "broken symbolic link: its target does not exist"
    if exc.errno == errno.ELOOP:
        return "broken symbolic link: it leads round a loop of links"
    return f"broken symbolic link: its target cannot be reached ({exc.strerror or exc})"


def _shown(folder: Path, root: Path, archive: Path | None) -> str:
    """A folder as the teacher knows it: its path, or for a zip, its path in the zip
    (not the temporary extraction folder)."""
    if archive is None:
        return display_name(folder)
    return display_name(f"{archive}: {folder.relative_to(root).as_posix()}/")


def safe_member_path(root: Path, name: str) -> Path:
    """Where member `name` goes under `root`; InputError if it would escape `root`."""
    normalised = name.replace("\\", "/")
    pure = PurePosixPath(normalised)
    escapes = InputError(f"unsafe path {name!r} would escape the extraction folder (zip slip)")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):  # C:/
        raise escapes
    target = (root / pure).resolve()
    if not target.is_relative_to(root.resolve()):
        raise escapes
    if ".." in pure.parts:  # refused even where it stays inside ("a/../b.txt"; QA: the
        # message said it would escape)
        raise InputError(f"unsafe path {name!r}: a '..' part is not accepted in an archive")
    return target


class Extracted(NamedTuple):
    problems: dict[str, str]  # member path: why it was not extracted
    # path on disk under the root: member path, for names too long for the file system
    original_names: dict[str, str]


def extract_zip(
    archive: Path,
    root: Path,
    *,
    max_members: int = MAX_MEMBERS,
    max_member_bytes: int = MAX_MEMBER_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> Extracted:
    """Extract `archive` into `root`; what could not be extracted, and why.

    A member name too long for the file system (Moodle puts its own prefix before
    the student's file name) is written under a shortened name, with its extension
    and a hash; `original_names` maps it back.

    A hostile archive (zip slip, too many entries, too many bytes in total) or
    an unreadable one raises InputError and is refused whole, before anything
    is written. Symbolic links are never created or followed: a link member is
    reported in `problems`, so its row fails and says why.
    """
    try:
        with archive.open("rb") as handle:
            if problem := directory_problem(handle, max_members):
                raise InputError(f"{problem} (possible zip bomb)", archive)
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            for info in members:
                info.filename = _member_name(info)
            if len(members) > max_members:
                raise InputError(
                    f"zip has {len(members):,} entries; more than {max_members:,} are refused "
                    "(possible zip bomb)",
                    archive,
                )
            plan: dict[Path, list[zipfile.ZipInfo]] = {}
            for info in members:
                target = _checked_target(archive, root, info)
                if target is not None:
                    plan.setdefault(target, []).append(info)
            base = root.resolve()
            folders = {parent for target in plan for parent in target.parents}
            problems: dict[str, str] = {}  # by the member's path under `root`, as extracted
            original_names: dict[str, str] = {}
            name_max = _name_max(root)
            # names in two Unicode forms ("Müller.txt" composed and decomposed) are one
            # name to the gradebook, and to a file system that compares them so (macOS)
            forms: dict[str, list[str]] = {}
            for target in plan:
                relative = target.relative_to(base).as_posix()
                forms.setdefault(unicodedata.normalize("NFC", relative), []).append(relative)
            todo = []
            for target, infos in plan.items():
                relative = target.relative_to(base).as_posix()
                spellings = forms[unicodedata.normalize("NFC", relative)]
                if len(spellings) > 1:
                    count = sum(len(plan[base / name]) for name in spellings)
                    names = ", ".join(_in_form(name) for name in sorted(spellings))
                    problems[relative] = (
                        f"the zip holds {count} members named {relative!r} in different "
                        f"Unicode forms ({names}); none was graded, as names are compared in "
                        "one form and they would be one student: rename them and zip again"
                    )
                elif len(infos) > 1:
                    problems[relative] = (
                        f"the zip holds {len(infos)} members named {relative!r}; none was "
                        "graded, as one would overwrite the other: rename them and zip again"
                    )
                elif target in folders:
                    problems[relative] = (
                        f"the zip holds a file {relative!r} and a folder of that name; the "
                        "file was not graded: rename one and zip again"
                    )
                elif _is_zip_link(infos[0]):  # never followed or recreated
                    problems[relative] = (
                        "a symbolic link in the zip, not a file; links are not followed, so it "
                        "was not graded: zip the file itself"
                    )
                elif problem := _unreadable(infos[0], max_member_bytes):
                    problems[relative] = problem
                else:
                    on_disk = _short_enough(relative, name_max)
                    if on_disk != relative:
                        original_names[on_disk] = relative
                    todo.append((relative, base / on_disk, infos[0]))
            # zipfile stops at the declared size and fails the CRC check if the data holds
            # more, so the declared sizes bound what is written even when a zip bomb lies
            total = sum(info.file_size for _, _, info in todo)
            if total > max_total_bytes:
                raise InputError(
                    f"zip expands to {total / 1e6:.0f} MB; more than "
                    f"{max_total_bytes / 1e6:.0f} MB in total is refused (possible zip bomb)",
                    archive,
                )
            for relative, target, info in todo:
                if problem := _extract_member(zf, info, target):
                    problems[relative] = problem
    except zipfile.BadZipFile as exc:
        raise InputError(f"corrupt zip archive: {exc}", archive) from None
    except OSError as exc:
        raise InputError(f"cannot extract zip archive: {exc.strerror or exc}", archive) from None
    return Extracted(problems, original_names)


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name, read as UTF-8 when it is UTF-8 without the zip's flag saying so.

    Info-ZIP's `zip` and macOS write UTF-8 names without the "UTF-8 names" flag (bit
    11), which zipfile then reads as cp437 ("mu╠êllerzoe╠ê_12349_..."), losing the
    student's id and name. Unzip tools take such bytes as UTF-8, and so does this; a
    name that is not valid UTF-8 stays cp437, as the zip standard says.
    """
    if info.flag_bits & 0x800 or info.filename.isascii():
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _name_max(folder: Path) -> int:
    """The longest file name, in bytes, the file system under `folder` takes."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows), or no answer
        return 255


def _short_enough(relative: str, name_max: int) -> str:
    """`relative` with each name too long for the file system cut to 40 characters plus a
    hash of the whole name (unique) and its extension (which picks the reader)."""
    parts = []
    for part in relative.split("/"):
        if len(os.fsencode(part)) > name_max:
            suffix = PurePosixPath(part).suffix
            suffix = suffix if len(suffix) <= 16 else ""
            digest = hashlib.sha256(part.encode("utf-8", "surrogateescape")).hexdigest()[:12]
            part = f"{part[:40]}~{digest}{suffix}"
        parts.append(part)
    return "/".join(parts)


def _checked_target(archive: Path, root: Path, info: zipfile.ZipInfo) -> Path | None:
    """Where a member goes, or None for a folder or OS litter."""
    try:
        target = safe_member_path(root, info.filename)
    except InputError as error:
        raise InputError(error.message, archive) from None
    normalised = info.filename.replace("\\", "/")
    if normalised.endswith("/") or _dos_folder(info):  # "name/", or "name\\" from Windows
        return None
    if is_ignored(PurePosixPath(normalised)):
        return None
    return target


def _is_zip_link(info: zipfile.ZipInfo) -> bool:
    """A member that is a symbolic link (its data is the path it points to)."""
    return stat.S_ISLNK(info.external_attr >> 16)


def _dos_folder(info: zipfile.ZipInfo) -> bool:
    """An empty entry with the MS-DOS folder attribute (0x10), from a non-Unix tool.

    On Unix zips the low bits may carry the mode, where 0x10 is group-write, so a
    Unix entry or one holding data is never taken for a folder.
    """
    return bool(info.external_attr & 0x10) and info.file_size == 0 and info.create_system != 3


def _unreadable(info: zipfile.ZipInfo, max_member_bytes: int) -> str:
    """Why a member cannot be extracted, judged from its header; "" if it can be tried."""
    if info.flag_bits & 0x1 or info.flag_bits & 0x40:  # 0x40: strong encryption
        return "password-protected zip member; export the archive without a password"
    if info.flag_bits & 0x20:
        return (
            "zip member stored as compressed patched data, which cannot be read; export a "
            "standard zip"
        )
    if info.compress_type not in _READABLE_COMPRESSION:
        return (
            f"zip member uses compression method {info.compress_type}, which cannot be read "
            "(WinZip AES or Deflate64?); export a standard zip"
        )
    if info.file_size > max_member_bytes:
        return (
            f"zip member is {info.file_size / 1e6:.0f} MB uncompressed; members over "
            f"{max_member_bytes / 1e6:.0f} MB are not extracted"
        )
    return ""


def _extract_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> str:
    """Write one member; why it failed ("" if it did not), with nothing left on disk then.

    Damaged data fails the member; an error writing it (a full disk) is an OSError
    for the caller, since it would fail every member after it too.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "wb") as sink:
            for chunk in member_chunks(zf, info):
                sink.write(chunk)
    except (zipfile.BadZipFile, DamagedMember) as exc:  # BadZipFile: a bad local header
        target.unlink(missing_ok=True)
        return f"damaged zip member ({exc}); export the archive again"
    return ""
