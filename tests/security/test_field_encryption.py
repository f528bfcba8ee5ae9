"""Criminal data, vulnerabilities and readmission particulars are encrypted at rest
(envelope encryption, ADR 0012); the keys rotate; a wrong key fails loudly."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Person, VulnerabilityAssessment
from readmit.cli import main
from readmit.core import crypto
from readmit.core.sealed import keyring
from readmit.ops.keys import keys_rotate, keys_status, sealed_fields
from tests.factories import make_case

OFFENCE = "burglary of a fictional bakery"
OLD = "k2025:" + "11" * 32
NEW = "k2026:" + "22" * 32
INDEX = "33" * 32


def _raw(table: str, column: str, pk: object) -> str:
    """The column as the database holds it, bypassing the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk.hex])  # type: ignore[attr-defined]
        row = cursor.fetchone()
        if row is None:  # PostgreSQL stores UUIDs natively
            cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [str(pk)])
            row = cursor.fetchone()
    assert row is not None
    return str(row[0])


def _criminal_case(world):
    return make_case(
        world.agreement,
        by=world.user("us_caseworker"),
        convictions=[{"offence": OFFENCE, "category": "property", "date": "2021-03-04"}],
        pending_criminal_case=True,
        vulnerabilities=["medical"],
    )


def test_the_database_row_holds_no_plaintext_of_criminal_data_or_vulnerabilities(world):
    person = _criminal_case(world).person
    for column in ("convictions", "pending_criminal_case", "vulnerabilities"):
        raw = _raw("cases_person", column, person.id)
        assert raw.startswith("rdm1:"), column
        assert "bakery" not in raw and "medical" not in raw and "true" not in raw
    # ... and the application reads the values back.
    again = Person.objects.get(id=person.id)
    assert again.convictions[0]["offence"] == OFFENCE
    assert again.pending_criminal_case is True
    assert again.vulnerabilities == ["medical"]


def test_a_vulnerability_assessment_and_its_note_are_encrypted(world, login):
    case = make_case(world.agreement, by=world.user("us_caseworker"))
    from readmit.relocation.services import vulnerability_assess

    assessment = vulnerability_assess(
        case=case,
        vulnerabilities=["pregnant"],
        acting_user=world.user("us_caseworker"),
        note="Seen by the fictional clinic on Tuesday",
    )
    for column in ("vulnerabilities", "note"):
        raw = _raw("cases_vulnerabilityassessment", column, assessment.id)
        assert raw.startswith("rdm1:") and "pregnant" not in raw and "clinic" not in raw
    stored = VulnerabilityAssessment.objects.get(id=assessment.id)
    assert stored.vulnerabilities == ["pregnant"] and "clinic" in stored.note


def test_a_value_copied_to_another_row_does_not_decrypt(world):
    a = _criminal_case(world).person
    b = make_case(world.agreement, by=world.user("us_caseworker")).person
    stolen = _raw("cases_person", "convictions", a.id)
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE "cases_person" SET "convictions" = %s WHERE id IN (%s, %s)',
            [stolen, b.id.hex, str(b.id)],
        )
    with pytest.raises(crypto.DecryptionFailed, match="moved from another row"):
        _ = Person.objects.get(id=b.id).convictions


def test_a_wrong_key_fails_loudly_instead_of_reading_empty(world):
    person = _criminal_case(world).person
    wrong = "dev1:" + "44" * 32  # the same key id, other bytes
    with (
        override_settings(READMIT_DATA_KEYS=wrong),
        pytest.raises(crypto.DecryptionFailed, match="does not unwrap"),
    ):
        _ = Person.objects.get(id=person.id).convictions
    # The key that sealed it is no longer listed.
    with (
        override_settings(READMIT_DATA_KEYS=NEW),
        pytest.raises(crypto.DecryptionFailed, match="does not hold"),
    ):
        _ = Person.objects.get(id=person.id).vulnerabilities


def test_a_value_never_read_is_saved_back_unchanged(world):
    person = _criminal_case(world).person
    before = _raw("cases_person", "convictions", person.id)
    again = Person.objects.get(id=person.id)
    again.family_name = "Renamed"
    again.save()
    assert _raw("cases_person", "convictions", person.id) == before


def test_an_encrypted_field_refuses_to_be_filtered_by_value(world):
    _criminal_case(world)
    with pytest.raises(TypeError, match="is encrypted"):
        list(Person.objects.filter(vulnerabilities=["medical"]))


def test_rotation_keeps_every_value_readable_and_changes_the_wrapped_keys(world, settings):
    settings.READMIT_DATA_KEYS = OLD
    settings.READMIT_BLIND_INDEX_KEY = INDEX
    people = [_criminal_case(world).person for _ in range(3)]
    before = {p.id: _raw("cases_person", "convictions", p.id) for p in people}
    assert all(v.startswith("rdm1:k2025:") for v in before.values())

    settings.READMIT_DATA_KEYS = f"{NEW},{OLD}"
    result = keys_rotate(batch_size=2)
    assert result.rewrapped["cases.person.convictions"] == 3
    for p in people:
        after = _raw("cases_person", "convictions", p.id)
        assert after.startswith("rdm1:k2026:")
        # The wrapped data key changed; the encrypted value itself did not.
        assert after.split(":")[2] != before[p.id].split(":")[2]
        assert after.split(":")[3] == before[p.id].split(":")[3]

    settings.READMIT_DATA_KEYS = NEW  # the old key may now go
    for p in people:
        assert Person.objects.get(id=p.id).convictions[0]["offence"] == OFFENCE
    rows = AuditEvent.objects.filter(event_type=AuditEventType.DATA_KEYS_REWRAPPED)
    assert rows.exists()
    assert all(r.data["to"] == "k2026" for r in rows)
    assert sum(r.data["from"].get("k2025", 0) for r in rows) == result.total

    # Idempotent: a second run re-wraps nothing and writes no audit row.
    count = rows.count()
    assert keys_rotate().total == 0
    assert rows.count() == count


def test_keys_status_names_the_keys_in_use_and_fails_for_a_missing_one(world, settings, capsys):
    settings.READMIT_DATA_KEYS = OLD
    settings.READMIT_BLIND_INDEX_KEY = INDEX
    _criminal_case(world)
    settings.READMIT_DATA_KEYS = NEW
    current, fields, missing = keys_status()
    assert current == "k2026" and missing == {"k2025"}
    by_label = {f.label: f.by_key for f in fields}
    assert by_label["cases.person.convictions"] == {"k2025": 1}
    assert main(["keys", "status"]) == 1
    assert "k2025" in capsys.readouterr().err
    settings.READMIT_DATA_KEYS = f"{NEW},{OLD}"
    assert main(["keys", "rotate"]) == 0
    assert main(["keys", "status"]) == 0
    assert "cases.person.convictions: k2026: 1" in capsys.readouterr().out


def test_every_sensitive_column_is_sealed():
    labels = {f"{m._meta.label_lower}.{f.name}" for m, f in sealed_fields()}
    assert {
        "cases.person.convictions",
        "cases.person.pending_criminal_case",
        "cases.person.vulnerabilities",
        "cases.vulnerabilityassessment.vulnerabilities",
        "cases.vulnerabilityassessment.note",
        "cases.readmissionapplication.particulars",
        "cases.identitydocument.number",
    } <= labels


@pytest.mark.parametrize(
    ("data_keys", "index_key", "message"),
    [
        ("", INDEX, "empty"),
        ("k1:abcd", INDEX, "32 bytes"),
        ("k 1:" + "11" * 32, INDEX, "is not 'id:64 hex digits'"),
        (OLD + "," + OLD, INDEX, "listed twice"),
        (OLD, "11" * 32, "must differ"),
    ],
)
def test_malformed_keys_are_refused_naming_the_setting(data_keys, index_key, message, settings):
    settings.READMIT_DATA_KEYS = data_keys
    settings.READMIT_BLIND_INDEX_KEY = index_key
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        keyring()


def _production(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "READMIT_SECRET_KEY": "p" * 40,
        "DATABASE_URL": "postgres://nobody@localhost/none",
        **env,
    }
    for name in ("READMIT_DATA_KEYS", "READMIT_BLIND_INDEX_KEY"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.READMIT_DATA_KEYS)",
        ],
        env=environment,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_data_keys():
    missing = _production(READMIT_BLIND_INDEX_KEY=INDEX)
    assert missing.returncode != 0
    assert "READMIT_DATA_KEYS is empty" in missing.stderr
    no_index = _production(READMIT_DATA_KEYS=NEW)
    assert no_index.returncode != 0 and "READMIT_BLIND_INDEX_KEY" in no_index.stderr
    both = _production(READMIT_DATA_KEYS=NEW, READMIT_BLIND_INDEX_KEY=INDEX)
    assert both.returncode == 0, both.stderr
    assert both.stdout.strip() == NEW


def test_the_sealed_text_names_only_the_key_id():
    keys = crypto.parse_keyring(NEW, INDEX)
    sealed = crypto.seal({"x": dt.date(2020, 1, 1).isoformat()}, context="t.c:1", keyring=keys)
    assert sealed.split(":")[:2] == ["rdm1", "k2026"]
    assert crypto.open_sealed(sealed, context="t.c:1", keyring=keys) == {"x": "2020-01-01"}
    with pytest.raises(crypto.DecryptionFailed):
        crypto.open_sealed(sealed, context="t.c:2", keyring=keys)


def test_a_document_number_is_encrypted_and_its_blind_index_finds_the_same_number(world):
    from readmit.cases.models import IdentityDocument
    from readmit.cases.services import DocumentInput
    from readmit.core.sealed import DocumentNumberIndexField
    from readmit.screening.duplicates import duplicates_find

    us = world.user("us_caseworker")
    a = make_case(world.agreement, by=us, documents=[DocumentInput("passport", "ab 123-456", "VE")])
    b = make_case(
        world.agreement,
        by=us,
        family_name="Otherperson",
        documents=[DocumentInput("passport", "AB123456", "VE")],
    )
    doc = IdentityDocument.objects.get(person=a.person)
    raw = _raw("cases_identitydocument", "number", doc.id)
    assert raw.startswith("rdm1:") and "123" not in raw
    assert doc.number == "ab 123-456"
    # The index is the HMAC of the normalised number: the same for both spellings, found by
    # value without decrypting anything; another number or the bare hash does not match.
    index = DocumentNumberIndexField.index_of("AB-123456")
    found = IdentityDocument.objects.filter(number_index=index)
    assert set(found.values_list("person_id", flat=True)) == {a.person_id, b.person_id}
    assert index != DocumentNumberIndexField.index_of("AB123457")
    assert index != hashlib.sha256(b"AB123456").hexdigest()
    # The duplicate finder groups by it.
    (candidate,) = duplicates_find(acting_user=us, organisation=world.us)
    assert {candidate.person_a_id, candidate.person_b_id} == {a.person_id, b.person_id}
    assert candidate.kind == "certain" and "AB123456" in candidate.evidence


def test_the_blind_index_depends_on_its_own_key(world, settings):
    from readmit.core.sealed import DocumentNumberIndexField

    before = DocumentNumberIndexField.index_of("AB123456")
    settings.READMIT_BLIND_INDEX_KEY = "77" * 32
    assert DocumentNumberIndexField.index_of("AB123456") != before


def test_a_dump_of_the_database_holds_the_sealed_text_and_loads_back(world):
    from django.core import serializers

    person = _criminal_case(world).person
    dumped = serializers.serialize("json", Person.objects.filter(id=person.id))
    fields = json.loads(dumped)[0]["fields"]
    for name in ("convictions", "pending_criminal_case", "vulnerabilities"):
        assert str(fields[name]).startswith("rdm1:"), name
    assert "bakery" not in dumped and "medical" not in dumped
    (loaded,) = serializers.deserialize("json", dumped)
    assert loaded.object.convictions[0]["offence"] == OFFENCE
    assert loaded.object.vulnerabilities == ["medical"]
