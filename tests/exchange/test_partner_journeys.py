"""The Kosovo relocation and the Italy–Albania reception, end to end, as partner systems run
them: after the agreements, sites and watchlist are built, every step is a request of
``readmit.client`` over HTTP with one party's API token, and nothing is written through the
ORM. At the key steps the other party is asked what it sees, and a third state is answered
404, as if nothing existed. (The Montenegro readmission is test_readmission_journey.py.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from readmit.accounts.roles import Role
from readmit.agreements.services import site_create
from readmit.client import Conflict, NotFound, ReadmitClient
from readmit.events.outbox import EVENT_TYPES
from readmit.screening.services import agreement_watchlist_add, watchlist_create, watchlist_import
from tests.events.conftest import receiver  # noqa: F401
from tests.factories import SYSTEM, make_agreement, make_org, make_user
from tests.relocation.conftest import KOSOVO_TERMS, kosovo, person, transfer_payload
from tests.screening_lists import SAMPLES

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def refused_to_outsider(outsider: ReadmitClient, case_id: str, action: str) -> None:
    """A state party to nothing here reads nothing and changes nothing: 404 both ways."""
    with pytest.raises(NotFound):
        outsider.case(case_id)
    with pytest.raises(NotFound):
        outsider.matches(case_id)
    with pytest.raises(NotFound):
        outsider.transition(case_id, action, if_match='"1"')


def test_the_kosovo_arrangement_runs_from_the_list_to_departure_through_the_client(
    world,
    partner,
    receiver,  # noqa: F811
):
    agreement = kosovo(world, criteria=[*KOSOVO_TERMS["criteria"], {"rule": "no_watchlist_match"}])
    site = site_create(
        agreement=agreement,
        name="Reception centre Prishtina",
        country_code="XK",
        capacity=10,
        acting_user=SYSTEM,
    )
    watchlist = watchlist_create(
        name="Fictional public-order list",
        slug="fictional-list",
        owner=world.xk,
        source_kind="csv",
        acting_user=world.user("xk_supervisor"),
    )
    agreement_watchlist_add(
        agreement=agreement, watchlist=watchlist, acting_user=world.user("xk_supervisor")
    )
    watchlist_import(
        watchlist=watchlist,
        path_or_file=SAMPLES / "watchlist.csv",
        acting_user=world.user("xk_supervisor"),
    )
    us = partner(world.user("us_caseworker"))
    xk = partner(world.user("xk_caseworker"))
    xk_supervisor = partner(world.user("xk_supervisor"))
    outsider = partner(world.user("me_caseworker"))
    agreement_id = str(agreement.id)
    # Kosovo's system subscribes to events; they reach its receiver signed, with ids only.
    subscription = partner(world.user("xk_administrator")).webhook_create(
        str(world.xk.id), url=receiver.url, event_types=list(EVENT_TYPES)
    )
    receiver.secret = subscription["secret"]
    assert us.agreement(agreement_id)["quota"] == xk.agreement(agreement_id)["quota"]
    used_before = us.agreement(agreement_id)["quota"]["used"]  # type: ignore[index]

    # 1. The US sends its list; one person has the name of an entry of Kosovo's watchlist.
    listed = person(
        given_names="Dževat",
        family_name="Ukšini",
        birth_date="1979-04-12",
        sex="M",
        nationalities=["XK"],
        documents=[],
    )
    clean = person(given_names="Marisol", family_name="Ocampo")
    sent = us.list_submit(agreement_id, reference="US-XK-2026-11", people=[listed, clean])
    cases = {c["external_id"]: c["id"] for c in sent["cases"]}  # type: ignore[typeddict-item]
    listed_id, clean_id = cases[listed["external_id"]], cases[clean["external_id"]]
    assert {c["external_id"] for c in xk.cases(agreement=agreement_id)} == set(cases)
    refused_to_outsider(outsider, listed_id, "recommend")

    # 2. Nobody asked, yet the list was screened when it arrived: one match, pending review.
    [match] = xk.matches(listed_id)
    assert match["status"] == "pending"
    assert xk.matches(clean_id) == []
    run = xk.screening_run(match["run"])
    assert run["status"] == "done" and run["trigger"] == "list_arrived"
    assert run["case_count"] == 2
    # The US sees that there is a match, not who on Kosovo's (unshared) list it matched.
    [seen_by_us] = us.matches(listed_id)
    assert seen_by_us["id"] == match["id"] and seen_by_us["entry_shared"] is False
    assert seen_by_us["entry"] is None and seen_by_us["matched_name"] is None
    assert xk.criteria(clean_id)["latest"]["outcome"] == "pass"  # type: ignore[index]
    assert xk.criteria(listed_id)["latest"]["outcome"] == "unknown"  # type: ignore[index]

    # 3. Until the match is reviewed, the criteria do not pass and selection is refused.
    xk.transition(listed_id, "recommend", payload={"recommendation": "select"})
    with pytest.raises(Conflict) as refused:
        xk_supervisor.transition(listed_id, "select")
    assert refused.value.rule
    with pytest.raises(NotFound):
        outsider.match_review(match["id"], "dismiss", "Not ours to review.")
    reviewed = xk_supervisor.match_review(
        match["id"], "dismiss", "A different person: birth place and parents differ."
    )
    assert reviewed["status"] == "dismissed"
    assert us.matches(listed_id)[0]["status"] == "dismissed"
    assert xk.criteria(listed_id)["latest"]["outcome"] == "pass"  # type: ignore[index]

    # 4. Kosovo selects both, within the quota of 50; the US sees the places taken.
    assert "select" in xk_supervisor.case(listed_id)["allowed_actions"]
    assert xk_supervisor.transition(listed_id, "select")["state"] == "selected"
    xk.transition(clean_id, "recommend", payload={"recommendation": "select"})
    assert xk_supervisor.transition(clean_id, "select")["state"] == "selected"
    assert us.case(listed_id)["state"] == "selected"
    quota = us.agreement(agreement_id)["quota"]
    assert quota is not None and quota["used"] == used_before + 2
    assert quota["remaining"] == quota["limit"] - quota["used"]
    refused_to_outsider(outsider, listed_id, "schedule_transfer")

    # 5. The US schedules the transfer; Kosovo records the arrival at its centre.
    scheduled = us.transition(listed_id, "schedule_transfer", payload=transfer_payload())
    assert scheduled["state"] == "transfer_scheduled"
    assert xk.case(listed_id)["state"] == "transfer_scheduled"
    arrived = xk.transition(listed_id, "record_arrival", payload={"site": str(site.id)})
    assert arrived["state"] == "in_reception"
    assert us.case(listed_id)["state"] == "in_reception"
    refused_to_outsider(outsider, listed_id, "record_departure")

    # 6. A departure needs a return plan first; then the person leaves.
    with pytest.raises(Conflict) as no_plan:
        xk.transition(listed_id, "record_departure", payload={"outcome": "departed_voluntarily"})
    assert no_plan.value.rule == "return-plan"
    stay = xk.return_plan(listed_id, "Voluntary departure with IOM assistance (fictional).")
    assert stay["site"] == "Reception centre Prishtina"
    departed = xk.transition(
        listed_id, "record_departure", payload={"outcome": "departed_voluntarily"}
    )
    assert departed["state"] == "departed"
    assert us.case(listed_id)["state"] == "departed"
    refused_to_outsider(outsider, listed_id, "close")

    # 7. Kosovo's receiver heard of each step, in order per case, signed, with no names.
    assert receiver.bad_signatures == 0
    heard = {e["type"] for e in receiver.processed.values()}
    assert {"list.received", "case.created", "screening.finished", "case.transitioned"} <= heard
    steps = [receiver.processed[e]["data"].get("action") for e in receiver.case_order(listed_id)]
    assert [s for s in steps if s] == [
        "recommend",
        "select",
        "schedule_transfer",
        "record_arrival",
        "record_departure",
    ]
    everything = json.dumps(list(receiver.processed.values()))
    assert "Ukšini" not in everything and "Ocampo" not in everything


ITALY_ALBANIA_TERMS: dict[str, Any] = {
    "capacity": {"max_present": 3000, "max_per_year": 36000},
    "exclusions": {"minors": True, "pregnant": True, "vulnerable": True},
    "data_sharing": {
        "categories": ["identity", "nationality", "languages", "vulnerabilities"],
        "criminal_data_allowed": False,
        "onward_sharing_needs_consent": True,
        "retention_days": 365,
    },
}


def test_an_italy_albania_reception_runs_from_transfer_to_return_through_the_client(world, partner):
    italy = make_org("IT", "Ministry of the Interior of Italy")
    albania = make_org("AL", "Ministry of Interior of Albania")
    agreement = make_agreement(italy, albania, kind="reception", terms=ITALY_ALBANIA_TERMS)
    # Shëngjin has one place: the second arrival there is refused by capacity.
    shengjin = site_create(
        agreement=agreement, name="Shëngjin", country_code="AL", capacity=1, acting_user=SYSTEM
    )
    gjader = site_create(
        agreement=agreement, name="Gjadër", country_code="AL", capacity=880, acting_user=SYSTEM
    )
    it = partner(make_user(italy, Role.CASEWORKER, username="it_caseworker"))
    al = partner(make_user(albania, Role.CASEWORKER, username="al_caseworker"))
    outsider = partner(world.user("xk_caseworker"))
    agreement_id = str(agreement.id)
    with pytest.raises(NotFound):
        outsider.agreement(agreement_id)

    # 1. Italy sends two people stopped at sea.
    people = [
        person(external_id="IT-AL-0001", given_names="Karim", family_name="Haddad", sex="M"),
        person(external_id="IT-AL-0002", given_names="Samir", family_name="Nasser", sex="M"),
    ]
    sent = it.list_submit(agreement_id, reference="IT-AL-2026-03", people=people)
    first, second = (c["id"] for c in sent["cases"])  # type: ignore[typeddict-item]
    assert al.case(first)["state"] == "proposed"
    assert al.case(first)["kind"] == "reception"
    refused_to_outsider(outsider, first, "schedule_transfer")

    # 2. Italy schedules both transfers by sea; Albania records the arrivals.
    route = "Italian navy vessel to the port of Shëngjin"
    for case_id in (first, second):
        done = it.transition(case_id, "schedule_transfer", payload=transfer_payload(route=route))
        assert done["state"] == "transfer_scheduled"
    # Albania reads what Italy changed before it acts (its If-Match is what it read).
    assert al.case(first)["state"] == "transfer_scheduled"
    assert al.case(second)["state"] == "transfer_scheduled"
    arrived = al.transition(first, "record_arrival", payload={"site": str(shengjin.id)})
    assert arrived["state"] == "in_reception"
    with pytest.raises(Conflict) as full:
        al.transition(second, "record_arrival", payload={"site": str(shengjin.id)})
    assert full.value.rule
    assert al.case(second)["state"] == "transfer_scheduled"
    assert al.transition(second, "record_arrival", payload={"site": str(gjader.id)})["state"] == (
        "in_reception"
    )
    assert it.case(first)["state"] == "in_reception"
    refused_to_outsider(outsider, first, "record_departure")

    # 3. The stay: Albania records the return plan, which Italy cannot; then the return.
    with pytest.raises(NotFound):
        outsider.return_plan(first, "Not ours.")
    stay = al.return_plan(first, "Return flight to the country of origin with IOM (fictional).")
    assert stay["site"] == "Shëngjin" and stay["return_plan"]
    returned = al.transition(first, "record_departure", payload={"outcome": "returned_to_origin"})
    assert returned["state"] == "departed"
    assert it.case(first)["state"] == "departed"
    # The place at Shëngjin is free again.
    assert al.case(second)["state"] == "in_reception"
    refused_to_outsider(outsider, first, "close")
