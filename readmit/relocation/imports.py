"""Proposal lists too large for one request: import jobs, processed in the background.

``list_import_queue`` checks the caller and the request (as ``proposal_list_submit`` does),
records a :class:`ListImport` with the rows and enqueues ``tasks.list_import_task`` once
committed: the API answers ``202`` with its ``Location``. ``list_import_run`` (the task)
checks every row before writing anything (all or nothing, or ``only_valid_rows``), then
writes the cases in batches of ``READMIT_LIST_IMPORT_BATCH`` rows, each in its own short
transaction, so the database's write lock is never held for long: another organisation's
writes go through between batches (on SQLite too, with WAL and a busy timeout).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import Signal  # noqa: TID251 (the tests' hook between batches; to become a registry)

from readmit.accounts.access import _parse_id, organisation_ids, roles_in
from readmit.accounts.models import User
from readmit.accounts.roles import CASE_READERS
from readmit.agreements.models import Agreement
from readmit.audit.events import AuditEventType
from readmit.audit.services import audit_record
from readmit.cases.models import Case
from readmit.core import clock
from readmit.core.actors import SystemActor
from readmit.core.errors import N_, ApplicationError, Forbidden, NotFound, ValidationFailed
from readmit.relocation.bulk import criteria_evaluate_many, list_rows_write
from readmit.relocation.models import (
    EvaluationTrigger,
    ImportState,
    ListImport,
    ListSource,
    ProposalList,
)
from readmit.relocation.services import (
    CheckedRows,
    IdempotencyConflict,
    ListResult,
    _existing,
    _screen_on_arrival,
    _sending_worker,
    list_reference_and_key,
    list_rows_check,
    list_submitted_audit,
    request_digest,
)

logger = logging.getLogger(__name__)

DEFAULT_SYNC_MAX_ROWS = 1000
DEFAULT_BATCH = 500
DEFAULT_IMPORT_MAX_ROWS = 100_000

# Sent after each committed batch of an import job, with ``job`` (the ListImport, its
# ``rows_done`` up to date). For progress displays and for the test that shows another
# organisation writing while a large import runs.
list_import_batch_committed = Signal()


def sync_max_rows() -> int:
    """Lists with more people than this are imported as a background job (``202``)."""
    return int(getattr(settings, "READMIT_LIST_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS))


def import_max_rows() -> int:
    """The most people one import job takes (a list uploaded on the web page: 10,000)."""
    return int(getattr(settings, "READMIT_LIST_IMPORT_MAX_ROWS", DEFAULT_IMPORT_MAX_ROWS))


def batch_size() -> int:
    return max(1, int(getattr(settings, "READMIT_LIST_IMPORT_BATCH", DEFAULT_BATCH)))


def list_import_queue(
    *,
    agreement: Agreement,
    reference: str,
    people: list[dict[str, Any]],
    acting_user: User,
    idempotency_key: str | None = None,
    only_valid_rows: bool = False,
) -> ListImport | ListResult:
    """Record an import job for a large list and enqueue it; nothing else is written yet.

    The gate, the reference and the key are checked now (refused like a list sent in one
    request). The same ``Idempotency-Key`` again answers the same job (the same key with
    another body: ``IdempotencyConflict``); a list already imported under the same key or
    reference answers that list (a :class:`ListResult`).
    """
    reference, idempotency_key = list_reference_and_key(reference, idempotency_key)
    agreement, position = _sending_worker(acting_user, agreement)
    if len(people) > import_max_rows():
        raise ValidationFailed(
            N_(
                "A list of %(count)s people is more than an import takes (%(limit)s); nothing "
                "was imported. Send it as several lists."
            ),
            params={"count": len(people), "limit": import_max_rows()},
            errors=[{"loc": ["people"], "msg": f"more than {import_max_rows()} people"}],
        )
    digest = request_digest(agreement, reference, people)
    with transaction.atomic():
        if idempotency_key:
            job = ListImport.objects.filter(
                organisation_id=position.organisation_id, idempotency_key=idempotency_key
            ).first()
            if job is not None:
                if job.request_digest != digest:
                    raise IdempotencyConflict(
                        N_(
                            "The Idempotency-Key was already used for import '%(reference)s' "
                            "with a different request: idempotency key reused with a different "
                            "request."
                        ),
                        params={"reference": job.reference},
                    )
                return job
        replay = _existing(agreement, position.organisation_id, reference, idempotency_key, digest)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                job = ListImport.objects.create(
                    agreement=agreement,
                    organisation_id=position.organisation_id,
                    submitted_by=acting_user,
                    reference=reference,
                    idempotency_key=idempotency_key,
                    request_digest=digest,
                    only_valid_rows=only_valid_rows,
                    people=people,
                    row_count=len(people),
                )
        except IntegrityError:
            raise IdempotencyConflict(
                N_("The same Idempotency-Key arrived twice at the same time; send it again.")
            ) from None
        audit_record(
            event_type=AuditEventType.LIST_IMPORT_QUEUED,
            acting_user=acting_user,
            organisation_id=position.organisation_id,
            agreement_id=agreement.id,
            object_type="list_import",
            object_id=str(job.id),
            data={"reference": reference, "rows": len(people), "only_valid_rows": only_valid_rows},
        )
        _enqueue(job.id)
    return job


def _enqueue(job_id: uuid.UUID) -> None:
    from readmit.relocation.tasks import list_import_task

    transaction.on_commit(lambda: list_import_task.enqueue(str(job_id)))


def list_import_run(job_id: uuid.UUID | str) -> ListImport:
    """Process a queued job: check every row, then write the cases batch by batch.

    Idempotent: a job that is not queued is left alone. Invalid rows fail the job whole
    (``errors`` names each row and field; nothing is written) unless ``only_valid_rows``.
    """
    with transaction.atomic():
        job = ListImport.objects.select_for_update().get(id=job_id)
        if job.state != ImportState.QUEUED:
            return job
        job.state = ImportState.RUNNING
        job.started_at = clock.now()
        job.save(update_fields=["state", "started_at", "updated_at"])
    try:
        return _run(job)
    except ValidationFailed as exc:
        _fail(job, errors=exc.errors, message=exc.message)
        return job
    except ApplicationError as exc:  # the gate of a batch: the sender lost the role, the
        # agreement left force (the batches already written stay; the job says how many)
        _fail(job, errors=[], message=exc.message)
        return job
    except Exception as exc:
        logger.exception("List import %s failed", job.id)
        _fail(job, errors=[], message=f"Internal error ({type(exc).__name__}); it was logged.")
        return job


def _fail(job: ListImport, *, errors: Sequence[dict[str, Any]], message: str) -> None:
    with transaction.atomic():
        job.state = ImportState.FAILED
        job.finished_at = clock.now()
        job.errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in errors
        ] or [{"loc": [], "msg": message}]
        job.rows_failed = len({e["row"] for e in errors if "row" in e}) or job.rows_failed
        job.people = []
        job.save()
        audit_record(
            event_type=AuditEventType.LIST_IMPORT_FAILED,
            acting_user=SystemActor("list import"),
            organisation_id=job.organisation_id,
            agreement_id=job.agreement_id,
            object_type="list_import",
            object_id=str(job.id),
            data={
                "reference": job.reference,
                "message": message,
                "rows_done": job.rows_done,
                "rows_failed": job.rows_failed,
            },
        )


def _run(job: ListImport) -> ListImport:
    agreement = job.agreement
    user = job.submitted_by
    if ProposalList.objects.filter(agreement=agreement, reference=job.reference).exists():
        raise ValidationFailed(
            N_(
                "A list with the reference '%(reference)s' was imported meanwhile; nothing was "
                "imported."
            ),
            params={"reference": job.reference},
            errors=[{"loc": ["reference"], "msg": N_("already used under this agreement")}],
        )
    checked: CheckedRows = list_rows_check(
        agreement, job.people, only_valid_rows=job.only_valid_rows, max_rows=import_max_rows()
    )
    with transaction.atomic():
        proposal_list = ProposalList.objects.create(
            agreement=agreement,
            reference=job.reference,
            idempotency_key=job.idempotency_key,
            submitted_by=user,
            organisation_id=job.organisation_id,
            submitted_at=clock.now(),
            row_count=checked.total,
            imported_count=len(checked.valid),
            source=ListSource.API,
            request_digest=job.request_digest,
        )
        job.proposal_list = proposal_list
        job.rows_failed = len(checked.bad_rows)
        job.errors = [{"loc": list(e["loc"]), "msg": str(e["msg"])} for e in checked.errors]
        job.save(update_fields=["proposal_list", "rows_failed", "errors", "updated_at"])
    size = batch_size()
    for start in range(0, len(checked.valid), size):
        rows = checked.valid[start : start + size]
        with transaction.atomic():
            # The gate once per batch: the sender may have lost the role or been
            # deactivated, or the agreement left force, since the previous one (the user is
            # read again: memberships are cached on the instance).
            user = User.objects.get(pk=job.submitted_by_id)
            agreement, position = _sending_worker(user, agreement)
            cases = list_rows_write(
                proposal_list, rows, acting_user=user, organisation_id=position.organisation_id
            )
            criteria_evaluate_many(
                cases,
                acting_user=user,
                organisation_id=position.organisation_id,
                trigger=EvaluationTrigger.LIST,
                new_cases=True,
            )
            job.rows_done += len(rows)
            job.save(update_fields=["rows_done", "updated_at"])
        list_import_batch_committed.send(sender=ListImport, job=job)
    with transaction.atomic():
        list_submitted_audit(proposal_list, checked, acting_user=user)
        job.state = ImportState.DONE
        job.finished_at = clock.now()
        job.people = []
        job.save()
        audit_record(
            event_type=AuditEventType.LIST_IMPORT_FINISHED,
            acting_user=SystemActor("list import"),
            organisation_id=job.organisation_id,
            agreement_id=job.agreement_id,
            object_type="list_import",
            object_id=str(job.id),
            data={
                "reference": job.reference,
                "list": str(proposal_list.id),
                "rows_done": job.rows_done,
                "rows_failed": job.rows_failed,
            },
        )
        cases = list(Case.objects.filter(proposal_entry__proposal_list=proposal_list))
        _screen_on_arrival(agreement, cases, job.reference, job.organisation_id)
    return job


# Reads -------------------------------------------------------------------------------------


def access_list_import(user: User, job_id: uuid.UUID | str) -> ListImport:
    """The submitting organisation's case readers see its jobs; its other members are
    refused (403); everyone else is told the job does not exist (404)."""
    job = (
        ListImport.objects.select_related("proposal_list")
        .filter(id=_parse_id(job_id, "import"))
        .first()
    )
    if job is None or job.organisation_id not in organisation_ids(user):
        raise NotFound(N_("No such import."))
    if not roles_in(user, job.organisation_id) & CASE_READERS:
        raise Forbidden(N_("Reading an import needs a role that reads cases."), type="wrong-role")

    return job
