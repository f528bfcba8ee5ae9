"""Webhook subscriptions, deliveries and replays through the API: administrators only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from readmit.audit.models import AuditEvent
from readmit.cases.services import case_transition
from readmit.events.delivery import deliver_due
from readmit.events.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.exchange.conftest import assert_problem
from tests.factories import make_case


def _post(api, path: str, user, body: Any, method: str = "post"):  # type: ignore[no-untyped-def]
    return getattr(api.client, method)(
        path,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(user)}",
    )


def _create(api, world, org: str = "us", **body: Any):  # type: ignore[no-untyped-def]
    payload = {"url": "http://127.0.0.1:9/hooks", "event_types": ["case.transitioned"], **body}
    return _post(
        api,
        f"/api/v1/organisations/{getattr(world, org).id}/webhooks",
        world.user(f"{org}_administrator"),
        payload,
    )


def test_an_administrator_subscribes_and_sees_the_secret_only_once(world, api):
    audit_before = AuditEvent.objects.count()
    response = _create(api, world)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["secret"].startswith("whsec_")
    assert created["event_types"] == ["case.transitioned"]
    assert AuditEvent.objects.count() == audit_before + 1
    audit = AuditEvent.objects.order_by("-seq").first()
    assert audit.event_type == 700 and created["secret"] not in json.dumps(audit.data)
    admin = world.user("us_administrator")
    listed = api.get(f"/api/v1/organisations/{world.us.id}/webhooks", admin).json()
    assert [s["id"] for s in listed] == [created["id"]]
    assert "secret" not in listed[0]
    detail = api.get(f"/api/v1/webhooks/{created['id']}", admin).json()
    assert "secret" not in detail


def test_another_organisation_gets_404_and_a_non_administrator_403(world, api):
    sub_id = _create(api, world).json()["id"]
    count = WebhookSubscription.objects.count()
    for user, status, slug in (
        ("xk_administrator", 404, "not-found"),
        ("me_administrator", 404, "not-found"),
        ("us_supervisor", 403, "wrong-role"),
        ("us_caseworker", 403, "wrong-role"),
    ):
        u = world.user(user)
        assert_problem(api.get(f"/api/v1/organisations/{world.us.id}/webhooks", u), status, slug)
        assert_problem(api.get(f"/api/v1/webhooks/{sub_id}", u), status, slug)
        assert_problem(api.get(f"/api/v1/webhooks/{sub_id}/deliveries", u), status, slug)
        body = {"url": "http://127.0.0.1:9/x", "event_types": ["case.created"]}
        assert_problem(
            _post(api, f"/api/v1/organisations/{world.us.id}/webhooks", u, body), status, slug
        )
        assert_problem(
            _post(api, f"/api/v1/webhooks/{sub_id}", u, {"active": False}, "patch"), status, slug
        )
        assert_problem(
            api.client.delete(
                f"/api/v1/webhooks/{sub_id}", HTTP_AUTHORIZATION=f"Bearer {api.token(u)}"
            ),
            status,
            slug,
        )
    assert WebhookSubscription.objects.count() == count
    assert WebhookSubscription.objects.get(id=sub_id).active is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://127.0.0.1/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "http://user:pw@127.0.0.1/x"}, "url"),
        ({"url": "http://" + "a" * 600 + ".example/"}, "url"),
        ({"event_types": ["case.exploded"]}, "event_types"),
        ({"event_types": []}, "event_types"),
        ({"secret": "mine"}, "secret"),
        ({"description": "x" * 201}, "description"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(world, api, body, field):
    audit_before = AuditEvent.objects.count()
    response = _create(api, world, **body)
    problem = assert_problem(response, 422, "validation-failed")
    assert field in json.dumps([e["loc"] for e in problem["errors"]]), problem
    assert not WebhookSubscription.objects.exists()
    assert AuditEvent.objects.count() == audit_before


@override_settings(READMIT_WEBHOOK_ALLOW_PRIVATE=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/x",
        "http://10.1.2.3/x",
        "http://169.254.169.254/latest",
        "http://[::1]/",
    ],
)
def test_in_production_an_internal_address_is_refused(world, api, url):
    problem = assert_problem(_create(api, world, url=url), 422, "validation-failed")
    assert problem["errors"][0]["loc"][-1] == "url"
    assert "internal address" in problem["detail"]
    assert not WebhookSubscription.objects.exists()


@override_settings(READMIT_WEBHOOK_ALLOWED_HOSTS=["hooks.partner.example"])
def test_with_an_allow_list_only_its_hosts_are_accepted(world, api):
    problem = assert_problem(
        _create(api, world, url="https://other.example/x"), 422, "validation-failed"
    )
    assert "READMIT_WEBHOOK_ALLOWED_HOSTS" in problem["detail"]
    response = _create(api, world, url="https://hooks.partner.example/readmit")
    assert response.status_code == 201, response.content


def test_an_administrator_changes_and_removes_a_subscription(world, api):
    admin = world.user("us_administrator")
    sub_id = _create(api, world).json()["id"]
    etag = api.get(f"/api/v1/webhooks/{sub_id}", admin)["ETag"]
    response = api.client.patch(
        f"/api/v1/webhooks/{sub_id}",
        data=json.dumps({"active": False, "event_types": ["case.created", "list.received"]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(admin)}",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] != etag
    assert response.json()["active"] is False
    assert response.json()["event_types"] == ["case.created", "list.received"]
    response = api.client.delete(
        f"/api/v1/webhooks/{sub_id}", HTTP_AUTHORIZATION=f"Bearer {api.token(admin)}"
    )
    assert response.status_code == 204
    assert not WebhookSubscription.objects.exists()
    assert list(
        AuditEvent.objects.filter(object_id=sub_id)
        .order_by("seq")
        .values_list("event_type", flat=True)
    ) == [700, 701, 702]


def test_the_event_types_are_listed_for_any_caller(world, api):
    types = api.get("/api/v1/event-types", world.user("xk_caseworker")).json()
    assert "case.transitioned" in types and "list.received" in types


def test_deliveries_show_their_status_and_a_failed_one_is_replayed(
    world, api, subscribe, receiver, django_capture_on_commit_callbacks
):
    sub, receiver.secret = subscribe("us", receiver.url, ["case.transitioned"])
    receiver.fail_next = 1
    case = make_case(world.agreement)
    with (
        override_settings(READMIT_WEBHOOK_MAX_ATTEMPTS=1),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case_transition(
            case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker")
        )
    admin = world.user("us_administrator")
    [shown] = api.get(
        f"/api/v1/webhooks/{sub.id}/deliveries", admin, query={"status": "failed"}
    ).json()
    assert shown["status"] == "failed" and shown["last_status_code"] == 500
    assert shown["event"]["case_id"] == str(case.id)
    for user, status in (("xk_administrator", 404), ("us_caseworker", 403)):
        response = api.client.post(
            f"/api/v1/webhook-deliveries/{shown['id']}/replay",
            HTTP_AUTHORIZATION=f"Bearer {api.token(world.user(user))}",
        )
        assert response.status_code == status
    assert WebhookDelivery.objects.get(id=shown["id"]).status == DeliveryStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = api.client.post(
            f"/api/v1/webhook-deliveries/{shown['id']}/replay",
            HTTP_AUTHORIZATION=f"Bearer {api.token(admin)}",
        )
    assert response.status_code == 200, response.content
    assert WebhookDelivery.objects.get(id=shown["id"]).status == DeliveryStatus.DELIVERED
    assert list(receiver.processed) == [shown["event_id"]]
    assert AuditEvent.objects.filter(event_type=710, object_id=shown["id"]).count() == 1
    assert deliver_due() == {}


def test_the_documented_names_are_the_models_names():
    from typing import get_args

    from readmit.events.outbox import EVENT_TYPES
    from readmit.exchange.routers.webhooks import DeliveryStatusName, EventTypeName

    assert set(get_args(EventTypeName)) == set(EVENT_TYPES)
    assert set(get_args(DeliveryStatusName)) == set(DeliveryStatus.values)
    api_doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text("utf-8")
    for name in EVENT_TYPES:
        assert f"| `{name}` |" in api_doc, name
