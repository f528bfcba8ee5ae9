"""Exports of what a user can already see: CSV and XLSX for a spreadsheet, PDF to print.

Reads go through the case selectors (so through the gates); every export is audited, since
it moves personal data out of the system. The people another organisation recorded are
exported without their personal data where the agreement says onward sharing needs that
organisation's consent (``data_sharing.onward_sharing_needs_consent``). Cells that a
spreadsheet would run as a formula are neutralised (OWASP "CSV injection"), in CSV and
XLSX alike. The three formats carry the same rows: one read, one audit row naming the format.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from readmit.accounts.access import organisation_ids
from readmit.accounts.models import User
from readmit.accounts.roles import CASE_READERS
from readmit.agreements.sharing import SharingPolicy, sharing_policy
from readmit.agreements.terms import AgreementTerms
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.models import Case, Deadline
from readmit.cases.selectors import case_list
from readmit.core.dbrouting import report_reads
from readmit.core.errors import N_, Forbidden, ValidationFailed

COLUMNS = (
    "reference",
    "external_id",
    "agreement",
    "kind",
    "state",
    "legal_hold",
    "family_name",
    "given_names",
    "family_name_latin",
    "given_names_latin",
    "birth_date",
    "sex",
    "nationalities",
    "next_deadline",
    "next_deadline_due_on",
    "opened_at",
    "personal_data",
)
PERSONAL_COLUMNS = frozenset(
    {
        "family_name",
        "given_names",
        "family_name_latin",
        "given_names_latin",
        "birth_date",
        "sex",
        "nationalities",
    }
)
WITHHELD = "withheld: onward sharing needs the consent of the organisation that recorded it"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The text of a cell, with a leading apostrophe where a spreadsheet would see a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _row(case: Case, sharing: SharingPolicy) -> list[str]:
    """One case; the person's data only if the exporter may pass it on (``sharing``)."""
    person = case.person
    deadlines = [d for d in case.deadlines.all() if d.is_open]
    nearest = min(deadlines, key=lambda d: d.due_on, default=None)
    values: list[Any] = [
        case.reference,
        case.external_id,
        case.agreement.reference,
        case.kind,
        case.state,
        "yes" if case.legal_hold else "no",
        person.family_name,
        person.given_names,
        person.family_name_latin,
        person.given_names_latin,
        person.birth_date_display if person.birth_year else "",
        person.sex,
        ";".join(sorted(c.code for c in person.nationalities.all())),
        nearest.label if nearest else "",
        nearest.due_on.isoformat() if nearest else "",
        case.created_at.date().isoformat(),
        "exported" if sharing.may_pass_on else WITHHELD,
    ]
    if not sharing.may_pass_on:
        values = ["" if c in PERSONAL_COLUMNS else v for c, v in zip(COLUMNS, values, strict=True)]
    return [safe_cell(v) for v in values]


def csv_lines(rows: Iterable[list[str]], columns: Iterable[str] = COLUMNS) -> Iterator[str]:
    """CSV text of the rows under a header, a line at a time (cells already neutralised)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(columns))
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


EXPORT_FORMATS = ("csv", "xlsx", "pdf")


def cases_export(*, user: User, filters: dict[str, Any]) -> tuple[int, Iterator[str]]:
    """The user's filtered case list as CSV lines, and how many cases it holds; audited."""
    rows = cases_export_rows(user=user, filters=filters, fmt="csv")
    return len(rows), csv_lines(rows)


# A PDF is printed on one machine in one request: a longer list is refused (narrow the
# filters, or export XLSX or CSV), rather than tying up a worker for minutes.
PDF_MAX_ROWS = 2000


def cases_export_rows(*, user: User, filters: dict[str, Any], fmt: str) -> list[list[str]]:
    """The user's filtered case list as rows of ``COLUMNS``; audited with the format.

    The rows are read before the audit row is written, in one transaction, so the count in
    the log is the count that left (a refused PDF writes nothing).
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if not organisation_ids(user, roles=CASE_READERS):
        raise Forbidden(
            N_(
                "Exports are for caseworkers, supervisors, liaison officers and auditors; "
                "administrators manage users, not cases."
            ),
            type="wrong-role",
        )
    cases = (
        case_list(user, **filters)
        .select_related("agreement", "person")
        .prefetch_related(
            "person__nationalities",
            Prefetch("deadlines", queryset=Deadline.objects.order_by("due_on")),
        )
        .order_by("agreement__reference", "reference")
    )
    mine = organisation_ids(user)
    terms: dict[object, AgreementTerms] = {}
    with transaction.atomic():
        rows = []
        withheld = 0
        with report_reads():  # the rows from the replica if there is one; the audit row
            # below is written on the primary (readmit/core/dbrouting.py)
            report = list(cases)
        for case in report:
            if case.agreement_id not in terms:
                terms[case.agreement_id] = case.agreement.parsed_terms
            sharing = sharing_policy(
                terms[case.agreement_id], is_owner=case.person.owner_id in mine
            )
            withheld += not sharing.may_pass_on
            rows.append(_row(case, sharing))
        if fmt == "pdf" and len(rows) > PDF_MAX_ROWS:
            raise ValidationFailed(
                N_(
                    "A PDF holds at most %(limit)s cases; these filters give %(count)s. "
                    "Narrow the filters, or export XLSX or CSV."
                ),
                params={"limit": PDF_MAX_ROWS, "count": len(rows)},
                errors=[{"loc": ["format"], "msg": f"at most {PDF_MAX_ROWS} rows in a PDF"}],
            )
        orgs = sorted(mine, key=str)
        audit_record(
            event_type=AuditEventType.CASES_EXPORTED,
            acting_user=user,
            organisation_id=orgs[0] if orgs else None,
            object_type="case_list",
            data={
                "filters": {k: str(v) for k, v in filters.items() if v},
                "format": fmt,
                "rows": len(rows),
                "personal_data_withheld": withheld,
            },
        )
    return rows


def rows_xlsx(
    rows: Iterable[list[str]], *, columns: Sequence[str] = COLUMNS, sheet: str = "cases"
) -> bytes:
    """An XLSX workbook of the rows under ``columns`` (cells as text, formulas neutralised
    by ``safe_cell`` already); a dashboard passes its own columns and sheet name."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    page = book.create_sheet(sheet)
    page.append(list(columns))
    for row in rows:
        page.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
