"""Evidence of nationality is weighed by the agreement's annexes (pure, no Django)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readmit.cases.evidence import (
    DEFAULT_CLASSES,
    Effect,
    EvidenceClass,
    EvidenceItem,
    EvidenceKind,
    EvidenceRules,
    weigh_evidence,
)
from readmit.deadlines import TimeLimit, Unit, WorkingCalendar, working_days_between

K = EvidenceKind
ME_US = WorkingCalendar(["ME", "US"])
REQUESTED = date(2024, 7, 3)  # a Wednesday; 4 July (US) and 13-15 July (ME) follow
SEVEN_WORKING_DAYS = TimeLimit(7, Unit.WORKING_DAYS)
MONTENEGRO = EvidenceRules(interview=SEVEN_WORKING_DAYS)
NO_INTERVIEW = EvidenceRules()
PAKISTAN = EvidenceRules.parse(
    {"classes": {"citizenship_certificate": "proof"}, "prima_facie": "verification"}
)

# Annex 1 of the EU readmission agreements: passports of any kind and identity cards
# (EU--Serbia), citizenship certificates (EU--Pakistan).
ANNEX_1 = {K.VALID_PASSPORT, K.EXPIRED_PASSPORT, K.IDENTITY_CARD, K.CITIZENSHIP_CERTIFICATE}


def weigh(items: list[EvidenceItem], rules: EvidenceRules = MONTENEGRO):
    return weigh_evidence(items, rules, requested_on=REQUESTED, calendar=ME_US)


def test_annex_1_documents_are_proof_and_everything_else_prima_facie_by_default() -> None:
    for kind in EvidenceKind:
        expected = EvidenceClass.PROOF if kind in ANNEX_1 else EvidenceClass.PRIMA_FACIE
        assert DEFAULT_CLASSES[kind] is expected, kind
        assert NO_INTERVIEW.class_of(kind) is expected


def test_a_valid_passport_establishes_nationality_and_obliges_acceptance() -> None:
    passport = EvidenceItem(K.VALID_PASSPORT, "ME1234567")
    result = weigh([EvidenceItem(K.OWN_STATEMENT), passport])
    assert result.effect is Effect.NATIONALITY_ESTABLISHED
    assert result.obliges_acceptance
    assert result.deciding == passport
    assert "valid passport ME1234567" in result.explanation
    assert "unless the requested state rebuts it with reasons" in result.explanation


def test_an_expired_passport_is_still_proof() -> None:
    result = weigh([EvidenceItem(K.EXPIRED_PASSPORT, "P0001")])
    assert result.effect is Effect.NATIONALITY_ESTABLISHED


def test_prima_facie_evidence_alone_gives_a_presumption_opening_an_interview_or_verification():
    licence = EvidenceItem(K.DRIVING_LICENCE, "DL-77")
    result = weigh([EvidenceItem(K.LANGUAGE, "Montenegrin"), licence])
    assert result.effect is Effect.PRESUMED
    assert not result.obliges_acceptance
    assert result.opens_interview_or_verification
    assert result.deciding == licence  # a document before the language spoken
    assert result.explanation.startswith("Nationality is presumed from the driving licence DL-77")


def test_a_document_flagged_false_counts_for_nothing_and_is_named() -> None:
    fake = EvidenceItem(K.VALID_PASSPORT, "ME0000001", false_document=True)
    result = weigh([fake, EvidenceItem(K.BIRTH_CERTIFICATE, "Cetinje 1990")])
    assert result.effect is Effect.PRESUMED
    assert result.disregarded == (fake,)
    assert fake not in [item for item, _ in result.counted]
    assert "valid passport ME0000001 is flagged as false and counts for nothing" in (
        result.explanation
    )


def test_without_evidence_an_interview_is_due_within_the_agreements_limit() -> None:
    result = weigh([EvidenceItem(K.IDENTITY_CARD, "ID9", false_document=True)])
    assert result.effect is Effect.INTERVIEW_DUE
    assert result.deciding is None
    assert result.interview_due is not None
    assert working_days_between(REQUESTED, result.interview_due, ME_US) == 7
    # 4 July (US Independence Day) and 13-15 July (ME Statehood Day) are skipped.
    assert result.interview_due == date(2024, 7, 16)
    assert "an interview is due by Tuesday 16 July 2024 (7 working days" in result.explanation


def test_without_evidence_or_an_interview_the_evidence_is_insufficient() -> None:
    result = weigh([], NO_INTERVIEW)
    assert result.effect is Effect.INSUFFICIENT
    assert result.interview_due is None
    assert "the evidence is insufficient" in result.explanation


def test_under_the_pakistan_annexes_prima_facie_evidence_only_opens_a_verification() -> None:
    result = weigh([EvidenceItem(K.BIRTH_CERTIFICATE, "B-1")], PAKISTAN)
    assert result.effect is Effect.VERIFICATION
    assert "only opens a verification" in result.explanation
    assert weigh([EvidenceItem(K.CITIZENSHIP_CERTIFICATE)], PAKISTAN).obliges_acceptance


def test_an_agreement_can_raise_or_drop_the_class_of_a_kind() -> None:
    rules = EvidenceRules.parse(
        {
            "classes": {"birth_certificate": "proof", "language": "none"},
            "interview": {"amount": 7, "unit": "working_days"},
        }
    )
    assert weigh([EvidenceItem(K.BIRTH_CERTIFICATE)], rules).effect is (
        Effect.NATIONALITY_ESTABLISHED
    )
    dropped = weigh([EvidenceItem(K.LANGUAGE, "Albanian")], rules)
    assert dropped.effect is Effect.INTERVIEW_DUE
    assert dropped.counted == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"annexes": {}}, "unknown evidence rule key"),
        ({"classes": {"horoscope": "proof"}}, "unknown evidence kind 'horoscope'"),
        ({"classes": {"language": "strong"}}, "class of language must be proof"),
        ({"prima_facie": "maybe"}, "'prima_facie' must be"),
        ({"interview": {"amount": 7}}, "missing the key 'unit'"),
        ({"interview": {"amount": 24, "unit": "hours"}}, "not hours"),
    ],
)
def test_malformed_evidence_rules_are_refused_naming_the_part(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        EvidenceRules.parse(data)


def test_an_unknown_kind_of_item_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown evidence kind"):
        EvidenceItem("tattoo")  # type: ignore[arg-type]


# --- properties --------------------------------------------------------------------------

items = st.lists(
    st.builds(
        EvidenceItem,
        kind=st.sampled_from(EvidenceKind),
        reference=st.sampled_from(["", "A1", "B2"]),
        false_document=st.booleans(),
    ),
    max_size=6,
)


@given(items, st.randoms())
def test_the_order_in_which_evidence_is_listed_does_not_change_the_effect(
    evidence: list[EvidenceItem], random: object
) -> None:
    shuffled = list(evidence)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    first, second = weigh(evidence), weigh(shuffled)
    assert first.effect is second.effect
    assert (first.deciding.kind if first.deciding else None) == (
        second.deciding.kind if second.deciding else None
    )


@given(items)
def test_proof_decides_whenever_an_unflagged_annex_1_item_is_present(
    evidence: list[EvidenceItem],
) -> None:
    result = weigh(evidence)
    has_proof = any(i.kind in ANNEX_1 and not i.false_document for i in evidence)
    assert result.obliges_acceptance is has_proof
    if has_proof:
        assert result.deciding is not None and result.deciding.kind in ANNEX_1


@given(items, st.sampled_from(EvidenceKind))
def test_adding_a_false_document_never_changes_the_outcome(
    evidence: list[EvidenceItem], kind: EvidenceKind
) -> None:
    before = weigh(evidence)
    after = weigh([*evidence, EvidenceItem(kind, "X", false_document=True)])
    assert (after.effect, after.deciding, after.interview_due) == (
        before.effect,
        before.deciding,
        before.interview_due,
    )


@given(items)
def test_the_explanation_is_one_sentence_naming_the_deciding_item(
    evidence: list[EvidenceItem],
) -> None:
    result = weigh(evidence)
    assert result.explanation.endswith(".")
    assert ". " not in result.explanation
    if result.deciding is not None:
        assert result.deciding.describe().lower() in result.explanation.lower()
