"""API tokens: scopes, expiry, last use, revocation (page and command), rotation."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import override_settings

from readmit.accounts.models import ApiToken
from readmit.accounts.scopes import area_of, parse_scopes, required_scope
from readmit.accounts.services import token_create, token_revoke, token_rotate
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cli import main as cli_main
from readmit.core import clock
from readmit.core.errors import Forbidden, NotFound, ValidationFailed
from tests.exchange.conftest import assert_problem
from tests.factories import CLI, SYSTEM, make_case


def test_the_area_of_a_request_comes_from_its_path():
    assert area_of("cases/1/transitions") == "cases"
    assert area_of("agreements/9/lists") == "lists"
    assert area_of("agreements/9/amendments") == "agreements"
    assert area_of("watchlists/3") == "screening"
    assert required_scope("GET", "cases/1") == "read"
    assert required_scope("POST", "cases/1/transitions") == "write:cases"


def test_an_unknown_scope_is_refused_naming_it(world):
    with pytest.raises(ValidationFailed, match="write:everything"):
        token_create(
            user=world.user("us_caseworker"), scopes=["write:everything"], acting_user=SYSTEM
        )
    assert parse_scopes(["read,write:cases"]) == ("read", "write:cases")


def test_a_write_with_a_read_only_token_is_refused_with_403_naming_the_scope(api, world):
    user = world.user("us_caseworker")
    case = make_case(world.agreement, by=user)
    _, read_only = token_create(user=user, scopes=["read"], acting_user=SYSTEM)
    assert api.get(f"/api/v1/cases/{case.id}", token=read_only).status_code == 200
    etag = api.get(f"/api/v1/cases/{case.id}", token=read_only)["ETag"]
    response = api.client.post(
        f"/api/v1/cases/{case.id}/transitions",
        data=json.dumps({"action": "submit"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {read_only}",
        HTTP_IF_MATCH=etag,
    )
    body = assert_problem(response, 403, "insufficient-scope")
    assert "write:cases" in body["detail"]


def test_a_token_for_one_area_cannot_write_another(api, world):
    user = world.user("us_supervisor")
    _, lists_only = token_create(user=user, scopes=["read", "write:lists"], acting_user=SYSTEM)
    response = api.client.post(
        f"/api/v1/agreements/{world.agreement.id}/contacts",
        data=json.dumps({}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {lists_only}",
    )
    body = assert_problem(response, 403, "insufficient-scope")
    assert "write:agreements" in body["detail"]
    # The full-scope token of the same user gets past the scope check (to validation).
    assert (
        api.client.post(
            f"/api/v1/agreements/{world.agreement.id}/contacts",
            data=json.dumps({}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {api.token(user)}",
        ).status_code
        == 422
    )


def test_a_token_without_read_cannot_read(api, world):
    _, write_only = token_create(
        user=world.user("us_caseworker"), scopes=["write:cases"], acting_user=SYSTEM
    )
    body = assert_problem(api.get("/api/v1/cases", token=write_only), 403, "insufficient-scope")
    assert "'read'" in body["detail"]


def test_a_token_expires_and_is_refused_after(api, world):
    user = world.user("us_caseworker")
    token, secret = token_create(user=user, expires_days=1, acting_user=SYSTEM)
    assert token.expires_at - clock.now() <= dt.timedelta(days=1)
    assert api.get("/api/v1/cases", token=secret).status_code == 200
    ApiToken.objects.filter(id=token.id).update(expires_at=clock.now() - dt.timedelta(seconds=1))
    assert_problem(api.get("/api/v1/cases", token=secret), 401, "unauthenticated")


@override_settings(READMIT_TOKEN_DEFAULT_DAYS=30, READMIT_TOKEN_MAX_DAYS=60)
def test_expiry_defaults_to_the_setting_and_cannot_exceed_the_maximum(world):
    user = world.user("us_caseworker")
    token, _ = token_create(user=user, acting_user=SYSTEM)
    lives = token.expires_at - clock.now()
    assert dt.timedelta(days=29, hours=23) < lives <= dt.timedelta(days=30)
    count = ApiToken.objects.count()
    with pytest.raises(ValidationFailed, match="expires_days"):
        token_create(user=user, expires_days=61, acting_user=SYSTEM)
    with pytest.raises(ValidationFailed, match="expires_days"):
        token_create(user=user, expires_days=0, acting_user=SYSTEM)
    assert ApiToken.objects.count() == count


def test_last_use_is_recorded(api, world):
    token, secret = token_create(user=world.user("us_caseworker"), acting_user=SYSTEM)
    assert token.last_used_at is None
    api.get("/api/v1/cases", token=secret)
    assert ApiToken.objects.get(id=token.id).last_used_at is not None


def test_rotation_keeps_the_old_token_working_until_it_is_revoked(api, world):
    user = world.user("us_caseworker")
    old, old_secret = token_create(user=user, scopes=["read"], acting_user=SYSTEM)
    new, new_secret = token_rotate(token=old, acting_user=user)
    assert new.scopes == ["read"] and new.replaces_id == old.id
    assert api.get("/api/v1/cases", token=old_secret).status_code == 200
    assert api.get("/api/v1/cases", token=new_secret).status_code == 200
    assert AuditEvent.objects.filter(event_type=AuditEventType.API_TOKEN_ROTATED).exists()
    token_revoke(token=old, acting_user=user)
    assert_problem(api.get("/api/v1/cases", token=old_secret), 401, "unauthenticated")
    assert api.get("/api/v1/cases", token=new_secret).status_code == 200


def test_a_deactivated_users_tokens_stop_at_once_and_none_are_made(api, world):
    user = world.user("us_caseworker")
    _, secret = token_create(user=user, acting_user=SYSTEM)
    assert api.get("/api/v1/cases", token=secret).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_problem(api.get("/api/v1/cases", token=secret), 401, "unauthenticated")
    with pytest.raises(ValidationFailed, match="deactivated"):
        token_create(user=user, acting_user=SYSTEM)


def test_only_the_user_or_their_organisations_administrator_revokes_a_token(world):
    token, _ = token_create(user=world.user("us_caseworker"), acting_user=SYSTEM)
    with pytest.raises(NotFound):
        token_revoke(token=token, acting_user=world.user("xk_administrator"))
    with pytest.raises(Forbidden):
        token_revoke(token=token, acting_user=world.user("us_supervisor"))
    assert ApiToken.objects.get(id=token.id).revoked_at is None
    token_revoke(token=token, acting_user=world.user("us_administrator"))
    assert ApiToken.objects.get(id=token.id).revoked_at is not None
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.API_TOKEN_REVOKED, actor_username="us_administrator"
    ).exists()


def test_an_administrator_cannot_rotate_someone_elses_token(world):
    token, _ = token_create(user=world.user("us_caseworker"), acting_user=SYSTEM)
    with pytest.raises(Forbidden):
        token_rotate(token=token, acting_user=world.user("us_administrator"))
    with pytest.raises(NotFound):
        token_rotate(token=token, acting_user=world.user("xk_administrator"))
    assert ApiToken.objects.filter(replaces=token).count() == 0


# --- the page ---------------------------------------------------------------------------


def test_the_tokens_page_lists_own_tokens_and_revokes_them(login, world):
    token, _ = token_create(
        user=world.user("us_caseworker"), name="partner-sync", acting_user=SYSTEM
    )
    client = login("us_caseworker")
    page = client.get("/tokens/")
    assert page.status_code == 200
    assert token.prefix in page.content.decode()
    response = client.post(f"/tokens/{token.id}/revoke/")
    assert response.status_code == 302
    assert ApiToken.objects.get(id=token.id).revoked_at is not None


def test_the_tokens_page_shows_an_administrator_the_members_tokens_only(login, world):
    ours, _ = token_create(user=world.user("us_caseworker"), acting_user=SYSTEM)
    theirs, _ = token_create(user=world.user("xk_caseworker"), acting_user=SYSTEM)
    page = login("us_administrator").get("/tokens/").content.decode()
    assert ours.prefix in page
    assert theirs.prefix not in page


def test_revoking_from_the_page_refuses_a_non_party_with_404_and_a_colleague_with_403(login, world):
    token, _ = token_create(user=world.user("us_caseworker"), acting_user=SYSTEM)
    assert login("xk_administrator").post(f"/tokens/{token.id}/revoke/").status_code == 404
    assert login("us_supervisor").post(f"/tokens/{token.id}/revoke/").status_code == 403
    assert ApiToken.objects.get(id=token.id).revoked_at is None
    assert login("us_administrator").post(f"/tokens/{token.id}/revoke/").status_code == 302
    assert ApiToken.objects.get(id=token.id).revoked_at is not None


def test_rotating_from_the_page_shows_the_new_token_once(login, world):
    token, _ = token_create(user=world.user("us_caseworker"), acting_user=SYSTEM)
    page = login("us_caseworker").post(f"/tokens/{token.id}/rotate/")
    assert page.status_code == 200
    new = ApiToken.objects.get(replaces=token)
    assert new.prefix in page.content.decode()
    assert ApiToken.objects.get(id=token.id).revoked_at is None


def test_the_tokens_page_needs_a_login(client, world):
    response = client.get("/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- the commands -----------------------------------------------------------------------


def test_createtoken_takes_scopes_and_expiry_and_plain_createtoken_still_works(world, capsys):
    assert cli_main(["createtoken", "us_caseworker"]) == 0
    plain = ApiToken.objects.filter(user__username="us_caseworker").latest("created_at")
    assert plain.scopes == ["read", "write"]
    assert (
        cli_main(
            [
                "createtoken",
                "us_caseworker",
                "--scope",
                "read",
                "--scope",
                "write:lists",
                "--expires-days",
                "7",
            ]
        )
        == 0
    )
    scoped = ApiToken.objects.filter(user__username="us_caseworker").latest("created_at")
    assert scoped.scopes == ["read", "write:lists"]
    assert scoped.expires_at - clock.now() <= dt.timedelta(days=7)
    assert cli_main(["createtoken", "us_caseworker", "--expires-days", "9999"]) == 2
    assert "expires_days" in capsys.readouterr().err


def test_token_revoke_command_stops_the_token(api, world, capsys):
    token, secret = token_create(user=world.user("us_caseworker"), acting_user=CLI)
    assert cli_main(["token", "revoke", token.prefix]) == 0
    assert_problem(api.get("/api/v1/cases", token=secret), 401, "unauthenticated")
    assert cli_main(["token", "revoke", token.prefix]) == 2
