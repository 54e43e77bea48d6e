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


def history_record_bulk(model, pks, *, history_type, user=None, reason=""):
    """One history row of ``history_type`` for each row of ``model`` whose primary key is in ``pks``,
    copied from the table as it is now; the number of rows recorded."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    historical = model.history.model
    quote = connection.ops.quote_name
    tracked = [field.column for field in historical.tracked_fields]
    columns = ", ".join(quote(column) for column in tracked)
    source_pk = quote(model._meta.pk.column)
    now, recorded, pks = timezone.now(), 0, list(pks)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), KEYS_A_STATEMENT):
            chunk = pks[start : start + KEYS_A_STATEMENT]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(historical._meta.db_table)}"  # noqa: S608 - names from the models' meta
                f" ({columns}, history_date, history_change_reason, history_type, history_user_id)"
                f" SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)}"
                f" WHERE {source_pk} IN ({placeholders}) ORDER BY {source_pk}",
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
