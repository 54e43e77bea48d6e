"""A reminder's text from the branch's template, and the one-tap links that carry it.

The wording is data (``MessageTemplate``: the branch's own, else the national one); this module only
fills the placeholders. Messages go to participants in Indonesian whatever language the agent reads the
page in, name the months and the amount, and never carry a NIK. WhatsApp is the field's channel
(``https://wa.me/62…?text=…`` opens the chat with the text typed in, no integration needed); ``sms:``
is the fallback for a phone without it.
"""

from urllib.parse import quote

from django.db.models import Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followup.models import MessageTemplate
from perisai.formatting import rupiah
from perisai.phones import whatsapp_number

MESSAGE_LANGUAGE = "id"


def templates_for(branch):
    """``{purpose: text}`` for ``branch``: its own templates over the national ones, whatever order the
    database returns them in (PostgreSQL sorts an empty branch last, SQLite first). One query."""
    texts = {}
    for template in MessageTemplate.objects.filter(Q(branch=branch) | Q(branch__isnull=True)):
        if template.branch_id is not None or template.purpose not in texts:
            texts[template.purpose] = template.text
    return texts


def months_text(months):
    """``Mei dan Juni 2022``, ``Desember 2021 dan Januari 2022``: the months named as a message says them."""
    with translation.override(MESSAGE_LANGUAGE):
        names = []
        for index, month in enumerate(months):
            last_of_its_year = index == len(months) - 1 or months[index + 1].year != month.year
            names.append(date_format(month, "F Y" if last_of_its_year else "F"))
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + " " + _("and") + " " + names[-1]


def fill(text, **values):
    """``text`` with its ``{placeholders}`` filled; one the template does not use is ignored."""
    return text.format_map({key: "" if value is None else value for key, value in values.items()})


def participant_message(text, *, row, agent):
    """The reminder to the participant of ``row`` (a ``followup.selectors.FollowUp``) from ``agent``."""
    with translation.override(MESSAGE_LANGUAGE):
        amount = rupiah(row.amount_due)
    return fill(
        text,
        nama=row.first_name,
        bulan=months_text(row.months_unpaid),
        jumlah=amount,
        agen=agent.full_name,
        hp_agen=agent.phone,
        jumlah_peserta="",
    )


def agent_message(text, *, agent, count):
    """The reminder to ``agent`` that ``count`` participants need a word."""
    return fill(text, nama="", bulan="", jumlah="", agen=agent.full_name, hp_agen=agent.phone, jumlah_peserta=count)


def whatsapp_link(phone, text):
    """``https://wa.me/<number>?text=…``, or ``""`` without a number."""
    number = whatsapp_number(phone)
    return f"https://wa.me/{number}?text={quote(text)}" if number else ""


def sms_link(phone, text):
    """``sms:+62…?body=…`` (the form both Android and iOS open), or ``""`` without a number."""
    return f"sms:{phone}?body={quote(text)}" if phone else ""
