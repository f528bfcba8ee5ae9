"""Shape records for reading: history lines, terms as labelled rows. No rules decided here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from readmit.agreements.terms import AgreementTerms
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.relocation.models import EvaluationTrigger


def humanize(value: Any) -> str:
    text = str(value).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime
    actor: str
    summary: str
    from_state: str = ""
    to_state: str = ""
    reason: str = ""
    details: list[str] = field(default_factory=list)


_TRIGGERS = dict(EvaluationTrigger.choices)  # how an evaluation came about


def history_line(event: AuditEvent) -> HistoryLine:
    data: dict[str, Any] = event.data or {}
    actor = event.actor_username or "system"
    if event.event_type == AuditEventType.CASE_TRANSITIONED:
        details = []
        if "quota" in data:
            quota = data["quota"]
            details.append(
                f"Quota place taken: {quota.get('used_after')} of "
                f"{quota.get('limit')} from {quota.get('period_start')}"
            )
        if data.get("quota_released"):
            details.append("Quota place released")
        return HistoryLine(
            at=event.occurred_at,
            actor=actor,
            summary=humanize(data.get("action", "transition")),
            from_state=data.get("from", ""),
            to_state=data.get("to", ""),
            reason=data.get("reason", ""),
            details=details,
        )
    if event.event_type == AuditEventType.CASE_CREATED:
        return HistoryLine(
            at=event.occurred_at,
            actor=actor,
            summary="Case opened",
            to_state=data.get("state", ""),
            details=[f"Reference {data.get('reference', '')}"],
        )
    if event.event_type == AuditEventType.DEADLINE_SET:
        verb = "Deadline extended" if data.get("extended") else "Deadline set"
        detail = f"{humanize(data.get('kind', ''))} due {data.get('due_on', '')}"
        if data.get("explanation"):
            detail += f" ({data['explanation']})"
        return HistoryLine(at=event.occurred_at, actor=actor, summary=verb, details=[detail])
    if event.event_type == AuditEventType.SCREENING_MATCH_REVIEWED:
        # Decision and reason only: the watchlist entry stays with the list's owner.
        decision = {"confirmed": "same person", "dismissed": "not the same person"}.get(
            data.get("decision", ""), data.get("decision", "")
        )
        return HistoryLine(
            at=event.occurred_at,
            actor=actor,
            summary=f"Screening match reviewed: {decision}",
            reason=data.get("reason", ""),
        )
    if event.event_type == AuditEventType.CRITERIA_EVALUATED:
        outcome = humanize(data.get("outcome", "")).lower()
        trigger = str(_TRIGGERS.get(data.get("trigger", ""), data.get("trigger", ""))).lower()
        details = [f"Not passed: {', '.join(data['not_passed'])}"] if data.get("not_passed") else []
        return HistoryLine(
            at=event.occurred_at,
            actor=actor,
            summary=f"Criteria evaluated: {outcome}" + (f" ({trigger})" if trigger else ""),
            details=details,
        )
    return HistoryLine(at=event.occurred_at, actor=actor, summary=event.type_label)


@dataclass(frozen=True)
class TermRow:
    label: str
    value: str


TIME_LIMIT_LABELS = {
    "reply": "Reply to an application",
    "extension": "Extension of the reply limit",
    "transfer": "Transfer after acceptance",
    "interview": "Interview",
}


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def time_limit_rows(terms: AgreementTerms) -> list[TermRow]:
    rows = []
    for key, limit in terms.time_limits.items():
        value = f"{limit.amount} {limit.unit.replace('_', ' ')}"
        if limit.start_event:
            value += f" from {limit.start_event}"
        if limit.unit != "hours":
            value += (
                ", rolls forward past holidays" if limit.roll_forward else ", does not roll forward"
            )
        rows.append(TermRow(TIME_LIMIT_LABELS.get(key, humanize(key)), value))
    return rows


def other_term_rows(terms: AgreementTerms) -> list[TermRow]:
    rows = []
    if terms.max_stay_days is not None:
        rows.append(
            TermRow(
                "Maximum stay",
                f"{terms.max_stay_days} days (alert {terms.stay_alert_days} days before)",
            )
        )
    if terms.notice_hours is not None:
        rows.append(TermRow("Notice before a transfer", f"{terms.notice_hours} hours"))
    if terms.urgent_notice_hours is not None:
        rows.append(TermRow("Urgent notice", f"{terms.urgent_notice_hours} hours"))
    rows.append(TermRow("Silence means acceptance", _yes_no(terms.silence_means_acceptance)))
    rows.append(TermRow("Interview provided", _yes_no(terms.interview_provided)))
    rows.append(TermRow("Notice of termination", f"{terms.termination_notice_days} days"))
    if terms.suspension_grounds:
        rows.append(TermRow("Grounds for suspension", ", ".join(terms.suspension_grounds)))
    return rows


def exclusion_rows(terms: AgreementTerms) -> list[TermRow]:
    ex = terms.exclusions
    return [
        TermRow("Minors excluded", _yes_no(ex.minors)),
        TermRow("Unaccompanied minors excluded", _yes_no(ex.unaccompanied_minors)),
        TermRow("Pregnant women excluded", _yes_no(ex.pregnant)),
        TermRow("Vulnerable people excluded", _yes_no(ex.vulnerable)),
        TermRow("Families kept together", _yes_no(ex.families_together)),
    ]


def criterion_text(rule: str, params: dict[str, Any], label: str) -> str:
    if label:
        return label
    described = {
        "no_conviction_within_years": "No conviction within {years} years",
        "age_between": "Aged between {min} and {max}",
        "nationality_in": "Nationality in {codes}",
    }
    template = described.get(rule)
    if template is not None:
        try:
            shown = {k: ", ".join(v) if isinstance(v, list) else v for k, v in params.items()}
            return template.format(**shown)
        except (KeyError, IndexError):
            pass
    text = humanize(rule)
    if params:
        text += " (" + ", ".join(f"{humanize(k).lower()}: {v}" for k, v in params.items()) + ")"
    return text


def criteria_texts(terms: AgreementTerms) -> list[str]:
    return [criterion_text(c.rule, c.params, c.label) for c in terms.criteria]


def data_sharing_rows(terms: AgreementTerms) -> list[TermRow]:
    ds = terms.data_sharing
    return [
        TermRow("Categories shared", ", ".join(humanize(c) for c in ds.categories) or "None"),
        TermRow("Criminal records shared", _yes_no(ds.criminal_data_allowed)),
        TermRow("Onward sharing needs consent", _yes_no(ds.onward_sharing_needs_consent)),
        TermRow("Retention", f"{ds.retention_days} days"),
    ]
