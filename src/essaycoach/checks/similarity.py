"""The similarity check: copying from the exemplar, coverage of its passages, and topic.

Built once per run: the exemplar is tokenised and TF-IDF weights are fitted on
its paragraphs. Per essay it reports

- `copy_score`: `textsim.copy_score` of the essay against the exemplar (the same
  scorer `bench/similarity` calibrates and batch grading uses for pairs),
- copied passages: aligned passages with at least `copied_run_words` matched
  words, with offsets in both texts; when the essay is `too_similar`, every
  passage the copy score counts, so the flag always shows its evidence,
- `exemplar`: TF-IDF cosine of the whole essay with the whole exemplar,
- coverage: for each criterion, the best cosine of an essay paragraph with the
  criterion's exemplar passages,
- flags: `too_similar` (copy score above the rubric's ceiling) and `off_topic`
  (far from the exemplar *and* not another essay on the task: too little of the
  genre's vocabulary, or, for a rubric with `story_analysis`, that vocabulary with
  no story told, essaycoach.story; and when the structure check's result is given,
  too little of the rubric's required criteria found, or, with `story_analysis`,
  no literary work named); and, for a rubric with `story_analysis`, `other_work`:
  on topic but naming none of the exemplar's recurring names, so most likely an
  analysis of another work. docs/similarity.md explains the thresholds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from essaycoach.checks.base import CheckResult
from essaycoach.essay import Essay
from essaycoach.exemplar import Exemplar
from essaycoach.findings import Finding, Severity, Span
from essaycoach.report import CopiedPassage, SimilaritySummary, StructureSummary
from essaycoach.rubric import MAX_LEVEL, Rubric
from essaycoach.story import StoryVocabulary
from essaycoach.textsim import (
    STOP_STEMS,
    STOPWORDS,
    AlignedPassage,
    TermWeights,
    Tokens,
    content_terms,
    copy_evidence,
    cosine,
    name_flags,
    stem,
    tokenize,
)
from essaycoach.wording import below, plural


def _bare_word(word: str) -> str:
    """The word as `stem` sees it before stripping suffixes: lower case, no possessive."""
    bare = word.lower().replace("’", "'")
    return bare[:-2] if bare.endswith("'s") else bare


TASK_LEVEL_SHARE = 3 / 8


def required_levels(structure: StructureSummary) -> tuple[int, int]:
    """The levels the structure check gives the rubric's required criteria, and their
    maximum (16 for the shipped rubric's four)."""
    required = [c for c in structure.criteria if c.required]
    return sum(c.level for c in required), MAX_LEVEL * len(required)


# words that name a literary work or its maker: an essay that does the rubric's task
# but names no work is a history or a personal story with a plot (QA: Apollo 13)
_WORK_RE = re.compile(
    r"\b(?:book|novel|novella|novelist|play|drama|dramatist|story|stories|poem|tale|memoir|"
    r"fable|parable|allegory|satire|tragedy|tragedies|comedy|comedies|epic|myth|legend|"
    r"dystopia|fiction|author|writer|playwright|poet|narrator)s?\b",
    re.IGNORECASE,
)
_FIRST_PERSON_RE = re.compile(r"\b(?:I|me|my|mine|myself)\b")
FIRST_PERSON_MAX = 0.05  # personal narratives: 0.10-0.13; literary analyses: under 0.03


def about_a_work(essay: Essay) -> bool:
    """The essay names a literary work or its author ("the play", "the author") and is
    not told in the first person (a personal narrative has a plot too)."""
    first_person = len(_FIRST_PERSON_RE.findall(essay.prose)) / (essay.word_count or 1)
    return _WORK_RE.search(essay.prose) is not None and first_person < FIRST_PERSON_MAX


def does_the_task(levels: int, most: int) -> bool:
    """The required criteria reach 3/8 of their levels (`required_levels`; 6 of 16 in
    the shipped rubric): the essay does the rubric's task, whatever words it calls its
    book by. The 1,600 ASAP essays reach at most 5 (docs/similarity.md, "Off topic")."""
    return most > 0 and levels >= TASK_LEVEL_SHARE * most


MAX_NAMED_PASSAGES = 10  # the too_similar message names at most this many passages
WORK_NAME_MIN_USES = 3  # a name the exemplar uses this often is one of its work's
# an essay on the same work names at least two of them (every one on Never Let Me Go in
# the project's fixtures names three or more); one can be a coincidence (Ruth in A Raisin
# in the Sun, Madame Sofronie in The Gift of the Magi)
SAME_WORK_MIN_NAMES = 2


def work_names(exemplar: Exemplar) -> tuple[str, ...]:
    """The exemplar's recurring names (its work's characters, places and author), most
    used first: proper nouns it uses at least WORK_NAME_MIN_USES times."""
    prose = exemplar.essay.prose
    uses = {
        name: len(re.findall(rf"\b{re.escape(name)}\b", prose)) for name in exemplar.proper_nouns()
    }
    recurring = [name for name, n in uses.items() if n >= WORK_NAME_MIN_USES]
    return tuple(sorted(recurring, key=lambda name: (-uses[name], name)))


METHOD = (
    "copy score: share of words in passages aligned with the exemplar (3-word runs chained "
    "across gaps of up to 3 edited words, >= 5 words matched, >= 3 of them neither stop "
    "words nor names; short quotations ignored); "
    "exemplar and coverage: TF-IDF cosine (IDF from the exemplar's paragraphs)"
)


@dataclass(frozen=True)
class Copying:
    """The copy score of an essay against the exemplar, and the passages it lists
    (see the module's docstring); `fraction`: share of the essay's words inside them."""

    score: float
    too_similar: bool
    passages: tuple[CopiedPassage, ...]
    fraction: float

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return tuple((p.start, p.end) for p in self.passages)


class SimilarityCheck:
    id = "similarity"

    def __init__(self, rubric: Rubric, exemplar: Exemplar) -> None:
        self.target = rubric.targets.similarity
        self.rubric_name = rubric.name
        self.exemplar = exemplar
        prose = exemplar.essay.prose
        self._exemplar_tokens = tokenize(prose, mask_quotes=True)
        self._exemplar_names = name_flags(prose, self._exemplar_tokens)
        paragraph_terms = [content_terms(tokenize(p.text)) for p in exemplar.essay.paragraphs]
        self._weights = TermWeights.fit(paragraph_terms)
        self._exemplar_vector = self._weights.vector(content_terms(tokenize(prose)))
        self._criterion_vectors = {
            criterion.id: self._weights.vector(
                content_terms(tokenize("\n\n".join(exemplar.passages(criterion.id))))
            )
            for criterion in rubric.criteria
            if exemplar.passages(criterion.id)
        }
        self._topic_stems = {stem(w): w for w in self.target.topic_words}
        # topic words whose stem is also a stop word's ("theme" and "them"): content terms
        # leave them out, so they are matched on the essay's own words instead
        self._topic_stop_stems = self._topic_stems.keys() & STOP_STEMS
        self._story = StoryVocabulary(rubric) if rubric.story_analysis else None
        # another work is a fair answer to a story-analysis rubric, but its teacher may
        # have set the exemplar's: say so (QA: a Frankenstein essay scored 100, no word)
        self.work_names = work_names(exemplar) if rubric.story_analysis else ()
        self._work_names_re = (
            re.compile(rf"\b(?:{'|'.join(map(re.escape, self.work_names))})\b", re.IGNORECASE)
            if self.work_names
            else None
        )

    def _topic_hits_on_stop_stems(self, prose: str, tokens: Tokens) -> list[str]:
        """Topic words such as "theme", whose stem a stop word shares, matched when the
        word in the essay is not that stop word ("them")."""
        if not self._topic_stop_stems:
            return []
        return [
            self._topic_stems[term]
            for term, start, end in zip(tokens.terms, tokens.starts, tokens.ends, strict=True)
            if term in self._topic_stop_stems and _bare_word(prose[start:end]) not in STOPWORDS
        ]

    def _names_used(self, essay: Essay) -> set[str]:
        """The exemplar's `work_names` that the essay uses, in any case."""
        if self._work_names_re is None:
            return set()
        return {m.group().lower() for m in self._work_names_re.finditer(essay.prose)}

    def copying(self, essay: Essay) -> Copying:
        """What of `essay` is copied from the exemplar. The pipeline asks first, so that
        the structure check can leave the copied passages out."""
        tokens = tokenize(essay.prose, mask_quotes=True)
        evidence = copy_evidence(tokens.terms, self._exemplar_tokens.terms, self._exemplar_names)
        too_similar = evidence.score > self.target.too_similar_above
        listed = [
            p for p in evidence.passages if too_similar or p.matched >= self.target.copied_run_words
        ]
        return Copying(
            score=evidence.score,
            too_similar=too_similar,
            passages=tuple(self._copied_passage(essay, tokens, p) for p in listed),
            fraction=sum(p.a_end - p.a_start for p in listed) / len(tokens) if tokens else 0.0,
        )

    def run(
        self,
        essay: Essay,
        structure: StructureSummary | None = None,
        copying: Copying | None = None,
    ) -> CheckResult[SimilaritySummary]:
        """`structure`: the structure check's result for the essay, which the pipeline
        passes; without it, discussing the rubric's criteria is no evidence of topic.
        `copying`: `self.copying(essay)`, when the caller has it already."""
        target = self.target
        if copying is None:
            copying = self.copying(essay)
        too_similar = copying.too_similar
        all_tokens = tokenize(essay.prose)
        essay_terms = content_terms(all_tokens)
        overall = cosine(self._weights.vector(essay_terms), self._exemplar_vector)
        coverage = self._coverage(essay)
        topic_hits = [self._topic_stems[t] for t in essay_terms if t in self._topic_stems]
        stop_stem_hits = self._topic_hits_on_stop_stems(essay.prose, all_tokens)
        topic_hits += stop_stem_hits
        found = sorted(set(topic_hits))
        counted = len(essay_terms) + len(stop_stem_hits)
        topic_share = len(topic_hits) / counted if counted else 0.0
        on_genre = (
            len(found) >= target.topic_words_min_distinct
            and topic_share >= target.topic_words_min_share
        )
        task_levels = required_levels(structure) if structure is not None else None
        # an analysis of another story must name a work; other tasks have no work to name
        analyses = (
            task_levels is not None
            and does_the_task(*task_levels)
            and (self._story is None or about_a_work(essay))
        )
        flags = []
        if too_similar:
            flags.append("too_similar")
        # the genre's words with no story told ("the climax is the turning point of the
        # novel") are no analysis of another novel; an essay that calls its novel "the
        # book" but discusses its conflict, climax and resolution is one
        if overall < target.off_topic_below and not (
            (on_genre and (self._story is None or self._story.read(essay).tells_story)) or analyses
        ):
            flags.append("off_topic")
        elif self.work_names and len(self._names_used(essay)) < min(
            SAME_WORK_MIN_NAMES, len(self.work_names)
        ):
            flags.append("other_work")
        summary = SimilaritySummary(
            exemplar=overall,
            copy_score=copying.score,
            coverage=coverage,
            copied_passages=copying.passages,
            copied_fraction=copying.fraction,
            flags=tuple(flags),
            method=METHOD,
            topic_words_found=tuple(found),
            topic_words_share=topic_share,
            too_similar_above=target.too_similar_above,
            off_topic_below=target.off_topic_below,
        )
        findings = self._findings(essay, summary, found, on_genre, task_levels)
        return CheckResult("similarity", findings, summary)

    def _copied_passage(
        self, essay: Essay, tokens: Tokens, passage: AlignedPassage
    ) -> CopiedPassage:
        start, end = tokens.char_span(passage.a_start, passage.a_end)
        ex_start, ex_end = self._exemplar_tokens.char_span(passage.b_start, passage.b_end)
        return CopiedPassage(
            start=start,
            end=end,
            exemplar_start=ex_start,
            exemplar_end=ex_end,
            words=passage.matched,
            text=essay.text[start:end],
            exemplar_text=self.exemplar.essay.text[ex_start:ex_end],
        )

    def _coverage(self, essay: Essay) -> dict[str, float]:
        paragraph_vectors = [
            self._weights.vector(content_terms(tokenize(p.text))) for p in essay.paragraphs
        ]
        return {
            criterion_id: max((cosine(v, vector) for v in paragraph_vectors), default=0.0)
            for criterion_id, vector in self._criterion_vectors.items()
        }

    def _findings(
        self,
        essay: Essay,
        summary: SimilaritySummary,
        topic_found: list[str],
        on_genre: bool,
        task_levels: tuple[int, int] | None,
    ) -> tuple[Finding, ...]:
        findings = []
        exemplar_essay = self.exemplar.essay
        for passage in summary.copied_passages:
            where = _exemplar_place(exemplar_essay, passage.exemplar_start, passage.exemplar_end)
            findings.append(
                Finding(
                    "similarity",
                    "similarity.copied",
                    Severity.WARNING,
                    f"{passage.words} words match the exemplar ({where}): "
                    "put this in your own words, or quote and cite it; copied words earn "
                    "nothing for the rubric's criteria.",
                    Span(passage.start, passage.end),
                    category="similarity",
                    extra=(
                        ("exemplar_start", passage.exemplar_start),
                        ("exemplar_end", passage.exemplar_end),
                    ),
                )
            )
        if "too_similar" in summary.flags:
            passages = summary.copied_passages
            where = ", ".join(
                "{}:{}".format(*essay.line_col(p.start)) for p in passages[:MAX_NAMED_PASSAGES]
            )
            if len(passages) > MAX_NAMED_PASSAGES:
                where += f" and {len(passages) - MAX_NAMED_PASSAGES} more"
            findings.append(
                Finding(
                    "similarity",
                    "similarity.too_similar",
                    Severity.ERROR,
                    f"{summary.copy_score:.0%} of the essay is copied or closely paraphrased "
                    f"from the exemplar (limit {summary.too_similar_above:.0%}), in "
                    f"{plural(len(passages), 'passage')} at {where}: quote and cite what "
                    "you keep, and write the rest in your own words.",
                    category="similarity",
                    extra=(("copy_score", round(summary.copy_score, 4)),),
                )
            )
        if "off_topic" in summary.flags:
            used = ", ".join(topic_found) if topic_found else "none"
            why = (
                f"; it uses the genre's terms ({used}) but names no character, place or "
                "event of a story"
                if on_genre
                else f" and too few of the genre's terms (used: {used})"
            )
            if task_levels is not None and does_the_task(*task_levels):
                why += (
                    "; its structure reads as the task's, but it names no literary work or "
                    'its maker ("the novel", "the play", "the author", ...) or is told '
                    "in the first person"
                )
            elif task_levels is not None:
                levels, most = task_levels
                why += (
                    f", and the structure check finds too little of the required criteria "
                    f"(levels {levels} of {most}, {math.ceil(TASK_LEVEL_SHARE * most)} needed)"
                )
            value, minimum = below(summary.exemplar, summary.off_topic_below)
            findings.append(
                Finding(
                    "similarity",
                    "similarity.off_topic",
                    Severity.ERROR,
                    f"The essay looks off topic for “{self.rubric_name}”: similarity to the "
                    f"exemplar {value} (minimum {minimum}){why}.",
                    category="similarity",
                    extra=(("exemplar", round(summary.exemplar, 4)),),
                )
            )
        if "other_work" in summary.flags:
            names_used = self._names_used(essay)
            findings.append(
                Finding(
                    "similarity",
                    "similarity.other_work",
                    Severity.INFO,
                    f"The essay names {'only one' if names_used else 'none'} of the exemplar's "
                    f"characters, places and author ({', '.join(self.work_names)}), so it "
                    "seems to analyse another work: "
                    "the rubric's criteria are judged as for any story, but the similarity "
                    "figures compare it with an essay on a different book. If the "
                    "assignment was the exemplar's work, this essay is not on it.",
                    category="similarity",
                )
            )
        return tuple(findings)


def _exemplar_place(exemplar: Essay, start: int, end: int) -> str:
    """Where a copied passage is in the exemplar: "paragraph 3", "paragraphs 3–5", or
    its line when it starts outside a paragraph."""
    first = exemplar.paragraph_at(start)
    if first is None:
        return f"line {exemplar.line_col(start)[0]}"
    last = exemplar.paragraph_at(max(start, end - 1)) or first
    if last.index == first.index:
        return f"paragraph {first.index}"
    return f"paragraphs {first.index}–{last.index}"
