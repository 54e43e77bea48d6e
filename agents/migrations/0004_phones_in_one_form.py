"""Agent phone numbers written in one form, +62 and the digits, as forms and imports now write them.

The normalisation is copied here as it stood on 5 December 2026 (a migration never runs live code); a
number it cannot read is left as it is, for staff to correct."""

import re

from django.db import migrations

SEPARATORS = re.compile(r"[\s\-.()/]")


def normalised(text):
    """A phone number in the one form of 5 December 2026 (``+62`` and the digits), or ``None`` for text that
    is no phone number (left as it is). A copy, as that day's ``perisai.phones.normalise_phone`` had it."""
    compact = SEPARATORS.sub("", (text or "").strip())
    if not compact:
        return ""
    international = compact.startswith("+")
    digits = compact[1:] if international else compact
    if not digits.isdigit():
        return None
    if international and not digits.startswith("62"):
        return "+" + digits if 8 <= len(digits) <= 16 else None
    if digits.startswith("62") and (international or len(digits) > 10):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    national = national.lstrip("0")
    return "+62" + national if 8 <= len(national) <= 13 else None


def normalise_phones(model_name, app_label):
    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        changed = []
        for row in model.objects.exclude(phone="").only("pk", "phone").iterator(chunk_size=2000):
            phone = normalised(row.phone)
            if phone is not None and phone != row.phone:
                row.phone = phone
                changed.append(row)
        model.objects.bulk_update(changed, ["phone"], batch_size=2000)

    return forwards


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0003_programme_terms'),
    ]

    operations = [
        migrations.RunPython(normalise_phones("Agent", "agents"), migrations.RunPython.noop),
    ]
