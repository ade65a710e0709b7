"""The HTML report in real headless Chromium (Debian's /usr/bin/chromium via Playwright).

Checks: the page loads with no console errors and no network requests, a planted
<script> and an onerror attribute in the essay do not run, clicking a highlight
shows its details, and a screenshot is written. Skipped when Chromium or Playwright
is missing, unless ESSAYCOACH_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from essaycoach.render import get_renderer
from tests.fixtures.reports import all_reports, hostile_report, strong_report

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def open_report(browser, tmp_path: Path, reports) -> tuple:
    path = tmp_path / "report.html"
    path.write_text(get_renderer("html").render(reports), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, problems, [u for u in requests if u != path.as_uri()]


def fits_a_320_px_screen(page) -> bool:
    """Whether the page, at 320 px wide, scrolls no wider than the screen."""
    page.set_viewport_size({"width": 320, "height": 640})
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return widths[0] <= widths[1]


def test_report_loads_without_console_errors_or_requests(browser, tmp_path: Path) -> None:
    page, problems, requests = open_report(browser, tmp_path, all_reports())
    assert problems == []
    assert requests == []
    assert page.locator("section.report").count() == 3
    criteria_rows = page.locator("table.criteria tbody tr")
    assert criteria_rows.count() == 7 + 3  # the two judged essays
    assert page.locator("svg.band").count() == 3
    screenshot = tmp_path / "report.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    keep = os.environ.get("ESSAYCOACH_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(screenshot, Path(keep) / "html-report.png")
    page.close()


def test_readability_scale_labels_do_not_overlap(browser, tmp_path: Path) -> None:
    """QA: the marker line crossed the target band's label when the grade was in the
    band's middle. No two labels overlap, and the marker line crosses none, wherever
    the grade is."""
    strong = strong_report()
    reports = [
        replace(strong, readability=replace(strong.readability, consensus_grade=grade))
        for grade in (0.0, 9.0, 11.5, 14.0, 19.0, 25.0)
    ]
    page, _, _ = open_report(browser, tmp_path, reports)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('svg.band')].map(svg => ({
            texts: [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().toJSON()),
            marker: svg.querySelector('line[stroke-width="3"]').getBoundingClientRect().toJSON(),
        }))"""
    )

    def overlap(a: dict, b: dict) -> bool:
        return (
            a["left"] < b["right"]
            and b["left"] < a["right"]
            and a["top"] < b["bottom"]
            and b["top"] < a["bottom"]
        )

    assert len(boxes) == len(reports)
    for band in boxes:
        texts = band["texts"]
        for i, a in enumerate(texts):
            assert not overlap(a, band["marker"]), a
            assert not any(overlap(a, b) for b in texts[i + 1 :]), a
    page.close()


def test_planted_script_does_not_run_and_is_shown_as_text(browser, tmp_path: Path) -> None:
    page, problems, requests = open_report(browser, tmp_path, [hostile_report()])
    assert page.evaluate("window.__planted") is None
    assert page.title() != "pwned"
    assert page.locator("img").count() == 0
    essay_text = page.locator("#essay-0").inner_text()
    assert '<script>window.__planted = 1; document.title = "pwned"</script>' in essay_text
    assert '<img src=x onerror="window.__planted = 2">' in essay_text
    # only the report's own two script elements exist
    assert page.locator("script").count() == 2
    assert problems == []
    assert requests == []
    page.close()


def test_clicking_a_highlight_shows_its_details(browser, tmp_path: Path) -> None:
    page, problems, _ = open_report(browser, tmp_path, [strong_report()])
    details = page.locator("#details-0")
    assert "teh" not in details.inner_text()
    page.locator(".seg.k-grammar", has_text="teh").first.click()
    text = details.inner_text()
    assert "Did you mean to spell “teh” this way?" in text
    assert "Suggestions: the, tea, ten" in text
    assert page.locator(".seg.active").count() == 1
    assert problems == []
    page.close()


def test_hover_title_and_evidence_button(browser, tmp_path: Path) -> None:
    page, problems, _ = open_report(browser, tmp_path, [strong_report()])
    copied = page.locator(".seg.k-copied").first
    assert "Copied from the exemplar: 14 words" in copied.get_attribute("title")
    page.get_by_role("row", name="Climax", exact=False).filter(
        has_text="The climax is identified"
    ).get_by_role("button", name="show evidence").click()
    active = page.locator(".seg.active")
    assert active.count() >= 1
    assert "turning point" in " ".join(active.all_inner_texts())
    assert "Evidence for Climax" in page.locator("#details-0").inner_text()
    page.locator("input[data-toggle=grammar]").uncheck()
    assert "show-grammar" not in page.locator("#essay-0").get_attribute("class")
    assert problems == []
    page.close()


def test_space_on_a_highlight_shows_its_details_without_scrolling(browser, tmp_path) -> None:
    """QA accessibility audit: Enter activated a focused highlight but Space did not."""
    page, problems, _ = open_report(browser, tmp_path, [strong_report()])
    seg = page.locator(".seg.k-grammar", has_text="teh").first
    seg.focus()
    before = page.evaluate("window.scrollY")
    page.keyboard.press("Space")
    assert "Suggestions: the, tea, ten" in page.locator("#details-0").inner_text()
    assert page.evaluate("window.scrollY") == before
    assert problems == []
    page.close()


def test_only_shown_highlights_are_focusable(browser, tmp_path: Path) -> None:
    """QA accessibility audit: Tab landed on evidence highlights that were hidden."""
    page, problems, _ = open_report(browser, tmp_path, [strong_report()])
    unshown = page.evaluate(
        """() => [...document.querySelectorAll('#essay-0 .seg')].filter(s =>
            [...s.classList].every(c => !c.startsWith('k-') || c === 'k-evidence'))
            .map(s => s.getAttribute('tabindex'))"""
    )
    assert unshown and all(t is None for t in unshown)
    page.locator("input[data-toggle=evidence]").check()
    shown = page.evaluate(
        """() => [...document.querySelectorAll('#essay-0 .seg')].filter(s =>
            [...s.classList].every(c => !c.startsWith('k-') || c === 'k-evidence'))
            .map(s => s.getAttribute('tabindex'))"""
    )
    assert shown and all(t == "0" for t in shown)
    assert problems == []
    page.close()


def test_evidence_button_switches_the_evidence_checkbox_on(browser, tmp_path: Path) -> None:
    """QA accessibility audit: the docs said so; the checkbox and highlights stayed off."""
    page, problems, _ = open_report(browser, tmp_path, [strong_report()])
    box = page.locator("input[data-toggle=evidence]")
    assert not box.is_checked()
    page.get_by_role("button", name="show evidence for Climax").click()
    assert box.is_checked()
    assert "show-evidence" in page.locator("#essay-0").get_attribute("class")
    assert problems == []
    page.close()


def test_narrow_screen_scrolls_the_table_not_the_page(browser, tmp_path: Path) -> None:
    """QA accessibility audit: at 320 px the criteria table widened the whole page."""
    page, _, _ = open_report(browser, tmp_path, [strong_report()])
    assert fits_a_320_px_screen(page)
    page.close()


def test_a_long_unbroken_word_does_not_widen_the_page(browser, tmp_path: Path) -> None:
    """QA re-check: a URL in the essay made a 320 px page 732 px wide."""
    from essaycoach.essay import Essay
    from essaycoach.pipeline import Pipeline
    from essaycoach.settings import Settings

    url = "https://example.org/" + "averylongpaththatneverbreaks" * 10
    text = (Path(__file__).parents[2] / "examples" / "never-let-me-go.txt").read_text(
        encoding="utf-8"
    )
    with Pipeline(Settings(grammar="off")) as pipeline:
        report = pipeline.check_essay(Essay.from_text(f"{text}\n\nSee {url} for more.\n"))
    page, _, _ = open_report(browser, tmp_path, [report])
    assert fits_a_320_px_screen(page)
    page.close()


def test_switching_a_kind_off_unpicks_its_highlights(browser, tmp_path: Path) -> None:
    """QA re-check: after "show evidence", unticking Criterion evidence left the passage
    blue and outlined (no longer focusable) and its evidence in the panel."""
    page, problems, _ = open_report(browser, tmp_path, [strong_report()])
    page.get_by_role("button", name="show evidence for Climax").click()
    assert page.locator("#essay-0 .seg.active").count() > 0
    assert page.locator("#details-0 .detail-evidence").count() > 0
    page.locator("input[data-toggle=evidence]").uncheck()
    assert page.locator("#essay-0 .seg.active").count() == 0
    assert page.locator("#details-0 .detail-evidence").count() == 0
    assert problems == []
    page.close()


def test_without_javascript_no_control_that_cannot_work_is_shown(browser, tmp_path) -> None:
    """QA accessibility audit: with JavaScript off, checkboxes, buttons and "click"
    hints showed but did nothing."""
    path = tmp_path / "report.html"
    path.write_text(get_renderer("html").render([strong_report()]), encoding="utf-8")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(path.as_uri())
    for selector in ("button", "input", "aside.details", "footer .js-only"):
        assert all(not e.is_visible() for e in page.locator(selector).all()), selector
    assert page.locator("#essay-0 .seg[tabindex]").count() == 0
    page.locator("summary", has_text="with suggestions").click()
    assert "Suggestions: the, tea, ten" in page.locator("ol.grammar-issues").inner_text()
    context.close()


def test_printing_hides_controls_and_opens_details(browser, tmp_path: Path) -> None:
    """QA accessibility audit: buttons, checkboxes and the click panel printed and the
    "All measures" table stayed closed."""
    page, _, _ = open_report(browser, tmp_path, [strong_report()])
    page.emulate_media(media="print")
    for selector in ("button", "input", "aside.details"):
        assert all(not e.is_visible() for e in page.locator(selector).all()), selector
    measures = page.locator("details", has_text="All measures").locator("table")
    assert measures.is_visible()
    # the legend names only the kinds that print (QA re-check: evidence, off, was listed)
    legend = page.locator(".toggles label")
    shown = [label.inner_text().strip() for label in legend.all() if label.is_visible()]
    assert shown and "Criterion evidence" not in shown
    page.close()


@pytest.mark.parametrize(
    ("require", "outcome", "message"),
    [
        ("0", "1 skipped", "Chromium not found at /nonexistent/chromium"),
        ("1", "1 error", "ESSAYCOACH_REQUIRE_BROWSER=1 but Chromium not found"),
    ],
)
def test_missing_chromium_skips_unless_ci_requires_it(require, outcome, message) -> None:
    """Runs one browser test in a child pytest with Chromium pointed at a missing path."""
    env = {**os.environ, "ESSAYCOACH_CHROMIUM": "/nonexistent/chromium"}
    env["ESSAYCOACH_REQUIRE_BROWSER"] = require
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-rs",
            "-p",
            "no:cacheprovider",
            f"{__file__}::test_clicking_a_highlight_shows_its_details",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert outcome in result.stdout
    assert message in result.stdout
