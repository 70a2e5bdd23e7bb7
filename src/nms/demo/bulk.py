"""Fast inserts of generated rows: COPY on PostgreSQL, bulk_create elsewhere.

A region of 100 000 people has about a million rows; Django's bulk_create spends most of its time
preparing values one by one. On PostgreSQL the ids are taken from the table's sequence in one
query and the rows are streamed with COPY (psycopg's `cursor.copy`), values as they are on the
objects (`field.pre_save`, so auto_now fields are filled as bulk_create would fill them). History
rows (django-simple-history, «+» records) are written the same way.
"""

import json
from operator import attrgetter

from django.db import connections, router
from django.db.models import FileField, JSONField
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

BATCH_SIZE = 2000
HISTORY_FIELDS = ("history_id", "history_date", "history_change_reason", "history_type")


def insert(model, objs: list, *, history_reason: str | None = None) -> None:
    """Save the new `objs` of `model` (their pks are set), with «+» history rows when
    `history_reason` is given."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        if history_reason is not None:
            bulk_create_with_history(
                objs, model, batch_size=BATCH_SIZE, default_change_reason=history_reason
            )
        else:
            model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not getattr(f, "generated", False)]
    _prepare(fields, objs, connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        _copy(cursor.cursor, connection, meta.db_table, fields, objs)
        if history_reason is not None:
            history = model.history.model._meta
            fixed = {
                "history_date": timezone.now(),
                "history_change_reason": history_reason,
                "history_type": "+",
                "history_user_id": None,
            }
            copied = [f for f in history.concrete_fields if f.attname not in HISTORY_FIELDS]
            copied = [f for f in copied if f.attname not in fixed]
            extra = [history.get_field(name) for name in fixed]
            extra = [f for f in extra if f.attname in fixed]
            _copy(
                cursor.cursor,
                connection,
                history.db_table,
                copied + extra,
                objs,
                tail=tuple(fixed[f.attname] for f in extra),
            )


def _prepare(fields, objs, alias) -> None:
    """What bulk_create does before an insert: foreign keys to objects saved after these were
    built are taken from those objects, auto_now fields are filled; the objects become saved."""
    now = timezone.now()
    for field in fields:
        if field.is_relation:
            for obj in objs:
                if getattr(obj, field.attname) is None and field.is_cached(obj):
                    related = field.get_cached_value(obj)
                    if related is not None:
                        setattr(obj, field.attname, related.pk)
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias


def insert_rows(model, rows: list[dict]) -> None:
    """Save new rows of `model` given as {attname: value} (the others take their defaults)
    without building model instances; for rows nothing refers to (their ids are not known)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE)
        return
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "generated", False)
    ]
    defaults = {f.attname: f.get_default() for f in fields}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = timezone.now()
    with connection.cursor() as cursor:
        _copy(
            cursor.cursor,
            connection,
            model._meta.db_table,
            fields,
            [tuple(row.get(f.attname, defaults[f.attname]) for f in fields) for row in rows],
            as_tuples=True,
        )


def _value(field, value):
    if isinstance(field, FileField):
        return getattr(value, "name", value) or ""
    if value is not None and isinstance(field, JSONField):
        from psycopg.types.json import Jsonb

        return Jsonb(value, dumps=lambda v: json.dumps(v, cls=field.encoder))
    return value


def _copy(cursor, connection, table: str, fields, objs, *, tail=(), as_tuples=False) -> None:
    """COPY the `fields` of `objs` (or of rows already in field order) into `table`; generated
    columns (e.g. `Route.work_rank`) are left out by the callers: the database fills them."""
    quote = connection.ops.quote_name
    columns = [f.column for f in fields]  # the `tail` values go to the last fields
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    own = fields[: len(fields) - len(tail)]
    getter = None if as_tuples else attrgetter(*(f.attname for f in own))
    special = [(i, f) for i, f in enumerate(own) if isinstance(f, (FileField, JSONField))]
    with cursor.copy(sql) as copy:
        for obj in objs:
            row = obj if as_tuples else getter(obj)
            if special:
                row = list(row)
                for i, field in special:
                    row[i] = _value(field, row[i])
            copy.write_row((*row, *tail) if tail else row)
