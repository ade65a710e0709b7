"""Rule and category data for the grammar engines and the grammar check.

Each engine names its own categories; the report uses normalised ones: spelling,
grammar, punctuation, capitalization, typography, style (LanguageTool's mapping is
in grammar/languagetool.py). The tuned rule lists at the bottom come from
`bench/grammar --tune` (see docs/grammar.md for the figures).
"""

from __future__ import annotations

from collections.abc import Iterable

from essaycoach.resources import bundled_data
from essaycoach.word_lists import parse_word_list

#: Categories a student should fix; the others are advice.
ERROR_CATEGORIES = frozenset({"spelling", "grammar", "punctuation", "capitalization"})

# Harper's `Lint.lint_kind` keys (harper-core's LintKind) -> normalised category.
_HARPER_KINDS = {
    "Spelling": "spelling",
    "Typo": "spelling",
    "BoundaryError": "spelling",
    "Eggcorn": "grammar",
    "Malapropism": "grammar",
    "Grammar": "grammar",
    "Agreement": "grammar",
    "Usage": "grammar",
    "WordChoice": "grammar",
    "Nonstandard": "grammar",
    "Miscellaneous": "grammar",
    "Punctuation": "punctuation",
    "Capitalization": "capitalization",
    "Formatting": "typography",
    "Style": "style",
    "Readability": "style",
    "Enhancement": "style",
    "Redundancy": "style",
    "Repetition": "style",
    "Regionalism": "style",
}


def harper_category(lint_kind: str) -> str:
    """Normalised category of a Harper lint kind; unknown kinds count as grammar."""
    return _HARPER_KINDS.get(lint_kind, "grammar")


def rule_matches(rule: str, engine: str, names: Iterable[str]) -> bool:
    """True when `rule` is listed in `names` as "Rule" or "engine.Rule" (case-insensitive)."""
    wanted = {name.lower() for name in names}
    return rule.lower() in wanted or f"{engine}.{rule}".lower() in wanted


# --- tuned rule lists ---------------------------------------------------------------

#: Harper rules switched off by default. Two kinds of reason:
#: - off the essay brief: LongSentences marks a whole sentence (the readability check
#:   already reports the hardest sentences, and a sentence-long span "overlaps" a gold
#:   correction by chance, which would inflate measured precision);
#: - derived on FCE train (2,116 essays, 401,003 words, runs of spaces collapsed) by
#:   `bench/grammar --tune`: rules with at least 5 flags of which under 50% overlapped
#:   a gold correction, dropped greedily (lowest precision first) while F0.5 on train
#:   rose. Train: P 0.737 R 0.224 F0.5 0.506 -> P 0.843 R 0.218 F0.5 0.536. The effect
#:   on FCE dev is in docs/grammar.md.
HARPER_TUNED_RULES: tuple[str, ...] = (
    "AvoidAndAlso",
    "AvoidCurses",
    "CondenseAllThe",
    "CurrencyPlacement",
    "DiscourseMarkers",
    "EllipsisLength",
    "Excellent",
    "HowTo",
    "MissingPreposition",
    "MissingTo",
    "ModalBeAdjective",
    "NumericRangeEnDash",
    "OkToOkay",
    "OrthographicConsistency",
    "OxfordComma",
    "ProgressiveNeedsBe",
    "PronounKnew",
    "RedundantThat",
    "Regionalisms",
    "RepeatedWords",
    "Starving",
    "ThereToTheir",
    "Therein",
    "ThisTypeOfThing",
    "UnclosedQuotes",
    "UseEllipsisCharacter",
    "YourPredicateAdjective",
)


#: Harper rules that flagged nothing, with every default rule on, in the 2,116 FCE train
#: essays (learners) nor in 1,947 ASAP training essays (US students): 619 of 905
#: (`bench/grammar --write-unused-harper-rules`). Harper runs every enabled rule on every
#: sentence, so they cost most of its time and found nothing; docs/grammar.md has the
#: effect on FCE dev and on speed.
HARPER_UNUSED_RULES: tuple[str, ...] = parse_word_list(
    bundled_data("grammar", "harper-unused-rules.txt").read_text(encoding="utf-8")
)

HARPER_DISABLED_RULES: tuple[str, ...] = (
    "LongSentences",
    *HARPER_TUNED_RULES,
    *HARPER_UNUSED_RULES,
)

#: Harper rules left to LanguageTool under `--grammar both` (and `auto`, which runs both;
#: `merge.BothEngine` drops their flags): rules for errors LanguageTool already flags,
#: where the two engines' flags land on the same words and Harper's are the less precise
#: (its speller: 0.82 on train, LanguageTool's 0.91). Derived by `bench/lt_tune --both`:
#: coordinate ascent over Harper's rules, LanguageTool as shipped, on FCE train (the first
#: 1,000 essays, issue 3's scoring): train F0.5 of the merged flags 0.665 -> 0.675.
HARPER_LEFT_TO_LANGUAGETOOL: tuple[str, ...] = (
    "AnA",
    "CommaFixes",
    "CompoundNouns",
    "DisjointPrefixes",
    "ItsPossessive",
    "NounVerbConfusion",
    "PronounVerbAgreement",
    "SentenceCapitalization",
    "SpellCheck",
    "ToTwoToo",
)

# LanguageTool's default-disabled rules live beside its engine:
# essaycoach.grammar.languagetool.DEFAULT_DISABLED_RULES (derived on FCE train).
