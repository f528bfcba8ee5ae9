"""Logins: throttling and lockout, the bound on password checks, the second factor
(enrolment, recovery codes, reset by the administrator), session timeouts, and the URLconf
walk: every page needs a login and a verified second factor except an explicit list."""

from __future__ import annotations

import base64
import datetime as dt
import re
import threading
import uuid
from contextlib import ExitStack
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from readmit.accounts.hashers import BoundedArgon2PasswordHasher, check_gate
from readmit.accounts.lockout import locked_until
from readmit.accounts.logins import BUSY_MESSAGE, LOCKED_MESSAGE
from readmit.accounts.models import LoginFailure
from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core import clock
from readmit.web.middleware import ANONYMOUS_ALLOWED, OPERATIONS_OPEN, UNVERIFIED_ALLOWED
from tests.factories import PASSWORD, current_totp, log_in, make_user, recovery_code

WRONG = "not-the-password-at-all"


def _events(event_type: AuditEventType) -> Any:
    return AuditEvent.objects.filter(event_type=event_type)


def _password(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/login/", {"username": username, "password": password})


@pytest.fixture
def limits(settings):  # type: ignore[no-untyped-def]
    settings.READMIT_LOGIN_ACCOUNT_FAILURE_LIMIT = 3
    settings.READMIT_LOGIN_ADDRESS_FAILURE_LIMIT = 5
    settings.READMIT_LOGIN_FAILURE_WINDOW_SECONDS = 600
    return settings


def _move_clock(monkeypatch, seconds: float) -> None:  # type: ignore[no-untyped-def]
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
    monkeypatch.setattr(clock, "now", lambda: moment)


# Throttling ------------------------------------------------------------------------------


def test_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(client, world, limits):
    for _ in range(3):
        assert _password(client, "xk_caseworker", WRONG).status_code == 200
    response = _password(client, "xk_caseworker")
    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode().replace("&#x27;", "'")
    assert client.get("/cases/")["Location"].startswith("/login/")
    refused = _events(AuditEventType.LOGIN_REFUSED_LOCKED).get()
    assert refused.data["username"] == "xk_caseworker" and refused.data["scope"] == "account"
    assert not _events(AuditEventType.LOGIN_PASSWORD_ACCEPTED).exists()


def test_a_lock_on_a_name_that_does_not_exist_reads_like_a_lock_on_a_real_account(
    client, world, limits
):
    pages = []
    for name in ("xk_caseworker", "nobody-by-this-name"):
        for _ in range(3):
            _password(client, name, WRONG)
        response = _password(client, name, WRONG)
        LoginFailure.objects.all().delete()  # the address must not lock first
        assert response.status_code == 429
        pages.append(response.content.decode().replace(name, "NAME"))
    assert pages[0] == pages[1].replace(
        # only the CSRF token differs
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pages[1]).group(1),  # type: ignore[union-attr]
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pages[0]).group(1),  # type: ignore[union-attr]
    )


def test_a_lock_ends_by_itself_once_the_failures_leave_the_window(
    client, world, limits, monkeypatch
):
    for _ in range(3):
        _password(client, "xk_caseworker", WRONG)
    assert _password(client, "xk_caseworker").status_code == 429
    _move_clock(monkeypatch, 601)
    response = _password(client, "xk_caseworker")
    assert response.status_code == 302 and response["Location"].startswith("/login/verify/")


def test_an_address_is_locked_after_failures_across_many_names(client, world, limits):
    for n in range(5):
        _password(client, f"guess-{n}", WRONG)
    response = _password(client, "us_caseworker")
    assert response.status_code == 429
    assert _events(AuditEventType.LOGIN_REFUSED_LOCKED).get().data["scope"] == "address"
    other_address = Client(REMOTE_ADDR="192.0.2.7")
    assert _password(other_address, "us_caseworker").status_code == 302


def test_the_organisations_administrator_unlocks_an_account_audited(client, world, limits):
    for _ in range(3):
        _password(Client(REMOTE_ADDR="192.0.2.9"), "xk_caseworker", WRONG)
    admin = log_in(Client(), world.user("xk_administrator"))
    page = admin.get(f"/organisations/{world.xk.id}/users/")
    assert page.status_code == 200 and "Locked until" in page.content.decode()
    target = world.user("xk_caseworker")
    response = admin.post(f"/users/{target.pk}/unlock/", {"organisation": str(world.xk.id)})
    assert response.status_code == 302
    event = _events(AuditEventType.LOGIN_UNLOCKED).get()
    assert event.actor_username == "xk_administrator" and event.object_id == str(target.pk)
    assert event.data["failures_cleared"] == 3
    assert _password(Client(REMOTE_ADDR="192.0.2.9"), "xk_caseworker").status_code == 302


@pytest.mark.parametrize(("who", "status"), [("us_administrator", 404), ("xk_supervisor", 403)])
def test_only_an_administrator_of_the_users_organisation_unlocks_it(
    client, world, limits, who, status
):
    for _ in range(3):
        _password(Client(REMOTE_ADDR="192.0.2.9"), "xk_caseworker", WRONG)
    other = log_in(Client(), world.user(who))
    target = world.user("xk_caseworker")
    assert other.post(f"/users/{target.pk}/unlock/").status_code == status
    assert not _events(AuditEventType.LOGIN_UNLOCKED).exists()
    assert _password(Client(REMOTE_ADDR="192.0.2.9"), "xk_caseworker").status_code == 429


# The bound on password checks ------------------------------------------------------------


@pytest.fixture
def cheap_argon2(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["readmit.accounts.hashers.BoundedArgon2PasswordHasher"]
    settings.READMIT_ARGON2 = {"memory_cost": 8 * 1024, "time_cost": 1, "parallelism": 1}
    settings.READMIT_PASSWORD_CHECKS_CONCURRENT = 2
    return settings


def test_a_login_finding_every_check_slot_taken_is_refused_as_busy_and_counts_no_failure(
    client, world, cheap_argon2
):
    user = world.user("xk_caseworker")
    user.set_password(PASSWORD)
    user.save()
    cheap_argon2.READMIT_PASSWORD_CHECK_WAIT_SECONDS = 0
    gate = check_gate()
    with ExitStack() as held:
        for _ in range(gate.slots):
            held.enter_context(gate.slot(wait=0))
        response = _password(client, "xk_caseworker")
        assert response.status_code == 503
        assert BUSY_MESSAGE in response.content.decode()
    assert _events(AuditEventType.LOGIN_REFUSED_BUSY).count() == 1
    assert not LoginFailure.objects.exists()
    assert _password(client, "xk_caseworker").status_code == 302


def test_new_password_hashes_use_the_configured_argon2id_cost(settings):
    settings.PASSWORD_HASHERS = ["readmit.accounts.hashers.BoundedArgon2PasswordHasher"]
    settings.READMIT_ARGON2 = {"memory_cost": 4096, "time_cost": 3, "parallelism": 1}
    hasher = BoundedArgon2PasswordHasher()
    encoded = hasher.encode("a-long-enough-password", hasher.salt())
    assert "$argon2id$" in encoded and "m=4096,t=3,p=1" in encoded
    assert hasher.verify("a-long-enough-password", encoded)
    settings.READMIT_ARGON2 = {"memory_cost": 8192, "time_cost": 3, "parallelism": 1}
    assert hasher.must_update(encoded)


def test_the_lock_rule_counts_only_failures_inside_the_window():
    now = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
    window = dt.timedelta(minutes=15)
    minutes = [dt.timedelta(minutes=m) for m in (20, 10, 5, 1)]
    failures = [now - m for m in minutes]
    assert locked_until(failures, now=now, limit=4, window=window) is None
    assert locked_until(failures, now=now, limit=3, window=window) == now - minutes[1] + window
    assert locked_until(failures, now=now + dt.timedelta(minutes=6), limit=3, window=window) is None


def test_32_parallel_password_checks_never_run_more_than_the_bound_at_once(cheap_argon2):
    hasher = BoundedArgon2PasswordHasher()
    encoded = hasher.encode("a-long-enough-password", hasher.salt())
    gate = check_gate()
    gate.peak = 0
    start = threading.Barrier(32)
    results: list[bool] = []

    def check(n: int) -> None:
        start.wait()
        results.append(hasher.verify("a-long-enough-password" if n % 2 else WRONG, encoded))

    threads = [threading.Thread(target=check, args=(n,)) for n in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 32 and results.count(True) == 16
    assert 1 <= gate.peak <= 2
    assert gate.running == 0


# The second factor -----------------------------------------------------------------------


def test_a_session_with_only_the_password_is_refused_by_every_page(client, world):
    assert _password(client, "xk_caseworker").status_code == 302
    for url in ("/", "/cases/", "/profile/", f"/agreements/{world.agreement.id}/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/verify/"), url


def test_a_user_without_a_second_factor_enrols_at_first_login(client, world):
    user = make_user(world.xk, Role.CASEWORKER, username="xk_new", second_factor=False)
    response = _password(client, "xk_new")
    assert response["Location"].startswith("/login/enrol/")
    assert client.get("/cases/")["Location"].startswith("/login/verify/")
    page = client.get("/login/enrol/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7=]+)<', page).group(1)  # type: ignore[union-attr]
    assert "otpauth://totp/" in page
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    done = client.post("/login/enrol/", {"token": code})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/cases/").status_code == 200
    assert _events(AuditEventType.SECOND_FACTOR_ENROLLED).filter(object_id=str(user.pk)).exists()
    assert _events(AuditEventType.USER_LOGGED_IN).get().data["factor"] == "enrolment"


def test_a_wrong_enrolment_code_is_named_on_the_field_and_enrols_nothing(client, world):
    user = make_user(world.xk, Role.CASEWORKER, username="xk_new", second_factor=False)
    _password(client, "xk_new")
    wrong = client.post("/login/enrol/", {"token": "000000"})
    assert wrong.status_code == 422 and 'id="id_token_error"' in wrong.content.decode()
    assert "does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert client.get("/cases/")["Location"].startswith("/login/verify/")


def test_enrolment_is_refused_once_a_second_factor_exists(client, world):
    _password(client, "xk_caseworker")
    response = client.get("/login/enrol/")
    assert response.status_code == 302 and response["Location"].startswith("/login/verify/")
    assert TOTPDevice.objects.filter(user=world.user("xk_caseworker")).count() == 1


def test_a_recovery_code_works_once(client, world):
    user = world.user("xk_caseworker")
    code = recovery_code(user)
    _password(client, "xk_caseworker")
    response = client.post("/login/verify/", {"token": code})
    assert response.status_code == 302 and response["Location"] == "/"
    assert _events(AuditEventType.RECOVERY_CODE_USED).get().data["recovery_codes_left"] == 4
    client.post("/logout/")
    _password(client, "xk_caseworker")
    again = client.post("/login/verify/", {"token": code})
    assert again.status_code == 422 and "does not match" in again.content.decode()
    assert client.get("/cases/")["Location"].startswith("/login/verify/")
    assert _events(AuditEventType.SECOND_FACTOR_FAILED).count() == 1


def test_a_wrong_code_is_named_on_the_field_and_verifies_nothing(client, world):
    _password(client, "xk_caseworker")
    response = client.post("/login/verify/", {"token": "12345"})
    assert response.status_code == 422
    assert 'id="id_token_error"' in response.content.decode()
    assert client.get("/cases/").status_code == 302


def test_the_administrator_resets_a_second_factor_and_the_user_enrols_again(client, world):
    target = world.user("xk_caseworker")
    admin = log_in(Client(), world.user("xk_administrator"))
    response = admin.post(
        f"/users/{target.pk}/second-factor/reset/", {"organisation": str(world.xk.id)}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not StaticDevice.objects.filter(user=target).exists()
    event = _events(AuditEventType.SECOND_FACTOR_RESET).get()
    assert event.actor_username == "xk_administrator" and event.organisation_id == world.xk.id
    assert _password(client, "xk_caseworker")["Location"].startswith("/login/enrol/")


@pytest.mark.parametrize(("who", "status"), [("us_administrator", 404), ("xk_supervisor", 403)])
def test_only_an_administrator_of_the_users_organisation_resets_a_second_factor(world, who, status):
    target = world.user("xk_caseworker")
    other = log_in(Client(), world.user(who))
    assert other.post(f"/users/{target.pk}/second-factor/reset/").status_code == status
    assert TOTPDevice.objects.filter(user=target, confirmed=True).exists()
    assert not _events(AuditEventType.SECOND_FACTOR_RESET).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("xk_administrator", 200), ("us_administrator", 404), ("xk_supervisor", 403)],
)
def test_the_users_page_is_the_organisations_administrators(world, login, who, status):
    assert login(who).get(f"/organisations/{world.xk.id}/users/").status_code == status


def test_a_verified_session_of_a_reset_user_must_enrol_again(world):
    target = world.user("xk_caseworker")
    client = log_in(Client(), target)
    admin = log_in(Client(), world.user("xk_administrator"))
    admin.post(f"/users/{target.pk}/second-factor/reset/")
    assert client.get("/cases/")["Location"].startswith("/login/verify/")


# Session timeouts ------------------------------------------------------------------------


def test_a_session_idle_too_long_ends_audited(world, login, settings, monkeypatch):
    settings.READMIT_SESSION_IDLE_SECONDS = 1800
    client = login("xk_caseworker")
    _move_clock(monkeypatch, 1700)
    assert client.get("/cases/").status_code == 200
    _move_clock(monkeypatch, 1700 + 1801)
    response = client.get("/cases/")
    assert response.status_code == 302 and "expired=idle" in response["Location"]
    assert _events(AuditEventType.SESSION_EXPIRED).get().data["reason"] == "idle"
    assert client.get("/cases/")["Location"].startswith("/login/")
    assert "idle too long" in client.get(response["Location"]).content.decode()


def test_a_session_ends_at_its_absolute_limit_however_active(world, login, settings, monkeypatch):
    settings.READMIT_SESSION_IDLE_SECONDS = 1800
    settings.READMIT_SESSION_ABSOLUTE_SECONDS = 3600
    client = login("xk_caseworker")
    for seconds in (1000, 2000, 3000):
        _move_clock(monkeypatch, seconds)
        assert client.get("/cases/").status_code == 200
    _move_clock(monkeypatch, 3700)
    response = client.get("/cases/")
    assert response.status_code == 302 and "expired=absolute" in response["Location"]
    assert _events(AuditEventType.SESSION_EXPIRED).get().data["reason"] == "absolute"


# The URLconf walk ------------------------------------------------------------------------


def _example(pattern: str) -> str:
    """A path that the route or regex matches: ids as fresh UUIDs or 1, names as ``x``."""
    path = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), pattern)
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<(?:\w+:)?\w+>", "x", path)
    path = re.sub(r"\(\?P<\w+>([^)|]+\|)*([^)|]+)\)", lambda m: _alternative(m.group(0)), path)
    return path.replace("^", "").replace("$", "").replace("\\", "")


def _alternative(group: str) -> str:
    body = group.split(">", 1)[1][:-1]
    if "|" in body:
        return body.split("|")[0]
    return "1"


def _walk(resolvers: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            found += _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            found.append((prefix + str(entry.pattern), name))
    return found


def _pages() -> list[tuple[str, str]]:
    # The API has its own credential (tests/exchange/test_auth.py): a session never opens it.
    return [(p, n) for p, n in _walk(get_resolver().url_patterns) if not p.startswith("api/")]


def test_the_walk_covers_every_page_including_the_admin():
    pages = _pages()
    assert any(n == "web:case" for _, n in pages) and any(n.startswith("admin:") for _, n in pages)
    assert len(pages) > 40


# Open without a login, by name: the health probes (no data) and metrics (its own bearer
# token, tests/ops/test_metrics.py). Adding a page here is a security decision.
OPEN_WITHOUT_LOGIN = {"healthz", "readyz", "metrics"}


def test_the_pages_open_without_a_login_are_exactly_the_listed_ones():
    assert OPERATIONS_OPEN == OPEN_WITHOUT_LOGIN
    # The language chooser of the login page sets a cookie only (tests/web/test_i18n.py);
    # the font files hold no data (tests/documents/test_pages.py); an invitation's page
    # needs its signed single-use link (tests/web/test_administration.py).
    assert {
        "web:login",
        "web:language",
        "admin_login_redirect",
        "web:font_file",
        "web:invitation_accept",
    } == ANONYMOUS_ALLOWED


def test_every_page_refuses_an_anonymous_visitor_except_the_login(client, world):
    for pattern, name in _pages():
        path = "/" + _example(pattern)
        if resolve(path).view_name in ANONYMOUS_ALLOWED | OPEN_WITHOUT_LOGIN:
            continue
        response = client.get(path)
        assert response.status_code == 302, (path, name, response.status_code)
        assert response["Location"].startswith("/login/"), (path, name)


def test_every_page_refuses_a_session_without_its_second_factor_except_the_login_steps(
    client, world
):
    _password(client, "xk_caseworker")
    for pattern, name in _pages():
        path = "/" + _example(pattern)
        if resolve(path).view_name in UNVERIFIED_ALLOWED | OPEN_WITHOUT_LOGIN:
            continue
        response = client.get(path)
        assert response.status_code == 302, (path, name, response.status_code)
        assert response["Location"].startswith("/login/verify/"), (path, name)


def test_the_admin_login_is_ours_throttled_and_audited(client, world):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/admin/"
    staff = world.user("xk_auditor")
    staff.is_staff = True
    staff.save()
    client.post("/login/?next=/admin/", {"username": "xk_auditor", "password": PASSWORD})
    response = client.post("/login/verify/", {"token": current_totp(staff), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    event = _events(AuditEventType.USER_LOGGED_IN).get()
    assert event.data["next"] == "/admin/" and event.data["staff"] is True


def test_a_signed_in_user_without_the_staff_flag_is_refused_by_the_admin_not_looped(login):
    client = login("xk_caseworker")
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2
