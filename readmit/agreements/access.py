"""Who may change an agreement, next to the gates: one predicate per rule, asked by the
service that refuses and by the page that hides the button (issue #16 item 2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readmit.accounts.access import standing
from readmit.accounts.roles import Role

if TYPE_CHECKING:
    from readmit.accounts.access import Standing
    from readmit.accounts.models import User
    from readmit.agreements.models import Agreement

# Who may change an agreement's status or amend its terms, on either party's side. Rules are
# data an administrator maintains; supervisors record what their government agreed.
AGREEMENT_EDITORS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})

# Who may write the diplomatic record of an agreement: the people who talk to the other side.
DIPLOMATIC_RECORDERS = frozenset({Role.LIAISON, Role.SUPERVISOR, Role.ADMINISTRATOR})


def can_edit_agreement(user: User, agreement: Agreement) -> bool:
    """Change the status, give notice, propose or answer an amendment of the terms: a
    supervisor or administrator of a party."""
    return is_editor(standing(user, agreement))


def is_editor(position: Standing) -> bool:
    """:func:`can_edit_agreement` for a standing the caller has already read."""
    return bool(position.roles & AGREEMENT_EDITORS)


def can_record_diplomacy(user: User, agreement: Agreement) -> bool:
    """Record a diplomatic contact or a public position: a liaison officer, supervisor or
    administrator of a party."""
    return bool(standing(user, agreement).roles & DIPLOMATIC_RECORDERS)
