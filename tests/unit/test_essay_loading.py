"""Loading essay files: encodings, line endings, bad input."""

from __future__ import annotations

import codecs
import os
import zipfile
from pathlib import Path

import pytest

from essaycoach.decoding import decode_bytes
from essaycoach.errors import InputError
from essaycoach.essay import MAX_BYTES, Essay, load_essay

TEXT = "“Never Let Me Go” is sad. Kathy’s voice is calm — and Ruth’s is not. Café owners agree.\n"

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8 with BOM"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le with BOM"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be with BOM"),
        (TEXT.encode("utf-16-le"), "utf-16-le without BOM"),
        (TEXT.encode("utf-16-be"), "utf-16-be without BOM"),
        (TEXT.encode("utf-32"), "utf-32 with BOM"),
        (TEXT.encode("cp1252"), "cp1252 (curly quotes, em dash)"),
    ],
)
def test_decodes_every_supported_encoding(encoded: bytes, label: str) -> None:
    assert decode_bytes(encoded) == TEXT, label


def test_latin1_text_decodes() -> None:
    text = "Le café était déjà fermé. Señor Muñoz paid £5.\n"
    assert decode_bytes(text.encode("latin-1")) == text


def test_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"Hello there. General Kenobi.")
    essay = load_essay(path)
    assert essay.text == "Hello there. General Kenobi."
    assert essay.sentences[0].start == 0


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings_are_normalised(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "essay.txt"
    path.write_bytes(newline.join(["First line here.", "", "Second paragraph."]).encode())
    essay = load_essay(path)
    assert essay.text == "First line here.\n\nSecond paragraph."
    assert len(essay.paragraphs) == 2
    assert essay.line_col(essay.paragraphs[1].start) == (3, 1)


def test_control_characters_are_made_harmless_one_for_one(tmp_path: Path) -> None:
    prose = "Kathy and Tommy grow up at Hailsham, a school in the English countryside. " * 2
    raw = prose + "Kathy\x1b[2J waits.\x07\tTommy\vshouts.\fThe loss\x85and\x1cend\x7f."
    path = tmp_path / "controls.txt"
    path.write_text(raw, encoding="utf-8")
    essay = load_essay(path)
    # an ESC that would clear the reader's terminal is gone; offsets keep their places
    # vertical tab and form feed are spaces: editors count no line at them, nor do we;
    # NEL and the separators part words (QA: as U+FFFD, LanguageTool read "loss\ufffdand")
    shown = "Kathy\ufffd[2J waits.\ufffd\tTommy shouts. The loss and end\ufffd."
    assert essay.text == prose + shown
    assert len(essay.text) == len(raw)
    assert [p.text for p in essay.paragraphs][-1].endswith("The loss and end\ufffd.")


def test_form_feeds_do_not_shift_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "pages.txt"
    path.write_bytes(b"Page one ends here.\f\n\nPage two\vstarts here.\n")
    essay = load_essay(path)
    second = essay.paragraphs[1]
    assert second.text == "Page two starts here."
    assert essay.line_col(second.start) == (3, 1)  # as an editor counts: CR, LF, CR LF only
    assert essay.line_col(essay.text.index("starts")) == (3, 10)


@pytest.mark.parametrize("control", ["\f", "\v"])
def test_form_feeds_and_vertical_tabs_are_not_binary(control: str) -> None:
    data = ("Page one." + control).encode() * 200  # one in ten characters
    assert decode_bytes(data) == ("Page one." + control) * 200


def test_form_feeds_in_a_document_read_as_spaces(tmp_path: Path) -> None:
    path = tmp_path / "pages.rtf"  # an RTF hex escape is the one way a reader yields them
    path.write_text(r"{\rtf1\ansi Page one ends.\'0cPage two\'0bstarts.\par}", encoding="ascii")
    essay = load_essay(path)
    assert essay.text == "Page one ends. Page two starts.\n"
    assert essay.line_col(essay.text.index("starts")) == (1, 25)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (PNG_BYTES, "binary"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
        (b"Plain words \x81\x8d\x8f\x90\x9d then more words.", "cannot decode"),
        (
            "Mostly UTF-8 “quotes” here. ".encode() + b"Then a stray \xe9 byte.",
            "invalid UTF-8",
        ),
        (codecs.BOM_UTF8 + b"bad \xff\xfe utf8", "invalid utf-8"),
        (b"", "empty"),
        (b"   \n\t\r\n  ", "empty"),
    ],
)
def test_bad_bytes_raise_one_line_input_error(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "essay.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        load_essay(path)
    message = str(info.value)
    assert reason.lower() in message.lower()
    assert str(path) in message
    assert "\n" not in message


def test_invalid_utf8_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "essay.txt"
    path.write_bytes("Line one — fine.\nLine two is “fine”.\nLine three has ".encode() + b"\xe9.")
    with pytest.raises(InputError, match="line 3"):
        load_essay(path)


def test_utf8_with_more_cp1252_quotes_than_utf8_characters_is_mixed(tmp_path: Path) -> None:
    """Review: a UTF-8 essay ("café", "naïve") with three pairs of Windows-1252 curly
    quotes has more invalid bytes than UTF-8 characters; it was decoded as cp1252,
    silently garbling "café" to "cafÃ©", instead of refused as mixed encodings."""
    path = tmp_path / "essay.txt"
    path.write_bytes(
        "The café was naïve.\n".encode()
        + b"He said \x93one\x94, then \x93two\x94 and \x93three\x94.\n"
    )
    with pytest.raises(InputError) as info:
        load_essay(path)
    assert info.value.message == (
        "invalid UTF-8 at line 2 (byte 30) in an otherwise UTF-8 file (mixed encodings?); "
        "save it as UTF-8"
    )


def test_five_megabyte_text_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"All work and no play makes Jack a dull boy. " * (5_000_000 // 44 + 1))
    with pytest.raises(InputError, match=r"5\.0 MB"):
        load_essay(path)
    assert path.stat().st_size > MAX_BYTES


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_essay(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        load_essay(tmp_path)


@pytest.mark.parametrize("suffix", [".png", ".xlsx", ".exe"])
def test_unsupported_suffix(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"essay{suffix}"
    path.write_bytes(PNG_BYTES)
    with pytest.raises(InputError, match="unsupported file type"):
        load_essay(path)


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".odt"])
def test_corrupt_document_is_one_line_naming_the_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"essay{suffix}"
    path.write_bytes(PNG_BYTES)
    with pytest.raises(InputError) as caught:
        load_essay(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_docx_essay_loads_with_paragraphs(tmp_path: Path) -> None:
    import docx  # python-docx, a test dependency

    document = docx.Document()
    document.add_paragraph("Kathy remembers Hailsham as a place of hope.")
    document.add_paragraph("Tommy rages, then learns to accept what he cannot change.")
    path = tmp_path / "essay.docx"
    document.save(path)
    essay = load_essay(path)
    assert [p.text for p in essay.paragraphs] == [
        "Kathy remembers Hailsham as a place of hope.",
        "Tommy rages, then learns to accept what he cannot change.",
    ]


def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "essay.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load_essay(fifo)  # never opened: opening a pipe with no writer would block


def test_text_with_no_words_loads_with_no_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "punct.txt"
    path.write_text("!!! ... ???\n\n---\n")
    essay = load_essay(path)
    assert essay.word_count == 0
    assert essay.paragraphs == ()
    assert essay.sentences == ()


def test_single_3000_word_paragraph_is_split_fast_and_sanely() -> None:
    sentence = "The clones at Hailsham hope for a deferral that never comes, and they know it. "
    text = (sentence * 200).strip()  # 3,000 words, one paragraph, no line breaks
    essay = Essay.from_text(text)
    sentences = essay.sentences
    assert essay.word_count == 3000
    assert len(essay.paragraphs) == 1
    assert len(sentences) == 200
    assert all(s.text == sentence.strip() for s in sentences)


def test_text_near_the_size_limit_splits_in_linear_time() -> None:
    # 1.9 MB in one paragraph: a splitter that rescans the paragraph per full stop
    # (quadratic) would take minutes here; bench/speed has the timings.
    text = "Hope is all they have left. " * 68_000
    essay = Essay.from_text(text)
    assert len(essay.sentences) == 68_000


def test_from_text_removes_a_leading_bom() -> None:
    essay = Essay.from_text("\ufeffA sentence here.")
    assert essay.text == "A sentence here."


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("plain/essay.md", "plain/essay.md"),
        ("caf\udce9.md", "caf\\xe9.md"),  # Latin-1 0xE9, kept by Python as a surrogate
        ("café.md", "café.md"),  # the UTF-8 name shows differently
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),  # a right-to-left override
        ("esc\x1b[31mred.md", "esc\\x1b[31mred.md"),  # would colour the reader's terminal
        ("two\nlines.md", "two\\x0alines.md"),
        ("Zoë.md", "Zoë.md"),
    ],
)
def test_display_names_are_printable_utf8(name: str, shown: str) -> None:
    from essaycoach.decoding import display_name

    assert display_name(name) == shown


@pytest.mark.parametrize(
    ("breaks", "expected"),
    [
        (("page", "page"), "End of page one.\nStart of page three.\n"),
        (("line", "page"), "End of page one.\nStart of page three.\n"),
        (("page", "line"), "End of page one.\nStart of page three.\n"),
        (("page", "page", "page"), "End of page one.\nStart of page three.\n"),
        (("line", "line"), "End of page one.\n\nStart of page three.\n"),
        # a tracked insertion's break is read (changes read as accepted), a deletion's
        # is not: either way one line break stays
        (("ins", "page"), "End of page one.\nStart of page three.\n"),
        (("del", "page", "ins"), "End of page one.\nStart of page three.\n"),
        (("ins", "page", "line"), "End of page one.\nStart of page three.\n"),
        # a non-breaking hyphen is text: the breaks either side of it are not grouped
        (("page", "hyphen", "page"), "End of page one.\n-\nStart of page three.\n"),
    ],
)
def test_docx_breaks_around_a_page_break_keep_one_paragraph(
    tmp_path: Path, breaks: tuple[str, ...], expected: str
) -> None:
    import docx
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    kinds = {"page": WD_BREAK.PAGE, "line": WD_BREAK.LINE}
    document = docx.Document()
    paragraph = document.add_paragraph("End of page one.")
    for kind in breaks:
        if kind in ("ins", "del"):
            paragraph._p.append(
                parse_xml(
                    f'<w:{kind} {nsdecls("w")} w:id="1" w:author="T"'
                    f' w:date="2026-01-01T00:00:00Z"><w:r><w:br/></w:r></w:{kind}>'
                )
            )
        elif kind == "hyphen":
            paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}><w:noBreakHyphen/></w:r>"))
        else:
            paragraph.add_run().add_break(kinds[kind])
    paragraph.add_run("Start of page three.")
    path = tmp_path / "breaks.docx"
    document.save(str(path))
    assert load_essay(path).text == expected


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CHANGE = 'w:id="1" w:author="T" w:date="2026-01-01T00:00:00Z"'


def _p(inner: str) -> str:
    return f"<w:p {_W_NS}>{inner}</w:p>"


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _table(*rows: list[str]) -> str:
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{_p(_r(c))}</w:tc>" for c in row) + "</w:tr>" for row in rows
    )
    return f"<w:tbl {_W_NS}>{cells}</w:tbl>"


_DRAWING_NS = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)
_ANCHOR = (
    '<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0"'
    ' relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="column"><wp:posOffset>3543300</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
    '<wp:extent cx="2360930" cy="1404620"/><wp:wrapSquare wrapText="bothSides"/>'
    '<wp:docPr id="1" name="Text Box 1"/>'
)
_VML_TEXT_BOX_TYPE = (
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"'
    ' path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)


def _wps_shape(*blocks: str) -> str:
    """A DrawingML shape holding a text box with these paragraphs and tables."""
    return (
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="2360930" cy="1404620"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></wps:spPr>"
        f"<wps:txbx><w:txbxContent>{''.join(blocks)}</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" anchor="t"><a:spAutoFit/></wps:bodyPr>'
        "</wps:wsp>"
    )


def _vml_shape(*blocks: str) -> str:
    return (
        '<v:shape id="Text Box 1" o:spid="_x0000_s1026" type="#_x0000_t202"'
        ' style="position:absolute;margin-left:279pt;width:185.9pt;height:110.6pt">'
        f"<v:textbox><w:txbxContent>{''.join(blocks)}</w:txbxContent></v:textbox></v:shape>"
    )


def _text_box(*blocks: str) -> str:
    """A run holding a floating text box as Word 2010 and later write it: DrawingML in
    mc:Choice, and the same text box again as VML in mc:Fallback for older readers."""
    return (
        f'<w:r><mc:AlternateContent {_DRAWING_NS}><mc:Choice Requires="wps"><w:drawing>'
        f"{_ANCHOR}<a:graphic><a:graphicData"
        ' uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"{_wps_shape(*blocks)}</a:graphicData></a:graphic></wp:anchor></w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict>{_VML_TEXT_BOX_TYPE}{_vml_shape(*blocks)}"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def _vml_text_box(*blocks: str) -> str:
    """A run holding a text box as Word 2007 (and later, in compatibility mode) writes it."""
    return f"<w:r><w:pict {_DRAWING_NS}>{_VML_TEXT_BOX_TYPE}{_vml_shape(*blocks)}</w:pict></w:r>"


def _grouped_text_boxes(*boxes: str) -> str:
    """A run holding a group of shapes, each a text box with one paragraph."""
    drawingml = "".join(_wps_shape(_p(_r(text))) for text in boxes)
    vml = "".join(_vml_shape(_p(_r(text))) for text in boxes)
    return (
        f'<w:r><mc:AlternateContent {_DRAWING_NS}><mc:Choice Requires="wpg"><w:drawing>'
        f"{_ANCHOR}<a:graphic><a:graphicData"
        ' uri="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup">'
        f"<wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr/>{drawingml}</wpg:wgp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback>"
        f'<w:pict>{_VML_TEXT_BOX_TYPE}<v:group style="position:absolute">{vml}</v:group>'
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def _deleted_mark() -> str:
    """Paragraph properties whose mark (the paragraph's end) is a tracked deletion."""
    return f"<w:pPr><w:rPr><w:del {_CHANGE}/></w:rPr></w:pPr>"


def _picture(description: str) -> str:
    """A run holding an inline picture with alternative text."""
    return (
        f'<w:r><w:drawing {_DRAWING_NS}><wp:inline><wp:extent cx="5486400" cy="3657600"/>'
        f'<wp:docPr id="2" name="Picture 2" descr="{description}"/><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="2" name="norfolk.jpg" descr="{description}"/>'
        '<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId9" xmlns:r='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
        "</pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline>"
        "</w:drawing></w:r>"
    )


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        # tracked changes read as accepted: the inserted words are the essay, not the deleted
        (
            [
                _p(
                    _r("Kathy ") + f"<w:ins {_CHANGE}>{_r('never ')}</w:ins>"
                    f"<w:del {_CHANGE}><w:r><w:delText>always </w:delText></w:r></w:del>"
                    + _r("forgets.")
                )
            ],
            "Kathy never forgets.\n",
        ),
        (
            [
                _p(
                    f"<w:moveFrom {_CHANGE}>{_r('Old place. ')}</w:moveFrom>"
                    + _r("Stays. ")
                    + f"<w:moveTo {_CHANGE}>{_r('New place.')}</w:moveTo>"
                )
            ],
            "Stays. New place.\n",
        ),
        # text typed into a content control of a school template, inline and as a block
        (
            [
                _p(_r("Name: ") + f"<w:sdt><w:sdtContent>{_r('Kathy H.')}</w:sdtContent></w:sdt>"),
                f"<w:sdt {_W_NS}><w:sdtContent>{_p(_r('My thesis.'))}</w:sdtContent></w:sdt>",
            ],
            "Name: Kathy H.\n\nMy thesis.\n",
        ),
        # a control still showing its placeholder holds the template's text, not the essay
        (
            [
                _p(
                    _r("Title: ")
                    + "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
                    + _r("Click or tap here to enter text.")
                    + "</w:sdtContent></w:sdt>"
                )
            ],
            "Title:\n",
        ),
        # a field shows its result, not its code
        (
            [
                _p(
                    _r("Page ") + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    "<w:r><w:instrText> PAGE </w:instrText></w:r>"
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                    + _r("3")
                    + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
                )
            ],
            "Page 3\n",
        ),
        # tables where they stand, a row per line, a nested table once
        (
            [_p(_r("Before.")), _table(["a", "b"], ["c", "d"]), _p(_r("After."))],
            "Before.\n\na b\n\nc d\n\nAfter.\n",
        ),
        (
            [
                _table(["outer"]).replace(
                    "</w:tc>", _table(["inner"]).replace(f" {_W_NS}", "") + "</w:tc>", 1
                )
            ],
            "outer\n\ninner\n",  # a cell's paragraphs (a table's row is one) stay apart
        ),
        # a deleted paragraph mark joins the paragraph to the next, as accepting it does;
        # a paragraph deleted whole (its text and its mark) is gone
        (
            [
                _p(_deleted_mark() + _r("Kathy remembers")),
                _p(_r(" Hailsham.")),
                _p(_r("Next.")),
            ],
            "Kathy remembers Hailsham.\n\nNext.\n",
        ),
        (
            [
                _p(_r("One.")),
                _p(
                    _deleted_mark()
                    + f"<w:del {_CHANGE}><w:r><w:delText>Gone.</w:delText></w:r></w:del>"
                ),
                _p(_r("Two.")),
            ],
            "One.\n\nTwo.\n",
        ),
        (
            [_p(_deleted_mark() + _r("Before the table.")), _table(["a", "b"])],
            "Before the table.\n\na b\n",
        ),
        # a text box's paragraphs are paragraphs of their own, after the paragraph it
        # is anchored in; Word writes it twice (DrawingML and VML), it is read once
        (
            [
                _p(
                    _r("Kathy remembers Hailsham.")
                    + _text_box(_p(_r("“We were told and not told.”")))
                    + _r(" Then Tommy.")
                ),
                _p(_r("Next paragraph.")),
            ],
            "Kathy remembers Hailsham. Then Tommy.\n\n“We were told and not told.”\n\n"
            "Next paragraph.\n",
        ),
        (
            [_p(_r("Anchor.") + _vml_text_box(_p(_r("Box words.")))), _p(_r("After."))],
            "Anchor.\n\nBox words.\n\nAfter.\n",
        ),
        # a table and a nested text box inside a text box: once each, in order
        (
            [
                _p(
                    _r("Anchor.")
                    + _text_box(
                        _p(_r("Box start.")),
                        _table(["a", "b"]),
                        _p(_r("Box end.") + _text_box(_p(_r("Inner box.")))),
                    )
                ),
                _p(_r("After.")),
            ],
            "Anchor.\n\nBox start.\n\na b\n\nBox end.\n\nInner box.\n\nAfter.\n",
        ),
        (
            [_p(_r("Anchor.") + _grouped_text_boxes("First label.", "Second label."))],
            "Anchor.\n\nFirst label.\n\nSecond label.\n",
        ),
        (
            [_p(_text_box(_p(_r("One."))) + _r("Anchor.") + _text_box(_p(_r("Two."))))],
            "Anchor.\n\nOne.\n\nTwo.\n",
        ),
        # a picture's alternative text is not the essay
        (
            [_p(_r("Norfolk.") + _picture("A photo of the Norfolk coast"))],
            "Norfolk.\n",
        ),
    ],
    ids=[
        "tracked-change",
        "tracked-move",
        "content-control",
        "placeholder",
        "field",
        "table",
        "nested-table",
        "deleted-paragraph-mark",
        "deleted-paragraph",
        "deleted-mark-before-table",
        "text-box",
        "vml-text-box",
        "text-box-with-table-and-text-box",
        "grouped-text-boxes",
        "two-text-boxes",
        "picture",
    ],
)
def test_docx_reads_the_document_as_it_shows(
    tmp_path: Path, blocks: list[str], expected: str
) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    for block in blocks:
        body.insert(len(body) - 1, parse_xml(block))  # before the section properties
    path = tmp_path / "essay.docx"
    document.save(str(path))
    assert load_essay(path).text == expected


def test_odt_reads_the_document_as_it_shows(tmp_path: Path) -> None:
    """Deleted text of tracked changes, comments and notes are not the prose: odfpy
    keeps the first in a region at the top of the body, the others inside the paragraph
    they are anchored to, as a text box, whose paragraphs follow that paragraph."""
    from odf.dc import Creator
    from odf.draw import Frame, TextBox
    from odf.namespaces import TEXTNS, XMLNS
    from odf.office import Annotation, ChangeInfo
    from odf.opendocument import OpenDocumentText
    from odf.text import (
        ChangedRegion,
        Deletion,
        LineBreak,
        Note,
        NoteBody,
        NoteCitation,
        P,
        S,
        Span,
        TrackedChanges,
    )

    document = OpenDocumentText()
    changes = TrackedChanges()
    region = ChangedRegion(qattributes={(TEXTNS, "id"): "ct1", (XMLNS, "id"): "ct1"})
    deletion = Deletion()
    info = ChangeInfo()
    info.addElement(Creator(text="Teacher"))
    deletion.addElement(info)
    deletion.addElement(P(text="A deleted sentence."))
    region.addElement(deletion)
    changes.addElement(region)
    document.text.addElement(changes)

    first = P(text="Kathy remembers")
    comment = Annotation()
    comment.addElement(P(text="Nice opening!"))
    first.addElement(comment)
    first.addElement(S(c=2))
    first.addElement(Span(text="Hailsham."))
    note = Note(id="n1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="A footnote."))
    note.addElement(body)
    first.addElement(note)
    first.addElement(LineBreak())
    first.addElement(Span(text="Then Tommy."))
    document.text.addElement(first)

    second = P(text="Second paragraph.")
    frame = Frame(name="box", anchortype="as-char", width="2cm", height="1cm")
    box = TextBox()
    box.addElement(P(text="Text box words."))
    frame.addElement(box)
    second.addElement(frame)
    document.text.addElement(second)
    path = tmp_path / "essay.odt"
    document.save(str(path))
    assert load_essay(path).text == (
        "Kathy remembers  Hailsham.\nThen Tommy.\n\nSecond paragraph.\n\nText box words.\n"
    )


_ODF_NS = (
    " ".join(
        f'xmlns:{prefix}="urn:oasis:names:tc:opendocument:xmlns:{name}"'
        for prefix, name in (
            ("office", "office:1.0"),
            ("style", "style:1.0"),
            ("text", "text:1.0"),
            ("table", "table:1.0"),
            ("draw", "drawing:1.0"),
            ("fo", "xsl-fo-compatible:1.0"),
            ("svg", "svg-compatible:1.0"),
            ("dc", "dc:1.1"),
        )
    )
    + ' xmlns:xlink="http://www.w3.org/1999/xlink"'
)


def _odt_package(path: Path, body: str, master_page: str = "") -> Path:
    """An .odt packaged as LibreOffice writes one, `body` inside office:text and
    `master_page` (its header and footer) in styles.xml."""
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3"'
        ' manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    content = (
        f'<office:document-content {_ODF_NS} office:version="1.3"><office:body>'
        f"<office:text>{body}</office:text></office:body></office:document-content>"
    )
    styles = (
        f'<office:document-styles {_ODF_NS} office:version="1.3"><office:master-styles>'
        '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
        f"{master_page}</style:master-page></office:master-styles></office:document-styles>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text"
        )  # first and stored, as ODF requires
        package.writestr("META-INF/manifest.xml", manifest)
        package.writestr("content.xml", content)
        package.writestr("styles.xml", styles)
    return path


def _frame(*blocks: str, anchor: str = "paragraph") -> str:
    """A text frame (LibreOffice's Insert > Frame, or Text Box) holding these blocks."""
    return (
        f'<draw:frame draw:style-name="fr1" draw:name="Frame1" text:anchor-type="{anchor}"'
        ' svg:width="6cm" draw:z-index="0">'
        f'<draw:text-box fo:min-height="1cm">{"".join(blocks)}</draw:text-box></draw:frame>'
    )


def _image(description: str) -> str:
    return (
        '<draw:frame draw:style-name="fr2" draw:name="Image1" text:anchor-type="as-char"'
        ' svg:width="8cm" svg:height="5cm" draw:z-index="1">'
        '<draw:image xlink:href="Pictures/norfolk.png" xlink:type="simple" xlink:show="embed"'
        ' xlink:actuate="onLoad" draw:mime-type="image/png"/>'
        f"<svg:title>Norfolk</svg:title><svg:desc>{description}</svg:desc></draw:frame>"
    )


def _odt_p(*inner: str) -> str:
    return f'<text:p text:style-name="Standard">{"".join(inner)}</text:p>'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a text box's paragraphs follow the paragraph it is anchored in
        (
            _odt_p(_frame(_odt_p("Box words.")), "Kathy remembers Hailsham.") + _odt_p("Next."),
            "Kathy remembers Hailsham.\n\nBox words.\n\nNext.\n",
        ),
        (
            _odt_p("Kathy remembers ", _frame(_odt_p("Box words."), anchor="as-char"), "Hailsham."),
            "Kathy remembers Hailsham.\n\nBox words.\n",
        ),
        # a table and a nested text box inside a text box: once each, in order
        (
            _odt_p(
                "Anchor.",
                _frame(
                    _odt_p("Box start."),
                    '<table:table table:name="Table1"><table:table-column/><table:table-row>'
                    f"<table:table-cell>{_odt_p('a')}</table:table-cell>"
                    f"<table:table-cell>{_odt_p('b')}</table:table-cell>"
                    "</table:table-row></table:table>",
                    _odt_p("Box end.", _frame(_odt_p("Inner box."))),
                ),
            )
            + _odt_p("After."),
            "Anchor.\n\nBox start.\n\na b\n\nBox end.\n\nInner box.\n\nAfter.\n",
        ),
        # a shape the student typed into
        (
            _odt_p(
                '<draw:custom-shape text:anchor-type="paragraph" draw:z-index="0"'
                ' draw:name="Shape 1" svg:width="4cm" svg:height="2cm">'
                + _odt_p("Shape words.")
                + '<draw:enhanced-geometry svg:viewBox="0 0 21600 21600" draw:type="rectangle"/>'
                "</draw:custom-shape>",
                "Anchor.",
            ),
            "Anchor.\n\nShape words.\n",
        ),
        # a frame anchored to the page stands before the first paragraph: read there
        (
            _frame(_odt_p("Page box."), anchor="page") + _odt_p("First."),
            "Page box.\n\nFirst.\n",
        ),
        # a caption is a frame holding the picture and its caption, as in a .docx
        (
            _odt_p(
                _frame(
                    '<text:p text:style-name="Figure">'
                    + _image("A photo of the Norfolk coast")
                    + 'Figure <text:sequence text:ref-name="refFigure0" text:name="Figure"'
                    ' text:formula="ooow:Figure+1" style:num-format="1">1</text:sequence>'
                    ": Kathy at Hailsham</text:p>"
                ),
                "Anchor.",
            ),
            "Anchor.\n\nFigure 1: Kathy at Hailsham\n",
        ),
        # a picture's title and description are not the essay
        (
            _odt_p("Norfolk.", _image("A photo of the Norfolk coast")),
            "Norfolk.\n",
        ),
        # nor is a text box inside a footnote
        (
            _odt_p(
                "Anchor.",
                '<text:note text:id="ftn1" text:note-class="footnote">'
                "<text:note-citation>1</text:note-citation><text:note-body>"
                + _odt_p("A footnote.", _frame(_odt_p("Note box.")))
                + "</text:note-body></text:note>",
            ),
            "Anchor.\n",
        ),
    ],
    ids=[
        "text-box",
        "as-character",
        "text-box-with-table-and-text-box",
        "shape",
        "page-anchored",
        "caption",
        "picture",
        "in-footnote",
    ],
)
def test_odt_reads_text_boxes_after_their_paragraph(
    tmp_path: Path, body: str, expected: str
) -> None:
    path = _odt_package(tmp_path / "essay.odt", body)
    assert load_essay(path).text == expected


# The start of an .rtf as Word writes it with Track Changes on: \revtbl names the
# authors of the revisions, \revisions marks tracking on
_RTF_START = (
    r"{\rtf1\adeflang1025\ansi\ansicpg1252\uc1\adeff0\deff0\deflang2057\deflangfe2057"
    r"{\fonttbl{\f0\fbidi \froman\fcharset0\fprq2{\*\panose 02020603050405020304}"
    r"Times New Roman;}}{\*\revtbl {Unknown;}{Ms Okafor;}}"
    r"\paperw11906\paperh16838\margl1440\margr1440\margt1440\margb1440\revisions" + "\n"
)
_RTF_DELETED = r"\deleted\revauthdel1\revdttmdel1178749440\delrsid3431306"
_RTF_INSERTED = r"\revised\revauth1\revdttm1178749440"


def _rtf_paragraph(*runs: str) -> str:
    return r"\pard\plain \ltrpar\ql \li0\ri0\sa160\widctlpar\rin0\lin0\itap0 " + "".join(runs)


def _rtf_run(text: str, revision: str = "") -> str:
    return rf"{{\rtlch\fcs1 \af0 \ltrch\fcs0 {revision}\insrsid3431306 {text}}}"


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (
            [
                _rtf_paragraph(
                    _rtf_run("Kathy "),
                    _rtf_run("always ", _RTF_DELETED),
                    _rtf_run("never ", _RTF_INSERTED),
                    _rtf_run(r"forgets.\par "),
                )
            ],
            "Kathy never forgets.\n",
        ),
        # a deleted paragraph goes with its paragraph mark
        (
            [
                _rtf_paragraph(_rtf_run(r"First.\par ")),
                _rtf_paragraph(_rtf_run(r"Second.\par ", _RTF_DELETED)),
                _rtf_paragraph(_rtf_run(r"Third.\par ")),
            ],
            "First.\n\nThird.\n",
        ),
        # a deleted paragraph mark joins two paragraphs
        (
            [
                _rtf_paragraph(_rtf_run("Kathy remembers"), _rtf_run(r".\par ", _RTF_DELETED)),
                _rtf_paragraph(_rtf_run(r" and Tommy rages.\par ")),
            ],
            "Kathy remembers and Tommy rages.\n",
        ),
        # characters by code, Unicode with its fallback, and symbols are deleted text too
        (
            [
                _rtf_paragraph(
                    _rtf_run("Kathy "),
                    _rtf_run(r"\u8220\'93Old\u8221\'94\emdash caf\'e9 ", _RTF_DELETED),
                    _rtf_run(r"\ldblquote New\rdblquote", _RTF_INSERTED),
                    _rtf_run(r" words.\par "),
                )
            ],
            "Kathy “New” words.\n",
        ),
        # deletion is a character property: it ends with \deleted0 or \plain too
        (
            [_rtf_paragraph(_rtf_run(r"Gone. \deleted0 Kept.\par ", _RTF_DELETED))],
            "Kept.\n",
        ),
        (
            [_rtf_paragraph(_rtf_run(r"Gone. \plain Kept.\par ", _RTF_DELETED))],
            "Kept.\n",
        ),
        # a picture's binary data may hold braces: they do not end the deletion
        (
            [
                _rtf_paragraph(
                    _rtf_run("Before. "),
                    _rtf_run(
                        r"{\*\shppict{\pict\pngblip\picw1\pich1\bin2 }}}}Gone. ", _RTF_DELETED
                    ),
                    _rtf_run(r"After.\par "),
                )
            ],
            "Before. After.\n",
        ),
    ],
    ids=[
        "deleted-and-inserted",
        "deleted-paragraph",
        "deleted-paragraph-mark",
        "deleted-symbols",
        "deleted0",
        "plain",
        "deleted-picture",
    ],
)
def test_rtf_reads_tracked_changes_as_accepted(
    tmp_path: Path, paragraphs: list[str], expected: str
) -> None:
    path = tmp_path / "essay.rtf"
    path.write_text(_RTF_START + "\n".join(paragraphs) + "}", encoding="ascii")
    assert load_essay(path).text == expected


# Only the body is the essay: headers, footers and comments are not, and footnotes and
# endnotes, though the student's, would be taken for the conclusion if read at the end
_BODY_ONLY = "Kathy remembers Hailsham.\n\nIn the end, she drives on.\n"
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_NOTE_SEPARATORS = (
    '<w:{0} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{0}>'
    '<w:{0} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:{0}>"
)


def _docx_package(path: Path, body: str, parts: dict[str, str]) -> Path:
    """A .docx packaged as Word writes one: `body` in word/document.xml and each part
    (header1, footer1, footnotes, endnotes, comments) related to it by its name."""
    kinds = {name: name.rstrip("1") for name in parts}
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"
    relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}"
    overrides = "".join(
        f'<Override PartName="/word/{name}.xml" ContentType="{content_type.format(kind)}"/>'
        for name, kind in kinds.items()
    )
    related = "".join(
        f'<Relationship Id="{name}" Type="{relationship.format(kind)}" Target="{name}.xml"/>'
        for name, kind in kinds.items()
    )
    package_ns = "http://schemas.openxmlformats.org/package/2006"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{package_ns}/content-types">'
            '<Default Extension="rels"'
            ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml"'
            f' ContentType="{content_type.format("document.main")}"/>{overrides}</Types>',
        )
        package.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package_ns}/relationships"><Relationship Id="rId1"'
            f' Type="{relationship.format("officeDocument")}" Target="word/document.xml"/>'
            "</Relationships>",
        )
        package.writestr(
            "word/_rels/document.xml.rels",
            f'<Relationships xmlns="{package_ns}/relationships">{related}</Relationships>',
        )
        package.writestr(
            "word/document.xml",
            f"<w:document {_W_NS} {_R_NS}><w:body>{body}</w:body></w:document>",
        )
        for name, xml in parts.items():
            package.writestr(f"word/{name}.xml", xml)
    return path


@pytest.mark.parametrize(
    ("reference", "section", "parts"),
    [
        (
            "",
            '<w:headerReference w:type="default" r:id="header1"/>',
            {
                "header1": f'<w:hdr {_W_NS}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>'
                "<w:r><w:t>Kathy H., English 10, 5 May 2026</w:t></w:r></w:p></w:hdr>"
            },
        ),
        (
            "",
            '<w:footerReference w:type="default" r:id="footer1"/>',
            {
                "footer1": f'<w:ftr {_W_NS}><w:p><w:r><w:t xml:space="preserve">Page </w:t>'
                '</w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
                "</w:p></w:ftr>"
            },
        ),
        (
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            '<w:footnoteReference w:id="1"/></w:r>',
            "",
            {
                "footnotes": f"<w:footnotes {_W_NS}>{_NOTE_SEPARATORS.format('footnote')}"
                '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
                '<w:r><w:t xml:space="preserve"> Ishiguro, Never Let Me Go, p. 3.</w:t></w:r>'
                "</w:p></w:footnote></w:footnotes>"
            },
        ),
        (
            '<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr>'
            '<w:endnoteReference w:id="1"/></w:r>',
            "",
            {
                "endnotes": f"<w:endnotes {_W_NS}>{_NOTE_SEPARATORS.format('endnote')}"
                '<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r>'
                '<w:r><w:t xml:space="preserve"> Ishiguro, Never Let Me Go, p. 3.</w:t></w:r>'
                "</w:p></w:endnote></w:endnotes>"
            },
        ),
        (
            '<w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve"> </w:t></w:r>'
            '<w:commentRangeEnd w:id="0"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/>'
            '</w:rPr><w:commentReference w:id="0"/></w:r>',
            "",
            {
                "comments": f"<w:comments {_W_NS}>"
                '<w:comment w:id="0" w:author="Ms Okafor" w:date="2026-05-05T10:00:00Z"'
                ' w:initials="MO"><w:p><w:r><w:annotationRef/></w:r>'
                "<w:r><w:t>Nice opening!</w:t></w:r></w:p></w:comment></w:comments>"
            },
        ),
    ],
    ids=["header", "footer", "footnote", "endnote", "comment"],
)
def test_docx_reads_only_the_body(
    tmp_path: Path, reference: str, section: str, parts: dict[str, str]
) -> None:
    body = (
        _p(_r("Kathy remembers Hailsham.") + reference)
        + _p(_r("In the end, she drives on."))
        + f'<w:sectPr>{section}<w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
    )
    path = _docx_package(tmp_path / "essay.docx", body, parts)
    assert load_essay(path).text == _BODY_ONLY


def _odt_note(note_class: str) -> str:
    return (
        f'<text:note text:id="ftn1" text:note-class="{note_class}">'
        "<text:note-citation>1</text:note-citation><text:note-body>"
        '<text:p text:style-name="Footnote">Ishiguro, Never Let Me Go, p. 3.</text:p>'
        "</text:note-body></text:note>"
    )


@pytest.mark.parametrize(
    ("first_paragraph", "master_page"),
    [
        (
            "Kathy remembers Hailsham.",
            '<style:header><text:p text:style-name="Header">Kathy H., English 10, 5 May 2026'
            "</text:p></style:header>",
        ),
        (
            "Kathy remembers Hailsham.",
            '<style:footer><text:p text:style-name="Footer">Page <text:page-number'
            ' text:select-page="current">1</text:page-number></text:p></style:footer>',
        ),
        ("Kathy remembers Hailsham." + _odt_note("footnote"), ""),
        ("Kathy remembers Hailsham." + _odt_note("endnote"), ""),
        (
            'Kathy remembers <office:annotation office:name="c1"><dc:creator>Ms Okafor'
            "</dc:creator><dc:date>2026-05-05T10:00:00</dc:date><text:p>Nice opening!"
            '</text:p></office:annotation>Hailsham.<office:annotation-end office:name="c1"/>',
            "",
        ),
    ],
    ids=["header", "footer", "footnote", "endnote", "comment"],
)
def test_odt_reads_only_the_body(tmp_path: Path, first_paragraph: str, master_page: str) -> None:
    body = _odt_p(first_paragraph) + _odt_p("In the end, she drives on.")
    path = _odt_package(tmp_path / "essay.odt", body, master_page)
    assert load_essay(path).text == _BODY_ONLY


def _rtf_note(alternate: str) -> str:
    """A footnote (an endnote with \\ftnalt) as Word writes it, its mark and its text."""
    return (
        r"{\rtlch\fcs1 \af0 \ltrch\fcs0 \cs15\super \chftn {\footnote"
        + alternate
        + r" \ltrpar \pard\plain \ltrpar\s16\ql {\rtlch\fcs1 \af0 \ltrch\fcs0 \cs15\super \chftn }"
        r"{\rtlch\fcs1 \af0 \ltrch\fcs0  Ishiguro, Never Let Me Go, p. 3.}}}"
    )


@pytest.mark.parametrize(
    ("first_paragraph", "page_parts"),
    [
        (
            _rtf_run("Kathy remembers Hailsham."),
            r"{\headerr \ltrpar \pard\plain \ltrpar\s17\ql "
            + _rtf_run(r"Kathy H., English 10, 5 May 2026\par ")
            + "}",
        ),
        (
            _rtf_run("Kathy remembers Hailsham."),
            r"{\footerr \ltrpar \pard\plain \ltrpar\s18\ql "
            + _rtf_run("Page ")
            + r"{\field{\*\fldinst {\rtlch\fcs1 \af0 \ltrch\fcs0  PAGE }}"
            r"{\fldrslt {\rtlch\fcs1 \af0 \ltrch\fcs0 1}}}" + _rtf_run(r"\par ") + "}",
        ),
        (_rtf_run("Kathy remembers Hailsham.") + _rtf_note(""), ""),
        (_rtf_run("Kathy remembers Hailsham.") + _rtf_note(r"\ftnalt"), ""),
        (
            _rtf_run("Kathy remembers ")
            + r"{\*\atrfstart 1}"
            + _rtf_run("Hailsham.")
            + r"{\*\atrfend 1}{\rtlch\fcs1 \af0 \ltrch\fcs0 \cs16\v {\*\atnid MO}"
            r"{\*\atnauthor Ms Okafor}\chatn }{\*\annotation{\*\atnref 1}{\*\atndate 1178749440}"
            r"\ltrpar \pard\plain \ltrpar\s19\ql {\rtlch\fcs1 \af0 \ltrch\fcs0 \cs16 \chatn }"
            r"{\rtlch\fcs1 \af0 \ltrch\fcs0 Nice opening!}}",
            "",
        ),
    ],
    ids=["header", "footer", "footnote", "endnote", "comment"],
)
def test_rtf_reads_only_the_body(tmp_path: Path, first_paragraph: str, page_parts: str) -> None:
    body = _rtf_paragraph(first_paragraph, _rtf_run(r"\par ")) + _rtf_paragraph(
        _rtf_run(r"In the end, she drives on.\par ")
    )
    path = tmp_path / "essay.rtf"
    path.write_text(_RTF_START + r"\sectd " + page_parts + body + "}", encoding="ascii")
    assert load_essay(path).text == _BODY_ONLY


@pytest.mark.parametrize(
    "field",
    [
        r'{\field{\*\fldinst{HYPERLINK "https://example.org"}}{\fldrslt{\ul Miss Lucy}}}',
        # as Word writes it: the address's data in the instruction, the result in runs
        r"{\field{\*\fldinst {\rtlch\fcs1 \af0 \ltrch\fcs0  HYPERLINK "
        r'"https://example.org/" }{\rtlch\fcs1 \af0 \ltrch\fcs0 {\*\datafield 00d0c9ea}}}'
        r"{\fldrslt {\rtlch\fcs1 \af0 \ltrch\fcs0 \cs15\ul\cf2 Miss Lucy}}}",
        r'{\field{\*\fldinst{ DATE \\@ "d MMMM yyyy" }}{\fldrslt{Miss Lucy}}}',
    ],
    ids=["hyperlink", "word-hyperlink", "date"],
)
def test_rtf_reads_a_field_as_its_result(tmp_path: Path, field: str) -> None:
    """QA: a hyperlink read as `Miss Lucy("https://example.org")`, its address pasted
    into the sentence; a .docx reads a field as its result."""
    body = _rtf_paragraph(
        _rtf_run("Things change when "), field, _rtf_run(r" tells them the truth.\par ")
    )
    path = tmp_path / "essay.rtf"
    path.write_text(_RTF_START + body + "}", encoding="ascii")
    assert load_essay(path).text == "Things change when Miss Lucy tells them the truth.\n"


# An essay as Word saves it as .rtf: first-line indents, one \par a paragraph, one-line
# bold sub-headings (no full stop), and blank paragraphs for space
_RTF_SUBHEADINGS = (
    r"\pard\plain\f0\fs24\sl480\slmult1\qc Memory and Loss in Never Let Me Go\par"
    "\n"
    r"\pard\fi720 Kathy H. looks back on Hailsham, and she never once tries to run from"
    r" the life that was decided for her.\par"
    "\n"
    r"\par"
    "\n"
    r"{\b The first crack}\par"
    "\n"
    r"\tab Miss Lucy tells the students the truth in the pavilion.\line Nobody listens.\par"
    "\n"
    r"{\b The visit to Madame}\par"
    "\n"
    r"Miss Emily tells them calmly that the deferrals were only a rumour after all.\par"
    "\n"
    r"{\b Letting go}\sect"
    "\n"
    r"In the end, Kathy drives to Norfolk alone\page and she does not cry.\par\par"
)


def test_rtf_paragraphs_are_paragraphs_not_lines(tmp_path: Path) -> None:
    """QA: striprtf reads \\par as one line break, so an essay with one-line
    sub-headings read as hard-wrapped lines, which the essay model joined: 2 paragraphs
    where the same essay as .docx has 7. \\par, \\sect and \\page end a paragraph, as
    in a .docx; a line break (\\line) stays a line break in it."""
    path = tmp_path / "essay.rtf"
    path.write_text(_RTF_START + _RTF_SUBHEADINGS + "}", encoding="ascii")
    essay = load_essay(path)
    assert essay.text == (
        "Memory and Loss in Never Let Me Go\n\n"
        "Kathy H. looks back on Hailsham, and she never once tries to run from the life that"
        " was decided for her.\n\n"
        "The first crack\n\n"
        "Miss Lucy tells the students the truth in the pavilion.\nNobody listens.\n\n"
        "The visit to Madame\n\n"
        "Miss Emily tells them calmly that the deferrals were only a rumour after all.\n\n"
        "Letting go\n\n"
        "In the end, Kathy drives to Norfolk alone\n\n"
        "and she does not cry.\n"
    )
    assert len(essay.paragraphs) == 8  # the title aside; 4 before


@pytest.mark.parametrize(
    ("stylesheet", "heading"),
    [
        ("", r"\outlinelevel1 "),
        (r"{\stylesheet{\ql Normal;}{\s2\ql\b heading 2;}}", r"\s2 "),
        (r"{\stylesheet{\ql Normal;}{\s5\ql\b\outlinelevel2 Section Heading;}}", r"\s5 "),
        (r"{\stylesheet{\ql Normal;}{\s15\qc\b\sbasedon0 Title,T;}}", r"\s15 "),
    ],
    ids=["outline-level", "heading-style", "outlined-style", "title-style"],
)
def test_rtf_paragraphs_styled_as_headings_are_headings(
    tmp_path: Path, stylesheet: str, heading: str
) -> None:
    """As in a .docx: a paragraph with an outline level, or in a style named "heading
    1" to "heading 9", "Title" or "Subtitle" or with an outline level, is a heading."""
    body = (
        r"\pard\fi720 Kathy H. looks back on Hailsham and never once tries to run.\par"
        rf"\pard{heading}The first crack\par"
        r"\pard\fi720 Miss Lucy tells the students the truth in the pavilion.\par"
    )
    path = tmp_path / "essay.rtf"
    path.write_text(_RTF_START + stylesheet + body + "}", encoding="ascii")
    essay = load_essay(path)
    assert [h.text for h in essay.headings] == ["The first crack"]
    assert [p.text for p in essay.paragraphs] == [
        "Kathy H. looks back on Hailsham and never once tries to run.",
        "Miss Lucy tells the students the truth in the pavilion.",
    ]
    assert essay.paragraphs[1].heading == "The first crack"


@pytest.mark.parametrize(
    ("stylesheet", "heading"),
    [
        ("", r"\outlinelevel9 "),  # body text's level
        (r"{\stylesheet{\ql Normal;}{\*\cs2\b heading 2;}}", r"\cs2 "),  # a character style
        (r"{\stylesheet{\ql Normal;}{\s3\ql\b Strong Words;}}", r"\s3 "),
        ("", r"{\outlinelevel1 }"),  # properties end with their group
    ],
    ids=["body-level", "character-style", "other-style", "group-ended"],
)
def test_rtf_paragraphs_not_styled_as_headings_are_prose(
    tmp_path: Path, stylesheet: str, heading: str
) -> None:
    body = (
        r"\pard\fi720 Kathy H. looks back on Hailsham and never once tries to run.\par"
        rf"\pard\fi720{heading} Miss Lucy tells the students the truth in the pavilion.\par"
    )
    path = tmp_path / "essay.rtf"
    path.write_text(_RTF_START + stylesheet + body + "}", encoding="ascii")
    essay = load_essay(path)
    assert essay.headings == ()
    assert len(essay.paragraphs) == 2


LONG_CELL = (
    "Kathy H. looks back on Hailsham with a tenderness that the reader slowly learns to "
    "distrust, and her calm voice hides the cruelty of the system."
)


def _docx_with(tmp_path: Path, blocks: list[str]) -> Path:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    for block in blocks:
        body.insert(len(body) - 1, parse_xml(block))
    path = tmp_path / "essay.docx"
    document.save(str(path))
    return path


def test_a_docx_form_table_is_not_the_essay(tmp_path: Path) -> None:
    """QA: a template's "Name | Sam Smith" table was criterion evidence and spell-checked;
    above the title it also hid the title."""
    form = _table(["Name", "Sam Smith"], ["Class", "English 10"], ["Date", "12 October 2026"])
    path = _docx_with(
        tmp_path,
        [form, _p(_r("Memory and Loss in Never Let Me Go")), _p(_r(LONG_CELL)), form],
    )
    essay = load_essay(path)
    assert "Sam Smith" in essay.text  # still shown, only not prose
    assert [h.text for h in essay.headings] == ["Memory and Loss in Never Let Me Go"]
    assert [p.text for p in essay.paragraphs] == [LONG_CELL]
    assert "Smith" not in essay.prose and "English" not in essay.prose


@pytest.mark.parametrize(
    "rows",
    [
        (["Claim", "Uniforms reduce bullying."], ["Evidence", "Bullying fell by half."]),
        (["1820", "Missouri Compromise passed"], ["1850", "Compromise of 1850"]),
    ],
    ids=["sentences", "inside-the-essay"],
)
def test_a_table_inside_the_essay_or_of_sentences_is_no_form(tmp_path: Path, rows) -> None:
    """QA: a claim-evidence table and a timeline in the middle of an essay were masked."""
    path = _docx_with(tmp_path, [_p(_r(LONG_CELL)), _table(*rows), _p(_r(LONG_CELL))])
    essay = load_essay(path)
    assert [p.text for p in essay.paragraphs][1:-1] == [" ".join(row) for row in rows]


def _odt_table(*rows: list[str]) -> str:
    cells = "".join(
        "<table:table-row>"
        + "".join(f"<table:table-cell>{_odt_p(c)}</table:table-cell>" for c in row)
        + "</table:table-row>"
        for row in rows
    )
    return f'<table:table table:name="Table1"><table:table-column/>{cells}</table:table>'


def _html_table(*rows: list[str]) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{cells}</table>"


FORM_ROWS = (["Name", "Sam Smith"], ["Class", "English 10"], ["Date", "12 October 2026"])


def _odt_with_form(tmp_path: Path) -> Path:
    form = _odt_table(*FORM_ROWS)
    body = (
        form
        + '<text:h text:outline-level="1">Memory and Loss in Never Let Me Go</text:h>'
        + _odt_p(LONG_CELL)
        + form
    )
    return _odt_package(tmp_path / "essay.odt", body)


def _html_with_form(tmp_path: Path) -> Path:
    form = _html_table(*FORM_ROWS)
    path = tmp_path / "essay.html"
    path.write_text(
        f"<html><body>{form}<h1>Memory and Loss in Never Let Me Go</h1><p>{LONG_CELL}</p>"
        f"{form}</body></html>",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("make", [_odt_with_form, _html_with_form], ids=["odt", "html"])
def test_a_form_table_in_odt_or_html_is_not_the_essay(tmp_path: Path, make) -> None:
    """As in a .docx: the name, class and date boxes above and below the essay are shown
    but are no paragraph of it (they were criterion evidence and spell-checked)."""
    essay = load_essay(make(tmp_path))
    assert "Sam Smith" in essay.text
    assert [h.text for h in essay.headings] == ["Memory and Loss in Never Let Me Go"]
    assert [p.text for p in essay.paragraphs] == [LONG_CELL]
    assert "Smith" not in essay.prose and "English" not in essay.prose


@pytest.mark.parametrize("wrap", [_odt_table, _html_table], ids=["odt", "html"])
@pytest.mark.parametrize(
    "rows",
    [
        (["Claim", "Uniforms reduce bullying."], ["Evidence", "Bullying fell by half."]),
        (["1820", "Missouri Compromise passed"], ["1850", "Compromise of 1850"]),
    ],
    ids=["sentences", "inside-the-essay"],
)
def test_an_odt_or_html_table_inside_the_essay_or_of_sentences_is_no_form(
    tmp_path: Path, wrap, rows
) -> None:
    if wrap is _odt_table:
        body = _odt_p(LONG_CELL) + wrap(*rows) + _odt_p(LONG_CELL)
        path = _odt_package(tmp_path / "essay.odt", body)
    else:
        path = tmp_path / "essay.html"
        path.write_text(f"<p>{LONG_CELL}</p>{wrap(*rows)}<p>{LONG_CELL}</p>", encoding="utf-8")
    essay = load_essay(path)
    assert [p.text for p in essay.paragraphs][1:-1] == [" ".join(row) for row in rows]


def test_an_essay_in_a_table_cell_keeps_its_paragraphs(tmp_path: Path) -> None:
    """A template that holds the essay in one cell: each of its paragraphs stays a
    paragraph (they ran together into one, in .docx and .odt)."""
    second = "In the end, Kathy drives on towards wherever it is she is supposed to be."
    cell = _p(_r(LONG_CELL)) + _p(_r(second))
    docx_path = _docx_with(
        tmp_path,
        [_table(["Name", "Sam Smith"]), f"<w:tbl {_W_NS}><w:tr><w:tc>{cell}</w:tc></w:tr></w:tbl>"],
    )
    odt_cell = f"<table:table-cell>{_odt_p(LONG_CELL)}{_odt_p(second)}</table:table-cell>"
    odt_path = _odt_package(
        tmp_path / "essay.odt",
        _odt_table(["Name", "Sam Smith"])
        + f"<table:table><table:table-row>{odt_cell}</table:table-row></table:table>",
    )
    for path in (docx_path, odt_path):
        assert [p.text for p in load_essay(path).paragraphs] == [LONG_CELL, second], path


def _table_document(tmp_path: Path, kind: str, rows, before: str = "", after: str = "") -> Path:
    """A .docx, .odt or .html holding `rows` as a table, with a paragraph of prose
    before and after it when given."""
    if kind == "docx":
        blocks = [_p(_r(text)) for text in (before,) if text] + [_table(*rows)]
        return _docx_with(tmp_path, blocks + [_p(_r(text)) for text in (after,) if text])
    if kind == "odt":
        paragraphs = [_odt_p(text) if text else "" for text in (before, after)]
        body = paragraphs[0] + _odt_table(*rows) + paragraphs[1]
        return _odt_package(tmp_path / "essay.odt", body)
    path = tmp_path / "essay.html"
    html = [f"<p>{text}</p>" if text else "" for text in (before, after)]
    path.write_text(html[0] + _html_table(*rows) + html[1], encoding="utf-8")
    return path


ORGANIZER = (
    ["Hook", "What makes a life worth living"],
    ["Thesis", "Memory gives Kathy a purpose"],
    ["Body 1", LONG_CELL],
    ["Conclusion", "Memory is all Kathy has left"],
)


@pytest.mark.parametrize("kind", ["docx", "odt", "html"])
@pytest.mark.parametrize(
    ("rows", "before"),
    [
        (ORGANIZER, ""),  # a planning template: short answers beside the essay rows
        ((["Claim", "Uniforms reduce bullying"], ["Evidence", "Fewer fights"]), LONG_CELL),
        ((["Answer", "I think Kathy is brave"],), ""),  # a worksheet of one short answer
        # QA: "Topic" and "Author" were labels, so these rows were masked
        ((["Topic", "Phones in the classroom"], ["Claim", LONG_CELL]), ""),
        ((["Source", "Ishiguro interview"], ["Author", "his own childhood"]), LONG_CELL),
    ],
    ids=["organizer", "claims-at-the-end", "worksheet", "topic", "author-last"],
)
def test_a_students_short_answers_in_a_table_are_no_form(
    tmp_path: Path, kind: str, rows, before: str
) -> None:
    """QA: short cells without a full stop were masked as a template's form: a planning
    template's hook, thesis and conclusion, a claims table closing an essay, a worksheet
    (0 words). A form row starts with a label ("Name", "Teacher", "Date")."""
    essay = load_essay(_table_document(tmp_path, kind, rows, before=before))
    for _, answer in rows:
        assert answer.split()[0] in essay.prose, answer


@pytest.mark.parametrize("kind", ["docx", "odt", "html"])
@pytest.mark.parametrize(
    "rows",
    [
        (["Name", "Sam Smith"], ["Teacher", "Mrs. K."], ["Date", "12 Oct."]),
        (["Student Information"], ["Name", "Sam Smith"], ["Date", "12 October 2026"]),
        (["Name", "Sam Smith"], ["Assignment", "Literary analysis of Never Let Me Go by Ishiguro"]),
    ],
    ids=["abbreviations", "caption-row", "long-value"],
)
def test_template_forms_of_common_shapes_are_masked(tmp_path: Path, kind: str, rows) -> None:
    """QA: "Mrs. K." and "12 Oct." read as sentences, a merged caption row above the
    labels, and a value of more than six words made the whole form prose."""
    essay = load_essay(_table_document(tmp_path, kind, rows, after=LONG_CELL))
    assert [p.text for p in essay.paragraphs] == [LONG_CELL]


@pytest.mark.parametrize("kind", ["docx", "odt", "html"])
def test_an_empty_row_does_not_make_a_short_answer_a_forms_value(tmp_path: Path, kind: str) -> None:
    """Review: an empty spacer row counted as a row of labels, so the short answer under
    it was taken for the form's values."""
    rows = (["Name", "Sam Smith"], ["", ""], ["Hook", "Why we remember"], ["Body", LONG_CELL])
    essay = load_essay(_table_document(tmp_path, kind, rows))
    assert "Why we remember" in essay.prose and "Smith" not in essay.prose


@pytest.mark.parametrize("kind", ["docx", "odt", "html"])
def test_a_form_under_a_line_of_the_templates_is_masked(tmp_path: Path, kind: str) -> None:
    """QA: a school's name or "Fill in your details below." above the form left it in
    the prose (the line itself stays: it may be the student's title)."""
    rows = (["Name", "Sam Smith"], ["Date", "12 October 2026"])
    path = _table_document(tmp_path, kind, rows, before="Lincoln High School", after=LONG_CELL)
    essay = load_essay(path)
    assert "Smith" not in essay.prose and "Lincoln High School" in essay.text
    assert essay.paragraphs[-1].text == LONG_CELL


def test_a_form_under_libreoffices_title_style_is_masked(tmp_path: Path) -> None:
    """QA: LibreOffice's Title is a paragraph style (text:p), not a text:h."""
    body = '<text:p text:style-name="Title">Memory and Loss</text:p>' + _odt_table(*FORM_ROWS)
    essay = load_essay(_odt_package(tmp_path / "essay.odt", body + _odt_p(LONG_CELL)))
    assert [h.text for h in essay.headings] == ["Memory and Loss"]
    assert [p.text for p in essay.paragraphs] == [LONG_CELL]


@pytest.mark.parametrize("kind", ["docx", "odt", "html"])
def test_a_form_under_a_heading_or_with_its_labels_in_a_row_is_masked(
    tmp_path: Path, kind: str
) -> None:
    """QA: a form table under the title (styled as a heading) became paragraphs 1-3;
    labels across a row ("Name | Class | Date") over their values are a form too."""
    rows = (["Name", "Class", "Date"], ["Sam Smith", "English 10", "12 Oct 2026"])
    path = _table_document(tmp_path, kind, rows, after=LONG_CELL)
    essay = load_essay(path)
    assert [p.text for p in essay.paragraphs] == [LONG_CELL]
    if kind == "html":
        path.write_text(
            f"<h1>Memory and Loss</h1>{_html_table(*FORM_ROWS)}<p>{LONG_CELL}</p>", "utf-8"
        )
    elif kind == "odt":
        body = '<text:h text:outline-level="1">Memory and Loss</text:h>' + _odt_table(*FORM_ROWS)
        path = _odt_package(tmp_path / "essay.odt", body + _odt_p(LONG_CELL))
    else:
        heading = _p('<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>' + _r("Memory and Loss"))
        path = _docx_with(tmp_path, [heading, _table(*FORM_ROWS), _p(_r(LONG_CELL))])
    essay = load_essay(path)
    assert [h.text for h in essay.headings] == ["Memory and Loss"]
    assert [p.text for p in essay.paragraphs] == [LONG_CELL]
    assert "Smith" not in essay.prose


def _long_cell_template(tmp_path: Path, kind: str) -> Path:
    rows = (["Name", "Sam Smith"], ["Essay", LONG_CELL], ["Date", "12 October 2026"])
    if kind == "docx":
        return _docx_with(tmp_path, [_table(*rows)])
    if kind == "odt":
        return _odt_package(tmp_path / "essay.odt", _odt_table(*rows))
    path = tmp_path / "essay.html"
    path.write_text(_html_table(*rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["docx", "odt", "html"])
def test_a_table_with_a_long_cell_stays_the_essay(tmp_path: Path, kind: str) -> None:
    """Some school templates hold the essay itself in a table cell; the short rows
    that open and close such a table are still its form (QA: "Name Sam Smith" was
    taken for the essay's title)."""
    essay = load_essay(_long_cell_template(tmp_path, kind))
    assert [p.text for p in essay.paragraphs] == [f"Essay {LONG_CELL}"]
    assert essay.headings == ()
    assert "Smith" not in essay.prose and "2026" not in essay.prose


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u2060", "\ufeff"])
def test_invisible_characters_inside_words_are_dropped(invisible: str) -> None:
    """QA: a soft hyphen pasted from a hyphenated web page (or typed in LibreOffice)
    split "humiliation" into three misspellings and added words to the count."""
    text = f"The humil{invisible}i{invisible}ation of Kathy. Un{invisible}resolved.\n"
    essay = Essay.from_text(text)
    assert essay.text == "The humiliation of Kathy. Unresolved.\n"
    assert essay.word_count == 5


def test_heading_spans_move_with_the_dropped_characters() -> None:
    title = "Never Let Me Go: a Soft\u00adHyphen Title"
    body = "Kathy remem\u00adbers Hailsham. Ruth forgets it.\n"
    start = len(f"{title}\n\n")
    essay = Essay.from_text(f"{title}\n\n{body}", heading_spans=((0, len(title)),),
                            form_spans=((start, start + 5),))  # fmt: skip
    assert [h.text for h in essay.headings] == ["Never Let Me Go: a SoftHyphen Title"]
    assert essay.prose.strip() == "remembers Hailsham. Ruth forgets it."


def test_columns_count_the_dropped_characters_as_an_editor_does() -> None:
    """QA re-check: a finding after a soft hyphen on its line was reported a column too
    early in SARIF and GitHub annotations (the file has the character)."""
    line = "Kathy felt hu\u00admil\u00adi\u00adation\u200b\u200b\u2060 near the parkk today."
    essay = Essay.from_text(f"\ufeffFirst line.\n{line}\n")
    assert essay.line_col(essay.text.index("parkk")) == (2, line.index("parkk") + 1)
    assert essay.line_col(essay.text.index("Kathy")) == (2, 1)
    assert essay.line_col(essay.text.index("First")) == (1, 1)  # the BOM is no column


def test_a_file_of_invisible_characters_only_is_empty(tmp_path: Path) -> None:
    """QA re-check: 50 zero-width spaces were an essay of 0 words, exit 0."""
    path = tmp_path / "zw.txt"
    path.write_text("\u200b" * 50 + "\u00ad\u2060\n", encoding="utf-8")
    with pytest.raises(InputError, match="file is empty"):
        load_essay(path)
