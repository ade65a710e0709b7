"""Reading zip archives from students, which may be zip bombs.

Used for LMS exports in `grade` (grade.discover). What a member expands to is
judged from the sizes in the zip's headers, before anything is decompressed.
Python's zipfile never returns more than a member declares, and a member whose
data holds more (a zip bomb that lies) fails its CRC check; read in 64 kB
chunks, such a member costs no more memory than an honest one.
"""

from __future__ import annotations

import lzma
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO

_CHUNK = 1 << 16

# what zipfile and its decompressors raise on damaged data
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError)


class DamagedMember(Exception):
    """Reading a member's data failed (bad CRC, corrupt compressed stream)."""


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
