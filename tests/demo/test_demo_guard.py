"""The demo refuses production-like settings, prints its logins, and resets only in DEBUG."""

from __future__ import annotations

import pytest
from django.test import override_settings

from readmit.accounts.models import Organisation
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.audit.services import audit_verify
from readmit.cases.models import Case
from readmit.cli import main
from readmit.demo.load import ALLOW_ENV, DemoRefused, demo_load, demo_logins


@override_settings(DEBUG=False)
def test_without_debug_the_demo_refuses_unless_explicitly_allowed(db, monkeypatch, capsys):
    monkeypatch.delenv(ALLOW_ENV, raising=False)
    with pytest.raises(DemoRefused, match=ALLOW_ENV):
        demo_load()
    assert not Organisation.objects.exists()

    monkeypatch.setenv(ALLOW_ENV, "1")
    assert main(["demo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(demo_logins()) + 3  # the table, a blank line, the second factor
    assert lines[0].startswith("USERNAME")
    assert "oathtool --totp -b TOTP_SECRET" in lines[-1]
    assert Case.objects.count() == 120 + 15 + 20


def test_reset_is_refused_without_debug_even_when_allowed(db, monkeypatch):
    monkeypatch.setenv(ALLOW_ENV, "1")
    with override_settings(DEBUG=False), pytest.raises(DemoRefused, match="DEBUG"):
        demo_load(reset=True)
    assert not Organisation.objects.exists()


# Outside a test transaction, as the command runs: PostgreSQL refuses TRUNCATE while deferred
# foreign-key checks of the same transaction are pending. serialized_rollback puts the
# migration-loaded countries back for the tests after this one.
@override_settings(DEBUG=True)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reset_wipes_the_database_and_loads_the_demo_again():
    Organisation.objects.create(name="Not demo", slug="not-demo", country_id="FR")
    with pytest.raises(DemoRefused):
        Organisation.objects.create(name="Clash", slug="us-dhs", country_id="US")
        demo_load()
    demo_load(reset=True)
    assert not Organisation.objects.filter(name__in=["Not demo", "Clash"]).exists()
    assert Case.objects.count() == 155
    assert AuditEvent.objects.filter(event_type=AuditEventType.DEMO_LOADED).count() == 1
    count, broken = audit_verify()
    assert broken is None and count == AuditEvent.objects.count()
