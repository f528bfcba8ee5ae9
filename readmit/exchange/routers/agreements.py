"""``/agreements``: the agreements the caller's organisation is party to, nothing else."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Path

from readmit.accounts.access import access_agreement, visible_agreements
from readmit.agreements.models import Agreement, AgreementParty
from readmit.exchange.auth import caller
from readmit.exchange.schemas import AgreementOut, Problem, UuidStr, agreement_out

router = Router(tags=["agreements"])

UUID_PATH = Path(
    ..., description="The agreement's UUID. A malformed id answers 404, like an unknown one."
)


def _with_details(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return agreements.prefetch_related(
        Prefetch(
            "parties",
            queryset=AgreementParty.objects.select_related("organisation").order_by("-side"),
        ),
        "sites",
    )


@router.get(
    "",
    response={200: list[AgreementOut], 401: Problem},
    operation_id="agreement_list",
    summary="The agreements your organisation is party to",
)
def agreement_list(request: HttpRequest) -> list[AgreementOut]:
    agreements = _with_details(visible_agreements(caller(request)).order_by("reference"))
    return [agreement_out(a) for a in agreements]


@router.get(
    "/{id}",
    response={200: AgreementOut, 401: Problem, 404: Problem},
    operation_id="agreement_detail",
    summary="One agreement: parties, status, quota and sites",
)
def agreement_detail(request: HttpRequest, id: UuidStr = UUID_PATH) -> AgreementOut:
    agreement = access_agreement(caller(request), id)
    detailed = _with_details(Agreement.objects.filter(id=agreement.id)).get()
    return agreement_out(detailed)
