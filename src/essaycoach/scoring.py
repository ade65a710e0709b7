"""The 0-100 total from rubric weights, and the changes that would raise it most."""

from __future__ import annotations

from collections.abc import Sequence

from essaycoach.essay import Essay, Paragraph
from essaycoach.findings import Finding
from essaycoach.report import (
    GrammarSummary,
    Improvement,
    ReadabilitySummary,
    Score,
    SimilaritySummary,
    Status,
    StructureSummary,
)
from essaycoach.rubric import MAX_LEVEL, Rubric
from essaycoach.wording import plural

IMPROVEMENTS_SHOWN = 3
ORDER_PROBLEMS_COUNTED = 3


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


def expected_paragraph(
    essay: Essay, rubric: Rubric, structure: StructureSummary, criterion_id: str
) -> Paragraph:
    """Where a missing criterion belongs: by its rubric position, else after its predecessor."""
    paragraphs = essay.paragraphs
    criterion = rubric.criterion(criterion_id)
    if criterion.position == "introduction":
        return paragraphs[0]
    if criterion.position == "conclusion":
        return paragraphs[-1]
    found = {c.id: c for c in structure.criteria if c.evidence}
    # where each predecessor is discussed: its strongest evidence, except for one that
    # belongs in the introduction (QA: a thesis restated in the conclusion sent the
    # inciting incident to "around paragraph 6", after the climax; the earliest
    # evidence instead took an introduction's one-line preview of a plot step)
    # (criteria of the same order may come either side: QA's missing conflict "belonged
    # around paragraph 5 of 6", after an inciting incident discussed late)
    before = [
        paragraphs[0].index if c.position == "introduction" else found[c.id].evidence[0].paragraph
        for c in rubric.criteria
        if c.id in found and 0 < c.order < criterion.order
    ]
    index = max(before, default=1)
    return paragraphs[min(index, len(paragraphs) - 1)]  # the paragraph after `index`


def score_essay(
    essay: Essay,
    rubric: Rubric,
    structure: StructureSummary,
    readability: ReadabilitySummary | None,
    grammar: GrammarSummary | None,
    similarity: SimilaritySummary | None,
    structure_findings: Sequence[Finding] = (),
    own_words: StructureSummary | None = None,
) -> Score:
    """The total and its components. `own_words`: the structure check's result with the
    passages copied from the exemplar left out; each criterion earns the lower of its
    two levels, and the points copied passages would have earned are part of the
    `copied` component (unless the rubric's `copy_deduction` is 0: copying left to the
    teacher)."""
    weights = rubric.scoring
    total_weight = sum(c.weight for c in structure.criteria) or 1.0
    structure_fraction = (
        sum(c.weight * c.level / MAX_LEVEL for c in structure.criteria) / total_weight
    )
    components = {"structure": structure_fraction * weights.structure_weight}
    copied_credit = 0.0  # structure points that only copied passages earn
    if own_words is not None and weights.copy_deduction:
        own_level = {c.id: c.level for c in own_words.criteria}
        copied_credit = (
            sum(
                c.weight * max(0, c.level - own_level[c.id]) / MAX_LEVEL for c in structure.criteria
            )
            / total_weight
            * weights.structure_weight
        )
    improvements: list[Improvement] = []
    for c in structure.criteria:
        if c.level < MAX_LEVEL:
            missing_levels = (MAX_LEVEL - c.level) / MAX_LEVEL
            gain = weights.structure_weight * c.weight / total_weight * missing_levels
            if c.evidence:
                start, end = c.evidence[0].start, c.evidence[0].end
                if c.status == Status.MET:  # the "met" feedback praises; say what level 4 asks
                    descriptor = rubric.level_descriptor(rubric.criterion(c.id), MAX_LEVEL)
                    message = f"{c.name} (level {c.level} of {MAX_LEVEL}): develop it further"
                    if descriptor:  # a rubric may describe no levels
                        message += f'; level {MAX_LEVEL} is "{descriptor}"'

                else:
                    message = f"{c.name}: {c.feedback}"
            else:
                para = expected_paragraph(essay, rubric, structure, c.id)
                start, end = para.start, para.end
                message = f"{c.name}: {c.feedback} (it belongs around paragraph {para.index})"
            improvements.append(Improvement(message, gain, start, end, criterion=c.id))
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
                    f"{readability.target_min:g}-{readability.target_max:g}; combine short "
                    "sentences and use precise vocabulary."
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
            first_issue = grammar.issues[0]
            improvements.append(
                Improvement(
                    message=(
                        f"Grammar and spelling: {plural(len(grammar.issues), 'issue')} "
                        f"({grammar.issues_per_100_words:.1f} per 100 words, target "
                        f"{grammar.target_max_per_100_words:g}); the first is at line "
                        f"{first_issue.line}: {first_issue.message}"
                    ),
                    gain=(1 - fraction) * weights.grammar_weight,
                    start=first_issue.start,
                    end=first_issue.end,
                )
            )
    weight_of = {
        "structure": weights.structure_weight,
        "readability": weights.readability_weight,
        "grammar": weights.grammar_weight,
    }
    available = sum(weight_of[name] for name in components)
    # without a component (grammar off) the others are scaled up to a 0-100 total, and
    # the components are shown on that scale, so they add up to the total
    scale = 100.0 / available if available else 0.0
    components = {name: points * scale for name, points in components.items()}
    maxima = {name: weight_of[name] * scale for name in components}
    total = sum(components.values())
    order_problems = [f for f in structure_findings if f.code == "structure.order"]
    if order_problems:
        counted = min(len(order_problems), ORDER_PROBLEMS_COUNTED)
        penalty = min(total, weights.order_penalty * counted)
        components["order"] = -penalty
        total -= penalty
        first = order_problems[0]
        improvements.append(
            Improvement(
                message=f"Order: {first.message}",
                gain=penalty * available / 100.0,
                start=first.span.start if first.span else None,
                end=first.span.end if first.span else None,
            )
        )
    too_similar = similarity is not None and "too_similar" in similarity.flags
    if similarity is not None and weights.copy_deduction and (too_similar or copied_credit):
        # first what copied passages earned the criteria, then the copy score's share
        # of what is left
        deduction = min(total, copied_credit * scale)
        if too_similar:
            share = min(similarity.copy_score, 1.0) * weights.copy_deduction
            deduction += (total - deduction) * share
            message = (
                f"Copying: {similarity.copy_score:.0%} of the essay is copied or closely "
                "paraphrased from the exemplar, and only your own words count; write "
                "those passages in your own words."
            )
        else:
            message = (
                "Copying: the passages copied from the exemplar earn nothing for the "
                "rubric's criteria; make those points in your own words."
            )
        components["copied"] = -deduction
        total -= deduction
        first_passage = similarity.copied_passages[0] if similarity.copied_passages else None
        improvements.append(
            Improvement(
                message=message,
                gain=deduction * available / 100.0,
                start=first_passage.start if first_passage else None,
                end=first_passage.end if first_passage else None,
            )
        )
    if similarity is not None and "off_topic" in similarity.flags and total > weights.off_topic_cap:
        capped = total - weights.off_topic_cap
        components["off_topic"] = -capped  # so the components still add up to the total
        total = weights.off_topic_cap
        improvements.append(
            Improvement(
                message=(
                    f"Topic: the essay reads as off topic for this rubric, which caps its "
                    f"score at {weights.off_topic_cap:g} (the similarity finding says why); "
                    f"address what it asks for: {_required_names(rubric)}."
                ),
                gain=capped * available / 100.0,
                start=None,
                end=None,
            )
        )
    improvements.sort(key=lambda i: -i.gain)
    top = tuple(
        Improvement(i.message, i.gain * scale, i.start, i.end, i.criterion)
        for i in improvements[:IMPROVEMENTS_SHOWN]
    )
    return Score(total=total, components=components, improvements=top, maxima=maxima)


def _required_names(rubric: Rubric) -> str:
    """The rubric's required criteria (all of them if it requires none), lower case, as
    a list in a sentence."""
    names = [c.name.lower() for c in rubric.criteria if c.required]
    names = names or [c.name.lower() for c in rubric.criteria]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
