"""The browser works with the suite's own TMPDIR, or the failure names the directory.

Regression for issue 17: .ci/run once pointed TMPDIR into a 0700 directory owned by
``postgres``; every browser test then crashed deep inside Playwright ("Target crashed").
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from tests.browser.conftest import tmpdir_problem


def test_a_tmpdir_inside_another_users_private_directory_is_named() -> None:
    if os.geteuid() != 0:
        pytest.skip("only root's browser drops privileges for its renderers")
    base = Path(tempfile.mkdtemp())
    try:
        base.chmod(0o755)
        private = base / "private"
        (private / "tmp").mkdir(parents=True)
        private.chmod(0o700)
        problem = tmpdir_problem(str(private / "tmp"))
        assert problem is not None
        assert f"cannot enter {private} (mode 0700" in problem
        private.chmod(0o755)
        # Traversable all the way up (the suite's own TMPDIR must be, or every browser test
        # fails with the same message).
        assert tmpdir_problem(str(private / "tmp")) is None
    finally:
        shutil.rmtree(base)


@pytest.mark.browser
def test_the_browser_renders_pages_with_the_suites_tmpdir(browser) -> None:
    """Rendering needs shared memory in TMPDIR; a crash here names TMPDIR and its mode."""
    tmpdir = Path(tempfile.gettempdir())
    page = browser.new_page()
    try:
        rows = "".join(f"<tr><td>{i}</td><td>{'x' * 200}</td></tr>" for i in range(2000))
        page.set_content(f"<h1 id='h'>Readmit</h1><table>{rows}</table>")
        assert page.evaluate("document.querySelectorAll('tr').length") == 2000
        page.screenshot(full_page=True)
    except Exception as exc:  # Playwright's Error: "Target crashed", "Page crashed"
        pytest.fail(
            f"Chromium could not render with TMPDIR={tmpdir} "
            f"(mode {stat.S_IMODE(tmpdir.stat().st_mode):04o}): {type(exc).__name__}: {exc}"
        )
    finally:
        page.close()
