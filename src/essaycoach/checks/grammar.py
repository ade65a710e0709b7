"""The grammar check: a grammar engine run on the essay's prose, findings mapped to the text."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from essaycoach.checks.base import CheckResult
from essaycoach.essay import Essay
from essaycoach.findings import Finding, Severity, Span
from essaycoach.grammar.base import GrammarEngine, GrammarIssue
from essaycoach.grammar.harper_engine import mla_ellipses_joined
from essaycoach.grammar.merge import merge_issues
from essaycoach.grammar.rules import ERROR_CATEGORIES, rule_matches
from essaycoach.masking import ENTITY_RE
from essaycoach.report import GrammarIssueOut, GrammarSummary
from essaycoach.rubric import Rubric
from essaycoach.structure.text import find_names, words_with_initial_flag
from essaycoach.textsim import quotations

MAX_SUGGESTIONS = 5

_POSSESSIVE_RE = re.compile(r"[’']s$", re.I)
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?"


class GrammarCheck:
    """Runs one grammar engine (or none, for ``--grammar off``) over each essay.

    The engine is opened by `grammar.select.open_engine` (once per run) and handed
    in; `notice` explains the engine choice in the report. Accepted words (the
    rubric's, plus `accept_words` and the engine's own list) are never reported as
    misspellings, even if an engine flags them, nor as anything else when written as
    accepted (a confusion rule's "Whit" -> "with"), nor are the essay's own names used
    twice or more (one used once is reported when the engine suggests a word one
    edit away: `essay_names`); the rubric's disabled rules and categories are dropped.
    """

    id = "grammar"

    def __init__(
        self,
        rubric: Rubric,
        engine: GrammarEngine | None,
        notice: str = "",
        accept_words: Iterable[str] = (),
    ):
        self.engine = engine
        self.notice = notice
        target = rubric.targets.grammar
        self.target_max = target.max_issues_per_100_words
        self.disabled_rules = tuple(target.disabled_rules)
        self.disabled_categories = frozenset(c.lower() for c in target.disabled_categories)
        words = [*rubric.accept_words, *accept_words, *getattr(engine, "accept_words", ())]
        self.accepted = frozenset(_word_key(w) for w in words if w.strip())
        self.accepted_as_written = frozenset(w.strip() for w in words if w.strip())

    def run(self, essay: Essay) -> CheckResult[GrammarSummary]:
        if self.engine is None:
            summary = GrammarSummary("off", (), 0.0, self.target_max, {}, self.notice)
            return CheckResult(self.id, (), summary)
        names = essay_names(essay, self.accepted)
        quoted = quotations(essay.text)
        titles = italic_titles(essay)
        issues = [
            i for i in self.essay_issues(essay) if self._wanted(i, essay, names, quoted, titles)
        ]
        outs = tuple(_issue_out(issue, essay) for issue in issues)
        words = essay.word_count
        summary = GrammarSummary(
            engine=self.engine.name,
            issues=outs,
            issues_per_100_words=100.0 * len(outs) / words if words else 0.0,
            target_max_per_100_words=self.target_max,
            categories=dict(sorted(Counter(i.category for i in issues).items())),
            notice=self.notice,
        )
        findings = tuple(_finding(issue) for issue in issues)
        return CheckResult(self.id, findings, summary)

    def essay_issues(self, essay: Essay) -> list[GrammarIssue]:
        """The engine's issues on the essay's prose, offsets mapped into `essay.text`."""
        assert self.engine is not None
        checked, starts, ends = composed(*compact_prose(essay))
        # MLA ellipses (". . .") as one ellipsis, for every engine: Harper and LanguageTool
        # both read each spaced dot as a full stop (same length, so the offsets hold)
        checked = mla_ellipses_joined(checked)
        # two engines' flags are merged after placing: a flag whose suggestion a span
        # over markup takes away must not win over one that still has its suggestion
        check_each = getattr(self.engine, "check_each", None)
        groups = check_each(checked) if check_each else [self.engine.check(checked)]
        placed = []
        for group in groups:
            mapped = []
            for issue in group:
                start, end = _map_span(issue.start, issue.end, starts, ends, len(essay.text))
                mapped.append(_placed(issue, start, end, essay))
            placed.append(mapped)
        issues = merge_issues(placed) if check_each else placed[0]
        return sorted(set(issues), key=lambda i: (i.start, i.end, i.engine, i.rule))

    def _wanted(
        self,
        issue: GrammarIssue,
        essay: Essay,
        names: dict[str, int],
        quoted: Sequence[tuple[int, int]],
        titles: Sequence[tuple[int, int]],
    ) -> bool:
        if rule_matches(issue.rule, issue.engine, self.disabled_rules):
            return False
        if issue.category.lower() in self.disabled_categories:
            return False
        if issue.category != "spelling":
            # an accepted word as written is no confusion either (QA: "Whit", a character
            # the rubric accepts, was "Did you mean 'with'?"); "whit" for "Whit" still is
            flagged = essay.text[issue.start : issue.end].strip()
            recased = any(r != flagged and r.lower() == flagged.lower() for r in issue.replacements)
            # ...but a capital it lacks still is ("carer is the job" starting a sentence)
            return recased or flagged not in self.accepted_as_written
        # a quotation's spelling is its author's ("live off the fatta the lan'")
        if any(start <= issue.start and issue.end <= end for start, end in quoted):
            return False
        # a title's capitalised words are its own ("*Klara and the Sun*")
        if essay.text[issue.start : issue.start + 1].isupper() and any(
            start <= issue.start and issue.end <= end for start, end in titles
        ):
            return False
        word = _word_key(essay.text[issue.start : issue.end])
        if word in self.accepted or names.get(word, 0) >= NAME_MIN_USES:
            return False
        if self._family_plural(essay, issue, word, names):
            return False
        # used once, a name is told from a misspelling by the engine's suggestions: one
        # edit away, the word is a known word misspelt ("Augost" -> "August")
        return word not in names or any(
            _one_edit_apart(word, r.lower()) or word == r.lower() for r in issue.replacements
        )

    def _family_plural(
        self, essay: Essay, issue: GrammarIssue, word: str, names: dict[str, int]
    ) -> bool:
        """Whether the flagged word is the plural of a name the essay uses, as a family's
        ("the Buchanans", "the Buchanans' house"; QA: "Did you mean Buchanan's?"): it
        is capitalised, follows "the", and its singular is a name the essay uses or an
        accepted word. Without "the", "Lennies' puppy" is one person's, misspelt."""
        text = essay.text
        if not (text[issue.start : issue.start + 1].isupper() and word.endswith("s")):
            return False
        singulars = [word[:-1], *([word[:-2]] if word.endswith("es") else [])]
        if not any(s in names or s in self.accepted for s in singulars):
            return False
        return text[max(0, issue.start - 4) : issue.start].lower() == "the "


NAME_MIN_USES = 2
TITLE_MAX_WORDS = 12
# Markdown italics: one "*" or "_" each side, not "**" or "__", nor "_" inside a word
_ITALIC_RE = re.compile(
    r"(?<![*\\])\*(?![*\s])[^*\n]+?(?<![\s*\\])\*(?!\*)"
    r"|(?<![\w\\])_(?![_\s])[^_\n]+?(?<![\s_])_(?!\w)"
)


def italic_titles(essay: Essay) -> list[tuple[int, int]]:
    """Spans of the essay's Markdown italics that read as titles: starting with a
    capital, at most TITLE_MAX_WORDS words, both marks masked as markup, and not one
    word opening a sentence ("*Definately*, she ...": emphasis, and still checked)."""
    text, prose = essay.text, essay.prose
    if text == prose:
        return []
    spans = []
    for m in _ITALIC_RE.finditer(text):
        start, end = m.span()
        inner = prose[start + 1 : end - 1]
        if (
            prose[start] != text[start]
            and prose[end - 1] != text[end - 1]
            and inner[:1].isupper()
            and len(inner.split()) <= TITLE_MAX_WORDS
            and not (len(inner.split()) == 1 and _opens_a_sentence(text, start))
        ):
            spans.append((start + 1, end - 1))
    return spans


def _opens_a_sentence(text: str, start: int) -> bool:
    """Whether only blanks, quotation marks and markup stand between `start` and the
    text's start or the end of the sentence before."""
    before = text[:start].rstrip(" \t\n\"'“‘#>*_-")
    return not before or before[-1] in ".!?"


def essay_names(essay: Essay, accepted: frozenset[str]) -> dict[str, int]:
    """The essay's own names, lower case, with how often it uses them: words it
    capitalises mid-sentence and never writes in lower case (`find_names`).

    Spell checkers flag a name they do not know at every use ("Lennie" 20 times in an
    essay on Of Mice and Men). A name used NAME_MIN_USES times or more is never a
    misspelling; one used once is, when the engine suggests a word one edit away
    (`GrammarCheck._wanted`). A word one edit from an accepted word is left out: it
    is a known name misspelt ("Hailshem" for the exemplar's "Hailsham"). A name
    misspelt the same way every time is not caught.
    """
    # composed, as the flagged words are (`_word_key`): "José" may be "Jose" + U+0301
    prose = unicodedata.normalize("NFC", essay.prose)
    uses: Counter[str] = Counter()
    lower: set[str] = set()
    for word, _initial in words_with_initial_flag(prose, any_letters=True):
        if word[0].islower():
            lower.add(word.lower())
        # names often start sentences ("Atticus tells Scout ..."): those uses count, as
        # find_names asks for one mid-sentence; in capitals throughout a word is
        # shouted, not named ("CHOOSEN")
        elif not (len(word) > 1 and word.isupper()):
            uses[word.lower()] += 1
    near = _by_length(accepted | lower)
    return {
        name: uses[name]
        for name in find_names(prose, any_letters=True)
        if uses[name]
        and name not in accepted
        # a known name misspelt, or a common word of the essay misspelt with a capital
        # ("Fisch" beside "fish")
        and not any(
            _one_edit_apart(name, word)
            for length in (len(name) - 1, len(name), len(name) + 1)
            for word in near.get(length, ())
        )
    }


def _by_length(words: Iterable[str]) -> dict[int, list[str]]:
    """Words by their length: a word one edit away is at most one letter longer or shorter."""
    groups: dict[int, list[str]] = {}
    for word in words:
        groups.setdefault(len(word), []).append(word)
    return groups


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter substituted, inserted, deleted, or two adjacent letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def compact_prose(essay: Essay) -> tuple[str, list[int]]:
    """The prose without layout blanks, and the text offset of each kept character.

    Blanks at the start or end of a line are layout (indented paragraphs), not
    errors; engines flag them ("French spaces" before an indented paragraph), so
    they are left out. `Essay.prose` masks Markdown with spaces of equal length
    ("**bold**," becomes "  bold  ,"): a run of blanks that contains masked
    characters becomes nothing where the text has no space there (markup inside a
    word, "doesn&#8217;t" or "<i>Hamlet</i>'s", or against punctuation, "**bold**,"),
    one space where it separates two words (a block or line-break tag, "<br>", does)
    and nothing otherwise (before punctuation); other runs are kept as typed. Plain text
    without layout blanks is returned unchanged.
    """
    text, prose = essay.text, essay.prose
    if text == prose and not _LAYOUT_BLANKS.search(prose):
        return prose, list(range(len(prose)))
    out: list[str] = []
    positions: list[int] = []
    i, n = 0, len(prose)
    while i < n:
        if prose[i] not in _BLANKS:
            out.append(prose[i])
            positions.append(i)
            i += 1
            continue
        run_start = i
        while i < n and prose[i] in _BLANKS:
            i += 1
        if not out or out[-1] == "\n" or i == n or prose[i] == "\n":
            continue
        if prose[run_start:i] == text[run_start:i]:
            out.append(prose[run_start:i])
            positions.extend(range(run_start, i))
            continue
        masked = text[run_start:i]
        if not any(c.isspace() for c in masked) and not _BLOCK_TAG_RE.search(masked):
            # markup inside a word or against its punctuation: "doesn&#8217;t",
            # "<i>Hamlet</i>'s"; a tag of a block or a line break parts words
            continue
        before, after = out[-1], prose[i]
        if before not in _OPENERS and not before.isspace() and after not in _CLOSERS:
            out.append(" ")
            positions.append(run_start)
    return "".join(out), positions


_BLANKS = frozenset(" \t")
# an HTML tag that is not one of the inline ones, which sit inside a word's text
_BLOCK_TAG_RE = re.compile(
    r"<(?!/?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small"
    r"|span|strong|sub|sup|time|u|var)\b)",
    re.I,
)
_LAYOUT_BLANKS = re.compile(r"^[ \t]|[ \t]$", re.MULTILINE)
_OPENERS = frozenset("([{“‘\n")
_CLOSERS = frozenset(",.;:!?)]}”’…\n")


def composed(text: str, positions: list[int]) -> tuple[str, list[int], list[int]]:
    """`text` in NFC, with each character's start and end offset in the essay.

    Engines read a decomposed "nai" + U+0308 + "ve" (macOS file names, text pasted
    from some PDFs) as two misspelled words. A composed character spans every
    character it was made from, so a span never cuts an accent off its letter.
    """
    ends = [p + 1 for p in positions]
    if unicodedata.is_normalized("NFC", text):
        return text, positions, ends
    out: list[str] = []
    starts: list[int] = []
    stops: list[int] = []
    for i, j in _composition_units(text):
        piece = unicodedata.normalize("NFC", text[i:j])
        out.append(piece)
        if piece == text[i:j]:
            starts += positions[i:j]
            stops += ends[i:j]
        else:
            starts += [positions[i]] * len(piece)
            stops += [ends[j - 1]] * len(piece)
    return "".join(out), starts, stops


def _composition_units(text: str) -> list[tuple[int, int]]:
    """Index ranges that NFC never composes across: a starter and the combining marks
    after it, joined with the next when the two compose (Hangul jamo)."""
    bounds = [0, *(k for k in range(1, len(text)) if not unicodedata.combining(text[k]))]
    bounds.append(len(text))
    units: list[tuple[int, int]] = []
    for i, j in itertools.pairwise(bounds):
        if units:
            before = text[units[-1][0] : i]
            together = unicodedata.normalize("NFC", before + text[i:j])
            apart = unicodedata.normalize("NFC", before) + unicodedata.normalize("NFC", text[i:j])
            if together != apart:
                units[-1] = (units[-1][0], j)
                continue
        units.append((i, j))
    return units


def _map_span(
    start: int, end: int, starts: list[int], ends: list[int], text_length: int
) -> tuple[int, int]:
    first = starts[start] if start < len(starts) else text_length
    if end <= start:
        return first, first
    return first, ends[end - 1] if end - 1 < len(ends) else text_length


def _placed(issue: GrammarIssue, start: int, end: int, essay: Essay) -> GrammarIssue:
    """`issue` at `start:end` of the essay's text, each suggestion once. A span that
    takes in masked markup ("the **the**" read as "the the") keeps no suggestion:
    put in its place, "the" would delete the markup with the word. An HTML entity
    inside the span ("it&#39;s") is a character, replaced with the rest."""
    start, end = _around_entities(essay, start, end)
    replacements = () if _takes_in_markup(essay, start, end) else issue.replacements
    replacements = tuple(dict.fromkeys(replacements))
    return GrammarIssue(
        start, end, issue.message, issue.rule, issue.category, replacements, issue.engine
    )


def _around_entities(essay: Essay, start: int, end: int) -> tuple[int, int]:
    """`start:end` widened to take in whole any entity whose character it starts or
    ends on (its character stands in the entity's first place)."""
    text, prose = essay.text, essay.prose
    if text == prose:
        return start, end
    for m in ENTITY_RE.finditer(text, max(0, start - _ENTITY_MAX), end + _ENTITY_MAX):
        if prose[m.end() - 1] != text[m.end() - 1]:  # read as its character
            if m.start() < start < m.end():
                start = m.start()
            if m.start() < end < m.end():
                end = m.end()
    return start, end


_ENTITY_MAX = 40  # characters of the longest entity ENTITY_RE matches, and more


def _takes_in_markup(essay: Essay, start: int, end: int) -> bool:
    text, prose = essay.text, essay.prose
    if text[start:end] == prose[start:end]:
        return False
    entities = {k for m in ENTITY_RE.finditer(text, start, end) for k in range(*m.span())}
    return any(text[k] != prose[k] and k not in entities for k in range(start, end))


def _word_key(word: str) -> str:
    word = unicodedata.normalize("NFC", word)
    return _POSSESSIVE_RE.sub("", word.strip().strip(_EDGE_PUNCT)).lower()


def severity_of(category: str) -> Severity:
    return Severity.WARNING if category in ERROR_CATEGORIES else Severity.INFO


def _issue_out(issue: GrammarIssue, essay: Essay) -> GrammarIssueOut:
    line, column = essay.line_col(issue.start)
    return GrammarIssueOut(
        start=issue.start,
        end=issue.end,
        line=line,
        column=column,
        text=essay.text[issue.start : issue.end],
        message=issue.message,
        rule=issue.rule,
        category=issue.category,
        replacements=issue.replacements[:MAX_SUGGESTIONS],
        engine=issue.engine,
    )


def _finding(issue: GrammarIssue) -> Finding:
    return Finding(
        check="grammar",
        code=f"grammar.{issue.engine}.{issue.rule}",
        severity=severity_of(issue.category),
        message=issue.message,
        span=Span(issue.start, issue.end),
        suggestions=issue.replacements[:MAX_SUGGESTIONS],
        category=issue.category,
    )
