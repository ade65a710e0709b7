"""What of a document is not the essay's prose, masked by spaces so offsets hold:
Markdown markup, the title, the heading block (name, teacher, class, date), a
document's form tables and the list of works cited at the end."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html.entities import html5 as html5_entities

from essaycoach.words import WORD_RE, words_of


@dataclass(frozen=True, slots=True)
class Heading:
    start: int
    end: int
    text: str
    level: int


def mask_layout(
    text: str,
    *,
    markdown: bool = False,
    heading_spans: tuple[tuple[int, int], ...] = (),
    form_spans: tuple[tuple[int, int], ...] = (),
) -> tuple[str, tuple[Heading, ...]]:
    """(prose, headings) of a normalised `text`: the prose has what is not the essay's
    prose blanked, the headings are its Markdown headings, styled headings and title.

    `heading_spans`: (start, end) of the lines a document's writer styled as headings
    (readers.docx.read_docx); they are masked as Markdown headings are. `form_spans`: the
    rows of a document's form tables (name, class, date boxes), masked whole.
    """
    if markdown:
        prose, headings = mask_markdown(text)
        # the raw lines: list items must read as such, which the prose no longer shows
        front_matter_end = _front_matter_end(text)
        header_end = find_header(text, front_matter_end)
        prose = _blanked(prose, 0, header_end)
        title = _markdown_title(text, prose, headings, max(header_end, front_matter_end))
        if title is not None:
            headings = tuple(sorted((title, *headings), key=lambda h: h.start))
            prose = _blanked(prose, title.start, title.end)
    elif heading_spans or form_spans:
        spans = list(heading_spans)
        headings = tuple(Heading(s, e, text[s:e], 1) for s, e in spans if s < e)
        forms = list(form_spans)
        # a form is the top's (under the title, if it is styled as one) or the
        # bottom's (name, class and date boxes), not a table inside the essay; the
        # title and heading block are looked for under it
        top = _end_of_top_forms(text, forms, spans)
        bottom = _start_of_trailing(text, forms)
        forms = [(s, e) for s, e in forms if e <= top or s >= bottom]
        header_end = find_header(text, top)
        title = find_title(text, header_end or top)
        if title is not None and (not headings or headings[0].start > title.start):
            headings = (title, *headings)  # a title in Normal style above styled headings
        masked = [(0, header_end), *((h.start, h.end) for h in headings), *forms]
        prose = _blanked_spans(text, masked)
    else:
        header_end = find_header(text)
        title = find_title(text, header_end)
        prose_start = title.end if title else header_end
        prose, headings = " " * prose_start + text[prose_start:], (title,) if title else ()
    return mask_works_cited(*mask_section_labels(prose, headings))


# A line of its own that only names a part of the essay, as students label them
# ("Introduction", "Body Paragraph 1", "Conclusion:", "Body paragraph 2 - the climax"):
# a heading, not a paragraph. A separator other than "." and at most six words may follow
# ("Introduction. In this essay ..." is a sentence).
_SECTION_LABEL_RE = re.compile(
    # a template's numbering ("I. Introduction", "1) Conclusion") may come first
    r"^[ \t]*(?P<label>(?:(?:[IVX]{1,4}|\d{1,2})[.)][ \t]+)?"
    r"(?:introduction|intro|introductory[ \t]+paragraph|conclusion"
    r"|concluding[ \t]+paragraph|body(?:[ \t]+paragraph)?(?:[ \t]+(?:\d{1,2}|one|two|three"
    r"|four|five|six))?|paragraph[ \t]+(?:\d{1,2}|one|two|three|four|five|six))"
    r"(?:[ \t]*\([^()\n]{1,30}\))?"  # a note: "Introduction (Thesis)"
    # words after the separator are split by spaces only: "[ \t]*" between them let one
    # long word be split every possible way (a 80-letter word took 20 s)
    r"(?:[ \t]*[:\-–—](?:[ \t]*[\w'’,&]+(?:[ \t]+[\w'’,&]+){0,5})?)?)[ \t]*:?[ \t]*$",
    re.I | re.M,
)


_WORD_CHAR_RE = re.compile(r"\w")


def mask_section_labels(
    prose: str, headings: tuple[Heading, ...]
) -> tuple[str, tuple[Heading, ...]]:
    """Mask the lines that label a part of the essay ("Introduction", "Body Paragraph
    1", "Conclusion") as headings: QA's labelled essay had 7 paragraphs instead of 4, and
    its "Conclusion" line was quoted as the falling action's evidence."""
    labels = [
        Heading(m.start("label"), m.end("label"), m["label"], 2)
        for m in _SECTION_LABEL_RE.finditer(prose)
        # a heading heads something: a last line is the essay's ("Conclusion: in the end,
        # Tommy completes" without its full stop; QA)
        if _WORD_CHAR_RE.search(prose, m.end())
    ]
    if not labels:
        return prose, headings
    masked = _blanked_spans(prose, [(h.start, h.end) for h in labels])
    return masked, tuple(sorted((*headings, *labels), key=lambda h: h.start))


# (CommonMark allows up to three spaces before a heading's or fence's marker); the
# title's trailing spaces and closing #s are cut off by `_heading_title`, not here: a
# lazy title before "[ \t]*$" retried the whole run of spaces at each of its positions
_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})[ \t]+([^\n]*)$", re.M)
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
# A GitHub table: a row with a "|", a delimiter row of "|", "-", ":" ("|---|:--:|"),
# then the rows that have a "|"
_TABLE_RE = re.compile(
    r"^(?=[^\n]*\|)[^\n]*\n"
    r"(?=[^\n]*\|)(?=[^\n]*-) {0,3}[|:\-][|:\- \t]*$"
    r"(?:\n(?=[^\n]*\|)[^\n]*)*",
    re.M,
)
# "[" is not allowed inside the link text, nor unbalanced "(" in the target (one level of
# parentheses is, as in Wikipedia links), so a line of "[" or "[a](" is scanned once
_LINK_RE = re.compile(r"!?\[([^\[\]\n]*)\]\(((?:[^()\n]|\([^()\n]*\))*)\)")
# emphasis, code and strike-through marks; a single "_" only at a word's edge, as
# CommonMark reads "_Its_" but not "snake_case"
_INLINE_MARK_RE = re.compile(r"(\*\*|__|\*|`|~~|(?<![\w\\])_(?=\S)|(?<=[^\s\\])_(?!\w))")
_BLOCK_PREFIX_RE = re.compile(r"^([ \t]*(?:>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+))", re.M)
_HTML_TAG_RE = re.compile(r"<[^>\n]{1,200}>")
_RULE_RE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.M)
# A title line over its underline. Only a line that starts a block is a title (see
# _starts_block); the title ends at its last character that is not a space or tab,
# matched greedily, so a long run of spaces costs one pass, not one per position
_SETEXT_RE = re.compile(
    r"^[ \t]{0,3}(\S(?:[^\n]*[^ \t\n])?)[ \t]*\n[ \t]{0,3}(=+|-{2,})[ \t]*$", re.M
)
_LINK_DEFINITION_RE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S[^\n]*$", re.M)
# At the very top: YAML between "---" lines (Obsidian, Jekyll, pandoc, which may close it
# with "..."; as in pandoc, a blank line after the opening makes it a rule), or TOML
# between "+++" lines (Hugo)
_FRONT_MATTER_RE = re.compile(
    r"\A(?:---[ \t]*\n(?![ \t]*\n)(?P<yaml>(?:.*\n)*?)(?:---|\.\.\.)"
    r"|\+\+\+[ \t]*\n(?:.*\n)*?\+\+\+)[ \t]*$",
    re.M,
)
# A line of YAML: blank, indented, a comment, a list item or a key
_YAML_LINE_RE = re.compile(r"$|[ \t]|#|-(?:[ \t]|$)|[^\s:#][^:\n]*:(?:[ \t]|$)")


# A title on its own at the top of a plain-text essay: one line of at most 15 words,
# then a blank line and more text. Only a title-case line counts, not ending like a
# sentence ("Civilization and Savagery in Lord of the Flies", "Should Students Wear
# Uniforms?"), so a short opening sentence ("Kathy is the narrator.") stays prose.
# Without the blank line, the line after it must read as prose: ending a sentence, or
# twice the title's words ("Never Let Me Go" over "Kathy is a carer who ...").
_TITLE_RE = re.compile(
    r"\A[ \t]*(?P<title>[^\n]*\S)[ \t]*\n(?P<blank>[ \t]*\n)?(?=\s*\S)(?P<next>[^\n]*)"
)
_TITLE_MAX_WORDS = 15
_SENTENCE_CASE_TITLE_MAX_WORDS = 8
_TITLE_GENRE_WORDS = frozenset((
    "essay", "analysis", "report", "assignment", "response", "reflection", "review",
    "paper", "draft", "project", "coursework",
))  # fmt: skip
_TITLE_SMALL_WORDS = frozenset((
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of",
    "on", "or", "the", "to", "with", "vs",
))  # fmt: skip


# A Markdown title line set in bold ("**Never Let Me Go**"), as students type one
_BOLD_LINE_RE = re.compile(r"[ \t]*(\*\*|__)(?=\S)([^*_\n]+?)(?<=\S)\1[ \t]*(?=\n)")


def _markdown_title(
    text: str, prose: str, headings: tuple[Heading, ...], start: int
) -> Heading | None:
    """A title typed without "#" at the top of a Markdown essay (QA: "Never Let Me Go"
    over the essay was paragraph 1, judged as the thesis): `find_title`'s line, plain or
    all in bold, followed by a blank line (a single line break continues a Markdown
    paragraph: "Kazuo Ishiguro's Never Let Me Go" over "is a novel about clones")."""
    rest = text[start:]
    first = start + len(rest) - len(rest.lstrip())
    bold = _BOLD_LINE_RE.match(text, first)
    # the line with its bold marks as spaces (same length), for the title rule
    plain = text if bold is None else _blanked(text, bold.start(1), bold.end(1))
    if bold is not None:
        plain = _blanked(plain, bold.end(2), bold.end())
    title = find_title(plain, first)
    if title is None or not re.match(r"[ \t]*\n[ \t]*\n", plain[title.end :]):
        return None
    if any(h.start <= title.end and title.start <= h.end for h in headings):
        return None
    if bold is None and (
        prose[title.start : title.end] != text[title.start : title.end]
        or any(c in title.text for c in "|*_`[]<>")  # Markdown's, even unmasked
    ):
        return None
    if bold is not None:
        title = Heading(bold.start(1), bold.end(), title.text, 1)
    return title


def find_title(text: str, start: int = 0) -> Heading | None:
    """The title line at the top of a plain-text essay, if it has one (see _TITLE_RE):
    its first line from `start` (the end of a heading block, `find_header`)."""
    rest = text[start:]
    start += len(rest) - len(rest.lstrip())
    match = _TITLE_RE.match(text[start:])
    # a sentence's end ("Kathy Remembers Everything!"), or a line of dialogue ("“Tommy,
    # Stop!”"); a title may quote a work ("“Never Let Me Go” and the Ethics of Cloning")
    line = match.group("title") if match else ""
    # ...but a title may end in an initial: "The Calm Voice of Kathy H." (QA)
    name = re.search(r"(?<![\w.])(\w+) [A-Z]\.$", line)
    initial = name is not None and name.group(1).lower() not in _TITLE_SMALL_WORDS
    if match is None or (line[-1] in ".,;:!" and not initial):
        return None
    if line[0] in "\"“‘'" and line[-1] in "\"”’'":
        return None
    title = match.group("title")
    words = WORD_RE.findall(title)
    significant = [w for w in words if w.lower() not in _TITLE_SMALL_WORDS]
    if not 0 < len(words) <= _TITLE_MAX_WORDS or not significant:
        return None
    following = match.group("next").rstrip()
    ends_sentence = re.search(r"[.!?][\"”’)]*$", following) is not None
    reads_as_prose = ends_sentence or len(WORD_RE.findall(following)) >= 2 * len(words)
    if not all(w[0].isupper() or w[0].isdigit() for w in significant):
        # in sentence case ("Never Let Me Go essay", as weaker writers type one, QA): a
        # short line naming what it heads, with no comma, set apart by a blank line above
        # prose ("Kathy never stops remembering Hailsham" is a sentence without its stop)
        sentence_case = (
            match.group("blank") is not None
            and len(words) <= _SENTENCE_CASE_TITLE_MAX_WORDS
            and "," not in line
            and any(w.lower() in _TITLE_GENRE_WORDS for w in words)
            and reads_as_prose
        )
        if not sentence_case:
            return None
    if match.group("blank") is None and not reads_as_prose:
        return None
    return Heading(start + match.start("title"), start + match.end("title"), title, 1)


# The heading block of an MLA paper: the writer's name, the teacher's, the class and the
# date, each on a line of its own above the title ("Jane Doe", "Mr. Smith", "English 10",
# "12 October 2026"). It is found only when one of its lines is a date and nothing else,
# so short opening lines of an essay (dialogue, a poem, "It began on 6 June 1944.") are
# not taken for one.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# a whole date, day and year included: "June 1944" or "August 31" in a poem is no
# heading block's date
_DATE_LINE_RE = re.compile(
    r"(?:(?:date|due|submitted)[ \t]*:[ \t]*)?"  # "Date: ..."
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?[ \t]+)?"  # "Monday, ..."
    rf"(?:{_MONTH}[ \t]+{_DAY}[ \t]*,?[ \t]+\d{{4}}"  # October 12, 2026
    rf"|(?:the[ \t]+)?{_DAY}(?:[ \t]+of)?[ \t]+{_MONTH}[ \t]*,?[ \t]+\d{{4}}"  # 12 October 2026
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"  # 10/12/2026, 2026-10-12
    rf"|\d{{1,2}}-{_MONTH}-\d{{2,4}})"  # 12-Oct-2026
    r"[ \t]*\.?",
    re.I,
)
# a line may end in a full stop after an initial or a short abbreviation ("Mrs. K.",
# "English 10 Hon.", "AP Lang. & Comp.")
_ABBREVIATION_END_RE = re.compile(r"\b[A-Z][a-z]{0,3}\.$")
_CLOSING_MARKS = "\"'”’)]»"
# not a heading block's line: a list item or quotation, or a year outside the date
# line (a timeline: "1914 - War begins")
_NOT_HEADER_LINE_RE = re.compile(r"^(?:[-*+>][ \t]|\d+[.)][ \t])|\b(?:1[5-9]|20)\d\d\b")
_HEADER_MAX_LINES = 8
_HEADER_LINE_MAX_WORDS = 8


def find_header(text: str, start: int = 0) -> int:
    """Where the MLA heading block at the top of an essay (from `start`) ends, or 0.

    Its lines are short (`_header_line`: "Jane Doe", "Mr. Smith", "English 10"), at
    most eight, blank lines between them allowed (a .docx's paragraphs), with more
    text after them. It is found in one of two shapes:

    * a line that is a date and nothing else, not the first, ends it, with the lines
      under it that name a teacher or a class or hold a form's label and value
      (`_block_line`; the first other line is the essay's: its title, a first line
      without a full stop, a poem); of a date and one line above it, that line may
      not read like a title (`_reads_like_a_title`);
    * without a date: two or more such block lines, from the first line or under a
      first line of any kind (the writer's name): "Name: Jane Doe" / "Teacher: Mr.
      Smith", or "Jane Doe" / "Mr. Smith" / "English 10".
    """
    lines: list[tuple[str, int]] = []  # the short lines that open the text, and their ends
    for match in _LINE_RE.finditer(text, start):
        # "**Date:** October 12, 2026" in Markdown is "Date: October 12, 2026"
        line = match.group().replace("\u00a0", " ").replace("**", "").strip()
        if not line:
            continue
        if len(lines) == _HEADER_MAX_LINES or not (
            _header_line(line) or _DATE_LINE_RE.fullmatch(line)
        ):
            break
        lines.append((line, match.end()))
    end = _end_of_dated_block(lines) or _end_of_labelled_block(lines)
    return end if end and text[end:].strip() else 0


def _end_of_dated_block(lines: list[tuple[str, int]]) -> int:
    date = next((i for i, (line, _) in enumerate(lines) if _DATE_LINE_RE.fullmatch(line)), None)
    if not date or (date == 1 and _reads_like_a_title(lines[0][0])):
        return 0  # no date, a date first, or a title over the date it is about
    end = lines[date][1]
    for line, stop in lines[date + 1 :]:
        if not _block_line(line):
            break
        end = stop
    return end


def _end_of_labelled_block(lines: list[tuple[str, int]]) -> int:
    first = 0 if lines and _block_line(lines[0][0]) else 1  # else the writer's name
    run = 0
    for line, _ in lines[first:]:
        if not _block_line(line):
            break
        run += 1
    return lines[first + run - 1][1] if run >= 2 else 0


def _block_line(line: str) -> bool:
    """A heading block's line that is no essay's: a teacher ("Mr. Smith", "Mrs. K."),
    a class ("English 10, Period 3", "AP English Language and Composition", "Final
    Draft") or a form's label and its value ("Word count: 1,250", "**Name:** Jane")."""
    if ":" in line and is_form_label(line.split(":", 1)[0]):
        return True
    if _TEACHER_LINE_RE.fullmatch(line):
        return True
    tokens = _COURSE_TOKEN_RE.findall(line)
    return (
        bool(tokens)
        and all(t.lower() in _COURSE_WORDS or t[0].isdigit() or len(t) == 1 for t in tokens)
        and any(t.lower() in _COURSE_WORDS - {"and"} for t in tokens)
    )


_TEACHER_LINE_RE = re.compile(
    r"(?i:mr|mrs|ms|miss|mx|dr|prof|professor)\.?(?:\s+[A-Z][\w'’-]*\.?){1,3}"
)
_COURSE_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+\w*")
# the words of a class's or an assignment's name: a line of only these and numbers
# ("English 10 Honors", "Period 3", "Essay 2") is a heading block's, not a poem's
_COURSE_WORDS = frozenset((
    "ap", "ib", "honors", "honours", "hon", "gcse", "igcse", "pre", "cp", "accelerated",
    "english", "literature", "lit", "lang", "language", "arts", "ela", "humanities",
    "composition", "comp", "writing", "reading", "and", "period", "block", "hour",
    "section", "class", "grade", "year", "form", "course", "seminar", "american",
    "british", "world", "prompt", "assignment", "essay", "draft", "final", "rough",
    "unit", "task",
))  # fmt: skip


def _reads_like_a_title(line: str) -> bool:
    """Whether a line has a word only titles have, not a name ("The Day Everything
    Changed" over "September 11, 2001" is an essay's title and its subject's date).
    An initial ("Jane A. Doe") is no article, and a byline ("By Sam Smith") no title."""
    if _BYLINE_RE.match(line):
        return False
    words = (m.group() for m in WORD_RE.finditer(line) if line[m.end() : m.end() + 1] != ".")
    return any(word.lower() in _TITLE_SMALL_WORDS for word in words)


# the labels of a template's form and of a heading block's lines ("Name", "Teacher",
# "Date due", "Word count"): a table row or a line under the date that starts with one
# is the template's, not the student's
_FORM_LABELS = frozenset((
    "name", "names", "student", "student name", "student's name", "students name", "pupil",
    "full name", "first name", "last name", "surname", "family name",
    "teacher", "teacher name", "teacher's name", "teachers name", "instructor", "professor",
    "tutor", "lecturer", "class", "course", "course name", "subject", "period", "block",
    "section", "hour", "group", "form", "grade", "year group", "set", "date",
    "due", "due date", "date due", "date submitted", "submitted", "submission date",
    "assignment", "prompt", "essay prompt", "question", "title", "essay title", "word count",
    "student id", "student number", "id", "candidate number", "school", "score", "mark",
    "points", "total", "email",
))  # fmt: skip


def is_form_label(text: str) -> bool:
    """Whether `text` is one of a form's labels ("Name", "Teacher's name", "*Date")."""
    label = text.strip().strip("*").strip().lower().replace("’", "'")
    return label in _FORM_LABELS


_BYLINE_RE = re.compile(r"by\s+[A-Z]", re.I)


def ends_a_sentence(text: str) -> bool:
    """Whether `text` ends like a sentence: . ! or ? (before any closing quotation
    marks), not after an initial or a short abbreviation ("Mrs. K.", "12 Oct.")."""
    bare = text.rstrip().rstrip(_CLOSING_MARKS)
    return bool(bare) and bare[-1] in ".!?" and not _ABBREVIATION_END_RE.search(bare)


def _header_line(line: str) -> bool:
    """A line other than the date that a heading block may have: at most eight words,
    no list item or year, not ending like a sentence (after any closing quotation
    mark) unless in an initial or an abbreviation."""
    if len(WORD_RE.findall(line)) > _HEADER_LINE_MAX_WORDS or _NOT_HEADER_LINE_RE.search(line):
        return False
    bare = line.rstrip(_CLOSING_MARKS) or line
    return bare[-1] not in ".!?;:," or bool(_ABBREVIATION_END_RE.search(bare))


_LINE_RE = re.compile(r"[^\n]+")


def _end_of_top_forms(
    text: str, forms: list[tuple[int, int]], headings: list[tuple[int, int]]
) -> int:
    """The end of the form rows at the top of a document (`_end_of_leading`), which
    may sit under headings and up to two short lines of the template's (a school's
    name, "Fill in your details below."), or 0."""
    if not forms:
        return 0
    first = min(start for start, _ in forms)
    above = [(s, e) for s, e in headings if e <= first]
    lines = [line for line in _blanked_spans(text[:first], above).splitlines() if line.strip()]
    if len(lines) > 2 or any(len(words_of(line)) > 12 for line in lines):
        return _end_of_leading(text, forms + headings)
    return _end_of_leading(text, [s for s in forms + headings if s[0] >= first], first)


def _blanked_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span made spaces (`_blanked`)."""
    for start, end in spans:
        text = _blanked(text, start, end)
    return text


def _end_of_leading(text: str, spans: list[tuple[int, int]], start: int = 0) -> int:
    """The end of the spans that open `text` from `start` (with only blanks before and
    between them), or 0."""
    end = start
    for begin, stop in sorted(spans):
        if text[end:begin].strip():
            break
        end = stop
    return end


def _start_of_trailing(text: str, spans: list[tuple[int, int]]) -> int:
    """The start of the spans that close `text` (with only blanks between and after
    them), or len(text)."""
    start = len(text)
    for first, stop in sorted(spans, reverse=True):
        if text[stop:start].strip():
            break
        start = first
    return start


def _blanked(text: str, start: int, end: int) -> str:
    """`text` with `start:end` made spaces, line breaks kept (offsets hold)."""
    if end <= start:
        return text
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


# The list of sources that closes an essay: a line of its own, after a blank line, whose
# words are one of these names ("Works Cited", "## References", "Bibliography:")
_WORKS_CITED_RE = re.compile(
    r"(?:\A|\n[ \t]*\n)[ \t]*(?P<name>(?:works?|sources)[ \t]+(?:cited|consulted)|bibliography"
    r"|references|reference[ \t]+list|sources|citations)[ \t]*:?[ \t]*(?=\n|\Z)",
    re.I,
)
_WORKS_CITED_MAX_SHARE = 0.4  # a "References" line before more than this is no list of sources


def mask_works_cited(prose: str, headings: tuple[Heading, ...]) -> tuple[str, tuple[Heading, ...]]:
    """Mask the list of sources at the end of an essay (MLA "Works Cited", a
    bibliography): its entries are neither the essay's sentences nor its words. The
    section's name is kept as a heading. Nothing is masked when the name is followed by
    nothing, starts the essay, or is followed by more than 40% of the essay's words."""
    section = None
    for heading in headings:  # Markdown: "## Works Cited" is already a heading
        if _WORKS_CITED_RE.fullmatch(heading.text.strip()):
            section = heading
    for match in _WORKS_CITED_RE.finditer(prose):  # plain text: a line of its own
        if section is None or match.start("name") > section.start:
            section = Heading(match.start("name"), match.end("name"), match["name"], 1)
    if section is None:
        return prose, headings
    before = len(WORD_RE.findall(prose, 0, section.start))
    after = len(WORD_RE.findall(prose, section.end))
    if not before or not after or after > _WORKS_CITED_MAX_SHARE * (before + after):
        return prose, headings
    masked = prose[: section.start] + re.sub(r"[^\n]", " ", prose[section.start :])
    return masked, (*(h for h in headings if h.start < section.start), section)


def mask_markdown(text: str) -> tuple[str, tuple[Heading, ...]]:
    """Return (prose, headings): markup replaced by spaces, offsets preserved.

    Headings (ATX "# Title" and setext "Title" over "====") are masked out of the
    prose (they are not sentences) but kept as structure hints on the paragraphs
    that follow them. Front matter, code blocks, tables, link targets and HTML
    comments are masked whole; emphasis marks, tags and the backslash of an escape
    are blanked, and an entity becomes its character. Inline code stays as typed.
    """
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    blank(0, _front_matter_end(text))
    for m in _FENCE_RE.finditer("".join(chars)):
        blank(m.start(), m.end())
    for m in _TABLE_RE.finditer("".join(chars)):  # cells are not the essay's sentences
        blank(m.start(), m.end())
    unfenced = "".join(chars)  # so "# comment" inside code is not taken for a heading
    headings = []
    for m in _HEADING_RE.finditer(unfenced):
        title = _heading_title(m.group(2))
        start = m.start(2)
        headings.append(Heading(start, start + len(title), title, len(m.group(1))))
        blank(m.start(), m.end())
    for m in _SETEXT_RE.finditer(unfenced):
        if not _starts_block(unfenced, m.start()):
            continue  # a paragraph's last line over "---" is prose over a rule
        level = 1 if m.group(2).startswith("=") else 2
        headings.append(Heading(m.start(1), m.end(1), m.group(1), level))
        blank(m.start(), m.end())
    headings.sort(key=lambda h: h.start)
    for regex in (_RULE_RE, _LINK_DEFINITION_RE):
        for m in regex.finditer(unfenced):
            blank(m.start(), m.end())
    for m in _LINK_RE.finditer(unfenced):
        blank(m.start(), m.start(1))  # "[" or "!["
        blank(m.end(1), m.end())  # "](url)"
    code = _inline_code(unfenced)  # marks, tags, backslashes and entities there: as typed
    escapes = [m.start() for m in _ESCAPE_RE.finditer(unfenced) if m.start() not in code]
    escaped = {i + 1 for i in escapes}  # "\_", "\*", "\<": the character itself, no markup
    for start, end in _html_comments(unfenced):
        blank(start, end)
    for m in _BLOCK_PREFIX_RE.finditer(unfenced):
        blank(m.start(), m.end())
    for regex in (_INLINE_MARK_RE, _HTML_TAG_RE):
        for m in regex.finditer(unfenced):
            if m.start() not in escaped and m.start() not in code:
                blank(m.start(), m.end())
    for i in escapes:
        blank(i, i + 1)
    for m in ENTITY_RE.finditer(unfenced):
        entity = m.group()
        known = entity.startswith("&#") or entity[1:] in html5_entities
        # an entity HTML knows, not in code or markup masked above
        if known and m.start() not in code and chars[m.start() : m.end()] == list(entity):
            shown = _entity_shown(html.unescape(entity))
            blank(m.start(), m.end())
            chars[m.start() : m.start() + len(shown)] = shown
    return "".join(chars), tuple(headings)


def _heading_title(rest: str) -> str:
    """An ATX heading's title from the rest of its line: trailing spaces and a closing
    sequence of #s cut off (CommonMark: "## Title ##"; the #s need a space before them,
    so "# C#" keeps its "#")."""
    title = rest.rstrip(" \t")
    unclosed = title.rstrip("#")
    if unclosed != title and unclosed[-1:] in (" ", "\t"):
        title = unclosed.rstrip(" \t")
    return title


def _html_comments(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the closed HTML comments ("<!-- ... -->") in `text`. Searched, not matched
    with a regex: a lazy one scanned to the end of the text from every unclosed "<!--"."""
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            return  # no comment after this one closes either
        yield start, end + 3
        start = text.find("<!--", end + 3)


def _inline_code(text: str) -> set[int]:
    """The positions inside inline code spans ("`a & b`"), backticks left out."""
    return {i for m in _CODE_SPAN_RE.finditer(text) for i in range(m.start(2), m.end(2))}


_CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
# a backslash before ASCII punctuation shows the punctuation (CommonMark)
_ESCAPE_RE = re.compile(r"\\[!-/:-@\[-`{-~]")


# "&#8217;", "&#x2019;", "&mdash;": the character stands in the entity's first place
# (`_entity_shown`), the rest is masked (the engines get "doesn’t", `checks.grammar.compact_prose`)
ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _entity_shown(characters: str) -> str:
    """What an entity stands for as the prose holds it (never longer than the entity):
    a space, tab or line break as a no-break space, which the engines read as a space
    and which starts no line; a control character as U+FFFD, as `normalise_text` does."""
    return "".join(
        "\u00a0" if c.isspace() else "\ufffd" if unicodedata.category(c) == "Cc" else c
        for c in characters
    )


def _starts_block(text: str, start: int) -> bool:
    """Whether the line at `start` starts a block: it is the first line, or the line
    before it is blank (spaces and tabs, or front matter and code already masked) or an
    ATX heading. Not after a thematic break: "---" over "author: jdoe" over "---" is a
    rule and the essay's text (see _front_matter_end), not a rule and a heading."""
    if start == 0:
        return True
    before = text[text.rfind("\n", 0, start - 1) + 1 : start - 1]
    return not before.strip() or bool(_HEADING_RE.fullmatch(before))


def _front_matter_end(text: str) -> int:
    """Where the front matter at the top of a Markdown file ends; 0 if there is none.
    A "---" block whose lines are not YAML (a line of prose) is a rule, not front matter."""
    match = _FRONT_MATTER_RE.match(text)
    if match is None:
        return 0
    yaml = match.group("yaml")
    if yaml is not None and not all(_YAML_LINE_RE.match(line) for line in yaml.split("\n")):
        return 0
    return match.end()
