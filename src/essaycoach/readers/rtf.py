"""RTF (striprtf), with tracked revisions accepted and fields read as their results."""

from __future__ import annotations

import re
from collections.abc import Iterator

from essaycoach.errors import InputError


def read_rtf(data: bytes, source: str) -> str:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputError("corrupt .rtf: it does not start with {\\rtf", source)
    rtf = data.decode("latin-1")
    if _rtf_groups_left_open(rtf):
        raise InputError(
            "corrupt .rtf: it ends before its groups are closed (cut off in a download?); "
            "save or download it again",
            source,
        )
    try:
        text = rtf_to_text(_rtf_field_codes_removed(_rtf_revisions_accepted(rtf)), errors="ignore")
    except Exception as exc:
        raise InputError(f"corrupt .rtf: {type(exc).__name__}: {exc}", source) from None
    # RTF writes a character beyond U+FFFF (an emoji) as two \u words, which striprtf
    # returns as two surrogates: joined here, and a lone one made U+FFFD
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


_RTF_TOKEN = re.compile(
    r"\\(?P<word>[a-zA-Z]{1,32})(?P<argument>-?\d{1,10})? ?"  # control word
    r"|\\'[0-9a-fA-F]{2}"  # a character by its code
    r"|\\[^a-zA-Z]"  # control symbol: \~ \- \{ \* ...
    r"|[{}]"
    r"|[^\\{}]+"
    r"|\\"  # a backslash ending the file: with the above, any text is tokens
)
# Control words that stand for text; \cell, \row and \sect keep a table's or a
# section's shape, and the rest are formatting, destinations or properties
_RTF_TEXT_WORDS = frozenset(
    (
        *("par", "line", "tab", "page", "column", "u"),
        *("emdash", "endash", "emspace", "enspace", "qmspace", "bullet"),
        *("lquote", "rquote", "ldblquote", "rdblquote"),
    )
)


def _rtf_groups_left_open(rtf: str) -> bool:
    """Whether the document ends inside a group: a file cut short, of which striprtf
    would read what is there as if it were the whole essay."""
    if "\\bin" not in rtf:  # no binary data: count the braces that are not escaped
        braces = _RTF_ESCAPE.sub("", rtf)
        return braces.count("{") > braces.count("}")
    depth = 0
    for token, _binary in _rtf_tokens(rtf):
        if token.group() == "{":
            depth += 1
        elif token.group() == "}":
            depth -= 1
    return depth > 0


def _rtf_tokens(rtf: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each token of the RTF, with the binary data that follows a \\bin (a picture's,
    whose braces are not groups), "" after any other."""
    position = 0
    while position < len(rtf):
        token = _RTF_TOKEN.match(rtf, position)
        assert token is not None  # _RTF_TOKEN matches any text
        position = token.end()
        binary = ""
        if token.group("word") == "bin":
            length = max(int(token.group("argument") or 0), 0)
            binary = rtf[position : position + length]
            position += length
        yield token, binary


_RTF_ESCAPE = re.compile(r"\\[\\{}]")  # \\, \{ and \}: characters, not groups


def _rtf_revisions_accepted(rtf: str) -> str:
    """The RTF with tracked deletions' text removed, so it reads as shown with the
    changes accepted: striprtf reads text marked \\deleted as any other. Inserted text
    (\\revised) is already read. \\deleted is a character property: it lasts to the
    end of its group, or to \\deleted0 or \\plain."""
    if "\\deleted" not in rtf:
        return rtf
    kept: list[str] = []
    deleted = False
    outer_groups: list[bool] = []  # whether each enclosing group was deleted
    for token, binary in _rtf_tokens(rtf):
        text, word = token.group(), token.group("word")
        if text == "{":
            outer_groups.append(deleted)
        elif text == "}":
            deleted = outer_groups.pop() if outer_groups else False
        elif word == "deleted":
            deleted = token.group("argument") != "0"
        elif word == "plain":
            deleted = False
        elif word == "bin":
            text += binary
        elif deleted and _rtf_is_text(text, word):
            continue
        kept.append(text)
    return "".join(kept)


def _rtf_is_text(token: str, word: str | None) -> bool:
    if word is not None:
        return word in _RTF_TEXT_WORDS
    return token not in ("{", "}", "\\*")  # \* marks a destination, not text


def _rtf_field_codes_removed(rtf: str) -> str:
    """The RTF without its fields' instructions (\\fldinst: "PAGE", "HYPERLINK
    \"https://...\""), so that a field reads as its result (\\fldrslt), as Word shows
    it: striprtf writes a hyperlink as its result followed by the address in brackets,
    `Miss Lucy("https://example.org")`."""
    if "\\fldinst" not in rtf:
        return rtf
    kept: list[str] = []
    groups: list[int] = []  # where in `kept` each enclosing group's "{" is
    dropping = 0  # the depth of the \fldinst group being dropped, 0 outside one
    for token, binary in _rtf_tokens(rtf):
        text, word = token.group(), token.group("word")
        if text == "{":
            groups.append(len(kept))
        elif text == "}":
            closed = len(groups)
            if groups:
                groups.pop()
            if dropping and closed == dropping:
                dropping = 0
                continue
        elif word == "fldinst" and groups and not dropping:
            dropping = len(groups)
            del kept[groups[-1] :]
        if not dropping:
            kept.append(text + binary)
    return "".join(kept)
