"""``/organisations/{id}/webhooks``, ``/webhooks/{id}``, ``/webhooks/{id}/deliveries`` and
``/webhook-deliveries/{id}/replay``: an organisation's administrators manage its webhooks.

Thin over ``readmit.events.services``: a non-member gets 404 (the gate), a member in another
role 403 (``wrong-role``), bad input 422 naming the field under ``["body", "payload", ...]``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.params.functions import Path, Query
from ninja.responses import Status
from pydantic import ConfigDict

from readmit.core.errors import ValidationFailed
from readmit.events.models import WebhookDelivery, WebhookSubscription
from readmit.events.outbox import EVENT_TYPES
from readmit.events.selectors import (
    organisation_for_admin,
    organisation_subscriptions,
    subscription_deliveries,
    subscription_for_admin,
)
from readmit.events.services import (
    delivery_replay,
    subscription_create,
    subscription_delete,
    subscription_update,
)
from readmit.exchange.auth import caller
from readmit.exchange.preconditions import IF_MATCH, etag_of, require_if_match, with_etag
from readmit.exchange.schemas import Problem, StrictIn, UuidStr

router = Router(tags=["events"])

ID_PATH = Path(..., description="A UUID. A malformed id answers 404, like an unknown one.")
STATUS_QUERY = Query(None, description="Only deliveries in this status.")
LIMIT_QUERY = Query(100, ge=1, le=500, description="At most this many, newest first.")
READ = {401: Problem, 403: Problem, 404: Problem}
WRITE = {**READ, 409: Problem, 422: Problem}

EventTypeName = Literal[
    "case.created",
    "case.transitioned",
    "case.hold_placed",
    "case.hold_lifted",
    "list.received",
    "screening.finished",
    "amendment.proposed",
    "amendment.confirmed",
    "amendment.rejected",
    "amendment.withdrawn",
    "agreement.status_changed",
]
DeliveryStatusName = Literal["pending", "sending", "delivered", "failed"]


class _In(StrictIn):
    model_config = ConfigDict(extra="forbid")


class SubscriptionIn(_In):
    url: str = Field(
        max_length=500,
        description="http:// or https://; in production a host of "
        "READMIT_WEBHOOK_ALLOWED_HOSTS, or one that resolves to a public address.",
    )
    event_types: list[EventTypeName] = Field(min_length=1, description="What to send.")
    description: str = Field(default="", max_length=200)
    active: bool = True


class SubscriptionPatch(_In):
    url: str | None = Field(default=None, max_length=500)
    event_types: list[EventTypeName] | None = Field(default=None, min_length=1)
    description: str | None = Field(default=None, max_length=200)
    active: bool | None = None


class SubscriptionOut(Schema):
    id: uuid.UUID
    organisation_id: uuid.UUID
    url: str
    event_types: list[str]
    description: str
    active: bool
    created_at: dt.datetime


class SubscriptionCreatedOut(SubscriptionOut):
    secret: str = Field(
        description="Signs every delivery (`Readmit-Signature`). Shown this once, never again."
    )


class DeliveryOut(Schema):
    id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    status: DeliveryStatusName
    attempts: int
    next_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str
    delivered_at: dt.datetime | None
    event: dict[str, Any] = Field(description="The body that is (or was) sent.")


def _subscription_out(s: WebhookSubscription) -> dict[str, Any]:
    return {
        "id": s.id,
        "organisation_id": s.organisation_id,
        "url": s.url,
        "event_types": s.event_types,
        "description": s.description,
        "active": s.active,
        "created_at": s.created_at,
    }


def _delivery_out(d: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=d.id,
        subscription_id=d.subscription_id,
        event_id=d.event_id,
        event_type=d.event.event_type,
        status=d.status,  # type: ignore[arg-type]
        attempts=d.attempts,
        next_attempt_at=d.next_attempt_at,
        last_attempt_at=d.last_attempt_at,
        last_status_code=d.last_status_code,
        last_error=d.last_error,
        delivered_at=d.delivered_at,
        event=d.event.body,
    )


@contextmanager
def _fields_in_body() -> Iterator[None]:
    try:
        yield
    except ValidationFailed as exc:
        exc.errors = [{**e, "loc": ["body", "payload", *e.get("loc", ())]} for e in exc.errors]
        raise


@router.get(
    "/event-types",
    response={200: dict[str, str], 401: Problem},
    operation_id="event_types",
    summary="The event types a subscription may choose, each with what it announces",
)
def event_types(request: HttpRequest) -> dict[str, str]:
    caller(request)
    return dict(EVENT_TYPES)


@router.get(
    "/organisations/{id}/webhooks",
    response={200: list[SubscriptionOut], **READ},
    operation_id="webhook_list",
    summary="The organisation's webhook subscriptions (administrators)",
)
def webhook_list(request: HttpRequest, id: UuidStr = ID_PATH) -> list[dict[str, Any]]:
    organisation = organisation_for_admin(caller(request), id)
    return [_subscription_out(s) for s in organisation_subscriptions(organisation)]


@router.post(
    "/organisations/{id}/webhooks",
    response={201: SubscriptionCreatedOut, **WRITE},
    operation_id="webhook_create",
    summary="Subscribe a URL to events (administrators); answers the secret once",
)
def webhook_create(
    request: HttpRequest, payload: SubscriptionIn, id: UuidStr = ID_PATH
) -> Status[dict[str, Any]]:
    with _fields_in_body():
        subscription, secret = subscription_create(
            organisation_id=id,
            url=payload.url,
            event_types=payload.event_types,
            description=payload.description,
            active=payload.active,
            acting_user=caller(request),
        )
    return Status(201, {**_subscription_out(subscription), "secret": secret})


@router.get(
    "/webhooks/{id}",
    response={200: SubscriptionOut, **READ},
    operation_id="webhook_detail",
    summary="One webhook subscription (administrators of its organisation), with an ETag",
)
def webhook_detail(
    request: HttpRequest, response: HttpResponse, id: UuidStr = ID_PATH
) -> dict[str, Any]:
    subscription = subscription_for_admin(caller(request), id)
    with_etag(response, subscription)
    return _subscription_out(subscription)


@router.patch(
    "/webhooks/{id}",
    response={200: SubscriptionOut, **WRITE, 412: Problem, 428: Problem},
    operation_id="webhook_update",
    summary="Change a subscription's URL, event types, description or active flag",
    description="Requires `If-Match` with the subscription's ETag (from `GET "
    "/webhooks/{id}`): missing → 428, stale → 412. Answers the new `ETag`.",
)
def webhook_update(
    request: HttpRequest,
    response: HttpResponse,
    payload: SubscriptionPatch,
    id: UuidStr = ID_PATH,
    if_match: str | None = IF_MATCH,
) -> dict[str, Any]:
    user = caller(request)
    with transaction.atomic(), _fields_in_body():
        current = subscription_for_admin(user, id, for_update=True)
        require_if_match(if_match, etag_of(current), what="subscription")
        subscription = subscription_update(
            subscription_id=id,
            acting_user=user,
            url=payload.url,
            event_types=payload.event_types,
            description=payload.description,
            active=payload.active,
        )
    with_etag(response, subscription)
    return _subscription_out(subscription)


@router.delete(
    "/webhooks/{id}",
    response={204: None, **READ},
    operation_id="webhook_delete",
    summary="Remove a subscription and its deliveries",
)
def webhook_delete(request: HttpRequest, id: UuidStr = ID_PATH) -> Status[None]:
    subscription_delete(subscription_id=id, acting_user=caller(request))
    return Status(204, None)


@router.get(
    "/webhooks/{id}/deliveries",
    response={200: list[DeliveryOut], **READ},
    operation_id="webhook_deliveries",
    summary="The subscription's deliveries, newest first, with their status",
)
def webhook_deliveries(
    request: HttpRequest,
    id: UuidStr = ID_PATH,
    status: DeliveryStatusName | None = STATUS_QUERY,
    limit: int = LIMIT_QUERY,
) -> list[DeliveryOut]:
    subscription = subscription_for_admin(caller(request), id)
    deliveries = subscription_deliveries(subscription, status=status or "")[:limit]
    return [_delivery_out(d) for d in deliveries]


@router.post(
    "/webhook-deliveries/{id}/replay",
    response={200: DeliveryOut, **WRITE},
    operation_id="webhook_delivery_replay",
    summary="Send a delivery again now (same event id), attempts from zero",
)
def webhook_replay(request: HttpRequest, id: UuidStr = ID_PATH) -> DeliveryOut:
    delivery = delivery_replay(delivery_id=id, acting_user=caller(request))
    return _delivery_out(WebhookDelivery.objects.select_related("event").get(id=delivery.id))
