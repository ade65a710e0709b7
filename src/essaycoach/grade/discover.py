"""Finding the submissions: a folder (recursive) or a .zip as an LMS exports it.

Zip archives are extracted into a folder the caller owns, with guards against
hostile archives: no member may land outside that folder (zip slip), and the
number of files, each file's size and the total uncompressed size are capped
while extracting (zip bombs lie about their sizes in the headers, so the bytes
actually written are counted).
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from essaycoach.errors import InputError

MAX_ZIP_MEMBERS = 10_000
MAX_MEMBER_BYTES = 50_000_000  # one submission (a .docx with images can be large)
MAX_TOTAL_BYTES = 1_000_000_000  # the whole extracted archive
_CHUNK = 1 << 16
_READABLE_COMPRESSION = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)

# files an OS, an editor or an LMS leaves next to the submissions
_IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
_IGNORED_DIRS = frozenset({"__macosx"})


@dataclass(frozen=True)
class Submission:
    """One file to grade: where it is on disk and the name the teacher knows it by."""

    path: Path  # on disk (inside the extraction folder for a zip)
    relative: str  # POSIX path relative to the input folder, or the member name in the zip


def is_ignored(relative: PurePosixPath) -> bool:
    """Hidden files, OS litter (__MACOSX, Thumbs.db) and Word lock files (~$x.docx)."""
    for part in relative.parts[:-1]:
        if part.startswith(".") or part.lower() in _IGNORED_DIRS:
            return True
    name = relative.name
    return name.startswith((".", "~$")) or name.lower() in _IGNORED_NAMES


def discover(path: Path, extract_to: Path, exclude: tuple[Path, ...] = ()) -> list[Submission]:
    """The submissions under `path` (a folder or a .zip), sorted by their relative name.

    `extract_to` must be an empty folder owned by the caller (a zip is extracted
    there); folders in `exclude` (e.g. the output folder) are skipped.
    """
    if not path.exists():
        raise InputError("no such file or folder", path)
    if path.is_dir():
        return discover_folder(path, exclude)
    if zipfile.is_zipfile(path):
        extract_zip(path, extract_to)
        return discover_folder(extract_to, ())
    if path.suffix.lower() == ".zip":
        raise InputError("not a valid zip archive (corrupt or truncated)", path)
    raise InputError("expected a folder of submissions or a .zip archive", path)


def discover_folder(root: Path, exclude: tuple[Path, ...]) -> list[Submission]:
    excluded = {p.resolve() for p in exclude}
    found: list[Submission] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if (here / d).resolve() not in excluded)
        for name in filenames:
            file = here / name
            relative = PurePosixPath(file.relative_to(root).as_posix())
            if is_ignored(relative) or not file.is_file():
                continue
            found.append(Submission(file, str(relative)))
    found.sort(key=lambda s: s.relative)
    return found


def safe_member_path(root: Path, name: str) -> Path:
    """Where member `name` goes under `root`; InputError if it would escape `root`."""
    normalised = name.replace("\\", "/")
    pure = PurePosixPath(normalised)
    if (
        normalised.startswith("/")
        or (len(normalised) > 1 and normalised[1] == ":")  # C:/...
        or ".." in pure.parts
    ):
        raise InputError(f"unsafe path {name!r} would escape the extraction folder (zip slip)")
    target = (root / pure).resolve()
    if not target.is_relative_to(root.resolve()):
        raise InputError(f"unsafe path {name!r} would escape the extraction folder (zip slip)")
    return target


def extract_zip(
    archive: Path,
    root: Path,
    *,
    max_members: int = MAX_ZIP_MEMBERS,
    max_member_bytes: int = MAX_MEMBER_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> None:
    """Extract `archive` into `root`, refusing the whole archive if any guard trips.

    Symbolic links are never created (every member is written as a plain file)
    and encrypted members are refused with a message saying so.
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > max_members:
                raise InputError(
                    f"zip has {len(members)} entries; more than {max_members} are refused "
                    "(possible zip bomb)",
                    archive,
                )
            plan = []
            targets: set[Path] = set()
            for info in members:
                target = _checked_target(archive, root, info)
                if target is not None:
                    if target in targets:
                        raise InputError(
                            f"zip holds two members named {info.filename!r}; one submission "
                            "would overwrite the other, so rename one and zip again",
                            archive,
                        )
                    targets.add(target)
                    plan.append((info, target))
            total = 0
            for info, target in plan:
                total += _extract_member(
                    zf, info, target, archive, max_member_bytes, total, max_total_bytes
                )
    except zipfile.BadZipFile as exc:
        raise InputError(f"corrupt zip archive: {exc}", archive) from None
    except OSError as exc:
        raise InputError(f"cannot extract zip archive: {exc.strerror or exc}", archive) from None


def _checked_target(archive: Path, root: Path, info: zipfile.ZipInfo) -> Path | None:
    try:
        target = safe_member_path(root, info.filename)
    except InputError as error:
        raise InputError(error.message, archive) from None
    if info.is_dir():
        return None
    if is_ignored(PurePosixPath(info.filename.replace("\\", "/"))):
        return None
    if info.flag_bits & 0x1:
        raise InputError(
            f"zip member {info.filename!r} is password-protected; export the archive without "
            "a password",
            archive,
        )
    if info.compress_type not in _READABLE_COMPRESSION:
        raise InputError(
            f"zip member {info.filename!r} uses compression method {info.compress_type}, which "
            "cannot be read (WinZip AES or Deflate64?); export a standard zip",
            archive,
        )
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return None  # a symbolic link: never followed or recreated
    return target


def _extract_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Path,
    archive: Path,
    max_member_bytes: int,
    total_before: int,
    max_total_bytes: int,
) -> int:
    if info.file_size > max_member_bytes:
        raise InputError(
            f"zip member {info.filename!r} is {info.file_size / 1e6:.0f} MB uncompressed; "
            f"members over {max_member_bytes / 1e6:.0f} MB are refused (possible zip bomb)",
            archive,
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        with zf.open(info) as source, open(target, "wb") as sink:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > max_member_bytes:
                    raise InputError(
                        f"zip member {info.filename!r} expands past "
                        f"{max_member_bytes / 1e6:.0f} MB; refused (possible zip bomb)",
                        archive,
                    )
                if total_before + written > max_total_bytes:
                    raise InputError(
                        f"zip expands past {max_total_bytes / 1e6:.0f} MB in total; "
                        "refused (possible zip bomb)",
                        archive,
                    )
                sink.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(f"corrupt zip member {info.filename!r}: {exc}", archive) from None
    return written
