"""The zip containers of .docx and .odt files, opened and parsed safely (no zip bombs,
no external entities)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from essaycoach.errors import InputError
from essaycoach.zip_safety import (
    DamagedMember,
    directory_problem,
    expansion_problem,
    member_chunks,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office, and encrypted OOXML
# The most a .docx's or .odt's text part (word/document.xml, content.xml) may unpack to.
# Word's markup is 2 to 6 times the text (a 100-page essay: 1 to 5 MB); parsing 25 MB
# takes about 300 MB of memory. Pictures and the other parts are never unpacked.
MAX_UNPACKED_BYTES = 25_000_000


def office_zip(data: bytes, source: str, kind: str) -> zipfile.ZipFile:
    """The OOXML/ODF container, or InputError naming why it is not one."""
    if data.startswith(OLE_MAGIC):
        raise InputError(
            f"password-protected (encrypted) or legacy-format {kind}; remove the password "
            "or save it again",
            source,
        )
    if problem := directory_problem(io.BytesIO(data)):
        raise InputError(f"{problem} (possible zip bomb)", source)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(f"corrupt {kind}: not a valid document container", source) from None


def office_part(container: zipfile.ZipFile, name: str, source: str, kind: str) -> Any:
    """The root element of the XML part `name`, parsed as it is unpacked; InputError if
    it is missing or damaged, or would unpack too large (a zip bomb)."""
    from lxml import etree

    try:
        info = container.getinfo(name)
    except KeyError:
        raise InputError(f"corrupt {kind}: {name} is missing", source) from None
    if problem := expansion_problem(info, MAX_UNPACKED_BYTES):
        raise InputError(f"too large when unpacked: {problem}", source)
    # no entities or DTDs fetched; comments and processing instructions are not text
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        for chunk in member_chunks(container, info):
            parser.feed(chunk)
        return parser.close()
    except (DamagedMember, zipfile.BadZipFile) as exc:
        raise InputError(f"corrupt {kind}: {exc}", source) from None
    except Exception as exc:  # lxml's syntax errors; zipfile's on encryption, compression
        raise InputError(f"corrupt {kind}: {type(exc).__name__}: {exc}", source) from None
