"""A write that carries a client key is recorded once: the rule every keyed service asks.

The agent's phone (its offline queue, ``/api/v1/``) and the page forms (a hidden ``client_key``) give
each write a random UUID. Sent again (a retry after a lost answer, a double tap, a second device
syncing the same draft), the key finds the row the first send wrote: that row is the answer, nothing
is written twice and nothing is refused. The column is unique in each table (``client_key`` on
``Acquisition``, ``Contribution`` and ``followup.ContactAttempt``), so two sends at the same moment
cannot both insert; the loser's service reads the winner back with ``prior_write``.

A key is one write by one account. The same key from another account, or for another kind of write
(a contribution's key sent with an enrolment), is refused with ``ClientKeyReused``: it is a client's
bug or a forged key, never a retry, and answering it with another account's row would leak it.

The models that carry a key are registered here: enrollment's own, and those of the apps above it
(followup registers ``ContactAttempt`` when it is ready), so a key is checked against every kind of
write without this module importing an app above it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enrollment.models import Acquisition, Contribution

KEYED = {Acquisition: "agent__user", Contribution: "collected_by__user"}
"""``{model: path to the account that wrote a row}``, for every model with a ``client_key`` column."""


def register(model, *, user_path):
    """Make ``model`` (with a unique ``client_key``) one of the keyed writes; ``user_path`` reaches the
    account that wrote a row (``"agent__user"``)."""
    KEYED[model] = user_path


class ClientKeyReused(ValidationError):
    """The key was used by another account or for another kind of write: nothing is saved."""

    def __init__(self):
        super().__init__(
            _("This request's key was already used for another record. Nothing was saved."), code="client_key_reused"
        )


def prior_write(client_key, *, model, user):
    """The ``model`` row ``user`` wrote with ``client_key`` (its ``replayed`` attribute set), or ``None``
    when no row carries the key (or there is no key). ``ClientKeyReused`` when the key belongs to another
    account or to another kind of write. One query per keyed model at most."""
    if client_key is None:
        return None
    for each in (model, *(other for other in KEYED if other is not model)):
        found = each.objects.filter(client_key=client_key).values_list("pk", KEYED[each]).first()
        if found is None:
            continue
        pk, writer = found
        if each is not model or writer != getattr(user, "pk", None):
            raise ClientKeyReused
        row = model.objects.get(pk=pk)
        row.replayed = True
        return row
    return None
