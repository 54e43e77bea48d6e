"""History rows for bulk writes, written by the database.

``simple_history`` records a change through a signal on ``save()``, which ``bulk_create`` does not send;
its ``bulk_create_with_history`` builds a historical model instance per row in Python and inserts them
all over again. For thousands of rows (an import) it is cheaper to let the database copy the rows it
has just stored: one ``INSERT … SELECT`` per batch of primary keys, with the same columns, the same
``history_type`` ("+" created, "~" changed), the user and the reason. What the history pages read back is
the same either way (``tests/enrollment/test_bulk_history.py`` compares the two).
"""

from django.conf import settings
from django.db import connection
from django.utils import timezone

CREATED, CHANGED = "+", "~"
KEYS_A_STATEMENT = 2_000  # primary keys bound into one statement (SQLite allows 32,766 parameters)


def history_record_query(queryset, *, history_type, user=None, reason=""):
    """One history row of ``history_type`` for each row of ``queryset``, copied by one ``INSERT … SELECT``
    (a file of 100,000 payments needs no list of keys in Python); the number of rows recorded."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    model = queryset.model
    subquery, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            _copy_statement(model, f"IN ({subquery})"),
            [connection.ops.adapt_datetimefield_value(timezone.now()), reason[:100], history_type,
             getattr(user, "pk", None), *params],
        )  # fmt: skip
        return cursor.rowcount


def history_record_insert(model, statement, params, *, history_type, user=None, reason=""):
    """Run ``statement``, an ``INSERT INTO`` ``model``'s table ``… SELECT …``, and write a history row of
    ``history_type`` for each row it inserts in the same statement (PostgreSQL: the insert's ``RETURNING``
    rows copied by an outer ``INSERT``, so the new rows are not looked up again); how many rows it inserted."""
    if connection.vendor != "postgresql":
        raise NotImplementedError("history_record_insert needs PostgreSQL's data-modifying WITH")
    with connection.cursor() as cursor:
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            cursor.execute(statement, params)
            return cursor.rowcount
        historical = model.history.model
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in historical.tracked_fields)
        cursor.execute(
            f"WITH written AS ({statement} RETURNING {columns})"
            f" INSERT INTO {quote(historical._meta.db_table)}"  # noqa: S608 - names from the models' meta
            f" ({columns}, history_date, history_change_reason, history_type, history_user_id)"
            f" SELECT {columns}, %s, %s, %s, %s FROM written ORDER BY {quote(model._meta.pk.column)}",
            [*params, connection.ops.adapt_datetimefield_value(timezone.now()), reason[:100], history_type,
             getattr(user, "pk", None)],
        )  # fmt: skip
        return cursor.rowcount


def _copy_statement(model, condition):
    """``INSERT`` into ``model``'s history table ``SELECT`` from its table the rows whose key is ``condition``."""
    historical = model.history.model
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in historical.tracked_fields)
    source_pk = quote(model._meta.pk.column)
    return (
        f"INSERT INTO {quote(historical._meta.db_table)}"  # noqa: S608 - names from the models' meta
        f" ({columns}, history_date, history_change_reason, history_type, history_user_id)"
        f" SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)}"
        f" WHERE {source_pk} {condition} ORDER BY {source_pk}"
    )


def history_record_bulk(model, pks, *, history_type, user=None, reason=""):
    """One history row of ``history_type`` for each row of ``model`` whose primary key is in ``pks``,
    copied from the table as it is now; the number of rows recorded."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    now, recorded, pks = timezone.now(), 0, list(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), KEYS_A_STATEMENT):
            chunk = pks[start : start + KEYS_A_STATEMENT]
            cursor.execute(
                _copy_statement(model, f"IN ({', '.join(['%s'] * len(chunk))})"),
                [
                    connection.ops.adapt_datetimefield_value(now),
                    reason[:100],
                    history_type,
                    getattr(user, "pk", None),
                    *chunk,
                ],
            )
            recorded += cursor.rowcount
    return recorded
