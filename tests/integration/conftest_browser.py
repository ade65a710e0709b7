"""Fixture for tests marked `browser`: Debian's headless Chromium driven by Playwright.

Without Chromium or Playwright these tests are skipped with the reason; with
ESSAYCOACH_REQUIRE_BROWSER=1 (set by .ci/run) that skip is a failure instead.
ESSAYCOACH_CHROMIUM points at another Chromium binary.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("ESSAYCOACH_CHROMIUM", "/usr/bin/chromium")
# without the background-networking flags Chromium keeps trying to reach the internet
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_unavailable_reason() -> str | None:
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A launched Playwright Chromium browser, closed after the module's tests."""
    reason = browser_unavailable_reason()
    if reason:
        if os.environ.get("ESSAYCOACH_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ESSAYCOACH_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
