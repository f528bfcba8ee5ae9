"""Every setting of an agreement's terms is enforced by a named test or declared informational.

"A setting that a page or the API shows must be enforced, with a test, or not shown" (issue
#8). This walks every key of ``AgreementTerms``, recursively, including each criterion rule's
parameters, and fails on a key that is in none of the lists below, on a listed key the
schema no longer has, and on a named test that does not exist.

A new setting therefore lands with the test that enforces it, or with a sentence saying why it
decides nothing; there is no third list.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from readmit.agreements.terms import CRITERION_PARAMS, AgreementTerms
from readmit.cases.deadlines import DEFAULT_LIMITS

ROOT = Path(__file__).resolve().parents[2]

_CRITERIA = "tests/agreements/test_criteria.py"
_TRANSFER = "tests/relocation/test_transfer_reception.py"
_DEADLINES = "tests/cases/test_readmission_deadlines.py"

# key -> "path::test" that fails if the setting is not applied.
ENFORCED: dict[str, str] = {
    "quota.limit": "tests/cases/test_services.py::"
    "test_the_selection_beyond_the_quota_is_refused_and_writes_nothing",
    "quota.period": "tests/agreements/test_quota_periods.py::"
    "test_a_calendar_year_quota_starts_at_entry_into_force_in_the_first_year",
    "capacity.max_present": f"{_TRANSFER}::test_the_agreements_total_capacity_holds_across_sites",
    "time_limits.*.amount": f"{_DEADLINES}::"
    "test_opening_an_application_starts_the_reply_limit_on_both_calendars",
    "time_limits.*.unit": f"{_DEADLINES}::"
    "test_opening_an_application_starts_the_reply_limit_on_both_calendars",
    "time_limits.*.roll_forward": "tests/deadlines/test_calendar.py::"
    "test_twelve_calendar_days_ending_on_a_sunday_stay_on_sunday_without_roll_forward",
    "max_stay_days": f"{_TRANSFER}::test_arrival_opens_a_stay_with_its_maximum_end",
    "stay_alert_days": f"{_TRANSFER}::"
    "test_the_sweep_gives_a_stay_entering_its_window_one_deadline_met_at_departure",
    "notice_hours": f"{_TRANSFER}::"
    "test_a_transfer_needs_the_agreements_notice_period_shorter_when_urgent",
    "urgent_notice_hours": f"{_TRANSFER}::"
    "test_a_transfer_needs_the_agreements_notice_period_shorter_when_urgent",
    "criteria[].rule": "tests/relocation/test_decisions.py::"
    "test_a_failing_or_unknown_criterion_refuses_the_selection_naming_the_rule_and_writes_nothing",
    "criteria[].params.no_conviction_within_years.years": f"{_CRITERIA}::"
    "test_a_listed_conviction_within_the_window_fails_and_says_which_and_when",
    "criteria[].params.no_conviction_within_years.categories": f"{_CRITERIA}::"
    "test_an_older_or_unlisted_conviction_passes",
    "criteria[].params.age_between.min": f"{_CRITERIA}::"
    "test_age_bounds_are_inclusive_on_the_decision_date",
    "criteria[].params.age_between.max": f"{_CRITERIA}::"
    "test_age_bounds_are_inclusive_on_the_decision_date",
    "criteria[].params.nationality_in.codes": f"{_CRITERIA}::"
    "test_a_nationality_in_the_set_passes_and_one_outside_fails",
    "exclusions.minors": "tests/relocation/test_decisions.py::"
    "test_an_excluded_group_is_refused_with_the_exclusion_rule_named",
    "exclusions.unaccompanied_minors": f"{_CRITERIA}::"
    "test_each_excluded_group_fails_with_the_group_named",
    "exclusions.pregnant": "tests/relocation/test_decisions.py::"
    "test_an_excluded_group_is_refused_with_the_exclusion_rule_named",
    "exclusions.vulnerable": "tests/relocation/test_decisions.py::"
    "test_an_excluded_group_is_refused_with_the_exclusion_rule_named",
    "data_sharing.criminal_data_allowed": "tests/web/test_pages.py::"
    "test_criminal_data_is_shown_only_where_the_agreement_shares_it",
    "criteria[].params.no_conviction_within_years.free_text_categories": "tests/relocation/"
    "test_unknown_facts.py::"
    "test_where_the_agreement_allows_free_text_the_murder_is_unknown_and_blocks_selection",
    "silence_means_acceptance": "tests/cases/test_silence.py::"
    "test_the_sweep_deems_an_unanswered_application_accepted_once_where_silence_is_acceptance",
    "interview_provided": "tests/cases/test_silence.py::"
    "test_an_interview_is_refused_where_the_agreement_provides_none",
    "data_sharing.categories": "tests/relocation/test_data_sharing.py::"
    "test_a_category_the_agreement_does_not_list_never_reaches_the_other_party",
    "data_sharing.onward_sharing_needs_consent": "tests/web/test_export.py::"
    "test_the_other_partys_people_are_exported_without_personal_data_while_onward_sharing"
    "_needs_consent",
    "capacity.max_per_year": f"{_TRANSFER}::"
    "test_the_arrival_after_the_yearly_maximum_is_refused_naming_the_setting",
    "exclusions.families_together": f"{_TRANSFER}::"
    "test_families_move_together_only_when_the_agreement_says_so",
    "termination_notice_days": "tests/agreements/test_lifecycle.py::"
    "test_the_default_notice_period_is_180_days_and_the_terms_can_set_another",
    "suspension_grounds": "tests/agreements/test_lifecycle.py::"
    "test_a_suspension_names_a_court_order_with_its_reference_or_a_ground_the_terms_list",
    "eu_travel_document_needs_consent": "tests/cases/test_travel_documents.py::"
    "test_the_eu_document_needs_the_requested_states_prior_consent_where_the_agreement_says_so",
    "costs.transport_to_border": "tests/cases/test_travel_documents.py::"
    "test_only_the_party_the_agreement_names_records_a_legs_cost",
    "costs.onward": "tests/cases/test_travel_documents.py::"
    "test_only_the_party_the_agreement_names_records_a_legs_cost",
    "evidence_classes": "tests/cases/test_intake.py::"
    "test_the_agreements_annexes_can_class_a_kind_as_none_so_an_interview_falls_due",
    "prima_facie_evidence": "tests/exchange/test_prima_facie_verification.py::"
    "test_under_a_verification_agreement_prima_facie_evidence_is_no_presumption_and_acceptance"
    "_needs_the_outcome",
    "data_sharing.retention_days": "tests/cases/test_retention.py::"
    "test_personal_data_is_anonymised_after_the_retention_period_and_the_audit_chain_verifies",
}

_TRANSIT = "tests/cases/test_transit.py"
# The named limits under ``time_limits`` that have a default (``cases.deadlines.DEFAULT_LIMITS``):
# each with the test that fails if the limit is not applied.
TIME_LIMIT_KEYS: dict[str, str] = {
    "transit_reply": f"{_TRANSIT}::"
    "test_a_transit_names_its_destination_and_escort_and_its_reply_is_due_in_transit_reply",
    "transit_window": f"{_TRANSIT}::"
    "test_consent_opens_the_transit_window_and_a_transit_after_it_is_refused",
    "transit_take_back": f"{_TRANSIT}::"
    "test_a_revoked_transit_leaves_a_take_back_deadline_the_requesting_side_meets",
    "take_back_nationals": f"{_TRANSIT}::test_the_take_back_windows_are_the_agreements_terms",
    "take_back_others": f"{_TRANSIT}::test_the_take_back_windows_are_the_agreements_terms",
}

# key -> why it is shown but decides nothing.
INFORMATIONAL: dict[str, str] = {
    "time_limits.*.start_event": "a label for people in the deadline's explanation; the "
    "event that starts each limit is fixed by the workflow (cases/deadlines.py)",
    "criteria[].label": "the name a page shows for the rule; the rule and its params decide",
}


def _models_in(annotation: Any) -> list[tuple[str, type[BaseModel]]]:
    """(path suffix, model) for each model an annotation holds: ``X``, ``X | None``,
    ``list[X]`` (``[]``) and ``dict[str, X]`` (``.*``)."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [("", annotation)]
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    if origin is list:
        return [("[]" + s, m) for s, m in _models_in(typing.get_args(annotation)[0])]
    if origin is dict:
        return [(".*" + s, m) for s, m in _models_in(typing.get_args(annotation)[1])]
    return []


def terms_keys(model: type[BaseModel] = AgreementTerms, prefix: str = "") -> set[str]:
    """Every leaf setting, as ``a.b``, ``a[].b`` (lists) or ``a.*.b`` (maps)."""
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        nested = _models_in(info.annotation)
        if path == "criteria[].params":
            keys |= {
                f"{path}.{rule}.{param}"
                for rule, params in CRITERION_PARAMS.items()
                for param in params.model_fields
            }
        elif nested:
            for suffix, inner in nested:
                keys |= terms_keys(inner, f"{path}{suffix}.")
        else:
            keys.add(path)
    return keys


def test_the_walk_reaches_nested_lists_maps_and_rule_parameters():
    keys = terms_keys()
    assert {"quota.limit", "time_limits.*.unit", "criteria[].rule"} <= keys
    assert "criteria[].params.age_between.min" in keys
    assert "quota" not in keys and "criteria[].params" not in keys


def test_every_terms_key_is_enforced_by_a_named_test_or_declared_informational():
    lists = (ENFORCED, INFORMATIONAL)
    listed = [key for table in lists for key in table]
    assert len(listed) == len(set(listed)), "a key is in more than one list"
    keys = terms_keys()
    assert not keys - set(listed), f"keys neither enforced nor informational: {keys - set(listed)}"
    assert not set(listed) - keys, f"listed keys the terms no longer have: {set(listed) - keys}"


@pytest.mark.parametrize("key", sorted(ENFORCED))
def test_each_enforcing_test_exists(key):
    path, name = ENFORCED[key].split("::")
    assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), ENFORCED[key]


def test_every_time_limit_with_a_default_is_enforced_by_a_named_test():
    assert set(TIME_LIMIT_KEYS) == set(DEFAULT_LIMITS)
    for key, test in TIME_LIMIT_KEYS.items():
        path, name = test.split("::")
        assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), key
