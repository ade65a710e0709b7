"""Reading zip archives from students, which may be zip bombs.

Used for LMS exports in `grade` (grade.discover) and for the .docx and .odt
containers (readers). What a member expands to is judged from the sizes in the
zip's headers, before anything is decompressed. Python's zipfile never returns
more than a member declares, and a member whose data holds more (a zip bomb that
lies) fails its CRC check; read in 64 kB chunks, such a member costs no more
memory than an honest one.
"""

from __future__ import annotations

import lzma
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO

_CHUNK = 1 << 16
# Deflate reaches about 1,000 to 1 on repeated bytes; text and XML written by people
# stay far below 100 to 1 (Word's document.xml: 3 to 8), pictures near 1 to 1
MAX_RATIO = 100
RATIO_FROM_BYTES = 1_000_000  # smaller members may compress more (Word's styles: 30 to 1)

# what zipfile and its decompressors raise on damaged data
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError)


class DamagedMember(Exception):
    """Reading a member's data failed (bad CRC, corrupt compressed stream)."""


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
