"""The amendment form's mapping to and from the agreement terms (the page "Amend the terms"):
which form field shows which term, how the posted settings and criteria rows become complete
new terms, and where a refusal's ``loc`` puts its message. No rule lives here: the service
(``amendment_propose``) validates the terms; this only translates between the two shapes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from typing import Any

from readmit.agreements.terms import CRITERION_PARAMS, QuotaPeriod
from readmit.core.errors import ApplicationError, ValidationFailed
from readmit.web.errors import field_message
from readmit.web.forms import AmendTermsForm, CriterionFormSet

CRITERIA_PREFIX = "criteria"

AMEND_FIELDS: dict[tuple[str, ...], str] = {
    ("changes", "quota"): "quota_limit",
    ("changes", "quota", "limit"): "quota_limit",
    ("changes", "quota", "period"): "quota_period",
    ("changes", "max_stay_days"): "max_stay_days",
    ("changes", "notice_hours"): "notice_hours",
    ("changes", "capacity"): "capacity_max_present",
    ("changes", "capacity", "max_present"): "capacity_max_present",
    ("changes", "exclusions", "minors"): "exclude_minors",
    ("changes", "exclusions", "unaccompanied_minors"): "exclude_unaccompanied_minors",
    ("changes", "exclusions", "pregnant"): "exclude_pregnant",
    ("changes", "exclusions", "vulnerable"): "exclude_vulnerable",
    ("changes", "exclusions", "families_together"): "families_together",
    ("changes", "data_sharing", "criminal_data_allowed"): "criminal_data_allowed",
    ("valid_from",): "valid_from",
    ("reason",): "reason",
    ("source",): "source",
}


def form_initial(terms: Mapping[str, Any]) -> dict[str, Any]:
    quota = terms.get("quota") or {}
    capacity = terms.get("capacity") or {}
    exclusions = terms.get("exclusions") or {}
    sharing = terms.get("data_sharing") or {}
    return {
        "quota_limit": quota.get("limit"),
        "quota_period": quota.get("period", QuotaPeriod.ROLLING_YEAR.value),
        "max_stay_days": terms.get("max_stay_days"),
        "notice_hours": terms.get("notice_hours"),
        "capacity_max_present": capacity.get("max_present"),
        "exclude_minors": exclusions.get("minors", False),
        "exclude_unaccompanied_minors": exclusions.get("unaccompanied_minors", False),
        "exclude_pregnant": exclusions.get("pregnant", False),
        "exclude_vulnerable": exclusions.get("vulnerable", False),
        "families_together": exclusions.get("families_together", False),
        "criminal_data_allowed": sharing.get("criminal_data_allowed", False),
    }


def criteria_initial(terms: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "rule": c.get("rule", ""),
            "params": json.dumps(c.get("params") or {}),
            "label": c.get("label", ""),
        }
        for c in terms.get("criteria") or []
    ]


def terms_from(
    base: Mapping[str, Any], data: Mapping[str, Any], criteria: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The complete new terms: the latest version with the form's settings put in."""
    terms = copy.deepcopy(dict(base))
    if data.get("quota_limit") is None:
        terms["quota"] = None
    else:
        terms["quota"] = {
            **(terms.get("quota") or {}),
            "limit": data["quota_limit"],
            "period": data.get("quota_period") or QuotaPeriod.ROLLING_YEAR.value,
        }
    terms["max_stay_days"] = data.get("max_stay_days")
    terms["notice_hours"] = data.get("notice_hours")
    if terms.get("capacity") is not None or data.get("capacity_max_present") is not None:
        terms["capacity"] = {
            **(terms.get("capacity") or {}),
            "max_present": data.get("capacity_max_present"),
        }
    terms["exclusions"] = {
        **(terms.get("exclusions") or {}),
        "minors": bool(data.get("exclude_minors")),
        "unaccompanied_minors": bool(data.get("exclude_unaccompanied_minors")),
        "pregnant": bool(data.get("exclude_pregnant")),
        "vulnerable": bool(data.get("exclude_vulnerable")),
        "families_together": bool(data.get("families_together")),
    }
    terms["data_sharing"] = {
        **(terms.get("data_sharing") or {}),
        "criminal_data_allowed": bool(data.get("criminal_data_allowed")),
    }
    terms["criteria"] = [dict(c) for c in criteria]
    return terms


def amend_forms(
    data: Any = None,
    *,
    initial: dict[str, Any] | None = None,
    rows: list[dict[str, Any]] | None = None,
) -> tuple[AmendTermsForm, Any]:
    form = AmendTermsForm(data, initial=initial, quota_periods=[p.value for p in QuotaPeriod])
    formset = CriterionFormSet(
        data, initial=rows, prefix=CRITERIA_PREFIX, form_kwargs={"rules": list(CRITERION_PARAMS)}
    )
    return form, formset


def posted_rows(post: Any) -> list[dict[str, Any]]:
    try:
        total = int(post.get(f"{CRITERIA_PREFIX}-TOTAL_FORMS", 0))
    except ValueError:
        total = 0
    return [
        {
            name: post.get(f"{CRITERIA_PREFIX}-{i}-{name}", "")
            for name in ("rule", "params", "label")
        }
        for i in range(min(total, 50))
    ]


def kept_criteria(formset: Any) -> tuple[list[dict[str, Any]], list[int]]:
    """The criteria to save and, for each, the row it came from (to place errors)."""
    criteria, rows = [], []
    for index, row in enumerate(formset.forms):
        data = row.cleaned_data
        if not data or data.get("DELETE") or row.is_blank():
            continue
        criteria.append(
            {
                "rule": data.get("rule", ""),
                "params": data.get("params") or {},
                "label": data.get("label", ""),
            }
        )
        rows.append(index)
    return criteria, rows


def place_criteria_errors(formset: Any, exc: ApplicationError, rows: list[int]) -> None:
    for error in exc.errors if isinstance(exc, ValidationFailed) else []:
        loc = [str(part) for part in error.get("loc", ())]
        if loc[:2] != ["changes", "criteria"] or len(loc) < 3 or not loc[2].isdigit():
            continue
        position = int(loc[2])
        if position >= len(rows):
            continue
        field = loc[3] if len(loc) > 3 and loc[3] in ("rule", "params", "label") else "params"
        formset.forms[rows[position]].add_error(field, field_message(error))
