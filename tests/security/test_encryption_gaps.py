"""Health data encrypted at rest, and the blind-index key rotated (issue #12 item 6, ADR 0012).

Run with the test keys of config/settings/test.py; the rotation tests set their own.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import IdentityDocument
from readmit.cases.services import DocumentInput
from readmit.cli import main
from readmit.core.sealed import DocumentNumberIndexField, keyring
from readmit.ops.keys import blind_index_rotate, keys_rotate, sealed_fields
from readmit.relocation.models import TransferPlan
from tests.factories import make_case
from tests.security.test_field_encryption import INDEX, NEW, OLD, _raw

NEEDS = "Insulin twice a day (fictional)"
NEW_INDEX = "44" * 32


def _plan(world):
    from tests.relocation.conftest import act, kosovo, person, select, submit, transfer_payload

    agreement = kosovo(world)
    case = submit(world, agreement, [person()]).cases[0]
    select(world, case)
    act(
        case,
        "schedule_transfer",
        world.user("us_caseworker"),
        payload=transfer_payload(medical_needs=NEEDS),
    )
    return TransferPlan.objects.get(case=case)


def test_the_transfer_plans_medical_needs_are_encrypted_and_read_back_through_the_api(api, world):
    plan = _plan(world)
    raw = _raw("relocation_transferplan", "medical_needs", plan.id)
    assert raw.startswith("rdm1:") and "Insulin" not in raw and "fictional" not in raw
    # The other columns of the plan stay in clear (the route is shared, not health data).
    assert "Prishtina" in _raw("relocation_transferplan", "route", plan.id)
    body = api.get(f"/api/v1/cases/{plan.case_id}/transfer-plans", world.user("us_caseworker"))
    assert body.status_code == 200
    assert body.json()[0]["medical_needs"] == NEEDS
    # Nor does the audit row of the transition carry it in clear.
    events = AuditEvent.objects.filter(object_id=str(plan.case_id))
    assert events.exists()
    assert all("Insulin" not in str(e.data) for e in events)


def test_every_column_holding_health_data_is_sealed():
    labels = {f"{m._meta.label_lower}.{f.name}" for m, f in sealed_fields()}
    assert {
        "relocation.transferplan.medical_needs",
        "cases.person.vulnerabilities",
        "cases.vulnerabilityassessment.vulnerabilities",
        "cases.vulnerabilityassessment.note",
        # The readmission application's particulars hold its medical and escort needs.
        "cases.readmissionapplication.particulars",
    } <= labels


def test_keys_rotate_rewraps_the_medical_needs_too(world, settings):
    settings.READMIT_DATA_KEYS = OLD
    settings.READMIT_BLIND_INDEX_KEY = INDEX
    plan = _plan(world)
    assert _raw("relocation_transferplan", "medical_needs", plan.id).startswith("rdm1:k2025:")
    settings.READMIT_DATA_KEYS = f"{NEW},{OLD}"
    result = keys_rotate()
    assert result.rewrapped["relocation.transferplan.medical_needs"] == 1
    assert _raw("relocation_transferplan", "medical_needs", plan.id).startswith("rdm1:k2026:")
    settings.READMIT_DATA_KEYS = NEW
    assert TransferPlan.objects.get(id=plan.id).medical_needs == NEEDS


def _documents(world):
    us = world.user("us_caseworker")
    a = make_case(world.agreement, by=us, documents=[DocumentInput("passport", "ab 123-456", "VE")])
    b = make_case(
        world.agreement,
        by=us,
        family_name="Otherperson",
        documents=[DocumentInput("passport", "XY987654", "VE")],
    )
    return (
        IdentityDocument.objects.get(person=a.person),
        IdentityDocument.objects.get(person=b.person),
    )


def _found(number: str) -> set[object]:
    return set(
        IdentityDocument.objects.filter(DocumentNumberIndexField.lookup(number)).values_list(
            "id", flat=True
        )
    )


def test_a_lookup_finds_the_same_document_during_and_after_a_blind_index_key_rotation(
    world, settings
):
    settings.READMIT_DATA_KEYS = OLD
    settings.READMIT_BLIND_INDEX_KEY = INDEX
    a, b = _documents(world)
    old_index = a.number_index
    assert _found("AB123456") == {a.id}

    # The new key alone: the documents indexed under the old one are no longer found ...
    settings.READMIT_BLIND_INDEX_KEY = NEW_INDEX
    assert _found("AB123456") == set()
    # ... so the old key stays listed while the rotation runs, and lookups try both.
    settings.READMIT_BLIND_INDEX_PREVIOUS_KEYS = INDEX
    assert _found("AB123456") == {a.id}
    b.save()  # an edit in the middle of the rotation indexes under the new key
    assert _found("xy 987 654") == {b.id}

    result = blind_index_rotate(batch_size=1)
    assert result.recomputed["cases.identitydocument.number_index"] == 1  # only a was stale
    assert result.already_current == 1
    a.refresh_from_db()
    assert a.number_index not in ("", old_index)
    rows = AuditEvent.objects.filter(event_type=AuditEventType.BLIND_INDEX_RECOMPUTED)
    assert [r.data for r in rows] == [
        {"field": "cases.identitydocument.number_index", "recomputed": 1}
    ]

    # After it, the old key may go: both are found under the new key alone.
    settings.READMIT_BLIND_INDEX_PREVIOUS_KEYS = ""
    assert _found("AB-123456") == {a.id}
    assert _found("XY987654") == {b.id}
    # Idempotent: a second run recomputes nothing and writes no audit row.
    again = blind_index_rotate()
    assert again.total == 0 and again.already_current == 2
    assert rows.count() == 1


def test_an_interrupted_blind_index_rotation_is_finished_by_running_it_again(world, settings):
    settings.READMIT_DATA_KEYS = OLD
    settings.READMIT_BLIND_INDEX_KEY = INDEX
    first, second = sorted(_documents(world), key=lambda d: str(d.pk))
    # The second number is re-sealed under a data key the rotation will not have.
    settings.READMIT_DATA_KEYS = f"{NEW},{OLD}"
    second.number = second.number
    second.save()
    settings.READMIT_DATA_KEYS = OLD
    settings.READMIT_BLIND_INDEX_KEY = NEW_INDEX
    settings.READMIT_BLIND_INDEX_PREVIOUS_KEYS = INDEX
    stale = IdentityDocument.objects.get(pk=second.pk).number_index
    with pytest.raises(Exception, match="k2026"):
        blind_index_rotate(batch_size=1)
    # The first batch stays done, the second untouched; both are still found.
    rows = AuditEvent.objects.filter(event_type=AuditEventType.BLIND_INDEX_RECOMPUTED)
    assert rows.count() == 1
    assert IdentityDocument.objects.get(pk=second.pk).number_index == stale
    assert _found(first.number) == {first.id} and _found(second.number) == {second.id}
    # With the key back, running it again finishes the rest.
    settings.READMIT_DATA_KEYS = f"{NEW},{OLD}"
    result = blind_index_rotate(batch_size=1)
    assert result.total == 1 and result.already_current == 1
    settings.READMIT_BLIND_INDEX_PREVIOUS_KEYS = ""
    assert _found(first.number) == {first.id}
    assert _found(second.number) == {second.id}


def test_the_command_rotates_the_blind_indexes_and_says_how_many(world, settings, capsys):
    settings.READMIT_DATA_KEYS = OLD
    settings.READMIT_BLIND_INDEX_KEY = INDEX
    _documents(world)
    settings.READMIT_BLIND_INDEX_KEY = NEW_INDEX
    settings.READMIT_BLIND_INDEX_PREVIOUS_KEYS = INDEX
    assert main(["keys", "rotate", "--blind-index"]) == 0
    out = capsys.readouterr().out
    assert "cases.identitydocument.number_index: 2 recomputed" in out
    assert main(["keys", "rotate", "--blind-index"]) == 0
    assert "0 blind indexes recomputed" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("previous", "message"),
    [
        ("abcd", "READMIT_BLIND_INDEX_PREVIOUS_KEYS #1: must be 32 bytes"),
        (INDEX, "must differ from READMIT_BLIND_INDEX_KEY"),
        (f"{NEW_INDEX},{NEW_INDEX}", "every other previous key"),
        ("11" * 32, "every data key"),
    ],
)
def test_a_malformed_previous_blind_index_key_is_refused_naming_the_setting(previous, message):
    from django.core.exceptions import ImproperlyConfigured

    with (
        override_settings(
            READMIT_DATA_KEYS=OLD,
            READMIT_BLIND_INDEX_KEY=INDEX,
            READMIT_BLIND_INDEX_PREVIOUS_KEYS=previous,
        ),
        pytest.raises(ImproperlyConfigured, match=message),
    ):
        keyring()


@pytest.mark.parametrize(
    ("categories", "other_party_reads"),
    [(["identity", "nationality"], False), (["identity", "nationality", "vulnerabilities"], True)],
)
def test_the_case_page_shows_the_medical_needs_to_the_other_party_only_where_shared(
    login, world, categories, other_party_reads
):
    import datetime as dt

    from readmit.cases.models import Case
    from readmit.cases.services import case_transition
    from readmit.core import clock
    from tests.factories import make_agreement

    terms = {
        "time_limits": {"transfer": {"amount": 3, "unit": "months"}},
        "data_sharing": {"categories": categories},
    }
    agreement = make_agreement(world.us, world.me, kind="readmission", terms=terms)
    case = make_case(agreement, nationality="ME")
    case_transition(case_id=case.id, action="accept", acting_user=world.user("me_supervisor"))
    client = login("us_caseworker")
    planned = (clock.now() + dt.timedelta(days=3)).astimezone(dt.UTC)
    sent = client.post(
        f"/cases/{case.id}/transitions/",
        {
            "action": "schedule_transfer",
            "version": Case.objects.get(id=case.id).version,
            "payload-planned_for": planned.strftime("%Y-%m-%dT%H:%M"),
            "payload-flight": "JU 501",
            "payload-notice_language": "sr",
            "payload-medical_needs": NEEDS,
        },
    )
    assert sent.status_code in (200, 302)
    plan = TransferPlan.objects.get(case=case)
    assert "Insulin" not in _raw("relocation_transferplan", "medical_needs", plan.id)

    def shown(user: str) -> str:
        page = login(user).get(f"/cases/{case.id}/").content.decode()
        section = page.split('id="transfer-plan"', 1)[1].split("</dl>", 1)[0]
        return section.split("<dt>Medical needs</dt><dd>", 1)[1].split("</dd>", 1)[0]

    assert shown("us_caseworker") == NEEDS
    if other_party_reads:
        assert shown("me_caseworker") == NEEDS
    else:
        assert NEEDS not in shown("me_caseworker")
        assert "Not shared under this agreement." in shown("me_caseworker")
