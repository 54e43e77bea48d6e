"""Indonesian phone numbers, written one way: ``+62`` and the digits (``+6281234567890``).

A number is typed in many ways ("0812-3456-7890", "62 812 3456 7890", "+62 (812) 3456-7890", or
"81234567890" when Excel dropped the leading 0). ``normalise_phone`` turns each into the one form,
once, where a number comes in (a form, an import), so a WhatsApp or SMS link is built from it without
guessing and two spellings of one number are the same number. A number of another country (``+`` and
a code other than 62) keeps its ``+`` and digits.

- ``normalise_phone(text)``: the ``+62`` form, ``""`` for nothing, ``ValueError`` for what is no phone
  number (the callers turn that into their message);
- ``clean_phone(text)``: the same for a form or an import: a ``ValidationError`` with the message;
- ``normalise_phone_field(instance)``: in a model's ``clean``, its ``phone`` in that form, or a
  ``ValidationError`` on that field;
- ``whatsapp_number(phone)``: the digits ``wa.me`` wants (no ``+``);
- ``searchable(digits)``: the digits to look for in a stored number when someone types part of one.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

COUNTRY_CODE = "62"
SEPARATORS = re.compile(r"[\s\-.()/]")
MIN_DIGITS = 8
"""Digits after the country code: a landline with its area code has at least eight."""
MAX_DIGITS = 13


def normalise_phone(text):
    """``text`` as ``+62…`` (or ``+<code>…`` for another country); ``""`` when blank; ``ValueError`` else."""
    if text is None:
        return ""
    compact = SEPARATORS.sub("", str(text).strip())
    if not compact:
        return ""
    international = compact.startswith("+")
    digits = compact[1:] if international else compact
    if not digits.isdigit():
        raise ValueError("not a phone number")
    if international and not digits.startswith(COUNTRY_CODE):
        national = None  # another country's number: kept as typed, digits only
    elif digits.startswith(COUNTRY_CODE) and (international or len(digits) > MIN_DIGITS + 2):
        national = digits[len(COUNTRY_CODE) :]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits  # "81234567890": a leading 0 lost on the way
    if national is None:
        if not MIN_DIGITS <= len(digits) <= MAX_DIGITS + 3:
            raise ValueError("not a phone number")
        return "+" + digits
    national = national.lstrip("0")
    if not MIN_DIGITS <= len(national) <= MAX_DIGITS:
        raise ValueError("not a phone number")
    return f"+{COUNTRY_CODE}{national}"


def clean_phone(text):
    """``normalise_phone`` for a model's or a form's ``clean``: a ``ValidationError`` saying what to type."""
    try:
        return normalise_phone(text)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a phone number; write it as 0812-3456-7890 or +62 812-3456-7890.")
            % {"value": str(text)[:30]},
            code="bad_phone",
        ) from None


def normalise_phone_field(instance, field="phone"):
    """Set ``instance.<field>`` to its one form; a ``ValidationError`` on the field when it is no number."""
    try:
        setattr(instance, field, clean_phone(getattr(instance, field)))
    except ValidationError as error:
        raise ValidationError({field: error}) from None


def whatsapp_number(phone):
    """The digits of a normalised ``phone`` as ``https://wa.me/<digits>`` takes them; ``""`` for none."""
    return phone[1:] if phone and phone.startswith("+") else ""


def searchable(digits):
    """What to look for in stored numbers (``+62812…``) when ``digits`` are typed: "0812…" and "62812…"
    are looked for without their 0 or 62, so a number is found however it is typed."""
    if digits.startswith("0"):
        return digits[1:]
    if digits.startswith(COUNTRY_CODE) and len(digits) > len(COUNTRY_CODE) + 3:
        return digits[len(COUNTRY_CODE) :]
    return digits
