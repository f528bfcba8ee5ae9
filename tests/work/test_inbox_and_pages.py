"""The inbox, the bell, the notifications page, the preferences on the profile page and
assigning from the case page and the case list: through the real pages, the gates first."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from readmit.cases.models import Deadline
from readmit.cases.services import case_transition
from readmit.core import clock
from readmit.work.models import Assignment, Channel, Notification, NotificationPreference
from readmit.work.services import assignment_set
from tests.factories import log_in, make_case


def _client(world, key: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    log_in(client, world.user(key))
    return client


def test_the_inbox_shows_decisions_waiting_oldest_first_each_linking_to_the_case(world):
    older = make_case(world.agreement, family_name="Oldercase")
    newer = make_case(world.agreement, family_name="Newercase")
    page = _client(world, "xk_caseworker").get("/inbox/")
    assert page.status_code == 200
    html = page.content.decode()
    section = html.split('id="decisions"', 1)[1].split("</section>", 1)[0]
    assert f"/cases/{older.id}/" in section and f"/cases/{newer.id}/" in section
    assert section.index(older.reference) < section.index(newer.reference)


def test_a_decision_owned_by_a_colleague_is_in_their_inbox_not_mine(world):
    case = make_case(world.agreement)
    assignment_set(
        acting_user=world.user("xk_supervisor"),
        case_ids=[case.id],
        owner_id=world.user("xk_supervisor").pk,
    )
    mine = _client(world, "xk_caseworker").get("/inbox/").content.decode()
    assert case.reference not in mine.split('id="decisions"', 1)[1].split("</section>", 1)[0]
    theirs = _client(world, "xk_supervisor").get("/inbox/").content.decode()
    assert case.reference in theirs.split('id="my-cases"', 1)[1].split("</section>", 1)[0]


def test_replies_due_from_us_and_from_the_partner_are_separate_sections(world):
    case = make_case(world.agreement)
    Deadline.objects.create(
        case=case, kind="reply", label="Reply to the application", due_on=clock.today()
    )
    host = _client(world, "xk_caseworker").get("/inbox/").content.decode()
    sender = _client(world, "us_caseworker").get("/inbox/").content.decode()

    def section(html: str, key: str) -> str:
        return html.split(f'id="{key}"', 1)[1].split("</section>", 1)[0]

    assert case.reference in section(host, "replies-from-us")
    assert case.reference not in section(host, "replies-from-partner")
    assert case.reference in section(sender, "replies-from-partner")
    assert case.reference not in section(sender, "replies-from-us")


def test_the_overview_no_longer_says_nothing_is_due_while_work_waits(world):
    client = _client(world, "xk_caseworker")
    assert "your inbox is empty" in client.get("/").content.decode()
    make_case(world.agreement)
    home = client.get("/").content.decode()
    assert "1 item waits in your inbox" in home and "your inbox is empty" not in home


def test_the_inbox_reads_a_fixed_number_of_queries_however_many_cases(world):
    client = _client(world, "xk_caseworker")
    counts = []
    for size in (2, 8):
        for n in range(size):
            case = make_case(world.agreement, family_name=f"Countperson{size}x{n}")
            Deadline.objects.create(case=case, kind="reply", label="Reply", due_on=clock.today())
            assignment_set(
                acting_user=world.user("xk_caseworker"),
                case_ids=[case.id],
                owner_id=world.user("xk_caseworker").pk,
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/inbox/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_bell_counts_only_my_unread_notifications_and_marking_read_clears_it(world):
    case = make_case(world.agreement)
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    client = _client(world, "us_caseworker")
    assert "1 unread notification" in client.get("/notifications/bell/").content.decode()
    assert (
        "No unread" in _client(world, "me_caseworker").get("/notifications/bell/").content.decode()
    )
    page = client.get("/notifications/").content.decode()
    assert f"/cases/{case.id}/" in page
    client.post("/notifications/read/")
    assert "No unread" in client.get("/notifications/bell/").content.decode()
    assert Notification.objects.filter(recipient=world.user("us_supervisor"), read_at=None).exists()


def test_each_user_chooses_per_kind_on_the_profile_page(world):
    client = _client(world, "xk_caseworker")
    profile = client.get("/profile/").content.decode()
    assert 'name="partner_action"' in profile and 'name="deadline_due"' in profile
    response = client.post("/notifications/preferences/", {"partner_action": Channel.NONE})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=world.user("xk_caseworker")).channel == "none"
    # E-mail without an address is refused next to the choice, and nothing changes.
    client.post("/notifications/preferences/", {"partner_action": Channel.EMAIL})
    assert NotificationPreference.objects.get(user=world.user("xk_caseworker")).channel == "none"


def test_the_case_page_assigns_and_the_other_party_and_outsiders_cannot(world):
    case = make_case(world.agreement)
    page = _client(world, "xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert "Nobody owns this case on your side yet." in page
    owner = world.user("xk_supervisor")
    data = {"cases": str(case.id), "owner": owner.pk, "next": f"/cases/{case.id}/"}
    assert _client(world, "me_caseworker").post("/cases/assign/", data).status_code == 404
    assert _client(world, "xk_auditor").post("/cases/assign/", data).status_code == 403
    # The other party cannot make our supervisor the owner on its side, nor on ours.
    _client(world, "us_caseworker").post("/cases/assign/", data)
    assert not Assignment.objects.filter(case=case).exists()
    response = _client(world, "xk_caseworker").post("/cases/assign/", data)
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.id}/"
    assignment = Assignment.objects.get(case=case)
    assert (assignment.organisation_id, assignment.owner_id) == (world.xk.id, owner.pk)
    shown = _client(world, "xk_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert f"Owned by {owner}" in shown
    us_page = _client(world, "us_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert f"Owned by {owner}" not in us_page


def test_the_case_list_bulk_assigns_the_checked_cases(world):
    cases = [make_case(world.agreement, family_name=f"Listperson{n}") for n in range(3)]
    client = _client(world, "xk_caseworker")
    listing = client.get("/cases/").content.decode()
    assert 'form="assign-form"' in listing and 'id="assign-form"' in listing
    response = client.post(
        "/cases/assign/",
        {"cases": [str(c.id) for c in cases[:2]], "owner": world.user("xk_caseworker").pk},
    )
    assert response.status_code == 302
    owned = set(Assignment.objects.values_list("case_id", flat=True))
    assert owned == {cases[0].id, cases[1].id}


def test_the_list_page_assigns_the_list_on_the_callers_side(world):
    from tests.relocation.conftest import kosovo, person, submit

    agreement = kosovo(world)
    plist = submit(world, agreement, [person()]).proposal_list
    client = _client(world, "xk_caseworker")
    page = client.get(f"/lists/{plist.id}/").content.decode()
    assert "Nobody owns this list on your side yet." in page
    data = {"lists": str(plist.id), "owner": world.user("xk_caseworker").pk}
    assert _client(world, "me_caseworker").post("/cases/assign/", data).status_code == 404
    client.post("/cases/assign/", data)
    (assignment,) = Assignment.objects.filter(proposal_list=plist)
    assert (assignment.organisation_id, assignment.owner_id) == (
        world.xk.id,
        world.user("xk_caseworker").pk,
    )
    assert (
        f"Owned by {world.user('xk_caseworker')}"
        in client.get(f"/lists/{plist.id}/").content.decode()
    )


def test_an_outsider_and_an_administrator_find_none_of_the_cases_in_their_inbox(world):
    case = make_case(world.agreement)
    assert case.reference in _client(world, "xk_caseworker").get("/inbox/").content.decode()
    for key in ("me_caseworker", "xk_administrator"):
        page = _client(world, key).get("/inbox/")
        assert page.status_code == 200
        assert case.reference not in page.content.decode()


def test_a_supervisor_creates_a_team_on_the_profile_page_and_others_cannot(world):
    from readmit.work.models import Team

    data = {"organisation": str(world.xk.id), "name": "Decisions"}
    assert "New team" not in _client(world, "xk_caseworker").get("/profile/").content.decode()
    assert _client(world, "xk_caseworker").post("/teams/", data).status_code == 403
    assert _client(world, "us_supervisor").post("/teams/", data).status_code == 404
    assert not Team.objects.exists()
    supervisor = _client(world, "xk_supervisor")
    assert "New team" in supervisor.get("/profile/").content.decode()
    assert supervisor.post("/teams/", data).status_code == 302
    team = Team.objects.get()
    assert (team.organisation_id, team.name) == (world.xk.id, "Decisions")
    # Refused naming the problem, nothing written: the same name again.
    supervisor.post("/teams/", data)
    assert Team.objects.count() == 1


def test_the_inbox_reads_at_most_a_section_of_replies_due_and_counts_the_rest(world, monkeypatch):
    """Each reply section holds the soonest ``SECTION_LIMIT`` deadlines and the number of all
    of them: the inbox's size does not grow with the cases."""
    from readmit.work import selectors
    from readmit.work.selectors import inbox

    monkeypatch.setattr(selectors, "SECTION_LIMIT", 2)
    cases = [make_case(world.agreement, family_name=f"Replycase{n}") for n in range(3)]
    for n, case in enumerate(cases):
        Deadline.objects.create(
            case=case,
            kind="reply",
            label="Reply to the application",
            due_on=clock.today() + dt.timedelta(days=n),
        )
    host = inbox(world.user("xk_caseworker")).sections
    assert [i.deadline.case_id for i in host["replies_from_us"].items] == [
        cases[0].id,
        cases[1].id,
    ]
    assert host["replies_from_us"].total == 3 and host["replies_from_partner"].total == 0
    sender = inbox(world.user("us_caseworker")).sections
    assert sender["replies_from_partner"].total == 3 and sender["replies_from_us"].total == 0
    assert len(sender["replies_from_partner"].items) == 2


def test_the_overview_lists_the_soonest_deadlines_due_and_says_how_many_there_are(
    world, monkeypatch
):
    from readmit.web import views

    monkeypatch.setattr(views, "DUE_SHOWN", 2)
    for n in range(3):
        case = make_case(world.agreement, family_name=f"Duecase{n}")
        Deadline.objects.create(
            case=case, kind="reply", label="Reply", due_on=clock.today() + dt.timedelta(days=n)
        )
    page = _client(world, "xk_caseworker").get("/").content.decode()
    assert "Duecase0" in page and "Duecase1" in page and "Duecase2" not in page
    assert "The 2 soonest of 3 open deadlines are shown" in page
