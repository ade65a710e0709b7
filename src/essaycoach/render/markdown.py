"""Markdown: the same content as the terminal report, for files, wikis and PR comments.

Essay text is escaped so it cannot inject Markdown or HTML into the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from essaycoach.render.base import (
    PREDICTION_HEADING,
    VERDICT_LABELS,
    Renderer,
    components_text,
    cue_only_note,
    essay_size,
    grammar_recall_note,
    level_text,
    location,
    other_findings,
    prediction_text,
    quote,
    readability_measures,
    report_title,
    review_text,
    score_text,
    suggestions,
)
from essaycoach.report import Report
from essaycoach.wording import plural

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")
# GitHub turns "https://..." and "www...." in text into links (its autolink extension);
# an escaped ":" or "." keeps them text. (An e-mail address stays a mailto: link: no
# escape breaks that.) GitHub starts one after anything but an ASCII letter ("_www.",
# "1https://", "Ωhttps://", CJK text), so a word boundary is not the test.
_AUTOLINK_START = re.compile(r"(?i)(?<![a-z])(?:(?:https?|ftp)(?=://)|www(?=\.))")


def escape_markdown(text: str) -> str:
    """Text shown literally in Markdown: backslash-escape markup, entity-escape & and <."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _AUTOLINK_START.sub(r"\g<0>\\", text)  # a backslash before its ":" or "."
    return " ".join(text.split())  # newlines would end a table row or list item


class MarkdownRenderer(Renderer):
    name = "markdown"
    extension = "md"

    def render(self, reports: Sequence[Report]) -> str:
        return "\n\n---\n\n".join(self._report(r) for r in reports) + "\n"

    def _report(self, report: Report) -> str:
        e = escape_markdown
        out: list[str] = [f"# essaycoach report: {e(report_title(report))}", ""]
        out.append(f"Rubric: {e(report.rubric_name)} · {essay_size(report)}")
        out.append("")
        if report.judged:
            parts = components_text(report)
            out.append(f"**Score: {score_text(report)}** ({parts})")
        else:
            out.append("**Not judged.** This essay could not be judged, so it has no score:")
            out.append("")
            out.extend(f"- {e(reason)}" for reason in report.not_judged_reasons)
        calibration = report.calibration
        if calibration is not None:
            out += ["", f"## {PREDICTION_HEADING}", "", f"**{e(prediction_text(calibration))}**"]
            out += ["", e(review_text(calibration)) + (":" if calibration.needs_review else "")]
            if calibration.needs_review:
                out.append("")
                out.extend(f"- {e(reason)}" for reason in calibration.review_reasons)
        if report.criteria:
            out += ["", "## Rubric criteria", ""]
            out.append("| Criterion | Required | Status | Level | Confidence | Feedback |")
            out.append("|---|---|---|---|---|---|")
            for c in report.criteria:
                feedback = e(c.feedback)
                if c.descriptor:
                    feedback = f"*Level {c.level}: {e(c.descriptor)}* {feedback}"
                out.append(
                    f"| {e(c.name)} | {'yes' if c.required else 'no'} | {c.status} "
                    f"| {level_text(c)} | {c.confidence:.2f} | {feedback} |"
                )
            evidence = [(c, ev) for c in report.criteria for ev in c.evidence[:2]]
            if evidence:
                out += ["", "Evidence:", ""]
                out.extend(
                    f"- {e(c.name)}, {location(report, ev.start)}: "
                    f"“{e(quote(report, ev.start, ev.end))}”"
                    for c, ev in evidence
                )
            if note := cue_only_note(report):
                out += ["", f"*Note:* {e(note)}"]
        if report.structure and report.structure.order_problems:
            out += ["", "## Order", ""]
            out.extend(f"- {e(p)}" for p in report.structure.order_problems)
        if report.score.improvements:
            out += ["", "## What would raise this score", ""]
            for n, imp in enumerate(report.score.improvements, 1):
                where = f" (at {location(report, imp.start)})" if imp.start is not None else ""
                out.append(f"{n}. {e(imp.message)} — about +{imp.gain:.1f} points{where}")
        r = report.readability
        if r is not None:
            out += ["", "## Readability", ""]
            out.append(
                f"Grade {r.consensus_grade:.1f} against a target of "
                f"{r.target_min:g}–{r.target_max:g}: "
                f"**{VERDICT_LABELS.get(r.verdict, r.verdict)}**."
            )
            out += ["", "| Measure | Value |", "|---|---|"]
            for label, value in readability_measures(r):
                out.append(f"| {label} | {value:.1f} |")
            if r.hardest_sentences:
                out += ["", "Hardest sentences:", ""]
                out.extend(
                    f"- {location(report, s.start)}, grade {s.grade:.1f}: "
                    f"“{e(quote(report, s.start, s.end))}”"
                    for s in r.hardest_sentences
                )
        g = report.grammar
        if g is not None:
            out += ["", "## Grammar and spelling", ""]
            if g.engine == "off":
                out.append("Not checked (grammar engine off).")
            else:
                out.append(
                    f"{plural(len(g.issues), 'issue')}, {g.issues_per_100_words:.1f} per 100 words "
                    f"(target at most {g.target_max_per_100_words:g}), checked with {e(g.engine)}."
                )
            if g.notice:
                out += ["", f"> {e(g.notice)}"]
            if recall := grammar_recall_note(report):
                out += ["", f"> {e(recall)}"]
            if g.issues:
                out += ["", "| Where | Text | Issue | Suggestion | Rule |", "|---|---|---|---|---|"]
                for i in g.issues:
                    out.append(
                        f"| {i.line}:{i.column} | “{e(quote(report, i.start, i.end, 40))}” "
                        f"| {e(i.message)} "
                        f"| {e(suggestions(i.replacements))} | {e(i.rule)} |"
                    )
        s = report.similarity
        if s is not None:
            out += ["", "## Similarity to the exemplar", ""]
            flags = ", ".join(s.flags) if s.flags else "none"
            out.append(
                f"Similarity {s.exemplar:.2f}, copy score {s.copy_score:.2f} "
                f"({s.copy_score:.0%} of the essay in passages that match the exemplar); "
                f"flags: {e(flags)}."
            )
            if s.copied_passages:
                out += ["", "Copied passages:", ""]
                out.extend(
                    f"- {location(report, p.start)}, {p.words} words: "
                    f"“{e(quote(report, p.start, p.end))}”"
                    for p in s.copied_passages
                )
        findings = other_findings(report)
        if findings:
            out += ["", "## Other findings", ""]
            for f in findings:
                where = f"{location(report, f.span.start)} " if f.span else ""
                out.append(f"- {where}**{f.severity.value}**: {e(f.message)} (`{f.code}`)")
        return "\n".join(out)
