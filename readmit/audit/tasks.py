"""Background tasks of the audit log: thin, they call a service."""

from __future__ import annotations

from django_tasks import task

from readmit.audit.services import audit_checkpoint


@task()
def audit_checkpoint_task() -> int:
    """Hourly (or as docs/operations.md says): sign the chain's head."""
    return audit_checkpoint().seq
