"""Words a PDF hyphenates at a line's end are one word again; a compound keeps its hyphen."""

from __future__ import annotations

import pytest

from essaycoach.readers.pdf import joins_without_hyphen, rejoin_hyphenated


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("unre", "solved"),  # "unre" is no word, "unresolved" is
        ("stu", "dents"),  # "stu" and "dents" are in the dictionary, and so is "students"
        ("some", "thing"),
        ("every", "thing"),
        ("under", "stand"),
        ("step", "mother"),
        ("Ishi", "guro"),  # neither the joined name nor "guro" is in the dictionary
    ],
)
def test_a_word_the_typesetter_broke_is_joined_without_its_hyphen(first, second):
    assert joins_without_hyphen(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("well", "known"),
        ("self", "aware"),
        ("twenty", "one"),
        ("Self", "aware"),
        # QA re-check: the dictionary also has these closed ("socalled", "longterm"), and
        # joining them made spelling errors the student never typed
        ("so", "called"),
        ("long", "term"),
        ("full", "time"),
        ("part", "time"),
        ("old", "fashioned"),
        ("well", "being"),
        ("non", "human"),
        ("decision", "making"),
    ],
)
def test_a_compound_of_two_words_keeps_its_hyphen(first, second):
    assert not joins_without_hyphen(first, second)


def test_the_documents_own_spelling_decides_before_the_dictionary():
    """ "hail" and "sham" are words and "hailsham" is not in the dictionary: the essay's
    other "Hailsham"s say it is a name. "self-aware" written elsewhere keeps it."""
    assert not joins_without_hyphen("Hail", "sham")
    assert joins_without_hyphen("Hail", "sham", {"hailsham", "kathy"})
    assert not joins_without_hyphen("some", "thing", {"some-thing"})
    assert joins_without_hyphen("some", "thing", {"some-thing", "something"})  # both: dictionary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the stu-\ndents were told", "the students\nwere told"),
        ("left unre-\nsolved.", "left unresolved."),
        ("her Hail-\nsham’s fields, and Hailsham", "her Hailsham’s\nfields, and Hailsham"),
        ("calm and self-\naware even", "calm and self-aware\neven"),
        ("by twenty-\none donors", "by twenty-one\ndonors"),
        ("a well-\nknown carer", "a well-known\ncarer"),
        ("the very end -\nThe last lines", "the very end -\nThe last lines"),  # a dash
        ("the twentieth-\nCentury novel", "the twentieth-\nCentury novel"),  # not lower-case
        ("the 1990-\nera", "the 1990-\nera"),  # no letter before the hyphen
        ("the stu-\n\ndents", "the stu-\n\ndents"),  # a paragraph break is the author's
    ],
)
def test_rejoining_keeps_the_lines_as_many(text, expected):
    assert rejoin_hyphenated(text) == expected
