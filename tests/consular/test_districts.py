from __future__ import annotations

import pytest

from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.consular.districts import district_check, region_check
from readmit.consular.models import DistrictArea
from readmit.consular.services import district_of, district_set
from readmit.core.errors import Forbidden, ValidationFailed
from tests.consular.conftest import make_mission
from tests.factories import SYSTEM, make_org, make_user


def test_a_district_is_a_list_of_known_iso_3166_2_codes_upper_cased():
    assert district_check(["us-ny", " US-NJ "]) == ["US-NY", "US-NJ"]
    assert region_check("us-dc", field="residence_region") == "US-DC"


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (["US-XX"], "unknown subdivision 'US-XX'"),
        (["FR-75"], "unknown country in 'FR-75'"),
        (["US-NY", "US-NY"], "'US-NY' is listed twice"),
        (["New York"], "unknown country in 'NEW YORK'"),
    ],
)
def test_a_bad_code_is_refused_naming_its_position(codes, message):
    with pytest.raises(ValidationFailed) as refused:
        district_check(codes)
    assert (["district", len(codes) - 1], message) in [
        (e["loc"], e["msg"]) for e in refused.value.errors
    ]


def test_an_empty_district_is_refused():
    with pytest.raises(ValidationFailed, match="at least one"):
        district_check([])


def test_a_subdivision_belongs_to_one_district_per_ministry_and_nothing_is_written(consular):
    before = district_of(consular.dc)
    with pytest.raises(ValidationFailed, match="US-NY is in the district of Consulate General"):
        district_set(mission=consular.dc, district=["US-DC", "US-NY"], acting_user=SYSTEM)
    assert district_of(consular.dc) == before


def test_another_ministry_may_cover_the_same_subdivision(consular):
    other_ministry = make_org("RS", "Ministry of Foreign Affairs of Serbia")
    mission = make_mission("t-rs-ny", "Consulate General of Serbia in New York", other_ministry)
    assert district_set(mission=mission, district=["US-NY"], acting_user=SYSTEM) == ["US-NY"]
    assert DistrictArea.objects.filter(region="US-NY").count() == 2


def test_only_a_mission_with_a_ministry_has_a_district(consular):
    with pytest.raises(ValidationFailed, match="not a mission"):
        district_set(mission=consular.mfa, district=["US-TX"], acting_user=SYSTEM)


def test_only_an_administrator_of_the_ministry_sets_a_district_and_it_is_audited(consular):
    with pytest.raises(Forbidden):
        district_set(
            mission=consular.ny, district=["US-NY"], acting_user=consular.user("mfa_caseworker")
        )
    assert "US-CT" in district_of(consular.ny)
    codes = district_set(
        mission=consular.ny,
        district=["US-NY", "US-PA"],
        acting_user=consular.user("mfa_administrator"),
    )
    assert district_of(consular.ny) == sorted(codes)
    event = AuditEvent.objects.filter(event_type=AuditEventType.CONSULAR_DISTRICT_SET).last()
    assert event is not None and event.data["district"] == ["US-NY", "US-PA"]
    outsider_admin = make_user(consular.world.xk, Role.ADMINISTRATOR)
    with pytest.raises(Forbidden):
        district_set(mission=consular.ny, district=["US-NY"], acting_user=outsider_admin)
