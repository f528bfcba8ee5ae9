"""Date-times in the API carry their UTC offset; one without is refused, never guessed in a
zone (issue #8, finding 11)."""

from __future__ import annotations

import datetime as dt

from readmit.cases.models import Case
from readmit.relocation.models import TransferPlan
from tests.exchange.conftest import assert_problem
from tests.relocation.conftest import kosovo, person, select, submit


def selected_case(world):  # type: ignore[no-untyped-def]
    case = submit(world, kosovo(world), [person()]).cases[0]
    select(world, case)
    return Case.objects.get(id=case.id)


def body(planned_for: str) -> dict[str, object]:
    return {
        "action": "schedule_transfer",
        "payload": {
            "planned_for": planned_for,
            "route": "Washington Dulles → Prishtina, charter",
            "notice_language": "es",
        },
    }


def test_a_date_time_without_a_utc_offset_is_refused_naming_the_field(api, world):
    case = selected_case(world)
    response = api.transition(case, world.user("us_caseworker"), body("2027-01-15T09:00:00"))
    problem = assert_problem(response, 422, "validation-failed")
    assert [e["loc"] for e in problem["errors"]] == [["body", "payload", "payload", "planned_for"]]
    assert "no UTC offset: give one" in problem["errors"][0]["msg"]
    assert not TransferPlan.objects.filter(case=case).exists()
    assert Case.objects.get(id=case.id).state == "selected"


def test_a_date_time_with_its_offset_is_stored_as_that_instant_in_utc(api, world):
    case = selected_case(world)
    response = api.transition(case, world.user("us_caseworker"), body("2027-01-15T09:00:00-05:00"))
    assert response.status_code == 200, response.content
    plan = TransferPlan.objects.get(case=case)
    assert plan.planned_for == dt.datetime(2027, 1, 15, 14, 0, tzinfo=dt.UTC)
