"""Lists are written in bulk (one insert per table per batch, audit rows chained in order)
and the result is exactly what writing one case at a time through the single-case services
gives: the same cases, states, people, criteria results and audit events per case; the
audit chain verifies; partners' outbox events are the same."""

from __future__ import annotations

import gc
import json
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from readmit.accounts.models import Membership
from readmit.accounts.services import token_create
from readmit.agreements.models import Agreement
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.audit.services import AuditEntry, audit_record, audit_record_many, audit_verify
from readmit.cases.models import Case, Person
from readmit.cases.services import DocumentInput, PersonInput, case_open, person_create
from readmit.cli import main
from readmit.core import clock
from readmit.core.bulkinsert import heap_frozen, maker
from readmit.events.models import OutboxEvent
from readmit.events.outbox import EVENT_TYPES
from readmit.events.services import subscription_create
from readmit.relocation.imports import list_import_batch_committed
from readmit.relocation.models import (
    CriteriaEvaluation,
    EvaluationTrigger,
    ImportState,
    ListImport,
    ListSource,
    ProposalList,
    ProposalListEntry,
)
from readmit.relocation.services import case_evaluate, list_rows_check
from readmit.search.models import SearchTerm
from tests.audit.test_audit_chain import _tamper
from tests.factories import SYSTEM
from tests.relocation.conftest import kosovo, person, submit


def varied_people() -> list[dict[str, Any]]:
    """Rows that exercise every fact the writers and the criteria read."""
    return [
        person(),
        person(convictions=None, vulnerabilities=None),  # facts not known
        person(
            convictions=[
                {"category": "01", "offence": "assault", "date": "2021-03-01", "country": "US"}
            ]
        ),
        person(pending_cases=True, family_group="FAM-1"),
        person(birth_date="2015-06-01", family_group="FAM-1"),  # a minor: excluded
        person(vulnerabilities=["pregnant"], sex="F"),
        person(nationalities=["VE", "CO"], birth_date="1970"),
        person(
            documents=[
                {"type": "passport", "number": "P1", "issuing_country": "VE"},
                {"type": "id_card", "number": "N1", "issuing_country": "VE"},
            ],
            pending_cases=None,
        ),
        person(nationalities=["XXA"], documents=[], sex="X"),
        person(given_names="Марко Јован", family_name="Петровић-Њего"),  # search keys
        person(given_names="ليلى", family_name="الحسيني"),
    ]


def one_by_one(world: Any, agreement: Agreement, people: list[dict[str, Any]]) -> None:
    """The reference: each row through ``person_create``, ``case_open`` and
    ``case_evaluate``, the services a single case goes through, one at a time."""
    user = world.user("us_caseworker")
    checked = list_rows_check(agreement, people, only_valid_rows=False)
    with transaction.atomic():
        proposal_list = ProposalList.objects.create(
            agreement=agreement,
            reference="ONE-BY-ONE",
            submitted_by=user,
            organisation_id=world.us.id,
            submitted_at=clock.now(),
            row_count=checked.total,
            imported_count=len(checked.valid),
            source=ListSource.API,
            request_digest="reference",
        )
        cases = []
        for row in checked.valid:
            person_ = person_create(
                data=PersonInput(
                    family_name=row.family_name,
                    given_names=row.given_names,
                    birth_year=row.birth_year,
                    birth_month=row.birth_month,
                    birth_day=row.birth_day,
                    sex=row.sex,
                    nationalities=row.nationalities,
                    documents=tuple(
                        DocumentInput(d.type, d.number, d.issuing_country) for d in row.documents
                    ),
                    convictions=tuple(c.as_json() for c in row.convictions or ()),
                    pending_criminal_case=row.pending_criminal_case,
                    vulnerabilities=tuple(row.vulnerabilities or ()),
                ),
                owner=world.us,
                acting_user=user,
            )
            data: dict[str, Any] = {"proposal_list": str(proposal_list.id), "proposal_row": row.row}
            unknown = [
                n
                for n, v in (
                    ("convictions", row.convictions),
                    ("vulnerabilities", row.vulnerabilities),
                )
                if v is None
            ]
            if unknown:
                data["facts_unknown"] = unknown
            case = case_open(
                agreement=agreement,
                person=person_,
                acting_user=user,
                organisation=world.us,
                external_id=row.external_id,
                family_group=row.family_group,
                data=data,
            )
            ProposalListEntry.objects.create(proposal_list=proposal_list, case=case, row=row.row)
            cases.append(case)
        for case in cases:
            case_evaluate(case=case, acting_user=user, trigger=EvaluationTrigger.LIST)


def _audit(**filters: Any) -> list[tuple[str, str, dict[str, Any]]]:
    rows = AuditEvent.objects.filter(**filters).order_by("seq")
    return [(r.type_label, r.actor_username, _without_ids(r.data)) for r in rows]


def _without_ids(data: dict[str, Any]) -> dict[str, Any]:
    """The agreement's reference and the A/B prefix of external ids differ by construction."""
    out = {k: v for k, v in data.items() if k != "reference"}
    if "external_id" in out:
        out["external_id"] = out["external_id"][1:]
    return out


def snapshot(agreement: Agreement) -> dict[int, Any]:
    """Everything the two paths write for each case, keyed by the row's position (ids and
    the agreement's reference prefix left out: they differ by construction)."""
    out: dict[int, Any] = {}
    cases = Case.objects.filter(agreement=agreement).select_related("person", "proposal_entry")
    for case in cases:
        p = case.person
        out[case.proposal_entry.row] = {
            "case": (
                case.kind,
                case.state,
                case.reference.rsplit("-", 1)[1],
                case.family_group,
                case.version,
                case.legal_hold,
                {k: v for k, v in case.data.items() if k != "proposal_list"},
                case.external_id[1:4],
            ),
            "person": (
                p.given_names,
                p.family_name,
                p.birth_year,
                p.birth_month,
                p.birth_day,
                p.sex,
                p.convictions,
                p.pending_criminal_case,
                p.vulnerabilities,
                p.languages,
                p.owner_id,
                sorted(p.nationalities.values_list("code", flat=True)),
                sorted(
                    (d.type, d.number, d.number_index, d.issuing_country_id)
                    for d in p.documents.all()
                ),
                list(p.other_names.values_list("kind", "family_name")),
            ),
            "search_terms": sorted(
                SearchTerm.objects.filter(person=p).values_list(
                    "folded", "skeleton", "consonants", "abjad", "source"
                )
            ),
            "criteria": [
                (e.outcome, e.trigger, e.terms_version, e.results)
                for e in CriteriaEvaluation.objects.filter(case=case).order_by("evaluated_at")
            ],
            "audit": _audit(case_id=case.id),
            "person_audit": _audit(object_type="person", object_id=str(p.id)),
        }
    return out


@pytest.mark.parametrize("how", ["import job", "one request"])
def test_a_list_written_in_bulk_is_identical_to_the_same_list_written_one_case_at_a_time(
    world, settings, how, django_capture_on_commit_callbacks
):
    settings.READMIT_LIST_SYNC_MAX_ROWS = 3 if how == "import job" else 1000
    settings.READMIT_LIST_IMPORT_BATCH = 4
    reference, bulk = kosovo(world), kosovo(world)
    people = varied_people()
    one_by_one(world, reference, [{**p, "external_id": "A" + p["external_id"]} for p in people])

    _, token = token_create(user=world.user("us_caseworker"), name="t", acting_user=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"/api/v1/agreements/{bulk.id}/lists",
            data=json.dumps(
                {
                    "reference": "BULK",
                    "people": [{**p, "external_id": "B" + p["external_id"]} for p in people],
                }
            ),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == (202 if how == "import job" else 201), response.content

    expected, written = snapshot(reference), snapshot(bulk)
    assert len(expected) == len(people)
    assert {r: c["criteria"][0][0] for r, c in expected.items()} != dict.fromkeys(
        expected, "pass"
    ), "the list must exercise refusals as well as passes"
    assert written.keys() == expected.keys()
    for row, parts in expected.items():
        assert parts["search_terms"], "every person is found by the search"
        for part, value in parts.items():
            assert written[row][part] == value, (row, part)
    assert audit_verify()[1] is None


def test_the_audit_chain_verifies_after_a_bulk_import_between_single_writes(
    world, settings, django_capture_on_commit_callbacks, capsys
):
    settings.READMIT_LIST_SYNC_MAX_ROWS = 3
    settings.READMIT_LIST_IMPORT_BATCH = 2
    agreement = kosovo(world)
    with transaction.atomic():
        audit_record(event_type=AuditEventType.PERSON_CREATED, acting_user=SYSTEM)
    submit(world, agreement, [person() for _ in range(2)])
    _, token = token_create(user=world.user("us_caseworker"), name="t", acting_user=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"/api/v1/agreements/{agreement.id}/lists",
            data=json.dumps({"reference": "CHAIN", "people": [person() for _ in range(5)]}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 202
    with transaction.atomic():
        audit_record(event_type=AuditEventType.PERSON_CREATED, acting_user=SYSTEM)
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_CREATED).count() == 7
    assert main(["audit", "verify"]) == 0
    assert "broken" not in capsys.readouterr().out.lower()


def test_rows_written_in_bulk_are_chained_so_altering_one_is_found(world):
    with transaction.atomic():
        events = audit_record_many(
            [
                AuditEntry(event_type=AuditEventType.PERSON_CREATED, object_id=str(n))
                for n in range(5)
            ],
            acting_user=world.user("us_caseworker"),
        )
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert audit_verify()[1] is None
    _tamper("UPDATE audit_auditevent SET object_id = 'forged' WHERE seq = %s", [events[2].seq])
    broken = audit_verify()[1]
    assert broken is not None and broken.seq == events[2].seq


def test_a_bulk_import_writes_the_same_partner_events_as_one_case_at_a_time(
    world, settings, django_capture_on_commit_callbacks
):
    settings.READMIT_LIST_SYNC_MAX_ROWS = 3
    settings.READMIT_LIST_IMPORT_BATCH = 2
    for org, types in (("xk", ["case.created"]), ("us", list(EVENT_TYPES))):
        subscription_create(
            organisation_id=getattr(world, org).id,
            url=f"https://{org}.example/hook",
            event_types=types,
            acting_user=world.user(f"{org}_administrator"),
        )
    reference, bulk = kosovo(world), kosovo(world)
    people = [person() for _ in range(5)]
    one_by_one(world, reference, people)
    _, token = token_create(user=world.user("us_caseworker"), name="t", acting_user=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            f"/api/v1/agreements/{bulk.id}/lists",
            data=json.dumps({"reference": "EV", "people": [person() for _ in range(5)]}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    def events(agreement: Agreement) -> list[tuple[str, str, str | None]]:
        rows = OutboxEvent.objects.filter(agreement_id=agreement.id, case_id__isnull=False)
        return sorted((e.organisation.country_id, e.event_type, e.body["state"]) for e in rows)

    expected = events(reference)
    assert expected.count(("XK", "case.created", "proposed")) == 5
    assert events(bulk) == expected
    for event in OutboxEvent.objects.filter(agreement_id=bulk.id):
        assert event.deliveries.count() == 1
        assert AuditEvent.objects.get(seq=event.audit_seq).case_id == event.case_id


def test_an_import_stops_when_the_sender_loses_the_role_between_batches(
    world, settings, django_capture_on_commit_callbacks
):
    """The gate is checked once per batch, so a caseworker removed mid-import stops it."""
    settings.READMIT_LIST_SYNC_MAX_ROWS = 3
    settings.READMIT_LIST_IMPORT_BATCH = 2
    agreement = kosovo(world)
    caseworker = world.user("us_caseworker")
    _, token = token_create(user=caseworker, name="t", acting_user=SYSTEM)

    def demote(sender: Any, job: ListImport, **kwargs: Any) -> None:
        if job.rows_done == 2:
            Membership.objects.filter(user=caseworker).delete()

    list_import_batch_committed.connect(demote, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(
                f"/api/v1/agreements/{agreement.id}/lists",
                data=json.dumps({"reference": "GATE", "people": [person() for _ in range(6)]}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
    finally:
        list_import_batch_committed.disconnect(demote)
    assert response.status_code == 202, response.content
    job = ListImport.objects.get(id=response.json()["id"])
    assert (job.state, job.rows_done) == (ImportState.FAILED, 2)
    assert Case.objects.filter(agreement=agreement).count() == 2
    assert job.errors and "Internal error" not in job.errors[0]["msg"]


def test_an_import_job_takes_more_people_than_a_list_sent_at_once(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Lists sent at once or uploaded stop at ``lists.MAX_ROWS`` (10,000); an import job
    at ``READMIT_LIST_IMPORT_MAX_ROWS`` (100,000). Both scaled down here."""
    monkeypatch.setattr("readmit.relocation.lists.MAX_ROWS", 4)
    settings.READMIT_LIST_SYNC_MAX_ROWS = 3
    settings.READMIT_LIST_IMPORT_MAX_ROWS = 6
    agreement = kosovo(world)
    _, token = token_create(user=world.user("us_caseworker"), name="t", acting_user=SYSTEM)

    def post(reference: str, count: int) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(
                f"/api/v1/agreements/{agreement.id}/lists",
                data=json.dumps(
                    {"reference": reference, "people": [person() for _ in range(count)]}
                ),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )

    taken = post("SIX", 6)
    assert taken.status_code == 202, taken.content
    assert ListImport.objects.get(id=taken.json()["id"]).state == ImportState.DONE
    assert Case.objects.filter(agreement=agreement).count() == 6

    audit_rows = AuditEvent.objects.count()
    refused = post("SEVEN", 7)
    assert refused.status_code == 422, refused.content
    problem = refused.json()
    assert any(e["loc"][-1] == "people" and "more than 6" in e["msg"] for e in problem["errors"])
    assert not ListImport.objects.filter(reference="SEVEN").exists()
    assert AuditEvent.objects.count() == audit_rows


def test_the_queries_of_an_import_batch_do_not_grow_with_the_number_of_people_in_it(
    world, settings, django_capture_on_commit_callbacks
):
    """Every person of a batch is written by the same few statements (one per table, the
    audit rows in one): a batch of 24 people costs as many queries as a batch of 4."""
    settings.READMIT_LIST_SYNC_MAX_ROWS = 3
    settings.READMIT_LIST_IMPORT_BATCH = 100
    agreement = kosovo(world)
    _, token = token_create(user=world.user("us_caseworker"), name="t", acting_user=SYSTEM)

    def queries_for(reference: str, count: int) -> int:
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = Client().post(
                f"/api/v1/agreements/{agreement.id}/lists",
                data=json.dumps(
                    {"reference": reference, "people": [person() for _ in range(count)]}
                ),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
        assert response.status_code == 202, response.content
        job = ListImport.objects.get(id=response.json()["id"])
        assert (job.state, job.rows_done) == (ImportState.DONE, count)
        return len(queries)

    queries_for("WARM-UP", 4)  # caches filled once per process (terms, countries, keys)
    small, large = queries_for("SMALL", 4), queries_for("LARGE", 24)
    assert Case.objects.filter(agreement=agreement).count() == 4 + 4 + 24
    assert large == small
    assert audit_verify()[1] is None


def test_a_row_built_for_a_bulk_insert_is_the_instance_the_model_itself_builds(world):
    """``bulkinsert.maker`` (the positional path of ``Model.__init__``) gives every field
    the value ``Model(**values)`` gives it (defaults included), caches a related object
    given by name as the field's descriptor does, and refuses a field the model lacks."""
    new_person, new_case = maker(Person), maker(Case)
    agreement = kosovo(world)
    values: dict[str, Any] = {
        "given_names": "Ana",
        "family_name": "Quintero",
        "birth_year": 1988,
        "convictions": [{"category": "01", "offence": "assault"}],
        "owner": world.us,
    }
    made, built = new_person(**values), Person(**values)
    random = {"id", "created_at"}  # uuid4 and now(): drawn afresh for each instance
    for f in Person._meta.concrete_fields:
        if f.attname not in random:
            assert getattr(made, f.attname) == getattr(built, f.attname), f.attname
    assert made.id != built.id and made.created_at is not None
    assert made.owner is world.us  # cached: no query
    case = new_case(agreement=agreement, person=made, reference="R-1", kind=agreement.kind)
    assert (case.person_id, case.agreement_id, case.state) == (
        made.id,
        agreement.id,
        Case(agreement=agreement, person=made).state,
    )
    assert case.person is made and case._state.adding
    with pytest.raises(TypeError, match="no field"):
        new_person(nickname="Ani")


def test_a_bulk_job_keeps_the_garbage_collector_off_the_heap_it_started_with_until_it_ends():
    """``heap_frozen`` (around the import job and the criteria evaluated again): objects
    that exist on entry are frozen until the outermost block ends, nested blocks included,
    and nothing stays frozen afterwards."""
    assert gc.get_freeze_count() == 0
    with heap_frozen():
        assert gc.get_freeze_count() > 0
        with heap_frozen():
            assert gc.get_freeze_count() > 0
        assert gc.get_freeze_count() > 0  # the inner block did not unfreeze
    assert gc.get_freeze_count() == 0
    with pytest.raises(ValueError), heap_frozen():
        raise ValueError("a failing job")
    assert gc.get_freeze_count() == 0
