from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests, but there is no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (set PLAYWRIGHT_CHROMIUM_EXECUTABLE)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Auto-waiting assertions: generous on a busy 2-core CI machine; they return as soon as
    # the condition holds, so a passing run is not slower.
    sync_api.expect.set_options(timeout=20_000)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: ``READMIT_SCREENSHOT_DIR`` if set (to look at them), else tmp."""
    target = Path(os.environ.get("READMIT_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def htmx_ready(page) -> None:  # type: ignore[no-untyped-def]
    """htmx is a deferred script: the heading can be visible before it has wired the forms."""
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
