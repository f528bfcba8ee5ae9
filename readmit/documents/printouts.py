"""Printouts of personal data: the case summary and the case list as PDF.

Each is marked with who printed it, when, and the data-protection notice, and is audited:
the summary with ``CASE_SUMMARY_PRINTED`` (and, for another organisation's person, a
personal-data read on channel ``print``); the list as an export (``CASES_EXPORTED``, format
``pdf``, ``readmit.reporting.exports``). What the printer may read of the person is what the
page shows them (``readmit.agreements.sharing``).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readmit.accounts.access import access_case, standing
from readmit.accounts.models import User
from readmit.accounts.roles import CASE_WRITERS
from readmit.audit.events import AuditEventType
from readmit.audit.reads import personal_data_read
from readmit.audit.services import audit_record
from readmit.cases.models import Case
from readmit.core.errors import N_, Forbidden
from readmit.documents import fonts
from readmit.documents.render import FAMILIES

DATA_PROTECTION_NOTICE = gettext_lazy(
    "Personal data. Printed for the case work of the organisation named above only; keep it "
    "locked away, do not copy or pass it on beyond what the agreement allows, and destroy it "
    "when it is no longer needed. Every printout is recorded in the audit log."
)


def printed_mark(user: User, at: dt.datetime) -> str:
    """``Printed by <user> on <time> UTC``, the line every printout carries."""
    return _("Printed by %(user)s on %(at)s UTC") % {
        "user": user.username,
        "at": at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"),
    }


def case_summary_print(*, user: User, case_id: str) -> Case:
    """The case to print, after the gates: a non-party gets NotFound, a reader without a
    caseworker's, supervisor's or liaison officer's role Forbidden. Audited."""
    case = access_case(user, case_id)
    position = standing(user, case.agreement)
    if position.organisation_id is None or not position.roles & CASE_WRITERS:
        raise Forbidden(
            N_(
                "Only caseworkers, supervisors and liaison officers of a party print a case "
                "summary; auditors read the case on screen."
            ),
            type="wrong-role",
        )
    with transaction.atomic():
        audit_record(
            event_type=AuditEventType.CASE_SUMMARY_PRINTED,
            acting_user=user,
            organisation_id=position.organisation_id,
            agreement_id=case.agreement_id,
            case_id=case.id,
            object_type="case",
            object_id=str(case.id),
            data={"channel": "print"},
        )
        personal_data_read(user=user, cases=[case], channel="print")
    return case


def cases_pdf(
    *, columns: Sequence[str], rows: Sequence[Sequence[str]], user: User, at: dt.datetime
) -> bytes:
    """The exported rows as a landscape PDF table, with the printed-by line and the notice."""
    head = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in columns)
    body = "\n".join(
        "<tr>" + "".join(f'<td dir="auto">{html.escape(v)}</td>' for v in row) + "</tr>"
        for row in rows
    )
    mark = printed_mark(user, at)
    notice = str(DATA_PROTECTION_NOTICE)
    title = _("Cases")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title><style>
{fonts.font_face_css()}
@page {{ size: A4 landscape; margin: 10mm;
  @bottom-left {{ content: "{html.escape(mark)}"; font-size: 7pt; }}
  @bottom-right {{ content: counter(page) " / " counter(pages); font-size: 7pt; }} }}
body {{ font-family: {FAMILIES}; font-size: 7pt; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 0.5pt solid #999; padding: 1mm; text-align: start; vertical-align: top; }}
.notice {{ font-size: 8pt; border: 1pt solid #000; padding: 2mm; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(mark)}</p>
<p class="notice">{html.escape(notice)}</p>
<table><thead><tr>{head}</tr></thead><tbody>
{body}
</tbody></table>
</body></html>"""
    texts = [mark, notice, title, *columns, *(v for row in rows for v in row)]
    return fonts.write_pdf(page, texts)
