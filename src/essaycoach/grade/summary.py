"""summary.html: the class overview in one self-contained file (inline CSS and SVG, no script).

Sections: headline figures, score distribution, pass rate per criterion, the
class's most frequent grammar categories (mini-lessons), outliers, suspicious
pairs with the shared passages side by side, failed files with reasons, and
every submission with a link to its report. Everything is escaped; nothing is
fetched, so it opens offline and from an e-mail attachment.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from difflib import SequenceMatcher
from html import escape
from urllib.parse import quote

from essaycoach.grade.class_stats import class_notes, find_outliers, histogram, mini_lessons
from essaycoach.grade.pairs import CopyPair
from essaycoach.grade.results import SubmissionResult
from essaycoach.grade.students import Student
from essaycoach.report import Status
from essaycoach.rubric import Rubric
from essaycoach.wording import plural

PASSAGES_SHOWN = 6


def e(value: object) -> str:
    return escape(str(value), quote=True)


def fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


# --- SVG charts ------------------------------------------------------------------


def _describedby(table_id: str) -> str:
    return f' aria-describedby="{e(table_id)}"' if table_id else ""


def _columns_with_data(
    labels: Sequence[str], counts: Sequence[int], title: str, table_id: str, label_header: str
) -> str:
    """A column chart and its figures in a table for screen readers only (the page shows
    the essays' scores elsewhere)."""
    rows = [(label, (count,)) for label, count in zip(labels, counts, strict=True)]
    return svg_columns(labels, counts, title, table_id) + data_table(
        table_id, title, (label_header, "Essays"), rows, hidden=True
    )


def data_table(
    table_id: str,
    caption: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[object]]],
    *,
    hidden: bool = False,
) -> str:
    """A chart's figures as a table (QA accessibility audit: a chart's data was in its
    segments' <title>s only, which a screen reader does not read inside role=img).

    The chart points at it with aria-describedby; `hidden` keeps it for screen readers
    only (when the page shows the same figures elsewhere)."""
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in columns)
    body = "".join(
        f'<tr><th scope="row">{e(label)}</th>'
        + "".join(f"<td class=num>{e(v)}</td>" for v in values)
        + "</tr>"
        for label, values in rows
    )
    table = (
        f'<table id="{e(table_id)}"><caption>{e(caption)}</caption><tr>{head}</tr>{body}</table>'
    )
    # in a box: a table never shrinks to the 1 px of .sr-only, and widened the page
    return f'<div class="sr-only">{table}</div>' if hidden else table


def svg_columns(
    labels: Sequence[str], values: Sequence[int], title: str, table_id: str = ""
) -> str:
    """A vertical bar chart (e.g. the score histogram); `table_id` names its data table."""
    width, height, pad_left, pad_bottom, pad_top = 640, 240, 36, 34, 16
    top = max(values, default=0) or 1
    slot = (width - pad_left - 8) / max(1, len(values))
    plot_h = height - pad_bottom - pad_top
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{e(title)}"'
        f'{_describedby(table_id)} xmlns="http://www.w3.org/2000/svg"><title>{e(title)}</title>',
        f'<line x1="{pad_left}" y1="{height - pad_bottom}" x2="{width - 4}" '
        f'y2="{height - pad_bottom}" class="axis"/>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * value / top
        x = pad_left + i * slot + slot * 0.1
        y = height - pad_bottom - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.8:.1f}" height="{h:.1f}" '
            f'class="bar"><title>{e(label)}: {value}</title></rect>'
        )
        if value:
            parts.append(
                f'<text x="{x + slot * 0.4:.1f}" y="{y - 3:.1f}" class="value">{value}</text>'
            )
        parts.append(
            f'<text x="{x + slot * 0.4:.1f}" y="{height - pad_bottom + 16}" class="label">'
            f"{e(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


# the marks drawn over the fill of the 1st, 2nd, 3rd key of a stacked chart (solid, stripes,
# cross-hatch), so that its segments differ by more than colour (QA accessibility audit)
_SEG_MARKS = (
    "",
    '<line x1="0" y1="0" x2="0" y2="8" class="mark"/>',
    '<line x1="0" y1="0" x2="0" y2="8" class="mark"/>'
    '<line x1="0" y1="4" x2="8" y2="4" class="mark"/>',
)


def svg_stacked_rows(
    rows: Sequence[tuple[str, Sequence[int]]], keys: Sequence[str], title: str, table_id: str = ""
) -> str:
    """Horizontal 100% stacked bars, one row per label (e.g. met/partial/missing per criterion);
    `table_id` names its data table.

    Each key has its colour (the CSS classes seg-<key>; neighbours 3:1 apart or more) and its
    pattern, segments are parted by a white line and labelled with their count when wide
    enough, and the legend names every key: colour is never the only cue."""
    row_h, label_w, width = 26, 170, 640
    height = row_h * len(rows) + 30
    bar_w = width - label_w - 60
    prefix = f"{table_id or 'stacked'}-pattern"
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{e(title)}"'
        f'{_describedby(table_id)} xmlns="http://www.w3.org/2000/svg"><title>{e(title)}</title>',
        "<defs>",
    ]
    for i, key in enumerate(keys):
        parts.append(
            f'<pattern id="{e(prefix)}-{i}" width="8" height="8" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)" class="seg-{e(key)}"><rect width="8" height="8"/>'
            f"{_SEG_MARKS[i % len(_SEG_MARKS)]}</pattern>"
        )
    parts.append("</defs>")
    for r, (label, counts) in enumerate(rows):
        y = 6 + r * row_h
        total = sum(counts) or 1
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" class="rowlabel">{e(label)}</text>')
        x = float(label_w)
        for i, (key, count) in enumerate(zip(keys, counts, strict=True)):
            w = bar_w * count / total
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 8}" '
                    f'fill="url(#{e(prefix)}-{i})" class="seg"><title>{e(label)}: {e(key)} '
                    f"{count} ({100 * count / total:.0f}%)</title></rect>"
                )
                if w >= 24:
                    parts.append(
                        f'<text x="{x + w / 2:.1f}" y="{y + 13}" class="count">{count}</text>'
                    )
            x += w
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{row_h - 8}" class="frame"/>'
        )
        share = 100 * counts[0] / total
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 15}" class="value-left">{share:.0f}%</text>'
        )
    legend_y = height - 8
    lx = float(label_w)
    for i, key in enumerate(keys):
        parts.append(
            f'<rect x="{lx}" y="{legend_y - 11}" width="14" height="14" '
            f'fill="url(#{e(prefix)}-{i})" class="frame"/>'
        )
        parts.append(f'<text x="{lx + 19}" y="{legend_y}" class="value-left">{e(key)}</text>')
        lx += 90
    parts.append("</svg>")
    return "".join(parts)


def svg_bars(rows: Sequence[tuple[str, int]], title: str, table_id: str = "") -> str:
    """Horizontal bars with counts (e.g. grammar issues per category); `table_id` names the
    table that holds its figures."""
    row_h, label_w, width = 24, 170, 640
    height = row_h * len(rows) + 8
    top = max((v for _, v in rows), default=0) or 1
    bar_w = width - label_w - 70
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{e(title)}"'
        f'{_describedby(table_id)} xmlns="http://www.w3.org/2000/svg"><title>{e(title)}</title>'
    ]
    for r, (label, value) in enumerate(rows):
        y = 4 + r * row_h
        w = bar_w * value / top
        parts.append(f'<text x="{label_w - 8}" y="{y + 14}" class="rowlabel">{e(label)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{row_h - 7}" class="bar">'
            f"<title>{e(label)}: {value}</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + 14}" class="value-left">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- the page --------------------------------------------------------------------

_CSS = """
:root{--ink:#1d232b;--muted:#5b6570;--line:#d5dbe1;--accent:#2f6db5;--missing:#c8453b;
--bg:#fbfcfd}
*{box-sizing:border-box}body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--ink);background:var(--bg);margin:0;padding:24px;max-width:1100px;margin:auto}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:32px 0 8px;border-bottom:1px solid
var(--line);padding-bottom:4px}.muted{color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.card{background:#fff;border:1px solid
var(--line);border-radius:8px;padding:10px 16px;min-width:130px}
.card b{display:block;font-size:1.5em}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}th,td{border:1px solid
var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{background:#eef2f6}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.chart{width:100%;max-width:700px;height:auto;display:block;background:#fff;border:1px solid
var(--line);border-radius:8px;padding:4px}
.chart .bar{fill:var(--accent)}.chart .axis{stroke:var(--muted)}
.chart text{font-size:12px;fill:var(--ink)}.chart .label,.chart .value{text-anchor:middle}
.chart .rowlabel{text-anchor:end}.chart .value-left{text-anchor:start}
.chart .seg{stroke:#fff;stroke-width:2}.chart .frame{stroke:var(--ink);stroke-width:1}
.chart rect.frame:not([fill]){fill:none}.chart .mark{stroke-width:2}
.chart .count{text-anchor:middle;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px}
.seg-met rect{fill:#08301c}.seg-partial rect{fill:#fcedca}.seg-partial .mark{stroke:#d9b060}
.seg-missing rect{fill:#d34131}.seg-missing .mark{stroke:#e88a7e;stroke-width:1}
.pair{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin:12px 0}
.pair td{width:50%;font-family:Georgia,serif}.pair th,.pair td{overflow-wrap:anywhere}
.failed{color:var(--missing)}
mark{background:#fde9a8}.wide{overflow-x:auto}.wide th{font-size:.85em}
caption{text-align:left;font-weight:600;padding:2px 0}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;
clip:rect(0,0,0,0);white-space:nowrap;border:0}
@media print{.wide{overflow:visible}.wide th,.wide td{overflow-wrap:anywhere}}
"""


def render_summary(
    results: Sequence[SubmissionResult],
    pairs: Sequence[CopyPair],
    rubric: Rubric,
    *,
    title: str = "Class summary",
    roster_missing: Sequence[Student] = (),
    generated: str = "",
    prediction_scale: tuple[float, float, float] | None = None,
) -> str:
    """The class overview page.

    `prediction_scale` (low, high, step of the model's scores) is given by
    `grade --model`: the page then shows the predicted scores too.
    """
    ok = [r for r in results if r.ok]
    failed = [r for r in results if not r.ok]
    judged = [r for r in ok if r.judged and r.total is not None]
    scores = [r.total for r in judged if r.total is not None]
    # the heading in a <header>, the rest in <main> (QA accessibility audit: no landmark)
    header = (
        f"<header><h1>{e(title)}</h1>"
        f'<p class="muted">Rubric: {e(rubric.name)} ({e(rubric.id)}). {e(generated)}</p></header>'
    )
    body: list[str] = []
    # scored + not judged + failed = submissions (QA: "graded" counted the not judged too)
    cards = [
        ("submission" if len(results) == 1 else "submissions", len(results)),
        ("scored", len(judged)),
        ("not judged", len(ok) - len(judged)),
        ("failed", len(failed)),
        ("median score", fmt(statistics.median(scores)) if scores else "–"),
        ("suspicious pair" if len(pairs) == 1 else "suspicious pairs", len(pairs)),
    ]
    predicted = [r for r in ok if r.predicted_score is not None]
    if prediction_scale is not None:
        review = sum(not r.prediction_trusted for r in predicted)
        cards.append(("prediction to review" if review == 1 else "predictions to review", review))
    body.append(
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{e(v)}</b>{e(k)}</div>' for k, v in cards)
        + "</div>"
    )

    body.append("<h2>Score distribution</h2>")
    if scores:
        labels = [f"{lo}-{lo + 10}" for lo in range(0, 100, 10)]
        counts = histogram(scores)
        # the scores are in "All submissions" too: the bands for screen readers only
        body.append(
            _columns_with_data(
                labels, counts, "Number of essays per score band", "score-data", "Score band"
            )
        )
        body.append(
            f'<p class="muted">{len(scores)} judged essays; mean {statistics.fmean(scores):.1f}, '
            f"median {statistics.median(scores):.1f}, lowest {min(scores):.1f}, highest "
            f"{max(scores):.1f}.</p>"
        )
    else:
        body.append("<p>No essay could be judged.</p>")

    if prediction_scale is not None:
        body.extend(_prediction_section(predicted, prediction_scale))

    body.append("<h2>Criteria: pass rate</h2>")
    if judged:
        rows = []
        for criterion in rubric.criteria:
            statuses = [r.statuses.get(criterion.id) for r in judged]
            counts = [statuses.count(s) for s in Status]
            label = criterion.name + (" *" if criterion.required else "")
            rows.append((label, counts))
        chart_title = "Share of essays per criterion status"
        body.append(svg_stacked_rows(rows, tuple(Status), chart_title, "criteria-data"))
        body.append('<p class="muted">Percent = essays that met the criterion. * required.</p>')
        # the partial and missing counts were in no text (QA accessibility audit)
        body.append(
            _scroll_box("Criteria table")
            + data_table(
                "criteria-data",
                f"Essays per criterion status ({len(judged)} judged essays)",
                ("Criterion", *(s.value.capitalize() for s in Status), "% met"),
                [
                    (label, (*counts, f"{100 * counts[0] / (sum(counts) or 1):.0f}%"))
                    for label, counts in rows
                ],
            )
            + "</div>"
        )
    else:
        body.append("<p>No essay could be judged.</p>")

    body.append("<h2>Mini-lessons: the class's most frequent grammar issues</h2>")
    lessons = mini_lessons(results)
    # "of" the essays grammar was checked in: not one the language check turned away (QA)
    grammar_checked = [r for r in ok if r.grammar_engine]
    if lessons:
        body.append(
            svg_bars(
                [(x.category, x.issues) for x in lessons],
                "Grammar issues per category",
                "lessons-data",
            )
        )
        # in a scroll box like "All submissions" (QA accessibility audit: at 320 px the
        # rule names made the page 538 px wide)
        body.append(
            _scroll_box("Mini-lessons table")
            + '<table id="lessons-data"><tr><th>Category</th><th>Issues</th><th>Essays</th>'
            "<th>Most frequent rules (example message)</th></tr>"
        )
        for lesson in lessons:
            rules = "<br>".join(
                f"<code>{e(rule)}</code> ×{count}: {e(message)}"
                for rule, count, message in lesson.rules
            )
            body.append(
                f"<tr><td>{e(lesson.category)}</td><td class=num>{lesson.issues}</td>"
                f"<td class=num>{lesson.essays} of {len(grammar_checked)}</td>"
                f"<td>{rules}</td></tr>"
            )
        body.append("</table></div>")
    else:
        body.append("<p>No grammar issues found (or grammar checking was off).</p>")

    body.append("<h2>Outliers</h2>")
    body.extend(f'<p class="note">{e(note)}</p>' for note in class_notes(results))
    outliers = find_outliers(results)
    if outliers:
        body.append(
            _scroll_box("Outliers table")
            + "<table><tr><th>Student</th><th>File</th><th>Why</th></tr>"
        )
        for o in outliers:
            body.append(
                f"<tr><td>{_student_link(o.result)}</td><td>{e(o.result.file)}</td>"
                f"<td>{e(o.why)}</td></tr>"
            )
        body.append("</table></div>")
    else:
        body.append("<p>None: every judged essay is within the class's usual range.</p>")

    body.append("<h2>Suspicious pairs (possible copying between students)</h2>")
    if pairs:
        body.append(
            '<p class="muted">Passages shared by two submissions, after removing what both share '
            "with the exemplar and phrases many students use. Review before acting: students "
            "quoting the same source can share passages too.</p>"
        )
        for pair in pairs:
            body.append(_pair_html(results, pair))
    else:
        body.append("<p>None found.</p>")

    body.append("<h2>Failed files</h2>")
    if failed:
        body.append(
            _scroll_box("Failed files table")
            + "<table><tr><th>Student</th><th>File</th><th>Reason</th></tr>"
        )
        for r in failed:
            body.append(
                f"<tr><td>{_student_label(r)}</td><td>{e(r.file)}</td>"
                f'<td class="failed">{e(r.reason)}</td></tr>'
            )
        body.append("</table></div>")
    else:
        body.append("<p>None: every file was read.</p>")

    if roster_missing:
        body.append("<h2>On the roster, no submission</h2><ul>")
        body.extend(f"<li>{e(s.id)} {e(s.name)}</li>" for s in roster_missing)
        body.append("</ul>")

    body.append("<h2>All submissions</h2>")
    # criteria by name (the gradebook's columns have the ids); the status before them, so
    # that a failed row says why without scrolling sideways (QA: at 1280 px it did not)
    columns = "".join(f'<th title="level_{e(c.id)}">{e(c.name)}</th>' for c in rubric.criteria)
    body.append(
        _scroll_box("All submissions table")
        + "<table><tr><th>Student</th><th>File</th><th>Status</th><th>Score</th>"
        f"{columns}<th>Words</th><th>Grade</th><th>Grammar /100w</th>"
        + ("<th>Predicted (confidence)</th>" if prediction_scale is not None else "")
        + "</tr>"
    )
    for r in results:
        levels = "".join(
            f"<td class=num>{e(r.levels.get(c.id, '–'))}</td>" for c in rubric.criteria
        )
        status = "ok" if r.ok else f'<span class="failed">failed: {e(r.reason)}</span>'
        if r.ok and not r.judged:
            status = f"not judged: {e(r.reason)}"
        body.append(
            f"<tr><td>{_student_link(r)}</td><td>{e(r.file)}</td><td>{status}</td>"
            f"<td class=num>{fmt(r.total)}</td>"
            f"{levels}<td class=num>{r.words if r.ok and r.words is not None else '–'}</td>"
            f"<td class=num>{fmt(r.readability_grade)}</td>"
            f"<td class=num>{fmt(r.grammar_per_100_words)}</td>"
            + (f"<td class=num>{_prediction_cell(r)}</td>" if prediction_scale is not None else "")
            + "</tr>"
        )
    body.append("</table></div>")

    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>{header}\n<main>"
        + "\n".join(body)
        + "</main></body></html>\n"
    )


def prediction_bins(
    scores: Sequence[float], scale: tuple[float, float, float], max_bins: int = 16
) -> tuple[list[str], list[int]]:
    """Labels and counts of predicted scores: one column per score, or per band on long scales."""
    low, high, step = scale
    levels = round((high - low) / step) + 1
    per_bin = -(-levels // max_bins)  # ceiling division
    labels, counts = [], []
    for first in range(0, levels, per_bin):
        last = min(first + per_bin, levels) - 1
        lo, hi = low + first * step, low + last * step
        labels.append(f"{lo:g}" if first == last else f"{lo:g}-{hi:g}")
        counts.append(sum(1 for v in scores if first <= round((v - low) / step) <= last))
    return labels, counts


def _prediction_section(
    predicted: Sequence[SubmissionResult], scale: tuple[float, float, float]
) -> list[str]:
    low, high, _ = scale
    out = ["<h2>Predicted scores (calibrated on the teacher's grades)</h2>"]
    if not predicted:
        return [*out, "<p>No essay was scored by the model.</p>"]
    scores = [r.predicted_score for r in predicted if r.predicted_score is not None]
    labels, counts = prediction_bins(scores, scale)
    out.append(
        _columns_with_data(
            labels,
            counts,
            "Number of essays per predicted score",
            "prediction-data",
            "Predicted score",
        )
    )
    review = [r for r in predicted if not r.prediction_trusted]
    trusted = [r for r in predicted if r.prediction_trusted and r.predicted_score is not None]
    # the figures of the essays the model can be trusted on: a gibberish essay's score
    # and its confidence mean little (QA: they moved the class mean)
    figures = (
        f"of the {len(trusted)} it can be trusted on, mean "
        f"{statistics.fmean(r.predicted_score or 0.0 for r in trusted):.2f}, median "
        f"{statistics.median(r.predicted_score or 0.0 for r in trusted):g}, mean confidence "
        f"{statistics.fmean(r.prediction_confidence or 0.0 for r in trusted):.0%}"
        if trusted
        else "none it can be trusted on"
    )
    out.append(
        f'<p class="muted">{len(scores)} essays on the model\'s {low:g}–{high:g} scale; '
        f"{figures}. {len(review)} need review (the model should not be trusted on them).</p>"
    )
    if review:
        out.append(
            _scroll_box("Predictions to review table")
            + "<table><tr><th>Student</th><th>File</th><th>Predicted</th>"
            "<th>Why a person should read it</th></tr>"
        )
        for r in review:  # no confidence: computed as for any essay, it reads as sure
            reasons = "<br>".join(e(reason) for reason in r.prediction_reasons)
            out.append(
                f"<tr><td>{_student_link(r)}</td><td>{e(r.file)}</td>"
                f"<td class=num>{r.predicted_score:g}</td><td>{reasons}</td></tr>"
            )
        out.append("</table></div>")
    return out


def _scroll_box(label: str) -> str:
    """The opening of a box that scrolls a wide table sideways, not the page; keyboard users
    reach it with Tab to scroll it with the arrow keys."""
    return f'<div class="wide" role="region" aria-label="{e(label)}" tabindex="0">'


def _prediction_cell(r: SubmissionResult) -> str:
    if r.predicted_score is None:
        return "–"
    if not r.prediction_trusted:  # its confidence means little: no figure to trust
        return f'{r.predicted_score:g} <span class="failed">review</span>'
    return f"{r.predicted_score:g} ({_percent(r.prediction_confidence)})"


def _percent(confidence: float | None) -> str:
    """A confidence as the reports show it, 62% (the gradebook keeps 0.62)."""
    return "–" if confidence is None else f"{confidence:.0%}"


def _student_label(r: SubmissionResult) -> str:
    """The student's id, and the roster's name in brackets when there is one (HTML)."""
    return e(r.student_id) + (f" <span class=muted>({e(r.name)})</span>" if r.name else "")


def _student_link(r: SubmissionResult) -> str:
    label = _student_label(r)
    target = r.reports.get("html") or next(iter(r.reports.values()), "")
    return f'<a href="{e(quote(target))}">{label}</a>' if target else label


def marked_difference(a: str, b: str) -> tuple[str, str]:
    """Both passages as HTML, with the words that differ between them in <mark>."""
    words_a, words_b = a.split(), b.split()
    out_a: list[str] = []
    out_b: list[str] = []
    matcher = SequenceMatcher(None, [w.lower() for w in words_a], [w.lower() for w in words_b])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        chunk_a, chunk_b = e(" ".join(words_a[i1:i2])), e(" ".join(words_b[j1:j2]))
        if op == "equal":
            out_a.append(chunk_a)
            out_b.append(chunk_b)
        else:
            if chunk_a:
                out_a.append(f"<mark>{chunk_a}</mark>")
            if chunk_b:
                out_b.append(f"<mark>{chunk_b}</mark>")
    return " ".join(out_a), " ".join(out_b)


def _pair_html(results: Sequence[SubmissionResult], pair: CopyPair) -> str:
    a, b = results[pair.a], results[pair.b]
    rows = "".join(
        "<tr><td>{}</td><td>{}</td></tr>".format(*marked_difference(p.a_text, p.b_text))
        for p in pair.passages[:PASSAGES_SHOWN]
    )
    more = len(pair.passages) - PASSAGES_SHOWN
    extra = f'<p class="muted">and {plural(more, "more passage")}.</p>' if more > 0 else ""
    return (
        f'<div class="pair"><p><b>{_student_link(a)} ↔ {_student_link(b)}</b>: '
        f"{plural(pair.shared_words, 'shared word')} in {plural(len(pair.passages), 'passage')} "
        f"({100 * pair.shared_fraction:.0f}% of the shorter essay; longest passage "
        f"{pair.longest_passage} words).</p>"
        f"<table><tr><th>{e(a.student_id)} — {e(a.file)}</th><th>{e(b.student_id)} — "
        f"{e(b.file)}</th></tr>{rows}</table>{extra}</div>"
    )
