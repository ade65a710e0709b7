"""Tokens for the structure model: lower-cased words, character names masked, n-grams.

Names are masked so that the model learns how essays talk about plot structure
("the turning point comes when _name_ ...") rather than which novel they discuss.
A word counts as a name when it is capitalised somewhere other than at the start
of a sentence and never appears in lower case in the same text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

NAME_TOKEN = "_name_"
NGRAM_RANGE = (1, 3)

_TOKEN_RE = re.compile(r"[A-Za-z]+(?:[’'][A-Za-z]+)*|[.!?;:]")
# letters of any script ("José", "Ngũgĩ"), for the grammar check's names; the model
# keeps the ASCII tokens it was trained on
_ANY_LETTERS_TOKEN_RE = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)*|[.!?;:]")
_SENTENCE_END = {".", "!", "?"}
_POSSESSIVE_RE = re.compile(r"[’']s$", re.I)


def words_with_initial_flag(text: str, any_letters: bool = False) -> list[tuple[str, bool]]:
    """(word, is_sentence_initial) for every word; punctuation only sets the flag.

    Words are ASCII letters, as the model was trained; with `any_letters`, letters of
    any script.
    """
    out: list[tuple[str, bool]] = []
    initial = True
    for token in (_ANY_LETTERS_TOKEN_RE if any_letters else _TOKEN_RE).findall(text):
        if token in _SENTENCE_END:
            initial = True
            continue
        if token in {";", ":"}:
            continue
        out.append((_POSSESSIVE_RE.sub("", token), initial))
        initial = False
    return out


@lru_cache(maxsize=8)  # the structure and similarity checks both ask, per essay
def find_names(text: str, any_letters: bool = False) -> frozenset[str]:
    """Capitalised words used mid-sentence and never in lower case: character and place
    names (`any_letters` as in `words_with_initial_flag`)."""
    capitalised_mid: set[str] = set()
    lower: set[str] = set()
    for word, initial in words_with_initial_flag(text, any_letters):
        if word[0].isupper():
            if not initial and word != "I":
                capitalised_mid.add(word.lower())
        else:
            lower.add(word.lower())
    return frozenset(capitalised_mid - lower)


def tokenize(text: str, names: frozenset[str]) -> list[str]:
    """Lower-cased words with every name (or run of names) replaced by one NAME_TOKEN."""
    out: list[str] = []
    for word, _initial in words_with_initial_flag(text):
        lowered = word.lower()
        if lowered in names:
            if not out or out[-1] != NAME_TOKEN:
                out.append(NAME_TOKEN)
        else:
            out.append(lowered)
    return out


def ngrams(
    tokens: Sequence[str], low: int = NGRAM_RANGE[0], high: int = NGRAM_RANGE[1]
) -> list[str]:
    grams: list[str] = []
    for n in range(low, high + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def ngram_counts(text: str, names: frozenset[str]) -> Counter[str]:
    return Counter(ngrams(tokenize(text, names)))


# --- the labelled training paragraphs ---------------------------------------------


def read_labelled_paragraphs(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """Parse the training file: [(work, [(label, paragraph text), ...]), ...].

    Format: "=== work" starts an essay, "label: text" is one paragraph, "#" comments.
    """
    essays: list[tuple[str, list[tuple[str, str]]]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("==="):
            essays.append((line[3:].strip(), []))
            continue
        label, sep, text = line.partition(":")
        if not sep or not essays or not label.replace("_", "").isalnum():
            raise ValueError(f"{path}:{number}: expected '=== work' or 'label: text'")
        essays[-1][1].append((label.strip(), text.strip()))
    return essays


def essay_documents(
    essays: Iterable[tuple[str, list[tuple[str, str]]]],
) -> tuple[list[list[str]], list[str], list[int]]:
    """Token lists, labels and essay numbers for every training paragraph.

    Names are found per essay (all its paragraphs together), as at run time.
    """
    docs: list[list[str]] = []
    labels: list[str] = []
    groups: list[int] = []
    for number, (_work, paragraphs) in enumerate(essays):
        names = find_names("\n\n".join(text for _label, text in paragraphs))
        for label, text in paragraphs:
            docs.append(tokenize(text, names))
            labels.append(label)
            groups.append(number)
    return docs, labels, groups
