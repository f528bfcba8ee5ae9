"""Delivering events: claim, post, finish; retries with exponential backoff; order per case.

At least once: a delivery is claimed (``sending``, with a lease), posted, then marked
``delivered`` or given its next attempt. A worker that dies between claim and finish leaves
the lease to run out; the next sweep (``deliver_due``) sends the event again with the same
id, and receivers dedupe by it. A later event of a case is not sent while an earlier event of
the same case to the same subscription is not yet delivered (failed ones block until
replayed). Attempts and delays come from settings (``READMIT_WEBHOOK_*``).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from readmit.core import clock
from readmit.core.errors import ValidationFailed
from readmit.events.models import DeliveryStatus, WebhookDelivery
from readmit.events.signing import sign
from readmit.events.urls import check_url

USER_AGENT = "Readmit-Webhooks/1"


def max_attempts() -> int:
    return int(settings.READMIT_WEBHOOK_MAX_ATTEMPTS)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: base × 2^(attempts-1), capped."""
    base = float(settings.READMIT_WEBHOOK_BACKOFF_SECONDS)
    cap = float(settings.READMIT_WEBHOOK_BACKOFF_MAX_SECONDS)
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _timeout() -> float:
    return float(settings.READMIT_WEBHOOK_TIMEOUT_SECONDS)


def body_bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


@dataclass(frozen=True)
class Claim:
    delivery_id: uuid.UUID
    attempt: int
    url: str
    secret: str
    event_id: uuid.UUID
    event_type: str
    body: bytes


def _blocked(delivery: WebhookDelivery) -> bool:
    if delivery.case_id is None:
        return False
    return (
        WebhookDelivery.objects.filter(
            subscription_id=delivery.subscription_id,
            case_id=delivery.case_id,
            audit_seq__lt=delivery.audit_seq,
        )
        .exclude(status=DeliveryStatus.DELIVERED)
        .exists()
    )


def delivery_claim(delivery_id: uuid.UUID | str) -> Claim | None:
    """Take a due delivery for one attempt, or None (not due, busy, done, or waiting)."""
    now = clock.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("event", "subscription")
            .filter(id=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED):
            return None
        if delivery.status == DeliveryStatus.SENDING and (
            delivery.lease_until is not None and delivery.lease_until > now
        ):
            return None
        if delivery.status == DeliveryStatus.PENDING and (
            delivery.next_attempt_at is not None and delivery.next_attempt_at > now
        ):
            return None
        if not delivery.subscription.active or _blocked(delivery):
            return None
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.lease_until = now + dt.timedelta(seconds=2 * _timeout() + 30)
        delivery.save()
        return Claim(
            delivery_id=delivery.id,
            attempt=delivery.attempts,
            url=delivery.subscription.url,
            secret=delivery.subscription.secret,
            event_id=delivery.event_id,
            event_type=delivery.event.event_type,
            body=body_bytes(delivery.event.body),
        )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead past the URL check: it is an answer, not a place to go."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def delivery_send(claim: Claim) -> tuple[int | None, str]:
    """Post the signed body once: (HTTP status or None, error or "")."""
    try:
        check_url(claim.url)
    except ValidationFailed as exc:
        return None, exc.message
    # The wall clock, not the service clock: receivers compare it with theirs.
    signature = sign(claim.secret, int(time.time()), claim.body)
    request = urllib.request.Request(  # noqa: S310 - check_url allows http(s) only
        claim.url,
        data=claim.body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Readmit-Signature": signature,
            "Idempotency-Key": str(claim.event_id),
            "Readmit-Event-Id": str(claim.event_id),
            "Readmit-Event-Type": claim.event_type,
        },
    )
    try:
        with _opener.open(request, timeout=_timeout()) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        return int(exc.code), f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:  # refused, reset, timed out, malformed answer
        return None, f"{type(exc).__name__}: {exc}"[:500]


def delivery_finish(claim: Claim, status_code: int | None, error: str) -> str:
    """Record the attempt's outcome: delivered, or the next attempt (or failed)."""
    ok = status_code is not None and 200 <= status_code < 300
    now = clock.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(id=claim.delivery_id)
        if delivery.status == DeliveryStatus.DELIVERED:
            return str(delivery.status)
        if not ok and (
            delivery.status != DeliveryStatus.SENDING or delivery.attempts != claim.attempt
        ):
            return str(delivery.status)  # another worker took the lease over: its outcome counts
        delivery.last_status_code = status_code
        delivery.lease_until = None
        if ok:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.last_error = ""
        elif delivery.attempts >= max_attempts():
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            delivery.last_error = error or f"HTTP {status_code}"
        else:
            delivery.status = DeliveryStatus.PENDING
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            delivery.last_error = error or f"HTTP {status_code}"
        delivery.save()
        if ok:
            following = _next_of_case(delivery)
            if following:
                transaction.on_commit(lambda: _enqueue_now(following))
        elif delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at:
            at, pk = delivery.next_attempt_at, str(delivery.id)
            transaction.on_commit(lambda: _enqueue_later(pk, at))
    return str(delivery.status)


def _next_of_case(delivery: WebhookDelivery) -> list[str]:
    if delivery.case_id is None:
        return []
    following = (
        WebhookDelivery.objects.filter(
            subscription_id=delivery.subscription_id,
            case_id=delivery.case_id,
            audit_seq__gt=delivery.audit_seq,
            status=DeliveryStatus.PENDING,
        )
        .order_by("audit_seq")
        .values_list("id", flat=True)[:1]
    )
    return [str(pk) for pk in following]


def _enqueue_now(ids: list[str]) -> None:
    from readmit.events.tasks import deliver_webhook_task

    for pk in ids:
        deliver_webhook_task.enqueue(pk)


def _enqueue_later(delivery_id: str, at: dt.datetime) -> None:
    """Backends that defer get the retry as a task; others leave it to ``deliver_due``."""
    from readmit.events.tasks import deliver_webhook_task

    if deliver_webhook_task.get_backend().supports_defer:
        deliver_webhook_task.using(run_after=at).enqueue(delivery_id)


def delivery_attempt(delivery_id: uuid.UUID | str) -> str:
    """One attempt if the delivery is due: its status afterwards."""
    claim = delivery_claim(delivery_id)
    if claim is None:
        current = WebhookDelivery.objects.filter(id=delivery_id).values_list("status", flat=True)
        return str(current.first() or "gone")
    status_code, error = delivery_send(claim)
    return delivery_finish(claim, status_code, error)


def deliver_due(*, limit: int = 500) -> dict[str, int]:
    """The worker's sweep: every due delivery, oldest first (``readmit deliver``)."""
    now = clock.now()
    from django.db.models import Q

    due = (
        WebhookDelivery.objects.filter(
            Q(status=DeliveryStatus.PENDING, next_attempt_at__isnull=True)
            | Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.SENDING, lease_until__lte=now)
        )
        .order_by("audit_seq")
        .values_list("id", flat=True)[:limit]
    )
    counts: dict[str, int] = {}
    for pk in list(due):
        outcome = delivery_attempt(pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
