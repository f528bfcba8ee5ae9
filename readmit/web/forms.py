"""Forms validate page input only; what it means is decided by selectors and services."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from readmit.agreements.models import Agreement, AgreementKind
from readmit.cases.workflow import WORKFLOWS
from readmit.core import clock
from readmit.core.strict import TEXT_MESSAGE, bad_text, date_problem


def _all_states() -> list[str]:
    seen: dict[str, None] = {}
    for workflow in WORKFLOWS.values():
        for state in workflow.states:
            seen.setdefault(state, None)
    return list(seen)


def _label(value: str) -> str:
    """A code of the vocabulary (a state, a period, a rule) as a label in the reader's
    language where the catalogues have it (``readmit.web.i18n.vocabulary``)."""
    return gettext(value.replace("_", " ").capitalize())


class StrictForm(forms.Form):
    """Base of every form: text without control characters (also inside parsed JSON) and
    dates from 1900 to ten years ahead, the same rules as the API (``readmit.core.strict``).
    A refusal is shown next to its field."""

    def full_clean(self) -> None:
        super().full_clean()
        if not hasattr(self, "cleaned_data"):
            return
        today = clock.today()
        for name, value in list(self.cleaned_data.items()):
            if any(True for _bad in bad_text(value)):
                self.add_error(name, TEXT_MESSAGE[0].upper() + TEXT_MESSAGE[1:] + ".")
            elif isinstance(value, dt.date):
                problem = date_problem(value, today)
                if problem:
                    self.add_error(name, f"The date {problem}.")


class CaseFilterForm(StrictForm):
    """The case list's filters, read from GET so a URL is a saved search."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name (as written or Latin), reference or external id"),
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Name, reference or external id",
                "aria-describedby": "q-hint",
            }
        ),
    )
    agreement = forms.ChoiceField(label=_("Agreement"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *AgreementKind.choices]
    )
    open = forms.BooleanField(label=_("Open cases only"), required=False)

    def __init__(self, *args: Any, agreements: Iterable[Agreement] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreement = self.fields["agreement"]
        state = self.fields["state"]
        assert isinstance(agreement, forms.ChoiceField) and isinstance(state, forms.ChoiceField)
        agreement.choices = [("", _("All agreements"))] + [(str(a.id), a.title) for a in agreements]
        state.choices = [("", _("All states"))] + [(s, _label(s)) for s in _all_states()]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``case_list``, from the fields that are valid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        # An agreement the user cannot see is not dropped: case_list refuses it with 404.
        named = self.data.get("agreement") if self.is_bound else None
        return {
            "agreement_id": data.get("agreement") or named or None,
            "state": data.get("state") or None,
            "kind": data.get("kind") or None,
            "query": data.get("q") or "",
            "open_only": bool(data.get("open")),
        }


class TransitionForm(StrictForm):
    action = forms.CharField(max_length=40)
    version = forms.IntegerField(min_value=1)
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
    internal_note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
    reason_code = forms.CharField(required=False, max_length=40)


# Agreement management -----------------------------------------------------------------------
# Only the shape of the input is checked here; agreement_set_status, amendment_propose and the
# terms' own validation decide what is allowed, and their errors are shown on these fields.


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementStatusForm(StrictForm):
    status = forms.ChoiceField(label=_("New status"))
    on = forms.DateField(label=_("Took effect on"), widget=_date_input())
    source = forms.CharField(
        label=_("Source"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A note, a gazette, a press release: where this is known from."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to suspend or end an agreement."),
    )
    ground = forms.CharField(
        label=_("Ground (to suspend)"),
        required=False,
        max_length=80,
        help_text=_("court_order, or a ground the agreement lists."),
    )
    ground_reference = forms.CharField(
        label=_("Court order reference"),
        required=False,
        max_length=200,
        help_text=_("Required for a suspension on a court order."),
    )

    def __init__(
        self, *args: Any, next_statuses: Iterable[tuple[str, str | Promise]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = list(next_statuses)


class TerminationNoticeForm(StrictForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The note that gives notice."),
    )


class AmendTermsForm(StrictForm):
    """The settings most amendments change; everything else is kept from the latest version.

    Number fields carry no bounds of their own: ``AgreementTerms`` holds them, and its errors
    are shown next to the field they name.
    """

    quota_limit = forms.IntegerField(
        label=_("Quota: places per period"),
        required=False,
        help_text=_("Empty: the agreement has no quota."),
    )
    quota_period = forms.ChoiceField(label=_("Quota period"), required=False)
    max_stay_days = forms.IntegerField(label=_("Maximum stay (days)"), required=False)
    notice_hours = forms.IntegerField(label=_("Notice before a transfer (hours)"), required=False)
    capacity_max_present = forms.IntegerField(
        label=_("Capacity: people present at once"), required=False
    )
    exclude_minors = forms.BooleanField(label=_("Minors"), required=False)
    exclude_unaccompanied_minors = forms.BooleanField(
        label=_("Unaccompanied minors"), required=False
    )
    exclude_pregnant = forms.BooleanField(label=_("Pregnant women"), required=False)
    exclude_vulnerable = forms.BooleanField(label=_("Vulnerable people"), required=False)
    families_together = forms.BooleanField(label=_("Families are kept together"), required=False)
    criminal_data_allowed = forms.BooleanField(
        label=_("Criminal records may be shared"), required=False
    )
    valid_from = forms.DateTimeField(
        label=_("Valid from (local time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Empty: from now. Not before the agreement's start, at most five years "
            "ahead; in force only once the other party confirms."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. cap raised by mutual consent."),
    )
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The exchange of notes, the amending protocol ..."),
    )

    def __init__(self, *args: Any, quota_periods: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        period = self.fields["quota_period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = [(p, _label(p)) for p in quota_periods]
        # Read in the zone the page activated (Django's DateTimeField does), so say which.
        self.fields["valid_from"].label = f"Valid from (in {timezone.get_current_timezone_name()})"


class CriterionForm(StrictForm):
    """One criterion row: the rule, its parameters as a JSON object, and a label."""

    rule = forms.ChoiceField(label=_("Rule"), required=False)
    params = forms.CharField(
        label=_("Parameters (JSON)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false", "class": "mono"}),
    )
    label = forms.CharField(label=_("Label"), required=False, max_length=200)

    def __init__(self, *args: Any, rules: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule = self.fields["rule"]
        assert isinstance(rule, forms.ChoiceField)
        rule.choices = [("", _("— choose a rule —"))] + [(r, _label(r)) for r in rules]

    def clean_params(self) -> dict[str, Any]:
        text = (self.cleaned_data.get("params") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"not valid JSON ({exc.msg}, column {exc.colno})") from None
        if not isinstance(value, dict):
            raise forms.ValidationError('must be a JSON object, e.g. {"years": 10}')
        return value

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("rule") and not data.get("params") and not data.get("label")


CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=0, can_delete=True, max_num=50, validate_max=True
)


class ContactForm(StrictForm):
    occurred_on = forms.DateField(label=_("Date"), widget=_date_input())
    from_country = forms.ChoiceField(label=_("From"))
    to_country = forms.ChoiceField(label=_("To"))
    channel = forms.ChoiceField(label=_("Channel"))
    summary = forms.CharField(
        label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("A note's reference, a ministry's statement, an article."),
    )

    def __init__(
        self,
        *args: Any,
        countries: Iterable[tuple[str, str]] = (),
        channels: Iterable[tuple[str, str | Promise]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        listed = list(countries)
        for name in ("from_country", "to_country"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = listed
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = list(channels)


class PositionForm(StrictForm):
    country = forms.ChoiceField(label=_("State"))
    stated_on = forms.DateField(label=_("Date"), widget=_date_input())
    stance = forms.ChoiceField(label=_("Stance"))
    statement = forms.CharField(
        label=_("Statement"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("Where it was said: a press conference, an interview."),
    )

    def __init__(
        self,
        *args: Any,
        countries: Iterable[tuple[str, str]] = (),
        stances: Iterable[tuple[str, str | Promise]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        stance = self.fields["stance"]
        assert isinstance(country, forms.ChoiceField) and isinstance(stance, forms.ChoiceField)
        country.choices = list(countries)
        stance.choices = list(stances)


# Interface language ------------------------------------------------------------------------


class LanguageSelect(forms.Select):
    """Each language named in itself, so each option says which language it is in (``lang``):
    read aloud rightly, and known as a name, not a sentence left untranslated."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = str(value)
        return option


class LanguageForm(StrictForm):
    """An interface language (``settings.LANGUAGES``); empty: the browser's."""

    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=(), widget=LanguageSelect
    )
    next = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("The browser's language")), *settings.LANGUAGES]


# Time zones ---------------------------------------------------------------------------------


class TimeZoneForm(StrictForm):
    """An IANA zone name; whether it is one is decided by the service (``time_zone`` error)."""

    time_zone = forms.CharField(
        label=_("Time zone"),
        required=False,
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
        help_text=_("An IANA name such as America/New_York or Europe/Rome."),
    )
