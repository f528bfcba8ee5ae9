"""The system is a named actor: no change without one, and its gates are the ones it lists."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from readmit.accounts.models import ApiToken
from readmit.accounts.services import token_create, token_revoke
from readmit.agreements.models import AgreementVersion
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Person
from readmit.cases.services import PersonInput, person_create
from readmit.cli import main
from readmit.consular.services import district_of, district_set
from readmit.core import clock
from readmit.core.actors import SYSTEM_TASKS, SystemActor
from readmit.core.errors import Forbidden
from tests.consular.conftest import make_mission
from tests.factories import CLI, SYSTEM, make_org

ROOT = Path(__file__).resolve().parents[2] / "readmit"
# Only a visitor's refused login is written before anybody is known (audit ANONYMOUS_EVENTS).
ANONYMOUS_WRITERS = {"accounts/logins.py"}


def test_a_service_called_with_no_actor_at_all_is_refused_and_writes_nothing(world):
    before = Person.objects.count(), AuditEvent.objects.count()
    with pytest.raises(TypeError, match="acting_user"):
        person_create(data=PersonInput(family_name="Ficticia"), owner=world.us)  # type: ignore[call-arg]
    with pytest.raises(Forbidden, match="No actor for PERSON_CREATED"):
        person_create(data=PersonInput(family_name="Ficticia"), owner=world.us, acting_user=None)  # type: ignore[arg-type]
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Forbidden, match="No actor for PERSON_CREATED"):
        person_create(
            data=PersonInput(family_name="Ficticia"),
            owner=world.us,
            acting_user=AnonymousUser(),  # type: ignore[arg-type]
        )
    assert (Person.objects.count(), AuditEvent.objects.count()) == before
    person_create(data=PersonInput(family_name="Ficticia"), owner=world.us, acting_user=SYSTEM)
    assert Person.objects.count() == before[0] + 1


def test_the_system_passes_a_gate_only_for_the_actions_its_task_lists(db):
    ministry = make_org("ME", "Ministry of Foreign Affairs of Montenegro")
    mission = make_mission("t-sys-ny", "Consulate General in New York", ministry)
    with pytest.raises(Forbidden, match=r"'screening run' may not district\.set"):
        district_set(mission=mission, district=["US-NY"], acting_user=SystemActor("screening run"))
    with pytest.raises(Forbidden, match="No actor"):
        district_set(mission=mission, district=["US-NY"], acting_user=None)  # type: ignore[arg-type]
    assert district_of(mission) == []
    assert district_set(mission=mission, district=["US-NY"], acting_user=SYSTEM) == ["US-NY"]


def test_only_the_command_line_revokes_a_token_as_the_system_and_its_row_names_it(world):
    token, _ = token_create(user=world.user("us_caseworker"), name="sync", acting_user=CLI)
    with pytest.raises(Forbidden, match=r"'demo loader' may not token\.revoke"):
        token_revoke(token=token, acting_user=SYSTEM)
    assert ApiToken.objects.get(id=token.id).revoked_at is None
    token_revoke(token=token, acting_user=CLI)
    assert ApiToken.objects.get(id=token.id).revoked_at is not None
    row = AuditEvent.objects.filter(event_type=AuditEventType.API_TOKEN_REVOKED).get()
    assert (row.actor_id, row.actor_username) == (None, "system: command line")


def test_an_unlisted_system_task_cannot_act():
    with pytest.raises(ValueError, match="unknown system task 'cron'"):
        SystemActor("cron")
    assert SystemActor("deadline sweep").get_username() == "system: deadline sweep"
    assert "deadline sweep" in SYSTEM_TASKS


def test_the_daily_sweep_names_its_task_in_the_audit_rows_it_writes(world):
    agreement = world.agreement
    version = AgreementVersion.objects.filter(agreement=agreement).order_by("-number").first()
    assert version is not None
    AgreementVersion.objects.create(
        agreement=agreement,
        number=version.number + 1,
        terms={**agreement.terms, "quota": {"limit": 60, "period": "rolling_year"}},
        valid_from=clock.now(),
        reason="cap raised",
        source="fictional exchange of notes",
    )
    seen = AuditEvent.objects.count()
    assert main(["sweep"]) == 0
    written = list(AuditEvent.objects.filter(seq__gt=seen).values_list("actor_username", flat=True))
    assert written and set(written) == {"system: terms refresh"}


def _none_actors(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword)
        and node.arg == "acting_user"
        and isinstance(node.value, ast.Constant)
        and node.value.value is None
    ]


def test_every_background_path_passes_a_system_actor_not_none():
    found = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in ROOT.rglob("*.py")
        if str(path.relative_to(ROOT)) not in ANONYMOUS_WRITERS
        for line in _none_actors(path)
    }
    assert found == set()
    # The test can fail: the refused-login writers do pass None.
    assert _none_actors(ROOT / "accounts" / "logins.py")
