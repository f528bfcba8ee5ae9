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

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
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
    preparers = [_preparer(f) for f in fields]
    connection.ensure_connection()
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw: Any = cursor.cursor
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in rows:
                copy.write_row([prepare(obj) for prepare in preparers])
    for obj in rows:
        obj._state.adding = False
        obj._state.db = connection.alias
    return len(rows)


# Field classes whose ``get_db_prep_save`` on PostgreSQL hands a value of these exact types
# to the driver unchanged (checked by tests/relocation/test_bulk_lists.py, which compares the
# rows written with those of the one-by-one services): such a value skips the call.
_PLAIN: dict[type[models.Field[Any, Any]], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.UUIDField: (uuid.UUID,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.SmallIntegerField: (int,),
}


def _preparer(field: models.Field[Any, Any]) -> Callable[[models.Model], Any]:
    """The value of ``field`` for COPY: ``get_db_prep_save(pre_save(obj, add=True))``, with
    the call skipped for a value the field would pass on unchanged."""
    if isinstance(field, models.ForeignKey):
        plain: tuple[type, ...] = _PLAIN.get(type(field.target_field), ())
    elif type(field) is models.DateTimeField:

        def datetime_value(obj: models.Model) -> Any:
            value = field.pre_save(obj, True)
            if type(value) is dt.datetime and value.tzinfo is not None:
                return value
            return field.get_db_prep_save(value, connection)

        return datetime_value
    else:
        plain = _PLAIN.get(type(field), ())
    if not plain:
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)

    def value_of(obj: models.Model) -> Any:
        value = field.pre_save(obj, True)
        if value is None or type(value) in plain:
            return value
        return field.get_db_prep_save(value, connection)

    return value_of
