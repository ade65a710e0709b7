"""`--grammar both`: two engines' findings merged, overlapping flags deduplicated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, wait

from essaycoach.grammar.base import GrammarEngine, GrammarIssue
from essaycoach.grammar.rules import HARPER_LEFT_TO_LANGUAGETOOL

#: How much a category tells the writer: a named grammar or spelling error beats
#: a punctuation or casing note, which beats style or typography advice.
CATEGORY_RANK = {
    "spelling": 2,
    "grammar": 2,
    "punctuation": 1,
    "capitalization": 1,
    "typography": 0,
    "style": 0,
}

#: Precision of each engine's flags on FCE train with the shipped rule lists (the first
#: 1,000 essays, issue 3's scoring), from `bench/lt_tune` and `bench/grammar --tune`; the
#: tie-breaker between two equally specific flags.
ENGINE_PRECISION = {"harper": 0.895, "languagetool": 0.915}

#: Rules whose flags `BothEngine` drops, per engine: Harper's rules for errors
#: LanguageTool flags more precisely (see rules.HARPER_LEFT_TO_LANGUAGETOOL).
BOTH_SKIPPED_RULES: Mapping[str, frozenset[str]] = {
    "harper": frozenset(HARPER_LEFT_TO_LANGUAGETOOL)
}


def kept_though_skipped(issue: GrammarIssue) -> bool:
    """A flag of a skipped rule that `merge_both` keeps: Harper's PronounVerbAgreement
    offering the third-person -s ("she stand" -> "stands", "she look" -> "looks").

    LanguageTool misses some of these (QA: "Every day she stand by the fence"), and a
    flag it does catch overlaps Harper's, so only one of the two is kept. The rule's
    other flags stay left to LanguageTool: on FCE train (first 1,000 essays), of the
    Harper flags of this rule no LanguageTool flag overlapped, 1 was on a gold edit and
    6 were not (past tenses such as "she learnt", "you has been" after a gerund). A verb
    whose past tense is its base form ("He beat the record") is not kept.
    """
    return (
        issue.engine == "harper"
        and issue.rule == "PronounVerbAgreement"
        and any(
            r.endswith("s")
            and 1 <= len(r) - (issue.end - issue.start) <= 2
            and r[: issue.end - issue.start].lower() not in SAME_IN_THE_PAST
            for r in issue.replacements
        )
    )


#: Verbs whose past tense is their base form: "He beat the record" is no missing -s
#: (Harper asked for "beats" in GMEG's Wikipedia sentences).
_SAME_IN_THE_PAST_WORDS = (
    "beat bet bid broadcast burst cast cost cut fit forecast hit hurt let put quit read "
    "rid set shed shut slit split spread thrust upset wet"
)
SAME_IN_THE_PAST = frozenset(_SAME_IN_THE_PAST_WORDS.split())


def issue_quality(issue: GrammarIssue, precision: Mapping[str, float] = ENGINE_PRECISION) -> tuple:
    """Sort key, higher is better: has a replacement, specific category, precise engine."""
    return (
        bool(issue.replacements),
        CATEGORY_RANK.get(issue.category, 1),
        precision.get(issue.engine, 0.0),
        -(issue.end - issue.start),
    )


def spans_overlap(a: GrammarIssue, b: GrammarIssue) -> bool:
    """Overlap of half-open spans; an empty span (an insertion point) touching the other counts."""
    if a.start == a.end or b.start == b.end:
        return a.start <= b.end and b.start <= a.end
    return a.start < b.end and b.start < a.end


def merge_issues(
    groups: Iterable[list[GrammarIssue]], precision: Mapping[str, float] = ENGINE_PRECISION
) -> list[GrammarIssue]:
    """One list from several engines' issues.

    Where flags from different engines overlap, only the better one (`issue_quality`)
    is kept. Overlapping flags from the same engine are left alone: that engine
    already decided they are distinct.
    """
    candidates = [issue for group in groups for issue in group]
    candidates.sort(key=lambda i: issue_quality(i, precision), reverse=True)
    kept: list[GrammarIssue] = []
    for issue in candidates:
        if any(k.engine != issue.engine and spans_overlap(k, issue) for k in kept):
            continue
        kept.append(issue)
    kept.sort(key=lambda i: (i.start, i.end, i.engine, i.rule))
    return kept


def without_skipped(
    groups: Iterable[list[GrammarIssue]],
    skipped_rules: Mapping[str, frozenset[str]] = BOTH_SKIPPED_RULES,
) -> list[list[GrammarIssue]]:
    """Each engine's flags without its skipped rules (but for `kept_though_skipped`)."""
    return [
        [
            i
            for i in group
            if i.rule not in skipped_rules.get(i.engine, ()) or kept_though_skipped(i)
        ]
        for group in groups
    ]


def merge_both(
    groups: Iterable[list[GrammarIssue]],
    skipped_rules: Mapping[str, frozenset[str]] = BOTH_SKIPPED_RULES,
) -> list[GrammarIssue]:
    """What `--grammar both` reports: each engine's flags without its skipped rules, merged."""
    return merge_issues(without_skipped(groups, skipped_rules))


class BothEngine:
    """Two engines run on the same text, their findings merged by `merge_both`.

    The second engine checks in a helper thread while the first checks in the
    caller's: both wait on a server (LanguageTool over HTTP, the warm Harper server
    over a socket) or release the GIL, so a check takes the longer of the two times
    rather than their sum.
    """

    name = "both"

    def __init__(
        self,
        first: GrammarEngine,
        second: GrammarEngine,
        skipped_rules: Mapping[str, frozenset[str]] = BOTH_SKIPPED_RULES,
    ):
        self.engines = (first, second)
        self.skipped_rules = skipped_rules
        self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grammar-both")

    @property
    def accept_words(self) -> tuple[str, ...]:
        words = {w for engine in self.engines for w in getattr(engine, "accept_words", ())}
        return tuple(sorted(words))

    def check(self, text: str) -> list[GrammarIssue]:
        return merge_issues(self.check_each(text))

    def check_each(self, text: str) -> list[list[GrammarIssue]]:
        """Each engine's issues without its skipped rules, not yet merged: the grammar
        check merges them once it knows which suggestions it can offer."""
        first, second = self.engines
        pending = self._helper.submit(second.check, text)
        try:
            first_issues = first.check(text)
        except BaseException:
            wait([pending])  # the helper finishes before the first engine's error goes up
            raise
        return without_skipped([first_issues, pending.result()], self.skipped_rules)

    def close(self) -> None:
        self._helper.shutdown(wait=True)
        errors = []
        for engine in self.engines:
            try:
                engine.close()
            except Exception as exc:  # close both even if the first fails
                errors.append(exc)
        if errors:
            raise errors[0]
