"""The pipeline: build the checks once, run them per essay, collect a Report."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from essaycoach.checks.grammar import GrammarCheck
from essaycoach.checks.readability import ReadabilityCheck
from essaycoach.checks.similarity import SimilarityCheck
from essaycoach.checks.structure import (
    StructureCheck,
    copied_evidence_findings,
    with_own_levels,
)
from essaycoach.errors import InputError, SettingsError
from essaycoach.essay import Essay, load_essay
from essaycoach.exemplar import Exemplar, bundled_exemplar_notice, chosen_exemplar, load_exemplar
from essaycoach.findings import Finding, Severity
from essaycoach.grammar.select import open_engine
from essaycoach.language import looks_english
from essaycoach.readers import SUPPORTED_SUFFIXES
from essaycoach.report import Report, Score
from essaycoach.resources import BUNDLED_PREFIX, default_exemplar_path
from essaycoach.rubric import Rubric, load_rubric
from essaycoach.scoring import score_essay
from essaycoach.settings import Settings
from essaycoach.wording import plural


def accepted_words(rubric: Rubric, exemplar: Exemplar, settings: Settings) -> tuple[str, ...]:
    """Words the spell checkers never flag: the rubric's, the exemplar's proper nouns and
    the settings' own (--accept-words, the configuration's accept_words). An entry of
    several words ("Miss Emily") accepts each: spell checkers flag one word at a time."""
    entries = [*rubric.accept_words, *exemplar.proper_nouns(), *settings.accept_words]
    return tuple(sorted({word for entry in entries for word in entry.split()}))


class Pipeline:
    """Checks an essay against one rubric and exemplar.

    Construction loads the rubric, the exemplar, the structure model and the
    grammar engine once; `check_essay` is then cheap. Use as a context manager
    (or call `close`) so a grammar engine's resources are released.
    """

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.rubric = load_rubric(self.settings.rubric)
        self.exemplar = load_exemplar(self.rubric, self.settings.exemplar)
        # the bundled exemplar by name: its path differs between installs, and the JSON
        # report of one essay must not
        self._exemplar_source = (
            self.exemplar.essay.source
            if chosen_exemplar(self.rubric, self.settings.exemplar) is not None
            else f"{BUNDLED_PREFIX}{default_exemplar_path().name}"
        )
        self.exemplar_notice = bundled_exemplar_notice(self.rubric, self.settings.exemplar)
        self.accept_words = accepted_words(self.rubric, self.exemplar, self.settings)
        self.engine, self.grammar_notice = open_engine(self.settings, self.accept_words)
        self.structure = StructureCheck(self.rubric, self.exemplar)
        self.similarity = SimilarityCheck(self.rubric, self.exemplar)
        self.readability = ReadabilityCheck(self.rubric)
        self.grammar = GrammarCheck(
            self.rubric, self.engine, self.grammar_notice, accept_words=self.accept_words
        )

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()

    def check_file(self, path: str | Path) -> Report:
        return self.check_essay(load_essay(path))

    def check_essay(self, essay: Essay) -> Report:
        english = looks_english(essay.prose)
        reasons = self._not_judgeable_reasons(essay, english)
        # structure and similarity only for essays that can be judged; grammar runs
        # last so an engine still starting up (Harper builds in a thread) gets the most time
        structure = similarity = None
        own_words = None
        if not reasons:
            copying = self.similarity.copying(essay)
            structure = self.structure.run(essay)
            similarity = self.similarity.run(essay, structure=structure.summary, copying=copying)
            if copying.passages:
                # what the essay's own words meet: copied passages earn no criterion anything
                own_words = self.structure.run(essay, copied=copying.spans).summary
        # readability formulas on a few sentences say nothing (QA: a 23-word essay was
        # "too easy"); grammar and spelling feedback still help a short draft
        long_enough = essay.word_count >= self.settings.min_words
        readability = self.readability.run(essay) if english and long_enough else None
        grammar = self.grammar.run(essay) if english else None
        findings: list[Finding] = [
            Finding("pipeline", "pipeline.not_judged", Severity.WARNING, reason)
            for reason in reasons
        ]
        for result in (structure, similarity, readability, grammar):
            if result is not None:
                findings.extend(result.findings)
        structure_summary = structure.summary if structure else None
        if structure_summary is not None and own_words is not None:
            findings.extend(
                copied_evidence_findings(essay, structure_summary, own_words, copying.spans)
            )
            if self.rubric.scoring.copy_deduction:  # else copying is left to the teacher
                structure_summary = with_own_levels(structure_summary, own_words)
        findings.sort(key=lambda f: (f.span.start if f.span else -1, -f.severity.rank))
        if structure is None or similarity is None:
            score = Score(total=None, components={})
        else:
            score = score_essay(
                essay,
                self.rubric,
                structure.summary,
                readability.summary if readability else None,
                grammar.summary if grammar else None,
                similarity.summary,
                structure.findings,
                own_words=own_words,
            )
        return Report(
            essay=essay,
            rubric_id=self.rubric.id,
            rubric_name=self.rubric.name,
            exemplar_source=self._exemplar_source,
            judged=not reasons,
            not_judged_reasons=tuple(reasons),
            score=score,
            structure=structure_summary,
            readability=readability.summary if readability else None,
            grammar=grammar.summary if grammar else None,
            similarity=similarity.summary if similarity else None,
            findings=tuple(findings),
        )

    def _not_judgeable_reasons(self, essay: Essay, english: bool) -> list[str]:
        reasons = []
        if not english:
            reasons.append(
                "The essay does not appear to be written in English, so it cannot be judged "
                "against an English rubric."
            )
        # words are counted in Latin letters: a Chinese essay has "0 words", which would
        # only mislead next to the reason that counts
        if english and essay.word_count < self.settings.min_words:
            reasons.append(
                f"The essay has {plural(essay.word_count, 'word')}; at least "
                f"{self.settings.min_words} are needed for a meaningful judgement."
            )
        return reasons


def check(
    text_or_path: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
    *,
    text: str | None = None,
    source: str | os.PathLike[str] | None = None,
    **overrides: object,
) -> Report:
    """Check one essay, given as a file or as its text.

    A path object (`pathlib.Path`) is always a file and `text=` always the essay's
    text. A `str` is a file when it is one line that names an existing file or folder,
    ends with an essay file's extension or has no whitespace; any other `str` is the
    text. A file that does not exist or is a folder raises InputError. `source` is the
    name the report gives the essay (default: the path, or "<text>"); text named
    ".md" or ".markdown" is read as Markdown. Keyword overrides are Settings fields.
    """
    essay = _essay_to_check(text_or_path, text, source)  # before the pipeline: fails fast
    if settings is None:
        settings = Settings()
    elif not isinstance(settings, Settings):
        raise SettingsError(
            f"must be an essaycoach.Settings, not {type(settings).__name__}", key="settings"
        )
    unknown = sorted(set(overrides) - {f.name for f in dataclasses.fields(Settings)})
    if unknown:
        raise SettingsError("not a Settings field (a typo?)", key=unknown[0])
    if overrides:
        settings = dataclasses.replace(settings, **overrides)  # type: ignore[arg-type]
    with Pipeline(settings) as pipeline:
        return pipeline.check_essay(essay)


def _essay_to_check(text_or_path: object, text: object, source: object) -> Essay:
    if (text_or_path is None) == (text is None):
        raise TypeError("check() takes one essay: text_or_path, or text=")
    if isinstance(source, os.PathLike):
        source = os.fspath(source)
    if source is not None and (
        not isinstance(source, str)
        or not source.strip()
        or source != source.strip()
        or any(c in source for c in "\n\r\0")
    ):
        raise SettingsError(
            "must be a file name or path (a str or os.PathLike: one line, no white space "
            "around it) naming the essay",
            key="source",
        )
    if isinstance(text, str) or (isinstance(text_or_path, str) and not _is_file(text_or_path)):
        essay_text = text if isinstance(text, str) else text_or_path
        assert isinstance(essay_text, str)
        if source is None:
            return Essay.from_text(essay_text)
        markdown = Path(source).suffix.lower() in (".md", ".markdown")
        return Essay.from_text(essay_text, source, markdown=markdown)
    if isinstance(text_or_path, os.PathLike):
        essay = load_essay(os.fspath(text_or_path))
    elif isinstance(text_or_path, str):
        if text_or_path != text_or_path.strip() and not os.path.exists(text_or_path):
            # a name read with readline() or from a form field: not a one-word essay
            raise InputError(
                "a file name with white space around it; strip it, or pass the essay as text=",
                repr(text_or_path),
            )
        essay = load_essay(text_or_path)
    else:
        given = text_or_path if text is None else text
        raise TypeError(f"check() takes the essay's text or a path, not {type(given).__name__}")
    return essay if source is None else dataclasses.replace(essay, source=source)


def _is_file(value: str) -> bool:
    """Whether `check` reads the str `value` as a file (see `_looks_like_a_path`)."""
    return _looks_like_a_path(value.strip())


def _looks_like_a_path(value: str) -> bool:
    """Whether `check` reads the str `value` as a file: one line that exists, ends
    with an essay file's extension, or is one word (no essay, but a mistyped name)."""
    if not value or len(value) >= 4096 or any(c in value for c in "\n\r\0"):
        return False
    return (
        os.path.exists(value)
        or value.lower().endswith(SUPPORTED_SUFFIXES)
        or not any(c.isspace() for c in value)
    )
