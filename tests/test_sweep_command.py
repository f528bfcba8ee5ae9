"""``readmit sweep`` applies amendments that have come due, once."""

from __future__ import annotations

from django.utils import timezone

from readmit.agreements.models import Agreement, AgreementVersion
from readmit.cli import main


def test_sweep_brings_a_due_amendment_into_the_current_terms_once(world, capsys):
    agreement = world.agreement
    version = AgreementVersion.objects.filter(agreement=agreement).order_by("-number").first()
    terms = {**agreement.terms, "quota": {"limit": 60, "period": "rolling_year"}}
    AgreementVersion.objects.create(
        agreement=agreement,
        number=version.number + 1,
        terms=terms,
        valid_from=timezone.now(),
        reason="cap raised",
        source="fictional exchange of notes",
    )
    assert Agreement.objects.get(id=agreement.id).terms["quota"]["limit"] == 50
    assert main(["sweep"]) == 0
    assert "terms refreshed on 1 agreement" in capsys.readouterr().out
    assert Agreement.objects.get(id=agreement.id).terms["quota"]["limit"] == 60
    assert main(["sweep"]) == 0
    assert "terms refreshed on 0 agreement" in capsys.readouterr().out
