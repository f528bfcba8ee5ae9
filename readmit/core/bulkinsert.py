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

import contextlib
import datetime as dt
import gc
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)

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


_frozen_depth = 0
_frozen_lock = threading.Lock()


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """Python's cyclic garbage collector leaves alone the objects that exist on entry
    (``gc.freeze``) until the outermost block ends: a long bulk job (a 100,000-person
    import, the criteria evaluated again after screening) allocates enough to trigger many
    full collections, and each one walked the whole heap (the list's JSON, the loaded
    watchlist, Django): 35 full collections, 38 s of a 10,000-person run of
    ``bench.lists`` (docs/performance.md). Reference counting still frees everything at
    once; only cycles among the frozen objects wait for the end of the block. Nothing
    written changes."""
    global _frozen_depth
    with _frozen_lock:
        if _frozen_depth == 0:
            gc.freeze()
        _frozen_depth += 1
    try:
        yield
    finally:
        with _frozen_lock:
            _frozen_depth -= 1
            if _frozen_depth == 0:
                gc.unfreeze()


def maker(model: type[M]) -> Callable[..., M]:
    """A faster ``model(**values)`` for many new rows: the same instance (each missing field
    gets its default, a related object given by the field's name is cached on the
    instance), built through the positional path of ``Model.__init__`` (the one
    ``from_db`` uses) instead of its keyword path, which costs several times more per
    field. Values are given by field name (``person=``) or attribute name (``person_id=``);
    any other keyword is refused (``TypeError``), as the model would refuse it."""
    fields = list(model._meta.concrete_fields)
    known = {f.attname for f in fields} | {f.name for f in fields}

    def make(**values: Any) -> M:
        unknown = values.keys() - known
        if unknown:
            raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}")
        args: list[Any] = []
        related: list[tuple[models.Field[Any, Any], Any]] = []
        for f in fields:
            if f.attname in values:
                args.append(values[f.attname])
            elif f.name in values:  # a related object (``person=person``)
                obj = values[f.name]
                related.append((f, obj))
                args.append(None if obj is None else getattr(obj, f.target_field.attname))  # type: ignore[attr-defined]
            else:
                args.append(f.get_default())
        instance = model(*args)
        for f, obj in related:  # as the field's descriptor caches it
            f.set_cached_value(instance, obj)  # type: ignore[attr-defined]
            if obj is not None and not f.remote_field.multiple:  # type: ignore[union-attr]
                # one-to-one: the reverse side is cached too
                f.remote_field.set_cached_value(obj, instance)  # type: ignore[union-attr]
        return instance

    return make


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
