"""Many new rows of one model in one statement: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

``rows_insert`` writes exactly what ``Model.objects.bulk_create`` writes: each value is
prepared by its field as Django's insert compiler prepares it (``pre_save`` with
``add=True``, then ``get_db_prep_save``), so defaults, ``auto_now``, encrypted fields
(``SealedField``) and blind indexes are computed the same way. On PostgreSQL the rows go
through one ``COPY ... FROM STDIN`` instead of Django 5.2's ``INSERT ... UNNEST`` (which
has psycopg build and escape a text array per column in Python: most of a large list's
import time, docs/adr/0011-large-lists-are-import-jobs.md). Database errors (a unique
violation) are raised as Django's (``IntegrityError``), as ``bulk_create`` raises them.

Objects whose primary key the database assigns (an ``AutoField`` left empty) keep no
primary key after ``COPY``: use it only for rows whose id is set in Python (UUIDs) or not
read back (a many-to-many link row).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, models

# Rows per INSERT on other databases (SQLite allows 32,766 parameters per statement).
INSERT_BATCH = 500


def rows_insert(model: type[models.Model], objs: Iterable[models.Model]) -> int:
    """Insert the new, unsaved ``objs`` (all of ``model``); answers how many."""
    rows = list(objs)
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=INSERT_BATCH)
        return len(rows)
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (
            f.primary_key
            and getattr(f, "db_returning", False)
            and getattr(rows[0], f.attname) is None
        )
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    connection.ensure_connection()
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw: Any = cursor.cursor
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in rows:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
    for obj in rows:
        obj._state.adding = False
        obj._state.db = connection.alias
    return len(rows)
