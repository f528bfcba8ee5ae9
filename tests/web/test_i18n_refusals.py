"""Refusals, criteria explanations and choice labels in the reader's language (issue #14;
docs/adr/0027-translated-refusals.md): the services and the pure cores raise an English
message id with its values apart, pages translate it, the API keeps the English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from readmit.accounts.services import user_set_language
from readmit.agreements.criteria import Conviction, Outcome, PersonFacts, evaluate
from readmit.agreements.sharing import SharingPolicy
from readmit.agreements.terms import Criterion, Exclusions
from readmit.cases.models import Case
from readmit.cases.services import case_transition
from readmit.core.errors import TransitionRefused
from readmit.web.i18n.sentences import explanation
from tests.exchange.conftest import api  # noqa: F401 (the fixture)
from tests.factories import audit_rows, log_in, make_agreement, make_case
from tests.relocation.conftest import kosovo, person, submit


def _reader(world, key: str, language: str) -> Client:
    user = world.user(key)
    user_set_language(user=user, language=language, acting_user=user)
    client = Client()
    log_in(client, user)
    return client


def _transition(client: Client, case: Case, action: str, reason: str = "") -> str:
    response = client.post(
        f"/cases/{case.id}/transitions/",
        {"action": action, "version": case.version, "reason": reason},
    )
    assert response.status_code in (409, 422), response.status_code
    return response.content.decode()


# A service's rule: the quota --------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sq", "Kuota prej 0 për periudhën"),
        ("cnr", "Kvota od 0 za period od"),
        ("cnr-cyrl", "Квота од 0 за период од"),
        ("it", "La quota di 0 per il periodo dal"),
    ],
)
def test_a_quota_refusal_on_the_case_page_is_in_the_readers_language(world, language, expected):
    full = make_agreement(world.us, world.xk, terms={"quota": {"limit": 0}})
    case = make_case(full)
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_supervisor"))
    case.refresh_from_db()
    reader = _reader(world, "xk_supervisor", language)
    before = audit_rows()
    body = _transition(reader, case, "select", "Fits")
    assert expected in body
    assert "is used up" not in body  # not the English sentence as well
    assert audit_rows() == before


def test_the_api_keeps_the_quota_refusal_in_english_whatever_the_language(world, api):  # noqa: F811
    full = make_agreement(world.us, world.xk, terms={"quota": {"limit": 0}})
    case = make_case(full)
    supervisor = world.user("xk_supervisor")
    user_set_language(user=supervisor, language="sq", acting_user=supervisor)
    case_transition(case_id=case.id, action="recommend", acting_user=supervisor)
    refused = api.transition(case, supervisor, {"action": "select"}, HTTP_ACCEPT_LANGUAGE="sq")
    assert refused.status_code == 409
    body = refused.json()
    assert body["type"] == "urn:readmit:problem:quota-exceeded"
    assert body["detail"].startswith("The quota of 0 for ")
    assert "Kuota" not in body["detail"]


# A rule of the cases package: the reply time limit is extended once -------------------------

EXTENDABLE = {
    "time_limits": {
        "reply": {"amount": 12, "unit": "calendar_days", "start_event": "application received"},
        "extension": {"amount": 6, "unit": "calendar_days"},
    }
}


def _readmission(world):
    return make_agreement(world.us, world.me, kind="readmission", terms=EXTENDABLE)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("cnr", "Rok za odgovor je već jednom produžen."), ("sq", "Afati i përgjigjes është zgjatur")],
)
def test_a_second_extension_is_refused_on_the_case_page_in_the_readers_language(
    world, language, expected
):
    case = make_case(_readmission(world), nationality="ME")
    caseworker = world.user("me_caseworker")
    case_transition(case_id=case.id, action="extend", reason="register", acting_user=caseworker)
    case.refresh_from_db()
    reader = _reader(world, "me_caseworker", language)
    before = audit_rows()
    body = _transition(reader, case, "extend", "again")
    assert expected in body
    assert "already extended once" not in body
    assert audit_rows() == before


def test_the_api_keeps_the_extension_refusal_in_english(world, api):  # noqa: F811
    case = make_case(_readmission(world), nationality="ME")
    caseworker = world.user("me_caseworker")
    user_set_language(user=caseworker, language="cnr", acting_user=caseworker)
    case_transition(case_id=case.id, action="extend", reason="register", acting_user=caseworker)
    case.refresh_from_db()
    refused = api.transition(
        case, caseworker, {"action": "extend", "reason": "again"}, HTTP_ACCEPT_LANGUAGE="cnr"
    )
    assert refused.status_code == 409
    body = refused.json()
    assert body["type"] == "urn:readmit:problem:extension-used"
    assert body["detail"] == "The reply time limit was already extended once."


# A pure core's rule: the workflow table -----------------------------------------------------


def test_a_workflow_refusal_names_the_state_and_action_by_their_labels_in_albanian(world):
    case = make_case(world.agreement)
    body = _transition(_reader(world, "xk_supervisor", "sq"), case, "select", "Fits")
    assert "nuk lejon veprimin" in body
    # The state and the action by their labels in Albanian, as the rest of the page names them.
    assert "'Përzgjidh'" in body or "Përzgjidh" in body
    assert "cannot 'select'" not in body


def test_a_reason_the_workflow_needs_is_asked_for_in_montenegrin(world):
    case = make_case(world.agreement)
    reader = _reader(world, "us_caseworker", "cnr")
    before = audit_rows()
    body = _transition(reader, case, "withdraw", "   ")
    assert "potrebno je obrazloženje" in body
    assert "needs a reason" not in body
    assert audit_rows() == before


def test_the_english_message_and_its_parameters_stay_apart_for_the_edge():
    refusal = TransitionRefused("Site '%(site)s' is full.", params={"site": "Gjadër"})
    assert refusal.message == "Site 'Gjadër' is full."
    assert refusal.template == "Site '%(site)s' is full." and refusal.params == {"site": "Gjadër"}
    plain = TransitionRefused("Nothing to fill in: 100%")
    assert plain.message == "Nothing to fill in: 100%" and plain.params == {}


# Criteria explanations ----------------------------------------------------------------------


def test_the_case_page_explains_the_criteria_in_the_readers_language(world):
    agreement = kosovo(world, data_sharing={"criminal_data_allowed": True})
    case = submit(world, agreement, [person(pending_cases=True)]).cases[0]
    page = _reader(world, "xk_caseworker", "sq").get(f"/cases/{case.id}/").content.decode()
    assert "Asnjë çështje penale në proces</strong>: Ka një çështje penale në proces." in page
    assert "A criminal case is pending." not in page
    page = _reader(world, "xk_supervisor", "cnr").get(f"/cases/{case.id}/").content.decode()
    assert "Nema krivičnog postupka u toku</strong>: Vodi se krivični postupak." in page


def _facts(**changes):
    base = {
        "birth_year": 1990,
        "birth_month": 5,
        "birth_day": 17,
        "sex": "F",
        "nationalities": frozenset({"AL"}),
        "convictions": (),
        "pending_criminal_case": False,
        "vulnerabilities": frozenset(),
        "watchlist_status": "no_match",
    }
    return PersonFacts(**{**base, **changes})


def _explained(rule: str, params: dict, facts: PersonFacts, exclusions=None) -> str:
    (result,) = evaluate(
        [Criterion(rule=rule, params=params)],
        facts,
        on=dt.date(2027, 1, 15),
        exclusions=exclusions,
    ).results
    return result.explanation


def test_an_explanation_with_values_is_read_back_and_translated_with_them(db):
    from django.utils import translation

    text = _explained("age_between", {"min": 18, "max": 40}, _facts())
    assert text == "Aged 36 on 2027-01-15, between 18 and 40."
    with translation.override("sq"):
        assert explanation(text) == "36 vjeç më 2027-01-15, ndërmjet 18 dhe 40."
    with translation.override("sr-latn"):
        text = _explained("nationality_in", {"codes": ["XK"]}, _facts())
        assert explanation(text) == "Državljanstvo AL nije među prihvaćenima (XK)."
    with translation.override("it"):
        minors = _explained(
            "not_excluded_group", {}, _facts(birth_year=2015), Exclusions(minors=True)
        )
        assert explanation(minors) == (
            "I minori sono esclusi e la persona è minorenne (11 anni al 2027-01-15)."
        )
    with translation.override("en"):
        assert explanation(text) == text


def test_a_redacted_explanation_is_translated_and_text_nobody_marked_stays_as_written(db):
    from django.utils import translation

    policy = SharingPolicy(categories=frozenset(), criminal_data_allowed=False, is_owner=False)
    redacted = policy.explanation("no_pending_criminal_case", str(Outcome.FAIL), "secret")
    assert redacted == "Criminal record: fails (details not shared under this agreement)."
    with translation.override("cnr"):
        assert explanation(redacted) == (
            "Kaznena evidencija: nije ispunjeno (pojedinosti se po ovom sporazumu ne dijele)."
        )
        assert explanation("Checked by hand on Tuesday.") == "Checked by hand on Tuesday."


_DAY = dt.date(2024, 1, 1)
_EVERY = Exclusions(minors=True, pregnant=True, vulnerable=True, unaccompanied_minors=True)
SCENARIOS = [
    ("age_between", {"min": 18}, {"birth_year": 2009, "birth_month": None, "birth_day": None}),
    ("age_between", {"max": 10}, {}),
    ("age_between", {"min": 18}, {"birth_year": None}),
    ("nationality_in", {"codes": ["AL"]}, {}),
    ("nationality_in", {"codes": ["XK"]}, {"nationalities": frozenset()}),
    ("no_conviction_within_years", {"years": 5}, {"convictions": None}),
    ("no_conviction_within_years", {"years": 5}, {}),
    (
        "no_conviction_within_years",
        {"years": 5},
        {"convictions": (Conviction("theft", "", _DAY, "AL"), Conviction("fraud", "", _DAY, "AL"))},
    ),
    ("no_conviction_within_years", {"years": 5}, {"convictions": (Conviction("x", "", None, ""),)}),
    (
        "no_conviction_within_years",
        {"years": 5, "categories": ["07"]},
        {"convictions": (Conviction("theft", "own words", _DAY, "AL"),)},
    ),
    ("no_watchlist_match", {}, {"watchlist_status": "pending_review"}),
    ("no_watchlist_match", {}, {"watchlist_status": "not_screenable"}),
    ("no_watchlist_match", {}, {"watchlist_status": None}),
    ("no_watchlist_match", {}, {"watchlist_status": "confirmed_match"}),
    ("no_pending_criminal_case", {}, {"pending_criminal_case": None}),
    ("not_excluded_group", {}, {"vulnerabilities": frozenset({"pregnant", "medical"})}),
    ("not_excluded_group", {}, {}),
    (
        "not_excluded_group",
        {},
        {"birth_year": 2009, "birth_month": None, "birth_day": None, "vulnerabilities": None},
    ),
]


@pytest.mark.parametrize(("rule", "params", "facts"), SCENARIOS)
def test_every_kind_of_explanation_the_criteria_engine_writes_is_translated(
    db, rule, params, facts
):
    from django.utils import translation

    text = _explained(rule, params, _facts(**facts), _EVERY)
    with translation.override("sq"):
        albanian = explanation(text)
    assert albanian != text
    # No English fragment is left over (the values read back, a code or an offence, may be).
    for word in ("cannot tell", "excluded", "screening", "within", "conviction for", " is "):
        assert word not in albanian.lower(), albanian


# Choice labels ------------------------------------------------------------------------------


def test_choice_labels_follow_the_language_and_the_api_keeps_the_codes(world, api):  # noqa: F811
    from django.utils import translation

    from readmit.cases.models import DocumentType

    with translation.override("sq"):
        assert str(DocumentType.PASSPORT.label) == "Pasaportë"
    with translation.override("cnr-cyrl"):
        assert str(DocumentType.PASSPORT.label) == "Пасош"
    case = make_case(world.agreement)
    user = world.user("us_caseworker")
    user_set_language(user=user, language="it", acting_user=user)
    body = api.get(f"/api/v1/cases/{case.id}", user, HTTP_ACCEPT_LANGUAGE="it").json()
    assert body["kind"] == "relocation"


# Django's own messages in Montenegrin -------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "required"),
    [("cnr", "Ovo polje se mora popuniti."), ("cnr-cyrl", "Ово поље се мора попунити.")],
)
def test_a_required_field_is_asked_for_in_montenegrin_next_to_the_field(world, code, required):
    from django.urls import reverse

    from readmit.agreements.models import AgreementStatusChange

    client = _reader(world, "us_supervisor", code)
    before = (audit_rows(), AgreementStatusChange.objects.count())
    response = client.post(
        reverse("web:agreement_status", args=[world.agreement.id]),
        {"status": "suspended", "on": "2026-12-01", "source": "", "reason": "Review"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    error = page.split('id="id_source_error"')[1].split("</")[0]
    assert required in error
    assert "This field is required." not in page
    assert (audit_rows(), AgreementStatusChange.objects.count()) == before


def test_the_password_validators_and_date_names_speak_montenegrin_ijekavian(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation
    from django.utils.dates import WEEKDAYS

    with translation.override("cnr"), pytest.raises(ValidationError) as refused:
        validate_password("12345")
    messages = refused.value.messages
    assert "Ova lozinka je među najčešće korišćenim lozinkama." in messages
    assert any(m.startswith("Ova lozinka je prekratka.") for m in messages)
    with translation.override("cnr"):
        assert str(WEEKDAYS[2]) == "srijeda"  # Serbian "sreda", Montenegrin "srijeda"
    with translation.override("cnr-cyrl"):
        assert str(WEEKDAYS[6]) == "недјеља"


def test_no_ekavian_word_of_the_map_is_left_in_what_montenegrin_takes_from_django():
    import re

    from readmit.web.i18n import catalogues
    from readmit.web.i18n.django_messages import MARK
    from readmit.web.i18n.ijekavian import WORDS, to_ijekavian

    assert to_ijekavian("Unesite ispravno Vreme; ponedeljak, sreda.") == (
        "Unesite ispravno Vrijeme; ponedjeljak, srijeda."
    )
    _header, entries = catalogues.read(catalogues.po_path("cnr"))
    taken = [e for e in entries if MARK in e.comments]
    assert len(taken) > 50
    ekavian = re.compile(r"\b(" + "|".join(map(re.escape, WORDS)) + r")\b", re.IGNORECASE)
    left = [s for e in taken for s in e.msgstr if ekavian.search(s)]
    assert left == []


# Screening and administration refusals (issue #14: screening, accounts, web) ----------------


def test_starting_a_screening_without_lists_is_refused_in_albanian_and_the_api_keeps_english(
    world,
    api,  # noqa: F811
):
    # The agreement uses no watchlist yet: the caseworker who starts a screening is told so.
    reader = _reader(world, "xk_caseworker", "sq")
    before = audit_rows()
    refused = reader.post(f"/agreements/{world.agreement.id}/screening/start/", {})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Marrëveshja ende nuk përdor asnjë listë vëzhgimi" in page
    assert "uses no watchlist yet" not in page
    assert audit_rows() == before
    answer = api.client.post(
        f"/api/v1/agreements/{world.agreement.id}/screening-runs",
        data="{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(world.user('xk_caseworker'))}",
        HTTP_ACCEPT_LANGUAGE="sq",
    )
    assert answer.status_code == 409
    body = answer.json()
    assert body["type"] == "urn:readmit:problem:no-watchlists"
    assert body["detail"].startswith("The agreement uses no watchlist yet")
    assert audit_rows() == before


def test_a_screening_start_by_a_wrong_party_or_role_is_refused_in_montenegrin_too(world):
    start = f"/agreements/{world.agreement.id}/screening/start/"
    stranger, auditor = _reader(world, "me_caseworker", "cnr"), _reader(world, "xk_auditor", "cnr")
    before = audit_rows()
    # Montenegro is no party to the US-Kosovo agreement: it does not exist for them.
    assert stranger.post(start, {}).status_code == 404
    # An auditor of a party reads but does not screen.
    refused = auditor.post(start, {})
    assert refused.status_code == 403
    assert "Provjeru može pokrenuti samo službenik za predmete" in refused.content.decode()
    assert audit_rows() == before


def test_a_taken_login_name_is_refused_next_to_the_field_in_montenegrin(world):
    admin = _reader(world, "xk_administrator", "cnr")
    before = audit_rows()
    refused = admin.post(
        f"/organisations/{world.xk.id}/users/invite/",
        {"username": "us_caseworker", "email": "vesna.k@example.org", "role": "caseworker"},
    )
    assert refused.status_code == 422
    page = refused.content.decode()
    assert 'id="id_username_error"' in page and "ovo korisničko ime je zauzeto" in page
    assert "this login name is taken" not in page
    assert audit_rows() == before
