"""Text-similarity algorithms, reusable by the similarity check and batch grading.

Everything works on `Tokens`: normalised words (lower case, light suffix
stripping, so "copies"/"copied"/"copying" match) with their character offsets,
so every match can be pointed at in the original text.

- `shingles`, `containment`: word n-gram sets and the share of one text's
  n-grams found in another.
- `align`: passages shared by two texts, found as exact word runs (greedy
  string tiling) chained across small gaps, so a passage with a few words
  changed, inserted or dropped is still one passage.
- `name_flags`: which words of a text are names or a title; matching them, or
  only stop words, is no evidence of copying.
- `copy_score`: how much of a text is copied or closely paraphrased from a
  source (0-1). The similarity check, `bench/similarity` and `find_similar_pairs`
  all use this one function.
- `find_similar_pairs`: student-to-student copying in a large batch, via an
  inverted index over word shingles (no all-pairs alignment), ignoring what the
  documents share with the exemplar(s).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from essaycoach.structure.text import find_names

_TOKEN_RE = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:[’'][A-Za-z]+)?")

_STOPWORDS_TEXT = """a about above after again against all also am an and any are as at be
    because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light, deterministic suffix stripper: enough to match inflected forms.

    Not a linguistic stemmer: "classes" -> "class", "copied" -> "copi",
    "copying" -> "copi", "argues" -> "argu". Only used to compare texts.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    for suffix, replacement in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: len(w) - len(suffix)] + replacement
            break
    if w.endswith("y") and len(w) > 3:
        w = w[:-1] + "i"
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


_SUFFIXES = (
    ("sses", "ss"),
    ("ies", "y"),
    ("ied", "y"),
    ("ings", ""),
    ("ing", ""),
    ("edly", ""),
    ("ed", ""),
    ("ly", ""),
    ("ss", "ss"),
    ("us", "us"),
    ("is", "is"),
    ("s", ""),
)


@dataclass(frozen=True, slots=True)
class Tokens:
    """Normalised words of a text and where each one is in that text."""

    terms: tuple[str | None, ...]  # None: a masked word that never matches
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.terms)

    def char_span(self, first: int, end: int) -> tuple[int, int]:
        """Character range covering tokens [first, end)."""
        return self.starts[first], self.ends[end - 1]


# a quotation holds no other opening “, so each unclosed one is scanned only to the next
# (to the end of its line, an essay of unclosed quotes took time of the square of its length)
_QUOTE_RE = re.compile(r"“[^“”\n]*”|\"[^\"\n]*\"")
MAX_QUOTE_WORDS = 40
"""Quotations up to this long are masked by `tokenize(mask_quotes=True)`; longer ones count."""


MAX_QUOTED_SHARE = 0.3
"""Quotations are trusted only while they hold at most this share of the text's words."""


def quotations(text: str) -> list[tuple[int, int]]:
    """Character spans of the quotations ("..." or “...”) of 1 to MAX_QUOTE_WORDS words:
    a short quotation is the quoted author's words, a longer one is not trusted to be.

    Not trusted either: a straight-quoted span with a space just inside a mark (a
    stray opening quote paired with the next one: 'calls "my brother, ... he is "a
    strange'), and any quotation at all when quotations hold over MAX_QUOTED_SHARE of
    the words (QA: an essay copied from the exemplar, each sentence in quotation
    marks, scored a copy score of 0 and had no spelling checked), once they hold more
    than one long quotation's worth (MAX_QUOTE_WORDS).
    """
    spans, quoted = [], 0
    for quote in _QUOTE_RE.finditer(text):
        inner = quote.group()[1:-1]
        if quote.group()[0] == '"' and (inner[:1].isspace() or inner[-1:].isspace()):
            continue
        words = len(_TOKEN_RE.findall(inner))
        if 0 < words <= MAX_QUOTE_WORDS:
            spans.append((quote.start(), quote.end()))
            quoted += words
    # the text's words are counted only when the quotations could be too many
    if quoted > MAX_QUOTE_WORDS and quoted > MAX_QUOTED_SHARE * len(_TOKEN_RE.findall(text)):
        return []
    return spans


# An MLA block quotation: a paragraph set off by indenting each line (or Markdown's ">"),
# ending in its parenthetical citation with a page number: "... every one of you.
# (Ishiguro 79)". Lines that start with a list marker are no quotation.
_BLOCK_QUOTE_RE = re.compile(
    r"(?m)^(?:[ \t]{2,}|>[ \t]?)(?![-*+][ \t]|\d+[.)][ \t])\S[^\n]*"
    r"(?:\n(?:[ \t]{2,}|>[ \t]?)\S[^\n]*)*"
)
_CITATION_END_RE = re.compile(r"\([^()\n]*\d[^()\n]*\)[.”\"]*\s*\Z")
MAX_BLOCK_QUOTE_WORDS = 150


def block_quotations(text: str) -> list[tuple[int, int]]:
    """Character spans of the MLA block quotations of `text` (`_BLOCK_QUOTE_RE`, cited,
    at most MAX_BLOCK_QUOTE_WORDS words each), or none when they would hold over
    MAX_QUOTED_SHARE of its words, or when most of its lines are indented: an essay
    that indents its paragraphs sets nothing off by indenting (review: its own cited
    paragraph was masked)."""
    lines = [line for line in text.splitlines() if line.strip()]
    indented = sum(1 for line in lines if line[:1] in (" ", "\t") or line.startswith(">"))
    if 2 * indented > len(lines):
        return []
    spans, quoted = [], 0
    for block in _BLOCK_QUOTE_RE.finditer(text):
        words = len(_TOKEN_RE.findall(block.group()))
        if _CITATION_END_RE.search(block.group()) and words <= MAX_BLOCK_QUOTE_WORDS:
            spans.append(block.span())
            quoted += words
    if quoted > MAX_QUOTED_SHARE * len(_TOKEN_RE.findall(text)):
        return []
    return spans


def tokenize(text: str, mask_quotes: bool = False, mask_block_quotes: bool = False) -> Tokens:
    """Normalised words with offsets.

    With `mask_quotes`, the words of each quotation ("..." or “...”) of at most
    MAX_QUOTE_WORDS words become None: quoting the same line of a novel as the
    exemplar is evidence, not copying. Longer "quotations" still count, so
    wrapping a copied paragraph in quotation marks does not hide it. With
    `mask_block_quotes`, so do cited block quotations (`block_quotations`): the pair
    finder's, where two students quoting the same page of the novel are no pair.
    """
    terms: list[str | None] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _TOKEN_RE.finditer(text):
        terms.append(stem(m.group()))
        starts.append(m.start())
        ends.append(m.end())
    masked = (quotations(text) if mask_quotes else []) + (
        block_quotations(text) if mask_block_quotes else []
    )
    for quote_start, quote_end in masked:
        first = bisect.bisect_left(starts, quote_start)
        end = bisect.bisect_left(starts, quote_end)
        terms[first:end] = [None] * (end - first)
    return Tokens(tuple(terms), tuple(starts), tuple(ends))


# where a sentence, line or heading starts: a capital there says nothing about names
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?\n])[\s\"'“”‘’()\[\]*_#>-]*(?=\w)")


def name_flags(text: str, tokens: Tokens) -> tuple[bool, ...]:
    """Per token of `tokens` (of `text`): is it part of a proper name or a title?

    A word is a name where it is capitalised mid-sentence ("In Never Let Me Go,
    Kazuo Ishiguro"), and everywhere when the text never writes it in lower case
    (`find_names`: "Kathy" starting a sentence).
    """
    names = find_names(text)
    starts = {m.end() for m in _SENTENCE_START_RE.finditer(text)}
    flags = []
    for start, end in zip(tokens.starts, tokens.ends, strict=True):
        word = text[start:end]
        bare = word.lower().replace("’", "'").removesuffix("'s")
        capital_mid = word[0].isupper() and start not in starts and word != "I"
        flags.append(capital_mid or bare in names)
    return tuple(flags)


def content_terms(tokens: Tokens) -> list[str]:
    """The terms that are neither stop words nor masked."""
    return [t for t in tokens.terms if t is not None and t not in STOP_STEMS]


STOP_STEMS = frozenset(stem(w) for w in STOPWORDS)


def shingles(terms: Sequence[str | None], n: int) -> set[tuple]:
    return {tuple(terms[i : i + n]) for i in range(len(terms) - n + 1)}


def containment(a: Sequence[str | None], b: Sequence[str | None], n: int) -> float:
    """Share of a's distinct word n-grams that also occur in b (0 when a has none).

    N-grams containing a masked word (None) count in a's total but never match.
    """
    sa = shingles(a, n)
    if not sa:
        return 0.0
    shared = sa & shingles(b, n)
    return sum(1 for gram in shared if None not in gram) / len(sa)


# --- aligned passages ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlignedPassage:
    """A passage shared by texts a and b, in token indices [start, end) of each.

    `matched` counts the words inside exactly matching runs; the rest of the
    span is small edits (substituted, inserted or dropped words) between them.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    matched: int
    content: int = 0  # matched words that are neither stop words nor names in b


def align(
    a: Sequence[str | None],
    b: Sequence[str | None],
    *,
    seed: int = 3,
    max_gap: int = 3,
    min_matched: int = 3,
    min_content: int = 0,
    b_names: Sequence[bool] | None = None,
    max_seed_hits: int = 50,
    extend_edges: bool = True,
    reuse_b: bool = False,
) -> list[AlignedPassage]:
    """Passages of a that also appear in b, tolerant of small edits, ordered by position in a.

    1. Exact runs: every maximal run of at least `seed` equal words (a seed
       word n-gram looked up in an index of b, then extended both ways).
    2. Tiling: runs taken longest first, each word of a and of b used once.
    3. Chaining: consecutive tiles whose gaps in both texts are at most
       `max_gap` words join one passage (tolerates a few edited words).
    4. With `extend_edges`, each passage grows over runs of 2+ equal words just
       outside it (across a gap of up to `max_gap`), so its ends are where the
       copying ends rather than where the first 3-word seed starts.
    Passages with fewer than `min_matched` exactly matched words, or fewer than
    `min_content` matched content words (neither stop words nor, where `b_names`
    marks them, names in b), are dropped. Items equal to None never match (used
    to mask words out).

    With `reuse_b`, steps 2-3 are done again for the words of a outside the
    passages kept, against any words of b (used or not): every passage of a
    that copies b is found, repeats included (a text pasting its source twice
    is all copied, not half).
    """
    runs = _maximal_runs(a, b, seed, max_seed_hits)
    runs.sort(key=lambda r: (-r[2], r[0], r[1]))
    used_a = bytearray(len(a))
    used_b = bytearray(len(b))
    evidence = _evidence_flags(b, b_names)
    passages = _chain(_tile(runs, used_a, used_b, seed, True), evidence, max_gap)
    if reuse_b:
        # a second pass tiles a's words outside the passages kept against any words
        # of b, chained on their own: the first pass's passages stay as they were
        # (tiles of repeats inserted into their gaps would split them). The words of
        # short tiles dropped are free again: in a second copy, a phrase the source
        # has twice is tiled on the first pass, and would cut the copy's run short.
        kept = [p for p in passages if p.matched >= min_matched and p.content >= min_content]
        used_a = bytearray(len(a))
        for p in kept:
            used_a[p.a_start : p.a_end] = b"\x01" * (p.a_end - p.a_start)
        repeats = _chain(_tile(runs, used_a, used_b, seed, False), evidence, max_gap)
        passages = sorted(kept + repeats, key=lambda p: p.a_start)
    if extend_edges:
        passages = _extend_all(passages, a, b, max_gap, evidence)
    return [p for p in passages if p.matched >= min_matched and p.content >= min_content]


def _tile(
    runs: Sequence[tuple[int, int, int]],
    used_a: bytearray,
    used_b: bytearray,
    seed: int,
    free_b_only: bool,
) -> list[tuple[int, int, int]]:
    """Runs (longest first) shrunk to the part still free in a (and in b with
    `free_b_only`) from their start, kept when at least `seed` words; marks what they use."""
    tiles = []
    for i, j, length in runs:
        k = 0
        while k < length and not used_a[i + k] and not (free_b_only and used_b[j + k]):
            k += 1
        if k < seed:
            continue
        used_a[i : i + k] = b"\x01" * k
        used_b[j : j + k] = b"\x01" * k
        tiles.append((i, j, k))
    tiles.sort()
    return tiles


def _chain(
    tiles: Sequence[tuple[int, int, int]], evidence: Sequence[bool], max_gap: int
) -> list[AlignedPassage]:
    """Tiles in a's order joined into passages across gaps of at most `max_gap` words
    in both texts."""
    passages: list[AlignedPassage] = []
    current: list[int] | None = None  # a_start, a_end, b_start, b_end, matched, content
    for i, j, length in tiles:
        content = sum(evidence[j : j + length])
        if current is not None:
            gap_a = i - current[1]
            gap_b = j - current[3]
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                current[1] = i + length
                current[3] = j + length
                current[4] += length
                current[5] += content
                continue
            passages.append(AlignedPassage(*current))
        current = [i, i + length, j, j + length, length, content]
    if current is not None:
        passages.append(AlignedPassage(*current))
    return passages


def _evidence_flags(b: Sequence[str | None], b_names: Sequence[bool] | None) -> list[bool]:
    """Per word of b: does matching it say something (not a stop word, not a name)?"""
    if b_names is None:
        return [t is not None and t not in STOP_STEMS for t in b]
    return [
        t is not None and t not in STOP_STEMS and not name
        for t, name in zip(b, b_names, strict=True)
    ]


def _extend_all(
    passages: Sequence[AlignedPassage],
    a: Sequence,
    b: Sequence,
    max_gap: int,
    evidence: Sequence[bool],
) -> list[AlignedPassage]:
    """`_extend_edges` on passages in a's order, none growing into its neighbours' words
    (grown into each other, two passages became one shown twice, and counted twice)."""
    grown: list[AlignedPassage] = []
    for k, p in enumerate(passages):
        low = grown[-1].a_end if grown else 0
        high = passages[k + 1].a_start if k + 1 < len(passages) else len(a)
        grown.append(_extend_edges(p, a, b, max_gap, evidence, low, high))
    return grown


def _extend_edges(
    p: AlignedPassage,
    a: Sequence,
    b: Sequence,
    max_gap: int,
    evidence: Sequence[bool],
    a_low: int = 0,
    a_high: int | None = None,
) -> AlignedPassage:
    """Grow a passage over runs of 2+ equal words just outside it, across a small gap,
    within a[a_low:a_high].

    Seeds are `seed` words long, so "Seeds take | many | weeks to sprout" would
    otherwise start at "weeks": the two words before the insertion are added here.
    """
    a_high = len(a) if a_high is None else a_high
    a_start, a_end, b_start, b_end = p.a_start, p.a_end, p.b_start, p.b_end
    matched, content = p.matched, p.content
    grown = True
    while grown:
        grown = False
        best = None  # (run length, i, j) of a run ending just before the passage
        for gap_a in range(max_gap + 1):
            for gap_b in range(max_gap + 1):
                i, j = a_start - gap_a - 1, b_start - gap_b - 1
                length = 0
                while i - length >= a_low and j - length >= 0:
                    x = a[i - length]
                    if x is None or x != b[j - length]:
                        break
                    length += 1
                if length >= 2 and (best is None or length > best[0]):
                    best = (length, i, j)
        if best:
            length, i, j = best
            a_start, b_start, matched = i - length + 1, j - length + 1, matched + length
            content += sum(evidence[b_start : j + 1])
            grown = True
        best = None
        for gap_a in range(max_gap + 1):
            for gap_b in range(max_gap + 1):
                i, j = a_end + gap_a, b_end + gap_b
                length = 0
                while i + length < a_high and j + length < len(b):
                    x = a[i + length]
                    if x is None or x != b[j + length]:
                        break
                    length += 1
                if length >= 2 and (best is None or length > best[0]):
                    best = (length, i, j)
        if best:
            length, i, j = best
            a_end, b_end, matched = i + length, j + length, matched + length
            content += sum(evidence[j:b_end])
            grown = True
    return AlignedPassage(a_start, a_end, b_start, b_end, matched, content)


def _maximal_runs(
    a: Sequence[str | None], b: Sequence[str | None], seed: int, max_seed_hits: int
) -> list[tuple[int, int, int]]:
    index: dict[tuple, list[int]] = defaultdict(list)
    for j in range(len(b) - seed + 1):
        gram = tuple(b[j : j + seed])
        if None not in gram:
            index[gram].append(j)
    runs = []
    la, lb = len(a), len(b)
    for i in range(la - seed + 1):
        gram = tuple(a[i : i + seed])
        hits = index.get(gram)
        if not hits or len(hits) > max_seed_hits:
            continue
        for j in hits:
            if i > 0 and j > 0 and a[i - 1] is not None and a[i - 1] == b[j - 1]:
                continue  # not left-maximal: found from an earlier start
            length = seed
            while i + length < la and j + length < lb:
                x = a[i + length]
                if x is None or x != b[j + length]:
                    break
                length += 1
            runs.append((i, j, length))
    return runs


def covered_fraction(passages: Iterable[AlignedPassage], length: int) -> float:
    """Share of text a's words inside the given passages (spans, edits included)."""
    if length == 0:
        return 0.0
    return sum(p.a_end - p.a_start for p in passages) / length


# --- the copy score ------------------------------------------------------------


COPY_SEED_WORDS = 3
COPY_MAX_GAP_WORDS = 3
COPY_MIN_MATCHED_WORDS = 5
# Matched words that are neither stop words nor names: a shared title and author ("In
# Never Let Me Go, Kazuo Ishiguro") or names joined by stop words ("Kathy, Tommy and
# even Ruth") is what any two texts on one book share. 3 is the largest minimum that
# keeps the Clough & Stevenson AUC and flags (bench/similarity; 4 loses a heavy answer).
COPY_MIN_CONTENT_WORDS = 3


@dataclass(frozen=True)
class CopyEvidence:
    """The copy score of text a against source b, and the passages it is made of."""

    score: float  # share of a's words inside aligned passages, 0-1
    passages: tuple[AlignedPassage, ...]  # the same passages, edges extended for display


def copy_evidence(
    a: Sequence[str | None], b: Sequence[str | None], b_names: Sequence[bool] | None = None
) -> CopyEvidence:
    """How much of a is copied or closely paraphrased from b, 0-1.

    The share of a's words inside passages aligned with b (runs of 3+ equal
    words chained across gaps of up to 3 edited words, at least 5 words matched
    in all, of which at least 3 are neither stop words nor names: `b_names`, per
    word of b, from `name_flags`). A passage of b copied several times into a
    counts each time (QA: the exemplar pasted twice scored 0.5, each of its
    passages matched once). Chosen and calibrated on the Clough &
    Stevenson corpus by bench/similarity; docs/similarity.md has the figures.
    The score counts the passages as built from 3-word seeds; the passages
    returned have their edges extended over 2-word runs (better boundaries to
    show, but weaker evidence: counting them lowered the Spearman figure on the
    corpus).
    """
    passages = align(
        a,
        b,
        seed=COPY_SEED_WORDS,
        max_gap=COPY_MAX_GAP_WORDS,
        min_matched=COPY_MIN_MATCHED_WORDS,
        min_content=COPY_MIN_CONTENT_WORDS,
        b_names=b_names,
        extend_edges=False,
        reuse_b=True,
    )
    score = min(1.0, covered_fraction(passages, len(a)))
    evidence = _evidence_flags(b, b_names)
    shown = tuple(_extend_all(passages, a, b, COPY_MAX_GAP_WORDS, evidence))
    return CopyEvidence(score, shown)


def copy_score(
    a: Sequence[str | None], b: Sequence[str | None], b_names: Sequence[bool] | None = None
) -> float:
    """`copy_evidence(a, b, b_names).score`: the one copy score of check, grade and the bench."""
    return copy_evidence(a, b, b_names).score


# --- student-to-student pairs ---------------------------------------------------


@dataclass(frozen=True)
class SharedPassage:
    """A passage shared by documents i and j, in character offsets of each text."""

    i_start: int
    i_end: int
    j_start: int
    j_end: int
    words: int  # exactly matched words in the passage


@dataclass(frozen=True)
class SimilarPair:
    """Two documents (indices into the input) that share more than the exemplar explains."""

    i: int
    j: int
    score: float  # copy score, the larger of the two directions
    passages: tuple[SharedPassage, ...]
    # the words of each document that were compared: not masked as a short quotation,
    # as shared with an exemplar or as a stock phrase of the batch
    i_words: int = 0
    j_words: int = 0


def find_similar_pairs(
    documents: Sequence[str],
    exemplars: Sequence[str] = (),
    *,
    min_run_words: int = 8,
    min_score: float = 0.0,
    shingle_words: int = 5,
    max_doc_frequency: int | None = None,
) -> list[SimilarPair]:
    """Pairs of documents that share copied passages, strongest first.

    Scales to thousands of essays: an inverted index over `shingle_words`-word
    shingles finds candidate pairs (no all-pairs comparison), and only pairs
    sharing enough shingles for one run of `min_run_words` words are aligned.

    Short quotations are masked as in the similarity check (`tokenize(mask_quotes=True)`),
    and so are cited block quotations (`block_quotations`).
    Words the documents share with any of `exemplars` (the exemplar, the
    prompt, a quoted source) are masked out first, and so are shingles found in
    more than `max_doc_frequency` documents (stock phrases; default: 1% of the
    batch, at least 5), so two students quoting the same sentence of the
    exemplar are not a pair. A pair is returned when, after masking, it shares
    at least one passage of `min_run_words` matched words and its copy score
    (`copy_score`, the same scorer the similarity check uses, taken in the
    direction where it is larger) is at least `min_score`.

    Example:
        pairs = find_similar_pairs([essay.text for essay in essays], [exemplar_text])
        for pair in pairs:
            print(pair.i, pair.j, pair.score, pair.passages[0].i_start)
    """
    k = shingle_words
    if min_run_words < k:
        raise ValueError("min_run_words must be at least shingle_words")
    tokens = [tokenize(text, mask_quotes=True, mask_block_quotes=True) for text in documents]
    if max_doc_frequency is None:
        max_doc_frequency = max(5, len(documents) // 100)
    excluded: set[tuple[str, ...]] = set()
    for text in exemplars:
        excluded |= shingles(tokenize(text).terms, k)

    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for doc, tok in enumerate(tokens):
        for gram in shingles(tok.terms, k):
            if None not in gram:
                postings[gram].append(doc)
    ignored = {gram for gram, docs in postings.items() if len(docs) > max_doc_frequency}
    ignored |= excluded
    pair_counts: dict[tuple[int, int], int] = defaultdict(int)
    for gram, docs in postings.items():
        if len(docs) > 1 and gram not in ignored:
            for pair in combinations(docs, 2):
                pair_counts[pair] += 1

    needed = min_run_words - k + 1
    found: list[SimilarPair] = []
    names: dict[int, tuple[bool, ...]] = {}  # name_flags of the documents in aligned pairs
    for (i, j), shared in pair_counts.items():
        if shared < needed:
            continue
        a, b = _masked(tokens[i].terms, ignored, k), _masked(tokens[j].terms, ignored, k)
        passages = align(a, b, min_matched=min_run_words)
        if not passages:
            continue
        for doc in (i, j):
            if doc not in names:
                names[doc] = name_flags(documents[doc], tokens[doc])
        score = max(copy_score(a, b, names[j]), copy_score(b, a, names[i]))
        if score < min_score:
            continue
        ti, tj = tokens[i], tokens[j]
        shared_passages = tuple(
            SharedPassage(
                *ti.char_span(p.a_start, p.a_end), *tj.char_span(p.b_start, p.b_end), p.matched
            )
            for p in passages
        )
        compared = (sum(t is not None for t in a), sum(t is not None for t in b))
        found.append(SimilarPair(i, j, score, shared_passages, *compared))
    found.sort(key=lambda p: (-p.score, p.i, p.j))
    return found


def _masked(
    terms: tuple[str | None, ...], ignored: set[tuple[str, ...]], k: int
) -> list[str | None]:
    """The terms with every word of an ignored k-gram replaced by None (never matches)."""
    out: list[str | None] = list(terms)
    for start in range(len(terms) - k + 1):
        if terms[start : start + k] in ignored:
            out[start : start + k] = [None] * k
    return out


# --- TF-IDF term vectors ---------------------------------------------------------


@dataclass(frozen=True)
class TermWeights:
    """TF-IDF weights fitted on a few reference documents (e.g. the exemplar's paragraphs).

    Terms the reference never uses get the highest IDF instead of being dropped,
    so an essay's vocabulary outside the exemplar lowers its cosine rather than
    being ignored (scikit-learn's transform would drop it and inflate the cosine).
    """

    idf: dict[str, float]
    unseen_idf: float

    @classmethod
    def fit(cls, documents: Sequence[Sequence[str]]) -> TermWeights:
        n = len(documents)
        df: dict[str, int] = defaultdict(int)
        for doc in documents:
            for term in set(doc):
                df[term] += 1
        idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
        return cls(idf, math.log(1 + n) + 1)

    def vector(self, terms: Iterable[str]) -> dict[str, float]:
        """Sublinear tf times idf, L2-normalised; empty for no terms."""
        counts: dict[str, int] = defaultdict(int)
        for term in terms:
            counts[term] += 1
        vec = {t: (1 + math.log(c)) * self.idf.get(t, self.unseen_idf) for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in vec.values()))
        return {t: w / norm for t, w in vec.items()} if norm else {}


def cosine(u: dict[str, float], v: dict[str, float]) -> float:
    """Cosine of two L2-normalised sparse vectors."""
    if len(u) > len(v):
        u, v = v, u
    return sum(w * v.get(t, 0.0) for t, w in u.items())
