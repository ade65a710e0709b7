"""HTML: one self-contained, offline page per run, with the essay highlighted.

Everything is inline (CSS, JS, the readability picture as SVG); the page makes no
network request. Student text is always escaped: `html.escape` in markup, and
`<`, `>`, `&` written as \\u escapes in the JSON the script reads. A Content
Security Policy allows only this module's own script and style (by hash), so even
markup that slipped through could not run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from essaycoach import __version__
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
    suggestions_label,
)
from essaycoach.report import ReadabilitySummary, Report
from essaycoach.rubric import MAX_LEVEL
from essaycoach.wording import plural

KIND_LABELS = {
    "grammar": "Grammar and spelling",
    "hard": "Hard sentences",
    "copied": "Copied passages",
    "evidence": "Criterion evidence",
    "finding": "Other findings",
}
SHOWN_BY_DEFAULT = ("grammar", "hard", "copied", "finding")
ALWAYS_SHOWN = ("improve",)  # no checkbox: always highlighted
# what a screen reader hears about a highlight besides its words (aria-describedby)
KIND_DESCRIPTIONS = {
    "grammar": "Grammar or spelling issue.",
    "hard": "Hard sentence.",
    "copied": "Copied from the exemplar.",
    "evidence": "Criterion evidence.",
    "finding": "Other finding.",
    "improve": "What would raise this score.",
}
SCALE_MAX_GRADE = 20.0

CSS = """
:root { --ink: #1d2430; --muted: #5b6472; --line: #d8dde5; --paper: #fff; --bg: #f4f6f9;
  --met: #1f7a3a; --partial: #9a6200; --missing: #b3261e; --accent: #2457c5; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--ink); background: var(--bg); }
header.page { background: var(--ink); color: #fff; padding: 12px 24px; }
header.page h1 { margin: 0; font-size: 18px; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
section.report { background: var(--paper); border: 1px solid var(--line); border-radius: 8px;
  padding: 20px 24px; margin: 16px 0; }
h2 { margin: 0 0 4px; font-size: 20px; word-break: break-all; }
h3 { margin: 20px 0 8px; font-size: 16px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.score { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
.score .total { font-size: 40px; font-weight: 700; }
.score .parts { color: var(--muted); }
.notice { border-left: 4px solid var(--partial); background: #fff7e6; padding: 8px 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px;
  border-bottom: 1px solid var(--line); }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
.status { font-weight: 700; }
.status-met { color: var(--met); } .status-partial { color: var(--partial); }
.status-missing { color: var(--missing); }
.descriptor { color: var(--muted); font-style: italic; display: block; }
button { font: inherit; font-size: 13px; border: 1px solid var(--line); background: #eef2f8;
  border-radius: 4px; padding: 2px 8px; cursor: pointer; }
button:hover { background: #dfe7f3; }
.columns { display: grid; grid-template-columns: minmax(0, 2fr) minmax(260px, 1fr); gap: 20px; }
@media (max-width: 800px) { .columns { grid-template-columns: 1fr; } }
.essay { white-space: pre-wrap; overflow-wrap: anywhere;
  font: 16px/1.7 Georgia, "Times New Roman", serif;
  border: 1px solid var(--line); border-radius: 6px; padding: 16px; background: #fffdf8; }
.toggles { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 0 8px; font-size: 13px; }
.toggles label { display: inline-flex; gap: 4px; align-items: center; }
.swatch { display: inline-block; width: 14px; height: 12px; border-radius: 2px; }
.seg { cursor: pointer; border-radius: 2px; color: inherit; background: none;
  -webkit-box-decoration-break: clone; box-decoration-break: clone;
  --cue-hard: 0 0 transparent; --cue-copied: 0 0 transparent;
  --cue-evidence-l: 0 0 transparent; --cue-evidence-r: 0 0 transparent;
  box-shadow: var(--cue-hard), var(--cue-copied), var(--cue-evidence-l), var(--cue-evidence-r); }
.show-hard .k-hard { background-color: #fff1b8; --cue-hard: inset 0 -3px 0 #8a5a00; }
.show-copied .k-copied { background-color: #ead9ff; --cue-copied: inset 0 3px 0 #6b3fb0; }
.show-evidence .k-evidence { background-color: #d7f0dd; --cue-evidence-l: inset 3px 0 0 #1f7a3a;
  --cue-evidence-r: inset -3px 0 0 #1f7a3a; }
.show-finding .k-finding { border-bottom: 2px dotted #2457c5; }
.k-improve { border-top: 2px dashed #0f6b6b; }
.show-grammar .k-grammar { text-decoration: underline wavy #d93025;
  text-decoration-skip-ink: none; }
.seg:focus-visible { outline: 3px solid var(--accent); outline-offset: 1px; }
.seg.active { outline: 2px solid var(--accent); background-color: #cfe0ff; }
.swatch-grammar { border-bottom: 3px solid #d93025; }
.swatch-hard { background: #fff1b8; border-bottom: 3px solid #8a5a00; }
.swatch-copied { background: #ead9ff; border-top: 3px solid #6b3fb0; }
.swatch-evidence { background: #d7f0dd; border-left: 3px solid #1f7a3a;
  border-right: 3px solid #1f7a3a; }
.swatch-finding { border-bottom: 2px dotted #2457c5; }
.swatch-improve { border-top: 2px dashed #0f6b6b; }
.legend-only { display: inline-flex; gap: 4px; align-items: center; }
.table-scroll { overflow-x: auto; max-width: 100%; }
.table-scroll:focus-visible { outline: 3px solid var(--accent); }
table.criteria tbody th { font-size: inherit; color: inherit; }
html:not(.js) .js-only, html:not(.js) .toggles input, html:not(.js) .off-by-default,
html:not(.js) aside.details, html:not(.js) button[data-show],
html:not(.js) .evidence-col { display: none; }
html:not(.js) .columns { display: block; }
aside.details { position: sticky; top: 8px; align-self: start; border: 1px solid var(--line);
  border-radius: 6px; padding: 12px; background: #fbfcfe; min-height: 80px; }
aside.details .hint { color: var(--muted); }
.detail { border-left: 4px solid var(--accent); padding: 4px 8px; margin: 0 0 10px; }
.detail p { margin: 2px 0; }
.detail-grammar { border-color: #d93025; } .detail-hard { border-color: #d4a900; }
.detail-copied { border-color: #8a4fd8; } .detail-evidence { border-color: #2f9e55; }
ol.improvements li { margin: 0 0 6px; }
.gain { color: var(--met); font-weight: 600; }
svg.band { max-width: 620px; width: 100%; height: auto; }
.muted { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; text-align: center; }
@media print {
  body { background: #fff; }
  header.page { background: none; color: var(--ink); border-bottom: 2px solid var(--ink);
    padding: 0 0 4px; }
  main { padding: 0; max-width: none; }
  section.report { border: 0; padding: 0; margin: 0 0 24px; }
  button, .toggles input, aside.details, .js-only, .evidence-col { display: none !important; }
  .toggles label:has(input:not(:checked)) { display: none; }  /* kinds not printed */
  .columns { display: block; }
  .table-scroll { overflow: visible; }
  details > summary { list-style: none; font-weight: 600; }
  .seg { -webkit-print-color-adjust: exact; print-color-adjust: exact; cursor: auto; }
  .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .seg.active { outline: 0; }
}
@media print {
  details::details-content { content-visibility: visible; display: block; }
}
"""

JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("essaycoach-data").textContent);
  function reportOf(node) {
    var section = node.closest("section.report");
    return section ? Number(section.getAttribute("data-report")) : -1;
  }
  function clearActive(section) {
    section.querySelectorAll(".seg.active").forEach(function (s) { s.classList.remove("active"); });
  }
  function showDetails(reportIndex, ids) {
    var panel = document.getElementById("details-" + reportIndex);
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    ids.forEach(function (id) {
      var note = data.reports[reportIndex][id];
      if (!note) { return; }
      var item = document.createElement("div");
      item.className = "detail detail-" + note.kind;
      var title = document.createElement("strong");
      title.textContent = note.label;
      item.appendChild(title);
      note.lines.forEach(function (line) {
        var p = document.createElement("p");
        p.textContent = line;
        item.appendChild(p);
      });
      panel.appendChild(item);
    });
  }
  function highlight(reportIndex, ids) {
    var section = document.querySelector('section.report[data-report="' + reportIndex + '"]');
    var first = null;
    clearActive(section);
    section.querySelectorAll(".seg").forEach(function (seg) {
      var own = seg.getAttribute("data-ann").split(" ");
      if (own.some(function (id) { return ids.indexOf(id) >= 0; })) {
        seg.classList.add("active");
        if (!first) { first = seg; }
      }
    });
    if (first) { first.scrollIntoView({block: "center"}); }
    showDetails(reportIndex, ids);
  }
  var kindNames = data.kinds;
  function shownKinds(seg) {
    var essay = seg.closest(".essay");
    var shown = [];
    seg.classList.forEach(function (c) {
      if (c.indexOf("k-") !== 0) { return; }
      var kind = c.slice(2);
      if (kind === "improve" || (essay && essay.classList.contains("show-" + kind))) {
        shown.push(kind);
      }
    });
    return shown;
  }
  function sync(essay) {
    // only highlights that can be seen are focusable and announced as highlights
    essay.querySelectorAll(".seg").forEach(function (seg) {
      var shown = shownKinds(seg);
      if (shown.length) {
        seg.setAttribute("tabindex", "0");
        seg.setAttribute("aria-describedby", shown.map(function (k) {
          return "kind-" + k;
        }).concat(["kind-help"]).join(" "));
        seg.removeAttribute("role");
      } else {
        seg.removeAttribute("tabindex");
        seg.removeAttribute("aria-describedby");
        seg.setAttribute("role", "presentation");
        seg.classList.remove("active");  // nothing looks picked that cannot be reached
      }
    });
  }
  function setShown(essay, kind, on) {
    essay.classList.toggle("show-" + kind, on);
    var box = document.querySelector('input[data-toggle="' + kind + '"][data-essay="' +
      essay.id + '"]');
    if (box) { box.checked = on; }
    sync(essay);
    var panel = document.getElementById("details-" + reportOf(essay));
    var described = panel ? panel.querySelectorAll(".detail-" + kind) : [];
    if (!on && described.length) {  // the picked passages were of the kind switched off
      described.forEach(function (d) { d.remove(); });
      clearActive(essay.closest("section.report"));
    }
  }
  function activate(target) {
    var seg = target.closest(".seg");
    if (seg) {
      var r = reportOf(seg);
      var section = seg.closest("section.report");
      clearActive(section);
      seg.classList.add("active");
      showDetails(r, seg.getAttribute("data-ann").split(" "));
      return;
    }
    var button = target.closest("button[data-show]");
    if (button) {
      var reportIndex = reportOf(button);
      var ids = button.getAttribute("data-show").split(" ");
      var essay = document.getElementById("essay-" + reportIndex);
      // "show evidence" switches the evidence highlights on, checkbox included
      ids.forEach(function (id) {
        var note = data.reports[reportIndex][id];
        if (note && essay && kindNames[note.kind] !== undefined &&
            !essay.classList.contains("show-" + note.kind)) {
          setShown(essay, note.kind, true);
        }
      });
      highlight(reportIndex, ids);
    }
  }
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) { activate(event.target); });
  document.addEventListener("keydown", function (event) {
    var key = event.key;
    if ((key === "Enter" || key === " " || key === "Spacebar") && event.target.classList &&
        event.target.classList.contains("seg")) {
      event.preventDefault();
      activate(event.target);
    }
  });
  document.querySelectorAll("input[data-toggle]").forEach(function (box) {
    box.addEventListener("change", function () {
      var essay = document.getElementById(box.getAttribute("data-essay"));
      setShown(essay, box.getAttribute("data-toggle"), box.checked);
    });
  });
  document.querySelectorAll(".essay").forEach(sync);
  // print every <details> open (the "All measures" table, the list of grammar issues)
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      openedForPrint.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });
})();
"""


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


CSP = (
    f"default-src 'none'; script-src {_csp_hash(JS)}; style-src {_csp_hash(CSS)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def json_for_script(value: Any) -> str:
    """JSON that is safe inside <script>: no '<', '>' or '&' can close or comment it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


@dataclass
class _Note:
    """One highlight in the essay and what the detail panel says about it."""

    id: str
    kind: str
    start: int
    end: int
    label: str
    lines: list[str] = field(default_factory=list)
    criterion: str | None = None


class HtmlRenderer(Renderer):
    name = "html"
    extension = "html"

    def render(self, reports: Sequence[Report]) -> str:
        sections: list[str] = []
        notes_by_report: list[dict[str, dict[str, Any]]] = []
        for index, report in enumerate(reports):
            notes = _notes(report)
            notes_by_report.append(
                {n.id: {"kind": n.kind, "label": n.label, "lines": n.lines} for n in notes}
            )
            sections.append(self._section(index, report, notes))
        if len(reports) == 1:
            title = f"essaycoach: {report_title(reports[0])}"
        else:
            title = f"essaycoach: {len(reports)} essays"
        if not reports:
            sections.append('<section class="report"><p>No essays were checked.</p></section>')
        contents = ""
        if len(reports) > 1:
            items = "".join(
                f'<li><a href="#report-{i}">{esc(report_title(r))}</a> — {esc(score_text(r))}</li>'
                for i, r in enumerate(reports)
            )
            contents = f'<nav><h3>Essays</h3><ul class="contents">{items}</ul></nav>'
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<link rel="icon" href="data:,">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            '<header class="page"><h1>essaycoach report</h1></header>\n<main>\n'
            f"{contents}{''.join(sections)}"
            f"{_kind_descriptions()}"
            f'<footer>essaycoach {esc(__version__)}<span class="js-only"> · click a highlighted '
            "passage (or press Enter or Space on it) for details</span></footer>\n</main>\n"
            '<script type="application/json" id="essaycoach-data">'
            f"{json_for_script({'reports': notes_by_report, 'kinds': KIND_LABELS})}</script>\n"
            f"<script>{JS}</script>\n</body>\n</html>\n"
        )

    def _section(self, index: int, report: Report, notes: list[_Note]) -> str:
        parts = [
            f'<section class="report" id="report-{index}" data-report="{index}">',
            f'<h2 id="title-{index}">{esc(report_title(report))}</h2>',
            f'<p class="meta">{esc(report.rubric_name)} · {esc(essay_size(report))}</p>',
            self._score(report),
            self._calibration(report),
            self._criteria(index, report, notes),
            self._improvements(report, notes),
            self._readability(report),
            self._essay(index, report, notes),
            self._grammar_and_similarity(report),
            "</section>\n",
        ]
        return "\n".join(p for p in parts if p)

    def _score(self, report: Report) -> str:
        if not report.judged:
            reasons = "".join(f"<li>{esc(r)}</li>" for r in report.not_judged_reasons)
            return (
                '<div class="score"><span class="total">not judged</span></div>'
                '<div class="notice"><p>This essay could not be judged, so it has no score:</p>'
                f"<ul>{reasons}</ul></div>"
            )
        parts = esc(components_text(report))
        return (
            f'<div class="score"><span class="total">{esc(score_text(report))}</span>'
            f'<span class="parts">{parts}</span></div>'
        )

    def _calibration(self, report: Report) -> str:
        c = report.calibration
        if c is None:
            return ""
        if c.needs_review:
            reasons = "".join(f"<li>{esc(r)}</li>" for r in c.review_reasons)
            review = f'<div class="notice"><p>{esc(review_text(c))}:</p><ul>{reasons}</ul></div>'
        else:
            review = f"<p>{esc(review_text(c))}</p>"
        # what the confidence means, where one is shown
        meaning = "" if c.needs_review else " (the chance the teacher gives this score)"
        return (
            f'<h3>{esc(PREDICTION_HEADING)}</h3><p class="prediction">'
            f"<strong>{esc(prediction_text(c))}</strong>{meaning}</p>{review}"
            f'<p class="muted">Model {esc(c.model_digest[:19])}</p>'
        )

    def _criteria(self, index: int, report: Report, notes: list[_Note]) -> str:
        if not report.criteria:
            return ""
        rows = []
        for c in report.criteria:
            ids = " ".join(n.id for n in notes if n.criterion == c.id)
            show = (
                f'<button type="button" data-show="{ids}" '
                f'aria-label="show evidence for {esc(c.name)}">show evidence</button>'
                if ids
                else ""
            )
            descriptor = (
                f'<span class="descriptor">Level {c.level}: {esc(c.descriptor)}</span>'
                if c.descriptor
                else ""
            )
            rows.append(
                f'<tr><th scope="row">{esc(c.name)}</th><td>{"yes" if c.required else "no"}</td>'
                f'<td class="status status-{esc(c.status)}">{esc(c.status)}</td>'
                f"<td>{esc(level_text(c))}</td><td>{c.confidence:.2f}</td>"
                f'<td>{descriptor}{esc(c.feedback)}</td><td class="evidence-col">{show}</td></tr>'
            )
        order = ""
        if note := cue_only_note(report):
            order = f'<p class="note">{esc(note)}</p>'
        if report.structure and report.structure.order_problems:
            items = "".join(f"<li>{esc(p)}</li>" for p in report.structure.order_problems)
            order += f"<h3>Order</h3><ul>{items}</ul>"
        return (
            f'<h3 id="criteria-{index}">Rubric criteria</h3>'
            # narrow screens scroll the table, not the page; focusable so keys can scroll it
            f'<div class="table-scroll" role="region" '
            f'aria-labelledby="criteria-{index} title-{index}" tabindex="0">'
            '<table class="criteria"><thead><tr>'
            + "".join(
                f'<th scope="col"{cls}>{name}</th>'
                for name, cls in (
                    ("Criterion", ""),
                    ("Required", ""),
                    ("Status", ""),
                    ("Level", ""),
                    ("Confidence", ""),
                    ("Feedback", ""),
                    ("Evidence", ' class="evidence-col"'),
                )
            )
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{order}"
        )

    def _improvements(self, report: Report, notes: list[_Note]) -> str:
        if not report.score.improvements:
            return ""
        items = []
        for n, imp in enumerate(report.score.improvements):
            note_id = f"i{n}"
            show = (
                f' <button type="button" data-show="{note_id}">show at '
                f"{esc(location(report, imp.start))}</button>"
                # only an improvement with a span has a note
                if imp.start is not None and any(note.id == note_id for note in notes)
                else ""
            )
            items.append(
                f'<li>{esc(imp.message)} <span class="gain">about +{imp.gain:.1f} points</span>'
                f"{show}</li>"
            )
        return f'<h3>What would raise this score</h3><ol class="improvements">{"".join(items)}</ol>'

    def _readability(self, report: Report) -> str:
        r = report.readability
        if r is None:
            return ""
        verdict = VERDICT_LABELS.get(r.verdict, r.verdict)
        measures = "".join(
            f"<tr><td>{esc(label)}</td><td>{value:.1f}</td></tr>"
            for label, value in readability_measures(r)
        )
        return (
            f"<h3>Readability</h3><p>Grade {r.consensus_grade:.1f} against a target of "
            f"{r.target_min:g}–{r.target_max:g}: <strong>{esc(verdict)}</strong>.</p>"
            f"{band_svg(r)}<details><summary>All measures</summary><table>{measures}</table>"
            "</details>"
        )

    def _essay(self, index: int, report: Report, notes: list[_Note]) -> str:
        essay_id = f"essay-{index}"
        kinds = [k for k in KIND_LABELS if any(n.kind == k for n in notes)]
        # each label doubles as the legend; without the script the checkboxes (which could
        # not change anything) and the kinds that are off are hidden by the CSS
        off = ' class="off-by-default"'
        toggles = "".join(
            f"<label{'' if k in SHOWN_BY_DEFAULT else off}>"
            f'<input type="checkbox" data-toggle="{k}" data-essay="{essay_id}"'
            f"{' checked' if k in SHOWN_BY_DEFAULT else ''}>"
            f'<span class="swatch swatch-{k}"></span>{esc(KIND_LABELS[k])}</label>'
            for k in kinds
        )
        if any(n.kind == "improve" for n in notes):
            toggles += (
                '<span class="legend-only"><span class="swatch swatch-improve"></span>'
                "What would raise this score</span>"
            )
        classes = " ".join(f"show-{k}" for k in SHOWN_BY_DEFAULT)
        return (
            f'<h3>The essay</h3><div class="toggles">{toggles}</div>'
            f'<div class="columns"><div class="essay {classes}" id="{essay_id}">'
            f"{highlighted_text(report.essay.text, notes)}</div>"
            f'<aside class="details" id="details-{index}" aria-live="polite">'
            '<p class="hint">Click a highlighted passage, or press Enter or Space on it, to see '
            "what was found there.</p></aside></div>"
        )

    def _grammar_and_similarity(self, report: Report) -> str:
        out = []
        g = report.grammar
        if g is not None:
            if g.engine == "off":
                summary = "Not checked (grammar engine off)."
            else:
                summary = (
                    f"{plural(len(g.issues), 'issue')}, {g.issues_per_100_words:.1f} per 100 words "
                    f"(target at most {g.target_max_per_100_words:g}), "
                    f"checked with {esc(g.engine)}."
                )
            out.append(f"<h3>Grammar and spelling</h3><p>{summary}</p>")
            if g.issues:
                out.append(_grammar_list(report))
            if g.notice:
                out.append(f'<p class="muted">{esc(g.notice)}</p>')
            if recall := grammar_recall_note(report):
                out.append(f'<p class="muted">{esc(recall)}</p>')
        s = report.similarity
        if s is not None:
            flags = ", ".join(s.flags) if s.flags else "none"
            out.append(
                f"<h3>Similarity to the exemplar</h3><p>Similarity {s.exemplar:.2f}, copy score "
                f"{s.copy_score:.2f} ({s.copy_score:.0%} of the essay in passages that match "
                f"the exemplar); flags: {esc(flags)}.</p>"
            )
        findings = [f for f in other_findings(report) if f.span is None]
        if findings:
            items = "".join(
                f"<li><strong>{esc(f.severity.value)}</strong>: {esc(f.message)} "
                f'<span class="muted">{esc(f.code)}</span></li>'
                for f in findings
            )
            out.append(f"<h3>Other findings</h3><ul>{items}</ul>")
        return "".join(out)


def _kind_descriptions() -> str:
    """Hidden text the highlights point at with aria-describedby: what kind each one is."""
    items = "".join(
        f'<span id="kind-{k}">{esc(text)}</span>' for k, text in KIND_DESCRIPTIONS.items()
    )
    return (
        f'<div hidden id="kind-names">{items}'
        '<span id="kind-help">Press Enter or Space for details.</span></div>'
    )


def _grammar_list(report: Report) -> str:
    """Every grammar issue with its suggestions as plain markup (no script needed)."""
    assert report.grammar is not None
    items = []
    for i in report.grammar.issues:
        suggestion = (
            f" {esc(suggestions_label(i.replacements))}: {esc(suggestions(i.replacements))}."
            if i.replacements
            else ""
        )
        items.append(
            f"<li>{i.line}:{i.column} “{esc(quote(report, i.start, i.end))}”: "
            f"{esc(i.message)}{suggestion}</li>"
        )
    return (
        f"<details><summary>All {plural(len(items), 'issue')} with suggestions</summary>"
        f'<ol class="grammar-issues">{"".join(items)}</ol></details>'
    )


def _notes(report: Report) -> list[_Note]:
    """Every highlight: grammar issues, hard sentences, copied passages, evidence, findings."""
    notes: list[_Note] = []
    if report.grammar:
        for n, i in enumerate(report.grammar.issues):
            lines = [f"{i.line}:{i.column} “{quote(report, i.start, i.end)}”"]
            if i.replacements:
                lines.append(f"{suggestions_label(i.replacements)}: {suggestions(i.replacements)}")
            lines.append(f"{i.engine} rule {i.rule} ({i.category})")
            notes.append(_Note(f"g{n}", "grammar", i.start, i.end, i.message, lines))
    if report.readability:
        for n, s in enumerate(report.readability.hardest_sentences):
            notes.append(
                _Note(
                    f"h{n}",
                    "hard",
                    s.start,
                    s.end,
                    f"Hard sentence: grade {s.grade:.1f}",
                    [
                        f"at {location(report, s.start)}; the target band is "
                        f"{report.readability.target_min:g}–{report.readability.target_max:g}.",
                        "Consider splitting it into shorter sentences.",
                    ],
                )
            )
    if report.similarity:
        for n, p in enumerate(report.similarity.copied_passages):
            notes.append(
                _Note(
                    f"c{n}",
                    "copied",
                    p.start,
                    p.end,
                    f"Copied from the exemplar: {p.words} words",
                    [
                        f"at {location(report, p.start)}; exemplar characters "
                        f"{p.exemplar_start}–{p.exemplar_end}.",
                        "Quote and cite it, or put the idea in your own words.",
                    ],
                )
            )
    for c in report.criteria:
        for n, ev in enumerate(c.evidence):
            notes.append(
                _Note(
                    f"e-{c.id}-{n}",
                    "evidence",
                    ev.start,
                    ev.end,
                    f"Evidence for {c.name}: {c.status}, level {c.level}/{MAX_LEVEL}",
                    [f"paragraph {ev.paragraph}, match {ev.score:.2f}", c.feedback],
                    criterion=c.id,
                )
            )
    for n, imp in enumerate(report.score.improvements):
        if imp.start is not None and imp.end is not None:
            notes.append(
                _Note(
                    f"i{n}",
                    "improve",
                    imp.start,
                    imp.end,
                    # the message in the label: every such highlight's tooltip read
                    # "What would raise this score" and nothing else
                    f"What would raise this score: {imp.message}",
                    [f"about +{imp.gain:.1f} points"],
                )
            )
    for n, f in enumerate(other_findings(report)):
        if f.span is not None:
            notes.append(
                _Note(
                    f"f{n}",
                    "finding",
                    f.span.start,
                    f.span.end,
                    f.message,
                    [f"{f.severity.value}: {f.code}"],
                )
            )
    return notes


def highlighted_text(text: str, notes: list[_Note]) -> str:
    """The essay as escaped HTML, each stretch covered by notes wrapped in one span."""
    bounds = {0, len(text)}
    opening: dict[int, list[int]] = {}  # offset -> the notes (by index) starting there
    closing: dict[int, list[int]] = {}
    for index, n in enumerate(notes):
        start, end = max(0, min(n.start, len(text))), max(0, min(n.end, len(text)))
        bounds.update((start, end))
        if start < end:
            opening.setdefault(start, []).append(index)
            closing.setdefault(end, []).append(index)
    cuts = sorted(bounds)
    out: list[str] = []
    # one sweep over the cuts with the notes open at each: scanning every note for every
    # stretch took minutes on an essay with thousands of spelling flags
    open_notes: set[int] = set()
    for start, end in itertools.pairwise(cuts):
        open_notes.difference_update(closing.get(start, ()))
        open_notes.update(opening.get(start, ()))
        out.append(highlighted_stretch(text[start:end], [notes[i] for i in sorted(open_notes)]))
    return "".join(out)


def highlighted_stretch(piece: str, covering: list[_Note]) -> str:
    """One stretch of the essay as escaped HTML, in a <mark> naming the notes over it.

    The words stay the mark's content (no aria-label hides them); what kind of highlight
    it is comes from hidden text via aria-describedby. A stretch whose kinds are all
    off by default is no highlight to a screen reader (role=presentation). The script
    makes shown highlights focusable and redoes all this when a checkbox changes.
    """
    if not covering:
        return esc(piece)
    kinds = sorted({n.kind for n in covering})
    classes = " ".join(f"k-{k}" for k in kinds)
    ids = " ".join(n.id for n in covering)
    title = "\n".join(dict.fromkeys(n.label for n in covering))
    shown = [k for k in kinds if k in SHOWN_BY_DEFAULT or k in ALWAYS_SHOWN]
    if shown:
        described = " ".join(f"kind-{k}" for k in shown)
        semantics = f' aria-describedby="{described}"'
    else:
        semantics = ' role="presentation"'
    return (
        f'<mark class="seg {classes}" data-ann="{ids}" title="{esc(title)}"{semantics}>'
        f"{esc(piece)}</mark>"
    )


def band_svg(r: ReadabilitySummary) -> str:
    """A 0-20 grade scale with the target band shaded and the essay's grade marked."""
    left, width = 20.0, 560.0

    def x(grade: float) -> float:
        return left + width * min(max(grade, 0.0), SCALE_MAX_GRADE) / SCALE_MAX_GRADE

    band_x, band_w = x(r.target_min), x(r.target_max) - x(r.target_min)
    marker = x(r.consensus_grade)
    colour = "#1f7a3a" if r.verdict == "in_band" else "#b3261e"
    ticks = "".join(
        f'<line x1="{x(g):.1f}" y1="52" x2="{x(g):.1f}" y2="57" stroke="#5b6472"/>'
        f'<text x="{x(g):.1f}" y="70" font-size="11" text-anchor="middle" fill="#5b6472">'
        f"{g:g}</text>"
        for g in range(0, int(SCALE_MAX_GRADE) + 1, 2)
    )
    label = f"this essay: grade {r.consensus_grade:.1f}"
    anchor = "end" if marker > left + width * 0.75 else "start"
    offset = -6 if anchor == "end" else 6
    # the band's label goes under the scale, where the marker line never reaches: inside
    # the band it was crossed by the line whenever the essay's grade was in the band
    band_label_x = min(max(band_x + band_w / 2, left + 45), left + width - 45)
    return (
        '<svg class="band" viewBox="0 0 600 92" role="img" '
        f'aria-label="Readability grade {r.consensus_grade:.1f}; target band '
        f'{r.target_min:g} to {r.target_max:g}">'
        f'<rect x="{left}" y="30" width="{width}" height="22" fill="#e7ebf1" rx="3"/>'
        f'<rect x="{band_x:.1f}" y="30" width="{band_w:.1f}" height="22" fill="#b9e3c6" rx="3"/>'
        f'<text x="{band_label_x:.1f}" y="87" font-size="11" text-anchor="middle" '
        f'fill="#1f5130">target {r.target_min:g}–{r.target_max:g}</text>'
        f'<line x1="{marker:.1f}" y1="14" x2="{marker:.1f}" y2="56" stroke="{colour}" '
        'stroke-width="3"/>'
        f'<text x="{marker + offset:.1f}" y="20" font-size="12" font-weight="700" '
        f'text-anchor="{anchor}" fill="{colour}">{esc(label)}</text>'
        f"{ticks}</svg>"
    )
