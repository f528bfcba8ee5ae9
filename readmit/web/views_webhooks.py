"""The webhooks page of an organisation: its administrators subscribe URLs, see deliveries and
replay them. Thin: ``readmit.events.services`` decides (other organisations 404, other roles
403); the secret is shown once, in the answer to the form that created it."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from readmit.accounts.models import Organisation, User
from readmit.core.errors import ValidationFailed
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
from readmit.web.errors import application_errors, field_message

DELIVERIES_SHOWN = 20


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("http:// or https://, where your system receives the events."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(k, f"{k}: {v}") for k, v in EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _render(
    request: HttpRequest,
    organisation: Organisation,
    *,
    form: WebhookForm | None = None,
    secret: str = "",
    status: int = 200,
) -> HttpResponse:
    subscriptions = [
        (s, list(subscription_deliveries(s)[:DELIVERIES_SHOWN]))
        for s in organisation_subscriptions(organisation)
    ]
    context: dict[str, Any] = {
        "organisation": organisation,
        "form": form or WebhookForm(),
        "subscriptions": subscriptions,
        "secret": secret,
    }
    return render(request, "web/webhooks.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@application_errors
def webhooks(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    organisation = organisation_for_admin(user, organisation_id)
    if request.method == "GET":
        return _render(request, organisation)
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _render(request, organisation, form=form, status=422)
    try:
        subscription, secret = subscription_create(
            organisation_id=organisation.id,
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
            description=form.cleaned_data["description"],
            acting_user=user,
        )
    except ValidationFailed as exc:
        for error in exc.errors:
            field = str(error.get("loc", ["url"])[-1])
            form.add_error(field if field in form.fields else None, field_message(error))
        return _render(request, organisation, form=form, status=422)
    messages.success(request, _("%(url)s is subscribed.") % {"url": subscription.url})
    return _render(request, organisation, secret=secret, status=201)


@require_POST
@login_required
@application_errors
def webhook_toggle(request: HttpRequest, subscription_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    subscription = subscription_for_admin(user, subscription_id)
    subscription_update(
        subscription_id=subscription.id, active=not subscription.active, acting_user=user
    )
    state = "paused" if subscription.active else "active again"
    messages.success(
        request, _("%(url)s is %(state)s.") % {"url": subscription.url, "state": state}
    )
    return redirect(reverse("web:webhooks", args=[subscription.organisation_id]))


@require_POST
@login_required
@application_errors
def webhook_delete(request: HttpRequest, subscription_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    subscription = subscription_for_admin(user, subscription_id)
    subscription_delete(subscription_id=subscription.id, acting_user=user)
    messages.success(request, _("%(url)s is no longer subscribed.") % {"url": subscription.url})
    return redirect(reverse("web:webhooks", args=[subscription.organisation_id]))


@require_POST
@login_required
@application_errors
def delivery_replay_view(request: HttpRequest, delivery_id: uuid.UUID) -> HttpResponse:
    delivery = delivery_replay(delivery_id=delivery_id, acting_user=_user(request))
    messages.success(request, _("The event is sent again."))
    organisation_id = delivery.subscription.organisation_id
    return redirect(reverse("web:webhooks", args=[organisation_id]))


urlpatterns = [
    path("organisations/<uuid:organisation_id>/webhooks/", webhooks, name="webhooks"),
    path("webhooks/<uuid:subscription_id>/toggle/", webhook_toggle, name="webhook_toggle"),
    path("webhooks/<uuid:subscription_id>/delete/", webhook_delete, name="webhook_delete"),
    path(
        "webhook-deliveries/<uuid:delivery_id>/replay/",
        delivery_replay_view,
        name="webhook_delivery_replay",
    ),
]
