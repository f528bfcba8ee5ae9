"""Dashboards: figures aggregated in the database, drawn as SVG, shown with their table.

Every dashboard reads a fixed number of queries whatever the number of cases (GROUP BY and
conditional aggregates; a test counts them for 5 and 50 cases). Figures are counted only
over what the reader may see (``dashboard_scope``): the agreements an organisation of theirs
is party to as a caseworker, supervisor, liaison officer or auditor, and, for a consular
mission, only the cases a consular request routed to it. Figures carry no personal data:
counts per agreement, site, state, nationality and reason, and case references (which the
reader can already open) in the list of late replies.

Reads run in ``report_reads`` (the replica when there is one). The chart and the table are
built from the same rows, so they cannot disagree; the XLSX export carries those rows too
and is audited (``DASHBOARD_EXPORTED``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import Window
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Lag
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readmit.accounts.access import mission_ids, organisation_ids
from readmit.accounts.models import User
from readmit.accounts.roles import DASHBOARD_READERS
from readmit.agreements.models import Agreement, Site
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.audit.services import audit_record
from readmit.cases.models import Case, Deadline, Person, QuotaAllocation
from readmit.consular.models import ConsularRequest
from readmit.core import clock
from readmit.core.dbrouting import report_reads
from readmit.core.errors import N_, Forbidden, NotFound
from readmit.relocation.models import ReceptionStay
from readmit.reporting import charts
from readmit.reporting.exports import safe_cell

# The decisions whose outcome the outcome dashboards count, and the state each leads to.
OUTCOME_ACTIONS: Mapping[str, str] = {
    "select": "selected",
    "decline": "declined",
    "accept": "accepted",
    "deem_accepted": "deemed_accepted",
    "reject": "rejected",
    "withdraw": "withdrawn",
}
LATE_LIST_LENGTH = 50
# The dashboards by name, with their titles (the index lists them without counting).
TITLES: Mapping[str, Promise] = {
    "quota": gettext_lazy("Quota used per period"),
    "occupancy": gettext_lazy("Occupancy per site"),
    "deadlines": gettext_lazy("Deadline compliance"),
    "states": gettext_lazy("Time spent in each state"),
    "nationality": gettext_lazy("Outcomes by nationality"),
    "reason": gettext_lazy("Outcomes by reason"),
}
FIRST_YEAR, LAST_YEAR = 2000, 2100


# Who may see what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The agreements a reader's figures come from: ``whole`` ones counted in full, the
    others (a mission's) only over the cases routed to ``missions``."""

    agreements: tuple[Agreement, ...]
    whole: frozenset[uuid.UUID]
    missions: frozenset[uuid.UUID]
    year: int
    choices: tuple[Agreement, ...] = ()  # every agreement the reader may filter on

    @property
    def agreement_ids(self) -> list[uuid.UUID]:
        return [a.id for a in self.agreements]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def cases(self, prefix: str = "") -> Q:
        """A filter on cases (or on rows reaching a case through ``prefix``) within scope."""
        scope = Q(**{f"{prefix}agreement_id__in": sorted(self.whole)})
        partial = [a for a in self.agreement_ids if a not in self.whole]
        if partial and self.missions:
            routed = ConsularRequest.objects.filter(
                routed_to_id__in=sorted(self.missions), case__agreement_id__in=partial
            ).values("case_id")
            scope |= Q(**{f"{prefix}id__in": routed})
        return scope

    def events(self) -> Q:
        """The same filter on audit rows (which name the agreement and the case by id)."""
        scope = Q(agreement_id__in=sorted(self.whole))
        partial = [a for a in self.agreement_ids if a not in self.whole]
        if partial and self.missions:
            routed = ConsularRequest.objects.filter(
                routed_to_id__in=sorted(self.missions), case__agreement_id__in=partial
            ).values("case_id")
            scope |= Q(case_id__in=routed)
        return scope


def dashboard_scope(
    user: User, *, agreement_id: uuid.UUID | str | None = None, year: int | None = None
) -> Scope:
    """The reader's scope; ``Forbidden`` for a role that reads no dashboards (administrators),
    ``NotFound`` for an agreement the reader is not party to (as if it did not exist)."""
    readers = organisation_ids(user, roles=DASHBOARD_READERS)
    if not readers:
        raise Forbidden(
            N_(
                "Dashboards are for caseworkers, supervisors, liaison officers and auditors; "
                "administrators manage users, not cases."
            ),
            type="wrong-role",
        )
    missions = mission_ids(user, roles=DASHBOARD_READERS)
    choices = tuple(
        Agreement.objects.filter(parties__organisation_id__in=readers)
        .distinct()
        .prefetch_related("parties")
        .order_by("reference")
    )
    found = choices
    if agreement_id:
        wanted = str(agreement_id)
        found = tuple(a for a in choices if str(a.id) == wanted)
        if not found:
            raise NotFound(N_("No such agreement."))
    whole = frozenset(
        a.id for a in found if any(p.organisation_id in readers - missions for p in a.parties.all())
    )
    return Scope(found, whole, frozenset(missions), year or clock.today().year, choices)


# A dashboard: its table and its chart, from the same rows --------------------------------------


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    description: str
    columns: tuple[str, ...]
    rows: list[tuple[object, ...]]
    chart: str
    flagged: list[tuple[object, ...]] = field(default_factory=list)
    flagged_columns: tuple[str, ...] = ()


def percentile(counts: Mapping[int, int], q: float) -> int:
    """The ``q`` quantile (nearest rank) of whole days given as {days: how many}."""
    total = sum(counts.values())
    rank = max(1, -(-int(q * 1000) * total // 1000))  # ceil(q * total), in integers
    seen = 0
    for days in sorted(counts):
        seen += counts[days]
        if seen >= rank:
            return days
    return 0


# (a) Quota used per period -------------------------------------------------------------------


def quota_dashboard(scope: Scope) -> Dashboard:
    with_quota = {a.id: a for a in scope.agreements if a.parsed_terms.quota is not None}
    with report_reads():
        used = list(
            QuotaAllocation.objects.filter(
                scope.cases("case__"),
                agreement_id__in=list(with_quota),
                released_at__isnull=True,
                period_start__lte=scope.end,
                period_end__gte=scope.start,
            )
            .values("agreement_id", "period_start", "period_end")
            .annotate(used=Count("id"))
            .order_by("agreement_id", "period_start")
        )
    rows: list[tuple[object, ...]] = []
    bars = []
    for entry in sorted(
        used, key=lambda e: (with_quota[e["agreement_id"]].reference, e["period_start"])
    ):
        agreement = with_quota[entry["agreement_id"]]
        quota = agreement.parsed_terms.quota
        assert quota is not None
        remaining = max(quota.limit - entry["used"], 0)
        rows.append(
            (
                agreement.reference,
                entry["period_start"].isoformat(),
                entry["period_end"].isoformat(),
                entry["used"],
                quota.limit,
                remaining,
            )
        )
        bars.append(
            charts.Bar(
                f"{agreement.reference} {entry['period_start']:%Y-%m-%d}",
                (charts.Segment(_("used"), entry["used"]),),
                marker=(_("quota"), quota.limit),
            )
        )
    title = str(TITLES["quota"])
    description = _(
        "Places of each agreement's quota taken in each quota period overlapping %(year)s, "
        "against the quota (dashed line)."
    ) % {"year": scope.year}
    return Dashboard(
        "quota",
        title,
        description,
        (_("Agreement"), _("Period from"), _("Period to"), _("Used"), _("Quota"), _("Remaining")),
        rows,
        charts.bar_chart(charts.ChartText("quota", title, description, _("places")), bars),
    )


# (b) Occupancy per site over time ------------------------------------------------------------


def _months(scope: Scope) -> list[dt.datetime]:
    """The first of each month of the year, up to today: occupancy counted at midnight UTC."""
    today = clock.today()
    return [
        dt.datetime(scope.year, month, 1, tzinfo=dt.UTC)
        for month in range(1, 13)
        if dt.date(scope.year, month, 1) <= today
    ]


def occupancy_dashboard(scope: Scope) -> Dashboard:
    months = _months(scope)
    by_id = {a.id: a for a in scope.agreements}
    with report_reads():
        sites = list(Site.objects.filter(agreement_id__in=list(by_id)).order_by("name"))
        present = {
            row["site_id"]: row
            for row in (
                ReceptionStay.objects.filter(
                    scope.cases("case__"),
                    site_id__in=[s.id for s in sites],
                    arrived_at__lt=dt.datetime(scope.year + 1, 1, 1, tzinfo=dt.UTC),
                )
                .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=months[0]) if months else Q())
                .values("site_id")
                .annotate(
                    **{
                        f"m{i}": Count(
                            "id",
                            filter=Q(arrived_at__lt=moment)
                            & (Q(ended_at__isnull=True) | Q(ended_at__gte=moment)),
                        )
                        for i, moment in enumerate(months)
                    }
                )
                .order_by()
            )
            if months and sites
        }
    rows: list[tuple[object, ...]] = []
    labels = [f"{m:%Y-%m}" for m in months]
    series: list[charts.Series] = []
    references: list[charts.Reference] = []
    for agreement in scope.agreements:
        own = [s for s in sites if s.agreement_id == agreement.id]
        if not own:
            continue
        totals = [0] * len(months)
        for site in own:
            figures = [int(present.get(site.id, {}).get(f"m{i}", 0)) for i in range(len(months))]
            totals = [t + f for t, f in zip(totals, figures, strict=True)]
            for label, count in zip(labels, figures, strict=True):
                rows.append((label, agreement.reference, site.name, count, site.capacity))
            series.append(charts.Series(site.name, tuple(figures)))
            references.append(charts.Reference(site.name, site.capacity))
        capacity = agreement.parsed_terms.capacity
        limit = capacity.max_present if capacity is not None else None
        all_sites = _("All sites of %(agreement)s") % {"agreement": agreement.reference}
        for label, count in zip(labels, totals, strict=True):
            rows.append((label, agreement.reference, all_sites, count, limit if limit else ""))
        series.append(charts.Series(all_sites, tuple(totals)))
        if limit:
            references.append(
                charts.Reference(
                    _("%(agreement)s in total") % {"agreement": agreement.reference}, limit
                )
            )
    title = str(TITLES["occupancy"])
    description = _(
        "People present at each reception site on the first of each month of %(year)s, and "
        "at all sites of an agreement together, against each site's capacity and the "
        "agreement's capacity (dashed lines)."
    ) % {"year": scope.year}
    return Dashboard(
        "occupancy",
        title,
        description,
        (_("Month"), _("Agreement"), _("Site"), _("Present"), _("Capacity")),
        rows,
        charts.line_chart(
            charts.ChartText("occupancy", title, description), labels, series, references
        ),
    )


# (c) Deadline compliance ---------------------------------------------------------------------


def _late(today: dt.date) -> Q:
    return (
        Q(met_late=True)
        | Q(lapsed_at__isnull=False)
        | Q(met_at__isnull=True, lapsed_at__isnull=True, due_on__lt=today)
    )


def deadlines_dashboard(scope: Scope) -> Dashboard:
    today = clock.today()
    deadlines = Deadline.objects.filter(
        scope.cases("case__"),
        cancelled_at__isnull=True,
        due_on__gte=scope.start,
        due_on__lte=scope.end,
    )
    on_time = Q(met_at__isnull=False, met_late=False)
    running = Q(met_at__isnull=True, lapsed_at__isnull=True, due_on__gte=today)
    with report_reads():
        groups = list(
            deadlines.values("case__agreement__reference", "kind")
            .annotate(
                on_time=Count("id", filter=on_time),
                late=Count("id", filter=_late(today)),
                running=Count("id", filter=running),
                extended=Count("id", filter=Q(extended_at__isnull=False)),
            )
            .order_by("case__agreement__reference", "kind")
        )
        late = list(
            deadlines.filter(_late(today))
            .values(
                "case_id",
                "case__reference",
                "case__agreement__reference",
                "label",
                "due_on",
                "met_at",
                "lapsed_at",
                "extended_at",
            )
            .order_by("-due_on", "case__reference")[:LATE_LIST_LENGTH]
        )
    rows: list[tuple[object, ...]] = []
    bars = []
    for g in groups:
        agreement, kind = g["case__agreement__reference"], g["kind"]
        rows.append((agreement, kind, g["on_time"], g["late"], g["running"], g["extended"]))
        bars.append(
            charts.Bar(
                f"{agreement} · {kind}",
                (
                    charts.Segment(_("on time"), g["on_time"]),
                    charts.Segment(_("late"), g["late"]),
                    charts.Segment(_("running"), g["running"]),
                ),
            )
        )
    flagged: list[tuple[object, ...]] = []
    for d in late:
        if d["met_at"] is not None:
            status = _("replied late, %(day)s") % {"day": f"{d['met_at']:%Y-%m-%d}"}
        elif d["lapsed_at"] is not None:
            status = _("lapsed unanswered")
        else:
            status = _("overdue, no reply yet")
        flagged.append(
            (
                d["case__reference"],
                d["case__agreement__reference"],
                d["label"],
                d["due_on"],
                status,
                _("yes") if d["extended_at"] else _("no"),
                d["case_id"],
            )
        )
    title = str(TITLES["deadlines"])
    description = _(
        "Time limits due in %(year)s per agreement and kind: met on time, late (met after the "
        "due date, lapsed, or overdue and still open) and still running. Late ones are listed "
        "below the table."
    ) % {"year": scope.year}
    return Dashboard(
        "deadlines",
        title,
        description,
        (_("Agreement"), _("Time limit"), _("On time"), _("Late"), _("Running"), _("Extended")),
        rows,
        charts.bar_chart(
            charts.ChartText(
                "deadlines",
                title,
                description,
                series_order=(_("on time"), _("late"), _("running")),
            ),
            bars,
        ),
        flagged,
        (_("Case"), _("Agreement"), _("Time limit"), _("Due on"), _("Status"), _("Extended")),
    )


# (d) Time spent in each state ----------------------------------------------------------------


def _wrapped(
    queryset: QuerySet[Any], outer: Callable[[str], str], *extra: Any
) -> list[tuple[Any, ...]]:
    """The rows of ``outer`` (SQL for the database vendor, ``{inner}`` where the queryset
    goes) over the queryset compiled by Django, in ``report_reads``: one query.

    The inner SQL is Django's own, its parameters kept apart; the outer text is fixed in
    this module per vendor: nothing of the request is spliced into the SQL.
    """
    with report_reads() as alias:
        connection = connections[alias]
        inner, params = queryset.order_by().query.get_compiler(using=alias).as_sql()
        sql = outer(connection.vendor).replace("{inner}", inner)
        values = [
            connection.ops.adapt_datetimefield_value(v) if isinstance(v, dt.datetime) else v
            for v in extra
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *values])
            return list(cursor.fetchall())


def _days_between(vendor: str) -> str:
    if vendor == "postgresql":
        return "FLOOR(EXTRACT(EPOCH FROM (t.occurred_at - t.prev_at)) / 86400)"
    return "CAST(julianday(t.occurred_at) - julianday(t.prev_at) AS INTEGER)"


def state_durations(scope: Scope) -> dict[tuple[str, str], dict[int, int]]:
    """{(kind, state): {whole days spent: how many times}} for the states cases left in the
    year: each transition closes the time since the case's previous event (its opening or
    its previous transition). One query: a window over the audit rows, grouped."""
    kinds = {a.id: a.kind for a in scope.agreements}
    start = dt.datetime(scope.year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(scope.year + 1, 1, 1, tzinfo=dt.UTC)
    events = (
        AuditEvent.objects.filter(
            scope.events(),
            event_type__in=[AuditEventType.CASE_CREATED, AuditEventType.CASE_TRANSITIONED],
            occurred_at__lt=end,
        )
        .annotate(
            prev_at=Window(
                Lag("occurred_at"), partition_by=[F("case_id")], order_by=F("seq").asc()
            ),
            left_state=KeyTextTransform("from", "data"),
        )
        .values("agreement_id", "left_state", "occurred_at", "prev_at")
    )
    found: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    fetched = _wrapped(
        events,
        lambda vendor: (
            f"SELECT t.agreement_id, t.left_state, {_days_between(vendor)}, COUNT(*) "  # noqa: S608
            "FROM ({inner}) t WHERE t.left_state IS NOT NULL AND t.prev_at IS NOT NULL "
            "AND t.occurred_at >= %s GROUP BY 1, 2, 3"
        ),
        start,
    )
    for agreement_id, state, days, count in fetched:
        key = (
            uuid.UUID(str(agreement_id))
            if not isinstance(agreement_id, uuid.UUID)
            else agreement_id
        )
        found[(kinds[key], state)][max(int(days), 0)] += int(count)
    return found


def states_dashboard(scope: Scope) -> Dashboard:
    durations = state_durations(scope)
    rows: list[tuple[object, ...]] = []
    bars = []
    for (kind, state), counts in sorted(durations.items()):
        median, p90 = percentile(counts, 0.5), percentile(counts, 0.9)
        rows.append((kind, state, sum(counts.values()), median, p90))
        bars.append(
            charts.Bar(
                f"{kind} · {state}",
                (
                    charts.Segment(_("median"), median),
                    charts.Segment(_("from median to p90"), p90 - median),
                ),
            )
        )
    title = str(TITLES["states"])
    description = _(
        "Whole days cases spent in each state before leaving it in %(year)s: the median and "
        "the 90th percentile (the bar's full length)."
    ) % {"year": scope.year}
    return Dashboard(
        "states",
        title,
        description,
        (_("Kind"), _("State"), _("Times left"), _("Median days"), _("90th percentile days")),
        rows,
        charts.bar_chart(charts.ChartText("states", title, description, _("days")), bars),
    )


# (e) Outcomes by nationality and by reason --------------------------------------------------


def _decisions(scope: Scope) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        scope.events(),
        event_type=AuditEventType.CASE_TRANSITIONED,
        occurred_at__gte=dt.datetime(scope.year, 1, 1, tzinfo=dt.UTC),
        occurred_at__lt=dt.datetime(scope.year + 1, 1, 1, tzinfo=dt.UTC),
        data__action__in=list(OUTCOME_ACTIONS),
    ).annotate(action=KeyTextTransform("action", "data"))


def nationality_dashboard(scope: Scope) -> Dashboard:
    # A person with several nationalities counts under each (the table's rows then add up
    # to more than the decisions); one join, no subquery per decision.
    links = Person.nationalities.through._meta.db_table
    cases = Case._meta.db_table
    fetched = _wrapped(
        _decisions(scope).values("case_id", "action"),  # type: ignore[misc]
        lambda vendor: (
            f"SELECT n.country_id, t.action, COUNT(*) FROM ({{inner}}) t "  # noqa: S608
            f'JOIN "{cases}" c ON c.id = t.case_id '
            f'LEFT JOIN "{links}" n ON n.person_id = c.person_id GROUP BY 1, 2'
        ),
    )
    groups = [{"nationality": n, "action": a, "count": int(c)} for n, a, c in fetched]
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g in groups:
        table[g["nationality"] or _("unknown")][OUTCOME_ACTIONS[g["action"]]] += g["count"]
    outcomes = [o for o in OUTCOME_ACTIONS.values() if any(o in v for v in table.values())]
    rows: list[tuple[object, ...]] = []
    bars = []
    for nationality in sorted(table):
        counts = table[nationality]
        rows.append((nationality, *(counts.get(o, 0) for o in outcomes), sum(counts.values())))
        bars.append(
            charts.Bar(nationality, tuple(charts.Segment(o, counts.get(o, 0)) for o in outcomes))
        )
    title = str(TITLES["nationality"])
    description = _(
        "Decisions taken in %(year)s (selected, declined, accepted, deemed accepted, "
        "rejected, withdrawn) per nationality of the person; a person with several "
        "nationalities counts under each."
    ) % {"year": scope.year}
    return Dashboard(
        "nationality",
        title,
        description,
        (_("Nationality"), *outcomes, _("Total")),
        rows,
        charts.bar_chart(charts.ChartText("nationality", title, description), bars),
    )


def reason_dashboard(scope: Scope) -> Dashboard:
    with report_reads():
        groups = list(
            _decisions(scope)
            .annotate(reason_code=KeyTextTransform("reason_code", "data"))
            .values("action", "reason_code")
            .annotate(count=Count("seq"))
            .order_by("action", "reason_code")
        )
    rows: list[tuple[object, ...]] = []
    bars = []
    no_code = _("no reason code")
    for g in sorted(groups, key=lambda g: (g["action"], g["reason_code"] or "")):
        outcome = OUTCOME_ACTIONS[g["action"]]
        reason = g["reason_code"] or no_code
        rows.append((outcome, reason, g["count"]))
        bars.append(charts.Bar(f"{outcome} · {reason}", (charts.Segment(outcome, g["count"]),)))
    title = str(TITLES["reason"])
    description = _("Decisions taken in %(year)s per outcome and standard reason code.") % {
        "year": scope.year
    }
    return Dashboard(
        "reason",
        title,
        description,
        (_("Outcome"), _("Reason"), _("Decisions")),
        rows,
        charts.bar_chart(charts.ChartText("reason", title, description), bars),
    )


DASHBOARDS: Mapping[str, Callable[[Scope], Dashboard]] = {
    "quota": quota_dashboard,
    "occupancy": occupancy_dashboard,
    "deadlines": deadlines_dashboard,
    "states": states_dashboard,
    "nationality": nationality_dashboard,
    "reason": reason_dashboard,
}


def dashboard_build(
    user: User, *, name: str, agreement_id: uuid.UUID | str | None = None, year: int | None = None
) -> tuple[Dashboard, Scope]:
    """One dashboard for the reader, through the gates, and the scope it was counted over;
    ``NotFound`` for an unknown name."""
    if name not in DASHBOARDS:
        raise NotFound(N_("No such dashboard."))
    scope = dashboard_scope(user, agreement_id=agreement_id, year=year)
    return DASHBOARDS[name](scope), scope


def dashboard_export_rows(
    user: User, *, name: str, agreement_id: uuid.UUID | str | None = None, year: int | None = None
) -> tuple[tuple[str, ...], list[list[str]]]:
    """The dashboard's table as text cells (formulas neutralised), audited as it leaves."""
    with transaction.atomic():
        board, scope = dashboard_build(user, name=name, agreement_id=agreement_id, year=year)
        rows = [[safe_cell(value) for value in row] for row in board.rows]
        orgs = sorted(organisation_ids(user, roles=DASHBOARD_READERS), key=str)
        audit_record(
            event_type=AuditEventType.DASHBOARD_EXPORTED,
            acting_user=user,
            organisation_id=orgs[0] if orgs else None,
            agreement_id=uuid.UUID(str(agreement_id)) if agreement_id else None,
            object_type="dashboard",
            object_id=name,
            data={"dashboard": name, "year": scope.year, "format": "xlsx", "rows": len(rows)},
        )
    return tuple(str(c) for c in board.columns), rows
