"""Scoring every paragraph against every rubric criterion, and reading the essay's order.

For paragraph p and criterion c the detector adds, as logits:

* the paragraph model's log-probability (TF-IDF n-grams with names masked, trained on
  labelled paragraphs about other novels), for criteria the model knows;
* a cue bonus when one of the criterion's rubric cues occurs in the paragraph
  (larger in its first sentence, where students announce a topic);
* a bonus for similarity to the exemplar's passage for c, relative to the other
  criteria, so a custom exemplar steers detection too;
* a soft position prior: each criterion's expected relative position in the essay
  (from `order`/`position` in the rubric) and a penalty for distance from it.

For a rubric with `story_analysis` (an analysis of a story), the model scores the
criteria whose ids it knows, and two gates apply: "other" gains logits when the model
finds the essay off topic, and an essay that tells no story (essaycoach.story: only the
vocabulary of talking about stories, or a few words repeated) matches no criterion at
all. Other rubrics' criteria are all scored without the model.

A softmax over the criteria plus "other" gives q[p, c]. A criterion's strength is
its best q; its evidence the best paragraph and the best sentence inside it.
Spans the caller excludes (passages copied from the exemplar) are blanked first, so
they earn no criterion anything and cannot be its evidence.
Order problems come from the paragraphs' confident labels: those outside the
longest in-order subsequence are out of place.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from essaycoach.essay import Essay
from essaycoach.exemplar import Exemplar
from essaycoach.rubric import Criterion, Rubric
from essaycoach.story import StoryReading, StoryVocabulary
from essaycoach.structure.model import ParagraphModel
from essaycoach.structure.text import find_names, ngram_counts, ngrams, tokenize
from essaycoach.words import words_of

OTHER = "other"
CUE_WEIGHT_FIRST_SENTENCE = 2.5
CUE_WEIGHT_ELSEWHERE = 1.2
EXEMPLAR_WEIGHT = 8.0
POSITION_WEIGHT = 2.5
MODEL_FLOOR = 1e-3  # log-probability floor, so one weak model score cannot veto cues
UNKNOWN_CRITERION_LOGIT = -2.0  # a model-free criterion's bias: a cue in the first sentence
# (+2.5) gives 0.62 ("met"), elsewhere (+1.2) 0.31 ("partial"), none 0.12 ("missing")
OTHER_PRIOR = 0.0
# Topic gate: literary essays average P(other) <= 0.25 per paragraph under the model; persuasive
# and narrative essays (ASAP fold 0 sample) 0.27-0.62. Above the centre, "other" gains
# TOPIC_GATE_WEIGHT logits per unit, so an essay that is not about a story finds no criteria.
TOPIC_GATE_CENTRE = 0.25
TOPIC_GATE_WEIGHT = 20.0


@dataclass(frozen=True)
class Analysis:
    """Probabilities over the criteria plus "other" (last column) for one essay.

    `paragraphs`: with the position prior (for status and evidence);
    `content`: without it (what each paragraph is about wherever it stands, for order);
    `sentences`: each sentence scored alone, placed at its paragraph's position;
    `story`: what each paragraph tells of a story (None: the rubric's task is no
    analysis of a story, `Rubric.story_analysis`);
    `model_free`: per criterion, whether the paragraph model leaves it out (its
    probability is an independent sigmoid, not a share of the softmax with "other");
    `own_text`: per paragraph row, its text with the excluded spans (passages copied
    from the exemplar) blanked, what the scores were computed on;
    `cue_share`: per paragraph row, the share of its own words inside rubric cues;
    `own_words`: per paragraph row, how many words its own text has (`words_of`).
    """

    criteria: tuple[str, ...]
    paragraphs: np.ndarray
    content: np.ndarray
    sentences: np.ndarray
    sentence_rows: np.ndarray  # paragraph row of each sentence
    story: StoryReading | None
    model_free: tuple[bool, ...] = ()
    own_text: tuple[str, ...] = ()
    cue_share: tuple[float, ...] = ()
    own_words: tuple[int, ...] = ()

    @property
    def body_last(self) -> int | None:
        """The row of the last paragraph with BODY_MIN_WORDS words of its own, the end
        of the essay's body: summary lines, a table or repeats after it are none of it
        (QA: a 3-row table after the conclusion made it a middle paragraph). None when
        no paragraph has that many."""
        return _body_last(self.own_words)

    @property
    def told(self) -> np.ndarray:
        """Per paragraph row: True unless the paragraph tells none of the story."""
        if self.story is None:
            return np.ones(len(self.paragraphs), dtype=bool)
        return np.array([not p.untold for p in self.story.paragraphs], dtype=bool)

    def label(self, row: int, content: bool = False) -> tuple[str, float]:
        """The criterion a paragraph is most about, or "other", with its probability.
        With no criterion the model knows, "other" is 1 everywhere (a softmax of one
        column) and no label: the criteria's own sigmoids decide."""
        table = self.content if content else self.paragraphs
        k = len(self.criteria)
        model_free = bool(self.model_free) and all(self.model_free)
        j = int(np.argmax(table[row, :k] if model_free else table[row]))
        name = self.criteria[j] if j < k else OTHER
        return name, float(table[row, j])


def expected_position(criterion: Criterion, orders: Sequence[int]) -> float:
    """0 = first paragraph, 1 = last: from `position` if set, else from `order`."""
    if criterion.position == "introduction":
        return 0.0
    if criterion.position == "conclusion":
        return 1.0
    ranked = sorted(o for o in orders if o > 0)
    if criterion.order <= 0 or len(ranked) < 2:
        return 0.5
    return ranked.index(criterion.order) / (len(ranked) - 1)


def cue_regex(cues_per_criterion: Sequence[Sequence[str]]) -> re.Pattern[str] | None:
    """One case-insensitive pattern; group "cN" matches a cue of the N-th criterion.

    A cue's words may be separated by any run of whitespace, as a hard-wrapped line
    break, a double space or masked Markdown ("**start** to change") separates them.
    """
    groups = []
    for j, cues in enumerate(cues_per_criterion):
        phrases = sorted(
            (r"\s+".join(map(re.escape, c.split())) for c in cues if c.strip()),
            key=len,
            reverse=True,
        )
        if phrases:
            groups.append(f"(?P<c{j}>{'|'.join(phrases)})")
    if not groups:
        return None
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(groups) + r")(?![A-Za-z])", re.I)


class Detector:
    """Holds what is fixed per rubric and exemplar; `score` runs per essay."""

    def __init__(self, rubric: Rubric, exemplar: Exemplar, model: ParagraphModel):
        self.rubric = rubric
        self.model = model
        self.criteria = tuple(c.id for c in rubric.criteria)
        orders = [c.order for c in rubric.criteria]
        self.positions = np.array([expected_position(c, orders) for c in rubric.criteria])
        self.has_position = np.array(
            [c.position != "any" or c.order > 0 for c in rubric.criteria], dtype=bool
        )
        self.cue_regex = cue_regex([c.cues for c in rubric.criteria])
        # the model was trained on analyses of stories: other tasks use cues and exemplar
        known = model.labels if rubric.story_analysis else ()
        self.model_columns = [known.index(cid) if cid in known else None for cid in self.criteria]
        self.other_column = known.index(OTHER) if OTHER in known else None
        self.model_free = tuple(
            cid for cid, col in zip(self.criteria, self.model_columns, strict=True) if col is None
        )
        names = find_names(exemplar.essay.prose)
        passages: list[np.ndarray | None] = []
        for cid in self.criteria:
            texts = exemplar.passages(cid)
            if texts:
                texts_counts = [ngram_counts(t, names) for t in texts]
                passages.append(self.model.space.matrix(texts_counts).toarray())
            else:
                passages.append(None)
        self.exemplar_passages = passages
        self.story = StoryVocabulary(rubric) if rubric.story_analysis else None

    def analyse(self, essay: Essay, excluded: Sequence[tuple[int, int]] = ()) -> Analysis:
        """Scores for every paragraph and sentence of `essay`. The `excluded` spans
        (start, end) in the essay's text count for nothing: a sentence or paragraph
        wholly inside them can be no criterion's evidence."""
        names = find_names(essay.prose)
        own = blank_spans(essay.prose, excluded)
        paragraphs = essay.paragraphs
        n, k = len(paragraphs), len(self.criteria)
        rows = {p.index: row for row, p in enumerate(paragraphs)}
        sentences = [s for s in essay.sentences if s.paragraph in rows]
        sentence_rows = np.array([rows[s.paragraph] for s in sentences], dtype=int)
        sentence_texts = [own[s.start : s.end] for s in sentences]
        # tokenize each sentence once; a paragraph's tokens are its sentences' tokens in order
        sentence_tokens = [tokenize(text, names) for text in sentence_texts]
        paragraph_tokens: list[list[str]] = [[] for _ in paragraphs]
        for row, tokens in zip(sentence_rows, sentence_tokens, strict=True):
            paragraph_tokens[row].extend(tokens)
        sentence_cues = self._cue_hits(sentence_texts)
        paragraph_cues = np.zeros((n, k))
        seen = np.zeros(n, dtype=bool)
        for i, row in enumerate(sentence_rows):
            weight = CUE_WEIGHT_ELSEWHERE if seen[row] else CUE_WEIGHT_FIRST_SENTENCE
            paragraph_cues[row] = np.maximum(paragraph_cues[row], sentence_cues[i] * weight)
            seen[row] = True
        headed = [row for row, p in enumerate(paragraphs) if p.heading]
        if headed:
            heading_cues = self._cue_hits([paragraphs[row].heading or "" for row in headed])
            paragraph_cues[headed] = np.maximum(
                paragraph_cues[headed], heading_cues * CUE_WEIGHT_FIRST_SENTENCE
            )
        base, model_other = self._logits(paragraph_tokens, paragraph_cues)
        off_topic = max(0.0, float(model_other.mean()) - TOPIC_GATE_CENTRE) if n else 0.0
        gate = TOPIC_GATE_WEIGHT * off_topic
        base[:, k] += gate
        sentence_logits, _ = self._logits(
            sentence_tokens, sentence_cues * CUE_WEIGHT_FIRST_SENTENCE
        )
        sentence_logits[:, k] += gate
        story = self.story.read(essay, names) if self.story is not None else None
        if story is not None and not story.tells_story:
            base[:, :k] = -np.inf
            sentence_logits[:, :k] = -np.inf
        if excluded:
            # what is left of a copied sentence or paragraph ("the song", a quoted title
            # between two copied passages) is no discussion of anything
            left = [own[p.start : p.end] for p in paragraphs]
            cut = [
                row
                for row, (p, text) in enumerate(zip(paragraphs, left, strict=True))
                if _mostly_copied(p.text, text)
            ]
            base[cut, :k] = -np.inf
            cut = [
                i
                for i, (s, text) in enumerate(zip(sentences, sentence_texts, strict=True))
                if _mostly_copied(s.text, text)
            ]
            sentence_logits[cut, :k] = -np.inf
        own_texts = [own[p.start : p.end] for p in paragraphs]
        own_words = tuple(len(words_of(text)) for text in own_texts)
        prior = self._position_prior(n, _body_last(own_words))
        with_prior = base.copy()
        with_prior[:, :k] += prior
        if len(sentences):
            sentence_logits[:, :k] += prior[sentence_rows]
        return Analysis(
            criteria=self.criteria,
            paragraphs=self._probabilities(with_prior),
            content=self._probabilities(base),
            sentences=self._probabilities(sentence_logits),
            sentence_rows=sentence_rows,
            story=story,
            model_free=tuple(column is None for column in self.model_columns),
            own_text=tuple(text.strip() for text in own_texts),
            cue_share=tuple(self._cue_share(text) for text in own_texts),
            own_words=own_words,
        )

    def _cue_share(self, text: str) -> float:
        """Share of the words of `text` inside the rubric's cue phrases."""
        words = len(text.split())
        if self.cue_regex is None or not words:
            return 0.0
        return sum(len(m.group(0).split()) for m in self.cue_regex.finditer(text)) / words

    def _logits(
        self, tokens: Sequence[list[str]], cue_bonus: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Logits without the position prior (model, cues, exemplar similarity),
        and the model's own P(other) per text."""
        vectors = self.model.space.matrix([Counter(ngrams(t)) for t in tokens])
        probs = self.model.probabilities(vectors)
        n, k = len(tokens), len(self.criteria)
        logits = np.zeros((n, k + 1))
        for j, column in enumerate([*self.model_columns, self.other_column]):
            if column is not None:
                logits[:, j] = np.log(np.maximum(probs[:, column], MODEL_FLOOR))
        if self.other_column is None:
            logits[:, k] = np.log(MODEL_FLOOR)
        logits[:, k] += OTHER_PRIOR
        logits[:, :k] += cue_bonus
        logits[:, :k] += EXEMPLAR_WEIGHT * self._exemplar_similarity(vectors)
        model_other = probs[:, self.other_column] if self.other_column is not None else np.zeros(n)
        return logits, model_other

    def _probabilities(self, logits: np.ndarray) -> np.ndarray:
        """Softmax over the model's criteria and "other"; an independent sigmoid for the
        criteria the model was not trained on (their logits hold only cues, similarity
        and position), so they can share a paragraph with a model criterion."""
        free = [j for j, column in enumerate(self.model_columns) if column is None]
        if not free:
            return softmax(logits)
        masked = logits.copy()
        masked[:, free] = -np.inf
        out = softmax(masked)
        out[:, free] = 1.0 / (1.0 + np.exp(-(logits[:, free] + UNKNOWN_CRITERION_LOGIT)))
        return out

    def _cue_hits(self, texts: Sequence[str]) -> np.ndarray:
        """1 where a criterion's cue occurs in the text (one combined pattern, one pass)."""
        out = np.zeros((len(texts), len(self.criteria)))
        if self.cue_regex is None:
            return out
        for i, text in enumerate(texts):
            for match in self.cue_regex.finditer(text):
                group = match.lastgroup  # every alternative is a named group, c0, c1, ...
                assert group is not None
                out[i, int(group[1:])] = 1.0
        return out

    def _exemplar_similarity(self, vectors: sparse.spmatrix) -> np.ndarray:
        """Cosine similarity to each criterion's exemplar passage, minus the row mean."""
        n, k = vectors.shape[0], len(self.criteria)
        sims = np.zeros((n, k))
        known = [j for j, p in enumerate(self.exemplar_passages) if p is not None]
        if not known or n == 0:
            return sims
        for j in known:
            passage = self.exemplar_passages[j]
            assert passage is not None
            sims[:, j] = (vectors @ passage.T).max(axis=1)
        mean = sims[:, known].mean(axis=1, keepdims=True)
        sims[:, known] -= mean
        return sims

    def _position_prior(self, n: int, last: int | None) -> np.ndarray:
        """Per paragraph row and criterion, the logit penalty for standing far from the
        criterion's expected place, for `n` paragraphs whose body ends at row `last`
        (`Analysis.body_last`; None: the last row): the rows after it stand at the end."""
        if last is None:
            last = n - 1
        if n <= 1:
            return np.zeros((max(n, 0), len(self.criteria)))
        relative = np.minimum(np.arange(n) / max(last, 1), 1.0)
        distance = np.abs(relative[:, None] - self.positions[None, :])
        return -POSITION_WEIGHT * distance * self.has_position[None, :]


MIN_OWN_WORDS = 5  # a sentence or paragraph cut by copied passages needs this many left
BODY_MIN_WORDS = 20  # a shorter paragraph is a label, a summary line or a table row


def _body_last(own_words: Sequence[int]) -> int | None:
    """The row of the last paragraph with BODY_MIN_WORDS words of its own (`own_words`:
    per row), or None: see `Analysis.body_last`."""
    body = [row for row, n in enumerate(own_words) if n >= BODY_MIN_WORDS]
    return body[-1] if body else None


def _mostly_copied(text: str, own: str) -> bool:
    """Whether copied passages, blanked in `own`, leave too little of `text`."""
    return own != text and len(own.split()) < MIN_OWN_WORDS


def blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` with the characters of `spans` (start, end) replaced by spaces, so offsets
    hold."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def softmax(logits: np.ndarray) -> np.ndarray:
    if logits.size == 0:
        return logits.copy()
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def longest_in_order(orders: Sequence[int]) -> set[int]:
    """Indices of a longest non-decreasing subsequence of `orders` (patience sorting)."""
    if not orders:
        return set()
    tails: list[int] = []  # index into orders of the smallest tail for each length
    previous = [-1] * len(orders)
    for i, value in enumerate(orders):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if orders[tails[mid]] <= value:
                lo = mid + 1
            else:
                hi = mid
        previous[i] = tails[lo - 1] if lo > 0 else -1
        if lo == len(tails):
            tails.append(i)
        else:
            tails[lo] = i
    kept: set[int] = set()
    i = tails[-1]
    while i != -1:
        kept.add(i)
        i = previous[i]
    return kept
