"""Evidence of nationality weighed as an agreement's annexes say, in plain Python (no Django).

The EU readmission agreements sort the evidence of a person's nationality into two annexes
(the sources are listed in docs/domain-sources.md, section 1.3):

* **Annex 1 -- proof.** Passports of any kind (national, diplomatic, service, collective,
  surrogate, children's; valid or expired) and identity cards of any kind, including
  temporary ones; the EU--Pakistan agreement adds citizenship certificates. Proof is
  accepted without further investigation: the requested state must accept the application
  unless it rebuts the evidence with reasons. (EU--Serbia, mirrored by Norway--Serbia,
  Annex 1: udiregelverk.no 2009-11-30v1; EU--Pakistan, Annex 1: eumonitor.eu.)
* **Annex 2 -- prima facie evidence.** Photocopies of Annex 1 documents, driving licences,
  birth certificates, military or service identity cards, seaman's books, statements of
  witnesses, the person's own statements, the language the person speaks (which an official
  test may confirm), fingerprints or other biometrics, and any other document. It gives a
  presumption the requested state may rebut; an interview or a verification is opened.
  Under EU--Pakistan, Annex 2 only *initiates* the process of establishing nationality: a
  verification, not a presumption (:attr:`EvidenceRules.prima_facie_opens_verification`).
* **False documents** never count as evidence (EU--Serbia Art. 9 and Annex 3 wording:
  "it cannot be made by false documents").
* **No evidence** of either class: a (consular) interview is due within the agreement's
  interview limit (e.g. 7 working days) where the agreement provides one; otherwise the
  evidence is insufficient.

Every class is a *default*: an agreement's own annexes override it per kind, including to
``none`` for a kind it does not accept at all. The result names the item that decided and
why, in one sentence a caseworker can read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from readmit.deadlines.calendar import TimeLimit, Unit, WorkingCalendar, due

__all__ = [
    "DEFAULT_CLASSES",
    "Effect",
    "EvidenceClass",
    "EvidenceItem",
    "EvidenceKind",
    "EvidenceRules",
    "Weighing",
    "weigh_evidence",
]


class EvidenceClass(StrEnum):
    PROOF = "proof"
    PRIMA_FACIE = "prima_facie"
    NONE = "none"


class EvidenceKind(StrEnum):
    """Kinds of evidence, strongest first: the first counted kind in this order decides."""

    VALID_PASSPORT = "valid_passport"
    IDENTITY_CARD = "identity_card"
    EXPIRED_PASSPORT = "expired_passport"
    CITIZENSHIP_CERTIFICATE = "citizenship_certificate"
    MILITARY_ID = "military_id"
    SEAMANS_BOOK = "seamans_book"
    BIRTH_CERTIFICATE = "birth_certificate"
    DRIVING_LICENCE = "driving_licence"
    PHOTOCOPY = "photocopy"
    BIOMETRICS = "biometrics"
    WITNESS_STATEMENT = "witness_statement"
    OWN_STATEMENT = "own_statement"
    LANGUAGE = "language"
    OTHER_DOCUMENT = "other_document"


LABELS: Mapping[EvidenceKind, str] = MappingProxyType(
    {
        EvidenceKind.VALID_PASSPORT: "valid passport",
        EvidenceKind.IDENTITY_CARD: "identity card",
        EvidenceKind.EXPIRED_PASSPORT: "expired passport",
        EvidenceKind.CITIZENSHIP_CERTIFICATE: "citizenship certificate",
        EvidenceKind.MILITARY_ID: "military identity card",
        EvidenceKind.SEAMANS_BOOK: "seaman's book",
        EvidenceKind.BIRTH_CERTIFICATE: "birth certificate",
        EvidenceKind.DRIVING_LICENCE: "driving licence",
        EvidenceKind.PHOTOCOPY: "photocopy of a document",
        EvidenceKind.BIOMETRICS: "fingerprint or biometric match",
        EvidenceKind.WITNESS_STATEMENT: "witness statement",
        EvidenceKind.OWN_STATEMENT: "person's own statement",
        EvidenceKind.LANGUAGE: "language spoken",
        EvidenceKind.OTHER_DOCUMENT: "other document",
    }
)

_PROOF = EvidenceClass.PROOF
_PRIMA_FACIE = EvidenceClass.PRIMA_FACIE
# Annex 1 and Annex 2 of the EU readmission agreements (see the module docstring).
DEFAULT_CLASSES: Mapping[EvidenceKind, EvidenceClass] = MappingProxyType(
    {
        EvidenceKind.VALID_PASSPORT: _PROOF,
        EvidenceKind.IDENTITY_CARD: _PROOF,
        EvidenceKind.EXPIRED_PASSPORT: _PROOF,
        EvidenceKind.CITIZENSHIP_CERTIFICATE: _PROOF,
        EvidenceKind.MILITARY_ID: _PRIMA_FACIE,
        EvidenceKind.SEAMANS_BOOK: _PRIMA_FACIE,
        EvidenceKind.BIRTH_CERTIFICATE: _PRIMA_FACIE,
        EvidenceKind.DRIVING_LICENCE: _PRIMA_FACIE,
        EvidenceKind.PHOTOCOPY: _PRIMA_FACIE,
        EvidenceKind.BIOMETRICS: _PRIMA_FACIE,
        EvidenceKind.WITNESS_STATEMENT: _PRIMA_FACIE,
        EvidenceKind.OWN_STATEMENT: _PRIMA_FACIE,
        EvidenceKind.LANGUAGE: _PRIMA_FACIE,
        EvidenceKind.OTHER_DOCUMENT: _PRIMA_FACIE,
    }
)
_KIND_VALUES = frozenset(kind.value for kind in EvidenceKind)
_RANK = {kind: rank for rank, kind in enumerate(EvidenceKind)}


class Effect(StrEnum):
    NATIONALITY_ESTABLISHED = "nationality_established"  # acceptance obliged unless rebutted
    PRESUMED = "presumed"  # rebuttable presumption; interview or verification opened
    VERIFICATION = "verification"  # prima facie only opens a verification (EU--Pakistan)
    INTERVIEW_DUE = "interview_due"  # no evidence; interview within the agreement's limit
    INSUFFICIENT = "insufficient"  # no evidence and no interview provided


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One piece of evidence: its kind, a reference a caseworker recognises, a false flag."""

    kind: EvidenceKind
    reference: str = ""  # e.g. the document number or "statement of 3 May"
    false_document: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _kind(self.kind, "evidence kind"))
        if not isinstance(self.false_document, bool):
            raise ValueError(f"false_document must be true or false, got {self.false_document!r}")

    def describe(self) -> str:
        label = LABELS[self.kind]
        return f"the {label} {self.reference}" if self.reference else f"the {label}"


@dataclass(frozen=True, slots=True)
class EvidenceRules:
    """An agreement's annexes: classes that differ from the default, the interview limit."""

    classes: Mapping[EvidenceKind, EvidenceClass] = field(default_factory=dict)
    prima_facie_opens_verification: bool = False
    interview: TimeLimit | None = None

    def __post_init__(self) -> None:
        overrides = {
            _kind(kind, "evidence kind"): _class(value, f"class of {kind}")
            for kind, value in dict(self.classes).items()
        }
        object.__setattr__(self, "classes", MappingProxyType(overrides))
        if self.interview is not None and self.interview.unit is Unit.HOURS:
            raise ValueError("the interview limit must be in days or months, not hours")

    def class_of(self, kind: EvidenceKind) -> EvidenceClass:
        return self.classes.get(kind, DEFAULT_CLASSES[kind])

    @classmethod
    def parse(cls, data: Mapping[str, object]) -> EvidenceRules:
        """Rules from an agreement's stored terms, e.g.::

            {"classes": {"citizenship_certificate": "proof", "language": "none"},
             "prima_facie": "verification",
             "interview": {"amount": 7, "unit": "working_days"}}

        Unknown keys, kinds and classes raise a ValueError naming them.
        """
        unknown = sorted(set(data) - {"classes", "prima_facie", "interview"})
        if unknown:
            raise ValueError(f"unknown evidence rule key(s): {', '.join(map(repr, unknown))}")
        classes = data.get("classes", {})
        if not isinstance(classes, Mapping):
            raise ValueError("evidence rule key 'classes' must map kinds to classes")
        prima_facie = data.get("prima_facie", "presumption")
        if prima_facie not in ("presumption", "verification"):
            raise ValueError(
                f"evidence rule key 'prima_facie' must be 'presumption' or 'verification', "
                f"got {prima_facie!r}"
            )
        interview = data.get("interview")
        if interview is not None and not isinstance(interview, Mapping):
            raise ValueError("evidence rule key 'interview' must be a time limit")
        return cls(
            classes={
                _kind(k, "evidence kind"): _class(v, f"class of {k}") for k, v in classes.items()
            },
            prima_facie_opens_verification=prima_facie == "verification",
            interview=TimeLimit.parse(interview) if interview is not None else None,
        )


def _kind(value: object, what: str) -> EvidenceKind:
    if isinstance(value, str) and value in _KIND_VALUES:
        return EvidenceKind(value)
    allowed = ", ".join(kind.value for kind in EvidenceKind)
    raise ValueError(f"unknown {what} {value!r}; known kinds are {allowed}")


def _class(value: object, what: str) -> EvidenceClass:
    if isinstance(value, str) and value in {klass.value for klass in EvidenceClass}:
        return EvidenceClass(value)
    raise ValueError(f"{what} must be proof, prima_facie or none, got {value!r}")


@dataclass(frozen=True, slots=True)
class Weighing:
    """The outcome: the effect, the item that decided (if any), and why in one sentence."""

    effect: Effect
    deciding: EvidenceItem | None
    explanation: str
    counted: tuple[tuple[EvidenceItem, EvidenceClass], ...]
    disregarded: tuple[EvidenceItem, ...]  # flagged false: they count for nothing
    interview_due: date | None = None

    @property
    def obliges_acceptance(self) -> bool:
        """Proof obliges the requested state to accept unless it rebuts with reasons."""
        return self.effect is Effect.NATIONALITY_ESTABLISHED

    @property
    def opens_interview_or_verification(self) -> bool:
        return self.effect in (Effect.PRESUMED, Effect.VERIFICATION, Effect.INTERVIEW_DUE)


def weigh_evidence(
    items: Iterable[EvidenceItem],
    rules: EvidenceRules,
    *,
    requested_on: date,
    calendar: WorkingCalendar,
) -> Weighing:
    """Weigh ``items`` under ``rules``; ``requested_on`` starts the interview limit."""
    items = tuple(items)
    disregarded = tuple(item for item in items if item.false_document)
    counted = tuple(
        (item, rules.class_of(item.kind))
        for item in items
        if not item.false_document and rules.class_of(item.kind) is not EvidenceClass.NONE
    )
    false_note = _false_note(disregarded)

    for wanted in (EvidenceClass.PROOF, EvidenceClass.PRIMA_FACIE):
        candidates = [item for item, klass in counted if klass is wanted]
        if not candidates:
            continue
        deciding = min(candidates, key=lambda item: _RANK[item.kind])  # stable: first given
        effect, sentence = _decided(deciding, wanted, rules)
        return Weighing(effect, deciding, sentence + false_note + ".", counted, disregarded)

    reason = "No item proves the person's nationality or gives prima facie evidence of it"
    if rules.interview is None:
        return Weighing(
            Effect.INSUFFICIENT,
            None,
            f"{reason}{false_note}, and the agreement provides no interview: "
            "the evidence is insufficient.",
            counted,
            disregarded,
        )
    due_day = due(requested_on, rules.interview, calendar)
    assert not isinstance(due_day, datetime)  # day units only, see EvidenceRules
    return Weighing(
        Effect.INTERVIEW_DUE,
        None,
        f"{reason}{false_note}: an interview is due by {_day(due_day)} "
        f"({rules.interview} from {requested_on.isoformat()}).",
        counted,
        disregarded,
        interview_due=due_day,
    )


def _decided(
    deciding: EvidenceItem, klass: EvidenceClass, rules: EvidenceRules
) -> tuple[Effect, str]:
    what = deciding.describe()
    if klass is EvidenceClass.PROOF:
        return Effect.NATIONALITY_ESTABLISHED, (
            f"Nationality is established by {what}, proof under the agreement's annexes: "
            "the application must be accepted unless the requested state rebuts it with reasons"
        )
    if rules.prima_facie_opens_verification:
        return Effect.VERIFICATION, (
            f"{_capital(what)} is prima facie evidence, which under this agreement only opens "
            "a verification of nationality"
        )
    return Effect.PRESUMED, (
        f"Nationality is presumed from {what}, prima facie evidence the requested state may "
        "rebut: an interview or a verification is opened"
    )


def _false_note(disregarded: tuple[EvidenceItem, ...]) -> str:
    if not disregarded:
        return ""
    names = ", ".join(item.describe() for item in disregarded)
    verb = "is" if len(disregarded) == 1 else "are"
    return f" ({names} {verb} flagged as false and count{'s' if verb == 'is' else ''} for nothing)"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _day(value: date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"
