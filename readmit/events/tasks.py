"""Background delivery: a task per delivery attempt (enqueued with ``on_commit``)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_webhook_task(delivery_id: str) -> str:
    from readmit.events.delivery import delivery_attempt

    return delivery_attempt(delivery_id)
