"""``GET /search?q=``: people found as staff type them, with the case list's visibility.

Thin over ``readmit.search.selectors.search_people``: names in any script or Latin form,
aliases, case references, the sending state's ids and document numbers (the last only
where the caller may read the person's documents)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.params.functions import Query

from readmit.audit.reads import personal_data_read
from readmit.exchange.auth import caller
from readmit.exchange.schemas import Problem, UuidStr
from readmit.search.selectors import search_people
from readmit.search.services import QUERY_MAX

router = Router(tags=["search"])

Q_QUERY = Query(
    ...,
    min_length=1,
    max_length=QUERY_MAX,
    description="What was typed: a name (any script, any order), an alias, a case reference "
    "or a document number.",
)


class WhyOut(Schema):
    field: str = Field(
        description="What matched: `name`, `latin`, an other name's kind (`alias`, `former`, "
        "`birth`, `script`), `case reference`, `sending state's id` or `identity document number`."
    )
    word: str | None = Field(None, description="The word typed.")
    part: str | None = Field(None, description="The part of the name it met, as written.")
    how: str | None = Field(
        None,
        description="`same letters`, `sounds alike`, `same consonants in another script` or "
        "`starts with`.",
    )


class HitOut(Schema):
    case: UuidStr
    reference: str
    state: str
    agreement: UuidStr
    name: str = Field(description="The person's name as written (and its Latin form).")
    score: float = Field(description="How well the query matched, in [0, 1].")
    why: list[WhyOut]


class SearchOut(Schema):
    query: str
    results: list[HitOut] = Field(description="Best first, at most 50.")
    more: bool = Field(description="More cases matched: type more to narrow the search.")


@router.get(
    "/search",
    response={200: SearchOut, 401: Problem, 403: Problem, 422: Problem},
    operation_id="search",
    summary="Find people by name, alias, case reference or document number",
    description="Names fold diacritics, Cyrillic and Latin, Albanian and Spanish spellings; "
    "hyphens count as spaces; word order is free. Only cases of your agreements are searched "
    "(a consular mission: only what is routed to it). 403 `wrong-role` for a role that reads "
    "no case files.",
)
def search(request: HttpRequest, q: str = Q_QUERY) -> SearchOut:
    user = caller(request)
    result = search_people(user, q)
    personal_data_read(user=user, cases=[h.case for h in result.hits], channel="api-search")
    return SearchOut(
        query=result.query,
        results=[
            HitOut(
                case=str(h.case.id),
                reference=h.case.reference,
                state=h.case.state,
                agreement=str(h.case.agreement_id),
                name=h.case.person.display_name,
                score=h.score,
                why=[WhyOut(**w) for w in h.why],
            )
            for h in result.hits
        ],
        more=result.more,
    )
