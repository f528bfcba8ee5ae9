"""A partner's view: a list sent through the API, a screening run, an amendment: the other
party's receiver hears of each, signed, with ids only."""

from __future__ import annotations

import datetime as dt
import json

from readmit.agreements.services import amendment_confirm, amendment_propose
from readmit.screening.services import screening_run_start, watchlist_import
from tests.events.receiver import Receiver
from tests.exchange.conftest import Api
from tests.relocation.conftest import kosovo, person
from tests.screening_app.conftest import SAMPLES


def _bodies(receiver: Receiver, kind: str) -> list[dict]:  # type: ignore[type-arg]
    return [e for e in receiver.processed.values() if e["type"] == kind]


def test_the_host_hears_of_a_list_sent_through_the_api_and_of_its_cases(
    world, api: Api, subscribe, receiver, django_capture_on_commit_callbacks
):
    agreement = kosovo(world)
    _, receiver.secret = subscribe("xk", receiver.url, ["list.received", "case.created"])
    body = {"reference": "US-XK-2026-07", "people": [person(), person()]}
    with django_capture_on_commit_callbacks(execute=True):
        response = api.client.post(
            f"/api/v1/agreements/{agreement.id}/lists",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {api.token(world.user('us_caseworker'))}",
            HTTP_IDEMPOTENCY_KEY="events-1",
        )
    assert response.status_code == 201, response.content
    created = response.json()
    [received] = _bodies(receiver, "list.received")
    assert received["data"] == {"list_id": created["id"]}
    assert received["agreement_id"] == str(agreement.id)
    cases = {e["case_id"] for e in _bodies(receiver, "case.created")}
    assert cases == {c["id"] for c in created["cases"]}
    everything = json.dumps(list(receiver.processed.values()))
    assert "Quintero" not in everything and "Ana" not in everything
    assert receiver.bad_signatures == 0


def test_both_parties_hear_that_a_screening_run_finished(
    world,
    subscribe,
    receiver,
    django_capture_on_commit_callbacks,
):
    from readmit.screening.services import agreement_watchlist_add, watchlist_create
    from tests.factories import make_case

    supervisor = world.user("xk_supervisor")
    watchlist = watchlist_create(
        name="Fictional public-order list",
        slug="fictional-list",
        owner=world.xk,
        source_kind="csv",
        acting_user=supervisor,
    )
    agreement_watchlist_add(agreement=world.agreement, watchlist=watchlist, acting_user=supervisor)
    watchlist_import(
        watchlist=watchlist,
        path_or_file=SAMPLES / "watchlist.csv",
        acting_user=world.user("xk_supervisor"),
    )
    make_case(world.agreement)
    _, receiver.secret = subscribe("us", receiver.url, ["screening.finished"])
    with django_capture_on_commit_callbacks(execute=True):
        run = screening_run_start(
            agreement=world.agreement, acting_user=world.user("xk_caseworker")
        )
    [finished] = _bodies(receiver, "screening.finished")
    assert finished["data"] == {"run_id": str(run.id)}
    assert finished["case_id"] is None and finished["state"] is None


def test_the_proposer_hears_that_its_amendment_was_confirmed(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    _, receiver.secret = subscribe("xk", receiver.url, ["amendment.confirmed"])
    proposal = amendment_propose(
        agreement=world.agreement,
        changes={"quota": {"limit": 60}},
        valid_from=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        reason="more places",
        acting_user=world.user("xk_supervisor"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        amendment_confirm(proposal=proposal, acting_user=world.user("us_supervisor"))
    [confirmed] = _bodies(receiver, "amendment.confirmed")
    assert confirmed["data"] == {"proposal_id": str(proposal.id)}
