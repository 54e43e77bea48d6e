"""Personal data in templates, by the rules of ``perisai.privacy`` and ``enrollment.privacy``: ``{% load privacy %}``.

- ``{{ participant.nik|masked_nik }}``: ``3301••••••••0001``, for lists and anywhere a full NIK is not asked for;
- ``{{ participant.phone|phone_for:user }}``: in full for those who call people, masked for the rest;
- ``{% nik_reveal participant "enrollment:participant_nik" %}``: the masked NIK with a "Show NIK" button
  (for those who may see it) that posts to the named view, which records the disclosure and answers
  with the full NIK.
"""

from django import template

from enrollment.privacy import may_reveal_nik
from perisai import privacy

register = template.Library()


@register.filter
def masked_nik(value):
    return privacy.mask_nik(value)


@register.filter
def masked_phone(value):
    return privacy.mask_phone(value)


@register.filter
def phone_for(value, user):
    return privacy.phone_for(user, value)


@register.inclusion_tag("privacy/_nik_reveal.html", takes_context=True)
def nik_reveal(context, subject, url_name):
    """The masked NIK of ``subject``, and a button to show it in full when the user may."""
    user = context["request"].user
    return {
        "subject": subject,
        "kind": privacy.subject_kind(subject),
        "masked": privacy.mask_nik(subject.nik),
        "may_reveal": may_reveal_nik(user, subject),
        "url_name": url_name,
        "csrf_token": context.get("csrf_token"),
    }
