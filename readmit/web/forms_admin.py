"""Forms of the administration pages (users of an organisation, invitations) and of the
audit log's filters. Each only reads input: the rules are in ``readmit.accounts.administration``
and ``readmit.audit.selectors``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.core.errors import N_, ValidationFailed
from readmit.web.errors import field_message, message_of
from readmit.web.forms import StrictForm

ROLE_CHOICES = [(r.value, r.label) for r in Role]


def errors_into(form: forms.Form, exc: ValidationFailed) -> None:
    """A service's refusal shown next to the field it names (else above the form)."""
    for error in exc.errors:
        loc = error.get("loc") or [None]
        name = str(loc[-1]) if loc[-1] in form.fields else None
        form.add_error(name, field_message(error))
    if not exc.errors:
        form.add_error(None, message_of(exc))


class InviteForm(StrictForm):
    username = forms.CharField(label=_("Login name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    display_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class RoleForm(StrictForm):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)


class InvitationAcceptForm(StrictForm):
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, not a common password, not like your name."),
    )
    password_again = forms.CharField(
        label=_("The same password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def event_type_choices() -> list[tuple[str, Any]]:
    labelled = sorted(AuditEventType, key=lambda t: t.label)
    return [("", _("Any event")), *((str(int(t)), t.label) for t in labelled)]


class AuditFilterForm(StrictForm):
    """The audit log's filters, read from GET so a URL is a saved view of the log. Dates
    are days in the reader's own time zone."""

    event = forms.TypedChoiceField(
        label=_("Event"), required=False, coerce=int, empty_value=None, choices=()
    )
    actor = forms.CharField(
        label=_("User (login name)"), required=False, max_length=150, strip=True
    )
    case = forms.CharField(label=_("Case reference"), required=False, max_length=40, strip=True)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To (inclusive)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = event_type_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range is before its start."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The filters given; ``ValidationFailed`` naming each bad field otherwise."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            errors = [
                {"loc": [name], "msg": " ".join(str(m) for m in messages)}
                for name, messages in self.errors.items()
            ]
            # The field names are codes and the messages Django's, in the reader's language.
            problems = "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in errors)
            raise ValidationFailed(
                N_("The filters are invalid: %(problems)s."),
                params={"problems": problems},
                errors=errors,
            )
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
