from __future__ import annotations

import pytest

from readmit.accounts.models import ApiToken
from readmit.accounts.services import token_revoke
from tests.exchange.conftest import assert_problem
from tests.factories import CLI

ENDPOINTS = ["/api/v1/agreements", "/api/v1/cases"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_request_without_a_token_is_refused_as_unauthenticated(api, world, path):
    response = api.get(path)
    assert_problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert api.get(path, world.user("us_caseworker")).status_code == 200


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_unknown_token_is_refused_as_unauthenticated(api, world, path):
    assert_problem(api.get(path, token="rdm_not-a-real-token"), 401, "unauthenticated")
    assert_problem(api.get(path, token="not even the prefix"), 401, "unauthenticated")


def test_a_revoked_token_is_refused_and_was_accepted_before(api, world):
    user = world.user("us_caseworker")
    token = api.token(user)
    assert api.get("/api/v1/cases", token=token).status_code == 200
    token_revoke(token=ApiToken.objects.get(user=user), acting_user=CLI)
    assert_problem(api.get("/api/v1/cases", token=token), 401, "unauthenticated")


def test_a_token_of_a_deactivated_user_is_refused(api, world):
    user = world.user("us_caseworker")
    token = api.token(user)
    user.is_active = False
    user.save()
    assert_problem(api.get("/api/v1/cases", token=token), 401, "unauthenticated")


def test_another_authorization_scheme_is_refused(api, world):
    token = api.token(world.user("us_caseworker"))
    response = api.client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Token {token}")
    assert_problem(response, 401, "unauthenticated")


def test_a_logged_in_session_does_not_authenticate_the_api(api, world):
    api.client.force_login(world.user("us_caseworker"))
    assert_problem(api.get("/api/v1/cases"), 401, "unauthenticated")


def test_authentication_is_checked_before_the_body_is_validated(api, world):
    from tests.factories import make_case

    case = make_case(world.agreement)
    response = api.transition(case, None, {"action": 42})
    assert_problem(response, 401, "unauthenticated")
