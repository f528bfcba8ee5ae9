"""``readmit sweep`` applies amendments that have come due, once."""

from __future__ import annotations

from readmit.agreements.models import Agreement, AgreementVersion
from readmit.cli import main
from readmit.core import clock


def test_sweep_brings_a_due_amendment_into_the_current_terms_once(world, capsys):
    agreement = world.agreement
    version = AgreementVersion.objects.filter(agreement=agreement).order_by("-number").first()
    terms = {**agreement.terms, "quota": {"limit": 60, "period": "rolling_year"}}
    AgreementVersion.objects.create(
        agreement=agreement,
        number=version.number + 1,
        terms=terms,
        valid_from=clock.now(),
        reason="cap raised",
        source="fictional exchange of notes",
    )
    assert Agreement.objects.get(id=agreement.id).terms["quota"]["limit"] == 50
    assert main(["sweep"]) == 0
    assert "terms refreshed on 1 agreement" in capsys.readouterr().out
    assert Agreement.objects.get(id=agreement.id).terms["quota"]["limit"] == 60
    assert main(["sweep"]) == 0
    assert "terms refreshed on 0 agreement" in capsys.readouterr().out


def test_sweep_ends_an_agreement_whose_notice_of_termination_takes_effect(
    world, capsys, monkeypatch
):
    import datetime as dt

    from readmit.agreements.services import termination_notice_give
    from readmit.core import clock

    notice = termination_notice_give(
        agreement=world.agreement,
        reason="programme ends",
        source="Note 1/2026",
        acting_user=world.user("us_supervisor"),
    )
    assert main(["sweep"]) == 0
    assert "0 agreement(s) ended by notice" in capsys.readouterr().out
    effective = notice.takes_effect_on
    monkeypatch.setattr(clock, "today", lambda: effective)
    assert main(["sweep"]) == 0
    assert "1 agreement(s) ended by notice" in capsys.readouterr().out
    ended = Agreement.objects.get(id=world.agreement.id)
    assert (ended.status, ended.ends_on) == ("ended", effective)
    assert effective - dt.timedelta(days=180) == notice.given_on
