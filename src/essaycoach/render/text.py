"""The student-facing terminal report: colour on a TTY, plain text otherwise."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import click

from essaycoach.render.base import (
    PREDICTION_HEADING,
    VERDICT_LABELS,
    Renderer,
    components_text,
    cue_only_note,
    essay_size,
    grammar_recall_note,
    location,
    other_findings,
    prediction_text,
    quote,
    report_title,
    review_text,
    score_text,
    suggestions,
)
from essaycoach.report import ReadabilitySummary, Report, Status
from essaycoach.rubric import MAX_LEVEL
from essaycoach.wording import plural

STATUS_COLOURS = {Status.MET: "green", Status.PARTIAL: "yellow", Status.MISSING: "red"}
SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
SCALE_MAX_GRADE = 20.0
SCALE_CHARS = 40


class TextRenderer(Renderer):
    name = "text"
    extension = "txt"

    def render(self, reports: Sequence[Report]) -> str:
        return "\n\n".join(self._report(r) for r in reports) + "\n"

    def _style(self, text: str, **style: Any) -> str:
        return click.style(text, **style) if self.options.color else text

    def _heading(self, text: str) -> str:
        return self._style(text, bold=True)

    def _report(self, report: Report) -> str:
        lines: list[str] = []
        title, rubric = report_title(report), f"({report.rubric_name})"
        if len(title) + 2 + len(rubric) <= self.options.width:
            lines.append(self._style(title, bold=True) + "  " + rubric)
        else:  # a long path: the rubric under it
            lines += [self._style(title, bold=True), "  " + rubric]
        lines.append(essay_size(report))
        lines.append("")
        if report.judged:
            total = score_text(report)
            parts = components_text(report)
            lines.append(self._heading("Score: ") + self._style(total, bold=True) + f"  ({parts})")
        else:
            not_judged = self._style("not judged", fg="yellow", bold=True)
            lines.append(self._heading("Score: ") + not_judged)
            lines.append("This essay could not be judged, so it has no score:")
            lines.extend(self._wrapped(reason, "  - ") for reason in report.not_judged_reasons)
        for section in (
            self._calibration,
            self._criteria,
            self._improvements,
            self._readability,
            self._grammar,
            self._similarity,
            self._other_findings,
        ):
            block = section(report)
            if block:
                lines.append("")
                lines.extend(block)
        return "\n".join(lines)

    def _wrapped(self, text: str, first: str, rest: str | None = None) -> str:
        rest = " " * len(first) if rest is None else rest
        return textwrap.fill(
            text,
            self.options.width,
            initial_indent=first,
            subsequent_indent=rest,
            break_on_hyphens=False,
        )

    def _calibration(self, report: Report) -> list[str]:
        c = report.calibration
        if c is None:
            return []
        lines = [self._heading(PREDICTION_HEADING + ": ") + prediction_text(c)]
        if c.needs_review:
            lines.append(self._style(review_text(c) + ":", fg="yellow"))
            lines.extend(self._wrapped(reason, "  - ") for reason in c.review_reasons)
        else:
            lines.append(review_text(c))
        return lines

    def _criteria(self, report: Report) -> list[str]:
        if not report.criteria:
            return []
        name_width = max(len(c.name) for c in report.criteria)
        lines = [self._heading("Rubric criteria")]
        lines.append(f"  {'criterion':<{name_width}}  required  status   level  confidence")
        for c in report.criteria:
            status = self._style(f"{c.status:<7}", fg=STATUS_COLOURS.get(c.status))
            required = "yes" if c.required else "no"
            lines.append(
                f"  {c.name:<{name_width}}  {required:<8}  {status}  "
                f"{c.level}/{MAX_LEVEL}    {c.confidence:.2f}"
            )
            if c.own_level is not None:
                lines.append(
                    self._wrapped(
                        f"Own words {c.own_level}/{MAX_LEVEL}: the level the score counts, "
                        "since what meets it is copied from the exemplar.",
                        "      ",
                    )
                )
            if c.descriptor:
                lines.append(self._wrapped(f"Level {c.level}: {c.descriptor}", "      "))
            if c.feedback:
                lines.append(self._wrapped(c.feedback, "      "))
            for ev in c.evidence[:2]:
                where = location(report, ev.start)
                lines.append(
                    self._wrapped(
                        f'{where} "{quote(report, ev.start, ev.end, 70)}"', "      evidence "
                    )
                )
        note = cue_only_note(report)
        if note:
            lines.append(self._wrapped(note, "  Note: ", "  "))
        order = report.structure.order_problems if report.structure else ()
        if order:
            lines.append("")
            lines.append(self._heading("Order"))
            lines.extend(self._wrapped(p, "  - ") for p in order)
        return lines

    def _improvements(self, report: Report) -> list[str]:
        if not report.score.improvements:
            return []
        lines = [self._heading("What would raise this score")]
        for n, imp in enumerate(report.score.improvements, 1):
            where = f" [at {location(report, imp.start)}]" if imp.start is not None else ""
            text = f"{imp.message} (about +{imp.gain:.1f} points){where}"
            lines.append(self._wrapped(text, f"  {n}. "))
        return lines

    def _readability(self, report: Report) -> list[str]:
        r = report.readability
        if r is None:
            return []
        verdict = VERDICT_LABELS.get(r.verdict, r.verdict)
        colour = "green" if r.verdict == "in_band" else "yellow"
        lines = [self._heading("Readability")]
        lines.append(
            f"  grade {r.consensus_grade:.1f}, target {r.target_min:g}-{r.target_max:g}: "
            + self._style(verdict, fg=colour)
        )
        picture = self._band_picture(r)
        if len(picture) + 2 <= self.options.width:
            lines.append("  " + picture)
        else:  # the legend under the scale, in a narrow terminal
            scale, legend = picture.split("   ", 1)
            lines += ["  " + scale, "  " + legend]
        formulas = (
            f"Flesch reading ease {r.flesch_reading_ease:.1f}, "
            f"Flesch-Kincaid {r.flesch_kincaid_grade:.1f}, "
            f"Gunning fog {r.gunning_fog:.1f}, SMOG {r.smog_index:.1f}, "
            f"Coleman-Liau {r.coleman_liau_index:.1f}, Dale-Chall {r.dale_chall:.1f}"
        )
        lines.append(self._wrapped(formulas, "  "))
        lines.append(
            f"  sentence length {r.sentence_length_mean:.1f} words on average "
            f"(standard deviation {r.sentence_length_stdev:.1f})"
        )
        if r.hardest_sentences:
            lines.append("  hardest sentences:")
            for s in r.hardest_sentences:
                lines.append(
                    self._wrapped(
                        f"{location(report, s.start)} grade {s.grade:.1f}: "
                        f'"{quote(report, s.start, s.end, 70)}"',
                        "    ",
                    )
                )
        return lines

    def _band_picture(self, r: ReadabilitySummary) -> str:
        """A one-line scale of grades 0-20: the target band as '=', the essay as '^'."""

        def column(grade: float) -> int:
            clamped = min(max(grade, 0.0), SCALE_MAX_GRADE)
            return min(SCALE_CHARS - 1, round(clamped / SCALE_MAX_GRADE * (SCALE_CHARS - 1)))

        cells = ["-"] * SCALE_CHARS
        for i in range(column(r.target_min), column(r.target_max) + 1):
            cells[i] = "="
        cells[column(r.consensus_grade)] = "^"
        return f"grade 0 |{''.join(cells)}| {SCALE_MAX_GRADE:g}+   (= target, ^ this essay)"

    def _grammar(self, report: Report) -> list[str]:
        g = report.grammar
        if g is None:
            return []
        lines = [self._heading("Grammar and spelling")]
        if g.engine == "off":
            lines.append("  not checked (grammar engine off)")
        else:
            lines.append(
                f"  {plural(len(g.issues), 'issue')} ({g.issues_per_100_words:.1f} per 100 words, "
                "target at most "
                f"{g.target_max_per_100_words:g}), checked with {g.engine}"
            )
        if g.notice:
            lines.append(self._wrapped(f"note: {g.notice}", "  "))
        if recall := grammar_recall_note(report):
            lines.append(self._wrapped(f"note: {recall}", "  "))
        for issue in g.issues:
            suggestion = f" -> {suggestions(issue.replacements)}" if issue.replacements else ""
            where = self._style(f"{issue.line}:{issue.column}", bold=True)
            lines.append(
                self._wrapped(
                    f'"{quote(report, issue.start, issue.end, 40)}" {issue.message}{suggestion} '
                    f"[{issue.rule}]",
                    f"  {where}  ",
                    " " * (6 + len(f"{issue.line}:{issue.column}")),
                )
            )
        return lines

    def _similarity(self, report: Report) -> list[str]:
        s = report.similarity
        if s is None:
            return []
        lines = [self._heading("Similarity to the exemplar")]
        flags = ", ".join(s.flags) if s.flags else "none"
        lines.append(
            self._wrapped(
                f"similarity {s.exemplar:.2f}, copy score {s.copy_score:.2f} ({s.copy_score:.0%} "
                "of the essay in passages that match the exemplar)",
                "  ",
            )
        )
        lines.append(f"  flags: {flags}")
        for p in s.copied_passages:
            lines.append(
                self._wrapped(
                    f"{location(report, p.start)} {p.words} words copied: "
                    f'"{quote(report, p.start, p.end, 70)}"',
                    "  - ",
                )
            )
        return lines

    def _other_findings(self, report: Report) -> list[str]:
        findings = other_findings(report)
        if not findings:
            return []
        lines = [self._heading("Other findings")]
        for f in findings:
            where = f"{location(report, f.span.start)} " if f.span else ""
            severity = self._style(f.severity.value, fg=SEVERITY_COLOURS[f.severity.value])
            lines.append(self._wrapped(f"{where}{severity}: {f.message} [{f.code}]", "  - "))
        return lines
