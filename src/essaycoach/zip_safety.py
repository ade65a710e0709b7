"""Reading zip archives from students, which may be zip bombs.

Used for LMS exports in `grade` (grade.discover) and for the .docx and .odt
containers (readers). What a member expands to is judged from the sizes in the
zip's headers, before anything is decompressed. Python's zipfile never returns
more than a member declares, and a member whose data holds more (a zip bomb that
lies) fails its CRC check; read in 64 kB chunks, such a member costs no more
memory than an honest one. Before the archive is opened at all, `directory_problem`
reads the size of its directory from its end record: zipfile reads and parses the
whole directory on opening (600,000 empty entries: 4 s and 350 MB).
"""

from __future__ import annotations

import lzma
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO

_CHUNK = 1 << 16
# Deflate reaches about 1,000 to 1 on repeated bytes; text and XML written by people
# stay far below 100 to 1 (Word's document.xml: 3 to 8), pictures near 1 to 1
MAX_RATIO = 100
RATIO_FROM_BYTES = 1_000_000  # smaller members may compress more (Word's styles: 30 to 1)
MAX_MEMBERS = 10_000  # an LMS export of a large class; a .docx has tens of parts
MAX_DIRECTORY_BYTES = 16_000_000  # 10,000 entries with names and extra fields of 1.6 kB

# what zipfile and its decompressors raise on damaged data
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError)


class DamagedMember(Exception):
    """Reading a member's data failed (bad CRC, corrupt compressed stream)."""


def directory_problem(handle: IO[bytes], max_members: int = MAX_MEMBERS) -> str:
    """Why a zip's directory is too large to open, from its end record; "" if it is not,
    or if there is no end record (zipfile then calls the archive corrupt)."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    tail_size = min(size, _END_RECORD + 0xFFFF)  # the record, then a comment of up to 64 kB
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or tail_size - at < _END_RECORD:
        return ""
    entries, directory_bytes = struct.unpack_from("<HI", tail, at + 10)
    locator = at - 20
    if (entries == 0xFFFF or directory_bytes == 0xFFFFFFFF) and tail[locator:at][:4] == (
        b"PK\x06\x07"
    ):  # zip64: the locator before the end record gives the zip64 end record's offset
        (offset,) = struct.unpack_from("<Q", tail, locator + 8)
        handle.seek(offset)
        record = handle.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            entries, directory_bytes = struct.unpack_from("<QQ", record, 32)
    if entries > max_members:
        return f"zip has {entries:,} entries; more than {max_members:,} are refused"
    if directory_bytes > MAX_DIRECTORY_BYTES:
        return (
            f"zip's directory takes {directory_bytes:,} bytes; more than "
            f"{MAX_DIRECTORY_BYTES:,} are refused"
        )
    return ""


_END_RECORD = 22  # bytes of a zip's end-of-central-directory record without its comment


def expansion_problem(info: zipfile.ZipInfo, max_bytes: int) -> str:
    """Why a member would expand too much to be read, from its header; "" if it would not."""
    size = info.file_size
    if size > max_bytes:
        return (
            f"{info.filename} is {size / 1e6:.0f} MB unpacked; over "
            f"{max_bytes / 1e6:.0f} MB is refused"
        )
    if size > RATIO_FROM_BYTES and size > MAX_RATIO * info.compress_size:
        ratio = size / max(info.compress_size, 1)
        return (
            f"{info.filename} expands {ratio:.0f} times, to {size / 1e6:.0f} MB; over "
            f"{MAX_RATIO} times is refused"
        )
    return ""


def member_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's data, a chunk at a time, never more than it declares.

    DamagedMember if its data is damaged; zipfile.BadZipFile if its local header is.
    """
    left = info.file_size
    with archive.open(info) as source:
        while chunk := _read_chunk(source):
            left -= len(chunk)
            if left < 0:  # zipfile stops at the declared size: never seen, never trusted
                raise DamagedMember(f"{info.filename} holds more data than it declares")
            yield chunk


def _read_chunk(source: IO[bytes]) -> bytes:
    """Up to 64 kB of an open member; DamagedMember if its data is damaged.

    An OSError with an errno is reading the archive itself failing: it is raised.
    """
    try:
        return source.read(_CHUNK)
    except _READ_ERRORS as exc:
        raise DamagedMember(str(exc)) from None
    except OSError as exc:
        if exc.errno is not None:
            raise
        raise DamagedMember(str(exc)) from None  # bz2's "Invalid data stream"
