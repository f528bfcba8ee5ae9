"""An agreement's settings as validated data (pydantic, no Django).

Every number in an agreement is one of these settings, never a constant in code. The JSON is
stored on the agreement; ``AgreementTerms.model_validate`` is the only way in, so a bad value
is refused with the field named before anything is saved.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from readmit.agreements.sharing import CATEGORIES as SHARING_CATEGORIES
from readmit.agreements.vocabularies import OFFENCE_CATEGORIES, allowed, category_codes


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuotaPeriod(StrEnum):
    ROLLING_YEAR = "rolling_year"  # 12 months from entry into force, then the next 12 ...
    CALENDAR_YEAR = "calendar_year"
    WHOLE_TERM = "whole_term"  # one quota for the agreement's whole life


class Quota(_Strict):
    limit: int = Field(ge=0, description="Places per period, e.g. 50 people a year.")
    period: QuotaPeriod = QuotaPeriod.ROLLING_YEAR


class TimeLimitTerm(_Strict):
    amount: int = Field(gt=0)
    unit: Literal["calendar_days", "working_days", "months", "hours"]
    start_event: str = Field(
        default="", max_length=80, description="What starts the clock, e.g. 'application received'."
    )
    roll_forward: bool = True


class Capacity(_Strict):
    max_present: int | None = Field(
        default=None, ge=0, description="People present at once, all sites together."
    )
    max_per_year: int | None = Field(
        default=None, ge=0, description="Arrivals in reception per calendar year."
    )


class Exclusions(_Strict):
    minors: bool = False
    unaccompanied_minors: bool = True
    pregnant: bool = False
    vulnerable: bool = False
    families_together: bool = True


class NoParams(_Strict):
    """Rules that need no setting: the facts and the agreement's exclusions decide."""


class ConvictionParams(_Strict):
    years: int = Field(gt=0, le=100, description="Look-back window from the decision date.")
    categories: list[str] = Field(
        default_factory=list,
        description="ICCS level-1 offence categories that count, by code (e.g. 01, 02, 03; "
        "see readmit.agreements.vocabularies); empty: all.",
    )
    free_text_categories: bool = Field(
        default=False,
        description="Lists may write a conviction's category in their own words; the rule "
        "then answers unknown for it (never pass). Off: a category outside the vocabulary "
        "is refused at intake.",
    )

    @field_validator("categories")
    @classmethod
    def _categories_from_the_vocabulary(cls, value: list[str]) -> list[str]:
        if any(not c.strip() for c in value):
            raise ValueError("categories cannot contain an empty name")
        codes, unknown = category_codes(value)
        if unknown:
            raise ValueError(
                f"{', '.join(repr(u) for u in unknown)} is not an ICCS offence category "
                f"(one of {allowed(OFFENCE_CATEGORIES)})"
            )
        return codes


class AgeParams(_Strict):
    min: int | None = Field(default=None, ge=0, le=150, description="Youngest age, inclusive.")
    max: int | None = Field(default=None, ge=0, le=150, description="Oldest age, inclusive.")

    @model_validator(mode="after")
    def _a_bound_and_in_order(self) -> AgeParams:
        if self.min is None and self.max is None:
            raise ValueError("age_between needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min cannot exceed max")
        return self


class NationalityParams(_Strict):
    codes: list[str] = Field(min_length=1, description="Accepted nationalities (alpha-2).")

    @model_validator(mode="before")
    @classmethod
    def _accept_countries_alias(cls, data: Any) -> Any:
        if isinstance(data, dict) and "countries" in data and "codes" not in data:
            data = {("codes" if k == "countries" else k): v for k, v in data.items()}
        return data

    @field_validator("codes")
    @classmethod
    def _normalise_codes(cls, value: list[str]) -> list[str]:
        cleaned = [c.strip().upper() for c in value]
        if any(not 2 <= len(c) <= 3 or not c.isalpha() for c in cleaned):
            raise ValueError("codes must be country codes such as VE or XK")
        return cleaned


CriterionRule = Literal[
    "no_conviction_within_years",
    "no_watchlist_match",
    "age_between",
    "nationality_in",
    "no_pending_criminal_case",
    "not_excluded_group",
]

# Each rule's settings, validated when the terms are: a typo in a parameter is refused with
# the field named, before the agreement (or an amendment) is saved.
CRITERION_PARAMS: dict[str, type[_Strict]] = {
    "no_conviction_within_years": ConvictionParams,
    "no_watchlist_match": NoParams,
    "age_between": AgeParams,
    "nationality_in": NationalityParams,
    "no_pending_criminal_case": NoParams,
    "not_excluded_group": NoParams,
}


class Criterion(_Strict):
    """A declarative rule; its ``rule`` names an evaluator, ``params`` configure it."""

    rule: CriterionRule
    params: dict[str, Any] = Field(default_factory=dict)
    label: str = ""

    @field_validator("params")
    @classmethod
    def _params_fit_the_rule(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        rule = info.data.get("rule")
        model = CRITERION_PARAMS.get(rule) if isinstance(rule, str) else None
        if model is None:  # the rule itself was refused; that error names it
            return value
        try:
            parsed = model.model_validate(value)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or rule}: {e['msg']}" for e in exc.errors()
            )
            raise ValueError(f"{rule} parameters are invalid ({problems})") from None
        return parsed.model_dump(exclude_none=True)


# Category names of earlier versions of the terms: ``medical_needs`` was read as the
# vulnerabilities, ``travel`` was never read by anything (transfer plans are case data).
_LEGACY_CATEGORIES = {"medical_needs": "vulnerabilities", "travel": None}


class DataSharing(_Strict):
    """Who reads what; enforced by ``readmit.agreements.sharing`` (see docs/security.md)."""

    categories: list[str] = Field(
        default_factory=lambda: [
            "identity",
            "nationality",
            "documents",
            "languages",
            "vulnerabilities",
            "photo",
        ],
        description="Personal data the other party reads: "
        + ", ".join(SHARING_CATEGORIES)
        + " (identity and nationality always).",
    )
    criminal_data_allowed: bool = Field(
        default=False, description="Convictions and pending criminal cases reach the other party."
    )
    onward_sharing_needs_consent: bool = Field(
        default=True,
        description="Exports leave out the personal data of people the other party recorded.",
    )
    retention_days: int = Field(
        default=730, gt=0, description="Personal data of closed cases is anonymised after this."
    )

    @field_validator("categories", mode="before")
    @classmethod
    def _known_categories(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        names: list[str] = []
        for raw in value:
            name = str(raw).strip().lower()
            if name in _LEGACY_CATEGORIES:
                legacy = _LEGACY_CATEGORIES[name]
                if legacy is None or legacy in names:
                    continue
                name = legacy
            if name in names:
                continue
            if name not in SHARING_CATEGORIES:
                raise ValueError(
                    f"unknown category '{raw}'; allowed: {', '.join(SHARING_CATEGORIES)}"
                )
            names.append(name)
        return names


CostPayer = Literal["sending", "requested"]


class Costs(_Strict):
    """Who pays each leg of a readmission transfer (DESIGN §2: the sending state up to the
    agreed border point); a recorded cost names its payer from here (cases.travel)."""

    transport_to_border: CostPayer = Field(
        default="sending", description="Transport up to the agreed border crossing point."
    )
    onward: CostPayer = Field(
        default="requested", description="Onward transport from the border point."
    )


class AgreementTerms(_Strict):
    quota: Quota | None = None
    capacity: Capacity | None = None
    time_limits: dict[str, TimeLimitTerm] = Field(default_factory=dict)
    max_stay_days: int | None = Field(default=None, gt=0)
    stay_alert_days: int = Field(default=30, ge=0)
    notice_hours: int | None = Field(default=None, ge=0)
    urgent_notice_hours: int | None = Field(default=None, ge=0)
    criteria: list[Criterion] = Field(default_factory=list)
    exclusions: Exclusions = Field(default_factory=Exclusions)
    data_sharing: DataSharing = Field(default_factory=DataSharing)
    silence_means_acceptance: bool = False
    interview_provided: bool = False
    eu_travel_document_needs_consent: bool = Field(
        default=False,
        description="The EU travel document for return (Regulation (EU) 2016/1953) is used "
        "only with the requested state's prior consent, recorded with the document.",
    )
    costs: Costs = Field(default_factory=Costs)
    evidence_classes: dict[str, Literal["proof", "prima_facie", "none"]] = Field(
        default_factory=dict,
        description="The agreement's annexes: the class of each evidence kind that differs "
        "from the default of readmit.cases.evidence (proof, prima_facie or none).",
    )
    prima_facie_evidence: Literal["presumption", "verification"] = Field(
        default="presumption",
        description="What prima facie evidence alone does: 'presumption' (nationality is "
        "presumed, rebuttably) or 'verification' (it only opens a verification of nationality, "
        "as EU-Pakistan: an acceptance must then record the verification's outcome).",
    )
    termination_notice_days: int = Field(
        default=180,
        gt=0,
        le=3650,
        description="Days between one party's notice of termination and the agreement's end.",
    )
    suspension_grounds: list[str] = Field(
        default_factory=list,
        description="Grounds on which a party may suspend the agreement, besides a court order.",
    )

    @field_validator("evidence_classes")
    @classmethod
    def _known_evidence_kinds(cls, value: dict[str, str]) -> dict[str, str]:
        from readmit.cases.evidence import EvidenceKind

        known = [kind.value for kind in EvidenceKind]
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise ValueError(
                f"unknown evidence kind(s) {', '.join(map(repr, unknown))}; known: "
                + ", ".join(known)
            )
        return value

    @field_validator("suspension_grounds")
    @classmethod
    def _named_grounds(cls, value: list[str]) -> list[str]:
        cleaned = [g.strip() for g in value]
        if any(not g or len(g) > 80 for g in cleaned):
            raise ValueError("each ground is a name of 1 to 80 characters")
        return cleaned

    @model_validator(mode="after")
    def _urgent_notice_not_longer(self) -> AgreementTerms:
        if (
            self.notice_hours is not None
            and self.urgent_notice_hours is not None
            and self.urgent_notice_hours > self.notice_hours
        ):
            raise ValueError("urgent_notice_hours cannot exceed notice_hours")
        return self
