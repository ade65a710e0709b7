"""The structure check: where the essay covers each rubric criterion, and in what order.

How detection works is in essaycoach.structure.detect and docs/structure.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from essaycoach.checks.base import CheckResult
from essaycoach.essay import Essay, Sentence
from essaycoach.exemplar import Exemplar
from essaycoach.findings import Finding, Severity, Span
from essaycoach.report import CriterionResult, Evidence, Status, StructureSummary
from essaycoach.rubric import MAX_LEVEL, Criterion, Rubric
from essaycoach.story import ParagraphStory, StoryReading
from essaycoach.structure.detect import (
    BODY_MIN_WORDS,
    OTHER,
    Analysis,
    Detector,
    longest_in_order,
)
from essaycoach.structure.model import ParagraphModel, load_model
from essaycoach.structure.repeats import RepeatRun, repeat_runs, repeated_paragraphs
from essaycoach.wording import plural
from essaycoach.words import words_of

MET_AT = 0.4  # best paragraph probability for "met"
PARTIAL_AT = 0.25  # ... for "partial"
SENTENCE_PARTIAL_AT = 0.6  # one sentence this sure is a mention in passing: "partial"
SENTENCE_MET_AT = 0.9  # ... and this sure, in the last paragraph, for the conclusion: "met"
SENTENCE_MET_WORDS = 12  # ... if it says something: "In the end I liked the book." does not
STRONG_AT = 0.75  # met with this probability and a developed paragraph: level 4
DEVELOPED_WORDS = 40
MET_MIN_WORDS = BODY_MIN_WORDS  # a paragraph this short can only be "partial"
# a paragraph with this share of its words in rubric cues only names the criteria (QA:
# "The climax is the turning point and the key moment ..., when everything comes to a
# head"): partial at most. Genuine paragraphs on the criteria of the training and bench
# essays reach 0.21, a thesis 0.32 ("In this essay I will argue that ... is really
# about"), so the thesis is left out
CUE_STUFFED_SHARE = 0.25
ORDER_LABEL_AT = 0.5  # a paragraph's label counts for order only this sure
MAX_EVIDENCE = 3
LABEL_MAX_WORDS = 2  # a "sentence" this short is a label, never evidence


class StructureCheck:
    """Built once per rubric and exemplar (loads the paragraph model); `run` per essay."""

    id = "structure"

    def __init__(self, rubric: Rubric, exemplar: Exemplar, model: ParagraphModel | None = None):
        self.rubric = rubric
        self.model = model or load_model()
        self.detector = Detector(rubric, exemplar, self.model)
        method = "paragraph model + rubric cues + exemplar similarity + position prior"
        if self.detector.model_free:
            free = ", ".join(self.detector.model_free)
            method += f"; no model labels for {free} (cues and exemplar only)"
        self.method = method

    def run(
        self, essay: Essay, copied: Sequence[tuple[int, int]] = ()
    ) -> CheckResult[StructureSummary]:
        """`copied`: (start, end) of the passages copied from the exemplar (the
        similarity check's `copying`), which earn no criterion anything; nor do
        paragraphs repeating an earlier one."""
        repeats = repeated_paragraphs(essay)
        excluded = [*copied, *((p.start, p.end) for p, _original in repeats)]
        scores = self.detector.analyse(essay, excluded=excluded)
        results = tuple(
            self._criterion_result(essay, scores, c, column)
            for column, c in enumerate(self.rubric.criteria)
        )
        paragraphing = _paragraphing_findings(essay)
        if paragraphing:
            # in one block every criterion is "mentioned in passing": the rubric's advice
            # to develop it would not help, a paragraph of its own would. One its
            # sentences develop is more than a mention, level 2 (QA: a strong essay
            # written as one block scored 53, every criterion at level 1)
            results = tuple(
                replace(
                    self._developed_in_sentences(essay, r, scores, column),
                    feedback=_own_paragraph_feedback(r.name),
                )
                if r.status == Status.PARTIAL
                else r
                for column, r in enumerate(results)
            )
        misplaced = self._position_findings(essay, scores, results)
        results = tuple(
            _outside_its_place(r, c, misplaced[c.id], self.rubric) if c.id in misplaced else r
            for r, c in zip(results, self.rubric.criteria, strict=True)
        )
        untold: dict[int, ParagraphStory] = {}
        findings: list[Finding] = []
        if scores.story is not None:  # the rubric's task analyses a story
            stories = zip(essay.paragraphs, scores.story.paragraphs, strict=True)
            untold = {p.index: story for p, story in stories if story.untold}
            findings = _story_findings(essay, scores.story)
        findings += [
            f
            for r, c in zip(results, self.rubric.criteria, strict=True)
            for f in _status_findings(r, c, untold)
        ]
        order_findings = self._order_findings(essay, scores)
        order_findings += misplaced.values()
        findings += order_findings
        findings += paragraphing
        findings += [_repeat_finding(essay, run) for run in repeat_runs(repeats)]
        summary = StructureSummary(
            criteria=results,
            order_problems=tuple(f.message for f in order_findings),
            method=self.method,
            cue_only=tuple(self.detector.model_free),
        )
        return CheckResult(check=self.id, findings=tuple(findings), summary=summary)

    # --- criteria ---------------------------------------------------------------

    def _criterion_result(
        self, essay: Essay, scores: Analysis, criterion: Criterion, column: int
    ) -> CriterionResult:
        # a paragraph counts if it is about the criterion where it stands, or wherever it stood
        q = np.maximum(scores.paragraphs[:, column], scores.content[:, column])
        told = scores.told
        # one that tells none of the story can only mention the criterion (below)
        q_told = np.where(told, q, 0.0)
        best_row = int(np.argmax(q_told)) if len(q) else -1
        if best_row >= 0 and not self._can_be_met(scores, criterion, best_row):
            # a developed paragraph beats a sure but short one (QA: "Climax: the visit to
            # Madame." added at the end took the climax from its paragraph, met to partial)
            eligible = [
                row
                for row in np.flatnonzero(q_told >= MET_AT)
                if self._can_be_met(scores, criterion, int(row))
            ]
            if eligible:
                best_row = int(max(eligible, key=lambda row: q_told[row]))
        strength = float(q_told[best_row]) if best_row >= 0 else 0.0
        if criterion.position == "introduction" and len(q) and told[0]:
            # a thesis is one sentence: its best sentence in the introduction is enough
            opening = np.flatnonzero(scores.sentence_rows == 0)
            if len(opening) and scores.sentences[opening, column].max() > strength:
                strength = float(scores.sentences[opening, column].max())
                best_row = 0
        evidence = self._evidence(essay, scores, column, q_told, lead_row=best_row)
        sentence_strength = max((e.score for e in evidence), default=0.0)
        own_text = scores.own_text[best_row] if best_row >= 0 else ""
        feedback = ""  # the rubric's for the status, unless a rule below says better
        if strength >= MET_AT and self._can_be_met(scores, criterion, best_row):
            status = Status.MET
            developed = scores.own_words[best_row] >= DEVELOPED_WORDS
            level = 4 if strength >= STRONG_AT and developed else 3
        elif (closing := self._closing_sentence(essay, scores, criterion, column)) is not None:
            # a last paragraph that closes the falling action and then states the
            # resolution ("The resolution is bitter: ..."): where the resolution
            # belongs, it is no mention in passing; elsewhere one sentence still is
            status, level = Status.MET, 3
            evidence = (closing, *(e for e in evidence if e.paragraph != closing.paragraph))
            evidence = evidence[:MAX_EVIDENCE]
        elif strength >= MET_AT:
            # sure, but it cannot be met there: where a thesis belongs with no claim in it
            # ("The Crucible is a play by Arthur Miller.": the rubric's met_requires
            # words say what "met" needs), a heading and one line ("Climax. The climax
            # is when they visit Madame.": no room for the analysis level 3 asks), or
            # mostly the rubric's terms
            status, level = Status.PARTIAL, 2
            index, words = essay.paragraphs[best_row].index, scores.own_words[best_row]
            # without a claim word the rubric's "partial" feedback says what is missing
            claims = criterion.meets_requirement(own_text)
            # what developing it means: a story's analysis tells events (QA: a persuasive
            # rubric's conclusion was told to say "what happens, to whom")
            develop = (
                "saying what happens, to whom, and why it matters"
                if self.rubric.story_analysis
                else "explaining the point and supporting it"
            )
            if claims and words < MET_MIN_WORDS:
                # QA: "Give the ending a paragraph of its own" to a 17-word paragraph on it
                feedback = (
                    f"Paragraph {index} gives it only {plural(words, 'word')}: develop it, "
                    f"{develop}."
                )
            elif claims:
                feedback = (
                    f"Paragraph {index} is mostly the rubric's own terms: develop it, {develop}."
                )
            elif (
                taste := next(
                    (
                        s
                        for s in essay.sentences
                        if s.paragraph == index and criterion.judges_taste(s.text)
                    ),
                    None,
                )
            ) is not None:
                # the rubric's advice, after the sentence that judges taste instead
                quote = essay.quote(taste.start, taste.end)
                advice = criterion.feedback.partial or _plain_feedback(criterion, status)
                feedback = f'"{quote}" gives an opinion of taste, not a claim. {advice}'
        elif strength >= PARTIAL_AT:
            status, level = Status.PARTIAL, 2
        elif sentence_strength >= SENTENCE_PARTIAL_AT:
            status, level = Status.PARTIAL, 1
        elif criterion.position != "introduction" and (
            aside := self._mentions(essay, scores, column, np.flatnonzero(told).tolist())
        ):
            # one sentence in a paragraph about something else ("In the resolution, ...",
            # closing the falling action's paragraph): mentioned in passing (a thesis
            # outside the introduction has its own rule, by position)
            status, level = Status.PARTIAL, 1
            evidence = aside[:MAX_EVIDENCE]
            sentence_strength = aside[0].score
        else:
            status, level = Status.MISSING, 0
        q_untold = np.where(told, 0.0, q)
        if status == Status.MISSING and len(q) and q_untold.max() >= PARTIAL_AT:
            # named in general terms ("the climax is the turning point"): a mention
            status, level = Status.PARTIAL, 1
            strength = float(q_untold.max())
            evidence = self._evidence(
                essay, scores, column, q_untold, lead_row=int(np.argmax(q_untold))
            )
        if status == Status.MISSING:
            evidence = ()
        return CriterionResult(
            id=criterion.id,
            name=criterion.name,
            required=criterion.required,
            status=status,
            confidence=_confidence(
                max(strength, sentence_strength if status != Status.MET else 0.0)
            ),
            level=level,
            descriptor=self.rubric.level_descriptor(criterion, level),
            feedback=feedback
            or getattr(criterion.feedback, status)
            or _plain_feedback(criterion, status),
            weight=criterion.weight,
            evidence=evidence,
        )

    def _closing_sentence(
        self, essay: Essay, scores: Analysis, criterion: Criterion, column: int
    ) -> Evidence | None:
        """For a criterion that belongs in the conclusion, a sure sentence of some length
        stating it in the last paragraph of the essay's own (a summary line or table row
        after it is not the conclusion), as evidence; else None."""
        last = scores.body_last
        if criterion.position != "conclusion" or len(essay.paragraphs) < 2 or last is None:
            return None
        if not scores.told[last] or not self._can_be_met(scores, criterion, last):
            return None
        sentence = self._best_sentence(essay, scores, column, [last])
        if (
            sentence is None
            or sentence.score < SENTENCE_MET_AT
            or len(sentence.text.split()) < SENTENCE_MET_WORDS
        ):
            return None
        return sentence

    def _mentions(
        self, essay: Essay, scores: Analysis, column: int, rows: Sequence[int]
    ) -> tuple[Evidence, ...]:
        """Up to MAX_EVIDENCE sentences of the paragraphs at `rows` that mention the
        criterion (scoring SENTENCE_PARTIAL_AT or more), surest first."""
        ranked = _ranked_sentences(essay, scores, column, rows)
        sure = SENTENCE_PARTIAL_AT
        kept = [i for i in ranked[:MAX_EVIDENCE] if scores.sentences[i, column] >= sure]
        return tuple(_sentence_evidence(essay, scores, column, i) for i in kept)

    def _best_sentence(
        self, essay: Essay, scores: Analysis, column: int, rows: Sequence[int]
    ) -> Evidence | None:
        """The sentence of the paragraphs at `rows` that is surest about the criterion;
        None if they have no sentence."""
        ranked = _ranked_sentences(essay, scores, column, rows)
        return _sentence_evidence(essay, scores, column, ranked[0]) if ranked else None

    def _developed_in_sentences(
        self, essay: Essay, result: CriterionResult, scores: Analysis, column: int
    ) -> CriterionResult:
        """`result` at level 2 if it is a mention (level 1) that sentences of its own
        develop: those the model reads as about this criterion above all (MET_AT or
        surer) hold at least MET_MIN_WORDS words, one of them SENTENCE_PARTIAL_AT sure;
        else `result` as it is."""
        if result.level != 1 or not len(scores.sentences):
            return result
        about = scores.sentences[:, column]
        own = np.flatnonzero((about >= MET_AT) & (scores.sentences.argmax(axis=1) == column))
        words = sum(len(words_of(essay.sentences[i].text)) for i in own)
        if words < MET_MIN_WORDS or about[own].max(initial=0.0) < SENTENCE_PARTIAL_AT:
            return result
        criterion = self.rubric.criterion(result.id)
        return replace(result, level=2, descriptor=self.rubric.level_descriptor(criterion, 2))

    @staticmethod
    def _can_be_met(scores: Analysis, criterion: Criterion, row: int) -> bool:
        """Whether the paragraph at `row`, sure enough, would meet `criterion`: its own
        words hold what "met" requires, are not too few, and are not mostly cue words."""
        own_text = scores.own_text[row]
        if criterion.position == "introduction":  # a thesis is one sentence
            return criterion.meets_requirement(own_text)
        return (
            criterion.meets_requirement(own_text)
            and scores.own_words[row] >= MET_MIN_WORDS
            and scores.cue_share[row] < CUE_STUFFED_SHARE
        )

    def _evidence(
        self, essay: Essay, scores: Analysis, column: int, q: np.ndarray, lead_row: int
    ) -> tuple[Evidence, ...]:
        """The best sentence of each paragraph that is mainly about the criterion, starting
        with the paragraph that decided the status (`lead_row`); of a criterion that
        needs a claim, a sentence that makes it when there is one."""
        criterion_id = self.detector.criteria[column]
        criterion = self.rubric.criterion(criterion_id)
        rows = [
            int(r)
            for r in np.argsort(-q)
            if q[r] >= PARTIAL_AT
            and criterion_id in (scores.label(int(r))[0], scores.label(int(r), content=True)[0])
        ]
        if lead_row >= 0:
            rows = [lead_row, *(r for r in rows if r != lead_row)]
        sentences = essay.sentences
        out: list[Evidence] = []
        for row in rows[:MAX_EVIDENCE]:
            members = np.flatnonzero(scores.sentence_rows == row)
            if not len(members):
                continue
            # a label ("Climax.") names the criterion but says nothing: quote what follows
            said = [m for m in members if _says_something(sentences[m])]
            members = np.array(said) if said else members
            best = int(members[np.argmax(scores.sentences[members, column])])
            if _announces(sentences[best].text) and not criterion.meets_requirement(
                sentences[best].text
            ):
                # the plan of the essay is no claim: quote the claim beside it (QA: "In
                # this essay I will explain ..." before "I think the main idea ..."), not
                # any sentence with a claim word ("... depicts Kathy H. at work" before
                # a thesis without one; QA); a copied sentence, scored 0, is not the
                # student's
                claims = [
                    m
                    for m in members
                    if scores.sentences[m, column] > 0
                    and criterion.meets_requirement(sentences[m].text)
                ]
                if claims:
                    best = int(max(claims, key=lambda m: scores.sentences[m, column]))
            # scored as its paragraph is, when the paragraph is surer than the sentence
            evidence = _sentence_evidence(essay, scores, column, best)
            out.append(replace(evidence, score=max(evidence.score, float(q[row]))))
        return tuple(out)

    # --- order ------------------------------------------------------------------

    def _order_findings(self, essay: Essay, scores: Analysis) -> list[Finding]:
        """Paragraphs whose confident label breaks the rubric's order (thesis: see position)."""
        by_id = {c.id: c for c in self.rubric.criteria}
        labelled: list[tuple[int, Criterion, float]] = []
        told = scores.told
        for row in range(len(essay.paragraphs)):
            label, q = scores.label(row, content=True)
            if label == OTHER or q < ORDER_LABEL_AT or not told[row]:
                continue
            if scores.own_words[row] < MET_MIN_WORDS:
                continue  # a label or a summary line ("Climax: the visit to Madame.")
            criterion = by_id[label]
            if criterion.order <= 0 or criterion.position == "introduction":
                continue
            labelled.append((row, criterion, q))
        kept = longest_in_order([c.order for _row, c, _q in labelled])
        findings = []
        for i, (row, criterion, _q) in enumerate(labelled):
            if i in kept:
                continue
            paragraph = essay.paragraphs[row]
            later = [
                (r, c)
                for j, (r, c, _) in enumerate(labelled)
                if j in kept and r > row and c.order < criterion.order
            ]
            earlier = [
                (r, c)
                for j, (r, c, _) in enumerate(labelled)
                if j in kept and r < row and c.order > criterion.order
            ]
            # name the latest-in-order criterion it jumps ahead of: "resolution before climax"
            if later:
                other_row, other = max(later, key=lambda rc: rc[1].order)
                other_index = essay.paragraphs[other_row].index
                message = (
                    f"Paragraph {paragraph.index} discusses the {criterion.name.lower()} before "
                    f"paragraph {other_index} discusses the {other.name.lower()}; "
                    f"the {other.name.lower()} should come first."
                )
            elif earlier:
                other_row, other = earlier[-1]
                message = (
                    f"Paragraph {paragraph.index} discusses the {criterion.name.lower()} after "
                    f"paragraph {essay.paragraphs[other_row].index} has discussed the "
                    f"{other.name.lower()}; the {criterion.name.lower()} should come first."
                )
            else:  # cannot happen for an index outside a longest in-order subsequence
                continue
            findings.append(
                Finding(
                    check=self.id,
                    code="structure.order",
                    severity=Severity.WARNING,
                    message=message,
                    span=Span(paragraph.start, paragraph.end),
                    category="order",
                    extra=(("criterion", criterion.id), ("paragraph", paragraph.index)),
                )
            )
        return findings

    def _position_findings(
        self, essay: Essay, scores: Analysis, results: tuple[CriterionResult, ...]
    ) -> dict[str, Finding]:
        """A criterion expected in the introduction (the thesis) that is found only later,
        by criterion id."""
        findings: dict[str, Finding] = {}
        if len(essay.paragraphs) < 2:
            return findings
        for column, (criterion, result) in enumerate(
            zip(self.rubric.criteria, results, strict=True)
        ):
            if criterion.position != "introduction" or result.status != Status.MET:
                continue
            q = np.where(scores.told, scores.content[:, column], 0.0)
            best = int(np.argmax(q))
            if best == 0 or q[best] < ORDER_LABEL_AT:
                continue
            if max(q[0], scores.paragraphs[0, column]) >= PARTIAL_AT:
                continue
            paragraph = essay.paragraphs[best]
            findings[criterion.id] = Finding(
                check=self.id,
                code="structure.thesis_position",
                severity=Severity.WARNING,
                message=(
                    f"The {criterion.name.lower()} appears in paragraph {paragraph.index}, "
                    "not in the introduction; move it to the first paragraph."
                ),
                span=Span(paragraph.start, paragraph.end),
                category="order",
                extra=(("criterion", criterion.id), ("paragraph", paragraph.index)),
            )
        return findings


def _ranked_sentences(
    essay: Essay, scores: Analysis, column: int, rows: Sequence[int]
) -> list[int]:
    """The indexes of the sentences of the paragraphs at `rows`, surest about the
    criterion first; labels ("Climax.") left out."""
    wanted = {int(r) for r in rows}
    sentences = essay.sentences
    members = [
        i
        for i, row in enumerate(scores.sentence_rows)
        if int(row) in wanted and _says_something(sentences[i])
    ]
    members.sort(key=lambda i: -scores.sentences[i, column])
    return members


# a sentence about the essay itself, its plan ("In this essay I will explain ...")
_ANNOUNCEMENT_RE = re.compile(
    r"\b(?:this essay|this paper|I will|I am going to|I'm going to|I’m going to)\b", re.I
)


def _announces(sentence: str) -> bool:
    return _ANNOUNCEMENT_RE.search(sentence) is not None


def _says_something(sentence: Sentence) -> bool:
    """Whether a sentence is more than a label ("Climax."), which is never evidence."""
    return len(sentence.text.split()) > LABEL_MAX_WORDS


def _sentence_evidence(essay: Essay, scores: Analysis, column: int, index: int) -> Evidence:
    """Sentence `index` as evidence for the criterion, scored by itself."""
    sentence = essay.sentences[index]
    return Evidence(
        paragraph=sentence.paragraph,
        start=sentence.start,
        end=sentence.end,
        text=essay.quote(sentence.start, sentence.end, limit=200),
        score=float(scores.sentences[index, column]),
    )


SINGLE_PARAGRAPH_WORDS = 150  # shorter than this, one paragraph is a reasonable answer


def _own_paragraph_feedback(name: str) -> str:
    return (
        f"The essay is one paragraph, so no part of it is about the {name.lower()} alone: "
        "give it a paragraph of its own."
    )


def _paragraphing_findings(essay: Essay) -> list[Finding]:
    """An essay written as one block: the rubric's structure cannot show."""
    if len(essay.paragraphs) != 1 or essay.word_count < SINGLE_PARAGRAPH_WORDS:
        return []
    para = essay.paragraphs[0]
    return [
        Finding(
            check="structure",
            code="structure.single_paragraph",
            severity=Severity.WARNING,
            message=(
                f"The essay is one paragraph of {essay.word_count} words: break it into an "
                "introduction with your thesis, body paragraphs (one step of the plot each) "
                "and a conclusion."
            ),
            span=Span(para.start, para.end),
            category="paragraphing",
        )
    ]


def _repeat_finding(essay: Essay, run: RepeatRun) -> Finding:
    if run.first is run.last:
        what = f"Paragraph {run.first.index} repeats paragraph {run.original_first}"
    else:
        what = (
            f"Paragraphs {run.first.index}-{run.last.index} repeat paragraphs "
            f"{run.original_first}-{run.original_last}"
        )
    return Finding(
        check="structure",
        code="structure.repeated",
        severity=Severity.WARNING,
        message=(
            f"{what} almost word for word, and a repeat counts for nothing: "
            "cut it, or use the space to say something new."
        ),
        span=Span(run.first.start, run.last.end),
        category="paragraphing",
        extra=(("paragraph", run.first.index), ("repeats", run.original_first)),
    )


def _story_findings(essay: Essay, story: StoryReading) -> list[Finding]:
    """An essay that tells no story: why no criterion could be found."""
    if story.tells_story or not essay.paragraphs:
        return []
    if story.repetitive:
        why = "The essay repeats the same few words"
        ask = "write about the story in sentences that each say something new"
    else:
        why = (
            "The essay names no character, place or event of a story: it talks about "
            "stories only in general terms"
        )
        ask = (
            "say which work you are analysing and discuss what happens in it: who does what, "
            "and why it matters"
        )
    return [
        Finding(
            check="structure",
            code="structure.no_story",
            severity=Severity.ERROR,
            message=f"{why}, so no criterion can count as met. To fix it, {ask}.",
            category="criterion",
            extra=(("story_share", round(story.share, 4)),),
        )
    ]


def _outside_its_place(
    result: CriterionResult, criterion: Criterion, finding: Finding, rubric: Rubric
) -> CriterionResult:
    """A thesis met only outside the introduction: at most level 3, since the rubric asks
    for it in the introduction, with the position warning as its feedback (the rubric's
    "met" feedback praised a "clear thesis in the introduction")."""
    level = min(result.level, 3)
    return replace(
        result,
        level=level,
        descriptor=rubric.level_descriptor(criterion, level),
        feedback=finding.message,
    )


def with_own_levels(structure: StructureSummary, own_words: StructureSummary) -> StructureSummary:
    """`structure` with each criterion's `own_level` set where the essay's own words
    (`own_words`, as for `copied_evidence_findings`) earn it less."""
    own_level = {c.id: c.level for c in own_words.criteria}
    return replace(
        structure,
        criteria=tuple(
            replace(c, own_level=own_level[c.id]) if own_level[c.id] < c.level else c
            for c in structure.criteria
        ),
    )


def copied_evidence_findings(
    essay: Essay,
    structure: StructureSummary,
    own_words: StructureSummary,
    copied: Sequence[tuple[int, int]],
) -> tuple[Finding, ...]:
    """A warning for each criterion the essay's own words meet at a lower level than
    the whole essay does: its evidence is copied (`own_words`: the result with the
    copied passages, `copied`, left out: `StructureCheck.run(essay, copied=...)`). It
    points at the copied passage in the paragraph that meets the criterion."""
    own_level = {c.id: c.level for c in own_words.criteria}
    findings = []
    for result in structure.criteria:
        own = own_level[result.id]
        if own >= result.level:
            continue
        place = _copied_place(essay, result, copied)
        findings.append(
            Finding(
                check="structure",
                code="structure.copied_evidence",
                severity=Severity.WARNING,
                message=(
                    f"{result.name}: what meets it here is copied from the exemplar, so it "
                    f"earns level {own} of {MAX_LEVEL} from your own words, not "
                    f"{result.level}. Make the point in your own words."
                ),
                span=place,
                category="criterion",
                extra=(("criterion", result.id), ("level", own)),
            )
        )
    return tuple(findings)


def _copied_place(
    essay: Essay, result: CriterionResult, copied: Sequence[tuple[int, int]]
) -> Span | None:
    """The first copied passage in the paragraphs of `result`'s evidence, the deciding
    one first (QA: the warning marked the student's own sentence before the copied
    one); its first evidence when none is there."""
    passages = sorted(copied)
    for evidence in result.evidence:
        paragraph = essay.paragraphs[evidence.paragraph - 1]
        for start, end in passages:
            if start < paragraph.end and end > paragraph.start:
                return Span(max(start, paragraph.start), min(end, paragraph.end))
    return Span(result.evidence[0].start, result.evidence[0].end) if result.evidence else None


def _status_findings(
    result: CriterionResult, criterion: Criterion, untold: dict[int, ParagraphStory]
) -> list[Finding]:
    """`untold`: the paragraphs (by index) that tell none of the story. The advice is
    the result's feedback: the rubric's for its status, or `_plain_feedback`."""
    extra = (("criterion", criterion.id), ("level", result.level))
    if result.status == Status.MISSING:
        return [
            Finding(
                check="structure",
                code="structure.missing",
                severity=Severity.ERROR if criterion.required else Severity.WARNING,
                message=f"{criterion.name} not found. {result.feedback}".strip(),
                category="criterion",
                extra=extra,
            )
        ]
    if result.status == Status.PARTIAL:
        place = result.evidence[0] if result.evidence else None
        message = f"{criterion.name} only partly developed. {result.feedback}"
        if place and place.paragraph in untold:
            how = (
                "repeats the same few words"
                if untold[place.paragraph].repetitive
                else "discusses it only in general terms, naming no character, place or "
                "event of the story"
            )
            message = (
                f"{criterion.name} only mentioned: paragraph {place.paragraph} {how}. "
                f"{result.feedback}"
            )
        return [
            Finding(
                check="structure",
                code="structure.partial",
                severity=Severity.WARNING if criterion.required else Severity.INFO,
                message=message,
                span=Span(place.start, place.end) if place else None,
                category="criterion",
                extra=extra,
            )
        ]
    return []


def _confidence(strength: float) -> float:
    """How far the strength lies from the nearest status threshold, mapped to 0.5-1."""
    distance = min(abs(strength - MET_AT), abs(strength - PARTIAL_AT))
    return round(min(1.0, 0.5 + distance / 0.5), 3)


def _plain_feedback(criterion: Criterion, status: Status) -> str:
    """Feedback for a rubric that gives none for `status`: what the criterion asks."""
    if status == Status.MET:
        return "Addressed."
    action = "Develop" if status == Status.PARTIAL else "Add"
    what = f"the {criterion.name.lower()}"
    if criterion.description:
        return f"{action} {what}: {criterion.description}"
    return f"{action} {what}."
