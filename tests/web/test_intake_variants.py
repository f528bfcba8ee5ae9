"""Transit and take-back applications through the web form and a CSV batch: the same fields
and the same refusals as the API (one validation, ``readmit.cases.applications``)."""

from __future__ import annotations

import datetime as dt

from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.core import clock
from tests.cases.test_transit import TRANSIT, _transferred
from tests.web.test_intake_form import batch_row, csv_file, form, montenegro

__all__ = ["montenegro"]  # the fixture

TRANSIT_FIELDS = {
    "variant": "transit",
    "transit_destination_state": TRANSIT["destination_state"],
    "transit_escort": TRANSIT["escort"],
}


def test_the_form_takes_in_a_transit_with_its_destination_and_escort(login, world, montenegro):
    client = login("us_caseworker")
    page = client.get(f"/agreements/{montenegro.id}/applications/new/").content.decode()
    assert 'name="transit_destination_state"' in page and 'name="take_back_of"' in page
    sent = client.post(
        f"/agreements/{montenegro.id}/applications/new/",
        form(external_id="DHS-T-WEB", **TRANSIT_FIELDS),
    )
    assert sent.status_code == 302, sent.content
    case = Case.objects.get(agreement=montenegro, external_id="DHS-T-WEB")
    assert case.data["variant"] == "transit"
    assert case.data["transit"] == TRANSIT
    assert {d.kind for d in case.deadlines.all()} == {"reply"}


def test_a_transit_form_without_its_destination_names_the_field_and_writes_nothing(
    login, world, montenegro
):
    client = login("us_caseworker")
    before = (Case.objects.count(), AuditEvent.objects.count())
    sent = client.post(
        f"/agreements/{montenegro.id}/applications/new/",
        form(external_id="DHS-T-WEB", variant="transit"),
    )
    assert sent.status_code == 422
    errors = sent.context["form"].errors
    assert errors["transit_destination_state"] == ["is required for a transit application"]
    # A plain readmission cannot carry a transit part either: the same rule as the API.
    sent = client.post(
        f"/agreements/{montenegro.id}/applications/new/",
        form(external_id="DHS-T-WEB", transit_destination_state="AL", transit_escort="none"),
    )
    assert sent.status_code == 422
    assert sent.context["form"].errors["transit_destination_state"] == [
        "is only for a transit application"
    ]
    assert (Case.objects.count(), AuditEvent.objects.count()) == before


def test_the_form_takes_in_a_take_back_of_a_transferred_case_and_refuses_one_after_its_window(
    login, world, montenegro, monkeypatch
):
    earlier = _transferred(world, montenegro, "DHS-E-WEB", "ME")
    client = login("us_caseworker")
    url = f"/agreements/{montenegro.id}/applications/new/"
    pending = client.post(url, form(external_id="DHS-PENDING"))
    assert pending.status_code == 302
    not_transferred = Case.objects.get(external_id="DHS-PENDING")
    sent = client.post(
        url, form(external_id="DHS-TB-1", variant="take_back", take_back_of=not_transferred.id)
    )
    assert sent.status_code == 422
    assert sent.context["form"].errors["take_back_of"] == [
        f"case {not_transferred.reference} was never transferred (no handover recorded)"
    ]

    later = clock.today() + dt.timedelta(days=190)
    audit_rows = AuditEvent.objects.count()
    with monkeypatch.context() as moved:
        moved.setattr(clock, "today", lambda: later)
        late = client.post(
            url, form(external_id="DHS-TB-2", variant="take_back", take_back_of=earlier.id)
        )
    assert late.status_code == 409
    assert earlier.reference in late.context["form"].errors["take_back_of"][0]
    assert "take_back_nationals" in late.context["form"].errors["take_back_of"][0]
    assert AuditEvent.objects.count() == audit_rows

    sent = client.post(
        url, form(external_id="DHS-TB-3", variant="take_back", take_back_of=earlier.id)
    )
    assert sent.status_code == 302, sent.content
    case = Case.objects.get(external_id="DHS-TB-3")
    assert case.data["variant"] == "take_back"
    assert case.data["take_back_of"]["reference"] == earlier.reference


def test_a_batch_takes_transits_and_take_backs_and_names_each_bad_row_and_column(
    login, world, montenegro, monkeypatch
):
    earlier = _transferred(world, montenegro, "DHS-E-CSV", "ME")
    client = login("us_caseworker")
    url = f"/agreements/{montenegro.id}/applications/batch/"
    blank = {"variant": "", "transit_destination_state": "", "transit_escort": ""}
    rows = [
        batch_row("B-T1", "ME4000001", **TRANSIT_FIELDS, take_back_of=""),
        batch_row("B-T2", "ME4000002", **{**TRANSIT_FIELDS, "transit_escort": ""}, take_back_of=""),
        batch_row("B-TB", "ME4000003", **blank, take_back_of=str(earlier.id)),
        batch_row("B-R", "ME4000004", **blank, take_back_of=""),
    ]
    refused = client.post(url, {"file": csv_file(rows)})
    assert refused.status_code == 422
    named = {(e["row"], e["field"]) for e in refused.context["errors"]}
    # Row 4 names an earlier case without saying it is a take-back.
    assert named == {(3, "transit_escort"), (4, "take_back_of")}
    assert not Case.objects.filter(external_id__startswith="B-").exists()

    rows[1]["transit_escort"] = "none"
    rows[2]["variant"] = "take_back"
    later = clock.today() + dt.timedelta(days=190)
    with monkeypatch.context() as moved:
        moved.setattr(clock, "today", lambda: later)
        late = client.post(url, {"file": csv_file(rows)})
    assert late.status_code == 422
    [problem] = late.context["errors"]
    assert (problem["row"], problem["field"]) == (4, "take_back_of")
    assert "take_back_nationals" in problem["message"]

    sent = client.post(url, {"file": csv_file(rows)})
    assert sent.status_code == 302
    variants = {
        c.external_id: c.data["variant"] for c in Case.objects.filter(external_id__startswith="B-")
    }
    assert variants == {
        "B-T1": "transit",
        "B-T2": "transit",
        "B-TB": "take_back",
        "B-R": "readmission",
    }
    assert Case.objects.get(external_id="B-T2").data["transit"]["escort"] == "none"
