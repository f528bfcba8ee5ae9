"""Dashboards: figures only over what the reader may see, equal to a count made here, the
chart and the XLSX carrying the table's rows, and a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from readmit.agreements.models import Site
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, Deadline, QuotaAllocation
from readmit.cases.services import case_transition
from readmit.core import clock
from readmit.relocation.models import ReceptionStay
from readmit.reporting.dashboards import DASHBOARDS, percentile
from tests.consular.test_mission_family_and_lists import _routed_to_new_york
from tests.factories import log_in, make_agreement, make_case

YEAR = clock.today().year
PAGES = [f"/dashboards/{name}/" for name in DASHBOARDS]


def _client(world, key: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    log_in(client, world.user(key))
    return client


def _moment(month: int, day: int) -> dt.datetime:
    return dt.datetime(YEAR, month, day, 9, tzinfo=dt.UTC)


def _figures(agreement, count: int, *, prefix: str = "Figure") -> list[Case]:  # type: ignore[no-untyped-def]
    """``count`` cases with a quota place, a stay at the agreement's site, and one time
    limit of each outcome (on time, late, lapsed, running)."""
    site, _ = Site.objects.get_or_create(
        agreement=agreement,
        name=f"Site of {agreement.reference}",
        defaults={"country_id": "XK", "capacity": 40},
    )
    cases = []
    for n in range(count):
        case = make_case(agreement, family_name=f"{prefix}{n}", nationality="VE" if n % 2 else "CU")
        QuotaAllocation.objects.create(
            agreement=agreement,
            case=case,
            period_start=dt.date(YEAR, 1, 1),
            period_end=dt.date(YEAR, 12, 31),
        )
        ReceptionStay.objects.create(
            case=case,
            site=site,
            arrived_at=_moment(1, 15),
            ended_at=_moment(3, 10) if n % 3 == 0 else None,
            outcome="departed_voluntarily" if n % 3 == 0 else "",
        )
        status = n % 4
        Deadline.objects.create(
            case=case,
            kind="reply",
            label="Reply to the proposal",
            due_on=dt.date(YEAR, 2, 1),
            met_at=_moment(1, 20) if status == 0 else _moment(2, 5) if status == 1 else None,
            met_late=status == 1,
            lapsed_at=_moment(2, 2) if status == 2 else None,
        )
        if status == 3:
            Deadline.objects.filter(case=case).update(due_on=dt.date(YEAR, 12, 31))
        cases.append(case)
    return cases


@pytest.fixture
def other(world):  # type: ignore[no-untyped-def]
    """A second agreement, between the USA and Montenegro: Kosovo is no party to it."""
    return make_agreement(
        world.us, world.me, terms={"quota": {"limit": 10, "period": "calendar_year"}}
    )


def _table(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in rows
    ]


def test_a_party_sees_the_figures_of_its_agreements_and_none_of_another(world, other):
    _figures(world.agreement, 3)
    _figures(other, 2, prefix="Other")
    kosovo = _client(world, "xk_caseworker")
    montenegro = _client(world, "me_supervisor")
    for page in PAGES:
        seen = kosovo.get(page).content.decode()
        assert other.reference not in seen, page
        assert "Site of " + other.reference not in seen, page
    assert world.agreement.reference in kosovo.get("/dashboards/quota/").content.decode()
    quota = _table(montenegro.get("/dashboards/quota/").content.decode())
    assert [r[0] for r in quota] == [other.reference]
    # The sending state, party to both, sees both.
    usa = _table(_client(world, "us_auditor").get("/dashboards/quota/").content.decode())
    assert {r[0] for r in usa} == {world.agreement.reference, other.reference}


def test_an_administrator_reads_no_dashboard(world):
    admin = _client(world, "xk_administrator")
    assert admin.get("/dashboards/").status_code == 403
    for page in PAGES:
        assert admin.get(page).status_code == 403
        assert admin.get(page + "export.xlsx").status_code == 403
    assert _client(world, "xk_auditor").get("/dashboards/").status_code == 200


def test_filtering_on_an_agreement_one_is_not_party_to_answers_not_found(world, other):
    kosovo = _client(world, "xk_supervisor")
    for page in ["/dashboards/", *PAGES]:
        assert kosovo.get(f"{page}?agreement={other.id}").status_code == 404, page
        assert kosovo.get(f"{page}?agreement={world.agreement.id}").status_code == 200, page
    assert kosovo.get(f"/dashboards/quota/export.xlsx?agreement={other.id}").status_code == 404
    assert kosovo.get("/dashboards/no-such-chart/").status_code == 404


def test_a_year_out_of_range_is_refused_next_to_its_field(world):
    html = _client(world, "xk_caseworker").get("/dashboards/quota/?year=1800").content.decode()
    assert 'id="year-error"' in html and "greater than or equal to 2000" in html


def test_quota_used_equals_the_live_allocations_counted_here_against_the_quota(world):
    cases = _figures(world.agreement, 5)
    QuotaAllocation.objects.filter(case=cases[0]).update(released_at=_moment(2, 1))
    used = QuotaAllocation.objects.filter(
        agreement=world.agreement, released_at__isnull=True
    ).count()
    rows = _table(_client(world, "xk_caseworker").get("/dashboards/quota/").content.decode())
    assert rows == [
        [
            world.agreement.reference,
            f"{YEAR}-01-01",
            f"{YEAR}-12-31",
            str(used),
            "50",
            str(50 - used),
        ]
    ]
    assert used == 4


def test_occupancy_per_site_counts_the_stays_open_on_the_first_of_each_month(world):
    _figures(world.agreement, 6)
    html = (
        _client(world, "xk_caseworker")
        .get(f"/dashboards/occupancy/?agreement={world.agreement.id}")
        .content.decode()
    )
    rows = _table(html)
    site = f"Site of {world.agreement.reference}"
    by_month = {r[0]: int(r[3]) for r in rows if r[2] == site}
    for month in (2, 4):
        moment = _moment(month, 1).replace(hour=0)
        expected = (
            ReceptionStay.objects.filter(arrived_at__lt=moment).exclude(ended_at__lt=moment).count()
        )
        assert by_month[f"{YEAR}-{month:02d}"] == expected
    assert {r[4] for r in rows if r[2] == site} == {"40"}
    # One point on the chart per row of the table.
    assert html.count('class="point"') == len(rows)


def test_deadline_compliance_counts_late_replies_and_lists_each_one_flagged(world):
    _figures(world.agreement, 8)
    html = _client(world, "xk_caseworker").get("/dashboards/deadlines/").content.decode()
    rows = _table(html)
    live = Deadline.objects.filter(case__agreement=world.agreement, cancelled_at__isnull=True)
    late = [d for d in live if d.status in ("late", "lapsed")]
    on_time = [d for d in live if d.status == "met"]
    assert rows == [
        [
            world.agreement.reference,
            "reply",
            str(len(on_time)),
            str(len(late)),
            str(len(live) - len(late) - len(on_time)),
            "0",
        ]
    ]
    flagged = html.split('id="late"', 1)[1]
    assert flagged.count("flag-overdue") == len(late)
    for deadline in late:
        assert deadline.case.reference in flagged
    assert html.count('class="bar"') == len(rows)


def test_time_in_each_state_gives_the_median_and_90th_percentile_in_whole_days(world, monkeypatch):
    waits = [5, 10, 40]
    for n, days in enumerate(waits):
        monkeypatch.setattr(clock, "now", lambda: _moment(2, 1))
        case = make_case(world.agreement, family_name=f"Waiting{n}")
        monkeypatch.setattr(clock, "now", lambda d=days: _moment(2, 1) + dt.timedelta(days=d))
        case_transition(
            case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker")
        )
    ordered = sorted(waits)
    median, p90 = ordered[(len(ordered) + 1) // 2 - 1], ordered[-1]
    html = _client(world, "xk_caseworker").get("/dashboards/states/").content.decode()
    assert _table(html) == [["relocation", "proposed", "3", str(median), str(p90)]]


def test_the_percentile_is_the_nearest_rank():
    assert percentile({1: 1, 2: 1, 3: 1, 4: 1}, 0.5) == 2
    assert percentile({1: 9, 30: 1}, 0.9) == 1
    assert percentile({1: 8, 30: 2}, 0.9) == 30


def test_outcomes_are_counted_by_nationality_and_by_reason(world):
    supervisor = world.user("xk_supervisor")
    declined = []
    for n, nationality in enumerate(["VE", "VE", "CU"]):
        case = make_case(world.agreement, family_name=f"Outcome{n}", nationality=nationality)
        case_transition(
            case_id=case.id,
            action="decline",
            acting_user=supervisor,
            reason="Does not meet the criteria.",
            reason_code="criteria_not_met",
        )
        declined.append(nationality)
    client = _client(world, "xk_caseworker")
    by_nationality = _table(client.get("/dashboards/nationality/").content.decode())
    assert by_nationality == [
        ["CU", str(declined.count("CU")), str(declined.count("CU"))],
        ["VE", str(declined.count("VE")), str(declined.count("VE"))],
    ]
    by_reason = _table(client.get("/dashboards/reason/").content.decode())
    assert by_reason == [["declined", "criteria_not_met", str(len(declined))]]


def test_the_xlsx_export_has_the_tables_rows_and_is_audited(world):
    _figures(world.agreement, 4)
    client = _client(world, "xk_caseworker")
    for name in DASHBOARDS:
        rows = _table(client.get(f"/dashboards/{name}/").content.decode())
        if rows == [["No figures for these filters."]]:
            rows = []
        response = client.get(f"/dashboards/{name}/export.xlsx")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [
            [str(c) if c is not None else "" for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        assert cells[1:] == rows, name
        event = AuditEvent.objects.filter(event_type=AuditEventType.DASHBOARD_EXPORTED).last()
        assert event is not None and event.object_id == name and event.data["rows"] == len(rows)


@pytest.mark.parametrize("page", ["/dashboards/", *PAGES])
def test_each_dashboard_reads_as_many_queries_for_50_cases_as_for_5(world, page):
    client = _client(world, "xk_caseworker")
    counts = []
    for size in (5, 45):
        _figures(world.agreement, size, prefix=f"Count{size}x")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts.append(len(queries))
    assert Case.objects.count() == 50
    assert counts[0] == counts[1]


def test_a_consular_mission_counts_only_the_cases_routed_to_it(consular):
    others = [make_case(consular.agreement, family_name=f"Notrouted{n}") for n in range(3)]
    for case in [consular.case, *others]:
        Deadline.objects.create(
            case=case,
            kind="reply",
            label="Reply to the application",
            due_on=dt.date(YEAR, 2, 1),
            lapsed_at=_moment(2, 2),
        )
    mission = Client()
    log_in(mission, consular.user("ny_liaison"))
    before = _table(mission.get("/dashboards/deadlines/").content.decode())
    assert before == [["No figures for these filters."]]
    _routed_to_new_york(consular)
    html = mission.get("/dashboards/deadlines/").content.decode()
    rows = [r for r in _table(html) if r[1] == "reply"]
    assert [r[3] for r in rows] == ["1"]  # one late reply: the routed case's
    assert consular.case.reference in html
    assert all(case.reference not in html for case in others)
    # The ministry, party to the whole agreement, counts all four.
    ministry = Client()
    log_in(ministry, consular.user("me_caseworker"))
    rows = [
        r
        for r in _table(ministry.get("/dashboards/deadlines/").content.decode())
        if r[0] == consular.agreement.reference and r[1] == "reply"
    ]
    assert [r[3] for r in rows] == ["4"]
