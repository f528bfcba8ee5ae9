"""The workflow's states and actions as the pages label them (``presenters.humanize``), listed
so ``makemessages`` finds them: the workflow core names them in code, without Django."""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

WORKFLOW_LABELS = (
    _("Accept"), _("Accepted"), _("Acknowledge"), _("Acknowledged"), _("Close"), _("Closed"),
    _("Decline"), _("Declined"), _("Deem accepted"), _("Deemed accepted"), _("Departed"),
    _("Extend"), _("In reception"), _("Interview requested"), _("Issue travel document"),
    _("Lift legal hold"), _("Place legal hold"), _("Proposed"), _("Recommend"),
    _("Recommended"), _("Record arrival"), _("Record departure"), _("Record take back"),
    _("Record transfer"), _("Record transit failed"), _("Reject"), _("Rejected"),
    _("Request interview"), _("Revoke transit"), _("Revoke travel document"),
    _("Schedule transfer"), _("Select"), _("Selected"), _("Submitted"), _("Take back due"),
    _("Taken back"), _("Transfer scheduled"), _("Transferred"), _("Travel document issued"),
    _("Withdraw"), _("Withdrawn"),
    # The parties' sides (``p.side|humanize`` on the case and overview pages).
    _("Sending"), _("Receiving"),
)  # fmt: skip
