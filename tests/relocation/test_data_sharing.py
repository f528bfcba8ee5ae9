"""The data-sharing policy (issue #8, findings 2, 3 and the ``categories`` setting): what the
agreement does not share never reaches the other party, on the case page, the list page, the
API or a refusal message; the party that recorded the person always reads all of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape
from pydantic import ValidationError

from readmit.agreements.sharing import NOT_SHARED
from readmit.agreements.terms import AgreementTerms
from readmit.agreements.vocabularies import category_label
from readmit.cases.models import Case
from readmit.core.errors import TransitionRefused
from readmit.relocation.models import CriteriaEvaluation
from tests.exchange.conftest import Api
from tests.factories import log_in, make_case
from tests.relocation.conftest import KOSOVO_TERMS, act, kosovo, person, submit

OFFENCE = "armed robbery"
# An ICCS section the criterion counts (the terms read "violence" as ICCS codes).
CATEGORY = AgreementTerms.model_validate(KOSOVO_TERMS).criteria[0].params["categories"][0]
DATE = "2021-06-15"
CONVICTION = {"offence": OFFENCE, "category": CATEGORY, "date": DATE, "country": "US"}


def page(world: Any, who: str, case: Case) -> str:
    client = Client()
    log_in(client, world.user(who))
    response = client.get(f"/cases/{case.id}/")
    assert response.status_code == 200
    return response.content.decode()


def criteria_api(world: Any, who: str, case: Case) -> str:
    api = Api(Client())
    response = api.get(f"/api/v1/cases/{case.id}/criteria", world.user(who))
    assert response.status_code == 200
    return response.content.decode()


def convicted_case(world: Any, **data_sharing: Any) -> Case:
    agreement = kosovo(world, data_sharing=data_sharing)
    case = submit(world, agreement, [person(convictions=[CONVICTION])]).cases[0]
    assert CriteriaEvaluation.objects.get(case=case).outcome == "fail"
    return case


def assert_no_conviction_detail(text: str) -> None:
    # The bare code ("01") would match any date; the category is shown as "ICCS 01" or by name.
    for detail in (OFFENCE, f"ICCS {CATEGORY}", category_label(CATEGORY), DATE, "2021"):
        assert detail not in text, f"{detail!r} reached the other party"


def test_the_receiving_party_reads_neither_offence_nor_category_nor_date_when_criminal_data_is_not_shared(  # noqa: E501
    world,
):
    case = convicted_case(world, criminal_data_allowed=False)
    html = page(world, "xk_caseworker", case)
    assert_no_conviction_detail(html)
    assert 'id="criminal-not-shared"' in html
    assert "Criminal record: fails (details not shared under this agreement)." in html
    body = criteria_api(world, "xk_caseworker", case)
    assert_no_conviction_detail(body)
    assert NOT_SHARED in body
    assert '"outcome": "fail"' in body or '"outcome":"fail"' in body  # the outcome stays


def test_the_party_that_recorded_the_person_always_reads_its_own_criminal_data(world):
    case = convicted_case(world, criminal_data_allowed=False)
    html = page(world, "us_caseworker", case)
    assert OFFENCE in html and DATE in html
    stored = CriteriaEvaluation.objects.get(case=case).results
    full = next(r["explanation"] for r in stored if r["rule"] == "no_conviction_within_years")
    assert OFFENCE in full and escape(full) in html  # the explanation as evaluated
    assert NOT_SHARED not in criteria_api(world, "us_caseworker", case)
    assert OFFENCE in criteria_api(world, "us_caseworker", case)


def test_criminal_data_reaches_the_other_party_when_the_agreement_shares_it(world):
    case = convicted_case(world, criminal_data_allowed=True)
    assert OFFENCE in page(world, "xk_caseworker", case)
    assert OFFENCE in criteria_api(world, "xk_caseworker", case)


def test_the_list_page_redacts_criminal_explanations_for_the_other_party(world):
    agreement = kosovo(world, data_sharing={"criminal_data_allowed": False})
    result = submit(world, agreement, [person(convictions=[CONVICTION])])
    client = Client()
    log_in(client, world.user("xk_caseworker"))
    html = client.get(f"/lists/{result.proposal_list.id}/").content.decode()
    assert_no_conviction_detail(html)
    assert NOT_SHARED in html


def test_a_refused_selection_does_not_quote_the_unshared_conviction_to_the_deciding_party(world):
    case = convicted_case(world, criminal_data_allowed=False)
    act(case, "recommend", world.user("xk_caseworker"), payload={"recommendation": "select"})
    with pytest.raises(TransitionRefused) as refused:
        act(case, "select", world.user("xk_supervisor"))
    message = str(refused.value) + repr(refused.value.extra)
    assert_no_conviction_detail(message)
    assert "no_conviction_within_years" in message and NOT_SHARED in message


def test_vulnerabilities_are_their_own_category_and_not_hidden_by_the_criminal_data_switch(world):
    agreement = kosovo(world, data_sharing={"criminal_data_allowed": False})
    case = submit(world, agreement, [person(vulnerabilities=["trafficking_victim"])]).cases[0]
    for who in ("us_caseworker", "xk_caseworker"):
        html = page(world, who, case)
        assert "Trafficking victim" in html
        assert 'id="vulnerabilities-not-shared"' not in html


def test_vulnerabilities_not_shared_are_hidden_from_the_other_party_but_never_from_their_owner(
    world,
):
    agreement = kosovo(
        world, data_sharing={"categories": ["identity", "nationality"]}, exclusions={}
    )
    case = submit(world, agreement, [person(vulnerabilities=["trafficking_victim"])]).cases[0]
    assert "Trafficking victim" in page(world, "us_caseworker", case)
    other = page(world, "xk_caseworker", case)
    assert "Trafficking victim" not in other
    assert 'id="vulnerabilities-not-shared"' in other


def test_a_category_the_agreement_does_not_list_never_reaches_the_other_party(world):
    agreement = kosovo(world, data_sharing={"categories": ["identity", "nationality"]})
    case = make_case(agreement, languages=["es", "qu"])
    number = case.person.documents.get().number
    owner = page(world, "us_caseworker", case)
    # Languages are shown by name (readmit.web.i18n.languages), not by code.
    assert number in owner and "Spanish, Quechua" in owner
    other = page(world, "xk_caseworker", case)
    assert number not in other and "Spanish" not in other and "Quechua" not in other


def test_an_unknown_sharing_category_is_refused_naming_the_field_and_the_allowed_values():
    with pytest.raises(ValidationError) as refused:
        AgreementTerms.model_validate({"data_sharing": {"categories": ["identity", "criminal"]}})
    text = str(refused.value)
    assert "data_sharing.categories" in text and "unknown category 'criminal'" in text
    assert "vulnerabilities" in text  # the allowed values are named


def test_earlier_category_names_still_read_medical_needs_as_vulnerabilities():
    terms = AgreementTerms.model_validate(
        {"data_sharing": {"categories": ["identity", "travel", "medical_needs"]}}
    )
    assert terms.data_sharing.categories == ["identity", "vulnerabilities"]


def test_an_exclusion_refusal_does_not_quote_unshared_vulnerabilities_to_the_deciding_party(
    world,
):
    agreement = kosovo(
        world,
        data_sharing={"categories": ["identity", "nationality"]},
        exclusions={"vulnerable": True},
    )
    case = submit(world, agreement, [person(vulnerabilities=["trafficking_victim"])]).cases[0]
    act(case, "recommend", world.user("xk_caseworker"), payload={"recommendation": "select"})
    with pytest.raises(TransitionRefused) as refused:
        act(case, "select", world.user("xk_supervisor"))
    assert refused.value.rule == "exclusion"
    assert "trafficking" not in str(refused.value) and NOT_SHARED in str(refused.value)
