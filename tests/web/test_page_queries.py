"""The overview and the case page ask the database the same number of questions however many
cases there are (issue 15's target: query counts constant in the number of rows; the case
list's own check is in test_case_list.py, the API list's in tests/exchange/test_cases.py)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from readmit.cases.models import Deadline
from readmit.core import clock
from tests.factories import make_agreement, make_case

READMISSION_TERMS = {"time_limits": {"reply": {"amount": 12, "unit": "calendar_days"}}}


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_overview_asks_as_many_queries_for_many_cases_as_for_one(world, login):
    readmission = make_agreement(world.us, world.xk, kind="readmission", terms=READMISSION_TERMS)
    client = login("xk_caseworker")
    make_case(world.agreement)
    make_case(readmission)
    few = _queries(client, "/")
    for n in range(6):
        make_case(world.agreement, family_name=f"Many{n}")
        due = make_case(readmission, family_name=f"Due{n}")
        Deadline.objects.filter(case=due).update(due_on=clock.today() + dt.timedelta(days=n))
    page = client.get("/")
    assert len(page.context["due"]) >= 6  # the new deadlines are on the page
    assert _queries(client, "/") == few


def test_a_case_page_asks_as_many_queries_among_many_cases_as_among_few(world, login):
    first = make_case(world.agreement)
    client = login("xk_caseworker")
    few = _queries(client, f"/cases/{first.id}/")
    for n in range(6):
        make_case(world.agreement, family_name=f"Other{n}")
    assert _queries(client, f"/cases/{first.id}/") == few
