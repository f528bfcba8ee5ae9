"""Reads of the search: people found as staff type them, and the user's saved searches.

Visibility is the case list's: every hit is a case of ``visible_cases`` (the gates in
``accounts.access``: only agreements the caller's organisation is party to; a consular
mission only what is routed to it). A document number finds a case only where the caller
may read the person's documents (``agreements.sharing``, category ``documents``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case as DbCase
from django.db.models import IntegerField, Min, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from readmit.accounts.access import organisation_ids, visible_cases
from readmit.accounts.models import User
from readmit.accounts.roles import CASE_READERS
from readmit.cases.models import Case, IdentityDocument, PersonName
from readmit.cases.selectors import case_sharing
from readmit.core.errors import N_, Forbidden, NotFound
from readmit.core.sealed import DocumentNumberIndexField
from readmit.screening.matching import normalise_document
from readmit.search.keys import (
    PREFIX,
    SCRIPT,
    SOUND,
    TIERS,
    Meeting,
    Term,
    person_terms,
    query_terms,
    rank,
)
from readmit.search.models import SavedSearch, SearchTerm
from readmit.search.services import QUERY_MAX, person_names

LIMIT = 50
REFERENCE = "case reference"
EXTERNAL_ID = "sending state's id"
DOCUMENT = "identity document number"


@dataclass(frozen=True)
class SearchHit:
    """One case found, how well (score in [0, 1]) and why."""

    case: Case
    score: float
    meetings: list[Meeting] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)  # reference, document ...

    @property
    def why(self) -> list[dict[str, str]]:
        out = [{"field": what} for what in self.matched]
        out += [
            {"field": m.source, "word": m.word, "part": m.part, "how": m.how} for m in self.meetings
        ]
        return out


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[SearchHit]
    more: bool = False  # more cases matched than ``limit``


def _word_condition(word: Term, ways: Sequence[str]) -> Q:
    """The terms ``word`` meets in the ways of one tier: the database side of
    ``keys.meets``, which ranks the candidates afterwards."""
    condition = Q(folded=word.folded)
    if SOUND in ways and not word.abjad:
        condition |= Q(skeleton=word.skeleton, abjad=False)
    if SCRIPT in ways and word.consonants:
        condition |= (
            Q(consonants=word.consonants)
            if word.abjad
            else Q(consonants=word.consonants, abjad=True)
        )
    if PREFIX in ways and len(word.folded) >= 2:
        condition |= Q(folded__startswith=word.folded)
    return condition


def _word_tier(word: Term) -> Min:
    """Per person: the best tier (0 = same letters) in which ``word`` meets one of their
    terms, NULL if none: each term takes the first tier whose condition it meets."""
    return Min(
        DbCase(
            *(When(_word_condition(word, ways), then=Value(n)) for n, ways in enumerate(TIERS)),
            output_field=IntegerField(),
        )
    )


def _people_tiers(words: list[Term]) -> QuerySet[SearchTerm, dict[str, object]]:
    """``(person_id, tier)`` of every person whose terms meet every word: the terms that
    meet any word in the loosest tier, read once and grouped by person; each word's best
    tier over the person's terms (none: the person is out), and the person's tier is the
    worst of its words' best tiers."""
    best = {f"word_{n}": _word_tier(word) for n, word in enumerate(words)}
    loosest = Q()
    for word in words:
        loosest |= _word_condition(word, TIERS[-1])
    tier = Greatest(*best.values()) if len(best) > 1 else next(iter(best.values()))
    return (
        SearchTerm.objects.filter(loosest)
        .order_by()
        .values("person_id")
        .annotate(**best)
        .filter(**{f"{name}__isnull": False for name in best})
        .annotate(tier=tier)
        # Always true; but PostgreSQL cannot estimate the NULL tests above and counts
        # nearly every person in: this equality tells it few pass, so the cases are then
        # reached through their person index instead of by reading them all.
        .filter(tier__in=range(len(TIERS)))
        .values("person_id", "tier")
    )


_CANDIDATES = (
    "SELECT c.id FROM ({cases}) c INNER JOIN ({people}) p ON p.person_id = c.person_id"
    " ORDER BY p.tier, c.created_at DESC, c.id LIMIT %s"
)


def _name_candidates(
    cases: QuerySet[Case], words: list[Term], limit: int
) -> tuple[list[uuid.UUID], bool]:
    """Ids of cases whose person's names meet every word, best tier first, then newest
    case first; and whether more than ``limit`` did.

    One query for all tiers (docs/adr/0015-people-search-keys.md): the people's tiers
    (``_people_tiers``) joined to the visible cases of those people, ordered and cut in
    the database. The same cases in the same order as asking the tiers one after the other
    (exact first) and stopping once a page is full. Both inner queries are Django's own SQL
    with their parameters apart; the outer text is fixed here and portable (SQLite,
    PostgreSQL): nothing typed is spliced into it.
    """
    connection = connections[cases.db]
    visible = cases.order_by().values("id", "person_id", "created_at")
    try:
        people_sql, people_params = _people_tiers(words).query.get_compiler(cases.db).as_sql()
        cases_sql, cases_params = visible.query.get_compiler(cases.db).as_sql()
    except EmptyResultSet:  # a query Django knows matches nothing (``.none()``): no hits
        return [], False
    sql = _CANDIDATES.replace("{cases}", cases_sql).replace("{people}", people_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cases_params, *people_params, limit + 1])
        ids = [Case._meta.pk.to_python(row[0]) for row in cursor.fetchall()]
    return ids[:limit], len(ids) > limit


def _document_candidates(user: User, cases: QuerySet[Case], query: str) -> list[Case]:
    if not any(ch.isdigit() for ch in query) or len(normalise_document(query) or "") < 4:
        return []
    documents = IdentityDocument.objects.filter(DocumentNumberIndexField.lookup(query))
    found = cases.filter(person_id__in=documents.values("person_id")).select_related(
        "agreement", "person"
    )
    return [c for c in found[: LIMIT + 1] if case_sharing(user, c).shows("documents")]


def search_gate(user: User) -> None:
    """Searching reads case files: a role without them (administrator) is refused."""
    if not organisation_ids(user, roles=CASE_READERS):
        raise Forbidden(N_("Your role does not include reading case files."), type="wrong-role")


def search_people(user: User, query: str, *, limit: int = LIMIT) -> SearchResult:
    """The cases whose person ``query`` names (any script or Latin form, aliases, word order
    free), whose reference or sending state's id it is, or whose person holds a document
    with that number: best first, each with why it matched. ``Forbidden`` for a role that
    reads no case files."""
    search_gate(user)
    query = (query or "").strip()[:QUERY_MAX]
    if not query:
        return SearchResult(query="", hits=[])
    cases = visible_cases(user)
    scored: dict[uuid.UUID, tuple[float, list[str]]] = {}

    def note(case_id: uuid.UUID, score: float, what: str) -> None:
        best, matched = scored.get(case_id, (0.0, []))
        scored[case_id] = (max(best, score), [*matched, what])

    if any(ch.isdigit() for ch in query):  # references, ids and numbers have digits
        # References are written in capitals; both columns are indexed, so exact matches.
        compact = "".join(query.split())
        by_id = cases.filter(Q(reference=compact.upper()) | Q(external_id=query))
        for case in by_id.only("id", "reference"):
            note(case.id, 1.0, REFERENCE if case.reference == compact.upper() else EXTERNAL_ID)
        for case in _document_candidates(user, cases, query):
            note(case.id, 1.0, DOCUMENT)

    words = query_terms(query)
    name_ids, more = _name_candidates(cases, words, limit) if words else ([], False)
    wanted = set(name_ids) | set(scored)
    loaded = Case.objects.filter(id__in=wanted).select_related("agreement", "person")
    loaded = loaded.prefetch_related(
        Prefetch("person__other_names", queryset=PersonName.objects.order_by("created_at", "id"))
    )
    hits: list[SearchHit] = []
    for case in loaded:
        best, matched = scored.get(case.id, (0.0, []))
        meetings: list[Meeting] = []
        if case.id in name_ids:
            parts = person_terms(person_names(case.person, case.person.other_names.all()))
            name_score, meetings = rank(words, parts)
            best = max(best, name_score)
        if best > 0:
            hits.append(
                SearchHit(case=case, score=round(best, 3), meetings=meetings, matched=matched)
            )
    hits.sort(key=lambda h: (-h.score, h.case.reference))
    return SearchResult(query=query, hits=hits[:limit], more=more or len(hits) > limit)


def saved_searches(user: User) -> QuerySet[SavedSearch]:
    """The user's own saved searches, by name."""
    return SavedSearch.objects.filter(user=user).order_by("name")


def access_saved_search(user: User, saved_search_id: uuid.UUID | str) -> SavedSearch:
    """One of the user's saved searches; another user's answers exactly like none."""
    try:
        pk = uuid.UUID(str(saved_search_id))
    except ValueError:
        raise NotFound(N_("No such saved search.")) from None
    saved = saved_searches(user).filter(id=pk).first()
    if saved is None:
        raise NotFound(N_("No such saved search."))
    return saved
