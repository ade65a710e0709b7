"""The 0-100 total from rubric weights, and the changes that would raise it most."""

from __future__ import annotations

from essaycoach.report import (
    GrammarSummary,
    Improvement,
    ReadabilitySummary,
    Score,
    SimilaritySummary,
    StructureSummary,
)
from essaycoach.rubric import Rubric

MAX_LEVEL = 4
IMPROVEMENTS_SHOWN = 3


def readability_fraction(summary: ReadabilitySummary) -> float:
    """1 inside the target band, falling linearly to 0 four grades outside it."""
    grade = summary.consensus_grade
    distance = max(summary.target_min - grade, grade - summary.target_max, 0.0)
    return max(0.0, 1.0 - distance / 4.0)


def grammar_fraction(summary: GrammarSummary) -> float:
    """1 at or under the target rate, falling linearly to 0 at three times the target."""
    target = max(summary.target_max_per_100_words, 0.1)
    excess = summary.issues_per_100_words - target
    return max(0.0, min(1.0, 1.0 - excess / (2 * target)))


def score_essay(
    rubric: Rubric,
    structure: StructureSummary,
    readability: ReadabilitySummary | None,
    grammar: GrammarSummary | None,
    similarity: SimilaritySummary | None,
) -> Score:
    weights = rubric.scoring
    total_weight = sum(c.weight for c in structure.criteria) or 1.0
    structure_fraction = (
        sum(c.weight * c.level / MAX_LEVEL for c in structure.criteria) / total_weight
    )
    components = {"structure": structure_fraction * weights.structure_weight}
    improvements: list[Improvement] = []
    for c in structure.criteria:
        if c.level < MAX_LEVEL:
            gain = weights.structure_weight * c.weight / total_weight * (MAX_LEVEL - c.level) / MAX_LEVEL
            place = c.evidence[0] if c.evidence else None
            improvements.append(
                Improvement(
                    message=f"{c.name}: {c.feedback}",
                    gain=gain,
                    start=place.start if place else None,
                    end=place.end if place else None,
                    criterion=c.id,
                )
            )
    if readability is not None:
        fraction = readability_fraction(readability)
        components["readability"] = fraction * weights.readability_weight
        if fraction < 1.0:
            hardest = readability.hardest_sentences[0] if readability.hardest_sentences else None
            if readability.verdict == "too_hard" and hardest:
                message = (
                    f"Readability: grade {readability.consensus_grade:.1f} is above the target "
                    f"{readability.target_min:g}-{readability.target_max:g}; split long sentences, "
                    "starting with this one."
                )
            else:
                message = (
                    f"Readability: grade {readability.consensus_grade:.1f} is below the target "
                    f"{readability.target_min:g}-{readability.target_max:g}; combine short sentences "
                    "and use precise vocabulary."
                )
            improvements.append(
                Improvement(
                    message=message,
                    gain=(1 - fraction) * weights.readability_weight,
                    start=hardest.start if hardest and readability.verdict == "too_hard" else None,
                    end=hardest.end if hardest and readability.verdict == "too_hard" else None,
                )
            )
    if grammar is not None and grammar.engine != "off":
        fraction = grammar_fraction(grammar)
        components["grammar"] = fraction * weights.grammar_weight
        if fraction < 1.0 and grammar.issues:
            first = grammar.issues[0]
            improvements.append(
                Improvement(
                    message=(
                        f"Grammar and spelling: {len(grammar.issues)} issues "
                        f"({grammar.issues_per_100_words:.1f} per 100 words, target "
                        f"{grammar.target_max_per_100_words:g}); the first is at line "
                        f"{first.line}: {first.message}"
                    ),
                    gain=(1 - fraction) * weights.grammar_weight,
                    start=first.start,
                    end=first.end,
                )
            )
    available = weights.structure_weight
    available += weights.readability_weight if "readability" in components else 0.0
    available += weights.grammar_weight if "grammar" in components else 0.0
    total = 100.0 * sum(components.values()) / available if available else 0.0
    if similarity is not None and "off_topic" in similarity.flags:
        total = min(total, weights.off_topic_cap)
    improvements.sort(key=lambda i: -i.gain)
    scale = 100.0 / available if available else 0.0
    top = tuple(
        Improvement(i.message, i.gain * scale, i.start, i.end, i.criterion)
        for i in improvements[:IMPROVEMENTS_SHOWN]
    )
    return Score(total=total, components=components, improvements=top)
