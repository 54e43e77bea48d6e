"""``field__any_of=values``: one of many values, with the values sent as one parameter.

Django's ``__in`` prepares an ``IN (%s, %s, …)`` list value by value, which for the thousands of NIKs,
acquisitions and months a payments file looks up in a batch costs more than the queries themselves.
On PostgreSQL ``any_of`` sends the values as one array (``field = ANY(%s)``), which the indexes serve
as they serve ``IN``; elsewhere it is an ordinary ``IN`` list. Registered for every field by
``enrollment``'s app config (``register``).
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return list(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = self.rhs
        if not values:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*params, *values]


def register():
    """For every field; a relation (``acquisition_id__any_of``) keeps lookups of its own, so it is named too."""
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)
