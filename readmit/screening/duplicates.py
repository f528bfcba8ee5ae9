"""Duplicate people: finding them, and a reviewer's decision to merge or keep them apart.

* The same identity document (type, normalised number, issuing country) on two records is a
  **certain** duplicate; a similar name (scored by the matching core) with a compatible
  birth date is a **possible** one. Both only go to review: nothing merges by itself.
* Detection looks only at the people the caller can see (``visible_people``).
* A merge records that one person is another; both rows and all their cases stay, so both
  histories remain readable, and ``selectors.person_survivor`` resolves the merged record.
  Two records owned by different organisations are never merged: each state keeps its own.
"""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from readmit.accounts.access import access_agreement, organisation_ids, roles_in, visible_people
from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.models import IdentityDocument, Person
from readmit.core import clock
from readmit.core.errors import (
    N_,
    Forbidden,
    NotFound,
    Term,
    TransitionRefused,
    ValidationFailed,
)
from readmit.screening import adapter
from readmit.screening.models import (
    DuplicateCandidate,
    DuplicateKind,
    DuplicateStatus,
    PersonMerge,
)
from readmit.screening.selectors import access_duplicate

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from readmit.accounts.models import Organisation, User
    from readmit.agreements.models import Agreement

DUPLICATE_FINDERS = frozenset({Role.CASEWORKER, Role.SUPERVISOR})
DUPLICATE_THRESHOLD = 0.85


def _pair(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (a, b) if str(a) < str(b) else (b, a)


def _scope(
    acting_user: User, organisation: Organisation | None, agreement: Agreement | None
) -> QuerySet[Person]:
    if not organisation_ids(acting_user, roles=DUPLICATE_FINDERS):
        raise Forbidden(N_("Only caseworkers and supervisors look for duplicate people."))
    people = visible_people(acting_user).filter(merged_into__isnull=True)
    if organisation is not None:
        if organisation.id not in organisation_ids(acting_user):
            raise NotFound(N_("No such organisation."))
        people = people.filter(owner=organisation)
    if agreement is not None:
        agreement = access_agreement(acting_user, agreement.id)
        people = people.filter(cases__agreement=agreement)
    return Person.objects.filter(id__in=people.values("id"))


def _certain_pairs(people: QuerySet[Person]) -> dict[tuple[uuid.UUID, uuid.UUID], str]:
    """Pairs holding the same document (type, number, issuing country), grouped by the
    numbers' blind index: only the numbers of documents found twice are decrypted."""
    groups: dict[tuple[str, str, str], set[uuid.UUID]] = defaultdict(set)
    first: dict[tuple[str, str, str], uuid.UUID] = {}
    documents = (
        IdentityDocument.objects.filter(person__in=people, flagged_false=False)
        .exclude(number_index="")
        .values_list("id", "person_id", "type", "number_index", "issuing_country_id")
    )
    for doc_id, person_id, kind, index, country in documents:
        groups[(kind, index, country)].add(person_id)
        first.setdefault((kind, index, country), doc_id)
    shared = {key: members for key, members in groups.items() if len(members) > 1}
    numbers = {
        d.id: adapter.normalise_document(d.number)
        for d in IdentityDocument.objects.filter(id__in=[first[k] for k in shared])
    }
    found: dict[tuple[uuid.UUID, uuid.UUID], str] = {}
    for key, members in shared.items():
        kind, _, country = key
        number = numbers[first[key]]
        for a, b in itertools.combinations(sorted(members, key=str), 2):
            found.setdefault(_pair(a, b), f"same {kind.replace('_', ' ')} {number} ({country})")
    return found


def _possible_pairs(
    people: QuerySet[Person], threshold: float
) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[float, str]]:
    rows = list(people.prefetch_related("other_names", "nationalities", "documents"))
    by_id = {str(p.id): p for p in rows}
    records = {str(p.id): adapter.person_records(p) for p in rows}
    index = adapter.build_index(r for rs in records.values() for r in rs)
    found: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, str]] = {}
    for person in rows:
        for hit in adapter.query(index, records[str(person.id)], threshold=threshold):
            other = by_id[hit.target_id]
            if other.id != person.id:
                _keep_possible(found, person, other, hit)
    return found


def _keep_possible(
    found: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, str]],
    person: Person,
    other: Person,
    hit: adapter.Found,
) -> None:
    """Keep the pair's best score, when the two birth dates are compatible."""
    birth_a, birth_b = adapter.person_birth_date(person), adapter.person_birth_date(other)
    if not adapter.birth_dates_compatible(birth_a, birth_b):
        return
    key = _pair(person.id, other.id)
    if key not in found or hit.score > found[key][0]:
        found[key] = (hit.score, hit.explanation)


def _candidates_record(
    *,
    acting_user: User,
    people: QuerySet[Person],
    certain: dict[tuple[uuid.UUID, uuid.UUID], str],
    possible: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, str]],
    organisation: Organisation | None,
    agreement: Agreement | None,
    person: Person | None = None,
) -> list[DuplicateCandidate]:
    """Record the pairs found that are not candidates yet (a pair already decided is not
    proposed again), audited with the counts only (never names)."""
    existing = set(
        DuplicateCandidate.objects.filter(
            Q(person_a__in=people) | Q(person_b__in=people)
        ).values_list("person_a_id", "person_b_id")
    )
    existing |= {(b, a) for a, b in existing}
    new: list[DuplicateCandidate] = []
    for key in sorted(set(certain) | set(possible), key=lambda k: (str(k[0]), str(k[1]))):
        if key in existing:
            continue
        score, explanation = possible.get(key, (1.0, ""))
        if key in certain:
            evidence = certain[key] + (f"; names: {explanation}" if explanation else "")
            kind, score = DuplicateKind.CERTAIN, 1.0
        else:
            evidence, kind = explanation, DuplicateKind.POSSIBLE
        new.append(
            DuplicateCandidate(
                person_a_id=key[0],
                person_b_id=key[1],
                kind=kind,
                evidence=evidence[:2000],
                score=round(score, 4),
                found_by=acting_user,
            )
        )
    data: dict[str, object] = {
        "certain": sum(c.kind == DuplicateKind.CERTAIN for c in new),
        "possible": sum(c.kind == DuplicateKind.POSSIBLE for c in new),
        "people": people.count(),
    }
    if person is not None:
        data["person"] = str(person.id)
    with transaction.atomic():
        DuplicateCandidate.objects.bulk_create(new)
        audit_record(
            event_type=AuditEventType.DUPLICATES_FOUND,
            acting_user=acting_user,
            organisation_id=organisation.id if organisation is not None else None,
            agreement_id=agreement.id if agreement is not None else None,
            object_type="duplicate_candidate",
            data=data,
        )
    return new


def duplicates_find(
    *,
    acting_user: User,
    organisation: Organisation | None = None,
    agreement: Agreement | None = None,
    threshold: float = DUPLICATE_THRESHOLD,
) -> list[DuplicateCandidate]:
    """Record new duplicate candidates among the people the caller can see; merge nothing."""
    people = _scope(acting_user, organisation, agreement)
    return _candidates_record(
        acting_user=acting_user,
        people=people,
        certain=_certain_pairs(people),
        possible=_possible_pairs(people, threshold),
        organisation=organisation,
        agreement=agreement,
    )


def _certain_pairs_of(
    person: Person, people: QuerySet[Person]
) -> dict[tuple[uuid.UUID, uuid.UUID], str]:
    """The pairs of ``person`` with anyone in ``people`` holding one of its documents (by
    the numbers' blind index; only the person's own numbers are decrypted)."""
    mine = {
        (d.type, d.number_index, d.issuing_country_id): d
        for d in IdentityDocument.objects.filter(person=person, flagged_false=False).exclude(
            number_index=""
        )
    }
    if not mine:
        return {}
    same = Q()
    for kind, index, country in mine:
        same |= Q(type=kind, number_index=index, issuing_country_id=country)
    found: dict[tuple[uuid.UUID, uuid.UUID], str] = {}
    others = (
        IdentityDocument.objects.filter(same, person__in=people, flagged_false=False)
        .exclude(person=person)
        .order_by("person_id", "type", "issuing_country_id")
        .values_list("person_id", "type", "number_index", "issuing_country_id")
    )
    for other_id, kind, index, country in others:
        number = adapter.normalise_document(mine[(kind, index, country)].number)
        found.setdefault(
            _pair(person.id, other_id), f"same {kind.replace('_', ' ')} {number} ({country})"
        )
    return found


def _possible_pairs_of(
    person: Person, people: QuerySet[Person], threshold: float
) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[float, str]]:
    """The pairs of ``person`` with a similar name and a compatible birth date, scored both
    ways as the full finder scores them (its names against theirs, theirs against its)."""
    others = list(
        people.exclude(id=person.id).prefetch_related("other_names", "nationalities", "documents")
    )
    by_id = {str(p.id): p for p in others}
    mine = adapter.person_records(person)
    theirs = {str(p.id): adapter.person_records(p) for p in others}
    hits = adapter.query(
        adapter.build_index(r for rs in theirs.values() for r in rs), mine, threshold=threshold
    )
    own_index = adapter.build_index(mine)
    for other_id, records in theirs.items():
        hits += [
            adapter.Found(other_id, h.score, h.explanation, h.matched_name)
            for h in adapter.query(own_index, records, threshold=threshold)
        ]
    found: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, str]] = {}
    for hit in hits:
        _keep_possible(found, person, by_id[hit.target_id], hit)
    return found


def duplicates_find_for_person(
    *,
    person: Person | uuid.UUID | str,
    acting_user: User,
    threshold: float = DUPLICATE_THRESHOLD,
) -> list[DuplicateCandidate]:
    """The duplicate finder again for one person whose names, birth date, nationalities or
    documents changed (``readmit.cases.people``): only the pairs this person is part of,
    among the people of its owner the caller can see, compared as ``duplicates_find`` over
    that organisation compares them. Merges nothing; a pair already proposed or decided
    is not proposed again. A merged person is not compared (its survivor stands for it)."""
    person_id = person.id if isinstance(person, Person) else person
    found = (
        Person.objects.select_related("owner")
        .prefetch_related("other_names", "nationalities", "documents")
        .filter(id=person_id)
        .first()
    )
    if found is None:
        raise NotFound(N_("No such person."))
    people = _scope(acting_user, found.owner, None)
    if not people.filter(id=found.id).exists():
        return []
    return _candidates_record(
        acting_user=acting_user,
        people=people,
        certain=_certain_pairs_of(found, people),
        possible=_possible_pairs_of(found, people, threshold),
        organisation=found.owner,
        agreement=None,
        person=found,
    )


def _decider_check(acting_user: User, candidate: DuplicateCandidate) -> None:
    a, b = candidate.person_a, candidate.person_b
    if a.owner_id != b.owner_id:
        raise TransitionRefused(
            N_(
                "These two records belong to different organisations (%(first)s and "
                "%(second)s); records are never merged across organisations. Each organisation "
                "keeps its own record; mark them as the same person in each organisation's own "
                "review instead."
            ),
            params={"first": str(a.owner), "second": str(b.owner)},
            rule="cross-organisation-merge",
        )
    if not roles_in(acting_user, a.owner_id) & DUPLICATE_FINDERS:
        raise Forbidden(
            N_(
                "Only caseworkers and supervisors of the organisation that recorded "
                "both people decide on a duplicate."
            )
        )


def person_merge(
    *,
    candidate: DuplicateCandidate | uuid.UUID | str,
    acting_user: User,
    reason: str,
    survivor: Person | None = None,
) -> PersonMerge:
    """Record that the two people are one. Both rows and all their cases stay as they are."""
    candidate_id = candidate.id if isinstance(candidate, DuplicateCandidate) else candidate
    with transaction.atomic():
        locked = access_duplicate(acting_user, candidate_id, for_update=True)
        if locked.status != DuplicateStatus.OPEN:
            raise TransitionRefused(
                N_("This candidate was already decided (%(status)s)."),
                params={"status": Term(locked.status)},
                rule="already-decided",
            )
        _decider_check(acting_user, locked)
        cleaned = reason.strip()
        if not cleaned:
            raise ValidationFailed(
                N_("A reason is required."),
                errors=[{"loc": ["reason"], "msg": N_("a reason is required")}],
            )
        a, b = locked.person_a, locked.person_b
        if survivor is None:
            # The record made first survives: it is the one other records already cite.
            a_first = (a.created_at, str(a.id)) <= (b.created_at, str(b.id))
            keep, gone = (a, b) if a_first else (b, a)
        elif survivor.id in (a.id, b.id):
            keep, gone = (a, b) if survivor.id == a.id else (b, a)
        else:
            raise ValidationFailed(
                N_("The survivor must be one of the two people."),
                errors=[{"loc": ["survivor"], "msg": N_("not in this pair")}],
            )
        if PersonMerge.objects.filter(merged__in=[a, b]).exists():
            raise TransitionRefused(
                N_("One of these people was already merged into another."), rule="already-merged"
            )
        now = clock.now()
        merge = PersonMerge.objects.create(
            survivor=keep,
            merged=gone,
            candidate=locked,
            decided_by=acting_user,
            reason=cleaned,
            at=now,
        )
        locked.status = DuplicateStatus.MERGED
        locked.decided_by = acting_user
        locked.decided_at = now
        locked.reason = cleaned
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
        audit_record(
            event_type=AuditEventType.PERSON_MERGED,
            acting_user=acting_user,
            organisation_id=keep.owner_id,
            object_type="person",
            object_id=str(gone.id),
            data={
                "survivor": str(keep.id),
                "merged": str(gone.id),
                "kind": locked.kind,
                "evidence": locked.evidence,
                "reason": cleaned,
            },
        )
    return merge


def duplicate_mark_distinct(
    *, candidate: DuplicateCandidate | uuid.UUID | str, acting_user: User, reason: str
) -> DuplicateCandidate:
    """Two different people after all; the pair is not proposed again."""
    candidate_id = candidate.id if isinstance(candidate, DuplicateCandidate) else candidate
    with transaction.atomic():
        locked = access_duplicate(acting_user, candidate_id, for_update=True)
        if locked.status != DuplicateStatus.OPEN:
            raise TransitionRefused(
                N_("This candidate was already decided (%(status)s)."),
                params={"status": Term(locked.status)},
                rule="already-decided",
            )
        people_orgs = {locked.person_a.owner_id, locked.person_b.owner_id}
        if not any(roles_in(acting_user, org) & DUPLICATE_FINDERS for org in people_orgs):
            raise Forbidden(
                N_(
                    "Only caseworkers and supervisors of an organisation that recorded "
                    "one of the people decide on a duplicate."
                )
            )
        cleaned = reason.strip()
        if not cleaned:
            raise ValidationFailed(
                N_("A reason is required."),
                errors=[{"loc": ["reason"], "msg": N_("a reason is required")}],
            )
        locked.status = DuplicateStatus.DISTINCT
        locked.decided_by = acting_user
        locked.decided_at = clock.now()
        locked.reason = cleaned
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
        audit_record(
            event_type=AuditEventType.DUPLICATE_DISTINCT,
            acting_user=acting_user,
            object_type="duplicate_candidate",
            object_id=str(locked.id),
            data={
                "person_a": str(locked.person_a_id),
                "person_b": str(locked.person_b_id),
                "reason": cleaned,
            },
        )
    return locked
