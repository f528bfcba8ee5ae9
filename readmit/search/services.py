"""Writes of the search: people's search keys kept in step with their names, saved searches.

``search_terms_refresh`` is called in the same transaction as every write that creates a
person or changes their names (``cases.services.person_create``, ``cases.people``, the
bulk list import, the retention purge), so a search never misses a name just recorded.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from readmit.accounts.models import User
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.models import Person, PersonName
from readmit.core.bulkinsert import maker, rows_insert
from readmit.core.errors import N_, ValidationFailed
from readmit.search.keys import LATIN, PRIMARY, person_terms
from readmit.search.models import SavedSearch, SearchTerm

NAME_MAX = 80
QUERY_MAX = 200
REFRESH_CHUNK = 2000


def person_names(person: Person, other_names: Iterable[PersonName]) -> list[tuple[str, str]]:
    """A person's names as ``(source, full name)``: as written, in Latin, and every other name
    (alias, former, at birth, in another script). An anonymised person has none."""
    if person.anonymised_at is not None:
        return []
    names = [
        (PRIMARY, f"{person.given_names} {person.family_name}"),
        (LATIN, f"{person.given_names_latin} {person.family_name_latin}"),
    ]
    names += [(n.kind, f"{n.given_names} {n.family_name}") for n in other_names]
    return [(source, name) for source, name in names if name.strip()]


def _terms_rows(people: Iterable[Person]) -> Iterator[SearchTerm]:
    for person in people:
        yield from _person_term_rows(person, person.other_names.all(), SearchTerm)


def _person_term_rows(
    person: Person, other_names: Iterable[PersonName], new: Callable[..., SearchTerm]
) -> Iterator[SearchTerm]:
    for term in person_terms(person_names(person, other_names)):
        yield new(
            person_id=person.id,
            folded=term.folded,
            skeleton=term.skeleton,
            consonants=term.consonants,
            abjad=term.abjad,
            source=term.source,
        )


def search_terms_refresh(*, person_ids: Sequence[uuid.UUID]) -> int:
    """Write the search keys of these people afresh from their names; answers the rows
    written. Runs inside the caller's transaction (or its own)."""
    written = 0
    with transaction.atomic():
        for start in range(0, len(person_ids), REFRESH_CHUNK):
            chunk = list(person_ids[start : start + REFRESH_CHUNK])
            SearchTerm.objects.filter(person_id__in=chunk).delete()
            people = Person.objects.filter(id__in=chunk).prefetch_related(
                Prefetch("other_names", queryset=PersonName.objects.order_by("created_at", "id"))
            )
            rows = list(_terms_rows(people))
            SearchTerm.objects.bulk_create(rows, batch_size=REFRESH_CHUNK)
            written += len(rows)
    return written


def search_terms_of_new_people(people: Sequence[Person]) -> int:
    """Write the search keys of people just created in this transaction (the bulk list
    import): what ``search_terms_refresh`` writes for them (they have no other names yet,
    hence no keys to delete), from the instances in hand instead of reading them back, in
    one ``COPY``. Answers the rows written."""
    new_term = maker(SearchTerm)
    rows = [row for person in people for row in _person_term_rows(person, (), new_term)]
    return rows_insert(SearchTerm, rows)


def search_terms_rebuild() -> int:
    """Rebuild every person's search keys (``manage.py search_rebuild``); answers the rows."""
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        return search_terms_refresh(person_ids=ids)


# A saved search's text fields, each refusal one whole sentence: (required, too long).
_TEXT_REFUSALS = {
    "name": (
        N_("The name is required."),
        N_("The name is longer than %(limit)s characters."),
    ),
    "query": (
        N_("The query is required."),
        N_("The query is longer than %(limit)s characters."),
    ),
}


def _text(value: str, field: str, limit: int) -> str:
    required, too_long = _TEXT_REFUSALS[field]
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(required, errors=[{"loc": [field], "msg": N_("is required")}])
    if len(text) > limit:
        raise ValidationFailed(
            too_long,
            params={"limit": limit},
            errors=[{"loc": [field], "msg": f"at most {limit} characters"}],
        )
    return text


def saved_search_create(*, acting_user: User, name: str, query: str) -> SavedSearch:
    """Keep ``query`` under ``name`` for ``acting_user``; a name is used once per user."""
    name = _text(name, "name", NAME_MAX)
    query = _text(query, "query", QUERY_MAX)
    try:
        with transaction.atomic():
            saved = SavedSearch.objects.create(user=acting_user, name=name, query=query)
            audit_record(
                event_type=AuditEventType.SAVED_SEARCH_CREATED,
                acting_user=acting_user,
                object_type="saved_search",
                object_id=str(saved.id),
                # The query may be a name: the audit log outlives the retention purge.
                data={},
            )
    except IntegrityError:
        raise ValidationFailed(
            N_("You already have a saved search named '%(name)s'."),
            params={"name": name},
            errors=[{"loc": ["name"], "msg": N_("already used by one of your saved searches")}],
        ) from None
    return saved


def saved_search_delete(*, acting_user: User, saved_search_id: uuid.UUID | str) -> None:
    """Delete one of the user's saved searches; another user's answers ``NotFound``."""
    from readmit.search.selectors import access_saved_search

    with transaction.atomic():
        saved = access_saved_search(acting_user, saved_search_id)
        pk = saved.id
        saved.delete()
        audit_record(
            event_type=AuditEventType.SAVED_SEARCH_DELETED,
            acting_user=acting_user,
            object_type="saved_search",
            object_id=str(pk),
            data={},
        )
