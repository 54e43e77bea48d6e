"""Reading the outbox: which messages a user reaches, and a message's number and text as they may see them.

The outbox is branch data: staff and the branch head read their branch's messages, a national
administrator every branch's, an agent none (``agents.scoping.for_user`` with no agent path). A message
holds phone numbers: the recipient's (``to``) and, in a participant's text, their agent's. Both are shown
in full to those who call people (``perisai.privacy.may_see_phone``: staff) and masked for the rest (the
branch head, administrators), on the page and in the admin alike.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Q

from agents.scoping import for_user
from followup.models import OutboxMessage
from perisai.privacy import mask_phone, may_see_phone

PHONE_IN_TEXT = re.compile(r"\+?\d(?:[-. ]?\d){8,}")
"""Nine digits or more, separated by at most one dash, dot or space: a phone number, never an amount of
Rupiah (a reminder's amount has seven digits at most) nor a date."""


def outbox_for(user, *, status=""):
    """The outbox messages ``user`` reaches, newest first, with their recipients; only ``status`` when given."""
    messages = for_user(OutboxMessage.objects.all(), user, "branch")
    if status:
        messages = messages.filter(status=status)
    return messages.select_related("branch", "acquisition__participant", "agent").order_by("-created_at", "-pk")


def outbox_counts(user, *, month):
    """``{status: count}`` of the messages for ``month`` that ``user`` reaches (one query)."""
    messages = for_user(OutboxMessage.objects.filter(month=month), user, "branch")
    return messages.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in OutboxMessage.Status.values}
    )


def text_for(user, text):
    """``text`` with the phone numbers in it masked unless ``user`` may see them."""
    if may_see_phone(user):
        return text
    return PHONE_IN_TEXT.sub(lambda number: mask_phone(number.group()), text)


@dataclass(frozen=True)
class OutboxRow:
    """A message as ``user`` may read it: who it is for, their number and the text, masked as they must be."""

    message: OutboxMessage
    recipient: str
    to: str
    text: str

    @classmethod
    def of(cls, message, user):
        person = message.acquisition.participant if message.acquisition_id else message.agent
        shown_to = message.to if may_see_phone(user) else mask_phone(message.to)
        return cls(message=message, recipient=person.full_name, to=shown_to, text=text_for(user, message.text))
