"""An agreement's settings as validated data (pydantic, no Django).

Every number in an agreement is one of these settings, never a constant in code. The JSON is
stored on the agreement; ``AgreementTerms.model_validate`` is the only way in, so a bad value
is refused with the field named before anything is saved.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuotaPeriod(StrEnum):
    ROLLING_YEAR = "rolling_year"      # 12 months from entry into force, then the next 12 ...
    CALENDAR_YEAR = "calendar_year"
    WHOLE_TERM = "whole_term"          # one quota for the agreement's whole life


class Quota(_Strict):
    limit: int = Field(ge=0, description="Places per period, e.g. 50 people a year.")
    period: QuotaPeriod = QuotaPeriod.ROLLING_YEAR


class TimeLimitTerm(_Strict):
    amount: int = Field(gt=0)
    unit: Literal["calendar_days", "working_days", "months", "hours"]
    start_event: str = Field(default="", max_length=80,
                             description="What starts the clock, e.g. 'application received'.")
    roll_forward: bool = True


class Capacity(_Strict):
    max_present: int | None = Field(default=None, ge=0,
                                    description="People present at once, all sites together.")
    max_per_year: int | None = Field(default=None, ge=0)


class Exclusions(_Strict):
    minors: bool = False
    unaccompanied_minors: bool = True
    pregnant: bool = False
    vulnerable: bool = False
    families_together: bool = True


class Criterion(_Strict):
    """A declarative rule; its ``rule`` names an evaluator, ``params`` configure it."""

    rule: Literal[
        "no_conviction_within_years", "no_watchlist_match", "age_between",
        "nationality_in", "no_pending_criminal_case", "not_excluded_group",
    ]
    params: dict[str, Any] = Field(default_factory=dict)
    label: str = ""


class DataSharing(_Strict):
    categories: list[str] = Field(default_factory=lambda: [
        "identity", "nationality", "documents", "travel", "medical_needs"])
    criminal_data_allowed: bool = False
    onward_sharing_needs_consent: bool = True
    retention_days: int = Field(default=730, gt=0)


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
    sending_state_pays: bool = True

    @model_validator(mode="after")
    def _urgent_notice_not_longer(self) -> AgreementTerms:
        if (self.notice_hours is not None and self.urgent_notice_hours is not None
                and self.urgent_notice_hours > self.notice_hours):
            raise ValueError("urgent_notice_hours cannot exceed notice_hours")
        return self
