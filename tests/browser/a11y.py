"""axe-core in the browser tests, offline (docs/adr/0026-axe-core-in-the-browser-tests.md).

axe-core's ``axe.min.js`` is the copy shipped inside the ``axe-playwright-python`` wheel (a
dev dependency, pinned in requirements/dev.lock): nothing is downloaded at run time. The
source is evaluated in the page through the DevTools protocol (``page.evaluate``), which the
page's Content-Security-Policy does not govern, so the policy stays as strict as in
production (no inline script, no ``unsafe-eval``).
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

# The WCAG 2.1 A and AA rules plus axe's best practices (landmarks, one main heading,
# region): what docs/user-guide.md "Accessibility" promises.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@functools.cache
def axe_source() -> str:
    """The text of the shipped axe.min.js (its first line names the version)."""
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_version() -> str:
    first_line = axe_source().split("\n", 1)[0]  # "/*! axe v4.12.1"
    return first_line.removeprefix("/*! axe v").strip()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now and return its violations (axe's own dicts)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def sign_in(session: Any, user: Any, password: str | None = None) -> None:
    """Give the browser session the cookie of a login made through the real pages (password,
    then a TOTP code of the user's device), without typing it in each time."""
    from urllib.parse import urlparse

    from django.test import Client

    from tests.factories import PASSWORD, log_in

    client = Client()
    log_in(client, user, password or PASSWORD)
    session.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": urlparse(session.url).hostname,
                "path": "/",
            }
        ]
    )


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per offending element: rule id, impact, CSS target, and the rule's help."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}) at {' '.join(node['target'])}: "
                f"{violation['help']}; {node.get('failureSummary', '').replace(chr(10), ' ')}"
            )
    return "\n".join(lines)


def assert_no_axe_violations(page: Any, where: str = "") -> None:
    """Fail listing each violation axe-core finds on the page (id, impact, target, help)."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core {axe_version()} found violations on {where or page.url}:\n"
        + describe(violations)
    )
