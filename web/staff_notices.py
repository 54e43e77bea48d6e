"""The day's e-mail to a branch's staff and head: the PKS to renew and the offices under their minimum.

Composed from two domains, so it lives here (``docs/design.md``, "Layout"): the PKS status is
``reports.agreements`` (expiring within 60 days, or expired), the offices under their monthly minimum
``incentives.activity`` (the terms' warning months or more), both as the dashboard shows them, for the
branch's *active* offices. Each active staff member and head of the branch with an e-mail address gets
their own copy (no one sees the others' addresses), through Django's mail backend (``EMAIL_BACKEND``:
the console while developing, SMTP in production). When there is nothing to say nothing is sent; when
something was sent, ``followup.StaffNotice`` records it and the same branch gets no second e-mail that
day. A failure to send records nothing, so the next run tries again.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agents.models import PerisaiOffice, User
from agents.scoping import Scope
from followup.models import StaffNotice
from incentives.activity import offices_under_minimum
from perisai.months import month_start
from perisai.roles import Role
from reports.agreements import NEEDS_ATTENTION, agreement_status
from reports.periods import Period

RECIPIENT_ROLES = (Role.STAFF, Role.HEAD)


@dataclass(frozen=True)
class Notice:
    """What the day's e-mail to ``branch`` says: ``agreements`` (``reports.agreements.OfficeAgreement``,
    most urgent first) and ``offices`` (``incentives.activity.OfficeUnderMinimum``, longest run first)."""

    branch: object
    day: datetime.date
    agreements: list
    offices: list

    @property
    def empty(self):
        return not self.agreements and not self.offices


def staff_notice(*, branch, today):
    """The ``Notice`` for ``branch`` on ``today``."""
    active = PerisaiOffice.objects.filter(branch=branch, is_active=True)
    active_codes = set(active.values_list("code", flat=True))
    status = agreement_status(
        scope=Scope(branch=branch), period=Period(year=today.year, through_month=today.month), today=today
    )
    agreements = [
        office for office in status.offices if office.status in NEEDS_ATTENTION and office.office_code in active_codes
    ]
    offices = offices_under_minimum(offices=active, month=month_start(today), today=today)
    return Notice(branch=branch, day=today, agreements=agreements, offices=offices)


def recipients_of(branch):
    """The e-mail addresses of the branch's active staff and head, in order of username."""
    users = User.objects.filter(branch=branch, role__in=RECIPIENT_ROLES, is_active=True).exclude(email="")
    return list(users.order_by("username").values_list("email", flat=True))


def render_notice(notice):
    """``(subject, body)`` of ``notice``, in the branch's language (``LANGUAGE_CODE``)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notice": notice,
            "branch": notice.branch,
            "day": notice.day,
            "agreements": [(office, abs(office.days_left)) for office in notice.agreements],
        }
        what = []
        if notice.agreements:
            count = len(notice.agreements)
            what.append(ngettext("%(count)d PKS to renew", "%(count)d PKS to renew", count) % {"count": count})
        if notice.offices:
            count = len(notice.offices)
            what.append(
                ngettext("%(count)d office under its minimum", "%(count)d offices under their minimum", count)
                % {"count": count}
            )
        subject = _("Perisai %(branch)s: %(what)s") % {"branch": notice.branch.name, "what": ", ".join(what)}
        body = render_to_string("followup/email/staff_notice.txt", context)
    return subject, body


@dataclass(frozen=True)
class Sent:
    """What ``staff_notice_send`` did: ``recipients`` e-mails sent, or why none (``reason``)."""

    recipients: int
    reason: str = ""


NOTHING_TO_SAY = "nothing to say"
NO_RECIPIENTS = "no staff or head with an e-mail address"
ALREADY_TODAY = "already sent today"


def staff_notice_send(*, notice, dry_run=False):
    """Send ``notice`` to its branch's staff and head, once a day; a ``Sent``."""
    if notice.empty:
        return Sent(0, NOTHING_TO_SAY)
    addresses = recipients_of(notice.branch)
    if not addresses:
        return Sent(0, NO_RECIPIENTS)
    if StaffNotice.objects.filter(branch=notice.branch, day=notice.day).exists():
        return Sent(0, ALREADY_TODAY)
    if dry_run:
        return Sent(len(addresses))
    subject, body = render_notice(notice)
    try:
        with transaction.atomic():
            StaffNotice.objects.create(branch=notice.branch, day=notice.day, recipients=len(addresses))
            messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in addresses]
            get_connection(fail_silently=False).send_messages(messages)
    except IntegrityError:  # a run at the same moment sent it
        return Sent(0, ALREADY_TODAY)
    return Sent(len(addresses))
