"""The amendment form's mapping (readmit/web/amendment_form.py): the form shows the latest
terms, puts back exactly what it changed, and places a refusal next to the field."""

from __future__ import annotations

import copy
import json
from typing import Any

from readmit.core.errors import ValidationFailed
from readmit.web.amendment_form import (
    AMEND_FIELDS,
    CRITERIA_PREFIX,
    amend_forms,
    criteria_initial,
    form_initial,
    kept_criteria,
    place_criteria_errors,
    terms_from,
)
from readmit.web.forms import AmendTermsForm

BASE: dict[str, Any] = {
    "quota": {"limit": 50, "period": "calendar_year"},
    "max_stay_days": 90,
    "notice_hours": 48,
    "capacity": {"max_present": 880},
    "exclusions": {
        "minors": True,
        "unaccompanied_minors": True,
        "pregnant": False,
        "vulnerable": True,
        "families_together": True,
    },
    "data_sharing": {"criminal_data_allowed": False, "other": "kept"},
    "criteria": [{"rule": "age_between", "params": {"min": 18, "max": 60}, "label": "Adults"}],
    "time_limits": {"reply_days": 12},
}


def test_every_refusal_location_names_a_field_of_the_form():
    assert set(AMEND_FIELDS.values()) <= set(AmendTermsForm.base_fields)


def test_the_form_shown_with_the_latest_terms_puts_back_the_same_terms():
    shown = form_initial(BASE)
    rows = [{**row, "params": json.loads(row["params"])} for row in criteria_initial(BASE)]
    assert terms_from(BASE, shown, rows) == BASE


def test_a_changed_setting_changes_only_its_term_and_keeps_what_the_form_does_not_show():
    before = copy.deepcopy(BASE)
    data = {**form_initial(BASE), "quota_limit": 60, "exclude_pregnant": True}
    terms = terms_from(BASE, data, BASE["criteria"])
    changed = {k for k in terms if terms[k] != BASE[k]}
    assert changed == {"quota", "exclusions"}
    assert terms["quota"] == {"limit": 60, "period": "calendar_year"}
    assert terms["exclusions"]["pregnant"] is True
    assert terms["data_sharing"]["other"] == "kept"
    assert terms["time_limits"] == {"reply_days": 12}
    assert before == BASE  # the latest terms are not changed in place


def test_an_empty_quota_limit_means_no_quota():
    base = copy.deepcopy(BASE)
    assert terms_from(base, {**form_initial(base), "quota_limit": None}, [])["quota"] is None


def _posted(rows: list[dict[str, str]]) -> dict[str, str]:
    data = {k: str(v) for k, v in form_initial(BASE).items() if v is not None and v is not False}
    data.update(reason="cap raised", source="Note 7/2026")
    data.update(
        {
            f"{CRITERIA_PREFIX}-TOTAL_FORMS": str(len(rows)),
            f"{CRITERIA_PREFIX}-INITIAL_FORMS": "0",
        }
    )
    for i, row in enumerate(rows):
        data.update({f"{CRITERIA_PREFIX}-{i}-{k}": v for k, v in row.items()})
    return data


def test_deleted_rows_are_left_out_and_a_refusal_lands_on_the_row_it_came_from():
    posted = _posted(
        [
            {"rule": "age_between", "params": '{"min": 18}', "label": "Adults", "DELETE": "on"},
            {"rule": "age_between", "params": '{"min": 70}', "label": "Too old"},
        ]
    )
    _, formset = amend_forms(posted)
    assert formset.is_valid(), formset.errors
    criteria, rows = kept_criteria(formset)
    assert criteria == [{"rule": "age_between", "params": {"min": 70}, "label": "Too old"}]
    assert rows == [1]
    refusal = ValidationFailed(
        "bad", errors=[{"loc": ["changes", "criteria", 0, "params"], "msg": "min above max"}]
    )
    place_criteria_errors(formset, refusal, rows)
    assert formset.forms[1].errors["params"] == ["min above max"]
    assert not formset.forms[0].errors
