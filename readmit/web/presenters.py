"""Shape records for reading: history lines, terms as labelled rows. No rules decided here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _

from readmit.accounts.selectors import organisation_zone
from readmit.agreements.models import AgreementParty
from readmit.agreements.sharing import ALWAYS_SHARED
from readmit.agreements.sharing import CATEGORIES as SHARING_CATEGORIES
from readmit.agreements.terms import AgreementTerms
from readmit.agreements.vocabularies import OFFENCE_CATEGORIES
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core.errors import N_
from readmit.relocation.models import EvaluationTrigger


def humanize(value: Any) -> str:
    """``transfer_scheduled`` -> "Transfer scheduled", in the reader's language where the
    catalogues have it (the workflow's states and actions: ``readmit.web.i18n.vocabulary``)."""
    text = str(value).replace("_", " ").strip()
    return gettext(text[:1].upper() + text[1:]) if text else ""


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime
    actor: str
    summary: str
    from_state: str = ""
    to_state: str = ""
    reason: str = ""
    details: list[str] = field(default_factory=list)
    internal_note: str = ""  # only for the organisation that wrote it (internal_note_for)


_TRIGGERS = dict(EvaluationTrigger.choices)  # how an evaluation came about


def _hold_details(data: dict[str, Any]) -> list[str]:
    """What both parties read of a hold placed or lifted: this line is how the other side is
    told."""
    hold = data.get("hold")
    if not isinstance(hold, dict) or not hold.get("kind"):
        return []
    placed = (
        f"{humanize(hold['kind'])} by {hold.get('authority') or 'an unrecorded authority'}, "
        f"reference {hold.get('reference', '')}"
        + (f", decided {hold['decided_on']}" if hold.get("decided_on") else "")
        + f"; placed by the {hold.get('side') or 'unrecorded'} party"
        + (f" ({hold['organisation']})" if hold.get("organisation") else "")
    )
    if data.get("action") != "lift_legal_hold":
        return [f"Hold: {placed}"]
    how = (
        f"on the court decision {hold['court_reference']}"
        if hold.get("court_reference")
        else "by the placing side's supervisor"
    )
    return [f"Hold lifted {how} by the {hold.get('lifted_by_side', '')} party: {placed}"]


def history_line(event: AuditEvent, *, internal_note: str = "") -> HistoryLine:
    """One line of a case's history; ``internal_note`` is passed only to the organisation
    that wrote it (``readmit.audit.selectors.internal_note_for``)."""
    data: dict[str, Any] = event.data or {}
    actor = event.actor_username or "system"
    if event.event_type == AuditEventType.CASE_TRANSITIONED:
        details = []
        if "quota" in data:
            quota = data["quota"]
            details.append(
                _("Quota place taken: %(used)s of %(limit)s from %(start)s")
                % {
                    "used": quota.get("used_after"),
                    "limit": quota.get("limit"),
                    "start": quota.get("period_start"),
                }
            )
        if data.get("quota_released"):
            details.append(_("Quota place released"))
        details.extend(_hold_details(data))
        if data.get("reason_code"):
            details.append(
                _("Reason code: %(code)s") % {"code": humanize(data["reason_code"]).lower()}
            )
        return HistoryLine(
            at=event.occurred_at,
            actor=actor,
            summary=humanize(data.get("action", "transition")),
            from_state=data.get("from", ""),
            to_state=data.get("to", ""),
            reason=data.get("reason", ""),
            details=details,
            internal_note=internal_note,
        )
    if event.event_type == AuditEventType.CASE_CREATED:
        return HistoryLine(
            at=event.occurred_at,
            actor=actor,
            summary=_("Case opened"),
            to_state=data.get("state", ""),
            details=[_("Reference %(reference)s") % {"reference": data.get("reference", "")}],
        )
    if event.event_type == AuditEventType.DEADLINE_SET:
        verb = _("Deadline extended") if data.get("extended") else _("Deadline set")
        detail = _("%(kind)s due %(due_on)s") % {
            "kind": humanize(data.get("kind", "")),
            "due_on": data.get("due_on", ""),
        }
        if data.get("explanation"):
            detail += f" ({data['explanation']})"
        return HistoryLine(at=event.occurred_at, actor=actor, summary=verb, details=[detail])
    if event.event_type == AuditEventType.SCREENING_MATCH_REVIEWED:
        # Decision and reason only: the watchlist entry stays with the list's owner.
        decision = {"confirmed": _("same person"), "dismissed": _("not the same person")}.get(
            data.get("decision", ""), data.get("decision", "")
        )
        return HistoryLine(
            at=event.occurred_at,
            actor=actor,
            summary=_("Screening match reviewed: %(decision)s") % {"decision": decision},
            reason=data.get("reason", ""),
            internal_note=internal_note,
        )
    if event.event_type == AuditEventType.CRITERIA_EVALUATED:
        outcome = humanize(data.get("outcome", "")).lower()
        trigger = str(_TRIGGERS.get(data.get("trigger", ""), data.get("trigger", ""))).lower()
        details = (
            [_("Not passed: %(rules)s") % {"rules": ", ".join(data["not_passed"])}]
            if data.get("not_passed")
            else []
        )
        return HistoryLine(
            at=event.occurred_at,
            actor=actor,
            summary=_("Criteria evaluated: %(outcome)s") % {"outcome": outcome}
            + (f" ({trigger})" if trigger else ""),
            details=details,
        )
    return HistoryLine(at=event.occurred_at, actor=actor, summary=event.type_label)


@dataclass(frozen=True)
class TermRow:
    label: str
    value: str


TIME_LIMIT_LABELS = {
    "reply": N_("Reply to an application"),
    "extension": N_("Extension of the reply limit"),
    "transfer": N_("Transfer after acceptance"),
    "interview": N_("Interview"),
}


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _days(count: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}


def _hours(count: int) -> str:
    return ngettext("%(count)s hour", "%(count)s hours", count) % {"count": count}


def time_limit_rows(terms: AgreementTerms) -> list[TermRow]:
    rows = []
    for key, limit in terms.time_limits.items():
        value = f"{limit.amount} {humanize(limit.unit).lower()}"
        if limit.start_event:
            value += " " + _("from %(event)s") % {"event": limit.start_event}
        if limit.unit != "hours":
            value += ", " + (
                _("rolls forward past holidays")
                if limit.roll_forward
                else _("does not roll forward")
            )
        label = TIME_LIMIT_LABELS.get(key)
        rows.append(TermRow(_(label) if label else humanize(key), value))
    return rows


def other_term_rows(terms: AgreementTerms) -> list[TermRow]:
    rows = []
    if terms.max_stay_days is not None:
        rows.append(
            TermRow(
                _("Maximum stay"),
                _("%(stay)s (alert %(alert)s before)")
                % {"stay": _days(terms.max_stay_days), "alert": _days(terms.stay_alert_days)},
            )
        )
    if terms.notice_hours is not None:
        rows.append(TermRow(_("Notice before a transfer"), _hours(terms.notice_hours)))
    if terms.urgent_notice_hours is not None:
        rows.append(TermRow(_("Urgent notice"), _hours(terms.urgent_notice_hours)))
    rows.append(TermRow(_("Silence means acceptance"), _yes_no(terms.silence_means_acceptance)))
    rows.append(TermRow(_("Interview provided"), _yes_no(terms.interview_provided)))
    rows.append(
        TermRow(
            _("Prima facie evidence alone"),
            _("opens a verification of nationality (no presumption)")
            if terms.prima_facie_evidence == "verification"
            else _("presumes nationality (rebuttable)"),
        )
    )
    rows.append(TermRow(_("Notice of termination"), _days(terms.termination_notice_days)))
    if terms.suspension_grounds:
        rows.append(
            TermRow(
                _("Grounds for suspension"),
                ", ".join(terms.suspension_grounds),
            )
        )
    return rows


def exclusion_rows(terms: AgreementTerms) -> list[TermRow]:
    ex = terms.exclusions
    return [
        TermRow(_("Minors excluded"), _yes_no(ex.minors)),
        TermRow(_("Unaccompanied minors excluded"), _yes_no(ex.unaccompanied_minors)),
        TermRow(_("Pregnant women excluded"), _yes_no(ex.pregnant)),
        TermRow(_("Vulnerable people excluded"), _yes_no(ex.vulnerable)),
        TermRow(_("Families kept together"), _yes_no(ex.families_together)),
    ]


def criterion_text(rule: str, params: dict[str, Any], label: str) -> str:
    if rule == "no_conviction_within_years":
        return _conviction_criterion_text(params, label)
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


def _conviction_criterion_text(params: dict[str, Any], label: str) -> str:
    """The label (or a default) and what the rule counts: the ICCS sections by code and name,
    and whether a list's own words are kept (then answered unknown)."""
    text = label or f"No conviction within {params.get('years')} years"
    categories = params.get("categories") or []
    counted = (
        "; ".join(f"{c} {OFFENCE_CATEGORIES.get(c, c).lower()}" for c in categories)
        if categories
        else "every offence"
    )
    text += f" (counts: {counted}"
    if params.get("free_text_categories"):
        text += "; a category in the sender's own words answers unknown"
    return text + ")"


def criteria_texts(terms: AgreementTerms) -> list[str]:
    return [criterion_text(c.rule, c.params, c.label) for c in terms.criteria]


def data_sharing_rows(terms: AgreementTerms) -> list[TermRow]:
    """What ``readmit.agreements.sharing`` and the retention purge enforce, in words."""
    ds = terms.data_sharing
    shared = [c for c in SHARING_CATEGORIES if c in ALWAYS_SHARED or c in ds.categories]
    return [
        TermRow(_("Categories the other party reads"), ", ".join(humanize(c) for c in shared)),
        TermRow(_("Criminal records shared"), _yes_no(ds.criminal_data_allowed)),
        TermRow(
            _("Onward sharing needs consent"),
            _("Yes: exports leave out the other party's personal data")
            if ds.onward_sharing_needs_consent
            else _("No"),
        ),
        TermRow(
            _("Retention"),
            _(
                "%(days)s after a case closes, then personal data is anonymised (never under a "
                "legal hold)"
            )
            % {"days": _days(ds.retention_days)},
        ),
    ]


def local_time(moment: dt.datetime | None) -> str:
    """A stored instant in the viewer's zone (the one the middleware activated), named."""
    if moment is None:
        return ""
    return _wall_clock(moment, timezone.get_current_timezone())


def _wall_clock(moment: dt.datetime, tz: Any) -> str:
    """``wall_clock`` written the reader's way (``2. 12. 2026. 09:00`` in Serbian), zone named."""
    return f"{formats.date_format(moment.astimezone(tz), 'SHORT_DATETIME_FORMAT')} {tz.key}"


def party_times(moment: dt.datetime | None, parties: Iterable[AgreementParty]) -> str:
    """``2026-12-03 09:00 America/New_York (2026-12-03 15:00 Europe/Belgrade, XK)``: the
    viewer's wall clock first, then each other zone the agreement's parties keep."""
    if moment is None:
        return ""
    seen = {timezone.get_current_timezone_name()}
    others = []
    for party in parties:
        tz = organisation_zone(party.organisation)
        if tz.key not in seen:
            seen.add(tz.key)
            others.append(f"{_wall_clock(moment, tz)}, {party.organisation.country_id}")
    text = local_time(moment)
    return f"{text} ({'; '.join(others)})" if others else text
