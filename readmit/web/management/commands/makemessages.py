"""Django's ``makemessages`` that also knows ``N_``, the no-op marker of the pure cores
(``readmit.core.errors.N_``: refusals and criteria explanations are marked where they are
written and translated on pages; docs/adr/0027-translated-refusals.md)."""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
