"""The relocation and reception rules, attached to workflow actions as transition hooks.

Each hook runs inside ``case_transition``'s transaction after the table allowed the move and
before the case is saved: it raises ``TransitionRefused`` (with the rule named) or
``ValidationFailed`` (naming the payload field) to refuse, and then nothing is written; or it
records what the action changes and adds it to the transition's audit event.

| rule            | guards                                                   |
|-----------------|----------------------------------------------------------|
| exclusion       | ``select`` (relocation), ``schedule_transfer`` (reception) |
| criteria        | ``select`` (relocation), ``schedule_transfer`` (reception) |
| notice-period   | ``schedule_transfer``                                    |
| family-group    | ``schedule_transfer``                                    |
| family-date     | ``schedule_transfer`` (one date for a family)            |
| capacity        | ``record_arrival`` (site, ``max_present``, ``max_per_year``) |
| return-plan     | ``record_departure``                                     |
| legal-hold      | ``record_departure`` towards removal (``REMOVAL_OUTCOMES``) |

Legal holds (place, lift, who may lift) are ``readmit.relocation.holds``.

The quota hooks (``select`` takes a place, ``withdraw`` / ``decline`` free it) live in
``readmit.cases.rules``; ``record_departure`` with ``transferred_back`` on a court order frees
the place here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from typing import Annotated, Literal

from pydantic import Field

from readmit.agreements.criteria import Outcome, excluded_group_check, excluded_group_reason
from readmit.agreements.models import Agreement, AgreementKind, Site
from readmit.agreements.selectors import terms_in_force
from readmit.cases.deadlines import deadlines_meet
from readmit.cases.models import QuotaAllocation
from readmit.cases.selectors import case_sharing
from readmit.cases.services import TransitionContext, register_transition_hook
from readmit.core.errors import N_, Term, TransitionRefused, ValidationFailed
from readmit.core.payloads import ActionPayload, Choices, Flag, Moment
from readmit.relocation.access import family_date_refusal, family_ready_refusal
from readmit.relocation.models import (
    REMOVAL_OUTCOMES,
    EvaluationTrigger,
    ReceptionStay,
    StayOutcome,
    TransferPlan,
)
from readmit.relocation.selectors import person_facts
from readmit.relocation.services import STAY_END, evaluation_store

# What a court may order at the end of a stay: never blocked by a hold, no return plan needed.
COURT_REMEDIES = frozenset({StayOutcome.TRANSFERRED_BACK, StayOutcome.RELEASED})


def _invalid(field: str, message: str, sentence: str = "") -> ValidationFailed:
    """A payload field refused: ``message`` names what is wrong with it, ``sentence`` is the
    whole marked refusal (``N_("field: message.")``, so that pages translate it whole; without
    it the sentence is built and stays English)."""
    if sentence:
        return ValidationFailed(sentence, errors=[{"loc": ["payload", field], "msg": message}])
    return ValidationFailed(
        N_("%(field)s: %(message)s."),
        params={"field": field, "message": message},
        errors=[{"loc": ["payload", field], "msg": message}],
    )


# What the actions take ------------------------------------------------------------------


class RecommendIn(ActionPayload):
    recommendation: Literal["select", "decline"] | None = Field(
        default=None,
        title="Recommendation",
        description="What the host's caseworker recommends; the supervisor decides.",
    )
    example = {"recommendation": "select"}


class TransferPlanIn(ActionPayload):
    """The transfer plan (relocation and reception; readmission adds to it)."""

    planned_for: Moment = Field(title="Planned for")
    route: str = Field(
        default="",
        max_length=300,
        title="Route",
        description="e.g. flight, via; required unless a crossing point or flight is given",
    )
    escort: str = Field(default="", max_length=300, title="Escort")
    notice_language: str = Field(min_length=1, max_length=35, title="Notice given in language")
    notice_given_at: Moment | None = Field(
        default=None, title="Notice given at", description="Leave empty for now"
    )
    urgent: Flag = Field(default=False, title="Urgent case (shorter notice)")
    crossing_point: str = Field(default="", max_length=200, title="Border crossing point")
    flight: str = Field(
        default="", max_length=80, title="Flight", description="e.g. JFK-TGD via VIE"
    )
    medical_needs: str = Field(default="", max_length=1000, title="Medical needs")
    example = {
        "planned_for": "2027-03-01T09:00:00-05:00",
        "route": "Washington Dulles → Prishtina, charter",
        "escort": "Two officers",
        "notice_language": "es",
        "notice_given_at": "2027-02-20T10:00:00-05:00",
    }

    def problems(self) -> list[tuple[str, str]]:
        if not (self.route or self.crossing_point or self.flight):
            return [("route", "is required, or a crossing point or a flight")]
        return []


class RecordArrivalIn(ActionPayload):
    site: Annotated[uuid.UUID, Choices("sites")] = Field(title="Site")
    arrived_at: Moment | None = Field(
        default=None, title="Arrived at", description="Leave empty for now"
    )
    return_plan: str = Field(
        default="",
        max_length=5000,
        title="Return-to-origin plan",
        description="May be recorded later",
    )
    example = {"site": "0b5f8a0e-3f0c-4a8e-9a57-6a1d2f4c9e10"}


class RecordDepartureIn(ActionPayload):
    outcome: StayOutcome = Field(title="Outcome")
    court_ordered: Flag = Field(
        default=False, title="Transferred back or released on a court order"
    )
    example = {"outcome": "returned_to_origin"}


def _stamp(context: TransitionContext) -> dict[str, str]:
    return {"by": context.acting_user.get_username(), "at": context.at.isoformat()}


# Decisions ---------------------------------------------------------------------------------


def refuse_excluded(context: TransitionContext) -> None:
    """Groups the agreement excludes (minors, pregnant women, vulnerable people) are refused
    with the rule named; so is a person of whom the exclusion cannot tell (vulnerabilities
    not assessed, a birth date too imprecise), with the missing fact named: unknown never
    passes a safeguard."""
    terms, _ = terms_in_force(context.case.agreement, context.at)
    facts = person_facts(context.case)
    outcome, explanation = excluded_group_check(facts, terms.exclusions, context.at.date())
    if outcome == Outcome.FAIL:
        reason = excluded_group_reason(facts, terms.exclusions, context.at.date()) or explanation
        sharing = case_sharing(context.acting_user, context.case)
        if not sharing.shows("vulnerabilities"):  # the refusal is read by the acting party
            reason = sharing.explanation("not_excluded_group", "fail", reason)
        raise TransitionRefused(reason, rule="exclusion")
    if outcome == Outcome.UNKNOWN:
        raise TransitionRefused(
            N_(
                "Cannot tell whether the person is in a group the agreement excludes: "
                "%(explanation)s. Record what is missing first."
            ),
            params={"explanation": explanation},
            rule="exclusion",
        )


def select_requires_criteria(context: TransitionContext) -> None:
    """A selection needs the criteria to pass *now*: they are evaluated again at the decision
    (the terms in force and the person's age are those of this moment), and unknown is not a
    pass. The evaluation is kept with the decision; a refusal keeps nothing."""
    _criteria_must_pass(
        context,
        N_("The criteria do not pass (%(outcome)s), so the person cannot be selected: %(named)s"),
    )
    context.case.data["decision"] = {"decision": "selected", **_stamp(context)}


def _criteria_must_pass(context: TransitionContext, refusal: str) -> None:
    """Refused with ``refusal`` (a marked sentence with ``%(outcome)s`` and ``%(named)s``)
    unless the criteria pass now."""
    stored, evaluation = evaluation_store(
        context.case, at=context.at, trigger=EvaluationTrigger.DECISION
    )
    if not evaluation.eligible:
        # Read by the deciding party: what the agreement does not share with it is redacted.
        sharing = case_sharing(context.acting_user, context.case)
        not_passed = [
            replace(r, explanation=sharing.explanation(r.rule, str(r.outcome), r.explanation))
            for r in evaluation.results
            if r.outcome != "pass"
        ]
        named = "; ".join(f"{r.label} ({r.rule}) {r.outcome}: {r.explanation}" for r in not_passed)
        raise TransitionRefused(
            refusal,
            params={"outcome": Term(evaluation.outcome), "named": named},
            rule="criteria",
            extra={
                "rules": [
                    {"rule": r.rule, "outcome": str(r.outcome), "explanation": r.explanation}
                    for r in not_passed
                ]
            },
        )
    context.audit_data["criteria"] = {
        "evaluation": str(stored.id),
        "outcome": stored.outcome,
        "terms_version": stored.terms_version,
    }


def recommend_record(context: TransitionContext) -> None:
    """The host's caseworker may say what they recommend; the supervisor decides."""
    value = context.payload_as(RecommendIn).recommendation
    if value is None:
        return
    context.case.data["recommendation"] = {
        "recommendation": value,
        "reason": context.reason,
        **_stamp(context),
    }
    context.audit_data["recommendation"] = value


class ReconsiderIn(ActionPayload):
    """Why a decline is taken back (the reason says what happened)."""

    ground: Literal["declined_in_error", "new_facts"] = Field(
        title="Ground",
        description="The decline was made in error, or facts it rested on were corrected.",
    )
    example = {"ground": "declined_in_error"}


def reconsider_record(context: TransitionContext) -> None:
    """A supervisor takes back a decline: the case is proposed again, the decline it undoes
    kept in the audit event."""
    previous = context.case.data.pop("decision", None) or {}
    ground = context.payload_as(ReconsiderIn).ground
    context.case.data["reconsidered"] = {
        "ground": ground,
        "reason": context.reason,
        **_stamp(context),
    }
    context.audit_data["reconsidered"] = {
        "ground": ground,
        "declined_by": previous.get("by", ""),
        "declined_at": previous.get("at", ""),
    }


def decline_record(context: TransitionContext) -> None:
    context.case.data["decision"] = {
        "decision": "declined",
        "reason": context.reason,
        **_stamp(context),
    }


# Transfer ------------------------------------------------------------------------------------


def schedule_transfer(context: TransitionContext) -> None:
    """Plan the transfer: date, route (a border crossing point or a flight may stand for it),
    escort, medical needs, and the notice given to the person in a language they understand,
    at least the agreement's notice period before. Readmission adds its own checks
    (``readmit.cases.travel``)."""
    plan_in = context.payload_as(TransferPlanIn)
    planned_for, crossing_point, flight = (
        plan_in.planned_for,
        plan_in.crossing_point,
        plan_in.flight,
    )
    medical_needs, escort, urgent = plan_in.medical_needs, plan_in.escort, plan_in.urgent
    route = plan_in.route or (f"Flight {flight}" if flight else f"Crossing point {crossing_point}")
    language = plan_in.notice_language
    notice_given_at = plan_in.notice_given_at or context.at
    if notice_given_at > context.at:
        raise _invalid(
            "notice_given_at",
            N_("cannot be in the future"),
            N_("notice_given_at: cannot be in the future."),
        )
    if planned_for <= context.at:
        raise _invalid(
            "planned_for", N_("must be in the future"), N_("planned_for: must be in the future.")
        )
    case = context.case
    terms, _ = terms_in_force(case.agreement, context.at)
    if case.kind == AgreementKind.RECEPTION:  # no selection before: the safeguards apply here
        refuse_excluded(context)
        if terms.criteria:
            _criteria_must_pass(
                context,
                N_(
                    "The criteria do not pass (%(outcome)s), so the person cannot be "
                    "scheduled for transfer: %(named)s"
                ),
            )
    hours = terms.notice_hours
    if urgent and terms.urgent_notice_hours is not None:
        hours = terms.urgent_notice_hours
    if hours is not None:
        given = planned_for - notice_given_at
        if given < dt.timedelta(hours=hours):
            raise TransitionRefused(
                N_(
                    "The person must be given %(hours)s hours' notice (urgent case); notice "
                    "given %(given_at)s for %(planned_for)s is only %(given)s hours."
                )
                if urgent
                else N_(
                    "The person must be given %(hours)s hours' notice; notice given "
                    "%(given_at)s for %(planned_for)s is only %(given)s hours."
                ),
                params={
                    "hours": hours,
                    "given_at": notice_given_at.isoformat(timespec="minutes"),
                    "planned_for": planned_for.isoformat(timespec="minutes"),
                    "given": f"{given.total_seconds() / 3600:.1f}",
                },
                rule="notice-period",
            )
    if terms.exclusions.families_together:
        for refusal in (
            family_ready_refusal(case, lock=True),
            family_date_refusal(case, planned_for),
        ):
            if refusal is not None:
                raise refusal
    plan = TransferPlan.objects.create(
        case=case,
        planned_for=planned_for,
        route=route,
        escort=escort,
        crossing_point=crossing_point,
        flight=flight,
        medical_needs=medical_needs,
        notice_language=language,
        notice_given_at=notice_given_at,
        urgent=urgent,
        created_by=context.acting_user,
    )
    context.audit_data["transfer"] = {
        "plan": str(plan.id),
        "planned_for": planned_for.isoformat(),
        "route": route,
        **({"crossing_point": crossing_point} if crossing_point else {}),
        **({"flight": flight} if flight else {}),
        **({"escort": escort} if escort else {}),
        "notice_language": language,
        "urgent": urgent,
    }


# Reception ---------------------------------------------------------------------------------


def record_arrival(context: TransitionContext) -> None:
    """Open a reception stay at a site of the agreement, within the site's capacity, the
    agreement's ``capacity.max_present`` and its ``capacity.max_per_year`` (arrivals in the
    calendar year of ``arrived_at``); the payload may already carry the ``return_plan``.
    The agreement and the site rows are locked (in that order), so concurrent arrivals queue
    and none can exceed a capacity."""
    case, arrival = context.case, context.payload_as(RecordArrivalIn)
    site = Site.objects.filter(id=arrival.site, agreement_id=case.agreement_id).first()
    if site is None:
        raise _invalid(
            "site",
            N_("is not a site of this agreement"),
            N_("site: is not a site of this agreement."),
        )
    arrived_at = arrival.arrived_at or context.at
    if arrived_at > context.at:
        raise _invalid(
            "arrived_at", N_("cannot be in the future"), N_("arrived_at: cannot be in the future.")
        )
    terms, _ = terms_in_force(case.agreement, context.at)
    max_present = terms.capacity.max_present if terms.capacity else None
    max_per_year = terms.capacity.max_per_year if terms.capacity else None
    Agreement.objects.select_for_update().filter(id=case.agreement_id).first()
    site = Site.objects.select_for_update().get(id=site.id)
    at_site = ReceptionStay.objects.filter(site=site, ended_at__isnull=True).count()
    if at_site >= site.capacity:
        raise TransitionRefused(
            N_("Site '%(site)s' is full: %(taken)s of %(capacity)s places taken."),
            params={"site": site.name, "taken": at_site, "capacity": site.capacity},
            rule="capacity",
        )
    if max_present is not None:
        present = ReceptionStay.objects.filter(
            site__agreement_id=case.agreement_id, ended_at__isnull=True
        ).count()
        if present >= max_present:
            raise TransitionRefused(
                N_(
                    "The agreement allows %(limit)s people present at once and "
                    "%(present)s are present."
                ),
                params={"limit": max_present, "present": present},
                rule="capacity",
            )
    if max_per_year is not None:
        year = arrived_at.year
        arrived = ReceptionStay.objects.filter(
            site__agreement_id=case.agreement_id, arrived_at__year=year
        ).count()
        if arrived >= max_per_year:
            raise TransitionRefused(
                N_(
                    "The agreement allows %(limit)s arrivals per year (capacity.max_per_year) "
                    "and %(arrived)s have arrived in %(year)s."
                ),
                params={"limit": max_per_year, "arrived": arrived, "year": year},
                rule="capacity",
            )
    max_end = (
        arrived_at.date() + dt.timedelta(days=terms.max_stay_days) if terms.max_stay_days else None
    )
    return_plan = arrival.return_plan
    stay = ReceptionStay.objects.create(
        case=case,
        site=site,
        arrived_at=arrived_at,
        max_end=max_end,
        return_plan=return_plan,
        return_plan_recorded_at=context.at if return_plan else None,
    )
    context.audit_data["stay"] = {
        "stay": str(stay.id),
        "site": site.name,
        "occupancy_after": at_site + 1,
        "capacity": site.capacity,
        "max_end": max_end.isoformat() if max_end else None,
    }


def record_departure(context: TransitionContext) -> None:
    """Close the stay with its outcome. A legal hold blocks the departures that remove the
    person (``REMOVAL_OUTCOMES``), never the transfer back, a release or protection granted:
    a hold stops removal, not the remedy a court ordered. A removal needs a return-to-origin
    plan first. A transfer back or release on a court order also frees the quota place the
    case took."""
    case, departure = context.case, context.payload_as(RecordDepartureIn)
    outcome, court_ordered = StayOutcome(departure.outcome), departure.court_ordered
    if court_ordered and outcome not in COURT_REMEDIES:
        raise _invalid(
            "court_ordered",
            N_("applies only to the outcomes transferred_back, released"),
            N_("court_ordered: applies only to the outcomes transferred_back, released."),
        )

    if case.legal_hold and outcome in REMOVAL_OUTCOMES:
        raise TransitionRefused(
            N_(
                "A legal hold blocks a departure with the outcome '%(outcome)s' until it is "
                "lifted; the transfer back or a release a court ordered is never blocked."
            ),
            params={"outcome": Term(outcome)},
            rule="legal-hold",
        )
    stay = ReceptionStay.objects.filter(case=case, ended_at__isnull=True).first()
    if stay is None:
        raise TransitionRefused(
            N_("Case %(case)s has no open reception stay."),
            params={"case": case.reference},
            rule="no-open-stay",
        )
    if not stay.return_plan and not (court_ordered and outcome in COURT_REMEDIES):
        raise TransitionRefused(
            N_("A return-to-origin plan is required before the stay can close; record it first."),
            rule="return-plan",
        )
    stay.ended_at = context.at
    stay.outcome = outcome
    stay.save(update_fields=["ended_at", "outcome", "updated_at"])
    deadlines_meet(case.deadlines.filter(kind=STAY_END), context.at)
    context.audit_data["stay"] = {"stay": str(stay.id), "outcome": outcome}
    if court_ordered:
        released = QuotaAllocation.objects.filter(case=case, released_at__isnull=True).update(
            released_at=context.at, release_reason=f"{outcome.replace('_', ' ')} on a court order"
        )
        context.audit_data["court_ordered"] = True
        if released:
            context.audit_data["quota_released"] = released


def register() -> None:
    register_transition_hook("relocation", "recommend", recommend_record, payload=RecommendIn)
    register_transition_hook("relocation", "select", refuse_excluded)
    register_transition_hook("relocation", "select", select_requires_criteria)
    for kind in ("relocation", "reception"):
        register_transition_hook(kind, "decline", decline_record)
        register_transition_hook(kind, "reconsider", reconsider_record, payload=ReconsiderIn)
        register_transition_hook(
            kind, "schedule_transfer", schedule_transfer, payload=TransferPlanIn
        )
        register_transition_hook(kind, "record_arrival", record_arrival, payload=RecordArrivalIn)
        register_transition_hook(
            kind, "record_departure", record_departure, payload=RecordDepartureIn
        )
    # Readmission plans its transfer the same way; ``readmit.cases.travel`` adds its checks
    # (and its narrower ``ReadmissionTransferPlanIn``).
    register_transition_hook(
        "readmission", "schedule_transfer", schedule_transfer, payload=TransferPlanIn
    )
