from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

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


def tmpdir_problem(tmpdir: str | None = None) -> str | None:
    """Why Chromium's renderers could not use the suite's TMPDIR, or None if they can.

    With ``--disable-dev-shm-usage`` Chromium keeps its shared memory in TMPDIR, and its
    renderer processes drop privileges even when the browser runs as root: every directory
    from TMPDIR up must let other users through (the ``x`` bit for others). A TMPDIR inside a
    0700 directory owned by another user (as .ci/run once made it) crashes every page with
    "Target crashed"; this names the directory instead.
    """
    if os.geteuid() != 0:  # the renderers run as this user, who can enter its own TMPDIR
        return None
    path = Path(tmpdir or tempfile.gettempdir()).resolve()
    for directory in (path, *path.parents):
        mode = directory.stat().st_mode
        if not mode & stat.S_IXOTH:
            return (
                f"TMPDIR={path}: Chromium's renderer processes cannot enter {directory} "
                f"(mode {stat.S_IMODE(mode):04o}, owner uid {directory.stat().st_uid}); "
                "give the suite a TMPDIR whose every directory is traversable (0755)"
            )
    return None


@pytest.fixture
def browser() -> Iterator[object]:
    problem = tmpdir_problem()
    if problem:
        pytest.fail(problem)
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


def ensure_countries() -> None:
    """A transactional test before this one may have flushed the migration's countries."""
    from readmit.core.countries import all_countries
    from readmit.core.models import Country

    Country.objects.bulk_create(
        [
            Country(code=c.code, alpha3=c.alpha3, name=c.name, user_assigned=c.user_assigned)
            for c in all_countries()
        ],
        ignore_conflicts=True,
    )


def htmx_ready(page) -> None:  # type: ignore[no-untyped-def]
    """htmx is a deferred script: the heading can be visible before it has wired the forms."""
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")


class BrowserSession:
    """One browser context on the live server, as every browser test needs it.

    Requests to any other host are aborted and recorded (the UI must work offline, with
    no CDN), and JavaScript errors on the page are recorded. ``close`` fails the test if
    either happened.
    """

    def __init__(self, browser, live_server_url: str) -> None:  # type: ignore[no-untyped-def]
        self.url = live_server_url
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        server = urlparse(live_server_url).netloc

        def only_live_server(route):  # type: ignore[no-untyped-def]
            if urlparse(route.request.url).netloc == server:
                route.continue_()
            else:
                self.outside.append(route.request.url)
                route.abort()

        self.page.route("**/*", only_live_server)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def log_in(self, username: str, password: str) -> None:
        """Log in on the login page, pass the second factor with a code of the user's TOTP
        device (as an authenticator app would show it), and wait for the overview."""
        from playwright.sync_api import expect

        from readmit.accounts.models import User
        from tests.factories import current_totp, recovery_code

        page = self.page
        if "/login/" not in page.url:
            page.goto(f"{self.url}/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Second factor", level=1)).to_be_visible()
        user = User.objects.get(username=username)
        try:
            code = current_totp(user)
        except AssertionError:  # this test used every step the device accepts right now
            code = recovery_code(user)
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Verify").click()
        expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()

    def log_out(self) -> None:
        from playwright.sync_api import expect

        self.page.get_by_role("button", name="Log out").click()
        expect(self.page).to_have_url(re.compile(r"/login/|/$"))

    def close(self) -> None:
        self.context.close()
        assert self.outside == [], f"requests left the live server: {self.outside}"
        assert self.errors == [], f"JavaScript errors on the page: {self.errors}"
