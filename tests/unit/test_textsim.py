"""Text-similarity building blocks and the student-to-student pair finder, on real text."""

from __future__ import annotations

import pytest

from essaycoach import textsim

SOURCE = (
    "Inheritance lets a new class reuse the methods and variables of an existing class, "
    "so that programmers only write the extra detail the new class needs."
)


def test_stem_matches_inflected_forms():
    assert textsim.stem("copies") == textsim.stem("copied") == textsim.stem("copying")
    assert textsim.stem("classes") == textsim.stem("class")
    assert textsim.stem("Ishiguro’s") == textsim.stem("ishiguro")
    assert textsim.stem("novel") != textsim.stem("novella")


def test_token_offsets_point_at_the_words():
    text = "Kathy’s tape, “Never Let Me Go,” plays.\nShe sways."
    tokens = textsim.tokenize(text)
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)] == [
        "Kathy’s",
        "tape",
        "Never",
        "Let",
        "Me",
        "Go",
        "plays",
        "She",
        "sways",
    ]


def test_mask_quotes_hides_short_quotations_only():
    text = "She hums “Never Let Me Go” again."
    assert textsim.tokenize(text, mask_quotes=True).terms[2:6] == (None, None, None, None)
    long_quote = "“" + " ".join(["word"] * (textsim.MAX_QUOTE_WORDS + 1)) + "”"
    assert None not in textsim.tokenize(long_quote, mask_quotes=True).terms


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, 3 / 4), (2, 2 / 3), (3, 1 / 2)],
)
def test_containment(n, expected):
    a = textsim.tokenize("the cat sat down").terms
    b = textsim.tokenize("the cat sat up and the cat sat down slowly").terms
    assert textsim.containment(textsim.tokenize("the cat sat on").terms, b, n) == pytest.approx(
        expected
    )
    assert textsim.containment(a, b, n) == 1.0


@pytest.mark.parametrize(
    "edited",
    [
        # one word substituted
        "Inheritance lets a new class reuse the functions and variables of an existing class, "
        "so that programmers only write the extra detail the new class needs.",
        # two words inserted
        "Inheritance lets a new class easily reuse the methods and variables of an existing "
        "parent class, so that programmers only write the extra detail the new class needs.",
        # a word dropped and one changed
        "Inheritance lets a new class reuse the methods and variables of an existing class, "
        "so programmers only write the additional detail the new class needs.",
    ],
)
def test_align_keeps_one_passage_across_small_edits(edited):
    a, b = textsim.tokenize(edited), textsim.tokenize(SOURCE)
    passages = textsim.align(a.terms, b.terms)
    assert len(passages) == 1
    p = passages[0]
    assert p.matched >= len(b) - 4
    start, end = a.char_span(p.a_start, p.a_end)
    assert edited[start:end].startswith("Inheritance") and edited[start:end].endswith("needs")
    start, end = b.char_span(p.b_start, p.b_end)
    assert SOURCE[start:end] == SOURCE[:-1]  # everything but the full stop
    assert textsim.copy_score(a.terms, b.terms) > 0.9


def test_copy_score_is_zero_for_independent_text_on_the_same_topic():
    honest = (
        "A subclass inherits behaviour from its parent, which means common code is written "
        "once; the subclass then adds or overrides what makes it different."
    )
    a, b = textsim.tokenize(honest).terms, textsim.tokenize(SOURCE).terms
    assert textsim.copy_score(a, b) == 0.0


NOVEL_SOURCE = (
    "In Never Let Me Go, Kazuo Ishiguro proposes what initially seems to be a simple idea. "
    "Kathy finds a tape at Hailsham. When Kathy and Tommy go to Madame’s house to request "
    "a deferral, Miss Emily tells them there are no deferrals."
)


def test_name_flags_mark_names_and_titles_not_sentence_starts():
    tokens = textsim.tokenize(NOVEL_SOURCE)
    flags = textsim.name_flags(NOVEL_SOURCE, tokens)
    names = [
        NOVEL_SOURCE[s:e] for s, e, f in zip(tokens.starts, tokens.ends, flags, strict=True) if f
    ]
    # "Kathy" starts a sentence once but is a name: the text never writes it in lower case
    assert names == [
        *("Never", "Let", "Me", "Go", "Kazuo", "Ishiguro"),
        *("Kathy", "Hailsham", "Kathy", "Tommy", "Madame’s", "Miss", "Emily"),
    ]


@pytest.mark.parametrize(
    ("essay", "copied"),
    [
        ("In Never Let Me Go, Kazuo Ishiguro writes about clones who hope.", False),
        ("Later Kathy and Tommy go to Madame’s house to ask about their future.", False),
        ("In Never Let Me Go, Kazuo Ishiguro proposes what initially seems simple.", True),
        ("Kathy and Tommy go to Madame’s house to request a deferral, but fail.", True),
    ],
    ids=["title and author", "names and a plot phrase", "title and a clause", "plot clause"],
)
def test_names_and_stop_words_alone_are_no_evidence_of_copying(essay, copied):
    a, b = textsim.tokenize(essay), textsim.tokenize(NOVEL_SOURCE)
    names = textsim.name_flags(NOVEL_SOURCE, b)
    evidence = textsim.copy_evidence(a.terms, b.terms, names)
    assert bool(evidence.passages) is copied
    assert (evidence.score > 0) is copied
    # without the names, each of these shares a passage of 5+ matched words
    assert textsim.copy_evidence(a.terms, b.terms).passages
    for p in evidence.passages:
        assert p.content >= textsim.COPY_MIN_CONTENT_WORDS


def test_unseen_terms_lower_the_cosine():
    weights = textsim.TermWeights.fit([["kathy", "hope"], ["tommy", "hope"]])
    reference = weights.vector(["kathy", "tommy", "hope"])
    on_topic = weights.vector(["kathy", "tommy"])
    diluted = weights.vector(["kathy", "tommy", "computer", "internet", "game"])
    assert textsim.cosine(on_topic, reference) > textsim.cosine(diluted, reference) > 0
    assert textsim.cosine(weights.vector([]), reference) == 0.0


# --- the pair finder --------------------------------------------------------------

ESSAYS = [
    "Summer holidays should be longer because students need time to rest, travel with their "
    "families and discover hobbies that school leaves no room for. A tired student learns "
    "little, and a long break lets everyone return in September ready to work again.",
    "Our town needs a new library. The old building is cramped, the roof leaks over the "
    "reading room every winter, and there are only four computers for a town of ten thousand "
    "people. A modern library would give teenagers somewhere quiet to study after school.",
    "Keeping a garden teaches patience. Seeds take weeks to sprout, tomatoes ripen only when "
    "the weather allows, and no amount of worrying makes a carrot grow faster. Gardeners "
    "learn to plan ahead and to accept what they cannot control.",
    "Learning a second language opens doors. It helps when travelling, it makes it easier to "
    "understand other cultures, and employers value it. Studies also suggest that bilingual "
    "people are better at switching between tasks.",
    "Team sports build character. Players learn to win without boasting and to lose without "
    "blaming others, and they discover that a team of ordinary players who trust each other "
    "can beat a team of stars who do not.",
]
COPIED_SENTENCES = (
    "Seeds take weeks to sprout, tomatoes ripen only when the weather allows, and no amount "
    "of worrying makes a carrot grow faster."
)
# The exemplar all students read: both essays below quote it, which is not copying each other.
EXEMPLAR = (
    "Every student should remember that a good essay states its claim early and supports it "
    "with specific evidence from the text."
)


def planted_batch() -> list[str]:
    essays = list(ESSAYS)
    # essay 5 copies two sentences of essay 2, lightly edited
    essays.append(
        "I started helping my grandfather in his vegetable patch last spring. "
        + COPIED_SENTENCES.replace("weeks", "many weeks").replace("worrying", "worry")
        + " He says the garden taught him more than any book."
    )
    essays[0] += " " + EXEMPLAR
    essays[3] += " " + EXEMPLAR
    return essays


def test_pair_finder_finds_the_planted_pair_only():
    essays = planted_batch()
    pairs = textsim.find_similar_pairs(essays, [EXEMPLAR])
    assert [(p.i, p.j) for p in pairs] == [(2, 5)]
    pair = pairs[0]
    assert pair.score > 0.4
    assert len(pair.passages) == 1
    shared = pair.passages[0]
    assert essays[2][shared.i_start : shared.i_end].startswith("Seeds take weeks")
    assert essays[5][shared.j_start : shared.j_end].startswith("Seeds take many weeks")
    assert essays[5][shared.j_start : shared.j_end].endswith("grow faster")
    assert shared.words >= 18


def test_pair_finder_reports_exemplar_material_without_the_exemplar():
    essays = planted_batch()
    pairs = textsim.find_similar_pairs(essays)
    assert {(p.i, p.j) for p in pairs} == {(0, 3), (2, 5)}


def test_pair_finder_ignores_quoted_lines():
    quote = "“no amount of worrying makes a carrot grow faster, said my grandfather”"
    essays = [*ESSAYS[:2], "In the garden I learned one thing: " + quote, ESSAYS[3] + " " + quote]
    assert textsim.find_similar_pairs(essays) == []


def test_pair_finder_rejects_a_run_shorter_than_its_shingles():
    with pytest.raises(ValueError):
        textsim.find_similar_pairs(ESSAYS, min_run_words=3)


OWN = "Santiago rows far out because he has gone eighty-four days without a fish. " * 4


def test_a_short_quotation_is_trusted() -> None:
    text = OWN + 'He calls the marlin "my brother" and keeps fighting.'
    [(start, end)] = textsim.quotations(text)
    assert text[start:end] == '"my brother"'


def test_a_stray_opening_quote_does_not_swallow_the_students_words() -> None:
    """QA: 'calls "my brother, and his nede to kil it ... he is "a strange old man."'
    paired the stray mark with the next opening one and hid four misspellings."""
    text = OWN + 'He calls "my brother, and his nede to kil it. He is "a strange old man."'
    spans = [text[s:e] for s, e in textsim.quotations(text)]
    assert not any("nede" in span for span in spans)


def test_a_stray_curly_opening_quote_does_not_swallow_the_students_words() -> None:
    """As with straight quotes: “ with no ” before the next “ opens no quotation (and the
    search from each stray “ stops at the next one: a line of 30,000 took 16 s)."""
    text = OWN + "He calls “my brother, and his nede to kil it. He is “a strange old man.”"
    spans = [text[s:e] for s, e in textsim.quotations(text)]
    assert spans == ["“a strange old man.”"]


def test_quotations_are_not_trusted_when_they_are_most_of_the_text() -> None:
    """QA: an essay copied from the exemplar with every sentence in quotation marks."""
    quoted = " ".join(f'"{sentence.strip()}."' for sentence in OWN.split(".") if sentence.strip())
    assert textsim.quotations(quoted) == []
    tokens = textsim.tokenize(quoted, mask_quotes=True)
    assert None not in tokens.terms


def test_copy_score_counts_a_source_copied_twice_or_three_times():
    """Each copy of the source in a is copied text (QA: pasted twice scored 0.5)."""
    b = textsim.tokenize(SOURCE).terms
    for times in (1, 2, 3):
        a = textsim.tokenize(" ".join([SOURCE] * times)).terms
        evidence = textsim.copy_evidence(a, b)
        assert evidence.score == pytest.approx(1.0)
        assert len(evidence.passages) == times


def test_align_reuses_b_only_when_asked():
    a = textsim.tokenize(SOURCE + " " + SOURCE).terms
    b = textsim.tokenize(SOURCE).terms
    assert len(textsim.align(a, b)) == 1
    passages = textsim.align(a, b, reuse_b=True)
    assert [(p.a_start, p.a_end, p.b_start, p.b_end) for p in passages] == [
        (0, len(b), 0, len(b)),
        (len(b), 2 * len(b), 0, len(b)),
    ]


def test_pair_score_counts_a_passage_pasted_again():
    """grade's pair score is the same copy score: a student who pastes another's
    paragraph three times has most of the essay copied, not a third of that."""
    own = (
        "Holes follows Stanley Yelnats to a camp in the desert where boys dig all day. "
        "The warden is searching for buried treasure, and the family curse slowly lifts."
    )
    other = (
        "Inheritance is how object oriented languages share behaviour between types. "
        "A subclass gets the fields of its parent and may override what it must. " + SOURCE
    )
    copier = own + " " + " ".join([SOURCE] * 3)
    [pair] = textsim.find_similar_pairs([other, copier])
    words = len(textsim.tokenize(copier).terms)
    assert pair.score == pytest.approx(3 * len(textsim.tokenize(SOURCE).terms) / words, abs=0.01)
