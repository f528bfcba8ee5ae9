"""Forms validate page input only; what it means is decided by selectors and services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from readmit.agreements.models import Agreement, AgreementKind
from readmit.cases.workflow import WORKFLOWS


def _all_states() -> list[str]:
    seen: dict[str, None] = {}
    for workflow in WORKFLOWS.values():
        for state in workflow.states:
            seen.setdefault(state, None)
    return list(seen)


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


class CaseFilterForm(forms.Form):
    """The case list's filters, read from GET so a URL is a saved search."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Name (as written or Latin), reference or external id",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Name, reference or external id",
                "aria-describedby": "q-hint",
            }
        ),
    )
    agreement = forms.ChoiceField(label="Agreement", required=False)
    state = forms.ChoiceField(label="State", required=False)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *AgreementKind.choices]
    )
    open = forms.BooleanField(label="Open cases only", required=False)

    def __init__(self, *args: Any, agreements: Iterable[Agreement] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreement = self.fields["agreement"]
        state = self.fields["state"]
        assert isinstance(agreement, forms.ChoiceField) and isinstance(state, forms.ChoiceField)
        agreement.choices = [("", "All agreements")] + [(str(a.id), a.title) for a in agreements]
        state.choices = [("", "All states")] + [(s, _label(s)) for s in _all_states()]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``case_list``, from the fields that are valid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "agreement_id": data.get("agreement") or None,
            "state": data.get("state") or None,
            "kind": data.get("kind") or None,
            "query": data.get("q") or "",
            "open_only": bool(data.get("open")),
        }


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=40)
    version = forms.IntegerField(min_value=1)
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
