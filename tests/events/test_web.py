"""The webhooks page: an organisation's administrators subscribe, see deliveries, replay."""

from __future__ import annotations

import pytest
from django.test import override_settings

from readmit.audit.models import AuditEvent
from readmit.cases.services import case_transition
from readmit.events.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.factories import make_case


def _page(world, org: str = "us") -> str:  # type: ignore[no-untyped-def]
    return f"/organisations/{getattr(world, org).id}/webhooks/"


def test_an_administrator_subscribes_on_the_page_and_sees_the_secret_once(world, login):
    client = login("us_administrator")
    response = client.post(
        _page(world),
        {"url": "http://127.0.0.1:9/hooks", "event_types": ["case.created", "list.received"]},
    )
    assert response.status_code == 201
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret in response.content.decode()
    assert subscription.event_types == ["case.created", "list.received"]
    again = client.get(_page(world))
    assert again.status_code == 200
    assert "http://127.0.0.1:9/hooks" in again.content.decode()
    assert subscription.secret not in again.content.decode()
    assert AuditEvent.objects.filter(event_type=700).count() == 1


def test_a_bad_url_is_shown_next_to_its_field_and_nothing_is_written(world, login):
    response = login("us_administrator").post(
        _page(world), {"url": "gopher://127.0.0.1/x", "event_types": ["case.created"]}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["url"] == ["must start with http:// or https://"]
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize(("user", "status"), [("xk_administrator", 404), ("us_supervisor", 403)])
def test_another_organisation_gets_404_and_another_role_403(world, login, subscribe, user, status):
    subscription, _ = subscribe("us", "http://127.0.0.1:9/hooks")
    client = login(user)
    assert client.get(_page(world)).status_code == status
    body = {"url": "http://127.0.0.1:9/x", "event_types": ["case.created"]}
    assert client.post(_page(world), body).status_code == status
    assert client.post(f"/webhooks/{subscription.id}/toggle/").status_code == status
    assert client.post(f"/webhooks/{subscription.id}/delete/").status_code == status
    assert WebhookSubscription.objects.filter(active=True).count() == 1


def test_the_page_shows_a_failed_delivery_and_its_button_sends_it_again(
    world, login, subscribe, receiver, django_capture_on_commit_callbacks
):
    _, receiver.secret = subscribe("us", receiver.url, ["case.transitioned"])
    receiver.fail_next = 1
    case = make_case(world.agreement)
    with (
        override_settings(READMIT_WEBHOOK_MAX_ATTEMPTS=1),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case_transition(
            case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker")
        )
    delivery = WebhookDelivery.objects.get()
    page = login("us_administrator").get(_page(world)).content.decode()
    assert "Failed (attempts exhausted)" in page and "HTTP 500" in page
    replay = f"/webhook-deliveries/{delivery.id}/replay/"
    assert replay in page
    assert login("us_caseworker").post(replay).status_code == 403
    assert login("xk_administrator").post(replay).status_code == 404
    client = login("us_administrator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(replay)
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert list(receiver.processed) == [str(delivery.event_id)]


def test_pausing_keeps_the_subscription_and_removing_deletes_it(world, login, subscribe):
    subscription, _ = subscribe("us", "http://127.0.0.1:9/hooks")
    client = login("us_administrator")
    assert client.post(f"/webhooks/{subscription.id}/toggle/").status_code == 302
    assert WebhookSubscription.objects.get().active is False
    assert client.post(f"/webhooks/{subscription.id}/delete/").status_code == 302
    assert not WebhookSubscription.objects.exists()


def test_the_profile_links_administrators_to_the_webhooks_page(world, login):
    assert _page(world) in login("us_administrator").get("/profile/").content.decode()
