"""What the agent is told once a write is saved: the same sentence on the page (a success message) and
in the JSON API's answer (``message``), so the phone's offline queue says what the page says."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from perisai.formatting import rupiah


def enrolled(acquisition):
    return _("%(name)s is enrolled. Monthly contribution: %(amount)s.") % {
        "name": acquisition.participant.full_name,
        "amount": rupiah(acquisition.monthly_contribution),
    }


def contribution_recorded(contribution):
    return _("Contribution for %(month)s recorded: %(amount)s.") % {
        "month": date_format(contribution.period, "F Y"),
        "amount": rupiah(contribution.amount),
    }


def contact_logged(contact):
    return _("Logged: %(outcome)s.") % {"outcome": contact.get_outcome_display()}
