"""Standard reason codes of decisions: a small vocabulary per action (pure, no Django).

A code says *why* in words both states' systems can count and translate, so the free-text
reason (read by the other party) need not quote anything the agreement does not share. The
code is optional; a value outside the action's vocabulary is refused naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping

from readmit.core.errors import N_, Term, ValidationFailed, field_error

REASON_CODES: Mapping[str, tuple[str, ...]] = {
    "decline": (
        "criteria_not_met",
        "watchlist_match",
        "excluded_group",
        "quota_exhausted",
        "public_order",
        "other",
    ),
    "reject": (
        "nationality_not_established",
        "identity_not_established",
        "documents_insufficient",
        "time_limit_passed",
        "other",
    ),
    "withdraw": (
        "left_voluntarily",
        "protection_granted",
        "court_decision",
        "recorded_in_error",
        "other",
    ),
}


def reason_code_check(action: str, code: str) -> str:
    """The code, cleaned; "" when none was given. Refuses a code the action does not have."""
    code = code.strip()
    if not code:
        return ""
    allowed = REASON_CODES.get(action, ())
    if code not in allowed:
        params = {"code": code, "action": Term(action), "accepted": ", ".join(allowed)}
        if not allowed:
            raise ValidationFailed(
                N_(
                    "'%(code)s' is not a reason code of '%(action)s'; use one of: none (this "
                    "action has no codes)."
                ),
                params=params,
                errors=[
                    {"loc": ["reason_code"], "msg": N_("one of: none (this action has no codes)")}
                ],
            )
        raise ValidationFailed(
            N_("'%(code)s' is not a reason code of '%(action)s'; use one of: %(accepted)s."),
            params=params,
            errors=[
                field_error(
                    ["reason_code"], N_("one of: %(accepted)s"), accepted=params["accepted"]
                )
            ],
        )
    return code
