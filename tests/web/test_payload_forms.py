"""The action forms are derived from the payload models: the type gives the widget."""

from __future__ import annotations

from readmit.cases.travel import IssueTravelDocumentIn
from readmit.relocation.hooks import RecommendIn, RecordArrivalIn, TransferPlanIn
from readmit.web.payloads import payload_specs


def by_name(model):  # type: ignore[no-untyped-def]
    return {spec.name: spec for spec in payload_specs(model)}


def test_each_field_type_gives_its_widget_and_a_required_field_is_marked():
    plan = by_name(TransferPlanIn)
    assert (plan["planned_for"].widget, plan["planned_for"].required) == ("datetime", True)
    assert (plan["urgent"].widget, plan["urgent"].required) == ("checkbox", False)
    assert (plan["notice_language"].widget, plan["notice_language"].required) == ("text", True)
    assert plan["notice_language"].label == "Notice given in language"
    assert plan["notice_given_at"].hint == "Leave empty for now"
    document = by_name(IssueTravelDocumentIn)
    assert document["valid_until"].widget == "date"
    assert document["single_journey"].default is True  # shown checked
    assert ("emergency_travel_document", "Emergency travel document") in document["type"].choices
    assert document["issuing_mission"].source == "missions"


def test_a_literal_is_a_select_of_its_values_and_a_case_choice_names_its_source():
    recommend = by_name(RecommendIn)["recommendation"]
    assert recommend.widget == "select"
    assert [v for v, _ in recommend.choices] == ["", "select", "decline"]
    site = by_name(RecordArrivalIn)["site"]
    assert (site.widget, site.source, site.required) == ("select", "sites", True)
