"""A .docx or .odt is a zip: its text part is parsed as it is unpacked, what it unpacks
to is limited before that (zip bombs), and its pictures are never unpacked."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from essaycoach.errors import InputError
from essaycoach.readers import read_submission
from tests.fixtures.office import (
    PARAGRAPH,
    W_NS,
    bmp,
    docx_bytes,
    docx_with_body,
    odt_bytes,
    replaced,
)


def _refusal(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_submission(path, path.name)
    assert str(caught.value).startswith(f"{path.name}: ")
    assert "\n" not in str(caught.value)
    return caught.value.message


def test_a_docx_whose_text_unpacks_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = docx_with_body(tmp_path / "bomb.docx", PARAGRAPH * 400_000)  # 35 MB of XML
    assert path.stat().st_size < 1_000_000
    assert _refusal(path) == (
        "too large when unpacked: word/document.xml is 35 MB unpacked; over 25 MB is refused"
    )


def test_a_docx_whose_text_expands_over_100_times_is_refused(tmp_path: Path) -> None:
    # 2 MB, under the limit, holding 1.4 million characters, under the text limit
    path = docx_with_body(tmp_path / "bomb.docx", PARAGRAPH * 25_000)
    message = _refusal(path)
    assert message.startswith("too large when unpacked: word/document.xml expands ")
    assert message.endswith(" times, to 2 MB; over 100 times is refused")


def test_a_docx_lying_about_its_text_size_is_corrupt(tmp_path: Path) -> None:
    path = docx_with_body(tmp_path / "liar.docx", PARAGRAPH * 60_000)
    data = bytearray(path.read_bytes())
    central = data.rindex(b"word/document.xml") - 46  # its entry in the central directory
    assert data[central : central + 4] == b"PK\x01\x02"
    data[central + 24 : central + 28] = (2000).to_bytes(4, "little")  # claim 2 kB
    path.write_bytes(bytes(data))
    assert _refusal(path) == "corrupt .docx: Bad CRC-32 for file 'word/document.xml'"


_VOCABULARY = (
    "Kathy Tommy Ruth Hailsham Norfolk memory hope clone donor carer guardian Madame "
    "gallery art soul childhood loss friendship love fate system cruelty the a of and "
    "to in that she he they was were is had remembers learns slowly reader novel "
    "Ishiguro narrator calm voice distrust tenderness field fence"
)


def _word_like_essay(pages: int) -> str:
    """The body of a long essay as Word writes it: a run for each stretch typed in one
    editing session, each with its revision ids and font properties."""
    rng = random.Random(7)
    words = _VOCABULARY.split()
    properties = (
        '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"'
        ' w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>'
    )
    paragraphs = []
    for _ in range(pages * 4):  # four paragraphs, about 450 words, a page
        runs = []
        for _ in range(6):
            sentence = " ".join(rng.choice(words) for _ in range(19)).capitalize() + ". "
            rsid = f"{rng.randrange(1 << 32):08X}"
            runs.append(
                f'<w:r w:rsidRPr="{rsid}">{properties}'
                f'<w:t xml:space="preserve">{sentence}</w:t></w:r>'
            )
        rsid = f"{rng.randrange(1 << 32):08X}"
        paragraphs.append(
            f'<w:p w:rsidR="{rsid}" w:rsidRDefault="{rsid}" w:rsidP="{rsid}">'
            f'<w:pPr><w:spacing w:line="480" w:lineRule="auto"/><w:ind w:firstLine="720"/>'
            f"</w:pPr>{''.join(runs)}</w:p>"
        )
    return "".join(paragraphs)


def test_a_100_page_essay_with_a_large_picture_is_read(tmp_path: Path) -> None:
    package = docx_bytes(picture=bmp(5000, 4000))  # 60 MB unpacked
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        (picture,) = [i for i in zf.infolist() if i.filename.startswith("word/media/")]
        assert picture.file_size > 50_000_000 and picture.compress_size < 100_000
        document = zf.read("word/document.xml").decode()
    start = document.index("<w:body>") + len("<w:body>")
    xml = document[:start] + _word_like_essay(100) + document[start:]  # 0.8 MB, 8 to 1
    path = tmp_path / "long.docx"
    path.write_bytes(replaced(package, "word/document.xml", xml.encode()))
    essay = read_submission(path, "long.docx")
    assert 40_000 < essay.word_count < 50_000
    assert essay.text.endswith("Kathy remembers Hailsham.\n\nIn the end, she drives on.\n")


def _damaged(package: bytes, name: str) -> bytes:
    """`package` with a stretch of member `name`'s compressed data zeroed."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        header = zf.getinfo(name).header_offset
    data = bytearray(package)
    name_length, extra_length = struct.unpack_from("<HH", data, header + 26)
    start = header + 30 + name_length + extra_length  # the member's compressed data
    data[start + 20 : start + 60] = bytes(40)
    return bytes(data)


def test_a_docx_picture_is_never_unpacked(tmp_path: Path) -> None:
    package = docx_bytes(picture=bmp(400, 300))
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        (picture,) = [n for n in zf.namelist() if n.startswith("word/media/")]
    path = tmp_path / "essay.docx"
    path.write_bytes(_damaged(package, picture))
    with zipfile.ZipFile(path) as zf, pytest.raises(zlib.error):
        zf.read(picture)  # the picture is damaged: reading it would fail
    essay = read_submission(path, "essay.docx")
    assert essay.text == "Kathy remembers Hailsham.\n\nIn the end, she drives on.\n"


def test_an_odt_whose_text_unpacks_over_the_limit_is_refused(tmp_path: Path) -> None:
    package = odt_bytes()
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        content = zf.read("content.xml").decode()
    paragraph = "<text:p>Kathy remembers Hailsham and the boys who played there.</text:p>"
    end = content.index("</office:text>")
    content = content[:end] + paragraph * 500_000 + content[end:]  # 36 MB
    path = tmp_path / "bomb.odt"
    path.write_bytes(replaced(package, "content.xml", content.encode()))
    assert path.stat().st_size < 1_000_000
    assert _refusal(path) == (
        "too large when unpacked: content.xml is 36 MB unpacked; over 25 MB is refused"
    )


def test_an_odt_picture_is_never_unpacked(tmp_path: Path) -> None:
    package = odt_bytes(picture=bmp(400, 300))
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        (picture,) = [n for n in zf.namelist() if n.startswith("Pictures/")]
    path = tmp_path / "essay.odt"
    path.write_bytes(_damaged(package, picture))
    essay = read_submission(path, "essay.odt")
    assert essay.text == "Kathy remembers Hailsham.\n\nIn the end, she drives on.\n"


def test_an_entity_bomb_in_the_text_part_is_corrupt(tmp_path: Path) -> None:
    entities = "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10 if i else "Hailsham "}">' for i in range(10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
        f"<w:document {W_NS}><w:body><w:p><w:r><w:t>&e9;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = tmp_path / "laughs.docx"
    path.write_bytes(replaced(docx_bytes(), "word/document.xml", xml.encode()))
    assert _refusal(path).startswith("corrupt .docx: XMLSyntaxError: ")


def test_an_odt_written_with_line_breaks_and_indents_is_read(tmp_path: Path) -> None:
    """Tools other than LibreOffice (docutils' rst2odt) indent content.xml: the blank
    text before office:text is not the document (odfpy took it for the whole text)."""
    package = odt_bytes()
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        content = zf.read("content.xml").decode()
    indented = content.replace("<office:body>", "<office:body>\n  ").replace(
        "<text:p", "\n   <text:p"
    )
    path = tmp_path / "indented.odt"
    path.write_bytes(replaced(package, "content.xml", indented.encode()))
    essay = read_submission(path, "indented.odt")
    assert essay.text == "Kathy remembers Hailsham.\n\nIn the end, she drives on.\n"


def test_a_password_protected_odt_is_named_so(tmp_path: Path) -> None:
    """LibreOffice encrypts content.xml and says so in the manifest."""
    package = odt_bytes()
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        manifest = zf.read("META-INF/manifest.xml").decode()
    encryption = (
        '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:'
        'xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA">'
        '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#'
        'aes256-cbc" manifest:initialisation-vector="AAAA"/></manifest:encryption-data>'
    )
    entry = 'manifest:full-path="content.xml"'
    start = manifest.index(entry)
    end = manifest.index("/>", start)
    manifest = manifest[:end] + ">" + encryption + "</manifest:file-entry>" + manifest[end + 2 :]
    package = replaced(package, "META-INF/manifest.xml", manifest.encode())
    path = tmp_path / "locked.odt"
    path.write_bytes(replaced(package, "content.xml", bytes(range(256)) * 8))
    assert _refusal(path) == "password-protected (encrypted) .odt; remove the password"


def test_a_docx_of_tens_of_thousands_of_entries_is_refused_before_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """zipfile reads and parses a zip's whole directory when it opens one: 600,000 empty
    entries in a 50 MB file took 4 s and 350 MB before any other check ran."""
    package = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(package, "a") as zf:
        for i in range(10_001):
            zf.writestr(f"padding/part{i}.xml", b"")
    path = tmp_path / "many.docx"
    path.write_bytes(package.getvalue())

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the zip was opened")

    monkeypatch.setattr(zipfile, "ZipFile", never)
    refusal = "zip has 10,018 entries; more than 10,000 are refused (possible zip bomb)"
    assert _refusal(path) == refusal
