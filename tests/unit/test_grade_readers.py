"""Reading every submission format into an Essay; every failure is an InputError with a reason."""

from __future__ import annotations

import io
import os
import tempfile
import threading
import zipfile
from pathlib import Path

import pytest

from essaycoach.errors import InputError
from essaycoach.essay import load_essay
from essaycoach.readers import read_submission

PARAGRAPHS = [
    "Kathy H. looks back on Hailsham with a tenderness that the reader slowly learns to distrust.",
    "Her calm voice hides the cruelty of a system that raises children only to use their organs.",
    "In the end, Kathy drives alone past the fences of Norfolk and refuses to give in to despair.",
]


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Memory and Hope", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def make_odt(path: Path, paragraphs: list[str]) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Memory and Hope"))
    for text in paragraphs:
        document.text.addElement(P(text=text))
    document.save(str(path))
    return path


def make_pdf(path: Path, paragraphs: list[str]) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for text in paragraphs:
        pdf.multi_cell(0, 8, text)
        pdf.ln(4)
    pdf.output(str(path))
    return path


def make_rtf(path: Path, paragraphs: list[str]) -> Path:
    body = "".join(f"{text}\\par\\par\n" for text in paragraphs)
    path.write_text(
        "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}\\f0\\fs24\n" + body + "}", "ascii"
    )
    return path


def _words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize(
    "maker,suffix",
    [(make_docx, ".docx"), (make_odt, ".odt"), (make_pdf, ".pdf"), (make_rtf, ".rtf")],
)
def test_document_formats_yield_the_paragraph_text(tmp_path: Path, maker, suffix: str) -> None:
    path = maker(tmp_path / f"essay{suffix}", PARAGRAPHS)
    essay = read_submission(path, f"essay{suffix}")
    assert essay.source == f"essay{suffix}"
    for paragraph in PARAGRAPHS:
        assert " ".join(_words(paragraph)) in " ".join(_words(essay.text))
    assert len(essay.paragraphs) >= len(PARAGRAPHS)


@pytest.mark.parametrize(
    "data,encoding",
    [
        ("Kathy’s “memories” of Hailsham — and of Tommy.\n", "utf-8"),
        ("Kathy’s “memories” of Hailsham — and of Tommy.\n", "utf-8-sig"),
        ("Kathy’s “memories” of Hailsham — and of Tommy.\n", "utf-16"),
        ("Kathy’s “memories” of Hailsham — and of Tommy.\n", "cp1252"),
    ],
)
def test_text_files_use_the_check_decoding(tmp_path: Path, data: str, encoding: str) -> None:
    path = tmp_path / "essay.txt"
    path.write_bytes(data.encode(encoding))
    assert read_submission(path, "essay.txt").text == data


def test_markdown_is_reduced_to_prose(tmp_path: Path) -> None:
    path = tmp_path / "essay.md"
    path.write_text("# Title\n\nKathy **remembers** Hailsham.\n", encoding="utf-8")
    essay = read_submission(path, "essay.md")
    assert "**" not in essay.prose and "remembers" in essay.prose


def _fail(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_submission(path, path.name)
    assert path.name in str(caught.value)
    return caught.value.message


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf", ".md"])
def test_empty_file_fails_with_reason(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    assert "empty" in _fail(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_fails_without_being_opened(tmp_path: Path) -> None:
    """Opening a pipe that no one writes to blocks: `calibrate` reads every file that
    discover_folder lists, a pipe included."""
    pipe = tmp_path / "essay.txt"
    os.mkfifo(pipe)
    assert _reasons_read_from_pipe(pipe) == ["not a regular file"]


def _reasons_read_from_pipe(pipe: Path) -> list[str]:
    """The InputError messages of reading `pipe`; should the read block, the write end
    is opened after a wait so that it ends (empty) and the test fails, not hangs."""
    reasons: list[str] = []

    def read() -> None:
        try:
            read_submission(pipe, pipe.name)
        except InputError as error:
            reasons.append(error.message)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():
        with open(pipe, "wb"):
            pass
        reader.join()
    return reasons


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_file_swapped_for_a_pipe_after_its_stat_fails_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review: the file was looked at, then opened; a named pipe put in its place in
    between blocked the read for good. The stat is taken here before the swap."""
    essay = tmp_path / "essay.txt"
    essay.write_text(PARAGRAPHS[0], encoding="utf-8")
    before = essay.stat()
    essay.unlink()
    os.mkfifo(essay)
    monkeypatch.setattr(Path, "stat", lambda self, **_: before)
    assert _reasons_read_from_pipe(essay) == ["the file changed while it was being read; try again"]


def test_whitespace_only_text_fails(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n \t\n", encoding="utf-8")
    assert "empty" in _fail(path)


def test_docx_page_and_column_breaks_separate_words(tmp_path: Path) -> None:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    paragraph = document.add_paragraph("End of page one.")
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    paragraph.add_run("Start of page two.")
    paragraph.add_run().add_break(WD_BREAK.COLUMN)
    paragraph.add_run("Next column.")
    path = tmp_path / "breaks.docx"
    document.save(str(path))
    essay = read_submission(path, "breaks.docx")
    assert essay.text == "End of page one.\nStart of page two.\nNext column.\n"


def test_corrupt_docx_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.docx"
    path.write_bytes(b"this was never a Word document " * 20)
    assert "corrupt .docx" in _fail(path)


def test_truncated_docx(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx", PARAGRAPHS).read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(good[: len(good) // 2])
    assert "corrupt .docx" in _fail(path)


def test_docx_without_document_part(tmp_path: Path) -> None:
    path = tmp_path / "hollow.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    path.write_bytes(buffer.getvalue())
    assert "word/document.xml is missing" in _fail(path)


def test_ole_container_docx_is_reported_as_encrypted_or_legacy(tmp_path: Path) -> None:
    # Word saves a password-protected .docx inside an OLE compound file with this signature
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    assert "password-protected" in _fail(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp_path / "plain.pdf", PARAGRAPHS)
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert "password-protected" in _fail(path)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60)  # a drawing, no text: like a scan
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    assert "no text layer" in _fail(path)


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj garbage\n")
    assert "PDF" in _fail(path)


def test_corrupt_rtf_and_odt(tmp_path: Path) -> None:
    rtf = tmp_path / "bad.rtf"
    rtf.write_text("plain text pretending to be rtf", encoding="ascii")
    assert "corrupt .rtf" in _fail(rtf)
    odt = tmp_path / "bad.odt"
    odt.write_bytes(b"not a zip at all, just words")
    assert "corrupt .odt" in _fail(odt)


@pytest.mark.parametrize(
    "name,expected",
    [("essay.doc", "save it as .docx"), ("essay.pages", "Pages"), ("photo.jpg", "unsupported")],
)
def test_unsupported_types_say_what_to_do(tmp_path: Path, name: str, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"data")
    assert expected in _fail(path)


def test_a_document_saved_as_doc_is_read_as_what_it_is(tmp_path: Path) -> None:
    """QA: a .docx or RTF named .doc (as Word and web apps save them) was refused as "old
    Word .doc format"; only a real old-format (OLE) .doc is."""
    docx_file = make_docx(tmp_path / "made.docx", PARAGRAPHS)
    (tmp_path / "word.doc").write_bytes(docx_file.read_bytes())
    rtf = "{\\rtf1\\ansi " + "\\par ".join(PARAGRAPHS) + "}"
    (tmp_path / "rich.doc").write_text(rtf, encoding="ascii")
    for name in ("word.doc", "rich.doc"):
        essay = read_submission(tmp_path / name, name)
        assert [p.text for p in essay.paragraphs] == PARAGRAPHS, name
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert "old Word .doc format is not supported" in _fail(old)
    # QA: a page saved from a browser, starting with an XML declaration or a comment
    saved = tmp_path / "saved.doc"
    saved.write_text(
        f"<?xml version='1.0'?><!-- saved from url=(0014)about:internet --><html><body>"
        f"<p>{PARAGRAPHS[0]}</p></body></html>",
        encoding="utf-8",
    )
    assert [p.text for p in read_submission(saved, "saved.doc").paragraphs] == PARAGRAPHS[:1]
    # QA: MHT or Word 2003 XML is no old Word document either
    mht = tmp_path / "web.doc"
    mht.write_text("MIME-Version: 1.0\nContent-Type: multipart/related\n", encoding="ascii")
    assert "named .doc but not an old Word document" in _fail(mht)


def test_an_emoji_in_rtf_is_read_as_one_character(tmp_path: Path) -> None:
    """QA: Word writes 😀 as \\u-10179?\\u-8704?; striprtf made two surrogates of it,
    which no report could encode: a traceback in check, a stopped batch in grade."""
    path = tmp_path / "emoji.rtf"
    path.write_bytes(
        b"{\\rtf1\\ansi\\uc1 I love this book \\u-10179?\\u-8704? so much.\\par "
        b"A lone \\u-10179? here.}"
    )
    essay = read_submission(path, path.name)
    assert essay.text == "I love this book \U0001f600 so much.\n\nA lone \ufffd here.\n"
    essay.text.encode("utf-8")  # what every report does


def test_an_rtf_cut_short_is_corrupt_not_a_short_essay(tmp_path: Path) -> None:
    """QA: "{\\rtf1 unclosed {{{{" was graded as an essay of one word."""
    body = "{\\rtf1\\ansi " + "\\par ".join(PARAGRAPHS)
    whole = tmp_path / "whole.rtf"
    # escaped braces and a picture's binary data hold braces that open no group
    whole.write_bytes((body + " \\{not a group\\}{\\*\\pict\\bin3 {{{}}").encode("latin-1"))
    assert [p.text for p in read_submission(whole, "whole.rtf").paragraphs][:2] == PARAGRAPHS[:2]
    cut = tmp_path / "cut.rtf"
    cut.write_bytes(body[: len(body) // 2].encode("latin-1") + b"{\\b Kat")
    assert "corrupt .rtf: it ends before its groups are closed" in _fail(cut)


def test_moodle_online_text_html(tmp_path: Path) -> None:
    path = tmp_path / "onlinetext.html"
    page = "".join(f"<p>{text.replace('Hailsham', '<b>Hailsham</b>')}</p>" for text in PARAGRAPHS)
    path.write_text(
        f"<html><head><title>x</title><style>p{{color:red}}</style></head><body>{page}"
        "<script>alert(1)</script></body></html>",
        encoding="utf-8",
    )
    essay = read_submission(path, path.name)
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS
    assert "alert" not in essay.text and "color" not in essay.text


@pytest.mark.parametrize(
    ("page", "is_link"),
    [
        # should flag: Canvas's website-URL submission, only a link
        (
            '<html><head><meta http-equiv="refresh" content="0; url=https://docs.google.com/'
            'document/d/1Ab/edit"></head><body><a href="https://docs.google.com/document/d/1Ab/'
            'edit">https://docs.google.com/document/d/1Ab/edit</a></body></html>',
            True,
        ),
        ("<p>https://example.org/a</p><p>http://example.org/b</p>", True),
        # should pass: an essay that cites a link
        ("<p>Kathy remembers Hailsham, see https://example.org/a for more.</p>", False),
    ],
)
def test_a_page_that_is_only_a_link_is_no_essay(tmp_path: Path, page: str, is_link: bool) -> None:
    """QA: Canvas's "..._link.html" was graded as a 10-word essay, "under 50 words"."""
    path = tmp_path / "leesam_10030_link.html"
    path.write_text(page, encoding="utf-8")
    if is_link:
        message = _fail(path)
        assert "this page is only a link (https://" in message
        assert "download the document it points to" in message
    else:
        assert "Kathy remembers" in read_submission(path, path.name).text


def _html_essay(tmp_path: Path, page: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "onlinetext.html"
    path.write_text(page, encoding="utf-8")
    return read_submission(path, path.name)


def test_html_headings_are_headings_whatever_their_case(tmp_path: Path) -> None:
    """Headings in .html were recognised only by the title rule: a sentence-case <h2>
    ("My reading of the ending") was read as a paragraph of the essay."""
    essay = _html_essay(
        tmp_path,
        "<h1>Memory and Loss in <i>Never Let Me Go</i></h1>"
        f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>"
        f"<h2>My reading of the ending</h2><p>{PARAGRAPHS[2]}</p>",
    )
    assert [h.text for h in essay.headings] == [
        "Memory and Loss in Never Let Me Go",
        "My reading of the ending",
    ]
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS
    title, ending = (h.text for h in essay.headings)
    assert [p.heading for p in essay.paragraphs] == [title, title, ending]


def test_an_html_heading_left_open_does_not_swallow_the_essay(tmp_path: Path) -> None:
    page = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    essay = _html_essay(tmp_path, f"<h2>my essay{page}")
    assert [h.text for h in essay.headings] == ["my essay"]
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS


@pytest.mark.parametrize("tag", ["section", "blockquote", "article", "ul", "table"])
def test_an_html_heading_left_open_ends_at_any_block(tmp_path: Path, tag: str) -> None:
    """Review: only <p>, <div>, <li>, <tr> and headings ended it; "<h2>My Essay<section>"
    made the whole essay one heading of 0 words."""
    essay = _html_essay(tmp_path, f"<h2>My Essay<{tag}>{PARAGRAPHS[0]}</{tag}>")
    assert [h.text for h in essay.headings] == ["My Essay"]
    assert [p.text for p in essay.paragraphs] == [PARAGRAPHS[0]]


def test_a_heading_an_editor_wrapped_in_a_div_is_a_heading(tmp_path: Path) -> None:
    """Known limit until now: "<h2><div>Title</div></h2>" was read as prose, the
    title the essay's first paragraph."""
    essay = _html_essay(
        tmp_path,
        f"<h2><div>Memory and Loss</div></h2><p>{PARAGRAPHS[0]}</p>"
        f"<h3><div>The <i>ending</i></div></h3><div>{PARAGRAPHS[1]}</div>",
    )
    assert [h.text for h in essay.headings] == ["Memory and Loss", "The ending"]
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS[:2]


def test_a_sentence_in_a_closed_heading_stays_prose(tmp_path: Path) -> None:
    """QA: after the <div> rule, a sentence after a <br> in a closed heading, and a
    sentence in a <div> inside one, were masked as the heading."""
    essay = _html_essay(
        tmp_path,
        f"<h2>Memory in Never Let Me Go<br>{PARAGRAPHS[0]}</h2><p>{PARAGRAPHS[1]}</p>"
        f"<h3><div>{PARAGRAPHS[2]}</div></h3>",
    )
    assert [h.text for h in essay.headings] == ["Memory in Never Let Me Go"]
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS


def test_a_cells_paragraphs_count_as_separate_words(tmp_path: Path) -> None:
    """QA: <p>Memory gives Kathy</p><p>a purpose</p> in a cell read as "Kathya" when
    judging the table a form."""
    cell = (
        "<td><p>Memory gives Kathy</p>"
        "<p>a purpose in life that her friends and the guardians never</p></td>"
    )  # 13 words, 12 read as "Kathya"
    page = f"<table><tr><td>Title</td>{cell}</tr></table><p>{PARAGRAPHS[0]}</p>"
    essay = _html_essay(tmp_path, page)
    assert "Memory gives Kathy" in essay.prose  # a label row, but 13 words: no form


def test_a_long_heading_is_a_paragraph_in_the_wrong_style(tmp_path: Path) -> None:
    """QA: an essay written in <h4>s had 0 words."""
    long = [f"{PARAGRAPHS[0]} {PARAGRAPHS[1]}", f"{PARAGRAPHS[1]} {PARAGRAPHS[2]}"]
    essay = _html_essay(tmp_path, "".join(f"<h4>{text}</h4>" for text in long))
    assert essay.headings == ()
    assert [p.text for p in essay.paragraphs] == long


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><meta charset='utf-8'><title>Essay</title>\n<p>{0}</p><p>{1}</p>",
        "<html><head><title>Essay</title><div><p>{0}</p><p>{1}</p></div>",
        "<html><head><title>Essay</title>{0}<br><br>{1}",  # text with no block around it
    ],
    ids=["no-body-tag", "div", "bare-text"],
)
def test_html_with_neither_head_end_nor_body_is_read(tmp_path: Path, page: str) -> None:
    """QA: HTML5 lets both out; only <body> ended the <head>, so nothing was read."""
    essay = _html_essay(tmp_path, page.format(*PARAGRAPHS))
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS[:2]


def test_a_line_break_in_an_html_paragraph_is_a_line_break(tmp_path: Path) -> None:
    """QA: "<p>The novel argues<br>that memory ...</p>" was two paragraphs, and both
    grammar engines flagged the lower-case "that" as a sentence start. A <br> is a line
    break inside the paragraph, as Word's is; two in a row still end it."""
    first, second = PARAGRAPHS[0].split(" with ")
    essay = _html_essay(
        tmp_path, f"<p>{first}<br>\nwith {second}</p><p>{PARAGRAPHS[1]}<br> <br>{PARAGRAPHS[2]}</p>"
    )
    assert [p.text for p in essay.paragraphs] == [f"{first}\nwith {second}", *PARAGRAPHS[1:3]]


@pytest.mark.parametrize("br", ["<br/>", "<br />", "</br>", "<BR>"])
def test_every_spelling_of_a_line_break_is_one(tmp_path: Path, br: str) -> None:
    """QA: "<br />" (XHTML, many editors) still ended the paragraph: html.parser reads
    it as a start and an end tag, and the end tag ended the block."""
    first, second = PARAGRAPHS[0].split(" with ")
    essay = _html_essay(tmp_path, f"<p>{first}{br}with {second}</p><p>{PARAGRAPHS[1]}</p>")
    assert [p.text for p in essay.paragraphs] == [f"{first}\nwith {second}", PARAGRAPHS[1]]


def test_a_nul_in_a_utf16_page_is_no_line_break(tmp_path: Path) -> None:
    """QA: a UTF-16 page's NULs (decode_bytes keeps them there) were taken for the
    reader's own <br> marker and split the paragraph."""
    path = tmp_path / "page.html"
    page = f"<html><body><p>{PARAGRAPHS[0]}\x00{PARAGRAPHS[1]}</p></body></html>"
    path.write_bytes(page.encode("utf-16"))
    essay = read_submission(path, path.name)
    assert [p.text for p in essay.paragraphs] == [f"{PARAGRAPHS[0]}\ufffd{PARAGRAPHS[1]}"]


def test_a_sentence_after_a_break_in_a_heading_left_open_is_prose(tmp_path: Path) -> None:
    """QA: "<h2>The Conch<br>The conch stands for order.<br>..." was all headings."""
    essay = _html_essay(tmp_path, f"<h2>The Conch<br>{PARAGRAPHS[0]}<br>{PARAGRAPHS[1]}")
    assert [h.text for h in essay.headings] == ["The Conch"]
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS[:2]
    two_lines = _html_essay(tmp_path, f"<h1>The Conch<br>A Reading</h1><p>{PARAGRAPHS[0]}</p>")
    assert [h.text for h in two_lines.headings] == ["The Conch", "A Reading"]


def test_text_that_opens_no_marked_section_is_read(tmp_path: Path) -> None:
    """QA: "<![ 3" stopped html.parser with an AssertionError (an internal error)."""
    essay = _html_essay(tmp_path, f"<p>The ratio was <![ 3 here.</p><p>{PARAGRAPHS[0]}</p>")
    assert [p.text for p in essay.paragraphs] == ["The ratio was <![ 3 here.", PARAGRAPHS[0]]


def test_a_byte_order_mark_inside_a_document_moves_nothing(tmp_path: Path) -> None:
    """QA: a first heading starting with U+FEFF was dropped, and a form table's cell
    starting with it crashed the essay model (the prose and the text differed in length)."""
    essay = _html_essay(tmp_path, f"<h1>\ufeffWhy the Conch Matters</h1><p>{PARAGRAPHS[0]}</p>")
    assert [h.text for h in essay.headings] == ["Why the Conch Matters"]
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    form = (("\ufeffName:", "Sam Smith"), ("Date:", "12 October 2026"))
    for row, cells in zip(table.rows, form, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph(PARAGRAPHS[0])
    document.save(str(tmp_path / "form.docx"))
    essay = read_submission(tmp_path / "form.docx", "form.docx")
    assert [p.text for p in essay.paragraphs] == [PARAGRAPHS[0]]


def test_html_with_its_head_left_open_is_read(tmp_path: Path) -> None:
    """QA: without </head> (valid HTML5) the body counted as hidden: "no text found"."""
    essay = _html_essay(
        tmp_path,
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Essay</title>"
        f"<body><p>{PARAGRAPHS[0]}</p><script>x()</script><p>{PARAGRAPHS[1]}</p></body></html>",
    )
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS[:2]


def test_html_blocks_and_cells_keep_their_words_apart(tmp_path: Path) -> None:
    """QA: "<td>Kathy</td><td>calm</td>" read "Kathycalm", and sections and quotations
    ran into each other ("love.Tommy")."""
    essay = _html_essay(
        tmp_path,
        "<table><tr><td>Kathy</td><th>calm</th></tr></table>"
        f"<section>{PARAGRAPHS[0]}</section><blockquote>{PARAGRAPHS[1]}</blockquote>"
        f"{PARAGRAPHS[2]}<hr>The end.",
    )
    assert essay.text.split("\n\n") == ["Kathy calm", *PARAGRAPHS, "The end.\n"]


GOOGLE_DOCS_NOTES = (
    '<html><body class="doc-content">'
    '<p class="c1"><span class="c2">{0}</span><sup><a href="#ftnt1" id="ftnt_ref1">[1]</a></sup>'
    '<span class="c2"> {1}</span><sup><a href="#cmnt1" id="cmnt_ref1">[a]</a></sup></p>'
    '<p class="c1"><span class="c2">{2}</span>'
    '<sup><a href="#ftnt2" id="ftnt_ref2">[2]</a></sup></p>'
    '<hr class="c11"><div><p class="c6"><a href="#ftnt_ref1" id="ftnt1">[1]</a>'
    '<span class="c12">&nbsp;Ishiguro, Kazuo. Never Let Me Go. Faber, 2005.</span></p>'
    '<p class="c6"><a href="#ftnt_ref2" id="ftnt2">[2]</a>'
    '<span class="c12">&nbsp;See also the 2010 film adaptation.</span></p></div>'
    '<div class="c13"><p class="c6"><a href="#cmnt_ref1" id="cmnt1">[a]</a>'
    '<span class="c12">Good point - expand</span></p><p class="c6">Agreed, add a quote.</p>'
    "</div></body></html>"
)

WORD_NOTE_REF = (
    '<a style="mso-footnote-id:ftn{n}" href="#_ftn{n}" name="_ftnref{n}" title="">'
    '<span class=MsoFootnoteReference><span style="mso-special-character:footnote">'
    "<![if !supportFootnotes]><span class=MsoFootnoteReference>[{n}]</span><![endif]>"
    "</span></span></a>"
)
WORD_FILTERED_NOTES = (
    "<html><body lang=EN-US><div class=WordSection1>"
    "<p class=MsoNormal>{0}" + WORD_NOTE_REF.format(n=1) + " {1}"
    '<span class=MsoCommentReference>&nbsp;<a class=msocomanchor id="_anchor_1" '
    'href="#_msocom_1" name="_msoanchor_1">[JD1]</a>&nbsp;</span><o:p></o:p></p>'
    "<p class=MsoNormal>{2}"
    '<a style="mso-endnote-id:edn1" href="#_edn1" name="_ednref1" title="">'
    "<span class=MsoEndnoteReference>[i]</span></a><o:p></o:p></p></div>"
    "<div style='mso-element:footnote-list'><![if !supportFootnotes]><br clear=all>"
    '<hr align=left size=1 width="33%"><![endif]>'
    '<div style="mso-element:footnote" id=ftn1><p class=MsoFootnoteText>'
    '<a style="mso-footnote-id:ftn1" href="#_ftnref1" name="_ftn1" title="">[1]</a>'
    " Ishiguro, Kazuo. Never Let Me Go. Faber, 2005.<o:p></o:p></p></div></div>"
    "<div style='mso-element:endnote-list'><div style='mso-element:endnote' id=edn1>"
    '<p class=MsoEndnoteText><a href="#_ednref1" name="_edn1">[i]</a>'
    " See also the 2010 film adaptation.</p></div></div>"
    "<div style='mso-element:comment-list'><div style='mso-element:comment'>"
    '<div id="_com_1" class=msocomtxt><p class=MsoCommentText>'
    '<span class=MsoCommentReference>&nbsp;<a name="_msocom_1"></a>[JD1]</span>'
    " Good point - expand</p></div></div></div></body></html>"
)


@pytest.mark.parametrize("page", [GOOGLE_DOCS_NOTES, WORD_FILTERED_NOTES])
def test_html_notes_and_comments_are_left_out_with_their_markers(tmp_path: Path, page: str) -> None:
    """QA: a Google Docs or Word web page's footnotes, endnotes and comments were read
    as the essay's last paragraphs (a teacher's comment taken for the conclusion), and
    their markers stayed in the prose ("painful.[1] Kathy"), unlike a .docx's."""
    first, second = PARAGRAPHS[0].split(" with ")
    essay = _html_essay(tmp_path, page.format(f"{first}.", f"With {second}", PARAGRAPHS[2]))
    assert [p.text for p in essay.paragraphs] == [
        f"{first}. With {second}",
        PARAGRAPHS[2],
    ]
    for note in ("Faber", "film", "Good point", "Agreed", "[1]", "[a]", "[i]", "JD1"):
        assert note not in essay.text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ('See <a href="https://example.com/notes">[1]</a>.', "See [1]."),
        ('See <a href="#intro">[1]</a>.', "See [1]."),
        ('See <a href="#ftnt1">the first note</a>.', "See the first note."),
        ("Einstein's E = mc<sup>2</sup> mattered.", "Einstein's E = mc2 mattered."),
    ],
)
def test_html_links_and_superscripts_that_are_no_notes_are_text(
    tmp_path: Path, html: str, text: str
) -> None:
    essay = _html_essay(tmp_path, f"<p>{html}</p><p>{PARAGRAPHS[0]}</p>")
    assert [p.text for p in essay.paragraphs] == [text, PARAGRAPHS[0]]


def test_a_google_docs_note_pasted_outside_a_div_is_left_out_alone(tmp_path: Path) -> None:
    """A note's paragraph with no <div> around it (pasted into Moodle's editor) is left
    out, not what follows it."""
    essay = _html_essay(
        tmp_path,
        f'<p>{PARAGRAPHS[0]}<sup><a href="#ftnt1" id="ftnt_ref1">[1]</a></sup></p>'
        '<p><a href="#ftnt_ref1" id="ftnt1">[1]</a> Faber, 2005.</p>'
        f"<p>{PARAGRAPHS[1]}</p>",
    )
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS[:2]


def test_binary_data_in_a_txt(tmp_path: Path) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 4)
    assert "binary" in _fail(path)


DOCUMENT_MAKERS = [
    (make_docx, ".docx", "a Word document"),
    (make_odt, ".odt", "an OpenDocument text"),
    (make_pdf, ".pdf", "a PDF"),
    (make_rtf, ".rtf", "an RTF document"),
]


@pytest.mark.parametrize("name", ["essay", "essay.txt", "essay.md"])
@pytest.mark.parametrize("maker,suffix,kind", DOCUMENT_MAKERS)
def test_a_document_without_its_extension_is_read_as_what_it_is(
    tmp_path: Path, maker, suffix: str, kind: str, name: str
) -> None:
    """Downloads lose their extension, and a teacher cannot rename a file inside an LMS
    export (QA: a .txt holding RTF failed its row, 'rename it to end in .rtf')."""
    document = maker(tmp_path / f"essay{suffix}", PARAGRAPHS)
    renamed = document.rename(tmp_path / name)
    for essay in (read_submission(renamed, name), load_essay(renamed)):
        assert " ".join(_words(PARAGRAPHS[1])) in " ".join(_words(essay.text))
        assert "rtf1" not in essay.text and "PK" not in essay.text[:2]


@pytest.mark.parametrize("maker,suffix,kind", DOCUMENT_MAKERS)
@pytest.mark.parametrize("other", [".docx", ".odt", ".pdf", ".rtf"])
def test_a_document_under_another_documents_extension_is_read_as_what_it_is(
    tmp_path: Path, maker, suffix: str, kind: str, other: str
) -> None:
    """Students rename a .docx to .odt; it used to be reported as a corrupt .odt."""
    document = maker(tmp_path / f"essay{suffix}", PARAGRAPHS)
    renamed = document.rename(tmp_path / f"renamed{other}")
    for essay in (read_submission(renamed, renamed.name), load_essay(renamed)):
        assert " ".join(_words(PARAGRAPHS[1])) in " ".join(_words(essay.text))


def test_a_web_page_under_a_documents_extension_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "essay.pdf"
    path.write_text("<!DOCTYPE html><html><body><p>Session expired</p></body></html>")
    message = _fail(path)
    assert "not a .pdf document but a web page" in message


def _docx_with_main_part(path: Path, part: str) -> Path:
    """The python-docx document with its text part renamed, as some writers name it."""
    original = make_docx(tmp := path.with_suffix(".orig.docx"), PARAGRAPHS).read_bytes()
    tmp.unlink()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            name = part if info.filename == "word/document.xml" else info.filename
            if info.filename == "word/_rels/document.xml.rels":
                name = str(Path(part).parent / "_rels" / (Path(part).name + ".rels"))
            if info.filename == "_rels/.rels":
                data = data.replace(b"word/document.xml", part.encode())
            target.writestr(name, data)
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("name", ["essay.docx", "essay"])
def test_a_docx_text_part_is_found_through_the_package_relationships(
    tmp_path: Path, name: str
) -> None:
    path = _docx_with_main_part(tmp_path / name, "word/document2.xml")
    with zipfile.ZipFile(path) as package:
        assert "word/document.xml" not in package.namelist()
    for essay in (read_submission(path, name), load_essay(path)):
        assert [p.text for p in essay.paragraphs][-3:] == PARAGRAPHS


def test_a_docx_whose_relationships_name_no_text_part(tmp_path: Path) -> None:
    path = _docx_with_main_part(tmp_path / "essay.docx", "word/document2.xml")
    broken = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "_rels/.rels":
                data = data.replace(b"/officeDocument", b"/somethingElse")
            target.writestr(info.filename, data)
    path.write_bytes(broken.getvalue())
    assert "_rels/.rels names no main document part" in _fail(path)


def test_an_html_page_without_an_extension_is_read_as_html(tmp_path: Path) -> None:
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    path = tmp_path / "essay"
    path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>", encoding="utf-8")
    essay = load_essay(path)
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS


def test_a_document_on_standard_input_is_refused_naming_its_format() -> None:
    from essaycoach.decoding import decode_bytes

    with pytest.raises(InputError) as caught:
        decode_bytes(b"{\\rtf1\\ansi Kathy remembers Hailsham.}", "-")
    assert caught.value.message == "an RTF document, not plain text: rename it to end in .rtf"


LONG_PARAGRAPHS = [
    p + " The novel returns to this idea in every chapter, and each time the reader sees more "
    "of what the students were never told about the lives they were made for."
    for p in PARAGRAPHS
]


def layout_pdf(path: Path, line_height: float, gap: float, indent: str) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Times", size=12)
    for text in LONG_PARAGRAPHS:
        pdf.multi_cell(0, line_height, indent + text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize(
    ("line_height", "gap", "indent"),
    [(6, 4, ""), (12, 0, "        "), (6, 0, "        ")],
    ids=["single-spaced with a gap", "double-spaced and indented", "single-spaced and indented"],
)
def test_pdf_paragraphs_come_from_gaps_and_indents(tmp_path, line_height, gap, indent):
    """As Word and Google Docs export them; plain extraction read them as one paragraph."""
    essay = read_submission(layout_pdf(tmp_path / "essay.pdf", line_height, gap, indent), "e")
    assert len(essay.paragraphs) == len(LONG_PARAGRAPHS)
    for paragraph, text in zip(essay.paragraphs, LONG_PARAGRAPHS, strict=True):
        assert " ".join(paragraph.text.split()) == text


def test_a_double_spaced_pdf_without_indents_is_not_a_paragraph_per_line(tmp_path):
    essay = read_submission(layout_pdf(tmp_path / "essay.pdf", 12, 0, ""), "e")
    assert len(essay.paragraphs) < len(LONG_PARAGRAPHS) * 2  # each paragraph is 2+ lines
    assert " ".join(essay.text.split()) == " ".join(LONG_PARAGRAPHS)


def running_heads_pdf(path: Path, paragraphs: list[str]) -> Path:
    from fpdf import FPDF

    class Paper(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=9)
            self.cell(0, 6, "Jane Doe   English 10   Ms. Rivera", align="R")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 6, f"Page {self.page_no()}", align="C")

    pdf = Paper()
    pdf.add_page()
    pdf.set_font("Times", size=12)
    for text in paragraphs:
        pdf.multi_cell(0, 7, "        " + text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_a_pdfs_running_header_and_page_numbers_are_dropped_and_a_paragraph_runs_on():
    """QA: the header and 'Page 1' landed mid-essay as paragraphs, and a paragraph
    crossing the page break was cut in two ('because a' / 'person can be ...')."""
    paragraphs = LONG_PARAGRAPHS * 6  # long enough for a second page
    path = running_heads_pdf(Path(tempfile.mkdtemp()) / "essay.pdf", paragraphs)
    from pypdf import PdfReader

    assert len(PdfReader(path).pages) >= 2
    essay = read_submission(path, "essay.pdf")
    assert "Jane Doe" not in essay.text and "Page 1" not in essay.text
    assert len(essay.paragraphs) == len(paragraphs)
    for paragraph, text in zip(essay.paragraphs, paragraphs, strict=True):
        assert " ".join(paragraph.text.split()) == text


def two_column_pdf(path: Path, left: list[str], right: list[str]) -> Path:
    """Lines placed as a browser prints two columns: the left column's, then the right's."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Times", size=11)
    for x, lines in ((12, left), (110, right)):
        for row, line in enumerate(lines):
            pdf.text(x, 20 + 6 * row, line)
    pdf.output(str(path))
    return path


def test_a_two_column_pdf_is_read_column_after_column(tmp_path):
    """QA: layout mode read a line across both columns ('... Hemingway tells The climax
    is ...'); such a page is read in plain mode, column after column."""
    words = " ".join(LONG_PARAGRAPHS).split()
    lines = [" ".join(words[i : i + 8]) for i in range(0, len(words), 8)]
    half = len(lines) // 2
    path = two_column_pdf(tmp_path / "essay.pdf", lines[:half], lines[half:])
    text = " ".join(read_submission(path, "essay.pdf").text.split())
    assert text == " ".join(words)


HYPHENATED_LINES = [
    # page 1, as justified text with hyphenation sets it
    "Kathy looks back on Hailsham, the school where the stu-",
    "dents were told half the truth about their lives, and some-",
    "thing in her voice stays calm and self-",
    "aware even when the love triangle is left unre-",
    "solved for years. She is a well-",
    "known carer of twenty-",
    "one donors, and she keeps the memories of Hail-",
    # page 2
    "sham close to the very end -",
    "The last lines show her alone by the fence in Norfolk.",
]
HYPHENATED_TEXT = (
    "Kathy looks back on Hailsham, the school where the students were told half the "
    "truth about their lives, and something in her voice stays calm and self-aware even "
    "when the love triangle is left unresolved for years. She is a well-known carer of "
    "twenty-one donors, and she keeps the memories of Hailsham close to the very end - "
    "The last lines show her alone by the fence in Norfolk."
)


def hyphenated_pdf(path: Path, lines: list[str], page_break_before: int) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Times", size=12)
    for number, line in enumerate(lines):
        if number in (0, page_break_before):
            pdf.add_page()
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_a_pdfs_words_hyphenated_at_a_line_end_are_rejoined(tmp_path):
    """QA: justified, hyphenated text read "unre" and "stu" as misspellings and
    "some-"/"thing" and "Hail-"/"sham" (across a page break) as two words each. A word
    the typesetter broke is one word again; a compound keeps its hyphen ("self-aware")."""
    path = hyphenated_pdf(tmp_path / "essay.pdf", HYPHENATED_LINES, page_break_before=7)
    essay = read_submission(path, "essay.pdf")
    assert len(essay.paragraphs) == 1
    assert " ".join(essay.text.split()) == HYPHENATED_TEXT
    assert essay.text.count("\n") == len(HYPHENATED_LINES) - 1  # the line breaks moved


def test_a_text_files_hyphen_at_a_line_end_is_the_authors(tmp_path):
    path = tmp_path / "essay.txt"
    path.write_text("Kathy tells the stu-\ndents that they are some-\nthing else.\n")
    text = read_submission(path, "essay.txt").text
    assert "stu-\ndents" in text and "some-\nthing" in text


def _docx_with_headings(path: Path, title: str, styles_xml: bytes | None = None) -> Path:
    import docx

    from tests.fixtures.office import replaced

    document = docx.Document()
    document.add_heading(title, level=0)  # Word's Title style
    document.add_paragraph(PARAGRAPHS[0])
    document.add_heading("The system", level=1)
    document.add_paragraph(PARAGRAPHS[1])
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    if styles_xml is not None:
        data = replaced(data, "word/styles.xml", styles_xml)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("title", ["The tragedy of acceptance in Never let me go", "Memory"])
def test_docx_headings_are_headings_not_the_introduction(tmp_path: Path, title: str) -> None:
    """QA: a Word title in sentence case was read as the introduction, so the thesis
    was reported out of place. Word's Title and Heading styles say what a heading is."""
    essay = read_submission(_docx_with_headings(tmp_path / "essay.docx", title), "essay.docx")
    assert [h.text for h in essay.headings] == [title, "The system"]
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS[:2]
    assert [p.heading for p in essay.paragraphs] == [title, "The system"]
    assert title not in essay.prose
    assert essay.text.startswith(title)  # offsets stay those of the document's text


def test_translated_heading_style_ids_are_headings_by_their_names(tmp_path: Path) -> None:
    """German Word writes the id "berschrift1" for the style named "heading 1"; a
    style based on a heading is one; a style with a heading-like id but a body name is
    not."""
    import docx

    from tests.fixtures.office import replaced

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    styles = (
        f"<w:styles {w}>"
        '<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="My Heading"/>'
        '<w:basedOn w:val="berschrift1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="Normal"/></w:style>'
        "</w:styles>"
    ).encode()
    document = docx.Document()
    for text in ("Erinnerung", "Hope", "Not a heading", PARAGRAPHS[0]):
        document.add_paragraph(text)
    styled = document.paragraphs[:3]
    for paragraph, style in zip(styled, ("berschrift1", "Mine", "Heading1"), strict=True):
        paragraph._p.get_or_add_pPr().get_or_add_pStyle().set(docx.oxml.ns.qn("w:val"), style)
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "essay.docx"
    path.write_bytes(replaced(buffer.getvalue(), "word/styles.xml", styles))
    essay = read_submission(path, "essay.docx")
    assert [h.text for h in essay.headings] == ["Erinnerung", "Hope"]
    assert [p.text for p in essay.paragraphs] == ["Not a heading", PARAGRAPHS[0]]


def test_odt_headings_are_headings(tmp_path: Path) -> None:
    essay = read_submission(make_odt(tmp_path / "essay.odt", PARAGRAPHS), "essay.odt")
    assert [h.text for h in essay.headings] == ["Memory and Hope"]
    assert [p.text for p in essay.paragraphs] == PARAGRAPHS


@pytest.mark.parametrize("name", ["huge.txt", "huge.md", "huge"])
def test_a_text_file_over_2_mb_is_refused_before_it_is_read(tmp_path: Path, name: str) -> None:
    """grade read a 21 MB .txt whole (twice: for its cache key and to grade it), decoded
    it, and only then refused it for its 21 million characters. Its size is judged from
    its stat now, as `check` does; only the first bytes are read, to see that it is no
    document under a text name."""
    from essaycoach.readers import read_bytes

    path = tmp_path / name
    with path.open("wb") as handle:
        handle.write(b"Kathy remembers Hailsham. " * 10)
        handle.truncate(21_000_000)  # sparse: nothing more is written
    read: list[int] = []
    real_open = Path.open

    def counting_open(self: Path, *args, **kwargs):
        handle = real_open(self, *args, **kwargs)
        real_read = handle.read

        def counted(size: int = -1) -> bytes:
            data = real_read(size)
            read.append(len(data))
            return data

        handle.read = counted
        return handle

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "open", counting_open)
        with pytest.raises(InputError) as caught:
            read_bytes(path, name)
    assert caught.value.message == "file is 21.0 MB; essays over 2 MB are refused"
    assert sum(read) <= 4096


def test_a_large_document_under_a_text_name_is_still_read(tmp_path: Path) -> None:
    """A PDF saved as .txt is read as the PDF it is; its size is a document's (50 MB)."""
    from essaycoach.readers import read_bytes

    path = tmp_path / "essay.txt"
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(3_000_000)
    assert len(read_bytes(path, "essay.txt")) == 3_000_000


def test_check_reads_a_large_document_under_a_text_name_as_grade_does(tmp_path: Path) -> None:
    """Review: `check` (load_essay) refused a 2.5 MB .docx saved as .txt as a text file
    over 2 MB, while `grade` read it; both now read files one way (read_submission)."""
    from tests.fixtures.office import bmp, docx_bytes

    picture = bmp(1000, 800)
    noisy = picture[:54] + os.urandom(len(picture) - 54)  # does not deflate
    path = tmp_path / "essay.txt"
    path.write_bytes(docx_bytes(noisy))
    assert path.stat().st_size > 2_000_000
    essay = load_essay(path)
    assert essay.text == "Kathy remembers Hailsham.\n\nIn the end, she drives on.\n"
    assert read_submission(path, "essay.txt").text == essay.text


@pytest.mark.parametrize(
    "header",
    [(), ("Jane Doe", "Mr. Smith", "English 10", "12 October 2026")],
    ids=["title", "mla-heading-block-and-title"],
)
def test_a_title_in_normal_style_above_styled_headings_is_a_title(
    tmp_path: Path, header: tuple[str, ...]
) -> None:
    """Review: with any styled heading in the document, a title-case title in Word's
    Normal style was read as the first paragraph; an MLA heading block may stand above it."""
    import docx

    document = docx.Document()
    for line in (*header, "Memory and Loss in Never Let Me Go"):
        document.add_paragraph(line)
    document.add_paragraph(PARAGRAPHS[0])
    document.add_heading("Conclusion", level=1)
    document.add_paragraph(PARAGRAPHS[2])
    document.save(str(tmp_path / "essay.docx"))
    essay = read_submission(tmp_path / "essay.docx", "essay.docx")
    assert [h.text for h in essay.headings] == ["Memory and Loss in Never Let Me Go", "Conclusion"]
    assert [p.text for p in essay.paragraphs] == [PARAGRAPHS[0], PARAGRAPHS[2]]
    assert "Doe" not in essay.prose


def test_heading_spans_hold_when_a_paragraph_has_windows_line_ends(tmp_path: Path) -> None:
    """Review: CR LF inside a paragraph was made LF after the heading spans were
    computed, so the heading 'Works Cited' was cut and its entry counted as prose."""
    from tests.fixtures.office import docx_with_body

    def paragraph(text: str, style: str = "") -> str:
        properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    body = (
        paragraph(f"{PARAGRAPHS[0]}&#13;&#10;{PARAGRAPHS[1]}")
        + paragraph("Works Cited", "Heading1")
        + paragraph("Ishiguro, Kazuo. Never Let Me Go. Faber, 2005.")
    )
    path = docx_with_body(tmp_path / "essay.docx", body)
    essay = read_submission(path, "essay.docx")
    assert essay.headings[-1].text == "Works Cited"
    assert "Faber" not in essay.prose


@pytest.mark.parametrize(
    ("properties", "kept"),
    [
        ("<w:vanish/>", False),
        ('<w:vanish w:val="true"/>', False),
        ('<w:vanish w:val="0"/>', True),
        ('<w:vanish w:val="false"/>', True),
        ("<w:webHidden/>", True),  # hidden on screen in web layout only; printed
    ],
)
def test_docx_hidden_text_is_not_the_essay(tmp_path: Path, properties: str, kept: bool) -> None:
    """QA: a template's hidden instructions ("delete this line and write about the
    inciting incident here") were read as the student's words."""
    from tests.fixtures.office import docx_with_body

    def run(text: str, rpr: str = "") -> str:
        return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'

    body = f"<w:p>{run('TEMPLATE: write here. ', properties)}{run(PARAGRAPHS[0])}</w:p>"
    essay = read_submission(docx_with_body(tmp_path / "essay.docx", body), "essay.docx")
    assert ("TEMPLATE" in essay.text) is kept
    assert essay.text.strip().endswith(PARAGRAPHS[0])
