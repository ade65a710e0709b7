"""What a renderer is, plus small presentation helpers shared by the formats.

Renderers only read `Report` objects: every number, level, finding and message comes
from the pipeline. They decide layout, labels and escaping (and the HTML notes' short
advice, "Consider splitting it"), nothing else.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from essaycoach.findings import Finding
from essaycoach.report import CalibrationSummary, CriterionResult, ReadabilitySummary, Report
from essaycoach.rubric import MAX_LEVEL
from essaycoach.wording import plural
from essaycoach.words import has_uncounted_letters

VERDICT_LABELS = {
    "in_band": "within the target band",
    "too_easy": "below the target band (too simple)",
    "too_hard": "above the target band (too hard)",
}


def readability_measures(r: ReadabilitySummary) -> tuple[tuple[str, float], ...]:
    """(label, value) rows of the readability table, in the order every format shows them."""
    return (
        ("Flesch reading ease", r.flesch_reading_ease),
        ("Flesch-Kincaid grade", r.flesch_kincaid_grade),
        ("Gunning fog", r.gunning_fog),
        ("SMOG index", r.smog_index),
        ("Coleman-Liau index", r.coleman_liau_index),
        ("Dale-Chall score", r.dale_chall),
        ("Mean sentence length (words)", r.sentence_length_mean),
        ("Sentence length standard deviation", r.sentence_length_stdev),
    )


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices that are not in the report itself."""

    color: bool = False  # ANSI colour in the text format (the CLI sets it on a TTY)
    fail_under: float | None = None  # the JUnit score test case checks this threshold
    #: per essay source, a threshold that replaces `fail_under` (a config override
    #: matching that path)
    fail_under_by_source: Mapping[str, float | None] = field(default_factory=dict, hash=False)
    #: several essays were given: JSON keeps its "reports" list even when only one of
    #: them could be read, so its shape follows the command line, not the outcome
    several_essays: bool = False
    #: the text format wraps its lines at this many columns (the CLI: the terminal's
    #: width, at most 100, when it writes to one)
    width: int = 100

    def fail_under_for(self, report: Report) -> float | None:
        return self.fail_under_by_source.get(report.essay.source, self.fail_under)


class Renderer(ABC):
    """Turns reports into one document of a format."""

    name: str
    extension: str

    def __init__(self, options: RenderOptions | None = None):
        self.options = options or RenderOptions()

    @abstractmethod
    def render(self, reports: Sequence[Report]) -> str:
        """One document covering every report, in order."""


def path_from(base: Path, source: str) -> PurePath:
    """An essay path relative to `base` when it lies inside it, else absolute.

    The path is made absolute on the working folder and its '..' parts removed first (as
    written, not following symbolic links): '../essay.txt' leaves the folder, so it is
    absolute; 'notes/../essay.txt' is 'essay.txt'. Only when it is not inside `base` as
    written are symbolic links followed in both (a workspace reached through a link:
    the working folder is always its real path).
    """
    path = Path(os.path.normpath(Path.cwd() / source))
    for inside, folder in ((path, base), (Path(os.path.realpath(path)), base.resolve())):
        try:
            return inside.relative_to(folder)
        except ValueError:
            continue
    return path


def location(report: Report, offset: int) -> str:
    """ "line:column" of an offset into the essay text."""
    line, column = report.essay.line_col(offset)
    return f"{line}:{column}"


def level_text(criterion: CriterionResult) -> str:
    """ "3/4", or with what the essay's own words earn when copied passages earn more:
    "4/4, own words 0/4"."""
    text = f"{criterion.level}/{MAX_LEVEL}"
    if criterion.own_level is not None:
        text += f", own words {criterion.own_level}/{MAX_LEVEL}"
    return text


def quote(report: Report, start: int, end: int, limit: int = 80) -> str:
    """The essay text at [start, end) on one line, shortened to `limit` characters, its
    Markdown markup left out (`Essay.quote`).

    A span of blanks only (a double space) is shown with visible marks, "␣␣",
    rather than as an empty quote.
    """
    text = report.essay.text[start:end]
    if text.isspace():
        return "".join("↵" if c == "\n" else "␣" for c in text)[:limit]
    return report.essay.quote(start, end, limit) or " ".join(text.split())[:limit]


def suggestions(replacements: Sequence[str], limit: int = 3) -> str:
    """The first `limit` replacements for reading: trimmed, with a deletion named as such.

    LanguageTool pads some replacements with spaces and offers "" to delete the span;
    the JSON report keeps them as the engine gave them.
    """
    words = [r.strip() for r in replacements[:limit]]
    # with a comma in one, each is quoted: "wants, , want" would not say where one ends
    quoted = any("," in w for w in words)
    shown = []
    for replacement, word in zip(replacements[:limit], words, strict=True):
        if replacement == "":
            shown.append("(delete)")
        elif replacement.isspace():
            shown.append("(a space)")
        else:
            shown.append(f'"{word}"' if quoted else word)
    return ", ".join(shown)


def suggestions_label(replacements: Sequence[str]) -> str:
    return "Suggestion" if len(replacements) == 1 else "Suggestions"


def report_title(report: Report) -> str:
    """The essay's file, after its student when `grade` knows who wrote it."""
    source = report.essay.source
    return f"{report.student.label}: {source}" if report.student else source


def essay_size(report: Report) -> str:
    essay = report.essay
    if essay.word_count == 0 and has_uncounted_letters(essay.text):
        # words are counted in Latin letters: a Chinese essay is not "0 words"
        return f"{plural(len(essay.text.strip()), 'character')}, no words in Latin letters"
    return ", ".join(
        (
            plural(essay.word_count, "word"),
            plural(len(essay.paragraphs), "paragraph"),
            plural(len(essay.sentences), "sentence"),
        )
    )


def components_text(report: Report) -> str:
    """The total's parts, each out of its most where known: "structure 62.7/70, ..."."""
    maxima = report.score.maxima
    return ", ".join(
        f"{name} {points:.1f}" + (f"/{_one_decimal(maxima[name])}" if name in maxima else "")
        for name, points in report.score.components.items()
    )


def _one_decimal(value: float) -> str:
    """As the points are shown (one decimal), without a trailing ".0": 70, 87.5, 9.1."""
    return f"{value:.1f}".removesuffix(".0")


def score_text(report: Report) -> str:
    """The total as the JSON report and the --fail-under test see it: one decimal."""
    total = report.score.total
    return "not judged" if total is None else f"{total:.1f}/100"


def cue_only_note(report: Report) -> str | None:
    """Which criteria only the rubric's cue words and the exemplar judged (a custom
    rubric's): a reader should weigh them knowing that (docs/structure.md)."""
    if report.structure is None:
        return None
    names = [c.name for c in report.criteria if c.id in report.structure.cue_only]
    if not names:
        return None
    return (
        f"Judged by the rubric's cue words and the exemplar alone, with no trained model, "
        f"so less reliable: {', '.join(names)}. An essay that makes the point in other "
        "words may read as partial or missing there."
    )


def grammar_recall_note(report: Report) -> str | None:
    """For an essay within the grammar target: the engines find a fifth to a third of a
    learner's errors (docs/grammar.md), so few flags are no proof (QA: an ESL essay with
    a dozen article and preposition errors had full grammar marks and no caveat)."""
    g = report.grammar
    if g is None or g.engine == "off" or g.issues_per_100_words > g.target_max_per_100_words:
        return None
    return (
        "Grammar checkers find only a fifth to a third of the errors learners make, so "
        "few issues here is no proof of correct grammar: read the essay aloud, or ask "
        "someone to read it."
    )


PREDICTION_HEADING = "Predicted score (calibrated on the teacher's grades)"


def prediction_text(c: CalibrationSummary) -> str:
    """E.g. "4 on the model's 1–6 scale, confidence 62%". An essay the model may not fit
    gets no confidence: computed as for any other, it read as sure (QA: 98% for a copy)."""
    scale = f"{c.predicted_score:g} on the model's {c.score_min:g}–{c.score_max:g} scale"
    if c.needs_review:
        return f"{scale}, no confidence given (the model may not fit this essay)"
    return f"{scale}, confidence {c.confidence:.0%}"


def review_text(c: CalibrationSummary) -> str:
    if c.needs_review:
        return "Needs review: a person should read this essay before using the prediction, because"
    return "No reason found to distrust the prediction."


def other_findings(report: Report) -> list[Finding]:
    """Findings not already shown in a dedicated section.

    Grammar findings, not-judged reasons and order problems have their own sections, and
    a finding on exactly a hardest sentence or a copied passage is shown there.
    """
    shown = set(report.not_judged_reasons)
    if report.structure:
        shown.update(report.structure.order_problems)
    shown_spans: set[tuple[int, int]] = set()
    if report.readability:
        shown_spans.update((s.start, s.end) for s in report.readability.hardest_sentences)
    if report.similarity:
        shown_spans.update((p.start, p.end) for p in report.similarity.copied_passages)
    return [
        f
        for f in report.findings
        if f.check != "grammar"
        and f.code != "pipeline.not_judged"
        and f.message not in shown
        and (f.span is None or (f.span.start, f.span.end) not in shown_spans)
    ]
