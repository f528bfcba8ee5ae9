"""The retention purge: personal data of closed cases is anonymised after ``retention_days``.

``data_sharing.retention_days`` of an agreement counts from a case's closure. A person is
anonymised when every case they have is closed, each longer ago than its agreement's
retention period, and none is under a legal hold (the ``legal_hold`` flag or an open
``LegalHold``): a hold keeps the file intact for the court. Anonymising keeps the records
and their ids (cases, deadlines, transitions, statistics) and removes what identifies the
person: names, birth date and place, sex, nationalities, languages, criminal data,
vulnerabilities, other names, identity documents, attachments (the files too), the sending
state's external id, and the names quoted by screening matches and duplicate candidates.

The audit log is never rewritten: its rows keep their ids and hashes, so ``readmit audit
verify`` still passes. What personal data older rows hold is listed in docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.models import Case, Person, Sex
from readmit.core import clock
from readmit.core.actors import SystemActor
from readmit.search.services import search_terms_refresh

ANONYMISED_NAME = "Anonymised"


@dataclass
class PurgeResult:
    anonymised: list[uuid.UUID] = field(default_factory=list)  # people
    held: list[uuid.UUID] = field(default_factory=list)  # people kept: a case is on hold


def _due(case: Case, now: dt.datetime) -> bool:
    """Closed longer ago than its agreement's retention period."""
    if case.closed_at is None:
        return False
    days = case.agreement.parsed_terms.data_sharing.retention_days
    return case.closed_at + dt.timedelta(days=days) <= now


def _on_hold(case: Case) -> bool:
    return case.legal_hold or case.legal_holds.filter(lifted_at__isnull=True).exists()


def retention_candidates(now: dt.datetime) -> tuple[list[Person], list[Person]]:
    """People whose every case is due for the purge: (to anonymise, kept for a hold)."""
    people = (
        Person.objects.filter(anonymised_at__isnull=True, cases__closed_at__isnull=False)
        .exclude(cases__closed_at__isnull=True)  # an open case keeps the person
        .distinct()
        .order_by("id")  # a run taken up again goes through them in the same order
        .prefetch_related("cases__agreement")
    )
    due: list[Person] = []
    held: list[Person] = []
    for person in people:
        cases = list(person.cases.all())
        if all(_due(c, now) for c in cases):
            (held if any(_on_hold(c) for c in cases) else due).append(person)
    return due, held


def _duplicate_evidence_clear(person: Person) -> int:
    """Duplicate candidates quote both people's names and documents as evidence."""
    from readmit.screening.models import DuplicateCandidate  # screening builds on cases

    pairs = DuplicateCandidate.objects.filter(Q(person_a=person) | Q(person_b=person))
    return pairs.exclude(evidence="").update(evidence="")


def person_anonymise(person: Person, *, at: dt.datetime) -> dict[str, int] | None:
    """Remove what identifies the person; keep the record, its id and its cases. Audited.

    None, and nothing written, when the person was anonymised meanwhile (read under the
    lock): a purge run again after its worker died half-way skips who it already did."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(id=person.id)
        if person.anonymised_at is not None:
            return None
        cases = Case.objects.filter(person=person)
        removed = {
            "other_names": person.other_names.all().delete()[0],
            "documents": person.documents.all().delete()[0],
            "attachments": 0,
            "screening_matches": 0,
        }
        for case in cases:
            for attachment in case.attachments.all():
                attachment.file.delete(save=False)
                attachment.delete()
                removed["attachments"] += 1
            matches = getattr(case, "screening_matches", None)
            if matches is not None:
                removed["screening_matches"] += matches.filter(
                    ~Q(matched_name="") | ~Q(explanation="")
                ).update(matched_name="", explanation="")
        removed["duplicate_evidence"] = _duplicate_evidence_clear(person)
        cases.exclude(external_id="").update(external_id="")
        person.given_names = person.given_names_latin = person.family_name_latin = ""
        person.family_name = ANONYMISED_NAME
        person.birth_year = person.birth_month = person.birth_day = None
        person.place_of_birth = ""
        person.sex = Sex.UNKNOWN
        person.languages, person.convictions, person.vulnerabilities = [], [], []
        person.pending_criminal_case = None
        person.anonymised_at = at
        person.save()
        person.nationalities.clear()
        search_terms_refresh(person_ids=[person.id])  # an anonymised person has no keys
        audit_record(
            event_type=AuditEventType.PERSONAL_DATA_PURGED,
            acting_user=SystemActor("retention sweep"),
            organisation_id=person.owner_id,
            object_type="person",
            object_id=str(person.id),
            data={"cases": sorted(str(c) for c in cases.values_list("id", flat=True)), **removed},
        )
    return removed


def retention_purge(*, now: dt.datetime | None = None) -> PurgeResult:
    """Anonymise every person whose cases have all passed their retention period, except
    under a legal hold. Run daily by ``readmit sweep``; running it twice does nothing twice."""
    now = now or clock.now()
    due, held = retention_candidates(now)
    result = PurgeResult(held=[p.id for p in held])
    for person in due:
        if person_anonymise(person, at=now) is not None:
            result.anonymised.append(person.id)
    return result
