"""Every page (every route of the URLconf) carries the security headers; templates and static
files need nothing the Content-Security-Policy forbids; HSTS is on in production."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_case

ROOT = Path(__file__).resolve().parents[2]
HEADERS = {
    "Content-Security-Policy": settings.READMIT_CONTENT_SECURITY_POLICY,
    "Permissions-Policy": settings.READMIT_PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


def _concrete(route: str, ids: dict[str, str]) -> str:
    """A URL for a route: known objects for known parameters, else a fresh UUID (a 404 must
    carry the headers too)."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")

    def fill(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "", match.group(2)
        if name in ids:
            return ids[name]
        if converter == "int:":
            return "1"
        if converter in ("str:", "slug:", "path:") or (not converter and name != "id"):
            return "x"
        return str(uuid.uuid4())

    url = re.sub(r"<(\w+:)?(\w+)>", fill, route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: ids.get(m.group(1), "x"), url)
    return "/" + url


def test_the_urlconf_walk_covers_the_pages():
    routes = list(_routes(get_resolver().url_patterns))
    assert "cases/<uuid:case_id>/" in routes and "tokens/" in routes


@pytest.mark.parametrize("who", ["anonymous", "us_caseworker", "xk_auditor"])
def test_every_route_answers_with_every_security_header(world, login, client, who):
    case = make_case(world.agreement, by=world.user("us_caseworker"))
    ids = {"case_id": str(case.id), "agreement_id": str(world.agreement.id), "id": str(case.id)}
    http = client if who == "anonymous" else login(who)
    checked = 0
    for route in _routes(get_resolver().url_patterns):
        url = _concrete(route, ids)
        response = http.get(url)
        for header, value in HEADERS.items():
            assert response.get(header) == value, f"{url} ({response.status_code}): {header}"
        checked += 1
    assert checked > 30


def test_no_template_has_inline_script_style_or_event_handlers():
    offending = []
    for template in (ROOT / "readmit").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)",
            r"<style\b",
            r"\sstyle=",
            r"\son[a-z]+=",
            r"\shx-on",
            r"javascript:",
        ):
            if re.search(pattern, text):
                offending.append(f"{template.relative_to(ROOT)}: {pattern}")
    assert offending == []


def test_htmx_is_told_not_to_inject_styles_or_eval():
    base = (ROOT / "readmit/web/templates/web/base.html").read_text(encoding="utf-8")
    assert '"includeIndicatorStyles": false' in base
    assert '"allowEval": false' in base
    css = (ROOT / "readmit/web/static/web/readmit.css").read_text(encoding="utf-8")
    assert ".htmx-indicator" in css


def _production_setting(name: str, **env: str) -> str:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "READMIT_SECRET_KEY": "p" * 40,
        "DATABASE_URL": "postgres://nobody@localhost/none",
        "READMIT_DATA_KEYS": "p1:" + "ab" * 32,
        "READMIT_BLIND_INDEX_KEY": "cd" * 32,
        **env,
    }
    environment.pop("READMIT_HSTS_SECONDS", None) if "READMIT_HSTS_SECONDS" not in env else None
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; from django.conf import settings; print(settings.{name})",
        ],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_hsts_is_on_in_production_by_default_and_can_be_turned_off():
    assert int(_production_setting("SECURE_HSTS_SECONDS")) >= 31536000
    assert _production_setting("SECURE_HSTS_SECONDS", READMIT_HSTS_SECONDS="0") == "0"
